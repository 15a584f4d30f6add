//! The timeline: append-only events, written in the same transaction as the change they record.

use chrono::{DateTime, Utc};

pub use crate::domain::EventKind;
use crate::domain::TimelineEvent;
use crate::error::Result;
use crate::store::interface::ValueRef;
use crate::store::{row, Conn, Dialect};

/// What happened, in words a regulator can read, plus structured data.
/// The summary must not carry personal data beyond what the request already holds.
#[derive(Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub summary: String,
    pub data: serde_json::Value,
}

/// Appends an event and (unless [`with_seals_deferred`] holds it back) seals it. On a team register
/// the server records the logged-in role as the actor, whatever `actor` says; the seal hashes the
/// event as stored (read back), so it covers the actor on record.
pub fn append<'a>(conn: impl Into<Conn<'a>>, request_id: Option<&str>, at: DateTime<Utc>, actor: &str, event: NewEvent) -> Result<i64> {
    let conn = conn.into();
    let (at, kind, data) = (at.to_rfc3339(), event.kind.as_str(), event.data.to_string());
    let params: [&dyn crate::store::ToValue; 6] = [&request_id, &at, &kind, &event.summary, &data, &actor];
    let insert = format!("{INSERT_EVENT} RETURNING seq");
    let seq = if seals_deferred() {
        // Sealed later, from the rows as stored (`with_seals_deferred`): only the number comes back.
        conn.query_row(&insert, &params, |r| r.get(0))?
    } else {
        // The row comes back as stored (on a team register with the actor the server put on
        // record), so the seal hashes it without reading it again.
        let stored = conn.query_row(&format!("{insert}, request_id, at, kind, summary, data, actor"), &params, unsealed_from_row)?;
        seal_stored(conn, &stored)?;
        stored.seq
    };
    // Identifiers and the kind only: the summary and data may quote the subject. Written inside the
    // command's transaction, so an event whose command then failed is followed by that failure.
    tracing::info!(request = request_id.unwrap_or("-"), kind, seq, "event appended");
    Ok(seq)
}

/// One event inserted, by [`append`] and by [`Sealer::append_registered`].
const INSERT_EVENT: &str = "INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub fn for_request<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Vec<TimelineEvent>> {
    conn.into().query_map(
        "SELECT seq, at, kind, summary, data, actor FROM events WHERE request_id = ?1 ORDER BY seq",
        &[&request_id],
        |r| {
            let seq: i64 = r.get(0)?;
            let at: String = r.get(1)?;
            // A kind no Rightsdesk wrote is a corrupt row, not a guess.
            let kind = row::known("events", "kind", seq, &r.get::<String>(2)?, EventKind::from_stored)?;
            Ok(TimelineEvent { seq, at: parse_instant(&at), kind, summary: r.get(3)?, data: r.get(4)?, actor: r.get(5)? })
        },
    )
}

pub(crate) fn parse_instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

// ---- The audit chain (issue 5) ------------------------------------------------
//
// Every event is sealed in the same transaction as it is written: a row of
// `audit_chain` holds its identifiers and actions, the SHA-256 of its words
// (summary and data), and a hash over all that and the previous row's hash.
// Changing, removing, inserting or reordering anything breaks the chain at that
// point; `crate::audit::verify` says where.

/// The hash before the first row of the chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One sealed row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainRow {
    pub seq: i64,
    pub request_id: Option<String>,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub content_sha256: String,
    pub prev_hash: String,
    pub hash: String,
    /// The hash over the request states this row seals, if any (migration 13).
    pub state_sha256: Option<String>,
}

/// A SHA-256 as lowercase hex, as the chain stores it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    lower_hex(&Sha256::digest(bytes))
}

/// Bytes as lowercase hex (as `hex::encode` writes them), without an iterator per character:
/// the chain writes four hashes for every event.
fn lower_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The lowercase hex digits, by value.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The SHA-256 of an event's words: summary and data, separated by a NUL.
pub fn content_hash(summary: &str, data: &str) -> String {
    let mut bytes = Vec::with_capacity(summary.len() + data.len() + 1);
    bytes.extend_from_slice(summary.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(data.as_bytes());
    sha256_hex(&bytes)
}

/// The hash of a chain row: every field, one per line, after the previous hash;
/// then, for a row that seals request states (see [`request_state`]), the hash
/// over those states. Rows without states hash as they did before migration 13.
#[allow(clippy::too_many_arguments)]
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    request_id: Option<&str>,
    at: &str,
    kind: &str,
    actor: &str,
    content: &str,
    state: Option<&str>,
) -> String {
    use sha2::{Digest, Sha256};
    let mut seq_text = itoa::Buffer::new();
    let mut h = Sha256::new();
    let lines = [prev_hash, seq_text.format(seq), request_id.unwrap_or(""), at, kind, actor];
    for line in lines {
        h.update(line.as_bytes());
        h.update(b"\n");
    }
    h.update(content.as_bytes());
    if let Some(state) = state {
        h.update(b"\nstate ");
        h.update(state.as_bytes());
    }
    lower_hex(&h.finalize())
}

/// The request a chain row is about: the event's request, or for a removal
/// (whose event cannot reference the removed row) the id named in its data.
fn chained_request_id(kind: &str, request_id: Option<String>, data: &str) -> Option<String> {
    request_id.or_else(|| {
        (kind == EventKind::RequestRemoved.as_str())
            .then(|| serde_json::from_str::<serde_json::Value>(data).ok())
            .flatten()
            .and_then(|v| v.get("request_id").and_then(|r| r.as_str()).map(str::to_string))
    })
}

// ---- Request states (issue 16) -------------------------------------------------
//
// The chain seals the register's rows too. Whenever an event about a request
// is sealed, the request's row is read as it stands at that moment (every
// write changes the row first and then records its event, in one
// transaction); if it differs from the state sealed last for that request, the
// new state is sealed with the event. `audit::verify` recomputes every
// live request's state and compares it with the newest sealed one.

/// The columns of a request the trail vouches for, with the words a report
/// uses for each: what the officer or the law cares about. `updated_at` is
/// left out (it says when, not what). The order is part of the format.
pub const STATE_FIELDS: &[(&str, &str)] = &[
    ("reference", "reference"),
    ("number", "number"),
    ("request_type", "request type"),
    ("regime", "regime"),
    ("jurisdiction", "jurisdiction"),
    ("subject_name", "subject name"),
    ("subject_email", "subject email"),
    ("identifiers", "subject identifiers"),
    ("channel", "channel"),
    ("received_at", "time received"),
    ("received_on", "date received"),
    ("time_zone", "time zone"),
    ("status", "status"),
    ("status_reason", "status reason"),
    ("notes", "notes"),
    ("due", "due date"),
    ("target", "target date"),
    ("json_extract(schedule, '$.extended_due')", "extended due date"),
    ("json_extract(schedule, '$.clock_paused')", "paused clock"),
    ("json_extract(schedule, '$.paused_days')", "paused days"),
    ("rule_set", "rule set"),
    ("schedule", "schedule"),
    ("closed_on", "closing day"),
    ("purged_at", "purge"),
    ("created_at", "time registered"),
];

/// One request's state as sealed: the SHA-256 over its canonical columns, and
/// six hex digits of a per-column hash (FNV-1a, in [`STATE_FIELDS`] order) to
/// name the columns that changed. A one-in-16-million chance of not naming a changed
/// column; the digest still tells that something changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestState {
    pub request_id: String,
    pub reference: String,
    pub digest: String,
    pub fields: String,
}

/// Hex digits per column in [`RequestState::fields`] (24 bits).
const FINGERPRINT_HEX: usize = 6;

impl RequestState {
    /// The names (from [`STATE_FIELDS`]) of the columns whose fingerprints differ.
    pub fn differing_fields(&self, other: &RequestState) -> Vec<&'static str> {
        let a = self.fields.as_bytes().chunks(FINGERPRINT_HEX);
        let b = other.fields.as_bytes().chunks(FINGERPRINT_HEX);
        STATE_FIELDS.iter().zip(a.zip(b)).filter(|(_, (x, y))| x != y).map(|((_, name), _)| *name).collect()
    }
}

fn state_select(dialect: Dialect) -> &'static str {
    static SQLITE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let build = |column: fn(&'static str) -> &'static str| {
        let cols: Vec<&str> = STATE_FIELDS.iter().map(|(c, _)| column(c)).collect();
        format!("SELECT id, reference, {} FROM requests", cols.join(", "))
    };
    match dialect {
        Dialect::Sqlite => SQLITE.get_or_init(|| build(|c| c)),
        Dialect::Postgres => {
            POSTGRES.get_or_init(|| build(pg_state_column).replace(" FROM requests", &format!(" FROM requests {PG_SCHEDULE}")))
        }
    }
}

/// What [`pg_state_column`]'s `sj` is: the row's schedule parsed once (`OFFSET 0` keeps the
/// planner from copying the parse into each of the columns that read it), after `FROM requests`.
const PG_SCHEDULE: &str = "CROSS JOIN LATERAL (SELECT schedule::jsonb AS sj OFFSET 0) sched";

/// A state column as PostgreSQL reads it with the same kind and form as
/// SQLite's `json_extract` (a JSON string as text, `true`/`false` as 1/0, a
/// whole number as an integer; anything else would not match and is read as
/// its JSON text, so the digest still changes with it).
/// The schedule is `sj`, parsed once per row by [`PG_SCHEDULE`].
fn pg_state_column(c: &'static str) -> &'static str {
    match c {
        "json_extract(schedule, '$.extended_due')" => "(sj ->> 'extended_due')",
        "json_extract(schedule, '$.clock_paused')" => {
            "(CASE jsonb_typeof(sj -> 'clock_paused') WHEN 'boolean' THEN (sj -> 'clock_paused')::boolean::int::bigint END)"
        }
        "json_extract(schedule, '$.paused_days')" => {
            "(CASE WHEN jsonb_typeof(sj -> 'paused_days') = 'number' AND (sj ->> 'paused_days') ~ '^-?[0-9]+$' \
             THEN (sj ->> 'paused_days')::bigint END)"
        }
        other => other,
    }
}

/// FNV-1a (64-bit) over parts (each ended by 0xff), finished with fmix64: a column's fingerprint
/// only has to tell which column changed once the SHA-256 digest has said that one did, so it
/// need not be cryptographic, only fixed (it is part of the stored format). A part at a time: a
/// state's fingerprints all begin with the request's id, hashed once per state and then carried
/// on from for each column.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// The part's bytes, then 0xff to end it.
    fn part(self, part: &[u8]) -> Fnv {
        let mut h = self.0;
        for b in part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        Fnv(h.wrapping_mul(0x0000_0100_0000_01b3))
    }

    fn finish(self) -> u64 {
        // FNV's high bits hardly move for a change near the end: finish as
        // MurmurHash3 does (fmix64), so every output bit depends on every input bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A column's value as canonical bytes: its type, then for text and blobs the
/// length and the bytes as stored, so no two values share a form.
fn canonical<'a>(v: ValueRef<'a>, scratch: &'a mut String) -> (&'static [u8], &'a [u8]) {
    use std::fmt::Write;
    scratch.clear();
    match v {
        ValueRef::Null => (b"null", &[]),
        ValueRef::Integer(i) => {
            // Writing into a String cannot fail.
            let _ = write!(scratch, "{i}");
            (b"i", scratch.as_bytes())
        }
        ValueRef::Real(f) => {
            // Writing into a String cannot fail.
            let _ = write!(scratch, "{f:?}");
            (b"r", scratch.as_bytes())
        }
        ValueRef::Text(t) => (b"t", t.as_bytes()),
        ValueRef::Blob(b) => (b"b", b),
    }
}

fn state_from_row(r: &crate::store::Row<'_>) -> Result<RequestState> {
    state_at(r, 0)
}

/// A request's state from a row holding its id, reference and [`STATE_FIELDS`] from column `base` on.
fn state_at(r: &crate::store::Row<'_>, base: usize) -> Result<RequestState> {
    let request_id: String = r.get(base)?;
    let reference: String = r.get(base + 1)?;
    let mut values = [ValueRef::Null; STATE_FIELD_COUNT];
    for (i, v) in values.iter_mut().enumerate() {
        *v = r.value(base + i + 2)?;
    }
    Ok(state_of(request_id, reference, &values))
}

/// How many columns [`STATE_FIELDS`] names.
pub(crate) const STATE_FIELD_COUNT: usize = STATE_FIELDS.len();

/// A request's state from its id, its reference and the values of [`STATE_FIELDS`] in order, as
/// the store reads them back (a writer that knows the row it just wrote gives them itself:
/// the CSV import).
pub(crate) fn state_of(request_id: String, reference: String, values: &[ValueRef<'_>; STATE_FIELD_COUNT]) -> RequestState {
    use sha2::{Digest, Sha256};
    let mut whole = Sha256::new();
    whole.update(request_id.as_bytes());
    whole.update(b"\n");
    let mut fields = String::with_capacity(STATE_FIELD_COUNT * FINGERPRINT_HEX);
    let mut scratch = String::new();
    let mut len = itoa::Buffer::new();
    let id = Fnv::new().part(request_id.as_bytes());
    for ((_, name), value) in STATE_FIELDS.iter().zip(values) {
        let (kind, value) = canonical(*value, &mut scratch);
        push_fingerprint(&mut fields, id.part(name.as_bytes()).part(kind).part(value).finish());
        for part in [name.as_bytes(), b"=", kind, len.format(value.len()).as_bytes(), b":", value, b"\n"] {
            whole.update(part);
        }
    }
    let digest = lower_hex(&whole.finalize());
    RequestState { request_id, reference, digest, fields }
}

/// Appends a column's fingerprint: the top 24 bits of its hash as six lowercase hex digits
/// (as `format!("{:06x}", hash >> 40)` writes them).
fn push_fingerprint(fields: &mut String, hash: u64) {
    for shift in (40..64).step_by(4).rev() {
        fields.push(char::from(HEX_DIGITS[((hash >> shift) & 0xf) as usize]));
    }
}

/// A request's state as its row stands now; `None` when there is no such row.
pub fn request_state<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Option<RequestState>> {
    let conn = conn.into();
    static SQLITE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let once = if conn.dialect() == Dialect::Sqlite { &SQLITE } else { &POSTGRES };
    let sql = once.get_or_init(|| format!("{} WHERE id = ?1", state_select(conn.dialect())));
    conn.query_opt(sql, &[&request_id], state_from_row)
}

/// Every live request's state, in id order.
pub fn request_states<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<RequestState>> {
    let conn = conn.into();
    conn.query_map(&format!("{} ORDER BY id", state_select(conn.dialect())), &[], state_from_row)
}

/// The state sealed last for a request.
pub fn sealed_state<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Option<(i64, RequestState)>> {
    conn.into().query_opt(
        "SELECT seq, request_id, reference, digest, fields FROM audit_states WHERE request_id = ?1 ORDER BY seq DESC LIMIT 1",
        &[&request_id],
        sealed_from_row,
    )
}

fn sealed_from_row(r: &crate::store::Row<'_>) -> Result<(i64, RequestState)> {
    Ok((r.get(0)?, RequestState { request_id: r.get(1)?, reference: r.get(2)?, digest: r.get(3)?, fields: r.get(4)? }))
}

/// Every sealed state, in chain order (then by request id, byte by byte). Read in the table's own
/// order and sorted here: no index keeps them by seq, which every registration would write
/// (migration 31).
pub fn sealed_states<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<(i64, RequestState)>> {
    let mut states = conn.into().query_map("SELECT seq, request_id, reference, digest, fields FROM audit_states", &[], sealed_from_row)?;
    states.sort_unstable_by(|(a, s), (b, t)| a.cmp(b).then_with(|| s.request_id.cmp(&t.request_id)));
    Ok(states)
}

/// The hash a chain row carries over the states it seals (in request id order).
pub fn states_hash<'a>(states: impl IntoIterator<Item = &'a RequestState>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in states {
        for (part, end) in [(&s.request_id, b" "), (&s.reference, b" "), (&s.digest, b" "), (&s.fields, b"\n")] {
            h.update(part.as_bytes());
            h.update(end);
        }
    }
    lower_hex(&h.finalize())
}

/// One event row as read for sealing.
struct Unsealed {
    seq: i64,
    request_id: Option<String>,
    at: String,
    kind: String,
    summary: String,
    data: String,
    actor: String,
}

/// Writes the chain row of one event after `prev`, with the request states it seals.
fn write_seal(conn: Conn<'_>, prev: &str, e: &Unsealed, states: &[RequestState]) -> Result<String> {
    if conn.dialect() == Dialect::Postgres {
        return write_seals(conn, prev, &[(e, states.to_vec())]);
    }
    let request_id = chained_request_id(&e.kind, e.request_id.clone(), &e.data);
    let content = content_hash(&e.summary, &e.data);
    let state = (!states.is_empty()).then(|| states_hash(states));
    let link = Link { seq: e.seq, request_id: request_id.as_deref(), at: &e.at, kind: &e.kind, actor: &e.actor, content: &content };
    write_link(conn, prev, &link, states, state.as_deref())
}

/// What a chain row holds of its event: its number, request, time, kind and actor, and the hash
/// of its words.
struct Link<'a> {
    seq: i64,
    request_id: Option<&'a str>,
    at: &'a str,
    kind: &'a str,
    actor: &'a str,
    content: &'a str,
}

/// Writes one chain row (on the file) after `prev`, with the request states it seals and their
/// hash (`state`); returns its hash.
fn write_link(conn: Conn<'_>, prev: &str, link: &Link<'_>, states: &[RequestState], state: Option<&str>) -> Result<String> {
    let Link { seq, request_id, at, kind, actor, content } = *link;
    let hash = chain_hash(prev, seq, request_id, at, kind, actor, content, state);
    conn.execute(
        "INSERT INTO audit_chain (seq, request_id, at, kind, actor, content_sha256, prev_hash, hash, state_sha256) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[&seq, &request_id, &at, &kind, &actor, &content, &prev, &hash, &state],
    )?;
    for s in states {
        conn.execute(
            "INSERT INTO audit_states (seq, request_id, reference, digest, fields) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[&seq, &s.request_id, &s.reference, &s.digest, &s.fields],
        )?;
    }
    Ok(hash)
}

/// Seals the `registered` events of a bulk registration on the file (the CSV import) as they
/// are written, as [`append`] would seal each, without reading anything back: the chain's last
/// hash is kept here, and the request's state is the row its writer has just inserted (given as
/// [`state_of`] makes it from the values it bound). A `registered` event is its request's first,
/// so its state is always sealed with it. Events appended by other paths in between seal
/// themselves from the stored rows; [`Sealer::resume`] then reads the chain's new last hash.
pub(crate) struct Sealer {
    prev: String,
}

impl Sealer {
    /// Starts after the chain's last row. `conn` must be inside the writing transaction.
    pub(crate) fn start(conn: Conn<'_>) -> Result<Sealer> {
        // Inside `with_seals_deferred`, the pass at its end would seal this sealer's events again.
        if seals_deferred() {
            return Err(crate::error::Error::Internal("a sealer cannot start while seals are deferred".into()));
        }
        Ok(Sealer { prev: last_seal(conn)?.1 })
    }

    /// Goes on after events that other paths appended (and sealed) since the last one sealed here.
    pub(crate) fn resume(&mut self, conn: Conn<'_>) -> Result<()> {
        self.prev = last_seal(conn)?.1;
        Ok(())
    }

    /// Appends the `registered` event of the request whose row was just inserted (its state:
    /// `state`), and seals it; returns its number. `at` is the time as stored (RFC 3339); the
    /// hashes are made ahead ([`Registered::new`]).
    pub(crate) fn append_registered(&mut self, conn: &rusqlite::Connection, event: &Registered, actor: &str) -> Result<i64> {
        let Registered { state, at, summary, data, content, state_hash } = event;
        let kind = EventKind::Registered.as_str();
        conn.prepare_cached(INSERT_EVENT)?.execute(rusqlite::params![state.request_id, at, kind, summary, data, actor])?;
        // `seq` is the table's rowid, and this connection's writes are serial.
        let seq = conn.last_insert_rowid();
        let states = std::slice::from_ref(state);
        let link = Link { seq, request_id: Some(&state.request_id), at, kind, actor, content };
        self.prev = write_link(Conn::from(conn), &self.prev, &link, states, Some(state_hash))?;
        // As `append` logs every event: identifiers and the kind only.
        tracing::info!(request = state.request_id.as_str(), kind, seq, "event appended");
        Ok(seq)
    }
}

/// A `registered` event made ready for [`Sealer::append_registered`], its hashes computed (on
/// whichever thread makes it): the request's state as the row was inserted ([`state_of`]), the
/// time as stored (RFC 3339), the event's words and their hash, and the hash over the state.
pub(crate) struct Registered {
    state: RequestState,
    at: String,
    summary: String,
    data: String,
    content: String,
    state_hash: String,
}

impl Registered {
    pub(crate) fn new(state: RequestState, at: String, summary: String, data: String) -> Registered {
        let content = content_hash(&summary, &data);
        let state_hash = states_hash(std::iter::once(&state));
        Registered { state, at, summary, data, content, state_hash }
    }

    pub(crate) fn at(&self) -> &str {
        &self.at
    }
}

/// Writes the chain rows of `seals` (events in order, each with the request states it seals)
/// after `prev`, as [`write_seal`] one after another would; returns the last hash. On a team
/// register all of them are one statement (one round trip inside the writer lock: audit_states
/// has no foreign key to wait for); on the file, one statement per row.
fn write_seals(conn: Conn<'_>, prev: &str, seals: &[(&Unsealed, Vec<RequestState>)]) -> Result<String> {
    use crate::store::ToValue;
    let mut prev = prev.to_string();
    if conn.dialect() == Dialect::Sqlite {
        for (e, states) in seals {
            prev = write_seal(conn, &prev, e, states)?;
        }
        return Ok(prev);
    }
    struct Link {
        request_id: Option<String>,
        content: String,
        prev: String,
        hash: String,
        state: Option<String>,
    }
    let mut links = Vec::with_capacity(seals.len());
    for (e, states) in seals {
        let request_id = chained_request_id(&e.kind, e.request_id.clone(), &e.data);
        let content = content_hash(&e.summary, &e.data);
        let state = (!states.is_empty()).then(|| states_hash(states));
        let hash = chain_hash(&prev, e.seq, request_id.as_deref(), &e.at, &e.kind, &e.actor, &content, state.as_deref());
        links.push(Link { request_id, content, prev: std::mem::replace(&mut prev, hash.clone()), hash, state });
    }
    let mut params: Vec<&dyn ToValue> = Vec::new();
    let placeholders = |n: usize, params_len: usize| -> String {
        let list: Vec<String> = (1..=n).map(|k| format!("?{}", params_len + k)).collect();
        format!("({})", list.join(", "))
    };
    let mut chain_rows = Vec::with_capacity(seals.len());
    for ((e, _), link) in seals.iter().zip(&links) {
        chain_rows.push(placeholders(9, params.len()));
        params.extend([
            &e.seq as &dyn ToValue,
            &link.request_id,
            &e.at,
            &e.kind,
            &e.actor,
            &link.content,
            &link.prev,
            &link.hash,
            &link.state,
        ]);
    }
    let mut state_rows = Vec::new();
    for (e, states) in seals {
        for s in states {
            state_rows.push(placeholders(5, params.len()));
            params.extend([&e.seq as &dyn ToValue, &s.request_id, &s.reference, &s.digest, &s.fields]);
        }
    }
    let chain = format!(
        "INSERT INTO audit_chain (seq, request_id, at, kind, actor, content_sha256, prev_hash, hash, state_sha256) VALUES {}",
        chain_rows.join(", ")
    );
    let sql = if state_rows.is_empty() {
        chain
    } else {
        format!(
            "WITH sealed_states AS (INSERT INTO audit_states (seq, request_id, reference, digest, fields) VALUES {}) {chain}",
            state_rows.join(", ")
        )
    };
    conn.execute(&sql, &params)?;
    Ok(prev)
}

fn last_seal(conn: Conn<'_>) -> Result<(i64, String)> {
    let last: Option<(i64, String)> =
        conn.query_opt("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1", &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(last.unwrap_or((0, GENESIS_HASH.to_string())))
}

fn unsealed(conn: Conn<'_>, from: i64, to: i64) -> Result<Vec<Unsealed>> {
    conn.query_map(
        "SELECT seq, request_id, at, kind, summary, data, actor FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
        &[&from, &to],
        unsealed_from_row,
    )
}

fn unsealed_from_row(r: &crate::store::Row<'_>) -> Result<Unsealed> {
    unsealed_at(r, 0)
}

/// An event's columns (seq, request_id, at, kind, summary, data, actor) from column `base` on.
fn unsealed_at(r: &crate::store::Row<'_>, base: usize) -> Result<Unsealed> {
    Ok(Unsealed {
        seq: r.get(base)?,
        request_id: r.get(base + 1)?,
        at: r.get(base + 2)?,
        kind: r.get(base + 3)?,
        summary: r.get(base + 4)?,
        data: r.get(base + 5)?,
        actor: r.get(base + 6)?,
    })
}

/// What sealing an event about `request_id` reads, in one query (one round trip to a team
/// register, inside the writer lock): the chain's last row (seq and hash), the state sealed
/// last for the request (digest and fields), and the request's row as it stands (its id,
/// reference and [`STATE_FIELDS`], as [`request_state`] reads them).
fn seal_inputs_select(dialect: Dialect) -> &'static str {
    static SQLITE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match dialect {
        Dialect::Sqlite => SQLITE.get_or_init(|| seal_inputs_sql(|c| c, "requests")),
        Dialect::Postgres => POSTGRES.get_or_init(|| seal_inputs_sql(pg_state_column, &format!("requests {PG_SCHEDULE}"))),
    }
}

/// [`seal_inputs_select`] on a team register with the request's row read from the CTE
/// [`REGISTERED`] that inserted it (returning the whole row): the statement's snapshot does not
/// see a row its own CTE inserted.
fn seal_inputs_of_registered() -> &'static str {
    static POSTGRES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    POSTGRES.get_or_init(|| seal_inputs_sql(pg_state_column, &format!("{REGISTERED} {PG_SCHEDULE}")))
}

/// The name of the CTE a registration's statement inserts its request with, on a team register
/// ([`pg_append_sealed`]).
pub(crate) const REGISTERED: &str = "registered";

fn seal_inputs_sql(column: fn(&'static str) -> &'static str, request_from: &str) -> String {
    let cols: Vec<String> = STATE_FIELDS.iter().enumerate().map(|(i, (c, _))| format!("{} AS f{i}", column(c))).collect();
    format!(
        "SELECT h.seq, h.hash, s.digest, s.fields, r.* FROM (SELECT 1 AS one) o \
         LEFT JOIN (SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1) h ON 1 = 1 \
         LEFT JOIN (SELECT digest, fields FROM audit_states WHERE request_id = ?1 ORDER BY seq DESC LIMIT 1) s ON 1 = 1 \
         LEFT JOIN (SELECT id, reference AS ref, {} FROM {request_from} WHERE id = ?1) r ON 1 = 1",
        cols.join(", ")
    )
}

/// Seals an event as stored (just written, in this transaction): its chain row after the
/// chain's last, and the state of its request if that changed since it was last sealed.
/// One query reads what the seal needs, one statement (two on SQLite, when a state is
/// sealed) writes it.
fn seal_stored(conn: Conn<'_>, event: &Unsealed) -> Result<()> {
    seal_stored_all(conn, std::slice::from_ref(event))
}

/// The chain's last hash, the request's state as it stands now and the state sealed last for
/// it (digest and fields): one query.
type SealInputs = (String, Option<RequestState>, Option<(String, String)>);

fn seal_inputs(conn: Conn<'_>, request_id: Option<&str>) -> Result<SealInputs> {
    conn.query_row(seal_inputs_select(conn.dialect()), &[&request_id], |r| seal_inputs_at(r, 0))
}

/// The columns of [`seal_inputs_select`] read from column `base` on.
fn seal_inputs_at(r: &crate::store::Row<'_>, base: usize) -> Result<SealInputs> {
    let prev: Option<String> = r.get(base + 1)?;
    let last: Option<(String, String)> = match r.get::<Option<String>>(base + 2)? {
        Some(digest) => Some((digest, r.get(base + 3)?)),
        None => None,
    };
    let now = match r.get::<Option<String>>(base + 4)? {
        Some(_) => Some(state_at(r, base + 4)?),
        None => None,
    };
    Ok((prev.unwrap_or_else(|| GENESIS_HASH.to_string()), now, last))
}

/// Seals events just written in this transaction (in order, the last ones of the timeline), as
/// [`seal`] after each would: for events about one request (or none), one query reads what
/// their seals need and one statement writes them (the request's row is not changed between
/// them: its state is sealed with the first, if it changed since it was sealed last).
fn seal_stored_all(conn: Conn<'_>, events: &[Unsealed]) -> Result<()> {
    let Some(first) = events.first() else { return Ok(()) };
    let id = chained_request_id(&first.kind, first.request_id.clone(), &first.data);
    if events.iter().skip(1).any(|e| chained_request_id(&e.kind, e.request_id.clone(), &e.data) != id) {
        for e in events {
            seal_stored(conn, e)?;
        }
        return Ok(());
    }
    let inputs = seal_inputs(conn, id.as_deref())?;
    seal_with(conn, events, inputs)
}

/// [`seal_stored_all`] once its inputs are read.
fn seal_with(conn: Conn<'_>, events: &[Unsealed], (prev, now, mut last): SealInputs) -> Result<()> {
    let mut seals = Vec::with_capacity(events.len());
    for e in events {
        let mut states = Vec::new();
        if let Some(now) = &now {
            let unchanged = last.as_ref().is_some_and(|(digest, fields)| *digest == now.digest && *fields == now.fields);
            if !unchanged {
                states.push(now.clone());
                last = Some((now.digest.clone(), now.fields.clone()));
            }
        }
        seals.push((e, states));
    }
    write_seals(conn, &prev, &seals)?;
    Ok(())
}

/// Appends `events` about one request (or none), in this order, with one statement, and (unless
/// [`with_seals_deferred`] holds them back) seals them as [`append`] would each; returns their
/// numbers. For a write that records several events at once (a registration and its tasks).
pub fn append_all<'a>(
    conn: impl Into<Conn<'a>>,
    request_id: Option<&str>,
    at: DateTime<Utc>,
    actor: &str,
    events: Vec<NewEvent>,
) -> Result<Vec<i64>> {
    append_rows(conn.into(), request_id, &EventRows::new(at, actor, &events))
}

/// Whether [`with_seals_deferred`] holds sealing back on this thread.
pub(crate) fn seals_deferred() -> bool {
    SEALS_DEFERRED.with(std::cell::Cell::get)
}

/// [`append_all`] of events already made into rows.
pub(crate) fn append_rows(conn: Conn<'_>, request_id: Option<&str>, rows: &EventRows) -> Result<Vec<i64>> {
    if rows.texts.is_empty() {
        return Ok(Vec::new());
    }
    let deferred = seals_deferred();
    if request_id.is_some() && conn.dialect() == Dialect::Postgres && !deferred {
        // On a team register the events and what their seals read are one statement (one round
        // trip fewer inside the writer lock). Every event here is about `request_id`, the id the
        // chain links them under.
        return Ok(pg_append_sealed(conn, "", None, false, vec![&request_id], rows, |_| Ok(()))?.1);
    }
    let (insert, params) = rows.insert(2);
    let mut params_all: Vec<&dyn crate::store::ToValue> = vec![&request_id];
    params_all.extend(params);
    let mut stored = conn.query_map(&insert, &params_all, |r| unsealed_at(r, 0))?;
    stored.sort_by_key(|e| e.seq);
    if !deferred {
        seal_stored_all(conn, &stored)?;
    }
    Ok(appended(&stored))
}

/// Events about one request (or none), to be inserted by one statement.
pub(crate) struct EventRows {
    at: String,
    actor: String,
    texts: Vec<(&'static str, String, String)>,
}

impl EventRows {
    pub(crate) fn new(at: DateTime<Utc>, actor: &str, events: &[NewEvent]) -> EventRows {
        let texts = events.iter().map(|e| (e.kind.as_str(), e.summary.clone(), e.data.to_string())).collect();
        EventRows { at: at.to_rfc3339(), actor: actor.to_string(), texts }
    }

    /// Their INSERT (returning what sealing needs) and its parameters: `?1` is the request's id
    /// (the caller's first parameter), `?{first}` on are these.
    fn insert(&self, first: usize) -> (String, Vec<&dyn crate::store::ToValue>) {
        use crate::store::ToValue;
        let (at, actor) = (first, first + 1);
        let mut params: Vec<&dyn ToValue> = vec![&self.at, &self.actor];
        let mut rows = Vec::with_capacity(self.texts.len());
        for (kind, summary, data) in &self.texts {
            let n = first + params.len();
            rows.push(format!("(?1, ?{at}, ?{n}, ?{}, ?{}, ?{actor})", n + 1, n + 2));
            params.extend([kind as &dyn ToValue, summary, data]);
        }
        let sql = format!(
            "INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES {} RETURNING seq, request_id, at, kind, summary, data, actor",
            rows.join(", ")
        );
        (sql, params)
    }
}

/// A team register: appends `rows` about one request (its id `?1` of `params`) and seals them, the
/// events and what their seals read in one statement, their seals in a second. The statement
/// begins with `ctes` (the caller's common table expressions, each followed by a comma, or
/// nothing); `lead`, if given (its select list, its FROM item, the number of its columns), is
/// selected before the events' columns in every row and read by `read_lead` from the first.
/// With `registered`, the request's row is read for its state from the CTE [`REGISTERED`] of
/// `ctes`, which inserted it and returned the whole row (the statement's snapshot does not see a
/// row its own CTE inserted); else from `requests`. What sealing reads is not changed by inserting
/// events (their triggers write only `events_issued` and the change notices), so it is read
/// as a statement after the insert would read it.
pub(crate) fn pg_append_sealed<'p, T>(
    conn: Conn<'_>,
    ctes: &str,
    lead: Option<(&str, &str, usize)>,
    registered: bool,
    mut params: Vec<&'p dyn crate::store::ToValue>,
    rows: &'p EventRows,
    mut read_lead: impl FnMut(&crate::store::Row<'_>) -> Result<T>,
) -> Result<(T, Vec<i64>)> {
    let (insert, event_params) = rows.insert(params.len() + 1);
    params.extend(event_params);
    let inputs_select = if registered { seal_inputs_of_registered() } else { seal_inputs_select(Dialect::Postgres) };
    let (lead_select, lead_from, base) = match lead {
        Some((select, from, n)) => (format!("{select}, "), format!("{from} CROSS JOIN "), n),
        None => (String::new(), String::new(), 0),
    };
    let sql = format!(
        "WITH {ctes} appended AS ({insert}) SELECT {lead_select}a.seq, a.request_id, a.at, a.kind, a.summary, a.data, a.actor, i.* \
         FROM {lead_from}appended a CROSS JOIN ({inputs_select}) i ORDER BY a.seq"
    );
    let (mut led, mut inputs) = (None, None);
    let mut stored = conn.query_map(&sql, &params, |r| {
        if inputs.is_none() {
            led = Some(read_lead(r)?);
            inputs = Some(seal_inputs_at(r, base + 7)?);
        }
        unsealed_at(r, base)
    })?;
    stored.sort_by_key(|e| e.seq);
    let (Some(led), Some(inputs)) = (led, inputs) else {
        return Err(crate::error::Error::Internal("the events appended were not returned".into()));
    };
    seal_with(conn, &stored, inputs)?;
    Ok((led, appended(&stored)))
}

/// The numbers of events just appended, each logged (its kind and number, never its text).
fn appended(stored: &[Unsealed]) -> Vec<i64> {
    for e in stored {
        tracing::info!(request = e.request_id.as_deref().unwrap_or("-"), kind = e.kind.as_str(), seq = e.seq, "event appended");
    }
    stored.iter().map(|e| e.seq).collect()
}

/// Seals event `seq`, which was just written: its chain row, and the state of
/// its request if that changed since it was last sealed. Only this event is
/// sealed: an event that is not sealed was not written by Rightsdesk, and
/// stays unsealed for `verify` to find.
pub fn seal<'a>(conn: impl Into<Conn<'a>>, seq: i64) -> Result<()> {
    let conn = conn.into();
    let Some(event) = unsealed(conn, seq - 1, seq)?.pop() else {
        return Err(crate::error::Error::Internal("the event to seal is not there".into()));
    };
    seal_stored(conn, &event)
}

thread_local! {
    /// Set while [`with_seals_deferred`] runs on this thread: [`append`] writes
    /// events unsealed, and they are sealed together when it ends.
    static SEALS_DEFERRED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `write` with sealing held back, then seals every event it appended, in
/// order, exactly as [`seal`] after each [`append`] would have (the same chain
/// rows, the same request states), in one pass: the chain's last row is read
/// once, and a request's state is compared with the state sealed earlier in
/// the pass without reading it back. For bulk writes (the CSV import) that
/// record each request's events after its last change: the state sealed is
/// the row as it stands at the end. `conn` must be inside a transaction, so
/// nothing is committed unsealed. Nested calls seal once, at the outer end.
pub fn with_seals_deferred<'a, T>(conn: impl Into<Conn<'a>>, write: impl FnOnce() -> Result<T>) -> Result<T> {
    let conn = conn.into();
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SEALS_DEFERRED.with(|d| d.set(self.0));
        }
    }
    let outer = SEALS_DEFERRED.with(|d| d.replace(true));
    let restore = Restore(outer);
    if outer {
        return write();
    }
    let before: i64 = conn.query_row("SELECT COALESCE(max(seq), 0) FROM events", &[], |r| r.get(0))?;
    let value = write()?;
    drop(restore);
    seal_after(conn, before)?;
    Ok(value)
}

/// Seals, in order, every event after `before` (all written unsealed by [`with_seals_deferred`]).
/// The pass writes only the chain, so every request row stays as it is while it runs: a
/// request's state is read and compared once, at its first event in the pass (sealed there if
/// it differs from the state sealed before the pass), and its later events in the pass seal
/// none, as they would find the same state already sealed.
fn seal_after(conn: Conn<'_>, before: i64) -> Result<usize> {
    let (_, mut prev) = last_seal(conn)?;
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let events = unsealed(conn, before, i64::MAX)?;
    for event in &events {
        let mut states = Vec::new();
        if let Some(id) = chained_request_id(&event.kind, event.request_id.clone(), &event.data) {
            if !seen.contains(&id) {
                if let Some(now) = request_state(conn, &id)? {
                    // A request's `registered` event is its first: nothing was sealed for it before
                    // (the bulk import's 50,000 rows skip as many look-ups).
                    let unchanged = event.kind != EventKind::Registered.as_str()
                        && sealed_state(conn, &id)?.is_some_and(|(_, last)| last.digest == now.digest && last.fields == now.fields);
                    if !unchanged {
                        states.push(now);
                    }
                }
                seen.insert(id);
            }
        }
        prev = write_seal(conn, &prev, event, &states)?;
    }
    Ok(events.len())
}

/// Seals, in order and in one pass, every event not sealed yet (after the chain's last row), as
/// [`seal`] of each would (the same chain rows and request states, since sealing changes no
/// request row); returns how many. For events written unsealed in bulk outside the app (the
/// benchmark's generated data sets). `conn` should be inside a transaction.
pub fn seal_pending<'a>(conn: impl Into<Conn<'a>>) -> Result<usize> {
    let conn = conn.into();
    let (last, _) = last_seal(conn)?;
    seal_after(conn, last)
}

/// The kind of the event that records a request row found changed behind
/// Rightsdesk's back just before Rightsdesk changed it.
pub const MISMATCH_KIND: EventKind = EventKind::RequestStateMismatch;

/// Called by every store function that changes a request row, before it does:
/// if the row no longer matches the state sealed last for it, someone changed
/// it behind Rightsdesk's back, and the change about to be made would seal the
/// forged state over the evidence. So the finding is written first, as its own
/// sealed event naming the columns (never their values); `verify` reports it
/// for good. A request never sealed (no state yet) is left to `verify`.
pub fn check_before_change<'a>(conn: impl Into<Conn<'a>>, request_id: &str, at: DateTime<Utc>) -> Result<()> {
    let conn = conn.into();
    let Some((seq, sealed)) = sealed_state(conn, request_id)? else { return Ok(()) };
    let Some(now) = request_state(conn, request_id)? else { return Ok(()) };
    if now.digest == sealed.digest {
        return Ok(());
    }
    let fields = now.differing_fields(&sealed);
    let named = if fields.is_empty() { "a field (not identified)".to_string() } else { fields.join(", ") };
    append(
        conn,
        Some(request_id),
        at,
        "rightsdesk",
        NewEvent {
            kind: MISMATCH_KIND,
            summary: format!(
                "The stored request no longer matched its audit trail (sealed at event {seq}): {named} changed outside Rightsdesk"
            ),
            data: serde_json::json!({ "reference": sealed.reference, "sealed_at": seq, "fields": fields }),
        },
    )?;
    Ok(())
}

/// The kind of the event that sealed every request's state when the trail
/// began to cover the register (migration 13).
pub const BASELINE_KIND: EventKind = EventKind::AuditBaseline;

/// Migration 13, in its transaction: seals the events written before the
/// chain existed (only if the chain is still empty: otherwise the first write
/// after migration 3 sealed them, and a row in `audit_legacy` can only be a
/// forgery), drops `audit_legacy`, and seals the current state of every
/// request as the baseline.
pub(crate) fn upgrade_to_request_states(sqlite: &rusqlite::Connection) -> Result<()> {
    use rusqlite::params;
    let conn = Conn::from(sqlite);
    let (last_seq, mut prev) = last_seal(conn)?;
    if last_seq == 0 {
        let upto: i64 = sqlite.query_row("SELECT COALESCE(max(upto), 0) FROM audit_legacy", [], |r| r.get(0))?;
        for e in unsealed(conn, 0, upto)? {
            prev = write_seal(conn, &prev, &e, &[])?;
        }
    }
    sqlite.execute_batch("DROP TABLE audit_legacy;")?;
    let states = request_states(conn)?;
    if states.is_empty() {
        return Ok(());
    }
    let at = crate::clock::Clock::now(&crate::clock::SystemClock);
    sqlite
        .prepare_cached("INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES (NULL, ?1, ?2, ?3, ?4, 'rightsdesk')")?
        .execute(params![
        at.to_rfc3339(),
        BASELINE_KIND.as_str(),
        format!("The audit trail now covers the register's rows: {} requests sealed as they stood", states.len()),
        serde_json::json!({ "requests": states.len() }).to_string(),
    ])?;
    let seq = sqlite.last_insert_rowid();
    let event = unsealed(conn, seq - 1, seq)?.pop().ok_or_else(|| crate::error::Error::Internal("baseline event missing".into()))?;
    write_seal(conn, &prev, &event, &states)?;
    Ok(())
}

/// The baseline (migration 13), if the register had requests then: its event
/// number and time. States of requests before it are covered from it on.
pub fn baseline<'a>(conn: impl Into<Conn<'a>>) -> Result<Option<(i64, String)>> {
    conn.into().query_opt("SELECT seq, at FROM audit_chain WHERE kind = ?1 ORDER BY seq LIMIT 1", &[&BASELINE_KIND.as_str()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// The whole audit chain, in order.
pub fn chain<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<ChainRow>> {
    conn.into().query_map(
        "SELECT seq, request_id, at, kind, actor, content_sha256, prev_hash, hash, state_sha256 FROM audit_chain ORDER BY seq",
        &[],
        |r| {
            Ok(ChainRow {
                seq: r.get(0)?,
                request_id: r.get(1)?,
                at: r.get(2)?,
                kind: r.get(3)?,
                actor: r.get(4)?,
                content_sha256: r.get(5)?,
                prev_hash: r.get(6)?,
                hash: r.get(7)?,
                state_sha256: r.get(8)?,
            })
        },
    )
}

/// An event row as stored, for comparison with its seal.
#[derive(Debug, Clone)]
pub struct RawEvent {
    pub seq: i64,
    pub request_id: Option<String>,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub content_sha256: String,
    /// The request named by the row for the chain (see `chained_request_id`).
    pub chained_request_id: Option<String>,
    /// Set when the retention purge redacted the event's words.
    pub redacted: bool,
    pub summary_tail_is_redaction: bool,
}

/// Every event row, in order, with the hash of its words.
pub fn raw_events<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<RawEvent>> {
    conn.into().query_map(
        "SELECT seq, request_id, at, kind, summary, data, actor, redacted_at IS NOT NULL FROM events ORDER BY seq",
        &[],
        |r| {
            let request_id: Option<String> = r.get(1)?;
            let kind: String = r.get(3)?;
            let summary: String = r.get(4)?;
            let data: String = r.get(5)?;
            Ok(RawEvent {
                seq: r.get(0)?,
                chained_request_id: chained_request_id(&kind, request_id.clone(), &data),
                request_id,
                at: r.get(2)?,
                kind,
                actor: r.get(6)?,
                redacted: r.get(7)?,
                summary_tail_is_redaction: summary.ends_with("removed under the retention policy")
                    || summary.ends_with("removed under the retention policy)"),
                content_sha256: content_hash(&summary, &data),
            })
        },
    )
}

/// The highest event number ever handed out by a committed write (SQLite's
/// AUTOINCREMENT record, PostgreSQL's `events_issued`), so that removing the
/// newest events and their seals is noticed too.
pub fn highest_seq_issued<'a>(conn: impl Into<Conn<'a>>) -> Result<i64> {
    let conn = conn.into();
    let sql = match conn.dialect() {
        Dialect::Sqlite => "SELECT seq FROM sqlite_sequence WHERE name = 'events'",
        // Kept by the events' insert trigger in the appending transaction (migration 5), so a
        // rolled-back write leaves it as it was; the identity sequence would not.
        Dialect::Postgres => "SELECT seq FROM events_issued",
    };
    Ok(conn.query_opt(sql, &[], |r| r.get(0))?.unwrap_or(0))
}

/// Whether the record [`highest_seq_issued`] reads is there. On SQLite a register
/// that never held an event has none; a team register always has `events_issued`'s one
/// row (migration 5 puts it there, and only a superuser can remove it): without it,
/// newest events cut off the trail could not be noticed.
pub fn issued_recorded<'a>(conn: impl Into<Conn<'a>>) -> Result<bool> {
    let conn = conn.into();
    match conn.dialect() {
        Dialect::Sqlite => Ok(true),
        Dialect::Postgres => Ok(conn.query_opt("SELECT 1 FROM events_issued", &[], |_| Ok(()))?.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored format of a request's state, written out the slow way (as Rightsdesk wrote it
    /// until the import computed states itself): what every register already sealed must keep
    /// verifying against.
    fn state_as_first_written(request_id: &str, values: &[ValueRef<'_>]) -> (String, String) {
        use sha2::{Digest, Sha256};
        use std::fmt::Write;
        let fnv1a = |parts: &[&[u8]]| -> u64 {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for part in parts {
                for b in *part {
                    h ^= u64::from(*b);
                    h = h.wrapping_mul(0x0000_0100_0000_01b3);
                }
                h ^= 0xff;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            h ^ (h >> 33)
        };
        let mut whole = Sha256::new();
        whole.update(request_id.as_bytes());
        whole.update(b"\n");
        let mut fields = String::new();
        for ((_, name), value) in STATE_FIELDS.iter().zip(values) {
            let (kind, bytes): (&[u8], Vec<u8>) = match value {
                ValueRef::Null => (b"null", Vec::new()),
                ValueRef::Integer(i) => (b"i", i.to_string().into_bytes()),
                ValueRef::Real(f) => (b"r", format!("{f:?}").into_bytes()),
                ValueRef::Text(t) => (b"t", t.as_bytes().to_vec()),
                ValueRef::Blob(b) => (b"b", b.to_vec()),
            };
            write!(fields, "{:06x}", fnv1a(&[request_id.as_bytes(), name.as_bytes(), kind, &bytes]) >> 40).unwrap();
            whole.update(format!("{name}={}{}:", String::from_utf8_lossy(kind), bytes.len()).as_bytes());
            whole.update(&bytes);
            whole.update(b"\n");
        }
        (hex::encode(whole.finalize()), fields)
    }

    #[test]
    fn a_state_is_hashed_in_the_format_registers_were_sealed_in() {
        let kinds = [
            ValueRef::Null,
            ValueRef::Integer(-1234567),
            ValueRef::Integer(0),
            ValueRef::Real(2.5),
            ValueRef::Text(""),
            ValueRef::Text("Zoë Müller <zoe@example.org>"),
            ValueRef::Blob(&[0, 255, 7]),
        ];
        for shift in 0..kinds.len() {
            let mut values = [ValueRef::Null; STATE_FIELD_COUNT];
            for (i, v) in values.iter_mut().enumerate() {
                *v = kinds[(i + shift) % kinds.len()];
            }
            let id = format!("019a2c4e-0000-7000-8000-00000000000{shift}");
            let state = state_of(id.clone(), "DSR-2026-0001".into(), &values);
            let (digest, fields) = state_as_first_written(&id, &values);
            assert_eq!((state.digest, state.fields), (digest, fields), "values shifted by {shift}");
        }
    }

    #[test]
    fn chain_rows_and_sealed_states_hash_in_the_format_registers_were_sealed_in() {
        // As first written: the fields one per line after the previous hash, then the states' hash.
        for (request_id, state) in [(Some("019a-id"), Some("ab12")), (None, None), (Some(""), None)] {
            let mut text = format!("prev\n42\n{}\n2026-12-05T10:00:00+00:00\nregistered\nofficer\ncontent", request_id.unwrap_or(""));
            if let Some(state) = state {
                text.push_str(&format!("\nstate {state}"));
            }
            let hash = chain_hash("prev", 42, request_id, "2026-12-05T10:00:00+00:00", "registered", "officer", "content", state);
            assert_eq!(hash, sha256_hex(text.as_bytes()));
        }
        let states: Vec<RequestState> = (0..3)
            .map(|i| RequestState {
                request_id: format!("id{i}"),
                reference: format!("DSR-2026-000{i}"),
                digest: "d".repeat(i),
                fields: "f0".into(),
            })
            .collect();
        let text: String = states.iter().map(|s| format!("{} {} {} {}\n", s.request_id, s.reference, s.digest, s.fields)).collect();
        assert_eq!(states_hash(&states), sha256_hex(text.as_bytes()));
        assert_eq!(states_hash(&states[..0]), sha256_hex(b""));
    }

    #[test]
    fn hashes_are_written_as_lowercase_hex() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(lower_hex(&bytes), hex::encode(&bytes));
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
