//! The columns that identify a checkpoint in every kind of input: N, D (or C, giving D = C/(6N)), task.

use crate::columns::Columns;
use crate::error::IngestError;
use t2_core::words::counted;

/// Relative difference between `train_flops` and 6·N·D above which a warning is given.
const FLOPS_MISMATCH_TOLERANCE: f64 = 0.01;

/// Largest training compute 6·N·D t2 takes: above it, products and squares of the fits overflow.
pub const MAX_TRAIN_FLOPS: f64 = 1e100;

/// Per-row checkpoint identity, validated: params ≥ 1, tokens ≥ 1, 6·N·D ≤ [`MAX_TRAIN_FLOPS`].
pub struct Checkpoints {
    pub params: Vec<f64>,
    pub tokens: Vec<f64>,
    /// The file's `train_flops` column, when it has one beside `tokens` (rows that differ only in it are not
    /// duplicates).
    pub train_flops: Option<Vec<f64>>,
    pub task: Option<Vec<String>>,
    /// Canonical columns these values came from (they are not carried through as extras).
    pub consumed: Vec<&'static str>,
    /// Rows where `train_flops` differs from 6·N·D by more than 1% (see [`FlopsMismatch::warning`]).
    pub flops_mismatch: FlopsMismatch,
}

/// Rows whose `train_flops` differs from 6·N·D by more than [`FLOPS_MISMATCH_TOLERANCE`]: how many and the first
/// (spreadsheet row); summed over the batches of a file read in pieces.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FlopsMismatch {
    pub rows: usize,
    pub first: Option<usize>,
}

impl FlopsMismatch {
    pub fn add(&mut self, other: FlopsMismatch) {
        self.rows += other.rows;
        self.first = self.first.or(other.first);
    }

    /// The warning to give, when any row differs.
    pub fn warning(&self) -> Option<String> {
        self.first.map(|first| {
            format!(
                "train_flops differs from 6·N·D by more than {}% on {} (first: row {first}); tokens are used",
                FLOPS_MISMATCH_TOLERANCE * 100.0,
                counted(self.rows, "row")
            )
        })
    }
}

impl Checkpoints {
    pub fn task_of(&self, i: usize) -> &str {
        self.task.as_ref().map_or("", |t| t[i].as_str())
    }
}

/// Reads params, tokens (or train_flops) and task. D = C/(6N) when `tokens` is absent; when both are present a
/// warning reports rows where C differs from 6·N·D by more than 1% (tokens are used).
pub fn read_checkpoints(cols: &Columns) -> Result<Checkpoints, IngestError> {
    let params = cols.required_numbers("params", "N, the parameter count")?;
    check_each(
        cols,
        "params",
        &params,
        |v| v >= 1.0,
        "≥ 1 (N counts parameters: give the count, not millions or billions)",
    )?;
    let flops = cols.numbers("train_flops")?;
    if let Some(flops) = &flops {
        check_each(
            cols,
            "train_flops",
            flops,
            |v| v > 0.0 && v <= MAX_TRAIN_FLOPS,
            "> 0 and at most 1e100 (C is training compute)",
        )?;
    }
    let mut flops_mismatch = FlopsMismatch::default();
    let (tokens, train_flops) = match (cols.numbers("tokens")?, flops) {
        (Some(tokens), flops) => {
            check_each(cols, "tokens", &tokens, |v| v >= 1.0, "≥ 1 (D counts tokens)")?;
            if let Some(flops) = &flops {
                flops_mismatch = mismatch(cols, &params, &tokens, flops);
            }
            (tokens, flops)
        }
        (None, Some(flops)) => {
            let tokens: Vec<f64> = flops
                .iter()
                .zip(&params)
                .map(|(c, n)| t2_core::compute::tokens_for_budget(*n, *c))
                .collect();
            check_each(
                cols,
                "train_flops",
                &tokens,
                |v| v >= 1.0,
                "at least 6·N (D = C/(6N) counts tokens, at least 1)",
            )?;
            (tokens, None)
        }
        (None, None) => {
            return Err(cols.missing(
                "tokens",
                "D, training tokens; or give train_flops to derive D = C/(6N)",
            ))
        }
    };
    let too_much = |c: f64| c.is_nan() || c > MAX_TRAIN_FLOPS;
    if let Some(i) =
        (0..params.len()).find(|&i| too_much(t2_core::compute::train_flops(params[i], tokens[i])))
    {
        return Err(IngestError::cell(
            cols.path(),
            cols.sheet_row(i),
            cols.name_of("params").unwrap_or("params"),
            format!(
                "C = 6·N·D = 6·{:e}·{:e} is above 1e100 FLOPs: the fits' products would overflow",
                params[i], tokens[i]
            ),
        ));
    }
    let task = cols.texts("task")?;
    if let Some(task) = &task {
        if let Some(i) = task.iter().position(|t| t.trim().is_empty()) {
            let name = cols.name_of("task").unwrap_or("task");
            return Err(IngestError::cell(
                cols.path(),
                cols.sheet_row(i),
                name,
                "empty task name",
            ));
        }
    }
    Ok(Checkpoints {
        params,
        tokens,
        train_flops,
        task,
        consumed: vec!["params", "tokens", "train_flops", "task"],
        flops_mismatch,
    })
}

/// Errors at the first row of `canonical` whose value fails `ok`, saying it must be `rule`.
pub fn check_each(
    cols: &Columns,
    canonical: &str,
    values: &[f64],
    ok: impl Fn(f64) -> bool,
    rule: &str,
) -> Result<(), IngestError> {
    match values.iter().position(|&v| !ok(v)) {
        None => Ok(()),
        Some(i) => {
            let name = cols.name_of(canonical).unwrap_or(canonical);
            Err(IngestError::cell(
                cols.path(),
                cols.sheet_row(i),
                name,
                format!("{canonical} = {}: must be {rule}", values[i]),
            ))
        }
    }
}

fn mismatch(cols: &Columns, params: &[f64], tokens: &[f64], flops: &[f64]) -> FlopsMismatch {
    let bad: Vec<usize> = (0..params.len())
        .filter(|&i| {
            let c = t2_core::compute::train_flops(params[i], tokens[i]);
            ((flops[i] - c) / c).abs() > FLOPS_MISMATCH_TOLERANCE
        })
        .collect();
    FlopsMismatch {
        rows: bad.len(),
        first: bad.first().map(|&i| cols.sheet_row(i)),
    }
}
