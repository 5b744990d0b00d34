//! Fireball (BLEVE of a flammable liquefied gas).
//!
//! # Equations (CCPS 1994 *Guidelines for Evaluating the Characteristics of Vapor Cloud
//! Explosions, Flash Fires, and BLEVEs*, ch. 6; CCPS 2010 2nd ed.; as in CCPS 1999 CPQRA
//! §2.2.4 \[M\])
//! * Maximum diameter D = 5.8·M^(1/3) (m, M in kg).
//! * Duration t = 0.45·M^(1/3) for M < 30 000 kg, t = 2.6·M^(1/6) for M ≥ 30 000 kg (s).
//! * Centre height H = 0.75·D.
//! * Radiant fraction (Roberts 1982 / Hymes, as in CCPS \[M\]): F = 0.27·(p/1 MPa)^0.32, p the
//!   vessel pressure before failure (absolute), or a given value.
//! * SEP E = F·M·ΔH_c/(π D² t).
//! * View factor of a sphere of radius R = D/2 whose centre is at distance r: face-on
//!   F = (R/r)² (exact); oriented receivers F = (R/r)²·cos β, exact while the whole sphere is
//!   above the receiver plane (cos β ≥ R/r) and used as an approximation otherwise (clipped at 0).
//! * q = E·F·τ(r − R). Receivers inside the fireball get q = E.
//!
//! The BLEVE blast is in [`crate::explosion::brode_energy_j`] (+ [`crate::explosion::TntBlast`]).

use super::jet::point_cosine;
use super::view_factor::Receiver;
use super::{HeatSource, Transmissivity};
use crate::error::{check, Result};
use nalgebra::Point3;

/// A CCPS fireball.
///
/// The serde form holds the inputs (geometry and SEP are derived); rebuild a deserialized value
/// with [`Fireball::revalidated`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fireball {
    mass_kg: f64,
    heat_of_combustion_j_kg: f64,
    #[serde(skip)]
    diameter_m: f64,
    #[serde(skip)]
    duration_s: f64,
    #[serde(skip)]
    centre_height_m: f64,
    radiant_fraction: f64,
    #[serde(skip)]
    sep_w_m2: f64,
    transmissivity: Transmissivity,
}

impl Fireball {
    /// A fireball of `mass_kg` of fuel with heat of combustion `heat_of_combustion_j_kg` and
    /// radiant fraction `radiant_fraction` ∈ (0, 1].
    pub fn new(
        mass_kg: f64,
        heat_of_combustion_j_kg: f64,
        radiant_fraction: f64,
        transmissivity: Transmissivity,
    ) -> Result<Self> {
        check::positive("mass_kg", mass_kg)?;
        check::in_range("mass_kg", mass_kg, 0.0, 1e9)?;
        check::positive("heat_of_combustion_j_kg", heat_of_combustion_j_kg)?;
        check::in_range("heat_of_combustion_j_kg", heat_of_combustion_j_kg, 0.0, 2e8)?;
        check::positive("radiant_fraction", radiant_fraction)?;
        check::in_range("radiant_fraction", radiant_fraction, 0.0, 1.0)?;
        let c = mass_kg.cbrt();
        let d = 5.8 * c;
        let t = if mass_kg < 30_000.0 {
            0.45 * c
        } else {
            2.6 * mass_kg.powf(1.0 / 6.0)
        };
        let sep = radiant_fraction * mass_kg * heat_of_combustion_j_kg
            / (std::f64::consts::PI * d * d * t);
        Ok(Fireball {
            mass_kg,
            heat_of_combustion_j_kg,
            diameter_m: d,
            duration_s: t,
            centre_height_m: 0.75 * d,
            radiant_fraction,
            sep_w_m2: sep,
            transmissivity,
        })
    }

    /// The same fireball rebuilt through the validating constructor (for a deserialized value).
    ///
    /// # Errors
    /// As [`Fireball::new`].
    pub fn revalidated(&self) -> Result<Self> {
        Self::new(
            self.mass_kg,
            self.heat_of_combustion_j_kg,
            self.radiant_fraction,
            self.transmissivity,
        )
    }

    /// Radiant fraction from the vessel burst pressure (absolute, Pa): 0.27·(p/1 MPa)^0.32,
    /// capped at 0.4 (\[M\], CCPS 1994).
    pub fn radiant_fraction_from_pressure(pressure_pa: f64) -> Result<f64> {
        check::positive("pressure_pa", pressure_pa)?;
        Ok((0.27 * (pressure_pa / 1e6).powf(0.32)).min(0.4))
    }

    /// Fuel mass, kg.
    pub fn mass_kg(&self) -> f64 {
        self.mass_kg
    }
    /// Diameter, m.
    pub fn diameter_m(&self) -> f64 {
        self.diameter_m
    }
    /// Centre height, m.
    pub fn centre_height_m(&self) -> f64 {
        self.centre_height_m
    }
    /// Radiant fraction used.
    pub fn radiant_fraction(&self) -> f64 {
        self.radiant_fraction
    }
    /// Surface emissive power, W/m².
    pub fn sep_w_m2(&self) -> f64 {
        self.sep_w_m2
    }
}

impl HeatSource for Fireball {
    fn heat_flux_at(&self, p: [f64; 3], receiver: Receiver) -> f64 {
        if !(p[0].is_finite() && p[1].is_finite() && p[2].is_finite()) {
            return 0.0;
        }
        let c = [0.0, 0.0, self.centre_height_m];
        let r = nalgebra::distance(&Point3::from(p), &Point3::from(c));
        let rad = 0.5 * self.diameter_m;
        if r <= rad {
            return self.sep_w_m2;
        }
        let f = (rad / r).powi(2) * point_cosine(p, c, receiver);
        self.sep_w_m2 * f * self.transmissivity.tau(r - rad)
    }

    fn duration_s(&self) -> f64 {
        self.duration_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn hand_computation() {
        // M = 1000 kg propane (ΔHc 46.35 MJ/kg), F = 0.3: D = 58 m, t = 4.5 s, H = 43.5 m,
        // E = 0.3·1000·46.35e6/(π·58²·4.5) = 1.3905e10/47 557.2 = 292.4 kW/m².
        let f = Fireball::new(1000.0, 46.35e6, 0.3, Transmissivity::None).unwrap();
        assert_relative_eq!(f.diameter_m(), 58.0, max_relative = 1e-12);
        assert_relative_eq!(f.duration_s(), 4.5, max_relative = 1e-12);
        assert_relative_eq!(f.centre_height_m(), 43.5, max_relative = 1e-12);
        assert_relative_eq!(f.sep_w_m2(), 292.4e3, max_relative = 1e-3);
        // Face-on at 200 m ground distance: r = √(200² + 43.5²) = 204.68, F = (29/204.68)².
        let r = (200.0f64.powi(2) + 43.5f64.powi(2)).sqrt();
        assert_relative_eq!(
            f.heat_flux_at([200.0, 0.0, 0.0], Receiver::Max),
            f.sep_w_m2() * (29.0 / r).powi(2),
            max_relative = 1e-12
        );
        // Above 30 t the duration law changes: t = 2.6 M^(1/6).
        let big = Fireball::new(64_000.0, 46e6, 0.3, Transmissivity::None).unwrap();
        assert_relative_eq!(
            big.duration_s(),
            2.6 * 64_000f64.powf(1.0 / 6.0),
            max_relative = 1e-12
        );
        // Roberts: 1 MPa → 0.27.
        assert_relative_eq!(
            Fireball::radiant_fraction_from_pressure(1e6).unwrap(),
            0.27,
            max_relative = 1e-12
        );
        assert!(Fireball::new(-1.0, 46e6, 0.3, Transmissivity::None).is_err());
        // Inside: SEP.
        assert_eq!(
            f.heat_flux_at([0.0, 0.0, 43.5], Receiver::Max),
            f.sep_w_m2()
        );
    }
}
