//! Gaussian plume and puff concentration on 10⁶ receptor points (the risk engine's grid cost).
use criterion::{criterion_group, criterion_main, Criterion};
use qra_core::dispersion::{
    Atmosphere, GaussianPlume, GaussianPuff, SigmaScheme, Stability, Terrain,
};
use std::hint::black_box;

fn grid(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let side = (n as f64).sqrt() as usize;
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for i in 0..side {
        for j in 0..side {
            x.push(-100.0 + 3100.0 * i as f64 / side as f64);
            y.push(-500.0 + 1000.0 * j as f64 / side as f64);
        }
    }
    let z = vec![1.5; x.len()];
    let t = vec![300.0; x.len()];
    (x, y, z, t)
}

fn bench(c: &mut Criterion) {
    let (x, y, z, t) = grid(1_000_000);
    let a = Atmosphere::new(3.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs)
        .expect("valid atmosphere");
    let plume = GaussianPlume::new(1.0, 2.0, a).expect("valid plume");
    let mut g = c.benchmark_group("dispersion");
    g.sample_size(10);
    g.bench_function("plume_1e6_points", |b| {
        b.iter(|| plume.concentrations(black_box(&x), &y, &z).map(|v| v.len()))
    });
    let pa = Atmosphere::new(3.0, Stability::D, Terrain::Rural, SigmaScheme::CcpsPuff)
        .expect("valid atmosphere");
    let puff = GaussianPuff::new(100.0, 0.0, None, pa).expect("valid puff");
    g.bench_function("puff_1e6_points", |b| {
        b.iter(|| {
            puff.concentrations(black_box(&x), &y, &z, &t)
                .map(|v| v.len())
        })
    });
    let finite = GaussianPuff::new(100.0, 0.0, Some(60.0), a).expect("valid puff");
    g.bench_function("finite_puff_1e6_points", |b| {
        b.iter(|| {
            finite
                .concentrations(black_box(&x), &y, &z, &t)
                .map(|v| v.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
