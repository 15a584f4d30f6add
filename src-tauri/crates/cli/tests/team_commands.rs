//! The last work commands on a team register (issue 18 item 1), against a real PostgreSQL 15
//! (`tests/pg/harness.rs`): `systems list`, `identity request | verify | list | keep-documents`,
//! `bulk status | duplicate`, `request processor-days`, `evidence purge` and the task owners'
//! commands do on a team register what they do on the file, on record under the login; the
//! settings among them are the admin's (an officer is refused, the role named); an auditor's
//! write is refused by the server; `demo load`, `encrypt` and `key` are refused as a register
//! file's. What the server recorded is read back with `request show --json` and `psql`.

#[path = "../../../../tests/imap/harness.rs"]
mod imap;
#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "../../../../tests/smtp/harness.rs"]
mod smtp;
#[path = "common/team.rs"]
mod team_cli;

use std::process::Output;

use pg::{Pg, DBNAME};
use serde_json::Value;
use smtp::{Options, SmtpServer};
use team_cli::{add_args, json, ok};

const OWNER: &str = "otto.owner@crm-factory.example";

/// `rightsdesk ARGS --db <url>`; `USER` (what the local file records as the actor) set to
/// someone else on purpose: the login is what goes on record.
fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(url, password, args);
    // No SMTP password, no OS keyring: the test's mail server takes mail without one; the
    // test's IMAP server's password from RIGHTSDESK_IMAP_PASSWORD.
    c.env("USER", "mallory")
        .env("RIGHTSDESK_IMAP_PASSWORD", imap::PASSWORD)
        .env("USERNAME", "mallory")
        .env_remove("RIGHTSDESK_SMTP_PASSWORD")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("run rightsdesk")
}

/// The standard error of a run that must fail, having printed nothing as done.
fn refused(out: Output) -> String {
    assert!(out.stdout.is_empty(), "nothing printed as done: {}", String::from_utf8_lossy(&out.stdout));
    team_cli::refused(out)
}

/// `request show --json` of `reference`.
fn shown(url: &str, password: &str, reference: &str) -> Value {
    json(rightsdesk(url, password, &["request", "show", reference, "--json"]))
}

/// The last event of a request's timeline: (kind, actor).
fn last_event(detail: &Value) -> (String, String) {
    let e = detail["timeline"].as_array().unwrap().last().unwrap().clone();
    (e["kind"].as_str().unwrap().to_string(), e["actor"].as_str().unwrap().to_string())
}

struct Team {
    pg: Pg,
    pw: std::collections::BTreeMap<String, String>,
}

impl Team {
    fn start() -> Team {
        let pg = Pg::start();
        let pw = team_cli::team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("adam", "admin"), ("carl", "auditor")]);
        Team { pg, pw }
    }

    fn run(&self, who: &str, args: &[&str]) -> Output {
        rightsdesk(&self.pg.url(who), &self.pw[who], args)
    }

    /// [`Team::run`] with the clock at `now` (RFC 3339).
    fn run_at(&self, who: &str, now: &str, args: &[&str]) -> Output {
        let (mut c, _home) = team_cli::command(&self.pg.url(who), &self.pw[who], args);
        c.env("USER", "mallory").env("RIGHTSDESK_NOW", now).output().expect("run rightsdesk")
    }

    fn register(&self, name: &str, email: &str) -> String {
        json(self.run("olga", &add_args(name, email)))["reference"].as_str().unwrap().to_string()
    }

    fn events(&self) -> String {
        self.pg.admin_sql(DBNAME, "SELECT count(*) FROM events")
    }
}

#[test]
fn an_officer_records_identity_checks_changes_requests_in_bulk_and_reads_the_data_map_on_record_under_the_login() {
    let t = Team::start();
    let (ada, bob, cem) = (
        t.register("Ada Example", "ada@example.org"),
        t.register("Bob Example", "bob@example.org"),
        t.register("Cem Example", "cem@example.org"),
    );

    // The data map: everyone reads it.
    t.pg.admin_sql(
        DBNAME,
        "INSERT INTO systems (id, name, role, location, created_at, updated_at) \
         VALUES ('0190a000-0000-7000-8000-000000000001', 'CRM', 'own', 'Frankfurt', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    );
    for who in ["olga", "carl"] {
        let map = json(t.run(who, &["systems", "list", "--json"]));
        let names: Vec<&str> = map.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["CRM"], "{who}");
    }

    // Proof of identity asked for, then the check recorded: under olga, not USER.
    ok(t.run("olga", &["identity", "request", &ada]));
    assert_eq!(last_event(&shown(&t.pg.url("olga"), &t.pw["olga"], &ada)), ("clock".to_string(), "olga".to_string()));
    ok(t.run("olga", &["identity", "verify", &ada, "--method", "account-data-match", "--on", "2026-02-02"]));
    let timeline = shown(&t.pg.url("olga"), &t.pw["olga"], &ada)["timeline"].clone();
    let checked: Vec<&Value> = timeline.as_array().unwrap().iter().filter(|e| e["kind"] == "identity-checked").collect();
    assert_eq!(checked.len(), 1, "{timeline}");
    assert_eq!(checked[0]["actor"], "olga");
    let checks = json(t.run("carl", &["identity", "list", &ada, "--json"]));
    assert_eq!(checks.as_array().unwrap().len(), 1, "{checks}");
    assert_eq!((checks[0]["checked_by"].as_str(), checks[0]["outcome"].as_str()), (Some("olga"), Some("verified")));
    assert_eq!(checks[0]["checked_on"], "2026-02-02");

    // Two requests moved at once; a third marked a duplicate of the first.
    let moved = json(t.run("olga", &["bulk", "status", "--to", "in-progress", &ada, &bob, "--json"]));
    assert_eq!(moved["changed"], 2, "{moved}");
    for r in [&ada, &bob] {
        let d = shown(&t.pg.url("olga"), &t.pw["olga"], r);
        assert_eq!(d["request"]["status"], "in-progress", "{r}");
        assert_eq!(last_event(&d), ("status-changed".to_string(), "olga".to_string()), "{r}");
    }
    let marked = json(t.run("olga", &["bulk", "duplicate", "--of", &ada, &cem, "--json"]));
    assert_eq!(marked["changed"], 1, "{marked}");
    let d = shown(&t.pg.url("olga"), &t.pw["olga"], &cem);
    assert_eq!(d["request"]["status"], "duplicate");
    assert_eq!(last_event(&d).1, "olga");

    // All or nothing: one request that cannot move (cem is closed) and none moves.
    let before = t.events();
    let e = refused(t.run("olga", &["bulk", "status", "--to", "paused", &bob, &cem]));
    assert!(e.contains(&cem), "the refusal names the request: {e}");
    assert_eq!(t.events(), before);
    assert_eq!(shown(&t.pg.url("olga"), &t.pw["olga"], &bob)["request"]["status"], "in-progress");

    // The trail holds, under the logins.
    assert!(ok(t.run("carl", &["audit", "verify"])).contains("the audit trail is intact"));
    let actors = t.pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events");
    assert_eq!(actors, "olga");
}

#[test]
fn settings_are_the_admins_an_auditors_write_is_refused_and_identity_documents_are_purged_when_due() {
    let t = Team::start();
    let bob = t.register("Bob Example", "bob@example.org");

    // The processor assistance period, the identity document days and the owners' lead are
    // settings: an officer is refused, the role named, nothing written.
    let before = t.events();
    for args in [
        vec!["request", "processor-days", "10"],
        vec!["identity", "keep-documents", "1"],
        vec!["task", "owner-settings", "--lead-days", "3"],
    ] {
        let e = refused(t.run("olga", &args));
        assert!(e.contains("the team register's server refused this change: olga is in the officer role"), "{args:?}: {e}");
        assert!(e.contains("may not change settings") && e.contains("nothing was written"), "{e}");
    }
    assert_eq!(t.events(), before);
    assert_eq!(t.pg.admin_sql(DBNAME, "SELECT count(*) FROM settings"), "0");

    // The admin changes them.
    assert_eq!(json(t.run("adam", &["request", "processor-days", "10", "--json"]))["assistance_days"], 10);
    assert_eq!(json(t.run("adam", &["identity", "keep-documents", "1", "--json"]))["days"], 1);
    let owners = json(t.run("adam", &["task", "owner-settings", "--lead-days", "3", "--json"]));
    assert_eq!(owners["lead_working_days"], 3, "{owners}");
    // Read back as another member sees it.
    assert_eq!(json(t.run("olga", &["task", "owner-settings", "--json"]))["lead_working_days"], 3);
    let actors = t.pg.admin_sql(DBNAME, "SELECT string_agg(actor, ',') FROM events WHERE kind = 'settings-changed'");
    assert_eq!(actors, "adam,adam,adam");

    // An identity document kept a day after verification, purged once that day is past.
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("id card.png");
    std::fs::write(&card, b"\x89PNG not really a card").unwrap();
    ok(t.run_at("olga", "2026-02-02T10:00:00Z", &["evidence", "add", &bob, card.to_str().unwrap(), "--identity-document"]));
    ok(t.run_at("olga", "2026-02-02T10:05:00Z", &["identity", "verify", &bob, "--method", "document-seen"]));
    let purged = json(t.run_at("olga", "2026-02-02T10:10:00Z", &["evidence", "purge", "--json"]));
    assert_eq!(purged["deleted"], 0, "not due yet: {purged}");
    assert_eq!(json(t.run("olga", &["evidence", "list", &bob, "--json"])).as_array().unwrap().len(), 1, "kept a day");

    // The auditor's writes are refused by the server, the role named, nothing written.
    let before = t.events();
    for args in [
        vec!["evidence", "purge"],
        vec!["bulk", "status", "--to", "in-progress", &bob],
        vec!["identity", "request", &bob],
        vec!["request", "processor-days", "none"],
    ] {
        let e = refused(t.run_at("carl", "2026-02-05T09:00:00Z", &args));
        assert!(e.contains("carl is in the auditor role"), "{args:?}: {e}");
        assert!(!e.contains(&t.pw["carl"]), "{e}");
    }
    assert_eq!(t.events(), before);
    assert_eq!(json(t.run("carl", &["evidence", "list", &bob, "--json"])).as_array().unwrap().len(), 1);

    let purged = json(t.run_at("olga", "2026-02-05T09:00:00Z", &["evidence", "purge", "--json"]));
    assert_eq!(purged["deleted"], 1, "due a day after verification: {purged}");
    assert_eq!(json(t.run("olga", &["evidence", "list", &bob, "--json"])).as_array().unwrap().len(), 0);
    assert_eq!(last_event(&shown(&t.pg.url("olga"), &t.pw["olga"], &bob)).1, "olga");
    assert!(ok(t.run("carl", &["audit", "verify"])).contains("the audit trail is intact"));
}

#[test]
fn a_register_files_commands_are_refused_as_such() {
    let t = Team::start();
    let before = t.events();
    for (args, name) in [
        (vec!["demo", "load"], "`rightsdesk demo load`"),
        (vec!["encrypt"], "`rightsdesk encrypt`"),
        (vec!["key", "change"], "`rightsdesk key change`"),
    ] {
        let e = refused(t.run("adam", &args));
        assert!(e.contains(&format!("{name} is for a register file, not a team register")), "{e}");
        assert!(e.contains("nothing was opened or written") && !e.contains("not yet available"), "{e}");
    }
    assert_eq!(t.events(), before);
    assert_eq!(t.pg.admin_sql(DBNAME, "SELECT count(*) FROM requests"), "0");
}

/// `audit anchor` and `audit verify --anchors` on a team register: the chain's head mailed to the
/// officer's own mailbox once a day, on record under the login; an auditor told before anything
/// is mailed; the register checked against the anchors, and a rewritten head found.
#[test]
fn an_officer_anchors_the_team_registers_chain_by_mail_and_the_auditor_checks_it_against_the_anchors() {
    let t = Team::start();
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let port = server.port.to_string();
    #[rustfmt::skip]
    json(t.run("adam", &["smtp", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
        "--from", "privacy@crm-factory.example", "--officer", "records@crm-factory.example",
        "--org-name", "CRM Factory GmbH", "--dpo-contact", "dpo@crm-factory.example", "--json"]));
    t.register("Ada Example", "ada@example.org");

    let e = refused(t.run("carl", &["audit", "anchor"]));
    assert!(e.contains("carl is in the auditor role") && e.contains("nothing was mailed or written"), "{e}");
    assert!(server.received().is_empty(), "nothing mailed for the auditor");

    let sent = json(t.run_at("olga", "2026-11-23T09:00:00Z", &["audit", "anchor", "--json"]));
    assert_eq!(sent["outcome"], "sent", "{sent}");
    let again = json(t.run_at("olga", "2026-11-23T17:00:00Z", &["audit", "anchor", "--json"]));
    assert_eq!(again["outcome"], "already-sent-today", "{again}");
    let received = server.received();
    assert_eq!(received.len(), 1, "one anchor a day");
    assert_eq!(received[0].rcpt_tos, vec!["records@crm-factory.example".to_string()], "to the officer's own mailbox");
    let raw = String::from_utf8_lossy(&received[0].bytes).to_string();
    assert!(!raw.contains("Ada Example") && !raw.contains("ada@example.org"), "no personal data in an anchor");
    assert_eq!(
        t.pg.admin_sql(DBNAME, "SELECT actor FROM events WHERE kind = 'audit-anchored'"),
        "olga",
        "the anchor on record under the login"
    );

    // The auditor checks the register against the mailbox (an mbox file of what was mailed).
    let mbox = dir.path().join("officer.mbox");
    let mut text = b"From records@crm-factory.example Mon Nov 23 09:00:00 2026\n".to_vec();
    text.extend_from_slice(&received[0].bytes);
    text.extend_from_slice(b"\n");
    std::fs::write(&mbox, text).unwrap();
    let verified = json(t.run("carl", &["audit", "verify", "--anchors", mbox.to_str().unwrap(), "--json"]));
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!((verified["anchors"]["found"].as_u64(), verified["anchors"]["matched"].as_u64()), (Some(1), Some(1)), "{verified}");
    assert_eq!(verified["anchors"]["newest_matched_seq"], sent["anchor"]["seq"], "{verified}");

    // An anchor whose hash is not the chain's at its event (a history rewritten up to it) is named.
    let forged = format!(
        "From records@crm-factory.example Mon Nov 23 09:00:00 2026\nFrom: privacy@crm-factory.example\nSubject: anchor\n\n\
         rightsdesk-audit-anchor/1 seq={} hash={} at={}\n",
        sent["anchor"]["seq"],
        "0".repeat(64),
        sent["anchor"]["at"].as_str().unwrap()
    );
    std::fs::write(&mbox, forged).unwrap();
    let out = t.run("carl", &["audit", "verify", "--anchors", mbox.to_str().unwrap()]);
    assert!(!out.status.success(), "a rewritten head fails the check");
    let e = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(e.contains(&format!("event {}", sent["anchor"]["seq"])), "the anchor's event is named: {e}");
}

#[test]
fn an_officer_mails_a_tasks_owner_and_closes_the_task_from_the_reply_and_the_auditor_may_do_neither() {
    let t = Team::start();
    let dovecot = imap::Dovecot::start(None);
    let imap_port = dovecot.port.to_string();
    #[rustfmt::skip]
    json(t.run("adam", &["mailbox", "set", "--host", "127.0.0.1", "--port", &imap_port, "--security", "none",
        "--username", imap::USER, "--folder", "INBOX", "--json"]));
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("smtp"), Options::default());
    let port = server.port.to_string();
    #[rustfmt::skip]
    json(t.run("adam", &["smtp", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
        "--from", "privacy@crm-factory.example", "--org-name", "CRM Factory GmbH", "--dpo-contact", "dpo@crm-factory.example", "--json"]));
    // The data map, imported by the admin: one system with its owner.
    let map = dir.path().join("map.csv");
    std::fs::write(
        &map,
        format!(
            "name,owner_contact,how_to_search,how_to_export,location\n\
             CRM,Otto Owner <{OWNER}>,Contacts > search by email address,Contacts > Actions > Export as CSV,Frankfurt\n"
        ),
    )
    .unwrap();
    ok(t.run("adam", &["systems", "import", map.to_str().unwrap()]));
    let reference = t.register("Ada Example", "ada@example.org");
    ok(t.run("olga", &["request", "status", &reference, "in-progress"]));
    let task = format!("{reference}#1");

    // The auditor may not ask the owner: the server refuses, nothing queued or sent.
    let e = refused(t.run("carl", &["task", "send", &task]));
    assert!(e.contains("carl is in the auditor role"), "{e}");
    assert!(server.received().is_empty());
    assert_eq!(t.pg.admin_sql(DBNAME, "SELECT count(*) FROM letters"), "0");

    let sent = json(t.run("olga", &["task", "send", &task, "--json"]));
    assert_eq!(sent["mail"]["state"], "sent", "{sent}");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, vec![OWNER.to_string()], "only the owner");
    let raw = String::from_utf8_lossy(&received[0].bytes).to_string();
    assert!(raw.contains(sent["mail"]["message_id"].as_str().unwrap()), "{raw}");
    assert!(raw.contains(&reference), "the mail names the request: {raw}");

    // Every member sees the mail on the task; the timeline has it under olga.
    for who in ["olga", "carl"] {
        let owners = json(t.run(who, &["task", "owners", &reference, "--json"]));
        assert_eq!(owners[0]["owner"], OWNER, "{who}: {owners}");
        assert_eq!(owners[0]["mails"].as_array().unwrap().len(), 1, "{who}: {owners}");
    }
    let actors: Vec<String> = shown(&t.pg.url("olga"), &t.pw["olga"], &reference)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_string())
        .collect();
    assert!(actors.iter().all(|a| a == "olga"), "{actors:?}");
    // Reminding: none due yet (the owner was asked today).
    let reminded = json(t.run("olga", &["task", "remind-owners", "--json"]));
    assert_eq!(reminded["reminded"], 0, "{reminded}");
    assert_eq!(server.received().len(), 1);

    // The owner answers DONE; the fetch files the reply on the task, which stays open.
    let message_id = sent["mail"]["message_id"].as_str().unwrap();
    let reply = format!(
        "From: Otto Owner <{OWNER}>\r\nTo: privacy@crm-factory.example\r\nSubject: Re: your request\r\n\
         Message-ID: <reply-1@crm-factory.example>\r\nIn-Reply-To: {message_id}\r\nReferences: {message_id}\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nDONE, exported from the CRM.\r\n\r\nOtto\r\n"
    );
    dovecot.append("INBOX", "none", &[("04-Feb-2026 11:00:05 +0100", reply.into_bytes())]);
    let fetched = json(t.run("olga", &["mailbox", "fetch", "--json"]));
    assert_eq!(fetched["replies"], 1, "{fetched}");
    let owners = json(t.run("carl", &["task", "owners", &reference, "--json"]));
    assert_eq!(
        (owners[0]["replies"][0]["suggestion"].as_str(), owners[0]["replies"][0]["state"].as_str()),
        (Some("done"), Some("offered"))
    );
    assert_eq!(json(t.run("olga", &["task", "list", &reference, "--json"]))[0]["status"], "open");

    // The auditor may not close it; olga closes it as offered, on record under her login.
    let e = refused(t.run("carl", &["task", "close-from-reply", &task]));
    assert!(e.contains("carl is in the auditor role"), "{e}");
    let closed = json(t.run("olga", &["task", "close-from-reply", &task, "--json"]));
    assert_eq!(closed["status"], "done", "{closed}");
    let tasks = json(t.run("carl", &["task", "list", &reference, "--json"]));
    assert_eq!((tasks[0]["status"].as_str(), tasks[0]["closed_by"].as_str()), (Some("done"), Some("olga")), "{tasks}");
}

#[test]
fn the_admin_changes_the_data_map_everyone_reads_and_exports_it_and_an_officer_may_not_change_it() {
    let t = Team::start();
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role,location,legal_duty\nCRM,own,Frankfurt,\nPayroll,processor,Berlin,§ 147 AO (10 years)\n").unwrap();

    // An officer's or auditor's change is refused by the server, the role named, nothing written.
    for (who, role) in [("olga", "officer"), ("carl", "auditor")] {
        for args in [vec!["systems", "import", map.to_str().unwrap()], vec!["systems", "starter"]] {
            let e = refused(t.run(who, &args));
            assert!(e.contains(&format!("{who} is in the {role} role")) && e.contains("nothing was written"), "{args:?}: {e}");
        }
    }
    assert_eq!(t.pg.admin_sql(DBNAME, "SELECT count(*) FROM systems"), "0");
    assert_eq!(t.events(), "0");

    // The admin imports it; matched by name, a second import updates instead of adding.
    let s = json(t.run("adam", &["systems", "import", map.to_str().unwrap(), "--json"]));
    assert_eq!((s["added"].as_u64(), s["updated"].as_u64()), (Some(2), Some(0)), "{s}");
    std::fs::write(&map, "name,role,location\ncrm,own,Hamburg\n").unwrap();
    let s = json(t.run("adam", &["systems", "import", map.to_str().unwrap(), "--json"]));
    assert_eq!((s["added"].as_u64(), s["updated"].as_u64()), (Some(0), Some(1)), "{s}");
    // The starter map goes only into an empty map.
    let e = refused(t.run("adam", &["systems", "starter"]));
    assert!(e.to_lowercase().contains("empty"), "{e}");

    // Everyone reads it, and writes it out to a file of this computer.
    let listed = json(t.run("carl", &["systems", "list", "--json"]));
    let rows: Vec<(&str, &str)> =
        listed.as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap(), s["location"].as_str().unwrap())).collect();
    assert_eq!(rows.len(), 2, "{listed}");
    assert!(
        rows.contains(&("Payroll", "Berlin")) && rows.iter().any(|(n, l)| n.eq_ignore_ascii_case("crm") && *l == "Hamburg"),
        "{rows:?}"
    );
    let out = dir.path().join("exported.csv");
    ok(t.run("olga", &["systems", "export", "--format", "csv", "--out", out.to_str().unwrap()]));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Payroll") && text.contains("§ 147 AO (10 years)") && text.contains("Hamburg"), "{text}");
    // An existing file is kept without --force.
    let e = refused(t.run("olga", &["systems", "export", "--out", out.to_str().unwrap()]));
    assert!(e.contains("exists"), "{e}");
    let actors = t.pg.admin_sql(DBNAME, "SELECT string_agg(DISTINCT actor, ',') FROM events");
    assert_eq!(actors, "adam");
}

#[test]
fn an_officer_makes_a_requests_tasks_from_the_data_map_added_since_and_an_auditor_may_not() {
    let t = Team::start();
    // Registered while the data map is empty: no tasks.
    let reference = t.register("Ada Example", "ada@example.org");
    assert_eq!(json(t.run("olga", &["task", "list", &reference, "--json"])), serde_json::json!([]));
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role,location\nCRM,own,Frankfurt\nPayroll,processor,Berlin\n").unwrap();
    ok(t.run("adam", &["systems", "import", map.to_str().unwrap()]));

    // The auditor's is refused by the server, nothing written.
    let before = t.pg.admin_sql(DBNAME, "SELECT count(*) FROM tasks");
    let e = refused(t.run("carl", &["task", "generate", &reference]));
    assert!(e.contains("carl is in the auditor role"), "{e}");
    assert_eq!(t.pg.admin_sql(DBNAME, "SELECT count(*) FROM tasks"), before);

    // The officer's makes one task per system, on record under her login.
    let tasks = json(t.run("olga", &["task", "generate", &reference, "--json"]));
    let mut systems: Vec<&str> = tasks.as_array().unwrap().iter().map(|t| t["system_name"].as_str().unwrap()).collect();
    systems.sort_unstable();
    assert_eq!(systems, ["CRM", "Payroll"], "{tasks}");
    assert_eq!(json(t.run("carl", &["task", "list", &reference, "--json"])).as_array().unwrap().len(), 2);
    let (_, actor) = last_event(&shown(&t.pg.url("olga"), &t.pw["olga"], &reference));
    assert_eq!(actor, "olga");
}

#[test]
fn an_auditor_exports_the_audit_trail_for_a_regulator_with_each_event_under_its_login() {
    let t = Team::start();
    let reference = t.register("Ada Example", "ada@example.org");
    ok(t.run("olga", &["request", "status", &reference, "in-progress"]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trail.csv");
    ok(t.run("carl", &["audit", "export", "--out", file.to_str().unwrap()]));
    let mut rows = csv::Reader::from_path(&file).unwrap();
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let events = t.events();
    assert_eq!(rows.len().to_string(), events, "one row per event");
    // seq, at, actor, action, request_id, request_reference, content_sha256, prev_hash, hash
    assert!(rows.iter().all(|r| &r[2] == "olga" && &r[5] == reference.as_str()), "{rows:?}");
    assert!(rows.iter().any(|r| &r[3] == "status-changed"), "{rows:?}");
    assert!(rows.windows(2).all(|w| w[1][7] == w[0][8]), "each row's prev_hash is the row before's hash");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("Ada Example") && !text.contains("ada@example.org"), "no personal data: {text}");
    // An existing file is kept without --force.
    let e = refused(t.run("carl", &["audit", "export", "--out", file.to_str().unwrap()]));
    assert!(e.contains("exists"), "{e}");
}
