//! Sweeps that repeated data: when the run table has a `unique_tokens` column (U, the unique tokens a run drew
//! its D training tokens from), every form is fitted on the data-constrained D′ of Muennighoff et al. 2023
//! instead of D ([`t2_core::plan::DataLimit`]), with R*_D fixed (their 15.39 by default) or fitted
//! ([`Repetition::Fitted`]): a profile of the Chinchilla law's objective over ln R*_D, refused when the sweep
//! cannot identify it.

use serde::{Deserialize, Serialize};
use t2_core::plan::{minimize_scanned, DataLimit, MUENNIGHOFF_REPETITION_HORIZON};
use t2_core::table::UNIQUE_TOKENS;
use t2_ingest::Ingested;

use crate::error::Error;
use crate::setting::Setting;

/// How R*_D is set for a sweep with a `unique_tokens` column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repetition {
    /// R*_D fixed at this value.
    Fixed {
        /// R*_D, epochs.
        horizon: f64,
    },
    /// R*_D fitted, one more parameter, by profiling the Chinchilla law's objective.
    Fitted,
}

impl Repetition {
    /// As the front ends state it: fitted (`fit`), or fixed at `horizon` (Muennighoff et al.'s by default).
    ///
    /// # Errors
    ///
    /// [`Error::Option`] when both are given.
    pub fn chosen(fit: bool, horizon: Option<f64>) -> Result<Repetition, Error> {
        match (fit, horizon) {
            (true, Some(_)) => Err(Error::option(
                Setting::RepetitionHorizon,
                "give R*_D or fit it, not both",
            )),
            (true, None) => Ok(Repetition::Fitted),
            (false, Some(horizon)) => Ok(Repetition::Fixed { horizon }),
            (false, None) => Ok(Repetition::default()),
        }
    }
}

impl Default for Repetition {
    fn default() -> Self {
        Repetition::Fixed {
            horizon: MUENNIGHOFF_REPETITION_HORIZON,
        }
    }
}

/// Distinct repetition levels (epochs D/U above [`REPEATED_EPOCHS`]) a sweep needs before R*_D is fitted: with
/// fewer, the curve 1 − e^(−R/R*) is pinned at too few points to tell its scale from the law's B and β.
pub const MIN_EPOCH_LEVELS: usize = 3;
/// Epochs above which a row counts as repeated.
pub const REPEATED_EPOCHS: f64 = 1.0 + 1e-9;
/// Largest epochs a sweep must reach before R*_D is fitted: below it, D′ ≈ D whatever R*_D (at 2 epochs and
/// R*_D = 15, D′/D = 0.97), so the profile is flat.
pub const MIN_MAX_EPOCHS: f64 = 4.0;
/// Relative depth of the profile below which R*_D is refused as not identified: the best objective must beat
/// the better of the range's ends by this share. Simulated sweeps with known R*_D = 5 (4 sizes, 2 unique-data
/// sizes, 1% loss noise; `tests/repetition.rs`): depth 0.47 with epochs up to 64 (R*_D fitted 5.33), 0.23 up to
/// 8 (4.46), 0.13 up to 4.5 (4.08). A sweep whose data show no cost of repetition has its minimum at the
/// range's end and is refused there.
pub const MIN_PROFILE_DEPTH: f64 = 0.01;
/// The range R*_D is profiled over, epochs.
pub const HORIZON_RANGE: (f64, f64) = (0.1, 1e4);
/// Grid points of the profile over ln R*_D.
const PROFILE_POINTS: usize = 25;

/// What the fit did about repeated data: the rows that repeated it, and R*_D (fixed or fitted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepetitionFit {
    /// Rows trained past their unique tokens (D > U).
    pub rows_repeated: usize,
    /// The most epochs (D/U) of any row.
    pub max_epochs: f64,
    /// R*_D used.
    pub horizon: f64,
    /// Whether it was fitted (else fixed).
    pub fitted: bool,
    /// The fitted profile: (R*_D, the Chinchilla objective) at each grid point, when fitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<(f64, f64)>,
}

/// Each row's U, when the table has a `unique_tokens` column (ingest checked every cell is a number ≥ 1).
fn unique_tokens(ingested: &Ingested) -> Option<Vec<f64>> {
    let column = ingested.table.extra.iter().find(|c| c.name == UNIQUE_TOKENS)?;
    Some(
        column
            .values
            .iter()
            .map(|v| v.trim().parse().unwrap_or(f64::NAN))
            .collect(),
    )
}

/// The sweep with D′ in place of D (in the table and in the per-problem counts behind it) at R*_D = `horizon`.
fn effective(ingested: &Ingested, unique: &[f64], horizon: f64) -> Result<Ingested, Error> {
    let mut out = ingested.clone();
    let mut moved = std::collections::HashMap::new();
    for (i, &u) in unique.iter().enumerate() {
        let limit = DataLimit::new(u, horizon)
            .map_err(|e| Error::option(Setting::RepetitionHorizon, e.to_string()))?;
        let d = ingested.table.tokens[i];
        out.table.tokens[i] = limit.effective_tokens(d);
        moved.insert(
            (ingested.table.params[i].to_bits(), d.to_bits()),
            out.table.tokens[i],
        );
    }
    for counts in &mut out.problem_counts {
        if let Some(&d) = moved.get(&(counts.params.to_bits(), counts.tokens.to_bits())) {
            counts.tokens = d;
        }
    }
    Ok(out)
}

/// The sweep to fit and what was done about repetition: the sweep itself when it has no `unique_tokens`
/// column; else the sweep on D′ at the fixed or fitted R*_D. `fit_chinchilla` gives the Chinchilla law's
/// objective on a sweep (the profile's value).
///
/// # Errors
///
/// [`Error::Option`] ([`Setting::RepetitionHorizon`]) when R*_D is to be fitted and the sweep cannot identify it
/// (too few repetition levels, too few epochs, or a flat profile), or a fixed one is not a positive number.
pub fn prepare(
    ingested: &Ingested,
    repetition: Repetition,
    fit_chinchilla: impl Fn(&Ingested) -> Result<f64, Error>,
) -> Result<Option<(Ingested, RepetitionFit)>, Error> {
    let Some(unique) = unique_tokens(ingested) else {
        return match repetition {
            Repetition::Fitted => Err(Error::option(
                Setting::RepetitionHorizon,
                format!("R*_D cannot be fitted: the sweep has no {UNIQUE_TOKENS} column (the unique tokens each run drew from)"),
            )),
            Repetition::Fixed { .. } => Ok(None),
        };
    };
    let epochs: Vec<f64> = unique
        .iter()
        .zip(&ingested.table.tokens)
        .map(|(u, d)| d / u)
        .collect();
    let mut levels: Vec<f64> = epochs.iter().copied().filter(|&e| e > REPEATED_EPOCHS).collect();
    let rows_repeated = levels.len();
    let max_epochs = epochs.iter().copied().fold(0.0, f64::max);
    let (horizon, profile) = match repetition {
        Repetition::Fixed { horizon } => (horizon, Vec::new()),
        Repetition::Fitted => {
            levels.sort_by(f64::total_cmp);
            levels.dedup_by(|a, b| (*a / *b - 1.0).abs() < 1e-6);
            if levels.len() < MIN_EPOCH_LEVELS || max_epochs < MIN_MAX_EPOCHS {
                return Err(Error::option(
                    Setting::RepetitionHorizon,
                    format!(
                        "R*_D cannot be identified: the sweep repeats data at {} epoch levels up to {max_epochs:.3} \
                         epochs; fitting it needs {MIN_EPOCH_LEVELS} levels and runs past {MIN_MAX_EPOCHS} epochs \
                         (fix it instead, e.g. at Muennighoff et al.'s {MUENNIGHOFF_REPETITION_HORIZON})",
                        levels.len()
                    ),
                ));
            }
            profile_horizon(ingested, &unique, fit_chinchilla)?
        }
    };
    let table = effective(ingested, &unique, horizon)?;
    Ok(Some((
        table,
        RepetitionFit {
            rows_repeated,
            max_epochs,
            horizon,
            fitted: repetition == Repetition::Fitted,
            profile,
        },
    )))
}

/// R*_D minimising the Chinchilla objective over ln R*_D ∈ ln [`HORIZON_RANGE`] (a grid, then Brent), with the
/// grid's profile; refused when the profile is flat ([`MIN_PROFILE_DEPTH`]) or its minimum is at an end.
fn profile_horizon(
    ingested: &Ingested,
    unique: &[f64],
    fit_chinchilla: impl Fn(&Ingested) -> Result<f64, Error>,
) -> Result<(f64, Vec<(f64, f64)>), Error> {
    let objective = |ln_r: f64| {
        effective(ingested, unique, ln_r.exp())
            .and_then(|t| fit_chinchilla(&t))
            .unwrap_or(f64::NAN)
    };
    let (lo, hi) = (HORIZON_RANGE.0.ln(), HORIZON_RANGE.1.ln());
    let profile: Vec<(f64, f64)> = (0..PROFILE_POINTS)
        .map(|i| {
            let ln_r = lo + (hi - lo) * i as f64 / (PROFILE_POINTS - 1) as f64;
            (ln_r.exp(), objective(ln_r))
        })
        .collect();
    let refuse = |why: String| {
        Error::option(
            Setting::RepetitionHorizon,
            format!("R*_D cannot be identified: {why}"),
        )
    };
    let found = minimize_scanned(objective, lo, hi, PROFILE_POINTS)
        .ok_or_else(|| refuse("the Chinchilla law could not be fitted at any R*_D".into()))?;
    let ends = profile[0].1.min(profile[PROFILE_POINTS - 1].1);
    let depth = (ends - found.value) / ends.abs();
    if found.location != t2_core::plan::Location::Interior || depth.is_nan() || depth < MIN_PROFILE_DEPTH {
        return Err(refuse(format!(
            "the Chinchilla objective changes by {:.2}% across R*_D from {} to {} epochs (needs {}%)",
            100.0 * depth.max(0.0),
            HORIZON_RANGE.0,
            HORIZON_RANGE.1,
            100.0 * MIN_PROFILE_DEPTH
        )));
    }
    Ok((found.x.exp(), profile))
}
