//! What the CLI's tests share: `rightsdesk` run as a real process on a register
//! file, with its key from the environment, and the "Ada Example" request.
//!
//! Each test file declares `mod common;` and uses a subset of these helpers.
#![allow(dead_code)] // each test binary uses a subset; the rest would warn in it

use std::path::Path;
use std::process::{Command, Output};

/// The passphrase of the registers the tests create (the key from `RIGHTSDESK_PASSPHRASE`).
pub const PASSPHRASE: &str = "test passphrase, not secret";

/// `rightsdesk ARGS` on the register `db`, at the instant `now` (`RIGHTSDESK_NOW`),
/// keyed with [`PASSPHRASE`].
pub fn command(db: &Path, now: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rightsdesk"));
    c.args(args).env("RIGHTSDESK_DB", db).env("RIGHTSDESK_NOW", now).env("RIGHTSDESK_PASSPHRASE", PASSPHRASE);
    c
}

/// As [`command`], with no SMTP password from the environment and no D-Bus
/// session, so no OS keyring is reached: what the mail tests run under.
pub fn command_without_keyring(db: &Path, now: &str, args: &[&str]) -> Command {
    let mut c = command(db, now, args);
    c.env_remove("RIGHTSDESK_SMTP_PASSWORD").env_remove("DBUS_SESSION_BUS_ADDRESS");
    c
}

/// As [`command_without_keyring`], for the mailbox tests: the IMAP password from
/// `RIGHTSDESK_IMAP_PASSWORD`, the officer in Berlin (`TZ`).
pub fn mailbox_command(db: &Path, now: &str, imap_password: &str, args: &[&str]) -> Command {
    let mut c = command_without_keyring(db, now, args);
    c.env("RIGHTSDESK_IMAP_PASSWORD", imap_password).env("TZ", "Europe/Berlin");
    c
}

/// Runs `command`, which must succeed, and reads its standard output as JSON;
/// `what` names the command in a failure.
pub fn json_of(mut command: Command, what: &[&str]) -> serde_json::Value {
    let out = command.output().expect("run rightsdesk");
    assert!(out.status.success(), "{what:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Runs [`command`] to its end.
pub fn run(db: &Path, now: &str, args: &[&str]) -> Output {
    command(db, now, args).output().expect("run rightsdesk")
}

/// The "Ada Example" access request under the EU GDPR in Germany, received on
/// 31 January 2025 (due 28 February): `rightsdesk` arguments.
pub const ADA: &[&str] = &[
    "request",
    "add",
    "--type",
    "access",
    "--regime",
    "eu-gdpr",
    "--jurisdiction",
    "DE",
    "--received",
    "2025-01-31",
    "--email",
    "ada@example.org",
    "--name",
    "Ada Example",
];
