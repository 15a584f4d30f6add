//! Batched multi-row INSERTs: one prepared statement inserts `per_statement`
//! rows at a time, which is what makes a million rows take seconds.

use rusqlite::types::Value;
use rusqlite::Connection;

use rightsdesk_core::Result;

/// Rows waiting to be inserted into one table.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    per_statement: usize,
    pending: Vec<Value>,
    pub inserted: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        // SQLite allows 32,766 parameters per statement; stay well below.
        let per_statement = (4_000 / columns.len()).max(1);
        Batch { table, columns, per_statement, pending: Vec::new(), inserted: 0 }
    }

    /// Queues one row (its values in column order); flushes a full batch.
    pub fn push(&mut self, conn: &Connection, row: impl IntoIterator<Item = Value>) -> Result<()> {
        let before = self.pending.len();
        self.pending.extend(row);
        debug_assert_eq!(self.pending.len() - before, self.columns.len(), "row width for {}", self.table);
        if self.pending.len() >= self.per_statement * self.columns.len() {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn sql(&self, rows: usize) -> String {
        let one = format!("({})", vec!["?"; self.columns.len()].join(","));
        format!("INSERT INTO {} ({}) VALUES {}", self.table, self.columns.join(","), vec![one; rows].join(","))
    }

    /// Inserts whatever is queued.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = self.pending.len() / self.columns.len();
        let sql = self.sql(rows);
        // Full batches share one cached statement.
        let mut stmt = conn.prepare_cached(&sql)?;
        stmt.execute(rusqlite::params_from_iter(self.pending.drain(..)))?;
        self.inserted += rows as u64;
        Ok(())
    }
}

/// A text value.
pub fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// An optional text value (NULL when none).
pub fn opt_text(s: Option<impl Into<String>>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.into()))
}

pub fn int(i: i64) -> Value {
    Value::Integer(i)
}
