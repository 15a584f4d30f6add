//! One file per feature; each command: state -> core call -> IPC error.

pub mod deadlines;
pub mod requests;
pub mod safety;
pub mod setup;
