//! Fuzz targets of the readers, as property tests: random bytes, random malformed tables and mutants of real
//! CSV and Parquet files (written by pyarrow and by t2) give a table or an error naming the file, never a panic
//! or an abort; every table returned satisfies the RunTable invariants. The Parquet mutants are what found a
//! one-byte change that made polars allocate 2.3e18 bytes.

mod common;

use proptest::prelude::*;
use t2_ingest::{IngestOptions, Ingested};

const CELLS: [&str; 16] = [
    "1", "2.5", "1e6", "2e9", "0", "-3", "0.5", "NaN", "inf", "", "abc", "\"1,5\"", "\"", "128", "1e400",
    " 7 ",
];

fn check_invariants(ingested: &Ingested) {
    let t = &ingested.table;
    assert!(!t.is_empty());
    assert_eq!(ingested.source_rows.len(), t.len());
    assert!(t.params.iter().all(|&v| v.is_finite() && v > 0.0));
    assert!(t.tokens.iter().all(|&v| v.is_finite() && v > 0.0));
    assert!(t.k.iter().all(|&v| v.is_finite() && v >= 1.0));
    let pass = |i: usize| t.pass_at_k.as_ref().map(|p| p[i]);
    let loss_ok =
        |(i, &v): (usize, &f64)| (v.is_finite() && v >= 0.0) || (v == f64::INFINITY && pass(i) == Some(0.0));
    assert!(t.loss.iter().all(|l| l.iter().enumerate().all(loss_ok)));
    assert!(t.pass_at_k.iter().flatten().all(|&v| (0.0..=1.0).contains(&v)));
    assert!(t.loss.is_some() || t.pass_at_k.is_some());
    assert!(t.extra.iter().all(|c| c.values.len() == t.len()));
}

fn read(bytes: &[u8], ext: &str, opts: &IngestOptions) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    match t2_ingest::read_runs(&path, opts) {
        Ok(ingested) => check_invariants(&ingested),
        Err(err) => assert!(
            err.to_string().contains("input."),
            "the error names the file: {err}"
        ),
    }
}

/// A CSV text from a random header (known and unknown names) and random rows of random length and cells.
fn malformed_table() -> impl Strategy<Value = String> {
    let header = prop::collection::vec(
        prop_oneof![
            prop::sample::select(t2_ingest::CANONICAL.to_vec()).prop_map(String::from),
            "[a-z]{1,4}"
        ],
        0..7,
    );
    let row = prop::collection::vec(
        prop_oneof![
            prop::sample::select(CELLS.to_vec()).prop_map(String::from),
            "[ -~]{0,5}"
        ],
        0..8,
    );
    (header, prop::collection::vec(row, 0..6), any::<bool>()).prop_map(|(header, rows, trailing_newline)| {
        let mut text = header.join(",");
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        if trailing_newline {
            text.push('\n');
        }
        text
    })
}

/// Applies `edits` (position, byte, how: 0 insert, 1 remove, else overwrite) to `bytes`.
fn mutate(bytes: &mut Vec<u8>, edits: &[(usize, u8, u8)]) {
    for &(at, value, how) in edits {
        let at = at % (bytes.len() + 1);
        match how {
            0 => bytes.insert(at, value),
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ if at < bytes.len() => bytes[at] = value,
            _ => bytes.push(value),
        }
    }
}

/// 96 cases per property (a few seconds); set PROPTEST_CASES for a longer search.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

/// A fixed seed, so every run feeds the same inputs (PROPTEST_RNG_SEED explores others).
fn seed() -> proptest::test_runner::RngSeed {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    seed.unwrap_or(proptest::test_runner::RngSeed::Fixed(0))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), rng_seed: seed(), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read(&bytes, "csv", &IngestOptions::default());
        read(&bytes, "parquet", &IngestOptions::default());
        read(&bytes, "jsonl", &IngestOptions::default());
    }

    /// Mutants of an lm-eval log, read as JSON Lines and through an lm-eval index.
    #[test]
    fn mutants_of_a_json_lines_log_never_panic(
        edits in prop::collection::vec((0usize..16_000, any::<u8>(), 0u8..3), 1..6),
        filter in prop::option::of(prop::sample::select(vec!["strict-match", "flexible-extract"])),
    ) {
        let log = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lm_eval_example/pythia-70m/samples_gsm8k_seed0.jsonl");
        let mut bytes = std::fs::read(log).unwrap();
        mutate(&mut bytes, &edits);
        read(&bytes, "jsonl", &IngestOptions::default());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("input.jsonl"), &bytes).unwrap();
        let index = dir.path().join("index.csv");
        std::fs::write(&index, "file,params,tokens\ninput.jsonl,1e8,2e9\n").unwrap();
        let opts = IngestOptions {
            lm_eval: Some(t2_ingest::lm_eval::LmEval { metric: None, filter: filter.map(String::from) }),
            ..IngestOptions::default()
        };
        match t2_ingest::read_runs(&index, &opts) {
            Ok(ingested) => check_invariants(&ingested),
            Err(err) => assert!(err.to_string().contains("input.") || err.to_string().contains("index.csv"), "{err}"),
        }
    }

    #[test]
    fn malformed_tables_never_panic(text in malformed_table(), drop_unestimable in any::<bool>(), grid in any::<bool>()) {
        let k_grid = grid.then(|| vec![1.0, 3.0, 200.0]);
        read(text.as_bytes(), "csv", &IngestOptions { drop_unestimable, ..IngestOptions::default() });
        read(text.as_bytes(), "csv", &IngestOptions { k_grid, drop_unestimable, ..IngestOptions::default() });
    }

    #[test]
    fn mutants_of_a_pyarrow_parquet_file_never_abort_or_panic(
        edits in prop::collection::vec((0usize..853, any::<u8>()), 1..4),
        cut in prop::option::of(0usize..853),
    ) {
        let mut bytes = std::fs::read(common::fixture("runs_uncompressed.parquet")).unwrap();
        for (at, value) in edits {
            let len = bytes.len();
            bytes[at % len] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut);
        }
        read(&bytes, "parquet", &IngestOptions::default());
    }

    #[test]
    fn mutants_of_a_csv_file_never_panic(
        edits in prop::collection::vec((0usize..400, any::<u8>(), 0u8..3), 1..6),
        name in prop::sample::select(vec!["sampled_ok.csv", "runs_ok.csv", "likelihood_ok.csv"]),
    ) {
        let mut bytes = std::fs::read(common::fixture(name)).unwrap();
        mutate(&mut bytes, &edits);
        read(&bytes, "csv", &IngestOptions::default());
    }

    #[test]
    fn damaged_parquet_never_panics(cut in 0usize..2000, flip in 0usize..2000, value in any::<u8>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("good.parquet");
        let table = t2_core::RunTable {
            params: vec![1e6, 2e6, 4e6],
            tokens: vec![1e9, 2e9, 4e9],
            k: vec![1.0, 1.0, 2.0],
            loss: Some(vec![3.0, 2.5, 2.0]),
            pass_at_k: Some(vec![0.1, 0.2, 0.3]),
            task: Some(vec!["gsm8k".into(), "math".into(), "gsm8k".into()]),
            extra: vec![t2_core::table::ExtraColumn { name: "run".into(), values: vec!["a".into(), "b".into(), "c".into()] }],
            ..Default::default()
        };
        t2_ingest::write_runs(&table, &path, None).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        bytes[flip % len] = value;
        bytes.truncate(cut.min(len));
        read(&bytes, "parquet", &IngestOptions::default());
    }
}
