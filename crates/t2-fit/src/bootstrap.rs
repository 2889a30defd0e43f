//! Non-parametric bootstrap, generic over the model: resample units (rows, checkpoints or clusters) with
//! replacement, refit, summarise the draws by percentile intervals, standard errors and a covariance matrix.
//!
//! Determinism: resample i draws from `Rng::stream(seed, i)` and results keep resample order, so the draws are
//! bit-identical for any rayon thread count.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use t2_core::rng::Rng;

use crate::error::FitError;
use crate::report::{Estimate, Quantity};

/// How many resamples, from which seed, and the interval level: valid by construction ([`BootstrapOptions::new`]
/// checks; a fit file's options are checked as they are read), so a level of 1.5 can never reach the intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawBootstrapOptions")]
pub struct BootstrapOptions {
    resamples: usize,
    seed: u64,
    level: f64,
}

/// [`BootstrapOptions`] as a file holds them, before they are checked.
#[derive(Deserialize)]
struct RawBootstrapOptions {
    resamples: usize,
    seed: u64,
    level: f64,
}

impl TryFrom<RawBootstrapOptions> for BootstrapOptions {
    type Error = String;
    fn try_from(raw: RawBootstrapOptions) -> Result<Self, String> {
        BootstrapOptions::new(raw.resamples, raw.seed, raw.level).map_err(|e| e.describe())
    }
}

/// Resamples by default.
pub const DEFAULT_RESAMPLES: usize = 1000;
/// Seed by default.
pub const DEFAULT_SEED: u64 = 0;
/// Interval level by default.
pub const DEFAULT_LEVEL: f64 = 0.95;

/// Most resamples a bootstrap may draw: each keeps its parameters (and refits every form), so more would only
/// exhaust memory; percentile intervals are stable to 3 digits well below it.
pub const MAX_RESAMPLES: usize = 100_000;

impl BootstrapOptions {
    /// Options after checking the level lies in (0, 1) and there is at least one resample.
    pub fn new(resamples: usize, seed: u64, level: f64) -> Result<BootstrapOptions, FitError> {
        BootstrapOptions::check_level(level)?;
        if resamples == 0 || resamples > MAX_RESAMPLES {
            return Err(FitError::BadOptions {
                what: "bootstrap resamples",
                message: format!(
                    "from 1 to {MAX_RESAMPLES} resamples (or no bootstrap at all), got {resamples}"
                ),
            });
        }
        Ok(BootstrapOptions {
            resamples,
            seed,
            level,
        })
    }

    /// An interval level: in (0, 1). Checked on its own where no bootstrap runs but a level was given.
    pub fn check_level(level: f64) -> Result<(), FitError> {
        if level > 0.0 && level < 1.0 {
            Ok(())
        } else {
            Err(FitError::BadOptions {
                what: "bootstrap level",
                message: format!("must be between 0 and 1, got {level}"),
            })
        }
    }

    /// How many resamples.
    pub fn resamples(&self) -> usize {
        self.resamples
    }

    /// Resample i draws from stream i of this seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Central interval level, e.g. 0.95 for the 2.5th–97.5th percentiles.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// These options with another seed.
    pub fn with_seed(self, seed: u64) -> BootstrapOptions {
        BootstrapOptions { seed, ..self }
    }
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            resamples: DEFAULT_RESAMPLES,
            seed: DEFAULT_SEED,
            level: DEFAULT_LEVEL,
        }
    }
}

/// Resampling units: the rows of each unit, units in order of first appearance.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    rows_of_unit: Vec<Vec<usize>>,
}

impl Units {
    /// Groups rows by unit id: `unit_of_row[i]` is row i's unit (any integers; e.g. `0..n` for a row bootstrap,
    /// `RunTable::checkpoint_ids()` for whole checkpoints, [`unit_ids`] of a column for clusters).
    pub fn new(unit_of_row: &[usize]) -> Units {
        let mut index_of_id: std::collections::HashMap<usize, usize> = Default::default();
        let mut rows_of_unit: Vec<Vec<usize>> = Vec::new();
        for (row, &id) in unit_of_row.iter().enumerate() {
            let unit = *index_of_id.entry(id).or_insert_with(|| {
                rows_of_unit.push(Vec::new());
                rows_of_unit.len() - 1
            });
            rows_of_unit[unit].push(row);
        }
        Units { rows_of_unit }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.rows_of_unit.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.rows_of_unit.is_empty()
    }

    /// Draws as many units as there are, uniformly with replacement, and returns all their rows (in draw order,
    /// repeats kept).
    pub fn resample(&self, rng: &mut Rng) -> Vec<usize> {
        let mut rows = Vec::new();
        for _ in 0..self.len() {
            rows.extend_from_slice(&self.rows_of_unit[rng.below(self.len())]);
        }
        rows
    }
}

/// Unit ids from labels (e.g. a cluster column): equal labels share an id, numbered by first appearance.
pub fn unit_ids<S: AsRef<str>>(labels: &[S]) -> Vec<usize> {
    let mut ids: std::collections::HashMap<&str, usize> = Default::default();
    labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l.as_ref()).or_insert(next)
        })
        .collect()
}

/// Runs `opts.resamples` bootstrap refits in parallel. Resample i uses `Rng::stream(opts.seed, i)`; `refit`
/// gets the resampled row indices and returns `None` when the refit failed (counted by the caller);
/// `on_done` is called after each resample (e.g. to tick a progress bar). Output is in resample order.
pub fn run<T: Send>(
    unit_of_row: &[usize],
    opts: &BootstrapOptions,
    on_done: &(dyn Fn() + Sync),
    refit: impl Fn(&[usize]) -> Option<T> + Sync,
) -> Vec<Option<T>> {
    let units = Units::new(unit_of_row);
    (0..opts.resamples)
        .into_par_iter()
        .map(|i| {
            let mut rng = Rng::stream(opts.seed, i as u64);
            let rows = units.resample(&mut rng);
            let result = refit(&rows);
            on_done();
            result
        })
        .collect()
}

/// The q-quantile (0 ≤ q ≤ 1) of sorted values by linear interpolation between order statistics
/// (Hyndman–Fan type 7, numpy's default): h = (n − 1)·q, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Estimates with bootstrap intervals: for quantity j (`quantities[j]`, point estimate `point[j]`), the
/// percentile interval [Q((1−level)/2), Q((1+level)/2)] of the finite draws `draws[r][j]`; its spread as the
/// standard error SE = sqrt(Σ(x − x̄)² / (n − 1)) or, for a positive log-scale quantity ([`Kind::is_log_scale`])
/// whose draws are all positive, as the factor e^SD(ln x) by which the draws spread multiplicatively. A quantity
/// with fewer than 2 finite draws gets no spread or interval.
pub fn summarize(quantities: &[Quantity], point: &[f64], draws: &[Vec<f64>], level: f64) -> Vec<Estimate> {
    quantities
        .iter()
        .zip(point)
        .enumerate()
        .map(|(j, (quantity, &value))| {
            let mut column: Vec<f64> = draws.iter().map(|d| d[j]).filter(|v| v.is_finite()).collect();
            let mut estimate = Estimate {
                name: quantity.name.clone(),
                kind: quantity.kind,
                value,
                se: None,
                factor: None,
                lo: None,
                hi: None,
                draws: column.len(),
            };
            if column.len() >= 2 {
                column.sort_by(f64::total_cmp);
                // Identical draws (a pinned parameter) have exactly zero spread, not rounding noise.
                let constant = column[0] == column[column.len() - 1];
                if quantity.kind.is_log_scale() && column[0] > 0.0 {
                    let logs: Vec<f64> = column.iter().map(|v| v.ln()).collect();
                    estimate.factor = Some(if constant {
                        1.0
                    } else {
                        standard_deviation(&logs).exp()
                    });
                } else {
                    estimate.se = Some(if constant {
                        0.0
                    } else {
                        standard_deviation(&column)
                    });
                }
                estimate.lo = Some(quantile_sorted(&column, (1.0 - level) / 2.0));
                estimate.hi = Some(quantile_sorted(&column, (1.0 + level) / 2.0));
            }
            estimate
        })
        .collect()
}

/// sqrt(Σ(x − x̄)² / (n − 1)).
fn standard_deviation(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Sample covariance of the draws (rows = draws, columns = quantities):
/// Σ_jk = Σ_r (x_rj − x̄_j)(x_rk − x̄_k) / (n − 1). Draws with any non-finite entry are skipped; fewer than 2
/// usable draws give NaN entries.
pub fn covariance(draws: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let dim = draws.first().map_or(0, Vec::len);
    let usable: Vec<&Vec<f64>> = draws.iter().filter(|d| d.iter().all(|v| v.is_finite())).collect();
    let n = usable.len() as f64;
    let mean: Vec<f64> = (0..dim)
        .map(|j| usable.iter().map(|d| d[j]).sum::<f64>() / n)
        .collect();
    (0..dim)
        .map(|j| {
            (0..dim)
                .map(|k| {
                    if usable.len() < 2 {
                        return f64::NAN;
                    }
                    usable
                        .iter()
                        .map(|d| (d[j] - mean[j]) * (d[k] - mean[k]))
                        .sum::<f64>()
                        / (n - 1.0)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Kind;

    #[test]
    fn cluster_resample_keeps_units_whole() {
        let ids = unit_ids(&["x", "y", "x", "z", "y"]);
        assert_eq!(ids, vec![0, 1, 0, 2, 1]);
        let units = Units::new(&ids);
        assert_eq!(units.len(), 3);
        let rows = units.resample(&mut Rng::new(3));
        // Every drawn unit contributes all its rows, adjacent.
        let mut i = 0;
        while i < rows.len() {
            let unit = ids[rows[i]];
            let members: Vec<usize> = (0..ids.len()).filter(|&r| ids[r] == unit).collect();
            assert_eq!(&rows[i..i + members.len()], members.as_slice());
            i += members.len();
        }
    }

    #[test]
    fn quantiles_match_numpy_type7() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&x, 0.5), 3.0);
        assert!((quantile_sorted(&x, 0.9) - 7.6).abs() < 1e-12); // np.percentile([1,2,3,4,10], 90)
        assert!((quantile_sorted(&x, 0.025) - 1.1).abs() < 1e-12);
    }

    /// The bootstrap of a mean: SE ≈ sd/√n and the interval covers the mean, same for 1 and 2 threads.
    #[test]
    fn mean_bootstrap_is_right_and_thread_independent() {
        let mut rng = Rng::new(11);
        let data: Vec<f64> = (0..200).map(|_| 5.0 + 2.0 * rng.normal()).collect();
        let ids: Vec<usize> = (0..data.len()).collect();
        let opts = BootstrapOptions {
            resamples: 2000,
            seed: 4,
            level: 0.9,
        };
        let mean_of = |rows: &[usize]| {
            Some(vec![
                rows.iter().map(|&r| data[r]).sum::<f64>() / rows.len() as f64,
            ])
        };
        let with_threads = |n: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| run(&ids, &opts, &|| {}, mean_of))
        };
        let one = with_threads(1);
        assert_eq!(one, with_threads(2));
        let draws: Vec<Vec<f64>> = one.into_iter().flatten().collect();
        let mean = data.iter().sum::<f64>() / 200.0;
        let sd = (data.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 199.0).sqrt();
        let est = &summarize(&[Quantity::new("mean", Kind::Other)], &[mean], &draws, 0.9)[0];
        let se = est.se.unwrap();
        assert!((se / (sd / 200f64.sqrt()) - 1.0).abs() < 0.1, "se {se}");
        assert!(est.lo.unwrap() < mean && mean < est.hi.unwrap());
        // 90% normal interval half-width ≈ 1.645 SE.
        assert!(((est.hi.unwrap() - est.lo.unwrap()) / (2.0 * 1.645 * se) - 1.0).abs() < 0.1);
        let cov = covariance(&draws);
        assert!((cov[0][0].sqrt() / se - 1.0).abs() < 1e-9);
    }
}
