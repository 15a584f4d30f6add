//! Issue 19 item 11: a holiday only announced (not yet proclaimed) is marked
//! "expected" in the calendar, and the explanation of a date it moves says the
//! date assumes it. South Africa's 4 November 2026 local government elections
//! are the calendar's announced day (`deadlines/holidays/others.rs`).

use chrono::NaiveDate;
use rightsdesk_core::deadlines::{compute, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::RequestType;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn popia(received: &str) -> Schedule {
    let options = EngineOptions::default();
    compute(&ScheduleInput {
        regime: "popia",
        jurisdiction: "ZA",
        request_type: RequestType::Access,
        received_on: d(received),
        events: &[],
        options: &options,
        today: None,
    })
    .unwrap()
}

#[test]
fn a_date_moved_by_an_expected_holiday_says_it_assumes_it_and_one_not_moved_does_not() {
    let s = popia("2026-10-05");
    assert_eq!(s.legal_due, Some(d("2026-11-05")), "30 days end on 4 Nov, the announced election day");
    let rolled: Vec<&str> = s.steps.iter().map(|step| step.detail.as_str()).filter(|t| t.contains("next working day")).collect();
    assert!(rolled.iter().any(|t| t.ends_with("assuming the expected holiday Local Government Elections")), "{rolled:?}");
    assert!(s.warnings.iter().any(|w| w.code == "expected_holiday"), "{:?}", s.warnings);
    // The step's parameters carry the assumption as a flag beside the bare name, so the
    // interface says it in its own language (issue 21 item 3), not with an English marker.
    let skipped: Vec<_> = s.steps.iter().flat_map(|step| step.params.skipped.iter()).collect();
    let election = skipped.iter().find(|day| day.date == d("2026-11-04")).expect("4 Nov 2026 among the skipped days");
    assert!(election.expected, "{election:?}");
    assert_eq!(election.holiday.as_deref(), Some("Local Government Elections"));
    assert!(skipped.iter().filter(|day| day.date != d("2026-11-04")).all(|day| !day.expected), "{skipped:?}");

    let s = popia("2026-10-06");
    assert!(s.steps.iter().all(|step| !step.detail.contains("assuming")), "{:?}", s.steps);
}
