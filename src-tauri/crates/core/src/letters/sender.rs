//! Talks to the organisation's SMTP server (lettre over rustls; no OpenSSL).
//!
//! The session is driven step by step (connect, STARTTLS, AUTH, MAIL, RCPT,
//! DATA, message) so that the one ambiguous moment is known: an error *before*
//! the message content is sent means the server cannot have accepted it (safe
//! to retry or fail); a lost answer *after* it means it may have (`unknown`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::letters::outbox::{self, Claimed, LetterState};
use crate::settings::mail::{MailSettings, Security};
use crate::store::Store;

/// How long one step of the SMTP conversation may take.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The settings and password one sending run uses.
pub struct Smtp {
    pub settings: MailSettings,
    pub password: Option<Zeroizing<String>>,
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The server took the message; its answer, verbatim.
    Accepted(String),
    /// It did not, and will not on a retry: 5xx, an untrusted certificate, a wrong login.
    Refused(String),
    /// It did not this time: server down, 4xx, network trouble before the message was sent.
    TryLater(String),
    /// The answer to the message itself was lost: it may have been accepted.
    Unknown(String),
}

/// A server answer as the server wrote it: `250-first line` … `250 last line`.
pub fn verbatim(r: &Response) -> String {
    let lines: Vec<&str> = r.message().collect();
    if lines.is_empty() {
        return r.code().to_string();
    }
    let n = lines.len();
    lines.iter().enumerate().map(|(i, l)| format!("{}{}{}", r.code(), if i + 1 == n { " " } else { "-" }, l)).collect::<Vec<_>>().join("\n")
}

/// The whole error chain, for the officer (lettre puts the server's text in it).
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Sorts a failure before the message content was sent: retrying helps only
/// for 4xx answers and network trouble; a certificate problem, a refused login
/// or a 5xx needs the officer.
fn before_message(e: &lettre::transport::smtp::Error) -> Delivery {
    let text = describe(e);
    // rustls reports an untrusted or mismatched certificate through the I/O error
    // of the handshake, so the words are the only reliable sign here.
    let certificate = text.contains("certificate") || text.contains("UnknownIssuer");
    if e.is_permanent() || e.is_tls() || e.is_client() || certificate {
        Delivery::Refused(text)
    } else {
        Delivery::TryLater(text)
    }
}

fn tls_parameters(settings: &MailSettings) -> Result<TlsParameters> {
    let mut builder = TlsParameters::builder(settings.host.clone()).certificate_store(CertificateStore::Default);
    if let Some(pem) = &settings.extra_ca_pem {
        let cert = Certificate::from_pem(pem.as_bytes()).map_err(|_| Error::invalid("extra_ca_pem", "is not a PEM certificate"))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build_rustls().map_err(|e| Error::invalid("extra_ca_pem", format!("cannot be used: {e}")))
}

fn open(smtp: &Smtp) -> std::result::Result<SmtpConnection, Delivery> {
    let s = &smtp.settings;
    let params = tls_parameters(s).map_err(|e| Delivery::Refused(e.to_string()))?;
    let hello = ClientId::default();
    let wrapper = (s.security == Security::Tls).then_some(&params);
    let mut conn =
        SmtpConnection::connect((s.host.as_str(), s.port), Some(TIMEOUT), &hello, wrapper, None).map_err(|e| before_message(&e))?;
    if s.security == Security::Starttls {
        if !conn.can_starttls() {
            conn.abort();
            return Err(Delivery::Refused("the server does not offer STARTTLS; the settings require it (nothing was sent)".into()));
        }
        conn.starttls(&params, &hello).map_err(|e| before_message(&e))?;
    }
    if let (Some(user), Some(password)) = (&s.username, &smtp.password) {
        let credentials = Credentials::new(user.clone(), password.as_str().to_string());
        if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials) {
            conn.abort();
            return Err(before_message(&e));
        }
    }
    Ok(conn)
}

/// Sends one message: envelope sender, recipients and exact bytes.
pub fn deliver(smtp: &Smtp, from: &str, to: &[String], raw: &[u8]) -> Delivery {
    let parse = |a: &str| a.parse::<Address>().map_err(|_| Delivery::Refused(format!("{a} is not a valid address")));
    let run = || -> std::result::Result<String, Delivery> {
        let from = parse(from)?;
        let recipients = to.iter().map(|a| parse(a)).collect::<std::result::Result<Vec<_>, _>>()?;
        let mut conn = open(smtp)?;
        let mut options = vec![];
        if !raw.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let step = |conn: &mut SmtpConnection, r: std::result::Result<Response, lettre::transport::smtp::Error>| {
            r.map_err(|e| {
                conn.abort();
                before_message(&e)
            })
        };
        let r = conn.command(Mail::new(Some(from), options));
        step(&mut conn, r)?;
        for rcpt in recipients {
            let r = conn.command(Rcpt::new(rcpt, vec![]));
            step(&mut conn, r)?;
        }
        let r = conn.command(Data);
        step(&mut conn, r)?;
        match conn.message(raw) {
            Ok(response) => {
                // The server took the message; a failed goodbye changes nothing about that.
                let _ = conn.quit();
                Ok(verbatim(&response))
            }
            Err(e) if e.is_permanent() => Err(Delivery::Refused(describe(&e))),
            Err(e) if e.is_transient() => Err(Delivery::TryLater(describe(&e))),
            Err(e) => Err(Delivery::Unknown(format!("the server's answer to the message was lost: {}", describe(&e)))),
        }
    };
    match run() {
        Ok(reply) => Delivery::Accepted(reply),
        Err(d) => d,
    }
}

/// What one sending run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SendReport {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
    /// Letters whose fate is unknown (check before resending), found or made in this run.
    pub unknown: u32,
    /// One line per letter tried: id, outcome and the server's words.
    pub details: Vec<String>,
}

/// Sends every letter that is due. First, letters abandoned mid-send by a
/// stopped program become `unknown` (never resent blindly).
pub fn send_due<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, smtp: &Smtp, actor: &str) -> Result<SendReport> {
    let db = store.into();
    let mut report = SendReport { unknown: outbox::flag_abandoned(db, clock.now(), actor)? as u32, ..Default::default() };
    let started = clock.now();
    // A letter retried in this run is not due again before `started`, so the loop ends.
    for _ in 0..1000 {
        let Some(Claimed { id, envelope_from, envelope_to, raw }) = outbox::claim_next(db, started)? else { break };
        crate::crash_point::hit("outbox.claimed");
        let outcome = deliver(smtp, &envelope_from, &envelope_to, &raw);
        let now = clock.now();
        let line = match &outcome {
            Delivery::Accepted(reply) => {
                crate::crash_point::hit("outbox.accepted");
                outbox::record_sent(db, &id, reply, now, actor, false)?;
                report.sent += 1;
                tracing::info!(letter = %id, state = "sent", "letter delivery");
                format!("{id}: sent ({reply})")
            }
            Delivery::Refused(why) => {
                outbox::record_failed(db, &id, why, now, actor)?;
                report.failed += 1;
                // Never the server's words (`why`): they may quote the recipient.
                tracing::warn!(letter = %id, state = "failed", "letter delivery");
                format!("{id}: failed ({why})")
            }
            Delivery::TryLater(why) => match outbox::record_retry(db, &id, why, now, actor)? {
                LetterState::Failed => {
                    report.failed += 1;
                    tracing::warn!(letter = %id, state = "failed", retried = true, "letter delivery");
                    format!("{id}: failed after repeated attempts ({why})")
                }
                _ => {
                    report.retrying += 1;
                    tracing::info!(letter = %id, state = "retrying", "letter delivery");
                    format!("{id}: will retry ({why})")
                }
            },
            Delivery::Unknown(why) => {
                outbox::record_unknown(db, &id, why, now, actor)?;
                report.unknown += 1;
                tracing::warn!(letter = %id, state = "unknown", "letter delivery");
                format!("{id}: unknown, check before resending ({why})")
            }
        };
        report.details.push(line);
    }
    tracing::info!(sent = report.sent, failed = report.failed, retrying = report.retrying, unknown = report.unknown, "outbox run");
    Ok(report)
}

/// The answer to a test message, shown to the officer verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestOutcome {
    pub ok: bool,
    /// The server's answer (or the error, with the server's words) exactly as received.
    pub reply: String,
}

/// Sends a test message to `to` (not kept in the outbox: it is no letter).
pub fn send_test(smtp: &Smtp, to: &str, now: DateTime<Utc>) -> Result<TestOutcome> {
    crate::settings::mail::valid_address("to", to)?;
    let s = &smtp.settings;
    let source = crate::letters::templates::parse(crate::letters::templates::TemplateName::TestMessage.shipped_source(s.default_lang))?;
    let values = std::collections::HashMap::from([("today", s.default_lang.date(now.date_naive())), ("org.name", s.org_name.clone())]);
    let rendered = crate::letters::render::render(&source, &values, s.default_lang);
    let composed = crate::letters::compose::compose(s, ("", to), &rendered, &[], now, false)?;
    Ok(match deliver(smtp, &composed.envelope_from, &composed.envelope_to, &composed.raw) {
        Delivery::Accepted(reply) => TestOutcome { ok: true, reply },
        Delivery::Refused(e) | Delivery::TryLater(e) | Delivery::Unknown(e) => TestOutcome { ok: false, reply: e },
    })
}

/// The largest message the server takes, from the SIZE extension of its EHLO
/// answer (RFC 1870); none when it gives none (or `SIZE 0`, no fixed limit) or
/// cannot be reached. Lettre reads EHLO for its own features only, so the
/// answer is asked for again on a connection that sends nothing.
pub fn size_limit(smtp: &Smtp) -> Option<u64> {
    use lettre::transport::smtp::commands::Ehlo;
    let mut conn = open(smtp).ok()?;
    let answer = conn.command(Ehlo::new(ClientId::default()));
    let _ = conn.quit();
    answer.ok()?.message().find_map(|line| {
        let mut words = line.split_whitespace();
        words.next().filter(|w| w.eq_ignore_ascii_case("SIZE"))?;
        words.next()?.parse::<u64>().ok().filter(|n| *n > 0)
    })
}
