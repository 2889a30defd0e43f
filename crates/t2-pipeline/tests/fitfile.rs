//! Fuzz target of the fit-file round trip, as a property test: fit files with NaN and infinities in any number
//! (parameters, estimates, intervals, covariance, predictions, the objective) are written and read back to the
//! same file; and files of another version or kind are refused with a clear message.

mod fixture;

use std::path::Path;

use proptest::prelude::*;
use t2_core::ModelParams;
use t2_pipeline::FitFile;

/// A value in the file replaced by a non-finite one or kept.
fn special() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        1 => Just(Some(f64::NEG_INFINITY)),
    ]
}

/// `file` with the chosen numbers replaced.
fn degenerate(mut file: FitFile, picks: &[Option<f64>]) -> FitFile {
    let mut next = picks.iter().cycle();
    let mut take = |v: &mut f64| {
        if let Some(Some(x)) = next.next() {
            *v = *x;
        }
    };
    for fit in &mut file.fits {
        match &mut fit.params {
            ModelParams::Chinchilla(p) => take(&mut p.e),
            ModelParams::Approach1(p) => take(&mut p.alpha),
            ModelParams::Approach2(p) | ModelParams::Chained(p) => take(&mut p.theta[1]),
        }
        for e in &mut fit.estimates {
            take(&mut e.value);
            if let Some(lo) = e.lo.as_mut() {
                take(lo);
            }
        }
        take(&mut fit.objective.value);
        take(&mut fit.objective.r_squared);
        take(&mut fit.diagnostics.grad_norm);
        for p in fit.predictions.iter_mut().take(5) {
            take(&mut p.predicted);
        }
        if let Some(b) = fit.bootstrap.as_mut() {
            b.covariance = vec![vec![0.0, f64::NAN], vec![f64::INFINITY, 1.0]];
        }
        // As t2 judges such a fit: a parameter that is not finite makes it unreliable.
        t2_pipeline::fitfile::distrust_non_finite(fit);
    }
    file
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: proptest::test_runner::RngSeed::Fixed(0), ..ProptestConfig::default() })]

    #[test]
    fn degenerate_fit_files_read_back_as_written(picks in prop::collection::vec(special(), 1..40)) {
        let file = degenerate(fixture::fit_file(4, 1.0), &picks);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fit.json");
        file.write(&path, &[]).unwrap();
        let back = FitFile::read(&path).unwrap().to_json();
        // Equal text: every number read back to the same bits (serde_json's float_roundtrip in the JSON, f64 in
        // the Parquet sidecars), every non-finite one spelled out; the draws and predictions back in place.
        prop_assert!(back == file.to_json(), "the file changed on reading it back");
        let written = std::fs::read_to_string(&path).unwrap();
        prop_assert!(written.contains("\"sidecars\"") && written.len() < file.to_json().len());
    }
}

#[test]
fn other_files_are_refused_with_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        FitFile::read(&path).unwrap_err().to_string()
    };
    let v1 = write("v1.json", r#"{"t2_version": "0.1.0", "command": [], "fits": []}"#);
    assert!(v1.contains("format version 1") && v1.contains("refit it"), "{v1}");
    let plan = write("plan.json", r#"[{"form": "approach1", "rows": []}]"#);
    assert!(plan.contains("is a plan file"), "{plan}");
    let empty = fixture::fit_file(0, 1.0);
    let mut value: serde_json::Value = serde_json::from_str(&empty.to_json()).unwrap();
    value["fits"] = serde_json::json!([]);
    let none = write("none.json", &value.to_string());
    assert!(none.contains("holds no fits"), "{none}");
    let future = write("v9.json", r#"{"format": "t2-fit", "version": 9}"#);
    assert!(future.contains("format version 9"), "{future}");
    let dir_err = FitFile::read(dir.path()).unwrap_err().to_string();
    assert!(dir_err.contains("is a directory"), "{dir_err}");
}

#[test]
fn sidecars_are_checked_and_version_2_files_read_inline() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture::fit_file(6, 1.0);
    let path = dir.path().join("fit.json");
    file.write(&path, &[]).unwrap();
    let (draws, predictions) = sidecar_paths(&path);
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name(&draws).starts_with("fit.draws.") && name(&predictions).starts_with("fit.predictions."));
    // Another fit's sidecar in place of this one's: refused, not mixed in.
    let original = std::fs::read(&draws).unwrap();
    let other = dir.path().join("other.json");
    fixture::fit_file(6, 2.0).write(&other, &[]).unwrap();
    std::fs::copy(sidecar_paths(&other).0, &draws).unwrap();
    let mixed = FitFile::read(&path).unwrap_err().to_string();
    assert!(mixed.contains("is not the one written with it"), "{mixed}");
    std::fs::write(&draws, original).unwrap();
    assert_eq!(FitFile::read(&path).unwrap().fits, file.fits);
    std::fs::remove_file(&predictions).unwrap();
    let missing = FitFile::read(&path).unwrap_err().to_string();
    assert!(
        missing.contains(&format!("{} is missing", name(&predictions))),
        "{missing}"
    );
    // A version 2 file holds its draws and predictions inline.
    let mut inline: serde_json::Value = serde_json::from_str(&file.to_json()).unwrap();
    inline["version"] = serde_json::json!(2);
    let v2 = dir.path().join("v2.json");
    std::fs::write(&v2, inline.to_string()).unwrap();
    let back = FitFile::read(&v2).unwrap();
    assert_eq!(back.fits, file.fits);
    assert!(back
        .fits
        .iter()
        .any(|f| f.bootstrap.as_ref().is_some_and(|b| !b.draws.is_empty())));
}

/// Fit files written before Approach 1's projected starts hold the count of random starts as a bare number:
/// they read as that many random starts, and the new files' tagged starts read back as written.
#[test]
fn approach1_start_counts_of_older_files_read_as_random_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixture::fit_file(6, 1.0);
    let path = dir.path().join("fit.json");
    file.write(&path, &[]).unwrap();
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        written["request"]["approach1"]["starts"],
        serde_json::json!({"projected": {"polish": 8}})
    );
    assert_eq!(FitFile::read(&path).unwrap().request, file.request);
    let mut older = written;
    older["request"]["approach1"]["starts"] = serde_json::json!(500);
    std::fs::write(&path, older.to_string()).unwrap();
    assert_eq!(
        FitFile::read(&path).unwrap().request.approach1.starts,
        t2_fit::approach1::Approach1Starts::Random { count: 500 }
    );
}

/// The sidecar paths a fit file's JSON names.
fn sidecar_paths(path: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = path.parent().unwrap();
    let of = |field: &str| dir.join(json["sidecars"][field].as_str().unwrap());
    (of("draws"), of("predictions"))
}

/// The files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_rewrite_keeps_the_old_set_until_the_json_is_renamed_and_leaves_one_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    let old = fixture::fit_file(6, 1.0);
    old.write(&path, &[]).unwrap();
    // A writer killed after its sidecars, before its JSON: the new sidecars sit beside the old set, which reads.
    let new = fixture::fit_file(6, 2.0);
    let mut light = new.clone();
    t2_pipeline::sidecar::split(&mut light.fits, &path).unwrap();
    assert_eq!(listing(dir.path()).len(), 5, "{:?}", listing(dir.path()));
    assert_eq!(FitFile::read(&path).unwrap().fits, old.fits);
    // The next whole write leaves its own set and nothing else.
    new.write(&path, &[]).unwrap();
    assert_eq!(FitFile::read(&path).unwrap().fits, new.fits);
    assert_eq!(listing(dir.path()).len(), 3, "{:?}", listing(dir.path()));
    // Writing the same fit again names the same sidecars.
    let before = listing(dir.path());
    new.write(&path, &[]).unwrap();
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn concurrent_writers_of_one_fit_leave_one_of_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    let files = [fixture::fit_file(6, 1.0), fixture::fit_file(6, 3.0)];
    let all = &files;
    std::thread::scope(|scope| {
        for file in all {
            let path = &path;
            scope.spawn(move || {
                for _ in 0..10 {
                    file.write(path, &[]).unwrap();
                    // Every read in between sees a whole fit.
                    let read = FitFile::read(path).unwrap();
                    assert!(all.iter().any(|f| f.fits == read.fits));
                }
            });
        }
    });
    let last = FitFile::read(&path).unwrap();
    assert!(files.iter().any(|f| f.fits == last.fits));
    assert_eq!(listing(dir.path()).len(), 3, "{:?}", listing(dir.path()));
}

#[test]
fn a_sidecar_name_outside_the_fits_folder_is_refused_before_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    fixture::fit_file(6, 1.0).write(&path, &[]).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for hostile in [
        "/etc/passwd",
        "../fit.draws.x.parquet",
        "sub/fit.draws.x.parquet",
        "other.draws.x.parquet",
    ] {
        let mut edited = json.clone();
        edited["sidecars"]["draws"] = serde_json::json!(hostile);
        std::fs::write(&path, edited.to_string()).unwrap();
        let error = FitFile::read(&path).unwrap_err().to_string();
        assert!(error.contains("sidecars.draws"), "{hostile}: {error}");
        assert!(
            !error.contains("hash differs") && !error.contains("missing"),
            "{hostile}: {error}"
        );
    }
}
