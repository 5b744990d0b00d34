//! Transient puff of the SLAB-class model: an instantaneous release solved as ODEs in time.
//!
//! # Equations
//! The puff counterpart of the steady plume of the parent module (SLAB's transient puff mode,
//! Ermak 1990, §2 "puff" forms of the conservation equations, Eq 1b–9b as quoted by slabx
//! \[S\]; qra's own formulation with the deviations listed in the parent module). The cloud is a
//! grounded box of half-length B_x (along wind), half-width B_y and height h, centre at x_c(t),
//! total mass M (kg). State in t (s), whole cloud:
//! * mass: dM/dt = 4·ρ_a·√3·(h·B_x·V_e + h·B_y·V_ex + B_x·B_y·W_e)
//! * half-width and half-length (Eq 7 forms): dB_y/dt = √3·(ρ_a/ρ)·V_e + V_g,
//!   dB_x/dt = √3·(ρ_a/ρ)·V_ex + U_g
//! * flat cores (Eq 8 forms): db_y/dt = V_g·b_y/B_y, db_x/dt = U_g·b_x/B_x
//! * gravity-flow momenta of the half cloud (Eq 5b, 6b forms with the friction of Eq 38):
//!   d(M·V_g/2)/dt = α_gv·g·(ρ − ρ_a)·h²·2B_x − ρ·2B_x·B_y·(c_f² + C_f(ρ_a/ρ)²)·V_g²/4,
//!   and the same along wind with B_x ↔ B_y, U_g
//! * downwind momentum (Eq 4b form): d(M·U)/dt = ū·dM/dt − 4ρ·B_x·B_y·((c_f·U)² − u*²)
//!   + 2ρ·(B_x + h)·2B_y·C_f·|ΔU|·ΔU/2, ΔU = (ρ_a/ρ)(ū − U)
//! * energy (Eq 3b form): dH/dt = 4ρ·B_x·B_y·V_H·c_p·(T_g − T)
//! * position: dx_c/dt = U.
//!
//! h = M/(4ρ·B_x·B_y); temperature, liquid fraction and density from the mixture enthalpy as in
//! the plume. The passive (ambient-turbulence) entrainment is again taken from the sigma curves
//! at the virtual travel distances, per distance travelled: V_e = U·dσ_y/dx, V_ex = U·dσ_x/dx
//! (σ_x = σ_y, as [`super::super::GaussianPuff`]), W_e = U·dσ_z/dx/φ·(U*/u*), so that a
//! neutrally buoyant puff
//! far from its source has B_x = √3σ_x, B_y = √3σ_y, h = √3σ_z and its centre concentration is
//! the reflected Gaussian puff 2M/((2π)^{3/2}σ_xσ_yσ_z) (unit test).
//!
//! # Concentration (Eq 28 form)
//! C(x, y, z, t) = M·m_s/(4B_xB_yh)·F_x(x − x_c)·F_y(y)·F_z(z) with the erf/Gaussian shape
//! functions of the plume (each integrating to 2B_x, 2B_y, h), m_s = M_s/M.
//!
//! # Outputs at a receptor
//! Peak (the puff centre passing: the state when x_c = x), time-averaged peak over the study's
//! averaging time (the along-wind profile seen as a time signal through a centred window, closed
//! form [`super::finite_duration_factor`]) and dose ∫C dt = C̄·2B_x/U·F_y·F_z (slender-puff
//! limit: the cloud passes at speed U without changing while it passes).
//!
//! # Validity
//! As the plume; the box starts at the source moving with the wind averaged over its depth.
//! Times up to the arrival at 20 km.

use serde::{Deserialize, Serialize};
use statrs::function::erf::erf;

use super::{
    beta_of, finite_duration_factor, Local, Setup, SlabAmbient, SlabSource, SlabSubstance,
    ALPHA_GV, CF_TOP, ENTRAIN_A, INSTANT_AVERAGING_S, SQRT2, SQRT3, VON_KARMAN, X_VIRTUAL_MIN_M,
};
use crate::constants::GRAVITY_M_S2;
use crate::dispersion::sigmas;
use crate::error::{check, QraError, Result};
use crate::numerics::{dormand_prince, OdeControl};

/// One point of the puff's history.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PuffPoint {
    /// Time since the release, s.
    pub t_s: f64,
    /// Position of the cloud centre, m.
    pub x_m: f64,
    /// Along-wind half-length B_x, m.
    pub half_length_m: f64,
    /// Along-wind flat-core half-length b_x, m.
    pub core_half_length_m: f64,
    /// Crosswind half-width B_y, m.
    pub half_width_m: f64,
    /// Crosswind flat-core half-width b_y, m.
    pub core_half_width_m: f64,
    /// Height h, m.
    pub height_m: f64,
    /// Cloud speed U, m/s.
    pub speed_m_s: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Temperature, K.
    pub temperature_k: f64,
    /// Mass fraction of the released substance.
    pub mass_fraction: f64,
    /// Liquid fraction of the released substance.
    pub liquid_fraction: f64,
    /// Ri* of the cloud.
    pub richardson: f64,
    /// Total cloud mass, kg.
    pub cloud_mass_kg: f64,
}

impl PuffPoint {
    /// Cloud-average concentration of the released substance, kg/m³.
    pub fn mean_concentration_kg_m3(&self) -> f64 {
        self.density_kg_m3 * self.mass_fraction
    }
}

/// Instantaneous release of the SLAB-class model (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlabPuff {
    /// Released substance.
    pub substance: SlabSubstance,
    /// Ambient.
    pub ambient: SlabAmbient,
    /// Released (airborne) mass, kg.
    pub mass_kg: f64,
    /// History of the cloud, increasing t (and x).
    pub points: Vec<PuffPoint>,
}

const M_: usize = 0;
const BX_: usize = 1;
const BY_: usize = 2;
const CX_: usize = 3;
const CY_: usize = 4;
const GX_: usize = 5;
const GY_: usize = 6;
const P_: usize = 7;
const H_: usize = 8;
const X_: usize = 9;
const N: usize = 10;

struct PuffSetup {
    s: Setup,
    ms: f64,
}

impl PuffSetup {
    /// (Local state, U_g along wind, V_g crosswind).
    fn local(&self, y: &[f64; N]) -> (Local, f64, f64) {
        let m_tot = y[M_].max(1e-300);
        let m = (self.ms / m_tot).clamp(0.0, 1.0);
        let (t_k, xl) = self.s.temperature(m, y[H_] / m_tot);
        let rho = self.s.density(m, xl, t_k);
        let cp = (1.0 - m) * crate::constants::AIR_CP_J_KG_K
            + m * ((1.0 - xl) * self.s.sub.vapour_cp_j_kg_k + xl * self.s.sub.liquid_cp_j_kg_k);
        let (bx, by) = (y[BX_].max(1e-9), y[BY_].max(1e-9));
        let h = m_tot / (4.0 * rho * bx * by);
        let u = (y[P_] / m_tot).max(0.0);
        let ug = (2.0 * y[GX_] / m_tot).max(0.0);
        let vg = (2.0 * y[GY_] / m_tot).max(0.0);
        let l = Local {
            m,
            t_k,
            xl,
            rho,
            cp,
            u,
            h,
            b_half: by,
            vg: vg.hypot(ug),
        };
        (l, ug, vg)
    }

    fn rhs(&self, y: &[f64; N]) -> [f64; N] {
        let (l, ug, vg) = self.local(y);
        let mix = self.s.mixing(&l);
        let rho_a = self.s.rho_a;
        let (bx, by, h) = (y[BX_].max(1e-9), y[BY_].max(1e-9), l.h);
        let beta_y = beta_of(by, y[CY_]);
        let beta_x = beta_of(bx, y[CX_]);
        let shear = CF_TOP.sqrt() * ENTRAIN_A * VON_KARMAN * mix.du;
        // Passive growth per distance travelled by the cloud (U·dσ/dx), so that the passive
        // puff at x has the σ's of x whatever its speed history.
        let u = l.u;
        let v_e = (u * self.s.virtual_slope(beta_y, 0)).hypot(shear);
        let v_ex = u * self.s.virtual_slope(beta_x, 0);
        let w_e = self
            .s
            .top_entrainment_m_s(&l, &mix, || self.s.virtual_slope(h / SQRT3, 1), u);
        let d_m = 4.0 * rho_a * SQRT3 * (h * bx * v_e + h * by * v_ex + bx * by * w_e);
        let d_by = SQRT3 * (rho_a / l.rho) * v_e + vg;
        let d_bx = SQRT3 * (rho_a / l.rho) * v_ex + ug;
        let d_cy = vg * y[CY_] / by;
        let d_cx = ug * y[CX_] / bx;
        let drive = (ALPHA_GV * GRAVITY_M_S2 * (l.rho - rho_a) * h * h).max(0.0);
        let fric = l.rho * (mix.c_f * mix.c_f + CF_TOP * (rho_a / l.rho).powi(2)) / 4.0;
        let d_gy = drive * 2.0 * bx - fric * 2.0 * bx * by * vg * vg;
        let d_gx = drive * 2.0 * by - fric * 2.0 * bx * by * ug * ug;
        let f_u = -l.rho
            * (4.0 * bx * by * ((mix.c_f * l.u).powi(2) - self.s.u_star.powi(2))
                - 2.0 * (bx + h) * 2.0 * by * CF_TOP * mix.du.abs() * mix.du / 2.0);
        let d_p = mix.u_bar * d_m + f_u;
        let d_h =
            4.0 * l.rho * bx * by * mix.v_h * l.cp * (self.s.amb.ground_temperature_k - l.t_k);
        [d_m, d_bx, d_by, d_cx, d_cy, d_gx, d_gy, d_p, d_h, l.u]
    }

    fn point(&self, t: f64, y: &[f64; N]) -> PuffPoint {
        let (l, _, _) = self.local(y);
        PuffPoint {
            t_s: t,
            x_m: y[X_],
            half_length_m: y[BX_],
            core_half_length_m: y[CX_].max(0.0),
            half_width_m: y[BY_],
            core_half_width_m: y[CY_].max(0.0),
            height_m: l.h,
            speed_m_s: l.u,
            density_kg_m3: l.rho,
            temperature_k: l.t_k,
            mass_fraction: l.m,
            liquid_fraction: l.xl,
            richardson: self.s.mixing(&l).ri,
            cloud_mass_kg: y[M_],
        }
    }
}

impl SlabPuff {
    /// Integrates the puff of `source` ([`SlabSource::Instantaneous`]) until its centre is 20 km
    /// downwind (or 10⁵ s have passed).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for other source kinds or out-of-range values;
    /// [`QraError::Numerical`] if the integration fails.
    pub fn new(substance: SlabSubstance, ambient: SlabAmbient, source: SlabSource) -> Result<Self> {
        let SlabSource::Instantaneous {
            mass_kg,
            temperature_k,
            liquid_fraction,
        } = source
        else {
            return Err(QraError::invalid(
                "source.kind",
                "not instantaneous",
                "SlabPuff needs an instantaneous source (use SlabPlume for the others)",
            ));
        };
        check::in_range("mass_kg", mass_kg, 1e-3, 1e9)?;
        check::in_range("temperature_k", temperature_k, 20.0, 1000.0)?;
        check::in_range("liquid_fraction", liquid_fraction, 0.0, 0.999)?;
        if liquid_fraction > 0.0 && temperature_k > substance.boiling_point_k + 1e-6 {
            return Err(QraError::invalid(
                "temperature_k",
                temperature_k,
                "a release with liquid_fraction > 0 must be at or below the boiling point",
            ));
        }
        let s = Setup {
            sub: substance,
            amb: ambient,
            rho_a: ambient.air_density_kg_m3(),
            u_star: ambient.friction_velocity_m_s(),
            inv_l_per_m: ambient.inverse_obukhov_length_per_m,
            u_g: ambient.atmosphere.transport_speed(0.0),
            pool: None,
            q_half: 0.0,
            h_src: substance.enthalpy_j_kg(temperature_k, liquid_fraction),
            sigma_table: super::SigmaTable::new(&ambient.atmosphere),
        };
        let rho0 = s.density(1.0, liquid_fraction, temperature_k);
        // Initial box: 2B × 2B × h with h = B (a cube-like cloud at rest at the source).
        let b0 = (mass_kg / (4.0 * rho0)).cbrt();
        let mut y0 = [0.0; N];
        y0[M_] = mass_kg;
        y0[BX_] = b0;
        y0[BY_] = b0;
        y0[CX_] = b0;
        y0[CY_] = b0;
        y0[H_] = mass_kg * s.h_src;
        // Released moving with the wind averaged over its depth (a cloud released at rest gains
        // it within a few cloud lengths by entraining ambient momentum; the Gaussian puff it
        // tends to is advected at u·t from t = 0).
        y0[P_] = mass_kg * ambient.depth_averaged_wind_m_s(b0);
        let ps = PuffSetup { s, ms: mass_kg };
        let t_off: f64 = 1.0;
        let f = |sv: f64, y: &[f64; N]| {
            let j = sv.exp();
            let d = ps.rhs(y);
            let mut out = [0.0; N];
            for i in 0..N {
                out[i] = d[i] * j;
            }
            out
        };
        let mut points = Vec::with_capacity(256);
        let opts = super::slab_ode_options(1e-4);
        dormand_prince(
            f,
            t_off.ln(),
            y0,
            (1e5 + t_off).ln(),
            &opts,
            |sv: f64, y: &[f64; N]| {
                points.push(ps.point(sv.exp() - t_off, y));
                if y[X_] > super::DEFAULT_X_MAX_M {
                    OdeControl::Stop
                } else {
                    OdeControl::Continue
                }
            },
        )?;
        Ok(SlabPuff {
            substance,
            ambient,
            mass_kg,
            points,
        })
    }

    /// The puff state when its centre is at `x_m` (interpolated in x); `None` before the first
    /// or after the last point.
    pub fn state_at(&self, x_m: f64) -> Option<PuffPoint> {
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
        let l = |u: f64, v: f64| u + t * (v - u);
        Some(PuffPoint {
            t_s: l(a.t_s, b.t_s),
            x_m,
            half_length_m: l(a.half_length_m, b.half_length_m),
            core_half_length_m: l(a.core_half_length_m, b.core_half_length_m),
            half_width_m: l(a.half_width_m, b.half_width_m),
            core_half_width_m: l(a.core_half_width_m, b.core_half_width_m),
            height_m: l(a.height_m, b.height_m),
            speed_m_s: l(a.speed_m_s, b.speed_m_s),
            density_kg_m3: l(a.density_kg_m3, b.density_kg_m3),
            temperature_k: l(a.temperature_k, b.temperature_k),
            mass_fraction: l(a.mass_fraction, b.mass_fraction),
            liquid_fraction: l(a.liquid_fraction, b.liquid_fraction),
            richardson: l(a.richardson, b.richardson),
            cloud_mass_kg: l(a.cloud_mass_kg, b.cloud_mass_kg),
        })
    }

    /// Crosswind and vertical shape factor F_y(y)·F_z(z) with meander for the output averaging
    /// time capped at the passage time 2B_x/U (Eq 50b, 52b \[S\]).
    fn fy_fz(&self, p: &PuffPoint, y_m: f64, z_m: f64) -> f64 {
        let a = &self.ambient.atmosphere;
        let beta = beta_of(p.half_width_m, p.core_half_width_m);
        let t_pass = 2.0 * p.half_length_m / p.speed_m_s.max(1e-6);
        let t_m = a.averaging_time_s.min(t_pass).max(INSTANT_AVERAGING_S);
        let sy = sigmas(p.x_m.max(X_VIRTUAL_MIN_M), a.stability, a.terrain, a.scheme).0;
        let f_m = crate::dispersion::averaging_time_factor(t_m);
        let f_0 = crate::dispersion::averaging_time_factor(INSTANT_AVERAGING_S);
        let beta_c = (beta * beta + sy * sy * (f_m * f_m - f_0 * f_0))
            .sqrt()
            .max(1e-9);
        let core = p.core_half_width_m.max(1e-3 * beta_c);
        let fy = p.half_width_m / (2.0 * core)
            * (erf((y_m.abs() + core) / (SQRT2 * beta_c))
                - erf((y_m.abs() - core) / (SQRT2 * beta_c)));
        let sigma = p.height_m / SQRT3;
        let fz = 2.0 * p.height_m / ((2.0 * std::f64::consts::PI).sqrt() * sigma)
            * (-z_m * z_m / (2.0 * sigma * sigma)).exp();
        fy * fz
    }

    /// Along-wind shape factor at the puff centre, F_x(0) = (B_x/b_x)·erf(b_x/(√2β_x)).
    fn fx0(p: &PuffPoint) -> f64 {
        let beta_x = beta_of(p.half_length_m, p.core_half_length_m).max(1e-9);
        let core = p.core_half_length_m.max(1e-3 * beta_x);
        p.half_length_m / core * erf(core / (SQRT2 * beta_x))
    }

    /// Highest instantaneous concentration at (x, y, z), kg/m³: the puff centre passing x.
    /// 0 upwind, below ground or beyond the integrated range; never NaN.
    pub fn peak_kg_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if y_m.is_nan() || z_m.is_nan() || z_m < 0.0 {
            return 0.0;
        }
        let Some(p) = self.state_at(x_m) else {
            return 0.0;
        };
        let c = p.mean_concentration_kg_m3() * Self::fx0(&p) * self.fy_fz(&p, y_m, z_m);
        if c.is_finite() {
            c
        } else {
            0.0
        }
    }

    /// Highest average over the output averaging time at (x, y, z), kg/m³ (window centred on the
    /// passing puff).
    pub fn time_averaged_peak_kg_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if y_m.is_nan() || z_m.is_nan() || z_m < 0.0 {
            return 0.0;
        }
        let Some(p) = self.state_at(x_m) else {
            return 0.0;
        };
        let u = p.speed_m_s.max(1e-6);
        let beta_x = beta_of(p.half_length_m, p.core_half_length_m).max(1e-9);
        let core = p.core_half_length_m.max(1e-3 * beta_x);
        let t_av = self.ambient.atmosphere.averaging_time_s;
        let fx = p.half_length_m / core * finite_duration_factor(2.0 * core / u, t_av, beta_x / u);
        let c = p.mean_concentration_kg_m3() * fx * self.fy_fz(&p, y_m, z_m);
        if c.is_finite() {
            c
        } else {
            0.0
        }
    }

    /// Dose ∫C dt at (x, y, z), kg·s/m³, in the slender-puff limit: C̄·2B_x/U·F_y·F_z. Valid
    /// where the receptor is outside the cloud as it slumps at the source (x beyond the
    /// half-length of the slumped cloud); nearer, the cloud does not pass over the receptor as a
    /// rigid body and this value is only indicative.
    pub fn dose_kg_s_m3(&self, x_m: f64, y_m: f64, z_m: f64) -> f64 {
        if y_m.is_nan() || z_m.is_nan() || z_m < 0.0 {
            return 0.0;
        }
        let Some(p) = self.state_at(x_m) else {
            return 0.0;
        };
        let d = p.mean_concentration_kg_m3() * 2.0 * p.half_length_m / p.speed_m_s.max(1e-6)
            * self.fy_fz(&p, y_m, z_m);
        if d.is_finite() {
            d
        } else {
            0.0
        }
    }

    /// ∫ g(C(x, y, 0, t)) dt, in g's units × s, over the passage of the puff at ground point
    /// (x, y): the state when the centre is at x swept past at speed U (slender puff), the
    /// along-wind profile F_x integrated by 3 × 16-point Gauss–Legendre over the core and the
    /// two erf edges (±6β_x). With g(c) = cⁿ this is the toxic load ∫Cⁿdt — the dose measure that
    /// drives lethality, not the peak. `g` must be ≥ 0 with g(0) = 0.
    pub fn passage_integral(&self, x_m: f64, y_m: f64, g: impl Fn(f64) -> f64) -> f64 {
        if y_m.is_nan() {
            return 0.0;
        }
        let Some(p) = self.state_at(x_m) else {
            return 0.0;
        };
        let u = p.speed_m_s.max(1e-6);
        let beta_x = beta_of(p.half_length_m, p.core_half_length_m).max(1e-9);
        let core = p.core_half_length_m.max(1e-3 * beta_x);
        let base = p.mean_concentration_kg_m3() * self.fy_fz(&p, y_m, 0.0);
        let fx = |s: f64| {
            p.half_length_m / (2.0 * core)
                * (erf((s + core) / (SQRT2 * beta_x)) - erf((s - core) / (SQRT2 * beta_x)))
        };
        let f = |s: f64| g(base * fx(s));
        let edge = core + 6.0 * beta_x;
        let q = |a: f64, b: f64| crate::numerics::integrate_gauss_legendre(f, a, b, 16);
        // Symmetric profile: twice the half-line.
        let v = 2.0 * (q(0.0, core) + q(core, edge)) / u;
        if v.is_finite() {
            v.max(0.0)
        } else {
            0.0
        }
    }

    /// Passage time of the cloud at x, s: 2B_x/U (the exposure duration of a receptor).
    pub fn passage_time_s(&self, x_m: f64) -> f64 {
        self.state_at(x_m)
            .map(|p| 2.0 * p.half_length_m / p.speed_m_s.max(1e-6))
            .unwrap_or(0.0)
    }
}
