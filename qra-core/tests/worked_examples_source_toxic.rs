//! Published worked examples and published numerical statements for the source-term and
//! toxic-effect models (issue 3, "Done when" line 1). Dispersion examples are in
//! `worked_examples_dispersion.rs`.
//!
//! Each test names the source, the place in it, whether the numbers were read in the original or
//! in a secondary source quoting it, and a tolerance from `qra_core::tolerance` with its reason.
//!
//! Secondary source used repeatedly below, "**HSE-oracle**": an independent verification script
//! of another open project, `tools/validation/hse/oracle_consequence.py` with its
//! `FINDINGS-consequence.md` (read through the code index on 2026-11-28; the index does not
//! expose the repository name). It transcribes, with page/step references, worked examples of the
//! TNO Yellow Book (CPR 14E, 3rd ed., 2nd revised print 2005), the TNO Purple Book (CPR 18E,
//! 1999) and UK HSE SPC/Tech/OSD/30, each with the printed answer.
//!
//! **Gap** (searched 2026-11-28, `search` corpora pages/code/docs, `find_string`):
//! * Crowl & Louvar (2002/2011) Examples 4-1…4-6 (liquid, gas, flashing discharge) and ch. 2 probit
//!   examples: queries "Crowl Louvar Example 4-1 liquid discharge", "plant operator notices a drop
//!   in pressure in a pipeline transporting benzene", "Crowl Louvar probit example percentage of
//!   deaths", "Louvar Example" found no text giving the inputs with the printed answers — not
//!   reproduced. (HSE-oracle's FINDINGS likewise records "No Crowl and Louvar example is
//!   reproduced. The book was not available.")
//! * CCPS (1999) p. 40 liquid-jet and p. 47 gas-jet examples: GasDispersion.jl's
//!   `test/source_models/jet_source_tests.jl` quotes their inputs but only its own computed
//!   results, not the book's printed answers — not reproduced.
//! * Flash fraction, two-phase (ERM) flux, pool evaporation (Mackay–Matsugu), aerosol fraction:
//!   no public worked example with printed answers was found (HSE-oracle drops two-phase for the
//!   same reason and gates Mackay–Matsugu only against its own transcription); covered by the
//!   cross-tool validation cases instead (`validation/cases/crosstool-coolprop-*`,
//!   `pool-evaporation-analytic`).
//! * AEGL values: qra stores IDLH and ERPG-2/3 only; AEGL tables were seen but are not used.
//! * Toluene, Lees probit in OSD/30 Table 2 (a = −6.794, b = 0.41, n = 2.5) vs qra's "eisenberg"
//!   set (b = 0.408, after Crowl & Louvar Table 2-5 \[M\]): the LC values differ by 5–6 %, so
//!   toluene is left out of the OSD/30 test below rather than loosened.

use approx::assert_relative_eq;
use qra_core::constants::{kg_m3_to_ppm, STANDARD_PRESSURE_PA};
use qra_core::source::{gas_discharge, hole_area_m2, liquid_discharge};
use qra_core::substance::substance;
use qra_core::tolerance::{DATA_TABLE, WORKED_EXAMPLE};
use qra_core::vulnerability::probit_to_probability;
use qra_core::vulnerability::toxic::{
    threshold_kg_m3, ToxicModel, DEFAULT_EXPOSURE_CAP_S, PPM_REFERENCE_TEMPERATURE_K,
};

// ------------------------------------------------------------------------------ source terms

/// TNO Yellow Book (CPR 14E, 2005) §2.6.4.1: acrylonitrile draining from a tank through a hole
/// of d = 0.1 m, C_d = 0.62, ρ_L = 812.5 kg/m³, atmospheric pressure above the liquid; at 500 s
/// the level is 11.12 m and the printed outflow is q_S = 58.44 kg/s. **Secondary:** HSE-oracle
/// (case `yb-acrylonitrile-500s`).
///
/// Tolerance: Bernoulli with head only, answer printed to 4 figures → `WORKED_EXAMPLE`.
#[test]
fn yellow_book_2_6_4_1_acrylonitrile_liquid_outflow() {
    let q = liquid_discharge(
        hole_area_m2(0.1),
        812.5,
        STANDARD_PRESSURE_PA,
        STANDARD_PRESSURE_PA,
        11.12,
        0.62,
    )
    .unwrap();
    assert_relative_eq!(q, 58.44, max_relative = WORKED_EXAMPLE);
}

/// TNO Yellow Book (CPR 14E, 2005) §2.6.2.1 / Table 2.3: hydrogen at 50 bar, 288.15 K through a
/// hole of d = 0.1 m, C_d = 0.62; printed initial outflow 15.31 kg/s (choked). **Secondary:**
/// HSE-oracle (case `yb-hydrogen-t0`), which notes γ is not printed: γ = 1.405 reproduces 15.31,
/// γ = 1.40 gives 15.29 — both inside the tolerance, so the unprinted γ cannot hide an error
/// larger than 0.2 %.
///
/// Tolerance: closed-form choked-flow equation, answer printed to 4 figures → `WORKED_EXAMPLE`.
#[test]
fn yellow_book_2_6_2_1_hydrogen_gas_outflow() {
    for gamma in [1.405, 1.40] {
        let d = gas_discharge(
            hole_area_m2(0.1),
            50e5,
            288.15,
            0.002_016,
            gamma,
            STANDARD_PRESSURE_PA,
            0.62,
        )
        .unwrap();
        assert!(d.choked);
        assert_relative_eq!(d.rate_kg_s, 15.31, max_relative = WORKED_EXAMPLE);
    }
}

/// API Standard 520 Part I (sizing of pressure-relieving devices), gas-sizing Examples 1
/// (critical) and 2 (sub-critical): 24 270 kg/h of gas at 348 K, Z = 0.90, M = 51 kg/kmol,
/// k = 1.11, P₁ = 670 kPa(a), K_d = 0.975 (Example 2: P₂ = 532 kPa(a) back pressure).
/// **Secondary:** the `fluids` library (Caleb Bell, `fluids/safety_valve.py`, docstring of
/// `API520_A_g`) states that its areas, 3.699·10⁻³ m² (Example 1) and 4.248·10⁻³ m²
/// (Example 2), "match" the standard's examples; the printed areas themselves were not read.
///
/// qra is run the other way round: the flow through the published area must be 24 270 kg/h.
/// API 520 takes real-gas density ρ = P·M/(Z·R·T); qra's ideal-gas nozzle gives the same flux
/// when fed T·Z as the temperature (both fluxes ∝ √(M/(Z·T))).
///
/// Tolerance: API 520 folds R and units into rounded constants (C = 0.03948·√(…), 17.9) and the
/// printed areas are not quoted to us directly → `DATA_TABLE` (1 %). Observed: 0.002 %
/// (critical), 0.06 % (sub-critical).
#[test]
fn api_520_gas_sizing_examples_1_and_2() {
    let w_kg_s = 24_270.0 / 3600.0;
    let t_eff = 348.0 * 0.90;
    let critical = gas_discharge(
        3.699e-3,
        670e3,
        t_eff,
        0.051,
        1.11,
        STANDARD_PRESSURE_PA,
        0.975,
    )
    .unwrap();
    assert!(critical.choked);
    assert_relative_eq!(critical.rate_kg_s, w_kg_s, max_relative = DATA_TABLE);
    let sub = gas_discharge(4.248e-3, 670e3, t_eff, 0.051, 1.11, 532e3, 0.975).unwrap();
    assert!(!sub.choked);
    assert_relative_eq!(sub.rate_kg_s, w_kg_s, max_relative = DATA_TABLE);
}

// ------------------------------------------------------------------------------ toxic effects

/// Standard-normal quantile for the two probabilities used here (exact to the digits shown:
/// Φ⁻¹(0.01) = −2.326 347 874, Abramowitz & Stegun 1964 Table 26.5).
const Z_001: f64 = -2.326_347_874_040_841;

/// TNO Purple Book (CPR 18E, 1999) Table 5.1, probit Y for probability P (printed to 2
/// decimals): P = 0.01 → 2.67, 0.05 → 3.36, 0.10 → 3.72, 0.50 → 5.00, 0.90 → 6.28,
/// 0.95 → 6.64, 0.99 → 7.33. **Secondary:** HSE-oracle (`probits.table51`, transcribed grid).
///
/// Tolerance: the table rounds Y to ±0.005, so P(Y_printed) may differ from P by at most
/// φ(Y − 5)·0.005 (first-order); checked with that bound ×1.05.
#[test]
// 6.28 is the table's probit for P = 0.90, not an approximation of 2π.
#[allow(clippy::approx_constant)]
fn purple_book_table_5_1_probit_to_probability() {
    let cells = [
        (0.01, 2.67),
        (0.05, 3.36),
        (0.10, 3.72),
        (0.50, 5.00),
        (0.90, 6.28),
        (0.95, 6.64),
        (0.99, 7.33),
    ];
    for (p, y) in cells {
        let z: f64 = y - 5.0;
        let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let bound = 1.05 * density * 0.005;
        let got = probit_to_probability(y);
        assert!((got - p).abs() <= bound, "Y = {y}: P = {got}, table {p}");
    }
}

/// TNO Purple Book (CPR 18E, 1999) Appendix 6.B, step 4.3: carbon monoxide at 21 300 mg/m³ for
/// 30 min with the Purple Book probit (a = −7.4, b = 1, n = 1; mg/m³, min) gives the printed
/// Pr = 5.97 and P = 0.835 (P read from Table 5.1). **Secondary:** HSE-oracle (case
/// `pb-co-appendix-6b`). This also checks qra's stored CO constants (tagged \[M\]).
///
/// Tolerance: Pr printed to 2 decimals → ±0.005; P read from a table → ±0.002 (as in the
/// source's own gate).
#[test]
fn purple_book_appendix_6b_carbon_monoxide_probit() {
    let co = substance("carbon monoxide").unwrap();
    let m = ToxicModel::from_substance(co, Some("purple-book")).unwrap();
    let c_kg_m3 = 21_300.0e-6;
    let pr = m.probit_constant(c_kg_m3, 1800.0, DEFAULT_EXPOSURE_CAP_S);
    assert!((pr - 5.97).abs() <= 0.005, "Pr = {pr}");
    let p = m.probability_constant(c_kg_m3, 1800.0, DEFAULT_EXPOSURE_CAP_S);
    assert!((p - 0.835).abs() <= 0.002, "P = {p}");
}

/// Withers & Lees (1985), "The assessment of major hazards: the lethal toxicity of chlorine,
/// Part 2, model of toxicity to man", J. Hazard. Mater. 12 (1985), abstract: for the regular
/// population at standard activity the 50 % lethal concentrations are 433 ppm for 10 min and
/// 250 ppm for 30 min, with the probit Y = −8.29 + 0.92·ln(ΣC²T) (ppm, min). **Primary
/// abstract**, read via paperexplained.cn (search "Withers Lees chlorine probit", pages corpus).
///
/// Tolerance: concentrations printed to 3 figures → `WORKED_EXAMPLE`.
#[test]
fn withers_lees_1985_chlorine_lc50() {
    let cl2 = substance("chlorine").unwrap();
    let m = ToxicModel::from_substance(cl2, Some("withers-lees-1985")).unwrap();
    for (minutes, ppm) in [(10.0, 433.0), (30.0, 250.0)] {
        let c = m.concentration_for_probit(5.0, minutes * 60.0);
        let got_ppm = kg_m3_to_ppm(
            c,
            cl2.molar_mass_kg_mol.unwrap(),
            PPM_REFERENCE_TEMPERATURE_K,
            STANDARD_PRESSURE_PA,
        );
        assert_relative_eq!(got_ppm, ppm, max_relative = WORKED_EXAMPLE);
        // And the forward direction: that concentration is the 50 % point.
        let p = m.probability_constant(c, minutes * 60.0, DEFAULT_EXPOSURE_CAP_S);
        assert!((p - 0.5).abs() < 1e-9);
    }
}

/// UK HSE SPC/Tech/OSD/30 ("Indicative human vulnerability to the hazardous agents present
/// offshore"), Table 2: LC1 and LC50 in ppm for 5 and 30 min exposures from the Lees (2005) toxic
/// probits (ppm, min) — the same a, b, n as qra's "eisenberg" set (Crowl & Louvar 2011 Table
/// 2-5 \[M\]). **Secondary:** HSE-oracle (`LEES` table: substance, a, b, n, LC1 5 min, LC1 30 min,
/// LC50 5 min, LC50 30 min). Toluene is excluded (see the file header's Gap note).
///
/// Tolerance: |Δ| ≤ max(`DATA_TABLE` · printed, 1 ppm) — the table prints whole ppm, and qra's
/// constants carry one more digit than OSD/30's for acrolein (a = −9.931, b = 2.049 vs −9.93,
/// 2.05), which moves its 16–48 ppm values by up to 0.7 ppm (the same criterion HSE-oracle uses).
#[test]
fn hse_osd30_table_2_lethal_concentrations() {
    // (qra name, LC1 5 min, LC1 30 min, LC50 5 min, LC50 30 min), ppm.
    let table: [(&str, [f64; 4]); 12] = [
        ("acrolein", [93.0, 16.0, 291.0, 48.0]),
        ("ammonia", [15057.0, 6147.0, 28264.0, 11539.0]),
        ("benzene", [18096.0, 7388.0, 22545.0, 9204.0]),
        ("carbon monoxide", [11810.0, 1968.0, 22169.0, 3695.0]),
        ("chlorine", [173.0, 71.0, 613.0, 250.0]),
        ("hydrogen chloride", [3464.0, 577.0, 11106.0, 1851.0]),
        ("hydrogen sulfide", [897.0, 256.0, 1543.0, 441.0]),
        ("nitrogen dioxide", [160.0, 65.0, 367.0, 150.0]),
        ("phosgene", [77.0, 13.0, 145.0, 24.0]),
        ("sulfur dioxide", [1241.0, 207.0, 3764.0, 627.0]),
        ("hydrogen fluoride", [19652.0, 3260.0, 39184.0, 6531.0]),
        ("hydrogen cyanide", [564.0, 161.0, 969.0, 277.0]),
    ];
    let y1 = 5.0 + Z_001;
    for (name, printed) in table {
        let s = substance(name).unwrap();
        let m = ToxicModel::from_substance(s, Some("eisenberg")).unwrap();
        let mm = s.molar_mass_kg_mol.unwrap();
        let cases = [(y1, 5.0), (y1, 30.0), (5.0, 5.0), (5.0, 30.0)];
        for ((pr, minutes), want) in cases.into_iter().zip(printed) {
            let c = m.concentration_for_probit(pr, minutes * 60.0);
            let ppm = kg_m3_to_ppm(c, mm, PPM_REFERENCE_TEMPERATURE_K, STANDARD_PRESSURE_PA);
            let tol = (DATA_TABLE * want).max(1.0);
            assert!(
                (ppm - want).abs() <= tol,
                "{name}, Pr {pr:.3}, {minutes} min: {ppm:.1} ppm vs table {want}"
            );
        }
    }
}

/// Emergency-planning thresholds for hydrogen sulfide as tabulated in Nitric Oxide 71:1–13 (2017),
/// doi:10.1016/j.niox.2017.09.011 (PMC5777517), Table 3 "Airborne hydrogen sulfide exposure
/// limits established by various U.S. and international public safety organizations": AIHA
/// ERPG-2 = 30 ppm, ERPG-3 = 100 ppm, NIOSH IDLH = 100 ppm. **Secondary** (the table cites AIHA
/// and NIOSH). Also the ppm → mg/m³ conversion against CCOHS's rule mg/m³ = ppm·M/24.45
/// (25 °C, 760 torr; CCOHS "OSH Answers: converting mg/m³ to ppm", as quoted by HSE-oracle).
///
/// This test found qra's IDLH for H₂S stored as 50 ppm; corrected to 100 ppm.
///
/// Tolerance: exact for the ppm values; `DATA_TABLE` on the mg/m³ conversion (24.45 L/mol is
/// CCOHS's rounding of R·T/p = 24.465 L/mol).
#[test]
fn hydrogen_sulfide_erpg_and_idlh_thresholds() {
    let h2s = substance("hydrogen sulfide").unwrap();
    let m_g_mol = h2s.molar_mass_kg_mol.unwrap() * 1e3;
    for (level, ppm) in [("erpg2", 30.0), ("erpg3", 100.0), ("idlh", 100.0)] {
        let c_mg_m3 = threshold_kg_m3(h2s, level).unwrap() * 1e6;
        assert_relative_eq!(c_mg_m3, ppm * m_g_mol / 24.45, max_relative = DATA_TABLE);
        let back = kg_m3_to_ppm(
            c_mg_m3 * 1e-6,
            h2s.molar_mass_kg_mol.unwrap(),
            PPM_REFERENCE_TEMPERATURE_K,
            STANDARD_PRESSURE_PA,
        );
        assert_relative_eq!(back, ppm, max_relative = 1e-12);
    }
}
