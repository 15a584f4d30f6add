//! Checks on free text and zones that every feature applies to what an
//! officer or a file typed: one line or several, printable, within a length,
//! a known IANA time zone.

use chrono_tz::Tz;

use crate::error::{Error, Result};

pub fn parse_zone(field: &'static str, s: &str) -> Result<Tz> {
    s.parse::<Tz>().map_err(|_| Error::invalid(field, "is not an IANA time zone such as Europe/Berlin"))
}

/// A pragmatic check of an address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',')
}

/// Refuses a control character (C0, DEL, C1) in a one-line field such as a name.
pub fn one_line(field: &'static str, value: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "holds a control character (a line break, tab or escape); type it on one line"));
    }
    Ok(())
}

/// Refuses a control character other than a line break or tab in a multi-line field such as notes.
pub fn multi_line(field: &'static str, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Error::invalid(field, "holds a control character (such as an escape) that is not text"));
    }
    Ok(())
}

/// The value with every control character written out (`\x1b`, `\n`, `\u{9b}`),
/// for printing to a terminal: nothing stored can move the cursor, clear the
/// screen or retitle the window. Text without control characters is returned as is.
pub fn printable(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Trims a free-text field and refuses one longer than `max` characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> crate::Result<String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(crate::Error::invalid(field, format!("is longer than {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(crate::Error::invalid(field, "contains control characters"));
    }
    Ok(value.to_string())
}
