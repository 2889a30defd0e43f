//! The reliability review's reproducers through the command line: no abort or backtrace on corrupt input, every
//! file t2 writes read back by every command, designs that cannot identify a law refused, honest verdicts where
//! a fit converged on nonsense, outputs that would destroy an input refused, and exit codes (2 bad input, 1
//! --strict on an unreliable result).

use std::path::{Path, PathBuf};

mod cli_support;
use cli_support::{t2, text};
use std::process::Command;

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn ingest_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../t2-ingest/tests/fixtures")
        .join(name)
}

/// A corrupt Parquet file is one line on stderr and exit code 2, never an abort (134) or a backtrace.
#[test]
fn corrupt_parquet_is_one_line_and_exit_code_2() {
    for name in ["bad_page_values.parquet", "bad_footer_column.parquet"] {
        let path = ingest_fixture(name);
        let out = t2(&["inspect", path.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(name), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

/// `fit chinchilla` on six rows it cannot make sense of gave NaN written as null, which no command could read.
/// The fit now says it is unreliable and why, and its file is read by plan, plot, compare and run's report.
#[test]
fn a_degenerate_fit_is_unreliable_and_its_file_reads_back_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "odd.csv",
        "params,tokens,loss\n1e8,1e9,2.0\n1e9,1e9,2.5\n1e8,1e10,1.9\n1e9,1e10,2.4\n1e10,1e11,2.7\n1e8,1e11,1.8\n",
    );
    let fit = dir.path().join("odd.json");
    let out = t2(&[
        "fit",
        "chinchilla",
        data.to_str().unwrap(),
        "--bootstrap",
        "20",
        "--out",
        fit.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("verdict: unreliable"), "{stdout}");
    assert!(
        stdout.contains("is outside (0, 2]") || stdout.contains("not finite"),
        "{stdout}"
    );
    let json = std::fs::read_to_string(&fit).unwrap();
    assert!(
        json.contains("\"NaN\"") && !json.contains(": null,\n          \"se\""),
        "non-finite values are spelled"
    );
    let strict = t2(&[
        "fit",
        "chinchilla",
        data.to_str().unwrap(),
        "--bootstrap",
        "0",
        "--strict",
        "--out",
        fit.to_str().unwrap(),
    ]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "--strict fails on an unreliable fit"
    );
    let plots = dir.path().join("plots");
    let cmp = dir.path().join("cmp");
    for args in [
        vec!["plan", fit.to_str().unwrap(), "--train-flops", "1e21"],
        vec![
            "plot",
            fit.to_str().unwrap(),
            "--out-dir",
            plots.to_str().unwrap(),
        ],
        vec![
            "compare",
            fit.to_str().unwrap(),
            fit.to_str().unwrap(),
            "--plot",
            cmp.to_str().unwrap(),
        ],
    ] {
        let out = t2(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
}

/// Designs that cannot identify the law are refused before fitting, with the reason (exit 2).
#[test]
fn designs_that_cannot_identify_the_law_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let header = "params,tokens,loss,weight\n";
    let cases = [
        ("one_row.csv", "1e8,1e9,3.0,1\n", "distinct values of N"),
        (
            "two_rows.csv",
            "1e8,1e9,3.0,1\n2e8,2e9,2.9,1\n",
            "distinct values of N",
        ),
        (
            "one_n.csv",
            "1e8,1e9,3.0,1\n1e8,2e9,2.9,1\n1e8,4e9,2.8,1\n1e8,8e9,2.7,1\n1e8,2e10,2.6,1\n1e8,4e10,2.5,1\n",
            "distinct values of N",
        ),
        (
            "one_d.csv",
            "1e8,1e9,3.0,1\n2e8,1e9,2.9,1\n4e8,1e9,2.8,1\n8e8,1e9,2.7,1\n2e9,1e9,2.6,1\n4e9,1e9,2.5,1\n",
            "distinct values of D",
        ),
        (
            "few_points.csv",
            "1e8,1e9,3.0,1\n2e8,2e9,2.9,1\n4e8,4e9,2.8,1\n1e8,4e9,2.85,1\n",
            "distinct (N, D, k) points",
        ),
        (
            "no_weight.csv",
            "1e8,1e9,3.0,0\n2e8,2e9,2.9,0\n4e8,4e9,2.8,0\n1e8,4e9,2.85,0\n4e8,1e9,2.9,0\n2e8,1e9,2.95,0\n",
            "rows of positive weight",
        ),
    ];
    for (name, rows, reason) in cases {
        let path = write(dir.path(), name, &format!("{header}{rows}"));
        let out_path = dir.path().join("fit.json");
        let out = t2(&[
            "fit",
            "chinchilla",
            path.to_str().unwrap(),
            "--bootstrap",
            "0",
            "--out",
            out_path.to_str().unwrap(),
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(reason) && stderr.contains("needs at least"),
            "{name}: {stderr}"
        );
        assert!(!out_path.exists(), "{name}: no fit file");
    }
}

/// Six good rows are enough for Chinchilla's five parameters, but `--pin E=5` (above every loss) makes a fit
/// that cannot reach the data, and `--bound E=5:` one on its bound: both are said.
#[test]
fn pins_and_bounds_that_miss_the_data_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = String::from("params,tokens,loss\n");
    for n in [1e8f64, 3e8, 1e9, 3e9] {
        for d in [2e9f64, 6e9, 2e10] {
            let loss = 1.8 + 480.0 * n.powf(-0.35) + 2100.0 * d.powf(-0.37);
            rows += &format!("{n},{d},{loss}\n");
        }
    }
    let data = write(dir.path(), "law.csv", &rows);
    let fit = dir.path().join("fit.json");
    let base = [
        "fit",
        "chinchilla",
        data.to_str().unwrap(),
        "--starts",
        "fast",
        "--bootstrap",
        "0",
    ];
    let out = t2(&[&base[..], &["--out", fit.to_str().unwrap()]].concat());
    assert!(text(&out.stdout).contains("verdict: ok"), "{}", text(&out.stdout));
    let out = t2(&[&base[..], &["--pin", "E=5", "--out", fit.to_str().unwrap()]].concat());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("verdict: unreliable") && stdout.contains("below the law's floor E = 5"),
        "{stdout}"
    );
    let out = t2(&[&base[..], &["--bound", "E=5:", "--out", fit.to_str().unwrap()]].concat());
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("E (on its bound)") && stdout.contains("verdict: unreliable"),
        "{stdout}"
    );
}

/// An output path that is the input is refused (it would destroy the data), and the input is unchanged.
#[test]
fn an_output_that_is_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "d.csv",
        "params,tokens,loss\n1e8,1e9,3.0\n2e8,2e9,2.9\n",
    );
    for args in [
        vec!["fit", "chinchilla", "d.csv", "--out", "d.csv"],
        vec!["ingest", "d.csv", "--out", "./d.csv"],
        vec!["fit", "t2", "d.csv", "--out", "d.csv"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_t2"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is the input"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(&data).unwrap(),
        "params,tokens,loss\n1e8,1e9,3.0\n2e8,2e9,2.9\n"
    );
}

/// `fit t2` named table rows and no file ("table row 3 has loss 0"); a row a form cannot use is now left out
/// of that form only and listed with its file row and reason.
#[test]
fn rows_a_form_cannot_use_are_listed_with_their_file_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = String::from("params,tokens,k,loss\n");
    for (i, n) in [1e8f64, 2e8, 4e8, 8e8].iter().enumerate() {
        for d in [2e9f64, 6e9, 2e10] {
            for k in [1.0f64, 4.0, 16.0] {
                let loss = if i == 1 && d == 6e9 && k == 1.0 {
                    0.0
                } else {
                    0.4 + 60.0 * n.powf(-0.3) + 400.0 * d.powf(-0.3) + 1.5 * k.powf(-0.4)
                };
                rows += &format!("{n},{d},{k},{loss}\n");
            }
        }
    }
    let data = write(dir.path(), "zero.csv", &rows);
    let fit = dir.path().join("fit.json");
    let out = t2(&[
        "fit",
        "t2",
        data.to_str().unwrap(),
        "--bootstrap",
        "0",
        "--starts",
        "40",
        "--out",
        fit.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fit).unwrap()).unwrap();
    let excluded = file["input"]["excluded"].as_array().unwrap();
    let zero = excluded
        .iter()
        .find(|e| e["scope"] == "approach1" && e["reason"].as_str().unwrap().contains("loss 0"))
        .unwrap_or_else(|| panic!("{excluded:?}"));
    // The loss-0 row is file row 14: the header (row 1), N = 1e8's nine rows (2–10), (2e8, 2e9)'s three (11–13),
    // then (2e8, 6e9, k = 1).
    assert_eq!(zero["rows"], serde_json::json!([14]));
    assert!(
        text(&out.stdout).contains("not used: 1 row (loss 0"),
        "{}",
        text(&out.stdout)
    );
}

/// Small edges: `plot --points 0` and a fit file without fits are refused; a bad input is exit code 2, a
/// usage error too.
#[test]
fn small_edges_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fit.json");
    std::fs::write(&path, "{\"format\": \"t2-fit\", \"version\": 2, \"fits\": []}").unwrap();
    for args in [
        vec!["plan", path.to_str().unwrap()],
        vec!["plot", path.to_str().unwrap()],
    ] {
        let out = t2(&args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    }
    let out = t2(&["plot", path.to_str().unwrap(), "--points", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(t2(&["fit", "t2", "--no-such-flag"]).status.code(), Some(2));
    let out = t2(&["inspect", dir.path().to_str().unwrap()]);
    assert!(
        text(&out.stderr).contains("is a directory"),
        "{}",
        text(&out.stderr)
    );
}
