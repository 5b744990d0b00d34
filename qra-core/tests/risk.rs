//! Integration tests of the risk engine (issue 5) on the public API.
//!
//! References are analytic: every expected value below is computed by hand from the definitions
//! IR = Σ f·P_O·P_M·P_φ·P_d and F(N) = Σ_{N_k ≥ N} f_k (Purple Book / GB 36894 form,
//! shared/reference/standards.md §1.1, §3.3), never taken from the code's own output.

use approx::assert_relative_eq;
use proptest::prelude::*;
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::{LocalFrame, Study};
use qra_core::risk::{contour, criteria};
use qra_core::tolerance::{EXACT, SINGLE_PRECISION};
use qra_core::QraError;

const ONE_WEATHER: &str = r#"
[meteorology]
day_fraction = 0.5
weather = [{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]
"#;

fn uniform_rose(n: usize) -> String {
    let p = 1.0 / n as f64;
    let v: Vec<String> = (0..n).map(|_| format!("{p:e}")).collect();
    format!("[{}]", v.join(", "))
}

fn grid(half: f64, res: f64) -> String {
    format!(
        "[grid]\nx_min_m = {}\nx_max_m = {half}\ny_min_m = {}\ny_max_m = {half}\nresolution_m = {res}\n",
        -half, -half
    )
}

fn installation(id: &str, x: f64, y: f64) -> String {
    format!(
        "[[installations]]\nid = \"{id}\"\nx_m = {x:?}\ny_m = {y:?}\nsubstance = \"chlorine\"\ninventory_kg = 1000.0\n"
    )
}

fn event(id: &str, inst: &str, f: f64, spec: &str) -> String {
    format!(
        "[[events]]\nid = \"{id}\"\ninstallation = \"{inst}\"\nfrequency_per_year = {f:e}\n[[events.outcomes]]\nspec = {spec}\n"
    )
}

/// `run` with `threads` worker threads.
fn run_threads(s: &Study, threads: usize) -> qra_core::risk::RiskResult {
    run(
        s,
        &RunOptions {
            threads: Some(threads),
            ..Default::default()
        },
    )
    .unwrap()
}

fn study(parts: &[String]) -> Study {
    let text = format!("schema = \"qra-study/1\"\n{}", parts.join("\n"));
    match Study::from_toml_str(&text, "test") {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// A smooth plume-like raster: lethality = max(0, 1 − x/L)·exp(−(y/σ)²) for x ≥ 0, on nodes
/// aligned with multiples of `dx`; the raster's outer nodes (one column upwind, the first and last
/// rows) are 0 so that the footprint is continuous everywhere (no value decided by rounding).
fn plume(len: f64, sigma: f64, dx: f64) -> String {
    let nx = (len / dx) as usize + 2;
    let half = (3.0 * sigma / dx) as usize;
    let ny = 2 * half + 1;
    let x0 = -dx;
    let y0 = -(half as f64) * dx;
    let mut v = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            let x = x0 + i as f64 * dx;
            let y = y0 + j as f64 * dx;
            let edge = i == 0 || j == 0 || j == ny - 1;
            let p = if edge {
                0.0
            } else {
                (1.0 - x / len).max(0.0) * (-(y / sigma).powi(2)).exp()
            };
            v.push(format!("{p:e}"));
        }
    }
    format!(
        "{{ kind = \"analytic\", footprint = {{ type = \"directional\", x0_m = {x0:?}, y0_m = {y0:?}, dx_m = {dx:?}, dy_m = {dx:?}, nx = {nx}, ny = {ny}, lethality = [{}] }} }}",
        v.join(", ")
    )
}

fn radial_linear(r_max: f64) -> String {
    format!(
        "{{ kind = \"analytic\", footprint = {{ type = \"radial\", distance_m = [0.0, {r_max:?}], lethality = [1.0, 0.0] }} }}"
    )
}

#[test]
fn isotropic_outcome_gives_ir_equal_to_f_times_p() {
    // P(r) = 1 − r/400 for r ≤ 400 m (linear table): IR(r) = f·P(r) exactly.
    let f = 2.5e-5;
    let s = study(&[
        installation("A", 0.0, 0.0),
        event("E", "A", f, &radial_linear(400.0)),
        ONE_WEATHER.into(),
        grid(500.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    for d in [0.0f64, 37.0, 100.0, 250.5, 399.0, 401.0, 1000.0] {
        let expected = f * (1.0 - d / 400.0).max(0.0);
        let got = r.risk_at(&[[d * 0.6, d * 0.8]])[0];
        assert_relative_eq!(got, expected, max_relative = EXACT, epsilon = 1e-300);
    }
    // Grid nodes: the same law (the merged radial table reproduces a piecewise-linear P exactly).
    for (j, &y) in r.y_m.iter().enumerate().step_by(7) {
        for (i, &x) in r.x_m.iter().enumerate().step_by(5) {
            let expected = f * (1.0 - x.hypot(y) / 400.0).max(0.0);
            assert!(
                (r.individual_risk[[j, i]] - expected).abs() <= EXACT * f,
                "({x}, {y})"
            );
        }
    }
}

#[test]
fn circle_footprint_is_exact_on_the_grid() {
    let s = study(&[
        installation("A", 0.0, 0.0),
        event(
            "E",
            "A",
            1e-4,
            "{ kind = \"analytic\", footprint = { type = \"circle\", radius_m = 100.0, p = 0.5 } }",
        ),
        ONE_WEATHER.into(),
        grid(200.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    for (j, &y) in r.y_m.iter().enumerate() {
        for (i, &x) in r.x_m.iter().enumerate() {
            let expected = if x * x + y * y <= 100.0 * 100.0 {
                5e-5
            } else {
                0.0
            };
            assert_eq!(r.individual_risk[[j, i]], expected, "({x}, {y})");
        }
    }
}

#[test]
fn uniform_wind_rose_makes_a_directional_footprint_circular() {
    // 12 sectors: IR is invariant under rotation by 30°; 360 sectors: nearly circular everywhere.
    for (n, angles, tol) in [(12usize, 12usize, EXACT), (360, 7, 2e-2)] {
        let met = format!(
            "[meteorology]\nweather = [{{ stability = \"F\", wind_speed_m_s = 1.5, probability = 1.0, wind_rose = {} }}]\n",
            uniform_rose(n)
        );
        let s = study(&[
            installation("A", 0.0, 0.0),
            event("E", "A", 1e-5, &plume(600.0, 40.0, 20.0)),
            met,
            grid(100.0, 10.0),
        ]);
        let r = run(&s, &RunOptions::default()).unwrap();
        for radius in [50.0, 150.0, 333.0, 550.0] {
            let pts: Vec<[f64; 2]> = (0..angles)
                .map(|k| {
                    let a = (360.0 / angles as f64 * k as f64 + if n == 12 { 7.0 } else { 11.0 })
                        .to_radians();
                    [radius * a.sin(), radius * a.cos()]
                })
                .collect();
            let v = r.risk_at(&pts);
            assert!(v[0] > 0.0);
            for x in &v {
                assert_relative_eq!(*x, v[0], max_relative = tol);
            }
        }
    }
}

fn rose12(shift: usize) -> String {
    let base = [
        0.02, 0.05, 0.08, 0.1, 0.2, 0.05, 0.03, 0.1, 0.12, 0.1, 0.1, 0.05,
    ];
    let v: Vec<String> = (0..12)
        .map(|k| format!("{:?}", base[(k + 12 - shift) % 12]))
        .collect();
    format!(
        "[meteorology]\nweather = [{{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [{}] }}]\n",
        v.join(", ")
    )
}

#[test]
fn rotating_installations_and_wind_rose_rotates_the_field() {
    // Rotation by +90° clockwise (3 sectors): (x, y) → (y, −x).
    let mk = |rot: bool| {
        let p = |x: f64, y: f64| if rot { (y, -x) } else { (x, y) };
        let (ax, ay) = p(100.0, 50.0);
        let (bx, by) = p(-200.0, 120.0);
        study(&[
            installation("A", ax, ay),
            installation("B", bx, by),
            event("E1", "A", 1e-5, &plume(400.0, 30.0, 10.0)),
            event("E2", "B", 3e-6, &radial_linear(250.0)),
            rose12(if rot { 3 } else { 0 }),
            grid(600.0, 10.0),
        ])
    };
    let r0 = run(&mk(false), &RunOptions::default()).unwrap();
    let r1 = run(&mk(true), &RunOptions::default()).unwrap();
    let pts: Vec<[f64; 2]> = (0..200)
        .map(|k| {
            let a = k as f64 * 0.7;
            [300.0 * a.sin() * (k as f64 / 200.0), 300.0 * a.cos()]
        })
        .collect();
    let rot: Vec<[f64; 2]> = pts.iter().map(|p| [p[1], -p[0]]).collect();
    let v0 = r0.risk_at(&pts);
    let v1 = r1.risk_at(&rot);
    let max = v0.iter().cloned().fold(0.0, f64::max);
    assert!(max > 0.0);
    for (a, b) in v0.iter().zip(&v1) {
        assert!((a - b).abs() <= 1e-9 * max, "{a} vs {b}");
    }
    // The grid (square, centred) rotates onto itself: node (i, j) → (n−1−j, i)... compare fields.
    let n = r0.x_m.len();
    let gmax = r0.individual_risk.iter().cloned().fold(0.0, f64::max);
    for j in 0..n {
        for i in 0..n {
            // node (x_i, y_j) maps to (y_j, −x_i) = (x_j, y_{n−1−i})
            let a = r0.individual_risk[[j, i]];
            let b = r1.individual_risk[[n - 1 - i, j]];
            assert!((a - b).abs() <= 1e-9 * gmax, "node ({i},{j}): {a} vs {b}");
        }
    }
}

#[test]
fn risk_is_additive_over_events_and_grid_matches_point_evaluation() {
    let parts = |which: u8| {
        let mut v = vec![installation("A", 0.0, 0.0), installation("B", 150.0, -80.0)];
        if which & 1 != 0 {
            v.push(event("E1", "A", 1e-5, &plume(300.0, 25.0, 10.0)));
        }
        if which & 2 != 0 {
            v.push(event("E2", "B", 4e-6, &radial_linear(200.0)));
        }
        v.push(rose12(0));
        v.push(grid(400.0, 10.0));
        v.push(
            "[[population.rasters]]\nx0_m = -400.0\ny0_m = -400.0\ncell_size_m = 50.0\nnx = 16\nny = 16\ncounts = ["
                .to_string()
                + &(0..256).map(|k| format!("{}.0", k % 7)).collect::<Vec<_>>().join(", ")
                + "]\n",
        );
        // Centre lines: the grid-vs-point check below needs the merged rasters to be the
        // footprints' own (aligned) tables; a sector average is not bilinear on them.
        let mut s = study(&v);
        s.meteorology.sector_spreading = qra_core::risk::study::SectorSpreading::Centre;
        s
    };
    let both = run(&parts(3), &RunOptions::default()).unwrap();
    let a = run(&parts(1), &RunOptions::default()).unwrap();
    let b = run(&parts(2), &RunOptions::default()).unwrap();
    let max = both.individual_risk.iter().cloned().fold(0.0, f64::max);
    for ((x, y), z) in a
        .individual_risk
        .iter()
        .zip(b.individual_risk.iter())
        .zip(both.individual_risk.iter())
    {
        assert!((x + y - z).abs() <= EXACT * max);
    }
    assert_relative_eq!(a.pll + b.pll, both.pll, max_relative = EXACT);
    // F(N) is additive too: F_both(N) = F_a(N) + F_b(N) at every N.
    for p in &both.fn_curve {
        assert_relative_eq!(
            a.frequency_at_least(p.n) + b.frequency_at_least(p.n),
            p.f_per_year,
            max_relative = EXACT
        );
    }
    // Aligned tables: the merged grid equals the exact point evaluation at the nodes (to the
    // merged rasters' single precision).
    for (j, &y) in both.y_m.iter().enumerate().step_by(3) {
        for (i, &x) in both.x_m.iter().enumerate().step_by(3) {
            let e = both.risk_at(&[[x, y]])[0];
            assert!(
                (both.individual_risk[[j, i]] - e).abs() <= SINGLE_PRECISION * max,
                "({x},{y})"
            );
        }
    }
}

#[test]
fn hand_computed_fn_curve() {
    // Persons: 10 at (50, 0), 20 at (200, 0), all outdoors, same day and night.
    // E1: circle r = 100 m, p = 1, f = 1e-4 → N = 10.  E2: circle r = 300 m, p = 0.5, f = 1e-5 →
    // N = 0.5·30 = 15.  F(10) = 1.1e-4, F(15) = 1e-5; PLL = 1e-4·10 + 1e-5·15 = 1.15e-3.
    let mut counts = vec!["0.0".to_string(); 16];
    counts[0] = "10.0".into();
    counts[15] = "20.0".into();
    let s = study(&[
        installation("A", 0.0, 0.0),
        event("E1", "A", 1e-4, "{ kind = \"analytic\", footprint = { type = \"circle\", radius_m = 100.0, p = 1.0 } }"),
        event("E2", "A", 1e-5, "{ kind = \"analytic\", footprint = { type = \"circle\", radius_m = 300.0, p = 0.5 } }"),
        ONE_WEATHER.into(),
        format!(
            "[[population.rasters]]\nx0_m = 45.0\ny0_m = -5.0\ncell_size_m = 10.0\nnx = 16\nny = 1\nindoor_fraction_day = 0.0\nindoor_fraction_night = 0.0\ncounts = [{}]\n",
            counts.join(", ")
        ),
        grid(400.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    let ns: Vec<f64> = r.fn_curve.iter().map(|p| p.n).collect();
    assert_eq!(ns.len(), 2, "{:?}", r.fn_curve);
    assert_relative_eq!(ns[0], 10.0, max_relative = EXACT);
    assert_relative_eq!(ns[1], 15.0, max_relative = EXACT);
    assert_relative_eq!(r.fn_curve[0].f_per_year, 1.1e-4, max_relative = EXACT);
    assert_relative_eq!(r.fn_curve[1].f_per_year, 1e-5, max_relative = EXACT);
    assert_relative_eq!(r.pll, 1.15e-3, max_relative = EXACT);
    assert_relative_eq!(r.max_n, 15.0, max_relative = EXACT);
    assert_relative_eq!(r.contributions[0].pll, 1e-3, max_relative = EXACT);
    assert_relative_eq!(r.contributions[1].pll, 1.5e-4, max_relative = EXACT);
    // GB 36894 lines: F(10) = 1.1e-4 > 1e-3/10 → intolerable.
    let c = criteria::check(&r, "GB36894-2018", criteria::Boundary::OnLineIsBetter).unwrap();
    assert_eq!(c.fn_zone, criteria::FnZone::Intolerable);
    assert_relative_eq!(c.worst_ratio, 1.1, max_relative = EXACT);
}

#[test]
fn outdoor_pll_equals_sum_of_ir_times_population() {
    let counts: Vec<String> = (0..400).map(|k| format!("{}.0", (k * 13) % 11)).collect();
    let s = study(&[
        installation("A", 0.0, 0.0),
        installation("B", -120.0, 60.0),
        event("E1", "A", 1e-5, &plume(350.0, 30.0, 10.0)),
        event("E2", "B", 2e-6, &radial_linear(300.0)),
        event("E3", "B", 5e-6, "{ kind = \"analytic\", footprint = { type = \"circle\", radius_m = 140.0, p = 0.3 } }"),
        rose12(1),
        format!(
            "[[population.rasters]]\nx0_m = -500.0\ny0_m = -500.0\ncell_size_m = 50.0\nnx = 20\nny = 20\nindoor_fraction_day = 0.0\nindoor_fraction_night = 0.0\ncounts = [{}]\n",
            counts.join(", ")
        ),
        grid(500.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    let mut expected = 0.0;
    for j in 0..20 {
        for i in 0..20 {
            let c = ((j * 20 + i) * 13 % 11) as f64;
            let p = [
                -500.0 + 25.0 + 50.0 * i as f64,
                -500.0 + 25.0 + 50.0 * j as f64,
            ];
            expected += c * r.risk_at(&[p])[0];
        }
    }
    assert!(expected > 0.0);
    // The plume is spread over its sector (the default): its societal sums are formed on the
    // 10 m lattice the IR grid interpolates (`merge::lattice_sums`), while `risk_at` evaluates
    // the sector average at the points themselves (50 m cells, off the lattice's nodes): the two
    // differ by the lattice's resampling of the average (measured 5.7·10⁻⁵ relative; the
    // circle and the radial table are summed exactly).
    assert_relative_eq!(r.pll, expected, max_relative = 2e-4);
}

#[test]
fn bit_identical_for_one_and_two_threads() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/analytic_demo.toml"
    ))
    .unwrap();
    let s = Study::from_toml_str(&text, "demo").unwrap();
    let r1 = run_threads(&s, 1);
    let r2 = run_threads(&s, 2);
    let r3 = run_threads(&s, 3);
    for r in [&r2, &r3] {
        assert!(r1
            .individual_risk
            .iter()
            .zip(r.individual_risk.iter())
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(r1.pll.to_bits(), r.pll.to_bits());
        assert_eq!(r1.fn_curve, r.fn_curve);
        assert_eq!(r1.targets, r.targets);
    }
    assert!(run(
        &s,
        &RunOptions {
            threads: Some(0),
            ..Default::default()
        }
    )
    .is_err());
    // The demo's compliance report and GeoJSON are produced without error.
    let c = criteria::check(&r1, "GB36894-2018", Default::default()).unwrap();
    assert_eq!(c.targets.len(), 2);
    assert!(!c.to_string().is_empty());
    let cs = contour::contours(
        &r1.x_m,
        &r1.y_m,
        r1.individual_risk.view(),
        &contour::default_levels(),
    );
    assert!(cs.iter().any(|c| !c.polygons.is_empty()));
    let frame = r1.origin.map(LocalFrame::new).transpose().unwrap();
    let g = contour::to_geojson(&cs, frame.as_ref(), None).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
}

#[test]
fn bad_studies_report_every_problem_with_its_path() {
    let text = r#"
schema = "qra-study/1"
[[installations]]
id = "A"
x_m = 0.0
y_m = 0.0
substance = "chlorin"
inventory_kg = -5.0
[[events]]
id = "E0"
installation = "A"
frequency_per_year = 1e-5
[[events]]
id = "E1"
installation = "Z"
frequency_per_year = 1e-5
[[events]]
id = "E2"
installation = "A"
frequency_per_year = 1e-5
[[events]]
id = "E3"
installation = "A"
frequency_per_year = -1e-5
[[events.outcomes]]
probability = 1.5
spec = { kind = "analytic", footprint = { type = "circle", radius_m = 10.0, p = 2.0 } }
[meteorology]
weather = [
  { stability = "D", wind_speed_m_s = 5.0, probability = 0.5, wind_rose = [0.5, 0.6] },
  { stability = "F", wind_speed_m_s = -1.0, probability = 0.2, wind_rose = [1.0] },
]
[grid]
x_min_m = 0.0
x_max_m = 1e7
y_min_m = 0.0
y_max_m = 1e7
resolution_m = 10.0
"#;
    let e = Study::from_toml_str(text, "bad.toml").unwrap_err();
    let QraError::InvalidDocument { problems, .. } = &e else {
        panic!("{e}")
    };
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    for want in [
        "installations[0].substance",
        "installations[0].inventory_kg",
        "events[1].installation",
        "events[3].frequency_per_year",
        "events[3].outcomes[0].probability",
        "events[3].outcomes[0].spec.footprint",
        "meteorology.weather[0].wind_rose",
        "meteorology.weather[1].wind_speed_m_s",
        "meteorology.weather",
        "grid.resolution_m",
    ] {
        assert!(paths.contains(&want), "missing {want} in {paths:?}");
    }
    assert!(e.to_string().contains("did you mean: chlorine"));
    // Syntax/type errors carry the line.
    let e = Study::from_toml_str("schema = \"qra-study/1\"\ninstallations = 3\n", "t").unwrap_err();
    let QraError::InvalidDocument { problems, .. } = &e else {
        panic!()
    };
    assert_eq!(problems[0].line, Some(2));
    // The engine refuses huge grids before allocating.
    let g = qra_core::risk::study::Grid {
        x_min_m: 0.0,
        x_max_m: 1e7,
        y_min_m: 0.0,
        y_max_m: 1e7,
        resolution_m: 10.0,
    };
    assert!(matches!(g.dims(), Err(QraError::ResourceLimit { .. })));
    // A physical outcome without the data its model needs names the missing field.
    let s = study(&[
        installation("A", 0.0, 0.0),
        event("E", "A", 1e-5, "{ kind = \"toxic\" }"),
        ONE_WEATHER.into(),
        grid(100.0, 10.0),
    ]);
    match run(&s, &RunOptions::default()) {
        Err(QraError::InvalidInput { argument, .. }) => {
            assert!(argument.contains("hole_diameter_mm"), "{argument}")
        }
        other => panic!("expected a missing-field error, got {other:?}"),
    }
}

#[test]
fn json_round_trip_and_generated_frequencies() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/analytic_demo.toml"
    ))
    .unwrap();
    let s = Study::from_toml_str(&text, "demo").unwrap();
    let back = Study::from_json_str(&s.to_json(), "json").unwrap();
    assert_eq!(s, back);
    // Purple Book G1 of a pressure vessel: 5e-7 /y (standards.md §4.1 [M]).
    let set = qra_core::risk::scenario::ScenarioSet::from_study(&s).unwrap();
    assert_eq!(set.events()[0].frequency_per_year, 5e-7);
    // Event tree: gas-high, 50 000 kg instantaneous → P_i = 0.7 (§4.2 [M]); delayed 0.6, f_x 0.4.
    let p = &set.events()[2].outcome_probabilities;
    assert_relative_eq!(p[0], 0.7, max_relative = EXACT);
    assert_relative_eq!(p[1], 0.3 * 0.6 * 0.6, max_relative = EXACT);
    assert_relative_eq!(p[2], 0.3 * 0.6 * 0.4, max_relative = EXACT);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn ir_is_non_negative_and_falls_with_distance_for_decreasing_radial_footprints(
        p0 in 0.0f64..=1.0, r1 in 20.0f64..200.0, dr in 10.0f64..300.0, frac in 0.0f64..1.0,
        f in 1e-9f64..1e-3, ang in 0.0f64..6.0,
    ) {
        let spec = format!(
            "{{ kind = \"analytic\", footprint = {{ type = \"radial\", distance_m = [0.0, {r1:?}, {:?}], lethality = [{p0:?}, {:?}, 0.0] }} }}",
            r1 + dr, p0 * frac
        );
        let s = study(&[installation("A", 3.0, -7.0), event("E", "A", f, &spec), rose12(0), grid(300.0, 10.0)]);
        let r = run(&s, &RunOptions::default()).unwrap();
        prop_assert!(r.individual_risk.iter().all(|v| *v >= 0.0 && v.is_finite()));
        let pts: Vec<[f64; 2]> = (0..60).map(|k| { let d = k as f64 * 8.0; [3.0 + d * ang.sin(), -7.0 + d * ang.cos()] }).collect();
        let v = r.risk_at(&pts);
        for w in v.windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + EXACT));
        }
    }

    #[test]
    fn fn_curve_is_monotone_and_pll_matches(
        seeds in proptest::collection::vec((0.0f64..1.0, 20.0f64..250.0, 1e-7f64..1e-4), 1..5),
    ) {
        let mut parts = vec![installation("A", 0.0, 0.0)];
        for (k, (p, r, f)) in seeds.iter().enumerate() {
            parts.push(event(&format!("E{k}"), "A", *f, &if k % 2 == 0 {
                format!("{{ kind = \"analytic\", footprint = {{ type = \"circle\", radius_m = {r:?}, p = {p:?} }} }}")
            } else {
                plume(*r, 20.0, 10.0)
            }));
        }
        parts.push(rose12(2));
        parts.push(grid(300.0, 10.0));
        parts.push("[[population.polygons]]\nvertices = [[-100.0, -100.0], [150.0, -100.0], [150.0, 120.0], [-100.0, 120.0]]\ncount_day = 500.0\ncount_night = 200.0\n".into());
        let s = study(&parts);
        let r = run(&s, &RunOptions::default()).unwrap();
        for w in r.fn_curve.windows(2) {
            prop_assert!(w[0].n < w[1].n);
            prop_assert!(w[0].f_per_year >= w[1].f_per_year);
        }
        prop_assert!(r.pll >= 0.0);
        let sum: f64 = r.contributions.iter().map(|c| c.pll).sum();
        prop_assert!((sum - r.pll).abs() <= 1e-9 * r.pll.max(1e-300));
    }
}

#[test]
fn huge_footprints_are_clipped_to_the_grid_and_raw_shapes_never_panic() {
    // A 10 000 km plume raster and a 5 000 km radial table on a 1 km grid: memory stays bounded.
    let big = "{ kind = \"analytic\", footprint = { type = \"directional\", x0_m = -1e7, y0_m = -1e7, dx_m = 1e7, dy_m = 1e7, nx = 3, ny = 3, lethality = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0] } }";
    let s = study(&[
        installation("A", 0.0, 0.0),
        event("E1", "A", 1e-5, big),
        event("E2", "A", 1e-5, &radial_linear(5e6)),
        rose12(0),
        grid(500.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    let e = r.risk_at(&[[100.0, 0.0]])[0];
    assert!(e > 0.0);
    assert!(r.individual_risk.iter().all(|v| v.is_finite() && *v >= 0.0));
    // Shapes built field by field (no validation) evaluate to 0 instead of panicking.
    use qra_core::risk::footprint::{DirectionalTable, RadialTable, Shape};
    let d = Shape::Directional(DirectionalTable {
        x0_m: 0.0,
        y0_m: 0.0,
        dx_m: 1.0,
        dy_m: 1.0,
        nx: 1,
        ny: 0,
        lethality: vec![],
    });
    assert_eq!(d.lethality(0.0, 0.0), 0.0);
    let _ = d.reach_m();
    let t = Shape::Radial(RadialTable {
        distance_m: vec![],
        lethality: vec![],
    });
    assert_eq!(t.lethality(1.0, 0.0), 0.0);
    assert_eq!(t.reach_m(), 0.0);
}

#[test]
fn astronomically_large_tables_do_not_overflow() {
    let big = "{ kind = \"analytic\", footprint = { type = \"directional\", x0_m = -1e300, y0_m = -1e300, dx_m = 1e300, dy_m = 1e300, nx = 3, ny = 3, lethality = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0] } }";
    let s = study(&[
        installation("A", 0.0, 0.0),
        event("E1", "A", 1e-5, big),
        event("E2", "A", 1e-5, &radial_linear(1e300)),
        rose12(0),
        grid(200.0, 10.0),
    ]);
    let r = run(&s, &RunOptions::default()).unwrap();
    assert!(r.individual_risk.iter().all(|v| v.is_finite() && *v >= 0.0));
    assert!(r.risk_at(&[[10.0, 10.0]])[0].is_finite());
}

/// A jet-fire study under one wind direction (from north: downwind is −y).
fn jet_study(orientation: &str) -> Study {
    let text = format!(
        r#"schema = "qra-study/1"
[[installations]]
id = "gas"
x_m = 0.0
y_m = 0.0
substance = "methane"
inventory_kg = 20000.0
phase = "gas"
pressure_pa = 5e6
[[events]]
id = "leak"
installation = "gas"
frequency_per_year = 1e-4
[[events.outcomes]]
spec = {{ kind = "jet-fire", release_rate_kg_s = 30.0, orientation = "{orientation}" }}
{ONE_WEATHER}
[grid]
x_min_m = -200.0
x_max_m = 200.0
y_min_m = -200.0
y_max_m = 200.0
resolution_m = 10.0
"#
    );
    // One wind direction (a one-sector rose spread over its 360° would be isotropic).
    let mut s = Study::from_toml_str(&text, "jet").unwrap();
    s.meteorology.sector_spreading = qra_core::risk::study::SectorSpreading::Centre;
    s
}

/// Issue 13 bug: `orientation` was validated but ignored (every jet horizontal, aimed
/// downwind). A vertical jet is axisymmetric: under a one-direction wind its IR upwind equals its
/// IR downwind at the same distance; a horizontal jet aimed downwind gives more downwind.
#[test]
fn jet_fire_orientation_is_honoured() {
    let opts = RunOptions::default();
    let probe = |s: &Study, d: f64| {
        let r = run(s, &opts).unwrap();
        let v = r.risk_at(&[[0.0, -d], [0.0, d], [d, 0.0]]);
        (v[0], v[1], v[2])
    };
    for d in [10.0, 20.0, 30.0] {
        let (down, up, cross) = probe(&jet_study("vertical"), d);
        assert!(down > 0.0, "vertical jet at {d} m: no risk");
        assert_relative_eq!(down, up, max_relative = EXACT);
        assert_relative_eq!(down, cross, max_relative = EXACT);
    }
    let (down, up, _) = probe(&jet_study("horizontal"), 30.0);
    assert!(
        down > 2.0 * up,
        "horizontal jet: downwind {down:e}, upwind {up:e}"
    );
    // An unknown orientation is a typed parse error naming the value.
    let bad = jet_study("vertical")
        .to_json()
        .replace("\"vertical\"", "\"diagonal\"");
    let e = Study::from_json_str(&bad, "jet").unwrap_err().to_string();
    assert!(e.contains("diagonal"), "{e}");
}

/// Parametric footprints and bands (issue 14) are evaluated exactly at every grid cell: the
/// grid equals the exact point evaluation at every node, and both equal IR computed by hand from the shapes'
/// formulas at points next to their step edges and their sources.
#[test]
fn parametric_footprints_are_exact_at_every_cell() {
    let weather = r#"
[meteorology]
day_fraction = 0.5
sector_spreading = "centre"
weather = [
  { stability = "D", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = [0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1] },
  { stability = "F", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = [0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.1, 0.05] },
]
"#;
    let ellipse = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "ellipse", centre_x_m = 60.0, semi_axis_x_m = 60.0, semi_axis_y_m = 17.0, p = 1.0 } }"#;
    let pool = r#"{ kind = "analytic", hazard = "thermal", footprint = { type = "point-source-fire", radiated_power_w = 3.2e8, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", lethal_radius_m = 12.3 } }"#;
    let jet = r#"{ kind = "analytic", hazard = "thermal", footprint = { type = "point-source-fire", source_x_m = 23.8, radiated_power_w = 9.3e7, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", lethal_envelope = { x_min_m = 0.0, x_max_m = 47.6, half_width_m = 4.76 } } }"#;
    let plume = r#"{ kind = "analytic", hazard = "toxic", footprint = { type = "gaussian-plume", rate_kg_s = 2.0, wind_speed_m_s = 5.0, stability = "D", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, exposure_s = 600.0 }, by_weather = { "F1.5" = { type = "gaussian-plume", rate_kg_s = 2.0, wind_speed_m_s = 1.5, stability = "F", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, exposure_s = 600.0 } } }"#;
    // A second plume at B with another rate, wind speed and probit: with e4 it forms a plume
    // group (same class and direction, σ's formed once per cell) in both weather classes.
    let plume2 = r#"{ kind = "analytic", hazard = "toxic", footprint = { type = "gaussian-plume", rate_kg_s = 7.5, wind_speed_m_s = 5.0, stability = "D", probit_a = -8.29, probit_b = 0.92, probit_n = 2.0, exposure_s = 300.0 }, by_weather = { "F1.5" = { type = "gaussian-plume", rate_kg_s = 7.5, wind_speed_m_s = 2.5, stability = "F", probit_a = -8.29, probit_b = 0.92, probit_n = 2.0, exposure_s = 300.0 } } }"#;
    let band = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "band", x0_m = 0.0, dx_m = 25.0, half_width_m = [3.0, 21.0, 33.0, 28.0, 0.0], p = 1.0 } }"#;
    let blast = r#"{ kind = "analytic", hazard = "explosion", footprint = { type = "tnt-blast", tnt_mass_kg = 500.0, probit = "eisenberg" } }"#;
    let s = study(&[
        weather.to_string(),
        installation("A", 3.3, -7.1),
        installation("B", -151.7, 88.2),
        event("e1", "A", 1e-5, ellipse),
        event("e2", "A", 3e-6, pool),
        event("e3", "B", 2e-6, jet),
        event("e4", "B", 1e-6, plume),
        event("e5", "B", 4e-6, blast),
        event("e6", "A", 5e-6, band),
        event("e7", "B", 3e-6, plume2),
        grid(400.0, 7.0),
    ]);
    let r1 = run_threads(&s, 1);
    let r2 = run_threads(&s, 2);
    assert!(r1
        .individual_risk
        .iter()
        .zip(r2.individual_risk.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    // Grid = exact point evaluation at every node.
    let mut pts = Vec::new();
    for y in &r1.y_m {
        for x in &r1.x_m {
            pts.push([*x, *y]);
        }
    }
    let exact = r1.risk_at(&pts);
    let mut nonzero = 0;
    for (g, e) in r1.individual_risk.iter().zip(&exact) {
        assert!((g - e).abs() <= 1e-12 * e.abs(), "grid {g} vs exact {e}");
        nonzero += usize::from(*e > 0.0);
    }
    assert!(nonzero > 1000, "{nonzero}");

    // Installation A alone, by hand: sector k' blows from 30·k'° clockwise from north, i.e. towards
    // (−sin θ, −cos θ); P_M·P_φ from the roses above.
    let roses = [
        (
            0.6,
            [
                0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1,
            ],
        ),
        (
            0.4,
            [
                0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.1, 0.05,
            ],
        ),
    ];
    let sa = study(&[
        weather.to_string(),
        installation("A", 3.3, -7.1),
        event("e1", "A", 1e-5, ellipse),
        event("e2", "A", 3e-6, pool),
        grid(400.0, 7.0),
    ]);
    let ra = run(&sa, &RunOptions::default()).unwrap();
    // The installation's profile rays are its IR along each ray (every 360/n degrees clockwise
    // from north, at multiples of `step_m`), evaluated exactly: the same as risk_at there.
    let prof = &ra.installations[0];
    let n = prof.rays.len();
    let mut checked = 0;
    for (k, ray) in prof.rays.iter().enumerate() {
        let a = (360.0 * k as f64 / n as f64).to_radians();
        let pts: Vec<[f64; 2]> = (0..ray.len())
            .map(|i| {
                let d = i as f64 * prof.step_m;
                [prof.x_m + d * a.sin(), prof.y_m + d * a.cos()]
            })
            .collect();
        for (v, e) in ray.iter().zip(ra.risk_at(&pts)) {
            assert!((v - e).abs() <= 1e-12 * e.abs(), "ray {k}: {v} vs {e}");
            checked += usize::from(e > 0.0);
        }
    }
    assert!(checked > 100, "{checked}");
    let ellipse_ir = |px: f64, py: f64| {
        let (dx, dy) = (px - 3.3, py + 7.1);
        let mut ir = 0.0;
        for (pm, rose) in &roses {
            for (k, pk) in rose.iter().enumerate() {
                let th = (30.0 * k as f64).to_radians();
                let (ux, uy) = (-th.sin(), -th.cos());
                let (lx, ly) = (dx * ux + dy * uy, -dx * uy + dy * ux);
                if ((lx - 60.0) / 60.0).powi(2) + (ly / 17.0).powi(2) <= 1.0 {
                    ir += 1e-5 * pm * pk;
                }
            }
        }
        ir
    };
    let pool_ir = |px: f64, py: f64| {
        let r = (px - 3.3).hypot(py + 7.1);
        if r <= 12.3 {
            return 3e-6;
        }
        let q: f64 = 0.8 * 3.2e8 / (4.0 * std::f64::consts::PI * r * r);
        let y = -38.48 + 2.56 * (20.0 * q.powf(4.0 / 3.0)).ln();
        let p = 0.5 * libm_erfc(-(y - 5.0) / std::f64::consts::SQRT_2);
        if p < 1e-6 {
            0.0
        } else {
            3e-6 * p
        }
    };
    // Points just inside and outside the ellipse downwind of sector 6 (from the south, towards
    // the north): local x along +y.
    for (px, py) in [
        (3.3, -7.1 + 119.9),
        (3.3, -7.1 + 120.1),
        (3.3 + 16.9, -7.1 + 60.0),
        (3.3 + 17.1, -7.1 + 60.0),
        (3.3, -7.1 + 12.2),
        (3.3 + 40.0, -7.1 - 30.0),
    ] {
        let want = ellipse_ir(px, py) + pool_ir(px, py);
        let got = ra.risk_at(&[[px, py]])[0];
        assert!(
            (got - want).abs() <= 1e-12 * want.max(1e-30),
            "({px}, {py}): {got} vs {want}"
        );
    }
}

/// erfc of statrs (the function qra's Φ uses too: this check is independent in the formulas
/// and the geometry, not in the special function).
fn libm_erfc(x: f64) -> f64 {
    statrs::function::erf::erfc(x)
}

/// Parametric footprints spread over their sector (the default `"uniform"` spreading) are
/// averaged on a table: the averaging moves risk between directions but keeps its integral over
/// the plane, so Σ IR·cell area equals that of the footprints drawn along the sector centres
/// (within 2 %: the average's mesh and the grid's sampling).
#[test]
fn spread_parametric_footprints_keep_the_integral_of_risk() {
    let ellipse = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "ellipse", centre_x_m = 150.0, semi_axis_x_m = 150.0, semi_axis_y_m = 40.0, p = 1.0 } }"#;
    let jet = r#"{ kind = "analytic", hazard = "thermal", footprint = { type = "point-source-fire", source_x_m = 23.8, radiated_power_w = 9.3e7, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", lethal_envelope = { x_min_m = 0.0, x_max_m = 47.6, half_width_m = 4.76 } } }"#;
    let integral = |spreading: &str| {
        let s = study(&[
            format!(
                "[meteorology]\nday_fraction = 0.5\nsector_spreading = \"{spreading}\"\n\
                 weather = [{{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = {} }}]\n",
                uniform_rose(12)
            ),
            installation("A", 0.0, 0.0),
            event("e1", "A", 1e-5, ellipse),
            event("e2", "A", 1e-5, jet),
            grid(600.0, 5.0),
        ]);
        let r = run(&s, &RunOptions::default()).unwrap();
        (r.individual_risk.sum() * 25.0, r.individual_risk)
    };
    let ((centre, grid_c), (uniform, grid_u)) = (integral("centre"), integral("uniform"));
    // Spread: the field itself changes (the sector average, not the footprint, is used).
    let moved = grid_c
        .iter()
        .zip(grid_u.iter())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(moved > 1e-7, "{moved}");
    // By hand, the ellipse alone: f·π·a·b = 1e-5·π·150·40 m²/y; the jet adds its envelope and
    // probit field, less than a tenth of that.
    let ellipse_area = 1e-5 * std::f64::consts::PI * 150.0 * 40.0;
    assert!(
        centre > ellipse_area * 0.99 && centre < ellipse_area * 1.1,
        "{centre}"
    );
    assert_relative_eq!(uniform, centre, max_relative = 0.02);
}

/// Side of [`population_raster`], cells.
const POP_N: usize = 61;

/// A `POP_N` × `POP_N` population raster of 10 m cells from (`x0`, `x0`) (1 to 5 people per
/// cell, indoor fractions `indoor` by day and night).
fn population_raster(x0: f64, indoor: [f64; 2]) -> String {
    let n = POP_N;
    let counts: Vec<String> = (0..n * n)
        .map(|k| format!("{}.0", 1 + (k * 7) % 5))
        .collect();
    format!(
        "[[population.rasters]]\nx0_m = {x0:?}\ny0_m = {x0:?}\ncell_size_m = 10.0\nnx = {n}\nny = {n}\nindoor_fraction_day = {:?}\nindoor_fraction_night = {:?}\ncounts = [{}]\n",
        indoor[0],
        indoor[1],
        counts.join(", ")
    )
}

/// Two installations with three raster plumes (and `extra`, an event or nothing), two weather
/// classes and the [`population_raster`] of cells centred on −300…300 m, on a grid of ±`half` m.
fn plume_park(spreading: &str, extra: String, indoor: [f64; 2], half: f64) -> Study {
    study(&[
        format!("[meteorology]\nsector_spreading = \"{spreading}\"\nweather = [\n  {{ stability = \"D\", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = [0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1] }},\n  {{ stability = \"F\", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = [0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.1, 0.05] }},\n]\n"),
        installation("A", 3.3, -7.1),
        installation("B", -50.0, 58.2),
        event("e1", "A", 1e-5, &plume(180.0, 25.0, 7.0)),
        event("e2", "A", 3e-6, &plume(90.0, 12.0, 4.0)),
        event("e3", "B", 2e-6, &plume(250.0, 40.0, 11.0)),
        extra,
        population_raster(-305.0, indoor),
        grid(half, 10.0),
    ])
}

/// Raster footprints' societal sums are formed on the merged lattice the individual-risk grid
/// reads (`merge::lattice_sums`): with everyone outdoors and the population on the grid's nodes,
/// PLL = Σ people·IR(cell) must hold to rounding — the left side from the F-N pairs (the
/// population spread onto the lattice, dot products with the samples), the right from the IR
/// grid (the grid pass interpolating the merged direction rasters): two separate code paths.
/// The same bits for 1 and 2 threads and for a run combined from per-installation parts.
/// (Installation B's farthest grid corner is exactly as far as the population's: the test that
/// every point lies on the lattice must not fail by rounding.)
///
/// The same with every footprint spread over its sector (`"uniform"`, the default: the sector
/// averages, of the rasters and of a flash-fire ellipse, are sampled on the lattice and their
/// sums formed there too — they were evaluated at every population point before, where the
/// identity failed by the lattice's resampling error).
#[test]
fn lattice_societal_sums_equal_population_times_ir() {
    let n = POP_N;
    let ellipse = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "ellipse", centre_x_m = 80.0, semi_axis_x_m = 80.0, semi_axis_y_m = 14.0, p = 1.0 } }"#;
    for spreading in ["centre", "uniform"] {
        let extra = if spreading == "uniform" {
            event("e4", "B", 4e-6, ellipse)
        } else {
            String::new()
        };
        let s = plume_park(spreading, extra, [0.0, 0.0], 300.0);
        let r = run_threads(&s, 1);
        // Cell (i, j) of the population is grid node (i, j).
        let want: f64 = r
            .individual_risk
            .indexed_iter()
            .map(|((j, i), ir)| ir * (1 + ((j * n + i) * 7) % 5) as f64)
            .sum();
        assert!(want > 1e-6, "{spreading}: {want}");
        // The grid is read from the merged rasters, stored in single precision.
        assert_relative_eq!(r.pll, want, max_relative = SINGLE_PRECISION);
        same_bits_for_threads_and_parts(&s, &r);
    }
}

/// Societal risk does not depend on the extent of the individual-risk grid: with the population
/// raster reaching beyond the grid (a grid of ±150 m, people over ±300 m), the raster
/// footprints' societal sums are formed on the merged lattice out to the farthest person —
/// the same PLL and F-N bits as with a grid covering everyone (before, the sums fell back to
/// the population pass and PLL differed by the lattice's resampling: 1.8 % here). The IR of the
/// cells both grids share agrees within 10⁻¹² (not bit for bit: the grid pass steps the local
/// coordinates from each row span's first cell, which the grid's edge can move), and is the
/// same bits as without the population (the lattice reaching out to it moves no IR value), for
/// both spreadings.
#[test]
fn societal_risk_does_not_depend_on_the_grid_extent() {
    for spreading in ["centre", "uniform"] {
        let with_grid = |half: f64| plume_park(spreading, String::new(), [0.2, 0.7], half);
        let (small, large) = (
            run_threads(&with_grid(150.0), 2),
            run_threads(&with_grid(300.0), 1),
        );
        assert!(small.pll > 1e-6, "{spreading}: {}", small.pll);
        assert_eq!(
            small.pll.to_bits(),
            large.pll.to_bits(),
            "{spreading}: {} vs {}",
            small.pll,
            large.pll
        );
        assert_eq!(small.fn_curve, large.fn_curve, "{spreading}");
        // Grid ±150 m is the large grid's nodes 15..=45 in each direction.
        for ((j, i), v) in small.individual_risk.indexed_iter() {
            let w = large.individual_risk[[j + 15, i + 15]];
            assert_relative_eq!(*v, w, max_relative = 1e-12);
        }
        // The lattice reaching out to the people changes no IR bit: the same grid without them.
        let mut alone = with_grid(150.0);
        alone.population.rasters.clear();
        let alone = run_threads(&alone, 2);
        assert_eq!(alone.pll, 0.0);
        for (v, w) in small.individual_risk.iter().zip(&alone.individual_risk) {
            assert_eq!(v.to_bits(), w.to_bits(), "{spreading}");
        }
    }
}

/// `r` (a one-thread run of `s`, two installations) has the same PLL, F-N curve and
/// contributions bits as a two-thread run and as the combination of per-installation parts.
fn same_bits_for_threads_and_parts(s: &Study, r: &qra_core::risk::RiskResult) {
    use qra_core::risk::engine::{combine, run_partial};
    let r2 = run_threads(s, 2);
    assert_eq!(r.pll.to_bits(), r2.pll.to_bits());
    assert_eq!(r.fn_curve, r2.fn_curve);
    let opts = RunOptions {
        threads: Some(2),
        ..Default::default()
    };
    let parts = vec![
        run_partial(s, &opts, &[1]).unwrap(),
        run_partial(s, &opts, &[0]).unwrap(),
    ];
    let c = combine(s, &parts).unwrap();
    assert_eq!(r.pll.to_bits(), c.pll.to_bits());
    assert_eq!(r.fn_curve, c.fn_curve);
    assert_eq!(r.contributions, c.contributions);
}

/// Societal risk of parametric footprints and bands when the population raster lies on the
/// grid's nodes (the engine then forms the population sums in the individual-risk pass from the
/// lethality it has just computed, issue 14) and when it is shifted off them (the separate
/// population pass): with people outdoors only and hazards whose outdoor societal lethality is
/// the IR lethality, PLL = Σ people·IR at the people's points, IR evaluated by `risk_at` (the
/// models at each point, not the grid). Both within 10⁻¹⁰; the aligned run is the same bits for 1 and 2 threads
/// and for partial runs combined.
#[test]
fn fused_societal_sums_equal_population_times_ir() {
    let ellipse = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "ellipse", centre_x_m = 60.0, semi_axis_x_m = 60.0, semi_axis_y_m = 17.0, p = 1.0 } }"#;
    let fire = r#"{ kind = "analytic", hazard = "generic", footprint = { type = "point-source-fire", source_x_m = 23.8, radiated_power_w = 9.3e7, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", lethal_envelope = { x_min_m = 0.0, x_max_m = 47.6, half_width_m = 4.76 } } }"#;
    let pool = r#"{ kind = "analytic", hazard = "generic", footprint = { type = "point-source-fire", radiated_power_w = 3.2e8, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", lethal_radius_m = 12.3 } }"#;
    let plume = r#"{ kind = "analytic", hazard = "explosion", footprint = { type = "gaussian-plume", rate_kg_s = 2.0, wind_speed_m_s = 5.0, stability = "D", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, exposure_s = 600.0 } }"#;
    // A second plume of the same class: the two form a plume group.
    let plume2 = r#"{ kind = "analytic", hazard = "toxic", footprint = { type = "gaussian-plume", rate_kg_s = 7.5, wind_speed_m_s = 2.5, stability = "D", probit_a = -8.29, probit_b = 0.92, probit_n = 2.0, exposure_s = 300.0 } }"#;
    let blast = r#"{ kind = "analytic", hazard = "explosion", footprint = { type = "tnt-blast", tnt_mass_kg = 500.0, probit = "eisenberg" } }"#;
    // A band (a flash fire's LFL envelope, a step edge: evaluated exactly like the parametric
    // shapes, its sums fused too since the seventeenth session).
    let band = r#"{ kind = "analytic", hazard = "flash-fire", footprint = { type = "band", x0_m = 0.0, dx_m = 25.0, half_width_m = [3.0, 21.0, 33.0, 28.0, 0.0], p = 1.0 } }"#;
    let n = POP_N;
    let with_population = |x0: f64| {
        study(&[
            "[meteorology]\nsector_spreading = \"centre\"\nweather = [\n  { stability = \"D\", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = [0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1] },\n  { stability = \"F\", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = [0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.1, 0.05] },\n]\n".to_string(),
            installation("A", 3.3, -7.1),
            installation("B", -101.7, 58.2),
            event("e1", "A", 1e-5, ellipse),
            event("e2", "A", 3e-6, pool),
            event("e3", "B", 2e-6, fire),
            event("e4", "B", 1e-6, plume),
            event("e5", "A", 4e-6, blast),
            event("e6", "B", 2e-6, plume2),
            event("e7", "B", 3e-6, band),
            population_raster(x0, [0.0, 0.0]),
            grid(300.0, 10.0),
        ])
    };
    // Cell centres -300 + 10·i: on the grid's nodes; then 3 m off them.
    for x0 in [-305.0, -302.0] {
        let s = with_population(x0);
        let r = run_threads(&s, 1);
        let mut pts = Vec::new();
        let mut people = Vec::new();
        for j in 0..n {
            for i in 0..n {
                pts.push([x0 + 5.0 + 10.0 * i as f64, x0 + 5.0 + 10.0 * j as f64]);
                people.push((1 + ((j * n + i) * 7) % 5) as f64);
            }
        }
        let want: f64 = r
            .risk_at(&pts)
            .iter()
            .zip(&people)
            .map(|(ir, c)| ir * c)
            .sum();
        assert!(want > 1e-6, "{want}");
        assert_relative_eq!(r.pll, want, max_relative = 1e-10);
        if x0 == -305.0 {
            same_bits_for_threads_and_parts(&s, &r);
        }
    }
}
