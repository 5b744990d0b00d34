//! Iso-risk contours by marching squares, and GeoJSON export.
//!
//! # Method
//! Marching squares on the node grid (Lorensen & Cline 1987, the 2-D case), with linear
//! interpolation of the crossing along each cell edge and the saddle ambiguity resolved by the
//! mean of the four corners (≥ level: the high corners are joined). Segments are oriented with
//! the region `IR ≥ level` on their left, so outer rings run counter-clockwise and holes clockwise.
//! The grid is padded with a ring of zeros placed **on** the border nodes, so every contour is a
//! closed ring; where the risk region reaches the border, the ring runs along the border.
//!
//! # Levels
//! [`DEFAULT_LEVELS`]: the decades 1e-4 … 1e-8 per year plus the GB 36894-2018 limits 3e-5, 1e-5,
//! 3e-6 and 3e-7 per year.

use std::collections::HashMap;

use ndarray::ArrayView2;
use rayon::prelude::*;
use serde_json::{json, Value};

use super::study::GeoOrigin;

/// Default contour levels, per year (descending): the decades 1e-4 … 1e-8 and the GB 36894-2018
/// limits 3e-5, 1e-5, 3e-6, 3e-7.
pub const DEFAULT_LEVELS: [f64; 8] = [1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 1e-8];

/// The default levels without duplicates, descending.
pub fn default_levels() -> Vec<f64> {
    DEFAULT_LEVELS.to_vec()
}

/// All closed rings of one level.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// The level, per year.
    pub level: f64,
    /// Closed rings (first point repeated at the end), (x, y) in m.
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// Contours of `z` (shape (ny, nx), rows = y) on nodes `xs`, `ys` at each of `levels`
/// (non-finite or non-positive levels give no rings). Levels are processed in parallel;
/// the output is deterministic.
pub fn contours(xs: &[f64], ys: &[f64], z: ArrayView2<'_, f64>, levels: &[f64]) -> Vec<Contour> {
    let (ny, nx) = z.dim();
    if nx == 0 || ny == 0 || xs.len() != nx || ys.len() != ny {
        return levels
            .iter()
            .map(|&level| Contour {
                level,
                rings: Vec::new(),
            })
            .collect();
    }
    // Padded copy (a ring of zeros; NaN read as 0) and the maximum of each padded row, shared by
    // all levels: a pair of rows whose maxima are both below the level has no crossing.
    let (px, py) = (nx + 2, ny + 2);
    let mut pad = vec![0.0; px * py];
    for j in 0..ny {
        for i in 0..nx {
            let v = z[[j, i]];
            pad[(j + 1) * px + i + 1] = if v.is_nan() { 0.0 } else { v };
        }
    }
    let row_max: Vec<f64> = pad
        .chunks(px)
        .map(|r| r.iter().cloned().fold(0.0, f64::max))
        .collect();
    levels
        .par_iter()
        .map(|&level| Contour {
            level,
            rings: if level.is_finite() && level > 0.0 {
                rings(xs, ys, &pad, &row_max, level)
            } else {
                Vec::new()
            },
        })
        .collect()
}

fn rings(xs: &[f64], ys: &[f64], pad: &[f64], row_max: &[f64], level: f64) -> Vec<Vec<[f64; 2]>> {
    let (nx, ny) = (xs.len(), ys.len());
    // Padded grid: index p in 0..nx+2 maps to node p−1, clamped for coordinates, 0 outside.
    let px = nx + 2;
    let py = ny + 2;
    let val = |i: usize, j: usize| -> f64 { pad[j * px + i] };
    let cx = |i: usize| xs[i.saturating_sub(1).min(nx - 1)];
    let cy = |j: usize| ys[j.saturating_sub(1).min(ny - 1)];
    // Edge ids: horizontal edge (i,j)-(i+1,j) = 2·(j·px + i); vertical (i,j)-(i,j+1) = +1.
    let hid = |i: usize, j: usize| 2 * (j * px + i) as u64;
    let vid = |i: usize, j: usize| 2 * (j * px + i) as u64 + 1;
    let point = |id: u64| -> [f64; 2] {
        let k = (id / 2) as usize;
        let (i, j) = (k % px, k / px);
        let (i2, j2) = if id % 2 == 0 { (i + 1, j) } else { (i, j + 1) };
        let (a, b) = (val(i, j), val(i2, j2));
        let t = if b == a {
            0.5
        } else {
            ((level - a) / (b - a)).clamp(0.0, 1.0)
        };
        [cx(i) + t * (cx(i2) - cx(i)), cy(j) + t * (cy(j2) - cy(j))]
    };
    // Oriented segments: start edge → end edge.
    let mut next: HashMap<u64, u64> = HashMap::new();
    let mut starts: Vec<u64> = Vec::new();
    for j in 0..py - 1 {
        if row_max[j] < level && row_max[j + 1] < level {
            continue;
        }
        for i in 0..px - 1 {
            // CCW corners a(i,j) b(i+1,j) c(i+1,j+1) d(i,j+1); edges walked CCW: a→b, b→c, c→d, d→a.
            let v = [val(i, j), val(i + 1, j), val(i + 1, j + 1), val(i, j + 1)];
            let h = [v[0] >= level, v[1] >= level, v[2] >= level, v[3] >= level];
            if h.iter().all(|&b| b) || h.iter().all(|&b| !b) {
                continue;
            }
            let edges = [hid(i, j), vid(i + 1, j), hid(i, j + 1), vid(i, j)];
            // Crossings in CCW order: (edge, is H→L).
            let mut cr: Vec<(u64, bool)> = Vec::with_capacity(4);
            for k in 0..4 {
                let (p, q) = (h[k], h[(k + 1) % 4]);
                if p != q {
                    cr.push((edges[k], p));
                }
            }
            let pair =
                |from: usize, to: usize, next: &mut HashMap<u64, u64>, starts: &mut Vec<u64>| {
                    next.insert(cr[from].0, cr[to].0);
                    starts.push(cr[from].0);
                };
            if cr.len() == 2 {
                let (s, e) = if cr[0].1 { (0, 1) } else { (1, 0) };
                pair(s, e, &mut next, &mut starts);
            } else {
                // Saddle: crossings alternate H→L / L→H.
                let centre = 0.25 * (v[0] + v[1] + v[2] + v[3]) >= level;
                let hl: Vec<usize> = (0..4).filter(|&k| cr[k].1).collect();
                for &s in &hl {
                    let e = if centre { (s + 1) % 4 } else { (s + 3) % 4 };
                    pair(s, e, &mut next, &mut starts);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut visited: HashMap<u64, bool> = HashMap::with_capacity(starts.len());
    for &s in &starts {
        if visited.contains_key(&s) {
            continue;
        }
        let mut ring: Vec<[f64; 2]> = Vec::new();
        let mut e = s;
        loop {
            visited.insert(e, true);
            let p = point(e);
            if ring.last() != Some(&p) {
                ring.push(p);
            }
            match next.get(&e) {
                Some(&n) if n != s => e = n,
                _ => break,
            }
            if visited.contains_key(&e) {
                break;
            }
        }
        if ring.len() >= 3 {
            if ring.first() != ring.last() {
                ring.push(ring[0]);
            }
            out.push(ring);
        }
    }
    out
}

/// Signed area of a closed ring (positive = counter-clockwise), m².
pub fn ring_area(ring: &[[f64; 2]]) -> f64 {
    let mut a = 0.0;
    for w in ring.windows(2) {
        a += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    0.5 * a
}

/// GeoJSON FeatureCollection of the contours: one Feature per level with a MultiLineString of
/// closed rings and `properties.level`. With an origin the coordinates are WGS84
/// (longitude, latitude) via [`GeoOrigin::to_lon_lat`]; without one they are the local metres and
/// the collection carries `"crs_note": "local metres (x east, y north)"`.
pub fn to_geojson(contours: &[Contour], origin: Option<&GeoOrigin>) -> Value {
    let conv = |p: &[f64; 2]| -> Value {
        match origin {
            Some(o) => {
                let (lon, lat) = o.to_lon_lat(p[0], p[1]);
                json!([lon, lat])
            }
            None => json!([p[0], p[1]]),
        }
    };
    let features: Vec<Value> = contours
        .iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "properties": {"level": c.level, "unit": "per year"},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": c.rings.iter().map(|r| r.iter().map(conv).collect::<Vec<_>>()).collect::<Vec<_>>()
                }
            })
        })
        .collect();
    let mut fc = json!({"type": "FeatureCollection", "features": features});
    if origin.is_none() {
        fc["crs_note"] = json!("local metres (x east, y north)");
    }
    fc
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn grid(n: usize, h: f64) -> (Vec<f64>, Vec<f64>) {
        let v: Vec<f64> = (0..n)
            .map(|i| i as f64 * h - (n as f64 - 1.0) * h / 2.0)
            .collect();
        (v.clone(), v)
    }

    #[test]
    fn circle_contour_is_closed_ccw_and_has_the_right_area() {
        // z = exp(-r/100): the level e^{-1} contour is the circle r = 100 m, area π·100².
        let (xs, ys) = grid(201, 2.0);
        let z = Array2::from_shape_fn((201, 201), |(j, i)| (-(xs[i].hypot(ys[j])) / 100.0).exp());
        let c = contours(&xs, &ys, z.view(), &[(-1.0f64).exp()]);
        assert_eq!(c[0].rings.len(), 1);
        let r = &c[0].rings[0];
        assert_eq!(r.first(), r.last());
        let a = ring_area(r);
        assert!(a > 0.0, "counter-clockwise");
        // Polygon inscribed in the circle with 2 m chords: relative error < 1e-3.
        assert!((a / (std::f64::consts::PI * 1e4) - 1.0).abs() < 1e-3, "{a}");
        for p in r {
            assert!((p[0].hypot(p[1]) - 100.0).abs() < 0.1);
        }
    }

    #[test]
    fn region_touching_the_border_is_closed_along_the_border() {
        let (xs, ys) = grid(11, 1.0);
        let z = Array2::from_elem((11, 11), 1.0);
        let c = contours(&xs, &ys, z.view(), &[0.5]);
        assert_eq!(c[0].rings.len(), 1);
        let a = ring_area(&c[0].rings[0]);
        assert!((a - 100.0).abs() < 1e-9, "{a}");
    }

    #[test]
    fn hole_is_clockwise_and_levels_without_region_are_empty() {
        let (xs, ys) = grid(41, 1.0);
        // Annulus 5 <= r <= 15.
        let z = Array2::from_shape_fn((41, 41), |(j, i)| {
            let r = xs[i].hypot(ys[j]);
            if (5.0..=15.0).contains(&r) {
                1.0
            } else {
                0.0
            }
        });
        let c = contours(&xs, &ys, z.view(), &[0.5, 2.0, f64::NAN]);
        let areas: Vec<f64> = c[0].rings.iter().map(|r| ring_area(r)).collect();
        assert_eq!(areas.len(), 2);
        assert!(areas.iter().any(|&a| a > 0.0) && areas.iter().any(|&a| a < 0.0));
        assert!(c[1].rings.is_empty() && c[2].rings.is_empty());
    }

    #[test]
    fn geojson_uses_lon_lat() {
        let c = vec![Contour {
            level: 1e-6,
            rings: vec![vec![[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0], [0.0, 0.0]]],
        }];
        let o = GeoOrigin {
            latitude_deg: 30.0,
            longitude_deg: 120.0,
        };
        let g = to_geojson(&c, Some(&o));
        let p = &g["features"][0]["geometry"]["coordinates"][0][2];
        // 1000 m north at 30° N is 0.009022° of latitude (meridional radius 6 351 377 m).
        assert!((p[1].as_f64().unwrap() - 30.009_021).abs() < 2e-6);
        assert_eq!(p[0].as_f64().unwrap(), 120.0);
    }
}
