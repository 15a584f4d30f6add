//! The organisation's settings that services read.

use chrono_tz::Tz;

use crate::domain::parse_zone;
use crate::error::Result;
use crate::settings;
use crate::store::Store;

/// The organisation's time zone: the setting, else the machine's zone, else UTC.
pub fn org_time_zone<'a>(store: impl Into<Store<'a>>) -> Result<Tz> {
    let stored = store.into().read(|c| settings::get(c, settings::ORG_TIME_ZONE))?;
    Ok(stored.and_then(|z| z.parse().ok()).or_else(|| std::env::var("TZ").ok().and_then(|z| z.parse().ok())).unwrap_or(Tz::UTC))
}

/// Sets the organisation's time zone; a zone that is not one is refused naming `time_zone`, nothing written.
pub fn set_org_time_zone<'a>(store: impl Into<Store<'a>>, zone: &str) -> Result<Tz> {
    let tz = parse_zone("time_zone", zone)?;
    store.into().write(|c| settings::set(c, settings::ORG_TIME_ZONE, tz.name()))?;
    Ok(tz)
}
