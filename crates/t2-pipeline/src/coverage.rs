//! The coverage study behind the verdict's thresholds: sweeps simulated from known laws (Approach 1's loss,
//! Approach 2's pass@k on the same single-pass law), fitted as `t2 fit t2` fits them, and for each form whether
//! the truth's N* lies inside the bootstrap band at the budget the fit's identification is judged at
//! ([`t2_fit::trust::IDENTIFY_AT_FACTOR`] times the largest fitted compute), how wide that band is, and what
//! the verdict said (a law of the right shape should describe and predict `ok`). `scripts/coverage.sh` runs a
//! large study; a small one is a test. The loss carries multiplicative Gaussian noise; pass@k is the mean over
//! a finite set of problems drawn from the true Beta, as a benchmark's is.

use t2_core::plan::{plan, Budget, Deployment};
use t2_core::rng::Rng;
use t2_core::simulate::{isoflop_checkpoints, simulate_runs, SimulationSpec, TaskTruth, DEFAULT_THETA};
use t2_core::{Approach1Params, Approach2Params, ChinchillaParams, Form, ModelParams};
use t2_fit::bootstrap::BootstrapOptions;
use t2_fit::trust::{Verdict, IDENTIFY_AT_FACTOR};

use crate::defaults;
use crate::error::Error;
use crate::plan::{plan_form, PlanSpec};
use crate::request::FitRequest;
use crate::setting::Setting;
use crate::sweep::{fit_sweep, Silent};

/// What to simulate and fit.
#[derive(Debug, Clone, PartialEq)]
pub struct StudySpec {
    /// Sweeps, each with its own truth and noise draw.
    pub sweeps: usize,
    /// Bootstrap resamples per fit.
    pub resamples: usize,
    /// Relative noise of the simulated loss.
    pub noise: f64,
    /// Problems per checkpoint: pass@k is the mean over problems whose accuracies are drawn from the true
    /// Beta (the sampling noise of a real benchmark, shared by a checkpoint's k values).
    pub problems: usize,
    /// Seed of the truths, the noise and the bootstraps.
    pub seed: u64,
}

/// One form's outcome on one sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The form.
    pub form: Form,
    /// Whether the truth's N* lies in the band.
    pub covered: bool,
    /// Decades the band spans.
    pub band_decades: f64,
    /// The fit's verdict on each question.
    pub describes: Verdict,
    /// …
    pub predicts: Verdict,
    /// …
    pub identifies: Verdict,
    /// The checks that raised a doubt ("describes R²", …).
    pub doubts: Vec<String>,
}

/// Each form's outcomes over the study's sweeps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StudyReport {
    /// One entry per (sweep, form fitted).
    pub outcomes: Vec<Outcome>,
}

impl StudyReport {
    /// The outcomes of `form`.
    pub fn of(&self, form: Form) -> Vec<&Outcome> {
        self.outcomes.iter().filter(|o| o.form == form).collect()
    }

    /// The share of `form`'s sweeps for which `test` holds.
    pub fn share(&self, form: Form, test: impl Fn(&Outcome) -> bool) -> f64 {
        let of = self.of(form);
        of.iter().filter(|o| test(o)).count() as f64 / of.len().max(1) as f64
    }

    /// A table for people: per form, coverage, median band width, the shares of `ok` per question.
    pub fn table(&self, level: f64) -> String {
        let mut out = format!(
            "form        sweeps  N* in its {:.0}% band  median band (decades)  describes ok  predicts ok  identifies ok\n",
            100.0 * level
        );
        for form in [Form::Chinchilla, Form::Approach1, Form::Approach2] {
            let of = self.of(form);
            if of.is_empty() {
                continue;
            }
            let mut widths: Vec<f64> = of.iter().map(|o| o.band_decades).collect();
            widths.sort_by(f64::total_cmp);
            out += &format!(
                "{:<10}  {:>6}  {:>19.0}%  {:>21.2}  {:>11.0}%  {:>10.0}%  {:>12.0}%\n",
                form.label(),
                of.len(),
                100.0 * self.share(form, |o| o.covered),
                widths[widths.len() / 2],
                100.0 * self.share(form, |o| o.describes == Verdict::Ok),
                100.0 * self.share(form, |o| o.predicts == Verdict::Ok),
                100.0 * self.share(form, |o| o.identifies == Verdict::Ok),
            );
        }
        let mut doubts: std::collections::BTreeMap<(String, &str), usize> = Default::default();
        for o in &self.outcomes {
            for d in &o.doubts {
                *doubts.entry((d.clone(), o.form.label())).or_default() += 1;
            }
        }
        for ((doubt, form), count) in doubts {
            out += &format!("  {form}: {doubt} in {count} sweeps\n");
        }
        out
    }
}

/// A simulated sweep, ingested as a file would be.
pub(crate) fn ingest_simulation(sim: &SimulationSpec) -> Result<t2_ingest::Ingested, Error> {
    let table = simulate_runs(sim)
        .map_err(|e| Error::Request(format!("simulation: {}", e.0)))?
        .table;
    Ok(t2_ingest::ingest_table(&table, "simulated.csv")?)
}

/// A truth drawn around the simulator's default: exponents in [0.25, 0.4], scales within a factor 2.
pub(crate) fn draw_truth(rng: &mut Rng) -> Approach1Params {
    let mut u = |lo: f64, hi: f64| lo + (hi - lo) * rng.uniform();
    Approach1Params {
        e: u(0.2, 0.5),
        a: u(40.0, 120.0),
        b: u(250.0, 800.0),
        g: u(1.0, 2.0),
        alpha: u(0.25, 0.4),
        beta: u(0.25, 0.4),
        gamma: u(0.3, 0.5),
    }
}

/// The single-pass law of an Approach 1 truth: floor E + G.
fn single_pass(p: &Approach1Params) -> ChinchillaParams {
    ChinchillaParams {
        e: p.e + p.g,
        a: p.a,
        b: p.b,
        alpha: p.alpha,
        beta: p.beta,
    }
}

/// Runs the study: each sweep on the paper's isoFLOP design (8 levels × 6 sizes, k = 1 … 256), fitted with the
/// default request (forecast check included) and `spec.resamples` resamples.
pub fn run_study(spec: &StudySpec) -> Result<StudyReport, Error> {
    let mut rng = Rng::new(spec.seed);
    let mut report = StudyReport::default();
    let checkpoints: Vec<(f64, f64)> = isoflop_checkpoints(8, 6)
        .iter()
        .map(|&(n, d, _)| (n, d))
        .collect();
    for sweep in 0..spec.sweeps {
        let a1 = draw_truth(&mut rng);
        let a2 = Approach2Params {
            loss: single_pass(&a1),
            theta: DEFAULT_THETA,
        };
        let sim = SimulationSpec {
            checkpoints: checkpoints.clone(),
            k_grid: (0..5).map(|i| 4f64.powi(i)).collect(),
            tasks: vec![TaskTruth {
                name: "sim".into(),
                approach1: Some(a1),
                approach2: Some(a2),
            }],
            noise: spec.noise,
            problems: Some(spec.problems),
            seed: spec.seed.wrapping_add(1 + sweep as u64),
        };
        let ingested = ingest_simulation(&sim)?;
        let request = FitRequest {
            forms: Some(vec![Form::Chinchilla, Form::Approach1, Form::Approach2]),
            bootstrap: Some(
                BootstrapOptions::new(
                    spec.resamples,
                    spec.seed.wrapping_add(sweep as u64),
                    defaults::LEVEL,
                )
                .map_err(|e| Error::option(Setting::Bootstrap, e.describe()))?,
            ),
            ..FitRequest::sweep()
        };
        let file = fit_sweep(&ingested, &request, vec!["coverage".into()], &Silent)?;
        for fit in &file.fits {
            let truth = match fit.form {
                Form::Chinchilla => ModelParams::Chinchilla(single_pass(&a1)),
                Form::Approach1 => ModelParams::Approach1(a1),
                Form::Approach2 | Form::Chained => ModelParams::Approach2(a2),
            };
            let max_flops = fit
                .predictions
                .iter()
                .map(|p| 6.0 * p.params * p.tokens)
                .fold(0.0, f64::max);
            let budget = Budget::new(IDENTIFY_AT_FACTOR * max_flops, defaults::INFERENCE_FLOPS)?;
            let planned = plan_form(fit, &PlanSpec::of_budgets(Deployment::default(), vec![budget]))?;
            let Some(band) = planned.rows[0].bands.as_ref().map(|b| b.params) else {
                continue;
            };
            let n_true = plan(&truth, &Deployment::default(), budget)?.optimum.params;
            let a = &fit.trust.aspects;
            report.outcomes.push(Outcome {
                form: fit.form,
                covered: band.lo <= n_true && n_true <= band.hi,
                band_decades: (band.hi / band.lo).log10(),
                describes: a.describes,
                predicts: a.predicts,
                identifies: a.identifies,
                doubts: fit
                    .trust
                    .reasons
                    .iter()
                    .filter(|r| r.verdict != Verdict::Ok)
                    .map(|r| format!("{} {}", r.check.aspect().name(), r.check_name()))
                    .collect(),
            });
        }
    }
    Ok(report)
}
