//! Pool spreading and evaporation on land, bunded or unbunded, with a time-varying rate.
//!
//! # Model (explicit time stepping, fixed step)
//! * **Spreading** (unbunded, gravity–inertia): dr/dt = √(2·g·h), h = V/(π r²) (TNO Yellow Book
//!   CPR 14E §3.5, eq. 3.9-type gravity spreading; CCPS 1999 §2.1.3.1) \[M\]; spreading stops at
//!   the minimum pool thickness `min_thickness_m` (default 5 mm for smooth ground, Yellow Book
//!   Table 3.3 \[M\]) or at the bund (equivalent radius √(A_bund/π)). The pool does not shrink.
//! * **Boiling pool** (T_b < T_ground): heat conducted from a semi-infinite ground,
//!   q″ = k_s·(T_g − T_b)/√(π·α_s·t) (Yellow Book eq. 3.21 \[M\]),
//!   ṁ″ = q″/h_fg, with t the time since the start of the spill (the whole pool is taken as
//!   wetted at t = 0 — conservative for a spreading pool).
//! * **Non-boiling pool**: mass transfer after Mackay & Matsugu (1973), Can. J. Chem. Eng.
//!   51:434: k_m = 0.0048·u^{7/9}·d^{−1/9}·Sc^{−2/3} (m/s; u at 10 m in m/s, d pool diameter in
//!   m), ṁ″ = k_m·M·p_v/(R·T) \[M\].
//!
//! The evaporation rate is E(t) = ṁ″·π r², limited by the liquid present.
//!
//! # Units
//! kg, m, s, K, Pa, W/(m·K), m²/s.

use serde::{Deserialize, Serialize};

use crate::constants::{GAS_CONSTANT_J_MOL_K, GRAVITY_M_S2};
use crate::error::{check, Result};

/// Default ground thermal conductivity, W/(m·K): concrete, 1.1 (TNO Yellow Book CPR 14E
/// Table 3.2-type ground data \[M\]: table and value not re-read).
pub const DEFAULT_GROUND_CONDUCTIVITY_W_M_K: f64 = 1.1;
/// Default ground thermal diffusivity, m²/s: concrete, 5·10⁻⁷ (as above \[M\]).
pub const DEFAULT_GROUND_DIFFUSIVITY_M2_S: f64 = 5e-7;
/// Default Schmidt number of a vapour in air, 0.8 \[M\].
pub const DEFAULT_SCHMIDT_NUMBER: f64 = 0.8;
/// Default minimum pool thickness, m: 5 mm, smooth ground (Yellow Book Table 3.3 \[M\]).
pub const DEFAULT_MIN_THICKNESS_M: f64 = 0.005;

/// Liquid and ground properties and the spill, validated by [`PoolSpec::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSpec {
    /// Mass spilled instantaneously at t = 0, kg.
    pub instantaneous_mass_kg: f64,
    /// Continuous spill rate, kg/s (0 for none).
    pub spill_rate_kg_s: f64,
    /// Duration of the continuous spill, s.
    pub spill_duration_s: f64,
    /// Liquid density, kg/m³.
    pub liquid_density_kg_m3: f64,
    /// Normal boiling point, K.
    pub boiling_point_k: f64,
    /// Heat of vaporisation, J/kg.
    pub heat_of_vaporisation_j_kg: f64,
    /// Molar mass, kg/mol.
    pub molar_mass_kg_mol: f64,
    /// Vapour pressure at the pool temperature, Pa (used when not boiling).
    pub vapour_pressure_pa: f64,
    /// Ground (and ambient) temperature, K.
    pub ground_temperature_k: f64,
    /// Ground thermal conductivity, W/(m·K) (concrete ≈ 1.1–1.5, dry sand ≈ 0.3 \[M\]).
    pub ground_conductivity_w_m_k: f64,
    /// Ground thermal diffusivity, m²/s (concrete ≈ 5·10⁻⁷ \[M\]).
    pub ground_diffusivity_m2_s: f64,
    /// Wind speed at 10 m, m/s.
    pub wind_speed_m_s: f64,
    /// Schmidt number of the vapour in air (default 0.8 \[M\]).
    pub schmidt_number: f64,
    /// Bund area, m² (`None` = unbunded).
    pub bund_area_m2: Option<f64>,
    /// Minimum pool thickness, m.
    pub min_thickness_m: f64,
}

impl PoolSpec {
    /// Checks every field (positive/finite; at least some spilled mass).
    pub fn validate(&self) -> Result<()> {
        check::non_negative("instantaneous_mass_kg", self.instantaneous_mass_kg)?;
        check::non_negative("spill_rate_kg_s", self.spill_rate_kg_s)?;
        check::non_negative("spill_duration_s", self.spill_duration_s)?;
        check::positive(
            "total spilled mass (instantaneous_mass_kg + spill_rate_kg_s·spill_duration_s)",
            self.instantaneous_mass_kg + self.spill_rate_kg_s * self.spill_duration_s,
        )?;
        check::positive("liquid_density_kg_m3", self.liquid_density_kg_m3)?;
        check::positive("boiling_point_k", self.boiling_point_k)?;
        check::positive("heat_of_vaporisation_j_kg", self.heat_of_vaporisation_j_kg)?;
        check::positive("molar_mass_kg_mol", self.molar_mass_kg_mol)?;
        check::non_negative("vapour_pressure_pa", self.vapour_pressure_pa)?;
        check::positive("ground_temperature_k", self.ground_temperature_k)?;
        check::positive("ground_conductivity_w_m_k", self.ground_conductivity_w_m_k)?;
        check::positive("ground_diffusivity_m2_s", self.ground_diffusivity_m2_s)?;
        check::positive("wind_speed_m_s", self.wind_speed_m_s)?;
        check::positive("schmidt_number", self.schmidt_number)?;
        if let Some(a) = self.bund_area_m2 {
            check::positive("bund_area_m2", a)?;
        }
        check::positive("min_thickness_m", self.min_thickness_m)?;
        Ok(())
    }
}

/// Time series of a pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PoolHistory {
    /// Times, s.
    pub time_s: Vec<f64>,
    /// Evaporation rate, kg/s.
    pub evaporation_rate_kg_s: Vec<f64>,
    /// Pool radius, m.
    pub radius_m: Vec<f64>,
    /// Liquid mass in the pool, kg.
    pub liquid_mass_kg: Vec<f64>,
    /// Cumulative evaporated mass, kg.
    pub evaporated_kg: Vec<f64>,
    /// Cumulative spilled mass, kg.
    pub spilled_kg: Vec<f64>,
    /// Whether the pool boils (T_ground > T_b).
    pub boiling: bool,
}

impl PoolHistory {
    /// Largest evaporation rate, kg/s.
    pub fn max_rate_kg_s(&self) -> f64 {
        self.evaporation_rate_kg_s
            .iter()
            .copied()
            .fold(0.0, f64::max)
    }
}

/// Mackay & Matsugu (1973) mass-transfer coefficient, m/s (see the module docs).
pub fn mackay_matsugu_k_m_s(wind_speed_m_s: f64, diameter_m: f64, schmidt: f64) -> f64 {
    0.0048
        * wind_speed_m_s.powf(7.0 / 9.0)
        * diameter_m.max(1e-3).powf(-1.0 / 9.0)
        * schmidt.powf(-2.0 / 3.0)
}

/// Simulates the pool from t = 0 to `t_end_s` with step `dt_s` (validated: dt > 0,
/// t_end ≥ dt, at most 10⁶ steps). Mass is conserved exactly:
/// spilled = liquid + evaporated at every step.
pub fn pool_evaporation(spec: &PoolSpec, t_end_s: f64, dt_s: f64) -> Result<PoolHistory> {
    spec.validate()?;
    check::positive("dt_s", dt_s)?;
    check::positive("t_end_s", t_end_s)?;
    let n = (t_end_s / dt_s).ceil();
    check::size_limit("t_end_s/dt_s", n as u128, 1_000_000)?;
    let n = n as usize;
    let boiling = spec.ground_temperature_k > spec.boiling_point_k;
    let r_bund = spec.bund_area_m2.map(|a| (a / std::f64::consts::PI).sqrt());
    let mut h = PoolHistory {
        boiling,
        ..Default::default()
    };
    let mut liquid = spec.instantaneous_mass_kg;
    let mut spilled = spec.instantaneous_mass_kg;
    let mut evaporated = 0.0;
    // Initial radius: a cylinder as high as wide is a common start; bounded by the bund.
    let v0 = (liquid / spec.liquid_density_kg_m3).max(1e-9);
    let mut r = (v0 / std::f64::consts::PI).cbrt();
    if let Some(rb) = r_bund {
        r = r.min(rb);
    }
    let push = |h: &mut PoolHistory, t: f64, e: f64, r: f64, l: f64, ev: f64, sp: f64| {
        h.time_s.push(t);
        h.evaporation_rate_kg_s.push(e);
        h.radius_m.push(r);
        h.liquid_mass_kg.push(l);
        h.evaporated_kg.push(ev);
        h.spilled_kg.push(sp);
    };
    push(&mut h, 0.0, 0.0, r, liquid, 0.0, spilled);
    for i in 1..=n {
        let t = i as f64 * dt_s;
        let t_mid = t - 0.5 * dt_s;
        // Spill in this step: the part of [t − dt, t] before the end of the spill (a spill that
        // ends inside a step is counted to its end, so that the spilled mass is exactly
        // rate × duration once t ≥ duration).
        let spill_end = spec.spill_duration_s;
        let t_prev = t - dt_s;
        let dm_in = if t_prev < spill_end {
            spec.spill_rate_kg_s * dt_s.min(spill_end - t_prev)
        } else {
            0.0
        };
        liquid += dm_in;
        spilled += dm_in;
        // Spread.
        if liquid > 0.0 {
            let vol = liquid / spec.liquid_density_kg_m3;
            let thick = vol / (std::f64::consts::PI * r * r);
            if thick > spec.min_thickness_m {
                r += (2.0 * GRAVITY_M_S2 * thick).sqrt() * dt_s;
                // Do not thin below the minimum thickness.
                let r_min_thick = (vol / (std::f64::consts::PI * spec.min_thickness_m)).sqrt();
                r = r.min(r_min_thick.max(h.radius_m.last().copied().unwrap_or(r)));
            }
            if let Some(rb) = r_bund {
                r = r.min(rb);
            }
        }
        // Evaporation flux.
        let area = std::f64::consts::PI * r * r;
        let flux = if boiling {
            spec.ground_conductivity_w_m_k * (spec.ground_temperature_k - spec.boiling_point_k)
                / (std::f64::consts::PI * spec.ground_diffusivity_m2_s * t_mid).sqrt()
                / spec.heat_of_vaporisation_j_kg
        } else {
            let k = mackay_matsugu_k_m_s(spec.wind_speed_m_s, 2.0 * r, spec.schmidt_number);
            k * spec.molar_mass_kg_mol * spec.vapour_pressure_pa
                / (GAS_CONSTANT_J_MOL_K * spec.ground_temperature_k)
        };
        let dm_out = (flux * area * dt_s).min(liquid);
        liquid -= dm_out;
        evaporated += dm_out;
        let rate = if liquid > 0.0 || dm_out > 0.0 {
            dm_out / dt_s
        } else {
            0.0
        };
        push(&mut h, t, rate, r, liquid, evaporated, spilled);
    }
    Ok(h)
}
