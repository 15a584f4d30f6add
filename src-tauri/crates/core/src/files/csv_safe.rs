//! Cells that a spreadsheet would run as a formula are neutralised.
//!
//! A subject's name typed as `=HYPERLINK(...)` must not become a live formula
//! when the officer opens the register in Excel or LibreOffice (OWASP "CSV
//! injection"). A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return gets a leading apostrophe, which spreadsheets show as text.

use std::borrow::Cow;

pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The cell as it was before [`neutralise`]: the apostrophe comes off where it
/// stands before a formula starter, so an exported file imports back unchanged.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_neutralised_and_plain_text_is_kept() {
        for bad in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for good in ["Ada", "ada@example.org", "2025-01-31", "", "a=b"] {
            assert_eq!(neutralise(good), good);
        }
        for cell in ["=1+1", "-2", "'quoted", "'", "Ada", ""] {
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?} reads back as it was");
        }
    }
}
