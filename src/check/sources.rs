//! Which file a built page was made from, so that a broken link can be fixed where it was
//! written: an article's Markdown file (from `index.json`), a template, or a static file.

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;

use crate::config::SiteConfig;

/// The part of `index.json` that maps pages to their article files.
#[derive(Deserialize)]
struct Index {
    articles: Vec<IndexArticle>,
}

#[derive(Deserialize)]
struct IndexArticle {
    url: String,
    source: String,
}

/// The sources of the pages of one built site.
pub struct PageSources {
    /// Article pages (`articles/x/index.html`) and their Markdown files.
    articles: HashMap<String, String>,
    /// Template names and the files they are read from (a site's own or its theme's).
    templates: HashMap<&'static str, String>,
    /// Files copied from `static/`, by output path, and where they came from.
    statics: HashMap<String, String>,
    /// Section pages (a folder's `_index.md`), by output path, and their sources.
    sections: HashMap<String, String>,
}

/// The templates of the standard pages, by their place in the output.
const PAGE_TEMPLATES: [(&str, &str); 7] = [
    ("articles/", "article.html"),
    ("topics/", "topic.html"),
    ("tags/", "tag.html"),
    ("topics/index.html", "topics.html"),
    ("tags/index.html", "tags.html"),
    ("index.html", "index.html"),
    ("404.html", "404.html"),
];

impl PageSources {
    pub fn new(config: &SiteConfig, files: &BTreeSet<String>) -> Self {
        let articles = read_index(config);
        let templates = PAGE_TEMPLATES
            .iter()
            .map(|(_, name)| (*name, template_file(config, name)))
            .collect();
        let html = || files.iter().filter(|f| f.ends_with(".html"));
        let statics = html()
            .filter_map(|f| Some((f.clone(), static_file(config, f)?)))
            .collect();
        let section_template = template_file(config, "section.html");
        let sections = html()
            .filter_map(|f| {
                let index = section_index(config, f)?;
                Some((f.clone(), format!("{index}, through {section_template}")))
            })
            .collect();
        PageSources {
            articles,
            templates,
            statics,
            sections,
        }
    }

    /// Where the page at `page` (relative to the output folder) came from.
    pub fn of(&self, page: &str) -> String {
        if let Some(file) = self.statics.get(page).or_else(|| self.sections.get(page)) {
            return file.clone();
        }
        let template = self.template_of(page);
        match (self.articles.get(page), template) {
            (Some(article), Some(template)) => format!("{article}, through {template}"),
            (Some(article), None) => article.clone(),
            (None, Some(template)) => template.clone(),
            (None, None) => "a page briefing makes itself (a list or a redirect)".to_string(),
        }
    }

    fn template_of(&self, page: &str) -> Option<&String> {
        let page = &without_page_number(page);
        let exact = PAGE_TEMPLATES.iter().find(|(place, _)| *place == page);
        let nested = PAGE_TEMPLATES.iter().find(|(place, _)| {
            place.ends_with('/')
                && page
                    .strip_prefix(place)
                    .and_then(|rest| rest.strip_suffix("/index.html"))
                    .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
        });
        let (_, name) = exact.or(nested)?;
        self.templates.get(name)
    }
}

/// `topics/x/page/2/index.html` → `topics/x/index.html`: later pages of a list share its
/// template.
fn without_page_number(page: &str) -> String {
    let Some(rest) = page.strip_suffix("/index.html") else {
        return page.to_string();
    };
    let Some((list, number)) = rest.rsplit_once('/') else {
        return page.to_string();
    };
    let is_number = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    match list
        .strip_suffix("page")
        .filter(|l| l.is_empty() || l.ends_with('/'))
    {
        Some(list) if is_number => format!("{list}index.html"),
        _ => page.to_string(),
    }
}

/// The `_index.md` of the section whose list (or one of its later pages) is `page`.
fn section_index(config: &SiteConfig, page: &str) -> Option<String> {
    let list = without_page_number(page);
    let folder = list.strip_suffix("index.html")?;
    let index = format!("content/{folder}_index.md");
    (!folder.is_empty() && config.root.join(&index).is_file()).then_some(index)
}

/// Article pages and their sources from the built `index.json`; empty when it is missing.
fn read_index(config: &SiteConfig) -> HashMap<String, String> {
    let text = std::fs::read_to_string(config.output_dir.join("index.json")).unwrap_or_default();
    let Ok(index) = serde_json::from_str::<Index>(&text) else {
        return HashMap::new();
    };
    let base = &config.base_url.path;
    index
        .articles
        .into_iter()
        .filter_map(|a| {
            let site_path = a.url.strip_prefix(base.as_str())?;
            Some((format!("{site_path}index.html"), a.source))
        })
        .collect()
}

/// The file a template is read from: the site's own `templates/`, else the theme's.
fn template_file(config: &SiteConfig, name: &str) -> String {
    let own = format!("templates/{name}");
    if config.root.join(&own).is_file() {
        own
    } else {
        format!("themes/{}/templates/{name}", config.config.theme)
    }
}

/// The `static/` file a page was copied from, the site's own winning over the theme's.
fn static_file(config: &SiteConfig, page: &str) -> Option<String> {
    let own = format!("static/{page}");
    let theme = format!("themes/{}/static/{page}", config.config.theme);
    [own, theme]
        .into_iter()
        .find(|candidate| config.root.join(candidate).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_of_a_list_are_the_list() {
        assert_eq!(
            without_page_number("topics/x/page/2/index.html"),
            "topics/x/index.html"
        );
        assert_eq!(without_page_number("page/3/index.html"), "index.html");
        assert_eq!(
            without_page_number("articles/page/index.html"),
            "articles/page/index.html"
        );
        assert_eq!(
            without_page_number("tags/homepage/2/index.html"),
            "tags/homepage/2/index.html"
        );
    }
}
