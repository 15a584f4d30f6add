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

/// The attachment a MIME part is, from its headers: never opened.
fn attachment_of<'x>(part: &impl MimeHeaders<'x>, size: usize, is_message: bool) -> AttachmentInfo {
    let content_type = part
        .content_type()
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("octet-stream")).to_ascii_lowercase())
        .unwrap_or_else(|| "application/octet-stream".into());
    let name = match part.attachment_name() {
        Some(n) => crate::evidence::safe_name(n),
        None if is_message => "forwarded message.eml".into(),
        None => "unnamed".into(),
    };
    AttachmentInfo { name, content_type, size: u32::try_from(size).unwrap_or(u32::MAX) }
}

/// Subject prefixes of a forwarded mail, in the languages the keyword rules know.
const FORWARD_PREFIXES: &[&str] = &["fwd:", "fw:", "wg:", "tr:", "rv:", "enc:", "i:", "doorst:", "fwd :", "tr :"];

/// The message a forward carries (`message/rfc822` inside), when the message is a
/// forward: its subject says so, or it says little itself. The inner message's
/// sender is then the one who asked.
fn forwarded<'a>(message: &'a mail_parser::Message<'a>, own_text: &str) -> Option<&'a mail_parser::Message<'a>> {
    let subject = message.subject().unwrap_or("").trim_start().to_lowercase();
    let says_forward = FORWARD_PREFIXES.iter().any(|p| subject.starts_with(p));
    if !says_forward && own_text.trim().chars().count() > 500 {
        return None;
    }
    let inner = message.attachments().find_map(|p| p.message())?;
    inner.from().and_then(|a| a.first()).and_then(|a| a.address()).filter(|a| a.contains('@'))?;
    Some(inner)
}

/// Reads a message; never fails: what cannot be read is named in `warning`.
/// A forwarded request (a `message/rfc822` part in a forward) is read as the
/// inner message's: its sender is offered as the subject, its words give the
/// suggestion, and the preview names who forwarded it.
pub fn parse(bytes: &[u8]) -> Parsed {
    // Headers with nothing after them, not even the blank line, are still headers (the last one
    // would otherwise be lost); only the copy parsed is completed, the stored bytes stay exact.
    let completed;
    let bytes = if bytes.windows(2).any(|w| w == b"\n\n") || bytes.windows(3).any(|w| w == b"\n\r\n") {
        bytes
    } else {
        completed = [bytes, b"\r\n\r\n"].concat();
        &completed[..]
    };
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
    let own_text = message.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    p.preview = clean(&own_text, PREVIEW_CHARS, true);
    for part in message.attachments().take(MAX_ATTACHMENTS) {
        p.attachments.push(attachment_of(part, part.len(), part.is_message()));
    }
    let has_headers = message.headers().iter().any(|h| !h.name().is_empty());
    if let Some(inner) = forwarded(&message, &own_text) {
        let by = if p.from_address.is_empty() { "an unknown sender".to_string() } else { p.from_address.clone() };
        let from = inner.from().and_then(|a| a.first()).expect("checked in forwarded");
        let inner_subject = clean(inner.subject().unwrap_or(""), 500, false);
        let inner_text = inner.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
        let note = clean(&own_text, 300, true);
        let mut preview = format!("Forwarded by {by}");
        if !note.is_empty() {
            preview.push_str(&format!(": {note}"));
        }
        preview.push_str(&format!("\n\nSubject: {inner_subject}\n\n{inner_text}"));
        p.from_name = clean(from.name().unwrap_or(""), 200, false);
        p.from_address = clean(from.address().unwrap_or(""), 320, false);
        p.preview = clean(&preview, PREVIEW_CHARS, true);
        if p.subject.is_empty() {
            p.subject = inner_subject;
        }
    }
    if !has_headers || p.from_address.is_empty() || !p.from_address.contains('@') {
        p.warning = Some(if has_headers {
            "the message names no readable sender address".into()
        } else {
            "the message has no readable headers; its exact bytes are kept".into()
        });
    }
    p
}

/// Bytes of a large message kept for its headers and first text (the preview).
pub const PREFIX_BYTES: usize = 256 << 10;
/// Longest line kept to recognise a boundary (RFC 2046: at most 70 characters after `--`).
const MAX_LINE: usize = 1000;
/// Longest block of part headers read.
const MAX_PART_HEADERS: usize = 64 << 10;
/// Deepest nesting of multiparts followed.
const MAX_DEPTH: usize = 50;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Base64,
    Other,
}

/// An attachment being counted.
struct Counting {
    info: AttachmentInfo,
    encoding: Encoding,
    /// Base64 characters (with padding), or raw bytes.
    units: u64,
    padding: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading the headers of the message (`top`) or of a part.
    Headers { top: bool },
    /// A leaf part's content (counted when it is an attachment).
    Body,
    /// A multipart's preamble or epilogue.
    Skip,
}

/// Reads a message as it streams past, in bounded memory: keeps its first
/// [`PREFIX_BYTES`] for the headers and the preview, and lists its attachments
/// (name, type, decoded size) by following the MIME boundaries line by line.
/// What it cannot follow is not an error: the exact bytes are kept anyway.
pub struct Scanner {
    /// How much of the start is kept ([`PREFIX_BYTES`]).
    limit: usize,
    prefix: Vec<u8>,
    total: u64,
    line: Vec<u8>,
    line_units: u64,
    line_padding: u64,
    line_bytes: u64,
    boundaries: Vec<Vec<u8>>,
    state: State,
    headers: Vec<u8>,
    part: Option<Counting>,
    attachments: Vec<AttachmentInfo>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            limit: PREFIX_BYTES,
            prefix: Vec::new(),
            total: 0,
            line: Vec::new(),
            line_units: 0,
            line_padding: 0,
            line_bytes: 0,
            boundaries: Vec::new(),
            state: State::Headers { top: true },
            headers: Vec::new(),
            part: None,
            attachments: Vec::new(),
        }
    }
}

impl Scanner {
    /// The next bytes of the message.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.prefix.len() < self.limit {
            let take = (self.limit - self.prefix.len()).min(bytes.len());
            self.prefix.extend_from_slice(&bytes[..take]);
        }
        while !bytes.is_empty() {
            let (piece, rest, ends) = match bytes.iter().position(|b| *b == b'\n') {
                Some(i) => (&bytes[..=i], &bytes[i + 1..], true),
                None => (bytes, &b""[..], false),
            };
            self.take(piece);
            if ends {
                self.end_line();
            }
            bytes = rest;
        }
    }

    /// A piece of the current line.
    fn take(&mut self, piece: &[u8]) {
        if self.line.len() < MAX_LINE {
            let keep = (MAX_LINE - self.line.len()).min(piece.len());
            self.line.extend_from_slice(&piece[..keep]);
        }
        self.line_bytes += piece.len() as u64;
        if let Some(Counting { encoding: Encoding::Base64, .. }) = self.part {
            for b in piece {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => self.line_units += 1,
                    b'=' => {
                        self.line_units += 1;
                        self.line_padding += 1;
                    }
                    _ => {}
                }
            }
        }
        if matches!(self.state, State::Headers { .. }) && self.headers.len() < MAX_PART_HEADERS {
            let keep = (MAX_PART_HEADERS - self.headers.len()).min(piece.len());
            self.headers.extend_from_slice(&piece[..keep]);
        }
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        let (units, padding, raw) = (self.line_units, self.line_padding, self.line_bytes);
        (self.line_units, self.line_padding, self.line_bytes) = (0, 0, 0);
        let trimmed = line.trim_ascii_end();
        match self.state {
            State::Headers { top } => {
                if trimmed.is_empty() {
                    let headers = std::mem::take(&mut self.headers);
                    self.start_part(&headers, top);
                }
            }
            State::Body | State::Skip => {
                if trimmed.starts_with(b"--") {
                    for i in (0..self.boundaries.len()).rev() {
                        let b = &self.boundaries[i];
                        if trimmed == b.as_slice() || (trimmed.len() == b.len() + 2 && trimmed.starts_with(b) && trimmed.ends_with(b"--")) {
                            let closing = trimmed.len() != b.len();
                            self.end_part();
                            if closing {
                                self.boundaries.truncate(i);
                                self.state = State::Skip;
                            } else {
                                self.boundaries.truncate(i + 1);
                                self.state = State::Headers { top: false };
                            }
                            return;
                        }
                    }
                }
                if let Some(part) = &mut self.part {
                    match part.encoding {
                        Encoding::Base64 => {
                            part.units += units;
                            if units > 0 {
                                part.padding = padding;
                            }
                        }
                        Encoding::Other => part.units += raw,
                    }
                }
            }
        }
    }

    /// A part's headers are read: a multipart's boundary is followed, an attachment counted.
    fn start_part(&mut self, headers: &[u8], top: bool) {
        let parsed = MessageParser::default().parse_headers(headers);
        let Some(h) = parsed.as_ref() else {
            self.state = State::Body;
            return;
        };
        let (ctype, subtype) = h
            .content_type()
            .map(|ct| (ct.ctype().to_ascii_lowercase(), ct.subtype().unwrap_or("").to_ascii_lowercase()))
            .unwrap_or_else(|| ("text".into(), "plain".into()));
        if ctype == "multipart" {
            if let Some(boundary) = h.content_type().and_then(|ct| ct.attribute("boundary")).filter(|b| !b.is_empty()) {
                if self.boundaries.len() < MAX_DEPTH {
                    self.boundaries.push([b"--".as_slice(), boundary.as_bytes()].concat());
                }
                self.state = State::Skip;
                return;
            }
        }
        self.state = State::Body;
        let is_message = ctype == "message" && subtype == "rfc822";
        let named = h.attachment_name().is_some();
        let disposed = h.content_disposition().is_some_and(|d| d.is_attachment());
        let is_attachment = (is_message && !top) || disposed || named || (ctype != "text" && ctype != "multipart" && !is_message);
        if is_attachment && self.attachments.len() < MAX_ATTACHMENTS {
            let encoding = match h.content_transfer_encoding() {
                Some(e) if e.trim().eq_ignore_ascii_case("base64") => Encoding::Base64,
                _ => Encoding::Other,
            };
            self.part = Some(Counting { info: attachment_of(h, 0, is_message), encoding, units: 0, padding: 0 });
        }
    }

    fn end_part(&mut self) {
        if let Some(part) = self.part.take() {
            let size = match part.encoding {
                Encoding::Base64 => (part.units / 4 * 3).saturating_sub(part.padding.min(2)),
                // The line break before the boundary belongs to the boundary.
                Encoding::Other => part.units.saturating_sub(2),
            };
            self.attachments.push(AttachmentInfo { size: u32::try_from(size).unwrap_or(u32::MAX), ..part.info });
        }
    }

    /// How many bytes were fed.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// What the intake shows: headers and preview from the first bytes, the attachments from the whole.
    pub fn finish(mut self) -> Parsed {
        if !self.line.is_empty() || self.line_bytes > 0 {
            self.end_line();
        }
        self.end_part();
        let mut p = parse(&self.prefix);
        // A message that fitted in the prefix was read whole; otherwise the scan saw what the prefix did not.
        if self.total > self.prefix.len() as u64 {
            p.attachments = self.attachments;
        }
        p
    }
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

    /// A message with every kind of part the scanner must follow.
    const MIXED: &[u8] = b"From: Ada <ada@example.org>\r\nSubject: Access request\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\nPreamble to skip\r\n--outer\r\n\
Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Please send me a copy of my data.\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>Please</p>\r\n--inner--\r\n\
--outer\r\nContent-Type: application/pdf; name=\"=?UTF-8?Q?Ausweis_J=C3=BCrgen.pdf?=\"\r\nContent-Disposition: attachment;\r\n\
 filename=\"=?UTF-8?Q?Ausweis_J=C3=BCrgen.pdf?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjcKJSBub3QgYSByZWFsIHBkZgo=\r\n--outer\r\nContent-Type: text/csv\r\n\
Content-Disposition: attachment; filename*=UTF-8''%C3%A9l%C3%A8ves.csv\r\n\r\na,b\r\n1,2\r\n--outer\r\n\
Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\r\n--outer--\r\nEpilogue\r\n";

    fn scanned(raw: &[u8], piece: usize) -> Vec<AttachmentInfo> {
        let mut scanner = Scanner { limit: 16, ..Scanner::default() };
        for chunk in raw.chunks(piece) {
            scanner.feed(chunk);
        }
        assert_eq!(scanner.total(), raw.len() as u64);
        scanner.finish().attachments
    }

    #[test]
    fn the_streaming_scan_lists_the_attachments_the_whole_parse_lists_however_the_bytes_arrive() {
        let whole = parse(MIXED).attachments;
        assert_eq!(
            whole.iter().map(|a| (a.name.as_str(), a.content_type.as_str())).collect::<Vec<_>>(),
            [("Ausweis Jürgen.pdf", "application/pdf"), ("élèves.csv", "text/csv"), ("unnamed", "image/png")]
        );
        for piece in [1, 2, 7, 64, 4096] {
            assert_eq!(scanned(MIXED, piece), whole, "fed {piece} bytes at a time");
        }
    }

    #[test]
    fn the_streaming_scan_keeps_the_headers_and_preview_and_survives_garbage() {
        let mut scanner = Scanner::default();
        scanner.feed(MIXED);
        let p = scanner.finish();
        assert_eq!(p.subject, "Access request");
        assert!(p.preview.contains("Please send me a copy"), "{}", p.preview);
        let mut garbage = Scanner { limit: 8, ..Scanner::default() };
        garbage.feed(b"\x00\xff--\r\n\r\n--x--\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n");
        garbage.feed(&[b'-'; 5000]);
        let p = garbage.finish();
        assert!(p.warning.is_some());
    }

    #[test]
    fn a_forwarded_request_is_read_as_the_inner_message() {
        let raw = b"From: Colleague <desk@ourcompany.example>\r\nSubject: WG: Auskunft\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"f\"\r\n\r\n--f\r\nContent-Type: text/plain\r\n\r\nFYI, came in at the front desk.\r\n\
--f\r\nContent-Type: message/rfc822\r\n\r\nFrom: Jana Novak <jana@example.net>\r\nSubject: Request\r\n\r\n\
Please erase all data you hold about me.\r\n--f--\r\n";
        let p = parse(raw);
        assert_eq!((p.from_name.as_str(), p.from_address.as_str()), ("Jana Novak", "jana@example.net"));
        assert!(p.preview.starts_with("Forwarded by desk@ourcompany.example: FYI"), "{}", p.preview);
        assert!(p.preview.contains("Please erase all data"), "{}", p.preview);
        assert_eq!(p.subject, "WG: Auskunft");
        assert!(p.warning.is_none());
        assert_eq!(p.attachments[0].name, "forwarded message.eml");
    }

    #[test]
    fn headers_with_no_blank_line_or_body_after_them_are_all_read() {
        let p = parse(b"From: Headers Only <h@example.org>\r\nSubject: Nothing below");
        assert_eq!((p.from_address.as_str(), p.subject.as_str()), ("h@example.org", "Nothing below"));
        assert!(p.warning.is_none());
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
