//! Domino escalation: the probability that a primary fire or explosion damages a neighbouring
//! piece of equipment enough to start a secondary event (first-level escalation).
//!
//! # Models
//! **Escalation thresholds** (below them escalation is not credible and the probability is 0):
//! heat radiation (long exposure) 15 kW/m² for atmospheric and 45 kW/m² for pressurised equipment;
//! overpressure 22 kPa atmospheric, 16 kPa pressurised, 31 kPa elongated, 37 kPa small/auxiliary
//! equipment. Source: Cozzani, Gubinelli & Salzano (2006), "Escalation thresholds in the
//! assessment of domino accidental events", J. Hazard. Mater. A129, 1–21, and Cozzani & Salzano
//! (2004), J. Loss Prev. Process Ind. 17, 437–447 (values via shared/reference/standards.md §5.3,
//! tagged **[M]: not re-verified against the papers**).
//!
//! **Heat radiation** — time to failure then probit (Cozzani, Antonioni & Spadoni 2005, "The
//! assessment of risk caused by domino effect in quantitative area risk analysis", J. Hazard.
//! Mater. A127, 14–30, Table 2; after Landucci/Cozzani; **[M]**):
//! * atmospheric vessel: ln(ttf) = −1.128 ln(I) − 2.667·10⁻⁵ V + 9.877
//! * pressurised vessel: ln(ttf) = −0.947 ln(I) + 8.835 V^0.032
//! * Y = 12.54 − 1.847 ln(ttf / 60)
//!
//! with ttf in s, I the heat flux on the vessel in kW/m² and V the vessel volume in m³.
//!
//! **Overpressure** — probits (Cozzani & Salzano 2004, "The quantitative assessment of domino
//! effects caused by overpressure. Part I. Probit models", J. Hazard. Mater. A107, 67–80; **[M]**),
//! with the peak static overpressure P in Pa:
//! * atmospheric Y = −18.96 + 2.44 ln P; pressurised Y = −42.44 + 4.33 ln P;
//!   elongated Y = −28.07 + 3.16 ln P; small/auxiliary Y = −17.79 + 2.18 ln P.
//!
//! P(escalation) = Φ(Y − 5) ([`probit_to_probability`]) above the threshold, 0 below it.
//! Validity: the probit fits were derived for heat fluxes of roughly 10–100 kW/m² and
//! overpressures of 10–100 kPa; outside that range the values are extrapolations.

use serde::{Deserialize, Serialize};

use crate::error::{check, Result};
use crate::vulnerability::probit_to_probability;

/// Target-equipment categories of Cozzani & Salzano.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EquipmentClass {
    /// Atmospheric storage tank.
    Atmospheric,
    /// Pressurised vessel (spheres, bullets).
    Pressurised,
    /// Elongated equipment (columns, reactors) — overpressure only; heat radiation as pressurised.
    Elongated,
    /// Small / auxiliary equipment (pumps, exchangers) — overpressure only; heat as atmospheric.
    Auxiliary,
}

/// Escalation threshold for heat radiation, W/m² ([M], see module docs).
pub fn heat_threshold_w_m2(class: EquipmentClass) -> f64 {
    match class {
        EquipmentClass::Atmospheric | EquipmentClass::Auxiliary => 15e3,
        EquipmentClass::Pressurised | EquipmentClass::Elongated => 45e3,
    }
}

/// Escalation threshold for overpressure, Pa ([M], see module docs).
pub fn overpressure_threshold_pa(class: EquipmentClass) -> f64 {
    match class {
        EquipmentClass::Atmospheric => 22e3,
        EquipmentClass::Pressurised => 16e3,
        EquipmentClass::Elongated => 31e3,
        EquipmentClass::Auxiliary => 37e3,
    }
}

/// Time to failure, s, of a vessel of `volume_m3` engulfed by / exposed to `heat_flux_w_m2`
/// (Cozzani et al. 2005 Table 2, [M]). Errors for non-positive flux or negative volume.
pub fn time_to_failure_s(
    class: EquipmentClass,
    heat_flux_w_m2: f64,
    volume_m3: f64,
) -> Result<f64> {
    let i_kw = check::positive("heat_flux_w_m2", heat_flux_w_m2)? / 1e3;
    let v = check::non_negative("volume_m3", volume_m3)?;
    let ln_ttf = match class {
        EquipmentClass::Atmospheric | EquipmentClass::Auxiliary => {
            -1.128 * i_kw.ln() - 2.667e-5 * v + 9.877
        }
        EquipmentClass::Pressurised | EquipmentClass::Elongated => {
            -0.947 * i_kw.ln() + 8.835 * v.powf(0.032)
        }
    };
    Ok(ln_ttf.exp())
}

/// Probability that heat radiation `heat_flux_w_m2` escalates to the vessel (0 below threshold).
pub fn escalation_probability_heat(
    class: EquipmentClass,
    heat_flux_w_m2: f64,
    volume_m3: f64,
) -> Result<f64> {
    check::non_negative("heat_flux_w_m2", heat_flux_w_m2)?;
    if heat_flux_w_m2 < heat_threshold_w_m2(class) {
        check::non_negative("volume_m3", volume_m3)?;
        return Ok(0.0);
    }
    let ttf_min = time_to_failure_s(class, heat_flux_w_m2, volume_m3)? / 60.0;
    Ok(probit_to_probability(12.54 - 1.847 * ttf_min.ln()))
}

/// Probability that a peak static overpressure `overpressure_pa` escalates (0 below threshold).
pub fn escalation_probability_overpressure(
    class: EquipmentClass,
    overpressure_pa: f64,
) -> Result<f64> {
    let p = check::non_negative("overpressure_pa", overpressure_pa)?;
    if p < overpressure_threshold_pa(class) {
        return Ok(0.0);
    }
    let y = match class {
        EquipmentClass::Atmospheric => -18.96 + 2.44 * p.ln(),
        EquipmentClass::Pressurised => -42.44 + 4.33 * p.ln(),
        EquipmentClass::Elongated => -28.07 + 3.16 * p.ln(),
        EquipmentClass::Auxiliary => -17.79 + 2.18 * p.ln(),
    };
    Ok(probit_to_probability(y))
}

/// A first-level escalation: the secondary event's frequency is the primary outcome's frequency
/// times the escalation probability (Cozzani et al. 2005, eq. 1: f_d = f_p · P_d).
pub fn secondary_frequency(
    primary_frequency_per_year: f64,
    escalation_probability: f64,
) -> Result<f64> {
    let f = check::non_negative("primary_frequency_per_year", primary_frequency_per_year)?;
    let p = check::probability("escalation_probability", escalation_probability)?;
    Ok(f * p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hand computation from the cited equations: an atmospheric tank of 1000 m³ at 30 kW/m²:
    /// ln ttf = −1.128 ln 30 − 0.02667 + 9.877 = 6.01386 → ttf = 409.0 s = 6.817 min;
    /// Y = 12.54 − 1.847 ln 6.817 = 8.995 → P = Φ(3.995) = 0.99997.
    #[test]
    fn atmospheric_tank_hand_computed() {
        let ttf = time_to_failure_s(EquipmentClass::Atmospheric, 30e3, 1000.0).unwrap();
        let expect = (-1.128 * 30f64.ln() - 2.667e-5 * 1000.0 + 9.877).exp();
        assert!(
            (ttf - expect).abs() < 1e-9 && (ttf - 409.0).abs() < 1.0,
            "{ttf}"
        );
        let p = escalation_probability_heat(EquipmentClass::Atmospheric, 30e3, 1000.0).unwrap();
        assert!((p - 0.999_97).abs() < 2e-5, "{p}");
    }

    #[test]
    fn thresholds_cut_off() {
        assert_eq!(
            escalation_probability_heat(EquipmentClass::Atmospheric, 14.9e3, 100.0).unwrap(),
            0.0
        );
        assert_eq!(
            escalation_probability_heat(EquipmentClass::Pressurised, 44e3, 100.0).unwrap(),
            0.0
        );
        assert_eq!(
            escalation_probability_overpressure(EquipmentClass::Pressurised, 15e3).unwrap(),
            0.0
        );
        // Just above the pressurised threshold: Y = −42.44 + 4.33 ln 16000 = −0.50 → P ≈ 1.9e-8.
        let p = escalation_probability_overpressure(EquipmentClass::Pressurised, 16e3).unwrap();
        assert!(p > 0.0 && p < 1e-6, "{p}");
        // Atmospheric at 50 kPa: Y = −18.96 + 2.44 ln 50000 = 7.440 → P = Φ(2.44) = 0.99266.
        let p = escalation_probability_overpressure(EquipmentClass::Atmospheric, 50e3).unwrap();
        assert!((p - 0.992_66).abs() < 1e-4, "{p}");
    }

    #[test]
    fn bad_inputs() {
        assert!(escalation_probability_heat(EquipmentClass::Atmospheric, f64::NAN, 1.0).is_err());
        assert!(escalation_probability_heat(EquipmentClass::Atmospheric, 50e3, -1.0).is_err());
        assert!(escalation_probability_overpressure(EquipmentClass::Atmospheric, -5.0).is_err());
        assert!(secondary_frequency(1e-5, 1.5).is_err());
        assert_eq!(secondary_frequency(1e-5, 0.5).unwrap(), 5e-6);
    }

    proptest! {
        #[test]
        fn probabilities_bounded_and_monotone(q in 0.0f64..500e3, dq in 0.0f64..100e3, v in 0.0f64..1e5, p in 0.0f64..1e6, dp in 0.0f64..1e5) {
            for c in [EquipmentClass::Atmospheric, EquipmentClass::Pressurised, EquipmentClass::Elongated, EquipmentClass::Auxiliary] {
                let a = escalation_probability_heat(c, q, v).unwrap();
                let b = escalation_probability_heat(c, q + dq, v).unwrap();
                prop_assert!((0.0..=1.0).contains(&a) && b >= a);
                let a = escalation_probability_overpressure(c, p).unwrap();
                let b = escalation_probability_overpressure(c, p + dp).unwrap();
                prop_assert!((0.0..=1.0).contains(&a) && b >= a);
            }
        }
    }
}
