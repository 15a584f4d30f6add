//! A real IMAP server for the mailbox tests: Debian's Dovecot (`dovecot-imapd`),
//! run from a temporary directory as `../shared/DESKTOP-TESTING.md` describes,
//! on a free loopback port, with one account (`privacy@example.com`, `secret`).
//! Messages go in with IMAP APPEND (Python's `imaplib`) at chosen arrival
//! times. A server that cannot start FAILS the test; the server is stopped on drop.
//! Shared by the CLI's, the core's and the end-to-end tests through `#[path]`
//! (like `tests/smtp/harness.rs`); it needs `rcgen`, `tempfile` and `serde_json`.
#![allow(dead_code)] // each test uses a subset

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub const USER: &str = "privacy@example.com";
pub const PASSWORD: &str = "secret";

/// A private CA and a certificate for `localhost` signed by it.
pub struct Tls {
    pub ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

impl Tls {
    pub fn generate() -> Tls {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        ca_params.distinguished_name.push(DnType::CommonName, "Rightsdesk mailbox test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "localhost");
        let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
        Tls { ca_pem: ca.pem(), cert_pem: cert.pem(), key_pem: key.serialize_pem() }
    }
}

pub struct Dovecot {
    dir: tempfile::TempDir,
    /// The plain IMAP port (STARTTLS offered when TLS is set up).
    pub port: u16,
    /// The implicit-TLS port, when TLS is set up.
    pub tls_port: Option<u16>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Dovecot {
    /// Starts Dovecot with plain login on loopback (and TLS under `tls`' CA when given).
    pub fn start(tls: Option<&Tls>) -> Dovecot {
        Dovecot::start_with(tls, None, "")
    }

    /// As [`Dovecot::start`] with plain login, but the server does not offer IMAP IDLE (its
    /// CAPABILITY after login lists no `IDLE`), as some servers do not.
    pub fn start_without_idle() -> Dovecot {
        Dovecot::start_with(None, None, "imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE NAMESPACE UIDPLUS MOVE\n")
    }

    /// As [`Dovecot::start`], and the account also logs in with `AUTHENTICATE XOAUTH2` /
    /// `OAUTHBEARER`: Dovecot's oauth2 passdb asks `introspection_url` (POST `token=…`) whether
    /// the token is active and whose it is (`username`).
    pub fn start_oauth2(introspection_url: &str) -> Dovecot {
        Dovecot::start_with(None, Some(introspection_url), "")
    }

    fn start_with(tls: Option<&Tls>, introspection_url: Option<&str>, extra_conf: &str) -> Dovecot {
        assert!(
            Path::new("/usr/sbin/dovecot").exists(),
            "Dovecot is not installed: apt-get install dovecot-imapd (scripts/install-deps.sh)"
        );
        let dir = tempfile::Builder::new().prefix("rightsdesk-dovecot").tempdir().unwrap();
        let t = dir.path().display().to_string();
        for d in ["run", "state", "mail"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        let port = free_port();
        let tls_port = tls.map(|_| free_port());
        let ssl = match tls {
            Some(tls) => {
                std::fs::write(dir.path().join("srv.pem"), &tls.cert_pem).unwrap();
                std::fs::write(dir.path().join("srv.key"), &tls.key_pem).unwrap();
                format!("ssl = yes\nssl_cert = <{t}/srv.pem\nssl_key = <{t}/srv.key\n")
            }
            None => "ssl = no\n".to_string(),
        };
        let (mechanisms, oauth2_passdb) = match introspection_url {
            Some(url) => {
                std::fs::write(
                    dir.path().join("dovecot-oauth2.conf.ext"),
                    format!(
                        "introspection_mode = post\nintrospection_url = {url}\nforce_introspection = yes\n\
                         username_attribute = username\nactive_attribute = active\nactive_value = true\ndebug = yes\n"
                    ),
                )
                .unwrap();
                (
                    " xoauth2 oauthbearer",
                    format!("passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {t}/dovecot-oauth2.conf.ext\n}}\n"),
                )
            }
            None => ("", String::new()),
        };
        let conf = format!(
            "base_dir = {t}/run\nstate_dir = {t}/state\nlog_path = {t}/dovecot.log\nprotocols = imap\n\
             first_valid_uid = 1\nfirst_valid_gid = 1\nlisten = 127.0.0.1\n{ssl}\
             disable_plaintext_auth = no\nauth_mechanisms = plain login{mechanisms}\n{oauth2_passdb}\
             default_internal_user = dovecot\ndefault_login_user = dovenull\ndefault_internal_group = dovecot\n\
             mail_location = maildir:{t}/mail/%u\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {t}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={t}/mail/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = {}\n  }}\n  chroot =\n}}\n\
             service anvil {{\n  chroot =\n}}\nservice auth {{\n  user = root\n}}\n{extra_conf}",
            tls_port.unwrap_or(0)
        );
        std::fs::write(dir.path().join("dovecot.conf"), conf).unwrap();
        std::fs::write(dir.path().join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        let ok = Command::new("chown").args(["-R", "dovecot:dovecot"]).arg(dir.path().join("mail")).status().unwrap().success();
        assert!(ok, "chown of the mail folder to dovecot failed");
        Command::new("chmod").arg("755").arg(dir.path()).status().unwrap();
        let server = Dovecot { dir, port, tls_port };
        server.run();
        server
    }

    fn conf(&self) -> PathBuf {
        self.dir.path().join("dovecot.conf")
    }

    /// Starts (or restarts) the server process and waits until it accepts connections.
    pub fn run(&self) {
        // The master daemonizes and keeps its standard streams: they go to a file, not a pipe
        // (`output()` would wait for a pipe the daemon never closes).
        let stderr_path = self.dir.path().join("dovecot.stderr");
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let status = Command::new("/usr/sbin/dovecot")
            .arg("-c")
            .arg(self.conf())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .status()
            .expect("run dovecot");
        let log = || {
            std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
                + &std::fs::read_to_string(&stderr_path).unwrap_or_default()
        };
        assert!(status.success(), "Dovecot did not start:\n{}", log());
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "Dovecot does not accept connections on port {}:\n{}", self.port, log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server and waits until its port is closed.
    pub fn stop(&self) {
        let pid_file = self.dir.path().join("run").join("master.pid");
        let Ok(pid) = std::fs::read_to_string(&pid_file) else { return };
        let _ = Command::new("kill").arg(pid.trim()).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while (TcpStream::connect(("127.0.0.1", self.port)).is_ok() || pid_file.exists()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// APPENDs `messages` (arrival time as IMAP date-time, e.g. `31-Jan-2026 23:30:00 +0100`, and
    /// the message bytes) to `folder`; `setup` is `none`, `create` (a new folder) or `recreate`
    /// (delete the folder and create it again: a new UIDVALIDITY).
    pub fn append(&self, folder: &str, setup: &str, messages: &[(&str, Vec<u8>)]) {
        let spec_dir = self.dir.path().join(format!("spec-{}", free_port()));
        std::fs::create_dir_all(&spec_dir).unwrap();
        let mut spec = Vec::new();
        for (i, (date, bytes)) in messages.iter().enumerate() {
            let path = spec_dir.join(format!("{i}.eml"));
            std::fs::write(&path, bytes).unwrap();
            spec.push(serde_json::json!({ "date": format!("\"{date}\""), "path": path }));
        }
        self.append_spec(folder, setup, &spec_dir, &spec);
    }

    /// APPENDs the message in the file `path` to the existing `folder` at `date`: a message
    /// too large for the test to hold (the memory tests write it a chunk at a time).
    pub fn append_file(&self, folder: &str, date: &str, path: &Path) {
        let spec_dir = self.dir.path().join(format!("spec-{}", free_port()));
        std::fs::create_dir_all(&spec_dir).unwrap();
        let spec = [serde_json::json!({ "date": format!("\"{date}\""), "path": path })];
        self.append_spec(folder, "none", &spec_dir, &spec);
    }

    fn append_spec(&self, folder: &str, setup: &str, spec_dir: &Path, spec: &[serde_json::Value]) {
        let spec_path = spec_dir.join("spec.json");
        std::fs::write(&spec_path, serde_json::to_vec(&spec).unwrap()).unwrap();
        let script = r#"
import imaplib, json, sys
host, port, user, pw, folder, setup, spec = sys.argv[1:8]
m = imaplib.IMAP4(host, int(port))
m.login(user, pw)
if setup == "recreate":
    typ, data = m.delete(folder)
    assert typ == "OK", data
if setup in ("create", "recreate"):
    typ, data = m.create(folder)
    assert typ == "OK", data
for item in json.load(open(spec)):
    typ, data = m.append(folder, None, item["date"], open(item["path"], "rb").read())
    assert typ == "OK", data
m.logout()
"#;
        let mut child = Command::new("/usr/bin/python3")
            .arg("-")
            .args(["127.0.0.1", &self.port.to_string(), USER, PASSWORD, folder, setup])
            .arg(&spec_path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run /usr/bin/python3");
        child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "IMAP APPEND failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Dovecot {
    /// The flags of every message in `folder`, as the server lists them (one line per message).
    pub fn flags(&self, folder: &str) -> String {
        let script = r#"
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login(sys.argv[2], sys.argv[3])
m.select(sys.argv[4], readonly=True)
typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
for line in data:
    print(line.decode() if isinstance(line, bytes) else line)
m.logout()
"#;
        let out = Command::new("/usr/bin/python3")
            .args(["-c", script, &self.port.to_string(), USER, PASSWORD, folder])
            .output()
            .expect("run /usr/bin/python3");
        assert!(out.status.success(), "IMAP FETCH FLAGS failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}
