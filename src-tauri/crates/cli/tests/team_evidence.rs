//! Evidence files on a team register with the CLI (issue 18 item 5), against a real
//! PostgreSQL 15 (`tests/pg/harness.rs`): an officer attaches a file, lists it and writes
//! it out byte for byte; the auditor lists and writes it out too, but the server refuses
//! the auditor's attach. A 64 MiB file goes in and comes out of the team register through
//! a `rightsdesk` process whose peak resident memory stays far below the file's size.

#[path = "../../../../tests/pg/harness.rs"]
mod pg;
#[path = "common/team.rs"]
mod team_cli;

use std::io::Write;
use std::path::Path;

use pg::Pg;
use team_cli::{json, rightsdesk, team};

fn register(url: &str, password: &str) -> String {
    let args = ["request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2026-01-30"];
    let mut args = args.to_vec();
    args.extend(["--name", "Ada Example", "--email", "ada@example.org", "--json"]);
    json(rightsdesk(url, password, &args))["reference"].as_str().unwrap().to_string()
}

/// `len` bytes of noise, written to `path` a megabyte at a time.
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

/// Whether two files hold the same bytes, compared a megabyte at a time.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a).unwrap(), std::fs::File::open(b).unwrap());
    let (mut x, mut y) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = a.read(&mut x).unwrap();
        if n == 0 {
            return b.read(&mut y).unwrap() == 0;
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

#[test]
fn an_officer_attaches_lists_and_writes_out_a_file_and_the_auditor_reads_it_but_cannot_attach() {
    let pg = Pg::start();
    let people = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer"), ("carl", "auditor")]);
    let (olga, carl) = (pg.url("olga"), pg.url("carl"));
    let reference = register(&olga, &people["olga"]);
    let dir = tempfile::tempdir().unwrap();
    let picked = dir.path().join("CRM export (Ada).csv");
    noise_file(&picked, 3 * (1 << 20) + 77);

    let added = json(rightsdesk(&olga, &people["olga"], &["evidence", "add", &reference, picked.to_str().unwrap(), "--json"]));
    assert_eq!(added["name"], "CRM export (Ada).csv");
    assert_eq!(added["added_by"], "olga");
    let id = added["id"].as_str().unwrap();
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM stored_chunks"), "4", "the sealed file in rows of 1 MiB");

    for (url, password) in [(&olga, &people["olga"]), (&carl, &people["carl"])] {
        let listed = json(rightsdesk(url, password, &["evidence", "list", &reference, "--json"]));
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["id"], id);
        assert_eq!(listed[0]["size"].as_u64().unwrap(), 3 * (1 << 20) + 77);
        let out = dir.path().join(format!("out-{}.csv", listed[0]["sha256"].as_str().unwrap().len() + url.len()));
        json(rightsdesk(url, password, &["evidence", "get", id, "--out", out.to_str().unwrap(), "--json"]));
        assert!(same_file(&picked, &out), "written out byte for byte");
        std::fs::remove_file(&out).unwrap();
    }

    // The auditor's attach: refused by the server, nothing written.
    let other = dir.path().join("auditor.txt");
    std::fs::write(&other, "the auditor's own file").unwrap();
    for file in [&other, &picked] {
        let out = rightsdesk(&carl, &people["carl"], &["evidence", "add", &reference, file.to_str().unwrap()]);
        assert!(!out.status.success());
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("server refused this change") && e.contains("carl is in the auditor role"), "{e}");
    }
    let out = rightsdesk(&carl, &people["carl"], &["evidence", "remove", id]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("carl is in the auditor role"));
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM evidence"), "1");
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(DISTINCT blob) FROM stored_chunks"), "1");

    // The officer removes it: the row and its bytes go, on the timeline under her login.
    json(rightsdesk(&olga, &people["olga"], &["evidence", "remove", id, "--reason", "wrong request", "--json"]));
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM evidence"), "0");
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM stored_chunks"), "0");
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT actor FROM events WHERE kind = 'evidence-removed'"), "olga");
    let verified = json(rightsdesk(&carl, &people["carl"], &["audit", "verify", "--json"]));
    assert_eq!(verified["intact"], true, "{verified}");
}

/// The peak resident memory of `rightsdesk ARGS`, in MiB.
fn peak_mib(url: &str, password: &str, args: &[&str]) -> u64 {
    team_cli::peak_mib(url, password, args, |_, _| {})
}

/// 64 MiB: far above what a streamed attach holds.
const FILE_MIB: usize = 64;

#[test]
fn a_64_mib_file_goes_into_the_team_register_and_out_again_in_flat_memory() {
    let pg = Pg::start();
    let people = team(&pg.admin_url(), pg.admin_password(), &[("olga", "officer")]);
    let olga = pg.url("olga");
    let reference = register(&olga, &people["olga"]);
    let dir = tempfile::tempdir().unwrap();
    let picked = dir.path().join("call recording.ogg");
    noise_file(&picked, FILE_MIB << 20);

    // What a command that connects and reads a little holds: the baseline.
    let baseline = peak_mib(&olga, &people["olga"], &["evidence", "list", &reference]);
    let attach = peak_mib(&olga, &people["olga"], &["evidence", "add", &reference, picked.to_str().unwrap()]);
    let listed = json(rightsdesk(&olga, &people["olga"], &["evidence", "list", &reference, "--json"]));
    let id = listed[0]["id"].as_str().unwrap().to_string();
    assert_eq!(pg.admin_sql(pg::DBNAME, "SELECT count(*) FROM stored_chunks"), (FILE_MIB + 1).to_string());
    let out = dir.path().join("back.ogg");
    let export = peak_mib(&olga, &people["olga"], &["evidence", "get", &id, "--out", out.to_str().unwrap()]);
    assert!(same_file(&picked, &out), "written out byte for byte");
    eprintln!("peak resident memory: {baseline} MiB listing, {attach} MiB attaching and {export} MiB writing out a {FILE_MIB} MiB file");
    for (what, peak) in [("attaching", attach), ("writing out", export)] {
        let grew = peak.saturating_sub(baseline);
        assert!(grew < 16, "{what} a {FILE_MIB} MiB file grew the process by {grew} MiB (peak {peak} MiB, baseline {baseline} MiB)");
    }
}
