//! What to fit, as typed options: the forms, the rows (filters, task, holdout), how tasks are grouped, the
//! bootstrap and each form's search. [`FitRequest::sweep`] and [`FitRequest::chinchilla`] are the defaults of
//! `t2 fit t2` and `t2 fit chinchilla`.

use serde::{Deserialize, Serialize};
use t2_core::filter::{Filter, RowSelection};
use t2_core::{Form, RunTable};
use t2_fit::approach1::Approach1Options;
use t2_fit::approach2::Approach2Options;
use t2_fit::bootstrap::{unit_ids, BootstrapOptions};
use t2_fit::chinchilla::ChinchillaOptions;

use crate::error::Error;
use crate::setting::Setting;

/// Which rows are predicted without being fitted (the forecast check).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holdout {
    /// Every selected row is fitted, and no forecast is checked.
    #[default]
    None,
    /// The forecast check by default: a fit without the most overtrained `share` of each size's checkpoints
    /// ([`crate::forecast::most_overtrained`]) forecasts them; the fit reported (and planned from) is then made
    /// on every row.
    MostOvertrained {
        /// Share of each size's checkpoints held out ([`crate::defaults::HOLDOUT_SHARE`] by default).
        share: f64,
    },
    /// Fit the rows matching the filter; hold out the rest.
    TrainWhere(Filter),
    /// Hold out the rows matching the filter.
    HoldoutWhere(Filter),
}

/// How the rows of a table with several tasks are fitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// Each task on its own, and with two or more tasks their macro average (mean over tasks at every
    /// (N, D, k) they share).
    #[default]
    PerTask,
    /// All rows in one fit, whatever their task (the Chinchilla baseline of `t2 fit chinchilla`).
    Pooled,
}

/// The bootstrap's resampling unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cluster {
    /// Single rows.
    Row,
    /// Whole checkpoints: all k rows of one (N, D, task) together.
    #[default]
    Checkpoint,
    /// Rows with equal values of a column (`task` or an extra column) together.
    Column(String),
}

impl Cluster {
    /// "row", "checkpoint", or the column's name.
    pub fn name(&self) -> &str {
        match self {
            Cluster::Row => "row",
            Cluster::Checkpoint => "checkpoint",
            Cluster::Column(name) => name,
        }
    }

    /// The unit of every row of `table`; an error naming the columns there are when the column is missing.
    pub fn unit_ids(&self, table: &RunTable) -> Result<Vec<usize>, Error> {
        match self {
            Cluster::Row => Ok((0..table.len()).collect()),
            Cluster::Checkpoint => Ok(table.checkpoint_ids()),
            Cluster::Column(name) if name == "task" => match &table.task {
                Some(task) => Ok(unit_ids(task)),
                None => Err(Error::option(
                    Setting::Cluster,
                    "the table has no task column to cluster by",
                )),
            },
            Cluster::Column(name) => table
                .extra
                .iter()
                .find(|c| &c.name == name)
                .map(|c| unit_ids(&c.values))
                .ok_or_else(|| {
                    let present: Vec<&str> = table.extra.iter().map(|c| c.name.as_str()).collect();
                    Error::option(
                        Setting::Cluster,
                        format!(
                            "the table has no column '{name}' (use row, checkpoint, task or one of \
                         the extra columns: {})",
                            if present.is_empty() {
                                "none".to_string()
                            } else {
                                present.join(", ")
                            }
                        ),
                    )
                }),
        }
    }
}

/// Everything that defines a fit of a sweep besides the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRequest {
    /// Forms to fit; None: every form the table supports (the others are skipped, each with its reason).
    pub forms: Option<Vec<Form>>,
    /// Rows to keep or leave out before anything is fitted (`--where`, `--exclude-where`, `--drop-highest-loss`).
    pub selection: RowSelection,
    /// Fit this task only.
    pub task: Option<String>,
    /// Rows predicted but not fitted.
    pub holdout: Holdout,
    /// Per task (and macro), or pooled.
    pub grouping: Grouping,
    /// None: no bootstrap.
    pub bootstrap: Option<BootstrapOptions>,
    /// The bootstrap's resampling unit.
    pub cluster: Cluster,
    /// The Chinchilla fit's options.
    pub chinchilla: ChinchillaOptions,
    /// Fit the Chinchilla law to the k = 1 rows only (the others are left out and counted).
    pub chinchilla_single_pass: bool,
    /// The Approach 1 fit's options.
    pub approach1: Approach1Options,
    /// The Approach 2 fit's options.
    pub approach2: Approach2Options,
    /// Training budgets C at which the Chinchilla fit reports N*(C), D*(C) and D*/N*.
    pub chinchilla_budgets: Vec<f64>,
    /// Keep the bootstrap draws in the fit file (plans need them for their bands).
    pub keep_draws: bool,
    /// R*_D for a sweep that repeated data (a `unique_tokens` column): fixed or fitted.
    #[serde(default)]
    pub repetition: crate::repetition::Repetition,
}

impl FitRequest {
    /// `t2 fit t2`'s defaults: every supported form, per task and macro, 1,000 checkpoint resamples, the
    /// forecast check on the most overtrained 20% of each size's checkpoints.
    pub fn sweep() -> FitRequest {
        FitRequest {
            forms: None,
            selection: RowSelection::default(),
            task: None,
            holdout: Holdout::MostOvertrained {
                share: crate::defaults::HOLDOUT_SHARE,
            },
            grouping: Grouping::PerTask,
            bootstrap: Some(BootstrapOptions::default()),
            cluster: Cluster::Checkpoint,
            chinchilla: ChinchillaOptions::default(),
            chinchilla_single_pass: true,
            approach1: Approach1Options::default(),
            approach2: Approach2Options::default(),
            chinchilla_budgets: Vec::new(),
            keep_draws: true,
            repetition: crate::repetition::Repetition::default(),
        }
    }

    /// `t2 fit chinchilla`'s defaults: the Chinchilla law alone on all selected rows, 1,000 row resamples,
    /// N*, D* and D*/N* at 1e21, 5.88e23 and 1e25 FLOPs.
    pub fn chinchilla() -> FitRequest {
        FitRequest {
            forms: Some(vec![Form::Chinchilla]),
            grouping: Grouping::Pooled,
            cluster: Cluster::Row,
            chinchilla_single_pass: false,
            chinchilla_budgets: crate::defaults::CHINCHILLA_BUDGETS.to_vec(),
            ..FitRequest::sweep()
        }
    }

    /// Checks what the types cannot hold by themselves (linfa's `ParamGuard`): the holdout share in (0, 1), the
    /// Huber δ of either objective positive and finite, the Chinchilla report budgets above 6 FLOPs. The
    /// bootstrap is valid by construction. [`crate::sweep::fit_sweep`] calls it first, so a request built in
    /// Rust is held to what the command line and Python are.
    ///
    /// # Errors
    ///
    /// [`Error::Option`] naming the option at fault.
    ///
    /// # Examples
    ///
    /// ```
    /// use t2_pipeline::request::{FitRequest, Holdout};
    ///
    /// assert!(FitRequest::sweep().check().is_ok());
    /// let bad = FitRequest { holdout: Holdout::MostOvertrained { share: 1.5 }, ..FitRequest::sweep() };
    /// assert!(bad.check().unwrap_err().to_string().starts_with("holdout_share: 1.5 is not a share"));
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        if let Holdout::MostOvertrained { share } = self.holdout {
            if !(share > 0.0 && share < 1.0) {
                return Err(Error::option(
                    Setting::HoldoutShare,
                    format!(
                        "{share} is not a share between 0 and 1 of each size's checkpoints (0.2 holds out the most \
                         overtrained fifth; without a share every row is fitted)"
                    ),
                ));
            }
        }
        if let t2_fit::approach1::LossObjective::HuberLn { delta } = self.approach1.objective {
            t2_fit::approach1::LossObjective::huber(delta)
                .map_err(|e| Error::option(Setting::HuberDelta, e.describe()))?;
        }
        if let t2_fit::chinchilla::Loss::Huber { delta } = self.chinchilla.loss {
            t2_fit::chinchilla::Loss::huber(delta)
                .map_err(|e| Error::option(Setting::Delta, e.describe()))?;
        }
        if let crate::repetition::Repetition::Fixed { horizon } = self.repetition {
            t2_core::plan::DataLimit::new(1.0, horizon)
                .map_err(|e| Error::option(Setting::RepetitionHorizon, e.to_string()))?;
        }
        for &c in &self.chinchilla_budgets {
            t2_core::plan::Budget::check_train_flops(c)
                .map_err(|e| Error::option(Setting::Budgets, e.to_string()))?;
        }
        Ok(())
    }

    /// The seed of the bootstrap (and of the Approach 1 start design).
    pub fn seed(&self) -> u64 {
        self.bootstrap.map_or(self.approach1.seed, |b| b.seed())
    }
}
