//! Recovery of known Approach 2 parameters from simulated sweeps (1% noise), gradients against finite
//! differences, thread-count determinism, refits and errors on data that cannot identify the form.

use t2_core::simulate::{simulate_runs, SimulationSpec, TaskTruth};
use t2_core::{Approach1Params, Approach2Params, ChinchillaParams, RunTable};

use super::stage2::{BetaRegressionObjective, CONSTRAINTS};
use super::*;
use crate::bootstrap::{self, BootstrapOptions};
use crate::chinchilla::{ChinchillaObjective, Loss, DIM, LN_E};
use crate::reparam::{Constraint, Reparam};
use crate::Objective;

/// 12 isoFLOP levels 1.25e16·2^i with 6 sizes each, log-spaced from 0.25× to 4× N ∝ (C/120)^0.5.
fn isoflop_grid() -> Vec<(f64, f64)> {
    let mut grid = Vec::new();
    for i in 0..12 {
        let c = 1.25e16 * 2f64.powi(i);
        let centre = (c / 6.0 / 20.0).sqrt();
        for j in 0..6 {
            let n = centre * 16f64.powf(j as f64 / 5.0) / 4.0;
            grid.push((n, c / (6.0 * n)));
        }
    }
    grid
}

/// A sweep from `truth`: the k = 1 loss from the single-pass law (as an Approach 1 law with G = 0 would draw
/// it) and pass@k from the Beta model, each times (1 + 0.01·z); k = 1, 4, 16, 64, 256.
fn sweep(truth: &Approach2Params, seed: u64) -> RunTable {
    let law = truth.loss;
    let spec = SimulationSpec {
        checkpoints: isoflop_grid(),
        k_grid: vec![1.0, 4.0, 16.0, 64.0, 256.0],
        tasks: vec![TaskTruth {
            name: "sim".into(),
            approach1: Some(Approach1Params {
                e: law.e,
                a: law.a,
                b: law.b,
                g: 0.0,
                alpha: law.alpha,
                beta: law.beta,
                gamma: 1.0,
            }),
            approach2: Some(*truth),
        }],
        noise: 0.01,
        problems: None,
        seed,
    };
    simulate_runs(&spec).unwrap().table
}

/// Losses 2.75–5.5 on the grid; μ crosses the sigmoid, from 0.011 to 0.74 (cap 0.8); ν ≈ 0.5–2.
const SET_A: Approach2Params = Approach2Params {
    loss: ChinchillaParams {
        e: 1.8,
        a: 400.0,
        b: 2000.0,
        alpha: 0.34,
        beta: 0.36,
    },
    theta: [3.8, 2.5, 0.8, 1.5, -0.4],
};

/// The sigmoid's tail, like Pythia on GSM8K: losses 4.1–8.5, μ ≤ 0.025, so only θ1 and the tail prefactor
/// θ2·e^{θ1·θ0} are identified (θ0 and θ2 trade against each other); ν grows with the loss (θ4 > 0).
const SET_B: Approach2Params = Approach2Params {
    loss: ChinchillaParams {
        e: 2.1,
        a: 250.0,
        b: 900.0,
        alpha: 0.3,
        beta: 0.28,
    },
    theta: [3.3, 4.0, 0.6, -1.0, 0.5],
};

fn all_rows(t: &RunTable) -> Vec<usize> {
    (0..t.len()).collect()
}

/// pass@k errors are relative above this and absolute (divided by it) below: the SSE on pass@k weighs absolute
/// errors, so rows with pass@k near 0 pin down only its absolute value.
const PASS_FLOOR: f64 = 0.05;

/// Errors of the fitted against the true L̂ (relative, per row) and pass@k (relative to max(pass@k,
/// [`PASS_FLOOR`]), per row): (mean, worst).
fn curve_errors(truth: &Approach2Params, fitted: &Approach2Params, table: &RunTable) -> [(f64, f64); 2] {
    let (mut loss, mut pass) = (Vec::new(), Vec::new());
    for i in 0..table.len() {
        let (n, d, k) = (table.params[i], table.tokens[i], table.k[i]);
        loss.push((fitted.loss.loss(n, d) / truth.loss.loss(n, d) - 1.0).abs());
        let (p_true, p_fit) = (truth.pass_at_k(n, d, k), fitted.pass_at_k(n, d, k));
        pass.push((p_fit - p_true).abs() / p_true.max(PASS_FLOOR));
    }
    let stats = |v: &[f64]| {
        (
            v.iter().sum::<f64>() / v.len() as f64,
            v.iter().copied().fold(0.0, f64::max),
        )
    };
    [stats(&loss), stats(&pass)]
}

/// Tolerances, from the noise. Every row carries 1% multiplicative noise (σ = 0.01); stage 1 averages it over
/// 72 checkpoints with 5 parameters (E on a profile grid of step 0.024·min L), stage 2 over 360 rows.
/// - L̂: mean relative error < 0.4% (the average curve error is ≈ σ·√(5/72) ≈ 0.26%), worst < 1.5% (corners of
///   the grid are extrapolations of the fitted law, ≈ 3× the average).
/// - pass@k: the stage 1 error δ (relative) in L̂ moves pass@k by ≈ θ1·(1 − μ/θ2)·L̂·δ relative, 2.5·1·3·0.5%
///   ≈ 4% at the worst corner for set A, ≈ 4·6·0.3% ≈ 7% for set B's steep tail; so mean < 2.5%, worst < 10%.
/// - θ where identified: θ1 (the slope in the loss) within 20%; set A, whose data cross the sigmoid, also θ0
///   (where μ is half its cap) within 0.15 nats and θ2 (the cap) within 0.05. The concentration θ3, θ4 are
///   weakly identified (θ3 trades against θ4·L̂ and ν acts mainly through the tail), so they are checked through
///   the pass@k curve only, as are E, A, B, α, β through L̂.
fn check_recovery(truth: &Approach2Params, seed: u64, sigmoid_crossed: bool) {
    let table = sweep(truth, seed);
    let fit = fit(&table, &all_rows(&table), &Approach2Options::default()).unwrap();
    let [(loss_mean, loss_worst), (pass_mean, pass_worst)] = curve_errors(truth, &fit.params, &table);
    let [t0, t1, t2, _, _] = fit.params.theta;
    eprintln!(
        "truth {truth:?}\nfit {:?}\nL̂ rel err mean {loss_mean:.4} worst {loss_worst:.4}; pass@k rel err mean \
         {pass_mean:.4} worst {pass_worst:.4}; R² pass {:.5}, R² loss {:.5}",
        fit.params, fit.stage2.r_squared, fit.stage1.r_squared
    );
    assert!(
        loss_mean < 0.004 && loss_worst < 0.015,
        "L̂ off: {loss_mean} {loss_worst}"
    );
    assert!(
        pass_mean < 0.025 && pass_worst < 0.10,
        "pass@k off: {pass_mean} {pass_worst}"
    );
    assert!((t1 / truth.theta[1] - 1.0).abs() < 0.2, "θ1 {t1}");
    if sigmoid_crossed {
        assert!((t0 - truth.theta[0]).abs() < 0.15, "θ0 {t0}");
        assert!((t2 - truth.theta[2]).abs() < 0.05, "θ2 {t2}");
    }
    assert!(fit.stage2.r_squared > 0.995 && fit.stage1.r_squared > 0.99);
    assert!(fit.stage2.diagnostics.converged, "{:?}", fit.stage2.diagnostics);
}

#[test]
fn recovers_set_a() {
    check_recovery(&SET_A, 1, true);
}

#[test]
fn recovers_set_b() {
    check_recovery(&SET_B, 2, false);
}

/// Same input, 1 or 2 threads: bit-identical fits.
#[test]
fn deterministic_across_thread_counts() {
    let table = sweep(&SET_B, 3);
    let opts = Approach2Options {
        stage1: Stage1Method::ProfileE {
            values: 10,
            polish: 2,
        },
        exponent_grid: vec![0.2, 0.4, 0.7],
        ..Default::default()
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| fit(&table, &all_rows(&table), &opts).unwrap())
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one, two);
}

/// The analytic gradient of `objective` at `z` against central differences (step 1e-6): within 1e-6
/// relative plus `atol`.
fn assert_gradient(objective: &impl Objective, z: &[f64], atol: f64) {
    let mut g = vec![0.0; z.len()];
    objective.value_grad(z, &mut g);
    for j in 0..z.len() {
        let h = 1e-6;
        let (mut up, mut down) = (z.to_vec(), z.to_vec());
        up[j] += h;
        down[j] -= h;
        let numeric = (objective.value(&up) - objective.value(&down)) / (2.0 * h);
        assert!(
            (numeric - g[j]).abs() <= 1e-6 * g[j].abs() + atol,
            "z={z:?} j={j}: numeric {numeric} analytic {}",
            g[j]
        );
    }
}

/// Stage 2's analytic gradient (through the θ1 > 0, θ2 ∈ (0, 1) reparametrisation) against central differences.
#[test]
fn stage2_gradient_matches_finite_differences() {
    let table = sweep(&SET_A, 4);
    let data = Approach2Data::new(&table, &all_rows(&table)).unwrap();
    let rows = Stage2Rows::new(&table, &data.stage2, &SET_A.loss);
    let objective = BetaRegressionObjective {
        law: SET_A.loss,
        rows: &rows,
    };
    let constrained = Reparam::new(&objective, &CONSTRAINTS);
    for theta in [
        SET_A.theta,
        [3.0, 1.0, 0.5, 0.0, 0.0],
        [4.5, 6.0, 0.95, 3.0, -1.2],
    ] {
        assert_gradient(&constrained, &constrained.to_free(&theta), 1e-9);
    }
}

/// Stage 1's objective (weighted squared error on L with E pinned) against central differences.
#[test]
fn stage1_gradient_matches_finite_differences() {
    let table = sweep(&SET_A, 5);
    let data = Approach2Data::new(&table, &all_rows(&table)).unwrap();
    let (fit_data, groups, _) = stage1::stage1_data(&table, &data.stage1);
    assert_eq!(groups.groups, 12);
    assert_eq!(groups.groups_with_variance, 12);
    let objective = ChinchillaObjective {
        data: &fit_data,
        loss: Loss::Squared,
    };
    let mut constraints = [Constraint::Free; DIM];
    constraints[LN_E] = Constraint::Pinned(1.5f64.ln());
    let pinned = Reparam::new(&objective, &constraints);
    for z in [[6.0, 7.5, 0.34, 0.36], [5.0, 8.0, 0.3, 0.4], [7.0, 6.0, 0.5, 0.2]] {
        assert_gradient(&pinned, &z, 1e-8);
    }
}

/// A warm refit on the same rows lands on the full fit; on a bootstrap-like resample (every checkpoint twice)
/// too, since doubling every weight does not move the optimum.
#[test]
fn refit_matches_the_full_fit_on_the_same_data() {
    let table = sweep(&SET_A, 6);
    let rows = all_rows(&table);
    let full = fit(&table, &rows, &Approach2Options::default()).unwrap();
    let doubled: Vec<usize> = rows.iter().chain(rows.iter()).copied().collect();
    for rows in [&rows, &doubled] {
        let again = refit(&table, rows, &full).unwrap().params;
        for i in 0..table.len() {
            let (n, d, k) = (table.params[i], table.tokens[i], table.k[i]);
            let (p, q) = (full.params.pass_at_k(n, d, k), again.pass_at_k(n, d, k));
            assert!((p - q).abs() < 1e-6, "row {i}: {p} vs {q}");
        }
    }
}

/// The plain stage 1 (all five parameters free) predicts the same L̂ to within the noise.
#[test]
fn plain_stage1_agrees_with_the_profile() {
    let table = sweep(&SET_B, 7);
    let plain = Approach2Options {
        stage1: Stage1Method::Plain { polish: 20 },
        ..Default::default()
    };
    let a = fit(&table, &all_rows(&table), &plain).unwrap();
    let b = fit(&table, &all_rows(&table), &Approach2Options::default()).unwrap();
    assert!(
        a.stage1.sse <= b.stage1.sse * (1.0 + 1e-9),
        "plain {} profile {}",
        a.stage1.sse,
        b.stage1.sse
    );
    assert!(a.stage1.profile.is_empty() && b.stage1.profile.len() == 40);
    for i in 0..table.len() {
        let (n, d) = (table.params[i], table.tokens[i]);
        assert!((a.params.loss.loss(n, d) / b.params.loss.loss(n, d) - 1.0).abs() < 0.005);
    }
}

#[test]
fn report_names_ten_parameters_and_predicts_every_row() {
    let table = sweep(&SET_B, 8);
    let rows = all_rows(&table);
    let (train, heldout): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| table.tokens[i] < 1e10);
    let fit = fit(&table, &train, &Approach2Options::default()).unwrap();
    let split = crate::Split {
        train: &train,
        heldout: &heldout,
    };
    let report = form_fit(&table, split, &fit, None);
    assert_eq!(report.target, t2_core::plan::Metric::PassAtK);
    assert_eq!(report.estimates.len(), 10);
    assert_eq!(report.estimates[5].name, "theta0");
    assert_eq!(report.estimates[5].value, fit.params.theta[0]);
    assert_eq!(report.predictions.len(), table.len());
    let err = report.heldout_relative_error.unwrap();
    // The held-out rows extrapolate the loss law to 1.4–6× more tokens than any training row; the paper reports
    // 8.4% for Approach 2 on real data. On data drawn from the model itself it must do no worse than 15%.
    eprintln!("held-out relative error (D ≥ 1e10): {err}");
    assert!(err < 0.15, "extrapolation error {err}");
}

fn error_of(table: &RunTable) -> String {
    fit(table, &all_rows(table), &Approach2Options::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn clear_errors_when_the_data_cannot_identify_the_form() {
    let table = sweep(&SET_A, 9);
    let mut no_pass = table.clone();
    no_pass.pass_at_k = None;
    assert!(error_of(&no_pass).contains("'pass_at_k' column"));
    let mut no_loss = table.clone();
    no_loss.loss = None;
    assert!(
        error_of(&no_loss).contains("rows with k = 1 and a finite loss"),
        "{}",
        error_of(&no_loss)
    );
    let single_k = table.select(&table.indices_where(|i| table.k[i] == 1.0));
    assert!(
        error_of(&single_k).contains("two or more k"),
        "{}",
        error_of(&single_k)
    );
    let ids = table.checkpoint_ids();
    let few = table.select(&table.indices_where(|i| ids[i] < 4));
    assert!(
        error_of(&few).contains("at least 5 distinct checkpoints"),
        "{}",
        error_of(&few)
    );
    let mut tasks = table.clone();
    tasks.task = Some(
        (0..table.len())
            .map(|i| if i % 2 == 0 { "x" } else { "y" }.to_string())
            .collect(),
    );
    assert!(error_of(&tasks).contains("one task at a time"));
    let mut bad = table.clone();
    if let Some(p) = bad.pass_at_k.as_mut() {
        p[3] = 1.5;
    }
    assert!(error_of(&bad).contains("table row 4"), "{}", error_of(&bad));
}

/// Bootstrap by checkpoint (all k rows of a checkpoint move together) with warm refits: the 95% percentile
/// intervals cover the true θ0, θ1, θ2 (set A crosses the sigmoid, so they are identified) and the true L̂ and
/// pass@k at the grid's centre checkpoint.
#[test]
fn bootstrap_intervals_cover_the_truth() {
    let table = sweep(&SET_A, 10);
    let rows = all_rows(&table);
    let full = fit(&table, &rows, &Approach2Options::default()).unwrap();
    let opts = BootstrapOptions::new(200, 11, 0.95).unwrap();
    let started = std::time::Instant::now();
    let draws = bootstrap::run(&table.checkpoint_ids(), &opts, &|| {}, |resample| {
        let picked: Vec<usize> = resample.iter().map(|&i| rows[i]).collect();
        refit(&table, &picked, &full).map(|r| r.params)
    });
    eprintln!("{} refits in {:?}", opts.resamples(), started.elapsed());
    let good: Vec<Approach2Params> = draws.iter().flatten().copied().collect();
    assert!(good.len() >= 195, "{} of 200 refits failed", 200 - good.len());
    let (n, d) = isoflop_grid()[6 * 6 + 2];
    let quantities = |p: &Approach2Params| {
        vec![
            p.theta[0],
            p.theta[1],
            p.theta[2],
            p.loss.loss(n, d),
            p.pass_at_k(n, d, 1.0),
            p.pass_at_k(n, d, 64.0),
        ]
    };
    let names: Vec<crate::Quantity> = ["theta0", "theta1", "theta2", "L(N,D)", "pass@1", "pass@64"]
        .map(|n| crate::Quantity::new(n, crate::Kind::Other))
        .to_vec();
    let rows_of_draws: Vec<Vec<f64>> = good.iter().map(quantities).collect();
    let estimates = bootstrap::summarize(&names, &quantities(&full.params), &rows_of_draws, opts.level());
    for (e, truth) in estimates.iter().zip(quantities(&SET_A)) {
        let (lo, hi) = (e.lo.unwrap(), e.hi.unwrap());
        eprintln!(
            "{}: truth {truth:.5}, fit {:.5}, 95% [{lo:.5}, {hi:.5}]",
            e.name, e.value
        );
        assert!(
            lo <= truth && truth <= hi,
            "{}: {truth} outside [{lo}, {hi}]",
            e.name
        );
    }
}

/// The default stage 1 (projected starts, 2 polished at each E, with the neighbouring E's optimum) reaches the
/// objective of the paper's exhaustive search (every start of an 8 × 8 (α, β) grid polished at each E) on
/// simulated loss tables with E from 0.3 to 2.5, α = β and α far from β, 1% to 8% noise, 3 and 12 isoFLOP
/// levels: never worse than it by more than 1e-9 relative.
#[test]
fn projected_stage1_starts_reach_the_exhaustive_search() {
    let exhaustive = Stage1Method::ProfileE {
        values: 40,
        polish: 64,
    };
    let paper_grid = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0];
    let defaults = Approach2Options::default();
    let mut tables = 0;
    let mut worse = vec![];
    for (e, alpha, beta) in [
        (0.3, 0.34, 0.36),
        (1.8, 0.25, 0.6),
        (2.5, 0.7, 0.3),
        (1.2, 0.45, 0.45),
    ] {
        for noise_seed in 0..3u64 {
            for levels in [3, 12] {
                let truth = Approach2Params {
                    loss: ChinchillaParams {
                        e,
                        a: 400.0 * 10f64.powf((alpha - 0.34) * 8.0),
                        b: 2000.0 * 10f64.powf((beta - 0.36) * 8.0),
                        alpha,
                        beta,
                    },
                    ..SET_A
                };
                let mut table = sweep(&truth, 100 + noise_seed);
                let noise = [0.01, 0.03, 0.08][noise_seed as usize];
                let mut rng = t2_core::rng::Rng::new(noise_seed);
                if let Some(loss) = table.loss.as_mut() {
                    for (i, l) in loss.iter_mut().enumerate() {
                        *l = truth.loss.loss(table.params[i], table.tokens[i])
                            * (1.0 + noise * rng.normal()).max(0.5);
                    }
                }
                let keep_levels = 12 / levels;
                let rows: Vec<usize> = (0..table.len())
                    .filter(|&i| (i / (6 * 5)) % keep_levels == 0)
                    .collect();
                let data = Approach2Data::new(&table, &rows).unwrap();
                let fit = |method, grid: &[f64]| {
                    stage1::fit_stage1(&table, &data.stage1, method, grid, &defaults.lbfgs, None)
                        .unwrap()
                        .sse
                };
                let ours = fit(defaults.stage1, &defaults.exponent_grid);
                let reference = fit(exhaustive, &paper_grid);
                tables += 1;
                if ours > reference * (1.0 + 1e-9) {
                    worse.push(format!("E {e}, α {alpha}, β {beta}, noise {noise}, {levels} levels: {ours:e} vs {reference:e}"));
                }
            }
        }
    }
    assert_eq!(tables, 24);
    assert!(
        worse.is_empty(),
        "{} of {tables}:\n{}",
        worse.len(),
        worse.join("\n")
    );
}
