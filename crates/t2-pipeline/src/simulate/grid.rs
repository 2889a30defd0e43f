//! The checkpoint grid of a simulation: read from a CSV (N and D, or N and C_train) or generated on isoFLOP
//! levels.

use std::path::Path;

use t2_core::compute::tokens_for_budget;
use t2_core::simulate::isoflop_checkpoints;
use t2_core::table::ExtraColumn;
use t2_ingest::IngestError;

/// Checkpoints (N, D) and the grid file's other columns, carried as text.
pub struct Grid {
    /// The checkpoints (N, D).
    pub checkpoints: Vec<(f64, f64)>,
    /// The grid file's other columns.
    pub extra: Vec<ExtraColumn>,
}

/// Reads a checkpoint grid CSV with a `params` column and a `tokens` column (or `train_flops`, D = C/(6N));
/// `rename` maps canonical names to the file's (e.g. ("params", "Model Size")). Other columns (e.g. `origin`,
/// or `train_flops` beside `tokens`) are carried as text.
pub fn read_grid(path: &Path, rename: &[(String, String)]) -> Result<Grid, IngestError> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| IngestError::file(path, format!("cannot read: {e}")))?;
    t2_ingest::files::note_read(path);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| IngestError::file(path, format!("cannot read the header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let name_of = |canonical: &str| {
        rename
            .iter()
            .find(|(c, _)| c == canonical)
            .map_or(canonical.to_string(), |(_, n)| n.clone())
    };
    let position = |name: &str| header.iter().position(|h| h == name);
    let params_name = name_of("params");
    let params_at = position(&params_name).ok_or_else(|| {
        IngestError::column(
            path,
            &params_name,
            "no such column (map another with --grid-col params=NAME)",
        )
    })?;
    let (tokens_name, tokens_at, is_flops) = match position(&name_of("tokens")) {
        Some(at) => (name_of("tokens"), at, false),
        None => {
            let flops = name_of("train_flops");
            let at = position(&flops).ok_or_else(|| {
                IngestError::file(
                    path,
                    "needs a 'tokens' or a 'train_flops' column (map with --grid-col)",
                )
            })?;
            (flops, at, true)
        }
    };
    let carried: Vec<usize> = (0..header.len())
        .filter(|&i| i != params_at && i != tokens_at)
        .collect();
    let mut grid = Grid {
        checkpoints: Vec::new(),
        extra: carried
            .iter()
            .map(|&i| ExtraColumn {
                name: header[i].clone(),
                values: Vec::new(),
            })
            .collect(),
    };
    for (index, record) in reader.records().enumerate() {
        let row = t2_ingest::error::sheet_row(index);
        let record = record.map_err(|e| IngestError::file(path, format!("row {row}: {e}")))?;
        let number = |at: usize, name: &str| -> Result<f64, IngestError> {
            let text = record.get(at).unwrap_or("").trim();
            match text.parse::<f64>() {
                Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
                _ => Err(IngestError::cell(
                    path,
                    row,
                    name,
                    format!("expected a positive number, got '{text}'"),
                )),
            }
        };
        let params = number(params_at, &params_name)?;
        let second = number(tokens_at, &tokens_name)?;
        let tokens = if is_flops {
            tokens_for_budget(params, second)
        } else {
            second
        };
        grid.checkpoints.push((params, tokens));
        for (column, &at) in grid.extra.iter_mut().zip(&carried) {
            column.values.push(record.get(at).unwrap_or("").to_string());
        }
    }
    if grid.checkpoints.is_empty() {
        return Err(IngestError::file(path, "the grid has no rows"));
    }
    Ok(grid)
}

/// The generated grid [`isoflop_checkpoints`] (the paper's levels C = 1.25e16·2^i, sizes from 1/4 to 4 times
/// the 20-tokens-per-parameter size), with a `train_flops` column.
pub fn isoflop_grid(levels: usize, sizes: usize) -> Grid {
    let grid = isoflop_checkpoints(levels, sizes);
    Grid {
        checkpoints: grid.iter().map(|&(n, d, _)| (n, d)).collect(),
        extra: vec![ExtraColumn {
            name: "train_flops".into(),
            values: grid.iter().map(|&(_, _, c)| format!("{c:e}")).collect(),
        }],
    }
}
