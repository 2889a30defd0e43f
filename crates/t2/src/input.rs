//! Input options shared by every subcommand that reads a sweep (being built).
