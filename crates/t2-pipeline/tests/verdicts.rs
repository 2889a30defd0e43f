//! The verdicts on real data: every fit of the shipped example sweep is `ok`; on Pythia GSM8K the Approach 1
//! fit is not, and says why (its scale parameters unidentified, its residuals bent in k), Chinchilla's E → 0 is
//! reported, and the plan carries it.

#[path = "../../shared_data.rs"]
mod shared_data;

use t2_core::Form;
use t2_fit::bootstrap::BootstrapOptions;
use t2_fit::trust::{Check, Verdict};
use t2_ingest::IngestOptions;
use t2_pipeline::plan::{plan_fit_file, FlopsSpec, Scenario};
use t2_pipeline::request::FitRequest;
use t2_pipeline::sweep::{fit_sweep, Silent};

fn request(resamples: usize) -> FitRequest {
    FitRequest {
        bootstrap: Some(BootstrapOptions::new(resamples, 0, 0.95).unwrap()),
        ..FitRequest::sweep()
    }
}

#[test]
fn the_example_sweep_is_ok_everywhere() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/example_sweep.csv");
    let ingested = t2_ingest::read_runs(&path, &IngestOptions::default()).unwrap();
    let file = fit_sweep(&ingested, &request(30), vec!["test".into()], &Silent).unwrap();
    assert_eq!(file.fits.len(), 12);
    for fit in &file.fits {
        assert_eq!(
            fit.trust.verdict,
            Verdict::Ok,
            "{}: {:?}",
            fit.label(),
            fit.trust.reasons
        );
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_approach1_is_not_ok_and_says_why() {
    let path = shared_data::shared_data("pythia_gsm8k_per_problem.parquet");
    let ingested = t2_ingest::read_runs(&path, &IngestOptions::default()).unwrap();
    let file = fit_sweep(&ingested, &request(40), vec!["test".into()], &Silent).unwrap();
    let fit = |form: Form| file.fits.iter().find(|f| f.form == form).unwrap();
    let a1 = fit(Form::Approach1);
    assert_eq!(a1.trust.verdict, Verdict::Unreliable, "{:?}", a1.trust.reasons);
    let checks: Vec<Check> = a1.trust.reasons.iter().map(|r| r.check).collect();
    for check in [
        Check::ScaleSpread,
        Check::ResidualTrend,
        Check::Floor,
        Check::RSquared,
    ] {
        assert!(checks.contains(&check), "{check:?} missing in {checks:?}");
    }
    let chinchilla = fit(Form::Chinchilla);
    assert!(
        chinchilla
            .diagnostics
            .at_bound
            .iter()
            .any(|b| b.starts_with("E -> 0")),
        "{:?}",
        chinchilla.diagnostics.at_bound
    );
    assert_ne!(chinchilla.trust.verdict, Verdict::Ok);
    // The floor: a Beta-binomial per checkpoint explains the k-shape far better than any form.
    let floor = a1.floor.unwrap();
    assert!(
        floor.floor_rmse < 0.7 && floor.form_rmse > 2.0 * floor.floor_rmse,
        "{floor:?}"
    );
    // Zero-success checkpoints are kept for Approach 2 and left out of the loss forms, with their rows.
    let a2 = fit(Form::Approach2);
    assert_eq!(a2.objective.rows_used, ingested.table.len());
    assert!(a1
        .rows_left_out
        .iter()
        .any(|r| r.reason.contains("no sample was correct") && r.count > 0));
    // The plan carries the verdict at every budget.
    let scenario = Scenario::per_query(FlopsSpec::List(vec![1e21, 1e23]), 2, 1.4e11);
    let plans = plan_fit_file(&file, &scenario.check().unwrap()).unwrap();
    let a1_plan = plans.iter().find(|p| p.form == Form::Approach1).unwrap();
    assert!(a1_plan
        .rows
        .iter()
        .all(|r| r.trust.verdict == Verdict::Unreliable));
}
