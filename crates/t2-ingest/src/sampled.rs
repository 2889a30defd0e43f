//! Per-problem sampled generations (n samples, c correct) → pass@k and task loss per (checkpoint, k).

use t2_core::passk::{unbiased_pass_at_k, MAX_EXACT_COUNT};

use crate::checkpoint::check_each;
use crate::columns::Columns;
use crate::error::{sheet_row, IngestError};
use crate::kgrid::{checked_grid, powers_of_two};
use crate::options::IngestOptions;
use crate::problems::{mean, read_problem_groups, AggregateRow};
use crate::report::{Drops, TableRead};

/// Aggregates sampled results. For each checkpoint and each k of the grid:
/// pass@k = mean over problems of the unbiased estimate 1 − C(n−c, k)/C(n, k), loss = −ln(pass@k).
///
/// Default grid: the powers of two up to the smallest n of the checkpoint's problems. A problem with n < k has no
/// unbiased estimate: an error, or with `drop_unestimable` the problem is left out for that k (reported).
/// A (checkpoint, k) whose aggregate pass@k is 0 (no sample correct) is kept: pass@k = 0 is data for a pass@k
/// law, and its loss −ln 0 = +∞ tells the loss laws to leave the row out (they report it).
/// Counts must be whole numbers up to 2^53 (exact in f64). Each checkpoint's (n, c) histogram is kept in
/// `problem_counts` (for the per-checkpoint Beta-binomial floor).
pub(crate) fn read_sampled(cols: &Columns, opts: &IngestOptions) -> Result<TableRead, IngestError> {
    let groups = read_problem_groups(cols, &["samples", "correct"])?;
    let samples = whole_numbers(cols, "samples", "n, the generations per problem", 1)?;
    let correct = whole_numbers(cols, "correct", "c, the correct generations per problem", 0)?;
    let correct_name = cols.name_of("correct").unwrap_or("correct");
    if let Some(i) = (0..samples.len()).find(|&i| correct[i] > samples[i]) {
        return Err(IngestError::cell(
            cols.path(),
            sheet_row(i),
            correct_name,
            format!("correct = {} exceeds samples = {}", correct[i], samples[i]),
        ));
    }
    let given_grid = opts
        .k_grid
        .as_deref()
        .map(|g| checked_grid(cols.path(), g, true))
        .transpose()?;
    let samples_name = cols.name_of("samples").unwrap_or("samples");
    let mut drops = Drops::default();
    let mut rows = Vec::new();
    let mut problem_counts = Vec::with_capacity(groups.groups.len());
    for (group, members) in groups.groups.iter().enumerate() {
        problem_counts.push(groups.counts(group, members.iter().map(|&i| (samples[i], correct[i]))));
        let smallest_n = members.iter().map(|&i| samples[i]).fold(f64::INFINITY, f64::min);
        let grid = given_grid.clone().unwrap_or_else(|| powers_of_two(smallest_n));
        for k in grid {
            let (usable, unestimable): (Vec<usize>, Vec<usize>) =
                members.iter().partition(|&&i| samples[i] >= k);
            if let Some(&i) = unestimable.first() {
                if !opts.drop_unestimable {
                    return Err(IngestError::cell(
                        cols.path(),
                        sheet_row(i),
                        samples_name,
                        format!(
                            "k = {k} exceeds samples = {} of problem '{}': pass@k has no unbiased estimate; use \
                             a smaller --k or --drop-unestimable (drops such problems for that k only)",
                            samples[i], groups.problem[i]
                        ),
                    ));
                }
                drops.add(
                    format!("problem with samples < k = {k}: no unbiased pass@{k}, left out at that k only"),
                    unestimable.iter().map(|&i| sheet_row(i)),
                );
            }
            if usable.is_empty() {
                continue;
            }
            let estimate = |i: usize| unbiased_pass_at_k(samples[i] as u64, correct[i] as u64, k as u64);
            let pass_at_k = mean(usable.iter().filter_map(|&i| estimate(i)));
            rows.push(AggregateRow {
                group,
                k,
                pass_at_k,
                loss: -pass_at_k.ln(),
                rows: usable,
            });
        }
    }
    let zero: Vec<&AggregateRow> = rows.iter().filter(|r| r.pass_at_k == 0.0).collect();
    let mut warnings = groups.warnings.clone();
    if let Some(first) = zero.first() {
        let checkpoints: std::collections::HashSet<usize> = zero.iter().map(|r| r.group).collect();
        warnings.push(format!(
            "{} rows of {} checkpoints have pass@k = 0 (no sample correct; first: {}): kept for pass@k laws, their \
             loss −ln 0 is infinite, so loss laws leave them out",
            zero.len(),
            checkpoints.len(),
            groups.describe(groups.groups[first.group][0])
        ));
    }
    let (table, source_rows) = groups.to_table(&rows);
    Ok(TableRead {
        table,
        problem_counts,
        source_rows,
        dropped: drops.into_vec(),
        warnings,
    })
}

/// The required column `canonical` as whole numbers from `min` to 2^53 (above it, f64 holds no exact integers).
fn whole_numbers(
    cols: &Columns,
    canonical: &str,
    needed_for: &str,
    min: u8,
) -> Result<Vec<f64>, IngestError> {
    let values = cols.required_numbers(canonical, needed_for)?;
    let rule =
        format!("a whole number from {min} to 2^53 = {MAX_EXACT_COUNT} (counts above it are not exact)");
    check_each(
        cols,
        canonical,
        &values,
        |v| v >= f64::from(min) && v.fract() == 0.0 && v <= MAX_EXACT_COUNT as f64,
        &rule,
    )?;
    Ok(values)
}
