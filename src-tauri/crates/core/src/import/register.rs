//! The import's own registration loop: each row recorded exactly as
//! `requests::register_scheduled` records a request from the form (the same
//! row, the same `registered` event, the same tasks), with the per-row work
//! that does not depend on the row done once per import. The request numbers
//! are counted on from the register's next one instead of asked for each row,
//! the reference is the one just written instead of read back, the schedule's
//! JSON is made (and its explanation kept, `requests::explanations`) once per
//! distinct law, type and day of receipt instead of once per row, and the data
//! map is read once: with no systems in it, no row gets tasks, and the two
//! look-ups per row that find that out are skipped.
//!
//! `core/tests/import_bulk.rs` compares every column of every imported row,
//! and its timeline, with the form's.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::deadlines::{EngineOptions, Schedule};
use crate::domain::RequestType;
use crate::error::{json_err, Result};
use crate::requests::explanations::{self, StoredSchedule};
use crate::requests::schedules::schedule_of;
use crate::requests::ValidRequest;
use crate::store::events::{self, EventKind};

/// The law, type and day of receipt a schedule is computed from.
type ScheduleKey = (String, String, RequestType, NaiveDate);

/// A distinct schedule of the import: as the engine gave it, as it is
/// stored, and whether its explanation has been kept in this import yet.
pub(super) struct Distinct {
    pub(super) schedule: Schedule,
    stored: StoredSchedule,
    kept: bool,
    /// The `registered` event's data up to its source (`{"due":…,"rule_set":…,"source":`, the
    /// keys in the order `serde_json` writes them), and its summary's words for the legal due date.
    data_head: String,
    due_words: String,
}

/// Registers the rows of one import, in one open transaction.
pub(super) struct Registrar<'e> {
    engine: &'e EngineOptions,
    /// Each distinct schedule with its JSON as stored, and whether its explanation is kept yet.
    schedules: HashMap<ScheduleKey, Distinct>,
    next_number: i64,
    /// Whether the data map has systems (each request of a type with an action then gets its tasks).
    tasks: bool,
}

/// The columns of `requests::rows::insert_next`, the number and reference given by the import.
const INSERT: &str = "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
     identifiers, channel, received_at, received_on, time_zone, status, notes, due, target, rule_set, schedule, created_at, updated_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'received', ?14, ?15, ?16, ?17, ?18, ?19, ?19)";

impl<'e> Registrar<'e> {
    pub(super) fn new(tx: &rusqlite::Connection, engine: &'e EngineOptions) -> Result<Self> {
        Ok(Registrar {
            engine,
            schedules: HashMap::new(),
            next_number: crate::requests::rows::next_number(tx)?,
            tasks: !crate::datamap::all(tx)?.is_empty(),
        })
    }

    /// The schedule of a request and its JSON (the engine asked once per distinct law, type and day).
    pub(super) fn schedule<'s>(
        schedules: &'s mut HashMap<ScheduleKey, Distinct>,
        engine: &EngineOptions,
        valid: &ValidRequest,
    ) -> Result<&'s mut Distinct> {
        let key = (valid.regime.clone(), valid.jurisdiction.clone(), valid.request_type, valid.received_on);
        Ok(match schedules.entry(key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let (regime, jurisdiction, kind, day) = e.key();
                let schedule = schedule_of(regime, jurisdiction, *kind, *day, &[], engine)?;
                let stored = explanations::stored(&schedule)?;
                let data_head = format!(
                    "{{\"due\":{},\"rule_set\":{},\"source\":",
                    serde_json::to_string(&schedule.legal_due).map_err(json_err)?,
                    serde_json::to_string(&schedule.rule_set).map_err(json_err)?,
                );
                let due_words = schedule.legal_due.map_or_else(|| "no statutory date".to_string(), |d| format!("due {d}"));
                e.insert(Distinct { schedule, stored, kept: false, data_head, due_words })
            }
        })
    }

    /// Records an appeal as the form does (`requests::register_scheduled`: the
    /// earlier request looked up and linked); returns its reference and its schedule.
    pub(super) fn register_appeal(
        &mut self,
        tx: &rusqlite::Connection,
        clock: &dyn Clock,
        valid: &ValidRequest,
        actor: &str,
        source: &serde_json::Value,
    ) -> Result<(String, &Schedule)> {
        let schedule = &Self::schedule(&mut self.schedules, self.engine, valid)?.schedule;
        let id = crate::requests::register_scheduled(tx, clock, valid, schedule, actor, Some(source))?;
        self.next_number = crate::requests::rows::next_number(tx)?;
        let reference = tx.prepare_cached("SELECT reference FROM requests WHERE id = ?1")?.query_row([&id], |r| r.get(0))?;
        Ok((reference, schedule))
    }

    /// Records a request that is not an appeal and its `registered` event (and
    /// its tasks); returns its reference and its schedule. `source` is the event's
    /// source as JSON text (`{"import":…,"line":…}`, as `serde_json` writes it).
    pub(super) fn register(
        &mut self,
        tx: &rusqlite::Connection,
        clock: &dyn Clock,
        valid: &ValidRequest,
        actor: &str,
        source: &str,
    ) -> Result<(String, &Schedule)> {
        debug_assert!(valid.appeal_of.is_none(), "an appeal is registered by requests::register_scheduled");
        let distinct = Self::schedule(&mut self.schedules, self.engine, valid)?;
        if !distinct.kept {
            explanations::keep(tx, &distinct.stored)?;
            distinct.kept = true;
        }
        let (schedule, schedule_json, due) = (&distinct.schedule, &distinct.stored.json, &distinct.due_words);
        let now = clock.now();
        let id = uuid::Uuid::now_v7().to_string();
        let number = self.next_number;
        self.next_number += 1;
        let reference = format!("DSR-{}-{number:04}", valid.received_on.format("%Y"));
        let identifiers = serde_json::to_string(&valid.identifiers).map_err(json_err)?;
        tx.prepare_cached(INSERT)?.execute(rusqlite::params![
            id,
            number,
            reference,
            valid.request_type.as_str(),
            valid.regime,
            valid.jurisdiction,
            valid.subject_name,
            valid.subject_email,
            identifiers,
            valid.channel.as_str(),
            valid.received_at.to_rfc3339(),
            valid.received_on.to_string(),
            valid.zone.name(),
            valid.notes,
            schedule.legal_due.map(|d| d.to_string()),
            schedule.target.map(|d| d.to_string()),
            schedule.rule_set,
            schedule_json,
            now.to_rfc3339(),
        ])?;
        // The text `requests::register_scheduled`'s `json!` data comes to, without a
        // `serde_json::Value` made, copied and written out for every row.
        let data = format!("{}{source}}}", distinct.data_head);
        let summary = crate::requests::registered_summary(valid, due);
        events::append_text(tx.into(), Some(&id), now, actor, EventKind::Registered, &summary, &data)?;
        if self.tasks {
            crate::tasks::generate_in(tx, &id, valid.request_type, now, actor)?;
        }
        Ok((reference, schedule))
    }
}
