//! TOML front matter between `+++` lines, checked field by field.
//!
//! Zola and Hugo content builds unchanged: their `description`, `[taxonomies]`, `[extra]`,
//! `weight` and `aliases` are understood. Every error carries the line and column in the
//! Markdown file, not in the front matter block.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::error::Diagnostic;
use crate::model::{ArticleDate, Quote, RelatedHeadline};
pub use crate::toml_read::{Parsed, with_checks};

/// The front matter as written; `parse` turns it into checked values.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<Spanned<String>>,
    pub date: Option<Spanned<toml::Value>>,
    pub updated: Option<Spanned<toml::Value>>,
    pub dek: Option<String>,
    pub summary: Option<String>,
    /// Zola's and Hugo's name for a summary.
    pub description: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub source_url: Option<Spanned<String>>,
    pub image: Option<Spanned<String>>,
    pub reading_minutes: Option<u32>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<HeadlineEntry>,
    pub quotes: Vec<Quote>,
    /// Zola's taxonomies: `topics` and `tags` are read, others are kept out of the way.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: toml::Table,
    pub weight: i64,
    pub aliases: Vec<Spanned<String>>,
}

/// A related headline: a plain title, or a table with its link.
#[derive(Debug)]
pub enum HeadlineEntry {
    Title(String),
    Linked {
        title: String,
        url: Option<Spanned<String>>,
    },
}

impl<'de> Deserialize<'de> for HeadlineEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(HeadlineVisitor)
    }
}

/// Reads a headline by hand, not as an untagged enum: serde buffers an untagged enum's value,
/// which loses the place of a bad `url` (and of the bad entry itself) in the file.
struct HeadlineVisitor;

impl<'de> serde::de::Visitor<'de> for HeadlineVisitor {
    type Value = HeadlineEntry;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a headline: a string, or a table with `title` and `url`")
    }

    fn visit_str<E: serde::de::Error>(self, title: &str) -> Result<HeadlineEntry, E> {
        Ok(HeadlineEntry::Title(title.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<HeadlineEntry, A::Error> {
        let (mut title, mut url) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => title = Some(map.next_value::<String>()?),
                "url" => url = Some(map.next_value::<Spanned<String>>()?),
                // Other keys were always let through (scrapers add their own).
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let title = title.ok_or_else(|| serde::de::Error::missing_field("title"))?;
        Ok(HeadlineEntry::Linked { title, url })
    }
}

impl From<HeadlineEntry> for RelatedHeadline {
    fn from(entry: HeadlineEntry) -> Self {
        match entry {
            HeadlineEntry::Title(title) => RelatedHeadline {
                title,
                url: None,
                local_url: None,
            },
            HeadlineEntry::Linked { title, url } => RelatedHeadline {
                title,
                url: url.map(Spanned::into_inner),
                local_url: None,
            },
        }
    }
}

/// A Markdown file cut into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// The file line on which the front matter text starts.
    pub front_matter_line: usize,
    pub body: &'a str,
}

/// Finds the `+++` block at the top of a file.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let leading = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let skipped_lines = text[..leading].matches('\n').count();
    let rest = &text[leading..];
    let Some(after_open) = rest
        .strip_prefix("+++\r\n")
        .or_else(|| rest.strip_prefix("+++\n"))
    else {
        return Err(Diagnostic::error(
            path,
            "no front matter: start the file with a `+++` line, then `title = \"...\"`, then `+++`",
        )
        .at(skipped_lines + 1, 1));
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &after_open[..offset],
                front_matter_line: skipped_lines + 2,
                body: &after_open[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        "front matter is not closed: add a `+++` line after the last key",
    )
    .at(skipped_lines + 1, 1))
}

/// Parses the TOML of a front matter block (an article's, or a section's with its own `T`),
/// reporting every error in it, each at its line and column in the file.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, path: &Path) -> Parsed<T> {
    crate::toml_read::parse(split.front_matter, split.front_matter_line, path)
}

/// Reads a `date` or `updated` value: `2025-08-18`, RFC 3339, or a TOML date or date-time.
pub fn parse_date(
    field: &str,
    value: &Spanned<toml::Value>,
    split: &Split<'_>,
    path: &Path,
) -> Result<ArticleDate, Diagnostic> {
    let text = match value.get_ref() {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    };
    date_from_str(&text).ok_or_else(|| {
        Diagnostic::error(
            path,
            format!(
                "{field}: expected a date like 2025-08-18 or 2025-08-18T10:31:00Z, found {}",
                value.get_ref()
            ),
        )
        .at_offset(
            split.front_matter,
            value.span().start,
            split.front_matter_line,
        )
    })
}

/// Parses a day or an RFC 3339 moment; a date-time without offset is taken as UTC.
pub fn date_from_str(text: &str) -> Option<ArticleDate> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(ArticleDate::Day(day));
    }
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(ArticleDate::Moment(moment));
    }
    let local = text.replace(' ', "T");
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(&local, format).ok())
        .map(|naive| ArticleDate::Moment(naive.and_utc().fixed_offset()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("content/x.md")
    }

    #[test]
    fn splits_front_matter_and_body_with_line_numbers() {
        let text = "\n+++\ntitle = \"A\"\n+++\nBody\n";
        let split = split(text, path()).unwrap();
        assert_eq!(split.front_matter, "title = \"A\"\n");
        assert_eq!(split.front_matter_line, 3);
        assert_eq!(split.body, "Body\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_explained() {
        let err = split("title = 1\n", path()).unwrap_err();
        assert!(err.message.contains("no front matter"));
        let err = split("+++\ntitle = \"A\"\n", path()).unwrap_err();
        assert!(err.message.contains("not closed"));
    }

    #[test]
    fn a_bad_date_names_the_field_line_and_column() {
        let text = "+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\n";
        let split = split(text, path()).unwrap();
        let fm = parse::<FrontMatter>(&split, path()).into_result().unwrap();
        let err = parse_date("date", fm.date.as_ref().unwrap(), &split, path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "content/x.md:3:8: date: expected a date like 2025-08-18 or 2025-08-18T10:31:00Z, found \"yesterday\""
        );
    }

    #[test]
    fn a_wrong_type_points_into_the_file() {
        let text = "+++\ntitle = \"A\"\nreading_minutes = \"three\"\n+++\n";
        let split = split(text, path()).unwrap();
        let errors = parse::<FrontMatter>(&split, path())
            .into_result()
            .unwrap_err();
        let err = &errors[0];
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("reading_minutes"), "{err}");
    }

    #[test]
    fn dates_in_every_accepted_shape() {
        assert!(matches!(
            date_from_str("2025-08-18"),
            Some(ArticleDate::Day(_))
        ));
        assert!(matches!(
            date_from_str("2025-08-18T10:31:00+02:00"),
            Some(ArticleDate::Moment(_))
        ));
        assert!(date_from_str("2025-08-18 10:31:00").is_some());
        assert!(date_from_str("18/08/2025").is_none());
    }

    #[test]
    fn zola_front_matter_is_understood() {
        let text = "+++\ntitle = \"A\"\ndescription = \"d\"\nweight = 3\naliases = [\"/old/\"]\n[taxonomies]\ntopics = [\"world\"]\ntags = [\"x\"]\ncategories = [\"c\"]\n[extra]\nfoo = 1\n+++\n";
        let split = split(text, path()).unwrap();
        let fm = parse::<FrontMatter>(&split, path()).into_result().unwrap();
        assert_eq!(fm.description.as_deref(), Some("d"));
        assert_eq!(fm.taxonomies["topics"], vec!["world".to_string()]);
        assert_eq!(fm.weight, 3);
    }
}
