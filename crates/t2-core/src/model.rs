//! A tagged union of the fitted forms, for serialisation and for code that handles any form.

use serde::{Deserialize, Serialize};

use crate::{Approach1Params, Approach2Params, ChinchillaParams};

/// Which parametric form a fit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// L(N, D) = E + A/N^α + B/D^β on the single-pass loss.
    Chinchilla,
    /// T² Approach 1: L̂(N, D, k) = E + A/N^α + B/D^β + G/k^γ on the task loss.
    Approach1,
    /// T² Approach 2: Beta-regression pass@k on the single-pass loss law.
    Approach2,
}

impl Form {
    /// Every form, in the order reports list them.
    pub const ALL: [Form; 3] = [Form::Chinchilla, Form::Approach1, Form::Approach2];

    /// The machine name, as in files and on the command line: "chinchilla", "approach1", "approach2".
    pub fn name(self) -> &'static str {
        match self {
            Form::Chinchilla => "chinchilla",
            Form::Approach1 => "approach1",
            Form::Approach2 => "approach2",
        }
    }

    /// The name people read: "Chinchilla", "Approach 1", "Approach 2".
    pub fn label(self) -> &'static str {
        match self {
            Form::Chinchilla => "Chinchilla",
            Form::Approach1 => "Approach 1",
            Form::Approach2 => "Approach 2",
        }
    }

    /// The form of a machine name ([`Form::name`]).
    pub fn from_name(name: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|f| f.name() == name.trim())
    }
}

impl std::fmt::Display for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Fitted parameters of any form.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum ModelParams {
    Chinchilla(ChinchillaParams),
    Approach1(Approach1Params),
    Approach2(Approach2Params),
}

impl ModelParams {
    pub fn form(&self) -> Form {
        match self {
            ModelParams::Chinchilla(_) => Form::Chinchilla,
            ModelParams::Approach1(_) => Form::Approach1,
            ModelParams::Approach2(_) => Form::Approach2,
        }
    }
}
