//! Run tables: defaults, derived tokens, extras, duplicates, and the write/read round trip.

mod common;

use common::{fixture, read};
use t2_ingest::{Format, IngestOptions, InputKind};

#[test]
fn run_table_columns_task_and_extras() {
    let ingested = read("runs_ok.csv", &IngestOptions::default()).unwrap();
    let t = &ingested.table;
    assert_eq!(ingested.report.kind, InputKind::Run);
    assert_eq!(ingested.report.rows_read, 4);
    assert_eq!(t.params, vec![1e6, 1e6, 2e6, 2e6]);
    assert_eq!(t.k, vec![1.0, 4.0, 1.0, 1.0]);
    assert_eq!(t.loss.as_deref(), Some(&[3.2, 2.1, 3.0, 2.8][..]));
    assert_eq!(t.pass_at_k.as_deref(), Some(&[0.10, 0.30, 0.15, 0.20][..]));
    assert_eq!(t.task.as_deref().unwrap(), &["gsm8k", "gsm8k", "gsm8k", "math"]);
    assert_eq!(t.extra.len(), 1);
    assert_eq!(t.extra[0].name, "run_id");
    assert_eq!(t.extra[0].values, vec!["a", "a", "b", "b"]);
    assert_eq!(rows_of(&ingested), vec![vec![2], vec![3], vec![4], vec![5]]);
    assert!(ingested.report.dropped.is_empty() && ingested.report.warnings.is_empty());
}

#[test]
fn no_k_column_means_k_one_and_tokens_come_from_train_flops() {
    let ingested = read("runs_flops_only.csv", &IngestOptions::default()).unwrap();
    let t = &ingested.table;
    assert_eq!(t.k, vec![1.0, 1.0]);
    // D = C / (6 N): 6e15 / 6e6 = 1e9, 2.4e16 / 1.2e7 = 2e9.
    assert!(
        (t.tokens[0] - 1e9).abs() < 1e-3 && (t.tokens[1] - 2e9).abs() < 1e-3,
        "{:?}",
        t.tokens
    );
    assert!(t.pass_at_k.is_none());
    assert!(
        t.extra.is_empty(),
        "train_flops is consumed, not carried: {:?}",
        t.extra
    );
}

#[test]
fn exact_duplicate_rows_are_dropped_and_reported() {
    let ingested = read("runs_exact_duplicate.csv", &IngestOptions::default()).unwrap();
    assert_eq!(ingested.table.len(), 2);
    assert_eq!(rows_of(&ingested), vec![vec![2], vec![3]]);
    let dropped = &ingested.report.dropped;
    assert_eq!(dropped.len(), 1);
    assert_eq!(
        (dropped[0].count, dropped[0].rows.iter().collect::<Vec<_>>()),
        (1, vec![4])
    );
    assert!(dropped[0].reason.contains("exact duplicate"));
}

#[test]
fn a_mapping_supersedes_a_canonical_column_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two_losses.csv");
    std::fs::write(&path, "params,tokens,loss,loss_smoothed\n1e6,2e9,3.5,3.4\n").unwrap();
    let opts = IngestOptions {
        columns: vec![("loss".into(), "loss_smoothed".into())],
        ..Default::default()
    };
    let ingested = t2_ingest::read_runs(&path, &opts).unwrap();
    assert_eq!(ingested.table.loss, Some(vec![3.4]));
    assert!(ingested.table.extra.is_empty());
    assert!(
        ingested.report.warnings[0].contains("column 'loss' is ignored"),
        "{:?}",
        ingested.report.warnings
    );
}

#[test]
fn written_tables_read_back_bit_identical() {
    let dir = tempfile::tempdir().unwrap();
    for source in ["runs_ok.csv", "sampled_ok.csv", "likelihood_ok.csv"] {
        let original = read(source, &IngestOptions::default()).unwrap().table;
        for (ext, format) in [("csv", Format::Csv), ("parquet", Format::Parquet)] {
            let path = dir.path().join(format!("out.{ext}"));
            t2_ingest::write_runs(&original, &path, None).unwrap();
            let opts = IngestOptions {
                kind: Some(InputKind::Run),
                ..Default::default()
            };
            let back = t2_ingest::read_runs(&path, &opts).unwrap().table;
            assert_eq!(back, original, "{source} via {format:?}");
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&back.loss.unwrap()), bits(&original.loss.clone().unwrap()));
        }
    }
    assert!(fixture("runs_ok.csv").is_file());
}

#[test]
fn an_empty_k_cell_means_k_one_with_a_warning() {
    let ingested = read("runs_empty_k.csv", &IngestOptions::default()).unwrap();
    assert_eq!(ingested.table.k, vec![1.0, 4.0]);
    let warnings = &ingested.report.warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("an empty k cell is read as k = 1 on 1 row (") && w.contains("row 2")),
        "{warnings:?}"
    );
}

/// The file rows behind each table row.
fn rows_of(ingested: &t2_ingest::Ingested) -> Vec<Vec<usize>> {
    ingested.source_rows.iter().map(|r| r.iter().collect()).collect()
}

/// What ingest accepts, it writes so that it reads back, with the kind detected again, to the same table: over
/// generated inputs of every kind carrying extra columns named like the canonical ones t2 reads (a `weight` or
/// `loss` beside per-problem rows, an `nll` or `samples` in a run table forced to `--kind run`, a `problems`
/// column), which were written out and then read back as something else.
#[test]
fn generated_inputs_of_every_kind_read_back_as_written() {
    use t2_core::rng::Rng;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(7);
    let names = [
        "nll",
        "weight",
        "loss",
        "k",
        "samples",
        "correct",
        "problem",
        "problems",
        "pass_at_k",
        "model",
        "lr",
    ];
    let mut checked = 0;
    for case in 0..60 {
        let kind = ["run", "sampled", "likelihood"][case % 3];
        let extra = names[(rng.uniform() * names.len() as f64) as usize];
        let mut csv = match kind {
            "run" => format!("params,tokens,k,loss,{extra}\n"),
            "sampled" => format!("params,tokens,problem,samples,correct,{extra}\n"),
            _ => format!("params,tokens,problem,nll,{extra}\n"),
        };
        for c in 0..4 {
            let (n, d) = (1e7 * (1 + c) as f64, 1e9 * (2 + c) as f64);
            let label = format!("{}", 1 + c);
            for p in 0..3 {
                let row = match kind {
                    "run" => format!("{n},{d},{},{},{label}\n", 1 + p, 2.0 + rng.uniform()),
                    "sampled" => format!("{n},{d},q{p},8,{},{label}\n", (rng.uniform() * 8.0) as u32),
                    _ => format!("{n},{d},q{p},{},{label}\n", 0.1 + 3.0 * rng.uniform()),
                };
                csv += &row;
            }
        }
        let input = dir.path().join(format!("in{case}.csv"));
        std::fs::write(&input, &csv).unwrap();
        let opts = IngestOptions {
            kind: Some(match kind {
                "run" => InputKind::Run,
                "sampled" => InputKind::Sampled,
                _ => InputKind::Likelihood,
            }),
            ..Default::default()
        };
        let Ok(ingested) = t2_ingest::read_runs(&input, &opts) else {
            continue;
        };
        let used: &[&str] = match kind {
            "run" => &["k", "loss", "pass_at_k", "weight"],
            "sampled" => &["problem", "samples", "correct"],
            _ => &["problem", "nll"],
        };
        let reserved =
            names[..7].contains(&extra) || extra == "pass_at_k" || (extra == "problems" && kind != "run");
        if reserved && !used.contains(&extra) {
            assert!(
                ingested
                    .report
                    .warnings
                    .iter()
                    .any(|w| w.contains(&format!("'{extra}' is left out"))),
                "{kind} with {extra}: {:?}",
                ingested.report.warnings
            );
        }
        for ext in ["csv", "parquet"] {
            let out = dir.path().join(format!("out{case}.{ext}"));
            t2_ingest::write_runs(&ingested.table, &out, None).unwrap();
            let back = t2_ingest::read_runs(&out, &IngestOptions::default())
                .unwrap_or_else(|e| panic!("{kind} with {extra} via {ext}: {e}"));
            assert_eq!(back.table, ingested.table, "{kind} with {extra} via {ext}");
            checked += 1;
        }
    }
    assert!(checked >= 80, "{checked}");
}

/// A NUL byte in a text cell (Parquet can hold one) is refused where it is read, naming the cell: no text output
/// could carry it, so the table could not be written and read back.
#[test]
fn a_nul_byte_in_a_text_cell_is_refused_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let table = t2_core::RunTable {
        params: vec![1e8, 2e8],
        tokens: vec![1e10, 1e10],
        k: vec![1.0, 1.0],
        loss: Some(vec![2.5, 2.4]),
        extra: vec![t2_core::table::ExtraColumn {
            name: "run".into(),
            values: vec!["a".into(), "b\0c".into()],
        }],
        ..Default::default()
    };
    let path = dir.path().join("nul.parquet");
    t2_ingest::write_runs(&table, &path, None).unwrap();
    let error = t2_ingest::read_runs(&path, &IngestOptions::default()).unwrap_err();
    assert_eq!(
        (error.row, error.column.as_deref()),
        (Some(3), Some("run")),
        "{error}"
    );
    assert!(error.message.contains("NUL"), "{error}");
}
