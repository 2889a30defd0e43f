//! The native part of the t2 Python package (`t2._t2`): the libraries' pipeline behind a few classes and
//! functions. The Python layer (`python/t2/__init__.py`) gives them their documented signatures, turns data
//! frames into Arrow IPC bytes for [`sweep::Sweep::from_arrow`], and column tables into DataFrames.
//!
//! Fits run with the GIL released and without progress output. Errors carry the command line's messages:
//! every error is a `t2.T2Error` (a `ValueError`), with `path`, `row` and `column` attributes where the
//! message names them; a file that cannot be read or written raises `t2.T2FileError`, a `T2Error` that is
//! also an `OSError`.

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
    m.add("T2FileError", errors::file_error_type(m.py())?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<sweep::Sweep>()?;
    m.add_class::<fit::Fit>()?;
    m.add_class::<plan::Plan>()?;
    m.add_class::<plan::Scenario>()?;
    m.add_function(wrap_pyfunction!(fit::fit_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(fit::fit_chinchilla, m)?)?;
    m.add_function(wrap_pyfunction!(fit::compare, m)?)?;
    m.add_function(wrap_pyfunction!(plan::budget_values, m)?)?;
    m.add("DEFAULTS", defaults(m.py())?)?;
    Ok(())
}

/// The library's defaults ([`t2_pipeline::defaults`]) by the Python keyword they are the default of.
fn defaults(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    use t2_pipeline::defaults as d;
    let out = pyo3::types::PyDict::new(py);
    out.set_item("bootstrap", d::RESAMPLES)?;
    out.set_item("seed", d::SEED)?;
    out.set_item("level", d::LEVEL)?;
    out.set_item("holdout_share", d::HOLDOUT_SHARE)?;
    out.set_item("huber_delta", d::HUBER_DELTA)?;
    out.set_item("train_flops", d::TRAIN_FLOPS)?;
    out.set_item("points", d::POINTS)?;
    out.set_item("inference_flops", d::INFERENCE_FLOPS)?;
    out.set_item("tokens_per_sample", d::TOKENS_PER_SAMPLE)?;
    out.set_item("prompt_tokens", d::PROMPT_TOKENS)?;
    out.set_item("repetition_horizon", d::REPETITION_HORIZON)?;
    out.set_item("target_train_flops", d::DESIGN_TARGET_TRAIN_FLOPS)?;
    out.set_item("max_runs", d::DESIGN_MAX_RUNS)?;
    out.set_item("chinchilla_budgets", d::CHINCHILLA_BUDGETS.to_vec())?;
    Ok(out)
}
