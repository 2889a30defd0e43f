//! Why a fit could not be made, as variants a caller can match, with messages a user can act on.

use std::fmt;

use t2_core::Form;

/// A fit that cannot be attempted, or whose rows cannot identify the form. Rows are indices into the table the
/// fit was given (0-based); a caller that knows the file maps them to file rows.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// The table lacks a column the form fits.
    MissingColumn {
        /// The form.
        form: Form,
        /// The column missing.
        column: &'static str,
        /// How to provide it.
        hint: &'static str,
    },
    /// A row holds a value the form cannot use.
    BadValue {
        /// The form.
        form: Form,
        /// Table row (0-based).
        row: usize,
        /// The column.
        column: &'static str,
        /// The value found.
        value: f64,
        /// What the value must be, e.g. "positive and finite".
        need: &'static str,
    },
    /// The rows mix tasks; each form fits one task at a time.
    MixedTasks {
        /// The form.
        form: Form,
        /// The first task seen.
        first: String,
        /// Another task among the rows.
        other: String,
    },
    /// The rows cannot identify the form: `what` has `have` distinct values where `need` are needed.
    NotIdentifiable {
        /// The form.
        form: Form,
        /// What lacks variety, e.g. "distinct values of k".
        what: String,
        /// How many there are.
        have: usize,
        /// How many the form needs.
        need: usize,
        /// Why, e.g. "γ and G are not identified".
        consequence: &'static str,
    },
    /// The objective was not finite at any start.
    NotFinite {
        /// The form.
        form: Form,
        /// The stage of the fit, e.g. "stage 2".
        stage: &'static str,
    },
    /// Options that cannot define a fit (e.g. no starts, a Huber δ ≤ 0, a level outside (0, 1)).
    BadOptions {
        /// Which options, e.g. "Huber loss".
        what: &'static str,
        /// What is wrong with them.
        message: String,
    },
}

impl FitError {
    /// The form the error is about (None for options).
    pub fn form(&self) -> Option<Form> {
        match self {
            FitError::MissingColumn { form, .. }
            | FitError::BadValue { form, .. }
            | FitError::MixedTasks { form, .. }
            | FitError::NotIdentifiable { form, .. }
            | FitError::NotFinite { form, .. } => Some(*form),
            FitError::BadOptions { .. } => None,
        }
    }

    /// The table row at fault, when one row is.
    pub fn row(&self) -> Option<usize> {
        match self {
            FitError::BadValue { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// The message without the row: the caller says which row (e.g. as a file row).
    pub fn describe(&self) -> String {
        match self {
            FitError::MissingColumn { form, column, hint } => {
                format!("{form} needs a '{column}' column, which the table lacks ({hint})")
            }
            FitError::BadValue {
                form,
                column,
                value,
                need,
                ..
            } => format!("{form} needs {column} {need}; the row has {column} = {value}"),
            FitError::MixedTasks { form, first, other } => format!(
                "{form} fits one task at a time, but the rows mix tasks '{first}' and '{other}' (choose one with \
                 --task)"
            ),
            FitError::NotIdentifiable {
                form,
                what,
                have,
                need,
                consequence,
            } => format!("{form} needs at least {need} {what}; the rows have {have} ({consequence})"),
            FitError::NotFinite { form, stage } => {
                format!("{form}: the {stage} objective was not finite at any start (values out of range?)")
            }
            FitError::BadOptions { what, message } => format!("{what}: {message}"),
        }
    }
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row() {
            Some(row) => write!(f, "table row {}: {}", row + 1, self.describe()),
            None => f.write_str(&self.describe()),
        }
    }
}

impl std::error::Error for FitError {}
