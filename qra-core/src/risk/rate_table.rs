//! Footprint bands tabulated on the release rate (issue 14: dense-gas solutions tabulated where
//! exact enough).
//!
//! A flash fire's footprint is the LFL envelope of its cloud: a band, the half-width w(x) of the
//! iso-line at the LFL sampled at `n` points over x ∈ [0, R], R the envelope's downwind reach
//! (`consequence::band`). For a continuous dense release the cloud is a SLAB-class plume
//! ([`crate::dispersion::SlabPlume`], an ODE integration: ~0.4 ms each, 4 500 of them were a
//! quarter of the single-thread time of the physical park-1000 study). For one installation's
//! release conditions (substance, exit state, weather, averaging time, level) the envelope
//! depends on the rate q alone and smoothly, so it is computed exactly at the node rates
//! q_k = 10^(k/K), K = [`NODES_PER_DECADE`], and read between the two nodes around q:
//!
//! - ln R and ln W (W = max w, the widest half-width) linear in ln q;
//! - the shape ŵ = w/W at the same fraction x/R of the reach, linear in ln q;
//! - w = W·ŵ at x = (j/(n − 1))·R.
//!
//! Tolerance, measured (`tabulated_flash_bands_sweep`, release build: propane, propylene and
//! ammonia released two-phase at 20 °C, 6 weather classes B 3 to F 1.5, 36 rates from 0.05 to
//! 200 kg/s between the nodes, 647 envelopes): reach within 0.078 %, widest half-width within
//! 0.13 %, every half-width short of the closing tip (x ≤ 0.95·R) within 0.37 % of the widest,
//! the area between the tabulated and the exact envelope at most 0.14 % of the exact area (the
//! worst cases are ammonia envelopes a few metres long; propane's within 0.05 %). The test run
//! by `make test` (`tabulated_flash_bands_match_the_exact_ones`) checks a subset against bounds
//! of 0.1 %, 0.2 %, 0.5 % and 0.2 %. Results are not bit for bit those of the envelope computed
//! for each release; they are the same bits for every thread count and order of evaluation
//! (each node is a pure function of its key, computed once and shared).
//!
//! The nodes are kept for the process in a cache bounded to [`MAX_CACHED_NODES`] entries
//! (~1.3 kB each; cleared when full — entries are pure values, so clearing changes only the
//! time).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Node rates per decade of the release rate.
pub const NODES_PER_DECADE: f64 = 8.0;
/// Bound on the cached node bands (~1.3 kB each with 160 samples).
pub const MAX_CACHED_NODES: usize = 8192;

/// The exact band at a node rate.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBand {
    /// Downwind reach R of the envelope, m (> 0).
    pub reach_m: f64,
    /// Half-widths at x = (j/(n − 1))·R, j = 0..n (the first sample as `consequence::band`
    /// places it), m.
    pub widths_m: Vec<f64>,
    /// The largest along-wind passage spread σ_t over the samples, s (to decide where a
    /// finite duration leaves the steady envelope unchanged).
    pub passage_spread_max_s: f64,
}

/// A band read from the table at one rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolated {
    /// Reach, m.
    pub reach_m: f64,
    /// Half-widths at x = (j/(n − 1))·R, m.
    pub widths_m: Vec<f64>,
    /// The larger of the two nodes' [`NodeBand::passage_spread_max_s`], s.
    pub passage_spread_max_s: f64,
}

type Slot = Arc<OnceLock<Option<Arc<NodeBand>>>>;

fn cache() -> &'static Mutex<HashMap<(String, i32), Slot>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, i32), Slot>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The node rate q_k = 10^(k/K), kg/s.
pub fn node_rate_kg_s(k: i32) -> f64 {
    10f64.powf(k as f64 / NODES_PER_DECADE)
}

/// The node band `k` of the conditions `key`, built by `build(q_k)` on first use (`None` when
/// the build has no envelope there).
fn node(key: &str, k: i32, build: &impl Fn(f64) -> Option<NodeBand>) -> Option<Arc<NodeBand>> {
    let slot = {
        // A poisoned lock only means another thread panicked while holding it; the map of
        // pure values is still valid.
        let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CACHED_NODES {
            map.clear();
        }
        map.entry((key.to_owned(), k)).or_default().clone()
    };
    // Built outside the lock; a second thread asking for the same node waits for this one.
    slot.get_or_init(|| build(node_rate_kg_s(k)).map(Arc::new))
        .clone()
}

/// The band at rate `rate_kg_s` read from the nodes around it (module docs), or `None` where
/// the table does not apply: a rate outside [10⁻⁶, 10⁶] kg/s, a node without an envelope, or
/// nodes of different sample counts. `key` names everything but the rate the band depends on;
/// `build(q)` is the exact band at rate q.
pub fn band_at(
    key: &str,
    rate_kg_s: f64,
    build: impl Fn(f64) -> Option<NodeBand>,
) -> Option<Interpolated> {
    if !(1e-6..=1e6).contains(&rate_kg_s) {
        return None;
    }
    // The node at or below the rate, exactly: q_k ≤ q < q_{k+1}.
    let mut k = (rate_kg_s.log10() * NODES_PER_DECADE).floor() as i32;
    while node_rate_kg_s(k) > rate_kg_s {
        k -= 1;
    }
    while node_rate_kg_s(k + 1) <= rate_kg_s {
        k += 1;
    }
    let (a, b) = (node(key, k, &build)?, node(key, k + 1, &build)?);
    let n = a.widths_m.len();
    if n != b.widths_m.len() || n == 0 {
        return None;
    }
    let (la, lb) = (node_rate_kg_s(k).ln(), node_rate_kg_s(k + 1).ln());
    let t = ((rate_kg_s.ln() - la) / (lb - la)).clamp(0.0, 1.0);
    let log_lerp = |u: f64, v: f64| (u.ln() + t * (v.ln() - u.ln())).exp();
    let widest = |w: &[f64]| w.iter().fold(0.0f64, |m, &v| m.max(v));
    let (wa, wb) = (widest(&a.widths_m), widest(&b.widths_m));
    if !(wa > 0.0 && wb > 0.0) {
        return None;
    }
    let w = log_lerp(wa, wb);
    let widths_m = a
        .widths_m
        .iter()
        .zip(&b.widths_m)
        .map(|(&u, &v)| w * (u / wa + t * (v / wb - u / wa)))
        .collect();
    Some(Interpolated {
        reach_m: log_lerp(a.reach_m, b.reach_m),
        widths_m,
        passage_spread_max_s: a.passage_spread_max_s.max(b.passage_spread_max_s),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band family with a known closed form: R = 30·q^0.45, w(x) = 0.2·R·√(ξ(1 − ξ))·q^0.05.
    fn closed_form(q: f64) -> NodeBand {
        let r = 30.0 * q.powf(0.45);
        let widths_m = (0..160)
            .map(|j| {
                let xi = j as f64 / 159.0;
                0.2 * r * (xi * (1.0 - xi)).sqrt() * q.powf(0.05)
            })
            .collect();
        NodeBand {
            reach_m: r,
            widths_m,
            passage_spread_max_s: q,
        }
    }

    #[test]
    fn power_laws_are_read_exactly_between_nodes() {
        // ln R and ln W are linear in ln q and the shape does not change: the table is exact
        // (to rounding) for this family — a check of the node bracketing and the weights.
        for &q in &[0.013, 1.0, 2.7, 49.04, 1234.5] {
            let got = band_at("closed-form-test", q, |q| Some(closed_form(q))).expect("in range");
            let want = closed_form(q);
            assert!((got.reach_m / want.reach_m - 1.0).abs() < 1e-12, "{q}");
            for (g, w) in got.widths_m.iter().zip(&want.widths_m) {
                assert!((g - w).abs() <= 1e-12 * want.reach_m, "{q}: {g} vs {w}");
            }
            // The larger node's spread: q_{k+1} > q ≥ q_k.
            assert!(got.passage_spread_max_s > q && got.passage_spread_max_s <= q * 1.34);
        }
    }

    #[test]
    fn out_of_range_rates_and_empty_nodes_fall_back() {
        assert!(band_at("closed-form-test", 0.0, |q| Some(closed_form(q))).is_none());
        assert!(band_at("closed-form-test", 2e6, |q| Some(closed_form(q))).is_none());
        assert!(band_at("empty-test", 1.0, |_| None).is_none());
    }

    #[test]
    fn node_rates_bracket_every_rate() {
        for i in 0..2000 {
            let q = 10f64.powf(-5.9 + 11.8 * i as f64 / 1999.0);
            let mut k = (q.log10() * NODES_PER_DECADE).floor() as i32;
            while node_rate_kg_s(k) > q {
                k -= 1;
            }
            while node_rate_kg_s(k + 1) <= q {
                k += 1;
            }
            assert!(node_rate_kg_s(k) <= q && q < node_rate_kg_s(k + 1));
        }
    }
}
