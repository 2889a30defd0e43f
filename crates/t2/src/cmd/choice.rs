//! The libraries' vocabularies ([`Vocabulary`]: forms, figures) as clap values: one parser for every such enum,
//! so the command line's choices, its help and its errors list exactly the values the library declares.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use t2_core::vocabulary::Vocabulary;

/// Parses a value of `T` by its name, shown with '-' for '_' ("metric-vs-k"; "metric_vs_k" is read too).
#[derive(Clone, Copy)]
pub struct Choice<T>(PhantomData<T>);

/// The parser of `T`'s names, for `#[arg(value_parser = choice::<T>())]`.
pub fn choice<T: Vocabulary>() -> Choice<T> {
    Choice(PhantomData)
}

/// The name as the command line shows it.
fn shown(name: &str) -> String {
    name.replace('_', "-")
}

impl<T: Vocabulary> TypedValueParser for Choice<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::from_name(&text).ok_or_else(|| {
            let mut error = clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd);
            use clap::error::{ContextKind, ContextValue};
            if let Some(arg) = arg {
                error.insert(ContextKind::InvalidArg, ContextValue::String(arg.to_string()));
            }
            error.insert(ContextKind::InvalidValue, ContextValue::String(text.into_owned()));
            error.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(T::all().iter().map(|v| shown(v.name())).collect()),
            );
            error
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::all().iter().map(|v| {
            let name = v.name();
            let value = PossibleValue::new(shown(name));
            if shown(name) == name {
                value
            } else {
                value.alias(name)
            }
        })))
    }
}
