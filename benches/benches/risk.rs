//! Risk engine: the synthetic "park-1000" (1000 LOC events, 40 installations, 6 weather classes,
//! 12 sectors, 1000×1000 grid at 10 m, 100 m population raster): IR grid + F-N + contours, and
//! scaling with LOC count, resolution and extent.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use qra_benches::synthetic_park;
use qra_core::risk::contour::{contours, default_levels};
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::Study;
use std::hint::black_box;

fn full(s: &Study) -> usize {
    let r = run(s, &RunOptions::default()).expect("run");
    let c = contours(&r.x_m, &r.y_m, r.individual_risk.view(), &default_levels());
    c.iter().map(|c| c.rings().count()).sum::<usize>() + r.fn_curve.len()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("risk");
    g.sample_size(10);
    let park = synthetic_park(1000, 40, 5000.0, 10.0);
    g.bench_function("park-1000", |b| b.iter(|| full(black_box(&park))));
    for n in [250, 500, 1000] {
        let s = synthetic_park(n, 40, 5000.0, 10.0);
        g.bench_with_input(BenchmarkId::new("loc", n), &s, |b, s| b.iter(|| full(s)));
    }
    for (cells, res) in [(500, 20.0), (1000, 10.0), (2000, 5.0)] {
        let s = synthetic_park(1000, 40, 5000.0, res);
        g.bench_with_input(BenchmarkId::new("resolution", cells), &s, |b, s| {
            b.iter(|| full(s))
        });
    }
    for half in [2500.0, 5000.0, 10000.0] {
        let s = synthetic_park(1000, 40, half, 10.0);
        g.bench_with_input(BenchmarkId::new("extent_m", 2.0 * half), &s, |b, s| {
            b.iter(|| full(s))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
