//! rightsdesk-core: the product without its windows.
//!
//! What belongs here: the domain (requests, statuses, subjects), the deadline
//! engine, the store (SQLite, migrations, the one write path), and the services
//! that the desktop shell and the CLI both call. What does not: anything that
//! knows about tauri, WebKit, a terminal or a UI framework. A service takes a
//! [`store::Db`] and a [`clock::Clock`] and returns domain values or [`Error`].

// The kernel: the domain vocabulary, the database and its events, files,
// encryption streams, the clock, secrets, and the purge contract.
pub mod clock;
pub mod crash_point;
pub mod crypto;
pub mod domain;
pub mod error;
pub mod files;
pub mod html;
pub mod paths;
pub mod purge;
pub mod secrets;
pub mod store;
#[cfg(test)]
pub(crate) mod testutil;

// The features, named for the officer's nouns. From the bottom up: settings,
// deadlines, datamap, tasks, requests, evidence, identity, letters, audit,
// mailbox, packages, import, register, backups, retention, workspace. Each may use the
// kernel and the features before it, never one after it, so none uses a
// sibling that uses it back (`tests/layout.rs` keeps it so).
pub mod audit;
pub mod backups;
pub mod datamap;
pub mod deadlines;
pub mod evidence;
pub mod identity;
pub mod import;
pub mod letters;
pub mod mailbox;
pub mod packages;
pub mod register;
pub mod requests;
pub mod retention;
pub mod settings;
pub mod tasks;
pub mod workspace;

pub use error::{Error, Result};
pub use workspace::open;
