//! Issue 21, hostile input: each failure found by the attack on main is a regression test here
//! (Rust side; the Python side is `qra-py/tests/test_hostile.py`).

use qra_core::error::FieldError;
use qra_core::park::{FacilityBlock, Park};
use qra_core::risk::engine::{self, max_threads, RunOptions};
use qra_core::risk::study::Study;
use qra_core::QraError;

const DEMO: &str = include_str!("../../models/studies/analytic_demo.toml");

fn problems(r: qra_core::Result<Study>) -> Vec<FieldError> {
    match r {
        Err(QraError::InvalidDocument { problems, .. }) => problems,
        other => panic!("expected InvalidDocument, got {other:?}"),
    }
}

/// `threads = 2^63` used to spawn OS threads without bound; the pool is capped to the cores.
#[test]
fn thread_count_is_capped_to_the_cores() {
    let o = RunOptions {
        threads: Some(1 << 62),
        ..RunOptions::default()
    };
    let n = o.install(|| Ok(rayon::current_num_threads())).unwrap();
    assert_eq!(n, max_threads());
    let zero = RunOptions {
        threads: Some(0),
        ..RunOptions::default()
    };
    assert!(matches!(
        zero.install(|| Ok(())),
        Err(QraError::InvalidInput { .. })
    ));
}

/// `siting_map(spacing_m = 1e-300)`: `nx * ny` wrapped to 0 in `usize` and passed the limit
/// (then a 32 GiB allocation, SIGABRT); now a `ResourceLimit` naming the candidates.
#[test]
fn siting_map_tiny_spacing_is_a_resource_limit() {
    let s = Study::from_toml_str(qra_core::park::SAMPLE_PARK_TOML, "sample_park.toml").unwrap();
    let park = Park::new(&s, &RunOptions::default(), "GB36894-2018", None).unwrap();
    let block = FacilityBlock::from_toml_str(
        r#"
[[facilities]]
id = "new"
[[installations]]
id = "NEW-1"
facility = "new"
x_m = 0.0
y_m = 0.0
substance = "propane"
inventory_kg = 1000.0
[[events]]
id = "NEW-1-E"
installation = "NEW-1"
frequency_per_year = 1e-6
[[events.outcomes]]
spec = { kind = "analytic", hazard = "thermal", footprint = { type = "circle", radius_m = 10.0, p = 1.0 } }
"#,
    )
    .unwrap();
    for spacing in [1e-300, 1e-10, 1.0] {
        match park.siting_map(&block, spacing) {
            Err(QraError::ResourceLimit { argument, .. }) => assert_eq!(argument, "candidates"),
            other => panic!("spacing {spacing}: expected ResourceLimit, got {other:?}"),
        }
    }
}

/// `((l - window) / 1e-300) as u128 + 1` wrapped to 0 windows: an empty, silent answer.
#[test]
fn societal_per_km_tiny_step_is_a_resource_limit() {
    let s = Study::from_toml_str(
        include_str!("../../models/studies/pipeline_demo.toml"),
        "pipeline_demo.toml",
    )
    .unwrap();
    let res = engine::run(&s, &RunOptions::default()).unwrap();
    let id = s.pipelines[0].id.clone();
    for step in [1e-300, 1e-3] {
        match qra_core::risk::linear::societal_per_km(&s, &res, &id, 1000.0, step) {
            Err(QraError::ResourceLimit { argument, .. }) => assert_eq!(argument, "windows"),
            other => panic!("step {step}: expected ResourceLimit, got {other:?}"),
        }
    }
}

/// Ids carry no control or hidden format characters (a terminal escape in an id painted a false
/// "PASS" over a failing verification); the error names the field.
#[test]
fn ids_must_be_printable() {
    for (bad, code) in [
        ("school\u{1b}[2K\rPASS", "U+001B"),
        ("school\u{202E}loohcs", "U+202E"),
        ("a\nb", "U+000A"),
    ] {
        // a JSON string literal is a valid TOML basic string (`\u001b` escapes)
        let lit = serde_json::to_string(bad).unwrap();
        let text = DEMO.replacen("id = \"school\"", &format!("id = {lit}"), 1);
        let p = problems(Study::from_toml_str(&text, "x.toml"));
        assert!(
            p.iter().any(|f| f.path.ends_with(".id")
                && f.path.starts_with("targets[")
                && f.message.contains(code)),
            "{bad:?}: {p:?}"
        );
    }
    // A title may span lines, but not move the cursor.
    let text = DEMO.replacen(
        "description = \"Two installations",
        "description = \"Two\\tinstallations\\n",
        1,
    );
    assert!(Study::from_toml_str(&text, "x.toml").is_ok());
    let long = "x".repeat(201);
    let text = DEMO.replacen("id = \"school\"", &format!("id = \"{long}\""), 1);
    let p = problems(Study::from_toml_str(&text, "x.toml"));
    assert!(p.iter().any(|f| f.message.contains("at most 200")), "{p:?}");
}

/// `hole_diameter_mm = 1e300` passed `check` and failed in `run` without naming the field.
#[test]
fn absurd_hole_diameter_is_refused_by_check() {
    let base = Study::from_toml_str(DEMO, "demo.toml").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&base.to_json()).unwrap();
    v["events"][0]["hole_diameter_mm"] = serde_json::json!(1e300);
    let p = problems(Study::from_json_str(&v.to_string(), "x.json"));
    assert!(
        p.iter()
            .any(|f| f.path == "events[0].hole_diameter_mm" && f.message.contains("<= 10000")),
        "{p:?}"
    );
}

/// `{…study…} garbage` used to be accepted: the reader stopped after the study and ignored the
/// rest (found by the issue-14 loading work). Text after the study is refused with its line;
/// trailing whitespace is fine.
#[test]
fn text_after_a_json_study_is_refused() {
    let json = Study::from_toml_str(DEMO, "demo.toml").unwrap().to_json();
    assert!(Study::from_json_str(&format!("{json}\n  \n"), "x.json").is_ok());
    for tail in ["garbage", "{}", "\n,", "\n{\"schema\": \"qra-study/1\"}"] {
        let p = problems(Study::from_json_str(&format!("{json}{tail}"), "x.json"));
        assert!(
            p.iter().any(|f| f.path == "x.json"
                && f.message.starts_with("text after the study")
                && f.line.is_some()),
            "{tail:?}: {p:?}"
        );
    }
}

/// `qra check /dev/zero` read without bound; a FIFO blocked forever. Both are refused before
/// reading.
#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused() {
    for p in ["/dev/zero", "/dev/null"] {
        let path = std::path::Path::new(p);
        if path.exists() {
            match Study::from_file(path) {
                Err(QraError::InvalidInput { rule, .. }) => {
                    assert!(rule.contains("not a regular file"), "{rule}")
                }
                other => panic!("{p}: {other:?}"),
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("qra-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("study.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.map(|s| s.success()).unwrap_or(false) {
        assert!(matches!(
            Study::from_file(&fifo),
            Err(QraError::InvalidInput { .. })
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Pasquill–Gifford σ turned negative or NaN at extreme distances and the plume concentration
/// negative at x = 2⁶⁴: receptors beyond 1000 km downwind are refused naming `x_m[i]`, and σ is
/// positive on the whole accepted range (the ISC3 σy angle c − d·ln x_km stays in (0°, 90°):
/// at 1000 km for class A, 24.167 − 2.5334·ln 1000 = 6.67° > 0).
#[test]
fn dispersion_domain_is_enforced_and_sigmas_stay_positive() {
    use qra_core::dispersion::gaussian::{GaussianPlume, MAX_DOWNWIND_M};
    use qra_core::dispersion::{sigmas, Atmosphere, SigmaScheme, Stability, Terrain};
    for st in [
        Stability::A,
        Stability::B,
        Stability::C,
        Stability::D,
        Stability::E,
        Stability::F,
    ] {
        for x in [5e-324, 1e-300, 1e-9, 1e-3, 1.0, 1e4, MAX_DOWNWIND_M] {
            for sc in [
                SigmaScheme::PasquillGifford,
                SigmaScheme::Briggs,
                SigmaScheme::Tno,
                SigmaScheme::CcpsPuff,
            ] {
                let (sy, sz) = sigmas(x, st, Terrain::Rural, sc);
                // σ → 0 as x → 0 (a subnormal x may round it to 0); never negative or NaN
                let floor = if x >= 1e-3 { f64::MIN_POSITIVE } else { 0.0 };
                assert!(
                    sy.is_finite() && sy >= floor && sz.is_finite() && sz >= floor,
                    "{st:?} {sc:?} x = {x}: ({sy}, {sz})"
                );
            }
        }
        let a = Atmosphere::new(3.0, st, Terrain::Rural, SigmaScheme::PasquillGifford).unwrap();
        let p = GaussianPlume::new(1.0, 0.0, a).unwrap();
        match p.concentrations(&[1.0, 2f64.powi(64)], &[0.0, 0.0], &[0.0, 0.0]) {
            Err(QraError::InvalidInput { argument, .. }) => assert_eq!(argument, "x_m[1]"),
            other => panic!("{other:?}"),
        }
        let c = p
            .concentrations(&[1.0, 1e3, MAX_DOWNWIND_M], &[0.0; 3], &[0.0; 3])
            .unwrap();
        assert!(c.iter().all(|v| v.is_finite() && *v >= 0.0), "{c:?}");
    }
}

/// A forged partial run with a NaN or negative IR (or (N, f) case) was accepted by `combine`;
/// the decoder now refuses it, naming the value.
#[test]
fn forged_partial_runs_are_refused_by_the_decoder() {
    let s = Study::from_toml_str(DEMO, "demo.toml").unwrap();
    let all: Vec<usize> = (0..s.installations.len()).collect();
    let good = engine::run_partial(&s, &RunOptions::default(), &all).unwrap();
    assert!(engine::PartialRun::from_bytes(&good.to_bytes()).is_ok());
    for (bad, field) in [(f64::NAN, "grids[0]"), (-1e-6, "grids[0]")] {
        let mut p = good.clone();
        p.grids[0][3] = bad;
        match engine::PartialRun::from_bytes(&p.to_bytes()) {
            Err(QraError::InvalidInput { argument, .. }) => {
                assert!(argument.contains(field), "{argument}")
            }
            other => panic!("{other:?}"),
        }
    }
    let mut p = good.clone();
    if let Some((_, cases)) = p.cases.iter_mut().find(|(_, c)| !c.is_empty()) {
        cases[0].1 = -1.0;
        assert!(engine::PartialRun::from_bytes(&p.to_bytes()).is_err());
    }
}

mod fuzz {
    //! Property-based fuzz targets (issue 21): the study parser and the partial-run decoder
    //! return a value or a typed error for any input — never a panic.
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any text, and the demo study with one line replaced by arbitrary text.
        #[test]
        fn study_parser_never_panics(junk in ".{0,200}", line in 0usize..200, bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = Study::from_toml_str(&junk, "x.toml");
            let _ = Study::from_json_str(&junk, "x.json");
            let mut lines: Vec<&str> = DEMO.lines().collect();
            let k = line % lines.len();
            lines[k] = &junk;
            let _ = Study::from_toml_str(&lines.join("\n"), "x.toml");
            let raw = String::from_utf8_lossy(&bytes);
            let _ = Study::from_toml_str(&raw, "x.toml");
        }

        /// Truncated and bit-flipped encodings of a real partial run decode to a run whose every
        /// value is in range, or to a typed error.
        #[test]
        fn partial_decoder_never_panics(cut in 0usize..4096, flips in proptest::collection::vec((0usize..4096, any::<u8>()), 0..6)) {
            let good = good_partial();
            let mut b = good.clone();
            b.truncate(cut.min(b.len()).max(if cut % 2 == 0 { b.len() } else { 0 }));
            for (k, v) in flips {
                if !b.is_empty() {
                    let n = b.len();
                    b[k % n] = v;
                }
            }
            if let Ok(p) = engine::PartialRun::from_bytes(&b) {
                prop_assert!(p.grids.iter().flatten().all(|v| v.is_finite() && *v >= 0.0));
            }
        }
    }

    fn good_partial() -> Vec<u8> {
        use std::sync::OnceLock;
        static GOOD: OnceLock<Vec<u8>> = OnceLock::new();
        GOOD.get_or_init(|| {
            let s = Study::from_toml_str(DEMO, "demo.toml").unwrap();
            let all: Vec<usize> = (0..s.installations.len()).collect();
            engine::run_partial(&s, &RunOptions::default(), &all)
                .unwrap()
                .to_bytes()
        })
        .clone()
    }
}

/// A rejection names the field, the value and the rule, not only a line or a section (issue 21):
/// TOML syntax errors are named at the key of their line (arrays of tables numbered as serde
/// numbers them, a multi-line value at its key); a missing, unknown or repeated field at the
/// field; the grid's node count at `grid.resolution_m` with the value.
#[test]
fn rejections_name_the_field_the_value_and_the_rule() {
    let one = |text: &str| -> FieldError {
        let p = problems(Study::from_toml_str(text, "x.toml"));
        assert_eq!(p.len(), 1, "{p:?}");
        p[0].clone()
    };
    let cases: [(&str, &str, &str, &str); 7] = [
        // (replaced, by, path, in the message)
        (
            "branch = \"immediate\"",
            "branch = immediate",
            "events[2].outcomes[0].branch",
            "`immediate`",
        ),
        (
            "  0.0, 0.2, 0.1, 0.0, 0.0,\n  0.1, 0.8",
            "  0.0, 0.2, 0.1, 0.0, 0.0,\n  0.1 0.8",
            "events[0].outcomes[0].spec",
            "0.1 0.8",
        ),
        (
            "x_m = 400.0",
            "x_m = 400.0\nx_m = 1.0",
            "installations[1].x_m",
            "duplicate key",
        ),
        (
            "latitude_deg = 31.95",
            "latitude_dog = 31.95",
            "origin.latitude_dog",
            "not a field",
        ),
        (
            "inventory_kg = 50000.0\n",
            "",
            "installations[1].inventory_kg",
            "missing",
        ),
        (
            "x_max_m = ",
            "x_max_m = 1e300 #",
            "grid.resolution_m",
            "x -1000.0 to 1e300 m",
        ),
        (
            "x_min_m = ",
            "x_min_m = 1e300 #",
            "grid.x_max_m",
            "x_min_m = 1",
        ),
    ];
    for (from, to, path, says) in cases {
        assert!(DEMO.contains(from), "{from}");
        let p = one(&DEMO.replacen(from, to, 1));
        assert_eq!(p.path, path, "{from} -> {to}: {p}");
        assert!(p.message.contains(says), "{from} -> {to}: {p}");
    }
}

/// Parametric footprints with extreme values (issue 14): refused with the field's name, or run
/// to a finite grid — never a panic, a NaN or a hang.
#[test]
fn extreme_parametric_footprints_never_panic() {
    let shapes = [
        r#"{ type = "gaussian-plume", rate_kg_s = 1e300, wind_speed_m_s = 1e-300, stability = "F", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, exposure_s = 600.0 }"#,
        r#"{ type = "gaussian-plume", rate_kg_s = 1e-300, wind_speed_m_s = 1e300, stability = "A", probit_a = -6.35, probit_b = 0.5, probit_n = 2.75, exposure_s = 1e-300 }"#,
        r#"{ type = "gaussian-plume", rate_kg_s = 5.0, wind_speed_m_s = 1.0, stability = "F", probit_a = 1e300, probit_b = 1e-300, probit_n = 2.75, exposure_s = 600.0 }"#,
        r#"{ type = "point-source-fire", radiated_power_w = 1e300, transmissivity = 1.0, exposure_s = 1e300, probit = "lees" }"#,
        r#"{ type = "point-source-fire", radiated_power_w = 1e-300, transmissivity = 1e-300, exposure_s = 1e-300, probit = "tno", lethal_radius_m = 1e300 }"#,
        r#"{ type = "point-source-fire", radiated_power_w = 1e8, transmissivity = 0.8, exposure_s = 20.0, probit = "eisenberg", source_x_m = -1e300, lethal_envelope = { x_min_m = -1e300, x_max_m = 1e300, half_width_m = 1e300 } }"#,
        r#"{ type = "tnt-blast", tnt_mass_kg = 1e300, probit = "tno-head-impact" }"#,
        r#"{ type = "tnt-blast", tnt_mass_kg = 1e-300, probit = "hse" }"#,
        r#"{ type = "ellipse", centre_x_m = 1e300, semi_axis_x_m = 1e300, semi_axis_y_m = 1e-300, p = 1.0 }"#,
        r#"{ type = "ellipse", centre_x_m = nan, semi_axis_x_m = 10.0, semi_axis_y_m = 10.0, p = 1.0 }"#,
        r#"{ type = "tnt-blast", tnt_mass_kg = inf, probit = "hse" }"#,
    ];
    for shape in shapes {
        let text = format!(
            "schema = \"qra-study/1\"\n\
             [[installations]]\nid = \"A\"\nx_m = 0.0\ny_m = 0.0\nsubstance = \"chlorine\"\ninventory_kg = 1000.0\n\
             [[events]]\nid = \"E\"\ninstallation = \"A\"\nfrequency_per_year = 1e-5\n\
             [[events.outcomes]]\nspec = {{ kind = \"analytic\", footprint = {shape} }}\n\
             [meteorology]\nsector_spreading = \"centre\"\n\
             weather = [{{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [0.5, 0.25, 0.25] }}]\n\
             [grid]\nx_min_m = -200.0\nx_max_m = 200.0\ny_min_m = -200.0\ny_max_m = 200.0\nresolution_m = 10.0\n"
        );
        match Study::from_toml_str(&text, "hostile") {
            Err(e) => assert!(!e.to_string().is_empty(), "{shape}"),
            Ok(s) => {
                let r = engine::run(&s, &RunOptions::default()).unwrap();
                assert!(
                    r.individual_risk.iter().all(|v| v.is_finite() && *v >= 0.0),
                    "{shape}"
                );
                assert!(r.pll.is_finite(), "{shape}");
                for row in r.scenarios() {
                    assert!(!row.distance_1pct_m.is_nan() && !row.distance_50pct_m.is_nan());
                }
            }
        }
    }
}
