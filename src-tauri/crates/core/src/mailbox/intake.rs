//! The intake: messages read from the privacy mailbox that are not replies,
//! waiting for the officer. Rightsdesk suggests a request type from the words
//! used (transparent rules in `assets/mailbox/keywords.toml`, the matched word
//! given as the reason), the regime and jurisdiction from the settings, and
//! flags open requests from the same sender. The officer **accepts** (a request
//! is registered, received at the server's arrival time in the organisation's
//! zone, the .eml attached as evidence and its SHA-256 on the sealed
//! registration event), **dismisses** with a reason, or **links** the message
//! to a request. Each act commits with its event in one transaction.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::parse::AttachmentInfo;
use super::settings as mailbox_settings;
use super::store;
use crate::clock::Clock;
use crate::domain::{NewRequest, Request, RequestChannel, RequestLink, RequestType, CLOSED_SQL};
use crate::error::{Error, Result};
use crate::evidence::stored::{self, Sealed};
use crate::requests::{self, validate_new_request};
use crate::settings::org_time_zone;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Dialect, Store};

/// Where an intake item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum IntakeState {
    New,
    Accepted,
    Dismissed,
    /// Linked to a request by the officer, or filed on it as a reply.
    Linked,
}

impl IntakeState {
    pub const fn as_str(self) -> &'static str {
        match self {
            IntakeState::New => "new",
            IntakeState::Accepted => "accepted",
            IntakeState::Dismissed => "dismissed",
            IntakeState::Linked => "linked",
        }
    }

    pub fn parse(s: &str) -> Option<IntakeState> {
        [IntakeState::New, IntakeState::Accepted, IntakeState::Dismissed, IntakeState::Linked].into_iter().find(|x| x.as_str() == s)
    }
}

/// What Rightsdesk suggests for an item; the officer decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Suggestion {
    /// None when no rule matched.
    pub request_type: Option<RequestType>,
    /// Why: the word found and its language, e.g. `"löschen" (de)`.
    pub reason: String,
    pub regime: String,
    pub jurisdiction: String,
}

/// A message in the intake.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IntakeItem {
    pub id: String,
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    /// The server's arrival time (IMAP INTERNALDATE).
    pub received_at: DateTime<Utc>,
    pub size: u32,
    pub preview: String,
    pub attachments: Vec<AttachmentInfo>,
    pub warning: Option<String>,
    pub state: IntakeState,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// Of the exact message bytes (.eml).
    pub sha256: String,
    pub message_id: Option<String>,
    #[serde(skip)]
    pub(super) blob: String,
    pub suggestion: Option<Suggestion>,
    /// Open requests whose subject has this sender's address.
    pub open_requests_from_sender: Vec<RequestLink>,
}

#[derive(Deserialize)]
struct Rules {
    rule: Vec<Rule>,
}

#[derive(Deserialize)]
struct Rule {
    #[serde(rename = "type")]
    request_type: String,
    #[serde(flatten)]
    words: std::collections::BTreeMap<String, Vec<String>>,
}

/// The keyword rules, in their order: (type, language, word lower-cased).
fn rules() -> &'static [(RequestType, String, String)] {
    static RULES: OnceLock<Vec<(RequestType, String, String)>> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules: Rules = toml::from_str(include_str!("../../../../../assets/mailbox/keywords.toml")).expect("keywords.toml is valid");
        let mut out = Vec::new();
        for rule in rules.rule {
            let t = RequestType::parse(&rule.request_type).expect("keywords.toml names known request types");
            for (lang, words) in rule.words {
                for w in words {
                    out.push((t, lang.clone(), w.to_lowercase()));
                }
            }
        }
        out
    })
}

/// Whether `word` occurs in `text` (both lower-case) as a whole word or phrase.
fn contains_word(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + word.len().max(1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The request type the words of a message suggest, with the word and its language.
/// The first rule (most specific first) with a word in the subject, else in the text, wins.
pub fn suggest_type(subject: &str, text: &str) -> Option<(RequestType, String, String)> {
    let subject = subject.to_lowercase();
    let text = text.to_lowercase();
    for haystack in [&subject, &text] {
        let mut best: Option<&(RequestType, String, String)> = None;
        for rule in rules() {
            if contains_word(haystack, &rule.2) {
                best = Some(rule);
                break;
            }
        }
        if let Some((t, lang, word)) = best {
            return Some((*t, lang.clone(), word.clone()));
        }
    }
    None
}

fn suggestion(item: &IntakeItem, settings: Option<&mailbox_settings::MailboxSettings>) -> Suggestion {
    let (request_type, reason) = match suggest_type(&item.subject, &item.preview) {
        Some((t, lang, word)) => (Some(t), format!("the word \u{201c}{word}\u{201d} ({lang})")),
        None => (None, "no keyword matched".to_string()),
    };
    let defaults = mailbox_settings::MailboxSettings::default();
    let s = settings.unwrap_or(&defaults);
    Suggestion { request_type, reason, regime: s.regime.clone(), jurisdiction: s.jurisdiction.clone() }
}

fn open_from_sender(conn: Conn<'_>, address: &str) -> Result<Vec<RequestLink>> {
    if address.is_empty() {
        return Ok(Vec::new());
    }
    let same_address = match conn.dialect() {
        Dialect::Sqlite => "subject_email = ?1 COLLATE NOCASE",
        Dialect::Postgres => "lower(subject_email) = lower(?1)",
    };
    conn.query_map(
        &format!("SELECT id, reference FROM requests WHERE {same_address} AND NOT {CLOSED_SQL} ORDER BY number"),
        &[&address],
        |r| Ok(RequestLink { id: r.get(0)?, reference: r.get(1)? }),
    )
}

/// The items in `state` (all with none), oldest arrival first, with suggestions for new ones.
pub fn list<'a>(store: impl Into<Store<'a>>, state: Option<IntakeState>) -> Result<Vec<IntakeItem>> {
    let db = store.into();
    let settings = mailbox_settings::load(db)?;
    db.read(|c| {
        let mut items = store::list(c, state)?;
        for item in &mut items {
            if item.state == IntakeState::New {
                item.suggestion = Some(suggestion(item, settings.as_ref()));
                item.open_requests_from_sender = open_from_sender(c, &item.from_address)?;
            }
        }
        Ok(items)
    })
}

/// One item with its suggestion.
pub fn get<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<IntakeItem> {
    let db = store.into();
    let settings = mailbox_settings::load(db)?;
    db.read(|c| {
        let mut item = store::get(c, id)?;
        item.suggestion = Some(suggestion(&item, settings.as_ref()));
        item.open_requests_from_sender = open_from_sender(c, &item.from_address)?;
        Ok(item)
    })
}

/// The exact bytes of an item's message (.eml), checked against its SHA-256.
pub fn eml<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<Vec<u8>> {
    let db = store.into();
    let dir = evidence_dir(db)?;
    db.read(|c| {
        let item = store::get(c, id)?;
        if item.blob.is_empty() {
            return Err(Error::invalid("item", "its stored message was removed under the retention policy"));
        }
        stored::read(c, &dir, &item.blob, &item.sha256)
    })
}

/// What the officer may choose differently from the suggestion when accepting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AcceptOptions {
    pub request_type: Option<String>,
    pub regime: Option<String>,
    pub jurisdiction: Option<String>,
}

/// The evidence folder of the local file; on a team register stored files are in
/// `stored_chunks` and no folder is used ([`crate::evidence::place`]).
pub(super) fn evidence_dir(store: Store<'_>) -> Result<std::path::PathBuf> {
    match store {
        Store::Sqlite(db) => crate::evidence::dir(db),
        Store::Postgres(_) => Ok(std::path::PathBuf::new()),
    }
}

fn sealed_of(item: &IntakeItem) -> Sealed {
    Sealed { blob: item.blob.clone(), sha256: item.sha256.clone(), size: u64::from(item.size) }
}

/// The sealed .eml's real size, read through its stored bytes (in flat memory): the IMAP size may differ from the stored bytes.
fn sealed_in(conn: Conn<'_>, dir: &std::path::Path, item: &IntakeItem) -> Result<Sealed> {
    let size = stored::checked_size(conn, dir, &item.blob, &item.sha256)?;
    Ok(Sealed { size, ..sealed_of(item) })
}

/// Registers a request from a new item: the subject's name and address from the
/// message, channel email, received at the server's arrival time in the
/// organisation's zone; the .eml becomes its evidence and its SHA-256 is on the
/// registration event. Returns the new request.
pub fn accept<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, options: &AcceptOptions, actor: &str) -> Result<Request> {
    let db = store.into();
    let item = get(db, id)?;
    if item.state != IntakeState::New {
        return Err(Error::invalid("item", "was already decided (accepted, dismissed or linked)"));
    }
    if item.from_address.is_empty() {
        return Err(Error::invalid("item", "the message names no sender address; register the request by hand (`request add`)"));
    }
    let suggested = item.suggestion.clone().unwrap_or_else(|| suggestion(&item, None));
    let request_type = match &options.request_type {
        Some(t) => t.parse()?,
        None => suggested
            .request_type
            .ok_or_else(|| Error::invalid("type", "no request type could be suggested from the message; give one with --type"))?,
    };
    let input = NewRequest {
        request_type,
        regime: options.regime.clone().unwrap_or(suggested.regime),
        jurisdiction: options.jurisdiction.clone().unwrap_or(suggested.jurisdiction),
        subject_name: if item.from_name.is_empty() { item.from_address.clone() } else { item.from_name.clone() },
        subject_email: item.from_address.clone(),
        identifiers: Vec::new(),
        channel: Some(RequestChannel::Email),
        received: item.received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        time_zone: String::new(),
        notes: String::new(),
        idempotency_key: None,
        appeal_of: None,
    };
    let valid = validate_new_request(&input, clock, org_time_zone(db)?)?;
    let dir = evidence_dir(db)?;
    let now = clock.now();
    db.write(|tx| {
        let item = store::get(tx, &item.id)?;
        let sealed = sealed_in(tx, &dir, &item)?;
        let source = json!({ "intake_item": item.id, "eml_sha256": item.sha256, "received_at": input.received });
        let request_id = requests::register_in(tx, clock, &valid, actor, Some(&source))?;
        stored::attach_in(tx, now, &request_id, "request-mail.eml", &sealed, actor)?;
        store::decide(tx, &item, IntakeState::Accepted, None, Some(&request_id), now, actor)?;
        tracing::info!(item = %item.id, request = %request_id, "intake item accepted");
        requests::rows::get(tx, &request_id, requests::today_in(clock))
    })
}

/// Dismisses a new item as not a request, with the reason on record.
pub fn dismiss<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, reason: &str, actor: &str) -> Result<IntakeItem> {
    let reason = crate::domain::text("reason", reason, 2000)?;
    if reason.is_empty() {
        return Err(Error::invalid("reason", "is required: say why this message is not a request"));
    }
    let db = store.into();
    let now = clock.now();
    db.write(|tx| {
        let item = store::get(tx, id)?;
        store::decide(tx, &item, IntakeState::Dismissed, Some(&reason), None, now, actor)?;
        events::append(
            tx,
            None,
            now,
            actor,
            NewEvent {
                kind: EventKind::IntakeDismissed,
                summary: format!("Mail in the intake dismissed as not a request: {reason}"),
                data: json!({ "intake_item": item.id, "eml_sha256": item.sha256, "reason": reason }),
            },
        )?;
        tracing::info!(item = %item.id, "intake item dismissed");
        store::get(tx, &item.id)
    })?;
    get(db, id)
}

/// Links a new item to an existing request (id or reference): the .eml becomes
/// its evidence and the mail is on its timeline.
pub fn link<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, request: &str, actor: &str) -> Result<IntakeItem> {
    let db = store.into();
    let dir = evidence_dir(db)?;
    let now = clock.now();
    db.write(|tx| {
        let item = store::get(tx, id)?;
        let (request_id, _, _) = crate::tasks::request_head(tx, request)?;
        let sealed = sealed_in(tx, &dir, &item)?;
        store::decide(tx, &item, IntakeState::Linked, None, Some(&request_id), now, actor)?;
        let evidence = stored::attach_in(tx, now, &request_id, "received-mail.eml", &sealed, actor)?;
        let from = if item.from_address.is_empty() { "an unknown sender" } else { &item.from_address };
        let subject = if item.subject.is_empty() { "(no subject)" } else { &item.subject };
        events::append(
            tx,
            Some(&request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::IntakeLinked,
                summary: format!("Mail from {from} linked to this request: {subject} (arrived {})", item.received_at.to_rfc3339()),
                data: json!({
                    "intake_item": item.id,
                    "from": item.from_address,
                    "subject": item.subject,
                    "received_at": item.received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "evidence_id": evidence.id,
                    "sha256": item.sha256,
                }),
            },
        )?;
        tracing::info!(item = %item.id, request = %request_id, "intake item linked");
        Ok(())
    })?;
    get(db, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_rules_read_and_name_the_word_found() {
        let (t, lang, word) = suggest_type("Löschung meiner Daten", "").unwrap();
        assert_eq!((t, lang.as_str(), word.as_str()), (RequestType::Erasure, "de", "löschung"));
        assert_eq!(suggest_type("Demande d'accès", "je veux une copie de mes données").unwrap().0, RequestType::Access);
        assert_eq!(suggest_type("Hola", "Quiero la portabilidad de mis datos").unwrap().0, RequestType::Portability);
        assert_eq!(suggest_type("Verzoek", "ik maak bezwaar tegen direct marketing").unwrap().0, RequestType::Objection);
        assert_eq!(suggest_type("Do not sell my personal information", "").unwrap().0, RequestType::OptOutSaleSharing);
    }

    #[test]
    fn a_word_inside_another_word_does_not_match() {
        // "sar" is a keyword for access; "necessary" must not suggest it.
        assert!(suggest_type("Invoice", "the necessary papers").is_none());
    }
}
