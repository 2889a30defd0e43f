//! Per-problem answer likelihoods (NLL) → pass@k and task loss per (checkpoint, k), for real k.
//!
//! With p_i = e^−nll_i, for each checkpoint and k of the grid: pass@k = mean_i[1 − (1 − p_i)^k] and
//! loss = mean_i[−ln(1 − (1 − p_i)^k)] (stable for tiny p_i), summed per k in file order within each batch,
//! then the batches' sums in file order.
//! Default grid: powers of two 1 … 1024. Errors: nll < 0, or so large that e^−nll underflows and the loss is
//! infinite.

use std::path::Path;
use std::sync::Arc;

use t2_core::passk::{likelihood_pass_at_k, likelihood_task_loss};
use t2_core::rowset::RowSet;

use super::{Input, KRow, Outcomes};
use crate::checkpoint::check_each;
use crate::columns::Columns;
use crate::error::IngestError;
use crate::kgrid::{checked_grid, powers_of_two, LIKELIHOOD_DEFAULT_MAX_K};
use crate::options::IngestOptions;
use crate::report::Drops;

/// One checkpoint's sums over its problems, per k of the grid.
#[derive(Debug)]
pub(crate) struct Likelihood {
    grid: Arc<[f64]>,
    /// (Σ pass@k, Σ loss) per k.
    sums: Vec<(f64, f64)>,
    rows: RowSet,
}

impl Likelihood {
    /// The k grid of `opts` (given, or powers of two to 1024), shared by every checkpoint's accumulator.
    pub fn grid(path: &Path, opts: &IngestOptions) -> Result<Arc<[f64]>, IngestError> {
        Ok(match opts.k_grid.as_deref() {
            Some(grid) => checked_grid(path, grid, false)?,
            None => powers_of_two(LIKELIHOOD_DEFAULT_MAX_K),
        }
        .into())
    }

    /// An empty accumulator on `grid`.
    pub fn new(grid: Arc<[f64]>) -> Likelihood {
        Likelihood {
            sums: vec![(0.0, 0.0); grid.len()],
            grid,
            rows: RowSet::new(),
        }
    }
}

impl Outcomes for Likelihood {
    const COLUMNS: &'static [&'static str] = &["nll"];
    type Values = Vec<f64>;

    fn read(cols: &Columns, _opts: &crate::options::IngestOptions) -> Result<Vec<f64>, IngestError> {
        let nll = cols.required_numbers("nll", "the answer negative log-likelihood per problem")?;
        check_each(cols, "nll", &nll, |v| v >= 0.0, "≥ 0 (a negative log-likelihood)")?;
        Ok(nll)
    }

    fn add(&mut self, cols: &Columns, nll: &Vec<f64>, i: usize, _problem: &str) -> Result<(), IngestError> {
        for (sums, &k) in self.sums.iter_mut().zip(self.grid.iter()) {
            let loss = likelihood_task_loss(nll[i], k);
            if !loss.is_finite() {
                return Err(IngestError::cell(
                    cols.path(),
                    cols.sheet_row(i),
                    cols.name_of("nll").unwrap_or("nll"),
                    format!(
                        "nll = {} is too large: p = e^−nll underflows to 0, so the task loss is infinite",
                        nll[i]
                    ),
                ));
            }
            sums.0 += likelihood_pass_at_k(nll[i], k);
            sums.1 += loss;
        }
        self.rows.insert(cols.sheet_row(i));
        Ok(())
    }

    fn merge(&mut self, later: Likelihood) {
        for (sums, (pass, loss)) in self.sums.iter_mut().zip(later.sums) {
            sums.0 += pass;
            sums.1 += loss;
        }
        self.rows.extend(&later.rows);
    }

    fn aggregate(&self, _input: &Input, _drops: &mut Drops) -> Result<Vec<KRow>, IngestError> {
        let problems = self.rows.len();
        Ok(self
            .grid
            .iter()
            .zip(&self.sums)
            .map(|(&k, &(pass, loss))| KRow {
                k,
                pass_at_k: pass / problems as f64,
                loss: loss / problems as f64,
                problems,
                rows: self.rows.clone(),
            })
            .collect())
    }

    fn problem_counts(&self) -> Option<Vec<(f64, f64, f64)>> {
        None
    }
}
