//! `briefing init`: a new briefing site that builds and publishes on GitHub Pages as it is.
//!
//! The themes of this repository are embedded in the binary, so an installed `briefing` makes
//! a complete site with no other files around. `init` never overwrites: it checks every file
//! it would write before writing any.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::config::CONFIG_FILE;
use crate::error::{BuildError, Diagnostic};
use crate::slug::slugify;

/// The themes shipped with briefing, from this repository's `themes/`.
static THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes");

const SITE_TOML: &str = include_str!("site.toml");
const SAMPLE_ARTICLE: &str = include_str!("welcome.md");
const PAGES_WORKFLOW: &str = include_str!("pages.yml");

/// The workflow that publishes the site, relative to the site folder.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";
/// The line `init` puts in `.gitignore`, so built files are not committed.
const IGNORED_OUTPUT: &str = "/output/";

/// What `briefing init` is asked to make.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder of the new site; made when missing.
    pub dir: PathBuf,
    /// One of `theme_names()`.
    pub theme: String,
    /// The sample article's date.
    pub today: NaiveDate,
}

/// What `briefing init` wrote.
#[derive(Debug)]
pub struct InitReport {
    /// The files written, relative to the site folder, in order.
    pub written: Vec<PathBuf>,
    /// Whether an existing `.gitignore` had the output folder added to it.
    pub gitignore_extended: bool,
}

/// The names of the embedded themes.
pub fn theme_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = THEMES
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str())
        .collect();
    names.sort_unstable();
    names
}

/// Makes a new site in `options.dir`; refuses, writing nothing, if any file it would write
/// already exists.
pub fn init(options: &InitOptions) -> Result<InitReport, BuildError> {
    let theme = THEMES.get_dir(&options.theme).ok_or_else(|| {
        refusal(
            &options.dir,
            format!(
                "there is no theme `{}` in briefing; choose one of: {}",
                options.theme,
                theme_names().join(", ")
            ),
        )
    })?;
    let files = site_files(options, theme);
    check_nothing_is_overwritten(&options.dir, &files)?;
    for (path, bytes) in &files {
        let full = options.dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| BuildError::io(parent, e))?;
        }
        std::fs::write(&full, bytes).map_err(|e| BuildError::io(&full, e))?;
    }
    let gitignore_extended = ignore_output(&options.dir)?;
    Ok(InitReport {
        written: files.into_iter().map(|(path, _)| path).collect(),
        gitignore_extended,
    })
}

/// Every file of the new site but `.gitignore`, which is extended rather than replaced.
fn site_files(options: &InitOptions, theme: &Dir<'static>) -> Vec<(PathBuf, Vec<u8>)> {
    let name = site_name(&options.dir);
    let slug = Some(slugify(&name))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "briefing".into());
    let site_toml = SITE_TOML
        .replace("{{title}}", &toml_string(&title_case(&name)))
        .replace(
            "{{base_url}}",
            &toml_string(&format!("https://example.github.io/{slug}/")),
        )
        .replace("{{theme}}", &toml_string(&options.theme));
    let article = SAMPLE_ARTICLE.replace("{{date}}", &options.today.format("%Y-%m-%d").to_string());
    let workflow = PAGES_WORKFLOW.replace("{{version}}", env!("CARGO_PKG_VERSION"));
    let mut files = vec![
        (PathBuf::from(CONFIG_FILE), site_toml.into_bytes()),
        (PathBuf::from("content/welcome.md"), article.into_bytes()),
        (PathBuf::from(WORKFLOW_PATH), workflow.into_bytes()),
    ];
    let mut theme_files = Vec::new();
    collect_files(theme, &mut theme_files);
    theme_files.sort_by(|a, b| a.0.cmp(&b.0));
    files.extend(
        theme_files
            .into_iter()
            .map(|(path, bytes)| (Path::new("themes").join(path), bytes)),
    );
    files
}

fn collect_files(dir: &Dir<'static>, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect_files(sub, out);
    }
}

fn check_nothing_is_overwritten(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
) -> Result<(), BuildError> {
    if dir.join(CONFIG_FILE).exists() {
        return Err(refusal(
            &dir.join(CONFIG_FILE),
            "there is already a briefing site here; `briefing init` never overwrites one (choose another folder)",
        ));
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.display().to_string())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(refusal(
        dir,
        format!(
            "these files already exist and `briefing init` never overwrites: {}; move them away or choose another folder",
            existing.join(", ")
        ),
    ))
}

fn refusal(path: &Path, message: impl Into<String>) -> BuildError {
    BuildError::Output(Diagnostic::error(path, message))
}

/// Adds the output folder to `.gitignore`, making it when missing; says whether the file
/// existed before.
fn ignore_output(dir: &Path) -> Result<bool, BuildError> {
    let path = dir.join(".gitignore");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(BuildError::io(&path, e)),
    };
    let text = match &existing {
        Some(text) if text.lines().any(|l| l.trim() == IGNORED_OUTPUT) => return Ok(true),
        Some(text) if !text.is_empty() && !text.ends_with('\n') => {
            format!("{text}\n{IGNORED_OUTPUT}\n")
        }
        Some(text) => format!("{text}{IGNORED_OUTPUT}\n"),
        None => format!("# The site that `briefing build` writes.\n{IGNORED_OUTPUT}\n"),
    };
    std::fs::write(&path, text).map_err(|e| BuildError::io(&path, e))?;
    Ok(existing.is_some())
}

/// The folder's name, which becomes the site's title and URL path.
fn site_name(dir: &Path) -> String {
    let absolute = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .components()
        .next_back()
        .and_then(|c| c.as_os_str().to_str())
        .filter(|n| !n.is_empty() && *n != "/")
        .unwrap_or("briefing")
        .to_string()
}

/// `my-news_briefing` → `My news briefing`.
fn title_case(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Briefing".into(),
    }
}

/// A TOML string literal, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &Path) -> InitOptions {
        InitOptions {
            dir: dir.to_path_buf(),
            theme: "default".into(),
            today: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        }
    }

    #[test]
    fn the_default_theme_is_embedded_whole() {
        assert!(theme_names().contains(&"default"));
        let mut embedded = Vec::new();
        collect_files(THEMES.get_dir("default").unwrap(), &mut embedded);
        let on_disk = walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        assert_eq!(embedded.len(), on_disk);
    }

    #[test]
    fn a_new_site_is_titled_after_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("world-news");
        let report = init(&options(&site)).unwrap();
        assert!(!report.gitignore_extended);
        let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
        assert!(toml.contains("title = \"World news\""), "{toml}");
        assert!(toml.contains("base_url = \"https://example.github.io/world-news/\""));
        let article = std::fs::read_to_string(site.join("content/welcome.md")).unwrap();
        assert!(article.contains("date = 2026-01-02"));
        let workflow = std::fs::read_to_string(site.join(WORKFLOW_PATH)).unwrap();
        assert!(workflow.contains(env!("CARGO_PKG_VERSION")));
        assert!(!workflow.contains("{{version}}"));
        assert!(site.join("themes/default/templates/base.html").is_file());
        assert_eq!(
            std::fs::read_to_string(site.join(".gitignore")).unwrap(),
            "# The site that `briefing build` writes.\n/output/\n"
        );
    }

    #[test]
    fn an_existing_site_or_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
        std::fs::write(dir.path().join(WORKFLOW_PATH), "mine").unwrap();
        let err = init(&options(dir.path())).unwrap_err().to_string();
        assert!(err.contains(".github/workflows/pages.yml"), "{err}");
        assert!(
            !dir.path().join("site.toml").exists(),
            "nothing was written"
        );
        std::fs::remove_file(dir.path().join(WORKFLOW_PATH)).unwrap();
        std::fs::write(dir.path().join(".gitignore"), "target").unwrap();
        let report = init(&options(dir.path())).unwrap();
        assert!(report.gitignore_extended);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "target\n/output/\n"
        );
        let err = init(&options(dir.path())).unwrap_err().to_string();
        assert!(err.contains("already a briefing site"), "{err}");
    }

    #[test]
    fn an_unknown_theme_lists_the_known_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = options(dir.path());
        opts.theme = "nope".into();
        let err = init(&opts).unwrap_err().to_string();
        assert!(err.contains("choose one of: default"), "{err}");
    }
}
