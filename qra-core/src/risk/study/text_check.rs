//! The text check of a study ([`text_problems`]): every string of the study's serde form is
//! inert where it lands (terminal, CSV, plots, HTML).
//!
//! The check walks the serde form with a [`serde::Serializer`] that keeps only the path of the
//! value it is at (a stack of field names and indices) and formats that path only for a string
//! that breaks a rule. It used to build the whole `serde_json::Value` of the study and format a
//! path `String` for every element: at park-1000 (5.7·10⁶ numbers) that was ~180 MB of `Value`
//! and ~17 % of the CPU time of loading and running the study (issue 14).
//!
//! The problems, their paths and their order are those of the `Value` walk it replaces: paths as
//! `events[3].outcomes[0].id`, objects in key order (`serde_json::Map` is a `BTreeMap` in this
//! workspace), arrays in index order.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize};

use super::schema::fe;
use crate::error::FieldError;

/// Keys whose values are identifiers or references to them: printable text on one line.
const ID_KEYS: &[&str] = &[
    "id",
    "installation",
    "facility",
    "enterprise",
    "substance",
    "equipment",
    "scenario",
    "ignition_category",
    "detection_isolation",
    "class",
    "status",
];

/// Longest identifier accepted, characters.
pub const MAX_ID_CHARS: usize = 200;

/// Invisible characters that reorder or hide text (Unicode bidirectional controls, zero-width
/// characters, BOM): Boucher & Anderson (2021), "Trojan Source: Invisible Vulnerabilities",
/// CVE-2021-42574.
fn is_hidden_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Key(Cow<'static, str>),
    Index(usize),
}

/// Where the value being serialised sits: what rule a string there follows.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The document itself (a bare string there is not checked, as in the `Value` walk).
    Root,
    /// The value of an object key (the last [`Seg::Key`]): an identifier if the key is one of
    /// [`ID_KEYS`], else free text (line breaks and tabs allowed).
    Field,
    /// An array element: one line of printable text.
    Element,
}

/// Problems of every text in the serde form of `value`: identifiers ([`ID_KEYS`]) must be
/// printable (no control or hidden format character, at most [`MAX_ID_CHARS`] characters); other
/// texts (titles, descriptions) may contain line breaks and tabs but no other control character;
/// strings in arrays may contain neither.
///
/// # Errors
/// The message of a value that has no JSON form (a map key that is not a string or a number).
pub(super) fn text_problems<T: Serialize + ?Sized>(
    value: &T,
) -> std::result::Result<Vec<FieldError>, String> {
    let mut w = Walker {
        path: Vec::new(),
        place: Place::Root,
        found: Vec::new(),
    };
    value.serialize(&mut w).map_err(|e| e.0)?;
    // the order of the `Value` walk: keys sorted, indices ascending (stable for equal paths)
    w.found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(w.found.into_iter().map(|(_, e)| e).collect())
}

struct Walker {
    path: Vec<Seg>,
    place: Place,
    found: Vec<(Vec<Seg>, FieldError)>,
}

impl Walker {
    /// The path as the `Value` walk wrote it: `a.b[3].c`.
    fn path_string(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) if s.is_empty() => s.push_str(k),
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(s, "[{i}]");
                }
            }
        }
        s
    }

    fn report(&mut self, message: String) {
        let e = fe(self.path_string(), message);
        self.found.push((self.path.clone(), e));
    }

    fn check_str(&mut self, t: &str) {
        match self.place {
            Place::Root => {}
            Place::Field => {
                let id =
                    matches!(self.path.last(), Some(Seg::Key(k)) if ID_KEYS.contains(&k.as_ref()));
                let bad = t.char_indices().find(|&(_, c)| {
                    is_hidden_format(c) || (c.is_control() && (id || !matches!(c, '\n' | '\t')))
                });
                if let Some((i, c)) = bad {
                    self.report(format!(
                        "must be printable text: character U+{:04X} at byte {i} is a control or hidden format character",
                        c as u32
                    ));
                } else if id && t.chars().count() > MAX_ID_CHARS {
                    self.report(format!(
                        "{} characters: an identifier has at most {MAX_ID_CHARS}",
                        t.chars().count()
                    ));
                }
            }
            Place::Element => {
                if let Some((j, c)) = t
                    .char_indices()
                    .find(|&(_, c)| c.is_control() || is_hidden_format(c))
                {
                    self.report(format!(
                        "must be printable text: character U+{:04X} at byte {j}",
                        c as u32
                    ));
                }
            }
        }
    }

    /// Serialises `value` as the value of object key `key`.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), WalkError> {
        self.path.push(Seg::Key(key));
        self.place = Place::Field;
        let r = value.serialize(&mut *self);
        self.path.pop();
        r
    }

    /// Serialises `value` as array element `index`.
    fn element<T: Serialize + ?Sized>(&mut self, index: usize, value: &T) -> Result<(), WalkError> {
        self.path.push(Seg::Index(index));
        self.place = Place::Element;
        let r = value.serialize(&mut *self);
        self.path.pop();
        r
    }
}

/// An error of the walk (only a map key without a JSON form).
#[derive(Debug)]
struct WalkError(String);

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WalkError {}

impl ser::Error for WalkError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        WalkError(msg.to_string())
    }
}

/// An array (or the array of a tuple variant) being walked: the next index.
struct Seq<'a> {
    w: &'a mut Walker,
    next: usize,
    /// A tuple variant's key, popped at the end.
    variant: bool,
}

/// An object (map, struct or the object of a struct variant) being walked.
struct Obj<'a> {
    w: &'a mut Walker,
    key: Option<Cow<'static, str>>,
    /// A struct variant's key, popped at the end.
    variant: bool,
}

impl<'a> Seq<'a> {
    fn end(self) {
        if self.variant {
            self.w.path.pop();
        }
    }
}

impl<'a> Obj<'a> {
    fn end(self) {
        if self.variant {
            self.w.path.pop();
        }
    }
}

macro_rules! ignore {
    ($($f:ident($t:ty)),* $(,)?) => {
        $(fn $f(self, _v: $t) -> Result<(), WalkError> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = WalkError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Obj<'a>;
    type SerializeStruct = Obj<'a>;
    type SerializeStructVariant = Obj<'a>;

    ignore!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
    );

    fn serialize_char(self, v: char) -> Result<(), WalkError> {
        self.check_str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), WalkError> {
        self.check_str(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), WalkError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WalkError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), WalkError> {
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WalkError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), WalkError> {
        self.check_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WalkError> {
        self.field(Cow::Borrowed(variant), value)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, WalkError> {
        Ok(Seq {
            w: self,
            next: 0,
            variant: false,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, WalkError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, WalkError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, WalkError> {
        self.path.push(Seg::Key(Cow::Borrowed(variant)));
        Ok(Seq {
            w: self,
            next: 0,
            variant: true,
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Obj<'a>, WalkError> {
        Ok(Obj {
            w: self,
            key: None,
            variant: false,
        })
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Obj<'a>, WalkError> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Obj<'a>, WalkError> {
        self.path.push(Seg::Key(Cow::Borrowed(variant)));
        Ok(Obj {
            w: self,
            key: None,
            variant: true,
        })
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        let i = self.next;
        self.next += 1;
        self.w.element(i, value)
    }
    fn end(self) -> Result<(), WalkError> {
        Seq::end(self);
        Ok(())
    }
}

/// The tuple forms walk their elements as a sequence's.
macro_rules! seq_like {
    ($($tr:ident :: $method:ident),*) => {$(
        impl ser::$tr for Seq<'_> {
            type Ok = ();
            type Error = WalkError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Result<(), WalkError> {
                ser::SerializeSeq::end(self)
            }
        }
    )*};
}
seq_like!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Obj<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WalkError> {
        self.key = Some(Cow::Owned(key.serialize(KeyString)?));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WalkError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| WalkError("a map value without its key".into()))?;
        self.w.field(key, value)
    }
    fn end(self) -> Result<(), WalkError> {
        Obj::end(self);
        Ok(())
    }
}

/// Structs and struct variants walk their fields as a map's.
macro_rules! struct_like {
    ($($tr:ident),*) => {$(
        impl ser::$tr for Obj<'_> {
            type Ok = ();
            type Error = WalkError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), WalkError> {
                self.w.field(Cow::Borrowed(key), value)
            }
            fn end(self) -> Result<(), WalkError> {
                Obj::end(self);
                Ok(())
            }
        }
    )*};
}
struct_like!(SerializeStruct, SerializeStructVariant);

/// A map key as the JSON object key `serde_json` makes of it: strings, characters, integers and
/// booleans (as their text); anything else has no JSON form.
struct KeyString;

fn no_json_key() -> WalkError {
    WalkError("key must be a string".into())
}

macro_rules! key_display {
    ($($f:ident($t:ty)),* $(,)?) => {
        $(fn $f(self, v: $t) -> Result<String, WalkError> { Ok(v.to_string()) })*
    };
}

macro_rules! key_refuse {
    ($($f:ident($t:ty)),* $(,)?) => {
        $(fn $f(self, _v: $t) -> Result<String, WalkError> { Err(no_json_key()) })*
    };
}

impl ser::Serializer for KeyString {
    type Ok = String;
    type Error = WalkError;
    type SerializeSeq = ser::Impossible<String, WalkError>;
    type SerializeTuple = ser::Impossible<String, WalkError>;
    type SerializeTupleStruct = ser::Impossible<String, WalkError>;
    type SerializeTupleVariant = ser::Impossible<String, WalkError>;
    type SerializeMap = ser::Impossible<String, WalkError>;
    type SerializeStruct = ser::Impossible<String, WalkError>;
    type SerializeStructVariant = ser::Impossible<String, WalkError>;

    key_display!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
    );
    key_refuse!(
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8])
    );

    fn serialize_none(self) -> Result<String, WalkError> {
        Err(no_json_key())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, WalkError> {
        Err(no_json_key())
    }
    fn serialize_unit(self) -> Result<String, WalkError> {
        Err(no_json_key())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, WalkError> {
        Err(no_json_key())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, WalkError> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, WalkError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, WalkError> {
        Err(no_json_key())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, WalkError> {
        Err(no_json_key())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, WalkError> {
        Err(no_json_key())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, WalkError> {
        Err(no_json_key())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, WalkError> {
        Err(no_json_key())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, WalkError> {
        Err(no_json_key())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, WalkError> {
        Err(no_json_key())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, WalkError> {
        Err(no_json_key())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Study;
    use super::text_problems;
    use super::{fe, is_hidden_format, ID_KEYS, MAX_ID_CHARS};
    use crate::error::FieldError;
    use proptest::prelude::*;

    /// The check [`super::text_problems`] replaced (issue 14), on the study's
    /// `serde_json::Value`: kept as the tests' reference for its paths, messages and order.
    ///
    /// Problems of every text in the serde form `v` of a study: identifiers (`ID_KEYS`) must be
    /// printable (no control or hidden format character, at most `MAX_ID_CHARS` characters); other
    /// texts (titles, descriptions) may contain line breaks and tabs but no other control character.
    fn text_problems_of_value(p: &mut Vec<FieldError>, path: &str, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let sub = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if let Value::String(t) = x {
                        let id = ID_KEYS.contains(&k.as_str());
                        let bad = t.char_indices().find(|&(_, c)| {
                            is_hidden_format(c)
                                || (c.is_control() && (id || !matches!(c, '\n' | '\t')))
                        });
                        if let Some((i, c)) = bad {
                            p.push(fe(
                                sub,
                                format!(
                                    "must be printable text: character U+{:04X} at byte {i} is a control or hidden format character",
                                    c as u32
                                ),
                            ));
                        } else if id && t.chars().count() > MAX_ID_CHARS {
                            p.push(fe(
                                sub,
                                format!(
                                    "{} characters: an identifier has at most {MAX_ID_CHARS}",
                                    t.chars().count()
                                ),
                            ));
                        }
                    } else {
                        text_problems_of_value(p, &sub, x);
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    if let Value::String(t) = x {
                        if let Some((j, c)) = t
                            .char_indices()
                            .find(|&(_, c)| c.is_control() || is_hidden_format(c))
                        {
                            p.push(fe(
                                format!("{path}[{i}]"),
                                format!(
                                    "must be printable text: character U+{:04X} at byte {j}",
                                    c as u32
                                ),
                            ));
                        }
                    } else {
                        text_problems_of_value(p, &format!("{path}[{i}]"), x);
                    }
                }
            }
            _ => {}
        }
    }

    /// The example studies, parsed, each with the indices of its free strings.
    fn studies() -> &'static [(Study, Vec<usize>)] {
        static S: std::sync::OnceLock<Vec<(Study, Vec<usize>)>> = std::sync::OnceLock::new();
        S.get_or_init(|| {
            [
                "analytic_demo.toml",
                "pipeline_demo.toml",
                "sample_park.toml",
            ]
            .iter()
            .map(|f| {
                let path = format!("{}/../models/studies/{f}", env!("CARGO_MANIFEST_DIR"));
                let s = Study::from_file(std::path::Path::new(&path)).expect(f);
                let free = free_strings(&s);
                (s, free)
            })
            .collect()
        })
    }

    /// Replaces the `k`-th string of `v` (depth first) by `f(k)` where that is `Some`.
    fn tamper(v: &mut serde_json::Value, k: &mut usize, f: &dyn Fn(usize) -> Option<String>) {
        match v {
            serde_json::Value::String(s) => {
                if let Some(t) = f(*k) {
                    *s = t;
                }
                *k += 1;
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| tamper(x, k, f)),
            serde_json::Value::Object(m) => m.values_mut().for_each(|x| tamper(x, k, f)),
            _ => {}
        }
    }

    /// `study` with the strings picked by `pick(k)` replaced by `bad(k)` (re-read through serde,
    /// which does not check text: the study may fail its text check, which is the point); `None`
    /// when serde refuses a replaced string (an enum's name).
    fn tampered(
        study: &Study,
        pick: impl Fn(usize) -> bool,
        bad: impl Fn(usize) -> String,
    ) -> Option<Study> {
        let mut v = serde_json::to_value(study).unwrap();
        tamper(&mut v, &mut 0, &|k| pick(k).then(|| bad(k)));
        serde_json::from_value(v).ok()
    }

    /// The indices of the strings of `study` that serde reads back whatever their text.
    fn free_strings(study: &Study) -> Vec<usize> {
        let mut n = 0;
        tamper(&mut serde_json::to_value(study).unwrap(), &mut n, &|_| None);
        (0..n)
            .filter(|&k| tampered(study, |j| j == k, |_| "\u{7}".into()).is_some())
            .collect()
    }

    /// The problems of the reference walk on the study's `serde_json::Value`.
    fn by_value(study: &Study) -> Vec<crate::error::FieldError> {
        let mut p = Vec::new();
        text_problems_of_value(&mut p, "", &serde_json::to_value(study).unwrap());
        p
    }

    /// Hand-made problems: a bell in a description, a right-to-left override in an id, an id of
    /// 201 characters, a tab in an id — the paths and messages the `Value` walk wrote.
    #[test]
    fn same_problems_as_the_value_walk_on_the_example_studies() {
        let bads = [
            "a\u{7}b".to_string(),
            "x\u{202E}y".to_string(),
            "i".repeat(201),
            "tab\there".to_string(),
            "line\nbreak".to_string(),
        ];
        let mut compared = 0;
        for (s, free) in studies() {
            assert_eq!(text_problems(s).unwrap(), by_value(s));
            assert!(text_problems(s).unwrap().is_empty());
            assert!(free.len() > 5, "{}", free.len());
            for (b, bad) in bads.iter().enumerate() {
                for every in [1, 2, 3, 7] {
                    let pick = |k: usize| free.contains(&k) && k % every == b % every;
                    let t = tampered(s, pick, |_| bad.clone()).expect("free strings");
                    let want = by_value(&t);
                    assert_eq!(text_problems(&t).unwrap(), want);
                    compared += want.len();
                }
            }
        }
        // the comparison saw problems of every kind (not only empty lists)
        assert!(compared > 100, "{compared}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any set of tampered strings: the same problems, paths and order as the `Value` walk.
        #[test]
        fn same_problems_as_the_value_walk(
            seed in 0usize..1000,
            every in 1usize..13,
            c in prop::sample::select(vec!['\u{0}', '\u{7}', '\n', '\t', '\u{200B}', '\u{FEFF}', 'a']),
            which in 0usize..3,
        ) {
            let (s, free) = &studies()[which];
            let bad = |k: usize| format!("{}{c}{}", "x".repeat(k % 3), "y".repeat((k * seed) % 250));
            let pick = |k: usize| free.contains(&k) && (k + seed) % every == 0;
            let t = tampered(s, pick, bad).expect("free strings");
            prop_assert_eq!(text_problems(&t).unwrap(), by_value(&t));
        }
    }
}
