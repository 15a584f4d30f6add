//! The organisation's data map (table `systems`): a dozen systems and
//! processors of a mid-size web shop, as an officer would have entered them,
//! the map growing over the years (analytics, advertising audiences, call
//! recordings and the backups were added later). The tasks part reads it back
//! and generates each request's tasks from it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;

use rightsdesk_core::work::tasks::TaskAction;
use rightsdesk_core::Result;

use super::batch::{text, Batch};
use super::{id_at, shape, Spec};
use crate::rng::Rng;

use TaskAction::{Collect, Correct, Delete, Restrict, Stop};

/// One system of the map, and what the generator needs to know of it.
pub struct SystemDef {
    pub name: &'static str,
    vendor: &'static str,
    role: &'static str,
    purposes: &'static str,
    data_categories: &'static str,
    data_subjects: &'static str,
    location: &'static str,
    transfer_safeguard: &'static str,
    retention: &'static str,
    pub legal_duty: &'static str,
    owner_contact: &'static str,
    how_to_search: &'static str,
    how_to_export: &'static str,
    how_to_delete: &'static str,
    legal_basis: &'static str,
    source: &'static str,
    /// Days before `today` it was added to the map; `None`: from the start, before the first request.
    pub added_days_ago: Option<i64>,
    /// The work it is relevant for: a request gets a task here when its action is listed.
    pub actions: &'static [TaskAction],
    /// Only for requests from employees and applicants (a few in a hundred).
    pub staff_only: bool,
    /// How often it holds nothing of a given subject (the task is closed as `not-held`).
    pub not_held: f64,
    /// Evidence exported from it: a name stem and an extension.
    pub export: (&'static str, &'static str),
}

impl SystemDef {
    /// Run by a processor (whose confirmations of erasure are kept as evidence), not in house.
    pub fn is_processor(&self) -> bool {
        self.role == "processor"
    }
}

/// The map, in the order the app lists it (by name, case-insensitively), which
/// is also the order of a request's tasks.
pub const SYSTEMS: &[SystemDef] = &[
    SystemDef {
        name: "Advertising audiences",
        vendor: "Adreach Media Ltd",
        role: "processor",
        purposes: "Custom audiences for online advertising",
        data_categories: "Hashed email addresses, purchase segments",
        data_subjects: "Customers",
        location: "United Kingdom",
        transfer_safeguard: "Adequacy decision (UK)",
        retention: "180 days after the last sync",
        legal_duty: "",
        owner_contact: "marketing@benchmark-org.example",
        how_to_search: "Audience manager → search by email (hashed on upload)",
        how_to_export: "Not exportable per person: the vendor confirms membership in writing",
        how_to_delete: "Add the address to the suppression list; the next sync removes it",
        legal_basis: "Consent, Art. 6(1)(a) GDPR",
        source: "Web shop purchase history",
        added_days_ago: Some(2 * 365),
        actions: &[Stop],
        staff_only: false,
        not_held: 0.55,
        export: ("audience-membership", "pdf"),
    },
    SystemDef {
        name: "Backups",
        vendor: "Coldvault Storage S.A.",
        role: "sub-processor",
        purposes: "Disaster recovery copies of the shop and CRM databases",
        data_categories: "Everything in the shop and CRM databases",
        data_subjects: "Customers, employees",
        location: "EU (Luxembourg)",
        transfer_safeguard: "",
        retention: "35 days, then overwritten",
        legal_duty: "Backups are overwritten after 35 days; data restored from a backup is erased again",
        owner_contact: "it-ops@benchmark-org.example",
        how_to_search: "Not searched per person",
        how_to_export: "Not exported per person",
        how_to_delete: "Ages out under the rotation; note the date the last copy expires",
        legal_basis: "Legitimate interest, Art. 6(1)(f) GDPR (security of processing)",
        source: "",
        added_days_ago: Some(400),
        actions: &[Delete],
        staff_only: false,
        not_held: 0.0,
        export: ("backup-rotation", "pdf"),
    },
    SystemDef {
        name: "Billing (ERP)",
        vendor: "",
        role: "own",
        purposes: "Invoicing, accounting, dunning",
        data_categories: "Name, billing address, invoices, payment status",
        data_subjects: "Customers",
        location: "Own data centre, Nuremberg (DE)",
        transfer_safeguard: "",
        retention: "10 years (tax law)",
        legal_duty: "Tax law (AO §147, HGB §257): invoices and accounting records 10 years",
        owner_contact: "finance@benchmark-org.example",
        how_to_search: "Debtor search by customer ID or name",
        how_to_export: "Debtor → Print → all invoices (PDF)",
        how_to_delete: "Block the debtor; records are erased when the retention period ends",
        legal_basis: "Legal obligation, Art. 6(1)(c) GDPR",
        source: "Web shop orders",
        added_days_ago: None,
        actions: &[Delete, Correct],
        staff_only: false,
        not_held: 0.3,
        export: ("invoices", "pdf"),
    },
    SystemDef {
        name: "Call recordings",
        vendor: "Telvox Telephony GmbH",
        role: "processor",
        purposes: "Quality assurance of support calls (with consent)",
        data_categories: "Voice recordings, phone numbers, call times",
        data_subjects: "Customers calling the hotline",
        location: "EU (Vienna)",
        transfer_safeguard: "",
        retention: "90 days",
        legal_duty: "",
        owner_contact: "support-lead@benchmark-org.example",
        how_to_search: "Call log → filter by phone number",
        how_to_export: "Download the recording (OGG)",
        how_to_delete: "Call log → delete recording",
        legal_basis: "Consent, Art. 6(1)(a) GDPR",
        source: "",
        added_days_ago: Some(550),
        actions: &[Collect],
        staff_only: false,
        not_held: 0.75,
        export: ("call-recording", "ogg"),
    },
    SystemDef {
        name: "CRM",
        vendor: "Brightline CRM Ltd",
        role: "processor",
        purposes: "Customer accounts, sales and service history",
        data_categories: "Contact details, contract data, customer notes",
        data_subjects: "Customers, prospects",
        location: "EU (Frankfurt)",
        transfer_safeguard: "",
        retention: "3 years after the end of the contract",
        legal_duty: "",
        owner_contact: "sales-ops@benchmark-org.example",
        how_to_search: "Search by email address and customer ID",
        how_to_export: "Contact → Export → CSV",
        how_to_delete: "Contact → Delete (anonymises the history)",
        legal_basis: "Contract, Art. 6(1)(b) GDPR",
        source: "The subject; sales staff",
        added_days_ago: None,
        actions: &[Collect, Delete, Correct, Restrict],
        staff_only: false,
        not_held: 0.05,
        export: ("crm-export", "csv"),
    },
    SystemDef {
        name: "HR system",
        vendor: "PeopleBase Software AG",
        role: "processor",
        purposes: "Personnel administration, payroll, recruiting",
        data_categories: "Personnel file, salary, absences, applications",
        data_subjects: "Employees, former employees, applicants",
        location: "Switzerland (Zurich)",
        transfer_safeguard: "Adequacy decision (Switzerland)",
        retention: "Personnel files 10 years after leaving; applications 6 months",
        legal_duty: "Social security and tax law: payroll records 10 years",
        owner_contact: "hr@benchmark-org.example",
        how_to_search: "Employee directory, including former employees",
        how_to_export: "Employee → Personnel file → Export PDF",
        how_to_delete: "Applicants: delete; employees: only after the retention period",
        legal_basis: "Employment contract, Art. 6(1)(b) and Art. 88 GDPR",
        source: "The employee; payroll provider",
        added_days_ago: None,
        actions: &[Collect, Delete, Correct, Restrict, Stop],
        staff_only: true,
        not_held: 0.1,
        export: ("personnel-file", "pdf"),
    },
    SystemDef {
        name: "Newsletter tool",
        vendor: "Mailwave Inc.",
        role: "processor",
        purposes: "Newsletters and product announcements",
        data_categories: "Email address, name, subscription history, opens and clicks",
        data_subjects: "Subscribers",
        location: "USA (Virginia)",
        transfer_safeguard: "EU-US Data Privacy Framework; SCCs",
        retention: "Until unsubscribed, then 30 days",
        legal_duty: "",
        owner_contact: "marketing@benchmark-org.example",
        how_to_search: "Audience → search by email",
        how_to_export: "Subscriber → Export profile (CSV)",
        how_to_delete: "Subscriber → Permanently delete (keeps a hashed suppression entry)",
        legal_basis: "Consent, Art. 6(1)(a) GDPR",
        source: "Web shop sign-up form",
        added_days_ago: None,
        actions: &[Delete, Stop],
        staff_only: false,
        not_held: 0.4,
        export: ("newsletter-subscriber", "csv"),
    },
    SystemDef {
        name: "Payment processor",
        vendor: "PayRail Payments B.V.",
        role: "sub-processor",
        purposes: "Card and wallet payments",
        data_categories: "Payment tokens, transaction history",
        data_subjects: "Customers",
        location: "EU (Amsterdam)",
        transfer_safeguard: "",
        retention: "5 years after the transaction",
        legal_duty: "Anti-money-laundering law: transaction records 5 years",
        owner_contact: "finance@benchmark-org.example",
        how_to_search: "Dashboard → payments → search by email",
        how_to_export: "Ask the vendor's support for a transaction report",
        how_to_delete: "Vendor deletes after its own retention period",
        legal_basis: "Contract, Art. 6(1)(b) GDPR",
        source: "Web shop checkout",
        added_days_ago: None,
        actions: &[],
        staff_only: false,
        not_held: 0.3,
        export: ("payment-transactions", "csv"),
    },
    SystemDef {
        name: "Product analytics",
        vendor: "Metricly Inc.",
        role: "processor",
        purposes: "Product analytics and A/B tests",
        data_categories: "Pseudonymous user ID, page views, events, device data",
        data_subjects: "Shop visitors, customers",
        location: "USA (Oregon)",
        transfer_safeguard: "SCCs with supplementary measures",
        retention: "14 months",
        legal_duty: "",
        owner_contact: "product@benchmark-org.example",
        how_to_search: "User lookup by customer ID (events are linked after login)",
        how_to_export: "User → Export events (JSON)",
        how_to_delete: "GDPR API: delete user",
        legal_basis: "Consent, Art. 6(1)(a) GDPR",
        source: "The subject's browser",
        added_days_ago: Some(3 * 365),
        actions: &[Restrict, Stop],
        staff_only: false,
        not_held: 0.2,
        export: ("analytics-events", "json"),
    },
    SystemDef {
        name: "Support desk",
        vendor: "Helpline Software ApS",
        role: "processor",
        purposes: "Customer support tickets and chat",
        data_categories: "Messages, attachments, contact details",
        data_subjects: "Customers, prospects",
        location: "EU (Dublin)",
        transfer_safeguard: "",
        retention: "2 years after the ticket is closed",
        legal_duty: "",
        owner_contact: "support-lead@benchmark-org.example",
        how_to_search: "Search tickets by requester email",
        how_to_export: "Requester → Export tickets (PDF)",
        how_to_delete: "Requester → Delete requester and tickets",
        legal_basis: "Contract, Art. 6(1)(b) GDPR",
        source: "The subject",
        added_days_ago: None,
        actions: &[Collect],
        staff_only: false,
        not_held: 0.45,
        export: ("support-tickets", "pdf"),
    },
    SystemDef {
        name: "Web shop",
        vendor: "",
        role: "own",
        purposes: "Orders, customer accounts, wish lists",
        data_categories: "Name, addresses, orders, account log-ins",
        data_subjects: "Customers",
        location: "Own data centre, Nuremberg (DE)",
        transfer_safeguard: "",
        retention: "Accounts until closed; orders 10 years (commercial law)",
        legal_duty: "Commercial law (HGB §257): order records 10 years",
        owner_contact: "shop-team@benchmark-org.example",
        how_to_search: "Admin → customers → search by email",
        how_to_export: "Admin → customer → Export orders (CSV)",
        how_to_delete: "Admin → customer → Anonymise (orders kept, name and address removed)",
        legal_basis: "Contract, Art. 6(1)(b) GDPR",
        source: "The subject",
        added_days_ago: None,
        actions: &[Collect, Delete, Correct, Restrict],
        staff_only: false,
        not_held: 0.25,
        export: ("shop-orders", "csv"),
    },
];

/// When a system was added to the map.
pub fn added_at(def: &SystemDef, index: usize, today: NaiveDate) -> DateTime<Utc> {
    let days = def.added_days_ago.unwrap_or(shape::HISTORY_DAYS + 14);
    (today - Duration::days(days)).and_hms_opt(8, 0, 0).expect("a real time").and_utc() + Duration::minutes(3 * index as i64)
}

const COLUMNS: &[&str] = &[
    "id", "name", "vendor", "role", "purposes", "data_categories", "data_subjects", "location", "transfer_safeguard",
    "retention", "legal_duty", "owner_contact", "how_to_search", "how_to_export", "how_to_delete", "created_at",
    "updated_at", "legal_basis", "source",
];

pub fn generate(conn: &Connection, rng: &mut Rng, spec: &Spec, _: &[super::Generated]) -> Result<u64> {
    let mut batch = Batch::new("systems", COLUMNS);
    for (i, s) in SYSTEMS.iter().enumerate() {
        let created = added_at(s, i, spec.today);
        // Most entries were edited since (a new retention period, a how-to made clearer).
        let updated = if rng.chance(0.6) { super::between(rng, created, created + Duration::days(300)) } else { created };
        let updated = updated.min(super::end_of(spec.today));
        let row: [String; 19] = [
            id_at(rng, created),
            s.name.into(),
            s.vendor.into(),
            s.role.into(),
            s.purposes.into(),
            s.data_categories.into(),
            s.data_subjects.into(),
            s.location.into(),
            s.transfer_safeguard.into(),
            s.retention.into(),
            s.legal_duty.into(),
            s.owner_contact.into(),
            s.how_to_search.into(),
            s.how_to_export.into(),
            s.how_to_delete.into(),
            created.to_rfc3339(),
            updated.to_rfc3339(),
            s.legal_basis.into(),
            s.source.into(),
        ];
        batch.push(conn, row.into_iter().map(text))?;
    }
    batch.flush(conn)?;
    Ok(batch.inserted)
}
