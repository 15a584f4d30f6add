//! The PostgreSQL side of the store interface: [`PgDb`] (a pool of sessions, their
//! transactions) and [`PgTx`] (what a [`super::Conn`] runs its SQL on).
//!
//! A writing transaction is `READ COMMITTED` and takes the transaction-level
//! advisory lock [`WRITER_LOCK`] before anything else, so writers of every
//! client of one team database run one after another, as SQLite's IMMEDIATE
//! transactions do: a reference is counted, an audit link chained, a value
//! read and written back, each by one writer at a time, and every statement
//! sees what the writer before committed. Readers take no lock and read one
//! `REPEATABLE READ` snapshot.
//!
//! Each transaction runs on a session of the register's pool ([`r2d2`], at most
//! [`SESSIONS`]): the app's window and its background jobs read side by side, and
//! a writer waits for the writer lock on its own session, not for another thread's
//! read. A session keeps its prepared statements. One that is handed back inside a
//! transaction (a panic in it) or whose connection is gone is dropped, never handed
//! out again: the server rolls back what it had begun, and the next transaction runs
//! on a new session opened with the same address and password.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use zeroize::Zeroizing;

use super::{ToValue, ValueRef};
use crate::error::{Error, Result};
use crate::store::pg::PgUrl;

/// The advisory lock every writing transaction takes first: "RDWRITER".
pub const WRITER_LOCK: i64 = 0x5244_5752_4954_4552;

const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(5927959020455609682)";
/// [`PgDb::read_then_write`]: the transaction begins without the lock, which is taken after its reads.
const BEGIN_READ_COMMITTED: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";
const TAKE_WRITER_LOCK: &str = "SELECT pg_advisory_xact_lock(5927959020455609682)";
/// Prepared statements a session keeps at most.
const STATEMENTS_KEPT: usize = 512;
const BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The sessions one register (one window, one CLI run) opens at most. A team of ten
/// keeps well within a server's default `max_connections` (100).
pub const SESSIONS: u32 = 4;
/// How long a transaction waits for a session while all are in use before it fails.
const SESSION_WAIT: Duration = Duration::from_secs(60);
/// How often a waiting transaction looks whether opening a session failed meanwhile: a server
/// that refuses or cannot be reached fails the click within this, not after [`SESSION_WAIT`].
const SESSION_LOOK: Duration = Duration::from_millis(100);
/// After a failure to open a session the pool tries again in the background, sooner at first,
/// then every this long: a waiting transaction learns within it whether the server is (still)
/// down, and the register is back within it once the server is.
const RETRY_AT_MOST: Duration = Duration::from_secs(1);

/// A team register on PostgreSQL: a pool of sessions (connections) and their
/// transactions; share it between threads as [`super::Db`] is shared.
pub struct PgDb {
    pool: r2d2::Pool<Sessions>,
    door: Arc<Door>,
}

/// A session: its client and its prepared statements.
struct Session {
    client: postgres::Client,
    /// Prepared statements by their portable SQL: one round trip per statement after the first.
    statements: HashMap<String, postgres::Statement>,
    /// Between `BEGIN` and its `COMMIT` or `ROLLBACK`: a session handed back so was left by a
    /// panic, and is dropped (closing it rolls back) instead of being handed out again.
    in_transaction: bool,
}

/// How the pool opens its sessions: the first is the one the register was opened with; the
/// others connect to the same address with the same password (none for [`PgDb::new`]).
struct Door {
    first: Mutex<Option<postgres::Client>>,
    again: Option<(PgUrl, Option<Zeroizing<String>>)>,
    /// [`PgDb::new`]'s one session was dropped: there is no other.
    spent: AtomicBool,
    /// The last failure to open a session (the server down, unreachable, refusing), and when;
    /// cleared by the next session opened. The pool goes on trying in the background.
    refused: Mutex<Option<Refusal>>,
}

/// A failure to open a session, kept for the transactions waiting for one.
struct Refusal {
    at: Instant,
    sqlstate: String,
    message: String,
}

impl Refusal {
    fn error(&self) -> Error {
        Error::Postgres { sqlstate: self.sqlstate.clone(), message: self.message.clone() }
    }
}

impl Door {
    fn refused(&self) -> std::sync::MutexGuard<'_, Option<Refusal>> {
        self.refused.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The pool's [`r2d2::ManageConnection`].
struct Sessions(Arc<Door>);

impl r2d2::ManageConnection for Sessions {
    type Connection = Session;
    type Error = Error;

    fn connect(&self) -> Result<Session> {
        let door = &self.0;
        let first = door.first.lock().unwrap_or_else(|p| p.into_inner()).take();
        let client = match (first, &door.again) {
            (Some(client), _) => Ok(client),
            (None, Some((url, password))) => crate::store::pg::connect(url, password.as_ref().map(|p| p.as_str())),
            (None, None) => Err(closed()),
        };
        let client = match client {
            Ok(client) => client,
            Err(e) => {
                // What a waiting transaction reports; the pool's own copy goes nowhere.
                let (sqlstate, message) = match &e {
                    Error::Postgres { sqlstate, message } => (sqlstate.clone(), message.clone()),
                    other => (String::new(), other.to_string()),
                };
                *door.refused() = Some(Refusal { at: Instant::now(), sqlstate, message });
                return Err(e);
            }
        };
        *door.refused() = None;
        Ok(Session { client, statements: HashMap::new(), in_transaction: false })
    }

    /// Not called at check-out ([`r2d2::Builder::test_on_check_out`] is off: that would be a round
    /// trip before every transaction); a lost connection shows at its `BEGIN` (see [`PgDb::transaction`]).
    fn is_valid(&self, session: &mut Session) -> Result<()> {
        Ok(session.client.batch_execute("")?)
    }

    fn has_broken(&self, session: &mut Session) -> bool {
        let broken = session.in_transaction || session.client.is_closed();
        if broken && self.0.again.is_none() {
            self.0.spent.store(true, Ordering::SeqCst);
        }
        broken
    }
}

/// Whether `e` says the session's connection is gone: closed, or ended by the server
/// (SQLSTATE class 57P, operator intervention, or 08, connection exception).
fn lost(client: &postgres::Client, e: &postgres::Error) -> bool {
    client.is_closed() || e.is_closed() || e.code().is_some_and(|c| c.code().starts_with("57P") || c.code().starts_with("08"))
}

fn closed() -> Error {
    Error::Postgres {
        sqlstate: String::new(),
        message: "the connection to the team database was closed after a failure; connect again".into(),
    }
}

impl fmt::Debug for PgDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgDb").finish_non_exhaustive()
    }
}

impl PgDb {
    /// A register on one connected client and no other session (tests that hold a client): once
    /// that session is lost, every transaction fails asking to connect again.
    pub fn new(client: postgres::Client) -> PgDb {
        PgDb::pool(client, None, 1)
    }

    /// A register whose first session is `client`, connected to `url` with `password`; the pool
    /// opens up to [`SESSIONS`] with the same, as the threads using it need them.
    pub fn pooled(client: postgres::Client, url: &PgUrl, password: Option<&str>) -> PgDb {
        PgDb::pool(client, Some((url.clone(), password.map(|p| Zeroizing::new(p.to_owned())))), SESSIONS)
    }

    /// Connects to `url` as its user with `password` ([`crate::store::pg::connect`]: nothing is
    /// checked about the schema) and pools the sessions.
    pub fn connect(url: &PgUrl, password: Option<&str>) -> Result<PgDb> {
        Ok(PgDb::pooled(crate::store::pg::connect(url, password)?, url, password))
    }

    /// Connects to the team register at `url` (its password from where
    /// `store::pg::url::password` finds one), checks its schema, and pools the sessions.
    pub fn open(url: &PgUrl, secrets: &dyn crate::secrets::SecretStore) -> Result<PgDb> {
        let (client, password) = crate::store::pg::connect::open_with_password(url, secrets)?;
        Ok(PgDb::pool(client, Some((url.clone(), password)), SESSIONS))
    }

    fn pool(client: postgres::Client, again: Option<(PgUrl, Option<Zeroizing<String>>)>, max: u32) -> PgDb {
        let door = Arc::new(Door { first: Mutex::new(Some(client)), again, spent: AtomicBool::new(false), refused: Mutex::new(None) });
        let pool = r2d2::Pool::builder()
            .max_size(max)
            // Opened when a transaction finds none idle (a CLI run keeps its one), and kept.
            .min_idle(Some(0))
            .idle_timeout(None)
            .max_lifetime(None)
            .test_on_check_out(false)
            // r2d2 waits up to half this between tries to open a session; its own wait for a
            // session is not used (see `session`).
            .connection_timeout(2 * RETRY_AT_MOST)
            // A failure to connect reaches the caller as the error of its transaction.
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(Sessions(door.clone()));
        PgDb { pool, door }
    }

    /// Runs `f` in one writing transaction, after every writer before it
    /// ([`WRITER_LOCK`]); commits if `f` returns Ok, rolls back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&PgTx) -> Result<T>) -> Result<T> {
        self.transaction(BEGIN_WRITE, f)
    }

    /// Runs `read`, then takes the writer lock and runs `write`, in one `READ COMMITTED`
    /// transaction: what `read` reads is what was committed when each of its statements ran, as
    /// a read-only transaction before the write would have seen it, but other writers do not
    /// wait for it; `write` runs as in [`PgDb::write`]. One transaction instead of two saves the
    /// read's commit and a begin (a registration reads the time zone, the deadline options and
    /// the data map first). Commits if both return Ok, rolls back otherwise.
    pub fn read_then_write<R, T>(&self, read: impl FnOnce(&PgTx) -> Result<R>, write: impl FnOnce(&PgTx, R) -> Result<T>) -> Result<T> {
        self.transaction(BEGIN_READ_COMMITTED, |tx| {
            let value = read(tx)?;
            tx.execute_batch(TAKE_WRITER_LOCK)?;
            write(tx, value)
        })
    }

    /// Runs `f` on one snapshot (`REPEATABLE READ READ ONLY`); a write through it is refused by the server.
    pub fn read<T>(&self, f: impl FnOnce(&PgTx) -> Result<T>) -> Result<T> {
        self.transaction(BEGIN_READ, f)
    }

    /// A session of the pool: an idle one, or a new one while fewer than the pool's size are
    /// open. Waits up to [`SESSION_WAIT`] while all are in use; fails with the reason as soon as
    /// opening a session failed after it began to wait (the pool's tries are at most
    /// [`RETRY_AT_MOST`] apart, so a server that is down fails a click within about that).
    fn session(&self) -> Result<r2d2::PooledConnection<Sessions>> {
        if self.door.spent.load(Ordering::SeqCst) {
            return Err(closed());
        }
        let asked = Instant::now();
        loop {
            let e = match self.pool.get_timeout(SESSION_LOOK) {
                Ok(session) => return Ok(session),
                Err(e) => e,
            };
            if let Some(refusal) = self.door.refused().as_ref().filter(|r| r.at >= asked) {
                return Err(refusal.error());
            }
            if asked.elapsed() >= SESSION_WAIT {
                return Err(Error::Postgres {
                    sqlstate: String::new(),
                    message: format!("no session to the team database within {} s ({e})", SESSION_WAIT.as_secs()),
                });
            }
        }
    }

    fn transaction<T>(&self, begin: &str, f: impl FnOnce(&PgTx) -> Result<T>) -> Result<T> {
        let mut session = self.session()?;
        let mut tries = 0;
        loop {
            session.in_transaction = true;
            match session.client.batch_execute(begin) {
                Ok(()) => break,
                // The session's connection was gone (the server restarted or ended it, an idle
                // connection was cut) before anything of this transaction ran: the pool drops it
                // (it is marked as inside a transaction), and the transaction begins on another.
                Err(e) if lost(&session.client, &e) && tries < SESSIONS => {
                    tries += 1;
                    drop(session);
                    session = self.session()?;
                }
                Err(e) => {
                    session.in_transaction = session.client.batch_execute("ROLLBACK").is_err();
                    return Err(e.into());
                }
            }
        }
        let tx = PgTx { session: RefCell::new(session) };
        let result = f(&tx).and_then(|value| tx.execute_batch("COMMIT").map(|()| value));
        let mut session = tx.session.into_inner();
        if result.is_err() {
            // Nothing of it stays; after a failed COMMIT the server has rolled back already. A
            // session whose ROLLBACK fails is left marked, and the pool drops it.
            if session.client.batch_execute("ROLLBACK").is_err() {
                return result;
            }
        }
        session.in_transaction = false;
        result
    }
}

/// A transaction on PostgreSQL, open for the length of a [`PgDb::write`] or [`PgDb::read`].
pub struct PgTx {
    session: RefCell<r2d2::PooledConnection<Sessions>>,
}

impl PgTx {
    fn with<T>(&self, sql: &str, run: impl FnOnce(&mut postgres::Client, &postgres::Statement) -> Result<T, postgres::Error>) -> Result<T> {
        let mut session = self.session.borrow_mut();
        let Session { client, statements, .. } = &mut **session;
        let statement = match statements.get(sql) {
            Some(s) => s.clone(),
            None => {
                if statements.len() >= STATEMENTS_KEPT {
                    // SQL built at run time (lists of ids...) would grow the cache without end.
                    statements.clear();
                }
                let s = client.prepare(&super::sql::to_postgres(sql))?;
                statements.insert(sql.to_owned(), s.clone());
                s
            }
        };
        Ok(run(client, &statement)?)
    }

    pub(super) fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<usize> {
        let args = args(params);
        let n = self.with(sql, |client, statement| client.execute(statement, &arg_refs(&args)))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn query(&self, sql: &str, params: &[&dyn ToValue]) -> Result<Vec<postgres::Row>> {
        let args = args(params);
        self.with(sql, |client, statement| client.query(statement, &arg_refs(&args)))
    }

    pub(super) fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.session.borrow_mut().client.batch_execute(sql)?)
    }

    /// The types of `table`'s `columns`, in their order, when every one is a built-in type
    /// ([`PgTx::copy_in`] writes those); `None` otherwise.
    pub(crate) fn column_types(&self, table: &str, columns: &[String]) -> Result<Option<Vec<Type>>> {
        let rows = self.query(
            "SELECT a.attname::text, a.atttypid::bigint FROM pg_attribute a \
             WHERE a.attrelid = to_regclass(?1) AND a.attnum > 0 AND NOT a.attisdropped",
            &[&table],
        )?;
        let mut types = Vec::with_capacity(columns.len());
        for column in columns {
            let oid = rows.iter().find(|r| r.get::<_, &str>(0) == column.as_str()).map(|r| r.get::<_, i64>(1));
            match oid.and_then(|o| u32::try_from(o).ok()).and_then(Type::from_oid) {
                Some(t) => types.push(t),
                None => return Ok(None),
            }
        }
        Ok(Some(types))
    }

    /// Runs `copy` (a `COPY … FROM STDIN (FORMAT binary)` naming columns of `types`) fed by
    /// `rows`, which calls its argument once per row, each value written as [`PgTx::execute`]
    /// would bind it (the same checks of its type). The rows stream to the server as they are
    /// read, where a batch of `INSERT`s waits for each batch's round trip; row triggers fire as
    /// for an `INSERT`. Returns the rows the server took. A row refused, or an error of `rows`,
    /// ends the copy; the transaction then fails as a whole.
    pub(crate) fn copy_in(
        &self,
        copy: &str,
        types: &[Type],
        rows: impl FnOnce(&mut dyn FnMut(&[&dyn ToValue]) -> Result<()>) -> Result<()>,
    ) -> Result<u64> {
        let mut session = self.session.borrow_mut();
        let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(session.client.copy_in(copy)?, types);
        rows(&mut |values| {
            let args = args(values);
            Ok(writer.write(&arg_refs(&args))?)
        })?;
        Ok(writer.finish()?)
    }
}

fn args<'p>(params: &'p [&'p dyn ToValue]) -> Vec<Arg<'p>> {
    params.iter().map(|p| Arg(p.to_value())).collect()
}

fn arg_refs<'a>(args: &'a [Arg<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

/// A parameter written as the column's type asks: an integer into `int2`,
/// `int4`, `int8`, `bool` or a float; text into text, `json` or `jsonb`.
#[derive(Debug)]
struct Arg<'a>(ValueRef<'a>);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Arg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let refused = || -> BoxError { format!("a {} value for a column of type {ty}", self.0.kind()).into() };
        match self.0 {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                _ => Err(refused()),
            },
            ValueRef::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                _ => Err(refused()),
            },
            ValueRef::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => s.to_sql(ty, out),
                Type::JSON => {
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                _ => Err(refused()),
            },
            ValueRef::Blob(b) => match *ty {
                Type::BYTEA => b.to_sql(ty, out),
                _ => Err(refused()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A column's value as one of the interface's five kinds.
pub(super) struct Raw<'a>(pub(super) ValueRef<'a>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Raw(match *ty {
            Type::INT8 => ValueRef::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => ValueRef::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => ValueRef::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::BOOL => ValueRef::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::BYTEA => ValueRef::Blob(raw),
            Type::NUMERIC => numeric(raw)?,
            Type::JSON => ValueRef::Text(std::str::from_utf8(raw)?),
            Type::JSONB => match raw.split_first() {
                Some((1, text)) => ValueRef::Text(std::str::from_utf8(text)?),
                _ => return Err("a jsonb value of an unknown version".into()),
            },
            _ => ValueRef::Text(<&str>::from_sql(ty, raw)?),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Raw(ValueRef::Null))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::FLOAT4
                | Type::BYTEA
                | Type::NUMERIC
                | Type::JSON
                | Type::JSONB
                | Type::TEXT
                | Type::VARCHAR
                | Type::BPCHAR
                | Type::NAME
                | Type::UNKNOWN
        )
    }
}

/// A `numeric` (what PostgreSQL's `sum` of a bigint and `avg` give): an integer
/// when it is a whole number that fits, a real otherwise. Binary format: digit
/// count, weight (of the first base-10000 digit), sign, display scale, digits.
fn numeric(raw: &[u8]) -> Result<ValueRef<'static>, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        raw.get(2 * i..2 * i + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or_else(|| "a numeric value cut short".into())
    };
    let (ndigits, weight, sign) = (usize::from(word(0)?), i32::from(word(1)? as i16), word(2)?);
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => return Ok(ValueRef::Real(f64::NAN)),
        _ => return Err("a numeric value that is not a number".into()),
    }
    let (mut whole, mut real, mut fraction) = (Some(0i64), 0f64, false);
    for i in 0..ndigits {
        let digit = word(4 + i)?;
        let power = weight - i32::try_from(i).unwrap_or(i32::MAX);
        real += f64::from(digit) * 10000f64.powi(power);
        if power < 0 {
            fraction |= digit != 0;
        } else {
            let scale = u32::try_from(power).ok().and_then(|p| 10000i64.checked_pow(p));
            whole = whole.and_then(|w| scale.and_then(|s| i64::from(digit).checked_mul(s)).and_then(|d| w.checked_add(d)));
        }
    }
    let negative = sign == 0x4000;
    Ok(match whole {
        Some(w) if !fraction => ValueRef::Integer(if negative { -w } else { w }),
        _ => ValueRef::Real(if negative { -real } else { real }),
    })
}

/// A column that could not be read: named by index or name and its type, never its value.
pub(super) fn unreadable(col: impl fmt::Display, e: postgres::Error) -> Error {
    Error::Internal(format!("column {col} could not be read: {e}"))
}

/// The server's error by its SQLSTATE and message. The server's DETAIL (which
/// may quote a row's values) is left out, and so is the message of a data
/// exception (class 22, which may quote the value refused).
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        match e.as_db_error() {
            Some(db) => {
                let sqlstate = db.code().code().to_owned();
                let message =
                    if sqlstate.starts_with("22") { "a value was refused by the server".to_owned() } else { db.message().to_owned() };
                Error::Postgres { sqlstate, message }
            }
            None => Error::Postgres { sqlstate: String::new(), message: e.to_string() },
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_writers_begin_takes_the_writer_lock() {
        assert!(super::BEGIN_WRITE.ends_with(&format!("pg_advisory_xact_lock({})", super::WRITER_LOCK)));
        assert_eq!(super::TAKE_WRITER_LOCK, format!("SELECT pg_advisory_xact_lock({})", super::WRITER_LOCK));
    }
}
