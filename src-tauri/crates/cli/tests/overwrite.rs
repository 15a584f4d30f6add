//! No command overwrites what it must not (issue 16, item 1): every command that
//! writes a file refuses an existing one unless `--force`, refuses the database,
//! its companion files and the data folders even with `--force`, and creates
//! files that hold personal data readable by their owner only.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::PASSPHRASE;

const PRECIOUS: &[u8] = b"the officer's own file, not to be lost\n";

struct Register {
    dir: tempfile::TempDir,
    db: PathBuf,
    evidence_id: String,
}

impl Register {
    /// A register with one access request, an evidence file and a data map, in `<tmp>/data/`.
    fn new() -> Register {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("r.sqlite3");
        std::fs::create_dir_all(dir.path().join("xdg").join("rightsdesk")).unwrap();
        let mut r = Register { dir, db, evidence_id: String::new() };
        r.ok(&[
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
        ]);
        r.ok(&["systems", "starter"]);
        let proof = r.dir.path().join("proof.txt");
        std::fs::write(&proof, b"identity checked by phone").unwrap();
        let added = r.ok(&["evidence", "add", "DSR-2025-0001", proof.to_str().unwrap(), "--json"]);
        let added: serde_json::Value = serde_json::from_str(&added).unwrap();
        r.evidence_id = added["id"].as_str().unwrap().to_string();
        r
    }

    fn run(&self, args: &[&str]) -> Output {
        common::command(&self.db, "2025-02-10T10:00:00Z", args)
            // The app's data directory, here inside the test's folder.
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("HOME", self.dir.path())
            .output()
            .expect("run rightsdesk")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn request_count(&self) -> usize {
        let listed = self.ok(&["request", "list", "--json"]);
        serde_json::from_str::<serde_json::Value>(&listed).unwrap().as_array().unwrap().len()
    }

    /// The command line that writes `out`, per command.
    fn writing(&self, command: &str, out: &Path) -> Vec<String> {
        let out = out.to_str().unwrap().to_string();
        let args: Vec<&str> = match command {
            "export requests" => vec!["export", "requests", "--format", "csv", "--out"],
            "audit export" => vec!["audit", "export", "--out"],
            "calendar" => vec!["calendar", "--out"],
            "systems export" => vec!["systems", "export", "--format", "csv", "--out"],
            "package" => vec!["package", "DSR-2025-0001", "--out"],
            "evidence get" => vec!["evidence", "get", &self.evidence_id, "--out"],
            "backup" => vec!["backup", "--out"],
            other => panic!("unknown command {other}"),
        };
        args.into_iter().map(str::to_string).chain([out]).collect()
    }
}

const COMMANDS: &[&str] = &["export requests", "audit export", "calendar", "systems export", "package", "evidence get", "backup"];

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn every_file_writing_command_refuses_an_existing_file_unless_forced_and_writes_new_files_owner_only() {
    let r = Register::new();
    for (i, command) in COMMANDS.iter().enumerate() {
        // A new file: written, readable by the officer only.
        let fresh = r.dir.path().join(format!("new-{i}.out"));
        r.ok(&strs(&r.writing(command, &fresh)));
        assert!(std::fs::metadata(&fresh).unwrap().len() > 0, "{command}: nothing written");
        #[cfg(unix)]
        assert_eq!(mode(&fresh), 0o600, "{command}: a file with personal data must be owner-only");

        // An existing file: refused, named, left byte for byte.
        let existing = r.dir.path().join(format!("existing-{i}.out"));
        std::fs::write(&existing, PRECIOUS).unwrap();
        let refused = r.run(&strs(&r.writing(command, &existing)));
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success(), "{command} overwrote an existing file");
        assert!(message.contains(&format!("existing-{i}.out")), "{command}: the message names the file: {message}");
        assert_eq!(std::fs::read(&existing).unwrap(), PRECIOUS, "{command}: the existing file changed");
        if *command == "backup" {
            // A backup never replaces a file, --force or not (there is no such flag).
            assert!(message.contains("exists"), "{message}");
            continue;
        }
        assert!(message.contains("--force"), "{command}: the message says how to replace it: {message}");

        // With --force: replaced, and owner-only although the old file was world-readable.
        let mut forced = r.writing(command, &existing);
        forced.push("--force".into());
        r.ok(&strs(&forced));
        assert_ne!(std::fs::read(&existing).unwrap(), PRECIOUS, "{command} --force did not replace the file");
        #[cfg(unix)]
        assert_eq!(mode(&existing), 0o600, "{command}: the replaced file is owner-only");
    }
    // No temporary file was left anywhere.
    let leftovers: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn the_database_its_companions_and_the_data_folders_are_refused_even_with_force() {
    let r = Register::new();
    let before = r.request_count();
    let data = r.db.parent().unwrap().to_path_buf();
    let db_bytes = std::fs::read(&r.db).unwrap();
    let evidence_file = std::fs::read_dir(data.join("evidence")).unwrap().next().unwrap().unwrap().path();
    let app_data_file = r.dir.path().join("xdg").join("rightsdesk").join("notes.csv");
    std::fs::write(&app_data_file, PRECIOUS).unwrap();
    let link = r.dir.path().join("harmless-looking.csv");
    std::os::unix::fs::symlink(&r.db, &link).unwrap();
    let through_dots = data.join("evidence").join("..").join("r.sqlite3");

    let targets: Vec<PathBuf> = vec![
        r.db.clone(),
        data.join("r.sqlite3-wal"),
        data.join("r.sqlite3-shm"),
        data.join("r.sqlite3.lock"),
        evidence_file.clone(),
        data.join("evidence").join("new-file.csv"),
        app_data_file.clone(),
        link.clone(),
        through_dots,
    ];
    for command in COMMANDS {
        for target in &targets {
            let before_bytes = std::fs::read(target).ok();
            let mut args = r.writing(command, target);
            if *command != "backup" {
                args.push("--force".into());
            }
            let out = r.run(&strs(&args));
            let message = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{command} wrote {target:?}");
            assert!(message.contains(target.file_name().unwrap().to_str().unwrap()), "{command}: names the file: {message}");
            if *command != "backup" {
                assert!(message.contains("not even with --force"), "{command} {target:?}: {message}");
            }
            // SQLite and the writer lock keep their own files (-wal, -shm, .lock) up to date themselves.
            let sqlites_own = target.to_string_lossy().ends_with("-wal")
                || target.to_string_lossy().ends_with("-shm")
                || target.to_string_lossy().ends_with(".lock");
            if !sqlites_own {
                assert_eq!(std::fs::read(target).ok(), before_bytes, "{command} changed {target:?}");
            }
        }
    }
    assert_eq!(std::fs::read(&r.db).unwrap(), db_bytes, "the database is untouched");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert!(!data.join("evidence").join("new-file.csv").exists());
    // The register still opens with its key and holds the same requests.
    assert_eq!(r.request_count(), before);
    r.ok(&["audit", "verify"]);
}

#[test]
fn the_configured_backup_folder_is_refused_even_with_force() {
    let r = Register::new();
    let backups = r.dir.path().join("backups");
    {
        use rightsdesk_core::store::{Db, DbKey};
        let db = Db::open(&r.db, &DbKey::passphrase(PASSPHRASE).unwrap()).unwrap();
        let clock = rightsdesk_core::clock::FixedClock::at("2025-02-10");
        rightsdesk_core::backups::set_schedule(&db, &clock, "test", backups.to_str().unwrap(), 3, false).unwrap();
    }
    std::fs::create_dir_all(&backups).unwrap();
    let target = backups.join("register.csv");
    let out = r.run(&["export", "requests", "--format", "csv", "--out", target.to_str().unwrap(), "--force"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not even with --force"));
    assert!(!target.exists());
    // Beside it, outside the folder, is fine.
    r.ok(&["export", "requests", "--format", "csv", "--out", r.dir.path().join("register.csv").to_str().unwrap()]);
}
