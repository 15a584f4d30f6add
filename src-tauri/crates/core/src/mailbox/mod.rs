//! The privacy mailbox (issue 17): requests arrive by mail. Rightsdesk reads the
//! organisation's privacy mailbox over IMAP ([`fetch`]), files every message
//! once, with its exact bytes sealed in the evidence store, and puts what is
//! not a reply to a request in the **intake** ([`intake`]), where the officer
//! accepts it (a request is registered, received on the server's arrival time
//! in the organisation's zone), dismisses it with a reason, or links it to a
//! request. Nothing is registered without the officer's act.
//!
//! Uses settings, requests, evidence, letters (the outbox's Message-IDs) and
//! the kernel; nothing below uses it.

pub mod conversation;
pub mod fetch;
pub mod idle;
pub mod intake;
pub mod oauth;
pub mod owners;
pub mod parse;
pub mod purge;
pub mod settings;
mod store;

pub use conversation::{Conversation, ConversationMail, Direction, ReceivedAs};
pub use fetch::{FetchReport, ServerCheck};
pub use idle::Woken;
pub use intake::{IntakeItem, IntakeState, Suggestion};
pub use parse::AttachmentInfo;
