//! Requests handled as a processor (issue 19 item 12, OpifexHQ): a request about
//! a customer's end user, where the customer is the controller and we only process
//! the data on its behalf.
//!
//! Such a request is registered like any other, but with the controller's law and
//! the day the controller received it (as the controller told us; until it does,
//! the day we received it, the earlier and safe assumption), so the due date the
//! register, the dashboard and the reminders show is the CONTROLLER's, not ours.
//! Our own date is the contractual assistance period of the data processing
//! agreement with the customer, when one is set (`processor.assistance_days`):
//! counted from the day we received the request, never later than the
//! controller's date.
//!
//! The subject is not written to as if we were the controller: the only letter
//! to the subject is the notice that the request was forwarded to the controller
//! (`processor-notice`); the request itself goes to the controller
//! (`processor-forward`, addressed to the controller's contact). Every other
//! letter is refused for such a request (`letters::draft`).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::Clock;
use crate::domain::{is_plausible_email, one_line, NewRequest, Request};
use crate::error::{Error, Result};
use crate::settings;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};

/// The setting holding the contractual assistance period, in calendar days.
pub const ASSISTANCE_DAYS: &str = "processor.assistance_days";

/// Who the controller is, as the officer records it with the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProcessorInput {
    /// The customer that is the controller, e.g. "Acme Shop GmbH".
    pub controller: String,
    /// Where the request is forwarded: the controller's privacy contact.
    pub controller_email: String,
    /// `YYYY-MM-DD`: the day we received the request. None: the request's own
    /// receipt date (then the controller's and ours are the same day).
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub received_by_us: Option<String>,
}

/// A request's processor role, with the dates it is tracked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProcessorRole {
    pub request_id: String,
    pub controller: String,
    pub controller_email: String,
    pub received_by_us: NaiveDate,
    /// The controller's due date: the request's legal date under the controller's law,
    /// counted from the controller's receipt.
    pub controller_due: Option<NaiveDate>,
    /// Our contractual assistance date (receipt by us + the setting), never after the controller's date.
    pub assistance_due: Option<NaiveDate>,
    /// The date to work to: the assistance date where the contract sets one, else the controller's.
    pub deadline: Option<NaiveDate>,
    /// The day the request was forwarded to the controller (the forward letter queued).
    pub forwarded_on: Option<NaiveDate>,
}

fn checked(role: &ProcessorInput) -> Result<(String, String)> {
    one_line("controller", &role.controller)?;
    one_line("controller_email", &role.controller_email)?;
    let controller = role.controller.trim();
    if controller.is_empty() {
        return Err(Error::invalid("controller", "name the customer that is the controller of this data"));
    }
    if controller.chars().count() > 200 {
        return Err(Error::invalid("controller", "is longer than 200 characters"));
    }
    let email = role.controller_email.trim();
    if !is_plausible_email(email) {
        return Err(Error::invalid("controller_email", "is not a valid email address (the controller's privacy contact)"));
    }
    Ok((controller.to_string(), email.to_string()))
}

/// The contractual assistance period, if the organisation recorded one.
pub fn assistance_days<'a>(conn: impl Into<Conn<'a>>) -> Result<Option<u32>> {
    Ok(settings::get(conn, ASSISTANCE_DAYS)?.and_then(|v| v.parse().ok()))
}

/// Records (or clears, with `None`) the contractual assistance period from the
/// data processing agreements with the customers, in calendar days (1–365).
pub fn set_assistance_days<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, days: Option<u32>, actor: &str) -> Result<()> {
    if let Some(d) = days {
        if !(1..=365).contains(&d) {
            return Err(Error::invalid("assistance_days", "must be between 1 and 365 days"));
        }
    }
    store.into().write(|tx| {
        match days {
            Some(d) => settings::set(tx, ASSISTANCE_DAYS, &d.to_string())?,
            None => {
                tx.execute("DELETE FROM settings WHERE key = ?1", &[&ASSISTANCE_DAYS])?;
            }
        }
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: match days {
                    Some(d) => format!("Processor requests: our assistance period under the customers' agreements is {d} days"),
                    None => "Processor requests: no contractual assistance period; the controller's date is tracked".into(),
                },
                data: json!({ "setting": ASSISTANCE_DAYS, "days": days }),
            },
        )?;
        Ok(())
    })
}

/// Registers a request received as a processor for `role.controller`: the
/// request (with the controller's regime and receipt) and its role in one
/// transaction. The `registered` event records the controller.
pub fn register<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    input: &NewRequest,
    role: &ProcessorInput,
    actor: &str,
) -> Result<(Request, ProcessorRole)> {
    let store = store.into();
    let (controller, controller_email) = checked(role)?;
    let valid = super::validate_new_request(input, clock, settings::org_time_zone(store)?)?;
    let received_by_us = match role.received_by_us.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => valid.received_on,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Error::invalid("received_by_us", "must be a date YYYY-MM-DD (the day we received the request)"))?,
    };
    if received_by_us > clock.today(valid.zone) {
        return Err(Error::invalid("received_by_us", "is in the future"));
    }
    let id = store.write(|tx| {
        let source = json!({ "processor_for": { "controller": controller, "received_by_us": received_by_us } });
        let id = super::register_in(tx, clock, &valid, actor, Some(&source))?;
        tx.execute(
            "INSERT INTO processor_roles (request_id, controller, controller_email, received_by_us) VALUES (?1, ?2, ?3, ?4)",
            &[&id, &controller, &controller_email, &received_by_us.to_string()],
        )?;
        Ok(id)
    })?;
    let request = store.read(|c| super::rows::get(c, &id, super::today_in(clock)))?;
    let role = store.read(|c| get(c, &request))?.ok_or_else(|| Error::invalid("request", "was registered without its processor role"))?;
    Ok((request, role))
}

/// The processor role of a request, if it has one, with its dates.
pub fn get<'a>(conn: impl Into<Conn<'a>>, request: &Request) -> Result<Option<ProcessorRole>> {
    let conn = conn.into();
    let row: Option<(String, String, String, Option<String>)> = conn.query_opt(
        "SELECT controller, controller_email, received_by_us, forwarded_on FROM processor_roles WHERE request_id = ?1",
        &[&request.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let Some((controller, controller_email, received_by_us, forwarded_on)) = row else { return Ok(None) };
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::invalid("processor_roles", "holds a malformed date"));
    let received_by_us = date(&received_by_us)?;
    let controller_due = request.due;
    let assistance_due = assistance_days(conn)?.map(|d| {
        let ours = received_by_us + Duration::days(i64::from(d));
        controller_due.map_or(ours, |c| ours.min(c))
    });
    Ok(Some(ProcessorRole {
        request_id: request.id.clone(),
        controller,
        controller_email,
        received_by_us,
        controller_due,
        assistance_due,
        deadline: assistance_due.or(controller_due),
        forwarded_on: forwarded_on.as_deref().map(date).transpose()?,
    }))
}

/// The processor role of the request with this id.
pub fn of_request<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, request_id: &str) -> Result<Option<ProcessorRole>> {
    store.into().read(|c| {
        let request = super::rows::get(c, request_id, super::today_in(clock))?;
        get(c, &request)
    })
}

/// The controller's name and contact for a request handled as processor.
pub fn controller_of<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<Option<(String, String)>> {
    conn.into().query_opt("SELECT controller, controller_email FROM processor_roles WHERE request_id = ?1", &[&request_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Records the day the request was forwarded to the controller (the first forward letter queued).
pub fn mark_forwarded<'a>(conn: impl Into<Conn<'a>>, request_id: &str, on: NaiveDate) -> Result<()> {
    conn.into().execute(
        "UPDATE processor_roles SET forwarded_on = ?2 WHERE request_id = ?1 AND forwarded_on IS NULL",
        &[&request_id, &on.to_string()],
    )?;
    Ok(())
}
