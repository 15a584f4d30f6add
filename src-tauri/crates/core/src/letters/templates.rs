//! The letters Rightsdesk writes, and where their words come from: the shipped
//! templates in `assets/templates/<lang>/<name>.txt`, or the organisation's own
//! version edited in the app (table `letter_templates`).
//!
//! A template is plain text: a `Subject:` line, a blank line, then paragraphs
//! separated by blank lines; a line starting with `- ` is a list item.
//! `{{placeholder}}`s are filled in by [`crate::letters::render`]. One source gives both
//! alternatives (plain text and HTML, through `assets/templates/layout.html`),
//! so they can never say different things.

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::domain::lang::Lang;
use crate::domain::RequestType;
use crate::error::{Error, Result};
use crate::store::interface::{Conn, Store};

/// Declares the templates: name, the free-text fields the officer must fill in, the shipped sources.
macro_rules! templates {
    ($($variant:ident => $name:literal, [$($req:literal),*];)+) => {
        /// Which letter.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum TemplateName { $(#[serde(rename = $name)] $variant,)+ }

        impl TemplateName {
            pub const ALL: &'static [TemplateName] = &[$(TemplateName::$variant,)+];
            pub fn as_str(self) -> &'static str { match self { $(TemplateName::$variant => $name,)+ } }
            /// The officer-typed fields this letter cannot go without.
            pub fn required_fields(self) -> &'static [&'static str] { match self { $(TemplateName::$variant => &[$($req),*],)+ } }
            /// The text shipped in `assets/templates/`.
            pub fn shipped_source(self, lang: Lang) -> &'static str { self.shipped(lang) }
            fn shipped(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (TemplateName::$variant, Lang::En) => include_str!(concat!("../../../../../assets/templates/en/", $name, ".txt")),
                        (TemplateName::$variant, Lang::De) => include_str!(concat!("../../../../../assets/templates/de/", $name, ".txt")),
                        (TemplateName::$variant, Lang::Fr) => include_str!(concat!("../../../../../assets/templates/fr/", $name, ".txt")),
                    )+
                }
            }
        }
    };
}

templates! {
    Acknowledgement => "acknowledgement", [];
    AcknowledgementComplaint => "acknowledgement-complaint", [];
    IdentityRequest => "identity-request", ["details"];
    ClarificationRequest => "clarification-request", ["details"];
    ExtensionNotice => "extension-notice", ["reasons"];
    ResponseAccess => "response-access", [];
    ResponsePortability => "response-portability", [];
    ResponseErasure => "response-erasure", ["details"];
    ResponseRectification => "response-rectification", ["details"];
    ResponseRestriction => "response-restriction", [];
    ResponseObjection => "response-objection", [];
    ResponseOptOut => "response-opt-out", [];
    ResponseOther => "response-other", ["details"];
    Refusal => "refusal", ["reasons"];
    AppealDecision => "appeal-decision", ["details", "reasons"];
    ComplaintOutcome => "complaint-outcome", ["details"];
    ProcessorForward => "processor-forward", ["details"];
    ProcessorNotice => "processor-notice", [];
    ReminderDigest => "reminder-digest", [];
    TestMessage => "test-message", [];
    OwnerRequest => "owner-request", [];
    OwnerReminder => "owner-reminder", [];
}

/// Every placeholder a template may use. A template naming anything else is refused.
pub const PLACEHOLDERS: &[&str] = &[
    "subject.name",
    "subject.email",
    "request.reference",
    "request.type",
    "request.regime",
    "request.received",
    "request.due",
    "org.name",
    "dpo.contact",
    "today",
    "extension.until",
    "reasons",
    "details",
    "kept",
    "authority",
    "attachments",
    "digest",
    "privacy.contact",
    "appeal.window",
    "eu.representative",
    "request.appealed",
    "refusal.authority",
    // A request handled as processor (`requests::processor`): the controller, and the day we received it.
    "controller.name",
    "processor.received",
    // A mail to a system's owner about a task (`mailbox::owners`).
    "system.name",
    "task.work",
    "task.due",
    "task.instructions",
    "task.identifiers",
];

/// The families of law a letter is written for: what a refusal must say (a
/// complaint to a supervisory authority, an appeal to us, a remedy with its
/// time limit …) depends on the family, not on the language. A paragraph whose
/// first line is `[for us ccpa]` is printed only for those families, one whose
/// first line is `[not us ccpa]` for all others. See `docs/legal/letters.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// EU GDPR (and the EEA).
    Gdpr,
    /// UK GDPR and the Data Protection Act 2018.
    Uk,
    /// The US state laws that give an appeal (all but Utah).
    Us,
    /// Utah: no right of appeal in the statute (Utah Code § 13-61-203).
    Utah,
    /// California CCPA/CPRA.
    Ccpa,
    /// Québec, Act respecting the protection of personal information in the private sector (P-39.1).
    Quebec,
    /// South Africa, POPIA with PAIA's access procedure.
    Popia,
    /// Canada, PIPEDA.
    Pipeda,
    /// Brazil, LGPD.
    Lgpd,
    /// Switzerland, revised FADP.
    Ch,
    /// Australia, Privacy Act 1988 (APPs).
    Au,
    /// Singapore, PDPA.
    Sg,
    /// Japan, APPI.
    Jp,
}

impl Family {
    pub const ALL: [Family; 13] = [
        Family::Gdpr,
        Family::Uk,
        Family::Us,
        Family::Utah,
        Family::Ccpa,
        Family::Quebec,
        Family::Popia,
        Family::Pipeda,
        Family::Lgpd,
        Family::Ch,
        Family::Au,
        Family::Sg,
        Family::Jp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Gdpr => "gdpr",
            Family::Uk => "uk",
            Family::Us => "us",
            Family::Utah => "utah",
            Family::Ccpa => "ccpa",
            Family::Quebec => "quebec",
            Family::Popia => "popia",
            Family::Pipeda => "pipeda",
            Family::Lgpd => "lgpd",
            Family::Ch => "ch",
            Family::Au => "au",
            Family::Sg => "sg",
            Family::Jp => "jp",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The family of a regime id (`eu-gdpr`, `us-va`, …); none for a regime no letter knows.
    pub fn of_regime(regime: &str) -> Option<Family> {
        Some(match regime {
            "eu-gdpr" => Family::Gdpr,
            "uk-gdpr" => Family::Uk,
            "ccpa" => Family::Ccpa,
            "us-ut" => Family::Utah,
            r if r.starts_with("us-") => Family::Us,
            "quebec" => Family::Quebec,
            "popia" => Family::Popia,
            "pipeda" => Family::Pipeda,
            "lgpd" => Family::Lgpd,
            "ch-fadp" => Family::Ch,
            "au-agency" | "au-organisation" => Family::Au,
            "sg-pdpa" => Family::Sg,
            "jp-appi" => Family::Jp,
            _ => return None,
        })
    }
}

/// A paragraph's family condition: its first line `[for a b]` or `[not a b]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    For(Vec<Family>),
    Not(Vec<Family>),
}

impl Condition {
    /// Whether a paragraph with this condition is printed for `family`.
    pub fn holds(&self, family: Option<Family>) -> bool {
        match self {
            Condition::For(fs) => family.is_some_and(|f| fs.contains(&f)),
            Condition::Not(fs) => family.is_none_or(|f| !fs.contains(&f)),
        }
    }
}

/// Splits a paragraph's condition line off: `(condition, rest)`. A first line
/// `[for …]`/`[not …]` naming something other than a family is an error.
pub fn condition(paragraph: &str) -> Result<(Option<Condition>, &str)> {
    let (first, rest) = paragraph.split_once('\n').unwrap_or((paragraph, ""));
    let line = first.trim();
    let (kind, names) = match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
        Some(inner) if inner.starts_with("for ") => ("for", &inner[4..]),
        Some(inner) if inner.starts_with("not ") => ("not", &inner[4..]),
        _ => return Ok((None, paragraph)),
    };
    let families = names
        .split_whitespace()
        .map(|n| {
            Family::parse(n).ok_or_else(|| {
                let known: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
                Error::invalid("source", format!("a paragraph is marked for an unknown family of law `{n}` (known: {})", known.join(", ")))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if families.is_empty() {
        return Err(Error::invalid("source", "a `[for …]`/`[not …]` line names no family of law"));
    }
    Ok((Some(if kind == "for" { Condition::For(families) } else { Condition::Not(families) }), rest))
}

impl TemplateName {
    /// Parses a CLI/IPC name; `response` picks the variant for the request's type.
    pub fn parse(name: &str, request_type: Option<RequestType>) -> Result<TemplateName> {
        if name == "response" {
            return Ok(Self::response_for(request_type.unwrap_or(RequestType::Other)));
        }
        // A complaint is acknowledged as a complaint: the request acknowledgement's "we will answer by" would be false.
        if name == "acknowledgement" && request_type == Some(RequestType::Complaint) {
            return Ok(TemplateName::AcknowledgementComplaint);
        }
        Self::ALL.iter().copied().find(|t| t.as_str() == name).ok_or_else(|| {
            Error::invalid(
                "template",
                "is one of: acknowledgement, acknowledgement-complaint, identity-request, clarification-request, extension-notice, response, \
                 response-access, response-portability, response-erasure, response-rectification, response-restriction, \
                 response-objection, response-opt-out, response-other, refusal, appeal-decision, complaint-outcome, processor-forward, processor-notice",
            )
        })
    }

    /// The officer-typed fields this letter cannot go without for a request of
    /// `family`: a Québec or South African refusal names the provision relied on
    /// (P-39.1 s. 34; PAIA s. 56(3)(a)) in `details`, and a CCPA acknowledgement
    /// describes the verification process (11 CCR § 7021(a)) in `details`.
    pub fn required_fields_for(self, family: Option<Family>) -> Vec<&'static str> {
        let mut out = self.required_fields().to_vec();
        let extra = match (self, family) {
            (TemplateName::Refusal, Some(Family::Quebec | Family::Popia)) => Some("details"),
            (TemplateName::Acknowledgement, Some(Family::Ccpa)) => Some("details"),
            _ => None,
        };
        out.extend(extra.filter(|f| !out.contains(f)));
        out
    }

    /// The response letter for a request type.
    pub fn response_for(t: RequestType) -> TemplateName {
        match t {
            RequestType::Access => TemplateName::ResponseAccess,
            RequestType::Portability => TemplateName::ResponsePortability,
            RequestType::Erasure => TemplateName::ResponseErasure,
            RequestType::Rectification => TemplateName::ResponseRectification,
            RequestType::Restriction => TemplateName::ResponseRestriction,
            RequestType::Objection => TemplateName::ResponseObjection,
            RequestType::OptOutSaleSharing | RequestType::LimitSensitive => TemplateName::ResponseOptOut,
            RequestType::Appeal => TemplateName::AppealDecision,
            // DPA 2018 s. 164A: the complainant is told the outcome, and of the right to complain to the ICO.
            RequestType::Complaint => TemplateName::ComplaintOutcome,
            RequestType::Other => TemplateName::ResponseOther,
        }
    }

    /// Letters to the subject (not the officer's own digest or test mail, nor a mail to a system's owner).
    pub fn is_letter(self) -> bool {
        !matches!(self, TemplateName::ReminderDigest | TemplateName::TestMessage | TemplateName::OwnerRequest | TemplateName::OwnerReminder)
    }

    /// The letters an officer can choose for a request, in the order a request goes.
    pub fn letters() -> impl Iterator<Item = TemplateName> {
        Self::ALL.iter().copied().filter(|t| t.is_letter())
    }
}

impl std::fmt::Display for TemplateName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The HTML frame around every letter's body.
pub const LAYOUT_HTML: &str = include_str!("../../../../../assets/templates/layout.html");

/// A template's source split into its subject line and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub subject: String,
    pub body: String,
}

/// Checks a template source: a `Subject:` line, a body, only known placeholders.
pub fn parse(text: &str) -> Result<Source> {
    let text = text.replace("\r\n", "\n");
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let subject = first
        .strip_prefix("Subject:")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::invalid("source", "must start with a line `Subject: ...`"))?;
    let body = rest.trim_matches('\n').to_string();
    if body.trim().is_empty() {
        return Err(Error::invalid("source", "has no text after the subject line"));
    }
    for paragraph in body.split("\n\n") {
        condition(paragraph.trim_matches('\n'))?;
    }
    for name in placeholders(subject).into_iter().chain(placeholders(&body)) {
        if !PLACEHOLDERS.contains(&name.as_str()) {
            return Err(Error::invalid(
                "source",
                format!("uses an unknown placeholder {{{{{name}}}}} (known: {})", PLACEHOLDERS.join(", ")),
            ));
        }
    }
    Ok(Source { subject: subject.to_string(), body })
}

/// The placeholder names used in `text`, in order.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

/// The source in force: the organisation's edited version, else the shipped one.
pub fn source<'a>(conn: impl Into<Conn<'a>>, name: TemplateName, lang: Lang) -> Result<String> {
    let custom: Option<String> = conn.into().query_opt(
        "SELECT source FROM letter_templates WHERE name = ?1 AND lang = ?2",
        &[&name.as_str(), &lang.as_str()],
        |r| r.get(0),
    )?;
    Ok(custom.unwrap_or_else(|| name.shipped(lang).to_string()))
}

/// A template as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TemplateText {
    pub name: TemplateName,
    pub lang: Lang,
    pub source: String,
    /// True when the organisation changed it (reset restores the shipped text).
    pub customised: bool,
    pub required_fields: Vec<String>,
}

pub fn get<'a>(conn: impl Into<Conn<'a>>, name: TemplateName, lang: Lang) -> Result<TemplateText> {
    let source = source(conn, name, lang)?;
    Ok(TemplateText {
        customised: source != name.shipped(lang),
        name,
        lang,
        source,
        required_fields: name.required_fields().iter().map(|s| s.to_string()).collect(),
    })
}

/// Saves an edited template (checked first); an empty source restores the shipped one.
pub fn set<'a>(conn: impl Into<Conn<'a>>, name: TemplateName, lang: Lang, text: &str) -> Result<()> {
    let conn = conn.into();
    if text.trim().is_empty() || text == name.shipped(lang) {
        conn.execute("DELETE FROM letter_templates WHERE name = ?1 AND lang = ?2", &[&name.as_str(), &lang.as_str()])?;
        return Ok(());
    }
    parse(text)?;
    conn.execute(
        "INSERT INTO letter_templates (name, lang, source, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (name, lang) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
        &[&name.as_str(), &lang.as_str(), &text, &Utc::now().to_rfc3339()],
    )?;
    Ok(())
}

/// The template in force, for the editor.
pub fn load<'a>(store: impl Into<Store<'a>>, name: TemplateName, lang: Lang) -> Result<TemplateText> {
    store.into().read(|c| get(c, name, lang))
}

/// Saves the organisation's version of a template (an empty text restores the
/// shipped one), recorded in the audit trail.
pub fn save<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn crate::clock::Clock,
    name: TemplateName,
    lang: Lang,
    text: &str,
    actor: &str,
) -> Result<TemplateText> {
    store.into().write(|tx| {
        set(tx, name, lang, text)?;
        crate::store::events::append(
            tx,
            None,
            clock.now(),
            actor,
            crate::store::events::NewEvent {
                kind: crate::store::events::EventKind::TemplateChanged,
                summary: format!("Letter template {name} ({lang}) changed"),
                data: serde_json::json!({ "template": name, "lang": lang }),
            },
        )?;
        get(tx, name, lang)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_template_parses_in_every_language_and_uses_only_known_placeholders() {
        for t in TemplateName::ALL {
            for lang in Lang::ALL {
                let src = parse(t.shipped(lang)).unwrap_or_else(|e| panic!("{t} ({lang}): {e}"));
                for field in t.required_fields() {
                    assert!(src.body.contains(&format!("{{{{{field}}}}}")), "{t} ({lang}) does not show {field}");
                }
            }
        }
    }

    #[test]
    fn a_template_with_an_unknown_placeholder_is_refused_with_the_list_of_known_ones() {
        let err = parse("Subject: Hi\n\nDear {{subject.nmae}}").unwrap_err();
        assert_eq!(err.field(), Some("source"));
        assert!(err.to_string().contains("subject.nmae"));
    }

    #[test]
    fn the_response_letter_follows_the_request_type() {
        assert_eq!(TemplateName::parse("response", Some(RequestType::Erasure)).unwrap(), TemplateName::ResponseErasure);
        assert_eq!(TemplateName::parse("response", Some(RequestType::OptOutSaleSharing)).unwrap(), TemplateName::ResponseOptOut);
        assert!(TemplateName::parse("nonsense", None).is_err());
    }
}
