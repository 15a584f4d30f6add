//! The proportions of the data set: which laws, which rights, which stages.
//!
//! Modelled on a mid-size European company with US and other customers: most
//! requests under the GDPR and the UK GDPR, a large US share (mostly opt-outs
//! and deletions), a long tail of other laws; volume growing over four years;
//! nearly everything older than a few months closed, a small overdue backlog.

use rightsdesk_core::deadlines::{regimes, RegimeInfo};
use rightsdesk_core::domain::{RequestChannel, RequestType, Status};

use crate::rng::Rng;

/// Years of history behind `today`.
pub const HISTORY_DAYS: i64 = 4 * 365;

fn regime_weight(id: &str) -> u32 {
    match id {
        "eu-gdpr" => 400,
        "uk-gdpr" => 150,
        "ccpa" => 120,
        "lgpd" => 35,
        "pipeda" => 30,
        "ch-fadp" => 30,
        "quebec" => 10,
        id if id.starts_with("us-") => 8,
        _ => 6,
    }
}

/// Every regime the engine knows, weighted.
pub fn regime_weights() -> Vec<(&'static RegimeInfo, u32)> {
    regimes().iter().map(|r| (r, regime_weight(&r.id))).collect()
}

/// A jurisdiction of the regime: its default half the time, else any it accepts.
pub fn jurisdiction(rng: &mut Rng, regime: &RegimeInfo) -> String {
    if regime.jurisdictions.is_empty() || rng.chance(0.5) {
        regime.default_jurisdiction.clone()
    } else {
        rng.pick(&regime.jurisdictions).code.clone()
    }
}

pub fn is_us(regime: &RegimeInfo) -> bool {
    regime.id == "ccpa" || regime.id.starts_with("us-")
}

pub fn request_type(rng: &mut Rng, regime: &RegimeInfo) -> RequestType {
    use RequestType::*;
    const US: &[(RequestType, u32)] =
        &[(OptOutSaleSharing, 32), (Erasure, 30), (Access, 24), (Rectification, 5), (LimitSensitive, 5), (Appeal, 2), (Other, 2)];
    const REST: &[(RequestType, u32)] =
        &[(Access, 45), (Erasure, 30), (Rectification, 8), (Objection, 7), (Portability, 5), (Restriction, 3), (Other, 2)];
    *rng.weighted(if is_us(regime) { US } else { REST })
}

pub fn channel(rng: &mut Rng) -> RequestChannel {
    use RequestChannel::*;
    *rng.weighted(&[(Email, 45), (WebForm, 38), (Letter, 6), (Phone, 4), (InPerson, 1), (ViaCustomer, 6)])
}

/// Days before `today` the request arrived: volume grows linearly over the years.
pub fn age_days(rng: &mut Rng) -> i64 {
    let x = rng.unit().sqrt();
    ((1.0 - x) * HISTORY_DAYS as f64) as i64
}

/// Where a request of this age stands today.
pub fn status(rng: &mut Rng, age: i64) -> Status {
    use Status::*;
    let table: &[(Status, u32)] = if age <= 45 {
        &[
            (Received, 20),
            (AwaitingIdentity, 15),
            (InProgress, 40),
            (Paused, 3),
            (AwaitingClarification, 7),
            (Completed, 10),
            (Refused, 2),
            (Withdrawn, 2),
            (Duplicate, 1),
        ]
    } else if age <= 120 {
        &[
            (InProgress, 50),
            (AwaitingIdentity, 10),
            (Paused, 10),
            (AwaitingClarification, 10),
            (Completed, 800),
            (Refused, 60),
            (Withdrawn, 40),
            (Duplicate, 20),
        ]
    } else {
        &[(InProgress, 3), (Completed, 860), (Refused, 60), (Withdrawn, 50), (Duplicate, 27)]
    };
    *rng.weighted(table)
}

/// What officers write in a request's notes field.
pub const REQUEST_NOTES: &[&str] = &[
    "",
    "",
    "",
    "Asks for a copy of all support tickets and CRM notes.",
    "Closed the account; wants everything deleted.",
    "Wrong billing address in the CRM.",
    "Objects to product-analytics profiling.",
    "Forwarded by a customer; we act as their processor.",
    "Global Privacy Control signal plus web form.",
    "Asks which recipients received the data.",
];

/// What officers write on the timeline as they work.
pub const TIMELINE_NOTES: &[&str] = &[
    "Searched the CRM: one customer record found.",
    "Searched the billing system: invoices held for the legal retention period.",
    "Asked the support team for exported tickets.",
    "Marketing platform: subscriber record found and exported.",
    "Analytics: pseudonymous events linked to the account, included.",
    "Backups: data will age out under the retention schedule; subject to be told.",
    "Called the subject to confirm the scope of the request.",
    "Processor confirmed deletion in writing.",
    "Reviewed the export for third-party data; two tickets redacted.",
    "Legal reviewed the refusal grounds.",
    "Reminder: check the newsletter tool once the sync has run.",
    "Draft answer prepared for review.",
];
