//! Reading TOML the way a writer wants it read: every error of a file at once, each at its
//! line and column, with the closest valid key named for an unknown one.
//!
//! `toml` stops at the first error; `site.toml`, articles' front matter and sections' `_index.md`
//! are read through `parse`, which keeps looking (`recover`) and gives the value without what
//! was wrong in it, so the checks made after can still run on the rest.

mod recover;

use std::collections::BTreeSet;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// A block of TOML read as `T`, with every error found in it.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value without what was wrong in it; `None` when the block could not be read.
    pub value: Option<T>,
    /// In line order.
    pub errors: Vec<Diagnostic>,
    /// Top-level fields left out whole because they were wrong.
    pub dropped: BTreeSet<String>,
}

impl<T> Parsed<T> {
    /// The value, when the block had no error at all.
    pub fn into_result(self) -> Result<T, Vec<Diagnostic>> {
        match self.value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors),
        }
    }
}

/// The parse errors and those of the `checks` made on the value after, in line order, leaving
/// out the checks about a dropped field: its error is already there (a wrong `title` is not
/// also missing). A check's message starts with its field, `title: ...`.
pub fn with_checks(
    errors: Vec<Diagnostic>,
    dropped: &BTreeSet<String>,
    checks: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let about_dropped = |d: &Diagnostic| {
        d.message
            .split_once(':')
            .is_some_and(|(field, _)| dropped.contains(field))
    };
    let mut all = errors;
    all.extend(checks.into_iter().filter(|d| !about_dropped(d)));
    recover::sort_by_line(&mut all);
    all
}

/// Parses `text` (which starts on line `first_line` of the file at `path`) as `T`, reporting
/// every error in it, each at its line and column in the file.
pub fn parse<T: DeserializeOwned>(text: &str, first_line: usize, path: &Path) -> Parsed<T> {
    match toml::from_str(text) {
        Ok(value) => Parsed {
            value: Some(value),
            errors: Vec::new(),
            dropped: BTreeSet::new(),
        },
        // Only a refused block pays for the search.
        Err(error) => {
            let mut parsed = recover::recover(text, first_line, path);
            // The search finds the error `toml` gave first; should it not, that error stands.
            if parsed.errors.is_empty() {
                parsed
                    .errors
                    .push(toml_diagnostic(path, text, first_line, &error));
                parsed.value = None;
            }
            parsed
        }
    }
}

/// Turns a TOML error into a diagnostic at its line and column, naming the closest valid key
/// when the error is an unknown key. `first_line` is the file line where `text` starts.
pub fn toml_diagnostic(
    path: &Path,
    text: &str,
    first_line: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let key = error
        .span()
        .and_then(|span| key_of_value_at(text, span.start));
    toml_diagnostic_about(path, text, first_line, error, key)
}

/// As `toml_diagnostic`, with the field the error is about named by the caller, who knows it
/// better than the error's line does (`quotes[1].text`, or a list whose line has no `=`).
pub fn toml_diagnostic_about(
    path: &Path,
    text: &str,
    first_line: usize,
    error: &toml::de::Error,
    field: Option<&str>,
) -> Diagnostic {
    let message = describe_toml_error(error.message());
    let message = match field {
        Some(field) => format!("{field}: {message}"),
        None => message,
    };
    let diagnostic = Diagnostic::error(path, message);
    match error.span() {
        Some(span) => diagnostic.at_offset(text, span.start, first_line),
        None => diagnostic,
    }
}

/// The key of a `key = value` line when `offset` points into its value, so that a type error
/// says which field it is about.
pub(crate) fn key_of_value_at(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..offset)?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain.then_some(key)
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a suggestion.
fn describe_toml_error(message: &str) -> String {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((unknown, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let valid: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect();
    let closest = valid
        .iter()
        .map(|v| (strsim::jaro_winkler(unknown, v), *v))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, suggestion)) => {
            format!("unknown key `{unknown}`; did you mean `{suggestion}`?")
        }
        None => format!(
            "unknown key `{unknown}`; valid keys here are: {}",
            valid.join(", ")
        ),
    }
}
