//! Park level (issue 6) on the built-in sample park (ten facilities, 501×501 grid): preparation
//! of a `Park` (every installation computed and cached), then what-if answers from the cache —
//! remove a facility (a sum of cached grids), move one (recompute only that facility), add one —
//! and the first-level domino analysis.
use criterion::{criterion_group, criterion_main, Criterion};
use qra_core::park::{domino, Change, Park, SAMPLE_PARK_TOML};
use qra_core::risk::engine::RunOptions;
use qra_core::risk::Study;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("park");
    g.sample_size(10);
    let study = Study::from_toml_str(SAMPLE_PARK_TOML, "sample_park.toml").expect("study");
    let opts = RunOptions::default();
    g.bench_function("sample park: prepare (full run + cache)", |b| {
        b.iter(|| {
            Park::new(black_box(&study), &opts, "GB36894-2018", None)
                .expect("park")
                .base()
                .result
                .pll
        })
    });
    let park = Park::new(&study, &opts, "GB36894-2018", None).expect("park");
    g.bench_function("what-if: remove a facility", |b| {
        b.iter(|| {
            park.what_if(black_box(&[Change::Remove("lpg".into())]))
                .expect("what-if")
                .result
                .pll
        })
    });
    g.bench_function("what-if: move a facility (hydrogen)", |b| {
        b.iter(|| {
            park.what_if(black_box(&[Change::Move {
                facility: "hydrogen".into(),
                dx_m: 100.0,
                dy_m: 50.0,
            }]))
            .expect("what-if")
            .result
            .pll
        })
    });
    let block = park.template("phosgene", "*").expect("template");
    g.bench_function("what-if: add a facility (phosgene copy)", |b| {
        b.iter(|| {
            park.what_if(black_box(&[Change::Add(block.translated(300.0, 300.0))]))
                .expect("what-if")
                .result
                .pll
        })
    });
    g.bench_function("domino: first level", |b| {
        b.iter(|| {
            domino::first_level(black_box(&study))
                .expect("domino")
                .chains
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
