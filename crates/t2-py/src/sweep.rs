//! `Sweep`: a validated sweep, read from a file or from a data frame's Arrow IPC bytes.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyList;
use t2_ingest::lm_eval::{Harness, LmEval};
use t2_ingest::{Format, IngestOptions, Ingested, InputKind};
use t2_pipeline::tables::ingest::{describe_report, describe_summary};
use t2_pipeline::Error;

use crate::columns;
use crate::errors::{bad, to_py};

/// A sweep ingest has read and validated: its run table, and what was read and dropped.
#[pyclass(module = "t2._t2", frozen)]
pub struct Sweep {
    pub ingested: Ingested,
}

/// The ingest options of the Python keywords (the command line's `--format`, `--col`, `--kind`, `--k`,
/// `--drop-unestimable`, `--pretrain-loss`).
fn options(
    format: Option<&str>,
    columns: Vec<(String, String)>,
    kind: Option<&str>,
    k: Option<Vec<f64>>,
    drop_unestimable: bool,
    pretrain_loss: Option<PathBuf>,
    correct_if: Option<&str>,
) -> PyResult<IngestOptions> {
    Ok(IngestOptions {
        format: format.map(|f| f.parse::<Format>()).transpose().map_err(bad)?,
        columns,
        kind: kind.map(|k| k.parse::<InputKind>()).transpose().map_err(bad)?,
        k_grid: k,
        drop_unestimable,
        pretrain_loss,
        correct_if: correct_if
            .map(|f| t2_core::filter::Filter::parse(f).map_err(|e| bad(format!("correct_if: {e}"))))
            .transpose()?,
        lm_eval: None,
        batch_rows: None,
    })
}

#[pymethods]
impl Sweep {
    /// Reads a CSV, Parquet or JSON Lines file (run table, per-problem results or raw log), or with `harness`
    /// an index of an evaluation harness's logs (the command line's `--from`, `--lm-eval-metric`,
    /// `--lm-eval-filter`).
    #[staticmethod]
    #[pyo3(signature = (path, *, columns = Vec::new(), format = None, kind = None, k = None, drop_unestimable = false,
        pretrain_loss = None, correct_if = None, harness = None, lm_eval_metric = None, lm_eval_filter = None))]
    #[allow(clippy::too_many_arguments)]
    fn read(
        py: Python<'_>,
        path: PathBuf,
        columns: Vec<(String, String)>,
        format: Option<&str>,
        kind: Option<&str>,
        k: Option<Vec<f64>>,
        drop_unestimable: bool,
        pretrain_loss: Option<PathBuf>,
        correct_if: Option<&str>,
        harness: Option<&str>,
        lm_eval_metric: Option<String>,
        lm_eval_filter: Option<String>,
    ) -> PyResult<Sweep> {
        let mut opts = options(
            format,
            columns,
            kind,
            k,
            drop_unestimable,
            pretrain_loss,
            correct_if,
        )?;
        let harness = harness.map(str::parse::<Harness>).transpose().map_err(bad)?;
        if harness.is_none() && (lm_eval_metric.is_some() || lm_eval_filter.is_some()) {
            return Err(bad(
                "lm_eval_metric and lm_eval_filter need harness=\"lm-eval\"".to_string()
            ));
        }
        opts.lm_eval = harness.map(|Harness::LmEval| LmEval {
            metric: lm_eval_metric,
            filter: lm_eval_filter,
        });
        let ingested = py
            .detach(|| t2_ingest::read_runs(&path, &opts))
            .map_err(|e| to_py(Error::Ingest(e)))?;
        Ok(Sweep { ingested })
    }

    /// Reads an Arrow IPC stream (a data frame's), named `name` in errors.
    #[staticmethod]
    #[pyo3(signature = (data, name, *, columns = Vec::new(), kind = None, k = None, drop_unestimable = false,
        pretrain_loss = None, correct_if = None))]
    #[allow(clippy::too_many_arguments)]
    fn from_arrow(
        py: Python<'_>,
        data: &[u8],
        name: &str,
        columns: Vec<(String, String)>,
        kind: Option<&str>,
        k: Option<Vec<f64>>,
        drop_unestimable: bool,
        pretrain_loss: Option<PathBuf>,
        correct_if: Option<&str>,
    ) -> PyResult<Sweep> {
        let opts = options(
            None,
            columns,
            kind,
            k,
            drop_unestimable,
            pretrain_loss,
            correct_if,
        )?;
        let ingested = py
            .detach(|| t2_ingest::read_arrow_stream(data, name, &opts))
            .map_err(|e| to_py(Error::Ingest(e)))?;
        Ok(Sweep { ingested })
    }

    /// The normalised run table as (name, dtype, values) columns.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        columns::to_python(py, &t2_pipeline::frames::run_table(&self.ingested.table))
    }

    /// What ingest read, dropped and warned about, and `t2 inspect`'s summary, as JSON text.
    fn report_json(&self) -> String {
        let summary = t2_ingest::summarize(&self.ingested.table);
        serde_json::json!({ "report": self.ingested.report, "summary": summary }).to_string()
    }

    /// What `t2 inspect` prints: what was read and dropped, then the summary and its warnings.
    fn describe(&self) -> String {
        let table = &self.ingested.table;
        describe_report(&self.ingested.report, table.len()) + &describe_summary(&t2_ingest::summarize(table))
    }

    fn __len__(&self) -> usize {
        self.ingested.table.len()
    }
}
