//! The organisation's deadline options (promise, target, readings where the
//! sources disagree), stored as a setting, and the "what if" calculator that
//! computes every date of a hypothetical request. Recomputing the stored
//! requests when the options change is `requests::set_deadline_options`.

use chrono::NaiveDate;

use crate::deadlines::{self, ClockEvent, EngineOptions, Schedule, ScheduleInput};
use crate::domain::RequestType;
use crate::error::{Error, Result};
use crate::settings;
use crate::store::Db;

pub(crate) const OPTIONS_KEY: &str = "deadline.options";

/// The organisation's engine options (promise, target, readings where sources disagree).
pub fn options<'a>(store: impl Into<crate::store::Store<'a>>) -> Result<EngineOptions> {
    store.into().read(|c| load_options(c))
}

pub(crate) fn load_options<'a>(conn: impl Into<crate::store::Conn<'a>>) -> Result<EngineOptions> {
    Ok(settings::get(conn, OPTIONS_KEY)?.and_then(|json| EngineOptions::from_stored_json(&json)).unwrap_or_default())
}

/// Refuses options out of range, naming the field.
pub(crate) fn check_options(new: &EngineOptions) -> Result<()> {
    if new.promise_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(Error::invalid("promise_days", "must be between 1 and 3650 days"));
    }
    if let Some(longer) = new.promise_extended_days {
        match new.promise_days {
            None => return Err(Error::invalid("promise_extended_days", "needs a promise in days to extend")),
            Some(n) if longer <= n || longer > 3650 => {
                return Err(Error::invalid("promise_extended_days", "must be longer than the promise and at most 3650 days"))
            }
            Some(_) => {}
        }
    }
    if new.target_working_days > 60 {
        return Err(Error::invalid("target_working_days", "must be at most 60 working days"));
    }
    Ok(())
}

/// The "what if" calculator: every date for a hypothetical request, with its explanation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WhatIf {
    pub regime: String,
    pub jurisdiction: String,
    pub request_type: RequestType,
    pub received: NaiveDate,
    pub events: Vec<ClockEvent>,
    /// None: the organisation's saved options.
    pub options: Option<EngineOptions>,
    pub today: Option<NaiveDate>,
}

pub fn what_if(db: Option<&Db>, input: &WhatIf) -> Result<Schedule> {
    let options = match (&input.options, db) {
        (Some(o), _) => o.clone(),
        (None, Some(db)) => options(db)?,
        (None, None) => EngineOptions::default(),
    };
    deadlines::compute(&ScheduleInput {
        regime: &input.regime,
        jurisdiction: &input.jurisdiction,
        request_type: input.request_type,
        received_on: input.received,
        events: &input.events,
        options: &options,
        today: input.today,
    })
}
