//! The internally tagged enums that carry a study's large tables ([`super::OutcomeSpec`]'s
//! `analytic` variant and the [`Shape`] tables in it), read without buffering when the tag is the first key.
//!
//! serde's derived `Deserialize` of an internally tagged enum (`#[serde(tag = "kind")]`) cannot
//! know the variant before it has seen the tag, so it first copies the whole object into an
//! in-memory tree (serde's private `Content`) and then reads the variant from that copy. At
//! park-1000 (analytic footprints, 4.7·10⁶ lethality values, each copied twice: outcome spec, then
//! shape) that was a quarter of the parse time (issue 14). Study files written by qra and by the
//! converters put the tag first (`{"kind": "analytic", …}`, `{"type": "directional", …}`); then the
//! variant's fields are read straight from the file.
//!
//! Everything else goes to the derived deserializer unchanged, with the entries already read
//! handed back first: any other variant, a tag that is not the first key, a value that is not a
//! map. What is accepted and the values read are those of the derived deserializers (tested
//! against them). Errors inside a table read on the fast path carry the full field path
//! (`…spec.footprint.lethality[3]`) and the position of the value, where the buffered read
//! could only name the outcome's `spec` and the end of its object.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::risk::footprint::{BandTable, DirectionalTable, RadialTable, Shape};

/// An internally tagged enum whose tag-first form has a fast reader for some variants.
pub(super) trait TagFirst<'de>: Deserialize<'de> + Sized {
    /// Name of the enum in serde's messages (`internally tagged enum NAME`).
    const NAME: &'static str;
    /// The tag key.
    const TAG: &'static str;
    /// The variant names, in declaration order (serde's messages list them; variant indices).
    const VARIANTS: &'static [&'static str];
    /// Reads variant `index` from the entries after the tag, if it has a fast reader; `None`
    /// hands the map back to the derived deserializer.
    fn fast<A: MapAccess<'de>>(
        index: usize,
        rest: &mut AfterTag<'_, A>,
    ) -> Option<Result<Self, A::Error>>;
}

/// A [`Shape`] read tag-first.
pub(super) struct FastShape(pub(super) Shape);

impl<'de> Deserialize<'de> for FastShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tag_first(d).map(FastShape)
    }
}

impl<'de> TagFirst<'de> for Shape {
    const NAME: &'static str = "Shape";
    const TAG: &'static str = "type";
    const VARIANTS: &'static [&'static str] = &[
        "circle",
        "radial",
        "directional",
        "band",
        "ellipse",
        "point-source-fire",
        "gaussian-plume",
        "tnt-blast",
    ];
    fn fast<A: MapAccess<'de>>(
        index: usize,
        rest: &mut AfterTag<'_, A>,
    ) -> Option<Result<Self, A::Error>> {
        let d = MapAccessDeserializer::new(rest);
        match index {
            1 => Some(RadialTable::deserialize(d).map(Shape::Radial)),
            2 => Some(DirectionalTable::deserialize(d).map(Shape::Directional)),
            3 => Some(BandTable::deserialize(d).map(Shape::Band)),
            _ => None,
        }
    }
}

/// Reads `T` tag-first (see the module docs): a `deserialize_with` function.
pub(super) fn tag_first<'de, T: TagFirst<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(TagFirstVisitor::<T>(PhantomData))
}

struct TagFirstVisitor<T>(PhantomData<T>);

impl<'de, T: TagFirst<'de>> Visitor<'de> for TagFirstVisitor<T> {
    type Value = T;

    // the derived deserializer's words, for the same message on a value of the wrong type
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internally tagged enum {}", T::NAME)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<T, S::Error> {
        T::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let Some(key) = map.next_key_seed(KeySeed)? else {
            return T::deserialize(MapAccessDeserializer::new(Replay {
                key: None,
                tag: None,
                map,
            }));
        };
        if key != T::TAG {
            return T::deserialize(MapAccessDeserializer::new(Replay {
                key: Some(key),
                tag: None,
                map,
            }));
        }
        let index = map.next_value_seed(VariantSeed::<T>(PhantomData))?;
        let mut rest = AfterTag {
            tag: T::TAG,
            map: &mut map,
        };
        match T::fast(index, &mut rest) {
            Some(r) => r,
            None => T::deserialize(MapAccessDeserializer::new(Replay {
                key: Some(Cow::Borrowed(T::TAG)),
                tag: Some(T::VARIANTS[index]),
                map,
            })),
        }
    }
}

/// A map key as text (borrowed from the input where it can be).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// The tag's value as the derived variant identifier reads it: a variant name (as text or
/// bytes) or a variant index, with the derived messages for anything else.
struct VariantSeed<T>(PhantomData<T>);

impl<'de, T: TagFirst<'de>> DeserializeSeed<'de> for VariantSeed<T> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, T: TagFirst<'de>> Visitor<'de> for VariantSeed<T> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<usize, E> {
        match usize::try_from(v) {
            Ok(i) if i < T::VARIANTS.len() => Ok(i),
            _ => Err(E::invalid_value(
                de::Unexpected::Unsigned(v),
                &format!("variant index 0 <= i < {}", T::VARIANTS.len()).as_str(),
            )),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        T::VARIANTS
            .iter()
            .position(|&n| n == v)
            .ok_or_else(|| E::unknown_variant(v, T::VARIANTS))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        T::VARIANTS
            .iter()
            .position(|&n| n.as_bytes() == v)
            .ok_or_else(|| E::unknown_variant(&String::from_utf8_lossy(v), T::VARIANTS))
    }
}

/// The entries of a map after its tag; a second tag is the derived deserializer's error
/// (`duplicate field`).
pub(super) struct AfterTag<'m, A> {
    tag: &'static str,
    map: &'m mut A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for &mut AfterTag<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.map.next_key_seed(KeySeed)? {
            None => Ok(None),
            Some(k) if k == self.tag => Err(de::Error::duplicate_field(self.tag)),
            Some(k) => seed.deserialize(cow_de::<A::Error>(k)).map(Some),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A key as a deserializer (borrowed or owned text).
fn cow_de<'de, E: de::Error>(k: Cow<'de, str>) -> CowDe<'de, E> {
    match k {
        Cow::Borrowed(s) => CowDe::Borrowed(BorrowedStrDeserializer::new(s)),
        Cow::Owned(s) => CowDe::Owned(s.into_deserializer()),
    }
}

enum CowDe<'de, E> {
    Borrowed(BorrowedStrDeserializer<'de, E>),
    Owned(serde::de::value::StringDeserializer<E>),
}

impl<'de, E: de::Error> Deserializer<'de> for CowDe<'de, E> {
    type Error = E;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        match self {
            CowDe::Borrowed(d) => d.deserialize_any(v),
            CowDe::Owned(d) => d.deserialize_any(v),
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// A map handed to the derived deserializer: the key (and the tag's value) already read, then
/// the rest of the map.
struct Replay<'de, A> {
    key: Option<Cow<'de, str>>,
    /// The tag's value, when `key` is the tag.
    tag: Option<&'static str>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.key.take() {
            Some(k) => seed.deserialize(cow_de::<A::Error>(k)).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.tag.take() {
            Some(t) => seed.deserialize(BorrowedStrDeserializer::<A::Error>::new(t)),
            None => self.map.next_value_seed(seed),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        self.map
            .size_hint()
            .map(|n| n + usize::from(self.key.is_some()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::OutcomeSpec;
    use proptest::prelude::*;
    use serde::Deserialize;

    /// An outcome spec read by the derived deserializer (buffering).
    #[derive(Debug, Deserialize, PartialEq)]
    struct Derived {
        spec: OutcomeSpec,
    }

    /// The same read tag-first.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Fast {
        #[serde(deserialize_with = "super::super::event::outcome_spec")]
        spec: OutcomeSpec,
    }

    /// serde_json's message without its position (which differs: the buffered read reports the
    /// end of the object).
    fn msg(e: &serde_json::Error) -> String {
        let t = e.to_string();
        t.rsplit_once(" at line ")
            .map_or(t.clone(), |(m, _)| m.to_string())
    }

    /// Both readers on the JSON `{"spec": SPEC}`: the same value, or both an error, with the
    /// same message where `same_message`.
    fn both_json(spec: &str, same_message: bool) -> Option<OutcomeSpec> {
        let text = format!("{{\"spec\": {spec}}}");
        let d = serde_json::from_str::<Derived>(&text);
        let f = serde_json::from_str::<Fast>(&text);
        match (d, f) {
            (Ok(d), Ok(f)) => {
                assert_eq!(d.spec, f.spec, "{spec}");
                Some(f.spec)
            }
            (Err(d), Err(f)) => {
                if same_message {
                    assert_eq!(msg(&d), msg(&f), "{spec}");
                }
                None
            }
            (d, f) => panic!("{spec}: derived {d:?}, tag-first {f:?}"),
        }
    }

    /// Both readers on the TOML `[spec]` table `body`.
    fn both_toml(body: &str) -> Option<OutcomeSpec> {
        let text = format!("[spec]\n{body}");
        let d = toml::from_str::<Derived>(&text);
        let f = toml::from_str::<Fast>(&text);
        match (d, f) {
            (Ok(d), Ok(f)) => {
                assert_eq!(d.spec, f.spec, "{body}");
                Some(f.spec)
            }
            (Err(d), Err(f)) => {
                assert_eq!(d.message(), f.message(), "{body}");
                None
            }
            (d, f) => panic!("{body}: derived {d:?}, tag-first {f:?}"),
        }
    }

    const DIRECTIONAL: &str = r#"{"type": "directional", "x0_m": -20.0, "y0_m": -10, "dx_m": 10.0,
        "dy_m": 10.0, "nx": 2, "ny": 2, "lethality": [0.0, 1, 0.5, 2.5e-1]}"#;
    const RADIAL: &str = r#"{"type": "radial", "distance_m": [0.0, 10.0, 20.0],
        "lethality": [1.0, 0.5, 0.0]}"#;
    const CIRCLE: &str = r#"{"type": "circle", "radius_m": 150.0, "p": 1.0}"#;

    #[test]
    fn same_values_as_the_derived_reader() {
        let cases = [
            format!(r#"{{"kind": "analytic", "footprint": {DIRECTIONAL}}}"#),
            format!(r#"{{"kind": "analytic", "hazard": "toxic", "footprint": {RADIAL}, "indoor": {CIRCLE}}}"#),
            format!(r#"{{"kind": "analytic", "by_weather": {{"F1.5": {DIRECTIONAL}, "D5": {CIRCLE}}}}}"#),
            // tag not first: the derived reader
            format!(r#"{{"footprint": {DIRECTIONAL}, "kind": "analytic"}}"#),
            // shape tag not first
            r#"{"kind": "analytic", "footprint": {"radius_m": 5, "type": "circle", "p": 0.5}}"#
                .to_string(),
            r#"{"kind": "analytic", "footprint": {"distance_m": [0, 5], "lethality": [1, 0], "type": "radial"}}"#
                .to_string(),
            // a shape's unknown field is ignored by the circle, refused by the tables
            r#"{"kind": "analytic", "footprint": {"type": "circle", "radius_m": 5, "p": 0.5, "x": 1}}"#
                .to_string(),
            r#"{"kind": "analytic", "footprint": null}"#.to_string(),
            r#"{"kind": "analytic"}"#.to_string(),
            // other variants: the derived reader after the tag
            r#"{"kind": "toxic", "release_rate_kg_s": 5.0, "duration_s": 600}"#.to_string(),
            r#"{"kind": "jet-fire", "release_rate_kg_s": 3.0, "orientation": "vertical"}"#
                .to_string(),
            r#"{"kind": "vce", "mass_kg": 1000, "model": "multi-energy", "strength": 7, "confined_volume_m3": 500}"#
                .to_string(),
            r#"{"kind": "pool-fire"}"#.to_string(),
            // serde's sequence form of an internally tagged enum: [tag, fields in order]
            r#"["analytic"]"#.to_string(),
            r#"["analytic", "toxic"]"#.to_string(),
        ];
        for c in &cases {
            assert!(both_json(c, true).is_some(), "{c}");
        }
    }

    #[test]
    fn same_refusals_and_messages_as_the_derived_reader() {
        let cases = [
            r#"{"kind": "nope"}"#.to_string(),
            r#"{"kind": "analytic", "kind": "analytic"}"#.to_string(),
            r#"{"kind": "analytic", "hazard": "toxic", "kind": "toxic"}"#.to_string(),
            r#"{"hazard": "toxic"}"#.to_string(),
            r#"{}"#.to_string(),
            r#"{"kind": "analytic", "colour": 1}"#.to_string(),
            r#"{"kind": "toxic", "colour": 1}"#.to_string(),
            r#"{"kind": 0}"#.to_string(),
            r#"{"kind": null}"#.to_string(),
            r#""analytic""#.to_string(),
            r#"5"#.to_string(),
            r#"null"#.to_string(),
            r#"{"kind": "analytic", "footprint": {"type": "square"}}"#.to_string(),
            r#"{"kind": "analytic", "footprint": {"radius_m": 5, "p": 1}}"#.to_string(),
            r#"{"kind": "analytic", "footprint": "circle"}"#.to_string(),
            r#"{"kind": "analytic", "footprint": {"type": "circle", "radius_m": 5, "p": 1, "type": "circle"}}"#
                .to_string(),
        ];
        for c in &cases {
            assert!(both_json(c, true).is_none(), "{c}");
        }
        // inside a table read tag-first only the position differs... and the message names the
        // struct where the buffered read named the variant: both refuse
        for c in [
            r#"{"kind": "analytic", "footprint": {"type": "directional", "nx": 1}}"#,
            r#"{"kind": "analytic", "footprint": {"type": "radial", "distance_m": [0, "a"], "lethality": [1, 0]}}"#,
            r#"{"kind": "analytic", "footprint": {"type": "radial", "distance_m": [0], "lethality": [1], "x": 2}}"#,
            r#"{"kind": "analytic", "footprint": {"type": "band", "type": "band"}}"#,
        ] {
            assert!(both_json(c, false).is_none(), "{c}");
        }
    }

    #[test]
    fn same_as_the_derived_reader_in_toml() {
        let ok = [
            "kind = \"analytic\"\nfootprint = { type = \"directional\", x0_m = -20.0, y0_m = -10.0, dx_m = 10.0, dy_m = 10.0, nx = 2, ny = 1, lethality = [1.0, 0.5] }",
            "footprint = { type = \"circle\", radius_m = 10.0, p = 1.0 }\nkind = \"analytic\"",
            "kind = \"analytic\"\n[spec.by_weather.\"F1.5\"]\ntype = \"radial\"\ndistance_m = [0.0, 10.0]\nlethality = [1.0, 0.0]",
            "kind = \"toxic\"\nrelease_rate_kg_s = 5.0",
        ];
        for c in ok {
            assert!(both_toml(c).is_some(), "{c}");
        }
        for c in [
            "kind = \"nope\"",
            "kind = 1",
            "hazard = \"toxic\"",
            "kind = \"analytic\"\nx = 1",
        ] {
            assert!(both_toml(c).is_none(), "{c}");
        }
    }

    /// Every field of the `analytic` variant as `Serialize` writes it (a field added to the
    /// variant and not to the tag-first reader fails here).
    #[test]
    fn every_field_of_the_analytic_variant() {
        use crate::risk::footprint::{Hazard, Shape};
        let circle = Shape::circle(10.0, 0.5).unwrap();
        let spec = OutcomeSpec::Analytic {
            hazard: Hazard::Toxic,
            footprint: Some(circle.clone()),
            indoor: Some(circle.clone()),
            by_weather: [("F1.5".to_string(), circle)].into(),
        };
        let text = serde_json::to_string(&spec).unwrap();
        assert!(text.starts_with(r#"{"kind":"analytic""#), "{text}");
        assert_eq!(both_json(&text, true), Some(spec));
    }

    proptest! {
        /// Any directional table, numbers written as JSON numbers of any form: the same values
        /// read, or the same refusal.
        #[test]
        fn same_tables_as_the_derived_reader(
            values in prop::collection::vec(prop_oneof![
                20 => (0.0f64..=1.0).prop_map(|v| format!("{v:e}")),
                20 => (0.0f64..=1.0).prop_map(|v| format!("{v}")),
                2 => (0i32..=1).prop_map(|v| v.to_string()),
                1 => any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(|v| format!("{v:e}")),
                1 => any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(|v| format!("{v}")),
                1 => any::<i32>().prop_map(|v| v.to_string()),
            ], 0..40),
            indoor in any::<bool>(),
        ) {
            let lethality = values.join(", ");
            let table = format!(r#"{{"type": "directional", "x0_m": 0, "y0_m": 0, "dx_m": 1.5,
                "dy_m": 2, "nx": {}, "ny": 1, "lethality": [{lethality}]}}"#, values.len());
            let spec = if indoor {
                format!(r#"{{"kind": "analytic", "footprint": {table}, "indoor": {table}}}"#)
            } else {
                format!(r#"{{"kind": "analytic", "by_weather": {{"a": {table}}}}}"#)
            };
            // Lethality is checked to be a probability as it is read (before it is rounded to
            // single precision): both readers accept the same tables and refuse the others
            // with the same message.
            let probabilities = values
                .iter()
                .all(|v| v.parse::<f64>().is_ok_and(|p| (0.0..=1.0).contains(&p)));
            prop_assert_eq!(both_json(&spec, true).is_some(), probabilities);
        }
    }
}
