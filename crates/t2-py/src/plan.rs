//! `Plan`: compute-optimal N*, D*, k* per form and budget, with bands and verdicts.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyList;
use t2_pipeline::frames;
use t2_pipeline::plan::{output, FormPlan};

use crate::columns;
use crate::errors::to_py;
use t2_core::words::counted;

/// A plan made by `Fit.plan`.
#[pyclass(module = "t2._t2", frozen)]
pub struct Plan {
    pub plans: Vec<FormPlan>,
    pub inference_flops: f64,
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
        output::table(&self.plans, self.inference_flops, full)
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

/// The training budgets a `--train-flops` value names: `"1e21"`, `"1e19,1e21"` or a log range `"1e17..1e25"`
/// with `points` values.
#[pyfunction]
pub fn train_budgets(spec: &str, points: usize) -> PyResult<Vec<f64>> {
    let spec = t2_pipeline::plan::parse_flops_spec(spec)
        .map_err(|e| crate::errors::bad(format!("train_flops: {e}")))?;
    spec.checked_values(points).map_err(crate::errors::to_py)
}
