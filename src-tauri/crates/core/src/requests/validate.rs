//! Turning what an officer typed into a request the store accepts, or an error
//! that names the field. Messages never repeat the value (it may be personal data).
//!
//! Control characters (C0, DEL, C1: ESC and the rest) are refused at entry in
//! every one-line field, and in multi-line ones (notes, reasons) all but line
//! breaks and tabs: a name holding `ESC [ 2 J` would otherwise act on the
//! officer's terminal wherever it is printed. [`printable`] makes any stored
//! value (one from before this check included) safe to print.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::clock::Clock;
use crate::deadlines;
use crate::domain::{is_plausible_email, multi_line, one_line, parse_zone, Identifier, NewRequest, RequestChannel, RequestType};
use crate::error::{Error, Result};

/// A request whose every field has been checked.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    pub request_type: RequestType,
    pub regime: String,
    pub jurisdiction: String,
    pub subject_name: String,
    pub subject_email: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub channel: RequestChannel,
    pub received_at: DateTime<Utc>,
    pub received_on: NaiveDate,
    pub zone: Tz,
    pub notes: String,
    /// For an appeal: the earlier request's id or reference as typed, checked
    /// against the register when the request is recorded.
    pub appeal_of: Option<String>,
}

/// Parses `YYYY-MM-DD` (local date in `zone`) or an RFC 3339 instant.
fn parse_received(s: &str, zone: Tz) -> Result<(DateTime<Utc>, NaiveDate)> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::invalid("received", "is required (YYYY-MM-DD)"));
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(s) {
        let utc = instant.with_timezone(&Utc);
        return Ok((utc, utc.with_timezone(&zone).date_naive()));
    }
    let date =
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::invalid("received", "is not a real date in the form YYYY-MM-DD"))?;
    // Pin the instant to the start of that local day; the legal clock uses the date.
    let start = date.and_hms_opt(0, 0, 0).ok_or_else(|| Error::invalid("received", "is not a real date"))?;
    let instant = zone.from_local_datetime(&start).earliest().map(|d| d.with_timezone(&Utc)).unwrap_or_else(|| start.and_utc());
    Ok((instant, date))
}

pub fn validate_new_request(input: &NewRequest, clock: &dyn Clock, default_zone: Tz) -> Result<ValidRequest> {
    let request_type = input.request_type;
    let regime_id = input.regime.trim();
    let regime = deadlines::regime(regime_id)
        .ok_or_else(|| Error::invalid("regime", format!("is not a known regime (one of: {})", deadlines::regime_ids().join(", "))))?;
    if !deadlines::regime_grants(&regime.id, request_type) {
        return Err(Error::invalid(
            "type",
            format!(
                "{} is not a right under {} (it is under: {})",
                request_type.label().to_lowercase(),
                regime.name,
                deadlines::regimes_granting(request_type).join(", ")
            ),
        ));
    }
    one_line("name", &input.subject_name)?;
    one_line("email", &input.subject_email)?;
    for id in &input.identifiers {
        one_line("identifiers", &id.kind)?;
        one_line("identifiers", &id.value)?;
    }
    multi_line("notes", &input.notes)?;
    let jurisdiction = input.jurisdiction.trim().to_uppercase();
    let jurisdiction = if jurisdiction.is_empty() { regime.default_jurisdiction.clone() } else { jurisdiction };
    if !regime.accepts_jurisdiction(&jurisdiction) {
        return Err(Error::invalid(
            "jurisdiction",
            format!("is not a jurisdiction of {} (one of: {})", regime.name, regime.jurisdiction_codes().join(", ")),
        ));
    }
    let subject_name = input.subject_name.trim().to_string();
    if subject_name.is_empty() {
        return Err(Error::invalid("name", "the subject's name is required"));
    }
    if subject_name.chars().count() > 200 {
        return Err(Error::invalid("name", "is longer than 200 characters"));
    }
    let email = input.subject_email.trim();
    let subject_email = if email.is_empty() {
        None
    } else if is_plausible_email(email) {
        Some(email.to_string())
    } else {
        return Err(Error::invalid("email", "is not a valid email address"));
    };
    let mut identifiers = Vec::new();
    for id in &input.identifiers {
        let (kind, value) = (id.kind.trim(), id.value.trim());
        if kind.is_empty() && value.is_empty() {
            continue;
        }
        if kind.is_empty() || value.is_empty() {
            return Err(Error::invalid("identifiers", "each identifier needs a kind and a value"));
        }
        identifiers.push(Identifier { kind: kind.to_string(), value: value.to_string() });
    }
    if subject_email.is_none() && identifiers.is_empty() {
        return Err(Error::invalid("email", "give an email address or another identifier to reach the subject"));
    }
    let channel = input.channel.unwrap_or(RequestChannel::Email);
    let zone = match input.time_zone.trim() {
        "" => default_zone,
        z => parse_zone("time_zone", z)?,
    };
    let (received_at, received_on) = parse_received(&input.received, zone)?;
    if received_on > clock.today(zone) || received_at > clock.now() + chrono::Duration::minutes(5) {
        return Err(Error::invalid("received", "is in the future"));
    }
    if received_on.year_ce().1 < 2000 {
        return Err(Error::invalid("received", "is before the year 2000"));
    }
    if input.notes.chars().count() > 10_000 {
        return Err(Error::invalid("notes", "is longer than 10,000 characters"));
    }
    let appeal_of = input.appeal_of.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(earlier) = appeal_of {
        one_line("appeal_of", earlier)?;
        if request_type != RequestType::Appeal {
            return Err(Error::invalid("appeal_of", "only an appeal refers to an earlier request"));
        }
        if earlier.chars().count() > 200 {
            return Err(Error::invalid("appeal_of", "is longer than 200 characters"));
        }
    } else if request_type == RequestType::Appeal && regime.id.starts_with("us-") {
        // The US state laws give an appeal of a decision on a request: the appeal names it.
        return Err(Error::invalid(
            "appeal_of",
            "an appeal under a US state law needs the reference of the earlier request whose decision it appeals",
        ));
    }
    let appeal_of = appeal_of.map(str::to_string);
    Ok(ValidRequest {
        request_type,
        regime: regime.id.clone(),
        jurisdiction,
        subject_name,
        subject_email,
        identifiers,
        channel,
        received_at,
        received_on,
        zone,
        notes: input.notes.trim().to_string(),
        appeal_of,
    })
}

use chrono::Datelike as _;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::domain::printable;

    fn ada() -> NewRequest {
        NewRequest {
            request_type: RequestType::Access,
            regime: "eu-gdpr".into(),
            jurisdiction: "DE".into(),
            subject_name: "Ada Example".into(),
            subject_email: "ada@example.org".into(),
            received: "2025-01-31".into(),
            ..Default::default()
        }
    }

    fn field_of(r: NewRequest) -> &'static str {
        let clock = FixedClock::at("2025-03-01");
        validate_new_request(&r, &clock, chrono_tz::Europe::Berlin).unwrap_err().field().unwrap()
    }

    #[test]
    fn a_well_formed_request_passes() {
        let v = validate_new_request(&ada(), &FixedClock::at("2025-03-01"), chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(v.received_on.to_string(), "2025-01-31");
        assert_eq!(v.channel, RequestChannel::Email);
    }

    #[test]
    fn each_bad_value_names_its_field() {
        assert_eq!("acces".parse::<RequestType>().unwrap_err().field(), Some("type"));
        assert_eq!(field_of(NewRequest { regime: "gdpr-ish".into(), ..ada() }), "regime");
        assert_eq!(field_of(NewRequest { jurisdiction: "US-CA".into(), ..ada() }), "jurisdiction");
        assert_eq!(field_of(NewRequest { subject_email: "ada@@example".into(), ..ada() }), "email");
        assert_eq!(field_of(NewRequest { subject_email: "ada example.org".into(), ..ada() }), "email");
        assert_eq!(field_of(NewRequest { received: "2025-02-30".into(), ..ada() }), "received");
        assert_eq!(field_of(NewRequest { received: "2025-03-02".into(), ..ada() }), "received");
        assert_eq!(field_of(NewRequest { subject_name: "  ".into(), ..ada() }), "name");
        assert_eq!("pigeon".parse::<RequestChannel>().unwrap_err().field(), Some("channel"));
        assert_eq!(field_of(NewRequest { time_zone: "Mars/Olympus".into(), ..ada() }), "time_zone");
    }

    #[test]
    fn control_characters_are_refused_in_one_line_fields_and_written_out_when_printed() {
        assert_eq!(field_of(NewRequest { subject_name: "Ada\u{1b}[2J".into(), ..ada() }), "name");
        assert_eq!(field_of(NewRequest { subject_name: "Ada\nExample".into(), ..ada() }), "name");
        assert_eq!(field_of(NewRequest { subject_name: "Ada\u{9b}31m".into(), ..ada() }), "name");
        let id = Identifier { kind: "customer id".into(), value: "C-1\u{7}".into() };
        assert_eq!(field_of(NewRequest { identifiers: vec![id], ..ada() }), "identifiers");
        assert_eq!(field_of(NewRequest { notes: "fine\n\u{1b}]0;owned\u{7}".into(), ..ada() }), "notes");
        let clock = FixedClock::at("2025-03-01");
        let notes = NewRequest { notes: "line one\nline two\tend".into(), ..ada() };
        assert!(validate_new_request(&notes, &clock, chrono_tz::Europe::Berlin).is_ok(), "notes may span lines");
        assert_eq!(printable("Zoë\u{1b}[2J\n\u{9b}"), "Zoë\\x1b[2J\\n\\u{9b}");
        assert!(matches!(printable("Zoë Müller"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn an_opt_out_under_a_law_without_that_right_is_refused_naming_the_laws_that_have_it() {
        let err = validate_new_request(
            &NewRequest { request_type: RequestType::OptOutSaleSharing, ..ada() },
            &FixedClock::at("2025-03-01"),
            chrono_tz::Europe::Berlin,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("type"));
        let msg = err.to_string();
        assert!(msg.contains("ccpa") && msg.contains("us-va") && !msg.contains("eu-gdpr,"), "{msg}");
        let limit = NewRequest { request_type: RequestType::LimitSensitive, ..ada() };
        let msg = validate_new_request(&limit, &FixedClock::at("2025-03-01"), chrono_tz::Europe::Berlin).unwrap_err().to_string();
        assert!(msg.ends_with("(it is under: ccpa)"), "{msg}");
        let ccpa = NewRequest { regime: "ccpa".into(), jurisdiction: "US-CA".into(), ..limit };
        assert!(validate_new_request(&ccpa, &FixedClock::at("2025-03-01"), chrono_tz::Europe::Berlin).is_ok());
    }

    #[test]
    fn an_error_never_repeats_the_value_typed() {
        let clock = FixedClock::at("2025-03-01");
        let err = validate_new_request(
            &NewRequest { subject_email: "secret.person@@example".into(), ..ada() },
            &clock,
            chrono_tz::Europe::Berlin,
        )
        .unwrap_err();
        assert!(!err.to_string().contains("secret.person"));
    }

    #[test]
    fn a_late_evening_mail_counts_from_the_local_day() {
        let r = NewRequest { received: "2025-01-31T23:30:00Z".into(), ..ada() };
        let v = validate_new_request(&r, &FixedClock::at("2025-03-01"), chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(v.received_on.to_string(), "2025-02-01", "00:30 in Berlin is already 1 February");
    }
}
