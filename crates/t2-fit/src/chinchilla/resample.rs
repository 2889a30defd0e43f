//! Bootstrap refits of the Chinchilla law. Each resample is refitted from several starts (the full-data optimum
//! and the best fast NNLS starts of the resample itself), so a resample whose warm start sits in a worse basin
//! still finds its own optimum.

use super::{fit_from, seed, ChinchillaFit, ChinchillaObjective, ChinchillaOptions, FitData};
use crate::starts;

/// Fast NNLS starts (on a 0.1-step (α, β) grid over [0, 2]²) added to the warm start in each refit.
pub const REFIT_FAST_STARTS: usize = 4;

/// Refits `sample` (a resample's rows) from the full fit's optimum and the resample's best fast starts. None
/// when the best solve did not converge.
pub fn refit(sample: &FitData, full: &ChinchillaFit, opts: &ChinchillaOptions) -> Option<ChinchillaFit> {
    let objective = ChinchillaObjective {
        data: sample,
        loss: opts.loss,
    };
    let grid = starts::range(0.0, 2.0, 0.1);
    let mut starts = vec![full.x.clone()];
    starts.extend(
        seed::ranked_starts(&objective, &grid, &grid, REFIT_FAST_STARTS)
            .into_iter()
            .map(|x| x.to_vec()),
    );
    let refit_opts = ChinchillaOptions {
        screen: None,
        ..opts.clone()
    };
    let fit = fit_from(sample, &refit_opts, &starts);
    fit.multistart.best.converged.then_some(fit)
}
