//! Tabulated view factor of a tilted circular cylinder flame to ground-level "maximum"
//! receivers (issue 14: "expensive models tabulated on their dimensionless parameters where exact
//! enough").
//!
//! # What is tabulated
//! The differential view factor F of the lateral surface of an oblique circular cylinder (module
//! [`super::view_factor`]: radius R, axial length L, tilt θ from the vertical towards +x; the
//! solid-flame pool-fire geometry of Mudan 1984, *Prog. Energy Combust. Sci.* 10, 59–80, and of
//! the TNO Yellow Book, CPR 14E 2005, §6.5) to a receiver on the ground (z = 0) with the
//! orientation of the vector view factor ([`Receiver::Max`]) is dimensionless and scale-free: it
//! depends only on
//! * h = L/R (flame length over radius) and θ, and
//! * the receiver position in radii, ρ = √(x² + y²)/R and ψ = atan2(|y|, x) (F is even in y:
//!   the axis lies in the x–z plane).
//!
//! [`CylinderTable`] holds ln F on a (q, ψ) grid for one (h, θ), with q = ln(ρ − 1 + δ),
//! δ = 0.02 (nodes clustered at the flame base, where F varies fastest; ln F is nearly linear in
//! q far away, where F ∝ ρ⁻²) and ψ nodes clustered downwind (where a strongly tilted flame
//! lies over the ground). It is blended once per fire from global node tables ("slabs") on a
//! grid of ln h and λ = asinh(tan θ) (in λ, ln F stays smooth up to θ → 90°), each filled by
//! the exact quadrature ([`Cylinder::factor`], 48 Gauss–Legendre azimuth nodes within 4 radii
//! of the axis, 24 beyond; [`exact_slab`]). The slabs are computed ahead of time and stored in
//! single precision in `models/view_factor/cylinder_ln_f.f32le` ([`SLAB_FILE`], 6.8 MB, embedded
//! in the library; computing the ~150 slabs of the park-1000 study on first use was 18 % of its
//! single-thread time), read on first use and kept for the process (`OnceLock`). Memory: at most
//! [`N_H`]·[`N_TILT`] = 738 slabs of [`N_Q`]·[`N_PSI`] = 2 296 values (13.6 MB as `f64` if
//! every (h, θ) node were used; the park-1000 study uses ~150 slabs, ~3 MB). Interpolation is 4-point
//! Lagrange (cubic) in each of the four coordinates ([`lagrange4_weights`], Abramowitz & Stegun
//! 1964, eq. 25.2.13); in ψ the stencil is mirrored at ψ = 0 (F even in ψ) and one-sided at π.
//!
//! # Range and fallback
//! The table covers 0.5 ≤ h ≤ 32 (pool fires: L/D from 0.25 to 16; Thomas 1963 gives
//! ~0.7–5 for 1–100 m pools), 0 ≤ θ ≤ 80° (AGA tilt for u* ≤ 33), 1.01 ≤ ρ ≤ 100. Outside it,
//! off the ground, for elliptical (flame-drag) bases and for receivers other than
//! [`Receiver::Max`] the exact quadrature is used ([`CylinderTable::new`] or
//! [`CylinderTable::factor`] return `None`).
//!
//! # Accuracy (tested)
//! Against the exact quadrature with 48 azimuth nodes (itself within ≤ 1.7·10⁻⁴ of the
//! converged integral away from the flame, `view_factor` tests), on 20 000 points from a
//! low-discrepancy sequence in (ln h, θ, ln(ρ − 1), ψ) over the whole range, none of them a node
//! (`cargo run -p qra-benches --release --example view_factor_table`): relative error median
//! 3.8·10⁻⁶, 99th percentile 1.6·10⁻⁴, 99.9th 1.1·10⁻³, worst 6.7·10⁻³ (under the tip of a
//! 77° tilted, h = 28 flame). The unit tests check ≤ [`TABULATED_MODEL`](crate::tolerance::TABULATED_MODEL)
//! (1 %) on five flames × 300 receivers and against Mudan's closed forms for upright flames;
//! the pool-fire tests check the thermal footprint reach within 1 %. The stored slabs equal the
//! exact quadrature rounded to `f32` (tests recompute a sample of slabs in every build; the
//! `view_factor_slabs` example of `qra-benches` checks all 738: ln F within 4.8·10⁻⁷, relative
//! 6.0·10⁻⁸). Table values are read, not computed, so results are bit-identical across thread
//! counts and machines.

use std::sync::OnceLock;

use super::view_factor::{Cylinder, Receiver};
use crate::numerics::lagrange4_weights;

/// Nodes in ln h, h = L/R from [`H_MIN`] to [`H_MAX`].
pub const N_H: usize = 41;
/// Smallest tabulated h = L/R.
pub const H_MIN: f64 = 0.5;
/// Largest tabulated h = L/R.
pub const H_MAX: f64 = 32.0;
/// Nodes in the tilt coordinate λ = asinh(tan θ) from 0 to λ([`TILT_MAX_RAD`]).
pub const N_TILT: usize = 18;
/// Largest tabulated tilt from the vertical, rad (80°).
pub const TILT_MAX_RAD: f64 = 80.0 * std::f64::consts::PI / 180.0;
/// Nodes in q = ln(ρ − 1 + δ).
pub const N_Q: usize = 56;
/// Nodes in ψ over [0, π], uniform in w = asinh(ψ·sinh C/π)/C ∈ [0, 1]: 2.1° apart downwind
/// (ψ = 0, where a strongly tilted flame lies over the ground and F varies over the angle the
/// flame subtends), 12.7° upwind (ψ = π, where F varies smoothly).
pub const N_PSI: usize = 41;
/// Clustering constant C of the ψ nodes.
const PSI_C: f64 = 2.5;

/// ψ (rad, 0..π) → node coordinate w·(N_PSI − 1).
fn psi_coord(psi: f64) -> f64 {
    (psi * PSI_C.sinh() / std::f64::consts::PI).asinh() / PSI_C * (N_PSI - 1) as f64
}

/// ψ of node `ip`.
fn psi_node(ip: usize) -> f64 {
    std::f64::consts::PI * (PSI_C * ip as f64 / (N_PSI - 1) as f64).sinh() / PSI_C.sinh()
}
/// Nearest tabulated receiver, in radii from the axis (1 % of R off the flame base).
pub const RHO_MIN: f64 = 1.01;
/// Farthest tabulated receiver, in radii from the axis.
pub const RHO_MAX: f64 = 100.0;
/// Offset δ of the distance coordinate q = ln(ρ − 1 + δ).
const DELTA: f64 = 0.02;
/// Azimuth nodes of the exact quadrature that fills the table within [`RHO_NEAR`] radii of the
/// axis (24 nodes err by up to 13 % at ρ = 1.02 under an 80° tilted flame; 48 by < 0.2 %
/// against 96), and beyond it (the default 24 nodes, ≤ 1.7·10⁻⁴ there; `view_factor` tests).
const N_PHI_EXACT: usize = 48;
const N_PHI_FAR: usize = 24;
/// See [`N_PHI_EXACT`].
const RHO_NEAR: f64 = 4.0;

fn q_of_rho(rho: f64) -> f64 {
    (rho - 1.0 + DELTA).ln()
}

/// The tilt coordinate λ = asinh(tan θ) (the inverse Gudermannian): ≈ θ for small tilts, and
/// ln cos θ = −ln cosh λ is smooth in λ up to θ → 90°, where the flame's horizontal cross-section
/// is a circle of radius R but its true thickness 2R·cos θ vanishes (F ∝ cos θ along the ribbon).
fn lambda_of_tilt(tilt_rad: f64) -> f64 {
    tilt_rad.tan().asinh()
}

fn q_range() -> (f64, f64) {
    (q_of_rho(RHO_MIN), q_of_rho(RHO_MAX))
}

/// Coordinate of node `i` of an axis of `n` nodes spanning [a, b].
fn node(a: f64, b: f64, n: usize, i: usize) -> f64 {
    a + (b - a) * i as f64 / (n - 1) as f64
}

/// First node of the 4-node stencil of `x` on an axis of `n` uniform nodes over [a, b], and the
/// position of `x` in stencil units (0..3); `None` outside [a, b].
fn stencil(x: f64, a: f64, b: f64, n: usize) -> Option<(usize, [f64; 4])> {
    if !(x >= a && x <= b) {
        return None;
    }
    let f = (x - a) / (b - a) * (n - 1) as f64;
    let i0 = (f.floor() as isize - 1).clamp(0, n as isize - 4) as usize;
    Some((i0, lagrange4_weights(f - i0 as f64)))
}

/// The stored node slabs ([`SLAB_FILE`]): ln F as little-endian `f32`, slab (ih, it) at
/// index ih·[`N_TILT`] + it, each [`N_Q`]·[`N_PSI`] values row-major by q — [`exact_slab`] of
/// every node rounded to single precision (relative error ≤ 2⁻²⁴ ≈ 6·10⁻⁸ in ln F, so
/// ≤ 1.2·10⁻⁶ in F down to F = 10⁻⁹; the table's own interpolation error is 100× larger).
static SLAB_DATA: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../models/view_factor/cylinder_ln_f.f32le"
));

/// Path of the stored slabs within the workspace (written by the `view_factor_slabs` example of
/// `qra-benches`; checked against [`exact_slab`] by the tests).
pub const SLAB_FILE: &str = "models/view_factor/cylinder_ln_f.f32le";

/// Values in one node slab.
pub const SLAB_LEN: usize = N_Q * N_PSI;

/// Node slabs in [`SLAB_FILE`].
pub const N_SLABS: usize = N_H * N_TILT;

static SLABS: [OnceLock<Box<[f64]>>; N_SLABS] = [const { OnceLock::new() }; N_SLABS];

/// Number of node slabs read so far in this process (for benchmarks and memory accounting).
pub fn slabs_built() -> usize {
    SLABS.iter().filter(|s| s.get().is_some()).count()
}

/// ln F on the (q, ψ) grid of node (ih, it) (ih < [`N_H`], it < [`N_TILT`]), row-major by q, by
/// the exact quadrature ([`Cylinder::factor`], 48 azimuth nodes within 4 radii of the axis, 24
/// beyond): what [`SLAB_FILE`] stores. About
/// 15 ms per slab in a release build (2 296 view factors); all 738 take ~11 s on one core,
/// which is why they are stored rather than computed on first use (issue 14: building the
/// ~150 slabs of the park-1000 study was 18 % of its single-thread time).
pub fn exact_slab(ih: usize, it: usize) -> Vec<f64> {
    let h = node(H_MIN.ln(), H_MAX.ln(), N_H, ih).exp();
    let th = node(0.0, lambda_of_tilt(TILT_MAX_RAD), N_TILT, it)
        .sinh()
        .atan();
    let axis = [th.sin(), 0.0, th.cos()];
    let near = Cylinder::circular(1.0, h, axis, N_PHI_EXACT);
    let far = Cylinder::circular(1.0, h, axis, N_PHI_FAR);
    let (q0, q1) = q_range();
    let mut v = Vec::with_capacity(SLAB_LEN);
    for iq in 0..N_Q {
        let rho = node(q0, q1, N_Q, iq).exp() + 1.0 - DELTA;
        for ip in 0..N_PSI {
            let psi = psi_node(ip);
            let cyl = if rho < RHO_NEAR { &near } else { &far };
            let f = cyl.factor([rho * psi.cos(), rho * psi.sin(), 0.0], Receiver::Max);
            // F > 0 at every ground point outside the base (the wall is always in view);
            // the floor only keeps ln finite.
            v.push(f.max(1e-300).ln());
        }
    }
    v
}

/// The stored slab of node (ih, it), as [`exact_slab`] rounded to `f32`.
pub fn stored_slab(ih: usize, it: usize) -> &'static [f64] {
    SLABS[ih * N_TILT + it].get_or_init(|| {
        let start = (ih * N_TILT + it) * SLAB_LEN * 4;
        SLAB_DATA[start..start + SLAB_LEN * 4]
            .chunks_exact(4)
            .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect()
    })
}

/// [`exact_slab`] in the stored form ([`SLAB_FILE`]'s bytes for one slab).
pub fn slab_bytes(ln_f: &[f64]) -> Vec<u8> {
    ln_f.iter()
        .flat_map(|&v| (v as f32).to_le_bytes())
        .collect()
}

/// ln F on the (q, ψ) grid of one flame (h, θ), blended from the node slabs.
#[derive(Debug, Clone, PartialEq)]
pub struct CylinderTable {
    ln_f: Vec<f64>,
}

impl CylinderTable {
    /// The table of a circular cylinder flame of length `h = L/R` (dimensionless) and tilt
    /// `tilt_rad` from the vertical; `None` outside the tabulated range.
    pub fn new(h: f64, tilt_rad: f64) -> Option<CylinderTable> {
        let (ih, wh) = stencil(h.ln(), H_MIN.ln(), H_MAX.ln(), N_H)?;
        let (it, wt) = stencil(
            lambda_of_tilt(tilt_rad),
            0.0,
            lambda_of_tilt(TILT_MAX_RAD),
            N_TILT,
        )?;
        let mut ln_f = vec![0.0; N_Q * N_PSI];
        for (a, wa) in wh.iter().enumerate() {
            for (b, wb) in wt.iter().enumerate() {
                let w = wa * wb;
                for (o, s) in ln_f.iter_mut().zip(stored_slab(ih + a, it + b)) {
                    *o += w * s;
                }
            }
        }
        Some(CylinderTable { ln_f })
    }

    /// The table of `cyl` if it is a circular cylinder leaning towards +x in the tabulated range.
    pub fn for_cylinder(cyl: &Cylinder) -> Option<CylinderTable> {
        let [ax, ay, az] = cyl.axis;
        let circular = cyl.semi_axis_x_m == cyl.radius_m && cyl.base_offset_x_m == 0.0;
        if !circular || ay != 0.0 || ax < 0.0 || az <= 0.0 || cyl.radius_m <= 0.0 {
            return None;
        }
        CylinderTable::new(cyl.length_m / cyl.radius_m, ax.atan2(az))
    }

    /// F at the ground point (`x_r`, `y_r`) in radii from the base centre ([`Receiver::Max`]);
    /// `None` outside [`RHO_MIN`] ≤ ρ ≤ [`RHO_MAX`] (the caller evaluates the exact quadrature).
    pub fn factor(&self, x_r: f64, y_r: f64) -> Option<f64> {
        let rho = x_r.hypot(y_r);
        let (q0, q1) = q_range();
        if !(RHO_MIN..=RHO_MAX).contains(&rho) {
            return None;
        }
        let (iq, wq) = stencil(q_of_rho(rho), q0, q1, N_Q)?;
        // ψ ∈ [0, π]; at ψ = 0 the stencil is mirrored (F is even in ψ and w is odd in ψ), at
        // ψ = π it is one-sided.
        let fp = psi_coord(y_r.abs().atan2(x_r));
        let last = (N_PSI - 1) as isize;
        let start = (fp.floor() as isize - 1).min(last - 3);
        let wp = lagrange4_weights(fp - start as f64);
        let mut cols = [0usize; 4];
        for (k, c) in cols.iter_mut().enumerate() {
            *c = (start + k as isize).unsigned_abs();
        }
        let mut ln_f = 0.0;
        for (a, wa) in wq.iter().enumerate() {
            let row = &self.ln_f[(iq + a) * N_PSI..(iq + a + 1) * N_PSI];
            let mut r = 0.0;
            for (c, w) in cols.iter().zip(&wp) {
                r += w * row[*c];
            }
            ln_f += wa * r;
        }
        Some(ln_f.exp().min(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fire::view_factor::mudan_vertical_cylinder;
    use crate::tolerance::TABULATED_MODEL;

    fn exact(h: f64, th: f64, x: f64, y: f64) -> f64 {
        Cylinder::circular(1.0, h, [th.sin(), 0.0, th.cos()], N_PHI_EXACT)
            .factor([x, y, 0.0], Receiver::Max)
    }

    /// A deterministic low-discrepancy sequence in [0, 1) (golden-ratio additive recurrence):
    /// points that are not table nodes, independent of the table's grid.
    fn seq(i: usize, k: f64) -> f64 {
        (0.5 + i as f64 * k).fract()
    }

    #[test]
    fn table_error_on_an_independent_dense_set() {
        // Five flames between the (h, θ) nodes — short and long, upright and 78° tilted (the
        // worst region of the 20 000-point sweep of `benches/examples/view_factor_table.rs`,
        // measured worst 0.89 %) — and 300 receivers each, ρ log-uniform in ρ − 1 over
        // [0.02, 99], ψ uniform over [−π, π] from an additive recurrence (no table node among
        // them), against the exact quadrature with 48 azimuth nodes. Debug builds fill the
        // slabs slowly, so the full sweep is the example's.
        let mut worst: f64 = 0.0;
        for (h, th_deg) in [
            (0.61, 3.1),
            (2.3, 33.0),
            (5.8, 77.0),
            (13.0, 61.0),
            (30.0, 78.5),
        ] {
            let th = f64::to_radians(th_deg);
            let t = CylinderTable::new(h, th).expect("in range");
            for i in 0..300 {
                let rho =
                    1.0 + (0.02f64.ln() + seq(i, 0.569_840_290_9) * (99.0f64 / 0.02).ln()).exp();
                let psi = (seq(i, 0.438_289_659_4) * 2.0 - 1.0) * std::f64::consts::PI;
                let (x, y) = (rho * psi.cos(), rho * psi.sin());
                let e = exact(h, th, x, y);
                let f = t.factor(x, y).expect("in range");
                worst = worst.max((f / e - 1.0).abs());
            }
        }
        assert!(worst <= TABULATED_MODEL, "worst relative error {worst}");
    }

    #[test]
    fn stored_slabs_are_the_exact_quadrature_in_single_precision() {
        assert_eq!(SLAB_DATA.len(), N_SLABS * SLAB_LEN * 4, "{SLAB_FILE}");
        // The four corners of the (h, θ) grid and interior nodes (the full check is the
        // example's: debug builds compute slabs slowly).
        for (ih, it) in [
            (0, 0),
            (0, N_TILT - 1),
            (N_H - 1, 0),
            (N_H - 1, N_TILT - 1),
            (17, 9),
            (31, 4),
        ] {
            let exact = exact_slab(ih, it);
            let stored = stored_slab(ih, it);
            for (k, (e, s)) in exact.iter().zip(stored).enumerate() {
                // f32 rounding: relative 2⁻²⁴; a different libm may move the exact value by a
                // few f64 ulps.
                assert!(
                    (e - s).abs() <= 6.0e-8 * e.abs() + 1e-12,
                    "slab ({ih}, {it}) value {k}: stored {s}, exact {e}"
                );
            }
        }
    }

    #[test]
    fn vertical_flame_matches_mudan_closed_form() {
        // Independent reference: Mudan (1984) closed forms for a vertical cylinder, ground
        // receiver at X = S·R; the maximum receiver of a ground point sees F = √(F_v² + F_h²)
        // (its normal is the direction of the vector view factor (F_v, F_h); no generator lies
        // behind that plane). h = 3.7 and 11 are not table nodes.
        for h in [3.7, 11.0] {
            let t = CylinderTable::new(h, 0.0).expect("in range");
            for s in [1.1, 1.7, 3.0, 7.5, 20.0, 90.0] {
                let (fv, fh) = mudan_vertical_cylinder(1.0, h, s);
                let m = fv.hypot(fh);
                let f = t.factor(s, 0.0).expect("in range");
                assert!(
                    (f / m - 1.0).abs() <= TABULATED_MODEL,
                    "h {h} S {s}: {f} vs {m}"
                );
                // Rotational symmetry of the upright flame (ψ = 100°, between ψ nodes).
                let a = 100f64.to_radians();
                let g = t.factor(s * a.cos(), s * a.sin()).expect("in range");
                assert!(
                    (g / m - 1.0).abs() <= TABULATED_MODEL,
                    "h {h} S {s} ψ 100°: {g}"
                );
            }
        }
    }

    #[test]
    fn out_of_range_falls_back() {
        assert!(CylinderTable::new(0.4, 0.0).is_none());
        assert!(CylinderTable::new(33.0, 0.0).is_none());
        assert!(CylinderTable::new(2.0, 81f64.to_radians()).is_none());
        assert!(CylinderTable::new(f64::NAN, 0.0).is_none());
        let t = CylinderTable::new(2.0, 0.3).expect("in range");
        assert!(t.factor(1.005, 0.0).is_none());
        assert!(t.factor(0.0, 101.0).is_none());
        assert!(t.factor(f64::NAN, 0.0).is_none());
        // Mirror symmetry across the wind axis is exact (the stencil reads the same values).
        assert_eq!(t.factor(3.0, 2.0), t.factor(3.0, -2.0));
        // A dragged (elliptical) flame is not tabulated.
        let c = Cylinder {
            semi_axis_x_m: 1.2,
            base_offset_x_m: 0.2,
            ..Cylinder::circular(1.0, 2.0, [0.0, 0.0, 1.0], 24)
        };
        assert!(CylinderTable::for_cylinder(&c).is_none());
    }
}
