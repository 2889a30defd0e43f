//! The advisor's validation: sweeps simulated from known Approach 1 laws, each with a design weak in its own way
//! ([`WeakDesign`]), fitted with a bootstrap; the same extra training compute then spent three ways
//! ([`Strategy`]): the advisor's picks, one more isoFLOP level at the top budget with 5 sizes (the usual
//! default), and random runs from the advisor's own candidate grid. Each extended sweep is refitted, and the
//! bootstrap band of N* at the target (two decades past the fitted compute) is measured, with whether it holds
//! the truth's N*. A small study is a test; `scripts/design_study.sh` runs a large one.

use t2_core::plan::{optimum, Budget, Deployment};
use t2_core::rng::Rng;
use t2_core::simulate::{SimulationSpec, TaskTruth};
use t2_core::{Approach1Params, Form, ModelParams};
use t2_fit::bootstrap::BootstrapOptions;
use t2_fit::trust::IDENTIFY_AT_FACTOR;
use t2_fit::FormFit;

use super::{advise, candidate_grid, AdviceRequest, DataRange, Quantity};
use crate::error::Error;
use crate::plan::{plan_form, PlanSpec};
use crate::request::{FitRequest, Holdout};
use crate::setting::Setting;
use crate::sweep::{fit_sweep, Silent};

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct StudySpec {
    /// Sweeps (their designs cycle through [`WeakDesign::ALL`]).
    pub sweeps: usize,
    /// Bootstrap resamples per fit.
    pub resamples: usize,
    /// Relative noise of the simulated loss.
    pub noise: f64,
    /// Training compute for the new runs, as a share of the sweep's own.
    pub extra_share: f64,
    /// Most new runs of the advisor and of the random strategy, each taking at least half its share of the
    /// budget left (the same batch rule for both); None: no limit.
    pub max_runs: Option<usize>,
    /// Seed of the truths, the noise, the random runs and the bootstraps.
    pub seed: u64,
}

/// How a sweep's design falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakDesign {
    /// Three isoFLOP levels, sizes only within a factor 2 of 20 tokens per parameter.
    NarrowTokensPerParam,
    /// One isoFLOP level, eight sizes.
    OneLevel,
    /// Four isoFLOP levels with every run above 20 tokens per parameter left out.
    NoOvertrained,
    /// Three sizes, each at four token counts.
    FewSizes,
}

impl WeakDesign {
    /// Every design, in the study's order.
    pub const ALL: [WeakDesign; 4] = [
        WeakDesign::NarrowTokensPerParam,
        WeakDesign::OneLevel,
        WeakDesign::NoOvertrained,
        WeakDesign::FewSizes,
    ];

    /// Its name in the study's table.
    pub fn name(self) -> &'static str {
        match self {
            WeakDesign::NarrowTokensPerParam => "narrow D/N",
            WeakDesign::OneLevel => "one isoFLOP level",
            WeakDesign::NoOvertrained => "no overtrained runs",
            WeakDesign::FewSizes => "few sizes",
        }
    }

    /// Its checkpoints (N, D).
    pub fn checkpoints(self) -> Vec<(f64, f64)> {
        let level = |c: f64, sizes: usize, spread: f64| -> Vec<(f64, f64)> {
            let rule = (c / 120.0).sqrt();
            crate::plan::log_spaced(rule / spread, rule * spread, sizes)
                .into_iter()
                .map(|n| (n.round(), (c / (6.0 * n.round())).round()))
                .collect()
        };
        match self {
            WeakDesign::NarrowTokensPerParam => [1e17, 4e17, 1.6e18]
                .iter()
                .flat_map(|&c| level(c, 5, 2f64.sqrt()))
                .collect(),
            WeakDesign::OneLevel => level(4e17, 8, 6.0),
            WeakDesign::NoOvertrained => [1e17, 4e17, 1.6e18, 6.4e18]
                .iter()
                .flat_map(|&c| level(c, 6, 6.0))
                .filter(|&(n, d)| d / n <= 20.0)
                .collect(),
            WeakDesign::FewSizes => [2e7, 6e7, 1.8e8]
                .iter()
                .flat_map(|&n| [5.0, 20.0, 80.0, 320.0].map(|r| (n, n * r)))
                .collect(),
        }
    }
}

/// How the extra compute is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The advisor's picks.
    Advisor,
    /// One more isoFLOP level at twice the top budget (or what the budget allows), 5 sizes from ¼ to 4 times
    /// the 20:1 size.
    IsoflopLevel,
    /// Runs drawn at random from the advisor's candidate grid under the advisor's batch rule (at most
    /// `max_runs`, each at least half its share of the budget left) until the budget is spent.
    Random,
}

impl Strategy {
    /// Every strategy, in the table's order.
    pub const ALL: [Strategy; 3] = [Strategy::Advisor, Strategy::IsoflopLevel, Strategy::Random];

    /// Its name in the study's table.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Advisor => "advisor",
            Strategy::IsoflopLevel => "one more isoFLOP level",
            Strategy::Random => "random runs",
        }
    }
}

/// One strategy's result on one sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The sweep's index.
    pub sweep: usize,
    /// Its design.
    pub design: WeakDesign,
    /// The strategy.
    pub strategy: Strategy,
    /// Decades the bootstrap band of N* at the target spans, after the new runs.
    pub band_decades: f64,
    /// Whether the band holds the truth's N*.
    pub covered: bool,
    /// |log10 N*(fit) − log10 N*(truth)|.
    pub error_decades: f64,
    /// Training compute spent on new runs.
    pub spent: f64,
}

/// Every outcome of the study.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StudyReport {
    /// One per (sweep, strategy).
    pub outcomes: Vec<Outcome>,
    /// The band of N* before any new run, per sweep (decades).
    pub before: Vec<f64>,
    /// Sweeps left out, with why (a fit or plan that failed: every strategy of the sweep is left out).
    pub failed: Vec<(usize, String)>,
}

impl StudyReport {
    fn of(&self, strategy: Strategy) -> Vec<&Outcome> {
        self.outcomes.iter().filter(|o| o.strategy == strategy).collect()
    }

    /// Per sweep, the advisor's band over `other`'s (below 1: the advisor's is narrower).
    pub fn ratios(&self, other: Strategy) -> Vec<f64> {
        let advisor = self.of(Strategy::Advisor);
        self.of(other)
            .iter()
            .filter_map(|o| {
                advisor
                    .iter()
                    .find(|a| a.sweep == o.sweep)
                    .map(|a| a.band_decades / o.band_decades)
            })
            .collect()
    }

    /// The share of sweeps where the advisor's band is narrower than `other`'s.
    pub fn narrower_share(&self, other: Strategy) -> f64 {
        let r = self.ratios(other);
        r.iter().filter(|&&x| x < 1.0).count() as f64 / r.len().max(1) as f64
    }

    /// The study as a table for people.
    pub fn table(&self) -> String {
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
        };
        let mut out = format!(
            "{} sweeps; N*'s band at the target before new runs: median {:.2} decades\n",
            self.before.len(),
            median(self.before.clone())
        );
        for (sweep, why) in &self.failed {
            out += &format!("sweep {sweep} left out: {why}\n");
        }
        out += "strategy                 median band (decades)  truth in band  median error (decades)\n";
        for s in Strategy::ALL {
            let of = self.of(s);
            out += &format!(
                "{:<24} {:>21.3}  {:>12.0}%  {:>22.3}\n",
                s.name(),
                median(of.iter().map(|o| o.band_decades).collect()),
                100.0 * of.iter().filter(|o| o.covered).count() as f64 / of.len().max(1) as f64,
                median(of.iter().map(|o| o.error_decades).collect()),
            );
        }
        for s in [Strategy::IsoflopLevel, Strategy::Random] {
            out += &format!(
                "advisor narrower than {}: {:.0}% of sweeps, median band ratio {:.2}\n",
                s.name(),
                100.0 * self.narrower_share(s),
                median(self.ratios(s))
            );
        }
        for d in WeakDesign::ALL {
            let sweeps: Vec<usize> = self
                .outcomes
                .iter()
                .filter(|o| o.design == d && o.strategy == Strategy::Advisor)
                .map(|o| o.sweep)
                .collect();
            if sweeps.is_empty() {
                continue;
            }
            let ratio = |s: Strategy| {
                median(
                    self.ratios(s)
                        .into_iter()
                        .zip(self.of(s))
                        .filter(|(_, o)| sweeps.contains(&o.sweep))
                        .map(|(r, _)| r)
                        .collect(),
                )
            };
            out += &format!(
                "  {:<20} median band ratio vs isoFLOP level {:.2}, vs random {:.2}\n",
                d.name(),
                ratio(Strategy::IsoflopLevel),
                ratio(Strategy::Random)
            );
        }
        out
    }
}

fn fit_approach1(
    truth: &Approach1Params,
    checkpoints: &[(f64, f64)],
    spec: &StudySpec,
    sweep: usize,
) -> Result<FormFit, Error> {
    let sim = SimulationSpec {
        checkpoints: checkpoints.to_vec(),
        k_grid: (0..5).map(|i| 4f64.powi(i)).collect(),
        tasks: vec![TaskTruth {
            name: "sim".into(),
            approach1: Some(*truth),
            approach2: None,
        }],
        noise: spec.noise,
        problems: None,
        seed: spec.seed.wrapping_add(1 + sweep as u64),
    };
    let ingested = crate::coverage::ingest_simulation(&sim)?;
    let request = FitRequest {
        forms: Some(vec![Form::Approach1]),
        holdout: Holdout::None,
        bootstrap: Some(
            BootstrapOptions::new(spec.resamples, spec.seed.wrapping_add(sweep as u64), 0.95)
                .map_err(|e| Error::option(Setting::Bootstrap, e.describe()))?,
        ),
        ..FitRequest::sweep()
    };
    let mut file = fit_sweep(&ingested, &request, vec!["design study".into()], &Silent)?;
    file.fits
        .pop()
        .ok_or_else(|| Error::Request("the study's fit has no Approach 1 form".into()))
}

/// N*'s bootstrap band at `target` (lo, hi) and the point N*.
fn band(fit: &FormFit, target: Budget) -> Result<(f64, f64, f64), Error> {
    let planned = plan_form(fit, &PlanSpec::of_budgets(Deployment::default(), vec![target]))?;
    let row = &planned.rows[0];
    let b = row
        .bands
        .as_ref()
        .ok_or_else(|| Error::Request("the study's fit has no bootstrap band".into()))?;
    Ok((b.params.lo, b.params.hi, row.plan.optimum.params))
}

/// The new runs of a strategy within `budget`.
fn new_runs(
    strategy: Strategy,
    (fit, base): (&FormFit, &[(f64, f64)]),
    (budget, max_runs): (f64, Option<usize>),
    target: Budget,
    rng: &mut Rng,
) -> Result<Vec<(f64, f64)>, Error> {
    Ok(match strategy {
        Strategy::Advisor => {
            let request = AdviceRequest {
                budget,
                max_run_flops: None,
                target,
                quantity: Quantity::NStar,
                candidates: None,
                max_runs,
            };
            advise(fit, &request)?
                .picks
                .iter()
                .map(|p| (p.params, p.tokens))
                .collect()
        }
        Strategy::IsoflopLevel => {
            let top = base.iter().map(|&(n, d)| 6.0 * n * d).fold(0.0, f64::max);
            let c = (2.0 * top).min(budget / 5.0);
            let rule = (c / 120.0).sqrt();
            crate::plan::log_spaced(rule / 4.0, rule * 4.0, 5)
                .into_iter()
                .map(|n| (n.round(), (c / (6.0 * n.round())).round()))
                .collect()
        }
        Strategy::Random => {
            let mut pool = candidate_grid(&DataRange::of(fit));
            let mut picked: Vec<(f64, f64)> = Vec::new();
            let mut left = budget;
            while max_runs.is_none_or(|m| picked.len() < m) {
                let smallest = max_runs.map_or(0.0, |m| left / (2.0 * (m - picked.len()) as f64));
                let fits: Vec<usize> = (0..pool.len())
                    .filter(|&i| (smallest..=left).contains(&(6.0 * pool[i].0 * pool[i].1)))
                    .collect();
                if fits.is_empty() {
                    break;
                }
                let i = fits[((rng.uniform() * fits.len() as f64) as usize).min(fits.len() - 1)];
                let (n, d) = pool.swap_remove(i);
                left -= 6.0 * n * d;
                picked.push((n, d));
            }
            picked
        }
    })
}

/// One sweep: its band before new runs, and each strategy's outcome.
fn run_sweep(
    spec: &StudySpec,
    sweep: usize,
    design: WeakDesign,
    truth: &Approach1Params,
    rng: &mut Rng,
) -> Result<(f64, Vec<Outcome>), Error> {
    let base = design.checkpoints();
    let fit = fit_approach1(truth, &base, spec, sweep)?;
    let fitted_max = base.iter().map(|&(n, d)| 6.0 * n * d).fold(0.0, f64::max);
    let target = Budget::new(IDENTIFY_AT_FACTOR * fitted_max, crate::defaults::INFERENCE_FLOPS)?;
    let n_true = optimum(&ModelParams::Approach1(*truth), &Deployment::default(), target)?.params;
    let (lo, hi, _) = band(&fit, target)?;
    let budget = spec.extra_share * base.iter().map(|&(n, d)| 6.0 * n * d).sum::<f64>();
    let mut outcomes = Vec::new();
    for strategy in Strategy::ALL {
        let added = new_runs(strategy, (&fit, &base), (budget, spec.max_runs), target, rng)?;
        let spent = added.iter().map(|&(n, d)| 6.0 * n * d).sum();
        let all: Vec<(f64, f64)> = base.iter().chain(&added).copied().collect();
        let refit = fit_approach1(truth, &all, spec, sweep)?;
        let (lo, hi, n_fit) = band(&refit, target)?;
        outcomes.push(Outcome {
            sweep,
            design,
            strategy,
            band_decades: (hi / lo).log10(),
            covered: lo <= n_true && n_true <= hi,
            error_decades: (n_fit / n_true).log10().abs(),
            spent,
        });
    }
    Ok(((hi / lo).log10(), outcomes))
}

/// Runs the study (see the module); a sweep whose fit or plan fails is left out, with why.
///
/// # Errors
///
/// A simulation, fit or plan that fails.
pub fn run_study(spec: &StudySpec) -> Result<StudyReport, Error> {
    let mut rng = Rng::new(spec.seed);
    let mut report = StudyReport::default();
    for sweep in 0..spec.sweeps {
        let design = WeakDesign::ALL[sweep % WeakDesign::ALL.len()];
        let truth = crate::coverage::draw_truth(&mut rng);
        match run_sweep(spec, sweep, design, &truth, &mut rng) {
            Ok((before, outcomes)) => {
                report.before.push(before);
                report.outcomes.extend(outcomes);
            }
            Err(e) => report.failed.push((sweep, e.to_string())),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_weak_design_is_weak_where_its_name_says() {
        let ratios = |d: WeakDesign| -> (f64, f64) {
            let r: Vec<f64> = d.checkpoints().iter().map(|&(n, t)| t / n).collect();
            (
                r.iter().copied().fold(f64::INFINITY, f64::min),
                r.iter().copied().fold(0.0, f64::max),
            )
        };
        assert!(ratios(WeakDesign::NarrowTokensPerParam).1 < 41.0);
        assert!(ratios(WeakDesign::NoOvertrained).1 <= 20.0);
        let levels: std::collections::BTreeSet<u64> = WeakDesign::OneLevel
            .checkpoints()
            .iter()
            .map(|&(n, d)| (6.0 * n * d / 1e15).round() as u64)
            .collect();
        assert_eq!(levels.len(), 1);
        let sizes: std::collections::BTreeSet<u64> = WeakDesign::FewSizes
            .checkpoints()
            .iter()
            .map(|&(n, _)| n as u64)
            .collect();
        assert_eq!(sizes.len(), 3);
    }
}
