//! Stored (encrypted) evidence streams into a package in flat memory: it is
//! decrypted chunk by chunk into the ZIP, never held whole. Alone in its own
//! test binary so the process's peak resident memory is this test's; the peak
//! is reset (`/proc/self/clear_refs`) just before the package is built, so it
//! measures the build and not the adding of the evidence.

mod common;

use std::io::Read;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::packages::{self, PackageOptions};
use rightsdesk_core::requests;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Resets the peak (VmHWM) to the current resident size and returns that size.
fn reset_peak() -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident size (Linux clear_refs)");
    status_kib("VmRSS:")
}

/// The stored file's size: 25 MiB (the Evidence panel's limit once; files are now limited by the disk).
const FILE_BYTES: usize = 25 * 1024 * 1024;

#[test]
fn the_largest_stored_evidence_file_streams_into_the_package_without_being_held_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2026-11-23");
    let r = requests::register(&db, &clock, &common::ada("2026-11-20"), "o").unwrap();
    let stored = {
        // A recording-like file that deflate cannot shrink.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let bytes: Vec<u8> = (0..FILE_BYTES)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let new =
            NewEvidence { request: &r.id, file_name: "call.ogg", bytes: &bytes, task: None, system: None, kind: EvidenceKind::Evidence };
        evidence::add(&db, &clock, &new, "o").unwrap()
    };
    let sources = packages::sources_from_workspace(&db, &r.id).unwrap();
    assert_eq!(sources.evidence.len(), 1);

    let before = reset_peak();
    let out = dir.path().join("p.zip");
    let report = packages::build(
        &db,
        &clock,
        &RequestId::from(&r.id),
        sources,
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "o",
        &mut |_| {},
    )
    .unwrap();
    let peak = status_kib("VmHWM:");
    let grew_mib = peak.saturating_sub(before) / 1024;
    let file_mib = FILE_BYTES / (1024 * 1024);
    eprintln!("package of {file_mib} MiB stored evidence: peak resident memory grew by {grew_mib} MiB");
    assert!(report.bytes > FILE_BYTES as u64);
    assert!(grew_mib < 12, "the build's peak grew by {grew_mib} MiB for a {file_mib} MiB file");

    // The measurement sees a whole file when one is held: reading it whole grows the peak by its size.
    let before = reset_peak();
    let (_, mut reader) = evidence::open(&db, &stored.id).unwrap();
    let mut whole = Vec::new();
    reader.read_to_end(&mut whole).unwrap();
    let grew_whole = status_kib("VmHWM:").saturating_sub(before) / 1024;
    assert!(grew_whole as usize >= file_mib, "reading it whole grew the peak by only {grew_whole} MiB");
}
