//! Which column fills which request field. Columns are mapped from their
//! headers (the template's names and common synonyms from web forms and other
//! trackers); the officer can change any of them in the preview.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    Type,
    Regime,
    Jurisdiction,
    Name,
    Email,
    /// Another identifier; the column's header is its kind (e.g. "Customer ID").
    Identifier,
    Channel,
    Received,
    TimeZone,
    Notes,
    /// For an appeal: the reference of the earlier request (already in the register) it appeals.
    AppealOf,
}

impl ImportField {
    pub const ALL: [ImportField; 11] = [
        ImportField::Type,
        ImportField::Regime,
        ImportField::Jurisdiction,
        ImportField::Name,
        ImportField::Email,
        ImportField::Identifier,
        ImportField::Channel,
        ImportField::Received,
        ImportField::TimeZone,
        ImportField::Notes,
        ImportField::AppealOf,
    ];

    /// The name used in the template and in error messages (matches the form's field names).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportField::Type => "type",
            ImportField::Regime => "regime",
            ImportField::Jurisdiction => "jurisdiction",
            ImportField::Name => "name",
            ImportField::Email => "email",
            ImportField::Identifier => "identifier",
            ImportField::Channel => "channel",
            ImportField::Received => "received",
            ImportField::TimeZone => "time_zone",
            ImportField::Notes => "notes",
            ImportField::AppealOf => "appeal_of",
        }
    }

    pub fn parse(s: &str) -> Option<ImportField> {
        ImportField::ALL.into_iter().find(|f| f.as_str() == s)
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            ImportField::Type => &["type", "requesttype", "kindofrequest", "request"],
            ImportField::Regime => &["regime", "law", "regulation"],
            ImportField::Jurisdiction => &["jurisdiction", "country", "state", "region"],
            ImportField::Name => &["name", "subjectname", "fullname", "requester", "requestername", "datasubject"],
            ImportField::Email => &["email", "emailaddress", "subjectemail", "mail", "requesteremail"],
            ImportField::Identifier => {
                &["identifier", "customerid", "customernumber", "accountid", "accountnumber", "userid", "membernumber"]
            }
            ImportField::Channel => &["channel", "receivedvia", "via"],
            ImportField::Received => &[
                "received",
                "receivedon",
                "datereceived",
                "receiveddate",
                "date",
                "submitted",
                "submittedat",
                "submittedon",
                "createdat",
                "timestamp",
            ],
            ImportField::TimeZone => &["timezone", "tz", "zone"],
            ImportField::Notes => &["notes", "note", "comments", "comment", "details", "message", "description"],
            ImportField::AppealOf => &["appealof", "appeals", "appealedrequest", "earlierrequest", "originalrequest"],
        }
    }
}

fn normalise(header: &str) -> String {
    header.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Maps columns by their headers; an unknown header is ignored, each field is used once.
pub fn from_headers(headers: &[String]) -> Vec<Option<ImportField>> {
    let mut used = Vec::new();
    headers
        .iter()
        .map(|h| {
            let key = normalise(h);
            let found = ImportField::ALL.into_iter().find(|f| !used.contains(f) && f.synonyms().contains(&key.as_str()));
            if let Some(f) = found.filter(|f| *f != ImportField::Identifier) {
                used.push(f);
            }
            found
        })
        .collect()
}

/// Checks a mapping against the file: one entry per column, each field (but
/// identifiers) at most once, and the fields a request cannot do without.
pub fn check(mapping: &[Option<ImportField>], columns: usize, has_default_regime: bool) -> Result<()> {
    if mapping.len() != columns {
        return Err(Error::invalid("mapping", format!("has {} entries for a file of {columns} columns", mapping.len())));
    }
    for f in ImportField::ALL.into_iter().filter(|f| *f != ImportField::Identifier) {
        if mapping.iter().filter(|m| **m == Some(f)).count() > 1 {
            return Err(Error::invalid("mapping", format!("maps two columns to {}", f.as_str())));
        }
    }
    let has = |f: ImportField| mapping.contains(&Some(f));
    let mut missing: Vec<&str> =
        [ImportField::Type, ImportField::Name, ImportField::Received].into_iter().filter(|f| !has(*f)).map(ImportField::as_str).collect();
    if !has(ImportField::Regime) && !has_default_regime {
        missing.push("regime (or a default regime)");
    }
    if !has(ImportField::Email) && !has(ImportField::Identifier) {
        missing.push("email (or an identifier column)");
    }
    if !missing.is_empty() {
        return Err(Error::invalid(
            "mapping",
            format!(
                "no column is mapped to {}; the first row must name the columns (see the template \
                 assets/import/requests-template.csv) or map them by hand",
                missing.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_form_headers_map_to_request_fields() {
        let headers: Vec<String> =
            ["Request Type", "Full name", "E-mail", "Date received", "Message", "Favourite colour"].map(String::from).into();
        assert_eq!(
            from_headers(&headers),
            vec![
                Some(ImportField::Type),
                Some(ImportField::Name),
                Some(ImportField::Email),
                Some(ImportField::Received),
                Some(ImportField::Notes),
                None
            ]
        );
    }

    #[test]
    fn a_mapping_without_the_needed_fields_says_which_are_missing() {
        let err = check(&[Some(ImportField::Name)], 1, false).unwrap_err().to_string();
        assert!(err.contains("type") && err.contains("received") && err.contains("regime"), "{err}");
    }
}
