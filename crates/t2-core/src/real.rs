//! Real numbers in files, non-finite values included: JSON has no NaN or infinity, and serde_json would write
//! them as `null`, which then cannot be read back as a number. With `#[serde(with = "t2_core::real")]` a finite
//! value is written as a JSON number and a non-finite one as the string `"NaN"`, `"inf"` or `"-inf"`; reading
//! accepts both. Submodules cover `Option<f64>` ([`option`]), `Vec<f64>` ([`vec`]) and `Vec<Vec<f64>>`
//! ([`matrix`]).

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// How a non-finite value is spelled in a file.
pub fn spelling(v: f64) -> Option<&'static str> {
    if v.is_nan() {
        Some("NaN")
    } else if v == f64::INFINITY {
        Some("inf")
    } else if v == f64::NEG_INFINITY {
        Some("-inf")
    } else {
        None
    }
}

/// A number as [`serialize`] writes it, for containers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real(pub f64);

impl Serialize for Real {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match spelling(self.0) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_f64(self.0),
        }
    }
}

struct RealVisitor;

impl Visitor<'_> for RealVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number, or \"NaN\", \"inf\" or \"-inf\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for Real {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RealVisitor).map(Real)
    }
}

/// Serialises an `f64`, non-finite values as strings.
pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    Real(*v).serialize(s)
}

/// Reads an `f64` written by [`serialize`] (or any JSON number).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Real::deserialize(d).map(|r| r.0)
}

/// `Option<f64>`: `null` for None.
pub mod option {
    use super::*;

    /// Writes the option (None as null, a non-finite value spelled out).
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        v.map(Real).serialize(s)
    }

    /// Reads what `serialize` wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<Real>::deserialize(d)?.map(|r| r.0))
    }
}

/// `Vec<f64>`.
pub mod vec {
    use super::*;

    /// Writes the values, non-finite ones spelled out.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|&x| Real(x)))
    }

    /// Reads what `serialize` wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<Real>::deserialize(d)?.into_iter().map(|r| r.0).collect())
    }
}

/// `Vec<Vec<f64>>` (e.g. a covariance matrix).
pub mod matrix {
    use super::*;

    /// Writes the rows, non-finite values spelled out.
    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            v.iter()
                .map(|row| row.iter().map(|&x| Real(x)).collect::<Vec<_>>()),
        )
    }

    /// Reads what `serialize` wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        Ok(Vec::<Vec<Real>>::deserialize(d)?
            .into_iter()
            .map(|row| row.into_iter().map(|r| r.0).collect())
            .collect())
    }
}

/// `[f64; 5]` (Approach 2's θ).
pub mod array5 {
    use super::*;

    /// Writes the five values, non-finite ones spelled out.
    pub fn serialize<S: Serializer>(v: &[f64; 5], s: S) -> Result<S::Ok, S::Error> {
        v.map(Real).serialize(s)
    }

    /// Reads what `serialize` wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 5], D::Error> {
        Ok(<[Real; 5]>::deserialize(d)?.map(|r| r.0))
    }
}
