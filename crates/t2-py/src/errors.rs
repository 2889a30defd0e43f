//! The libraries' errors as Python exceptions, with the messages the command line prints.

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use t2_pipeline::setting::Setting;
use t2_pipeline::Error;

pyo3::create_exception!(
    t2,
    T2Error,
    PyValueError,
    "Bad input or a request t2 cannot carry out. The message is the command line's; `path`, `row` (1-based, \
     the header is row 1, so a data frame's first row is row 2) and `column` are set where it names them."
);

/// `t2.T2FileError`, a [`T2Error`] that is also an `OSError`: a file that cannot be read or written.
static FILE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The `T2FileError` type, made once: `type("T2FileError", (T2Error, OSError), …)` (the macro takes one base).
pub fn file_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    FILE_ERROR
        .get_or_try_init(py, || {
            let namespace = PyDict::new(py);
            namespace.set_item("__module__", "t2")?;
            namespace.set_item(
                "__doc__",
                "A file t2 could not read or write (a T2Error and an OSError): the message names it.",
            )?;
            let bases = (py.get_type::<T2Error>(), py.get_type::<PyOSError>());
            let made = py.get_type::<PyType>().call1(("T2FileError", bases, namespace))?;
            Ok::<_, PyErr>(made.cast_into::<PyType>()?.unbind())
        })
        .map(|ty| ty.bind(py))
}

/// `error` as the exception a Python caller gets, always a [`T2Error`]: with `path`, `row` and `column` for bad
/// input; a `T2FileError` (also an `OSError`) for a file that cannot be read or written; a plain `T2Error` for
/// anything else. The message is the command line's, control characters escaped as it prints them.
pub fn to_py(error: Error) -> PyErr {
    let message = t2_core::words::printable(&error.spelled(keyword)).into_owned();
    if let Error::Io { path, .. } = &error {
        let path = path.display().to_string();
        return Python::attach(|py| match file_error_type(py) {
            Ok(ty) => {
                let err = PyErr::from_type(ty.clone(), message);
                let _ = err.value(py).setattr("path", path);
                err
            }
            Err(e) => e,
        });
    }
    if !error.is_bad_input() {
        return T2Error::new_err(message);
    }
    let (path, row, column) = match &error {
        // A JSON Lines file's row is the line the message names.
        Error::Ingest(e) => (
            Some(e.path.display().to_string()),
            e.row.map(|r| if e.lines { r.saturating_sub(1) } else { r }),
            e.column.clone(),
        ),
        Error::Fit(f) => (Some(f.file.display().to_string()), f.rows.first(), None),
        Error::FitFile { path, .. } => (Some(path.display().to_string()), None, None),
        _ => (None, None, None),
    };
    Python::attach(|py| {
        let err = T2Error::new_err(message);
        let value = err.value(py);
        // Setting an attribute on a fresh exception instance cannot fail.
        let _ = value.setattr("path", path);
        let _ = value.setattr("row", row);
        let _ = value.setattr("column", column);
        err
    })
}

/// The keyword that sets `setting` (an exhaustive match: a new option must be given its keyword here).
pub fn keyword(setting: Setting) -> &'static str {
    match setting {
        Setting::Bootstrap => "bootstrap",
        Setting::Level => "level",
        Setting::HoldoutShare => "holdout_share",
        Setting::TrainWhere => "train_where",
        Setting::HoldoutWhere => "holdout_where",
        Setting::HuberDelta => "huber_delta",
        Setting::Delta => "delta",
        Setting::Starts => "starts",
        Setting::GridAxis => "grid_axis",
        Setting::Constraints => "pin/bound",
        Setting::Budgets => "budgets",
        Setting::Task => "task",
        Setting::Cluster => "cluster",
        Setting::Points => "points",
        Setting::TrainFlops => "train_flops",
        Setting::InferenceFlops => "inference_flops",
        Setting::TotalFlops => "total_flops",
        Setting::Queries => "queries",
        Setting::PromptTokens => "prompt_tokens",
        Setting::TokensPerSample => "tokens_per_sample",
        Setting::UniqueTokens => "unique_tokens",
        Setting::RepetitionHorizon => "repetition_horizon",
        Setting::Params => "params",
        Setting::Tokens => "tokens",
        Setting::TargetLoss => "target_loss",
        Setting::TargetPassAtK => "target_pass_at_k",
        Setting::DesignBudget => "budget",
        Setting::MaxRunFlops => "max_run_flops",
        Setting::TargetTrainFlops => "target_train_flops",
        Setting::Threads => "threads",
        Setting::Out => "path",
        Setting::FitsChosen => "forms/task",
    }
}

/// A request error ([`T2Error`]) from a message.
pub fn bad(message: impl Into<String>) -> PyErr {
    to_py(Error::Request(message.into()))
}
