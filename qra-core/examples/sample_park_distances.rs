//! Prints the sample park's external safety distances (GB 36894-2018 limits): per enterprise
//! from its own combined contour, the park, and the per-installation extras.
//!
//! `cargo run -p qra-core --release --example sample_park_distances`

use qra_core::risk::{criteria, engine, study::Study};

fn main() -> Result<(), qra_core::QraError> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/studies/sample_park.toml");
    let r = engine::run(&Study::from_file(&path)?, &engine::RunOptions::default())?;
    let c = criteria::check(&r, "GB36894-2018", Default::default())?;
    for d in &c.safety_distances {
        if d.limit == 3e-7 || d.limit == 3e-6 {
            println!(
                "{:>20} {:?} {:?} {:e}: {:.0} m",
                d.enterprise, d.class, d.status, d.limit, d.distance_m
            );
        }
    }
    Ok(())
}
