//! The register: every request as CSV or JSON for the officer's records and
//! the regulator, and the yearly figures (CCPA regulation §7102) with the
//! monthly series the app charts.
//!
//! What belongs here: reading the register out (rows, figures) and
//! writing it safely. What does not: changing requests (that is `services`).

pub mod calendar;
pub mod dashboard;
mod export;
mod metrics;
pub mod next_step;
pub mod tally;

pub use export::{export, export_to_file, register_rows, ExportFormat, ExportResult, RegisterRow};
pub use metrics::{metrics_csv, metrics_to_file, year_metrics, MonthFigures, TypeFigures, YearMetrics};
