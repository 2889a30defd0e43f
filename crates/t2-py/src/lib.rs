//! The native part of the t2 Python package (`t2._t2`): the libraries' pipeline behind a few classes and
//! functions. The Python layer (`python/t2/__init__.py`) gives them their documented signatures, turns data
//! frames into Arrow IPC bytes for [`sweep::Sweep::from_arrow`], and column tables into DataFrames.
//!
//! Fits run with the GIL released and without progress output. Errors carry the command line's messages:
//! bad input raises `t2.T2Error` (a `ValueError`) with `path`, `row` and `column` attributes where the
//! message names them; a file that cannot be written raises `OSError`.

mod columns;
mod errors;
mod fit;
mod plan;
mod sweep;

use pyo3::prelude::*;

/// The module `t2._t2`.
#[pymodule]
fn _t2(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("T2Error", m.py().get_type::<errors::T2Error>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<sweep::Sweep>()?;
    m.add_class::<fit::Fit>()?;
    m.add_class::<plan::Plan>()?;
    m.add_function(wrap_pyfunction!(fit::fit_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(fit::fit_chinchilla, m)?)?;
    m.add_function(wrap_pyfunction!(fit::compare, m)?)?;
    m.add_function(wrap_pyfunction!(plan::train_budgets, m)?)?;
    m.add("DEFAULT_POINTS", t2_pipeline::plan::DEFAULT_POINTS)?;
    Ok(())
}
