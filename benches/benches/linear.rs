//! Linear sources: a 10-km pipeline (4 vertices) with two release classes (rupture: radial
//! 350-m footprint, 80-mm hole: 120-m circle), 2 weather classes × 12 sectors, a population block,
//! grid 11 km × 3 km at 20 m; release points every 20 m (500 points). Full run (IR grid, F-N, PLL),
//! IR transect (101 distances) and societal risk per km (1-km windows every 100 m).
use criterion::{criterion_group, criterion_main, Criterion};
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::linear::{societal_per_km, transect};
use qra_core::risk::study::Study;
use std::hint::black_box;

const PIPELINE_10KM: &str = r#"
schema = "qra-study/1"
installations = []
events = []

[[pipelines]]
id = "P10"
vertices = [[-5000.0, 0.0], [-1000.0, 300.0], [2000.0, -300.0], [5000.0, 0.0]]
substance = "methane"
diameter_mm = 600.0
pressure_pa = 6.6e6
spacing_m = 20.0

[[pipelines.releases]]
id = "rupture"
frequency_per_km_year = 5.0e-5
event_tree = { immediate_ignition = 0.3 }

[[pipelines.releases.outcomes]]
branch = "immediate"
spec = { kind = "analytic", hazard = "thermal", footprint = { type = "radial", distance_m = [0.0, 150.0, 250.0, 350.0], lethality = [1.0, 1.0, 0.3, 0.0] } }

[[pipelines.releases]]
id = "hole-80mm"
frequency_per_km_year = 1.5e-4
hole_diameter_mm = 80.0

[[pipelines.releases.outcomes]]
spec = { kind = "analytic", hazard = "thermal", footprint = { type = "circle", radius_m = 120.0, p = 1.0 } }

[meteorology]
weather = [
  { stability = "D", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = [0.05, 0.05, 0.08, 0.1, 0.1, 0.08, 0.08, 0.1, 0.12, 0.1, 0.08, 0.06] },
  { stability = "F", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = [0.05, 0.05, 0.08, 0.1, 0.1, 0.08, 0.08, 0.1, 0.12, 0.1, 0.08, 0.06] },
]

[[population.polygons]]
vertices = [[-3000.0, 100.0], [0.0, 100.0], [0.0, 800.0], [-3000.0, 800.0]]
count_day = 3000.0

[grid]
x_min_m = -5500.0
x_max_m = 5500.0
y_min_m = -1500.0
y_max_m = 1500.0
resolution_m = 20.0
"#;

fn bench(c: &mut Criterion) {
    let s = Study::from_toml_str(PIPELINE_10KM, "pipeline_10km").expect("study");
    let mut g = c.benchmark_group("linear");
    g.sample_size(10);
    g.bench_function("pipeline-10km-run", |b| {
        b.iter(|| run(black_box(&s), &RunOptions::default()).expect("run").pll)
    });
    let r = run(&s, &RunOptions::default()).expect("run");
    let d: Vec<f64> = (0..=100).map(|k| k as f64 * 8.0 - 400.0).collect();
    g.bench_function("pipeline-10km-transect", |b| {
        b.iter(|| transect(&s, &r, "P10", 5000.0, black_box(&d)).expect("transect"))
    });
    g.bench_function("pipeline-10km-per-km", |b| {
        b.iter(|| {
            societal_per_km(&s, &r, "P10", 1000.0, 100.0)
                .expect("per km")
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
