//! What the team-register CLI tests share: `rightsdesk --db <url>` run as a real
//! process with the password from `RIGHTSDESK_DB_PASSWORD` and no other source of
//! one (no PGPASSWORD, no ~/.pgpass, no OS keyring), in an empty home.
//!
//! Included by `#[path = "common/team.rs"] mod team_cli;` next to the PostgreSQL
//! harness; each file adds what it needs on top (USER, RIGHTSDESK_NOW, TZ, ...).
#![allow(dead_code)] // each test binary uses a subset; the rest would warn in it

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// `c ARGS` with `password` from RIGHTSDESK_DB_PASSWORD and no other source of one, in
/// `home`; no database named (the caller adds `--db <url>` or RIGHTSDESK_DB).
pub fn command_in(mut c: Command, password: &str, args: &[&str], home: &Path) -> Command {
    c.args(args)
        .env("RIGHTSDESK_DB_PASSWORD", password)
        .env_remove("PGPASSWORD")
        .env_remove("RIGHTSDESK_DB")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", home)
        .env("PGPASSFILE", home.join("none"));
    c
}

/// `rightsdesk ARGS` as [`command_in`], in a new empty home (removed when dropped).
pub fn without_db(password: &str, args: &[&str]) -> (Command, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let c = command_in(Command::new(env!("CARGO_BIN_EXE_rightsdesk")), password, args, home.path());
    (c, home)
}

/// `rightsdesk ARGS --db <url>` as [`without_db`].
pub fn command(url: &str, password: &str, args: &[&str]) -> (Command, tempfile::TempDir) {
    let (mut c, home) = without_db(password, args);
    c.arg("--db").arg(url);
    (c, home)
}

/// Runs [`command`] to its end.
pub fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, _home) = command(url, password, args);
    c.output().expect("run rightsdesk")
}

/// The standard output of a run that must succeed.
pub fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The standard error of a run that must fail.
pub fn refused(out: Output) -> String {
    assert!(!out.status.success(), "should fail: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

/// `text` read as JSON.
pub fn json_of(text: String) -> Value {
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The standard output of a run that must succeed, read as JSON.
pub fn json(out: Output) -> Value {
    json_of(ok(out))
}

/// `team init` as the database administrator at `admin_url`, then `team add` for each
/// (name, role): each name with its one-time password.
pub fn team(admin_url: &str, admin_password: &str, people: &[(&str, &str)]) -> BTreeMap<String, String> {
    ok(rightsdesk(admin_url, admin_password, &["team", "init"]));
    people
        .iter()
        .map(|(name, role)| {
            let v = json(rightsdesk(admin_url, admin_password, &["team", "add", name, "--role", role, "--json"]));
            (name.to_string(), v["password"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The peak resident memory of `rightsdesk ARGS --db <url>`, in MiB, as the kernel counted it
/// for that process (`/usr/bin/time -f %M`, GNU time, which reads the child's rusage);
/// `adjust` adds what the caller's runs have on top (given the command and its home).
pub fn peak_mib(url: &str, password: &str, args: &[&str], adjust: impl FnOnce(&mut Command, &Path)) -> u64 {
    let home = tempfile::tempdir().unwrap();
    let report = home.path().join("peak");
    let mut time = Command::new("/usr/bin/time");
    time.args(["-f", "%M", "-o", report.to_str().unwrap(), env!("CARGO_BIN_EXE_rightsdesk")]);
    let mut c = command_in(time, password, args, home.path());
    c.arg("--db").arg(url);
    adjust(&mut c, home.path());
    let out = c.output().expect("run rightsdesk under /usr/bin/time (GNU time)");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let kib: u64 = std::fs::read_to_string(&report).unwrap().trim().lines().last().unwrap().parse().unwrap();
    kib / 1024
}

/// `request add` of an access request under the EU GDPR in Germany, received on 30 January
/// 2026, from `name` at `email`, answered in JSON: `rightsdesk` arguments.
pub fn add_args<'a>(name: &'a str, email: &'a str) -> Vec<&'a str> {
    vec![
        "request",
        "add",
        "--type",
        "access",
        "--regime",
        "eu-gdpr",
        "--jurisdiction",
        "DE",
        "--received",
        "2026-01-30",
        "--name",
        name,
        "--email",
        email,
        "--json",
    ]
}
