//! Many local solves in parallel; the best is chosen deterministically (lowest cost, then lowest start index),
//! so the result is bit-identical for any number of threads.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::lbfgs::{minimize, LbfgsOptions, LocalFit};
use crate::objective::Objective;

/// Relative tolerance within which a start counts as having reached the best objective.
pub const SAME_OPTIMUM_RTOL: f64 = 1e-9;

/// Outcome of a multi-start fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiStartFit {
    /// The best local solve.
    pub best: LocalFit,
    /// Index of the start that produced it.
    pub best_start: usize,
    /// Number of starts tried.
    pub starts: usize,
    /// Starts whose final cost is within [`SAME_OPTIMUM_RTOL`] of the best.
    pub starts_at_best: usize,
    /// Starts whose solve converged (stopped on a tolerance).
    pub starts_converged: usize,
}

/// Run L-BFGS from every start in parallel and keep the best. `starts` must not be empty.
pub fn multistart<O: Objective>(objective: &O, starts: &[Vec<f64>], options: &LbfgsOptions) -> MultiStartFit {
    assert!(!starts.is_empty(), "multistart needs at least one start");
    let fits: Vec<LocalFit> = starts
        .par_iter()
        .map(|x0| minimize(objective, x0, options))
        .collect();
    let best_start = fits
        .iter()
        .enumerate()
        .filter(|(_, f)| f.cost.is_finite())
        .min_by(|(i, a), (j, b)| a.cost.total_cmp(&b.cost).then(i.cmp(j)))
        .map_or(0, |(i, _)| i);
    let best = fits[best_start].clone();
    let threshold = best.cost + SAME_OPTIMUM_RTOL * best.cost.abs().max(f64::MIN_POSITIVE);
    MultiStartFit {
        starts_at_best: fits.iter().filter(|f| f.cost <= threshold).count(),
        starts_converged: fits.iter().filter(|f| f.converged).count(),
        starts: fits.len(),
        best_start,
        best,
    }
}
