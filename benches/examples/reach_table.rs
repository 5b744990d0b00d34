//! Prints the 1 % and 50 % lethality distances of every toxic and flash-fire scenario of a study
//! (`cargo run -p qra-benches --release --example reach_table -- STUDY`), for comparing dense-gas
//! model choices (issue 17).
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::Study;

fn main() {
    let path = std::env::args().nth(1).expect("usage: reach_table STUDY");
    let study = Study::from_file(std::path::Path::new(&path)).expect("study");
    let r = run(&study, &RunOptions::default()).expect("run");
    for s in r.scenarios() {
        if s.kind == "toxic" || s.kind == "flash-fire" {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{:.0}\t{:.0}",
                s.installation,
                s.event,
                s.kind,
                s.weather,
                s.dispersion.unwrap_or("-"),
                s.distance_1pct_m,
                s.distance_50pct_m
            );
        }
    }
}
