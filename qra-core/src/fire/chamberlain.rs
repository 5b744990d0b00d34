//! Jet fire: Chamberlain (1987) frustum ("Shell") model, for **vertical** releases.
//!
//! Source: G.A. Chamberlain (1987), "Developments in design methods for predicting thermal
//! radiation from flares", *Chem. Eng. Res. Des.* 65, 299–309; as given in the TNO Yellow Book
//! (CPR 14E, 3rd ed. 2005, §6.5.4, "Chamberlain model") and CCPS (1999/2000) *Guidelines for
//! Chemical Process Quantitative Risk Analysis* §2.2.6. **Every correlation constant below is
//! recalled, not verified against the paper \[M\]**; two internal consistency checks support the
//! recollection (tested): the tilt correlation is continuous at R_w = 0.05 (400 vs 401), and the
//! base width W₁ reduces to the expanded-jet diameter d_j = D_s·√(ρ_air/ρ_j) in still air.
//!
//! # Equations (SI units, angles in degrees where stated)
//! Inputs: mass rate ṁ (kg/s), heat of combustion ΔH_c (J/kg), velocity u_j (m/s) and density
//! ρ_j (kg/m³) of the **expanded** jet, mass fraction W of fuel in a stoichiometric fuel–air
//! mixture, wind speed u_w (m/s, along +x), air density ρ_air.
//! * Effective source diameter (Thring–Newby): D_s = d_j·√(ρ_j/ρ_air) = √(4ṁ/(π ρ_air u_j)).
//! * Richardson numbers: Ri(L) = (g/(D_s² u_j²))^(1/3)·L.
//! * Flame length in still air L_B0 = Y·D_s, Y the root of
//!   C_a·Y^(5/3) + C_b·Y^(2/3) − C_c = 0, C_a = 0.024·(g D_s/u_j²)^(1/3), C_b = 0.2,
//!   C_c = (2.85/W)^(2/3).
//! * With wind (vertical jet, θ_j = 90°): L_B = L_B0·(0.51·e^(−0.4 u_w) + 0.49).
//! * Tilt of the flame from the (vertical) hole axis, R_w = u_w/u_j:
//!   α = 8000·R_w/Ri(L_B0) for R_w ≤ 0.05, α = (134 + 1726·√(R_w − 0.026))/Ri(L_B0) beyond (°),
//!   capped at 90° (qra policy: horizontal flame).
//! * Lift-off along the hole axis: b = L_B·sin(Kα)/sin α, K = 0.185·e^(−20 R_w) + 0.015
//!   (b = K·L_B for α → 0).
//! * Frustum length R_l = √(L_B² − b² sin²α) − b cos α (axis from the lift-off point at angle α
//!   from the hole axis to the flame tip at L_B from the release point).
//! * Widths: W₁ = D_s·(13.5 e^(−6R_w) + 1.5)·(1 − (1 − √(ρ_air/ρ_j)/15)·e^(−70·Ri(D_s)·C′·R_w)),
//!   C′ = 1000 e^(−100 R_w) + 0.8; W₂ = L_B·(0.18 e^(−1.5R_w) + 0.31)·(1 − 0.47 e^(−25R_w)).
//! * Surface area (lateral + both ends) A = π/4·(W₁² + W₂²) + π/2·(W₁ + W₂)·√(R_l² + (W₂ − W₁)²/4).
//! * Fraction of heat radiated F_s = 0.21·e^(−0.00323 u_j) + 0.11; SEP = F_s·ṁ·ΔH_c/A.
//!
//! # Heat flux
//! q = SEP·F·τ with the view factor F of the whole convex frustum (lateral surface and both end
//! discs) computed by **numerical integration** over the surface: midpoint rule on
//! `n_axial × n_azimuth` lateral patches and `n_rings × n_azimuth` patches per disc,
//! F = Σ cos θ₁ cos θ₂ dA/(π r²), each term clipped at 0 (the frustum is convex, so a patch facing
//! the receiver is visible; the receiver plane clips the rest). [`Receiver::Max`]: the normal is
//! the direction of the vector view factor. τ uses the distance to the frustum centre. Receivers
//! inside the frustum get the SEP. The quadrature reproduces Mudan's closed form for a vertical
//! cylinder within 1 % (tested).
//!
//! **Not yet:** inclined or horizontal releases (the tilt and length corrections for θ_j ≠ 90°
//! could not be verified) and computing the expanded-jet state from reservoir conditions (pass
//! u_j and ρ_j, e.g. from `qra_core::source`).
//!
//! **Validation gap:** no published jet-fire radiometer data set was available to qra; Chamberlain
//! (1987) reports agreement with field flares and jet fires \[M\], which could not be checked.

use super::view_factor::Receiver;
use super::{HeatSource, Transmissivity};
use crate::error::{check, QraError, Result};
use crate::numerics;
use nalgebra::{Point3, Unit, Vector3};

/// Standard gravity, m/s².
const G: f64 = 9.80665;

/// Inputs of the Chamberlain model (vertical release at `release_point_m`, wind along +x).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChamberlainSpec {
    /// Mass release rate, kg/s.
    pub mass_rate_kg_s: f64,
    /// Heat of combustion, J/kg.
    pub heat_of_combustion_j_kg: f64,
    /// Velocity of the expanded jet, m/s.
    pub jet_velocity_m_s: f64,
    /// Density of the expanded jet, kg/m³.
    pub jet_density_kg_m3: f64,
    /// Mass fraction of fuel in the stoichiometric fuel–air mixture (e.g. methane 0.055).
    pub stoich_mass_fraction: f64,
    /// Wind speed, m/s (≥ 0), blowing towards +x.
    pub wind_speed_m_s: f64,
    /// Air density, kg/m³.
    pub air_density_kg_m3: f64,
    /// Release point (m); the jet points up (+z).
    pub release_point_m: [f64; 3],
    /// Atmospheric transmissivity.
    pub transmissivity: Transmissivity,
    /// Fire duration, s (may be +∞; JSON `null`).
    #[serde(deserialize_with = "super::duration_or_infinite")]
    pub duration_s: f64,
}

/// Chamberlain frustum jet fire (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChamberlainJetFire {
    spec: ChamberlainSpec,
    geometry: FrustumGeometry,
    sep_w_m2: f64,
    radiant_fraction: f64,
    /// Quadrature resolution (azimuth, axial, rings).
    n_azimuth: usize,
    n_axial: usize,
    n_rings: usize,
}

/// Flame geometry from the correlations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrustumGeometry {
    /// Effective source diameter D_s, m.
    pub source_diameter_m: f64,
    /// Flame length in still air L_B0, m.
    pub length_still_m: f64,
    /// Flame length (release point to tip) L_B, m.
    pub length_m: f64,
    /// Tilt of the flame axis from the vertical, towards +x, degrees.
    pub tilt_deg: f64,
    /// Lift-off along the hole axis b, m.
    pub lift_off_m: f64,
    /// Frustum length R_l, m.
    pub frustum_length_m: f64,
    /// Base width W₁, m.
    pub base_width_m: f64,
    /// Tip width W₂, m.
    pub tip_width_m: f64,
    /// Total surface area A, m².
    pub area_m2: f64,
}

/// Solves C_a·Y^(5/3) + C_b·Y^(2/3) = C_c for Y > 0 (the left side increases monotonically).
fn flame_length_ratio(ca: f64, cb: f64, cc: f64) -> f64 {
    let below = |y: f64| ca * y.powf(5.0 / 3.0) + cb * y.powf(2.0 / 3.0) - cc < 0.0;
    let hi = numerics::expand_upper(1.0, below, 1e12);
    let (lo, hi) = numerics::bisect(0.0, hi, below, numerics::never, 200);
    0.5 * (lo + hi)
}

impl FrustumGeometry {
    /// The correlations of the module docs.
    fn from_spec(s: &ChamberlainSpec) -> FrustumGeometry {
        let uj = s.jet_velocity_m_s;
        let ds =
            (4.0 * s.mass_rate_kg_s / (std::f64::consts::PI * s.air_density_kg_m3 * uj)).sqrt();
        let ri_scale = (G / (ds * ds * uj * uj)).cbrt();
        let ca = 0.024 * (G * ds / (uj * uj)).cbrt();
        let cc = (2.85 / s.stoich_mass_fraction).powf(2.0 / 3.0);
        let lb0 = flame_length_ratio(ca, 0.2, cc) * ds;
        let uw = s.wind_speed_m_s;
        let lb = lb0 * (0.51 * (-0.4 * uw).exp() + 0.49);
        let rw = uw / uj;
        let ri_lb0 = ri_scale * lb0;
        let alpha_deg = if rw <= 0.05 {
            8000.0 * rw / ri_lb0
        } else {
            (134.0 + 1726.0 * (rw - 0.026).sqrt()) / ri_lb0
        }
        .min(90.0);
        let alpha = alpha_deg.to_radians();
        let k = 0.185 * (-20.0 * rw).exp() + 0.015;
        let b = if alpha < 1e-9 {
            k * lb
        } else {
            lb * (k * alpha).sin() / alpha.sin()
        };
        let rl = (lb * lb - b * b * alpha.sin().powi(2)).sqrt() - b * alpha.cos();
        let ri_ds = ri_scale * ds;
        let c_prime = 1000.0 * (-100.0 * rw).exp() + 0.8;
        let dens = (s.air_density_kg_m3 / s.jet_density_kg_m3).sqrt();
        let w1 = ds
            * (13.5 * (-6.0 * rw).exp() + 1.5)
            * (1.0 - (1.0 - dens / 15.0) * (-70.0 * ri_ds * c_prime * rw).exp());
        let w2 = lb * (0.18 * (-1.5 * rw).exp() + 0.31) * (1.0 - 0.47 * (-25.0 * rw).exp());
        let area = std::f64::consts::PI / 4.0 * (w1 * w1 + w2 * w2)
            + std::f64::consts::PI / 2.0
                * (w1 + w2)
                * (rl * rl + 0.25 * (w2 - w1) * (w2 - w1)).sqrt();
        FrustumGeometry {
            source_diameter_m: ds,
            length_still_m: lb0,
            length_m: lb,
            tilt_deg: alpha_deg,
            lift_off_m: b,
            frustum_length_m: rl,
            base_width_m: w1,
            tip_width_m: w2,
            area_m2: area,
        }
    }
}

/// Fraction of heat radiated from the surface, F_s = 0.21·e^(−0.00323 u_j) + 0.11 \[M\].
pub fn chamberlain_radiant_fraction(jet_velocity_m_s: f64) -> f64 {
    0.21 * (-0.00323 * jet_velocity_m_s).exp() + 0.11
}

/// Frustum frame: base centre and orthonormal axes (axis, in-plane perpendicular, crosswind).
struct Frame {
    base: Point3<f64>,
    e: Unit<Vector3<f64>>,
    e1: Unit<Vector3<f64>>,
    e2: Unit<Vector3<f64>>,
}

impl ChamberlainJetFire {
    /// The inputs this fire was built from (its serde form).
    pub fn spec(&self) -> &ChamberlainSpec {
        &self.spec
    }

    /// Validates the inputs and evaluates the correlations.
    pub fn new(spec: ChamberlainSpec) -> Result<Self> {
        check::positive("mass_rate_kg_s", spec.mass_rate_kg_s)?;
        check::in_range("mass_rate_kg_s", spec.mass_rate_kg_s, 0.0, 1e6)?;
        check::positive("heat_of_combustion_j_kg", spec.heat_of_combustion_j_kg)?;
        check::in_range(
            "heat_of_combustion_j_kg",
            spec.heat_of_combustion_j_kg,
            0.0,
            2e8,
        )?;
        check::positive("jet_velocity_m_s", spec.jet_velocity_m_s)?;
        check::in_range("jet_velocity_m_s", spec.jet_velocity_m_s, 0.0, 1e4)?;
        check::positive("jet_density_kg_m3", spec.jet_density_kg_m3)?;
        check::in_range("jet_density_kg_m3", spec.jet_density_kg_m3, 0.0, 1e3)?;
        check::positive("stoich_mass_fraction", spec.stoich_mass_fraction)?;
        check::in_range("stoich_mass_fraction", spec.stoich_mass_fraction, 0.0, 1.0)?;
        check::non_negative("wind_speed_m_s", spec.wind_speed_m_s)?;
        check::in_range("wind_speed_m_s", spec.wind_speed_m_s, 0.0, 100.0)?;
        check::positive("air_density_kg_m3", spec.air_density_kg_m3)?;
        check::in_range("air_density_kg_m3", spec.air_density_kg_m3, 0.0, 10.0)?;
        check::all_finite("release_point_m", &spec.release_point_m)?;
        if spec.duration_s.is_nan() || spec.duration_s <= 0.0 {
            return Err(QraError::invalid(
                "duration_s",
                spec.duration_s,
                "must be > 0",
            ));
        }
        let geometry = FrustumGeometry::from_spec(&spec);
        let radiant_fraction = chamberlain_radiant_fraction(spec.jet_velocity_m_s);
        let sep = radiant_fraction * spec.mass_rate_kg_s * spec.heat_of_combustion_j_kg
            / geometry.area_m2;
        if !(sep.is_finite() && geometry.frustum_length_m > 0.0) {
            return Err(QraError::invalid(
                "jet_velocity_m_s",
                spec.jet_velocity_m_s,
                "gives a degenerate Chamberlain flame geometry",
            ));
        }
        Ok(ChamberlainJetFire {
            spec,
            geometry,
            sep_w_m2: sep,
            radiant_fraction,
            n_azimuth: 32,
            n_axial: 16,
            n_rings: 4,
        })
    }

    /// Replaces the quadrature resolution (azimuth 8–1024, axial 4–1024, rings 1–256).
    pub fn with_resolution(
        mut self,
        n_azimuth: usize,
        n_axial: usize,
        n_rings: usize,
    ) -> Result<Self> {
        for (name, v, lo, hi) in [
            ("n_azimuth", n_azimuth, 8, 1024),
            ("n_axial", n_axial, 4, 1024),
            ("n_rings", n_rings, 1, 256),
        ] {
            if !(lo..=hi).contains(&v) {
                return Err(QraError::invalid(
                    name,
                    v,
                    format!("must be in [{lo}, {hi}]"),
                ));
            }
        }
        self.n_azimuth = n_azimuth;
        self.n_axial = n_axial;
        self.n_rings = n_rings;
        Ok(self)
    }

    /// Flame geometry.
    pub fn geometry(&self) -> FrustumGeometry {
        self.geometry
    }

    /// Surface emissive power, W/m².
    pub fn sep_w_m2(&self) -> f64 {
        self.sep_w_m2
    }

    /// Fraction of heat radiated F_s.
    pub fn radiant_fraction(&self) -> f64 {
        self.radiant_fraction
    }

    /// Frustum frame: the base centre (lift-off above the release point) and the frame rotated
    /// by the tilt α about the crosswind axis y: axis e = (sin α, 0, cos α),
    /// e₁ = (cos α, 0, −sin α), e₂ = y. (Written from sin α and cos α rather than
    /// `Rotation3::from_axis_angle`, whose Rodrigues form gives e₂ = (0, (1 − cos α) + cos α, 0),
    /// not exactly 1, and would change the recorded outputs in their last bits.)
    fn frame(&self) -> Frame {
        let g = &self.geometry;
        let a = g.tilt_deg.to_radians();
        let r = self.spec.release_point_m;
        Frame {
            base: Point3::new(r[0], r[1], r[2] + g.lift_off_m),
            e: Unit::new_unchecked(Vector3::new(a.sin(), 0.0, a.cos())),
            e1: Unit::new_unchecked(Vector3::new(a.cos(), 0.0, -a.sin())),
            e2: Vector3::y_axis(),
        }
    }

    /// Centre of the frustum (mid-axis), m.
    pub fn centre_m(&self) -> [f64; 3] {
        let f = self.frame();
        let h = 0.5 * self.geometry.frustum_length_m;
        (f.base + f.e.into_inner() * h).into()
    }

    /// Whether `p` is inside the frustum.
    pub fn contains(&self, p: [f64; 3]) -> bool {
        let f = self.frame();
        let d = Point3::from(p) - f.base;
        let s = d.dot(&f.e);
        let g = &self.geometry;
        if !(0.0..=g.frustum_length_m).contains(&s) {
            return false;
        }
        let r = 0.5 * (g.base_width_m + (g.tip_width_m - g.base_width_m) * s / g.frustum_length_m);
        let x1 = d.dot(&f.e1);
        let x2 = d.dot(&f.e2);
        x1 * x1 + x2 * x2 <= r * r
    }

    /// Calls `f(centre, unit normal, area)` for every surface patch (lateral + both discs).
    fn for_each_patch(
        &self,
        lateral_only: bool,
        mut f: impl FnMut(Point3<f64>, Vector3<f64>, f64),
    ) {
        let Frame { base: b, e, e1, e2 } = self.frame();
        let (e, e1, e2) = (e.into_inner(), e1.into_inner(), e2.into_inner());
        let g = &self.geometry;
        let (r1, r2, len) = (
            0.5 * g.base_width_m,
            0.5 * g.tip_width_m,
            g.frustum_length_m,
        );
        let k = (r2 - r1) / len;
        let slant = (1.0 + k * k).sqrt();
        let na = self.n_azimuth;
        let dphi = std::f64::consts::TAU / na as f64;
        let ds = len / self.n_axial as f64;
        let trig: Vec<(f64, f64)> = (0..na)
            .map(|j| ((j as f64 + 0.5) * dphi).sin_cos())
            .collect();
        // b + s·e + ρ·(cos φ·e₁ + sin φ·e₂)
        let at = |s: f64, rho: f64, sn: f64, cs: f64| b + e * s + (e1 * cs + e2 * sn) * rho;
        for i in 0..self.n_axial {
            let s = (i as f64 + 0.5) * ds;
            let rho = r1 + k * s;
            let da = rho * dphi * ds * slant;
            for &(sn, cs) in &trig {
                let radial = e1 * cs + e2 * sn;
                let n = (radial - e * k) / slant;
                f(at(s, rho, sn, cs), n, da);
            }
        }
        if lateral_only {
            return;
        }
        for (s, radius, sign) in [(0.0, r1, -1.0), (len, r2, 1.0)] {
            let dr = radius / self.n_rings as f64;
            let n = e * sign;
            for i in 0..self.n_rings {
                let rho = (i as f64 + 0.5) * dr;
                let da = rho * dr * dphi;
                for &(sn, cs) in &trig {
                    f(at(s, rho, sn, cs), n, da);
                }
            }
        }
    }

    /// View factor of the frustum surface (or only its lateral surface) to a receiver at `p` with
    /// unit normal `nr`; `None` for the vector view factor's direction.
    fn factor_impl(
        &self,
        p: Point3<f64>,
        nr: Option<Vector3<f64>>,
        lateral_only: bool,
    ) -> Vector3<f64> {
        let mut acc = Vector3::zeros();
        self.for_each_patch(lateral_only, |x, n, da| {
            let d = x - p;
            let r2 = d.norm_squared();
            if r2 <= 0.0 {
                return;
            }
            let c1 = -n.dot(&d); // cos θ₁·r (surface facing the receiver)
            if c1 <= 0.0 {
                return;
            }
            match nr {
                Some(nr) => {
                    let c2 = nr.dot(&d);
                    if c2 > 0.0 {
                        acc.x += c1 * c2 / (std::f64::consts::PI * r2 * r2) * da;
                    }
                }
                None => {
                    let w = c1 / (std::f64::consts::PI * r2 * r2) * da;
                    acc += d * w;
                }
            }
        });
        acc
    }

    /// View factor (0–1) at `p` for `receiver` (1 inside the flame).
    pub fn view_factor(&self, p: [f64; 3], receiver: Receiver) -> f64 {
        if !(p[0].is_finite() && p[1].is_finite() && p[2].is_finite()) {
            return 0.0;
        }
        if self.contains(p) {
            return 1.0;
        }
        let p = Point3::from(p);
        let nr = match receiver {
            Receiver::Max => {
                let v = self.factor_impl(p, None, false);
                let l = v.norm();
                if l.is_nan() || l <= 0.0 {
                    return 0.0;
                }
                v / l
            }
            Receiver::Horizontal => Vector3::z(),
            Receiver::Vertical => {
                let d = (Point3::from(self.centre_m()) - p).xy();
                let l = d.norm();
                if l.is_nan() || l <= 0.0 {
                    return 0.0;
                }
                let d = d / l;
                Vector3::new(d.x, d.y, 0.0)
            }
            Receiver::Normal(n) => Vector3::from(n),
        };
        let f = self.factor_impl(p, Some(nr), false).x;
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

impl HeatSource for ChamberlainJetFire {
    fn heat_flux_at(&self, p: [f64; 3], receiver: Receiver) -> f64 {
        if !(p[0].is_finite() && p[1].is_finite() && p[2].is_finite()) {
            return 0.0;
        }
        if self.contains(p) {
            return self.sep_w_m2;
        }
        let d = nalgebra::distance(&Point3::from(p), &Point3::from(self.centre_m()));
        let q = self.sep_w_m2 * self.view_factor(p, receiver) * self.spec.transmissivity.tau(d);
        if q.is_finite() {
            q.max(0.0)
        } else {
            0.0
        }
    }

    fn duration_s(&self) -> f64 {
        self.spec.duration_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fire::view_factor::mudan_vertical_cylinder;
    use approx::assert_relative_eq;

    fn methane(wind: f64) -> ChamberlainSpec {
        ChamberlainSpec {
            mass_rate_kg_s: 10.0,
            heat_of_combustion_j_kg: 50.0e6,
            jet_velocity_m_s: 400.0,
            jet_density_kg_m3: 0.8,
            stoich_mass_fraction: 0.055,
            wind_speed_m_s: wind,
            air_density_kg_m3: 1.2,
            release_point_m: [0.0, 0.0, 0.0],
            transmissivity: Transmissivity::None,
            duration_s: f64::INFINITY,
        }
    }

    #[test]
    fn internal_consistency_of_the_recalled_correlations() {
        // Still air: W₁ equals the expanded-jet diameter d_j = D_s·√(ρ_air/ρ_j), the flame is
        // vertical, and the lift-off is 0.2·L_B.
        let j = ChamberlainJetFire::new(methane(0.0)).unwrap();
        let g = j.geometry();
        assert_relative_eq!(
            g.base_width_m,
            g.source_diameter_m * (1.2f64 / 0.8).sqrt(),
            max_relative = 1e-12
        );
        assert_eq!(g.tilt_deg, 0.0);
        assert_relative_eq!(g.lift_off_m, 0.2 * g.length_m, max_relative = 1e-12);
        assert_relative_eq!(
            g.frustum_length_m,
            g.length_m - g.lift_off_m,
            max_relative = 1e-12
        );
        // m = ρ_air u_j π D_s²/4.
        assert_relative_eq!(
            1.2 * 400.0 * std::f64::consts::PI * g.source_diameter_m.powi(2) / 4.0,
            10.0,
            max_relative = 1e-12
        );
        // Tilt correlation continuous at R_w = 0.05 to 0.35 % (8000·0.05 = 400 vs 401.4).
        let lo = 8000.0 * 0.05;
        let hi = 134.0 + 1726.0 * (0.05f64 - 0.026).sqrt();
        assert!((hi / lo - 1.0).abs() < 4e-3);
        // F_s in (0.11, 0.32].
        assert!(j.radiant_fraction() > 0.11 && j.radiant_fraction() <= 0.32);
    }

    #[test]
    fn flame_length_in_the_range_of_the_natural_gas_rule_of_thumb() {
        // Order-of-magnitude check only: L ≈ 18.5·ṁ^0.41 m is quoted for natural gas
        // (midstreamcalculator.com jet-fire notes, citing Chamberlain); within a factor 1.6.
        for m in [1.0, 10.0, 50.0] {
            let j = ChamberlainJetFire::new(ChamberlainSpec {
                mass_rate_kg_s: m,
                ..methane(0.0)
            })
            .unwrap();
            let rule = 18.5 * m.powf(0.41);
            let l = j.geometry().length_m;
            assert!(
                l / rule > 1.0 / 1.6 && l / rule < 1.6,
                "m {m}: {l} vs {rule}"
            );
        }
    }

    #[test]
    fn wind_tilts_shortens_and_widens_base() {
        let calm = ChamberlainJetFire::new(methane(0.0)).unwrap().geometry();
        let windy = ChamberlainJetFire::new(methane(10.0)).unwrap().geometry();
        assert!(windy.tilt_deg > 0.0 && windy.tilt_deg <= 90.0);
        assert!(windy.length_m < calm.length_m);
        assert!(windy.base_width_m > calm.base_width_m);
        let j = ChamberlainJetFire::new(methane(10.0)).unwrap();
        let down = j.heat_flux_at([40.0, 0.0, 0.0], Receiver::Max);
        let up = j.heat_flux_at([-40.0, 0.0, 0.0], Receiver::Max);
        assert!(down > up);
        // Mirror symmetry across the wind axis.
        assert_relative_eq!(
            j.heat_flux_at([30.0, 20.0, 0.0], Receiver::Max),
            j.heat_flux_at([30.0, -20.0, 0.0], Receiver::Max),
            max_relative = 1e-9
        );
    }

    #[test]
    fn lateral_quadrature_matches_mudan_closed_form() {
        // Still air, so the frustum is vertical; make it a cylinder (W₁ = W₂) by hand and compare
        // the lateral-surface factor at ground level with Mudan (1984): F(b..b+L) = F(0..b+L) −
        // F(0..b) for a vertical receiver facing the axis.
        let mut j = ChamberlainJetFire::new(methane(0.0))
            .unwrap()
            .with_resolution(256, 256, 4)
            .unwrap();
        j.geometry.base_width_m = j.geometry.tip_width_m;
        let g = j.geometry();
        let r = 0.5 * g.base_width_m;
        let (b, l) = (g.lift_off_m, g.frustum_length_m);
        for x in [1.5 * r, 3.0 * r, 10.0 * r] {
            let f = j
                .factor_impl(Point3::new(x, 0.0, 0.0), Some(-Vector3::x()), true)
                .x;
            let mudan = mudan_vertical_cylinder(r, b + l, x).0 - mudan_vertical_cylinder(r, b, x).0;
            assert_relative_eq!(f, mudan, max_relative = 1e-2);
        }
    }

    #[test]
    fn quadrature_converges_and_far_field_is_inverse_square() {
        let j = ChamberlainJetFire::new(methane(5.0)).unwrap();
        let fine = j.with_resolution(256, 128, 32).unwrap();
        for p in [[15.0, 5.0, 0.0], [60.0, 0.0, 2.0], [-100.0, 80.0, 0.0]] {
            let a = j.view_factor(p, Receiver::Max);
            let b = fine.view_factor(p, Receiver::Max);
            assert_relative_eq!(a, b, max_relative = 2e-2);
        }
        let f1 = fine.view_factor([2000.0, 0.0, 0.0], Receiver::Max);
        let f2 = fine.view_factor([4000.0, 0.0, 0.0], Receiver::Max);
        assert_relative_eq!(f1 / f2, 4.0, max_relative = 2e-2);
    }

    #[test]
    fn inside_flame_and_bad_inputs() {
        let j = ChamberlainJetFire::new(methane(0.0)).unwrap();
        let c = j.centre_m();
        assert_eq!(j.heat_flux_at(c, Receiver::Max), j.sep_w_m2());
        assert_eq!(j.heat_flux_at([f64::NAN, 0.0, 0.0], Receiver::Max), 0.0);
        assert!(j.sep_w_m2() > 1e4 && j.sep_w_m2() < 1e6);
        for bad in [
            ChamberlainSpec {
                mass_rate_kg_s: -1.0,
                ..methane(0.0)
            },
            ChamberlainSpec {
                wind_speed_m_s: -1.0,
                ..methane(0.0)
            },
            ChamberlainSpec {
                stoich_mass_fraction: 1.5,
                ..methane(0.0)
            },
            ChamberlainSpec {
                jet_velocity_m_s: f64::NAN,
                ..methane(0.0)
            },
        ] {
            assert!(ChamberlainJetFire::new(bad).is_err());
        }
        assert!(j.with_resolution(2, 16, 4).is_err());
        for w in [0.0, 1.0, 5.0, 20.0, 60.0] {
            let j = ChamberlainJetFire::new(methane(w)).unwrap();
            for p in [[0.0, 0.0, 0.0], [5.0, 0.0, 1.0], [1e5, 0.0, 0.0]] {
                let q = j.heat_flux_at(p, Receiver::Max);
                assert!(q.is_finite() && q >= 0.0);
            }
        }
    }
}
