//! The fit options several subcommands share: the bootstrap, the row selection, and the whole sweep request
//! of `t2 fit t2` and `t2 run` (which flatten the same [`SweepArgs`], so `run` reaches every option of `fit`).

use t2_core::filter::{Filter, RowSelection};
use t2_core::Form;

use crate::cmd::budget::HorizonArg;
use crate::cmd::choice::choice;
use t2_fit::bootstrap::BootstrapOptions;
use t2_pipeline::choices::{self, Approach1Objective, StartsChoice, SweepChoices};
use t2_pipeline::repetition::Repetition;
use t2_pipeline::request::{Cluster, FitRequest};
use t2_pipeline::{defaults, Error};

/// How many bootstrap resamples, from which seed, at which interval level.
#[derive(clap::Args, Debug, Clone)]
pub struct BootstrapArgs {
    /// Bootstrap resamples, 0 for none [default: 1000 for `t2 fit`, 200 for `t2 run`: `defaults::RESAMPLES`,
    /// `defaults::RUN_RESAMPLES`].
    #[arg(long)]
    pub bootstrap: Option<usize>,

    /// Seed of the bootstrap (resample i draws from stream i of this seed) and of seeded random starts.
    #[arg(long, default_value_t = defaults::SEED)]
    pub seed: u64,

    /// Central level of the percentile intervals.
    #[arg(long, default_value_t = defaults::LEVEL)]
    pub level: f64,
}

impl BootstrapArgs {
    /// The bootstrap to run (None for 0 resamples), `default` resamples when none were given; the level is
    /// checked by the library.
    pub fn options(&self, default: usize) -> Result<Option<BootstrapOptions>, Error> {
        choices::bootstrap(self.bootstrap.unwrap_or(default), self.seed, self.level)
    }
}

/// Which rows are fitted: filters and the highest-loss rows to leave out.
#[derive(clap::Args, Debug, Clone)]
pub struct SelectionArgs {
    /// Fit only rows matching EXPR, e.g. 'k == 1 and tokens <= 7e10' (fields: params tokens k loss pass_at_k
    /// weight train_flops tokens_per_param task, or an extra column; and/or/not, parentheses).
    #[arg(long = "where", value_name = "EXPR", value_parser = parse_filter)]
    pub keep_where: Option<Filter>,

    /// Leave out rows matching EXPR.
    #[arg(long, value_name = "EXPR", value_parser = parse_filter)]
    pub exclude_where: Option<Filter>,

    /// Leave out the N rows with the highest loss (after --where/--exclude-where). Epoch drop 5.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub drop_highest_loss: usize,
}

impl SelectionArgs {
    pub fn selection(&self) -> RowSelection {
        RowSelection {
            keep_where: self.keep_where.clone(),
            exclude_where: self.exclude_where.clone(),
            drop_highest_loss: self.drop_highest_loss,
        }
    }
}

/// A filter expression (clap value parser).
pub fn parse_filter(text: &str) -> Result<Filter, String> {
    Filter::parse(text).map_err(|e| e.to_string())
}

/// Everything `t2 fit t2` and `t2 run` take about what to fit.
#[derive(clap::Args, Debug, Clone)]
pub struct SweepArgs {
    /// Forms to fit, comma-separated [default: every form the rows support; the others are skipped with the
    /// reason: chinchilla and approach1 need a loss, approach1 several k, approach2 pass_at_k, chained pass_at_k and a
    /// pretrain_loss column or --pretrain-loss].
    #[arg(long, value_delimiter = ',', value_name = "FORM,…", value_parser = choice::<Form>())]
    pub forms: Option<Vec<Form>>,

    /// Fit this task only (no macro average).
    #[arg(long, value_name = "NAME")]
    pub task: Option<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Fit only on rows matching EXPR (e.g. 'tokens <= 7e10'); the others are held out and predicted.
    #[arg(long, value_name = "EXPR", conflicts_with = "holdout_where", value_parser = parse_filter)]
    pub train_where: Option<Filter>,

    /// Hold out rows matching EXPR (e.g. 'origin == "overtrained"'); they are predicted, not fitted.
    #[arg(long, value_name = "EXPR", value_parser = parse_filter)]
    pub holdout_where: Option<Filter>,

    /// The forecast check without --train-where/--holdout-where: a fit without the most overtrained SHARE of
    /// each model size's checkpoints forecasts them, beside persistence and a smooth per-size curve; the fit
    /// reported and planned from is then made on every row.
    #[arg(long, value_name = "SHARE", default_value_t = defaults::HOLDOUT_SHARE)]
    pub holdout_share: f64,

    /// No forecast check: fit every row once (the verdict's "predicts" is then not checked).
    #[arg(long, conflicts_with_all = ["holdout_share", "train_where", "holdout_where"])]
    pub no_holdout: bool,

    /// Bootstrap unit: checkpoint (all k rows of one (N, D, task) together), row, or a column name (task or an
    /// extra column).
    #[arg(long, default_value = "checkpoint", value_name = "checkpoint|row|COLUMN")]
    pub cluster: Cluster,

    #[command(flatten)]
    pub boot: BootstrapArgs,

    /// Starts of the Approach 1 search: fast (variable projection: NNLS for E, A, B, G over an (α, β, γ) grid,
    /// the best point of each basin polished) or random:N (the paper's N seeded random starts, e.g. random:500).
    #[arg(long, default_value = "fast", value_name = "fast|random:N")]
    pub starts: StartsChoice,

    /// Approach 1 objective: sse (squared error on the loss, the paper's) or huber (Huber on ln loss, δ =
    /// --huber-delta).
    #[arg(long, default_value = Approach1Objective::default().name(), value_parser = choice::<Approach1Objective>())]
    pub approach1_objective: Approach1Objective,

    /// Huber δ of --approach1-objective huber.
    #[arg(long, default_value_t = defaults::HUBER_DELTA)]
    pub huber_delta: f64,

    /// For a sweep with a unique_tokens column (runs that repeated data): fit R*_D of the data-constrained law
    /// as one more parameter (by profiling the Chinchilla law), instead of fixing it (--repetition-horizon).
    /// Refused when the sweep cannot identify it (fewer than 3 repetition levels, none past 4 epochs, or a flat
    /// profile).
    #[arg(long, conflicts_with = "repetition_horizon")]
    pub fit_repetition: bool,
}

impl SweepArgs {
    /// The request these arguments describe, with `default_resamples` when --bootstrap is not given and R*_D
    /// from `horizon` (--repetition-horizon) unless fitted.
    pub fn request(&self, default_resamples: usize, horizon: &HorizonArg) -> Result<FitRequest, Error> {
        SweepChoices {
            forms: self.forms.clone(),
            task: self.task.clone(),
            selection: self.selection.selection(),
            train_where: self.train_where.clone(),
            holdout_where: self.holdout_where.clone(),
            holdout_share: (!self.no_holdout).then_some(self.holdout_share),
            cluster: self.cluster.clone(),
            resamples: self.boot.bootstrap.unwrap_or(default_resamples),
            seed: self.boot.seed,
            level: self.boot.level,
            approach1_starts: self.starts,
            approach1_objective: self.approach1_objective,
            huber_delta: self.huber_delta,
            repetition: Repetition::chosen(self.fit_repetition, horizon.repetition_horizon)?,
        }
        .request()
    }
}
