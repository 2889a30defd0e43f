//! Bootstrap refits of the Chinchilla law. Each resample is refitted from several starts (the full-data optimum
//! and the best fast NNLS starts of the resample itself), so a resample whose warm start sits in a worse basin
//! still finds its own optimum.

use t2_core::ChinchillaParams;

use super::{fit_from, seed, ChinchillaFit, ChinchillaObjective, ChinchillaOptions, FitData};
use crate::bootstrap::{self, BootstrapOptions};
use crate::starts;

/// Fast NNLS starts (on a 0.1-step (α, β) grid over [0, 2]²) added to the warm start in each refit.
pub const REFIT_FAST_STARTS: usize = 4;

/// Refits the rows `rows` of `data` (indices into `data`, repeats allowed) from the full fit's optimum and the
/// resample's best fast starts. None when the best solve did not converge.
pub fn refit(
    data: &FitData,
    rows: &[usize],
    full: &ChinchillaFit,
    opts: &ChinchillaOptions,
) -> Option<ChinchillaFit> {
    let sample = data.subset(rows);
    let objective = ChinchillaObjective {
        data: &sample,
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
    let fit = fit_from(&sample, &refit_opts, &starts);
    fit.multistart.best.converged.then_some(fit)
}

/// The outcome of a Chinchilla bootstrap: one entry per resample, None for a failed refit.
#[derive(Debug, Clone, PartialEq)]
pub struct ChinchillaBootstrap {
    pub draws: Vec<Option<ChinchillaParams>>,
    pub options: BootstrapOptions,
    /// "row", "checkpoint", or the cluster column's name.
    pub unit: String,
}

impl ChinchillaBootstrap {
    /// Resamples whose refit failed.
    pub fn failed(&self) -> usize {
        self.draws.iter().filter(|d| d.is_none()).count()
    }

    /// Parameters of the successful resamples, in resample order.
    pub fn successful(&self) -> Vec<ChinchillaParams> {
        self.draws.iter().flatten().copied().collect()
    }
}

/// Bootstraps the fit `full` of `data`: `unit_of_row[i]` is the resampling unit of data row i (see
/// [`bootstrap::Units`]); `on_done` ticks after each resample. Bit-identical for any thread count.
pub fn bootstrap(
    data: &FitData,
    full: &ChinchillaFit,
    opts: &ChinchillaOptions,
    unit_of_row: &[usize],
    unit: &str,
    boot: &BootstrapOptions,
    on_done: &(dyn Fn() + Sync),
) -> ChinchillaBootstrap {
    let draws = bootstrap::run(unit_of_row, boot, on_done, |rows| {
        refit(data, rows, full, opts).map(|f| f.params)
    });
    ChinchillaBootstrap {
        draws,
        options: *boot,
        unit: unit.to_string(),
    }
}
