//! Per-problem answer likelihoods (NLL) → pass@k and task loss per (checkpoint, k), for real k.

use t2_core::passk::{likelihood_pass_at_k, likelihood_task_loss};

use crate::checkpoint::check_each;
use crate::columns::Columns;
use crate::error::{sheet_row, IngestError};
use crate::kgrid::{checked_grid, powers_of_two, LIKELIHOOD_DEFAULT_MAX_K};
use crate::options::IngestOptions;
use crate::problems::{mean, read_problem_groups, AggregateRow};
use crate::report::{Drops, TableRead};

/// Aggregates answer likelihoods. With p_i = e^−nll_i, for each checkpoint and k of the grid:
/// pass@k = mean_i[1 − (1 − p_i)^k] and loss = mean_i[−ln(1 − (1 − p_i)^k)] (stable for tiny p_i).
///
/// Default grid: powers of two 1 … 1024. Errors: nll < 0, or so large that e^−nll underflows and the loss is
/// infinite.
pub(crate) fn read_likelihood(cols: &Columns, opts: &IngestOptions) -> Result<TableRead, IngestError> {
    let groups = read_problem_groups(cols, &["nll"])?;
    let nll = cols.required_numbers("nll", "the answer negative log-likelihood per problem")?;
    check_each(cols, "nll", &nll, |v| v >= 0.0, "≥ 0 (a negative log-likelihood)")?;
    let grid = match opts.k_grid.as_deref() {
        Some(grid) => checked_grid(cols.path(), grid, false)?,
        None => powers_of_two(LIKELIHOOD_DEFAULT_MAX_K),
    };
    let nll_name = cols.name_of("nll").unwrap_or("nll");
    let mut rows = Vec::new();
    for (group, members) in groups.groups.iter().enumerate() {
        for &k in &grid {
            if let Some(&i) = members
                .iter()
                .find(|&&i| !likelihood_task_loss(nll[i], k).is_finite())
            {
                return Err(IngestError::cell(
                    cols.path(),
                    sheet_row(i),
                    nll_name,
                    format!(
                        "nll = {} is too large: p = e^−nll underflows to 0, so the task loss is infinite",
                        nll[i]
                    ),
                ));
            }
            rows.push(AggregateRow {
                group,
                k,
                pass_at_k: mean(members.iter().map(|&i| likelihood_pass_at_k(nll[i], k))),
                loss: mean(members.iter().map(|&i| likelihood_task_loss(nll[i], k))),
                rows: members.clone(),
            });
        }
    }
    let (table, source_rows) = groups.to_table(&rows);
    Ok(TableRead {
        problem_counts: Vec::new(),
        table,
        source_rows,
        dropped: Drops::default().into_vec(),
        warnings: groups.warnings,
    })
}
