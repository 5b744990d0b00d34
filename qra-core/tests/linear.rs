//! Linear sources (pipelines, transport routes): discretised IR against the analytic transect of
//! a straight line, symmetry and monotonicity, societal risk per km, validation, the demo study.

use proptest::prelude::*;
use qra_core::risk::engine::{self, RunOptions};
use qra_core::risk::linear::{
    analytic_transect, societal_per_km, transect, worst_stretch, Pipeline,
};
use qra_core::risk::study::Study;
use qra_core::QraError;

/// A straight east–west line of length `len_m` centred on the origin, rotated by `angle_deg`,
/// with one release class of frequency `f_km` (per km-year) and a circular lethal footprint of
/// radius `r_m` (P = 1); uniform wind rose; a small population block north of the line.
fn line_study(len_m: f64, angle_deg: f64, r_m: f64, f_km: f64, spacing_m: f64) -> Study {
    let (c, s) = (angle_deg.to_radians().cos(), angle_deg.to_radians().sin());
    let h = len_m / 2.0;
    let text = format!(
        r#"
schema = "qra-study/1"
installations = []
events = []

[[pipelines]]
id = "L1"
vertices = [[{x0}, {y0}], [{x1}, {y1}]]
substance = "methane"
spacing_m = {spacing_m}

[[pipelines.releases]]
id = "rupture"
frequency_per_km_year = {f_km}

[[pipelines.releases.outcomes]]
spec = {{ kind = "analytic", hazard = "thermal", footprint = {{ type = "circle", radius_m = {r_m}, p = 1.0 }} }}

[meteorology]
weather = [{{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [0.25, 0.25, 0.25, 0.25] }}]

[[population.polygons]]
vertices = [[-200.0, 20.0], [200.0, 20.0], [200.0, 60.0], [-200.0, 60.0]]
count_day = 100.0

[grid]
x_min_m = -300.0
x_max_m = 300.0
y_min_m = -300.0
y_max_m = 300.0
resolution_m = 10.0
"#,
        x0 = -h * c,
        y0 = -h * s,
        x1 = h * c,
        y1 = h * s,
    );
    Study::from_toml_str(&text, "line.toml").unwrap()
}

fn run(s: &Study) -> engine::RiskResult {
    engine::run(s, &RunOptions::default()).unwrap()
}

/// Done-when: the discretised IR of a long straight line with a circular footprint matches the
/// analytic transect IR(d) = f/1000 · 2√(R² − d²) (interaction length; module docs of
/// `risk::linear`). The discrete sum counts the release points in the chord, so its error is at
/// most one point: |IR − IR_analytic| ≤ f/1000 · Δs (the stated tolerance, shrinking with Δs).
#[test]
fn linear_transect_matches_analytic() {
    let (r, f) = (100.0, 1.0e-3);
    let d: Vec<f64> = (0..=24).map(|k| k as f64 * 5.0 - 0.5).collect(); // −0.5 … 119.5 m
    let mut worst = Vec::new();
    for spacing in [20.0, 10.0, 5.0, 2.0] {
        let s = line_study(4000.0, 0.0, r, f, spacing);
        let res = run(&s);
        let ir = transect(&s, &res, "L1", 2000.0, &d).unwrap();
        let mut e_max: f64 = 0.0;
        for (k, &dk) in d.iter().enumerate() {
            let a = analytic_transect(f, r, 1.0, dk).unwrap();
            let err = (ir[k] - a).abs();
            assert!(
                err <= f / 1000.0 * spacing * (1.0 + 1e-9),
                "Δs={spacing} d={dk}: {} vs analytic {a}",
                ir[k]
            );
            e_max = e_max.max(err);
        }
        worst.push(e_max);
        // The grid IR (merged tables) on the node row y = 0 … 90 m at x = 0 agrees with the exact
        // point evaluation (circles are merged exactly).
        let ix = res.x_m.iter().position(|&x| x == 0.0).unwrap();
        for (j, &y) in res.y_m.iter().enumerate() {
            if (0.0..=90.0).contains(&y) {
                let a = analytic_transect(f, r, 1.0, y).unwrap();
                let g = res.individual_risk[[j, ix]];
                assert!(
                    (g - a).abs() <= f / 1000.0 * spacing * (1.0 + 1e-9),
                    "grid Δs={spacing} y={y}: {g} vs {a}"
                );
            }
        }
    }
    // The error bound shrinks with Δs; the largest error found never grows.
    for w in worst.windows(2) {
        assert!(w[1] <= w[0] + 1e-15, "errors {worst:?}");
    }
}

/// Smooth footprint (radial table, linear fall-off) on a bent line: the discretised transect at a
/// chainage far from the bend against an independent fine quadrature of ∫ P(√(d² + s²)) ds,
/// within the midpoint-rule error (Δs²/24 · max |P''| · L, tiny here) plus the table sampling.
#[test]
fn linear_transect_smooth_footprint_matches_quadrature() {
    let text = r#"
schema = "qra-study/1"
installations = []
events = []

[[pipelines]]
id = "B"
vertices = [[-2000.0, 0.0], [0.0, 0.0], [0.0, 2000.0]]
substance = "methane"
spacing_m = 5.0

[[pipelines.releases]]
id = "hole"
frequency_per_km_year = 2.0e-4
hole_diameter_mm = 50.0

[[pipelines.releases.outcomes]]
spec = { kind = "analytic", hazard = "thermal", footprint = { type = "radial", distance_m = [0.0, 50.0, 150.0], lethality = [1.0, 1.0, 0.0] } }

[meteorology]
weather = [{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]

[grid]
x_min_m = -100.0
x_max_m = 100.0
y_min_m = -100.0
y_max_m = 100.0
resolution_m = 20.0
"#;
    let s = Study::from_toml_str(text, "bent.toml").unwrap();
    let res = run(&s);
    let p = |r: f64| -> f64 {
        if r <= 50.0 {
            1.0
        } else if r < 150.0 {
            (150.0 - r) / 100.0
        } else {
            0.0
        }
    };
    let d = [0.0, 30.0, 60.0, 100.0, 140.0, 149.0];
    let ir = transect(&s, &res, "B", 1000.0, &d).unwrap();
    for (k, &dk) in d.iter().enumerate() {
        // Independent reference: trapezoid rule with 0.01 m steps over ±200 m.
        let n = 40_000;
        let h = 400.0 / n as f64;
        let mut q = 0.0;
        for i in 0..=n {
            let t = -200.0 + i as f64 * h;
            let w = if i == 0 || i == n { 0.5 } else { 1.0 };
            q += w * p(dk.hypot(t));
        }
        let want = 2.0e-4 / 1000.0 * q * h;
        // Tolerance: one release point at a kink of P (Δs · f/1000) — hand-derived bound.
        assert!(
            (ir[k] - want).abs() <= 5.0 * 2.0e-4 / 1000.0 + 1e-15,
            "d={dk}: {} vs {want}",
            ir[k]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// IR is symmetric about the line and falls (never rises) with distance from it, for any
    /// orientation of the line.
    #[test]
    fn transect_symmetric_and_falling(angle in 0.0f64..180.0, r in 30.0f64..120.0) {
        let s = line_study(1500.0, angle, r, 1e-3, 10.0);
        let res = run(&s);
        let d: Vec<f64> = (0..30).map(|k| k as f64 * 5.0).collect();
        let neg: Vec<f64> = d.iter().map(|v| -v).collect();
        let a = transect(&s, &res, "L1", 750.0, &d).unwrap();
        let b = transect(&s, &res, "L1", 750.0, &neg).unwrap();
        for k in 0..d.len() {
            prop_assert!((a[k] - b[k]).abs() <= 1e-12 * a[k].max(1e-300));
            if k > 0 {
                prop_assert!(a[k] <= a[k - 1] * (1.0 + 1e-12));
            }
        }
    }
}

/// F-N per km: every stretch's F(N) is non-increasing in N; non-overlapping stretches add up to
/// the pipeline's PLL from the engine's event contributions (an independent path: per-event PLL
/// of the full run); the worst stretch has the largest F·N².
#[test]
fn societal_per_km_consistent() {
    let s = line_study(3500.0, 0.0, 80.0, 1e-3, 10.0);
    let res = run(&s);
    let st = societal_per_km(&s, &res, "L1", 1000.0, 1000.0).unwrap();
    assert_eq!(st.len(), 3); // windows at 0, 1000, 2000 (the last 500 m are in no full window)
    let all = societal_per_km(&s, &res, "L1", 3500.0, 3500.0).unwrap();
    assert_eq!(all.len(), 1);
    let pll_events: f64 = res.contributions.iter().map(|c| c.pll).sum();
    assert!((all[0].pll - pll_events).abs() <= 1e-12 * pll_events.max(1e-300));
    assert!((all[0].pll - res.pll).abs() <= 1e-12 * res.pll);
    for x in &st {
        for w in x.fn_curve.windows(2) {
            assert!(w[0].n < w[1].n && w[0].f_per_year >= w[1].f_per_year);
        }
    }
    let w = worst_stretch(&st).unwrap();
    assert!(st.iter().all(|x| x.fn2_max <= w.fn2_max));
    // The village block spans x = −200…200: the middle km (1000–2000 m chainage = x −750…250)
    // holds most of it.
    assert_eq!(w.start_m, 1000.0);
}

#[test]
fn linear_validation_errors_name_fields() {
    let base = line_study(1000.0, 0.0, 50.0, 1e-3, 10.0);
    let mut s = base.clone();
    s.pipelines[0].vertices = vec![[0.0, 0.0]];
    s.pipelines[0].releases[0].frequency_per_km_year = Some(-1.0);
    s.pipelines[0].substance = "unobtainium".into();
    let p = s.validate();
    let paths: Vec<&str> = p.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"pipelines[0].vertices"), "{paths:?}");
    assert!(
        paths.contains(&"pipelines[0].releases[0].frequency_per_km_year"),
        "{paths:?}"
    );
    assert!(paths.contains(&"pipelines[0].substance"), "{paths:?}");
    // Too many release points.
    let mut s = base.clone();
    s.pipelines[0].spacing_m = Some(1e-3);
    assert!(s.validate().iter().any(|e| e.path == "pipelines"));
    // An installation id with the release-point prefix of a pipeline.
    let mut s: Study = base.clone();
    let demo = Study::from_toml_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../models/studies/pipeline_demo.toml"
        ))
        .unwrap(),
        "demo",
    )
    .unwrap();
    s.installations = demo.installations.clone();
    s.installations[0].id = "L1#3".into();
    assert!(s.validate().iter().any(|e| e.path == "pipelines[0].id"));
    // An unknown pipeline in the transect; bad chainage and distances.
    let res = run(&base);
    assert!(matches!(
        transect(&base, &res, "L2", 0.0, &[0.0]),
        Err(QraError::UnknownName { .. })
    ));
    assert!(transect(&base, &res, "L1", 5000.0, &[0.0]).is_err());
    assert!(transect(&base, &res, "L1", 10.0, &[f64::NAN]).is_err());
    assert!(analytic_transect(f64::NAN, 10.0, 1.0, 0.0).is_err());
    assert!(analytic_transect(1e-3, 0.0, 1.0, 0.0).is_err());
    assert!(analytic_transect(1e-3, 10.0, 1.5, 0.0).is_err());
}

#[test]
fn release_points_keep_total_length() {
    let p: Pipeline = toml::from_str(
        r#"
id = "P"
vertices = [[0.0, 0.0], [33.0, 0.0], [33.0, 47.5]]
substance = "methane"
releases = []
"#,
    )
    .unwrap();
    let pts = p.release_points(10.0);
    assert_eq!(pts.len(), 4 + 5);
    let total: f64 = pts.iter().map(|q| q.length_m).sum();
    assert!((total - 80.5).abs() < 1e-12);
    assert!(pts.iter().all(|q| q.length_m <= 10.0));
}

#[test]
fn pipeline_demo_runs() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/pipeline_demo.toml"
    ))
    .unwrap();
    let s = Study::from_toml_str(&text, "pipeline_demo.toml").unwrap();
    let res = run(&s);
    assert!(res.pll > 0.0);
    let ir = transect(&s, &res, "NG-1", 500.0, &[0.0, 50.0, 100.0, 200.0, 400.0]).unwrap();
    assert!(ir[0] > 0.0 && ir.windows(2).all(|w| w[1] <= w[0]), "{ir:?}");
    let st = societal_per_km(&s, &res, "NG-1", 1000.0, 100.0).unwrap();
    assert!(worst_stretch(&st).unwrap().pll > 0.0);
    assert!(res.targets.iter().all(|t| t.individual_risk > 0.0));
}

/// Distributed runs with a linear source: partials over the release-point installations combine
/// bit-identically to the local run.
#[test]
fn linear_partials_combine_bit_identical() {
    let s = line_study(1200.0, 30.0, 60.0, 1e-3, 10.0);
    let res = run(&s);
    let n = engine::Model::new(&qra_core::risk::scenario::ScenarioSet::from_study(&s).unwrap())
        .unwrap()
        .installations
        .len();
    assert_eq!(n, 120);
    let parts = [
        engine::run_partial(&s, &RunOptions::default(), &(0..50).collect::<Vec<_>>()).unwrap(),
        engine::run_partial(&s, &RunOptions::default(), &(50..n).collect::<Vec<_>>()).unwrap(),
    ];
    let c = engine::combine(&s, &parts).unwrap();
    assert_eq!(c.individual_risk, res.individual_risk);
    assert_eq!(c.pll.to_bits(), res.pll.to_bits());
}

/// What-if: removing a linear source by its id removes all its release points; the line study
/// without it has zero IR and PLL, and removing nothing gives the full run.
#[test]
fn whatif_removes_a_linear_source_by_id() {
    use qra_core::park::whatif::WhatIf;
    let s = line_study(800.0, 10.0, 60.0, 1e-3, 10.0);
    let w = WhatIf::new(&s, &RunOptions::default()).unwrap();
    let none = w.without(&[]).unwrap();
    assert_eq!(none.individual_risk, w.base().individual_risk);
    let gone = w.without(&["L1"]).unwrap();
    assert!(gone.kept.is_empty());
    assert!(gone.individual_risk.iter().all(|v| *v == 0.0));
    assert_eq!(gone.pll, 0.0);
    assert!(matches!(
        w.without(&["L9"]),
        Err(QraError::UnknownName { .. })
    ));
}
