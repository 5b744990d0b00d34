//! Parametric footprints: lethality fields given by a closed form and a few numbers, evaluated
//! exactly wherever they are needed — at every grid cell and population point — instead of
//! being sampled into a table first (issue 14).
//!
//! A table interpolated bilinearly on a 10 m raster, then resampled on the grid in a rotated
//! frame, smears step edges (a flash-fire ellipse, a jet-flame envelope) and plumes narrower than
//! a cell: against an engine evaluating the same formulas at the cell centres, 28 % of the
//! park-1000 cells with IR ≥ 10⁻⁷ differed by more than 1 %. These shapes are for studies that
//! bring their own consequence results as formulas (screening models, results of another tool,
//! the benchmark study's engine); qra's physical outcome kinds keep their own models.
//!
//! # Frame and units
//! The footprint frame of [`super::footprint`]: x downwind from the release point, y crosswind,
//! m. Lethality is a probability; everything below [`P_MIN`] is 0 (the study's culling
//! threshold, as for the consequence wiring's tables), so every shape has a finite extent.
//!
//! # Shapes
//! * [`Ellipse`] — uniform lethality `p` inside an ellipse centred on the downwind axis: a flash
//!   fire drawn as an ellipse bounding its LFL envelope (as the park-1000 benchmark's NumPy engine
//!   draws it; qra's own flash-fire model gives a band, [`crate::risk::footprint::BandTable`]).
//!   Edge included.
//! * [`PointSourceFire`] — heat radiation of a point source, q(r) = τ·P_rad/(4π r²) (the
//!   point-source model: the radiated power spread over a sphere, attenuated by the atmospheric
//!   transmissivity τ; TNO Yellow Book CPR 14E 3rd ed. (1997) ch. 6, "Heat flux from fires"
//!   \[M: recalled, not re-read for this module\]), the thermal-dose probit
//!   of [`ThermalProbit`] over a fixed exposure, and optional zones of certain death (a radius
//!   about the source — a pool or a fireball — and a rectangle — a jet flame's envelope).
//!   Validity: outside the flame (the point-source approximation is poor within about one flame
//!   length; the lethal zones are where the study says so).
//! * [`GaussianPlume`] — toxic lethality of a continuous ground-level release in a passive
//!   Gaussian plume, ground-level receptor, total ground reflection:
//!   C(x, y) = Q/(π u σ_y σ_z)·exp(−y²/(2σ_y²)) for x > 0 (0 at and upwind of the source), with
//!   the Briggs (1973) rural σ's ([`crate::dispersion::sigmas`], their cited form, evaluated by
//!   [`crate::dispersion::briggs_rural_sigmas`]), and the probit Y = a + b·ln(Cⁿ·t), C in mg/m³
//!   and t in min (Finney 1971; CPR 18E eq. 5.1 convention \[M\]), concentration constant over
//!   the exposure. Validity: passive (neutrally buoyant) gas, flat
//!   rural terrain, x from about 100 m to 10 km for the σ curves (used nearer as the formula
//!   stands, as screening models do).
//!
//! * [`TntBlast`] — blast of a TNT-equivalent charge: peak side-on overpressure (and impulse)
//!   of a hemispherical surface burst from Kingery & Bulmash (1984) as fitted by Swisdak (1994)
//!   ([`crate::explosion::kingery_bulmash`], with its near- and far-field policy), at the scaled
//!   distance Z = r/W^(1/3), and an overpressure probit of [`BlastProbit`]. Validity: the fits'
//!   range, Z from 0.2 to 198.5 m/kg^(1/3) for the overpressure.
//!
//! P = Φ(Y − 5) for every probit: [`probit_to_probability_tabulated`] (a cubic Hermite table of
//! Φ, within 10⁻⁸ relative of the erfc form [`probit_to_probability`](crate::vulnerability::probit_to_probability) where P ≥ 10⁻⁶, 2·10⁻¹¹
//! absolute) for the point-source fire and the plume, which are evaluated at every cell; the
//! blast probit's own ([`BlastProbit::probability`]).

use serde::{Deserialize, Serialize};

use crate::dispersion::{briggs_rural_sigmas, Stability};
use crate::error::{check, QraError, Result};
use crate::explosion::kingery_bulmash;
use crate::vulnerability::blast::BlastProbit;
use crate::vulnerability::thermal::ThermalProbit;
use crate::vulnerability::{probit_to_probability_tabulated, PROBIT_CERTAIN, P_MIN};

/// Number of sides of the polygons drawn around curved edges for culling (their hulls contain
/// the curve: an n-gon circumscribed about a circle, mapped affinely onto an ellipse).
const HULL_SIDES: usize = 24;

/// Vertices of a polygon containing the ellipse centred at `(cx, cy)` with semi-axes `(ax, ay)`:
/// the regular polygon circumscribed about the unit circle (vertex radius 1/cos(π/n)), mapped
/// affinely.
fn circumscribed(cx: f64, cy: f64, ax: f64, ay: f64) -> Vec<(f64, f64)> {
    let n = HULL_SIDES;
    let s = 1.0 / (std::f64::consts::PI / n as f64).cos() * (1.0 + 1e-9);
    (0..n)
        .map(|k| {
            let t = 2.0 * std::f64::consts::PI * (k as f64 + 0.5) / n as f64;
            (cx + ax * s * t.cos(), cy + ay * s * t.sin())
        })
        .collect()
}

/// Largest distance from the origin to the ellipse centred at `(cx, 0)` with semi-axes `a` (along
/// x) and `b`: the maximum over c = cos t ∈ [−1, 1] of the quadratic
/// (cx + a·c)² + b²(1 − c²) = cx² + b² + 2a·cx·c + (a² − b²)c².
fn ellipse_farthest(cx: f64, a: f64, b: f64) -> f64 {
    let g = |c: f64| cx * cx + b * b + 2.0 * a * cx * c + (a * a - b * b) * c * c;
    let mut best = g(1.0).max(g(-1.0));
    if a * a < b * b {
        let c = -a * cx / (a * a - b * b);
        if (-1.0..=1.0).contains(&c) {
            best = best.max(g(c));
        }
    }
    best.max(0.0).sqrt()
}

/// Serde's conversions of a parametric shape: read through its spec (validated by `new`), written
/// as its spec (the derived fields are rebuilt on reading).
macro_rules! spec_conversions {
    ($shape:ident, $spec:ident) => {
        impl TryFrom<$spec> for $shape {
            type Error = QraError;
            fn try_from(spec: $spec) -> Result<Self> {
                $shape::new(spec)
            }
        }

        impl From<$shape> for $spec {
            fn from(s: $shape) -> Self {
                s.spec
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------

/// Uniform lethality `p` inside the ellipse ((x − centre_x)/a)² + (y/b)² ≤ 1, centred on the
/// downwind axis; 0 outside. A flash fire drawn as its LFL envelope: centre at half the LFL
/// distance, a = half the LFL distance, b = the largest crosswind half-width of the LFL contour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ellipse {
    /// Downwind distance of the centre from the release point, m.
    #[schemars(example = 120.0)]
    pub centre_x_m: f64,
    /// Semi-axis along the wind, m (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 120.0)]
    pub semi_axis_x_m: f64,
    /// Semi-axis across the wind, m (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 25.0)]
    pub semi_axis_y_m: f64,
    /// Lethality inside, in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0), example = 1.0)]
    pub p: f64,
}

impl Ellipse {
    /// Checks the invariants (also after deserialisation).
    pub fn validate(&self) -> Result<()> {
        check::finite("centre_x_m", self.centre_x_m)?;
        check::positive("semi_axis_x_m", self.semi_axis_x_m)?;
        check::positive("semi_axis_y_m", self.semi_axis_y_m)?;
        check::probability("p", self.p)?;
        Ok(())
    }

    /// Lethality at local (x, y): `p` inside or on the ellipse, else 0 (also for NaN).
    #[inline]
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let u = (x - self.centre_x_m) / self.semi_axis_x_m;
        let v = y / self.semi_axis_y_m;
        if u * u + v * v <= 1.0 {
            self.p
        } else {
            0.0
        }
    }

    /// Farthest point of the ellipse from the release point, m (0 when `p` is 0).
    pub fn reach_m(&self) -> f64 {
        if self.p <= 0.0 {
            return 0.0;
        }
        ellipse_farthest(self.centre_x_m, self.semi_axis_x_m, self.semi_axis_y_m)
    }

    /// Bounding rectangle `[x_min, x_max, y_min, y_max]`, m.
    pub fn local_rect(&self) -> [f64; 4] {
        let (c, a, b) = (self.centre_x_m, self.semi_axis_x_m, self.semi_axis_y_m);
        [c - a, c + a, -b, b]
    }

    /// Points whose convex hull contains the ellipse (empty when `p` is 0).
    pub fn support_points(&self) -> Vec<(f64, f64)> {
        if self.p <= 0.0 {
            return Vec::new();
        }
        circumscribed(self.centre_x_m, 0.0, self.semi_axis_x_m, self.semi_axis_y_m)
    }
}

// ---------------------------------------------------------------------------------------------

/// A rectangle in the footprint frame, x_min ≤ x ≤ x_max, |y| ≤ half_width (edges included).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Upwind end, m.
    #[schemars(example = 0.0)]
    pub x_min_m: f64,
    /// Downwind end, m (≥ x_min_m).
    #[schemars(example = 47.6)]
    pub x_max_m: f64,
    /// Half-width across the wind, m (≥ 0).
    #[schemars(range(min = 0.0), example = 4.76)]
    pub half_width_m: f64,
}

impl Envelope {
    fn validate(&self) -> Result<()> {
        check::finite("lethal_envelope.x_min_m", self.x_min_m)?;
        check::finite("lethal_envelope.x_max_m", self.x_max_m)?;
        check::non_negative("lethal_envelope.half_width_m", self.half_width_m)?;
        if self.x_max_m < self.x_min_m {
            return Err(QraError::invalid(
                "lethal_envelope.x_max_m",
                self.x_max_m,
                format!("must be >= x_min_m ({})", self.x_min_m),
            ));
        }
        Ok(())
    }

    #[inline]
    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x_min_m && x <= self.x_max_m && y.abs() <= self.half_width_m
    }

    fn corners(&self) -> [(f64, f64); 4] {
        let (x0, x1, w) = (self.x_min_m, self.x_max_m, self.half_width_m);
        [(x0, -w), (x1, -w), (x1, w), (x0, w)]
    }
}

/// Example of `lethal_envelope` (schema example): a 47.6 m jet flame, 4.76 m half-width.
fn example_envelope() -> serde_json::Value {
    serde_json::json!({ "x_min_m": 0.0, "x_max_m": 47.6, "half_width_m": 4.76 })
}

/// What a study file gives for a [`PointSourceFire`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointSourceFireSpec {
    /// Downwind distance of the point source from the release point, m (0: at the release
    /// point; a jet flame's centre: half its length).
    #[serde(default)]
    #[schemars(example = 0.0)]
    pub source_x_m: f64,
    /// Radiated power P_rad = F_s·Q̇ (radiative fraction × heat release rate), W (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 3.0e8)]
    pub radiated_power_w: f64,
    /// Atmospheric transmissivity τ, in (0, 1].
    #[schemars(extend("exclusiveMinimum" = 0.0), range(max = 1.0), example = 0.8)]
    pub transmissivity: f64,
    /// Exposure time, s (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 20.0)]
    pub exposure_s: f64,
    /// Thermal-dose probit.
    #[schemars(example = &"eisenberg")]
    pub probit: ThermalProbit,
    /// Lethality 1 within this distance of the point source, m (≥ 0; a pool's or a fireball's
    /// radius).
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 10.0)]
    pub lethal_radius_m: f64,
    /// Lethality 1 inside this rectangle (a jet flame's envelope).
    #[serde(default)]
    #[schemars(example = example_envelope())]
    pub lethal_envelope: Option<Envelope>,
}

/// Heat radiation of a point source with its zones of certain death (module docs): lethality 1
/// inside the lethal radius about the source or inside the lethal envelope, else
/// P = Φ(a + b·ln(t·q^(4/3)) − 5) with q = τ·P_rad/(4π r²) and r the distance from the source,
/// and 0 beyond the distance where P falls to [`P_MIN`].
///
/// Built from a [`PointSourceFireSpec`] (validated once; the probit's constant part and the
/// cut-off distance are computed then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "PointSourceFireSpec", into = "PointSourceFireSpec")]
#[schemars(with = "PointSourceFireSpec")]
pub struct PointSourceFire {
    spec: PointSourceFireSpec,
    /// Y = y0 − y_slope·ln r² (r in m).
    y0: f64,
    y_slope: f64,
    /// Distance from the source where P = P_MIN, m.
    cut_m: f64,
    /// r² at and below which the lethality is exactly 1, m²: the larger of the lethal radius²
    /// and the r² where Y = [`PROBIT_CERTAIN`] + 0.1 (0.1 of probit above the rounding of Y, so
    /// the probit there would give 1.0 too: the same bits without the logarithm and erfc).
    certain_r2: f64,
}

spec_conversions!(PointSourceFire, PointSourceFireSpec);

impl PointSourceFire {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] naming the field for a non-finite `source_x_m`, a non-positive
    /// power or exposure, a transmissivity outside (0, 1], a negative lethal radius or a bad
    /// envelope.
    pub fn new(spec: PointSourceFireSpec) -> Result<Self> {
        check::finite("source_x_m", spec.source_x_m)?;
        check::positive("radiated_power_w", spec.radiated_power_w)?;
        check::positive("transmissivity", spec.transmissivity)?;
        if spec.transmissivity > 1.0 {
            return Err(QraError::invalid(
                "transmissivity",
                spec.transmissivity,
                "must be <= 1",
            ));
        }
        check::positive("exposure_s", spec.exposure_s)?;
        check::non_negative("lethal_radius_m", spec.lethal_radius_m)?;
        if let Some(e) = &spec.lethal_envelope {
            e.validate()?;
        }
        // ln V = ln t + (4/3)·ln(τP/4π) − (4/3)·ln r², Y = a + b·ln V.
        let (a, b) = spec.probit.log_dose_coefficients();
        let k = spec.transmissivity * spec.radiated_power_w / (4.0 * std::f64::consts::PI);
        let y0 = a + b * (spec.exposure_s.ln() + (4.0 / 3.0) * k.ln());
        let y_slope = b * (4.0 / 3.0);
        let q_cut = spec.probit.flux_for_probability(P_MIN, spec.exposure_s);
        let cut_m = (k / q_cut).sqrt();
        if !(y0.is_finite() && cut_m.is_finite()) {
            return Err(QraError::invalid(
                "radiated_power_w",
                spec.radiated_power_w,
                "gives a non-finite probit (power or exposure out of range)",
            ));
        }
        let certain_r2 = ((y0 - PROBIT_CERTAIN - 0.1) / y_slope)
            .exp()
            .max(spec.lethal_radius_m * spec.lethal_radius_m);
        Ok(PointSourceFire {
            spec,
            y0,
            y_slope,
            cut_m,
            certain_r2,
        })
    }

    /// The parameters.
    pub fn spec(&self) -> &PointSourceFireSpec {
        &self.spec
    }

    /// Distance from the point source beyond which the probit lethality is below [`P_MIN`], m.
    pub fn cut_off_m(&self) -> f64 {
        self.cut_m
    }

    /// Lethality at local (x, y) (0 for NaN).
    #[inline]
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let s = &self.spec;
        if let Some(e) = &s.lethal_envelope {
            if e.contains(x, y) {
                return 1.0;
            }
        }
        let dx = x - s.source_x_m;
        let r2 = dx * dx + y * y;
        if r2 <= self.certain_r2 {
            return 1.0;
        }
        if r2.is_nan() || r2 > self.cut_m * self.cut_m {
            return 0.0;
        }
        probit_to_probability_tabulated(self.y0 - self.y_slope * r2.ln())
    }

    /// Whether the field is the same in every direction (source at the release point, no
    /// envelope).
    pub fn is_radially_symmetric(&self) -> bool {
        self.spec.source_x_m == 0.0 && self.spec.lethal_envelope.is_none()
    }

    /// Radius of the disc about the source outside which the lethality is 0, m.
    fn disc_m(&self) -> f64 {
        self.cut_m.max(self.spec.lethal_radius_m)
    }

    /// Farthest point with lethality > 0 from the release point, m.
    pub fn reach_m(&self) -> f64 {
        let mut r = self.spec.source_x_m.abs() + self.disc_m();
        if let Some(e) = &self.spec.lethal_envelope {
            for (x, y) in e.corners() {
                r = r.max(x.hypot(y));
            }
        }
        r
    }

    /// Bounding rectangle `[x_min, x_max, y_min, y_max]`, m.
    pub fn local_rect(&self) -> [f64; 4] {
        let (sx, d) = (self.spec.source_x_m, self.disc_m());
        let mut r = [sx - d, sx + d, -d, d];
        if let Some(e) = &self.spec.lethal_envelope {
            r = [
                r[0].min(e.x_min_m),
                r[1].max(e.x_max_m),
                r[2].min(-e.half_width_m),
                r[3].max(e.half_width_m),
            ];
        }
        r
    }

    /// Points whose convex hull contains every point of non-zero lethality.
    pub fn support_points(&self) -> Vec<(f64, f64)> {
        let d = self.disc_m();
        let mut pts = circumscribed(self.spec.source_x_m, 0.0, d, d);
        if let Some(e) = &self.spec.lethal_envelope {
            pts.extend(e.corners());
        }
        pts
    }

    /// Farthest distance from the release point at which the lethality is at least `p`, m:
    /// the probit's distance for `p` about the source, or a lethal zone's farthest point.
    pub fn distance_to_lethality_m(&self, p: f64) -> f64 {
        if p.is_nan() || p <= 0.0 {
            return self.reach_m();
        }
        let s = &self.spec;
        let k = s.transmissivity * s.radiated_power_w / (4.0 * std::f64::consts::PI);
        let q = s.probit.flux_for_probability(p.max(P_MIN), s.exposure_s);
        let r_p = if q.is_finite() && q > 0.0 {
            (k / q).sqrt().min(self.cut_m)
        } else {
            0.0
        };
        let mut best: f64 = if p <= 1.0 {
            s.source_x_m.abs() + r_p.max(s.lethal_radius_m)
        } else {
            0.0
        };
        if r_p == 0.0 && s.lethal_radius_m == 0.0 {
            best = 0.0;
        }
        if p <= 1.0 {
            if let Some(e) = &s.lethal_envelope {
                for (x, y) in e.corners() {
                    best = best.max(x.hypot(y));
                }
            }
        }
        best
    }
}

// ---------------------------------------------------------------------------------------------

/// What every [`GaussianPlume`] of one stability class shares at a local point (x > 0): the
/// Briggs rural σ's there, as ln(σ_y·σ_z) and y²/(2σ_y²). The concentration of a plume is
/// ln C = ln K − ln(σ_y σ_z) − y²/(2σ_y²), so plumes differing only in K (rate, wind speed) and
/// probit need these once per point ([`GaussianPlume::at_geometry`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PlumeGeometry {
    /// ln(σ_y·σ_z), σ's in m.
    pub ln_sy_sz: f64,
    /// y²/(2σ_y²).
    pub y2_over_2sy2: f64,
}

impl PlumeGeometry {
    /// The geometry at local (x > 0, y) for `stability` (NaN parts for x ≤ 0).
    #[inline]
    pub fn at(x: f64, y: f64, stability: Stability) -> Self {
        let (sy, sz) = briggs_rural_sigmas(x, stability);
        PlumeGeometry {
            ln_sy_sz: (sy * sz).ln(),
            y2_over_2sy2: y * y / (2.0 * sy * sy),
        }
    }
}

/// What a study file gives for a [`GaussianPlume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GaussianPlumeSpec {
    /// Release rate Q, kg/s (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 5.0)]
    pub rate_kg_s: f64,
    /// Wind speed u, m/s (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 1.5)]
    pub wind_speed_m_s: f64,
    /// Pasquill stability class of the Briggs (1973) rural σ's.
    #[schemars(example = &"F")]
    pub stability: Stability,
    /// Probit constant a (C in mg/m³, t in min).
    #[schemars(example = -6.35)]
    pub probit_a: f64,
    /// Probit constant b (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 0.5)]
    pub probit_b: f64,
    /// Probit exponent n (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 2.75)]
    pub probit_n: f64,
    /// Exposure time, s (> 0), with the concentration constant over it.
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 600.0)]
    pub exposure_s: f64,
}

/// Toxic lethality of a ground-level passive Gaussian plume (module docs): for x > 0,
/// ln C = ln(Q/(π u σ_y σ_z)) − y²/(2σ_y²) (C in mg/m³), Y = a + b·(n·ln C + ln t_min),
/// P = Φ(Y − 5); 0 at and upwind of the source and wherever P < [`P_MIN`].
///
/// Built from a [`GaussianPlumeSpec`]; the extent of the P ≥ P_MIN region (centreline distance
/// by bisection, widest half-width by a scan) is computed once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "GaussianPlumeSpec", into = "GaussianPlumeSpec")]
#[schemars(with = "GaussianPlumeSpec")]
pub struct GaussianPlume {
    spec: GaussianPlumeSpec,
    /// ln(Q[mg/s]/(π u)).
    ln_k: f64,
    /// Probit Y = y_const + y_slope·ln C.
    y_const: f64,
    y_slope: f64,
    /// ln C at which P = P_MIN.
    ln_c_min: f64,
    /// Centreline distance where P falls to P_MIN, m (0: never reached).
    x_max_m: f64,
    /// Largest half-width of the P ≥ P_MIN region, m (with a 2 % margin).
    half_width_m: f64,
}

spec_conversions!(GaussianPlume, GaussianPlumeSpec);

/// Distance from the source at which the centreline of the plume is searched for, m: from 1 cm
/// to 100 km (beyond the σ curves' range at both ends).
const PLUME_X_RANGE_M: (f64, f64) = (0.01, 1.0e5);

impl GaussianPlume {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] naming the field for a non-positive rate, wind speed, b, n or
    /// exposure, or a non-finite a.
    pub fn new(spec: GaussianPlumeSpec) -> Result<Self> {
        check::positive("rate_kg_s", spec.rate_kg_s)?;
        check::positive("wind_speed_m_s", spec.wind_speed_m_s)?;
        check::finite("probit_a", spec.probit_a)?;
        check::positive("probit_b", spec.probit_b)?;
        check::positive("probit_n", spec.probit_n)?;
        check::positive("exposure_s", spec.exposure_s)?;
        let ln_k = (spec.rate_kg_s * 1e6).ln() - (std::f64::consts::PI * spec.wind_speed_m_s).ln();
        let y_slope = spec.probit_b * spec.probit_n;
        let y_const = spec.probit_a + spec.probit_b * (spec.exposure_s / 60.0).ln();
        let y_min = 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(P_MIN);
        let ln_c_min = (y_min - y_const) / y_slope;
        if !(ln_k.is_finite() && ln_c_min.is_finite()) {
            return Err(QraError::invalid(
                "rate_kg_s",
                spec.rate_kg_s,
                "gives a non-finite concentration scale",
            ));
        }
        let mut g = GaussianPlume {
            spec,
            ln_k,
            y_const,
            y_slope,
            ln_c_min,
            x_max_m: 0.0,
            half_width_m: 0.0,
        };
        g.x_max_m = g.centreline_distance(ln_c_min);
        g.half_width_m = 1.02 * g.widest(ln_c_min, g.x_max_m).1;
        Ok(g)
    }

    /// The parameters.
    pub fn spec(&self) -> &GaussianPlumeSpec {
        &self.spec
    }

    /// (σ_y, σ_z) at x, m.
    #[inline]
    fn sig(&self, x: f64) -> (f64, f64) {
        briggs_rural_sigmas(x, self.spec.stability)
    }

    /// ln C on the centreline at x > 0 (C in mg/m³) and σ_y.
    #[inline]
    fn centreline_ln_c(&self, x: f64) -> (f64, f64) {
        let (sy, sz) = self.sig(x);
        (self.ln_k - (sy * sz).ln(), sy)
    }

    /// Downwind distance where the centreline ln C falls to `ln_c`, m (ln C decreases with x
    /// for the Briggs σ's): bisection in ln x, 60 halvings; 0 when it is below already at the
    /// near end, the far end when it is still above there.
    fn centreline_distance(&self, ln_c: f64) -> f64 {
        let (lo_x, hi_x) = PLUME_X_RANGE_M;
        let f = |lx: f64| self.centreline_ln_c(lx.exp()).0 - ln_c;
        if f(lo_x.ln()) < 0.0 {
            return 0.0;
        }
        if f(hi_x.ln()) >= 0.0 {
            return hi_x;
        }
        let (mut lo, mut hi) = (lo_x.ln(), hi_x.ln());
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if f(mid) >= 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi.exp()
    }

    /// Largest half-width of the ln C ≥ `ln_c` region on (0, x_end], `n` samples.
    fn widest_of(&self, ln_c: f64, x_end: f64, n: usize) -> f64 {
        (1..=n)
            .map(|i| {
                let x = x_end * i as f64 / n as f64;
                let (l0, sy) = self.centreline_ln_c(x);
                sy * (2.0 * (l0 - ln_c).max(0.0)).sqrt()
            })
            .fold(0.0, f64::max)
    }

    /// (x, half-width) of the widest point of the ln C ≥ `ln_c` region up to `x_end`: the
    /// half-width is σ_y·√(2(ln C₀ − ln_c)); scanned at 2 000 points.
    fn widest(&self, ln_c: f64, x_end: f64) -> (f64, f64) {
        let n = 2000;
        let mut best = (0.0, 0.0);
        for i in 1..=n {
            let x = x_end * i as f64 / n as f64;
            let (l0, sy) = self.centreline_ln_c(x);
            let w = sy * (2.0 * (l0 - ln_c).max(0.0)).sqrt();
            if w > best.1 {
                best = (x, w);
            }
        }
        best
    }

    /// Lethality at local (x, y) (0 for NaN).
    #[inline]
    pub fn at(&self, x: f64, y: f64) -> f64 {
        if !self.covers(x, y) {
            return 0.0;
        }
        self.at_geometry(&PlumeGeometry::at(x, y, self.spec.stability))
    }

    /// Whether local (x, y) lies in the rectangle 0 < x ≤ x_max, |y| ≤ half-width outside which
    /// the lethality is 0 (false for NaN).
    #[inline]
    pub fn covers(&self, x: f64, y: f64) -> bool {
        x > 0.0 && x <= self.x_max_m && y.abs() <= self.half_width_m
    }

    /// [`GaussianPlume::at`] at a covered point ([`GaussianPlume::covers`]) from the geometry
    /// of the plume's stability class there: ln C = (ln K − ln(σ_y σ_z)) − y²/(2σ_y²), then the
    /// probit. The same bits as `at`; the engine forms `g` once per cell for every plume of
    /// an installation, class and wind direction.
    #[inline]
    pub fn at_geometry(&self, g: &PlumeGeometry) -> f64 {
        let ln_c = self.ln_k - g.ln_sy_sz - g.y2_over_2sy2;
        if ln_c.is_nan() || ln_c < self.ln_c_min {
            return 0.0;
        }
        probit_to_probability_tabulated(self.y_const + self.y_slope * ln_c)
    }

    /// Farthest point with lethality > 0 from the release point, m (bounding rectangle).
    pub fn reach_m(&self) -> f64 {
        self.x_max_m.hypot(self.half_width_m)
    }

    /// Bounding rectangle `[x_min, x_max, y_min, y_max]`, m.
    pub fn local_rect(&self) -> [f64; 4] {
        [0.0, self.x_max_m, -self.half_width_m, self.half_width_m]
    }

    /// Corners of a staircase containing the P ≥ P_MIN region (empty when the plume never
    /// reaches P_MIN), whose hull is smaller than the bounding rectangle (a plume is a cigar:
    /// 0.83 of it for a 3 kg/s release in class F, tested below 0.85): on [x_a, x_b], the half-width w = σ_y·√(2(ln C₀ − ln C_min)) is at most
    /// σ_y(x_b)·√(2(ln C₀(x_a) − ln C_min)), since σ_y grows and ln C₀ falls with x for the
    /// Briggs σ's (σ_y·σ_z increases). On the first segment, where ln C₀(0) is infinite, the
    /// bound is the largest of 64 samples with a 5 % margin. Never wider than the rectangle
    /// (outside it the lethality is 0).
    pub fn support_points(&self) -> Vec<(f64, f64)> {
        const SEGMENTS: usize = 24;
        if self.x_max_m <= 0.0 {
            return Vec::new();
        }
        let x_at = |i: usize| self.x_max_m * i as f64 / SEGMENTS as f64;
        let mut pts = vec![(0.0, 0.0)];
        for i in 0..SEGMENTS {
            let (xa, xb) = (x_at(i), x_at(i + 1));
            let w = if i == 0 {
                1.05 * self.widest_of(self.ln_c_min, xb, 64)
            } else {
                let (l0, _) = self.centreline_ln_c(xa);
                let (sy_b, _) = self.sig(xb);
                sy_b * (2.0 * (l0 - self.ln_c_min).max(0.0)).sqrt()
            };
            let w = w.min(self.half_width_m);
            pts.extend([(xa, -w), (xa, w), (xb, -w), (xb, w)]);
        }
        pts
    }

    /// Farthest distance from the release point at which the lethality is at least `p`, m: the
    /// largest hypot(x, w_p(x)) along the contour of level `p` (64 samples refined by a
    /// golden-section search), at least the centreline distance.
    pub fn distance_to_lethality_m(&self, p: f64) -> f64 {
        if p.is_nan() || p <= 0.0 {
            return self.reach_m();
        }
        if p > 1.0 {
            return 0.0;
        }
        let y = 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(p.clamp(P_MIN, 1.0));
        let ln_c = if y.is_finite() {
            (y - self.y_const) / self.y_slope
        } else {
            f64::INFINITY
        };
        if !ln_c.is_finite() {
            return 0.0;
        }
        let x_p = self.centreline_distance(ln_c);
        // Distance of the contour point at x: hypot(x, w_p(x)).
        let r = |x: f64| {
            let (l0, sy) = self.centreline_ln_c(x);
            x.hypot(sy * (2.0 * (l0 - ln_c).max(0.0)).sqrt())
        };
        // 64 samples, then a golden-section search between the best one's neighbours.
        let n = 64;
        let (mut k_best, mut best) = (n, x_p);
        for k in 1..n {
            let v = r(x_p * k as f64 / n as f64);
            if v > best {
                (k_best, best) = (k, v);
            }
        }
        let (mut a, mut b) = (
            x_p * (k_best - 1) as f64 / n as f64,
            x_p * (k_best + 1).min(n) as f64 / n as f64,
        );
        let g = 0.5 * (5f64.sqrt() - 1.0);
        for _ in 0..60 {
            let (c, d) = (b - g * (b - a), a + g * (b - a));
            if r(c) >= r(d) {
                b = d;
            } else {
                a = c;
            }
        }
        best.max(r(0.5 * (a + b)))
    }
}

// ---------------------------------------------------------------------------------------------

/// What a study file gives for a [`TntBlast`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TntBlastSpec {
    /// TNT-equivalent mass W, kg (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 1000.0)]
    pub tnt_mass_kg: f64,
    /// Overpressure probit.
    #[schemars(example = &"eisenberg")]
    pub probit: BlastProbit,
}

/// Blast lethality of a TNT-equivalent charge at the release point (module docs): radially
/// symmetric, 0 beyond the distance where P falls to [`P_MIN`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "TntBlastSpec", into = "TntBlastSpec")]
#[schemars(with = "TntBlastSpec")]
pub struct TntBlast {
    spec: TntBlastSpec,
    /// W^(1/3), kg^(1/3).
    w13: f64,
    /// Distance where P falls to P_MIN, m.
    cut_m: f64,
}

spec_conversions!(TntBlast, TntBlastSpec);

/// Scaled distance at which an overpressure-only blast probit gives lethality P, by (probit,
/// P bits), m/kg^(1/3): a memo of a pure function of the two (the same for every charge mass),
/// filled by whichever thread needs it first — the value is the same either way. At most
/// [`BLAST_Z_MEMO_MAX`] entries (beyond, each call computes its own).
static BLAST_Z_MEMO: std::sync::OnceLock<
    std::sync::Mutex<std::collections::HashMap<(u8, u64), f64>>,
> = std::sync::OnceLock::new();

/// Largest number of entries of [`BLAST_Z_MEMO`].
const BLAST_Z_MEMO_MAX: usize = 4096;

/// Scaled distances searched for a blast's cut-off, m/kg^(1/3): from the fits' near end to
/// ten times their far end, in steps of 1 %.
const BLAST_Z_RANGE: (f64, f64) = (0.2, 2000.0);

impl TntBlast {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a non-positive or non-finite TNT mass.
    pub fn new(spec: TntBlastSpec) -> Result<Self> {
        check::positive("tnt_mass_kg", spec.tnt_mass_kg)?;
        check::finite("tnt_mass_kg", spec.tnt_mass_kg)?;
        let w13 = spec.tnt_mass_kg.cbrt();
        let mut b = TntBlast {
            spec,
            w13,
            cut_m: 0.0,
        };
        b.cut_m = b.distance_of(P_MIN);
        Ok(b)
    }

    /// The parameters.
    pub fn spec(&self) -> &TntBlastSpec {
        &self.spec
    }

    /// Lethality at scaled distance z (no cut-off).
    #[inline]
    fn p_at_z(&self, z: f64) -> f64 {
        let probit = self.spec.probit;
        if probit.uses_impulse() {
            let b = kingery_bulmash::blast_parameters(self.spec.tnt_mass_kg, z * self.w13);
            probit.probability(b.incident_overpressure_pa, b.incident_impulse_pa_s)
        } else {
            probit.probability(kingery_bulmash::incident_overpressure_pa(z), 0.0)
        }
    }

    /// Largest distance at which the lethality is at least `p`, m (0 when it never is): the
    /// scaled distance of [`TntBlast::scaled_distance_of`] times W^(1/3). For an
    /// overpressure-only probit that scaled distance does not depend on the charge, so it is
    /// computed once per (probit, p) and kept ([`BLAST_Z_MEMO`]; the same bits).
    fn distance_of(&self, p: f64) -> f64 {
        let probit = self.spec.probit;
        if probit.uses_impulse() {
            return self.scaled_distance_of(p) * self.w13;
        }
        let key = (probit as u8, p.to_bits());
        let memo = BLAST_Z_MEMO.get_or_init(Default::default);
        let known = memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .copied();
        let z = match known {
            Some(z) => z,
            None => {
                let z = self.scaled_distance_of(p);
                let mut m = memo.lock().unwrap_or_else(|e| e.into_inner());
                if m.len() < BLAST_Z_MEMO_MAX {
                    m.insert(key, z);
                }
                z
            }
        };
        z * self.w13
    }

    /// Largest scaled distance at which the lethality is at least `p`, m/kg^(1/3) (0 when it
    /// never is): the last point of a 1 % geometric scan of Z with P ≥ p, refined by 60
    /// bisections between it and the next (the fits' segments meet with small jumps, so P need
    /// not be monotonic across a segment boundary; the scan finds the last crossing).
    fn scaled_distance_of(&self, p: f64) -> f64 {
        let (z0, z1) = BLAST_Z_RANGE;
        let mut last = None;
        let mut z = z0;
        while z <= z1 {
            if self.p_at_z(z) >= p {
                last = Some(z);
            }
            z *= 1.01;
        }
        let Some(lo) = last else {
            // Below p even in the near-field plateau.
            return 0.0;
        };
        let (mut lo, mut hi) = (lo, lo * 1.01);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.p_at_z(mid) >= p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Lethality at local (x, y) (0 for NaN and beyond the cut-off).
    #[inline]
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let r = x.hypot(y);
        if r.is_nan() || r > self.cut_m {
            return 0.0;
        }
        self.p_at_z(r / self.w13)
    }

    /// Distance beyond which the lethality is 0, m.
    pub fn reach_m(&self) -> f64 {
        self.cut_m
    }

    /// Largest distance at which the lethality is at least `p`, m.
    pub fn distance_to_lethality_m(&self, p: f64) -> f64 {
        if p.is_nan() || p <= 0.0 {
            return self.cut_m;
        }
        self.distance_of(p.max(P_MIN)).min(self.cut_m)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::vulnerability::probit_to_probability;
    use approx::assert_relative_eq;

    fn pool() -> PointSourceFire {
        // A 20 m² pool fire of a hydrocarbon: m'' = 0.1 kg/m²/s, ΔHc = 46.4 MJ/kg, F = 0.35.
        PointSourceFire::new(PointSourceFireSpec {
            source_x_m: 0.0,
            radiated_power_w: 0.35 * 0.1 * 20.0 * 46.4e6,
            transmissivity: 0.8,
            exposure_s: 20.0,
            probit: ThermalProbit::Eisenberg,
            lethal_radius_m: (20.0 / std::f64::consts::PI).sqrt(),
            lethal_envelope: None,
        })
        .unwrap()
    }

    /// The point-source field by hand: q = τP/(4πr²), Y = −38.48 + 2.56 ln(t q^(4/3)),
    /// P = Φ(Y − 5) with Φ from statrs' normal CDF (an independent implementation of Φ).
    #[test]
    fn point_source_fire_matches_the_hand_formula() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let phi = |z: f64| Normal::new(0.0, 1.0).unwrap().cdf(z);
        let f = pool();
        let p_rad = 0.35 * 0.1 * 20.0 * 46.4e6;
        for r in [5.0, 10.0, 20.0, 28.0, 35.0] {
            let q: f64 = 0.8 * p_rad / (4.0 * std::f64::consts::PI * r * r);
            let y = -38.48 + 2.56 * (20.0 * q.powf(4.0 / 3.0)).ln();
            let want = phi(y - 5.0);
            let want = if want >= P_MIN { want } else { 0.0 };
            // along x and at 40° off the axis (radially symmetric); 10⁻⁸: the tabulated Φ.
            assert_relative_eq!(f.at(r, 0.0), want, max_relative = 1e-8);
            let (c, s) = (40f64.to_radians().cos(), 40f64.to_radians().sin());
            assert_relative_eq!(f.at(r * c, r * s), want, max_relative = 1e-8);
        }
        // Inside the pool: 1; at the cut-off distance P = P_MIN, beyond 0.
        assert_eq!(f.at(1.0, 1.0), 1.0);
        let cut = f.cut_off_m();
        assert_relative_eq!(f.at(cut * (1.0 - 1e-9), 0.0), P_MIN, max_relative = 1e-6);
        assert_eq!(f.at(cut * 1.000001, 0.0), 0.0);
        assert_eq!(f.at(f64::NAN, 0.0), 0.0);
        assert!(f.is_radially_symmetric());
        assert_relative_eq!(f.reach_m(), cut);
        // The distance of P = 0.5 is where Y = 5: ln V = 43.48/2.56.
        let v50 = (43.48f64 / 2.56).exp();
        let q50 = (v50 / 20.0).powf(0.75);
        let r50 = (0.8 * p_rad / (4.0 * std::f64::consts::PI * q50)).sqrt();
        assert_relative_eq!(f.distance_to_lethality_m(0.5), r50, max_relative = 1e-9);
    }

    /// Inside the disc where `at` returns 1 without the probit, the probit gives 1.0 too (the
    /// shortcut changes no bit), for a pool fire and for a jet flame with a lethal radius.
    #[test]
    fn certain_disc_gives_the_probits_bits() {
        for f in [pool(), jet_flame()] {
            assert!(f.certain_r2 > 0.0 && f.certain_r2 < f.cut_m * f.cut_m);
            for i in 1..=20_000 {
                let r2 = f.certain_r2 * i as f64 / 20_000.0;
                if r2 > f.spec.lethal_radius_m * f.spec.lethal_radius_m {
                    let p = probit_to_probability(f.y0 - f.y_slope * r2.ln());
                    assert_eq!(p.to_bits(), 1.0f64.to_bits(), "r² = {r2}");
                }
            }
            // Just outside, the probit is used (and may still be 1, never more).
            let r = (f.certain_r2 * 1.01).sqrt();
            assert!(f.at(f.spec.source_x_m + r, 0.0) <= 1.0);
        }
    }

    /// A 10 kg/s hydrocarbon jet flame (L = 18.5·10^0.41 = 47.6 m, F = 0.2, ΔHc = 46.4 MJ/kg,
    /// τ = 0.8, 20 s): the point source at the flame's middle, its envelope lethal.
    pub(crate) fn jet_flame() -> PointSourceFire {
        PointSourceFire::new(PointSourceFireSpec {
            source_x_m: 23.8,
            radiated_power_w: 0.2 * 10.0 * 46.4e6,
            transmissivity: 0.8,
            exposure_s: 20.0,
            probit: ThermalProbit::Eisenberg,
            lethal_radius_m: 0.0,
            lethal_envelope: Some(Envelope {
                x_min_m: 0.0,
                x_max_m: 47.6,
                half_width_m: 4.76,
            }),
        })
        .unwrap()
    }

    /// A jet flame: the envelope is lethal, the field is centred on the flame's middle.
    #[test]
    fn point_source_fire_with_an_envelope() {
        let f = jet_flame();
        assert!(!f.is_radially_symmetric());
        assert_eq!(f.at(0.0, 4.76), 1.0);
        assert_eq!(f.at(47.6, -4.76), 1.0);
        // Radially symmetric about the source (23.8, 0) outside the envelope: 15 m away.
        let p = f.at(23.8, 15.0);
        assert!(p > 0.0 && p < 1.0, "{p}");
        assert_eq!(f.at(23.8, -15.0), p);
        let (c, s) = (40f64.to_radians().cos(), 40f64.to_radians().sin());
        assert_relative_eq!(f.at(23.8 + 15.0 * c, 15.0 * s), p, max_relative = 1e-12);
        let [x0, x1, y0, y1] = f.local_rect();
        let cut = f.cut_off_m();
        assert!(cut > 23.8 && f.at(23.8, cut * 1.0001) == 0.0);
        assert_eq!([x0, x1, y0, y1], [23.8 - cut, 23.8 + cut, -cut, cut]);
        assert!(PointSourceFire::new(PointSourceFireSpec {
            transmissivity: 1.5,
            ..f.spec().clone()
        })
        .is_err());
    }

    /// The plume by hand at D 5 m/s, Q = 5 kg/s: σ_y = 0.08x(1 + 10⁻⁴x)^−½,
    /// σ_z = 0.06x(1 + 1.5·10⁻³x)^−½ (Briggs rural D), C = Q/(π u σ_y σ_z)·exp(−y²/2σ_y²),
    /// Y = −6.35 + 0.5 ln(C^2.75 · 10 min).
    #[test]
    fn gaussian_plume_matches_the_hand_formula() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let phi = |z: f64| Normal::new(0.0, 1.0).unwrap().cdf(z);
        let g = GaussianPlume::new(GaussianPlumeSpec {
            rate_kg_s: 5.0,
            wind_speed_m_s: 5.0,
            stability: Stability::D,
            probit_a: -6.35,
            probit_b: 0.5,
            probit_n: 2.75,
            exposure_s: 600.0,
        })
        .unwrap();
        for (x, y) in [(200.0, 0.0), (500.0, 20.0), (1000.0, -40.0), (50.0, 3.0)] {
            let sy: f64 = 0.08 * x / (1.0f64 + 1e-4 * x).sqrt();
            let sz: f64 = 0.06 * x / (1.0f64 + 1.5e-3 * x).sqrt();
            let c =
                5.0e6 / (std::f64::consts::PI * 5.0 * sy * sz) * (-(y * y) / (2.0 * sy * sy)).exp();
            let yp = -6.35 + 0.5 * (c.powf(2.75) * 10.0).ln();
            let want = phi(yp - 5.0);
            let got = g.at(x, y);
            // 10⁻⁸: the tabulated Φ ([`probit_to_probability_tabulated`]).
            if want >= P_MIN {
                assert_relative_eq!(got, want, max_relative = 1e-8);
            } else {
                assert_eq!(got, 0.0);
            }
        }
        assert_eq!(g.at(0.0, 0.0), 0.0);
        assert_eq!(g.at(-1.0, 0.0), 0.0);
        // The centreline reaches P_MIN at x_max (within the bisection's precision).
        let [_, x_max, _, w] = g.local_rect();
        assert!(g.at(x_max * (1.0 - 1e-6), 0.0) >= P_MIN);
        assert_eq!(g.at(x_max * (1.0 + 1e-6), 0.0), 0.0);
        // Every non-zero point lies in the rectangle: probe just outside its half-width.
        for i in 1..100 {
            let x = x_max * i as f64 / 100.0;
            assert_eq!(g.at(x, w * 1.0001), 0.0);
        }
        // The P = 0.5 distance is on the centreline where Y = 5.
        let d50 = g.distance_to_lethality_m(0.5);
        assert!(d50 > 0.0 && d50 < x_max);
        assert_relative_eq!(g.at(d50 * 0.999, 0.0), 0.5, epsilon = 0.01);
    }

    /// The blast by hand: 1 000 kg TNT at 30 m, Z = 3 m/kg^(1/3): Swisdak's second segment,
    /// ln P_so[kPa] = 7.5938 − 3.0523 L + 0.40977 L² + 0.0261 L³ − 0.01267 L⁴ (L = ln 3), and
    /// the Eisenberg lung probit Y = −77.1 + 6.91 ln P_so[Pa].
    #[test]
    fn tnt_blast_matches_the_hand_formula() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let phi = |z: f64| Normal::new(0.0, 1.0).unwrap().cdf(z);
        let b = TntBlast::new(TntBlastSpec {
            tnt_mass_kg: 1000.0,
            probit: BlastProbit::EisenbergLung,
        })
        .unwrap();
        // Z = 0.8 (first segment, P ≈ 1) and Z = 3 (second).
        for (r, c) in [
            (8.0, [7.2106, -2.1069, -0.3229, 0.1117, 0.0685]),
            (30.0, [7.5938, -3.0523, 0.40977, 0.0261, -0.01267]),
        ] {
            let l: f64 = (r / 10.0f64).ln();
            let ln_p = c[0] + c[1] * l + c[2] * l * l + c[3] * l.powi(3) + c[4] * l.powi(4);
            let y = -77.1 + 6.91 * (ln_p.exp() * 1e3).ln();
            let want = phi(y - 5.0);
            let want = if want >= P_MIN { want } else { 0.0 };
            assert_relative_eq!(b.at(r * 0.6, r * 0.8), want, max_relative = 1e-9);
        }
        let cut = b.reach_m();
        assert!(b.at(cut * (1.0 - 1e-9), 0.0) >= P_MIN);
        assert_eq!(b.at(cut * (1.0 + 1e-6), 0.0), 0.0);
        assert_eq!(b.at(f64::NAN, 0.0), 0.0);
        // P = 0.5 where ln P_so[Pa] = 82.1/6.91.
        let d50 = b.distance_to_lethality_m(0.5);
        assert_relative_eq!(b.at(d50 * (1.0 - 1e-9), 0.0), 0.5, epsilon = 1e-6);
        assert!(TntBlast::new(TntBlastSpec {
            tnt_mass_kg: 0.0,
            probit: BlastProbit::Hse
        })
        .is_err());
    }

    /// Overpressure-only blasts of any mass share one scaled distance per (probit, P) (kept once
    /// computed): every mass gets the scan's own distance bit for bit, and the lethality there
    /// is the level (within the bisection) — for an impulse probit too, which is not kept.
    #[test]
    fn blast_distances_are_the_scan_for_every_mass() {
        for probit in [
            BlastProbit::EisenbergLung,
            BlastProbit::Hse,
            BlastProbit::TnoHeadImpact,
        ] {
            for mass in [3.0, 250.0, 1000.0, 7.3e4] {
                let b = TntBlast::new(TntBlastSpec {
                    tnt_mass_kg: mass,
                    probit,
                })
                .unwrap();
                for p in [P_MIN, 0.01, 0.5, 0.99] {
                    let scan = b.scaled_distance_of(p) * b.w13;
                    let got = b.distance_to_lethality_m(p);
                    assert_eq!(
                        got.to_bits(),
                        scan.min(b.reach_m()).to_bits(),
                        "{probit:?} {mass} {p}"
                    );
                    if got > 0.0 && got < b.reach_m() {
                        assert!(b.at(got * (1.0 - 1e-9), 0.0) >= p * (1.0 - 1e-6));
                    }
                }
            }
        }
    }

    /// The plume's effect distances against a brute-force scan of its contour (200 000 points),
    /// for narrow (F) and wide (B) plumes and three levels.
    #[test]
    fn plume_effect_distances_match_a_dense_scan() {
        for (stability, u) in [
            (Stability::F, 1.5),
            (Stability::B, 3.0),
            (Stability::D, 5.0),
        ] {
            let g = GaussianPlume::new(GaussianPlumeSpec {
                rate_kg_s: 8.0,
                wind_speed_m_s: u,
                stability,
                probit_a: -14.3,
                probit_b: 1.0,
                probit_n: 2.3,
                exposure_s: 600.0,
            })
            .unwrap();
            for p in [0.01, 0.5, 0.99] {
                let y = 5.0 + crate::vulnerability::thermal::inverse_normal_cdf(p);
                let ln_c = (y - g.y_const) / g.y_slope;
                let x_p = g.centreline_distance(ln_c);
                let n = 200_000;
                let dense = (1..=n)
                    .map(|i| {
                        let x = x_p * i as f64 / n as f64;
                        let (l0, sy) = g.centreline_ln_c(x);
                        x.hypot(sy * (2.0 * (l0 - ln_c).max(0.0)).sqrt())
                    })
                    .fold(0.0, f64::max);
                let got = g.distance_to_lethality_m(p);
                assert!(
                    got >= dense * (1.0 - 1e-9),
                    "{stability:?} {p}: {got} < {dense}"
                );
                assert_relative_eq!(got, dense, max_relative = 1e-6);
            }
        }
    }

    #[test]
    fn ellipse_edges_and_reach() {
        let e = Ellipse {
            centre_x_m: 100.0,
            semi_axis_x_m: 100.0,
            semi_axis_y_m: 30.0,
            p: 1.0,
        };
        e.validate().unwrap();
        assert_eq!(e.at(0.0, 0.0), 1.0);
        assert_eq!(e.at(200.0, 0.0), 1.0);
        assert_eq!(e.at(100.0, 30.0), 1.0);
        assert_eq!(e.at(100.0, 30.001), 0.0);
        assert_eq!(e.at(-0.001, 0.0), 0.0);
        assert_eq!(e.reach_m(), 200.0);
        // A wide ellipse about the origin: the farthest points are off the axis; compare with
        // a dense scan of the boundary.
        let w = Ellipse {
            centre_x_m: 10.0,
            semi_axis_x_m: 20.0,
            semi_axis_y_m: 50.0,
            p: 0.5,
        };
        let scan = (0..100_000)
            .map(|k| {
                let t = 2.0 * std::f64::consts::PI * k as f64 / 100_000.0;
                (10.0 + 20.0 * t.cos()).hypot(50.0 * t.sin())
            })
            .fold(0.0, f64::max);
        assert_relative_eq!(w.reach_m(), scan, max_relative = 1e-8);
        assert!(Ellipse {
            semi_axis_y_m: 0.0,
            ..w.clone()
        }
        .validate()
        .is_err());
        assert!(Ellipse { p: 1.2, ..w }.validate().is_err());
    }
}
