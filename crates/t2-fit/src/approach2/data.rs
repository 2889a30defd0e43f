//! The rows an Approach 2 fit sees: stage 1 takes the single-pass loss (k = 1 rows), stage 2 the pass@k of every
//! row. Checks that the rows can identify the form and says what is missing when they cannot.

use std::collections::{HashMap, HashSet};

use t2_core::{Form, RunTable};

use crate::FitError;

/// Fewest distinct checkpoints (N, D) each stage needs: stage 1 fits 4 parameters per profiled E, stage 2 fits 5.
pub const MIN_CHECKPOINTS: usize = 5;
/// Fewest distinct values of N and of D for stage 1 (a power law with an offset along each axis).
pub const MIN_DISTINCT_AXIS: usize = 3;

/// One used row of the table with its weight: the table's weight (1 without a weight column) times how often a
/// bootstrap resample drew it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Index into the table.
    pub index: usize,
    /// The row's weight in the objective.
    pub weight: f64,
}

/// Stage 1 rows (k = 1 with a loss) and stage 2 rows (with a pass@k), validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach2Data {
    /// The k = 1 rows with a finite loss (stage 1: the loss law).
    pub stage1: Vec<Row>,
    /// The rows with pass@k (stage 2: θ).
    pub stage2: Vec<Row>,
}

impl Approach2Data {
    /// The rows `rows` of `table` (repeats allowed: a row drawn m times gets m times its weight). Stage 1 takes
    /// the k = 1 rows with a positive, finite loss (a checkpoint without a correct sample has pass@k = 0 and an
    /// infinite loss: it enters stage 2 only). Errors when the table has no pass@k column, the rows mix tasks,
    /// no row has k = 1 and a loss, a pass@k is out of range, there is a single k, or too few checkpoints (see
    /// [`MIN_CHECKPOINTS`], [`MIN_DISTINCT_AXIS`]).
    pub fn new(table: &RunTable, rows: &[usize]) -> Result<Approach2Data, FitError> {
        let pass = table.pass_at_k.as_ref().ok_or(FitError::MissingColumn {
            form: Form::Approach2,
            column: "pass_at_k",
            hint: "per-problem input gives one; a run table needs a pass_at_k column",
        })?;
        if let Some(&first) = rows.first() {
            let task = table.task_of(first);
            if let Some(&other) = rows.iter().find(|&&r| table.task_of(r) != task) {
                return Err(FitError::MixedTasks {
                    form: Form::Approach2,
                    first: task.to_string(),
                    other: table.task_of(other).to_string(),
                });
            }
        }
        let mut multiplicity: HashMap<usize, usize> = HashMap::new();
        rows.iter()
            .for_each(|&r| *multiplicity.entry(r).or_insert(0) += 1);
        let mut used: Vec<(usize, usize)> = multiplicity.into_iter().collect();
        used.sort_unstable();
        let weight_of = |r: usize, count: usize| table.weight.as_ref().map_or(1.0, |w| w[r]) * count as f64;
        let mut stage2 = Vec::with_capacity(used.len());
        for &(r, count) in &used {
            if !(0.0..=1.0).contains(&pass[r]) {
                return Err(FitError::BadValue {
                    form: Form::Approach2,
                    row: r,
                    column: "pass_at_k",
                    value: pass[r],
                    need: "between 0 and 1",
                });
            }
            stage2.push(Row {
                index: r,
                weight: weight_of(r, count),
            });
        }
        let single_pass_loss = |r: usize| {
            table.k[r] == 1.0
                && table
                    .loss
                    .as_ref()
                    .is_some_and(|l| l[r].is_finite() && l[r] > 0.0)
        };
        let stage1 = used
            .iter()
            .filter(|(r, _)| single_pass_loss(*r))
            .map(|&(r, count)| Row {
                index: r,
                weight: weight_of(r, count),
            })
            .collect();
        let data = Approach2Data { stage1, stage2 };
        data.check_identifiable(table)?;
        Ok(data)
    }

    fn check_identifiable(&self, table: &RunTable) -> Result<(), FitError> {
        let short = |what: &str, have: usize, need: usize, consequence: &'static str| {
            if have < need {
                Err(FitError::NotIdentifiable {
                    form: Form::Approach2,
                    what: what.to_string(),
                    have,
                    need,
                    consequence,
                })
            } else {
                Ok(())
            }
        };
        let distinct = |rows: &[Row], key: &dyn Fn(usize) -> (u64, u64)| {
            rows.iter().map(|r| key(r.index)).collect::<HashSet<_>>().len()
        };
        let checkpoint = |i: usize| (table.params[i].to_bits(), table.tokens[i].to_bits());
        short(
            "rows with k = 1 and a finite loss",
            self.stage1.len(),
            1,
            "stage 1 fits the loss law L̂(N, D) to the single-pass loss",
        )?;
        short(
            "distinct checkpoints (N, D) with a k = 1 loss",
            distinct(&self.stage1, &checkpoint),
            MIN_CHECKPOINTS,
            "stage 1 fits 4 parameters at each profiled E",
        )?;
        short(
            "distinct values of N among the k = 1 loss rows",
            distinct(&self.stage1, &|i| (table.params[i].to_bits(), 0)),
            MIN_DISTINCT_AXIS,
            "A/N^α is not identified",
        )?;
        short(
            "distinct values of D among the k = 1 loss rows",
            distinct(&self.stage1, &|i| (table.tokens[i].to_bits(), 0)),
            MIN_DISTINCT_AXIS,
            "B/D^β is not identified",
        )?;
        short(
            "distinct checkpoints (N, D) with a pass@k",
            distinct(&self.stage2, &checkpoint),
            MIN_CHECKPOINTS,
            "stage 2 fits 5 parameters",
        )?;
        short(
            "distinct values of k with a pass@k",
            distinct(&self.stage2, &|i| (table.k[i].to_bits(), 0)),
            2,
            "the Beta concentration (θ3, θ4) needs pass@k at two or more k",
        )
    }
}
