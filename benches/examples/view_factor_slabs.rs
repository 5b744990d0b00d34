//! Writes the stored view-factor node slabs of `qra_core::fire::view_factor_table`
//! (`models/view_factor/cylinder_ln_f.f32le`) from the exact quadrature, or checks the stored
//! file against it (issue 14):
//!
//! ```sh
//! cargo run -p qra-benches --release --example view_factor_slabs -- write   # ~11 s per core
//! cargo run -p qra-benches --release --example view_factor_slabs -- check
//! ```
//! The slabs are computed in parallel and written in node order, so the file is the same bytes
//! whatever the thread count. `check` compares every stored value with the exact one and prints
//! the largest differences (the unit tests check a sample of slabs in debug builds).
use qra_core::fire::view_factor_table::{
    exact_slab, slab_bytes, stored_slab, N_SLABS, N_TILT, SLAB_FILE,
};
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(SLAB_FILE);
    let t = Instant::now();
    let slabs: Vec<Vec<f64>> = (0..N_SLABS)
        .into_par_iter()
        .map(|k| exact_slab(k / N_TILT, k % N_TILT))
        .collect();
    let secs = t.elapsed().as_secs_f64();
    match mode.as_str() {
        "write" => {
            let bytes: Vec<u8> = slabs.iter().flat_map(|s| slab_bytes(s)).collect();
            std::fs::write(&path, &bytes).expect("write the slab file");
            println!(
                "{} slabs computed in {secs:.1} s, {} bytes written to {}",
                slabs.len(),
                bytes.len(),
                path.display()
            );
        }
        "check" => {
            let (mut worst_abs, mut worst_rel) = (0.0f64, 0.0f64);
            for (k, s) in slabs.iter().enumerate() {
                let stored = stored_slab(k / N_TILT, k % N_TILT);
                for (a, b) in s.iter().zip(stored) {
                    worst_abs = worst_abs.max((a - b).abs());
                    worst_rel = worst_rel.max((a - b).abs() / a.abs().max(1e-300));
                }
            }
            println!(
                "{} slabs computed in {secs:.1} s; stored ln F differs by at most {worst_abs:.3e} \
                 (relative {worst_rel:.3e})",
                slabs.len()
            );
        }
        _ => {
            eprintln!("usage: view_factor_slabs write|check");
            std::process::exit(2);
        }
    }
}
