//! Per-problem sampled generations (n samples, c correct) → pass@k and task loss per (checkpoint, k).

use t2_core::passk::unbiased_pass_at_k;

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
/// A (checkpoint, k) whose aggregate pass@k is 0 has infinite loss: the row is dropped and reported (a
/// checkpoint with no correct sample at all is dropped once, as one record).
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
    for (group, members) in groups.groups.iter().enumerate() {
        if members.iter().all(|&i| correct[i] == 0.0) {
            drops.add(
                format!(
                    "checkpoint {} has no correct sample: pass@k = 0 and loss = −ln 0 is infinite for every k",
                    groups.describe(members[0])
                ),
                members.iter().map(|&i| sheet_row(i)),
            );
            continue;
        }
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
            if pass_at_k == 0.0 {
                drops.add(
                    format!("aggregate pass@{k} = 0 (loss = −ln 0 is infinite)"),
                    usable.iter().map(|&i| sheet_row(i)),
                );
                continue;
            }
            rows.push(AggregateRow {
                group,
                k,
                pass_at_k,
                loss: -pass_at_k.ln(),
                rows: usable,
            });
        }
    }
    let (table, source_rows) = groups.to_table(&rows);
    Ok(TableRead {
        table,
        source_rows,
        dropped: drops.into_vec(),
        warnings: groups.warnings,
    })
}

/// The required column `canonical` as whole numbers ≥ `min`.
fn whole_numbers(
    cols: &Columns,
    canonical: &str,
    needed_for: &str,
    min: u8,
) -> Result<Vec<f64>, IngestError> {
    let values = cols.required_numbers(canonical, needed_for)?;
    let rule = format!("a whole number ≥ {min}");
    check_each(
        cols,
        canonical,
        &values,
        |v| v >= f64::from(min) && v.fract() == 0.0,
        &rule,
    )?;
    Ok(values)
}
