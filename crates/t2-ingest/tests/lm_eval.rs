//! lm-evaluation-harness per-sample logs (`--from lm-eval`): the example's six logs (three checkpoints, two seeds,
//! two filters) aggregate to the per-problem counts their generator wrote from the same draws, and an excerpt of a
//! real harness log (`data/lm_eval_excerpt`) reads as its documents.

mod common;

use std::path::{Path, PathBuf};

use t2_ingest::lm_eval::LmEval;
use t2_ingest::{read_runs, IngestOptions, InputKind};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lm_eval_example")
}

fn real_excerpt() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lm_eval_excerpt")
}

fn lm_eval(metric: Option<&str>, filter: Option<&str>) -> IngestOptions {
    IngestOptions {
        lm_eval: Some(LmEval {
            metric: metric.map(str::to_string),
            filter: filter.map(str::to_string),
        }),
        ..Default::default()
    }
}

#[test]
fn the_logs_aggregate_to_their_per_problem_counts() {
    let counts = read_runs(&example().join("counts.csv"), &IngestOptions::default()).unwrap();
    let logs = read_runs(&example().join("index.csv"), &lm_eval(None, Some("strict-match"))).unwrap();
    assert_eq!(logs.report.kind, InputKind::Generations);
    assert_eq!(
        logs.report.rows_read,
        3 * 2 * 12,
        "one generation per document, checkpoint and seed"
    );
    assert_eq!(
        common::sorted_rows(&logs.table),
        common::sorted_rows(&counts.table),
        "pass@k and loss to the last bit"
    );
    assert_eq!(logs.table.len(), 3 * 2, "k = 1, 2 for three checkpoints");
    assert_eq!(logs.problem_counts, counts.problem_counts);
    let skipped = logs
        .report
        .warnings
        .iter()
        .filter(|w| w.contains("12 lines of filter 'flexible-extract' not read"))
        .count();
    assert_eq!(skipped, 6, "{:?}", logs.report.warnings);
    // The metric named explicitly reads the same.
    let named = read_runs(
        &example().join("index.csv"),
        &lm_eval(Some("exact_match"), Some("strict-match")),
    )
    .unwrap();
    assert_eq!(named.table, logs.table);
}

#[test]
fn a_real_harness_log_reads_as_its_documents() {
    let read = read_runs(&real_excerpt().join("index.csv"), &lm_eval(None, None)).unwrap();
    assert_eq!(read.report.kind, InputKind::Generations);
    assert_eq!(read.report.rows_read, 5, "one greedy generation per document");
    assert_eq!(read.table.len(), 1, "one checkpoint, k = 1");
    let table = &read.table;
    assert_eq!(
        (table.params[0], table.tokens[0], table.k[0]),
        (93_069_280.0, 1.86e9, 1.0)
    );
    assert_eq!(
        table.pass_at_k,
        Some(vec![0.0]),
        "the harness scored every document 0.0"
    );
    assert_eq!(
        read.problem_counts[0].counts,
        vec![(1.0, 0.0, 5.0)],
        "five documents, one sample, none correct"
    );
    assert!(
        read.report
            .warnings
            .iter()
            .any(|w| w.contains("pass@k = 0 on 1 row")),
        "{:?}",
        read.report.warnings
    );

    // The same log with document 2 solved: one of five, so the reader follows the harness's values.
    let dir = tempfile::tempdir().unwrap();
    let name = "samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl";
    let log = std::fs::read_to_string(real_excerpt().join(name)).unwrap();
    let solved = log.replacen(
        "\"target_hash\": \"7952f647a9362bb5dadffd70ec6281f21624ce0e0c8e0099b7f748442d198170\", \"exact_match\": 0.0",
        "\"target_hash\": \"7952f647a9362bb5dadffd70ec6281f21624ce0e0c8e0099b7f748442d198170\", \"exact_match\": 1.0",
        1,
    );
    assert_ne!(solved, log, "document 2's line was found");
    std::fs::write(dir.path().join(name), solved).unwrap();
    std::fs::copy(real_excerpt().join("index.csv"), dir.path().join("index.csv")).unwrap();
    let read = read_runs(&dir.path().join("index.csv"), &lm_eval(None, None)).unwrap();
    assert_eq!(read.table.pass_at_k, Some(vec![0.2]));
}

fn error(index: &Path, opts: &IngestOptions) -> String {
    read_runs(index, opts).unwrap_err().to_string()
}

#[test]
fn what_cannot_be_read_is_named_by_file_line_and_field() {
    let index = example().join("index.csv");
    let e = error(&index, &lm_eval(None, None));
    assert!(
        e.contains("samples_gsm8k_seed0.jsonl")
            && e.contains("2 filters ('strict-match', 'flexible-extract')")
            && e.contains("--lm-eval-filter"),
        "{e}"
    );
    assert!(error(&index, &lm_eval(None, Some("maj@8"))).contains("no line of the log has filter 'maj@8'"));
    let e = error(&index, &lm_eval(Some("acc"), Some("strict-match")));
    assert!(
        e.contains("seed0.jsonl, line 1, column 'acc': the line has no 'acc' value"),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    let line = |doc: &str, value: &str| {
        format!("{{\"doc_id\": {doc}, \"doc\": {{}}, \"metrics\": [\"exact_match\"], \"exact_match\": {value}}}\n")
    };
    std::fs::write(dir.path().join("a.jsonl"), line("0", "1.0") + &line("1", "0.5")).unwrap();
    let write_index = |file: &str| {
        let path = dir.path().join("index.csv");
        std::fs::write(&path, format!("file,params,tokens\n{file},1e8,2e9\n")).unwrap();
        path
    };
    let e = error(&write_index("a.jsonl"), &lm_eval(None, None));
    assert!(
        e.contains(
            "a.jsonl, line 2, column 'exact_match': exact_match = 0.5: a generation's verdict is 0 or 1"
        ),
        "{e}"
    );
    for outside in ["../a.jsonl", "/etc/passwd"] {
        let e = error(&write_index(outside), &lm_eval(None, None));
        assert!(
            e.contains("index.csv, row 2, column 'file'") && e.contains("relative to the index's folder"),
            "{e}"
        );
    }
    let e = error(&write_index("missing.jsonl"), &lm_eval(None, None));
    assert!(e.contains("missing.jsonl: cannot read"), "{e}");
}
