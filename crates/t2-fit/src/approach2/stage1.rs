//! Stage 1: the single-pass loss law L̂(N, D) = E + A/N^α + B/D^β, fitted by weighted least squares on the
//! k = 1 loss, Σ_i w_i·(L_i − L̂_i)², w from [`super::weights`] (inverse variance across isoFLOP groups).
//!
//! The paper's way (default, [`Stage1Method::ProfileE`]): E is held at each of n values evenly spaced on
//! [0.01·min L, 0.95·min L]; for each, (ln A, ln B, α, β) by a local solve from the best few (α, β) of a grid, each with
//! the (A, B) that solve the weighted least squares in closed form and ranked by that solution's error
//! ([`super::projection`]), and from the neighbouring E's optimum; the E with the lowest objective is kept. [`Stage1Method::Plain`] fits all five parameters at once (the Chinchilla fit with squared error).
//! Both reuse the Chinchilla objective ([`crate::chinchilla`]) with `Loss::Squared` and E pinned where profiled.

use serde::{Deserialize, Serialize};
use t2_core::{ChinchillaParams, Form, RunTable};

use super::data::Row;
use super::projection::ProjectedStarts;
use super::weights::{inverse_variance_weights, GroupWeights};
use crate::chinchilla::{self, ChinchillaFit, ChinchillaObjective, ChinchillaOptions, FitData, Loss, Starts};
use crate::chinchilla::{DIM, LN_E};
use crate::formfit::{diagnostics, r_squared};
use crate::lbfgs::LbfgsOptions;
use crate::reparam::Constraint;
use crate::report::Diagnostics;
use crate::FitError;

/// Profile bounds of E as fractions of the smallest single-pass loss.
pub const E_PROFILE_RANGE: (f64, f64) = (0.01, 0.95);

/// How stage 1 fits the loss law.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stage1Method {
    /// E held at `values` points of [0.01, 0.95]·min L, the rest fitted at each (the paper's), from the `polish`
    /// best projected (α, β) starts and the previous E's optimum (`polish` ≥ the grid's pairs polishes all).
    ProfileE {
        /// E values profiled.
        values: usize,
        #[serde(default = "default_polish")]
        /// Projected (α, β) starts polished at each E.
        polish: usize,
    },
    /// All five parameters free, from the Chinchilla fit's fast NNLS starts, the best `polish` polished.
    Plain {
        /// Projected starts polished.
        polish: usize,
    },
    /// Epoch's Chinchilla fit (Huber δ = 1e-3 on ln L, summed; the fast NNLS starts): the chained form's fit
    /// of the pretraining loss, whose rows are not weighted across isoFLOP groups (a smooth validation loss
    /// has no task noise to weigh).
    Huber,
}

/// Projected starts polished at each E of the profile by default.
pub const PROFILE_POLISHED: usize = 2;

fn default_polish() -> usize {
    PROFILE_POLISHED
}

impl Stage1Method {
    /// "E profiled over 40 values in [0.01, 0.95]·min L" or "all parameters free".
    pub fn describe(&self) -> String {
        match self {
            Stage1Method::ProfileE { values, polish } => format!(
                "E profiled over {values} values from {}·min L to {}·min L ({polish} projected starts polished at \
                 each)",
                E_PROFILE_RANGE.0, E_PROFILE_RANGE.1
            ),
            Stage1Method::Plain { polish } => {
                format!("all 5 parameters free ({polish} polished NNLS starts)")
            }
            Stage1Method::Huber => "Epoch's Huber fit (δ = 1e-3 on ln L, summed)".to_string(),
        }
    }
}

/// One point of the E profile: the best weighted SSE with E held fixed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProfilePoint {
    /// The E held fixed.
    pub e: f64,
    /// The stage-1 objective at the best fit with that E.
    pub sse: f64,
}

/// The fitted loss law and how the search ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage1Fit {
    /// The fitted loss law.
    pub params: ChinchillaParams,
    /// x = (ln A, ln B, ln E, α, β) at the optimum.
    pub x: Vec<f64>,
    /// Weighted SSE at the optimum (weights of mean 1).
    pub sse: f64,
    /// Distinct k = 1 rows used (a bootstrap's repeats are in the weights).
    pub rows_used: usize,
    /// R² of L̂ on the single-pass loss (unweighted).
    pub r_squared: f64,
    /// The smallest single-pass loss (the E profile's range is relative to it).
    pub min_loss: f64,
    /// E profile (empty for the plain fit).
    pub profile: Vec<ProfilePoint>,
    /// Number of isoFLOP groups, and how many had their own variance.
    pub groups: usize,
    /// Groups of rows with equal L̂ whose pass@k varies (what stage 2 learns from).
    pub groups_with_variance: usize,
    /// Whether the inverse-variance weights were applied (see [`super::weights`]; false when the sweep is not an
    /// isoFLOP design).
    pub inverse_variance_weighted: bool,
    /// How the solver ended.
    pub diagnostics: Diagnostics,
}

/// The k = 1 rows as Chinchilla fit data, weighted by inverse variance across isoFLOP groups times `row.weight`
/// (mean 1), times the returned scale s = 1/Σ w·L² of the fit data's weights.
pub fn stage1_data(table: &RunTable, rows: &[Row]) -> (FitData, GroupWeights, f64) {
    let loss: Vec<f64> = table.loss.as_ref().map_or(vec![f64::NAN; rows.len()], |l| {
        rows.iter().map(|r| l[r.index]).collect()
    });
    let flops: Vec<f64> = rows.iter().map(|r| table.train_flops(r.index)).collect();
    let prior: Vec<f64> = rows.iter().map(|r| r.weight).collect();
    let keys: Vec<(u64, u64)> = rows
        .iter()
        .map(|r| (table.params[r.index].to_bits(), table.tokens[r.index].to_bits()))
        .collect();
    let groups = inverse_variance_weights(&flops, &loss, &prior, &keys);
    // Scale so that Σ w·L² = 1: the optimum does not move, and L-BFGS's first unit step along −∇f stays
    // moderate (an SSE of hundreds sends it to overflow, which ends the line search).
    let scale = 1.0
        / groups
            .weights
            .iter()
            .zip(&loss)
            .map(|(w, l)| w * l * l)
            .sum::<f64>();
    let data = FitData {
        ln_n: rows.iter().map(|r| table.params[r.index].ln()).collect(),
        ln_d: rows.iter().map(|r| table.tokens[r.index].ln()).collect(),
        ln_loss: loss.iter().map(|l| l.ln()).collect(),
        loss,
        weight: groups.weights.iter().map(|w| w * scale).collect(),
    };
    (data, groups, scale)
}

/// The E values of the profile: `count` points evenly spaced on [0.01, 0.95]·min L.
pub fn e_grid(data: &FitData, count: usize) -> Vec<f64> {
    let min_loss = data.loss.iter().copied().fold(f64::INFINITY, f64::min);
    let (lo, hi) = (E_PROFILE_RANGE.0 * min_loss, E_PROFILE_RANGE.1 * min_loss);
    match count {
        0 => Vec::new(),
        1 => vec![hi],
        _ => (0..count)
            .map(|j| lo + (hi - lo) * j as f64 / (count - 1) as f64)
            .collect(),
    }
}

fn options(lbfgs: &LbfgsOptions, constraints: [Constraint; DIM]) -> ChinchillaOptions {
    ChinchillaOptions {
        loss: Loss::Squared,
        starts: Starts::Fast { polish: 1 },
        constraints,
        lbfgs: *lbfgs,
        screen: None,
    }
}

/// The loss law with E held at `e`, from `starts` (x with any E; it is overridden).
fn fit_at_e(data: &FitData, e: f64, starts: &[Vec<f64>], lbfgs: &LbfgsOptions) -> ChinchillaFit {
    let mut constraints = [Constraint::Free; DIM];
    constraints[LN_E] = Constraint::Pinned(e.ln());
    chinchilla::fit_from(data, &options(lbfgs, constraints), starts)
}

/// Grid points a refit's profile walk goes on past its best without improving before it stops.
pub const PROFILE_PATIENCE: usize = 3;

/// The E profile of a warm refit by continuation: from the grid point nearest the warm E outwards in both
/// directions, each E starting from the optimum at its neighbour (the warm optimum for the first), one solve
/// per E; a direction stops after [`PROFILE_PATIENCE`] points without a new best, so the refit finds the local
/// minimum of the profile nearest the warm E (the profile is searched, not swept: `profile` holds the points
/// visited). Results in grid order.
fn continuation(
    data: &FitData,
    grid: &[f64],
    warm: &[f64],
    lbfgs: &LbfgsOptions,
) -> Vec<(f64, ChinchillaFit)> {
    let warm_e = warm[LN_E].exp();
    let first = (0..grid.len())
        .min_by(|&i, &j| (grid[i] - warm_e).abs().total_cmp(&(grid[j] - warm_e).abs()))
        .unwrap_or(0);
    let mut fits: Vec<Option<ChinchillaFit>> = vec![None; grid.len()];
    let centre = fit_at_e(data, grid[first], &[warm.to_vec()], lbfgs);
    for direction in [1isize, -1] {
        let (mut previous, mut best, mut rises) = (centre.x.clone(), centre.multistart.best.cost, 0);
        let mut j = first as isize + direction;
        while j >= 0 && (j as usize) < grid.len() && rises < PROFILE_PATIENCE {
            let fit = fit_at_e(data, grid[j as usize], &[previous], lbfgs);
            let cost = fit.multistart.best.cost;
            if cost < best {
                (best, rises) = (cost, 0);
            } else {
                rises += 1;
            }
            previous = fit.x.clone();
            fits[j as usize] = Some(fit);
            j += direction;
        }
    }
    fits[first] = Some(centre);
    grid.iter()
        .zip(fits)
        .filter_map(|(&e, f)| f.map(|f| (e, f)))
        .collect()
}

/// Fits stage 1 to the k = 1 `rows` of `table`. `exponent_grid` gives the α and β values the projected starts
/// are ranked over (a full α × β grid per E); `warm`, when given (a bootstrap refit), replaces them by one start
/// per E, by [`continuation`] from the warm optimum.
pub fn fit_stage1(
    table: &RunTable,
    rows: &[Row],
    method: Stage1Method,
    exponent_grid: &[f64],
    lbfgs: &LbfgsOptions,
    warm: Option<&[f64]>,
) -> Result<Stage1Fit, FitError> {
    let (data, groups, scale) = stage1_data(table, rows);
    let data = &data;
    let (best, profile, note) = match method {
        Stage1Method::ProfileE { values, polish } => {
            if values == 0 || (warm.is_none() && exponent_grid.is_empty()) {
                return Err(FitError::BadOptions {
                    what: "Approach 2 stage 1",
                    message: "at least one E value and one exponent in the start grid".into(),
                });
            }
            let grid = e_grid(data, values);
            let fits: Vec<(f64, ChinchillaFit)> = match warm {
                Some(w) => continuation(data, &grid, w, lbfgs),
                None => {
                    let seeds = ProjectedStarts::new(data, exponent_grid);
                    let mut previous: Option<Vec<f64>> = None;
                    grid.iter()
                        .map(|&e| {
                            let mut starts = seeds.best(e, polish.max(1));
                            starts.extend(previous.take());
                            let fit = fit_at_e(data, e, &starts, lbfgs);
                            previous = Some(fit.x.clone());
                            (e, fit)
                        })
                        .collect()
                }
            };
            let profile: Vec<ProfilePoint> = fits
                .iter()
                .map(|(e, f)| ProfilePoint {
                    e: *e,
                    sse: f.multistart.best.cost / scale,
                })
                .collect();
            let best_index = (0..fits.len())
                .min_by(|&i, &j| profile[i].sse.total_cmp(&profile[j].sse).then(i.cmp(&j)))
                .unwrap_or(0);
            let note = format!("E profile point {} of {}", best_index + 1, fits.len());
            let mut best = fits
                .into_iter()
                .nth(best_index)
                .map(|(_, f)| f)
                .ok_or(FitError::NotFinite {
                    form: Form::Approach2,
                    stage: "stage 1 (empty E profile)",
                })?;
            if best_index == 0 && values > 1 {
                best.at_bound
                    .push(format!("E (lowest profile value, {}·min L)", E_PROFILE_RANGE.0));
            } else if best_index + 1 == values && values > 1 {
                best.at_bound
                    .push(format!("E (highest profile value, {}·min L)", E_PROFILE_RANGE.1));
            }
            (best, profile, note)
        }
        Stage1Method::Plain { polish } => {
            let opts = options(lbfgs, [Constraint::Free; DIM]);
            let objective = ChinchillaObjective {
                data,
                loss: Loss::Squared,
            };
            let mut starts: Vec<Vec<f64>> = warm.map(|w| vec![w.to_vec()]).unwrap_or_default();
            starts.extend(
                Starts::Fast {
                    polish: polish.max(1),
                }
                .generate(&objective),
            );
            (
                chinchilla::fit_from(data, &opts, &starts),
                Vec::new(),
                "plain fit".to_string(),
            )
        }
        Stage1Method::Huber => {
            let unweighted = FitData {
                weight: rows.iter().map(|r| r.weight).collect(),
                ..data.clone()
            };
            let opts = ChinchillaOptions::default();
            let objective = ChinchillaObjective {
                data: &unweighted,
                loss: opts.loss,
            };
            let mut starts: Vec<Vec<f64>> = warm.map(|w| vec![w.to_vec()]).unwrap_or_default();
            starts.extend(opts.starts.generate(&objective));
            let fit = chinchilla::fit_from(&unweighted, &opts, &starts);
            // The Huber objective is not in the weighted squared error's units: report the latter.
            let residual: f64 = (0..data.len())
                .map(|i| {
                    data.weight[i]
                        * (data.loss[i] - fit.params.loss(data.ln_n[i].exp(), data.ln_d[i].exp())).powi(2)
                })
                .sum();
            let mut fit = fit;
            fit.multistart.best.cost = residual;
            (fit, Vec::new(), "Huber fit".to_string())
        }
    };
    if !best.multistart.best.cost.is_finite() {
        return Err(FitError::NotFinite {
            form: Form::Approach2,
            stage: "stage 1 loss-law",
        });
    }
    let predicted: Vec<f64> = (0..data.len())
        .map(|i| best.params.loss(data.ln_n[i].exp(), data.ln_d[i].exp()))
        .collect();
    let mut diagnostics = diagnostics(&best.multistart, best.at_bound.clone());
    diagnostics.termination = format!("{note}: {}", diagnostics.termination);
    Ok(Stage1Fit {
        params: best.params,
        sse: best.multistart.best.cost / scale,
        x: best.x,
        rows_used: data.len(),
        r_squared: r_squared(&data.loss, &predicted),
        min_loss: data.min_loss(),
        profile,
        groups: groups.groups,
        groups_with_variance: groups.groups_with_variance,
        inverse_variance_weighted: groups.applied,
        diagnostics,
    })
}
