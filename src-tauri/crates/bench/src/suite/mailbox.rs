//! Fetching and filing 1,000 new mails from a real IMAP server (issue 17):
//! Debian's Dovecot started in a temporary folder on a loopback port, the mails
//! placed there by IMAP APPEND, then `mailbox::fetch::fetch` (what `rightsdesk
//! mailbox fetch` and the app's background fetch call) into a fresh register:
//! each mail read, its exact bytes sealed in the evidence store, parsed, and
//! filed in its own write transaction. Target: under 10 s.
//!
//! The mails are what a privacy mailbox receives: a plain-text request of a
//! few paragraphs, every tenth with a 60 KB scan attached, every fiftieth a
//! 1.5 MB one (read a range at a time, streamed to disk).
//!
//! Timed on a fresh register each time (a second fetch files nothing); three
//! times (once with `--quick`), the best kept.

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::mailbox::fetch;
use rightsdesk_core::mailbox::settings::{self, MailboxSettings, Security};
use rightsdesk_core::secrets::{MemorySecrets, SecretStore};
use rightsdesk_core::store::{Db, DbKey};
use rightsdesk_core::{Error, Result};

use crate::report::Figure;
use crate::suite::Effort;

const BENCH: &str = "mailbox fetch of new mails";
const MAILS: usize = 1000;
const TARGET_MS: f64 = 10_000.0;
const USER: &str = "privacy@example.com";
const PASSWORD: &str = "secret";

/// Dovecot in a folder of its own. A small copy of the tests' harness
/// (`tests/imap/harness.rs`, plain login only): that one also makes TLS
/// certificates with `rcgen`, which the bench crate does not depend on.
struct Dovecot {
    dir: PathBuf,
    port: u16,
}

fn failed(what: &str) -> Error {
    Error::Internal(format!("the mailbox benchmark's IMAP server: {what}"))
}

impl Dovecot {
    fn start(dir: &Path) -> Result<Dovecot> {
        if !Path::new("/usr/sbin/dovecot").exists() {
            return Err(failed("Dovecot is not installed (apt-get install dovecot-imapd; scripts/install-deps.sh)"));
        }
        let t = dir.display();
        for d in ["run", "state", "mail"] {
            std::fs::create_dir_all(dir.join(d))?;
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let conf = format!(
            "base_dir = {t}/run\nstate_dir = {t}/state\nlog_path = {t}/dovecot.log\nprotocols = imap\n\
             first_valid_uid = 1\nfirst_valid_gid = 1\nlisten = 127.0.0.1\nssl = no\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             default_internal_user = dovecot\ndefault_login_user = dovenull\ndefault_internal_group = dovecot\n\
             mail_location = maildir:{t}/mail/%u\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {t}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={t}/mail/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n  chroot =\n}}\n\
             service anvil {{\n  chroot =\n}}\nservice auth {{\n  user = root\n}}\n"
        );
        std::fs::write(dir.join("dovecot.conf"), conf)?;
        std::fs::write(dir.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))?;
        let chown = Command::new("chown").args(["-R", "dovecot:dovecot"]).arg(dir.join("mail")).status()?;
        if !chown.success() {
            return Err(failed("chown of the mail folder to dovecot failed (run as root, as the tests do)"));
        }
        Command::new("chmod").arg("755").arg(dir).status()?;
        let server = Dovecot { dir: dir.to_path_buf(), port };
        let status = Command::new("/usr/sbin/dovecot")
            .arg("-c")
            .arg(dir.join("dovecot.conf"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.join("dovecot.stderr"))?)
            .status()?;
        if !status.success() {
            return Err(failed(&format!("it did not start; see {}", dir.join("dovecot.stderr").display())));
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(failed("it does not accept connections"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// APPENDs every `.eml` file of `folder_of_mails` to INBOX, in name order, at one arrival time.
    fn append_all(&self, folder_of_mails: &Path) -> Result<()> {
        let script = r#"
import imaplib, os, sys
port, user, pw, src = sys.argv[1:5]
m = imaplib.IMAP4("127.0.0.1", int(port))
m.login(user, pw)
for name in sorted(os.listdir(src)):
    typ, data = m.append("INBOX", None, '"31-Jan-2026 23:30:00 +0100"', open(os.path.join(src, name), "rb").read())
    assert typ == "OK", data
m.logout()
"#;
        let out =
            Command::new("/usr/bin/python3").args(["-c", script, &self.port.to_string(), USER, PASSWORD]).arg(folder_of_mails).output()?;
        if !out.status.success() {
            return Err(failed(&format!("IMAP APPEND failed: {}", String::from_utf8_lossy(&out.stderr))));
        }
        Ok(())
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("run").join("master.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

/// Base64 lines of `bytes` pseudo-random bytes (a scan does not compress).
fn attachment(bytes: usize, seed: u64) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ seed;
    let chars = bytes.div_ceil(3) * 4;
    let mut out = String::with_capacity(chars + chars / 76 * 2 + 2);
    for i in 0..chars {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(ALPHABET[(x % 64) as usize] as char);
        if i % 76 == 75 {
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    out
}

fn mail(i: usize) -> String {
    let head = format!(
        "From: Person {i} <person{i}@example.org>\r\nTo: privacy@example.com\r\nSubject: Request {i}: access to my personal data\r\n\
         Message-ID: <bench-{i}@example.org>\r\nDate: Sat, 31 Jan 2026 23:29:00 +0100\r\nMIME-Version: 1.0\r\n"
    );
    let text = "Dear privacy team,\r\n\r\nunder Article 15 GDPR I ask for a copy of all personal data you hold about me, \
                the purposes, the recipients and how long you keep it.\r\n\r\nMy customer number is 4711-0815. Please answer \
                by mail.\r\n\r\nKind regards\r\n"
        .repeat(3);
    let scan = match i {
        _ if i.is_multiple_of(50) => Some(1_500_000),
        _ if i.is_multiple_of(10) => Some(60_000),
        _ => None,
    };
    match scan {
        None => format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{text}"),
        Some(bytes) => format!(
            "{head}Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\
             --b{i}\r\nContent-Type: application/pdf; name=\"id-{i}.pdf\"\r\nContent-Disposition: attachment; filename=\"id-{i}.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}--b{i}--\r\n",
            attachment(bytes, i as u64)
        ),
    }
}

/// One fetch of the 1,000 mails into a fresh register in `dir`; its wall time in ms.
fn fetch_once(dir: &Path, port: u16, clock: &FixedClock) -> Result<f64> {
    std::fs::create_dir_all(dir)?;
    let db = Db::open(&dir.join("r.sqlite3"), &DbKey::passphrase("rightsdesk-bench")?)?;
    let keyring = MemorySecrets::default();
    let s = settings::save(
        &db,
        MailboxSettings {
            host: "127.0.0.1".into(),
            port,
            security: Security::None,
            username: Some(USER.into()),
            ..MailboxSettings::default()
        },
    )?;
    keyring.set(&s.password_name(), PASSWORD).map_err(|e| failed(&e.to_string()))?;
    let started = Instant::now();
    let report = fetch::fetch(&db, clock, &keyring, "bench")?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if report.new_items as usize != MAILS {
        return Err(failed(&format!("{} of {MAILS} mails filed", report.new_items)));
    }
    drop(db);
    std::fs::remove_dir_all(dir)?;
    Ok(ms)
}

/// The figure: the best of three fetches (one with `--quick`) of 1,000 new mails.
pub fn run(clock: &FixedClock, effort: Effort) -> Result<Vec<Figure>> {
    let root = std::env::temp_dir().join(format!("rightsdesk-bench-mailbox-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let result = (|| {
        let server = Dovecot::start(&root.join("dovecot"))?;
        let mails = root.join("mails");
        std::fs::create_dir_all(&mails)?;
        let mut total = 0;
        for i in 0..MAILS {
            let m = mail(i);
            total += m.len();
            std::fs::File::create(mails.join(format!("{i:05}.eml")))?.write_all(m.as_bytes())?;
        }
        server.append_all(&mails)?;
        let runs = if effort.samples >= Effort::NORMAL.samples { 3 } else { 1 };
        let mut best = f64::INFINITY;
        for run in 0..runs {
            best = best.min(fetch_once(&root.join(format!("register-{run}")), server.port, clock)?);
        }
        let mut figure = Figure::new(BENCH, Some(MAILS as u64), "total", best, "ms", Some(TARGET_MS));
        figure.note = format!("{MAILS} mails, {:.1} MB in all, from Dovecot on loopback; best of {runs}", total as f64 / 1e6);
        eprintln!("bench-core: fetching and filing {MAILS} new mails: {best:.0} ms (target under {TARGET_MS:.0} ms)");
        Ok(vec![figure])
    })();
    let _ = std::fs::remove_dir_all(&root);
    result
}
