//! Letters and reminders: templated mail through the organisation's own SMTP
//! server, an outbox that never loses or doubles a letter, and reminders
//! before a deadline slips.
//!
//! - `settings`: the SMTP account and letter details; the password in a [`crate::secrets::SecretStore`].
//! - `templates`, `locale`, `render`, `authorities`: the letters' words, in English, German and French.
//! - `letters`: preview a letter for a request, then queue it.
//! - `compose`: the exact bytes (headers, both alternatives, attachments), Message-ID decided up front.
//! - `outbox`: the states queued → sending → sent | failed | unknown, and why nothing is lost or doubled.
//! - `sender`: the SMTP conversation (lettre over rustls), retries with backoff, the test message.
//! - `send_now`: queue a letter, send the outbox, read the letter back — the app's and the CLI's one path.
//! - `clock_events`: the clock events a sent letter records for the deadline engine.
//! - `reminders`, `icalendar`: due-soon and overdue reminders, and the .ics export.
//! - `anchor`: the audit trail's head mailed to the officer once a day, and the check against such anchors.

pub mod authorities;
pub mod clock_events;
pub mod compose;
pub mod draft;
pub mod outbox;
pub mod purge;
pub mod reminders;
pub mod render;
mod send_now;
pub mod sender;
pub mod templates;

pub use crate::domain::Lang;
pub use crate::settings::mail::{MailSettings, Security};
pub use compose::Attachment;
pub use draft::{LetterInput, LetterPreview};
pub use outbox::{Letter, LetterState};
pub use send_now::{send_now, Passwords, SentNow};
