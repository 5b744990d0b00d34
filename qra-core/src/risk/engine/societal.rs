//! Population points, their index and the societal (N, f) cases of each scenario.

use rayon::prelude::*;

use super::model::*;
use crate::geometry::{point_in_polygon, polygon_area_m2};
use crate::risk::footprint::VulnerabilityRules;
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

pub(crate) struct PopIndex {
    pub(crate) pts: Vec<PopPoint>,
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) bin: f64,
    pub(crate) nbx: usize,
    pub(crate) nby: usize,
    pub(crate) start: Vec<usize>,
}

impl PopIndex {
    pub(crate) fn new(mut pts: Vec<PopPoint>) -> PopIndex {
        if pts.is_empty() {
            return PopIndex {
                pts,
                x0: 0.0,
                y0: 0.0,
                bin: 1.0,
                nbx: 0,
                nby: 0,
                start: vec![0],
            };
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &pts {
            x0 = x0.min(p.x);
            x1 = x1.max(p.x);
            y0 = y0.min(p.y);
            y1 = y1.max(p.y);
        }
        let span = (x1 - x0).max(y1 - y0).max(1.0);
        let bin = (span / 1000.0).max(50.0);
        let nbx = ((x1 - x0) / bin) as usize + 1;
        let nby = ((y1 - y0) / bin) as usize + 1;
        let key = |p: &PopPoint| -> usize {
            let bx = (((p.x - x0) / bin) as usize).min(nbx - 1);
            let by = (((p.y - y0) / bin) as usize).min(nby - 1);
            by * nbx + bx
        };
        pts.sort_by_key(key);
        let mut start = vec![0usize; nbx * nby + 1];
        for p in &pts {
            start[key(p) + 1] += 1;
        }
        for i in 0..nbx * nby {
            start[i + 1] += start[i];
        }
        PopIndex {
            pts,
            x0,
            y0,
            bin,
            nbx,
            nby,
            start,
        }
    }

    /// Calls `f` for every point within `r` of (x, y), in a fixed order (bins row by row,
    /// points in bin order).
    pub(crate) fn within(&self, x: f64, y: f64, r: f64, f: impl FnMut(&PopPoint, f64, f64)) {
        let all = [
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
        ];
        self.within_box(x, y, r, all, f);
    }
}

impl PopIndex {
    /// Like [`PopIndex::within`], restricted to the points whose offset (dx, dy) from (x, y) lies
    /// in the box `[dx_min, dx_max, dy_min, dy_max]`: the same points in the same relative order
    /// (bins row by row, points in bin order), only fewer bins visited.
    pub(crate) fn within_box(
        &self,
        x: f64,
        y: f64,
        r: f64,
        bbox: [f64; 4],
        mut f: impl FnMut(&PopPoint, f64, f64),
    ) {
        if self.pts.is_empty() {
            return;
        }
        let lo_x = (x - r).max(x + bbox[0]);
        let hi_x = (x + r).min(x + bbox[1]);
        let lo_y = (y - r).max(y + bbox[2]);
        let hi_y = (y + r).min(y + bbox[3]);
        if !(lo_x <= hi_x && lo_y <= hi_y) {
            return;
        }
        let bx0 = ((lo_x - self.x0) / self.bin).floor().max(0.0) as usize;
        let by0 = ((lo_y - self.y0) / self.bin).floor().max(0.0) as usize;
        let bx1 = ((hi_x - self.x0) / self.bin).floor();
        let by1 = ((hi_y - self.y0) / self.bin).floor();
        if bx1 < 0.0 || by1 < 0.0 {
            return;
        }
        let bx1 = (bx1 as usize).min(self.nbx - 1);
        let by1 = (by1 as usize).min(self.nby - 1);
        let r2 = r * r;
        for by in by0..=by1 {
            for bx in bx0..=bx1 {
                let b = by * self.nbx + bx;
                for p in &self.pts[self.start[b]..self.start[b + 1]] {
                    let (dx, dy) = (p.x - x, p.y - y);
                    if dx * dx + dy * dy <= r2
                        && (bbox[0]..=bbox[1]).contains(&dx)
                        && (bbox[2]..=bbox[3]).contains(&dy)
                    {
                        f(p, dx, dy);
                    }
                }
            }
        }
    }
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
    let pop = PopIndex::new(population_points(study, study.grid.resolution_m));
    model
        .scenarios
        .par_iter()
        .map(|s| {
            if select(s) {
                societal_cases(model, s, &pop, model.rules)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// (N, f) cases of one scenario: day and night for each direction (one direction group for
/// radially symmetric footprints).
pub(crate) fn societal_cases(
    model: &Model,
    s: &Scenario,
    pop: &PopIndex,
    rules: VulnerabilityRules,
) -> Vec<(f64, f64)> {
    let [ix, iy] = model.installations[s.installation].1;
    let fp = &s.footprint;
    let reach = fp.reach_m();
    let wd = s.frequency_per_year * model.weather_day[s.weather];
    let wn = s.frequency_per_year * model.weather_night[s.weather];
    if fp.is_radially_symmetric() {
        let (mut nd, mut nn) = (0.0, 0.0);
        pop.within(ix, iy, reach, |p, dx, dy| {
            let (o, i) = fp.societal(rules, dx, dy);
            nd += p.out_day * o + p.in_day * i;
            nn += p.out_night * o + p.in_night * i;
        });
        let ps = model.sector_weight(s);
        vec![(nd, wd * ps), (nn, wn * ps)]
    } else {
        let secs = model.sectors_of(s);
        let mut nd = vec![0.0; secs.len()];
        let mut nn = vec![0.0; secs.len()];
        match fp.local_extent() {
            // Each direction visits only the population in the bounding box of its rotated
            // footprint rectangle. The points it skips contribute exact zeros (+0.0 leaves a
            // non-negative sum unchanged) and the others are added in the same order, so N is
            // bit-identical to visiting the whole reach circle (issue 14: the circle held 27×
            // the population points the footprints cover on park-1000).
            Some([x0, x1, y0, y1]) => {
                for (k, sec) in secs.iter().enumerate() {
                    let world =
                        |lx: f64, ly: f64| (lx * sec.ux - ly * sec.uy, lx * sec.uy + ly * sec.ux);
                    let c = [world(x0, y0), world(x1, y0), world(x0, y1), world(x1, y1)];
                    // One metre of slack against rounding in the rotation.
                    let bbox = [
                        c.iter().map(|q| q.0).fold(f64::INFINITY, f64::min) - 1.0,
                        c.iter().map(|q| q.0).fold(f64::NEG_INFINITY, f64::max) + 1.0,
                        c.iter().map(|q| q.1).fold(f64::INFINITY, f64::min) - 1.0,
                        c.iter().map(|q| q.1).fold(f64::NEG_INFINITY, f64::max) + 1.0,
                    ];
                    pop.within_box(ix, iy, reach, bbox, |p, dx, dy| {
                        let (lx, ly) = local(dx, dy, sec.ux, sec.uy);
                        let (o, i) = fp.societal(rules, lx, ly);
                        nd[k] += p.out_day * o + p.in_day * i;
                        nn[k] += p.out_night * o + p.in_night * i;
                    });
                }
            }
            None => pop.within(ix, iy, reach, |p, dx, dy| {
                for (k, sec) in secs.iter().enumerate() {
                    let (lx, ly) = local(dx, dy, sec.ux, sec.uy);
                    let (o, i) = fp.societal(rules, lx, ly);
                    nd[k] += p.out_day * o + p.in_day * i;
                    nn[k] += p.out_night * o + p.in_night * i;
                }
            }),
        }
        let mut out = Vec::with_capacity(2 * secs.len());
        for (k, sec) in secs.iter().enumerate() {
            out.push((nd[k], wd * sec.p));
            out.push((nn[k], wn * sec.p));
        }
        out
    }
}
