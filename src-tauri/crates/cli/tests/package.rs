//! `rightsdesk package` and `package verify` as a script uses them.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::ADA;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::command(db, "2025-02-10T10:00:00Z", args).env("PACKAGE_PASS", "a passphrase shared by phone").output().expect("run rightsdesk")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_officer_builds_an_encrypted_package_and_verifies_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, ADA));
    let evidence = dir.path().join("crm.csv");
    std::fs::write(&evidence, "id,email\n1,ada@example.org\n").unwrap();
    let zip = dir.path().join("DSR-2025-0001-package.zip");
    let z = zip.to_str().unwrap();
    let built = ok(&rightsdesk(
        &db,
        &[
            "package",
            "DSR-2025-0001",
            "--out",
            z,
            "--passphrase-env",
            "PACKAGE_PASS",
            "--evidence",
            &format!("CRM={}", evidence.display()),
            "--json",
        ],
    ));
    let report: serde_json::Value = serde_json::from_str(&built).unwrap();
    assert_eq!(report["encrypted"], true);
    assert!(zip.exists());
    let refused = rightsdesk(&db, &["package", "verify", z]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("passphrase"));
    let verified = ok(&rightsdesk(&db, &["package", "verify", z, "--passphrase-env", "PACKAGE_PASS"]));
    assert!(verified.contains("verified"), "{verified}");
    let shown = ok(&rightsdesk(&db, &["request", "show", "DSR-2025-0001"]));
    assert!(shown.contains("Answer package built"), "the timeline records the package");
}

#[test]
fn an_unwritable_target_is_a_clear_error_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, ADA));
    let target = dir.path().join("missing").join("p.zip");
    let out = rightsdesk(&db, &["package", "DSR-2025-0001", "--out", target.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let unset = rightsdesk(
        &db,
        &["package", "DSR-2025-0001", "--out", dir.path().join("p.zip").to_str().unwrap(), "--passphrase-env", "NO_SUCH_VAR"],
    );
    assert!(String::from_utf8_lossy(&unset.stderr).contains("NO_SUCH_VAR"));
    assert!(!dir.path().join("p.zip").exists());
}

#[test]
fn a_package_from_the_cli_includes_the_data_map_and_the_evidence_stored_on_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role,purposes,data_categories,retention\nCRM,own,Customer support,Name; email address,3 years\n").unwrap();
    ok(&rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]));
    ok(&rightsdesk(&db, ADA));
    let export = dir.path().join("crm-export.csv");
    std::fs::write(&export, "id,email\ncus_4711,ada@example.org\n").unwrap();
    ok(&rightsdesk(&db, &["evidence", "add", "DSR-2025-0001", export.to_str().unwrap(), "--system", "CRM"]));
    // The stored copy is what goes in: the file on disk may be gone by then.
    std::fs::remove_file(&export).unwrap();
    let extra = dir.path().join("call.txt");
    std::fs::write(&extra, "phone note").unwrap();

    let zip = dir.path().join("p.zip");
    // The map records neither automated decisions nor where the CRM is: refused, naming the system and both facts.
    let refused = rightsdesk(&db, &["package", "DSR-2025-0001", "--out", zip.to_str().unwrap()]);
    assert!(!refused.status.success() && !zip.exists());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("CRM: automated decision-making") && why.contains("CRM: the transfer safeguard"), "{why}");
    // The officer states both for this request; the letter is in German (--lang de).
    ok(&rightsdesk(
        &db,
        &[
            "package",
            "DSR-2025-0001",
            "--out",
            zip.to_str().unwrap(),
            "--evidence",
            &format!("Telephony={}", extra.display()),
            "--state",
            "CRM:automated_decisions=none",
            "--state",
            "CRM:transfer_safeguard=Server in Frankfurt, no transfer",
            "--lang",
            "de",
        ],
    ));
    let shown = ok(&rightsdesk(&db, &["request", "show", "DSR-2025-0001"]));
    assert!(shown.contains("the officer stated automated decision-making"), "the statement is on the timeline: {shown}");
    // Python's zipfile, not ours.
    let script = "import hashlib, json, sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        m = {f['path']: f['sha256'] for f in json.loads(z.read('manifest.json'))['files']}\n\
        crm = z.read('evidence/crm/crm-export.csv')\n\
        print(json.dumps({'crm': crm.decode(), 'sha': hashlib.sha256(crm).hexdigest() == m['evidence/crm/crm-export.csv'],\n\
          'extra': 'evidence/telephony/call.txt' in m, 'letter': z.read('cover-letter.html').decode()}))\n";
    let py = Command::new("python3").arg("-c").arg(script).arg(&zip).output().expect("python3");
    assert!(py.status.success(), "python: {}", String::from_utf8_lossy(&py.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(seen["crm"], "id,email\ncus_4711,ada@example.org\n");
    assert_eq!(seen["sha"], true, "the manifest's SHA-256 is the file's");
    assert_eq!(seen["extra"], true, "--evidence adds to the stored evidence");
    let letter = seen["letter"].as_str().unwrap();
    assert!(letter.contains("CRM") && letter.contains("Customer support"), "the letter names the data map's system and purpose");
    assert!(
        letter.contains("<html lang=\"de\">") && letter.contains("Ihre Rechte") && letter.contains("Server in Frankfurt"),
        "German, with the stated safeguard"
    );
}

/// Unmounts the test's small disk however the test ends.
struct SmallDisk(std::path::PathBuf);

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A disk that fills while the package is written. The small disk is a real
/// 1 MiB tmpfs mounted for the test; mounting needs root (CI runs as root), and
/// a test that cannot set up its disk fails: it must never pass untested.
#[test]
fn a_disk_that_fills_while_the_package_is_written_is_a_clear_error_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, ADA));
    let small = dir.path().join("small-disk");
    std::fs::create_dir(&small).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"]).arg(&small).output();
    assert!(
        matches!(&mounted, Ok(o) if o.status.success()),
        "cannot mount a 1 MiB tmpfs for the full disk (this test needs root, as CI has): {mounted:?}"
    );
    let _unmount = SmallDisk(small.clone());

    // 4 MiB that does not compress (xorshift bytes), so the package cannot fit.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4 << 20)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let evidence = dir.path().join("crm-export.bin");
    std::fs::write(&evidence, &bytes).unwrap();
    let target = small.join("DSR-2025-0001-package.zip");
    let out = rightsdesk(
        &db,
        &["package", "DSR-2025-0001", "--out", target.to_str().unwrap(), "--evidence", &format!("CRM={}", evidence.display())],
    );
    assert!(!out.status.success(), "a package larger than the disk cannot succeed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("disk is full"), "the message says why: {stderr}");
    let left: Vec<_> = std::fs::read_dir(&small).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "nothing half-written is left on the full disk: {left:?}");

    // With room, the same command writes the package.
    let roomy = dir.path().join("DSR-2025-0001-package.zip");
    ok(&rightsdesk(
        &db,
        &["package", "DSR-2025-0001", "--out", roomy.to_str().unwrap(), "--evidence", &format!("CRM={}", evidence.display())],
    ));
    assert!(roomy.metadata().unwrap().len() > 4 << 20);
}
