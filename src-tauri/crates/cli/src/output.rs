//! Printing for people (aligned text) or for scripts (`--json`, one document on stdout).
//!
//! Everything goes through [`write_stdout`] (or [`outln!`]), never `println!`:
//! a closed pipe (`| head -1`) or a full disk (`> /dev/full`) comes back as an
//! error that `main` turns into a quiet exit or one clear line, not a panic.
//! And nothing stored reaches the terminal as a control sequence: values are
//! printed with their control characters written out ([`shown`]; a name stored
//! before entry refused them included), and the writer itself writes out any
//! control character but line breaks and tabs (as a JSON `\u` escape in
//! `--json`, which keeps the document's meaning).

use std::borrow::Cow;
use std::io::Write as _;

use rightsdesk_core::domain::{printable, Request, RequestDetail};
use rightsdesk_core::{Error, Result};
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

/// Marks an io error as a failed write to stdout, so `main` can tell a closed
/// reader (a quiet exit) and a failed write (one line on stderr) from other
/// errors. Holds the system's reason (`No space left on device (os error 28)`).
#[derive(Debug)]
pub struct StdoutFailed(pub String);

impl StdoutFailed {
    pub fn wrap(e: &std::io::Error) -> Error {
        Error::Io(std::io::Error::new(e.kind(), StdoutFailed(e.to_string())))
    }
}

impl std::fmt::Display for StdoutFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not write the output: {}", self.0)
    }
}

impl std::error::Error for StdoutFailed {}

/// The failed write to stdout `e` is, if it is one, with its kind.
pub fn stdout_failure(e: &Error) -> Option<(std::io::ErrorKind, &StdoutFailed)> {
    match e {
        Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<StdoutFailed>()).map(|f| (io.kind(), f)),
        _ => None,
    }
}

/// Control characters other than line breaks and tabs, written out: `\x1b` in text, `\u001b` in JSON.
pub fn defused(text: &str, json: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if c.is_control() && json => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if c.is_control() => out.push_str(&printable(c.encode_utf8(&mut [0; 4]))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Writes `text` and a line break to stdout, control characters written out;
/// an error (closed pipe, full disk) is returned, marked [`StdoutFailed`].
pub fn write_stdout(text: &str, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(defused(text, json).as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| StdoutFailed::wrap(&e))
}

/// A whole document (CSV, JSON) on stdout as written, with no line break
/// added: its `\r\n` line ends kept, any other control character written out
/// as [`write_stdout`] does; an error comes back marked [`StdoutFailed`].
pub fn write_stdout_document(text: &str, json: bool) -> Result<()> {
    let text: Vec<Cow<'_, str>> = text.split("\r\n").map(|line| defused(line, json)).collect();
    let mut out = std::io::stdout().lock();
    out.write_all(text.join("\r\n").as_bytes()).and_then(|()| out.flush()).map_err(|e| StdoutFailed::wrap(&e))
}

/// A line of text for people on stdout, like `println!` but returning its error (see [`write_stdout`]).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(&format!($($arg)*), false)?
    };
}

/// A stored value as it may be printed on one line: control characters and line breaks written out.
pub fn shown(value: &str) -> Cow<'_, str> {
    printable(value)
}

/// One JSON document on stdout: every `--json` output goes through here. A value
/// that cannot be serialised is an error (the command fails), never `null`.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    write_stdout(&text, true)
}

fn days_left(r: &Request) -> String {
    match r.days_left {
        None => "—".into(),
        Some(0) => "due today".into(),
        Some(d) if d > 0 => format!("{d} days left"),
        Some(d) => format!("{} days overdue", -d),
    }
}

fn due(r: &Request) -> String {
    r.due.map_or_else(|| "no statutory date".into(), |d| d.to_string())
}

impl Output {
    /// `text` for people, or `value` as JSON for scripts ([`print_json`]).
    pub fn message<T: Serialize + ?Sized>(&self, text: &str, value: &T) -> Result<()> {
        if self.json {
            print_json(value)
        } else {
            write_stdout(text, false)
        }
    }

    pub fn request(&self, r: &Request) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        outln!("{}  {} {} ({}), received {}", r.reference, r.request_type, r.regime, r.jurisdiction, r.received_on);
        outln!("  subject: {}{}", shown(&r.subject.name), r.subject.email.as_ref().map(|e| format!(" <{}>", shown(e))).unwrap_or_default());
        outln!("  status:  {}", r.status);
        outln!("  due:     {} ({})", due(r), days_left(r));
        outln!("  id:      {}", r.id);
        Ok(())
    }

    /// A request registered as processor for a controller, with the dates it is tracked against.
    pub fn processor_request(&self, r: &Request, role: &rightsdesk_core::requests::processor::ProcessorRole) -> Result<()> {
        if self.json {
            return print_json(&serde_json::json!({ "request": r, "processor": role }));
        }
        self.request(r)?;
        let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "no statutory date".to_string(), |d| d.to_string());
        outln!("  processor for: {} <{}> (the controller answers the subject)", shown(&role.controller), shown(&role.controller_email));
        outln!("  controller's due: {} (its law and receipt)", date(role.controller_due));
        if let Some(ours) = role.assistance_due {
            outln!("  our assistance date: {ours} (received by us {}, contract period)", role.received_by_us);
        }
        Ok(())
    }

    pub fn list(&self, list: &[Request]) -> Result<()> {
        if self.json {
            return print_json(&list);
        }
        if list.is_empty() {
            outln!("no requests");
            return Ok(());
        }
        outln!("{:<15} {:<12} {:<22} {:<24} {:<18} {:<11} LEFT", "REFERENCE", "REGIME", "TYPE", "SUBJECT", "STATUS", "DUE");
        for r in list {
            let name: String = shown(&r.subject.name).chars().take(24).collect();
            outln!(
                "{:<15} {:<12} {:<22} {:<24} {:<18} {:<11} {}",
                r.reference,
                r.regime,
                r.request_type.as_str(),
                name,
                r.status.as_str(),
                due(r),
                days_left(r)
            );
        }
        Ok(())
    }

    pub fn detail(&self, d: &RequestDetail) -> Result<()> {
        if self.json {
            return print_json(d);
        }
        self.request(&d.request)?;
        if let Some(earlier) = &d.appeal_of {
            outln!("  appeal of: {}", shown(&earlier.reference));
        }
        if !d.appeals.is_empty() {
            let appeals: Vec<_> = d.appeals.iter().map(|l| shown(&l.reference).into_owned()).collect();
            outln!("  appealed by: {}", appeals.join(", "));
        }
        outln!("  how the date was reached ({}):", d.request.schedule.rule_set);
        for step in &d.request.schedule.steps {
            outln!("    - {}: {} [{}]", step.rule, step.detail, step.source);
        }
        outln!("  timeline:");
        for e in &d.timeline {
            outln!("    {}  {}  ({})", e.at.format("%Y-%m-%d %H:%M UTC"), shown(&e.summary), shown(&e.actor));
        }
        if !d.next_statuses.is_empty() {
            let next: Vec<_> = d.next_statuses.iter().map(|s| s.as_str()).collect();
            outln!("  next: {}", next.join(", "));
        }
        outln!("  version: {}", d.version);
        Ok(())
    }
}
