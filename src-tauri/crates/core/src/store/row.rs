//! Reading a row's values strictly: a stored value that does not read as what
//! its column holds is [`Corrupt`], naming the table, the column and the row
//! (by id or number), never the value, which may be personal data. A reader
//! never substitutes a default (`Open`, 1970-01-01) for what it cannot read:
//! the officer would act on a status or a date nobody recorded.
//!
//! Every function here returns `Result<T, Corrupt>`, and `?` turns that into a
//! `rusqlite::Error` inside a row callback (`query_row`, `query_map`) or into
//! [`crate::Error::Corrupt`] elsewhere; a rusqlite error carrying it becomes
//! [`crate::Error::Corrupt`] again on its way out ([`crate::Error`]'s `From`).

use std::str::FromStr;

use chrono::{DateTime, Utc};

pub use crate::error::Corrupt;

/// `text` parsed as `T` (a status, a date, a time zone...).
pub fn parse<T: FromStr>(table: &'static str, column: &'static str, row: impl std::fmt::Display, text: &str) -> Result<T, Corrupt> {
    text.parse().map_err(|_| Corrupt::new(table, column, row))
}

/// `text` read by `read`, which knows the closed set (`TaskStatus::parse`...); `None` is corrupt.
pub fn known<T>(
    table: &'static str,
    column: &'static str,
    row: impl std::fmt::Display,
    text: &str,
    read: impl FnOnce(&str) -> Option<T>,
) -> Result<T, Corrupt> {
    read(text).ok_or_else(|| Corrupt::new(table, column, row))
}

/// An instant stored as RFC 3339 (`created_at`, `checked_at`...).
pub fn instant(table: &'static str, column: &'static str, row: impl std::fmt::Display, text: &str) -> Result<DateTime<Utc>, Corrupt> {
    DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&Utc)).map_err(|_| Corrupt::new(table, column, row))
}

/// A JSON value stored in a text column (identifiers, a schedule, attachments).
pub fn json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    column: &'static str,
    row: impl std::fmt::Display,
    text: &str,
) -> Result<T, Corrupt> {
    serde_json::from_str(text).map_err(|_| Corrupt::new(table, column, row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;

    #[test]
    fn a_value_that_does_not_read_names_table_column_and_row_but_not_the_value() {
        let e = crate::Error::from(parse::<Status>("requests", "status", "0190abcd", "Ada Example").unwrap_err());
        assert_eq!(e.code(), crate::error::ErrorCode::Corrupt);
        let message = e.to_string();
        assert!(message.contains("requests.status of row 0190abcd"), "{message}");
        assert!(!message.contains("Ada"), "{message}");
    }

    #[test]
    fn a_corrupt_value_met_inside_a_row_callback_still_reaches_the_caller_as_corrupt() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = conn.query_row("SELECT 'garbage'", [], |r| -> rusqlite::Result<DateTime<Utc>> {
            Ok(instant("tasks", "closed_at", 7, &r.get::<_, String>(0)?)?)
        });
        let e = crate::Error::from(read.unwrap_err());
        assert!(matches!(&e, crate::Error::Corrupt { table: "tasks", column: "closed_at", row } if row == "7"), "{e:?}");
    }

    #[test]
    fn good_values_read_as_themselves() {
        assert_eq!(parse::<Status>("requests", "status", 1, "in-progress").unwrap(), Status::InProgress);
        assert_eq!(instant("t", "c", 1, "2026-11-23T10:00:00Z").unwrap().to_rfc3339(), "2026-11-23T10:00:00+00:00");
        assert_eq!(json::<Vec<u8>>("t", "c", 1, "[1,2]").unwrap(), vec![1, 2]);
        assert_eq!(known("t", "c", 1, "x", |s| (s == "x").then_some(5)).unwrap(), 5);
    }
}
