//! The numerical building blocks shared by the models: bracketed root finding on a monotone
//! predicate, Gauss–Legendre quadrature, linear and bilinear interpolation. Every model calls these
//! instead of keeping its own copy (issue 13).
//!
//! # Why hand-written here
//! Each routine is a few lines whose exact sequence of floating-point operations fixes the bits
//! of the study outputs recorded in `qra-core/tests/golden.rs`:
//! * **Root finding** is bisection, not Brent or a crate such as `roots`: the models look for the
//!   edge of a region where a *monotone but not smooth* curve (digitised blast charts with kinks,
//!   piecewise dense-gas nomograms, a flux scanned in 16 directions) is at or above a level, so a
//!   predicate is all they have, and Brent's secant/inverse-quadratic steps would change every
//!   recorded distance in its last bits for no accuracy gain at the tolerances used. Bisection on
//!   a predicate is also exactly reproducible from its bracket and stopping rule alone.
//! * **Gauss–Legendre nodes** are computed by Newton's iteration on P_n (the `gauleg` routine of
//!   Press et al.): the `gauss-quad` crate computes them by the Golub–Welsch eigenvalue method,
//!   which agrees to ~1e-15 but not bit for bit, and the fire view factors feed the goldens.
//! * **Interpolation** keeps the operation order the tables were recorded with.
//!
//! Nothing here allocates on the hot path (the Gauss–Legendre table is built once per order).

use std::sync::OnceLock;

/// Doubles `hi` while `below(hi)` holds and `hi < cap`; returns the first `hi` that is not below
/// the root (or the first one ≥ `cap`).
///
/// `below(x)` is true on the low side of the root of a monotone problem ("the overpressure at
/// distance x is still ≥ the level"). Every doubling is exact in binary floating point, so the
/// previous upper end is exactly `hi / 2` and callers that want it as their lower bracket end can
/// take `0.5 * hi`.
///
/// # Units
/// Those of `x`.
pub fn expand_upper(mut hi: f64, mut below: impl FnMut(f64) -> bool, cap: f64) -> f64 {
    while below(hi) && hi < cap {
        hi *= 2.0;
    }
    hi
}

/// Bisection of the bracket [`lo`, `hi`] of a monotone predicate: `below(x)` is true on the low
/// side of the root, false on the high side.
///
/// Each step evaluates m = ½(lo + hi) and replaces `lo` (if `below(m)`) or `hi` by m. Before each
/// step `done(lo, hi)` is asked whether the bracket is narrow enough; at most `max_halvings`
/// steps are taken (about 1 075 halvings reach adjacent floats from any finite bracket, after
/// which m equals an end and further steps change nothing). Returns the final (lo, hi);
/// callers choose the end (or midpoint) that suits their convention — `hi` for "the distance
/// beyond which the level is no longer reached".
///
/// Bisection needs only the sign information, converges linearly (one bit per step) and is
/// bit-reproducible from its inputs; see the module docs for why it is preferred to Brent's method.
///
/// # Units
/// Those of `x`.
pub fn bisect(
    mut lo: f64,
    mut hi: f64,
    mut below: impl FnMut(f64) -> bool,
    done: impl Fn(f64, f64) -> bool,
    max_halvings: usize,
) -> (f64, f64) {
    for _ in 0..max_halvings {
        if done(lo, hi) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if below(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo, hi)
}

/// A `done` rule for [`bisect`] that never stops early: the bracket is halved `max_halvings`
/// times.
pub fn never(_lo: f64, _hi: f64) -> bool {
    false
}

/// `max_halvings` for a [`bisect`] that its `done` rule alone ends (a width that the bracket
/// reaches, e.g. an absolute width above the float spacing at the root).
pub const UNBOUNDED_HALVINGS: usize = usize::MAX;

/// Gauss–Legendre nodes xᵢ and weights wᵢ on [−1, 1] for `n` points (1 ≤ n ≤ 256), so that
/// ∫₋₁¹ f(x) dx ≈ Σ wᵢ f(xᵢ), exact for polynomials of degree ≤ 2n − 1.
///
/// Nodes are the roots of the Legendre polynomial P_n, found by Newton's iteration from
/// xᵢ⁽⁰⁾ = cos(π(i + ¾)/(n + ½)) with P_n evaluated by the three-term recurrence
/// k·P_k = (2k − 1)·x·P_{k−1} − (k − 1)·P_{k−2} and P_n′ = n(x·P_n − P_{n−1})/(x² − 1);
/// wᵢ = 2/((1 − xᵢ²)·P_n′(xᵢ)²). Source: Press, Teukolsky, Vetterling & Flannery (2007),
/// *Numerical Recipes*, 3rd ed., §4.6.1, routine `gauleg`; Abramowitz & Stegun (1964) 25.4.29.
/// Nodes come in descending order. Cached (computed once per `n`).
///
/// # Panics
/// If `n` is 0 or above 256.
pub fn gauss_legendre(n: usize) -> &'static [(f64, f64)] {
    static CACHE: [OnceLock<Vec<(f64, f64)>>; 257] = [const { OnceLock::new() }; 257];
    assert!(
        (1..=256).contains(&n),
        "gauss_legendre: n = {n} not in 1..=256"
    );
    CACHE[n].get_or_init(|| {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
            let mut dp = 1.0;
            for _ in 0..100 {
                let (mut p0, mut p1) = (1.0, x);
                for k in 2..=n {
                    let p2 = ((2 * k - 1) as f64 * x * p1 - (k - 1) as f64 * p0) / k as f64;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
                let dx = p1 / dp;
                x -= dx;
                if dx.abs() < 1e-15 {
                    break;
                }
            }
            out.push((x, 2.0 / ((1.0 - x * x) * dp * dp)));
        }
        out
    })
}

/// ∫ₐᵇ f(x) dx by `n`-point Gauss–Legendre quadrature ([`gauss_legendre`]):
/// (b − a)/2 · Σ wᵢ f((a + b)/2 + (b − a)/2 · xᵢ).
///
/// # Units
/// Those of f times those of x.
///
/// # Panics
/// If `n` is 0 or above 256.
pub fn integrate_gauss_legendre(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    h * gauss_legendre(n)
        .iter()
        .map(|&(x, w)| w * f(c + h * x))
        .sum::<f64>()
}

/// Linear interpolation by fraction: y₀ + t·(y₁ − y₀) (t = 0 gives y₀; t = 1 gives y₀ + (y₁ − y₀),
/// which may differ from y₁ in the last bit).
#[inline]
pub fn lerp(y0: f64, y1: f64, t: f64) -> f64 {
    y0 + t * (y1 - y0)
}

/// Bilinear interpolation in a grid cell with corner values v₀₀ (at tx = ty = 0), v₁₀ (tx = 1),
/// v₀₁ (ty = 1), v₁₁, at fractions `tx`, `ty` ∈ [0, 1]: a = lerp(v₀₀, v₁₀, tx),
/// b = lerp(v₀₁, v₁₁, tx), result lerp(a, b, ty) ([`lerp`]; x first, then y — the order of the
/// engine's directional rasters and footprint tables).
#[inline]
pub fn bilinear(v00: f64, v10: f64, v01: f64, v11: f64, tx: f64, ty: f64) -> f64 {
    lerp(lerp(v00, v10, tx), lerp(v01, v11, tx), ty)
}

/// Linear interpolation through (x₀, y₀), (x₁, y₁) at `x`:
/// y = y₀ + (y₁ − y₀)·(x − x₀)/(x₁ − x₀) (this operation order; extrapolates outside [x₀, x₁]).
#[inline]
pub fn interp_segment(x0: f64, y0: f64, x1: f64, y1: f64, x: f64) -> f64 {
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// Piecewise-linear interpolation in a table with strictly increasing `xs` (at least 2 points,
/// `ys` of the same length) at `x`, by [`interp_segment`] on the segment [x_{k−1}, x_k] with
/// k = #{xᵢ ≤ x} clamped to 1..n−1 — so a node gives its own value and points outside the table
/// are extrapolated from the end segments; callers apply their own out-of-range policy first.
///
/// # Panics
/// If the table has fewer than 2 points or `ys` is shorter than `xs`.
pub fn interp_table(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let n = xs.len();
    let k = xs.partition_point(|&v| v <= x).clamp(1, n - 1);
    interp_segment(xs[k - 1], ys[k - 1], xs[k], ys[k], x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::EXACT;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn gauss_legendre_is_exact_for_polynomials_of_degree_2n_minus_1() {
        // ∫₀¹ x^k dx = 1/(k + 1) for k ≤ 2n − 1.
        for n in [1, 2, 5, 12, 24, 64] {
            for k in 0..2 * n {
                let q = integrate_gauss_legendre(|x| x.powi(k as i32), 0.0, 1.0, n);
                assert_relative_eq!(q, 1.0 / (k as f64 + 1.0), max_relative = 1e-13);
            }
            let s: f64 = gauss_legendre(n).iter().map(|p| p.1).sum();
            assert_relative_eq!(s, 2.0, max_relative = EXACT);
        }
        // Abramowitz & Stegun Table 25.4, n = 2: ±1/√3, weights 1.
        let g = gauss_legendre(2);
        assert_relative_eq!(g[0].0, 1.0 / 3f64.sqrt(), max_relative = EXACT);
        assert_relative_eq!(g[1].0, -1.0 / 3f64.sqrt(), max_relative = EXACT);
        assert_relative_eq!(g[0].1, 1.0, max_relative = EXACT);
        // A smooth non-polynomial: ∫₀^π sin = 2.
        let q = integrate_gauss_legendre(f64::sin, 0.0, std::f64::consts::PI, 12);
        assert_relative_eq!(q, 2.0, max_relative = EXACT);
    }

    #[test]
    fn bisection_finds_the_edge_and_honours_its_stopping_rules() {
        // x³ = 2 on [0, 1] expanded: the root is 2^(1/3).
        let below = |x: f64| x * x * x < 2.0;
        let hi = expand_upper(1.0, below, 1e12);
        assert_eq!(hi, 2.0);
        let (lo, hi) = bisect(0.0, hi, below, never, 200);
        assert!(lo < hi && hi - lo <= f64::EPSILON * 2.0);
        assert_relative_eq!(hi, 2f64.cbrt(), max_relative = EXACT);
        // Absolute width rule.
        let (lo, hi) = bisect(0.0, 2.0, below, |l, h| h - l <= 1e-3, UNBOUNDED_HALVINGS);
        assert!(hi - lo <= 1e-3 && lo <= 2f64.cbrt() && 2f64.cbrt() <= hi);
        // The cap stops the expansion of a predicate that is always true.
        assert_eq!(expand_upper(1.0, |_| true, 1e3), 1024.0);
    }

    #[test]
    fn interpolation_reproduces_nodes_and_lines() {
        let xs = [0.0, 1.0, 3.0];
        let ys = [1.0, 3.0, -1.0];
        assert_eq!(interp_table(&xs, &ys, 1.0), 3.0);
        assert_eq!(interp_table(&xs, &ys, 2.0), 1.0);
        assert_eq!(interp_table(&xs, &ys, 0.5), 2.0);
        // Extrapolation from the end segments.
        assert_eq!(interp_table(&xs, &ys, -1.0), -1.0);
        assert_eq!(interp_table(&xs, &ys, 4.0), -3.0);
        assert_eq!(lerp(2.0, 4.0, 0.25), 2.5);
        // Bilinear: corners, centre = mean, exact on f = 1 + 2x + 3y + 4xy.
        let f = |x: f64, y: f64| 1.0 + 2.0 * x + 3.0 * y + 4.0 * x * y;
        let (v00, v10, v01, v11) = (f(0.0, 0.0), f(1.0, 0.0), f(0.0, 1.0), f(1.0, 1.0));
        assert_eq!(bilinear(v00, v10, v01, v11, 1.0, 0.0), v10);
        assert_eq!(
            bilinear(v00, v10, v01, v11, 0.5, 0.5),
            0.25 * (v00 + v10 + v01 + v11)
        );
        assert_eq!(bilinear(v00, v10, v01, v11, 0.25, 0.75), f(0.25, 0.75));
    }

    proptest! {
        #[test]
        fn interpolation_is_exact_on_a_line(a in -10.0..10.0f64, b in -10.0..10.0f64,
                                            x in -5.0..15.0f64) {
            let xs = [-5.0, 0.0, 2.5, 7.0, 15.0];
            let ys = xs.map(|v| a + b * v);
            let y = interp_table(&xs, &ys, x);
            prop_assert!((y - (a + b * x)).abs() <= 1e-12 * (1.0 + a.abs() + (b * x).abs()) * 100.0);
        }
    }
}
