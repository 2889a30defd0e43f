//! Per-problem sampled generations (n samples, c correct) → pass@k and task loss per (checkpoint, k).
//!
//! For each checkpoint and each k of the grid: pass@k = mean over problems of the unbiased estimate
//! 1 − C(n−c, k)/C(n, k), loss = −ln(pass@k). The estimate depends on a problem only through (n, c), so a
//! checkpoint keeps its (n, c) histogram (a few hundred entries for any number of problems), and the mean is
//! Σ m·estimate(n, c)/Σ m over it, in (n, c) order.
//!
//! Default grid: the powers of two up to the smallest n of the checkpoint's problems. A problem with n < k has no
//! unbiased estimate: an error, or with `drop_unestimable` the problem is left out for that k (reported).
//! A (checkpoint, k) whose aggregate pass@k is 0 (no sample correct) is kept: pass@k = 0 is data for a pass@k
//! law, and its loss −ln 0 = +∞ tells the loss laws to leave the row out (they report it).
//! Counts must be whole numbers up to 2^53 (exact in f64). Each checkpoint's histogram is kept in
//! `problem_counts` (for the per-checkpoint Beta-binomial floor).

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use t2_core::passk::{unbiased_pass_at_k, MAX_EXACT_COUNT};
use t2_core::rowset::RowSet;

use super::{Input, KRow, Outcomes};
use crate::checkpoint::check_each;
use crate::columns::Columns;
use crate::error::IngestError;
use crate::kgrid::{checked_grid, powers_of_two};
use crate::report::Drops;

/// One checkpoint's sampled outcomes.
#[derive(Debug, Default)]
pub(crate) struct Sampled {
    /// (n, c) → problems.
    histogram: BTreeMap<(u64, u64), u64>,
    /// n → the rows of the problems with n samples, and the first such problem (for messages).
    by_samples: BTreeMap<u64, (RowSet, String)>,
}

impl Sampled {
    /// The outcomes of problems given as (n generations, c correct, file rows, id), in order: each n's rows
    /// united once.
    pub(crate) fn of_problems<'a>(
        problems: impl IntoIterator<Item = (u64, u64, &'a RowSet, &'a str)>,
    ) -> Sampled {
        let mut sampled = Sampled::default();
        let mut rows: BTreeMap<u64, (Vec<&RowSet>, &str)> = BTreeMap::new();
        for (n, c, r, problem) in problems {
            *sampled.histogram.entry((n, c)).or_insert(0) += 1;
            rows.entry(n).or_insert_with(|| (Vec::new(), problem)).0.push(r);
        }
        for (n, (sets, problem)) in rows {
            sampled
                .by_samples
                .insert(n, (RowSet::union(sets), problem.to_string()));
        }
        sampled
    }
}

/// A batch's samples and correct counts.
pub(crate) struct Counts {
    samples: Vec<f64>,
    correct: Vec<f64>,
}

impl Outcomes for Sampled {
    const COLUMNS: &'static [&'static str] = &["samples", "correct"];
    type Values = Counts;

    fn read(cols: &Columns, _opts: &crate::options::IngestOptions) -> Result<Counts, IngestError> {
        let samples = whole_numbers(cols, "samples", "n, the generations per problem", 1)?;
        let correct = whole_numbers(cols, "correct", "c, the correct generations per problem", 0)?;
        if let Some(i) = (0..samples.len()).find(|&i| correct[i] > samples[i]) {
            return Err(IngestError::cell(
                cols.path(),
                cols.sheet_row(i),
                cols.name_of("correct").unwrap_or("correct"),
                format!("correct = {} exceeds samples = {}", correct[i], samples[i]),
            ));
        }
        Ok(Counts { samples, correct })
    }

    fn add(&mut self, cols: &Columns, values: &Counts, i: usize, problem: &str) -> Result<(), IngestError> {
        let (n, c) = (values.samples[i] as u64, values.correct[i] as u64);
        *self.histogram.entry((n, c)).or_insert(0) += 1;
        self.by_samples
            .entry(n)
            .or_insert_with(|| (RowSet::new(), problem.to_string()))
            .0
            .insert(cols.sheet_row(i));
        Ok(())
    }

    fn merge(&mut self, later: Sampled) {
        for (pair, problems) in later.histogram {
            *self.histogram.entry(pair).or_insert(0) += problems;
        }
        for (n, (rows, problem)) in later.by_samples {
            match self.by_samples.entry(n) {
                Entry::Occupied(mut earlier) => earlier.get_mut().0.extend(&rows),
                Entry::Vacant(entry) => {
                    entry.insert((rows, problem));
                }
            }
        }
    }

    fn aggregate(&self, input: &Input, drops: &mut Drops) -> Result<Vec<KRow>, IngestError> {
        let smallest_n = self.by_samples.keys().next().copied().unwrap_or(0);
        let grid = match input.opts.k_grid.as_deref() {
            Some(grid) => checked_grid(input.path, grid, true)?,
            None => powers_of_two(smallest_n as f64),
        };
        let mut rows = Vec::with_capacity(grid.len());
        for k in grid {
            let whole_k = k as u64;
            let unestimable: Vec<(&u64, &(RowSet, String))> = self.by_samples.range(..whole_k).collect();
            if !unestimable.is_empty() {
                let unestimable_rows = RowSet::union(unestimable.iter().map(|(_, (rows, _))| rows));
                if !input.opts.drop_unestimable {
                    let (n, (_, problem)) = unestimable
                        .iter()
                        .min_by_key(|(_, (rows, _))| rows.first())
                        .expect("not empty");
                    return Err(IngestError::cell(
                        input.path,
                        unestimable_rows.first().unwrap_or(0),
                        input.column("samples"),
                        format!(
                            "k = {k} exceeds samples = {n} of problem '{problem}': pass@k has no unbiased estimate; \
                             use a smaller --k or --drop-unestimable (drops such problems for that k only)"
                        ),
                    ));
                }
                drops.add(
                    format!("problem with samples < k = {k}: no unbiased pass@{k}, left out at that k only"),
                    unestimable_rows.iter(),
                );
            }
            let usable: Vec<&RowSet> = self
                .by_samples
                .range(whole_k..)
                .map(|(_, (rows, _))| rows)
                .collect();
            if usable.is_empty() {
                continue;
            }
            let (mut sum, mut problems) = (0.0, 0u64);
            for (&(n, c), &m) in self.histogram.range((whole_k, 0)..) {
                if let Some(estimate) = unbiased_pass_at_k(n, c, whole_k) {
                    sum += m as f64 * estimate;
                    problems += m;
                }
            }
            let pass_at_k = sum / problems as f64;
            rows.push(KRow {
                k,
                pass_at_k,
                // 0 − ln p, not −ln p: a pass@k of 1 has loss 0, not −0.
                loss: 0.0 - pass_at_k.ln(),
                problems: problems as usize,
                rows: RowSet::union(usable),
            });
        }
        Ok(rows)
    }

    fn problem_counts(&self) -> Option<Vec<(f64, f64, f64)>> {
        Some(
            self.histogram
                .iter()
                .map(|(&(n, c), &m)| (n as f64, c as f64, m as f64))
                .collect(),
        )
    }
}

/// The required column `canonical` as whole numbers from `min` to 2^53 (above it, f64 holds no exact integers).
fn whole_numbers(
    cols: &Columns,
    canonical: &str,
    needed_for: &str,
    min: u8,
) -> Result<Vec<f64>, IngestError> {
    let values = cols.required_numbers(canonical, needed_for)?;
    let rule =
        format!("a whole number from {min} to 2^53 = {MAX_EXACT_COUNT} (counts above it are not exact)");
    check_each(
        cols,
        canonical,
        &values,
        |v| v >= f64::from(min) && v.fract() == 0.0 && v <= MAX_EXACT_COUNT as f64,
        &rule,
    )?;
    Ok(values)
}
