//! The per-checkpoint floor of sampled per-problem input: each checkpoint's own Beta-binomial
//! ([`t2_fit::beta_binomial`]), the best any law of the Beta family can do there, and each form's error in
//! −ln pass@k beside the floor's on the same rows.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use t2_core::plan::Metric;
use t2_core::real;
use t2_fit::beta_binomial;
use t2_fit::trust::FloorComparison;
use t2_fit::FormFit;
use t2_ingest::Ingested;

/// One checkpoint's fitted Beta(a, b) of per-problem success rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointFloor {
    /// N of the checkpoint.
    pub params: f64,
    /// D of the checkpoint.
    pub tokens: f64,
    /// Its task.
    pub task: Option<String>,
    /// Problems the Beta was fitted to.
    pub problems: usize,
    #[serde(with = "real")]
    /// Beta shape a (successes).
    pub a: f64,
    #[serde(with = "real")]
    /// Beta shape b (failures).
    pub b: f64,
}

impl CheckpointFloor {
    /// The floor's pass@k: 1 − B(a, b + k)/B(a, b).
    pub fn pass_at_k(&self, k: f64) -> f64 {
        t2_core::special::beta_pass_at_k(self.a, self.b, k)
    }

    fn is(&self, params: f64, tokens: f64, task: Option<&str>) -> bool {
        self.params == params && self.tokens == tokens && self.task.as_deref() == task
    }
}

/// The floor of every checkpoint of sampled input (none for other inputs), fitted in parallel.
pub fn checkpoint_floors(ingested: &Ingested) -> Vec<CheckpointFloor> {
    ingested
        .problem_counts
        .par_iter()
        .filter_map(|c| {
            let fit = beta_binomial::fit(&c.counts)?;
            Some(CheckpointFloor {
                params: c.params,
                tokens: c.tokens,
                task: c.task.clone(),
                problems: c.counts.iter().map(|x| x.2).sum::<f64>() as usize,
                a: fit.a,
                b: fit.b,
            })
        })
        .collect()
}

/// The form's RMSE in −ln pass@k on its fitted rows with a floor and pass@k > 0, beside the floor's RMSE on
/// the same rows; None when no fitted row has a floor (a run table, or the macro average).
pub fn compare(floors: &[CheckpointFloor], fit: &FormFit) -> Option<FloorComparison> {
    if floors.is_empty() {
        return None;
    }
    let task = fit.task.as_deref();
    let (mut form, mut floor, mut rows) = (0.0, 0.0, 0usize);
    for p in fit.predictions.iter().filter(|p| !p.heldout) {
        // −ln pass@k observed and predicted: the loss forms predict it directly, Approach 2 predicts pass@k.
        let (observed, predicted) = match fit.target {
            Metric::Loss => (p.observed, p.predicted),
            Metric::PassAtK => (-p.observed.ln(), -p.predicted.ln()),
        };
        if !observed.is_finite() {
            continue;
        }
        let Some(f) = floors.iter().find(|f| f.is(p.params, p.tokens, task)) else {
            continue;
        };
        // A checkpoint whose floor puts pass@k at 0 (almost no correct sample) has no finite floor there.
        let floor_loss = -f.pass_at_k(p.k).ln();
        if !(floor_loss.is_finite() && predicted.is_finite()) {
            continue;
        }
        form += (predicted - observed).powi(2);
        floor += (floor_loss - observed).powi(2);
        rows += 1;
    }
    (rows > 0).then(|| FloorComparison {
        rows,
        floor_rmse: (floor / rows as f64).sqrt(),
        form_rmse: (form / rows as f64).sqrt(),
    })
}
