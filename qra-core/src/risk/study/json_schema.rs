//! The JSON Schema of the study file `qra-study/1`, generated from the serde types of this module
//! tree by [`schemars`] (JSON Schema draft-07, the deserialize contract: what a study file may
//! contain). Draft-07 rather than 2020-12 because it is the draft editors support best: VS Code's
//! JSON language service and taplo (whose docs name draft 4 [unverified for 2020-12]).
//!
//! The committed copy is `models/schema/qra-study-1.schema.json`; `qra-core/tests/study_schema.rs`
//! fails when it differs from [`study_json_schema`] (re-write it with
//! `cargo run -p qra-core --example study_schema > models/schema/qra-study-1.schema.json`, or
//! `QRA_BLESS_SCHEMA=1 cargo test -p qra-core --test study_schema`).
//!
//! What the schema states per field: `description` (the rustdoc of the field), `default` (serde
//! default), `x-unit` (from the unit the field name carries, [`unit_of_field`]), allowed ranges
//! (`minimum`/`maximum`/`exclusiveMinimum`) where the rule is a plain range, and `examples` where
//! given. Rules that span fields (sums of probabilities, ids that must exist, one of mass or
//! volume) are checked by [`super::Study::validate`] only; the schema is the editor's and the
//! validator's first line, the validation of qra the last word.

use serde_json::{Map, Value};

use super::schema::{Study, STUDY_SCHEMA};

/// `$id` of the schema: a URN (qra has no published schema URL yet; an editor maps the file by
/// path, see `docs/study-file-reference.md`).
pub const STUDY_SCHEMA_ID: &str = "urn:qra:schema:qra-study-1";

/// Path of the committed schema, relative to the repository root.
pub const STUDY_SCHEMA_FILE: &str = "models/schema/qra-study-1.schema.json";

/// The unit of a study-file field, as a display string: by qra's naming rule (names carry units:
/// `rate_kg_s`, `wind_speed_m_s`; longest suffix first, so `_kg_s` wins over `_s`), or from the
/// few fixed names without a suffix (probabilities and fractions "1", polygons "m", head counts).
/// `None` when the name says nothing (ids, texts, tables, coefficients whose unit the description
/// gives).
pub fn unit_of_field(name: &str) -> Option<&'static str> {
    const SUFFIXES: [(&str, &str); 25] = [
        ("_kg_m2_s", "kg/(m²·s)"),
        ("_per_km_year", "1/(km·year)"),
        ("_per_year", "1/year"),
        ("_per_km2", "1/km²"),
        ("_per_km", "1/km"),
        ("_j_kg_k", "J/(kg·K)"),
        ("_kg_mol", "kg/mol"),
        ("_kg_m3", "kg/m³"),
        ("_mg_m3", "mg/m³"),
        ("_vol_frac", "1 (volume fraction)"),
        ("_j_kg", "J/kg"),
        ("_kg_s", "kg/s"),
        ("_m_s", "m/s"),
        ("_ppm", "ppm"),
        ("_min", "min"),
        ("_deg", "°"),
        ("_m3", "m³"),
        ("_mm", "mm"),
        ("_kg", "kg"),
        ("_pa", "Pa"),
        ("_m", "m"),
        ("_w", "W"),
        ("_k", "K"),
        ("_s", "s"),
        ("_t", "t"),
    ];
    /// Names without a unit suffix whose unit is fixed: dimensionless ratios and probabilities
    /// ("1"), plan geometry (metres, local frame), head counts.
    const BY_NAME: [(&str, &str); 40] = [
        ("acentric_factor", "1"),
        ("beta", "1"),
        ("calm_fraction", "1"),
        ("day_fraction", "1"),
        ("delayed_ignition", "1"),
        ("explosion_fraction", "1"),
        ("fill_fraction", "1"),
        ("flame_mach", "1 (Mach number)"),
        ("flash_fire_indoor_lethality", "1"),
        ("fraction", "1"),
        ("heat_capacity_ratio", "1"),
        ("immediate_ignition", "1"),
        ("indoor_fraction_day", "1"),
        ("indoor_fraction_night", "1"),
        ("lethality", "1"),
        ("max_extent_probability", "1"),
        ("max_rel_error", "1"),
        ("number", "1"),
        ("p", "1"),
        ("presence", "1"),
        ("probability", "1"),
        ("probability_day", "1"),
        ("probability_night", "1"),
        ("probit_a", "1"),
        ("probit_b", "1"),
        ("probit_n", "1"),
        ("release_probability", "1"),
        ("tnt_equivalence", "kg TNT/kg"),
        ("transmissivity", "1"),
        ("wind_rose", "1"),
        ("boundary", "m"),
        ("park_boundary", "m"),
        ("point", "m"),
        ("points", "m"),
        ("polygon", "m"),
        ("vertices", "m"),
        ("count_day", "persons"),
        ("count_night", "persons"),
        ("counts", "persons per cell"),
        ("counts_night", "persons per cell"),
    ];
    BY_NAME
        .iter()
        .find(|(n, _)| *n == name)
        .or_else(|| SUFFIXES.iter().find(|(s, _)| name.ends_with(s)))
        .map(|(_, u)| *u)
}

/// The JSON Schema of `qra-study/1` (see the module docs), with `$schema`, `$id`, `title` and
/// `x-unit` on every property whose name carries a unit.
pub fn study_json_schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft07()
        .for_deserialize()
        .into_generator();
    let schema = generator.into_root_schema_for::<Study>();
    let mut v = schema.to_value();
    if let Value::Object(root) = &mut v {
        root.insert("$id".into(), Value::from(STUDY_SCHEMA_ID));
        root.insert(
            "title".into(),
            Value::from(format!("qra study file ({STUDY_SCHEMA})")),
        );
    }
    add_units(&mut v);
    add_substance_ranges(&mut v);
    unescape_descriptions(&mut v);
    v
}

/// Undoes rustdoc's Markdown escapes of square brackets in every `description` (the source-
/// confidence tags are written `\[M\]` in the doc comments so that rustdoc does not read them as
/// links; an editor shows a description as plain text: `[M]`).
fn unescape_descriptions(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, c) in m.iter_mut() {
                match c {
                    Value::String(s) if k == "description" && s.contains('\\') => {
                        *s = s.replace("\\[", "[").replace("\\]", "]");
                    }
                    _ => unescape_descriptions(c),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(unescape_descriptions),
        _ => {}
    }
}

/// The physical-sense bounds that [`crate::substance::Substance::validate`] applies to a user
/// substance, `(field, minimum, maximum)` inclusive (copied from it; the test
/// `substance_ranges_match_validation` in `qra-core/tests/study_schema.rs` checks both agree).
pub const SUBSTANCE_RANGES: [(&str, f64, f64); 17] = [
    ("molar_mass_kg_mol", 1e-3, 10.0),
    ("normal_boiling_point_k", 1.0, 5000.0),
    ("melting_point_k", 1.0, 5000.0),
    ("critical_temperature_k", 1.0, 10000.0),
    ("critical_pressure_pa", 1e4, 1e9),
    ("acentric_factor", -1.0, 2.0),
    ("liquid_density_kg_m3", 10.0, 25000.0),
    ("liquid_density_temperature_k", 1.0, 5000.0),
    ("heat_of_vaporisation_j_kg", 1e3, 1e8),
    ("cp_liquid_j_kg_k", 10.0, 1e5),
    ("cp_gas_j_kg_k", 10.0, 1e5),
    ("heat_capacity_ratio", 1.0 + 1e-9, 1.7),
    ("heat_of_combustion_j_kg", 1e5, 2e8),
    ("lfl_vol_frac", 1e-4, 1.0),
    ("ufl_vol_frac", 1e-4, 1.0),
    ("burning_rate_kg_m2_s", 1e-4, 1.0),
    ("tnt_equivalence", 1e-3, 10.0),
];

/// Adds [`SUBSTANCE_RANGES`] as `minimum`/`maximum` to the user-substance fields.
fn add_substance_ranges(v: &mut Value) {
    let Some(Value::Object(props)) = v.pointer_mut("/definitions/Substance/properties") else {
        return;
    };
    for (field, lo, hi) in SUBSTANCE_RANGES {
        if let Some(Value::Object(p)) = props.get_mut(field) {
            p.insert("minimum".into(), Value::from(lo));
            p.insert("maximum".into(), Value::from(hi));
        }
    }
}

/// The schema as committed: pretty JSON with a final newline.
pub fn study_json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&study_json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// Adds `x-unit` to every property of every object schema whose name carries a unit.
fn add_units(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get_mut("properties") {
                for (name, p) in props.iter_mut() {
                    if let (Some(u), Value::Object(pm)) = (unit_of_field(name), &mut *p) {
                        pm.entry("x-unit").or_insert_with(|| Value::from(u));
                    }
                }
            }
            for (_, c) in m.iter_mut() {
                add_units(c);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(add_units),
        _ => {}
    }
}

/// Every property of the schema as `(definition, property, schema)`: `definition` is the `definitions`
/// name (or `""` for the root) followed by the variant tag for tagged enums (`"OutcomeSpec/toxic"`).
pub fn schema_properties(schema: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut visit = |owner: &str, v: &Value| collect(owner, v, &mut out);
    visit("", schema);
    if let Some(Value::Object(defs)) = schema.get("definitions") {
        for (k, d) in defs {
            visit(k, d);
        }
    }
    out
}

fn collect(owner: &str, v: &Value, out: &mut Vec<(String, String, Value)>) {
    let Value::Object(m) = v else { return };
    if let Some(Value::Object(props)) = m.get("properties") {
        for (name, p) in props {
            out.push((owner.to_string(), name.clone(), p.clone()));
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(alts)) = m.get(key) {
            for a in alts {
                let tag = variant_tag(a);
                let o = match tag {
                    Some(t) => format!("{owner}/{t}"),
                    None => owner.to_string(),
                };
                collect(&o, a, out);
            }
        }
    }
}

/// The `const` of the tag property (`kind` or `type`) of a tagged-enum variant schema.
fn variant_tag(v: &Value) -> Option<String> {
    let props: &Map<String, Value> = v.get("properties")?.as_object()?;
    ["kind", "type"].iter().find_map(|t| {
        props
            .get(*t)
            .and_then(|p| p.get("const"))
            .and_then(Value::as_str)
            .map(String::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_names() {
        // The naming rule of STYLE.md ("names carry units"), longest suffix first.
        for (name, unit) in [
            ("release_rate_kg_s", Some("kg/s")),
            ("wind_speed_m_s", Some("m/s")),
            ("duration_s", Some("s")),
            ("x_m", Some("m")),
            ("temperature_k", Some("K")),
            ("volume_m3", Some("m³")),
            ("frequency_per_year", Some("1/year")),
            ("frequency_per_km_year", Some("1/(km·year)")),
            ("wind_rose_offset_deg", Some("°")),
            ("fill_fraction", Some("1")),
            ("vertices", Some("m")),
            ("counts_night", Some("persons per cell")),
            ("id", None),
            ("substance", None),
        ] {
            assert_eq!(unit_of_field(name), unit, "{name}");
        }
    }
}
