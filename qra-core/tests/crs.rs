//! Positions in another CRS give the result of the study in local metres.
//!
//! `tests/data/sample_park_epsg4326.json` and `…_epsg4549.json` are `models/studies/sample_park.toml`
//! with every position converted by **pyproj** (PROJ 9, an implementation independent of the
//! core's proj4rs) from the local frame (transverse Mercator on WGS84 centred on the origin) to
//! WGS84 longitude/latitude and to the CGCS2000 3-degree Gauss–Krüger CM 120°E zone
//! (`tools/crs_fixtures.py`). Read back, the core converts them to the local frame again and
//! rounds them to the millimetre (`CONVERTED_POSITION_RESOLUTION_M`); the two implementations
//! agree far better than that, so the sample park's whole-metre positions come back exactly and
//! the results are bit-identical.

use std::path::Path;

use qra_core::risk::engine::{run, RunOptions};
use qra_core::risk::study::{Crs, Study};

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

#[test]
fn sample_park_in_wgs84_and_in_a_gauss_krueger_zone_gives_the_local_result() {
    let local = Study::from_toml_str(&data("../models/studies/sample_park.toml"), "local").unwrap();
    let opts = RunOptions::default();
    let r0 = run(&local, &opts).unwrap();
    for name in [
        "tests/data/sample_park_epsg4326.json",
        "tests/data/sample_park_epsg4549.json",
    ] {
        let s = Study::from_json_str(&data(name), name).unwrap();
        assert_eq!(s.crs, Crs::Local, "converted when read");
        // Every position comes back exactly: the converted study is the local one.
        assert_eq!(
            s, local,
            "{name}: converted study differs from the local one"
        );
        let r = run(&s, &opts).unwrap();
        assert_eq!(r.pll.to_bits(), r0.pll.to_bits(), "{name}: PLL");
        for (t, t0) in r.targets.iter().zip(&r0.targets) {
            assert_eq!(
                t.individual_risk.to_bits(),
                t0.individual_risk.to_bits(),
                "{name}: target {}",
                t.id
            );
        }
        assert!(
            r.individual_risk
                .iter()
                .zip(r0.individual_risk.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "{name}: IR grid"
        );
    }
}

#[test]
fn a_non_local_crs_needs_an_origin_and_names_bad_positions() {
    let mut v: serde_json::Value =
        serde_json::from_str(&data("tests/data/sample_park_epsg4326.json")).unwrap();
    let mut swapped = v.clone();
    v.as_object_mut().unwrap().remove("origin");
    let e = Study::from_json_str(&v.to_string(), "no-origin")
        .unwrap_err()
        .to_string();
    assert!(e.contains("origin") && e.contains("EPSG:4326"), "{e}");
    // Latitude and longitude swapped in one installation.
    let inst = &mut swapped["installations"][0];
    let (x, y) = (inst["x_m"].clone(), inst["y_m"].clone());
    inst["x_m"] = y;
    inst["y_m"] = x;
    let e = Study::from_json_str(&swapped.to_string(), "swapped")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("installations[0].x_m") && e.contains("[longitude, latitude]"),
        "{e}"
    );
    swapped["crs"] = serde_json::json!("EPSG:3857");
    let e = Study::from_json_str(&swapped.to_string(), "bad")
        .unwrap_err()
        .to_string();
    assert!(e.contains("crs") && e.contains("EPSG:4513"), "{e}");
}
