//! Pieces every form's [`FormFit`](crate::FormFit) is built from: R², per-row predictions, the held-out error,
//! optimiser diagnostics and the bootstrap summary.

use t2_core::ModelParams;

use crate::bootstrap::{covariance, summarize};
use crate::form::Draws;
use crate::multistart::MultiStartFit;
use crate::report::{BootstrapSummary, Diagnostics, Estimate, Prediction, Quantity};

/// A positive scale parameter below this fraction of the smallest fitted loss is reported as at its bound 0:
/// in loss units (E, G) it has run off towards 0 in log space. A millionth of the smallest loss changes no
/// prediction by more than 1e-6 relative, far below the precision of any measured loss, so the optimiser is
/// free to stop anywhere below it along that flat direction (on Pythia GSM8K Approach 1's E has ended at 1e-10
/// and at 2.4e-9 for inputs equal to 1e-15): the bound is what the data say, not the end point.
pub const VANISHING: f64 = 1e-6;

/// "E -> 0 (below 1e-6 of the smallest loss)" when `value` < [`VANISHING`]·`min_loss`.
pub fn vanishing(name: &str, value: f64, min_loss: f64) -> Option<String> {
    (value < VANISHING * min_loss).then(|| format!("{name} -> 0 (below {VANISHING:e} of the smallest loss)"))
}

/// Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (NaN for fewer than 2 values or constant y).
pub fn r_squared(observed: &[f64], predicted: &[f64]) -> f64 {
    let n = observed.len() as f64;
    let mean = observed.iter().sum::<f64>() / n;
    let total: f64 = observed.iter().map(|y| (y - mean).powi(2)).sum();
    let residual: f64 = observed.iter().zip(predicted).map(|(y, p)| (y - p).powi(2)).sum();
    if observed.len() < 2 || total == 0.0 {
        return f64::NAN;
    }
    1.0 - residual / total
}

/// Observed against predicted for `rows` of a table (`observed[i]`, `predicted(i)` for row i), marked held out
/// or not.
fn predictions(
    table: &t2_core::RunTable,
    rows: &[usize],
    observed: &[f64],
    predicted: impl Fn(usize) -> f64,
    heldout: bool,
) -> Vec<Prediction> {
    rows.iter()
        .map(|&i| Prediction {
            params: table.params[i],
            tokens: table.tokens[i],
            k: table.k[i],
            observed: observed[i],
            predicted: predicted(i),
            heldout,
        })
        .collect()
}

/// Observed against predicted for the `train` rows, then for the `heldout` rows marked held out (`observed[i]`,
/// `predicted(i)` for table row i).
pub fn train_and_heldout_predictions(
    table: &t2_core::RunTable,
    train: &[usize],
    heldout: &[usize],
    observed: &[f64],
    predicted: impl Fn(usize) -> f64,
) -> Vec<Prediction> {
    let mut rows = predictions(table, train, observed, &predicted, false);
    rows.extend(predictions(table, heldout, observed, &predicted, true));
    rows
}

/// Mean relative absolute error Σ|pred − obs| / |obs| / n over the held-out predictions (rows with obs = 0 are
/// skipped); None when there are none.
pub fn heldout_relative_error(predictions: &[Prediction]) -> Option<f64> {
    let errors: Vec<f64> = predictions
        .iter()
        .filter(|p| p.heldout && p.observed != 0.0)
        .map(|p| (p.predicted - p.observed).abs() / p.observed.abs())
        .collect();
    (!errors.is_empty()).then(|| errors.iter().sum::<f64>() / errors.len() as f64)
}

/// Diagnostics of a multi-start search; `at_bound` names parameters that ended on a bound.
pub fn diagnostics(search: &MultiStartFit, at_bound: Vec<String>) -> Diagnostics {
    Diagnostics {
        starts: search.starts,
        starts_at_best: search.starts_at_best,
        starts_converged: search.starts_converged,
        iterations: search.best.iterations,
        grad_norm: search.best.grad_norm,
        termination: search.best.termination.clone(),
        converged: search.best.converged,
        at_bound,
    }
}

/// Estimates of one form's quantities `point` (described by `quantities`) and, when refits are given, their
/// percentile intervals, spreads and [`BootstrapSummary`] (None draws are failed refits): `wrap` makes a draw a
/// [`ModelParams`], `values` lists a parameter set's quantities in the order of `quantities`, `on_bound` says
/// whether a draw has a parameter on a bound.
pub fn estimates<P: Copy>(
    quantities: &[Quantity],
    point: &[f64],
    draws: Option<Draws<P>>,
    wrap: impl Fn(P) -> ModelParams,
    values: impl Fn(&P) -> Vec<f64>,
    on_bound: impl Fn(&P) -> bool,
) -> (Vec<Estimate>, Option<BootstrapSummary>) {
    let Some(draws) = draws else {
        return (summarize(quantities, point, &[], 0.95), None);
    };
    let good: Vec<P> = draws.draws.iter().flatten().copied().collect();
    let rows: Vec<Vec<f64>> = good.iter().map(values).collect();
    let level = draws.options.level();
    let summary = BootstrapSummary {
        resamples: draws.draws.len(),
        failed: draws.draws.len() - good.len(),
        draws_at_bound: good.iter().filter(|p| on_bound(p)).count(),
        guard_won: draws.guard_won,
        level,
        unit: draws.unit.to_string(),
        covariance_names: quantities.iter().map(|q| q.name.clone()).collect(),
        covariance: covariance(&rows),
        draws: good.into_iter().map(wrap).collect(),
    };
    (summarize(quantities, point, &rows, level), Some(summary))
}

/// The smallest of `values` at `rows` (e.g. the smallest fitted loss, for bounds relative to the data: E → 0).
pub fn smallest(values: &[f64], rows: &[usize]) -> f64 {
    rows.iter().map(|&i| values[i]).fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_squared_and_relative_error() {
        assert!((r_squared(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-15);
        // Σ res² = 0.5, Σ tot² = 2 → R² = 0.75.
        assert!((r_squared(&[1.0, 2.0, 3.0], &[1.5, 2.0, 2.5]) - 0.75).abs() < 1e-15);
        let p = |obs: f64, pred: f64, heldout: bool| Prediction {
            params: 1.0,
            tokens: 1.0,
            k: 1.0,
            observed: obs,
            predicted: pred,
            heldout,
        };
        let preds = [p(2.0, 2.2, true), p(1.0, 0.9, true), p(5.0, 0.0, false)];
        assert!((heldout_relative_error(&preds).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(heldout_relative_error(&preds[2..]), None);
    }
}
