//! The officer's calendar: every open request's due date (and internal target)
//! as an iCalendar file (RFC 5545) to import or subscribe to.
//!
//! Events carry the reference, the request type and the regime, never the
//! subject's name: calendars are often synced to services the register is not.

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::clock::Clock;
use crate::error::Result;
use crate::files::destination::Overwrite;
use crate::requests::rows::{self as rows, RequestFilter};
use crate::store::Store;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn event(out: &mut String, uid: &str, stamp: DateTime<Utc>, day: NaiveDate, summary: &str, description: &str) {
    let date = |d: NaiveDate| d.format("%Y%m%d").to_string();
    for line in [
        "BEGIN:VEVENT".to_string(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;VALUE=DATE:{}", date(day)),
        format!("DTEND;VALUE=DATE:{}", date(day + Duration::days(1))),
        format!("SUMMARY:{}", text(summary)),
        format!("DESCRIPTION:{}", text(description)),
        "TRANSP:TRANSPARENT".to_string(),
        "BEGIN:VALARM".to_string(),
        "ACTION:DISPLAY".to_string(),
        format!("DESCRIPTION:{}", text(summary)),
        "TRIGGER:-P1D".to_string(),
        "END:VALARM".to_string(),
        "END:VEVENT".to_string(),
    ] {
        out.push_str(&fold(&line));
    }
}

/// The calendar text, and how many requests it covers, on either store.
pub fn calendar<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock) -> Result<(String, usize)> {
    let filter = RequestFilter { open_only: true, limit: Some(10_000), ..Default::default() };
    let list = store.into().read(|c| rows::list(c, &filter, |z| clock.today(z.parse().unwrap_or(Tz::UTC))))?;
    let now = clock.now();
    let mut out = String::new();
    for line in
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rightsdesk//Deadlines//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:Rightsdesk deadlines"]
    {
        out.push_str(&fold(line));
    }
    let mut n = 0;
    for r in &list {
        let Some(due) = r.due else { continue };
        n += 1;
        let what = format!("{} request under {}", r.request_type.label(), r.regime);
        event(
            &mut out,
            &format!("{}-due@rightsdesk", r.id),
            now,
            due,
            &format!("{} due: {what}", r.reference),
            &format!("The legal due date of {} ({what}), received {}. {}", r.reference, r.received_on, r.schedule.explanation_line()),
        );
        if let Some(target) = r.schedule.target.filter(|t| *t < due) {
            event(
                &mut out,
                &format!("{}-target@rightsdesk", r.id),
                now,
                target,
                &format!("{} internal target: {what}", r.reference),
                &format!("The internal target for {}; the law's date is {due}.", r.reference),
            );
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok((out, n))
}

/// Writes the calendar to `path` whole or not at all, owner-only (0600: it names requests by
/// reference and due date), through the one atomic writer. With [`Overwrite::Refuse`] a file
/// that appeared under that name since the destination was checked is kept and the write refused.
pub fn write<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, path: &Path, overwrite: Overwrite) -> Result<usize> {
    let (ics, n) = calendar(store, clock)?;
    crate::files::atomic::write_bytes_as(path, overwrite, ics.as_bytes())?;
    Ok(n)
}
