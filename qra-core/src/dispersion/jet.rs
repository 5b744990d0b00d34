//! Momentum-dominated free jet of a pressurised gas release (near field).
//!
//! # Equation (Long 1963, as given by the GasDispersion.jl documentation, "Simple Jet Plumes"
//! \[M: Long (1963) not re-read\])
//! Round turbulent free jet in still air, Gaussian radial profile, ground reflection:
//! c(x, y, z) = k₂·c₀·(d/x)·√(ρ_j/ρ_a)·exp(−(k₃·y/x)²)·[exp(−(k₃(z − h)/x)²) + exp(−(k₃(z + h)/x)²)]
//! with k₂ = 6, k₃ = 5, c₀ the volume fraction of the released gas at the exit (1 for a pure
//! gas), d the exit diameter and ρ_j the exit density (for a choked jet the density at the
//! exit plane: d·√(ρ_j/ρ_a) is the Thring–Newby effective diameter). The jet axis is
//! horizontal, along +x (downwind), at height h. c is capped at c₀.
//!
//! # Validity
//! Momentum-dominated region only: the jet entrains as in still air while its centreline
//! velocity u_c = k₂·u₀·(d/x)·√(ρ_j/ρ_a) (same decay constant, an approximation) exceeds the wind
//! speed; [`FreeJet::transition_distance_m`] gives where u_c falls to the wind speed, beyond
//! which the passive plume applies. Buoyancy and dense-gas slumping are ignored.
//!
//! # Units
//! Lengths m, densities kg/m³, velocities m/s; concentration as volume fraction or kg/m³.

use serde::{Deserialize, Serialize};

use crate::error::{check, Result};

/// Centreline decay constant k₂ (Long 1963, via GasDispersion.jl docs) \[M\].
pub const JET_K2: f64 = 6.0;
/// Radial spreading constant k₃ (Long 1963, via GasDispersion.jl docs) \[M\].
pub const JET_K3: f64 = 5.0;

/// A horizontal free jet along +x (see the module docs). Build with [`FreeJet::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FreeJet {
    /// Exit diameter, m.
    pub diameter_m: f64,
    /// Exit velocity, m/s.
    pub exit_velocity_m_s: f64,
    /// Jet density at the exit, kg/m³.
    pub jet_density_kg_m3: f64,
    /// Ambient air density, kg/m³.
    pub air_density_kg_m3: f64,
    /// Density of the pure released gas at ambient conditions, kg/m³ (volume fraction → kg/m³).
    pub gas_density_ambient_kg_m3: f64,
    /// Release height, m.
    pub release_height_m: f64,
}

impl FreeJet {
    /// Validated jet: diameter in (0, 10] m, exit velocity in (0, 2000] m/s, densities in
    /// [10⁻³, 10³] kg/m³, height in [0, 10⁴] m.
    pub fn new(
        diameter_m: f64,
        exit_velocity_m_s: f64,
        jet_density_kg_m3: f64,
        air_density_kg_m3: f64,
        gas_density_ambient_kg_m3: f64,
        release_height_m: f64,
    ) -> Result<Self> {
        check::positive("diameter_m", diameter_m)?;
        check::in_range("diameter_m", diameter_m, 0.0, 10.0)?;
        check::positive("exit_velocity_m_s", exit_velocity_m_s)?;
        check::in_range("exit_velocity_m_s", exit_velocity_m_s, 0.0, 2000.0)?;
        check::in_range("jet_density_kg_m3", jet_density_kg_m3, 1e-3, 1e3)?;
        check::in_range("air_density_kg_m3", air_density_kg_m3, 1e-3, 1e3)?;
        check::in_range(
            "gas_density_ambient_kg_m3",
            gas_density_ambient_kg_m3,
            1e-3,
            1e3,
        )?;
        check::in_range("release_height_m", release_height_m, 0.0, 1e4)?;
        Ok(FreeJet {
            diameter_m,
            exit_velocity_m_s,
            jet_density_kg_m3,
            air_density_kg_m3,
            gas_density_ambient_kg_m3,
            release_height_m,
        })
    }

    /// Effective (Thring–Newby) diameter d·√(ρ_j/ρ_a), m.
    pub fn effective_diameter_m(&self) -> f64 {
        self.diameter_m * (self.jet_density_kg_m3 / self.air_density_kg_m3).sqrt()
    }

    /// Volume fraction of the released gas at (x, y, z); 0 for x ≤ 0, z < 0 or NaN input.
    pub fn volume_fraction(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if x_m.is_nan() || x_m <= 0.0 || y_m.is_nan() || z_m.is_nan() || z_m < 0.0 {
            return 0.0;
        }
        let h = self.release_height_m;
        let g = |d: f64| (-(JET_K3 * d / x_m).powi(2)).exp();
        let c = JET_K2 * self.effective_diameter_m() / x_m * g(y_m) * (g(z_m - h) + g(z_m + h));
        c.min(1.0)
    }

    /// Mass concentration, kg/m³, at (x, y, z): volume fraction × pure-gas density at ambient.
    pub fn concentration_kg_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        self.volume_fraction(x_m, y_m, z_m) * self.gas_density_ambient_kg_m3
    }

    /// Distance, m, at which the centreline velocity k₂·u₀·d_eff/x falls to `wind_speed_m_s`
    /// (end of the momentum-dominated region); `wind_speed_m_s` > 0.
    pub fn transition_distance_m(&self, wind_speed_m_s: f64) -> Result<f64> {
        check::positive("wind_speed_m_s", wind_speed_m_s)?;
        Ok(JET_K2 * self.exit_velocity_m_s * self.effective_diameter_m() / wind_speed_m_s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT_J_MOL_K};
    use crate::tolerance::{EXACT, WORKED_EXAMPLE};
    use approx::assert_relative_eq;

    #[test]
    fn matches_gasdispersion_jl_propane_jet() {
        // Cross-tool: GasDispersion.jl docs/src/plume.md, "Simple Jet Plumes — Example" (a
        // jldoctest): propane, 10 mm hole, exit 288 765.2 Pa, 278.385 K, 208.11 m/s, h = 3.5 m,
        // air 298.15 K, 1 atm; j(100, 0, 2) = 0.002485496609730624 (volume fraction).
        // Their air density is not printed; ideal gas with M_air is used here, hence 0.5 %.
        let r = GAS_CONSTANT_J_MOL_K;
        let rho_j = 288_765.221_233_395_8 * 0.044_096 / (r * 278.384_687_208_216_6);
        let rho_a = 101_325.0 * AIR_MOLAR_MASS_KG_MOL / (r * 298.15);
        let j = FreeJet::new(0.01, 208.109_613_993_275_73, rho_j, rho_a, 1.0, 3.5).unwrap();
        assert_relative_eq!(
            j.volume_fraction(100.0, 0.0, 2.0),
            0.002_485_496_609_730_624,
            max_relative = WORKED_EXAMPLE
        );
    }

    #[test]
    fn defined_values_decay_and_errors() {
        let j = FreeJet::new(0.05, 300.0, 5.0, 1.2, 2.0, 0.0).unwrap();
        for (x, y, z) in [
            (0.0, 0.0, 0.0),
            (-1.0, 0.0, 0.0),
            (10.0, 0.0, -1.0),
            (f64::NAN, 0.0, 0.0),
        ] {
            assert_eq!(j.volume_fraction(x, y, z), 0.0);
        }
        // Capped at the exit value near the orifice.
        assert_eq!(j.volume_fraction(1e-3, 0.0, 0.0), 1.0);
        // Centreline ∝ 1/x in the far jet (h = 0: both image terms equal 1 on the axis).
        let (c1, c2) = (
            j.volume_fraction(10.0, 0.0, 0.0),
            j.volume_fraction(20.0, 0.0, 0.0),
        );
        assert_relative_eq!(c1 / c2, 2.0, max_relative = EXACT);
        assert_relative_eq!(
            j.concentration_kg_m3(10.0, 0.0, 0.0),
            2.0 * c1,
            max_relative = EXACT
        );
        // Transition where k₂·u₀·d_eff/x = u_wind.
        let xt = j.transition_distance_m(5.0).unwrap();
        assert_relative_eq!(
            6.0 * 300.0 * j.effective_diameter_m() / xt,
            5.0,
            max_relative = EXACT
        );
        assert!(j.transition_distance_m(0.0).is_err());
        assert!(FreeJet::new(0.0, 300.0, 5.0, 1.2, 2.0, 0.0).is_err());
        assert!(FreeJet::new(0.05, f64::NAN, 5.0, 1.2, 2.0, 0.0).is_err());
        assert!(FreeJet::new(0.05, 300.0, 5.0, 1.2, 2.0, -1.0).is_err());
    }
}
