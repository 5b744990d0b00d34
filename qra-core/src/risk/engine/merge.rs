//! Merged per-installation footprints (radial tables and direction rasters), their accumulation on
//! the grid and the distance-to-contour profiles.

use rayon::prelude::*;

use super::model::*;
use super::result::*;
use super::societal::{GridPopulation, PopRows, NO_POINT};
use crate::numerics::{bilinear_f32, lerp};
use std::sync::Arc;

use crate::dispersion::Stability;
use crate::risk::footprint::{convex_hull, with_lethality, Footprint, Hazard, Shape};
use crate::risk::parametric::PlumeGeometry;

// ---------------------------------------------------------------------------------------------
// Merged per-installation footprints.

pub(crate) struct RadialMerged {
    pub(crate) inv_h: f64,
    pub(crate) table: Vec<f64>,
    pub(crate) reach2: f64,
    pub(crate) circ_r2: Vec<f64>,
    pub(crate) circ_suffix: Vec<f64>,
    pub(crate) reach: f64,
}

impl RadialMerged {
    #[inline]
    fn at(&self, d2: f64) -> f64 {
        let mut v = 0.0;
        if d2 <= self.reach2 && !self.table.is_empty() {
            let f = d2.sqrt() * self.inv_h;
            // 0 ≤ f ≤ reach/h ≤ ~MAX_RADIAL_NODES (d2 ≤ reach²; the step h is at least
            // reach/MAX_RADIAL_NODES): through u32, the same index in fewer instructions.
            let k = f as u32 as usize;
            if k + 1 < self.table.len() {
                let t = f - k as f64;
                v = lerp(self.table[k], self.table[k + 1], t);
            }
        }
        if !self.circ_r2.is_empty() {
            let i = self.circ_r2.partition_point(|&r2| r2 < d2);
            if i < self.circ_suffix.len() {
                v += self.circ_suffix[i];
            }
        }
        v
    }
}

pub(crate) struct DirRaster {
    pub(crate) ux: f64,
    pub(crate) uy: f64,
    /// The merged values at the lattice nodes (row-major), summed in double precision and
    /// stored in single ([`merge_installation`]).
    pub(crate) values: Vec<f32>,
}

pub(crate) struct DirMerged {
    pub(crate) res: f64,
    pub(crate) inv_res: f64,
    pub(crate) ix0: i64,
    pub(crate) iy0: i64,
    pub(crate) nx: usize,
    pub(crate) ny: usize,
    pub(crate) rasters: Vec<DirRaster>,
    pub(crate) reach: f64,
}

impl DirMerged {
    #[inline]
    fn at(&self, r: &DirRaster, lx: f64, ly: f64) -> f64 {
        self.at_raster(
            r,
            lx * self.inv_res - self.ix0 as f64,
            ly * self.inv_res - self.iy0 as f64,
        )
    }

    /// Bilinear value at fractional raster indices (fx, fy); 0 outside.
    #[inline]
    fn at_raster(&self, r: &DirRaster, fx: f64, fy: f64) -> f64 {
        if !(fx >= 0.0 && fy >= 0.0 && fx <= (self.nx - 1) as f64 && fy <= (self.ny - 1) as f64) {
            return 0.0;
        }
        let nx = self.nx;
        // 0 ≤ fx ≤ nx − 1 and 0 ≤ fy ≤ ny − 1, both far below 2³² (the lattice is coarsened to
        // about MAX_DIR_NODES nodes, [`merge_installation`]): through u32, the same indices in
        // fewer instructions.
        let i = (fx as u32 as usize).min(nx - 2);
        let j = (fy as u32 as usize).min(self.ny - 2);
        let tx = fx - i as f64;
        let ty = fy - j as f64;
        bilinear_f32(&r.values, j * nx + i, nx, tx, ty)
    }

    /// x-interval of `dE` (east offset) on the row at north offset `dn` where the local point falls
    /// inside the raster rectangle (slab method), or None.
    fn row_span(&self, r: &DirRaster, dn: f64) -> Option<(f64, f64)> {
        let lx0 = self.ix0 as f64 * self.res;
        let lx1 = (self.ix0 + self.nx as i64 - 1) as f64 * self.res;
        let ly0 = self.iy0 as f64 * self.res;
        let ly1 = (self.iy0 + self.ny as i64 - 1) as f64 * self.res;
        let mut lo = f64::NEG_INFINITY;
        let mut hi = f64::INFINITY;
        // lx = dE·ux + dn·uy ∈ [lx0, lx1]
        slab(&mut lo, &mut hi, r.ux, dn * r.uy, lx0, lx1)?;
        // ly = −dE·uy + dn·ux ∈ [ly0, ly1]
        slab(&mut lo, &mut hi, -r.uy, dn * r.ux, ly0, ly1)?;
        Some((lo, hi))
    }
}

/// Restricts [lo, hi] to {e : a·e + b ∈ [c0, c1]}.
pub(crate) fn slab(lo: &mut f64, hi: &mut f64, a: f64, b: f64, c0: f64, c1: f64) -> Option<()> {
    if a.abs() < 1e-12 {
        if b < c0 - 1e-9 || b > c1 + 1e-9 {
            return None;
        }
    } else {
        let (mut e0, mut e1) = ((c0 - b) / a, (c1 - b) / a);
        if e0 > e1 {
            std::mem::swap(&mut e0, &mut e1);
        }
        *lo = lo.max(e0);
        *hi = hi.min(e1);
    }
    if *lo > *hi {
        None
    } else {
        Some(())
    }
}

/// A parametric footprint ([`Shape::is_parametric`]) or a band of one installation, evaluated
/// exactly at every cell it covers instead of being resampled on the merged rasters: the footprint, its
/// summed weight (radially symmetric) or its summed weight per wind direction.
pub(crate) struct ExactTerm {
    pub(crate) footprint: Arc<Footprint>,
    /// Σ f·P_M·P_φ over the scenarios using the footprint, when it is radially symmetric.
    pub(crate) radial_weight: f64,
    /// (ux, uy, Σ f·P_M·P_φ) per wind direction, in angle order (empty when radial).
    pub(crate) dirs: Vec<(f64, f64, f64)>,
    /// The angle index ([`Model::angles`]) of each of `dirs`.
    pub(crate) angles: Vec<usize>,
    /// Whether the societal sums of this footprint are formed in the individual-risk pass when
    /// the population lies on the grid ([`GridPopulation`]): every exact term with derived
    /// indoor lethality, parametric shape or band (bands were summed at the population points
    /// apart until the seventeenth session: the same values, added in another order).
    pub(crate) fused: bool,
    /// Local rectangle outside which the footprint is 0 (directional).
    pub(crate) rect: [f64; 4],
    /// Per direction of `dirs`: the footprint's support hull ([`Shape::support_points`]) turned
    /// into world offsets (east, north), as its two chains; empty for a degenerate hull (the
    /// rectangle is used instead).
    pub(crate) hulls: Vec<Chains>,
    /// Per direction: the bounding box [east min, east max, north min, north max] of its hull
    /// (rows and points outside it are skipped first; `None` for a degenerate hull).
    pub(crate) boxes: Vec<Option<[f64; 4]>>,
    pub(crate) reach: f64,
    /// The local box [x min, x max, y min, y max] of the support hull (the local rectangle when
    /// the hull is degenerate) outside which the footprint is 0.
    pub(crate) local_box: [f64; 4],
    /// Per direction of `dirs`: whether it is accumulated with its [`PlumeGroup`] instead of
    /// alone (empty when radial).
    pub(crate) grouped: Vec<bool>,
}

/// The Gaussian plumes ([`crate::risk::parametric::GaussianPlume`]) of one installation with
/// the same stability class and wind direction: their σ's are the same at a cell, so the grid
/// pass forms the cell's [`PlumeGeometry`] (a logarithm, two square roots, three divisions) once
/// for all of them and each plume adds only its probit — the same bits per plume as
/// [`crate::risk::parametric::GaussianPlume::at`].
pub(crate) struct PlumeGroup {
    stability: Stability,
    ux: f64,
    uy: f64,
    /// (exact term, index of the direction in its `dirs`), in term order.
    members: Vec<(usize, usize)>,
}

/// One entry of a grid row's exact work ([`RowIndex`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowItem {
    /// Member `e` of plume group `g` ([`Merged::plume_groups`]).
    Member(u32, u32),
    /// Exact term `t` in direction `k` of its `dirs` (`k` unused when it is radial).
    Term(u32, u32),
}

/// For every grid row, the exact terms' directions and plume-group members whose support
/// (the box of the turned hull, or the reach) can meet it, in the order the grid pass adds them:
/// plume groups in order with their members in order, then the terms in order with their
/// directions in order. The pass visits only these instead of every term and direction on every
/// row; the additions keep their order, so the bits are those of the full scan.
#[derive(Debug, Default)]
pub(crate) struct RowIndex {
    /// Row j's entries are `items[start[j]..start[j + 1]]`.
    start: Vec<u32>,
    items: Vec<RowItem>,
    /// Per entry of a direction or member: the grid columns (i0, i1) of its support on the
    /// row (`i0 > i1` when it misses the row); unused for radial terms.
    spans: Vec<(u32, u32)>,
}

impl RowIndex {
    /// The entries of grid row `j` (none outside the index) and their column spans.
    fn row(&self, j: usize) -> (&[RowItem], &[(u32, u32)]) {
        match (self.start.get(j), self.start.get(j + 1)) {
            (Some(&a), Some(&b)) => (
                &self.items[a as usize..b as usize],
                &self.spans[a as usize..b as usize],
            ),
            _ => (&[], &[]),
        }
    }

    /// The index of `m` on the grid rows `ys` (spacing `res`), with a margin of one row on
    /// each side of every support (the exact tests stay in the pass), and the grid columns
    /// (of `xs`) of each direction's support on each of its rows — the row's chord of the
    /// turned hull, computed here once with the rows ascending (the hull's chains walked,
    /// [`Chains::chord_walk`]) instead of by binary searches in the pass: the same columns.
    fn new(m: &Merged, xs: &[f64], ys: &[f64], res: f64) -> Self {
        let ny = ys.len();
        let north = |t: &ExactTerm, k: Option<usize>| -> (f64, f64) {
            match k.and_then(|k| t.boxes[k]) {
                Some([_, _, y0, y1]) => (y0, y1),
                None => (-t.reach, t.reach),
            }
        };
        let mut list: Vec<(RowItem, (f64, f64))> = Vec::new();
        for (gi, g) in m.plume_groups.iter().enumerate() {
            for (e, &(ti, k)) in g.members.iter().enumerate() {
                list.push((
                    RowItem::Member(gi as u32, e as u32),
                    north(&m.exact[ti], Some(k)),
                ));
            }
        }
        for (ti, t) in m.exact.iter().enumerate() {
            if t.dirs.is_empty() {
                list.push((RowItem::Term(ti as u32, 0), north(t, None)));
            }
            for k in (0..t.dirs.len()).filter(|&k| !t.grouped[k]) {
                list.push((RowItem::Term(ti as u32, k as u32), north(t, Some(k))));
            }
        }
        let rows: Vec<Option<(usize, usize)>> = list
            .iter()
            .map(|&(_, (a, b))| columns((m.y + a - ys[0]) / res, (m.y + b - ys[0]) / res, 1.0, ny))
            .collect();
        let mut start = vec![0u32; ny + 1];
        for &(j0, j1) in rows.iter().flatten() {
            for n in &mut start[j0 + 1..=j1 + 1] {
                *n += 1;
            }
        }
        for j in 0..ny {
            start[j + 1] += start[j];
        }
        let mut next: Vec<u32> = start[..ny].to_vec();
        let mut items = vec![RowItem::Term(0, 0); start[ny] as usize];
        let mut spans = vec![(1u32, 0u32); start[ny] as usize];
        let (nx, x0) = (xs.len(), xs[0]);
        let col = |e: f64| -> f64 { (e - x0) / res };
        for ((item, _), rowspan) in list.iter().zip(&rows) {
            let Some((j0, j1)) = *rowspan else {
                continue;
            };
            let (ti, k) = match *item {
                RowItem::Member(g, e) => m.plume_groups[g as usize].members[e as usize],
                RowItem::Term(ti, k) => (ti as usize, k as usize),
            };
            let t = &m.exact[ti];
            let mut cur = [0usize; 4];
            for (j, n) in (j0..=j1).zip(&mut next[j0..=j1]) {
                items[*n as usize] = *item;
                if !t.dirs.is_empty() {
                    // As the grid pass computed it: rows ascend, so the chains are walked.
                    let dn = ys[j] - m.y;
                    let span = if dn.abs() > t.reach {
                        None
                    } else {
                        t.row_span_walk(k, dn, &mut cur)
                            .and_then(|(lo, hi)| columns(col(m.x + lo), col(m.x + hi), 1.0, nx))
                    };
                    if let Some((i0, i1)) = span {
                        spans[*n as usize] = (i0 as u32, i1 as u32);
                    }
                }
                *n += 1;
            }
        }
        RowIndex {
            start,
            items,
            spans,
        }
    }
}

/// The plume groups of the exact terms `exact` (groups of at least two plumes, in order of
/// first appearance), marking their members' directions as grouped.
fn plume_groups(exact: &mut [ExactTerm]) -> Vec<PlumeGroup> {
    let mut groups: Vec<PlumeGroup> = Vec::new();
    let mut index: FastMap<(usize, usize), usize> = Default::default();
    for (ti, t) in exact.iter().enumerate() {
        let Shape::GaussianPlume(g) = &t.footprint.outdoor else {
            continue;
        };
        let stability = g.spec().stability;
        for (k, &(ux, uy, _)) in t.dirs.iter().enumerate() {
            if t.boxes[k].is_none() {
                continue;
            }
            let gi = *index
                .entry((stability as usize, t.angles[k]))
                .or_insert_with(|| {
                    groups.push(PlumeGroup {
                        stability,
                        ux,
                        uy,
                        members: Vec::new(),
                    });
                    groups.len() - 1
                });
            groups[gi].members.push((ti, k));
        }
    }
    groups.retain(|g| g.members.len() >= 2);
    for t in exact.iter_mut() {
        t.grouped = vec![false; t.dirs.len()];
    }
    for g in &groups {
        for &(ti, k) in &g.members {
            exact[ti].grouped[k] = true;
        }
    }
    groups
}

impl ExactTerm {
    /// x-interval of the east offset on the row at north offset `dn` where the footprint can be
    /// non-zero in direction `k` of `dirs`: the row's chord of the turned support hull, or of
    /// the local rectangle (slab method) when the hull is degenerate; None if it misses.
    #[inline]
    fn row_span(&self, k: usize, dn: f64) -> Option<(f64, f64)> {
        let hull = &self.hulls[k];
        if let Some([_, _, y0, y1]) = self.boxes[k] {
            if dn < y0 - 1e-9 || dn > y1 + 1e-9 {
                return None;
            }
            return hull.chord(dn);
        }
        let (ux, uy, _) = self.dirs[k];
        let [x0, x1, y0, y1] = self.rect;
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        slab(&mut lo, &mut hi, ux, dn * uy, x0, x1)?;
        slab(&mut lo, &mut hi, -uy, dn * ux, y0, y1)?;
        Some((lo, hi))
    }

    /// [`ExactTerm::row_span`] for rows `dn` visited in ascending order with the cursors
    /// `cur` (zeros before the first row): the same spans.
    #[inline]
    fn row_span_walk(&self, k: usize, dn: f64, cur: &mut [usize; 4]) -> Option<(f64, f64)> {
        if let Some([_, _, y0, y1]) = self.boxes[k] {
            if dn < y0 - 1e-9 || dn > y1 + 1e-9 {
                return None;
            }
            return self.hulls[k].chord_walk(dn, cur);
        }
        self.row_span(k, dn)
    }

    /// IR of this term at offset (dx, dy) from the installation.
    #[cfg(test)]
    fn at(&self, dx: f64, dy: f64) -> f64 {
        if dx * dx + dy * dy > self.reach * self.reach {
            return 0.0;
        }
        let shape = &self.footprint.outdoor;
        if self.dirs.is_empty() {
            return self.radial_weight * shape.lethality(dx, dy);
        }
        let mut v = 0.0;
        for (&(ux, uy, w), b) in self.dirs.iter().zip(&self.boxes) {
            // Outside the hull's box the footprint is 0 (the hull holds every non-zero point).
            if let Some([x0, x1, y0, y1]) = *b {
                if dx < x0 - 1e-9 || dx > x1 + 1e-9 || dy < y0 - 1e-9 || dy > y1 + 1e-9 {
                    continue;
                }
            }
            let (lx, ly) = local(dx, dy, ux, uy);
            v += w * shape.lethality(lx, ly);
        }
        v
    }
}

pub(crate) struct Merged {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) radial: Option<RadialMerged>,
    pub(crate) dir: Option<DirMerged>,
    pub(crate) exact: Vec<ExactTerm>,
    /// The plumes of `exact` accumulated together ([`PlumeGroup`]).
    pub(crate) plume_groups: Vec<PlumeGroup>,
    /// The exact work of each grid row of the grid it was merged for ([`merge_for_grid`], the
    /// only way to build a `Merged`).
    pub(crate) rows: RowIndex,
    /// First societal-sum slot of each exact term (one slot per direction, one when radial);
    /// the last entry is the number of slots.
    pub(crate) slots: Vec<usize>,
    /// The societal sums of the raster footprints formed on the merged lattice
    /// ([`lattice_sums`]; empty when merged without the population).
    pub(crate) raster_sums: TermSums,
}

/// Societal sums of one installation's fused exact terms over one band of grid rows: (slot,
/// N_day, N_night) for each slot with a non-zero sum, in slot order.
pub(crate) type BandSums = Vec<(usize, f64, f64)>;

/// Societal sums of one installation's fused exact terms: ((footprint address, direction or
/// `None` when radially symmetric), (N_day, N_night)).
pub(crate) type TermSums = Vec<((usize, Option<usize>), (f64, f64))>;

impl Merged {
    /// The societal sums of the fused exact terms from the per-band sums `bands` (in band order:
    /// each slot's total is the left fold over the bands, the same bits for any thread count),
    /// as ((footprint address, direction), (N_day, N_night)).
    pub(crate) fn fused_sums<'a>(&self, bands: impl Iterator<Item = &'a BandSums>) -> TermSums {
        let mut total = vec![(0.0, 0.0); *self.slots.last().unwrap_or(&0)];
        for band in bands {
            for &(k, d, n) in band {
                total[k].0 += d;
                total[k].1 += n;
            }
        }
        let mut out = Vec::new();
        for (t, &s0) in self.exact.iter().zip(&self.slots) {
            if !t.fused {
                continue;
            }
            let key = Arc::as_ptr(&t.footprint) as *const () as usize;
            if t.dirs.is_empty() {
                out.push(((key, None), total[s0]));
            } else {
                for (k, &a) in t.angles.iter().enumerate() {
                    out.push(((key, Some(a)), total[s0 + k]));
                }
            }
        }
        out
    }

    fn reach(&self) -> f64 {
        let r = self.radial.as_ref().map_or(0.0, |r| r.reach);
        let d = self.dir.as_ref().map_or(0.0, |d| d.reach);
        let e = self.exact.iter().map(|t| t.reach).fold(0.0, f64::max);
        r.max(d).max(e)
    }

    /// IR of this installation at offset (dx, dy) from it.
    #[cfg(test)]
    fn at(&self, dx: f64, dy: f64) -> f64 {
        let mut v = self.tables_at(dx, dy);
        for t in &self.exact {
            v += t.at(dx, dy);
        }
        v
    }

    /// IR of the merged tables (radial table and direction rasters, not the exact terms) at
    /// offset (dx, dy) from the installation.
    fn tables_at(&self, dx: f64, dy: f64) -> f64 {
        let mut v = 0.0;
        if let Some(r) = &self.radial {
            v += r.at(dx * dx + dy * dy);
        }
        if let Some(d) = &self.dir {
            for r in &d.rasters {
                let (lx, ly) = local(dx, dy, r.ux, r.uy);
                v += d.at(r, lx, ly);
            }
        }
        v
    }
}

/// Lattice rows of a merged direction raster summed together in double precision before they
/// are stored in single ([`merge_installation`]).
const MERGE_BLOCK_ROWS: usize = 64;

/// Largest number of nodes of one merged radial table.
pub(crate) const MAX_RADIAL_NODES: f64 = 1.0e6;
/// Largest lattice (nodes) onto which [`lattice_sums`] spreads the population of one direction
/// (four head counts per node: 128 MB); larger ones leave the sums to the population pass.
pub(crate) const MAX_POP_LATTICE_NODES: usize = 4_000_000;
// Node indices of the population lattice ([`angle_sums`]), the radial tables
// ([`RadialMerged::at`]) and the directional rasters ([`DirMerged::at_raster`]) are converted
// through u32: their bounds are far below 2³².
const _: () = assert!(MAX_POP_LATTICE_NODES <= u32::MAX as usize);
const _: () = assert!(MAX_RADIAL_NODES < 1e9 && MAX_DIR_NODES < 1e9);
/// Largest number of nodes of the merged directional rasters of one installation (all directions).
pub(crate) const MAX_DIR_NODES: f64 = 1.6e7;

/// [`merge_installation`] clipped at the farthest grid corner from the installation (nothing
/// beyond it is needed on the grid `xs` × `ys`); with `pop`, its lattice reaches the farthest
/// population point too, so that the societal sums formed on it ([`lattice_sums`]) cover every
/// point, whatever the grid's extent.
pub(crate) fn merge_for_grid(
    model: &Model,
    inst: usize,
    scen: &[&Scenario],
    xs: &[f64],
    ys: &[f64],
    res: f64,
    pop: Option<&PopRows>,
) -> Merged {
    let [px, py] = model.installations[inst].1;
    let (nx, ny) = (xs.len(), ys.len());
    let clip = (px - xs[0])
        .abs()
        .max((px - xs[nx - 1]).abs())
        .hypot((py - ys[0]).abs().max((py - ys[ny - 1]).abs()))
        + 2.0 * res;
    // The raster footprints' societal sums need every point on the merged lattice: its clip
    // for them reaches the farthest point (the population may extend beyond the grid). Without
    // points there are no sums to form.
    let farthest = pop.and_then(|p| p.farthest_m(px, py));
    let pop_clip = farthest.map_or(clip, |d| clip.max(d + 2.0 * res));
    let pop = farthest.and(pop);
    let mut m = merge_installation(model, inst, scen, res, [clip, pop_clip], pop);
    m.rows = RowIndex::new(&m, xs, ys, res);
    m
}

/// Adds one installation's merged footprints to `grid` (row-major, `xs.len()` columns), in
/// parallel row bands of fixed height (the sum of each cell does not depend on the thread
/// count). With `pop`, also forms the societal sums of its fused exact terms
/// ([`Merged::fused_sums`]; empty without).
pub(crate) fn add_to_grid(
    m: &Merged,
    grid: &mut [f64],
    xs: &[f64],
    ys: &[f64],
    res: f64,
    pop: Option<&GridPopulation>,
) -> TermSums {
    let nx = xs.len();
    let bands: Vec<BandSums> = grid
        .par_chunks_mut(nx * BAND_ROWS)
        .enumerate()
        .map(|(b, band)| {
            let mut scratch = BandScratch::new(nx);
            let mut sums = BandSums::new();
            let soc = pop.map(|p| (p, &mut sums));
            accumulate(m, band, &mut scratch, b * BAND_ROWS, nx, xs, ys, res, soc);
            sums
        })
        .collect();
    if pop.is_some() {
        m.fused_sums(bands.iter())
    } else {
        Vec::new()
    }
}

fn merge_installation(
    model: &Model,
    inst: usize,
    scen: &[&Scenario],
    res: f64,
    [clip_m, pop_clip_m]: [f64; 2],
    pop: Option<&PopRows>,
) -> Merged {
    let [x, y] = model.installations[inst].1;
    let mut pop = pop;
    // Radial part: step res/8, coarsened for huge reaches (memory bound).
    let rmax = scen
        .iter()
        .filter(|s| matches!(s.footprint.outdoor, Shape::Radial(_)))
        .map(|s| s.footprint.outdoor.reach_m().min(clip_m))
        .fold(0.0, f64::max);
    let h = (res / 8.0).max(rmax / MAX_RADIAL_NODES);
    let mut circles: Vec<(f64, f64)> = Vec::new();
    let mut tables: Vec<(&Scenario, f64)> = Vec::new();
    let mut dirs: Vec<&Scenario> = Vec::new();
    let mut exact = exact_terms(model, scen);
    let plume_groups = plume_groups(&mut exact);
    for s in scen {
        if is_exact(s) {
            continue;
        }
        let w = s.frequency_per_year * model.weather_ir[s.weather];
        match &s.footprint.outdoor {
            Shape::Circle { radius_m, p } => {
                circles.push((radius_m * radius_m, w * model.sector_weight(s) * p))
            }
            Shape::Radial(_) => tables.push((s, w * model.sector_weight(s))),
            // Rasters, bands and parametric shapes averaged over their sector (radially
            // symmetric parametric shapes are never averaged: always exact).
            _ => dirs.push(s),
        }
    }
    let radial = if circles.is_empty() && tables.is_empty() {
        None
    } else {
        let treach = rmax;
        let mut table = Vec::new();
        if !tables.is_empty() {
            let n = (treach / h).ceil() as usize + 2;
            table = vec![0.0; n];
            for (s, w) in &tables {
                let r = s.footprint.outdoor.reach_m().min(treach);
                let m = ((r / h).ceil() as usize + 1).min(n);
                for (k, t) in table.iter_mut().enumerate().take(m) {
                    *t += w * s.footprint.outdoor.lethality(k as f64 * h, 0.0);
                }
            }
        }
        circles.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut suffix = vec![0.0; circles.len()];
        let mut acc = 0.0;
        for i in (0..circles.len()).rev() {
            acc += circles[i].1;
            suffix[i] = acc;
        }
        let creach = circles.last().map_or(0.0, |c| c.0.sqrt());
        Some(RadialMerged {
            inv_h: 1.0 / h,
            table,
            reach2: treach * treach,
            circ_r2: circles.iter().map(|c| c.0).collect(),
            circ_suffix: suffix,
            reach: treach.max(creach),
        })
    };
    // Directional part.
    let mut raster_sums = TermSums::new();
    let dir = if dirs.is_empty() {
        None
    } else {
        // Union extent in the local frame, clipped at `clip` from the installation.
        let extent = |clip: f64| {
            let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
            for s in &dirs {
                if let Some([cx0, cx1, cy0, cy1]) = s.local_rect() {
                    x0 = x0.min(cx0.max(-clip));
                    x1 = x1.max(cx1.min(clip));
                    y0 = y0.min(cy0.max(-clip));
                    y1 = y1.max(cy1.min(clip));
                }
            }
            [x0, x1, y0, y1]
        };
        // Clipped to the grid's reach: the step and the reach of the grid pass.
        let [x0, x1, y0, y1] = extent(clip_m);
        let reach = dirs
            .iter()
            .filter(|s| s.local_rect().is_some())
            .map(|s| s.reach_m().min(clip_m * std::f64::consts::SQRT_2))
            .fold(0.0, f64::max);
        let n_angles = {
            let mut seen = vec![false; model.angles.len()];
            for s in &dirs {
                for sec in model.sectors_of(s) {
                    seen[sec.angle] = true;
                }
            }
            seen.iter().filter(|b| **b).count().max(1)
        };
        // Local step: the grid resolution, coarsened if the rasters would be huge.
        let nodes = ((x1 - x0) / res + 2.0) * ((y1 - y0) / res + 2.0) * n_angles as f64;
        let res = if nodes > MAX_DIR_NODES {
            res * (nodes / MAX_DIR_NODES).sqrt().ceil()
        } else {
            res
        };
        // The lattice: out to the population when the societal sums are formed on it (the
        // same nodes, further out: the grid reads the same values), unless that would exceed
        // the rasters' bound — then the sums fall back to the population pass.
        let count = |[x0, x1, y0, y1]: [f64; 4]| {
            ((x1 - x0) / res + 2.0) * ((y1 - y0) / res + 2.0) * n_angles as f64
        };
        let mut lattice = [x0, x1, y0, y1];
        if pop.is_some() && pop_clip_m > clip_m {
            let wide = extent(pop_clip_m);
            if count(wide) <= MAX_DIR_NODES.max(count(lattice)) {
                lattice = wide;
            } else {
                pop = None;
            }
        }
        let [x0, x1, y0, y1] = lattice;
        let ix0 = (x0 / res).floor() as i64;
        let ix1 = (x1 / res).ceil() as i64;
        let iy0 = (y0 / res).floor() as i64;
        let iy1 = (y1 / res).ceil() as i64;
        let nx = (ix1 - ix0 + 1).max(2) as usize;
        let ny = (iy1 - iy0 + 1).max(2) as usize;
        let mut used: Vec<Option<usize>> = vec![None; model.angles.len()];
        let mut rasters: Vec<DirRaster> = Vec::new();
        for s in &dirs {
            for sec in model.sectors_of(s) {
                if used[sec.angle].is_none() {
                    used[sec.angle] = Some(rasters.len());
                    rasters.push(DirRaster {
                        ux: sec.ux,
                        uy: sec.uy,
                        values: Vec::new(),
                    });
                }
            }
        }
        // Keep the direction order fixed (by angle index), independent of footprint order.
        let mut order: Vec<(usize, usize)> = used
            .iter()
            .enumerate()
            .filter_map(|(a, r)| r.map(|r| (a, r)))
            .collect();
        order.sort();
        // The samples of each distinct table (a footprint or its sector average, shared by
        // weather classes with the same footprint): computed once ([`sample_table`], which also
        // keeps each row's range of non-zero columns: zeros are not added, the sums are the
        // same bits), the same values added for every scenario using it, in scenario order.
        // Each scenario's lattice rectangle, and the distinct tables in order of first use.
        let mut uses: Vec<(&Scenario, [i64; 4], usize)> = Vec::new();
        let mut index: FastMap<*const (), usize> = Default::default();
        let mut distinct: Vec<(&Scenario, [i64; 4])> = Vec::new();
        for s in &dirs {
            // The sector-averaged footprint when spread ([`Scenario::lethality`]).
            let Some([cx0, cx1, cy0, cy1]) = s.local_rect() else {
                continue;
            };
            let jx0 = ((cx0 / res).ceil() as i64).max(ix0);
            let jx1 = ((cx1 / res).floor() as i64).min(ix0 + nx as i64 - 1);
            let jy0 = ((cy0 / res).ceil() as i64).max(iy0);
            let jy1 = ((cy1 / res).floor() as i64).min(iy0 + ny as i64 - 1);
            if jx1 < jx0 || jy1 < jy0 {
                continue;
            }
            let rect = [jx0, jx1, jy0, jy1];
            let k = *index.entry(s.table_key()).or_insert_with(|| {
                distinct.push((s, rect));
                distinct.len() - 1
            });
            uses.push((s, rect, k));
        }
        // The tables sampled in parallel (each alone, collected in order), the sector
        // averages reading the polar angles of the nodes formed once for all of them.
        let samples: Vec<Sample> = {
            let angles = LatticeAngles::new(&distinct, res);
            distinct
                .par_iter()
                .with_max_len(1)
                .map(|&(s, rect)| sample_table(s, rect, res, [ix0, iy0], angles.as_ref()))
                .collect()
        };
        // Each direction's raster: its uses added in scenario order in double precision, then
        // stored in single precision (half the memory of the largest object of a run; the
        // rounding, 2⁻²⁴ relative, is far below the tables' own interpolation error). The
        // directions are independent: in parallel, the same bits for any thread count.
        let mut per_dir: Vec<Vec<(usize, f64)>> = vec![Vec::new(); rasters.len()];
        for (u, &(s, _, _)) in uses.iter().enumerate() {
            let w = s.frequency_per_year * model.weather_ir[s.weather];
            for sec in model.sectors_of(s) {
                if let Some(ri) = used[sec.angle] {
                    per_dir[ri].push((u, w * sec.p));
                }
            }
        }
        rasters
            .par_iter_mut()
            .with_max_len(1)
            .zip(&per_dir)
            .for_each(|(raster, adds)| {
                // By blocks of lattice rows, so that the double-precision sums take a block's
                // memory, not a raster's, however many directions run at once; each node still
                // receives its additions in scenario order.
                let mut out = vec![0.0f32; nx * ny];
                let mut acc = vec![0.0f64; nx * MERGE_BLOCK_ROWS.min(ny)];
                for b0 in (0..ny).step_by(MERGE_BLOCK_ROWS) {
                    let b1 = (b0 + MERGE_BLOCK_ROWS).min(ny);
                    let acc = &mut acc[..(b1 - b0) * nx];
                    acc.fill(0.0);
                    // Lattice rows b0..b1 are rows iy0 + b0 ..= iy0 + b1 − 1 of the tables.
                    let (blo, bhi) = (iy0 + b0 as i64, iy0 + b1 as i64 - 1);
                    for &(u, ws) in adds {
                        let (_, [jx0, _, jy0, jy1], k) = uses[u];
                        let Sample {
                            values: sample,
                            spans,
                            width: sw,
                            ..
                        } = &samples[k];
                        for jy in jy0.max(blo)..=jy1.min(bhi) {
                            let r = (jy - jy0) as usize;
                            let (lo, hi) = spans[r];
                            let base = (jy - blo) as usize * nx + (jx0 - ix0) as usize;
                            let src = &sample[r * sw + lo..r * sw + hi];
                            for (d, v) in acc[base + lo..base + hi].iter_mut().zip(src) {
                                *d += ws * v;
                            }
                        }
                    }
                    for (o, &a) in out[b0 * nx..b1 * nx].iter_mut().zip(acc.iter()) {
                        *o = a as f32;
                    }
                }
                raster.values = out;
            });
        let mut slots: Vec<Option<DirRaster>> = rasters.into_iter().map(Some).collect();
        let rasters = order.iter().filter_map(|&(_, r)| slots[r].take()).collect();
        let d = DirMerged {
            res,
            inv_res: 1.0 / res,
            ix0,
            iy0,
            nx,
            ny,
            rasters,
            // The interpolation between the samples reaches one lattice cell beyond the
            // tables' own extents.
            reach: reach + res * std::f64::consts::SQRT_2,
        };
        if let Some(pop) = pop {
            // The tables whose societal sums are formed on the lattice, with the directions
            // each is used in.
            let mut angles: Vec<Vec<usize>> = vec![Vec::new(); samples.len()];
            for &(s, _, k) in &uses {
                angles[k].extend(model.sectors_of(s).iter().map(|sec| sec.angle));
            }
            for a in &mut angles {
                a.sort_unstable();
                a.dedup();
            }
            let tables: Vec<(usize, &Sample, Vec<usize>)> = distinct
                .iter()
                .zip(&samples)
                .zip(angles)
                .filter(|(((s, _), _), _)| lattice_summable(model, s))
                .map(|(((s, _), smp), a)| (s.table_key() as usize, smp, a))
                .collect();
            raster_sums = lattice_sums(model, [x, y], &d, &tables, pop);
        }
        Some(d)
    };
    let mut slots = Vec::with_capacity(exact.len() + 1);
    let mut n = 0;
    for t in &exact {
        slots.push(n);
        n += t.dirs.len().max(1);
    }
    slots.push(n);
    Merged {
        x,
        y,
        radial,
        dir,
        exact,
        plume_groups,
        rows: RowIndex::default(),
        slots,
        raster_sums,
    }
}

/// One distinct table of an installation sampled on its merged lattice ([`merge_installation`]).
struct Sample {
    /// Values at the lattice nodes of the table's rectangle, row by row (`width` per row).
    values: Vec<f64>,
    /// Per row, the range of columns (within the row) holding the non-zero values.
    spans: Vec<(usize, usize)>,
    /// Lattice column and row of the rectangle's first node.
    jx0: i64,
    jy0: i64,
    width: usize,
    hazard: Hazard,
}

/// Largest number of lattice nodes whose polar angles [`LatticeAngles`] holds (16 MB); an
/// installation whose sector averages cover more samples each its own (the same values).
const MAX_ANGLE_NODES: usize = 2_000_000;

/// The polar angle atan2(y, x) of each node (x, y) = (jx·res, jy·res) of the rectangle of an
/// installation's lattice that its sector averages cover: every sector average of the
/// installation is sampled on the same nodes of the same local frame, and the angle was a
/// large part of a sample ([`crate::risk::sector::SectorAverage::at_near_with`]; atan2 was 12 %
/// of park-1000's physical run under uniform spreading), so it is formed once per node instead
/// of once per node and table. The same expression as the table would evaluate: the same bits.
struct LatticeAngles {
    jx0: i64,
    jy0: i64,
    w: usize,
    h: usize,
    /// Row by row (`w` per row).
    phi: Vec<f64>,
}

impl LatticeAngles {
    /// The angles over the union of the lattice rectangles of the sector-averaged tables among
    /// `tables`; `None` for fewer than two such tables (nothing to share) or a union above
    /// [`MAX_ANGLE_NODES`].
    fn new(tables: &[(&Scenario, [i64; 4])], res: f64) -> Option<Self> {
        let mut union: Option<[i64; 4]> = None;
        let mut n = 0;
        for (s, [x0, x1, y0, y1]) in tables {
            if s.spread.is_none() {
                continue;
            }
            n += 1;
            union = Some(match union {
                None => [*x0, *x1, *y0, *y1],
                Some([a0, a1, b0, b1]) => [a0.min(*x0), a1.max(*x1), b0.min(*y0), b1.max(*y1)],
            });
        }
        let [jx0, jx1, jy0, jy1] = union?;
        let (w, h) = ((jx1 - jx0 + 1) as usize, (jy1 - jy0 + 1) as usize);
        if n < 2 || w.saturating_mul(h) > MAX_ANGLE_NODES {
            return None;
        }
        let mut phi = vec![0.0; w * h];
        phi.par_chunks_mut(w).enumerate().for_each(|(r, row)| {
            let y = (jy0 + r as i64) as f64 * res;
            for (jx, v) in (jx0..=jx1).zip(row) {
                *v = y.atan2(jx as f64 * res);
            }
        });
        Some(LatticeAngles {
            jx0,
            jy0,
            w,
            h,
            phi,
        })
    }

    /// The angles of row `jy` from column `jx0` on (within the rectangle).
    fn row(&self, jy: i64, jx0: i64) -> &[f64] {
        let r = (jy - self.jy0) as usize;
        let c = (jx0 - self.jx0) as usize;
        debug_assert!(r < self.h && c <= self.w);
        &self.phi[r * self.w + c..(r + 1) * self.w]
    }
}

/// Scenario `s`'s table sampled at the lattice nodes `[jx0, jx1, jy0, jy1]` (spacing `res`;
/// the lattice's first node `first`), with the non-zero range of each row; a sector average
/// reads its nodes' polar angles from `angles` (which covers its rectangle when given).
fn sample_table(
    s: &Scenario,
    [jx0, jx1, jy0, jy1]: [i64; 4],
    res: f64,
    first: [i64; 2],
    angles: Option<&LatticeAngles>,
) -> Sample {
    let sw = (jx1 - jx0 + 1) as usize;
    let mut v = Vec::with_capacity(sw * (jy1 - jy0 + 1) as usize);
    let mut spans = Vec::with_capacity((jy1 - jy0 + 1) as usize);
    // A raster footprint (the common case) read through its lookup, checked once
    // ([`Scenario::lethality`] per node otherwise; the same values).
    let raster = match (&s.spread, &s.footprint.outdoor) {
        (None, Shape::Directional(t)) => Some((t, t.lookup())),
        _ => None,
    };
    // The sector average, taken once ([`Scenario::lethality`] per node otherwise).
    let spread = s.spread_table();
    for jy in jy0..=jy1 {
        let start = v.len();
        let y = jy as f64 * res;
        match raster {
            Some((t, lookup)) => {
                let fy = (y - t.y0_m) / t.dy_m;
                v.extend((jx0..=jx1).map(|jx| {
                    let fx = (jx as f64 * res - t.x0_m) / t.dx_m;
                    lookup.map_or(0.0, |l| l.at(fx, fy))
                }));
            }
            None => match (&spread, angles) {
                (Some(sp), Some(a)) => {
                    let mut row = 0;
                    let phi = a.row(jy, jx0);
                    v.extend((jx0..=jx1).zip(phi).map(|(jx, &phi)| {
                        sp.lethality_near_with(jx as f64 * res, y, || phi, &mut row)
                    }))
                }
                (Some(sp), None) => {
                    let mut row = 0;
                    v.extend((jx0..=jx1).map(|jx| sp.lethality_near(jx as f64 * res, y, &mut row)))
                }
                (None, _) => {
                    v.extend((jx0..=jx1).map(|jx| s.footprint.lethality(jx as f64 * res, y)))
                }
            },
        }
        // Zeros are not added to the rasters (the same sums).
        let row = &v[start..];
        spans.push(match row.iter().position(|&p| p != 0.0) {
            Some(lo) => (lo, row.iter().rposition(|&p| p != 0.0).unwrap_or(lo) + 1),
            None => (0, 0),
        });
    }
    Sample {
        values: v,
        spans,
        jx0: jx0 - first[0],
        jy0: jy0 - first[1],
        width: sw,
        hazard: s.footprint.hazard,
    }
}

/// Σ aᵢ·bᵢ over the common length, in four interleaved partial sums (i mod 4) added at the
/// end: a fixed order (the same bits on every machine and thread count) that the processor
/// can pipeline. The reference of [`dots`] (one column at a time, as the lattice sums were
/// formed before their columns were interleaved).
#[cfg(test)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    for (k, (x, y)) in ra.iter().zip(rb).enumerate() {
        s[k] += x * y;
    }
    (s[0] + s[1]) + (s[2] + s[3])
}

/// Whether scenario `s`'s societal sums are formed on the merged lattice ([`lattice_sums`]): a
/// raster footprint, or any footprint averaged over its sector (a table the lattice samples,
/// [`sample_table`]), with the indoor lethality derived by a rule linear in the outdoor one —
/// the case where N is a weighted sum of the values the individual-risk grid interpolates.
/// (Averaged footprints were summed at every population point they cover, an evaluation of the
/// polar table with a hypot and an atan2 each: 85 % of park-1000 under the default
/// `sector_spreading = "uniform"`.)
fn lattice_summable(model: &Model, s: &Scenario) -> bool {
    let derived = match &s.spread {
        None => {
            s.footprint.indoor.is_none() && matches!(s.footprint.outdoor, Shape::Directional(_))
        }
        Some(_) => s
            .spread_table()
            .is_some_and(|sp| sp.societal_from_outdoor()),
    };
    derived && model.rules.linear(s.footprint.hazard).is_some()
}

/// The societal sums (N_day, N_night) of raster footprints `tables` of the installation at
/// `at`, in each of their directions, formed on the installation's merged lattice `d`.
///
/// The individual-risk grid reads a raster footprint as the bilinear interpolation of its
/// lattice samples v (the values [`merge_installation`] adds to the direction rasters). Its
/// societal sum Σ_points people·P(point), with P read the same way, is linear in v:
/// Σ_points people·Σ_nodes w(point, node)·v(node) = Σ_nodes v(node)·m(node), with
/// m(node) = Σ_points people·w(point, node) the population spread onto the lattice by each
/// point's bilinear weights w (the adjoint of the interpolation). m is formed once per direction
/// (one pass over the points inside the lattice); each table's sums are then a dot product over
/// its non-zero samples, instead of an interpolation in the table at every point it covers
/// (issue 14: 1.5·10⁸ look-ups, the largest part of the physical park-1000 run). The F-N pairs
/// and the individual risk thus come from the same lethality field: with people outdoors,
/// PLL = Σ people·IR holds for raster footprints too (`lattice_societal_sums_equal_population_times_ir`).
/// Fixed order of additions (points by rows, then nodes by rows): the same bits for any
/// thread count. The caller ensures that every point lies within the lattice's clip.
fn lattice_sums(
    model: &Model,
    at: [f64; 2],
    d: &DirMerged,
    tables: &[(usize, &Sample, Vec<usize>)],
    pop: &PopRows,
) -> TermSums {
    if tables.is_empty() {
        return TermSums::new();
    }
    // The lattice rectangle the tables cover (nodes), and its population per direction.
    let (mut c0, mut c1, mut r0, mut r1) = (i64::MAX, i64::MIN, i64::MAX, i64::MIN);
    for (_, t, _) in tables {
        c0 = c0.min(t.jx0);
        c1 = c1.max(t.jx0 + t.width as i64 - 1);
        r0 = r0.min(t.jy0);
        r1 = r1.max(t.jy0 + t.spans.len() as i64 - 1);
    }
    // One node more on each side (within the lattice): a point in the cell next to a table's
    // edge node has a weight on that node, as in the interpolation on the whole lattice, and
    // inside this rectangle every point falls in the same cell as on the whole lattice.
    let (c0, c1) = ((c0 - 1).max(0), (c1 + 1).min(d.nx as i64 - 1));
    let (r0, r1) = ((r0 - 1).max(0), (r1 + 1).min(d.ny as i64 - 1));
    let (w, h) = ((c1 - c0 + 1) as usize, (r1 - r0 + 1) as usize);
    // Tables left without sums fall back to the population pass (`societal::population_sum`).
    if w < 2 || h < 2 || w * h > MAX_POP_LATTICE_NODES {
        return TermSums::new();
    }
    let mut angles: Vec<usize> = tables.iter().flat_map(|(_, _, a)| a.clone()).collect();
    angles.sort_unstable();
    angles.dedup();
    let sub = SubLattice { at, c0, r0, w, h };
    // Head-count columns that are zero everywhere (no one indoors, say) add nothing: the
    // lattice holds the used ones only, interleaved per node (one pass over a table's samples
    // for all of them).
    let used = pop.used_columns();
    let cols: Vec<usize> = (0..4).filter(|&c| used[c]).collect();
    // Directions in parallel, each with its own lattice; collected in direction order (the
    // same sums in the same order for any thread count).
    let per_angle = |a: usize| -> TermSums {
        match cols[..] {
            [] => angle_sums(model, d, tables, pop, &sub, a, []),
            [c] => angle_sums(model, d, tables, pop, &sub, a, [c]),
            [c, e] => angle_sums(model, d, tables, pop, &sub, a, [c, e]),
            [c, e, f] => angle_sums(model, d, tables, pop, &sub, a, [c, e, f]),
            [c, e, f, g, ..] => angle_sums(model, d, tables, pop, &sub, a, [c, e, f, g]),
        }
    };
    angles
        .par_iter()
        .with_max_len(1)
        .map(|&a| per_angle(a))
        .collect::<Vec<TermSums>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The rectangle of an installation's merged lattice that [`lattice_sums`] spreads the
/// population onto: the installation at `at`, nodes `c0..c0 + w` × `r0..r0 + h` of the lattice.
struct SubLattice {
    at: [f64; 2],
    c0: i64,
    r0: i64,
    w: usize,
    h: usize,
}

/// [`lattice_sums`] in direction `a`: the head-count columns `cols` (the used ones) spread onto
/// the sub-lattice `sub`, interleaved per node, then each table's dot products with it.
/// Column by column the same additions in the same order as one lattice per column.
fn angle_sums<const C: usize>(
    model: &Model,
    d: &DirMerged,
    tables: &[(usize, &Sample, Vec<usize>)],
    pop: &PopRows,
    sub: &SubLattice,
    a: usize,
    cols: [usize; C],
) -> TermSums {
    let SubLattice { at, c0, r0, w, h } = *sub;
    let mut out = TermSums::new();
    // Zeroed memory whose pages are touched only where people are: a row gets its zeros
    // written before the first point adds to it (`touched`; a page's first access a write,
    // see [`zeros_written`]), and the dot products skip the nodes no point reached (their
    // products would add +0 to sums that are +0 or positive: the same bits). Most of the
    // lattice under a plume holds no one: 381 MB of lattice over park-1000's 120 directions,
    // mostly never touched.
    let mut m: Vec<[f64; C]> = vec![[0.0; C]; w * h];
    // Per row, the first and last node any point added to (`lo > hi`: none yet, so the row's
    // zeros are not written).
    let mut touched = vec![(usize::MAX, 0usize); h];
    let (xs, ys, people) = pop.columns();
    let people: [&[f64]; C] = cols.map(|c| people[c].as_slice());
    let (ux, uy) = model.angles[a];
    // Local node coordinates of the sub-lattice's corners, turned into world offsets.
    let lx0 = (d.ix0 + c0) as f64 * d.res;
    let lx1 = (d.ix0 + c0 + w as i64 - 1) as f64 * d.res;
    let ly0 = (d.iy0 + r0) as f64 * d.res;
    let ly1 = (d.iy0 + r0 + h as i64 - 1) as f64 * d.res;
    let world = |lx: f64, ly: f64| (lx * ux - ly * uy, lx * uy + ly * ux);
    let rect = [
        world(lx0, ly0),
        world(lx1, ly0),
        world(lx1, ly1),
        world(lx0, ly1),
    ];
    let reach = rect.iter().map(|p| p.0.hypot(p.1)).fold(0.0, f64::max) + d.res;
    // Fractional node indices in the sub-lattice are affine in the world position.
    let (ax, bx) = (ux * d.inv_res, uy * d.inv_res);
    let (ay, by) = (-uy * d.inv_res, ux * d.inv_res);
    let cx = -(d.ix0 + c0) as f64 - ax * at[0] - bx * at[1];
    let cy = -(d.iy0 + r0) as f64 - ay * at[0] - by * at[1];
    let (fx_max, fy_max) = ((w - 1) as f64, (h - 1) as f64);
    // Per row, the first and last node the dot products below can read (the hull of the
    // non-zero columns of this direction's tables): a point whose four nodes all lie outside
    // is left out (the sums read none of the values it would add to; 68 % of the points under
    // park-1000's default sector spreading, where the lattice is a sector's bounding
    // rectangle), which leaves every value read the same.
    let mine: Vec<(usize, &Sample)> = tables
        .iter()
        .filter(|(_, _, t_angles)| t_angles.binary_search(&a).is_ok())
        .map(|&(key, t, _)| (key, t))
        .collect();
    let mut read = vec![(usize::MAX, 0usize); h];
    for (_, t) in &mine {
        let dc = (t.jx0 - c0) as usize;
        for (r, &(lo, hi)) in t.spans.iter().enumerate() {
            if lo < hi {
                let (first, last) = &mut read[(t.jy0 - r0) as usize + r];
                *first = (*first).min(lo + dc);
                *last = (*last).max(hi - 1 + dc);
            }
        }
    }
    pop.visit_rows(at[0], at[1], reach, Some(&rect), |k0, k1| {
        for k in k0..k1 {
            let (x, y) = (xs[k], ys[k]);
            let fx = ax * x + bx * y + cx;
            let fy = ay * x + by * y + cy;
            if !(fx >= 0.0 && fy >= 0.0 && fx <= fx_max && fy <= fy_max) {
                continue;
            }
            // The cell and weights of the interpolation (`DirMerged::at_raster`). 0 ≤ fx ≤ w − 1
            // and 0 ≤ fy ≤ h − 1 with w·h ≤ MAX_POP_LATTICE_NODES < 2³²: through u32, the
            // same indices in fewer instructions (as `numerics::floor_index`, without its run-time
            // check of the bound, which cost the spread its inlining).
            let i = (fx as u32 as usize).min(w - 2);
            let j = (fy as u32 as usize).min(h - 2);
            let reads = |(a, b): (usize, usize)| a <= i + 1 && i <= b;
            if !reads(read[j]) && !reads(read[j + 1]) {
                continue;
            }
            let (tx, ty) = (fx - i as f64, fy - j as f64);
            let wts = [
                (1.0 - tx) * (1.0 - ty),
                tx * (1.0 - ty),
                (1.0 - tx) * ty,
                tx * ty,
            ];
            let n = j * w + i;
            for row in [j, j + 1] {
                let (lo, hi) = &mut touched[row];
                if *lo > *hi {
                    m[row * w..(row + 1) * w].fill([0.0; C]);
                }
                *lo = (*lo).min(i);
                *hi = (*hi).max(i + 1);
            }
            for (c, col) in people.iter().enumerate() {
                let p = col[k];
                m[n][c] += wts[0] * p;
                m[n + 1][c] += wts[1] * p;
                m[n + w][c] += wts[2] * p;
                m[n + w + 1][c] += wts[3] * p;
            }
        }
    });
    for (key, t) in mine {
        let mut acc = [0.0f64; 4];
        let dc = (t.jx0 - c0) as usize;
        for (r, &(lo, hi)) in t.spans.iter().enumerate() {
            let row = (t.jy0 - r0) as usize + r;
            // The table's columns over the row's touched nodes, started a multiple of 4
            // columns after `lo`: each product keeps its lane in `dots`, and the products
            // left out are x·(+0) = +0 (the nodes no point reached), which would add +0 to
            // lanes that are +0 or positive: the same bits.
            let (n0, n1) = touched[row];
            let first = lo.max(n0.saturating_sub(dc));
            let lo = lo + (first - lo) / 4 * 4;
            let hi = hi.min((n1 + 1).saturating_sub(dc));
            if lo >= hi {
                continue;
            }
            let src = &t.values[r * t.width + lo..r * t.width + hi];
            let base = row * w + dc;
            for (c, s) in cols.iter().zip(dots(src, &m[base + lo..base + hi])) {
                acc[*c] += s;
            }
        }
        let (ka, kb) = model.rules.linear(t.hazard).unwrap_or((1.0, 0.0));
        out.push((
            (key, Some(a)),
            (ka * acc[0] + kb * acc[1], ka * acc[2] + kb * acc[3]),
        ));
    }
    out
}

/// [`dot`] of `a` with each column of the interleaved `b` in one pass: column c gets
/// `dot(a, b[..][c])`, the same bits.
fn dots<const C: usize>(a: &[f64], b: &[[f64; C]]) -> [f64; C] {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = [[0.0f64; 4]; C];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            for c in 0..C {
                s[c][k] += x[k] * y[k][c];
            }
        }
    }
    for (k, (x, y)) in ra.iter().zip(rb).enumerate() {
        for c in 0..C {
            s[c][k] += x * y[c];
        }
    }
    s.map(|s| (s[0] + s[1]) + (s[2] + s[3]))
}

/// Whether scenario `s` is accumulated exactly ([`ExactTerm`]): a parametric footprint or a
/// band (a step edge: resampled on a raster, its edge and its source point would smear over a
/// cell — 21 % too much IR at park-1000's highest cell) used as it is (not averaged over its
/// sector, which is a table).
fn is_exact(s: &Scenario) -> bool {
    s.spread.is_none()
        && (s.footprint.outdoor.is_parametric() || matches!(s.footprint.outdoor, Shape::Band(_)))
}

/// The installation's [`ExactTerm`]s: one per distinct parametric footprint, in the order the
/// scenarios first use it, weights summed in scenario order (fixed: the same bits for any
/// thread count).
fn exact_terms(model: &Model, scen: &[&Scenario]) -> Vec<ExactTerm> {
    let mut terms: Vec<ExactTerm> = Vec::new();
    let mut per_angle: Vec<Vec<Option<(f64, f64, f64)>>> = Vec::new();
    let mut index: FastMap<*const Footprint, usize> = Default::default();
    for s in scen.iter().filter(|s| is_exact(s)) {
        let fp = &s.footprint;
        let k = *index.entry(Arc::as_ptr(fp)).or_insert_with(|| {
            terms.push(ExactTerm {
                footprint: fp.clone(),
                radial_weight: 0.0,
                dirs: Vec::new(),
                angles: Vec::new(),
                fused: fp.indoor.is_none(),
                rect: fp.outdoor.local_rect().unwrap_or([0.0; 4]),
                hulls: Vec::new(),
                boxes: Vec::new(),
                reach: fp.outdoor.reach_m(),
                local_box: [0.0; 4],
                grouped: Vec::new(),
            });
            per_angle.push(vec![None; model.angles.len()]);
            terms.len() - 1
        });
        let w = s.frequency_per_year * model.weather_ir[s.weather];
        if fp.outdoor.is_radially_symmetric() {
            terms[k].radial_weight += w * model.sector_weight(s);
        } else {
            for sec in model.sectors_of(s) {
                let slot = &mut per_angle[k][sec.angle];
                let acc = slot.get_or_insert((sec.ux, sec.uy, 0.0));
                acc.2 += w * sec.p;
            }
        }
    }
    for (t, angles) in terms.iter_mut().zip(per_angle) {
        t.angles = (0..angles.len()).filter(|&a| angles[a].is_some()).collect();
        t.dirs = angles.into_iter().flatten().collect();
        let hull = convex_hull(t.footprint.outdoor.support_points().unwrap_or_default());
        t.local_box = if hull.len() >= 3 {
            bounding_box(&hull)
        } else {
            t.rect
        };
        (t.hulls, t.boxes) = t
            .dirs
            .iter()
            .map(|&(ux, uy, _)| {
                if hull.len() < 3 {
                    return Vec::new();
                }
                // Inverse of `local`: (dx, dy) = (lx·ux − ly·uy, lx·uy + ly·ux), a rotation
                // (keeps the counter-clockwise order).
                hull.iter()
                    .map(|&(lx, ly)| (lx * ux - ly * uy, lx * uy + ly * ux))
                    .collect()
            })
            .collect::<Vec<Vec<(f64, f64)>>>()
            .into_iter()
            .map(|h| {
                let b = (h.len() >= 3).then(|| bounding_box(&h));
                (Chains::new(&h), b)
            })
            .unzip();
    }
    terms
}

/// [x min, x max, y min, y max] of `points`.
fn bounding_box(points: &[(f64, f64)]) -> [f64; 4] {
    points.iter().fold(
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ],
        |[a, b, c, d], p| [a.min(p.0), b.max(p.0), c.min(p.1), d.max(p.1)],
    )
}

/// Grid columns i0..=i1 (of `nx`) covering the fractional column range [a, b] widened by
/// `margin` columns, or None when it misses the grid. Clamped in floating point before the
/// conversion, so huge or NaN offsets (absurd footprints) never overflow.
fn columns(a: f64, b: f64, margin: f64, nx: usize) -> Option<(usize, usize)> {
    let (a, b) = (a.floor() - margin, b.ceil() + margin);
    let last = nx.checked_sub(1)? as f64;
    if !(a <= last && b >= 0.0 && a <= b) {
        return None;
    }
    Some((a.max(0.0) as usize, b.min(last) as usize))
}

/// A convex polygon split at its (first) lowest and highest vertices into its two chains, each
/// listed with y non-decreasing, so that its chord on a row takes two binary searches instead
/// of a pass over every edge.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chains {
    up: Vec<(f64, f64)>,
    down: Vec<(f64, f64)>,
    /// Whether both chains' y are non-decreasing (the walk of [`Chains::chord_walk`] then
    /// finds the binary searches' positions; rounding could break it for a turned hull).
    sorted: bool,
}

impl Chains {
    /// The chains of the counter-clockwise convex polygon `poly` (empty for fewer than three
    /// vertices). Along a convex polygon y rises from the lowest vertex to the highest and falls
    /// back, so both chains are monotone.
    fn new(poly: &[(f64, f64)]) -> Self {
        let n = poly.len();
        if n < 3 {
            return Chains::default();
        }
        let (mut b, mut t) = (0, 0);
        for (k, p) in poly.iter().enumerate() {
            if p.1 < poly[b].1 {
                b = k;
            }
            if p.1 > poly[t].1 {
                t = k;
            }
        }
        // The vertices from `from` to `to`, counter-clockwise (wrapping past the last): two
        // slice copies, no index arithmetic per vertex.
        let walk = |from: usize, to: usize| -> Vec<(f64, f64)> {
            if from <= to {
                poly[from..=to].to_vec()
            } else {
                [&poly[from..], &poly[..=to]].concat()
            }
        };
        let up = walk(b, t);
        let mut down = walk(t, b);
        down.reverse();
        let sorted = [&up, &down]
            .iter()
            .all(|c| c.windows(2).all(|w| w[0].1 <= w[1].1));
        Chains { up, down, sorted }
    }

    /// [`Chains::chord`] for lines `dn` visited in ascending order: the binary searches'
    /// positions found by walking from the previous line's (`cur`), when the chains are
    /// sorted (else the binary searches).
    #[inline]
    fn chord_walk(&self, dn: f64, cur: &mut [usize; 4]) -> Option<(f64, f64)> {
        if !self.sorted {
            return self.chord(dn);
        }
        self.chord_by(dn, |s, c, v| {
            while cur[s] < c.len() && c[cur[s]].1 < v {
                cur[s] += 1;
            }
            cur[s]
        })
    }

    /// The chord on the line y = `dn`: (x_min, x_max), or None when the line misses the polygon.
    /// Vertices within 10⁻⁹ m of the line count, and each chain's edge crossing it strictly is
    /// interpolated: the linear scan's points (`chord`, the test reference).
    #[inline]
    fn chord(&self, dn: f64) -> Option<(f64, f64)> {
        self.chord_by(dn, |_, c, v| c.partition_point(|p| p.1 < v))
    }

    /// The chord on the line y = `dn`, with `count(s, chain, v)` the number of the chain's
    /// vertices with y < v (s = 2·chain + 0 for v = dn − 10⁻⁹, + 1 for v = dn).
    #[inline]
    fn chord_by(
        &self,
        dn: f64,
        mut count: impl FnMut(usize, &[(f64, f64)], f64) -> usize,
    ) -> Option<(f64, f64)> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (n, c) in [&self.up, &self.down].into_iter().enumerate() {
            let i = count(2 * n, c, dn - 1e-9);
            for p in c[i..].iter().take_while(|p| p.1 <= dn + 1e-9) {
                lo = lo.min(p.0);
                hi = hi.max(p.0);
            }
            let k = count(2 * n + 1, c, dn);
            if k > 0 && k < c.len() && c[k].1 > dn {
                let ((ax, ay), (bx, by)) = (c[k - 1], c[k]);
                let x = ax + (dn - ay) / (by - ay) * (bx - ax);
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        (lo <= hi).then_some((lo, hi))
    }
}

/// The chord of the convex polygon `poly` on the line y = `dn`: (x_min, x_max), or None when the
/// line misses it (vertices on the line within 10⁻⁹ m count as crossings) — by a pass over every
/// edge, the reference of [`Chains::chord`].
#[cfg(test)]
fn chord(poly: &[(f64, f64)], dn: f64) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    // Edges (a, b) from the closing one on (no index modulo: a division per vertex).
    let mut a = *poly.last()?;
    for &b in poly {
        let ((ax, ay), (bx, by)) = (std::mem::replace(&mut a, b), b);
        if (ay - dn).abs() <= 1e-9 {
            lo = lo.min(ax);
            hi = hi.max(ax);
        }
        if (ay - dn) * (by - dn) < 0.0 {
            let x = ax + (dn - ay) / (by - ay) * (bx - ax);
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// Scratch space of one grid band, reused for every installation [`accumulate`]s into it:
/// allocated and zeroed once per band, not once per (band, installation).
pub(crate) struct BandScratch {
    /// One grid row (nx), all zeros on entry to and exit from [`accumulate`].
    tmp: Vec<f64>,
    /// Per cell of a row, a plume group's local coordinates and geometry (written before read).
    geo: Vec<(f64, f64, PlumeGeometry)>,
    /// A plume group's members' column spans on one row.
    spans: Vec<(usize, usize, usize, usize)>,
    /// The fused terms' societal sums by slot, all (0, 0) on entry and exit; `touched` lists
    /// the slots that became non-zero.
    slots: SlotSums,
}

/// Societal sums by slot, with the list of the slots that are non-zero (their sums only grow:
/// people and lethalities are ≥ 0), so that reading and clearing them costs what was touched.
#[derive(Default)]
struct SlotSums {
    sums: Vec<(f64, f64)>,
    touched: Vec<usize>,
}

impl SlotSums {
    /// Stores `acc` as slot `k`'s sums (which were `sums[k]`), noting the slot if it just
    /// became non-zero.
    #[inline]
    fn store(&mut self, k: usize, acc: (f64, f64)) {
        let was = self.sums[k];
        if was == (0.0, 0.0) && acc != (0.0, 0.0) {
            self.touched.push(k);
        }
        self.sums[k] = acc;
    }
}

impl BandScratch {
    /// Scratch for a grid `nx` cells wide.
    pub(crate) fn new(nx: usize) -> Self {
        BandScratch {
            tmp: vec![0.0; nx],
            geo: Vec::new(),
            spans: Vec::new(),
            slots: SlotSums::default(),
        }
    }
}

/// Adds installation `m`'s IR into rows `j0..j0+rows` of the grid band `band` (row-major, nx wide).
///
/// Each cell's contribution of the installation, c = radial + Σ_directions raster (in that fixed
/// order), is formed in the scratch row (nx long, all zeros on entry and on exit) and added
/// to the cell once: cell += c. The grid is therefore the left fold, in installation order, of the
/// per-installation contributions, which is what lets [`combine`] reproduce a local run bit for
/// bit from per-installation partial grids.
///
/// With `soc` (the population on the grid and this band's sums), the fused exact terms also add
/// n_out·P_out + n_in·P_in of each populated cell they cover to their (direction's) slot, rows
/// ascending and cells west to east — P the lethality just computed for the cell — and the
/// non-zero slots are appended to the band's sums, in ascending slot order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn accumulate(
    m: &Merged,
    band: &mut [f64],
    scratch: &mut BandScratch,
    j0: usize,
    nx: usize,
    xs: &[f64],
    ys: &[f64],
    res: f64,
    mut soc: Option<(&GridPopulation, &mut BandSums)>,
) {
    // A band no row of which is within the installation's reach adds nothing (and needs no
    // scratch: most bands of a large grid, for most installations).
    let reach = m.reach();
    let rows = band.len() / nx;
    if !ys[j0..j0 + rows].iter().any(|&y| (y - m.y).abs() <= reach) {
        return;
    }
    if soc.is_some() {
        let n = *m.slots.last().unwrap_or(&0);
        if scratch.slots.sums.len() < n {
            scratch.slots.sums.resize(n, (0.0, 0.0));
        }
    }
    accumulate_rows(
        m,
        band,
        scratch,
        j0,
        nx,
        xs,
        ys,
        res,
        soc.as_ref().map(|s| s.0),
    );
    let slots = &mut scratch.slots;
    slots.touched.sort_unstable();
    if let Some((_, out)) = soc.as_mut() {
        for &k in &slots.touched {
            let (d, n) = slots.sums[k];
            out.push((k, d, n));
        }
    }
    for &k in &slots.touched {
        slots.sums[k] = (0.0, 0.0);
    }
    slots.touched.clear();
}

/// The societal rule of one hazard ([`crate::vulnerability::VulnerabilityRules::societal`]),
/// resolved once per term rather than matched at every cell: its factors (a, b) where the rule is
/// linear in P ([`crate::vulnerability::VulnerabilityRules::linear`]; a is 1 and b is 1, 0.1 or
/// 0, so a·P and b·P are the rule's own values, bit for bit, for a finite P ≥ 0), else the rule
/// itself.
#[derive(Clone, Copy)]
struct PeopleRule {
    linear: Option<(f64, f64)>,
    hazard: Hazard,
}

impl PeopleRule {
    fn new(pop: &GridPopulation, hazard: Hazard) -> Self {
        PeopleRule {
            linear: pop.rules.linear(hazard),
            hazard,
        }
    }
}

/// Adds n_out·P_out + n_in·P_in of population point `k` (or nothing for [`NO_POINT`]) with
/// outdoor lethality `p` to `acc` (N_day, N_night), as the societal pass does.
#[inline]
fn add_people(pop: &GridPopulation, rule: PeopleRule, k: u32, p: f64, acc: &mut (f64, f64)) {
    if k == NO_POINT {
        return;
    }
    let k = k as usize;
    let [od, id, on, inn] = pop.people;
    let (o, n) = match rule.linear {
        Some((a, b)) => (a * p, b * p),
        None => pop.rules.societal(rule.hazard, p),
    };
    if pop.indoor {
        acc.0 += od[k] * o + id[k] * n;
        acc.1 += on[k] * o + inn[k] * n;
    } else {
        // No indoor columns ([`GridPopulation::indoor`]): id[k]·n would be +0 (n finite,
        // ≥ 0), and x + (+0) = x for x ≥ 0: the same bits.
        acc.0 += od[k] * o;
        acc.1 += on[k] * o;
    }
}

/// [`accumulate`]'s rows; the scratch's slots hold the fused terms' societal sums when `pop`
/// is given.
#[allow(clippy::too_many_arguments)]
fn accumulate_rows(
    m: &Merged,
    band: &mut [f64],
    scratch: &mut BandScratch,
    j0: usize,
    nx: usize,
    xs: &[f64],
    ys: &[f64],
    res: f64,
    pop: Option<&GridPopulation>,
) {
    let BandScratch {
        tmp,
        geo,
        spans,
        slots: slot_sums,
    } = scratch;
    let reach = m.reach();
    let rows = band.len() / nx;
    let x0 = xs[0];
    let col = |e: f64| -> f64 { (e - x0) / res };
    // Per-cell local coordinates and plume geometry of one plume group, and its members' columns.
    if !m.plume_groups.is_empty() && geo.len() < nx {
        geo.resize(nx, (0.0, 0.0, PlumeGeometry::default()));
    }
    let (tmp, geo) = (tmp.as_mut_slice(), geo.as_mut_slice());
    for r in 0..rows {
        let yv = ys[j0 + r];
        let dn = yv - m.y;
        if dn.abs() > reach {
            continue;
        }
        let (mut lo_i, mut hi_i) = (usize::MAX, 0usize);
        if let Some(rad) = &m.radial {
            let half = (rad.reach * rad.reach - dn * dn).max(0.0).sqrt();
            if let Some((i0, i1)) = columns(col(m.x - half), col(m.x + half), 0.0, nx) {
                let dn2 = dn * dn;
                for i in i0..=i1 {
                    let de = xs[i] - m.x;
                    tmp[i] += rad.at(de * de + dn2);
                }
                lo_i = lo_i.min(i0);
                hi_i = hi_i.max(i1);
            }
        }
        if let Some(d) = &m.dir {
            for rs in &d.rasters {
                let Some((lo, hi)) = d.row_span(rs, dn) else {
                    continue;
                };
                let Some((i0, i1)) = columns(col(m.x + lo), col(m.x + hi), 1.0, nx) else {
                    continue;
                };
                // Local raster coordinates advance by (ux, −uy) per column (res·inv_res = 1);
                // computed as start + k·step (no accumulated drift, same bits in every band).
                let de0 = xs[i0] - m.x;
                let (lx0, ly0) = local(de0, dn, rs.ux, rs.uy);
                let fx0 = lx0 * d.inv_res - d.ix0 as f64;
                let fy0 = ly0 * d.inv_res - d.iy0 as f64;
                let (sx, sy) = (rs.ux * res * d.inv_res, -rs.uy * res * d.inv_res);
                for (k, out) in tmp[i0..=i1].iter_mut().enumerate() {
                    let kf = k as f64;
                    *out += d.at_raster(rs, fx0 + kf * sx, fy0 + kf * sy);
                }
                lo_i = lo_i.min(i0);
                hi_i = hi_i.max(i1);
            }
        }
        // This row's exact work, in order: plume groups' members (by group), then terms.
        let j = j0 + r;
        let (items, cols) = m.rows.row(j);
        let mut p = 0;
        while p < items.len() {
            let (ti, k) = match items[p] {
                RowItem::Term(ti, k) => (ti, k),
                RowItem::Member(g, _) => {
                    let run = items[p..]
                        .iter()
                        .take_while(|it| matches!(it, RowItem::Member(h, _) if *h == g))
                        .count();
                    let g = &m.plume_groups[g as usize];
                    // The members' columns on this row, and their union.
                    spans.clear();
                    let (mut g0, mut g1) = (usize::MAX, 0usize);
                    for (it, &(a, b)) in items[p..p + run].iter().zip(&cols[p..p + run]) {
                        let RowItem::Member(_, e) = *it else {
                            continue;
                        };
                        let (ti, k) = g.members[e as usize];
                        if a <= b {
                            let (i0, i1) = (a as usize, b as usize);
                            g0 = g0.min(i0);
                            g1 = g1.max(i1);
                            spans.push((ti, k, i0, i1));
                        }
                    }
                    p += run;
                    if g0 > g1 {
                        continue;
                    }
                    for i in g0..=g1 {
                        let (lx, ly) = local(xs[i] - m.x, dn, g.ux, g.uy);
                        let pg = if lx > 0.0 {
                            PlumeGeometry::at(lx, ly, g.stability)
                        } else {
                            PlumeGeometry::default()
                        };
                        geo[i] = (lx, ly, pg);
                    }
                    for &(ti, k, i0, i1) in spans.iter() {
                        let t = &m.exact[ti];
                        let Shape::GaussianPlume(plume) = &t.footprint.outdoor else {
                            continue;
                        };
                        let leth = |&(lx, ly, pg): &(f64, f64, PlumeGeometry)| -> f64 {
                            if plume.covers(lx, ly) {
                                plume.at_geometry(&pg)
                            } else {
                                0.0
                            }
                        };
                        let w = t.dirs[k].2;
                        match pop.filter(|_| t.fused) {
                            None => {
                                for (out, c) in tmp[i0..=i1].iter_mut().zip(&geo[i0..=i1]) {
                                    *out += w * leth(c);
                                }
                            }
                            Some(p) => {
                                let row = &p.point[j * nx + i0..=j * nx + i1];
                                let slot = m.slots[ti] + k;
                                let mut acc = slot_sums.sums[slot];
                                let rule = PeopleRule::new(p, t.footprint.hazard);
                                let cells = tmp[i0..=i1].iter_mut().zip(&geo[i0..=i1]).zip(row);
                                // A zero adds +0 to sums that are +0 or positive: skipped, the
                                // same bits (a quarter of the members' cells at park-1000 lie
                                // outside their P_MIN contour).
                                match (rule.linear, p.indoor) {
                                    // Everyone outdoors and a linear rule (a toxic plume's
                                    // usual case): `add_people` with its branches resolved
                                    // once for the span, the same operations.
                                    (Some((a, _)), false) => {
                                        let [od, _, on, _] = p.people;
                                        for ((out, c), &pt) in cells {
                                            let l = leth(c);
                                            if l > 0.0 {
                                                *out += w * l;
                                                if pt != NO_POINT {
                                                    let k = pt as usize;
                                                    let o = a * l;
                                                    acc.0 += od[k] * o;
                                                    acc.1 += on[k] * o;
                                                }
                                            }
                                        }
                                    }
                                    _ => {
                                        for ((out, c), &pt) in cells {
                                            let l = leth(c);
                                            if l > 0.0 {
                                                *out += w * l;
                                                add_people(p, rule, pt, l, &mut acc);
                                            }
                                        }
                                    }
                                }
                                slot_sums.store(slot, acc);
                            }
                        }
                    }
                    lo_i = lo_i.min(g0);
                    hi_i = hi_i.max(g1);
                    continue;
                }
            };
            p += 1;
            let ti = ti as usize;
            let t = &m.exact[ti];
            let shape = &t.footprint.outdoor;
            if dn.abs() > t.reach {
                continue;
            }
            // The population row of the fused terms.
            let prow = pop
                .filter(|_| t.fused)
                .map(|p| (p, &p.point[j * nx..(j + 1) * nx]));
            let hazard = t.footprint.hazard;
            let slot0 = m.slots[ti];
            if t.dirs.is_empty() {
                let half = (t.reach * t.reach - dn * dn).max(0.0).sqrt();
                let Some((i0, i1)) = columns(col(m.x - half), col(m.x + half), 0.0, nx) else {
                    continue;
                };
                with_lethality!(shape, |leth| match prow {
                    None => {
                        for (out, &x) in tmp[i0..=i1].iter_mut().zip(&xs[i0..=i1]) {
                            *out += t.radial_weight * leth(x - m.x, dn);
                        }
                    }
                    Some((p, row)) => {
                        let mut acc = slot_sums.sums[slot0];
                        let rule = PeopleRule::new(p, hazard);
                        for i in i0..=i1 {
                            let l = leth(xs[i] - m.x, dn);
                            tmp[i] += t.radial_weight * l;
                            add_people(p, rule, row[i], l, &mut acc);
                        }
                        slot_sums.store(slot0, acc);
                    }
                });
                lo_i = lo_i.min(i0);
                hi_i = hi_i.max(i1);
                continue;
            }
            let k = k as usize;
            let (ux, uy, w) = t.dirs[k];
            let (a, b) = cols[p - 1];
            if a > b {
                continue;
            }
            let (i0, i1) = (a as usize, b as usize);
            with_lethality!(shape, |leth| match prow {
                None => {
                    for (out, &x) in tmp[i0..=i1].iter_mut().zip(&xs[i0..=i1]) {
                        let (lx, ly) = local(x - m.x, dn, ux, uy);
                        *out += w * leth(lx, ly);
                    }
                }
                Some((p, row)) => {
                    let mut acc = slot_sums.sums[slot0 + k];
                    let rule = PeopleRule::new(p, hazard);
                    for i in i0..=i1 {
                        let (lx, ly) = local(xs[i] - m.x, dn, ux, uy);
                        let l = leth(lx, ly);
                        tmp[i] += w * l;
                        add_people(p, rule, row[i], l, &mut acc);
                    }
                    slot_sums.store(slot0 + k, acc);
                }
            });
            lo_i = lo_i.min(i0);
            hi_i = hi_i.max(i1);
        }
        if lo_i <= hi_i {
            let row = &mut band[r * nx..(r + 1) * nx];
            for (o, t) in row[lo_i..=hi_i].iter_mut().zip(&mut tmp[lo_i..=hi_i]) {
                *o += *t;
                *t = 0.0;
            }
        }
    }
}

/// Memory, bytes, that merging the scenarios `scen` of one installation on a grid of spacing
/// `res` takes ([`merge_installation`]: the direction rasters, the radial table, the exact
/// terms, the grid-row index and the population lattice of the raster sums), estimated from
/// their extents; the run groups installations into batches under [`MERGE_BUDGET_BYTES`] with
/// it.
pub(crate) fn estimate_bytes(model: &Model, scen: &[&Scenario], res: f64) -> usize {
    let mut ext = 0.0f64;
    let mut radial = 0.0f64;
    let mut angles = 0usize;
    // Entries of the grid-row index ([`RowIndex`]): one per exact direction and grid row its
    // turned rectangle (at most its diagonal) or reach circle spans.
    let mut row_items = 0.0f64;
    // Lattice nodes under the raster footprints (their population lattice, [`lattice_sums`]).
    let mut ext_rasters = 0.0f64;
    for s in scen {
        // A sector average's table may not be built yet (and building it here would keep it):
        // its rectangle and summability estimated from the footprint ([`SpreadSlot`]).
        let (rect, summable) = match &s.spread {
            Some(sp) => (
                sp.estimated_rect(),
                sp.estimated_societal_from_outdoor(model.rules),
            ),
            None => (s.local_rect(), lattice_summable(model, s)),
        };
        match rect {
            Some([x0, x1, y0, y1]) => {
                ext = ext.max(((x1 - x0) / res + 2.0) * ((y1 - y0) / res + 2.0));
                if summable {
                    ext_rasters =
                        ext_rasters.max(((x1 - x0) / res + 4.0) * ((y1 - y0) / res + 4.0));
                }
                angles = angles.max(model.sectors_of(s).len());
                if is_exact(s) {
                    let diagonal = (x1 - x0).hypot(y1 - y0);
                    row_items += model.sectors_of(s).len() as f64 * (diagonal / res + 3.0);
                }
            }
            None => {
                let reach = s.footprint.outdoor.reach_m();
                radial = radial.max(reach);
                if is_exact(s) {
                    row_items += 2.0 * reach / res + 3.0;
                }
            }
        }
    }
    let a = model.angles.len().min(angles.max(1) * 4) as f64;
    // The merged tables are bounded (see merge_installation); so is the estimate.
    // With the population spread onto one direction's lattice ([`lattice_sums`], 4 per node).
    let nodes = (ext * a).min(MAX_DIR_NODES)
        + 4.0 * ext_rasters.min(MAX_POP_LATTICE_NODES as f64)
        + (radial / res * 8.0).min(MAX_RADIAL_NODES)
        + scen.len() as f64;
    let entry = std::mem::size_of::<RowItem>() + std::mem::size_of::<(u32, u32)>();
    (8.0 * nodes + entry as f64 * row_items) as usize
}

/// One exact term's lethality on the profile's polar samples, for one rotation of the rays: the
/// values at relative bearing m·Δ − `offset` (Δ = 360°/n, m = 0..n) from the term's direction and
/// distance i·step, kept per bearing as its non-zero run of samples.
struct PolarTable {
    /// Per relative bearing m: (first sample i0, start in `values`, length).
    runs: Vec<(usize, usize, usize)>,
    values: Vec<f64>,
}

impl PolarTable {
    /// The lethality of `shape` at the samples i·`step` (i < `n_samples`) on the rays at
    /// relative bearings m·Δ − `offset`, zero outside the local box `bbox` (the footprint is 0
    /// there: its support hull's box, or its local rectangle).
    fn new(
        shape: &Shape,
        bbox: [f64; 4],
        nrays: usize,
        offset: f64,
        step: f64,
        n_samples: usize,
    ) -> Self {
        let [x0, x1, y0, y1] = bbox;
        let mut runs = Vec::with_capacity(nrays);
        let mut values = Vec::new();
        let mut ray = Vec::with_capacity(n_samples);
        for m in 0..nrays {
            let rel = std::f64::consts::TAU * m as f64 / nrays as f64 - offset;
            let (s, c) = rel.sin_cos();
            ray.clear();
            ray.extend((0..n_samples).map(|i| {
                let d = i as f64 * step;
                // Local frame: x along the direction, y to its left (`local`).
                let (lx, ly) = (d * c, -d * s);
                if lx < x0 - 1e-9 || lx > x1 + 1e-9 || ly < y0 - 1e-9 || ly > y1 + 1e-9 {
                    0.0
                } else {
                    shape.lethality(lx, ly)
                }
            }));
            let first = ray.iter().position(|&v| v != 0.0);
            let last = ray.iter().rposition(|&v| v != 0.0);
            match (first, last) {
                (Some(a), Some(b)) => {
                    runs.push((a, values.len(), b + 1 - a));
                    values.extend_from_slice(&ray[a..=b]);
                }
                _ => runs.push((0, values.len(), 0)),
            }
        }
        PolarTable { runs, values }
    }

    /// The non-zero run on relative bearing `m`: (its first sample, its values).
    fn run(&self, m: usize) -> (usize, &[f64]) {
        let (i0, start, len) = self.runs[m];
        (i0, &self.values[start..start + len])
    }
}

/// An exact term's contribution to the profile: radially symmetric (its weighted lethality per
/// sample, the same on every ray), or per direction (weight, ray shift, table) with the tables
/// shared by the directions whose bearings differ by whole ray spacings.
enum ProfileTerm {
    Radial(Vec<f64>),
    Directional {
        dirs: Vec<(f64, usize, usize)>,
        tables: Vec<PolarTable>,
    },
}

impl ProfileTerm {
    /// The profile term of `t` on `nrays` rays of samples i·`step` (i < `n_samples`; those
    /// beyond the term's reach are left out: the term is 0 there).
    fn new(t: &ExactTerm, nrays: usize, step: f64, n_samples: usize) -> Self {
        let shape = &t.footprint.outdoor;
        let within = |i: usize| {
            let d = i as f64 * step;
            d * d <= t.reach * t.reach
        };
        let n = (0..n_samples).take_while(|&i| within(i)).count();
        if t.dirs.is_empty() {
            return ProfileTerm::Radial(
                (0..n)
                    .map(|i| t.radial_weight * shape.lethality(i as f64 * step, 0.0))
                    .collect(),
            );
        }
        let bbox = t.local_box;
        let spacing = std::f64::consts::TAU / nrays as f64;
        let mut offsets: Vec<u64> = Vec::new();
        let mut tables = Vec::new();
        let dirs = t
            .dirs
            .iter()
            .map(|&(ux, uy, w)| {
                // Bearing of the direction (clockwise from north, as the rays'), in spacings.
                let b = ux.atan2(uy).rem_euclid(std::f64::consts::TAU) / spacing;
                let whole = b.round();
                let (shift, offset) = if (b - whole).abs() < 1e-9 {
                    (whole, 0.0)
                } else {
                    (b.floor(), (b - b.floor()) * spacing)
                };
                let key = offset.to_bits();
                let table = offsets.iter().position(|&o| o == key).unwrap_or_else(|| {
                    offsets.push(key);
                    tables.push(PolarTable::new(shape, bbox, nrays, offset, step, n));
                    tables.len() - 1
                });
                (w, (shift as usize) % nrays, table)
            })
            .collect();
        ProfileTerm::Directional { dirs, tables }
    }
}

/// The installation's own IR along `nrays` rays from it (ray k at 360·k/n degrees clockwise
/// from north), at the grid resolution coarsened to at most 256 samples per ray: the merged
/// tables' value ([`Merged::tables_at`]), plus each exact term's, taken from its lethality on
/// the polar samples ([`PolarTable`]; a direction of the term on ray k reads the table at k −
/// its shift, so a term's lethality is evaluated once for all its directions aligned with the
/// rays instead of once per direction). The same terms in the same order as the pointwise IR
/// (`Merged::at`, kept for the tests); the exact terms' local coordinates are formed from the
/// relative bearing instead of by rotating the world offset, so the values agree with it to
/// rounding.
pub(crate) fn profile(m: &Merged, id: &str, nrays: usize, res: f64) -> InstallationProfile {
    let reach = m.reach();
    // Step: the grid resolution, coarsened so that a ray has at most 256 samples.
    let res = res.max(reach / 256.0);
    let steps = (reach / res).ceil() as usize + 2;
    let terms: Vec<ProfileTerm> = m
        .exact
        .par_iter()
        .map(|t| ProfileTerm::new(t, nrays, res, steps))
        .collect();
    // Rays in parallel (each is computed alone; collected in order).
    let rays = (0..nrays)
        .into_par_iter()
        .map(|k| {
            let a = (360.0 * k as f64 / nrays as f64).to_radians();
            let (sx, sy) = (a.sin(), a.cos());
            let mut ray: Vec<f64> = (0..steps)
                .map(|i| {
                    let d = i as f64 * res;
                    m.tables_at(d * sx, d * sy)
                })
                .collect();
            let mut sum = vec![0.0; steps];
            for term in &terms {
                match term {
                    ProfileTerm::Radial(v) => {
                        for (r, &x) in ray.iter_mut().zip(v) {
                            *r += x;
                        }
                    }
                    ProfileTerm::Directional { dirs, tables } => {
                        // The term's sum over its directions, on the union [lo, hi) of its
                        // runs on this ray (zeroed as the union grows).
                        let (mut lo, mut hi) = (0, 0);
                        for &(w, shift, t) in dirs {
                            let (a, v) = tables[t].run((k + nrays - shift) % nrays);
                            if v.is_empty() {
                                continue;
                            }
                            let b = a + v.len();
                            if lo == hi {
                                (lo, hi) = (a, a);
                            }
                            if a < lo {
                                sum[a..lo].fill(0.0);
                                lo = a;
                            }
                            if b > hi {
                                sum[hi..b].fill(0.0);
                                hi = b;
                            }
                            for (s, &x) in sum[a..b].iter_mut().zip(v) {
                                *s += w * x;
                            }
                        }
                        if lo < hi {
                            for (r, &s) in ray[lo..hi].iter_mut().zip(&sum[lo..hi]) {
                                *r += s;
                            }
                        }
                    }
                }
            }
            ray
        })
        .collect();
    InstallationProfile {
        id: id.to_string(),
        x_m: m.x,
        y_m: m.y,
        step_m: res,
        rays,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::scenario::ScenarioSet;
    use crate::risk::study::Study;
    use proptest::prelude::*;

    /// Plumes of one installation under the same stability class and wind direction form one
    /// plume group per (class, direction), whatever their rates, speeds and probits; a plume
    /// alone in its class forms none. Counted by hand: 3 class-D footprints and 1 class-F one
    /// (the first plume's own in the second weather), a 12-sector rose with every sector blowing,
    /// each outcome at its sector's centre → 12 D groups of 3 members, no F group.
    #[test]
    fn plumes_of_one_class_and_direction_form_groups() {
        // With `f`, the plume has its own class-F footprint in the second weather; without, its
        // class-D footprint applies in both weathers (one footprint: one exact term).
        let plume = |rate: f64, u: f64, a: f64, f: bool| {
            let spec = |stab: &str, u: f64| {
                format!(
                    "{{ type = \"gaussian-plume\", rate_kg_s = {rate:?}, wind_speed_m_s = {u:?}, \
                     stability = \"{stab}\", probit_a = {a:?}, probit_b = 0.5, probit_n = 2.75, \
                     exposure_s = 600.0 }}"
                )
            };
            let by_weather = if f {
                format!(", by_weather = {{ \"F1.5\" = {} }}", spec("F", 1.5))
            } else {
                String::new()
            };
            format!(
                "[[events]]\nid = \"e{rate}\"\ninstallation = \"A\"\nfrequency_per_year = 1e-5\n\
                 [[events.outcomes]]\nspec = {{ kind = \"analytic\", hazard = \"toxic\", \
                 footprint = {}{by_weather} }}\n",
                spec("D", u)
            )
        };
        let rose = "[0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1]";
        let text = format!(
            "schema = \"qra-study/1\"\n\
             [meteorology]\nsector_spreading = \"centre\"\nweather = [\
             {{ stability = \"D\", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = {rose} }}, \
             {{ stability = \"F\", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = {rose} }}]\n\
             [[installations]]\nid = \"A\"\nx_m = 0.0\ny_m = 0.0\nsubstance = \"chlorine\"\n\
             inventory_kg = 1000.0\n{}{}{}\
             [grid]\nx_min_m = -300.0\nx_max_m = 300.0\ny_min_m = -300.0\ny_max_m = 300.0\n\
             resolution_m = 10.0\n",
            plume(2.0, 5.0, -6.35, true),
            plume(7.5, 3.0, -8.29, false),
            plume(0.5, 4.0, -5.0, false),
        );
        let study = Study::from_toml_str(&text, "groups").unwrap_or_else(|e| panic!("{e}\n{text}"));
        let set = ScenarioSet::from_study(&study).unwrap();
        let model = Model::new(&set).unwrap();
        let scen: Vec<&Scenario> = model.scenarios.iter().collect();
        let xs: Vec<f64> = (0..61).map(|i| -300.0 + 10.0 * i as f64).collect();
        let m = merge_for_grid(&model, 0, &scen, &xs, &xs, 10.0, None);
        let sizes: Vec<usize> = m.plume_groups.iter().map(|g| g.members.len()).collect();
        assert_eq!(sizes, vec![3; 12], "{sizes:?}");
        assert!(m.plume_groups.iter().all(|g| g.stability == Stability::D));
        // Each member is a plume direction of its group's direction, marked as grouped.
        for g in &m.plume_groups {
            for &(ti, k) in &g.members {
                let t = &m.exact[ti];
                assert!(t.grouped[k]);
                assert_eq!((t.dirs[k].0, t.dirs[k].1), (g.ux, g.uy));
            }
        }
    }

    /// The sector averages sampled on an installation's lattice read the nodes' polar angles
    /// formed once for all of them ([`LatticeAngles`]): the same samples, bit for bit, as each
    /// table forming its own (`SectorAverage::at_near`). The analytic demo under its default
    /// (uniform) sector spreading; fails if a shared angle is not the table's own (a row or
    /// column off, the arguments of atan2 swapped).
    #[test]
    fn shared_lattice_angles_give_each_tables_own_samples() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/analytic_demo.toml");
        let study = Study::from_file(&path).expect("analytic demo");
        let set = ScenarioSet::from_study(&study).unwrap();
        let model = Model::new(&set).unwrap();
        let res = 10.0;
        let (mut shared, mut nonzero) = (0, 0);
        for inst in 0..model.installations.len() {
            let tables: Vec<(&Scenario, [i64; 4])> = model
                .scenarios
                .iter()
                .filter(|s| s.installation == inst && s.spread.is_some())
                .filter_map(|s| {
                    let [x0, x1, y0, y1] = s.local_rect()?;
                    let rect = [
                        (x0 / res).ceil() as i64,
                        (x1 / res).floor() as i64,
                        (y0 / res).ceil() as i64,
                        (y1 / res).floor() as i64,
                    ];
                    (rect[0] <= rect[1] && rect[2] <= rect[3]).then_some((s, rect))
                })
                .collect();
            let Some(angles) = LatticeAngles::new(&tables, res) else {
                continue;
            };
            for &(s, rect) in &tables {
                let own = sample_table(s, rect, res, [0, 0], None);
                let with = sample_table(s, rect, res, [0, 0], Some(&angles));
                assert_eq!(own.spans, with.spans);
                assert_eq!(own.values.len(), with.values.len());
                for (a, b) in own.values.iter().zip(&with.values) {
                    assert_eq!(a.to_bits(), b.to_bits());
                }
                shared += 1;
                nonzero += own.values.iter().filter(|v| **v > 0.0).count();
            }
        }
        assert!(
            shared >= 10 && nonzero > 1000,
            "{shared} tables, {nonzero} samples"
        );
    }

    /// The profile (polar tables shared by a term's directions) equals the installation's IR
    /// evaluated pointwise ([`Merged::at`]: the world offset rotated into each direction's frame)
    /// at every sample of every ray, to rounding: plumes, an ellipse, a jet fire with its lethal
    /// envelope (directional), a pool fire and a blast (radial), under two weathers — one rose
    /// on the rays' bearings, one turned by 7.5° (directions between rays) — for 72 rays and for
    /// 7 (no direction on a ray's bearing: one table per direction).
    #[test]
    fn profile_equals_the_pointwise_ir_on_every_ray() {
        let outcome = |fp: &str| {
            format!(
                "[[events.outcomes]]\nspec = {{ kind = \"analytic\", hazard = \"generic\", \
                 footprint = {fp} }}\n"
            )
        };
        let plume = "{ type = \"gaussian-plume\", rate_kg_s = 3.3, wind_speed_m_s = 2.7, \
                     stability = \"D\", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, \
                     exposure_s = 600.0 }";
        let ellipse = "{ type = \"ellipse\", centre_x_m = 61.3, semi_axis_x_m = 61.3, \
                       semi_axis_y_m = 17.9, p = 1.0 }";
        let jet = "{ type = \"point-source-fire\", source_x_m = 13.1, \
                   radiated_power_w = 4.1e7, transmissivity = 0.8, exposure_s = 20.0, \
                   probit = \"eisenberg\", lethal_radius_m = 0.0, lethal_envelope = \
                   { x_min_m = 0.0, x_max_m = 26.2, half_width_m = 4.3 } }";
        let pool = "{ type = \"point-source-fire\", source_x_m = 0.0, radiated_power_w = 9.7e7, \
                    transmissivity = 0.8, exposure_s = 20.0, probit = \"eisenberg\", \
                    lethal_radius_m = 7.7 }";
        let blast = "{ type = \"tnt-blast\", probit = \"eisenberg\", tnt_mass_kg = 230.0 }";
        let events: String = [plume, ellipse, jet, pool, blast]
            .iter()
            .enumerate()
            .map(|(i, fp)| {
                format!(
                    "[[events]]\nid = \"e{i}\"\ninstallation = \"A\"\n\
                     frequency_per_year = 1e-5\n{}",
                    outcome(fp)
                )
            })
            .collect();
        let rose = "[0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.2, 0.05, 0.05, 0.1, 0.1, 0.1]";
        let text = format!(
            "schema = \"qra-study/1\"\n\
             [meteorology]\nsector_spreading = \"centre\"\nweather = [\
             {{ stability = \"D\", wind_speed_m_s = 5.0, probability = 0.6, wind_rose = {rose} }}, \
             {{ stability = \"F\", wind_speed_m_s = 1.5, probability = 0.4, wind_rose = {rose}, \
             wind_rose_offset_deg = 7.5 }}]\n\
             [[installations]]\nid = \"A\"\nx_m = 0.0\ny_m = 0.0\nsubstance = \"propane\"\n\
             inventory_kg = 1000.0\n{events}\
             [grid]\nx_min_m = -300.0\nx_max_m = 300.0\ny_min_m = -300.0\ny_max_m = 300.0\n\
             resolution_m = 10.0\n"
        );
        let study =
            Study::from_toml_str(&text, "profile").unwrap_or_else(|e| panic!("{e}\n{text}"));
        let set = ScenarioSet::from_study(&study).unwrap();
        let model = Model::new(&set).unwrap();
        let scen: Vec<&Scenario> = model.scenarios.iter().collect();
        let xs: Vec<f64> = (0..61).map(|i| -300.0 + 10.0 * i as f64).collect();
        let m = merge_for_grid(&model, 0, &scen, &xs, &xs, 10.0, None);
        assert!(m.exact.iter().any(|t| t.dirs.is_empty()));
        assert!(m.exact.iter().filter(|t| !t.dirs.is_empty()).count() >= 3);
        for nrays in [72, 7] {
            let p = profile(&m, "A", nrays, 10.0);
            assert_eq!(p.rays.len(), nrays);
            let mut nonzero = 0;
            for (k, ray) in p.rays.iter().enumerate() {
                let a = (360.0 * k as f64 / nrays as f64).to_radians();
                let exact: Vec<f64> = (0..ray.len())
                    .map(|i| {
                        let d = i as f64 * p.step_m;
                        m.at(d * a.sin(), d * a.cos())
                    })
                    .collect();
                let scale = exact.iter().fold(0.0f64, |a, &b| a.max(b));
                for (i, (&got, &want)) in ray.iter().zip(&exact).enumerate() {
                    assert!(
                        (got - want).abs() <= 1e-10 * scale,
                        "{nrays} rays, ray {k}, sample {i}: {got:e} against {want:e}"
                    );
                    nonzero += usize::from(want > 0.0);
                }
            }
            assert!(nonzero > 10 * nrays, "{nonzero}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// The interleaved columns' dot products are each column's own [`dot`], bit for bit
        /// (the lattice sums kept their bits when their columns were interleaved).
        #[test]
        fn interleaved_dots_are_each_columns_dot(
            a in proptest::collection::vec(-1e3f64..1e3, 0..23),
            b in proptest::collection::vec([-1e3f64..1e3, -1e3f64..1e3, -1e3f64..1e3], 0..23),
        ) {
            let got = dots(&a, &b);
            for (c, g) in got.iter().enumerate() {
                let col: Vec<f64> = b.iter().map(|v| v[c]).collect();
                prop_assert_eq!(g.to_bits(), dot(&a, &col).to_bits(), "column {}", c);
            }
        }

        /// Every point of a convex polygon (a random convex combination of its vertices) lies
        /// on its row's chord, and a row above or below the polygon has none.
        #[test]
        fn chord_contains_every_point_of_the_polygon(
            pts in proptest::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 3..12),
            weights in proptest::collection::vec(0.0f64..1.0, 12),
        ) {
            let hull = convex_hull(pts);
            prop_assume!(hull.len() >= 3);
            let total: f64 = weights[..hull.len()].iter().sum();
            prop_assume!(total > 0.0);
            let (mut x, mut y) = (0.0, 0.0);
            for (w, p) in weights.iter().zip(&hull) {
                x += w / total * p.0;
                y += w / total * p.1;
            }
            let (lo, hi) = chord(&hull, y).expect("a row through an inner point has a chord");
            prop_assert!(lo - 1e-9 <= x && x <= hi + 1e-9, "{x} not in [{lo}, {hi}]");
            let top = hull.iter().map(|p| p.1).fold(f64::MIN, f64::max);
            prop_assert!(chord(&hull, top + 1e-6).is_none());
        }

        /// The chains' chord (binary searches) is the edge scan's, on random rows and on rows
        /// through the vertices, turned or not (flat tops and bottoms).
        #[test]
        fn chains_chord_is_the_edge_scan(
            pts in proptest::collection::vec((-50.0f64..50.0, -50.0f64..50.0), 3..30),
            rows in proptest::collection::vec(-60.0f64..60.0, 8),
            turn in 0usize..4,
        ) {
            let (ux, uy) = [(1.0, 0.0), (0.0, 1.0), (0.6, 0.8), (-0.8, 0.6)][turn];
            let hull: Vec<(f64, f64)> = convex_hull(pts)
                .into_iter()
                .map(|(x, y)| (x * ux - y * uy, x * uy + y * ux))
                .collect();
            prop_assume!(hull.len() >= 3);
            let c = Chains::new(&hull);
            // Walked in ascending order, the chains give the binary searches' chord, bit for bit.
            let mut ascending: Vec<f64> = rows.iter().copied().chain(hull.iter().map(|p| p.1)).collect();
            ascending.sort_by(f64::total_cmp);
            let mut cur = [0usize; 4];
            for &dn in &ascending {
                let walked = c.chord_walk(dn, &mut cur);
                prop_assert_eq!(walked, c.chord(dn), "row {}", dn);
            }
            let dns = rows.iter().copied().chain(hull.iter().map(|p| p.1));
            for dn in dns {
                match (chord(&hull, dn), c.chord(dn)) {
                    (None, None) => {}
                    (Some(a), Some(b)) => {
                        prop_assert!((a.0 - b.0).abs() <= 1e-9 && (a.1 - b.1).abs() <= 1e-9,
                            "row {dn}: scan {a:?}, chains {b:?}");
                    }
                    (a, b) => prop_assert!(false, "row {dn}: scan {a:?}, chains {b:?}"),
                }
            }
        }
    }
}
