//! One local L-BFGS solve through argmin (More-Thuente line search), reporting how it ended.

use std::cell::RefCell;
use std::sync::{Arc, Mutex};

use argmin::core::observers::{Observe, ObserverMode};
use argmin::core::{
    CostFunction, Error, Executor, Gradient, IterState, State, TerminationReason, TerminationStatus, KV,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::DVector;
use serde::{Deserialize, Serialize};

use crate::objective::Objective;

/// Stopping rules for one L-BFGS solve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LbfgsOptions {
    /// Iteration cap.
    pub max_iters: u64,
    /// Stop when ‖∇f‖ falls below this.
    pub tol_grad: f64,
    /// Stop when |Δf| between iterations falls below this.
    pub tol_cost: f64,
    /// Number of correction pairs kept.
    pub memory: usize,
}

impl Default for LbfgsOptions {
    fn default() -> Self {
        LbfgsOptions {
            max_iters: 1000,
            tol_grad: 1e-12,
            tol_cost: 0.0,
            memory: 10,
        }
    }
}

/// Result of one local solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalFit {
    /// Best point found.
    pub x: Vec<f64>,
    /// f at `x`.
    pub cost: f64,
    /// Iterations taken.
    pub iterations: u64,
    /// ‖∇f(x)‖₂ at the best point.
    pub grad_norm: f64,
    /// Why the solver stopped, in argmin's words (or the error it raised).
    pub termination: String,
    /// True when it stopped on a tolerance (gradient or cost), or the line search stalled with a gradient that
    /// is small relative to f (see [`STALL_GRAD_RTOL`]); false on the iteration cap or another error.
    pub converged: bool,
}

/// The objective as argmin sees it. argmin asks for the cost and then the gradient at the same point (in the
/// line search and after it); both come from one `value_grad` call, cached for the last point.
struct Problem<'a, O: Objective> {
    objective: &'a O,
    last: RefCell<Option<Evaluation>>,
}

/// A point, f there and ∇f there.
type Evaluation = (DVector<f64>, f64, DVector<f64>);

impl<O: Objective> Problem<'_, O> {
    fn value_grad(&self, x: &DVector<f64>) -> (f64, DVector<f64>) {
        if let Some((at, value, grad)) = self.last.borrow().as_ref() {
            if at == x {
                return (*value, grad.clone());
            }
        }
        let mut grad = DVector::zeros(x.len());
        let value = self.objective.value_grad(x.as_slice(), grad.as_mut_slice());
        *self.last.borrow_mut() = Some((x.clone(), value, grad.clone()));
        (value, grad)
    }
}

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = DVector<f64>;
    type Output = f64;
    fn cost(&self, x: &Self::Param) -> Result<f64, Error> {
        Ok(self.value_grad(x).0)
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = DVector<f64>;
    type Gradient = DVector<f64>;
    fn gradient(&self, x: &Self::Param) -> Result<DVector<f64>, Error> {
        Ok(self.value_grad(x).1)
    }
}

/// The best point seen so far and the iteration count, shared with the caller: argmin drops its state when a
/// solver step errors, so a line search that fails after many good iterations would otherwise lose them.
#[derive(Default)]
struct BestSoFar(Arc<Mutex<Option<BestPoint>>>);

/// The best point so far and the iterations it took.
type BestPoint = (Vec<f64>, u64);

type LbfgsState = IterState<DVector<f64>, DVector<f64>, (), (), (), f64>;

impl Observe<LbfgsState> for BestSoFar {
    fn observe_iter(&mut self, state: &LbfgsState, _kv: &KV) -> Result<(), Error> {
        if let (Some(best), Ok(mut slot)) = (state.get_best_param(), self.0.lock()) {
            *slot = Some((best.as_slice().to_vec(), state.get_iter() + 1));
        }
        Ok(())
    }
}

/// A line-search failure counts as convergence when ‖∇f‖ ≤ STALL_GRAD_RTOL·|f|. Near the optimum of a nearly
/// piecewise-linear objective (Huber with a small δ) the steps that would lower f further change it below its
/// rounding level (≈1e-19 for f ≈ 1e-3), so More-Thuente gives up at ‖∇f‖ ≈ 1e-8–1e-10, short of a tight
/// `tol_grad`. The ratio is invariant to rescaling the objective (e.g. all row weights).
pub const STALL_GRAD_RTOL: f64 = 1e-4;

/// Restarts (fresh L-BFGS memory, from the best point so far) allowed after the line search fails.
pub const MAX_RESTARTS: usize = 5;

/// Minimise `objective` from `x0` by L-BFGS. Never panics: a solver error (e.g. a line search that cannot
/// make progress in a flat valley) ends the solve at the best point so far, with `converged` set honestly.
/// After such a failure the solve restarts from that point with fresh memory (up to 5 times, within the
/// iteration cap) while the restarts still lower the cost: a stale curvature estimate is the usual culprit in
/// a flat valley.
pub fn minimize<O: Objective>(objective: &O, x0: &[f64], options: &LbfgsOptions) -> LocalFit {
    minimize_with_restarts(objective, x0, options, MAX_RESTARTS)
}

/// [`minimize`] with at most `restarts` restarts after a failed line search (0: none, e.g. for a short
/// screening run whose end point is polished later anyway).
pub fn minimize_with_restarts<O: Objective>(
    objective: &O,
    x0: &[f64],
    options: &LbfgsOptions,
    restarts: usize,
) -> LocalFit {
    let (mut fit, mut failed) = solve_once(objective, x0, options);
    for _ in 0..restarts {
        if !failed || fit.converged || fit.iterations >= options.max_iters {
            break;
        }
        let remaining = LbfgsOptions {
            max_iters: options.max_iters - fit.iterations,
            ..*options
        };
        let (next, next_failed) = solve_once(objective, &fit.x, &remaining);
        if next.cost >= fit.cost {
            break;
        }
        let iterations = fit.iterations + next.iterations;
        fit = LocalFit { iterations, ..next };
        failed = next_failed;
    }
    fit
}

/// One L-BFGS run; the flag says whether it ended on a solver error (rather than a stopping rule).
fn solve_once<O: Objective>(objective: &O, x0: &[f64], options: &LbfgsOptions) -> (LocalFit, bool) {
    let start_cost = objective.value(x0);
    let fallback = |termination: String| {
        let mut g = vec![0.0; x0.len()];
        let cost = objective.value_grad(x0, &mut g);
        let fit = LocalFit {
            x: x0.to_vec(),
            cost,
            iterations: 0,
            grad_norm: norm(&g),
            termination,
            converged: false,
        };
        (fit, false)
    };
    if !start_cost.is_finite() {
        return fallback("objective not finite at the start".into());
    }
    let solver = match LBFGS::new(MoreThuenteLineSearch::new(), options.memory)
        .with_tolerance_grad(options.tol_grad)
        .and_then(|s| s.with_tolerance_cost(options.tol_cost))
    {
        Ok(s) => s,
        Err(e) => return fallback(format!("bad solver options: {e}")),
    };
    let tracker = BestSoFar::default();
    let best_so_far = Arc::clone(&tracker.0);
    let run = Executor::new(
        Problem {
            objective,
            last: RefCell::new(None),
        },
        solver,
    )
    .configure(|s| {
        s.param(DVector::from_column_slice(x0))
            .max_iters(options.max_iters)
    })
    .add_observer(tracker, ObserverMode::Always)
    .run();
    let (x, iterations, termination, stopped_on_tolerance, failed) = match run {
        Ok(res) => {
            let state = res.state();
            let Some(best) = state.get_best_param() else {
                return fallback("solver returned no point".into());
            };
            let (termination, on_tolerance, solver_exit) = match state.get_termination_status() {
                TerminationStatus::Terminated(reason) => (
                    reason.text().to_string(),
                    matches!(
                        reason,
                        TerminationReason::SolverConverged | TerminationReason::TargetCostReached
                    ),
                    // L-BFGS reports a failed line search as a solver exit, not as an error.
                    matches!(reason, TerminationReason::SolverExit(_)),
                ),
                TerminationStatus::NotTerminated => ("not terminated".into(), false, false),
            };
            (
                best.as_slice().to_vec(),
                state.get_iter(),
                termination,
                on_tolerance,
                solver_exit,
            )
        }
        Err(e) => match best_so_far.lock().ok().and_then(|slot| slot.clone()) {
            Some((x, iterations)) => (x, iterations, format!("stopped: {e}"), false, true),
            None => return fallback(format!("solver error: {e}")),
        },
    };
    let mut g = vec![0.0; x.len()];
    let cost = objective.value_grad(&x, &mut g);
    let grad_norm = norm(&g);
    let stalled_at_optimum = failed && grad_norm <= STALL_GRAD_RTOL * cost.abs();
    let termination = if stalled_at_optimum && grad_norm > options.tol_grad {
        format!(
            "line search stalled at |grad| = {grad_norm:.2e} <= {STALL_GRAD_RTOL:e} * |f| (accepted as converged): \
             {termination}"
        )
    } else {
        termination
    };
    let fit = LocalFit {
        converged: cost.is_finite()
            && (stopped_on_tolerance || grad_norm <= options.tol_grad || stalled_at_optimum),
        x,
        cost,
        iterations,
        grad_norm,
        termination,
    };
    (fit, failed)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|g| g * g).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock in n dimensions: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1).
    pub(crate) struct Rosenbrock(pub usize);

    impl Objective for Rosenbrock {
        fn dim(&self) -> usize {
            self.0
        }
        fn value_grad(&self, x: &[f64], g: &mut [f64]) -> f64 {
            g.iter_mut().for_each(|v| *v = 0.0);
            let mut f = 0.0;
            for i in 0..x.len() - 1 {
                let a = x[i + 1] - x[i] * x[i];
                let b = 1.0 - x[i];
                f += 100.0 * a * a + b * b;
                g[i] += -400.0 * a * x[i] - 2.0 * b;
                g[i + 1] += 200.0 * a;
            }
            f
        }
    }

    #[test]
    fn solves_rosenbrock() {
        let fit = minimize(
            &Rosenbrock(5),
            &[-1.2, 1.0, -1.2, 1.0, -1.2],
            &LbfgsOptions::default(),
        );
        assert!(fit.converged, "{}", fit.termination);
        assert!(fit.cost < 1e-14, "cost {}", fit.cost);
        assert!(fit.x.iter().all(|v| (v - 1.0).abs() < 1e-6));
    }

    #[test]
    fn non_finite_start_is_reported_not_panicked() {
        struct Nan;
        impl Objective for Nan {
            fn dim(&self) -> usize {
                1
            }
            fn value_grad(&self, _: &[f64], _: &mut [f64]) -> f64 {
                f64::NAN
            }
        }
        let fit = minimize(&Nan, &[0.0], &LbfgsOptions::default());
        assert!(!fit.converged);
    }
}
