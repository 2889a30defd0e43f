//! Column tables: named, typed columns of equal length, missing values as `None`, the shape of a data frame.
//! The pipeline builds its result tables as these (`t2_pipeline::frames`); ingest writes and reads them as
//! Parquet; the Python package turns them into DataFrames.

use crate::Form;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Real numbers (a missing one is `None`; a non-finite one stays as it is).
    Number(Vec<Option<f64>>),
    /// Counts.
    Count(Vec<Option<u64>>),
    /// Text.
    Text(Vec<Option<String>>),
    /// Yes or no.
    Flag(Vec<bool>),
}

impl Column {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Number(v) => v.len(),
            Column::Count(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Flag(v) => v.len(),
        }
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as text: numbers in Rust's shortest round-trip exponent form (`1.5e21`), missing values
    /// empty (as CSV cells).
    pub fn text(&self, i: usize) -> String {
        match self {
            Column::Number(v) => v[i].map_or(String::new(), |x| format!("{x:e}")),
            Column::Count(v) => v[i].map_or(String::new(), |x| x.to_string()),
            Column::Text(v) => v[i].clone().unwrap_or_default(),
            Column::Flag(v) => v[i].to_string(),
        }
    }
}

/// Named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnTable {
    /// The columns in order, each with its name.
    pub columns: Vec<(String, Column)>,
}

impl ColumnTable {
    /// The number of rows (0 for a table without columns).
    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Adds a column; it must be as long as the others.
    pub fn push(&mut self, name: &str, column: Column) {
        assert!(
            self.columns.is_empty() || column.len() == self.height(),
            "column '{name}' has {} values, the table {}",
            column.len(),
            self.height()
        );
        self.columns.push((name.to_string(), column));
    }

    /// Adds a column of numbers, `f` of each of `rows`.
    pub fn number<T>(&mut self, name: &str, rows: &[T], f: impl Fn(&T) -> Option<f64>) {
        self.push(name, Column::Number(rows.iter().map(f).collect()));
    }

    /// Adds a column of counts.
    pub fn count<T>(&mut self, name: &str, rows: &[T], f: impl Fn(&T) -> Option<u64>) {
        self.push(name, Column::Count(rows.iter().map(f).collect()));
    }

    /// Adds a column of text.
    pub fn text<T>(&mut self, name: &str, rows: &[T], f: impl Fn(&T) -> Option<String>) {
        self.push(name, Column::Text(rows.iter().map(f).collect()));
    }

    /// Adds a column of flags.
    pub fn flag<T>(&mut self, name: &str, rows: &[T], f: impl Fn(&T) -> bool) {
        self.push(name, Column::Flag(rows.iter().map(f).collect()));
    }

    /// Adds the `form` and `task` columns every table of fits starts with.
    pub fn scope<T>(&mut self, rows: &[T], of: impl Fn(&T) -> (Form, Option<String>)) {
        self.text("form", rows, |r| Some(of(r).0.name().to_string()));
        self.text("task", rows, |r| of(r).1);
    }
}
