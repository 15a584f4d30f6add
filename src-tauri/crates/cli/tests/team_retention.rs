//! The retention purge on a team register (issue 18, items 1 and 3): `rightsdesk --db
//! postgresql://… purge [--dry-run]` and `retention show | set` against a real PostgreSQL 15
//! (`tests/pg/harness.rs`, TLS with `verify-full`). The purge and the periods are the admin's:
//! the admin purges a closed request whose period has run out (its personal data goes, the open
//! request's stays, the audit trail verifies); an officer's and an auditor's purge are refused by
//! the server, naming the role, and remove nothing. Everyone may see the preview and the periods.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::process::Output;

use pg::{Pg, DBNAME};
use team_cli::{add_args, json_of as json, ok, refused, team};

const REMOVED: &str = "(removed under the retention policy)";

/// `rightsdesk ARGS --db <url>` as `user` at the instant `now`, on UTC, in an empty home.
fn rightsdesk(pg: &Pg, user: &str, password: &str, now: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(&pg.url(user), password, args);
    c.env("RIGHTSDESK_NOW", now).env("TZ", "UTC").env("XDG_DATA_HOME", home.path().join("data")).output().expect("run rightsdesk")
}

#[test]
fn the_admin_purges_a_team_register_and_an_officers_or_auditors_purge_is_refused_naming_the_role() {
    let pg = Pg::start();
    let people = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("axel", "auditor")]);
    let run = |user: &str, now: &str, args: &[&str]| rightsdesk(&pg, user, &people[user], now, args);
    let day = "2026-02-02T10:00:00Z";

    // The officer's work: one request answered and closed, one still open.
    let closed = json(ok(run("olga", day, &add_args("Ada Example", "ada@example.org"))))["reference"].as_str().unwrap().to_string();
    let open = json(ok(run("olga", day, &add_args("Bob Builder", "bob@example.net"))))["reference"].as_str().unwrap().to_string();
    for status in ["in-progress", "completed"] {
        ok(run("olga", day, &["request", "status", &closed, status, "--reason", "Ada confirmed by phone"]));
    }
    ok(run("olga", day, &["request", "status", &open, "in-progress"]));

    // The periods: the admin's to set; an officer's change refused by the server, naming the role.
    let set = json(ok(run("ada", day, &["retention", "set", "eu-gdpr", "12", "--json"])));
    assert_eq!(set["months"], 12, "{set}");
    let e = refused(run("olga", day, &["retention", "set", "eu-gdpr", "1"]));
    assert!(e.contains("officer") && e.contains("nothing was written"), "{e}");
    let shown = json(ok(run("axel", day, &["retention", "show", "--json"])));
    let gdpr = shown.as_array().unwrap().iter().find(|p| p["regime"] == "eu-gdpr").unwrap().clone();
    assert_eq!(gdpr["months"], 12, "the auditor reads the period: {shown}");

    // A year and a month later: everyone sees what the purge would remove.
    let later = "2027-03-01T10:00:00Z";
    for user in ["olga", "axel", "ada"] {
        let plan = json(ok(run(user, later, &["purge", "--dry-run", "--json"])));
        let due: Vec<&str> = plan["requests"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect();
        assert_eq!(due, [closed.as_str()], "{user}: {plan}");
    }
    let text = ok(run("olga", later, &["purge", "--dry-run"]));
    assert!(text.contains(&closed) && !text.contains("Ada Example"), "{text}");

    // The officer's and the auditor's purge: refused by the server, naming the role; nothing removed.
    let counts = "SELECT (SELECT count(*) FROM requests WHERE purged_at IS NULL) || '/' || (SELECT count(*) FROM events)";
    let before = pg.admin_sql(DBNAME, counts);
    for (user, role) in [("olga", "officer"), ("axel", "auditor")] {
        let out = run(user, later, &["purge"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let e = refused(out);
        assert!(e.contains("admin") && e.contains(role) && e.contains("nothing was removed"), "{user}: {e}");
        assert!(!e.contains(&people[user]), "no password in the message");
    }
    assert_eq!(pg.admin_sql(DBNAME, counts), before, "nothing removed, nothing recorded");
    let shown = json(ok(run("olga", later, &["request", "show", &closed, "--json"])));
    assert_eq!(shown["request"]["subject"]["name"], "Ada Example", "{shown}");

    // The admin's purge: the closed request's personal data goes, the open one's stays.
    let purged = json(ok(run("ada", later, &["purge", "--json"])));
    assert_eq!(purged["purged"]["requests"], 1, "{purged}");
    let shown = json(ok(run("axel", later, &["request", "show", &closed, "--json"])));
    assert_eq!(shown["request"]["subject"]["name"], REMOVED, "{shown}");
    let timeline = shown["timeline"].to_string();
    assert!(!timeline.contains("phone") && !timeline.contains("ada@example.org"), "{timeline}");
    assert!(timeline.contains("personal-data-purged"), "{timeline}");
    let actor = pg.admin_sql(DBNAME, "SELECT actor FROM events WHERE kind = 'retention-purge'");
    assert_eq!(actor, "ada", "the purge is on record under the admin's login");
    let bob = json(ok(run("olga", later, &["request", "show", &open, "--json"])));
    assert_eq!(bob["request"]["subject"]["name"], "Bob Builder", "{bob}");
    let verified = json(ok(run("axel", later, &["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    // Nothing is left to purge.
    let plan = json(ok(run("ada", later, &["purge", "--dry-run", "--json"])));
    assert!(plan["requests"].as_array().unwrap().is_empty(), "{plan}");
}
