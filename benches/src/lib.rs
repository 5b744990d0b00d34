//! Criterion benchmarks of qra live in `benches/benches/`; run them with `make bench`.
//!
//! This library holds shared fixtures: [`synthetic_park`], a deterministic synthetic chemical
//! park with analytic footprints of realistic sizes, used by the risk-engine benchmarks.

use std::collections::BTreeMap;

use qra_core::risk::footprint::{DirectionalTable, Hazard, RadialTable, Shape};
use qra_core::risk::study::{
    Branch, Event, EventTree, Grid, Installation, Metadata, Meteorology, Outcome, OutcomeSpec,
    Population, PopulationRaster, ProtectedTarget, Stability, Study, TargetClass, WeatherClass,
    STUDY_SCHEMA,
};

/// Small deterministic generator (64-bit LCG, Knuth MMIX constants); not for statistics.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.next()
    }
}

/// A plume-like lethality raster: (1 − x/L)·exp(−(y/σ)²), zero on the raster edges.
fn plume(len_m: f64, sigma_m: f64) -> Shape {
    let dx = (len_m / 40.0).max(5.0);
    let nx = (len_m / dx).ceil() as usize + 2;
    let half = ((2.5 * sigma_m / dx).ceil() as usize).max(1);
    let ny = 2 * half + 1;
    let x0 = -dx;
    let y0 = -(half as f64) * dx;
    let mut v = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let x = x0 + i as f64 * dx;
            let y = y0 + j as f64 * dx;
            let edge = i == 0 || j == 0 || j == ny - 1;
            v.push(if edge {
                0.0
            } else {
                (1.0 - x / len_m).clamp(0.0, 1.0) * (-(y / sigma_m).powi(2)).exp()
            });
        }
    }
    match DirectionalTable::new(x0, y0, dx, dx, nx, ny, v) {
        Ok(t) => Shape::Directional(t),
        Err(_) => Shape::Circle {
            radius_m: 0.0,
            p: 0.0,
        },
    }
}

fn fire(reach_m: f64) -> Shape {
    let d = vec![0.0, 0.4 * reach_m, 0.7 * reach_m, reach_m];
    match RadialTable::new(d, vec![1.0, 1.0, 0.2, 0.0]) {
        Ok(t) => Shape::Radial(t),
        Err(_) => Shape::Circle {
            radius_m: 0.0,
            p: 0.0,
        },
    }
}

/// Heavy-tailed size: mostly `small`, 3 % up to `large`.
fn size(rng: &mut Lcg, small: (f64, f64), large: (f64, f64)) -> f64 {
    if rng.next() < 0.03 {
        rng.range(large.0, large.1)
    } else {
        rng.range(small.0, small.1)
    }
}

/// A synthetic park: `n_events` LOC events over `n_installations` installations placed in the
/// central ±`half_extent_m`/3 square, Purple-Book-style meteorology (6 weather classes, 12
/// sectors), a 100 m population raster over the whole grid, 20 protected targets, and a grid of
/// ±`half_extent_m` at `resolution_m`. One event in three is toxic (one directional plume per
/// weather class, length 50–400 m, 3 % of 1–3 km); the others are flammable (a radial fire of
/// 20–150 m, 3 % of 300–800 m, and a VCE circle).
pub fn synthetic_park(
    n_events: usize,
    n_installations: usize,
    half_extent_m: f64,
    resolution_m: f64,
) -> Study {
    let mut rng = Lcg(0x5eed_2026);
    let weather: Vec<WeatherClass> = [
        (Stability::B, 3.0, 0.2, 0.0, 0.7),
        (Stability::D, 1.5, 0.1, 0.15, 1.4),
        (Stability::D, 5.0, 0.4, 0.3, 1.0),
        (Stability::D, 9.0, 0.15, 0.1, 0.8),
        (Stability::E, 5.0, 0.0, 0.2, 1.1),
        (Stability::F, 1.5, 0.15, 0.25, 1.8),
    ]
    .iter()
    .map(|&(stability, u, pd, pn, _)| {
        let raw: Vec<f64> = (0..12).map(|_| rng.range(0.5, 1.5)).collect();
        let s: f64 = raw.iter().sum();
        WeatherClass {
            id: None,
            stability,
            wind_speed_m_s: u,
            probability: None,
            probability_day: Some(pd),
            probability_night: Some(pn),
            wind_rose: raw.iter().map(|v| v / s).collect(),
            calm_fraction: 0.0,
            wind_rose_offset_deg: 0.0,
        }
    })
    .collect();
    let plume_scale = [0.7, 1.4, 1.0, 0.8, 1.1, 1.8];
    let core = half_extent_m / 3.0;
    let installations: Vec<Installation> = (0..n_installations)
        .map(|i| Installation {
            id: format!("I{i}"),
            name: None,
            x_m: rng.range(-core, core),
            y_m: rng.range(-core, core),
            substance: if i % 3 == 0 { "chlorine" } else { "propane" }.into(),
            inventory: qra_core::risk::study::Inventory::Mass {
                inventory_kg: 10_000.0,
            },
            pressure_pa: None,
            temperature_k: None,
            phase: None,
            detection_isolation: None,
            facility: None,
            status: None,
            unit: None,
        })
        .collect();
    let mut events = Vec::with_capacity(n_events);
    for e in 0..n_events {
        let inst = e % n_installations;
        let f = 10f64.powf(rng.range(-7.0, -4.0));
        let outcomes = if e % 3 == 0 {
            let len = size(&mut rng, (50.0, 400.0), (1000.0, 3000.0));
            let by_weather: BTreeMap<String, Shape> = weather
                .iter()
                .zip(plume_scale)
                .map(|(w, k)| (w.label(), plume(len * k, 0.08 * len * k + 5.0)))
                .collect();
            vec![Outcome {
                id: None,
                branch: Branch::Always,
                fraction: 1.0,
                probability: None,
                spec: OutcomeSpec::Analytic {
                    hazard: Hazard::Toxic,
                    footprint: None,
                    indoor: None,
                    by_weather,
                },
            }]
        } else {
            let r = size(&mut rng, (20.0, 150.0), (300.0, 800.0));
            vec![
                Outcome {
                    id: None,
                    branch: Branch::Immediate,
                    fraction: 1.0,
                    probability: None,
                    spec: OutcomeSpec::Analytic {
                        hazard: Hazard::Thermal,
                        footprint: Some(fire(r)),
                        indoor: None,
                        by_weather: BTreeMap::new(),
                    },
                },
                Outcome {
                    id: None,
                    branch: Branch::DelayedExplosion,
                    fraction: 1.0,
                    probability: None,
                    spec: OutcomeSpec::Analytic {
                        hazard: Hazard::Explosion,
                        footprint: Some(Shape::Circle {
                            radius_m: 0.6 * r,
                            p: 1.0,
                        }),
                        indoor: None,
                        by_weather: BTreeMap::new(),
                    },
                },
            ]
        };
        events.push(Event {
            id: format!("E{e}"),
            installation: format!("I{inst}"),
            description: None,
            frequency_per_year: Some(f),
            loc: None,
            release: None,
            hole_diameter_mm: None,
            duration_s: None,
            event_tree: EventTree {
                immediate_ignition: Some(0.2),
                delayed_ignition: Some(0.5),
                ..Default::default()
            },
            outcomes,
        });
    }
    let cell = 100.0;
    let n = ((2.0 * half_extent_m) / cell).ceil() as usize;
    let counts: Vec<f64> = (0..n * n)
        .map(|_| {
            if rng.next() < 0.5 {
                0.0
            } else {
                rng.range(0.0, 40.0).floor()
            }
        })
        .collect();
    let targets = (0..20)
        .map(|k| ProtectedTarget {
            id: format!("T{k}"),
            name: None,
            class: TargetClass::ALL[k % 5],
            status: None,
            point: Some([
                rng.range(-half_extent_m, half_extent_m),
                rng.range(-half_extent_m, half_extent_m),
            ]),
            polygon: None,
        })
        .collect();
    Study {
        schema: STUDY_SCHEMA.into(),
        metadata: Metadata {
            title: format!("synthetic park, {n_events} LOC events"),
            ..Default::default()
        },
        origin: None,
        crs: Default::default(),
        substances: Vec::new(),
        installations,
        events,
        meteorology: Meteorology {
            day_fraction: 0.5,
            weather,
            sector_spreading: Default::default(),
            sector_subdivisions: 1,
        },
        population: Population {
            rasters: vec![PopulationRaster {
                x0_m: -half_extent_m,
                y0_m: -half_extent_m,
                cell_size_m: cell,
                nx: n,
                ny: n,
                counts,
                counts_night: None,
                indoor_fraction_day: 0.93,
                indoor_fraction_night: 0.99,
            }],
            polygons: Vec::new(),
        },
        targets,
        options: Default::default(),
        vulnerability: Default::default(),
        grid: Grid {
            x_min_m: -half_extent_m,
            x_max_m: half_extent_m - resolution_m,
            y_min_m: -half_extent_m,
            y_max_m: half_extent_m - resolution_m,
            resolution_m,
        },
        pipelines: Vec::new(),
        facilities: Vec::new(),
        park_boundary: None,
        ignition: Default::default(),
        units: Vec::new(),
    }
}
