//! External safety distances from the combined IR contour (issue 15) on the public API.
//!
//! References are hand calculations. Every installation has the analytic radial footprint
//! P(r) = 1 − r/R for r ≤ R (a two-point radial table, linear in r), so with event frequency f
//! the individual risk of a set of installations is IR(x) = Σᵢ f·(1 − rᵢ/R) where every rᵢ ≤ R,
//! whatever the weather (radial footprints do not depend on the wind direction). The contour
//! IR = L of k installations within reach is then Σᵢ rᵢ = R·(k − L/f), and one installation's own
//! contour is the circle r = R·(1 − L/f).
//!
//! Rule under test (GB/T 37243-2019 §6.8, recalled [M], see `qra_core::risk::distance`): the
//! distance comes from the contour of the combined IR of all installations at the class limit.
//! Tolerance: one grid cell diagonal (√2·resolution), the documented band of the interpolated
//! contour.

use proptest::prelude::*;
use qra_core::geometry::point_in_polygon;
use qra_core::risk::contour::ContourPolygon;
use qra_core::risk::criteria::{self, criteria_set};
use qra_core::risk::distance::{combined_distances, DistancePolygons, DIRECTIONS, PARK};
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::{Study, TargetClass, TargetStatus};

/// GB 36894-2018 limit of high-sensitive targets near new installations (standards.md §1.2 [V]).
const L_HIGH_NEW: f64 = 3e-7;

fn radial(reach_m: f64) -> String {
    format!(
        "{{ kind = \"analytic\", footprint = {{ type = \"radial\", distance_m = [0.0, {reach_m:?}], lethality = [1.0, 0.0] }} }}"
    )
}

struct Inst {
    x: f64,
    y: f64,
    f: f64,
    reach: f64,
}

struct Target {
    x: f64,
    y: f64,
    class: &'static str,
    status: &'static str,
}

fn study(insts: &[Inst], facility: Option<&str>, targets: &[Target], half: f64, res: f64) -> Study {
    let mut t = String::from("schema = \"qra-study/1\"\n");
    if let Some(f) = facility {
        t += &format!("[[facilities]]\nid = \"{f}\"\n");
    }
    for (k, i) in insts.iter().enumerate() {
        t += &format!(
            "[[installations]]\nid = \"T{k}\"\nx_m = {:?}\ny_m = {:?}\nsubstance = \"chlorine\"\ninventory_kg = 30000.0\n",
            i.x, i.y
        );
        if let Some(f) = facility {
            t += &format!("facility = \"{f}\"\n");
        }
    }
    for (k, i) in insts.iter().enumerate() {
        t += &format!(
            "[[events]]\nid = \"E{k}\"\ninstallation = \"T{k}\"\nfrequency_per_year = {:e}\n[[events.outcomes]]\nspec = {}\n",
            i.f,
            radial(i.reach)
        );
    }
    for (k, g) in targets.iter().enumerate() {
        t += &format!(
            "[[targets]]\nid = \"P{k}\"\nclass = \"{}\"\nstatus = \"{}\"\npoint = [{:?}, {:?}]\n",
            g.class, g.status, g.x, g.y
        );
    }
    t += "[meteorology]\nday_fraction = 0.5\nweather = [{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]\n";
    t += &format!(
        "[grid]\nx_min_m = {}\nx_max_m = {half:?}\ny_min_m = {}\ny_max_m = {half:?}\nresolution_m = {res:?}\n",
        -half, -half
    );
    match Study::from_toml_str(&t, "test") {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{t}"),
    }
}

fn inside(p: [f64; 2], polys: &[ContourPolygon]) -> bool {
    polys.iter().any(|q| {
        point_in_polygon(p[0], p[1], &q.exterior)
            && !q.holes.iter().any(|h| point_in_polygon(p[0], p[1], h))
    })
}

/// Distance from p to the nearest ring segment of `polys`, m (hand point–segment distance).
fn to_rings(p: [f64; 2], polys: &[ContourPolygon]) -> f64 {
    let mut best = f64::INFINITY;
    for q in polys {
        for r in std::iter::once(&q.exterior).chain(q.holes.iter()) {
            for w in r.windows(2) {
                let (a, b) = (w[0], w[1]);
                let e = [b[0] - a[0], b[1] - a[1]];
                let l2 = e[0] * e[0] + e[1] * e[1];
                let t = if l2 > 0.0 {
                    (((p[0] - a[0]) * e[0] + (p[1] - a[1]) * e[1]) / l2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                best = best.min((p[0] - a[0] - t * e[0]).hypot(p[1] - a[1] - t * e[1]));
            }
        }
    }
    best
}

fn polygons_of<'a>(
    all: &'a [DistancePolygons],
    enterprise: &str,
    status: TargetStatus,
    level: f64,
) -> &'a [ContourPolygon] {
    &all.iter()
        .find(|p| p.enterprise == enterprise && p.status == status && p.level == level)
        .expect("distance polygons of the enterprise at the level")
        .polygons
}

/// Three identical 30 t tanks 25 m apart on the x axis (the example, analytic
/// footprints): f = 1e-6 /y, R = 500 m, L = 3e-7 /y.
/// - One tank alone: r = R(1 − L/f) = 350 m.
/// - Combined along the axis (x ≥ 25, all three within reach): 3f(1 − x/R) = L →
///   x = R(1 − L/(3f)) = 450 m from the middle tank, so the east and west reach from the
///   reference point (the mean of the tanks, the middle one) is 450 m.
/// - The distance from the nearest tank is largest across the axis: at (0, y) the middle tank
///   is nearest and y + 2√(25² + y²) = R(3 − L/f) = 1350 → 3y² + 2700y − 1 820 000 = 0 →
///   y = (−2700 + √29 130 000)/6 = 449.537 m (the maximum over all bearings agrees to 1 mm).
#[test]
fn three_tanks_combined_distance_matches_the_hand_calculation() {
    let f = 1e-6;
    let r = 500.0;
    let res = 5.0;
    let insts: Vec<Inst> = [-25.0, 0.0, 25.0]
        .iter()
        .map(|&x| Inst {
            x,
            y: 0.0,
            f,
            reach: r,
        })
        .collect();
    let s = study(&insts, Some("plant"), &[], 700.0, res);
    let result = run(&s, &RunOptions::default()).unwrap();
    let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
    let cell = res * std::f64::consts::SQRT_2;

    let row = |ent: &str| {
        c.safety_distances
            .iter()
            .find(|d| {
                d.enterprise == ent
                    && d.class == TargetClass::HighSensitive
                    && d.status == TargetStatus::New
            })
            .unwrap()
    };
    let plant = row("plant");
    assert_eq!(plant.limit, L_HIGH_NEW);
    let across = (-2700.0 + 29_130_000.0f64.sqrt()) / 6.0;
    assert!(
        (plant.distance_m - across).abs() <= cell,
        "{} vs {across}",
        plant.distance_m
    );
    assert_eq!(plant.reference_m, [0.0, 0.0]);
    let along = r * (1.0 - L_HIGH_NEW / (3.0 * f));
    let east = DIRECTIONS.iter().position(|&d| d == "E").unwrap();
    let west = DIRECTIONS.iter().position(|&d| d == "W").unwrap();
    for k in [east, west] {
        assert!(
            (plant.reach_by_direction_m[k] - along).abs() <= cell,
            "{}: {} vs {along}",
            DIRECTIONS[k],
            plant.reach_by_direction_m[k]
        );
    }
    // The park (no boundary: all installations) is the plant here.
    assert_eq!(row(PARK).distance_m, plant.distance_m);

    // Each tank alone: 350 m; the combined distance is larger (×1.28 here).
    let single = r * (1.0 - L_HIGH_NEW / f);
    for d in c
        .installation_distances
        .iter()
        .filter(|d| d.class == TargetClass::HighSensitive && d.status == TargetStatus::New)
    {
        assert!((d.distance_m - single).abs() <= cell, "{}", d.distance_m);
        assert!(plant.distance_m >= d.distance_m);
    }
}

/// Two installations 100 m apart, f = 1e-6 /y, R = 400 m, and a new school (high-sensitive,
/// L = 3e-7 /y) at (0, 320) on their bisector:
/// - each installation's own distance: R(1 − L/f) = 280 m; the school is 323.9 m from each, so
///   the per-installation distances put it outside;
/// - its IR: 2f(1 − 323.9/400) = 3.81e-7 > L → it fails;
/// - the combined contour r₁ + r₂ = R(2 − L/f) = 680 m crosses the bisector at
///   y = √(340² − 50²) = 336.3 m, beyond the school: the school lies inside the distance
///   polygon and within the reported distance (340 m from the nearest installation).
#[test]
fn target_between_installation_and_combined_distance_fails_and_lies_inside() {
    let f = 1e-6;
    let insts = [
        Inst {
            x: -50.0,
            y: 0.0,
            f,
            reach: 400.0,
        },
        Inst {
            x: 50.0,
            y: 0.0,
            f,
            reach: 400.0,
        },
    ];
    let school = Target {
        x: 0.0,
        y: 320.0,
        class: "high-sensitive",
        status: "new",
    };
    let s = study(&insts, Some("plant"), &[school], 600.0, 5.0);
    let result = run(&s, &RunOptions::default()).unwrap();
    let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
    let r_school = 50.0f64.hypot(320.0);
    let ir_hand = 2.0 * f * (1.0 - r_school / 400.0);
    assert!((c.targets[0].individual_risk / ir_hand - 1.0).abs() < 1e-9);
    assert!(!c.targets[0].pass, "the school fails");

    let own = c
        .installation_distances
        .iter()
        .find(|d| d.class == TargetClass::HighSensitive && d.status == TargetStatus::New)
        .unwrap();
    assert!(
        own.distance_m < r_school,
        "outside the per-installation distance"
    );
    let d = c
        .safety_distances
        .iter()
        .find(|d| {
            d.enterprise == "plant"
                && d.class == TargetClass::HighSensitive
                && d.status == TargetStatus::New
        })
        .unwrap();
    assert!(
        (d.distance_m - 340.0).abs() <= 5.0 * std::f64::consts::SQRT_2,
        "{}",
        d.distance_m
    );
    assert!(r_school < d.distance_m);
    let (_, polys) = combined_distances(&result, &criteria_set("GB36894-2018").unwrap().limits());
    assert!(inside(
        [0.0, 320.0],
        polygons_of(&polys, "plant", TargetStatus::New, L_HIGH_NEW)
    ));
}

fn class_of(k: u8) -> (&'static str, &'static str, TargetClass, TargetStatus) {
    match k % 4 {
        0 => (
            "high-sensitive",
            "new",
            TargetClass::HighSensitive,
            TargetStatus::New,
        ),
        1 => ("general-2", "new", TargetClass::General2, TargetStatus::New),
        2 => (
            "general-3",
            "in-service",
            TargetClass::General3,
            TargetStatus::InService,
        ),
        _ => (
            "important",
            "in-service",
            TargetClass::Important,
            TargetStatus::InService,
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random small plants (2–4 installations, each its own enterprise, radial footprints,
    /// random positions, reaches and frequencies) and random targets: a target outside every
    /// distance polygon of its class's limit has IR ≤ limit, one inside has IR ≥ limit, except
    /// within one grid cell diagonal of the park polygons' rings. Each enterprise's polygons (its
    /// own risk) lie inside the park's, and a failing target lies within the park's distance.
    #[test]
    fn target_verdicts_agree_with_the_distance_polygons(
        insts in prop::collection::vec(
            (-150.0..150.0f64, -150.0..150.0f64, -6.5..-4.5f64, 80.0..300.0f64), 2..5),
        targets in prop::collection::vec((-450.0..450.0f64, -450.0..450.0f64, 0u8..4), 1..6),
    ) {
        let res = 10.0;
        let insts: Vec<Inst> = insts
            .iter()
            .map(|&(x, y, lf, reach)| Inst { x, y, f: 10f64.powf(lf), reach })
            .collect();
        let tg: Vec<Target> = targets
            .iter()
            .map(|&(x, y, k)| {
                let (class, status, _, _) = class_of(k);
                Target { x, y, class, status }
            })
            .collect();
        let s = study(&insts, None, &tg, 500.0, res);
        let result = run(&s, &RunOptions::default()).unwrap();
        let set = criteria_set("GB36894-2018").unwrap();
        let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
        let (rows, polys) = combined_distances(&result, &set.limits());
        prop_assert_eq!(&rows, &c.safety_distances);
        let band = res * std::f64::consts::SQRT_2;
        for ((t, &(x, y, k)), v) in tg.iter().zip(&targets).zip(&c.targets) {
            let (_, _, class, status) = class_of(k);
            let limit = set.limit(class, status).unwrap();
            prop_assert_eq!(v.limit, limit);
            let park = polygons_of(&polys, PARK, status, limit);
            // An enterprise's own risk is part of the park's: its polygons lie inside the park's
            // (every vertex inside, or within the one-cell band of the park's rings).
            for q in polys
                .iter()
                .filter(|p| p.enterprise != PARK && p.status == status && p.level == limit)
                .flat_map(|p| p.polygons.iter())
            {
                for &v in &q.exterior {
                    prop_assert!(inside(v, park) || to_rings(v, park) <= band,
                        "enterprise contour vertex {:?} outside the park's", v);
                }
            }
            let p = [t.x, t.y];
            let near = to_rings(p, park);
            if inside(p, park) {
                prop_assert!(v.individual_risk >= limit || near <= band,
                    "({}, {}) inside, IR {:e} < {:e}, {} m from the contour", x, y, v.individual_risk, limit, near);
            } else {
                prop_assert!(v.pass || near <= band,
                    "({}, {}) outside, IR {:e} > {:e}, {} m from the contour", x, y, v.individual_risk, limit, near);
            }
            // A target whose IR exceeds the limit is within the park's distance (measured, without
            // a park boundary, from the nearest installation).
            if !v.pass {
                let within = c.safety_distances.iter().filter(|d| {
                    d.enterprise == PARK && d.class == class && d.status == status
                }).any(|d| {
                    result.installations.iter().any(|q| {
                        (q.x_m - p[0]).hypot(q.y_m - p[1]) <= d.distance_m + band
                    })
                });
                prop_assert!(within, "({}, {}) fails but lies beyond the park's distance", x, y);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The LPG sphere + chlorine tank plant of issue 15.

/// A radial installation: x, y (m), f (per year), lethality table [(r m, P)], GB 36894 status
/// (`None`: not given).
type TableInst<'a> = (f64, f64, f64, &'a [(f64, f64)], Option<&'a str>);

/// A study of installations with radial lethality tables, all of enterprise `plant`, and targets
/// `(id, x, y, class, status)` (status `""`: not given).
fn table_study(
    insts: &[TableInst<'_>],
    targets: &[(&str, f64, f64, &str, &str)],
    half: f64,
    res: f64,
) -> Study {
    let mut t = String::from("schema = \"qra-study/1\"\n[[facilities]]\nid = \"plant\"\n");
    for (k, i) in insts.iter().enumerate() {
        t += &format!(
            "[[installations]]\nid = \"I{k}\"\nfacility = \"plant\"\nx_m = {:?}\ny_m = {:?}\nsubstance = \"chlorine\"\ninventory_kg = 30000.0\n",
            i.0, i.1
        );
        if let Some(st) = i.4 {
            t += &format!("status = \"{st}\"\n");
        }
    }
    for (k, i) in insts.iter().enumerate() {
        let d: Vec<String> = i.3.iter().map(|p| format!("{:?}", p.0)).collect();
        let p: Vec<String> = i.3.iter().map(|p| format!("{:?}", p.1)).collect();
        t += &format!(
            "[[events]]\nid = \"E{k}\"\ninstallation = \"I{k}\"\nfrequency_per_year = {:e}\n[[events.outcomes]]\nspec = {{ kind = \"analytic\", footprint = {{ type = \"radial\", distance_m = [{}], lethality = [{}] }} }}\n",
            i.2,
            d.join(", "),
            p.join(", ")
        );
    }
    for g in targets {
        t += &format!(
            "[[targets]]\nid = \"{}\"\nclass = \"{}\"\npoint = [{:?}, {:?}]\n",
            g.0, g.3, g.1, g.2
        );
        if !g.4.is_empty() {
            t += &format!("status = \"{}\"\n", g.4);
        }
    }
    t += "[meteorology]\nday_fraction = 0.5\nweather = [{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]\n";
    t += &format!(
        "[grid]\nx_min_m = {}\nx_max_m = {half:?}\ny_min_m = {}\ny_max_m = {half:?}\nresolution_m = {res:?}\n",
        -half, -half
    );
    match Study::from_toml_str(&t, "test") {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{t}"),
    }
}

/// Bilinear interpolation of a node grid (rows = y) at (x, y); 0 outside.
fn bilinear(xs: &[f64], ys: &[f64], z: &ndarray::Array2<f64>, x: f64, y: f64) -> f64 {
    let (nx, ny) = (xs.len(), ys.len());
    if x < xs[0] || y < ys[0] || x > xs[nx - 1] || y > ys[ny - 1] {
        return 0.0;
    }
    let h = xs[1] - xs[0];
    let i = (((x - xs[0]) / h).floor() as usize).min(nx - 2);
    let j = (((y - ys[0]) / h).floor() as usize).min(ny - 2);
    let u = (x - xs[i]) / h;
    let v = (y - ys[j]) / h;
    z[[j, i]] * (1.0 - u) * (1.0 - v)
        + z[[j, i + 1]] * u * (1.0 - v)
        + z[[j + 1, i]] * (1.0 - u) * v
        + z[[j + 1, i + 1]] * u * v
}

/// Issue 15's LPG sphere + chlorine tank plant, with analytic radial lethality tables chosen to
/// give the figures (per-installation 3·10⁻⁷ distances 544 m and 453 m, combined contour
/// 747–756 m, maximum IR 3.3·10⁻⁶, a school at 600 m failing):
/// - A, LPG sphere at (−50, 0): f = 2e-6 /y, P(r) = 1, 0.6, 0.15, 0 at r = 0, 100, 544, 1000 m;
/// - B, chlorine tank at (50, 0): f = 1.5e-6 /y, P(r) = 1, 13/15, 0.2, 0 at r = 0, 100, 453, 1000 m.
///
/// Hand calculation (IR = Σ f·P(r), the same in every direction of the wind):
/// - own 3e-7 contours: f_A·P_A(r) = 3e-7 → P_A = 0.15 → r = 544 m; P_B = 0.2 → r = 453 m;
/// - both on their tails (r ≥ 544 resp. 453): IR = 3e-7·[(1000 − r_A)/456 + (1000 − r_B)/547];
///   east (x = u, r_A = u + 50, r_B = u − 50): (950 − u)/456 + (1050 − u)/547 = 1 →
///   u = (950/456 + 1050/547 − 1)/(1/456 + 1/547) = 746.78 m; west: (1050 − u)/456 +
///   (950 − u)/547 = 1 → u = 755.86 m; north/south (r_A = r_B = r): (1000 − r)(1/456 + 1/547) = 1
///   → r = 751.31 m, y = √(r² − 50²) = 749.65 m;
/// - maximum at A: 2e-6 + 1.5e-6·13/15 = 3.3e-6 /y (A is a local maximum: moving 1 m from A
///   loses 2e-6·0.004 and gains at most 1.5e-6·(2/15)/100); the 3e-6 contour runs
///   27.7 m west of A (3.3e-6 − 1.0833e-8·r = 3e-6) and 50 m east of it (3.3e-6 − 6e-9·r);
///   each installation alone stays below 3e-6 (2e-6, 1.5e-6) so its own distance is 0;
/// - the school (high-sensitive, new, L = 3e-7) at (0, 600), r = √(600² + 50²) = 602.08 m from
///   both: P_A = 0.15·397.92/456 = 0.130895, P_B = 0.2·397.92/547 = 0.145492, IR = 4.80e-7 > L:
///   it fails, lies outside both per-installation distances and inside the combined polygon.
///
/// The combined distances are also compared with the reach computed independently from the IR
/// grid (bilinear interpolation along each ray, and the farthest node at or above the level);
/// tolerance one grid cell diagonal.
#[test]
fn lpg_sphere_and_chlorine_tank_combined_distances() {
    let a: &[(f64, f64)] = &[(0.0, 1.0), (100.0, 0.6), (544.0, 0.15), (1000.0, 0.0)];
    let b: &[(f64, f64)] = &[
        (0.0, 1.0),
        (100.0, 13.0 / 15.0),
        (453.0, 0.2),
        (1000.0, 0.0),
    ];
    let res = 10.0;
    let targets = [
        ("school", 0.0, 600.0, "high-sensitive", "new"),
        ("far school", 0.0, 800.0, "high-sensitive", "new"),
        ("workshop west", -60.0, 0.0, "general-2", "new"),
        ("workshop far", -100.0, 0.0, "general-2", "new"),
        ("hospital", -60.0, 0.0, "high-sensitive", "in-service"),
        ("depot", 0.0, 300.0, "general-3", "new"),
    ];
    let s = table_study(
        &[(-50.0, 0.0, 2e-6, a, None), (50.0, 0.0, 1.5e-6, b, None)],
        &targets,
        1100.0,
        res,
    );
    let result = run(&s, &RunOptions::default()).unwrap();
    let set = criteria_set("GB36894-2018").unwrap();
    let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
    let (_, polys) = combined_distances(&result, &set.limits());
    let cell = res * std::f64::consts::SQRT_2;

    // The school: hand IR, fails.
    let school = &c.targets[0];
    let ir_school = 2e-6 * 0.15 * (1000.0 - 602.080_065) / 456.0
        + 1.5e-6 * 0.2 * (1000.0 - 602.080_065) / 547.0;
    assert!((school.individual_risk / ir_school - 1.0).abs() < 1e-6);
    assert!(!school.pass);
    // Maximum IR 3.3e-6 at A.
    let max_ir = result.individual_risk.iter().copied().fold(0.0, f64::max);
    assert!((max_ir / 3.3e-6 - 1.0).abs() < 1e-9, "{max_ir}");

    let row = |ent: &str, class: TargetClass, status: TargetStatus| {
        c.safety_distances
            .iter()
            .find(|d| d.enterprise == ent && d.class == class && d.status == status)
            .unwrap()
            .clone()
    };
    let plant = row("plant", TargetClass::HighSensitive, TargetStatus::New);
    assert_eq!(plant.reference_m, [0.0, 0.0]);
    // Per-installation distances 544 m and 453 m (hand), both below the school's 602 m.
    let own: Vec<f64> = c
        .installation_distances
        .iter()
        .filter(|d| d.class == TargetClass::HighSensitive && d.status == TargetStatus::New)
        .map(|d| d.distance_m)
        .collect();
    assert!((own[0] - 544.0).abs() <= cell, "{own:?}");
    assert!((own[1] - 453.0).abs() <= cell, "{own:?}");
    // Combined reach: hand values east, west, north, south.
    let dir = |n: &str| DIRECTIONS.iter().position(|&d| d == n).unwrap();
    for (d, want) in [("E", 746.78), ("W", 755.86), ("N", 749.65), ("S", 749.65)] {
        let got = plant.reach_by_direction_m[dir(d)];
        assert!((got - want).abs() <= cell, "{d}: {got} vs {want}");
    }

    // Independent computation from the IR grid for every level of the set: reach along each
    // direction (the last point of the ray where the bilinear IR is ≥ L) and the distance (the
    // farthest node with IR ≥ L from its nearest installation).
    let grid = &result.individual_risk;
    let (xs, ys) = (&result.x_m, &result.y_m);
    let inst = [[-50.0, 0.0], [50.0, 0.0]];
    for &(class, status, level) in &set.limits() {
        let d = row("plant", class, status);
        for (k, name) in DIRECTIONS.iter().enumerate() {
            let ang = (22.5 * k as f64).to_radians();
            let (ux, uy) = (ang.sin(), ang.cos());
            let mut reach = 0.0;
            let mut t = 0.0;
            while t < 1100.0 {
                if bilinear(xs, ys, grid, t * ux, t * uy) >= level {
                    reach = t;
                }
                t += 0.5;
            }
            assert!(
                (d.reach_by_direction_m[k] - reach).abs() <= cell,
                "{level:e} {name}: {} vs grid {reach}",
                d.reach_by_direction_m[k]
            );
        }
        let mut far: f64 = 0.0;
        for (j, &y) in ys.iter().enumerate() {
            for (i, &x) in xs.iter().enumerate() {
                if grid[[j, i]] >= level {
                    let near = inst
                        .iter()
                        .map(|p| (p[0] - x).hypot(p[1] - y))
                        .fold(f64::INFINITY, f64::min);
                    far = far.max(near);
                }
            }
        }
        assert!(
            (d.distance_m - far).abs() <= cell,
            "{level:e}: distance {} vs grid {far}",
            d.distance_m
        );
        // The park is the plant here.
        assert_eq!(row(PARK, class, status).distance_m, d.distance_m);
    }
    // The 3e-6 level: each installation alone reports 0, the combined distance does not
    // (27.7 m west of A and 50 m east of it by hand).
    let d3 = row("plant", TargetClass::General2, TargetStatus::New);
    assert_eq!(d3.limit, 3e-6);
    assert!(
        d3.distance_m > 20.0 && d3.distance_m <= 50.0 + cell,
        "{}",
        d3.distance_m
    );
    assert!(c
        .installation_distances
        .iter()
        .filter(|d| d.limit == 3e-6)
        .all(|d| d.distance_m == 0.0));

    // Every target's verdict agrees with its position relative to its class's polygons.
    for (t, v) in targets.iter().zip(&c.targets) {
        let p = [t.1, t.2];
        let ps = polygons_of(&polys, "plant", v.status, v.limit);
        assert!(to_rings(p, ps) > cell, "{} too close to the contour", t.0);
        assert_eq!(
            inside(p, ps),
            !v.pass,
            "{}: IR {:e}",
            t.0,
            v.individual_risk
        );
    }
    // Hand verdicts: school and workshop west (IR = 3.3e-6 − 1.0833e-8·10 = 3.19e-6 > 3e-6) fail,
    // as does the hospital at the same point (in-service high-sensitive, 3e-6); the far school
    // (IR 2.39e-7), workshop far (2.76e-6) and depot pass.
    let pass: Vec<bool> = c.targets.iter().map(|t| t.pass).collect();
    assert_eq!(pass, [false, true, false, true, false, true]);
}

// ---------------------------------------------------------------------------------------------
// New and in-service installations (GB 36894-2018 attaches the status to installations).

/// A new installation A at (−50, 0) (f = 1e-6 /y, P = 1 − r/200) and an in-service one B at
/// (50, 0) (f = 4e-6 /y, P = 1 − r/400), high-sensitive targets (L_new = 3e-7, L_in = 3e-6;
/// GB 36894-2018 §4.1 Table 1 [M], limits [V]). Rule (qra_core::risk::criteria): pass iff
/// IR_new ≤ L_new and IR ≤ L_in. Hand values:
/// - T1 (200, 0): r_A = 250 > 200 → IR_new = 0; r_B = 150 → IR = 4e-6·0.625 = 2.5e-6 ≤ 3e-6:
///   **passes** (judged as if all were new, 2.5e-6 > 3e-7 would fail);
/// - T2 (−150, 0): r_A = 100 → IR_new = 5e-7 > 3e-7: **fails** on the new check; r_B = 200 →
///   IR = 5e-7 + 2e-6 = 2.5e-6 ≤ 3e-6 (judged as if all were in service it would pass);
/// - T3 (50, 105): r_A = √(100² + 105²) = 145 → IR_new = 2.75e-7 ≤ 3e-7; r_B = 105 → IR_in =
///   4e-6·0.7375 = 2.95e-6 ≤ 3e-6, but IR = 3.225e-6 > 3e-6: **fails** on the in-service check
///   (each contribution is within its own limit; their sum is not).
///
/// Distances of the plant: new row — the contour IR_new = 3e-7 is the circle r_A = 140 m, whose
/// farthest point from the nearest installation is (−190, 0), 140 m from A; in-service row — the
/// contour of IR (all installations) at 3e-6, compared with the farthest grid node at or above
/// it (independent computation), and beyond B's own 100 m (4e-6(1 − r/400) = 3e-6).
#[test]
fn mixed_new_and_in_service_installations() {
    let a: &[(f64, f64)] = &[(0.0, 1.0), (200.0, 0.0)];
    let b: &[(f64, f64)] = &[(0.0, 1.0), (400.0, 0.0)];
    let res = 2.0;
    let targets = [
        ("T1", 200.0, 0.0, "high-sensitive", ""),
        ("T2", -150.0, 0.0, "high-sensitive", ""),
        ("T3", 50.0, 105.0, "high-sensitive", ""),
    ];
    let s = table_study(
        &[
            (-50.0, 0.0, 1e-6, a, Some("new")),
            (50.0, 0.0, 4e-6, b, Some("in-service")),
        ],
        &targets,
        500.0,
        res,
    );
    let result = run(&s, &RunOptions::default()).unwrap();
    assert_eq!(
        result.installation_status,
        [TargetStatus::New, TargetStatus::InService]
    );
    let set = criteria_set("GB36894-2018").unwrap();
    let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
    let hand = [
        (0.0, 2.5e-6, true, TargetStatus::InService),
        (5e-7, 2.5e-6, false, TargetStatus::New),
        (2.75e-7, 3.225e-6, false, TargetStatus::InService),
    ];
    for (v, (ir_new, ir, pass, binding)) in c.targets.iter().zip(hand) {
        assert!(
            (v.individual_risk_new - ir_new).abs() <= 1e-9 * ir,
            "{}",
            v.id
        );
        assert!((v.individual_risk / ir - 1.0).abs() < 1e-9, "{}", v.id);
        assert!(
            (v.individual_risk_new + v.individual_risk_in_service - v.individual_risk).abs()
                <= 1e-12 * ir
        );
        assert_eq!(v.pass, pass, "{}", v.id);
        assert_eq!(v.status, binding, "{}", v.id);
        assert_eq!(
            v.limit,
            if binding == TargetStatus::New {
                3e-7
            } else {
                3e-6
            }
        );
        assert_eq!(v.checks.len(), 2);
        assert_eq!(v.checks[0].basis, criteria::Basis::NewInstallations);
        assert_eq!(v.checks[1].basis, criteria::Basis::AllInstallations);
        assert!(
            v.clause.starts_with("GB 36894-2018 §4.1, Table 1"),
            "{}",
            v.clause
        );
    }

    let cell = res * std::f64::consts::SQRT_2;
    let row = |status: TargetStatus| {
        c.safety_distances
            .iter()
            .find(|d| {
                d.enterprise == "plant"
                    && d.class == TargetClass::HighSensitive
                    && d.status == status
            })
            .unwrap()
    };
    let new = row(TargetStatus::New);
    assert!((new.distance_m - 140.0).abs() <= cell, "{}", new.distance_m);
    let old = row(TargetStatus::InService);
    let grid = result.installations_grid(&[0, 1]);
    let mut far: f64 = 0.0;
    for (j, &y) in result.y_m.iter().enumerate() {
        for (i, &x) in result.x_m.iter().enumerate() {
            if grid[[j, i]] >= 3e-6 {
                far = far.max(((x + 50.0).hypot(y)).min((x - 50.0).hypot(y)));
            }
        }
    }
    assert!(
        (old.distance_m - far).abs() <= cell,
        "{} vs {far}",
        old.distance_m
    );
    assert!(old.distance_m > 100.0 + cell, "{}", old.distance_m);

    // Verdicts agree with the polygons: a target fails iff it is inside the new polygon or the
    // in-service polygon of its class.
    let (_, polys) = combined_distances(&result, &set.limits());
    for (t, v) in targets.iter().zip(&c.targets) {
        let p = [t.1, t.2];
        let pn = polygons_of(&polys, "plant", TargetStatus::New, 3e-7);
        let pi = polygons_of(&polys, "plant", TargetStatus::InService, 3e-6);
        assert!(to_rings(p, pn) > cell && to_rings(p, pi) > cell, "{}", t.0);
        assert_eq!(inside(p, pn) || inside(p, pi), !v.pass, "{}", t.0);
    }
}

/// Studies written before the status moved to installations set it on targets: such a target is
/// judged as before (total IR against the limit of its own status, one check), and a study cannot
/// set the status on both.
#[test]
fn deprecated_target_status_is_read_as_before_and_cannot_mix() {
    let a: &[(f64, f64)] = &[(0.0, 1.0), (200.0, 0.0)];
    // (−150, 0): IR = 1e-6·(1 − 100/200) = 5e-7: in service (3e-6) passes, new (3e-7) fails.
    let s = table_study(
        &[(-50.0, 0.0, 1e-6, a, None)],
        &[
            ("old", -150.0, 0.0, "high-sensitive", "in-service"),
            ("new", -150.0, 0.0, "high-sensitive", "new"),
            ("plain", -150.0, 0.0, "high-sensitive", ""),
        ],
        300.0,
        5.0,
    );
    let result = run(&s, &RunOptions::default()).unwrap();
    let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
    let v: Vec<(bool, f64, usize)> = c
        .targets
        .iter()
        .map(|t| (t.pass, t.limit, t.checks.len()))
        .collect();
    assert_eq!(v, [(true, 3e-6, 1), (false, 3e-7, 1), (false, 3e-7, 2)]);
    assert_eq!(c.targets[0].checks[0].basis, criteria::Basis::TargetStatus);

    let text = "schema = \"qra-study/1\"\n\
        [[installations]]\nid = \"A\"\nx_m = 0.0\ny_m = 0.0\nsubstance = \"chlorine\"\ninventory_kg = 1.0\nstatus = \"in-service\"\n\
        [[events]]\nid = \"E\"\ninstallation = \"A\"\nfrequency_per_year = 1e-6\n\
        [[events.outcomes]]\nspec = { kind = \"analytic\", footprint = { type = \"circle\", radius_m = 10.0, p = 1.0 } }\n\
        [[targets]]\nid = \"T\"\nclass = \"general-1\"\nstatus = \"new\"\npoint = [5.0, 0.0]\n\
        [meteorology]\nweather = [{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]\n\
        [grid]\nx_min_m = -50.0\nx_max_m = 50.0\ny_min_m = -50.0\ny_max_m = 50.0\nresolution_m = 5.0\n";
    let e = Study::from_toml_str(text, "mixed").unwrap_err().to_string();
    assert!(
        e.contains("targets[0].status") && e.contains("installations[0].status"),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Random plants of new and in-service installations (radial cones P = 1 − r/R, one
    /// enterprise) and targets without a status: a target fails iff it lies inside the new
    /// polygon (IR of the new installations ≥ L_new) or the in-service polygon (IR of all ≥ L_in)
    /// of its class, except within one grid cell diagonal of either polygon's rings; its IR
    /// splits exactly into the new and in-service parts of its hand value Σ f(1 − r/R).
    #[test]
    fn mixed_status_verdicts_agree_with_the_distance_polygons(
        insts in prop::collection::vec(
            (-150.0..150.0f64, -150.0..150.0f64, -6.5..-4.5f64, 80.0..300.0f64, any::<bool>()), 2..5),
        targets in prop::collection::vec((-450.0..450.0f64, -450.0..450.0f64, 0u8..5), 1..6),
    ) {
        let res = 10.0;
        let tables: Vec<[(f64, f64); 2]> =
            insts.iter().map(|i| [(0.0, 1.0), (i.3, 0.0)]).collect();
        let ti: Vec<TableInst<'_>> = insts
            .iter()
            .zip(&tables)
            .map(|(i, t)| (i.0, i.1, 10f64.powf(i.2), &t[..], Some(if i.4 { "in-service" } else { "new" })))
            .collect();
        let classes = ["high-sensitive", "important", "general-1", "general-2", "general-3"];
        let ids: Vec<String> = (0..targets.len()).map(|k| format!("T{k}")).collect();
        let tg: Vec<(&str, f64, f64, &str, &str)> = targets
            .iter()
            .zip(&ids)
            .map(|(t, id)| (id.as_str(), t.0, t.1, classes[t.2 as usize], ""))
            .collect();
        let s = table_study(&ti, &tg, 500.0, res);
        let result = run(&s, &RunOptions::default()).unwrap();
        let set = criteria_set("GB36894-2018").unwrap();
        let c = criteria::check(&result, "GB36894-2018", Default::default()).unwrap();
        let (_, polys) = combined_distances(&result, &set.limits());
        let band = res * std::f64::consts::SQRT_2;
        for (t, v) in targets.iter().zip(&c.targets) {
            let p = [t.0, t.1];
            // Hand IR split.
            let (mut new, mut old) = (0.0, 0.0);
            for i in &insts {
                let r = (p[0] - i.0).hypot(p[1] - i.1);
                let ir = if r < i.3 { 10f64.powf(i.2) * (1.0 - r / i.3) } else { 0.0 };
                if i.4 { old += ir } else { new += ir }
            }
            prop_assert!((v.individual_risk_new - new).abs() <= 1e-9 * (new + old) + 1e-20);
            prop_assert!((v.individual_risk_in_service - old).abs() <= 1e-9 * (new + old) + 1e-20);
            let l_new = set.limit(v.class, TargetStatus::New).unwrap();
            let l_in = set.limit(v.class, TargetStatus::InService).unwrap();
            let near = |ir: f64, l: f64| (ir - l).abs() <= 1e-9 * l;
            if !near(new, l_new) && !near(new + old, l_in) {
                prop_assert_eq!(v.pass, new <= l_new && new + old <= l_in);
            }
            let pn = polygons_of(&polys, "plant", TargetStatus::New, l_new);
            let pi = polygons_of(&polys, "plant", TargetStatus::InService, l_in);
            if to_rings(p, pn) > band && to_rings(p, pi) > band {
                prop_assert_eq!(inside(p, pn) || inside(p, pi), !v.pass,
                    "({}, {}): new {:e} / {:e}, all {:e} / {:e}", p[0], p[1], new, l_new, new + old, l_in);
            }
        }
    }
}
