//! Safe with the data it holds: encrypted backups and their restore, the
//! tool's own retention purge, and writing files whole or not at all.
//! (Encryption at rest itself lives in `store/` — `store::key`, `Db::open`.)

pub mod archive;
pub mod backup;
pub mod fsutil;
pub mod purgers;
pub mod restore;
pub mod retention;
