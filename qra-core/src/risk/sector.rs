//! Wind-sector spreading: a directional footprint averaged uniformly over the wind directions of
//! its sector.
//!
//! # What it computes
//! A wind rose gives the probability P_φ of the wind blowing from within sector φ (width Δθ), not
//! from its centre. With the wind direction uniform within the sector, the lethality a point
//! sees from one outcome of that sector is the footprint P(x', y') (local frame: x' downwind,
//! y' crosswind) averaged over the sector's directions; in polar coordinates (r, φ) of the
//! frame of the sector's **centre** direction:
//!
//! S(r, φ) = (1/Δθ) ∫_{−Δθ/2}^{Δθ/2} P(r cos(φ − ψ), r sin(φ − ψ)) dψ
//!
//! (the footprint rotated by ψ, sampled on the circle of radius r). The engine then uses S in
//! place of P, rotated into each sector's centre direction, without the centre-direction
//! method's spokes ("petals") — a plume narrower than the sector covers the whole sector,
//! thinned by the share 2·asin(w/r)/Δθ of the directions that reach the point (a band of
//! half-width w at range r). The engine samples S once per installation on its merged lattice
//! and forms both the individual-risk grid and (rules linear in P) the societal sums from those
//! samples; S covers the whole sector, so that lattice holds several times the nodes of the
//! footprint drawn along the centre line.
//!
//! # Source
//! CPR 18E, *Guidelines for quantitative risk assessment* ("Purple Book"), Committee for the
//! Prevention of Disasters, The Hague, 1999, §6.2, eqs. 6.8–6.12 (toxic cloud at a grid
//! point, one weather class and wind sector): P_d = P_cl·P_ci, with the centre-line lethality
//! P_cl, the effective cloud width ECW = PI/P_cl (PI the crosswind integral of the lethality)
//! and P_ci = n_ws·ECW/(2πR), the probability that the cloud covers a point at distance R when
//! the wind blows from one of the n_ws sectors — i.e. the cloud spread uniformly over its
//! sector; Appendix 6.A (P_ci above 1) and the worked example of Appendix 6.B (P_ci = 0.456,
//! P_d = 0.381 at R = 361 m, 12 sectors). **\[S\]**: as transcribed, with the worked example's
//! numbers, by a public QRA implementation that read the book's pages (the findings file of
//! `engines/hse/qra.js`, see `docs/purple-book-defaults.md`); the book itself was not read
//! here. The equation above is that rule for any footprint shape: for a point inside the
//! sector, S = (1/(RΔθ))∫ P dy' = PI/(RΔθ) = P_cl·n_ws·ECW/(2πR) up to the arc/chord
//! difference, so the Purple Book's P_ci is the special case of a straight crosswind cut.
//!
//! # Numerics (the resolution error)
//! S is tabulated once per (footprint, Δθ) on polar rows r_0 = 0 < r_1 < …, with step
//! Δr(r) = min(Δx, max(Δy, Δy·r/W)) (Δx, Δy the footprint's along-wind and crosswind steps,
//! W its half-width: a point at radius r meets the footprint at crosswind offsets that move by
//! Δr·W/r between rows, so near the source the rows follow the crosswind resolution); far from
//! the source the rows fall on the footprint's columns, where its own along-wind interpolation
//! has its kinks. S is linear in r between rows. On the sample park, rows Δx apart but off the
//! columns left the IR at the farthest target (8·10⁻⁹/yr, at the tail of a toxic plume where
//! the probit falls steeply) 2.1 % above a 1440-direction rose; on the columns, −0.15 % (the
//! four targets within 0.5 %, the maximum IR within 0.001 %).
//! * **Bands** (flash fires: lethality p inside |y'| ≤ w(x'), w piecewise linear): on each row
//!   the angles where the circle crosses the band's edges (segments of the edge polyline and the
//!   end columns) are solved exactly (a quadratic per segment) and the in-band arcs stored;
//!   S(r_i, φ) = p·|window ∩ arcs|/Δθ with window [φ − Δθ/2, φ + Δθ/2] (periodic). Exact on the
//!   rows; the only error is the radial interpolation.
//! * **Rasters** (plumes, clouds, wind-tilted fires: bilinear, so no steps): P is sampled on
//!   the arcs where the raster's bounding rectangle can be (|y'| ≤ W: the front arc
//!   |φ| ≤ asin(W/r) and, if the rectangle reaches upwind, the back arc; the whole circle for
//!   r ≤ W/sin 60°), with step δφ = max(min(Δθ/K, s/r), 2π/[`MAX_ROW_SAMPLES`]),
//!   K = [`ANGULAR_STEPS_PER_SECTOR`], s the raster's crosswind step (so the arc step r·δφ
//!   never exceeds the raster's own), as a running (prefix) trapezoid sum C(φ); then
//!   S(r_i, φ) = [C(φ + Δθ/2) − C(φ − Δθ/2)]/Δθ, C linear between nodes. The trapezoid error
//!   is second order in the arc step: below 0.1 % of the peak lethality against brute-force
//!   quadrature (`smooth_raster_matches_brute_force_quadrature`); only where the circle crosses
//!   the raster's own edge (its upwind column at the source, within a few metres of the
//!   release) is a step located within one angular step, ≤ 1/(2K) = 1.6 % (0.19 % measured).
//!
//! Sectors narrower than 2πK/[`MAX_ROW_SAMPLES`] (≈ 0.7° for K = 32) reach the floor of δφ
//! near the source; such narrow sectors gain little from spreading.

use crate::error::{QraError, Result};
use crate::numerics::lerp;
use crate::risk::footprint::{
    BandTable, Footprint, Hazard, Shape, VulnerabilityRules, MAX_TABLE_SAMPLES,
};
use std::f64::consts::{PI, TAU};
use std::sync::Arc;

/// Angular samples per sector width at least on raster rows (K above; rasters are bilinear, so
/// the trapezoid error is second order).
pub const ANGULAR_STEPS_PER_SECTOR: f64 = 32.0;

/// Largest number of angular samples on one full row (floor of the angular step 2π/this).
pub const MAX_ROW_SAMPLES: usize = 1 << 14;

/// Nodes of a [`Span`] per double-precision anchor of its running integral.
const SPAN_BLOCK: usize = 16;

/// One arc of a raster row: P sampled at φ = a + k·δφ (k = 0..n), kept as the running trapezoid
/// integral c_k = ∫_a^{a+kδφ} P dφ (radians × lethality). P is 0 outside the arc.
///
/// c_k is stored as a double-precision anchor per block of [`SPAN_BLOCK`] nodes (c at the
/// block's first node) plus the single-precision increment from it: 4.5 bytes per node instead
/// of 8 (the polar tables are most of the memory of a run with sector spreading: 1.0 GB of
/// park-1000's physical study). An increment is at most the integral over one block, so its
/// rounding (2⁻²⁴ relative) is at most 2⁻²⁴·16·δφ·P_max, P_max the largest P in that block; a
/// window uses two of them, so S = window/Δθ is off by at most 2·2⁻²⁴·16·(δφ/Δθ)·P_max ≤
/// 3.7·10⁻⁸·P_max (δφ ≤ Δθ/32), P_max over the window and the 16 nodes beyond each of its ends
/// (`f32_increments_keep_the_running_integral`). Where the window holds a small tail of P next
/// to a lethal core, that is the error relative to the core's lethality, not to S.
#[derive(Debug, Clone)]
struct Span {
    a: f64,
    dphi: f64,
    inv_dphi: f64,
    /// c at nodes 0, SPAN_BLOCK, 2·SPAN_BLOCK, …
    anchors: Vec<f64>,
    /// c_k − anchors[k / SPAN_BLOCK], rounded to single precision.
    increments: Vec<f32>,
}

impl Span {
    /// The span of running integrals `c` (at least one node).
    fn new(a: f64, dphi: f64, c: &[f64]) -> Span {
        let anchors: Vec<f64> = c.iter().step_by(SPAN_BLOCK).copied().collect();
        let increments = c
            .iter()
            .enumerate()
            .map(|(k, v)| (v - anchors[k / SPAN_BLOCK]) as f32)
            .collect();
        Span {
            a,
            dphi,
            inv_dphi: 1.0 / dphi,
            anchors,
            increments,
        }
    }

    /// Number of nodes.
    #[inline]
    fn len(&self) -> usize {
        self.increments.len()
    }

    /// c_k.
    #[inline(always)]
    fn c(&self, k: usize) -> f64 {
        self.anchors[k / SPAN_BLOCK] + f64::from(self.increments[k])
    }

    /// ∫_a^φ P, clamped (0 before the arc, the total after), linear between nodes.
    #[inline]
    fn cum(&self, phi: f64) -> f64 {
        let f = (phi - self.a) * self.inv_dphi;
        let n = self.len();
        if f.is_nan() || f <= 0.0 {
            return 0.0;
        }
        let k = f as usize;
        if k + 1 >= n {
            return self.c(n - 1);
        }
        lerp(self.c(k), self.c(k + 1), f - k as f64)
    }

    /// The arc's last angle.
    #[inline]
    fn end(&self) -> f64 {
        self.a + (self.len() - 1) as f64 * self.dphi
    }

    /// ∫ P over [lo, hi] and its copies shifted by ±2π (hi − lo ≤ 2π: no double count; the
    /// span lies in [−π, 3π/2] and the window in [−2π, 2π], so ±2π reaches every copy).
    #[inline]
    fn window(&self, lo: f64, hi: f64) -> f64 {
        let end = self.end();
        let mut s = self.cum(hi) - self.cum(lo);
        // The shifted copies only where they can overlap the span (exact: a skipped copy
        // would contribute cum(x) − cum(y) = 0 − 0 or total − total).
        if hi - TAU > self.a {
            s += self.cum(hi - TAU) - self.cum(lo - TAU);
        }
        if lo + TAU < end {
            s += self.cum(hi + TAU) - self.cum(lo + TAU);
        }
        s
    }
}

/// Length of [lo, hi] ∩ ([s, e] + 2πk) summed over k = −1, 0, 1 ([s, e] ⊂ [−π, π]).
#[inline]
fn overlap(lo: f64, hi: f64, s: f64, e: f64) -> f64 {
    let mut t = 0.0;
    for k in [-TAU, 0.0, TAU] {
        t += (hi.min(e + k) - lo.max(s + k)).max(0.0);
    }
    t
}

/// The row i with radii\[i\] ≤ r < radii\[i + 1\] (the last row with radii\[i\] ≤ r; 0 if none),
/// `radii` increasing, r not NaN: row `row` or the next if r falls in it (a point next to the
/// previous one along a line), else by binary search; stored back in `row`.
#[inline]
fn row_from(radii: &[f64], r: f64, row: &mut usize) -> usize {
    let within = |i: usize| i + 1 < radii.len() && radii[i] <= r && r < radii[i + 1];
    let i = if within(*row) {
        *row
    } else if within(*row + 1) {
        *row + 1
    } else {
        radii.partition_point(|&v| v <= r).saturating_sub(1)
    };
    *row = i;
    i
}

/// One polar row: raster spans (prefix sums) or band arcs (angles inside the band).
#[derive(Debug, Clone)]
enum Row {
    Spans(Vec<Span>),
    Arcs(Vec<(f64, f64)>),
}

/// A footprint averaged over the directions of a sector of width Δθ, tabulated on polar rows
/// (see the module docs for the equation, the mesh and its error).
#[derive(Debug, Clone)]
pub struct SectorAverage {
    width_rad: f64,
    /// Row radii, m, increasing from 0.
    radii: Vec<f64>,
    /// Lethality inside the band (band rows); 1 for raster rows (their sums carry it).
    p: f64,
    rows: Vec<Row>,
    reach_m: f64,
    rect: [f64; 4],
    /// Beyond radius² `.0`, S is 0 outside the wedge between the unit vectors `.1` and `.2`
    /// (counter-clockwise, less than π apart): a test without atan2 for the points the engine
    /// samples outside a plume's sector (exact: S is exactly 0 there).
    far_wedge: Option<(f64, [f64; 2], [f64; 2])>,
}

/// The arcs (start, end) of the circle of radius `r` on which a point can lie in the rectangle
/// `[x0, x1, y0, y1]` (a superset: |y| ≤ W = max(|y0|, |y1|) and x within [x0, x1]).
fn arcs_of(r: f64, [x0, x1, y0, y1]: [f64; 4]) -> Vec<(f64, f64)> {
    let w = y0.abs().max(y1.abs());
    if r > x1.abs().max(x0.abs()).hypot(w) {
        return Vec::new();
    }
    // Near the source the arcs cover most of the circle: take all of it.
    if w >= r * (PI / 3.0).sin() {
        return vec![(-PI, PI)];
    }
    let alpha = (w / r).asin();
    let cx = r * alpha.cos();
    let mut out = Vec::new();
    if x1 >= cx && x0 <= r {
        out.push((-alpha, alpha));
    }
    if x0 <= -cx && x1 >= -r {
        out.push((PI - alpha, PI + alpha));
    }
    out
}

/// The arcs of the circle of radius `r` (angles in [−π, π]) inside band `b`: the circle's
/// crossings with the band's upper edge polyline (x_i, w_i) — t ∈ [0, 1] of
/// |(x_a + t·Δx, w_a + t·Δw)|² = r², a quadratic per segment — its mirror (the lower edge) and
/// the end columns x = x_first, x_last, sorted; each arc between consecutive crossings is
/// kept if its midpoint is inside the band ([`BandTable::at`] > 0).
fn band_arcs(b: &BandTable, r: f64) -> Vec<(f64, f64)> {
    let hw = &b.half_width_m;
    let n = hw.len();
    if n < 2 || r <= 0.0 {
        return if b.at(0.0, 0.0) > 0.0 {
            vec![(-PI, PI)]
        } else {
            Vec::new()
        };
    }
    let mut cross: Vec<f64> = Vec::new();
    let r2 = r * r;
    for i in 0..n - 1 {
        let (xa, wa) = (b.x0_m + i as f64 * b.dx_m, hw[i]);
        let (dx, dw) = (b.dx_m, hw[i + 1] - hw[i]);
        let qa = dx * dx + dw * dw;
        let qb = 2.0 * (xa * dx + wa * dw);
        let qc = xa * xa + wa * wa - r2;
        let disc = qb * qb - 4.0 * qa * qc;
        if disc < 0.0 {
            continue;
        }
        let sq = disc.sqrt();
        for t in [(-qb - sq) / (2.0 * qa), (-qb + sq) / (2.0 * qa)] {
            if (0.0..=1.0).contains(&t) {
                let phi = (wa + t * dw).atan2(xa + t * dx);
                cross.push(phi);
                cross.push(-phi);
            }
        }
    }
    for (x, w) in [
        (b.x0_m, hw[0]),
        (b.x0_m + (n - 1) as f64 * b.dx_m, hw[n - 1]),
    ] {
        if x.abs() <= r {
            let y = (r2 - x * x).max(0.0).sqrt();
            if y <= w {
                let phi = y.atan2(x);
                cross.push(phi);
                cross.push(-phi);
            }
        }
    }
    let inside = |phi: f64| {
        let (s, c) = phi.sin_cos();
        b.at(r * c, r * s) > 0.0
    };
    cross.sort_by(f64::total_cmp);
    cross.dedup();
    if cross.is_empty() {
        return if inside(0.0) {
            vec![(-PI, PI)]
        } else {
            Vec::new()
        };
    }
    let mut out: Vec<(f64, f64)> = Vec::new();
    let m = cross.len();
    for k in 0..m {
        let a = cross[k];
        let e = if k + 1 < m {
            cross[k + 1]
        } else {
            cross[0] + TAU
        };
        if e > a && inside(0.5 * (a + e)) {
            if e > PI {
                // Wraps through ±π: split into [a, π] and [−π, e − 2π].
                out.push((a, PI));
                out.push((-PI, e - TAU));
            } else {
                out.push((a, e));
            }
        }
    }
    out
}

/// Bounding box of the arc of radius `r` over angles [a, b] (b − a ≤ 2π) into `bb`.
fn arc_box(bb: &mut [f64; 4], r: f64, a: f64, b: f64) {
    let mut add = |phi: f64| {
        let (s, c) = phi.sin_cos();
        bb[0] = bb[0].min(r * c);
        bb[1] = bb[1].max(r * c);
        bb[2] = bb[2].min(r * s);
        bb[3] = bb[3].max(r * s);
    };
    add(a);
    add(b);
    // Axis directions inside [a, b] (any 2π copy).
    for m in -5..=5 {
        let q = m as f64 * PI / 2.0;
        if q >= a && q <= b {
            add(q);
        }
    }
}

/// Row radii from 0 to beyond `reach`: step Δr(r) = min(dr, max(arc, arc·r/W)). A point at
/// radius r sees the footprint at crosswind offsets up to |y'| ≤ W, which move by at most
/// Δr·W/r between rows: the step keeps that within the crosswind step `arc` near the source.
/// Far from it (where the step reaches `dr`) the rows fall on the footprint's columns
/// x0 + k·dr, where its along-wind interpolation has its kinks: on the axis S is then
/// interpolated exactly as the footprint itself.
fn radii(reach: f64, dr: f64, arc: f64, w: f64, x0: f64) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut r: f64 = 0.0;
    let w = w.max(arc);
    while r <= reach {
        let step = arc.max(arc * r / w);
        r = if step >= dr {
            // The next column strictly beyond r.
            let k = ((r - x0) / dr).floor() + 1.0;
            let next = x0 + k * dr;
            if next > r {
                next
            } else {
                r + dr
            }
        } else {
            r + step
        };
        out.push(r);
    }
    out
}

fn check_inputs(width_rad: f64, steps: &[(&str, f64)], reach_m: f64) -> Result<()> {
    if !(width_rad > 0.0 && width_rad <= TAU + 1e-12) {
        return Err(QraError::invalid(
            "width_rad",
            width_rad,
            "sector width must be in (0, 2π]",
        ));
    }
    for &(name, v) in steps {
        if !(v.is_finite() && v > 0.0) {
            return Err(QraError::invalid(name, v, "must be finite and > 0"));
        }
    }
    if !(reach_m.is_finite() && reach_m >= 0.0) {
        return Err(QraError::invalid(
            "reach_m",
            reach_m,
            "must be finite and >= 0",
        ));
    }
    Ok(())
}

impl SectorAverage {
    /// Tabulates the sector average of a smooth (e.g. bilinear) lethality `p` at local (x, y),
    /// 0 outside `rect` (`[x_min, x_max, y_min, y_max]`) and beyond `reach_m`, for a sector of
    /// width `width_rad`, with radial step `dr_m` and arc step `arc_m` (the footprint's own
    /// along-wind and crosswind steps). Coarsened radially if the table would exceed
    /// [`MAX_TABLE_SAMPLES`].
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a width outside (0, 2π], non-positive or non-finite
    /// steps, a non-finite rectangle or reach.
    pub fn new(
        p: impl Fn(f64, f64) -> f64,
        rect: [f64; 4],
        reach_m: f64,
        width_rad: f64,
        dr_m: f64,
        arc_m: f64,
    ) -> Result<SectorAverage> {
        let [s] = Self::new_many(|x, y| [p(x, y)], rect, reach_m, width_rad, dr_m, arc_m)?;
        Ok(s)
    }

    /// The sector averages of `K` lethalities given together (`p` returns the `K` values at a
    /// point) on one polar mesh, each exactly as [`SectorAverage::new`] tabulates it alone (the
    /// same nodes, the same sums: the same bits), with `p` evaluated once per node: a thermal
    /// footprint's outdoor lethality and its two societal ones from one raster look-up.
    ///
    /// # Errors
    /// As [`SectorAverage::new`].
    pub fn new_many<const K: usize>(
        p: impl Fn(f64, f64) -> [f64; K],
        rect: [f64; 4],
        reach_m: f64,
        width_rad: f64,
        dr_m: f64,
        arc_m: f64,
    ) -> Result<[SectorAverage; K]> {
        check_inputs(width_rad, &[("dr_m", dr_m), ("arc_m", arc_m)], reach_m)?;
        if !rect.iter().all(|v| v.is_finite()) {
            return Err(QraError::invalid(
                "rect",
                format!("{rect:?}"),
                "must be finite",
            ));
        }
        let dphi_of = |r: f64| {
            let d = (width_rad / ANGULAR_STEPS_PER_SECTOR).min(if r > 0.0 {
                arc_m / r
            } else {
                f64::INFINITY
            });
            d.max(TAU / MAX_ROW_SAMPLES as f64)
        };
        let w = rect[2].abs().max(rect[3].abs());
        let count = |rs: &[f64]| -> f64 {
            rs.iter()
                .map(|&r| {
                    arcs_of(r, rect)
                        .iter()
                        .map(|(a, b)| ((b - a) / dphi_of(r)).ceil() + 2.0)
                        .sum::<f64>()
                })
                .sum()
        };
        let mut scale = 1.0;
        let mut rs = radii(reach_m, dr_m, arc_m, w, rect[0]);
        while count(&rs) > MAX_TABLE_SAMPLES as f64 {
            scale *= 2.0;
            rs = radii(reach_m, scale * dr_m, scale * arc_m, w, rect[0]);
        }
        let mut rows: [Vec<Row>; K] = std::array::from_fn(|_| Vec::with_capacity(rs.len()));
        for &r in &rs {
            let mut row: [Vec<Span>; K] = std::array::from_fn(|_| Vec::new());
            for (a, b) in arcs_of(r, rect) {
                let n = ((b - a) / dphi_of(r)).ceil().max(1.0) as usize;
                let dphi = (b - a) / n as f64;
                let mut c: [Vec<f64>; K] = std::array::from_fn(|_| Vec::with_capacity(n + 1));
                let mut acc = [0.0; K];
                let mut prev = [0.0; K];
                // The points r·(cos φ_k, sin φ_k) by rotation (one complex product per step,
                // re-anchored every 64 steps: |error| < 1e-13 m·r, far below any mesh step).
                let (ds, dc) = dphi.sin_cos();
                let (mut sn, mut cs) = (0.0, 0.0);
                for k in 0..=n {
                    if k % 64 == 0 {
                        (sn, cs) = (a + k as f64 * dphi).sin_cos();
                    } else {
                        (sn, cs) = (sn * dc + cs * ds, cs * dc - sn * ds);
                    }
                    let v = p(r * cs, r * sn);
                    for j in 0..K {
                        if k > 0 {
                            acc[j] += 0.5 * dphi * (prev[j] + v[j]);
                        }
                        c[j].push(acc[j]);
                        prev[j] = v[j];
                    }
                }
                for j in 0..K {
                    if acc[j] > 0.0 {
                        row[j].push(Span::new(a, dphi, &c[j]));
                    }
                }
            }
            for (rows, row) in rows.iter_mut().zip(row) {
                rows.push(Row::Spans(row));
            }
        }
        Ok(rows.map(|rows| Self::finish(width_rad, rs.clone(), 1.0, rows, reach_m)))
    }

    /// The sector average of a band (lethality `b.p` inside |y| ≤ w(x)) for a sector of width
    /// `width_rad`: exact arcs on rows Δr = the band's column spacing apart.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] for a width outside (0, 2π].
    pub fn of_band(b: &BandTable, width_rad: f64) -> Result<SectorAverage> {
        let reach = Shape::Band(b.clone()).reach_m();
        check_inputs(width_rad, &[("dx_m", b.dx_m)], reach)?;
        let mut dr = b.dx_m;
        while reach / dr > MAX_TABLE_SAMPLES as f64 / 8.0 {
            dr *= 2.0;
        }
        let w = b.half_width_m.iter().copied().fold(0.0, f64::max);
        let rs = radii(reach, dr, dr, w, b.x0_m);
        let rows = rs.iter().map(|&r| Row::Arcs(band_arcs(b, r))).collect();
        Ok(Self::finish(width_rad, rs, b.p, rows, reach))
    }

    fn finish(
        width_rad: f64,
        radii: Vec<f64>,
        p: f64,
        rows: Vec<Row>,
        reach_m: f64,
    ) -> SectorAverage {
        // Where S can be non-zero: each row's arcs widened by Δθ/2, at the radii of the rows
        // around it (S is linear in r between rows; an annular sector's box is that of its two
        // arcs).
        let h = 0.5 * width_rad;
        let arcs_of_row = |row: &Row| -> Vec<(f64, f64)> {
            match row {
                Row::Spans(s) => s.iter().map(|s| (s.a, s.end())).collect(),
                Row::Arcs(a) => a.clone(),
            }
        };
        let mut bb = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for (i, row) in rows.iter().enumerate() {
            for (a, b) in arcs_of_row(row) {
                let (a, b) = if b - a + 2.0 * h >= TAU {
                    (-PI, PI)
                } else {
                    (a - h, b + h)
                };
                let lo = radii[i.saturating_sub(1)];
                let hi = radii[(i + 1).min(radii.len() - 1)];
                for rr in [lo, hi] {
                    arc_box(&mut bb, rr, a, b);
                }
            }
        }
        let rect = if bb[0] <= bb[1] { bb } else { [0.0; 4] };
        let last = radii.last().copied().unwrap_or(0.0);
        // The far wedge: the rows beyond the last one with an arc off the front half-plane;
        // their arcs widened by Δθ/2 and a margin of 10⁻⁶ rad.
        let front = |&(a, b): &(f64, f64)| a > -0.5 * PI && b < 0.5 * PI;
        let k0 = rows
            .iter()
            .rposition(|row| !arcs_of_row(row).iter().all(front))
            .map_or(0, |k| k + 1);
        let far_wedge = (k0 < radii.len()).then(|| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for row in &rows[k0..] {
                for (a, b) in arcs_of_row(row) {
                    lo = lo.min(a);
                    hi = hi.max(b);
                }
            }
            (lo - h - 1e-6, hi + h + 1e-6)
        });
        let far_wedge = match far_wedge {
            Some((lo, hi)) if lo <= hi && hi - lo < PI => {
                let r0 = radii[k0];
                Some((r0 * r0, [lo.cos(), lo.sin()], [hi.cos(), hi.sin()]))
            }
            _ => None,
        };
        SectorAverage {
            width_rad,
            radii,
            p,
            rows,
            reach_m: reach_m.min(last),
            rect,
            far_wedge,
        }
    }

    /// The sector average of a directional shape (raster or band) on the shape's own mesh;
    /// `None` for radially symmetric shapes (their average is themselves).
    ///
    /// # Errors
    /// Those of [`SectorAverage::new`] and [`SectorAverage::of_band`].
    pub fn of_shape(shape: &Shape, width_rad: f64) -> Result<Option<SectorAverage>> {
        // Rasters on their own mesh; parametric shapes on a mesh of 1/160 of the reach (the
        // consequence wiring's raster resolution): their average is a table.
        let (dx, dy) = match shape {
            Shape::Band(b) => return SectorAverage::of_band(b, width_rad).map(Some),
            Shape::Directional(t) => (t.dx_m, t.dy_m),
            _ => (shape.reach_m() / 160.0, shape.reach_m() / 160.0),
        };
        let Some(rect) = shape.local_rect() else {
            return Ok(None);
        };
        if dx.is_nan() || dx <= 0.0 {
            return Ok(None);
        }
        SectorAverage::new(
            |x, y| shape.lethality(x, y),
            rect,
            shape.reach_m(),
            width_rad,
            dx,
            dy,
        )
        .map(Some)
    }

    /// S of one row at angle φ.
    #[inline]
    fn row_at(&self, k: usize, phi: f64) -> f64 {
        let h = 0.5 * self.width_rad;
        match &self.rows[k] {
            Row::Spans(s) => s.iter().map(|a| a.window(phi - h, phi + h)).sum::<f64>(),
            Row::Arcs(a) => {
                self.p
                    * a.iter()
                        .map(|&(s, e)| overlap(phi - h, phi + h, s, e))
                        .sum::<f64>()
            }
        }
    }

    /// S at local (x, y) (x along the sector's centre direction); 0 beyond the table.
    pub fn at(&self, x: f64, y: f64) -> f64 {
        self.at_near(x, y, &mut 0)
    }

    /// [`SectorAverage::at`], its polar row tried first at `row` (the row of a previous point;
    /// updated) and the next one: along a line of nearby points, one or two comparisons
    /// instead of a binary search over the rows. The same row (the one with
    /// radii\[i\] ≤ r < radii\[i + 1\]), the same value.
    pub fn at_near(&self, x: f64, y: f64, row: &mut usize) -> f64 {
        self.at_near_with(x, y, || y.atan2(x), row)
    }

    /// [`SectorAverage::at_near`] with the polar angle of (x, y) from `phi`, called only where
    /// the value needs it; `phi()` must be `y.atan2(x)` (the same bits): a caller that samples
    /// many tables at the same points forms each point's angle once (the engine's merge of an
    /// installation's sector averages: the atan2 was 12 % of park-1000's physical run under
    /// uniform spreading).
    #[inline]
    pub(crate) fn at_near_with(
        &self,
        x: f64,
        y: f64,
        phi: impl FnOnce() -> f64,
        row: &mut usize,
    ) -> f64 {
        let rr = x * x + y * y;
        if let Some((r2, [ax, ay], [bx, by])) = self.far_wedge {
            // Outside the wedge (a point clockwise of its first edge or counter-clockwise of
            // its second) beyond the near rows: S = 0 exactly.
            if rr >= r2 && (ax * y - ay * x < 0.0 || x * by - y * bx < 0.0) {
                return 0.0;
            }
        }
        // √(x² + y²), not `hypot` (a library call: 6 % of a park-1000 run with spreading);
        // local coordinates in metres neither overflow nor underflow when squared, and the
        // result is within an ulp of hypot's.
        let r = rr.sqrt();
        if r.is_nan() || r > self.reach_m {
            return 0.0;
        }
        let i = row_from(&self.radii, r, row);
        if i + 1 >= self.rows.len() {
            return 0.0;
        }
        let (r0, r1) = (self.radii[i], self.radii[i + 1]);
        let phi = phi();
        let t = (r - r0) / (r1 - r0);
        let v = lerp(self.row_at(i, phi), self.row_at(i + 1, phi), t) / self.width_rad;
        // Rounding of the running sums may leave ±1e-17 where P = 0 and push a full window
        // a hair above its maximum: keep S a probability.
        v.clamp(0.0, 1.0)
    }

    /// The local rectangle `[x_min, x_max, y_min, y_max]` outside which S is 0.
    pub fn local_rect(&self) -> [f64; 4] {
        self.rect
    }

    /// Distance beyond which S is 0, m.
    pub fn reach_m(&self) -> f64 {
        self.reach_m
    }

    /// Number of stored values: on raster rows each node's single-precision increment (4 bytes)
    /// and each block's double-precision anchor (8 bytes, one per `SPAN_BLOCK` nodes); on band
    /// rows both ends of each arc (8 bytes each).
    pub fn samples(&self) -> usize {
        self.rows
            .iter()
            .map(|r| match r {
                Row::Spans(s) => s.iter().map(|a| a.len() + a.anchors.len()).sum(),
                Row::Arcs(a) => 2 * a.len(),
            })
            .sum()
    }

    /// Sector width, rad.
    pub fn width_rad(&self) -> f64 {
        self.width_rad
    }
}

/// A footprint spread over its sector: the outdoor (individual-risk) lethality and the
/// societal (outdoor, indoor) lethalities, each the sector average of the footprint's own.
/// Where the societal rule is linear in P (every hazard but thermal: toxic (P, 0.1·P), flash
/// fire, explosion, generic) the average of the rule is the rule of the average and no separate
/// table is kept; thermal (P = 1 → (1, 1), else (0.14·P, 0)) keeps its own tables, and an
/// explicit indoor shape is averaged on its own.
#[derive(Debug, Clone)]
pub struct SpreadFootprint {
    /// Sector average of the outdoor lethality (`None`: the outdoor shape is isotropic).
    ir: Option<SectorAverage>,
    /// Sector average of the societal outdoor lethality, when not linear in `ir` (thermal).
    out: Option<SectorAverage>,
    /// Sector average of the indoor lethality, when not linear in `ir` (thermal, or an explicit
    /// directional indoor shape).
    ind: Option<SectorAverage>,
    fp: Arc<Footprint>,
    rules: VulnerabilityRules,
}

impl SpreadFootprint {
    /// Spreads `fp` over a sector of width `width_rad`; `None` when `fp` is radially symmetric
    /// (nothing to spread).
    ///
    /// # Errors
    /// Those of [`SectorAverage::new`].
    pub fn new(
        fp: &Arc<Footprint>,
        rules: VulnerabilityRules,
        width_rad: f64,
    ) -> Result<Option<SpreadFootprint>> {
        if fp.is_radially_symmetric() {
            return Ok(None);
        }
        let (ir, out, ind) = match (&fp.outdoor, &fp.indoor) {
            // A thermal raster without an explicit indoor shape (jet and pool fires): the three
            // averages on the raster's mesh in one sweep, one look-up per node — the tables the
            // general thermal arm below builds one by one (same rectangle, reach and mesh).
            (Shape::Directional(t), None) if fp.hazard == Hazard::Thermal && t.dx_m > 0.0 => {
                let shape = &fp.outdoor;
                let [ir, out, ind] = SectorAverage::new_many(
                    |x, y| {
                        let p = shape.lethality(x, y);
                        let (o, i) = rules.societal(Hazard::Thermal, p);
                        [p, o, i]
                    },
                    shape.local_rect().unwrap_or([0.0; 4]),
                    shape.reach_m(),
                    width_rad,
                    t.dx_m,
                    t.dy_m,
                )?;
                (Some(ir), Some(out), Some(ind))
            }
            _ if fp.hazard == Hazard::Thermal => {
                // The rule is not linear in P: average the societal lethalities themselves, on
                // the outdoor shape's mesh (rasters: column and row spacing; otherwise 1/160 of
                // the reach, the consequence wiring's raster resolution).
                let reach = fp.reach_m();
                let (dr, arc) = match &fp.outdoor {
                    Shape::Directional(t) => (t.dx_m, t.dy_m),
                    Shape::Band(b) => (b.dx_m, b.dx_m),
                    _ => (reach / 160.0, reach / 160.0),
                };
                let rect = fp.local_extent().unwrap_or([-reach, reach, -reach, reach]);
                let f = |k: usize| {
                    SectorAverage::new(
                        |x, y| {
                            let v = fp.societal(rules, x, y);
                            if k == 0 {
                                v.0
                            } else {
                                v.1
                            }
                        },
                        rect,
                        reach,
                        width_rad,
                        dr,
                        arc,
                    )
                };
                (
                    SectorAverage::of_shape(&fp.outdoor, width_rad)?,
                    Some(f(0)?),
                    Some(f(1)?),
                )
            }
            (outdoor, Some(indoor)) => (
                SectorAverage::of_shape(outdoor, width_rad)?,
                None,
                SectorAverage::of_shape(indoor, width_rad)?,
            ),
            (outdoor, None) => (SectorAverage::of_shape(outdoor, width_rad)?, None, None),
        };
        Ok(Some(SpreadFootprint {
            ir,
            out,
            ind,
            fp: Arc::clone(fp),
            rules,
        }))
    }

    /// Outdoor, unprotected lethality averaged over the sector at local (x, y).
    pub fn lethality(&self, x: f64, y: f64) -> f64 {
        self.lethality_near(x, y, &mut 0)
    }

    /// [`SpreadFootprint::lethality`] with the table's row looked for from `row`
    /// ([`SectorAverage::at_near`]): the same value, faster along a line of points.
    pub fn lethality_near(&self, x: f64, y: f64, row: &mut usize) -> f64 {
        self.lethality_near_with(x, y, || y.atan2(x), row)
    }

    /// [`SpreadFootprint::lethality_near`] with the polar angle of (x, y) from `phi`
    /// ([`SectorAverage::at_near_with`]: `phi()` must be `y.atan2(x)`).
    #[inline]
    pub(crate) fn lethality_near_with(
        &self,
        x: f64,
        y: f64,
        phi: impl FnOnce() -> f64,
        row: &mut usize,
    ) -> f64 {
        match &self.ir {
            Some(s) => s.at_near_with(x, y, phi, row),
            None => self.fp.lethality(x, y),
        }
    }

    /// (outdoor, indoor) societal lethality averaged over the sector at local (x, y).
    pub fn societal(&self, x: f64, y: f64) -> (f64, f64) {
        let p = self.lethality(x, y);
        let (o, i) = self.rules.societal(self.fp.hazard, p);
        let o = self.out.as_ref().map_or(o, |t| t.at(x, y));
        let i = match (&self.ind, &self.fp.indoor) {
            (Some(t), _) => t.at(x, y),
            // An isotropic explicit indoor shape: its own value.
            (None, Some(s)) => s.lethality(x, y),
            (None, None) => i,
        };
        (o, i)
    }

    /// Whether both societal lethalities follow from the averaged outdoor lethality by the
    /// study's rule (no separate thermal tables, no explicit indoor shape, a directional
    /// average): then, for a rule linear in P, the societal sums are weighted sums of the values
    /// of the outdoor average alone.
    pub fn societal_from_outdoor(&self) -> bool {
        self.ir.is_some() && self.out.is_none() && self.ind.is_none() && self.fp.indoor.is_none()
    }

    /// The local rectangle outside which the outdoor lethality is 0 (`None`: isotropic).
    pub fn local_rect(&self) -> Option<[f64; 4]> {
        self.ir.as_ref().map(SectorAverage::local_rect)
    }

    /// The local rectangle outside which every lethality (outdoor and societal) is 0; `None`
    /// when one of them is isotropic (bounded by the reach only).
    pub fn local_extent(&self) -> Option<[f64; 4]> {
        let mut out = self.local_rect()?;
        if self.ind.is_none() && self.fp.indoor.is_some() {
            return None;
        }
        for t in self.out.iter().chain(&self.ind) {
            let r = t.local_rect();
            out = [
                out[0].min(r[0]),
                out[1].max(r[1]),
                out[2].min(r[2]),
                out[3].max(r[3]),
            ];
        }
        Some(out)
    }

    /// Distance beyond which every lethality is 0, m.
    pub fn reach_m(&self) -> f64 {
        let mut r = self.fp.reach_m();
        for t in self.ir.iter().chain(&self.out).chain(&self.ind) {
            r = r.max(t.reach_m());
        }
        r
    }

    /// Number of stored values of all tables ([`SectorAverage::samples`]).
    pub fn samples(&self) -> usize {
        self.ir
            .iter()
            .chain(&self.out)
            .chain(&self.ind)
            .map(SectorAverage::samples)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::footprint::{BandTable, DirectionalTable};

    /// Brute-force S: the midpoint rule with `n` directions over the sector.
    fn brute(p: impl Fn(f64, f64) -> f64, width: f64, x: f64, y: f64, n: usize) -> f64 {
        let (r, phi) = (x.hypot(y), y.atan2(x));
        (0..n)
            .map(|k| {
                let psi = -0.5 * width + (k as f64 + 0.5) * width / n as f64;
                let (s, c) = (phi - psi).sin_cos();
                p(r * c, r * s)
            })
            .sum::<f64>()
            / n as f64
    }

    fn band(w: f64, len: f64) -> Shape {
        let n = 161;
        Shape::Band(BandTable::new(0.0, len / (n - 1) as f64, vec![w; n], 1.0).unwrap())
    }

    /// Hand calculation: a band of constant half-width w = 20 m and lethality 1 seen from range
    /// r = 500 m on the sector's axis covers the directions |ψ| ≤ asin(w/r) of the sector, so
    /// S = 2·asin(w/r)/Δθ = 2·asin(0.04)/(π/6) = 0.15285 (Δθ = 30°). The band's arcs are exact
    /// on the rows; the radial interpolation between rows 6.25 m apart errs by
    /// Δr²/8·|d²S/dr²| ≈ 39/8 · 2·20/500³/(π/12) ≈ 6·10⁻⁶ (4·10⁻⁵ relative): 0.1 % holds.
    #[test]
    fn band_on_axis_is_the_share_of_directions_that_reach_it() {
        let width = PI / 6.0;
        let s = SectorAverage::of_shape(&band(20.0, 1000.0), width)
            .unwrap()
            .unwrap();
        for (r, y) in [(500.0, 0.0), (300.0, 0.0), (800.0, 10.0)] {
            // y ≠ 0 (2° off axis at most): the window still holds every direction that hits.
            let want = 2.0 * (20.0f64 / r).asin() / width;
            let got = s.at((r * r - y * y).sqrt(), y);
            assert!(
                (got - want).abs() <= 1e-3 * want,
                "r = {r}: {got} vs {want}"
            );
        }
        // Outside the sector (beyond Δθ/2 + asin(w/r) off axis): 0.
        let off = (15.0f64 + 3.0).to_radians();
        assert_eq!(s.at(500.0 * off.cos(), 500.0 * off.sin()), 0.0);
        // Inside the sector near its edge (15° − asin(w/r) − 0.5°): the full share.
        let near = (15.0 - (20.0f64 / 500.0).asin().to_degrees() - 0.5).to_radians();
        let want = 2.0 * (0.04f64).asin() / width;
        let got = s.at(500.0 * near.cos(), 500.0 * near.sin());
        assert!((got - want).abs() <= 1e-3 * want, "{got} vs {want}");
    }

    /// Purple Book worked example (CPR 18E 1999, Appendix 6.B, toxic cloud at grid point
    /// (200, 300) m, R = 361 m, 12 sectors; eqs. 6.8–6.12: P_d = P_cl·P_ci with the effective
    /// cloud width ECW = PI/P_cl and P_ci = n_ws·ECW/(2πR)), as transcribed by a public QRA
    /// implementation that rendered and read the book's pages (\[S\]; the book not read here):
    /// P_cl = 0.835, ECW = 86.2 m, P_ci = 0.456, P_d = 0.381. P_ci is the share of the sector's
    /// directions in which the cloud covers the point — the sector average of this module. A
    /// band of lethality P_cl and half-width ECW/2 averaged over a 30° sector at R = 361 m on
    /// its axis gives P_cl·2·asin(ECW/(2R))/(π/6) = 0.3818; the book's straight-width form
    /// ECW/(RΔθ) gives 0.3808 (the arc is 0.2 % longer than its chord at this angle).
    /// Tolerance: 0.5 % ([`crate::tolerance::WORKED_EXAMPLE`], 3 printed digits).
    #[test]
    fn purple_book_appendix_6b_toxic_grid_point() {
        let (p_cl, ecw, r) = (0.835, 86.2, 361.0);
        let n = 401;
        let b = BandTable::new(0.0, 1.0, vec![0.5 * ecw; n], p_cl).unwrap();
        let s = SectorAverage::of_band(&b, TAU / 12.0).unwrap();
        let p_d = s.at(r, 0.0);
        let tol = crate::tolerance::WORKED_EXAMPLE;
        assert!((p_d - 0.381).abs() <= tol * 0.381, "P_d = {p_d}");
        let p_ci = p_d / p_cl;
        assert!((p_ci - 0.456).abs() <= tol * 0.456, "P_ci = {p_ci}");
    }

    /// The resolution error stated in the module docs: S against brute-force quadrature (20 000
    /// directions, each edge placed within 1/20 000 of the window) for a band at points across
    /// the sector, near and far, including points where the sector window cuts the band:
    /// |ΔS| ≤ 10⁻³ everywhere (exact arcs; radial interpolation only).
    #[test]
    fn band_matches_brute_force_quadrature() {
        let width = PI / 6.0;
        let shape = band(35.0, 800.0);
        let s = SectorAverage::of_shape(&shape, width).unwrap().unwrap();
        let mut worst: f64 = 0.0;
        for r in [5.0, 20.0, 60.0, 150.0, 400.0, 790.0] {
            for k in 0..=60 {
                let phi = (-40.0 + 80.0 * k as f64 / 60.0_f64).to_radians();
                let (x, y) = (r * phi.cos(), r * phi.sin());
                let b = brute(|x, y| shape.lethality(x, y), width, x, y, 20_000);
                worst = worst.max((s.at(x, y) - b).abs());
            }
        }
        eprintln!("band: worst |ΔS| = {worst:e}");
        assert!(worst <= 1e-3, "worst {worst}");
    }

    /// A smooth raster (Gaussian plume-like, σ_y growing with x) against brute-force quadrature:
    /// |ΔS| ≤ 0.1 % of the peak (second-order trapezoid error plus the radial interpolation on
    /// the rows of the module docs) from two raster columns (12.6 m) to 900 m; within two
    /// columns of the source the raster's upwind edge (x = 0, a step) is located within one
    /// angular step: ≤ 1/(2K) = 1.6 % (0.19 % measured at 3 m).
    #[test]
    fn smooth_raster_matches_brute_force_quadrature() {
        let (nx, ny) = (160, 81);
        let (x1, w) = (1000.0, 150.0);
        let (dx, dy) = (x1 / (nx - 1) as f64, 2.0 * w / (ny - 1) as f64);
        let f = |x: f64, y: f64| {
            let sy = 5.0 + 0.1 * x;
            (-(y * y) / (2.0 * sy * sy)).exp() * (1.0 - x / x1).max(0.0)
        };
        let mut v = vec![0.0; nx * ny];
        for j in 0..ny {
            for i in 0..nx {
                v[j * nx + i] = f(i as f64 * dx, -w + j as f64 * dy);
            }
        }
        let shape = Shape::Directional(DirectionalTable::new(0.0, -w, dx, dy, nx, ny, v).unwrap());
        let width = PI / 6.0;
        let s = SectorAverage::of_shape(&shape, width).unwrap().unwrap();
        let (mut worst, mut near): (f64, f64) = (0.0, 0.0);
        for r in [3.0, 30.0, 100.0, 300.0, 600.0, 900.0] {
            for k in 0..=40 {
                let phi = (-30.0 + 60.0 * k as f64 / 40.0_f64).to_radians();
                let (x, y) = (r * phi.cos(), r * phi.sin());
                let b = brute(|x, y| shape.lethality(x, y), width, x, y, 20_000);
                let d = (s.at(x, y) - b).abs();
                if r < 2.0 * dx {
                    near = near.max(d);
                } else {
                    worst = worst.max(d);
                }
            }
        }
        eprintln!("smooth raster: worst |ΔS| = {worst:e}, within 2 columns {near:e}");
        assert!(worst <= 1e-3, "worst {worst}");
        assert!(
            near <= 0.5 / ANGULAR_STEPS_PER_SECTOR,
            "near the source {near}"
        );
    }

    /// Every point of the spread footprint with S > 0 lies in its rectangle; the arcs are inside
    /// the circle range.
    #[test]
    fn rectangle_contains_the_support() {
        let s = SectorAverage::of_shape(&band(30.0, 600.0), PI / 6.0)
            .unwrap()
            .unwrap();
        let [x0, x1, y0, y1] = s.local_rect();
        for i in 0..200 {
            for j in 0..200 {
                let (x, y) = (-700.0 + 7.0 * i as f64, -700.0 + 7.0 * j as f64);
                if s.at(x, y) > 0.0 {
                    assert!(x >= x0 && x <= x1 && y >= y0 && y <= y1, "({x}, {y})");
                }
            }
        }
    }

    /// The running integral kept as f64 anchors plus f32 increments ([`Span`]) gives the window
    /// integrals of the same integral kept in f64 within the stated bound, 2·2⁻²⁴ of one
    /// block's integral (≤ 2·2⁻²⁴·16·δφ·P_max), and within 10⁻⁶ relative wherever the window
    /// holds at least 10⁻³ of the largest: a plateau P = 1 with Gaussian flanks down to 10⁻¹²,
    /// 3 001 nodes, windows of every width across it (the reference is computed here from the
    /// f64 sums with the same interpolation).
    #[test]
    fn f32_increments_keep_the_running_integral() {
        let (n, a, dphi) = (3001usize, -0.7, 4e-4);
        let p = |k: usize| {
            let x = k as f64 / (n - 1) as f64;
            let d = (x - 0.5).abs() - 0.1;
            if d <= 0.0 {
                1.0
            } else {
                (-(d / 0.05).powi(2)).exp()
            }
        };
        let mut c = vec![0.0f64; n];
        for k in 1..n {
            c[k] = c[k - 1] + 0.5 * dphi * (p(k - 1) + p(k));
        }
        let span = Span::new(a, dphi, &c);
        let cum64 = |phi: f64| {
            let f = (phi - a) / dphi;
            if f <= 0.0 {
                return 0.0;
            }
            let k = f as usize;
            if k + 1 >= n {
                return c[n - 1];
            }
            c[k] + (c[k + 1] - c[k]) * (f - k as f64)
        };
        let bound = 2.0 * 2f64.powi(-24) * SPAN_BLOCK as f64 * dphi + 1e-15;
        let largest = c[n - 1];
        let mut checked = 0;
        for i in 0..400 {
            for w in [0.003, 0.02, 0.1, 0.5, 1.1] {
                let lo = a - 0.05 + i as f64 * 0.0035;
                let (got, want) = (span.window(lo, lo + w), cum64(lo + w) - cum64(lo));
                assert!((got - want).abs() <= bound, "[{lo}, +{w}]: {got} vs {want}");
                if want >= 1e-3 * largest {
                    assert!(
                        (got - want).abs() <= 1e-6 * want,
                        "[{lo}, +{w}]: {got} vs {want}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    /// One sector covering the whole circle: S is the average of P over the circle, the same in
    /// every direction (an isotropic result).
    #[test]
    fn a_single_sector_gives_the_circular_average() {
        let s = SectorAverage::of_shape(&band(20.0, 500.0), TAU)
            .unwrap()
            .unwrap();
        let r = 250.0;
        let want = 2.0 * (20.0f64 / r).asin() / TAU;
        for k in 0..12 {
            let phi = k as f64 * TAU / 12.0;
            let got = s.at(r * phi.cos(), r * phi.sin());
            assert!((got - want).abs() <= 1e-3 * want, "{phi}: {got} vs {want}");
        }
    }

    proptest::proptest! {
        /// Invariant: with n equal sectors the sector averages tile the circle, so for any
        /// point the mean of S over the n sector centres equals the circular average of P at
        /// that radius (the one-sector table): (1/n)·Σ_k S(R_{kΔθ} p) = (1/2π)∮ P. Bands of
        /// random width and length, random points and sector counts; exact arcs on both sides,
        /// so only the radial interpolation differs (same rows): 10⁻⁹ absolute. And S ∈ [0, p].
        #[test]
        fn sectors_tile_the_circle(
            w in 1.0f64..80.0,
            len in 100.0f64..1500.0,
            n in 1usize..24,
            r_frac in 0.0f64..1.0,
            phi in -3.2f64..3.2,
        ) {
            let shape = band(w, len);
            let width = TAU / n as f64;
            let s = SectorAverage::of_shape(&shape, width).unwrap().unwrap();
            let full = SectorAverage::of_shape(&shape, TAU).unwrap().unwrap();
            let r = r_frac * len;
            let mean = (0..n)
                .map(|k| {
                    let a = phi + k as f64 * width;
                    s.at(r * a.cos(), r * a.sin())
                })
                .sum::<f64>()
                / n as f64;
            let circ = full.at(r * phi.cos(), r * phi.sin());
            proptest::prop_assert!((mean - circ).abs() <= 1e-9, "{} vs {}", mean, circ);
            let v = s.at(r * phi.cos(), r * phi.sin());
            proptest::prop_assert!((0.0..=1.0).contains(&v));
        }
    }

    proptest::proptest! {
        /// The row found from any start is the binary search's.
        #[test]
        fn row_from_any_start_is_the_binary_search(
            steps in proptest::collection::vec(0.01f64..50.0, 1..40),
            r in 0.0f64..1200.0,
            start in 0usize..45,
        ) {
            let radii: Vec<f64> = std::iter::once(0.0)
                .chain(steps.iter().scan(0.0, |a, d| {
                    *a += d;
                    Some(*a)
                }))
                .collect();
            let want = radii.partition_point(|&v| v <= r).saturating_sub(1);
            let mut row = start;
            proptest::prop_assert_eq!(row_from(&radii, r, &mut row), want);
            proptest::prop_assert_eq!(row, want);
        }
    }

    #[test]
    fn constructor_rejects_bad_input() {
        let p = |_: f64, _: f64| 1.0;
        let rect = [0.0, 10.0, -1.0, 1.0];
        assert!(SectorAverage::new(p, rect, 10.0, 0.0, 1.0, 1.0).is_err());
        assert!(SectorAverage::new(p, rect, 10.0, 7.0, 1.0, 1.0).is_err());
        assert!(SectorAverage::new(p, rect, 10.0, 0.5, f64::NAN, 1.0).is_err());
        assert!(SectorAverage::new(p, rect, 10.0, 0.5, 1.0, 0.0).is_err());
        assert!(SectorAverage::new(p, rect, f64::INFINITY, 0.5, 1.0, 1.0).is_err());
    }

    /// Thermal footprints spread their societal lethalities separately: the outdoor societal
    /// lethality is the sector average of 0.14·P (P < 1), not 0.14 times the average.
    #[test]
    fn thermal_societal_lethality_is_averaged_after_the_rule() {
        let n = 161;
        let b = BandTable::new(0.0, 2.0, vec![10.0; n], 1.0).unwrap();
        let fp = Arc::new(Footprint::new(Shape::Band(b), Hazard::Thermal).unwrap());
        let sp = SpreadFootprint::new(&fp, VulnerabilityRules::PurpleBook, PI / 6.0)
            .unwrap()
            .unwrap();
        // P = 1 inside the band: rule (1, 1); the average of (1, 1) over the share of
        // directions is (S, S), while rules(S) with S < 1 would give (0.14·S, 0).
        let (o, i) = sp.societal(200.0, 0.0);
        let s = sp.lethality(200.0, 0.0);
        assert!(s > 0.0 && s < 1.0);
        // The band's exact arcs and the thermal tables' trapezoid sums (step edges, K = 32 per
        // sector and the band's column spacing as arc step) agree within one angular step.
        assert!(
            (o - s).abs() <= 0.05 * s && (i - o).abs() <= 1e-12,
            "{o} {i} {s}"
        );
    }

    /// A thermal raster's three averages from one sweep ([`SectorAverage::new_many`]) are the
    /// tables [`SectorAverage::new`] builds for each lethality alone, bit for bit: P, and the
    /// societal (outdoor, indoor) lethalities of the Purple Book rule, (1, 1) where P = 1 and
    /// (0.14·P, 0) elsewhere — a raster with a lethal core, so all three are non-trivial.
    #[test]
    fn one_sweep_thermal_tables_equal_separate_ones() {
        let (nx, ny) = (65, 65);
        let r = 120.0;
        let (dx, dy) = (2.0 * r / (nx - 1) as f64, 2.0 * r / (ny - 1) as f64);
        let mut v = vec![0.0; nx * ny];
        for j in 0..ny {
            for i in 0..nx {
                let (x, y) = (-r + i as f64 * dx, -r + j as f64 * dy);
                // A fire tilted downwind: lethal within 30 m of (25, 0), falling off beyond.
                let d = (x - 25.0).hypot(y);
                v[j * nx + i] = if d < 30.0 {
                    1.0
                } else {
                    (1.0 - (d - 30.0) / 60.0).max(0.0)
                };
            }
        }
        let shape = Shape::Directional(DirectionalTable::new(-r, -r, dx, dy, nx, ny, v).unwrap());
        let fp = Arc::new(Footprint::new(shape.clone(), Hazard::Thermal).unwrap());
        let rules = VulnerabilityRules::PurpleBook;
        let width = PI / 6.0;
        let sp = SpreadFootprint::new(&fp, rules, width).unwrap().unwrap();
        let rect = shape.local_rect().unwrap();
        let alone = |k: usize| {
            SectorAverage::new(
                |x, y| {
                    let p = shape.lethality(x, y);
                    let (o, i) = rules.societal(Hazard::Thermal, p);
                    [p, o, i][k]
                },
                rect,
                shape.reach_m(),
                width,
                dx,
                dy,
            )
            .unwrap()
        };
        let (ir, out, ind) = (alone(0), alone(1), alone(2));
        let mut lethal = 0;
        for k in 0..4000 {
            let (rr, phi) = (0.04 * k as f64, (k as f64 * 0.731).sin() * PI);
            let (x, y) = (rr * phi.cos(), rr * phi.sin());
            let (o, i) = sp.societal(x, y);
            assert_eq!(
                sp.lethality(x, y).to_bits(),
                ir.at(x, y).to_bits(),
                "({x}, {y})"
            );
            assert_eq!(o.to_bits(), out.at(x, y).to_bits(), "({x}, {y})");
            assert_eq!(i.to_bits(), ind.at(x, y).to_bits(), "({x}, {y})");
            lethal += usize::from(i > 0.0 && o > 0.0);
        }
        assert!(lethal > 100, "{lethal}");
    }
}
