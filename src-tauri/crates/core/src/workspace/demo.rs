//! A realistic demo data set for a first run: invented people, requests under
//! several laws at every stage, received over the last weeks so that some are
//! due soon and some overdue. Loaded only into an empty database.

use chrono::Duration;

use crate::clock::Clock;
use crate::domain::RequestId;
use crate::domain::{Identifier, NewRequest, Status};
use crate::error::{Error, Result};
use crate::requests::validate_new_request;
use crate::requests::{change_status_in, count, register_in, StatusChange};
use crate::settings;
use crate::settings::org_time_zone;
use crate::store::Db;

struct Demo {
    name: &'static str,
    email: &'static str,
    kind: &'static str,
    regime: &'static str,
    jurisdiction: &'static str,
    channel: &'static str,
    days_ago: i64,
    steps: &'static [(Status, Option<&'static str>)],
    notes: &'static str,
}

const IN_PROGRESS: &[(Status, Option<&str>)] = &[(Status::InProgress, None)];
const AWAITING_ID: &[(Status, Option<&str>)] = &[(Status::AwaitingIdentity, None)];
const DONE: &[(Status, Option<&str>)] = &[(Status::InProgress, None), (Status::Completed, None)];
const CLARIFY: &[(Status, Option<&str>)] = &[(Status::InProgress, None), (Status::AwaitingClarification, None)];
const REFUSED: &[(Status, Option<&str>)] = &[(Status::Refused, Some("Not a customer: no personal data held under the given identifiers"))];

const PEOPLE: &[Demo] = &[
    Demo {
        name: "Marta Kowalczyk",
        email: "marta.k@example.net",
        kind: "access",
        regime: "eu-gdpr",
        jurisdiction: "DE",
        channel: "email",
        days_ago: 27,
        steps: IN_PROGRESS,
        notes: "Asks for a copy of all support tickets and CRM notes.",
    },
    Demo {
        name: "Jonas Lindqvist",
        email: "jonas.lindqvist@example.com",
        kind: "erasure",
        regime: "eu-gdpr",
        jurisdiction: "DE",
        channel: "web-form",
        days_ago: 33,
        steps: IN_PROGRESS,
        notes: "Closed his account; wants everything deleted. Payment records kept 7 years.",
    },
    Demo {
        name: "Aoife Brennan",
        email: "aoife.brennan@example.ie",
        kind: "portability",
        regime: "eu-gdpr",
        jurisdiction: "IE",
        channel: "email",
        days_ago: 12,
        steps: AWAITING_ID,
        notes: "",
    },
    Demo {
        name: "Lukas Hofer",
        email: "l.hofer@example.at",
        kind: "rectification",
        regime: "eu-gdpr",
        jurisdiction: "AT",
        channel: "letter",
        days_ago: 5,
        steps: &[],
        notes: "Wrong billing address in the CRM.",
    },
    Demo {
        name: "Eleni Papadopoulou",
        email: "eleni.p@example.gr",
        kind: "objection",
        regime: "eu-gdpr",
        jurisdiction: "GR",
        channel: "email",
        days_ago: 40,
        steps: DONE,
        notes: "Objects to product-analytics profiling.",
    },
    Demo {
        name: "Sophie Laurent",
        email: "sophie.laurent@example.fr",
        kind: "restriction",
        regime: "eu-gdpr",
        jurisdiction: "FR",
        channel: "phone",
        days_ago: 20,
        steps: CLARIFY,
        notes: "Contests the accuracy of usage data.",
    },
    Demo {
        name: "Pieter de Vries",
        email: "pdevries@example.nl",
        kind: "access",
        regime: "eu-gdpr",
        jurisdiction: "NL",
        channel: "via-customer",
        days_ago: 2,
        steps: &[],
        notes: "Forwarded by a customer; we act as their processor.",
    },
    Demo {
        name: "Oliver Hughes",
        email: "oliver.hughes@example.co.uk",
        kind: "access",
        regime: "uk-gdpr",
        jurisdiction: "GB-ENG",
        channel: "email",
        days_ago: 24,
        steps: IN_PROGRESS,
        notes: "",
    },
    Demo {
        name: "Isla MacLeod",
        email: "isla.macleod@example.scot",
        kind: "erasure",
        regime: "uk-gdpr",
        jurisdiction: "GB-SCT",
        channel: "web-form",
        days_ago: 9,
        steps: IN_PROGRESS,
        notes: "",
    },
    Demo {
        name: "Daniel Okafor",
        email: "d.okafor@example.com",
        kind: "access",
        regime: "ccpa",
        jurisdiction: "US-CA",
        channel: "web-form",
        days_ago: 30,
        steps: IN_PROGRESS,
        notes: "Requests categories and specific pieces of PI.",
    },
    Demo {
        name: "Maria Gonzalez",
        email: "maria.gonzalez@example.com",
        kind: "opt-out-sale-sharing",
        regime: "ccpa",
        jurisdiction: "US-CA",
        channel: "web-form",
        days_ago: 6,
        steps: &[],
        notes: "Global Privacy Control signal plus web form.",
    },
    Demo {
        name: "Kevin Tran",
        email: "kevin.tran@example.org",
        kind: "erasure",
        regime: "ccpa",
        jurisdiction: "US-CA",
        channel: "email",
        days_ago: 50,
        steps: REFUSED,
        notes: "",
    },
    Demo {
        name: "Hannah Becker",
        email: "hannah.becker@example.de",
        kind: "erasure",
        regime: "eu-gdpr",
        jurisdiction: "DE",
        channel: "email",
        days_ago: 60,
        steps: DONE,
        notes: "Newsletter and trial account removed.",
    },
    Demo {
        name: "Tomás Silva",
        email: "tomas.silva@example.pt",
        kind: "access",
        regime: "eu-gdpr",
        jurisdiction: "PT",
        channel: "email",
        days_ago: 35,
        steps: CLARIFY,
        notes: "",
    },
    Demo {
        name: "Grace Whitfield",
        email: "grace.w@example.co.uk",
        kind: "objection",
        regime: "uk-gdpr",
        jurisdiction: "GB-ENG",
        channel: "letter",
        days_ago: 15,
        steps: AWAITING_ID,
        notes: "",
    },
    Demo {
        name: "Ravi Menon",
        email: "ravi.menon@example.com",
        kind: "limit-sensitive",
        regime: "ccpa",
        jurisdiction: "US-CA",
        channel: "web-form",
        days_ago: 3,
        steps: &[],
        notes: "",
    },
];

/// Loads the demo set into an empty database; refuses to touch one that has requests.
/// The requests go in one transaction: a failure halfway (a full disk) leaves
/// none of them, so loading again works once the cause is gone.
pub fn load(db: &Db, clock: &dyn Clock, actor: &str) -> Result<usize> {
    if count(db)? > 0 {
        return Err(Error::invalid("demo", "the database already holds requests; demo data is only loaded into an empty one"));
    }
    db.write(|tx| {
        if settings::get(tx, settings::ORG_NAME)?.is_none() {
            settings::set(tx, settings::ORG_NAME, "CRM Factory (demo)")?;
        }
        if settings::get(tx, settings::ORG_TIME_ZONE)?.is_none() {
            settings::set(tx, settings::ORG_TIME_ZONE, "Europe/Berlin")?;
        }
        Ok(())
    })?;
    let today = clock.today(chrono_tz::Europe::Berlin);
    let zone = org_time_zone(db)?;
    let mut valid = Vec::with_capacity(PEOPLE.len());
    for (i, p) in PEOPLE.iter().enumerate() {
        let input = NewRequest {
            request_type: p.kind.parse()?,
            regime: p.regime.into(),
            jurisdiction: p.jurisdiction.into(),
            subject_name: p.name.into(),
            subject_email: p.email.into(),
            identifiers: vec![Identifier { kind: "customer id".into(), value: format!("C-{:05}", 10_421 + i * 137) }],
            channel: Some(p.channel.parse()?),
            received: (today - Duration::days(p.days_ago)).to_string(),
            time_zone: String::new(),
            notes: p.notes.into(),
            idempotency_key: None,
            appeal_of: None,
        };
        valid.push(validate_new_request(&input, clock, zone)?);
    }
    db.write(|tx| {
        for (v, p) in valid.iter().zip(PEOPLE) {
            let id = register_in(tx, clock, v, actor, None)?;
            for (status, reason) in p.steps {
                change_status_in(tx, clock, &RequestId::from(&id), &StatusChange::to(*status, *reason), actor)?;
            }
        }
        Ok(())
    })?;
    Ok(PEOPLE.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn demo_data_loads_once_into_an_empty_database() {
        let db = Db::open_in_memory().unwrap();
        let clock = FixedClock::at("2026-11-23");
        assert_eq!(load(&db, &clock, "t").unwrap(), PEOPLE.len());
        assert_eq!(count(&db).unwrap() as usize, PEOPLE.len());
        assert_eq!(load(&db, &clock, "t").unwrap_err().field(), Some("demo"));
    }
}
