//! Delayed ignition by the Purple Book method (issue 16): ignition sources on and off the path of
//! a cloud, the probability and place of ignition, ignition at the maximum extent; VCEs placed
//! where the cloud ignites and on the congested regions it covers.
//!
//! Model (CPR 18E 1999 ch. 4 §4.5 [M], see `qra_core::risk::ignition`): a source present in the
//! cloud for t ignites it with P(t) = p_present·(1 − e^{−ωt}), ω = −ln(1 − p_1min)/60 s; the
//! cloud ignites at the first sources it reaches; a cloud that passes every source ignites at its
//! maximum extent with p_max (default 1).

use approx::assert_relative_eq;
use qra_core::explosion::{MultiEnergy, VceModel};
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::footprint::{DirectionalTable, Footprint, Hazard, Shape};
use qra_core::risk::ignition::{omega_per_s, IgnitionPlace, SourcePoint};
use qra_core::risk::placement::{congested_blast_footprint, FlammableCloud};
use qra_core::risk::study::{CongestedRegion, Study};
use qra_core::tolerance::EXACT;

/// A rectangular LFL envelope x ∈ [0, 300] m, |y| ≤ 20 m (1 inside), nodes every 5 m: with
/// bilinear interpolation the 0.5 level (the envelope's edge for `contains`) lies half-way to the
/// first outside row, at |y| = 22.5 m.
fn box_cloud(duration_s: Option<f64>) -> FlammableCloud {
    let (nx, ny) = (63, 11);
    let mut v = vec![0.0; nx * ny];
    for j in 0..ny {
        for i in 0..nx {
            let (x, y) = (-5.0 + 5.0 * i as f64, -25.0 + 5.0 * j as f64);
            if (0.0..=300.0).contains(&x) && y.abs() <= 20.0 {
                v[j * nx + i] = 1.0;
            }
        }
    }
    let t = DirectionalTable::new(-5.0, -25.0, 5.0, 5.0, nx, ny, v).unwrap();
    FlammableCloud::from_envelope(
        Footprint::new(Shape::Directional(t), Hazard::FlashFire).unwrap(),
        duration_s,
        5.0,
    )
}

fn vehicle_at(x: f64, y: f64) -> SourcePoint {
    SourcePoint {
        x_m: x,
        y_m: y,
        n: 1.0,
        presence: 1.0,
        omega_per_s: omega_per_s(0.4),
    }
}

/// One source (p_1min = 0.4, always present) 100 m east of the release; a 600 s continuous
/// release.
/// * Wind towards east: the source is on the path at local (100, 0), covered for 600 s:
///   P = 1 − e^{−ω·600} = 1 − 0.6^{10} = 0.993953; the rest, 0.6^{10} = 0.006047, ignites at
///   the maximum extent, the envelope's centroid (150, 0).
/// * Wind towards north: the source is at local (0, −100), outside the cloud: the cloud meets no
///   source and ignites at its maximum extent with p_max (1, or 0.3 → 0.7 never ignites).
#[test]
fn one_source_on_and_off_the_plume_path() {
    let cloud = box_cloud(Some(600.0));
    let src = [vehicle_at(100.0, 0.0)];
    let on = cloud.delayed_ignition(&src, [0.0, 0.0], (1.0, 0.0), 1.0);
    assert_eq!(on.places.len(), 2);
    assert_eq!((on.places[0].x_m, on.places[0].y_m), (100.0, 0.0));
    assert!(!on.places[0].at_max_extent);
    assert_relative_eq!(
        on.places[0].probability,
        1.0 - 0.6f64.powi(10),
        max_relative = 1e-12
    );
    assert!(on.places[1].at_max_extent);
    assert_relative_eq!(on.places[1].x_m, 150.0, max_relative = EXACT);
    assert_relative_eq!(on.places[1].y_m, 0.0, epsilon = 1e-9);
    assert_relative_eq!(
        on.places[1].probability,
        0.6f64.powi(10),
        max_relative = 1e-12
    );
    assert_eq!(on.none, 0.0);

    let off = cloud.delayed_ignition(&src, [0.0, 0.0], (0.0, 1.0), 1.0);
    assert_eq!(off.places.len(), 1);
    assert!(off.places[0].at_max_extent);
    assert_relative_eq!(off.places[0].probability, 1.0, max_relative = EXACT);
    let off = cloud.delayed_ignition(&src, [0.0, 0.0], (0.0, 1.0), 0.3);
    assert_relative_eq!(off.places[0].probability, 0.3, max_relative = EXACT);
    assert_relative_eq!(off.none, 0.7, max_relative = EXACT);
}

/// An instantaneous cloud covers a source for its passage time: its crosswind LFL width at the
/// source over the wind speed. The box's width as the raster resolves it: the 9 rows of 5 m
/// inside |y| ≤ 20 m, 45 m; / 5 m/s = 9 s; P = 1 − 0.6^{9/60}.
#[test]
fn instantaneous_cloud_exposure_is_its_passage_time() {
    let cloud = box_cloud(None);
    let d = cloud.delayed_ignition(&[vehicle_at(100.0, 0.0)], [0.0, 0.0], (1.0, 0.0), 1.0);
    assert_relative_eq!(
        d.places[0].probability,
        1.0 - 0.6f64.powf(9.0 / 60.0),
        max_relative = 1e-12
    );
}

/// A propane release (10 kg/s for 600 s, D 5 m/s, wind from north: the cloud drifts south), all
/// of it a delayed flash fire (P_i = 0, f_x = 0). `sources` is the `[ignition]` section.
fn propane_text(sources: &str, delayed: &str) -> String {
    format!(
        r#"schema = "qra-study/1"
[meteorology]
day_fraction = 0.5
# Hand calculations along the sector's centre line (placements at ignition sources are
# evaluated at the sector centres in both modes).
sector_spreading = "centre"
weather = [{{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }}]
[grid]
x_min_m = -100.0
x_max_m = 100.0
y_min_m = -300.0
y_max_m = 100.0
resolution_m = 5.0
[[installations]]
id = "V"
x_m = 0.0
y_m = 0.0
substance = "lpg"
inventory_kg = 100000.0
phase = "gas"
[[events]]
id = "E"
installation = "V"
frequency_per_year = 1e-4
release = "hole"
duration_s = 600.0
event_tree = {{ immediate_ignition = 0.0, explosion_fraction = 0.0{delayed} }}
[[events.outcomes]]
branch = "delayed-flash"
spec = {{ kind = "flash-fire", release_rate_kg_s = 10.0 }}
{sources}
"#
    )
}

fn propane_study(sources: &str, delayed: &str) -> Study {
    let text = propane_text(sources, delayed);
    Study::from_toml_str(&text, "t").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Last downwind (south) distance on the axis with IR > 0, to 1 m.
fn lfl_reach(r: &qra_core::risk::RiskResult) -> f64 {
    (1..400)
        .map(|d| d as f64)
        .take_while(|d| r.risk_at(&[[0.0, -d]])[0] > 0.0)
        .last()
        .unwrap_or(0.0)
}

/// End to end through the engine. Without sources (scalar P_d = 1): IR = f = 1e-4 inside the LFL
/// envelope. With one source on the path at a third of the envelope (p_1min = 0.4, exposure
/// 600 s, P_s = 1 − 0.6^{10}): the flash fire ignited there covers the envelope only up to the
/// source, so IR = f upwind of it and f·(1 − P_s) = f·0.6^{10} beyond it (only the ignition at
/// the maximum extent reaches there). Off the path (100 m east of the release): no change.
/// With `max_extent_probability = 0.3` and the source off the path: 0.3·f everywhere.
#[test]
fn flash_fire_takes_its_size_from_where_the_cloud_ignites() {
    let opts = RunOptions::default();
    let base = run(&propane_study("", ", delayed_ignition = 1.0"), &opts).unwrap();
    let reach = lfl_reach(&base);
    assert!(reach > 15.0, "LFL reach {reach} m too short for the test");
    let xs = (reach / 3.0).round();
    let near = [0.0, -(xs / 2.0).round()];
    let far = [0.0, -(xs + (reach - xs) / 2.0).round()];
    assert_relative_eq!(base.risk_at(&[near])[0], 1e-4, max_relative = 1e-9);
    assert_relative_eq!(base.risk_at(&[far])[0], 1e-4, max_relative = 1e-9);

    let point = |x: f64, y: f64| {
        format!(
            "[[ignition.sources]]\nkind = \"point\"\nid = \"car\"\nx_m = {x:?}\ny_m = {y:?}\np_1min = 0.4\n"
        )
    };
    let on = run(&propane_study(&point(0.0, -xs), ""), &opts).unwrap();
    assert_relative_eq!(on.risk_at(&[near])[0], 1e-4, max_relative = 1e-9);
    assert_relative_eq!(
        on.risk_at(&[far])[0],
        1e-4 * 0.6f64.powi(10),
        max_relative = 1e-9
    );

    let off = run(&propane_study(&point(100.0, 0.0), ""), &opts).unwrap();
    assert_relative_eq!(off.risk_at(&[far])[0], 1e-4, max_relative = 1e-9);
    let off_p = format!(
        "[ignition]\nmax_extent_probability = 0.3\n{}",
        point(100.0, 0.0)
    );
    let off = run(&propane_study(&off_p, ""), &opts).unwrap();
    assert_relative_eq!(off.risk_at(&[near])[0], 0.3e-4, max_relative = 1e-9);
    assert_relative_eq!(off.risk_at(&[far])[0], 0.3e-4, max_relative = 1e-9);
    // The PLL and F-N curve see the same probabilities (no population here: 0).
    assert_eq!(off.pll, 0.0);
}

/// A VCE takes its place from where the cloud ignites. TNT equivalence of 5 kg of propane
/// (η = 0.03: W = 0.03·5·46.34 MJ/kg / 4.68 MJ/kg ≈ 1.5 kg TNT; 30 kPa, lethal outdoors by the
/// Purple Book rule, at Z ≈ 6–7 m/kg^{1/3}, ≈ 8 m) ignited with certainty (p_1min = 1) by a flare
/// on the path 20 m downwind: IR = f·f_x at the flare, 0 at the release point; with
/// `vce_placement = "release-point"` the reverse. Half of the delayed ignitions explode
/// (f_x = 0.5), f = 1e-4 /yr.
#[test]
fn vce_is_centred_where_the_cloud_ignites() {
    let opts = RunOptions::default();
    let vce = "[[events.outcomes]]\nbranch = \"delayed-explosion\"\nspec = { kind = \"vce\", mass_kg = 5.0 }\n";
    let flare = "[[ignition.sources]]\nkind = \"point\"\nid = \"flare\"\nx_m = 0.0\ny_m = -20.0\np_1min = 1.0\n";
    let study = |placement: &str| {
        let mut st = propane_study(&format!("{vce}{placement}{flare}"), "");
        st.events[0].event_tree.explosion_fraction = Some(0.5);
        assert_eq!(st.events[0].outcomes.len(), 2);
        st
    };
    let base = run(&propane_study("", ", delayed_ignition = 1.0"), &opts).unwrap();
    assert!(
        lfl_reach(&base) > 25.0,
        "the flare must be inside the cloud"
    );
    let at_ignition = run(&study(""), &opts).unwrap();
    let ir = at_ignition.risk_at(&[[0.0, -17.0], [0.0, 0.0], [0.0, 8.0]]);
    // 3 m upwind of the flare: the VCE (0.5·f) plus the flash fire up to the flare (0.5·f).
    assert_relative_eq!(ir[0], 1e-4, max_relative = 1e-6);
    // At the release point the flash fire (0.5·f), no blast; upwind nothing.
    assert_relative_eq!(ir[1], 0.5e-4, max_relative = 1e-6);
    assert_eq!(ir[2], 0.0);
    let at_release = run(
        &study("[ignition]\nvce_placement = \"release-point\"\n"),
        &opts,
    )
    .unwrap();
    let ir = at_release.risk_at(&[[0.0, -17.0], [0.0, 0.0], [0.0, 4.0]]);
    assert_relative_eq!(ir[0], 0.5e-4, max_relative = 1e-6);
    assert_relative_eq!(ir[1], 1e-4, max_relative = 1e-6);
    assert_relative_eq!(ir[2], 0.5e-4, max_relative = 1e-6);
}

/// The `[ignition]` section is validated with field paths.
#[test]
fn ignition_section_errors_name_their_field() {
    let bad = "[ignition]\nmax_extent_probability = 1.5\n[[ignition.sources]]\nkind = \"line\"\nid = \"road\"\npoints = [[0.0, 0.0]]\np_1min = 1.2\nsources_per_km = -1.0\n";
    let text = propane_text(bad, ", delayed_ignition = 1.0");
    let err = Study::from_toml_str(&text, "t").unwrap_err().to_string();
    for path in [
        "ignition.max_extent_probability",
        "ignition.sources[0].p_1min",
        "ignition.sources[0].sources_per_km",
        "ignition.sources[0].points",
    ] {
        assert!(err.contains(path), "{path} missing in {err}");
    }
}

/// Results with ignition sources are bit-identical for 1 and 2 threads (an area source gives
/// many places per direction, built in parallel and combined in a fixed order); a 4-sector rose.
#[test]
fn placed_scenarios_are_reproducible_across_thread_counts() {
    let area = "[[ignition.sources]]\nkind = \"area\"\nid = \"yard\"\npolygon = [[-30.0, -60.0], [30.0, -60.0], [30.0, -5.0], [-30.0, -5.0]]\np_1min = 0.1\nsources_per_km2 = 20000.0\n";
    let mut s = propane_study(area, "");
    s.meteorology.weather[0].wind_rose = vec![0.4, 0.3, 0.2, 0.1];
    let one = run(
        &s,
        &RunOptions {
            threads: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    let two = run(
        &s,
        &RunOptions {
            threads: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(one.individual_risk.iter().any(|v| *v > 0.0));
    assert!(one
        .individual_risk
        .iter()
        .zip(two.individual_risk.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert_eq!(one.pll.to_bits(), two.pll.to_bits());
}

// --- VCE placement on congested regions -------------------------------------------------------
//
// Multi-energy practice (CPR 14E Yellow Book ch. 5, TNO multi-energy method [M]): the blast comes
// from the congested part of the cloud, energy E = V·3.5 MJ/m³ of the flammable congested volume
// (AQ/T 3046-2013 eq. E.60 [S]), distance scaled as R = R̄·(E/p₀)^{1/3}.

/// A 20 m × 20 m congested region, 5 m high, TNO strength 7, centred at (100, y_c).
fn region(y_c: f64) -> CongestedRegion {
    CongestedRegion {
        id: "unit".into(),
        polygon: vec![
            [90.0, y_c - 10.0],
            [110.0, y_c - 10.0],
            [110.0, y_c + 10.0],
            [90.0, y_c + 10.0],
        ],
        height_m: 5.0,
        model: VceModel::multi_energy(7, None).unwrap(),
    }
}

const AT_MAX_EXTENT: IgnitionPlace = IgnitionPlace {
    x_m: 150.0,
    y_m: 0.0,
    probability: 1.0,
    at_max_extent: true,
};

/// Largest x along y = y_c where the footprint's outdoor lethality is ≥ 0.5 (the 30 kPa radius
/// measured from the blast centre x = 100 m), by 1 cm steps.
fn lethal_reach(fp: &Footprint, y_c: f64) -> f64 {
    (0..20_000)
        .map(|k| 100.0 + k as f64 * 0.01)
        .take_while(|&x| fp.lethality(x, y_c) >= 0.5)
        .last()
        .map_or(0.0, |x| x - 100.0)
}

/// Hand calculation. The cloud (wind towards +x) covers the whole region on the axis:
/// V = 20·20·5 = 2000 m³, E = 2000·3.5e6 = 7.0e9 J, centred at (100, 0). Moved to y_c = 22.5 m,
/// half of it (y from 12.5 to 22.5 m) lies in the cloud: V = 1000 m³, centre (100, 17.5); the
/// 30 kPa radius scales as E^{1/3}: × 0.5^{1/3} = 0.7937. Moved to y_c = 50 m: not covered, no
/// blast. Ignited by a source at x = 50 m, before the cloud reaches the region: no blast.
#[test]
fn cloud_drifting_over_a_congested_region_100_m_downwind() {
    let cloud = box_cloud(Some(600.0));
    let on = [region(0.0)];
    let c = cloud.covered_regions(&on, [0.0, 0.0], (1.0, 0.0), &AT_MAX_EXTENT);
    assert_eq!(c.len(), 1);
    assert_relative_eq!(c[0].volume_m3, 2000.0, max_relative = 1e-9);
    assert_relative_eq!(c[0].x_m, 100.0, max_relative = 1e-9);
    assert_relative_eq!(c[0].y_m, 0.0, epsilon = 1e-9);
    let r30 = MultiEnergy::new(7.0e9, 7).unwrap().reach_m(30e3);
    let fp = congested_blast_footprint(&on, &c, 46.3e6).unwrap();
    // The raster's step bounds the error of the measured radius.
    let Shape::Directional(t) = &fp.outdoor else {
        panic!("directional")
    };
    let step = t.dx_m;
    assert!(
        (lethal_reach(&fp, 0.0) - r30).abs() <= step,
        "{} vs {r30}",
        lethal_reach(&fp, 0.0)
    );

    let half = [region(22.5)];
    let c = cloud.covered_regions(&half, [0.0, 0.0], (1.0, 0.0), &AT_MAX_EXTENT);
    assert_relative_eq!(c[0].volume_m3, 1000.0, max_relative = 1e-9);
    assert_relative_eq!(c[0].y_m, 17.5, max_relative = 1e-9);
    let r30_half = MultiEnergy::new(3.5e9, 7).unwrap().reach_m(30e3);
    assert_relative_eq!(r30_half / r30, 0.5f64.powf(1.0 / 3.0), max_relative = 1e-6);
    let fp = congested_blast_footprint(&half, &c, 46.3e6).unwrap();
    let Shape::Directional(t) = &fp.outdoor else {
        panic!("directional")
    };
    assert!((lethal_reach(&fp, 17.5) - r30_half).abs() <= t.dx_m);

    let off = [region(50.0)];
    let c = cloud.covered_regions(&off, [0.0, 0.0], (1.0, 0.0), &AT_MAX_EXTENT);
    assert!(c.is_empty());
    assert_eq!(
        congested_blast_footprint(&off, &c, 46.3e6)
            .unwrap()
            .reach_m(),
        0.0
    );

    let early = IgnitionPlace {
        x_m: 50.0,
        y_m: 0.0,
        probability: 1.0,
        at_max_extent: false,
    };
    assert!(cloud
        .covered_regions(&on, [0.0, 0.0], (1.0, 0.0), &early)
        .is_empty());
    // The same region seen with the wind towards −y (downwind (0, −1)): world (100, 0) is at
    // local (0, 100), outside the cloud.
    assert!(cloud
        .covered_regions(&on, [0.0, 0.0], (0.0, -1.0), &AT_MAX_EXTENT)
        .is_empty());
}

/// End to end: the propane release of [`propane_study`] (the cloud drifting south), half of the
/// delayed ignitions exploding (f = 1e-4 /yr, f_x = 0.5), every cloud ignited at its maximum
/// extent (no sources, p_max = the event's P_d = 1). A congested region (10 m × 10 m, 5 m high,
/// strength 7) on the cloud's path 10–20 m south of the release: at its centre the overpressure
/// is the strength-7 plateau, 0.5 bar ≈ 51 kPa > 30 kPa, lethal: IR = f·f_x (VCE) + f·(1 − f_x)
/// (flash fire, inside the LFL envelope) = f. Moved 40 m east, off the path: no blast, IR at the
/// old centre = f·(1 − f_x) and 0 at the region.
#[test]
fn vce_from_a_congested_region_on_and_off_the_path() {
    let study = |x_c: f64| {
        let (a, b) = (x_c - 5.0, x_c + 5.0);
        let region = format!(
            "[[events.outcomes]]\nbranch = \"delayed-explosion\"\nspec = {{ kind = \"vce\" }}\n[[ignition.congested_regions]]\nid = \"unit\"\npolygon = [[{a:?}, -20.0], [{b:?}, -20.0], [{b:?}, -10.0], [{a:?}, -10.0]]\nheight_m = 5.0\nstrength = 7\n"
        );
        let mut st = propane_study(&region, ", delayed_ignition = 1.0");
        st.events[0].event_tree.explosion_fraction = Some(0.5);
        st
    };
    let opts = RunOptions::default();
    let on = run(&study(0.0), &opts).unwrap();
    assert_relative_eq!(on.risk_at(&[[0.0, -15.0]])[0], 1e-4, max_relative = 1e-9);
    let off = run(&study(40.0), &opts).unwrap();
    assert_relative_eq!(off.risk_at(&[[0.0, -15.0]])[0], 0.5e-4, max_relative = 1e-9);
    assert_eq!(off.risk_at(&[[40.0, -15.0]])[0], 0.0);
}

/// With ignition sources, physical delayed outcomes need no `delayed_ignition`; an analytic one
/// (no cloud to pass over the sources) still does.
#[test]
fn analytic_delayed_outcomes_still_need_the_scalar() {
    let flare = "[[ignition.sources]]\nkind = \"point\"\nid = \"flare\"\nx_m = 0.0\ny_m = -20.0\np_1min = 1.0\n";
    assert!(Study::from_toml_str(&propane_text(flare, ""), "t").is_ok());
    let analytic = format!(
        "[[events.outcomes]]\nbranch = \"delayed\"\nspec = {{ kind = \"analytic\", hazard = \"flash-fire\", footprint = {{ type = \"circle\", radius_m = 10.0, p = 1.0 }} }}\n{flare}"
    );
    let err = Study::from_toml_str(&propane_text(&analytic, ""), "t")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("events[0].event_tree.delayed_ignition"),
        "{err}"
    );
}

/// `p_1min` may name a source type of `models/ignition.toml`: a flare (1.0) on the path ignites
/// every cloud there, exactly as `p_1min = 1.0`; an unknown type is an error naming it.
#[test]
fn p_1min_from_a_source_type() {
    let named = |t: &str| {
        format!("[[ignition.sources]]\nkind = \"point\"\nid = \"s\"\nx_m = 0.0\ny_m = -20.0\np_1min = {t}\n")
    };
    let a = propane_study(&named("\"flare\""), "");
    let b = propane_study(&named("1.0"), "");
    assert_eq!(a.ignition, b.ignition);
    let err = Study::from_toml_str(&propane_text(&named("\"bonfire\""), ""), "t")
        .unwrap_err()
        .to_string();
    assert!(err.contains("bonfire"), "{err}");
}
