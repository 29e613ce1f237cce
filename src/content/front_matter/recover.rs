//! Every error of a front matter block, not only the first one `toml` stops at.
//!
//! `toml` reports one error per parse, so a file with three wrong fields would take three builds
//! to fix. When a block does not parse, its errors are found one at a time, and the cause of
//! each is taken out of the way before looking again:
//!
//! - A syntax error blanks the lines of the whole statement it is in (spaces; newlines kept, so
//!   every offset, line and column stays as in the file). The statement is found with `toml`'s
//!   recovering parser. A whole statement goes, not only the error's line, because the rest of a
//!   broken multi-line array or string would otherwise be read as more (made-up) errors; an
//!   unclosed array or string runs to the end of the block, so it is one error, not one a line.
//! - A value of the wrong type, or an unknown key, is removed from the parsed table: the
//!   innermost entry or array element that holds it, so one bad element of a list costs only
//!   itself and the other elements are still checked. Nothing is re-parsed, so removing a value
//!   can never make a syntax error.
//!
//! Each round takes away at least one non-blank character or one value, and there are at most
//! `LIMIT` rounds, so the search ends on any input. The fields removed whole are listed, so that
//! the checks that follow do not report them again (a wrong `title` is not also missing).

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

use super::{Parsed, Split};
use crate::config::{key_of_value_at, toml_diagnostic, toml_diagnostic_about};
use crate::error::Diagnostic;

/// The most errors looked for in one block, of each kind.
const LIMIT: usize = 64;

/// Reads a block that `toml` refused, finding all its errors.
pub(super) fn recover<T: DeserializeOwned>(split: &Split<'_>, path: &Path) -> Parsed<T> {
    let mut search = Search {
        text: split.front_matter,
        first_line: split.front_matter_line,
        path,
        errors: Vec::new(),
        dropped: BTreeSet::new(),
    };
    let value = search
        .blank_syntax_errors()
        .and_then(|text| search.drop_wrong_values(&text));
    let mut errors = search.errors;
    sort_by_line(&mut errors);
    Parsed {
        value,
        errors,
        dropped: search.dropped,
    }
}

/// Orders diagnostics by line, keeping the order of those on one line; those without a line go
/// last.
pub(super) fn sort_by_line(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
}

/// What the search has found so far in one block.
struct Search<'a> {
    /// The block as written: every diagnostic is placed in it.
    text: &'a str,
    first_line: usize,
    path: &'a Path,
    errors: Vec<Diagnostic>,
    /// Top-level keys that may have been taken out whole.
    dropped: BTreeSet<String>,
}

impl Search<'_> {
    fn report(&mut self, error: &toml::de::Error, field: Option<&str>) {
        let (path, text, line) = (self.path, self.text, self.first_line);
        self.errors.push(match field {
            Some(field) => toml_diagnostic_about(path, text, line, error, Some(field)),
            None => toml_diagnostic(path, text, line, error),
        });
    }

    /// Blanks the statement of each syntax error until the text parses, and returns that text;
    /// `None` when it never does.
    fn blank_syntax_errors(&mut self) -> Option<String> {
        let mut work = self.text.to_string();
        for _ in 0..LIMIT {
            let Err(error) = DeTable::parse(&work) else {
                return Some(work);
            };
            let Some(span) = error.span() else {
                self.report(&error, None);
                return None;
            };
            let (statement, field) = statement_at(&work, span);
            self.report(&error, field.as_deref());
            if !self.blank(&mut work, statement) {
                return None;
            }
        }
        None
    }

    /// Blanks the whole lines that `range` touches, noting their keys; false when they were
    /// blank already (nothing left to take away).
    fn blank(&mut self, work: &mut String, range: Range<usize>) -> bool {
        let lines = whole_lines(work.as_bytes(), range);
        let old = &work[lines.clone()];
        if old.trim().is_empty() {
            return false;
        }
        for line in old.lines() {
            if let Some(key) = key_of_value_at(line, line.len()) {
                let top = key.split('.').next().unwrap_or(key);
                self.dropped.insert(top.trim_matches('"').to_string());
            }
        }
        // One space a byte, so that every offset after the blank stays where it was.
        let blanked: String = old
            .chars()
            .map(|c| match c {
                '\n' => "\n".to_string(),
                _ => " ".repeat(c.len_utf8()),
            })
            .collect();
        work.replace_range(lines, &blanked);
        true
    }

    /// Deserializes `text` (which parses), removing each value serde refuses, and returns what
    /// is left; `None` when an error cannot be placed on a value.
    fn drop_wrong_values<T: DeserializeOwned>(&mut self, text: &str) -> Option<T> {
        let original = DeTable::parse(text).ok()?;
        let mut table = original.clone();
        let mut previous = None;
        for _ in 0..LIMIT {
            let error = match T::deserialize(Deserializer::from(table.clone())) {
                Ok(value) => {
                    let left = table.get_ref();
                    self.dropped.retain(|key| !left.contains_key(key.as_str()));
                    return Some(value);
                }
                Err(error) => error,
            };
            if error.span().is_some() && error.span() == previous {
                return None;
            }
            let span = error.span().unwrap_or_default();
            let found = locate_in_table(table.get_ref(), &span);
            if error.span().is_none() || found.is_empty() {
                self.report(&error, None);
                return None;
            }
            let named = locate_in_table(original.get_ref(), &span);
            let field = (!names_itself(&named, &span)).then(|| path_name(&named));
            self.report(&error, field.as_deref());
            if let [
                Step {
                    at: At::Key(key), ..
                },
            ] = found.as_slice()
            {
                self.dropped.insert(key.clone());
            }
            remove_in_table(table.get_mut(), &found);
            previous = Some(span);
        }
        None
    }
}

/// The range of the outermost statement holding `span` in `work`, and the name of the field it
/// sets, found with the recovering parser; just `span` when no statement holds it.
fn statement_at(work: &str, span: Range<usize>) -> (Range<usize>, Option<String>) {
    let (table, _) = DeTable::parse_recoverable(work);
    let path = locate_in_table(table.get_ref(), &span);
    let keyed = path
        .iter()
        .rposition(|step| matches!(step.at, At::Key(_)))
        .map_or(&path[..0], |last| &path[..=last]);
    let Some(outer) = keyed.iter().find(|step| holds(&step.range, &span)) else {
        return (span, None);
    };
    let range = outer.range.start.min(span.start)..outer.range.end.max(span.end);
    (range, Some(path_name(keyed)))
}

/// Extends `range` to the whole lines it touches (without the last line's newline).
fn whole_lines(text: &[u8], range: Range<usize>) -> Range<usize> {
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    let line_start = text[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = text[end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| end + i);
    line_start..line_end
}

/// One step down a parsed table: a key or an array index, with the text it covers.
#[derive(Debug)]
struct Step {
    at: At,
    /// From the key (if any) to the end of the value.
    range: Range<usize>,
    /// The key's own text, for an unknown key.
    key: Option<Range<usize>>,
}

#[derive(Debug)]
enum At {
    Key(String),
    Index(usize),
}

/// Whether `outer` holds `inner`; an empty `inner` may sit at `outer`'s end (an unclosed value
/// is reported where the text ends).
fn holds(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The path to the innermost key or element whose text holds `span`; empty when none does.
fn locate_in_table(table: &DeTable<'_>, span: &Range<usize>) -> Vec<Step> {
    let mut path = Vec::new();
    locate_table(table, span, &mut path);
    path
}

fn locate_table(table: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<Step>) -> bool {
    table.iter().any(|(key, child)| {
        let step = Step {
            at: At::Key(key.get_ref().to_string()),
            range: entry_range(key.span(), child.span()),
            key: Some(key.span()),
        };
        visit(step, child, span, path)
    })
}

fn locate(value: &DeValue<'_>, span: &Range<usize>, path: &mut Vec<Step>) -> bool {
    match value {
        DeValue::Table(table) => locate_table(table, span, path),
        DeValue::Array(array) => array.iter().enumerate().any(|(i, child)| {
            let step = Step {
                at: At::Index(i),
                range: child.span(),
                key: None,
            };
            visit(step, child, span, path)
        }),
        _ => false,
    }
}

/// Goes down one step: true when `span` is in `child` or below it.
fn visit(
    step: Step,
    child: &Spanned<DeValue<'_>>,
    span: &Range<usize>,
    path: &mut Vec<Step>,
) -> bool {
    let here = holds(&step.range, span);
    path.push(step);
    if locate(child.get_ref(), span, path) || here {
        return true;
    }
    path.pop();
    false
}

/// A key's entry runs from its key to the end of its value; a table made by a header has the
/// header's span, and a value the recovering parser made up may have an empty one.
fn entry_range(key: Range<usize>, value: Range<usize>) -> Range<usize> {
    if value.is_empty() {
        return key;
    }
    key.start.min(value.start)..key.end.max(value.end)
}

/// Whether the error is about the key itself (an unknown key), whose message names it.
fn names_itself(path: &[Step], span: &Range<usize>) -> bool {
    path.last().and_then(|step| step.key.as_ref()) == Some(span)
}

/// `quotes[1].text`: the path as the user would write it.
fn path_name(path: &[Step]) -> String {
    let mut name = String::new();
    for step in path {
        match &step.at {
            At::Key(key) if name.is_empty() => name.push_str(key),
            At::Key(key) => {
                name.push('.');
                name.push_str(key);
            }
            At::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

/// Takes the value at `path` out of `table`.
fn remove_in_table(table: &mut DeTable<'_>, path: &[Step]) {
    match path {
        [
            Step {
                at: At::Key(key), ..
            },
        ] => {
            table.remove(key.as_str());
        }
        [
            Step {
                at: At::Key(key), ..
            },
            rest @ ..,
        ] => {
            if let Some(child) = table.get_mut(key.as_str()) {
                remove_in_value(child.get_mut(), rest);
            }
        }
        _ => {}
    }
}

fn remove_in_value(value: &mut DeValue<'_>, path: &[Step]) {
    match (value, path) {
        (DeValue::Table(table), _) => remove_in_table(table, path),
        (
            DeValue::Array(array),
            [
                Step {
                    at: At::Index(i), ..
                },
            ],
        ) => {
            let items = std::mem::replace(array, toml::de::DeArray::new());
            *array = items
                .into_iter()
                .enumerate()
                .filter_map(|(j, item)| (j != *i).then_some(item))
                .collect();
        }
        (
            DeValue::Array(array),
            [
                Step {
                    at: At::Index(i), ..
                },
                rest @ ..,
            ],
        ) => {
            if let Some(child) = array.get_mut(*i) {
                remove_in_value(child.get_mut(), rest);
            }
        }
        _ => {}
    }
}
