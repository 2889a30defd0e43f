use super::*;

const PAPER: Deployment = Deployment {
    cost: InferenceCost::PAPER,
    data: None,
    model: None,
};
use crate::{Approach1Params, Approach2Params, ChinchillaParams, ModelParams};

const TEST_A1: Approach1Params = Approach1Params {
    e: 0.6,
    a: 300.0,
    b: 1500.0,
    g: 1.5,
    alpha: 0.33,
    beta: 0.36,
    gamma: 0.45,
};

const EPOCH: ChinchillaParams = ChinchillaParams {
    e: 1.8172,
    a: 477.8,
    b: 2143.9,
    alpha: 0.34731,
    beta: 0.36718,
};

fn budget(c: f64, c_inf: f64) -> Budget {
    Budget::new(c, c_inf).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a / b - 1.0).abs()
}

/// Residual of the FOC αA·N^−α = βB·(6N/C)^β + γG·(2N/C_inf)^γ, relative to its left side.
fn foc_residual(p: &Approach1Params, n: f64, b: Budget) -> f64 {
    let Budget::PerQuery {
        train_flops,
        inference_flops,
    } = b
    else {
        unreachable!()
    };
    let lhs = p.alpha * p.a * n.powf(-p.alpha);
    let rhs = p.beta * p.b * (6.0 * n / train_flops).powf(p.beta)
        + p.gamma * p.g * (2.0 * n / inference_flops).powf(p.gamma);
    (lhs - rhs).abs() / lhs
}

#[test]
fn numeric_optimum_matches_chinchilla_closed_form() {
    for p in [ChinchillaParams::HOFFMANN, EPOCH, TEST_A1.at_single_sample()] {
        for c in [1e16, 1e18, 1e21, 5.88e23, 1e25, 1e28] {
            let numeric = numeric_optimum(&ModelParams::Chinchilla(p), &PAPER, budget(c, 1.4e11)).unwrap();
            let (n, d) = p.compute_optimal(c);
            assert_eq!(numeric.location, Location::Interior);
            assert!(
                rel(numeric.params, n) < 1e-6,
                "{p:?} C={c:e}: {} vs {n}",
                numeric.params
            );
            assert!(rel(numeric.tokens, d) < 1e-6);
        }
    }
}

/// When every affordable k is below 1 near the optimum, k is clipped to 1 and the Approach 1 optimum is its
/// k = 1 law's closed form. On this flat law (large A, B; small α, β) Brent, with steps below √ε·|x|, once
/// stopped 7e-6 from it in ln N (found by the property test below).
#[test]
fn clipped_k_optimum_is_the_closed_form_on_a_flat_law() {
    let p = Approach1Params {
        e: 0.5,
        a: 2258.5212350546703,
        b: 2960.3798658669443,
        g: 0.01,
        alpha: 0.26990603737264496,
        beta: 0.23450174537813193,
        gamma: 0.05,
    };
    let b = budget(10f64.powf(20.15555438017441), 1e8);
    let t2 = optimum(&ModelParams::Approach1(p), &PAPER, b).unwrap();
    let (n, _) = p.at_single_sample().compute_optimal(b.scale());
    assert!(t2.k_clipped);
    assert!(rel(t2.params, n) < 1e-6, "{} vs {n}", t2.params);
}

#[test]
fn t2_optimum_is_below_chinchilla_for_any_positive_g_and_gamma() {
    for g in [0.01, 0.3, 1.5, 10.0] {
        for gamma in [0.05, 0.2, 0.45, 1.0] {
            let p = Approach1Params { g, gamma, ..TEST_A1 };
            let params = ModelParams::Approach1(p);
            for (c, c_inf) in [
                (1e18, 2e9),
                (1e21, 2e9),
                (1e21, 1.4e11),
                (1e23, 1.4e11),
                (1e25, 1.4e11),
            ] {
                let b = budget(c, c_inf);
                let t2 = optimum(&params, &PAPER, b).unwrap();
                let chin = rule_point(&params, &PAPER, b, Rule::Chinchilla).unwrap();
                assert_eq!(t2.location, Location::Interior, "G={g} γ={gamma} C={c:e}");
                if t2.k_clipped {
                    // Above C_inf/2 the G term is constant (k clipped to 1): the optimum can only coincide.
                    assert!(t2.params <= chin.params * (1.0 + 1e-6));
                } else {
                    assert!(
                        t2.params < chin.params,
                        "G={g} γ={gamma} C={c:e}: {} ≥ {}",
                        t2.params,
                        chin.params
                    );
                    assert!(
                        foc_residual(&p, t2.params, b) < 1e-5,
                        "FOC at G={g} γ={gamma} C={c:e}"
                    );
                }
                assert!(
                    t2.metric <= chin.metric + 1e-12
                        && t2.metric
                            <= plan(&params, &PAPER, b).unwrap().twenty_to_one.unwrap().metric + 1e-12
                );
            }
        }
    }
}

#[test]
fn first_order_condition_holds_at_the_approach1_optimum() {
    for c in [1e18, 1e21, 1e23, 1e25] {
        let b = budget(c, 1.4e11);
        let t2 = optimum(&ModelParams::Approach1(TEST_A1), &PAPER, b).unwrap();
        assert!(!t2.k_clipped);
        assert!(
            foc_residual(&TEST_A1, t2.params, b) < 1e-5,
            "C={c:e}: {}",
            foc_residual(&TEST_A1, t2.params, b)
        );
    }
}

#[test]
fn approach1_frontier_tends_to_a_constant_n_with_linear_tokens_per_param() {
    let p = TEST_A1;
    let c_inf: f64 = 1.4e11;
    // With the B term gone the FOC gives N∞ = (αA/(γG) · (C_inf/2)^γ)^(1/(α+γ)).
    let n_inf =
        (p.alpha * p.a / (p.gamma * p.g) * (c_inf / 2.0).powf(p.gamma)).powf(1.0 / (p.alpha + p.gamma));
    let frontier: Vec<PlanPoint> = [1e19, 1e21, 1e23, 1e25, 1e30, 1e35, 1e40]
        .iter()
        .map(|&c| optimum(&ModelParams::Approach1(p), &PAPER, budget(c, c_inf)).unwrap())
        .collect();
    for w in frontier.windows(2) {
        assert!(w[1].params > w[0].params && w[1].params < n_inf);
    }
    assert!(
        rel(frontier[6].params, n_inf) < 1e-6,
        "{} vs {n_inf}",
        frontier[6].params
    );
    // D*/N* = C/(6N*²) grows linearly in C once N* has settled: ×1e5 in C gives ×1e5 in D*/N*.
    assert!(rel(frontier[6].tokens_per_param / frontier[5].tokens_per_param, 1e5) < 1e-4);
}

#[test]
fn approach2_optimum_maximises_pass_at_k() {
    let p = ModelParams::Approach2(Approach2Params {
        loss: EPOCH,
        theta: [2.5, 6.0, 0.9, 1.0, -0.2],
    });
    for (c, c_inf) in [
        (1e19, 2e9),
        (1e21, 2e9),
        (1e23, 2e9),
        (1e21, 1.4e11),
        (1e23, 1.4e11),
    ] {
        let b = budget(c, c_inf);
        let best = optimum(&p, &PAPER, b).unwrap();
        assert_eq!(best.location, Location::Interior);
        for factor in [0.98, 1.02, 0.5, 2.0] {
            let other = allocate(&p, &PAPER, b, best.params * factor, Location::Rule).unwrap();
            assert!(
                is_better(Metric::PassAtK, best.metric, other.metric),
                "C={c:e} ×{factor}"
            );
        }
        let chin = rule_point(&p, &PAPER, b, Rule::Chinchilla).unwrap();
        assert!(
            best.metric >= chin.metric && best.params <= chin.params * (1.0 + 1e-6),
            "C={c:e}: {best:?} {chin:?}"
        );
    }
}

#[test]
fn k_below_one_is_clipped_and_flagged() {
    // C_inf = 2e6 buys one sample only for N ≤ 1e6; Chinchilla's N* at 1e21 is far larger.
    let b = budget(1e21, 2e6);
    let chin = rule_point(&ModelParams::Approach1(TEST_A1), &PAPER, b, Rule::Chinchilla).unwrap();
    assert!(chin.k_clipped && chin.samples == 1.0 && chin.samples_affordable < 1.0);
    assert_eq!(chin.metric, TEST_A1.loss(chin.params, chin.tokens, 1.0));
    let ok = rule_point(
        &ModelParams::Approach1(TEST_A1),
        &PAPER,
        budget(1e21, 1.4e11),
        Rule::Chinchilla,
    )
    .unwrap();
    assert!(!ok.k_clipped && ok.samples == ok.samples_affordable);
}

#[test]
fn reference_points_and_budget_checks() {
    let b = budget(5.88e23, 1.4e11);
    let rule = rule_point(
        &ModelParams::Chinchilla(ChinchillaParams::HOFFMANN),
        &PAPER,
        b,
        Rule::TwentyToOne,
    )
    .unwrap();
    assert!(
        rel(rule.tokens_per_param, 20.0) < 1e-12 && rel(6.0 * rule.params * rule.tokens, 5.88e23) < 1e-12
    );
    assert!(
        Budget::new(f64::NAN, 1.0).is_err()
            && Budget::new(1e20, 0.0).is_err()
            && Budget::new(5.0, 1.0).is_err()
    );
    let bad = ModelParams::Chinchilla(ChinchillaParams {
        e: f64::NAN,
        ..ChinchillaParams::HOFFMANN
    });
    assert!(matches!(
        numeric_optimum(&bad, &PAPER, b),
        Err(PlanError::NoFiniteMetric { .. })
    ));
}

/// The property test draws its cases from a fixed seed, so every run checks the same 200 cases (set
/// PROPTEST_RNG_SEED to explore others).
fn property_config() -> proptest::prelude::ProptestConfig {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    proptest::prelude::ProptestConfig {
        cases: 200,
        rng_seed: seed.unwrap_or(proptest::test_runner::RngSeed::Fixed(0)),
        ..Default::default()
    }
}

proptest::proptest! {
    #![proptest_config(property_config())]

    /// For any positive G and γ, the Approach 1 optimum lies below the Chinchilla optimum of its own k = 1 law
    /// (the FOC gains the positive term γG·(2N/C_inf)^γ), and satisfies the FOC when k is not clipped.
    #[test]
    fn t2_optimum_below_chinchilla_property(
        alpha in 0.2f64..0.6, beta in 0.2f64..0.6, a in 50f64..3000.0, b in 50f64..3000.0,
        g in 0.01f64..10.0, gamma in 0.05f64..1.5, log_c in 17f64..26.0, log_c_inf in 8f64..13.0,
    ) {
        let p = Approach1Params { e: 0.5, a, b, g, alpha, beta, gamma };
        let params = ModelParams::Approach1(p);
        let bud = budget(10f64.powf(log_c), 10f64.powf(log_c_inf));
        let t2 = optimum(&params, &PAPER, bud).unwrap();
        let chin = rule_point(&params, &PAPER, bud, Rule::Chinchilla).unwrap();
        proptest::prop_assert_eq!(t2.location, Location::Interior);
        // Below, to the optimiser's resolution (√ε in ln N): where γG·(2N/C_inf)^γ is negligible beside αA·N^−α
        // (e.g. N* ≈ 3e3 at C = 1e17 with C_inf = 5e12: a relative shift of 4e-11) the two optima coincide.
        proptest::prop_assert!(t2.params <= chin.params * (1.0 + 1e-6));
        if !t2.k_clipped {
            proptest::prop_assert!(foc_residual(&p, t2.params, bud) < 1e-5);
        }
        proptest::prop_assert!(t2.metric <= chin.metric + 1e-12);
    }
}
