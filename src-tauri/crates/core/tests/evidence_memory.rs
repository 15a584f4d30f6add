//! A file picked on disk is streamed into the evidence store: read from disk,
//! hashed and sealed in chunks, never held whole. Alone in its own test binary
//! so the process's peak resident memory is this test's; the peak is reset
//! (`/proc/self/clear_refs`) just before the file is added, so it measures the
//! add and not the writing of the test file.

mod common;

use std::io::Write;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::evidence::{self, Attach, EvidenceKind};
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

/// 64 MiB: well above the 25 MiB the app once accepted, and far above what a streamed add holds.
const FILE_MIB: u64 = 64;

#[test]
fn a_64_mib_file_is_added_from_disk_without_being_held_whole_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2026-11-23");
    let r = requests::register(&db, &clock, &common::ada("2026-11-20"), "o").unwrap();

    // Written a megabyte at a time, so the test itself never holds the file either.
    let picked = dir.path().join("call.ogg");
    let mut sha = sha2::Sha256::default();
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&picked).unwrap());
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut chunk = vec![0u8; 1 << 20];
        for _ in 0..FILE_MIB {
            for b in chunk.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            sha2::Digest::update(&mut sha, &chunk);
            out.write_all(&chunk).unwrap();
        }
        out.flush().unwrap();
    }
    let expected = format!("{:x}", sha2::Digest::finalize(sha));

    let before = reset_peak();
    let about = Attach { request: &r.id, file_name: "call.ogg", task: None, system: None, kind: EvidenceKind::Evidence };
    let stored = evidence::add_file(&db, &clock, &about, &picked, "o").unwrap();
    let grew_mib = status_kib("VmHWM:").saturating_sub(before) / 1024;
    eprintln!("adding a {FILE_MIB} MiB file from disk: peak resident memory grew by {grew_mib} MiB");
    assert_eq!(u64::from(stored.size), FILE_MIB << 20);
    assert_eq!(stored.sha256, expected);
    assert!(grew_mib < 16, "the add's peak grew by {grew_mib} MiB for a {FILE_MIB} MiB file");

    // It reads back, streamed and checked against its SHA-256 at the end.
    let (_, mut reader) = evidence::open(&db, &stored.id).unwrap();
    let mut back = sha2::Sha256::default();
    let n = std::io::copy(&mut reader, &mut HashWriter(&mut back)).unwrap();
    assert_eq!(n, FILE_MIB << 20);
    assert_eq!(format!("{:x}", sha2::Digest::finalize(back)), expected);

    // The measurement sees a whole file when one is held (as the app did when the window sent the
    // bytes): reading it whole grows the peak by its size.
    let before = reset_peak();
    let whole = std::fs::read(&picked).unwrap();
    let grew_whole = status_kib("VmHWM:").saturating_sub(before) / 1024;
    assert_eq!(whole.len() as u64, FILE_MIB << 20);
    assert!(grew_whole >= FILE_MIB, "reading it whole grew the peak by only {grew_whole} MiB");
}

struct HashWriter<'a>(&'a mut sha2::Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(self.0, buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
