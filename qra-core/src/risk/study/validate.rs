//! Validation of a study: every problem with its field path, found once ([`Study::validate`]),
//! and the parsers that validate ([`Study::from_toml_str`], [`Study::from_json_str`],
//! [`Study::from_file`]).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Deserialize;

use super::event::{Branch, Event, Installation, Inventory, OutcomeSpec, Phase};
use super::ignition::{IgnitionSetup, IgnitionSourceKind, SOURCE_SPACING_M};
use super::linear::{MAX_RELEASE_POINTS, MAX_VERTICES};
use super::schema::{fe, *};
use super::tables::{IgnitionTable, LocTable};
use crate::error::{FieldError, QraError, Result};
use crate::risk::footprint::Shape;
use crate::substance::SubstanceDb;

/// Largest study file [`Study::from_file`] reads, bytes (256 MiB).
pub const MAX_STUDY_FILE_BYTES: u64 = 256 << 20;

impl Study {
    /// Parses a TOML study and validates it.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] with every problem found.
    pub fn from_toml_str(text: &str, source_name: &str) -> Result<Study> {
        Study::parse_toml(text, source_name)?.validated(source_name)
    }

    /// The TOML study as serde reads it (syntax and type errors), not yet validated.
    ///
    /// Read once without tracking the field path (a quarter of the time of a large file); a
    /// file that fails is read again with the path tracked, for the error (issue 14).
    fn parse_toml(text: &str, source_name: &str) -> Result<Study> {
        let de = toml::de::Deserializer::parse(text)
            .map_err(|e| crate::substance::toml_error(source_name, text, &e))?;
        if let Ok(mut s) = Study::deserialize(de) {
            s.shrink_tables();
            return Ok(s);
        }
        let de = toml::de::Deserializer::parse(text)
            .map_err(|e| crate::substance::toml_error(source_name, text, &e))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let line = e
                .inner()
                .span()
                .map(|s| crate::substance::line_of(text, s.start));
            let mut err = parse_problem(source_name, e.path(), e.inner().message(), line);
            // serde's message does not always show the value ("wanted string or table",
            // "invalid length 0"): quote it as written on the line the error points at, when
            // that line assigns the field named
            if let (QraError::InvalidDocument { problems, .. }, Some(l)) = (&mut err, line) {
                if let Some((at, value)) = crate::substance::toml_path_at(text, l) {
                    for p in problems.iter_mut() {
                        if p.path == at && !p.message.contains(&value) {
                            p.message = format!("`{value}`: {}", p.message);
                        }
                    }
                }
            }
            err
        })
    }

    /// Parses a JSON study and validates it.
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] with every problem found.
    pub fn from_json_str(text: &str, source_name: &str) -> Result<Study> {
        Study::parse_json(text, source_name)?.validated(source_name)
    }

    /// The JSON study as serde reads it (syntax and type errors), not yet validated.
    ///
    /// Read once without tracking the field path (a quarter of the time of a large file); a
    /// file that fails is read again with the path tracked, for the error (issue 14). Anything
    /// but whitespace after the study is refused ("trailing characters", with its line): a file
    /// is one study, not a study followed by text the reader would silently ignore.
    fn parse_json(text: &str, source_name: &str) -> Result<Study> {
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(mut s) = Study::deserialize(&mut de) {
            if de.end().is_ok() {
                s.shrink_tables();
                return Ok(s);
            }
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let study: Study = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let line = Some(e.inner().line());
            parse_problem(source_name, e.path(), &e.inner().to_string(), line)
        })?;
        de.end().map_err(|e| QraError::InvalidDocument {
            source_name: source_name.into(),
            problems: vec![FieldError {
                path: source_name.to_string(),
                line: Some(e.line()),
                message: format!("text after the study: {e}"),
            }],
        })?;
        Ok(study)
    }

    /// Reads a study file: `.json` as JSON, anything else as TOML.
    ///
    /// # Errors
    /// [`QraError::InvalidInput`] if the file cannot be read or is not a regular file (devices,
    /// FIFOs and sockets are refused before opening: `/dev/zero` would never end, a FIFO would
    /// block); [`QraError::ResourceLimit`] if it is larger than `MAX_STUDY_FILE_BYTES` (also
    /// checked while reading, so a file growing after the check is cut off);
    /// [`QraError::InvalidDocument`] for its content.
    pub fn from_file(path: &std::path::Path) -> Result<Study> {
        use std::io::Read;
        let name = path.display().to_string();
        let cannot =
            |e: std::io::Error| QraError::invalid("path", &name, format!("cannot read: {e}"));
        let meta = std::fs::metadata(path).map_err(cannot)?;
        if !meta.is_file() {
            return Err(QraError::invalid(
                "path",
                &name,
                "not a regular file (devices, FIFOs and folders are refused)",
            ));
        }
        let limit = MAX_STUDY_FILE_BYTES;
        crate::error::check::size_limit("study file bytes", meta.len() as u128, limit as u128)?;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .map_err(cannot)?
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        crate::error::check::size_limit("study file bytes", bytes.len() as u128, limit as u128)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| QraError::invalid("path", &name, format!("not UTF-8 text: {e}")))?;
        let parsed = if path.extension().and_then(|e| e.to_str()) == Some("json") {
            Study::parse_json(&text, &name)
        } else {
            Study::parse_toml(&text, &name)
        };
        // the text (as large as the file) is not needed by the checks: free it first
        drop(text);
        parsed?.validated(&name)
    }

    /// Frees the spare capacity of the large arrays as read (footprint tables, population
    /// counts): serde grows a `Vec` of unknown length by doubling, up to 2× its length (at
    /// park-1000 analytic, 62 MB for 37 MB of lethality tables; issue 14).
    fn shrink_tables(&mut self) {
        fn shrink(shape: &mut Shape) {
            match shape {
                Shape::Circle { .. } => {}
                Shape::Radial(t) => {
                    t.distance_m.shrink_to_fit();
                    t.lethality.shrink_to_fit();
                }
                Shape::Directional(t) => t.lethality.shrink_to_fit(),
                Shape::Band(t) => t.half_width_m.shrink_to_fit(),
                Shape::Ellipse(_)
                | Shape::PointSourceFire(_)
                | Shape::GaussianPlume(_)
                | Shape::TntBlast(_) => {}
            }
        }
        for o in self.events.iter_mut().flat_map(|e| e.outcomes.iter_mut()) {
            if let OutcomeSpec::Analytic {
                footprint,
                indoor,
                by_weather,
                ..
            } = &mut o.spec
            {
                footprint
                    .iter_mut()
                    .chain(indoor.iter_mut())
                    .for_each(shrink);
                by_weather.values_mut().for_each(shrink);
            }
        }
        for r in &mut self.population.rasters {
            r.counts.shrink_to_fit();
            r.counts_night.iter_mut().for_each(|c| c.shrink_to_fit());
        }
    }

    /// JSON form (the serde representation used by Python `to_dict` and pickling).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn validated(self, source_name: &str) -> Result<Study> {
        let local = self
            .into_local_frame()
            .map_err(|problems| QraError::InvalidDocument {
                source_name: source_name.into(),
                problems,
            })?;
        local.validated_local(source_name)
    }

    fn validated_local(self, source_name: &str) -> Result<Study> {
        let problems = self.validate();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(QraError::InvalidDocument {
                source_name: source_name.into(),
                problems,
            })
        }
    }

    /// The substance database of this study (built-in + user substances).
    ///
    /// # Errors
    /// Problems with the user substances.
    pub fn substance_db(&self) -> Result<SubstanceDb> {
        let b = SubstanceDb::builtin()?;
        if self.substances.is_empty() {
            Ok(b.clone())
        } else {
            b.with_user_substances(self.substances.clone())
        }
    }

    /// Checks everything; returns every problem (empty when valid).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut p: Vec<FieldError> = Vec::new();
        if self.schema != STUDY_SCHEMA {
            p.push(fe(
                "schema".into(),
                format!("'{}' is not '{STUDY_SCHEMA}'", self.schema),
            ));
        }
        if self.crs != super::Crs::Local {
            p.push(fe(
                "crs".into(),
                format!(
                    "{}: positions not yet converted to the local frame \
                     (Study::into_local_frame; the parsers do it)",
                    self.crs
                ),
            ));
        }
        if let Some(o) = &self.origin {
            if !(-89.0..=89.0).contains(&o.latitude_deg) {
                p.push(fe(
                    "origin.latitude_deg".into(),
                    format!("{}: must be in [-89, 89]", o.latitude_deg),
                ));
            }
            if !(-180.0..=180.0).contains(&o.longitude_deg) {
                p.push(fe(
                    "origin.longitude_deg".into(),
                    format!("{}: must be in [-180, 180]", o.longitude_deg),
                ));
            }
        }
        // The two longest checks side by side (a park study's texts — a walk of the serialised
        // study — and its events: each a third of the checks' time), their problems entered
        // below in the order of the one-by-one checks.
        let labels: BTreeSet<String> = self.meteorology.weather.iter().map(|w| w.label()).collect();
        let loc = LocTable::builtin().ok();
        let ign = IgnitionTable::builtin().ok();
        let by_direction = self.ignition.by_direction();
        let (text, mut per_event) = rayon::join(
            || super::text_check::text_problems(self),
            || {
                self.events
                    .par_iter()
                    .enumerate()
                    .map(|(i, ev)| {
                        let mut q = Vec::new();
                        let path = format!("events[{i}]");
                        event_problems(&mut q, &path, ev, &labels, loc, ign, by_direction);
                        q
                    })
                    .collect::<Vec<Vec<FieldError>>>()
            },
        );
        // Every text of the study is inert where it lands (terminal, CSV, plots, HTML).
        match text {
            Ok(found) => p.extend(found),
            Err(e) => p.push(fe(
                String::new(),
                format!("cannot serialise the study: {e}"),
            )),
        }
        // Substances.
        let db = match self.substance_db() {
            Ok(db) => Some(db),
            Err(QraError::InvalidDocument { problems, .. }) => {
                let nb = SubstanceDb::builtin().map(|d| d.len()).unwrap_or(0);
                for mut e in problems {
                    // Re-index user substances: substance[k] → substances[k − builtin].
                    if let Some(rest) = e.path.strip_prefix("substance[") {
                        if let Some((idx, tail)) = rest.split_once(']') {
                            if let Ok(i) = idx.parse::<usize>() {
                                e.path = format!("substances[{}]{tail}", i.saturating_sub(nb));
                            }
                        }
                    }
                    p.push(e);
                }
                None
            }
            Err(e) => {
                p.push(fe("substances".into(), e.to_string()));
                None
            }
        };
        // Installations.
        let mut inst_ids = BTreeSet::new();
        let iso = LocTable::builtin().ok();
        for (i, inst) in self.installations.iter().enumerate() {
            let path = format!("installations[{i}]");
            unique_id(&mut p, &path, &inst.id, &mut inst_ids);
            installation_problems(&mut p, &path, inst, db.as_ref(), iso);
        }
        // Meteorology.
        let met = &self.meteorology;
        prob(&mut p, "meteorology.day_fraction", met.day_fraction);
        if !(1..=36).contains(&met.sector_subdivisions) {
            p.push(fe(
                "meteorology.sector_subdivisions".into(),
                format!("{} must be in [1, 36]", met.sector_subdivisions),
            ));
        }
        if met.weather.is_empty() {
            p.push(fe(
                "meteorology.weather".into(),
                "needs at least one weather class".into(),
            ));
        }
        let mut seen = BTreeSet::new();
        let (mut sd, mut sn) = (0.0, 0.0);
        for (k, w) in met.weather.iter().enumerate() {
            let path = format!("meteorology.weather[{k}]");
            if !seen.insert(w.label()) {
                p.push(fe(
                    format!("{path}.id"),
                    format!("duplicate weather id '{}'", w.label()),
                ));
            }
            positive(&mut p, &format!("{path}.wind_speed_m_s"), w.wind_speed_m_s);
            finite(
                &mut p,
                &format!("{path}.wind_rose_offset_deg"),
                w.wind_rose_offset_deg,
            );
            if w.probability.is_none()
                && (w.probability_day.is_none() || w.probability_night.is_none())
            {
                p.push(fe(
                    format!("{path}.probability"),
                    "give probability, or both probability_day and probability_night".into(),
                ));
            }
            for (n, v) in [
                ("probability", w.probability),
                ("probability_day", w.probability_day),
                ("probability_night", w.probability_night),
            ] {
                if let Some(v) = v {
                    prob(&mut p, &format!("{path}.{n}"), v);
                }
            }
            sd += w.p_day();
            sn += w.p_night();
            prob(&mut p, &format!("{path}.calm_fraction"), w.calm_fraction);
            if w.wind_rose.is_empty() {
                p.push(fe(
                    format!("{path}.wind_rose"),
                    "needs at least one sector".into(),
                ));
            } else if w.wind_rose.len() > 360 {
                p.push(fe(
                    format!("{path}.wind_rose"),
                    format!("{} sectors: at most 360", w.wind_rose.len()),
                ));
            } else {
                let mut s = 0.0;
                for (j, &v) in w.wind_rose.iter().enumerate() {
                    prob(&mut p, &format!("{path}.wind_rose[{j}]"), v);
                    s += v;
                }
                let s = s + w.calm_fraction;
                if (s - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                    p.push(fe(
                        format!("{path}.wind_rose"),
                        if w.calm_fraction == 0.0 {
                            format!("sector probabilities sum to {s}, not 1")
                        } else {
                            format!("sector probabilities + calm_fraction sum to {s}, not 1")
                        },
                    ));
                }
            }
        }
        if !met.weather.is_empty() {
            if met.day_fraction > 0.0 && (sd - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                p.push(fe(
                    "meteorology.weather".into(),
                    format!("day probabilities sum to {sd}, not 1"),
                ));
            }
            if met.day_fraction < 1.0 && (sn - 1.0).abs() > PROBABILITY_SUM_TOLERANCE {
                p.push(fe(
                    "meteorology.weather".into(),
                    format!("night probabilities sum to {sn}, not 1"),
                ));
            }
        }
        // Events.
        let mut ev_ids = BTreeSet::new();
        let mut n_scen: u128 = 0;
        for (i, ev) in self.events.iter().enumerate() {
            let path = format!("events[{i}]");
            unique_id(&mut p, &path, &ev.id, &mut ev_ids);
            if !inst_ids.contains(ev.installation.as_str()) {
                p.push(fe(
                    format!("{path}.installation"),
                    QraError::unknown("installation", &ev.installation, inst_ids.iter().copied())
                        .to_string(),
                ));
            }
            p.append(&mut per_event[i]);
            n_scen += ev.outcomes.len() as u128 * met.weather.len().max(1) as u128;
        }
        ignition_problems(&mut p, &self.ignition);
        if n_scen > MAX_SCENARIOS {
            p.push(fe(
                "events".into(),
                format!("{n_scen} scenarios exceed the limit of {MAX_SCENARIOS}"),
            ));
        }
        // Population.
        let mut cells: u128 = 0;
        for (k, r) in self.population.rasters.iter().enumerate() {
            let path = format!("population.rasters[{k}]");
            finite(&mut p, &format!("{path}.x0_m"), r.x0_m);
            finite(&mut p, &format!("{path}.y0_m"), r.y0_m);
            positive(&mut p, &format!("{path}.cell_size_m"), r.cell_size_m);
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_day"),
                r.indoor_fraction_day,
            );
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_night"),
                r.indoor_fraction_night,
            );
            let n = r.nx as u128 * r.ny as u128;
            cells += n;
            if r.counts.len() as u128 != n {
                p.push(fe(
                    format!("{path}.counts"),
                    format!("{} values, expected nx*ny = {n}", r.counts.len()),
                ));
            }
            counts(&mut p, &format!("{path}.counts"), &r.counts);
            if let Some(c) = &r.counts_night {
                if c.len() as u128 != n {
                    p.push(fe(
                        format!("{path}.counts_night"),
                        format!("{} values, expected nx*ny = {n}", c.len()),
                    ));
                }
                counts(&mut p, &format!("{path}.counts_night"), c);
            }
        }
        if cells > MAX_POPULATION_CELLS {
            p.push(fe(
                "population.rasters".into(),
                format!("{cells} cells exceed the limit of {MAX_POPULATION_CELLS}"),
            ));
        }
        for (k, g) in self.population.polygons.iter().enumerate() {
            let path = format!("population.polygons[{k}]");
            polygon(&mut p, &format!("{path}.vertices"), &g.vertices);
            nonneg(&mut p, &format!("{path}.count_day"), g.count_day);
            if let Some(c) = g.count_night {
                nonneg(&mut p, &format!("{path}.count_night"), c);
            }
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_day"),
                g.indoor_fraction_day,
            );
            prob(
                &mut p,
                &format!("{path}.indoor_fraction_night"),
                g.indoor_fraction_night,
            );
        }
        // Facilities and the park boundary.
        let mut fac_ids = BTreeSet::new();
        for (k, f) in self.facilities.iter().enumerate() {
            if f.id.trim().is_empty() || !fac_ids.insert(f.id.as_str()) {
                p.push(fe(
                    format!("facilities[{k}].id"),
                    format!("'{}': must be non-empty and unique", f.id),
                ));
            }
            if let Some(b) = &f.boundary {
                polygon(&mut p, &format!("facilities[{k}].boundary"), b);
            }
        }
        for (i, inst) in self.installations.iter().enumerate() {
            if let Some(f) = inst.facility.as_deref().filter(|f| !fac_ids.contains(f)) {
                p.push(fe(
                    format!("installations[{i}].facility"),
                    QraError::unknown("facility", f, fac_ids.iter().copied()).to_string(),
                ));
            }
        }
        if let Some(b) = &self.park_boundary {
            polygon(&mut p, "park_boundary", b);
        }
        // GB 18218 units: unique ids (not those of installations without a unit), known
        // references, each unit within one facility.
        let lone: BTreeSet<&str> = self
            .installations
            .iter()
            .filter(|i| i.unit.is_none())
            .map(|i| i.id.as_str())
            .collect();
        let mut unit_ids = BTreeSet::new();
        for (k, u) in self.units.iter().enumerate() {
            if u.id.trim().is_empty() || !unit_ids.insert(u.id.as_str()) {
                p.push(fe(
                    format!("units[{k}].id"),
                    format!("'{}': must be non-empty and unique", u.id),
                ));
            } else if lone.contains(u.id.as_str()) {
                p.push(fe(
                    format!("units[{k}].id"),
                    format!(
                        "'{}': is the id of an installation without a unit (a unit of its own)",
                        u.id
                    ),
                ));
            }
            if let Some(b) = &u.boundary {
                polygon(&mut p, &format!("units[{k}].boundary"), b);
            }
            let members: Vec<(usize, &Installation)> = self
                .installations
                .iter()
                .enumerate()
                .filter(|(_, i)| i.unit.as_deref() == Some(u.id.as_str()))
                .collect();
            // A unit no installation names is allowed (a study cut down to some installations
            // keeps its `[[units]]`); `identify_units` does not list it.
            if let Some((_, first)) = members.first() {
                if let Some((j, other)) = members.iter().find(|(_, i)| i.facility != first.facility)
                {
                    // named at the member that breaks the rule (issue 21: named only the unit)
                    let name = |f: &Option<String>| {
                        f.as_deref()
                            .map_or("(none)".to_string(), |f| format!("'{f}'"))
                    };
                    p.push(fe(
                        format!("installations[{j}].facility"),
                        format!(
                            "{}: installation '{}' of unit '{}' is in another facility than '{}' ({}); a GB 18218 unit lies within one enterprise (the same `facility`, or none)",
                            name(&other.facility), other.id, u.id, first.id, name(&first.facility)
                        ),
                    ));
                }
            }
        }
        for (i, inst) in self.installations.iter().enumerate() {
            if let Some(u) = inst.unit.as_deref().filter(|u| !unit_ids.contains(u)) {
                p.push(fe(
                    format!("installations[{i}].unit"),
                    QraError::unknown("unit", u, unit_ids.iter().copied()).to_string(),
                ));
            }
        }
        // Targets.
        let mut t_ids = BTreeSet::new();
        for (k, t) in self.targets.iter().enumerate() {
            let path = format!("targets[{k}]");
            if !t_ids.insert(t.id.as_str()) {
                p.push(fe(format!("{path}.id"), format!("duplicate id '{}'", t.id)));
            }
            match (&t.point, &t.polygon) {
                (Some(pt), None) => {
                    finite(&mut p, &format!("{path}.point[0]"), pt[0]);
                    finite(&mut p, &format!("{path}.point[1]"), pt[1]);
                }
                (None, Some(v)) => polygon(&mut p, &format!("{path}.polygon"), v),
                (None, None) => p.push(fe(
                    format!("{path}.point"),
                    "missing: give exactly one of point or polygon".into(),
                )),
                (Some(_), Some(_)) => p.push(fe(
                    format!("{path}.polygon"),
                    "given with point: give exactly one of point or polygon".into(),
                )),
            }
        }
        // The GB 36894 status belongs to installations; the deprecated per-target status is read
        // only from studies that set no installation status.
        let inst_status = self
            .installations
            .iter()
            .position(|i| i.status.is_some())
            .map(|i| format!("installations[{i}].status"))
            .or_else(|| {
                self.pipelines
                    .iter()
                    .position(|l| l.status.is_some())
                    .map(|i| format!("pipelines[{i}].status"))
            });
        if let Some(at) = inst_status {
            for (k, t) in self.targets.iter().enumerate() {
                if let Some(st) = t.status {
                    p.push(fe(
                        format!("targets[{k}].status"),
                        format!(
                            "'{}': the status belongs to the installations (GB 36894-2018 sets the limits for new and in-service installations) and {at} is set; remove the status from the targets",
                            st.name()
                        ),
                    ));
                }
            }
        }
        p.extend(self.grid.problems("grid"));
        p.extend(self.options.problems("options"));
        p.extend(pipeline_problems(self, db.as_ref(), &labels, loc, ign, iso));
        p
    }
}

/// A parse error as a field problem: the path serde had reached (`serde_path_to_error`), extended
/// by the field that a typed value names at the start of its message (`"strength: …"`, the form
/// of [`super::event::VceSpec`]'s errors).
fn parse_problem(
    source_name: &str,
    path: &serde_path_to_error::Path,
    message: &str,
    line: Option<usize>,
) -> QraError {
    let at = path.to_string();
    let is_field = |f: &str| {
        !f.is_empty()
            && f.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let join = |field: &str| {
        if at == "." {
            field.to_string()
        } else {
            format!("{at}.{field}")
        }
    };
    // serde names a missing, unknown or repeated field in its message, at the path of the table
    // holding it: the problem is the field's (issue 21: these named only the section)
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|r| r.split_once('`'))
            .map(|(f, rest)| (f.to_string(), rest))
    };
    let (path, message) = if let Some((f, _)) = named("missing field `") {
        (join(&f), "missing: a required field".to_string())
    } else if let Some((f, rest)) = named("unknown field `") {
        // serde_path_to_error's path already ends with the unknown key
        let path = if at == f || at.ends_with(&format!(".{f}")) {
            at.clone()
        } else {
            join(&f)
        };
        (path, format!("`{f}` is not a field here{rest}"))
    } else if let Some((f, _)) = named("duplicate field `") {
        (
            join(&f),
            "given twice: a field may be given once".to_string(),
        )
    } else {
        match message.split_once(": ") {
            Some((field, rest)) if is_field(field) && at != "." => {
                (format!("{at}.{field}"), rest.to_string())
            }
            _ if at == "." => (source_name.to_string(), message.to_string()),
            _ => (at, message.to_string()),
        }
    };
    QraError::InvalidDocument {
        source_name: source_name.into(),
        problems: vec![FieldError {
            path,
            line,
            message,
        }],
    }
}

/// Largest hole diameter accepted, mm: the domain limit of the discharge models (10 m, larger than
/// any process vessel nozzle or pipe; a plausibility bound of this project, not a standard's
/// value). Keeps the hole area and release rate finite — `1e300` mm used to pass `check` and
/// fail in `run` without naming the field (issue 21).
pub const MAX_HOLE_DIAMETER_MM: f64 = 10_000.0;

/// An id at `path` must be non-empty and not among `seen` (which it joins).
fn unique_id<'a>(p: &mut Vec<FieldError>, path: &str, id: &'a str, seen: &mut BTreeSet<&'a str>) {
    if id.trim().is_empty() {
        p.push(fe(format!("{path}.id"), "must not be empty".into()));
    } else if !seen.insert(id) {
        p.push(fe(format!("{path}.id"), format!("duplicate id '{id}'")));
    }
}

/// Problems of one installation's values (ids are checked by the caller).
fn installation_problems(
    p: &mut Vec<FieldError>,
    path: &str,
    inst: &Installation,
    db: Option<&SubstanceDb>,
    iso: Option<&LocTable>,
) {
    finite(p, &format!("{path}.x_m"), inst.x_m);
    finite(p, &format!("{path}.y_m"), inst.y_m);
    let volume_ok = match inst.inventory {
        Inventory::Mass { inventory_kg } => {
            nonneg(p, &format!("{path}.inventory_kg"), inventory_kg);
            false
        }
        Inventory::Volume {
            volume_m3,
            fill_fraction,
        } => {
            positive(p, &format!("{path}.volume_m3"), volume_m3);
            if !(fill_fraction > 0.0 && fill_fraction <= 1.0) {
                p.push(fe(
                    format!("{path}.fill_fraction"),
                    format!("{fill_fraction}: must be in (0, 1]"),
                ));
            }
            if inst.phase == Some(Phase::Gas) {
                p.push(fe(
                    format!("{path}.volume_m3"),
                    "a volume + fill inventory is a liquid: not for phase = 'gas' (give \
                     inventory_kg)"
                        .into(),
                ));
            }
            true
        }
    };
    if let Some(v) = inst.pressure_pa {
        positive(p, &format!("{path}.pressure_pa"), v);
    }
    if let Some(v) = inst.temperature_k {
        positive(p, &format!("{path}.temperature_k"), v);
    }
    if let Some(db) = db {
        match db.get(&inst.substance) {
            Err(e) => p.push(fe(format!("{path}.substance"), e.to_string())),
            // A volume inventory's mass needs the temperature and the liquid density.
            Ok(s) if volume_ok => match inst.inventory_kg(s) {
                Ok(_) => {}
                Err(QraError::InvalidInput {
                    argument,
                    value,
                    rule,
                }) if argument.ends_with(".temperature_k") => p.push(fe(
                    format!("{path}.temperature_k"),
                    format!("{value}: {rule}"),
                )),
                Err(e) => p.push(fe(format!("{path}.volume_m3"), e.to_string())),
            },
            Ok(_) => {}
        }
    }
    if let (Some(c), Some(t)) = (&inst.detection_isolation, iso) {
        if !t.isolation.classes.iter().any(|k| &k.id == c) {
            p.push(fe(
                format!("{path}.detection_isolation"),
                QraError::unknown(
                    "detection/isolation class",
                    c,
                    t.isolation.classes.iter().map(|k| k.id.as_str()),
                )
                .to_string(),
            ));
        }
    }
}

/// Problems of one event's values (id and installation reference are checked by the caller):
/// frequency, hole, duration, event tree and outcomes. Pipelines' release classes are checked
/// by the same function on their release-point events ([`Pipeline::event_at`]).
fn event_problems(
    p: &mut Vec<FieldError>,
    path: &str,
    ev: &Event,
    labels: &BTreeSet<String>,
    loc: Option<&LocTable>,
    ign: Option<&IgnitionTable>,
    by_sources: bool,
) {
    match (&ev.frequency_per_year, &ev.loc) {
        (Some(f), None) => nonneg(p, &format!("{path}.frequency_per_year"), *f),
        (None, Some(l)) => {
            nonneg(p, &format!("{path}.loc.multiplier"), l.multiplier);
            if let Some(t) = loc {
                if let Err(e) = t.scenario(&l.equipment, &l.scenario) {
                    p.push(fe(format!("{path}.loc"), e.to_string()));
                }
            }
        }
        (Some(_), Some(_)) => p.push(fe(
            format!("{path}.frequency_per_year"),
            "give frequency_per_year or loc, not both".into(),
        )),
        (None, None) => p.push(fe(
            format!("{path}.frequency_per_year"),
            "missing: give frequency_per_year or loc".into(),
        )),
    }
    if let Some(d) = ev.hole_diameter_mm {
        positive(p, &format!("{path}.hole_diameter_mm"), d);
        if d > MAX_HOLE_DIAMETER_MM {
            p.push(fe(
                format!("{path}.hole_diameter_mm"),
                format!("{d}: must be <= {MAX_HOLE_DIAMETER_MM} mm (domain limit of the discharge models)"),
            ));
        }
    }
    if let Some(d) = ev.duration_s {
        positive(p, &format!("{path}.duration_s"), d);
    }
    let et = &ev.event_tree;
    let tp = format!("{path}.event_tree");
    for (n, v) in [
        ("immediate_ignition", et.immediate_ignition),
        ("delayed_ignition", et.delayed_ignition),
        ("explosion_fraction", et.explosion_fraction),
    ] {
        if let Some(v) = v {
            prob(p, &format!("{tp}.{n}"), v);
        }
    }
    if let Some(v) = et.release_rate_kg_s {
        nonneg(p, &format!("{tp}.release_rate_kg_s"), v);
    }
    if let Some(v) = et.release_mass_kg {
        nonneg(p, &format!("{tp}.release_mass_kg"), v);
    }
    if let (Some(c), Some(t)) = (&et.ignition_category, ign) {
        if let Err(e) = t.immediate(c, None, None) {
            p.push(fe(format!("{tp}.ignition_category"), e.to_string()));
        }
    }
    let uses = |b: Branch| {
        ev.outcomes
            .iter()
            .any(|o| o.probability.is_none() && o.branch == b)
    };
    let ignition_used = [
        Branch::Immediate,
        Branch::Delayed,
        Branch::DelayedFlash,
        Branch::DelayedExplosion,
        Branch::NoIgnition,
    ]
    .into_iter()
    .any(uses);
    if ignition_used && et.immediate_ignition.is_none() && et.ignition_category.is_none() {
        p.push(fe(
            format!("{tp}.immediate_ignition"),
            "missing: an outcome uses the event tree; give immediate_ignition or ignition_category"
                .into(),
        ));
    }
    // With ignition sources or congested regions, the delayed ignition of physical outcomes
    // comes from the cloud's passage (`delayed_ignition` is then only the probability of
    // ignition at the maximum extent); analytic outcomes still need the scalar.
    let delayed_used = ev.outcomes.iter().any(|o| {
        o.probability.is_none()
            && matches!(
                o.branch,
                Branch::Delayed
                    | Branch::DelayedFlash
                    | Branch::DelayedExplosion
                    | Branch::NoIgnition
            )
            && (!by_sources || matches!(o.spec, OutcomeSpec::Analytic { .. }))
    });
    if delayed_used && et.delayed_ignition.is_none() {
        p.push(fe(
            format!("{tp}.delayed_ignition"),
            "missing: an outcome uses a delayed or no-ignition branch".into(),
        ));
    }
    let mut branch_sum: BTreeMap<&'static str, f64> = BTreeMap::new();
    for (j, o) in ev.outcomes.iter().enumerate() {
        let op = format!("{path}.outcomes[{j}]");
        prob(p, &format!("{op}.fraction"), o.fraction);
        if let Some(v) = o.probability {
            prob(p, &format!("{op}.probability"), v);
        } else {
            *branch_sum.entry(branch_name(o.branch)).or_default() += o.fraction;
        }
        validate_spec(p, &format!("{op}.spec"), &o.spec, labels);
    }
    for (b, s) in branch_sum {
        if s > 1.0 + PROBABILITY_SUM_TOLERANCE {
            p.push(fe(
                format!("{path}.outcomes"),
                format!("fractions of branch '{b}' sum to {s} > 1"),
            ));
        }
    }
}

/// Every problem of the `pipelines` of `study` (paths `pipelines[k]…`); the release classes obey
/// the installation-event rules ([`event_problems`]).
fn pipeline_problems(
    study: &Study,
    db: Option<&SubstanceDb>,
    labels: &BTreeSet<String>,
    loc: Option<&LocTable>,
    ign: Option<&IgnitionTable>,
    iso: Option<&LocTable>,
) -> Vec<FieldError> {
    let mut p = Vec::new();
    if study.pipelines.is_empty() {
        return p;
    }
    let inst_ids: BTreeSet<&str> = study.installations.iter().map(|i| i.id.as_str()).collect();
    let mut ids = BTreeSet::new();
    let mut points: u128 = 0;
    for (k, pl) in study.pipelines.iter().enumerate() {
        let path = format!("pipelines[{k}]");
        if pl.id.trim().is_empty() || pl.id.contains('#') || pl.id.contains('/') {
            p.push(fe(
                format!("{path}.id"),
                format!("'{}': must be non-empty without '#' or '/'", pl.id),
            ));
        } else if !ids.insert(pl.id.as_str()) || inst_ids.contains(pl.id.as_str()) {
            p.push(fe(
                format!("{path}.id"),
                format!("duplicate id '{}'", pl.id),
            ));
        }
        let prefix = format!("{}#", pl.id);
        if let Some(i) = study
            .installations
            .iter()
            .find(|i| i.id.starts_with(&prefix))
        {
            p.push(fe(
                format!("{path}.id"),
                format!(
                    "installation '{}' uses the release-point prefix '{prefix}'",
                    i.id
                ),
            ));
        }
        if pl.vertices.len() < 2 || pl.vertices.len() > MAX_VERTICES {
            p.push(fe(
                format!("{path}.vertices"),
                format!("{} vertices: needs 2 to {MAX_VERTICES}", pl.vertices.len()),
            ));
        }
        if let Some(i) = pl
            .vertices
            .iter()
            .position(|q| !(q[0].is_finite() && q[1].is_finite()))
        {
            p.push(fe(
                format!("{path}.vertices[{i}]"),
                "coordinates must be finite".into(),
            ));
        } else if pl.vertices.len() >= 2 && pl.length_m() <= 0.0 {
            p.push(fe(
                format!("{path}.vertices"),
                "the polyline has zero length".into(),
            ));
        }
        for (n, v) in [("diameter_mm", pl.diameter_mm), ("spacing_m", pl.spacing_m)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    p.push(fe(format!("{path}.{n}"), format!("{v}: must be > 0")));
                }
            }
        }
        let sp = pl.spacing(study.grid.resolution_m);
        if sp.is_finite() && sp > 0.0 {
            points += pl.point_count(sp);
        }
        if pl.releases.is_empty() {
            p.push(fe(
                format!("{path}.releases"),
                "needs at least one release class".into(),
            ));
        }
        let mut rids = BTreeSet::new();
        for (j, r) in pl.releases.iter().enumerate() {
            let rp = format!("{path}.releases[{j}]");
            if r.id.trim().is_empty() || r.id.contains('#') {
                p.push(fe(
                    format!("{rp}.id"),
                    format!("'{}': must be non-empty without '#'", r.id),
                ));
            } else if !rids.insert(r.id.as_str()) {
                p.push(fe(format!("{rp}.id"), format!("duplicate id '{}'", r.id)));
            }
            let given = [
                r.frequency_per_km_year.is_some(),
                r.loc.is_some(),
                r.accident_frequency_per_km_year.is_some() || r.release_probability.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if given != 1 {
                let what = if given == 0 {
                    "missing"
                } else {
                    "given with another"
                };
                p.push(fe(
                    format!("{rp}.frequency_per_km_year"),
                    format!("{what}: give exactly one of frequency_per_km_year, loc, or accident_frequency_per_km_year with release_probability"),
                ));
            } else {
                match r.frequency_per_km_year() {
                    Ok(f) if f.is_finite() && f >= 0.0 => {}
                    Ok(f) => p.push(fe(
                        format!("{rp}.frequency_per_km_year"),
                        format!("{f}: must be >= 0"),
                    )),
                    Err(e) => p.push(fe(format!("{rp}.frequency_per_km_year"), e.to_string())),
                }
            }
            if let Some(v) = r.release_probability {
                if !(0.0..=1.0).contains(&v) {
                    p.push(fe(
                        format!("{rp}.release_probability"),
                        format!("{v}: must be a probability in [0, 1]"),
                    ));
                }
            }
            if let Some(l) = &r.loc {
                if l.multiplier != 1.0 {
                    p.push(fe(
                        format!("{rp}.loc.multiplier"),
                        format!(
                            "{}: must be 1 (the length comes from the polyline)",
                            l.multiplier
                        ),
                    ));
                }
            }
        }
        // Release classes obey exactly the installation-event rules: the release-point
        // installation and events are checked by the same functions, at the pipeline's paths.
        installation_problems(&mut p, &path, &pl.installation_at(0, None), db, iso);
        for (j, r) in pl.releases.iter().enumerate() {
            let f = r.frequency_per_km_year().unwrap_or(0.0).max(0.0);
            let rp = format!("{path}.releases[{j}]");
            event_problems(
                &mut p,
                &rp,
                &pl.event_at(r, 0, f),
                labels,
                loc,
                ign,
                study.ignition.by_direction(),
            );
        }
    }
    if points > MAX_RELEASE_POINTS {
        p.push(fe(
            "pipelines".into(),
            format!("{points} release points exceed the limit of {MAX_RELEASE_POINTS}; increase spacing_m"),
        ));
    }
    p
}

fn branch_name(b: Branch) -> &'static str {
    match b {
        Branch::Always => "always",
        Branch::Immediate => "immediate",
        Branch::Delayed => "delayed",
        Branch::DelayedFlash => "delayed-flash",
        Branch::DelayedExplosion => "delayed-explosion",
        Branch::NoIgnition => "no-ignition",
    }
}

fn validate_spec(
    p: &mut Vec<FieldError>,
    path: &str,
    spec: &OutcomeSpec,
    labels: &BTreeSet<String>,
) {
    let shape = |p: &mut Vec<FieldError>, sp: &str, s: &Shape| {
        if let Err(e) = s.validate() {
            p.push(fe(sp.to_string(), e.to_string()));
        }
    };
    let opt_pos = |p: &mut Vec<FieldError>, n: &str, v: Option<f64>| {
        if let Some(v) = v {
            positive(p, &format!("{path}.{n}"), v);
        }
    };
    match spec {
        OutcomeSpec::Analytic {
            footprint,
            indoor,
            by_weather,
            ..
        } => {
            if let Some(s) = footprint {
                shape(p, &format!("{path}.footprint"), s);
            }
            if let Some(s) = indoor {
                shape(p, &format!("{path}.indoor"), s);
            }
            for (k, s) in by_weather {
                if !labels.contains(k) {
                    p.push(fe(
                        format!("{path}.by_weather.{k}"),
                        QraError::unknown("weather class", k, labels.iter().map(String::as_str))
                            .to_string(),
                    ));
                }
                shape(p, &format!("{path}.by_weather.{k}"), s);
            }
            if footprint.is_none() && labels.iter().any(|l| !by_weather.contains_key(l)) {
                p.push(fe(
                    format!("{path}.footprint"),
                    "missing: needed for the weather classes without a by_weather entry".into(),
                ));
            }
        }
        OutcomeSpec::Toxic {
            release_rate_kg_s,
            duration_s,
            release_height_m,
            ..
        } => {
            opt_pos(p, "release_rate_kg_s", *release_rate_kg_s);
            opt_pos(p, "duration_s", *duration_s);
            if let Some(h) = release_height_m {
                nonneg(p, &format!("{path}.release_height_m"), *h);
            }
        }
        OutcomeSpec::JetFire {
            release_rate_kg_s,
            orientation: _,
        } => opt_pos(p, "release_rate_kg_s", *release_rate_kg_s),
        OutcomeSpec::PoolFire { pool_diameter_m } => {
            opt_pos(p, "pool_diameter_m", *pool_diameter_m)
        }
        OutcomeSpec::Fireball { mass_kg } => opt_pos(p, "mass_kg", *mass_kg),
        OutcomeSpec::FlashFire {
            mass_kg,
            release_rate_kg_s,
            dense_model: _,
        } => {
            opt_pos(p, "mass_kg", *mass_kg);
            opt_pos(p, "release_rate_kg_s", *release_rate_kg_s);
        }
        // Checked when parsed: a `VceSpec` is valid by construction.
        OutcomeSpec::Vce(_) => {}
    }
}

/// Problems of the `[ignition]` section (paths `ignition.…`): unique source ids, probabilities,
/// densities, geometry.
fn ignition_problems(p: &mut Vec<FieldError>, ign: &IgnitionSetup) {
    region_problems(p, ign);
    if let Some(v) = ign.max_extent_probability {
        prob(p, "ignition.max_extent_probability", v);
    }
    let mut ids = BTreeSet::new();
    for (k, s) in ign.sources.iter().enumerate() {
        let path = format!("ignition.sources[{k}]");
        unique_id(p, &path, s.id(), &mut ids);
        let (p1, presence) = s.probabilities();
        prob(p, &format!("{path}.p_1min"), p1);
        prob(p, &format!("{path}.presence"), presence);
        match s {
            IgnitionSourceKind::Point {
                x_m, y_m, number, ..
            } => {
                finite(p, &format!("{path}.x_m"), *x_m);
                finite(p, &format!("{path}.y_m"), *y_m);
                nonneg(p, &format!("{path}.number"), *number);
            }
            IgnitionSourceKind::Line {
                points,
                sources_per_km,
                ..
            } => {
                nonneg(p, &format!("{path}.sources_per_km"), *sources_per_km);
                if points.len() < 2 {
                    p.push(fe(
                        format!("{path}.points"),
                        format!("{} vertices: needs at least 2", points.len()),
                    ));
                }
                if let Some(i) = points
                    .iter()
                    .position(|q| !(q[0].is_finite() && q[1].is_finite()))
                {
                    p.push(fe(
                        format!("{path}.points[{i}]"),
                        "coordinates must be finite".into(),
                    ));
                }
            }
            IgnitionSourceKind::Area {
                polygon: poly,
                sources_per_km2,
                ..
            } => {
                nonneg(p, &format!("{path}.sources_per_km2"), *sources_per_km2);
                polygon(p, &format!("{path}.polygon"), poly);
                // Bound the source points an area is cut into (SOURCE_SPACING_M squares).
                let ext = |i: usize| {
                    let (lo, hi) = poly.iter().fold((f64::MAX, f64::MIN), |(lo, hi), q| {
                        (lo.min(q[i]), hi.max(q[i]))
                    });
                    (hi - lo).max(0.0)
                };
                let h = SOURCE_SPACING_M;
                let cells = (ext(0) / h).ceil() * (ext(1) / h).ceil();
                if poly.len() >= 3 && (cells.is_nan() || cells > MAX_IGNITION_AREA_CELLS) {
                    p.push(fe(
                        format!("{path}.polygon"),
                        format!("covers {cells} cells of {h} m: at most {MAX_IGNITION_AREA_CELLS}"),
                    ));
                }
            }
        }
    }
}

/// Problems of the congested regions (paths `ignition.congested_regions[k]…`).
fn region_problems(p: &mut Vec<FieldError>, ign: &IgnitionSetup) {
    let mut ids = BTreeSet::new();
    for (k, r) in ign.congested_regions.iter().enumerate() {
        let path = format!("ignition.congested_regions[{k}]");
        unique_id(p, &path, &r.id, &mut ids);
        polygon(p, &format!("{path}.polygon"), &r.polygon);
        positive(p, &format!("{path}.height_m"), r.height_m);
    }
}

/// Largest number of [`SOURCE_SPACING_M`] cells of one area source's
/// bounding box (10⁶ cells = 100 km² at 10 m).
const MAX_IGNITION_AREA_CELLS: f64 = 1.0e6;

fn finite(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !v.is_finite() {
        p.push(fe(path.into(), format!("{v}: must be a finite number")));
    }
}
fn nonneg(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(v.is_finite() && v >= 0.0) {
        p.push(fe(path.into(), format!("{v}: must be >= 0")));
    }
}
fn positive(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(v.is_finite() && v > 0.0) {
        p.push(fe(path.into(), format!("{v}: must be > 0")));
    }
}
fn prob(p: &mut Vec<FieldError>, path: &str, v: f64) {
    if !(0.0..=1.0).contains(&v) {
        p.push(fe(
            path.into(),
            format!("{v}: must be a probability in [0, 1]"),
        ));
    }
}
fn counts(p: &mut Vec<FieldError>, path: &str, c: &[f64]) {
    if let Some(i) = c.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        p.push(fe(
            format!("{path}[{i}]"),
            format!("{}: must be >= 0", c[i]),
        ));
    }
}
fn polygon(p: &mut Vec<FieldError>, path: &str, v: &[[f64; 2]]) {
    if v.len() < 3 {
        p.push(fe(
            path.into(),
            format!("{} vertices: needs at least 3", v.len()),
        ));
    }
    if v.len() > 1_000_000 {
        p.push(fe(
            path.into(),
            format!("{} vertices: at most 1000000", v.len()),
        ));
    }
    if let Some(i) = v
        .iter()
        .position(|q| !(q[0].is_finite() && q[1].is_finite()))
    {
        p.push(fe(
            format!("{path}[{i}]"),
            "coordinates must be finite".into(),
        ));
    }
}

/// A study that passed every check of [`Study::validate`] — the input of
/// [`crate::risk::scenario::resolve`]. It can only be made by [`ValidStudy::new`], so holding
/// one means the checks ran once and passed; the engine never re-checks. Derefs to the
/// [`Study`] for reading; it carries the study's substance database (built-in + user).
#[derive(Debug, Clone)]
pub struct ValidStudy {
    study: Study,
    db: SubstanceDb,
}

impl ValidStudy {
    /// Validates `study` (every problem with its field path).
    ///
    /// # Errors
    /// [`QraError::InvalidDocument`] listing every problem.
    pub fn new(study: Study) -> Result<ValidStudy> {
        let problems = study.validate();
        if !problems.is_empty() {
            return Err(QraError::InvalidDocument {
                source_name: "study".into(),
                problems,
            });
        }
        let db = study.substance_db()?;
        Ok(ValidStudy { study, db })
    }

    /// The substance database of the study (built-in + user substances).
    pub fn substances(&self) -> &SubstanceDb {
        &self.db
    }

    /// The study.
    pub fn study(&self) -> &Study {
        &self.study
    }
}

impl std::ops::Deref for ValidStudy {
    type Target = Study;
    fn deref(&self) -> &Study {
        &self.study
    }
}

impl ValidStudy {
    /// A study derived from a valid one by the scenario stage (linear sources expanded into
    /// release points by [`crate::risk::scenario::resolve`]): valid by construction.
    pub(crate) fn expanded(study: Study, db: SubstanceDb) -> ValidStudy {
        ValidStudy { study, db }
    }

    /// The study and its substance database, moved out (the scenario stage expands the study
    /// in place instead of copying it).
    pub(crate) fn into_parts(self) -> (Study, SubstanceDb) {
        (self.study, self.db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The check of a head-count list names its first bad value (NaN, ±∞, negative), found
    /// here by a separate scan: bad values anywhere, several, or none.
    fn first_bad_reference(c: &[f64]) -> Option<usize> {
        c.iter()
            .position(|v| v.is_nan() || v.is_infinite() || *v < 0.0)
    }

    proptest! {
        #[test]
        fn counts_names_the_first_bad_value(
            len in 0usize..5000,
            bad in proptest::collection::vec((0usize..5000, 0usize..4), 0..4),
        ) {
            let mut c: Vec<f64> = (0..len).map(|i| (i % 7) as f64 * 0.5).collect();
            for &(at, kind) in &bad {
                if at < len {
                    c[at] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e-300][kind];
                }
            }
            let mut p = Vec::new();
            counts(&mut p, "population.rasters[0].counts", &c);
            match first_bad_reference(&c) {
                None => prop_assert!(p.is_empty()),
                Some(i) => {
                    prop_assert_eq!(p.len(), 1);
                    prop_assert_eq!(&p[0].path, &format!("population.rasters[0].counts[{i}]"));
                }
            }
        }
    }

    /// The events are checked in parallel, but their problems are listed as one-by-one checks
    /// list them: by event, each event's id before its values. The reference is the list
    /// written by hand for the problems planted in 40 copies of the analytic demo's first
    /// event (negative frequencies at 3, 17, 18 and 39, a repeated id at 17 and 25).
    #[test]
    fn event_problems_keep_the_event_order() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../models/studies/analytic_demo.toml");
        let mut study = Study::from_file(&path).expect("analytic demo");
        let first = study.events[0].clone();
        study.events = (0..40)
            .map(|i| {
                let mut e = first.clone();
                e.id = format!("e{i}");
                e
            })
            .collect();
        for i in [3, 17, 18, 39] {
            study.events[i].loc = None;
            study.events[i].frequency_per_year = Some(-1.0);
        }
        study.events[17].id = "e2".into();
        study.events[25].id = "e2".into();
        let got: Vec<String> = study
            .validate()
            .into_iter()
            .map(|e| e.path)
            .filter(|p| p.starts_with("events"))
            .collect();
        let want = [
            "events[3].frequency_per_year",
            "events[17].id",
            "events[17].frequency_per_year",
            "events[18].frequency_per_year",
            "events[25].id",
            "events[39].frequency_per_year",
        ];
        assert_eq!(got, want);
    }

    /// −0 is a head count of zero (≥ 0), not an error.
    #[test]
    fn negative_zero_is_a_count() {
        let mut p = Vec::new();
        counts(&mut p, "c", &[0.0, -0.0, 3.0]);
        assert!(p.is_empty());
    }
}
