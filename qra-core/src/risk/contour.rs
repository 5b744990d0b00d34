//! Iso-risk contours as polygons (the `contour` crate, georust/contour-rs), and GeoJSON export.
//!
//! # Method
//! For each level, the region IR ≥ level of the node grid is traced by marching squares with
//! linear interpolation of the crossing along each cell edge (Lorensen & Cline 1987, the 2-D
//! case), as implemented by `contour::ContourBuilder` (a port of d3-contour, Bostock 2017).
//! Outside the grid the risk counts as below every level, so every ring closes; where the risk
//! region reaches the border of the grid, the ring runs along the border nodes. Saddle cells take
//! d3-contour's fixed choice (the two high corners are separated). NaN values count as 0.
//!
//! The crate works in index space with node i at i + ½; its coordinates are mapped back to the
//! grid's own node coordinates `xs`, `ys` (clamped to the outer nodes, then linearly between the
//! two neighbouring nodes), so the crossing on an edge between nodes a and b at fraction
//! t = (level − IR_a)/(IR_b − IR_a) lands at x_a + t·(x_b − x_a) also on a non-uniform grid.
//!
//! # Output
//! A [`Contour`] per level holds [`ContourPolygon`]s: the region IR ≥ level, each polygon an
//! exterior ring (counter-clockwise, x east / y north) with its holes (clockwise), every ring
//! closed (first point repeated). Each hole belongs to the smallest exterior that contains it
//! (islands inside holes are polygons of their own). The same polygons feed
//! [`to_geojson`] (`MultiPolygon` features, levels never reached left out) and the Python map (`qra.plot.risk_contours`), so the
//! exported and the plotted contours are one geometry.
//!
//! # Levels
//! [`DEFAULT_LEVELS`]: the decades 1e-4 … 1e-8 per year plus the GB 36894-2018 limits 3e-5, 1e-5,
//! 3e-6 and 3e-7 per year.

use contour::ContourBuilder;
use geo::{Area, Coord, LineString, Polygon};
use ndarray::ArrayView2;
use rayon::prelude::*;
use serde_json::{json, Value};

use super::study::{InstallationStatus, LocalFrame, TargetClass};
use crate::error::Result;

/// Default contour levels, per year (descending): the decades 1e-4 … 1e-8 and the GB 36894-2018
/// limits 3e-5, 1e-5, 3e-6, 3e-7.
pub const DEFAULT_LEVELS: [f64; 8] = [1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 1e-8];

/// The default levels without duplicates, descending.
pub fn default_levels() -> Vec<f64> {
    DEFAULT_LEVELS.to_vec()
}

/// A closed ring of (x, y) points in m (first point repeated at the end).
pub type Ring = Vec<[f64; 2]>;

/// One connected part of the region IR ≥ level.
#[derive(Debug, Clone, PartialEq)]
pub struct ContourPolygon {
    /// Outer boundary, counter-clockwise, closed; (x, y) in m.
    pub exterior: Ring,
    /// Holes (regions below the level inside the exterior), clockwise, closed; (x, y) in m.
    pub holes: Vec<Ring>,
}

impl ContourPolygon {
    /// Area of the region (exterior minus holes), m².
    pub fn area_m2(&self) -> f64 {
        ring_area(&self.exterior) + self.holes.iter().map(|h| ring_area(h)).sum::<f64>()
    }
}

/// The contour of one level: the polygons of the region IR ≥ level.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// The level, per year.
    pub level: f64,
    /// Polygons of the region IR ≥ level (empty if IR stays below the level).
    pub polygons: Vec<ContourPolygon>,
}

impl Contour {
    /// Every ring of every polygon: each exterior (counter-clockwise) followed by its holes
    /// (clockwise).
    pub fn rings(&self) -> impl Iterator<Item = &Ring> + '_ {
        self.polygons
            .iter()
            .flat_map(|p| std::iter::once(&p.exterior).chain(p.holes.iter()))
    }

    /// Area where IR ≥ level, m².
    pub fn area_m2(&self) -> f64 {
        self.polygons.iter().map(ContourPolygon::area_m2).sum()
    }
}

/// Contours of `z` (shape (ny, nx), rows = y) on nodes `xs`, `ys` (increasing) at each of
/// `levels` (non-finite or non-positive levels give no polygons). Levels are processed in
/// parallel; the output is deterministic.
pub fn contours(xs: &[f64], ys: &[f64], z: ArrayView2<'_, f64>, levels: &[f64]) -> Vec<Contour> {
    let (ny, nx) = z.dim();
    let valid = nx > 0 && ny > 0 && xs.len() == nx && ys.len() == ny;
    // Row-major values shared by all levels (NaN read as 0).
    let values: Vec<f64> = if valid {
        z.iter()
            .map(|&v| if v.is_nan() { 0.0 } else { v })
            .collect()
    } else {
        Vec::new()
    };
    levels
        .par_iter()
        .map(|&level| Contour {
            level,
            polygons: if valid && level.is_finite() && level > 0.0 {
                polygons(xs, ys, &values, level)
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// Maps a `contour` index-space coordinate (node i at i + ½) to the node coordinates `nodes`.
fn to_grid(nodes: &[f64], r: f64) -> f64 {
    let n = nodes.len();
    if n == 1 {
        return nodes[0];
    }
    let u = (r - 0.5).clamp(0.0, (n - 1) as f64);
    let i = (u.floor() as usize).min(n - 2);
    crate::numerics::lerp(nodes[i], nodes[i + 1], u - i as f64)
}

/// A ring of the crate in grid coordinates, consecutive duplicates removed, closed; `None` if it
/// encloses no area (e.g. along a one-node-wide grid).
fn grid_ring(xs: &[f64], ys: &[f64], ring: &LineString<f64>) -> Option<(Ring, f64)> {
    let mut out: Ring = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let p = [to_grid(xs, c.x), to_grid(ys, c.y)];
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    out.push(out[0]);
    let a = ring_area(&out);
    (a != 0.0).then_some((out, a))
}

fn polygons(xs: &[f64], ys: &[f64], values: &[f64], level: f64) -> Vec<ContourPolygon> {
    let Ok(found) = ContourBuilder::new(xs.len(), ys.len(), true).contours(values, &[level]) else {
        return Vec::new();
    };
    // Exteriors and holes as the crate classifies them; the holes are re-assigned below to the
    // smallest enclosing exterior (the crate takes the first one, wrong for islands in holes).
    let mut exteriors: Vec<(Ring, f64)> = Vec::new();
    let mut holes: Vec<Ring> = Vec::new();
    for c in &found {
        for p in c.geometry() {
            if let Some((mut r, a)) = grid_ring(xs, ys, p.exterior()) {
                if a < 0.0 {
                    r.reverse();
                }
                exteriors.push((r, a.abs()));
            }
            for h in p.interiors() {
                if let Some((mut r, a)) = grid_ring(xs, ys, h) {
                    if a > 0.0 {
                        r.reverse();
                    }
                    holes.push(r);
                }
            }
        }
    }
    let shapes: Vec<Polygon<f64>> = exteriors
        .iter()
        .map(|(r, _)| crate::geometry::polygon(r))
        .collect();
    let mut out: Vec<ContourPolygon> = exteriors
        .into_iter()
        .map(|(exterior, _)| ContourPolygon {
            exterior,
            holes: Vec::new(),
        })
        .collect();
    let areas: Vec<f64> = out.iter().map(|p| ring_area(&p.exterior)).collect();
    for h in holes {
        // A hole's vertices lie on no other ring, so its first vertex decides.
        let v = Coord {
            x: h[0][0],
            y: h[0][1],
        };
        let owner = (0..shapes.len())
            .filter(|&k| geo::Contains::contains(&shapes[k], &v))
            .min_by(|&a, &b| areas[a].total_cmp(&areas[b]));
        if let Some(k) = owner {
            out[k].holes.push(h);
        }
    }
    out
}

/// Signed area of a closed ring (positive = counter-clockwise, x east / y north), m²
/// (shoelace formula, by `geo`).
pub fn ring_area(ring: &[[f64; 2]]) -> f64 {
    crate::geometry::polygon(ring).signed_area()
}

/// The (class, status, limit) triples of a criteria set whose limit is `level` (relative
/// tolerance 1e-9), as the `classes` / `statuses` attributes of a feature.
pub type LimitTriple = (TargetClass, InstallationStatus, f64);

/// The criterion of the contour attributes: a criteria-set id and its IR limits
/// ([`crate::risk::criteria::CriteriaSet::limits`]).
#[derive(Debug, Clone, Copy)]
pub struct Criterion<'a> {
    /// Criteria-set id, e.g. `"GB36894-2018"`.
    pub id: &'a str,
    /// Its (class, status, limit) triples.
    pub limits: &'a [LimitTriple],
}

/// GeoJSON FeatureCollection of the contours: one Feature per level **reached** (levels without
/// any region are left out: no empty geometries) with a `MultiPolygon` of the region IR ≥ level
/// (exteriors counter-clockwise, holes clockwise, as RFC 7946 §3.1.6 asks) and `properties`
/// `level` (per year), `unit` (`"per year"`), and with a `criterion`: `criterion` (its id when
/// one of its limits is the level, else `null`), `classes` and `statuses` (the protected-target
/// classes and installation statuses whose limit is the level; empty when none).
///
/// With a [`LocalFrame`] the coordinates are WGS84 (longitude, latitude, EPSG:4326) by the
/// frame's transverse Mercator projection; without one they are the local metres and the
/// collection carries `"crs_note": "local metres (x east, y north)"` — not RFC 7946 GeoJSON,
/// which is longitude/latitude only (§4): callers offer it only when asked (Python:
/// `local_metres=True`).
///
/// # Errors
/// [`QraError::Numerical`](crate::QraError::Numerical) if a vertex cannot be projected.
pub fn to_geojson(
    contours: &[Contour],
    frame: Option<&LocalFrame>,
    criterion: Option<Criterion<'_>>,
) -> Result<Value> {
    let mut features = Vec::new();
    for c in contours.iter().filter(|c| !c.polygons.is_empty()) {
        let mut props = json!({"level": c.level, "unit": "per year"});
        if let Some(cr) = criterion {
            let hits: Vec<&LimitTriple> = cr
                .limits
                .iter()
                .filter(|t| (t.2 - c.level).abs() <= 1e-9 * c.level.abs())
                .collect();
            props["criterion"] = if hits.is_empty() {
                Value::Null
            } else {
                json!(cr.id)
            };
            props["classes"] = json!(hits.iter().map(|t| t.0.name()).collect::<Vec<_>>());
            props["statuses"] = json!(hits.iter().map(|t| t.1.name()).collect::<Vec<_>>());
        }
        features.push(feature(&c.polygons, props, frame)?);
    }
    Ok(collection(features, frame))
}

/// A FeatureCollection of `features` (with the `crs_note` of local metres when `frame` is None).
pub(crate) fn collection(features: Vec<Value>, frame: Option<&LocalFrame>) -> Value {
    let mut fc = json!({"type": "FeatureCollection", "features": features});
    if frame.is_none() {
        fc["crs_note"] = json!("local metres (x east, y north)");
    }
    fc
}

/// One `MultiPolygon` Feature of `polygons` with `properties`; WGS84 longitude/latitude through
/// `frame`, else local metres.
///
/// # Errors
/// [`QraError::Numerical`] if a vertex cannot be projected.
pub(crate) fn feature(
    polygons: &[ContourPolygon],
    properties: Value,
    frame: Option<&LocalFrame>,
) -> Result<Value> {
    let conv = |p: &[f64; 2]| -> Result<Value> {
        Ok(match frame {
            Some(f) => {
                let (lon, lat) = f.to_lon_lat(p[0], p[1])?;
                json!([lon, lat])
            }
            None => json!([p[0], p[1]]),
        })
    };
    let mut coordinates = Vec::with_capacity(polygons.len());
    for p in polygons {
        let mut rings = Vec::with_capacity(1 + p.holes.len());
        for r in std::iter::once(&p.exterior).chain(p.holes.iter()) {
            rings.push(r.iter().map(conv).collect::<Result<Vec<Value>>>()?);
        }
        coordinates.push(rings);
    }
    Ok(json!({
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates}
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use std::f64::consts::PI;

    fn grid(n: usize, h: f64) -> (Vec<f64>, Vec<f64>) {
        let v: Vec<f64> = (0..n)
            .map(|i| i as f64 * h - (n as f64 - 1.0) * h / 2.0)
            .collect();
        (v.clone(), v)
    }

    fn disc_field(xs: &[f64], ys: &[f64], inside: impl Fn(f64) -> bool) -> Array2<f64> {
        Array2::from_shape_fn((ys.len(), xs.len()), |(j, i)| {
            f64::from(u8::from(inside(xs[i].hypot(ys[j]))))
        })
    }

    #[test]
    fn circle_contour_is_one_closed_ccw_polygon_of_the_right_area() {
        // IR = exp(-r/100): the level e^{-1} contour is the circle r = 100 m, area π·100².
        let (xs, ys) = grid(201, 2.0);
        let z = Array2::from_shape_fn((201, 201), |(j, i)| (-(xs[i].hypot(ys[j])) / 100.0).exp());
        let c = contours(&xs, &ys, z.view(), &[(-1.0f64).exp()]);
        assert_eq!(c[0].polygons.len(), 1);
        let p = &c[0].polygons[0];
        assert!(p.holes.is_empty());
        let r = &p.exterior;
        assert_eq!(r.first(), r.last());
        assert!(ring_area(r) > 0.0, "counter-clockwise");
        // Polygon inscribed in the circle with 2 m chords: relative error < 1e-3.
        let a = c[0].area_m2();
        assert!((a / (PI * 1e4) - 1.0).abs() < 1e-3, "{a}");
        for q in r {
            assert!((q[0].hypot(q[1]) - 100.0).abs() < 0.1);
        }
    }

    #[test]
    fn contour_areas_of_exp_field_are_pi_r_squared_at_every_level() {
        // IR = 1e-4·exp(-r/80) m: level L is the circle r = 80·ln(1e-4/L), area πr² (within
        // the inscribed-polygon error of 5 m cells, < 1 % for r ≥ 50 m).
        let (xs, ys) = grid(241, 5.0);
        let z = Array2::from_shape_fn((241, 241), |(j, i)| {
            1e-4 * (-(xs[i].hypot(ys[j])) / 80.0).exp()
        });
        for c in contours(&xs, &ys, z.view(), &[3e-5, 1e-5, 3e-6, 1e-6]) {
            let r = 80.0 * (1e-4 / c.level).ln();
            assert!(
                (c.area_m2() / (PI * r * r) - 1.0).abs() < 1e-2,
                "{}",
                c.level
            );
        }
    }

    #[test]
    fn region_touching_the_border_is_closed_along_the_border() {
        let (xs, ys) = grid(11, 1.0);
        let z = Array2::from_elem((11, 11), 1.0);
        let c = contours(&xs, &ys, z.view(), &[0.5]);
        assert_eq!(c[0].polygons.len(), 1);
        assert!((c[0].area_m2() - 100.0).abs() < 1e-9, "{}", c[0].area_m2());
    }

    #[test]
    fn hole_is_clockwise_and_levels_without_region_are_empty() {
        let (xs, ys) = grid(41, 1.0);
        // Annulus 5 <= r <= 15.
        let z = disc_field(&xs, &ys, |r| (5.0..=15.0).contains(&r));
        let c = contours(&xs, &ys, z.view(), &[0.5, 2.0, f64::NAN]);
        assert_eq!(c[0].polygons.len(), 1);
        let p = &c[0].polygons[0];
        assert_eq!(p.holes.len(), 1);
        assert!(ring_area(&p.exterior) > 0.0 && ring_area(&p.holes[0]) < 0.0);
        assert_eq!(c[0].rings().count(), 2);
        assert!(c[1].polygons.is_empty() && c[2].polygons.is_empty());
    }

    #[test]
    fn island_in_a_hole_is_its_own_polygon() {
        // Disc r <= 4 inside the annulus 8 <= r <= 15: two polygons, the hole belongs to the
        // annulus, and the area is π(15² − 8² + 4²) within the grid's resolution.
        let (xs, ys) = grid(81, 0.5);
        let z = disc_field(&xs, &ys, |r| r <= 4.0 || (8.0..=15.0).contains(&r));
        let c = &contours(&xs, &ys, z.view(), &[0.5])[0];
        assert_eq!(c.polygons.len(), 2);
        let mut holes: Vec<usize> = c.polygons.iter().map(|p| p.holes.len()).collect();
        holes.sort();
        assert_eq!(holes, [0, 1]);
        let annulus = c.polygons.iter().find(|p| p.holes.len() == 1).unwrap();
        assert!(ring_area(&annulus.exterior) > 600.0);
        let exact = PI * (225.0 - 64.0 + 16.0);
        assert!((c.area_m2() / exact - 1.0).abs() < 0.03, "{}", c.area_m2());
    }

    #[test]
    fn non_uniform_grid_places_crossings_between_its_own_nodes() {
        // IR = x on nodes x = i² (non-uniform): the level-50 contour is the line x = 50, exactly
        // (linear interpolation along edges is exact for a linear field).
        let xs: Vec<f64> = (0..11).map(|i| (i * i) as f64).collect();
        let ys: Vec<f64> = (0..5).map(|j| j as f64 * 10.0).collect();
        let z = Array2::from_shape_fn((5, 11), |(_, i)| xs[i]);
        let c = &contours(&xs, &ys, z.view(), &[50.0])[0];
        assert_eq!(c.polygons.len(), 1);
        for p in &c.polygons[0].exterior {
            assert!(p[0] >= 50.0 - 1e-12 && p[0] <= 100.0);
            assert!((0.0..=40.0).contains(&p[1]));
        }
        assert!((c.area_m2() - 50.0 * 40.0).abs() < 1e-9, "{}", c.area_m2());
    }

    #[test]
    fn geojson_is_multipolygon_in_lon_lat_without_empty_features() {
        let c = vec![
            Contour {
                level: 3e-7,
                polygons: vec![ContourPolygon {
                    exterior: vec![[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0], [0.0, 0.0]],
                    holes: vec![],
                }],
            },
            Contour {
                level: 1e-4,
                polygons: vec![],
            },
        ];
        let frame = LocalFrame::new(crate::risk::study::GeoOrigin {
            latitude_deg: 30.0,
            longitude_deg: 120.0,
        })
        .unwrap();
        let limits = [
            (TargetClass::HighSensitive, InstallationStatus::New, 3e-7),
            (TargetClass::General3, InstallationStatus::New, 1e-5),
        ];
        let cr = Criterion {
            id: "GB36894-2018",
            limits: &limits,
        };
        let g = to_geojson(&c, Some(&frame), Some(cr)).unwrap();
        let f = g["features"].as_array().unwrap();
        assert_eq!(f.len(), 1, "the level never reached has no feature");
        assert_eq!(f[0]["geometry"]["type"], "MultiPolygon");
        assert_eq!(f[0]["properties"]["criterion"], "GB36894-2018");
        assert_eq!(f[0]["properties"]["classes"], json!(["high-sensitive"]));
        assert_eq!(f[0]["properties"]["statuses"], json!(["new"]));
        let p = &f[0]["geometry"]["coordinates"][0][0][2];
        // 1000 m north of 30° N on the central meridian: the meridian arc from 30° N reaches
        // 1000 m at 30.009 021 6° N (meridional radius M(30°) = 6 351 377 m, 1000/M in degrees
        // = 0.009 020 8°, plus the change of M over the arc, < 1e-8°); longitude unchanged.
        assert!((p[1].as_f64().unwrap() - 30.009_021).abs() < 2e-6, "{p}");
        assert!((p[0].as_f64().unwrap() - 120.0).abs() < 1e-12, "{p}");
        assert!(g.get("crs_note").is_none());
        assert!(to_geojson(&c, None, None)
            .unwrap()
            .get("crs_note")
            .is_some());
    }
}
