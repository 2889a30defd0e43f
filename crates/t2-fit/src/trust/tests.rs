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
        forecast: None,
        misfit: Vec::new(),
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
    fires(&fit, &none, Check::Bounds, Verdict::Ok);
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
fn what_a_parameter_spreads_is_a_note_about_identification() {
    let none = Evidence::default();
    let mut fit = healthy();
    fit.estimates[1] = estimate("A", Kind::Scale, 400.0, 1.0, 1e5);
    fires(&fit, &none, Check::ScaleSpread, Verdict::Ok);
    fit.estimates[1] = estimate("A", Kind::Scale, 400.0, 0.0, 1e3);
    fires(&fit, &none, Check::ScaleSpread, Verdict::Ok);
    let mut fit = healthy();
    fit.estimates[2] = estimate("alpha", Kind::Exponent, 0.34, 0.1, 0.9);
    fires(&fit, &none, Check::ExponentWidth, Verdict::Ok);
    assert_eq!(assess(&fit, &none).verdict, Verdict::Ok);
    assert_eq!(assess(&fit, &none).aspects.identifies, Verdict::Ok);
    let mut fit = healthy();
    fit.estimates[0] = estimate("E", Kind::Scale, 5.0, 1.7, 1.9);
    fires(&fit, &none, Check::Interval, Verdict::Ok);
    let mut fit = healthy();
    fit.bootstrap.as_mut().unwrap().draws_at_bound = 30;
    fires(&fit, &none, Check::DrawsOnBound, Verdict::Ok);
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

#[test]
fn approach_1_fails_to_describe_data_whose_gain_from_sampling_tracks_the_single_pass_loss() {
    let none = Evidence::default();
    // Separable data: L(N, D, k) = f(N, D) + G/k^γ, so the gain L(1) − L(k) is the same at every checkpoint.
    let mut fit = healthy();
    fit.form = Form::Approach1;
    let law = |n: f64, k: f64| 2.0 + 50.0 / n.powf(0.3) + 1.5 / k.powf(0.4);
    let sizes: Vec<f64> = (0..8).map(|i| 1e7 * 2f64.powi(i)).collect();
    // Observed with a small deterministic noise (1e-3, against a spread of L(1) across sizes of about 0.5).
    let rows = |law: &dyn Fn(f64, f64) -> f64| -> Vec<Prediction> {
        sizes
            .iter()
            .enumerate()
            .flat_map(|(i, &n)| {
                [1.0, 4.0, 16.0].map(|k| Prediction {
                    params: n,
                    tokens: 20.0 * n,
                    k,
                    observed: law(n, k) + 1e-3 * ((7 * i) as f64 + 3.0 * k).sin(),
                    predicted: law(n, k),
                    heldout: false,
                })
            })
            .collect()
    };
    fit.predictions = rows(&law);
    let r = crate::trust::kgain::correlation(&fit).unwrap();
    assert!(r.abs() < 0.8, "{r}");
    assert!(!checks(&fit, &none).iter().any(|c| c.0 == Check::KGain));
    // The gain grows with L(1) (weaker models gain more from sampling): the separable term cannot hold.
    let coupled = |n: f64, k: f64| {
        let single = 2.0 + 50.0 / n.powf(0.3);
        single - 0.3 * single * (1.0 - k.powf(-0.4))
    };
    fit.predictions = rows(&coupled);
    assert!(crate::trust::kgain::correlation(&fit).unwrap() > 0.99);
    fires(&fit, &none, Check::KGain, Verdict::Unreliable);
    let trust = assess(&fit, &none);
    assert_eq!(trust.aspects.describes, Verdict::Unreliable);
    assert_eq!(trust.aspects.predicts, Verdict::Ok);
    // The test is Approach 1's alone.
    fit.form = Form::Approach2;
    assert!(!checks(&fit, &none).iter().any(|c| c.0 == Check::KGain));
}

#[test]
fn a_forecast_no_better_than_persistence_is_a_caution_on_predicts() {
    use crate::report::{Baseline, BaselineError, Forecast};
    let none = Evidence::default();
    let mut fit = healthy();
    let forecast = |form_error: f64, persistence: f64| Forecast {
        protocol: "test".into(),
        refit_on_all: true,
        metric: Metric::PassAtK,
        rows: 10,
        checkpoints: 2,
        error: form_error,
        baselines: vec![BaselineError {
            baseline: Baseline::Persistence,
            rows: 10,
            error: persistence,
            form_error,
        }],
    };
    fit.forecast = Some(forecast(0.05, 0.08));
    assert!(!checks(&fit, &none).iter().any(|c| c.0 == Check::Baseline));
    fit.forecast = Some(forecast(0.09, 0.08));
    fires(&fit, &none, Check::Baseline, Verdict::Caution);
    let trust = assess(&fit, &none);
    assert_eq!(
        (trust.aspects.predicts, trust.aspects.describes),
        (Verdict::Caution, Verdict::Ok)
    );
    // The forecast's error, not the fit's own held-out rows, is what the held-out check reads.
    fit.forecast = Some(forecast(0.5, 0.6));
    fires(&fit, &none, Check::HeldOut, Verdict::Caution);
}

#[test]
fn a_plan_band_over_a_decade_is_unreliable_and_an_estimate_outside_it_a_caution() {
    use crate::trust::plan_band;
    assert!(plan_band(1e8, 5e7, 4e8, 1e21).is_empty());
    let wide = plan_band(1e8, 1e7, 2e8, 1e21);
    assert_eq!(wide.len(), 1);
    assert_eq!(
        (wide[0].check, wide[0].verdict),
        (Check::PlanBand, Verdict::Unreliable)
    );
    assert!((wide[0].value.unwrap() - 20f64.log10()).abs() < 1e-12);
    let outside = plan_band(1e9, 5e7, 4e8, 1e21);
    assert_eq!(outside.len(), 1);
    assert_eq!(outside[0].verdict, Verdict::Caution);
    assert_eq!(Check::PlanBand.aspect(), crate::trust::Aspect::Identifies);
}

#[test]
fn brief_names_each_failing_question_and_its_checks() {
    let r = |check: Check, verdict: Verdict| Reason::new(check, verdict, "m".into(), None, None);
    let trust = Trust::from_reasons(vec![
        r(Check::KGain, Verdict::Unreliable),
        r(Check::ResidualTrend, Verdict::Caution),
        r(Check::Baseline, Verdict::Caution),
        r(Check::ScaleSpread, Verdict::Ok),
    ]);
    assert_eq!(
        trust.brief(),
        "describes unreliable (k-gain, residual trend); predicts caution (baseline)"
    );
    assert_eq!(Trust::default().brief(), "");
}
