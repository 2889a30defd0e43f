//! Build script of the crates whose tests read `../shared/data`: sets the cfg `no_shared_data` when the folder
//! is missing, so those tests are ignored with their reason (see `crates/shared_data.rs`).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_shared_data)");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let dir = std::path::Path::new(&manifest).join("../../../shared/data");
    println!("cargo::rerun-if-changed={}", dir.display());
    if !dir.is_dir() {
        println!("cargo::rustc-cfg=no_shared_data");
    }
}
