//! Answer packages on a team register with the CLI (issue 18 item 5):
//! `rightsdesk --db postgresql://… package | package verify | answer` against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`, TLS with `verify-full`) and a real SMTP server
//! (Debian's aiosmtpd, `tests/smtp/harness.rs`). An officer builds the package of a request
//! holding a stored file; the ZIP verifies and holds the file byte for byte, and is kept in
//! the team database (sealed). The auditor's build is refused by the server and leaves no
//! file. Another officer then answers the request from another computer (an empty home,
//! no ZIP there): the letter goes out with the kept package attached, byte for byte.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

#[path = "../../../../tests/smtp/harness.rs"]
mod smtp;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{Duration, Utc};
use pg::Pg;
use smtp::{Options, SmtpServer};
use team_cli::{json, ok, team};

/// What these runs have on top of `team_cli`'s: no SMTP password from the environment, the
/// data folder in the empty home (no file of the register), UTC.
fn hermetic(c: &mut Command, home: &Path) {
    c.env_remove("RIGHTSDESK_SMTP_PASSWORD").env("XDG_DATA_HOME", home.join("data")).env("TZ", "UTC");
}

fn rightsdesk(url: &str, password: &str, args: &[&str]) -> Output {
    let (mut c, home) = team_cli::command(url, password, args);
    hermetic(&mut c, home.path());
    c.output().expect("run rightsdesk")
}

fn peak_mib(url: &str, password: &str, args: &[&str]) -> u64 {
    team_cli::peak_mib(url, password, args, hermetic)
}

/// `len` bytes of noise (they do not compress), written a megabyte at a time.
fn noise_file(path: &Path, len: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunk = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        for b in chunk.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    out.flush().unwrap();
}

/// Runs a Python script (the standard library's email and zipfile: real parsers) on `args`.
fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new(smtp::python()).arg("-c").arg(script).args(args).output().expect("run python3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The one attachment of a message written to `dir/attached.zip`, and its name and type.
fn attachment_of(bytes: &[u8], dir: &Path) -> (String, String, Vec<u8>) {
    let eml = dir.join("answer.eml");
    std::fs::write(&eml, bytes).unwrap();
    let to = dir.join("attached.zip");
    let out = python(
        "import email, sys\nfrom email import policy\nm = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)\n\
         parts = list(m.iter_attachments())\nassert len(parts) == 1, len(parts)\nopen(sys.argv[2], 'wb').write(parts[0].get_content())\n\
         print(parts[0].get_filename()); print(parts[0].get_content_type())",
        &[eml.to_str().unwrap(), to.to_str().unwrap()],
    );
    let mut lines = out.lines();
    (lines.next().unwrap().to_string(), lines.next().unwrap().to_string(), std::fs::read(&to).unwrap())
}

/// A ZIP entry's bytes, read by Python's zipfile.
fn zip_entry(zip: &Path, name: &str, dir: &Path) -> Vec<u8> {
    let to = dir.join("entry.bin");
    python(
        "import sys, zipfile\nopen(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
        &[zip.to_str().unwrap(), name, to.to_str().unwrap()],
    );
    std::fs::read(&to).unwrap()
}

#[test]
fn an_officer_builds_a_package_kept_in_the_team_register_another_answers_with_it_and_the_auditor_is_refused() {
    let pg = Pg::start();
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(&dir.path().join("inbox"), Options { mode: "plain", ..Default::default() });
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("ada", "admin"), ("olga", "officer"), ("ben", "officer"), ("carl", "auditor")]);
    let as_ = |who: &str, args: &[&str]| rightsdesk(&pg.url(who), &pw[who], args);

    let port = server.port.to_string();
    #[rustfmt::skip]
    let set = ["smtp", "set", "--host", "127.0.0.1", "--port", &port, "--security", "none",
        "--from", "privacy@crm-factory.example", "--from-name", "CRM Factory", "--org-name", "CRM Factory GmbH",
        "--dpo-contact", "dpo@crm-factory.example", "--json"];
    json(as_("ada", &set));

    let received = (Utc::now() - Duration::days(2)).date_naive().to_string();
    #[rustfmt::skip]
    let r = json(as_("olga", &["request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE",
        "--received", &received, "--name", "Ada Example", "--email", "ada@example.org", "--json"]));
    let reference = r["reference"].as_str().unwrap().to_string();
    let export = dir.path().join("crm-export.bin");
    noise_file(&export, (1 << 20) + 4321);
    json(as_("olga", &["evidence", "add", &reference, export.to_str().unwrap(), "--json"]));

    // Olga builds the package: written where she chose, verified, and kept in the database.
    let zip = dir.path().join("olga.zip");
    let built = json(as_("olga", &["package", &reference, "--out", zip.to_str().unwrap(), "--json"]));
    let manifest = built["manifest_sha256"].as_str().unwrap().to_string();
    let verified = json(as_("olga", &["package", "verify", zip.to_str().unwrap(), "--json"]));
    assert_eq!(verified["ok"], true, "{verified}");
    assert_eq!(zip_entry(&zip, "evidence/general/crm-export.bin", dir.path()), std::fs::read(&export).unwrap());
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT actor FROM packages"), "olga", "on record under her login");
    let kept: i64 = pg.admin_sql(pg::DBNAME, &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{manifest}'")).parse().unwrap();
    assert!(kept >= 2, "the ZIP kept in the team register, in rows of 1 MiB: {kept}");
    let text = ok(as_("olga", &["package", &reference, "--out", dir.path().join("again.zip").to_str().unwrap()]));
    assert!(text.contains("kept in the team register"), "{text}");

    // The auditor reads everything but the server refuses the build: no file, no row.
    let theirs = dir.path().join("carl.zip");
    let refused = as_("carl", &["package", &reference, "--out", theirs.to_str().unwrap()]);
    assert!(!refused.status.success());
    let e = String::from_utf8_lossy(&refused.stderr);
    assert!(e.contains("server refused this change") && e.contains("carl is in the auditor role"), "{e}");
    assert!(!theirs.exists());
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM packages"), "2");

    // Ben answers from his computer (no ZIP there): the package kept by the register goes with the letter.
    let newest = dir.path().join("again.zip");
    let answer = json(as_("ben", &["answer", &reference, "--json"]));
    assert_eq!(answer["state"], "sent", "{answer}");
    assert_eq!(answer["attached"], true, "{answer}");
    let got = server.received();
    assert_eq!(got.len(), 1);
    let (name, kind, bytes) = attachment_of(&got[0].bytes, dir.path());
    assert_eq!((name.as_str(), kind.as_str()), ("again.zip", "application/zip"));
    assert!(bytes == std::fs::read(&newest).unwrap(), "the newest package olga built, byte for byte");
    let shown = json(as_("ben", &["request", "show", &reference, "--json"]));
    assert_eq!(shown["request"]["status"], "completed", "{shown}");
    let audit = json(as_("carl", &["audit", "verify", "--json"]));
    assert_eq!(audit["intact"], true, "{audit}");
}

/// 64 MiB: far above what a streamed build holds.
const FILE_MIB: usize = 64;

#[test]
fn a_package_holding_a_64_mib_stored_file_is_built_and_kept_in_the_team_register_in_flat_memory() {
    let pg = Pg::start();
    let pw = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer")]);
    let olga = pg.url("olga");
    let received = (Utc::now() - Duration::days(2)).date_naive().to_string();
    #[rustfmt::skip]
    let r = json(rightsdesk(&olga, &pw["olga"], &["request", "add", "--type", "access", "--regime", "eu-gdpr",
        "--jurisdiction", "DE", "--received", &received, "--name", "Ada Example", "--email", "ada@example.org", "--json"]));
    let reference = r["reference"].as_str().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("call-recording.ogg");
    noise_file(&recording, FILE_MIB << 20);
    json(rightsdesk(&olga, &pw["olga"], &["evidence", "add", &reference, recording.to_str().unwrap(), "--json"]));

    // What a command that connects and reads a little holds: the baseline.
    let baseline = peak_mib(&olga, &pw["olga"], &["evidence", "list", &reference]);
    let zip = dir.path().join("package.zip");
    // The stored file read a row at a time into the ZIP, and the ZIP sealed a row at a time into the database.
    let build = peak_mib(&olga, &pw["olga"], &["package", &reference, "--out", zip.to_str().unwrap()]);
    let manifest = pg.admin_sql(pg::DBNAME, "SELECT manifest_sha256 FROM packages");
    let rows: usize = pg.admin_sql(pg::DBNAME, &format!("SELECT count(*) FROM stored_chunks WHERE blob = '{manifest}'")).parse().unwrap();
    assert!(rows > FILE_MIB, "the ZIP kept in the team register: {rows} rows");
    assert!(zip_entry(&zip, "evidence/general/call-recording.ogg", dir.path()) == std::fs::read(&recording).unwrap());
    eprintln!("peak resident memory: {baseline} MiB listing, {build} MiB building and keeping a package of a {FILE_MIB} MiB file");
    let grew = build.saturating_sub(baseline);
    assert!(grew < 16, "building grew the process by {grew} MiB (peak {build} MiB, baseline {baseline} MiB)");
}
