//! Simulated sweeps written to files (for recovery tests and the example data): the checkpoint grid (read or
//! generated), the truth (defaults, key=value lists or a JSON file), and the output as a run table or as
//! per-problem sampled results.

pub mod grid;
pub mod truth;

use std::path::Path;

use t2_core::simulate::{simulate_problems, simulate_runs, SimulationSpec};
use t2_core::table::ExtraColumn;

use crate::error::Error;
use grid::Grid;

/// What a simulation wrote: rows, and the file.
pub struct Simulated {
    /// Rows written.
    pub rows: usize,
}

/// Simulates `spec` on `grid` and writes it to `out` (atomically): a run table (.csv or .parquet), or with
/// `per_problem` samples per problem, per-problem sampled results (.csv) that `t2 ingest` aggregates. The grid's
/// extra columns (e.g. `origin`) are carried into every row of their checkpoint.
pub fn write_simulation(
    spec: &SimulationSpec,
    grid: &Grid,
    per_problem: Option<u64>,
    out: &Path,
) -> Result<Simulated, Error> {
    let rows = match per_problem {
        Some(samples) => write_problems(spec, samples, &grid.extra, out)?,
        None => {
            let runs = simulate_runs(spec).map_err(|e| Error::Request(e.to_string()))?;
            let mut table = runs.table;
            table.extra = carry(&grid.extra, &runs.checkpoint_of_row);
            t2_ingest::write_runs(&table, out, None)?;
            table.len()
        }
    };
    Ok(Simulated { rows })
}

/// The grid's extra columns, one value per output row (`checkpoint_of_row` indexes the grid).
fn carry(extra: &[ExtraColumn], checkpoint_of_row: &[usize]) -> Vec<ExtraColumn> {
    extra
        .iter()
        .map(|c| ExtraColumn {
            name: c.name.clone(),
            values: checkpoint_of_row.iter().map(|&i| c.values[i].clone()).collect(),
        })
        .collect()
}

/// Per-problem rows as CSV: params, tokens, task, problem, samples, correct, then the grid's extra columns.
fn write_problems(
    spec: &SimulationSpec,
    samples: u64,
    extra: &[ExtraColumn],
    out: &Path,
) -> Result<usize, Error> {
    let rows = simulate_problems(spec, samples).map_err(|e| Error::Request(e.to_string()))?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["params", "tokens", "task", "problem", "samples", "correct"];
    header.extend(extra.iter().map(|c| c.name.as_str()));
    let fail = |e: csv::Error| Error::io(out, e);
    writer.write_record(&header).map_err(fail)?;
    for row in &rows {
        let (params, tokens) = spec.checkpoints[row.checkpoint];
        let mut record = vec![
            params.to_string(),
            tokens.to_string(),
            spec.tasks[row.task].name.clone(),
            format!("{}_{}", spec.tasks[row.task].name, row.problem),
            row.samples.to_string(),
            row.correct.to_string(),
        ];
        record.extend(extra.iter().map(|c| c.values[row.checkpoint].clone()));
        writer.write_record(&record).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::io(out, e))?;
    t2_ingest::files::write_bytes(out, &bytes).map_err(|e| Error::write(out, e))?;
    Ok(rows.len())
}
