//! One local L-BFGS solve through argmin (More-Thuente line search), reporting how it ended.

use argmin::core::{CostFunction, Error, Executor, Gradient, State, TerminationReason, TerminationStatus};
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
    /// True when it stopped on a tolerance (gradient or cost), not on the iteration cap or an error.
    pub converged: bool,
}

struct Problem<'a, O: Objective>(&'a O);

impl<O: Objective> CostFunction for Problem<'_, O> {
    type Param = DVector<f64>;
    type Output = f64;
    fn cost(&self, x: &Self::Param) -> Result<f64, Error> {
        Ok(self.0.value(x.as_slice()))
    }
}

impl<O: Objective> Gradient for Problem<'_, O> {
    type Param = DVector<f64>;
    type Gradient = DVector<f64>;
    fn gradient(&self, x: &Self::Param) -> Result<DVector<f64>, Error> {
        let mut g = DVector::zeros(x.len());
        self.0.value_grad(x.as_slice(), g.as_mut_slice());
        Ok(g)
    }
}

/// Minimise `objective` from `x0` by L-BFGS. Never panics: a solver error (e.g. a line search that cannot
/// make progress in a flat valley) ends the solve at the best point so far, with `converged` set honestly.
pub fn minimize<O: Objective>(objective: &O, x0: &[f64], options: &LbfgsOptions) -> LocalFit {
    let start_cost = objective.value(x0);
    let fallback = |termination: String| {
        let mut g = vec![0.0; x0.len()];
        let cost = objective.value_grad(x0, &mut g);
        LocalFit {
            x: x0.to_vec(),
            cost,
            iterations: 0,
            grad_norm: norm(&g),
            termination,
            converged: false,
        }
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
    let run = Executor::new(Problem(objective), solver)
        .configure(|s| {
            s.param(DVector::from_column_slice(x0))
                .max_iters(options.max_iters)
        })
        .run();
    match run {
        Ok(res) => {
            let state = res.state();
            let x: Vec<f64> = match state.get_best_param() {
                Some(p) => p.as_slice().to_vec(),
                None => return fallback("solver returned no point".into()),
            };
            let mut g = vec![0.0; x.len()];
            let cost = objective.value_grad(&x, &mut g);
            let (termination, converged) = match state.get_termination_status() {
                TerminationStatus::Terminated(reason) => (
                    reason.text().to_string(),
                    matches!(
                        reason,
                        TerminationReason::SolverConverged | TerminationReason::TargetCostReached
                    ),
                ),
                TerminationStatus::NotTerminated => ("not terminated".into(), false),
            };
            LocalFit {
                x,
                cost,
                iterations: state.get_iter(),
                grad_norm: norm(&g),
                termination,
                converged,
            }
        }
        Err(e) => fallback(format!("solver error: {e}")),
    }
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
