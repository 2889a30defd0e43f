//! T² Approaches 1 and 2 on real data: Pythia checkpoints on GSM8K (Schaeffer et al. 2025), per-problem samples
//! aggregated to pass@k for k = 1, 2, 4, …, 128 by the unbiased estimator. The task loss is −ln pass@k of the
//! aggregate (what ingest derives from sampled input); Approach 1 fits it at every k, Approach 2's stage 1 at
//! k = 1.

#[path = "../../shared_data.rs"]
mod shared_data;

use shared_data::shared_data;
use t2_core::RunTable;
use t2_fit::approach1::{self, Approach1Fit, Approach1Options, Approach1Starts};
use t2_fit::approach2::{self, Approach2Fit, Approach2Options, Stage1Method};
use t2_fit::FormFit;
use t2_ingest::{read_runs, IngestOptions};

fn pythia() -> RunTable {
    let path = shared_data("pythia_gsm8k_per_problem.parquet");
    let opts = IngestOptions {
        k_grid: Some((0..8).map(|i| 2f64.powi(i)).collect()),
        ..Default::default()
    };
    read_runs(&path, &opts).expect("the Pythia file ingests").table
}

/// Rows with a finite loss: the loss laws leave out the checkpoints where no sample was correct (−ln 0).
fn finite_loss(table: &RunTable, rows: &[usize]) -> Vec<usize> {
    let loss = table.loss.as_ref().unwrap();
    rows.iter().copied().filter(|&i| loss[i].is_finite()).collect()
}

/// The rows with tokens ≤ 7e10 (fitted) and the rest (held out: the 200B and 300B checkpoints).
fn split_at_70b_tokens(table: &RunTable) -> (Vec<usize>, Vec<usize>) {
    let (train, heldout): (Vec<usize>, Vec<usize>) = (0..table.len()).partition(|&i| table.tokens[i] <= 7e10);
    assert!(!heldout.is_empty() && heldout.iter().all(|&i| table.tokens[i] > 1.9e11));
    (train, heldout)
}

/// Mean relative absolute error on all held-out rows, and on those of the models with N ≥ 1e9.
fn heldout_errors(form: &FormFit) -> (f64, f64) {
    let large: Vec<_> = form
        .predictions
        .iter()
        .filter(|p| p.heldout && p.params >= 1e9)
        .cloned()
        .collect();
    (
        form.heldout_relative_error.unwrap(),
        t2_fit::formfit::heldout_relative_error(&large).unwrap(),
    )
}

fn report(label: &str, fit: &Approach2Fit) {
    let p = fit.params;
    eprintln!(
        "{label}: E={:.4} A={:.4e} B={:.4e} alpha={:.4} beta={:.4} theta={:?}\n  stage 1 R² (k=1 loss) {:.4}, \
         SSE {:.4e}, {} rows, {} isoFLOP groups ({} with own variance, weights applied: {}); stage 2 R² (pass@k) {:.4}, SSE {:.4e}, {} \
         rows; converged {} / {}; at bound {:?} {:?}",
        p.loss.e,
        p.loss.a,
        p.loss.b,
        p.loss.alpha,
        p.loss.beta,
        p.theta,
        fit.stage1.r_squared,
        fit.stage1.sse,
        fit.stage1.rows_used,
        fit.stage1.groups,
        fit.stage1.groups_with_variance,
        fit.stage1.inverse_variance_weighted,
        fit.stage2.r_squared,
        fit.stage2.sse,
        fit.stage2.rows_used,
        fit.stage1.diagnostics.converged,
        fit.stage2.diagnostics.converged,
        fit.stage1.diagnostics.at_bound,
        fit.stage2.diagnostics.at_bound,
    );
}

/// The default fit explains pass@k well, and a different start design (other α, β grid in stage 1, other ν and
/// θ4 grids in stage 2) reaches the same optimum: the same stage objectives and the same predicted pass@k.
#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_fit_is_good_and_stable() {
    let table = pythia();
    let rows: Vec<usize> = (0..table.len()).collect();
    let default = approach2::fit(&table, &rows, &Approach2Options::default()).unwrap();
    report("default starts", &default);
    let other_design = Approach2Options {
        exponent_grid: vec![0.05, 0.15, 0.35, 0.7, 1.2, 1.8, 2.5],
        nu_grid: vec![0.03, 0.3, 3.0, 30.0, 300.0],
        slope_grid: vec![-6.0, -2.0, 0.5, 2.0, 6.0],
        ..Default::default()
    };
    let other = approach2::fit(&table, &rows, &other_design).unwrap();
    report("other starts", &other);
    // Measured: R² 0.910 on pass@k, 0.814 on the k = 1 loss (−ln pass@1 is noisy for the small models).
    assert!(
        default.stage2.r_squared > 0.88,
        "R² on pass@k {}",
        default.stage2.r_squared
    );
    assert!(
        default.stage1.r_squared > 0.75,
        "R² on the k = 1 loss {}",
        default.stage1.r_squared
    );
    assert!((other.stage1.sse / default.stage1.sse - 1.0).abs() < 1e-6);
    assert!((other.stage2.sse / default.stage2.sse - 1.0).abs() < 1e-6);
    for i in 0..table.len() {
        let (n, d, k) = (table.params[i], table.tokens[i], table.k[i]);
        let (a, b) = (default.params.pass_at_k(n, d, k), other.params.pass_at_k(n, d, k));
        assert!((a / b - 1.0).abs() < 1e-3, "row {}: {a} vs {b}", i + 1);
    }
    let plain = Approach2Options {
        stage1: Stage1Method::Plain { polish: 20 },
        ..Default::default()
    };
    let plain = approach2::fit(&table, &rows, &plain).unwrap();
    report("plain stage 1", &plain);
    assert!(plain.stage1.sse <= default.stage1.sse * (1.0 + 1e-9));
}

/// The paper's extrapolation check on Pythia: fit on tokens ≤ 7e10, predict the 200B and 300B checkpoints.
#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_extrapolates_to_the_last_checkpoints() {
    let table = pythia();
    let (train, heldout) = split_at_70b_tokens(&table);
    let fit = approach2::fit(&table, &train, &Approach2Options::default()).unwrap();
    report("tokens ≤ 7e10", &fit);
    let form = approach2::form_fit(
        &table,
        t2_fit::Split {
            train: &train,
            heldout: &heldout,
        },
        &fit,
        None,
    );
    let (err, err_large) = heldout_errors(&form);
    eprintln!(
        "held-out (200B, 300B) mean relative absolute error of pass@k: {err:.4} over all {} rows, {err_large:.4} \
         over the models with N ≥ 1e9",
        form.predictions.iter().filter(|p| p.heldout).count(),
    );
    // The small models' GSM8K accuracy FALLS with more tokens (160M: pass@1 0.0029 at 200B, 0.0008 at 300B), which
    // no loss law decreasing in D can follow, and their pass@1 ~ 1e-4 makes relative errors explode; so the
    // overall error is only required to be finite. The well-measured large models must extrapolate to within
    // 50% (measured: 0.26).
    assert!(err.is_finite());
    assert!(err_large < 0.5, "held-out error of the large models {err_large}");
}

fn report_approach1(
    label: &str,
    table: &RunTable,
    train: &[usize],
    heldout: &[usize],
    fit: &Approach1Fit,
) -> f64 {
    let form = approach1::form_fit(table, t2_fit::Split { train, heldout }, fit, None);
    let p = fit.params;
    eprintln!(
        "Approach 1, {label}: E={:.4e} A={:.4e} B={:.4e} G={:.4} alpha={:.4} beta={:.4} gamma={:.4}; R² {:.4} on \
         {} rows, SSE {:.4}; held-out error {:?}; {} of {} starts at the best, converged {}",
        p.e,
        p.a,
        p.b,
        p.g,
        p.alpha,
        p.beta,
        p.gamma,
        form.objective.r_squared,
        form.objective.rows_used,
        form.objective.value,
        form.heldout_relative_error,
        fit.search.starts_at_best,
        fit.search.starts,
        fit.search.best.converged,
    );
    form.objective.r_squared
}

/// Approach 1 on all Pythia rows: a good fit of the task loss, and the same optimum from a different start
/// search (the default projected starts against 800 random ones): the same SSE and the same predicted loss on
/// every row.
#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_approach1_fit_is_good_and_stable() {
    let table = pythia();
    let rows = finite_loss(&table, &(0..table.len()).collect::<Vec<_>>());
    let default = approach1::fit(&table, &rows, &Approach1Options::default()).unwrap();
    let r2 = report_approach1("all rows, default starts", &table, &rows, &[], &default);
    let other = Approach1Options {
        seed: 7,
        starts: Approach1Starts::Random { count: 800 },
        ..Default::default()
    };
    let other = approach1::fit(&table, &rows, &other).unwrap();
    report_approach1("all rows, other starts", &table, &rows, &[], &other);
    assert!(default.search.best.converged && other.search.best.converged);
    assert!(r2 > R2_APPROACH1, "R² of the task loss {r2}");
    let (a, b) = (default.search.best.cost, other.search.best.cost);
    assert!((a / b - 1.0).abs() < 1e-6, "objectives {a} vs {b}");
    for &i in &rows {
        let (n, d, k) = (table.params[i], table.tokens[i], table.k[i]);
        let (x, y) = (default.params.loss(n, d, k), other.params.loss(n, d, k));
        assert!((x / y - 1.0).abs() < 1e-4, "row {}: {x} vs {y}", i + 1);
    }
}

/// R² of Approach 1's task loss, measured 0.79 on all 632 rows and 0.76 on the 488 with tokens ≤ 7e10.
const R2_APPROACH1: f64 = 0.7;

/// The extrapolation check for Approach 1: fit on tokens ≤ 7e10, predict the task loss of the 200B and 300B
/// checkpoints.
#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_approach1_extrapolates_to_the_last_checkpoints() {
    let table = pythia();
    let (train, heldout) = split_at_70b_tokens(&table);
    let (train, heldout) = (finite_loss(&table, &train), finite_loss(&table, &heldout));
    let fit = approach1::fit(&table, &train, &Approach1Options::default()).unwrap();
    report_approach1("tokens ≤ 7e10", &table, &train, &heldout, &fit);
    let form = approach1::form_fit(
        &table,
        t2_fit::Split {
            train: &train,
            heldout: &heldout,
        },
        &fit,
        None,
    );
    let (err, err_large) = heldout_errors(&form);
    eprintln!("Approach 1 held-out (200B, 300B) relative error of the loss: {err:.4} overall, {err_large:.4} for N ≥ 1e9");
    // Measured: 0.73 overall, 1.02 for N ≥ 1e9. The large models' GSM8K loss falls much faster between 70B
    // and 200B tokens than the law fitted before it, and at large k fastest of all: the additive G/k^γ term
    // has the same k-dependence for every model, while the real curves steepen with model quality (which
    // Approach 2's Beta model follows: 0.26 on pass@k). The bounds catch a fit that gets worse than that.
    assert!(err < 0.9, "held-out error {err}");
    assert!(err_large < 1.2, "held-out error of the large models {err_large}");
    assert!(form.objective.r_squared > R2_APPROACH1);
    // E runs off to 0 (measured 1e-10): reported as at its bound, not silently.
    assert!(
        form.diagnostics.at_bound.iter().any(|b| b.starts_with("E -> 0")),
        "{:?}",
        form.diagnostics
    );
}
