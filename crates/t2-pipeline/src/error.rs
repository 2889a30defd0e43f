//! Every way the pipeline can fail, as variants a caller can match. Each message names the file, and the file's
//! row and column where one is at fault.

use std::fmt;
use std::path::PathBuf;

use t2_core::filter::FilterError;
use t2_core::plan::PlanError;
use t2_core::rowset::RowSet;
use t2_fit::FitError;
use t2_ingest::IngestError;
use t2_plot::PlotError;

/// Why a pipeline step failed.
#[derive(Debug)]
pub enum Error {
    /// The input file (or the options used to read it) is bad.
    Ingest(IngestError),
    /// A filter expression that does not parse or names a missing column.
    Filter(FilterError),
    /// A request that cannot be carried out (e.g. an output that is an input).
    Request(String),
    /// An option given a value the library refuses: which option (each front end spells it its own way) and
    /// why, in the library's words.
    Option {
        /// The option.
        setting: crate::setting::Setting,
        /// Why its value is refused (the value included).
        message: String,
    },
    /// A form that could not be fitted (boxed: the error path stays cheap for the `Ok` one).
    Fit(Box<FitFailure>),
    /// A budget that cannot be planned, or a fit whose metric is nowhere finite.
    Plan(PlanError),
    /// A figure that could not be drawn or written.
    Plot(PlotError),
    /// A file that is not a t2 fit file, or one of another version.
    FitFile {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        message: String,
    },
    /// A file that could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The caller stopped the fit ([`crate::sweep::Progress::cancel`]).
    Cancelled,
}

/// A form that could not be fitted: which form and task, the file rows at fault, and why.
#[derive(Debug)]
pub struct FitFailure {
    /// The form that failed.
    pub form: t2_core::Form,
    /// Its task, when the table has several.
    pub task: Option<String>,
    /// The input file.
    pub file: PathBuf,
    /// Rows of the input file at fault (1-based, header = row 1), when the error is about rows.
    pub rows: RowSet,
    /// Why.
    pub error: FitError,
}

impl Error {
    /// Whether the error is the input's or the request's fault (exit code 2 at the command line), not a failure
    /// of the job itself.
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Ingest(_)
            | Error::Filter(_)
            | Error::Request(_)
            | Error::Option { .. }
            | Error::Fit(_)
            | Error::FitFile { .. } => true,
            Error::Plan(e) => matches!(e, PlanError::BadBudget(_)),
            Error::Plot(_) | Error::Io { .. } | Error::Cancelled => false,
        }
    }

    /// A write of `path` that failed: an output path refused as such (it is an input, or not a regular file:
    /// [`std::io::ErrorKind::InvalidInput`]) is bad usage, exit 2; any other failure (a full disk, no
    /// permission) is the job failing, exit 1.
    pub fn write(path: &std::path::Path, e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::InvalidInput {
            Error::Request(format!("{}: {e}", path.display()))
        } else {
            Error::io(path, e)
        }
    }

    /// An output that is one of `inputs` refused ([`t2_ingest::files::refuse_overwriting_inputs`]), as the
    /// output option's fault.
    pub fn refuse_overwriting_inputs(
        output: &std::path::Path,
        inputs: &[&std::path::Path],
    ) -> Result<(), Error> {
        t2_ingest::files::refuse_overwriting_inputs(output, inputs)
            .map_err(|message| Error::option(crate::setting::Setting::Out, message))
    }

    /// `setting` refused, with why.
    pub fn option(setting: crate::setting::Setting, message: impl Into<String>) -> Error {
        Error::Option {
            setting,
            message: message.into(),
        }
    }

    /// The message with the option named by `spell` (the command line's flag, Python's keyword) instead of
    /// the library's name.
    pub fn spelled(&self, spell: impl Fn(crate::setting::Setting) -> &'static str) -> String {
        match self {
            Error::Option { setting, message } => format!("{}: {message}", spell(*setting)),
            other => other.to_string(),
        }
    }

    pub(crate) fn io(path: &std::path::Path, e: impl fmt::Display) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Ingest(e) => write!(f, "{e}"),
            Error::Filter(e) => write!(f, "{e}"),
            Error::Request(m) => f.write_str(m),
            Error::Option { setting, message } => write!(f, "{}: {message}", setting.name()),
            Error::Fit(failure) => {
                let FitFailure {
                    form,
                    task,
                    file,
                    rows,
                    error,
                } = failure.as_ref();
                write!(f, "{}", file.display())?;
                if !rows.is_empty() {
                    let plural = if rows.len() == 1 { "" } else { "s" };
                    write!(f, ", row{plural} {}", rows.abbreviated(10))?;
                }
                let task = task.as_deref().map_or(String::new(), |t| format!(" (task {t})"));
                write!(f, ": {}{task}", error.describe())?;
                if error.form() != Some(*form) {
                    write!(f, " [{form}]")?;
                }
                Ok(())
            }
            Error::Plan(e) => write!(f, "{e}"),
            Error::Plot(e) => write!(f, "{e}"),
            Error::FitFile { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Io { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Cancelled => write!(f, "stopped before the fit ended"),
        }
    }
}

impl std::error::Error for Error {}

impl From<t2_ingest::WriteError> for Error {
    fn from(e: t2_ingest::WriteError) -> Error {
        match e {
            t2_ingest::WriteError::Request(e) => Error::Ingest(e),
            t2_ingest::WriteError::Io { path, error } => Error::write(&path, error),
        }
    }
}

impl From<IngestError> for Error {
    fn from(e: IngestError) -> Error {
        Error::Ingest(e)
    }
}

impl From<FilterError> for Error {
    fn from(e: FilterError) -> Error {
        Error::Filter(e)
    }
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Error {
        Error::Plan(e)
    }
}

impl From<PlotError> for Error {
    fn from(e: PlotError) -> Error {
        Error::Plot(e)
    }
}
