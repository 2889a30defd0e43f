//! Bootstrap bands on the optimum: the same optimisation for every bootstrap draw of a fit's parameters, then
//! percentile intervals of N*, D*, D*/N*, k* and the predicted metric.

use rayon::prelude::*;
use serde::Serialize;
use t2_core::plan::{optimum, Budget, PlanPoint};
use t2_core::ModelParams;
use t2_fit::bootstrap::quantile_sorted;

/// A percentile interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// Percentile intervals of the optimum over the bootstrap draws, at one budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bands {
    pub level: f64,
    /// Draws whose optimum was found (finite and interior or at a bound).
    pub draws: usize,
    /// Draws whose metric was nowhere finite on the isoFLOP curve.
    pub failed: usize,
    /// Draws whose optimum was at an end of the search interval, not interior.
    pub at_bound: usize,
    pub params: Interval,
    pub tokens: Interval,
    pub tokens_per_param: Interval,
    pub samples: Interval,
    pub metric: Interval,
}

fn interval(mut values: Vec<f64>, level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    Interval {
        lo: quantile_sorted(&values, (1.0 - level) / 2.0),
        hi: quantile_sorted(&values, (1.0 + level) / 2.0),
    }
}

/// Bands at each budget from the optima of every draw (computed in parallel; the result does not depend on
/// the thread count). None at a budget where no draw gave an optimum.
pub fn bands(draws: &[ModelParams], budgets: &[Budget], level: f64) -> Vec<Option<Bands>> {
    let optima: Vec<Vec<Option<PlanPoint>>> = draws
        .par_iter()
        .map(|d| budgets.iter().map(|&b| optimum(d, b).ok()).collect())
        .collect();
    (0..budgets.len())
        .map(|j| {
            let found: Vec<PlanPoint> = optima.iter().filter_map(|row| row[j]).collect();
            if found.is_empty() {
                return None;
            }
            let of = |f: fn(&PlanPoint) -> f64| interval(found.iter().map(f).collect(), level);
            Some(Bands {
                level,
                draws: found.len(),
                failed: draws.len() - found.len(),
                at_bound: found
                    .iter()
                    .filter(|p| p.location != t2_core::plan::Location::Interior)
                    .count(),
                params: of(|p| p.params),
                tokens: of(|p| p.tokens),
                tokens_per_param: of(|p| p.tokens_per_param),
                samples: of(|p| p.samples_affordable),
                metric: of(|p| p.metric),
            })
        })
        .collect()
}
