//! What the drawing code shares about plotters: the result of a draw, and colours in its type.

use plotters::prelude::*;

use crate::figure::Colour;

/// The result of drawing on backend `DB`.
pub type Draw<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A colour as plotters takes it.
pub fn rgb(c: Colour) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}
