//! Acceptance of the Chinchilla fit on Epoch AI's digitised Hoffmann et al. data (T2-SPEC.md, "Chinchilla
//! baseline"): the 240-row fit, Hoffmann's parameters scoring worse, the fast starts matching the grid, the
//! bootstrap intervals, and `t2 fit chinchilla` end to end.

#[path = "../../shared_data.rs"]
mod shared_data;

use std::path::Path;
use std::process::{Command, Output};

use shared_data::shared_data;
use t2_core::filter::RowSelection;
use t2_core::{ChinchillaParams, RunTable};
use t2_fit::bootstrap::BootstrapOptions;
use t2_fit::chinchilla::{
    self, x_of, ChinchillaForm, ChinchillaObjective, ChinchillaOptions, FitData, Starts,
};
use t2_fit::Objective;
use t2_ingest::IngestOptions;

const EPOCH_CSV: &str = "chinchilla_epoch_svg.csv";

/// The 240 rows Epoch fit: the file's 245 points minus the 5 highest losses.
fn epoch_rows(path: &Path) -> (RunTable, Vec<usize>) {
    let opts = IngestOptions {
        columns: vec![
            ("params".into(), "Model Size".into()),
            ("train_flops".into(), "Training FLOP".into()),
        ],
        ..Default::default()
    };
    let table = t2_ingest::read_runs(path, &opts).expect("Epoch CSV reads").table;
    assert_eq!(table.len(), 245);
    let selection = RowSelection {
        drop_highest_loss: 5,
        ..Default::default()
    };
    let rows = selection.apply(&table).unwrap().rows;
    assert_eq!(rows.len(), 240);
    (table, rows)
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn default_fit_reproduces_epoch() {
    let path = shared_data(EPOCH_CSV);
    let (table, rows) = epoch_rows(&path);
    let data = FitData::new(&table, &rows).unwrap();
    let fit = chinchilla::fit(&data, &ChinchillaOptions::default());
    let p = fit.params;
    let cost = fit.multistart.best.cost;
    assert!(fit.multistart.best.converged, "{:?}", fit.multistart.best);
    assert!((p.e - 1.8172).abs() <= 5e-4, "E = {}", p.e);
    assert!((p.alpha - 0.34731).abs() <= 5e-4, "alpha = {}", p.alpha);
    assert!((p.beta - 0.36718).abs() <= 5e-4, "beta = {}", p.beta);
    assert!((p.a / 477.8 - 1.0).abs() <= 0.005, "A = {}", p.a);
    assert!((p.b / 2143.9 - 1.0).abs() <= 0.01, "B = {}", p.b);
    assert!(cost <= 1.01830e-3, "Huber sum {cost:e}");
    // Hoffmann's published parameters are a strictly worse fit to these rows.
    let objective = ChinchillaObjective {
        data: &data,
        loss: Default::default(),
    };
    let hoffmann = objective.value(&x_of(&ChinchillaParams::HOFFMANN));
    assert!(hoffmann > cost, "Hoffmann {hoffmann:e} vs fit {cost:e}");

    // Epoch's 4,500-point grid, screened (--starts grid) and solving every start, reaches no better optimum
    // than the default projected starts.
    for screen in [ChinchillaOptions::default().screen, None] {
        let opts = ChinchillaOptions {
            starts: Starts::EpochGrid,
            screen,
            ..Default::default()
        };
        let grid = chinchilla::fit(&data, &opts).multistart.best.cost;
        assert!(
            cost <= grid * (1.0 + 1e-9),
            "screen {screen:?}: default {cost:e} vs grid {grid:e}"
        );
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn bootstrap_intervals_match_epoch() {
    let path = shared_data(EPOCH_CSV);
    let (table, rows) = epoch_rows(&path);
    let form = ChinchillaForm {
        options: ChinchillaOptions::default(),
        budgets: vec![],
        single_pass_only: false,
    };
    let units: Vec<usize> = (0..table.len()).collect();
    let resampling = t2_fit::Resampling {
        options: BootstrapOptions::new(1000, 0, 0.95).unwrap(),
        unit_of_row: &units,
        unit: "row",
        cancel: None,
    };
    let split = t2_fit::Split {
        train: &rows,
        heldout: &[],
    };
    let report = t2_fit::fit_form(&form, &table, split, Some(resampling), &|| {}).unwrap();
    let failed = report.bootstrap.as_ref().unwrap().failed;
    assert!(failed <= 10, "{failed} of 1000 refits failed");
    // Epoch's 95% intervals (4,000 resamples).
    for (name, lo, hi) in [
        ("alpha", 0.317, 0.373),
        ("beta", 0.331, 0.415),
        ("E", 1.769, 1.871),
    ] {
        let e = report.estimates.iter().find(|e| e.name == name).unwrap();
        let (got_lo, got_hi) = (e.lo.unwrap(), e.hi.unwrap());
        assert!(
            (got_lo - lo).abs() <= 0.02 && (got_hi - hi).abs() <= 0.02,
            "{name}: [{got_lo}, {got_hi}] vs Epoch [{lo}, {hi}]"
        );
    }
}

/// `t2 fit chinchilla` on the Epoch CSV with its column mapping.
fn epoch_command(path: &Path) -> Vec<&str> {
    let input = path.to_str().unwrap();
    vec![
        "fit",
        "chinchilla",
        input,
        "--col",
        "params=Model Size",
        "--col",
        "train_flops=Training FLOP",
    ]
}

fn t2(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_t2"))
        .args(args)
        .output()
        .expect("the t2 binary runs")
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn cli_writes_a_reproducible_fit_file() {
    let path = shared_data(EPOCH_CSV);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fits/epoch.json");
    let mut args = epoch_command(&path);
    args.extend([
        "--drop-highest-loss",
        "5",
        "--starts",
        "fast",
        "--bootstrap",
        "30",
        "--seed",
        "3",
        "--budgets",
        "5.88e23",
        "--out",
        out.to_str().unwrap(),
    ]);
    let run = t2(&args);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("on 240 rows"), "{stdout}");
    assert!(stdout.contains("verdict: ok"), "{stdout}");
    assert!(stdout.contains("D*/N*(5.88e23)"), "{stdout}");
    // The whole fit, with its draws and predictions read back from the sidecars.
    let complete = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&t2_pipeline::FitFile::read(p).unwrap().to_json()).unwrap()
    };
    let json = complete(&out);
    let bytes = std::fs::read(&path).unwrap();
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    assert_eq!(json["input"]["hash"], format!("{hash:016x}"));
    assert_eq!(json["input"]["rows_used"], 240);
    assert_eq!(json["seed"], 3);
    let excluded = &json["input"]["excluded"][0];
    assert_eq!(excluded["reason"], "5 highest-loss rows");
    let rows: t2_core::rowset::RowSet = serde_json::from_value(excluded["rows"].clone()).unwrap();
    assert_eq!(rows.len(), 5);
    let fit = &json["fits"][0];
    assert_eq!(fit["form"], "chinchilla");
    assert!((fit["params"]["alpha"].as_f64().unwrap() - 0.34731).abs() < 5e-4);
    assert_eq!(fit["bootstrap"]["resamples"], 30);
    // The 5 excluded rows are not predicted: they are neither fitted nor held out.
    assert_eq!(fit["predictions"].as_array().unwrap().len(), 240);
    assert_eq!(json["command"][0], "t2");
    // Same seed on one thread: the same file.
    let again = dir.path().join("again.json");
    let mut args2 = args.clone();
    *args2.last_mut().unwrap() = again.to_str().unwrap();
    let one_thread = Command::new(env!("CARGO_BIN_EXE_t2"))
        .args(&args2)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(one_thread.status.success());
    let strip = |p: &Path| {
        let mut v = complete(p);
        v["command"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(&out), strip(&again));
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn cli_rejects_bad_options_with_clear_errors() {
    let path = shared_data(EPOCH_CSV);
    let base = epoch_command(&path);
    for (extra, message) in [
        (vec!["--pin", "X=1"], "unknown parameter 'X'"),
        (vec!["--where", "tokens 7e10"], "expected a comparison"),
        (vec!["--where", "lr < 1"], "no 'lr' column"),
        (vec!["--starts", "random:0"], "random:N"),
        (vec!["--loss", "l1"], "invalid value 'l1'"),
        (vec!["--drop-highest-loss", "245"], "only 245 rows remain"),
        (
            vec!["--cluster", "nope"],
            "--cluster: the table has no column 'nope'",
        ),
    ] {
        let mut args = base.clone();
        args.extend(extra.iter().copied());
        if extra[0] != "--starts" {
            args.extend(["--starts", "fast"]);
        }
        args.extend(["--bootstrap", "2", "--out", "/dev/null"]);
        let run = t2(&args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{extra:?} should fail");
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let help = t2(&["fit", "chinchilla", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("--drop-highest-loss 5 --bootstrap 1000"));
}
