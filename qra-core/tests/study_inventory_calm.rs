//! Issue 19: inventories given as a volume + fill level, and calms in the wind rose.
//!
//! Expected masses are computed by hand in the comments (liquid densities from
//! `models/substances.toml` and the Rackett/Yamada–Gunn equation evaluated independently of the
//! code); calms are checked against the equivalent wind rose written out by hand.

use approx::assert_relative_eq;
use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::{Inventory, Study};
use qra_core::substance::SubstanceDb;
use qra_core::tolerance::{EXACT, SINGLE_PRECISION};
use qra_core::QraError;

const MET: &str = r#"
[meteorology]
weather = [{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }]

[grid]
x_min_m = -100.0
x_max_m = 100.0
y_min_m = -100.0
y_max_m = 100.0
resolution_m = 50.0
"#;

fn study_with(installation: &str) -> Result<Study, QraError> {
    let text = format!(
        "schema = \"qra-study/1\"\nevents = []\n[[installations]]\nid = \"T1\"\nx_m = 0.0\n\
         y_m = 0.0\n{installation}\n{MET}"
    );
    Study::from_toml_str(&text, "test")
}

/// The inventory mass of the study's only installation.
fn mass_kg(installation: &str) -> f64 {
    let s = study_with(installation).unwrap_or_else(|e| panic!("{e}"));
    let db = SubstanceDb::builtin().unwrap();
    let inst = &s.installations[0];
    inst.inventory_kg(db.get(&inst.substance).unwrap()).unwrap()
}

/// The field paths of the problems of an invalid study.
fn problem_paths(installation: &str) -> Vec<String> {
    match study_with(installation) {
        Err(QraError::InvalidDocument { problems, .. }) => {
            problems.into_iter().map(|p| p.path).collect()
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("accepted: {installation}"),
    }
}

#[test]
fn mass_inventory_is_unchanged() {
    assert_eq!(
        mass_kg("substance = \"chlorine\"\ninventory_kg = 20000.0"),
        20000.0
    );
    let s = study_with("substance = \"chlorine\"\ninventory_kg = 20000.0").unwrap();
    assert_eq!(
        s.installations[0].inventory,
        Inventory::Mass {
            inventory_kg: 20000.0
        }
    );
}

#[test]
fn volume_at_the_reference_temperature_uses_the_tabulated_density() {
    // Toluene: ρ = 862.341 kg/m³ at 298.15 K (models/substances.toml, thermo/DIPPR-based);
    // at T = T_ref the Rackett factor is 1. 100 m³ · 0.9 · 862.341 = 77 610.69 kg.
    let m = mass_kg(
        "substance = \"toluene\"\nvolume_m3 = 100.0\nfill_fraction = 0.9\ntemperature_k = 298.15",
    );
    assert_relative_eq!(m, 77_610.69, max_relative = 1e-12);
    // Chlorine: ρ = 1563.62 kg/m³ at T_b = 239.198 K. 40 m³ · 0.85 · 1563.62 = 53 163.08 kg.
    let m = mass_kg(
        "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.85\ntemperature_k = 239.198",
    );
    assert_relative_eq!(m, 53_163.08, max_relative = 1e-12);
}

#[test]
fn volume_at_storage_temperature_follows_rackett() {
    // Chlorine at 20 °C (293.15 K). Database: ρ_ref = 1563.62 kg/m³ at T_ref = 239.198 K,
    // T_c = 416.865 K, ω = 0.07. Hand calculation:
    //   Z_RA = 0.29056 − 0.08775·0.07 = 0.2844175
    //   T_r = 293.15/416.865 = 0.703225, (1 − T_r)^{2/7} = 0.296775^{0.285714} = 0.706736
    //   T_r,ref = 239.198/416.865 = 0.573805, (1 − T_r,ref)^{2/7} = 0.426195^{0.285714} = 0.783723
    //   φ = −0.076987;  ρ = 1563.62 · 0.2844175^{0.076987} = 1563.62 / 1.101637 = 1419.34 kg/m³
    //   mass = 40 · 0.85 · 1419.34 = 48 257.7 kg
    // Published: saturated liquid chlorine at 20 °C ≈ 1410 kg/m³ (Euro Chlor / Perry's
    // Handbook [M: recalled]) — the correlation is within 0.7 %.
    let m = mass_kg(
        "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.85\ntemperature_k = 293.15\nphase = \"two-phase\"",
    );
    assert_relative_eq!(m, 48_257.7, max_relative = 1e-5);
    assert_relative_eq!(m / 34.0, 1410.0, max_relative = 0.01);

    // Ammonia at 20 °C: ρ_ref = 681.637 kg/m³ at 239.834 K, T_c = 405.56 K, ω = 0.256:
    //   Z_RA = 0.268096; (1 − 0.722828)^{2/7} = 0.693063; (1 − 0.591365)^{2/7} = 0.774366;
    //   φ = −0.081303; ρ = 681.637 · 0.268096^{0.081303} = 612.46 kg/m³.
    // Published: 610.2 kg/m³ (saturated liquid at 20 °C, NIST Webbook [M: recalled]), 0.4 %.
    let m = mass_kg(
        "substance = \"ammonia\"\nvolume_m3 = 10.0\nfill_fraction = 1.0\ntemperature_k = 293.15",
    );
    assert_relative_eq!(m, 6124.6, max_relative = 1e-4);
    assert_relative_eq!(m / 10.0, 610.2, max_relative = 0.01);

    // Propane at 20 °C: ρ_ref = 580.891 kg/m³ at 231.036 K, T_c = 369.89 K, ω = 0.1521 →
    // ρ = 499.41 kg/m³ (same steps); published ≈ 500 kg/m³ [M: recalled]. 100 m³ · 0.8.
    let m = mass_kg(
        "substance = \"propane\"\nvolume_m3 = 100.0\nfill_fraction = 0.8\ntemperature_k = 293.15",
    );
    assert_relative_eq!(m, 39_953.0, max_relative = 1e-4);
}

#[test]
fn density_falls_as_the_liquid_warms() {
    let db = SubstanceDb::builtin().unwrap();
    for name in ["chlorine", "ammonia", "propane", "toluene", "methanol"] {
        let s = db.get(name).unwrap();
        let mut last = f64::INFINITY;
        for t in [250.0, 270.0, 290.0, 310.0, 330.0] {
            if let Ok(rho) = s.liquid_density_at_kg_m3(t) {
                assert!(rho > 0.0 && rho < last, "{name} at {t} K: {rho}");
                last = rho;
            }
        }
    }
}

#[test]
fn inventory_form_errors_name_the_field() {
    for (text, path) in [
        (
            "substance = \"chlorine\"\ninventory_kg = 1.0\nvolume_m3 = 40.0\nfill_fraction = 0.8",
            "installations[0].volume_m3",
        ),
        (
            "substance = \"chlorine\"\ninventory_kg = 1.0\nfill_fraction = 0.8",
            "installations[0].fill_fraction",
        ),
        (
            "substance = \"chlorine\"\nvolume_m3 = 40.0",
            "installations[0].fill_fraction",
        ),
        (
            "substance = \"chlorine\"\nfill_fraction = 0.8",
            "installations[0].volume_m3",
        ),
        ("substance = \"chlorine\"", "installations[0].inventory_kg"),
        (
            "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.8",
            "installations[0].temperature_k",
        ),
        (
            "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 1.2\ntemperature_k = 293.15",
            "installations[0].fill_fraction",
        ),
        (
            "substance = \"chlorine\"\nvolume_m3 = 0.0\nfill_fraction = 0.5\ntemperature_k = 293.15",
            "installations[0].volume_m3",
        ),
        (
            // Above the critical temperature (416.865 K) there is no liquid.
            "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.5\ntemperature_k = 450.0",
            "installations[0].temperature_k",
        ),
        (
            "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.5\ntemperature_k = 293.15\nphase = \"gas\"",
            "installations[0].volume_m3",
        ),
    ] {
        let paths = problem_paths(text);
        assert!(
            paths.iter().any(|p| p == path),
            "{text}: expected a problem at {path}, got {paths:?}"
        );
    }
}

#[test]
fn volume_inventory_round_trips() {
    let s = study_with(
        "substance = \"chlorine\"\nvolume_m3 = 40.0\nfill_fraction = 0.85\ntemperature_k = 293.15",
    )
    .unwrap();
    assert_eq!(
        s.installations[0].inventory,
        Inventory::Volume {
            volume_m3: 40.0,
            fill_fraction: 0.85
        }
    );
    let back = Study::from_json_str(&s.to_json(), "json").unwrap();
    assert_eq!(back, s);
}

// ---------------------------------------------------------------- calms

fn calm_study(rose: &str, calm: Option<f64>) -> Result<Study, QraError> {
    let calm = calm.map_or(String::new(), |c| format!(", calm_fraction = {c:?}"));
    // A narrow directional footprint (lethality 0.5 on the downwind axis from 0 to 200 m).
    let text = format!(
        r#"schema = "qra-study/1"
[[installations]]
id = "T1"
x_m = 0.0
y_m = 0.0
substance = "chlorine"
inventory_kg = 1000.0

[[events]]
id = "E1"
installation = "T1"
frequency_per_year = 1e-5
[[events.outcomes]]
spec = {{ kind = "analytic", hazard = "toxic", footprint = {{ type = "directional", x0_m = 0.0, y0_m = -20.0, dx_m = 100.0, dy_m = 20.0, nx = 3, ny = 3, lethality = [0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0] }} }}

[meteorology]
# The hand calculations below follow each sector's centre line.
sector_spreading = "centre"
weather = [{{ stability = "D", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = {rose}{calm} }}]

[grid]
x_min_m = -200.0
x_max_m = 200.0
y_min_m = -200.0
y_max_m = 200.0
resolution_m = 100.0
"#
    );
    Study::from_toml_str(&text, "calm")
}

#[test]
fn calm_spreads_uniformly_over_the_sectors() {
    // wind_rose [0.6, 0, 0, 0] with 40 % calm is, by qra's rule (calm spread uniformly over the
    // n = 4 directions), the rose [0.6 + 0.1, 0.1, 0.1, 0.1] = [0.7, 0.1, 0.1, 0.1] without calm.
    let with_calm = calm_study("[0.6, 0.0, 0.0, 0.0]", Some(0.4)).unwrap();
    assert_eq!(
        with_calm.meteorology.weather[0].sector_probabilities(),
        vec![0.7, 0.1, 0.1, 0.1]
    );
    let spelled_out = calm_study("[0.7, 0.1, 0.1, 0.1]", None).unwrap();
    let a = run(&with_calm, &RunOptions::default()).unwrap();
    let b = run(&spelled_out, &RunOptions::default()).unwrap();
    let max = b.individual_risk.iter().cloned().fold(0.0, f64::max);
    // Hand: at the source every direction's footprint covers the node (x = 0 column, L = 0.5):
    // IR = f · Σp · L = 1e-5 · 1 · 0.5 = 5e-6 /year, the maximum. Downwind of the north wind
    // (wind from sector 0 blows to the south), at (0, −100 m): IR = f · p_0 · L = 1e-5 · 0.7 ·
    // 0.5 = 3.5e-6 /year; east of the source, at (100 m, 0), the wind from the west (sector 3,
    // weight 0.1 from the calm only): 1e-5 · 0.1 · 0.5 = 5e-7. (The grid reads the merged
    // rasters, stored in single precision.)
    assert_relative_eq!(max, 5e-6, max_relative = SINGLE_PRECISION);
    for (x, y) in a.individual_risk.iter().zip(b.individual_risk.iter()) {
        assert!(
            (x - y).abs() <= EXACT * max.max(1e-300) * 10.0,
            "{x} vs {y}"
        );
    }
    let ir_at = |r: &qra_core::risk::engine::RiskResult, x: f64, y: f64| -> f64 {
        let (i, j) = (
            ((x + 200.0) / 100.0) as usize,
            ((y + 200.0) / 100.0) as usize,
        );
        r.individual_risk[[j, i]]
    };
    assert_relative_eq!(
        ir_at(&a, 0.0, -100.0),
        3.5e-6,
        max_relative = SINGLE_PRECISION
    );
    assert_relative_eq!(ir_at(&a, 100.0, 0.0), 5e-7, max_relative = SINGLE_PRECISION);
    // Without the calm the east of the source sees nothing: the rose has no wind from the west.
    let no_calm = calm_study("[1.0, 0.0, 0.0, 0.0]", None).unwrap();
    let c = run(&no_calm, &RunOptions::default()).unwrap();
    assert_eq!(ir_at(&c, 100.0, 0.0), 0.0);
}

#[test]
fn calm_and_sectors_must_sum_to_one() {
    let paths = |r: Result<Study, QraError>| match r {
        Err(QraError::InvalidDocument { problems, .. }) => problems
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect::<Vec<_>>(),
        other => panic!("accepted: {other:?}"),
    };
    // 0.6 + 0.4 calm = 1 is valid; 1.0 + 0.4 calm is not.
    let p = paths(calm_study("[1.0, 0.0, 0.0, 0.0]", Some(0.4)));
    assert!(
        p.iter()
            .any(|(path, m)| path == "meteorology.weather[0].wind_rose"
                && m.contains("calm_fraction sum to 1.4")),
        "{p:?}"
    );
    let p = paths(calm_study("[0.6, 0.0, 0.0, 0.0]", Some(-0.4)));
    assert!(
        p.iter()
            .any(|(path, _)| path == "meteorology.weather[0].calm_fraction"),
        "{p:?}"
    );
}

// ---------------------------------------------------------------- properties

mod properties {
    use proptest::prelude::*;
    use qra_core::risk::study::{Stability, WeatherClass};
    use qra_core::substance::SubstanceDb;

    proptest! {
        /// Spreading the calm keeps the total probability: Σ (p_k + c/n) = Σ p_k + c, and no
        /// sector loses weight.
        #[test]
        fn calm_spreading_conserves_probability(
            raw in prop::collection::vec(0.0f64..1.0, 1..36),
            calm in 0.0f64..1.0,
        ) {
            let s: f64 = raw.iter().sum::<f64>().max(1e-12);
            let w = WeatherClass {
                id: None,
                stability: Stability::D,
                wind_speed_m_s: 5.0,
                probability: Some(1.0),
                probability_day: None,
                probability_night: None,
                wind_rose: raw.iter().map(|v| v / s * (1.0 - calm)).collect(),
                wind_rose_offset_deg: 0.0,
                calm_fraction: calm,
            };
            let p = w.sector_probabilities();
            prop_assert_eq!(p.len(), w.wind_rose.len());
            let total: f64 = p.iter().sum();
            prop_assert!((total - (w.wind_rose.iter().sum::<f64>() + calm)).abs() < 1e-12);
            for (a, b) in p.iter().zip(&w.wind_rose) {
                prop_assert!(a >= b);
            }
        }

        /// The saturated-liquid density falls as the liquid warms (below T_c), for every
        /// substance of the database that has the data.
        #[test]
        fn liquid_density_falls_with_temperature(k in 0usize..60, f1 in 0.0f64..1.0, f2 in 0.0f64..1.0) {
            let db = SubstanceDb::builtin().unwrap();
            let subs: Vec<_> = db.iter().collect();
            let s = subs[k % subs.len()];
            if let (Some(tc), Some(tm)) = (s.critical_temperature_k, s.melting_point_k) {
                let (lo, hi) = (f1.min(f2), f1.max(f2));
                let t1 = tm + lo * (tc - tm) * 0.99;
                let t2 = tm + hi * (tc - tm) * 0.99;
                if let (Ok(r1), Ok(r2)) = (s.liquid_density_at_kg_m3(t1), s.liquid_density_at_kg_m3(t2)) {
                    prop_assert!(r1.is_finite() && r2.is_finite() && r2 > 0.0);
                    prop_assert!(r2 <= r1, "{}: ρ({t2}) = {r2} > ρ({t1}) = {r1}", s.name);
                }
            }
        }
    }
}
