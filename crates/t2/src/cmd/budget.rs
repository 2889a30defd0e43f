//! The budgets every planning command takes (`plan`, `plot`, `run`, `compare`), as one set of flags: a new
//! constraint on the plan is one field here and its use in [`BudgetArgs::budgets`].

use t2_core::plan::Budget;
use t2_pipeline::figures::FigureOptions;
use t2_pipeline::plan::{budgets, parse_flops_spec, FlopsSpec};
use t2_pipeline::{defaults, Error};

/// Training and inference budgets.
#[derive(clap::Args, Debug, Clone)]
pub struct BudgetArgs {
    /// Training compute C_train in FLOPs: one value (1e21), a comma list (1e19,1e21) or a log range
    /// (1e17..1e25, see --points).
    #[arg(long, value_name = "FLOPS", value_parser = parse_flops_spec, default_value = defaults::TRAIN_FLOPS)]
    pub train_flops: FlopsSpec,

    /// Number of log-spaced budgets in a --train-flops range.
    #[arg(long, default_value_t = defaults::POINTS)]
    pub points: usize,

    /// Inference compute per query C_inf in FLOPs (1.4e11 = one forward pass of a 70B model).
    #[arg(long, value_name = "FLOPS", default_value_t = defaults::INFERENCE_FLOPS)]
    pub inference_flops: f64,
}

impl BudgetArgs {
    /// The checked budgets: every training value at the inference value.
    pub fn budgets(&self) -> Result<Vec<Budget>, Error> {
        budgets(
            &self.train_flops.checked_values(self.points)?,
            self.inference_flops,
        )
    }

    /// The figures' options at these budgets (the rest at their defaults).
    pub fn figure_options(&self) -> FigureOptions {
        FigureOptions {
            train_flops: self.train_flops.clone(),
            points: self.points,
            inference_flops: self.inference_flops,
            ..FigureOptions::default()
        }
    }
}
