//! What a verdict is made of: the [`Verdict`], the [`Check`] that raised each [`Reason`], and a fit's or a
//! plan's [`Trust`] (its reasons and the verdict of each question). Data only: the checks live beside it.

use serde::{Deserialize, Serialize};
use t2_core::real;

use super::{Aspect, Aspects};

/// How far to trust a fit or a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check passed.
    #[default]
    Ok,
    /// A check raised a doubt: read the reasons before acting on the numbers.
    Caution,
    /// The numbers do not mean what they seem to: do not act on them.
    Unreliable,
}

impl Verdict {
    /// "ok", "caution" or "unreliable".
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Caution => "caution",
            Verdict::Unreliable => "unreliable",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which check raised a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The solver converged.
    Converged,
    /// Every estimate is finite.
    Finite,
    /// No parameter ended on a bound.
    Bounds,
    /// Exponents lie in (0, 2].
    ExponentRange,
    /// The law's floor does not lie above the data.
    FloorAboveData,
    /// Scale parameters' bootstrap spreads stay within a few decades.
    ScaleSpread,
    /// Exponent intervals are narrow enough to mean something.
    ExponentWidth,
    /// The interval holds the estimate.
    Interval,
    /// Few bootstrap draws lie on a bound.
    DrawsOnBound,
    /// Few bootstrap refits failed.
    FailedDraws,
    /// R² of the fitted target.
    RSquared,
    /// Residuals do not trend with ln N, ln D or k.
    ResidualTrend,
    /// The law is not far worse than each checkpoint's Beta-binomial floor.
    Floor,
    /// The held-out error is small.
    HeldOut,
    /// The forecast beats carrying each size's last fitted checkpoint forward.
    Baseline,
    /// Approach 1: the gain from sampling does not track the single-pass loss (the separable G/k^γ can hold).
    KGain,
    /// The bootstrap band of N* at a budget is narrow enough to act on.
    PlanBand,
    /// Plans: a budget beyond the fitted compute range.
    Extrapolation,
    /// Plans: the optimum on the search bound (N = 1 or D = 1).
    SearchBound,
    /// Plans: the share of bootstrap draws whose optimum is on the search bound.
    DrawsAtSearchBound,
    /// Plans: D* beyond the stock of public human-written text.
    DataWall,
    /// Plans: D* many epochs over the unique data, where repetition is worth little.
    Repetition,
    /// Plans: a target the law does not reach at any budget searched.
    Unreachable,
}

impl Check {
    /// The check's name as people read it.
    pub fn name(self) -> &'static str {
        match self {
            Check::Converged => "converged",
            Check::Finite => "finite",
            Check::Bounds => "bounds",
            Check::ExponentRange => "exponent range",
            Check::FloorAboveData => "floor above data",
            Check::ScaleSpread => "scale spread",
            Check::ExponentWidth => "exponent width",
            Check::Interval => "interval",
            Check::DrawsOnBound => "draws on a bound",
            Check::FailedDraws => "failed draws",
            Check::RSquared => "R²",
            Check::ResidualTrend => "residual trend",
            Check::Floor => "floor",
            Check::HeldOut => "held out",
            Check::Baseline => "baseline",
            Check::KGain => "k-gain",
            Check::PlanBand => "plan band",
            Check::Extrapolation => "extrapolation",
            Check::SearchBound => "search bound",
            Check::DrawsAtSearchBound => "draws at the search bound",
            Check::DataWall => "data wall",
            Check::Repetition => "repetition",
            Check::Unreachable => "unreachable",
        }
    }

    /// Whether the check is a plan's own (not its fit's). The plan band is both: the fit's is judged at one
    /// budget, each plan row's at its own, which replaces the fit's.
    pub fn is_plan_check(self) -> bool {
        // Exhaustive: a new check must say whose it is.
        match self {
            Check::Extrapolation
            | Check::SearchBound
            | Check::DrawsAtSearchBound
            | Check::PlanBand
            | Check::DataWall
            | Check::Repetition
            | Check::Unreachable => true,
            Check::Converged
            | Check::Finite
            | Check::Bounds
            | Check::ExponentRange
            | Check::FloorAboveData
            | Check::ScaleSpread
            | Check::ExponentWidth
            | Check::Interval
            | Check::DrawsOnBound
            | Check::FailedDraws
            | Check::RSquared
            | Check::ResidualTrend
            | Check::Floor
            | Check::HeldOut
            | Check::Baseline
            | Check::KGain => false,
        }
    }

    /// The question the check answers.
    pub fn aspect(self) -> Aspect {
        match self {
            Check::Converged
            | Check::Finite
            | Check::ExponentRange
            | Check::FloorAboveData
            | Check::RSquared
            | Check::ResidualTrend
            | Check::Floor
            | Check::KGain => Aspect::Describes,
            Check::HeldOut
            | Check::Baseline
            | Check::Extrapolation
            | Check::DataWall
            | Check::Repetition
            | Check::Unreachable => Aspect::Predicts,
            Check::Bounds
            | Check::ScaleSpread
            | Check::ExponentWidth
            | Check::Interval
            | Check::DrawsOnBound
            | Check::FailedDraws
            | Check::PlanBand
            | Check::SearchBound
            | Check::DrawsAtSearchBound => Aspect::Identifies,
        }
    }
}

/// One reason for a verdict: what was measured, against what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The check.
    pub check: Check,
    /// What it found.
    pub verdict: Verdict,
    /// What it found, for people.
    pub message: String,
    /// The figure the check measured, when it has one.
    #[serde(with = "real::option")]
    pub value: Option<f64>,
    /// The threshold it was held against, when it has one.
    #[serde(with = "real::option")]
    pub threshold: Option<f64>,
}

/// A verdict and its reasons (the verdict is the worst reason's; `ok` without reasons), and the verdict of
/// each of the three questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trust {
    /// The worst reason's verdict (`ok` without reasons): the worst of the three aspects.
    pub verdict: Verdict,
    /// Describes, predicts, identifies: each the worst verdict of its reasons.
    #[serde(default)]
    pub aspects: Aspects,
    /// The checks that raised a doubt, and notes (verdict `ok`).
    pub reasons: Vec<Reason>,
}

impl Trust {
    /// The trust of these reasons.
    pub fn from_reasons(reasons: Vec<Reason>) -> Trust {
        Trust {
            verdict: reasons.iter().map(|r| r.verdict).max().unwrap_or(Verdict::Ok),
            aspects: Aspects::of(&reasons),
            reasons,
        }
    }

    /// This trust with `other`'s reasons added.
    pub fn and(mut self, other: &Trust) -> Trust {
        self.reasons.extend(other.reasons.iter().cloned());
        Trust::from_reasons(self.reasons)
    }

    /// This trust without the reasons of the checks `drop` selects.
    pub fn without(&self, drop: impl Fn(Check) -> bool) -> Trust {
        Trust::from_reasons(self.reasons.iter().filter(|r| !drop(r.check)).cloned().collect())
    }

    /// The reasons that raised a doubt (not the notes), as one line: "scale spread: …; R²: …".
    pub fn summary(&self) -> String {
        self.reasons
            .iter()
            .filter(|r| r.verdict != Verdict::Ok)
            .map(|r| r.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The reasons in a few words, by question: "describes unreliable (exponent range, k-gain); predicts
    /// caution (baseline)". Empty when every question is `ok`.
    pub fn brief(&self) -> String {
        Aspect::ALL
            .iter()
            .filter(|&&a| self.aspects.get(a) != Verdict::Ok)
            .map(|&a| {
                let mut checks: Vec<&str> = self
                    .reasons
                    .iter()
                    .filter(|r| r.check.aspect() == a && r.verdict != Verdict::Ok)
                    .map(|r| r.check.name())
                    .collect();
                checks.dedup();
                format!("{} {} ({})", a.name(), self.aspects.get(a), checks.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The notes: reasons that say something worth knowing without changing the verdict.
    pub fn notes(&self) -> impl Iterator<Item = &Reason> {
        self.reasons.iter().filter(|r| r.verdict == Verdict::Ok)
    }
}

impl Reason {
    /// The check's name ([`Check::name`]).
    pub fn check_name(&self) -> &'static str {
        self.check.name()
    }

    /// A reason of `check` with its verdict, message, value and threshold.
    pub fn new(
        check: Check,
        verdict: Verdict,
        message: String,
        value: Option<f64>,
        threshold: Option<f64>,
    ) -> Reason {
        Reason {
            check,
            verdict,
            message,
            value,
            threshold,
        }
    }
}
