//! Integration: source term → dispersion → toxic lethality on the public API (a chlorine
//! pressurised-liquid release). Checks physical orderings, not values the code produced.

use qra_core::dispersion::{
    toxic_maximum_reach, Atmosphere, BritterMcQuaidPlume, GaussianPlume, SigmaScheme, Stability,
    Terrain,
};
use qra_core::source::{airborne_fraction, hole_area_m2, release_duration_s, two_phase_discharge};
use qra_core::substance::substance;
use qra_core::vulnerability::toxic::ToxicModel;

fn reach_for_hole(d_m: f64, stability: Stability, u: f64) -> f64 {
    let cl2 = substance("chlorine").unwrap();
    let t = 293.15;
    let psat = cl2.vapour_pressure_pa(t).unwrap();
    let r = two_phase_discharge(
        hole_area_m2(d_m),
        t,
        psat,
        psat,
        cl2.liquid_density_kg_m3().unwrap(),
        cl2.heat_of_vaporisation_j_kg().unwrap(),
        cl2.cp_liquid_j_kg_k().unwrap(),
        cl2.molar_mass_kg_mol().unwrap(),
        cl2.normal_boiling_point_k().unwrap(),
        0.61,
    )
    .unwrap();
    let (air, _rain) = airborne_fraction(r.flash_fraction).unwrap();
    let rate = r.rate_kg_s * air;
    let duration = release_duration_s(20_000.0, r.rate_kg_s, Some(600.0), 1800.0).unwrap();
    let atm = Atmosphere::new(u, stability, Terrain::Rural, SigmaScheme::Briggs).unwrap();
    let tox = ToxicModel::from_substance(cl2, None).unwrap();
    // Vapour at the boiling point (ideal gas) for the dense-gas switch.
    let rho = 101_325.0 * cl2.molar_mass_kg_mol().unwrap()
        / (8.314_462_618 * cl2.normal_boiling_point_k().unwrap());
    let bm = BritterMcQuaidPlume::new(rate, rho, 1.204, atm).unwrap();
    assert!(bm.dense, "chlorine vapour is denser than air");
    let dense = toxic_maximum_reach(&bm, &tox, duration, 1800.0, 1e-6).unwrap();
    let passive = toxic_maximum_reach(
        &GaussianPlume::new(rate, 0.0, atm).unwrap(),
        &tox,
        duration,
        1800.0,
        1e-6,
    )
    .unwrap();
    assert!(dense > 0.0 && passive > 0.0);
    dense
}

#[test]
fn bigger_holes_reach_further() {
    let mut last = 0.0;
    for d in [0.005, 0.01, 0.025, 0.05] {
        let r = reach_for_hole(d, Stability::F, 1.5);
        assert!(r > last, "hole {d} m: reach {r} m ≤ {last} m");
        last = r;
    }
}

#[test]
fn reach_is_finite_and_bounded() {
    for s in Stability::ALL {
        let r = reach_for_hole(0.01, s, 3.0);
        assert!(r.is_finite() && r <= qra_core::dispersion::outputs::X_MAX_M);
    }
}
