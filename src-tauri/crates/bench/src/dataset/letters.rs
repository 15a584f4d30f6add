//! The outbox (table `letters`): what an organisation's mail looks like after
//! two years of answering requests from the app (it set up its mail server
//! two years before `today`; older requests' letters went from a mail program
//! and are not in the outbox). Letters go only to subjects with an email
//! address: an acknowledgement for most requests (nearly all that came by
//! email, fewer from the web form, which confirms receipt itself); most of the
//! identity and clarification requests and every extension notice the
//! timelines record, each carrying its clock event; the answer to nearly every
//! completed request (the response letter for its type) and refusal; and the
//! officer's reminder digests (no request) on working days, each listing a few
//! open requests due within a week or overdue. No letter has attachments (the app
//! sends none); reminders given are not recorded in `reminders_given`.
//!
//! Nearly all were sent (server reply, sent time; a few needed a second
//! attempt). The few not sent are on open requests: the latest letters of the
//! last two days still queued for a retry or failed, and an occasional bounce.
//!
//! The words are the shipped templates' own, in the request's language
//! ([`Lang::for_jurisdiction`]), shortened to the paragraphs that carry the
//! request's particulars (the salutation, what was asked and when, an
//! extension's new date, what the officer typed, the signature); the HTML
//! alternative is those paragraphs without the layout's page around them;
//! `raw` is a compact RFC 5322 message with the plain text only. That keeps
//! most letters under 2 KB, two to a database page.
//!
//! No mail settings (`mail.smtp`) are written: the app's outbox worker finds
//! no server and leaves the queued letters alone, so a benchmark run of the
//! app never tries to send them.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use rusqlite::types::Value;
use rusqlite::Connection;

use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::Lang;
use rightsdesk_core::domain::{RequestChannel, RequestType, Status};
use rightsdesk_core::html::escape;
use rightsdesk_core::letters::outbox::backoff;
use rightsdesk_core::letters::templates::{self, TemplateName};
use rightsdesk_core::Result;

use super::batch::{int, opt_text, text, Batch};
use super::{end_of, id_at, Generated, Spec, ORG_NAME};
use crate::rng::Rng;

/// The organisation's sending address, its domain (Message-IDs) and the officer's mailbox.
pub const FROM_ADDRESS: &str = "privacy@benchmark-org.example";
pub const DOMAIN: &str = "benchmark-org.example";
pub const OFFICER_ADDRESS: &str = "dpo@benchmark-org.example";
/// Letters went out through the app from this long before `today` (the digests
/// too): the organisation set up its mail server in the app two years in; the
/// earlier letters went from a mail program and are not in the outbox.
const MAIL_SINCE_DAYS: i64 = 2 * 365;

const COLUMNS: &[&str] = &[
    "id",
    "request_id",
    "template",
    "lang",
    "message_id",
    "envelope_from",
    "envelope_to",
    "to_display",
    "subject",
    "body_text",
    "body_html",
    "raw",
    "attachments",
    "clock_event",
    "state",
    "attempts",
    "next_attempt_at",
    "claimed_at",
    "last_error",
    "server_reply",
    "queued_at",
    "sent_at",
    "updated_at",
];

// ---- the words ---------------------------------------------------------------

enum Seg {
    Lit(String),
    Var(String),
}

fn segments(text: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(Seg::Lit(rest[..start].to_string()));
        out.push(Seg::Var(after[..end].trim().to_string()));
        rest = &after[end + 2..];
    }
    out.push(Seg::Lit(rest.to_string()));
    out
}

/// A shipped template cut down to the paragraphs that carry the particulars.
struct Compact {
    subject: Vec<Seg>,
    paragraphs: Vec<(Vec<Seg>, Vec<String>)>,
}

/// Placeholders that make a paragraph worth keeping beyond the first two (the
/// salutation, and what was asked and when): an extension's new date, the
/// reasons and details the officer typed, a digest's list.
const PARTICULARS: &[&str] = &["extension.until", "reasons", "details", "digest"];

fn compact(name: TemplateName, lang: Lang) -> Result<Compact> {
    let source = templates::parse(name.shipped_source(lang))?;
    let all: Vec<&str> = source.body.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.trim().is_empty()).collect();
    let mut paragraphs = Vec::new();
    for (i, p) in all.iter().enumerate() {
        if i + 1 == all.len() {
            // The signature: the greeting and the organisation's name.
            let signature = p.lines().take(2).collect::<Vec<_>>().join("\n");
            paragraphs.push((segments(&signature), templates::placeholders(&signature)));
        } else if i < 2 || templates::placeholders(p).iter().any(|n| PARTICULARS.contains(&n.as_str())) {
            paragraphs.push((segments(p), templates::placeholders(p)));
        }
    }
    Ok(Compact { subject: segments(&source.subject), paragraphs })
}

/// What fills a letter's placeholders.
#[derive(Default)]
struct Values<'a> {
    name: &'a str,
    reference: &'a str,
    request_type: &'static str,
    received: String,
    due: String,
    today: String,
    until: String,
    reasons: &'a str,
    details: &'a str,
    digest: &'a str,
}

impl Values<'_> {
    fn get(&self, name: &str) -> &str {
        match name {
            "subject.name" => self.name,
            "request.reference" => self.reference,
            "request.type" => self.request_type,
            "request.received" => &self.received,
            "request.due" => &self.due,
            "today" => &self.today,
            "extension.until" => &self.until,
            "reasons" => self.reasons,
            "details" => self.details,
            "digest" => self.digest,
            "org.name" => ORG_NAME,
            "dpo.contact" => OFFICER_ADDRESS,
            _ => "",
        }
    }
}

fn fill(segs: &[Seg], v: &Values<'_>, out: &mut String) {
    for s in segs {
        match s {
            Seg::Lit(t) => out.push_str(t),
            Seg::Var(n) => out.push_str(v.get(n)),
        }
    }
}

/// Subject, plain text and HTML, as `letters::render` makes them: a paragraph whose
/// placeholders are all empty is left out, and everything is escaped in the HTML.
fn render(c: &Compact, v: &Values<'_>) -> (String, String, String) {
    let mut subject = String::new();
    fill(&c.subject, v, &mut subject);
    let mut text = String::new();
    let mut html = String::new();
    for (segs, names) in &c.paragraphs {
        if !names.is_empty() && names.iter().all(|n| v.get(n).trim().is_empty()) {
            continue;
        }
        let mut p = String::new();
        fill(segs, v, &mut p);
        let p = p.trim_end();
        if !text.is_empty() {
            text.push_str("\n\n");
            html.push('\n');
        }
        text.push_str(p);
        let lines: Vec<&str> = p.lines().collect();
        if lines.iter().all(|l| l.trim_start().starts_with("- ")) {
            html.push_str("<ul>");
            for l in lines {
                html.push_str("<li>");
                html.push_str(&escape(l.trim_start().trim_start_matches("- ")));
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        } else {
            html.push_str("<p>");
            html.push_str(&lines.iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>\n"));
            html.push_str("</p>");
        }
    }
    text.push('\n');
    (subject, text, html)
}

/// What an officer types into the letters that need it, in the letter's language.
fn typed(lang: Lang, what: &str) -> &'static str {
    match (what, lang) {
        ("identity", Lang::En) => {
            "A reply from the email address registered with your customer account, or a copy of an identity document showing your name."
        }
        ("identity", Lang::De) => {
            "Eine Antwort von der E-Mail-Adresse Ihres Kundenkontos oder eine Kopie eines Ausweisdokuments mit Ihrem Namen."
        }
        ("identity", Lang::Fr) => {
            "Une réponse depuis l'adresse e-mail de votre compte client, ou une copie d'une pièce d'identité indiquant votre nom."
        }
        ("clarification", Lang::En) => {
            "Which customer account or email address does your request concern, and does it include our newsletter?"
        }
        ("clarification", Lang::De) => {
            "Welches Kundenkonto oder welche E-Mail-Adresse betrifft Ihre Anfrage, und gehört unser Newsletter dazu?"
        }
        ("clarification", Lang::Fr) => {
            "Quel compte client ou quelle adresse e-mail votre demande concerne-t-elle, et inclut-elle notre newsletter ?"
        }
        ("erased", Lang::En) => "Your customer account, your newsletter subscription and your support tickets.",
        ("erased", Lang::De) => "Ihr Kundenkonto, Ihr Newsletter-Abonnement und Ihre Support-Tickets.",
        ("erased", Lang::Fr) => "Votre compte client, votre abonnement à la newsletter et vos tickets de support.",
        ("corrected", Lang::En) => "Your postal address in our customer and billing records.",
        ("corrected", Lang::De) => "Ihre Postanschrift in unseren Kunden- und Rechnungsdaten.",
        ("corrected", Lang::Fr) => "Votre adresse postale dans nos fichiers clients et de facturation.",
        ("answer", Lang::En) => "We have reviewed your request and our earlier answer, and we confirm it.",
        ("answer", Lang::De) => "Wir haben Ihr Anliegen und unsere frühere Antwort geprüft und bestätigen sie.",
        ("answer", Lang::Fr) => "Nous avons examiné votre demande et notre réponse précédente, et nous la confirmons.",
        ("extension", Lang::En) => "Your data is held in many systems, and some of them are run by our processors.",
        ("extension", Lang::De) => "Ihre Daten liegen in vielen Systemen, von denen einige unsere Auftragsverarbeiter betreiben.",
        ("extension", Lang::Fr) => "Vos données se trouvent dans de nombreux systèmes, dont certains sont gérés par nos sous-traitants.",
        _ => "",
    }
}

/// A refusal's reasons, as the officer would write them in the letter's language.
fn refusal_reasons(reason: &str, lang: Lang) -> String {
    let (de, fr) = match reason {
        "Manifestly unfounded" => ("Die Anfrage ist offenkundig unbegründet.", "La demande est manifestement infondée."),
        "Identity could not be verified" => {
            ("Wir konnten Ihre Identität nicht bestätigen.", "Nous n'avons pas pu vérifier votre identité.")
        }
        r if r.starts_with("Not a customer") => (
            "Unter den angegebenen Kennungen verarbeiten wir keine personenbezogenen Daten.",
            "Nous ne traitons aucune donnée personnelle sous les identifiants indiqués.",
        ),
        _ => (
            "Eine gesetzliche Ausnahme (Anwaltsgeheimnis) steht der Auskunft entgegen.",
            "Une exception légale (secret professionnel) s'y oppose.",
        ),
    };
    match lang {
        Lang::En => format!("{reason}."),
        Lang::De => de.to_string(),
        Lang::Fr => fr.to_string(),
    }
}

// ---- the message -------------------------------------------------------------

/// Quoted-printable (RFC 2045), CRLF line ends, lines of at most 76 characters.
fn quoted_printable(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for line in text.lines() {
        let mut width = 0;
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = (33..=126).contains(&b) && b != b'=' || (b == b' ' || b == b'\t') && !last;
            let n = if literal { 1 } else { 3 };
            if width + n > 75 {
                out.extend_from_slice(b"=\r\n");
                width = 0;
            }
            if literal {
                out.push(b);
            } else {
                out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
            width += n;
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// A header value: as is when ASCII, else RFC 2047 encoded words (Q), folded.
fn header_text(value: &str) -> String {
    if value.is_ascii() {
        return value.to_string();
    }
    let mut words = vec![String::new()];
    let mut buf = [0u8; 4];
    for c in value.chars() {
        let piece = match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '!' | '*' | '+' | '-' | '/' => c.to_string(),
            ' ' => "_".to_string(),
            c => c.encode_utf8(&mut buf).bytes().map(|b| format!("={b:02X}")).collect(),
        };
        if words.last().is_some_and(|w| w.len() + piece.len() > 60) {
            words.push(String::new());
        }
        words.last_mut().expect("one word").push_str(&piece);
    }
    words.iter().map(|w| format!("=?utf-8?q?{w}?=")).collect::<Vec<_>>().join("\r\n ")
}

fn raw_message(to_display: &str, subject: &str, message_id: &str, at: DateTime<Utc>, body: &str) -> Vec<u8> {
    let mut raw = Vec::with_capacity(400 + body.len() * 11 / 10);
    let encoding = if body.is_ascii() { "7bit" } else { "quoted-printable" };
    raw.extend_from_slice(
        format!(
            "From: {ORG_NAME} <{FROM_ADDRESS}>\r\nTo: {to_display}\r\nSubject: {}\r\nMessage-ID: {message_id}\r\nDate: {}\r\n\
             User-Agent: Rightsdesk\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: {encoding}\r\n\r\n",
            header_text(subject),
            at.to_rfc2822()
        )
        .as_bytes(),
    );
    if body.is_ascii() {
        for line in body.lines() {
            raw.extend_from_slice(line.as_bytes());
            raw.extend_from_slice(b"\r\n");
        }
    } else {
        quoted_printable(body, &mut raw);
    }
    raw
}

// ---- which letters, when ------------------------------------------------------

/// A letter before it gets its words and its fate (rows go in in the order they were queued).
struct Planned {
    at: DateTime<Utc>,
    /// The request's index; none for a digest.
    request: Option<usize>,
    template: TemplateName,
    event: Option<ClockEvent>,
    digest: String,
}

fn clock_day(g: &Generated, pick: impl Fn(&ClockEvent) -> bool) -> Option<&ClockEvent> {
    g.clock.iter().find(|e| pick(e))
}

fn plan_request(rng: &mut Rng, i: usize, g: &Generated, spec: &Spec, since: NaiveDate, out: &mut Vec<Planned>) {
    if g.subject_email.is_none() || g.received_on < since {
        return;
    }
    // Letters are written while the request is open.
    let cap = g.closed_at.map_or_else(|| end_of(spec.today) - Duration::minutes(15), |c| c - Duration::seconds(60));
    let cap = cap.max(g.received_at + Duration::minutes(1));
    let on_day = |rng: &mut Rng, day: NaiveDate| {
        let at = day.and_hms_opt(7, 0, 0).expect("a real time").and_utc() + Duration::minutes(rng.range(0, 9 * 60));
        at.max(g.received_at + Duration::minutes(rng.range(1, 30))).min(cap)
    };
    let mut push = |at, template, event| out.push(Planned { at, request: Some(i), template, event, digest: String::new() });

    let ack = match g.channel {
        RequestChannel::Email => 0.85,
        RequestChannel::WebForm => 0.3,
        RequestChannel::Phone => 0.5,
        RequestChannel::Letter | RequestChannel::InPerson => 0.4,
        RequestChannel::ViaCustomer => 0.05,
    };
    if rng.chance(ack) {
        let at = (g.received_at + Duration::minutes(rng.range(2, 240))).min(cap);
        push(at, TemplateName::Acknowledgement, None);
    }
    if let Some(ClockEvent::IdentityRequested { on }) = clock_day(g, |e| matches!(e, ClockEvent::IdentityRequested { .. })) {
        if rng.chance(0.85) {
            let at = on_day(rng, *on);
            push(at, TemplateName::IdentityRequest, Some(ClockEvent::IdentityRequested { on: *on }));
        }
    }
    if let Some(ClockEvent::ClarificationRequested { on }) = clock_day(g, |e| matches!(e, ClockEvent::ClarificationRequested { .. })) {
        if rng.chance(0.85) {
            let at = on_day(rng, *on);
            push(at, TemplateName::ClarificationRequest, Some(ClockEvent::ClarificationRequested { on: *on }));
        }
    }
    if let Some(ClockEvent::ExtensionNoticeSent { on, reason, .. }) = clock_day(g, |e| matches!(e, ClockEvent::ExtensionNoticeSent { .. }))
    {
        let at = on_day(rng, *on);
        let event = ClockEvent::ExtensionNoticeSent { on: *on, reason: reason.clone(), until: g.extended_due };
        push(at, TemplateName::ExtensionNotice, Some(event));
    }
    let answer = match g.status {
        Status::Completed if rng.chance(0.92) => Some(TemplateName::response_for(g.request_type)),
        Status::Refused if rng.chance(0.9) => Some(TemplateName::Refusal),
        _ => None,
    };
    if let (Some(template), Some(closed)) = (answer, g.closed_at) {
        let at = (closed - Duration::seconds(rng.range(60, 2_400))).max(g.received_at + Duration::minutes(1));
        push(at, template, None);
    }
}

fn digest_when(days_left: i64) -> String {
    match days_left {
        d if d < 0 => format!("overdue by {} day(s)", -d),
        0 => "due today".to_string(),
        d => format!("{d} day(s) left"),
    }
}

/// The officer's digests: on working days, a few of the open requests due within a week or overdue
/// (found by sampling the requests that arrived in the weeks before).
fn plan_digests(rng: &mut Rng, spec: &Spec, generated: &[Generated], since: NaiveDate, out: &mut Vec<Planned>) {
    let mut day = since;
    while day < spec.today {
        day += Duration::days(1);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || !rng.chance(0.8) {
            continue;
        }
        // Requests arrive in order, so the ones that can be due about now are a slice.
        let lo = generated.partition_point(|g| g.received_on < day - Duration::days(75));
        let hi = generated.partition_point(|g| g.received_on <= day);
        if lo >= hi {
            continue;
        }
        let wanted = rng.range(1, 6) as usize;
        let mut found: Vec<(i64, usize)> = Vec::new();
        for _ in 0..40 {
            let i = lo + rng.below((hi - lo) as u64) as usize;
            let g = &generated[i];
            let open = g.closed_at.is_none_or(|c| c.date_naive() > day);
            let left = g.due.map(|d| (d - day).num_days());
            if open && left.is_some_and(|l| (-5..=7).contains(&l)) && !found.iter().any(|(_, j)| *j == i) {
                found.push((left.unwrap_or(0), i));
                if found.len() == wanted {
                    break;
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        found.sort_by(|a, b| (a.0, &generated[a.1].reference).cmp(&(b.0, &generated[b.1].reference)));
        let lines: Vec<String> = found
            .iter()
            .map(|&(left, i)| {
                let g = &generated[i];
                let due = g.due.map(|d| Lang::En.date(d)).unwrap_or_default();
                format!("- {} · {} · {} · {due} ({})", g.reference, g.request_type.as_str(), g.regime, digest_when(left))
            })
            .collect();
        let at = day.and_hms_opt(6, 30, 0).expect("a real time").and_utc() + Duration::minutes(rng.range(0, 50));
        out.push(Planned { at, request: None, template: TemplateName::ReminderDigest, event: None, digest: lines.join("\n") });
    }
}

// ---- what became of them ------------------------------------------------------

const TEMPORARY: &[&str] = &[
    "421 4.7.0 smtp.benchmark-org.example: too many connections, try again later",
    "connection to smtp.benchmark-org.example:587 timed out",
    "451 4.3.0 Temporary lookup failure",
];

struct Fate {
    state: &'static str,
    attempts: i64,
    next_attempt_at: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    server_reply: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

fn queue_id(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    (0..12).map(|_| char::from(*rng.pick(CHARS))).collect()
}

fn fate(rng: &mut Rng, at: DateTime<Utc>, open: bool, recent: bool, to: &str, latest: DateTime<Utc>) -> Fate {
    let r = rng.unit();
    if open && recent && r < 0.2 {
        // Still queued: the server refused for now; the next try is due.
        let attempts = rng.range(1, 4);
        let mut last_try = at;
        for n in 1..attempts {
            last_try += backoff(n as u32);
        }
        let next = (last_try + backoff(attempts as u32)).min(latest);
        return Fate {
            state: "queued",
            attempts,
            next_attempt_at: Some(next),
            claimed_at: None,
            last_error: Some(rng.pick(TEMPORARY).to_string()),
            server_reply: None,
            sent_at: None,
            updated_at: last_try.min(latest),
        };
    }
    if open && (recent && r < 0.27 || !recent && r < 0.015) {
        let (attempts, error, took) = if rng.chance(0.7) {
            (
                1,
                format!("550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table"),
                Duration::seconds(rng.range(2, 60)),
            )
        } else {
            let last = rng.pick(TEMPORARY);
            (10, format!("gave up after 10 attempts; last: {last}"), (1..10).map(backoff).fold(Duration::zero(), |a, b| a + b))
        };
        return Fate {
            state: "failed",
            attempts,
            next_attempt_at: None,
            claimed_at: None,
            last_error: Some(error),
            server_reply: None,
            sent_at: None,
            updated_at: (at + took).min(latest).max(at),
        };
    }
    let retried = rng.chance(0.03);
    let sent = at + Duration::seconds(rng.range(2, 70)) + if retried { backoff(1) } else { Duration::zero() };
    let sent = sent.min(latest).max(at);
    Fate {
        state: "sent",
        attempts: if retried { 2 } else { 1 },
        next_attempt_at: None,
        claimed_at: Some(sent - Duration::seconds(rng.range(1, 4))),
        last_error: retried.then(|| rng.pick(TEMPORARY).to_string()),
        server_reply: Some(format!("250 2.0.0 Ok: queued as {}", queue_id(rng))),
        sent_at: Some(sent),
        updated_at: sent,
    }
}

fn instant(at: Option<DateTime<Utc>>) -> Value {
    opt_text(at.map(|t| t.to_rfc3339()))
}

pub fn generate(conn: &Connection, rng: &mut Rng, spec: &Spec, generated: &[Generated]) -> Result<u64> {
    let since = spec.today - Duration::days(MAIL_SINCE_DAYS);
    let mut planned = Vec::new();
    for (i, g) in generated.iter().enumerate() {
        plan_request(rng, i, g, spec, since, &mut planned);
    }
    plan_digests(rng, spec, generated, since, &mut planned);
    planned.sort_by_key(|p| p.at);

    let mut words: HashMap<(TemplateName, Lang), Compact> = HashMap::new();
    for &template in TemplateName::ALL {
        for lang in Lang::ALL {
            words.insert((template, lang), compact(template, lang)?);
        }
    }
    let latest = end_of(spec.today);
    let recent_from = latest - Duration::days(2);
    // The latest letter of each open request (only those may still be waiting).
    let mut latest_of: HashMap<usize, DateTime<Utc>> = HashMap::new();
    for p in &planned {
        if let Some(i) = p.request {
            latest_of.insert(i, p.at);
        }
    }
    let mut batch = Batch::new("letters", COLUMNS);
    for p in planned {
        let g = p.request.map(|i| &generated[i]);
        let lang = g.map_or(Lang::En, |g| Lang::for_jurisdiction(&g.jurisdiction));
        let c = &words[&(p.template, lang)];
        let day = p.at.date_naive();
        let reasons = match (&p.event, g) {
            (Some(ClockEvent::ExtensionNoticeSent { .. }), _) => typed(lang, "extension").to_string(),
            (_, Some(g)) if p.template == TemplateName::Refusal => {
                refusal_reasons(g.status_reason.as_deref().unwrap_or("Manifestly unfounded"), lang)
            }
            _ => String::new(),
        };
        let details = match p.template {
            TemplateName::IdentityRequest => typed(lang, "identity"),
            TemplateName::ClarificationRequest => typed(lang, "clarification"),
            TemplateName::ResponseErasure => typed(lang, "erased"),
            TemplateName::ResponseRectification => typed(lang, "corrected"),
            TemplateName::ResponseOther | TemplateName::AppealDecision => typed(lang, "answer"),
            _ => "",
        };
        let date = |d: Option<NaiveDate>| d.map_or_else(|| "—".to_string(), |d| lang.date(d));
        let values = match g {
            Some(g) => Values {
                name: &g.subject_name,
                reference: &g.reference,
                request_type: lang.request_type(g.request_type),
                received: lang.date(g.received_on),
                due: date(g.due),
                today: lang.date(day),
                until: date(g.extended_due),
                reasons: &reasons,
                details,
                digest: "",
            },
            None => Values {
                today: lang.date(day),
                digest: &p.digest,
                request_type: lang.request_type(RequestType::Other),
                ..Values::default()
            },
        };
        let (subject, body_text, body_html) = render(c, &values);
        let (to, to_display, envelope_to) = match g {
            Some(g) => {
                let email = g.subject_email.as_deref().unwrap_or(OFFICER_ADDRESS);
                (email, format!("{} <{email}>", g.subject_name), format!(r#"["{email}","{OFFICER_ADDRESS}"]"#))
            }
            None => (OFFICER_ADDRESS, OFFICER_ADDRESS.to_string(), format!(r#"["{OFFICER_ADDRESS}"]"#)),
        };
        let id = id_at(rng, p.at);
        let message_id = format!("<{}@{DOMAIN}>", id_at(rng, p.at));
        let raw = raw_message(&to_display, &subject, &message_id, p.at, &body_text);
        let open = g.is_some_and(|g| !g.status.is_closed());
        let is_latest = p.request.is_some_and(|i| latest_of.get(&i) == Some(&p.at));
        let f = fate(rng, p.at, open, is_latest && p.at >= recent_from, to, latest);
        let clock_event =
            p.event.as_ref().map(serde_json::to_string).transpose().map_err(|e| rightsdesk_core::Error::Internal(e.to_string()))?;
        let row = [
            text(id),
            opt_text(g.map(|g| g.id.as_str())),
            text(p.template.as_str()),
            text(lang.as_str()),
            text(message_id),
            text(FROM_ADDRESS),
            text(envelope_to),
            text(to_display),
            text(subject),
            text(body_text),
            text(body_html),
            Value::Blob(raw),
            text("[]"),
            opt_text(clock_event),
            text(f.state),
            int(f.attempts),
            instant(f.next_attempt_at),
            instant(f.claimed_at),
            opt_text(f.last_error),
            opt_text(f.server_reply),
            text(p.at.to_rfc3339()),
            instant(f.sent_at),
            text(f.updated_at.to_rfc3339()),
        ];
        batch.push(conn, row)?;
    }
    batch.flush(conn)?;
    Ok(batch.inserted)
}
