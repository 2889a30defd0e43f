//! A fake [`FormFitter`] for testing what [`fit_form`] does around any form (resampling, failed and cancelled
//! refits, determinism whatever the thread count) without a real fit: the "law" is the mean loss of the rows,
//! whose bootstrap distribution is known exactly.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use t2_core::plan::Metric;
use t2_core::{ChinchillaParams, Form, ModelParams, RunTable};

use super::{fit_form, FormFitter, Refitted, Resampling, Split, Unusable};
use crate::bootstrap::BootstrapOptions;
use crate::error::FitError;
use crate::report::{Diagnostics, FormFit, Kind, ObjectiveReport, Quantity};

/// Fits the mean loss; a set of rows with fewer than `min_values` distinct losses cannot identify it.
struct MeanForm {
    min_values: usize,
    /// Refits made (to see which resamples reached the form).
    refits: Mutex<usize>,
}

fn mean(table: &RunTable, rows: &[usize]) -> f64 {
    let loss = table.loss.as_ref().expect("the fake table has a loss");
    rows.iter().map(|&i| loss[i]).sum::<f64>() / rows.len() as f64
}

impl FormFitter for MeanForm {
    type Fit = f64;
    type Params = f64;

    fn form(&self) -> Form {
        Form::Chinchilla
    }

    fn unusable(&self, _table: &RunTable, _row: usize) -> Option<Unusable> {
        None
    }

    fn check(&self, table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
        let loss = table.loss.as_ref().expect("the fake table has a loss");
        let mut values: Vec<u64> = rows.iter().map(|&i| loss[i].to_bits()).collect();
        values.sort_unstable();
        values.dedup();
        if values.len() < self.min_values {
            return Err(FitError::NotIdentifiable {
                form: Form::Chinchilla,
                what: "distinct losses".into(),
                have: values.len(),
                need: self.min_values,
                consequence: "the fake needs variety",
            });
        }
        Ok(())
    }

    fn fit(&self, table: &RunTable, rows: &[usize]) -> Result<f64, FitError> {
        Ok(mean(table, rows))
    }

    fn refit(&self, table: &RunTable, rows: &[usize], _full: &f64) -> Option<Refitted<f64>> {
        *self.refits.lock().unwrap() += 1;
        Some(Refitted::warm(mean(table, rows)))
    }

    fn report(
        &self,
        _table: &RunTable,
        split: Split,
        fit: &f64,
        draws: Option<super::Draws<f64>>,
    ) -> FormFit {
        let wrap = |e: f64| {
            ModelParams::Chinchilla(ChinchillaParams {
                e,
                ..ChinchillaParams::HOFFMANN
            })
        };
        let (estimates, bootstrap) = crate::formfit::estimates(
            &[Quantity::new("E", Kind::Scale)],
            &[*fit],
            draws,
            wrap,
            |&e| vec![e],
            |_| false,
        );
        FormFit {
            form: Form::Chinchilla,
            task: None,
            target: Metric::Loss,
            params: wrap(*fit),
            estimates,
            objective: ObjectiveReport {
                name: "mean".into(),
                value: 0.0,
                rows_used: split.train.len(),
                r_squared: f64::NAN,
            },
            diagnostics: Diagnostics::without_search("closed form"),
            bootstrap,
            predictions: vec![],
            heldout_relative_error: None,
            rows_left_out: vec![],
            floor: None,
            forecast: None,
            misfit: vec![],
            trust: Default::default(),
        }
    }
}

/// Ten rows with losses 1, 2, …, 10, each its own unit.
fn table() -> RunTable {
    RunTable {
        params: vec![1e8; 10],
        tokens: vec![1e9; 10],
        k: vec![1.0; 10],
        loss: Some((1..=10).map(f64::from).collect()),
        ..RunTable::default()
    }
}

fn run(form: &MeanForm, resamples: usize, cancel: Option<&AtomicBool>) -> FormFit {
    let table = table();
    let rows: Vec<usize> = (0..10).collect();
    let resampling = Resampling {
        options: BootstrapOptions::new(resamples, 3, 0.9).unwrap(),
        unit_of_row: &rows,
        unit: "row",
        cancel,
    };
    let split = Split {
        train: &rows,
        heldout: &[],
    };
    fit_form(form, &table, split, Some(resampling), &|| {}).unwrap()
}

fn fake(min_values: usize) -> MeanForm {
    MeanForm {
        min_values,
        refits: Mutex::new(0),
    }
}

#[test]
fn the_bootstrap_of_a_mean_is_the_same_whatever_the_threads() {
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| run(&fake(1), 400, None))
    };
    let one = on(1);
    let e = &one.estimates[0];
    assert_eq!(e.value, 5.5);
    // The mean of 10 draws from 1..=10 has sd 2.87/√10 = 0.91: a 90% interval about 5.5 ± 1.5.
    let (lo, hi) = (e.lo.unwrap(), e.hi.unwrap());
    assert!((3.5..5.0).contains(&lo) && (6.0..7.5).contains(&hi), "{lo} {hi}");
    for threads in [2, 4] {
        let many = on(threads);
        assert_eq!(many.estimates, one.estimates);
        assert_eq!(many.bootstrap, one.bootstrap);
    }
}

#[test]
fn resamples_the_form_cannot_identify_count_as_failed_and_never_reach_it() {
    // Ten draws of ten rows hold 7 or more distinct rows about half the time (0.51 by simulation): the other
    // half must fail without a refit.
    let form = fake(7);
    let fit = run(&form, 300, None);
    let summary = fit.bootstrap.unwrap();
    assert_eq!(summary.resamples, 300);
    assert!((100..200).contains(&summary.failed), "{}", summary.failed);
    assert_eq!(*form.refits.lock().unwrap(), 300 - summary.failed);
    assert_eq!(summary.draws.len(), 300 - summary.failed);
}

#[test]
fn a_cancelled_bootstrap_refits_nothing() {
    let form = fake(1);
    let cancel = AtomicBool::new(true);
    let fit = run(&form, 200, Some(&cancel));
    assert_eq!(fit.bootstrap.unwrap().failed, 200);
    assert_eq!(*form.refits.lock().unwrap(), 0);
}
