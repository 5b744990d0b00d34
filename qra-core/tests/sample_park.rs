//! The built-in sample park runs end to end with physical consequence models.

use approx::assert_relative_eq;
use qra_core::risk::{engine, study::Study};
use qra_core::tolerance::EXACT;

fn study() -> Study {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../models/studies/sample_park.toml"
    ))
    .unwrap();
    Study::from_toml_str(&text, "sample_park.toml").unwrap()
}

#[test]
fn sample_park_runs_with_physical_models() {
    let s = study();
    let t0 = std::time::Instant::now();
    let r = engine::run(&s, &engine::RunOptions::default()).unwrap();
    eprintln!(
        "sample park: {:?}, PLL = {:e}, max N = {}",
        t0.elapsed(),
        r.pll,
        r.max_n
    );
    assert!(r.individual_risk.iter().all(|v| v.is_finite() && *v >= 0.0));
    // Risk at each installation is substantial; far away it is much lower.
    // (the source point itself is upwind of every plume: probe a ring of 60 m around each)
    let ring = |x: f64, y: f64| -> f64 {
        let pts: Vec<[f64; 2]> = (0..36)
            .map(|k| {
                let a = k as f64 * std::f64::consts::TAU / 36.0;
                [x + 60.0 * a.cos(), y + 60.0 * a.sin()]
            })
            .collect();
        r.risk_at(&pts).into_iter().sum::<f64>() / 36.0
    };
    let near = [ring(0.0, 0.0), ring(-450.0, 300.0), ring(350.0, -200.0)];
    for d in [100.0, 300.0, 1000.0, 2000.0] {
        eprintln!(
            "IR east of the chlorine tank at {d} m: {:e}",
            r.risk_at(&[[d, 0.0]])[0]
        );
    }
    eprintln!("ring IR: {near:?}");
    let far = r.risk_at(&[[2400.0, -2400.0]]);
    for v in &near {
        assert!(*v > 3e-8, "IR at an installation {v}"); // sanity floor: an order of magnitude above the far field
    }
    assert!(far[0] < near.iter().cloned().fold(f64::INFINITY, f64::min) * 1e-1);
    // F-N curve non-increasing.
    for w in r.fn_curve.windows(2) {
        assert!(w[1].f_per_year <= w[0].f_per_year * (1.0 + 1e-12));
    }
    assert!(r.pll > 0.0);
}

/// The study's vulnerability rule set selects the thermal rule: AQ/T 3046 (lethal at 37.5 kW/m²)
/// can only lower the fireball IR of the Purple Book rule (35 kW/m²), and does somewhere.
#[test]
fn thermal_rule_follows_the_study_rule_set() {
    use qra_core::risk::VulnerabilityRules;
    let mut s = study();
    s.events.retain(|e| e.id == "LPG-S1-G1");
    let pb = engine::run(&s, &engine::RunOptions::default()).unwrap();
    s.vulnerability = VulnerabilityRules::Aqt3046;
    let aq = engine::run(&s, &engine::RunOptions::default()).unwrap();
    let mut lower = 0usize;
    for (a, b) in aq.individual_risk.iter().zip(pb.individual_risk.iter()) {
        assert!(*a <= *b * (1.0 + 1e-12) + 1e-300);
        if *a < *b * 0.999 {
            lower += 1;
        }
    }
    assert!(lower > 0, "the 37.5 kW/m² threshold must matter somewhere");
}

/// Issue 6: doubling every frequency halves the capacity factor k (exactly: ×2 is exact in
/// floating point and IR, F-N and PLL are linear in the frequencies).
#[test]
fn doubling_frequencies_halves_park_capacity() {
    use qra_core::park::capacity::park_capacity;
    let s = study();
    let a = park_capacity(
        &engine::run(&s, &engine::RunOptions::default()).unwrap(),
        "GB36894-2018",
        Some(1e-3),
    )
    .unwrap();
    let mut s2 = s.clone();
    for e in &mut s2.events {
        if let Some(l) = e.loc.as_mut() {
            l.multiplier *= 2.0;
        }
        if let Some(f) = e.frequency_per_year.as_mut() {
            *f *= 2.0;
        }
    }
    // The pipeline NG-1 (linear source) too.
    for r in s2.pipelines.iter_mut().flat_map(|p| p.releases.iter_mut()) {
        if let Some(f) = r.frequency_per_km_year.as_mut() {
            *f *= 2.0;
        }
        if let Some(l) = r.loc.as_mut() {
            l.multiplier *= 2.0;
        }
        if let Some(f) = r.accident_frequency_per_km_year.as_mut() {
            *f *= 2.0;
        }
    }
    let b = park_capacity(
        &engine::run(&s2, &engine::RunOptions::default()).unwrap(),
        "GB36894-2018",
        Some(1e-3),
    )
    .unwrap();
    eprintln!(
        "k = {} (k_IR {}, k_SR {}), level {:?}",
        a.k, a.k_ir, a.k_sr, a.level
    );
    assert!(a.k.is_finite() && a.k > 0.0);
    assert!((b.k / a.k - 0.5).abs() < 1e-12, "{} vs {}", b.k, a.k);
    assert!((b.utilisation / a.utilisation - 2.0).abs() < 1e-12);
}

/// Issue 6: a what-if removal from the cached per-installation results equals a full
/// recomputation of the study without that installation (the grid bit for bit).
#[test]
fn what_if_removal_equals_full_recomputation() {
    use qra_core::park::whatif::WhatIf;
    let s = study();
    let w = WhatIf::new(&s, &engine::RunOptions::default()).unwrap();
    let t0 = std::time::Instant::now();
    let r = w.without(&["LPG-S1", "H2-V1"]).unwrap();
    eprintln!("what-if answer in {:?}", t0.elapsed());
    let mut s2 = s.clone();
    s2.installations
        .retain(|i| i.id != "LPG-S1" && i.id != "H2-V1");
    s2.events
        .retain(|e| e.installation != "LPG-S1" && e.installation != "H2-V1");
    let full = engine::run(&s2, &engine::RunOptions::default()).unwrap();
    assert!(r
        .individual_risk
        .iter()
        .zip(full.individual_risk.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    let rel = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) + 1e-300;
    assert!(rel(r.pll, full.pll), "{} vs {}", r.pll, full.pll);
    for (a, t) in r.target_ir.iter().zip(&full.targets) {
        assert!(rel(*a, t.individual_risk), "{a} vs {}", t.individual_risk);
    }
    assert_eq!(r.fn_curve.len(), full.fn_curve.len());
    for (a, b) in r.fn_curve.iter().zip(&full.fn_curve) {
        assert!(a.n == b.n && rel(a.f_per_year, b.f_per_year));
    }
    // Nothing removed = the base run; an unknown id is a typed error with suggestions.
    let all = w.without(&[]).unwrap();
    assert!(all
        .individual_risk
        .iter()
        .zip(w.base().individual_risk.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert!(w
        .without(&["LPG-S9"])
        .unwrap_err()
        .to_string()
        .contains("did you mean"));
}

/// `sector_subdivisions = 3` on a 12-sector rose equals a 36-sector rose carrying a third of each
/// sector's probability at the sub-sector centres (up to summation order); 1 is the default.
/// (Centre directions: `sector_spreading = "centre"`.)
#[test]
fn sector_subdivisions_equal_a_finer_wind_rose() {
    let mut a = study();
    a.events.retain(|e| e.id == "CL2-T1-G3");
    a.meteorology.sector_spreading = qra_core::risk::study::SectorSpreading::Centre;
    a.meteorology.sector_subdivisions = 3;
    let mut b = a.clone();
    b.meteorology.sector_subdivisions = 1;
    for w in &mut b.meteorology.weather {
        let fine: Vec<f64> = w.wind_rose.iter().flat_map(|p| [p / 3.0; 3]).collect();
        w.wind_rose = fine;
        // 12-sector centres at 30k; their sub-sectors are at 30k − 10, 30k, 30k + 10.
        w.wind_rose_offset_deg -= 10.0;
    }
    let ra = engine::run(&a, &engine::RunOptions::default()).unwrap();
    let rb = engine::run(&b, &engine::RunOptions::default()).unwrap();
    let max = rb.individual_risk.iter().cloned().fold(0.0, f64::max);
    for (x, y) in ra.individual_risk.iter().zip(rb.individual_risk.iter()) {
        assert!((x - y).abs() <= 1e-12 * max, "{x} vs {y}");
    }
    assert!((ra.pll - rb.pll).abs() <= 1e-12 * rb.pll);
    let mut bad = study();
    bad.meteorology.sector_subdivisions = 0;
    assert!(bad
        .validate()
        .iter()
        .any(|e| e.path == "meteorology.sector_subdivisions"));
}

/// Issue 13: the scenario table of the sample park, two rows checked against the consequence
/// models evaluated directly (not against the engine's footprints): the LPG sphere's BLEVE
/// fireball (Fireball, CCPS correlations, radiant fraction 0.3, AQ/T 3046 transmissivity, Purple
/// Book thermal rule) and its 10 mm jet fire (API 521 point source, radiant fraction 0.2, aimed
/// downwind, at the rate and duration the table reports).
#[test]
fn scenario_table_matches_the_models_evaluated_directly() {
    use qra_core::fire::{Fireball, HeatSource, JetFire, Receiver, Transmissivity};
    use qra_core::vulnerability::thermal::ThermalRule;
    let s = study();
    let r = engine::run(&s, &engine::RunOptions::default()).unwrap();
    let rows = r.scenarios();
    assert!(rows.len() > 100, "{} rows", rows.len());
    let lpg = qra_core::substance::substance("lpg").unwrap();
    let hc = lpg.heat_of_combustion_j_kg().unwrap();
    let rule = ThermalRule::purple_book();
    // Distance (m) along +x where the lethality of `fire` falls to `p`: bisection on the
    // model's own flux (independent of the engine's sampled footprint).
    let reach = |fire: &dyn Fn(f64) -> f64, p: f64| {
        let (mut lo, mut hi) = (0.0, 20_000.0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if fire(mid) >= p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };

    // 1. BLEVE fireball of the 200 t LPG sphere: instantaneous, mass = the inventory.
    let fb_rows: Vec<_> = rows
        .iter()
        .filter(|x| x.event == "LPG-S1-G1" && x.outcome == "BLEVE fireball")
        .collect();
    assert!(!fb_rows.is_empty());
    let fb = Fireball::new(200_000.0, hc, 0.3, Transmissivity::AqT3046).unwrap();
    let p_fb = |d: f64| {
        rule.lethality_outdoor(
            fb.heat_flux_at([d, 0.0, 0.0], Receiver::Max),
            fb.duration_s(),
        )
    };
    for row in &fb_rows {
        assert_eq!(row.kind, "fireball");
        assert_eq!(row.airborne_mass_kg, Some(200_000.0));
        // Purple Book G1 of a pressure vessel 5e-7 /yr; gas-high, ≥ 1000 kg: P_i = 0.7 ([M]).
        assert_relative_eq!(row.event_frequency_per_year, 5e-7, max_relative = EXACT);
        assert_relative_eq!(row.outcome_probability, 0.7, max_relative = EXACT);
        // The engine samples the radial footprint at 200 nodes over 1.01 × reach: half a
        // percent of the reach is the sampling tolerance.
        for (p, got) in [(0.01, row.distance_1pct_m), (0.5, row.distance_50pct_m)] {
            let want = reach(&p_fb, p);
            assert!(
                (got - want).abs() <= 0.005 * want + 1.0,
                "fireball p = {p}: {got} vs {want}"
            );
        }
    }

    // 2. Jet fire of the 10 mm hole: continuous, horizontal, aimed downwind.
    let jet_rows: Vec<_> = rows
        .iter()
        .filter(|x| x.event == "LPG-S1-G3" && x.outcome == "jet fire")
        .collect();
    assert!(!jet_rows.is_empty());
    for row in &jet_rows {
        let rate = row.release_rate_kg_s.unwrap();
        let dur = row.duration_s.unwrap();
        // Airborne part of flashing LPG through 10 mm: order 0.1-1 kg/s; duration <= 1800 s.
        assert!((0.05..5.0).contains(&rate), "rate {rate}");
        assert!(dur > 0.0 && dur <= 1800.0, "duration {dur}");
        assert_relative_eq!(
            row.airborne_mass_kg.unwrap(),
            rate * dur,
            max_relative = EXACT
        );
        let jet = JetFire::new(
            rate,
            hc,
            0.2,
            [0.0, 0.0, 1.0],
            [1.0, 0.0, 0.0],
            Transmissivity::AqT3046,
            dur,
        )
        .unwrap();
        let p_jet = |d: f64| {
            rule.lethality_outdoor(
                jet.heat_flux_at([d, 0.0, 0.0], Receiver::Max),
                jet.duration_s(),
            )
        };
        // 65 × 65 raster over the square of 1.01 × the reach: one cell diagonal of tolerance.
        for (p, got) in [(0.01, row.distance_1pct_m), (0.5, row.distance_50pct_m)] {
            let want = reach(&p_jet, p);
            let cell = 2.0 * 1.01 * row.distance_1pct_m.max(want) / 64.0;
            assert!(
                (got - want).abs() <= cell * std::f64::consts::SQRT_2 + 1e-9,
                "jet p = {p}: {got} vs {want} (cell {cell})"
            );
        }
    }
}
