//! Population points, their index and the societal (N, f) cases of each scenario.

use rayon::prelude::*;

use super::model::*;
use crate::geometry::{point_in_polygon, polygon_area_m2};

use crate::risk::footprint::{Footprint, Shape};
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
    pub(crate) pts: Vec<PopPoint>,
    /// x of each point (row-major order, ascending within a row).
    xs: Vec<f64>,
    /// Row `r` holds `pts[start[r]..start[r + 1]]`.
    start: Vec<usize>,
    /// Smallest and largest y of the points of each row (empty rows: +inf, −inf).
    row_y: Vec<(f64, f64)>,
    y0: f64,
    res: f64,
}

impl PopRows {
    pub(crate) fn new(mut pts: Vec<PopPoint>, res: f64) -> PopRows {
        let res = if res.is_finite() && res > 0.0 {
            res
        } else {
            1.0
        };
        let y0 = pts.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        let y1 = pts.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
        let nrows = if pts.is_empty() {
            0
        } else {
            ((y1 - y0) / res) as usize + 1
        };
        let row = |p: &PopPoint| (((p.y - y0) / res) as usize).min(nrows.saturating_sub(1));
        // Stable: points of equal (row, x) keep the study's order.
        pts.sort_by(|a, b| row(a).cmp(&row(b)).then(a.x.total_cmp(&b.x)));
        let mut start = vec![0usize; nrows + 1];
        let mut row_y = vec![(f64::INFINITY, f64::NEG_INFINITY); nrows];
        for p in &pts {
            let r = row(p);
            start[r + 1] += 1;
            row_y[r] = (row_y[r].0.min(p.y), row_y[r].1.max(p.y));
        }
        for i in 0..nrows {
            start[i + 1] += start[i];
        }
        PopRows {
            xs: pts.iter().map(|p| p.x).collect(),
            pts,
            start,
            row_y,
            y0,
            res,
        }
    }

    /// Calls `f(point, dx, dy)` for every point with offset (dx, dy) = point − (x, y) within
    /// `r` of (x, y) and, when `rect` is given (the corners of a convex quadrilateral as offsets
    /// from (x, y)), inside the rectangle's x-span over the point's row — a superset of the points
    /// inside it. Fixed order: rows ascending, x ascending.
    pub(crate) fn visit(
        &self,
        x: f64,
        y: f64,
        r: f64,
        rect: Option<&[(f64, f64); 4]>,
        mut f: impl FnMut(&PopPoint, f64, f64),
    ) {
        if self.pts.is_empty() || r.is_nan() || r < 0.0 {
            return;
        }
        let nrows = self.row_y.len();
        let lo = ((y - r - self.y0) / self.res).floor() - 1.0;
        let hi = ((y + r - self.y0) / self.res).floor() + 1.0;
        if hi < 0.0 || lo > nrows as f64 {
            return;
        }
        let r0 = lo.max(0.0) as usize;
        let r1 = (hi.max(0.0) as usize).min(nrows - 1);
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
            if let Some(c) = rect {
                let Some((s0, s1)) = strip_span(c, da, db) else {
                    continue;
                };
                e0 = e0.max(s0);
                e1 = e1.min(s1);
                if e0 > e1 {
                    continue;
                }
            }
            // One micrometre of slack against rounding; points outside contribute 0.
            let (xa, xb) = (x + e0 - 1e-6, x + e1 + 1e-6);
            let row_x = &self.xs[self.start[row]..self.start[row + 1]];
            let i0 = row_x.partition_point(|&v| v < xa);
            let i1 = row_x.partition_point(|&v| v <= xb);
            for p in &self.pts[self.start[row] + i0..self.start[row] + i1] {
                let (dx, dy) = (p.x - x, p.y - y);
                if dx * dx + dy * dy <= r2 {
                    f(p, dx, dy);
                }
            }
        }
    }
}

/// x-range of the convex quadrilateral `c` (vertices in order) within the strip ya ≤ y ≤ yb, or
/// `None` if they do not meet: the extremes lie at vertices inside the strip or where edges
/// cross the strip's boundary lines.
pub(crate) fn strip_span(c: &[(f64, f64); 4], ya: f64, yb: f64) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for k in 0..4 {
        let (px, py) = c[k];
        let (qx, qy) = c[(k + 1) % 4];
        if (ya..=yb).contains(&py) {
            lo = lo.min(px);
            hi = hi.max(px);
        }
        if py != qy {
            for yl in [ya, yb] {
                if (py.min(qy)..=py.max(qy)).contains(&yl) {
                    let xl = px + (yl - py) * (qx - px) / (qy - py);
                    lo = lo.min(xl);
                    hi = hi.max(xl);
                }
            }
        }
    }
    (lo <= hi).then_some((lo, hi))
}

pub(crate) fn population_points(study: &Study, res: f64) -> Vec<PopPoint> {
    let mut pts = Vec::new();
    for r in &study.population.rasters {
        let night = r.counts_night.as_deref().unwrap_or(&r.counts);
        for j in 0..r.ny {
            for i in 0..r.nx {
                let k = j * r.nx + i;
                let (cd, cn) = (r.counts[k], night[k]);
                if cd <= 0.0 && cn <= 0.0 {
                    continue;
                }
                pts.push(PopPoint {
                    x: r.x0_m + (i as f64 + 0.5) * r.cell_size_m,
                    y: r.y0_m + (j as f64 + 0.5) * r.cell_size_m,
                    out_day: cd * (1.0 - r.indoor_fraction_day),
                    in_day: cd * r.indoor_fraction_day,
                    out_night: cn * (1.0 - r.indoor_fraction_night),
                    in_night: cn * r.indoor_fraction_night,
                });
            }
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
    cases_with(model, &pop, select)
}

/// One population sum: a footprint (or its sector average: the pointer of the table the
/// scenario evaluates, [`Scenario::spread`] or [`Scenario::footprint`]) of an installation in
/// one wind direction (`None`: radially symmetric).
type CaseJob = (usize, *const (), Option<usize>);

/// [`scenario_cases`] on a prepared population. The population sums (N_day, N_night) depend
/// only on the installation, the footprint (or its sector average) and the wind direction, not
/// on the weather class or the frequency, so each distinct (installation, table, direction) is
/// summed once (in parallel) and shared by every scenario using it (a jet fire or a VCE serves
/// all weather classes; issue 14). Each sum is a deterministic function of its inputs, so the
/// cases do not depend on the thread count or on which other scenarios exist (partial runs).
pub(crate) fn cases_with(
    model: &Model,
    pop: &PopRows,
    select: impl Fn(&Scenario) -> bool + Sync,
) -> Vec<Vec<(f64, f64)>> {
    let mut jobs: Vec<CaseJob> = Vec::new();
    // The first scenario of each job: the population sum evaluates its table.
    let mut job_scenario: Vec<usize> = Vec::new();
    let mut job_of: std::collections::HashMap<CaseJob, usize> = Default::default();
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
    // (installation, direction, scenario) of each job (the pointer is only a key).
    let work: Vec<(usize, Option<usize>, usize)> = jobs
        .iter()
        .zip(&job_scenario)
        .map(|(&(inst, _, angle), &si)| (inst, angle, si))
        .collect();
    let sums: Vec<(f64, f64)> = work
        .par_iter()
        .map(|&(inst, angle, si)| {
            population_sum(
                model,
                pop,
                inst,
                &model.scenarios[si],
                angle.map(|a| model.angles[a]),
            )
        })
        .collect();
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
/// rotated rectangle (row spans) or its reach circle.
fn population_sum(
    model: &Model,
    pop: &PopRows,
    inst: usize,
    s: &Scenario,
    dir: Option<(f64, f64)>,
) -> (f64, f64) {
    let fp: &Footprint = &s.footprint;
    let [ix, iy] = model.installations[inst].1;
    let rules = model.rules;
    let reach = s.reach_m();
    let (mut nd, mut nn) = (0.0, 0.0);
    let mut add = |p: &PopPoint, (o, i): (f64, f64)| {
        nd += p.out_day * o + p.in_day * i;
        nn += p.out_night * o + p.in_night * i;
    };
    match dir {
        None => pop.visit(ix, iy, reach, None, |p, dx, dy| {
            add(p, fp.societal(rules, dx, dy))
        }),
        Some((ux, uy)) => {
            let world = |lx: f64, ly: f64| (lx * ux - ly * uy, lx * uy + ly * ux);
            let rect = s.local_extent().map(|[x0, x1, y0, y1]| {
                [world(x0, y0), world(x1, y0), world(x1, y1), world(x0, y1)]
            });
            match (&fp.outdoor, &fp.indoor, &s.spread) {
                // The common case, a raster with derived indoor lethality: the raster's
                // fractional node indices are affine in the world offset (rotation and scaling
                // folded into six coefficients per direction), the rule applied to the value.
                (Shape::Directional(t), None, None) => {
                    let (sx, sy) = (1.0 / t.dx_m, 1.0 / t.dy_m);
                    let (ax, bx, cx) = (ux * sx, uy * sx, -t.x0_m * sx);
                    let (ay, by, cy) = (-uy * sy, ux * sy, -t.y0_m * sy);
                    let hazard = fp.hazard;
                    pop.visit(ix, iy, reach, rect.as_ref(), |p, dx, dy| {
                        let v = t.at_index(ax * dx + bx * dy + cx, ay * dx + by * dy + cy);
                        add(p, rules.societal(hazard, v))
                    })
                }
                _ => pop.visit(ix, iy, reach, rect.as_ref(), |p, dx, dy| {
                    let (lx, ly) = local(dx, dy, ux, uy);
                    add(p, s.societal(rules, lx, ly))
                }),
            }
        }
    }
    (nd, nn)
}
