//! t2-ingest: reads run tables and per-problem results into validated [`t2_core::RunTable`]s (being built).

pub mod shared_data;
