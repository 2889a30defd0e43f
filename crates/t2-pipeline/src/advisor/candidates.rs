//! The runs the advisor chooses among, and why it chose one, in words.

use nalgebra::DMatrix;
use t2_fit::FormFit;

use super::local::covariance;

/// How far past the data's largest model the candidate grid reaches: a factor 10 in N, the next size a team
/// would train.
pub const EXTEND_PARAMS: f64 = 10.0;
/// How far past the data's most overtrained run the grid reaches in D/N: a factor 30, since overtrained runs are
/// what identifies the D term the T² optimum leans on.
pub const EXTEND_TOKENS_PER_PARAM: f64 = 30.0;
/// Grid points along each axis.
const GRID_POINTS: usize = 13;

/// The ranges of the fitted rows: N and D/N.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataRange {
    /// Smallest and largest N fitted.
    pub params: (f64, f64),
    /// Smallest and largest D/N fitted.
    pub tokens_per_param: (f64, f64),
}

impl DataRange {
    /// The ranges of `fit`'s fitted rows.
    pub fn of(fit: &FormFit) -> DataRange {
        let rows = fit.predictions.iter().filter(|r| !r.heldout);
        let (mut n, mut r) = ((f64::INFINITY, 0.0f64), (f64::INFINITY, 0.0f64));
        for row in rows {
            n = (n.0.min(row.params), n.1.max(row.params));
            let ratio = row.tokens / row.params;
            r = (r.0.min(ratio), r.1.max(ratio));
        }
        DataRange {
            params: n,
            tokens_per_param: r,
        }
    }
}

fn log_grid(lo: f64, hi: f64) -> Vec<f64> {
    crate::plan::log_spaced(lo, hi, GRID_POINTS)
}

/// Candidate runs: N log-spaced from half the data's smallest to [`EXTEND_PARAMS`] times its largest, and D/N
/// from a quarter of the data's smallest to [`EXTEND_TOKENS_PER_PARAM`] times its largest.
pub fn candidate_grid(range: &DataRange) -> Vec<(f64, f64)> {
    let ns = log_grid(range.params.0 / 2.0, range.params.1 * EXTEND_PARAMS);
    let ratios = log_grid(
        range.tokens_per_param.0 / 4.0,
        range.tokens_per_param.1 * EXTEND_TOKENS_PER_PARAM,
    );
    ns.iter()
        .flat_map(|&n| {
            ratios
                .iter()
                .map(move |&r| (n.round().max(1.0), (n * r).round().max(1.0)))
        })
        .collect()
}

/// Why a run was chosen: where it lies against the data, and the parameter whose standard deviation it shrinks
/// most.
pub fn reason(
    range: &DataRange,
    n: f64,
    tokens: f64,
    names: &[&str],
    before: &DMatrix<f64>,
    after: &DMatrix<f64>,
) -> String {
    let g = crate::tables::sig3;
    let ratio = tokens / n;
    let mut parts = Vec::new();
    if n > range.params.1 {
        parts.push(format!("extends N past the data's largest {}", g(range.params.1)));
    } else if n < range.params.0 {
        parts.push(format!("goes below the data's smallest N {}", g(range.params.0)));
    }
    if ratio > range.tokens_per_param.1 {
        parts.push(format!(
            "extends D/N past the data's {}",
            g(range.tokens_per_param.1)
        ));
    } else if ratio < range.tokens_per_param.0 {
        parts.push(format!(
            "goes below the data's D/N {}",
            g(range.tokens_per_param.0)
        ));
    }
    if parts.is_empty() {
        parts.push("fills in within the data's N and D/N".into());
    }
    if let (Some(b), Some(a)) = (covariance(before), covariance(after)) {
        let shrink = |i: usize| (b[(i, i)] / a[(i, i)]).sqrt();
        if let Some(i) = (0..names.len()).max_by(|&i, &j| shrink(i).total_cmp(&shrink(j))) {
            if shrink(i) > 1.05 {
                parts.push(format!("identifies {} (its sd ÷{:.2})", names[i], shrink(i)));
            }
        }
    }
    parts.join("; ")
}
