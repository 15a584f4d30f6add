//! A mail with a 25 MB attachment is read from a real Dovecot (`tests/imap/harness.rs`)
//! a range at a time and sealed to disk as it arrives: the fetch's peak memory
//! stays flat, the .eml is the appended message byte for byte, and the intake
//! lists the attachment by name, type and size without holding it. Alone in its
//! own test binary so the process's peak resident memory is this test's; the peak
//! is reset (`/proc/self/clear_refs`) just before the fetch, as
//! `evidence_memory.rs` does.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::mailbox::settings::{self, MailboxSettings, Security};
use rightsdesk_core::mailbox::{fetch, intake};
use rightsdesk_core::secrets::{MemorySecrets, SecretStore};
use sha2::Digest;

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

/// The attachment: 25 MiB of noise (incompressible, like a scanned document).
const ATTACHMENT: usize = 25 << 20;

/// Standard base64 with padding (no base64 crate among the core's test dependencies).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = (u32::from(group[0]) << 16) | (u32::from(*group.get(1).unwrap_or(&0)) << 8) | u32::from(*group.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes a request with a 25 MiB PDF attached to `path`, base64 in 76-character lines as mail
/// clients write it, a block at a time (the test never holds it either); returns its SHA-256 and size.
fn write_big_mail(path: &std::path::Path) -> (String, usize) {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut sha = sha2::Sha256::default();
    let mut size = 0;
    let mut put = |bytes: &[u8]| {
        sha.update(bytes);
        size += bytes.len();
        out.write_all(bytes).unwrap();
    };
    put(b"From: Ada Example <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: Auskunft nach Art. 15 DSGVO\r\n\
Message-ID: <big@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nBitte um Auskunft. Mein Ausweis ist angeh\xc3\xa4ngt.\r\n--big\r\n\
Content-Type: application/pdf; name=\"ausweis.pdf\"\r\nContent-Disposition: attachment; filename=\"ausweis.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n");
    // Noise (incompressible, like a scan), 57 bytes to a 76-character line.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut left = ATTACHMENT;
    let mut block = Vec::with_capacity(57 * 1024);
    while left > 0 {
        block.clear();
        for _ in 0..left.min(57 * 1024) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            block.push(x as u8);
        }
        left -= block.len();
        for line in block.chunks(57) {
            put(base64(line).as_bytes());
            put(b"\r\n");
        }
    }
    put(b"--big--\r\n");
    out.flush().unwrap();
    (hex::encode(sha.finalize()), size)
}

#[test]
fn a_mail_with_a_25_mb_attachment_is_fetched_in_flat_memory_and_filed_byte_for_byte() {
    let server = imap::Dovecot::start(None);
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2026-02-02");
    let keyring = MemorySecrets::default();
    let s = settings::save(
        &db,
        MailboxSettings {
            host: "127.0.0.1".into(),
            port: server.port,
            security: Security::None,
            username: Some(imap::USER.into()),
            ..MailboxSettings::default()
        },
    )
    .unwrap();
    keyring.set(&s.password_name(), imap::PASSWORD).unwrap();
    // Nothing read yet: the register's migrations and the runtime's first allocations are not the fetch's.
    assert_eq!(fetch::fetch(&db, &clock, &keyring, "o").unwrap().new_items, 0);
    let path = dir.path().join("big.eml");
    let (expected, mail_len) = write_big_mail(&path);
    server.append_file("INBOX", "31-Jan-2026 23:30:00 +0100", &path);

    let before = reset_peak();
    let report = fetch::fetch(&db, &clock, &keyring, "o").unwrap();
    let grew_mib = status_kib("VmHWM:").saturating_sub(before) / 1024;
    let range_mib = u64::from(fetch::RANGE >> 20);
    eprintln!("fetching a {} MiB mail: peak resident memory grew by {grew_mib} MiB ({range_mib} MiB ranges)", mail_len >> 20);
    assert_eq!(report.new_items, 1, "{report:?}");
    assert!(grew_mib < 8 * range_mib, "the fetch's peak grew by {grew_mib} MiB for a {} MiB mail", mail_len >> 20);

    let items = intake::list(&db, None).unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.sha256, expected, "the .eml is the appended message, byte for byte");
    assert_eq!(item.size as usize, mail_len);
    assert_eq!(item.received_at.to_rfc3339(), "2026-01-31T22:30:00+00:00", "the server's arrival time");
    assert_eq!((item.from_address.as_str(), item.subject.as_str()), ("ada@example.org", "Auskunft nach Art. 15 DSGVO"));
    assert!(item.preview.contains("Bitte um Auskunft. Mein Ausweis ist angehängt."), "{}", item.preview);
    assert_eq!(item.attachments.len(), 1, "{:?}", item.attachments);
    let a = &item.attachments[0];
    assert_eq!((a.name.as_str(), a.content_type.as_str(), a.size as usize), ("ausweis.pdf", "application/pdf", ATTACHMENT));
    assert!(item.warning.is_none(), "{:?}", item.warning);

    // Accepting it registers the request with the .eml as its evidence, in flat memory too.
    let before = reset_peak();
    let request = intake::accept(&db, &clock, &item.id, &intake::AcceptOptions::default(), "o").unwrap();
    let grew_accept = status_kib("VmHWM:").saturating_sub(before) / 1024;
    eprintln!("accepting it: peak resident memory grew by {grew_accept} MiB");
    assert!(grew_accept < 8 * range_mib, "accepting grew the peak by {grew_accept} MiB");
    assert_eq!(request.subject.email.as_deref(), Some("ada@example.org"));

    // The sealed .eml reads back whole and checked; and the measurement sees a whole mail when one
    // is held (as the fetch did before it streamed): reading it whole grows the peak by its size.
    let before = reset_peak();
    let eml = intake::eml(&db, &item.id).unwrap();
    let grew_whole = status_kib("VmHWM:").saturating_sub(before) / 1024;
    assert_eq!(hex::encode(sha2::Sha256::digest(&eml)), expected);
    assert!(grew_whole >= (mail_len >> 20) as u64, "reading it whole grew the peak by only {grew_whole} MiB");

    // No temporary file is left in the evidence folder.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("evidence"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".rightsdesk-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Read again, nothing is filed twice.
    assert_eq!(fetch::fetch(&db, &clock, &keyring, "o").unwrap().new_items, 0);
}
