//! What a user needs to know about a run table before fitting (`t2 inspect`).

use serde::Serialize;
use t2_core::RunTable;

/// Fewer checkpoints than this draw a warning: the laws have 5 (Chinchilla) to 7 (T² Approach 1) parameters.
pub const FEW_CHECKPOINTS: usize = 10;

/// Training-compute values within this factor of the smallest value of a level belong to that isoFLOP level.
pub const ISOFLOP_LEVEL_FACTOR: f64 = 1.1;

/// Smallest and largest value of a column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

/// Summary of a run table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Rows of the table.
    pub rows: usize,
    /// Distinct (N, D, task) checkpoints.
    pub checkpoints: usize,
    /// Tasks, sorted.
    pub tasks: Vec<String>,
    /// Distinct k values, ascending.
    pub k_grid: Vec<f64>,
    /// The range of N.
    pub params: Range,
    /// The range of D.
    pub tokens: Range,
    /// The range of D/N.
    pub tokens_per_param: Range,
    /// C = 6·N·D.
    pub train_flops: Range,
    /// Number of training-compute levels (values within a factor 1.1 of a level's smallest value share it).
    pub isoflop_levels: usize,
    /// The range of the loss, when the table has one.
    pub loss: Option<Range>,
    /// The range of pass@k, when the table has it.
    pub pass_at_k: Option<Range>,
    /// Warnings about weak designs (one isoFLOP level, k = 1 only, few checkpoints).
    pub warnings: Vec<String>,
}

/// Summarises a non-empty `table` and warns about weak designs: a single isoFLOP level, k = 1 only, fewer than
/// [`FEW_CHECKPOINTS`] checkpoints.
pub fn summarize(table: &RunTable) -> Summary {
    let rows = 0..table.len();
    let flops: Vec<f64> = rows.clone().map(|i| table.train_flops(i)).collect();
    let ratio: Vec<f64> = rows.map(|i| table.tokens[i] / table.params[i]).collect();
    let checkpoints = table.checkpoint_ids().into_iter().max().map_or(0, |m| m + 1);
    let mut tasks: Vec<String> = table.task.clone().unwrap_or_default();
    tasks.sort();
    tasks.dedup();
    let mut k_grid = table.k.clone();
    k_grid.sort_by(f64::total_cmp);
    k_grid.dedup();
    let isoflop_levels = count_levels(&flops);
    let mut warnings = Vec::new();
    if isoflop_levels == 1 {
        warnings.push(
            "a single isoFLOP level (all checkpoints have about the same C = 6ND): N and D vary together, so \
             the N and D exponents are poorly determined"
                .to_string(),
        );
    }
    if k_grid == [1.0] {
        warnings.push(
            "k is 1 everywhere: only single-pass (Chinchilla) fits are possible, not T² in k".to_string(),
        );
    }
    if checkpoints < FEW_CHECKPOINTS {
        warnings.push(format!(
            "only {checkpoints} checkpoints: the scaling laws have 5 to 7 parameters; expect wide intervals"
        ));
    }
    Summary {
        rows: table.len(),
        checkpoints,
        tasks,
        k_grid,
        params: range(&table.params),
        tokens: range(&table.tokens),
        tokens_per_param: range(&ratio),
        train_flops: range(&flops),
        isoflop_levels,
        loss: table.loss.as_deref().map(range),
        pass_at_k: table.pass_at_k.as_deref().map(range),
        warnings,
    }
}

fn range(values: &[f64]) -> Range {
    Range {
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}

/// Number of isoFLOP levels: sorted C values, a new level whenever C exceeds the level's first value by more
/// than [`ISOFLOP_LEVEL_FACTOR`].
fn count_levels(flops: &[f64]) -> usize {
    let mut sorted = flops.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut levels = 0;
    let mut level_start = f64::NEG_INFINITY;
    for c in sorted {
        if c > level_start * ISOFLOP_LEVEL_FACTOR || levels == 0 {
            levels += 1;
            level_start = c;
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_cluster_within_ten_percent() {
        assert_eq!(count_levels(&[1e18, 1.05e18, 2e18, 2.1e18, 4e18]), 3);
        assert_eq!(count_levels(&[6e18; 4]), 1);
    }

    #[test]
    fn warns_on_weak_designs() {
        let table = RunTable {
            params: vec![1e6, 2e6, 4e6],
            tokens: vec![4e9, 2e9, 1e9],
            k: vec![1.0; 3],
            loss: Some(vec![3.0, 2.9, 3.1]),
            ..Default::default()
        };
        let s = summarize(&table);
        assert_eq!((s.rows, s.checkpoints, s.isoflop_levels), (3, 3, 1));
        assert_eq!(
            s.tokens_per_param,
            Range {
                min: 250.0,
                max: 4000.0
            }
        );
        assert_eq!(
            s.train_flops,
            Range {
                min: 2.4e16,
                max: 2.4e16
            }
        );
        assert_eq!(s.warnings.len(), 3, "{:?}", s.warnings);
    }
}
