use super::*;
use crate::tolerance::{DATA_TABLE, PROPERTY_FIT};
use approx::assert_relative_eq;

fn db() -> &'static SubstanceDb {
    SubstanceDb::builtin().expect("built-in database parses and validates")
}

#[test]
fn builtin_has_the_required_substances() {
    let required = [
        "chlorine",
        "ammonia",
        "phosgene",
        "hydrogen sulfide",
        "hydrogen fluoride",
        "hydrogen cyanide",
        "sulfur dioxide",
        "hydrogen chloride",
        "methyl isocyanate",
        "acrylonitrile",
        "benzene",
        "toluene",
        "xylene",
        "styrene",
        "methanol",
        "ethanol",
        "acetone",
        "gasoline",
        "diesel",
        "crude oil",
        "lpg",
        "propane",
        "n-butane",
        "isobutane",
        "methane",
        "lng",
        "ethane",
        "ethylene",
        "propylene",
        "1,3-butadiene",
        "hydrogen",
        "ethylene oxide",
        "propylene oxide",
        "vinyl chloride",
        "formaldehyde",
        "carbon monoxide",
        "acetylene",
        "cyclohexane",
        "n-hexane",
        "ammonium nitrate",
        "nitrocellulose",
        "sodium cyanide",
        "ethyl acetate",
    ];
    for n in required {
        assert!(db().get(n).is_ok(), "{n} missing");
    }
    assert!(db().len() >= 40);
}

#[test]
fn every_value_has_a_source() {
    for s in db().iter() {
        if s.molar_mass_kg_mol.is_some() {
            assert!(s.sources.contains_key("properties"), "{}", s.name);
        }
        if s.burning_rate_kg_m2_s.is_some() {
            assert!(s.sources.contains_key("burning_rate"), "{}", s.name);
        }
        for p in &s.toxic_probit {
            assert!(!p.source.is_empty() && ["V", "S", "M"].contains(&p.verification.as_str()));
        }
        let g = s
            .gb18218
            .as_ref()
            .expect("every substance has GB 18218 data");
        assert!(!g.source.is_empty());
    }
}

/// Independent reference values: NIST Chemistry WebBook (Linstrom & Mallard, SRD 69) normal boiling
/// points and saturation pressures at 293.15 K.
#[test]
fn properties_match_nist_webbook() {
    let tb = [
        ("chlorine", 239.11),
        ("ammonia", 239.82),
        ("propane", 231.04),
        ("n-butane", 272.65),
        ("benzene", 353.2),
        ("methanol", 337.8),
        ("hydrogen sulfide", 212.8),
    ];
    for (n, t) in tb {
        assert_relative_eq!(
            db().get(n).unwrap().normal_boiling_point_k().unwrap(),
            t,
            max_relative = DATA_TABLE
        );
    }
    // Saturation pressure at 20 °C (NIST WebBook fluid tables), Pa.
    let psat = [
        ("ammonia", 857.5e3),
        ("chlorine", 674.0e3),
        ("propane", 836.4e3),
        ("n-butane", 207.6e3),
        ("benzene", 10.0e3),
    ];
    for (n, p) in psat {
        assert_relative_eq!(
            db().get(n).unwrap().vapour_pressure_pa(293.15).unwrap(),
            p,
            max_relative = PROPERTY_FIT
        );
    }
}

/// Lower heating values, MJ/kg: Perry's Chemical Engineers' Handbook 8th ed. Table 2-221 (CH4 50.0,
/// C3H8 46.35, H2 120.0); LFL from IEC 60079-20-1:2010 Table B.1 (CH4 0.044, C3H8 0.017, H2 0.040).
/// (Zabetakis 1965 gives 0.05 / 0.021 for CH4 / C3H8 — apparatus-dependent; the database follows IEC.)
#[test]
fn combustion_data_match_handbooks() {
    for (n, lhv, lfl) in [
        ("methane", 50.0e6, 0.044),
        ("propane", 46.35e6, 0.017),
        ("hydrogen", 120.0e6, 0.04),
    ] {
        let s = db().get(n).unwrap();
        assert_relative_eq!(
            s.heat_of_combustion_j_kg().unwrap(),
            lhv,
            max_relative = DATA_TABLE
        );
        assert_relative_eq!(s.lfl_vol_frac().unwrap(), lfl, max_relative = DATA_TABLE);
    }
}

#[test]
fn lookup_by_alias_and_chinese_name_is_case_insensitive() {
    assert_eq!(db().get("  CL2 ").unwrap().name, "chlorine");
    assert_eq!(db().get("液氨").unwrap().name, "ammonia");
    assert_eq!(db().get("LPG").unwrap().name, "lpg");
}

#[test]
fn unknown_name_lists_close_matches() {
    match db().get("amonia").unwrap_err() {
        QraError::UnknownName {
            suggestions, name, ..
        } => {
            assert_eq!(name, "amonia");
            assert_eq!(suggestions[0], "ammonia");
        }
        e => panic!("wrong error {e}"),
    }
}

#[test]
fn missing_property_is_a_typed_error() {
    let nc = db().get("nitrocellulose").unwrap();
    let e = nc.vapour_pressure_pa(300.0).unwrap_err().to_string();
    assert!(
        e.contains("nitrocellulose") && e.contains("vapour_pressure"),
        "{e}"
    );
    let cl2 = db().get("chlorine").unwrap();
    assert!(
        cl2.vapour_pressure_pa(1000.0).is_err(),
        "no extrapolation beyond the fit"
    );
    assert!(cl2.vapour_pressure_pa(f64::NAN).is_err());
    assert!(cl2.toxic_probit(Some("nope")).is_err());
    assert_eq!(cl2.toxic_probit(None).unwrap().set, "purple-book");
}

#[test]
fn user_substances_are_validated_with_field_paths() {
    let good = r#"
        name = "my solvent"
        state = "liquid"
        flammable = true
        toxic = false
        molar_mass_kg_mol = 0.1
        heat_of_combustion_j_kg = 4.0e7
        lfl_vol_frac = 0.01
        ufl_vol_frac = 0.07
    "#;
    let s = Substance::from_toml_str(good).unwrap();
    let db2 = db().with_user_substances(vec![s.clone()]).unwrap();
    assert_eq!(db2.get("MY SOLVENT").unwrap(), &s);
    // JSON round trip through the serde form.
    assert_eq!(Substance::from_json_str(&s.to_json()).unwrap(), s);

    let bad = good.replace("0.1", "-0.1").replace("0.07", "0.001");
    match Substance::from_toml_str(&bad).unwrap_err() {
        QraError::InvalidDocument { problems, .. } => {
            let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
            assert!(paths.contains(&"substance.molar_mass_kg_mol"), "{paths:?}");
            assert!(paths.contains(&"substance.lfl_vol_frac"), "{paths:?}");
        }
        e => panic!("{e}"),
    }
    // A clash with a built-in name is refused.
    let mut clash = s;
    clash.name = "Chlorine".into();
    assert!(db().with_user_substances(vec![clash]).is_err());
    // Syntax errors carry a line number.
    match Substance::from_toml_str("name = \"x\"\nstate = \n").unwrap_err() {
        QraError::InvalidDocument { problems, .. } => assert_eq!(problems[0].line, Some(2)),
        e => panic!("{e}"),
    }
    // Unknown keys are refused (typos must not pass silently).
    assert!(Substance::from_toml_str(&format!("{good}\nmolar_mas = 1.0")).is_err());
}

#[test]
fn display_shows_units_and_sources() {
    let t = db().get("chlorine").unwrap().to_string();
    for needle in [
        "kg/mol",
        "Pa",
        "CAS 7782-50-5",
        "sources:",
        "toxic probit [purple-book]",
        "Purple Book",
    ] {
        assert!(t.contains(needle), "missing '{needle}' in\n{t}");
    }
}
