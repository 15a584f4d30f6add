//! What changed between two schedules of the same request, so that a
//! recomputation (a new rule-set version, a corrected holiday, a new clock
//! event) is shown to the officer with its reason instead of silently
//! rewriting a date. Whether to recompute at all (never for a closed request)
//! is the service's decision; this only describes the difference.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::deadlines::explain::day;
use crate::domain::deadline::Schedule;

/// One date that differs between an old and a new schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DateChange {
    /// The schedule field: `legal_due`, `due`, `extended_due`, `ack_due`, `target`, ...
    pub field: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// In words, e.g. "legal due date: Fri 28 Feb 2025 → Mon 3 Mar 2025 (rule set eu-gdpr@2025.1 → eu-gdpr@2026.1)".
    pub summary: String,
}

type Getter = fn(&Schedule) -> Option<NaiveDate>;

/// The dates that differ between `old` and `new`, in a fixed order; empty when none do.
pub fn date_changes(old: &Schedule, new: &Schedule) -> Vec<DateChange> {
    let fields: [(&str, &str, Getter); 7] = [
        ("legal_due", "legal due date", |s| s.legal_due),
        ("due", "original due date", |s| s.due),
        ("extended_due", "extended due date", |s| s.extended_due),
        ("extension_notice_due", "extension notice deadline", |s| s.extension_notice_due),
        ("ack_due", "acknowledgement due", |s| s.ack_due),
        ("promised_due", "promised date", |s| s.promised_due),
        ("target", "internal target", |s| s.target),
    ];
    let why = if old.rule_set != new.rule_set && !old.rule_set.is_empty() {
        format!(" (rule set {} → {})", old.rule_set, new.rule_set)
    } else {
        String::new()
    };
    let show = |d: Option<NaiveDate>| d.map(day).unwrap_or_else(|| "none".into());
    fields
        .iter()
        .filter_map(|(field, label, get)| {
            let (from, to) = (get(old), get(new));
            (from != to).then(|| DateChange {
                field: (*field).into(),
                from,
                to,
                summary: format!("{label}: {} → {}{why}", show(from), show(to)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differing_dates_are_reported_with_the_rule_sets() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        let old = Schedule { rule_set: "eu-gdpr@2025.1".into(), legal_due: d("2025-02-28"), due: d("2025-02-28"), ..Schedule::default() };
        let new = Schedule { rule_set: "eu-gdpr@2026.1".into(), legal_due: d("2025-03-03"), due: d("2025-03-03"), ..Schedule::default() };
        let changes = date_changes(&old, &new);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].field, "legal_due");
        assert_eq!(changes[0].summary, "legal due date: Fri 28 Feb 2025 → Mon 3 Mar 2025 (rule set eu-gdpr@2025.1 → eu-gdpr@2026.1)");
        assert!(date_changes(&new, &new).is_empty());
    }
}
