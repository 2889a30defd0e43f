//! Bootstrap refits of the Chinchilla law: a warm start from the full fit's optimum, and a guard for the
//! resample whose warm start sits in a worse basin: the resample's own projected starts (NNLS over a 0.2-step
//! (α, β) grid, ranked by their least-squares score, nearly free) are scored by the objective, and any that
//! already beats the warm optimum is polished; the better basin wins ([`crate::multistart::guarded`]).

use super::{assemble, seed, ChinchillaFit, ChinchillaObjective, ChinchillaOptions, FitData};
use crate::multistart::guarded;
use crate::reparam::Reparam;
use crate::starts;

/// Projected starts the guard scores on each resample.
pub const GUARD_STARTS: usize = 3;

/// Step of the guard's (α, β) grid on [0, 2]² (121 pairs: the projection costs about as much as the warm solve).
pub const GUARD_GRID_STEP: f64 = 0.2;

/// A refit and whether its guard found a better basin than the warm start's.
#[derive(Debug, Clone, PartialEq)]
pub struct Refit {
    /// The refit.
    pub fit: ChinchillaFit,
    /// Whether a guard start beat the warm start.
    pub guard_won: bool,
}

/// Refits `sample` (a resample's rows) from the full fit's optimum, guarded as the module docs say. None when
/// the best solve did not converge.
pub fn refit(sample: &FitData, full: &ChinchillaFit, opts: &ChinchillaOptions) -> Option<Refit> {
    let objective = ChinchillaObjective {
        data: sample,
        loss: opts.loss,
    };
    let constrained = Reparam::new(&objective, &opts.constraints);
    let grid = starts::range(0.0, 2.0, GUARD_GRID_STEP);
    let guard: Vec<Vec<f64>> =
        seed::ranked_starts(&objective, &grid, &grid, GUARD_STARTS, seed::Rank::Projection)
            .iter()
            .map(|x| constrained.to_free(x))
            .collect();
    let outcome = guarded(&constrained, &constrained.to_free(&full.x), &guard, &opts.lbfgs);
    let fit = assemble(sample, opts, &constrained, outcome.search);
    fit.multistart.best.converged.then_some(Refit {
        fit,
        guard_won: outcome.guard_won,
    })
}
