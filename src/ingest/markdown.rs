//! Writing an extracted article as a Markdown file with TOML front matter.
//!
//! Imported text is untrusted: scraped pages can carry raw HTML or Markdown syntax. Every piece
//! of text is escaped so that it renders as the characters it is, never as markup, and every
//! front matter value goes through the TOML serialiser.

use super::{Block, Extracted, Marked, MarkedKind, RelatedLink};

/// The whole article file: front matter, then the body.
pub fn article_file(article: &Extracted) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&front_matter(article));
    out.push_str("+++\n");
    out.push_str(&body_markdown(&article.body));
    out
}

/// The TOML front matter, in the field order of the README's example.
pub fn front_matter(article: &Extracted) -> String {
    let mut out = String::new();
    push_key(&mut out, "title", Some(article.title.as_str()));
    // Bare TOML dates, as an editor writes them; dates are always `YYYY-MM-DD` here.
    if let Some(date) = &article.date {
        out.push_str(&format!("date = {date}\n"));
    }
    if let Some(updated) = &article.updated {
        out.push_str(&format!("updated = {updated}\n"));
    }
    push_key(&mut out, "dek", article.dek.as_deref());
    push_key(&mut out, "author", article.author.as_deref());
    push_key(&mut out, "outlet", article.outlet.as_deref());
    push_key(&mut out, "source_url", article.source_url.as_deref());
    push_key(&mut out, "image", article.image.as_deref());
    if let Some(minutes) = article.reading_minutes {
        out.push_str(&format!("reading_minutes = {minutes}\n"));
    }
    push_list(&mut out, "highlights", &article.highlights);
    push_related(&mut out, &article.related_headlines);
    for quote in &article.quotes {
        out.push_str("\n[[quotes]]\n");
        push_key(&mut out, "text", Some(&quote.text));
        push_key(&mut out, "speaker", Some(&quote.speaker));
        push_key(&mut out, "context", Some(&quote.context));
    }
    if let Some(language) = &article.language {
        // Front matter has no language key; templates can read it from `extra`.
        out.push_str("\n[extra]\n");
        push_key(&mut out, "language", Some(language));
    }
    out
}

/// `related_headlines`: plain strings, and `{ title, url }` tables for linked headlines.
fn push_related(out: &mut String, related: &[RelatedLink]) {
    if related.is_empty() {
        return;
    }
    out.push_str("related_headlines = [\n");
    for item in related {
        match &item.url {
            None => out.push_str(&format!("  {},\n", toml_string(&item.title))),
            Some(url) => out.push_str(&format!(
                "  {{ title = {}, url = {} }},\n",
                toml_string(&item.title),
                toml_string(url)
            )),
        }
    }
    out.push_str("]\n");
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn push_key(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push_str(&format!("{key} = {}\n", toml_string(value)));
    }
}

fn push_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    out.push_str(&format!("{key} = [\n"));
    for item in items {
        out.push_str(&format!("  {},\n", toml_string(item)));
    }
    out.push_str("]\n");
}

/// The body as Markdown: paragraphs, subheadings, lists, quotes and images, all text escaped.
pub fn body_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous_was_item = false;
    for block in blocks {
        let is_item = matches!(
            block,
            Block::ListItem(_)
                | Block::Marked(Marked {
                    kind: MarkedKind::Item { .. },
                    ..
                })
        );
        let continues_list = is_item && previous_was_item;
        if !out.is_empty() && !continues_list {
            out.push('\n');
        }
        match block {
            Block::Paragraph(text) => out.push_str(&escape(text)),
            Block::Heading(text) => out.push_str(&format!("## {}", escape(text))),
            Block::ListItem(text) => out.push_str(&format!("- {}", escape(text))),
            Block::Marked(marked) => out.push_str(&marked_markdown(marked)),
        }
        out.push('\n');
        previous_was_item = is_item;
    }
    out
}

/// A block read from HTML, with the line prefix of its kind.
fn marked_markdown(marked: &Marked) -> String {
    let text = &marked.markdown;
    match marked.kind {
        MarkedKind::Paragraph | MarkedKind::Image => text.clone(),
        MarkedKind::Heading(level) => format!("{} {text}", "#".repeat(level.clamp(2, 4).into())),
        MarkedKind::Item { ordered, depth } => {
            // Four spaces nest under both a `- ` and a `1. ` parent without making code.
            let indent = "    ".repeat(depth.into());
            let marker = if ordered { "1." } else { "-" };
            format!("{indent}{marker} {text}")
        }
        MarkedKind::Quote => format!("> {text}"),
    }
}

/// The bytes `escape` changes, as a table indexed by byte.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"<>&\\`*_[]|~";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Escapes text so Markdown shows it literally: HTML is entity-encoded, inline syntax gets a
/// backslash, and a line start that would make a heading, list or quote is neutralised.
pub fn escape(text: &str) -> String {
    // Most text has nothing to escape: copied whole rather than a character at a time.
    let Some(first) = text.bytes().position(|b| SPECIAL[usize::from(b)]) else {
        return escape_line_start(text.to_string());
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    escape_line_start(out)
}

/// `# x`, `- x`, `+ x`, `1. x`, `=` or `---` at a line start would change the block type.
fn escape_line_start(text: String) -> String {
    let first = text.chars().next();
    let numbered = text
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&at| at > 0)
        .is_some_and(|at| text[at..].starts_with(['.', ')']));
    if matches!(first, Some('#' | '-' | '+' | '=')) || numbered {
        let at = if numbered {
            text.find(['.', ')']).unwrap_or(0)
        } else {
            0
        };
        return format!("{}\\{}", &text[..at], &text[at..]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{Highlighter, render};

    fn rendered(text: &str) -> String {
        render(
            &body_markdown(&[Block::Paragraph(text.into())]),
            &Highlighter::default(),
        )
        .html
    }

    #[test]
    fn html_in_scraped_text_is_shown_not_run() {
        let html = rendered("<script>alert(1)</script> <img src=x onerror=alert(1)> a & b");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn markdown_syntax_in_scraped_text_stays_literal() {
        for text in [
            "# Not a heading",
            "- not a list",
            "1. not a list",
            "[x](javascript:alert(1))",
            "*not em*",
        ] {
            let html = rendered(text);
            for tag in ["<h1", "<ul", "<ol", "<a ", "<em"] {
                assert!(!html.contains(tag), "{text} gave {html}");
            }
        }
        assert!(rendered("1. not a list").contains("1. not a list"));
    }

    #[test]
    fn front_matter_values_are_escaped_toml() {
        let article = Extracted {
            title: "A \"quoted\" title\nwith a break".into(),
            dek: None,
            author: Some("Jane Doe".into()),
            outlet: None,
            date: Some("2025-08-18".into()),
            updated: Some("2025-08-19".into()),
            source_url: Some("https://news.example.org/a".into()),
            image: None,
            language: Some("en".into()),
            reading_minutes: Some(3),
            quotes: Vec::new(),
            highlights: vec!["One".into()],
            related_headlines: vec![
                RelatedLink::title("Plain"),
                RelatedLink {
                    title: "Linked \"one\"".into(),
                    url: Some("https://news.example.org/b".into()),
                },
            ],
            body: vec![Block::Heading("Sub".into()), Block::ListItem("a".into())],
            removed: Vec::new(),
        };
        let file = article_file(&article);
        let fm: toml::Table = toml::from_str(file.split("+++\n").nth(1).unwrap()).unwrap();
        assert_eq!(
            fm["title"].as_str(),
            Some("A \"quoted\" title\nwith a break")
        );
        assert_eq!(fm["reading_minutes"].as_integer(), Some(3));
        assert_eq!(fm["updated"].to_string(), "2025-08-19");
        assert_eq!(
            fm["source_url"].as_str(),
            Some("https://news.example.org/a")
        );
        assert_eq!(fm["extra"]["language"].as_str(), Some("en"));
        assert_eq!(fm["related_headlines"][0].as_str(), Some("Plain"));
        assert_eq!(
            fm["related_headlines"][1]["url"].as_str(),
            Some("https://news.example.org/b")
        );
        assert!(file.ends_with("## Sub\n\n- a\n"));
    }
}
