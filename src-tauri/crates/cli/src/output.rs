//! Printing for people (aligned text) or for scripts (`--json`, one document on stdout).

use rightsdesk_core::domain::{Request, RequestDetail};
use rightsdesk_core::{Error, Result};
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(())
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
    pub fn message(&self, text: &str, json: &serde_json::Value) -> Result<()> {
        if self.json {
            print_json(json)
        } else {
            println!("{text}");
            Ok(())
        }
    }

    pub fn request(&self, r: &Request) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        println!("{}  {} {} ({}), received {}", r.reference, r.request_type, r.regime, r.jurisdiction, r.received_on);
        println!("  subject: {}{}", r.subject.name, r.subject.email.as_ref().map(|e| format!(" <{e}>")).unwrap_or_default());
        println!("  status:  {}", r.status);
        println!("  due:     {} ({})", due(r), days_left(r));
        println!("  id:      {}", r.id);
        Ok(())
    }

    pub fn list(&self, list: &[Request]) -> Result<()> {
        if self.json {
            return print_json(&list);
        }
        if list.is_empty() {
            println!("no requests");
            return Ok(());
        }
        println!("{:<15} {:<12} {:<22} {:<24} {:<18} {:<11} LEFT", "REFERENCE", "REGIME", "TYPE", "SUBJECT", "STATUS", "DUE");
        for r in list {
            let name: String = r.subject.name.chars().take(24).collect();
            println!(
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
        println!("  how the date was reached ({}):", d.request.schedule.rule_set);
        for step in &d.request.schedule.steps {
            println!("    - {}: {} [{}]", step.rule, step.detail, step.source);
        }
        println!("  timeline:");
        for e in &d.timeline {
            println!("    {}  {}  ({})", e.at.format("%Y-%m-%d %H:%M UTC"), e.summary, e.actor);
        }
        if !d.next_statuses.is_empty() {
            let next: Vec<_> = d.next_statuses.iter().map(|s| s.as_str()).collect();
            println!("  next: {}", next.join(", "));
        }
        Ok(())
    }
}
