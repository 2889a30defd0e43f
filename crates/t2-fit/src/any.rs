//! Any form, chosen at run time: the one registration of the forms. A new form adds a variant here and its arm
//! in [`Fitter::new`] and [`each_form!`]; the matches are exhaustive, so a missed arm does not compile.

use t2_core::{Form, RunTable};

use crate::approach1::{Approach1Form, Approach1Options};
use crate::approach2::{Approach2Form, Approach2Options, ChainedForm};
use crate::chinchilla::{ChinchillaForm, ChinchillaOptions};
use crate::error::FitError;
use crate::form::{fit_form, FormFitter, Resampling, Split, Unusable};
use crate::report::FormFit;

/// The options of every form, from which [`Fitter::new`] takes the one it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct FormOptions {
    /// The Chinchilla fit's options.
    pub chinchilla: ChinchillaOptions,
    /// Budgets at which the Chinchilla fit reports N*(C), D*(C), D*/N*.
    pub chinchilla_budgets: Vec<f64>,
    /// Fit the Chinchilla law to k = 1 rows only.
    pub chinchilla_single_pass: bool,
    /// The Approach 1 fit's options.
    pub approach1: Approach1Options,
    /// The Approach 2 fit's options.
    pub approach2: Approach2Options,
}

/// One of the forms, with its options.
#[derive(Debug, Clone, PartialEq)]
pub enum Fitter {
    /// The Chinchilla law.
    Chinchilla(ChinchillaForm),
    /// T² Approach 1.
    Approach1(Approach1Form),
    /// T² Approach 2.
    Approach2(Approach2Form),
    /// Approach 2 on the pretraining loss's law.
    Chained(ChainedForm),
}

/// `each_form!(fitter, f => expr)` evaluates `expr` with `f` bound to the concrete [`FormFitter`].
macro_rules! each_form {
    ($fitter:expr, $f:ident => $body:expr) => {
        match $fitter {
            Fitter::Chinchilla($f) => $body,
            Fitter::Approach1($f) => $body,
            Fitter::Approach2($f) => $body,
            Fitter::Chained($f) => $body,
        }
    };
}

impl Fitter {
    /// The fitter of `form` with its options from `options`.
    pub fn new(form: Form, options: &FormOptions) -> Fitter {
        match form {
            Form::Chinchilla => Fitter::Chinchilla(ChinchillaForm {
                options: options.chinchilla.clone(),
                budgets: options.chinchilla_budgets.clone(),
                single_pass_only: options.chinchilla_single_pass,
            }),
            Form::Approach1 => Fitter::Approach1(Approach1Form {
                options: options.approach1,
            }),
            Form::Approach2 => Fitter::Approach2(Approach2Form {
                options: options.approach2.clone(),
            }),
            Form::Chained => Fitter::Chained(ChainedForm::new(&options.approach2)),
        }
    }

    /// The form this fitter fits.
    pub fn form(&self) -> Form {
        each_form!(self, f => f.form())
    }

    /// See [`FormFitter::unusable`].
    pub fn unusable(&self, table: &RunTable, row: usize) -> Option<Unusable> {
        each_form!(self, f => f.unusable(table, row))
    }

    /// See [`FormFitter::check`].
    pub fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        each_form!(self, f => f.check(table, rows))
    }

    /// Fits, bootstraps and reports (see [`fit_form`]).
    pub fn fit(
        &self,
        table: &RunTable,
        split: Split,
        resampling: Option<Resampling>,
        tick: &(dyn Fn() + Sync),
    ) -> Result<FormFit, FitError> {
        each_form!(self, f => fit_form(f, table, split, resampling, tick))
    }
}
