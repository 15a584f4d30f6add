//! Cross-checks every holiday calendar of the deadline engine against an
//! independent source, the PyPI `holidays` package, for 2015–2040.
//!
//! Every date on which the two differ must be explained in
//! `tests/holidays/allowlist.toml`; an unexplained difference, or an allow-list
//! entry that no longer matches anything, fails the test. Python and the
//! package are required: CI installs them with
//! `pip install -r tests/holidays/requirements.txt`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use chrono::NaiveDate;
use rightsdesk_core::deadlines::{calendar_codes, holidays, FIRST_YEAR, LAST_YEAR};
use serde::Deserialize;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

#[derive(Debug, Deserialize)]
struct AllowList {
    allow: Vec<Allow>,
}

#[derive(Debug, Deserialize)]
struct Allow {
    jurisdiction: String,
    /// "ours": only Rightsdesk has the holiday; "theirs": only the package has it.
    side: String,
    dates: Vec<NaiveDate>,
    reason: String,
}

fn reference(codes: &[&str]) -> (String, BTreeMap<(String, NaiveDate), String>) {
    let script = repo_root().join("tests/holidays/dump.py");
    let install = "install Python 3 and the reference package: pip install -r tests/holidays/requirements.txt";
    let output = Command::new("python3")
        .arg(&script)
        .arg(codes.join(","))
        .arg(format!("{FIRST_YEAR}-{LAST_YEAR}"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {install}"));
    assert!(output.status.success(), "{} failed: {}\n{install}", script.display(), String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("dump.py prints UTF-8");
    let mut version = String::new();
    let mut map = BTreeMap::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("#version ") {
            version = v.trim().to_string();
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(code), Some(date), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("unexpected line from dump.py: {line}");
        };
        let date: NaiveDate = date.parse().expect("dump.py prints ISO dates");
        map.insert((code.to_string(), date), name.to_string());
    }
    (version, map)
}

#[test]
fn every_holiday_calendar_matches_the_reference_package_or_the_reviewed_allow_list() {
    let pinned = std::fs::read_to_string(repo_root().join("tests/holidays/requirements.txt")).expect("tests/holidays/requirements.txt");
    let pinned = pinned.lines().find_map(|l| l.trim().strip_prefix("holidays==")).expect("holidays==X pinned");

    let codes: Vec<&str> = calendar_codes().into_iter().map(|(c, _)| c).collect();
    let (version, theirs) = reference(&codes);
    assert_eq!(
        version, pinned,
        "the cross-check is reviewed against holidays=={pinned}; found {version}: pip install -r tests/holidays/requirements.txt"
    );

    let mut ours = BTreeMap::new();
    for code in &codes {
        for year in FIRST_YEAR..=LAST_YEAR {
            for (date, name) in holidays(code, year).expect("calendar exists") {
                ours.insert((code.to_string(), date), name);
            }
        }
    }

    let allow: AllowList =
        toml::from_str(&std::fs::read_to_string(repo_root().join("tests/holidays/allowlist.toml")).expect("allowlist.toml"))
            .expect("allowlist.toml parses");
    let mut allowed: BTreeSet<(String, String, NaiveDate)> = BTreeSet::new();
    for a in &allow.allow {
        assert!(a.side == "ours" || a.side == "theirs", "allow-list side must be ours or theirs: {a:?}");
        assert!(!a.reason.trim().is_empty(), "allow-list entry without a reason: {a:?}");
        for d in &a.dates {
            allowed.insert((a.jurisdiction.clone(), a.side.clone(), *d));
        }
    }

    let mut unexplained = Vec::new();
    let mut used = BTreeSet::new();
    let keys: BTreeSet<&(String, NaiveDate)> = ours.keys().chain(theirs.keys()).collect();
    for key in keys {
        let (side, name) = match (ours.get(key), theirs.get(key)) {
            (Some(n), None) => ("ours", n),
            (None, Some(n)) => ("theirs", n),
            _ => continue,
        };
        let entry = (key.0.clone(), side.to_string(), key.1);
        if allowed.contains(&entry) {
            used.insert(entry);
        } else {
            unexplained.push(format!("{}\t{}\tonly {}\t{}", key.0, key.1, side, name));
        }
    }
    let stale: Vec<_> = allowed.difference(&used).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "holiday calendars differ from the reference package on {} date(s) not in tests/holidays/allowlist.toml:\n{}\n\
         allow-list entries that match no difference (remove them): {:?}",
        unexplained.len(),
        unexplained.join("\n"),
        stale
    );
}
