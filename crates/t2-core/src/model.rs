//! A tagged union of the fitted forms, for serialisation and for code that handles any form.

use serde::{Deserialize, Serialize};

use crate::{Approach1Params, Approach2Params, ChinchillaParams};

/// Which parametric form a fit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Chinchilla,
    Approach1,
    Approach2,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Chinchilla => "chinchilla",
            Form::Approach1 => "approach1",
            Form::Approach2 => "approach2",
        }
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
