//! Runs a study file (`qra-study/1`, TOML or JSON) and prints the time of each stage: scenario
//! resolution and footprints (`Model`), then the whole run. For profiling the park-N studies of
//! `benches/park-1000/` (e.g. under `perf record`):
//!
//! ```sh
//! cargo run -p qra-benches --release --example run_study -- STUDY.json [THREADS] [REPEAT]
//! ```
use qra_core::risk::engine::{run, Model, RunOptions};
use qra_core::risk::scenario::ScenarioSet;
use qra_core::risk::study::Study;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: run_study STUDY [THREADS] [REPEAT]");
    let threads: Option<usize> = args.next().map(|t| t.parse().expect("THREADS"));
    let repeat: usize = args.next().map_or(1, |r| r.parse().expect("REPEAT"));
    let t = Instant::now();
    let study = Study::from_file(std::path::Path::new(&path)).expect("study");
    println!("parse {:.3} s", t.elapsed().as_secs_f64());
    let opts = RunOptions {
        threads,
        ..RunOptions::default()
    };
    // QRA_RUN_ONLY=1: only `run` (what a user runs; for callgrind), no separate model build.
    let run_only = std::env::var_os("QRA_RUN_ONLY").is_some();
    for _ in 0..repeat {
        let t = Instant::now();
        let model = if run_only {
            None
        } else {
            let m = opts
                .install(|| Model::new(&ScenarioSet::from_study(&study)?))
                .expect("model");
            if std::env::var_os("QRA_FOOTPRINT_BYTES").is_some() {
                print_footprint_bytes(&m);
            }
            Some(m)
        };
        let t_model = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let r = run(&study, &opts).expect("run");
        println!(
            "footprints {t_model:.3} s; run {:.3} s; scenarios {}, PLL {:.17e}, max IR {:.17e}",
            t.elapsed().as_secs_f64(),
            model.map_or(0, |m| m.scenarios.len()),
            r.pll,
            r.individual_risk.iter().cloned().fold(0.0, f64::max)
        );
        println!(
            "view-factor table: {} node slabs read",
            qra_core::fire::view_factor_table::slabs_built()
        );
    }
}

/// Heap bytes of the model's distinct footprint tables, by shape (`QRA_FOOTPRINT_BYTES=1`).
fn print_footprint_bytes(model: &Model) {
    use qra_core::risk::footprint::Shape;
    let mut seen = std::collections::HashSet::new();
    let mut by: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for s in &model.scenarios {
        if !seen.insert(std::sync::Arc::as_ptr(&s.footprint)) {
            continue;
        }
        for shape in std::iter::once(&s.footprint.outdoor).chain(s.footprint.indoor.as_ref()) {
            let (k, b) = match shape {
                Shape::Circle { .. } => ("circle", 0),
                Shape::Radial(t) => ("radial", 16 * t.distance_m.len()),
                Shape::Directional(t) => ("directional", 4 * t.lethality.len()),
                Shape::Band(t) => ("band", 8 * t.half_width_m.len()),
                Shape::Ellipse(_)
                | Shape::PointSourceFire(_)
                | Shape::GaussianPlume(_)
                | Shape::TntBlast(_) => ("parametric", 0),
            };
            let e = by.entry(k).or_default();
            e.0 += 1;
            e.1 += b;
        }
    }
    for (k, (n, b)) in by {
        println!("  {k}: {n} tables, {:.1} MB", b as f64 / 1e6);
    }
}
