//! Lethality footprints: the probability of death around one release, for one outcome under one
//! weather class, in the outcome's own frame.
//!
//! # Frame and units
//! `x` is the downwind distance from the release point, `y` the crosswind distance (positive to the
//! left of the downwind direction), both in metres. Lethality is a probability in `[0, 1]`.
//!
//! # Conventions (documented values for awkward points)
//! * Points beyond [`Shape::reach_m`] have lethality 0 (the engine culls them).
//! * [`Shape::Circle`]: lethality `p` for `r ≤ radius_m` (the source point included), 0 beyond.
//! * [`Shape::Radial`]: linear interpolation in `r`; for `r` below the first tabulated
//!   distance the first value is used (so the source point is defined); 0 beyond the last distance.
//! * [`Shape::Directional`]: bilinear interpolation on a regular raster; 0 outside it
//!   (upwind points outside the raster are therefore 0).
//! * [`Shape::Band`]: `p` where |y| ≤ w(x) (w linear between columns, edge included), 0 outside.
//! * Parametric shapes ([`Shape::Ellipse`], [`Shape::PointSourceFire`], [`Shape::GaussianPlume`],
//!   [`Shape::TntBlast`]): their closed forms ([`crate::risk::parametric`]), 0 below
//!   [`crate::vulnerability::P_MIN`]; the engine evaluates them exactly at every grid cell
//!   instead of resampling them.
//!
//! Evaluation never returns NaN: the constructors reject non-finite and out-of-range values.
//!
//! These are the engine's only inputs: the consequence models are sampled into a `RadialTable`
//! (isotropic effects: fires, fireballs, explosions), a `DirectionalTable` (plumes) or a
//! `BandTable` (flash-fire clouds) once per (event, weather, outcome) — analytic outcomes give
//! any shape, parametric ones included — and the engine reuses that sample for every wind
//! direction by rotating grid coordinates into the local frame (see [`super::engine`]).

use serde::{Deserialize, Serialize};

use crate::error::{check, QraError, Result};
use crate::numerics::{bilinear_f32, lerp};
pub use crate::risk::parametric::{Ellipse, GaussianPlume, PointSourceFire, TntBlast};

/// Largest number of samples in one footprint table (guards memory; 4·10⁶ samples = 32 MB).
pub const MAX_TABLE_SAMPLES: usize = 4_000_000;

/// Every value must be a probability; the error names the first bad index (no allocation unless
/// there is an error: tables hold up to millions of values). A branch-free pass over the values
/// first (the compiler vectorises it: the element-by-element search with its early exit was
/// 2 % of the physical park-1000 run's instructions, every raster footprint being checked when
/// built and again as a footprint's shape); the bad index is searched for only on failure.
fn check_probabilities<T: Copy + Into<f64>>(values: &[T]) -> Result<()> {
    // Non-short-circuit `&` on the two comparisons: no branch in the loop.
    #[allow(clippy::manual_range_contains)]
    let all = values.iter().fold(true, |ok, &p| {
        let p: f64 = p.into();
        ok & (p >= 0.0) & (p <= 1.0)
    });
    if all {
        return Ok(());
    }
    match values
        .iter()
        .position(|&p| !(0.0..=1.0).contains(&p.into()))
    {
        None => Ok(()),
        Some(i) => check::probability(&format!("lethality[{i}]"), values[i].into()).map(|_| ()),
    }
}

/// An isotropic lethality table P(r), validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RadialTable {
    /// Distances from the release point, m, strictly increasing, first ≥ 0.
    pub distance_m: Vec<f64>,
    /// Lethality at each distance, in [0, 1].
    pub lethality: Vec<f64>,
}

impl RadialTable {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for mismatched lengths, fewer than 2 points, non-increasing or
    /// negative distances, lethality outside [0, 1].
    pub fn new(distance_m: Vec<f64>, lethality: Vec<f64>) -> Result<Self> {
        let t = RadialTable {
            distance_m,
            lethality,
        };
        t.validate()?;
        Ok(t)
    }

    /// Checks the invariants (used after deserialisation too).
    pub fn validate(&self) -> Result<()> {
        let n = self.distance_m.len();
        if n < 2 {
            return Err(QraError::invalid(
                "distance_m",
                format!("{n} values"),
                "needs at least 2 values",
            ));
        }
        if self.lethality.len() != n {
            return Err(QraError::invalid(
                "lethality",
                format!("{} values", self.lethality.len()),
                format!("must have as many values as distance_m ({n})"),
            ));
        }
        check::size_limit("distance_m", n as u128, MAX_TABLE_SAMPLES as u128)?;
        check::all_finite("distance_m", &self.distance_m)?;
        check::non_negative("distance_m[0]", self.distance_m[0])?;
        for i in 1..n {
            if self.distance_m[i] <= self.distance_m[i - 1] {
                return Err(QraError::invalid(
                    format!("distance_m[{i}]"),
                    self.distance_m[i],
                    "must be > the previous distance (strictly increasing)",
                ));
            }
        }
        check_probabilities(&self.lethality)?;
        Ok(())
    }

    /// Lethality at distance `r_m` (linear interpolation; first value below the table; 0 beyond).
    pub fn at(&self, r_m: f64) -> f64 {
        let d = &self.distance_m;
        let n = d.len();
        // Guards for tables built field by field without `new` (never panic).
        if n == 0 || self.lethality.len() != n {
            return 0.0;
        }
        if r_m.is_nan() || r_m > d[n - 1] {
            return 0.0;
        }
        if r_m <= d[0] || n == 1 {
            return self.lethality[0];
        }
        // first index with d[i] >= r
        let i = d.partition_point(|&v| v < r_m).clamp(1, n - 1);
        let t = (r_m - d[i - 1]) / (d[i] - d[i - 1]);
        lerp(self.lethality[i - 1], self.lethality[i], t)
    }
}

/// A lethality raster in the outcome's local frame (x downwind, y crosswind), validated.
///
/// Node `(i, j)` is at `x = x0_m + i·dx_m`, `y = y0_m + j·dy_m`; `lethality[j·nx + i]`
/// (row-major, rows = y).
///
/// The values are stored in single precision (`f32`: 24-bit significand, relative rounding
/// ≤ 6·10⁻⁸, far below any model's accuracy) and interpolated in double precision: the
/// rasters are most of a study's memory (park-1000 with qra's physical models: 4 100 rasters
/// of 160 × 81 nodes, 243 MB in f64; issue 14). Constructors take f64 values and round them
/// to the nearest f32.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectionalTable {
    /// Local x of the first column, m.
    pub x0_m: f64,
    /// Local y of the first row, m.
    pub y0_m: f64,
    /// Column spacing, m (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub dx_m: f64,
    /// Row spacing, m (> 0).
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub dy_m: f64,
    /// Number of columns (≥ 2).
    pub nx: usize,
    /// Number of rows (≥ 2).
    pub ny: usize,
    /// Lethality at the nodes, row-major, in [0, 1]; kept in single precision (relative
    /// rounding ≤ 6·10⁻⁸).
    #[serde(deserialize_with = "probabilities_as_f32")]
    #[schemars(with = "Vec<f64>")]
    pub lethality: Vec<f32>,
}

/// Reads a list of numbers, checks that each is a probability in double precision (a value
/// just above 1 must not be accepted by rounding to 1 in single precision), and rounds them.
fn probabilities_as_f32<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<f32>, D::Error> {
    let v = Vec::<f64>::deserialize(d)?;
    check_probabilities(&v).map_err(serde::de::Error::custom)?;
    Ok(v.into_iter().map(|p| p as f32).collect())
}

impl DirectionalTable {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for non-positive spacings, fewer than 2×2 nodes, a length that is
    /// not `nx·ny`, lethality outside [0, 1]; [`QraError::ResourceLimit`] above
    /// [`MAX_TABLE_SAMPLES`] nodes.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        x0_m: f64,
        y0_m: f64,
        dx_m: f64,
        dy_m: f64,
        nx: usize,
        ny: usize,
        lethality: Vec<f64>,
    ) -> Result<Self> {
        // Checked in double precision first: a value just above 1 must not round to 1. A
        // probability rounded to single precision is still a probability (0 and 1 are exact,
        // rounding is monotone), so the rounded values are not checked again.
        check_probabilities(&lethality)?;
        let t = DirectionalTable {
            x0_m,
            y0_m,
            dx_m,
            dy_m,
            nx,
            ny,
            lethality: lethality.into_iter().map(|v| v as f32).collect(),
        };
        t.validate_layout()?;
        Ok(t)
    }

    /// Checks the invariants (used after deserialisation too).
    pub fn validate(&self) -> Result<()> {
        self.validate_layout()?;
        check_probabilities(&self.lethality)
    }

    /// The invariants but the values' range: finite origin, positive spacings, at least 2 × 2
    /// nodes within [`MAX_TABLE_SAMPLES`], `nx·ny` values.
    fn validate_layout(&self) -> Result<()> {
        check::finite("x0_m", self.x0_m)?;
        check::finite("y0_m", self.y0_m)?;
        check::positive("dx_m", self.dx_m)?;
        check::positive("dy_m", self.dy_m)?;
        if self.nx < 2 {
            return Err(QraError::invalid("nx", self.nx, "must be >= 2"));
        }
        if self.ny < 2 {
            return Err(QraError::invalid("ny", self.ny, "must be >= 2"));
        }
        let n = (self.nx as u128) * (self.ny as u128);
        check::size_limit("nx*ny", n, MAX_TABLE_SAMPLES as u128)?;
        if self.lethality.len() as u128 != n {
            return Err(QraError::invalid(
                "lethality",
                format!("{} values", self.lethality.len()),
                format!("must have nx*ny = {n} values"),
            ));
        }
        Ok(())
    }

    /// Bilinear interpolation at local `(x, y)`; 0 outside the raster.
    pub fn at(&self, x: f64, y: f64) -> f64 {
        self.at_index((x - self.x0_m) / self.dx_m, (y - self.y0_m) / self.dy_m)
    }

    /// Bilinear interpolation at fractional node indices `(fx, fy)` (column, row); 0 outside
    /// the raster (and for NaN).
    #[inline(always)]
    pub(crate) fn at_index(&self, fx: f64, fy: f64) -> f64 {
        self.lookup().map_or(0.0, |l| l.at(fx, fy))
    }

    /// The raster's interpolation with its checks done once ([`NodeLookup`]); `None` for fewer
    /// than 2×2 nodes, a length other than `nx·ny` or a dimension beyond `u32` (all 0).
    #[inline]
    pub(crate) fn lookup(&self) -> Option<NodeLookup<'_>> {
        let (nx, ny) = (self.nx, self.ny);
        if nx < 2 || ny < 2 || self.lethality.len() != nx.checked_mul(ny)? {
            return None;
        }
        Some(NodeLookup {
            nx,
            last_i: u32::try_from(nx - 2).ok()?,
            last_j: u32::try_from(ny - 2).ok()?,
            fx_max: (nx - 1) as f64,
            fy_max: (ny - 1) as f64,
            values: &self.lethality,
        })
    }
    /// Corners of the raster in the local frame.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let x1 = self.x0_m + self.nx.saturating_sub(1) as f64 * self.dx_m;
        let y1 = self.y0_m + self.ny.saturating_sub(1) as f64 * self.dy_m;
        [
            (self.x0_m, self.y0_m),
            (x1, self.y0_m),
            (x1, y1),
            (self.x0_m, y1),
        ]
    }
}

/// Bilinear interpolation in a [`DirectionalTable`] at fractional node indices, with the
/// table's shape checked once: the population sums call it for every point of a footprint
/// (issue 14), where reloading and re-checking the table per point cost more than the
/// interpolation.
#[derive(Clone, Copy)]
pub(crate) struct NodeLookup<'a> {
    nx: usize,
    last_i: u32,
    last_j: u32,
    fx_max: f64,
    fy_max: f64,
    values: &'a [f32],
}

impl NodeLookup<'_> {
    /// Bilinear value at fractional node indices `(fx, fy)` (column, row); 0 outside the raster
    /// (and for NaN). Node indices are cast through `u32` (cheaper to convert than `usize`;
    /// the same values, the dimensions being checked to fit).
    #[inline(always)]
    pub(crate) fn at(&self, fx: f64, fy: f64) -> f64 {
        // Written so that NaN fails the test and gives 0.
        if !(fx >= 0.0 && fy >= 0.0 && fx <= self.fx_max && fy <= self.fy_max) {
            return 0.0;
        }
        let i = (fx as u32).min(self.last_i);
        let j = (fy as u32).min(self.last_j);
        let tx = fx - f64::from(i);
        let ty = fy - f64::from(j);
        let nx = self.nx;
        bilinear_f32(self.values, j as usize * nx + i as usize, nx, tx, ty)
    }
}

/// Example band half-widths, m (schema example).
const EXAMPLE_HALF_WIDTH_M: [f64; 4] = [0.0, 20.0, 35.0, 20.0];

/// Uniform lethality `p` inside the band |y| ≤ w(x) about the downwind axis, 0 outside: the
/// footprint of a flash fire (lethality 1 inside the LFL envelope of the cloud). The half-width
/// w is tabulated at `half_width_m.len()` columns `x = x0_m + i·dx_m` and interpolated linearly
/// in x; 0 upwind of the first and downwind of the last column. The edge stays a step wherever
/// it is evaluated (a 0/1 raster interpolated bilinearly would smear it over a raster cell), and
/// the table holds one number per column instead of one per raster node (issue 14: flash-fire
/// rasters were half of park-1000's footprint memory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandTable {
    /// Local x of the first column, m.
    #[schemars(example = 0.0)]
    pub x0_m: f64,
    /// Column spacing, m (> 0).
    #[schemars(example = 50.0)]
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub dx_m: f64,
    /// Half-width of the band at each column, m (≥ 0; at least 2 columns).
    #[schemars(example = EXAMPLE_HALF_WIDTH_M)]
    pub half_width_m: Vec<f64>,
    /// Lethality inside the band, in [0, 1].
    #[schemars(range(min = 0.0, max = 1.0), example = 1.0)]
    pub p: f64,
}

impl BandTable {
    /// Validated constructor.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a non-finite `x0_m`, a non-positive `dx_m`, fewer than 2
    /// columns, a negative or non-finite half-width, `p` outside [0, 1];
    /// [`QraError::ResourceLimit`] above [`MAX_TABLE_SAMPLES`] columns.
    pub fn new(x0_m: f64, dx_m: f64, half_width_m: Vec<f64>, p: f64) -> Result<Self> {
        let t = BandTable {
            x0_m,
            dx_m,
            half_width_m,
            p,
        };
        t.validate()?;
        Ok(t)
    }

    /// Checks the invariants (used after deserialisation too).
    pub fn validate(&self) -> Result<()> {
        check::finite("x0_m", self.x0_m)?;
        check::positive("dx_m", self.dx_m)?;
        check::probability("p", self.p)?;
        let n = self.half_width_m.len();
        if n < 2 {
            return Err(QraError::invalid(
                "half_width_m",
                format!("{n} values"),
                "must have >= 2 columns",
            ));
        }
        check::size_limit("half_width_m", n as u128, MAX_TABLE_SAMPLES as u128)?;
        // The index is formatted only for the first bad width (a format per width was 2 % of
        // the physical park-1000 run).
        check::all_non_negative("half_width_m", &self.half_width_m)
    }

    /// Lethality at local `(x, y)`: `p` where |y| ≤ w(x), else 0 (also for NaN).
    pub fn at(&self, x: f64, y: f64) -> f64 {
        let hw = &self.half_width_m;
        let n = hw.len();
        let fx = (x - self.x0_m) / self.dx_m;
        if n < 2 || !(fx >= 0.0 && fx <= (n - 1) as f64) {
            return 0.0;
        }
        let i = (fx as usize).min(n - 2);
        let w = lerp(hw[i], hw[i + 1], fx - i as f64);
        if y.abs() <= w {
            self.p
        } else {
            0.0
        }
    }

    /// Corners of the band's bounding rectangle in the local frame (x0..x1, ±max w).
    pub fn corners(&self) -> [(f64, f64); 4] {
        let x1 = self.x0_m + self.half_width_m.len().saturating_sub(1) as f64 * self.dx_m;
        let w = self.half_width_m.iter().copied().fold(0.0, f64::max);
        [(self.x0_m, -w), (x1, -w), (x1, w), (self.x0_m, w)]
    }

    /// Whether column `i` bounds a non-zero part of the band: its width or a neighbour's is
    /// positive (the band is linear in x between columns).
    fn touches(&self, i: usize) -> bool {
        let hw = &self.half_width_m;
        hw[i] > 0.0 || (i > 0 && hw[i - 1] > 0.0) || hw.get(i + 1).is_some_and(|&v| v > 0.0)
    }

    /// Farthest point of the band from the release point, m: on a column (the distance along a
    /// straight edge segment is largest at an end), among columns inside or bounding the band.
    fn reach_m(&self) -> f64 {
        if self.p <= 0.0 {
            return 0.0;
        }
        let hw = &self.half_width_m;
        // The largest hypot over the touching columns: candidates found by x² + w² (no libm
        // call), the hypot taken of those within a relative 10⁻¹² of the largest square (which
        // holds every column whose hypot can round to the maximum), so the same value as
        // taking the hypot of every column (tested).
        let x_at = |i: usize| self.x0_m + i as f64 * self.dx_m;
        let mut d2_max: f64 = 0.0;
        for (i, &w) in hw.iter().enumerate() {
            if self.touches(i) {
                let x = x_at(i);
                d2_max = d2_max.max(x * x + w * w);
            }
        }
        let mut best: f64 = 0.0;
        for (i, &w) in hw.iter().enumerate() {
            let x = x_at(i);
            if self.touches(i) && x * x + w * w >= d2_max * (1.0 - 1e-12) {
                best = best.max(x.hypot(w));
            }
        }
        best
    }
}

/// Runs `$body` with `$l` bound to the lethality of `$shape` as a closure `(x_m, y_m) -> P` of the
/// shape's own kind: the kind is matched once and `$body` is compiled for each, so a loop over
/// many points in `$body` calls the model's `at` directly (inlined) instead of matching per point.
/// The values are those of [`Shape::lethality`], bit for bit.
macro_rules! with_lethality {
    ($shape:expr, |$l:ident| $body:expr) => {
        match $shape {
            $crate::risk::footprint::Shape::GaussianPlume(g) => {
                let $l = |x: f64, y: f64| g.at(x, y);
                $body
            }
            $crate::risk::footprint::Shape::PointSourceFire(f) => {
                let $l = |x: f64, y: f64| f.at(x, y);
                $body
            }
            $crate::risk::footprint::Shape::Ellipse(e) => {
                let $l = |x: f64, y: f64| e.at(x, y);
                $body
            }
            $crate::risk::footprint::Shape::Band(t) => {
                let $l = |x: f64, y: f64| t.at(x, y);
                $body
            }
            s => {
                let $l = |x: f64, y: f64| s.lethality(x, y);
                $body
            }
        }
    };
}
pub(crate) use with_lethality;

/// The geometry of a lethality field around its release point (see the module docs for frame and
/// conventions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Shape {
    /// Uniform lethality `p` within `radius_m` (fireball, BLEVE, explosion rule footprints).
    Circle {
        /// Radius, m (≥ 0).
        #[schemars(range(min = 0.0), example = 150.0)]
        radius_m: f64,
        /// Lethality inside, in [0, 1].
        #[schemars(range(min = 0.0, max = 1.0), example = 1.0)]
        p: f64,
    },
    /// Isotropic lethality vs distance.
    Radial(RadialTable),
    /// Lethality on a local (x downwind, y crosswind) raster.
    Directional(DirectionalTable),
    /// Uniform lethality inside a band about the downwind axis (flash fires).
    Band(BandTable),
    /// Uniform lethality inside an ellipse on the downwind axis (a flash fire's LFL envelope);
    /// parametric: evaluated exactly at every cell ([`crate::risk::parametric`]).
    Ellipse(Ellipse),
    /// Heat radiation of a point source with zones of certain death (pool fire, fireball, jet
    /// flame); parametric ([`crate::risk::parametric`]).
    PointSourceFire(PointSourceFire),
    /// Toxic lethality of a ground-level passive Gaussian plume; parametric
    /// ([`crate::risk::parametric`]).
    GaussianPlume(GaussianPlume),
    /// Blast lethality of a TNT-equivalent charge (Kingery–Bulmash); parametric
    /// ([`crate::risk::parametric`]).
    TntBlast(TntBlast),
}

impl Shape {
    /// Validated circle.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a negative/NaN radius or `p` outside [0, 1].
    pub fn circle(radius_m: f64, p: f64) -> Result<Self> {
        let f = Shape::Circle { radius_m, p };
        f.validate()?;
        Ok(f)
    }

    /// Checks the invariants of the variant.
    pub fn validate(&self) -> Result<()> {
        match self {
            Shape::Circle { radius_m, p } => {
                check::non_negative("radius_m", *radius_m)?;
                check::probability("p", *p)?;
                Ok(())
            }
            Shape::Radial(t) => t.validate(),
            Shape::Directional(t) => t.validate(),
            Shape::Band(t) => t.validate(),
            Shape::Ellipse(e) => e.validate(),
            // Validated when built (their only constructors check them).
            Shape::PointSourceFire(_) | Shape::GaussianPlume(_) | Shape::TntBlast(_) => Ok(()),
        }
    }

    /// Whether the shape is a closed form ([`crate::risk::parametric`]) that the engine
    /// evaluates at every grid cell instead of resampling it on its merged rasters.
    pub fn is_parametric(&self) -> bool {
        matches!(
            self,
            Shape::Ellipse(_)
                | Shape::PointSourceFire(_)
                | Shape::GaussianPlume(_)
                | Shape::TntBlast(_)
        )
    }

    /// The same shape with every lethality multiplied by `factor` ∈ [0, 1] (e.g. an indoor
    /// lethality that is a fixed fraction of the outdoor one).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for `factor` outside [0, 1];
    /// [`QraError::NotImplemented`] for a point-source fire, a Gaussian plume or a TNT blast
    /// (give their
    /// indoor lethality as an explicit shape).
    pub fn scaled(&self, factor: f64) -> Result<Shape> {
        check::probability("factor", factor)?;
        Ok(match self {
            Shape::Circle { radius_m, p } => Shape::Circle {
                radius_m: *radius_m,
                p: p * factor,
            },
            Shape::Radial(t) => Shape::Radial(RadialTable {
                lethality: t.lethality.iter().map(|p| p * factor).collect(),
                ..t.clone()
            }),
            Shape::Directional(t) => Shape::Directional(DirectionalTable {
                lethality: t
                    .lethality
                    .iter()
                    .map(|&p| (f64::from(p) * factor) as f32)
                    .collect(),
                ..t.clone()
            }),
            Shape::Band(t) => Shape::Band(BandTable {
                p: t.p * factor,
                ..t.clone()
            }),
            Shape::Ellipse(e) => Shape::Ellipse(Ellipse {
                p: e.p * factor,
                ..e.clone()
            }),
            Shape::PointSourceFire(_) | Shape::GaussianPlume(_) | Shape::TntBlast(_) => {
                return Err(QraError::not_yet(
                    "a scaled point-source fire or Gaussian plume (give the indoor lethality as an explicit shape)",
                ))
            }
        })
    }

    /// Lethality at local `(x_m, y_m)` (outdoor, unprotected: the individual-risk lethality).
    pub fn lethality(&self, x_m: f64, y_m: f64) -> f64 {
        match self {
            Shape::Circle { radius_m, p } => {
                if x_m * x_m + y_m * y_m <= radius_m * radius_m {
                    *p
                } else {
                    0.0
                }
            }
            Shape::Radial(t) => t.at(x_m.hypot(y_m)),
            Shape::Directional(t) => t.at(x_m, y_m),
            Shape::Band(t) => t.at(x_m, y_m),
            Shape::Ellipse(e) => e.at(x_m, y_m),
            Shape::PointSourceFire(f) => f.at(x_m, y_m),
            Shape::GaussianPlume(g) => g.at(x_m, y_m),
            Shape::TntBlast(b) => b.at(x_m, y_m),
        }
    }

    /// Distance from the release point beyond which lethality is 0, m.
    pub fn reach_m(&self) -> f64 {
        match self {
            Shape::Circle { radius_m, p } => {
                if *p > 0.0 {
                    *radius_m
                } else {
                    0.0
                }
            }
            Shape::Radial(t) => match t.lethality.iter().rposition(|&p| p > 0.0) {
                // Beyond the last positive value's next node the interpolant is 0.
                Some(i) => t
                    .distance_m
                    .get((i + 1).min(t.distance_m.len().saturating_sub(1)))
                    .copied()
                    .unwrap_or(0.0),
                None => 0.0,
            },
            Shape::Directional(t) => t
                .corners()
                .iter()
                .map(|(x, y)| x.hypot(*y))
                .fold(0.0, f64::max),
            Shape::Band(t) => t.reach_m(),
            Shape::Ellipse(e) => e.reach_m(),
            Shape::PointSourceFire(f) => f.reach_m(),
            Shape::GaussianPlume(g) => g.reach_m(),
            Shape::TntBlast(b) => b.reach_m(),
        }
    }

    /// The local rectangle `[x_min, x_max, y_min, y_max]` (m) outside which a directional shape
    /// (raster or band) is 0; `None` for radially symmetric shapes.
    pub fn local_rect(&self) -> Option<[f64; 4]> {
        let c = match self {
            Shape::Directional(t) => t.corners(),
            Shape::Band(t) => t.corners(),
            Shape::Ellipse(e) => return Some(e.local_rect()),
            Shape::PointSourceFire(f) if !f.is_radially_symmetric() => return Some(f.local_rect()),
            Shape::GaussianPlume(g) => return Some(g.local_rect()),
            _ => return None,
        };
        Some([c[0].0, c[2].0, c[0].1, c[2].1])
    }

    /// Largest distance from the release point at which the lethality is at least `p`, m (0 when
    /// it never is): the effect distance of a lethality level. Circle: its radius when its
    /// lethality is ≥ p. Radial table: linear interpolation between the last node ≥ p and the
    /// next. Directional raster: the farthest node ≥ p (resolution of the raster).
    pub fn distance_to_lethality_m(&self, p: f64) -> f64 {
        match self {
            Shape::Circle { radius_m, p: q } => {
                if *q >= p {
                    *radius_m
                } else {
                    0.0
                }
            }
            Shape::Radial(t) => match t.lethality.iter().rposition(|&v| v >= p) {
                Some(k) if k + 1 < t.lethality.len() && t.lethality[k] > t.lethality[k + 1] => {
                    let (d0, d1) = (t.distance_m[k], t.distance_m[k + 1]);
                    let (v0, v1) = (t.lethality[k], t.lethality[k + 1]);
                    d0 + (d1 - d0) * (v0 - p) / (v0 - v1)
                }
                Some(k) => t.distance_m[k],
                None => 0.0,
            },
            Shape::Directional(t) => {
                // On a row, the farthest node at or above p is its first or its last one (|x|
                // is convex along the row, and the distance grows with |x| at fixed y): each
                // row is scanned from both ends to its first such node, not through.
                let mut best: f64 = 0.0;
                for (j, row) in t.lethality.chunks_exact(t.nx).enumerate() {
                    let Some(a) = row.iter().position(|&v| f64::from(v) >= p) else {
                        continue;
                    };
                    let b = row.iter().rposition(|&v| f64::from(v) >= p).unwrap_or(a);
                    let y = t.y0_m + j as f64 * t.dy_m;
                    for i in [a, b] {
                        best = best.max((t.x0_m + i as f64 * t.dx_m).hypot(y));
                    }
                }
                best
            }
            Shape::Band(t) => {
                if t.p >= p {
                    t.reach_m()
                } else {
                    0.0
                }
            }
            Shape::Ellipse(e) => {
                if e.p >= p {
                    e.reach_m()
                } else {
                    0.0
                }
            }
            Shape::PointSourceFire(f) => f.distance_to_lethality_m(p),
            Shape::GaussianPlume(g) => g.distance_to_lethality_m(p),
            Shape::TntBlast(b) => b.distance_to_lethality_m(p),
        }
    }

    /// Whether the footprint is the same for every wind direction.
    pub fn is_radially_symmetric(&self) -> bool {
        match self {
            Shape::Circle { .. } | Shape::Radial(_) | Shape::TntBlast(_) => true,
            Shape::PointSourceFire(f) => f.is_radially_symmetric(),
            Shape::Directional(_)
            | Shape::Band(_)
            | Shape::Ellipse(_)
            | Shape::GaussianPlume(_) => false,
        }
    }

    /// Points (local frame, m) whose convex hull contains every point where the lethality of a
    /// directional shape can be non-zero; `None` for radially symmetric shapes, empty when it is
    /// 0 everywhere.
    /// * Raster: the bilinear interpolant is non-zero only in raster cells with a non-zero
    ///   corner, so the corners of those cells — per pair of adjacent columns, the rows one node
    ///   beyond the first and last non-zero node of either column.
    /// * Band: the band is the polygon through (x_i, ±w_i) (w linear between columns), so those
    ///   vertices, of every column inside or bounding the band, and the ends of the axis (where
    ///   w = 0 the axis itself is inside, |y| ≤ w).
    /// * Parametric shapes: polygons circumscribed about their curved edges, rectangles
    ///   ([`crate::risk::parametric`]).
    ///
    /// A plume's raster is a cigar in a rectangle: the hull excludes the rectangle's empty
    /// corners, which societal risk then does not visit (issue 14).
    pub fn support_points(&self) -> Option<Vec<(f64, f64)>> {
        match self {
            Shape::Directional(t) => {
                let (nx, ny) = (t.nx, t.ny);
                if nx < 2 || ny < 2 || t.lethality.len() != nx * ny {
                    return Some(Vec::new());
                }
                // First and last non-zero row of each column.
                let mut span: Vec<Option<(usize, usize)>> = vec![None; nx];
                for (j, row) in t.lethality.chunks_exact(nx).enumerate() {
                    for (i, &v) in row.iter().enumerate() {
                        if v > 0.0 {
                            span[i] = Some(span[i].map_or((j, j), |(a, _)| (a, j)));
                        }
                    }
                }
                let node_x = |i: usize| t.x0_m + i as f64 * t.dx_m;
                let node_y = |j: usize| t.y0_m + j as f64 * t.dy_m;
                let mut pts = Vec::new();
                for i in 0..nx - 1 {
                    let (lo, hi) = match (span[i], span[i + 1]) {
                        (None, None) => continue,
                        (Some(a), None) | (None, Some(a)) => a,
                        (Some(a), Some(b)) => (a.0.min(b.0), a.1.max(b.1)),
                    };
                    let (y0, y1) = (node_y(lo.saturating_sub(1)), node_y((hi + 1).min(ny - 1)));
                    for x in [node_x(i), node_x(i + 1)] {
                        pts.push((x, y0));
                        pts.push((x, y1));
                    }
                }
                Some(pts)
            }
            Shape::Band(t) => {
                if t.p <= 0.0 {
                    return Some(Vec::new());
                }
                let hw = &t.half_width_m;
                // |y| ≤ w holds on the axis even where w = 0: the axis segment, its ends at the
                // first and last columns. Listed in (x, y) order, which the hull's sort then
                // takes in one pass ([`convex_hull`]).
                let last = hw.len().saturating_sub(1);
                let mut pts = Vec::with_capacity(2 * hw.len() + 2);
                for (i, &w) in hw.iter().enumerate() {
                    let touches = t.touches(i);
                    let x = t.x0_m + i as f64 * t.dx_m;
                    if touches {
                        pts.push((x, -w));
                    }
                    if i == 0 || i == last {
                        pts.push((x, 0.0));
                    }
                    if touches {
                        pts.push((x, w));
                    }
                }
                Some(pts)
            }
            Shape::Ellipse(e) => Some(e.support_points()),
            Shape::PointSourceFire(f) if !f.is_radially_symmetric() => Some(f.support_points()),
            Shape::GaussianPlume(g) => Some(g.support_points()),
            Shape::Circle { .. }
            | Shape::Radial(_)
            | Shape::PointSourceFire(_)
            | Shape::TntBlast(_) => None,
        }
    }
}

/// The convex hull of `points` (counter-clockwise, not closed, no collinear vertices), empty for
/// no points: the vertices of the `geo` crate's quickhull less the collinear ones it sometimes
/// keeps (the same polygon), in its cyclic order and from its first vertex (tested against it,
/// [`convex_hull_geo`]), found by Andrew's monotone chain (A. M. Andrew, 1979, "Another
/// efficient algorithm for convex hulls in two dimensions", *Information Processing Letters*
/// 9(5), 216–219) with `geo`'s robust orientation predicate (Shewchuk's adaptive `orient2d`).
///
/// Why not `geo`'s own: a band's support points arrive in (x, y) order and a raster's in runs
/// by column, where the lexicographic sort is one pass over runs and the chain one more; `geo`
/// offers quickhull and an angular Graham scan, neither of which uses the order, and its
/// quickhull was 5–6 % of the physical park-1000 run (`perf`, issue 14). Degenerate hulls
/// (fewer than three vertices) and non-finite points are left to `geo`, as before.
pub(crate) fn convex_hull(mut points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    use geo::kernels::{Kernel, Orientation};
    use geo::GeoNum;
    if points.len() < 4 || points.iter().any(|p| !(p.0.is_finite() && p.1.is_finite())) {
        return convex_hull_geo(points);
    }
    let ccw = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        <f64 as GeoNum>::Ker::orient2d(a.into(), b.into(), c.into())
            == Orientation::CounterClockwise
    };
    // Stable and run-adaptive: sorted input costs one pass.
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // Lower chain left to right, then upper chain right to left; a vertex stays only where the
    // chain turns strictly counter-clockwise (collinear and repeated points are dropped).
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(points.len() + 1);
    let add = |hull: &mut Vec<(f64, f64)>, floor: usize, p: (f64, f64)| {
        while let [.., a, b] = hull[floor..] {
            if ccw(a, b, p) {
                break;
            }
            hull.pop();
        }
        hull.push(p);
    };
    for &p in &points {
        add(&mut hull, 0, p);
    }
    let floor = hull.len() - 1;
    for &p in points.iter().rev().skip(1) {
        add(&mut hull, floor, p);
    }
    // The last vertex repeats the first (the lexicographically least point).
    hull.pop();
    if hull.len() < 3 {
        return convex_hull_geo(points);
    }
    // `geo`'s quickhull lists the hull from the least point's successor round to the least
    // point: the same cycle, rotated.
    hull.rotate_left(1);
    hull
}

/// The convex hull of `points` by the `geo` crate's quickhull (counter-clockwise, not closed),
/// empty for no points: [`convex_hull`]'s degenerate cases and its test reference.
fn convex_hull_geo(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    use geo::ConvexHull;
    if points.is_empty() {
        return Vec::new();
    }
    let mp: geo::MultiPoint<f64> = points.into_iter().map(geo::Point::from).collect();
    let ring = mp.convex_hull().exterior().clone();
    let mut v: Vec<(f64, f64)> = ring.0.iter().map(|c| (c.x, c.y)).collect();
    if v.len() > 1 && v.first() == v.last() {
        v.pop();
    }
    v
}

/// The kind of effect, which decides the indoor/outdoor factors of societal risk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    /// No correction: indoor and outdoor lethality equal the individual-risk lethality.
    #[default]
    Generic,
    /// Toxic exposure.
    Toxic,
    /// Heat radiation from pool, jet and fireball fires.
    Thermal,
    /// Flash fire (inside the LFL cloud).
    FlashFire,
    /// Overpressure (vapour-cloud explosion, BLEVE blast).
    Explosion,
}

pub use crate::vulnerability::VulnerabilityRules;

/// Societal-risk factors of a rule set (see [`VulnerabilityRules`]):
///
/// Rule sets turning individual-risk (outdoor, unprotected) lethality into the outdoor and indoor
/// lethality used for societal risk.
///
/// Factors (tagged **\[M\]** for the Purple Book unless noted, and **\[S\]** for AQ/T 3046-2013 表10
/// as cited in the AQ/T 3046 implementation summarised in `docs/purple-book-defaults.md`; not
/// re-verified against the originals):
///
/// | hazard | outdoor | indoor |
/// |---|---|---|
/// | toxic | P | 0.1·P |
/// | thermal | 1 where P = 1 (q ≥ 35 kW/m², PB; 37.5 kW/m², AQ/T 3046), else 0.14·P | 1 where P = 1, else 0 |
/// | flash fire | P | PB: P (CPR 18E 1999 Figure 5.3 as transcribed by the issue 16 reviewer and a public QRA implementation: F_E,in = F_E,out = 1 inside the flame envelope, **\[S\]**); AQ/T 3046: 0 (**\[M\]**, 表10 not read for flash fires) |
/// | explosion | P | P (supply an explicit indoor shape for the 0.025 band of 10–30 kPa) |
/// | generic | P | P |
///
/// The study option `options.flash_fire_indoor_lethality` overrides the flash-fire indoor
/// factor (the consequence wiring then attaches an explicit indoor shape).
/// The thermal rule reads "P = 1" as the certain-death zone of the consequence model; the fire
/// adapters must therefore return exactly 1 inside their lethal heat-flux threshold.
/// The two sets differ in the lethal heat-flux threshold, which belongs to the fire models, and
/// in the flash-fire indoor factor, and are kept separate so that studies name the rule they
/// follow.
impl VulnerabilityRules {
    /// `Some((a, b))` when [`VulnerabilityRules::societal`] is linear in P for `hazard`,
    /// (outdoor, indoor) = (a·P, b·P) — every hazard but thermal, whose P = 1 zone is a step —
    /// so sums of lethality can be weighted after summing.
    pub fn linear(self, hazard: Hazard) -> Option<(f64, f64)> {
        match hazard {
            Hazard::Thermal => None,
            _ => Some(self.societal(hazard, 1.0)),
        }
    }

    /// (outdoor, indoor) societal-risk lethality for individual-risk lethality `p`.
    pub fn societal(self, hazard: Hazard, p: f64) -> (f64, f64) {
        match hazard {
            Hazard::Generic | Hazard::Explosion => (p, p),
            Hazard::Toxic => (p, 0.1 * p),
            Hazard::Thermal => {
                if p >= 1.0 {
                    (1.0, 1.0)
                } else {
                    (0.14 * p, 0.0)
                }
            }
            Hazard::FlashFire => match self {
                VulnerabilityRules::PurpleBook => (p, p),
                VulnerabilityRules::Aqt3046 => (p, 0.0),
            },
        }
    }
}

/// One outcome's lethality around its release point: the individual-risk (outdoor, unprotected)
/// shape, an optional explicit indoor shape for societal risk, and the hazard kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footprint {
    /// Outdoor, unprotected lethality (individual risk).
    pub outdoor: Shape,
    /// Indoor lethality for societal risk; `None` = derived by the study's [`VulnerabilityRules`].
    pub indoor: Option<Shape>,
    /// Hazard kind (selects the indoor/outdoor factors).
    pub hazard: Hazard,
}

impl Footprint {
    /// A footprint with no explicit indoor shape, validated.
    ///
    /// # Errors
    /// The shape's validation error.
    pub fn new(outdoor: Shape, hazard: Hazard) -> Result<Self> {
        outdoor.validate()?;
        Ok(Footprint {
            outdoor,
            indoor: None,
            hazard,
        })
    }

    /// Adds an explicit indoor shape (validated).
    ///
    /// # Errors
    /// The shape's validation error.
    pub fn with_indoor(mut self, indoor: Shape) -> Result<Self> {
        indoor.validate()?;
        self.indoor = Some(indoor);
        Ok(self)
    }

    /// Outdoor, unprotected lethality at local `(x_m, y_m)`.
    pub fn lethality(&self, x_m: f64, y_m: f64) -> f64 {
        self.outdoor.lethality(x_m, y_m)
    }

    /// Explicit indoor lethality at local `(x_m, y_m)`, if the footprint has one.
    pub fn indoor_lethality(&self, x_m: f64, y_m: f64) -> Option<f64> {
        self.indoor.as_ref().map(|s| s.lethality(x_m, y_m))
    }

    /// The local rectangle `[x_min, x_max, y_min, y_max]` (m) outside which both the outdoor and
    /// any explicit indoor lethality are 0, when both are directional rasters (or the indoor shape
    /// is derived); `None` otherwise. Lets societal risk visit only the population a footprint
    /// can reach in each wind direction.
    pub fn local_extent(&self) -> Option<[f64; 4]> {
        let rect = |s: &Shape| s.local_rect();
        let o = rect(&self.outdoor)?;
        match &self.indoor {
            None => Some(o),
            Some(i) => {
                let i = rect(i)?;
                Some([
                    o[0].min(i[0]),
                    o[1].max(i[1]),
                    o[2].min(i[2]),
                    o[3].max(i[3]),
                ])
            }
        }
    }

    /// (outdoor, indoor) societal-risk lethality at local `(x_m, y_m)` under `rules`.
    pub fn societal(&self, rules: VulnerabilityRules, x_m: f64, y_m: f64) -> (f64, f64) {
        let p = self.outdoor.lethality(x_m, y_m);
        let (o, i) = rules.societal(self.hazard, p);
        match &self.indoor {
            Some(s) => (o, s.lethality(x_m, y_m)),
            None => (o, i),
        }
    }

    /// Distance beyond which both lethalities are 0, m.
    pub fn reach_m(&self) -> f64 {
        let r = self.outdoor.reach_m();
        match &self.indoor {
            Some(s) => r.max(s.reach_m()),
            None => r,
        }
    }

    /// The convex polygon (local frame, vertices counter-clockwise) outside which both the
    /// outdoor and any explicit indoor lethality are 0 ([`Shape::support_points`]); `None` when
    /// a shape is radially symmetric (bounded by the reach only), empty when both are 0
    /// everywhere.
    pub fn support_hull(&self) -> Option<Vec<(f64, f64)>> {
        let mut pts = self.outdoor.support_points()?;
        if let Some(i) = &self.indoor {
            pts.extend(i.support_points()?);
        }
        Some(convex_hull(pts))
    }

    /// Whether both shapes are the same for every wind direction.
    pub fn is_radially_symmetric(&self) -> bool {
        self.outdoor.is_radially_symmetric()
            && self
                .indoor
                .as_ref()
                .is_none_or(|s| s.is_radially_symmetric())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Random lethalities `seed` with those below `zero` set to 0 (a sparse raster).
    fn sparse_lethality(seed: &[f64], zero: f64) -> Vec<f64> {
        seed.iter()
            .map(|&u| if u < zero { 0.0 } else { u })
            .collect()
    }

    /// Inside (or on) the convex polygon `c` (counter-clockwise: left of every edge, by the
    /// cross product), or on a degenerate one (a point or a segment), within 10⁻⁹ m — the
    /// independent test of hulls and of what societal risk must visit.
    pub(crate) fn inside_convex(c: &[(f64, f64)], x: f64, y: f64) -> bool {
        let n = c.len();
        if n < 3 {
            // A degenerate hull: a point or a segment.
            let (p, q) = match c {
                [p] => (*p, *p),
                [p, q] => (*p, *q),
                _ => return false,
            };
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let l2 = dx * dx + dy * dy;
            let t = if l2 > 0.0 {
                (((x - p.0) * dx + (y - p.1) * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            return (x - p.0 - t * dx).hypot(y - p.1 - t * dy) <= 1e-9;
        }
        (0..n).all(|k| {
            let (p, q) = (c[k], c[(k + 1) % n]);
            (q.0 - p.0) * (y - p.1) - (q.1 - p.1) * (x - p.0) >= -1e-9
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// A band's reach is the largest hypot over the columns that touch a non-zero width, bit
        /// for bit (the reference takes the hypot of every such column), on bands with zero
        /// runs, near-equal corners (a flat top at the far end), huge and tiny coordinates.
        /// Fails if the squares' pre-selection drops the column whose hypot is the largest.
        #[test]
        fn band_reach_is_the_largest_hypot(
            widths in proptest::collection::vec(
                prop_oneof![Just(0.0f64), 0.0f64..50.0, Just(40.0)], 2..80),
            x0 in prop_oneof![-100.0f64..100.0, Just(1e150), Just(1e-160)],
            dx in prop_oneof![0.1f64..20.0, Just(1e-170)],
        ) {
            let t = BandTable::new(x0, dx, widths.clone(), 1.0).unwrap();
            let hw = &widths;
            let mut want: f64 = 0.0;
            for (i, &w) in hw.iter().enumerate() {
                let touches = w > 0.0
                    || (i > 0 && hw[i - 1] > 0.0)
                    || hw.get(i + 1).is_some_and(|&v| v > 0.0);
                if touches {
                    want = want.max((x0 + i as f64 * dx).hypot(w));
                }
            }
            prop_assert_eq!(t.reach_m().to_bits(), want.to_bits());
        }

        /// The vectorised check accepts exactly the tables whose every value lies in [0, 1]
        /// (a plain loop is the reference; −0, 1, NaN, ±∞, values a rounding above 1 or below 0
        /// mixed in), and its error names the first bad index, in double and single precision.
        #[test]
        fn probability_check_accepts_exactly_probabilities(
            picks in proptest::collection::vec(0usize..10, 0..70),
        ) {
            let pool = [0.0, -0.0, 1.0, 0.5, 1e-300, 1.0 + f64::EPSILON, -1e-300, f64::NAN,
                        f64::INFINITY, f64::NEG_INFINITY];
            let v: Vec<f64> = picks.iter().map(|&i| pool[i]).collect();
            let first_bad = v.iter().position(|&p| !(0.0..=1.0).contains(&p));
            let got = check_probabilities(&v);
            prop_assert_eq!(got.is_ok(), first_bad.is_none());
            if let (Err(e), Some(i)) = (got, first_bad) {
                let named = format!("lethality[{i}]");
                prop_assert!(e.to_string().contains(&named), "{e} should name {named}");
            }
            // Single precision: 1 + ε rounds to 1, ±1e-300 to ±0.
            let w: Vec<f32> = v.iter().map(|&p| p as f32).collect();
            let bad32 = w.iter().position(|&p| !(0.0..=1.0).contains(&p));
            prop_assert_eq!(check_probabilities(&w).is_ok(), bad32.is_none());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// The monotone chain's hull is `geo`'s quickhull's without the collinear vertices the
        /// quickhull sometimes keeps (a point on an edge: the same polygon), the same vertices in
        /// the same cyclic order, on scattered points, on points of a coarse lattice (repeated
        /// and collinear points, flat edges) and on a band's support points (x-sorted, mirrored
        /// in y, zero widths); every turn strictly counter-clockwise and every point inside or on
        /// it (exact predicates). Fails if the chain keeps a collinear vertex, drops a corner or
        /// winds clockwise.
        #[test]
        fn monotone_chain_is_geos_quickhull(
            scattered in proptest::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 0..40),
            lattice in proptest::collection::vec((-4i32..5, -4i32..5), 0..40),
            widths in proptest::collection::vec(prop_oneof![Just(0.0f64), 0.0f64..30.0], 1..60),
            x0 in -20.0f64..20.0,
            dx in 0.5f64..10.0,
        ) {
            use geo::kernels::{Kernel, Orientation};
            let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
                <f64 as geo::GeoNum>::Ker::orient2d(a.into(), b.into(), c.into())
            };
            let lattice: Vec<(f64, f64)> =
                lattice.iter().map(|&(a, b)| (f64::from(a) * 2.5, f64::from(b) * 1.5)).collect();
            let x_end = x0 + (widths.len() - 1) as f64 * dx;
            let mut band = vec![(x0, 0.0), (x_end, 0.0)];
            for (i, &w) in widths.iter().enumerate() {
                band.push((x0 + i as f64 * dx, -w));
                band.push((x0 + i as f64 * dx, w));
            }
            for pts in [scattered, lattice, band] {
                let got = convex_hull(pts.clone());
                let mut want = convex_hull_geo(pts.clone());
                let geo_len = want.len();
                if want.len() >= 3 {
                    // Drop the quickhull's collinear vertices until every turn is strict.
                    while let Some(k) = (0..want.len()).find(|&k| {
                        let n = want.len();
                        n > 3
                            && orient(want[(k + n - 1) % n], want[k], want[(k + 1) % n])
                                == Orientation::Collinear
                    }) {
                        want.remove(k);
                    }
                    let n = got.len();
                    for k in 0..n {
                        prop_assert_eq!(
                            orient(got[k], got[(k + 1) % n], got[(k + 2) % n]),
                            Orientation::CounterClockwise
                        );
                        for &p in &pts {
                            prop_assert_ne!(orient(got[k], got[(k + 1) % n], p), Orientation::Clockwise);
                        }
                    }
                    // The same cycle, from the same vertex (the quickhull's start, unless the
                    // quickhull started at a collinear vertex dropped above).
                    if want.len() == geo_len {
                        prop_assert_eq!(got[0], want[0], "start");
                    } else if let Some(s) = want.iter().position(|p| *p == got[0]) {
                        want.rotate_left(s);
                    }
                }
                prop_assert_eq!(&got, &want, "points {:?}", pts);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Wherever a raster or band footprint is non-zero, the point is inside its support
        /// hull (sampled at random points, independent of how the hull is built).
        #[test]
        fn support_hull_contains_every_non_zero_point(
            nx in 2usize..12,
            ny in 2usize..12,
            seed in proptest::collection::vec(0.0f64..1.0, 144),
            zero_share in 0.3f64..0.95,
            probes in proptest::collection::vec((-0.2f64..1.2, -0.2f64..1.2), 200),
        ) {
            let v = sparse_lethality(&seed[..nx * ny], zero_share);
            let t = DirectionalTable::new(-5.0, -20.0, 7.0, 3.0, nx, ny, v.clone()).unwrap();
            let band = BandTable::new(2.0, 5.0, v[..nx].iter().map(|u| 30.0 * u).collect(), 1.0).unwrap();
            for shape in [Shape::Directional(t), Shape::Band(band)] {
                let fp = Footprint::new(shape, Hazard::Generic).unwrap();
                let hull = fp.support_hull().unwrap();
                let [x0, x1, y0, y1] = fp.local_extent().unwrap();
                for &(u, w) in &probes {
                    let (x, y) = (x0 + u * (x1 - x0), y0 + w * (y1 - y0));
                    if fp.lethality(x, y) > 0.0 {
                        prop_assert!(inside_convex(&hull, x, y), "({x}, {y}) non-zero outside the hull");
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// A raster's distance to a lethality (its farthest node at or above it) equals the
        /// scan of every node, bit for bit, with the raster straddling the release point or
        /// not, sparse or dense.
        #[test]
        fn raster_distance_to_lethality_is_the_full_scan(
            nx in 2usize..12,
            ny in 2usize..12,
            x0 in -60.0f64..20.0,
            seed in proptest::collection::vec(0.0f64..1.0, 144),
            zero in 0.0f64..0.9,
            p in 0.01f64..1.0,
        ) {
            let t = DirectionalTable::new(x0, -17.0, 6.5, 3.25, nx, ny, sparse_lethality(&seed[..nx * ny], zero))
                .unwrap();
            let mut want: f64 = 0.0;
            for j in 0..ny {
                for i in 0..nx {
                    if f64::from(t.lethality[j * nx + i]) >= p {
                        let (x, y) = (x0 + i as f64 * 6.5, -17.0 + j as f64 * 3.25);
                        want = want.max(x.hypot(y));
                    }
                }
            }
            let got = Shape::Directional(t).distance_to_lethality_m(p);
            prop_assert_eq!(got.to_bits(), want.to_bits(), "{} vs {}", got, want);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The raster's bilinear value ([`DirectionalTable::at`], through [`NodeLookup`])
        /// against an independent evaluation: the cell found by `floor` (the last cell for a
        /// point on the far edge), the four corner values weighted by the areas of the opposite
        /// sub-rectangles; 0 outside the raster and for NaN.
        #[test]
        fn raster_value_is_the_bilinear_interpolation(
            nx in 2usize..9,
            ny in 2usize..9,
            seed in proptest::collection::vec(0.0f64..1.0, 64),
            probes in proptest::collection::vec((-0.3f64..1.3, -0.3f64..1.3), 100),
        ) {
            let v: Vec<f64> = seed[..nx * ny].to_vec();
            let (x0, y0, dx, dy) = (-5.0, -20.0, 7.0, 3.0);
            let t = DirectionalTable::new(x0, y0, dx, dy, nx, ny, v).unwrap();
            // The stored (single-precision) node values.
            let node = |i: usize, j: usize| f64::from(t.lethality[j * nx + i]);
            let (w, h) = ((nx - 1) as f64 * dx, (ny - 1) as f64 * dy);
            let mut probes = probes;
            probes.extend([(0.0, 0.0), (1.0, 1.0), (1.0, 0.5), (0.5, 1.0)]);
            for &(u, q) in &probes {
                let (x, y) = (x0 + u * w, y0 + q * h);
                let got = t.at(x, y);
                let (fx, fy) = ((x - x0) / dx, (y - y0) / dy);
                if !(0.0..=(nx - 1) as f64).contains(&fx) || !(0.0..=(ny - 1) as f64).contains(&fy) {
                    prop_assert_eq!(got, 0.0);
                    continue;
                }
                let i = (fx.floor() as usize).min(nx - 2);
                let j = (fy.floor() as usize).min(ny - 2);
                let (a, b) = (fx - i as f64, fy - j as f64);
                let want = node(i, j) * (1.0 - a) * (1.0 - b)
                    + node(i + 1, j) * a * (1.0 - b)
                    + node(i, j + 1) * (1.0 - a) * b
                    + node(i + 1, j + 1) * a * b;
                prop_assert!((got - want).abs() <= 1e-12, "({x}, {y}): {got} vs {want}");
            }
            prop_assert_eq!(t.at(f64::NAN, y0), 0.0);
            prop_assert_eq!(t.at(x0, f64::NAN), 0.0);
            // A raster whose length does not match its shape evaluates to 0 (no panic).
            let mut bad = t.clone();
            bad.lethality.pop();
            prop_assert_eq!(bad.at(x0 + 0.5 * dx, y0 + 0.5 * dy), 0.0);
        }
    }

    /// Parametric shapes: every point of non-zero lethality lies in the support hull and in
    /// the local rectangle, and within the reach (a dense probe of the rectangle grown by 10 %).
    #[test]
    fn parametric_support_contains_every_non_zero_point() {
        use crate::dispersion::Stability;
        use crate::risk::parametric::GaussianPlumeSpec;
        let jet = crate::risk::parametric::tests::jet_flame();
        let plume = GaussianPlume::new(GaussianPlumeSpec {
            rate_kg_s: 3.0,
            wind_speed_m_s: 1.5,
            stability: Stability::F,
            probit_a: -14.3,
            probit_b: 1.0,
            probit_n: 2.3,
            exposure_s: 600.0,
        })
        .unwrap();
        let shapes = [
            Shape::Ellipse(Ellipse {
                centre_x_m: 40.0,
                semi_axis_x_m: 40.0,
                semi_axis_y_m: 13.0,
                p: 1.0,
            }),
            Shape::PointSourceFire(jet),
            Shape::GaussianPlume(plume),
        ];
        for shape in shapes {
            assert!(shape.is_parametric() && !shape.is_radially_symmetric());
            let fp = Footprint::new(shape.clone(), Hazard::Generic).unwrap();
            let hull = fp.support_hull().unwrap();
            let [x0, x1, y0, y1] = shape.local_rect().unwrap();
            let (gx, gy) = (0.1 * (x1 - x0), 0.1 * (y1 - y0));
            let reach = shape.reach_m();
            let mut hits = 0;
            for i in 0..=400 {
                for j in 0..=200 {
                    let x = x0 - gx + (x1 - x0 + 2.0 * gx) * i as f64 / 400.0;
                    let y = y0 - gy + (y1 - y0 + 2.0 * gy) * j as f64 / 200.0;
                    if shape.lethality(x, y) > 0.0 {
                        hits += 1;
                        assert!(inside_convex(&hull, x, y), "{shape:?}: ({x}, {y})");
                        assert!(x >= x0 && x <= x1 && y >= y0 && y <= y1);
                        assert!(x.hypot(y) <= reach * (1.0 + 1e-12));
                    }
                }
            }
            assert!(hits > 100, "{hits}");
            if let Shape::GaussianPlume(_) = shape {
                // The staircase hull is well inside the bounding rectangle (a cigar).
                let area: f64 = (0..hull.len())
                    .map(|k| {
                        let (p, q) = (hull[k], hull[(k + 1) % hull.len()]);
                        0.5 * (p.0 * q.1 - q.0 * p.1)
                    })
                    .sum();
                let rect = (x1 - x0) * (y1 - y0);
                assert!(area > 0.0 && area < 0.85 * rect, "{area} vs {rect}");
            }
            // Serde round trip under its tag; the derived fields are rebuilt.
            let json = serde_json::to_string(&shape).unwrap();
            assert_eq!(
                serde_json::from_str::<Shape>(&json).unwrap(),
                shape,
                "{json}"
            );
        }
        // A bad value inside a parametric shape is refused with its field's name.
        let bad = r#"{"type":"gaussian-plume","rate_kg_s":-1.0,"wind_speed_m_s":1.5,"stability":"F","probit_a":-14.3,"probit_b":1.0,"probit_n":2.3,"exposure_s":600.0}"#;
        let e = serde_json::from_str::<Shape>(bad).unwrap_err().to_string();
        assert!(e.contains("rate_kg_s"), "{e}");
        // Scaling: an ellipse scales its p; a probit field cannot be scaled.
        let el = Shape::Ellipse(Ellipse {
            centre_x_m: 1.0,
            semi_axis_x_m: 1.0,
            semi_axis_y_m: 1.0,
            p: 0.8,
        });
        assert_eq!(el.scaled(0.5).unwrap().lethality(1.0, 0.0), 0.4);
    }

    #[test]
    fn constructors_reject_bad_input() {
        assert!(Shape::circle(-1.0, 0.5).is_err());
        assert!(Shape::circle(1.0, 1.5).is_err());
        assert!(Shape::circle(f64::NAN, 0.5).is_err());
        assert!(RadialTable::new(vec![0.0, 1.0], vec![1.0]).is_err());
        assert!(RadialTable::new(vec![0.0, 0.0], vec![1.0, 0.5]).is_err());
        assert!(RadialTable::new(vec![-1.0, 1.0], vec![1.0, 0.5]).is_err());
        assert!(RadialTable::new(vec![0.0, 1.0], vec![1.0, f64::NAN]).is_err());
        assert!(DirectionalTable::new(0.0, 0.0, 1.0, 1.0, 2, 2, vec![0.0; 3]).is_err());
        assert!(DirectionalTable::new(0.0, 0.0, 0.0, 1.0, 2, 2, vec![0.0; 4]).is_err());
        assert!(matches!(
            DirectionalTable::new(0.0, 0.0, 1.0, 1.0, 1 << 20, 1 << 20, vec![]),
            Err(QraError::ResourceLimit { .. })
        ));
    }

    #[test]
    fn evaluation_conventions() {
        let c = Shape::circle(10.0, 0.7).unwrap();
        assert_eq!(c.lethality(0.0, 0.0), 0.7);
        assert_eq!(c.lethality(6.0, 8.0), 0.7);
        assert_eq!(c.lethality(6.0, 8.1), 0.0);
        assert_eq!(c.reach_m(), 10.0);
        let r =
            Shape::Radial(RadialTable::new(vec![5.0, 10.0, 20.0], vec![1.0, 0.5, 0.0]).unwrap());
        assert_eq!(r.lethality(0.0, 0.0), 1.0);
        assert_eq!(r.lethality(0.0, 7.5), 0.75);
        assert_eq!(r.lethality(15.0, 0.0), 0.25);
        assert_eq!(r.lethality(25.0, 0.0), 0.0);
        assert_eq!(r.reach_m(), 20.0);
        let d = Shape::Directional(
            DirectionalTable::new(
                0.0,
                -1.0,
                10.0,
                1.0,
                3,
                3,
                vec![0.0, 0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0],
            )
            .unwrap(),
        );
        assert_eq!(d.lethality(0.0, 0.0), 1.0);
        assert_eq!(d.lethality(5.0, 0.0), 0.75);
        assert_eq!(d.lethality(-1.0, 0.0), 0.0);
        assert_eq!(d.lethality(f64::NAN, 0.0), 0.0);
        assert!(!d.is_radially_symmetric());
        assert!((d.reach_m() - 20f64.hypot(1.0)).abs() < 1e-12);
    }

    /// Band conventions by hand: columns at x = 0, 10, 20 with half-widths 0, 4, 2.
    #[test]
    fn band_conventions() {
        let b = BandTable::new(0.0, 10.0, vec![0.0, 4.0, 2.0], 1.0).unwrap();
        let s = Shape::Band(b.clone());
        // x = 5: w = 2 (linear between 0 and 4); edge included.
        assert_eq!(s.lethality(5.0, 2.0), 1.0);
        assert_eq!(s.lethality(5.0, -2.0), 1.0);
        assert_eq!(s.lethality(5.0, 2.000001), 0.0);
        // x = 15: w = 3.
        assert_eq!(s.lethality(15.0, -2.9), 1.0);
        assert_eq!(s.lethality(15.0, 3.1), 0.0);
        // Upwind of the first and downwind of the last column, NaN: 0.
        assert_eq!(s.lethality(-0.1, 0.0), 0.0);
        assert_eq!(s.lethality(20.1, 0.0), 0.0);
        assert_eq!(s.lethality(f64::NAN, 0.0), 0.0);
        // Farthest point: the last column's edge, hypot(20, 2).
        assert!((s.reach_m() - 20f64.hypot(2.0)).abs() < 1e-12);
        assert_eq!(s.local_rect(), Some([0.0, 20.0, -4.0, 4.0]));
        assert!(!s.is_radially_symmetric());
        assert_eq!(s.distance_to_lethality_m(0.5), s.reach_m());
        assert!(BandTable::new(0.0, 10.0, vec![1.0], 1.0).is_err());
        assert!(BandTable::new(0.0, 0.0, vec![1.0, 1.0], 1.0).is_err());
        assert!(BandTable::new(0.0, 1.0, vec![1.0, -1.0], 1.0).is_err());
        assert!(BandTable::new(0.0, 1.0, vec![1.0, f64::NAN], 1.0).is_err());
        assert!(BandTable::new(0.0, 1.0, vec![1.0, 1.0], 1.5).is_err());
        // Serde round trip under the `type = "band"` tag.
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"type\":\"band\""), "{json}");
        assert_eq!(serde_json::from_str::<Shape>(&json).unwrap(), s);
    }

    #[test]
    fn societal_rules() {
        let r = VulnerabilityRules::PurpleBook;
        assert_eq!(r.societal(Hazard::Thermal, 1.0), (1.0, 1.0));
        assert_eq!(r.societal(Hazard::Thermal, 0.5), (0.07, 0.0));
        assert_eq!(r.societal(Hazard::Toxic, 0.5), (0.5, 0.05));
    }

    #[test]
    fn scaled_shapes_multiply_every_lethality() {
        let c = Shape::circle(10.0, 0.8).unwrap().scaled(0.5).unwrap();
        assert_eq!((c.lethality(5.0, 0.0), c.lethality(11.0, 0.0)), (0.4, 0.0));
        let r = Shape::Radial(RadialTable::new(vec![0.0, 10.0], vec![1.0, 0.5]).unwrap());
        let r2 = r.scaled(0.25).unwrap();
        assert_eq!(r2.lethality(10.0, 0.0), 0.125);
        assert!(r.scaled(1.5).is_err() && r.scaled(f64::NAN).is_err());
        assert_eq!(r.scaled(0.0).unwrap().reach_m(), 0.0);
    }

    /// Flash fire, people inside the LFL envelope: CPR 18E (1999) §5.3, Figure 5.3 as transcribed
    /// by the issue 16 reviewer (who cited it as "Table 5.3") and by a public QRA implementation
    /// (\[S\], the book not read; Table 5.3 is the fraction of people indoors, 0.93 by day, 0.99 by
    /// night): F_E,in = F_E,out = 1 inside the flame envelope, so lethality 1 outdoors **and**
    /// indoors for the Purple Book set (qra before issue 16 used 0 indoors). AQ/T 3046: 0 \[M\].
    #[test]
    fn flash_fire_indoor_lethality_follows_purple_book_figure_5_3() {
        let pb = VulnerabilityRules::PurpleBook;
        assert_eq!(pb.societal(Hazard::FlashFire, 1.0), (1.0, 1.0));
        assert_eq!(pb.societal(Hazard::FlashFire, 0.0), (0.0, 0.0));
        let aq = VulnerabilityRules::Aqt3046;
        assert_eq!(aq.societal(Hazard::FlashFire, 1.0), (1.0, 0.0));
    }
}
