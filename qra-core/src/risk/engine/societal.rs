//! Population points, their index and the societal (N, f) cases of each scenario.
//!
//! N of a scenario in one wind direction is Σ over the population points of
//! n_out·P_out + n_in·P_in (day and night), P the footprint's lethality at the point under the
//! study's vulnerability rules. Each distinct (installation, footprint, direction) is summed once,
//! over the points inside the footprint's support hull. When every population point lies on a
//! grid node (a population raster aligned with the grid), the sums of the exactly evaluated
//! parametric footprints and bands (derived indoor lethality) are formed in the individual-risk
//! pass instead, from the lethality just computed at each cell ([`GridPopulation`]): one
//! evaluation of the model per cell and direction instead of two. The sums are the same up to
//! the order of addition (fixed: row bands of the grid folded in order, so the same bits for any
//! thread count and for partial runs); `fused_societal_sums_equal_population_times_ir` checks
//! PLL = Σ people·IR both ways.
//!
//! Raster footprints and sector averages (tables the individual-risk grid samples on the
//! installation's merged lattice, with the indoor lethality by a linear rule) are summed on that
//! lattice instead, wherever the population lies ([`super::merge`]'s `lattice_sums`): N is the
//! population-weighted sum of the lethality the individual-risk grid interpolates from the lattice
//! — the population spread onto the lattice by each point's bilinear weights, one dot product per
//! table and direction — so F-N and IR come from the same lethality field
//! (`lattice_societal_sums_equal_population_times_ir`: PLL = Σ people·IR(cell) to the merged
//! rasters' single precision, with either sector spreading). Until issue 14's fourteenth session
//! rasters were read at each point directly (on park-1000 the two differ by 4·10⁻⁴ in PLL); sector
//! averages were, until its sixteenth, evaluated at each point from their polar tables (a hypot and
//! an atan2 per point and direction: 85 % of park-1000 under the default spreading; the sample
//! park's PLL moves by +0.7 %, the lattice's resampling of the averages near the sources). The
//! other footprints (thermal sector averages, whose societal rule is not linear, explicit indoor
//! shapes, lattices that would exceed their memory bound) are summed point by point
//! ([`population_sum`]). A population beyond the grid is reached by extending the lattice (since
//! the seventeenth session; before, it sent every table to the point sums, and PLL changed with the
//! grid's extent: `societal_risk_does_not_depend_on_the_grid_extent`).

use rayon::prelude::*;

use super::model::*;
use crate::geometry::{point_in_polygon, polygon_area_m2};

use crate::risk::footprint::{with_lethality, Footprint, Shape};
use crate::risk::study::Study;

// ---------------------------------------------------------------------------------------------
// Population.

#[derive(Debug, Clone, Copy)]
pub(crate) struct PopPoint {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) out_day: f64,
    pub(crate) in_day: f64,
    pub(crate) out_night: f64,
    pub(crate) in_night: f64,
}

/// Population points in rows of the grid's resolution (by y), sorted by x within each row: the
/// points a footprint can reach are found row by row from the exact x-span of the footprint's
/// (rotated) rectangle or reach circle over the row's y-range, so societal risk visits only the
/// population inside each footprint (issue 14), not a bounding box of it.
pub(crate) struct PopRows {
    /// x of each point (row-major order, ascending within a row), m.
    xs: Vec<f64>,
    /// y of each point, m.
    ys: Vec<f64>,
    /// People of each point: outdoor by day, indoor by day, outdoor by night, indoor by night
    /// (structure of arrays: the population sums stream through them).
    people: [Vec<f64>; 4],
    /// Row `r` holds the points `start[r]..start[r + 1]`.
    start: Vec<usize>,
    /// Smallest and largest y of the points of each row (empty rows: +inf, −inf).
    row_y: Vec<(f64, f64)>,
    y0: f64,
    res: f64,
    /// Bounding box of the points [x_min, x_max, y_min, y_max] (`None` without points).
    bounds: Option<[f64; 4]>,
    /// Whether each head-count column has anyone in it (a column of zeros, no one indoors say,
    /// adds nothing to any sum).
    used: [bool; 4],
}

/// Population points as columns (x, y and the four head counts), in the study's order. The
/// two indoor columns are empty when `indoor` is false: a study in which no one is indoors (the
/// raster and polygon indoor fractions all zero) keeps no columns of zeros (16 MB at
/// park-1000's million points, and the work of adding them).
pub(crate) struct PopColumns {
    x: Vec<f64>,
    y: Vec<f64>,
    people: [Vec<f64>; 4],
    indoor: bool,
}

impl Default for PopColumns {
    fn default() -> Self {
        PopColumns::new(true)
    }
}

impl PopColumns {
    /// No points; with indoor columns or without (every point then has no one indoors).
    pub(crate) fn new(indoor: bool) -> Self {
        PopColumns {
            x: Vec::new(),
            y: Vec::new(),
            people: Default::default(),
            indoor,
        }
    }

    /// Moves the points of `other` (with indoor columns as `self`) to the end.
    fn append(&mut self, mut other: PopColumns) {
        debug_assert_eq!(self.indoor, other.indoor);
        self.x.append(&mut other.x);
        self.y.append(&mut other.y);
        for (c, o) in self.people.iter_mut().zip(&mut other.people) {
            c.append(o);
        }
    }

    /// Adds a point; without indoor columns its indoor counts must be zero (they are dropped).
    pub(crate) fn push(&mut self, p: PopPoint) {
        debug_assert!(self.indoor || (p.in_day == 0.0 && p.in_night == 0.0));
        self.x.push(p.x);
        self.y.push(p.y);
        let [od, id, on, inn] = &mut self.people;
        od.push(p.out_day);
        on.push(p.out_night);
        if self.indoor {
            id.push(p.in_day);
            inn.push(p.in_night);
        }
    }
}

impl PopRows {
    /// Sorts the points into rows (a permutation applied column by column: the peak memory is
    /// the columns plus one column, not two copies of every point).
    pub(crate) fn new(cols: PopColumns, res: f64) -> PopRows {
        let res = if res.is_finite() && res > 0.0 {
            res
        } else {
            1.0
        };
        let n = cols.x.len();
        // Minimum and maximum are exact whatever the order of the reduction.
        let y0 = cols
            .y
            .par_iter()
            .copied()
            .reduce(|| f64::INFINITY, f64::min);
        let y1 = cols
            .y
            .par_iter()
            .copied()
            .reduce(|| f64::NEG_INFINITY, f64::max);
        let nrows = if n == 0 {
            0
        } else {
            ((y1 - y0) / res) as usize + 1
        };
        let row = |y: f64| (((y - y0) / res) as usize).min(nrows.saturating_sub(1));
        let key: Vec<usize> = cols.y.par_iter().map(|&y| row(y)).collect();
        let before = |a: usize, b: usize| key[a].cmp(&key[b]).then(cols.x[a].total_cmp(&cols.x[b]));
        // A raster's points come row by row, x ascending: already in order, nothing to move.
        let sorted = (1..n)
            .into_par_iter()
            .all(|k| before(k - 1, k) != std::cmp::Ordering::Greater);
        let (PopColumns { x, y, people, .. }, key) = if sorted {
            (cols, key)
        } else {
            // Stable (the parallel sort too): points of equal (row, x) keep the study's order.
            let mut order: Vec<usize> = (0..n).collect();
            order.par_sort_by(|&a, &b| before(a, b));
            // Column by column, each freed once permuted: the peak is the columns plus one.
            // (An empty column, no one indoors, stays empty.)
            let permute = |v: Vec<f64>| {
                if v.is_empty() {
                    v
                } else {
                    order.par_iter().map(|&k| v[k]).collect::<Vec<f64>>()
                }
            };
            let key: Vec<usize> = order.par_iter().map(|&k| key[k]).collect();
            let PopColumns {
                x,
                y,
                people,
                indoor,
            } = cols;
            let (x, y) = (permute(x), permute(y));
            let people = people.map(permute);
            (
                PopColumns {
                    x,
                    y,
                    people,
                    indoor,
                },
                key,
            )
        };
        let (xs, ys) = (x, y);
        // The points are in row order: row r starts at the first point of a row ≥ r.
        let start: Vec<usize> = (0..=nrows)
            .into_par_iter()
            .map(|r| key.partition_point(|&k| k < r))
            .collect();
        drop(key);
        let row_y: Vec<(f64, f64)> = start
            .par_windows(2)
            .map(|w| {
                ys[w[0]..w[1]]
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| {
                        (a.min(y), b.max(y))
                    })
            })
            .collect();
        // Minimum and maximum are exact whatever the order of the reduction.
        let x0 = xs.par_iter().copied().reduce(|| f64::INFINITY, f64::min);
        let x1 = xs
            .par_iter()
            .copied()
            .reduce(|| f64::NEG_INFINITY, f64::max);
        let bounds = (n > 0).then_some([x0, x1, y0, y1]);
        let used = std::array::from_fn(|c| people[c].par_iter().any(|&p| p != 0.0));
        PopRows {
            xs,
            ys,
            people,
            start,
            row_y,
            y0,
            res,
            bounds,
            used,
        }
    }

    /// Distance from (x, y) to the farthest corner of the points' bounding box, m (`None`
    /// without points): every point lies within it.
    pub(crate) fn farthest_m(&self, x: f64, y: f64) -> Option<f64> {
        self.bounds.map(|[x0, x1, y0, y1]| {
            let dx = (x - x0).abs().max((x - x1).abs());
            let dy = (y - y0).abs().max((y - y1).abs());
            dx.hypot(dy)
        })
    }

    /// x and y of the points and their people (outdoor by day, indoor by day, outdoor by
    /// night, indoor by night), indexed as in [`Self::visit_rows`].
    pub(crate) fn columns(&self) -> (&[f64], &[f64], &[Vec<f64>; 4]) {
        (&self.xs, &self.ys, &self.people)
    }

    /// Whether each head-count column of [`Self::columns`] has anyone in it.
    pub(crate) fn used_columns(&self) -> [bool; 4] {
        self.used
    }

    /// Whether anyone is indoors (day or night). Without, the indoor columns may be empty
    /// ([`PopColumns`]) and are not to be read.
    pub(crate) fn has_indoor(&self) -> bool {
        self.used[1] || self.used[3]
    }

    /// Calls `f(point, dx, dy)` for every point with offset (dx, dy) = point − (x, y) within
    /// `r` of (x, y) and, when `poly` is given, inside the polygon's x-span over the point's row
    /// ([`PopRows::visit_rows`]); `point` indexes the point arrays. Fixed order.
    pub(crate) fn visit(
        &self,
        x: f64,
        y: f64,
        r: f64,
        poly: Option<&[(f64, f64)]>,
        mut f: impl FnMut(usize, f64, f64),
    ) {
        let r2 = r * r;
        self.visit_rows(x, y, r, poly, |k0, k1| {
            for k in k0..k1 {
                let (dx, dy) = (self.xs[k] - x, self.ys[k] - y);
                if dx * dx + dy * dy <= r2 {
                    f(k, dx, dy);
                }
            }
        });
    }

    /// Calls `f(k0, k1)` with the index range of the points of each row that lie within the
    /// x-span, over the row's y-range, of the circle of radius `r` about (x, y) and, when `poly`
    /// is given (the vertices, in order, of a convex polygon as offsets from (x, y)), of the
    /// polygon — a superset of the points inside both (a point may lie outside the circle).
    /// Fixed order: rows ascending, x ascending.
    pub(crate) fn visit_rows(
        &self,
        x: f64,
        y: f64,
        r: f64,
        poly: Option<&[(f64, f64)]>,
        mut f: impl FnMut(usize, usize),
    ) {
        if self.xs.is_empty() || r.is_nan() || r < 0.0 {
            return;
        }
        let nrows = self.row_y.len();
        // Rows within the reach circle and, with a polygon, within its y-range.
        let (mut ylo, mut yhi) = (-r, r);
        if let Some(c) = poly {
            let (a, b) = c
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.1), b.max(p.1))
                });
            ylo = ylo.max(a);
            yhi = yhi.min(b);
            if ylo.is_nan() || yhi.is_nan() || ylo > yhi {
                return;
            }
        }
        let row_of = |dy: f64| ((y + dy - self.y0) / self.res).floor();
        let (lo, hi) = (row_of(ylo) - 1.0, row_of(yhi) + 1.0);
        if hi < 0.0 || lo > nrows as f64 {
            return;
        }
        let r0 = lo.max(0.0) as usize;
        let r1 = (hi.max(0.0) as usize).min(nrows - 1);
        // A polygon (a footprint's turned hull) starting just past the last row (lo = nrows):
        // nothing to visit (the span list below would be sized r1 − r0 + 1 = 0 by an
        // underflow; found by `no_one_indoors_gives_the_full_sums`).
        if r0 > r1 {
            return;
        }
        // The polygon's x-span over each row's y-range, edge by edge: an edge clipped to a
        // row's strip spans its x-range there, so the extremes over the edges are the
        // polygon's (vertices inside the strip and crossings of its boundary lines).
        let spans: Option<Vec<(f64, f64)>> = poly.map(|c| {
            let mut sp = vec![(f64::INFINITY, f64::NEG_INFINITY); r1 - r0 + 1];
            let n = c.len();
            for k in 0..n {
                let (px, py) = c[k];
                let (qx, qy) = c[(k + 1) % n];
                let (ey0, ey1) = (py.min(qy), py.max(qy));
                let ra = (row_of(ey0) - 1.0).max(r0 as f64) as usize;
                let rb = (row_of(ey1) + 1.0).min(r1 as f64);
                if rb < ra as f64 {
                    continue;
                }
                for row in ra..=rb as usize {
                    let (ya, yb) = self.row_y[row];
                    let (a, b) = ((ya - y).max(ey0), (yb - y).min(ey1));
                    if ya > yb || a > b {
                        continue;
                    }
                    let (xa, xb) = if py == qy {
                        (px, qx)
                    } else {
                        let t = (qx - px) / (qy - py);
                        (px + (a - py) * t, px + (b - py) * t)
                    };
                    let e = &mut sp[row - r0];
                    *e = (e.0.min(xa.min(xb)), e.1.max(xa.max(xb)));
                }
            }
            sp
        });
        let r2 = r * r;
        for row in r0..=r1 {
            let (ya, yb) = self.row_y[row];
            if ya > yb {
                continue;
            }
            let (da, db) = (ya - y, yb - y);
            // Circle: the widest chord over the row's y-range.
            let dmin = if da <= 0.0 && db >= 0.0 {
                0.0
            } else {
                da.abs().min(db.abs())
            };
            if dmin > r {
                continue;
            }
            let hw = (r2 - dmin * dmin).max(0.0).sqrt();
            let (mut e0, mut e1) = (-hw, hw);
            if let Some(sp) = &spans {
                let (s0, s1) = sp[row - r0];
                e0 = e0.max(s0);
                e1 = e1.min(s1);
                if e0.is_nan() || e1.is_nan() || e0 > e1 {
                    continue;
                }
            }
            // One micrometre of slack against rounding; points outside contribute 0.
            let (xa, xb) = (x + e0 - 1e-6, x + e1 + 1e-6);
            let row_x = &self.xs[self.start[row]..self.start[row + 1]];
            let i0 = search(row_x, |v| v < xa, xa);
            let i1 = search(row_x, |v| v <= xb, xb);
            if i0 < i1 {
                f(self.start[row] + i0, self.start[row] + i1);
            }
        }
    }
}

/// Marks a grid cell without a population point ([`GridPopulation::point`]).
pub(crate) const NO_POINT: u32 = u32::MAX;

/// The population as seen from the grid, when every population point lies exactly (to the bit)
/// on a grid node and no two on the same one — a population raster aligned with the grid, as in
/// the park-1000 benchmark. Then the societal sums of the exactly evaluated footprints
/// ([`super::merge::ExactTerm`]) are formed in the individual-risk pass from the lethality it
/// has just computed at each cell, instead of evaluating the model a second time at the same
/// points (issue 14).
pub(crate) struct GridPopulation<'a> {
    /// Per grid cell (row-major, the grid's nx per row), the index of its population point or
    /// [`NO_POINT`].
    pub(crate) point: Vec<u32>,
    /// People of each point (outdoor day, indoor day, outdoor night, indoor night).
    pub(crate) people: &'a [Vec<f64>; 4],
    /// Whether any point has people indoors (day or night); without, the indoor columns are
    /// not read (they may be empty, [`PopColumns`]) and the indoor terms (0·P_in, adding +0)
    /// are skipped: the same bits.
    pub(crate) indoor: bool,
    pub(crate) rules: crate::vulnerability::VulnerabilityRules,
}

/// Societal sums (N_day, N_night) formed in the individual-risk pass, by job: (installation,
/// footprint pointer as an address, wind direction or `None` when radially symmetric).
pub(crate) type FusedSums = FastMap<(usize, usize, Option<usize>), (f64, f64)>;

impl PopRows {
    /// The population on the grid nodes `xs` × `ys` ([`GridPopulation`]), or `None` when a point
    /// is off the nodes, two share a node, or there are more than `u32::MAX − 1` points or grid
    /// cells.
    pub(crate) fn on_grid(
        &self,
        xs: &[f64],
        ys: &[f64],
        rules: crate::vulnerability::VulnerabilityRules,
    ) -> Option<GridPopulation<'_>> {
        let (nx, ny) = (xs.len(), ys.len());
        if nx < 2 || ny < 2 || self.xs.len() >= NO_POINT as usize {
            return None;
        }
        let node = |v: f64, axis: &[f64]| -> Option<usize> {
            let step = (axis[axis.len() - 1] - axis[0]) / (axis.len() - 1) as f64;
            let f = ((v - axis[0]) / step).round();
            if !(f >= 0.0 && f < axis.len() as f64) {
                return None;
            }
            let i = f as usize;
            (axis[i].to_bits() == v.to_bits()).then_some(i)
        };
        // Cell indices in 32 bits (half the transient memory: 4 MB per million points); a grid
        // beyond them has no grid population (the study's grid limit is far below).
        let cells: Vec<u32> = self
            .xs
            .par_iter()
            .zip(&self.ys)
            .map(|(&x, &y)| u32::try_from(node(y, ys)? * nx + node(x, xs)?).ok())
            .collect::<Option<_>>()?;
        let mut point = vec![NO_POINT; nx * ny];
        if cells.par_windows(2).all(|w| w[0] < w[1]) {
            // Ascending nodes (a raster aligned with the grid): no two points share a node, and
            // each grid row's points are a run of `cells`, written in parallel.
            point.par_chunks_mut(nx).enumerate().for_each(|(j, row)| {
                let lo = cells.partition_point(|&c| (c as usize) < j * nx);
                let hi = lo + cells[lo..].partition_point(|&c| (c as usize) < (j + 1) * nx);
                for (k, &c) in cells.iter().enumerate().take(hi).skip(lo) {
                    row[c as usize - j * nx] = k as u32;
                }
            });
        } else {
            for (k, &cell) in cells.iter().enumerate() {
                let cell = cell as usize;
                if point[cell] != NO_POINT {
                    return None;
                }
                point[cell] = k as u32;
            }
        }
        Some(GridPopulation {
            point,
            people: &self.people,
            indoor: self.has_indoor(),
            rules,
        })
    }
}

/// `xs.partition_point(below)` for `xs` ascending and `below(v)` monotone (true, then false,
/// about `at`), found from the guess of evenly spaced points (a raster row: exact in one or two
/// steps) and finished by bisection if the guess is more than a few points off, so the result
/// is the same as `partition_point` whatever the spacing.
fn search(xs: &[f64], below: impl Fn(f64) -> bool, at: f64) -> usize {
    let n = xs.len();
    if n < 8 {
        return xs.partition_point(|&v| below(v));
    }
    let (a, b) = (xs[0], xs[n - 1]);
    let g = if b > a {
        ((at - a) / (b - a) * (n - 1) as f64).clamp(0.0, (n - 1) as f64) as usize
    } else {
        0
    };
    // The answer is the first index whose value is not below: walk from the guess.
    let mut i = g;
    for _ in 0..4 {
        if i > 0 && !below(xs[i - 1]) {
            i -= 1;
        } else if i < n && below(xs[i]) {
            i += 1;
        } else {
            return i;
        }
    }
    if i > 0 && !below(xs[i - 1]) {
        xs[..i].partition_point(|&v| below(v))
    } else {
        i + xs[i..].partition_point(|&v| below(v))
    }
}

/// `v` cut into consecutive parts of lengths `lens` (which sum to at most `v.len()`).
fn split_by<'a>(mut v: &'a mut [f64], lens: &[usize]) -> Vec<&'a mut [f64]> {
    lens.iter()
        .map(|&n| {
            let (part, rest) = std::mem::take(&mut v).split_at_mut(n);
            v = rest;
            part
        })
        .collect()
}

pub(crate) fn population_points(study: &Study, res: f64) -> PopColumns {
    // The populated raster cells: counted by blocks of rows, then written in parallel, each
    // block into its own part of columns allocated once (zeroed lazily by the system).
    const BLOCK_ROWS: usize = 32;
    // Indoor columns only when someone is indoors somewhere.
    let p = &study.population;
    let indoor = p
        .rasters
        .iter()
        .any(|r| r.indoor_fraction_day != 0.0 || r.indoor_fraction_night != 0.0)
        || p.polygons
            .iter()
            .any(|g| g.indoor_fraction_day != 0.0 || g.indoor_fraction_night != 0.0);
    let mut pts = PopColumns::new(indoor);
    for r in &study.population.rasters {
        let night = r.counts_night.as_deref().unwrap_or(&r.counts);
        let blocks: Vec<std::ops::Range<usize>> = (0..r.ny.div_ceil(BLOCK_ROWS))
            .map(|b| b * BLOCK_ROWS..((b + 1) * BLOCK_ROWS).min(r.ny))
            .collect();
        let populated = |rows: &std::ops::Range<usize>| {
            let cells = rows.start * r.nx..rows.end * r.nx;
            r.counts[cells.clone()]
                .iter()
                .zip(&night[cells])
                .filter(|(d, n)| **d > 0.0 || **n > 0.0)
                .count()
        };
        let lens: Vec<usize> = blocks.par_iter().map(populated).collect();
        let total: usize = lens.iter().sum();
        let zeros = || vec![0.0; total];
        let inside = || if indoor { zeros() } else { Vec::new() };
        let mut cols = PopColumns {
            x: zeros(),
            y: zeros(),
            people: [zeros(), inside(), zeros(), inside()],
            indoor,
        };
        {
            let [p0, p1, p2, p3] = &mut cols.people;
            // Empty indoor columns give empty parts (nothing written to them).
            let none = vec![0; lens.len()];
            let indoor_lens = if indoor { &lens } else { &none };
            let parts = (
                split_by(&mut cols.x, &lens),
                split_by(&mut cols.y, &lens),
                split_by(p0, &lens),
                split_by(p1, indoor_lens),
                split_by(p2, &lens),
                split_by(p3, indoor_lens),
            );
            parts.into_par_iter().zip(&blocks).for_each(
                |((x, y, out_day, in_day, out_night, in_night), rows)| {
                    let mut k = 0;
                    for j in rows.clone() {
                        for i in 0..r.nx {
                            let c = j * r.nx + i;
                            let (cd, cn) = (r.counts[c], night[c]);
                            if cd <= 0.0 && cn <= 0.0 {
                                continue;
                            }
                            x[k] = r.x0_m + (i as f64 + 0.5) * r.cell_size_m;
                            y[k] = r.y0_m + (j as f64 + 0.5) * r.cell_size_m;
                            out_day[k] = cd * (1.0 - r.indoor_fraction_day);
                            out_night[k] = cn * (1.0 - r.indoor_fraction_night);
                            if indoor {
                                in_day[k] = cd * r.indoor_fraction_day;
                                in_night[k] = cn * r.indoor_fraction_night;
                            }
                            k += 1;
                        }
                    }
                },
            );
        }
        if pts.x.is_empty() {
            pts = cols;
        } else {
            pts.append(cols);
        }
    }
    for g in &study.population.polygons {
        let v = &g.vertices;
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for q in v {
            x0 = x0.min(q[0]);
            x1 = x1.max(q[0]);
            y0 = y0.min(q[1]);
            y1 = y1.max(q[1]);
        }
        let step = res
            .max((polygon_area_m2(v) / 10_000.0).sqrt())
            .max((x1 - x0).max(y1 - y0) / 2000.0);
        let mut inside = Vec::new();
        let nx = ((x1 - x0) / step).ceil() as usize;
        let ny = ((y1 - y0) / step).ceil() as usize;
        for j in 0..ny {
            for i in 0..nx {
                let (x, y) = (x0 + (i as f64 + 0.5) * step, y0 + (j as f64 + 0.5) * step);
                if point_in_polygon(x, y, v) {
                    inside.push((x, y));
                }
            }
        }
        if inside.is_empty() {
            let n = v.len() as f64;
            inside.push((
                v.iter().map(|q| q[0]).sum::<f64>() / n,
                v.iter().map(|q| q[1]).sum::<f64>() / n,
            ));
        }
        let k = inside.len() as f64;
        let cd = g.count_day / k;
        let cn = g.count_night.unwrap_or(g.count_day) / k;
        for (x, y) in inside {
            pts.push(PopPoint {
                x,
                y,
                out_day: cd * (1.0 - g.indoor_fraction_day),
                in_day: cd * g.indoor_fraction_day,
                out_night: cn * (1.0 - g.indoor_fraction_night),
                in_night: cn * g.indoor_fraction_night,
            });
        }
    }
    pts
}

/// Societal (N, f) cases of every scenario of `model` (built from `study`) in scenario order; empty
/// for the scenarios that `select` rejects. Day and night for each direction (one direction group
/// for radially symmetric footprints).
pub fn scenario_cases(
    study: &Study,
    model: &Model,
    select: impl Fn(&Scenario) -> bool + Sync,
) -> Vec<Vec<(f64, f64)>> {
    let pop = PopRows::new(
        population_points(study, study.grid.resolution_m),
        study.grid.resolution_m,
    );
    cases_with(model, &pop, select, None)
}

/// One population sum: a footprint (or its sector average: the pointer of the table the
/// scenario evaluates, [`Scenario::spread`] or [`Scenario::footprint`]) of an installation in
/// one wind direction (`None`: radially symmetric).
type CaseJob = (usize, *const (), Option<usize>);

/// [`cases_with`] for the scenarios of the installations with `installation(i)`, written into
/// `per_scenario` (indexed like `model.scenarios`; the others left as they are). Each sum
/// depends only on its own inputs, so cases formed a part of the installations at a time (a
/// batch whose sector averages are built) have the same bits as all at once.
pub(crate) fn cases_into(
    model: &Model,
    pop: &PopRows,
    installation: impl Fn(usize) -> bool + Sync,
    fused: Option<&FusedSums>,
    per_scenario: &mut [Vec<(f64, f64)>],
) {
    let cases = cases_with(model, pop, |s| installation(s.installation), fused);
    for ((c, s), out) in cases.into_iter().zip(&model.scenarios).zip(per_scenario) {
        if installation(s.installation) {
            *out = c;
        }
    }
}

/// [`scenario_cases`] on a prepared population. The population sums (N_day, N_night) depend
/// only on the installation, the footprint (or its sector average) and the wind direction, not
/// on the weather class or the frequency, so each distinct (installation, table, direction) is
/// summed once (in parallel) and shared by every scenario using it (a jet fire or a VCE serves
/// all weather classes; issue 14). Each sum is a deterministic function of its inputs, so the
/// cases do not depend on the thread count or on which other scenarios exist (partial runs).
///
/// `fused`: sums already formed in the individual-risk pass ([`GridPopulation`]), used for the
/// jobs they cover (the same sums up to the order of addition).
pub(crate) fn cases_with(
    model: &Model,
    pop: &PopRows,
    select: impl Fn(&Scenario) -> bool + Sync,
    fused: Option<&FusedSums>,
) -> Vec<Vec<(f64, f64)>> {
    let mut jobs: Vec<CaseJob> = Vec::new();
    // The first scenario of each job: the population sum evaluates its table.
    let mut job_scenario: Vec<usize> = Vec::new();
    let mut job_of: FastMap<CaseJob, usize> = Default::default();
    let mut plan: Vec<Option<Vec<usize>>> = Vec::with_capacity(model.scenarios.len());
    for (si, s) in model.scenarios.iter().enumerate() {
        if !select(s) {
            plan.push(None);
            continue;
        }
        let fp = s.table_key();
        let mut id = |key: CaseJob| {
            *job_of.entry(key).or_insert_with(|| {
                jobs.push(key);
                job_scenario.push(si);
                jobs.len() - 1
            })
        };
        plan.push(Some(if s.footprint.is_radially_symmetric() {
            vec![id((s.installation, fp, None))]
        } else {
            model
                .sectors_of(s)
                .iter()
                .map(|sec| id((s.installation, fp, Some(sec.angle))))
                .collect()
        }));
    }
    // The support hull of each distinct directional footprint (local frame), computed once:
    // the population sums visit only the points inside it (issue 14).
    let mut hull_of: FastMap<*const (), usize> = Default::default();
    let mut hull_scenario: Vec<usize> = Vec::new();
    // (installation, direction, scenario, hull) of each job (the pointer is only a key).
    let done: Vec<Option<(f64, f64)>> = jobs
        .iter()
        .map(|&(inst, key, angle)| fused.and_then(|f| f.get(&(inst, key as usize, angle)).copied()))
        .collect();
    let work: Vec<(usize, Option<usize>, usize, Option<usize>)> = jobs
        .iter()
        .zip(&job_scenario)
        .zip(&done)
        .map(|((&(inst, key, angle), &si), done)| {
            let directional = angle.is_some() && model.scenarios[si].spread.is_none();
            let hull = (directional && done.is_none()).then(|| {
                *hull_of.entry(key).or_insert_with(|| {
                    hull_scenario.push(si);
                    hull_scenario.len() - 1
                })
            });
            (inst, angle, si, hull)
        })
        .collect();
    let hulls: Vec<Option<Vec<(f64, f64)>>> = hull_scenario
        .par_iter()
        .map(|&si| model.scenarios[si].footprint.support_hull())
        .collect();
    // Jobs of one installation and direction visit the same population: run them one after
    // the other (rayon splits the list into contiguous pieces), so that population stays in
    // the cache. Each sum is computed on its own, so the order changes no bit.
    let mut order: Vec<usize> = (0..work.len()).filter(|&j| done[j].is_none()).collect();
    order.sort_by_key(|&j| (work[j].0, work[j].1, j));
    let sorted: Vec<(f64, f64)> = order
        .par_iter()
        .map(|&j| {
            let (inst, angle, si, hull) = work[j];
            population_sum(
                model,
                pop,
                inst,
                &model.scenarios[si],
                angle.map(|a| model.angles[a]),
                hull.and_then(|h| hulls[h].as_deref()),
            )
        })
        .collect();
    let mut sums: Vec<(f64, f64)> = done.iter().map(|d| d.unwrap_or((0.0, 0.0))).collect();
    for (&j, v) in order.iter().zip(sorted) {
        sums[j] = v;
    }
    model
        .scenarios
        .iter()
        .zip(plan)
        .map(|(s, p)| {
            let Some(p) = p else { return Vec::new() };
            let wd = s.frequency_per_year * model.weather_day[s.weather];
            let wn = s.frequency_per_year * model.weather_night[s.weather];
            if s.footprint.is_radially_symmetric() {
                let (nd, nn) = sums[p[0]];
                let ps = model.sector_weight(s);
                vec![(nd, wd * ps), (nn, wn * ps)]
            } else {
                let mut out = Vec::with_capacity(2 * p.len());
                for (sec, &j) in model.sectors_of(s).iter().zip(&p) {
                    let (nd, nn) = sums[j];
                    out.push((nd, wd * sec.p));
                    out.push((nn, wn * sec.p));
                }
                out
            }
        })
        .collect()
}

/// (N_day, N_night): Σ over the population points of n_out·P_out + n_in·P_in for the footprint of
/// scenario `s` (its sector average when spread: the population of the annular sector it
/// covers) of installation `inst`, rotated into downwind direction `dir` (unit vector east,
/// north; `None` for a radially symmetric footprint). Visits the points inside the footprint's
/// rotated support hull `hull` (local frame; [`Footprint::support_hull`]) or, without one, its
/// rotated rectangle (row spans), and its reach circle.
fn population_sum(
    model: &Model,
    pop: &PopRows,
    inst: usize,
    s: &Scenario,
    dir: Option<(f64, f64)>,
    hull: Option<&[(f64, f64)]>,
) -> (f64, f64) {
    let fp: &Footprint = &s.footprint;
    let [ix, iy] = model.installations[inst].1;
    let rules = model.rules;
    let reach = s.reach_m();
    let [od, id, on, inn] = &pop.people;
    // Without anyone indoors the indoor columns may be empty (and add +0 anyway: the same
    // bits).
    let indoor = pop.has_indoor();
    let (mut nd, mut nn) = (0.0, 0.0);
    let mut add = |k: usize, (o, i): (f64, f64)| {
        if indoor {
            nd += od[k] * o + id[k] * i;
            nn += on[k] * o + inn[k] * i;
        } else {
            nd += od[k] * o;
            nn += on[k] * o;
        }
    };
    match dir {
        None => match &fp.indoor {
            None => {
                let hazard = fp.hazard;
                with_lethality!(&fp.outdoor, |leth| {
                    pop.visit(ix, iy, reach, None, |k, dx, dy| {
                        add(k, rules.societal(hazard, leth(dx, dy)))
                    })
                })
            }
            Some(_) => pop.visit(ix, iy, reach, None, |k, dx, dy| {
                add(k, fp.societal(rules, dx, dy))
            }),
        },
        Some((ux, uy)) => {
            let world = |lx: f64, ly: f64| (lx * ux - ly * uy, lx * uy + ly * ux);
            let rect: Option<Vec<(f64, f64)>> = match hull {
                Some(h) => Some(h.iter().map(|&(lx, ly)| world(lx, ly)).collect()),
                None => s.local_extent().map(|[x0, x1, y0, y1]| {
                    vec![world(x0, y0), world(x1, y0), world(x1, y1), world(x0, y1)]
                }),
            };
            match (&fp.outdoor, &fp.indoor, &s.spread) {
                // The common case, a raster with derived indoor lethality: the raster's
                // fractional node indices are affine in the world offset (rotation and scaling
                // folded into six coefficients per direction), the rule applied to the value.
                (Shape::Directional(t), None, None) => {
                    let (sx, sy) = (1.0 / t.dx_m, 1.0 / t.dy_m);
                    let (ax, bx) = (ux * sx, uy * sx);
                    let (ay, by) = (-uy * sy, ux * sy);
                    // Node indices of the point (x, y) = installation + offset, folded with
                    // the installation's position: fx = ax·x + bx·y + cx.
                    let cx = -t.x0_m * sx - ax * ix - bx * iy;
                    let cy = -t.y0_m * sy - ay * ix - by * iy;
                    let hazard = fp.hazard;
                    let (xs, ys) = (&pop.xs[..], &pop.ys[..]);
                    let Some(t) = t.lookup() else {
                        return (0.0, 0.0);
                    };
                    match rules.linear(hazard) {
                        // (o, i) = (a·P, b·P): four weighted sums of P, combined at the end.
                        // Points beyond the reach circle lie outside the raster (its corners
                        // bound the reach) and give P = 0, so the circle test is not needed.
                        Some((a, _)) if !indoor => {
                            // No one indoors: the two outdoor sums (b·0 + a·s adds +0: the
                            // same bits as the four sums).
                            let mut acc = [0.0f64; 2];
                            pop.visit_rows(ix, iy, reach, rect.as_deref(), |k0, k1| {
                                let r = k0..k1;
                                let [mut s0, mut s2] = acc;
                                let people = od[r.clone()].iter().zip(&on[r.clone()]);
                                let at = xs[r.clone()].iter().zip(&ys[r]);
                                for ((&x, &y), (&pod, &pon)) in at.zip(people) {
                                    let v = t.at(ax * x + bx * y + cx, ay * x + by * y + cy);
                                    s0 += pod * v;
                                    s2 += pon * v;
                                }
                                acc = [s0, s2];
                            });
                            return (a * acc[0], a * acc[1]);
                        }
                        Some((a, b)) => {
                            let mut acc = [0.0f64; 4];
                            pop.visit_rows(ix, iy, reach, rect.as_deref(), |k0, k1| {
                                // Zipped row slices (no per-point bounds checks) and the
                                // sums in registers: the same additions in the same order.
                                let r = k0..k1;
                                let [mut s0, mut s1, mut s2, mut s3] = acc;
                                let people = od[r.clone()]
                                    .iter()
                                    .zip(&id[r.clone()])
                                    .zip(on[r.clone()].iter().zip(&inn[r.clone()]));
                                let at = xs[r.clone()].iter().zip(&ys[r]);
                                for ((&x, &y), ((&pod, &pid), (&pon, &pin))) in at.zip(people) {
                                    let v = t.at(ax * x + bx * y + cx, ay * x + by * y + cy);
                                    s0 += pod * v;
                                    s1 += pid * v;
                                    s2 += pon * v;
                                    s3 += pin * v;
                                }
                                acc = [s0, s1, s2, s3];
                            });
                            return (a * acc[0] + b * acc[1], a * acc[2] + b * acc[3]);
                        }
                        None => pop.visit_rows(ix, iy, reach, rect.as_deref(), |k0, k1| {
                            for k in k0..k1 {
                                let v = t
                                    .at(ax * xs[k] + bx * ys[k] + cx, ay * xs[k] + by * ys[k] + cy);
                                add(k, rules.societal(hazard, v));
                            }
                        }),
                    }
                }
                // An exact footprint (parametric or band, derived indoor lethality): its model
                // called directly at each point ([`with_lethality`]; the same values).
                (outdoor, None, None) => {
                    let hazard = fp.hazard;
                    with_lethality!(outdoor, |leth| {
                        pop.visit(ix, iy, reach, rect.as_deref(), |k, dx, dy| {
                            let (lx, ly) = local(dx, dy, ux, uy);
                            add(k, rules.societal(hazard, leth(lx, ly)))
                        })
                    })
                }
                _ => {
                    // The sector average, taken once for all the points.
                    let spread = s.spread_table();
                    pop.visit(ix, iy, reach, rect.as_deref(), |k, dx, dy| {
                        let (lx, ly) = local(dx, dy, ux, uy);
                        add(
                            k,
                            match &spread {
                                Some(sp) => sp.societal(lx, ly),
                                None => fp.societal(rules, lx, ly),
                            },
                        )
                    })
                }
            }
        }
    }
    (nd, nn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::footprint::convex_hull;
    use crate::risk::footprint::tests::inside_convex as inside;
    use proptest::prelude::*;

    fn point(x: f64, y: f64) -> PopPoint {
        PopPoint {
            x,
            y,
            out_day: 1.0,
            in_day: 0.0,
            out_night: 1.0,
            in_night: 0.0,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// `search` is `partition_point`, for evenly and unevenly spaced values.
        #[test]
        fn search_is_partition_point(
            mut xs in proptest::collection::vec(-100.0f64..100.0, 0..60),
            at in -120.0f64..120.0,
            even in proptest::bool::ANY,
        ) {
            if even {
                let n = xs.len();
                xs = (0..n).map(|i| -50.0 + 2.5 * i as f64).collect();
            }
            xs.sort_by(f64::total_cmp);
            prop_assert_eq!(search(&xs, |v| v < at, at), xs.partition_point(|&v| v < at));
            prop_assert_eq!(search(&xs, |v| v <= at, at), xs.partition_point(|&v| v <= at));
            if let Some(&v0) = xs.get(xs.len() / 2) {
                prop_assert_eq!(search(&xs, |v| v <= v0, v0), xs.partition_point(|&v| v <= v0));
                prop_assert_eq!(search(&xs, |v| v < v0, v0), xs.partition_point(|&v| v < v0));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// `on_grid` maps every node that holds a point to that point, and is `None` exactly when
        /// a point lies off the nodes or two points share one; the points may come in any order.
        #[test]
        fn on_grid_maps_each_node_to_its_point(
            nodes in proptest::collection::vec((0usize..9, 0usize..7), 1..40),
            off in proptest::option::of((0usize..9, 0usize..7)),
            order in proptest::collection::vec(0usize..1000, 41),
        ) {
            let (xs, ys): (Vec<f64>, Vec<f64>) = (
                (0..9).map(|i| -20.0 + 5.0 * i as f64).collect(),
                (0..7).map(|j| 10.0 + 5.0 * j as f64).collect(),
            );
            let mut pts: Vec<(f64, f64)> = nodes.iter().map(|&(i, j)| (xs[i], ys[j])).collect();
            if let Some((i, j)) = off {
                pts.push((xs[i] + 2.5, ys[j]));
            }
            // Any order (a shuffle by the random keys).
            let mut idx: Vec<usize> = (0..pts.len()).collect();
            idx.sort_by_key(|&k| order[k]);
            let mut cols = PopColumns::default();
            for &k in &idx {
                cols.push(point(pts[k].0, pts[k].1));
            }
            let rows = PopRows::new(cols, 5.0);
            let mut distinct = nodes.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let expect_some = off.is_none() && distinct.len() == nodes.len();
            let got = rows.on_grid(&xs, &ys, crate::vulnerability::VulnerabilityRules::PurpleBook);
            prop_assert_eq!(got.is_some(), expect_some);
            if let Some(g) = got {
                let mut held = 0;
                for (cell, &k) in g.point.iter().enumerate() {
                    if k == NO_POINT {
                        continue;
                    }
                    held += 1;
                    let (i, j) = (cell % xs.len(), cell / xs.len());
                    prop_assert_eq!(rows.xs[k as usize].to_bits(), xs[i].to_bits());
                    prop_assert_eq!(rows.ys[k as usize].to_bits(), ys[j].to_bits());
                }
                prop_assert_eq!(held, nodes.len());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// `visit` with a polygon calls back every point inside both the polygon and the reach
        /// circle, exactly once, and no point outside the circle (a superset of the polygon is
        /// allowed: those points are evaluated and give 0).
        #[test]
        fn visit_covers_every_point_inside_the_polygon(
            pts in proptest::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 3..12),
            cx in -20.0f64..20.0,
            cy in -20.0f64..20.0,
            r in 5.0f64..80.0,
            res in 1.0f64..10.0,
        ) {
            let hull = convex_hull(pts);
            let mut pop = Vec::new();
            for j in 0..60 {
                for i in 0..60 {
                    // Jittered lattice: rows hold points of slightly different y.
                    let (x, y) = (-60.0 + 2.0 * i as f64 + 0.3 * (j % 3) as f64, -60.0 + 2.0 * j as f64 + 0.17 * (i % 4) as f64);
                    pop.push(point(x, y));
                }
            }
            let mut cols = PopColumns::default();
            for p in &pop {
                cols.push(*p);
            }
            let rows = PopRows::new(cols, res);
            let offsets: Vec<(f64, f64)> = hull.iter().map(|&(x, y)| (x - cx, y - cy)).collect();
            let mut seen = Vec::new();
            rows.visit(cx, cy, r, Some(&offsets), |k, dx, dy| {
                assert!(dx * dx + dy * dy <= r * r);
                seen.push((rows.xs[k].to_bits(), rows.ys[k].to_bits()));
            });
            let n_seen = seen.len();
            seen.sort_unstable();
            seen.dedup();
            prop_assert_eq!(seen.len(), n_seen, "a point visited twice");
            for p in &pop {
                let (dx, dy) = (p.x - cx, p.y - cy);
                if dx * dx + dy * dy <= r * r && inside(&hull, p.x, p.y) {
                    prop_assert!(seen.binary_search(&(p.x.to_bits(), p.y.to_bits())).is_ok(),
                        "point ({}, {}) inside the polygon not visited", p.x, p.y);
                }
            }
        }
    }

    /// With no one indoors the indoor head-count columns are left out ([`population_points`],
    /// [`PopColumns`]) and the indoor terms skipped; the societal sums must be those of the full
    /// four-column formula. Reference: the same study with indoor fractions of 10⁻³⁰⁰, which
    /// keeps the indoor columns and forms every sum in full, and whose indoor people are too few
    /// to change any sum (x + 10⁻³⁰⁰·P rounds to x for x > 10⁻²⁸⁴; a zero sum becomes at most
    /// ~10⁻³⁰⁰). On the analytic demo with its polygon (points off the grid nodes and out of
    /// order: the population sums and the sort of the columns) and with its raster alone (points
    /// on the grid nodes: the sums formed in the grid pass), centre and uniform spreading (the
    /// raster sums and the sector averages). Fails if a point's people are dropped, misplaced
    /// by the sort or read from another column.
    #[test]
    fn no_one_indoors_gives_the_full_sums() {
        use crate::risk::engine::{run, Model, RunOptions};
        use crate::risk::scenario::ScenarioSet;
        use crate::risk::study::SectorSpreading;
        // The demo with parametric footprints (summed in the grid pass when the points lie on
        // its nodes): its fireball as a point-source fire, and a Gaussian plume.
        let text = include_str!("../../../../models/studies/analytic_demo.toml")
            .replace(
                "footprint = { type = \"radial\", distance_m = [0.0, 150.0, 250.0, 350.0], \
                 lethality = [1.0, 1.0, 0.3, 0.0] }",
                "footprint = { type = \"point-source-fire\", source_x_m = 0.0, \
                 radiated_power_w = 2.0e9, transmissivity = 0.8, exposure_s = 20.0, \
                 probit = \"eisenberg\", lethal_radius_m = 40.0 }",
            )
            .replace(
                "[meteorology]",
                "[[events]]\nid = \"CL2-T1-PLUME\"\ninstallation = \"CL2-T1\"\n\
                 frequency_per_year = 1e-5\n\n[[events.outcomes]]\nid = \"plume\"\n\
                 probability = 1.0\nspec = { kind = \"analytic\", hazard = \"toxic\", \
                 footprint = { type = \"gaussian-plume\", rate_kg_s = 8.0, \
                 wind_speed_m_s = 2.0, stability = \"D\", probit_a = -6.35, probit_b = 0.5, \
                 probit_n = 2.75, exposure_s = 600.0 } }\n\n[meteorology]",
            );
        assert!(text.contains("gaussian-plume") && text.contains("point-source-fire"));
        let mut demo = Study::from_toml_str(&text, "analytic_demo.toml").expect("demo");
        // More people at night than by day (a day/night mix-up shows).
        for r in &mut demo.population.rasters {
            r.counts_night = Some(r.counts.iter().map(|c| 1.5 * c).collect());
        }
        for g in &mut demo.population.polygons {
            g.count_night = Some(2.0 * g.count_day);
        }
        let indoors = |mut s: Study, f: f64| {
            for r in &mut s.population.rasters {
                (r.indoor_fraction_day, r.indoor_fraction_night) = (f, f);
            }
            for g in &mut s.population.polygons {
                (g.indoor_fraction_day, g.indoor_fraction_night) = (f, f);
            }
            s
        };
        for polygons in [true, false] {
            for spreading in [SectorSpreading::Centre, SectorSpreading::Uniform] {
                let mut base = demo.clone();
                base.meteorology.sector_spreading = spreading;
                if !polygons {
                    base.population.polygons.clear();
                }
                let (a, b) = (indoors(base.clone(), 0.0), indoors(base, 1e-300));
                assert!(!population_points(&a, 10.0).indoor);
                assert!(population_points(&b, 10.0).indoor);
                let case = format!("polygons {polygons}, {spreading:?}");
                // The population sums of every case (the societal pass).
                let cases = |s: &Study| {
                    let m = Model::new(&ScenarioSet::from_study(s).expect("set")).expect("model");
                    scenario_cases(s, &m, |_| true)
                };
                let (ca, cb) = (cases(&a), cases(&b));
                let mut positive = 0;
                for (va, vb) in ca.iter().flatten().zip(cb.iter().flatten()) {
                    assert!(
                        (va.0 - vb.0).abs() <= 1e-250,
                        "{case}: N {} vs {}",
                        va.0,
                        vb.0
                    );
                    assert_eq!(va.1.to_bits(), vb.1.to_bits(), "{case}: f");
                    positive += usize::from(va.0 > 1.0);
                }
                assert_eq!(ca.iter().flatten().count(), cb.iter().flatten().count());
                assert!(
                    positive > 10,
                    "{case}: cases with people killed: {positive}"
                );
                // The run (the grid pass's sums when the points lie on the grid nodes).
                let (ra, rb) = (
                    run(&a, &RunOptions::default()).expect("run"),
                    run(&b, &RunOptions::default()).expect("run"),
                );
                assert_eq!(ra.pll.to_bits(), rb.pll.to_bits(), "{case}: PLL");
                assert!(ra.pll > 0.0);
                let fn_of = |r: &crate::risk::engine::RiskResult| -> Vec<(u64, u64)> {
                    r.fn_curve
                        .iter()
                        .filter(|p| p.n > 1e-200)
                        .map(|p| (p.n.to_bits(), p.f_per_year.to_bits()))
                        .collect()
                };
                assert_eq!(fn_of(&ra), fn_of(&rb), "{case}: F-N");
            }
        }
    }
}
