use super::dense::{
    finite_release_concentration_kg_m3, BritterMcQuaidPlume, BritterMcQuaidPuff, ReleaseRegime,
};
use super::gaussian::{GaussianPlume, GaussianPuff};
use super::outputs::{distance_to, plume_flammable_mass};
use super::*;
use crate::tolerance::{EXACT, WORKED_EXAMPLE};
use approx::assert_relative_eq;
use proptest::prelude::*;

fn atm(u: f64, s: Stability) -> Atmosphere {
    Atmosphere::new(u, s, Terrain::Rural, SigmaScheme::Briggs).unwrap()
}

#[test]
fn tno_sigmas_match_gasdispersion_jl() {
    // Cross-tool: GasDispersion.jl test/utils/tno_tests.jl spot values (shared/reference/models.md
    // §3.1): TNO plume, class A, x = 1.2 m.
    let (sy, sz) = sigmas(1.2, Stability::A, Terrain::Rural, SigmaScheme::Tno);
    assert_relative_eq!(sy, 0.617_024_477_654_640_3, max_relative = EXACT);
    assert_relative_eq!(sz, 0.329_929_502_972_802_7, max_relative = EXACT);
}

#[test]
fn briggs_hand_values() {
    // Hand computation from the cited equations (Briggs 1973 via CCPS 1999), x = 1000 m, D rural:
    // σy = 0.08·1000/√1.1 = 76.277 m, σz = 0.06·1000/√2.5 = 37.947 m.
    let (sy, sz) = sigmas(1000.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs);
    assert_relative_eq!(sy, 76.277, max_relative = WORKED_EXAMPLE);
    assert_relative_eq!(sz, 37.947, max_relative = WORKED_EXAMPLE);
    // ISC3 rural D at 1 km: σy = 465.11628·tan(0.017453293·8.333) = 68.26 m,
    // σz = 32.093·1^0.81066 = 32.09 m (EPA 1995 Table 1-2 row for 0.30–1.00 km).
    let (sy, sz) = sigmas(
        1000.0,
        Stability::D,
        Terrain::Rural,
        SigmaScheme::PasquillGifford,
    );
    assert_relative_eq!(sy, 68.26, max_relative = WORKED_EXAMPLE);
    assert_relative_eq!(sz, 32.093, max_relative = WORKED_EXAMPLE);
}

#[test]
fn sigmas_grow_and_order_by_stability() {
    for scheme in [
        SigmaScheme::Briggs,
        SigmaScheme::PasquillGifford,
        SigmaScheme::Tno,
        SigmaScheme::CcpsPuff,
    ] {
        for terrain in [Terrain::Rural, Terrain::Urban] {
            for s in Stability::ALL {
                let mut last = (0.0, 0.0);
                for i in 1..200 {
                    let x = 10f64.powf(i as f64 * 0.02);
                    let v = sigmas(x, s, terrain, scheme);
                    assert!(v.0 > last.0 && v.1 >= last.1, "{scheme:?} {s:?} {x}");
                    last = v;
                }
            }
            // More unstable = wider, at 500 m.
            for w in Stability::ALL.windows(2) {
                let a = sigmas(500.0, w[0], terrain, scheme);
                let b = sigmas(500.0, w[1], terrain, scheme);
                assert!(a.0 >= b.0 && a.1 >= b.1, "{scheme:?} {terrain:?} {:?}", w);
            }
        }
    }
    assert_eq!(
        sigmas(0.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs),
        (0.0, 0.0)
    );
    assert_eq!(
        sigmas(f64::NAN, Stability::D, Terrain::Rural, SigmaScheme::Briggs),
        (0.0, 0.0)
    );
}

#[test]
fn names_parse_and_bad_names_fail() {
    assert_eq!("d".parse::<Stability>().unwrap(), Stability::D);
    assert!(matches!(
        "G".parse::<Stability>(),
        Err(QraError::UnknownName { .. })
    ));
    assert_eq!(
        "Pasquill-Gifford".parse::<SigmaScheme>().unwrap(),
        SigmaScheme::PasquillGifford
    );
    assert!("moon".parse::<Terrain>().is_err());
}

#[test]
fn constructors_validate() {
    assert!(Atmosphere::new(0.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs).is_err());
    assert!(Atmosphere::new(f64::NAN, Stability::D, Terrain::Rural, SigmaScheme::Briggs).is_err());
    let a = atm(3.0, Stability::D);
    assert!(GaussianPlume::new(-1.0, 0.0, a).is_err());
    assert!(GaussianPlume::new(1.0, -1.0, a).is_err());
    let lid = a.with_mixing_height(Some(100.0)).unwrap();
    assert!(GaussianPlume::new(1.0, 200.0, lid).is_err());
    assert!(GaussianPuff::new(1.0, 0.0, Some(0.0), a).is_err());
    assert!(a.with_mixing_height(Some(-5.0)).is_err());
    assert!(a.with_averaging_time(0.0).is_err());
}

/// ∫∫ u·C dy dz over the half-space z ≥ 0 (midpoint rule).
fn flux_through_plane(p: &GaussianPlume, x: f64) -> f64 {
    let (sy, sz) = p.atmosphere.sigmas(x);
    let ny = 400;
    let nz = 400;
    let ymax = 8.0 * sy;
    let zmax = p.release_height_m + 8.0 * sz;
    let dy = 2.0 * ymax / ny as f64;
    let dz = zmax / nz as f64;
    let mut s = 0.0;
    for j in 0..nz {
        let z = (j as f64 + 0.5) * dz;
        for i in 0..ny {
            let y = -ymax + (i as f64 + 0.5) * dy;
            s += p.concentration(x, y, z);
        }
    }
    s * dy * dz * p.transport_speed_m_s
}

#[test]
fn plume_conserves_mass_flux() {
    // Mass conservation: the flux through any cross-wind plane equals Q (ground reflection).
    for (h, s) in [
        (0.0, Stability::D),
        (20.0, Stability::B),
        (5.0, Stability::F),
    ] {
        let p = GaussianPlume::new(2.0, h, atm(4.0, s)).unwrap();
        for x in [50.0, 500.0, 3000.0] {
            assert_relative_eq!(flux_through_plane(&p, x), 2.0, max_relative = 1e-3);
        }
    }
    // With a lid the flux is conserved too (images).
    let a = atm(4.0, Stability::C)
        .with_mixing_height(Some(200.0))
        .unwrap();
    let p = GaussianPlume::new(2.0, 10.0, a).unwrap();
    for x in [300.0, 2000.0, 20000.0] {
        let (sy, _) = p.atmosphere.sigmas(x);
        let n = 400;
        let dy = 16.0 * sy / n as f64;
        let dz = 200.0 / n as f64;
        let mut s = 0.0;
        for j in 0..n {
            for i in 0..n {
                s += p.concentration(x, -8.0 * sy + (i as f64 + 0.5) * dy, (j as f64 + 0.5) * dz);
            }
        }
        assert_relative_eq!(
            s * dy * dz * p.transport_speed_m_s,
            2.0,
            max_relative = 5e-3
        );
    }
}

#[test]
fn puff_conserves_mass() {
    let a = Atmosphere::new(3.0, Stability::D, Terrain::Rural, SigmaScheme::CcpsPuff).unwrap();
    let p = GaussianPuff::new(100.0, 0.0, None, a).unwrap();
    let t = 100.0;
    let xc = p.transport_speed_m_s * t;
    let (sy, sz) = a.sigmas(xc);
    let n = 80;
    let (dx, dy, dz) = (
        12.0 * sy / n as f64,
        12.0 * sy / n as f64,
        6.0 * sz / n as f64,
    );
    let mut m = 0.0;
    for k in 0..n {
        for j in 0..n {
            for i in 0..n {
                let x = xc - 6.0 * sy + (i as f64 + 0.5) * dx;
                let y = -6.0 * sy + (j as f64 + 0.5) * dy;
                let z = (k as f64 + 0.5) * dz;
                m += p.concentration(x, y, z, t);
            }
        }
    }
    assert_relative_eq!(m * dx * dy * dz, 100.0, max_relative = 1e-3);
}

#[test]
fn long_finite_puff_tends_to_plume() {
    // Palazzi et al. (1982): for t ≫ x/u during a long release the concentration is the plume's.
    let a = atm(5.0, Stability::D);
    let q = 3.0;
    let td = 1.0e5;
    let puff = GaussianPuff::new(q * td, 0.0, Some(td), a).unwrap();
    let plume = GaussianPlume::new(q, 0.0, a).unwrap();
    for x in [10.0, 100.0, 1000.0] {
        assert_relative_eq!(
            puff.concentration(x, 3.0, 1.0, 1.0e4),
            plume.concentration(x, 3.0, 1.0),
            max_relative = 1e-9
        );
        // Before arrival the finite puff is (nearly) zero.
        assert!(
            puff.concentration(x, 0.0, 0.0, 0.01 * x / 5.0)
                < 1e-6 * plume.concentration(x, 0.0, 0.0)
        );
    }
}

#[test]
fn defined_values_never_nan() {
    let a = atm(2.0, Stability::F);
    let p = GaussianPlume::new(1.0, 0.0, a).unwrap();
    assert_eq!(p.concentration(-10.0, 0.0, 0.0), 0.0);
    assert_eq!(p.concentration(0.0, 0.0, 0.0), 0.0);
    assert_eq!(p.concentration(10.0, 0.0, -1.0), 0.0);
    assert!(p.concentration(1e-300, 0.0, 0.0).is_finite());
    assert_eq!(p.concentration(f64::NAN, 0.0, 0.0), 0.0);
    let pf = GaussianPuff::new(1.0, 0.0, None, a).unwrap();
    assert_eq!(pf.concentration(0.0, 0.0, 0.0, 0.0), 0.0);
    assert!(pf.concentration(0.0, 0.0, 0.0, 1e-9).is_finite());
    assert!(p
        .concentrations(&[1.0, f64::NAN], &[0.0, 0.0], &[0.0, 0.0])
        .is_err());
    assert!(pf.concentrations(&[1.0], &[0.0], &[0.0], &[-1.0]).is_err());
    assert!(p.concentrations(&[1.0], &[0.0, 1.0], &[0.0]).is_err());
}

#[test]
fn array_matches_scalar_and_parallel_is_deterministic() {
    let p = GaussianPlume::new(1.0, 2.0, atm(3.0, Stability::C)).unwrap();
    let n = 20_000;
    let x: Vec<f64> = (0..n).map(|i| -50.0 + i as f64 * 0.37).collect();
    let y: Vec<f64> = (0..n).map(|i| (i % 97) as f64 - 48.0).collect();
    let z: Vec<f64> = (0..n).map(|i| (i % 7) as f64).collect();
    let c = p.concentrations(&x, &y, &z).unwrap();
    for i in (0..n).step_by(997) {
        assert_eq!(c[i], p.concentration(x[i], y[i], z[i]));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let c1 = pool.install(|| p.concentrations(&x, &y, &z).unwrap());
    assert_eq!(c, c1);
}

#[test]
fn distance_to_lfl_and_flammable_mass() {
    let p = GaussianPlume::new(5.0, 0.0, atm(2.0, Stability::F)).unwrap();
    let c = 0.02; // kg/m³
    let d = distance_to(|x| p.concentration(x, 0.0, 0.0), c);
    assert!(d > 1.0 && d < 1e5);
    assert_relative_eq!(p.concentration(d, 0.0, 0.0), c, max_relative = 1e-4);
    // Analytic (H = 0) vs numeric (H = 1 mm) flammable mass agree.
    let m_a = plume_flammable_mass(&p, 0.02, 0.2);
    let p2 = GaussianPlume::new(5.0, 1e-3, atm(2.0, Stability::F)).unwrap();
    let m_n = plume_flammable_mass(&p2, 0.02, 0.2);
    assert!(m_a > 0.0);
    assert_relative_eq!(m_a, m_n, max_relative = 0.03);
    // Flammable mass ≤ total airborne mass up to the LFL distance (Q·x/u).
    assert!(m_a <= 5.0 * d / p.transport_speed_m_s);
}

#[test]
fn mixing_lid_well_mixed_limit_is_continuous() {
    // At σz = 1.6 L the image sum and the well-mixed form √(2π)σz/L agree within 1 %.
    let l = 100.0;
    let sz = 1.6 * l;
    let images = gaussian::vertical_factor(0.0, 0.0, sz * 0.999_999, Some(l));
    let mixed = gaussian::vertical_factor(0.0, 0.0, sz * 1.000_001, Some(l));
    assert_relative_eq!(images, mixed, max_relative = 0.01);
}

#[test]
fn britter_mcquaid_tables_are_continuous() {
    // Every β(α) segment joins its neighbour within 0.015 (the published 2-decimal rounding).
    for (i, curve) in [
        dense::tests_support::continuous(),
        dense::tests_support::instantaneous(),
    ]
    .into_iter()
    .enumerate()
    {
        for (_, segs) in curve {
            for w in segs.windows(2) {
                let a = w[0].0;
                let left = w[0].1 * a + w[0].2;
                let right = w[1].1 * a + w[1].2;
                assert!(
                    (left - right).abs() < 0.015,
                    "table {i}: α = {a}: {left} vs {right}"
                );
            }
        }
    }
}

#[test]
fn britter_mcquaid_behaviour() {
    let a = atm(2.0, Stability::F);
    // Chlorine-like: 10 kg/s, ρ = 3.2 kg/m³, air 1.2 kg/m³.
    let bm = BritterMcQuaidPlume::new(10.0, 3.2, 1.2, a).unwrap();
    assert!(bm.dense);
    let mut last = f64::INFINITY;
    for i in 0..300 {
        let x = 10f64.powf(i as f64 * 0.015);
        let r = bm.centreline_ratio(x);
        assert!(r <= last && r > 0.0 && r <= 1.0, "x = {x}");
        last = r;
    }
    // A light gas is passive: the Gaussian plume is used.
    let light = BritterMcQuaidPlume::new(10.0, 0.7, 1.2, a).unwrap();
    assert!(!light.dense);
    let g = GaussianPlume::new(10.0, 0.0, a).unwrap();
    assert_eq!(
        light.concentration_kg_m3(200.0, 0.0, 0.0),
        g.concentration(200.0, 0.0, 0.0)
    );
    let puff = BritterMcQuaidPuff::new(5000.0, 3.0, 1.2, 2.0).unwrap();
    assert!(puff.dense);
    assert!(puff.max_concentration_kg_m3(100.0) > puff.max_concentration_kg_m3(1000.0));
    assert_eq!(puff.max_concentration_kg_m3(-1.0), 0.0);
    assert!(BritterMcQuaidPlume::new(0.0, 3.0, 1.2, a).is_err());
}

proptest! {
    #[test]
    fn plume_decreases_downwind_and_crosswind(
        q in 0.01f64..100.0, u in 0.5f64..15.0, si in 0usize..6,
        x in 20.0f64..5000.0, y in 0.0f64..200.0,
    ) {
        let p = GaussianPlume::new(q, 0.0, atm(u, Stability::ALL[si])).unwrap();
        let c = p.concentration(x, y, 0.0);
        prop_assert!(c.is_finite() && c >= 0.0);
        prop_assert!(p.concentration(x * 1.1, 0.0, 0.0) <= p.concentration(x, 0.0, 0.0));
        prop_assert!(p.concentration(x, y + 1.0, 0.0) <= c);
        prop_assert!(p.concentration(x, -y, 0.0) == c);
        // Linear in Q.
        let p2 = GaussianPlume::new(2.0 * q, 0.0, atm(u, Stability::ALL[si])).unwrap();
        prop_assert!((p2.concentration(x, y, 0.0) - 2.0 * c).abs() <= 1e-12 * c.max(1e-300));
    }

    #[test]
    fn puff_finite_everywhere(
        x in -1e4f64..1e4, y in -1e3f64..1e3, z in -10.0f64..1e3, t in 0.0f64..1e5,
        td in proptest::option::of(1.0f64..1e4),
    ) {
        let p = GaussianPuff::new(10.0, 1.0, td, atm(3.0, Stability::E)).unwrap();
        let c = p.concentration(x, y, z, t);
        prop_assert!(c.is_finite() && c >= 0.0);
    }
}

#[test]
fn toxic_footprint_and_reach_for_risk_engine() {
    use super::outputs::{
        distance_to_concentration, toxic_maximum_reach, toxic_probability_ground,
    };
    use crate::vulnerability::toxic::ToxicModel;
    let cl2 = crate::substance::substance("chlorine").unwrap();
    let tox = ToxicModel::from_substance(cl2, Some("withers-lees-1985")).unwrap();
    let p = GaussianPlume::new(2.0, 0.0, atm(2.0, Stability::F)).unwrap();
    let reach = toxic_maximum_reach(&p, &tox, 1800.0, 1800.0, 1e-6).unwrap();
    assert!(reach > 10.0 && reach < 1e5);
    // At the reach the centreline probability is p_min.
    let pr = toxic_probability_ground(&p, &tox, 1800.0, 1800.0, &[reach, 1.2 * reach], &[0.0, 0.0])
        .unwrap();
    assert_relative_eq!(pr[0], 1e-6, max_relative = 1e-3);
    assert!(pr[1] < 1e-6);
    // Symmetric in y, 0 upwind.
    let q = toxic_probability_ground(
        &p,
        &tox,
        600.0,
        1800.0,
        &[500.0, 500.0, -5.0],
        &[30.0, -30.0, 0.0],
    )
    .unwrap();
    assert_eq!(q[0], q[1]);
    assert_eq!(q[2], 0.0);
    assert!(toxic_probability_ground(&p, &tox, 600.0, 1800.0, &[f64::NAN], &[0.0]).is_err());
    let bm = BritterMcQuaidPlume::new(10.0, 3.2, 1.2, atm(2.0, Stability::F)).unwrap();
    let d = distance_to_concentration(&bm, 0.01).unwrap();
    assert_relative_eq!(
        bm.concentration_kg_m3(d, 0.0, 0.0),
        0.01,
        max_relative = 1e-4
    );
    assert!(distance_to_concentration(&bm, -1.0).is_err());
}

#[test]
fn min_transport_height_uses_the_measured_wind() {
    // Hand computation: wind 4 m/s measured at 2 m, class D rural (p = 0.15), release at 0.46 m.
    // Default (10 m floor): u = 4·5^0.15 = 5.1066 m/s; floor at the 2 m measurement height: 4 m/s.
    let a = atm(4.0, Stability::D).with_wind_height(2.0).unwrap();
    assert_relative_eq!(
        a.transport_speed(0.46),
        4.0 * 5f64.powf(0.15),
        max_relative = EXACT
    );
    let b = a.with_min_transport_height(2.0).unwrap();
    assert_relative_eq!(b.transport_speed(0.46), 4.0, max_relative = EXACT);
    // A release above the floor still uses its own height.
    assert_relative_eq!(
        b.transport_speed(20.0),
        4.0 * 10f64.powf(0.15),
        max_relative = EXACT
    );
    for bad in [0.0, -1.0, f64::NAN, 1e4] {
        assert!(a.with_min_transport_height(bad).is_err(), "{bad}");
    }
    // Serde default keeps old study files (without the field) on the 10 m convention.
    let mut v = serde_json::to_value(a).unwrap();
    v.as_object_mut().unwrap().remove("min_transport_height_m");
    let back: Atmosphere = serde_json::from_value(v).unwrap();
    assert_eq!(back.min_transport_height_m, DEFAULT_MIN_TRANSPORT_HEIGHT_M);
}

#[test]
fn aerosol_mixture_satisfies_its_balances() {
    // Invariants of the model (not values it produced): the returned state closes the energy
    // balance and sits on the saturation curve; ammonia from 305 K storage is denser than air.
    use crate::constants::{AIR_CP_J_KG_K, AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT_J_MOL_K};
    let s = crate::substance::substance("ammonia").unwrap();
    let (tb, hfg, cpg, m) = (
        s.normal_boiling_point_k().unwrap(),
        s.heat_of_vaporisation_j_kg().unwrap(),
        s.cp_gas_j_kg_k().unwrap(),
        s.molar_mass_kg_mol().unwrap(),
    );
    let (ta, p) = (305.0, 91_500.0);
    for l in [0.3, 0.6, 0.81] {
        let mix = dense::AerosolMixture::new(s, l, ta, p).unwrap();
        let a = mix.air_mass_ratio;
        let t = mix.temperature_k;
        assert_relative_eq!(
            a * AIR_CP_J_KG_K * (ta - t),
            l * hfg + cpg * (t - tb),
            max_relative = 1e-9
        );
        let y = (1.0 / m) / (1.0 / m + a / AIR_MOLAR_MASS_KG_MOL);
        assert_relative_eq!(s.vapour_pressure_pa(t).unwrap(), y * p, max_relative = 1e-6);
        assert_relative_eq!(
            mix.substance_mass_fraction,
            1.0 / (1.0 + a),
            max_relative = EXACT
        );
        let rho_air = p * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT_J_MOL_K * ta);
        if l > 0.6 {
            assert!(
                mix.density_kg_m3 > rho_air,
                "aerosol-laden NH3 cloud is dense"
            );
        }
    }
    // No aerosol: pure vapour at the boiling point.
    let v = dense::AerosolMixture::new(s, 0.0, ta, p).unwrap();
    assert_eq!(v.air_mass_ratio, 0.0);
    assert_relative_eq!(
        v.density_kg_m3,
        p * m / (GAS_CONSTANT_J_MOL_K * tb),
        max_relative = EXACT
    );
    for bad in [f64::NAN, -0.1, 1.0] {
        assert!(dense::AerosolMixture::new(s, bad, ta, p).is_err());
    }
    assert!(
        dense::AerosolMixture::new(s, 0.5, 230.0, p).is_err(),
        "ambient below T_b"
    );
}

#[test]
fn non_isothermal_correction_round_trip_and_mass() {
    // C* = C/(C + (1 − C)·r) and its inverse are exact inverses; the mass fraction of the
    // released gas is the same whether the nomogram value is read as a volume fraction at the
    // source temperature or corrected to ambient (the correction conserves mass).
    for r in [0.5, 1.0, 2.67] {
        for c in [1e-4, 0.01, 0.05, 0.3, 0.9] {
            let cs = dense::nomogram_fraction(c, r);
            // Inverse form C = C*·r/(1 − C* + C*·r) (module docs, "Non-isothermal").
            let back = cs * r / (1.0 - cs + cs * r);
            assert_relative_eq!(back, c, max_relative = 1e-12);
        }
    }
    // Isothermal default: centreline ratio equals the nomogram value; cold source: larger.
    let iso = BritterMcQuaidPlume::new(10.0, 3.0, 1.2, atm(5.0, Stability::D)).unwrap();
    assert_eq!(iso.centreline_ratio(200.0), iso.nomogram_ratio(200.0));
    let cold = iso.with_temperatures(240.0, 293.0).unwrap();
    assert!(cold.centreline_ratio(200.0) > cold.nomogram_ratio(200.0));
    // Mass per m³ at small fractions is ≈ nomogram × source density either way (within C).
    let c_star = cold.nomogram_ratio(200.0);
    assert_relative_eq!(
        cold.concentration_kg_m3(200.0, 0.0, 0.0),
        c_star * 3.0 / (1.0 - c_star + c_star * 293.0 / 240.0),
        max_relative = 1e-12
    );
    assert!(iso.with_temperatures(f64::NAN, 293.0).is_err());
    assert!(iso.with_temperatures(240.0, 0.0).is_err());
}

#[test]
fn britter_mcquaid_far_field_hands_over_to_passive_continuously() {
    // Beyond the last tabulated curve the plume is the passive Gaussian from a virtual source
    // matched at x_L: continuous on the centreline and decreasing downwind (invariants).
    for (rate, rho, u, s) in [
        (10.0, 3.0, 5.0, Stability::D),
        (20.0, 1.8, 2.0, Stability::F),
    ] {
        let bm = BritterMcQuaidPlume::new(rate, rho, 1.2, atm(u, s)).unwrap();
        assert!(bm.dense);
        let (x_l, _) = bm.far_field_m.expect("far field defined");
        let below = bm.concentration_kg_m3(x_l * (1.0 - 1e-9), 0.0, 0.0);
        let above = bm.concentration_kg_m3(x_l * (1.0 + 1e-9), 0.0, 0.0);
        assert_relative_eq!(below, above, max_relative = 1e-6);
        let mut last = above;
        for k in 1..50 {
            let c = bm.concentration_kg_m3(x_l * (1.0 + 0.2 * k as f64), 0.0, 0.0);
            assert!(c < last && c > 0.0);
            last = c;
        }
        // Crosswind decay off the axis in the far field, no NaN at odd points.
        assert!(
            bm.concentration_kg_m3(2.0 * x_l, 50.0, 0.0)
                < bm.concentration_kg_m3(2.0 * x_l, 0.0, 0.0)
        );
        assert_eq!(bm.concentration_kg_m3(2.0 * x_l, 0.0, -1.0), 0.0);
    }
}

/// Passive far field of the instantaneous cloud: continuous at the last curve (the virtual
/// source is placed for that), decreasing along the path, and of the released substance only.
#[test]
fn britter_mcquaid_puff_passive_far_field() {
    let a = atm(2.0, Stability::F);
    let puff = BritterMcQuaidPuff::new(5000.0, 3.0, 1.2, 2.0)
        .unwrap()
        .with_passive_far_field(a)
        .unwrap();
    let ff = puff.far_field.expect("far field set");
    let xl = ff.last_curve_m;
    let (below, above) = (
        puff.max_concentration_kg_m3(xl * (1.0 - 1e-9)),
        puff.max_concentration_kg_m3(xl * (1.0 + 1e-9)),
    );
    assert_relative_eq!(below, above, max_relative = 1e-4);
    let mut last = f64::INFINITY;
    for i in 0..200 {
        let x = 10f64.powf(0.5 + i as f64 * 0.02);
        let c = puff.max_concentration_kg_m3(x);
        assert!(
            c.is_finite() && c > 0.0 && c <= last * (1.0 + 1e-12),
            "x = {x}"
        );
        last = c;
    }
    // Beyond x_L: the passive puff's peak at x − x_v (hand check of the hand-over rule).
    let x = 3.0 * xl;
    let xp = x - ff.virtual_offset_m;
    let p = GaussianPuff::new(5000.0, 0.0, None, a).unwrap();
    assert_relative_eq!(
        puff.max_concentration_kg_m3(x),
        p.concentration(xp, 0.0, 0.0, xp / p.transport_speed_m_s),
        max_relative = EXACT
    );
}

/// Top-hat cloud geometry (hand computation from the stated equations): R(0) = (3V₀/4π)^{1/3};
/// R² − R₀² grows linearly with x; passage time 2·√(R² − y²)/(0.4·u₁₀), 0 outside the cloud.
#[test]
fn britter_mcquaid_puff_cloud_geometry() {
    let puff = BritterMcQuaidPuff::new(6000.0, 3.0, 1.2, 4.0).unwrap();
    let v0: f64 = 2000.0;
    let r0 = (3.0 * v0 / (4.0 * std::f64::consts::PI)).cbrt();
    assert_relative_eq!(puff.cloud_radius_m(0.0), r0, max_relative = EXACT);
    let g0 = 9.806_65 * (3.0 - 1.2) / 1.2;
    let r100 = (r0 * r0 + 1.2 * (g0 * v0).sqrt() * 100.0 / 1.6).sqrt();
    assert_relative_eq!(puff.cloud_radius_m(100.0), r100, max_relative = 1e-6);
    assert_relative_eq!(
        puff.passage_time_s(100.0, 0.0),
        2.0 * r100 / 1.6,
        max_relative = 1e-6
    );
    assert_eq!(puff.passage_time_s(100.0, r100 * 1.01), 0.0);
    assert!(puff.passage_time_s(100.0, 0.5 * r100) < puff.passage_time_s(100.0, 0.0));
}

/// The workbook's finite-duration rule (hand computation of u₁₀·T_d/x): Coyote 3 (u₁₀ ≈ 6.5
/// m/s, 65 s) is continuous at 140 m (r = 3.0), intermediate at 500 m (r = 0.84) and
/// instantaneous at 1000 m (r = 0.42); the concentration follows the regime.
#[test]
fn finite_duration_rule_follows_the_workbook_regimes() {
    assert_eq!(
        ReleaseRegime::at(6.46, 65.0, 140.0),
        ReleaseRegime::Continuous
    );
    assert_eq!(
        ReleaseRegime::at(6.46, 65.0, 500.0),
        ReleaseRegime::Intermediate
    );
    assert_eq!(
        ReleaseRegime::at(6.46, 65.0, 1000.0),
        ReleaseRegime::Instantaneous
    );
    let a = atm(6.46, Stability::C);
    let (rate, td) = (100.0, 65.0);
    let plume = BritterMcQuaidPlume::new(rate, 1.6, 1.04, a).unwrap();
    let cloud = BritterMcQuaidPuff::new(rate * td, 1.6, 1.04, 6.46)
        .unwrap()
        .with_passive_far_field(a)
        .unwrap();
    let f = |x| finite_release_concentration_kg_m3(&plume, &cloud, td, x);
    assert_eq!(f(140.0), plume.concentration_kg_m3(140.0, 0.0, 0.0));
    assert_eq!(
        f(500.0),
        plume
            .concentration_kg_m3(500.0, 0.0, 0.0)
            .min(cloud.max_concentration_kg_m3(500.0))
    );
    assert_eq!(f(1000.0), cloud.max_concentration_kg_m3(1000.0));
    assert_eq!(f(0.0), 0.0);
}

/// Regression (found by the risk engine's property test): for a large cloud or plume in stable
/// weather the passive model never becomes as dilute as the workbook's last curve within the
/// searched 100 km (Briggs rural σz levels off in E/F), so the virtual-source search hit its
/// limit and the "hand-over" raised the concentration beyond x_L (194 t ammonia-like cloud in
/// F 1.5 m/s: 1.9·10⁻⁴ kg/m³ just before x_L = 6.2 km, 3.2·10⁻⁴ at 8 km). Concentrations must
/// not grow downwind, for any size and stability.
#[test]
fn britter_mcquaid_far_field_never_raises_the_concentration() {
    for (m, s) in [
        (1e3, Stability::F),
        (2e5, Stability::F),
        (2e6, Stability::E),
        (2e5, Stability::D),
    ] {
        let a = atm(1.5, s);
        let puff = BritterMcQuaidPuff::new(m, 1.5, 1.2, 1.5)
            .unwrap()
            .with_passive_far_field(a)
            .unwrap();
        let plume = BritterMcQuaidPlume::new(m / 100.0, 1.5, 1.2, a).unwrap();
        let (mut lp, mut lq) = (f64::INFINITY, f64::INFINITY);
        for i in 0..=250 {
            let x = 10f64.powf(1.0 + i as f64 * 0.016);
            let (cp, cq) = (
                puff.max_concentration_kg_m3(x),
                plume.concentration_kg_m3(x, 0.0, 0.0),
            );
            assert!(cp <= lp * (1.0 + 1e-9), "puff {m} kg {s:?}: x = {x}");
            assert!(
                cq <= lq * (1.0 + 1e-9),
                "plume {} kg/s {s:?}: x = {x}",
                m / 100.0
            );
            (lp, lq) = (cp, cq);
        }
    }
}

/// Workbook near field (Britter & McQuaid 1988 as quoted by CCPS 1999 and implemented by
/// GasDispersion.jl, secondary): hand computation of Cm/C₀ = k·x'⁻²/(1 + k·x'⁻²) at points
/// nearer than x' = 30 (continuous, k = 306) and nearer than the 0.1 curve (instantaneous,
/// k = 3.24), for releases whose 0.1 curve lies beyond those points.
#[test]
fn britter_mcquaid_near_field_correlations() {
    let a = atm(2.0, Stability::F);
    // Chlorine-like plume, 10 kg/s: α ≈ 0.35, first curve at x/D ≈ 40 (> 30).
    let bm = BritterMcQuaidPlume::new(10.0, 3.2, 1.2, a).unwrap();
    let d = bm.length_scale_m;
    for (x_rel, published) in [
        (5.0, 306.0 / 25.0 / (1.0 + 306.0 / 25.0)),
        (10.0, 0.753_69),
        (30.0, 0.253_73),
    ] {
        assert_relative_eq!(bm.nomogram_ratio(x_rel * d), published, max_relative = 1e-4);
    }
    // Instantaneous: x' = 2 → 3.24/(3.24 + 4) = 0.447 5; x' = 1 → 0.764 2.
    let puff = BritterMcQuaidPuff::new(5000.0, 3.0, 1.2, 2.0).unwrap();
    let l = puff.volume_m3.cbrt();
    assert_relative_eq!(
        puff.nomogram_ratio(2.0 * l),
        3.24 / 7.24,
        max_relative = 1e-12
    );
    assert_relative_eq!(puff.nomogram_ratio(l), 3.24 / 4.24, max_relative = 1e-12);
}

proptest! {
    /// Over the whole α range (including very dense releases whose 0.1 curve lies nearer than
    /// x/D = 30) the continuous and instantaneous nomogram ratios are in (0, 1], non-increasing
    /// with distance and continuous at the first curve (no jump larger than the near-field
    /// floor of the instantaneous cloud allows).
    #[test]
    fn britter_mcquaid_near_field_is_monotone(
        rate in 0.1f64..5e4, rho in 1.3f64..20.0, u in 0.5f64..15.0,
    ) {
        let a = Atmosphere::new(u, Stability::D, Terrain::Rural, SigmaScheme::Briggs).unwrap();
        let bm = BritterMcQuaidPlume::new(rate, rho, 1.2, a).unwrap();
        let puff = BritterMcQuaidPuff::new(rate * 10.0, rho, 1.2, u).unwrap();
        let (d, l) = (bm.length_scale_m, puff.volume_m3.cbrt());
        let (mut last_p, mut last_i) = (1.0f64, 1.0f64);
        for i in 0..400 {
            let x_rel = 10f64.powf(-1.0 + i as f64 * 0.01); // 0.1 … ≈ 980
            let (p, c) = (bm.nomogram_ratio(x_rel * d), puff.nomogram_ratio(x_rel * l));
            prop_assert!(p > 0.0 && p <= 1.0 && c > 0.0 && c <= 1.0);
            prop_assert!(p <= last_p * (1.0 + 1e-12), "plume α {}: x' {x_rel}: {p} > {last_p}", bm.alpha);
            prop_assert!(c <= last_i * (1.0 + 1e-12), "puff α {}: x' {x_rel}: {c} > {last_i}", puff.alpha);
            last_p = p;
            last_i = c;
        }
        // Continuity of the plume where the branches meet: where the ratio crosses the first
        // curve's 0.1 (bisection down to adjacent floats), and no step of 0.01 in β (2.3 % in x)
        // falls faster than 8 decades per decade (the workbook's own curves fall ≤ 2.5; the
        // junction with the near field, squeezed to 25 % in x for α ≈ 1, ≤ 7.6).
        let f = |x_rel: f64| bm.nomogram_ratio(x_rel * d);
        for i in 1..400 {
            let x_rel = 10f64.powf(-1.0 + i as f64 * 0.01);
            let (a, b) = (f(x_rel / 10f64.powf(0.01)), f(x_rel));
            prop_assert!(b >= a * 10f64.powf(-0.08), "plume α {}: x' {x_rel}: {a} → {b}", bm.alpha);
        }
        let (lo, hi) = crate::numerics::bisect(0.1, 1e4, |x| f(x) > 0.1, crate::numerics::never, 200);
        prop_assert!(f(lo) - f(hi) < 1e-9, "plume α {}: jump at x' {lo}: {} → {}", bm.alpha, f(lo), f(hi));
    }
}
