//! Services: one function per thing an officer does. Each validates, computes,
//! and writes the change with its timeline event in one transaction.

pub mod bulk;
pub mod dashboard;
pub mod deadlines;
pub mod requests;
pub mod saved_filters;
pub mod search;
pub mod settings;

/// Who is acting: the OS user name, for the audit trail.
pub fn current_actor() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok().filter(|s| !s.is_empty()).unwrap_or_else(|| "officer".to_string())
}
