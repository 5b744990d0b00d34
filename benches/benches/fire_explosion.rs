//! Heat flux and overpressure on 10⁶ receiver points (issue 4).
use criterion::{criterion_group, criterion_main, Criterion};
use qra_core::explosion::{BakerStrehlowTang, MultiEnergy, TntBlast};
use qra_core::fire::{
    heat_flux, Fireball, HeatSource, PoolFire, PoolFireSpec, Receiver, Transmissivity,
};
use std::hint::black_box;
use std::time::Duration;

const N: usize = 1_000_000;

fn grid() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    // 1000 × 1000 points on a 1 km square around the source.
    let mut x = Vec::with_capacity(N);
    let mut y = Vec::with_capacity(N);
    for i in 0..1000 {
        for j in 0..1000 {
            x.push(-500.0 + i as f64);
            y.push(-500.0 + j as f64);
        }
    }
    (x, y, vec![0.0; N])
}

fn bench(c: &mut Criterion) {
    let (x, y, z) = grid();
    let pool =
        PoolFire::new(PoolFireSpec::from_substance("lng", 20.0, 5.0).expect("spec")).expect("pool");
    let ball = Fireball::new(10_000.0, 46.35e6, 0.3, Transmissivity::AqT3046).expect("fireball");
    let mut g = c.benchmark_group("fire_explosion_1e6");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("pool_fire_heat_flux_max", |b| {
        b.iter(|| heat_flux(&pool, black_box(&x), &y, &z, Receiver::Max).map(|v| v.len()))
    });
    g.bench_function("fireball_heat_flux", |b| {
        b.iter(|| heat_flux(&ball, black_box(&x), &y, &z, Receiver::Max).map(|v| v.len()))
    });
    let d: Vec<f64> = x
        .iter()
        .zip(&y)
        .map(|(a, b)| (a * a + b * b).sqrt())
        .collect();
    let tnt = TntBlast::new(1000.0).expect("tnt");
    g.bench_function("tnt_overpressure", |b| {
        b.iter(|| {
            black_box(&d)
                .iter()
                .map(|&r| tnt.overpressure_pa(r))
                .sum::<f64>()
        })
    });
    let bst = BakerStrehlowTang::new(4.6e9, 0.7).expect("bst");
    g.bench_function("bst_overpressure", |b| {
        b.iter(|| {
            black_box(&d)
                .iter()
                .map(|&r| bst.overpressure_pa(r))
                .sum::<f64>()
        })
    });
    let me = MultiEnergy::new(4.6e9, 7).expect("multi-energy");
    g.bench_function("multi_energy_overpressure", |b| {
        b.iter(|| {
            black_box(&d)
                .iter()
                .map(|&r| me.overpressure_pa(r))
                .sum::<f64>()
        })
    });
    g.finish();
    let _ = pool.duration_s();
}

criterion_group!(benches, bench);
criterion_main!(benches);
