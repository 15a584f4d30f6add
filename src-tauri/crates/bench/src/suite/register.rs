//! Registering 1,000 requests one by one through `requests::register`
//! (validation, deadline engine, one IMMEDIATE transaction with its timeline
//! event each), into a copy of the data set. Target: < 1 s.

use rightsdesk_core::domain::{NewRequest, RequestChannel, RequestType};
use rightsdesk_core::requests;
use rightsdesk_core::Result;

use super::Target;
use crate::people;
use crate::report::Figure;
use crate::rng::Rng;
use crate::timing::once;

pub const COUNT: u64 = 1_000;

/// The inputs an officer would type, varied over laws and types.
pub fn inputs(seed: u64, n: u64) -> Vec<NewRequest> {
    let mut rng = Rng::stream(seed, "register");
    let laws = [
        ("eu-gdpr", "DE", RequestType::Access),
        ("uk-gdpr", "GB-ENG", RequestType::Erasure),
        ("ccpa", "US-CA", RequestType::OptOutSaleSharing),
        ("eu-gdpr", "FR", RequestType::Rectification),
    ];
    (0..n)
        .map(|i| {
            let p = people::person(&mut rng, 900_000 + i);
            let (regime, jurisdiction, kind) = *rng.pick(&laws);
            NewRequest {
                request_type: kind,
                regime: regime.into(),
                jurisdiction: jurisdiction.into(),
                subject_name: p.name,
                subject_email: p.email.unwrap_or_else(|| format!("subject{i}@example.org")),
                received: format!("2026-11-{:02}", 1 + rng.below(22)),
                channel: Some(RequestChannel::Email),
                ..Default::default()
            }
        })
        .collect()
}

pub fn run(t: &Target<'_>) -> Result<Vec<Figure>> {
    run_with(t, "register 1,000 one by one (core)", "", Some(1.0))
}

/// Registers 1,000 requests into a copy of the data set, with `pragmas` run first on the copy.
pub fn run_with(t: &Target<'_>, bench: &str, pragmas: &str, target: Option<f64>) -> Result<Vec<Figure>> {
    let dir = tempfile_dir()?;
    let copy = dir.join("register.sqlite3");
    t.db.read(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?))?;
    std::fs::copy(t.path, &copy)?;
    // The copy (about 900 MB at 100,000) is on disk before the clock starts, so that its writeback
    // does not compete with the registrations' own writes.
    std::fs::File::open(&copy)?.sync_all()?;
    let db = super::open(&copy, t.key)?;
    if !pragmas.is_empty() {
        db.read(|c| Ok(c.execute_batch(pragmas)?))?;
    }
    let inputs = inputs(7, COUNT);
    let (ms, result) = once(|| -> Result<()> {
        for input in &inputs {
            requests::register(&db, &t.clock, input, "bench")?;
        }
        Ok(())
    });
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    Ok(vec![Figure::new(bench, Some(t.size), "total", ms / 1e3, "s", target)
        .note(&format!("{:.2} ms per request", ms / COUNT as f64))
        .reason(&format!(
            "{:.2} ms per request: each is one transaction writing about 42 pages (the request's row and its indexes, a \
             search-index segment, its events and chain links, its tasks), every page encrypted and authenticated by SQLCipher",
            ms / COUNT as f64
        ))])
}

fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("rightsdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
