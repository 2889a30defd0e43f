//! Per-problem inputs aggregated to run tables: sampled (unbiased pass@k) and likelihood (real k).

mod common;

use common::{close, read};
use t2_ingest::{IngestOptions, InputKind};

/// sampled_ok.csv by hand (unbiased pass@k = 1 − C(n−c, k)/C(n, k)):
/// m1: (n, c) = (4, 1), (8, 0), (10, 10); smallest n = 4, so k ∈ {1, 2, 4}.
///   k=1: (1/4 + 0 + 1)/3; k=2: (1 − 3/6 + 0 + 1)/3 = 0.5; k=4: (1 + 0 + 1)/3.
/// m2: (16, 3), (16, 5), (2, 1); smallest n = 2, so k ∈ {1, 2}.
///   k=1: (3/16 + 5/16 + 1/2)/3 = 1/3; k=2: (1 − 78/120 + 1 − 55/120 + 1)/3.
/// m0: (4, 0), (4, 0): no correct sample, so pass@k = 0 at k ∈ {1, 2, 4}: kept (data for a pass@k law),
/// with the loss −ln 0 = +∞ that tells the loss laws to leave the rows out.
#[test]
fn sampled_default_grid_matches_hand_computation() {
    let ingested = read("sampled_ok.csv", &IngestOptions::default()).unwrap();
    assert_eq!(ingested.report.kind, InputKind::Sampled);
    let t = &ingested.table;
    assert_eq!(t.params, vec![1e6, 1e6, 1e6, 4e6, 4e6, 5e5, 5e5, 5e5]);
    assert_eq!(t.k, vec![1.0, 2.0, 4.0, 1.0, 2.0, 1.0, 2.0, 4.0]);
    let expected = [
        1.25 / 3.0,
        0.5,
        2.0 / 3.0,
        1.0 / 3.0,
        (42.0 / 120.0 + 65.0 / 120.0 + 1.0) / 3.0,
        0.0,
        0.0,
        0.0,
    ];
    let pass = t.pass_at_k.as_ref().unwrap();
    let loss = t.loss.as_ref().unwrap();
    for i in 0..expected.len() {
        assert!(
            close(pass[i], expected[i], 1e-14),
            "row {i}: {} vs {}",
            pass[i],
            expected[i]
        );
        let want = -expected[i].ln();
        assert!(loss[i] == want || close(loss[i], want, 1e-13), "row {i}");
    }
    assert_eq!(loss[5], f64::INFINITY);
    let model = t.extra.iter().find(|c| c.name == "model").unwrap();
    assert_eq!(model.values, vec!["m1", "m1", "m1", "m2", "m2", "m0", "m0", "m0"]);
    let problems = t.extra.iter().find(|c| c.name == "problems").unwrap();
    assert_eq!(problems.values, ["3", "3", "3", "3", "3", "2", "2", "2"]);
    assert_eq!(ingested.source_rows[0].iter().collect::<Vec<_>>(), vec![2, 3, 4]);
    assert_eq!(ingested.source_rows[4].iter().collect::<Vec<_>>(), vec![5, 6, 7]);
    assert_eq!(ingested.source_rows[5].iter().collect::<Vec<_>>(), vec![8, 9]);
    assert!(ingested.report.dropped.is_empty());
    // Each checkpoint's (n, c) histogram, for the per-checkpoint floor.
    let counts: Vec<_> = ingested.problem_counts.iter().map(|c| c.counts.clone()).collect();
    assert_eq!(counts[2], vec![(4.0, 0.0, 2.0)]);
    assert_eq!(
        counts[0],
        vec![(4.0, 1.0, 1.0), (8.0, 0.0, 1.0), (10.0, 10.0, 1.0)]
    );
    let warnings = &ingested.report.warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("pass@k = 0 on 3 rows of 1 checkpoint (")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("different numbers of problems (2 to 3)")),
        "{warnings:?}"
    );
}

#[test]
fn sampled_drop_unestimable_leaves_problems_out_for_that_k_only() {
    let opts = IngestOptions {
        k_grid: Some(vec![8.0, 1.0]),
        drop_unestimable: true,
        ..Default::default()
    };
    let ingested = read("sampled_ok.csv", &opts).unwrap();
    let t = &ingested.table;
    // m0's two problems have 4 samples: no estimate at k = 8, so m0 has its k = 1 row only.
    assert_eq!(t.k, vec![1.0, 8.0, 1.0, 8.0, 1.0]);
    let pass = t.pass_at_k.as_ref().unwrap();
    // k = 8, m1: p1 (n = 4) left out; p2 gives 0 and p3 gives 1. m2: p3 (n = 2) left out;
    // p1: 1 − C(13,8)/C(16,8) = 1 − 1287/12870, p2: 1 − C(11,8)/C(16,8) = 1 − 165/12870.
    assert!(close(pass[0], 1.25 / 3.0, 1e-14));
    assert!(close(pass[1], 0.5, 1e-14));
    assert!(
        close(pass[3], (2.0 - 1452.0 / 12870.0) / 2.0, 1e-14),
        "{}",
        pass[3]
    );
    assert_eq!(ingested.source_rows[1].iter().collect::<Vec<_>>(), vec![3, 4]);
    let problems = t.extra.iter().find(|c| c.name == "problems").unwrap();
    assert_eq!(problems.values, vec!["3", "2", "3", "2", "2"]);
    let unestimable = ingested
        .report
        .dropped
        .iter()
        .find(|d| d.reason.contains("samples < k = 8"))
        .unwrap();
    assert_eq!(
        (unestimable.count, unestimable.rows.iter().collect::<Vec<_>>()),
        (4, vec![2, 7, 8, 9])
    );
}

/// At k = 4 with problem a (2 samples) left out, only b (no correct sample) remains: pass@4 = 0 is kept, with an
/// infinite loss, not dropped.
#[test]
fn sampled_zero_aggregate_after_dropping_is_kept_with_an_infinite_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.csv");
    std::fs::write(
        &path,
        "params,tokens,problem,samples,correct\n1e6,2e9,a,2,1\n1e6,2e9,b,8,0\n",
    )
    .unwrap();
    let opts = IngestOptions {
        k_grid: Some(vec![1.0, 4.0]),
        drop_unestimable: true,
        ..Default::default()
    };
    let ingested = t2_ingest::read_runs(&path, &opts).unwrap();
    assert_eq!(ingested.table.k, vec![1.0, 4.0]);
    assert_eq!(ingested.table.pass_at_k.as_ref().unwrap(), &vec![0.25, 0.0]);
    assert_eq!(ingested.table.loss.as_ref().unwrap()[1], f64::INFINITY);
    assert_eq!(ingested.source_rows[1].iter().collect::<Vec<_>>(), vec![3]);
}

/// likelihood_ok.csv: checkpoints (1e6, a) with nll 0.5 and 3.0, (1e6, b) with nll 40, (2e6, a) with nll 0.25.
/// pass@k = mean[1 − (1 − p)^k], loss = mean[−ln(1 − (1 − p)^k)], p = e^−nll, for real k.
#[test]
fn likelihood_aggregates_for_real_k_and_tiny_p() {
    let opts = IngestOptions {
        k_grid: Some(vec![1.0, 2.5]),
        ..Default::default()
    };
    let ingested = read("likelihood_ok.csv", &opts).unwrap();
    assert_eq!(ingested.report.kind, InputKind::Likelihood);
    let t = &ingested.table;
    assert_eq!(t.task.as_deref().unwrap(), &["a", "a", "b", "b", "a", "a"]);
    assert_eq!(t.k, vec![1.0, 2.5, 1.0, 2.5, 1.0, 2.5]);
    let direct = |nll: f64, k: f64| 1.0 - (1.0 - (-nll).exp()).powf(k);
    let pass = t.pass_at_k.as_ref().unwrap();
    let loss = t.loss.as_ref().unwrap();
    let expected_pass = (direct(0.5, 2.5) + direct(3.0, 2.5)) / 2.0;
    let expected_loss = (-direct(0.5, 2.5).ln() - direct(3.0, 2.5).ln()) / 2.0;
    assert!(close(pass[1], expected_pass, 1e-14) && close(loss[1], expected_loss, 1e-13));
    // k = 1: pass = mean p, loss = mean nll.
    assert!(close(loss[0], 1.75, 1e-13) && close(pass[4], (-0.25f64).exp(), 1e-15));
    // nll = 40: p = 4e-18, where 1 − (1 − p)^k rounds to 0 in direct form; the stable form gives k·p and
    // loss = nll − ln k.
    assert!(
        close(pass[3] / (2.5 * (-40.0f64).exp()), 1.0, 1e-12),
        "{}",
        pass[3]
    );
    assert!(close(loss[3], 40.0 - 2.5f64.ln(), 1e-9), "{}", loss[3]);
}

#[test]
fn likelihood_default_grid_is_powers_of_two_to_1024() {
    let ingested = read("likelihood_ok.csv", &IngestOptions::default()).unwrap();
    let first: Vec<f64> = ingested.table.k[..11].to_vec();
    assert_eq!(first, (0..=10).map(|j| 2f64.powi(j)).collect::<Vec<_>>());
    assert_eq!(ingested.table.len(), 33);
}

#[test]
fn a_file_whose_rows_are_all_dropped_is_an_error_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("few_samples.csv");
    std::fs::write(
        &path,
        "params,tokens,problem,samples,correct\n1e6,2e9,a,4,0\n1e6,2e9,b,4,1\n",
    )
    .unwrap();
    let opts = IngestOptions {
        k_grid: Some(vec![8.0]),
        drop_unestimable: true,
        ..Default::default()
    };
    let err = t2_ingest::read_runs(&path, &opts).unwrap_err();
    assert!(
        err.message
            .contains("no usable rows remain; dropped 2 rows: problem with samples < k = 8"),
        "{err}"
    );
}

#[test]
fn a_checkpoint_that_solves_everything_has_loss_zero_not_minus_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all_right.csv");
    std::fs::write(
        &path,
        "params,tokens,problem,samples,correct\n1e8,2e9,a,4,4\n1e8,2e9,b,4,4\n",
    )
    .unwrap();
    let ingested = t2_ingest::read_runs(&path, &IngestOptions::default()).unwrap();
    let loss = ingested.table.loss.unwrap();
    assert!(loss.iter().all(|l| l.to_bits() == 0.0f64.to_bits()), "{loss:?}");
}
