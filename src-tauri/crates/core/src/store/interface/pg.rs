//! The PostgreSQL side of the store interface: [`PgDb`] (one session, its
//! transactions) and [`PgTx`] (what a [`super::Conn`] runs its SQL on).
//!
//! A writing transaction is `READ COMMITTED` and takes the transaction-level
//! advisory lock [`WRITER_LOCK`] before anything else, so writers of every
//! client of one team database run one after another, as SQLite's IMMEDIATE
//! transactions do: a reference is counted, an audit link chained, a value
//! read and written back, each by one writer at a time, and every statement
//! sees what the writer before committed. Readers take no lock and read one
//! `REPEATABLE READ` snapshot.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type};

use super::{ToValue, ValueRef};
use crate::error::{Error, Result};

/// The advisory lock every writing transaction takes first: "RDWRITER".
pub const WRITER_LOCK: i64 = 0x5244_5752_4954_4552;

const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(5927959020455609682)";
/// [`PgDb::read_then_write`]: the transaction begins without the lock, which is taken after its reads.
const BEGIN_READ_COMMITTED: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";
const TAKE_WRITER_LOCK: &str = "SELECT pg_advisory_xact_lock(5927959020455609682)";
/// Prepared statements a session keeps at most.
const STATEMENTS_KEPT: usize = 512;
const BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// A team register on PostgreSQL: one session (connection) and its
/// transactions; share it between threads as [`super::Db`] is shared.
pub struct PgDb {
    /// `None` once a transaction panicked: its connection was dropped (the
    /// server rolled back) and this handle is done.
    session: Mutex<Option<Box<Session>>>,
}

struct Session {
    client: postgres::Client,
    /// Prepared statements by their portable SQL: one round trip per statement after the first.
    statements: HashMap<String, postgres::Statement>,
}

impl fmt::Debug for PgDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgDb").finish_non_exhaustive()
    }
}

impl PgDb {
    /// A register on a connected client (the team register's connect gives it).
    pub fn new(client: postgres::Client) -> PgDb {
        PgDb { session: Mutex::new(Some(Box::new(Session { client, statements: HashMap::new() }))) }
    }

    /// Connects to the team register at `url` (its password from where
    /// `store::pg::url::password` finds one), checks its schema, and wraps the client.
    pub fn open(url: &crate::store::pg::PgUrl, secrets: &dyn crate::secrets::SecretStore) -> Result<PgDb> {
        Ok(PgDb::new(crate::store::pg::open(url, secrets)?))
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

    fn transaction<T>(&self, begin: &str, f: impl FnOnce(&PgTx) -> Result<T>) -> Result<T> {
        let mut held = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let session = held.take().ok_or_else(|| Error::Postgres {
            sqlstate: String::new(),
            message: "the connection to the team database was closed after a failure; connect again".into(),
        })?;
        let tx = PgTx { session: RefCell::new(session) };
        let result = tx.execute_batch(begin).and_then(|()| f(&tx)).and_then(|value| tx.execute_batch("COMMIT").map(|()| value));
        if result.is_err() {
            // Nothing of it stays; after a failed COMMIT the server has rolled back already.
            let _ = tx.execute_batch("ROLLBACK");
        }
        *held = Some(tx.session.into_inner());
        result
    }
}

/// A transaction on PostgreSQL, open for the length of a [`PgDb::write`] or [`PgDb::read`].
pub struct PgTx {
    session: RefCell<Box<Session>>,
}

impl PgTx {
    fn with<T>(&self, sql: &str, run: impl FnOnce(&mut postgres::Client, &postgres::Statement) -> Result<T, postgres::Error>) -> Result<T> {
        let mut session = self.session.borrow_mut();
        let Session { client, statements } = &mut **session;
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
