//! `t2 plan` end to end on a fit file built from known parameters.

mod cli_support;
#[path = "../../t2-pipeline/tests/fixture/mod.rs"]
mod plot_fixture;
mod plot_support;

use plot_support::{fixture_file, t2, text};
use t2_core::plan::{optimum, rule_point, Budget, Deployment, Rule};
use t2_core::ModelParams;

#[test]
fn plan_prints_a_table_and_writes_csv_and_json_with_the_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 40, 1.0);
    let csv = dir.path().join("plan.csv");
    let out = t2(&[
        "plan",
        fit.to_str().unwrap(),
        "--train-flops",
        "1e21..1e25",
        "--points",
        "3",
        "--inference-flops",
        "1.4e11",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // The compact table: one per task, every form at each budget, notes as footnotes.
    for needle in [
        "Approach 1 (loss)",
        "Approach 2 (pass@k)",
        "Chinchilla (loss)",
        "95% bootstrap bands",
        "notes (the first of each kind",
    ] {
        assert!(stdout.contains(needle), "{needle:?} missing in\n{stdout}");
    }
    assert!(stdout.lines().count() < 30, "{stdout}");
    let full = text(
        &t2(&[
            "plan",
            fit.to_str().unwrap(),
            "--train-flops",
            "1e21..1e25",
            "--points",
            "3",
            "--full",
        ])
        .stdout,
    );
    for needle in [
        "approach1: loss",
        "approach2: pass@k",
        "chinchilla: loss",
        "95% bootstrap bands · fit ok",
    ] {
        assert!(full.contains(needle), "{needle:?} missing in\n{full}");
    }
    // The CSV's Approach 1 optimum at 1e23 is the planner's optimum for the fixture's truth.
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 9);
    let a1 = rows
        .iter()
        .find(|r| {
            &r[col("form")] == "approach1"
                && (r[col("train_flops")].parse::<f64>().unwrap() / 1e23 - 1.0).abs() < 1e-12
        })
        .unwrap();
    let budget = Budget::new(a1[col("train_flops")].parse().unwrap(), 1.4e11).unwrap();
    let expected = optimum(
        &ModelParams::Approach1(plot_fixture::A1),
        &Deployment::default(),
        budget,
    )
    .unwrap();
    let n: f64 = a1[col("params")].parse().unwrap();
    assert!((n / expected.params - 1.0).abs() < 1e-12);
    let (lo, hi): (f64, f64) = (
        a1[col("params_lo")].parse().unwrap(),
        a1[col("params_hi")].parse().unwrap(),
    );
    assert!(lo < n && n < hi, "band [{lo}, {hi}] around {n}");
    let chin_n: f64 = a1[col("chinchilla_params")].parse().unwrap();
    assert!(
        (chin_n
            / rule_point(
                &ModelParams::Approach1(plot_fixture::A1),
                &Deployment::default(),
                budget,
                Rule::Chinchilla
            )
            .unwrap()
            .params
            - 1.0)
            .abs()
            < 1e-12
    );
    assert!(n < chin_n);

    let json = dir.path().join("plan.json");
    let out = t2(&[
        "plan",
        fit.to_str().unwrap(),
        "--train-flops",
        "1e21,1e23",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 3);
    assert_eq!(value[1]["rows"].as_array().unwrap().len(), 2);
    assert!(value[1]["rows"][1]["optimum"]["params"].as_f64().unwrap() > 0.0);

    // A report describes that plan only with the flags it was made with.
    let report = dir.path().join("report.html");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "report",
            fit.to_str().unwrap(),
            "--plan",
            json.to_str().unwrap(),
            "--out",
            report.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        t2(&args)
    };
    assert!(run(&[]).status.success());
    let refused = run(&["--inference-flops", "2e9"]);
    assert!(
        text(&refused.stderr).contains(
            "--inference-flops: the plan was made at C_inf = 1.40e11 FLOPs per query, not 2.00e9: give the plan's"
        ),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn plan_rejects_bad_budgets_and_files_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 0, 1.0);
    let out = t2(&["plan", fit.to_str().unwrap(), "--train-flops", "1e25..1e18"]);
    assert!(!out.status.success() && text(&out.stderr).contains("first value must be below"));
    let out = t2(&["plan", fit.to_str().unwrap(), "--inference-flops=-1"]);
    assert!(
        !out.status.success() && text(&out.stderr).contains("inference compute"),
        "{}",
        text(&out.stderr)
    );
    let out = t2(&["plan", dir.path().join("missing.json").to_str().unwrap()]);
    assert!(!out.status.success() && text(&out.stderr).contains("missing.json"));
    let help = text(&t2(&["plan", "--help"]).stdout);
    assert!(help.contains("Examples:") && help.contains("--train-flops 1e21,1e23"));
}

/// A fit that is not ok is named in a header line, and every row of its plan carries its verdict, in the table,
/// the CSV and the JSON; budgets far beyond the fitted compute add their own caution.
#[test]
fn plan_carries_the_verdicts_of_its_fits() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 0, 1.0);
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fit).unwrap()).unwrap();
    value["fits"][1]["trust"] = serde_json::json!({
        "verdict": "unreliable",
        "reasons": [{"check": "scale_spread", "verdict": "unreliable",
            "message": "A's interval spans 122.4 decades: the data do not identify it",
            "value": 122.4, "threshold": 2.0}]
    });
    std::fs::write(&fit, value.to_string()).unwrap();
    let csv = dir.path().join("plan.csv");
    let out = t2(&[
        "plan",
        fit.to_str().unwrap(),
        "--train-flops",
        "1e19,1e25",
        "--full",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        stdout.starts_with("fits not ok: approach1 unreliable (A's interval spans 122.4 decades"),
        "{stdout}"
    );
    let approach1 =
        &stdout[stdout.find("approach1: loss").unwrap()..stdout.find("approach2: pass@k").unwrap()];
    assert_eq!(approach1.matches("unreliable").count(), 3, "{approach1}");
    // The fixture's largest checkpoint has C = 6ND of about 1.3e19: 1e25 is far beyond it.
    let chinchilla = &stdout[stdout.find("chinchilla: loss").unwrap()..];
    assert!(
        chinchilla.contains("caution") && chinchilla.contains("the largest fitted compute"),
        "{chinchilla}"
    );
    let plan = std::fs::read_to_string(&csv).unwrap();
    assert!(plan.lines().next().unwrap().ends_with(",verdict,reasons"));
    assert!(
        plan.contains("approach1,,loss,per_query,,true,1e19,") && plan.contains(",unreliable,A's interval")
    );
    let strict = t2(&["plan", fit.to_str().unwrap(), "--train-flops", "1e21", "--strict"]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "--strict fails on an unreliable plan"
    );
}

/// Writes the fixture fit files for looking at by hand: `T2_KEEP_FIXTURE=dir cargo test -p t2 --test plan_cli`.
#[test]
fn keep_fixture_when_asked() {
    if let Ok(dir) = std::env::var("T2_KEEP_FIXTURE") {
        let dir = std::path::Path::new(&dir);
        plot_fixture::write_fit_file(&dir.join("fixture.json"), 200, 1.0);
        plot_fixture::write_fit_file(&dir.join("fixture_g3.json"), 200, 3.0);
    }
}

#[test]
fn plan_answers_lifetime_target_and_trained_model_questions_and_names_bad_flags() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 20, 1.0);
    let fit = fit.to_str().unwrap();
    let csv = dir.path().join("plan.csv");
    let rows = |args: &[&str]| -> Vec<csv::StringRecord> {
        let mut all = vec!["plan", fit, "--out", csv.to_str().unwrap()];
        all.extend(args);
        let out = t2(&all);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        csv::Reader::from_path(&csv)
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .collect()
    };
    let header = |name: &str| {
        let reader = csv::Reader::from_path(&csv).unwrap().headers().unwrap().clone();
        reader.iter().position(|h| h == name).unwrap()
    };
    let lifetime = rows(&[
        "--queries",
        "1e9",
        "--total-flops",
        "1e22",
        "--tokens-per-sample",
        "100",
    ]);
    assert_eq!(lifetime.len(), 3);
    for r in &lifetime {
        assert_eq!(&r[header("budget")], "lifetime");
        let total: f64 = r[header("total_flops")].parse().unwrap();
        assert!((total / 1e22 - 1.0).abs() < 1e-9, "{total}");
    }
    let targets = rows(&["--target-loss", "2.5,0.1", "--target-pass-at-k", "0.5"]);
    let reachable: Vec<&str> = targets
        .iter()
        .map(|r| r.get(header("reachable")).unwrap())
        .collect();
    assert_eq!(
        targets.len(),
        2 + 2 + 1,
        "chinchilla and approach1 take the losses, approach2 the pass@k"
    );
    assert!(reachable.contains(&"true") && reachable.contains(&"false"));
    let trained = rows(&["--params", "1e8", "--tokens", "2e9", "--form", "approach2"]);
    assert_eq!(trained.len(), t2_pipeline::plan::SAMPLE_GRID.len() + 1);
    for (flag, value) in [
        ("--prompt-tokens", "-1"),
        ("--unique-tokens", "0"),
        ("--target-pass-at-k", "2"),
        ("--queries", "-5"),
    ] {
        let out = t2(&["plan", fit, &format!("{flag}={value}")]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        assert!(text(&out.stderr).contains(flag), "{flag}: {}", text(&out.stderr));
    }
}
