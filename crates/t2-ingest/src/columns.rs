//! Finding the canonical columns in a file (directly or through the `--col CANONICAL=NAME` mapping) and reading
//! their cells as validated numbers or text.

use std::path::Path;

use polars::prelude::*;
use t2_core::table::ExtraColumn;

use crate::error::{sheet_row, IngestError};
use crate::suggest::close_names;

/// Every column name ingest understands.
pub const CANONICAL: [&str; 13] = [
    "params",
    "tokens",
    "k",
    "loss",
    "pass_at_k",
    "task",
    "train_flops",
    "dataset",
    "weight",
    "problem",
    "samples",
    "correct",
    "nll",
];

/// A column's values with the defaults filled in, and the 0-based rows that took the default.
pub type Defaulted = (Vec<f64>, Vec<usize>);

/// The columns of one file, with the canonical names resolved.
pub struct Columns<'a> {
    path: &'a Path,
    df: &'a DataFrame,
    /// 0-based index in the file of the frame's first row (a batch of a file read in pieces).
    first_index: usize,
    /// (canonical name, name in the file) for each canonical column present.
    resolved: Vec<(&'static str, String)>,
    /// File columns named like a canonical column but superseded by a mapping (not carried through).
    superseded: Vec<String>,
}

impl<'a> Columns<'a> {
    /// Resolves the canonical names of `df` using `mapping` (canonical, name in file). Errors: an unknown
    /// canonical name, a canonical name mapped twice, a mapped name the file does not have.
    pub fn new(path: &'a Path, df: &'a DataFrame, mapping: &[(String, String)]) -> Result<Self, IngestError> {
        Columns::at(path, df, mapping, 0)
    }

    /// [`Columns::new`] for a batch of the file whose first row is the file's 0-based row `first_index`: errors
    /// and [`Columns::sheet_row`] name rows of the file.
    pub fn at(
        path: &'a Path,
        df: &'a DataFrame,
        mapping: &[(String, String)],
        first_index: usize,
    ) -> Result<Self, IngestError> {
        let present: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
        let mut resolved = Vec::new();
        let mut superseded = Vec::new();
        for (canonical, file_name) in mapping {
            let Some(&known) = CANONICAL.iter().find(|c| **c == canonical.as_str()) else {
                return Err(IngestError::file(
                    path,
                    format!(
                        "--col {canonical}={file_name}: '{canonical}' is not a column t2 knows{}; known: {}",
                        did_you_mean(canonical, CANONICAL.iter().copied()),
                        CANONICAL.join(", ")
                    ),
                ));
            };
            if resolved.iter().any(|(c, _)| *c == known) {
                return Err(IngestError::file(
                    path,
                    format!("--col {canonical}=… is given twice"),
                ));
            }
            if !present.iter().any(|p| p == file_name) {
                return Err(missing(
                    path,
                    file_name,
                    &format!("mapped to {canonical} by --col"),
                    &present,
                ));
            }
            if file_name != canonical && present.iter().any(|p| p == canonical) {
                superseded.push(canonical.clone());
            }
            resolved.push((known, file_name.clone()));
        }
        for canonical in CANONICAL {
            let mapped = resolved.iter().any(|(c, _)| *c == canonical);
            let taken = resolved.iter().any(|(_, f)| f == canonical);
            if !mapped && !taken && present.iter().any(|p| p == canonical) {
                resolved.push((canonical, canonical.to_string()));
            }
        }
        Ok(Columns {
            path,
            df,
            first_index,
            resolved,
            superseded,
        })
    }

    /// The file's name for `canonical`, when present.
    pub fn name_of(&self, canonical: &str) -> Option<&str> {
        self.resolved
            .iter()
            .find(|(c, _)| *c == canonical)
            .map(|(_, f)| f.as_str())
    }

    pub fn has(&self, canonical: &str) -> bool {
        self.name_of(canonical).is_some()
    }

    /// Whether the file has a column named exactly `name` (canonical or not).
    pub fn has_column(&self, name: &str) -> bool {
        self.df.get_column_names().iter().any(|n| n.as_str() == name)
    }

    /// Names of file columns ignored because a mapping supersedes them.
    pub fn superseded(&self) -> &[String] {
        &self.superseded
    }

    /// The file's name for `canonical`, or an error listing the columns present and close names.
    pub fn require(&self, canonical: &str, needed_for: &str) -> Result<&str, IngestError> {
        self.name_of(canonical)
            .ok_or_else(|| self.missing(canonical, needed_for))
    }

    /// The error for a missing `canonical` column: lists the columns present and suggests close names.
    pub fn missing(&self, canonical: &str, needed_for: &str) -> IngestError {
        let present: Vec<String> = self.df.get_column_names().iter().map(|n| n.to_string()).collect();
        missing(self.path, canonical, needed_for, &present)
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        self.path
    }

    /// Number of data rows.
    pub fn height(&self) -> usize {
        self.df.height()
    }

    /// The spreadsheet row (header = row 1) of the frame's 0-based row `i`.
    pub fn sheet_row(&self, i: usize) -> usize {
        sheet_row(self.first_index + i)
    }

    /// The cells of `canonical` as finite numbers, or `None` when the column is absent. Errors name the row
    /// and column of an empty, non-numeric, NaN or infinite cell.
    pub fn numbers(&self, canonical: &str) -> Result<Option<Vec<f64>>, IngestError> {
        self.name_of(canonical)
            .map(|name| self.numbers_of(name, canonical, Range::Finite))
            .transpose()
    }

    /// Like [`Columns::numbers`], but +∞ is allowed (a loss −ln 0 where no sample was correct).
    pub fn numbers_or_infinity(&self, canonical: &str) -> Result<Option<Vec<f64>>, IngestError> {
        self.name_of(canonical)
            .map(|name| self.numbers_of(name, canonical, Range::FiniteOrInfinity))
            .transpose()
    }

    /// Like [`Columns::numbers`] for a column that must be present.
    pub fn required_numbers(&self, canonical: &str, needed_for: &str) -> Result<Vec<f64>, IngestError> {
        let name = self.require(canonical, needed_for)?;
        self.numbers_of(name, canonical, Range::Finite)
    }

    /// The cells of `canonical` as text (empty cells as ""), or `None` when absent.
    pub fn texts(&self, canonical: &str) -> Result<Option<Vec<String>>, IngestError> {
        self.name_of(canonical)
            .map(|name| self.texts_of(name))
            .transpose()
    }

    /// Every file column that is not canonical and not superseded, as text, in file order. A canonical column
    /// the reader does not use (a `weight` of per-problem input, an `nll` forced into a run table) is not
    /// carried: written out under its name it would be read back as something else
    /// ([`Columns::unused_canonical`] names them for a warning).
    pub fn extras(&self) -> Result<Vec<ExtraColumn>, IngestError> {
        let mut extras = Vec::new();
        // Each column taken as it comes, not looked up by name (a lookup is a search: 80,000 columns took 7 s).
        for column in self.df.columns() {
            let name = column.name().as_str();
            if self.superseded.iter().any(|s| s == name)
                || self.resolved.iter().any(|(_, f)| f == name)
                || CANONICAL.contains(&name)
            {
                continue;
            }
            extras.push(ExtraColumn {
                name: name.to_string(),
                values: self.cells_as_text(name, column)?,
            });
        }
        Ok(extras)
    }

    /// The canonical columns of the file that a reader using `consumed` leaves out (see [`Columns::extras`]).
    pub fn unused_canonical(&self, consumed: &[&str]) -> Vec<String> {
        self.df
            .get_column_names()
            .iter()
            .map(|n| n.as_str())
            .filter(|n| !self.superseded.iter().any(|s| s == n))
            .filter_map(|n| {
                let canonical = self
                    .resolved
                    .iter()
                    .find(|(_, f)| f == n)
                    .map(|(c, _)| *c)
                    .or_else(|| CANONICAL.iter().copied().find(|c| c == &n))?;
                (!consumed.contains(&canonical)).then(|| n.to_string())
            })
            .collect()
    }

    fn column(&self, name: &str) -> Result<&Column, IngestError> {
        self.df
            .column(name)
            .map_err(|e| IngestError::column(self.path, name, e.to_string()))
    }

    /// Like [`Columns::numbers`], but an empty cell gives `default`. Returns the values and the 0-based rows
    /// that took the default (for the report).
    pub fn numbers_or(&self, canonical: &str, default: f64) -> Result<Option<Defaulted>, IngestError> {
        let Some(name) = self.name_of(canonical) else {
            return Ok(None);
        };
        let cells = self.optional_numbers_of(name, canonical, Range::Finite)?;
        let defaulted = (0..cells.len()).filter(|&i| cells[i].is_none()).collect();
        Ok(Some((
            cells.into_iter().map(|c| c.unwrap_or(default)).collect(),
            defaulted,
        )))
    }

    fn numbers_of(&self, name: &str, canonical: &str, range: Range) -> Result<Vec<f64>, IngestError> {
        let cells = self.optional_numbers_of(name, canonical, range)?;
        match cells.iter().position(Option::is_none) {
            Some(i) => Err(IngestError::cell(
                self.path,
                self.sheet_row(i),
                name,
                label(name, canonical, "empty cell"),
            )),
            None => Ok(cells.into_iter().flatten().collect()),
        }
    }

    /// The cells of column `name` as finite numbers, `None` for empty cells. Errors name the row and column of a
    /// non-numeric, NaN or infinite cell.
    fn optional_numbers_of(
        &self,
        name: &str,
        canonical: &str,
        range: Range,
    ) -> Result<Vec<Option<f64>>, IngestError> {
        let column = self.column(name)?;
        let cells: Vec<Result<Option<f64>, String>> = if column.dtype() == &DataType::String {
            let strings = column
                .str()
                .map_err(|e| IngestError::column(self.path, name, e.to_string()))?;
            strings.iter().map(|cell| parse_cell(cell, range)).collect()
        } else if column.dtype().is_primitive_numeric() || matches!(column.dtype(), DataType::Decimal(..)) {
            let cast = column
                .cast(&DataType::Float64)
                .map_err(|e| IngestError::column(self.path, name, e.to_string()))?;
            let floats = cast
                .f64()
                .map_err(|e| IngestError::column(self.path, name, e.to_string()))?;
            floats
                .iter()
                .map(|v| v.map(|v| range.check(v)).transpose())
                .collect()
        } else {
            return Err(IngestError::column(
                self.path,
                name,
                label(
                    name,
                    canonical,
                    &format!("holds {} values, expected numbers", column.dtype()),
                ),
            ));
        };
        cells
            .into_iter()
            .enumerate()
            .map(|(i, cell)| {
                cell.map_err(|m| {
                    IngestError::cell(self.path, self.sheet_row(i), name, label(name, canonical, &m))
                })
            })
            .collect()
    }

    fn texts_of(&self, name: &str) -> Result<Vec<String>, IngestError> {
        self.cells_as_text(name, self.column(name)?)
    }

    /// The cells of `column` (named `name`) as text, empty cells as "". A NUL byte in a cell (possible in
    /// Parquet) is an error naming the cell: no text file could carry it, so the table could not be written
    /// and read back.
    fn cells_as_text(&self, name: &str, column: &Column) -> Result<Vec<String>, IngestError> {
        let as_text = column
            .cast(&DataType::String)
            .map_err(|e| IngestError::column(self.path, name, format!("cannot read as text: {e}")))?;
        let strings = as_text
            .str()
            .map_err(|e| IngestError::column(self.path, name, e.to_string()))?;
        strings
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Some(text) if text.contains('\0') => Err(IngestError::cell(
                    self.path,
                    self.sheet_row(i),
                    name,
                    "the cell holds a NUL byte, which no text output can carry",
                )),
                v => Ok(v.unwrap_or("").to_string()),
            })
            .collect()
    }
}

/// Which numbers a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    Finite,
    /// Finite or +∞.
    FiniteOrInfinity,
}

impl Range {
    fn check(self, value: f64) -> Result<f64, String> {
        match self {
            Range::FiniteOrInfinity if value == f64::INFINITY => Ok(value),
            _ => finite(value),
        }
    }
}

/// One text cell as a number in `range`, `None` when empty.
fn parse_cell(cell: Option<&str>, range: Range) -> Result<Option<f64>, String> {
    let text = cell.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Ok(None);
    }
    let value: f64 = text.parse().map_err(|_| not_a_number(text))?;
    range.check(value).map(Some)
}

/// "not a number: '2,5'", with a hint when the cell looks like a decimal comma.
fn not_a_number(text: &str) -> String {
    let decimal_comma = text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok();
    if decimal_comma {
        format!("not a number: '{text}' (a decimal comma? t2 reads '.' as the decimal point)")
    } else {
        format!("not a number: '{text}'")
    }
}

/// An error message about a cell, prefixed with the canonical name when the file names the column differently.
fn label(name: &str, canonical: &str, message: &str) -> String {
    if name == canonical {
        message.to_string()
    } else {
        format!("{canonical}: {message}")
    }
}

fn finite(value: f64) -> Result<f64, String> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("{value} is not allowed (NaN or infinity)"))
    }
}

/// The error for a column the file lacks: lists the columns present and suggests close names.
fn missing(path: &Path, wanted: &str, needed_for: &str, present: &[String]) -> IngestError {
    let one_column_with_separators = present.len() == 1 && present[0].contains([';', '\t', '|']);
    let hint = if one_column_with_separators {
        " The header was read as a single column: t2 reads comma-separated files (with '.' as the decimal \
         point); save a semicolon-separated file, perhaps with decimal commas, as CSV."
    } else {
        " Map a differently named column with --col CANONICAL=NAME."
    };
    IngestError::column(
        path,
        wanted,
        format!(
            "missing column ({needed_for}){}; the file has: {}.{hint}",
            did_you_mean(wanted, present.iter().map(String::as_str)),
            present.join(", ")
        ),
    )
}

fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let close = close_names(wanted, candidates);
    if close.is_empty() {
        String::new()
    } else {
        format!(
            "; did you mean {}?",
            close
                .iter()
                .map(|c| format!("'{c}'"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    }
}
