//! A theme's own description, `theme.toml`: its name, what it is, and its options.

use std::path::Path;

use serde::Deserialize;

use crate::config::SiteConfig;
use crate::error::{BuildError, Diagnostic};
use crate::render::Templates;
use crate::toml_read::toml_diagnostic;

/// What rendering needs from a site's theme: its compiled templates and its `theme.toml`.
/// A build loads it before reading any content, so a missing or broken theme is reported at once.
pub struct LoadedTheme {
    pub templates: Templates,
    pub info: ThemeInfo,
}

impl LoadedTheme {
    /// Compiles the site's templates (its theme's, then its own) and reads `theme.toml`.
    pub fn load(config: &SiteConfig) -> Result<Self, BuildError> {
        Ok(LoadedTheme {
            templates: Templates::load_for(config)?,
            info: ThemeInfo::load(&config.theme_dir(), &config.root)?,
        })
    }
}

/// What `theme.toml` says; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeInfo {
    pub name: String,
    pub description: String,
    /// The theme's options and their defaults; a site's `[extra]` overrides them key by key.
    pub extra: toml::Table,
}

impl ThemeInfo {
    /// Reads `theme_dir/theme.toml`; a theme without one has empty values.
    pub fn load(theme_dir: &Path, root: &Path) -> Result<Self, BuildError> {
        let path = theme_dir.join("theme.toml");
        let shown = path.strip_prefix(root).unwrap_or(&path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ThemeInfo::default()),
            Err(e) => {
                return Err(BuildError::Template(Diagnostic::error(
                    shown,
                    format!("cannot read: {e}"),
                )));
            }
        };
        toml::from_str(&text)
            .map_err(|e| BuildError::Template(toml_diagnostic(shown, &text, 1, &e)))
    }

    /// The theme's options overridden by the site's `[extra]`.
    pub fn merged_extra(&self, site_extra: &toml::Table) -> toml::Table {
        let mut extra = self.extra.clone();
        extra.extend(site_extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_extra_overrides_theme_options_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("theme.toml"),
            "name = \"t\"\n[extra]\naccent = \"red\"\nlogo = \"a.svg\"\n",
        )
        .unwrap();
        let theme = ThemeInfo::load(dir.path(), dir.path()).unwrap();
        let mut site = toml::Table::new();
        site.insert("accent".into(), "blue".into());
        let extra = theme.merged_extra(&site);
        assert_eq!(extra["accent"].as_str(), Some("blue"));
        assert_eq!(extra["logo"].as_str(), Some("a.svg"));
    }

    #[test]
    fn an_unknown_key_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("theme.toml"),
            "name = \"t\"\nauthor = \"x\"\n",
        )
        .unwrap();
        let err = ThemeInfo::load(dir.path(), dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("theme.toml:2:1: unknown key `author`"),
            "{err}"
        );
    }
}
