//! Plane geometry of the study site on [`geo`] types: point-in-polygon, polygon areas, polyline
//! lengths and positions along a polyline (chainage).
//!
//! Coordinates are the study's local frame: x east, y north, in metres. Polygons are given as
//! vertex lists `&[[f64; 2]]`, open or closed (a repeated first vertex is allowed), of either
//! orientation; they are meant to be simple (not self-intersecting). These thin functions are the
//! one place where the risk engine (population polygons, park boundaries, pipelines) and the
//! contours (`risk::contour`) do plane geometry.

use geo::coordinate_position::CoordPos;
use geo::line_measures::{Distance, Euclidean, Length};
use geo::{Area, Coord, CoordinatePosition, LineString, Polygon};

/// A `geo` polygon (no holes) from a vertex list, closed if it is not.
pub fn polygon(vertices: &[[f64; 2]]) -> Polygon<f64> {
    Polygon::new(line_string(vertices), Vec::new())
}

/// A `geo` line string from a vertex list (x east, y north, m).
pub fn line_string(vertices: &[[f64; 2]]) -> LineString<f64> {
    vertices
        .iter()
        .map(|p| Coord { x: p[0], y: p[1] })
        .collect()
}

/// Whether (x, y) lies in the polygon `vertices` (m).
///
/// Interior and exterior points are classified by `geo`'s winding-number test with exact
/// (robust) orientation predicates ([`CoordinatePosition`]). A point **on the boundary** counts
/// as inside by the half-open rule of the crossing-number test with a ray towards +x: it is
/// inside iff the polygon lies to its upper right — for an axis-aligned rectangle
/// [x₀, x₁) × [y₀, y₁), left and bottom edges in, right and top edges out. So two polygons that
/// share an edge (adjacent population areas, a park cut into zones) never both claim a point on
/// it, and raster points on a shared edge are counted once; this is the rule of the hand-written
/// even-odd test the engine used before (kept below as the tie-break only, because `geo` reports
/// the boundary as one class and has no half-open rule).
///
/// For simple polygons this equals the even-odd test everywhere; for a self-intersecting vertex
/// list the winding number decides (a doubly wound region is inside).
pub fn point_in_polygon(x: f64, y: f64, vertices: &[[f64; 2]]) -> bool {
    if vertices.len() < 3 {
        return false;
    }
    match polygon(vertices).coordinate_position(&Coord { x, y }) {
        CoordPos::Inside => true,
        CoordPos::Outside => false,
        CoordPos::OnBoundary => crossing_parity(x, y, vertices),
    }
}

/// Distance from (x, y) to the polygon `vertices` (its region, not its ring), m: 0 inside or on
/// the boundary, else the distance to the nearest point of the boundary (`geo`'s Euclidean
/// point–polygon distance). Fewer than 3 vertices: the distance to the vertices given (∞ for
/// none).
///
/// # Units
/// m for coordinates in m.
pub fn distance_to_polygon_m(x: f64, y: f64, vertices: &[[f64; 2]]) -> f64 {
    if vertices.len() < 3 {
        return vertices
            .iter()
            .map(|v| (v[0] - x).hypot(v[1] - y))
            .fold(f64::INFINITY, f64::min);
    }
    Euclidean.distance(&geo::Point::new(x, y), &polygon(vertices))
}

/// Parity of the crossings of the ray from (x, y) towards +x with the edges of `vertices`
/// (half-open in y: an edge counts if exactly one end lies strictly above y; strict in x).
fn crossing_parity(x: f64, y: f64, vertices: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = vertices.len();
    let mut j = n - 1;
    for (i, pi) in vertices.iter().enumerate() {
        let (xi, yi) = (pi[0], pi[1]);
        let (xj, yj) = (vertices[j][0], vertices[j][1]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Unsigned area of the polygon `vertices`, m²: |½ Σ (xᵢ yᵢ₊₁ − xᵢ₊₁ yᵢ)| (shoelace formula,
/// evaluated by `geo` on coordinates shifted to the first vertex, which keeps the digits of small
/// polygons far from the origin). Fewer than 3 vertices give 0.
///
/// # Units
/// m² for vertices in m.
pub fn polygon_area_m2(vertices: &[[f64; 2]]) -> f64 {
    polygon(vertices).unsigned_area()
}

/// Length of the polyline `vertices`, m: Σ |vᵢ₊₁ − vᵢ| (each segment by `hypot`, summed in order;
/// 0 for fewer than 2 vertices).
///
/// # Units
/// m for vertices in m.
pub fn polyline_length_m(vertices: &[[f64; 2]]) -> f64 {
    Euclidean.length(&line_string(vertices))
}

/// Point (m) and unit tangent of the polyline `vertices` at chainage `s` (m, distance along the
/// line from the first vertex), clamped to [0, L].
///
/// Walks the segments of positive length in order, subtracting their lengths, and places the
/// point at fraction t = s′/l of the segment holding the remaining s′ (the first segment whose
/// end is reached or passed: a vertex belongs to the segment before it), p = v₀ + t·(v₁ − v₀),
/// tangent (v₁ − v₀)/l. Zero-length segments are skipped; beyond L the end of the last segment
/// of positive length is returned. A polyline without a segment of positive length gives its
/// first vertex and the tangent (1, 0).
///
/// # Panics
/// If `vertices` is empty.
pub fn polyline_at_chainage(vertices: &[[f64; 2]], s: f64) -> ([f64; 2], [f64; 2]) {
    let mut left = s.max(0.0);
    let mut last = None;
    for line in line_string(vertices).lines() {
        let l = Euclidean.length(&line);
        if l <= 0.0 {
            continue;
        }
        let d = line.delta();
        if left <= l {
            let t = left / l;
            return (
                [line.start.x + t * d.x, line.start.y + t * d.y],
                [d.x / l, d.y / l],
            );
        }
        left -= l;
        last = Some((line.start, d, l));
    }
    match last {
        // v₀ + 1·(v₁ − v₀), as the hand version computed it (may differ from v₁ in the last bit).
        Some((start, d, l)) => ([start.x + d.x, start.y + d.y], [d.x / l, d.y / l]),
        None => (vertices[0], [1.0, 0.0]),
    }
}

#[cfg(test)]
mod tests {
    //! The `geo`-based functions against the hand-written versions they replace (copied here
    //! from `risk/engine.rs` and `risk/linear.rs` as of the golden outputs, commit cc62ee9).
    use super::*;
    use crate::tolerance::EXACT;
    use proptest::prelude::*;

    fn hand_point_in_polygon(x: f64, y: f64, poly: &[[f64; 2]]) -> bool {
        let mut inside = false;
        let n = poly.len();
        let mut j = n.wrapping_sub(1);
        for i in 0..n {
            let (xi, yi) = (poly[i][0], poly[i][1]);
            let (xj, yj) = (poly[j][0], poly[j][1]);
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    }

    fn hand_polygon_area(poly: &[[f64; 2]]) -> f64 {
        let n = poly.len();
        let mut a = 0.0;
        for i in 0..n {
            let j = (i + 1) % n;
            a += poly[i][0] * poly[j][1] - poly[j][0] * poly[i][1];
        }
        0.5 * a.abs()
    }

    fn hand_length(v: &[[f64; 2]]) -> f64 {
        v.windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum()
    }

    fn hand_at_chainage(v: &[[f64; 2]], s: f64) -> ([f64; 2], [f64; 2]) {
        let mut left = s.max(0.0);
        let n = v.len();
        for (k, w) in v.windows(2).enumerate() {
            let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
            let l = dx.hypot(dy);
            if l <= 0.0 {
                continue;
            }
            if left <= l || k + 2 == n {
                let t = (left / l).min(1.0);
                return ([w[0][0] + t * dx, w[0][1] + t * dy], [dx / l, dy / l]);
            }
            left -= l;
        }
        (v[0], [1.0, 0.0])
    }

    /// A simple (star-shaped) polygon: radii at strictly increasing angles around a centre,
    /// either orientation, open or closed.
    fn star() -> impl Strategy<Value = Vec<[f64; 2]>> {
        (
            prop::collection::vec((0.05..1.0f64, 5.0..500.0f64), 3..24),
            -1e4..1e4f64,
            -1e4..1e4f64,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(pts, cx, cy, cw, closed)| {
                let total: f64 = pts.iter().map(|p| p.0).sum::<f64>() * 1.01;
                let mut angle = 0.0;
                let mut v: Vec<[f64; 2]> = pts
                    .iter()
                    .map(|&(step, r)| {
                        angle += step / total * std::f64::consts::TAU;
                        [cx + r * angle.cos(), cy + r * angle.sin()]
                    })
                    .collect();
                if cw {
                    v.reverse();
                }
                if closed {
                    v.push(v[0]);
                }
                v
            })
    }

    proptest! {
        #[test]
        fn point_in_polygon_agrees_with_the_even_odd_test(
            v in star(), fx in -1.2..1.2f64, fy in -1.2..1.2f64, k in 0usize..64, t in 0.0..1.0f64
        ) {
            let (x0, x1) = v.iter().fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p[0]), a.1.max(p[0])));
            let (y0, y1) = v.iter().fold((f64::MAX, f64::MIN), |a, p| (a.0.min(p[1]), a.1.max(p[1])));
            // Points exactly on the boundary take the hand rule; points within rounding of it
            // (e.g. interpolated along an edge) are decided by geo's exact predicates, where the
            // float crossing test may err: the two may differ only within 1e-12 of the polygon's
            // size from the boundary.
            let check = |x: f64, y: f64| -> Result<(), TestCaseError> {
                if point_in_polygon(x, y, &v) != hand_point_in_polygon(x, y, &v) {
                    let d = Euclidean.distance(&geo::Point::new(x, y), polygon(&v).exterior());
                    prop_assert!(d <= 1e-12 * (x1 - x0).max(y1 - y0), "({}, {}): {} m from the boundary", x, y, d);
                }
                Ok(())
            };
            check(0.5 * (x0 + x1) + fx * 0.5 * (x1 - x0), 0.5 * (y0 + y1) + fy * 0.5 * (y1 - y0))?;
            // Vertices are exactly on the boundary.
            let a = v[k % v.len()];
            prop_assert_eq!(point_in_polygon(a[0], a[1], &v), hand_point_in_polygon(a[0], a[1], &v));
            let b = v[(k + 1) % v.len()];
            check(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))?;
        }

        #[test]
        fn area_agrees_with_the_hand_shoelace(v in star()) {
            let scale: f64 = v.iter().map(|p| p[0].abs() * p[1].abs()).sum::<f64>().max(1.0);
            let (a, h) = (polygon_area_m2(&v), hand_polygon_area(&v));
            prop_assert!((a - h).abs() <= 1e-13 * scale, "{} vs {}", a, h);
        }

        #[test]
        fn length_and_chainage_agree_with_the_hand_versions(
            pts in prop::collection::vec((-1e3..1e3f64, -1e3..1e3f64, 0u8..8), 2..12),
            f in -0.1..1.1f64
        ) {
            // Some vertices repeated (zero-length segments), but not the last one (see the
            // test below for that case).
            let mut v: Vec<[f64; 2]> = Vec::new();
            for &(x, y, rep) in &pts {
                v.push([x, y]);
                if rep == 0 {
                    v.push([x, y]);
                }
            }
            let (x, y, _) = pts[pts.len() - 1];
            v.push([x + 1.0, y]);
            prop_assert_eq!(polyline_length_m(&v).to_bits(), hand_length(&v).to_bits());
            let s = f * hand_length(&v);
            let (p, t) = polyline_at_chainage(&v, s);
            let (ph, th) = hand_at_chainage(&v, s);
            prop_assert_eq!((p, t), (ph, th));
        }
    }

    #[test]
    fn boundary_rule_is_half_open() {
        let sq = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert!(point_in_polygon(0.0, 5.0, &sq) && point_in_polygon(5.0, 0.0, &sq));
        assert!(!point_in_polygon(10.0, 5.0, &sq) && !point_in_polygon(5.0, 10.0, &sq));
        assert!(point_in_polygon(0.0, 0.0, &sq) && !point_in_polygon(10.0, 10.0, &sq));
        // Two squares sharing the edge x = 10 claim its points once.
        let right = [[10.0, 0.0], [20.0, 0.0], [20.0, 10.0], [10.0, 10.0]];
        for y in [0.0, 2.5, 5.0, 9.0] {
            assert!(point_in_polygon(10.0, y, &sq) != point_in_polygon(10.0, y, &right));
        }
        assert!(!point_in_polygon(1.0, 1.0, &sq[..2]));
        assert!((polygon_area_m2(&sq) - 100.0).abs() <= EXACT * 100.0);
        assert_eq!(polygon_area_m2(&sq[..2]), 0.0);
    }

    #[test]
    fn distance_to_polygon_is_zero_inside_and_euclidean_outside() {
        let sq = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(distance_to_polygon_m(5.0, 5.0, &sq), 0.0);
        assert_eq!(distance_to_polygon_m(10.0, 5.0, &sq), 0.0);
        assert!((distance_to_polygon_m(13.0, 14.0, &sq) - 5.0).abs() <= EXACT * 5.0);
        assert!((distance_to_polygon_m(-2.0, 5.0, &sq) - 2.0).abs() <= EXACT * 2.0);
        assert_eq!(distance_to_polygon_m(3.0, 4.0, &sq[..1]), 5.0);
    }

    #[test]
    fn chainage_beyond_a_trailing_repeated_vertex_is_the_end() {
        // The hand version returned the first vertex here (its last window has zero length).
        let v = [[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]];
        assert_eq!(polyline_at_chainage(&v, 9.0), ([3.0, 4.0], [0.6, 0.8]));
        assert_eq!(hand_at_chainage(&v, 9.0), ([0.0, 0.0], [1.0, 0.0]));
        assert_eq!(polyline_at_chainage(&v, -1.0), ([0.0, 0.0], [0.6, 0.8]));
        assert_eq!(
            polyline_at_chainage(&[[1.0, 2.0]], 1.0),
            ([1.0, 2.0], [1.0, 0.0])
        );
        assert_eq!(polyline_length_m(&v), 5.0);
    }
}
