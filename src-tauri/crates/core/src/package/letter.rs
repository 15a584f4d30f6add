//! The cover letter: what GDPR Art. 15(1) and (2) require the controller to
//! tell the subject besides the copy of the data — (a) purposes, (b)
//! categories, (c) recipients, (d) retention, (e) the rights to rectification,
//! erasure, restriction and objection, (f) the right to complain to a
//! supervisory authority, (g) the source, (h) automated decision-making, and
//! the safeguards for transfers to third countries (Art. 15(2)).

use super::html::{escape, page};
use super::sources::SystemSummary;
use crate::domain::{Request, RequestType};

pub struct LetterInput<'a> {
    pub request: &'a Request,
    pub regime_name: &'a str,
    pub organisation: &'a str,
    pub date: chrono::NaiveDate,
    pub systems: &'a [SystemSummary],
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "<span class=\"muted\">—</span>".into();
    }
    items.iter().map(|i| escape(i)).collect::<Vec<_>>().join("<br>")
}

/// One value, or a dash where the data map records none.
fn one(value: &str) -> String {
    if value.trim().is_empty() {
        "<span class=\"muted\">—</span>".into()
    } else {
        escape(value)
    }
}

pub fn cover_letter(l: &LetterInput<'_>) -> String {
    let r = l.request;
    let what = match r.request_type {
        RequestType::Portability => "a copy of the personal data you gave us, in a structured, commonly used and machine-readable form",
        _ => "access to your personal data",
    };
    let mut rows = String::new();
    for s in l.systems {
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&s.name),
            list(&s.purposes),
            one(&s.legal_basis),
            list(&s.categories),
            list(&s.recipients),
            one(&s.retention),
            one(&s.source),
        ));
    }
    let transfers: Vec<String> =
        l.systems.iter().filter_map(|s| s.transfers.as_ref().map(|t| format!("{}: {t}", s.name))).collect();
    let automated: Vec<String> =
        l.systems.iter().filter_map(|s| s.automated_decisions.as_ref().map(|t| format!("{}: {t}", s.name))).collect();
    let transfers = if transfers.is_empty() {
        "<p>Our records show no transfer of your personal data to a country outside the European Economic Area \
         or to an international organisation.</p>"
            .to_string()
    } else {
        format!("<p>{}</p>", list(&transfers))
    };
    let automated = if automated.is_empty() {
        "<p>Our records show no decision about you based solely on automated processing, including profiling, \
         that has legal or similarly significant effects (Art. 22).</p>"
            .to_string()
    } else {
        format!("<p>{}</p>", list(&automated))
    };
    let body = format!(
        "<p class=\"muted\">{org} · {date} · our reference {reference}</p>\n\
         <h1>Your request: {what_short}</h1>\n\
         <p>Dear {name},</p>\n\
         <p>On {received} you asked us for {what} under the {regime}. This package holds that copy and the \
         information the law says you should have with it (GDPR Art. 15(1) and (2)).</p>\n\
         <h2>What we hold, why, for how long, and where it came from</h2>\n\
         <table><thead><tr><th>System</th><th>Purposes</th><th>Legal basis</th><th>Categories of data</th>\
         <th>Recipients</th><th>How long we keep it</th><th>Source</th></tr></thead><tbody>\n{rows}</tbody></table>\n\
         <h2>Transfers outside the European Economic Area</h2>\n{transfers}\n\
         <h2>Automated decisions</h2>\n{automated}\n\
         <h2>Your rights</h2>\n<ul>\n\
         <li>to have inaccurate data corrected (rectification, Art. 16);</li>\n\
         <li>to have data erased (erasure, Art. 17);</li>\n\
         <li>to have its use restricted (Art. 18);</li>\n\
         <li>to object to its use, including for direct marketing (Art. 21);</li>\n\
         <li>to receive the data you gave us in a machine-readable form and have it sent to another controller (portability, Art. 20);</li>\n\
         <li>to lodge a complaint with a supervisory authority, in particular in the Member State where you live, \
         work, or where you think the law was broken (Art. 77). You may also go to court (Art. 79).</li>\n</ul>\n\
         <p>To use any of these rights, reply to us quoting the reference {reference}.</p>\n\
         <h2>What is in this package</h2>\n\
         <p><strong>index.html</strong> lists every file. Your data is in <strong>data/</strong> as JSON and as a CSV \
         file per category (spreadsheets open these); copies of records from each system are in <strong>evidence/</strong>. \
         <strong>manifest.json</strong> and <strong>SHA256SUMS</strong> hold a SHA-256 fingerprint of every file, so you \
         can check that nothing was changed (for example with <code>sha256sum -c SHA256SUMS</code>).</p>\n\
         <p>Yours sincerely,<br>{org}</p>\n",
        org = escape(l.organisation),
        date = l.date,
        reference = escape(&r.reference),
        what_short = if r.request_type == RequestType::Portability { "a copy of your data to take with you" } else { "a copy of your personal data" },
        name = escape(&r.subject.name),
        received = r.received_on,
        what = what,
        regime = escape(l.regime_name),
    );
    page(&format!("Your request {}", r.reference), &body)
}
