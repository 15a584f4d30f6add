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
use crate::error::{json_err, Error, Result};
use crate::requests::explanations::{self, StoredSchedule};
use crate::requests::schedules::schedule_of;
use crate::requests::ValidRequest;
use crate::store::events::{self, Sealer, STATE_FIELDS, STATE_FIELD_COUNT};
use crate::store::interface::ValueRef;

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
    /// The day of receipt as stored, and its year (for the reference); the legal due date and
    /// the internal target as stored.
    received_on: String,
    year: String,
    due: Option<String>,
    target: Option<String>,
    /// What the store reads back from this schedule's JSON for each of the trail's state
    /// columns that extract from it (`json_extract(schedule, …)`), in their order: asked of
    /// SQLite itself, once per schedule.
    extracted: Vec<rusqlite::types::Value>,
}

/// Registers the rows of one import, in one open transaction.
pub(super) struct Registrar<'e> {
    engine: &'e EngineOptions,
    /// Each distinct schedule with its JSON as stored, and whether its explanation is kept yet.
    schedules: HashMap<ScheduleKey, Distinct>,
    next_number: i64,
    /// Whether the data map has systems (each request of a type with an action then gets its tasks).
    tasks: bool,
    /// Seals each `registered` event as it is written.
    sealer: Sealer,
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
            sealer: Sealer::start(tx.into())?,
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
                let (received_on, year) = (day.to_string(), day.format("%Y").to_string());
                let (due, target) = (schedule.legal_due.map(|d| d.to_string()), schedule.target.map(|d| d.to_string()));
                e.insert(Distinct {
                    schedule,
                    stored,
                    kept: false,
                    data_head,
                    due_words,
                    received_on,
                    year,
                    due,
                    target,
                    extracted: Vec::new(),
                })
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
        // Its events sealed themselves, after this import's last.
        self.sealer.resume(tx.into())?;
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
            distinct.extracted = extracted(tx, &distinct.stored.json)?;
            distinct.kept = true;
        }
        let now = clock.now().to_rfc3339();
        let id = uuid::Uuid::now_v7().to_string();
        let number = self.next_number;
        self.next_number += 1;
        let reference = format!("DSR-{}-{number:04}", distinct.year);
        let identifiers = serde_json::to_string(&valid.identifiers).map_err(json_err)?;
        let received_at = valid.received_at.to_rfc3339();
        let schedule = &distinct.schedule;
        let row = Row {
            id: &id,
            number,
            reference: &reference,
            valid,
            identifiers: &identifiers,
            received_at: &received_at,
            received_on: &distinct.received_on,
            due: distinct.due.as_deref(),
            target: distinct.target.as_deref(),
            rule_set: &schedule.rule_set,
            schedule: &distinct.stored.json,
            created_at: &now,
        };
        tx.prepare_cached(INSERT)?.execute(rusqlite::params![
            row.id,
            row.number,
            row.reference,
            valid.request_type.as_str(),
            valid.regime,
            valid.jurisdiction,
            valid.subject_name,
            valid.subject_email,
            row.identifiers,
            valid.channel.as_str(),
            row.received_at,
            row.received_on,
            valid.zone.name(),
            valid.notes,
            row.due,
            row.target,
            row.rule_set,
            row.schedule,
            row.created_at,
        ])?;
        let state = events::state_of(id.clone(), reference.clone(), &row.state_values(&distinct.extracted)?);
        // The text `requests::register_scheduled`'s `json!` data comes to, without a
        // `serde_json::Value` made, copied and written out for every row.
        let data = format!("{}{source}}}", distinct.data_head);
        let summary = crate::requests::registered_summary(valid, &distinct.due_words);
        self.sealer.append_registered(tx, state, &now, actor, &summary, &data)?;
        if self.tasks {
            crate::tasks::generate_in(tx, &id, valid.request_type, clock.now(), actor)?;
            // Its events sealed themselves, after the `registered` one.
            self.sealer.resume(tx.into())?;
        }
        Ok((reference, &distinct.schedule))
    }
}

/// The values one imported row is inserted with (`INSERT`; `valid` for the rest).
struct Row<'v> {
    id: &'v str,
    number: i64,
    reference: &'v str,
    valid: &'v ValidRequest,
    identifiers: &'v str,
    received_at: &'v str,
    received_on: &'v str,
    due: Option<&'v str>,
    target: Option<&'v str>,
    rule_set: &'v str,
    schedule: &'v str,
    created_at: &'v str,
}

impl<'v> Row<'v> {
    /// The row's value in each of the trail's state columns (`events::STATE_FIELDS`), as the
    /// store reads it back once `INSERT` has written it: what it binds (the tables are STRICT, so
    /// each value is stored as bound), NULL for the columns it leaves out, and the schedule's
    /// `extracted` values. A state column this does not know is an error, not a guess.
    fn state_values(&self, extracted: &'v [rusqlite::types::Value]) -> Result<[ValueRef<'v>; STATE_FIELD_COUNT]> {
        let text = |s: &'v str| ValueRef::Text(s);
        let opt = |s: Option<&'v str>| s.map_or(ValueRef::Null, ValueRef::Text);
        let v = self.valid;
        let mut extracted = extracted.iter();
        let mut values = [ValueRef::Null; STATE_FIELD_COUNT];
        for (value, (column, _)) in values.iter_mut().zip(STATE_FIELDS) {
            *value = match *column {
                "reference" => text(self.reference),
                "number" => ValueRef::Integer(self.number),
                "request_type" => text(v.request_type.as_str()),
                "regime" => text(&v.regime),
                "jurisdiction" => text(&v.jurisdiction),
                "subject_name" => text(&v.subject_name),
                "subject_email" => opt(v.subject_email.as_deref()),
                "identifiers" => text(self.identifiers),
                "channel" => text(v.channel.as_str()),
                "received_at" => text(self.received_at),
                "received_on" => text(self.received_on),
                "time_zone" => text(v.zone.name()),
                "status" => text("received"),
                "notes" => text(&v.notes),
                "due" => opt(self.due),
                "target" => opt(self.target),
                "rule_set" => text(self.rule_set),
                "schedule" => text(self.schedule),
                "created_at" => text(self.created_at),
                "status_reason" | "closed_on" | "purged_at" => ValueRef::Null,
                c if c.starts_with("json_extract(schedule,") => match extracted.next() {
                    Some(rusqlite::types::Value::Null) => ValueRef::Null,
                    Some(rusqlite::types::Value::Integer(i)) => ValueRef::Integer(*i),
                    Some(rusqlite::types::Value::Real(f)) => ValueRef::Real(*f),
                    Some(rusqlite::types::Value::Text(t)) => ValueRef::Text(t),
                    Some(rusqlite::types::Value::Blob(b)) => ValueRef::Blob(b),
                    None => return Err(Error::Internal(format!("the import did not extract the state column {c}"))),
                },
                c => return Err(Error::Internal(format!("the import does not know the state column {c}"))),
            };
        }
        Ok(values)
    }
}

/// What SQLite reads from a schedule's JSON for each state column that extracts from it, in
/// `events::STATE_FIELDS` order: the columns' own expressions, over the JSON bound as `schedule`.
fn extracted(tx: &rusqlite::Connection, schedule: &str) -> Result<Vec<rusqlite::types::Value>> {
    let columns: Vec<&str> = STATE_FIELDS.iter().map(|(c, _)| *c).filter(|c| c.starts_with("json_extract(schedule,")).collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {} FROM (SELECT ?1 AS schedule)", columns.join(", "));
    Ok(tx.query_row(&sql, [schedule], |r| (0..columns.len()).map(|i| r.get(i)).collect())?)
}
