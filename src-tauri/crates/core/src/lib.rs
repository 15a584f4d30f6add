//! rightsdesk-core: the product without its windows.
//!
//! What belongs here: the domain (requests, statuses, subjects), the deadline
//! engine, the store (SQLite, migrations, the one write path), and the services
//! that the desktop shell and the CLI both call. What does not: anything that
//! knows about tauri, WebKit, a terminal or a UI framework. A service takes a
//! [`store::Db`] and a [`clock::Clock`] and returns domain values or [`Error`].

pub mod atomic_file;
pub mod clock;
pub mod crash_point;
pub mod deadline;
pub mod demo;
pub mod destination;
pub mod domain;
pub mod error;
pub mod html;
pub mod import;
pub mod mail;
pub mod package;
pub mod paths;
pub mod register;
pub mod safety;
pub mod secrets;
pub mod services;
pub mod store;
pub mod work;

pub use error::{Error, Result};
