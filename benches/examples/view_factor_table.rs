//! Accuracy and speed of the tabulated cylinder view factor (`qra_core::fire::view_factor_table`)
//! against the exact quadrature, on a dense low-discrepancy set of (h, θ, ρ, ψ) (issue 14):
//!
//! ```sh
//! cargo run -p qra-benches --release --example view_factor_table -- [POINTS]
//! ```
use qra_core::fire::view_factor::{Cylinder, Receiver};
use qra_core::fire::view_factor_table::{CylinderTable, H_MAX, H_MIN, TILT_MAX_RAD};
use std::time::Instant;

fn seq(i: usize, k: f64) -> f64 {
    (0.5 + i as f64 * k).fract()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(20_000, |s| s.parse().expect("POINTS"));
    let t = Instant::now();
    let mut errs = Vec::with_capacity(n);
    let mut worst = (0.0, String::new());
    let (mut t_exact, mut t_table) = (0.0, 0.0);
    for i in 0..n {
        let h = (H_MIN.ln() + seq(i, 0.618_033_988_7) * (H_MAX / H_MIN).ln()).exp();
        let th = seq(i, 0.754_877_666_2) * TILT_MAX_RAD;
        let rho = 1.0 + (0.02f64.ln() + seq(i, 0.569_840_290_9) * (99.0f64 / 0.02).ln()).exp();
        let psi = (seq(i, 0.438_289_659_4) * 2.0 - 1.0) * std::f64::consts::PI;
        let (x, y) = (rho * psi.cos(), rho * psi.sin());
        let tab = CylinderTable::new(h, th).expect("in range");
        let t0 = Instant::now();
        let f = tab.factor(x, y).expect("in range");
        t_table += t0.elapsed().as_secs_f64();
        let c = Cylinder::circular(1.0, h, [th.sin(), 0.0, th.cos()], 48);
        let t0 = Instant::now();
        let e = c.factor([x, y, 0.0], Receiver::Max);
        t_exact += t0.elapsed().as_secs_f64();
        let rel = (f / e - 1.0).abs();
        if rel > worst.0 {
            worst = (
                rel,
                format!(
                    "h {h:.3} θ {:.1}° ρ {rho:.4} ψ {:.1}° F {e:.4e} table {f:.4e}",
                    th.to_degrees(),
                    psi.to_degrees()
                ),
            );
        }
        errs.push(rel);
        if rel > 0.005 && std::env::var_os("VF_DETAIL").is_some() {
            println!(
                "{rel:.3e} h {h:.3} th {:.1} rho {rho:.4} psi {:.1} F {e:.4e}",
                th.to_degrees(),
                psi.to_degrees()
            );
        }
    }
    errs.sort_by(f64::total_cmp);
    let q = |p: f64| errs[((errs.len() - 1) as f64 * p) as usize];
    println!(
        "{n} points, {:.1} s (slabs included): relative error median {:.2e}, 99 % {:.2e}, 99.9 % {:.2e}, worst {:.2e} ({})",
        t.elapsed().as_secs_f64(),
        q(0.5),
        q(0.99),
        q(0.999),
        worst.0,
        worst.1
    );
    println!(
        "per point: exact (48 nodes) {:.0} ns, table {:.0} ns",
        t_exact / n as f64 * 1e9,
        t_table / n as f64 * 1e9
    );
}
