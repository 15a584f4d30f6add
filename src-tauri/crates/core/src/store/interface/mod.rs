//! The store interface (issue 18): what a service takes instead of a
//! `rusqlite::Connection`, so that one set of services runs on the local
//! SQLite file and on a team's PostgreSQL database alike.
//!
//! - [`Store`] is the register a service opens a transaction on: a SQLite
//!   [`Db`] or a PostgreSQL [`PgDb`]. `Store::write` is one transaction that
//!   keeps references and the audit chain serial (SQLite: IMMEDIATE;
//!   PostgreSQL: `pg_advisory_xact_lock` on [`pg::WRITER_LOCK`] first),
//!   `Store::read` one consistent snapshot.
//! - [`Conn`] is what a service function takes inside such a transaction
//!   (`impl Into<Conn<'a>>`, so `&rusqlite::Connection` and
//!   `&rusqlite::Transaction` callers keep working unchanged). It has the few
//!   calls services use: [`Conn::execute`], [`Conn::query_row`],
//!   [`Conn::query_opt`], [`Conn::query_map`], [`Conn::execute_batch`], and
//!   [`Conn::dialect`] for the rare statement that differs.
//! - SQL is written once, in the portable dialect: `?1`, `?2`... placeholders
//!   (turned into `$1`, `$2`... for PostgreSQL by [`sql::to_postgres`]),
//!   `INSERT ... ON CONFLICT (...) DO UPDATE SET x = excluded.x` (the same in
//!   both), `ON CONFLICT DO NOTHING` rather than `INSERT OR IGNORE`,
//!   `RETURNING` for a generated value, text for dates and instants,
//!   integers for counts and flags.
//! - Parameters are anything [`ToValue`] (`&str`, `String`, integers, `bool`,
//!   `f64`, bytes, `Option` of these); a row's columns are read by index or
//!   name with [`Row::get`] into anything [`FromValue`].

pub mod pg;
pub mod sql;

use std::fmt;

use crate::error::{Error, Result};

pub use pg::{PgDb, PgTx, SESSIONS};

use super::Db;

/// Which SQL a [`Conn`] speaks, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A register: the local SQLite file or a team's PostgreSQL database.
#[derive(Debug, Clone, Copy)]
pub enum Store<'a> {
    Sqlite(&'a Db),
    Postgres(&'a PgDb),
}

impl<'a> From<&'a Db> for Store<'a> {
    fn from(db: &'a Db) -> Self {
        Store::Sqlite(db)
    }
}

impl<'a> From<&'a PgDb> for Store<'a> {
    fn from(db: &'a PgDb) -> Self {
        Store::Postgres(db)
    }
}

impl<'a> From<&'a std::sync::Arc<Db>> for Store<'a> {
    fn from(db: &'a std::sync::Arc<Db>) -> Self {
        Store::Sqlite(db)
    }
}

impl<'a> From<&'a std::sync::Arc<PgDb>> for Store<'a> {
    fn from(db: &'a std::sync::Arc<PgDb>) -> Self {
        Store::Postgres(db)
    }
}

impl Store<'_> {
    pub fn dialect(&self) -> Dialect {
        match self {
            Store::Sqlite(_) => Dialect::Sqlite,
            Store::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs `f` in one writing transaction: it commits if `f` returns Ok and
    /// writes nothing otherwise. Writers are serial on either store.
    pub fn write<T>(self, f: impl FnOnce(Conn<'_>) -> Result<T>) -> Result<T> {
        match self {
            Store::Sqlite(db) => db.write(|tx| f(Conn::from(tx))),
            Store::Postgres(db) => db.write(|tx| f(Conn::from(tx))),
        }
    }

    /// Runs `read` (reading only), then `write` with its value, as [`Store::read`] and then
    /// [`Store::write`] would, without making other writers wait for `read`. SQLite: two
    /// transactions; PostgreSQL: one, the writer lock taken after `read` ([`PgDb::read_then_write`]).
    pub fn read_then_write<R, T>(
        self,
        read: impl FnOnce(Conn<'_>) -> Result<R>,
        write: impl FnOnce(Conn<'_>, R) -> Result<T>,
    ) -> Result<T> {
        match self {
            Store::Sqlite(db) => {
                let value = db.read(|c| read(Conn::from(c)))?;
                db.write(|tx| write(Conn::from(tx), value))
            }
            Store::Postgres(db) => db.read_then_write(|tx| read(Conn::from(tx)), |tx, value| write(Conn::from(tx), value)),
        }
    }

    /// Runs `f` on one consistent snapshot, writing nothing.
    pub fn read<T>(self, f: impl FnOnce(Conn<'_>) -> Result<T>) -> Result<T> {
        match self {
            Store::Sqlite(db) => db.read(|c| f(Conn::from(c))),
            Store::Postgres(db) => db.read(|tx| f(Conn::from(tx))),
        }
    }

    /// [`Store::read`] for a read that passes once over most of a table: on a
    /// register file its pages are not kept in the cache ([`Db::read_passing`]).
    pub fn read_passing<T>(self, f: impl FnOnce(Conn<'_>) -> Result<T>) -> Result<T> {
        match self {
            Store::Sqlite(db) => db.read_passing(|c| f(Conn::from(c))),
            Store::Postgres(db) => db.read(|tx| f(Conn::from(tx))),
        }
    }
}

/// A connection inside a transaction of either store: what services take.
#[derive(Clone, Copy)]
pub struct Conn<'a>(Inner<'a>);

#[derive(Clone, Copy)]
enum Inner<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a PgTx),
}

impl fmt::Debug for Conn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Conn({:?})", self.dialect())
    }
}

impl<'a> From<&'a rusqlite::Connection> for Conn<'a> {
    fn from(c: &'a rusqlite::Connection) -> Self {
        Conn(Inner::Sqlite(c))
    }
}

impl<'a> From<&'a rusqlite::Transaction<'_>> for Conn<'a> {
    fn from(tx: &'a rusqlite::Transaction<'_>) -> Self {
        Conn(Inner::Sqlite(tx))
    }
}

impl<'a> From<&'a PgTx> for Conn<'a> {
    fn from(tx: &'a PgTx) -> Self {
        Conn(Inner::Postgres(tx))
    }
}

impl<'a> Conn<'a> {
    pub fn dialect(&self) -> Dialect {
        match self.0 {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection underneath, for a service not yet moved onto the
    /// interface; `None` on PostgreSQL.
    pub fn sqlite(&self) -> Option<&'a rusqlite::Connection> {
        match self.0 {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// The PostgreSQL transaction underneath (for what only it has, a `COPY`); `None` on SQLite.
    pub(crate) fn postgres(&self) -> Option<&'a PgTx> {
        match self.0 {
            Inner::Sqlite(_) => None,
            Inner::Postgres(tx) => Some(tx),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<usize> {
        match self.0 {
            Inner::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(sqlite_args(params)))?),
            Inner::Postgres(tx) => tx.execute(sql, params),
        }
    }

    /// Runs statements without parameters (schema, `SET`), in one round trip.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.0 {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(tx) => tx.execute_batch(sql),
        }
    }

    /// Every row of a query, each read by `f`.
    pub fn query_map<T>(&self, sql: &str, params: &[&dyn ToValue], mut f: impl FnMut(&Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        match self.0 {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(sqlite_args(params)))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row(RowInner::Sqlite(r)))?);
                }
                Ok(out)
            }
            Inner::Postgres(tx) => tx.query(sql, params)?.iter().map(|r| f(&Row(RowInner::Postgres(r)))).collect(),
        }
    }

    /// The first row of a query read by `f`, `None` when there is none.
    pub fn query_opt<T>(&self, sql: &str, params: &[&dyn ToValue], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<Option<T>> {
        match self.0 {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(sqlite_args(params)))?;
                match rows.next()? {
                    Some(r) => Ok(Some(f(&Row(RowInner::Sqlite(r)))?)),
                    None => Ok(None),
                }
            }
            Inner::Postgres(tx) => tx.query(sql, params)?.first().map(|r| f(&Row(RowInner::Postgres(r)))).transpose(),
        }
    }

    /// The first row of a query read by `f`; no row is an error (as rusqlite's `query_row`).
    pub fn query_row<T>(&self, sql: &str, params: &[&dyn ToValue], f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.query_opt(sql, params, f)?.ok_or(Error::Database(rusqlite::Error::QueryReturnedNoRows))
    }
}

fn sqlite_args<'p>(params: &'p [&'p dyn ToValue]) -> impl Iterator<Item = SqliteArg<'p>> + 'p {
    params.iter().map(|p| SqliteArg(p.to_value()))
}

struct SqliteArg<'a>(ValueRef<'a>);

impl rusqlite::ToSql for SqliteArg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ValueRef as V;
        Ok(rusqlite::types::ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => V::Null,
            ValueRef::Integer(i) => V::Integer(i),
            ValueRef::Real(f) => V::Real(f),
            ValueRef::Text(s) => V::Text(s.as_bytes()),
            ValueRef::Blob(b) => V::Blob(b),
        }))
    }
}

/// One value crossing into or out of either store: the five kinds both keep
/// (SQLite's storage classes; PostgreSQL's integer, boolean, float, text, json
/// and bytea columns read and write as these).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl ValueRef<'_> {
    fn kind(&self) -> &'static str {
        match self {
            ValueRef::Null => "null",
            ValueRef::Integer(_) => "integer",
            ValueRef::Real(_) => "real",
            ValueRef::Text(_) => "text",
            ValueRef::Blob(_) => "blob",
        }
    }
}

/// A parameter of a statement.
pub trait ToValue {
    fn to_value(&self) -> ValueRef<'_>;
}

impl ToValue for str {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToValue for String {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(*self)
    }
}
impl ToValue for i32 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}
impl ToValue for u32 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}
impl ToValue for u16 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}
impl ToValue for bool {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Null, ToValue::to_value)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> ValueRef<'_> {
        (**self).to_value()
    }
}

/// A type a column's value reads as; a value of another kind is an error
/// naming the column, never the value.
pub trait FromValue: Sized {
    /// `None` when `v` is not of this type.
    fn from_value(v: ValueRef<'_>) -> Option<Self>;
    /// What the error says was expected.
    const EXPECTED: &'static str;
}

impl FromValue for String {
    const EXPECTED: &'static str = "text";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Text(s) => Some(s.to_owned()),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    const EXPECTED: &'static str = "blob";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
}
impl FromValue for i64 {
    const EXPECTED: &'static str = "integer";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(i) => Some(i),
            _ => None,
        }
    }
}
impl FromValue for i32 {
    const EXPECTED: &'static str = "32-bit integer";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        i64::from_value(v).and_then(|i| i32::try_from(i).ok())
    }
}
impl FromValue for u32 {
    const EXPECTED: &'static str = "unsigned 32-bit integer";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        i64::from_value(v).and_then(|i| u32::try_from(i).ok())
    }
}
impl FromValue for bool {
    const EXPECTED: &'static str = "flag (0 or 1)";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Integer(0) => Some(false),
            ValueRef::Integer(1) => Some(true),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    const EXPECTED: &'static str = "real";
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Real(f) => Some(f),
            ValueRef::Integer(i) => Some(i as f64),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_value(v: ValueRef<'_>) -> Option<Self> {
        match v {
            ValueRef::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A column, by its index (from 0) or its name.
pub trait ColumnIndex: rusqlite::RowIndex + postgres::row::RowIndex + fmt::Display + Copy {}
impl ColumnIndex for usize {}
impl ColumnIndex for &str {}

/// One row of a query's result, from either store.
pub struct Row<'r>(RowInner<'r>);

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The value of column `col` read as `T`.
    pub fn get<T: FromValue>(&self, col: impl ColumnIndex) -> Result<T> {
        let value = self.value(col)?;
        T::from_value(value).ok_or_else(|| mismatch(col, value.kind(), T::EXPECTED))
    }

    /// The value of column `col` as it is stored, one of the five kinds: what
    /// a reader that hashes or compares raw values takes (the audit seal's
    /// request state). A PostgreSQL `bigint` is an integer and `text` is text,
    /// as SQLite's, so such a reading is the same on both stores.
    pub fn value(&self, col: impl ColumnIndex) -> Result<ValueRef<'_>> {
        Ok(match &self.0 {
            RowInner::Sqlite(r) => {
                use rusqlite::types::ValueRef as V;
                match r.get_ref(col)? {
                    V::Null => ValueRef::Null,
                    V::Integer(i) => ValueRef::Integer(i),
                    V::Real(f) => ValueRef::Real(f),
                    V::Text(t) => ValueRef::Text(std::str::from_utf8(t).map_err(|_| mismatch(col, "text that is not UTF-8", "text"))?),
                    V::Blob(b) => ValueRef::Blob(b),
                }
            }
            RowInner::Postgres(r) => r.try_get::<_, pg::Raw<'_>>(col).map_err(|e| pg::unreadable(col, e))?.0,
        })
    }
}

/// Whether `e` is a store refusing a row because it would repeat a unique
/// key (SQLite's constraint failure, PostgreSQL's `23505`): what a service
/// turns into "another one already has this name".
pub fn is_unique_violation(e: &Error) -> bool {
    match e {
        Error::Database(rusqlite::Error::SqliteFailure(f, _)) => {
            f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        }
        Error::Postgres { sqlstate, .. } => sqlstate == "23505",
        _ => false,
    }
}

fn mismatch(col: impl fmt::Display, found: &str, expected: &str) -> Error {
    Error::Internal(format!("column {col} holds {found}, read as {expected}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_connection_runs_the_portable_calls() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        let conn = Conn::from(&c);
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, f INTEGER, b BLOB) STRICT").unwrap();
        let none: Option<i64> = None;
        assert_eq!(conn.execute("INSERT INTO t (k, n, f, b) VALUES (?1, ?2, ?3, ?4)", &[&"a", &7i64, &true, &vec![1u8, 2]]).unwrap(), 1);
        conn.execute("INSERT INTO t (k, n, f, b) VALUES (?1, ?2, ?3, NULL)", &[&"b", &none, &false]).unwrap();
        let rows = conn
            .query_map("SELECT k, n, f, b FROM t ORDER BY k", &[], |r| {
                Ok((r.get::<String>("k")?, r.get::<Option<i64>>(1)?, r.get::<bool>(2)?, r.get::<Option<Vec<u8>>>(3)?))
            })
            .unwrap();
        assert_eq!(rows, vec![("a".into(), Some(7), true, Some(vec![1, 2])), ("b".into(), None, false, None)]);
        assert_eq!(conn.query_opt("SELECT n FROM t WHERE k = ?1", &[&"zz"], |r| r.get::<i64>(0)).unwrap(), None);
        let e = conn.query_row("SELECT k FROM t WHERE k = ?1", &[&"a"], |r| r.get::<i64>("k")).unwrap_err();
        assert_eq!(e.to_string(), "internal error: column k holds text, read as integer");
    }
}
