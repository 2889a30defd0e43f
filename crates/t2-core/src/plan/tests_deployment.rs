//! Plans beyond the paper's budget, against brute force: limited unique data, the inference cost model,
//! lifetime budgets, targets and models that exist.

use super::*;
use crate::simulate::{DEFAULT_APPROACH1, DEFAULT_THETA};
use crate::{Approach2Params, ChinchillaParams, ModelParams};

const SARDANA: ChinchillaParams = ChinchillaParams {
    e: 1.69,
    a: 406.4,
    b: 410.7,
    alpha: 0.336,
    beta: 0.283,
};

fn laws() -> [ModelParams; 3] {
    [
        ModelParams::Chinchilla(ChinchillaParams::HOFFMANN),
        ModelParams::Approach1(DEFAULT_APPROACH1),
        ModelParams::Approach2(Approach2Params {
            loss: DEFAULT_APPROACH1.at_single_sample(),
            theta: DEFAULT_THETA,
        }),
    ]
}

fn rel(a: f64, b: f64) -> f64 {
    (a / b - 1.0).abs()
}

/// −metric for pass@k, so that lower is better for every form.
fn cost_of(params: &ModelParams, metric: f64) -> f64 {
    match Metric::of(params.form()) {
        Metric::Loss => metric,
        Metric::PassAtK => -metric,
    }
}

/// The best metric over a dense (N, D) grid with 6ND ≤ C_train (not only on the isoFLOP), k from C_inf.
fn grid_best(params: &ModelParams, deployment: &Deployment, c: f64, c_inf: f64) -> (f64, f64, f64) {
    let mut best = (f64::INFINITY, 0.0, 0.0);
    let steps = 600;
    for i in 0..=steps {
        let n = (c / 6.0).powf(i as f64 / steps as f64);
        for j in 0..=60 {
            // D from 1/1000 of the isoFLOP's to all of it.
            let d = c / (6.0 * n) * 10f64.powf(-3.0 * j as f64 / 60.0);
            if d < 1.0 {
                continue;
            }
            let k = deployment.cost.samples(n, c_inf).max(1.0);
            let v = cost_of(params, metric_at(params, n, deployment.effective_tokens(d), k));
            if v < best.0 {
                best = (v, n, d);
            }
        }
    }
    best
}

#[test]
fn the_data_constrained_optimum_beats_a_dense_grid_and_spends_the_whole_budget() {
    let (c, c_inf) = (1e23, 1.4e11);
    for params in laws() {
        let free = optimum(&params, &Deployment::default(), Budget::new(c, c_inf).unwrap()).unwrap();
        // A wall at a tenth of the unconstrained D*: the optimum repeats data.
        let walled = Deployment {
            data: Some(DataLimit::muennighoff(free.tokens / 10.0).unwrap()),
            ..Deployment::default()
        };
        let p = optimum(&params, &walled, Budget::new(c, c_inf).unwrap()).unwrap();
        let (grid, n, d) = grid_best(&params, &walled, c, c_inf);
        assert_eq!(p.location, Location::Interior);
        assert!(cost_of(&params, p.metric) <= grid + 1e-12, "{params:?}");
        // The grid's best is the optimum, to the grid's step (a factor 1.03 in N at C = 1e23).
        assert!(
            rel(p.params, n) < 0.05 && rel(p.tokens, d) < 0.05,
            "{p:?} vs {n} {d}"
        );
        assert!(rel(6.0 * p.params * p.tokens, c) < 1e-12);
        assert!(p.epochs.unwrap() > 1.0 && p.effective_tokens < p.tokens);
        // Repetition is worth less than new data: the wall makes the plan worse and moves N* up.
        assert!(cost_of(&params, p.metric) > cost_of(&params, free.metric));
        assert!(p.params > free.params, "{params:?}");
    }
}

#[test]
fn a_wall_the_plan_does_not_reach_or_an_endless_horizon_changes_nothing() {
    let budget = Budget::new(1e22, 1.4e11).unwrap();
    for params in laws() {
        let free = optimum(&params, &Deployment::default(), budget).unwrap();
        let far = Deployment {
            data: Some(DataLimit::muennighoff(free.tokens * 2.0).unwrap()),
            ..Deployment::default()
        };
        let endless = Deployment {
            data: Some(DataLimit::new(free.tokens / 10.0, 1e13).unwrap()),
            ..Deployment::default()
        };
        for deployment in [far, endless] {
            let p = optimum(&params, &deployment, budget).unwrap();
            assert!(rel(p.params, free.params) < 1e-6, "{params:?} {deployment:?}");
            assert!(rel(p.metric, free.metric) < 1e-9);
        }
    }
}

#[test]
fn tokens_per_sample_scale_the_per_query_budget_and_the_prompt_is_paid_first() {
    let (c, c_inf) = (1e22, 1.4e11);
    for params in laws() {
        // T tokens per sample with no prompt is the paper's plan at C_inf / T.
        let cost = Deployment {
            cost: InferenceCost::new(0.0, 8.0).unwrap(),
            ..Deployment::default()
        };
        let a = optimum(&params, &cost, Budget::new(c, c_inf).unwrap()).unwrap();
        let b = optimum(
            &params,
            &Deployment::default(),
            Budget::new(c, c_inf / 8.0).unwrap(),
        )
        .unwrap();
        assert!(rel(a.params, b.params) < 1e-9 && rel(a.samples, b.samples) < 1e-9);
        // A prompt: k = (C_inf/(2N) − P)/T at the optimum, and no neighbour is better.
        let prompt = Deployment {
            cost: InferenceCost::new(20.0, 4.0).unwrap(),
            ..Deployment::default()
        };
        let budget = Budget::new(c, c_inf).unwrap();
        let p = optimum(&params, &prompt, budget).unwrap();
        assert!(rel(p.samples_affordable, (c_inf / (2.0 * p.params) - 20.0) / 4.0) < 1e-12);
        for f in [0.97, 1.03] {
            let other = allocate(&params, &prompt, budget, p.params * f, Location::Rule).unwrap();
            assert!(cost_of(&params, p.metric) <= cost_of(&params, other.metric) + 1e-15);
        }
    }
}

/// The best metric over a dense (N, D, k) grid with 6ND + Q·2N(P + kT) ≤ C_total.
fn lifetime_grid(params: &ModelParams, deployment: &Deployment, c: f64, q: f64) -> f64 {
    let cost = deployment.cost;
    let n_max = c / (6.0 + q * cost.flops(1.0, 1.0));
    let mut best = f64::INFINITY;
    for i in 0..=300 {
        let n = n_max.powf(i as f64 / 300.0);
        for j in 0..=120 {
            let k = 10f64.powf(6.0 * j as f64 / 120.0);
            let rest = c - q * cost.flops(n, k);
            for l in 0..=6 {
                let d = rest / (6.0 * n) * 10f64.powf(-0.5 * l as f64);
                if d >= 1.0 {
                    let metric = metric_at(params, n, deployment.effective_tokens(d), k);
                    best = best.min(cost_of(params, metric));
                }
            }
        }
    }
    best
}

#[test]
fn the_lifetime_optimum_beats_a_dense_grid_and_spends_the_whole_budget() {
    let deployment = Deployment {
        cost: InferenceCost::new(100.0, 50.0).unwrap(),
        ..Deployment::default()
    };
    for params in laws() {
        for (c, q) in [(1e22, 1e8), (1e24, 1e10)] {
            let budget = Budget::lifetime(c, q).unwrap();
            let p = optimum(&params, &deployment, budget).unwrap();
            let grid = lifetime_grid(&params, &deployment, c, q);
            assert_eq!(p.location, Location::Interior, "{params:?} {c:e}");
            assert!(
                cost_of(&params, p.metric) <= grid + 1e-12,
                "{params:?} {c:e}: {p:?} vs {grid}"
            );
            assert!(rel(p.total_flops.unwrap(), c) < 1e-9);
            let spent = p.train_flops + q * deployment.cost.flops(p.params, p.samples);
            assert!(rel(spent, c) < 1e-9);
            if !uses_samples(&params) {
                assert_eq!(p.samples, 1.0);
            }
            // A draw searched near a point estimate lands on the same optimum.
            let near = optimum_near(&params, &deployment, budget, Some(p.params * 5.0)).unwrap();
            assert!(rel(near.params, p.params) < 1e-6 && rel(near.metric, p.metric) < 1e-12);
        }
    }
}

#[test]
fn more_queries_move_the_lifetime_optimum_to_smaller_longer_trained_models() {
    for params in laws() {
        let plan = |q: f64| {
            optimum(
                &params,
                &Deployment::default(),
                Budget::lifetime(1e24, q).unwrap(),
            )
            .unwrap()
        };
        let (few, many) = (plan(1e9), plan(1e13));
        assert!(
            many.params < few.params && many.tokens_per_param > few.tokens_per_param,
            "{params:?}"
        );
    }
}

/// Sardana et al. 2024, README of their code: with Chinchilla's coefficients, a loss of 1.947 and 2e12 tokens of
/// inference, the lifetime-optimal model has N = 2.418e10 and D = 2.657e12, and 70.96% of the parameters, 146.77%
/// of the tokens and 95.22% of the lifetime compute of the Chinchilla-style model of the same loss.
#[test]
fn sardanas_worked_example_to_three_significant_figures() {
    let law = ModelParams::Chinchilla(SARDANA);
    let template = Budget::lifetime(1e24, 2e12).unwrap();
    let target = Target::new(Metric::Loss, 1.947).unwrap();
    let plan = plan_target(&law, &Deployment::default(), template, target, None).unwrap();
    let (opt, chin) = (plan.optimum, plan.chinchilla.unwrap());
    assert!(rel(opt.params, 2.418e10) < 2e-4, "{}", opt.params);
    assert!(rel(opt.tokens, 2.657e12) < 2e-4, "{}", opt.tokens);
    assert!(
        rel(opt.params / chin.params, 0.7096) < 1e-3,
        "{}",
        opt.params / chin.params
    );
    assert!(
        rel(opt.tokens / chin.tokens, 1.4677) < 1e-3,
        "{}",
        opt.tokens / chin.tokens
    );
    let total = |p: &PlanPoint| p.total_flops.unwrap();
    assert!(
        rel(total(&opt) / total(&chin), 0.9522) < 1e-3,
        "{}",
        total(&opt) / total(&chin)
    );
    // Both reach the loss exactly and the optimum spends less over the lifetime.
    assert!((opt.metric - 1.947).abs() < 1e-9 && (chin.metric - 1.947).abs() < 1e-9);
    assert!(plan.target.unwrap().reachable);
}

#[test]
fn a_target_above_the_laws_reach_is_not_reachable() {
    let law = ModelParams::Approach2(Approach2Params {
        loss: DEFAULT_APPROACH1.at_single_sample(),
        theta: DEFAULT_THETA,
    });
    // θ2 caps pass@1: with C_inf too small for a second sample, a target above it is out of reach at any
    // training budget.
    let cap = DEFAULT_THETA[2];
    let one_sample = Budget::new(1e21, 2.0).unwrap();
    let above = Target::new(Metric::PassAtK, cap + 0.05).unwrap();
    let above = plan_target(&law, &Deployment::default(), one_sample, above, None).unwrap();
    assert!(!above.target.unwrap().reachable && above.optimum.metric < cap);
    assert!(above.optimum.train_flops > 0.99 * TARGET_CEILING_FLOPS && above.chinchilla.is_none());
    let budget = Budget::new(1e21, 1.4e11).unwrap();
    // Below it: reached, at the smallest budget that does (a step below falls short).
    let want = Target::new(Metric::PassAtK, 0.5).unwrap();
    let reached = plan_target(&law, &Deployment::default(), budget, want, None).unwrap();
    assert!(reached.target.unwrap().reachable);
    let c = reached.optimum.train_flops;
    assert!(
        (reached.optimum.metric - 0.5).abs() < 1e-9,
        "{}",
        reached.optimum.metric
    );
    let less = optimum(&law, &Deployment::default(), budget.with_scale(c * 0.999)).unwrap();
    assert!(less.metric < 0.5);
    // A loss target below the floor E is out of reach too.
    let chin = ModelParams::Chinchilla(ChinchillaParams::HOFFMANN);
    let floor = plan_target(
        &chin,
        &Deployment::default(),
        budget,
        Target::new(Metric::Loss, 1.6).unwrap(),
        None,
    )
    .unwrap();
    assert!(!floor.target.unwrap().reachable);
}

#[test]
fn a_trained_model_needs_the_smallest_k_that_reaches_the_target() {
    let law = ModelParams::Approach2(Approach2Params {
        loss: DEFAULT_APPROACH1.at_single_sample(),
        theta: DEFAULT_THETA,
    });
    let (n, d) = (3e7, 6e8);
    let model = Deployment {
        cost: InferenceCost::new(200.0, 100.0).unwrap(),
        model: Some(FixedModel::new(n, Some(d)).unwrap()),
        ..Deployment::default()
    };
    let pass1 = metric_at(&law, n, d, 1.0);
    assert!(pass1 < 0.5, "{pass1}");
    let want = Target::new(Metric::PassAtK, 0.5 + pass1 / 2.0).unwrap();
    let plan = plan_target(&law, &model, Budget::new(1e21, 1.4e11).unwrap(), want, None).unwrap();
    let p = plan.optimum;
    assert!(plan.target.unwrap().reachable && plan.chinchilla.is_none());
    assert_eq!((p.params, p.tokens), (n, d));
    assert!((p.metric - want.value).abs() < 1e-9);
    // The inference budget found is the cost of those k samples.
    assert!(rel(p.inference_flops, model.cost.flops(n, p.samples)) < 1e-9);
    assert!(metric_at(&law, n, d, p.samples * 0.99) < want.value);
    // On a budget: the k it pays for, and the training compute the model cost.
    let on_budget = optimum(&law, &model, Budget::new(1e21, 1.4e11).unwrap()).unwrap();
    assert!(rel(on_budget.samples, (1.4e11 / (2.0 * n) - 200.0) / 100.0) < 1e-12);
    assert_eq!(
        (on_budget.train_flops, on_budget.location),
        (6.0 * n * d, Location::Rule)
    );
    // A lifetime that does not pay for its training is refused.
    let poor = optimum(&law, &model, Budget::lifetime(6.0 * n * d * 0.9, 1e6).unwrap());
    assert!(matches!(poor, Err(PlanError::Unaffordable(_))));
}

#[test]
fn a_model_of_fixed_size_chooses_its_tokens_over_a_lifetime() {
    let law = ModelParams::Approach1(DEFAULT_APPROACH1);
    let model = Deployment {
        model: Some(FixedModel::new(3e9, None).unwrap()),
        ..Deployment::default()
    };
    let budget = Budget::lifetime(1e23, 1e9).unwrap();
    let p = optimum(&law, &model, budget).unwrap();
    assert_eq!(p.params, 3e9);
    // No other split of the same budget between D and k is better.
    for f in [0.5, 0.9, 1.1, 2.0] {
        let k = p.samples * f;
        let d = (1e23 - 1e9 * model.cost.flops(3e9, k)) / (6.0 * 3e9);
        assert!(p.metric <= metric_at(&law, 3e9, d, k) + 1e-15, "{f}");
    }
}

#[test]
fn a_target_searched_near_a_guess_finds_the_same_budget_however_far_the_guess() {
    let law = ModelParams::Approach1(DEFAULT_APPROACH1);
    let deployment = Deployment {
        cost: InferenceCost::new(50.0, 20.0).unwrap(),
        ..Deployment::default()
    };
    let target = Target::new(Metric::Loss, 0.9).unwrap();
    for template in [
        Budget::new(1e21, 1.4e11).unwrap(),
        Budget::lifetime(1e24, 1e8).unwrap(),
    ] {
        let plain = plan_target(&law, &deployment, template, target, None)
            .unwrap()
            .optimum;
        for factor in [1.0, 3.0, 1e-3, 1e6] {
            let guess = PlanPoint {
                params: plain.params * factor,
                train_flops: plain.train_flops * factor,
                total_flops: plain.total_flops.map(|t| t * factor),
                ..plain
            };
            let near = plan_target(&law, &deployment, template, target, Some(&guess)).unwrap();
            assert!(near.target.unwrap().reachable);
            let size = |p: &PlanPoint| spent_scale(template, &deployment, p);
            assert!(
                rel(size(&near.optimum), size(&plain)) < 1e-8,
                "{template} ×{factor}"
            );
            assert!(rel(near.optimum.params, plain.params) < 1e-6);
        }
    }
}
