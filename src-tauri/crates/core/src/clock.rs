//! Time is an input: services take a `&dyn Clock`, tests pin it.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in the given zone (the organisation's, for legal clocks).
    fn today(&self, zone: Tz) -> NaiveDate {
        self.now().with_timezone(&zone).date_naive()
    }
}

/// The wall clock. `RIGHTSDESK_NOW` (RFC 3339) pins it, for demos and end-to-end tests.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        std::env::var("RIGHTSDESK_NOW")
            .ok()
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(Utc::now)
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    /// Noon UTC on the given day; panics only on an impossible literal in a test.
    pub fn at(date: &str) -> Self {
        let d: NaiveDate = date.parse().expect("test clock date");
        FixedClock(d.and_hms_opt(12, 0, 0).expect("noon").and_utc())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The local date of an instant in an IANA time zone (UTC when the zone is unknown).
pub fn local_date(at: chrono::DateTime<Utc>, zone: &str) -> NaiveDate {
    let zone: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    at.with_timezone(&zone).date_naive()
}
