//! Jet fire: API 521 point-source model.
//!
//! # Equations
//! * Flame length (AQ/T 3046-2013 eq. E.57 as cited in standards.md §3.1 \[S\]; a fit of the
//!   API 521 flame-length chart): L = (ΔH_c·ṁ)^0.444 / 161.66, L in m, ΔH_c·ṁ in W.
//! * Heat flux (API Standard 521, 6th ed. 2014, §5.7.3 "point-source" equation \[M\]; AQ/T 3046
//!   eq. E.58 \[S\]): q = τ·F·ṁ·ΔH_c/(4π d²) with F the fraction of heat radiated, d the distance
//!   from the receiver to the point source, placed at the flame centre (L/2 along the jet axis
//!   from the release point). Oriented receivers multiply by cos β = **n**·**r̂** (clipped at 0);
//!   [`Receiver::Max`] is face-on.
//! * Near the flame the point source diverges; qra caps q at `max_flux_w_m2` (default
//!   350 kW/m², the order of measured jet-fire SEPs, Chamberlain 1987 \[M\]) — a defined value
//!   for receivers in or at the flame, never NaN or ∞.
//!
//! Validity: far field (d ≳ L); the point source over-predicts near the flame and ignores the flame
//! shape. The Chamberlain (1987, *Chem. Eng. Res. Des.* 65, 299–309) frustum model is
//! [`super::ChamberlainJetFire`] (vertical releases).

use super::view_factor::Receiver;
use super::{HeatSource, Transmissivity};
use crate::error::{check, QraError, Result};
use nalgebra::{Point3, Vector3};

/// API 521 point-source jet fire.
///
/// The serde form holds the inputs (the flame length is derived); rebuild a deserialized value
/// with [`JetFire::revalidated`].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JetFire {
    mass_rate_kg_s: f64,
    heat_of_combustion_j_kg: f64,
    radiant_fraction: f64,
    release_point_m: [f64; 3],
    direction: [f64; 3],
    #[serde(skip)]
    flame_length_m: f64,
    transmissivity: Transmissivity,
    #[serde(deserialize_with = "super::duration_or_infinite")]
    duration_s: f64,
    max_flux_w_m2: f64,
}

impl JetFire {
    /// A jet fire. `direction` is the jet axis (normalised here; horizontal jets `[1, 0, 0]`,
    /// vertical `[0, 0, 1]`); `radiant_fraction` ∈ (0, 1] (API 521 suggests ~0.15–0.3 by fuel
    /// \[M\]); `duration_s` > 0 (may be +∞).
    pub fn new(
        mass_rate_kg_s: f64,
        heat_of_combustion_j_kg: f64,
        radiant_fraction: f64,
        release_point_m: [f64; 3],
        direction: [f64; 3],
        transmissivity: Transmissivity,
        duration_s: f64,
    ) -> Result<Self> {
        check::positive("mass_rate_kg_s", mass_rate_kg_s)?;
        check::in_range("mass_rate_kg_s", mass_rate_kg_s, 0.0, 1e6)?;
        check::positive("heat_of_combustion_j_kg", heat_of_combustion_j_kg)?;
        check::in_range("heat_of_combustion_j_kg", heat_of_combustion_j_kg, 0.0, 2e8)?;
        check::positive("radiant_fraction", radiant_fraction)?;
        check::in_range("radiant_fraction", radiant_fraction, 0.0, 1.0)?;
        check::all_finite("release_point_m", &release_point_m)?;
        check::all_finite("direction", &direction)?;
        for (i, c) in direction.iter().enumerate() {
            check::in_range(&format!("direction[{i}]"), *c, -1e6, 1e6)?;
        }
        let l = Vector3::from(direction).norm();
        if l <= 0.0 {
            return Err(QraError::invalid(
                "direction",
                format!("{direction:?}"),
                "must be non-zero",
            ));
        }
        if duration_s.is_nan() || duration_s <= 0.0 {
            return Err(QraError::invalid("duration_s", duration_s, "must be > 0"));
        }
        let q = mass_rate_kg_s * heat_of_combustion_j_kg;
        Ok(JetFire {
            mass_rate_kg_s,
            heat_of_combustion_j_kg,
            radiant_fraction,
            release_point_m,
            direction: (Vector3::from(direction) / l).into(),
            flame_length_m: q.powf(0.444) / 161.66,
            transmissivity,
            duration_s,
            max_flux_w_m2: 350e3,
        })
    }

    /// The same jet fire rebuilt through the validating constructor (for a deserialized value:
    /// checks every input and recomputes the flame length). A stored unit `direction` is kept bit
    /// for bit.
    ///
    /// # Errors
    /// As [`JetFire::new`] and [`JetFire::with_max_flux`].
    pub fn revalidated(&self) -> Result<Self> {
        let mut j = Self::new(
            self.mass_rate_kg_s,
            self.heat_of_combustion_j_kg,
            self.radiant_fraction,
            self.release_point_m,
            self.direction,
            self.transmissivity,
            self.duration_s,
        )?
        .with_max_flux(self.max_flux_w_m2)?;
        if (Vector3::from(self.direction).norm_squared() - 1.0).abs() <= 1e-12 {
            j.direction = self.direction;
        }
        Ok(j)
    }

    /// Replaces the near-field cap (W/m², > 0).
    pub fn with_max_flux(mut self, max_flux_w_m2: f64) -> Result<Self> {
        self.max_flux_w_m2 = check::positive("max_flux_w_m2", max_flux_w_m2)?;
        Ok(self)
    }

    /// Flame length, m.
    pub fn flame_length_m(&self) -> f64 {
        self.flame_length_m
    }

    /// Point-source position (flame centre), m.
    pub fn source_point_m(&self) -> [f64; 3] {
        let h = 0.5 * self.flame_length_m;
        (Point3::from(self.release_point_m) + Vector3::from(self.direction) * h).into()
    }

    /// Radiated power F·ṁ·ΔH_c, W.
    pub fn radiated_power_w(&self) -> f64 {
        self.radiant_fraction * self.mass_rate_kg_s * self.heat_of_combustion_j_kg
    }
}

/// Point-source cosine factor for a receiver at `p` looking at a source at `c`.
pub(crate) fn point_cosine(p: [f64; 3], c: [f64; 3], receiver: Receiver) -> f64 {
    let r = Point3::from(c) - Point3::from(p);
    let d = r.norm();
    if d <= 0.0 {
        return 1.0;
    }
    let cosb = match receiver {
        Receiver::Max => return 1.0,
        Receiver::Horizontal => r.z / d,
        Receiver::Vertical => r.xy().norm() / d,
        Receiver::Normal(n) => Vector3::from(n).dot(&r) / d,
    };
    cosb.max(0.0)
}

impl HeatSource for JetFire {
    fn heat_flux_at(&self, p: [f64; 3], receiver: Receiver) -> f64 {
        if !(p[0].is_finite() && p[1].is_finite() && p[2].is_finite()) {
            return 0.0;
        }
        let c = self.source_point_m();
        let d2 = (Point3::from(p) - Point3::from(c)).norm_squared();
        let d = d2.sqrt();
        let q = self.transmissivity.tau(d) * self.radiated_power_w()
            / (4.0 * std::f64::consts::PI * d2);
        let q = if q.is_finite() {
            q.min(self.max_flux_w_m2)
        } else {
            self.max_flux_w_m2
        };
        q * point_cosine(p, c, receiver)
    }

    fn duration_s(&self) -> f64 {
        self.duration_s
    }

    /// The flame centre and the flame around it: a horizontal (or inclined) jet's flux at ground
    /// level peaks downstream of the release point, not at the origin.
    fn reach_scan_m(&self) -> f64 {
        Point3::from(self.source_point_m()).coords.xy().norm() + self.flame_length_m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// A horizontal jet's ground flux peaks L/2 downstream, away from the origin: the reach to a
    /// level exceeded only near the flame centre is the outer root of
    /// τ·F·Q/(4π d²) = q with d² = (x − L/2)² + h² (τ = 1; hand computation).
    #[test]
    fn reach_of_a_horizontal_jet_is_found_downstream() {
        let j = JetFire::new(
            5.0,
            46.35e6,
            0.2,
            [0.0, 0.0, 1.0],
            [1.0, 0.0, 0.0],
            Transmissivity::None,
            f64::INFINITY,
        )
        .unwrap();
        let c = j.source_point_m();
        let level = 37.5e3;
        let d = (j.radiated_power_w() / (4.0 * std::f64::consts::PI * level)).sqrt();
        let expected = c[0] + (d * d - c[2] * c[2]).sqrt();
        assert!(d < c[0], "the level is not reached at the origin");
        assert_relative_eq!(j.reach_m(level), expected, max_relative = 1e-4);
    }

    #[test]
    fn hand_computation() {
        // ṁ = 5 kg/s propane (ΔHc 46.35 MJ/kg), F = 0.2, horizontal jet at 1 m height:
        // Q = 2.3175e8 W, L = Q^0.444/161.66 = e^(0.444·19.2612)/161.66 = 5165.0/161.66 = 31.95 m.
        let j = JetFire::new(
            5.0,
            46.35e6,
            0.2,
            [0.0, 0.0, 1.0],
            [1.0, 0.0, 0.0],
            Transmissivity::None,
            60.0,
        )
        .unwrap();
        assert_relative_eq!(
            j.flame_length_m(),
            (2.3175e8f64).powf(0.444) / 161.66,
            max_relative = 1e-12
        );
        assert_relative_eq!(j.flame_length_m(), 31.95, max_relative = 5e-3);
        // At 50 m crosswind of the flame centre: q = 0.2·2.3175e8/(4π·2500) = 1475.4 W/m².
        let c = j.source_point_m();
        let q = j.heat_flux_at([c[0], 50.0, 1.0], Receiver::Max);
        assert_relative_eq!(
            q,
            0.2 * 2.3175e8 / (4.0 * std::f64::consts::PI * 2500.0),
            max_relative = 1e-12
        );
        assert_relative_eq!(q, 1475.4, max_relative = 1e-4);
        // At the source: capped, finite.
        assert_eq!(j.heat_flux_at(c, Receiver::Max), 350e3);
        assert!(JetFire::new(
            -5.0,
            46e6,
            0.2,
            [0.0; 3],
            [1.0, 0.0, 0.0],
            Transmissivity::None,
            1.0
        )
        .is_err());
        assert!(JetFire::new(
            5.0,
            46e6,
            0.2,
            [0.0; 3],
            [0.0; 3],
            Transmissivity::None,
            1.0
        )
        .is_err());
    }

    #[test]
    fn inverse_square_and_reach() {
        let j = JetFire::new(
            2.0,
            50e6,
            0.25,
            [0.0; 3],
            [0.0, 0.0, 1.0],
            Transmissivity::None,
            60.0,
        )
        .unwrap();
        let c = j.source_point_m();
        let q1 = j.heat_flux_at([100.0, 0.0, c[2]], Receiver::Max);
        let q2 = j.heat_flux_at([200.0, 0.0, c[2]], Receiver::Max);
        assert_relative_eq!(q1 / q2, 4.0, max_relative = 1e-12);
        let r = j.reach_m(5e3);
        assert_relative_eq!(
            j.heat_flux_at([r, 0.0, 0.0], Receiver::Max),
            5e3,
            max_relative = 1e-3
        );
    }
}
