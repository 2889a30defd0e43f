//! Raw evaluation logs, one row per generation, aggregate to the same run table as their per-problem counts.

mod common;

use std::fmt::Write as _;

use t2_core::rng::Rng;
use t2_ingest::{read_runs, IngestOptions, InputKind};

/// A per-problem file and the same data as one row per generation, in shuffled order, with `correct` written
/// as 0/1 or true/false.
fn pair(dir: &std::path::Path, booleans: bool) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut rng = Rng::new(5);
    let mut counts = String::from("params,tokens,task,problem,samples,correct\n");
    let mut generations: Vec<String> = Vec::new();
    for (n_params, tokens) in [(1e7, 2e9), (4e7, 8e9), (1.6e8, 3e10)] {
        for task in ["qa", "code"] {
            for p in 0..40 {
                let n = 16;
                let skill = rng.uniform();
                let mut c = 0;
                for _ in 0..n {
                    let right = rng.uniform() < skill;
                    c += u64::from(right);
                    let cell = match (booleans, right) {
                        (true, true) => "true",
                        (true, false) => "False",
                        (false, true) => "1",
                        (false, false) => "0",
                    };
                    generations.push(format!("{n_params},{tokens},{task},q{p},{cell}"));
                }
                let _ = writeln!(counts, "{n_params},{tokens},{task},q{p},{n},{c}");
            }
        }
    }
    // Harness logs interleave problems and checkpoints: shuffle the generations.
    for i in (1..generations.len()).rev() {
        let j = (rng.uniform() * (i + 1) as f64) as usize;
        generations.swap(i, j.min(i));
    }
    let counts_path = dir.join("counts.csv");
    let log_path = dir.join("log.csv");
    std::fs::write(&counts_path, counts).unwrap();
    std::fs::write(
        &log_path,
        format!("params,tokens,task,problem,correct\n{}\n", generations.join("\n")),
    )
    .unwrap();
    (counts_path, log_path)
}

#[test]
fn a_generation_log_aggregates_to_its_per_problem_counts() {
    let dir = tempfile::tempdir().unwrap();
    for booleans in [false, true] {
        let (counts, log) = pair(dir.path(), booleans);
        let a = read_runs(&counts, &IngestOptions::default()).unwrap();
        // Small batches: the log is aggregated across many streaming batches.
        let opts = IngestOptions {
            batch_rows: Some(997),
            ..Default::default()
        };
        let b = read_runs(&log, &opts).unwrap();
        assert_eq!(
            (a.report.kind, b.report.kind),
            (InputKind::Sampled, InputKind::Generations)
        );
        assert_eq!(b.report.rows_read, 3 * 2 * 40 * 16);
        // Checkpoints come out in order of first appearance, which the shuffle changes: compare sorted rows.
        assert_eq!(
            common::sorted_rows(&a.table),
            common::sorted_rows(&b.table),
            "pass@k and loss to the last bit"
        );
        let counts = |i: &t2_ingest::Ingested| {
            let mut c: Vec<String> = i.problem_counts.iter().map(|p| format!("{p:?}")).collect();
            c.sort();
            c
        };
        assert_eq!(
            counts(&a),
            counts(&b),
            "the same (n, c) histograms for the floors"
        );
    }
}

#[test]
fn a_cell_that_is_not_a_verdict_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.csv");
    std::fs::write(
        &path,
        "params,tokens,problem,correct\n1e7,2e9,q1,1\n1e7,2e9,q1,maybe\n",
    )
    .unwrap();
    let err = read_runs(&path, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 3")
            && err.contains("correct")
            && err.contains("'maybe' is not 0, 1, true or false"),
        "{err}"
    );
}

#[test]
fn a_parquet_log_with_boolean_verdicts_reads_as_its_csv() {
    use polars::prelude::{Column, DataFrame, ParquetWriter};
    let dir = tempfile::tempdir().unwrap();
    let (_, log) = pair(dir.path(), false);
    let csv = read_runs(&log, &IngestOptions::default()).unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').collect())
        .collect();
    let number = |j: usize| {
        rows.iter()
            .map(|r| r[j].parse::<f64>().unwrap())
            .collect::<Vec<f64>>()
    };
    let word = |j: usize| rows.iter().map(|r| r[j].to_string()).collect::<Vec<String>>();
    let mut frame = DataFrame::new(
        rows.len(),
        vec![
            Column::new("params".into(), number(0)),
            Column::new("tokens".into(), number(1)),
            Column::new("task".into(), word(2)),
            Column::new("problem".into(), word(3)),
            Column::new(
                "correct".into(),
                rows.iter().map(|r| r[4] == "1").collect::<Vec<bool>>(),
            ),
        ],
    )
    .unwrap();
    let path = dir.path().join("log.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut frame)
        .unwrap();
    let parquet = read_runs(&path, &IngestOptions::default()).unwrap();
    assert_eq!(parquet.report.kind, InputKind::Generations);
    assert_eq!(parquet.table.pass_at_k, csv.table.pass_at_k);
    assert_eq!(parquet.table.params, csv.table.params);
}

#[test]
fn a_score_column_gives_the_verdicts_by_a_filter() {
    let dir = tempfile::tempdir().unwrap();
    let (_, log) = pair(dir.path(), false);
    let with_correct = read_runs(&log, &IngestOptions::default()).unwrap();
    // The same log with a graded score instead of a verdict: 1 for right, 0 or 0.5 for wrong.
    let text = std::fs::read_to_string(&log).unwrap();
    let scored: String = text
        .lines()
        .enumerate()
        .map(|(i, line)| match i {
            0 => "params,tokens,task,problem,score\n".to_string(),
            _ if line.is_empty() => String::new(),
            _ => {
                let (head, verdict) = line.rsplit_once(',').unwrap();
                let score = if verdict == "1" {
                    "1.0"
                } else if i % 2 == 0 {
                    "0.5"
                } else {
                    "0"
                };
                format!("{head},{score}\n")
            }
        })
        .collect();
    let path = dir.path().join("scored.csv");
    std::fs::write(&path, scored).unwrap();
    let opts = |f: &str| IngestOptions {
        correct_if: Some(t2_core::filter::Filter::parse(f).unwrap()),
        ..Default::default()
    };
    let by_score = read_runs(&path, &opts("score >= 1")).unwrap();
    assert_eq!(by_score.report.kind, InputKind::Generations);
    assert_eq!(by_score.table.pass_at_k, with_correct.table.pass_at_k);
    for (filter, needle) in [
        ("params > 1e7", "the log's own columns"),
        ("grade >= 1", "no 'grade' column"),
    ] {
        let err = read_runs(&path, &opts(filter)).unwrap_err().to_string();
        assert!(err.contains(needle), "{filter}: {err}");
    }
}

/// The log as JSON Lines (booleans as JSON booleans, numbers as numbers, and the fields a harness adds: a
/// nested prompt and responses) gives the CSV log's table to the last bit; gzip-compressed too.
#[test]
fn a_json_lines_log_reads_as_its_csv() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (_, log) = pair(dir.path(), false);
    let csv = read_runs(&log, &IngestOptions::default()).unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut lines = String::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        let _ = writeln!(
            lines,
            "{{\"params\": {}, \"tokens\": {}, \"task\": \"{}\", \"problem\": \"{}\", \"correct\": {}, \
             \"arguments\": {{\"prompt\": \"Q\"}}, \"resps\": [[\"A\"]]}}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4] == "1"
        );
    }
    let path = dir.path().join("log.jsonl");
    std::fs::write(&path, &lines).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let gz_path = dir.path().join("log.jsonl.gz");
    std::fs::write(&gz_path, gz.finish().unwrap()).unwrap();
    for path in [&path, &gz_path] {
        let opts = IngestOptions {
            batch_rows: Some(997),
            ..Default::default()
        };
        let json = read_runs(path, &opts).unwrap();
        assert_eq!(json.report.kind, InputKind::Generations);
        assert_eq!(json.table, csv.table, "{path:?}");
        assert_eq!(json.problem_counts, csv.problem_counts);
    }
    // A bad verdict is named by its line (no header line: line 2 is the file's second line).
    std::fs::write(
        &path,
        "{\"params\": 1e7, \"tokens\": 2e9, \"problem\": \"q1\", \"correct\": 1}\n\
         {\"params\": 1e7, \"tokens\": 2e9, \"problem\": \"q1\", \"correct\": \"maybe\"}\n",
    )
    .unwrap();
    let err = read_runs(&path, &IngestOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("log.jsonl, line 2, column 'correct': 'maybe' is not 0, 1, true or false"),
        "{err}"
    );
}
