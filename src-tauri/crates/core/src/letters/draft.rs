//! Writing a letter to the subject of a request: preview it, then queue it in
//! the outbox (with its timeline event, in one transaction).

use std::collections::HashMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::deadlines::{self, ClockEvent, ScheduleInput};
use crate::domain::lang::Lang;
use crate::domain::{Request, RequestId};
use crate::error::{Error, Result};
use crate::letters::authorities;
use crate::letters::compose::{self, Attachment};
use crate::letters::outbox::{self, Letter, NewLetter};
use crate::letters::render::{self, Rendered};
use crate::letters::templates::{self, Family, TemplateName};
use crate::requests::rows;
use crate::settings::mail::{self as settings, MailSettings};
use crate::store::Store;

/// What the officer chooses and types for a letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct LetterInput {
    /// A template name; `response` picks the response letter for the request's type.
    pub template: String,
    /// The letter's language; none means the mail settings' default.
    pub lang: Option<Lang>,
    /// Why (refusal, extension notice, appeal decision).
    pub reasons: String,
    /// What is asked or what was done (identity evidence needed, the question, what was erased …).
    pub details: String,
    /// Erasure: what was kept, and under which legal duty.
    pub kept: String,
}

/// A letter as it will be sent, for the officer to read first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LetterPreview {
    pub template: TemplateName,
    pub lang: Lang,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The clock event recorded when the letter is sent (dated that day).
    pub clock_event: Option<ClockEvent>,
}

/// The letters an officer can write, with the fields each needs (for the UI's chooser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LetterKind {
    pub template: TemplateName,
    pub required_fields: Vec<String>,
}

pub fn kinds() -> Vec<LetterKind> {
    TemplateName::letters()
        .map(|t| LetterKind { template: t, required_fields: t.required_fields().iter().map(|s| s.to_string()).collect() })
        .collect()
}

struct Prepared {
    request: Request,
    settings: MailSettings,
    template: TemplateName,
    lang: Lang,
    to_name: String,
    to_address: String,
    rendered: Rendered,
    clock_event: Option<ClockEvent>,
}

fn zone(request: &Request) -> Tz {
    request.time_zone.parse().unwrap_or(Tz::UTC)
}

fn prepare(db: Store<'_>, clock: &dyn Clock, request_id: &str, input: &LetterInput, attached: &[&str]) -> Result<Prepared> {
    let settings = settings::require(db)?;
    let request = db.read(|c| rows::get(c, request_id, |z| clock.today(z.parse().unwrap_or(Tz::UTC))))?;
    let template = TemplateName::parse(input.template.trim(), Some(request.request_type))?;
    if !template.is_letter() {
        return Err(Error::invalid("template", "is not a letter to the subject"));
    }
    // A request handled as processor: the controller answers the subject (issue 19 item 12).
    let processor = db.read(|c| crate::requests::processor::get(c, &request))?;
    check_processor_letter(processor.as_ref(), template)?;
    let subject_address =
        request.subject.email.clone().filter(|e| !e.trim().is_empty()).ok_or_else(|| {
            Error::invalid("to", "the request has no email address for the subject; add one, or send this letter by post")
        })?;
    // The forward goes to the controller's contact, not to the subject.
    let (to_name, to_address) = match (&processor, template) {
        (Some(role), TemplateName::ProcessorForward) => (role.controller.clone(), role.controller_email.clone()),
        _ => (request.subject.name.clone(), subject_address.clone()),
    };
    let typed = |field: &str| match field {
        "reasons" => input.reasons.trim(),
        "details" => input.details.trim(),
        "kept" => input.kept.trim(),
        _ => "",
    };
    let family = Family::of_regime(&request.regime);
    for field in template.required_fields_for(family) {
        if typed(field).is_empty() {
            let why = match (template, family, field) {
                (TemplateName::Refusal, Some(Family::Quebec | Family::Popia), "details") => {
                    "is required for this letter: name the provision of the law on which the refusal relies"
                }
                (TemplateName::Acknowledgement, Some(Family::Ccpa), "details") => {
                    "is required for this letter: describe in general how you will verify the requester's identity (11 CCR § 7021(a))"
                }
                _ => "is required for this letter",
            };
            return Err(Error::invalid(field, why));
        }
    }
    let lang = input.lang.unwrap_or(settings.default_lang);
    let today = clock.today(zone(&request));
    let recorded = db.read(|c| crate::requests::schedules::clock_events(c, &request.id))?;
    let options = crate::deadlines::options(db)?;
    let schedule_input = |events| ScheduleInput {
        regime: &request.regime,
        jurisdiction: &request.jurisdiction,
        request_type: request.request_type,
        received_on: request.received_on,
        events,
        options: &options,
        today: Some(today),
    };
    let mut until = None;
    let clock_event = match template {
        TemplateName::IdentityRequest => Some(ClockEvent::IdentityRequested { on: today }),
        TemplateName::ClarificationRequest => Some(ClockEvent::ClarificationRequested { on: today }),
        TemplateName::ExtensionNotice => {
            // Refused when the notice would be late (or the regime allows no extension).
            deadlines::check_extension(&schedule_input(&recorded), today)?;
            let notice = ClockEvent::ExtensionNoticeSent { on: today, reason: None, until: None };
            let with_notice: Vec<ClockEvent> = recorded.iter().cloned().chain([notice]).collect();
            until = deadlines::compute(&schedule_input(&with_notice))?.extended_due;
            Some(ClockEvent::ExtensionNoticeSent { on: today, reason: Some(input.reasons.trim().to_string()), until })
        }
        _ => None,
    };
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| lang.date(d)).unwrap_or_else(|| "—".into());
    let appealed: Option<String> = db.read(|c| {
        c.query_opt("SELECT p.reference FROM requests r JOIN requests p ON p.id = r.appeal_of WHERE r.id = ?1", &[&request.id], |r| {
            r.get(0)
        })
    })?;
    let values: HashMap<&str, String> = HashMap::from([
        ("subject.name", request.subject.name.clone()),
        ("subject.email", subject_address.clone()),
        ("controller.name", processor.as_ref().map(|r| r.controller.clone()).unwrap_or_default()),
        ("processor.received", processor.as_ref().map(|r| lang.date(r.received_by_us)).unwrap_or_default()),
        ("request.reference", request.reference.clone()),
        ("request.type", lang.request_type(request.request_type).to_string()),
        ("request.regime", deadlines::regime(&request.regime).map_or(request.regime.clone(), |r| r.name.clone())),
        ("request.received", lang.date(request.received_on)),
        ("request.due", date(request.due)),
        ("org.name", settings.org_name.clone()),
        ("dpo.contact", settings.dpo_line().unwrap_or_default().to_string()),
        ("privacy.contact", settings.privacy_contact().to_string()),
        ("appeal.window", settings.appeal_days.map(|d| lang.days(d)).unwrap_or_default()),
        // The Art. 27 representative is printed only in letters under the EU GDPR.
        (
            "eu.representative",
            if family == Some(Family::Gdpr) { settings.eu_representative.clone().unwrap_or_default() } else { String::new() },
        ),
        // The earlier request an appeal appeals, as the register records it (issue 19).
        ("request.appealed", appealed.unwrap_or_default()),
        ("today", lang.date(today)),
        ("extension.until", date(until)),
        ("reasons", input.reasons.trim().to_string()),
        ("details", input.details.trim().to_string()),
        ("kept", input.kept.trim().to_string()),
        ("authority", authorities::for_request_in(&request.regime, &request.jurisdiction, lang)),
        // The authority once more, only where reasons were typed: a partial refusal in an erasure letter
        // carries the rights (GDPR Art. 12(4)); with no reasons the whole paragraph is left out.
        (
            "refusal.authority",
            if input.reasons.trim().is_empty() {
                String::new()
            } else {
                authorities::for_request_in(&request.regime, &request.jurisdiction, lang)
            },
        ),
        ("attachments", attached.join(", ")),
    ]);
    let source = db.read(|c| templates::source(c, template, lang))?;
    let source = templates::parse(&source)?;
    // A fact the letter states must be recorded: it never prints an empty value.
    for name in render::used_placeholders(&source, family) {
        let (field, why) = match name.as_str() {
            "appeal.window" => (
                "appeal_days",
                "this letter tells the subject by when they can appeal; record how many days your appeal process allows in the mail settings (`rightsdesk smtp set --appeal-days`)",
            ),
            _ => continue,
        };
        if values.get(name.as_str()).is_none_or(|v| v.trim().is_empty()) {
            return Err(Error::invalid(field, why));
        }
    }
    let rendered = render::render_for(&source, &values, lang, family);
    Ok(Prepared { to_name, request, settings, template, lang, to_address, rendered, clock_event })
}

/// A request handled as processor gets only the forward to the controller and the
/// notice to the subject; the two processor letters are for such requests only.
fn check_processor_letter(role: Option<&crate::requests::processor::ProcessorRole>, template: TemplateName) -> Result<()> {
    let processor_letter = matches!(template, TemplateName::ProcessorForward | TemplateName::ProcessorNotice);
    match (role, processor_letter) {
        (Some(role), false) => Err(Error::invalid(
            "template",
            format!(
                "this request is handled as processor for {}, the controller, who answers the subject: \
                 write processor-forward (to the controller) or processor-notice (to the subject)",
                role.controller
            ),
        )),
        (None, true) => Err(Error::invalid("template", "is only for a request registered as processor for a controller")),
        _ => Ok(()),
    }
}

/// The letter as it would be sent, without queueing it.
pub fn preview<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, request_id: &str, input: &LetterInput) -> Result<LetterPreview> {
    let p = prepare(store.into(), clock, request_id, input, &[])?;
    Ok(LetterPreview {
        template: p.template,
        lang: p.lang,
        to: format!("{} <{}>", p.to_name, p.to_address),
        subject: p.rendered.subject,
        text: p.rendered.text,
        html: p.rendered.html,
        clock_event: p.clock_event,
    })
}

/// Queues the letter: rendered, composed (Message-ID decided) and stored with
/// its `letter-queued` timeline event in one transaction. Sending is the
/// outbox's job ([`crate::letters::sender::send_due`]).
pub fn queue<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    request_id: &RequestId,
    input: &LetterInput,
    attachments: &[Attachment],
    actor: &str,
) -> Result<Letter> {
    let db = store.into();
    let names: Vec<&str> = attachments.iter().map(|a| a.name.as_str()).collect();
    let p = prepare(db, clock, request_id.as_str(), input, &names)?;
    let now = clock.now();
    let composed = compose::compose(&p.settings, (&p.to_name, &p.to_address), &p.rendered, attachments, now, true)?;
    let id = db.write(|tx| {
        if p.template == TemplateName::ProcessorForward {
            crate::requests::processor::mark_forwarded(tx, &p.request.id, clock.today(zone(&p.request)))?;
        }
        outbox::insert(
            tx,
            &NewLetter {
                request_id: Some(&p.request.id),
                template: p.template,
                lang: p.lang,
                subject: &p.rendered.subject,
                body_text: &p.rendered.text,
                body_html: &p.rendered.html,
                composed: &composed,
                clock_event: p.clock_event.as_ref(),
            },
            now,
            actor,
        )
    })?;
    db.read(|c| outbox::get(c, &id))
}
