//! `rightsdesk deadline` (the calculator) and `rightsdesk holidays` (the calendars it uses).
//! The calculator needs no database: scripts can rely on it anywhere.

use chrono::NaiveDate;
use clap::Args;
use rightsdesk_core::deadlines::{self, ClockEvent, EngineOptions, Schedule};
use rightsdesk_core::deadlines::{what_if, WhatIf};
use rightsdesk_core::domain::{printable, RequestType};
use rightsdesk_core::{Error, Result};
use serde_json::json;

use crate::outln;
use crate::output::Output;

#[derive(Args)]
pub struct DeadlineArgs {
    /// eu-gdpr, uk-gdpr, ccpa, us-va … us-ia, lgpd, pipeda, quebec, ch-fadp, popia, au-agency, au-organisation, sg-pdpa, jp-appi
    #[arg(long)]
    regime: String,
    /// ISO 3166 code: DE, GB-ENG, GB-SCT, US-CA, CA-QC …
    #[arg(long)]
    jurisdiction: String,
    #[arg(long = "type", value_name = "TYPE")]
    request_type: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    received: String,
    #[arg(long, value_name = "D")]
    id_requested: Option<String>,
    #[arg(long, value_name = "D")]
    id_received: Option<String>,
    #[arg(long, value_name = "D")]
    clarification_requested: Option<String>,
    #[arg(long, value_name = "D")]
    clarification_received: Option<String>,
    #[arg(long, value_name = "D")]
    fee_paid: Option<String>,
    #[arg(long, value_name = "D")]
    cost_notice: Option<String>,
    /// The date the subject was told of an extension.
    #[arg(long, value_name = "D")]
    extension_notified: Option<String>,
    /// Today, for days left (default: the system date).
    #[arg(long, value_name = "D")]
    today: Option<String>,
    /// The organisation's own promise, in calendar days (only ever earlier than the law).
    #[arg(long, value_name = "N")]
    promise_days: Option<u32>,
    /// The internal target: working days before the binding date (default 5).
    #[arg(long, value_name = "N")]
    target_days: Option<u32>,
}

#[derive(Args)]
pub struct HolidaysArgs {
    #[arg(long)]
    jurisdiction: String,
    #[arg(long)]
    year: i32,
}

/// Builds a clock event from its date.
type MakeEvent = fn(NaiveDate) -> ClockEvent;

fn date(field: &'static str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::invalid(field, "is not a real date in the form YYYY-MM-DD"))
}

fn opt_date(field: &'static str, s: &Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(|s| date(field, s)).transpose()
}

/// The JSON scripts rely on (issue 3's interface), plus the rest of the schedule.
pub fn schedule_json(s: &Schedule) -> serde_json::Value {
    json!({
        "regime": s.regime,
        "jurisdiction": s.jurisdiction,
        "received": s.received,
        "clock_start": s.clock_start,
        "due": s.due,
        "legal_due": s.legal_due,
        "ack_due": s.ack_due,
        "extension_notice_due": s.extension_notice_due,
        "extended_due": s.extended_due,
        "promised_due": s.promised_due,
        "target": s.target,
        "statutory": s.statutory,
        "days_left": s.days_left,
        "paused_days": s.paused_days,
        "duties": s.duties,
        "warnings": s.warnings,
        "explanation": s.steps,
        "readings": s.readings,
        "rule_set": s.rule_set,
    })
}

pub fn deadline(a: &DeadlineArgs, out: &Output) -> Result<()> {
    let request_type = RequestType::parse(&a.request_type)
        .ok_or_else(|| Error::invalid("type", format!("is not a known request type (one of: {})", RequestType::names())))?;
    let mut events = Vec::new();
    let pairs: [(&'static str, &Option<String>, MakeEvent); 6] = [
        ("id-requested", &a.id_requested, |on| ClockEvent::IdentityRequested { on }),
        ("id-received", &a.id_received, |on| ClockEvent::IdentityReceived { on }),
        ("clarification-requested", &a.clarification_requested, |on| ClockEvent::ClarificationRequested { on }),
        ("clarification-received", &a.clarification_received, |on| ClockEvent::ClarificationReceived { on }),
        ("fee-paid", &a.fee_paid, |on| ClockEvent::FeePaid { on }),
        ("cost-notice", &a.cost_notice, |on| ClockEvent::CostNotice { on }),
    ];
    for (field, value, make) in pairs {
        if let Some(on) = opt_date(field, value)? {
            events.push(make(on));
        }
    }
    if let Some(on) = opt_date("extension-notified", &a.extension_notified)? {
        events.push(ClockEvent::ExtensionNoticeSent { on, reason: None, until: None });
    }
    events.sort_by_key(ClockEvent::on);
    let today = match opt_date("today", &a.today)? {
        Some(t) => t,
        None => rightsdesk_core::clock::Clock::now(&rightsdesk_core::clock::SystemClock).date_naive(),
    };
    let mut options = EngineOptions { promise_days: a.promise_days, ..Default::default() };
    if let Some(t) = a.target_days {
        options.target_working_days = t;
    }
    let schedule = what_if(
        None,
        &WhatIf {
            regime: a.regime.clone(),
            jurisdiction: a.jurisdiction.to_uppercase(),
            request_type,
            received: date("received", &a.received)?,
            events,
            options: Some(options),
            today: Some(today),
        },
    )?;
    if out.json {
        return crate::output::print_json(&schedule_json(&schedule));
    }
    print_schedule(&schedule)
}

fn show(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".into(), |d| d.format("%a %-d %b %Y").to_string())
}

pub fn print_schedule(s: &Schedule) -> Result<()> {
    outln!("{} ({}), received {}", s.regime, s.jurisdiction, s.received.format("%a %-d %b %Y"));
    if !s.statutory {
        outln!("  no statutory date: the law says \"without delay\" or \"a reasonable period\"; internal target only");
    }
    let rows = [
        ("acknowledge by", s.ack_due),
        ("due (legal)", s.due),
        ("extension notice by", s.extension_notice_due),
        ("extended due", s.extended_due),
        ("promised by", s.promised_due),
        ("internal target", s.target),
    ];
    for (label, value) in rows {
        if value.is_some() {
            outln!("  {label:<20} {}", show(value));
        }
    }
    for duty in &s.duties {
        outln!("  {:<20} {}  [{}]", duty.label, show(Some(duty.due)), duty.source);
    }
    match s.days_left {
        Some(0) => outln!("  due today"),
        Some(d) if d > 0 => outln!("  {d} days left"),
        Some(d) => outln!("  {} days overdue", -d),
        None => {}
    }
    outln!("  how ({}):", s.rule_set);
    for step in &s.steps {
        outln!("    - {}: {} [{}]", step.rule, step.detail, step.source);
    }
    for w in &s.warnings {
        outln!("  ! {}: {}", w.code, w.message);
    }
    Ok(())
}

pub fn holidays(a: &HolidaysArgs, out: &Output) -> Result<()> {
    let list = deadlines::holiday_list(&a.jurisdiction.to_uppercase(), a.year)?;
    if out.json {
        return crate::output::print_json(&list);
    }
    for h in list {
        outln!("{}  {}", h.date.format("%Y-%m-%d %a"), printable(&h.name));
    }
    Ok(())
}
