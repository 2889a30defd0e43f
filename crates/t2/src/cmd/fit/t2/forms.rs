//! Fitting one form on one [`FitUnit`]: the full fit on the train rows, the bootstrap by resampling unit
//! (checkpoint or a cluster column) and the reported [`FormFit`] with predictions on the held-out rows.

use serde::Serialize;
use t2_core::{Form, RunTable};
use t2_fit::approach1::{self, Approach1Options};
use t2_fit::approach2::{self, Approach2Options};
use t2_fit::bootstrap::{self, unit_ids, BootstrapOptions};
use t2_fit::chinchilla::{self, ChinchillaOptions, FitData};
use t2_fit::{FitError, FormFit};

use super::units::FitUnit;

/// What to bootstrap over: whole checkpoints (all k rows of one (N, D)) or the values of a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cluster {
    Checkpoint,
    Column(String),
}

impl Cluster {
    /// The resampling unit of every row of `table`.
    pub fn ids(&self, table: &RunTable) -> Result<Vec<usize>, FitError> {
        match self {
            Cluster::Checkpoint => Ok(table.checkpoint_ids()),
            Cluster::Column(name) => table
                .extra
                .iter()
                .find(|c| &c.name == name)
                .map(|c| unit_ids(&c.values))
                .ok_or_else(|| {
                    let present: Vec<&str> = table.extra.iter().map(|c| c.name.as_str()).collect();
                    FitError(format!(
                        "--cluster {name}: the table has no column '{name}' (use 'checkpoint' or one of the extra \
                         columns: {})",
                        present.join(", ")
                    ))
                }),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Cluster::Checkpoint => "checkpoint",
            Cluster::Column(name) => name,
        }
    }
}

/// Everything that defines the fits besides the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub chinchilla: ChinchillaOptions,
    pub approach1: Approach1Options,
    pub approach2: Approach2Options,
    /// None: no bootstrap.
    pub bootstrap: Option<BootstrapOptions>,
    pub cluster: Cluster,
}

/// Resampling units of `rows` of `table`.
fn units_of(table: &RunTable, rows: &[usize], cluster: &Cluster) -> Result<Vec<usize>, FitError> {
    let ids = cluster.ids(table)?;
    Ok(rows.iter().map(|&r| ids[r]).collect())
}

/// Fits `form` on `unit`; `tick` is called once per bootstrap resample.
pub fn fit_form(
    form: Form,
    unit: &FitUnit,
    settings: &Settings,
    tick: &(dyn Fn() + Sync),
) -> Result<FormFit, FitError> {
    let mut fit = match form {
        Form::Chinchilla => fit_chinchilla(unit, settings, tick),
        Form::Approach1 => fit_approach1(unit, settings, tick),
        Form::Approach2 => fit_approach2(unit, settings, tick),
    }?;
    fit.task = unit.task.clone();
    Ok(fit)
}

/// Chinchilla L(N, D) = E + A/N^α + B/D^β on the k = 1 rows (the single-pass loss).
fn fit_chinchilla(
    unit: &FitUnit,
    settings: &Settings,
    tick: &(dyn Fn() + Sync),
) -> Result<FormFit, FitError> {
    let single = unit.table.indices_where(|i| unit.table.k[i] == 1.0);
    if single.is_empty() {
        return Err(FitError(
            "the Chinchilla baseline fits the k = 1 rows, and there are none".into(),
        ));
    }
    let table = unit.table.select(&single);
    let used = table.indices_where(|i| !unit.heldout[single[i]]);
    let data = FitData::new(&table, &used)?;
    let opts = &settings.chinchilla;
    let full = chinchilla::fit(&data, opts);
    let boot = match &settings.bootstrap {
        Some(b) => Some(chinchilla::resample::bootstrap(
            &data,
            &full,
            opts,
            &units_of(&table, &used, &settings.cluster)?,
            settings.cluster.name(),
            b,
            tick,
        )),
        None => None,
    };
    Ok(chinchilla::form_fit::form_fit(
        &table,
        &used,
        &full,
        opts,
        &[],
        boot.as_ref(),
    ))
}

/// A form fitted on the rows of one table (Approach 1 on the loss, Approach 2 on pass@k): full fit on the train
/// rows, bootstrap refits by resampling unit, the [`FormFit`] with held-out predictions.
fn fit_rows<F: Sync, P: Send>(
    unit: &FitUnit,
    settings: &Settings,
    tick: &(dyn Fn() + Sync),
    fit: impl Fn(&RunTable, &[usize]) -> Result<F, FitError>,
    refit: impl Fn(&RunTable, &[usize], &F) -> Option<P> + Sync,
    report: ReportFn<F, P>,
) -> Result<FormFit, FitError> {
    let table = &unit.table;
    let train = unit.train_rows();
    let full = fit(table, &train)?;
    let draws = match &settings.bootstrap {
        Some(b) => {
            let units = units_of(table, &train, &settings.cluster)?;
            let draws = bootstrap::run(&units, b, tick, |positions| {
                let rows: Vec<usize> = positions.iter().map(|&p| train[p]).collect();
                refit(table, &rows, &full)
            });
            Some((draws, b.level))
        }
        None => None,
    };
    let boot = draws
        .as_ref()
        .map(|(d, level)| (d.as_slice(), *level, settings.cluster.name()));
    Ok(report(
        table,
        &train,
        &unit.heldout_rows(),
        &full,
        boot,
        unit.task.clone(),
    ))
}

/// The `form_fit` of a form: (table, train rows, held-out rows, fit, (draws, level, unit), task).
type ReportFn<F, P> =
    fn(&RunTable, &[usize], &[usize], &F, Option<(&[Option<P>], f64, &str)>, Option<String>) -> FormFit;

/// Approach 1 L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ on all rows' loss.
fn fit_approach1(unit: &FitUnit, settings: &Settings, tick: &(dyn Fn() + Sync)) -> Result<FormFit, FitError> {
    let fit = |t: &RunTable, rows: &[usize]| approach1::fit(t, rows, &settings.approach1);
    fit_rows(unit, settings, tick, fit, approach1::refit, approach1::form_fit)
}

/// Approach 2: Chinchilla L̂(N, D) on the k = 1 loss, then the Beta regression on pass@k of all rows.
fn fit_approach2(unit: &FitUnit, settings: &Settings, tick: &(dyn Fn() + Sync)) -> Result<FormFit, FitError> {
    let fit = |t: &RunTable, rows: &[usize]| approach2::fit(t, rows, &settings.approach2);
    fit_rows(unit, settings, tick, fit, approach2::refit, approach2::form_fit)
}
