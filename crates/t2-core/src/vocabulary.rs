//! The words a user types for a closed set of choices (forms, figures, objectives, losses). Each such enum is
//! declared once through [`vocabulary!`], which writes the enum, the list of its values and their names
//! together: a new value is in every list (files, the command line's choices and help, Python's messages) the
//! moment it is declared, and no hand-kept array can miss it.

use std::fmt;

/// A closed set of choices, each with a machine name.
pub trait Vocabulary: Copy + Eq + Send + Sync + 'static {
    /// What one value is, in messages: "form", "figure".
    const WHAT: &'static str;

    /// Every value, in declaration order.
    fn all() -> &'static [Self];

    /// The value's machine name, as in files, on the command line and in Python.
    fn name(self) -> &'static str;

    /// The value named `name` (trimmed; '-' and '_' are the same letter, so "metric-vs-k" is "metric_vs_k").
    fn from_name(name: &str) -> Option<Self> {
        let name = name.trim().replace('-', "_");
        Self::all()
            .iter()
            .copied()
            .find(|v| v.name().replace('-', "_") == name)
    }

    /// The value named `name`, or an error saying what the names are.
    fn parse_name(name: &str) -> Result<Self, UnknownName> {
        Self::from_name(name).ok_or_else(|| UnknownName {
            what: Self::WHAT,
            given: name.to_string(),
            expected: Self::names(),
        })
    }

    /// Every name, as a reader lists them: "a, b or c".
    fn names() -> String {
        let names: Vec<&str> = Self::all().iter().map(|v| v.name()).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}

/// A name that is none of a vocabulary's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What was named ("form").
    pub what: &'static str,
    /// The name given.
    pub given: String,
    /// The names there are ("a, b or c").
    pub expected: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} '{}' (expected {})",
            self.what,
            crate::words::printable(&self.given),
            self.expected
        )
    }
}

impl std::error::Error for UnknownName {}

/// Declares an enum of unit variants with a machine name each, and its [`Vocabulary`]: the variant list and
/// the names are written once, here.
///
/// # Examples
///
/// ```
/// use t2_core::vocabulary::Vocabulary;
///
/// t2_core::vocabulary! {
///     /// A colour.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Colour as "colour" {
///         /// Red.
///         Red => "red",
///         /// Dark blue.
///         DarkBlue => "dark_blue",
///     }
/// }
///
/// assert_eq!(Colour::all(), &[Colour::Red, Colour::DarkBlue]);
/// assert_eq!(Colour::DarkBlue.name(), "dark_blue");
/// assert_eq!(Colour::from_name("dark-blue"), Some(Colour::DarkBlue));
/// assert_eq!(
///     Colour::parse_name("green").unwrap_err().to_string(),
///     "unknown colour 'green' (expected red or dark_blue)"
/// );
/// ```
#[macro_export]
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $word:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub fn all() -> &'static [$name] {
                <$name as $crate::vocabulary::Vocabulary>::all()
            }

            /// The machine name, as in files, on the command line and in Python.
            pub fn name(self) -> &'static str {
                <$name as $crate::vocabulary::Vocabulary>::name(self)
            }

            /// The value of a machine name ('-' and '_' alike), if any.
            pub fn from_name(name: &str) -> Option<$name> {
                <$name as $crate::vocabulary::Vocabulary>::from_name(name)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocabulary::UnknownName;

            /// The value of a machine name, or an error listing the names.
            fn from_str(text: &str) -> Result<$name, Self::Err> {
                <$name as $crate::vocabulary::Vocabulary>::parse_name(text)
            }
        }

        impl $crate::vocabulary::Vocabulary for $name {
            const WHAT: &'static str = $what;

            fn all() -> &'static [Self] {
                &[ $( $name::$variant ),+ ]
            }

            fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $word ),+
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::vocabulary! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Loss as "loss" {
            Huber => "huber",
            SqLog => "sq-log",
            Sq => "sq",
        }
    }

    #[test]
    fn names_round_trip_and_unknown_ones_say_what_there_is() {
        for &loss in Loss::all() {
            assert_eq!(Loss::from_name(loss.name()), Some(loss));
        }
        assert_eq!(Loss::from_name(" sq_log "), Some(Loss::SqLog));
        assert_eq!(Loss::names(), "huber, sq-log or sq");
        assert_eq!(
            Loss::parse_name("l1\x1b[2J").unwrap_err().to_string(),
            "unknown loss 'l1\\u{1b}[2J' (expected huber, sq-log or sq)"
        );
    }
}
