//! The store: one SQLite file, opened in exactly one place ([`Db::open`]).
//!
//! One writer connection behind a mutex, WAL, `foreign_keys=ON`, STRICT
//! tables, migrations applied atomically. Every write goes through
//! [`Db::write`], an IMMEDIATE transaction, so a change and its timeline event
//! commit together or not at all.

mod db;
pub mod events;
mod migrations;
pub mod requests;
pub mod settings;

pub use db::Db;
pub use migrations::SCHEMA_VERSION;
