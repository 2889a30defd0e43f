//! Raw evaluation logs: one row per generation (`problem`, `correct` as 0/1 or true/false), as evaluation
//! harnesses write them. Each checkpoint counts, per problem, its generations n and correct ones c in the same
//! streaming pass, then aggregates exactly as per-problem sampled input ([`super::sampled`]) does: a log and
//! its per-problem counts give the same run table (tested).

use std::collections::HashMap;

use t2_core::filter::{Expr, Field, Filter};
use t2_core::rowset::RowSet;
use t2_core::RunTable;

use super::sampled::Sampled;
use super::{Input, KRow, Outcomes};
use crate::columns::Columns;
use crate::error::IngestError;
use crate::options::IngestOptions;
use crate::report::Drops;

/// Each generation's verdict by `filter` on the log's own columns (its extra columns and `task`): the batch as
/// a run table of those columns. A filter on N, D, k or the loss columns is refused (a log has none per
/// generation), as is a column the log lacks.
fn correct_if(cols: &Columns, filter: &Filter) -> Result<Vec<bool>, IngestError> {
    fn own_columns(expr: &Expr) -> bool {
        match expr {
            Expr::Compare { field, .. } => matches!(field, Field::Column(_) | Field::Task),
            Expr::And(a, b) | Expr::Or(a, b) => own_columns(a) && own_columns(b),
            Expr::Not(a) => own_columns(a),
        }
    }
    if !own_columns(filter.expr()) {
        return Err(IngestError::file(
            cols.path(),
            format!(
                "correct-if '{}': a generation's verdict reads the log's own columns (e.g. score), not N, D, k or \
                 the loss",
                filter
            ),
        ));
    }
    let n = cols.height();
    let table = RunTable {
        params: vec![f64::NAN; n],
        tokens: vec![f64::NAN; n],
        k: vec![1.0; n],
        task: cols.texts("task")?,
        extra: cols.extras()?,
        ..RunTable::default()
    };
    filter
        .check(&table)
        .map_err(|e| IngestError::file(cols.path(), format!("correct-if: {}", e.0)))?;
    Ok((0..n).map(|i| filter.matches(&table, i)).collect())
}

/// One checkpoint's generations, per problem: (n, c) and the file rows.
#[derive(Debug, Default)]
pub(crate) struct Generations {
    problems: HashMap<String, (u64, u64, RowSet)>,
    /// Problems in order of first appearance (so aggregation does not depend on the hash map's order).
    order: Vec<String>,
}

impl Generations {
    /// The per-problem counts as sampled input.
    fn sampled(&self) -> Sampled {
        Sampled::of_problems(self.order.iter().map(|problem| {
            let (n, c, rows) = &self.problems[problem];
            (*n, *c, rows, problem.as_str())
        }))
    }
}

impl Outcomes for Generations {
    const COLUMNS: &'static [&'static str] = &["correct"];
    const ONE_ROW_PER_PROBLEM: bool = false;
    type Values = Vec<bool>;

    fn read(cols: &Columns, opts: &IngestOptions) -> Result<Vec<bool>, IngestError> {
        if let Some(filter) = &opts.correct_if {
            return correct_if(cols, filter);
        }
        let name = cols.require(
            "correct",
            "whether each generation is correct (0/1 or true/false)",
        )?;
        let texts = cols.texts("correct")?.unwrap_or_default();
        texts
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell.trim().to_ascii_lowercase().as_str() {
                "1" | "1.0" | "true" => Ok(true),
                "0" | "0.0" | "false" => Ok(false),
                _ => Err(IngestError::cell(
                    cols.path(),
                    cols.sheet_row(i),
                    name,
                    format!(
                        "'{}' is not 0, 1, true or false (one row per generation: was it correct?)",
                        cell.escape_debug()
                    ),
                )),
            })
            .collect()
    }

    fn add(
        &mut self,
        cols: &Columns,
        values: &Vec<bool>,
        i: usize,
        problem: &str,
    ) -> Result<(), IngestError> {
        let row = cols.sheet_row(i);
        let correct = u64::from(values[i]);
        // A problem's id is copied once, at its first generation: the rest of its rows allocate nothing.
        match self.problems.get_mut(problem) {
            Some((n, c, rows)) => {
                *n += 1;
                *c += correct;
                rows.insert(row);
            }
            None => {
                let mut rows = RowSet::new();
                rows.insert(row);
                self.order.push(problem.to_string());
                self.problems.insert(problem.to_string(), (1, correct, rows));
            }
        }
        Ok(())
    }

    fn merge(&mut self, later: Generations) {
        for problem in later.order {
            let (n, c, rows) = &later.problems[&problem];
            match self.problems.get_mut(&problem) {
                Some((earlier_n, earlier_c, earlier_rows)) => {
                    *earlier_n += n;
                    *earlier_c += c;
                    earlier_rows.extend(rows);
                }
                None => {
                    self.problems.insert(problem.clone(), (*n, *c, rows.clone()));
                    self.order.push(problem);
                }
            }
        }
    }

    fn aggregate(&self, input: &Input, drops: &mut Drops) -> Result<Vec<KRow>, IngestError> {
        let input = Input {
            path: input.path,
            opts: input.opts,
            // A problem's n is its number of rows: errors about n name the problem column.
            column_names: vec![("samples", input.column("correct").to_string())],
        };
        self.sampled().aggregate(&input, drops)
    }

    fn problem_counts(&self) -> Option<Vec<(f64, f64, f64)>> {
        self.sampled().problem_counts()
    }
}
