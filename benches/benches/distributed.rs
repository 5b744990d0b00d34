//! Distributed path overhead on the synthetic "park-1000" (40 installations, 1000×1000 grid):
//! a local `run` against one `run_partial` per installation (serial, in process, through the
//! binary form) + `combine` — the work a Dask cluster splits across workers.
use criterion::{criterion_group, criterion_main, Criterion};
use qra_benches::synthetic_park;
use qra_core::risk::engine::{combine, run, run_partial, PartialRun, RunOptions};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("distributed");
    g.sample_size(10);
    let park = synthetic_park(1000, 40, 5000.0, 10.0);
    let opts = RunOptions::default();
    g.bench_function("park-1000 local run", |b| {
        b.iter(|| run(black_box(&park), &opts).expect("run").pll)
    });
    g.bench_function("park-1000 partials+combine", |b| {
        b.iter(|| {
            let parts: Vec<PartialRun> = (0..park.installations.len())
                .map(|i| {
                    let p = run_partial(&park, &opts, &[i]).expect("partial");
                    PartialRun::from_bytes(&p.to_bytes()).expect("bytes")
                })
                .collect();
            combine(black_box(&park), &parts).expect("combine").pll
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
