//! The officer's workspace: who is acting, and the demo data set for a first run.

pub mod demo;

/// Who is acting: the OS user name, for the audit trail.
pub fn current_actor() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok().filter(|s| !s.is_empty()).unwrap_or_else(|| "officer".to_string())
}
