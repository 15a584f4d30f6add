//! The core benchmarks, each returning its figures beside their targets.
//! They call the same service functions the app's commands call.

pub mod dashboard;
pub mod detail;
pub mod diagnose;
pub mod extras;
pub mod list;
pub mod mailbox;
pub mod open;
pub mod package;
pub mod pending;
pub mod plans;
pub mod register;
pub mod stores;

use std::path::Path;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::store::{Db, DbKey};

use crate::report::Figure;

/// How hard to try: samples per measured operation.
#[derive(Debug, Clone, Copy)]
pub struct Effort {
    pub warmup: usize,
    pub samples: usize,
}

impl Effort {
    pub const NORMAL: Effort = Effort { warmup: 10, samples: 200 };
    pub const QUICK: Effort = Effort { warmup: 2, samples: 20 };
}

/// The database under test and what the benchmarks need to know of it.
pub struct Target<'a> {
    pub db: &'a Db,
    pub path: &'a Path,
    pub key: &'a str,
    pub size: u64,
    pub clock: FixedClock,
    pub effort: Effort,
}

/// Runs every core benchmark on one data set.
pub fn run(t: &Target<'_>) -> rightsdesk_core::Result<Vec<Figure>> {
    let mut figures = list::run(t)?;
    figures.extend(detail::run(t)?);
    figures.extend(dashboard::run(t)?);
    figures.extend(register::run(t)?);
    figures.extend(extras::run(t)?);
    figures.extend(open::run(t)?);
    Ok(figures)
}

/// The reading benchmarks only (list, detail, dashboard, opening): what the
/// 1,000,000-request data set is measured on, as its targets are those of
/// 100,000 and it is kept between runs (nothing here writes to it).
pub fn run_reads(t: &Target<'_>) -> rightsdesk_core::Result<Vec<Figure>> {
    let mut figures = list::run(t)?;
    figures.extend(detail::run(t)?);
    figures.extend(dashboard::run(t)?);
    figures.extend(open::run(t)?);
    Ok(figures)
}

/// Opens a data set with its passphrase.
pub fn open(path: &Path, passphrase: &str) -> rightsdesk_core::Result<Db> {
    Db::open(path, &DbKey::passphrase(passphrase)?)
}

/// p50 and p95 figures of one operation, against the same target for both
/// unless `p95_target` is given.
pub fn percentiles(bench: &str, size: u64, s: crate::timing::Stats, p50_target: Option<f64>, p95_target: Option<f64>) -> Vec<Figure> {
    vec![
        Figure::new(bench, Some(size), "p50", s.p50, "ms", p50_target),
        Figure::new(bench, Some(size), "p95", s.p95, "ms", p95_target.or(p50_target)),
    ]
}
