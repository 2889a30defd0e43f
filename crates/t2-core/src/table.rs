//! The normalised run table: one row per (checkpoint, task, k).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The carried column that holds each checkpoint's pretraining (validation) loss, the chained form's input.
pub const PRETRAIN_LOSS: &str = "pretrain_loss";

/// The carried column that holds the unique tokens U each run drew its D training tokens from: a sweep that
/// repeated data, fitted on the data-constrained D′.
pub const UNIQUE_TOKENS: &str = "unique_tokens";

/// The column of a per-problem input's aggregate that counts the problems behind each row.
pub const PROBLEMS: &str = "problems";

/// A column carried through ingest unchanged (as text), e.g. a run id or a learning rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtraColumn {
    /// The column's name, as in the input.
    pub name: String,
    /// Its cells as text, one per row.
    pub values: Vec<String>,
}

/// The per-problem outcomes behind one checkpoint of sampled input: how many problems had c correct of n
/// samples (a histogram, so its size grows with the distinct (n, c) pairs, not the problems).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemCounts {
    /// N, parameters.
    pub params: f64,
    /// D, training tokens.
    pub tokens: f64,
    /// The task, when the table has several.
    pub task: Option<String>,
    /// (n, c, m): m problems with c correct of n samples, sorted by (n, c).
    pub counts: Vec<(f64, f64, f64)>,
}

/// Run results, column-wise. All vectors have the same length; values are validated by ingest:
/// params > 0, tokens > 0, k ≥ 1, loss ≥ 0, 0 ≤ pass_at_k ≤ 1, weight ≥ 0, all finite but one case: a row
/// whose pass@k is 0 (no sample correct) has loss −ln 0 = +∞, which the loss laws leave out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunTable {
    /// N, parameters.
    pub params: Vec<f64>,
    /// D, training tokens.
    pub tokens: Vec<f64>,
    /// k, samples at test time (real-valued; 1 for single-pass rows).
    pub k: Vec<f64>,
    /// Task NLL under k tries, when known (+∞ where pass@k = 0).
    pub loss: Option<Vec<f64>>,
    /// pass@k accuracy, when known.
    pub pass_at_k: Option<Vec<f64>>,
    /// Task (benchmark) name, when the table holds several.
    pub task: Option<Vec<String>>,
    /// Per-row weight for the fit objective, when given.
    pub weight: Option<Vec<f64>>,
    /// Other columns, carried through.
    pub extra: Vec<ExtraColumn>,
}

impl RunTable {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// Training compute of row i: C = 6·N·D.
    pub fn train_flops(&self, i: usize) -> f64 {
        crate::compute::train_flops(self.params[i], self.tokens[i])
    }

    /// Task of row i, or "" when the table has no task column.
    pub fn task_of(&self, i: usize) -> &str {
        self.task.as_ref().map_or("", |t| t[i].as_str())
    }

    /// Checkpoint id of every row: rows with the same (N, D, task) share an id, numbered in order of first
    /// appearance. Used to resample whole checkpoints (all their k rows together). Linear in the rows.
    pub fn checkpoint_ids(&self) -> Vec<usize> {
        let mut seen: HashMap<(u64, u64, &str), usize> = HashMap::new();
        (0..self.len())
            .map(|i| {
                let key = (
                    self.params[i].to_bits(),
                    self.tokens[i].to_bits(),
                    self.task_of(i),
                );
                let next = seen.len();
                *seen.entry(key).or_insert(next)
            })
            .collect()
    }

    /// The rows at `indices`, in that order (repeats allowed, as a bootstrap resample needs).
    pub fn select(&self, indices: &[usize]) -> RunTable {
        let pick_f = |v: &Vec<f64>| indices.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let pick_s = |v: &Vec<String>| indices.iter().map(|&i| v[i].clone()).collect::<Vec<String>>();
        RunTable {
            params: pick_f(&self.params),
            tokens: pick_f(&self.tokens),
            k: pick_f(&self.k),
            loss: self.loss.as_ref().map(pick_f),
            pass_at_k: self.pass_at_k.as_ref().map(pick_f),
            task: self.task.as_ref().map(pick_s),
            weight: self.weight.as_ref().map(pick_f),
            extra: self
                .extra
                .iter()
                .map(|c| ExtraColumn {
                    name: c.name.clone(),
                    values: pick_s(&c.values),
                })
                .collect(),
        }
    }

    /// Indices of the rows for which `keep` is true.
    pub fn indices_where(&self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        (0..self.len()).filter(|&i| keep(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RunTable {
        RunTable {
            params: vec![1e6, 1e6, 2e6, 1e6],
            tokens: vec![1e9, 1e9, 1e9, 1e9],
            k: vec![1.0, 2.0, 1.0, 4.0],
            loss: Some(vec![3.0, 2.5, 2.8, 2.1]),
            ..Default::default()
        }
    }

    #[test]
    fn checkpoints_group_all_k_rows() {
        assert_eq!(table().checkpoint_ids(), vec![0, 0, 1, 0]);
    }

    #[test]
    fn select_repeats_rows() {
        let s = table().select(&[2, 2, 0]);
        assert_eq!(s.params, vec![2e6, 2e6, 1e6]);
        assert_eq!(s.loss.unwrap(), vec![2.8, 2.8, 3.0]);
    }
}
