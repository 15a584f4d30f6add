//! Timing: run a closure many times and report percentiles.

use std::time::Instant;

use serde::Serialize;

/// Percentiles of one measured operation, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stats {
    pub n: usize,
    pub p50: f64,
    pub p95: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// Milliseconds `f` takes once.
pub fn once<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed().as_secs_f64() * 1e3, value)
}

/// How long one operation's samples may take in all, once [`MIN_SAMPLES`] are
/// taken: an operation of a second (the informational searches at 1,000,000)
/// would otherwise run 210 times, three and a half minutes of a run that must
/// stay under fifteen. Operations with a target (20 ms at most) take their
/// full count of samples within it.
const BUDGET_MS: f64 = 10_000.0;
const MIN_SAMPLES: usize = 20;

/// Runs `f` `warmup` times unmeasured, then `n` times measured; `f(i)` gets the
/// iteration number. A slow operation stops early: its warm-up after 2 s, its
/// samples after [`BUDGET_MS`] once it has [`MIN_SAMPLES`].
pub fn measure<T>(warmup: usize, n: usize, f: impl FnMut(usize) -> T) -> Stats {
    measure_within(warmup, n, BUDGET_MS, MIN_SAMPLES, f)
}

/// How long an informational figure's samples (one with no target, printed
/// for context) may take in all, once [`INFO_MIN_SAMPLES`] are taken: its
/// median needs no 200 samples, and at 1,000,000 three of them (searches of
/// 0.6–0.8 s and 42 ms) took over half a minute of the run so.
const INFO_BUDGET_MS: f64 = 2_000.0;
const INFO_MIN_SAMPLES: usize = 5;

/// [`measure`] for an informational figure: at most [`INFO_BUDGET_MS`] of
/// samples once it has [`INFO_MIN_SAMPLES`], after a warm-up of at most two runs.
pub fn measure_info<T>(n: usize, f: impl FnMut(usize) -> T) -> Stats {
    measure_within(2, n, INFO_BUDGET_MS, INFO_MIN_SAMPLES, f)
}

fn measure_within<T>(warmup: usize, n: usize, budget_ms: f64, min_samples: usize, mut f: impl FnMut(usize) -> T) -> Stats {
    let started = Instant::now();
    for i in 0..warmup {
        std::hint::black_box(f(i));
        if started.elapsed().as_secs_f64() * 1e3 > budget_ms.min(2_000.0) {
            break;
        }
    }
    let mut ms: Vec<f64> = Vec::with_capacity(n);
    let mut spent = 0.0;
    for i in 0..n {
        let (t, _) = once(|| std::hint::black_box(f(i)));
        ms.push(t);
        spent += t;
        if spent > budget_ms && ms.len() >= min_samples {
            break;
        }
    }
    stats(&mut ms)
}

pub fn stats(ms: &mut [f64]) -> Stats {
    assert!(!ms.is_empty(), "no samples");
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    Stats { n: ms.len(), p50: at(0.50), p95: at(0.95), mean: ms.iter().sum::<f64>() / ms.len() as f64, min: ms[0], max: ms[ms.len() - 1] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_read_from_the_sorted_samples() {
        let mut samples: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let s = stats(&mut samples);
        assert_eq!((s.p50, s.p95, s.min, s.max), (50.0, 95.0, 1.0, 100.0));
    }
}
