//! The rows an Approach 1 fit sees, laid out as checkpoints × k values so each objective evaluation computes
//! A/N^α and B/D^β once per checkpoint and G/k^γ once per k value, not once per row.

use std::collections::HashMap;

use t2_core::{Form, RunTable};

use crate::design::Design;
use crate::FitError;

/// One fitted row: its checkpoint, its k value, the observed loss and its weight (a bootstrap multiplicity
/// times the table's weight).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Index of the row's (N, D) in `ln_params` / `ln_tokens`.
    pub checkpoint: usize,
    /// Index of the row's k in `ln_k`.
    pub k_index: usize,
    /// The observed task loss.
    pub loss: f64,
    /// The row's weight in the objective.
    pub weight: f64,
}

/// Distinct checkpoints (ln N, ln D), distinct k values (ln k) and the rows that reference them.
#[derive(Debug, Clone, PartialEq)]
pub struct Approach1Data {
    /// ln N of each checkpoint.
    pub ln_params: Vec<f64>,
    /// ln D of each checkpoint.
    pub ln_tokens: Vec<f64>,
    /// ln k of each distinct k.
    pub ln_k: Vec<f64>,
    /// The rows fitted.
    pub rows: Vec<Row>,
}

/// Free parameters of the law: E, A, B, G, α, β, γ.
pub const FREE_PARAMETERS: usize = 7;

impl Approach1Data {
    /// The rows `rows` of `table` (repeats allowed: a row drawn m times gets m times its weight). Fails with a
    /// message naming what is missing when the rows cannot identify the form: no loss column, a loss that is
    /// not positive and finite, rows of several tasks, or a design short of [`super::NEEDS`].
    pub fn new(table: &RunTable, rows: &[usize]) -> Result<Approach1Data, FitError> {
        check_rows(table, rows)?;
        let loss = table.loss.as_deref().unwrap_or(&[]);
        let mut multiplicity: HashMap<usize, usize> = HashMap::new();
        let mut order = Vec::new();
        for &r in rows {
            *multiplicity.entry(r).or_insert_with(|| {
                order.push(r);
                0
            }) += 1;
        }
        order.sort_unstable();
        let mut checkpoints: HashMap<(u64, u64), usize> = HashMap::new();
        let mut ks: HashMap<u64, usize> = HashMap::new();
        let mut data = Approach1Data {
            ln_params: Vec::new(),
            ln_tokens: Vec::new(),
            ln_k: Vec::new(),
            rows: Vec::with_capacity(order.len()),
        };
        for r in order {
            if !(loss[r] > 0.0 && loss[r].is_finite()) {
                return Err(FitError::BadValue {
                    form: Form::Approach1,
                    row: r,
                    column: "loss",
                    value: loss[r],
                    need: "positive and finite",
                });
            }
            let key = (table.params[r].to_bits(), table.tokens[r].to_bits());
            let next = checkpoints.len();
            let checkpoint = *checkpoints.entry(key).or_insert_with(|| {
                data.ln_params.push(table.params[r].ln());
                data.ln_tokens.push(table.tokens[r].ln());
                next
            });
            let next = ks.len();
            let k_index = *ks.entry(table.k[r].to_bits()).or_insert_with(|| {
                data.ln_k.push(table.k[r].ln());
                next
            });
            let weight = table.weight.as_ref().map_or(1.0, |w| w[r]) * multiplicity[&r] as f64;
            data.rows.push(Row {
                checkpoint,
                k_index,
                loss: loss[r],
                weight,
            });
        }
        Ok(data)
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

/// The checks every Approach 1 fit starts with: a loss column, one task, a design that identifies the law.
pub fn check_rows(table: &RunTable, rows: &[usize]) -> Result<(), FitError> {
    if table.loss.is_none() {
        return Err(FitError::MissingColumn {
            form: Form::Approach1,
            column: "loss",
            hint: "per-problem input gives one; a run table needs a loss column",
        });
    }
    if let Some(first) = rows.first() {
        let task = table.task_of(*first);
        if let Some(other) = rows.iter().find(|&&r| table.task_of(r) != task) {
            return Err(FitError::MixedTasks {
                form: Form::Approach1,
                first: task.to_string(),
                other: table.task_of(*other).to_string(),
            });
        }
    }
    Design::of(table, rows).require(Form::Approach1, &super::NEEDS)
}
