//! The classification-only path of the dense-gas switch (`GroundCloud::continuous_is_dense`,
//! `BritterMcQuaidPlume::classifies_dense`) against the plumes themselves: it must class every
//! release as building the Britter–McQuaid plume does, and `GroundCloud::continuous` must
//! still give the dense plume exactly where it did.

use proptest::prelude::*;
use qra_core::dispersion::{
    AerosolMixture, Atmosphere, BritterMcQuaidPlume, GroundCloud, SigmaScheme, SourceGas,
    Stability, Terrain,
};
use qra_core::substance::substance;

const AIR_KG_M3: f64 = 1.204;
const AMBIENT_K: f64 = 293.15;

fn stability(i: usize) -> Stability {
    Stability::ALL[i]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Pure gases: light to heavy, small to large releases, every stability.
    #[test]
    fn pure_gas_is_classed_as_the_plume_classes_it(
        ln_rate in (1e-3f64).ln()..(1e4f64).ln(),
        density in 0.08f64..8.0,
        u in 1.0f64..12.0,
        s in 0usize..6,
    ) {
        let rate = ln_rate.exp();
        let atm = Atmosphere::new(u, stability(s), Terrain::Rural, SigmaScheme::Briggs).unwrap();
        let plume = BritterMcQuaidPlume::new(rate, density, AIR_KG_M3, atm).unwrap();
        prop_assert_eq!(
            BritterMcQuaidPlume::classifies_dense(rate, density, AIR_KG_M3, atm).unwrap(),
            plume.dense
        );
        let gas = SourceGas::Pure { density_kg_m3: density };
        let flag = GroundCloud::continuous_is_dense(rate, Some(&gas), atm, AIR_KG_M3, AMBIENT_K).unwrap();
        prop_assert_eq!(flag, plume.dense);
        let cloud = GroundCloud::continuous(rate, 600.0, 1.0, Some(&gas), atm, AIR_KG_M3, AMBIENT_K).unwrap();
        prop_assert_eq!(cloud.is_dense(), plume.dense);
    }

    /// Flashing liquefied gases (chlorine, ammonia, propane) with their aerosol.
    #[test]
    fn aerosol_releases_are_classed_as_the_plume_classes_them(
        ln_rate in (1e-3f64).ln()..(1e3f64).ln(),
        liquid in 0.0f64..0.9,
        u in 1.0f64..12.0,
        s in 0usize..6,
        which in 0usize..3,
    ) {
        let name = ["chlorine", "ammonia", "propane"][which];
        let rate = ln_rate.exp();
        let mix = AerosolMixture::new(substance(name).unwrap(), liquid, AMBIENT_K, 101_325.0).unwrap();
        let atm = Atmosphere::new(u, stability(s), Terrain::Rural, SigmaScheme::Briggs).unwrap();
        let plume = BritterMcQuaidPlume::aerosol_laden(rate, &mix, AIR_KG_M3, AMBIENT_K, atm).unwrap();
        prop_assert_eq!(
            BritterMcQuaidPlume::aerosol_classifies_dense(rate, &mix, AIR_KG_M3, AMBIENT_K, atm).unwrap(),
            plume.dense
        );
        let gas = SourceGas::Aerosol(mix);
        let flag = GroundCloud::continuous_is_dense(rate, Some(&gas), atm, AIR_KG_M3, AMBIENT_K).unwrap();
        prop_assert_eq!(flag, plume.dense);
    }
}

/// Without a source gas a release is passive; bad inputs are still typed errors.
#[test]
fn no_source_gas_is_passive_and_bad_inputs_are_errors() {
    let atm = Atmosphere::new(3.0, Stability::D, Terrain::Rural, SigmaScheme::Briggs).unwrap();
    assert!(!GroundCloud::continuous_is_dense(5.0, None, atm, AIR_KG_M3, AMBIENT_K).unwrap());
    let gas = SourceGas::Pure { density_kg_m3: 3.0 };
    assert!(GroundCloud::continuous_is_dense(-1.0, Some(&gas), atm, AIR_KG_M3, AMBIENT_K).is_err());
    let bad = SourceGas::Pure { density_kg_m3: 1e6 };
    assert!(GroundCloud::continuous_is_dense(5.0, Some(&bad), atm, AIR_KG_M3, AMBIENT_K).is_err());
    assert!(
        GroundCloud::continuous(5.0, 600.0, 1.0, Some(&bad), atm, AIR_KG_M3, AMBIENT_K).is_err()
    );
}
