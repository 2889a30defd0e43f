//! One shape for every parametric form: [`FormFitter`] (which rows it can use, whether they identify it, the
//! full fit, a refit on a bootstrap resample, the report), and [`fit_form`], the one driver that fits any form
//! and bootstraps it.
//!
//! Adding a form means implementing [`FormFitter`] for it (next to its math and objective) and registering it
//! where the caller matches on [`t2_core::Form`]; those matches are exhaustive, so a missed one does not compile.

use t2_core::{Form, RunTable};

use crate::bootstrap::{self, BootstrapOptions};
use crate::error::FitError;
use crate::report::FormFit;

/// Why a row cannot enter a form's fit. Such rows are left out of that form only, and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unusable {
    /// k ≠ 1, and the form is fitted to the single-pass loss.
    NotSingleSample,
    /// The table has no loss column, or the row's loss is infinite (no sample was correct: −ln 0).
    NoFiniteLoss,
    /// Loss 0: the log-space fit needs ln L.
    ZeroLoss,
    /// The table has no pass_at_k column.
    NoPassAtK,
    /// Weight 0: the row carries no information.
    ZeroWeight,
    /// The table has no pretrain_loss column (the chained form's loss law is fitted to it).
    NoPretrainLoss,
}

impl Unusable {
    /// Why, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Unusable::NotSingleSample => "k ≠ 1 (the law is fitted to the single-pass loss)",
            Unusable::NoFiniteLoss => "no finite loss (no sample was correct: −ln 0 is infinite)",
            Unusable::ZeroLoss => "loss 0 (the fit is in log space)",
            Unusable::NoPassAtK => "no pass@k",
            Unusable::ZeroWeight => "weight 0",
            Unusable::NoPretrainLoss => {
                "no pretrain_loss column (give one, or join it with --pretrain-loss FILE)"
            }
        }
    }
}

/// Which rows of the table a fit learns from, and which it predicts without fitting them (the extrapolation
/// check). Table indices, each once.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// Rows fitted.
    pub train: &'a [usize],
    /// Rows predicted but not fitted.
    pub heldout: &'a [usize],
}

/// A bootstrap refit: the parameters, and whether a start other than the warm one (the guard) found a better
/// basin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refitted<P> {
    /// The refitted parameters.
    pub params: P,
    /// Whether a guard start beat the warm start.
    pub guard_won: bool,
}

impl<P> Refitted<P> {
    /// A refit from the warm start.
    pub fn warm(params: P) -> Refitted<P> {
        Refitted {
            params,
            guard_won: false,
        }
    }
}

/// The bootstrap refits of a fit: one entry per resample (None: the refit failed or its resample could not
/// identify the form), with the options that drew them and the resampling unit's name.
#[derive(Debug, Clone, Copy)]
pub struct Draws<'a, P> {
    /// One entry per resample.
    pub draws: &'a [Option<P>],
    /// The bootstrap that drew them.
    pub options: &'a BootstrapOptions,
    /// The resampling unit's name.
    pub unit: &'a str,
    /// Refits whose guard found a better basin than the warm start's.
    pub guard_won: usize,
}

/// A parametric form that can be fitted to rows of a run table, refitted on a resample and reported.
pub trait FormFitter: Sync {
    /// The full fit, with what a warm refit needs.
    type Fit: Sync;
    /// A fitted parameter set (a bootstrap draw).
    type Params: Copy + Send + Sync;

    /// The form fitted.
    fn form(&self) -> Form;

    /// Why table row `row` cannot enter this form's fit; None when it can.
    fn unusable(&self, table: &RunTable, row: usize) -> Option<Unusable>;

    /// Whether `rows` (usable ones, repeats allowed) can identify the form; the error says what is missing.
    /// Cheap: called before any fit and on every bootstrap resample.
    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError>;

    /// The full fit of `rows`.
    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<Self::Fit, FitError>;

    /// A cheap refit of `rows` (a resample, repeats allowed) warm-started from `full`, with a guard against a
    /// worse basin; None when it failed.
    fn refit(&self, table: &RunTable, rows: &[usize], full: &Self::Fit) -> Option<Refitted<Self::Params>>;

    /// The report of `fit`: estimates (with intervals from `draws`), objective, diagnostics, predictions on the
    /// train and held-out rows of `split`.
    fn report(
        &self,
        table: &RunTable,
        split: Split,
        fit: &Self::Fit,
        draws: Option<Draws<Self::Params>>,
    ) -> FormFit;
}

/// How to resample: the options and the unit of every table row (see [`bootstrap::Units`]).
#[derive(Debug, Clone, Copy)]
pub struct Resampling<'a> {
    /// The bootstrap to run.
    pub options: BootstrapOptions,
    /// Resampling unit of each table row (e.g. `RunTable::checkpoint_ids`).
    pub unit_of_row: &'a [usize],
    /// "row", "checkpoint" or a column's name.
    pub unit: &'a str,
    /// Set from outside to stop: the resamples not yet refitted are skipped (each returns at once), so the
    /// bootstrap ends within one refit per thread. The caller then discards the fit.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

/// Fits `fitter` to the train rows of `split`, bootstraps it when `resampling` is given (resample i from
/// stream i of the seed; a resample that cannot identify the form counts as failed) and reports it. `tick` is
/// called after each resample. Bit-identical for any thread count.
pub fn fit_form<F: FormFitter>(
    fitter: &F,
    table: &RunTable,
    split: Split,
    resampling: Option<Resampling>,
    tick: &(dyn Fn() + Sync),
) -> Result<FormFit, FitError> {
    fitter.check(table, split.train)?;
    let full = fitter.fit(table, split.train)?;
    let refits = resampling.map(|r| {
        let units: Vec<usize> = split.train.iter().map(|&i| r.unit_of_row[i]).collect();
        bootstrap::run(&units, &r.options, tick, |positions| {
            if r.cancel
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
            {
                return None;
            }
            let rows: Vec<usize> = positions.iter().map(|&p| split.train[p]).collect();
            fitter.check(table, &rows).ok()?;
            fitter.refit(table, &rows, &full)
        })
    });
    let report = match (&refits, resampling) {
        (Some(refits), Some(r)) => {
            let draws: Vec<Option<F::Params>> = refits.iter().map(|d| d.map(|d| d.params)).collect();
            let guard_won = refits.iter().flatten().filter(|d| d.guard_won).count();
            let draws = Draws {
                draws: &draws,
                options: &r.options,
                unit: r.unit,
                guard_won,
            };
            fitter.report(table, split, &full, Some(draws))
        }
        _ => fitter.report(table, split, &full, None),
    };
    Ok(report)
}

/// The rows of `rows` that a form can use (`unusable(row)` is None), and those it cannot, grouped by reason
/// (reasons in order of first appearance).
pub fn usable_rows(
    rows: &[usize],
    unusable: impl Fn(usize) -> Option<Unusable>,
) -> (Vec<usize>, Vec<(Unusable, Vec<usize>)>) {
    let mut usable = Vec::with_capacity(rows.len());
    let mut left_out: Vec<(Unusable, Vec<usize>)> = Vec::new();
    for &row in rows {
        match unusable(row) {
            None => usable.push(row),
            Some(reason) => match left_out.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, list)) => list.push(row),
                None => left_out.push((reason, vec![row])),
            },
        }
    }
    (usable, left_out)
}

#[cfg(test)]
#[path = "form_fake.rs"]
mod fake;
