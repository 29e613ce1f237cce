//! Sections: a folder's `_index.md`, as in Zola and Hugo, gives the folder a list page.
//!
//! Only what a briefing uses is read (title, description, pagination); the other keys of Zola's
//! and Hugo's section front matter are accepted and ignored, so existing sites build unchanged.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::front_matter;
use crate::error::Diagnostic;
use crate::slug::slugify;

/// The name of a section's own file.
pub const SECTION_FILE: &str = "_index.md";

/// A section as written in its `_index.md`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SectionFrontMatter {
    title: Option<String>,
    description: Option<String>,
    paginate_by: Option<usize>,
}

/// A folder of articles with its own list page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionSource {
    /// The folder, relative to the site root (`content/news`).
    pub dir: PathBuf,
    /// The site path of its list page (`news/`).
    pub site_path: String,
    pub title: String,
    pub description: String,
    pub paginate_by: Option<usize>,
}

/// Parses the `_index.md` at `path` (relative to the site root) in `content_dir`.
/// The content root's own `_index.md` is the front page's: its site path is `""` (only its
/// `paginate_by` is used). `None` for a file outside `content_dir`. Every error of the front
/// matter is reported, as for an article.
pub fn parse_section(
    text: &str,
    path: &Path,
    content_dir: &Path,
) -> Result<Option<SectionSource>, Vec<Diagnostic>> {
    let split = front_matter::split(text, path).map_err(|d| vec![d])?;
    let fm: SectionFrontMatter = front_matter::parse(&split, path).into_result()?;
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let Ok(relative) = dir.strip_prefix(content_dir) else {
        return Ok(None);
    };
    let segments: Vec<String> = relative
        .components()
        .map(|c| slugify(&c.as_os_str().to_string_lossy()))
        .filter(|s| !s.is_empty())
        .collect();
    let site_path = if segments.is_empty() {
        String::new()
    } else {
        format!("{}/", segments.join("/"))
    };
    let title = fm
        .title
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| segments.last().cloned().unwrap_or_default());
    Ok(Some(SectionSource {
        dir,
        site_path,
        title,
        description: fm.description.unwrap_or_default(),
        paginate_by: fm.paginate_by.filter(|&n| n > 0),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zola_section_is_read_and_its_other_keys_ignored() {
        let text = "+++\ntitle = \"News\"\nsort_by = \"date\"\npaginate_by = 20\n+++\n";
        let section = parse_section(
            text,
            Path::new("content/news/_index.md"),
            Path::new("content"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(section.site_path, "news/");
        assert_eq!(section.title, "News");
        assert_eq!(section.paginate_by, Some(20));
        assert_eq!(section.dir, PathBuf::from("content/news"));
    }

    #[test]
    fn the_root_section_is_the_front_page() {
        let text = "+++\ntitle = \"Home\"\npaginate_by = 5\n+++\n";
        let section = parse_section(text, Path::new("content/_index.md"), Path::new("content"))
            .unwrap()
            .unwrap();
        assert_eq!(section.site_path, "");
        assert_eq!(section.paginate_by, Some(5));
        let outside = parse_section(text, Path::new("other/_index.md"), Path::new("content"));
        assert_eq!(outside, Ok(None));
    }

    #[test]
    fn a_wrong_type_is_an_error_with_its_line() {
        let text = "+++\ntitle = \"News\"\npaginate_by = \"x\"\n+++\n";
        let err = parse_section(
            text,
            Path::new("content/news/_index.md"),
            Path::new("content"),
        )
        .unwrap_err();
        assert_eq!(err[0].line, Some(3), "{err:?}");
    }

    #[test]
    fn every_error_of_a_section_is_reported() {
        let text =
            "+++\ntitle = 1\nsort_by = \"date\"\npaginate_by = \"x\"\ndescription = \"open\n+++\n";
        let errors = parse_section(
            text,
            Path::new("content/news/_index.md"),
            Path::new("content"),
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "content/news/_index.md:2:9: title: invalid type: integer `1`, expected a string",
                "content/news/_index.md:4:15: paginate_by: invalid type: string \"x\", expected usize",
                "content/news/_index.md:5:20: description: invalid basic string, expected `\"`",
            ]
        );
    }
}
