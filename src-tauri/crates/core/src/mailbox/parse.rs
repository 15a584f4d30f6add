//! What the intake shows of a message, read with `mail-parser`: sender, subject,
//! a bounded plain-text preview, the attachments listed (never opened), and the
//! Message-IDs it replies to. A message that cannot be read is still filed,
//! with a warning; nothing here panics on hostile input.

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};

/// The longest preview kept, in characters.
pub const PREVIEW_CHARS: usize = 2000;
/// At most this many attachments are listed.
const MAX_ATTACHMENTS: usize = 100;

/// An attachment as the intake lists it: never opened, never executed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
// Named apart from the outbox's `letters::compose::AttachmentInfo` in the UI's bindings (a struct's name is not in its JSON).
#[serde(rename = "MailAttachment")]
pub struct AttachmentInfo {
    /// A safe display name.
    pub name: String,
    /// The MIME type the message declares, e.g. `application/pdf`.
    #[serde(rename = "type")]
    pub content_type: String,
    pub size: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    pub preview: String,
    pub attachments: Vec<AttachmentInfo>,
    /// The Message-IDs of In-Reply-To and References, without angle brackets.
    pub replied_ids: Vec<String>,
    pub warning: Option<String>,
}

impl Parsed {
    pub fn sender(&self) -> &str {
        if self.from_address.is_empty() {
            "an unknown sender"
        } else {
            &self.from_address
        }
    }

    pub fn subject_or_none(&self) -> &str {
        if self.subject.is_empty() {
            "(no subject)"
        } else {
            &self.subject
        }
    }
}

/// Text fit for one line or a bounded preview: no control characters but newlines, trimmed.
fn clean(s: &str, max_chars: usize, keep_newlines: bool) -> String {
    let mut out = String::new();
    let mut blank_lines = 0;
    for c in s.chars() {
        if out.chars().count() >= max_chars {
            break;
        }
        match c {
            '\n' if keep_newlines => {
                blank_lines += 1;
                if blank_lines <= 2 {
                    out.push('\n');
                }
            }
            '\r' => {}
            c if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => {
                if !c.is_whitespace() {
                    blank_lines = 0;
                }
                out.push(c);
            }
        }
    }
    out.trim().to_string()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.trim_matches(['<', '>', ' ']).to_string()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.trim_matches(['<', '>', ' ']).to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Reads a message; never fails: what cannot be read is named in `warning`.
pub fn parse(bytes: &[u8]) -> Parsed {
    let Some(message) = MessageParser::default().parse(bytes) else {
        return Parsed { warning: Some("the message could not be read as an email; its exact bytes are kept".into()), ..Parsed::default() };
    };
    let mut p = Parsed::default();
    if let Some(from) = message.from().and_then(|a| a.first()) {
        p.from_name = clean(from.name().unwrap_or(""), 200, false);
        p.from_address = clean(from.address().unwrap_or(""), 320, false);
    }
    p.subject = clean(message.subject().unwrap_or(""), 500, false);
    p.message_id = message.message_id().map(|m| clean(m, 500, false)).filter(|m| !m.is_empty());
    p.replied_ids = ids(message.in_reply_to()).into_iter().chain(ids(message.references())).filter(|i| !i.is_empty()).collect();
    p.preview = message.body_text(0).map(|t| clean(&t, PREVIEW_CHARS, true)).unwrap_or_default();
    for part in message.attachments().take(MAX_ATTACHMENTS) {
        let content_type = part
            .content_type()
            .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("octet-stream")).to_ascii_lowercase())
            .unwrap_or_else(|| "application/octet-stream".into());
        let name = match part.attachment_name() {
            Some(n) => crate::evidence::safe_name(n),
            None if part.is_message() => "forwarded message.eml".into(),
            None => "unnamed".into(),
        };
        p.attachments.push(AttachmentInfo { name, content_type, size: u32::try_from(part.len()).unwrap_or(u32::MAX) });
    }
    let has_headers = message.headers().iter().any(|h| !h.name().is_empty());
    if !has_headers || p.from_address.is_empty() || !p.from_address.contains('@') {
        p.warning = Some(if has_headers {
            "the message names no readable sender address".into()
        } else {
            "the message has no readable headers; its exact bytes are kept".into()
        });
    }
    p
}

/// Request references such as `DSR-2026-0042` in a text, upper-cased.
pub fn references_in(text: &str) -> Vec<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = upper[from..].find("DSR-") {
        let at = from + i;
        let rest = &bytes[at + 4..];
        let year = rest.iter().take(4).filter(|b| b.is_ascii_digit()).count() == 4 && rest.len() > 4 && rest[4] == b'-';
        if year {
            let digits = rest[5..].iter().take_while(|b| b.is_ascii_digit()).count();
            let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
            if digits >= 4 && before_ok {
                found.push(upper[at..at + 4 + 5 + digits].to_string());
            }
        }
        from = at + 4;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_in_a_subject() {
        assert_eq!(references_in("Re: Your request dsr-2026-0042 (ack)"), vec!["DSR-2026-0042"]);
        assert!(references_in("XDSR-2026-0042").is_empty());
        assert!(references_in("DSR-26-1").is_empty());
    }

    #[test]
    fn a_message_without_headers_is_read_with_a_warning() {
        let p = parse(b"\x00\x01\x02 this is not an email at all");
        assert!(p.warning.is_some());
    }

    #[test]
    fn an_encoded_sender_and_subject_are_decoded() {
        let raw = b"From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <j@example.org>\r\nSubject: =?UTF-8?B?TMO2c2NodW5n?=\r\nMessage-ID: <a@b>\r\n\r\nBitte l\xf6schen\r\n";
        let p = parse(raw);
        assert_eq!(p.from_name, "Jürgen Müller");
        assert_eq!(p.subject, "Löschung");
        assert_eq!(p.message_id.as_deref(), Some("a@b"));
        assert!(p.warning.is_none());
    }
}
