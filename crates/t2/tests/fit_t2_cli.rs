//! `t2 fit t2` end to end on sweeps simulated by `t2 simulate` from known parameters: every form per task and for
//! the macro average, the checkpoint bootstrap, the extrapolation check, thread-count determinism, and clear
//! errors when the data cannot identify a form.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs t2 on `threads` threads (`--threads`, the global flag).
fn t2(args: &[&str], threads: usize) -> Output {
    Command::new(env!("CARGO_BIN_EXE_t2"))
        .args(["--threads", &threads.to_string()])
        .args(args)
        .output()
        .expect("the t2 binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two tasks whose true Approach 1 laws differ, each with an Approach 2 θ.
const TRUTH: &str = r#"{"tasks": [
  {"name": "math", "approach1": {"e": 0.3, "a": 60, "b": 400, "g": 1.5, "alpha": 0.3, "beta": 0.3, "gamma": 0.4},
   "approach2": {"theta": [2.8, 3.0, 0.9, 0.5, -0.5]}},
  {"name": "code", "approach1": {"e": 0.5, "a": 120, "b": 1500, "g": 2.0, "alpha": 0.34, "beta": 0.36, "gamma": 0.3},
   "approach2": {"theta": [3.6, 2.5, 0.8, 0.3, -0.4]}}
]}"#;

/// A sweep on 6 isoFLOP levels × 5 sizes, k = 1, 2, 4, …, 64, from [`TRUTH`] (1% loss noise, 300 problems).
fn simulated_sweep(dir: &Path, k_grid: &str) -> PathBuf {
    let truth = dir.join("truth.json");
    std::fs::write(&truth, TRUTH).unwrap();
    let out = dir.join(format!("sweep_k{}.csv", k_grid.replace(',', "_")));
    let status = t2(
        &[
            "simulate",
            "--levels",
            "6",
            "--sizes",
            "5",
            "--k",
            k_grid,
            "--truth",
            truth.to_str().unwrap(),
            "--problems",
            "300",
            "--seed",
            "4",
            "--out",
            out.to_str().unwrap(),
        ],
        2,
    );
    assert!(status.status.success(), "{}", text(&status.stderr));
    out
}

/// The whole fit file, its draws and predictions read back from the sidecars.
fn fit_file(path: &Path) -> Value {
    serde_json::from_str(&t2_pipeline::FitFile::read(path).unwrap().to_json()).unwrap()
}

fn estimate(fit: &Value, name: &str) -> f64 {
    fit["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no estimate {name}"))["value"]
        .as_f64()
        .unwrap()
}

#[test]
fn fits_every_form_per_task_and_macro_with_holdout_identically_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated_sweep(dir.path(), "1,2,4,8,16,32,64");
    let run = |threads: usize| {
        let out_path = dir.path().join(format!("fit_{threads}.json"));
        let out = t2(
            &[
                "fit",
                "t2",
                sweep.to_str().unwrap(),
                "--bootstrap",
                "16",
                "--seed",
                "3",
                "--starts",
                "100",
                "--holdout-where",
                "train_flops >= 2e17",
                "--out",
                out_path.to_str().unwrap(),
            ],
            threads,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        (fit_file(&out_path), text(&out.stdout))
    };
    let (one, summary) = run(1);
    let (two, _) = run(2);
    assert_eq!(
        one["fits"], two["fits"],
        "1 and 2 threads must give identical fits"
    );

    let fits = one["fits"].as_array().unwrap();
    let labels: Vec<String> = fits
        .iter()
        .map(|f| format!("{} {}", f["form"].as_str().unwrap(), f["task"].as_str().unwrap()))
        .collect();
    for task in ["math", "code", "macro"] {
        for form in ["chinchilla", "approach1", "approach2"] {
            assert!(labels.contains(&format!("{form} {task}")), "{labels:?}");
        }
    }
    assert_eq!(fits.len(), 9);
    for fit in fits {
        let boot = &fit["bootstrap"];
        assert_eq!(boot["resamples"], 16);
        assert_eq!(boot["unit"], "checkpoint");
        assert!(
            fit["diagnostics"]["converged"].as_bool().unwrap(),
            "{}",
            fit["diagnostics"]
        );
        // The two largest of six levels are held out: predicted, not fitted.
        assert!(fit["predictions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["heldout"] == true));
        assert!(fit["heldout_relative_error"].as_f64().unwrap().is_finite());
    }
    // Approach 1 on the math task: the exponents come back (1% noise on 140 fitted rows) and the law
    // extrapolates to the held-out levels within 2% (the noise is 1%).
    let math = fits
        .iter()
        .find(|f| f["form"] == "approach1" && f["task"] == "math")
        .unwrap();
    assert!(
        (estimate(math, "gamma") - 0.4).abs() < 0.03,
        "{}",
        math["estimates"]
    );
    assert!(
        (estimate(math, "G") / 1.5 - 1.0).abs() < 0.05,
        "{}",
        math["estimates"]
    );
    assert!(math["heldout_relative_error"].as_f64().unwrap() < 0.02);
    // The held-out rows are listed in the file with their reason, apart from the rows left out.
    let heldout = &one["input"]["heldout"];
    assert!(heldout["reason"]
        .as_str()
        .unwrap()
        .contains("--holdout-where 'train_flops >= 2e17'"));
    assert!(!heldout["rows"].as_array().unwrap().is_empty());
    assert!(
        summary.contains("Approach 1 (task macro) [target loss]"),
        "{summary}"
    );
    assert!(summary.contains("held-out mean relative error"), "{summary}");
    assert_eq!(one["seed"], 3);
    assert_eq!(one["input"]["hash"].as_str().unwrap().len(), 16);
}

#[test]
fn a_form_the_data_cannot_identify_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let single_k = simulated_sweep(dir.path(), "1");
    let out_path = dir.path().join("fit.json");
    let fit = |forms: &str, input: &Path| {
        t2(
            &[
                "fit",
                "t2",
                input.to_str().unwrap(),
                "--forms",
                forms,
                "--bootstrap",
                "0",
                "--out",
                out_path.to_str().unwrap(),
            ],
            2,
        )
    };
    let out = fit("approach1", &single_k);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("Approach 1") && err.contains("distinct values of k"),
        "{err}"
    );
    assert!(!out_path.exists(), "no fit file for a failed fit");

    // A run table without pass@k cannot fit Approach 2, and says which column is missing.
    let loss_only = dir.path().join("loss_only.csv");
    let csv = std::fs::read_to_string(&single_k).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let drop = header.iter().position(|h| *h == "pass_at_k").unwrap();
    let without: Vec<String> = csv
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells.remove(drop);
            cells.join(",")
        })
        .collect();
    std::fs::write(&loss_only, without.join("\n")).unwrap();
    let out = fit("approach2", &loss_only);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("Approach 2 needs a 'pass_at_k' column"),
        "{}",
        text(&out.stderr)
    );

    // Bad options fail before any fit runs, saying what is wrong.
    let bad_option = |option: &str, value: &str| {
        let input = single_k.to_str().unwrap();
        let out = t2(&["fit", "t2", input, option, value, "--out", "x.json"], 1);
        assert!(!out.status.success());
        text(&out.stderr)
    };
    let err = bad_option("--cluster", "levle");
    assert!(
        err.contains("no column 'levle'") && err.contains("checkpoint"),
        "{err}"
    );
    assert!(!err.contains("fit: "), "the fits must not have run: {err}");
    assert!(bad_option("--level", "1.5").contains("--level: bootstrap level: must be between 0 and 1"));
}

#[test]
fn help_explains_with_examples() {
    for args in [
        &["fit", "--help"][..],
        &["fit", "t2", "--help"],
        &["fit", "chinchilla", "--help"],
    ] {
        let help = text(&t2(args, 1).stdout);
        assert!(
            help.contains("Examples:") && help.contains("t2 fit "),
            "{args:?}:\n{help}"
        );
    }
}

/// `fit t2` takes the row filters and a task, and reports every row they leave out.
#[test]
fn filters_and_a_task_select_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated_sweep(dir.path(), "1,4,16,64");
    let out_path = dir.path().join("fit.json");
    let out = t2(
        &[
            "fit",
            "t2",
            sweep.to_str().unwrap(),
            "--task",
            "math",
            "--where",
            "params >= 1e7",
            "--exclude-where",
            "k == 64 and params > 1e9",
            "--bootstrap",
            "0",
            "--starts",
            "60",
            "--out",
            out_path.to_str().unwrap(),
        ],
        2,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = fit_file(&out_path);
    let fits = file["fits"].as_array().unwrap();
    assert_eq!(fits.len(), 3, "one task: no macro average");
    assert!(fits.iter().all(|f| f["task"] == "math"));
    let reasons: Vec<&str> = file["input"]["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    for reason in ["not matching: params >= 1e7", "not task 'math'"] {
        assert!(
            reasons.iter().any(|r| r.contains(reason)),
            "{reason} in {reasons:?}"
        );
    }
    let bad_task = t2(
        &[
            "fit",
            "t2",
            sweep.to_str().unwrap(),
            "--task",
            "qa",
            "--out",
            "x.json",
        ],
        1,
    );
    assert_eq!(bad_task.status.code(), Some(2));
    assert!(
        text(&bad_task.stderr).contains("tasks: code, math"),
        "{}",
        text(&bad_task.stderr)
    );
}
