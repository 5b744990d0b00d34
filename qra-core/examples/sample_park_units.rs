//! Prints the GB 18218-2018 identification table of the sample park's units (α from the
//! population within 500 m), next to the per-installation grading with α = 0.5 that `qra run`
//! reported before units existed.
//!
//! `cargo run -p qra-core --example sample_park_units`

use qra_core::park::major_hazard::{identify, identify_units};
use qra_core::risk::study::Study;

fn main() -> Result<(), qra_core::QraError> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/studies/sample_park.toml");
    let study = Study::from_file(&path)?;
    let db = study.substance_db()?;
    println!("per installation, alpha = 0.5 (before):");
    for i in &study.installations {
        let s = db.get(&i.substance)?;
        if let Ok(id) = identify(&[(s, i.inventory_kg(s)?)], 0) {
            println!(
                "  {:<8} S = {:>7.3}  R = {:>7.3}  {:?}",
                i.id, id.s, id.r, id.grade
            );
        }
    }
    println!("per unit, alpha from the population within 500 m:");
    for u in identify_units(&study)? {
        match &u.identification {
            Some(id) => println!(
                "  {:<16} persons {:>5} (day {:.1}, night {:.1})  S = {:>7.3}  alpha = {}  R = {:>7.3}  {:?}",
                u.unit,
                u.exposed_persons,
                u.exposed_persons_day,
                u.exposed_persons_night,
                id.s,
                id.alpha,
                id.r,
                id.grade
            ),
            None => println!("  {:<16} not identified: {:?}", u.unit, u.not_identified),
        }
    }
    Ok(())
}
