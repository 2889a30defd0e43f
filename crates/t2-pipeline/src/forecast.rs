//! The forecast check: which checkpoints are held out by default (the most overtrained of each model size, the
//! paper's protocol), and a fit's forecast of them measured beside naive baselines ([`t2_fit::Baseline`]) in
//! the metric the form predicts (the loss, or pass@k). A table's loss need not be −ln pass@k (per-question
//! likelihoods average −ln per question), so a loss form is never judged on pass@k: forms are compared by
//! their error relative to persistence's in their own metric.

use std::collections::{BTreeMap, HashMap};

use t2_core::plan::Metric;
use t2_core::RunTable;
use t2_fit::{Baseline, BaselineError, Forecast, FormFit};

use crate::units::FitUnit;

/// Fewest checkpoints of a size left to fit: a size with fewer than this many plus one holds nothing out.
pub const MIN_FITTED_PER_SIZE: usize = 2;
/// Fewest distinct D of a size and k for the smooth-curve baseline (a quadratic in ln D has 3 coefficients).
pub const SMOOTH_MIN_POINTS: usize = 4;

/// How many of a size's `checkpoints` the default forecast check holds out: round(share × n), leaving at least
/// [`MIN_FITTED_PER_SIZE`] to fit.
pub fn held_per_size(checkpoints: usize, share: f64) -> usize {
    let held = (share * checkpoints as f64).round() as usize;
    held.min(checkpoints.saturating_sub(MIN_FITTED_PER_SIZE))
}

/// The rows of `rows` held out by the default forecast check: for each size N (and task), its checkpoints
/// with the largest D, [`held_per_size`] of them, with all their k rows. Indexed by table row.
pub fn most_overtrained(table: &RunTable, rows: &[usize], share: f64) -> Vec<bool> {
    let mut tokens_of_size: BTreeMap<(String, u64), Vec<f64>> = BTreeMap::new();
    for &i in rows {
        tokens_of_size
            .entry((table.task_of(i).to_string(), table.params[i].to_bits()))
            .or_default()
            .push(table.tokens[i]);
    }
    let mut threshold: HashMap<(String, u64), f64> = HashMap::new();
    for (size, mut tokens) in tokens_of_size {
        tokens.sort_by(f64::total_cmp);
        tokens.dedup();
        let held = held_per_size(tokens.len(), share);
        if held > 0 {
            threshold.insert(size, tokens[tokens.len() - held]);
        }
    }
    let mut heldout = vec![false; table.len()];
    for &i in rows {
        let size = (table.task_of(i).to_string(), table.params[i].to_bits());
        heldout[i] = threshold.get(&size).is_some_and(|&t| table.tokens[i] >= t);
    }
    heldout
}

/// Each table row's observed value of `metric`.
fn observed_metric(table: &RunTable, metric: Metric) -> Option<&[f64]> {
    match metric {
        Metric::PassAtK => table.pass_at_k.as_deref(),
        Metric::Loss => table.loss.as_deref(),
    }
}

fn key(params: f64, tokens: f64, k: f64) -> (u64, u64, u64) {
    (params.to_bits(), tokens.to_bits(), k.to_bits())
}

/// The forecast of `fit`'s held-out predictions against the observed values of `unit` (whose `heldout` marks the
/// rows the fit did not see), with the baselines on the same rows; None when nothing was held out or the table
/// has no metric to compare.
pub fn forecast(fit: &FormFit, unit: &FitUnit, protocol: &str, refit_on_all: bool) -> Option<Forecast> {
    let table = &unit.table;
    let metric = fit.target;
    let observed = observed_metric(table, metric)?;
    let row_of: HashMap<(u64, u64, u64), usize> = (0..table.len())
        .map(|i| (key(table.params[i], table.tokens[i], table.k[i]), i))
        .collect();
    let baselines = Baselines::new(table, &unit.heldout, observed);
    let mut form = Errors::default();
    let mut against: [(Baseline, Errors); 2] = [
        (Baseline::Persistence, Errors::default()),
        (Baseline::SmoothCurve, Errors::default()),
    ];
    let mut checkpoints = std::collections::HashSet::new();
    for p in fit.predictions.iter().filter(|p| p.heldout) {
        let Some(&row) = row_of.get(&key(p.params, p.tokens, p.k)) else {
            continue;
        };
        let obs = observed[row];
        if obs == 0.0 || !obs.is_finite() {
            continue;
        }
        let error = (p.predicted - obs).abs() / obs.abs();
        form.add(error, error);
        checkpoints.insert((p.params.to_bits(), p.tokens.to_bits()));
        for (baseline, errors) in &mut against {
            if let Some(value) = baselines.forecast(*baseline, row) {
                errors.add((value - obs).abs() / obs.abs(), error);
            }
        }
    }
    (form.rows > 0).then(|| Forecast {
        protocol: protocol.to_string(),
        refit_on_all,
        metric,
        rows: form.rows,
        checkpoints: checkpoints.len(),
        error: form.mean(),
        baselines: against
            .iter()
            .filter(|(_, e)| e.rows > 0)
            .map(|(baseline, e)| BaselineError {
                baseline: *baseline,
                rows: e.rows,
                error: e.mean(),
                form_error: e.form_mean(),
            })
            .collect(),
    })
}

/// Running sums of relative errors: a forecaster's, and the form's on the same rows.
#[derive(Default)]
struct Errors {
    rows: usize,
    sum: f64,
    form_sum: f64,
}

impl Errors {
    fn add(&mut self, error: f64, form_error: f64) {
        self.rows += 1;
        self.sum += error;
        self.form_sum += form_error;
    }

    fn mean(&self) -> f64 {
        self.sum / self.rows as f64
    }

    fn form_mean(&self) -> f64 {
        self.form_sum / self.rows as f64
    }
}

/// The baselines' forecasts of every held-out row of a table.
struct Baselines {
    persistence: HashMap<usize, f64>,
    smooth: HashMap<usize, f64>,
}

impl Baselines {
    /// Rows are grouped by (N, k, task): persistence carries the fitted row with the largest D to the held-out
    /// ones; the smooth curve fits a quadratic in ln D to all rows of the group with a finite metric.
    fn new(table: &RunTable, heldout: &[bool], observed: &[f64]) -> Baselines {
        let mut groups: BTreeMap<(u64, u64, &str), Vec<usize>> = BTreeMap::new();
        for i in (0..table.len()).filter(|&i| observed[i].is_finite()) {
            groups
                .entry((table.params[i].to_bits(), table.k[i].to_bits(), table.task_of(i)))
                .or_default()
                .push(i);
        }
        let (mut persistence, mut smooth) = (HashMap::new(), HashMap::new());
        for rows in groups.values() {
            let last_fitted = rows
                .iter()
                .filter(|&&i| !heldout[i])
                .max_by(|&&a, &&b| table.tokens[a].total_cmp(&table.tokens[b]));
            let curve = quadratic_fit(
                &rows.iter().map(|&i| table.tokens[i].ln()).collect::<Vec<_>>(),
                &rows.iter().map(|&i| observed[i]).collect::<Vec<_>>(),
            );
            for &i in rows.iter().filter(|&&i| heldout[i]) {
                if let Some(&last) = last_fitted {
                    persistence.insert(i, observed[last]);
                }
                if let Some(c) = curve {
                    let x = table.tokens[i].ln();
                    smooth.insert(i, c[0] + c[1] * x + c[2] * x * x);
                }
            }
        }
        Baselines { persistence, smooth }
    }

    fn forecast(&self, baseline: Baseline, row: usize) -> Option<f64> {
        match baseline {
            Baseline::Persistence => self.persistence.get(&row).copied(),
            Baseline::SmoothCurve => self.smooth.get(&row).copied(),
        }
    }
}

/// Least-squares coefficients (c0, c1, c2) of y ≈ c0 + c1·x + c2·x², x centred for conditioning internally;
/// None with fewer than [`SMOOTH_MIN_POINTS`] distinct x or a singular system.
fn quadratic_fit(x: &[f64], y: &[f64]) -> Option<[f64; 3]> {
    let mut distinct: Vec<f64> = x.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() < SMOOTH_MIN_POINTS {
        return None;
    }
    let m = x.iter().sum::<f64>() / x.len() as f64;
    let mut a = nalgebra::Matrix3::<f64>::zeros();
    let mut b = nalgebra::Vector3::<f64>::zeros();
    for (&xi, &yi) in x.iter().zip(y) {
        let t = xi - m;
        let v = nalgebra::Vector3::new(1.0, t, t * t);
        a += v * v.transpose();
        b += v * yi;
    }
    let c = a.cholesky()?.solve(&b);
    // Back from t = x − m: c0 + c1·t + c2·t² in powers of x.
    Some([c[0] - c[1] * m + c[2] * m * m, c[1] - 2.0 * c[2] * m, c[2]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use t2_fit::Prediction;

    #[test]
    fn holds_out_the_most_overtrained_share_of_each_size() {
        assert_eq!(held_per_size(35, 0.2), 7);
        assert_eq!(held_per_size(5, 0.2), 1);
        assert_eq!(held_per_size(3, 0.2), 1);
        assert_eq!(held_per_size(2, 0.2), 0);
        assert_eq!(held_per_size(4, 0.9), 2);
        let table = RunTable {
            params: vec![1e6, 1e6, 1e6, 1e6, 1e6, 2e6, 2e6],
            tokens: vec![1e9, 2e9, 3e9, 4e9, 5e9, 1e9, 2e9],
            k: vec![1.0; 7],
            ..Default::default()
        };
        let rows: Vec<usize> = (0..7).collect();
        let held = most_overtrained(&table, &rows, 0.2);
        assert_eq!(held, vec![false, false, false, false, true, false, false]);
    }

    #[test]
    fn quadratic_recovers_a_parabola_and_refuses_three_points() {
        let x: Vec<f64> = (0..6).map(|i| 20.0 + i as f64).collect();
        let y: Vec<f64> = x.iter().map(|x| 1.0 - 0.5 * x + 0.01 * x * x).collect();
        let c = quadratic_fit(&x, &y).unwrap();
        for (xi, yi) in x.iter().zip(&y) {
            assert!((c[0] + c[1] * xi + c[2] * xi * xi - yi).abs() < 1e-9);
        }
        assert!(quadratic_fit(&x[..3], &y[..3]).is_none());
    }

    #[test]
    fn persistence_carries_the_last_fitted_checkpoint_and_the_form_is_measured_on_the_same_rows() {
        // One size, k = 1, pass@k linear in ln D; the last two checkpoints held out.
        let tokens = vec![1e9, 2e9, 3e9, 4e9, 5e9];
        let pass: Vec<f64> = tokens.iter().map(|d: &f64| 0.1 + 0.2 * (d / 1e9).ln()).collect();
        let table = RunTable {
            params: vec![1e6; 5],
            tokens: tokens.clone(),
            k: vec![1.0; 5],
            pass_at_k: Some(pass.clone()),
            ..Default::default()
        };
        let heldout = vec![false, false, false, true, true];
        let unit = FitUnit {
            task: None,
            table: table.clone(),
            heldout: heldout.clone(),
            source: (0..5).map(|i| vec![i]).collect(),
            unmatched: Vec::new(),
        };
        let predictions: Vec<Prediction> = (0..5)
            .map(|i| Prediction {
                params: 1e6,
                tokens: table.tokens[i],
                k: 1.0,
                observed: pass[i],
                predicted: pass[i] * 1.1,
                heldout: heldout[i],
            })
            .collect();
        let mut fit = crate::testing::form_fit(t2_core::ModelParams::Approach2(crate::testing::A2), 1, 0);
        fit.predictions = predictions;
        let f = forecast(&fit, &unit, "test", true).unwrap();
        assert_eq!((f.rows, f.checkpoints, f.metric), (2, 2, Metric::PassAtK));
        assert!((f.error - 0.1).abs() < 1e-12);
        let p = f.baseline(Baseline::Persistence).unwrap();
        // The third checkpoint's value carried to the fourth and fifth.
        let expected = ((pass[3] - pass[2]) / pass[3] + (pass[4] - pass[2]) / pass[4]) / 2.0;
        assert!((p.error - expected).abs() < 1e-12, "{p:?}");
        assert!((p.form_error - 0.1).abs() < 1e-12);
        // A line in ln D is a quadratic in ln D: the smooth curve is exact.
        assert!(f.baseline(Baseline::SmoothCurve).unwrap().error < 1e-9);
    }
}
