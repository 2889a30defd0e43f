//! The libraries' errors as Python exceptions, with the messages the command line prints.

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use t2_pipeline::Error;

pyo3::create_exception!(
    t2,
    T2Error,
    PyValueError,
    "Bad input or a request t2 cannot carry out. The message is the command line's; `path`, `row` (1-based, \
     the header is row 1, so a data frame's first row is row 2) and `column` are set where it names them."
);

/// `error` as the exception a Python caller gets: [`T2Error`] for bad input (with `path`, `row` and `column`),
/// `OSError` for a file that cannot be read or written, `RuntimeError` for anything else. The message is the
/// command line's, control characters escaped as it prints them.
pub fn to_py(error: Error) -> PyErr {
    let message = t2_core::words::printable(&error.to_string()).into_owned();
    if matches!(error, Error::Io { .. }) {
        return PyOSError::new_err(message);
    }
    if !error.is_bad_input() {
        return PyRuntimeError::new_err(message);
    }
    let (path, row, column) = match &error {
        Error::Ingest(e) => (Some(e.path.display().to_string()), e.row, e.column.clone()),
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

/// A request error ([`T2Error`]) from a message.
pub fn bad(message: impl Into<String>) -> PyErr {
    to_py(Error::Request(message.into()))
}
