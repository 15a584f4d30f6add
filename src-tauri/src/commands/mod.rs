//! One file per feature; each command: state -> core call -> IPC error.

pub mod conversation;
pub mod deadlines;
pub mod files;
pub mod import;
pub mod mail;
pub mod mailbox;
pub mod owners;
pub mod package;
pub mod register;
pub mod requests;
pub mod safety;
pub mod setup;
pub mod status;
pub mod team;
pub mod work;
pub mod workspace;
