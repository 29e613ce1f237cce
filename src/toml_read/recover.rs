//! Every error of a TOML block (a front matter, `site.toml`), not only the first one `toml`
//! stops at.
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
//! `LIMIT` rounds of each kind, so the search ends on any input. The fields removed whole are
//! listed, so that the checks that follow do not report them again (a wrong `title` is not also
//! missing).
//!
//! A block that parses costs what it did before: the search starts only when `toml` refuses it.
//! Each syntax error costs one parse of the block; the worst case, 3,000 broken lines (38 KB),
//! takes the 64 rounds in about 0.2 s of a release build, 86% of it in `toml`'s parser.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, Deserializer};

use super::{Parsed, key_of_value_at, toml_diagnostic_about};
use crate::error::{Diagnostic, line_column};

/// The most errors looked for in one block, of each kind.
const LIMIT: usize = 64;

/// Reads a block that `toml` refused, finding all its errors.
pub(super) fn recover<T: DeserializeOwned>(
    text: &str,
    first_line: usize,
    path: &Path,
) -> Parsed<T> {
    let mut search = Search {
        text,
        first_line,
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
    fn report(&mut self, error: &toml::de::Error, field: Option<&str>) -> &mut Diagnostic {
        let (path, text, line) = (self.path, self.text, self.first_line);
        self.errors
            .push(toml_diagnostic_about(path, text, line, error, field));
        let last = self.errors.len() - 1;
        &mut self.errors[last]
    }

    /// Blanks the statement of each syntax error until the text parses, and returns that text;
    /// `None` when it never does.
    fn blank_syntax_errors(&mut self) -> Option<String> {
        let mut work = self.text.to_string();
        for _ in 0..LIMIT {
            // One parse a round: the first error of the recovering parser is the one `parse`
            // reports, and what it recovered shows the statement that error is in.
            let (table, errors) = DeTable::parse_recoverable(&work);
            let Some(error) = errors.into_iter().next() else {
                return Some(work);
            };
            let Some(span) = error.span() else {
                self.report(&error, None);
                return None;
            };
            let statement = statement_at(&work, table.get_ref(), span.clone());
            let hint = self.unclosed_hint(&work, &statement.range, &span);
            self.report(&error, statement.field.as_deref())
                .message
                .push_str(&hint);
            if !self.blank(&mut work, statement.range) {
                return None;
            }
        }
        None
    }

    /// A statement that the parser saw run from an earlier line to the end of the block is an
    /// array or string left open: the error is at the end, so say where it began.
    fn unclosed_hint(&self, work: &str, statement: &Range<usize>, span: &Range<usize>) -> String {
        let line_of = |offset| line_column(self.text, offset).0 + self.first_line - 1;
        let (start, error) = (line_of(statement.start), line_of(span.start));
        if statement.end < work.trim_end().len() || start >= error {
            return String::new();
        }
        format!(
            " (the value begun on line {start} runs to the end of the front matter: is a closing bracket or quote missing?)"
        )
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
            // The same place again: taking its value away did not help.
            if error.span().is_some() && error.span() == previous {
                return None;
            }
            let found = self.report_wrong_value(&error, table.get_ref(), original.get_ref())?;
            if let [only] = found.as_slice()
                && let At::Key(key) = &only.at
            {
                self.dropped.insert(key.clone());
            }
            remove_in_table(table.get_mut(), &found);
            previous = error.span();
        }
        None
    }

    /// Reports a deserialization error, named by its place in the block as written, and
    /// returns the path to its value in `table`; `None` when it has no value to take away.
    fn report_wrong_value(
        &mut self,
        error: &toml::de::Error,
        table: &DeTable<'_>,
        original: &DeTable<'_>,
    ) -> Option<Vec<Step>> {
        let found = error
            .span()
            .map(|span| locate_in_table(table, &span))
            .filter(|found| !found.is_empty());
        let Some(span) = error.span().filter(|_| found.is_some()) else {
            self.report(error, None);
            return None;
        };
        // Named in the original: taking elements away shifts the indices of the others.
        let named = locate_in_table(original, &span);
        // An unknown key's message names the key: name where it is instead.
        let named = match names_itself(&named, &span) {
            true => &named[..named.len() - 1],
            false => &named[..],
        };
        let field = Some(path_name(named)).filter(|name| !name.is_empty());
        self.report(error, field.as_deref());
        found
    }
}

/// What a syntax error spoils: the text to blank, and the field to name in its message.
struct Statement {
    range: Range<usize>,
    field: Option<String>,
}

/// The outermost statement holding `span` in `work`, found in `table`, what the recovering
/// parser made of `work`. A table header is a statement with the keys under it; when no
/// statement is found, the error's line.
fn statement_at(work: &str, table: &DeTable<'_>, span: Range<usize>) -> Statement {
    if let Some(statement) = header_section(work, &span) {
        return statement;
    }
    let path = locate_in_table(table, &span);
    let outer = path
        .iter()
        .position(|step| matches!(step.at, At::Key(_)) && holds(&step.range, &span));
    let Some(outer) = outer else {
        // The key of the error's line: a duplicate key is reported at the key.
        let line = whole_lines(work.as_bytes(), span.clone());
        let field = key_of_value_at(work, line.end).map(str::to_string);
        return Statement { range: span, field };
    };
    // Named by its own key, not by what the parser made of the rest: after an unclosed
    // bracket, the keys below look like members of the open value.
    let range = &path[outer].range;
    Statement {
        range: range.start.min(span.start)..range.end.max(span.end),
        field: Some(path_name(&path[..=outer])).filter(|name| !name.is_empty()),
    }
}

/// When `span` is on a table header line (`[extra`), the header and the lines under it, up to
/// the next header: without their header, those keys would be misread as top-level ones.
fn header_section(work: &str, span: &Range<usize>) -> Option<Statement> {
    let header = whole_lines(work.as_bytes(), span.clone());
    let line = work[header.clone()].trim();
    if !line.starts_with('[') {
        return None;
    }
    let name = line.trim_matches(['[', ']']).trim();
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let mut end = header.end;
    for line in work[header.end..].split_inclusive('\n').skip(1) {
        if line.trim_start().starts_with('[') {
            break;
        }
        end += line.len();
    }
    Some(Statement {
        range: header.start..end,
        field: plain.then(|| name.to_string()),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{FrontMatter, parse, split};

    /// An article's front matter block read as a whole file would be.
    fn parsed(block: &str) -> Parsed<FrontMatter> {
        let text = format!("+++\n{block}+++\nBody\n");
        let path = Path::new("content/x.md");
        parse(&split(&text, path).unwrap(), path)
    }

    /// Every error of the block, as printed.
    fn errors_of(block: &str) -> Vec<String> {
        parsed(block)
            .errors
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const UNCLOSED: &str = "(the value begun on line 3 runs to the end of the front matter: is a closing bracket or quote missing?)";

    #[test]
    fn every_wrong_field_is_an_error_at_its_line_and_column() {
        let block = "title = \"A\"\ndate = 2024-13-01\nweight = \"heavy\"\ndraft = \"no\"\n";
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:3:8: date: invalid date, expected month between 01 and 12",
                "content/x.md:4:10: weight: invalid type: string \"heavy\", expected i64",
                "content/x.md:5:9: draft: invalid type: string \"no\", expected a boolean",
            ]
        );
    }

    #[test]
    fn one_bad_element_of_a_list_costs_only_itself() {
        let block = concat!(
            "aliases = [\n  \"/a/\",\n  3,\n  4,\n  \"/b/\",\n]\n",
            "[[quotes]]\ntext = \"t\"\nspeaker = \"s\"\n",
            "[[quotes]]\ntext = 1\nspeaker = \"s\"\n",
            "[taxonomies]\ntopics = [1, \"world\"]\n",
        );
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:4:3: aliases[1]: invalid type: integer `3`, expected a string",
                "content/x.md:5:3: aliases[2]: invalid type: integer `4`, expected a string",
                "content/x.md:12:8: quotes[1].text: invalid type: integer `1`, expected a string",
                "content/x.md:15:11: taxonomies.topics[0]: invalid type: integer `1`, expected a string",
            ]
        );
        let parsed = parsed(block);
        assert!(parsed.dropped.is_empty(), "{:?}", parsed.dropped);
        let fm = parsed.value.unwrap();
        let aliases: Vec<&str> = fm.aliases.iter().map(|a| a.get_ref().as_str()).collect();
        assert_eq!(aliases, ["/a/", "/b/"]);
        // Only the wrong `text` went; a quote's fields all have defaults.
        assert_eq!(fm.quotes[1].speaker, "s");
        assert_eq!(fm.taxonomies["topics"], ["world"]);
    }

    #[test]
    fn a_syntax_error_does_not_hide_the_errors_after_it() {
        let block = "title = \"A\"\ndek = \"open\nweight = 3 4\ndraft = 1\n";
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:3:12: dek: invalid basic string, expected `\"`",
                "content/x.md:4:10: weight: string values must be quoted, expected literal string",
                "content/x.md:5:9: draft: invalid type: integer `1`, expected a boolean",
            ]
        );
        let parsed = parsed(block);
        let dropped: Vec<&str> = parsed.dropped.iter().map(String::as_str).collect();
        assert_eq!(dropped, ["dek", "draft", "weight"]);
        assert_eq!(parsed.value.unwrap().title.unwrap().into_inner(), "A");
    }

    #[test]
    fn a_missing_comma_in_a_closed_list_is_one_error() {
        let block = "topics = [\n  \"a\"\n  \"b\",\n]\nweight = \"x\"\n";
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:4:3: topics: missing comma between array elements, expected `,`",
                "content/x.md:6:10: weight: invalid type: string \"x\", expected i64",
            ]
        );
    }

    #[test]
    fn a_value_left_open_is_one_error_saying_where_it_began() {
        for (open, error) in [
            ("dek = \"\"\"a\n", "dek: invalid multi-line basic string"),
            ("dek = '''a\n", "dek: invalid multi-line literal string"),
            ("topics = [\"a\",\n", "topics: unexpected `=` in array"),
            (
                "topics = [\"a\"\n",
                "topics: missing comma between array elements",
            ),
            (
                "quotes = [{ text = \"a\"\n",
                "quotes: missing comma between key-value pairs",
            ),
        ] {
            let block = format!("title = \"A\"\n{open}weight = \"x\"\ndraft = 1\n");
            let errors = errors_of(&block);
            assert_eq!(errors.len(), 1, "{errors:#?}");
            assert!(errors[0].contains(error), "{errors:#?}");
            assert!(errors[0].ends_with(UNCLOSED), "{errors:#?}");
        }
    }

    #[test]
    fn a_broken_table_header_takes_its_keys_with_it() {
        let block = "title = \"A\"\n[extra\nfoo = 1\n[taxonomies]\ntopics = [1]\n";
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:3:7: extra: unclosed table, expected `]`",
                "content/x.md:6:11: taxonomies.topics[0]: invalid type: integer `1`, expected a string",
            ]
        );
    }

    #[test]
    fn an_unknown_key_is_named_where_it_is() {
        let block = "nope = 1\nquotes = [{ text = \"a\", spekaer = \"b\" }]\ntitle = \"A\"\ntitle = \"B\"\n";
        let errors = errors_of(block);
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(
            errors[0]
                .starts_with("content/x.md:2:1: unknown key `nope`; valid keys here are: title, "),
            "{errors:#?}"
        );
        assert_eq!(
            errors[1],
            "content/x.md:3:25: quotes[0]: unknown key `spekaer`; did you mean `speaker`?"
        );
        assert_eq!(errors[2], "content/x.md:5:1: title: duplicate key");
    }

    #[test]
    fn columns_count_characters_after_a_blanked_line() {
        let block = "title = \"é\" x\ndek = \"ü\" = 1\nweight = \"ö\"\n";
        assert_eq!(
            errors_of(block),
            [
                "content/x.md:2:13: title: unexpected key or value, expected newline, `#`",
                "content/x.md:3:11: dek: unexpected key or value, expected newline, `#`",
                "content/x.md:4:10: weight: invalid type: string \"ö\", expected i64",
            ]
        );
    }

    #[test]
    fn the_search_stops_at_its_limit() {
        let syntax: String = (0..200).map(|i| format!("k{i} = bare\n")).collect();
        let unknown: String = (0..200).map(|i| format!("k{i} = 1\n")).collect();
        for block in [syntax, unknown] {
            let parsed = parsed(&block);
            assert_eq!(parsed.errors.len(), LIMIT);
            assert!(parsed.value.is_none());
        }
    }

    #[test]
    fn blanking_keeps_every_offset_and_newline() {
        let mut search = Search {
            text: "",
            first_line: 1,
            path: Path::new("x"),
            errors: Vec::new(),
            dropped: BTreeSet::new(),
        };
        let mut work = "a = 1\nb = \"é\" x\nc = 3\n".to_string();
        assert!(search.blank(&mut work, 8..9));
        let blank_b = " ".repeat("b = \"é\" x".len());
        assert_eq!(work, format!("a = 1\n{blank_b}\nc = 3\n"));
        assert!(
            !search.blank(&mut work, 8..9),
            "a blank line is no progress"
        );
        assert_eq!(search.dropped.iter().collect::<Vec<_>>(), ["b"]);
    }
}
