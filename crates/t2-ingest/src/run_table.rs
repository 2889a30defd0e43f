//! Run tables: one row per (checkpoint, task, k) with loss and/or pass@k.

use std::collections::HashMap;

use t2_core::rowset::RowSet;
use t2_core::RunTable;

use crate::checkpoint::{check_each, read_checkpoints};
use crate::columns::Columns;
use crate::error::{sheet_row, IngestError};
use crate::report::{DroppedRows, TableRead};
use t2_core::words::counted;

/// Largest k: 2^53 (counts above it are not exact in f64).
const MAX_K: f64 = 9_007_199_254_740_992.0;

/// Largest loss (and weight): the fits square losses, and 1e100² is still finite.
const MAX_LOSS: f64 = 1e100;

/// Reads and validates a run table: N > 0, D > 0, k ≥ 1 (k = 1 when the column is absent), loss ≥ 0 (+∞ only
/// where pass@k = 0), 0 ≤ pass@k ≤ 1, weight ≥ 0; loss or pass_at_k must be present. Rows repeating a (checkpoint, task, dataset, k)
/// key with the same values are dropped (reported); with different values they are an error.
pub(crate) fn read_run_table(cols: &Columns) -> Result<TableRead, IngestError> {
    let checkpoints = read_checkpoints(cols)?;
    let mut warnings: Vec<String> = checkpoints.flops_mismatch.warning().into_iter().collect();
    let rows = cols.height();
    let (k, k_defaulted) = cols
        .numbers_or("k", 1.0)?
        .unwrap_or_else(|| (vec![1.0; rows], Vec::new()));
    if let Some(&first) = k_defaulted.first() {
        warnings.push(format!(
            "an empty k cell is read as k = 1 on {} (first: row {})",
            counted(k_defaulted.len(), "row"),
            sheet_row(first)
        ));
    }
    check_each(
        cols,
        "k",
        &k,
        |v| (1.0..=MAX_K).contains(&v),
        "from 1 to 2^53 (k is a number of samples)",
    )?;
    let loss = cols.numbers_or_infinity("loss")?;
    let pass_at_k = cols.numbers("pass_at_k")?;
    if loss.is_none() && pass_at_k.is_none() {
        return Err(cols.missing("loss", "a run table needs loss, pass_at_k or both"));
    }
    if let Some(loss) = &loss {
        check_each(
            cols,
            "loss",
            loss,
            |v| (0.0..=MAX_LOSS).contains(&v) || v == f64::INFINITY,
            "from 0 to 1e100 (a negative log-likelihood)",
        )?;
    }
    if let Some(pass) = &pass_at_k {
        check_each(
            cols,
            "pass_at_k",
            pass,
            |v| (0.0..=1.0).contains(&v),
            "between 0 and 1",
        )
        .map_err(percentage_hint(pass))?;
    }
    if let Some(loss) = &loss {
        // An infinite loss is −ln 0: only where pass@k = 0 says no sample was correct.
        let zero_pass = |i: usize| pass_at_k.as_ref().is_some_and(|p| p[i] == 0.0);
        if let Some(i) = (0..loss.len()).find(|&i| loss[i].is_infinite() && !zero_pass(i)) {
            return Err(IngestError::cell(
                cols.path(),
                sheet_row(i),
                cols.name_of("loss").unwrap_or("loss"),
                "loss = inf is allowed only where pass_at_k = 0 (no sample was correct)",
            ));
        }
    }
    let weight = cols.numbers("weight")?;
    if let Some(weight) = &weight {
        check_each(
            cols,
            "weight",
            weight,
            |v| (0.0..=MAX_LOSS).contains(&v),
            "from 0 to 1e100",
        )?;
    }
    let train_flops = checkpoints.train_flops.clone();
    let mut consumed = checkpoints.consumed.clone();
    consumed.extend(["k", "loss", "pass_at_k", "weight"]);
    warnings.extend(left_out_warnings(
        &cols.unused_canonical(&consumed),
        "a run table",
    ));
    let table = RunTable {
        params: checkpoints.params,
        tokens: checkpoints.tokens,
        k,
        loss,
        pass_at_k,
        task: checkpoints.task,
        weight,
        extra: cols.extras()?,
    };
    let duplicates = exact_duplicates(cols, &table, &train_flops)?;
    let kept = table.indices_where(|i| !duplicates.contains(&i));
    let dropped = if duplicates.is_empty() {
        Vec::new()
    } else {
        vec![DroppedRows {
            reason: "exact duplicate of an earlier row (same checkpoint, task, k and values)".to_string(),
            count: duplicates.len(),
            rows: duplicates.iter().map(|&i| sheet_row(i)).collect(),
        }]
    };
    let source_rows = kept
        .iter()
        .map(|&i| RowSet::run(sheet_row(i), sheet_row(i)))
        .collect();
    Ok(TableRead {
        problem_counts: Vec::new(),
        table: table.select(&kept),
        source_rows,
        dropped,
        warnings,
    })
}

/// "column 'nll' is left out: a run table does not use it, and carried under its name it would be read back
/// as something else".
pub(crate) fn left_out_warnings(names: &[String], kind: &str) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            format!(
                "column '{n}' is left out: {kind} does not use it, and carried under its name it would be read \
                 back as something else (rename it to keep it)"
            )
        })
        .collect()
}

/// Adds "looks like a percentage" to a pass@k error when the column's values lie in [0, 100] with some above 1.
fn percentage_hint(pass: &[f64]) -> impl FnOnce(IngestError) -> IngestError + '_ {
    move |mut e| {
        if pass.iter().all(|v| (0.0..=100.0).contains(v)) {
            e.message
                .push_str(": the column looks like a percentage; divide it by 100");
        }
        e
    }
}

/// Indices of rows that repeat an earlier row's (N, D, task, dataset, k) with identical values. Errors when a
/// repeat has different values (loss, pass@k, weight or any extra column), naming both rows.
fn exact_duplicates(
    cols: &Columns,
    table: &RunTable,
    train_flops: &Option<Vec<f64>>,
) -> Result<Vec<usize>, IngestError> {
    let dataset = table.extra.iter().find(|c| c.name == "dataset");
    let key = |i: usize| {
        (
            table.params[i].to_bits(),
            table.tokens[i].to_bits(),
            table.task_of(i).to_string(),
            dataset.map_or(String::new(), |d| d.values[i].clone()),
            table.k[i].to_bits(),
        )
    };
    // The first column whose values differ between rows a and b (None: identical rows).
    let difference = |a: usize, b: usize| -> Option<String> {
        let numeric = [
            ("loss", &table.loss),
            ("pass_at_k", &table.pass_at_k),
            ("weight", &table.weight),
            ("train_flops", train_flops),
        ];
        let differs = |v: &Option<Vec<f64>>| v.as_ref().is_some_and(|v| v[a].to_bits() != v[b].to_bits());
        numeric
            .iter()
            .find(|(_, v)| differs(v))
            .map(|(name, _)| cols.name_of(name).unwrap_or(name).to_string())
            .or_else(|| {
                table
                    .extra
                    .iter()
                    .find(|c| c.values[a] != c.values[b])
                    .map(|c| c.name.clone())
            })
    };
    let mut first_of = HashMap::new();
    let mut duplicates = Vec::new();
    for i in 0..table.len() {
        match first_of.get(&key(i)) {
            None => {
                first_of.insert(key(i), i);
            }
            Some(&first) => match difference(first, i) {
                None => duplicates.push(i),
                Some(column) => {
                    return Err(IngestError::cell(
                    cols.path(),
                    sheet_row(i),
                    &column,
                    format!(
                        "duplicate of row {} (same checkpoint N = {}, D = {}, task '{}', k = {}) with different \
                         values; keep one of them",
                        sheet_row(first),
                        table.params[i],
                        table.tokens[i],
                        table.task_of(i),
                        table.k[i]
                    ),
                ));
                }
            },
        }
    }
    Ok(duplicates)
}
