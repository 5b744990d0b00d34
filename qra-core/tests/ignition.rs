//! Immediate ignition by release rate or mass (issue 16): the event tree's P_i pinned to the
//! Purple Book table.
//!
//! Reference: CPR 18E Purple Book (1999), ch. 4, Table 4.5, probability of direct ignition for
//! stationary installations, as transcribed in the project's reference notes (standards.md §4.2,
//! confidence [M]: the book itself could not be read):
//!
//! | substance | continuous < 10 / 10–100 / > 100 kg/s | instantaneous < 1000 / 1000–10 000 / > 10 000 kg |
//! |---|---|---|
//! | K1 liquid | 0.065 / 0.065 / 0.065 | 0.065 / 0.065 / 0.065 |
//! | gas, low reactivity | 0.02 / 0.04 / 0.09 | 0.02 / 0.04 / 0.09 |
//! | gas, average/high reactivity | 0.2 / 0.5 / 0.7 | 0.2 / 0.5 / 0.7 |
//!
//! Continuous releases are banded by the release rate, instantaneous ones by the mass.

use approx::assert_relative_eq;
use qra_core::risk::scenario::ScenarioSet;
use qra_core::risk::study::Study;
use qra_core::tolerance::{EXACT, PROPERTY_FIT};
use qra_core::QraError;

/// A one-installation LPG study (200 t sphere, saturated at 20 °C) with one event whose only
/// outcome takes the immediate-ignition branch, so its probability is P_i.
fn lpg(event: &str, inventory_kg: f64) -> String {
    format!(
        r#"schema = "qra-study/1"
[meteorology]
day_fraction = 0.5
weather = [{{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }}]
[grid]
x_min_m = -100.0
x_max_m = 100.0
y_min_m = -100.0
y_max_m = 100.0
resolution_m = 10.0
[[installations]]
id = "S1"
x_m = 0.0
y_m = 0.0
substance = "lpg"
inventory_kg = {inventory_kg:?}
temperature_k = 293.15
phase = "two-phase"
[[events]]
id = "E"
installation = "S1"
frequency_per_year = 1e-5
{event}
[[events.outcomes]]
branch = "immediate"
spec = {{ kind = "analytic", footprint = {{ type = "circle", radius_m = 10.0, p = 1.0 }} }}
"#
    )
}

fn p_immediate(event: &str, inventory_kg: f64) -> Result<f64, QraError> {
    let text = lpg(event, inventory_kg);
    let study = Study::from_toml_str(&text, "test").unwrap_or_else(|e| panic!("{e}\n{text}"));
    Ok(ScenarioSet::from_study(&study)?.events()[0].outcome_probabilities[0])
}

/// The sample park's LPG sphere leak (200 t, 10 mm hole, issue 16): continuous, so banded by the
/// release rate, not by the 200 t inventory (which gave 0.7).
///
/// Hand calculation of the outflow (Fauske ERM, saturated liquid, C_d = 0.62, propane data of
/// models/substances.toml): p_sat(20 °C) ≈ 8.36 bar; v_fg = R·T/(M·p_sat) − 1/ρ_l
/// = 8.314·293.15/(0.0440956·8.36e5) − 1/580.9 = 0.06439 m³/kg; G = h_fg/v_fg·√(1/(c_p·T))
/// = 425 591/0.06439 · √(1/(2246·293.15)) = 8 145 kg/(m²·s); ṁ = 0.62·π/4·0.01²·8 145
/// = 0.397 kg/s (the all-liquid Bernoulli bound is 1.42 kg/s): band < 10 kg/s, P_i = 0.2.
#[test]
fn lpg_sphere_10mm_leak_is_banded_by_its_release_rate() {
    let ev = r#"release = "hole"
hole_diameter_mm = 10.0
event_tree = { ignition_category = "gas-high" }"#;
    assert_relative_eq!(
        p_immediate(ev, 200_000.0).unwrap(),
        0.2,
        max_relative = EXACT
    );

    // The rate the band was chosen from, against the hand calculation above (p_sat from the
    // Antoine fit: PROPERTY_FIT).
    let text = lpg(ev, 200_000.0);
    let study = Study::from_toml_str(&text, "t").unwrap();
    let s = &study.installations[0];
    let db = qra_core::substance::SubstanceDb::builtin().unwrap();
    let rate =
        qra_core::risk::source_term::outflow_rate_kg_s(s, &study.events[0], db.get("lpg").unwrap())
            .unwrap();
    assert_relative_eq!(rate, 0.397, max_relative = PROPERTY_FIT);
}

/// A given release rate selects the band directly; a value on a band edge belongs to the upper
/// band (Table 4.5: "< 10", "10–100", "> 100").
#[test]
fn given_release_rates_select_the_rate_bands() {
    for (rate, p) in [
        (5.0, 0.2),
        (10.0, 0.5),
        (50.0, 0.5),
        (100.0, 0.7),
        (150.0, 0.7),
    ] {
        let ev = format!(
            "release = \"hole\"\nevent_tree = {{ ignition_category = \"gas-high\", release_rate_kg_s = {rate:?} }}"
        );
        assert_relative_eq!(
            p_immediate(&ev, 200_000.0).unwrap(),
            p,
            max_relative = EXACT
        );
    }
    for (rate, p) in [(5.0, 0.02), (50.0, 0.04), (150.0, 0.09)] {
        let ev = format!(
            "release = \"hole\"\nevent_tree = {{ ignition_category = \"gas-low\", release_rate_kg_s = {rate:?} }}"
        );
        assert_relative_eq!(
            p_immediate(&ev, 200_000.0).unwrap(),
            p,
            max_relative = EXACT
        );
    }
}

/// Instantaneous releases are banded by the released mass (the inventory by default).
#[test]
fn instantaneous_releases_select_the_mass_bands() {
    let ev = "release = \"instantaneous\"\nevent_tree = { ignition_category = \"gas-high\" }";
    for (mass, p) in [(500.0, 0.2), (5_000.0, 0.5), (200_000.0, 0.7)] {
        assert_relative_eq!(p_immediate(ev, mass).unwrap(), p, max_relative = EXACT);
    }
    // The release kind of the generic LOC table: G1 of a pressure vessel is instantaneous.
    let g1 = "loc = { equipment = \"pressure-vessel\", scenario = \"G1\" }\nevent_tree = { ignition_category = \"gas-high\" }";
    let text = lpg(g1, 5_000.0).replace("frequency_per_year = 1e-5\n", "");
    let study = Study::from_toml_str(&text, "t").unwrap();
    let p = ScenarioSet::from_study(&study).unwrap().events()[0].outcome_probabilities[0];
    assert_relative_eq!(p, 0.5, max_relative = EXACT);
}

/// A 10-minute release of 3 t flows at 3000/600 = 5 kg/s: the rate band (< 10 kg/s) gives 0.2,
/// where the mass band (1000–10 000 kg) would give 0.5. 200 t: 333 kg/s, 0.7.
#[test]
fn ten_minute_releases_use_inventory_over_600_s() {
    let ev = "release = \"continuous-10min\"\nevent_tree = { ignition_category = \"gas-high\" }";
    assert_relative_eq!(p_immediate(ev, 3_000.0).unwrap(), 0.2, max_relative = EXACT);
    assert_relative_eq!(
        p_immediate(ev, 200_000.0).unwrap(),
        0.7,
        max_relative = EXACT
    );
}

/// The hole of the generic LOC scenario (G3: 10 mm) when the event gives none.
#[test]
fn loc_scenario_hole_gives_the_rate() {
    let text = lpg(
        "loc = { equipment = \"pressure-vessel\", scenario = \"G3\" }\nevent_tree = { ignition_category = \"gas-high\" }",
        200_000.0,
    )
    .replace("frequency_per_year = 1e-5\n", "");
    let study = Study::from_toml_str(&text, "t").unwrap();
    let p = ScenarioSet::from_study(&study).unwrap().events()[0].outcome_probabilities[0];
    assert_relative_eq!(p, 0.2, max_relative = EXACT);
}

/// Categories with equal bands need no rate; a continuous release whose rate is needed but
/// unknown is an error naming the missing field.
#[test]
fn rate_only_needed_where_the_bands_differ() {
    let k1 = "release = \"hole\"\nevent_tree = { ignition_category = \"k1-liquid\" }";
    assert_relative_eq!(
        p_immediate(k1, 200_000.0).unwrap(),
        0.065,
        max_relative = EXACT
    );
    let gas = "release = \"hole\"\nevent_tree = { ignition_category = \"gas-high\" }";
    match p_immediate(gas, 200_000.0) {
        Err(QraError::InvalidInput { argument, .. }) => {
            assert_eq!(argument, "events['E'].hole_diameter_mm")
        }
        other => panic!("expected a missing-hole error, got {other:?}"),
    }
}

/// The delayed-ignition source types of `models/ignition.toml` pinned to the values of the
/// project's reference notes (standards.md §4.2, transcribing CPR 18E §4.5, [M]): motor vehicle
/// 0.4, flare 1.0, outdoor furnace 0.9, one resident 0.01 (probability of ignition within one
/// minute).
#[test]
fn delayed_ignition_source_types() {
    let t = qra_core::risk::study::IgnitionTable::builtin().unwrap();
    for (id, p) in [
        ("motor-vehicle", 0.4),
        ("flare", 1.0),
        ("outdoor-furnace", 0.9),
        ("residential", 0.01),
    ] {
        assert_relative_eq!(t.source_type(id).unwrap().p_1min, p, max_relative = EXACT);
    }
    assert!(t.source_type("bonfire").is_err());
    for s in &t.source_type {
        assert!((0.0..=1.0).contains(&s.p_1min), "{}", s.id);
    }
}
