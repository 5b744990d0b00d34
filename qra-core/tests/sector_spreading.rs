//! Wind-sector spreading (issue 16): the default `meteorology.sector_spreading = "uniform"`
//! averages each directional footprint over the directions of its sector
//! (`qra_core::risk::sector`; CPR 18E Purple Book, Part 1, ch. 4–5, [M]: the book not read).
//!
//! * the sample park with spreading equals a 360-direction rose (30 centre directions per 30°
//!   sector) within 1 % at every protected target and in PLL;
//! * a band of half-width w seen at range r on the axis of the one sector the wind blows from
//!   gives IR = f·P_M·2·asin(w/r)/Δθ (hand calculation);
//! * no petals: along a circle, IR from a narrow plume varies by < 1 % across a sector;
//! * bit-identical results for 1 and 2 threads.

use qra_core::risk::engine;
use qra_core::risk::scenario::ScenarioSet;
use qra_core::risk::study::{SectorSpreading, Study};
use qra_core::tolerance::DATA_TABLE;

fn sample_park() -> Study {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/sample_park.toml"
    );
    Study::from_toml_str(&std::fs::read_to_string(path).unwrap(), "sample_park.toml").unwrap()
}

/// Relative deviation |a − b|/b (0 when both are 0).
fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs()
    }
}

/// Target IR (exact point evaluation, `Model::ir_at`) and PLL (Σ over the societal cases of
/// f·N, as the engine sums it) of `study`, without the IR grid (the 360-direction grid is the
/// slow part and not compared).
fn targets_and_pll(study: &Study) -> (Vec<(String, f64)>, f64) {
    let model = engine::Model::new(&ScenarioSet::from_study(study).unwrap()).unwrap();
    let ir = study
        .targets
        .iter()
        .map(|t| {
            // A point target at its point; a polygon target (the town) at its largest IR over
            // its vertices and centroid (the engine takes the worst grid point instead).
            let pts: Vec<[f64; 2]> = match (&t.point, &t.polygon) {
                (Some(p), _) => vec![*p],
                (None, Some(poly)) => {
                    let n = poly.len() as f64;
                    let c = [
                        poly.iter().map(|p| p[0]).sum::<f64>() / n,
                        poly.iter().map(|p| p[1]).sum::<f64>() / n,
                    ];
                    poly.iter().copied().chain([c]).collect()
                }
                _ => Vec::new(),
            };
            let ir = pts
                .iter()
                .map(|p| model.ir_at(p[0], p[1]))
                .fold(0.0, f64::max);
            (t.id.clone(), ir)
        })
        .collect();
    let pll = engine::scenario_cases(study, &model, |_| true)
        .iter()
        .flatten()
        .map(|&(n, f)| n * f)
        .sum();
    (ir, pll)
}

/// The acceptance test of issue 16: "Sector spreading equals a 360-direction rose within 1 % on
/// the sample park". The reference evaluates each 30° sector at the centres of 30 sub-sectors of
/// 1° (`sector_spreading = "centre"`, `sector_subdivisions = 30`): the midpoint rule of the same
/// sector integral, whose own error is largest for plumes narrower than 1° at a target.
/// Tolerance: 1 % ([`DATA_TABLE`], the issue's figure) on the IR at every protected target and
/// on PLL; the deviations are printed. Measured when written: PLL 0.07 %, targets ≤ 0.5 %
/// (the farthest, the hospital at 8·10⁻⁹/yr, 0.0 % from a 1440-direction rose).
#[test]
fn spreading_equals_a_360_direction_rose_on_the_sample_park() {
    let spread = sample_park();
    assert_eq!(
        spread.meteorology.sector_spreading,
        SectorSpreading::Uniform
    );
    assert_eq!(spread.meteorology.sector_subdivisions, 1);
    let mut rose = spread.clone();
    rose.meteorology.sector_spreading = SectorSpreading::Centre;
    rose.meteorology.sector_subdivisions = 30;
    let (ta, pa) = targets_and_pll(&spread);
    let (tb, pb) = targets_and_pll(&rose);
    let mut worst: f64 = 0.0;
    for ((id, a), (_, b)) in ta.iter().zip(&tb) {
        let d = rel(*a, *b);
        eprintln!(
            "target {id:<12} spread {a:.4e}  rose {b:.4e}  deviation {:.3} %",
            100.0 * d
        );
        worst = worst.max(d);
    }
    let dp = rel(pa, pb);
    eprintln!(
        "PLL spread {pa:.5e} rose {pb:.5e} deviation {:.3} %; worst target deviation {:.3} %",
        100.0 * dp,
        100.0 * worst
    );
    assert!(dp <= DATA_TABLE, "PLL deviation {dp}");
    assert!(worst <= DATA_TABLE, "worst target deviation {worst}");
}

/// A study with one installation at the origin and one analytic outcome (`footprint`, TOML),
/// one weather class (P_M = 1 day and night) and a 12-sector wind rose `rose`.
fn one_outcome(footprint: &str, hazard: &str, rose: &str, spreading: &str) -> Study {
    let text = format!(
        r#"
schema = "qra-study/1"
[metadata]
title = "one outcome"
[[installations]]
id = "T"
x_m = 0.0
y_m = 0.0
substance = "chlorine"
inventory_kg = 1000.0
phase = "gas"
[[events]]
id = "E"
installation = "T"
frequency_per_year = 1.0e-4
[[events.outcomes]]
spec = {{ kind = "analytic", hazard = "{hazard}", footprint = {footprint} }}
[meteorology]
sector_spreading = "{spreading}"
weather = [ {{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = {rose} }} ]
[grid]
x_min_m = -1000.0
x_max_m = 1000.0
y_min_m = -1000.0
y_max_m = 1000.0
resolution_m = 10.0
"#
    );
    Study::from_toml_str(&text, "one_outcome.toml").unwrap()
}

/// A flash-fire band of constant half-width 20 m, 800 m long (161 columns 5 m apart),
/// lethality 1, as an analytic footprint (TOML).
fn band() -> String {
    format!(
        "{{ type = \"band\", x0_m = 0.0, dx_m = 5.0, half_width_m = {:?}, p = 1.0 }}",
        vec![20.0; 161]
    )
}

/// Hand calculation. The wind blows only from the north sector (p = 1, sector 0 centred on
/// 0°, so downwind is south, 180°), P_M = 1, f = 10⁻⁴/yr. With the direction uniform over the
/// sector's Δθ = 30° = π/6, a point at range r on the sector's axis (x = 0, y = −r) is inside the
/// band for the directions |ψ| ≤ asin(w/r), w = 20 m:
///
/// IR = f·2·asin(w/r)/Δθ; r = 400 m: 10⁻⁴·2·asin(0.05)/(π/6) = 10⁻⁴·0.19107 = 1.9107·10⁻⁵/yr.
///
/// With the sector centre only the point would be inside the band in every direction:
/// IR = f = 10⁻⁴/yr. Exact point evaluation (`risk_at`) within 0.1 % (the band's arcs are exact,
/// the radial interpolation between rows 5 m apart is below 10⁻⁴ relative); off axis by 10°
/// (still ≥ asin(w/r) inside the sector's edge) the same value; beyond the sector's edge by more
/// than asin(w/r), 0.
#[test]
fn band_in_one_sector_gives_the_share_of_directions() {
    let rose = "[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]";
    let s = one_outcome(&band(), "flash-fire", rose, "uniform");
    let r = engine::run(&s, &engine::RunOptions::default()).unwrap();
    let pts = |deg: f64, rr: f64| {
        // Bearing `deg` clockwise from south (the downwind centre), range rr.
        let a = (180.0 + deg).to_radians();
        [rr * a.sin(), rr * a.cos()]
    };
    let want = |rr: f64| 1e-4 * 2.0 * (20.0f64 / rr).asin() / (std::f64::consts::PI / 6.0);
    for (deg, rr) in [(0.0, 400.0), (0.0, 200.0), (10.0, 400.0), (-10.0, 700.0)] {
        let got = r.risk_at(&[pts(deg, rr)])[0];
        assert!(
            rel(got, want(rr)) <= 1e-3,
            "{deg}°, {rr} m: {got:e} vs {:e}",
            want(rr)
        );
    }
    assert!((want(400.0) - 1.9107e-5).abs() < 1e-8);
    assert_eq!(r.risk_at(&[pts(15.0 + 3.5, 400.0)])[0], 0.0);
    // The grid (merged per-installation raster, bilinear at 10 m) at the cell at (0, −400):
    // within 1 %.
    let (i, j) = (100, 60); // x = −1000 + 10·100 = 0, y = −1000 + 10·60 = −400
    assert_eq!((r.x_m[i], r.y_m[j]), (0.0, -400.0));
    let g = r.individual_risk[[j, i]];
    assert!(rel(g, want(400.0)) <= DATA_TABLE, "grid {g:e}");
    // Centre mode: the full lethality on the axis.
    let c = one_outcome(&band(), "flash-fire", rose, "centre");
    let rc = engine::run(&c, &engine::RunOptions::default()).unwrap();
    assert!(rel(rc.risk_at(&[pts(0.0, 400.0)])[0], 1e-4) <= 1e-12);
}

/// No petals: with a uniform 12-sector rose, the sector averages of the 12 sectors tile the
/// circle, so IR along a circle around the source is f·(2·asin(w/r)/2π) everywhere
/// (r = 500 m: 10⁻⁴·0.012734 = 1.2734·10⁻⁶/yr) — no spokes. Measured on 360 points of the circle
/// (1° apart): max/min − 1 < 0.5 % for the exact point evaluation and < 2 % for the grid
/// (bilinear on 10 m cells along a curved contour); centre directions give 0 between spokes.
#[test]
fn no_petals_along_a_circle() {
    let rose = "[0.0833333333333333, 0.0833333333333333, 0.0833333333333333, 0.0833333333333333, \
                0.0833333333333333, 0.0833333333333333, 0.0833333333333333, 0.0833333333333333, \
                0.0833333333333333, 0.0833333333333333, 0.0833333333333333, 0.0833333333333337]";
    let s = one_outcome(&band(), "flash-fire", rose, "uniform");
    let r = engine::run(&s, &engine::RunOptions::default()).unwrap();
    let rr = 500.0;
    let circle: Vec<[f64; 2]> = (0..360)
        .map(|k| {
            let a = (k as f64).to_radians();
            [rr * a.sin(), rr * a.cos()]
        })
        .collect();
    let ir = r.risk_at(&circle);
    let (lo, hi) = ir
        .iter()
        .fold((f64::MAX, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    let want = 1e-4 * 2.0 * (20.0f64 / rr).asin() / std::f64::consts::TAU;
    eprintln!("points: min {lo:e} max {hi:e} (hand {want:e})");
    assert!(hi / lo - 1.0 < 5e-3, "{lo:e}..{hi:e}");
    assert!(rel(hi, want) < 5e-3 && rel(lo, want) < 5e-3);
    // The grid, bilinear between the 4 cells around each point of the circle.
    let res = r.resolution_m;
    let grid = |p: [f64; 2]| {
        let fx = (p[0] - r.x_m[0]) / res;
        let fy = (p[1] - r.y_m[0]) / res;
        let (i, j) = (fx as usize, fy as usize);
        let (tx, ty) = (fx - i as f64, fy - j as f64);
        let g = &r.individual_risk;
        let a = g[[j, i]] * (1.0 - tx) + g[[j, i + 1]] * tx;
        let b = g[[j + 1, i]] * (1.0 - tx) + g[[j + 1, i + 1]] * tx;
        a * (1.0 - ty) + b * ty
    };
    let gv: Vec<f64> = circle.iter().map(|&p| grid(p)).collect();
    let (glo, ghi) = gv
        .iter()
        .fold((f64::MAX, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    eprintln!("grid: min {glo:e} max {ghi:e}");
    assert!(ghi / glo - 1.0 < 2e-2, "{glo:e}..{ghi:e}");
    // Centre directions: spokes, zero between them.
    let c = one_outcome(&band(), "flash-fire", rose, "centre");
    let rc = engine::run(&c, &engine::RunOptions::default()).unwrap();
    let irc = rc.risk_at(&circle);
    assert_eq!(irc.iter().copied().fold(f64::MAX, f64::min), 0.0);
}

/// Spreading keeps the results independent of the thread count, bit for bit (grid, PLL, F-N,
/// targets), on the sample park reduced to its chlorine and LPG events (plumes, flash-fire
/// bands, jet and pool fires: every spread table kind).
#[test]
fn bit_identical_for_1_and_2_threads() {
    let mut s = sample_park();
    s.events
        .retain(|e| e.id.starts_with("CL2") || e.id.starts_with("LPG-S1"));
    let run = |t| {
        engine::run(
            &s,
            &engine::RunOptions {
                threads: Some(t),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (a, b) = (run(1), run(2));
    assert!(a
        .individual_risk
        .iter()
        .zip(b.individual_risk.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
    assert_eq!(a.pll.to_bits(), b.pll.to_bits());
    assert_eq!(a.fn_curve.len(), b.fn_curve.len());
    for (x, y) in a.fn_curve.iter().zip(&b.fn_curve) {
        assert_eq!(
            (x.n.to_bits(), x.f_per_year.to_bits()),
            (y.n.to_bits(), y.f_per_year.to_bits())
        );
    }
    for (x, y) in a.targets.iter().zip(&b.targets) {
        assert_eq!(x.individual_risk.to_bits(), y.individual_risk.to_bits());
    }
}
