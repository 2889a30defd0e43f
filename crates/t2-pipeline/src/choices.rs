//! Fit options as a user names them, on the command line or from Python: words and numbers turned into the
//! libraries' typed options ([`FitRequest`], [`ChinchillaOptions`]), checked here once so both front ends give
//! the same errors with the same messages.
//!
//! - [`SweepChoices`]: what `t2 fit t2`, `t2 run` and `t2.fit` take.
//! - [`ChinchillaChoices`]: what `t2 fit chinchilla` and `t2.fit_chinchilla` take.

use std::str::FromStr;

use t2_core::filter::{Filter, RowSelection};
use t2_core::Form;
use t2_fit::approach1::{Approach1Options, Approach1Starts, LossObjective};
use t2_fit::bootstrap::BootstrapOptions;
use t2_fit::chinchilla::{
    self, constraint_for, epoch_axes, param_index, ChinchillaOptions, Loss, Starts, ALPHA, BETA, LN_A, LN_B,
    LN_E, PARAM_NAMES,
};
use t2_fit::{starts, Constraint};

use crate::error::Error;
use crate::request::{Cluster, FitRequest, Holdout};
use crate::setting::Setting;

impl FromStr for Cluster {
    type Err = String;
    /// "checkpoint", "row", or a column's name.
    fn from_str(text: &str) -> Result<Cluster, String> {
        Ok(match text.trim() {
            "checkpoint" => Cluster::Checkpoint,
            "row" => Cluster::Row,
            "" => return Err("give row, checkpoint or a column name".into()),
            column => Cluster::Column(column.to_string()),
        })
    }
}

/// The bootstrap to run, None for 0 resamples; the level must lie in (0, 1) whatever the resamples (a level
/// no bootstrap uses is still a mistake worth saying).
pub fn bootstrap(resamples: usize, seed: u64, level: f64) -> Result<Option<BootstrapOptions>, Error> {
    let level_error = |e: t2_fit::FitError| Error::option(Setting::Level, e.describe());
    if resamples == 0 {
        return BootstrapOptions::check_level(level)
            .map(|()| None)
            .map_err(level_error);
    }
    BootstrapOptions::new(resamples, seed, level)
        .map(Some)
        .map_err(|e| {
            if (1..=t2_fit::bootstrap::MAX_RESAMPLES).contains(&resamples) {
                level_error(e)
            } else {
                Error::option(Setting::Bootstrap, e.describe())
            }
        })
}

t2_core::vocabulary! {
    /// The Approach 1 objective.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum Approach1Objective as "Approach 1 objective" {
        /// Squared error on the loss (the paper's).
        #[default]
        Sse => "sse",
        /// Huber on ln loss.
        Huber => "huber",
    }
}

/// Everything `t2 fit t2`, `t2 run` and `t2.fit` take about what to fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChoices {
    /// Forms to fit; None: every form the rows support.
    pub forms: Option<Vec<Form>>,
    /// Fit this task only.
    pub task: Option<String>,
    /// Rows kept or left out before anything is fitted.
    pub selection: RowSelection,
    /// Fit only the rows matching this; hold out the rest.
    pub train_where: Option<Filter>,
    /// Hold out the rows matching this.
    pub holdout_where: Option<Filter>,
    /// Share of each size's checkpoints the default forecast check holds out, the most overtrained first;
    /// None: no forecast check (every row fitted, `--no-holdout`).
    pub holdout_share: Option<f64>,
    /// The bootstrap's resampling unit.
    pub cluster: Cluster,
    /// Resamples, 0 for none.
    pub resamples: usize,
    /// Seed of the bootstrap and of the Approach 1 start design.
    pub seed: u64,
    /// Central level of the percentile intervals.
    pub level: f64,
    /// Starts of the Approach 1 search: fast (projected, the default) or random:N (grid is the Chinchilla
    /// fit's only).
    pub approach1_starts: StartsChoice,
    /// The Approach 1 objective.
    pub approach1_objective: Approach1Objective,
    /// Huber δ of the Huber Approach 1 objective.
    pub huber_delta: f64,
    /// R*_D for a sweep that repeated data: fixed or fitted.
    pub repetition: crate::repetition::Repetition,
}

impl Default for SweepChoices {
    /// `t2 fit t2`'s defaults.
    fn default() -> SweepChoices {
        let request = FitRequest::sweep();
        let boot = request.bootstrap.unwrap_or_default();
        SweepChoices {
            forms: None,
            task: None,
            selection: RowSelection::default(),
            train_where: None,
            holdout_where: None,
            holdout_share: Some(crate::defaults::HOLDOUT_SHARE),
            cluster: Cluster::Checkpoint,
            resamples: boot.resamples(),
            seed: boot.seed(),
            level: boot.level(),
            approach1_starts: StartsChoice::Fast,
            approach1_objective: Approach1Objective::Sse,
            huber_delta: crate::defaults::HUBER_DELTA,
            repetition: crate::repetition::Repetition::default(),
        }
    }
}

impl SweepChoices {
    /// The request these choices describe; an error when a number is out of range or both a train and a
    /// holdout filter are given.
    pub fn request(&self) -> Result<FitRequest, Error> {
        let defaults = FitRequest::sweep();
        // δ is checked whatever the objective: a bad value given is a mistake even when unused.
        let huber = LossObjective::huber(self.huber_delta)
            .map_err(|e| Error::option(Setting::HuberDelta, e.describe()))?;
        let objective = match self.approach1_objective {
            Approach1Objective::Sse => LossObjective::Sse,
            Approach1Objective::Huber => huber,
        };
        let holdout = match (&self.train_where, &self.holdout_where) {
            (Some(_), Some(_)) => {
                return Err(Error::option(
                    Setting::TrainWhere,
                    "give the rows fitted or the rows held out, not both",
                ))
            }
            (Some(f), None) => Holdout::TrainWhere(f.clone()),
            (None, Some(f)) => Holdout::HoldoutWhere(f.clone()),
            (None, None) => match self.holdout_share {
                None => Holdout::None,
                Some(share) => Holdout::MostOvertrained { share },
            },
        };
        let approach1_starts = match self.approach1_starts {
            StartsChoice::Fast => defaults.approach1.starts,
            StartsChoice::Random(count) => Approach1Starts::Random { count },
            StartsChoice::Grid => {
                return Err(Error::option(
                    Setting::Starts,
                    "grid is the Chinchilla fit's (Epoch's grid); Approach 1 takes fast or random:N",
                ))
            }
        };
        let request = FitRequest {
            forms: self.forms.clone(),
            selection: self.selection.clone(),
            task: self.task.clone(),
            holdout,
            bootstrap: bootstrap(self.resamples, self.seed, self.level)?,
            cluster: self.cluster.clone(),
            approach1: Approach1Options {
                objective,
                starts: approach1_starts,
                seed: self.seed,
                ..defaults.approach1
            },
            repetition: self.repetition,
            ..defaults
        };
        request.check()?;
        Ok(request)
    }
}

t2_core::vocabulary! {
    /// The Chinchilla fit's per-row penalty.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum LossChoice as "loss" {
        /// Huber on ln L (Hoffmann's and Epoch's).
        #[default]
        Huber => "huber",
        /// Squared error on ln L.
        SqLog => "sq-log",
        /// Squared error on L.
        Sq => "sq",
    }
}

/// Where the Chinchilla fit's local solves start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartsChoice {
    /// Epoch's 4,500-point grid, screened.
    Grid,
    /// Projected starts (the default).
    #[default]
    Fast,
    /// This many seeded random starts.
    Random(usize),
}

impl FromStr for StartsChoice {
    type Err = String;
    /// "grid", "fast" or "random:N" (a bare N, the older spelling, is random:N).
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim() {
            "grid" => Ok(StartsChoice::Grid),
            "fast" => Ok(StartsChoice::Fast),
            other => match other
                .strip_prefix("random:")
                .unwrap_or(other)
                .trim()
                .parse::<usize>()
            {
                Ok(n) if n > 0 => Ok(StartsChoice::Random(n)),
                _ => Err(format!("expected grid, fast or random:N (N ≥ 1), got '{other}'")),
            },
        }
    }
}

/// A pin or bound on one Chinchilla parameter, in natural units (A, B, E themselves, not their logs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamConstraint {
    /// The parameter's index in x = (ln A, ln B, ln E, α, β).
    pub index: usize,
    /// The pin or bound.
    pub constraint: Constraint,
}

impl ParamConstraint {
    /// `name` (one of A, B, E, alpha, beta) held at `value`.
    pub fn pin(name: &str, value: f64) -> Result<ParamConstraint, String> {
        Ok(ParamConstraint {
            index: index_of(name)?,
            constraint: Constraint::Pinned(finite(value)?),
        })
    }

    /// `name` bounded below by `lo` and/or above by `hi`.
    pub fn bound(name: &str, lo: Option<f64>, hi: Option<f64>) -> Result<ParamConstraint, String> {
        let constraint = match (lo.map(finite).transpose()?, hi.map(finite).transpose()?) {
            (Some(lo), Some(hi)) if lo < hi => Constraint::Interval(lo, hi),
            (Some(lo), Some(hi)) => return Err(format!("empty range {lo}:{hi}")),
            (Some(lo), None) => Constraint::Lower(lo),
            (None, Some(hi)) => Constraint::Upper(hi),
            (None, None) => return Err("give at least one side of LO:HI".into()),
        };
        Ok(ParamConstraint {
            index: index_of(name)?,
            constraint,
        })
    }

    /// `NAME=VALUE`, e.g. `E=1.8`.
    pub fn parse_pin(text: &str) -> Result<ParamConstraint, String> {
        let (name, value) = split_named(text, "NAME=VALUE, e.g. E=1.8")?;
        ParamConstraint::pin(name, number(value)?)
    }

    /// `NAME=LO:HI`, either side optional, e.g. `alpha=0:1` or `E=:2.5`.
    pub fn parse_bound(text: &str) -> Result<ParamConstraint, String> {
        let (name, range) = split_named(text, "NAME=LO:HI, e.g. alpha=0:1 or E=:2.5")?;
        let (lo, hi) = range
            .split_once(':')
            .ok_or_else(|| format!("expected LO:HI after '=', got '{range}'"))?;
        let side = |s: &str| {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                number(s).map(Some)
            }
        };
        ParamConstraint::bound(name, side(lo)?, side(hi)?)
    }
}

fn index_of(name: &str) -> Result<usize, String> {
    param_index(name).ok_or_else(|| format!("unknown parameter '{name}' (one of {})", PARAM_NAMES.join(", ")))
}

fn split_named<'t>(text: &'t str, expected: &str) -> Result<(&'t str, &'t str), String> {
    text.split_once('=')
        .ok_or_else(|| format!("expected {expected}; got '{text}'"))
}

fn finite(v: f64) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("'{v}' is not a finite number"))
    }
}

fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("'{text}' is not a finite number"))
}

/// `NAME=FROM:TO:STEP` with NAME one of a, b, e (logs of A, B, E), alpha, beta: that axis of the start grid
/// becomes FROM, FROM + STEP, … up to TO.
pub fn parse_axis(text: &str) -> Result<(usize, Vec<f64>), String> {
    let expected = "NAME=FROM:TO:STEP with NAME one of a, b, e, alpha, beta (e.g. e=0:1:0.25)";
    let (name, range) = text
        .split_once('=')
        .ok_or_else(|| format!("expected {expected}; got '{text}'"))?;
    let index = match name.trim() {
        "a" => LN_A,
        "b" => LN_B,
        "e" => LN_E,
        "alpha" => ALPHA,
        "beta" => BETA,
        other => return Err(format!("unknown grid axis '{other}': expected {expected}")),
    };
    let parts: Vec<f64> = range.split(':').map(number).collect::<Result<_, _>>()?;
    match parts[..] {
        [from, to, step] if step > 0.0 && to >= from => Ok((index, starts::range(from, to, step))),
        _ => Err(format!("expected {expected}; got '{text}' (STEP > 0, TO ≥ FROM)")),
    }
}

/// Everything `t2 fit chinchilla` and `t2.fit_chinchilla` take about the fit itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ChinchillaChoices {
    /// The per-row penalty.
    pub loss: LossChoice,
    /// Huber δ.
    pub delta: f64,
    /// Where the local solves start.
    pub starts: StartsChoice,
    /// With grid starts: axes of the grid replaced (index in x, values).
    pub grid_axes: Vec<(usize, Vec<f64>)>,
    /// With grid starts: screen them (the default) or solve every one.
    pub screen: bool,
    /// Pinned parameters.
    pub pins: Vec<ParamConstraint>,
    /// Bounded parameters.
    pub bounds: Vec<ParamConstraint>,
    /// Seed of random starts.
    pub seed: u64,
}

impl Default for ChinchillaChoices {
    fn default() -> ChinchillaChoices {
        ChinchillaChoices {
            loss: LossChoice::Huber,
            delta: crate::defaults::HUBER_DELTA,
            starts: StartsChoice::Fast,
            grid_axes: Vec::new(),
            screen: true,
            pins: Vec::new(),
            bounds: Vec::new(),
            seed: 0,
        }
    }
}

impl ChinchillaChoices {
    /// The fit options these choices describe; an error for a bad δ, grid axes without grid starts, a
    /// parameter constrained twice, or every parameter pinned.
    pub fn options(&self) -> Result<ChinchillaOptions, Error> {
        let loss = match self.loss {
            LossChoice::Huber => {
                Loss::huber(self.delta).map_err(|e| Error::option(Setting::Delta, e.describe()))?
            }
            LossChoice::SqLog => Loss::SquaredLog,
            LossChoice::Sq => Loss::Squared,
        };
        let starts = match self.starts {
            StartsChoice::Grid if self.grid_axes.is_empty() => Starts::EpochGrid,
            StartsChoice::Grid => {
                let mut axes = epoch_axes();
                for (index, values) in &self.grid_axes {
                    axes[*index] = values.clone();
                }
                Starts::Grid(axes)
            }
            _ if !self.grid_axes.is_empty() => {
                return Err(Error::option(Setting::GridAxis, "needs grid starts"))
            }
            StartsChoice::Fast => Starts::Fast {
                polish: chinchilla::FAST_POLISHED,
            },
            StartsChoice::Random(count) => Starts::Random {
                count,
                seed: self.seed,
            },
        };
        let mut opts = ChinchillaOptions {
            loss,
            starts,
            ..Default::default()
        };
        if !self.screen {
            opts.screen = None;
        }
        let mut seen = [false; PARAM_NAMES.len()];
        for c in self.pins.iter().chain(&self.bounds) {
            if std::mem::replace(&mut seen[c.index], true) {
                return Err(Error::option(
                    Setting::Constraints,
                    format!(
                        "{} is pinned or bounded twice; constrain each parameter once",
                        PARAM_NAMES[c.index]
                    ),
                ));
            }
            opts.constraints[c.index] = constraint_for(c.index, c.constraint)
                .map_err(|e| Error::option(Setting::Constraints, e.describe()))?;
        }
        if seen.iter().all(|&s| s) && self.bounds.is_empty() {
            return Err(Error::option(
                Setting::Constraints,
                "every parameter is pinned: nothing to fit",
            ));
        }
        Ok(opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_to_typed_choices() {
        assert_eq!("row".parse::<Cluster>().unwrap(), Cluster::Row);
        assert_eq!(
            "origin".parse::<Cluster>().unwrap(),
            Cluster::Column("origin".into())
        );
        assert_eq!(
            "random:7".parse::<StartsChoice>().unwrap(),
            StartsChoice::Random(7)
        );
        assert!("random:0".parse::<StartsChoice>().is_err());
        assert_eq!("sq-log".parse::<LossChoice>().unwrap(), LossChoice::SqLog);
        let bound = ParamConstraint::parse_bound("E=:2.5").unwrap();
        assert_eq!((bound.index, bound.constraint), (LN_E, Constraint::Upper(2.5)));
        assert!(ParamConstraint::parse_bound("alpha=1:0")
            .unwrap_err()
            .contains("empty range"));
        assert!(ParamConstraint::parse_pin("G=1")
            .unwrap_err()
            .contains("unknown parameter 'G'"));
        assert_eq!(parse_axis("e=0:1:0.5").unwrap(), (LN_E, vec![0.0, 0.5, 1.0]));
    }

    #[test]
    fn bad_combinations_are_refused_with_the_flag_named() {
        let twice = ChinchillaChoices {
            pins: vec![ParamConstraint::pin("E", 1.8).unwrap()],
            bounds: vec![ParamConstraint::bound("E", Some(1.0), None).unwrap()],
            ..Default::default()
        };
        assert!(twice
            .options()
            .unwrap_err()
            .to_string()
            .contains("E is pinned or bounded twice"));
        let axes = ChinchillaChoices {
            grid_axes: vec![parse_axis("e=0:1:0.5").unwrap()],
            ..Default::default()
        };
        assert!(axes
            .options()
            .unwrap_err()
            .to_string()
            .contains("grid_axis: needs grid starts"));
        let level = SweepChoices {
            level: 1.5,
            ..Default::default()
        };
        assert!(level.request().unwrap_err().to_string().starts_with("level: "));
        assert_eq!(SweepChoices::default().request().unwrap(), FitRequest::sweep());
    }
}
