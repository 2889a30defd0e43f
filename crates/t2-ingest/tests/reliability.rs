//! The reproducers of the reliability review, each a regression test: corrupt Parquet, panics inside polars,
//! huge sample counts, quadratic work, inputs read wrongly or silently, extreme values.

mod common;

use common::{fixture, read};
use t2_ingest::{IngestError, IngestOptions};

fn read_text(name: &str, text: &[u8], opts: &IngestOptions) -> Result<t2_ingest::Ingested, IngestError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    t2_ingest::read_runs(&path, opts)
}

fn error_of(name: &str, text: &[u8]) -> String {
    read_text(name, text, &IngestOptions::default())
        .map(|i| format!("no error: {} rows", i.table.len()))
        .unwrap_or_else(|e| e.to_string())
}

/// One byte set to 9 made polars allocate 2.3e18 bytes and abort; another byte made it unwrap a None. Both are
/// errors naming the file now, in one line.
#[test]
fn corrupt_parquet_is_an_error_not_an_abort_or_a_panic() {
    for name in ["bad_page_values.parquet", "bad_footer_column.parquet"] {
        let err = read(name, &IngestOptions::default()).unwrap_err().to_string();
        assert!(
            err.contains(name) && err.contains("cannot read as Parquet"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// Valid files with a float16, a decimal or a uint8 column, and a gzip file named .csv, are read.
#[test]
fn valid_columns_of_other_types_and_compressed_csv_are_read() {
    for name in ["runs_float16.parquet", "runs_decimal.parquet"] {
        let t = read(name, &IngestOptions::default()).unwrap().table;
        assert_eq!(t.loss.unwrap(), vec![3.0, 2.75, 2.5], "{name}");
    }
    let t = read("runs_uint8_k.parquet", &IngestOptions::default())
        .unwrap()
        .table;
    assert_eq!(t.k, vec![1.0, 2.0, 4.0]);
    let t = read("runs_gzip_named.csv", &IngestOptions::default())
        .unwrap()
        .table;
    assert_eq!(t.params, vec![1e8, 2e8]);
}

/// `samples = 1e20` used to saturate and wrap and never finish; `1e10, 5e9` took minutes; `1e30, 1` gave
/// pass@1 = 5.42e-20. Counts above 2^53 are refused; big exact ones take constant time.
#[test]
fn huge_sample_counts_are_refused_or_fast_and_exact() {
    let header = "params,tokens,problem,samples,correct\n";
    for (samples, correct) in ["1e20", "1e30"].iter().zip(["0", "1"]) {
        let text = format!("{header}1e8,1e9,a,{samples},{correct}\n1e8,1e9,b,10,1\n");
        let err = error_of("big.csv", text.as_bytes());
        assert!(
            err.contains("row 2, column 'samples'") && err.contains("2^53"),
            "{err}"
        );
    }
    let text = format!("{header}1e8,1e9,a,10000000000,5000000000\n");
    let ingested = read_text("exact.csv", text.as_bytes(), &IngestOptions::default()).unwrap();
    let pass = ingested.table.pass_at_k.unwrap();
    assert_eq!(pass[0], 0.5);
    // The default grid runs to 2^33 ≤ 1e10; at k = 2^33, 1 − C(5e9, k)/C(1e10, k) is 1 to rounding.
    assert_eq!(ingested.table.k.len(), 34);
    assert_eq!(*pass.last().unwrap(), 1.0);
}

/// 200,000 checkpoints summarised: linear in the rows (a linear search per row took 11.6 s for 100,000).
#[test]
fn summary_of_many_checkpoints_is_linear() {
    let n = 200_000;
    let table = t2_core::RunTable {
        params: (0..n).map(|i| 1e6 + i as f64).collect(),
        tokens: vec![1e9; n],
        k: vec![1.0; n],
        loss: Some(vec![2.0; n]),
        ..Default::default()
    };
    let summary = t2_ingest::summarize(&table);
    assert_eq!(summary.checkpoints, n);
}

/// A short row was read with its last cell empty; CR-only line ends, UTF-16 and invalid UTF-8 are named.
#[test]
fn rows_and_encodings_that_cannot_be_read_as_meant_are_errors_naming_the_row() {
    let err = error_of(
        "short.csv",
        b"params,tokens,loss,model\n1e8,2e9,3.0,a\n2e8,4e9,2.8\n4e8,8e9,2.6,c\n",
    );
    assert!(
        err.contains("short.csv, row 3: 3 cells in this row but 4 columns"),
        "{err}"
    );
    let t = read_text(
        "cr.csv",
        b"params,tokens,loss\r1e8,2e9,3.0\r2e8,4e9,2.8\r",
        &IngestOptions::default(),
    )
    .unwrap()
    .table;
    assert_eq!(t.len(), 2);
    let err = error_of("wide.csv", b"\xff\xfep\x00a\x00r\x00");
    assert!(err.contains("UTF-16"), "{err}");
    let err = error_of("latin1.csv", b"params,tokens,loss,model\n1e8,2e9,3.0,caf\xe9\n");
    assert!(
        err.contains("row 2, column 'model'") && err.contains("not UTF-8"),
        "{err}"
    );
    let err = error_of("quote.csv", b"params,tokens,loss\n1e8,2e9,3.0\n\"2e8,4e9,2.8\n");
    assert!(err.contains("row 3 opens a quote"), "{err}");
    let t = read_text(
        "blank_end.csv",
        b"params,tokens,loss\n1e8,2e9,3.0\n2e8,4e9,2.8\n\n",
        &IngestOptions::default(),
    )
    .unwrap()
    .table;
    assert_eq!(t.len(), 2, "a blank line at the end is fine");
    let t = read_text(
        "dup.csv",
        b"run,run_duplicated_0,params,tokens,loss\na,b,1e8,2e9,3\n",
        &IngestOptions::default(),
    )
    .unwrap()
    .table;
    assert_eq!(
        t.extra.len(),
        2,
        "a column named like polars' renaming is not a duplicate"
    );
}

/// N = 1e308 made C = 6ND infinite, N = 1e-320 and a loss of 1e308 were accepted: each is refused, naming
/// the cell.
#[test]
fn extreme_values_are_refused_naming_the_cell() {
    for (text, cell) in [
        (
            "params,tokens,loss\n1e308,1e9,2.0\n1e8,1e9,2.1\n",
            "row 2, column 'params'",
        ),
        (
            "params,tokens,loss\n1e8,1e9,2.0\n1e-320,1e9,2.1\n",
            "row 3, column 'params'",
        ),
        ("params,tokens,loss\n1e8,1e9,1e308\n", "row 2, column 'loss'"),
        ("params,tokens,loss\n1e8,1e-3,2.0\n", "row 2, column 'tokens'"),
    ] {
        let err = error_of("extreme.csv", text.as_bytes());
        assert!(err.contains(cell), "{text:?}: {err}");
    }
}

/// Rows that differ only in train_flops are not exact duplicates; an empty problem id is refused.
#[test]
fn near_duplicates_and_empty_problem_ids_are_errors() {
    let err = error_of(
        "flops.csv",
        b"params,tokens,train_flops,loss\n1e8,1e9,6e17,2.0\n1e8,1e9,7e17,2.0\n",
    );
    assert!(
        err.contains("row 3, column 'train_flops'") && err.contains("duplicate of row 2"),
        "{err}"
    );
    let err = error_of(
        "problems.csv",
        b"params,tokens,problem,samples,correct\n1e8,1e9,,4,1\n",
    );
    assert!(err.contains("row 2, column 'problem': empty problem id"), "{err}");
}

/// A file that t2 writes reads back: the loss of a checkpoint without a correct sample is written as inf and
/// read as +∞ (only where pass@k is 0).
#[test]
fn written_tables_read_back_with_infinite_losses() {
    let ingested = read("sampled_ok.csv", &IngestOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for ext in ["csv", "parquet"] {
        let path = dir.path().join(format!("runs.{ext}"));
        t2_ingest::write_runs(&ingested.table, &path, None).unwrap();
        let back = t2_ingest::read_runs(&path, &IngestOptions::default())
            .unwrap()
            .table;
        assert_eq!(back.loss, ingested.table.loss, "{ext}");
        assert_eq!(back.pass_at_k, ingested.table.pass_at_k, "{ext}");
        assert_eq!(back.params, ingested.table.params, "{ext}");
    }
    let err = error_of("inf.csv", b"params,tokens,loss,pass_at_k\n1e8,1e9,inf,0.5\n");
    assert!(
        err.contains("row 2, column 'loss'") && err.contains("only where pass_at_k = 0"),
        "{err}"
    );
    assert!(fixture("sampled_ok.csv").exists());
}
