//! Coordinate reference systems of a study and its local frame.
//!
//! # The local frame
//! The engine works in a plane of metres, `x` east and `y` north ("local metres"). When the study
//! has an [`GeoOrigin`], that plane **is** a transverse Mercator projection on the WGS84
//! ellipsoid centred on the origin:
//!
//! `+proj=tmerc +lat_0=φ₀ +lon_0=λ₀ +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m`
//!
//! (a = 6 378 137 m, 1/f = 298.257 223 563; NIMA TR8350.2, 2000, Table 3.1). The projection is
//! computed by the `proj4rs` crate (3liz, MIT/Apache-2.0; a pure-Rust port of PROJ), whose
//! `tmerc` is the Poder/Engsager exact series (Krüger's n-series to order n⁶, as in PROJ ≥ 4.9.3;
//! Poder & Engsager 1998, "Some Conformal Mapping Projections"; Karney 2011, "Transverse Mercator
//! with an accuracy of a few nanometers", J. Geodesy 85:475–485, eq. 35–36): accurate to well
//! below a millimetre within 3 900 km of the central meridian. Scale is 1 on the meridian of the
//! origin and grows as 1 + x²/(2R²) east and west of it (1.000 000 3 at 5 km, 1.000 012 at
//! 30 km), so distances and areas in the local frame are true to that factor.
//!
//! Because the frame is a named projection, every GIS tool reproduces it (pyproj with the string
//! above; [`LocalFrame::proj_string`]), and rasters and vector layers written in local metres
//! carry a real CRS (`qra.gis`).
//!
//! # Positions in other CRSs
//! `crs = "…"` in a study says in which CRS the study's **positions** are written (installations'
//! `x_m`/`y_m` — which then hold that CRS's coordinates despite their names — population
//! polygons, protected targets, boundaries, pipelines, ignition sources, congested regions); they
//! are converted to the local frame when the study is read, and the study then holds local
//! metres (its `to_json` form has no `crs`). The calculation `[grid]` and population rasters
//! (`x0_m`, `y0_m`, `cell_size_m`: cells aligned with the grid) are always in local metres: a
//! raster reprojected is no longer a raster, so GIS rasters are resampled onto the local frame
//! before they enter a study (`qra.gis.population_from_raster`). Supported ([`Crs`]):
//!
//! | `crs` | positions | source of the parameters |
//! |---|---|---|
//! | `"local"` (default) | local metres `[x east, y north]` | — |
//! | `"EPSG:4326"` | WGS84 `[longitude, latitude]`, degrees | EPSG registry |
//! | `"EPSG:4490"` | CGCS2000 `[longitude, latitude]`, degrees | EPSG registry |
//! | `"EPSG:4513"` … `"EPSG:4533"` | CGCS2000 3-degree Gauss–Krüger zone 25 … 45, `[easting, northing]` m, easting with the zone number prefixed (false easting = zone·10⁶ + 500 000 m), central meridian 3°·zone | EPSG registry |
//! | `"EPSG:4534"` … `"EPSG:4554"` | CGCS2000 3-degree Gauss–Krüger CM 75°E … 135°E, `[easting, northing]` m, false easting 500 000 m | EPSG registry |
//!
//! All Gauss–Krüger zones: latitude of origin 0, scale factor 1, false northing 0, CGCS2000
//! ellipsoid (a = 6 378 137 m, 1/f = 298.257 222 101, the GRS80 figure; GB/T 2011 CGCS2000
//! definition as recorded by the EPSG registry, datum code 1043). The parameters are those of
//! the EPSG registry entries, as reproduced by PROJ/pyproj (checked point by point in the tests
//! against pyproj 3 / PROJ 9).
//!
//! Converted positions are rounded to the millimetre ([`CONVERTED_POSITION_RESOLUTION_M`]), so
//! a study gives bit-identical results in every CRS.
//!
//! **Axis order.** Positions are always `[east, north]` (`[longitude, latitude]` for geographic
//! CRSs) — the order of GeoJSON and of pyproj with `always_xy=True` — **not** the EPSG axis order
//! of these CRSs (latitude first; for the Gauss–Krüger zones northing "X" first, as Chinese
//! survey drawings write them). Coordinates given the other way round are caught where they
//! cannot be right: a latitude outside ±89°, an easting without its zone prefix, an easting
//! further than 1 000 km from the false easting.
//!
//! **Datum.** CGCS2000 and WGS84 (G1150 and later) agree to a few centimetres (ITRF97 epoch 2000
//! vs ITRF2008-aligned; the EPSG registry's transformation 1:1 "CGCS2000 to WGS 84 (1)",
//! code 15920, accuracy 1 m, zero parameters — recalled \[M\]), so CGCS2000 longitudes and
//! latitudes are used as WGS84 ones, as PROJ's ballpark transformation does.

use proj4rs::proj::Proj;
use serde::{Deserialize, Serialize};

use super::schema::{fe, GeoOrigin, Study};
use crate::error::{FieldError, QraError, Result};

/// CGCS2000 ellipsoid as a proj string: a = 6 378 137 m, 1/f = 298.257 222 101 (the GRS80
/// figure; EPSG ellipsoid 1024).
const CGCS2000_ELLPS: &str = "+a=6378137 +rf=298.257222101";

/// First and last EPSG code of the CGCS2000 3-degree Gauss–Krüger zones with the zone number in
/// the easting (zones 25 … 45).
const GK3_ZONE_CODES: (u16, u16) = (4513, 4533);
/// First and last EPSG code of the CGCS2000 3-degree Gauss–Krüger zones without the zone number
/// (CM 75°E … 135°E).
const GK3_CM_CODES: (u16, u16) = (4534, 4554);

/// Coordinate reference system of a study's positions (`crs = "…"`; see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Crs {
    /// Local metres (x east, y north): the engine's own frame.
    #[default]
    Local,
    /// WGS84 longitude/latitude, degrees (EPSG:4326).
    Wgs84,
    /// CGCS2000 longitude/latitude, degrees (EPSG:4490).
    Cgcs2000,
    /// CGCS2000 3-degree Gauss–Krüger zone `zone` (25–45; EPSG:4513–4533): central meridian
    /// 3°·zone, false easting zone·10⁶ + 500 000 m.
    Cgcs2000Gk3Zone {
        /// Zone number, 25–45.
        zone: u8,
    },
    /// CGCS2000 3-degree Gauss–Krüger with central meridian `cm_deg` (75–135 °E, a multiple of
    /// 3; EPSG:4534–4554): false easting 500 000 m.
    Cgcs2000Gk3Cm {
        /// Central meridian, degrees east.
        cm_deg: u16,
    },
}

impl Crs {
    /// Parses `"local"` or `"EPSG:<code>"` (case-insensitive prefix).
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] naming `crs`, the text and the supported codes.
    pub fn parse(text: &str) -> Result<Crs> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("local") {
            return Ok(Crs::Local);
        }
        let unsupported = || {
            QraError::invalid(
                "crs",
                format!("'{text}'"),
                "must be \"local\", \"EPSG:4326\", \"EPSG:4490\" or a CGCS2000 3-degree \
                 Gauss-Krueger zone \"EPSG:4513\" ... \"EPSG:4554\"",
            )
        };
        let code: u16 = t
            .get(..5)
            .filter(|p| p.eq_ignore_ascii_case("EPSG:"))
            .and_then(|_| t[5..].trim().parse().ok())
            .ok_or_else(unsupported)?;
        Crs::from_epsg(code).ok_or_else(unsupported)
    }

    /// The CRS of an EPSG code, if supported.
    pub fn from_epsg(code: u16) -> Option<Crs> {
        match code {
            4326 => Some(Crs::Wgs84),
            4490 => Some(Crs::Cgcs2000),
            c if (GK3_ZONE_CODES.0..=GK3_ZONE_CODES.1).contains(&c) => Some(Crs::Cgcs2000Gk3Zone {
                zone: (25 + c - GK3_ZONE_CODES.0) as u8,
            }),
            c if (GK3_CM_CODES.0..=GK3_CM_CODES.1).contains(&c) => Some(Crs::Cgcs2000Gk3Cm {
                cm_deg: 75 + 3 * (c - GK3_CM_CODES.0),
            }),
            _ => None,
        }
    }

    /// The EPSG code (`None` for the local frame).
    pub fn epsg(self) -> Option<u16> {
        match self {
            Crs::Local => None,
            Crs::Wgs84 => Some(4326),
            Crs::Cgcs2000 => Some(4490),
            Crs::Cgcs2000Gk3Zone { zone } => Some(GK3_ZONE_CODES.0 + u16::from(zone) - 25),
            Crs::Cgcs2000Gk3Cm { cm_deg } => Some(GK3_CM_CODES.0 + (cm_deg - 75) / 3),
        }
    }

    /// Whether positions are longitude/latitude in degrees.
    pub fn is_geographic(self) -> bool {
        matches!(self, Crs::Wgs84 | Crs::Cgcs2000)
    }

    /// Central meridian (degrees east) and false easting (m) of a Gauss–Krüger CRS.
    fn gauss_krueger(self) -> Option<(f64, f64)> {
        match self {
            Crs::Cgcs2000Gk3Zone { zone } => Some((
                3.0 * f64::from(zone),
                f64::from(zone) * 1e6 + GK_FALSE_EASTING_M,
            )),
            Crs::Cgcs2000Gk3Cm { cm_deg } => Some((f64::from(cm_deg), GK_FALSE_EASTING_M)),
            _ => None,
        }
    }

    /// The PROJ string of the CRS (lon/lat in degrees for the geographic ones).
    pub fn proj_string(self) -> Option<String> {
        match self {
            Crs::Local => None,
            Crs::Wgs84 => Some("+proj=longlat +datum=WGS84 +no_defs".into()),
            Crs::Cgcs2000 => Some(format!("+proj=longlat {CGCS2000_ELLPS} +no_defs")),
            _ => self.gauss_krueger().map(|(cm, fe)| {
                format!(
                    "+proj=tmerc +lat_0=0 +lon_0={cm} +k=1 +x_0={fe} +y_0=0 {CGCS2000_ELLPS} \
                     +units=m +no_defs"
                )
            }),
        }
    }
}

/// Resolution of positions converted from another CRS, m: converted local coordinates are
/// rounded to the nearest millimetre.
///
/// Why: the engine's result is not continuous in the positions everywhere — a release point on a
/// grid node, a sample point on a population-polygon edge — so two implementations of the same
/// projection (PROJ/pyproj and proj4rs agree to ~1e-9 m) would give results differing in the
/// last bits, and a site at whole metres in local coordinates would not reproduce itself after a
/// round trip through longitude/latitude. A millimetre is far below the accuracy of any site plan
/// (and of the CGCS2000/WGS84 identification, a few cm) and far above the projections'
/// disagreement, so the same study gives bit-identical results in every CRS.
pub const CONVERTED_POSITION_RESOLUTION_M: f64 = 1e-3;

/// Rounds a converted coordinate to [`CONVERTED_POSITION_RESOLUTION_M`].
fn snap(v: f64) -> f64 {
    // Multiply and divide by the exact 1000.0 (not by 1e-3, which is not exact in binary), so a
    // whole number of millimetres comes out as the nearest double to it.
    let per_m = 1.0 / CONVERTED_POSITION_RESOLUTION_M;
    (v * per_m).round() / per_m
}

/// False easting of the CGCS2000 Gauss–Krüger zones, m (EPSG registry).
const GK_FALSE_EASTING_M: f64 = 500_000.0;

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.epsg() {
            None => f.write_str("local"),
            Some(c) => write!(f, "EPSG:{c}"),
        }
    }
}

impl TryFrom<String> for Crs {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        Crs::parse(&s).map_err(|e| e.to_string())
    }
}

impl From<Crs> for String {
    fn from(c: Crs) -> String {
        c.to_string()
    }
}

/// The local frame of a study with an origin: the transverse Mercator projection of the module
/// docs, ready to convert points both ways.
#[derive(Debug, Clone)]
pub struct LocalFrame {
    origin: GeoOrigin,
    tmerc: Proj,
    lonlat: Proj,
}

impl LocalFrame {
    /// The frame centred on `origin`.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] if the origin is outside latitude [−89, 89] or longitude
    /// [−180, 180], or not finite.
    pub fn new(origin: GeoOrigin) -> Result<LocalFrame> {
        if !(-89.0..=89.0).contains(&origin.latitude_deg) {
            return Err(QraError::invalid(
                "origin.latitude_deg",
                origin.latitude_deg,
                "must be in [-89, 89]",
            ));
        }
        if !(-180.0..=180.0).contains(&origin.longitude_deg) {
            return Err(QraError::invalid(
                "origin.longitude_deg",
                origin.longitude_deg,
                "must be in [-180, 180]",
            ));
        }
        let tmerc = proj(&origin.proj_string())?;
        let lonlat = proj("+proj=longlat +datum=WGS84 +no_defs")?;
        Ok(LocalFrame {
            origin,
            tmerc,
            lonlat,
        })
    }

    /// The origin.
    pub fn origin(&self) -> GeoOrigin {
        self.origin
    }

    /// The PROJ string of the frame (see the module docs).
    pub fn proj_string(&self) -> String {
        self.origin.proj_string()
    }

    /// Local (east, north) metres → WGS84 (longitude, latitude), degrees.
    ///
    /// # Errors
    /// [`QraError::Numerical`] if the projection fails (non-finite input, or a point beyond the
    /// projection's domain).
    pub fn to_lon_lat(&self, x_m: f64, y_m: f64) -> Result<(f64, f64)> {
        let mut p = (x_m, y_m, 0.0);
        run(&self.tmerc, &self.lonlat, &mut p)?;
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    /// WGS84 (longitude, latitude), degrees → local (east, north) metres.
    ///
    /// # Errors
    /// [`QraError::Numerical`] if the projection fails.
    pub fn from_lon_lat(&self, lon_deg: f64, lat_deg: f64) -> Result<(f64, f64)> {
        let mut p = (lon_deg.to_radians(), lat_deg.to_radians(), 0.0);
        run(&self.lonlat, &self.tmerc, &mut p)?;
        Ok((p.0, p.1))
    }
}

fn proj(s: &str) -> Result<Proj> {
    Proj::from_proj_string(s).map_err(|e| QraError::Numerical {
        model: "proj4rs".into(),
        message: format!("cannot build the projection '{s}': {e}"),
    })
}

fn run(from: &Proj, to: &Proj, p: &mut (f64, f64, f64)) -> Result<()> {
    let (x, y) = (p.0, p.1);
    proj4rs::transform::transform(from, to, p).map_err(|e| QraError::Numerical {
        model: "proj4rs".into(),
        message: format!("cannot transform ({x}, {y}): {e}"),
    })?;
    if p.0.is_finite() && p.1.is_finite() {
        Ok(())
    } else {
        Err(QraError::Numerical {
            model: "proj4rs".into(),
            message: format!("transform of ({x}, {y}) is not finite"),
        })
    }
}

/// Converter from a study CRS to the local frame.
struct ToLocal {
    crs: Crs,
    frame: LocalFrame,
    /// Geographic CRS of the Gauss–Krüger zone (CGCS2000 lon/lat) and the zone's projection.
    gk: Option<(Proj, Proj, f64)>,
}

impl ToLocal {
    fn new(crs: Crs, frame: LocalFrame) -> Result<ToLocal> {
        let gk = match (crs.gauss_krueger(), crs.proj_string()) {
            (Some((_, fe)), Some(s)) => Some((
                proj(&s)?,
                proj(&format!("+proj=longlat {CGCS2000_ELLPS} +no_defs"))?,
                fe,
            )),
            _ => None,
        };
        Ok(ToLocal { crs, frame, gk })
    }

    /// One position `[a, b]` of the study CRS → local metres, or the problem with it.
    fn point(&self, p: [f64; 2]) -> std::result::Result<[f64; 2], String> {
        let [a, b] = p;
        if !(a.is_finite() && b.is_finite()) {
            return Err(format!("[{a}, {b}]: must be finite"));
        }
        let (lon, lat) = if self.crs.is_geographic() {
            (a, b)
        } else if let Some((zone, geo, fe)) = &self.gk {
            // Easting within 1 000 km of the false easting (within ±500 km for every point
            // of its 3-degree zone; the zone prefix of EPSG:4513–4533 is checked by this too).
            if (a - fe).abs() > 1e6 {
                return Err(format!(
                    "[{a}, {b}]: easting {a} m is more than 1000 km from the false easting \
                     {fe} m of {} (positions are [easting, northing])",
                    self.crs
                ));
            }
            let mut q = (a, b, 0.0);
            run(zone, geo, &mut q).map_err(|e| e.to_string())?;
            (q.0.to_degrees(), q.1.to_degrees())
        } else {
            return Ok(p);
        };
        if !(-89.0..=89.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(format!(
                "[{a}, {b}]: longitude {lon} must be in [-180, 180] and latitude {lat} in \
                 [-89, 89] (positions are [longitude, latitude])"
            ));
        }
        let (x, y) = self
            .frame
            .from_lon_lat(lon, lat)
            .map_err(|e| e.to_string())?;
        Ok([snap(x), snap(y)])
    }
}

impl Study {
    /// Converts every position of the study from its `crs` to the local frame (see the module
    /// docs) and sets `crs` to [`Crs::Local`]; a study in local metres is returned unchanged.
    ///
    /// # Errors
    /// Every problem with its field path: no `origin` with a non-local `crs`, a position outside
    /// its CRS's range.
    pub fn into_local_frame(mut self) -> std::result::Result<Study, Vec<FieldError>> {
        if self.crs == Crs::Local {
            return Ok(self);
        }
        let Some(origin) = self.origin else {
            return Err(vec![fe(
                "origin".into(),
                format!(
                    "missing: crs = \"{}\" needs the origin of the local frame ([origin] \
                     latitude_deg, longitude_deg)",
                    self.crs
                ),
            )]);
        };
        let conv = match LocalFrame::new(origin).and_then(|f| ToLocal::new(self.crs, f)) {
            Ok(c) => c,
            Err(e) => return Err(vec![fe("origin".into(), e.to_string())]),
        };
        let mut problems = Vec::new();
        let mut at = |path: String, p: &mut [f64; 2]| match conv.point(*p) {
            Ok(q) => *p = q,
            Err(m) => problems.push(fe(path, m)),
        };
        let Study {
            schema: _,
            metadata: _,
            origin: _,
            crs,
            substances: _,
            installations,
            events: _,
            meteorology: _,
            population,
            targets,
            vulnerability: _,
            options: _,
            grid: _,
            pipelines,
            facilities,
            park_boundary,
            ignition,
            units,
        } = &mut self;
        let ring = |at: &mut dyn FnMut(String, &mut [f64; 2]), path: &str, v: &mut [[f64; 2]]| {
            for (k, p) in v.iter_mut().enumerate() {
                at(format!("{path}[{k}]"), p);
            }
        };
        for (i, inst) in installations.iter_mut().enumerate() {
            let mut p = [inst.x_m, inst.y_m];
            at(format!("installations[{i}].x_m"), &mut p);
            [inst.x_m, inst.y_m] = p;
        }
        for (i, pp) in population.polygons.iter_mut().enumerate() {
            ring(
                &mut at,
                &format!("population.polygons[{i}].vertices"),
                &mut pp.vertices,
            );
        }
        for (i, t) in targets.iter_mut().enumerate() {
            if let Some(p) = t.point.as_mut() {
                at(format!("targets[{i}].point"), p);
            }
            if let Some(v) = t.polygon.as_mut() {
                ring(&mut at, &format!("targets[{i}].polygon"), v);
            }
        }
        for (i, pl) in pipelines.iter_mut().enumerate() {
            ring(
                &mut at,
                &format!("pipelines[{i}].vertices"),
                &mut pl.vertices,
            );
        }
        for (i, f) in facilities.iter_mut().enumerate() {
            if let Some(v) = f.boundary.as_mut() {
                ring(&mut at, &format!("facilities[{i}].boundary"), v);
            }
        }
        for (i, u) in units.iter_mut().enumerate() {
            if let Some(v) = u.boundary.as_mut() {
                ring(&mut at, &format!("units[{i}].boundary"), v);
            }
        }
        if let Some(v) = park_boundary.as_mut() {
            ring(&mut at, "park_boundary", v);
        }
        for (i, s) in ignition.sources.iter_mut().enumerate() {
            let path = format!("ignition.sources[{i}]");
            match s {
                super::IgnitionSourceKind::Point { x_m, y_m, .. } => {
                    let mut p = [*x_m, *y_m];
                    at(format!("{path}.x_m"), &mut p);
                    [*x_m, *y_m] = p;
                }
                super::IgnitionSourceKind::Line { points, .. } => {
                    ring(&mut at, &format!("{path}.points"), points);
                }
                super::IgnitionSourceKind::Area { polygon, .. } => {
                    ring(&mut at, &format!("{path}.polygon"), polygon);
                }
            }
        }
        for (i, r) in ignition.congested_regions.iter_mut().enumerate() {
            ring(
                &mut at,
                &format!("ignition.congested_regions[{i}].polygon"),
                &mut r.polygon,
            );
        }
        *crs = Crs::Local;
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsg_codes_round_trip_and_name_their_zone() {
        for c in [4326u16, 4490, 4513, 4528, 4533, 4534, 4549, 4554] {
            let crs = Crs::from_epsg(c).unwrap();
            assert_eq!(crs.epsg(), Some(c));
            assert_eq!(Crs::parse(&format!("EPSG:{c}")).unwrap(), crs);
        }
        // EPSG:4528 is zone 40 (central meridian 120°E, false easting 40 500 000 m) and
        // EPSG:4549 is CM 120°E (false easting 500 000 m) — EPSG registry names.
        assert_eq!(
            Crs::from_epsg(4528).unwrap().gauss_krueger(),
            Some((120.0, 40_500_000.0))
        );
        assert_eq!(
            Crs::from_epsg(4549).unwrap().gauss_krueger(),
            Some((120.0, 500_000.0))
        );
        for bad in ["EPSG:4512", "EPSG:4555", "EPSG:3857", "WGS84", "", "EPSG:"] {
            let e = Crs::parse(bad).unwrap_err().to_string();
            assert!(e.contains("crs") && e.contains("EPSG:4326"), "{e}");
        }
        assert_eq!(Crs::parse("local").unwrap(), Crs::Local);
    }

    /// Reference points computed with pyproj 3.7.2 / PROJ 9.5.1 (an independent implementation
    /// of the same projections; `Transformer.from_crs(..., always_xy=True)`, EPSG definitions
    /// from the PROJ database, CGCS2000 → WGS84 by PROJ's ballpark null transformation):
    /// (longitude, latitude) → local frame at origin (32.20 N, 118.75 E), EPSG:4549 and
    /// EPSG:4528 (easting, northing).
    const PYPROJ: [([f64; 2], [f64; 2], [f64; 2]); 5] = [
        (
            [118.75, 32.2],
            [0.0, 0.0],
            [382_136.614_022, 3_564_715.326_947],
        ),
        (
            [118.8, 32.23],
            [4_712.825_184, 3_327.814_062],
            [386_888.608_320, 3_567_988.637_037],
        ),
        (
            [118.7, 32.15],
            [-4_716.949_353, -5_543.398_604],
            [377_354.724_224, 3_559_226.129_177],
        ),
        (
            [118.95, 32.4],
            [18_816.138_580, 22_196.011_468],
            [401_212.985_452, 3_586_693.615_843],
        ),
        (
            [118.75, 32.3],
            [0.0, 11_089.119_392],
            [382_265.743_827, 3_575_805.591_452],
        ),
    ];

    fn origin() -> GeoOrigin {
        GeoOrigin {
            latitude_deg: 32.2,
            longitude_deg: 118.75,
        }
    }

    #[test]
    fn local_frame_matches_pyproj_both_ways() {
        use crate::tolerance::PROJECTION_M;
        let f = LocalFrame::new(origin()).unwrap();
        for (ll, xy, _) in PYPROJ {
            let (x, y) = f.from_lon_lat(ll[0], ll[1]).unwrap();
            assert!((x - xy[0]).abs() < PROJECTION_M && (y - xy[1]).abs() < PROJECTION_M);
            let (lon, lat) = f.to_lon_lat(xy[0], xy[1]).unwrap();
            // 1 mm ≈ 1e-8° of latitude.
            assert!((lon - ll[0]).abs() < 1e-8 && (lat - ll[1]).abs() < 1e-8);
        }
    }

    #[test]
    fn gauss_krueger_zones_match_pyproj() {
        use crate::tolerance::PROJECTION_M;
        for (code, fe_extra) in [(4549u16, 0.0), (4528, 40e6)] {
            let c = ToLocal::new(
                Crs::from_epsg(code).unwrap(),
                LocalFrame::new(origin()).unwrap(),
            )
            .unwrap();
            for (_, xy, en) in PYPROJ {
                let q = c.point([en[0] + fe_extra, en[1]]).unwrap();
                assert!(
                    (q[0] - xy[0]).abs() < PROJECTION_M && (q[1] - xy[1]).abs() < PROJECTION_M,
                    "EPSG:{code} {en:?} -> {q:?}, pyproj {xy:?}"
                );
            }
            // (northing, easting) given the wrong way round is refused, naming the order.
            let e = c.point([3_564_715.3, 382_136.6 + fe_extra]).unwrap_err();
            assert!(e.contains("[easting, northing]"), "{e}");
        }
        let w = ToLocal::new(Crs::Wgs84, LocalFrame::new(origin()).unwrap()).unwrap();
        assert!(w
            .point([32.2, 118.75])
            .unwrap_err()
            .contains("[longitude, latitude]"));
    }
}
