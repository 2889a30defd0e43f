//! What to train next: the runs that would shrink the uncertainty of a planned quantity most per FLOP.
//!
//! From a fit's local information ([`local`]): the delta-method variance of the quantity (ln N*, ln D*/N*,
//! ln k* or the metric) at a target budget, and for each candidate run (N, D), evaluated at the sweep's k grid,
//! how much its rows would shrink it: for a batch of at most R runs, the shrinkage itself (each run taking at
//! least half its share of the budget left); without a limit on the runs, the shrinkage per FLOP. The
//! simulation study chose each for its regime ([`study`]; per FLOP loses to random runs under a batch limit,
//! per run loses without one). Runs are chosen greedily, each pick conditioning the next, until the
//! budget for new runs is spent ([`advise`]). The delta-method band is set beside the bootstrap band of the same
//! quantity: where they disagree by more than [`LOCAL_BAND_RATIO`], the advice is local and may mislead, and
//! says so. [`study`] validates the method on simulated sweeps with known truth.

mod candidates;
pub mod figure;
mod local;
pub mod output;
pub(crate) mod section;
pub mod study;

use serde::{Deserialize, Serialize};
use t2_core::plan::Budget;
use t2_core::{Form, ModelParams};
use t2_fit::bootstrap::quantile_sorted;
use t2_fit::FormFit;

pub use candidates::{candidate_grid, DataRange, EXTEND_PARAMS, EXTEND_TOKENS_PER_PARAM};

use crate::error::Error;

t2_core::vocabulary! {
    /// The planned quantity whose uncertainty the new runs should shrink.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Quantity as "quantity" {
        /// N*, on a log scale.
        NStar => "n-star",
        /// D*/N*, on a log scale.
        TokensPerParam => "tokens-per-param",
        /// k*, on a log scale.
        KStar => "k-star",
        /// The predicted metric at the optimum.
        Metric => "metric",
    }
}

impl Quantity {
    /// Whether the quantity is judged on a log scale (its band a factor).
    pub fn is_log(self) -> bool {
        !matches!(self, Quantity::Metric)
    }
}

/// The delta-method band may differ from the bootstrap band by this factor (either way) before the advice is
/// called local: a factor 2 in width is where the quadratic picture of the objective has clearly failed.
pub const LOCAL_BAND_RATIO: f64 = 2.0;
/// A pick must shrink the quantity's variance by at least this share, else the greedy choice stops.
const MIN_GAIN: f64 = 1e-4;

/// What to advise on.
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceRequest {
    /// Training compute for all new runs together, FLOPs.
    pub budget: f64,
    /// Largest training compute of one new run (None: the whole budget).
    pub max_run_flops: Option<f64>,
    /// The plan's budget at which the quantity is judged.
    pub target: Budget,
    /// The quantity.
    pub quantity: Quantity,
    /// Runs to choose among, (N, D); None: [`candidate_grid`] over the fit's data.
    pub candidates: Option<Vec<(f64, f64)>>,
    /// Most runs to train (a batch, [`crate::defaults::DESIGN_MAX_RUNS`] by default); None: no limit.
    pub max_runs: Option<usize>,
}

/// A design request as the front ends state it (`t2 design`'s flags, Python's `Fit.design` keywords).
#[derive(Debug, Clone, PartialEq)]
pub struct DesignChoices {
    /// Training compute for all new runs, FLOPs.
    pub budget: f64,
    /// Most runs; 0: any number.
    pub max_runs: usize,
    /// Largest training compute of one run.
    pub max_run_flops: Option<f64>,
    /// C_train of the plan the runs should inform.
    pub target_train_flops: f64,
    /// C_inf per query of that plan.
    pub inference_flops: f64,
    /// The quantity.
    pub quantity: Quantity,
    /// A CSV of candidate runs (params, tokens).
    pub candidates: Option<std::path::PathBuf>,
}

impl DesignChoices {
    /// The checked request.
    ///
    /// # Errors
    ///
    /// [`Error::Option`] naming the setting at fault; the candidates file's errors.
    pub fn request(&self) -> Result<AdviceRequest, Error> {
        use crate::setting::Setting;
        let positive = |setting: Setting, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::option(
                    setting,
                    format!("{v} must be a positive number of FLOPs"),
                ))
            }
        };
        positive(Setting::DesignBudget, self.budget)?;
        if let Some(cap) = self.max_run_flops {
            positive(Setting::MaxRunFlops, cap)?;
        }
        let target = Budget::new(self.target_train_flops, self.inference_flops).map_err(|e| {
            let setting = if self.target_train_flops.is_finite() && self.target_train_flops > 6.0 {
                Setting::InferenceFlops
            } else {
                Setting::TargetTrainFlops
            };
            Error::option(setting, e.to_string())
        })?;
        Ok(AdviceRequest {
            budget: self.budget,
            max_run_flops: self.max_run_flops,
            target,
            quantity: self.quantity,
            candidates: self
                .candidates
                .as_deref()
                .map(output::read_candidates)
                .transpose()?,
            max_runs: Some(self.max_runs).filter(|&m| m > 0),
        })
    }
}

/// One run to train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    /// N.
    pub params: f64,
    /// D.
    pub tokens: f64,
    /// D/N.
    pub tokens_per_param: f64,
    /// 6ND.
    pub train_flops: f64,
    /// The fit's predicted metric for the run at k = 1.
    pub predicted: f64,
    /// The quantity's delta-method standard deviation before and after this pick (log scale for N*, D*/N*, k*).
    pub sd_before: f64,
    /// …
    pub sd_after: f64,
    /// Share of the budget for new runs this run spends.
    pub budget_share: f64,
    /// Why, in words ("extends D/N past the data's 500; identifies β").
    pub reason: String,
}

/// The advice for one fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// The form.
    pub form: Form,
    /// Its task.
    pub task: Option<String>,
    /// The quantity.
    pub quantity: Quantity,
    /// The target budget.
    pub target: Budget,
    /// The quantity's value at the fit's parameters (ln for a log quantity).
    pub value: f64,
    /// Its delta-method standard deviation now and after all picks.
    pub sd_now: f64,
    /// …
    pub sd_after: f64,
    /// The bootstrap band of the quantity (the fit's draws), and its ratio to the delta-method band of the same
    /// level (None without draws).
    pub bootstrap_band: Option<(f64, f64)>,
    /// …
    pub band_ratio: Option<f64>,
    /// Set when the two bands disagree by more than [`LOCAL_BAND_RATIO`].
    pub warning: Option<String>,
    /// The runs, in the order chosen.
    pub picks: Vec<Pick>,
    /// Training compute of the picks.
    pub spent: f64,
    /// Candidates considered.
    pub candidates: usize,
}

/// The fit's residual variance on its fitted rows, n − p degrees of freedom.
fn residual_variance(fit: &FormFit, p: usize) -> Option<f64> {
    let residuals: Vec<f64> = fit
        .predictions
        .iter()
        .filter(|r| !r.heldout && r.observed.is_finite() && r.predicted.is_finite())
        .map(|r| r.observed - r.predicted)
        .collect();
    let dof = residuals.len().checked_sub(p).filter(|&d| d > 0)?;
    let s2 = residuals.iter().map(|r| r * r).sum::<f64>() / dof as f64;
    (s2 > 0.0 && s2.is_finite()).then_some(s2)
}

/// The k values a new run is evaluated at: the fit's own (1 for Chinchilla).
fn k_grid(fit: &FormFit) -> Vec<f64> {
    let mut ks: Vec<f64> = fit.predictions.iter().map(|r| r.k).collect();
    ks.sort_by(f64::total_cmp);
    ks.dedup();
    ks
}

/// The bootstrap band of the quantity at the target, from the fit's draws.
fn bootstrap_band(fit: &FormFit, request: &AdviceRequest) -> Option<(f64, f64, f64)> {
    let boot = fit.bootstrap.as_ref().filter(|b| !b.draws.is_empty())?;
    let mut values: Vec<f64> = boot
        .draws
        .iter()
        .filter_map(|d| local::quantity(d, request.target, request.quantity))
        .collect();
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let level = boot.level;
    Some((
        quantile_sorted(&values, (1.0 - level) / 2.0),
        quantile_sorted(&values, (1.0 + level) / 2.0),
        level,
    ))
}

/// The standard normal quantile at `p` (Acklam's rational approximation, relative error below 1.2e-9).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Advises the runs to train next for one fit (see the module).
///
/// # Errors
///
/// [`Error::Request`] when the form is the chained one (its loss law is fitted to pretraining losses, not to the
/// rows a new run would add), the fit has too few rows for its parameters, the quantity is not finite at the
/// target, or the budget buys no candidate.
pub fn advise(fit: &FormFit, request: &AdviceRequest) -> Result<Advice, Error> {
    let refuse = Error::Request;
    if fit.form == Form::Chained {
        return Err(refuse(
            "the chained form's loss law is fitted to pretraining losses; advise on approach2".into(),
        ));
    }
    if !(request.budget.is_finite() && request.budget > 0.0) {
        return Err(Error::option(
            crate::setting::Setting::Budgets,
            format!(
                "the budget for new runs {} must be a positive number of FLOPs",
                request.budget
            ),
        ));
    }
    let params: ModelParams = fit.params;
    let p = params.values().len();
    let sigma2 = residual_variance(fit, p)
        .ok_or_else(|| refuse("too few fitted rows to judge the residuals".into()))?;
    let value = local::quantity(&params, request.target, request.quantity).ok_or_else(|| {
        refuse(format!(
            "{} is not finite at {}",
            request.quantity.name(),
            request.target
        ))
    })?;
    let gradient = local::gradient(&params, request.target, request.quantity).ok_or_else(|| {
        refuse(format!(
            "{}'s gradient is not finite at {}",
            request.quantity.name(),
            request.target
        ))
    })?;
    let fitted: Vec<Vec<f64>> = fit
        .predictions
        .iter()
        .filter(|r| !r.heldout)
        .map(|r| local::jacobian_row(&params, r.params, r.tokens, r.k))
        .collect();
    let mut info = local::information(&fitted, p, sigma2);
    let var_now = local::variance(&info, &gradient)
        .ok_or_else(|| refuse("the information matrix is not finite".into()))?;
    let ks = k_grid(fit);
    let range = DataRange::of(fit);
    let cap = request
        .max_run_flops
        .unwrap_or(request.budget)
        .min(request.budget);
    let pool: Vec<(f64, f64)> = request
        .candidates
        .clone()
        .unwrap_or_else(|| candidate_grid(&range));
    let mut open: Vec<(f64, f64, Vec<Vec<f64>>)> = pool
        .iter()
        .filter(|&&(n, d)| 6.0 * n * d <= cap)
        .map(|&(n, d)| {
            (
                n,
                d,
                ks.iter()
                    .map(|&k| local::jacobian_row(&params, n, d, k))
                    .collect(),
            )
        })
        .collect();
    let candidates = open.len();
    if candidates == 0 {
        return Err(refuse(format!("no candidate run fits in {:.3e} FLOPs", cap)));
    }
    let names = ModelParams::names(fit.form);
    let mut picks = Vec::new();
    let (mut var, mut spent) = (var_now, 0.0);
    while request.max_runs.is_none_or(|m| picks.len() < m) {
        let left = request.budget - spent;
        // A batch of at most R runs: each takes at least half its share of what is left (so the budget is spent
        // within them) and is scored by the shrinkage it buys; without a limit, by the shrinkage per FLOP.
        let (smallest, per_flop) = match request.max_runs {
            Some(m) => (left / (2.0 * (m - picks.len()) as f64), false),
            None => (0.0, true),
        };
        let best = open
            .iter()
            .enumerate()
            .filter(|(_, (n, d, _))| (smallest..=left).contains(&(6.0 * n * d)))
            .filter_map(|(i, (n, d, rows))| {
                let updated = &info + local::information(rows, p, sigma2);
                let v = local::variance(&updated, &gradient)?;
                let score = if per_flop {
                    (var - v) / (6.0 * n * d)
                } else {
                    var - v
                };
                Some((i, score, v, updated))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _, v, updated)) = best else { break };
        if var - v < MIN_GAIN * var {
            break;
        }
        let (n, d, _) = open.remove(i);
        let reason = candidates::reason(&range, n, d, names, &info, &updated);
        spent += 6.0 * n * d;
        picks.push(Pick {
            params: n,
            tokens: d,
            tokens_per_param: d / n,
            train_flops: 6.0 * n * d,
            predicted: t2_core::plan::metric_at(&params, n, d, 1.0),
            sd_before: var.sqrt(),
            sd_after: v.sqrt(),
            budget_share: 6.0 * n * d / request.budget,
            reason,
        });
        info = updated;
        var = v;
    }
    let band = bootstrap_band(fit, request);
    let (bootstrap_band, band_ratio, warning) = match band {
        Some((lo, hi, level)) => {
            let z = normal_quantile((1.0 + level) / 2.0);
            let ratio = (2.0 * z * var_now.sqrt()) / (hi - lo);
            let warning = (!(1.0 / LOCAL_BAND_RATIO..=LOCAL_BAND_RATIO).contains(&ratio)).then(|| {
                format!(
                    "the delta-method band is {ratio:.2}× the bootstrap band: the objective is far from quadratic \
                     here, so this advice is local and may mislead"
                )
            });
            (Some((lo, hi)), Some(ratio), warning)
        }
        None => (None, None, None),
    };
    Ok(Advice {
        form: fit.form,
        task: fit.task.clone(),
        quantity: request.quantity,
        target: request.target,
        value,
        sd_now: var_now.sqrt(),
        sd_after: var.sqrt(),
        bootstrap_band,
        band_ratio,
        warning,
        picks,
        spent,
        candidates,
    })
}

/// The advice for every fit of a file (fits the advisor cannot judge say why).
pub fn advise_file(file: &crate::FitFile, request: &AdviceRequest) -> Vec<output::Advised> {
    file.fits
        .iter()
        .map(|fit| {
            let (advice, refused) = match advise(fit, request) {
                Ok(a) => (Some(a), None),
                Err(e) => (None, Some(e.to_string())),
            };
            output::Advised {
                form: fit.form,
                task: fit.task.clone(),
                advice,
                refused,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_quantile_is_right_in_the_middle_and_the_tails() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.01, -2.326_347_874_040_841),
        ] {
            assert!((normal_quantile(p) - z).abs() < 1e-8, "{p}");
        }
    }
}
