//! What both benchmarks share (`mod common;` in `benches/scale.rs` and `benches/gui_frames.rs`):
//! the sizes from the command line, the folder of generated caches, the caches themselves
//! (`examples/gen_cache.rs`), the statistics of timings, and the window harness of the GUI tests
//! (`tests/common/gui.rs`).
//!
//! Each bench is a crate of its own and uses only some of these, hence the `allow`.
#![allow(dead_code)]

#[path = "../../examples/gen_cache.rs"]
mod gen_cache;

/// The egui_kittest harness of the GUI tests, so that the bench drives the same window.
#[path = "../../tests/common/gui.rs"]
pub mod gui;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The cache sizes given on the command line (`10000`, `100_000`), or `default` when none is.
pub fn sizes(default: usize) -> Vec<usize> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    if sizes.is_empty() {
        vec![default]
    } else {
        sizes
    }
}

/// Where the generated caches live: `$DOCTRIAGE_BENCH_DIR`, by default `/tmp/doctriage-bench`
/// (made if missing).
pub fn bench_dir() -> PathBuf {
    let base = std::env::var_os("DOCTRIAGE_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/doctriage-bench"), PathBuf::from);
    std::fs::create_dir_all(&base).expect("bench dir");
    base
}

/// The synthetic cache of `n` records under `base`, generated once (seed 42) and reused.
pub fn ensure_cache(base: &Path, n: usize) -> PathBuf {
    gen_cache::ensure_cache(base, n).expect("generate the benchmark cache")
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `p` quantile (0.0 to 1.0) of the timings, nearest rank: 0.5 is the median, 1.0 the
/// maximum.
pub fn percentile(v: &[f64], p: f64) -> f64 {
    assert!(!v.is_empty(), "no timings");
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

pub fn median(v: &[f64]) -> f64 {
    percentile(v, 0.5)
}
