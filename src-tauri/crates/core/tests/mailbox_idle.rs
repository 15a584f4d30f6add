//! Waiting for new mail with IMAP IDLE against a real Dovecot (`tests/imap/harness.rs`),
//! which offers IDLE: a mail APPENDed by another client while Rightsdesk waits wakes
//! it at once, long before the wait's end; with no mail the wait ends at `max_wait`; a
//! server without IDLE says so at once (the app polls it); a server that is down gives
//! fetch's error, naming the server and not the account.

mod common;
#[path = "../../../../tests/imap/harness.rs"]
mod imap;

use std::time::{Duration, Instant};

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::mailbox::fetch;
use rightsdesk_core::mailbox::idle::{last_filed, wait_for_new_mail, Woken};
use rightsdesk_core::mailbox::settings;
use rightsdesk_core::mailbox::settings::{MailboxSettings, Security};
use rightsdesk_core::secrets::{MemorySecrets, SecretStore};

fn account(server: &imap::Dovecot) -> (MailboxSettings, MemorySecrets) {
    let settings = MailboxSettings {
        host: "127.0.0.1".into(),
        port: server.port,
        security: Security::None,
        username: Some(imap::USER.into()),
        ..MailboxSettings::default()
    };
    let keyring = MemorySecrets::default();
    keyring.set(&settings.password_name(), imap::PASSWORD).unwrap();
    (settings, keyring)
}

fn mail(subject: &str) -> Vec<u8> {
    format!("From: Ada <ada@example.org>\r\nTo: privacy@example.com\r\nSubject: {subject}\r\nMessage-ID: <{subject}@example.org>\r\n\r\nPlease send me my data.\r\n")
        .into_bytes()
}

#[test]
fn a_mail_arriving_during_the_wait_wakes_it_long_before_max_wait() {
    let server = imap::Dovecot::start(None);
    // A message already in the folder is not news.
    server.append("INBOX", "none", &[("02-Feb-2026 09:00:00 +0100", mail("old"))]);
    let (settings, keyring) = account(&server);
    let max_wait = Duration::from_secs(60);
    let started = Instant::now();
    let woken = std::thread::scope(|s| {
        let waiter = s.spawn(|| wait_for_new_mail(&settings, &keyring, max_wait, None));
        std::thread::sleep(Duration::from_secs(1));
        server.append("INBOX", "none", &[("02-Feb-2026 10:00:00 +0100", mail("new"))]);
        waiter.join().unwrap()
    });
    let took = started.elapsed();
    assert_eq!(woken.unwrap(), Woken::NewMail);
    assert!(took >= Duration::from_secs(1), "woke before the mail was appended ({took:?})");
    assert!(took < Duration::from_secs(15), "the new mail woke the wait only after {took:?} (max_wait 60 s)");
}

#[test]
fn a_mail_that_arrived_after_the_last_fetch_wakes_the_wait_at_once_and_a_fetched_one_does_not() {
    let server = imap::Dovecot::start(None);
    server.append("INBOX", "none", &[("02-Feb-2026 09:00:00 +0100", mail("first"))]);
    let (account, keyring) = account(&server);
    let dir = tempfile::tempdir().unwrap();
    let db = common::register_in(dir.path());
    let clock = FixedClock::at("2026-02-02");
    let account = settings::save(&db, account).unwrap();
    assert_eq!(fetch::fetch(&db, &clock, &keyring, "o").unwrap().new_items, 1);
    // Between the fetch and the wait, another mail comes in.
    server.append("INBOX", "none", &[("02-Feb-2026 09:05:00 +0100", mail("second"))]);
    let started = Instant::now();
    let after = last_filed(&db, "INBOX").unwrap();
    assert!(after.is_some());
    assert_eq!(wait_for_new_mail(&account, &keyring, Duration::from_secs(60), after).unwrap(), Woken::NewMail);
    assert!(started.elapsed() < Duration::from_secs(10), "not at once: {:?}", started.elapsed());
    // Once it is fetched, nothing is unread: the wait waits (no fetch loop).
    assert_eq!(fetch::fetch(&db, &clock, &keyring, "o").unwrap().new_items, 1);
    let after = last_filed(&db, "INBOX").unwrap();
    assert_eq!(wait_for_new_mail(&account, &keyring, Duration::from_secs(2), after).unwrap(), Woken::Timeout);
}

#[test]
fn with_no_new_mail_the_wait_ends_at_max_wait() {
    let server = imap::Dovecot::start(None);
    server.append("INBOX", "none", &[("02-Feb-2026 09:00:00 +0100", mail("old"))]);
    let (settings, keyring) = account(&server);
    let started = Instant::now();
    let woken = wait_for_new_mail(&settings, &keyring, Duration::from_secs(3), None).unwrap();
    let took = started.elapsed();
    assert_eq!(woken, Woken::Timeout);
    assert!(took >= Duration::from_secs(3), "returned before max_wait ({took:?})");
    assert!(took < Duration::from_secs(10), "returned long after max_wait ({took:?})");
}

#[test]
fn a_server_without_idle_says_so_at_once_so_the_caller_polls() {
    let server = imap::Dovecot::start_without_idle();
    let (settings, keyring) = account(&server);
    let started = Instant::now();
    let woken = wait_for_new_mail(&settings, &keyring, Duration::from_secs(60), None).unwrap();
    assert_eq!(woken, Woken::NoIdle);
    assert!(started.elapsed() < Duration::from_secs(10), "it did not wait ({:?})", started.elapsed());
}

#[test]
fn a_server_that_is_down_is_named_in_the_error_and_the_account_is_not() {
    // A loopback port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = MailboxSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::None,
        username: Some(imap::USER.into()),
        ..MailboxSettings::default()
    };
    let keyring = MemorySecrets::default();
    keyring.set(&settings.password_name(), imap::PASSWORD).unwrap();
    let error = wait_for_new_mail(&settings, &keyring, Duration::from_secs(5), None).unwrap_err().to_string();
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    assert!(error.contains("cannot reach"), "{error}");
    assert!(!error.contains(imap::USER), "the account is in the error: {error}");
}
