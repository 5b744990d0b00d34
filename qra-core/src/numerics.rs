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
//!   a predicate is also exactly reproducible from its bracket and stopping rule alone. The
//!   exception is [`anderson_bjorck`], a bracketing secant method for a smooth f evaluated in the
//!   inner loop of an ODE right-hand side (issue 14), equally reproducible from its inputs.
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

/// Bracketing root finder for a continuous function `f` increasing through its root on
/// [`lo`, `hi`] (f(lo) < 0 ≤ f(hi)): regula falsi with the Anderson–Björck modification
/// (Anderson & Björck 1973, "A new high order method of regula falsi type for computing a root
/// of an equation", BIT 13, 253–264; Galdino 2011 compares it with Illinois): each step takes
/// the secant point of the bracket (the midpoint if rounding puts it outside) and keeps the
/// bracket; when the same end is kept twice in a row its function value is scaled by
/// 1 − f(m)/f(kept) (by ½ if that is not positive), so both ends converge superlinearly. A step
/// is at least 0.4·`rel_tol`·hi from either end, so the bracket closes once the iterate has
/// converged. Stops when hi − lo < `rel_tol`·hi or after `max_steps` evaluations; returns the
/// final (lo, hi), the same contract as [`bisect`] with the predicate f(x) < 0. If f(lo) ≥ 0
/// the bracket collapses to `lo`, if f(hi) < 0 to `hi` (where [`bisect`] would converge).
///
/// Used where f is smooth and a bisection to 10⁻¹² would take ~40 evaluations of an
/// expensive f (the SLAB-class mixture temperature, issue 14). On the test functions of
/// `anderson_bjorck_finds_the_bisection_root` it takes 17–22 evaluations on average to
/// 10⁻¹² from a bracket of 200 root widths (bisection: 47); a sharply kinked f can take more.
pub fn anderson_bjorck(
    mut lo: f64,
    mut hi: f64,
    f: impl Fn(f64) -> f64,
    rel_tol: f64,
    max_steps: usize,
) -> (f64, f64) {
    let (mut flo, mut fhi) = (f(lo), f(hi));
    if flo.is_nan() || flo >= 0.0 {
        return (lo, lo);
    }
    if fhi < 0.0 {
        return (hi, hi);
    }
    let mut kept = 0i8;
    for _ in 0..max_steps {
        if hi - lo < rel_tol * hi.abs() {
            break;
        }
        let d = 0.4 * rel_tol * hi.abs();
        let mut m = (lo * fhi - hi * flo) / (fhi - flo);
        if !(m > lo && m < hi) {
            m = 0.5 * (lo + hi);
        }
        m = m.max(lo + d).min(hi - d);
        if !(m > lo && m < hi) {
            break;
        }
        let fm = f(m);
        if fm == 0.0 {
            // An exact root: the bracket collapses onto it.
            return (m, m);
        }
        if fm < 0.0 {
            if kept == 1 {
                let g = 1.0 - fm / flo;
                fhi *= if g > 0.0 { g } else { 0.5 };
            }
            lo = m;
            flo = fm;
            kept = 1;
        } else {
            if kept == -1 {
                let g = 1.0 - fm / fhi;
                flo *= if g > 0.0 { g } else { 0.5 };
            }
            hi = m;
            fhi = fm;
            kept = -1;
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

/// The integer part of `f` as a table index, at most `last`: `(f as usize).min(last)`, that is
/// ⌊f⌋ capped at `last` for f ≥ 0, and 0 for negative f and NaN — but converted through `u32`
/// when `last` fits in one (a conversion the processor does in one instruction; the
/// saturating conversion to `usize` needs a second path for values ≥ 2⁶³): the same value
/// either way, since a value above `u32::MAX` saturates to `u32::MAX ≥ last` (issue 14: the Φ
/// table's index through `usize` cost 4 % of the analytic park-1000 run's instructions).
#[inline(always)]
pub fn floor_index(f: f64, last: usize) -> usize {
    if last <= u32::MAX as usize {
        (f as u32 as usize).min(last)
    } else {
        (f as usize).min(last)
    }
}

/// Bilinear interpolation in a grid cell with corner values v₀₀ (at tx = ty = 0), v₁₀ (tx = 1),
/// v₀₁ (ty = 1), v₁₁, at fractions `tx`, `ty` ∈ [0, 1]: a = lerp(v₀₀, v₁₀, tx),
/// b = lerp(v₀₁, v₁₁, tx), result lerp(a, b, ty) ([`lerp`]; x first, then y — the order of the
/// engine's directional rasters and footprint tables).
#[inline]
pub fn bilinear(v00: f64, v10: f64, v01: f64, v11: f64, tx: f64, ty: f64) -> f64 {
    lerp(lerp(v00, v10, tx), lerp(v01, v11, tx), ty)
}

/// [`bilinear`] in the cell whose v₀₀ is `values[k]` of a row-major single-precision lattice
/// `nx` wide (v₁₀ = `values[k + 1]`, v₀₁ = `values[k + nx]`, v₁₁ = `values[k + nx + 1]`), in
/// double precision; 0 when the cell's corners are not all in `values`.
#[inline]
pub fn bilinear_f32(values: &[f32], k: usize, nx: usize, tx: f64, ty: f64) -> f64 {
    let Some(v) = values.get(k..k + nx + 2) else {
        return 0.0;
    };
    bilinear(
        f64::from(v[0]),
        f64::from(v[1]),
        f64::from(v[nx]),
        f64::from(v[nx + 1]),
        tx,
        ty,
    )
}

/// Weights of 4-point Lagrange (cubic) interpolation on the unit-spaced nodes 0, 1, 2, 3 at
/// `x` (best for x ∈ [1, 2]; [0, 1] and [2, 3] at the ends of a table):
/// wₖ = Πₘ≠ₖ (x − m)/(k − m) (Abramowitz & Stegun 1964, eq. 25.2.13, the four-point formula).
/// The weights sum to 1 and reproduce cubics exactly; the interpolation error of a smooth f is
/// f⁗(ξ)/24·Πₘ (x − m) (A&S 25.2.13 remainder), i.e. ≤ 0.0234·max|f⁗| between the middle nodes.
#[inline]
pub fn lagrange4_weights(x: f64) -> [f64; 4] {
    let (a, b, c, d) = (x, x - 1.0, x - 2.0, x - 3.0);
    [
        -b * c * d / 6.0,
        a * c * d / 2.0,
        -a * b * d / 2.0,
        a * b * c / 6.0,
    ]
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

/// Tolerances and step limits of [`dormand_prince`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OdeOptions {
    /// Relative tolerance of the local error estimate (per component).
    pub rtol: f64,
    /// Absolute tolerance of the local error estimate (per component, in its units).
    pub atol: f64,
    /// First trial step (units of the independent variable).
    pub h_init: f64,
    /// Largest step allowed.
    pub h_max: f64,
    /// Largest spacing of the observed points: an accepted step longer than this is also
    /// observed at evenly spaced interior points, from the method's continuous extension
    /// (`f64::INFINITY`: step ends only). Lets the error control, not the output resolution,
    /// set the step.
    pub out_max: f64,
    /// Steps (accepted + rejected) after which the integration gives up.
    pub max_steps: usize,
}

/// What the observer of [`dormand_prince`] asks after an accepted step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OdeControl {
    /// Go on to the next step.
    Continue,
    /// Stop here (the current point is the last one).
    Stop,
}

/// Explicit Runge–Kutta 5(4) of Dormand & Prince with adaptive step size, integrating
/// dy/dt = f(t, y) from `t0` to `t_end` (or until `observe` returns [`OdeControl::Stop`]).
///
/// # Method
/// Coefficients of DOPRI5: Dormand & Prince (1980), "A family of embedded Runge–Kutta
/// formulae", J. Comput. Appl. Math. 6:19–26, Table 2; as printed by Hairer, Nørsett & Wanner
/// (1993) *Solving Ordinary Differential Equations I*, 2nd ed., Table 5.2 (p. 178). Local
/// extrapolation (the 5th-order solution is propagated), error norm
/// err = √(mean((ŷ − y)ᵢ / (atol + rtol·max(|y₀ᵢ|, |y₁ᵢ|)))²) and step factor
/// 0.9·err^(−1/5) bounded to [0.2, 5] (Hairer et al. 1993, §II.4, eqs. 4.11–4.13).
/// A step whose derivatives are not finite is rejected and halved (used by models whose
/// state leaves its physical domain on a too-long step).
///
/// # Dense output
/// `observe` sees every accepted step's end and, when the step is longer than
/// [`OdeOptions::out_max`], ⌈h/out_max⌉ − 1 evenly spaced points inside it, evaluated with the
/// 4th-order continuous extension of Shampine (1986), "Some practical Runge–Kutta formulas",
/// Math. Comp. 46:135–150, in the form of Hairer et al. (1993) §II.6 (p. 191–192, the
/// `CONTD5` coefficients of their code DOPRI5): with θ ∈ (0, 1), C₀ = y₀, C₁ = y₁ − y₀,
/// C₂ = h·k₁ − C₁, C₃ = C₁ − h·k₇ − C₂, C₄ = h·Σ dⱼkⱼ,
/// y(t₀ + θh) = C₀ + θ(C₁ + (1 − θ)(C₂ + θ(C₃ + (1 − θ)C₄))). It costs no derivative
/// evaluation (k₇ is the first-same-as-last stage). A [`OdeControl::Stop`] at an interior point
/// ends the integration there.
///
/// # Why hand-written
/// The integrators on crates.io (`ode_solvers`, `diffsol`) are either tied to nalgebra vector
/// types of another version than the workspace's or bring a large dependency tree; the models
/// here need a fixed-size state, an observer that may stop the integration at a physical event
/// (a cloud that has become passive), rejection of non-finite derivatives, and bit-for-bit
/// reproducibility from the inputs alone. Forty lines of a textbook method do that.
///
/// # Errors
/// [`QraError::Numerical`](crate::QraError::Numerical) if the step size underflows (h < 1e-12·|t|) or `max_steps` is
/// exceeded.
pub fn dormand_prince<const N: usize>(
    mut f: impl FnMut(f64, &[f64; N]) -> [f64; N],
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    opts: &OdeOptions,
    mut observe: impl FnMut(f64, &[f64; N]) -> OdeControl,
) -> crate::error::Result<(f64, [f64; N])> {
    // Butcher tableau of DOPRI5 (Hairer et al. 1993, Table 5.2).
    const C: [f64; 7] = [0.0, 0.2, 0.3, 0.8, 8.0 / 9.0, 1.0, 1.0];
    const A: [[f64; 6]; 7] = [
        [0.0; 6],
        [0.2, 0.0, 0.0, 0.0, 0.0, 0.0],
        [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
        [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
        [
            19372.0 / 6561.0,
            -25360.0 / 2187.0,
            64448.0 / 6561.0,
            -212.0 / 729.0,
            0.0,
            0.0,
        ],
        [
            9017.0 / 3168.0,
            -355.0 / 33.0,
            46732.0 / 5247.0,
            49.0 / 176.0,
            -5103.0 / 18656.0,
            0.0,
        ],
        [
            35.0 / 384.0,
            0.0,
            500.0 / 1113.0,
            125.0 / 192.0,
            -2187.0 / 6784.0,
            11.0 / 84.0,
        ],
    ];
    // 5th-order weights (= last row of A) and the difference to the 4th-order weights.
    const B5: [f64; 7] = [
        35.0 / 384.0,
        0.0,
        500.0 / 1113.0,
        125.0 / 192.0,
        -2187.0 / 6784.0,
        11.0 / 84.0,
        0.0,
    ];
    const B4: [f64; 7] = [
        5179.0 / 57600.0,
        0.0,
        7571.0 / 16695.0,
        393.0 / 640.0,
        -92097.0 / 339200.0,
        187.0 / 2100.0,
        1.0 / 40.0,
    ];
    // Dense-output weights dⱼ (Hairer et al. 1993, §II.6; d₂ = 0).
    const D: [f64; 7] = [
        -12715105075.0 / 11282082432.0,
        0.0,
        87487479700.0 / 32700410799.0,
        -10690763975.0 / 1880347072.0,
        701980252875.0 / 199316789632.0,
        -1453857185.0 / 822651844.0,
        69997945.0 / 29380423.0,
    ];
    let fail = |message: String| crate::error::QraError::Numerical {
        model: "dormand_prince".into(),
        message,
    };
    let finite = |v: &[f64; N]| v.iter().all(|x| x.is_finite());
    let mut t = t0;
    let mut y = y0;
    let mut h = opts.h_init.min(opts.h_max).min(t_end - t0);
    if h <= 0.0 {
        return Ok((t, y));
    }
    if observe(t, &y) == OdeControl::Stop {
        return Ok((t, y));
    }
    let mut k = [[0.0; N]; 7];
    k[0] = f(t, &y);
    let mut steps = 0;
    while t < t_end {
        steps += 1;
        if steps > opts.max_steps {
            return Err(fail(format!(
                "more than {} steps before t = {t_end} (stopped at t = {t})",
                opts.max_steps
            )));
        }
        if h < 1e-12 * t.abs().max(1.0) {
            return Err(fail(format!("step size underflow at t = {t}")));
        }
        if t + h > t_end {
            h = t_end - t;
        }
        let mut ok = finite(&k[0]);
        for s in 1..7 {
            if !ok {
                break;
            }
            let mut ys = y;
            for (i, v) in ys.iter_mut().enumerate() {
                let mut acc = 0.0;
                for (j, kj) in k.iter().enumerate().take(s) {
                    acc += A[s][j] * kj[i];
                }
                *v += h * acc;
            }
            k[s] = f(t + C[s] * h, &ys);
            ok = finite(&ys) && finite(&k[s]);
        }
        if !ok {
            h *= 0.5;
            continue;
        }
        let mut y1 = y;
        let mut err2 = 0.0;
        for i in 0..N {
            let mut s5 = 0.0;
            let mut s4 = 0.0;
            for j in 0..7 {
                s5 += B5[j] * k[j][i];
                s4 += B4[j] * k[j][i];
            }
            y1[i] = y[i] + h * s5;
            let sc = opts.atol + opts.rtol * y[i].abs().max(y1[i].abs());
            let e = h * (s5 - s4) / sc;
            err2 += e * e;
        }
        let err = (err2 / N as f64).sqrt();
        let factor = if err == 0.0 {
            5.0
        } else {
            (0.9 * err.powf(-0.2)).clamp(0.2, 5.0)
        };
        if err <= 1.0 {
            let parts = if h > opts.out_max {
                (h / opts.out_max).ceil()
            } else {
                1.0
            };
            if parts > 1.0 {
                let mut c = [[0.0; N]; 4];
                for i in 0..N {
                    let d1 = y1[i] - y[i];
                    let d2 = h * k[0][i] - d1;
                    let mut dk = 0.0;
                    for j in 0..7 {
                        dk += D[j] * k[j][i];
                    }
                    c[0][i] = d1;
                    c[1][i] = d2;
                    c[2][i] = d1 - h * k[6][i] - d2;
                    c[3][i] = h * dk;
                }
                for q in 1..parts as usize {
                    let th = q as f64 / parts;
                    let mut yi = y;
                    for i in 0..N {
                        yi[i] += th
                            * (c[0][i]
                                + (1.0 - th) * (c[1][i] + th * (c[2][i] + (1.0 - th) * c[3][i])));
                    }
                    if observe(t + th * h, &yi) == OdeControl::Stop {
                        return Ok((t + th * h, yi));
                    }
                }
            }
            t += h;
            y = y1;
            k[0] = k[6]; // first-same-as-last
            if observe(t, &y) == OdeControl::Stop {
                return Ok((t, y));
            }
            h = (h * factor).min(opts.h_max);
        } else {
            h *= factor.min(1.0);
        }
    }
    Ok((t, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::EXACT;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    proptest! {
        /// [`floor_index`] is the saturating conversion to `usize` capped at `last`, for any
        /// f (negative, NaN, infinite, beyond 2³² and 2⁶⁴) and both sides of `u32::MAX`.
        #[test]
        fn floor_index_is_the_capped_usize_conversion(
            f in prop_oneof![
                -1e3f64..1e4,
                0.0f64..1e20,
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(f64::NEG_INFINITY),
                Just(4_294_967_295.5f64),
                Just(4_294_967_296.0f64),
            ],
            last in prop_oneof![0usize..2000, Just(u32::MAX as usize), Just(u32::MAX as usize + 7), Just(usize::MAX)],
        ) {
            prop_assert_eq!(floor_index(f, last), (f as usize).min(last));
        }

        /// The Anderson–Björck iteration brackets the same root as a 200-halving bisection
        /// (an independent reference) within its stopping width, for smooth, steep and kinked
        /// increasing functions, in fewer evaluations than bisection's 47 where f is mildly
        /// curved and at most 80 whatever the shape.
        #[test]
        fn anderson_bjorck_finds_the_bisection_root(
            r in 0.1f64..9.9,
            k in 0.01f64..50.0,
            kind in 0usize..4,
        ) {
            let f = move |x: f64| match kind {
                0 => x * x * x - r * r * r,
                1 => (k * (x - r)).tanh(),
                2 => if x < r { k * (x - r) } else { (x - r) / k },
                _ => (x / r).ln() + k * (x - r).powi(3),
            };
            let calls = std::cell::Cell::new(0);
            let g = |x: f64| { calls.set(calls.get() + 1); f(x) };
            let (lo, hi) = anderson_bjorck(0.05, 10.0, g, 1e-12, 200);
            let (blo, bhi) = bisect(0.05, 10.0, |x| f(x) < 0.0, never, 200);
            prop_assert!(lo <= hi && hi - lo < 1e-12 * hi);
            prop_assert!(f(lo) <= 0.0 && f(hi) >= 0.0);
            prop_assert!((0.5 * (lo + hi) - 0.5 * (blo + bhi)).abs() <= 2e-12 * hi);
            let mild = (kind == 1 && k <= 1.0) && (1.0..=9.0).contains(&r);
            let limit = if mild { 30 } else { 80 };
            prop_assert!(calls.get() <= limit, "{} evaluations", calls.get());
        }

        #[test]
        fn lagrange4_reproduces_cubics(x in 0.0f64..3.0, c in proptest::array::uniform4(-5.0f64..5.0)) {
            // Any cubic through the nodes 0..3 is reproduced exactly (A&S 25.2.13); the weights
            // are a partition of unity and give the node value at a node.
            let p = |t: f64| c[0] + t * (c[1] + t * (c[2] + t * c[3]));
            let w = lagrange4_weights(x);
            let v: f64 = (0..4).map(|k| w[k] * p(k as f64)).sum();
            prop_assert!((v - p(x)).abs() <= 1e-10 * (1.0 + p(x).abs()));
            prop_assert!((w.iter().sum::<f64>() - 1.0).abs() <= 1e-12);
        }
    }

    #[test]
    fn lagrange4_at_nodes() {
        assert_eq!(lagrange4_weights(1.0), [0.0, 1.0, 0.0, 0.0]);
        assert_eq!(lagrange4_weights(2.0), [0.0, 0.0, 1.0, 0.0]);
    }

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

    #[test]
    fn dormand_prince_solves_exponential_decay_and_harmonic_oscillator() {
        // dy/dt = −y, y(0) = 1 → y(2) = e^-2 (analytic).
        let opts = OdeOptions {
            rtol: 1e-10,
            atol: 1e-12,
            h_init: 0.1,
            h_max: 1.0,
            out_max: f64::INFINITY,
            max_steps: 10_000,
        };
        let (t, y) = dormand_prince(
            |_, y: &[f64; 1]| [-y[0]],
            0.0,
            [1.0],
            2.0,
            &opts,
            |_, _| OdeControl::Continue,
        )
        .unwrap();
        assert_eq!(t, 2.0);
        assert!((y[0] - (-2.0f64).exp()).abs() < 1e-9);
        // y'' = −y, y(0) = 0, y'(0) = 1 → y(π) = 0, y'(π) = −1.
        let (_, y) = dormand_prince(
            |_, y: &[f64; 2]| [y[1], -y[0]],
            0.0,
            [0.0, 1.0],
            std::f64::consts::PI,
            &opts,
            |_, _| OdeControl::Continue,
        )
        .unwrap();
        assert!(y[0].abs() < 1e-8 && (y[1] + 1.0).abs() < 1e-8);
        // The observer stops the integration at the first accepted point past t = 0.5.
        let (t, _) = dormand_prince(
            |_, y: &[f64; 1]| [-y[0]],
            0.0,
            [1.0],
            2.0,
            &opts,
            |t, _| {
                if t > 0.5 {
                    OdeControl::Stop
                } else {
                    OdeControl::Continue
                }
            },
        )
        .unwrap();
        assert!(t > 0.5 && t < 2.0);
    }

    /// Dense output: with the step left to the error control (h_max 2), the points between
    /// step ends come from the continuous extension; against the exact solution of y'' = −y
    /// (sin, cos) every observed point is within 10⁻⁵ (rtol 10⁻⁶), no two are more than
    /// `out_max` apart, the steps are those taken without interior points, and a stop at an interior point ends the integration there.
    #[test]
    fn dense_output_follows_the_exact_solution_between_step_ends() {
        let opts = OdeOptions {
            rtol: 1e-6,
            atol: 1e-12,
            h_init: 0.01,
            h_max: 2.0,
            out_max: 0.1,
            max_steps: 10_000,
        };
        // y'' = −y from (0, 1) to t = 10.
        let oscillator = |o: &OdeOptions, observe: &mut dyn FnMut(f64, &[f64; 2]) -> OdeControl| {
            dormand_prince(
                |_, y: &[f64; 2]| [y[1], -y[0]],
                0.0,
                [0.0, 1.0],
                10.0,
                o,
                observe,
            )
            .unwrap()
        };
        let mut seen: Vec<(f64, [f64; 2])> = Vec::new();
        let ends_only = OdeOptions {
            out_max: f64::INFINITY,
            ..opts
        };
        let (t, y) = oscillator(&ends_only, &mut |_, _| OdeControl::Continue);
        let (t_dense, y_dense) = oscillator(&opts, &mut |t, y| {
            seen.push((t, *y));
            OdeControl::Continue
        });
        // Interior points do not change the steps.
        assert_eq!((t, y), (t_dense, y_dense));
        assert!(seen.len() > 100, "{} points", seen.len());
        let mut worst = 0.0f64;
        for w in seen.windows(2) {
            assert!(w[1].0 > w[0].0 && w[1].0 - w[0].0 <= 0.1 * (1.0 + 1e-12));
        }
        for &(t, y) in &seen {
            worst = worst
                .max((y[0] - t.sin()).abs())
                .max((y[1] - t.cos()).abs());
        }
        assert!(worst < 1e-5, "worst error {worst:e}");
        // A stop at the first point past t = 0.55 (not a step end: steps here exceed 0.1).
        let mut ends = 0;
        let big_first_step = OdeOptions {
            h_init: 1.0,
            ..opts
        };
        let (t, y) = oscillator(&big_first_step, &mut |t, _| {
            ends += 1;
            if t > 0.55 {
                OdeControl::Stop
            } else {
                OdeControl::Continue
            }
        });
        assert!(t > 0.55 && t <= 0.65 + 1e-12, "stopped at {t}");
        assert!((y[0] - t.sin()).abs() < 1e-5);
        assert!(ends >= 6);
    }

    /// The single-precision cell read: at the corners the stored values (widened exactly), in
    /// the cell the plane x-then-y interpolation of a hand-written 3 × 2 lattice, and 0 for a
    /// cell whose corners run past the values.
    #[test]
    fn bilinear_f32_reads_the_cell_and_nothing_past_the_values() {
        // Row-major, 3 wide: row 0 = [1, 2, 4], row 1 = [3, 6, 12] (f32-exact values).
        let v: [f32; 6] = [1.0, 2.0, 4.0, 3.0, 6.0, 12.0];
        assert_eq!(bilinear_f32(&v, 0, 3, 0.0, 0.0), 1.0);
        assert_eq!(bilinear_f32(&v, 0, 3, 1.0, 1.0), 6.0);
        assert_eq!(bilinear_f32(&v, 1, 3, 1.0, 0.0), 4.0);
        // Cell (0, 0) at (0.5, 0.25): row 0 → 1.5, row 1 → 4.5, then 1.5 + 0.25·3 = 2.25.
        assert_relative_eq!(
            bilinear_f32(&v, 0, 3, 0.5, 0.25),
            2.25,
            max_relative = EXACT
        );
        // Cell (1, 0) at (0.5, 0.5): rows 3 and 9 → 6.
        assert_relative_eq!(bilinear_f32(&v, 1, 3, 0.5, 0.5), 6.0, max_relative = EXACT);
        // The cell starting at node 2 (the row's last node) would read past the values.
        assert_eq!(bilinear_f32(&v, 2, 3, 0.0, 0.0), 0.0);
        assert_eq!(bilinear_f32(&v, 5, 3, 0.0, 0.0), 0.0);
    }
}
