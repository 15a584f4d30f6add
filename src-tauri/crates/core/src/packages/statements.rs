//! The officer's explicit statements of facts the data map lacks for one
//! request's package (e.g. "no automated decisions in this system"). A
//! package that needs a fact the map does not record is refused, naming the
//! system and the fact, until the map is filled in or the officer states the
//! fact here; the statement is kept and written on the request's timeline.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::domain::RequestId;
use crate::error::{Error, Result};
use crate::packages::sources::{fact_label, FACTS};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};

/// One statement: for `system`, the fact `fact` (a [`FACTS`] key) is `statement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FactStatement {
    pub system: String,
    pub fact: String,
    pub statement: String,
}

/// Records the officer's statement of a fact for request `id`'s package.
pub fn state_fact<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &RequestId, s: &FactStatement, actor: &str) -> Result<()> {
    if !FACTS.iter().any(|(k, _)| *k == s.fact) {
        let known: Vec<&str> = FACTS.iter().map(|(k, _)| *k).collect();
        return Err(Error::invalid("fact", format!("is one of: {}", known.join(", "))));
    }
    let system = s.system.trim();
    if system.is_empty() {
        return Err(Error::invalid("system", "is required"));
    }
    let statement = s.statement.trim();
    if statement.is_empty() {
        return Err(Error::invalid("statement", "is required: say what is true for this system"));
    }
    if statement.chars().count() > 2000 {
        return Err(Error::invalid("statement", "is longer than 2000 characters"));
    }
    let db = store.into();
    let request = crate::requests::detail(db, clock, id.as_str())?.request;
    let now: chrono::DateTime<Utc> = clock.now();
    db.write(|tx| {
        tx.execute(
            "INSERT INTO package_statements (request_id, system, fact, statement, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (request_id, system, fact) DO UPDATE SET statement = excluded.statement, actor = excluded.actor, at = excluded.at",
            &[&request.id, &system, &s.fact, &statement, &actor, &now.to_rfc3339()],
        )?;
        events::append(
            tx,
            Some(&request.id),
            now,
            actor,
            NewEvent {
                kind: EventKind::PackageFactStated,
                summary: format!("Answer package: the officer stated {} for {system}", fact_label(&s.fact)),
                data: json!({ "system": system, "fact": s.fact, "statement": statement }),
            },
        )?;
        Ok(())
    })
}

/// The statements recorded for request `request_id` (its UUID).
pub(crate) fn for_request(conn: Conn<'_>, request_id: &str) -> Result<Vec<FactStatement>> {
    conn.query_map(
        "SELECT system, fact, statement FROM package_statements WHERE request_id = ?1 ORDER BY system, fact",
        &[&request_id],
        |r| Ok(FactStatement { system: r.get(0)?, fact: r.get(1)?, statement: r.get(2)? }),
    )
}
