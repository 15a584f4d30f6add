//! The dashboard, the year's figures and the deadline calendar on a team register (issue 18):
//! `rightsdesk --db postgresql://… dashboard | metrics | calendar` against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`). An officer registers through the CLI; the
//! officer and an auditor (who may change nothing) read what that work gives. The CSV is read
//! back with the csv crate, the calendar with an iCalendar parser (the `icalendar` crate).

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::collections::BTreeMap;
use std::process::Output;

use chrono::{Duration, NaiveDate, Utc};
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use pg::Pg;
use team_cli::{json_of as json, ok, team};

/// `rightsdesk ARGS --db <url>` with `password` from RIGHTSDESK_DB_PASSWORD and no other
/// source of one, in an empty home, on UTC.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(url, password, args);
    c.env("XDG_DATA_HOME", home.path().join("data")).env("TZ", "UTC").output().expect("run rightsdesk")
}

fn add(kind: &str, name: &str, received: NaiveDate) -> Vec<String> {
    [
        "request",
        "add",
        "--type",
        kind,
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        &received.to_string(),
        "--name",
        name,
        "--email",
        "someone@example.org",
        "--json",
    ]
    .map(str::to_string)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn an_officer_registers_then_the_officer_and_an_auditor_read_the_dashboard_figures_and_calendar() {
    let pg = Pg::start();
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("carl", "auditor")]);
    let olga = |args: &[&str]| rightsdesk(&pg.url("olga"), &pw["olga"], args);
    let carl = |args: &[&str]| rightsdesk(&pg.url("carl"), &pw["carl"], args);
    ok(rightsdesk(&pg.admin_url(), pg.admin_password(), &["team", "list"]));

    // Three requests received this year: one long overdue, one due within the week, one refused.
    let today = Utc::now().date_naive();
    let overdue = json(ok(olga(&strs(&add("access", "Ada Overdue", today - Duration::days(60))))));
    let soon = json(ok(olga(&strs(&add("access", "Bea Soon", today - Duration::days(27))))));
    let refused = json(ok(olga(&strs(&add("erasure", "Cem Refused", today - Duration::days(5))))));
    let [overdue, soon, refused] = [&overdue, &soon, &refused].map(|r| r["reference"].as_str().unwrap().to_string());
    ok(olga(&["request", "status", &refused, "refused", "--reason", "manifestly unfounded"]));

    for (who, read) in [("officer", &olga as &dyn Fn(&[&str]) -> Output), ("auditor", &carl)] {
        // The dashboard: the counts, the lists and what needs attention today with its next step.
        let d = json(ok(read(&["dashboard", "--json"])));
        assert_eq!((d["total"].as_u64(), d["open"].as_u64(), d["overdue_count"].as_u64()), (Some(3), Some(2), Some(1)), "{who}: {d}");
        assert_eq!(d["overdue"][0]["reference"], overdue.as_str(), "{who}");
        let due_soon: Vec<&str> = d["due_soon"].as_array().unwrap().iter().map(|x| x["reference"].as_str().unwrap()).collect();
        assert_eq!(due_soon, [soon.as_str()], "{who}: {d}");
        assert_eq!(d["needs_you"][0]["reference"], overdue.as_str(), "{who}");
        assert_eq!(d["needs_you"][0]["kind"], "overdue", "{who}");
        assert_eq!(d["needs_you"][0]["step"]["kind"], "overdue", "{who}: the request page's button");
        assert!(
            !d["needs_you"].as_array().unwrap().iter().any(|n| n["reference"] == refused.as_str()),
            "{who}: a closed request needs nothing"
        );
        let text = ok(read(&["dashboard"]));
        assert!(text.contains("3 requests") && text.contains("Overdue: 1") && text.contains(&overdue), "{who}: {text}");

        // The year's figures as CSV, read by a CSV parser.
        let year = today.format("%Y").to_string();
        let csv_text = ok(read(&["metrics", "--year", &year, "--format", "csv"]));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().take(5).collect::<Vec<_>>(),
            ["year", "request_type", "received", "complied_in_whole_or_in_part", "denied"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let row = |kind: &str| rows.iter().find(|r| &r[1] == kind).unwrap_or_else(|| panic!("{who}: no {kind} row in {csv_text}")).clone();
        let all = row("all");
        assert_eq!((&all[0], &all[2], &all[4], &all[6]), (year.as_str(), "3", "1", "2"), "{who}: {csv_text}");
        assert_eq!((&row("erasure")[2], &row("erasure")[4], &row("erasure")[7]), ("1", "1", "5"), "{who}: refused five days after receipt");
        assert!(ok(read(&["metrics", "--year", &year])).contains("All requests"), "{who}");

        // The calendar, read by an iCalendar parser: each open request's legal date, no names.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deadlines.ics");
        let said = json(ok(read(&["calendar", "--out", path.to_str().unwrap(), "--json"])));
        assert_eq!(said["requests"], 2, "{who}: {said}");
        let ics = std::fs::read_to_string(&path).unwrap();
        assert!(!ics.contains("Ada Overdue") && !ics.contains("example.org"), "{who}: no subject in a calendar");
        let calendar: Calendar = ics.parse().expect("a calendar the parser reads");
        let mut due: BTreeMap<String, String> = BTreeMap::new();
        for c in &calendar.components {
            if let CalendarComponent::Event(e) = c {
                let summary = e.get_summary().unwrap().to_string();
                if let (Some(reference), Some(DatePerhapsTime::Date(day))) =
                    (summary.strip_suffix(" due: Access request under eu-gdpr"), e.get_start())
                {
                    due.insert(reference.to_string(), day.to_string());
                }
            }
        }
        let shown = json(ok(read(&["request", "show", &overdue, "--json"])));
        let legal = shown["request"]["due"].as_str().unwrap().to_string();
        assert_eq!(due.keys().collect::<Vec<_>>(), [&overdue, &soon], "{who}: {ics}");
        assert_eq!(due[&overdue], legal, "{who}: the legal date the request page shows");
        // A file that is there is kept unless --force.
        let out = read(&["calendar", "--out", path.to_str().unwrap()]);
        assert!(!out.status.success(), "{who}: an existing file is not replaced without --force");
        ok(read(&["calendar", "--out", path.to_str().unwrap(), "--force"]));
    }
}
