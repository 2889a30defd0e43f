//! Each check of the verdict triggered by a small constructed case, and not by its healthy twin.

use t2_core::plan::Metric;
use t2_core::{ChinchillaParams, Form, ModelParams};

use super::*;
use crate::report::{BootstrapSummary, Diagnostics, Estimate, ObjectiveReport};

fn estimate(name: &str, kind: Kind, value: f64, lo: f64, hi: f64) -> Estimate {
    Estimate {
        name: name.into(),
        kind,
        value,
        se: None,
        factor: None,
        lo: Some(lo),
        hi: Some(hi),
        draws: 100,
    }
}

/// A healthy fit: converged, identified, R² 0.99, residuals that are noise (alternating in sign).
fn healthy() -> FormFit {
    let mut predictions = Vec::new();
    let mut sign = 1.0;
    for n in [1e8, 2e8, 4e8, 8e8] {
        for d in [1e9, 3e9, 1e10] {
            for k in [1.0, 2.0, 4.0, 8.0, 16.0] {
                sign = -sign;
                let predicted = 2.0 + 0.5 / (n / 1e8) + 0.5 / k + d / 1e11;
                predictions.push(Prediction {
                    params: n,
                    tokens: d,
                    k,
                    observed: predicted + sign * 0.01 * ((n * k).ln().sin()),
                    predicted,
                    heldout: false,
                });
            }
        }
    }
    FormFit {
        form: Form::Chinchilla,
        task: None,
        target: Metric::Loss,
        params: ModelParams::Chinchilla(ChinchillaParams::HOFFMANN),
        estimates: vec![
            estimate("E", Kind::Scale, 1.8, 1.7, 1.9),
            estimate("A", Kind::Scale, 400.0, 300.0, 700.0),
            estimate("alpha", Kind::Exponent, 0.34, 0.32, 0.37),
        ],
        objective: ObjectiveReport {
            name: "test".into(),
            value: 1e-3,
            rows_used: predictions.len(),
            r_squared: 0.99,
        },
        diagnostics: Diagnostics {
            starts: 10,
            starts_at_best: 5,
            starts_converged: 10,
            iterations: 50,
            grad_norm: 1e-11,
            termination: "converged".into(),
            converged: true,
            at_bound: vec![],
        },
        bootstrap: Some(BootstrapSummary {
            resamples: 100,
            failed: 2,
            draws_at_bound: 3,
            guard_won: 0,
            level: 0.95,
            unit: "checkpoint".into(),
            covariance_names: vec![],
            covariance: vec![],
            draws: vec![],
        }),
        predictions,
        heldout_relative_error: Some(0.03),
        rows_left_out: vec![],
        floor: None,
        trust: Trust::default(),
    }
}

fn checks(fit: &FormFit, evidence: &Evidence) -> Vec<(Check, Verdict)> {
    assess(fit, evidence)
        .reasons
        .iter()
        .map(|r| (r.check, r.verdict))
        .collect()
}

fn fires(fit: &FormFit, evidence: &Evidence, check: Check, verdict: Verdict) {
    let found = checks(fit, evidence);
    assert!(
        found.contains(&(check, verdict)),
        "{check:?} expected in {found:?}"
    );
}

#[test]
fn a_healthy_fit_is_ok() {
    let evidence = Evidence {
        floor: Some(FloorComparison {
            rows: 60,
            floor_rmse: 0.1,
            form_rmse: 0.12,
        }),
        loss_floor: Some(1.0),
    };
    let trust = assess(&healthy(), &evidence);
    assert_eq!(trust.verdict, Verdict::Ok, "{:?}", trust.reasons);
    let trends = residual_trends(&healthy());
    assert!(trends.k.unwrap() < RESIDUAL_TREND && trends.params.unwrap().abs() < RESIDUAL_TREND);
}

#[test]
fn optimiser_and_numbers() {
    let none = Evidence::default();
    let mut fit = healthy();
    fit.diagnostics.converged = false;
    fires(&fit, &none, Check::Converged, Verdict::Unreliable);
    let mut fit = healthy();
    fit.estimates[1].value = f64::NAN;
    fires(&fit, &none, Check::Finite, Verdict::Unreliable);
    let mut fit = healthy();
    fit.diagnostics.at_bound = vec!["E -> 0".into()];
    fires(&fit, &none, Check::Bounds, Verdict::Caution);
    let mut fit = healthy();
    fit.estimates[2] = estimate("alpha", Kind::Exponent, 2.5, 2.4, 2.6);
    fires(&fit, &none, Check::ExponentRange, Verdict::Unreliable);
    fit.estimates[2] = estimate("alpha", Kind::Exponent, -0.1, -0.2, 0.0);
    fires(&fit, &none, Check::ExponentRange, Verdict::Unreliable);
}

#[test]
fn a_floor_above_the_data() {
    let fit = healthy();
    let above = Evidence {
        loss_floor: Some(5.0),
        ..Evidence::default()
    };
    fires(&fit, &above, Check::FloorAboveData, Verdict::Unreliable);
    let below = Evidence {
        loss_floor: Some(1.5),
        ..Evidence::default()
    };
    assert!(!checks(&fit, &below).iter().any(|c| c.0 == Check::FloorAboveData));
}

#[test]
fn identification() {
    let none = Evidence::default();
    let mut fit = healthy();
    fit.estimates[1] = estimate("A", Kind::Scale, 400.0, 1.0, 1e5);
    fires(&fit, &none, Check::ScaleSpread, Verdict::Unreliable);
    fit.estimates[1] = estimate("A", Kind::Scale, 400.0, 0.0, 1e3);
    fires(&fit, &none, Check::ScaleSpread, Verdict::Unreliable);
    let mut fit = healthy();
    fit.estimates[2] = estimate("alpha", Kind::Exponent, 0.34, 0.1, 0.9);
    fires(&fit, &none, Check::ExponentWidth, Verdict::Unreliable);
    let mut fit = healthy();
    fit.estimates[0] = estimate("E", Kind::Scale, 5.0, 1.7, 1.9);
    fires(&fit, &none, Check::Interval, Verdict::Caution);
    let mut fit = healthy();
    fit.bootstrap.as_mut().unwrap().draws_at_bound = 30;
    fires(&fit, &none, Check::DrawsOnBound, Verdict::Caution);
    let mut fit = healthy();
    fit.bootstrap.as_mut().unwrap().failed = 20;
    fires(&fit, &none, Check::FailedDraws, Verdict::Caution);
}

#[test]
fn lack_of_fit() {
    let none = Evidence::default();
    let mut fit = healthy();
    fit.objective.r_squared = 0.8;
    fires(&fit, &none, Check::RSquared, Verdict::Caution);
    // Residuals that fall with k, more steeply the better the checkpoint: the k-shape of Approach 1 on Pythia.
    let mut fit = healthy();
    for p in &mut fit.predictions {
        p.observed = p.predicted + 0.2 * (1.0 - p.k.ln()) * (p.params / 1e8);
    }
    fires(&fit, &none, Check::ResidualTrend, Verdict::Caution);
    assert!(residual_trends(&fit).k.unwrap() > 0.9);
    // A trend with N.
    let mut fit = healthy();
    for p in &mut fit.predictions {
        p.observed = p.predicted + 0.05 * p.params.ln();
    }
    fires(&fit, &none, Check::ResidualTrend, Verdict::Caution);
    // Held out, and the floor.
    let mut fit = healthy();
    fit.heldout_relative_error = Some(0.5);
    fires(&fit, &none, Check::HeldOut, Verdict::Caution);
    fit.heldout_relative_error = Some(9.7);
    fires(&fit, &none, Check::HeldOut, Verdict::Unreliable);
    let far = Evidence {
        floor: Some(FloorComparison {
            rows: 60,
            floor_rmse: 0.085,
            form_rmse: 1.02,
        }),
        ..Evidence::default()
    };
    fires(&healthy(), &far, Check::Floor, Verdict::Unreliable);
    let near = Evidence {
        floor: Some(FloorComparison {
            rows: 60,
            floor_rmse: 0.085,
            form_rmse: 0.4,
        }),
        ..Evidence::default()
    };
    fires(&healthy(), &near, Check::Floor, Verdict::Caution);
}

/// Within each checkpoint the residuals curve smoothly in k (shared problems), in a random direction per
/// checkpoint: not a k-shape misfit, though every checkpoint's own |ρ| is 1.
#[test]
fn smooth_residuals_of_random_direction_are_not_a_trend() {
    let mut fit = healthy();
    let mut rng = t2_core::rng::Rng::new(3);
    fit.predictions.clear();
    for i in 0..8 {
        for j in 0..8 {
            let (n, d) = (1e8 * 1.5f64.powi(i), 1e9 * 1.7f64.powi(j));
            let direction = if rng.uniform() < 0.5 { -1.0 } else { 1.0 };
            for k in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0] {
                let predicted = 2.0 + 0.5 / (n / 1e8) + 0.5 / k;
                fit.predictions.push(Prediction {
                    params: n,
                    tokens: d,
                    k,
                    observed: predicted + direction * 0.05 * k.ln(),
                    predicted,
                    heldout: false,
                });
            }
        }
    }
    let trends = residual_trends(&fit);
    assert!(trends.k.unwrap() < RESIDUAL_TREND, "{trends:?}");
}

#[test]
fn spearman_known_values() {
    assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
    assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
    // Ties take their mean rank: ranks (1.5, 1.5, 3) against (1, 2, 3) give ρ = √3/2.
    let rho = spearman(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0]).unwrap();
    assert!((rho - 3f64.sqrt() / 2.0).abs() < 1e-12);
    assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
}
