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
    for _ in 0..repeat {
        let t = Instant::now();
        let model = opts
            .install(|| Model::new(&ScenarioSet::from_study(&study)?))
            .expect("model");
        let t_model = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let r = run(&study, &opts).expect("run");
        println!(
            "footprints {t_model:.3} s; run {:.3} s; scenarios {}, PLL {:.4e}, max IR {:.4e}",
            t.elapsed().as_secs_f64(),
            model.scenarios.len(),
            r.pll,
            r.individual_risk.iter().cloned().fold(0.0, f64::max)
        );
    }
}
