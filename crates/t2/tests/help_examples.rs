//! Every example in every `--help` runs as written: in a copy of the project's `data/` with the reference data
//! beside it (as on a fresh clone), with `t2` on the PATH, each example line through `sh`; the top-level
//! examples first (`t2 run` makes the fit files the others read).

#[path = "../../shared_data.rs"]
mod shared_data;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Subcommands whose help is read, in the order their examples run.
const COMMANDS: [&[&str]; 13] = [
    &[],
    &["ingest"],
    &["inspect"],
    &["fit"],
    &["fit", "t2"],
    &["fit", "chinchilla"],
    &["simulate"],
    &["plan"],
    &["plot"],
    &["compare"],
    &["run"],
    &["completions"],
    &["man"],
];

/// The example commands of a help text: the lines after "Examples:", continuation lines joined, comments cut.
fn examples(help: &str) -> Vec<String> {
    let Some((_, tail)) = help.split_once("Examples:") else {
        return Vec::new();
    };
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in tail.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (code, continued) = match line.strip_suffix('\\') {
            Some(code) => (code, true),
            None => (line, false),
        };
        current.push_str(code.trim_end());
        current.push(' ');
        if !continued {
            let command = match current.find(" # ") {
                Some(at) => current[..at].to_string(),
                None => current.clone(),
            };
            if command.trim_start().starts_with("t2") {
                commands.push(command.trim().to_string());
            }
            current.clear();
        }
    }
    commands
}

/// Copies the folder `from` to `to`, subfolders included.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        } else if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        }
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn every_help_example_runs_as_written() {
    let shared = shared_data::shared_data("chinchilla_epoch_svg.csv");
    let shared_dir = shared.parent().unwrap().parent().unwrap().to_path_buf();
    let root = tempfile::tempdir().unwrap();
    let repo = root.path().join("project");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        &repo.join("data"),
    );
    std::os::unix::fs::symlink(&shared_dir, root.path().join("shared")).unwrap();
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_t2"), bin.join("t2")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut seen: Vec<String> = Vec::new();
    for command in COMMANDS {
        let help = Command::new(env!("CARGO_BIN_EXE_t2"))
            .args(command)
            .arg("--help")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&help.stdout).into_owned();
        let found = examples(&text);
        assert!(
            !found.is_empty(),
            "t2 {} --help has no example",
            command.join(" ")
        );
        for example in found {
            if seen.contains(&example) {
                continue;
            }
            seen.push(example.clone());
            let out = Command::new("sh")
                .arg("-c")
                .arg(&example)
                .current_dir(&repo)
                .env("PATH", &path)
                .env("HOME", root.path())
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "`{example}` failed:\n{stderr}");
            assert!(!stderr.contains("panicked"), "`{example}`:\n{stderr}");
        }
    }
    let written: Vec<PathBuf> = ["fits/example_sweep.json", "fits/epoch.json", "t2.1", "t2.bash"]
        .iter()
        .map(|p| repo.join(p))
        .collect();
    for file in written {
        assert!(file.exists(), "{} was not written", file.display());
    }
}

#[test]
fn examples_are_read_from_help_texts() {
    let help = "About\n\nExamples:\n  t2 a x \\\n      --b 1   # note\n  # a comment\n  t2 c > f.txt\n";
    assert_eq!(examples(help), vec!["t2 a x --b 1", "t2 c > f.txt"]);
}
