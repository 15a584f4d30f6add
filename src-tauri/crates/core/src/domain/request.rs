//! A data-subject request and the values it is made of.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::deadline::Schedule;
use super::Status;

/// Declares a closed set of kebab-case names with `as_str`, `parse` and `ALL`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name { $(#[serde(rename = $text)] $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text,)+ } }
            /// The English label shown in lists and letters.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label,)+ } }
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|x| x.as_str() == s) }
            /// The accepted names, for error messages.
            pub fn names() -> String { Self::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ") }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

named_enum! {
    /// What the subject asks for.
    RequestType {
        Access => "access", "Access";
        Erasure => "erasure", "Erasure";
        Rectification => "rectification", "Rectification";
        Portability => "portability", "Portability";
        Restriction => "restriction", "Restriction";
        Objection => "objection", "Objection";
        OptOutSaleSharing => "opt-out-sale-sharing", "Opt-out of sale/sharing";
        LimitSensitive => "limit-sensitive", "Limit use of sensitive data";
        Appeal => "appeal", "Appeal";
        Complaint => "complaint", "Complaint";
        Other => "other", "Other";
    }
}

named_enum! {
    /// How the request reached the organisation.
    RequestChannel {
        Email => "email", "Email";
        WebForm => "web-form", "Web form";
        Letter => "letter", "Letter";
        Phone => "phone", "Phone";
        InPerson => "in-person", "In person";
        ViaCustomer => "via-customer", "Via a customer (we are their processor)";
    }
}

/// Reads a type's name as the form, the CLI and an import give it; a wrong one is an
/// error on the field `type` that lists the names (never the value typed).
impl std::str::FromStr for RequestType {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RequestType::parse(s.trim())
            .ok_or_else(|| crate::error::Error::invalid("type", format!("is not a known request type (one of: {})", RequestType::names())))
    }
}

/// Reads a channel's name; a wrong one is an error on the field `channel`.
impl std::str::FromStr for RequestChannel {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RequestChannel::parse(s.trim())
            .ok_or_else(|| crate::error::Error::invalid("channel", format!("is not a known channel (one of: {})", RequestChannel::names())))
    }
}

/// Another identifier of the subject, such as a customer number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Identifier {
    pub kind: String,
    pub value: String,
}

/// The person the request is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Subject {
    pub name: String,
    pub email: Option<String>,
    pub identifiers: Vec<Identifier>,
}

/// What an officer (or an import) supplies to register a request. The type and the
/// channel are closed sets, read where the text comes in (the IPC boundary by serde,
/// the CLI and an import by `FromStr`); the rest is free text that
/// `requests::validate_new_request` turns into a `ValidRequest` or names the bad field.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewRequest {
    /// On the wire one of [`RequestType`]'s names, e.g. `access`.
    pub request_type: RequestType,
    /// A regime id from the deadline engine, e.g. `eu-gdpr`.
    pub regime: String,
    /// Where the law applies, e.g. `DE`, `GB-ENG`, `US-CA`.
    pub jurisdiction: String,
    pub subject_name: String,
    pub subject_email: String,
    pub identifiers: Vec<Identifier>,
    /// On the wire one of [`RequestChannel`]'s names; none (null or absent) means email.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub channel: Option<RequestChannel>,
    /// `YYYY-MM-DD` (the organisation's local date) or an RFC 3339 instant.
    pub received: String,
    /// IANA zone of the organisation; empty means the configured default.
    pub time_zone: String,
    pub notes: String,
    /// Names this submission, so a retry of it (the form sent twice, the CLI
    /// killed after the commit but before it printed) returns the request it
    /// already registered instead of registering a duplicate. The app sends a
    /// new one per form; none means no such protection.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub idempotency_key: Option<String>,
    /// For an appeal: the earlier request (its id or reference) whose decision
    /// is appealed. It must exist, be under the same regime and have been
    /// refused or closed; required for an appeal under a US state law.
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(optional))]
    pub appeal_of: Option<String>,
}

/// An access request with every other field empty, for `..Default::default()` in
/// tests and for building a request field by field. The type has no neutral value:
/// Access is only this starting point, and every caller that means another sets it.
impl Default for NewRequest {
    fn default() -> Self {
        NewRequest {
            request_type: RequestType::Access,
            regime: String::new(),
            jurisdiction: String::new(),
            subject_name: String::new(),
            subject_email: String::new(),
            identifiers: Vec::new(),
            channel: None,
            received: String::new(),
            time_zone: String::new(),
            notes: String::new(),
            idempotency_key: None,
            appeal_of: None,
        }
    }
}

/// A registered request, as lists and the detail view show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Request {
    pub id: String,
    /// Human reference, e.g. `DSR-2025-0007`.
    pub reference: String,
    #[serde(rename = "type")]
    pub request_type: RequestType,
    pub regime: String,
    pub jurisdiction: String,
    pub subject: Subject,
    pub channel: RequestChannel,
    /// The instant it arrived, RFC 3339 UTC.
    pub received_at: DateTime<Utc>,
    /// The organisation's local date of receipt: the day the clock starts.
    pub received_on: NaiveDate,
    pub time_zone: String,
    pub status: Status,
    pub status_reason: Option<String>,
    pub notes: String,
    /// The legal due date in force (after any extension); none where the law sets no date.
    pub due: Option<NaiveDate>,
    /// Days from today (organisation's zone) to `due`; negative when overdue; none once closed.
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub days_left: Option<i64>,
    pub schedule: Schedule,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One entry of a request's timeline (also its audit trail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TimelineEvent {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// What happened: `registered`, `status-changed`, ... (stored text read strictly).
    pub kind: super::EventKind,
    pub summary: String,
    /// Structured details of the event, as JSON text.
    pub data: String,
    pub actor: String,
}

/// A request with its timeline, for the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestDetail {
    pub request: Request,
    pub timeline: Vec<TimelineEvent>,
    /// The statuses the officer may move this request to now.
    pub next_statuses: Vec<Status>,
    /// The earlier request this appeal appeals, if it is one.
    pub appeal_of: Option<RequestLink>,
    /// The appeals that appeal this request's decision.
    pub appeals: Vec<RequestLink>,
    /// The copy's version: the sequence number of the request's last timeline event. A change
    /// sent with it is refused (`Error::Conflict`) if someone changed the request since.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub version: i64,
}

/// Another request, as a link from the detail view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestLink {
    pub id: String,
    pub reference: String,
}
