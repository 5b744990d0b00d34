//! The one error type of qra, and the validation helpers every constructor uses.
//!
//! Pattern (after `statrs`): validate once, in the constructor, and return a typed error that names
//! the **argument**, the **value** and the **rule** it broke (`wind_speed_m_s = -2: must be > 0`).
//! Hot paths then work on plain `f64` and cannot fail.

use std::fmt;

/// Result alias used throughout qra.
pub type Result<T, E = QraError> = std::result::Result<T, E>;

/// One problem found while loading a structured input (study file, substance table, …).
///
/// `path` is the field path (`events[3].frequency_per_year`), `line` the 1-based line in the
/// source file where it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field path in the input document, e.g. `substance[2].molar_mass_kg_mol`.
    pub path: String,
    /// 1-based line in the source text, where known.
    pub line: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

impl FieldError {
    /// A problem at `path` without a known line.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Every error qra can return.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QraError {
    /// An argument is NaN, infinite, negative, out of range or inconsistent with another one.
    #[error("{argument} = {value}: {rule}")]
    InvalidInput {
        /// Argument name as the user wrote it (with its unit suffix).
        argument: String,
        /// The offending value, formatted.
        value: String,
        /// The rule it breaks, e.g. "must be > 0".
        rule: String,
    },
    /// A name (substance, stability class, model, criteria set…) is not known.
    #[error("unknown {kind} '{name}'{}", did_you_mean(.suggestions))]
    UnknownName {
        /// What kind of name it is ("substance", "stability class", …).
        kind: String,
        /// The name given.
        name: String,
        /// Close matches, best first (may be empty).
        suggestions: Vec<String>,
    },
    /// An input is larger than the configured safety limit (grid cells, events, file size…).
    #[error("{argument} = {value}: exceeds the limit of {limit}")]
    ResourceLimit {
        /// What is too large.
        argument: String,
        /// Its size.
        value: String,
        /// The limit in force.
        limit: String,
    },
    /// A structured input (study file, substance table) has one or more problems.
    #[error("{} problem(s) in {source_name}:\n{}", .problems.len(), list(.problems))]
    InvalidDocument {
        /// Which document (file name or "study").
        source_name: String,
        /// Every problem found, not only the first.
        problems: Vec<FieldError>,
    },
    /// A numerical procedure did not converge or left its domain.
    #[error("numerical failure in {model}: {message}")]
    Numerical {
        /// Model or routine name.
        model: String,
        /// What happened.
        message: String,
    },
    /// A long computation was cancelled through its control handle (e.g. Ctrl-C in Python).
    #[error("cancelled: {what}")]
    Cancelled {
        /// What was cancelled.
        what: String,
    },
    /// A capability that is planned but not available in this version.
    #[error("not yet implemented: {feature}")]
    NotImplemented {
        /// What is missing.
        feature: String,
    },
}

fn did_you_mean(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", s.join(", "))
    }
}

fn list(p: &[FieldError]) -> String {
    p.iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl QraError {
    /// Builds an [`QraError::InvalidInput`].
    pub fn invalid(
        argument: impl Into<String>,
        value: impl fmt::Display,
        rule: impl Into<String>,
    ) -> Self {
        QraError::InvalidInput {
            argument: argument.into(),
            value: value.to_string(),
            rule: rule.into(),
        }
    }

    /// Builds an [`QraError::UnknownName`] with up to five close matches from `known`
    /// (Jaro–Winkler similarity ≥ 0.8, or a case-insensitive substring match).
    pub fn unknown<'a>(kind: &str, name: &str, known: impl IntoIterator<Item = &'a str>) -> Self {
        let lower = name.to_lowercase();
        let mut scored: Vec<(f64, &str)> = known
            .into_iter()
            .map(|k| {
                let kl = k.to_lowercase();
                let mut s = strsim::jaro_winkler(&lower, &kl);
                if !lower.is_empty() && (kl.contains(&lower) || lower.contains(&kl)) {
                    s = s.max(0.9);
                }
                (s, k)
            })
            .filter(|(s, _)| *s >= 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut suggestions: Vec<String> = Vec::new();
        for (_, k) in scored {
            if !suggestions.iter().any(|s| s == k) {
                suggestions.push(k.to_string());
            }
            if suggestions.len() == 5 {
                break;
            }
        }
        QraError::UnknownName {
            kind: kind.to_string(),
            name: name.to_string(),
            suggestions,
        }
    }

    /// Builds a [`QraError::NotImplemented`].
    pub fn not_yet(feature: impl Into<String>) -> Self {
        QraError::NotImplemented {
            feature: feature.into(),
        }
    }
}

/// Validation helpers for constructors. Each returns the value on success so that checks compose:
/// `let d = check::positive("diameter_m", d)?;`
pub mod check {
    use super::{QraError, Result};

    /// `v` must be a finite number (not NaN, not ±∞).
    pub fn finite(argument: &str, v: f64) -> Result<f64> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(QraError::invalid(argument, v, "must be a finite number"))
        }
    }

    /// `v` must be finite and > 0.
    pub fn positive(argument: &str, v: f64) -> Result<f64> {
        finite(argument, v)?;
        if v > 0.0 {
            Ok(v)
        } else {
            Err(QraError::invalid(argument, v, "must be > 0"))
        }
    }

    /// `v` must be finite and ≥ 0.
    pub fn non_negative(argument: &str, v: f64) -> Result<f64> {
        finite(argument, v)?;
        if v >= 0.0 {
            Ok(v)
        } else {
            Err(QraError::invalid(argument, v, "must be >= 0"))
        }
    }

    /// `v` must be a probability, 0 ≤ v ≤ 1.
    pub fn probability(argument: &str, v: f64) -> Result<f64> {
        in_range(argument, v, 0.0, 1.0)
    }

    /// `v` must be finite and in the closed interval `[lo, hi]`.
    pub fn in_range(argument: &str, v: f64, lo: f64, hi: f64) -> Result<f64> {
        finite(argument, v)?;
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(QraError::invalid(
                argument,
                v,
                format!("must be in [{lo}, {hi}]"),
            ))
        }
    }

    /// `a` must be strictly less than `b`.
    pub fn less_than(arg_a: &str, a: f64, arg_b: &str, b: f64) -> Result<()> {
        if a < b {
            Ok(())
        } else {
            Err(QraError::invalid(
                arg_a,
                a,
                format!("must be < {arg_b} = {b}"),
            ))
        }
    }

    /// Every element of `values` must be finite; the error names the first bad index.
    pub fn all_finite(argument: &str, values: &[f64]) -> Result<()> {
        match values.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(i) => Err(QraError::invalid(
                format!("{argument}[{i}]"),
                values[i],
                "must be a finite number",
            )),
        }
    }

    /// Every element of `values` must be finite and ≥ 0; the error names the first bad index.
    pub fn all_non_negative(argument: &str, values: &[f64]) -> Result<()> {
        match values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            None => Ok(()),
            Some(i) => Err(QraError::invalid(
                format!("{argument}[{i}]"),
                values[i],
                "must be finite and >= 0",
            )),
        }
    }

    /// A size (count of cells, events, vertices…) must not exceed `limit`.
    pub fn size_limit(argument: &str, size: u128, limit: u128) -> Result<()> {
        if size <= limit {
            Ok(())
        } else {
            Err(QraError::ResourceLimit {
                argument: argument.to_string(),
                value: size.to_string(),
                limit: limit.to_string(),
            })
        }
    }

    /// A count computed in floating point (`span / step`, a product of such counts) must be
    /// finite and at most `limit`; returns it as `usize`. Check the count *before* converting it:
    /// `f64 as usize` saturates and a following `+ 1` or product would wrap (issue 21).
    pub fn count_limit(argument: &str, count: f64, limit: usize) -> Result<usize> {
        if count.is_finite() && count >= 0.0 && count <= limit as f64 {
            Ok(count as usize)
        } else {
            Err(QraError::ResourceLimit {
                argument: argument.to_string(),
                value: format!("{count:e}"),
                limit: limit.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_argument_value_and_rule() {
        let e = check::positive("wind_speed_m_s", -2.0).unwrap_err();
        assert_eq!(e.to_string(), "wind_speed_m_s = -2: must be > 0");
        let e = check::finite("x_m", f64::NAN).unwrap_err();
        assert_eq!(e.to_string(), "x_m = NaN: must be a finite number");
        let e = check::probability("p", 1.5).unwrap_err();
        assert_eq!(e.to_string(), "p = 1.5: must be in [0, 1]");
    }

    type Check = fn(&str, f64) -> Result<f64>;

    #[test]
    fn check_table() {
        let ok: &[(Check, f64)] = &[
            (check::finite, -1e300),
            (check::positive, 1e-300),
            (check::non_negative, 0.0),
            (check::probability, 0.0),
            (check::probability, 1.0),
        ];
        for (f, v) in ok {
            assert!(f("a", *v).is_ok(), "{v}");
        }
        let bad: &[(Check, f64)] = &[
            (check::finite, f64::INFINITY),
            (check::positive, 0.0),
            (check::positive, f64::NAN),
            (check::non_negative, -1e-300),
            (check::probability, -0.0001),
            (check::probability, f64::NAN),
        ];
        for (f, v) in bad {
            assert!(f("a", *v).is_err(), "{v}");
        }
        assert!(check::all_finite("xs", &[1.0, f64::NAN])
            .unwrap_err()
            .to_string()
            .starts_with("xs[1] = NaN"));
        assert!(matches!(
            check::size_limit("cells", 10u128.pow(12), 10u128.pow(8)),
            Err(QraError::ResourceLimit { .. })
        ));
    }

    #[test]
    fn unknown_names_suggest_close_matches() {
        let known = ["chlorine", "chloroform", "ammonia", "hydrogen chloride"];
        let e = QraError::unknown("substance", "chlorin", known);
        match &e {
            QraError::UnknownName { suggestions, .. } => assert_eq!(suggestions[0], "chlorine"),
            _ => panic!("wrong variant"),
        }
        assert!(e.to_string().contains("did you mean: chlorine"));
        let e = QraError::unknown("substance", "zzzz", known);
        assert_eq!(e.to_string(), "unknown substance 'zzzz'");
    }
}
