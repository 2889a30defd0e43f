//! Column tables ([`t2_pipeline::frames::ColumnTable`]) as Python values: a list of (name, dtype, values)
//! triples, dtype one of "f64", "u64", "str", "bool", which the Python layer turns into a DataFrame with that
//! schema (so an all-missing column keeps its type).

use pyo3::prelude::*;
use pyo3::types::PyList;
use t2_pipeline::frames::{Column, ColumnTable};

/// `table` as [(name, dtype, [values…]), …].
pub fn to_python<'py>(py: Python<'py>, table: &ColumnTable) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for (name, column) in &table.columns {
        let (dtype, values) = match column {
            Column::Number(v) => ("f64", v.into_pyobject(py)?.into_any()),
            Column::Count(v) => ("u64", v.into_pyobject(py)?.into_any()),
            Column::Text(v) => ("str", v.into_pyobject(py)?.into_any()),
            Column::Flag(v) => ("bool", v.into_pyobject(py)?.into_any()),
        };
        out.append((name, dtype, values))?;
    }
    Ok(out)
}
