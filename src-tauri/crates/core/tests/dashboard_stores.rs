//! The dashboard, the year's figures and the deadline calendar on both stores (issue 18,
//! item 1): the same requests, registered and worked on through the services with fixed
//! clocks, give the same dashboard (counts, "needs you today" with each row's next step,
//! due soon apart from a missed internal target), the same figures for the year and the
//! same iCalendar text, read back by a real parser (the `icalendar` crate). On a team
//! register the figures come from the server's own tallies (its triggers, PostgreSQL
//! migrations 1–3), so these tests also hold them against what SQLite's triggers keep.

#[path = "common/stores.rs"]
mod stores;

use std::collections::BTreeMap;

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::ClockEvent;
use rightsdesk_core::domain::{NewRequest, RequestId, RequestType, Status};
use rightsdesk_core::register::dashboard::{self, Dashboard, NeedKind, LIST_LIMIT};
use rightsdesk_core::register::next_step::{self, NextStepKind};
use rightsdesk_core::register::{self, calendar, YearMetrics};
use rightsdesk_core::requests;
use rightsdesk_core::settings;
use rightsdesk_core::store::pg::{team, PgUrl, TeamRole};
use rightsdesk_core::store::{PgDb, Store};
use stores::Fresh;

on_both_stores!(
    the_dashboard_counts_lists_and_gives_each_need_its_next_step,
    the_year_figures_count_answers_by_type_and_month,
    the_calendar_holds_each_open_due_date_and_target_without_names,
    needs_you_today_counts_everything_but_lists_the_first_fifty,
);

/// "Today" for every reading: Monday 10 March 2025.
fn today() -> FixedClock {
    FixedClock::at("2025-03-10")
}

fn person(kind: RequestType, regime: &str, jurisdiction: &str, name: &str, received: &str) -> NewRequest {
    NewRequest {
        request_type: kind,
        regime: regime.into(),
        jurisdiction: jurisdiction.into(),
        subject_name: name.into(),
        subject_email: format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        received: received.into(),
        time_zone: "UTC".into(),
        ..Default::default()
    }
}

/// Registers `input` as of the day it was received; its reference.
fn add(store: Store<'_>, input: &NewRequest) -> String {
    requests::register(store, &FixedClock::at(&input.received), input, "officer").unwrap().reference
}

fn status(store: Store<'_>, on: &str, reference: &str, to: Status, reason: Option<&str>) {
    requests::change_status(store, &FixedClock::at(on), &RequestId::from(reference), to, reason, "officer").unwrap();
}

/// The register every test reads: what an officer's first quarter of 2025 leaves.
struct Register {
    /// Access, received 31 January: due 28 February, overdue on 10 March.
    late: String,
    /// Erasure, received 12 February: due 12 March (due soon), its internal target missed, in progress.
    soon: String,
    /// Access, received 22 February: due 24 March, its internal target ahead, in progress.
    target_ahead: String,
    /// CCPA access, received 3 March: its acknowledgement due 17 March.
    ccpa: String,
    /// Access, received 25 February: identity asked for on 27 February.
    identity: String,
    /// Access, received 8 March: waits to be triaged.
    fresh: String,
}

fn fill(store: Store<'_>) -> Register {
    settings::set_org_time_zone(store, "UTC").unwrap();
    let late = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Ada Late", "2025-01-31"));
    let soon = add(store, &person(RequestType::Erasure, "eu-gdpr", "DE", "Bea Soon", "2025-02-12"));
    status(store, "2025-02-13", &soon, Status::InProgress, None);
    let target_ahead = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Cem Target", "2025-02-22"));
    status(store, "2025-02-24", &target_ahead, Status::InProgress, None);
    let ccpa = add(store, &person(RequestType::Access, "ccpa", "US-CA", "Dan Ccpa", "2025-03-03"));
    let identity = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Eva Identity", "2025-02-25"));
    requests::schedules::record_clock_event(
        store,
        &FixedClock::at("2025-02-27"),
        &RequestId::from(&identity),
        ClockEvent::IdentityRequested { on: "2025-02-27".parse().unwrap() },
        "officer",
    )
    .unwrap();
    let fresh = add(store, &person(RequestType::Objection, "uk-gdpr", "GB-ENG", "Fay Fresh", "2025-03-08"));
    // Answered: one on time, one late, one withdrawn (no answer owed), one a year before.
    let on_time = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Gus On Time", "2025-01-02"));
    status(store, "2025-01-10", &on_time, Status::InProgress, None);
    status(store, "2025-01-20", &on_time, Status::Completed, None);
    let refused = add(store, &person(RequestType::Erasure, "eu-gdpr", "FR", "Hal Refused", "2025-01-03"));
    status(store, "2025-03-05", &refused, Status::Refused, Some("manifestly unfounded"));
    let withdrawn = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Ida Withdrawn", "2025-02-01"));
    status(store, "2025-02-05", &withdrawn, Status::Withdrawn, None);
    let old = add(store, &person(RequestType::Access, "eu-gdpr", "DE", "Jon Old", "2024-02-01"));
    status(store, "2024-02-04", &old, Status::InProgress, None);
    status(store, "2024-02-20", &old, Status::Completed, None);
    Register { late, soon, target_ahead, ccpa, identity, fresh }
}

/// What a test compares across stores: the dashboard with each request's id (a UUID
/// drawn at registration, so different on each store) replaced by its reference.
fn by_reference(mut d: Dashboard) -> Dashboard {
    for item in d.overdue.iter_mut().chain(d.due_soon.iter_mut()) {
        item.id = item.reference.clone();
    }
    for need in &mut d.needs_you {
        need.request_id = need.reference.clone();
    }
    d
}

fn the_dashboard_counts_lists_and_gives_each_need_its_next_step(r: &Fresh) {
    let store = r.store();
    let reg = fill(store);
    let d = dashboard::dashboard(store, &today()).unwrap();
    assert_eq!(d.today.to_string(), "2025-03-10");
    assert_eq!((d.total, d.open), (10, 6), "ten received, six still open");
    let count = |v: &[dashboard::Tally], k: &str| v.iter().find(|t| t.key == k).map(|t| t.count);
    assert_eq!(count(&d.by_status, "received"), Some(4));
    assert_eq!(count(&d.by_status, "in-progress"), Some(2));
    assert_eq!(count(&d.by_status, "completed"), Some(2));
    assert_eq!(count(&d.by_type, "access"), Some(4));
    assert_eq!(count(&d.by_type, "erasure"), Some(1), "the refused erasure is no open work");
    assert_eq!(count(&d.by_regime, "ccpa"), Some(1));

    // Overdue: the legal date has passed.
    assert_eq!(d.overdue_count, 1);
    assert_eq!(d.overdue[0].reference, reg.late);
    assert_eq!((d.overdue[0].due.unwrap().to_string(), d.overdue[0].days_left), ("2025-02-28".to_string(), Some(-10)));
    // Due soon is about the legal date; a missed internal target is a need of its own.
    let soon: Vec<&str> = d.due_soon.iter().map(|x| x.reference.as_str()).collect();
    assert_eq!(soon, [reg.soon.as_str()]);
    assert_eq!(d.due_soon_count, 1);
    assert_eq!(d.due_soon[0].days_left, Some(2));

    // The on-time rate and the chart: the completed answer on time, the refusal late.
    assert_eq!((d.on_time.answered, d.on_time.on_time, d.on_time.rate), (2, 1, Some(0.5)));
    let month = |m: &str| d.per_month.iter().find(|x| x.month == m).map(|x| (x.received, x.answered)).unwrap();
    assert_eq!(month("2025-01"), (3, 1));
    assert_eq!(month("2025-02"), (4, 0));
    assert_eq!(month("2025-03"), (2, 1));

    // What needs the officer today, most urgent first, each with the button its page opens with.
    let needs: Vec<(NeedKind, &str, NextStepKind)> = d.needs_you.iter().map(|n| (n.kind, n.reference.as_str(), n.step.kind)).collect();
    let expected = [
        (NeedKind::Overdue, reg.late.as_str(), NextStepKind::Overdue),
        // Due in two days, its internal target (a few working days before) already missed,
        // the last day to notify an extension near; nothing else is left to do but answer.
        (NeedKind::TargetPassed, reg.soon.as_str(), NextStepKind::AnswerDue),
        (NeedKind::ExtensionNotice, reg.soon.as_str(), NextStepKind::AnswerDue),
        // Not yet triaged, oldest first, each with the step its page opens with.
        (NeedKind::Triage, reg.late.as_str(), NextStepKind::Overdue),
        (NeedKind::Triage, reg.identity.as_str(), NextStepKind::IdentityAwaited),
        (NeedKind::Triage, reg.ccpa.as_str(), NextStepKind::Acknowledge),
        (NeedKind::Triage, reg.fresh.as_str(), NextStepKind::Acknowledge),
    ];
    assert_eq!(needs, expected);
    assert!(!needs.iter().any(|n| n.1 == reg.target_ahead), "its target is still ahead and work has started: {needs:?}");
    assert_eq!(d.needs_count as usize, d.needs_you.len());
    // The dashboard's step is the request page's step.
    for need in &d.needs_you {
        assert_eq!(next_step::next_step(store, &today(), &need.reference).unwrap(), need.step, "{}", need.reference);
    }
    // The steps read for many requests at once are those read one by one; an unknown id is left out.
    let ids: Vec<String> = requests::list(store, &today(), &Default::default()).unwrap().into_iter().map(|r| r.id).collect();
    let on: chrono::NaiveDate = "2025-03-10".parse().unwrap();
    store
        .read(|c| {
            let asked: Vec<&str> = ids.iter().map(String::as_str).chain(["no-such-request"]).collect();
            let steps = next_step::of_ids(c, &asked, on)?;
            assert_eq!(steps.len(), ids.len());
            for id in &ids {
                assert_eq!(steps[id], next_step::of_id(c, id, on)?, "{id}");
            }
            Ok(())
        })
        .unwrap();
    let ack = d.needs_you.iter().find(|n| n.reference == reg.ccpa).unwrap();
    assert_eq!(ack.step.date.unwrap().to_string(), "2025-03-17", "ten business days from 3 March");
    assert_eq!(d.needs_you[1].date, d.due_soon[0].target, "the missed target is the need's date");
}

fn the_year_figures_count_answers_by_type_and_month(r: &Fresh) {
    let store = r.store();
    fill(store);
    let m = register::year_metrics(store, &today(), 2025).unwrap();
    assert_eq!(m.total.received, 9, "the request of 2024 counts in 2024");
    assert_eq!((m.total.complied_in_whole_or_in_part, m.total.denied, m.total.withdrawn_or_duplicate), (1, 1, 1));
    assert_eq!(m.total.still_open, 6);
    // Days to respond: 18 (completed 20 January) and 61 (refused 5 March).
    assert_eq!((m.total.median_days_to_respond, m.total.mean_days_to_respond), (Some(39.5), Some(39.5)));
    let access = m.by_type.iter().find(|t| t.request_type == "access").unwrap();
    assert_eq!((access.received, access.complied_in_whole_or_in_part, access.still_open), (6, 1, 4));
    assert_eq!(m.months[0].month, "2025-01");
    assert_eq!((m.months[0].received, m.months[0].answered, m.months[0].answered_on_time), (3, 2, 1));
    let old = register::year_metrics(store, &today(), 2024).unwrap();
    assert_eq!((old.total.received, old.total.median_days_to_respond), (1, Some(19.0)));

    // The CSV a regulator gets, read back by a CSV parser.
    let mut out = Vec::new();
    register::metrics_csv(&m, &mut out).unwrap();
    let mut csv = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    let all = rows.iter().find(|r| &r[1] == "all").unwrap();
    assert_eq!((&all[2], &all[3], &all[4], &all[7]), ("9", "1", "1", "39.5"));
    // A team register has no folder of its own: the file must be named there.
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("figures.csv");
    let written = register::metrics_to_file(store, &today(), 2025, &named.display().to_string()).unwrap();
    assert_eq!(written.requests, 9);
    assert_eq!(std::fs::read(&named).unwrap(), out);
    if let Fresh::Postgres { .. } = r {
        let e = register::metrics_to_file(store, &today(), 2025, "").unwrap_err();
        assert!(e.to_string().contains("out"), "names the field: {e}");
    }
}

/// The calendar read back by an iCalendar parser: `(summary, start date)` per event, by UID.
fn events(ics: &str) -> BTreeMap<String, (String, String, String)> {
    let parsed: Calendar = ics.parse().expect("a calendar the parser reads");
    let mut out = BTreeMap::new();
    for c in &parsed.components {
        if let CalendarComponent::Event(e) = c {
            let start = match e.get_start() {
                Some(DatePerhapsTime::Date(d)) => d.to_string(),
                other => panic!("an all-day event: {other:?}"),
            };
            out.insert(
                e.get_uid().unwrap().to_string(),
                (e.get_summary().unwrap().to_string(), start, e.get_description().unwrap_or_default().to_string()),
            );
        }
    }
    out
}

fn the_calendar_holds_each_open_due_date_and_target_without_names(r: &Fresh) {
    let store = r.store();
    let reg = fill(store);
    let (ics, n) = calendar::calendar(store, &today()).unwrap();
    assert_eq!(n, 6, "the six open requests, each with a legal date");
    let events = events(&ics);
    let summaries: Vec<&str> = events.values().map(|e| e.0.as_str()).collect();
    assert!(summaries.contains(&format!("{} due: Access request under eu-gdpr", reg.late).as_str()), "{summaries:?}");
    let late_due = events.values().find(|e| e.0.starts_with(&format!("{} due", reg.late))).unwrap();
    assert_eq!(late_due.1, "2025-02-28");
    assert!(events.values().any(|e| e.0.starts_with(&format!("{} internal target", reg.target_ahead))));
    assert_eq!(events.len(), 12, "each open request's legal date and its earlier internal target");
    assert!(!ics.contains("Ada Late") && !ics.contains("example.org"), "no subject's name or address in a calendar");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deadlines.ics");
    assert_eq!(calendar::write(store, &today(), &path, rightsdesk_core::files::destination::Overwrite::Refuse).unwrap(), 6);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ics);
}

fn needs_you_today_counts_everything_but_lists_the_first_fifty(r: &Fresh) {
    let store = r.store();
    settings::set_org_time_zone(store, "UTC").unwrap();
    for i in 0..55 {
        add(store, &person(RequestType::Access, "eu-gdpr", "DE", &format!("Person {i}"), "2025-03-05"));
    }
    let d = dashboard::dashboard(store, &today()).unwrap();
    assert_eq!(d.needs_count, 55, "each new request waits to be triaged");
    assert_eq!(d.needs_you.len(), LIST_LIMIT as usize);
    assert_eq!(d.needs_you[0].reference, "DSR-2025-0001", "the first received first");
}

/// Both stores at once: the same register gives the same dashboard, the same figures and
/// the same calendar (with each request's UUID put back to its reference).
#[test]
fn both_stores_give_equal_dashboards_figures_and_calendars() {
    let (file, team) = (Fresh::sqlite(), Fresh::postgres());
    let read = |r: &Fresh| -> (Dashboard, YearMetrics, YearMetrics, String) {
        let store = r.store();
        fill(store);
        let d = by_reference(dashboard::dashboard(store, &today()).unwrap());
        let (mut ics, _) = calendar::calendar(store, &today()).unwrap();
        for item in requests::list(store, &today(), &Default::default()).unwrap() {
            ics = ics.replace(&item.id, &item.reference);
        }
        let m = register::year_metrics(store, &today(), 2025).unwrap();
        let old = register::year_metrics(store, &today(), 2024).unwrap();
        (d, m, old, ics)
    };
    let (a, b) = (read(&file), read(&team));
    assert!(!a.0.needs_you.is_empty() && !a.0.overdue.is_empty(), "the set-up gives something to compare");
    assert_eq!(a.0, b.0, "the dashboard");
    assert_eq!(a.1, b.1, "the figures of 2025");
    assert_eq!(a.2, b.2, "the figures of 2024");
    assert_eq!(events(&a.3), events(&b.3), "the calendar's events");
    assert_eq!(a.3, b.3, "the calendar's text");
}

/// PostgreSQL only, because only a team register has roles the server enforces: an
/// auditor, who may change nothing, reads the dashboard, the figures and the calendar an
/// officer's work gives (the tallies are readable by every role).
#[test]
fn postgres_an_auditor_reads_the_dashboard_figures_and_calendar() {
    let r = Fresh::postgres();
    let Fresh::Postgres { pg, .. } = &r else { unreachable!() };
    let mut admin = rightsdesk_core::store::pg::connect(&PgUrl::parse(&pg.admin_url()).unwrap(), Some(pg.admin_password())).unwrap();
    let connect = |admin: &mut _, name: &str, role| {
        let added = team::add(admin, name, role, chrono::Utc::now()).unwrap();
        PgDb::connect(&PgUrl::parse(&pg.url(name)).unwrap(), Some(&added.password)).unwrap()
    };
    let officer = connect(&mut admin, "olga_officer", TeamRole::Officer);
    let auditor = connect(&mut admin, "carl_auditor", TeamRole::Auditor);
    settings::set_org_time_zone(r.store(), "UTC").unwrap();
    let late = requests::register(
        &officer,
        &FixedClock::at("2025-01-31"),
        &person(RequestType::Access, "eu-gdpr", "DE", "Ada Late", "2025-01-31"),
        "officer",
    )
    .unwrap();
    let d = dashboard::dashboard(&auditor, &today()).unwrap();
    assert_eq!((d.total, d.overdue_count), (1, 1));
    assert_eq!(d.needs_you[0].reference, late.reference);
    assert_eq!(d.needs_you[0].step.kind, NextStepKind::Overdue);
    assert_eq!(register::year_metrics(&auditor, &today(), 2025).unwrap().total.received, 1);
    let (ics, n) = calendar::calendar(&auditor, &today()).unwrap();
    assert_eq!(n, 1);
    assert!(ics.contains(&late.reference));
}
