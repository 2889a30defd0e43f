//! What ingest did: rows read, rows dropped (with the reason and the file rows), warnings.

use std::path::PathBuf;

use serde::Serialize;
use t2_core::rowset::RowSet;
use t2_core::table::ProblemCounts;
use t2_core::RunTable;

use crate::options::InputKind;

/// Rows of the input left out for one reason; nothing is dropped without a record here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DroppedRows {
    /// Why they were dropped.
    pub reason: String,
    /// How many input rows.
    pub count: usize,
    /// 1-based spreadsheet rows of the input file (header = row 1).
    pub rows: RowSet,
}

/// Summary of one ingest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngestReport {
    /// The input file (or the name a data frame was given).
    pub path: PathBuf,
    /// FNV-1a 64-bit fingerprint of the file's bytes (see [`crate::files::fingerprint`]).
    pub hash: String,
    /// The kind the file was read as (given or detected).
    #[serde(serialize_with = "kind_name")]
    pub kind: InputKind,
    /// Data rows in the file (the header not counted).
    pub rows_read: usize,
    /// Rows dropped, per reason.
    pub dropped: Vec<DroppedRows>,
    /// What a user should know about the input.
    pub warnings: Vec<String>,
}

fn kind_name<S: serde::Serializer>(kind: &InputKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(kind.name())
}

/// A validated run table plus where each row came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    /// The validated run table.
    pub table: RunTable,
    /// For sampled per-problem input, each checkpoint's per-problem outcomes (empty otherwise).
    pub problem_counts: Vec<ProblemCounts>,
    /// For each table row, the 1-based spreadsheet rows of the file behind it (one row for a run table, the
    /// problems of the checkpoint for per-problem inputs).
    pub source_rows: Vec<RowSet>,
    /// What was read, dropped and warned about.
    pub report: IngestReport,
}

impl Ingested {
    /// The file rows (1-based, header = row 1) behind the table rows `table_rows`.
    pub fn file_rows(&self, table_rows: &[usize]) -> RowSet {
        RowSet::union(table_rows.iter().map(|&i| &self.source_rows[i]))
    }
}

/// What one reader produced, before the report is assembled.
pub(crate) struct TableRead {
    pub table: RunTable,
    pub problem_counts: Vec<ProblemCounts>,
    pub source_rows: Vec<RowSet>,
    pub dropped: Vec<DroppedRows>,
    pub warnings: Vec<String>,
}

/// Dropped rows collected by reason, in the order reasons first occur.
#[derive(Default)]
pub(crate) struct Drops(Vec<DroppedRows>);

impl Drops {
    /// Records `rows` (1-based spreadsheet rows) as dropped for `reason`.
    pub fn add(&mut self, reason: String, rows: impl IntoIterator<Item = usize>) {
        let index = match self.0.iter().position(|d| d.reason == reason) {
            Some(index) => index,
            None => {
                self.0.push(DroppedRows {
                    reason,
                    count: 0,
                    rows: RowSet::new(),
                });
                self.0.len() - 1
            }
        };
        let entry = &mut self.0[index];
        for row in rows {
            entry.rows.insert(row);
        }
        entry.count = entry.rows.len();
    }

    pub fn into_vec(self) -> Vec<DroppedRows> {
        self.0
    }
}
