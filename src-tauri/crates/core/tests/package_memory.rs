//! A package with 1 GB of evidence is written in flat memory. Alone in its
//! own test binary so the process's peak resident memory (VmHWM) is this test's.
//! `RIGHTSDESK_PACKAGE_BENCH_MB` changes the size (default 1024).

mod common;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::packages::{self, EvidenceFile, PackageOptions, PackageSources};
use rightsdesk_core::requests;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).expect("VmHWM")
}

#[test]
fn a_package_with_a_gigabyte_of_evidence_is_written_in_under_100_mb_of_memory() {
    let mb: u64 = std::env::var("RIGHTSDESK_PACKAGE_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2025-02-10");
    let input = common::ada("2025-01-31");
    let r = requests::register(&db, &clock, &input, "t").unwrap();
    // A call recording (already compressed, so stored) of `mb` MiB; sparse, so making it costs nothing.
    let recording = dir.path().join("call-recording.mp4");
    std::fs::File::create(&recording).unwrap().set_len(mb << 20).unwrap();
    let sources = PackageSources { evidence: vec![EvidenceFile::file("Telephony", recording)], ..Default::default() };
    let out = dir.path().join("p.zip");
    let before = peak_rss_kib();
    let mut reports = 0;
    let report = packages::build(
        &db,
        &clock,
        &RequestId::from(&r.id),
        sources,
        &PackageOptions { out: &out, passphrase: None, overwrite: rightsdesk_core::files::destination::Overwrite::Allowed },
        "t",
        &mut |_| reports += 1,
    )
    .unwrap();
    let peak = peak_rss_kib();
    assert!(report.bytes >= mb << 20);
    assert!(std::fs::metadata(&out).unwrap().len() >= mb << 20);
    eprintln!(
        "package of {mb} MiB evidence: peak RSS {} MiB (before building: {} MiB), {reports} progress reports",
        peak / 1024,
        before / 1024
    );
    assert!(peak < 100 * 1024, "peak resident memory was {} MiB", peak / 1024);
    assert!(reports > 100, "progress was reported as the file streamed");
    assert!(packages::verify(&out, None).unwrap().ok);
    assert!(peak_rss_kib() < 100 * 1024, "verifying streams too");
}
