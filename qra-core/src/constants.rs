//! Physical constants and reference conditions, in SI units, each with its source.
//!
//! Model-specific coefficients (dispersion sigmas, blast-curve fits, probit constants…) live next
//! to their model with their own citation; only constants shared across model families are here.

/// Molar gas constant R, J/(mol·K). Source: CODATA 2018 (exact since the 2019 SI redefinition).
pub const GAS_CONSTANT_J_MOL_K: f64 = 8.314_462_618;

/// Standard acceleration of gravity g, m/s². Source: CGPM 1901, 3rd General Conference (exact).
pub const GRAVITY_M_S2: f64 = 9.806_65;

/// Standard atmosphere, Pa. Source: ISO 2533:1975 / CGPM 1954 (exact).
pub const STANDARD_PRESSURE_PA: f64 = 101_325.0;

/// Reference ambient temperature used by qra defaults, K (20 °C). Convention, not a standard.
pub const DEFAULT_AMBIENT_TEMPERATURE_K: f64 = 293.15;

/// Molar mass of dry air, kg/mol. Source: ISO 2533:1975, M = 28.964 420 g/mol.
pub const AIR_MOLAR_MASS_KG_MOL: f64 = 0.028_964_42;

/// Specific heat capacity of dry air at constant pressure near 300 K, J/(kg·K). Source:
/// Incropera, DeWitt, Bergman & Lavine (2007) *Fundamentals of Heat and Mass Transfer*, 6th ed.,
/// Table A.4 (air at 300 K: 1.007 kJ/(kg·K)) \[M: recalled, not re-read\].
pub const AIR_CP_J_KG_K: f64 = 1007.0;

/// Stefan–Boltzmann constant σ, W/(m²·K⁴). Source: CODATA 2018 (exact, derived).
pub const STEFAN_BOLTZMANN_W_M2_K4: f64 = 5.670_374_419e-8;

/// Heat of explosion of TNT used for TNT-equivalence, J/kg. Source: CCPS (2010) *Guidelines for
/// Vapor Cloud Explosion, Pressure Vessel Burst, BLEVE and Flash Fire Hazards*, 2nd ed., which uses
/// 4.68 MJ/kg (values of 4.2–4.69 MJ/kg appear in the literature). [M: not re-verified]
pub const TNT_BLAST_ENERGY_J_KG: f64 = 4.68e6;

/// Converts a gas volume fraction in ppm to a mass concentration in kg/m³ at `temperature_k`,
/// `pressure_pa` (ideal gas): C = ppm·10⁻⁶ · p·M / (R·T).
pub fn ppm_to_kg_m3(ppm: f64, molar_mass_kg_mol: f64, temperature_k: f64, pressure_pa: f64) -> f64 {
    ppm * 1e-6 * pressure_pa * molar_mass_kg_mol / (GAS_CONSTANT_J_MOL_K * temperature_k)
}

/// Inverse of [`ppm_to_kg_m3`].
pub fn kg_m3_to_ppm(
    c_kg_m3: f64,
    molar_mass_kg_mol: f64,
    temperature_k: f64,
    pressure_pa: f64,
) -> f64 {
    c_kg_m3 * 1e6 * GAS_CONSTANT_J_MOL_K * temperature_k / (pressure_pa * molar_mass_kg_mol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn ppm_conversion_matches_textbook_rule() {
        // Crowl & Louvar (2011) eq. 3-7: mg/m³ = ppm · M[g/mol] / 24.45 at 25 °C, 1 atm.
        let c = ppm_to_kg_m3(10.0, 0.070_906, 298.15, STANDARD_PRESSURE_PA) * 1e6; // mg/m³
        assert_relative_eq!(c, 10.0 * 70.906 / 24.45, max_relative = 1e-3);
        assert_relative_eq!(
            kg_m3_to_ppm(ppm_to_kg_m3(3.0, 0.017, 290.0, 1e5), 0.017, 290.0, 1e5),
            3.0,
            max_relative = 1e-12
        );
    }
}
