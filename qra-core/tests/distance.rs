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
    level: f64,
) -> &'a [ContourPolygon] {
    &all.iter()
        .find(|p| p.enterprise == enterprise && p.level == level)
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
        polygons_of(&polys, "plant", L_HIGH_NEW)
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
            let park = polygons_of(&polys, PARK, limit);
            // An enterprise's own risk is part of the park's: its polygons lie inside the park's
            // (every vertex inside, or within the one-cell band of the park's rings).
            for q in polys
                .iter()
                .filter(|p| p.enterprise != PARK && p.level == limit)
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
