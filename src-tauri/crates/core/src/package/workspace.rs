//! What the officer's workspace adds to a package: the data map's systems that
//! hold the subject's data (for the cover letter) and the evidence collected on
//! the request (for `evidence/<system>/`). The app and the CLI both start here,
//! so a package built in either holds the same things.

use super::sources::{EvidenceFile, PackageSources, SystemSummary};
use crate::error::Result;
use crate::store::Db;
use crate::work::datamap::{self, System, SystemRole};
use crate::work::evidence::{self, EvidenceKind};
use crate::work::tasks::{self, TaskStatus};

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
    let transfers = (!s.transfer_safeguard.trim().is_empty()).then(|| {
        if s.location.trim().is_empty() {
            s.transfer_safeguard.trim().to_string()
        } else {
            format!("{} — safeguard: {}", s.location.trim(), s.transfer_safeguard.trim())
        }
    });
    SystemSummary {
        name: s.name.clone(),
        purposes: items(&s.purposes),
        categories: items(&s.data_categories),
        recipients,
        retention: s.retention.trim().to_string(),
        source: s.source.trim().to_string(),
        legal_basis: s.legal_basis.trim().to_string(),
        transfers,
        automated_decisions: None,
    }
}

/// The data map's systems and the stored evidence of request `request` (id or
/// reference). Systems: those the request has a task for, except tasks closed
/// as "not held" (a system whose task was removed from the map keeps its
/// name); with no tasks at all, the whole map. Evidence: every stored file
/// except identity documents (they prove who asked; they are not the answer),
/// under the system of its task, or [`GENERAL`].
pub fn sources_from_workspace(db: &Db, request: &str) -> Result<PackageSources> {
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
            let system = e
                .task_id
                .as_deref()
                .and_then(|id| tasks.iter().find(|t| t.id == id))
                .map_or(GENERAL, |t| t.system_name.as_str());
            EvidenceFile::stored(system, e)
        })
        .collect();
    Ok(PackageSources { systems, evidence, records: Vec::new() })
}
