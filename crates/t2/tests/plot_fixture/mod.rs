//! A fit file built from known parameters (no fitting): Chinchilla, Approach 1 and Approach 2 forms with
//! predictions on an isoFLOP grid (observed = truth × (1 + 2% noise), overtrained rows held out) and
//! bootstrap draws scattered around the truth. Shared by the plan and plot tests.

use std::path::Path;

use t2_core::rng::Rng;
use t2_core::{Approach1Params, Approach2Params, ChinchillaParams, Form, ModelParams};
use t2_fit::chinchilla::quantities;
use t2_fit::{approach1, approach2};
use t2_fit::{BootstrapSummary, Diagnostics, Estimate, FormFit, ObjectiveReport, Prediction};

pub const A1: Approach1Params = Approach1Params {
    e: 0.6,
    a: 300.0,
    b: 1500.0,
    g: 1.5,
    alpha: 0.33,
    beta: 0.36,
    gamma: 0.45,
};
pub const CHIN: ChinchillaParams = ChinchillaParams {
    e: 1.8172,
    a: 477.8,
    b: 2143.9,
    alpha: 0.34731,
    beta: 0.36718,
};
pub const A2: Approach2Params = Approach2Params {
    loss: CHIN,
    theta: [2.5, 6.0, 0.9, 1.0, -0.2],
};

/// The parameter values of a form, by the names its fit reports them under.
fn named(p: &ModelParams) -> Vec<(String, f64)> {
    let (names, values) = match p {
        ModelParams::Chinchilla(c) => {
            let count = quantities::PARAMETERS;
            (
                quantities::names(&[])[..count].to_vec(),
                quantities::values(c, &[])[..count].to_vec(),
            )
        }
        ModelParams::Approach1(q) => (approach1::parameter_names(), approach1::parameter_values(q)),
        ModelParams::Approach2(q) => (approach2::parameter_names(), approach2::parameter_values(q)),
    };
    names.into_iter().zip(values).collect()
}

/// The truth with every parameter scaled by (1 + scale·z), z standard normal.
fn perturbed(p: &ModelParams, rng: &mut Rng, scale: f64) -> ModelParams {
    let mut f = |v: f64| v * (1.0 + scale * rng.normal());
    match p {
        ModelParams::Chinchilla(c) => ModelParams::Chinchilla(ChinchillaParams {
            e: f(c.e),
            a: f(c.a),
            b: f(c.b),
            alpha: f(c.alpha),
            beta: f(c.beta),
        }),
        ModelParams::Approach1(q) => ModelParams::Approach1(Approach1Params {
            e: f(q.e),
            a: f(q.a),
            b: f(q.b),
            g: f(q.g),
            alpha: f(q.alpha),
            beta: f(q.beta),
            gamma: f(q.gamma),
        }),
        ModelParams::Approach2(q) => ModelParams::Approach2(Approach2Params {
            loss: ChinchillaParams {
                e: f(q.loss.e),
                a: f(q.loss.a),
                b: f(q.loss.b),
                ..q.loss
            },
            theta: [f(q.theta[0]), f(q.theta[1]), q.theta[2], q.theta[3], q.theta[4]],
        }),
    }
}

fn predict(p: &ModelParams, n: f64, d: f64, k: f64) -> f64 {
    match p {
        ModelParams::Chinchilla(c) => c.loss(n, d),
        ModelParams::Approach1(q) => q.loss(n, d, k),
        ModelParams::Approach2(q) => q.pass_at_k(n, d, k),
    }
}

fn form_fit(params: ModelParams, seed: u64, draws: usize) -> FormFit {
    let mut rng = Rng::new(seed);
    let ks: &[f64] = match params.form() {
        Form::Chinchilla => &[1.0],
        _ => &[1.0, 4.0, 16.0, 64.0, 256.0, 1024.0],
    };
    let mut predictions = Vec::new();
    for level in 0..6 {
        let c = 1.25e16 * 4f64.powi(level);
        for i in 0..7 {
            let n = 5e6 * 2.4f64.powi(i);
            let d = c / (6.0 * n);
            if d < 2.0 * n {
                continue;
            }
            for &k in ks {
                let truth = predict(&params, n, d, k);
                predictions.push(Prediction {
                    params: n,
                    tokens: d,
                    k,
                    observed: truth * (1.0 + 0.02 * rng.normal()),
                    predicted: truth,
                    heldout: d / n > 400.0,
                });
            }
        }
    }
    let draws: Vec<ModelParams> = (0..draws).map(|_| perturbed(&params, &mut rng, 0.02)).collect();
    let estimates = named(&params)
        .into_iter()
        .enumerate()
        .map(|(j, (name, value))| {
            let mut v: Vec<f64> = draws.iter().map(|d| named(d)[j].1).collect();
            v.sort_by(f64::total_cmp);
            let q = |p: f64| v.get(((v.len().max(1) - 1) as f64 * p).round() as usize).copied();
            Estimate {
                name,
                value,
                se: None,
                lo: q(0.025),
                hi: q(0.975),
            }
        })
        .collect();
    let heldout: Vec<&Prediction> = predictions.iter().filter(|p| p.heldout).collect();
    let heldout_relative_error = (!heldout.is_empty()).then(|| {
        heldout
            .iter()
            .map(|p| ((p.predicted - p.observed) / p.observed).abs())
            .sum::<f64>()
            / heldout.len() as f64
    });
    FormFit {
        form: params.form(),
        task: None,
        target: if params.form() == Form::Approach2 {
            "pass_at_k"
        } else {
            "loss"
        }
        .into(),
        params,
        estimates,
        objective: ObjectiveReport {
            name: "fixture".into(),
            value: 0.0,
            rows_used: predictions.len(),
            r_squared: 1.0,
        },
        diagnostics: Diagnostics {
            starts: 1,
            starts_at_best: 1,
            starts_converged: 1,
            iterations: 0,
            grad_norm: 0.0,
            termination: "fixture".into(),
            converged: true,
            at_bound: vec![],
        },
        bootstrap: (!draws.is_empty()).then(|| BootstrapSummary {
            resamples: draws.len(),
            failed: 0,
            level: 0.95,
            unit: "checkpoint".into(),
            covariance_names: vec![],
            covariance: vec![],
            draws,
        }),
        predictions,
        heldout_relative_error,
    }
}

/// Writes the fixture fit file (with `draws` bootstrap draws per form, parameters scaled by `shift`) to `path`.
pub fn write_fit_file(path: &Path, draws: usize, shift: f64) {
    let scale = |p: Approach1Params| Approach1Params { g: p.g * shift, ..p };
    let fits = vec![
        form_fit(ModelParams::Chinchilla(CHIN), 1, draws),
        form_fit(ModelParams::Approach1(scale(A1)), 2, draws),
        form_fit(ModelParams::Approach2(A2), 3, draws),
    ];
    let file = serde_json::json!({
        "t2_version": "test",
        "command": ["fixture"],
        "input": { "path": "fixture.csv", "hash": "0", "rows": 1, "rows_used": 1, "excluded": [] },
        "seed": 0,
        "options": {},
        "fits": fits,
    });
    std::fs::write(path, serde_json::to_string(&file).unwrap()).unwrap();
}
