use super::pool::{pool_evaporation, PoolSpec};
use super::*;
use crate::tolerance::{EXACT, WORKED_EXAMPLE};
use approx::assert_relative_eq;
use proptest::prelude::*;

#[test]
fn choked_air_matches_fliegner() {
    // Fliegner's formula for choked air flow (γ = 1.4, M = 0.02897): ṁ/A = 0.0404·p₀/√T₀
    // (SI; e.g. Anderson, *Modern Compressible Flow*, §5.4). 10 bar, 293.15 K:
    // 0.0404·1e6/√293.15 = 2359.6 kg/(m²·s); our equation gives 2362 (0.1 % apart: the
    // 3-digit constant).
    let g = gas_discharge(1.0, 1.0e6, 293.15, 0.028_97, 1.4, 101_325.0, 1.0).unwrap();
    assert!(g.choked);
    assert_relative_eq!(
        g.rate_kg_s,
        0.0404 * 1.0e6 / 293.15f64.sqrt(),
        max_relative = 2e-3
    );
    // Critical ratio for γ = 1.4: 0.5283 (isentropic tables).
    assert_relative_eq!(critical_pressure_ratio(1.4), 0.528_28, max_relative = 1e-4);
}

#[test]
fn choked_and_subsonic_join_at_critical_ratio() {
    for gamma in [1.1, 1.3, 1.4, 1.67] {
        let crit = critical_pressure_ratio(gamma);
        let p0 = 101_325.0 / crit;
        let a = gas_discharge(1e-4, p0 * (1.0 + 1e-9), 300.0, 0.03, gamma, 101_325.0, 0.8).unwrap();
        let b = gas_discharge(1e-4, p0 * (1.0 - 1e-9), 300.0, 0.03, gamma, 101_325.0, 0.8).unwrap();
        assert!(a.choked && !b.choked);
        assert_relative_eq!(a.rate_kg_s, b.rate_kg_s, max_relative = 1e-6);
    }
}

#[test]
fn gas_discharge_validates() {
    assert!(gas_discharge(-1.0, 2e5, 300.0, 0.03, 1.4, 1e5, 0.8).is_err());
    assert!(gas_discharge(1e-4, 0.9e5, 300.0, 0.03, 1.4, 1e5, 0.8).is_err());
    assert!(gas_discharge(1e-4, 2e5, 300.0, 0.03, 1.0, 1e5, 0.8).is_err());
    assert!(gas_discharge(1e-4, 2e5, 300.0, 0.03, 1.4, 1e5, 1.2).is_err());
    assert!(gas_discharge(1e-4, 2e5, f64::NAN, 0.03, 1.4, 1e5, 0.8).is_err());
}

#[test]
fn blowdown_conserves_mass_and_ends_at_ambient() {
    let b = GasBlowdown::new(10.0, 1e-4, 50e5, 300.0, 0.016, 1.31, 101_325.0, 0.62).unwrap();
    let m0 = b.initial_mass_kg();
    assert_relative_eq!(b.state_at(0.0).mass_kg, m0, max_relative = EXACT);
    let t_end = b.end_time_s();
    assert!(t_end > b.unchoke_time_s && b.unchoke_time_s > 0.0);
    // ∫ṁ dt = m0 − m(t) (trapezoid on a fine grid).
    let n = 20_000;
    let mut released = 0.0;
    let mut prev = b.state_at(0.0);
    for i in 1..=n {
        let s = b.state_at(t_end * i as f64 / n as f64);
        released += 0.5 * (s.rate_kg_s + prev.rate_kg_s) * (s.time_s - prev.time_s);
        assert!(s.pressure_pa <= prev.pressure_pa && s.temperature_k <= prev.temperature_k);
        prev = s;
    }
    let last = b.state_at(t_end);
    assert_relative_eq!(released, m0 - last.mass_kg, max_relative = 2e-3);
    assert_relative_eq!(last.pressure_pa, 101_325.0, max_relative = 1e-4);
    // Initial rate equals the steady gas discharge.
    let g = gas_discharge(1e-4, 50e5, 300.0, 0.016, 1.31, 101_325.0, 0.62).unwrap();
    assert_relative_eq!(b.state_at(0.0).rate_kg_s, g.rate_kg_s, max_relative = EXACT);
}

#[test]
fn torricelli_hand_value() {
    // Hand computation from Crowl & Louvar eq. 4-6 with p = p_a: ṁ = C_d·A·ρ·√(2gh),
    // 0.61·1e-3·1000·√(2·9.80665·5) = 6.0408 kg/s.
    let m = liquid_discharge(1e-3, 1000.0, 101_325.0, 101_325.0, 5.0, 0.61).unwrap();
    assert_relative_eq!(m, 6.0408, max_relative = WORKED_EXAMPLE);
    assert!(liquid_discharge(1e-3, 1000.0, 1e5, 2e5, 0.0, 0.61).is_err());
}

#[test]
fn tank_drain_conserves_mass() {
    let d = LiquidTankDrain::new(1e-3, 10.0, 800.0, 5e4, 4.0, 0.61).unwrap();
    let te = d.drain_time_s();
    let n = 50_000;
    let mut out = 0.0;
    for i in 1..=n {
        let (a, b) = (te * (i - 1) as f64 / n as f64, te * i as f64 / n as f64);
        out += 0.5 * (d.rate_at(a) + d.rate_at(b)) * (b - a);
    }
    assert_relative_eq!(out, 800.0 * 10.0 * 4.0, max_relative = 1e-4);
    assert_relative_eq!(
        d.rate_at(0.0),
        liquid_discharge(1e-3, 800.0, 101_325.0 + 5e4, 101_325.0, 4.0, 0.61).unwrap(),
        max_relative = EXACT
    );
    assert_eq!(d.head_at(2.0 * te), 0.0);
}

#[test]
fn flash_and_two_phase() {
    // Hand computation, Crowl & Louvar eq. 4-90: c_p = 2500, ΔT = 60 K, h_fg = 4.26e5:
    // 2500 · 60 / 4.26e5 = 0.352113; capped at 1 for extreme superheat.
    let f = flash_fraction(291.1, 231.1, 2500.0, 4.26e5).unwrap();
    assert_relative_eq!(f, 0.352_113, max_relative = WORKED_EXAMPLE);
    assert_eq!(flash_fraction(600.0, 231.1, 2500.0, 4.26e5).unwrap(), 1.0);
    assert_eq!(flash_fraction(200.0, 231.1, 2500.0, 4.26e5).unwrap(), 0.0);
    let (air, rain) = airborne_fraction(f).unwrap();
    assert_relative_eq!(air + rain, 1.0, max_relative = EXACT);
    assert_eq!(airborne_fraction(0.7).unwrap(), (1.0, 0.0));
    // Saturated (p = p_sat): flux equals G_ERM; subcooling increases it.
    let sat = two_phase_discharge(
        1e-4, 293.15, 8.57e5, 8.57e5, 610.0, 1.19e6, 4700.0, 0.017, 239.8, 1.0,
    )
    .unwrap();
    assert_relative_eq!(
        sat.mass_flux_kg_m2_s,
        sat.erm_flux_kg_m2_s,
        max_relative = EXACT
    );
    let sub = two_phase_discharge(
        1e-4, 293.15, 15e5, 8.57e5, 610.0, 1.19e6, 4700.0, 0.017, 239.8, 1.0,
    )
    .unwrap();
    assert!(sub.rate_kg_s > sat.rate_kg_s);
    // Two-phase flux is below all-liquid Bernoulli at the same Δp to ambient.
    let liq = liquid_discharge(1e-4, 610.0, 8.57e5, 101_325.0, 0.0, 1.0).unwrap();
    assert!(sat.rate_kg_s < liq);
    assert!(two_phase_discharge(
        1e-4, 293.15, 5e5, 8.57e5, 610.0, 1.19e6, 4700.0, 0.017, 239.8, 1.0
    )
    .is_err());
}

fn spec(boiling: bool, bund: Option<f64>) -> PoolSpec {
    PoolSpec {
        instantaneous_mass_kg: 5000.0,
        spill_rate_kg_s: 2.0,
        spill_duration_s: 300.0,
        liquid_density_kg_m3: 700.0,
        boiling_point_k: if boiling { 231.0 } else { 342.0 },
        heat_of_vaporisation_j_kg: 4.0e5,
        molar_mass_kg_mol: 0.086,
        vapour_pressure_pa: 1.6e4,
        ground_temperature_k: 293.15,
        ground_conductivity_w_m_k: 1.1,
        ground_diffusivity_m2_s: 5e-7,
        wind_speed_m_s: 3.0,
        schmidt_number: 0.8,
        bund_area_m2: bund,
        min_thickness_m: 0.005,
    }
}

#[test]
fn pool_conserves_mass_and_respects_bund() {
    for boiling in [true, false] {
        for bund in [None, Some(200.0)] {
            let h = pool_evaporation(&spec(boiling, bund), 1800.0, 0.5).unwrap();
            for i in 0..h.time_s.len() {
                assert_relative_eq!(
                    h.spilled_kg[i],
                    h.liquid_mass_kg[i] + h.evaporated_kg[i],
                    max_relative = 1e-12
                );
                assert!(h.evaporation_rate_kg_s[i] >= 0.0);
            }
            if let Some(a) = bund {
                let rmax = h.radius_m.iter().copied().fold(0.0, f64::max);
                assert!(rmax <= (a / std::f64::consts::PI).sqrt() * (1.0 + 1e-12));
            }
            assert_eq!(h.boiling, boiling);
        }
    }
    // Bunded boiling pool after the spill stops: flux ∝ t^{-1/2} (constant area).
    let h = pool_evaporation(&spec(true, Some(200.0)), 1800.0, 0.5).unwrap();
    let i1 = h.time_s.iter().position(|t| *t >= 400.0).unwrap();
    let i2 = h.time_s.iter().position(|t| *t >= 1600.0).unwrap();
    if h.liquid_mass_kg[i2] > 0.0 {
        let ratio = h.evaporation_rate_kg_s[i1] / h.evaporation_rate_kg_s[i2];
        let expect = ((1600.0 - 0.25) / (400.0 - 0.25f64)).sqrt();
        assert_relative_eq!(ratio, expect, max_relative = 1e-3);
    }
    let mut bad = spec(true, None);
    bad.liquid_density_kg_m3 = -1.0;
    assert!(pool_evaporation(&bad, 10.0, 1.0).is_err());
    assert!(pool_evaporation(&spec(true, None), 1e9, 1e-3).is_err());
}

#[test]
fn durations() {
    assert_eq!(
        release_duration_s(1000.0, 1.0, None, 1800.0).unwrap(),
        1000.0
    );
    assert_eq!(release_duration_s(1e6, 1.0, None, 1800.0).unwrap(), 1800.0);
    assert_eq!(
        release_duration_s(1e6, 1.0, Some(600.0), 1800.0).unwrap(),
        600.0
    );
    assert!(release_duration_s(0.0, 1.0, None, 1800.0).is_err());
}

proptest! {
    #[test]
    fn gas_rate_increases_with_pressure(p in 1.2e5f64..1e7, k in 1.01f64..1.5) {
        let a = gas_discharge(1e-4, p, 300.0, 0.03, 1.3, 1e5, 0.8).unwrap();
        let b = gas_discharge(1e-4, p * k, 300.0, 0.03, 1.3, 1e5, 0.8).unwrap();
        prop_assert!(b.rate_kg_s > a.rate_kg_s && a.rate_kg_s.is_finite());
    }
}
