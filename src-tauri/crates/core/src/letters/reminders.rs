//! Reminders before a deadline slips: which open requests are due within a
//! threshold (e.g. 7, 3, 1 days) or overdue, and a digest mail to the officer
//! that mentions each request once per threshold and due date — so a cron job
//! can run `rightsdesk reminders --send` every hour without repeating itself.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::lang::Lang;
use crate::error::{Error, Result};
use crate::letters::compose;
use crate::letters::outbox::{self, Letter, NewLetter};
use crate::letters::render;
use crate::letters::templates::{self, TemplateName};
use crate::requests::rows::{self as rows, RequestFilter};
use crate::settings::mail as settings;
use crate::store::Store;

/// One request that needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reminder {
    pub request_id: String,
    pub reference: String,
    pub request_type: String,
    pub regime: String,
    pub due: NaiveDate,
    /// Negative when overdue.
    pub days_left: i32,
    /// `overdue`, or `due-N` for the smallest threshold N it is within.
    pub threshold: String,
    /// Whether this reminder (request, threshold, due date) was already given.
    pub already_given: bool,
}

/// Which threshold a request is in, if any.
pub fn threshold(days_left: i64, thresholds: &[u32]) -> Option<String> {
    if days_left < 0 {
        return Some("overdue".into());
    }
    thresholds.iter().filter(|t| days_left <= i64::from(**t)).min().map(|t| format!("due-{t}"))
}

/// Open requests due within the largest threshold, or overdue; `today` pins the
/// date (else each request's own zone's today).
pub fn due<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, thresholds: &[u32], today: Option<NaiveDate>) -> Result<Vec<Reminder>> {
    let filter = RequestFilter { open_only: true, limit: Some(10_000), ..Default::default() };
    let day = |zone: &str| today.unwrap_or_else(|| clock.today(zone.parse().unwrap_or(Tz::UTC)));
    store.into().read(|c| {
        let given: HashSet<(String, String, String)> = c
            .query_map("SELECT request_id, threshold, due FROM reminders_given", &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .into_iter()
            .collect();
        let mut out = Vec::new();
        for r in rows::list(c, &filter, day)? {
            let (Some(due), Some(left)) = (r.due, r.days_left) else { continue };
            let Some(threshold) = threshold(left, thresholds) else { continue };
            out.push(Reminder {
                already_given: given.contains(&(r.id.clone(), threshold.clone(), due.to_string())),
                request_id: r.id,
                reference: r.reference,
                request_type: r.request_type.as_str().into(),
                regime: r.regime,
                due,
                days_left: i32::try_from(left).unwrap_or(i32::MIN),
                threshold,
            });
        }
        out.sort_by_key(|r| (r.days_left, r.reference.clone()));
        Ok(out)
    })
}

fn digest_line(r: &Reminder, lang: Lang) -> String {
    let when = match (lang, r.days_left) {
        (Lang::En, d) if d < 0 => format!("overdue by {} day(s)", -d),
        (Lang::En, 0) => "due today".into(),
        (Lang::En, d) => format!("{d} day(s) left"),
        (Lang::De, d) if d < 0 => format!("seit {} Tag(en) überfällig", -d),
        (Lang::De, 0) => "heute fällig".into(),
        (Lang::De, d) => format!("noch {d} Tag(e)"),
        (Lang::Fr, d) if d < 0 => format!("en retard de {} jour(s)", -d),
        (Lang::Fr, 0) => "dû aujourd'hui".into(),
        (Lang::Fr, d) => format!("{d} jour(s) restant(s)"),
    };
    format!("- {} · {} · {} · {} ({when})", r.reference, r.request_type, r.regime, lang.date(r.due))
}

/// What `send` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DigestOutcome {
    /// The reminders in this digest (those not given before).
    pub reminders: Vec<Reminder>,
    /// The digest letter queued in the outbox; none when there was nothing new.
    pub letter: Option<Letter>,
}

/// Queues one digest mail to the officer with every reminder not given before,
/// and records them as given in the same transaction (so a second run the same
/// day sends nothing). Sending is the outbox's job.
pub fn queue_digest<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    thresholds: &[u32],
    today: Option<NaiveDate>,
    actor: &str,
) -> Result<DigestOutcome> {
    let db = store.into();
    let settings = settings::require(db)?;
    let officer = settings
        .officer_address
        .clone()
        .ok_or_else(|| Error::invalid("officer_address", "is needed to mail reminders (the officer's own mailbox)"))?;
    let fresh: Vec<Reminder> = due(db, clock, thresholds, today)?.into_iter().filter(|r| !r.already_given).collect();
    if fresh.is_empty() {
        return Ok(DigestOutcome { reminders: fresh, letter: None });
    }
    let lang = settings.default_lang;
    let now = clock.now();
    let day = today.unwrap_or_else(|| now.date_naive());
    let lines: Vec<String> = fresh.iter().map(|r| digest_line(r, lang)).collect();
    let values = HashMap::from([("today", lang.date(day)), ("digest", lines.join("\n")), ("org.name", settings.org_name.clone())]);
    let source = db.read(|c| templates::source(c, TemplateName::ReminderDigest, lang))?;
    let rendered = render::render(&templates::parse(&source)?, &values, lang);
    let composed = compose::compose(&settings, ("", &officer), &rendered, &[], now, false)?;
    let id = db.write(|tx| {
        let id = outbox::insert(
            tx,
            &NewLetter {
                request_id: None,
                template: TemplateName::ReminderDigest,
                lang,
                subject: &rendered.subject,
                body_text: &rendered.text,
                body_html: &rendered.html,
                composed: &composed,
                clock_event: None,
            },
            now,
            actor,
        )?;
        for r in &fresh {
            tx.execute(
                "INSERT INTO reminders_given (request_id, threshold, due, at, letter_id) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                &[&r.request_id, &r.threshold, &r.due.to_string(), &now.to_rfc3339(), &id],
            )?;
        }
        Ok(id)
    })?;
    Ok(DigestOutcome { reminders: fresh, letter: Some(db.read(|c| outbox::get(c, &id))?) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_falls_in_the_smallest_threshold_it_is_within() {
        let t = [7, 3, 1];
        assert_eq!(threshold(10, &t), None);
        assert_eq!(threshold(7, &t).as_deref(), Some("due-7"));
        assert_eq!(threshold(2, &t).as_deref(), Some("due-3"));
        assert_eq!(threshold(0, &t).as_deref(), Some("due-1"));
        assert_eq!(threshold(-1, &t).as_deref(), Some("overdue"));
    }
}
