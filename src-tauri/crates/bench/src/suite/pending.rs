//! Figures whose feature is not on main yet: listed, with the reason, so the
//! table always shows every target of the issue.

use crate::report::Figure;

pub fn figures(size: u64) -> Vec<Figure> {
    let why = |feature: &str| format!("not yet measurable: {feature} is being built on another branch, not on main yet");
    vec![
        Figure::not_measured("CSV import", Some(size), "total", "s", Some(5.0), &why("CSV import")),
        Figure::not_measured("register export to CSV", Some(size), "total", "s", Some(2.0), &why("register export")),
        Figure::not_measured("package of 1 GB evidence vs cp", None, "time / cp", "×", Some(1.5), &why("the package writer")),
        Figure::not_measured("package of 1 GB evidence", None, "peak memory", "MB", Some(100.0), &why("the package writer")),
    ]
}
