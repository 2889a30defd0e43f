//! `t2 design` end to end on a fit file built from known parameters: text, JSON and figures agree, and bad
//! values name their flag.

mod cli_support;
#[path = "../../t2-pipeline/tests/fixture/mod.rs"]
mod plot_fixture;
mod plot_support;

use plot_support::{fixture_file, t2, text};

#[test]
fn design_prints_writes_json_and_draws_the_advised_runs() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 40, 1.0);
    let fit = fit.to_str().unwrap();
    let json_path = dir.path().join("design.json");
    let plots = dir.path().join("design");
    let out = t2(&[
        "design",
        fit,
        "--budget",
        "1e19",
        "--target-train-flops",
        "1e22",
        "--out",
        json_path.to_str().unwrap(),
        "--plot",
        plots.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let advised: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let advised = advised.as_array().unwrap();
    assert_eq!(advised.len(), 3, "one entry per fit");
    for a in advised {
        let advice = &a["advice"];
        let picks = advice["picks"].as_array().unwrap();
        assert!(!picks.is_empty() && picks.len() <= 8);
        let spent: f64 = picks.iter().map(|p| p["train_flops"].as_f64().unwrap()).sum();
        assert!(
            spent <= 1e19 * (1.0 + 1e-12) && (advice["spent"].as_f64().unwrap() / spent - 1.0).abs() < 1e-12
        );
        assert!(advice["sd_after"].as_f64().unwrap() < advice["sd_now"].as_f64().unwrap());
        // The text shows each fit's first pick with its reason.
        let reason = picks[0]["reason"].as_str().unwrap();
        assert!(stdout.contains(reason), "{reason:?} missing in\n{stdout}");
        let form = a["form"].as_str().unwrap();
        assert!(
            plots.join(format!("design_{form}.png")).exists()
                && plots.join(format!("design_{form}.svg")).exists()
        );
    }
    for (flag, value) in [
        ("--budget", "0"),
        ("--max-run-flops", "-1"),
        ("--target-train-flops", "1"),
    ] {
        let given = format!("{flag}={value}");
        let mut args = vec!["design", fit, &given];
        if flag != "--budget" {
            args.extend(["--budget", "1e19"]);
        }
        let out = t2(&args);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("{flag}: ")), "{flag}: {stderr}");
    }
}

#[test]
fn design_chooses_only_among_the_candidates_given_and_names_a_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    let fit = fixture_file(dir.path(), "fit.json", 40, 1.0);
    let fit = fit.to_str().unwrap();
    let sizes = dir.path().join("sizes.csv");
    let offered = [(1e8, 2e9), (3e8, 1e10), (1e9, 5e9), (2e7, 4e10)];
    let mut csv = String::from("params,tokens\n");
    for (n, d) in offered {
        csv += &format!("{n},{d}\n");
    }
    std::fs::write(&sizes, csv).unwrap();
    let out = t2(&[
        "design",
        fit,
        "--budget",
        "1e20",
        "--candidates",
        sizes.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let advised: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for a in advised.as_array().unwrap() {
        for p in a["advice"]["picks"].as_array().unwrap() {
            let run = (p["params"].as_f64().unwrap(), p["tokens"].as_f64().unwrap());
            assert!(offered.contains(&run), "{run:?} was not offered");
        }
    }
    std::fs::write(&sizes, "params,tokens\n1e8,2e9\n3e8,lots\n").unwrap();
    let out = t2(&[
        "design",
        fit,
        "--budget",
        "1e20",
        "--candidates",
        sizes.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("sizes.csv, row 3, column 'tokens'") && stderr.contains("lots"),
        "{stderr}"
    );
}
