//! The study schema `qra-study/1`: installations, events, meteorology, population, targets and the
//! grid (pure serde types; validation is in [`super::validate`]).

use serde::{Deserialize, Serialize};

use super::event::{Event, Installation};
use crate::dispersion::Stability;
use crate::error::{FieldError, QraError, Result};
use crate::risk::footprint::VulnerabilityRules;
use crate::substance::Substance;

/// Schema tag of study files.
pub const STUDY_SCHEMA: &str = "qra-study/1";

/// Largest grid the engine accepts, nodes (5·10⁷ nodes = 400 MB of f64).
pub const MAX_GRID_CELLS: u128 = 50_000_000;

/// Largest number of (event × outcome × weather) scenarios in one study.
pub const MAX_SCENARIOS: u128 = 20_000_000;

/// Largest number of population raster cells.
pub const MAX_POPULATION_CELLS: u128 = 50_000_000;

/// Tolerance on probability sums (weather classes, wind roses): 1e-6.
pub const PROBABILITY_SUM_TOLERANCE: f64 = 1e-6;

/// Study metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Author(s).
    #[serde(default)]
    pub author: Option<String>,
    /// Free description.
    #[serde(default)]
    pub description: Option<String>,
    /// Date (free text, ISO 8601 recommended).
    #[serde(default)]
    #[schemars(example = &"2026-12-05")]
    pub date: Option<String>,
}

/// WGS84 position of the local origin (0, 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeoOrigin {
    /// Latitude, degrees north (−89…89).
    #[schemars(range(min = -89.0, max = 89.0), example = 31.95)]
    pub latitude_deg: f64,
    /// Longitude, degrees east (−180…180).
    #[schemars(range(min = -180.0, max = 180.0), example = 118.8)]
    pub longitude_deg: f64,
}

impl GeoOrigin {
    /// The PROJ string of the local frame centred on this origin: transverse Mercator on the
    /// WGS84 ellipsoid, scale 1 on the origin's meridian, no false easting or northing
    /// ([`super::crs`], module docs).
    pub fn proj_string(&self) -> String {
        format!(
            "+proj=tmerc +lat_0={} +lon_0={} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
            self.latitude_deg, self.longitude_deg
        )
    }

    /// Local (east, north) metres → WGS84 (longitude, latitude) degrees, by the transverse
    /// Mercator projection of the local frame ([`super::crs`]; [`super::LocalFrame`] converts
    /// many points without rebuilding the projection).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for an origin out of range; [`QraError::Numerical`] if the
    /// projection fails.
    pub fn to_lon_lat(&self, x_m: f64, y_m: f64) -> Result<(f64, f64)> {
        super::LocalFrame::new(*self)?.to_lon_lat(x_m, y_m)
    }
}

/// A facility (company, plant) of a park: a group of installations (`facility = "…"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Unique id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Sector / type (e.g. "chlor-alkali", "refinery").
    #[serde(default)]
    pub sector: Option<String>,
    /// Site boundary polygon, m (local frame).
    #[serde(default)]
    pub boundary: Option<Vec<[f64; 2]>>,
}

/// Kind of a GB 18218-2018 unit (terms of §3, recalled \[M\]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// 生产单元: installations and facilities (装置/设施) where hazardous chemicals are produced,
    /// processed or used, bounded by their isolation (cut-off) valves.
    Production,
    /// 储存单元: a relatively independent storage area — a tank farm bounded by its fire dike
    /// (防火堤), a warehouse by its building.
    Storage,
}

impl UnitKind {
    /// Chinese term of GB 18218-2018.
    pub fn zh(self) -> &'static str {
        match self {
            UnitKind::Production => "生产单元",
            UnitKind::Storage => "储存单元",
        }
    }
}

/// A GB 18218-2018 unit grouping installations (`unit = "…"` on an installation), identified
/// and graded as a whole ([`crate::park::major_hazard::identify_units`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Unique id (not the id of an installation without a unit).
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Production (装置/设施) or storage (储存单元) unit.
    pub kind: UnitKind,
    /// Boundary polygon, m (local frame; e.g. the fire dike); default: the envelope (convex hull)
    /// of its installations. α counts the people within 500 m of it.
    #[serde(default)]
    pub boundary: Option<Vec<[f64; 2]>>,
}

/// One weather class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeatherClass {
    /// Id (default: stability letter + wind speed, e.g. "D5").
    #[serde(default)]
    #[schemars(example = &"D5")]
    pub id: Option<String>,
    /// Stability class.
    pub stability: Stability,
    /// Wind speed at 10 m, m/s.
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 5.0)]
    pub wind_speed_m_s: f64,
    /// Probability in both periods (shorthand for equal day and night probabilities).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.3)]
    pub probability: Option<f64>,
    /// Probability during the day.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub probability_day: Option<f64>,
    /// Probability during the night.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub probability_night: Option<f64>,
    /// Sector probabilities of the wind direction within this class: `wind_rose[k]` is the
    /// fraction of the class's time with the wind blowing **from** sector `k`; sector 0 is
    /// centred on north (plus `wind_rose_offset_deg`), the sectors follow clockwise (n sectors of
    /// 360/n degrees: 12 sectors → sector 3 is centred on east). Together with `calm_fraction`
    /// the entries sum to 1. 1 to 360 sectors.
    #[schemars(length(min = 1, max = 360), inner(range(min = 0.0, max = 1.0)))]
    #[schemars(example = EXAMPLE_WIND_ROSE)]
    pub wind_rose: Vec<f64>,
    /// Direction of the centre of sector 0, degrees clockwise from north (default 0: sector 0
    /// is centred on north).
    #[serde(default)]
    #[schemars(example = 15.0)]
    pub wind_rose_offset_deg: f64,
    /// Fraction of the class's time with calm (no defined wind direction), in [0, 1] (default
    /// 0), as a meteorological station's wind-rose table lists it beside the sectors: the
    /// `wind_rose` entries and `calm_fraction` sum to 1. **qra's rule, not a cited one \[M\]**: the
    /// calm time is spread uniformly over the directions, so sector `k` weighs
    /// `wind_rose[k] + calm_fraction / n` ([`WeatherClass::sector_probabilities`]); the class's
    /// wind speed and stability stand for the calm hours (report calms in the class of the
    /// lowest wind speed). The Purple Book's own treatment of calms could not be read.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.08, extend("default" = 0.0))]
    pub calm_fraction: f64,
}

/// Example of a 12-sector wind rose with 8 % calm (schema example).
const EXAMPLE_WIND_ROSE: [f64; 12] = [
    0.05, 0.06, 0.07, 0.08, 0.08, 0.09, 0.1, 0.12, 0.09, 0.07, 0.06, 0.05,
];

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl WeatherClass {
    /// The id used in `by_weather` tables: `id` or stability + speed ("D5", "F1.5").
    pub fn label(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{:?}{}", self.stability, self.wind_speed_m_s))
    }

    /// Day probability (resolved).
    pub fn p_day(&self) -> f64 {
        self.probability_day.or(self.probability).unwrap_or(0.0)
    }

    /// Night probability (resolved).
    pub fn p_night(&self) -> f64 {
        self.probability_night.or(self.probability).unwrap_or(0.0)
    }

    /// The probability of each sector with the calm spread uniformly over the directions
    /// (qra's rule, see [`WeatherClass::calm_fraction`]): `wind_rose[k] + calm_fraction / n`.
    /// With `calm_fraction = 0` this is `wind_rose` bit for bit.
    pub fn sector_probabilities(&self) -> Vec<f64> {
        let n = self.wind_rose.len().max(1) as f64;
        let c = self.calm_fraction / n;
        self.wind_rose.iter().map(|p| p + c).collect()
    }

    /// Wind-from direction of sector `k`, degrees clockwise from north.
    pub fn sector_from_deg(&self, k: usize) -> f64 {
        self.wind_rose_offset_deg + 360.0 * k as f64 / self.wind_rose.len() as f64
    }
}

/// Meteorology.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meteorology {
    /// Fraction of the year counted as day (default 0.5).
    #[serde(default = "half")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.5)]
    pub day_fraction: f64,
    /// Weather classes.
    pub weather: Vec<WeatherClass>,
    /// How each outcome is distributed over the wind directions of its sector (default
    /// [`SectorSpreading::Uniform`], the Purple Book's: the effect spread over the sector).
    #[serde(default)]
    #[schemars(example = &"uniform")]
    pub sector_spreading: SectorSpreading,
    /// Sub-sectors per wind-rose sector (default 1), each with 1/n of the sector's probability.
    /// With `sector_spreading = "uniform"` each sub-sector's effect is spread over its own
    /// width (the same result as n = 1 up to the tabulation error: useful only for the
    /// direction-dependent delayed-ignition placements, which are evaluated at the sub-sector
    /// centres); with `"centre"` the n sub-sector centres are the directions evaluated (n
    /// narrow plumes per sector; cost grows with n for directional footprints). Range 1–36.
    #[serde(default = "one_usize")]
    #[schemars(range(min = 1, max = 36), example = 6)]
    pub sector_subdivisions: usize,
}

/// How an outcome's footprint is distributed over the wind directions of its sector.
///
/// A wind rose gives the probability of the wind blowing from **within** each sector. CPR 18E
/// (Purple Book, 1999) §6.2, eqs. 6.8–6.12 and the worked example of Appendix 6.B **\[S\]** (read
/// through a secondary source, see [`crate::risk::sector`]): the effect of an outcome is
/// distributed over its sector, not drawn along the sector's centre line. See
/// [`crate::risk::sector`] for the equation and its numerics.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SectorSpreading {
    /// The wind direction is uniform within the sector: each directional footprint is averaged
    /// over the sector's directions, S(r, φ) = (1/Δθ)∫ P(r, φ − ψ) dψ (the default).
    #[default]
    Uniform,
    /// Every sector is represented by its centre direction (or the centres of its
    /// `sector_subdivisions` sub-sectors): narrow plumes draw spokes ("petals") on the
    /// contours. qra's default before issue 16.
    #[serde(alias = "center")]
    Centre,
}

fn half() -> f64 {
    0.5
}

fn one_usize() -> usize {
    1
}

/// Population on a raster of cells (counts per cell, lower-left origin, rows = y).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PopulationRaster {
    /// East coordinate of the lower-left corner, m.
    pub x0_m: f64,
    /// North coordinate of the lower-left corner, m.
    pub y0_m: f64,
    /// Cell size, m.
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 100.0)]
    pub cell_size_m: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
    /// Persons per cell in the day, row-major (rows = y, from the south).
    pub counts: Vec<f64>,
    /// Persons per cell at night (default: `counts`).
    #[serde(default)]
    #[schemars(example = EXAMPLE_COUNTS)]
    pub counts_night: Option<Vec<f64>>,
    /// Indoor fraction in the day (default 0.93, Purple Book \[M\]).
    #[serde(default = "indoor_day")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.93)]
    pub indoor_fraction_day: f64,
    /// Indoor fraction at night (default 0.99, Purple Book \[M\]).
    #[serde(default = "indoor_night")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.99)]
    pub indoor_fraction_night: f64,
}

/// Example of raster counts (schema example): 2 × 2 cells.
const EXAMPLE_COUNTS: [f64; 4] = [12.0, 0.0, 40.0, 3.5];

fn indoor_day() -> f64 {
    0.93
}
fn indoor_night() -> f64 {
    0.99
}

/// Population in a polygon, spread uniformly over its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PopulationPolygon {
    /// Id.
    #[serde(default)]
    pub id: Option<String>,
    /// Vertices (x east, y north), m; at least 3.
    pub vertices: Vec<[f64; 2]>,
    /// Persons in the day.
    #[schemars(range(min = 0.0), example = 250.0)]
    pub count_day: f64,
    /// Persons at night (default: `count_day`).
    #[serde(default)]
    #[schemars(range(min = 0.0), example = 400.0)]
    pub count_night: Option<f64>,
    /// Indoor fraction in the day (default 0.93, Purple Book \[M\]).
    #[serde(default = "indoor_day")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.93)]
    pub indoor_fraction_day: f64,
    /// Indoor fraction at night (default 0.99, Purple Book \[M\]).
    #[serde(default = "indoor_night")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.99)]
    pub indoor_fraction_night: f64,
}

/// Population.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Rasters.
    #[serde(default)]
    pub rasters: Vec<PopulationRaster>,
    /// Polygons.
    #[serde(default)]
    pub polygons: Vec<PopulationPolygon>,
}

/// GB 36894-2018 protected-target class (防护目标).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TargetClass {
    /// 高敏感防护目标.
    HighSensitive,
    /// 重要防护目标.
    Important,
    /// 一般防护目标中的一类.
    #[serde(rename = "general-1")]
    General1,
    /// 一般防护目标中的二类.
    #[serde(rename = "general-2")]
    General2,
    /// 一般防护目标中的三类.
    #[serde(rename = "general-3")]
    General3,
}

impl TargetClass {
    /// All classes, strictest first.
    pub const ALL: [TargetClass; 5] = [
        TargetClass::HighSensitive,
        TargetClass::Important,
        TargetClass::General1,
        TargetClass::General2,
        TargetClass::General3,
    ];

    /// The study-file name.
    pub fn name(self) -> &'static str {
        match self {
            TargetClass::HighSensitive => "high-sensitive",
            TargetClass::Important => "important",
            TargetClass::General1 => "general-1",
            TargetClass::General2 => "general-2",
            TargetClass::General3 => "general-3",
        }
    }
}

/// Status of an installation under GB 36894-2018: new (新建、改建、扩建 — new, altered or expanded)
/// or in service (在役). GB 36894-2018 sets the individual-risk limits of each protected-target
/// class separately for the two kinds of **installation** (§4.1, Table 1 — clause and table
/// numbers recalled \[M\]; the limits are those of the 2014 trial table \[V\], see
/// `models/criteria.toml`), so the status belongs to the installation
/// ([`super::Installation::status`]), not to the protected target.
///
/// How a target exposed to both kinds is judged: [`crate::risk::criteria`] (module docs).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum InstallationStatus {
    /// New, altered or expanded installation (新建、改建、扩建; the stricter limits). The default:
    /// a QRA for siting or land-use planning — the scope of GB 36894-2018 §1 \[V\] — is usually
    /// made for a project, and the stricter limit is the conservative choice when the study does
    /// not say; it is also what studies without a status were judged against before.
    #[default]
    New,
    /// In-service installation (在役).
    InService,
}

/// The name under which [`InstallationStatus`] was a property of the protected target (kept so
/// that code naming it keeps compiling; the status now belongs to installations).
pub type TargetStatus = InstallationStatus;

impl InstallationStatus {
    /// Both statuses, new first.
    pub const ALL: [InstallationStatus; 2] =
        [InstallationStatus::New, InstallationStatus::InService];

    /// The study-file name.
    pub fn name(self) -> &'static str {
        match self {
            InstallationStatus::New => "new",
            InstallationStatus::InService => "in-service",
        }
    }

    /// Chinese term of GB 36894-2018.
    pub fn zh(self) -> &'static str {
        match self {
            InstallationStatus::New => "新建、改建、扩建",
            InstallationStatus::InService => "在役",
        }
    }
}

/// A protected target (point or polygon).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectedTarget {
    /// Unique id.
    pub id: String,
    /// Name.
    #[serde(default)]
    #[schemars(example = &"Primary school")]
    pub name: Option<String>,
    /// GB 36894 class.
    #[schemars(example = &"high-sensitive")]
    pub class: TargetClass,
    /// **Deprecated** (qra-study/1 files written before the status moved to the installations):
    /// the status of every installation judged against this target. When given, the target is
    /// judged as before — its total individual risk against the limit of its class for this
    /// status — and the verdict says so ([`crate::risk::criteria::Basis::TargetStatus`]). A
    /// study that sets `status` on an installation or pipeline cannot also set it on targets
    /// (validation error): set it on the installations ([`super::Installation::status`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<InstallationStatus>,
    /// Point position (x, y), m.
    #[serde(default)]
    pub point: Option<[f64; 2]>,
    /// Polygon vertices, m.
    #[serde(default)]
    pub polygon: Option<Vec<[f64; 2]>>,
}

/// The calculation grid: nodes at `x_min_m + i·resolution_m` up to `x_max_m` (same in y).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// West edge, m.
    pub x_min_m: f64,
    /// East edge, m.
    pub x_max_m: f64,
    /// South edge, m.
    pub y_min_m: f64,
    /// North edge, m.
    pub y_max_m: f64,
    /// Node spacing, m.
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 10.0)]
    pub resolution_m: f64,
}

impl Grid {
    /// Number of nodes (nx, ny) as u128, computed without allocating; `None` if not finite.
    pub fn node_counts(&self) -> Option<(u128, u128)> {
        let fx = ((self.x_max_m - self.x_min_m) / self.resolution_m).floor() + 1.0;
        let fy = ((self.y_max_m - self.y_min_m) / self.resolution_m).floor() + 1.0;
        if fx.is_finite() && fy.is_finite() && fx >= 1.0 && fy >= 1.0 && fx < 1e30 && fy < 1e30 {
            Some((fx as u128, fy as u128))
        } else {
            None
        }
    }

    /// Validated node counts.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a bad extent; [`QraError::ResourceLimit`] above
    /// [`MAX_GRID_CELLS`].
    pub fn dims(&self) -> Result<(usize, usize)> {
        if let Some((nx, ny)) = self.node_counts() {
            crate::error::check::size_limit("grid nodes", nx * ny, MAX_GRID_CELLS)?;
        }
        let p = self.problems("grid");
        if let Some(e) = p.first() {
            return Err(QraError::invalid(&e.path, "grid", &e.message));
        }
        let (nx, ny) = self
            .node_counts()
            .ok_or_else(|| QraError::invalid("grid", "", "extent must be finite"))?;
        Ok((nx as usize, ny as usize))
    }

    pub(super) fn problems(&self, path: &str) -> Vec<FieldError> {
        let mut p = Vec::new();
        for (k, v) in [
            ("x_min_m", self.x_min_m),
            ("x_max_m", self.x_max_m),
            ("y_min_m", self.y_min_m),
            ("y_max_m", self.y_max_m),
        ] {
            if !v.is_finite() {
                p.push(fe(format!("{path}.{k}"), format!("{v}: must be finite")));
            }
        }
        if !(self.resolution_m > 0.0 && self.resolution_m.is_finite()) {
            p.push(fe(
                format!("{path}.resolution_m"),
                format!("{}: must be > 0", self.resolution_m),
            ));
        }
        if self.x_max_m <= self.x_min_m {
            p.push(fe(
                format!("{path}.x_max_m"),
                format!("{:?}: must be > x_min_m = {:?}", self.x_max_m, self.x_min_m),
            ));
        }
        if self.y_max_m <= self.y_min_m {
            p.push(fe(
                format!("{path}.y_max_m"),
                format!("{:?}: must be > y_min_m = {:?}", self.y_max_m, self.y_min_m),
            ));
        }
        if p.is_empty() {
            // the node count is set by the extent and the resolution: the problem is named at
            // `resolution_m`, with the extent in the message (issue 21: it named only `grid`)
            // `{:?}`: 1e300 as "1e300", not its 301 digits
            let extent = format!(
                "x {:?} to {:?} m, y {:?} to {:?} m",
                self.x_min_m, self.x_max_m, self.y_min_m, self.y_max_m
            );
            match self.node_counts() {
                Some((nx, ny)) if nx * ny <= MAX_GRID_CELLS => {}
                Some((nx, ny)) => p.push(fe(
                    format!("{path}.resolution_m"),
                    format!(
                        "{}: {nx} x {ny} = {} nodes over {extent} exceeds the limit of {MAX_GRID_CELLS}",
                        self.resolution_m,
                        nx * ny
                    ),
                )),
                None => p.push(fe(
                    format!("{path}.resolution_m"),
                    format!(
                        "{}: the nodes over {extent} exceed the limit of {MAX_GRID_CELLS}",
                        self.resolution_m
                    ),
                )),
            }
        }
        p
    }
}

/// A complete study (schema `qra-study/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Schema tag: must be `"qra-study/1"`.
    #[schemars(extend("const" = "qra-study/1"))]
    pub schema: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Geographic origin of the local frame (the centre of its transverse Mercator projection,
    /// [`super::crs`]); needed for GeoJSON and GIS exports and for a non-local `crs`.
    #[serde(default)]
    pub origin: Option<GeoOrigin>,
    /// CRS in which the positions of the file are written (default local metres); converted to
    /// the local frame when the study is read ([`Study::into_local_frame`]), so a study in memory
    /// is always [`super::Crs::Local`].
    /// Written `"local"` or `"EPSG:<code>"`: 4326 (WGS84 lon/lat), 4490 (CGCS2000 lon/lat),
    /// 4513–4554 (CGCS2000 3-degree Gauss–Krüger zones).
    #[serde(default, skip_serializing_if = "is_local")]
    #[schemars(
        with = "String",
        example = &"EPSG:4549",
        regex(pattern = r"^([Ll][Oo][Cc][Aa][Ll]|[Ee][Pp][Ss][Gg]:[0-9]+)$")
    )]
    pub crs: super::Crs,
    /// User substances (added to the built-in database); same fields as the entries of
    /// `models/substances.toml`.
    #[serde(default)]
    #[schemars(example = example_substances())]
    pub substances: Vec<Substance>,
    /// Installations.
    pub installations: Vec<Installation>,
    /// LOC events.
    pub events: Vec<Event>,
    /// Meteorology.
    pub meteorology: Meteorology,
    /// Population.
    #[serde(default)]
    pub population: Population,
    /// Protected targets.
    #[serde(default)]
    pub targets: Vec<ProtectedTarget>,
    /// Vulnerability rule set for societal risk (default "purple-book").
    #[serde(default)]
    #[schemars(example = &"aqt3046")]
    pub vulnerability: VulnerabilityRules,
    /// Choices among documented conventions where sources disagree (`[options]`; every default
    /// and its source is listed in `docs/purple-book-defaults.md`).
    #[serde(default, skip_serializing_if = "StudyOptions::is_default")]
    pub options: StudyOptions,
    /// Calculation grid.
    pub grid: Grid,
    /// Linear sources: pipelines and transport routes ([`crate::risk::linear`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<super::linear::Pipeline>,
    /// Facilities (companies) of a park; see [`Installation::facility`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<Facility>,
    /// Park boundary polygon, m (local frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub park_boundary: Option<Vec<[f64; 2]>>,
    /// Ignition sources for delayed ignition and VCE placement ([`super::IgnitionSetup`]).
    #[serde(default, skip_serializing_if = "super::IgnitionSetup::is_empty")]
    pub ignition: super::IgnitionSetup,
    /// GB 18218-2018 units grouping installations; see [`Installation::unit`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Unit>,
}

/// Example of `[[substances]]` (schema example): a user pseudo-component with the properties a
/// pool fire needs (values illustrative, not data).
fn example_substances() -> serde_json::Value {
    serde_json::json!([{
        "name": "solvent-mix",
        "state": "liquid",
        "flammable": true,
        "toxic": false,
        "molar_mass_kg_mol": 0.092,
        "normal_boiling_point_k": 383.0,
        "liquid_density_kg_m3": 860.0,
        "liquid_density_temperature_k": 298.15,
        "heat_of_combustion_j_kg": 4.1e7,
        "lfl_vol_frac": 0.011,
        "ufl_vol_frac": 0.071,
        "burning_rate_kg_m2_s": 0.1
    }])
}

/// What becomes of the liquid a two-phase or liquid release rains out (`options.rainout`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rainout {
    /// The rained-out liquid forms a pool that spreads and evaporates
    /// ([`crate::source::pool`]); its vapour is dispersed as a second source from the release
    /// point and its toxic load added to the airborne release's (see
    /// [`crate::risk::consequence`], "Rain-out"). Default.
    #[default]
    PoolVapour,
    /// The rained-out liquid is discarded (qra before issue 16: only the airborne part disperses;
    /// non-flashing liquids then need `release_rate_kg_s`). Kept to reproduce older results.
    Discard,
}

/// Study-wide options (`[options]`): the choices where the sources qra follows disagree. Each
/// default, its source and the alternative are in `docs/purple-book-defaults.md`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StudyOptions {
    /// Lethality, for societal risk, of people indoors inside the LFL envelope of a flash fire.
    /// Default from the vulnerability rule set: `purple-book` 1 (CPR 18E 1999 Figure 5.3 as
    /// transcribed \[S\]), `aqt3046` 0 (\[M\]: AQ/T 3046 表10 indoor corrections not read for
    /// flash fires). Must be in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0.0, max = 1.0), example = 0.0)]
    pub flash_fire_indoor_lethality: Option<f64>,
    /// Rain-out of two-phase and liquid releases (default `pool-vapour`).
    #[serde(default)]
    #[schemars(example = &"discard")]
    pub rainout: Rainout,
}

impl StudyOptions {
    /// Whether every option has its default (the study file then omits `[options]`).
    pub fn is_default(&self) -> bool {
        *self == StudyOptions::default()
    }

    /// Problems of the options, with their field paths.
    pub(super) fn problems(&self, path: &str) -> Vec<FieldError> {
        let mut p = Vec::new();
        if let Some(v) = self.flash_fire_indoor_lethality {
            if !(0.0..=1.0).contains(&v) {
                p.push(fe(
                    format!("{path}.flash_fire_indoor_lethality"),
                    format!("{v}: must be in [0, 1]"),
                ));
            }
        }
        p
    }
}

fn is_local(c: &super::Crs) -> bool {
    *c == super::Crs::Local
}

/// A problem at `path` (no line).
pub(super) fn fe(path: String, message: String) -> FieldError {
    FieldError::new(path, message)
}
