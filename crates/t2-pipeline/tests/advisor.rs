//! The design advisor on simulated sweeps with known truth: its picks shrink the band they aim at, it says why,
//! and a small version of the simulation study holds its claim (the large one: scripts/design_study.sh).

use t2_core::plan::Budget;
use t2_pipeline::advisor::study::{run_study, Strategy, StudySpec, WeakDesign};
use t2_pipeline::advisor::{advise, AdviceRequest, Quantity};

#[test]
fn the_advisor_extends_a_narrow_design_and_the_study_holds_its_claim() {
    let spec = StudySpec {
        sweeps: 4,
        resamples: 40,
        noise: 0.02,
        extra_share: 0.5,
        max_runs: Some(8),
        seed: 3,
    };
    let report = run_study(&spec).unwrap();
    eprint!("{}", report.table());
    assert_eq!(report.outcomes.len(), 4 * Strategy::ALL.len());
    // Every strategy spent at most the budget, the advisor something.
    for o in &report.outcomes {
        assert!(o.spent > 0.0 || o.strategy != Strategy::Advisor, "{o:?}");
    }
    // The advisor's band is narrower than the usual default's and random runs' on most of these sweeps.
    assert!(
        report.narrower_share(Strategy::IsoflopLevel) >= 0.75,
        "{}",
        report.table()
    );
    assert!(
        report.narrower_share(Strategy::Random) >= 0.5,
        "{}",
        report.table()
    );
    let _ = WeakDesign::ALL;
}

#[test]
fn advice_names_its_reasons_and_the_local_band_beside_the_bootstrap_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    // The shipped example sweep, fitted quickly.
    let sweep = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/example_sweep.csv"
    ));
    let ingested = t2_ingest::read_runs(sweep, &Default::default()).unwrap();
    let request = t2_pipeline::FitRequest {
        forms: Some(vec![t2_core::Form::Approach1]),
        task: Some("qa".into()),
        holdout: t2_pipeline::request::Holdout::None,
        bootstrap: Some(t2_fit::bootstrap::BootstrapOptions::new(40, 0, 0.95).unwrap()),
        ..t2_pipeline::FitRequest::sweep()
    };
    let file =
        t2_pipeline::sweep::fit_sweep(&ingested, &request, vec![], &t2_pipeline::sweep::Silent).unwrap();
    file.write(&path, &[]).unwrap();
    let fit = &file.fits[0];
    let advice = advise(
        fit,
        &AdviceRequest {
            budget: 1e20,
            max_run_flops: Some(3e19),
            target: Budget::new(1e23, 1.4e11).unwrap(),
            quantity: Quantity::NStar,
            candidates: None,
            max_runs: Some(8),
        },
    )
    .unwrap();
    assert!(!advice.picks.is_empty() && advice.picks.len() <= 8 && advice.spent <= 1e20);
    assert!(advice.spent > 0.5e20, "the budget is spent: {}", advice.spent);
    assert!(advice.picks.iter().all(|p| p.train_flops <= 3e19));
    assert!(advice.sd_after < advice.sd_now);
    for w in advice.picks.windows(2) {
        assert!(
            (w[1].sd_before - w[0].sd_after).abs() < 1e-12,
            "each pick conditions the next"
        );
    }
    assert!(advice.picks.iter().all(|p| !p.reason.is_empty()));
    let ratio = advice.band_ratio.unwrap();
    assert!(ratio > 0.0 && ratio.is_finite());
    assert_eq!(advice.warning.is_some(), !(0.5..=2.0).contains(&ratio));
}
