//! SLAB-class integral dense-gas model: a steady plume solved as ODEs in downwind distance, with
//! a finite-duration (pseudo-steady) correction for releases of limited duration
//! ([`SlabPlume`]), and the transient puff of an instantaneous release solved as ODEs in time
//! ([`puff::SlabPuff`]).
//!
//! # Source of the equations
//! Ermak, D. L. (1990) *User's manual for SLAB: an atmospheric dispersion model for
//! denser-than-air releases*, UCRL-MA-105607, Lawrence Livermore National Laboratory (public
//! domain). Equation numbers below ("Eq 2a") are those of that manual **as quoted by the MIT
//! reimplementation `slabx`** (Lee 2026, `src/slabx/core/plume.py`, `submodels/entrainment.py`,
//! `post/concentration.py`, `coefficients.py`), which was read to understand the model; the
//! manual itself was only found as an abridged scan and was not read line by line, so every
//! equation number and coefficient here is marked \[S: secondary, not re-read in the manual\].
//! No code was copied; the formulation below is qra's own (see *Deviations*).
//!
//! # The model (steady plume, half plume y ≥ 0, grounded cloud)
//! State along x (m): R = ρ·U·B·h, the half-plume mass flow (kg/s); B the half-width (m);
//! b the half-width of the flat core (m); G = R·V_g the cross-wind gravity-flow momentum;
//! P = R·U_e the downwind momentum flux without the gravity-pressure term; H the enthalpy flux
//! (W, relative to dry air at T_a and the released substance as vapour at its boiling point).
//! The ODEs:
//! * mass, Eq 2a: dR/dx = ρ_a·√3·(V_e·h + W_e·B) + q_s(x)
//! * half-width, Eq 7: dB/dx = (√3·(ρ_a/ρ)·V_e + V_g)/U
//! * core, Eq 8: db/dx = V_g·b/(U·B)
//! * cross-wind momentum, Eq 5a with the ground and top friction of Eq 38:
//!   dG/dx = α_gv·g·(ρ − ρ_a)·h² − ρ·B·(c_f² + C_f·(ρ_a/ρ)²)·V_g²/4
//! * downwind momentum, Eq 4a with the friction of Eq 37:
//!   dP/dx = ū·(dR/dx − q_s) − ρ·[B·((c_f·U)² − u*²) − (B + h)·C_f·|ΔU|·ΔU],
//!   ΔU = (ρ_a/ρ)(ū − U)
//! * energy, Eq 3a with the ground heat flux of Eq 39:
//!   dH/dx = h_s·q_s + ρ·B·V_H·c_p·(T_g − T)
//!
//! Algebraic closure at every x: released-substance flow Q_s = q·(x + B_s)/(2B_s) across a pool
//! of half-length B_s and Q/2 beyond (Eq 1a, analytic as in SLAB); mass fraction m = Q_s/R; temperature T and liquid fraction from
//! the mixture enthalpy with the released substance in vapour–liquid equilibrium (Eq 41–43:
//! liquid present while its vapour would exceed the saturation pressure, Clausius–Clapeyron
//! through the normal boiling point); density from the ideal-gas mixture plus liquid volume
//! (Eq 10); cloud speed U from the cubic U³ − U_e·U² + U_g³ = 0, U_g³ = α_g·g·(ρ − ρ_a)·R/(2Bρ²)
//! (Eq 4b, 4e; largest real root; where the cubic has none, the double-root value 2U_e/3 is
//! used — SLAB widens the source instead, Eq 4d); cloud height h = R/(ρ·U·B) (Eq 2b).
//!
//! Entrainment (Eq 35a, 35c–35e, 36a), with U* the in-cloud friction velocity,
//! U*² = (c_f·U)² + (c_f·V_g/2)² + C_f·(ΔU² + ((ρ_a/ρ)·V_g/2)²) + U_t²,
//! U_t³ = C_t·g·(T_g − T)·V_H·h/T̄ (convection from warm ground, only when T_g > T),
//! V_H = c_f·√((c_f·U)² + (c_f·V_g/2)²), c_f = u*/ū:
//! * top: W_e = W_p·(U*/u*)/φ, φ = 1 + 5·C_μ·Ri*, Ri* = g·(ρ − ρ_a)·h/(ρ·U*²) (≥ 0) — the
//!   density-stratification part of 1/L in φ_h(h/L) of Eq 35c–35d;
//! * edge: V_e = √(V_p² + (√C_f·a·k·ΔU)²) (Eq 36a: ambient part and jet-shear part).
//!
//! # Deviations from SLAB (qra's choices)
//! * **Ambient-turbulence entrainment from the sigma curves (classes A–D).** SLAB's ambient
//!   parts (a·k·u* in Eq 35a, a₁·ū in Eq 36a) are replaced by the growth rates of the Gaussian
//!   plume of the same study: V_p = U·dσ_y/dx and W_p = u_G·dσ_z/dx, evaluated at the *virtual
//!   distances* where σ_y,inst = β and σ_z = h·U/(√3·u_G) (u_G the Gaussian transport speed,
//!   σ_y,inst the σ_y of [`INSTANT_AVERAGING_S`]). With these, a neutrally buoyant cloud that has
//!   forgotten its source has B² − b² = 3σ_y² and U·B·h = 3·u_G·σ_y·σ_z, i.e. exactly the
//!   ground-level centreline of the Gaussian plume Q/(π·σ_y·σ_z·u_G): in A–D the passive far
//!   field *is* the qra Gaussian plume (unit test `passive_release_reproduces_the_gaussian_plume`),
//!   and the dense-to-passive transition is smooth because it is one set of ODEs whose density
//!   terms fade out. In D, W_p is capped at SLAB's a·k·u* (Eq 35a \[S\]): for a cloud a metre or
//!   two deep the virtual distance falls far below the 100 m fitting range of the Briggs curves,
//!   whose extrapolated slope is about twice a·k·u* there (Maplin Sands failed the gate with
//!   MG 2.45 without the cap).
//! * **SLAB's stratified surface layer (classes E, F).** The top entrainment is SLAB's own,
//!   W_e = a·k·U*/φ_h, φ_h = 1 + 5·h·(u*²/(L·U*²)) + 5·C_μ·Ri* (Eq 35a, 35c–35d \[S\]; the
//!   ambient 1/L from the class and z₀ by SLAB's relation, `inverse_obukhov_length_per_m`, or
//!   measured, [`SlabAmbient::with_inverse_obukhov_length`]); the lateral part stays on the
//!   σ_y curves. The Briggs σ_z curves (open country) deepen a cloud over smooth ground much
//!   faster than the stratified layer does: with them the ammonia jet of SLAB's example 2 was
//!   0.57× SLAB at 2 km, with SLAB's entrainment 1.03× (`validation/cases/crosstool-slab-examples`,
//!   40 points of SLAB's own listings, FAC2 0.97). The stable far field is therefore not the
//!   class's Gaussian plume but at least as concentrated as it (unit test
//!   `stable_passive_release_follows_the_stratified_surface_layer`).
//! * **Grounded cloud only**: no lift-off of buoyant clouds and no elevated jets (centre height
//!   z_c = 0 throughout); vertical jets/stacks are not yet supported (typed error).
//! * **Dry air**: ambient humidity and its condensation (SLAB's water terms) are neglected, so
//!   a cold cloud stays colder (denser) than in SLAB — conservative for ground-level
//!   concentrations.
//! * **Neutral friction velocity** u* = k·u_ref/ln(z_ref/z₀); ū is the power-law wind of
//!   [`super::wind_speed_at`] averaged over the cloud depth, ū = u(h)/(1 + p) (Eq 4c with the
//!   power-law profile instead of SLAB's similarity profile, Eq 32–34), capped at the 10 m
//!   transport wind u_G of the Gaussian plume.
//! * **Finite duration**: instead of SLAB's plume-to-puff switch, the steady plume is cut to a
//!   release of duration T_d and spread along wind with σ_x = σ_y(x) (the convention of
//!   [`super::GaussianPuff`] — σ_y of the output averaging time —, Palazzi, Taglia & Turner
//!   1982, Atmos. Environ. 16:2785, eqs. 5–6):
//!   C(x, t) = C_plume(x)·½[erf((x − U·(t − T_d))/(√2σ_x)) − erf((x − U·t)/(√2σ_x))]; its
//!   maximum average over the averaging time t_av (window centred on the cloud) is closed form
//!   (cf. Eq 55a/55b), and its time integral is exactly C_plume·T_d (the dose is conserved).
//!
//! # Concentration profile (Eq 13, 48–53)
//! C(x, y, z) = ρ·m · (B/(2b))·[erf((y + b)/(√2β_c)) − erf((y − b)/(√2β_c))]
//!   · (2h/(√(2π)σ))·exp(−z²/(2σ²)),
//! σ = h/√3 (grounded), β² = (B² − b²)/3, meander β_c² = β² + σ_y(x)²·(f(t_m)² − f(τ)²)
//! (Eq 50b, 52b with qra's averaging-time law f(t) = (t/600 s)^0.2, t_m = min(t_av, cloud
//! passage time), τ = [`INSTANT_AVERAGING_S`]). The profile integrates to 2B·h over the half-space
//! (mass is conserved by construction).
//!
//! # Units
//! SI throughout: m, s, kg, K, Pa; concentrations kg/m³ of the released substance (vapour and
//! droplets together), volume fractions of the vapour.
//!
//! # Validity
//! Flat terrain of uniform roughness; continuous or finite-duration ground-level releases
//! (evaporating pool, horizontal jet at the ground) of gases or aerosols denser or lighter than
//! air; wind ≥ 1 m/s at 10 m; x from the source to ~20 km. Outside this: lofted plumes, obstacles,
//! slopes, calm (SLAB itself has no still-air limit).

use serde::{Deserialize, Serialize};
use statrs::function::erf::erf;

use super::{sigmas, wind_profile_exponent, wind_speed_at, Atmosphere, SteadyPlume};
use crate::constants::{AIR_CP_J_KG_K, AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT_J_MOL_K, GRAVITY_M_S2};
use crate::error::{check, QraError, Result};
use crate::numerics::{anderson_bjorck, dormand_prince, OdeControl, OdeOptions};

/// Von Kármán constant k = 0.41 as used by SLAB (Eq 32) \[S\].
pub const VON_KARMAN: f64 = 0.41;
/// Vertical entrainment constant a = 1.5 (Eq 35a; after Zeman 1982) \[S\].
pub const ENTRAIN_A: f64 = 1.5;
/// Stratification coefficient C_μ of the in-cloud Monin–Obukhov length (Eq 35d) \[S\].
pub const C_MU: f64 = 0.025;
/// Stable Monin–Obukhov coefficient: φ_h = 1 + 5·z/L (Eq 33a, 35c) \[S\].
pub const PHI_STABLE: f64 = 5.0;
/// Top-of-cloud drag coefficient C_f = 0.02 (Eq 35e; the SLAB code's value, TNO CPR 14E
/// implies 0.0195) \[S\].
pub const CF_TOP: f64 = 0.02;
/// Thermal-convection constant C_t (Eq 35e) \[S\].
pub const C_THERMAL: f64 = 0.14;
/// Gravity-flow pressure coefficient α_g of the downwind momentum (Eq 4) \[S\].
pub const ALPHA_G: f64 = 0.25;
/// Gravity-flow coefficient α_gv of the cross-wind momentum (Eq 5a) \[S\].
pub const ALPHA_GV: f64 = 0.75;
/// Shortest averaging time, s: SLAB's τ_min of the meander function (Eq 36a, 49b) \[S\]; the
/// cloud equations use the σ_y of this averaging time ("instantaneous" width).
pub const INSTANT_AVERAGING_S: f64 = 10.0;

const SQRT3: f64 = 1.732_050_807_568_877_2;
const SQRT2: f64 = std::f64::consts::SQRT_2;
/// Farthest distance integrated by default, m.
const DEFAULT_X_MAX_M: f64 = 20_000.0;
/// Virtual distances are kept in [1 m, 10⁶ m].
const X_VIRTUAL_MIN_M: f64 = 1.0;
const X_VIRTUAL_MAX_M: f64 = 1.0e6;

/// Properties of the released substance that the cloud thermodynamics need.
///
/// # Units
/// kg/mol, J/(kg·K), K, J/kg, kg/m³.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlabSubstance {
    /// Molar mass, kg/mol.
    pub molar_mass_kg_mol: f64,
    /// Specific heat of the vapour at constant pressure, J/(kg·K).
    pub vapour_cp_j_kg_k: f64,
    /// Specific heat of the liquid, J/(kg·K).
    pub liquid_cp_j_kg_k: f64,
    /// Normal boiling point, K.
    pub boiling_point_k: f64,
    /// Heat of vaporisation at the boiling point, J/kg.
    pub latent_heat_j_kg: f64,
    /// Liquid density, kg/m³.
    pub liquid_density_kg_m3: f64,
}

impl SlabSubstance {
    /// Validated substance: every property > 0 and within physical bounds.
    pub fn new(
        molar_mass_kg_mol: f64,
        vapour_cp_j_kg_k: f64,
        liquid_cp_j_kg_k: f64,
        boiling_point_k: f64,
        latent_heat_j_kg: f64,
        liquid_density_kg_m3: f64,
    ) -> Result<Self> {
        check::in_range("molar_mass_kg_mol", molar_mass_kg_mol, 1e-3, 1.0)?;
        check::in_range("vapour_cp_j_kg_k", vapour_cp_j_kg_k, 100.0, 2e4)?;
        check::in_range("liquid_cp_j_kg_k", liquid_cp_j_kg_k, 100.0, 2e4)?;
        check::in_range("boiling_point_k", boiling_point_k, 4.0, 700.0)?;
        check::in_range("latent_heat_j_kg", latent_heat_j_kg, 1e3, 1e7)?;
        check::in_range("liquid_density_kg_m3", liquid_density_kg_m3, 50.0, 3e4)?;
        Ok(SlabSubstance {
            molar_mass_kg_mol,
            vapour_cp_j_kg_k,
            liquid_cp_j_kg_k,
            boiling_point_k,
            latent_heat_j_kg,
            liquid_density_kg_m3,
        })
    }

    /// The properties of a substance of the qra database (`models/substances.toml`): molar
    /// mass, c_p of gas and liquid, normal boiling point, heat of vaporisation and liquid
    /// density; an error naming the missing property otherwise.
    pub fn from_substance(s: &crate::substance::Substance) -> Result<Self> {
        SlabSubstance::new(
            s.molar_mass_kg_mol()?,
            s.cp_gas_j_kg_k()?,
            s.cp_liquid_j_kg_k()?,
            s.normal_boiling_point_k()?,
            s.heat_of_vaporisation_j_kg()?,
            s.liquid_density_kg_m3()?,
        )
    }

    /// Saturation pressure, Pa, by Clausius–Clapeyron through the normal boiling point:
    /// p_sat = p₀·exp(L·M/R·(1/T_b − 1/T)), p₀ = 101 325 Pa (SLAB's default saturation constants
    /// are built the same way from T_b and L, Eq 43a \[S\]). Approximate away from T_b (a few
    /// per cent over ±30 K for ammonia, chlorine, propane \[M\]).
    pub fn saturation_pressure_pa(&self, temperature_k: f64) -> f64 {
        crate::constants::STANDARD_PRESSURE_PA
            * (self.latent_heat_j_kg * self.molar_mass_kg_mol / GAS_CONSTANT_J_MOL_K
                * (1.0 / self.boiling_point_k - 1.0 / temperature_k))
                .exp()
    }

    /// Specific enthalpy, J/kg, of the substance at `temperature_k` with liquid mass fraction
    /// `liquid_fraction`, relative to saturated vapour at the boiling point:
    /// h = c_p,v·(T − T_b) + x_l·((c_p,l − c_p,v)·(T − T_b) − L).
    pub fn enthalpy_j_kg(&self, temperature_k: f64, liquid_fraction: f64) -> f64 {
        let dt = temperature_k - self.boiling_point_k;
        self.vapour_cp_j_kg_k * dt
            + liquid_fraction
                * ((self.liquid_cp_j_kg_k - self.vapour_cp_j_kg_k) * dt - self.latent_heat_j_kg)
    }
}

/// Ambient conditions of a SLAB run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlabAmbient {
    /// Wind, stability, sigma scheme (the passive limit) and averaging time of the output.
    pub atmosphere: Atmosphere,
    /// Air temperature, K.
    pub temperature_k: f64,
    /// Air pressure, Pa.
    pub pressure_pa: f64,
    /// Ground temperature, K (heat source of cold clouds).
    pub ground_temperature_k: f64,
    /// Surface roughness length z₀, m (friction velocity and ground heat transfer).
    pub roughness_m: f64,
    /// Ambient inverse Monin–Obukhov length 1/L, 1/m, of the stable surface layer that damps
    /// the top entrainment in classes E and F (see `Setup::top_entrainment_m_s`): SLAB's
    /// relation to the class and z₀ (`inverse_obukhov_length_per_m`) unless set with
    /// [`SlabAmbient::with_inverse_obukhov_length`]; not used in A–D.
    #[serde(default)]
    pub inverse_obukhov_length_per_m: f64,
}

impl SlabAmbient {
    /// Validated ambient: 200 K ≤ T ≤ 350 K, 50 kPa ≤ p ≤ 110 kPa, 1e-5 m ≤ z₀ ≤ 2 m and
    /// z₀ below the wind height; the ground at `temperature_k` (use
    /// [`SlabAmbient::with_ground_temperature`] otherwise).
    pub fn new(
        atmosphere: Atmosphere,
        temperature_k: f64,
        pressure_pa: f64,
        roughness_m: f64,
    ) -> Result<Self> {
        check::in_range("temperature_k", temperature_k, 200.0, 350.0)?;
        check::in_range("pressure_pa", pressure_pa, 5e4, 1.1e5)?;
        check::in_range("roughness_m", roughness_m, 1e-5, 2.0)?;
        check::less_than(
            "roughness_m",
            roughness_m,
            "atmosphere.wind_height_m",
            atmosphere.wind_height_m,
        )?;
        if atmosphere.wind_speed_m_s < 1.0 {
            return Err(QraError::invalid(
                "atmosphere.wind_speed_m_s",
                atmosphere.wind_speed_m_s,
                "must be >= 1 m/s for the SLAB-class model (no still-air limit)",
            ));
        }
        Ok(SlabAmbient {
            atmosphere,
            temperature_k,
            pressure_pa,
            ground_temperature_k: temperature_k,
            roughness_m,
            inverse_obukhov_length_per_m: inverse_obukhov_length_per_m(
                atmosphere.stability,
                roughness_m,
            ),
        })
    }

    /// Sets the ambient inverse Monin–Obukhov length 1/L, 1/m (0–1 m⁻¹, i.e. L ≥ 1 m; used in
    /// classes E and F only): SLAB's input `ala`, for a measured surface layer.
    pub fn with_inverse_obukhov_length(mut self, inverse_l_per_m: f64) -> Result<Self> {
        self.inverse_obukhov_length_per_m =
            check::in_range("inverse_obukhov_length_per_m", inverse_l_per_m, 0.0, 1.0)?;
        Ok(self)
    }

    /// Sets the ground temperature, K (200–350 K).
    pub fn with_ground_temperature(mut self, ground_temperature_k: f64) -> Result<Self> {
        self.ground_temperature_k =
            check::in_range("ground_temperature_k", ground_temperature_k, 200.0, 350.0)?;
        Ok(self)
    }

    /// Density of dry air, kg/m³ (ideal gas).
    pub fn air_density_kg_m3(&self) -> f64 {
        self.pressure_pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT_J_MOL_K * self.temperature_k)
    }

    /// Friction velocity, m/s, of the neutral log profile: u* = k·u_ref/ln(z_ref/z₀).
    pub fn friction_velocity_m_s(&self) -> f64 {
        let a = &self.atmosphere;
        VON_KARMAN * a.wind_speed_m_s / (a.wind_height_m / self.roughness_m).ln()
    }

    /// Ambient wind averaged over the cloud depth `h_m`, m/s: ū = min(u(h)/(1 + p), u_G) for the
    /// power law (u floored at its 1 m value, see [`wind_speed_at`]), capped at the Gaussian
    /// transport speed u_G of a ground release ([`Atmosphere::transport_speed`], the 10 m wind):
    /// a deep passive cloud travels at the speed the sigma curves are paired with, as in the
    /// Gaussian plume.
    pub fn depth_averaged_wind_m_s(&self, h_m: f64) -> f64 {
        let a = &self.atmosphere;
        let p = wind_profile_exponent(a.stability, a.terrain);
        let avg = wind_speed_at(
            a.wind_speed_m_s,
            a.wind_height_m,
            h_m,
            a.stability,
            a.terrain,
        ) / (1.0 + p);
        avg.min(a.transport_speed(0.0))
    }
}

/// A release for the SLAB-class model (serde tag `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SlabSource {
    /// Vapour evaporating from a pool at the boiling point (SLAB source type 1). The pool is
    /// taken as a square of the given area.
    EvaporatingPool {
        /// Evaporation rate, kg/s.
        rate_kg_s: f64,
        /// Pool area, m².
        area_m2: f64,
        /// Duration, s (`None` = continuous).
        duration_s: Option<f64>,
    },
    /// Horizontal jet at ground level (SLAB source type 2, here grounded from the source),
    /// vapour or flashed two-phase mixture after depressurisation.
    HorizontalJet {
        /// Release rate, kg/s.
        rate_kg_s: f64,
        /// Velocity after depressurisation to ambient pressure, m/s.
        exit_velocity_m_s: f64,
        /// Temperature after depressurisation, K (the boiling point for a flashing liquid).
        temperature_k: f64,
        /// Liquid (aerosol) mass fraction after flashing, in [0, 1).
        liquid_fraction: f64,
        /// Duration, s (`None` = continuous).
        duration_s: Option<f64>,
    },
    /// Vertical jet or stack (SLAB source type 3) — not yet supported.
    VerticalJet {
        /// Release rate, kg/s.
        rate_kg_s: f64,
        /// Release height, m.
        height_m: f64,
    },
    /// Instantaneous volume source (SLAB source type 4): solved by [`puff::SlabPuff`]; a
    /// [`SlabPlume`] of it is a typed "not yet supported" error.
    Instantaneous {
        /// Released (airborne) mass, kg.
        mass_kg: f64,
        /// Temperature after depressurisation, K (the boiling point for a flashing liquid).
        temperature_k: f64,
        /// Liquid (aerosol) mass fraction, in [0, 1).
        liquid_fraction: f64,
    },
}

/// One point of the integrated cloud.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlabPoint {
    /// Downwind distance, m.
    pub x_m: f64,
    /// Half-width B, m.
    pub half_width_m: f64,
    /// Flat-core half-width b, m.
    pub core_half_width_m: f64,
    /// Cloud height h, m.
    pub height_m: f64,
    /// Cloud speed U, m/s.
    pub speed_m_s: f64,
    /// Cloud density, kg/m³.
    pub density_kg_m3: f64,
    /// Cloud temperature, K.
    pub temperature_k: f64,
    /// Mass fraction of the released substance.
    pub mass_fraction: f64,
    /// Liquid mass fraction of the released substance (aerosol).
    pub liquid_fraction: f64,
    /// Cross-wind gravity-flow velocity V_g, m/s.
    pub gravity_velocity_m_s: f64,
    /// Cloud Richardson number Ri* = g(ρ − ρ_a)h/(ρU*²) (0 when not dense).
    pub richardson: f64,
    /// Half-plume mass flow R, kg/s.
    pub mass_flow_kg_s: f64,
    /// Released substance carried by the half plume, kg/s.
    pub substance_flow_kg_s: f64,
    /// Enthalpy flux of the half plume, W.
    pub enthalpy_flux_w: f64,
}

impl SlabPoint {
    /// Cloud-average concentration of the released substance, kg/m³ (ρ·m).
    pub fn mean_concentration_kg_m3(&self) -> f64 {
        self.density_kg_m3 * self.mass_fraction
    }
}

/// Steady plume of the SLAB-class model (see the module docs for equations and validity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlabPlume {
    /// Released substance.
    pub substance: SlabSubstance,
    /// Ambient.
    pub ambient: SlabAmbient,
    /// Source.
    pub source: SlabSource,
    /// Integrated cloud, from the upwind edge of the source (increasing x).
    pub points: Vec<SlabPoint>,
}

/// Index of the state vector.
const R_: usize = 0;
const B_: usize = 1;
const BC_: usize = 2;
const G_: usize = 3;
const P_: usize = 4;
const H_: usize = 5;
const N: usize = 6;

/// Everything the right-hand side needs, fixed for one run.
struct Setup {
    sub: SlabSubstance,
    amb: SlabAmbient,
    rho_a: f64,
    u_star: f64,
    /// Ambient inverse Monin–Obukhov length 1/L, 1/m (0 in D, > 0 in E and F).
    inv_l_per_m: f64,
    /// Gaussian transport speed u_G (passive limit), m/s.
    u_g: f64,
    /// Pool: source term q_s (kg/s per m, half plume) over [x_lo, x_hi].
    pool: Option<(f64, f64, f64)>,
    /// Released-substance flow of the half plume beyond the source, kg/s.
    q_half: f64,
    /// Enthalpy of the released material at the source, J/kg.
    h_src: f64,
    /// The sigma curves of the atmosphere, tabulated for the virtual distances.
    sigma_table: SigmaTable,
}

/// The sigma curves of one atmosphere (σ_y of [`INSTANT_AVERAGING_S`] and σ_z) tabulated as
/// ln σ on distances 1/32 decade apart from [`X_VIRTUAL_MIN_M`] to [`X_VIRTUAL_MAX_M`]: the
/// starting point of [`Setup::virtual_slope`]'s inversion.
#[derive(Debug, Clone)]
pub(crate) struct SigmaTable {
    ln_sigma: [Vec<f64>; 2],
    /// Factor applied to the curve: the averaging-time factor of σ_y, 1 for σ_z.
    factor: [f64; 2],
}

/// Table nodes per decade of distance.
const SIGMA_TABLE_PER_DECADE: f64 = 32.0;

impl SigmaTable {
    pub(crate) fn new(a: &Atmosphere) -> Self {
        let f_inst = super::averaging_time_factor(INSTANT_AVERAGING_S);
        let decades = (X_VIRTUAL_MAX_M / X_VIRTUAL_MIN_M).log10();
        let n = (decades * SIGMA_TABLE_PER_DECADE).round() as usize + 1;
        let mut t = [Vec::with_capacity(n), Vec::with_capacity(n)];
        for i in 0..n {
            let x = Self::node_x(i);
            let s = sigmas(x, a.stability, a.terrain, a.scheme);
            t[0].push((f_inst * s.0).ln());
            t[1].push(s.1.ln());
        }
        SigmaTable {
            ln_sigma: t,
            factor: [f_inst, 1.0],
        }
    }

    fn step_ln() -> f64 {
        std::f64::consts::LN_10 / SIGMA_TABLE_PER_DECADE
    }

    fn node_x(i: usize) -> f64 {
        if i == 0 {
            X_VIRTUAL_MIN_M
        } else {
            (X_VIRTUAL_MIN_M.ln() + i as f64 * Self::step_ln()).exp()
        }
    }

    /// x where `sig(x)` = `target` (`sig` the exact curve the table was built from), clamped
    /// to the tabulated range.
    fn invert(&self, which: usize, target: f64, sig: impl Fn(f64) -> f64) -> f64 {
        let t = &self.ln_sigma[which];
        let lt = target.ln();
        let last = t.len() - 1;
        if lt.is_nan() || lt <= t[0] {
            return X_VIRTUAL_MIN_M;
        }
        if lt >= t[last] {
            return X_VIRTUAL_MAX_M;
        }
        // First node at or above the target: the segment [i − 1, i] brackets it.
        let i = t.partition_point(|&v| v < lt).clamp(1, last);
        let h = Self::step_ln();
        let (lo, hi) = (
            X_VIRTUAL_MIN_M.ln() + (i - 1) as f64 * h,
            X_VIRTUAL_MIN_M.ln() + i as f64 * h,
        );
        let slope = (t[i] - t[i - 1]) / h;
        if slope <= 0.0 {
            return hi.exp();
        }
        // Safeguarded secant iteration on g(ln x) = ln σ − ln target from the interpolated
        // start, kept inside the bracket [lo, hi] (bisection when a step leaves it): a few
        // exact evaluations, robust at the kinks of piecewise curves (Pasquill–Gifford).
        let (mut a, mut b) = (lo, hi);
        let (mut x_prev, mut g_prev) = (lo, t[i - 1] - lt);
        let mut lx = lo + (lt - t[i - 1]) / slope;
        for _ in 0..12 {
            let g = sig(lx.exp()).ln() - lt;
            if g.abs() < 1e-12 {
                break;
            }
            if g < 0.0 {
                a = lx;
            } else {
                b = lx;
            }
            let secant = if g != g_prev {
                lx - g * (lx - x_prev) / (g - g_prev)
            } else {
                f64::NAN
            };
            (x_prev, g_prev) = (lx, g);
            lx = if secant > a && secant < b {
                secant
            } else {
                0.5 * (a + b)
            };
        }
        lx.exp()
    }
}

/// Turbulence quantities at a state (see [`Setup::mixing`]).
#[derive(Debug, Clone, Copy)]
struct Mix {
    us2: f64,
    v_h: f64,
    ri: f64,
    u_bar: f64,
    c_f: f64,
    du: f64,
}

/// The algebraic state reconstructed from the ODE state.
#[derive(Debug, Clone, Copy)]
struct Local {
    m: f64,
    t_k: f64,
    xl: f64,
    rho: f64,
    cp: f64,
    u: f64,
    h: f64,
    b_half: f64,
    vg: f64,
}

impl Setup {
    /// Mixture enthalpy per kg at temperature `t` with the substance in equilibrium: returns
    /// (enthalpy J/kg, liquid fraction of the substance).
    fn mixture_enthalpy(&self, m: f64, t: f64) -> (f64, f64) {
        let xl = self.liquid_fraction(m, t);
        let h = (1.0 - m) * AIR_CP_J_KG_K * (t - self.amb.temperature_k)
            + m * self.sub.enthalpy_j_kg(t, xl);
        (h, xl)
    }

    /// Equilibrium liquid fraction of the substance (Eq 41–43 \[S\]): zero while the vapour
    /// partial pressure is below p_sat(T); otherwise the vapour mole fraction is p_sat/p.
    fn liquid_fraction(&self, m: f64, t: f64) -> f64 {
        if m <= 0.0 {
            return 0.0;
        }
        let s = self.sub.saturation_pressure_pa(t) / self.amb.pressure_pa;
        if s >= 1.0 {
            return 0.0;
        }
        let n_air = (1.0 - m) / AIR_MOLAR_MASS_KG_MOL;
        let n_vap = s * n_air / (1.0 - s);
        (1.0 - n_vap * self.sub.molar_mass_kg_mol / m).clamp(0.0, 1.0)
    }

    /// Density of the mixture, kg/m³ (Eq 10 \[S\]): ideal-gas vapour + air, plus the droplet
    /// volume.
    fn density(&self, m: f64, xl: f64, t: f64) -> f64 {
        let m_liq = m * xl;
        let m_gas = 1.0 - m_liq;
        if m_gas <= 0.0 {
            return self.sub.liquid_density_kg_m3;
        }
        // Gas-phase molar mass from the mass fractions within the gas phase.
        let n = (1.0 - m) / AIR_MOLAR_MASS_KG_MOL + m * (1.0 - xl) / self.sub.molar_mass_kg_mol;
        let m_mol = m_gas / n;
        let rho_gas = self.amb.pressure_pa * m_mol / (GAS_CONSTANT_J_MOL_K * t);
        1.0 / (m_gas / rho_gas + m_liq / self.sub.liquid_density_kg_m3)
    }

    /// Temperature (K) and liquid fraction of the mixture of substance mass fraction `m` and
    /// specific enthalpy `e` (J/kg). Without liquid the enthalpy is linear in T and is inverted
    /// exactly; with liquid, T is found on the equilibrium enthalpy (monotone in T; bracketed
    /// Anderson–Björck iteration, [`anderson_bjorck`], to 10⁻¹² relative) and the
    /// liquid fraction is then taken from the energy balance at that T, which also covers the
    /// pure-substance plateau at the boiling point (m = 1, where saturation alone does not fix
    /// the liquid fraction).
    fn temperature(&self, m: f64, e: f64) -> (f64, f64) {
        let ta = self.amb.temperature_k;
        let tb = self.sub.boiling_point_k;
        let cpa = (1.0 - m) * AIR_CP_J_KG_K;
        let cpv = m * self.sub.vapour_cp_j_kg_k;
        let t_dry = (e + cpa * ta + cpv * tb) / (cpa + cpv);
        let lo0 = 0.5 * tb.min(ta);
        if t_dry > lo0 && self.liquid_fraction(m, t_dry) <= 0.0 && !(m >= 1.0 && t_dry < tb) {
            return (t_dry, 0.0);
        }
        let hi0 = t_dry.max(ta) + 1.0;
        let (lo, hi) = anderson_bjorck(lo0, hi0, |t| self.mixture_enthalpy(m, t).0 - e, 1e-12, 200);
        let t = 0.5 * (lo + hi);
        let dt = t - tb;
        let per_liquid = m
            * ((self.sub.liquid_cp_j_kg_k - self.sub.vapour_cp_j_kg_k) * dt
                - self.sub.latent_heat_j_kg);
        let xl = if per_liquid < 0.0 {
            ((e - cpa * (t - ta) - cpv * dt) / per_liquid).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (t, xl)
    }

    /// Released-substance flow of the half plume at `x`, kg/s: Eq 1a, Q_s = q·(x + B_s)/(2B_s)
    /// across the pool (analytic, as in SLAB), the full half-plume rate beyond.
    fn species_flow(&self, x: f64) -> f64 {
        match self.pool {
            Some((lo, hi, q)) => q * (x.clamp(lo, hi) - lo),
            None => self.q_half,
        }
    }

    fn local(&self, x: f64, y: &[f64; N]) -> Local {
        let r = y[R_].max(1e-300);
        let m = (self.species_flow(x) / r).clamp(0.0, 1.0);
        let (t_k, xl) = self.temperature(m, y[H_] / r);
        let rho = self.density(m, xl, t_k);
        let cp = (1.0 - m) * AIR_CP_J_KG_K
            + m * ((1.0 - xl) * self.sub.vapour_cp_j_kg_k + xl * self.sub.liquid_cp_j_kg_k);
        let b_half = y[B_].max(1e-9);
        let u_e = y[P_] / r;
        let ug3 = if rho > self.rho_a {
            ALPHA_G * GRAVITY_M_S2 * (rho - self.rho_a) * r / (2.0 * b_half * rho * rho)
        } else {
            0.0
        };
        let u = cloud_speed(u_e, ug3);
        let h = r / (rho * u * b_half);
        let vg = (y[G_] / r).max(0.0);
        Local {
            m,
            t_k,
            xl,
            rho,
            cp,
            u,
            h,
            b_half,
            vg,
        }
    }

    /// Source term of the pool, kg/(s·m) for the half plume.
    fn q_src(&self, x: f64) -> f64 {
        match self.pool {
            Some((lo, hi, q)) if x >= lo && x <= hi => q,
            _ => 0.0,
        }
    }

    /// Top entrainment velocity W_e, m/s, of a cloud of local state `l` and turbulence `mix`,
    /// given the slope dσ_z/dx of the sigma curves at the cloud's virtual distance (the passive
    /// part, see the module docs; called only in classes A–D, the only ones that use it — five
    /// evaluations of the sigma curves per step saved in E and F) and the cloud speed `u_m_s`
    /// it is taken along.
    ///
    /// SLAB (Eq 35a, 35c–35d \[S\]; `SLAB.FOR` entrainment routine, read 2026-12-05):
    /// W_e = a·k·U*/φ_h(h·Λ), φ_h = 1 + 5·h·Λ for Λ ≥ 0, Λ = (u*²/L + C_μ·g·(ρ − ρ_a)/ρ)/U*²,
    /// with the ambient inverse Monin–Obukhov length 1/L of the stability class and roughness
    /// ([`inverse_obukhov_length_per_m`]). qra takes it as is in the stable classes (E, F),
    /// where the Briggs σ_z curves (open country, z₀ ≈ 0.1 m) grow a cloud over smooth ground far
    /// deeper than the stratified surface layer lets it: on SLAB's own Desert Tortoise example
    /// (`validation/cases/crosstool-slab-examples`) the Briggs class-E far field was 0.57× SLAB at
    /// 2 km. In D the passive part is the sigma-curve slope capped at a·k·u* (a young cloud a metre
    /// deep sits below the curves' fitting range); in A–C it is the sigma-curve slope alone
    /// (SLAB's unstable φ_h only raises it). Both keep the passive far field on the Gaussian plume
    /// in A–D; in E and F the far field is SLAB's stratified surface layer instead.
    pub(crate) fn top_entrainment_m_s(
        &self,
        l: &Local,
        mix: &Mix,
        slope: impl FnOnce() -> f64,
        u_m_s: f64,
    ) -> f64 {
        use super::Stability::{A, B, C, D};
        let a_k_us = ENTRAIN_A * VON_KARMAN * self.u_star;
        let dens = PHI_STABLE * C_MU * mix.ri;
        let (w_p, phi) = match self.amb.atmosphere.stability {
            A | B | C => (u_m_s * slope(), 1.0 + dens),
            D => ((u_m_s * slope()).min(a_k_us), 1.0 + dens),
            _ => (
                a_k_us,
                1.0 + dens + PHI_STABLE * l.h * self.inv_l_per_m * self.u_star.powi(2) / mix.us2,
            ),
        };
        w_p * (mix.us2.sqrt() / self.u_star) / phi
    }

    /// Virtual distance where `sigma(x)` = `target`, and dσ/dx there.
    ///
    /// The inversion starts from the tabulated curve ([`SigmaTable`]: linear in ln σ–ln x
    /// between nodes 1/32 decade apart, error ≲ 2·10⁻⁴ in x) and refines it by a safeguarded
    /// secant iteration on the exact curve (typically 2–3 evaluations), to a relative error
    /// below 10⁻⁷ in x_v (unit test `virtual_distance_inverts_the_sigma_curves`); the slope is
    /// the central difference of the exact curve at x_v. (Until 2026-12-05 a 40-step bisection did this:
    /// ~45 evaluations of the sigma curves per call, about half the cost of a SLAB run.)
    fn virtual_slope(&self, target: f64, which: usize) -> f64 {
        let a = &self.amb.atmosphere;
        let f = self.sigma_table.factor[which];
        let sig = |x: f64| {
            let s = sigmas(x, a.stability, a.terrain, a.scheme);
            f * if which == 0 { s.0 } else { s.1 }
        };
        let x_v = self.sigma_table.invert(which, target, sig);
        let d = 1e-4;
        (sig(x_v * (1.0 + d)) - sig(x_v * (1.0 - d))) / (2.0 * d * x_v)
    }

    /// In-cloud friction velocity U*² (Eq 35e), heat-transfer velocity V_H (Eq 39), Ri*
    /// (Eq 35d), depth-averaged wind ū (Eq 4c) and density-weighted slip ΔU at a state.
    fn mixing(&self, l: &Local) -> Mix {
        let rho_a = self.rho_a;
        let u_bar = self.amb.depth_averaged_wind_m_s(l.h);
        let c_f = self.u_star / u_bar;
        let du = (rho_a / l.rho) * (u_bar - l.u);
        let ground2 = (c_f * l.u).powi(2) + (c_f * 0.5 * l.vg).powi(2);
        let v_h = c_f * ground2.sqrt();
        let top2 = CF_TOP * (du * du + ((rho_a / l.rho) * 0.5 * l.vg).powi(2));
        let tg = self.amb.ground_temperature_k;
        let ut2 = if tg > l.t_k {
            let t_mean = 0.5 * (tg + l.t_k);
            (C_THERMAL * GRAVITY_M_S2 * (tg - l.t_k) * v_h * l.h / t_mean).powf(2.0 / 3.0)
        } else {
            0.0
        };
        let us2 = (ground2 + top2 + ut2).max(1e-12);
        let ri = (GRAVITY_M_S2 * (l.rho - rho_a) * l.h / (l.rho * us2)).max(0.0);
        Mix {
            us2,
            v_h,
            ri,
            u_bar,
            c_f,
            du,
        }
    }

    fn rhs(&self, x: f64, y: &[f64; N]) -> [f64; N] {
        let l = self.local(x, y);
        let mix = self.mixing(&l);
        let Mix {
            v_h,
            u_bar,
            c_f,
            du,
            ..
        } = mix;
        let rho_a = self.rho_a;
        // Passive (sigma-curve) parts at the virtual distances.
        let beta = beta_of(y[B_], y[BC_]);
        let sz_equiv = l.h * l.u / (SQRT3 * self.u_g);
        let v_p = l.u * self.virtual_slope(beta, 0);
        let w_e = self.top_entrainment_m_s(&l, &mix, || self.virtual_slope(sz_equiv, 1), self.u_g);
        let v_e = v_p.hypot(CF_TOP.sqrt() * ENTRAIN_A * VON_KARMAN * du);
        let q = self.q_src(x);
        let d_air = rho_a * SQRT3 * (v_e * l.h + w_e * l.b_half);
        let d_r = d_air + q;
        let d_b = (SQRT3 * (rho_a / l.rho) * v_e + l.vg) / l.u;
        let d_bc = l.vg * y[BC_] / (l.u * l.b_half);
        let drive = (ALPHA_GV * GRAVITY_M_S2 * (l.rho - rho_a) * l.h * l.h).max(0.0);
        let d_g = drive
            - l.rho * l.b_half * (c_f * c_f + CF_TOP * (rho_a / l.rho).powi(2)) * l.vg * l.vg / 4.0;
        let f_u = -l.rho
            * (l.b_half * ((c_f * l.u).powi(2) - self.u_star.powi(2))
                - (l.b_half + l.h) * CF_TOP * du.abs() * du);
        let d_p = u_bar * d_air + f_u;
        let f_t = l.rho * l.b_half * v_h * l.cp * (self.amb.ground_temperature_k - l.t_k);
        let d_h = self.h_src * q + f_t;
        [d_r, d_b, d_bc, d_g, d_p, d_h]
    }

    fn point(&self, x: f64, y: &[f64; N]) -> SlabPoint {
        let l = self.local(x, y);
        let ri = self.mixing(&l).ri;
        SlabPoint {
            x_m: x,
            half_width_m: l.b_half,
            core_half_width_m: y[BC_].max(0.0),
            height_m: l.h,
            speed_m_s: l.u,
            density_kg_m3: l.rho,
            temperature_k: l.t_k,
            mass_fraction: l.m,
            liquid_fraction: l.xl,
            gravity_velocity_m_s: l.vg,
            richardson: ri,
            mass_flow_kg_s: y[R_],
            substance_flow_kg_s: self.species_flow(x),
            enthalpy_flux_w: y[H_],
        }
    }
}

/// Ambient inverse Monin–Obukhov length 1/L, 1/m, of a Pasquill class over roughness z₀ (m):
/// SLAB's relation between its stability-class value and 1/L (`SLAB.FOR`, "calculate stability
/// parameters", read 2026-12-05; after Golder 1972, *Boundary-Layer Meteorol.* 3:47, Fig. 4,
/// as fitted in SLAB — the fit, not Golder's figure, was checked): with s = class − D (E = 1,
/// F = 2, C = −1, B = −2, A = −3), λ₁ = 0.0081/z₀^0.3044, λ₂ = 0.0385/z₀^0.1715 and
/// λ₃ = 0.0875/z₀^0.1028 for z₀ > 0.0111 m, else λ₂ = λ₁ + 0.0137/z₀^0.1715 + 0.0218 and
/// λ₃ = λ₂ + 0.0557; |1/L| = λ₁·|s|^{n₂} for |s| < 2 and λ₁·|s|^{n} for 2 ≤ |s| < 3.5, with
/// n₂ = log₂(λ₂/λ₁), n₃ = ln(λ₃/λ₁)/ln 3, nᵢ = 2n₃ − n₂, n = nᵢ + (n₂ − nᵢ)/(1 + (|s| − 2)²);
/// the sign of s. Checked against SLAB's own listing: z₀ = 0.003 m, 1/L = 0.0221 m⁻¹ printed
/// as class value 4.52 (`slab_tests.rs`). Only the stable branch (E, F) is used by the model.
pub(crate) fn inverse_obukhov_length_per_m(stability: super::Stability, z0_m: f64) -> f64 {
    use super::Stability::{A, B, C, D, E, F};
    let s = match stability {
        A => -3.0,
        B => -2.0,
        C => -1.0,
        D => 0.0,
        E => 1.0,
        F => 2.0,
    };
    inverse_obukhov_length_at(s, z0_m)
}

/// [`inverse_obukhov_length_per_m`] at a fractional class offset s = class − D (|s| ≤ 3.5).
pub(crate) fn inverse_obukhov_length_at(s: f64, z0_m: f64) -> f64 {
    let z0 = z0_m.max(1e-6);
    let l1 = 0.0081 / z0.powf(0.3044);
    let (l2, l3) = if z0 > 0.0111 {
        (0.0385 / z0.powf(0.1715), 0.0875 / z0.powf(0.1028))
    } else {
        let l2 = l1 + 0.0137 / z0.powf(0.1715) + 0.0218;
        (l2, l2 + 0.0557)
    };
    let n2 = (l2 / l1).log2();
    let n3 = (l3 / l1).ln() / 3f64.ln();
    let ni = 2.0 * n3 - n2;
    let a = s.abs().min(3.5);
    let mag = if a < 2.0 {
        l1 * a.powf(n2)
    } else {
        l1 * a.powf(ni + (n2 - ni) / (1.0 + (a - 2.0).powi(2)))
    };
    if s == 0.0 {
        0.0
    } else {
        mag.copysign(s)
    }
}

/// β = √((B² − b²)/3), m.
fn beta_of(b_half: f64, core: f64) -> f64 {
    ((b_half * b_half - core * core).max(0.0) / 3.0).sqrt()
}

/// Largest real root of U³ − U_e·U² + U_g³ = 0 (Eq 4b/4e \[S\]); 2U_e/3 (the double root at
/// the limit U_g³ = 4U_e³/27, Eq 4d) where there is none; U_e where U_g³ ≤ 0.
fn cloud_speed(u_e: f64, ug3: f64) -> f64 {
    if ug3 <= 0.0 || u_e <= 0.0 {
        return u_e.max(1e-3);
    }
    let lim = 4.0 / 27.0 * u_e.powi(3);
    if ug3 >= lim {
        return 2.0 * u_e / 3.0;
    }
    // Substituting U = U_e/3 + s gives a depressed cubic with three real roots.
    let half = 0.5 * lim;
    let phi = (-(ug3 - half) / half).clamp(-1.0, 1.0).acos();
    (u_e + 2.0 * u_e * (phi / 3.0).cos()) / 3.0
}

/// ∫ erf: I(z) = z·erf(z) + exp(−z²)/√π.
fn int_erf(z: f64) -> f64 {
    z * erf(z) + (-z * z).exp() / std::f64::consts::PI.sqrt()
}

/// Peak of the time average over `t_av` of a cloud of duration `t_d` whose along-wind edges are
/// Gaussian in time with spread `sigma_t` (both s): the fraction of the steady-plume
/// concentration seen by a window centred on the cloud,
/// (1/t_av)·∫_{−t_av/2}^{t_av/2} ½[erf((s + T_d/2)/(√2σ_t)) − erf((s − T_d/2)/(√2σ_t))] ds.
/// Limits: 1 for T_d → ∞; erf(T_d/(2√2σ_t)) for t_av → 0; T_d/t_av when t_av ≫ T_d, σ_t.
pub fn finite_duration_factor(t_d: f64, t_av: f64, sigma_t: f64) -> f64 {
    if !t_d.is_finite() {
        return 1.0;
    }
    let s = SQRT2 * sigma_t.max(1e-9);
    if t_av <= 1e-9 {
        return erf(t_d / (2.0 * s));
    }
    let a = -0.5 * t_av;
    let b = 0.5 * t_av;
    let c = 0.5 * t_d;
    let part = |c: f64| s * (int_erf((b + c) / s) - int_erf((a + c) / s));
    (0.5 * (part(c) - part(-c)) / t_av).clamp(0.0, 1.0)
}

/// One crosswind column of a [`SlabPlume`] (see [`SlabPlume::column`]):
/// C(y) = a·[erf((|y| + b)/s) − erf((|y| − b)/s)], a = ρ·m·(B/2b)·f_z(z)·f_T, s = √2·β_c.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlabColumn {
    /// a, kg/m³.
    scale_kg_m3: f64,
    /// Core half-width b, m.
    core_m: f64,
    /// √2·β_c, m.
    spread_m: f64,
}

impl SlabColumn {
    fn steady(plume: &SlabPlume, p: &SlabPoint, z_m: f64, duration_factor: f64) -> Self {
        let beta_c = plume.meander_beta(p).max(1e-9);
        let core = p.core_half_width_m.max(1e-3 * beta_c);
        let sigma = p.height_m / SQRT3;
        let fz = 2.0 * p.height_m / ((2.0 * std::f64::consts::PI).sqrt() * sigma)
            * (-z_m * z_m / (2.0 * sigma * sigma)).exp();
        SlabColumn {
            scale_kg_m3: p.mean_concentration_kg_m3() * p.half_width_m / (2.0 * core)
                * fz
                * duration_factor,
            core_m: core,
            spread_m: SQRT2 * beta_c,
        }
    }

    /// Concentration at crosswind distance `y_m`, kg/m³ (0 for NaN or where not finite).
    pub fn concentration_kg_m3(&self, y_m: f64) -> f64 {
        self.concentration_with(y_m, erf)
    }

    /// a·[erf((|y| + b)/s) − erf((|y| − b)/s)] with the given erf (0 where not finite).
    #[inline]
    fn concentration_with(&self, y_m: f64, erf: impl Fn(f64) -> f64) -> f64 {
        let y = y_m.abs();
        let c = self.scale_kg_m3
            * (erf((y + self.core_m) / self.spread_m) - erf((y - self.core_m) / self.spread_m));
        if c.is_finite() {
            c
        } else {
            0.0
        }
    }

    /// [`SlabColumn::concentration_kg_m3`] with erf from a table
    /// ([`crate::vulnerability::erf_tabulated`]): the difference of the two erf values is off
    /// by at most 2.4·10⁻¹¹ (absolute), so C by at most 2.4·10⁻¹¹·a — for the footprint rasters
    /// and iso-lines, whose own resolution is far coarser.
    pub fn concentration_tabulated_kg_m3(&self, y_m: f64) -> f64 {
        self.concentration_with(y_m, crate::vulnerability::erf_tabulated)
    }

    /// Crosswind half-width of the iso-line `c_kg_m3`, m: the y ≥ 0 where
    /// [`SlabColumn::concentration_tabulated_kg_m3`] falls to `c_kg_m3` (0 when the axis is not
    /// above it). The profile a·[erf((y + b)/s) − erf((y − b)/s)] decreases in y ≥ 0 with derivative
    /// a·(2/√π)/s·[exp(−((y + b)/s)²) − exp(−((y − b)/s)²)], so Newton's iteration from the
    /// Gaussian-tail estimate y₀ = b + s·√ln(2a/c) converges in a few steps; every step keeps
    /// a bracket [lo, hi] (C(lo) ≥ c > C(hi)) and falls back to bisection (or doubling, before
    /// hi is known) when a step would leave it. Stops when the bracket or the step is below
    /// 10⁻⁹·max(1 m, y) (issue 14: the 60-halving bisection of the iso-line cost ~13 % of a
    /// park study's CPU time).
    pub fn half_width_m(&self, c_kg_m3: f64) -> f64 {
        let conc = |y: f64| self.concentration_tabulated_kg_m3(y);
        if conc(0.0).partial_cmp(&c_kg_m3) != Some(std::cmp::Ordering::Greater) {
            return 0.0;
        }
        let (a, b, s) = (self.scale_kg_m3, self.core_m, self.spread_m);
        let slope = |y: f64| {
            let (u, v) = ((y + b) / s, (y - b) / s);
            a * std::f64::consts::FRAC_2_SQRT_PI / s * ((-u * u).exp() - (-v * v).exp())
        };
        let (mut lo, mut hi) = (0.0f64, f64::INFINITY);
        let ln = (2.0 * a / c_kg_m3).ln();
        let mut y = b + s * ln.max(0.0).sqrt();
        for _ in 0..200 {
            let f = conc(y) - c_kg_m3;
            if f >= 0.0 {
                lo = lo.max(y);
            } else {
                hi = hi.min(y);
            }
            let tol = 1e-9 * y.max(1.0);
            if hi - lo <= tol {
                break;
            }
            let d = slope(y);
            let next = y - f / d;
            if d < 0.0 && next > lo && next < hi && next.is_finite() {
                if (next - y).abs() <= tol {
                    y = next;
                    break;
                }
                y = next;
            } else if hi.is_finite() {
                y = 0.5 * (lo + hi);
            } else {
                y = 2.0 * y.max(lo).max(1.0);
            }
            if y > 50_000.0 && hi.is_infinite() {
                return 50_000.0;
            }
        }
        y
    }
}

impl SlabPlume {
    /// Integrates the cloud of `source` from its upwind edge to 20 km.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for out-of-range source values; [`QraError::NotImplemented`]
    /// for vertical jets and instantaneous sources; [`QraError::Numerical`] if the integration
    /// fails.
    pub fn new(substance: SlabSubstance, ambient: SlabAmbient, source: SlabSource) -> Result<Self> {
        SlabPlume::new_until(substance, ambient, source, None)
    }

    /// [`SlabPlume::new`], ending the integration early where the cloud can no longer reach
    /// `stop_below_kg_m3` anywhere downwind (`None`: to 20 km): at the first output point
    /// beyond the source region, free of liquid, whose cloud-average concentration ρ·m has
    /// fallen (from the previous point) below a tenth of the level. There the concentration
    /// of the profile is at most 1.92 times the average — √(6/π) ≈ 1.38 for the vertical
    /// Gaussian profile at the ground, 2·erf(b/(√2·β))·B/(2b) ≤ √(6/π) across (B² = b² + 3β²)
    /// — so below a fifth of the level, and downwind of it the average only falls (no source,
    /// no evaporative cooling: entrainment dilutes and warms the cloud). Concentrations
    /// beyond the last point are 0 (as beyond 20 km), which is below the level, and every
    /// point before it is the same as the full integration's, bit for bit (issue 14: a flash
    /// fire's LFL envelope ends within ~1 km, the integration went on to 20 km).
    ///
    /// # Errors
    /// As [`SlabPlume::new`].
    pub fn new_until(
        substance: SlabSubstance,
        ambient: SlabAmbient,
        source: SlabSource,
        stop_below_kg_m3: Option<f64>,
    ) -> Result<Self> {
        let rho_a = ambient.air_density_kg_m3();
        let u_star = ambient.friction_velocity_m_s();
        let u_g = ambient.atmosphere.transport_speed(0.0);
        let mut setup = Setup {
            sub: substance,
            amb: ambient,
            rho_a,
            u_star,
            inv_l_per_m: ambient.inverse_obukhov_length_per_m,
            u_g,
            pool: None,
            q_half: 0.0,
            h_src: 0.0,
            sigma_table: SigmaTable::new(&ambient.atmosphere),
        };
        let (x0, y0, x_src_end) =
            match source {
                SlabSource::EvaporatingPool {
                    rate_kg_s,
                    area_m2,
                    duration_s,
                } => {
                    check::in_range("rate_kg_s", rate_kg_s, 1e-6, 1e6)?;
                    check::in_range("area_m2", area_m2, 1e-2, 1e6)?;
                    check_duration(duration_s)?;
                    let bs = 0.5 * area_m2.sqrt();
                    // Vapour at its boiling point.
                    setup.h_src = 0.0;
                    setup.pool = Some((-bs, bs, 0.5 * rate_kg_s / (2.0 * bs)));
                    setup.q_half = 0.5 * rate_kg_s;
                    // Seed: a film of ambient air 1 mm deep moving at the 1 m wind (SLAB starts the
                    // pool cloud from ambient air of zero height).
                    let u0 = ambient.depth_averaged_wind_m_s(1e-3);
                    let h0 = 1e-3;
                    let r0 = rho_a * u0 * bs * h0;
                    let mut y = [0.0; N];
                    y[R_] = r0;
                    y[B_] = bs;
                    y[BC_] = bs;
                    y[P_] = r0 * u0;
                    (-bs, y, Some(bs))
                }
                SlabSource::HorizontalJet {
                    rate_kg_s,
                    exit_velocity_m_s,
                    temperature_k,
                    liquid_fraction,
                    duration_s,
                } => {
                    check::in_range("rate_kg_s", rate_kg_s, 1e-6, 1e6)?;
                    check::in_range("exit_velocity_m_s", exit_velocity_m_s, 0.1, 1000.0)?;
                    check::in_range("temperature_k", temperature_k, 20.0, 1000.0)?;
                    check::in_range("liquid_fraction", liquid_fraction, 0.0, 0.999)?;
                    check_duration(duration_s)?;
                    if liquid_fraction > 0.0 && temperature_k > substance.boiling_point_k + 1e-6 {
                        return Err(QraError::invalid(
                            "temperature_k",
                            temperature_k,
                            "a jet with liquid_fraction > 0 must be at or below the boiling point",
                        ));
                    }
                    setup.h_src = substance.enthalpy_j_kg(temperature_k, liquid_fraction);
                    let rho0 = setup.density(1.0, liquid_fraction, temperature_k);
                    let area = rate_kg_s / (rho0 * exit_velocity_m_s);
                    let b0 = (0.5 * area).sqrt();
                    let mut y = [0.0; N];
                    y[R_] = 0.5 * rate_kg_s;
                    y[B_] = b0;
                    y[BC_] = b0;
                    y[P_] = 0.5 * rate_kg_s * exit_velocity_m_s;
                    y[H_] = 0.5 * rate_kg_s * setup.h_src;
                    setup.q_half = 0.5 * rate_kg_s;
                    (0.0, y, None)
                }
                SlabSource::VerticalJet { .. } => {
                    return Err(QraError::not_yet(
                        "SLAB-class model: vertical jets and stacks (plume rise, lift-off)",
                    ))
                }
                SlabSource::Instantaneous { .. } => return Err(QraError::not_yet(
                    "SLAB-class steady plume of an instantaneous source: use slab::puff::SlabPuff",
                )),
            };
        let points = integrate(&setup, x0, y0, x_src_end, DEFAULT_X_MAX_M, stop_below_kg_m3)?;
        Ok(SlabPlume {
            substance,
            ambient,
            source,
            points,
        })
    }

    /// Release rate, kg/s.
    pub fn rate_kg_s(&self) -> f64 {
        match self.source {
            SlabSource::EvaporatingPool { rate_kg_s, .. }
            | SlabSource::HorizontalJet { rate_kg_s, .. }
            | SlabSource::VerticalJet { rate_kg_s, .. } => rate_kg_s,
            SlabSource::Instantaneous { .. } => 0.0,
        }
    }

    /// Release duration, s (`None` = continuous).
    pub fn duration_s(&self) -> Option<f64> {
        match self.source {
            SlabSource::EvaporatingPool { duration_s, .. }
            | SlabSource::HorizontalJet { duration_s, .. } => duration_s,
            _ => None,
        }
    }

    /// The cloud state at `x_m`, interpolated linearly in x between integration points; `None`
    /// upwind of the source or beyond the last point.
    pub fn state_at(&self, x_m: f64) -> Option<SlabPoint> {
        let p = &self.points;
        if x_m.is_nan() || x_m < p[0].x_m || x_m > p[p.len() - 1].x_m {
            return None;
        }
        let i = p.partition_point(|q| q.x_m <= x_m).clamp(1, p.len() - 1);
        let (a, b) = (&p[i - 1], &p[i]);
        let t = if b.x_m > a.x_m {
            (x_m - a.x_m) / (b.x_m - a.x_m)
        } else {
            0.0
        };
        let lerp = |u: f64, v: f64| u + t * (v - u);
        // Log-interpolation of the positive quantities that decay or grow like powers of x.
        let logl = |u: f64, v: f64| {
            if u > 0.0 && v > 0.0 {
                (u.ln() + t * (v.ln() - u.ln())).exp()
            } else {
                lerp(u, v)
            }
        };
        Some(SlabPoint {
            x_m,
            half_width_m: logl(a.half_width_m, b.half_width_m),
            core_half_width_m: logl(a.core_half_width_m, b.core_half_width_m),
            height_m: logl(a.height_m, b.height_m),
            speed_m_s: lerp(a.speed_m_s, b.speed_m_s),
            density_kg_m3: lerp(a.density_kg_m3, b.density_kg_m3),
            temperature_k: lerp(a.temperature_k, b.temperature_k),
            mass_fraction: logl(a.mass_fraction, b.mass_fraction),
            liquid_fraction: lerp(a.liquid_fraction, b.liquid_fraction),
            gravity_velocity_m_s: lerp(a.gravity_velocity_m_s, b.gravity_velocity_m_s),
            richardson: lerp(a.richardson, b.richardson),
            mass_flow_kg_s: logl(a.mass_flow_kg_s, b.mass_flow_kg_s),
            substance_flow_kg_s: lerp(a.substance_flow_kg_s, b.substance_flow_kg_s),
            enthalpy_flux_w: lerp(a.enthalpy_flux_w, b.enthalpy_flux_w),
        })
    }

    /// Effective β_c (m) with meander for the output averaging time (Eq 50b, 52b \[S\]), and the
    /// passage time (s) of the cloud used to cap it.
    fn meander_beta(&self, p: &SlabPoint) -> f64 {
        let a = &self.ambient.atmosphere;
        let beta = beta_of(p.half_width_m, p.core_half_width_m);
        let t_pass = self.duration_s().unwrap_or(f64::INFINITY);
        let t_m = a.averaging_time_s.min(t_pass).max(INSTANT_AVERAGING_S);
        let sy = sigmas(p.x_m.max(X_VIRTUAL_MIN_M), a.stability, a.terrain, a.scheme).0;
        let f_m = super::averaging_time_factor(t_m);
        let f_0 = super::averaging_time_factor(INSTANT_AVERAGING_S);
        (beta * beta + sy * sy * (f_m * f_m - f_0 * f_0)).sqrt()
    }

    /// Steady-plume concentration (before the finite-duration factor), kg/m³.
    fn steady_concentration(&self, p: &SlabPoint, y_m: f64, z_m: f64) -> f64 {
        SlabColumn::steady(self, p, z_m, 1.0).concentration_kg_m3(y_m)
    }

    /// The crosswind profile at `x_m` and height `z_m` with everything that depends on x alone
    /// evaluated once (cloud state, meander, vertical profile, finite-duration factor): the
    /// concentration at any y is then [`SlabColumn::concentration_kg_m3`], equal to
    /// [`SlabPlume::concentration_kg_m3`] at (x, y, z) — the footprint rasters evaluate a column
    /// of receptors at a time (issue 14). `None` where the plume is 0 for every y (upwind of the
    /// source, beyond the integrated range, below ground).
    pub fn column(&self, x_m: f64, z_m: f64) -> Option<SlabColumn> {
        if z_m.is_nan() || z_m < 0.0 {
            return None;
        }
        let p = self.state_at(x_m)?;
        let f = match self.duration_s() {
            None => 1.0,
            Some(t_d) => finite_duration_factor(
                t_d,
                self.ambient.atmosphere.averaging_time_s,
                Self::passage_spread(&self.ambient, &p),
            ),
        };
        Some(SlabColumn::steady(self, &p, z_m, f))
    }

    /// The along-wind spread of the cloud's passage at `x_m`, s: σ_t = σ_x/u with σ_x the
    /// σ_y of the sigma curves and u the cloud speed there — the spread of
    /// [`finite_duration_factor`] in [`SlabPlume::column`]; `None` where the plume is not
    /// defined (upwind of the source, beyond the integrated range).
    pub fn passage_spread_s(&self, x_m: f64) -> Option<f64> {
        Some(Self::passage_spread(&self.ambient, &self.state_at(x_m)?))
    }

    fn passage_spread(ambient: &SlabAmbient, p: &SlabPoint) -> f64 {
        ambient.atmosphere.sigmas(p.x_m.max(X_VIRTUAL_MIN_M)).0 / p.speed_m_s
    }

    /// Time-averaged concentration of the released substance, kg/m³, at (x, y, z): the steady
    /// profile (module docs) times [`finite_duration_factor`] for the output averaging time
    /// `ambient.atmosphere.averaging_time_s`. 0 upwind of the source, below ground or beyond
    /// the integrated range; never NaN.
    pub fn concentration_kg_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if y_m.is_nan() {
            return 0.0;
        }
        self.column(x_m, z_m)
            .map_or(0.0, |c| c.concentration_kg_m3(y_m))
    }

    /// Time integral of the concentration at (x, y, z), kg·s/m³: C_plume·T_d for a finite
    /// release (exact for the erf-edged cloud), `None` for a continuous one.
    pub fn time_integrated_kg_s_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> Option<f64> {
        let t_d = self.duration_s()?;
        let p = self.state_at(x_m)?;
        if z_m.is_nan() || z_m < 0.0 || y_m.is_nan() {
            return Some(0.0);
        }
        Some(self.steady_concentration(&p, y_m, z_m) * t_d)
    }

    /// Vapour volume fraction of the released substance at (x, y, z) at the cloud's local
    /// temperature and the ambient pressure (Eq 12 \[S\], from the local vapour concentration).
    pub fn volume_fraction(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        let c = self.concentration_kg_m3(x_m, y_m, z_m);
        let Some(p) = self.state_at(x_m) else {
            return 0.0;
        };
        if c <= 0.0 {
            return 0.0;
        }
        // Local mass fraction at this point: scale the cloud-average one by c / c̄, and its
        // vapour part by the local liquid fraction.
        let cbar = p.mean_concentration_kg_m3();
        let m_loc = (p.mass_fraction * c / cbar).clamp(0.0, 1.0);
        let m_vap = m_loc * (1.0 - p.liquid_fraction);
        let n_s = m_vap / self.substance.molar_mass_kg_mol;
        let n_a = (1.0 - m_loc) / AIR_MOLAR_MASS_KG_MOL;
        if n_s + n_a <= 0.0 {
            0.0
        } else {
            n_s / (n_s + n_a)
        }
    }
}

impl SlabPlume {
    /// [`SlabPlume::concentration_kg_m3`] on arrays of receptors (validated: equal lengths,
    /// finite), kg/m³.
    pub fn concentrations(&self, x_m: &[f64], y_m: &[f64], z_m: &[f64]) -> Result<Vec<f64>> {
        super::gaussian::validate_points(x_m, y_m, z_m, None)?;
        Ok(super::gaussian::map_points(x_m.len(), |i| {
            self.concentration_kg_m3(x_m[i], y_m[i], z_m[i])
        }))
    }

    /// [`SlabPlume::volume_fraction`] on arrays of receptors (validated as above).
    pub fn volume_fractions(&self, x_m: &[f64], y_m: &[f64], z_m: &[f64]) -> Result<Vec<f64>> {
        super::gaussian::validate_points(x_m, y_m, z_m, None)?;
        Ok(super::gaussian::map_points(x_m.len(), |i| {
            self.volume_fraction(x_m[i], y_m[i], z_m[i])
        }))
    }

    /// The model re-integrated from its inputs (used to re-validate a deserialised plume, whose
    /// stored cloud is never trusted).
    ///
    /// # Errors
    /// As [`SlabPlume::new`], and out-of-range ambient values.
    pub fn rebuilt(&self) -> Result<SlabPlume> {
        let a = &self.ambient;
        let amb = SlabAmbient::new(a.atmosphere, a.temperature_k, a.pressure_pa, a.roughness_m)?
            .with_ground_temperature(a.ground_temperature_k)?
            .with_inverse_obukhov_length(a.inverse_obukhov_length_per_m)?;
        let s = &self.substance;
        let sub = SlabSubstance::new(
            s.molar_mass_kg_mol,
            s.vapour_cp_j_kg_k,
            s.liquid_cp_j_kg_k,
            s.boiling_point_k,
            s.latent_heat_j_kg,
            s.liquid_density_kg_m3,
        )?;
        SlabPlume::new(sub, amb, self.source)
    }
}

impl SteadyPlume for SlabPlume {
    fn concentration_at(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        self.concentration_kg_m3(x_m, y_m, z_m)
    }
}

fn check_duration(d: Option<f64>) -> Result<()> {
    if let Some(d) = d {
        check::in_range("duration_s", d, 1e-3, 1e7)?;
    }
    Ok(())
}

/// Step control of the SLAB-class integrations (plume and puff) in s = ln(distance): relative
/// and absolute tolerances 10⁻⁵ and 10⁻¹², steps as long as the error control allows (up to 1
/// in s), output points at most 0.05 apart in s from the dense output (DOPRI5's continuous
/// extension), `h_init` the first trial step.
fn slab_ode_options(h_init: f64) -> OdeOptions {
    OdeOptions {
        rtol: 1e-5,
        atol: 1e-12,
        h_init,
        h_max: 1.0,
        out_max: 0.05,
        max_steps: 200_000,
    }
}

/// Integrates the ODEs from `x0` (through the source region up to `x_src_end`, where the pool
/// source term stops) to `x_max`. Independent variable s = ln(x − x0 + 1 m), so that steps grow
/// in proportion to the distance travelled.
fn integrate(
    setup: &Setup,
    x0: f64,
    y0: [f64; N],
    x_src_end: Option<f64>,
    x_max: f64,
    stop_below_kg_m3: Option<f64>,
) -> Result<Vec<SlabPoint>> {
    let to_x = |s: f64| x0 - 1.0 + s.exp();
    let to_s = |x: f64| (x - x0 + 1.0).ln();
    let f = |s: f64, y: &[f64; N]| {
        let x = to_x(s);
        let d = setup.rhs(x, y);
        let j = x - x0 + 1.0;
        let mut out = [0.0; N];
        for i in 0..N {
            out[i] = d[i] * j;
        }
        out
    };
    let mut points = Vec::with_capacity(256);
    let mut observe_point = |p: SlabPoint| {
        points.push(p);
        OdeControl::Continue
    };
    let opts = slab_ode_options(1e-3);
    let mut s = to_s(x0);
    let mut y = y0;
    if let Some(xe) = x_src_end {
        let (s1, y1) = dormand_prince(f, s, y, to_s(xe), &opts, |s, y| {
            observe_point(setup.point(to_x(s), y))
        })?;
        s = s1;
        y = y1;
    }
    // The stop rule of [`SlabPlume::new_until`]: the average below a tenth of the level and
    // falling, no liquid, beyond the source region (the second phase).
    let mut previous_mean = f64::INFINITY;
    let (_, _) = dormand_prince(f, s, y, to_s(x_max), &opts, |s, y| {
        // Skip the duplicate of the first point of the second phase.
        if x_src_end.is_some() && (to_x(s) - to_x(to_s(x_src_end.unwrap_or(0.0)))).abs() < 1e-12 {
            return OdeControl::Continue;
        }
        let p = setup.point(to_x(s), y);
        let (mean, liquid) = (p.mean_concentration_kg_m3(), p.liquid_fraction);
        let go = observe_point(p);
        if let Some(level) = stop_below_kg_m3 {
            let below = mean < 0.1 * level && mean < previous_mean && liquid <= 0.0;
            previous_mean = mean;
            if below {
                return OdeControl::Stop;
            }
        }
        go
    })?;
    points.dedup_by(|b, a| b.x_m <= a.x_m);
    Ok(points)
}

#[path = "slab_puff.rs"]
pub mod puff;

#[cfg(test)]
#[path = "slab_tests.rs"]
mod tests;
