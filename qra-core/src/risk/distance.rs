//! External safety distances (外部安全防护距离) from the contours of the **combined** individual
//! risk: of all of an enterprise's installations, and separately of the whole park.
//!
//! # What the distance is
//! GB/T 37243-2019 determines the external safety distance of hazardous-chemical production and
//! storage installations; its QRA method ends in §6.7 (定量风险计算) and §6.8 (外部安全防护距离确定)
//! (clause titles \[V\], standards.md §2). The text of §6.8 could **not** be read; the rule below is
//! the one recalled in standards.md §2 \[M\], consistent with the 2014 trial criteria's 附录2 \[M\]:
//! the risk of the enterprise as a whole is assessed, i.e. the individual-risk contour of all
//! installations together, at the GB 36894 limit of each protected-target class.
//!
//! For every (class, status) limit L of the criteria set — on the IR of the enterprise's **new**
//! installations for a new-status limit, of **all** its installations for an in-service one
//! (GB 36894-2018 attaches the status to installations; the reading is that of the target
//! verdicts, [`super::criteria`]: IR_new ≤ L_new and IR ≤ L_in; see [`combined_distances`]):
//! 1. **Distance polygons of an enterprise**: the contour polygons of the region IR_e ≥ L of the
//!    enterprise's **own combined** IR grid IR_e — all of its installations together
//!    ([`RiskResult::installations_grid`], the engine's accumulation for those installations;
//!    [`crate::risk::contour::contours`]). Every such polygon belongs to the enterprise.
//! 2. **Distance polygons of the park** ([`PARK`]): the same on the grid of every installation —
//!    the grid of the contour map and the IR the target verdicts use. An enterprise's polygons lie
//!    inside the park's (IR_e ≤ IR); where several enterprises' risks add up, only the park's
//!    polygons cover it.
//! 3. **Distance** `distance_m`: the largest distance, over the points of the rings of its
//!    polygons, from the enterprise — its boundary polygon (0 inside it) when the facility has
//!    one, else its nearest installation. An enterprise whose own IR nowhere reaches L has
//!    distance 0.
//! 4. **Per direction** `reach_by_direction_m`: for the 16 compass directions [`DIRECTIONS`]
//!    (ray k at 22.5·k° clockwise from north), the distance along the ray from the enterprise's
//!    **reference point** (centroid of its boundary, else the mean of its installations) to the
//!    farthest crossing of the ray with its polygons' rings, i.e. where the combined IR falls
//!    below L for the last time; 0 where there is none. These are measured from the reference
//!    point, `distance_m` from the boundary / nearest installation.
//! 5. **The park** ([`PARK`]): distance and reach of the park's polygons from every installation,
//!    or from the park boundary when the study gives one.
//!
//! The per-installation distances of earlier versions (each installation to the contour of its
//! **own** IR, [`crate::risk::engine::InstallationProfile::distance_to_level`]) are kept as
//! [`InstallationDistance`]s; they understate the distance wherever installations' risks add up.
//!
//! # Consistency and tolerance
//! The polygons are the region IR ≥ L of the node grid with linear interpolation along cell
//! edges; a target's verdict uses its IR evaluated exactly at its point. The park's polygons and
//! the verdicts come from the same combined risk, so a target inside a park distance polygon
//! exceeds the limit, and one outside it does not, except within **one grid cell diagonal** (√2·resolution) of the polygon's rings,
//! where the interpolated contour and the exact IR may disagree (tested in
//! `qra-core/tests/distance.rs`). Targets exactly at IR = L lie on the contour (the [`Boundary`]
//! convention decides their verdict).
//!
//! [`Boundary`]: super::criteria::Boundary

use geo::{Coord, Intersects, LineString, Polygon};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::contour::{contours, Contour, ContourPolygon};
use super::engine::RiskResult;
use super::study::{InstallationStatus, LocalFrame, TargetClass, TargetStatus};
use crate::error::Result;
use crate::geometry::{distance_to_polygon_m, polygon};

/// The 16 compass directions of [`SafetyDistance::reach_by_direction_m`], clockwise from north.
pub const DIRECTIONS: [&str; 16] = [
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW",
    "NNW",
];

/// The enterprise id of the whole-park rows.
pub const PARK: &str = "(park)";

/// External safety distance of one enterprise (or the park) for one target class and status,
/// from the combined IR contour (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyDistance {
    /// Enterprise (facility) id; [`PARK`] for the whole park.
    pub enterprise: String,
    /// Target class.
    pub class: TargetClass,
    /// Installation status of the limit: new → the contour of the new installations' IR,
    /// in-service → that of all installations ([`combined_distances`]).
    pub status: TargetStatus,
    /// IR limit = contour level, per year.
    pub limit: f64,
    /// Largest distance from the enterprise (boundary, else nearest installation) to its
    /// distance polygons' rings, m.
    pub distance_m: f64,
    /// Reference point of the direction rays (x, y), m.
    pub reference_m: [f64; 2],
    /// Reach of the contour from the reference point along each of [`DIRECTIONS`], m.
    pub reach_by_direction_m: Vec<f64>,
}

/// Per-installation distance (each installation to the contour of **its own** IR, max over
/// directions): not the external safety distance, kept for comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstallationDistance {
    /// Installation id.
    pub installation: String,
    /// Class.
    pub class: TargetClass,
    /// Status.
    pub status: TargetStatus,
    /// IR limit, per year.
    pub limit: f64,
    /// Distance to the installation's own limit contour (max over directions), m.
    pub distance_m: f64,
}

/// The distance polygons of one enterprise (or the park) at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct DistancePolygons {
    /// Enterprise id ([`PARK`] for the park).
    pub enterprise: String,
    /// The installations' status the polygons are drawn for: new → the IR of the new
    /// installations, in-service → the IR of all ([`combined_distances`]).
    pub status: InstallationStatus,
    /// The level (IR limit), per year.
    pub level: f64,
    /// The (class, status) pairs whose limit is this level.
    pub classes: Vec<(TargetClass, TargetStatus)>,
    /// The polygons of the region IR ≥ level that the enterprise owns.
    pub polygons: Vec<ContourPolygon>,
}

/// An enterprise as the distance computation sees it.
struct Site {
    id: String,
    points: Vec<[f64; 2]>,
    boundary: Option<Vec<[f64; 2]>>,
    reference: [f64; 2],
}

impl Site {
    fn new(id: &str, points: Vec<[f64; 2]>, boundary: Option<Vec<[f64; 2]>>) -> Site {
        let mean = |v: &[[f64; 2]]| {
            let n = v.len().max(1) as f64;
            [
                v.iter().map(|p| p[0]).sum::<f64>() / n,
                v.iter().map(|p| p[1]).sum::<f64>() / n,
            ]
        };
        let reference = match &boundary {
            Some(b) if b.len() >= 3 => {
                use geo::Centroid;
                polygon(b)
                    .centroid()
                    .map_or_else(|| mean(b), |c| [c.x(), c.y()])
            }
            _ => mean(&points),
        };
        Site {
            id: id.to_string(),
            points,
            boundary,
            reference,
        }
    }

    /// Distance of (x, y) from the enterprise, m.
    fn distance_m(&self, p: [f64; 2]) -> f64 {
        let d = self
            .points
            .iter()
            .map(|q| (q[0] - p[0]).hypot(q[1] - p[1]))
            .fold(f64::INFINITY, f64::min);
        match &self.boundary {
            Some(b) => d.min(distance_to_polygon_m(p[0], p[1], b)),
            None => d,
        }
    }

    /// Whether the enterprise has an installation in `poly` or its boundary intersects it.
    fn touches(&self, poly: &Polygon<f64>) -> bool {
        self.points
            .iter()
            .any(|p| poly.intersects(&Coord { x: p[0], y: p[1] }))
            || self
                .boundary
                .as_ref()
                .is_some_and(|b| b.len() >= 3 && poly.intersects(&polygon(b)))
    }
}

/// What one level gives one site.
struct SiteLevel {
    polygons: Vec<usize>,
    distance_m: f64,
    reach: Vec<f64>,
}

fn geo_polygon(p: &ContourPolygon) -> Polygon<f64> {
    let ls = |r: &Vec<[f64; 2]>| -> LineString<f64> {
        r.iter().map(|q| Coord { x: q[0], y: q[1] }).collect()
    };
    Polygon::new(ls(&p.exterior), p.holes.iter().map(ls).collect())
}

/// Distance along the ray `c + t·u` (t ≥ 0) to the segment a–b, if they cross.
fn ray_hit(c: [f64; 2], u: [f64; 2], a: [f64; 2], b: [f64; 2]) -> Option<f64> {
    let e = [b[0] - a[0], b[1] - a[1]];
    let den = u[0] * e[1] - u[1] * e[0];
    if den == 0.0 {
        return None;
    }
    let w = [a[0] - c[0], a[1] - c[1]];
    let t = (w[0] * e[1] - w[1] * e[0]) / den;
    let s = (w[0] * u[1] - w[1] * u[0]) / den;
    (t >= 0.0 && (0.0..=1.0).contains(&s)).then_some(t)
}

/// Steps 2–4 of the module docs for one level: the polygons, distance and reach of every site.
fn level_distances(polys: &[ContourPolygon], sites: &[Site]) -> Vec<SiteLevel> {
    let shapes: Vec<Polygon<f64>> = polys.iter().map(geo_polygon).collect();
    let mut out: Vec<SiteLevel> = sites
        .iter()
        .map(|_| SiteLevel {
            polygons: Vec::new(),
            distance_m: 0.0,
            reach: vec![0.0; DIRECTIONS.len()],
        })
        .collect();
    let dirs: Vec<[f64; 2]> = (0..DIRECTIONS.len())
        .map(|k| {
            let a = (360.0 * k as f64 / DIRECTIONS.len() as f64).to_radians();
            [a.sin(), a.cos()]
        })
        .collect();
    for (k, (poly, shape)) in polys.iter().zip(&shapes).enumerate() {
        let mut owners: Vec<usize> = (0..sites.len())
            .filter(|&s| sites[s].touches(shape))
            .collect();
        if owners.is_empty() {
            let far = |s: usize| {
                poly.exterior
                    .iter()
                    .map(|&v| sites[s].distance_m(v))
                    .fold(f64::INFINITY, f64::min)
            };
            owners.extend((0..sites.len()).min_by(|&a, &b| far(a).total_cmp(&far(b))));
        }
        for &s in &owners {
            out[s].polygons.push(k);
        }
        let rings = || std::iter::once(&poly.exterior).chain(poly.holes.iter());
        for &s in &owners {
            let site = &sites[s];
            for ring in rings() {
                for &v in ring {
                    out[s].distance_m = out[s].distance_m.max(site.distance_m(v));
                }
            }
            let c = site.reference;
            for (dk, &u) in dirs.iter().enumerate() {
                for ring in rings() {
                    for w in ring.windows(2) {
                        if let Some(t) = ray_hit(c, u, w[0], w[1]) {
                            out[s].reach[dk] = out[s].reach[dk].max(t);
                        }
                    }
                }
            }
        }
    }
    out
}

/// The enterprises of `result` followed by the park.
fn sites(result: &RiskResult) -> (Vec<Site>, Site) {
    let pos = |i: usize| [result.installations[i].x_m, result.installations[i].y_m];
    let ent = result
        .enterprises
        .iter()
        .map(|e| {
            Site::new(
                &e.id,
                e.installations.iter().map(|&i| pos(i)).collect(),
                e.boundary.clone(),
            )
        })
        .collect();
    let park = Site::new(
        PARK,
        (0..result.installations.len()).map(pos).collect(),
        result.park_boundary.clone(),
    );
    (ent, park)
}

/// The combined distances of `result` for the (class, status, IR limit per year) triples
/// `limits` (e.g. [`super::criteria::CriteriaSet::limits`]): one [`SafetyDistance`] per
/// (enterprise, triple) — enterprises in [`RiskResult::enterprises`] order, then [`PARK`] — and
/// the distance polygons per (enterprise, status, level).
///
/// Which risk a row's contour is drawn on follows the target rule of
/// [`super::criteria`] (IR_new ≤ L_new and IR ≤ L_in): a **new** row's polygons are the contour
/// of the IR of the enterprise's (park's) **new** installations at L_new (none if it has no new
/// installations: distance 0); an **in-service** row's the contour of the IR of **all** its
/// installations at L_in. A target fails iff it lies inside the new polygon or the in-service
/// polygon of its class (within the one-cell band). Where every installation is new the two
/// grids are one and the rows are those of earlier versions.
///
/// On as many threads as the run was given ([`crate::risk::engine::RunOptions::threads`]).
pub fn combined_distances(
    result: &RiskResult,
    limits: &[(TargetClass, TargetStatus, f64)],
) -> (Vec<SafetyDistance>, Vec<DistancePolygons>) {
    result.on_run_threads(|| combined_distances_here(result, limits))
}

/// [`combined_distances`] on the caller's pool.
fn combined_distances_here(
    result: &RiskResult,
    limits: &[(TargetClass, TargetStatus, f64)],
) -> (Vec<SafetyDistance>, Vec<DistancePolygons>) {
    let pairs = limits;
    let levels_of = |st: InstallationStatus| {
        let mut l: Vec<f64> = pairs.iter().filter(|p| p.1 == st).map(|p| p.2).collect();
        l.sort_by(|a, b| b.total_cmp(a));
        l.dedup();
        l
    };
    let levels = InstallationStatus::ALL.map(levels_of);
    let (ent, park) = sites(result);
    let all: Vec<&Site> = ent.iter().chain(std::iter::once(&park)).collect();
    let status = &result.installation_status;
    let is_new = |i: &usize| status.get(*i).copied().unwrap_or_default() == InstallationStatus::New;
    // The installations of each site: the enterprises', then the park's (all).
    let members: Vec<Vec<usize>> = result
        .enterprises
        .iter()
        .map(|e| e.installations.clone())
        .chain(std::iter::once((0..result.installations.len()).collect()))
        .collect();
    // contours[site][status index][level index]: each enterprise's from its own grids
    // (`RiskResult::installations_grid`), the park's from the run's grid where it holds them all.
    let contours_of: Vec<[Vec<Contour>; 2]> = members
        .iter()
        .enumerate()
        .map(|(si, m)| {
            let is_park = si == members.len() - 1;
            let full = || {
                if is_park {
                    result.individual_risk.clone()
                } else {
                    result.installations_grid(m)
                }
            };
            let grid_all = full();
            let new: Vec<usize> = m.iter().copied().filter(is_new).collect();
            let c_new = if new.is_empty() {
                levels[0]
                    .iter()
                    .map(|&level| Contour {
                        level,
                        polygons: Vec::new(),
                    })
                    .collect()
            } else if new.len() == m.len() {
                contours(&result.x_m, &result.y_m, grid_all.view(), &levels[0])
            } else {
                let g = result.installations_grid(&new);
                contours(&result.x_m, &result.y_m, g.view(), &levels[0])
            };
            let c_all = contours(&result.x_m, &result.y_m, grid_all.view(), &levels[1]);
            [c_new, c_all]
        })
        .collect();
    // per_level[site][status][level]
    let per_level: Vec<[Vec<SiteLevel>; 2]> = all
        .iter()
        .zip(&contours_of)
        .map(|(site, cs)| {
            cs.clone().map(|c| {
                c.iter()
                    .flat_map(|l| level_distances(&l.polygons, std::slice::from_ref(*site)))
                    .collect()
            })
        })
        .collect();
    let sidx = |st: InstallationStatus| usize::from(st == InstallationStatus::InService);
    let mut rows = Vec::new();
    let mut polys = Vec::new();
    for (si, site) in all.iter().enumerate() {
        for &(class, status, limit) in pairs {
            let k = sidx(status);
            let li = levels[k].iter().position(|&l| l == limit).unwrap_or(0);
            let r = &per_level[si][k][li];
            rows.push(SafetyDistance {
                enterprise: site.id.clone(),
                class,
                status,
                limit,
                distance_m: r.distance_m,
                reference_m: site.reference,
                reach_by_direction_m: r.reach.clone(),
            });
        }
        for st in InstallationStatus::ALL {
            let k = sidx(st);
            for (li, &level) in levels[k].iter().enumerate() {
                polys.push(DistancePolygons {
                    enterprise: site.id.clone(),
                    status: st,
                    level,
                    classes: pairs
                        .iter()
                        .filter(|p| p.2 == level && p.1 == st)
                        .map(|p| (p.0, p.1))
                        .collect(),
                    polygons: per_level[si][k][li]
                        .polygons
                        .iter()
                        .map(|&q| contours_of[si][k][li].polygons[q].clone())
                        .collect(),
                });
            }
        }
    }
    (rows, polys)
}

/// The per-installation distances of `result` for the (class, status, limit) triples `limits`
/// (each installation to its own contour), installations in run order.
pub fn installation_distances(
    result: &RiskResult,
    limits: &[(TargetClass, TargetStatus, f64)],
) -> Vec<InstallationDistance> {
    let mut out = Vec::new();
    for p in &result.installations {
        for &(class, status, limit) in limits {
            out.push(InstallationDistance {
                installation: p.id.clone(),
                class,
                status,
                limit,
                distance_m: p.distance_to_level(limit),
            });
        }
    }
    out
}

/// GeoJSON FeatureCollection of distance polygons: one Feature per (enterprise, status, level)
/// that owns a region (no empty geometries) with a `MultiPolygon` and `properties` `level` (per
/// year), `unit`, `enterprise`, `status` (whose installations' IR the polygons are drawn on),
/// `classes` and `statuses` (the target classes and statuses whose limit is the level).
/// Coordinates as in [`super::contour::to_geojson`] (WGS84 through the frame, else local metres).
///
/// # Errors
/// [`crate::QraError::Numerical`] if a vertex cannot be projected.
pub fn to_geojson(polys: &[DistancePolygons], frame: Option<&LocalFrame>) -> Result<Value> {
    let mut features = Vec::new();
    for p in polys.iter().filter(|p| !p.polygons.is_empty()) {
        let props = json!({
            "level": p.level,
            "unit": "per year",
            "enterprise": p.enterprise,
            "status": p.status,
            "classes": p.classes.iter().map(|c| c.0).collect::<Vec<_>>(),
            "statuses": p.classes.iter().map(|c| c.1).collect::<Vec<_>>(),
        });
        features.push(super::contour::feature(&p.polygons, props, frame)?);
    }
    Ok(super::contour::collection(features, frame))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ray_hits_segments_ahead_only() {
        let c = [0.0, 0.0];
        assert_eq!(ray_hit(c, [1.0, 0.0], [5.0, -1.0], [5.0, 1.0]), Some(5.0));
        assert_eq!(ray_hit(c, [-1.0, 0.0], [5.0, -1.0], [5.0, 1.0]), None);
        assert_eq!(ray_hit(c, [1.0, 0.0], [5.0, 1.0], [5.0, 2.0]), None);
        assert_eq!(ray_hit(c, [1.0, 0.0], [1.0, 0.0], [2.0, 0.0]), None);
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> ContourPolygon {
        ContourPolygon {
            exterior: vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]],
            holes: vec![],
        }
    }

    #[test]
    fn shared_polygons_belong_to_every_owner_and_lobes_to_the_nearest() {
        // Two enterprises at x = ±50 in one polygon [-150, 150] × [-20, 20]; a detached lobe
        // near the right one.
        let a = Site::new("a", vec![[-50.0, 0.0]], None);
        let b = Site::new("b", vec![[50.0, 0.0]], None);
        let polys = [
            square(-150.0, -20.0, 150.0, 20.0),
            square(200.0, -5.0, 210.0, 5.0),
        ];
        let r = level_distances(&polys, &[a, b]);
        assert_eq!(r[0].polygons, [0]);
        assert_eq!(r[1].polygons, [0, 1]);
        // a: the far corners (150, ±20) of the shared polygon: hypot(200, 20).
        assert!((r[0].distance_m - 200.0f64.hypot(20.0)).abs() < 1e-9);
        // b: the lobe corners (210, ±5) are farther than (-150, ±20): hypot(200, 20) > hypot(160, 5).
        assert!((r[1].distance_m - 200.0f64.hypot(20.0)).abs() < 1e-9);
        // Reach of a: west 100 m, east 200 m; of b: east 160 m (the lobe), west 200 m.
        assert!((r[0].reach[12] - 100.0).abs() < 1e-9);
        assert!((r[0].reach[4] - 200.0).abs() < 1e-9);
        assert!((r[1].reach[4] - 160.0).abs() < 1e-9);
        assert!((r[1].reach[12] - 200.0).abs() < 1e-9);
        // With a boundary the distance runs from it.
        let a = Site::new(
            "a",
            vec![[-50.0, 0.0]],
            Some(vec![
                [-60.0, -10.0],
                [-40.0, -10.0],
                [-40.0, 10.0],
                [-60.0, 10.0],
            ]),
        );
        assert_eq!(a.reference, [-50.0, 0.0]);
        let r = level_distances(&polys[..1], &[a]);
        // Farthest ring point (150, ±20): 190 m east and 10 m north of the boundary's corner.
        assert!((r[0].distance_m - 190.0f64.hypot(10.0)).abs() < 1e-9);
    }
}
