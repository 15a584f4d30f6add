//! The organisation's settings that services read.

use chrono_tz::Tz;

use crate::domain::parse_zone;
use crate::error::Result;
use crate::settings;
use crate::store::Db;

/// The organisation's time zone: the setting, else the machine's zone, else UTC.
pub fn org_time_zone(db: &Db) -> Result<Tz> {
    let stored = db.read(|c| settings::get(c, settings::ORG_TIME_ZONE))?;
    Ok(stored.and_then(|z| z.parse().ok()).or_else(|| std::env::var("TZ").ok().and_then(|z| z.parse().ok())).unwrap_or(Tz::UTC))
}

pub fn set_org_time_zone(db: &Db, zone: &str) -> Result<Tz> {
    let tz = parse_zone("time_zone", zone)?;
    db.write(|tx| settings::set(tx, settings::ORG_TIME_ZONE, tz.name()))?;
    Ok(tz)
}
