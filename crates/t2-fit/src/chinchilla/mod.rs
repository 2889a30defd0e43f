//! The Chinchilla baseline fit, Epoch-compatible: L(N, D) = E + A/N^α + B/D^β in the log-sum-exp
//! parameterisation, Huber loss on ln L summed over rows, Levenberg–Marquardt on Huber's Gauss–Newton model
//! from many starts (L-BFGS where that model is degenerate), bootstrap intervals.
//!
//! - [`objective`]: the objective and its analytic gradient; [`Loss`] choices; [`FitData`] (preprocessed rows).
//! - [`seed`]: fast starts from non-negative least squares over an (α, β) grid.
//! - [`quantities`]: parameters and derived quantities (a, b, G, N*, D*, D*/N*) as named numbers.
//! - [`resample`]: robust refits of bootstrap resamples.
//! - [`ChinchillaForm`]: the form as a [`crate::FormFitter`] (rows, checks, fit, refit, report).

mod form;
pub mod objective;
pub mod quantities;
pub mod resample;
pub mod seed;

use serde::{Deserialize, Serialize};
use t2_core::ChinchillaParams;

pub use form::ChinchillaForm;
pub use objective::{
    params_of, x_of, ChinchillaObjective, FitData, Loss, ALPHA, BETA, DIM, LN_A, LN_B, LN_E,
};

use crate::error::FitError;
use crate::formfit;
use crate::lbfgs::LbfgsOptions;
pub use crate::multistart::Screen;
use crate::multistart::{multistart_with, MultiStartFit};
use crate::reparam::{Constraint, Reparam};
use crate::starts;

/// Names of the parameters of x = (ln A, ln B, ln E, α, β) as users give them (pins and bounds are in
/// natural units: A, B, E themselves, not their logs).
pub const PARAM_NAMES: [&str; DIM] = ["A", "B", "E", "alpha", "beta"];

/// Where the local solves start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Starts {
    /// Hoffmann/Epoch's 4,500 starts: α, β ∈ {0, .5, 1, 1.5, 2}, e ∈ {−1, −.5, 0, .5, 1},
    /// a, b ∈ {0, 5, …, 25}.
    EpochGrid,
    /// A full factorial grid; one value list per parameter of x = (a, b, e, α, β).
    Grid(Vec<Vec<f64>>),
    /// Seeded uniform random starts in the Epoch box (a, b ∈ [0, 25], e ∈ [−1, 1], α, β ∈ [0, 2]).
    Random {
        /// How many starts.
        count: usize,
        /// Their seed.
        seed: u64,
    },
    /// Variable projection (the default): non-negative least squares for the linear (E, A, B) at each (α, β)
    /// of a 0.05-step grid on [0, 2]², ranked by the objective; the best `polish` are polished. On
    /// every data set the tests hold it reaches the Epoch grid's objective (to 1e-9 relative) in a fraction of
    /// its time.
    Fast {
        /// The best projected starts polished.
        polish: usize,
    },
}

impl Starts {
    /// The starts in x space for `objective` (the fast path needs the data).
    pub fn generate(&self, objective: &ChinchillaObjective) -> Vec<Vec<f64>> {
        match self {
            Starts::EpochGrid => starts::grid(&epoch_axes()),
            Starts::Grid(axes) => starts::grid(axes),
            Starts::Random { count, seed } => starts::random(&EPOCH_BOX, *count, *seed),
            Starts::Fast { polish } => {
                let grid = starts::range(0.0, 2.0, 0.05);
                seed::ranked_starts(objective, &grid, &grid, *polish, seed::Rank::Objective)
                    .into_iter()
                    .map(|x| x.to_vec())
                    .collect()
            }
        }
    }

    /// A short description for reports.
    pub fn describe(&self) -> String {
        match self {
            Starts::EpochGrid => "epoch grid (4500)".into(),
            Starts::Grid(axes) => format!("grid ({})", axes.iter().map(Vec::len).product::<usize>()),
            Starts::Random { count, seed } => format!("random ({count}, seed {seed})"),
            Starts::Fast { polish } => format!("fast (NNLS over (alpha, beta), {polish} polished)"),
        }
    }
}

/// Starts polished by the default fast path.
pub const FAST_POLISHED: usize = 8;

/// The box the Epoch grid spans, per parameter of x.
const EPOCH_BOX: [(f64, f64); DIM] = [(0.0, 25.0), (0.0, 25.0), (-1.0, 1.0), (0.0, 2.0), (0.0, 2.0)];

/// The Epoch grid's value lists, in x order.
pub fn epoch_axes() -> Vec<Vec<f64>> {
    let exponents = starts::range(0.0, 2.0, 0.5);
    vec![
        starts::range(0.0, 25.0, 5.0),
        starts::range(0.0, 25.0, 5.0),
        starts::range(-1.0, 1.0, 0.5),
        exponents.clone(),
        exponents,
    ]
}

/// Everything that defines a Chinchilla fit besides the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChinchillaOptions {
    /// The per-row penalty.
    pub loss: Loss,
    /// Where the local solves start.
    pub starts: Starts,
    /// One per parameter of x = (ln A, ln B, ln E, α, β), in x's units (see [`constraint_for`]).
    pub constraints: [Constraint; DIM],
    /// The local solver's settings.
    pub lbfgs: LbfgsOptions,
    /// Screen the starts before solving (None: solve every start fully). Used when there are more starts
    /// than `keep`.
    pub screen: Option<Screen>,
}

impl Default for ChinchillaOptions {
    fn default() -> Self {
        ChinchillaOptions {
            loss: Loss::default(),
            starts: Starts::Fast {
                polish: FAST_POLISHED,
            },
            constraints: [Constraint::Free; DIM],
            lbfgs: LbfgsOptions {
                tol_grad: 1e-10,
                ..LbfgsOptions::default()
            },
            screen: Some(Screen::default()),
        }
    }
}

/// Index into x of a parameter named as users name them: A, B, E, alpha, beta (case-insensitive; α and β
/// accepted).
pub fn param_index(name: &str) -> Option<usize> {
    match name.trim().to_lowercase().as_str() {
        "a" => Some(LN_A),
        "b" => Some(LN_B),
        "e" => Some(LN_E),
        "alpha" | "α" => Some(ALPHA),
        "beta" | "β" => Some(BETA),
        _ => None,
    }
}

/// A constraint given in natural units (A, B, E, α, β) as the constraint on x (logs for A, B, E; a bound ≤ 0
/// on A, B or E says nothing and leaves that side free). Err when a pinned A, B or E is not positive.
pub fn constraint_for(index: usize, natural: Constraint) -> Result<Constraint, FitError> {
    if index > LN_E {
        return Ok(natural);
    }
    let ln = |v: f64| if v > 0.0 { Some(v.ln()) } else { None };
    let positive = |what: &str, v: f64| FitError::BadOptions {
        what: "Chinchilla constraint",
        message: format!("{what} of {} must be positive, got {v}", PARAM_NAMES[index]),
    };
    Ok(match natural {
        Constraint::Free => Constraint::Free,
        Constraint::Pinned(v) => Constraint::Pinned(ln(v).ok_or_else(|| positive("a pinned value", v))?),
        Constraint::Lower(lo) => ln(lo).map_or(Constraint::Free, Constraint::Lower),
        Constraint::Upper(hi) => Constraint::Upper(ln(hi).ok_or_else(|| positive("the upper bound", hi))?),
        Constraint::Interval(lo, hi) => {
            let hi = ln(hi).ok_or_else(|| positive("the upper bound", hi))?;
            ln(lo).map_or(Constraint::Upper(hi), |lo| Constraint::Interval(lo, hi))
        }
    })
}

/// The parameters of x on a bound: those on a constraint's bound (named), and E vanishing against the smallest
/// fitted loss `min_loss` (see [`formfit::vanishing`]).
pub fn bounds_hit(x: &[f64], constraints: &[Constraint; DIM], min_loss: f64) -> Vec<String> {
    let mut hits: Vec<String> = (0..DIM)
        .filter(|&i| constraints[i].at_bound(x[i]))
        .map(|i| format!("{} (on its bound)", PARAM_NAMES[i]))
        .collect();
    if !constraints[LN_E].is_pinned() {
        hits.extend(formfit::vanishing("E", x[LN_E].exp(), min_loss));
    }
    hits
}

/// A fitted Chinchilla law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChinchillaFit {
    /// The optimum in x = (ln A, ln B, ln E, α, β).
    pub x: Vec<f64>,
    /// The best parameters found.
    pub params: ChinchillaParams,
    /// The multi-start outcome (best solve in the optimiser's free coordinates).
    pub multistart: MultiStartFit,
    /// Parameters that ended on a bound ([`bounds_hit`]).
    pub at_bound: Vec<String>,
    /// The smallest fitted loss (bounds relative to the data are judged against it).
    pub min_loss: f64,
}

/// Fits from `starts` (points in x; pinned entries are overridden, starts outside bounds moved inside).
pub fn fit_from(data: &FitData, opts: &ChinchillaOptions, starts: &[Vec<f64>]) -> ChinchillaFit {
    let objective = ChinchillaObjective {
        data,
        loss: opts.loss,
    };
    let constrained = Reparam::new(&objective, &opts.constraints);
    let free_starts: Vec<Vec<f64>> = starts.iter().map(|x| constrained.to_free(x)).collect();
    let multistart = multistart_with(&constrained, &free_starts, &opts.lbfgs, opts.screen);
    assemble(data, opts, &constrained, multistart)
}

/// The fit a search in the free coordinates of `constrained` ended with.
fn assemble(
    data: &FitData,
    opts: &ChinchillaOptions,
    constrained: &Reparam<ChinchillaObjective>,
    multistart: MultiStartFit,
) -> ChinchillaFit {
    let x = constrained.to_model(&multistart.best.x);
    ChinchillaFit {
        params: params_of(&x),
        at_bound: bounds_hit(&x, &opts.constraints, data.min_loss()),
        min_loss: data.min_loss(),
        x,
        multistart,
    }
}

/// Fits with the starts `opts.starts` names.
pub fn fit(data: &FitData, opts: &ChinchillaOptions) -> ChinchillaFit {
    let objective = ChinchillaObjective {
        data,
        loss: opts.loss,
    };
    fit_from(data, opts, &opts.starts.generate(&objective))
}

#[cfg(test)]
mod tests;
