//! Files written by an earlier version still open: a register with its evidence files
//! (`RDE2`, 1 MiB chunks) and a backup archive (`RDBACKUP\x01`, 64 KiB chunks), frozen in
//! `tests/fixtures/formats-v1/` (see its README for what wrote them). The tests run the CLI
//! as a process, so they do not depend on where the core keeps its modules.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

/// Test-only: the passphrase of the fixture register and its backup.
const PASSPHRASE: &str = "formats-v1 fixture passphrase, test only";
const NOW: &str = "2026-12-02T08:00:00Z";
const REFERENCE: &str = "DSR-2026-0001";

/// The two evidence files: name, the byte pattern's length, and the SHA-256 of the plaintext
/// (also in the fixtures' README).
const FILES: [(&str, usize, &str); 2] = [
    ("small.txt", 3000, "cf5a6c41bf19ee7822b5e40340def941356469fcd61d16cc9745b95ac8ab747d"),
    ("large.bin", (1 << 20) + 37, "0f6f35fbb93888cba23cdc9be4f9d527a73a465d8bd228471db9ac284834efe9"),
];

/// The deterministic content of a fixture evidence file of `len` bytes.
fn pattern(name: &str, len: usize) -> Vec<u8> {
    let seed = name.bytes().fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)));
    (0..len).map(|i| (u32::try_from(i).unwrap().wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8).collect()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join("formats-v1")
}

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    // The fixture's own passphrase and actor, not the shared ones.
    common::command(db, NOW, args).env("RIGHTSDESK_PASSPHRASE", PASSPHRASE).env("USER", "dpo").output().expect("run rightsdesk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Checks the register at `db` holds the fixture request and both files, byte for byte.
fn assert_register_reads(db: &Path, scratch: &Path) {
    let list = json(&rightsdesk(db, &["request", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["reference"], REFERENCE);
    let shown = json(&rightsdesk(db, &["request", "show", REFERENCE, "--json"]));
    assert_eq!(shown["request"]["reference"], REFERENCE, "{shown}");
    assert_eq!(shown["request"]["subject"]["name"], "Fixture Subject");
    assert_eq!(shown["request"]["due"], "2026-12-30");
    // The audit chain written then (hashes, hex) still verifies.
    let verified = rightsdesk(db, &["audit", "verify"]);
    assert!(verified.status.success(), "stderr: {}", String::from_utf8_lossy(&verified.stderr));

    let stored = json(&rightsdesk(db, &["evidence", "list", REFERENCE, "--json"]));
    let stored = stored.as_array().unwrap();
    assert_eq!(stored.len(), FILES.len());
    for (name, len, sha) in FILES {
        let e = stored.iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("{name} is listed"));
        assert_eq!(e["sha256"], sha, "{name}");
        assert_eq!(e["size"], len, "{name}");
        let out = scratch.join(format!("out-{name}"));
        json(&rightsdesk(db, &["evidence", "get", e["id"].as_str().unwrap(), "--out", out.to_str().unwrap(), "--json"]));
        let plain = std::fs::read(&out).unwrap();
        assert_eq!(plain.len(), len, "{name}");
        assert!(plain == pattern(name, len), "{name} does not read back as written");
    }
}

#[test]
fn the_fixture_register_reads_its_evidence_files_back() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("register"), &dir.path().join("register"));
    let db = dir.path().join("register").join("r.sqlite3");
    let large = std::fs::read(
        files_under(&dir.path().join("register").join("evidence")).iter().max_by_key(|p| std::fs::metadata(p).unwrap().len()).unwrap(),
    )
    .unwrap();
    assert_eq!(&large[..4], b"RDE2", "the fixture is an evidence file of the chunked format");
    assert_register_reads(&db, dir.path());
}

#[test]
fn the_fixture_backup_restores_into_a_fresh_place_and_reads() {
    let dir = tempfile::tempdir().unwrap();
    let backup = fixtures().join("backup.rdbackup");
    assert_eq!(&std::fs::read(&backup).unwrap()[..9], b"RDBACKUP\x01");
    let db = dir.path().join("restored").join("r.sqlite3");
    let checked = json(&rightsdesk(&db, &["restore", backup.to_str().unwrap(), "--verify-only", "--json"]));
    assert_eq!(checked["verified"]["requests"], 1);
    let restored = json(&rightsdesk(&db, &["restore", backup.to_str().unwrap(), "--json"]));
    assert_eq!(restored["restored"]["requests"], 1);
    assert_eq!(restored["restored"]["evidence_files"], 2);
    assert_register_reads(&db, dir.path());
}

/// A copy of `file` with one bit flipped at `at`, written into `dir`.
fn tampered(file: &Path, at: usize, dir: &Path) -> PathBuf {
    let mut bytes = std::fs::read(file).unwrap();
    bytes[at] ^= 0x01;
    let out = dir.join(file.file_name().unwrap());
    std::fs::write(&out, bytes).unwrap();
    out
}

/// Offsets of the chunks' ciphertexts after `start`: (last flag u8 | length u32 BE | ciphertext)*.
fn chunks(bytes: &[u8], mut start: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    while start < bytes.len() {
        let len = u32::from_be_bytes(bytes[start + 1..start + 5].try_into().unwrap()) as usize;
        out.push(start + 5..start + 5 + len);
        start += 5 + len;
    }
    assert_eq!(start, bytes.len(), "the chunks end where the file does");
    out
}

#[test]
fn a_changed_byte_in_a_fixture_evidence_chunk_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let stored = files_under(&fixtures().join("register").join("evidence"));
    let large = stored.iter().max_by_key(|p| std::fs::metadata(p).unwrap().len()).unwrap();
    let rel = large.strip_prefix(fixtures().join("register")).unwrap();
    // "RDE2" | 7-byte nonce prefix | chunks.
    let ranges = chunks(&std::fs::read(large).unwrap(), 11);
    assert_eq!(ranges.len(), 2, "1 MiB and a few bytes: two chunks");
    for (n, range) in ranges.iter().enumerate() {
        let copy = dir.path().join(format!("copy{n}"));
        copy_dir(&fixtures().join("register"), &copy);
        tampered(large, range.start + range.len() / 2, copy.join(rel).parent().unwrap());
        let db = copy.join("r.sqlite3");
        let listed = json(&rightsdesk(&db, &["evidence", "list", REFERENCE, "--json"]));
        let id = listed.as_array().unwrap().iter().find(|e| e["name"] == "large.bin").unwrap()["id"].as_str().unwrap().to_string();
        let out = dir.path().join(format!("out{n}.bin"));
        let refused = rightsdesk(&db, &["evidence", "get", &id, "--out", out.to_str().unwrap()]);
        assert!(!refused.status.success(), "chunk {n}: a changed file was handed out");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("damaged or was changed"), "chunk {n}: {stderr}");
        assert!(!out.exists(), "chunk {n}: something was written");
    }
}

#[test]
fn a_changed_byte_in_a_fixture_backup_chunk_is_refused_and_nothing_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let backup = fixtures().join("backup.rdbackup");
    let bytes = std::fs::read(&backup).unwrap();
    // "RDBACKUP\x01" | header length (u32 BE) | header | chunks.
    let header = u32::from_be_bytes(bytes[9..13].try_into().unwrap()) as usize;
    let ranges = chunks(&bytes, 13 + header);
    assert!(ranges.len() > 4, "the backup spans several 64 KiB chunks");
    for n in [0, ranges.len() / 2, ranges.len() - 1] {
        let range = &ranges[n];
        let scratch = dir.path().join(format!("t{n}"));
        std::fs::create_dir_all(&scratch).unwrap();
        let file = tampered(&backup, range.start + range.len() / 2, &scratch);
        let place = dir.path().join(format!("restored{n}"));
        let db = place.join("r.sqlite3");
        for extra in [&["--verify-only"][..], &[]] {
            let refused = rightsdesk(&db, &[&["restore", file.to_str().unwrap()][..], extra].concat());
            assert!(!refused.status.success(), "chunk {n}: a changed backup was accepted");
            let stderr = String::from_utf8_lossy(&refused.stderr);
            assert!(stderr.contains("backup") && stderr.contains("altered"), "chunk {n}: {stderr}");
            let left: Vec<PathBuf> = match std::fs::read_dir(&place) {
                Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
                Err(_) => Vec::new(),
            };
            assert!(left.is_empty(), "chunk {n}: the refused restore left {left:?}");
        }
    }
}

/// Writes the fixtures with the code of the current commit: run once, by hand, into an empty
/// folder (`RIGHTSDESK_FIXTURES_OUT=/tmp/f cargo test -p rightsdesk-cli --test old_formats -- --ignored`),
/// then copy its content to `tests/fixtures/formats-vN/` and record the commit in the README.
/// Never regenerate `formats-v1`: its point is that an earlier version wrote it.
#[test]
#[ignore]
fn write_the_fixtures() {
    let root = PathBuf::from(std::env::var("RIGHTSDESK_FIXTURES_OUT").expect("RIGHTSDESK_FIXTURES_OUT names an empty folder"));
    assert!(!root.exists() || std::fs::read_dir(&root).unwrap().next().is_none(), "{} is not empty", root.display());
    let inputs = tempfile::tempdir().unwrap();
    let db = root.join("register").join("r.sqlite3");
    let added = json(&rightsdesk(
        &db,
        &[
            "request",
            "add",
            "--type",
            "access",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
            "--received",
            "2026-11-30",
            "--email",
            "fixture.subject@example.org",
            "--name",
            "Fixture Subject",
            "--json",
        ],
    ));
    assert_eq!(added["reference"], REFERENCE);
    for (name, len, _) in FILES {
        let input = inputs.path().join(name);
        std::fs::write(&input, pattern(name, len)).unwrap();
        let e = json(&rightsdesk(&db, &["evidence", "add", REFERENCE, input.to_str().unwrap(), "--json"]));
        println!("{name}: {len} bytes, SHA-256 {}", e["sha256"].as_str().unwrap());
    }
    let backup = root.join("backup.rdbackup");
    json(&rightsdesk(&db, &["backup", "--out", backup.to_str().unwrap(), "--json"]));
}
