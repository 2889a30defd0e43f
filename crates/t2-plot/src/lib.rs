//! t2-plot: frontier, isoFLOP, parity and comparison figures (being built).
