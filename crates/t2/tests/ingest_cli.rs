//! `t2 ingest` and `t2 inspect` end to end: the binary on the reference data and on bad files.

use std::path::{Path, PathBuf};

#[path = "../../shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

mod cli_support;
use cli_support::{t2, text};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../t2-ingest/tests/fixtures")
        .join(name)
}

fn epoch_mapping(path: &Path) -> Vec<String> {
    ["--col", "params=Model Size", "--col", "train_flops=Training FLOP"]
        .iter()
        .map(|s| s.to_string())
        .chain([path.display().to_string()])
        .collect()
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn ingest_epoch_csv_through_column_mapping_writes_245_rows() {
    let path = shared_data("chinchilla_epoch_svg.csv");
    let dir = tempfile::tempdir().unwrap();
    for ext in ["csv", "parquet"] {
        let out = dir.path().join(format!("epoch.{ext}"));
        let mut args = vec!["ingest".to_string()];
        args.extend(epoch_mapping(&path));
        args.extend(["--out".to_string(), out.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = t2(&args);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(
            text(&output.stdout).contains("wrote 245 rows"),
            "{}",
            text(&output.stdout)
        );
        let back = t2_ingest::read_runs(&out, &Default::default()).unwrap();
        assert_eq!(back.table.len(), 245);
        assert!(back.table.k.iter().all(|&k| k == 1.0));
        assert_eq!(back.table.params[0], 6795600349.289497);
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn inspect_json_summarises_the_epoch_csv() {
    let path = shared_data("chinchilla_epoch_svg.csv");
    let mut args = vec!["inspect".to_string(), "--format".to_string(), "json".to_string()];
    args.extend(epoch_mapping(&path));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = t2(&args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &json["summary"];
    assert_eq!(summary["rows"], 245);
    assert_eq!(summary["checkpoints"], 245);
    assert_eq!(summary["k_grid"], serde_json::json!([1.0]));
    assert_eq!(json["report"]["kind"], "run");
    let loss = &summary["loss"];
    assert!(
        loss["min"].as_f64().unwrap() > 2.0 && loss["max"].as_f64().unwrap() < 5.1,
        "{loss}"
    );
    let warnings = summary["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("k is 1 everywhere")),
        "{warnings:?}"
    );
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn inspect_pythia_per_problem_prints_the_k_grid_and_the_dropped_checkpoints() {
    let path = shared_data("pythia_gsm8k_per_problem.parquet");
    let output = t2(&["inspect", path.to_str().unwrap(), "--k", "1,10,100"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("k grid          1, 10, 100"), "{stdout}");
    // Two checkpoints have no correct sample at all: kept (pass@k = 0 is data for Approach 2), and reported.
    assert!(stdout.contains("checkpoints     81"), "{stdout}");
    assert!(
        stdout.contains("pass@k = 0 on 6 rows of 2 checkpoints (no sample correct"),
        "{stdout}"
    );
}

#[test]
fn a_bad_file_exits_non_zero_naming_file_row_and_column() {
    let bad = fixture("bad_non_numeric.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let output = t2(&["ingest", bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("bad_non_numeric.csv, row 3, column 'params': not a number: 'abc'"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written for a bad input");
    let output = t2(&["inspect", fixture("bad_missing_column.csv").to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("column 'params': missing column"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_bad_option_exits_non_zero() {
    let output = t2(&[
        "inspect",
        fixture("runs_ok.csv").to_str().unwrap(),
        "--col",
        "params",
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("CANONICAL=NAME"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn help_shows_examples() {
    for command in [&["ingest", "--help"][..], &["inspect", "--help"]] {
        let output = t2(command);
        assert!(output.status.success());
        let stdout = text(&output.stdout);
        assert!(
            stdout.contains("Examples:") && stdout.contains("--col params="),
            "{stdout}"
        );
    }
}

#[test]
fn drop_unestimable_reaches_the_reader_and_is_reported() {
    let sampled = fixture("sampled_ok.csv");
    let path = sampled.to_str().unwrap();
    let output = t2(&["inspect", path, "--k", "1,8"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("row 2, column 'samples': k = 8 exceeds samples = 4"),
        "{}",
        text(&output.stderr)
    );
    let output = t2(&["inspect", path, "--k", "1,8", "--drop-unestimable"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    // Row 2 (m1) and rows 8, 9 (m0, whose samples are all wrong) have 4 samples, row 7 (m2) has 2.
    assert!(
        stdout.contains("dropped 4 rows: problem with samples < k = 8"),
        "{stdout}"
    );
    assert!(stdout.contains("(rows 2, 7, 8, 9)"), "{stdout}");
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn ingest_output_is_identical_for_one_and_two_polars_threads() {
    let path = shared_data("pythia_gsm8k_per_problem.parquet");
    let dir = tempfile::tempdir().unwrap();
    let outputs: Vec<Vec<u8>> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(format!("pythia_{threads}.csv"));
            let status = Command::new(env!("CARGO_BIN_EXE_t2"))
                .args(["ingest", path.to_str().unwrap(), "--out", out.to_str().unwrap()])
                .env("POLARS_MAX_THREADS", threads)
                .status()
                .unwrap();
            assert!(status.success());
            std::fs::read(&out).unwrap()
        })
        .collect();
    assert!(outputs[0].len() > 10_000);
    assert_eq!(outputs[0], outputs[1]);
}
