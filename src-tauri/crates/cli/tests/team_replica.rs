//! Reporting from a read replica (issue 18, item 7): a team register on a real PostgreSQL 15
//! primary (`tests/pg/harness.rs`) and a streaming standby made from it with `pg_basebackup -R`
//! (another loopback port, the same TLS set-up, `verify-full`). With `--db` pointed at the
//! standby, an officer's `request list`, `request show`, `audit verify`, `dashboard`,
//! `metrics` and `calendar` show what the primary committed, and a backup can be made there; a change (`request add`, `request
//! status`) is refused with a plain message, exit non-zero, and nothing is written anywhere.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::process::{Output, Stdio};

use pg::{Pg, DBNAME};
use team_cli::{add_args, json_of as json, ok, refused};

/// `rightsdesk ARGS --db URL` with `password` from RIGHTSDESK_DB_PASSWORD and no other source
/// of one (no keyring, no .pgpass), the backup passphrase from the environment, no input.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = team_cli::command(url, password, args);
    c.env("RIGHTSDESK_PASSPHRASE", "replica backup passphrase").stdin(Stdio::null()).output().expect("run rightsdesk")
}

#[test]
fn an_officer_reports_from_a_read_replica_and_a_change_there_is_refused_plainly() {
    let primary = Pg::start();
    ok(rightsdesk(&primary.admin_url(), primary.admin_password(), &["team", "init"]));
    let added =
        json(ok(rightsdesk(&primary.admin_url(), primary.admin_password(), &["team", "add", "olga", "--role", "officer", "--json"])));
    let password = added["password"].as_str().unwrap().to_string();
    let on_primary = |args: &[&str]| rightsdesk(&primary.url("olga"), &password, args);
    let first = json(ok(on_primary(&add_args("Ada Example", "ada@example.org"))))["reference"].as_str().unwrap().to_string();

    // The standby, copied from the primary, then streaming what it commits after.
    let standby = primary.start_standby();
    assert_ne!(standby.port, primary.port);
    let second = json(ok(on_primary(&add_args("Bob Builder", "bob@example.net"))))["reference"].as_str().unwrap().to_string();
    ok(on_primary(&["request", "status", &second, "in-progress", "--json"]));
    primary.wait_replayed(&standby);
    assert_eq!(standby.admin_sql("postgres", "SELECT pg_is_in_recovery()"), "t");
    let on_replica = |args: &[&str]| rightsdesk(&standby.url("olga"), &password, args);

    // What the primary committed, as the replica shows it.
    let list = json(ok(on_replica(&["request", "list", "--json"])));
    assert_eq!(list, json(ok(on_primary(&["request", "list", "--json"]))));
    let refs: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect();
    assert_eq!(refs.len(), 2, "{list}");
    assert!(refs.contains(&first.as_str()) && refs.contains(&second.as_str()), "{list}");
    let shown = json(ok(on_replica(&["request", "show", &second, "--json"])));
    assert_eq!(shown, json(ok(on_primary(&["request", "show", &second, "--json"]))));
    assert_eq!(shown["request"]["status"], "in-progress", "{shown}");
    // The replica's address as an organisation hands it out, by IP (the certificate names it too).
    let by_ip = standby.url("olga").replace("@localhost:", "@127.0.0.1:");
    assert!(by_ip.starts_with(&format!("postgresql://olga@127.0.0.1:{}/", standby.port)), "{by_ip}");
    let text = ok(rightsdesk(&by_ip, &password, &["request", "list"]));
    assert!(text.contains("Bob Builder") && text.contains(&second), "{text}");
    let verified = json(ok(on_replica(&["audit", "verify", "--json"])));
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified, json(ok(on_primary(&["audit", "verify", "--json"]))));

    // The dashboard, the year's figures and the deadline calendar, as on the primary.
    assert_eq!(json(ok(on_replica(&["dashboard", "--json"]))), json(ok(on_primary(&["dashboard", "--json"]))));
    let figures = ["metrics", "--year", "2026", "--format", "csv"];
    let csv = ok(on_replica(&figures));
    assert_eq!(csv, ok(on_primary(&figures)));
    assert!(csv.lines().count() > 1, "{csv}");
    let dir = tempfile::tempdir().unwrap();
    let events = |out: &str| {
        let file = dir.path().join(out);
        ok(rightsdesk(
            &if out.starts_with("replica") { standby.url("olga") } else { primary.url("olga") },
            &password,
            &["calendar", "--out", file.to_str().unwrap()],
        ));
        let ics = std::fs::read_to_string(file).unwrap();
        ics.lines().filter(|l| !l.starts_with("DTSTAMP")).map(str::to_string).collect::<Vec<_>>()
    };
    let calendar = events("replica.ics");
    assert_eq!(calendar, events("primary.ics"));
    let due = calendar.iter().filter(|l| l.starts_with("UID:") && l.ends_with("-due@rightsdesk")).count();
    assert_eq!(due, 2, "each request's legal date: {calendar:?}");

    // A backup can be made from the replica, which only reads.
    let backup = dir.path().join("from-replica.rdbackup");
    let made = json(ok(on_replica(&["backup", "--out", backup.to_str().unwrap(), "--json"])));
    assert_eq!(made["backup"]["requests"], 2, "{made}");

    // A change on the replica: refused plainly, exit non-zero, nothing written anywhere.
    let counts = "SELECT (SELECT count(*) FROM requests) || '/' || (SELECT count(*) FROM events)";
    let held = primary.admin_sql(DBNAME, counts);
    for change in [add_args("Cleo Chen", "cleo@example.com"), vec!["request", "status", &first, "in-progress"]] {
        let out = on_replica(&change);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let e = refused(out);
        assert!(e.contains("this server is a read-only copy (replica)") && e.contains("nothing was written"), "{e}");
        assert!(!e.contains(&password), "{e}");
    }
    primary.wait_replayed(&standby);
    assert_eq!(primary.admin_sql(DBNAME, counts), held);
    assert_eq!(standby.admin_sql(DBNAME, counts), held);
    // The same change on the primary goes through, and reaches the replica.
    let third = json(ok(on_primary(&add_args("Cleo Chen", "cleo@example.com"))))["reference"].as_str().unwrap().to_string();
    primary.wait_replayed(&standby);
    let shown = json(ok(on_replica(&["request", "show", &third, "--json"])));
    assert_eq!(shown["request"]["reference"], third.as_str(), "{shown}");
    assert_eq!(json(ok(on_replica(&["audit", "verify", "--json"])))["intact"], true);
}
