//! Substance look-up and property evaluation (the per-scenario setup cost of every model).
use criterion::{criterion_group, criterion_main, Criterion};
use qra_core::substance::SubstanceDb;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let db = SubstanceDb::builtin().expect("built-in database");
    c.bench_function("substance/lookup_alias", |b| {
        b.iter(|| db.get(black_box("液氨")).map(|s| s.name.len()))
    });
    let nh3 = db.get("ammonia").expect("ammonia");
    c.bench_function("substance/vapour_pressure", |b| {
        b.iter(|| nh3.vapour_pressure_pa(black_box(293.15)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
