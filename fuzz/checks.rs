//! What each fuzz target asserts of one input. The fuzz targets and `tests/fuzz_regressions.rs`
//! (which replays every input that once failed) share this file, so both check the same thing.

use std::path::Path;

use briefing::content::markdown::{Highlighter, HtmlPolicy, render_with};

/// Raw text bytes import to an article that reads back, or to a reason why there is none.
pub fn text_import(bytes: &[u8], highlighter: &Highlighter) {
    import_reads_back(Path::new("fuzz.txt"), bytes, highlighter);
}

/// A saved HTML page's bytes import to an article that reads back, or to a reason why there is none.
pub fn html_import(bytes: &[u8], highlighter: &Highlighter) {
    import_reads_back(Path::new("fuzz.html"), bytes, highlighter);
}

fn import_reads_back(source: &Path, bytes: &[u8], highlighter: &Highlighter) {
    if let Ok(markdown) = briefing::ingest::raw_file_to_markdown(source, bytes) {
        let parsed =
            briefing::content::parse_article(&markdown, Path::new("content/fuzz.md"), highlighter);
        assert!(
            parsed.is_ok(),
            "import wrote an article that does not read back: {parsed:?}\n{markdown}"
        );
    }
}

/// Front matter parses, or each of its errors has a line within the file; what is left of a
/// block with errors is checked as a good one is.
pub fn front_matter(text: &str) {
    use briefing::content::front_matter::{FrontMatter, parse, parse_date, split};
    let path = Path::new("content/fuzz.md");
    let split = match split(text, path) {
        Ok(split) => split,
        Err(error) => return assert_within(&error, text),
    };
    let parsed = parse::<FrontMatter>(&split, path);
    for error in &parsed.errors {
        assert_within(error, text);
    }
    assert!(
        parsed.value.is_some() || !parsed.errors.is_empty(),
        "no value and no error"
    );
    let Some(front_matter) = parsed.value else {
        return;
    };
    for value in [&front_matter.date, &front_matter.updated]
        .into_iter()
        .flatten()
    {
        if let Err(error) = parse_date("date", value, &split, path) {
            assert_within(&error, text);
        }
    }
}

fn assert_within(error: &briefing::error::Diagnostic, text: &str) {
    let lines = text.lines().count().max(1) + 1;
    if let Some(line) = error.line {
        assert!(
            line >= 1 && line <= lines,
            "line {line} of {lines}: {error}"
        );
    }
}

/// Markdown renders to HTML in which no script element or script link survives.
pub fn markdown(text: &str, highlighter: &Highlighter) {
    let body = render_with(text, highlighter, HtmlPolicy::Sanitise);
    for tag in tags(&body.html) {
        let tag = tag.to_ascii_lowercase();
        assert!(
            !tag.starts_with("script"),
            "a script survived: {}",
            body.html
        );
        for attribute in [" href=", " src="] {
            for (at, _) in tag.match_indices(attribute) {
                let scheme: String = tag[at + attribute.len()..]
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '"' && *c != '\'')
                    .take_while(|&c| c != ':')
                    .collect();
                assert!(
                    !matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
                    "a {scheme}: link survived: {}",
                    body.html
                );
            }
        }
    }
}

/// The insides of the tags of HTML: text has its `<` escaped, so each `<` starts a tag.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(rest))
}
