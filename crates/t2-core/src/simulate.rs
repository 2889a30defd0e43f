//! Simulated sweeps from known T² parameters, for recovery tests and the project's example data.
//!
//! - Loss (Approach 1): L = L̂(N, D, k)·(1 + σ·z), z ~ N(0, 1) independently per row (σ = 0.01 is 1% noise).
//! - pass@k (Approach 2): per problem i of a task, p_i ~ Beta(a, b) with (a, b) the Beta regression at the
//!   checkpoint's single-pass loss L̂(N, D); the row's pass@k is mean_i[1 − (1 − p_i)^k] (the finite problem set
//!   is the noise). Without a problem count: the exact 1 − B(a, b + k)/B(a, b) times (1 + σ·z), clamped to
//!   [0, 1]. Per-problem output draws c_i ~ Binomial(n, p_i) correct answers of n samples instead.
//!
//! Randomness: checkpoint c of task t draws from `Rng::stream(seed, c·tasks + t)`, so a sweep is reproducible
//! and independent of any thread schedule.

use std::fmt;

use crate::rng::Rng;
use crate::{Approach1Params, Approach2Params, RunTable};

/// The true laws of one task. At least one of the two forms must be given, and the same ones for every task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskTruth {
    /// The task's name.
    pub name: String,
    /// Draws the `loss` column.
    pub approach1: Option<Approach1Params>,
    /// Draws the `pass_at_k` column.
    pub approach2: Option<Approach2Params>,
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    /// Checkpoints (N, D).
    pub checkpoints: Vec<(f64, f64)>,
    /// k values of every checkpoint (≥ 1).
    pub k_grid: Vec<f64>,
    /// The tasks, each with its truth.
    pub tasks: Vec<TaskTruth>,
    /// Relative standard deviation σ of the multiplicative Gaussian noise (0.01 = 1%).
    pub noise: f64,
    /// Problems per task for the Beta model of pass@k; None = exact pass@k with multiplicative noise.
    pub problems: Option<usize>,
    /// Seed of the noise and of the drawn problems.
    pub seed: u64,
}

/// A simulated run table; `checkpoint_of_row[i]` indexes `spec.checkpoints` (e.g. to carry a label).
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedRuns {
    /// The simulated run table.
    pub table: RunTable,
    /// For each table row, its checkpoint's index in the spec.
    pub checkpoint_of_row: Vec<usize>,
}

/// One simulated problem of one checkpoint and task: `correct` of `samples` generations were right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProblemRow {
    /// Index of the checkpoint in the spec.
    pub checkpoint: usize,
    /// Index of the task in the spec.
    pub task: usize,
    /// The problem's index within its task.
    pub problem: usize,
    /// Samples drawn, n.
    pub samples: u64,
    /// Correct samples among them, c.
    pub correct: u64,
}

/// Why a simulation cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulationError(pub String);

impl fmt::Display for SimulationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SimulationError {}

impl SimulationSpec {
    fn check(&self) -> Result<(), SimulationError> {
        let fail = |m: &str| Err(SimulationError(m.to_string()));
        if self.checkpoints.is_empty() || self.tasks.is_empty() {
            return fail("a simulation needs at least one checkpoint and one task");
        }
        if self
            .checkpoints
            .iter()
            .any(|&(n, d)| !(n > 0.0 && d > 0.0 && n.is_finite() && d.is_finite()))
        {
            return fail("every checkpoint needs finite N > 0 and D > 0");
        }
        if self.k_grid.is_empty() || self.k_grid.iter().any(|&k| !(k >= 1.0 && k.is_finite())) {
            return fail("the k grid needs at least one finite k ≥ 1");
        }
        if !(self.noise >= 0.0 && self.noise.is_finite()) {
            return fail("the noise level must be a finite σ ≥ 0");
        }
        if self.problems == Some(0) {
            return fail("the Beta model needs at least one problem per task");
        }
        let first = &self.tasks[0];
        let same = |t: &TaskTruth| {
            t.approach1.is_some() == first.approach1.is_some()
                && t.approach2.is_some() == first.approach2.is_some()
        };
        if first.approach1.is_none() && first.approach2.is_none() {
            return fail("give Approach 1 parameters (loss), Approach 2 parameters (pass@k) or both");
        }
        if !self.tasks.iter().all(same) {
            return fail("every task needs the same forms (all with Approach 1, all with Approach 2)");
        }
        Ok(())
    }

    fn stream(&self, checkpoint: usize, task: usize) -> Rng {
        Rng::stream(self.seed, (checkpoint * self.tasks.len() + task) as u64)
    }
}

/// Plausible T² Approach 1 parameters, the default truth of `t2 simulate`: L̂ = 0.3 + 60/N^0.3 + 400/D^0.3 +
/// 1.5/k^0.4 (task NLL from about 3.5 nats at 5M parameters to about 1 nat at 900M and k = 1024).
pub const DEFAULT_APPROACH1: Approach1Params = Approach1Params {
    e: 0.3,
    a: 60.0,
    b: 400.0,
    g: 1.5,
    alpha: 0.3,
    beta: 0.3,
    gamma: 0.4,
};
/// The default Approach 2 θ of `t2 simulate`, θ = (2.8, 3, 0.9, 0.5, −0.5) on [`DEFAULT_APPROACH1`]'s k = 1
/// law: pass@1 from about 0.1 to 0.7, pass@1024 from about 0.3 to 0.97.
pub const DEFAULT_THETA: [f64; 5] = [2.8, 3.0, 0.9, 0.5, -0.5];

/// Checkpoints on the paper's isoFLOP levels C_i = 1.25e16·2^i (i < `levels`), `sizes` per level, log-spaced
/// from 1/4 to 4 times the 20-tokens-per-parameter size N = √(C/120) (rounded to a whole parameter);
/// D = C/(6N). Returned as (N, D, C).
pub fn isoflop_checkpoints(levels: usize, sizes: usize) -> Vec<(f64, f64, f64)> {
    let mut grid = Vec::new();
    for i in 0..levels {
        let c = 1.25e16 * 2f64.powi(i as i32);
        let rule_of_thumb = (c / 120.0).sqrt();
        for j in 0..sizes {
            let spread = if sizes > 1 {
                j as f64 / (sizes - 1) as f64
            } else {
                0.5
            };
            let n = (rule_of_thumb * 16f64.powf(spread) / 4.0).round();
            grid.push((n, crate::compute::tokens_for_budget(n, c), c));
        }
    }
    grid
}

/// Per-problem accuracies p_i ~ Beta(a, b) at the checkpoint's single-pass loss under `law`.
fn problem_accuracies(
    law: &Approach2Params,
    params: f64,
    tokens: f64,
    count: usize,
    rng: &mut Rng,
) -> Vec<f64> {
    let (a, b) = law.beta_shape(law.loss.loss(params, tokens));
    (0..count).map(|_| rng.beta(a, b)).collect()
}

/// A run table: one row per (checkpoint, task, k), in that order, with `loss` (Approach 1 truth) and/or
/// `pass_at_k` (Approach 2 truth); a `task` column when there are several tasks.
pub fn simulate_runs(spec: &SimulationSpec) -> Result<SimulatedRuns, SimulationError> {
    spec.check()?;
    let mut table = RunTable::default();
    let mut checkpoint_of_row = Vec::new();
    let mut losses = Vec::new();
    let mut passes = Vec::new();
    let mut tasks = Vec::new();
    for (c, &(params, tokens)) in spec.checkpoints.iter().enumerate() {
        for (t, truth) in spec.tasks.iter().enumerate() {
            let mut rng = spec.stream(c, t);
            let accuracies = match (&truth.approach2, spec.problems) {
                (Some(law), Some(count)) => problem_accuracies(law, params, tokens, count, &mut rng),
                _ => Vec::new(),
            };
            for &k in &spec.k_grid {
                table.params.push(params);
                table.tokens.push(tokens);
                table.k.push(k);
                checkpoint_of_row.push(c);
                tasks.push(truth.name.clone());
                if let Some(law) = &truth.approach1 {
                    losses.push(law.loss(params, tokens, k) * (1.0 + spec.noise * rng.normal()));
                }
                if let Some(law) = &truth.approach2 {
                    passes.push(if accuracies.is_empty() {
                        (law.pass_at_k(params, tokens, k) * (1.0 + spec.noise * rng.normal())).clamp(0.0, 1.0)
                    } else {
                        accuracies
                            .iter()
                            .map(|p| -(k * (-p).ln_1p()).exp_m1())
                            .sum::<f64>()
                            / accuracies.len() as f64
                    });
                }
            }
        }
    }
    table.loss = (!losses.is_empty()).then_some(losses);
    table.pass_at_k = (!passes.is_empty()).then_some(passes);
    table.task = (spec.tasks.len() > 1).then_some(tasks);
    Ok(SimulatedRuns {
        table,
        checkpoint_of_row,
    })
}

/// Per-problem sampled results: for every checkpoint, task and problem, `samples` generations of which
/// c ~ Binomial(samples, p_i) are correct, p_i ~ Beta(a, b) from the task's Approach 2 law. Needs Approach 2
/// parameters and a problem count.
pub fn simulate_problems(spec: &SimulationSpec, samples: u64) -> Result<Vec<ProblemRow>, SimulationError> {
    spec.check()?;
    let count = spec
        .problems
        .ok_or_else(|| SimulationError("per-problem output needs a number of problems".into()))?;
    if samples == 0 {
        return Err(SimulationError(
            "per-problem output needs at least one sample per problem".into(),
        ));
    }
    let mut rows = Vec::new();
    for (c, &(params, tokens)) in spec.checkpoints.iter().enumerate() {
        for (t, truth) in spec.tasks.iter().enumerate() {
            let law = truth.approach2.as_ref().ok_or_else(|| {
                SimulationError("per-problem output needs Approach 2 parameters for every task".into())
            })?;
            let mut rng = spec.stream(c, t);
            for (problem, p) in problem_accuracies(law, params, tokens, count, &mut rng)
                .into_iter()
                .enumerate()
            {
                rows.push(ProblemRow {
                    checkpoint: c,
                    task: t,
                    problem,
                    samples,
                    correct: rng.binomial(samples, p),
                });
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChinchillaParams;

    fn truth() -> TaskTruth {
        let a1 = DEFAULT_APPROACH1;
        TaskTruth {
            name: "x".into(),
            approach1: Some(a1),
            approach2: Some(Approach2Params {
                loss: a1.at_single_sample(),
                theta: [2.8, 3.0, 0.9, 1.0, -0.3],
            }),
        }
    }

    fn spec(problems: Option<usize>) -> SimulationSpec {
        SimulationSpec {
            checkpoints: vec![(1e7, 1e9), (1e8, 5e9)],
            k_grid: vec![1.0, 8.0, 64.0],
            tasks: vec![truth()],
            noise: 0.01,
            problems,
            seed: 3,
        }
    }

    #[test]
    fn noise_is_about_one_percent_and_reproducible() {
        let mut s = spec(None);
        s.checkpoints = (0..400).map(|i| (1e7 * (1.0 + i as f64), 1e9)).collect();
        let runs = simulate_runs(&s).unwrap();
        assert_eq!(runs, simulate_runs(&s).unwrap());
        assert_eq!(runs.table.len(), 1200);
        assert!(runs.table.task.is_none());
        let law = s.tasks[0].approach1.unwrap();
        let rel: Vec<f64> = (0..runs.table.len())
            .map(|i| {
                runs.table.loss.as_ref().unwrap()[i] / law.loss(runs.table.params[i], 1e9, runs.table.k[i])
                    - 1.0
            })
            .collect();
        let sd = (rel.iter().map(|r| r * r).sum::<f64>() / rel.len() as f64).sqrt();
        assert!((sd - 0.01).abs() < 0.001, "relative sd {sd}");
    }

    /// With many problems the Beta-model pass@k approaches the closed form 1 − B(a, b + k)/B(a, b).
    #[test]
    fn beta_problems_match_closed_form() {
        let s = spec(Some(20_000));
        let runs = simulate_runs(&s).unwrap();
        let law = s.tasks[0].approach2.unwrap();
        for i in 0..runs.table.len() {
            let exact = law.pass_at_k(runs.table.params[i], runs.table.tokens[i], runs.table.k[i]);
            let got = runs.table.pass_at_k.as_ref().unwrap()[i];
            assert!((got - exact).abs() < 0.01, "row {i}: {got} vs {exact}");
        }
    }

    /// Per-problem correct counts: the mean of c/n estimates pass@1 = μ.
    #[test]
    fn problems_have_binomial_counts() {
        let s = spec(Some(5_000));
        let rows = simulate_problems(&s, 64).unwrap();
        assert_eq!(rows.len(), 2 * 5_000);
        let law = s.tasks[0].approach2.unwrap();
        let mean = rows
            .iter()
            .filter(|r| r.checkpoint == 1)
            .map(|r| r.correct as f64 / 64.0)
            .sum::<f64>()
            / 5e3;
        let mu = law.pass_at_k(1e8, 5e9, 1.0);
        assert!((mean - mu).abs() < 0.02, "{mean} vs {mu}");
    }

    #[test]
    fn isoflop_checkpoints_spend_their_budget() {
        let grid = isoflop_checkpoints(12, 8);
        assert_eq!(grid.len(), 96);
        assert_eq!(grid[95].2, 2.56e19);
        assert!(grid
            .iter()
            .all(|&(n, d, c)| (6.0 * n * d / c - 1.0).abs() < 1e-12));
        // 1/4 and 4 times √(C/120) at the ends of each level.
        assert!((grid[0].0 / (1.25e16f64 / 120.0).sqrt() - 0.25).abs() < 1e-6);
        assert!((grid[7].0 / (1.25e16f64 / 120.0).sqrt() - 4.0).abs() < 1e-6);
    }

    #[test]
    fn bad_specs_are_refused() {
        let mut s = spec(None);
        s.k_grid = vec![0.5];
        assert!(simulate_runs(&s).unwrap_err().0.contains("k ≥ 1"));
        let mut s = spec(None);
        s.tasks.push(TaskTruth {
            name: "y".into(),
            approach1: None,
            approach2: Some(Approach2Params {
                loss: ChinchillaParams::HOFFMANN,
                theta: [2.0, 1.0, 0.5, 0.0, 0.0],
            }),
        });
        assert!(simulate_runs(&s).is_err());
        assert!(simulate_problems(&spec(None), 10).is_err());
    }
}
