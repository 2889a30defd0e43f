//! Many local solves in parallel; the best is chosen deterministically (lowest cost up to 1e-9 relative, then
//! smallest gradient norm, then lowest start index), so the result is bit-identical for any number of threads.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::lbfgs::{minimize_with_restarts, LbfgsOptions, LocalFit, MAX_RESTARTS};
use crate::marquardt;
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
    /// Solves whose final cost is within [`SAME_OPTIMUM_RTOL`] of the best (of the polished ones after
    /// screening).
    pub starts_at_best: usize,
    /// Solves that converged (stopped on a tolerance; of the polished ones after screening).
    pub starts_converged: usize,
}

/// Screening of many starts: each start gets `iters` iterations of its local solve ([`solve`]), the `keep` best are solved fully
/// (see [`multistart_screened`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Screen {
    /// Iterations each start gets.
    pub iters: u64,
    /// Starts solved to convergence afterwards, the best by then.
    pub keep: usize,
}

impl Default for Screen {
    /// 15 iterations, 20 kept (the Chinchilla grid's; same optimum as solving all 4,500 on Epoch's data).
    fn default() -> Self {
        Screen { iters: 15, keep: 20 }
    }
}

/// [`multistart_screened`] when `screen` is given and there are more starts than it keeps, else
/// [`multistart`].
pub fn multistart_with<O: Objective>(
    objective: &O,
    starts: &[Vec<f64>],
    options: &LbfgsOptions,
    screen: Option<Screen>,
) -> MultiStartFit {
    match screen {
        Some(screen) if starts.len() > screen.keep => {
            let short = LbfgsOptions {
                max_iters: screen.iters,
                ..*options
            };
            multistart_screened(objective, starts, &short, screen.keep, options)
        }
        _ => multistart(objective, starts, options),
    }
}

/// One local solve ([`solve`]) from every start in parallel; the best is kept. `starts` must not be empty.
pub fn multistart<O: Objective>(objective: &O, starts: &[Vec<f64>], options: &LbfgsOptions) -> MultiStartFit {
    assert!(!starts.is_empty(), "multistart needs at least one start");
    let fits: Vec<LocalFit> = starts
        .par_iter()
        .map(|x0| solve(objective, x0, options))
        .collect();
    summarize(fits, (0..starts.len()).collect(), starts.len())
}

/// Screen, then polish: every start gets a short local solve (`screen.max_iters` iterations, no restarts), the
/// `keep` lowest
/// screened points (ties by start index) are solved to the full `options`, and the best polished solve wins.
/// Much cheaper than solving every start to convergence when most starts lead to the same few basins.
/// In the result, `starts` counts all starts; `starts_at_best` and `starts_converged` count polished ones;
/// `best_start` indexes `starts`.
pub fn multistart_screened<O: Objective>(
    objective: &O,
    starts: &[Vec<f64>],
    screen: &LbfgsOptions,
    keep: usize,
    options: &LbfgsOptions,
) -> MultiStartFit {
    assert!(!starts.is_empty(), "multistart needs at least one start");
    let screened: Vec<LocalFit> = starts
        .par_iter()
        .map(|x0| solve_with_restarts(objective, x0, screen, 0))
        .collect();
    let mut order: Vec<usize> = (0..starts.len()).collect();
    order.sort_by(|&i, &j| screened[i].cost.total_cmp(&screened[j].cost).then(i.cmp(&j)));
    order.truncate(keep.max(1));
    let polished: Vec<LocalFit> = order
        .par_iter()
        .map(|&i| solve(objective, &screened[i].x, options))
        .collect();
    summarize(polished, order, starts.len())
}

/// A warm solve with its guard's outcome (see [`guarded`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Guarded {
    /// The search that found the optimum.
    pub search: MultiStartFit,
    /// Whether a guard start found a better basin than the warm start's.
    pub guard_won: bool,
}

/// A warm solve guarded against a worse basin, for bootstrap refits: a local solve from `warm`; every `guard` start
/// whose objective already beats the warm optimum (by more than [`SAME_OPTIMUM_RTOL`]) is solved too, and the
/// better basin wins. Starts that do not beat it cost one objective evaluation each.
pub fn guarded<O: Objective>(
    objective: &O,
    warm: &[f64],
    guard: &[Vec<f64>],
    options: &LbfgsOptions,
) -> Guarded {
    let warm_fit = multistart(objective, &[warm.to_vec()], options);
    let cost = warm_fit.best.cost;
    let threshold = if cost.is_finite() {
        cost - SAME_OPTIMUM_RTOL * cost.abs()
    } else {
        f64::INFINITY
    };
    let better: Vec<Vec<f64>> = guard
        .iter()
        .filter(|x| objective.value(x) < threshold)
        .cloned()
        .collect();
    if !better.is_empty() {
        let other = multistart(objective, &better, options);
        if other.best.cost < threshold {
            return Guarded {
                search: other,
                guard_won: true,
            };
        }
    }
    Guarded {
        search: warm_fit,
        guard_won: false,
    }
}

/// One local solve: Levenberg–Marquardt for an objective with a Gauss–Newton model
/// ([`Objective::has_gauss_newton`]), else L-BFGS. When Levenberg–Marquardt stops unconverged before the
/// iteration cap (its model degenerate: Huber with no row in its quadratic zone has none), L-BFGS goes on
/// from where it stopped, for the iterations left.
pub fn solve<O: Objective>(objective: &O, x0: &[f64], options: &LbfgsOptions) -> LocalFit {
    solve_with_restarts(objective, x0, options, MAX_RESTARTS)
}

/// [`solve`] with at most `restarts` L-BFGS restarts ([`minimize_with_restarts`]).
fn solve_with_restarts<O: Objective>(
    objective: &O,
    x0: &[f64],
    options: &LbfgsOptions,
    restarts: usize,
) -> LocalFit {
    if !objective.has_gauss_newton() {
        return minimize_with_restarts(objective, x0, options, restarts);
    }
    let fit = marquardt::minimize(objective, x0, options);
    if fit.converged || fit.iterations >= options.max_iters {
        return fit;
    }
    let rest = LbfgsOptions {
        max_iters: options.max_iters - fit.iterations,
        ..*options
    };
    let then = minimize_with_restarts(objective, &fit.x, &rest, restarts);
    if then.cost > fit.cost {
        return fit;
    }
    LocalFit {
        iterations: fit.iterations + then.iterations,
        termination: format!("{}; then L-BFGS: {}", fit.termination, then.termination),
        ..then
    }
}

/// Picks the best of `fits`: among the solves within [`SAME_OPTIMUM_RTOL`] of the lowest finite cost (the same
/// optimum up to rounding), the one with the smallest gradient norm, then the lowest index. `origin[i]` is the
/// start index of fit i.
fn summarize(fits: Vec<LocalFit>, origin: Vec<usize>, starts: usize) -> MultiStartFit {
    let lowest = fits
        .iter()
        .map(|f| f.cost)
        .filter(|c| c.is_finite())
        .min_by(f64::total_cmp)
        .unwrap_or(f64::INFINITY);
    let threshold = lowest + SAME_OPTIMUM_RTOL * lowest.abs().max(f64::MIN_POSITIVE);
    let best_index = fits
        .iter()
        .enumerate()
        .filter(|(_, f)| f.cost <= threshold)
        .min_by(|(i, a), (j, b)| a.grad_norm.total_cmp(&b.grad_norm).then(i.cmp(j)))
        .map_or(0, |(i, _)| i);
    let best = fits[best_index].clone();
    MultiStartFit {
        starts_at_best: fits.iter().filter(|f| f.cost <= threshold).count(),
        starts_converged: fits.iter().filter(|f| f.converged).count(),
        starts,
        best_start: origin[best_index],
        best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f = (x₀ − 3)² + 10·(x₁ + 1)² with a Gauss–Newton matrix that is 0 everywhere, as Huber's is where no row
    /// is in its quadratic zone.
    struct NoCurvature;

    impl Objective for NoCurvature {
        fn dim(&self) -> usize {
            2
        }
        fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
            grad[0] = 2.0 * (x[0] - 3.0);
            grad[1] = 20.0 * (x[1] + 1.0);
            (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
        }
        fn has_gauss_newton(&self) -> bool {
            true
        }
        fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
            jtj.fill(0.0);
            self.value_grad(x, grad)
        }
    }

    /// Levenberg–Marquardt alone stalls on a degenerate model; the solve goes on with L-BFGS to the minimum
    /// (3, −1), converged, and says so.
    #[test]
    fn a_stalled_marquardt_solve_is_finished_by_lbfgs() {
        let options = LbfgsOptions::default();
        let alone = marquardt::minimize(&NoCurvature, &[0.0, 0.0], &options);
        assert!(!alone.converged && alone.cost > 1.0, "{alone:?}");
        let fit = solve(&NoCurvature, &[0.0, 0.0], &options);
        assert!(fit.converged, "{fit:?}");
        assert!(
            (fit.x[0] - 3.0).abs() < 1e-8 && (fit.x[1] + 1.0).abs() < 1e-8,
            "{:?}",
            fit.x
        );
        assert!(fit.termination.contains("then L-BFGS"), "{}", fit.termination);
        assert!(fit.iterations > alone.iterations);
    }
}
