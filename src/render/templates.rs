//! Loading a theme's Tera templates, with the site's own `templates/` overriding them.
//!
//! Templates are read from disk by us rather than by Tera's glob, so that every error can name
//! the file it came from, and the template set is compiled once per build.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use super::context::PageContext;
use super::memo::{PageKey, PageMemo};
use super::partial::{Partial, PartialCache, PartialFilter, SharedValue};
use crate::error::{BuildError, Diagnostic};
use crate::urls::BaseUrl;

/// The templates every theme provides.
pub const REQUIRED_TEMPLATES: [&str; 13] = [
    "archive.html",
    "month.html",
    "index.html",
    "section.html",
    "article.html",
    "topic.html",
    "tag.html",
    "topics.html",
    "tags.html",
    "entity.html",
    "entities.html",
    "404.html",
    "search.html",
];

/// The name under which the theme's version of a template stays reachable.
pub const THEME_PREFIX: &str = "theme/";

/// A compiled template set, and where each template came from.
pub struct Templates {
    tera: Tera,
    files: HashMap<String, PathBuf>,
    /// Each template's file and text, for the base-path guard to point at a line.
    sources: BTreeMap<String, (PathBuf, String)>,
    base_path: String,
    /// A hash of the template sources and the base URL: what, besides its context, a page's
    /// output depends on.
    fingerprint: u64,
    /// Pages rendered before, reused when their context is unchanged (`serve`).
    memo: Option<Arc<PageMemo>>,
    /// What `partial()` rendered in this pass.
    partials: Arc<PartialCache>,
}

impl Templates {
    /// Loads the templates of a site: its theme's, then its own `templates/`.
    pub fn load_for(config: &crate::config::SiteConfig) -> Result<Self, BuildError> {
        Templates::load(
            &config.theme_dir(),
            &config.root.join("templates"),
            &config.root,
            &config.base_url,
        )
    }

    /// Loads `theme_dir/templates/` then `site_templates/` (same names override).
    pub fn load(
        theme_dir: &Path,
        site_templates: &Path,
        root: &Path,
        base_url: &BaseUrl,
    ) -> Result<Self, BuildError> {
        let theme_templates = theme_dir.join("templates");
        if !theme_templates.is_dir() {
            return Err(BuildError::Template(Diagnostic::error(
                theme_dir.strip_prefix(root).unwrap_or(theme_dir),
                "theme not found: there is no templates/ folder here; check `theme` in site.toml",
            )));
        }
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        read_templates(&theme_templates, root, &mut sources)?;
        // Each theme template is also reachable as `theme/<name>`, so a site template can extend
        // the theme's own and override a single block.
        let theme_names: Vec<(String, (PathBuf, String))> = sources
            .iter()
            .map(|(name, source)| (format!("{THEME_PREFIX}{name}"), source.clone()))
            .collect();
        sources.extend(theme_names);
        if site_templates.is_dir() {
            read_templates(site_templates, root, &mut sources)?;
        }
        for name in REQUIRED_TEMPLATES {
            if !sources.contains_key(name) {
                return Err(BuildError::Template(Diagnostic::error(
                    theme_templates
                        .strip_prefix(root)
                        .unwrap_or(&theme_templates),
                    format!("the theme has no `{name}`, which every theme must provide"),
                )));
            }
        }
        let mut tera = Tera::default();
        let files: HashMap<String, PathBuf> = sources
            .iter()
            .map(|(name, (path, _))| (name.clone(), path.clone()))
            .collect();
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| BuildError::Template(template_diagnostic(&e, &files)))?;
        // Tera's own escaping also turns `/` into `&#x2F;`, which makes every URL unreadable.
        tera.set_escape_fn(escape_html);
        tera.register_function("url", url_function(base_url.clone()));
        tera.register_function("range", super::guard::bounded_range);
        let partials = PartialCache::new(tera.clone());
        tera.register_function("partial", Partial(partials.clone()));
        tera.register_filter("partial", PartialFilter(partials.clone()));
        if let Some(cycle) = super::guard::find_cycle(&tera) {
            return Err(BuildError::Template(cycle_diagnostic(&cycle, &files)));
        }
        let fingerprint = fingerprint(&sources, base_url);
        Ok(Templates {
            tera,
            files,
            sources,
            base_path: base_url.path.clone(),
            fingerprint,
            memo: None,
            partials,
        })
    }

    /// Reuses the pages of `memo` whose context is unchanged, and keeps those rendered.
    pub fn with_memo(mut self, memo: Arc<PageMemo>) -> Self {
        self.memo = Some(memo);
        self
    }

    /// Forgets the partials rendered so far. A render pass calls it as it starts and between
    /// its phases: each phase shows its own set of cards (article pages their related news,
    /// lists theirs at another heading level), so the cache holds one phase's cards, not all.
    pub fn clear_partials(&self) {
        self.partials.clear();
    }

    /// Renders a page: its own fields, converted for Tera now, and the site, converted once
    /// for all the pages and shared.
    pub fn render_page<P: PageContext>(&self, name: &str, page: &P) -> Result<String, BuildError> {
        let site = page
            .site()
            .shared_value()
            .map_err(|e| BuildError::Template(Diagnostic::error(name, format!("context: {e}"))))?;
        self.partials.pin(site);
        self.render_with(name, page, Some(site))
    }

    /// Renders `name` with a typed context.
    pub fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, BuildError> {
        self.render_with(name, context, None)
    }

    fn render_with<C: Serialize>(
        &self,
        name: &str,
        context: &C,
        site: Option<&SharedValue>,
    ) -> Result<String, BuildError> {
        let Some(memo) = &self.memo else {
            return self.render_now(name, context, site);
        };
        let shared = site.map_or(0, SharedValue::digest);
        let Some(key) = PageKey::new(self.fingerprint, name, shared, context) else {
            return self.render_now(name, context, site);
        };
        if let Some(page) = memo.get(key) {
            return Ok(page);
        }
        let page = self.render_now(name, context, site)?;
        memo.put(key, page.clone());
        Ok(page)
    }

    fn render_now<C: Serialize>(
        &self,
        name: &str,
        context: &C,
        site: Option<&SharedValue>,
    ) -> Result<String, BuildError> {
        let mut context = Context::from_serialize(context)
            .map_err(|e| BuildError::Template(Diagnostic::error(name, format!("context: {e}"))))?;
        if let Some(site) = site {
            context.insert_shared("site", site.value().clone());
        }
        let html = self
            .tera
            .render(name, &context)
            .map_err(|e| BuildError::Template(template_diagnostic(&e, &self.files)))?;
        super::base_path::check(&html, &self.base_path, name, &self.sources)
            .map_err(BuildError::Template)?;
        Ok(html)
    }
}

fn fingerprint(sources: &BTreeMap<String, (PathBuf, String)>, base_url: &BaseUrl) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (name, (_, text)) in sources {
        (name, text).hash(&mut hasher);
    }
    (&base_url.origin, &base_url.path).hash(&mut hasher);
    hasher.finish()
}

fn read_templates(
    dir: &Path,
    root: &Path,
    sources: &mut BTreeMap<String, (PathBuf, String)>,
) -> Result<(), BuildError> {
    for entry in crate::walk::sorted(dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            BuildError::Template(Diagnostic::error(path, e.to_string()))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(relative) = path.strip_prefix(dir) else {
            continue;
        };
        let name = relative.to_string_lossy().replace('\\', "/");
        if name.starts_with('.') {
            continue;
        }
        let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let text = std::fs::read_to_string(path).map_err(|e| {
            BuildError::Template(Diagnostic::error(&shown, format!("cannot read: {e}")))
        })?;
        sources.insert(name, (shown, text));
    }
    Ok(())
}

fn escape_html(text: &str) -> String {
    crate::content::markdown::html_escape(text)
}

/// `{{ url(path="topics/") }}`: the link to a site path, honouring the base path.
fn url_function(base_url: BaseUrl) -> impl tera::Function {
    move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| {
                tera::Error::msg("url() needs a `path` argument, e.g. url(path=\"topics/\")")
            })?;
        let absolute = args.get("absolute").and_then(tera::Value::as_bool) == Some(true);
        let url = if absolute {
            base_url.absolute(path)
        } else {
            base_url.link(path)
        };
        Ok(tera::Value::String(url))
    }
}

/// A Tera error as a diagnostic naming the template file and, for syntax errors, the line.
fn template_diagnostic(error: &tera::Error, files: &HashMap<String, PathBuf>) -> Diagnostic {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    let full = messages.join(": ");
    let template = files
        .iter()
        .filter(|(name, _)| full.contains(&format!("'{name}'")))
        .max_by_key(|(name, _)| name.len());
    let path = template.map_or_else(|| PathBuf::from("templates"), |(_, p)| p.clone());
    let detail = messages.last().cloned().unwrap_or_default();
    let diagnostic = Diagnostic::error(
        path,
        format!("template error: {}", one_line(&full, &detail)),
    );
    match pest_position(&full) {
        Some((line, column)) => diagnostic.at(line, column),
        None => diagnostic,
    }
}

/// A cycle of macro calls or includes, named from the template where it starts.
fn cycle_diagnostic(
    cycle: &[super::guard::Callee],
    files: &HashMap<String, PathBuf>,
) -> Diagnostic {
    let start = cycle.first().map_or("", |c| c.file());
    let path = files
        .get(start)
        .cloned()
        .unwrap_or_else(|| PathBuf::from("templates"));
    let chain: Vec<String> = cycle.iter().map(ToString::to_string).collect();
    Diagnostic::error(
        path,
        format!(
            "template recursion: {}; Tera renders these with no depth limit, so briefing refuses macros and includes that reach themselves",
            chain.join(" → ")
        ),
    )
}

fn one_line(full: &str, detail: &str) -> String {
    let first = full.lines().next().unwrap_or("").trim().to_string();
    let last = detail
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim().starts_with('|'));
    match last {
        Some(last) if !first.contains(last.trim()) => {
            format!("{first}: {}", last.trim().trim_start_matches("= "))
        }
        _ => first,
    }
}

/// Tera's syntax errors carry ` --> line:column`.
fn pest_position(text: &str) -> Option<(usize, usize)> {
    let after = text.split("--> ").nth(1)?;
    let mut parts = after
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::parse_base_url;

    fn theme_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("themes/t/templates");
        std::fs::create_dir_all(&templates).unwrap();
        for name in REQUIRED_TEMPLATES {
            std::fs::write(templates.join(name), "ok").unwrap();
        }
        for (name, text) in files {
            std::fs::write(templates.join(name), text).unwrap();
        }
        dir
    }

    fn load(dir: &Path) -> Result<Templates, BuildError> {
        let base = parse_base_url("https://x.org/repo/").unwrap();
        Templates::load(&dir.join("themes/t"), &dir.join("templates"), dir, &base)
    }

    #[test]
    fn a_syntax_error_names_the_template_and_line() {
        let dir = theme_with(&[("article.html", "<p>\n{% if %}\n<p>\n")]);
        let err = load(dir.path()).err().unwrap().to_string();
        assert!(
            err.starts_with("themes/t/templates/article.html:2:"),
            "{err}"
        );
    }

    #[test]
    fn site_templates_override_the_theme_and_url_knows_the_base_path() {
        let dir = theme_with(&[]);
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/index.html"),
            "{{ url(path=\"topics/\") }}",
        )
        .unwrap();
        let templates = load(dir.path()).unwrap();
        let html = templates
            .render("index.html", &serde_json::json!({}))
            .unwrap();
        assert_eq!(html, "/repo/topics/");
    }

    #[test]
    fn a_site_template_can_override_one_block_of_the_themes() {
        let dir = theme_with(&[(
            "article.html",
            "<h1>{% block title %}Theme title{% endblock title %}</h1><p>{% block body %}Theme body{% endblock body %}</p>",
        )]);
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/article.html"),
            "{% extends \"theme/article.html\" %}{% block body %}Site body{% endblock body %}",
        )
        .unwrap();
        let templates = load(dir.path()).unwrap();
        let html = templates
            .render("article.html", &serde_json::json!({}))
            .unwrap();
        assert_eq!(html, "<h1>Theme title</h1><p>Site body</p>");
    }

    #[test]
    fn a_missing_required_template_is_named() {
        let dir = theme_with(&[]);
        std::fs::remove_file(dir.path().join("themes/t/templates/tag.html")).unwrap();
        let err = load(dir.path()).err().unwrap().to_string();
        assert!(err.contains("`tag.html`"), "{err}");
    }

    /// The vendored Tera skips unescaping path segments without `~`, and cuts plain paths at
    /// their dots itself (vendor/tera/PATCHED.md):
    /// look-ups must find the same values as before, plain, nested, by index and by keys that
    /// hold `/` or `~` (which Tera escapes as `~1` and keeps as `~`).
    #[test]
    fn variable_look_ups_find_plain_nested_and_escaped_keys() {
        let mut tera = Tera::default();
        tera.add_raw_template(
            "t",
            r#"{{ page.title }}|{{ page.meta.lang }}|{{ page.list.1 }}|{{ page["a/b"] }}|{{ page["t~x"] }}|{{ page.missing | default(value="none") }}|{{ page.rows.1.0 }}|{% for row in page.items %}{{ row.meta.lang }}{{ row.list.0 }}{% endfor %}|{{ page.meta["lang"] }}"#,
        )
        .unwrap();
        let context = Context::from_value(serde_json::json!({"page": {
            "title": "T", "meta": {"lang": "en"}, "list": ["zero", "one"],
            "a/b": "slash", "t~x": "tilde", "rows": [["a"], ["b", "c"]],
            "items": [{"meta": {"lang": "fr"}, "list": [1]}, {"meta": {"lang": "de"}, "list": [2]}],
        }}))
        .unwrap();
        assert_eq!(
            tera.render("t", &context).unwrap(),
            "T|en|one|slash|tilde|none|b|fr1de2|en"
        );
    }

    /// `Context::insert_shared` (vendor/tera/PATCHED.md): a shared value is looked up as any
    /// other, a later `insert` of its key replaces it, and it is part of the context's JSON.
    #[test]
    fn shared_context_values_are_found_replaced_and_compared_as_owned_ones() {
        let mut tera = Tera::default();
        tera.add_raw_template(
            "t",
            "{{ site.title }}|{{ site.nav.1 }}|{% for n in site.nav %}{{ n }}{% endfor %}|{{ page }}",
        )
        .unwrap();
        let site = serde_json::json!({"title": "S & T", "nav": ["a", "b"]});
        let mut context = Context::new();
        context.insert_shared("site", Arc::new(site.clone()));
        context.insert("page", "p");
        assert_eq!(tera.render("t", &context).unwrap(), "S & T|b|ab|p");
        let mut owned = Context::new();
        owned.insert("site", &site);
        owned.insert("page", "p");
        assert_eq!(context, owned);
        assert!(context.contains_key("site"));
        assert_eq!(
            context.clone().into_json(),
            serde_json::json!({"site": site, "page": "p"})
        );
        context.insert("site", &serde_json::json!({"title": "New"}));
        assert_ne!(context, owned);
        assert_eq!(
            context.get("site"),
            Some(&serde_json::json!({"title": "New"}))
        );
        assert_eq!(context.remove("page"), Some(serde_json::json!("p")));
        assert!(!context.contains_key("page"));
    }
}
