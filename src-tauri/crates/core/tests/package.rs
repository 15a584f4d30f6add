//! The answer package as the subject and the officer meet it: read back with
//! the zip crate, Info-ZIP's `unzip`, Python's zipfile, 7-Zip for the encrypted
//! one, and Chromium for the index page.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, Request};
use rightsdesk_core::packages::{self, EvidenceFile, PackageOptions, PackageProgress, PackageSources, SystemSummary};
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};
use sha2::{Digest, Sha256};

fn db(dir: &Path) -> Db {
    common::register_in(dir)
}

fn clock() -> FixedClock {
    FixedClock::at("2025-02-10")
}

fn register(db: &Db, request_type: &str) -> Request {
    let input = NewRequest {
        request_type: request_type.parse().unwrap(),
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Zoë <b>Example</b>".into(),
        subject_email: "zoe@example.org".into(),
        received: "2025-01-31".into(),
        notes: "=HYPERLINK(\"x\")".into(),
        ..Default::default()
    };
    requests::register(db, &clock(), &input, "tester").unwrap()
}

/// Evidence as a data map would hand it over: a CSV export and a screenshot (already compressed).
fn evidence(dir: &Path) -> PackageSources {
    let csv = dir.join("crm-export.csv");
    std::fs::write(&csv, "id,email\n1,zoe@example.org\n".repeat(200)).unwrap();
    let png = dir.join("profile.png");
    std::fs::write(&png, [0x89u8, b'P', b'N', b'G'].repeat(1000)).unwrap();
    PackageSources {
        systems: vec![SystemSummary {
            name: "CRM".into(),
            purposes: vec!["Customer support".into()],
            categories: vec!["Contact data".into(), "Support tickets".into()],
            recipients: vec!["Hosting provider (processor)".into()],
            retention: "3 years after the last contact".into(),
            source: "You, and our sales team".into(),
            legal_basis: "Contract (Art. 6(1)(b))".into(),
            transfers: None,
            automated_decisions: None,
            ..Default::default()
        }],
        evidence: vec![EvidenceFile::file("CRM", csv), EvidenceFile::file("CRM", png)],
        records: vec![],
    }
}

fn build(
    db: &Db,
    id: &str,
    out: &Path,
    passphrase: Option<&str>,
    sources: PackageSources,
) -> (packages::PackageReport, Vec<PackageProgress>) {
    let mut seen = Vec::new();
    let report = packages::build(
        db,
        &clock(),
        &RequestId::from(id),
        sources,
        &PackageOptions { out, passphrase, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "tester",
        &mut |p| {
            seen.push(p.clone());
        },
    )
    .unwrap();
    (report, seen)
}

fn read_entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn an_access_package_holds_letter_index_data_evidence_and_a_manifest_whose_hashes_match() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "access");
    let out = dir.path().join("DSR-2025-0001-package.zip");
    let (report, progress) = build(&db, &r.reference, &out, None, evidence(dir.path()));
    assert!(!report.encrypted);
    assert!(progress.last().unwrap().done, "the last progress report says done");
    assert!(progress.windows(2).all(|w| w[0].bytes_done <= w[1].bytes_done), "progress only moves forward");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    for expected in [
        "index.html",
        "cover-letter.html",
        "data/your-data.json",
        "data/identity-and-contact.csv",
        "data/requests.csv",
        "evidence/crm/crm-export.csv",
        "evidence/crm/profile.png",
        "manifest.json",
        "SHA256SUMS",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    // Already-compressed evidence is stored, text is deflated.
    assert_eq!(zip.by_name("evidence/crm/profile.png").unwrap().compression(), zip::CompressionMethod::Stored);
    assert_eq!(zip.by_name("evidence/crm/crm-export.csv").unwrap().compression(), zip::CompressionMethod::Deflated);

    // Every file the manifest lists hashes to what it says, and every file is listed.
    let manifest: serde_json::Value = serde_json::from_slice(&read_entry(&mut zip, "manifest.json")).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), names.len() - 2, "all but manifest.json and SHA256SUMS are listed");
    for f in files {
        let bytes = read_entry(&mut zip, f["path"].as_str().unwrap());
        assert_eq!(format!("{:x}", Sha256::digest(&bytes)), f["sha256"].as_str().unwrap(), "{}", f["path"]);
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap());
    }

    // The index opens offline: no remote URL at all, and markup in data is escaped.
    let index = String::from_utf8(read_entry(&mut zip, "index.html")).unwrap();
    assert!(!index.contains("http://") && !index.contains("https://"), "index.html names a remote URL");
    assert!(index.contains("cover-letter.html") && index.contains("evidence/crm/crm-export.csv"));
    let letter = String::from_utf8(read_entry(&mut zip, "cover-letter.html")).unwrap();
    assert!(!letter.contains("http://") && !letter.contains("https://"));
    assert!(letter.contains("Zoë &lt;b&gt;Example&lt;/b&gt;"), "the subject's name is escaped");
    for art15 in [
        "Purposes",
        "Categories of data",
        "Recipients",
        "How long we keep it",
        "Source",
        "supervisory authority",
        "Customer support",
        "3 years after the last contact",
        "rectification",
        "erasure",
        "restricted",
        "object",
    ] {
        assert!(letter.contains(art15), "the cover letter lacks {art15:?}");
    }
    // The subject's data as CSV, formula-safe, readable by a CSV parser.
    let requests_csv = read_entry(&mut zip, "data/requests.csv");
    let mut reader = csv::Reader::from_reader(&requests_csv[3..]);
    let headers = reader.headers().unwrap().clone();
    let row: BTreeMap<String, String> =
        headers.iter().map(String::from).zip(reader.records().next().unwrap().unwrap().iter().map(String::from)).collect();
    assert_eq!(row["reference"], "DSR-2025-0001");
    assert_eq!(row["notes"], "'=HYPERLINK(\"x\")");

    // Our own verifier agrees, and the timeline records the package.
    let verified = packages::verify(&out, None).unwrap();
    assert!(verified.ok, "{:?}", verified.problems);
    assert_eq!(verified.manifest_sha256, report.manifest_sha256);
    let detail = requests::detail(&db, &clock(), &r.id).unwrap();
    assert_eq!(detail.timeline.last().unwrap().kind, "package-built");
    let recorded: (String, i64) =
        db.read(|c| Ok(c.query_row("SELECT manifest_sha256, encrypted FROM packages", [], |r| Ok((r.get(0)?, r.get(1)?)))?)).unwrap();
    assert_eq!(recorded, (report.manifest_sha256.clone(), 0), "the register keeps which package was handed out");
}

#[test]
fn tools_that_are_not_ours_read_the_package_and_recompute_its_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "portability");
    let out = dir.path().join("p.zip");
    build(&db, &r.id, &out, None, evidence(dir.path()));
    let unzip = Command::new("unzip").arg("-t").arg(&out).output().expect("unzip (Debian package unzip) is installed");
    assert!(unzip.status.success(), "unzip -t: {}", String::from_utf8_lossy(&unzip.stdout));
    // Debian's python3 (the pyenv one on PATH would do too): zipfile reads every entry, hashlib recomputes.
    let script = "import hashlib, json, sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None\n\
        m = json.loads(z.read('manifest.json'))\n\
        for f in m['files']:\n    assert hashlib.sha256(z.read(f['path'])).hexdigest() == f['sha256'], f['path']\n\
        for line in z.read('SHA256SUMS').decode().splitlines():\n    h, name = line.split('  ', 1)\n    assert hashlib.sha256(z.read(name)).hexdigest() == h\n\
        print(len(m['files']))\n";
    let py = Command::new("python3").arg("-c").arg(script).arg(&out).output().expect("python3");
    assert!(py.status.success(), "python: {}", String::from_utf8_lossy(&py.stderr));
}

fn seven_zip() -> PathBuf {
    for p in ["/usr/bin/7z", "/usr/bin/7zz", "/usr/bin/7za"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("7-Zip is needed for this test: install the Debian package p7zip-full (scripts/install-deps.sh)");
}

#[test]
fn an_encrypted_package_opens_in_7zip_with_the_passphrase_and_not_without() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "access");
    let out = dir.path().join("secret.zip");
    let pass = "correct horse battery staple";
    let (report, _) = build(&db, &r.id, &out, Some(pass), evidence(dir.path()));
    assert!(report.encrypted);
    let sz = seven_zip();
    let ok = Command::new(&sz).args(["t", &format!("-p{pass}")]).arg(&out).output().unwrap();
    assert!(ok.status.success(), "7z t: {}", String::from_utf8_lossy(&ok.stdout));
    let tech = Command::new(&sz).args(["l", "-slt", &format!("-p{pass}")]).arg(&out).output().unwrap();
    assert!(String::from_utf8_lossy(&tech.stdout).contains("AES-256"), "7-Zip sees AES-256");
    let wrong = Command::new(&sz).args(["t", "-pwrong passphrase"]).arg(&out).output().unwrap();
    assert!(!wrong.status.success(), "a wrong passphrase opens nothing");
    // 7-Zip extracts a file whose content matches the manifest.
    let x = dir.path().join("x");
    let ex = Command::new(&sz).args(["x", "-y", &format!("-p{pass}"), &format!("-o{}", x.display())]).arg(&out).output().unwrap();
    assert!(ex.status.success());
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(x.join("manifest.json")).unwrap()).unwrap();
    for f in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::read(x.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(format!("{:x}", Sha256::digest(&bytes)), f["sha256"].as_str().unwrap());
    }
    // Our verifier needs the passphrase, and refuses a wrong one by name.
    assert_eq!(packages::verify(&out, None).unwrap_err().field(), Some("passphrase"));
    assert_eq!(packages::verify(&out, Some("not the passphrase")).unwrap_err().field(), Some("passphrase"));
    assert!(packages::verify(&out, Some(pass)).unwrap().ok);
}

#[test]
fn a_changed_file_fails_verification_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "access");
    let out = dir.path().join("p.zip");
    build(&db, &r.id, &out, None, PackageSources::default());
    // Copy the package, changing one file.
    let tampered = dir.path().join("tampered.zip");
    let mut src = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "data/requests.csv" {
            bytes.extend_from_slice(b"DSR-2025-9999,forged\r\n");
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        dst.write_all(&bytes).unwrap();
    }
    dst.finish().unwrap();
    let report = packages::verify(&tampered, None).unwrap();
    assert!(!report.ok);
    assert_eq!(report.problems, vec!["data/requests.csv does not match its SHA-256 in the manifest".to_string()]);
}

#[test]
fn a_bad_target_or_a_missing_evidence_file_writes_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "access");
    let run = |out: &Path, sources: PackageSources| {
        packages::build(
            &db,
            &clock(),
            &RequestId::from(&r.id),
            sources,
            &PackageOptions { out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
            "t",
            &mut |_| {},
        )
    };
    let missing_dir = dir.path().join("no-such-folder").join("p.zip");
    let err = run(&missing_dir, PackageSources::default()).unwrap_err().to_string();
    assert!(err.contains("p.zip") && err.contains("nothing was written"), "{err}");
    let err = run(dir.path(), PackageSources::default()).unwrap_err();
    assert_eq!(err.field(), Some("out"), "a folder is not a file name");
    let out = dir.path().join("p.zip");
    let gone = PackageSources { evidence: vec![EvidenceFile::file("CRM", dir.path().join("deleted.csv"))], ..Default::default() };
    let err = run(&out, gone).unwrap_err().to_string();
    assert!(err.contains("deleted.csv"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains("p.zip")), "nothing half-written: {left:?}");
    let err = packages::build(
        &db,
        &clock(),
        &RequestId::from(&r.id),
        PackageSources::default(),
        &PackageOptions { out: &out, passphrase: Some("short"), overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "t",
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("passphrase"));
}

#[test]
fn an_erasure_request_gets_no_access_package() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "erasure");
    let err = packages::build(
        &db,
        &clock(),
        &RequestId::from(&r.id),
        PackageSources::default(),
        &PackageOptions {
            out: &dir.path().join("p.zip"),
            passphrase: None,
            overwrite: rightsdesk_core::files::destination::Overwrite::Allowed,
        },
        "t",
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("type"));
}

#[test]
fn the_index_page_renders_offline_in_headless_chromium() {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists()) else {
        panic!("Chromium is needed for this test: install the Debian package chromium (scripts/install-deps.sh)");
    };
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let r = register(&db, "access");
    let out = dir.path().join("p.zip");
    build(&db, &r.id, &out, None, evidence(dir.path()));
    let x = dir.path().join("x");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    zip.extract(&x).unwrap();
    let shot = dir.path().join("index.png");
    let profile = dir.path().join("chromium-profile");
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", x.join("index.html").display()))
        .output()
        .unwrap();
    assert!(status.status.success(), "chromium: {}", String::from_utf8_lossy(&status.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "a real screenshot was taken");
    if let Ok(keep) = std::env::var("RIGHTSDESK_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn the_retention_purge_deletes_a_package_kept_beside_the_database() {
    use rightsdesk_core::domain::Status;
    use rightsdesk_core::retention;
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("rightsdesk.sqlite3"), &DbKey::passphrase("test passphrase").unwrap()).unwrap();
    let then = FixedClock::at("2022-01-20");
    let input = common::ada("2022-01-10");
    let r = requests::register(&db, &then, &input, "t").unwrap();
    let out = packages::out_path(&db, &then, &RequestId::from(&r.id), "").unwrap();
    assert_eq!(out, dir.path().join("packages").join("DSR-2022-0001-package.zip"));
    packages::build(
        &db,
        &then,
        &RequestId::from(&r.id),
        PackageSources::default(),
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "t",
        &mut |_| {},
    )
    .unwrap();
    requests::change_status(&db, &then, &RequestId::from(&r.id), Status::InProgress, None, "t").unwrap();
    requests::change_status(&db, &then, &RequestId::from(&r.id), Status::Completed, None, "t").unwrap();
    let today = FixedClock::at("2025-02-01");
    let plan = retention::preview(&db, &today).unwrap();
    let files = plan.removes.iter().find(|c| c.purger == "package-files").unwrap();
    assert_eq!(files.items, 1, "the preview counts the package");
    retention::purge(&db, &today, "t", Some(1)).unwrap();
    assert!(!out.exists(), "the package with the subject's data is gone");
}
