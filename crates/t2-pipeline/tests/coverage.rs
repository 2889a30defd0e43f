//! A small run of the coverage study (`scripts/coverage.sh` runs the large one): on sweeps simulated from the
//! very laws the forms fit, the bands hold the truth's N* at about their level, and a law of the right shape
//! is not told that it fails to describe its data (the k-gain test) or to predict it (the persistence check).

use t2_core::Form;
use t2_fit::trust::Verdict;
use t2_pipeline::coverage::{run_study, StudySpec};

#[test]
fn bands_cover_the_truth_and_right_laws_describe_and_predict() {
    let report = run_study(&StudySpec {
        sweeps: 10,
        resamples: 100,
        noise: 0.01,
        problems: 500,
        seed: 3,
    })
    .unwrap();
    assert_eq!(report.outcomes.len(), 30, "{report:?}");
    // 95% bands: at most 3 of 30 misses (P(≥ 4 misses) ≈ 6% at the nominal rate).
    let misses = report.outcomes.iter().filter(|o| !o.covered).count();
    assert!(misses <= 3, "{}", report.table(0.95));
    for form in [Form::Approach1, Form::Approach2] {
        assert_eq!(
            report.share(form, |o| o.predicts == Verdict::Ok),
            1.0,
            "{}",
            report.table(0.95)
        );
    }
    assert_eq!(
        report.share(Form::Approach1, |o| o.describes == Verdict::Ok),
        1.0,
        "{}",
        report.table(0.95)
    );
    // Approach 1's bands are the narrowest: its loss is observed at every k.
    let median = |form: Form| {
        let mut w: Vec<f64> = report.of(form).iter().map(|o| o.band_decades).collect();
        w.sort_by(f64::total_cmp);
        w[w.len() / 2]
    };
    assert!(median(Form::Approach1) < median(Form::Approach2));
}
