//! Pieces every form's [`FormFit`](crate::FormFit) is built from: R², per-row predictions, the held-out error,
//! optimiser diagnostics and the bootstrap summary.

use t2_core::ModelParams;

use crate::bootstrap::{covariance, summarize};
use crate::multistart::MultiStartFit;
use crate::report::{BootstrapSummary, Diagnostics, Estimate, Prediction};

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

/// Estimates of one form's parameters `point` (named `names`) and, when refits are given as (draws, level,
/// unit), their percentile intervals, SEs and [`BootstrapSummary`] (None draws are failed refits): `wrap` makes
/// a draw a [`ModelParams`], `values` lists a parameter set's quantities in the order of `names`.
pub fn estimates<P: Copy>(
    names: &[String],
    point: &[f64],
    bootstrap: Option<(&[Option<P>], f64, &str)>,
    wrap: impl Fn(P) -> ModelParams,
    values: impl Fn(&P) -> Vec<f64>,
) -> (Vec<Estimate>, Option<BootstrapSummary>) {
    let Some((draws, level, unit)) = bootstrap else {
        return (summarize(names, point, &[], 0.95), None);
    };
    let good: Vec<P> = draws.iter().flatten().copied().collect();
    let rows: Vec<Vec<f64>> = good.iter().map(values).collect();
    let summary = BootstrapSummary {
        resamples: draws.len(),
        failed: draws.len() - good.len(),
        level,
        unit: unit.to_string(),
        covariance_names: names.to_vec(),
        covariance: covariance(&rows),
        draws: good.into_iter().map(wrap).collect(),
    };
    (summarize(names, point, &rows, level), Some(summary))
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
