//! Levenberg–Marquardt for objectives with a Gauss–Newton model ([`Objective::gauss_newton`]), the sums of
//! squares f(x) = Σ r_i(x)² and Huber's penalty (whose model counts only the rows in its quadratic zone): each
//! step solves (JᵀJ + λ·D)·δ = −Jᵀr with D = diag(JᵀJ) (Marquardt's scaling, so the step does not depend
//! on the parameters' units), accepts it when f falls, and updates λ by Nielsen's rule from the ratio ρ of the
//! actual to the predicted decrease (λ·max(⅓, 1 − (2ρ − 1)³) after a success, λ·ν with ν doubling after each
//! failure). Near the optimum the steps are Gauss–Newton steps, which converge in a handful of iterations
//! where L-BFGS needs tens: the Approach 2 stage-2 fit is such a problem.
//!
//! The stopping rules and the report are L-BFGS's ([`LbfgsOptions`], [`LocalFit`]): converged when ‖∇f‖ ≤
//! `tol_grad` or an accepted step lowers f by less than `tol_cost`, or when no step can lower f any more with
//! ‖∇f‖ ≤ [`STALL_GRAD_RTOL`]·|f| (f is at its rounding level). Besides, MINPACK's relative-reduction test
//! with its tolerance at f's rounding ([`ROUNDING_REDUCTION`]): when a trial step's actual and predicted
//! decreases are both within the rounding of f, no step can lower f measurably and the solve ends (converged
//! under the same gradient condition as a stall). Without it, a warm-started bootstrap refit spent half its
//! evaluations at the end raising the damping step by step to its limit, each rejected trial a full evaluation.

use crate::lbfgs::{LbfgsOptions, LocalFit, STALL_GRAD_RTOL};
use crate::objective::Objective;

/// Initial damping, relative to the largest diagonal entry of JᵀJ.
const INITIAL_DAMPING: f64 = 1e-3;

/// Damping beyond which no step can lower f (relative to the largest diagonal entry of JᵀJ): the solve stops.
const MAX_DAMPING: f64 = 1e16;

/// A decrease of f within ROUNDING_REDUCTION·|f| is within f's rounding (16 ulps): MINPACK's `ftol` at its
/// floor.
pub const ROUNDING_REDUCTION: f64 = 16.0 * f64::EPSILON;

/// Why a solve ended.
#[derive(Clone, Copy)]
enum Stop {
    /// ‖∇f‖ ≤ tol_grad, or an accepted step lowered f by less than tol_cost.
    Tolerance,
    /// The damping reached its limit without a step that lowers f.
    Stalled,
    /// A step's actual and predicted decreases were both within f's rounding.
    Rounding,
    NotFinite,
    IterationCap,
}

/// Minimises `objective` (which must be [`Objective::has_gauss_newton`]) from `x0`. Where its Gauss–Newton
/// model is degenerate (Huber with no row in its quadratic zone has G = 0) it may stall short of the optimum;
/// [`crate::multistart::solve`] then goes on with L-BFGS.
pub fn minimize<O: Objective>(objective: &O, x0: &[f64], options: &LbfgsOptions) -> LocalFit {
    let n = objective.dim();
    let mut x = x0.to_vec();
    let (mut grad, mut jtj) = (vec![0.0; n], vec![0.0; n * n]);
    let mut f = objective.gauss_newton(&x, &mut grad, &mut jtj);
    let finish = |x: Vec<f64>, f: f64, grad: &[f64], iterations: u64, stop: Stop| {
        let grad_norm = norm(grad);
        let converged = f.is_finite()
            && match stop {
                Stop::Tolerance => true,
                Stop::Stalled | Stop::Rounding => {
                    grad_norm <= options.tol_grad.max(STALL_GRAD_RTOL * f.abs())
                }
                Stop::NotFinite | Stop::IterationCap => grad_norm <= options.tol_grad,
            };
        let termination = match stop {
            Stop::Tolerance => "converged",
            Stop::Stalled => "no step lowers f (damping at its limit)",
            Stop::Rounding => "converged (decrease within the rounding of f)",
            Stop::NotFinite => "objective not finite at the start",
            Stop::IterationCap => "iteration cap reached",
        };
        LocalFit {
            x,
            cost: f,
            iterations,
            grad_norm,
            termination: format!("Levenberg-Marquardt: {termination}"),
            converged,
        }
    };
    if !f.is_finite() {
        return finish(x, f, &grad, 0, Stop::NotFinite);
    }
    let scale = |jtj: &[f64]| {
        (0..n)
            .map(|i| jtj[i * n + i])
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE)
    };
    let mut damping = INITIAL_DAMPING * scale(&jtj);
    let mut growth = 2.0;
    let (mut trial_grad, mut trial_jtj) = (vec![0.0; n], vec![0.0; n * n]);
    for iteration in 0..options.max_iters {
        if norm(&grad) <= options.tol_grad {
            return finish(x, f, &grad, iteration, Stop::Tolerance);
        }
        if damping > MAX_DAMPING * scale(&jtj) {
            return finish(x, f, &grad, iteration, Stop::Stalled);
        }
        let Some(step) = damped_step(&jtj, &grad, damping) else {
            damping *= growth;
            growth *= 2.0;
            continue;
        };
        // f(x + δ) ≈ f + ∇fᵀδ + δᵀJᵀJδ for f = rᵀr.
        let quadratic: f64 = (0..n)
            .map(|i| step[i] * (0..n).map(|j| jtj[i * n + j] * step[j]).sum::<f64>())
            .sum();
        let predicted = -(dot(&grad, &step) + quadratic);
        let trial: Vec<f64> = x.iter().zip(&step).map(|(a, b)| a + b).collect();
        let trial_f = objective.gauss_newton(&trial, &mut trial_grad, &mut trial_jtj);
        let rounding = ROUNDING_REDUCTION * f.abs();
        let within_rounding = predicted <= rounding && (f - trial_f).abs() <= rounding;
        if trial_f.is_finite() && trial_f < f {
            let decrease = f - trial_f;
            let rho = if predicted > 0.0 {
                decrease / predicted
            } else {
                0.0
            };
            damping *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
            growth = 2.0;
            x = trial;
            f = trial_f;
            std::mem::swap(&mut grad, &mut trial_grad);
            std::mem::swap(&mut jtj, &mut trial_jtj);
            if decrease < options.tol_cost {
                return finish(x, f, &grad, iteration + 1, Stop::Tolerance);
            }
        } else {
            damping *= growth;
            growth *= 2.0;
        }
        // Accepted or not, a step that f cannot tell from none ends the solve (at the better point).
        if within_rounding {
            return finish(x, f, &grad, iteration + 1, Stop::Rounding);
        }
    }
    finish(x, f, &grad, options.max_iters, Stop::IterationCap)
}

/// δ solving (JᵀJ + λ·D)·δ = −½∇f (= −Jᵀr), D = diag(JᵀJ) with zero entries replaced by 1, by Cholesky; None
/// when the matrix is not positive definite in floating point.
fn damped_step(jtj: &[f64], grad: &[f64], damping: f64) -> Option<Vec<f64>> {
    let n = grad.len();
    let mut m = jtj.to_vec();
    for i in 0..n {
        let d = jtj[i * n + i];
        m[i * n + i] += damping * if d > 0.0 { d } else { 1.0 };
    }
    // In-place Cholesky, m = L·Lᵀ (lower triangle).
    for j in 0..n {
        let mut diagonal = m[j * n + j];
        for k in 0..j {
            diagonal -= m[j * n + k] * m[j * n + k];
        }
        if diagonal.is_nan() || diagonal <= 0.0 {
            return None;
        }
        let pivot = diagonal.sqrt();
        m[j * n + j] = pivot;
        for i in j + 1..n {
            let mut v = m[i * n + j];
            for k in 0..j {
                v -= m[i * n + k] * m[j * n + k];
            }
            m[i * n + j] = v / pivot;
        }
    }
    let mut y: Vec<f64> = grad.iter().map(|g| -0.5 * g).collect();
    for i in 0..n {
        for k in 0..i {
            y[i] -= m[i * n + k] * y[k];
        }
        y[i] /= m[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= m[k * n + i] * y[k];
        }
        y[i] /= m[i * n + i];
    }
    y.iter().all(|v| v.is_finite()).then_some(y)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lbfgs;

    /// A two-parameter sum of squares given by its residuals and their gradients (r_i, ∇r_i):
    /// f = Σ r_i², ∇f = 2·Σ r_i·∇r_i, JᵀJ = Σ ∇r_i·∇r_iᵀ.
    struct SumOfSquares(fn(&[f64]) -> Vec<Residual>);

    /// A residual and its gradient in the two parameters.
    type Residual = (f64, [f64; 2]);

    impl Objective for SumOfSquares {
        fn dim(&self) -> usize {
            2
        }
        fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
            let mut jtj = [0.0; 4];
            self.gauss_newton(x, grad, &mut jtj)
        }
        fn has_gauss_newton(&self) -> bool {
            true
        }
        fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
            let (mut f, mut g, mut h) = (0.0, [0.0; 2], [0.0; 4]);
            for (r, j) in (self.0)(x) {
                f += r * r;
                for a in 0..2 {
                    g[a] += 2.0 * r * j[a];
                    for b in 0..2 {
                        h[a * 2 + b] += j[a] * j[b];
                    }
                }
            }
            grad.copy_from_slice(&g);
            jtj.copy_from_slice(&h);
            f
        }
    }

    /// Rosenbrock as residuals r = (10·(x₁ − x₀²), 1 − x₀): a curved valley, minimum 0 at (1, 1).
    const ROSENBROCK: SumOfSquares = SumOfSquares(|x| {
        vec![
            (10.0 * (x[1] - x[0] * x[0]), [-20.0 * x[0], 10.0]),
            (1.0 - x[0], [-1.0, 0.0]),
        ]
    });

    const T: [f64; 5] = [0.0, 1.0, 2.0, 3.0, 4.0];
    const Y: [f64; 5] = [1.1, 2.9, 5.2, 6.8, 9.3];

    /// A straight line through points that miss it: residuals r_i = y_i − (x₀ + x₁·t_i), minimum f > 0.
    const LINE: SumOfSquares = SumOfSquares(|x| {
        T.iter()
            .zip(Y)
            .map(|(t, y)| (y - (x[0] + x[1] * t), [-1.0, -t]))
            .collect()
    });

    /// From Rosenbrock's classic start it reaches (1, 1) to 1e-10, converged, in fewer iterations than L-BFGS.
    #[test]
    fn solves_rosenbrock_faster_than_lbfgs() {
        let options = LbfgsOptions {
            tol_grad: 1e-12,
            ..Default::default()
        };
        let fit = minimize(&ROSENBROCK, &[-1.2, 1.0], &options);
        assert!(fit.converged, "{fit:?}");
        assert!(
            (fit.x[0] - 1.0).abs() < 1e-10 && (fit.x[1] - 1.0).abs() < 1e-10,
            "{:?}",
            fit.x
        );
        let reference = lbfgs::minimize(&ROSENBROCK, &[-1.2, 1.0], &options);
        assert!(
            fit.iterations < reference.iterations,
            "{} vs {}",
            fit.iterations,
            reference.iterations
        );
    }

    /// Where the minimum is above 0, the gradient never reaches a tight tol_grad: the solve ends when a step's
    /// decrease is within the rounding of f, at the closed-form least-squares line, in a few evaluations (it
    /// used to raise the damping to its limit, a dozen rejected trials).
    #[test]
    fn ends_at_the_rounding_of_a_positive_minimum() {
        let fit = minimize(&LINE, &[0.0, 0.0], &LbfgsOptions::default());
        assert!(fit.converged, "{fit:?}");
        assert!(fit.termination.contains("rounding"), "{}", fit.termination);
        // Ordinary least squares: slope = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², intercept = ȳ − slope·t̄.
        let (t_mean, y_mean) = (2.0, Y.iter().sum::<f64>() / 5.0);
        let slope = T
            .iter()
            .zip(Y)
            .map(|(t, y)| (t - t_mean) * (y - y_mean))
            .sum::<f64>()
            / T.iter().map(|t| (t - t_mean).powi(2)).sum::<f64>();
        let intercept = y_mean - slope * t_mean;
        assert!(
            (fit.x[1] - slope).abs() < 1e-10 && (fit.x[0] - intercept).abs() < 1e-10,
            "{:?}",
            fit.x
        );
        assert!(fit.iterations <= 8, "{} evaluations", fit.iterations);
    }

    /// A start where the objective is not finite is reported, not solved.
    #[test]
    fn a_non_finite_start_is_not_converged() {
        let fit = minimize(&ROSENBROCK, &[f64::NAN, 1.0], &LbfgsOptions::default());
        assert!(!fit.converged);
        assert!(fit.termination.contains("not finite"), "{}", fit.termination);
    }
}
