//! The default (variable-projection) starts against Epoch's 4,500-point grid on seeded simulated loss tables
//! with different truths, noise levels and designs, hard ones included (three isoFLOP levels, E near 0, α far
//! from β, few rows): the default's objective is never worse than the grid's by more than 1e-9 relative. The
//! real tables (Epoch's, the shared sweeps) are held to the same in t2-pipeline's `fast_starts` test.

use t2_core::rng::Rng;
use t2_core::{ChinchillaParams, RunTable};
use t2_fit::chinchilla::{fit, ChinchillaOptions, FitData, Starts};

/// The relative margin the default may lose to the grid by.
const MARGIN: f64 = 1e-9;

fn log_spaced(from: f64, to: f64, count: usize) -> Vec<f64> {
    (0..count)
        .map(|i| (from.ln() + (to.ln() - from.ln()) * i as f64 / (count.max(2) - 1) as f64).exp())
        .collect()
}

/// The designs: isoFLOP profiles with `levels` budgets, a full factorial, and scattered points.
fn designs(rng: &mut Rng) -> Vec<(&'static str, Vec<(f64, f64)>)> {
    let isoflop = |levels: usize, sizes: usize| {
        let mut points = vec![];
        for c in log_spaced(1e18, 1e21, levels) {
            for n in log_spaced(1e7, 3e9, sizes) {
                let d = c / (6.0 * n);
                if d / n > 0.5 && d / n < 5e3 {
                    points.push((n, d));
                }
            }
        }
        points
    };
    let factorial = {
        let mut points = vec![];
        for n in log_spaced(3e7, 3e9, 5) {
            for d in log_spaced(1e9, 1e11, 5) {
                points.push((n, d));
            }
        }
        points
    };
    let scattered: Vec<(f64, f64)> = (0..30)
        .map(|_| {
            (
                1e7 * 1000f64.powf(rng.uniform()),
                1e8 * 1e4f64.powf(rng.uniform()),
            )
        })
        .collect();
    vec![
        ("isoflop 3 levels", isoflop(3, 8)),
        ("isoflop 8 levels", isoflop(8, 10)),
        ("factorial 5x5", factorial),
        ("scattered 30", scattered),
    ]
}

/// Truths: E from near 0 to Chinchilla's, α = β and α far from β, small and large scales.
fn truths() -> Vec<ChinchillaParams> {
    let mut truths = vec![];
    for e in [0.02, 0.6, 1.8] {
        for (alpha, beta) in [(0.34, 0.28), (0.2, 0.6), (0.7, 0.25), (0.45, 0.45)] {
            truths.push(ChinchillaParams {
                e,
                a: 406.4 * 10f64.powf((alpha - 0.34) * 8.0),
                b: 410.7 * 10f64.powf((beta - 0.28) * 8.0),
                alpha,
                beta,
            });
        }
    }
    truths
}

fn simulate(truth: &ChinchillaParams, points: &[(f64, f64)], noise: f64, rng: &mut Rng) -> RunTable {
    RunTable {
        params: points.iter().map(|p| p.0).collect(),
        tokens: points.iter().map(|p| p.1).collect(),
        k: vec![1.0; points.len()],
        loss: Some(
            points
                .iter()
                .map(|&(n, d)| truth.loss(n, d) * (1.0 + noise * rng.normal()).max(0.5))
                .collect(),
        ),
        ..Default::default()
    }
}

/// Six rows the law cannot describe (the loss rises with N): the grid's optimum has α < 0, outside the projected
/// grid, and a start with a negligible term once stopped on a plateau 10× above it.
#[test]
fn the_default_starts_reach_the_grids_objective_on_a_degenerate_table() {
    let rows = [
        (1e8, 1e9, 2.0),
        (1e9, 1e9, 2.5),
        (1e8, 1e10, 1.9),
        (1e9, 1e10, 2.4),
        (1e10, 1e11, 2.7),
        (1e8, 1e11, 1.8),
    ];
    let table = RunTable {
        params: rows.iter().map(|r| r.0).collect(),
        tokens: rows.iter().map(|r| r.1).collect(),
        k: vec![1.0; rows.len()],
        loss: Some(rows.iter().map(|r| r.2).collect()),
        ..Default::default()
    };
    let all: Vec<usize> = (0..table.len()).collect();
    let data = FitData::new(&table, &all).unwrap();
    let fast = fit(&data, &ChinchillaOptions::default()).multistart.best.cost;
    let grid = ChinchillaOptions {
        starts: Starts::EpochGrid,
        ..Default::default()
    };
    let reference = fit(&data, &grid).multistart.best.cost;
    assert!(
        fast <= reference * (1.0 + MARGIN),
        "default {fast:e} vs grid {reference:e}"
    );
}

#[test]
fn the_default_starts_reach_the_grids_objective_on_simulated_tables() {
    let mut rng = Rng::new(20261202);
    let grid = ChinchillaOptions {
        starts: Starts::EpochGrid,
        ..Default::default()
    };
    let mut tables = 0;
    let mut worse = vec![];
    for truth in truths() {
        for noise in [0.003, 0.01, 0.02, 0.04, 0.08] {
            for (design, points) in designs(&mut rng) {
                let table = simulate(&truth, &points, noise, &mut rng);
                let rows: Vec<usize> = (0..table.len()).collect();
                let data = FitData::new(&table, &rows).unwrap();
                let fast = fit(&data, &ChinchillaOptions::default()).multistart.best.cost;
                let reference = fit(&data, &grid).multistart.best.cost;
                tables += 1;
                if fast > reference * (1.0 + MARGIN) {
                    worse.push(format!(
                        "{design}, noise {noise}, {truth:?}: default {fast:e} vs grid {reference:e}"
                    ));
                }
            }
        }
    }
    assert_eq!(tables, 240);
    assert!(
        worse.is_empty(),
        "{} of {tables} tables:\n{}",
        worse.len(),
        worse.join("\n")
    );
}
