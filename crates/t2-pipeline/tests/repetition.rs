//! Sweeps that repeated data: fitted on D′ with R*_D fixed or fitted, recovered from a simulated sweep with known
//! R*_D, and refused where the sweep cannot identify it.

use std::fmt::Write as _;
use std::path::Path;

use t2_core::plan::DataLimit;
use t2_core::rng::Rng;
use t2_core::{ChinchillaParams, Form, ModelParams};
use t2_pipeline::repetition::Repetition;
use t2_pipeline::sweep::{fit_sweep, Silent};
use t2_pipeline::{Error, FitRequest};

const TRUTH: ChinchillaParams = ChinchillaParams {
    e: 1.8,
    a: 480.0,
    b: 2100.0,
    alpha: 0.34,
    beta: 0.37,
};
const TRUE_HORIZON: f64 = 5.0;

/// A sweep of 4 sizes × 2 unique-data sizes × the epochs given, its loss L(N, D′) with 1% noise.
fn sweep(dir: &Path, epochs: &[f64]) -> t2_ingest::Ingested {
    let mut rng = Rng::new(11);
    let mut csv = String::from("params,tokens,k,loss,unique_tokens\n");
    for n in [1e7, 3e7, 1e8, 3e8] {
        for u in [1e9, 3.3e9] {
            let wall = DataLimit::new(u, TRUE_HORIZON).unwrap();
            for &e in epochs {
                let d = e * u;
                let loss = TRUTH.loss(n, wall.effective_tokens(d)) * (1.0 + 0.01 * rng.normal());
                let _ = writeln!(csv, "{n},{d},1,{loss},{u}");
            }
        }
    }
    let path = dir.join("repeated.csv");
    std::fs::write(&path, csv).unwrap();
    t2_ingest::read_runs(&path, &Default::default()).unwrap()
}

fn request(repetition: Repetition) -> FitRequest {
    FitRequest {
        forms: Some(vec![Form::Chinchilla]),
        bootstrap: None,
        repetition,
        ..FitRequest::chinchilla()
    }
}

#[test]
fn a_known_repetition_horizon_is_recovered_and_the_law_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let ingested = sweep(dir.path(), &[0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]);
    let file = fit_sweep(&ingested, &request(Repetition::Fitted), vec![], &Silent).unwrap();
    let rep = file.repetition.as_ref().unwrap();
    assert!(rep.fitted && rep.rows_repeated == 4 * 2 * 6 && rep.max_epochs == 64.0);
    assert!(
        (rep.horizon / TRUE_HORIZON - 1.0).abs() < 0.15,
        "R*_D = {}",
        rep.horizon
    );
    // The law fitted on D′ predicts the true law's loss at a run far past the sweep (1e9 parameters on 20× its
    // unique 1e10 tokens) to within a few percent.
    let ModelParams::Chinchilla(p) = file.fits[0].params else {
        panic!()
    };
    let (n, u) = (1e9, 1e10);
    let truth = TRUTH.loss(
        n,
        DataLimit::new(u, TRUE_HORIZON)
            .unwrap()
            .effective_tokens(20.0 * u),
    );
    let fitted = p.loss(
        n,
        DataLimit::new(u, rep.horizon).unwrap().effective_tokens(20.0 * u),
    );
    assert!((fitted / truth - 1.0).abs() < 0.03, "{fitted} vs {truth}");
    assert!(file
        .notes
        .iter()
        .any(|n| n.contains("fitted on the data-constrained D′")));
    // Fitting on the raw D instead (the repetition ignored) misses: its objective is worse than on D′.
    let fixed = fit_sweep(
        &ingested,
        &request(Repetition::Fixed { horizon: 1e6 }),
        vec![],
        &Silent,
    )
    .unwrap();
    assert!(fixed.fits[0].objective.value > 1.5 * file.fits[0].objective.value);
}

#[test]
fn a_sweep_that_barely_repeats_cannot_identify_the_horizon_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let ingested = sweep(dir.path(), &[0.25, 0.5, 1.0, 1.5, 2.0]);
    match fit_sweep(&ingested, &request(Repetition::Fitted), vec![], &Silent) {
        Err(Error::Option { message, .. }) => {
            assert!(message.starts_with("R*_D cannot be identified"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // A fixed horizon fits it, on D′.
    let file = fit_sweep(&ingested, &request(Repetition::default()), vec![], &Silent).unwrap();
    let rep = file.repetition.unwrap();
    assert!(!rep.fitted && rep.horizon == t2_core::plan::MUENNIGHOFF_REPETITION_HORIZON);
}

#[test]
fn a_bad_unique_tokens_cell_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "params,tokens,k,loss,unique_tokens\n1e7,1e9,1,3.0,1e9\n1e7,2e9,1,2.9,zero\n",
    )
    .unwrap();
    let err = t2_ingest::read_runs(&path, &Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 3") && err.contains("unique_tokens") && err.contains("≥ 1"),
        "{err}"
    );
}
