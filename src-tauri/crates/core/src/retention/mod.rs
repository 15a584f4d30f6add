//! The tool's own retention: after a period following closure (a default per
//! regime, changeable by the officer), the personal data of a closed request
//! is removed by the purgers (`purgers.rs`), keeping its anonymised skeleton
//! (type, regime, jurisdiction, dates, status, outcome) for the yearly metrics
//! and the audit trail. The preview lists exactly what the next purge removes;
//! the purge itself is one transaction, recorded as an event with counts only.
//! Mails dismissed as not a request belong to no request: their own period
//! (`mailbox::purge`, default 90 days after the dismissal) runs in the same
//! preview and purge.

pub mod purgers;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;

use crate::clock::Clock;
use crate::deadlines::{self, add_months_clamped};
use crate::domain::closed_sql_of;
use crate::error::{Error, Result};
use crate::files::atomic::parent_of;
use crate::mailbox::purge as mail_purge;
use crate::purge::PurgeScope;
use crate::retention::purgers::PURGERS;
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Dialect, Store};

const SETTING_PREFIX: &str = "retention.months.";

/// How long after closure a regime's requests keep their personal data.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RetentionPolicy {
    pub regime: String,
    pub regime_name: String,
    pub months: u32,
    pub default_months: u32,
    /// Why the default is what it is.
    pub basis: String,
}

/// The default period after closure and its basis, per regime.
pub fn default_for(regime: &str) -> (u32, &'static str) {
    match regime {
        "ccpa" => (
            24,
            "CCPA Regulations (11 CCR) §7101(a): records of consumer requests and how they were answered are kept for at least 24 months",
        ),
        r if r.starts_with("us-") => (
            24,
            "The state law sets no period; 24 months as for CCPA request records (§7101), long enough to answer a regulator's inquiry",
        ),
        "eu-gdpr" | "uk-gdpr" | "ch-fadp" => (
            36,
            "Accountability (GDPR Art. 5(2)) against storage limitation (Art. 5(1)(e)): 3 years after closure, a common period to show how a request was handled",
        ),
        _ => (36, "Accountability: 3 years after closure to show how a request was handled, then only the anonymised record stays"),
    }
}

fn months_setting(conn: Conn<'_>, regime: &str) -> Result<Option<u32>> {
    Ok(settings::get(conn, &format!("{SETTING_PREFIX}{regime}"))?.and_then(|m| m.parse().ok()))
}

fn policy_of(conn: Conn<'_>, regime: &str, name: &str) -> Result<RetentionPolicy> {
    let (default_months, basis) = default_for(regime);
    Ok(RetentionPolicy {
        regime: regime.into(),
        regime_name: name.into(),
        months: months_setting(conn, regime)?.unwrap_or(default_months),
        default_months,
        basis: basis.into(),
    })
}

/// The policy of every regime the engine knows.
pub fn policies<'a>(store: impl Into<Store<'a>>) -> Result<Vec<RetentionPolicy>> {
    store.into().read(|c| deadlines::regimes().iter().map(|r| policy_of(c, &r.id, &r.name)).collect())
}

/// Sets a regime's period (months after closure); the change is audited.
pub fn set_months<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str, regime: &str, months: u32) -> Result<RetentionPolicy> {
    let info = deadlines::regime(regime).ok_or_else(|| Error::invalid("regime", "is not a known regime"))?;
    if !(1..=240).contains(&months) {
        return Err(Error::invalid("months", "must be between 1 and 240"));
    }
    store.into().write(|tx| {
        let before = policy_of(tx, regime, &info.name)?.months;
        settings::set(tx, &format!("{SETTING_PREFIX}{regime}"), &months.to_string())?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: format!("Retention for {}: personal data kept {months} months after closure (was {before})", info.name),
                data: json!({ "retention": { "regime": regime, "months": months, "before": before } }),
            },
        )?;
        policy_of(tx, regime, &info.name)
    })
}

/// A closed request whose personal data the next purge removes (no personal data here).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PurgeCandidate {
    pub id: String,
    pub reference: String,
    pub request_type: String,
    pub regime: String,
    pub status: String,
    pub closed_on: NaiveDate,
    /// Closure plus the regime's period: from this day on the data goes.
    pub purge_from: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PurgeCount {
    pub purger: String,
    pub what: String,
    pub items: u32,
}

/// What the next purge removes, as of today.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PurgePlan {
    pub as_of: NaiveDate,
    pub requests: Vec<PurgeCandidate>,
    pub removes: Vec<PurgeCount>,
    /// Mails dismissed as not a request whose period has run out: their content goes too.
    pub dismissed_mails: u32,
}

/// What a purge removed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PurgeReport {
    pub at: String,
    pub requests: u32,
    pub removed: Vec<PurgeCount>,
    pub files_deleted: u32,
    /// Mails dismissed as not a request whose content was removed.
    pub dismissed_mails: u32,
}

fn closed_on(at: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(at).ok().map(|d| d.with_timezone(&Utc).date_naive())
}

/// Closed, not yet purged requests whose period has run out by `today`.
fn candidates(conn: Conn<'_>, today: NaiveDate) -> Result<Vec<PurgeCandidate>> {
    // The closing status change is the last one (a closed status has no successor). The partial
    // index `requests_closed_unpurged` (migration 27) holds exactly these rows in this order:
    // keep the WHERE identical to its own. SQLite's planner, without statistics, would rather
    // read the status index and sort (1.9-2.1 s against 1.4-1.6 s at 100,000), so it is named there
    // (`INDEXED BY` fails loudly should it ever be dropped); PostgreSQL's planner has statistics.
    let requests = match conn.dialect() {
        Dialect::Sqlite => "requests r INDEXED BY requests_closed_unpurged",
        Dialect::Postgres => "requests r",
    };
    let rows = conn.query_map(
        &format!(
            "SELECT r.id, r.reference, r.request_type, r.regime, r.status, \
                COALESCE((SELECT max(e.at) FROM events e WHERE e.request_id = r.id AND e.kind = ?1), r.updated_at) \
         FROM {requests} \
         WHERE r.purged_at IS NULL AND {closed} \
         ORDER BY r.number",
            closed = closed_sql_of("r.status")
        ),
        &[&EventKind::StatusChanged.as_str()],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for (id, reference, request_type, regime, status, closed_at) in rows {
        let Some(closed) = closed_on(&closed_at) else { continue };
        let months = months_setting(conn, &regime)?.unwrap_or(default_for(&regime).0);
        let Some(purge_from) = add_months_clamped(closed, months) else { continue };
        if purge_from <= today {
            out.push(PurgeCandidate { id, reference, request_type, regime, status, closed_on: closed, purge_from });
        }
    }
    Ok(out)
}

fn today(store: Store<'_>, clock: &dyn Clock) -> Result<NaiveDate> {
    Ok(clock.today(crate::settings::org_time_zone(store)?))
}

/// The folder of the register's files: beside the file; none on a team register, whose
/// stored files are rows of `stored_chunks` (`evidence::place`).
fn data_dir(store: Store<'_>) -> PathBuf {
    match store {
        Store::Sqlite(db) => parent_of(db.path()),
        Store::Postgres(_) => PathBuf::new(),
    }
}

/// The preview: which requests the next purge touches and what each purger removes.
pub fn preview<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock) -> Result<PurgePlan> {
    let store = store.into();
    let as_of = today(store, clock)?;
    let data_dir = data_dir(store);
    store.read(|c| {
        let requests = candidates(c, as_of)?;
        let ids: Vec<String> = requests.iter().map(|r| r.id.clone()).collect();
        let scope = PurgeScope { request_ids: &ids, data_dir: &data_dir, now: clock.now() };
        let mut removes = PURGERS
            .iter()
            .map(|p| Ok(PurgeCount { purger: p.name().into(), what: p.what().into(), items: to_u32(p.count(c, &scope)?) }))
            .collect::<Result<Vec<_>>>()?;
        let dismissed_mails = to_u32(mail_purge::dismissed_count(c, scope.now)?);
        removes.push(dismissed_count(dismissed_mails));
        Ok(PurgePlan { as_of, requests, removes, dismissed_mails })
    })
}

fn dismissed_count(items: u32) -> PurgeCount {
    PurgeCount { purger: mail_purge::DISMISSED_NAME.into(), what: mail_purge::DISMISSED_WHAT.into(), items }
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// On a team register, asks the server whether this login may rewrite the timeline (the
/// retention purge's redaction, granted to the admin group only), with a statement that
/// changes no row: PostgreSQL checks the right before it looks at any. A refusal names the
/// login's role and leaves the transaction to roll back, so nothing is removed.
fn admin_only(tx: Conn<'_>) -> Result<()> {
    let role = tx
        .query_opt(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid \
             JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = session_user ORDER BY g.rolname LIMIT 1",
            &[],
            |r| r.get::<String>(0),
        )?
        .unwrap_or_default();
    match tx.execute("UPDATE events SET redacted_at = redacted_at WHERE false", &[]) {
        Ok(_) => Ok(()),
        Err(crate::error::Error::Postgres { sqlstate, .. }) if sqlstate == "42501" => {
            let role = ["officer", "auditor", "admin"].into_iter().find(|r| role.ends_with(&format!("_{r}"))).unwrap_or("no role");
            Err(Error::invalid(
                "purge",
                format!("the server refused the retention purge: it is the admin's, and this login is {role} in the team register; nothing was removed"),
            ))
        }
        Err(e) => Err(e),
    }
}

/// Runs the purge: every purger in one transaction, a `personal-data-purged`
/// event on each request's timeline and one `retention-purge` audit event with
/// the counts. Files the purgers name are deleted after the commit. With
/// `expected` (the number of requests the officer saw in the preview) the purge
/// is refused, writing nothing, if that number changed meanwhile.
pub fn purge<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, actor: &str, expected: Option<u32>) -> Result<PurgeReport> {
    let store = store.into();
    let as_of = today(store, clock)?;
    let now = clock.now();
    let data_dir = data_dir(store);
    let (requests, removed, files, dismissed) = store.write(|tx| {
        match tx.dialect() {
            // Freed pages are overwritten, not merely unlinked.
            Dialect::Sqlite => tx.execute_batch("PRAGMA secure_delete = ON;")?,
            // The purge is the admin's: the server refuses anyone else before anything changes.
            Dialect::Postgres => admin_only(tx)?,
        }
        let requests = candidates(tx, as_of)?;
        if expected.is_some_and(|n| n as usize != requests.len()) {
            return Err(Error::invalid("purge", "the requests due for purge changed since the preview; review the preview again"));
        }
        let ids: Vec<String> = requests.iter().map(|r| r.id.clone()).collect();
        // A row changed behind Rightsdesk's back is recorded before the purge
        // changes it, or the purge's seal would adopt the forgery.
        for id in &ids {
            events::check_before_change(tx, id, now)?;
        }
        let scope = PurgeScope { request_ids: &ids, data_dir: &data_dir, now };
        let mut removed = Vec::new();
        let mut files = Vec::new();
        for p in PURGERS {
            let done = p.purge(tx, &scope)?;
            removed.push(PurgeCount { purger: p.name().into(), what: p.what().into(), items: to_u32(done.items) });
            files.extend(done.files_after_commit);
        }
        let (dismissed, done) = mail_purge::purge_dismissed(tx, &data_dir, now)?;
        removed.push(dismissed_count(to_u32(done.items)));
        files.extend(done.files_after_commit);
        if tx.dialect() == Dialect::Postgres {
            // Stored bytes nothing refers to any more go with the purge's transaction.
            crate::evidence::place::Place::Table.collect_garbage(tx)?;
        }
        for r in &requests {
            let months = months_setting(tx, &r.regime)?.unwrap_or(default_for(&r.regime).0);
            events::append(
                tx,
                Some(&r.id),
                now,
                actor,
                NewEvent {
                    kind: EventKind::PersonalDataPurged,
                    summary: format!("Personal data removed under the retention policy ({months} months after closure on {})", r.closed_on),
                    data: json!({ "months": months, "closed_on": r.closed_on }),
                },
            )?;
        }
        let counts: serde_json::Map<String, serde_json::Value> = removed.iter().map(|c| (c.purger.clone(), json!(c.items))).collect();
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::RetentionPurge,
                summary: format!(
                    "Retention purge: personal data removed from {} closed request{}{}",
                    requests.len(),
                    if requests.len() == 1 { "" } else { "s" },
                    match dismissed.len() {
                        0 => String::new(),
                        1 => " and from 1 mail dismissed as not a request".into(),
                        n => format!(" and from {n} mails dismissed as not a request"),
                    }
                ),
                data: json!({ "requests": requests.len(), "removed": counts, "as_of": as_of, "dismissed_intake_items": dismissed }),
            },
        )?;
        Ok((requests.len(), removed, files, dismissed.len()))
    })?;
    let mut files_deleted = 0u32;
    for f in files {
        match std::fs::remove_file(&f) {
            Ok(()) => files_deleted += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    for c in &removed {
        tracing::info!(purger = %c.purger, items = c.items, "retention purge removed");
    }
    tracing::info!(requests, dismissed, files_deleted, "retention purge done");
    Ok(PurgeReport {
        at: now.to_rfc3339(),
        requests: to_u32(requests as u64),
        removed,
        files_deleted,
        dismissed_mails: to_u32(dismissed as u64),
    })
}
