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
    let text = DEMO.replacen("description = \"Two installations", "description = \"Two\\tinstallations\\n", 1);
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
