//! rightsdesk-bench: how fast Rightsdesk is at any size, measured against its targets.
//!
//! What belongs here: the generator of a realistic large data set
//! ([`dataset`], binary `gen-dataset`), the timing and reporting helpers
//! ([`timing`], [`report`]), the core benchmarks ([`suite`], binary
//! `bench-core`) and the whole-app measurement (binary `bench-app`: start to
//! the first painted list, memory of all processes). What does not: anything
//! the product needs at run time, and timing assertions in tests — the figures
//! are printed beside their targets by `scripts/bench.sh`, never asserted.

pub mod dataset;
pub mod people;
pub mod report;
pub mod rng;
pub mod suite;
pub mod timing;
