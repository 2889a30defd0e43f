//! `Plan`: compute-optimal N*, D*, k* per form and budget, with bands and verdicts.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyList;
use t2_pipeline::frames;
use t2_pipeline::plan::{output, FlopsSpec, FormPlan};

use crate::columns;
use crate::errors::to_py;
use t2_core::words::counted;

/// What a plan is asked (budgets or targets, inference cost, unique data, a model that exists): the library's
/// [`t2_pipeline::plan::Scenario`], built once from Python's keywords and checked where it is planned.
#[pyclass(module = "t2._t2", frozen)]
#[derive(Clone)]
pub struct Scenario {
    pub scenario: t2_pipeline::plan::Scenario,
}

#[pymethods]
impl Scenario {
    /// `flops`: the budgets' values (C_train, or C_total with `queries`); the rest as `t2 plan`'s flags.
    #[new]
    #[pyo3(signature = (flops, inference_flops, queries, prompt_tokens, tokens_per_sample, unique_tokens,
                        repetition_horizon, params, tokens, target_loss, target_pass_at_k))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        flops: Vec<f64>,
        inference_flops: f64,
        queries: Option<f64>,
        prompt_tokens: f64,
        tokens_per_sample: f64,
        unique_tokens: Option<f64>,
        repetition_horizon: Option<f64>,
        params: Option<f64>,
        tokens: Option<f64>,
        target_loss: Vec<f64>,
        target_pass_at_k: Vec<f64>,
    ) -> Scenario {
        let points = flops.len();
        Scenario {
            scenario: t2_pipeline::plan::Scenario {
                flops: FlopsSpec::List(flops),
                points,
                inference_flops,
                queries,
                prompt_tokens,
                tokens_per_sample,
                unique_tokens,
                repetition_horizon,
                params,
                tokens,
                target_loss,
                target_pass_at_k,
            },
        }
    }

    fn __repr__(&self) -> String {
        format!("<t2.Scenario: {}>", self.scenario.describe())
    }
}

/// A plan made by `Fit.plan`.
#[pyclass(module = "t2._t2", frozen)]
pub struct Plan {
    pub plans: Vec<FormPlan>,
    pub scenario: t2_pipeline::plan::Scenario,
}

#[pymethods]
impl Plan {
    /// One row per form and budget, the columns of `t2 plan --out plan.csv`.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns::to_python(py, &frames::plans(&self.plans))
    }

    /// The table `t2 plan` prints (`full`: every budget and the reference points).
    #[pyo3(signature = (full = false))]
    fn text(&self, full: bool) -> String {
        output::table(&self.plans, &self.scenario, full)
    }

    /// Writes the plan as .csv or .json, atomically.
    fn write(&self, path: PathBuf) -> PyResult<()> {
        output::write(&self.plans, &path, &[]).map_err(to_py)
    }

    fn __repr__(&self) -> String {
        let rows: usize = self.plans.iter().map(|p| p.rows.len()).sum();
        format!(
            "<t2.Plan: {}, {}>",
            counted(self.plans.len(), "form"),
            counted(rows, "row")
        )
    }
}

/// The budgets a `--train-flops` (or `--total-flops`) value names: `"1e21"`, `"1e19,1e21"` or a log range
/// `"1e17..1e25"` with `points` values; `name` is the keyword errors name.
#[pyfunction]
pub fn budget_values(name: &str, spec: &str, points: usize) -> PyResult<Vec<f64>> {
    let spec =
        t2_pipeline::plan::parse_flops_spec(spec).map_err(|e| crate::errors::bad(format!("{name}: {e}")))?;
    spec.checked_values(points).map_err(crate::errors::to_py)
}
