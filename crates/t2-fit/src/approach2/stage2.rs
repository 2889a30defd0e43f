//! Stage 2: the Beta regression θ0..θ4, by least squares on pass@k over all rows with L̂ from stage 1:
//! Σ_i w_i·(P(L̂_i, k_i; θ) − y_i)², P = 1 − B(a, b + k)/B(a, b), a = μν, b = (1 − μ)ν,
//! μ = θ2/(1 + e^{θ1(L̂ − θ0)}), ν = e^{θ3 + θ4·L̂}.
//!
//! Constraints (through [`Reparam`]): θ1 > 0 (θ1 = e^z, accuracy falls as the loss rises) and θ2 ∈ (0, 1)
//! (θ2 = σ(z), a cap on the mean accuracy); θ0, θ3, θ4 free.
//!
//! Starts: first a sigmoid fit of pass@1 against L̂ (pass@1 = μ does not depend on ν, so this is the same
//! objective on the k = 1 rows with θ3, θ4 held; rows at the smallest k stand in when there is no k = 1), from a
//! grid over θ0 (quantiles of L̂ and beyond), θ1 and θ2. Then a grid around it: 5 perturbations of (θ0, θ1) ×
//! θ4·range(L̂) ∈ `slope_grid` × ν at the median L̂ ∈ `nu_grid` (θ3 = ln ν − θ4·median L̂).

use std::ops::Range;

use t2_core::{Approach2Params, ChinchillaParams, Form, RunTable};

use super::data::Row;
use crate::formfit::{diagnostics, r_squared};
use crate::lbfgs::LbfgsOptions;
use crate::multistart::{guarded, multistart, multistart_with, Screen};
use crate::objective::{GaussNewtonMatrix, Objective};
use crate::reparam::{Constraint, Reparam};
use crate::report::Diagnostics;
use crate::FitError;

/// Names of θ0..θ4 in reports.
pub const THETA_NAMES: [&str; 5] = ["theta0", "theta1", "theta2", "theta3", "theta4"];

/// θ1 > 0, θ2 ∈ (0, 1).
pub const CONSTRAINTS: [Constraint; 5] = [
    Constraint::Free,
    Constraint::Lower(0.0),
    Constraint::Interval(0.0, 1.0),
    Constraint::Free,
    Constraint::Free,
];

/// Stage 2 rows: L̂ from stage 1, k, observed pass@k and weight; `groups` are the runs of consecutive rows
/// with the same L̂ (one checkpoint's k), evaluated together.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage2Rows {
    /// L̂ of each row, from the stage-1 law.
    pub loss_hat: Vec<f64>,
    /// k of each row.
    pub k: Vec<f64>,
    /// Observed pass@k of each row.
    pub pass: Vec<f64>,
    /// Each row's weight.
    pub weight: Vec<f64>,
    /// Runs of rows with equal L̂ (one checkpoint's k grid).
    pub groups: Vec<Range<usize>>,
}

/// The runs of consecutive equal values of `loss_hat`.
fn runs(loss_hat: &[f64]) -> Vec<Range<usize>> {
    let mut groups: Vec<Range<usize>> = Vec::new();
    for (i, l) in loss_hat.iter().enumerate() {
        match groups.last_mut() {
            Some(last) if loss_hat[last.start].to_bits() == l.to_bits() => last.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    groups
}

impl Stage2Rows {
    /// The rows of `table` with L̂ = `law`(N, D).
    pub fn new(table: &RunTable, rows: &[Row], law: &ChinchillaParams) -> Stage2Rows {
        let pass = table.pass_at_k.as_deref().unwrap_or(&[]);
        let loss_hat: Vec<f64> = rows
            .iter()
            .map(|r| law.loss(table.params[r.index], table.tokens[r.index]))
            .collect();
        Stage2Rows {
            groups: runs(&loss_hat),
            loss_hat,
            k: rows.iter().map(|r| table.k[r.index]).collect(),
            pass: rows
                .iter()
                .map(|r| pass.get(r.index).copied().unwrap_or(f64::NAN))
                .collect(),
            weight: rows.iter().map(|r| r.weight).collect(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.k.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.k.is_empty()
    }

    /// The rows at the smallest k (k = 1 when present), for the sigmoid seed.
    pub fn at_smallest_k(&self) -> Stage2Rows {
        let k_min = self.k.iter().copied().fold(f64::INFINITY, f64::min);
        let keep: Vec<usize> = (0..self.len()).filter(|&i| self.k[i] == k_min).collect();
        let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let loss_hat = pick(&self.loss_hat);
        Stage2Rows {
            groups: runs(&loss_hat),
            loss_hat,
            k: pick(&self.k),
            pass: pick(&self.pass),
            weight: pick(&self.weight),
        }
    }
}

/// Σ_i w_i·(P_i(θ) − y_i)² over x = θ (in model units; wrap in [`Reparam`] with [`CONSTRAINTS`]), with the
/// analytic gradient Σ_i 2w_i·(P_i − y_i)·∂P_i/∂θ ([`Approach2Params::pass_at_k_theta_gradients`], one
/// checkpoint's rows at a time).
pub struct BetaRegressionObjective<'a> {
    /// The stage-1 loss law.
    pub law: ChinchillaParams,
    /// The rows fitted.
    pub rows: &'a Stage2Rows,
}

impl Objective for BetaRegressionObjective<'_> {
    fn dim(&self) -> usize {
        5
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.accumulate(x, grad, None)
    }

    fn has_gauss_newton(&self) -> bool {
        true
    }

    fn gauss_newton(&self, x: &[f64], grad: &mut [f64], jtj: &mut [f64]) -> f64 {
        self.accumulate(x, grad, Some(jtj))
    }
}

impl BetaRegressionObjective<'_> {
    /// f, ∇f and, when asked, JᵀJ = Σ_i w_i·∇P_i·∇P_iᵀ (the residuals are √w_i·(P_i − y_i)); +∞ where not finite.
    fn accumulate(&self, x: &[f64], grad: &mut [f64], jtj: Option<&mut [f64]>) -> f64 {
        let model = Approach2Params {
            loss: self.law,
            theta: [x[0], x[1], x[2], x[3], x[4]],
        };
        let rows = self.rows;
        let mut total = 0.0;
        let mut g = [0.0; 5];
        let mut h = GaussNewtonMatrix::<5>::default();
        for group in &rows.groups {
            let start = group.start;
            model.pass_at_k_theta_gradients(rows.loss_hat[start], &rows.k[group.clone()], |j, p, dp| {
                let i = start + j;
                let (w, r) = (rows.weight[i], p - rows.pass[i]);
                total += w * r * r;
                for a in 0..5 {
                    g[a] += 2.0 * w * r * dp[a];
                }
                if jtj.is_some() {
                    h.add(w, &dp);
                }
            });
        }
        grad.copy_from_slice(&g);
        if let Some(jtj) = jtj {
            h.write(1.0, jtj);
        }
        if total.is_finite() && g.iter().all(|v| v.is_finite()) && h.is_finite() {
            total
        } else {
            f64::INFINITY
        }
    }
}

/// Where stage 2 starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage2Design<'a> {
    /// ν at the median L̂ of the starts.
    pub nu_grid: &'a [f64],
    /// θ4 × (range of L̂) of the starts.
    pub slope_grid: &'a [f64],
    /// Screening of the full fit's design (a refit is guarded instead).
    pub screen: Option<Screen>,
}

/// The fitted θ and how the search ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage2Fit {
    /// The fitted θ.
    pub theta: [f64; 5],
    /// (θ0, θ1, θ2) of the sigmoid fit of pass@1 that seeded the starts (the warm θ in a refit).
    pub sigmoid_seed: [f64; 3],
    /// Weighted SSE at the optimum.
    pub sse: f64,
    /// In a refit, whether a design start found a better basin than the warm θ.
    pub guard_won: bool,
    /// Distinct rows used (a bootstrap's repeats are in the weights).
    pub rows_used: usize,
    /// R² of the predicted pass@k (unweighted).
    pub r_squared: f64,
    /// How the solver ended.
    pub diagnostics: Diagnostics,
}

/// Median and range (max − min, at least 1e-6) of L̂.
fn loss_scale(rows: &Stage2Rows) -> (f64, f64) {
    let mut sorted = rows.loss_hat.clone();
    sorted.sort_by(f64::total_cmp);
    let range = (sorted[sorted.len() - 1] - sorted[0]).max(1e-6);
    (sorted[sorted.len() / 2], range)
}

/// Fits the sigmoid μ(L̂) = θ2/(1 + e^{θ1(L̂ − θ0)}) to pass@k at the smallest k: θ0 ∈ {min − R/2, quartiles,
/// max + R/2} of L̂ (R its range), θ1 ∈ {0.5, 2, 8, 32}/R, θ2 ∈ {min(0.99, 1.5·max y + 1e-3), 0.99}.
fn sigmoid_seed(law: ChinchillaParams, rows: &Stage2Rows, lbfgs: &LbfgsOptions) -> [f64; 3] {
    let first = rows.at_smallest_k();
    let mut sorted = first.loss_hat.clone();
    sorted.sort_by(f64::total_cmp);
    let quantile = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let range = (quantile(1.0) - quantile(0.0)).max(1e-6);
    let max_pass = first.pass.iter().copied().fold(0.0, f64::max);
    let mut starts = Vec::new();
    for t0 in [
        quantile(0.0) - 0.5 * range,
        quantile(0.0),
        quantile(0.25),
        quantile(0.5),
        quantile(0.75),
        quantile(1.0),
        quantile(1.0) + 0.5 * range,
    ] {
        for t1 in [0.5, 2.0, 8.0, 32.0] {
            for t2 in [(1.5 * max_pass + 1e-3).min(0.99), 0.99] {
                starts.push([t0, t1 / range, t2, 0.0, 0.0]);
            }
        }
    }
    let objective = BetaRegressionObjective { law, rows: &first };
    let mut constraints = CONSTRAINTS;
    constraints[3] = Constraint::Pinned(0.0);
    constraints[4] = Constraint::Pinned(0.0);
    let constrained = Reparam::new(&objective, &constraints);
    let free: Vec<Vec<f64>> = starts.iter().map(|x| constrained.to_free(x)).collect();
    let search = multistart(&constrained, &free, lbfgs);
    let x = constrained.to_model(&search.best.x);
    [x[0], x[1], x[2]]
}

/// The start grid around a seed (θ0, θ1, θ2): (θ0, θ1·f) for (Δθ0, f) ∈ {(0, 1), (0, ½), (0, 2), (+R/10, 1),
/// (−R/10, 1)}, × θ4 = s/R for s in `slope_grid` × θ3 = ln ν − θ4·median L̂ for ν in `nu_grid`.
pub fn design(seed: [f64; 3], rows: &Stage2Rows, grid: &Stage2Design) -> Vec<Vec<f64>> {
    let (median, range) = loss_scale(rows);
    let [t0, t1, t2] = seed;
    let mut starts = Vec::new();
    for (shift, factor) in [(0.0, 1.0), (0.0, 0.5), (0.0, 2.0), (0.1, 1.0), (-0.1, 1.0)] {
        for &slope in grid.slope_grid {
            for &nu in grid.nu_grid {
                let t4 = slope / range;
                starts.push(vec![
                    t0 + shift * range,
                    t1 * factor,
                    t2,
                    nu.ln() - t4 * median,
                    t4,
                ]);
            }
        }
    }
    starts
}

/// Fits θ on `rows` (L̂ from `law`). Full fit: the sigmoid seed and the full [`design`], screened as `grid`
/// says; refit (`warm` given): the warm θ, guarded ([`guarded`]) by `refit_starts` starts spread evenly over the
/// design seeded by the warm (θ0, θ1, θ2).
pub fn fit_stage2(
    law: ChinchillaParams,
    rows: &Stage2Rows,
    grid: &Stage2Design,
    lbfgs: &LbfgsOptions,
    warm: Option<([f64; 5], usize)>,
) -> Result<Stage2Fit, FitError> {
    let objective = BetaRegressionObjective { law, rows };
    let constrained = Reparam::new(&objective, &CONSTRAINTS);
    let free =
        |starts: &[Vec<f64>]| -> Vec<Vec<f64>> { starts.iter().map(|x| constrained.to_free(x)).collect() };
    let (seed, search, guard_won) = match warm {
        None => {
            let seed = sigmoid_seed(law, rows, lbfgs);
            let starts = design(seed, rows, grid);
            if starts.is_empty() {
                return Err(FitError::BadOptions {
                    what: "Approach 2 stage 2",
                    message: "an empty start grid (nu_grid, slope_grid)".into(),
                });
            }
            (
                seed,
                multistart_with(&constrained, &free(&starts), lbfgs, grid.screen),
                false,
            )
        }
        Some((theta, refit_starts)) => {
            let seed = [theta[0], theta[1], theta[2]];
            let full = design(seed, rows, grid);
            let stride = (full.len() / refit_starts.max(1)).max(1);
            let guard: Vec<Vec<f64>> = full
                .into_iter()
                .step_by(stride)
                .skip(1)
                .take(refit_starts)
                .collect();
            let outcome = guarded(&constrained, &constrained.to_free(&theta), &free(&guard), lbfgs);
            (seed, outcome.search, outcome.guard_won)
        }
    };
    if !search.best.cost.is_finite() {
        return Err(FitError::NotFinite {
            form: Form::Approach2,
            stage: "stage 2 pass@k",
        });
    }
    let x = constrained.to_model(&search.best.x);
    let theta = [x[0], x[1], x[2], x[3], x[4]];
    let model = Approach2Params { loss: law, theta };
    let predicted: Vec<f64> = (0..rows.len())
        .map(|i| model.pass_at_k_at_loss(rows.loss_hat[i], rows.k[i]))
        .collect();
    let at_bound = constrained
        .at_bound(&x)
        .into_iter()
        .map(|i| THETA_NAMES[i].to_string())
        .collect();
    Ok(Stage2Fit {
        theta,
        sigmoid_seed: seed,
        sse: search.best.cost,
        guard_won,
        rows_used: rows.len(),
        r_squared: r_squared(&rows.pass, &predicted),
        diagnostics: diagnostics(&search, at_bound),
    })
}
