//! `t2 plan`: compute-optimal N*, D*, k* for each fitted form over training budgets, with bootstrap bands.

mod bands;
mod budgets;
mod output;

use std::path::{Path, PathBuf};

use serde::Serialize;
use t2_core::plan::{plan, Budget, Metric, Plan};
use t2_core::Form;
use t2_fit::FormFit;

pub use bands::{Bands, Interval};
pub use budgets::{log_spaced, parse_flops_spec, FlopsSpec};

use super::CmdResult;
use crate::fitfile::FitFile;

/// Compute-optimal allocation for a fit: for each training budget C_train and the inference budget C_inf,
/// the model size N* on the isoFLOP curve (D = C_train/(6N), k = C_inf/(2N)) that minimises the loss
/// (Chinchilla, Approach 1) or maximises pass@k (Approach 2), with percentile bands from the fit's bootstrap
/// draws, beside the inference-corrected Chinchilla point and the 20:1 rule. When C_inf/(2N) < 1 the metric
/// is evaluated at k = 1 and the row is flagged "k<1".
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
    t2 plan fits/example.json --train-flops 1e18..1e25 --inference-flops 1.4e11\n  \
    t2 plan fits/example.json --train-flops 1e21,1e23 --inference-flops 2e9 --out plan.csv\n  \
    t2 plan fits/example.json --train-flops 1e18..1e25 --points 15 --out plan.json")]
pub struct Args {
    /// Fit file written by `t2 fit` or `t2 run`.
    pub fit: PathBuf,

    /// Training compute C_train in FLOPs: one value (1e21), a comma list (1e19,1e21) or a log range
    /// (1e18..1e25, see --points).
    #[arg(long, value_name = "FLOPS", value_parser = parse_flops_spec, default_value = "1e18..1e25")]
    pub train_flops: FlopsSpec,

    /// Inference compute per query C_inf in FLOPs (1.4e11 = one forward pass of a 70B model).
    #[arg(long, value_name = "FLOPS", default_value_t = 1.4e11)]
    pub inference_flops: f64,

    /// Number of log-spaced budgets in a --train-flops range.
    #[arg(long, default_value_t = 8)]
    pub points: usize,

    /// Also write the plan: .csv (one row per form and budget) or .json.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// One budget's plan and its bootstrap bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    #[serde(flatten)]
    pub plan: Plan,
    pub bands: Option<Bands>,
}

/// The plan of one fitted form over all budgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormPlan {
    pub form: Form,
    pub task: Option<String>,
    pub metric: Metric,
    /// Whether the fit's optimiser converged (from its diagnostics); a plan from an unconverged fit is shown
    /// with a warning.
    pub fit_converged: bool,
    pub rows: Vec<PlanRow>,
}

impl FormPlan {
    /// "approach1" or "approach1 (gsm8k)".
    pub fn label(&self) -> String {
        match &self.task {
            Some(task) => format!("{} ({task})", self.form.name()),
            None => self.form.name().to_string(),
        }
    }
}

/// Reads a fit file, naming the file in errors.
pub fn read_fit_file(path: &Path) -> Result<FitFile, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| format!("{} is not a t2 fit file: {e}", path.display()))?)
}

/// Checked budgets for every training value at one inference value.
pub fn budgets(train_flops: &[f64], inference_flops: f64) -> Result<Vec<Budget>, Box<dyn std::error::Error>> {
    Ok(train_flops
        .iter()
        .map(|&c| Budget::new(c, inference_flops))
        .collect::<Result<_, _>>()?)
}

/// The plan of one fitted form: the optimum and reference points at every budget, with bands when the fit
/// has bootstrap draws.
pub fn plan_form(fit: &FormFit, budgets: &[Budget]) -> Result<FormPlan, Box<dyn std::error::Error>> {
    let bands = match &fit.bootstrap {
        Some(b) if !b.draws.is_empty() => bands::bands(&b.draws, budgets, b.level),
        _ => vec![None; budgets.len()],
    };
    let rows = budgets
        .iter()
        .zip(bands)
        .map(|(&b, bands)| {
            Ok(PlanRow {
                plan: plan(&fit.params, b)?,
                bands,
            })
        })
        .collect::<Result<_, t2_core::plan::PlanError>>()?;
    Ok(FormPlan {
        form: fit.form,
        task: fit.task.clone(),
        metric: Metric::of(fit.form),
        fit_converged: fit.diagnostics.converged,
        rows,
    })
}

/// Plans for every form of a fit file.
pub fn plan_fit_file(
    file: &FitFile,
    budgets: &[Budget],
) -> Result<Vec<FormPlan>, Box<dyn std::error::Error>> {
    file.fits.iter().map(|f| plan_form(f, budgets)).collect()
}

/// Writes plans as CSV (.csv) or JSON (.json).
pub fn write_plans(plans: &[FormPlan], path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    output::write(plans, path)
}

pub fn run(args: Args) -> CmdResult {
    let file = read_fit_file(&args.fit)?;
    if args.points < 2 && matches!(args.train_flops, FlopsSpec::Range(..)) {
        return Err("--points must be at least 2 for a range".into());
    }
    let budgets = budgets(&args.train_flops.values(args.points), args.inference_flops)?;
    let plans = plan_fit_file(&file, &budgets)?;
    print!("{}", output::table(&plans, args.inference_flops));
    if let Some(out) = &args.out {
        write_plans(&plans, out)?;
        println!("wrote {}", out.display());
    }
    Ok(())
}
