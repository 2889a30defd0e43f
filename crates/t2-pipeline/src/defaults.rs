//! Every default a user meets, in one place: the command line's flags, Python's keywords and the library's
//! `Default` impls all read these, so a default changes here and nowhere else.
//!
//! Where a default belongs to a lower crate's type it is defined there and named here. This file imports
//! nothing of its own crate: every module may read it.

/// Bootstrap resamples of `t2 fit` and `t2.fit` (percentile intervals stable to about two digits).
pub const RESAMPLES: usize = t2_fit::bootstrap::DEFAULT_RESAMPLES;
/// Bootstrap resamples of `t2 run`, the quick look at a whole sweep.
pub const RUN_RESAMPLES: usize = 200;
/// Seed of the bootstrap and of seeded random starts.
pub const SEED: u64 = t2_fit::bootstrap::DEFAULT_SEED;
/// Central level of the percentile intervals.
pub const LEVEL: f64 = t2_fit::bootstrap::DEFAULT_LEVEL;
/// Share of each model size's checkpoints the forecast check holds out, the most overtrained (largest D) first:
/// the T² paper's own testbed held out 21 of its 106 checkpoints (20%), its overtrained additions.
pub const HOLDOUT_SHARE: f64 = 0.2;
/// Huber δ of the Chinchilla fit (Epoch's) and of the Huber Approach 1 objective.
pub const HUBER_DELTA: f64 = 1e-3;
/// Training budgets of plans and figures: a log range, [`POINTS`] values.
pub const TRAIN_FLOPS_RANGE: (f64, f64) = (1e17, 1e25);
/// [`TRAIN_FLOPS_RANGE`] as the command line and Python write it (a test holds the two together).
pub const TRAIN_FLOPS: &str = "1e17..1e25";
/// Budgets along a training-compute range, in plans and figures alike: four per decade over the default
/// 1e17..1e25.
pub const POINTS: usize = 33;
/// Inference compute per query C_inf of plans and the frontier, and at which a fit's identification is judged:
/// one forward pass of a 70B model, the paper's forecasts.
pub const INFERENCE_FLOPS: f64 = 1.4e11;
/// Tokens generated per sample T, in C_inf = 2N·(P + k·T): the paper's 2Nk has T = 1.
pub const TOKENS_PER_SAMPLE: f64 = 1.0;
/// Prompt tokens per query P: the paper's cost has none.
pub const PROMPT_TOKENS: f64 = 0.0;
/// R*_D of the data-constrained law: Muennighoff et al. 2023's fit.
pub const REPETITION_HORIZON: f64 = t2_core::plan::MUENNIGHOFF_REPETITION_HORIZON;
/// C_train of the plan `t2 design` informs by default: the largest headline budget (a test holds the two
/// together).
pub const DESIGN_TARGET_TRAIN_FLOPS: f64 = 1e25;
/// The report's "What to train next": new runs worth this share of the sweep's own training compute (the
/// simulation study's setting).
pub const DESIGN_BUDGET_SHARE: f64 = 0.5;
/// Most runs `t2 design` advises: a batch a team trains at once. Each takes at least half its share of the
/// budget left, so the budget is spent within them.
pub const DESIGN_MAX_RUNS: usize = 8;
/// C_inf of the isoFLOP profiles (the paper's).
pub const ISOFLOP_INFERENCE_FLOPS: f64 = 2e9;
/// Training budgets at which `t2 fit chinchilla` reports N*, D* and D*/N* (Epoch's, and Chinchilla's 5.88e23).
pub const CHINCHILLA_BUDGETS: [f64; 3] = [1e21, 5.88e23, 1e25];
/// [`CHINCHILLA_BUDGETS`] as the command line writes them (a test holds the two together).
pub const CHINCHILLA_BUDGETS_TEXT: &str = "1e21,5.88e23,1e25";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_flops_spec, FlopsSpec};

    #[test]
    fn the_written_defaults_are_the_numbers() {
        assert_eq!(
            parse_flops_spec(TRAIN_FLOPS).unwrap(),
            FlopsSpec::Range(TRAIN_FLOPS_RANGE.0, TRAIN_FLOPS_RANGE.1)
        );
        let budgets: Vec<f64> = CHINCHILLA_BUDGETS_TEXT
            .split(',')
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(budgets, CHINCHILLA_BUDGETS);
        let headline = crate::tables::headline::HEADLINE_BUDGETS;
        assert_eq!(DESIGN_TARGET_TRAIN_FLOPS, headline[headline.len() - 1]);
        assert_eq!(
            crate::request::FitRequest::sweep().bootstrap.unwrap().resamples(),
            RESAMPLES
        );
    }
}
