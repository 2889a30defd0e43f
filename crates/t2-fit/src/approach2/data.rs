//! The rows an Approach 2 fit sees: stage 1 takes the single-pass loss (k = 1 rows), stage 2 the pass@k of every
//! row. Checks that the rows can identify the form and says what is missing when they cannot.

use t2_core::RunTable;

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
    pub weight: f64,
}

/// Stage 1 rows (k = 1 with a loss) and stage 2 rows (with a pass@k), validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach2Data {
    pub stage1: Vec<Row>,
    pub stage2: Vec<Row>,
}

impl Approach2Data {
    /// The rows `rows` of `table` (repeats allowed: a row drawn m times gets m times its weight). Errors when
    /// the table has no pass@k column, the rows mix tasks, no row has k = 1 and a loss, a loss or pass@k is out
    /// of range, there is a single k, or too few checkpoints (see [`MIN_CHECKPOINTS`], [`MIN_DISTINCT_AXIS`]).
    pub fn new(table: &RunTable, rows: &[usize]) -> Result<Approach2Data, FitError> {
        let pass = table.pass_at_k.as_ref().ok_or_else(|| {
            FitError(
                "Approach 2 fits pass@k, but the table has no 'pass_at_k' column (per-problem input gives one; a \
                 run table needs a pass_at_k column)"
                    .into(),
            )
        })?;
        if let Some(&first) = rows.first() {
            let task = table.task_of(first);
            if let Some(&other) = rows.iter().find(|&&r| table.task_of(r) != task) {
                return Err(FitError(format!(
                    "Approach 2 fits one task at a time, but the rows mix tasks '{task}' and '{}'",
                    table.task_of(other)
                )));
            }
        }
        let mut multiplicity = vec![0usize; table.len()];
        rows.iter().for_each(|&r| multiplicity[r] += 1);
        let used = || multiplicity.iter().enumerate().filter(|(_, &c)| c > 0);
        let weight_of = |r: usize, count: usize| table.weight.as_ref().map_or(1.0, |w| w[r]) * count as f64;
        let mut stage2 = Vec::new();
        for (r, &count) in used() {
            if !(0.0..=1.0).contains(&pass[r]) {
                return Err(FitError(format!(
                    "Approach 2 needs 0 ≤ pass@k ≤ 1; table row {} has pass_at_k {}",
                    r + 1,
                    pass[r]
                )));
            }
            stage2.push(Row {
                index: r,
                weight: weight_of(r, count),
            });
        }
        let single_pass = |r: usize| table.k[r] == 1.0 && table.loss.is_some();
        let mut stage1 = Vec::new();
        for (r, &count) in used().filter(|(r, _)| single_pass(*r)) {
            let loss = table.loss.as_ref().map_or(f64::NAN, |l| l[r]);
            if !(loss > 0.0 && loss.is_finite()) {
                return Err(FitError(format!(
                    "Approach 2 stage 1 needs a positive, finite single-pass loss; table row {} (k = 1) has loss \
                     {loss}",
                    r + 1
                )));
            }
            stage1.push(Row {
                index: r,
                weight: weight_of(r, count),
            });
        }
        let data = Approach2Data { stage1, stage2 };
        data.check_identifiable(table)?;
        Ok(data)
    }

    fn check_identifiable(&self, table: &RunTable) -> Result<(), FitError> {
        if self.stage1.is_empty() {
            return Err(FitError(
                "Approach 2 stage 1 fits the loss law L̂(N, D) to the single-pass loss, but no row has k = 1 and a \
                 loss (give k = 1 rows with a 'loss' column)"
                    .into(),
            ));
        }
        let distinct = |rows: &[Row], key: &dyn Fn(usize) -> (u64, u64)| {
            let mut keys: Vec<(u64, u64)> = rows.iter().map(|r| key(r.index)).collect();
            keys.sort_unstable();
            keys.dedup();
            keys.len()
        };
        let checkpoint = |i: usize| (table.params[i].to_bits(), table.tokens[i].to_bits());
        let counts = [
            (
                "checkpoints (N, D) with a k = 1 loss",
                distinct(&self.stage1, &checkpoint),
                MIN_CHECKPOINTS,
            ),
            (
                "values of N among the k = 1 loss rows",
                distinct(&self.stage1, &|i| (table.params[i].to_bits(), 0)),
                MIN_DISTINCT_AXIS,
            ),
            (
                "values of D among the k = 1 loss rows",
                distinct(&self.stage1, &|i| (table.tokens[i].to_bits(), 0)),
                MIN_DISTINCT_AXIS,
            ),
            (
                "checkpoints (N, D) with a pass@k",
                distinct(&self.stage2, &checkpoint),
                MIN_CHECKPOINTS,
            ),
        ];
        for (what, count, needed) in counts {
            if count < needed {
                return Err(FitError(format!(
                    "Approach 2 needs at least {needed} distinct {what}; the rows have {count}"
                )));
            }
        }
        let ks = distinct(&self.stage2, &|i| (table.k[i].to_bits(), 0));
        if ks < 2 {
            return Err(FitError(format!(
                "Approach 2 needs pass@k at two or more values of k to identify the Beta concentration (θ3, θ4); \
                 the rows have {ks}"
            )));
        }
        Ok(())
    }
}
