//! GB 18218-2018 identification and grading per unit (issue 15) on the public API:
//! `qra_core::park::major_hazard::identify_units`.
//!
//! References are hand calculations from the standard's equations and tables (S = Σ q/Q,
//! R = α Σ β q/Q; Table 1 Q, Table 4 β, Table 5 α — standards.md §6, `models/gb18218.toml`) and
//! one published worked case (an exam question). Tolerance: `EXACT` relative for S and R (a few
//! floating-point operations); population counts by the area-fraction lattice are exact for the
//! axis-aligned cases below (the lattice points split the polygons evenly).

use approx::assert_relative_eq;
use qra_core::park::major_hazard::{identify_units, Grade, UnitIdentification};
use qra_core::risk::study::{Study, UnitKind};
use qra_core::tolerance::EXACT;

/// A study from TOML parts (schema, meteorology and grid added).
fn study(body: &str) -> Result<Study, qra_core::QraError> {
    let t = format!(
        "schema = \"qra-study/1\"\n{body}\n\
         [meteorology]\nweather = [{{ stability = \"D\", wind_speed_m_s = 5.0, probability = 1.0, wind_rose = [1.0] }}]\n\
         [grid]\nx_min_m = -100.0\nx_max_m = 100.0\ny_min_m = -100.0\ny_max_m = 100.0\nresolution_m = 10.0\n"
    );
    Study::from_toml_str(&t, "test")
}

fn installation(id: &str, x: f64, substance: &str, kg: f64, extra: &str) -> String {
    format!(
        "[[installations]]\nid = \"{id}\"\nx_m = {x:?}\ny_m = 0.0\nsubstance = \"{substance}\"\ninventory_kg = {kg:?}\n{extra}\n\
         [[events]]\nid = \"E-{id}\"\ninstallation = \"{id}\"\nfrequency_per_year = 1e-6\n\
         [[events.outcomes]]\nspec = {{ kind = \"analytic\", footprint = {{ type = \"circle\", radius_m = 10.0, p = 1.0 }} }}\n"
    )
}

fn people(id: &str, x0: f64, y0: f64, x1: f64, y1: f64, day: f64, night: f64) -> String {
    format!(
        "[[population.polygons]]\nid = \"{id}\"\nvertices = [[{x0:?}, {y0:?}], [{x1:?}, {y0:?}], [{x1:?}, {y1:?}], [{x0:?}, {y1:?}]]\ncount_day = {day:?}\ncount_night = {night:?}\n"
    )
}

fn unit<'a>(all: &'a [UnitIdentification], id: &str) -> &'a UnitIdentification {
    all.iter().find(|u| u.unit == id).expect("unit")
}

/// Two 200 t LPG spheres of one tank farm (LPG: Q = 50 t, GB 18218-2018 Table 1; β = 1.5 for
/// flammable gases W2, Table 4), 10 people 300 m away (α = 1.0, Table 5 band 1–29):
/// - graded **together** as the storage unit: S = 400/50 = 8, R = 1.0·1.5·8 = 12 → 三级;
/// - each sphere on its own (no unit): S = 4, R = 6 → 四级 — what per-installation grading gave.
#[test]
fn two_lpg_spheres_of_one_tank_farm_are_graded_together() {
    let farm = format!(
        "[[units]]\nid = \"LPG farm\"\nkind = \"storage\"\n{}{}{}",
        installation("S1", -20.0, "lpg", 200_000.0, "unit = \"LPG farm\""),
        installation("S2", 20.0, "lpg", 200_000.0, "unit = \"LPG farm\""),
        people("houses", 290.0, -10.0, 310.0, 10.0, 10.0, 10.0)
    );
    let u = identify_units(&study(&farm).unwrap()).unwrap();
    assert_eq!(u.len(), 1);
    let farm = &u[0];
    assert_eq!(farm.kind, Some(UnitKind::Storage));
    assert_eq!(farm.installations, ["S1", "S2"]);
    assert_eq!(farm.exposed_persons, 10);
    let id = farm.identification.as_ref().unwrap();
    assert_eq!(id.terms.len(), 1, "one substance line: q = 400 t");
    assert_relative_eq!(id.terms[0].quantity_t, 400.0, max_relative = EXACT);
    assert_relative_eq!(id.s, 8.0, max_relative = EXACT);
    assert_eq!(id.alpha, 1.0);
    assert_relative_eq!(id.r, 12.0, max_relative = EXACT);
    assert_eq!(id.grade, Some(Grade::Three));

    let apart = format!(
        "{}{}{}",
        installation("S1", -20.0, "lpg", 200_000.0, ""),
        installation("S2", 20.0, "lpg", 200_000.0, ""),
        people("houses", 290.0, -10.0, 310.0, 10.0, 10.0, 10.0)
    );
    let u = identify_units(&study(&apart).unwrap()).unwrap();
    assert_eq!(u.len(), 2);
    for s in &u {
        assert_eq!(s.kind, None);
        let id = s.identification.as_ref().unwrap();
        assert_relative_eq!(id.s, 4.0, max_relative = EXACT);
        assert_relative_eq!(id.r, 6.0, max_relative = EXACT);
        assert_eq!(id.grade, Some(Grade::Four));
    }
}

/// α at the Table 5 band edges: 0 → 0.5, 1 and 29 → 1.0, 30 and 49 → 1.2, 50 and 99 → 1.5,
/// 100 → 2.0, with the people in a polygon wholly within 500 m of a 30 t chlorine tank
/// (Q = 5 t, β = 4: S = 6, R = 24·α). Day and night: the larger counts (day n, night n/2 here;
/// and the reverse gives the same).
#[test]
fn alpha_band_edges_from_the_population() {
    for (n, alpha) in [
        (0.0, 0.5),
        (1.0, 1.0),
        (29.0, 1.0),
        (30.0, 1.2),
        (49.0, 1.2),
        (50.0, 1.5),
        (99.0, 1.5),
        (100.0, 2.0),
    ] {
        for (day, night) in [(n, n / 2.0), (n / 2.0, n)] {
            let s = study(&format!(
                "{}{}",
                installation("CL2", 0.0, "chlorine", 30_000.0, ""),
                people("village", 200.0, -50.0, 300.0, 50.0, day, night)
            ))
            .unwrap();
            let u = identify_units(&s).unwrap();
            assert_eq!(u[0].exposed_persons, n as u64, "{n}");
            let id = u[0].identification.as_ref().unwrap();
            assert_eq!(id.alpha, alpha, "{n} persons");
            assert_relative_eq!(id.r, 24.0 * alpha, max_relative = EXACT);
        }
    }
}

/// Which people count (identify_units docs): within 500 m of the unit's boundary, outside its
/// enterprise's boundary, by area fraction, fractions of a person rounded up.
/// Unit boundary [−50, 50]², so the region's east edge is x = 550 for |y| ≤ 50:
/// - "straddling" x ∈ [450, 650], |y| ≤ 40, 40 persons: half its area is within → 20;
/// - "site staff" inside the facility boundary [−100, 100]²: 500 persons, not counted;
/// - "far" x ∈ [700, 800]: beyond 500 m, not counted;
/// - "half person" 19.5 persons at (−300, 0), wholly within.
///
/// Total 39.5 → 40 persons → α = 1.2. Without the facility boundary the site staff count too: 539.5 → 540 → α = 2.0.
#[test]
fn exposed_people_are_off_site_within_500_m_by_area_fraction() {
    let body = |boundary: bool| {
        let mut b = String::from("[[units]]\nid = \"U\"\nkind = \"production\"\nboundary = [[-50.0, -50.0], [50.0, -50.0], [50.0, 50.0], [-50.0, 50.0]]\n");
        b += "[[facilities]]\nid = \"plant\"\n";
        if boundary {
            b +=
                "boundary = [[-100.0, -100.0], [100.0, -100.0], [100.0, 100.0], [-100.0, 100.0]]\n";
        }
        b += &installation(
            "R1",
            0.0,
            "chlorine",
            30_000.0,
            "unit = \"U\"\nfacility = \"plant\"",
        );
        b += &people("straddling", 450.0, -40.0, 650.0, 40.0, 40.0, 40.0);
        b += &people("site staff", -90.0, -90.0, 90.0, 90.0, 500.0, 100.0);
        b += &people("far", 700.0, -10.0, 800.0, 10.0, 1000.0, 1000.0);
        b += &people("half person", -310.0, -10.0, -290.0, 10.0, 19.5, 0.0);
        b
    };
    let u = identify_units(&study(&body(true)).unwrap()).unwrap();
    let x = unit(&u, "U");
    assert_eq!(x.kind, Some(UnitKind::Production));
    assert_eq!(x.facility.as_deref(), Some("plant"));
    assert_relative_eq!(x.exposed_persons_day, 39.5, max_relative = 1e-12);
    assert_eq!(x.exposed_persons, 40);
    assert_eq!(x.identification.as_ref().unwrap().alpha, 1.2);
    let u = identify_units(&study(&body(false)).unwrap()).unwrap();
    assert_relative_eq!(
        unit(&u, "U").exposed_persons_day,
        539.5,
        max_relative = 1e-12
    );
    assert_eq!(unit(&u, "U").exposed_persons, 540);
    assert_eq!(unit(&u, "U").identification.as_ref().unwrap().alpha, 2.0);
}

/// A population raster (100 m cells, 10 persons each) around a single installation (no unit
/// boundary: its envelope is the point): cells wholly within 500 m count fully. The raster
/// x ∈ [100, 300] × y ∈ [−100, 100] (4 cells) lies within 500 m of (0, 0) (farthest corner
/// √(300² + 100²) = 316 m): 40 persons → α = 1.2.
#[test]
fn raster_cells_within_500_m() {
    let s = study(&format!(
        "{}[[population.rasters]]\nx0_m = 100.0\ny0_m = -100.0\ncell_size_m = 100.0\nnx = 2\nny = 2\ncounts = [10.0, 10.0, 10.0, 10.0]\n",
        installation("CL2", 0.0, "chlorine", 30_000.0, "")
    ))
    .unwrap();
    let u = identify_units(&s).unwrap();
    assert_relative_eq!(u[0].exposed_persons_day, 40.0, max_relative = 1e-12);
    assert_eq!(u[0].identification.as_ref().unwrap().alpha, 1.2);
}

/// Published worked case (national registered safety engineer exam question, reproduced at
/// https://www.8fe.cn/test-question-282515.html and
/// http://www.cquc.net:8089/YFB12/examTab_getExam.action?ex_Id=29970&su_Id=7): a production area
/// holding 200 t of sulphur dioxide (Q = 20 t, β = 2), 60 people possibly exposed (α = 1.5):
/// R = 1.5 × (2 × 200/20) = 30 → 三级. Here as a production unit with 60 people within 500 m.
#[test]
fn published_sulphur_dioxide_case_as_a_unit() {
    let s = study(&format!(
        "[[units]]\nid = \"SO2 area\"\nkind = \"production\"\n{}{}{}",
        installation(
            "V1",
            0.0,
            "sulfur dioxide",
            100_000.0,
            "unit = \"SO2 area\""
        ),
        installation(
            "V2",
            30.0,
            "sulfur dioxide",
            100_000.0,
            "unit = \"SO2 area\""
        ),
        people("workshop", 200.0, -50.0, 300.0, 50.0, 60.0, 20.0)
    ))
    .unwrap();
    let u = identify_units(&s).unwrap();
    let id = u[0].identification.as_ref().unwrap();
    assert_relative_eq!(id.s, 10.0, max_relative = EXACT);
    assert_eq!(id.alpha, 1.5);
    assert_relative_eq!(id.r, 30.0, max_relative = EXACT);
    assert_eq!(id.grade, Some(Grade::Three));
}

#[test]
fn unit_definitions_are_validated() {
    let two_facilities = format!(
        "[[facilities]]\nid = \"a\"\n[[facilities]]\nid = \"b\"\n[[units]]\nid = \"U\"\nkind = \"storage\"\n{}{}",
        installation("X", 0.0, "lpg", 1000.0, "unit = \"U\"\nfacility = \"a\""),
        installation("Y", 5.0, "lpg", 1000.0, "unit = \"U\"\nfacility = \"b\"")
    );
    let e = study(&two_facilities).unwrap_err().to_string();
    assert!(
        e.contains("installations[1].facility: 'b': installation 'Y' of unit 'U' is in another facility than 'X' ('a')"),
        "{e}"
    );
    let unknown = installation("X", 0.0, "lpg", 1000.0, "unit = \"nowhere\"");
    let e = study(&unknown).unwrap_err().to_string();
    assert!(e.contains("installations[0].unit"), "{e}");
    let empty = format!(
        "[[units]]\nid = \"U\"\nkind = \"storage\"\n{}",
        installation("X", 0.0, "lpg", 1000.0, "")
    );
    // A unit no installation names is allowed (a study cut down) and not listed.
    let u = identify_units(&study(&empty).unwrap()).unwrap();
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].unit, "X");
    let clash = format!(
        "[[units]]\nid = \"X\"\nkind = \"storage\"\n{}{}",
        installation("X", 0.0, "lpg", 1000.0, ""),
        installation("Y", 5.0, "lpg", 1000.0, "unit = \"X\"")
    );
    let e = study(&clash).unwrap_err().to_string();
    assert!(e.contains("units[0].id"), "{e}");
    let bad_kind = "[[units]]\nid = \"U\"\nkind = \"tank\"\n".to_string()
        + &installation("X", 0.0, "lpg", 1000.0, "unit = \"U\"");
    assert!(study(&bad_kind).is_err());
}
