//! Parsing `t2 fit chinchilla` arguments into fit options, row selection and bootstrap units.

use t2_fit::chinchilla::{
    self as chinchilla, constraint_for, epoch_axes, param_index, ChinchillaOptions, Loss, Starts, ALPHA,
    BETA, LN_A, LN_B, LN_E, PARAM_NAMES,
};
use t2_fit::starts;
use t2_fit::Constraint;
use t2_pipeline::Error;

use super::{Args, LossArg};
use crate::cmd::bad;

/// A pin or bound on one parameter, in natural units.
#[derive(Debug, Clone, Copy)]
pub struct ConstraintArg {
    pub index: usize,
    pub constraint: Constraint,
}

impl ConstraintArg {
    /// `NAME=VALUE`.
    pub fn parse_pin(text: &str) -> Result<ConstraintArg, String> {
        let (index, value) = split_named(text, "NAME=VALUE, e.g. E=1.8")?;
        let v = number(value)?;
        Ok(ConstraintArg {
            index,
            constraint: Constraint::Pinned(v),
        })
    }

    /// `NAME=LO:HI`, either side optional.
    pub fn parse_bound(text: &str) -> Result<ConstraintArg, String> {
        let (index, range) = split_named(text, "NAME=LO:HI, e.g. alpha=0:1 or E=:2.5")?;
        let (lo, hi) = range
            .split_once(':')
            .ok_or_else(|| format!("expected LO:HI after '=', got '{range}'"))?;
        let side = |s: &str| {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                number(s).map(Some)
            }
        };
        let constraint = match (side(lo)?, side(hi)?) {
            (Some(lo), Some(hi)) if lo < hi => Constraint::Interval(lo, hi),
            (Some(lo), Some(hi)) => return Err(format!("empty range {lo}:{hi}")),
            (Some(lo), None) => Constraint::Lower(lo),
            (None, Some(hi)) => Constraint::Upper(hi),
            (None, None) => return Err("give at least one side of LO:HI".into()),
        };
        Ok(ConstraintArg { index, constraint })
    }
}

fn split_named<'t>(text: &'t str, expected: &str) -> Result<(usize, &'t str), String> {
    let (name, rest) = text
        .split_once('=')
        .ok_or_else(|| format!("expected {expected}; got '{text}'"))?;
    let index = param_index(name)
        .ok_or_else(|| format!("unknown parameter '{name}' (one of {})", PARAM_NAMES.join(", ")))?;
    Ok((index, rest))
}

fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("'{text}' is not a finite number"))
}

/// Where the local solves start: `grid`, `fast` or `random:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartsArg {
    Grid,
    Fast,
    Random(usize),
}

impl StartsArg {
    pub fn parse(text: &str) -> Result<StartsArg, String> {
        match text.trim() {
            "grid" => Ok(StartsArg::Grid),
            "fast" => Ok(StartsArg::Fast),
            other => match other.strip_prefix("random:").map(|n| n.trim().parse::<usize>()) {
                Some(Ok(n)) if n > 0 => Ok(StartsArg::Random(n)),
                _ => Err(format!("expected grid, fast or random:N (N ≥ 1), got '{other}'")),
            },
        }
    }
}

/// `NAME=FROM:TO:STEP` with NAME one of a, b, e (logs of A, B, E), alpha, beta: the values FROM, FROM + STEP, …
/// up to TO.
pub fn parse_axis(text: &str) -> Result<(usize, Vec<f64>), String> {
    let expected = "NAME=FROM:TO:STEP with NAME one of a, b, e, alpha, beta (e.g. e=0:1:0.25)";
    let (name, range) = text
        .split_once('=')
        .ok_or_else(|| format!("expected {expected}; got '{text}'"))?;
    let index = match name.trim() {
        "a" => LN_A,
        "b" => LN_B,
        "e" => LN_E,
        "alpha" => ALPHA,
        "beta" => BETA,
        other => return Err(format!("unknown grid axis '{other}': expected {expected}")),
    };
    let parts: Vec<f64> = range.split(':').map(number).collect::<Result<_, _>>()?;
    match parts[..] {
        [from, to, step] if step > 0.0 && to >= from => Ok((index, starts::range(from, to, step))),
        _ => Err(format!("expected {expected}; got '{text}' (STEP > 0, TO ≥ FROM)")),
    }
}

/// The fit options the arguments describe.
pub fn fit_options(args: &Args) -> Result<ChinchillaOptions, Error> {
    let loss = match args.loss {
        LossArg::Huber => Loss::huber(args.delta).map_err(|e| bad(format!("--delta: {}", e.describe())))?,
        LossArg::SqLog => Loss::SquaredLog,
        LossArg::Sq => Loss::Squared,
    };
    let starts = match args.starts {
        StartsArg::Grid if args.grid_axis.is_empty() => Starts::EpochGrid,
        StartsArg::Grid => {
            let mut axes = epoch_axes();
            for (index, values) in &args.grid_axis {
                axes[*index] = values.clone();
            }
            Starts::Grid(axes)
        }
        _ if !args.grid_axis.is_empty() => return Err(bad("--grid-axis needs --starts grid")),
        StartsArg::Fast => Starts::Fast {
            polish: chinchilla::FAST_POLISHED,
        },
        StartsArg::Random(count) => Starts::Random {
            count,
            seed: args.boot.seed,
        },
    };
    let mut opts = ChinchillaOptions {
        loss,
        starts,
        ..Default::default()
    };
    if args.no_screen {
        opts.screen = None;
    }
    let mut seen = [false; PARAM_NAMES.len()];
    for c in args.pin.iter().chain(&args.bound) {
        if std::mem::replace(&mut seen[c.index], true) {
            return Err(bad(format!(
                "{} is pinned or bounded twice; give one --pin or --bound per parameter",
                PARAM_NAMES[c.index]
            )));
        }
        opts.constraints[c.index] = constraint_for(c.index, c.constraint).map_err(|e| bad(e.describe()))?;
    }
    if seen.iter().all(|&s| s) && args.bound.is_empty() {
        return Err(bad("every parameter is pinned: nothing to fit"));
    }
    Ok(opts)
}
