//! Figures this suite does not measure (yet): listed, with the reason, so the
//! table always shows every target of the issue.

use crate::report::Figure;

const APP: &str = "whole app not measured in this run (bench-app; scripts/bench.sh without --skip-app)";

pub fn figures(size: u64) -> Vec<Figure> {
    vec![
        // Replaced by bench-app's figures when the whole app is measured.
        Figure::not_measured("app: start to first painted list (release, from exec)", Some(size), "p50", "s", Some(1.0), APP),
        Figure::not_measured("app: idle memory, all processes", Some(size), "PSS", "MB", Some(300.0), APP),
        Figure::not_measured("app: list scrolls through all rows, virtualised", Some(size), "rows in DOM", "rows", Some(1_000.0), APP),
    ]
}
