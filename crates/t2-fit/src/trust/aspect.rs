//! The three questions a verdict answers separately, and the verdict of each.

use serde::{Deserialize, Serialize};

use super::{Reason, Verdict};

/// What a check asks of a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// Does the law fit the data it was given (R², residual structure, the per-checkpoint floor, its shape)?
    Describes,
    /// Does it forecast checkpoints it did not see, better than naive baselines?
    Predicts,
    /// Do the data pin down what a user acts on: the plan's N*, D*/N*, k* at a budget?
    Identifies,
}

impl Aspect {
    /// Every aspect, in the order they are reported.
    pub const ALL: [Aspect; 3] = [Aspect::Describes, Aspect::Predicts, Aspect::Identifies];

    /// "describes", "predicts", "identifies".
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Describes => "describes",
            Aspect::Predicts => "predicts",
            Aspect::Identifies => "identifies",
        }
    }
}

/// The verdict of each aspect: the worst verdict among its reasons (`ok` without any).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspects {
    /// Does the law fit the data it was given?
    pub describes: Verdict,
    /// Does it forecast held-out checkpoints better than the baselines?
    pub predicts: Verdict,
    /// Is the plan's band narrow enough to act on?
    pub identifies: Verdict,
}

impl Aspects {
    /// The aspects' verdicts from `reasons`.
    pub fn of(reasons: &[Reason]) -> Aspects {
        let worst = |aspect: Aspect| {
            reasons
                .iter()
                .filter(|r| r.check.aspect() == aspect)
                .map(|r| r.verdict)
                .max()
                .unwrap_or(Verdict::Ok)
        };
        Aspects {
            describes: worst(Aspect::Describes),
            predicts: worst(Aspect::Predicts),
            identifies: worst(Aspect::Identifies),
        }
    }

    /// The verdict of `aspect`.
    pub fn get(&self, aspect: Aspect) -> Verdict {
        match aspect {
            Aspect::Describes => self.describes,
            Aspect::Predicts => self.predicts,
            Aspect::Identifies => self.identifies,
        }
    }

    /// "describes ok, predicts caution, identifies ok".
    pub fn line(&self) -> String {
        Aspect::ALL
            .iter()
            .map(|&a| format!("{} {}", a.name(), self.get(a)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
