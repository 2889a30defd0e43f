//! Per-problem inputs: rows grouped by checkpoint (N, D, task, dataset), then aggregated to one run-table row per
//! (checkpoint, k) by [`crate::sampled`] or [`crate::likelihood`].

use std::collections::HashMap;

use polars::prelude::*;
use t2_core::table::{ExtraColumn, ProblemCounts};
use t2_core::RunTable;

use crate::checkpoint::{read_checkpoints, Checkpoints};
use crate::columns::Columns;
use crate::error::{sheet_row, IngestError};

/// Per-problem rows with their checkpoint groups.
pub struct ProblemGroups {
    pub checkpoints: Checkpoints,
    pub problem: Vec<String>,
    /// 0-based row indices of each checkpoint, groups in order of first appearance, rows in file order.
    pub groups: Vec<Vec<usize>>,
    /// Extra columns whose value is the same for all rows of every group (carried through).
    pub extras: Vec<ExtraColumn>,
    pub warnings: Vec<String>,
}

/// One aggregated row: checkpoint group, k, pass@k, task loss, and the 0-based rows averaged.
pub struct AggregateRow {
    pub group: usize,
    pub k: f64,
    pub pass_at_k: f64,
    pub loss: f64,
    pub rows: Vec<usize>,
}

/// Reads the checkpoint and `problem` columns and groups the rows by checkpoint. `consumed` are the kind's own
/// canonical columns (not extras). Errors: a problem listed twice for one checkpoint. Extra columns that vary
/// within a checkpoint cannot be carried to the aggregate: they are dropped with a warning.
pub fn read_problem_groups(cols: &Columns, consumed: &[&'static str]) -> Result<ProblemGroups, IngestError> {
    let mut warnings = Vec::new();
    let checkpoints = read_checkpoints(cols, &mut warnings)?;
    let problem_name = cols.require("problem", "the problem (question) id")?;
    let problem = cols.texts("problem")?.unwrap_or_default();
    if let Some(i) = problem.iter().position(|p| p.trim().is_empty()) {
        return Err(IngestError::cell(
            cols.path(),
            sheet_row(i),
            problem_name,
            "empty problem id",
        ));
    }
    let mut all_consumed = checkpoints.consumed.clone();
    all_consumed.push("problem");
    all_consumed.extend_from_slice(consumed);
    let extras = cols.extras(&all_consumed)?;
    let dataset = extras
        .iter()
        .find(|c| c.name == "dataset")
        .map(|c| c.values.clone());
    let groups = group_rows(cols, &checkpoints, dataset)?;
    check_unique_problems(cols, problem_name, &problem, &groups)?;
    let (constant, varying): (Vec<ExtraColumn>, Vec<ExtraColumn>) = extras.into_iter().partition(|c| {
        groups
            .iter()
            .all(|g| g.iter().all(|&i| c.values[i] == c.values[g[0]]))
    });
    for column in varying {
        warnings.push(format!(
            "column '{}' varies within a checkpoint, so it cannot be carried to the aggregated table: left out",
            column.name
        ));
    }
    let sizes = groups.iter().map(Vec::len);
    let (fewest, most) = (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0));
    if fewest != most {
        warnings.push(format!(
            "checkpoints have different numbers of problems ({fewest} to {most}): their pass@k average \
             different question sets (see the 'problems' column)"
        ));
    }
    Ok(ProblemGroups {
        checkpoints,
        problem,
        groups,
        extras: constant,
        warnings,
    })
}

/// Row indices per checkpoint (N, D, task, dataset), by a polars stable group-by (first-appearance order).
fn group_rows(
    cols: &Columns,
    checkpoints: &Checkpoints,
    dataset: Option<Vec<String>>,
) -> Result<Vec<Vec<usize>>, IngestError> {
    let height = checkpoints.params.len();
    let task = checkpoints
        .task
        .clone()
        .unwrap_or_else(|| vec![String::new(); height]);
    let dataset = dataset.unwrap_or_else(|| vec![String::new(); height]);
    let polars_error =
        |e: PolarsError| IngestError::file(cols.path(), format!("grouping by checkpoint: {e}"));
    let frame = DataFrame::new(
        height,
        vec![
            Column::new("params".into(), &checkpoints.params),
            Column::new("tokens".into(), &checkpoints.tokens),
            Column::new("task".into(), task),
            Column::new("dataset".into(), dataset),
        ],
    )
    .map_err(polars_error)?;
    let grouped = frame
        .lazy()
        .with_row_index("row", None)
        .group_by_stable([col("params"), col("tokens"), col("task"), col("dataset")])
        .agg([col("row")])
        .collect()
        .map_err(polars_error)?;
    let lists = grouped
        .column("row")
        .and_then(|c| c.list())
        .map_err(polars_error)?;
    lists
        .amortized_iter()
        .map(|rows| {
            let rows = rows.ok_or_else(|| polars_error(polars_err!(ComputeError: "empty group")))?;
            let rows = rows.as_ref().cast(&DataType::UInt64).map_err(polars_error)?;
            Ok(rows
                .u64()
                .map_err(polars_error)?
                .into_no_null_iter()
                .map(|r| r as usize)
                .collect())
        })
        .collect()
}

fn check_unique_problems(
    cols: &Columns,
    problem_name: &str,
    problem: &[String],
    groups: &[Vec<usize>],
) -> Result<(), IngestError> {
    for group in groups {
        let mut first_row: HashMap<&str, usize> = HashMap::new();
        for &i in group {
            if let Some(&first) = first_row.get(problem[i].as_str()) {
                return Err(IngestError::cell(
                    cols.path(),
                    sheet_row(i),
                    problem_name,
                    format!(
                        "problem '{}' appears twice for the same checkpoint (rows {} and {}); keep one",
                        problem[i],
                        sheet_row(first),
                        sheet_row(i)
                    ),
                ));
            }
            first_row.insert(problem[i].as_str(), i);
        }
    }
    Ok(())
}

impl ProblemGroups {
    /// The checkpoint of row `i` for messages: "N = …, D = …" plus the task when present.
    pub fn describe(&self, i: usize) -> String {
        let task = self
            .checkpoints
            .task
            .as_ref()
            .map_or(String::new(), |t| format!(", task '{}'", t[i]));
        format!(
            "(N = {:e}, D = {:e}{task})",
            self.checkpoints.params[i], self.checkpoints.tokens[i]
        )
    }

    /// The (n, c) histogram of group `group` from its problems' (samples, correct), sorted by (n, c).
    pub fn counts(&self, group: usize, outcomes: impl Iterator<Item = (f64, f64)>) -> ProblemCounts {
        let mut histogram: std::collections::BTreeMap<(u64, u64), f64> = Default::default();
        for (n, c) in outcomes {
            *histogram.entry((n as u64, c as u64)).or_insert(0.0) += 1.0;
        }
        let first = self.groups[group][0];
        ProblemCounts {
            params: self.checkpoints.params[first],
            tokens: self.checkpoints.tokens[first],
            task: self.checkpoints.task.as_ref().map(|t| t[first].clone()),
            counts: histogram
                .into_iter()
                .map(|((n, c), m)| (n as f64, c as f64, m))
                .collect(),
        }
    }

    /// The run table of `rows`: each row's checkpoint columns and constant extras come from its group, plus an
    /// extra column `problems` (how many problems were averaged). Returns the table and the 1-based file rows
    /// behind each row.
    pub fn to_table(&self, rows: &[AggregateRow]) -> (RunTable, Vec<Vec<usize>>) {
        let first = |r: &AggregateRow| self.groups[r.group][0];
        let mut extra: Vec<ExtraColumn> = self
            .extras
            .iter()
            .map(|c| ExtraColumn {
                name: c.name.clone(),
                values: rows.iter().map(|r| c.values[first(r)].clone()).collect(),
            })
            .collect();
        extra.push(ExtraColumn {
            name: "problems".to_string(),
            values: rows.iter().map(|r| r.rows.len().to_string()).collect(),
        });
        let table = RunTable {
            params: rows.iter().map(|r| self.checkpoints.params[first(r)]).collect(),
            tokens: rows.iter().map(|r| self.checkpoints.tokens[first(r)]).collect(),
            k: rows.iter().map(|r| r.k).collect(),
            loss: Some(rows.iter().map(|r| r.loss).collect()),
            pass_at_k: Some(rows.iter().map(|r| r.pass_at_k).collect()),
            task: self.checkpoints.task.as_ref().map(|_| {
                rows.iter()
                    .map(|r| self.checkpoints.task_of(first(r)).to_string())
                    .collect()
            }),
            weight: None,
            extra,
        };
        let source_rows = rows
            .iter()
            .map(|r| r.rows.iter().map(|&i| sheet_row(i)).collect())
            .collect();
        (table, source_rows)
    }
}

/// Mean of `values` summed in order (deterministic).
pub fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / count as f64
}
