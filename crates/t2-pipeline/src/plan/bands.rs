//! Bootstrap bands on the optimum: the same optimisation for every bootstrap draw of a fit's parameters, then
//! percentile intervals of N*, D*, D*/N*, k* and the predicted metric.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use t2_core::plan::PlanPoint;
use t2_core::ModelParams;
use t2_fit::bootstrap::quantile_sorted;

/// A percentile interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    #[serde(with = "t2_core::real")]
    /// Lower percentile.
    pub lo: f64,
    #[serde(with = "t2_core::real")]
    /// Upper percentile.
    pub hi: f64,
}

/// Percentile intervals of the optimum over the bootstrap draws, at one budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bands {
    /// Interval level, e.g. 0.95.
    pub level: f64,
    /// Draws whose optimum was found (finite and interior or at a bound).
    pub draws: usize,
    /// Draws that found no allocation: a metric nowhere finite on the budget, or a target out of their reach.
    pub failed: usize,
    /// Draws whose optimum was at an end of the search interval.
    pub at_bound: usize,
    /// N*.
    pub params: Interval,
    /// D*.
    pub tokens: Interval,
    /// D*/N*.
    pub tokens_per_param: Interval,
    /// k* = C_inf/(2N*), unclipped.
    pub samples: Interval,
    /// The predicted metric at the optimum.
    pub metric: Interval,
    /// Training compute 6N*D* (what a target costs to train).
    pub train_flops: Interval,
    /// Lifetime compute, over a lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_flops: Option<Interval>,
}

fn interval(mut values: Vec<f64>, level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    Interval {
        lo: quantile_sorted(&values, (1.0 - level) / 2.0),
        hi: quantile_sorted(&values, (1.0 + level) / 2.0),
    }
}

/// Bands for each of `rows` plan rows from every draw's optimum, `solve(draw, row)` (computed in parallel; the
/// result does not depend on the thread count). None for a row where no draw gave an optimum.
pub fn bands(
    draws: &[ModelParams],
    rows: usize,
    level: f64,
    solve: impl Fn(&ModelParams, usize) -> Option<PlanPoint> + Sync,
) -> Vec<Option<Bands>> {
    let optima: Vec<Vec<Option<PlanPoint>>> = draws
        .par_iter()
        .map(|d| (0..rows).map(|j| solve(d, j)).collect())
        .collect();
    (0..rows)
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
                    .filter(|p| {
                        matches!(
                            p.location,
                            t2_core::plan::Location::LowerBound | t2_core::plan::Location::UpperBound
                        )
                    })
                    .count(),
                params: of(|p| p.params),
                tokens: of(|p| p.tokens),
                tokens_per_param: of(|p| p.tokens_per_param),
                samples: of(|p| p.samples_affordable),
                metric: of(|p| p.metric),
                train_flops: of(|p| p.train_flops),
                total_flops: found
                    .iter()
                    .map(|p| p.total_flops)
                    .collect::<Option<Vec<f64>>>()
                    .map(|v| interval(v, level)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use t2_core::plan::{optimum, Budget, Deployment};
    use t2_core::rng::Rng;
    use t2_core::Approach1Params;

    use super::*;
    use crate::testing::A1 as TRUTH;

    fn draws(n: usize) -> Vec<ModelParams> {
        let mut rng = Rng::new(7);
        (0..n)
            .map(|_| {
                let mut f = |v: f64| v * (1.0 + 0.03 * rng.normal());
                ModelParams::Approach1(Approach1Params {
                    e: f(TRUTH.e),
                    a: f(TRUTH.a),
                    b: f(TRUTH.b),
                    g: f(TRUTH.g),
                    alpha: f(TRUTH.alpha),
                    beta: f(TRUTH.beta),
                    gamma: f(TRUTH.gamma),
                })
            })
            .collect()
    }

    #[test]
    fn bands_bracket_the_truth_and_do_not_depend_on_threads() {
        let budgets: Vec<Budget> = [1e19, 1e22, 1e25]
            .iter()
            .map(|&c| Budget::new(c, 1.4e11).unwrap())
            .collect();
        let draws = draws(200);
        let pool = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
        let paper = Deployment::default();
        let solve = |d: &ModelParams, j: usize| optimum(d, &paper, budgets[j]).ok();
        let one = pool(1).install(|| bands(&draws, budgets.len(), 0.95, solve));
        let two = pool(2).install(|| bands(&draws, budgets.len(), 0.95, solve));
        assert_eq!(one, two);
        for (b, budget) in one.iter().zip(&budgets) {
            let b = b.as_ref().unwrap();
            let truth = optimum(&ModelParams::Approach1(TRUTH), &paper, *budget).unwrap();
            assert_eq!((b.draws, b.failed, b.at_bound), (200, 0, 0));
            assert!(b.params.lo < truth.params && truth.params < b.params.hi);
            assert!(b.metric.lo < truth.metric && truth.metric < b.metric.hi);
            // D*/N* = C/(6N*²): its band is the image of the N* band (up to the quantiles' linear interpolation).
            let c = budget.scale();
            assert!((b.tokens_per_param.hi / (c / (6.0 * b.params.lo.powi(2))) - 1.0).abs() < 0.02);
        }
    }

    #[test]
    fn identical_draws_give_a_point_band() {
        let same = vec![ModelParams::Approach1(TRUTH); 5];
        let budget = [Budget::new(1e21, 1.4e11).unwrap()];
        let solve = |d: &ModelParams, _: usize| optimum(d, &Deployment::default(), budget[0]).ok();
        let b = bands(&same, 1, 0.9, solve)[0].clone().unwrap();
        let truth = optimum(&same[0], &Deployment::default(), budget[0]).unwrap();
        assert_eq!((b.params.lo, b.params.hi), (truth.params, truth.params));
    }
}
