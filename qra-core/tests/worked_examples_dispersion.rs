//! Published worked examples for dispersion (issue 3, "Done when" line 1).
//!
//! Each test names the book, edition, example and page it reproduces, and whether the numbers
//! were read in the original or in a secondary source quoting it. Tolerances come from
//! `qra_core::tolerance` and are justified per test. Source-term and toxic-effect examples are in
//! `worked_examples_source_toxic.rs`.
//!
//! **Gap** (searched 2026-11-28 with the `search` tool, corpora pages/code/docs, and the
//! GasDispersion.jl docs/tests and aefarrell.github.io posts):
//! * CCPS (1999) p. 97 plume and p. 101 puff examples: GasDispersion.jl's tests quote only the
//!   inputs (0.1 kg/s, F, 2 m/s, 500 m) and their own computed answers (plus "there is a mistake
//!   in the ref, it gives [σy] as 6.1"), not the book's printed concentration — not reproduced.
//! * Britter–McQuaid workbook (1988) Potchefstroom puff example: only GasDispersion.jl's computed
//!   values were found, not the workbook's printed answer — not reproduced.
//! * Crowl & Louvar Examples 5-2 … 5-4 (puff, isopleths), TNO Yellow Book ch. 4 examples:
//!   queries "Crowl Louvar Example 5-", "overcast day stack effective height 60 m", "Yellow Book
//!   Gaussian plume example" returned no text with inputs and printed answers.
//! * TNO Purple Book (CPR 18E) Appendix 6.B CO plume (21.3 g/m³ at 361 m): its σ's (28.8 m,
//!   10.3 m) are printed, but they do not follow from any qra σ scheme and qra's plume takes no
//!   user σ's, so only its probit step is reproduced (in `worked_examples_source_toxic.rs`).

use qra_core::dispersion::{
    Atmosphere, BritterMcQuaidPlume, GaussianPlume, SigmaScheme, Stability, Terrain,
};
use qra_core::tolerance::{DIGITISED_CURVE, WORKED_EXAMPLE};

/// CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases*, AIChE, p. 122:
/// Britter–McQuaid example for the Burro LNG trials. **Secondary source:** the inputs and the
/// answer are as quoted in the GasDispersion.jl documentation (aefarrell/GasDispersion.jl,
/// `docs/src/plume.md`, "Britter-McQuaid Model — Example"): LNG released at −162 °C,
/// 0.23 m³/s of liquid (ρ_L = 425.6 kg/m³), vapour density at release 1.76 kg/m³, wind 10.9 m/s
/// at 10 m; the distance to the lower flammability limit (5 % v/v) is ≈ 367 m ("from the
/// reference we expect the concentration to be ~5 %" at 367 m). The ambient state (298 K,
/// 1 atm) is GasDispersion.jl's assumption, not stated in the quote. The example needs the
/// workbook's non-isothermal correction: the nomogram is read at C* = C/(C + (1 − C)·T_a/T₀).
///
/// Tolerance: the published answer is read by hand from the workbook nomogram (a digitised
/// curve) → `DIGITISED_CURVE` (10 %) on the concentration at 367 m.
#[test]
fn ccps_1999_p122_burro_lng_britter_mcquaid() {
    let t_source_k = 273.15 - 162.0;
    let t_ambient_k = 298.0;
    let rate_kg_s = 0.23 * 425.6;
    let rho_gas = 1.76;
    // Air at 298 K, 1 atm (ideal gas, M = 28.965 g/mol).
    let rho_air = 101_325.0 * 0.028_965 / (8.314_462_618 * t_ambient_k);
    // Stability does not enter the dense-gas correlations (only the passive fallback).
    let atm = Atmosphere::new(10.9, Stability::F, Terrain::Rural, SigmaScheme::Briggs).unwrap();
    let bm = BritterMcQuaidPlume::new(rate_kg_s, rho_gas, rho_air, atm)
        .unwrap()
        .with_temperatures(t_source_k, t_ambient_k)
        .unwrap();
    assert!(bm.dense, "LNG vapour at −162 °C is dense");
    let c = bm.centreline_ratio(367.0);
    approx::assert_relative_eq!(c, 0.05, max_relative = DIGITISED_CURVE);
    // Without the non-isothermal correction the nomogram value alone would be far below 5 %
    // (C* ≈ 1.9 %): the correction is what the example exercises.
    assert!(bm.nomogram_ratio(367.0) < 0.03);
}

/// Crowl & Louvar, *Chemical Process Safety: Fundamentals with Applications*, 3rd ed. (2011),
/// Example 5-1: SO₂ from a stack of effective height 60 m at 80 g/s, wind 6 m/s, overcast day
/// (class D), rural. **Secondary source:** inputs and the book's answers as tabulated in
/// `Pratyush770-dash/Gaussian-Plume-Hazard-Zone-Calculator`, `README.md` ("Does it give the right
/// answers?", column "Book"): σy = 39.0 m, σz = 22.7 m at 500 m; ground-level centreline
/// concentration at 500 m 1.45·10⁻⁴ g/m³; at 50 m crosswind 6.37·10⁻⁵ g/m³. The book's σ's are
/// the Briggs rural fits, qra's `SigmaScheme::Briggs` + `Terrain::Rural`.
///
/// The book advects the plume at the quoted 6 m/s; qra evaluates the power-law wind at the
/// release height, so the 6 m/s is given as measured at the effective stack height (60 m),
/// which makes qra's transport speed exactly 6 m/s.
///
/// Tolerance: closed-form equations against answers printed to 3 significant figures →
/// `WORKED_EXAMPLE` (0.5 %).
#[test]
fn crowl_louvar_2011_example_5_1_stack_plume() {
    let atm = Atmosphere::new(6.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs)
        .unwrap()
        .with_wind_height(60.0)
        .unwrap();
    let plume = GaussianPlume::new(0.080, 60.0, atm).unwrap();
    approx::assert_relative_eq!(plume.transport_speed_m_s, 6.0, max_relative = 1e-12);
    let (sy, sz) = atm.sigmas(500.0);
    approx::assert_relative_eq!(sy, 39.0, max_relative = WORKED_EXAMPLE);
    approx::assert_relative_eq!(sz, 22.7, max_relative = WORKED_EXAMPLE);
    // kg/m³ → g/m³.
    let c_g_m3 = |y: f64| plume.concentration(500.0, y, 0.0) * 1e3;
    approx::assert_relative_eq!(c_g_m3(0.0), 1.45e-4, max_relative = WORKED_EXAMPLE);
    approx::assert_relative_eq!(c_g_m3(50.0), 6.37e-5, max_relative = WORKED_EXAMPLE);
}

/// Crowl & Louvar (2011) 3rd ed., Example 5-1, last part: the maximum ground-level concentration
/// under the plume, 4.18·10⁻⁴ g/m³ (book), found by reading from the σz chart the distance where
/// σz = H/√2 (≈ 1200 m in the book). **Secondary source:** as in
/// [`crowl_louvar_2011_example_5_1_stack_plume`].
///
/// Tolerance: the book's value rests on σ's read off a chart → `DIGITISED_CURVE` (10 %) on the
/// maximum; qra finds it by scanning the Briggs-fit centreline (≈ 4.21·10⁻⁴ g/m³ at ≈ 1040 m), so
/// the location (a chart reading) is only checked to lie between 800 m and 1500 m.
#[test]
fn crowl_louvar_2011_example_5_1_maximum_ground_concentration() {
    let atm = Atmosphere::new(6.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs)
        .unwrap()
        .with_wind_height(60.0)
        .unwrap();
    let plume = GaussianPlume::new(0.080, 60.0, atm).unwrap();
    let (x_max, c_max) = (100..5000)
        .map(|x| (x as f64, plume.concentration(x as f64, 0.0, 0.0) * 1e3))
        .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    approx::assert_relative_eq!(c_max, 4.18e-4, max_relative = DIGITISED_CURVE);
    assert!((800.0..1500.0).contains(&x_max), "x_max = {x_max} m");
}

/// De Visscher (2014), *Air Dispersion Modeling: Foundations and Applications*, Wiley,
/// Example 2.1, pp. 24–25: 100 g/s from a 75 m stack with 15 m plume rise (H = 90 m), wind
/// 7 m/s, moderate insolation; ground-level concentration 1500 m downwind 160.3 µg/m³ on the
/// centreline and 107.5 µg/m³ at 100 m crosswind. **Secondary source:** inputs and answers as
/// asserted (to ±0.1 µg/m³, i.e. the printed digits) in `tcarion/GaussianDispersion`,
/// `test/concentration.jl` ("Example from reference book … De Visscher, p.24-25").
///
/// Stability: moderate insolation with a wind above 6 m/s is class D in the Pasquill table
/// (the package's own parameter test has `pasquill_gifford(Moderate, 5.5) == (C, D)` for the
/// 5–6 m/s band) \[M: table row recalled\]; σ's are Briggs rural, as in that package. As in
/// [`crowl_louvar_2011_example_5_1_stack_plume`], the 7 m/s is given at the plume height so that
/// qra advects at exactly 7 m/s.
///
/// Tolerance: closed-form plume against 4-figure answers → `WORKED_EXAMPLE`.
#[test]
fn de_visscher_2014_example_2_1_stack_plume() {
    let atm = Atmosphere::new(7.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs)
        .unwrap()
        .with_wind_height(90.0)
        .unwrap();
    let plume = GaussianPlume::new(0.100, 75.0 + 15.0, atm).unwrap();
    // kg/m³ → µg/m³.
    let c = |y: f64| plume.concentration(1500.0, y, 0.0) * 1e9;
    approx::assert_relative_eq!(c(0.0), 160.3, max_relative = WORKED_EXAMPLE);
    approx::assert_relative_eq!(c(100.0), 107.5, max_relative = WORKED_EXAMPLE);
}
