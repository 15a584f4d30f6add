//! Starts the test SMTP server (`tests/smtp/server.py`, Debian's aiosmtpd) on a
//! free port and reads what it received. Shared by the core's and the CLI's
//! tests through `#[path]`; the server stops when the handle is dropped.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `tests/smtp/server.py`, found from the crate that includes this file.
pub fn server_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("tests/smtp/server.py"))
        .find(|p| p.exists())
        .expect("tests/smtp/server.py in the workspace")
}

/// Debian's interpreter, which has python3-aiosmtpd (the first `python3` on PATH may not).
pub fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[derive(Default, Clone)]
pub struct Options {
    pub mode: &'static str,
    pub cert: Option<(PathBuf, PathBuf)>,
    pub auth: Option<String>,
    pub reject_rcpt: Option<String>,
    pub hold_data_seconds: Option<u32>,
    pub port: Option<u16>,
    /// Advertise `SIZE n` in EHLO and refuse larger messages.
    pub size_limit: Option<u64>,
}

pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

/// One message as the server received it.
pub struct Received {
    pub bytes: Vec<u8>,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
}

impl SmtpServer {
    pub fn start(dir: &Path, o: Options) -> SmtpServer {
        let port = o.port.unwrap_or_else(free_port);
        let mut cmd = Command::new(python());
        cmd.arg(server_script())
            .args(["--port", &port.to_string(), "--dir", dir.to_str().unwrap()])
            .args(["--mode", if o.mode.is_empty() { "plain" } else { o.mode }])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some((cert, key)) = &o.cert {
            cmd.args(["--cert", cert.to_str().unwrap(), "--key", key.to_str().unwrap()]);
        }
        if let Some(a) = &o.auth {
            cmd.args(["--auth", a]);
        }
        if let Some(r) = &o.reject_rcpt {
            cmd.args(["--reject-rcpt", r]);
        }
        if let Some(h) = o.hold_data_seconds {
            cmd.args(["--hold-data", &h.to_string()]);
        }
        if let Some(n) = o.size_limit {
            cmd.args(["--size-limit", &n.to_string()]);
        }
        let mut child = cmd.spawn().expect("start the test SMTP server (is python3-aiosmtpd installed?)");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        assert!(line.starts_with("READY"), "the test SMTP server did not start: {line:?}");
        SmtpServer { port, dir: dir.to_path_buf(), child }
    }

    /// What arrived, oldest first.
    pub fn received(&self) -> Vec<Received> {
        received_in(&self.dir)
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn received_in(dir: &Path) -> Vec<Received> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect())
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let envelope: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap_or_default()).unwrap_or_default();
            Received {
                bytes: std::fs::read(&p).unwrap(),
                mail_from: envelope["mail_from"].as_str().unwrap_or_default().to_string(),
                rcpt_tos: envelope["rcpt_tos"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
