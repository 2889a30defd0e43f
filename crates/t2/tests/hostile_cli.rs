//! Files others send are untrusted: a name in the data never chooses where t2 writes, no escape sequence reaches
//! the terminal, a crafted fit file cannot make t2 open other files, crash, or plan rows labelled "ok", and no
//! command writes over a file it read or over a special file. Each test failed before its fix.

use std::path::{Path, PathBuf};

mod cli_support;
use cli_support::{t2, text};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small simulated sweep under two task names (the same rows twice), written to `dir/sweep.csv`.
fn sweep_with_tasks(dir: &Path, names: [&str; 2]) -> PathBuf {
    let sim = dir.join("sim.csv");
    let out = t2(&[
        "simulate",
        "--out",
        s(&sim),
        "--levels",
        "5",
        "--sizes",
        "5",
        "--k",
        "1,4,16,64",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = std::fs::read_to_string(&sim).unwrap();
    let header = raw.lines().next().unwrap();
    let mut csv = format!("{header},task\n");
    for name in names {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        for line in raw.lines().skip(1) {
            csv += &format!("{line},{quoted}\n");
        }
    }
    let path = dir.join("sweep.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn task_names_choose_no_path_and_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let data = sweep_with_tasks(
        &work,
        ["../../escaped", "a/b\u{1b}[2J\u{1b}]8;;http://x\u{7}link"],
    );
    let fit = work.join("fit.json");
    let out = t2(&["fit", "t2", s(&data), "--bootstrap", "0", "--out", s(&fit)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout) + &text(&out.stderr);
    assert!(printed.contains("a/b\\u{1b}[2J"), "the name is shown, escaped");
    assert!(
        !printed.contains('\u{1b}') && !printed.contains('\u{7}'),
        "no raw escape reaches the terminal"
    );
    let plots = work.join("plots");
    let out = t2(&["plot", s(&fit), "--out-dir", s(&plots), "--only", "parity"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains('\u{1b}'));
    // Every figure is inside the folder asked for, directly, named by a slug.
    let files = all_files(dir.path());
    for f in &files {
        assert!(
            f.starts_with(&work),
            "written outside the work folder: {}",
            f.display()
        );
    }
    let figures: Vec<&PathBuf> = files.iter().filter(|f| f.starts_with(&plots)).collect();
    assert!(!figures.is_empty());
    for f in figures {
        assert_eq!(
            f.parent().unwrap(),
            plots,
            "a subfolder from a task name: {}",
            f.display()
        );
    }
    // compare's CSV quotes the names (a comma or quote shifts no column) and neutralises formulas.
    let out = t2(&[
        "compare",
        s(&fit),
        s(&fit),
        "--format",
        "csv",
        "--plot",
        s(&work.join("cmp")),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let mut reader = csv::Reader::from_reader(table.as_bytes());
    let width = reader.headers().unwrap().len();
    for record in reader.records() {
        assert_eq!(record.unwrap().len(), width);
    }
}

#[test]
fn formula_cells_are_neutralised_in_csv_and_markdown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep_with_tasks(dir.path(), ["=cmd|' /C calc'!A0", "x|<img src=y>,z"]);
    let fit = dir.path().join("fit.json");
    assert!(t2(&["fit", "t2", s(&data), "--bootstrap", "0", "--out", s(&fit)])
        .status
        .success());
    let plan = dir.path().join("plan.csv");
    let out = t2(&["plan", s(&fit), "--out", s(&plan)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut reader = csv::Reader::from_path(&plan).unwrap();
    let task = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "task")
        .unwrap();
    let tasks: Vec<String> = reader.records().map(|r| r.unwrap()[task].to_string()).collect();
    assert!(tasks.iter().any(|t| t == "'=cmd|' /C calc'!A0"), "{tasks:?}");
    assert!(tasks.iter().all(|t| !t.starts_with('=')));
    let out = t2(&[
        "compare",
        s(&fit),
        s(&fit),
        "--format",
        "markdown",
        "--plot",
        s(&dir.path().join("c")),
    ]);
    let md = text(&out.stdout);
    assert!(md.contains("x\\|&lt;img src=y&gt;,z"), "{md}");
    assert!(!md.contains("<img"));
}

#[test]
fn crafted_fit_files_open_nothing_else_crash_nothing_and_plan_nothing_ok() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep_with_tasks(dir.path(), ["a", "b"]);
    let fit = dir.path().join("fit.json");
    assert!(
        t2(&["fit", "t2", s(&data), "--bootstrap", "20", "--out", s(&fit)])
            .status
            .success()
    );
    let original: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fit).unwrap()).unwrap();
    // A sidecar named by an absolute path or ../ is refused, naming the field.
    for hostile in ["/etc/passwd", "../fit.draws.0.parquet"] {
        let mut edited = original.clone();
        edited["sidecars"]["predictions"] = serde_json::json!(hostile);
        std::fs::write(&fit, edited.to_string()).unwrap();
        let out = t2(&["plan", s(&fit)]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("sidecars.predictions"),
            "{}",
            text(&out.stderr)
        );
    }
    // NaN parameters: plotted and reported without a crash, planned unreliable.
    let mut edited = original.clone();
    edited["fits"][1]["params"]["alpha"] = serde_json::json!("NaN");
    edited["fits"][1]["trust"] = serde_json::json!({"verdict": "ok", "reasons": []});
    std::fs::write(&fit, edited.to_string()).unwrap();
    let out = t2(&["plan", s(&fit), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plans: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let form = edited["fits"][1]["form"].clone();
    let planned = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["form"] == form && p["task"] == edited["fits"][1]["task"]);
    for row in planned.unwrap()["rows"].as_array().unwrap() {
        assert_eq!(row["trust"]["verdict"], "unreliable");
    }
    for command in [
        vec!["plot", s(&fit), "--out-dir", s(&dir.path().join("p"))],
        vec!["report", s(&fit), "--out", s(&dir.path().join("r.html"))],
    ] {
        let out = t2(&command);
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{command:?}: {:?} {}",
            out.status,
            text(&out.stderr)
        );
    }
}

#[test]
fn no_command_writes_over_what_it_read_or_over_a_special_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep_with_tasks(dir.path(), ["a", "b"]);
    let fit = dir.path().join("fit.json");
    assert!(t2(&["fit", "t2", s(&data), "--bootstrap", "0", "--out", s(&fit)])
        .status
        .success());
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&fit).unwrap()).unwrap();
    let draws = dir.path().join(json["sidecars"]["predictions"].as_str().unwrap());
    let before = std::fs::read(&draws).unwrap();
    // The report's output is a sidecar the command read.
    let out = t2(&["report", s(&fit), "--out", s(&draws)]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("this command read"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&draws).unwrap(), before);
    // simulate over its own grid.
    let grid = dir.path().join("g.csv");
    std::fs::write(
        &grid,
        "params,tokens\n1e8,1e10\n2e8,1e10\n4e8,2e10\n1e8,4e10\n2e8,4e10\n",
    )
    .unwrap();
    let out = t2(&["simulate", "--grid", s(&grid), "--out", s(&grid)]);
    assert_ne!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&grid)
        .unwrap()
        .starts_with("params,tokens\n1e8"));
    // /dev/null is not replaced by a regular file.
    let out = t2(&["ingest", s(&data), "--out", "/dev/null", "--out-format", "csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not a regular file"),
        "{}",
        text(&out.stderr)
    );
    assert!(!Path::new("/dev/null").is_file());
    // An output inside a file is refused as such (usage, exit 2; the system says only "File exists").
    let under_a_file = data.join("out.csv");
    let out = t2(&["ingest", s(&data), "--out", s(&under_a_file)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is a file, not a folder"),
        "{}",
        text(&out.stderr)
    );
    // A write that fails (here: no folder can be made in /proc) is the job failing, exit 1, from every command.
    let unwritable = Path::new("/proc/t2-no-such-folder/out.csv");
    let out = t2(&["ingest", s(&data), "--out", s(unwritable)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let out = t2(&[
        "fit",
        "t2",
        s(&data),
        "--bootstrap",
        "0",
        "--out",
        "/proc/t2-no-such-folder/f.json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn sizes_that_would_exhaust_memory_or_the_stack_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = sweep_with_tasks(dir.path(), ["a", "b"]);
    let out_path = dir.path().join("f.json");
    let out = t2(&[
        "fit",
        "t2",
        s(&data),
        "--bootstrap",
        "4294967297",
        "--out",
        s(&out_path),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--bootstrap"), "{}", text(&out.stderr));
    let deep = format!("{}k == 1{}", "(".repeat(20_000), ")".repeat(20_000));
    let out = t2(&[
        "fit",
        "t2",
        s(&data),
        "--where",
        &deep,
        "--bootstrap",
        "0",
        "--out",
        s(&out_path),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        t2(&["fit", "t2", s(&data), "--bootstrap", "0", "--out", s(&out_path)])
            .status
            .success()
    );
    let out = t2(&["plan", s(&out_path), "--points", "1099511627776"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--points"), "{}", text(&out.stderr));
}
