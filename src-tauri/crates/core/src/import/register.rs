//! The import's own registration loop: each row recorded exactly as
//! `requests::register_scheduled` records a request from the form (the same
//! row, the same `registered` event, the same tasks, the same seals), with the
//! per-row work that does not depend on the row done once per import, and the
//! work that does not need the register done on a second thread.
//!
//! - The schedule's JSON is made (and its explanation kept,
//!   `requests::explanations`) once per distinct law, type and day of receipt
//!   instead of once per row.
//! - The request numbers are counted on from the register's next one instead
//!   of asked for each row (an appeal, registered as the form registers it,
//!   takes the number counted for it, or the import stops).
//! - A preparing thread makes each row ready while the writer writes the rows
//!   before it: its id, reference and texts, its `registered` event's words
//!   and their hash, and the request's state as the audit trail seals it
//!   (`events::state_of`, from the values the row is inserted with; the tables
//!   are STRICT, so each is stored as bound). The writer inserts the row and
//!   its event and links the event into the chain (`events::Sealer`), reading
//!   nothing back.
//! - The data map is read once: with no systems in it, no row gets tasks, and
//!   the two look-ups per row that find that out are skipped.
//!
//! `core/tests/import_bulk.rs` compares every column of every imported row,
//! its timeline and its seals with the form's.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::triggers::Counts;
use crate::clock::Clock;
use crate::deadlines::{EngineOptions, Schedule};
use crate::domain::RequestType;
use crate::error::{json_err, Error, Result};
use crate::requests::explanations::{self, StoredSchedule};
use crate::requests::schedules::schedule_of;
use crate::requests::ValidRequest;
use crate::store::events::{self, Registered, Sealer, STATE_FIELDS, STATE_FIELD_COUNT};
use crate::store::interface::ValueRef;

/// The law, type and day of receipt a schedule is computed from.
type ScheduleKey = (String, String, RequestType, NaiveDate);

/// A distinct schedule of the import: as the engine gave it, as it is stored,
/// and the texts every row under it is written with.
pub(super) struct Distinct {
    pub(super) schedule: Schedule,
    stored: StoredSchedule,
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

/// The import's distinct schedules, each computed once.
pub(super) struct Schedules<'e> {
    engine: &'e EngineOptions,
    map: HashMap<ScheduleKey, Arc<Distinct>>,
    /// A private in-memory SQLite, to read a schedule's JSON as the register's columns read it.
    sqlite: rusqlite::Connection,
}

impl<'e> Schedules<'e> {
    pub(super) fn new(engine: &'e EngineOptions) -> Result<Self> {
        Ok(Schedules { engine, map: HashMap::new(), sqlite: rusqlite::Connection::open_in_memory()? })
    }

    /// The schedule of a request (the engine asked once per distinct law, type and day), and
    /// whether this is the first row under it.
    pub(super) fn get(&mut self, valid: &ValidRequest) -> Result<(Arc<Distinct>, bool)> {
        let key = (valid.regime.clone(), valid.jurisdiction.clone(), valid.request_type, valid.received_on);
        if let Some(d) = self.map.get(&key) {
            return Ok((d.clone(), false));
        }
        let (regime, jurisdiction, kind, day) = &key;
        let schedule = schedule_of(regime, jurisdiction, *kind, *day, &[], self.engine)?;
        let stored = explanations::stored(&schedule)?;
        let data_head = format!(
            "{{\"due\":{},\"rule_set\":{},\"source\":",
            serde_json::to_string(&schedule.legal_due).map_err(json_err)?,
            serde_json::to_string(&schedule.rule_set).map_err(json_err)?,
        );
        let due_words = schedule.legal_due.map_or_else(|| "no statutory date".to_string(), |d| format!("due {d}"));
        let distinct = Arc::new(Distinct {
            data_head,
            due_words,
            received_on: day.to_string(),
            year: day.format("%Y").to_string(),
            due: schedule.legal_due.map(|d| d.to_string()),
            target: schedule.target.map(|d| d.to_string()),
            extracted: extracted(&self.sqlite, &stored.json)?,
            schedule,
            stored,
        });
        self.map.insert(key, distinct.clone());
        Ok((distinct, true))
    }
}

/// Rows are handed from the preparing thread to the writer this many at a time.
const BATCH: usize = 256;

/// A row of the file made ready by the preparing thread.
struct Prepared<'v> {
    valid: &'v ValidRequest,
    line: u32,
    distinct: Arc<Distinct>,
    /// The first row under its schedule: the writer keeps the schedule's explanation.
    first: bool,
    /// The number counted for it.
    number: i64,
    /// `None` for an appeal, registered by the writer as the form registers it.
    ready: Option<Ready>,
}

/// What is written for a row that is not an appeal, but its number and schedule.
struct Ready {
    id: String,
    reference: String,
    identifiers: String,
    received_at: String,
    now: DateTime<Utc>,
    /// Its `registered` event (at `now`), with the request's state, hashed.
    event: Registered,
}

/// Registers the rows of one import, in one open transaction.
pub(super) struct Registrar<'e> {
    engine: &'e EngineOptions,
    first_number: i64,
    /// Whether the data map has systems (each request of a type with an action then gets its tasks).
    tasks: bool,
    /// Links each `registered` event into the chain as it is written.
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
            first_number: crate::requests::rows::next_number(tx)?,
            tasks: !crate::datamap::all(tx)?.is_empty(),
            sealer: Sealer::start(tx.into())?,
        })
    }

    /// Registers `rows` (each valid row of the file with its line), in order; returns their
    /// references, and counts each in `counts`. `import_id` goes into each event's source.
    pub(super) fn register_all<'v>(
        &mut self,
        tx: &rusqlite::Connection,
        clock: &dyn Clock,
        rows: &[(u32, &'v ValidRequest)],
        actor: &str,
        import_id: &str,
        counts: &mut Counts<'v>,
    ) -> Result<Vec<String>> {
        let (engine, first_number) = (self.engine, self.first_number);
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<Prepared<'v>>>>(8);
            // Written batches go back to be emptied where their texts were made: freed on the
            // thread that allocated them, glibc's allocator takes no lock the two threads share.
            let (give_back, written) = std::sync::mpsc::channel::<Vec<Prepared<'v>>>();
            let preparer = std::thread::Builder::new()
                .name("import-prepare".into())
                .spawn_scoped(scope, move || {
                    // A failure goes to the writer, which stops the import with it; a writer that
                    // stopped first has dropped its end, and the sends fail quietly.
                    let mut batch = Vec::with_capacity(BATCH);
                    let result = prepare_all(engine, clock, rows, first_number, import_id, |p| {
                        batch.push(p);
                        if batch.len() == BATCH {
                            let next = match written.try_recv() {
                                Ok(mut spent) => {
                                    spent.clear();
                                    spent
                                }
                                Err(_) => Vec::with_capacity(BATCH),
                            };
                            return send.send(Ok(std::mem::replace(&mut batch, next))).is_ok();
                        }
                        true
                    });
                    let _ = send.send(result.map(|()| batch));
                })
                .map_err(|e| Error::Internal(format!("the import could not start its preparing thread: {e}")))?;
            let mut references = Vec::with_capacity(rows.len());
            for batch in receive {
                let mut batch = batch?;
                for p in &mut batch {
                    references.push(self.write(tx, clock, actor, import_id, p, counts)?);
                }
                // The preparer may have finished: then the batch is freed here.
                let _ = give_back.send(batch);
            }
            preparer.join().map_err(|_| Error::Internal("the import's preparing thread stopped".into()))?;
            if references.len() != rows.len() {
                return Err(Error::Internal("the import's preparing thread stopped before the last row".into()));
            }
            Ok(references)
        })
    }

    /// Writes one prepared row; returns its reference.
    fn write<'v>(
        &mut self,
        tx: &rusqlite::Connection,
        clock: &dyn Clock,
        actor: &str,
        import_id: &str,
        p: &mut Prepared<'v>,
        counts: &mut Counts<'v>,
    ) -> Result<String> {
        let (valid, distinct) = (p.valid, &p.distinct);
        if p.first {
            explanations::keep(tx, &distinct.stored)?;
        }
        counts.add(valid, &distinct.schedule);
        let Some(ready) = &mut p.ready else {
            // An appeal: as the form registers it (the earlier request looked up and linked).
            let source = serde_json::json!({ "import": import_id, "line": p.line });
            let id = crate::requests::register_scheduled(tx, clock, valid, &distinct.schedule, actor, Some(&source))?;
            // Its events sealed themselves, after this import's last.
            self.sealer.resume(tx.into())?;
            let (number, reference): (i64, String) = tx
                .prepare_cached("SELECT number, reference FROM requests WHERE id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if number != p.number {
                return Err(Error::Internal("the import's request numbers went out of step".into()));
            }
            return Ok(reference);
        };
        let schedule = &distinct.schedule;
        tx.prepare_cached(INSERT)?.execute(rusqlite::params![
            ready.id,
            p.number,
            ready.reference,
            valid.request_type.as_str(),
            valid.regime,
            valid.jurisdiction,
            valid.subject_name,
            valid.subject_email,
            ready.identifiers,
            valid.channel.as_str(),
            ready.received_at,
            distinct.received_on,
            valid.zone.name(),
            valid.notes,
            distinct.due,
            distinct.target,
            schedule.rule_set,
            distinct.stored.json,
            ready.event.at(),
        ])?;
        self.sealer.append_registered(tx, &ready.event, actor)?;
        if self.tasks {
            crate::tasks::generate_in(tx, &ready.id, valid.request_type, ready.now, actor)?;
            // Its events sealed themselves, after the `registered` one.
            self.sealer.resume(tx.into())?;
        }
        Ok(std::mem::take(&mut ready.reference))
    }
}

/// Makes each row ready, in order, and hands it to `ready` (which says whether to go on). Every
/// row takes the number after the one before, as the form's registrations one after another
/// would give them.
fn prepare_all<'v>(
    engine: &EngineOptions,
    clock: &dyn Clock,
    rows: &[(u32, &'v ValidRequest)],
    first_number: i64,
    import_id: &str,
    mut ready: impl FnMut(Prepared<'v>) -> bool,
) -> Result<()> {
    let mut schedules = Schedules::new(engine)?;
    // The events' source as `json!({ "import": …, "line": … })` writes it.
    let import_json = serde_json::to_string(import_id).map_err(json_err)?;
    for (k, &(line, valid)) in rows.iter().enumerate() {
        let (distinct, first) = schedules.get(valid)?;
        let number = first_number + i64::try_from(k).map_err(|_| Error::Internal("too many rows".into()))?;
        let ready_row = if valid.appeal_of.is_some() { None } else { Some(prepare(clock, valid, line, number, &distinct, &import_json)?) };
        if !ready(Prepared { valid, line, distinct, first, number, ready: ready_row }) {
            break;
        }
    }
    Ok(())
}

/// What is written for one row that is not an appeal (see [`Ready`]).
fn prepare(clock: &dyn Clock, valid: &ValidRequest, line: u32, number: i64, distinct: &Distinct, import_json: &str) -> Result<Ready> {
    let now = clock.now();
    let at = now.to_rfc3339();
    let id = uuid::Uuid::now_v7().to_string();
    let reference = format!("DSR-{}-{number:04}", distinct.year);
    let identifiers = serde_json::to_string(&valid.identifiers).map_err(json_err)?;
    let received_at = valid.received_at.to_rfc3339();
    let values =
        Row { number, reference: &reference, valid, identifiers: &identifiers, received_at: &received_at, distinct, created_at: &at }
            .state_values()?;
    let state = events::state_of(id.clone(), reference.clone(), &values);
    // The text `requests::register_scheduled`'s `json!` data comes to, without a
    // `serde_json::Value` made, copied and written out for every row.
    let data = format!("{}{{\"import\":{import_json},\"line\":{line}}}}}", distinct.data_head);
    let summary = crate::requests::registered_summary(valid, &distinct.due_words);
    Ok(Ready { id, reference, identifiers, received_at, now, event: Registered::new(state, at, summary, data) })
}

/// The values one imported row is inserted with (`INSERT`; `valid` and `distinct` for the rest).
struct Row<'v> {
    number: i64,
    reference: &'v str,
    valid: &'v ValidRequest,
    identifiers: &'v str,
    received_at: &'v str,
    distinct: &'v Distinct,
    created_at: &'v str,
}

impl<'v> Row<'v> {
    /// The row's value in each of the trail's state columns (`events::STATE_FIELDS`), as the
    /// store reads it back once `INSERT` has written it: what it binds (the tables are STRICT, so
    /// each value is stored as bound), NULL for the columns it leaves out, and the schedule's
    /// extracted values. A state column this does not know is an error, not a guess.
    fn state_values(&self) -> Result<[ValueRef<'v>; STATE_FIELD_COUNT]> {
        let text = |s: &'v str| ValueRef::Text(s);
        let opt = |s: Option<&'v str>| s.map_or(ValueRef::Null, ValueRef::Text);
        let (v, d) = (self.valid, self.distinct);
        let mut extracted = d.extracted.iter();
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
                "received_on" => text(&d.received_on),
                "time_zone" => text(v.zone.name()),
                "status" => text("received"),
                "notes" => text(&v.notes),
                "due" => opt(d.due.as_deref()),
                "target" => opt(d.target.as_deref()),
                "rule_set" => text(&d.schedule.rule_set),
                "schedule" => text(&d.stored.json),
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
fn extracted(sqlite: &rusqlite::Connection, schedule: &str) -> Result<Vec<rusqlite::types::Value>> {
    let columns: Vec<&str> = STATE_FIELDS.iter().map(|(c, _)| *c).filter(|c| c.starts_with("json_extract(schedule,")).collect();
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {} FROM (SELECT ?1 AS schedule)", columns.join(", "));
    Ok(sqlite.query_row(&sql, [schedule], |r| (0..columns.len()).map(|i| r.get(i)).collect())?)
}
