//! What the officer's workspace adds to a package: the data map's systems that
//! hold the subject's data (for the cover letter) and the evidence collected on
//! the request (for `evidence/<system>/`). The app and the CLI both start here,
//! so a package built in either holds the same things.

use crate::datamap::{self, System, SystemRole};
use crate::error::Result;
use crate::evidence::{self, EvidenceKind};
use crate::packages::sources::{EvidenceFile, PackageSources, SystemSummary};
use crate::store::Store;
use crate::tasks::{self, TaskStatus};

/// Where evidence attached to the request itself (no task) goes: `evidence/general/`.
pub const GENERAL: &str = "General";

/// `"Name; email address\nIP"` → `["Name", "email address", "IP"]`. Commas are
/// kept: a purpose such as "Accounts, login, support" is one phrase.
fn items(text: &str) -> Vec<String> {
    text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A data-map system as the cover letter describes it (an empty field is shown as "—").
pub fn summary(s: &System) -> SystemSummary {
    let recipients = match s.role {
        SystemRole::Own if s.vendor.trim().is_empty() => Vec::new(),
        SystemRole::Own => vec![s.vendor.trim().to_string()],
        SystemRole::Processor | SystemRole::SubProcessor => {
            let who = if s.vendor.trim().is_empty() { s.name.trim() } else { s.vendor.trim() };
            let role = if s.role == SystemRole::Processor { "processor" } else { "sub-processor" };
            vec![format!("{who} ({role}, acting on our instructions)")]
        }
    };
    let transfers = (!s.text.transfer_safeguard.trim().is_empty()).then(|| s.text.transfer_safeguard.trim().to_string());
    let automated = (!s.text.automated_decisions.trim().is_empty()).then(|| s.text.automated_decisions.trim().to_string());
    let mut missing = Vec::new();
    if automated.is_none() {
        missing.push("automated_decisions".to_string());
    }
    if transfers.is_none() && !in_eea(&s.text.location) {
        missing.push("transfer_safeguard".to_string());
    }
    let retention = match (s.text.retention.trim(), s.text.legal_duty.trim()) {
        (r, "") => r.to_string(),
        ("", d) => duty(d),
        (r, d) => format!("{r}; {}", duty(d)),
    };
    SystemSummary {
        name: s.name.clone(),
        purposes: items(&s.text.purposes),
        categories: items(&s.text.data_categories),
        recipients,
        retention,
        source: s.text.source.trim().to_string(),
        legal_basis: s.text.legal_basis.trim().to_string(),
        transfers,
        automated_decisions: automated,
        location: s.text.location.trim().to_string(),
        missing,
    }
}

/// A retention duty as the letter prints it: a duty that cites its law is a
/// legal obligation, printed as cited; one that cites none is the
/// organisation's own policy, and says so.
fn duty(d: &str) -> String {
    if datamap::duty_cites_law(d) {
        format!("legal obligation: {d}")
    } else {
        format!("our own policy, not a legal obligation: {d}")
    }
}

/// Whether a data-map location is recognisably inside the EEA (or the UK, or
/// Switzerland, which hold EU adequacy): no safeguard is then needed. An empty
/// or unrecognised location is not inside: its safeguard must be recorded.
pub fn in_eea(location: &str) -> bool {
    const PLACES: [&str; 52] = [
        "eea",
        "eu",
        "europe",
        "eu-central",
        "eu-west",
        "eu-north",
        "eu-south",
        "austria",
        "belgium",
        "bulgaria",
        "croatia",
        "cyprus",
        "czech",
        "denmark",
        "estonia",
        "finland",
        "france",
        "germany",
        "greece",
        "hungary",
        "ireland",
        "italy",
        "latvia",
        "lithuania",
        "luxembourg",
        "malta",
        "netherlands",
        "poland",
        "portugal",
        "romania",
        "slovakia",
        "slovenia",
        "spain",
        "sweden",
        "norway",
        "iceland",
        "liechtenstein",
        "frankfurt",
        "dublin",
        "paris",
        "amsterdam",
        "stockholm",
        "milan",
        "madrid",
        "berlin",
        "nuremberg",
        "falkenstein",
        "helsinki",
        "vienna",
        "warsaw",
        "united kingdom",
        "switzerland",
    ];
    let words: Vec<String> =
        location.to_lowercase().split(|c: char| !(c.is_alphanumeric() || c == '-')).filter(|w| !w.is_empty()).map(String::from).collect();
    if words.is_empty() {
        return false;
    }
    let text = words.join(" ");
    // "USA" or another named non-EEA place anywhere makes the location outside.
    const OUTSIDE: [&str; 12] =
        ["usa", "us", "united states", "us-east", "us-west", "canada", "india", "singapore", "australia", "japan", "brazil", "china"];
    if OUTSIDE.iter().any(|o| words.iter().any(|w| w == o || w.starts_with(&format!("{o}-"))) || (o.contains(' ') && text.contains(o))) {
        return false;
    }
    PLACES.iter().any(|p| words.iter().any(|w| w == p || w.starts_with(&format!("{p}-"))) || (p.contains(' ') && text.contains(p)))
}

/// The data map's systems and the stored evidence of request `request` (id or
/// reference). Systems: those the request has a task for, except tasks closed
/// as "not held" (a system whose task was removed from the map keeps its
/// name); with no tasks at all, the whole map. Evidence: every stored file
/// except identity documents (they prove who asked; they are not the answer),
/// under the system of its task, or [`GENERAL`].
pub fn sources_from_workspace<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<PackageSources> {
    let db = store.into();
    let map = datamap::list(db)?;
    let tasks = tasks::list(db, request)?;
    let systems: Vec<SystemSummary> = if tasks.is_empty() {
        map.iter().map(summary).collect()
    } else {
        tasks
            .iter()
            .filter(|t| t.status != TaskStatus::NotHeld)
            .map(|t| {
                map.iter()
                    .find(|s| t.system_id.as_deref() == Some(s.id.as_str()))
                    .or_else(|| map.iter().find(|s| s.name.eq_ignore_ascii_case(&t.system_name)))
                    .map_or_else(|| SystemSummary { name: t.system_name.clone(), ..Default::default() }, summary)
            })
            .collect()
    };
    let evidence = evidence::list(db, request)?
        .iter()
        .filter(|e| e.kind == EvidenceKind::Evidence)
        .map(|e| {
            let system = e.task_id.as_deref().and_then(|id| tasks.iter().find(|t| t.id == id)).map_or(GENERAL, |t| t.system_name.as_str());
            EvidenceFile::stored(system, e)
        })
        .collect();
    Ok(PackageSources { systems, evidence, records: Vec::new() })
}
