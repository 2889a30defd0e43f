//! The rows an Approach 1 fit sees, laid out as checkpoints × k values so each objective evaluation computes
//! A/N^α and B/D^β once per checkpoint and G/k^γ once per k value, not once per row.

use t2_core::RunTable;

use crate::FitError;

/// One fitted row: its checkpoint, its k value, the observed loss and its weight (a bootstrap multiplicity
/// times the table's weight).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub checkpoint: usize,
    pub k_index: usize,
    pub loss: f64,
    pub weight: f64,
}

/// Distinct checkpoints (ln N, ln D), distinct k values (ln k) and the rows that reference them.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach1Data {
    pub ln_params: Vec<f64>,
    pub ln_tokens: Vec<f64>,
    pub ln_k: Vec<f64>,
    pub rows: Vec<Row>,
}

/// Fewest distinct values of N, of D and of k that identify the 7 parameters (three points fix a power law
/// with an offset along each axis).
pub const MIN_DISTINCT: usize = 3;

impl Approach1Data {
    /// The rows `rows` of `table` (repeats allowed: a row drawn m times gets m times its weight). Fails with a
    /// message naming what is missing when the rows cannot identify the form: no loss column, a loss that is
    /// not positive, rows of several tasks, or fewer than [`MIN_DISTINCT`] distinct N, D or k.
    pub fn new(table: &RunTable, rows: &[usize]) -> Result<Approach1Data, FitError> {
        let loss = table.loss.as_ref().ok_or_else(|| {
            FitError(
                "Approach 1 fits the task loss, but the table has no 'loss' column (per-problem input gives one; \
                 a run table needs a loss column)"
                    .into(),
            )
        })?;
        if let Some(first) = rows.first() {
            let task = table.task_of(*first);
            if let Some(other) = rows.iter().find(|&&r| table.task_of(r) != task) {
                return Err(FitError(format!(
                    "Approach 1 fits one task at a time, but the rows mix tasks '{task}' and '{}'",
                    table.task_of(*other)
                )));
            }
        }
        let mut multiplicity = vec![0usize; table.len()];
        rows.iter().for_each(|&r| multiplicity[r] += 1);
        let mut checkpoints: Vec<(u64, u64)> = Vec::new();
        let mut ks: Vec<u64> = Vec::new();
        let mut data = Approach1Data {
            ln_params: Vec::new(),
            ln_tokens: Vec::new(),
            ln_k: Vec::new(),
            rows: Vec::new(),
        };
        for (r, &count) in multiplicity.iter().enumerate().filter(|(_, &c)| c > 0) {
            if !(loss[r] > 0.0 && loss[r].is_finite()) {
                return Err(FitError(format!(
                    "Approach 1 needs a positive, finite loss; table row {} has loss {}",
                    r + 1,
                    loss[r]
                )));
            }
            let key = (table.params[r].to_bits(), table.tokens[r].to_bits());
            let checkpoint = index_of(&mut checkpoints, key, || {
                data.ln_params.push(table.params[r].ln());
                data.ln_tokens.push(table.tokens[r].ln());
            });
            let k_index = index_of(&mut ks, table.k[r].to_bits(), || data.ln_k.push(table.k[r].ln()));
            let weight = table.weight.as_ref().map_or(1.0, |w| w[r]) * count as f64;
            data.rows.push(Row {
                checkpoint,
                k_index,
                loss: loss[r],
                weight,
            });
        }
        data.check_identifiable()?;
        Ok(data)
    }

    fn check_identifiable(&self) -> Result<(), FitError> {
        let distinct = |v: &[f64]| {
            let mut bits: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
            bits.sort_unstable();
            bits.dedup();
            bits.len()
        };
        let counts = [
            ("k", distinct(&self.ln_k), "E and G/k^γ cannot be told apart"),
            ("N (params)", distinct(&self.ln_params), "A/N^α is not identified"),
            ("D (tokens)", distinct(&self.ln_tokens), "B/D^β is not identified"),
        ];
        for (axis, count, consequence) in counts {
            if count < MIN_DISTINCT {
                return Err(FitError(format!(
                    "Approach 1 needs at least {MIN_DISTINCT} distinct values of {axis}; the rows have {count} \
                     ({consequence})"
                )));
            }
        }
        Ok(())
    }

    /// Smallest and largest observed loss.
    pub fn loss_range(&self) -> (f64, f64) {
        self.rows
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                (lo.min(r.loss), hi.max(r.loss))
            })
    }
}

fn index_of<K: PartialEq>(seen: &mut Vec<K>, key: K, on_new: impl FnOnce()) -> usize {
    match seen.iter().position(|s| *s == key) {
        Some(i) => i,
        None => {
            seen.push(key);
            on_new();
            seen.len() - 1
        }
    }
}
