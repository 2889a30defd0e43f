//! The embedded font (DejaVu Sans), registered for every family plotters may ask for.

use std::sync::OnceLock;

static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers DejaVu Sans as "sans-serif", "serif" and "monospace" (once per process).
pub fn ensure_registered() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for family in ["sans-serif", "serif", "monospace"] {
                plotters::style::register_font(family, plotters::style::FontStyle::Normal, DEJAVU_SANS)
                    .map_err(|_| "the embedded font DejaVuSans.ttf could not be read".to_string())?;
            }
            Ok(())
        })
        .clone()
}
