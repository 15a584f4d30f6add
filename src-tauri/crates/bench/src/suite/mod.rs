//! The core benchmarks, each returning its figures beside their targets.
