//! Recovery, options and determinism of the Chinchilla fit on simulated data.

use t2_core::rng::Rng;
use t2_core::{ChinchillaParams, RunTable};

use super::*;
use crate::bootstrap::BootstrapOptions;

const TRUTH: ChinchillaParams = ChinchillaParams {
    e: 1.8,
    a: 480.0,
    b: 2100.0,
    alpha: 0.35,
    beta: 0.37,
};

/// Losses L(N, D)·(1 + noise·z), z standard normal, at the given (N, D) points.
fn simulate(points: &[(f64, f64)], noise: f64, seed: u64) -> RunTable {
    let mut rng = Rng::new(seed);
    RunTable {
        params: points.iter().map(|p| p.0).collect(),
        tokens: points.iter().map(|p| p.1).collect(),
        k: vec![1.0; points.len()],
        loss: Some(
            points
                .iter()
                .map(|&(n, d)| TRUTH.loss(n, d) * (1.0 + noise * rng.normal()))
                .collect(),
        ),
        ..Default::default()
    }
}

fn log_spaced(from: f64, to: f64, count: usize) -> Vec<f64> {
    (0..count)
        .map(|i| (from.ln() + (to.ln() - from.ln()) * i as f64 / (count - 1) as f64).exp())
        .collect()
}

/// Full factorial N × D.
fn factorial_grid() -> Vec<(f64, f64)> {
    let mut points = vec![];
    for n in log_spaced(1e7, 2e10, 9) {
        for d in log_spaced(1e8, 1e12, 9) {
            points.push((n, d));
        }
    }
    points
}

/// IsoFLOP profiles: for each budget C, N on a log grid and D = C/(6N) (as in Hoffmann's Figure 3).
fn isoflop_grid() -> Vec<(f64, f64)> {
    let mut points = vec![];
    for c in log_spaced(1e18, 3e21, 8) {
        for n in log_spaced(1e7, 1e10, 10) {
            let d = c / (6.0 * n);
            if d / n > 1.0 && d / n < 1e4 {
                points.push((n, d));
            }
        }
    }
    points
}

/// Seeded random (N, D) uniform in log space.
fn scattered_grid() -> Vec<(f64, f64)> {
    let mut rng = Rng::new(5);
    (0..120)
        .map(|_| {
            (
                1e7 * 2000f64.powf(rng.uniform()),
                1e8 * 1e4f64.powf(rng.uniform()),
            )
        })
        .collect()
}

fn all_rows(table: &RunTable) -> Vec<usize> {
    (0..table.len()).collect()
}

fn fit_table(table: &RunTable, opts: &ChinchillaOptions) -> ChinchillaFit {
    fit(&FitData::new(table, &all_rows(table)).unwrap(), opts)
}

/// With 1% multiplicative noise the exponents come back within 0.03 and the loss surface within 1% across the
/// sampled range, for three designs, from the default Epoch grid.
#[test]
fn recovers_known_parameters_with_one_percent_noise() {
    for (name, points) in [
        ("factorial", factorial_grid()),
        ("isoflop", isoflop_grid()),
        ("scattered", scattered_grid()),
    ] {
        let table = simulate(&points, 0.01, 17);
        let f = fit_table(&table, &ChinchillaOptions::default());
        let p = f.params;
        assert!(f.multistart.best.converged, "{name}: {:?}", f.multistart.best);
        assert!((p.alpha - TRUTH.alpha).abs() < 0.03, "{name}: alpha {}", p.alpha);
        assert!((p.beta - TRUTH.beta).abs() < 0.03, "{name}: beta {}", p.beta);
        assert!((p.e / TRUTH.e - 1.0).abs() < 0.05, "{name}: E {}", p.e);
        for &(n, d) in &points {
            let rel = p.loss(n, d) / TRUTH.loss(n, d) - 1.0;
            assert!(rel.abs() < 0.01, "{name}: L({n:e}, {d:e}) off by {rel}");
        }
    }
}

/// Noise-free data: every start design finds the truth to high precision.
#[test]
fn exact_data_gives_exact_parameters_for_every_start_design() {
    let table = simulate(&factorial_grid(), 0.0, 1);
    for starts in [
        Starts::EpochGrid,
        Starts::Fast { polish: 4 },
        Starts::Random { count: 200, seed: 3 },
    ] {
        let opts = ChinchillaOptions {
            loss: Loss::SquaredLog,
            starts: starts.clone(),
            ..Default::default()
        };
        let p = fit_table(&table, &opts).params;
        for (got, want) in [
            (p.e, TRUTH.e),
            (p.a, TRUTH.a),
            (p.b, TRUTH.b),
            (p.alpha, TRUTH.alpha),
        ] {
            assert!((got / want - 1.0).abs() < 1e-4, "{starts:?}: {got} vs {want}");
        }
    }
}

/// Pinning E holds it exactly and the other parameters still fit; pinning it wrong costs more.
#[test]
fn pinned_parameter_is_held_and_costs_when_wrong() {
    let table = simulate(&factorial_grid(), 0.01, 2);
    let free = fit_table(&table, &ChinchillaOptions::default());
    let mut opts = ChinchillaOptions::default();
    opts.constraints[LN_E] = constraint_for(LN_E, Constraint::Pinned(1.8)).unwrap();
    let pinned = fit_table(&table, &opts);
    assert_eq!(pinned.params.e, 1.8f64.ln().exp());
    assert!((pinned.params.alpha - TRUTH.alpha).abs() < 0.03);
    assert!(pinned.multistart.best.cost >= free.multistart.best.cost * (1.0 - 1e-9));
    opts.constraints[LN_E] = constraint_for(LN_E, Constraint::Pinned(1.0)).unwrap();
    let wrong = fit_table(&table, &opts);
    assert!(wrong.multistart.best.cost > 1.5 * free.multistart.best.cost);
    assert!(constraint_for(LN_E, Constraint::Pinned(0.0)).is_err());
}

/// An upper bound below the free optimum binds and is reported.
#[test]
fn binding_bound_is_reported() {
    let table = simulate(&factorial_grid(), 0.01, 2);
    let mut opts = ChinchillaOptions::default();
    opts.constraints[ALPHA] = Constraint::Interval(0.0, 0.3);
    let f = fit_table(&table, &opts);
    assert!(
        f.params.alpha <= 0.3 && f.params.alpha > 0.3 - 1e-6,
        "alpha {}",
        f.params.alpha
    );
    assert_eq!(f.at_bound, vec!["alpha (on its bound)".to_string()]);
}

/// A row of weight 2 is the same fit as that row twice; weight 0 is the same as leaving the row out.
#[test]
fn weights_act_as_row_multiplicities() {
    let mut table = simulate(&isoflop_grid(), 0.01, 9);
    let n = table.len();
    let mut weights = vec![1.0; n];
    weights[0] = 2.0;
    weights[1] = 0.0;
    table.weight = Some(weights);
    let opts = ChinchillaOptions {
        starts: Starts::Fast { polish: 4 },
        ..Default::default()
    };
    let weighted = fit_table(&table, &opts);
    let mut rows: Vec<usize> = (2..n).collect();
    rows.extend([0, 0]);
    table.weight = None;
    let repeated = fit(&FitData::new(&table, &rows).unwrap(), &opts);
    let (w, r) = (weighted.params, repeated.params);
    assert!((weighted.multistart.best.cost / repeated.multistart.best.cost - 1.0).abs() < 1e-9);
    for (a, b) in [(w.e, r.e), (w.alpha, r.alpha), (w.beta, r.beta), (w.a, r.a)] {
        assert!((a / b - 1.0).abs() < 1e-4, "{a} vs {b}");
    }
}

/// Fit and bootstrap are bit-identical on 1 and 2 threads.
#[test]
fn fit_and_bootstrap_do_not_depend_on_thread_count() {
    let table = simulate(&isoflop_grid(), 0.01, 4);
    let rows = all_rows(&table);
    let form = ChinchillaForm {
        options: ChinchillaOptions::default(),
        budgets: vec![1e21],
        single_pass_only: false,
    };
    let resampling = crate::Resampling {
        options: BootstrapOptions::new(40, 7, 0.9).unwrap(),
        unit_of_row: &rows,
        unit: "row",
        cancel: None,
    };
    let split = crate::Split {
        train: &rows,
        heldout: &[],
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| crate::fit_form(&form, &table, split, Some(resampling), &|| {}).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(2));
    let summary = one.bootstrap.as_ref().unwrap();
    assert_eq!(summary.resamples, 40);
    assert_eq!(summary.draws.len() + summary.failed, 40);
    let alpha = &one.estimates[3];
    assert_eq!(alpha.name, "alpha");
    assert!(alpha.lo.unwrap() < alpha.value && alpha.value < alpha.hi.unwrap());
}

/// A refit whose warm start sits on a plateau (A, B ≈ 0: the loss is all E, and the gradient in a, b, α, β
/// vanishes, so L-BFGS stops there) is caught by the guard: it reaches the resample's own optimum, and says
/// the guard won. A warm start already at the optimum is kept.
#[test]
fn the_refit_guard_catches_a_warm_start_in_a_worse_basin() {
    let table = simulate(&isoflop_grid(), 0.01, 23);
    let rows = all_rows(&table);
    let data = FitData::new(&table, &rows).unwrap();
    let opts = ChinchillaOptions::default();
    let own = fit(&data, &opts);
    let mean_loss = data.loss.iter().sum::<f64>() / data.len() as f64;
    let mut stuck = own.clone();
    stuck.x = vec![-60.0, -60.0, mean_loss.ln(), 0.3, 0.3];
    let warm_only = fit_from(
        &data,
        &ChinchillaOptions {
            screen: None,
            ..opts.clone()
        },
        &[stuck.x.clone()],
    );
    assert!(
        warm_only.multistart.best.cost > 10.0 * own.multistart.best.cost,
        "the plateau is not a worse basin: {:e} vs {:e}",
        warm_only.multistart.best.cost,
        own.multistart.best.cost
    );
    let guarded = resample::refit(&data, &stuck, &opts).unwrap();
    assert!(guarded.guard_won);
    let (got, best) = (guarded.fit.multistart.best.cost, own.multistart.best.cost);
    assert!(
        got <= best * (1.0 + 1e-9),
        "guarded refit {got:e} vs the data's optimum {best:e}"
    );
    let from_optimum = resample::refit(&data, &own, &opts).unwrap();
    assert!(!from_optimum.guard_won);
    assert!(from_optimum.fit.multistart.best.cost <= best * (1.0 + 1e-9));
}
