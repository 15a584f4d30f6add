//! The officer's workspace: opening a register for work (the one way the app
//! and the CLI open it), who is acting, and the demo data set for a first run.

pub mod demo;
mod opening;
pub mod team_move;

pub use opening::{open, open_read_only, open_refreshing_later, open_with_key, refresh_rules, Opened};

/// Who is acting: the OS user name, for the audit trail.
pub fn current_actor() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok().filter(|s| !s.is_empty()).unwrap_or_else(|| "officer".to_string())
}
