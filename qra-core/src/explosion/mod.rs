//! Explosion consequence models: TNT equivalence with Kingery–Bulmash blast parameters, the TNO
//! multi-energy method (ten strength curves, MSB 2017 fits), Baker–Strehlow–Tang curves, and
//! pressure-vessel burst energy (Brode).
//!
//! | item | function / type | source |
//! |---|---|---|
//! | TNT blast parameters | [`TntBlast`], [`kingery_bulmash`] | Swisdak (1994) fits of Kingery & Bulmash (1984) |
//! | VCE TNT mass | [`tnt_mass_vce_kg`] | W = η·M·ΔH_c/E_TNT (CCPS 2010 §5.x; TNO Yellow Book ch. 5 \[M\]) |
//! | condensed explosives | [`tnt_mass_condensed_kg`] | W = e·M with the substance DB `tnt_equivalence` |
//! | multi-energy | [`MultiEnergy`] | E = V·3.5 MJ/m³ (AQ/T 3046 eq. E.60 \[S\]); curves: Van den Berg (1985) via the MSB B06-105 (2017) power-law fits |
//! | BST | [`bst::BakerStrehlowTang`] | CCPS (2010) curves, digitised |
//! | BST flame speed | [`bst_flame_speed::flame_speed`] | Pierorazio et al. (2005) table \[S\] (2-D, 2.5-D, 3-D) |
//! | vessel burst | [`brode_energy_j`] | Brode (1959): E = (p₁ − p₀)·V/(γ − 1) |
//!
//! Every blast model offers a `reach_m(level)` giving the distance beyond which the overpressure
//! is below `level` — for the Purple Book / AQ/T 3046 rule (see
//! [`crate::vulnerability::blast::BlastRule::reach_overpressure_pa`]) the reach of lethality.
//! For the risk engine: lethality at distance r is
//! `rule.lethality_outdoor(model.overpressure_pa(r))` (or a probit on overpressure and impulse), and
//! `model.reach_m(rule.reach_overpressure_pa())` bounds where it is non-zero (the rule is a step
//! function, so beyond the reach it is exactly 0).

pub mod bst;
pub mod bst_flame_speed;
pub mod kingery_bulmash;
pub mod multi_energy;
pub mod vce;

pub use bst::{bst_flame_mach, BakerStrehlowTang, BST_GROUND_REFLECTION};
pub use kingery_bulmash::BlastParameters;
pub use multi_energy::{MultiEnergy, MULTI_ENERGY_DENSITY_J_M3};
pub use vce::{BlastSource, BstFlame, VceBlast, VceModel, VCE_TNT_YIELD};

use crate::constants::TNT_BLAST_ENERGY_J_KG;
use crate::error::{check, QraError, Result};
use crate::numerics;

/// TNT mass (kg) equivalent to a vapour-cloud explosion: W = η·M·ΔH_c / E_TNT.
///
/// `yield_factor` η ∈ (0, 1] (explosion efficiency; typical 0.01–0.10, CCPS 2010 and Yellow Book
/// quote ~0.03–0.04 for hydrocarbons \[M\] — no default is imposed), `flammable_mass_kg` M > 0,
/// `heat_of_combustion_j_kg` ΔH_c > 0, E_TNT = 4.68 MJ/kg ([`TNT_BLAST_ENERGY_J_KG`]).
pub fn tnt_mass_vce_kg(
    yield_factor: f64,
    flammable_mass_kg: f64,
    heat_of_combustion_j_kg: f64,
) -> Result<f64> {
    check::positive("yield_factor", yield_factor)?;
    check::in_range("yield_factor", yield_factor, 0.0, 1.0)?;
    check::positive("flammable_mass_kg", flammable_mass_kg)?;
    check::positive("heat_of_combustion_j_kg", heat_of_combustion_j_kg)?;
    // an overflowing product is an error, not an infinite TNT mass (issue 21: found by the long
    // fuzz run, heat_of_combustion_j_kg = 1.8e308)
    check::finite(
        "yield_factor * flammable_mass_kg * heat_of_combustion_j_kg",
        yield_factor * flammable_mass_kg * heat_of_combustion_j_kg / TNT_BLAST_ENERGY_J_KG,
    )
}

/// TNT mass (kg) of `mass_kg` of a condensed explosive with TNT equivalence `e` (mass basis):
/// W = e·M. With `substance`, e comes from the substance database (`tnt_equivalence`, e.g.
/// ammonium nitrate); a substance without one gives an error.
pub fn tnt_mass_condensed_kg(substance: &str, mass_kg: f64) -> Result<f64> {
    check::positive("mass_kg", mass_kg)?;
    let s = crate::substance::substance(substance)?;
    let e = s.tnt_equivalence.ok_or_else(|| {
        QraError::invalid(
            "substance",
            substance,
            "has no tnt_equivalence in the substance database",
        )
    })?;
    // an equivalence above 1 can overflow the product (issue 21)
    check::finite("tnt_equivalence * mass_kg", e * mass_kg)
}

/// Brode (1959) burst energy of a gas-filled vessel, J: E = (p₁ − p₀)·V/(γ − 1).
///
/// `pressure_pa` p₁ (absolute, > p₀ = `ambient_pa`), `volume_m3` V of the vapour space,
/// `heat_capacity_ratio` γ > 1. CCPS (2010) ch. 6 uses this and doubles E for a vessel at ground
/// level (surface burst) before converting to TNT (\[M\]); the TNT mass is E/E_TNT.
pub fn brode_energy_j(
    pressure_pa: f64,
    ambient_pa: f64,
    volume_m3: f64,
    heat_capacity_ratio: f64,
) -> Result<f64> {
    check::positive("ambient_pa", ambient_pa)?;
    check::positive("pressure_pa", pressure_pa)?;
    check::less_than("ambient_pa", ambient_pa, "pressure_pa", pressure_pa)?;
    check::positive("volume_m3", volume_m3)?;
    check::finite("heat_capacity_ratio", heat_capacity_ratio)?;
    if heat_capacity_ratio <= 1.0 {
        return Err(QraError::invalid(
            "heat_capacity_ratio",
            heat_capacity_ratio,
            "must be > 1",
        ));
    }
    // an overflowing product is an error, not an infinite energy (issue 21)
    check::finite(
        "(pressure_pa - ambient_pa) * volume_m3",
        (pressure_pa - ambient_pa) * volume_m3 / (heat_capacity_ratio - 1.0),
    )
}

/// A TNT-equivalent hemispherical surface burst (Kingery–Bulmash / Swisdak 1994).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TntBlast {
    tnt_mass_kg: f64,
}

impl TntBlast {
    /// A burst of `tnt_mass_kg` > 0.
    pub fn new(tnt_mass_kg: f64) -> Result<Self> {
        check::positive("tnt_mass_kg", tnt_mass_kg)?;
        Ok(TntBlast { tnt_mass_kg })
    }

    /// TNT mass, kg.
    pub fn tnt_mass_kg(&self) -> f64 {
        self.tnt_mass_kg
    }

    /// All blast parameters at `distance_m` (|distance| is used; policy outside the fitted range in
    /// [`kingery_bulmash`]). Never NaN for finite or infinite distances.
    pub fn at(&self, distance_m: f64) -> BlastParameters {
        let d = if distance_m.is_nan() {
            f64::INFINITY
        } else {
            distance_m.abs()
        };
        kingery_bulmash::blast_parameters(self.tnt_mass_kg, d)
    }

    /// Peak incident overpressure, Pa.
    pub fn overpressure_pa(&self, distance_m: f64) -> f64 {
        let d = if distance_m.is_nan() {
            f64::INFINITY
        } else {
            distance_m.abs()
        };
        kingery_bulmash::incident_overpressure_pa(d / self.tnt_mass_kg.cbrt())
    }

    /// Incident impulse, Pa·s.
    pub fn impulse_pa_s(&self, distance_m: f64) -> f64 {
        let d = if distance_m.is_nan() {
            f64::INFINITY
        } else {
            distance_m.abs()
        };
        let w3 = self.tnt_mass_kg.cbrt();
        kingery_bulmash::scaled_incident_impulse(d / w3) * w3
    }

    /// Distance (m) beyond which the incident overpressure is below `overpressure_pa`.
    /// 0 if the near-field plateau is below it.
    pub fn reach_m(&self, overpressure_pa: f64) -> f64 {
        if overpressure_pa.is_nan() || overpressure_pa <= 0.0 {
            return f64::INFINITY;
        }
        let w3 = self.tnt_mass_kg.cbrt();
        let above = |z: f64| kingery_bulmash::incident_overpressure_pa(z) >= overpressure_pa;
        if !above(0.0) {
            return 0.0;
        }
        let hi = numerics::expand_upper(1.0, above, 1e12);
        numerics::bisect(0.0, hi, above, numerics::never, 100).1 * w3
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::EXACT;
    use approx::assert_relative_eq;

    #[test]
    fn constructors() {
        assert!(TntBlast::new(-1.0).is_err());
        assert!(TntBlast::new(f64::NAN).is_err());
        assert!(MultiEnergy::new(1e9, 11).is_err());
        assert!(MultiEnergy::new(1e9, 0).is_err());
        assert!(tnt_mass_vce_kg(1.5, 1000.0, 46e6).is_err());
        assert!(brode_energy_j(1e5, 1.01325e5, 1.0, 1.4).is_err());
        assert!(brode_energy_j(2e6, 1e5, 1.0, 1.0).is_err());
    }

    #[test]
    fn hand_computations() {
        // W = 0.03·1000 kg·46.35 MJ/kg / 4.68 MJ/kg = 297.1 kg TNT.
        assert_relative_eq!(
            tnt_mass_vce_kg(0.03, 1000.0, 46.35e6).unwrap(),
            0.03 * 1000.0 * 46.35e6 / 4.68e6,
            max_relative = EXACT
        );
        // Brode: (1.5e6 − 1e5)·10 / 0.4 = 3.5e7 J.
        assert_relative_eq!(
            brode_energy_j(1.5e6, 1e5, 10.0, 1.4).unwrap(),
            3.5e7,
            max_relative = EXACT
        );
        let me = MultiEnergy::from_volume(1000.0, 7).unwrap();
        assert_relative_eq!(me.energy_j(), 3.5e9, max_relative = EXACT);
        assert_relative_eq!(
            me.scaled_distance(100.0),
            100.0 / (3.5e9f64 / 101_325.0).cbrt(),
            max_relative = EXACT
        );
    }

    #[test]
    fn condensed_from_substance_db() {
        let an = crate::substance::substance("ammonium nitrate").unwrap();
        let e = an.tnt_equivalence.unwrap();
        assert_relative_eq!(
            tnt_mass_condensed_kg("ammonium nitrate", 1000.0).unwrap(),
            1000.0 * e,
            max_relative = EXACT
        );
        assert!(tnt_mass_condensed_kg("chlorine", 1.0).is_err());
        assert!(tnt_mass_condensed_kg("ammonium nitrate", -1.0).is_err());
    }

    #[test]
    fn reach_and_nan_safety() {
        let t = TntBlast::new(1000.0).unwrap();
        let r = t.reach_m(10e3);
        assert_relative_eq!(t.overpressure_pa(r), 10e3, max_relative = 1e-6);
        assert!(t.overpressure_pa(f64::NAN) == 0.0);
        let b = t.at(0.0);
        assert!(b.incident_overpressure_pa.is_finite());
    }
}
