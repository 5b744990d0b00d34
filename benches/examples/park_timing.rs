//! One timed run of the synthetic park-1000 (IR + F-N + contours), split by stage.
//!
//! `cargo run -p qra-benches --release --example park_timing [centre|uniform]` (the wind-sector
//! treatment, `meteorology.sector_spreading`; default uniform).
use qra_benches::synthetic_park;
use qra_core::risk::contour::{contours, default_levels};
use qra_core::risk::engine::{run, RunOptions};
use std::time::Instant;

fn main() {
    let mut s = synthetic_park(1000, 40, 5000.0, 10.0);
    if let Some(mode) = std::env::args().nth(1) {
        s.meteorology.sector_spreading = match mode.as_str() {
            "centre" => qra_core::risk::study::SectorSpreading::Centre,
            "uniform" => qra_core::risk::study::SectorSpreading::Uniform,
            other => panic!("unknown mode {other}: centre or uniform"),
        };
    }
    for _ in 0..3 {
        let t = Instant::now();
        let r = run(&s, &RunOptions::default()).expect("run");
        let t1 = t.elapsed();
        let c = contours(&r.x_m, &r.y_m, r.individual_risk.view(), &default_levels());
        let t2 = t.elapsed();
        println!(
            "run {:.3} s, +contours {:.3} s; scenarios {}, F-N points {}, PLL {:.3e}, rings {}",
            t1.as_secs_f64(),
            t2.as_secs_f64(),
            r.model.scenarios.len(),
            r.fn_curve.len(),
            r.pll,
            c.iter().map(|c| c.rings().count()).sum::<usize>()
        );
    }
}
