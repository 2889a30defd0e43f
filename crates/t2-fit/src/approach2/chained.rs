//! The chained forecaster: Approach 2 whose loss law L̂(N, D) is the Chinchilla law of each checkpoint's
//! *pretraining* (validation) loss, fitted as Epoch fit Hoffmann's (Huber on ln L), instead of the task's own
//! noisy k = 1 loss. Stage 2 (the Beta regression of pass@k on L̂) is Approach 2's. This is the two-step idea of
//! the OLMo ladder (Bhagia et al. 2024): a smooth loss extrapolates further than a noisy task metric.
//!
//! The table carries the pretraining loss in a column named [`PRETRAIN_LOSS`] (validated by ingest: one
//! positive number per checkpoint). The fitter hands Approach 2 a lean copy of the table whose loss column is
//! that pretraining loss, so every row index, prediction and bootstrap unit is the same as Approach 2's.

use t2_core::{Approach2Params, Form, ModelParams, RunTable};

use super::{Approach2Fit, Approach2Form, Approach2Options, Stage1Method};
use crate::form::{Draws, FormFitter, Refitted, Split, Unusable};
use crate::report::FormFit;
use crate::FitError;

pub use t2_core::table::PRETRAIN_LOSS;

/// The chained form as a [`FormFitter`]: Approach 2 on a table whose loss is the pretraining loss.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedForm {
    /// The Approach 2 fit behind it (its stage 1 is Epoch's Huber fit by default, [`ChainedForm::options`]).
    pub approach2: Approach2Form,
}

impl ChainedForm {
    /// The chained form with Approach 2's options but for stage 1, Epoch's Huber fit ([`Stage1Method::Huber`]).
    pub fn new(options: &Approach2Options) -> ChainedForm {
        ChainedForm {
            approach2: Approach2Form {
                options: ChainedForm::options(options),
            },
        }
    }

    /// `options` with stage 1 fitted as [`Stage1Method::Huber`].
    pub fn options(options: &Approach2Options) -> Approach2Options {
        Approach2Options {
            stage1: Stage1Method::Huber,
            ..options.clone()
        }
    }
}

/// The pretraining loss of every row of `table`: None without the column; NaN in a cell that is not a number.
pub fn pretrain_loss(table: &RunTable) -> Option<Vec<f64>> {
    let column = table.extra.iter().find(|c| c.name == PRETRAIN_LOSS)?;
    Some(
        column
            .values
            .iter()
            .map(|v| v.trim().parse::<f64>().unwrap_or(f64::NAN))
            .collect(),
    )
}

/// The lean table Approach 2 fits: N, D, k, pass@k and weights of `table`, with the pretraining loss as its
/// loss (task and carried columns left out: a fit unit holds one task).
fn lean(table: &RunTable) -> Result<RunTable, FitError> {
    let loss = pretrain_loss(table).ok_or(FitError::MissingColumn {
        form: Form::Chained,
        column: PRETRAIN_LOSS,
        hint: "give the sweep a pretrain_loss column, or join one with --pretrain-loss FILE",
    })?;
    Ok(RunTable {
        params: table.params.clone(),
        tokens: table.tokens.clone(),
        k: table.k.clone(),
        loss: Some(loss),
        pass_at_k: table.pass_at_k.clone(),
        weight: table.weight.clone(),
        ..Default::default()
    })
}

impl FormFitter for ChainedForm {
    type Fit = Approach2Fit;
    type Params = Approach2Params;

    fn form(&self) -> Form {
        Form::Chained
    }

    fn unusable(&self, table: &RunTable, row: usize) -> Option<Unusable> {
        if !table.extra.iter().any(|c| c.name == PRETRAIN_LOSS) {
            return Some(Unusable::NoPretrainLoss);
        }
        self.approach2.unusable(table, row)
    }

    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        self.approach2.check(&lean(table)?, rows)
    }

    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<Approach2Fit, FitError> {
        self.approach2.fit(&lean(table)?, rows)
    }

    fn refit(
        &self,
        table: &RunTable,
        rows: &[usize],
        full: &Approach2Fit,
    ) -> Option<Refitted<Approach2Params>> {
        self.approach2.refit(&lean(table).ok()?, rows, full)
    }

    fn report(
        &self,
        table: &RunTable,
        split: Split,
        fit: &Approach2Fit,
        draws: Option<Draws<Approach2Params>>,
    ) -> FormFit {
        let lean = lean(table).unwrap_or_else(|_| table.clone());
        let mut report = super::report::form_fit_of(Form::Chained, &lean, split, fit, draws);
        report.objective.name = format!(
            "squared error on pass@k, summed (stage 2; stage 1: {} of the pretraining loss)",
            fit.options.stage1.describe()
        );
        report.params = ModelParams::Chained(fit.params);
        report
    }
}
