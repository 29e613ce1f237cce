//! `site.toml`: one serde struct with defaults, then a validation step.
//!
//! A site needs only `title` and `base_url`; every other key has a default. Unknown keys are
//! errors that name the closest valid key, because a typo that is silently ignored is a setting
//! the user believes in and does not get.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{BuildError, Diagnostic};
use crate::urls::{BaseUrl, parse_base_url};

/// The name of the configuration file at the root of a site.
pub const CONFIG_FILE: &str = "site.toml";

/// Everything `site.toml` can say.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The briefing's name, shown in every page's header and title.
    pub title: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    pub description: String,
    /// The language of the pages (`lang` attribute, feeds).
    pub language: String,
    /// A folder under `themes/`.
    pub theme: String,
    /// Where the site is written, relative to the site root.
    pub output_dir: PathBuf,
    /// How many articles a list page shows before it paginates.
    pub paginate_by: usize,
    /// Keep raw HTML in Markdown as written instead of sanitising it.
    pub unsafe_html: bool,
    /// Topics the editor defines; articles join them by front matter or by their rules.
    pub topics: Vec<TopicRule>,
    /// How automatic stories are formed (`[stories]`).
    pub stories: StoriesConfig,
    /// How related news is ranked (`[related]`).
    pub related: RelatedConfig,
    /// How names are merged into entities (`[entities]`).
    pub entities: EntitiesConfig,
    /// Free-form values for templates, as `config.extra` in Zola.
    pub extra: toml::Table,
    /// A custom domain for GitHub Pages (`news.example.org`), written to the `CNAME` file.
    pub cname: Option<String>,
    /// The Atom, RSS and JSON feeds (`[feeds]`).
    pub feeds: FeedsConfig,
}

/// `[feeds]`: how the site's and the topics' feeds are made.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedsConfig {
    /// How many of the newest articles each feed carries.
    pub limit: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { limit: 20 }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: String::new(),
            description: String::new(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: PathBuf::from("output"),
            paginate_by: 20,
            unsafe_html: false,
            topics: Vec::new(),
            stories: StoriesConfig::default(),
            related: RelatedConfig::default(),
            entities: EntitiesConfig::default(),
            extra: toml::Table::new(),
            cname: None,
            feeds: FeedsConfig::default(),
        }
    }
}

/// A topic configured in `site.toml` (`[[topics]]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicRule {
    pub name: String,
    /// The URL slug; made from the name when absent.
    pub slug: Option<String>,
    pub description: String,
    /// When an article joins this topic by its own text (`[topics.match]`).
    #[serde(rename = "match")]
    pub rules: MatchRules,
}

/// What makes an article part of a configured topic: it joins when the keywords, phrases and
/// entities it contains add up to `threshold` (each one found counts once).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchRules {
    /// Words, matched by their stem: `talks` finds "talk" and "talking".
    pub keywords: Vec<String>,
    /// Word sequences, matched ignoring case and punctuation: "peace deal".
    pub phrases: Vec<String>,
    /// People, places or organisations, matched across spellings: "Zelensky".
    pub entities: Vec<String>,
    /// How many of the above an article must contain to join.
    pub threshold: f32,
}

impl Default for MatchRules {
    fn default() -> Self {
        MatchRules {
            keywords: Vec::new(),
            phrases: Vec::new(),
            entities: Vec::new(),
            threshold: 2.0,
        }
    }
}

impl MatchRules {
    /// Whether there is any rule at all (a topic without rules gets articles by front matter).
    pub fn is_empty(&self) -> bool {
        self.keywords.is_empty() && self.phrases.is_empty() && self.entities.is_empty()
    }
}

/// `[stories]`: how the articles of no configured topic are grouped into automatic stories.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoriesConfig {
    /// How alike (0 to 1, mean similarity) articles must be to make one story; higher gives
    /// smaller, tighter stories.
    pub threshold: f32,
}

impl Default for StoriesConfig {
    fn default() -> Self {
        StoriesConfig { threshold: 0.12 }
    }
}

/// `[related]`: how the related news of an article is chosen and ranked.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedConfig {
    /// How many related articles each article lists.
    pub k: usize,
    /// The lowest score (0 to 1) a related article needs.
    pub threshold: f32,
    /// After this many days apart, the time part of the score halves.
    pub half_life_days: f32,
    pub weights: RelatedWeights,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            k: 5,
            threshold: 0.2,
            half_life_days: 30.0,
            weights: RelatedWeights::default(),
        }
    }
}

/// `[related.weights]`: how much each part counts in the score (they are normalised to sum 1).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RelatedWeights {
    /// Shared people, places and organisations.
    pub entities: f32,
    /// Similar words and phrases (TF-IDF cosine).
    pub text: f32,
    /// Nearness in time.
    pub time: f32,
    /// Being in the same story (automatic or configured topic).
    pub story: f32,
}

impl Default for RelatedWeights {
    fn default() -> Self {
        RelatedWeights {
            entities: 0.1,
            text: 0.5,
            time: 0.2,
            story: 0.3,
        }
    }
}

/// `[entities]`: how names are merged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntitiesConfig {
    /// A name and the other spellings that mean the same entity:
    /// `"Volodymyr Zelensky" = ["Zelenskiy", "Zelenskyy"]`.
    pub aliases: std::collections::BTreeMap<String, Vec<String>>,
}

/// Values given on the command line that win over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub output_dir: Option<PathBuf>,
}

/// A loaded and validated configuration, with what was derived from it.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub config: Config,
    /// The site folder (holding `site.toml`).
    pub root: PathBuf,
    /// The output folder, absolute or relative to the current directory.
    pub output_dir: PathBuf,
    pub base_url: BaseUrl,
}

impl SiteConfig {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.themes_dir().join(&self.config.theme)
    }
}

/// Reads `root/site.toml`, applies the overrides and validates the result.
pub fn load(root: &Path, overrides: &Overrides) -> Result<SiteConfig, BuildError> {
    let path = if root == Path::new(".") {
        PathBuf::from(CONFIG_FILE)
    } else {
        root.join(CONFIG_FILE)
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            " (is this a briefing site? pass its folder with --root, or create one with `briefing init`)"
        } else {
            ""
        };
        BuildError::Config(vec![Diagnostic::error(
            &path,
            format!("cannot read: {e}{hint}"),
        )])
    })?;
    let mut config = parse(&text, &path)?;
    if let Some(base_url) = &overrides.base_url {
        // Checked here, so that a bad one is not reported at the file's `base_url` line.
        parse_base_url(base_url)
            .map_err(|msg| BuildError::Config(vec![Diagnostic::error("--base-url", msg)]))?;
        config.base_url = base_url.clone();
    }
    let output_dir = match &overrides.output_dir {
        Some(dir) => dir.clone(),
        None => root.join(&config.output_dir),
    };
    let base_url = validate(&config, &text, &path)?;
    Ok(SiteConfig {
        config,
        root: root.to_path_buf(),
        output_dir,
        base_url,
    })
}

/// Parses the text of a `site.toml`; `path` is only used in messages. Every error of the
/// file is reported, each at its line and column, as for an article's front matter (with the
/// same TOML recovery: a file with three wrong settings takes one build to see them all), and
/// the checks of `validate` on the settings that did parse join them.
pub fn parse(text: &str, path: &Path) -> Result<Config, BuildError> {
    let parsed = crate::toml_read::parse::<Config>(text, 1, path);
    if parsed.errors.is_empty()
        && let Some(config) = parsed.value
    {
        return Ok(config);
    }
    let checks = match &parsed.value {
        Some(config) => check(config, text, path).err().unwrap_or_default(),
        None => Vec::new(),
    };
    Err(BuildError::Config(crate::toml_read::with_checks(
        parsed.errors,
        &parsed.dropped,
        checks,
    )))
}

fn validate(config: &Config, text: &str, path: &Path) -> Result<BaseUrl, BuildError> {
    check(config, text, path).map_err(BuildError::Config)
}

/// Every problem of settings that parsed, each at its key's line where the file has the key.
fn check(config: &Config, text: &str, path: &Path) -> Result<BaseUrl, Vec<Diagnostic>> {
    let mut problems: Vec<(&str, String)> = Vec::new();
    if config.title.trim().is_empty() {
        problems.push((
            "title",
            "title: missing; add a line such as `title = \"Ukraine briefing\"`".into(),
        ));
    }
    if config.base_url.trim().is_empty() {
        problems.push((
            "base_url",
            "base_url: missing; add a line such as `base_url = \"https://user.github.io/repo/\"`"
                .into(),
        ));
    }
    if config.paginate_by == 0 {
        problems.push((
            "paginate_by",
            "paginate_by: must be 1 or more (it is the number of articles per list page)".into(),
        ));
    }
    if config.feeds.limit == 0 {
        problems.push((
            "feeds.limit",
            "feeds.limit: must be 1 or more (it is the number of articles in each feed)".into(),
        ));
    }
    if config.theme.is_empty() || config.theme.contains(['/', '\\']) || config.theme == ".." {
        problems.push((
            "theme",
            format!(
                "theme: `{}` is not a folder name under themes/",
                config.theme
            ),
        ));
    }
    for (i, topic) in config.topics.iter().enumerate() {
        if topic.name.trim().is_empty() {
            problems.push((
                "topics",
                format!("topics[{i}]: every [[topics]] table needs a `name`"),
            ));
        }
    }
    if let Some(cname) = &config.cname
        && let Err(msg) = validate_cname(cname)
    {
        problems.push(("cname", format!("cname: {msg}")));
    }
    if let Err(problem) = validate_related(&config.related) {
        problems.push(problem);
    }
    if !(0.0..=1.0).contains(&config.stories.threshold) {
        problems.push((
            "stories.threshold",
            "stories.threshold: must be between 0 and 1, e.g. 0.2".into(),
        ));
    }
    let base_url = if config.base_url.trim().is_empty() {
        None
    } else {
        match parse_base_url(&config.base_url) {
            Ok(url) => Some(url),
            Err(msg) => {
                problems.push(("base_url", format!("base_url: {msg}")));
                None
            }
        }
    };
    match base_url {
        Some(url) if problems.is_empty() => Ok(url),
        _ => Err(problems
            .into_iter()
            .map(|(key, message)| {
                let diagnostic = Diagnostic::error(path, message);
                match line_of_key(text, key) {
                    Some(line) => diagnostic.at(line, 1),
                    None => diagnostic,
                }
            })
            .collect()),
    }
}

/// The line of `key` in a `site.toml`: `feeds.limit` is `limit` under `[feeds]`, `topics` the
/// first `[[topics]]`. A key left to its default is in no line.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let (table, name) = match key.rsplit_once('.') {
        Some((table, name)) => (Some(table), name),
        None => (None, key),
    };
    let mut current: Option<&str> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_start_matches('[');
            let header = header.split(']').next().unwrap_or("").trim();
            if header == key {
                return Some(number + 1);
            }
            current = Some(header);
            continue;
        }
        let Some((left, _)) = line.split_once('=') else {
            continue;
        };
        if left.trim().trim_matches('"') == name && current == table {
            return Some(number + 1);
        }
    }
    None
}

/// A custom domain is a bare host name: GitHub Pages reads `CNAME` as one.
fn validate_cname(cname: &str) -> Result<(), String> {
    let valid = !cname.is_empty()
        && cname
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && !cname.starts_with(['.', '-']);
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{cname}` is not a domain name; write only the host, like `cname = \"news.example.org\"` (no https://, no path)"
        ))
    }
}

/// The first problem of the `[related]` settings: the key it is about, and what is wrong.
fn validate_related(related: &RelatedConfig) -> Result<(), (&'static str, String)> {
    let w = &related.weights;
    let weights = [w.entities, w.text, w.time, w.story];
    if weights.iter().any(|x| !x.is_finite() || *x < 0.0) || weights.iter().sum::<f32>() <= 0.0 {
        return Err((
            "related.weights",
            "related.weights: every weight must be 0 or more, and at least one above 0".into(),
        ));
    }
    if !(related.half_life_days.is_finite() && related.half_life_days > 0.0) {
        return Err((
            "related.half_life_days",
            "related.half_life_days: must be a number of days above 0, e.g. 30".into(),
        ));
    }
    if !(0.0..=1.0).contains(&related.threshold) {
        return Err((
            "related.threshold",
            "related.threshold: must be between 0 and 1, e.g. 0.2".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, String> {
        parse(text, Path::new("site.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn title_and_base_url_make_a_valid_site() {
        let config = parse_str("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!(config.language, "en");
        assert_eq!(config.theme, "default");
        assert_eq!(config.output_dir, PathBuf::from("output"));
        validate(&config, "", Path::new("site.toml")).unwrap();
    }

    #[test]
    fn unknown_key_names_the_closest_valid_one_and_its_line() {
        let err =
            parse_str("title = \"T\"\nbase_url = \"https://x.org/\"\ntheem = \"x\"\n").unwrap_err();
        assert_eq!(
            err,
            "site.toml:3:1: unknown key `theem`; did you mean `theme`?"
        );
    }

    #[test]
    fn unknown_key_in_a_topic_table_is_reported_too() {
        let err =
            parse_str("title = \"T\"\n[[topics]]\nname = \"A\"\ndescripton = \"x\"\n").unwrap_err();
        assert!(err.contains("4:1"), "{err}");
        assert!(err.contains("did you mean `description`"), "{err}");
    }

    #[test]
    fn cname_is_a_bare_domain() {
        let site = "title = \"T\"\nbase_url = \"https://news.example.org/\"\n";
        let config = parse_str(&format!("{site}cname = \"news.example.org\"\n")).unwrap();
        assert_eq!(config.cname.as_deref(), Some("news.example.org"));
        validate(&config, "", Path::new("site.toml")).unwrap();
        let config = parse_str(&format!("{site}cname = \"https://news.example.org/\"\n")).unwrap();
        let err = validate(&config, "", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cname: `https://news.example.org/` is not a domain"),
            "{err}"
        );
    }

    #[test]
    fn feeds_limit_defaults_to_20_and_must_be_positive() {
        let config = parse_str("title = \"T\"\nbase_url = \"https://x.org/\"\n").unwrap();
        assert_eq!(config.feeds.limit, 20);
        let config =
            parse_str("title = \"T\"\nbase_url = \"https://x.org/\"\n[feeds]\nlimit = 0\n")
                .unwrap();
        let err = validate(&config, "", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("feeds.limit"), "{err}");
        let err = parse_str("title = \"T\"\n[feeds]\nlimt = 5\n").unwrap_err();
        assert!(err.contains("did you mean `limit`"), "{err}");
    }

    #[test]
    fn topic_match_rules_related_and_aliases_are_read_with_defaults() {
        let config = parse_str(concat!(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
            "[[topics]]\nname = \"Ukraine talks\"\n",
            "[topics.match]\nkeywords = [\"ceasefire\"]\nentities = [\"Zelensky\"]\n",
            "[related]\nk = 3\n[related.weights]\ntext = 1.0\n",
            "[entities.aliases]\n\"Kyiv\" = [\"Kiev\"]\n",
        ))
        .unwrap();
        let rules = &config.topics[0].rules;
        assert_eq!(rules.keywords, ["ceasefire"]);
        assert_eq!(rules.threshold, 2.0);
        assert_eq!(config.related.k, 3);
        assert_eq!(config.related.weights.text, 1.0);
        assert_eq!(config.related.weights.story, 0.3);
        assert_eq!(config.entities.aliases["Kyiv"], ["Kiev"]);
        validate(&config, "", Path::new("site.toml")).unwrap();
    }

    #[test]
    fn bad_related_settings_are_explained() {
        let config = parse_str(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n[related]\nhalf_life_days = 0\n",
        )
        .unwrap();
        let err = validate(&config, "", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("related.half_life_days"), "{err}");
        let err = parse_str("title = \"T\"\n[related]\nkk = 3\n").unwrap_err();
        assert!(err.contains("did you mean `k`"), "{err}");
    }

    #[test]
    fn every_problem_of_the_file_is_reported_at_its_line() {
        let text = concat!(
            "title = \"T\"\n",
            "base_url = \"https://x.org/\"\n",
            "paginate_by = 0\n",
            "them = \"default\"\n",
            "language = 5\n",
            "[feeds]\n",
            "limit = 0\n",
            "[related]\n",
            "half_life_days = -1.0\n",
        );
        let err = parse(text, Path::new("site.toml")).unwrap_err();
        let messages: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
        let starts = [
            "site.toml:3:1: paginate_by: must be 1 or more",
            "site.toml:4:1: unknown key `them`; did you mean `theme`?",
            "site.toml:5:12: language: invalid type",
            "site.toml:7:1: feeds.limit: must be 1 or more",
            "site.toml:9:1: related.half_life_days: must be a number of days above 0",
        ];
        assert_eq!(messages.len(), starts.len(), "{messages:#?}");
        for (message, start) in messages.iter().zip(starts) {
            assert!(message.starts_with(start), "{message} / {start}");
        }
    }

    #[test]
    fn a_bad_base_url_from_the_command_line_is_not_blamed_on_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
        )
        .unwrap();
        let overrides = Overrides {
            base_url: Some("x.org".into()),
            ..Overrides::default()
        };
        let err = load(dir.path(), &overrides).unwrap_err().to_string();
        assert!(
            err.starts_with("--base-url: `x.org` is not an absolute URL"),
            "{err}"
        );
    }

    #[test]
    fn missing_title_and_bad_base_url_are_explained() {
        let config = parse_str("base_url = \"https://x.org/\"\n").unwrap();
        let err = validate(&config, "", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("title: missing"), "{err}");
        let config = parse_str("title = \"T\"\nbase_url = \"x.org\"\n").unwrap();
        let err = validate(&config, "", Path::new("site.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("site.toml: base_url:"), "{err}");
    }
}
