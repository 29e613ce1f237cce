//! End-to-end: the example articles are grouped into one story, cross-linked as related news,
//! and their people merged across spellings, whether the topic is configured or found.

use std::fs;
use std::path::{Path, PathBuf};

use briefing::config::Overrides;
use briefing::{BuildOptions, build};
use chrono::NaiveDate;
use serde_json::Value;

const EXAMPLE: &str = env!("CARGO_MANIFEST_DIR");

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The example site in a temporary folder, its articles without front matter `topics`, so
/// that only the rules or the clustering can group them.
fn example_site(site_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(EXAMPLE).join("themes"),
        &dir.path().join("themes"),
    );
    fs::write(dir.path().join("site.toml"), site_toml).unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    for entry in fs::read_dir(Path::new(EXAMPLE).join("content")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("topics ="))
            .collect();
        assert!(
            kept.len() < text.lines().count(),
            "the example names its topic"
        );
        fs::write(
            content.join(path.file_name().unwrap()),
            kept.join("\n") + "\n",
        )
        .unwrap();
    }
    dir
}

fn build_site(root: &Path) -> PathBuf {
    let output = root.join("public");
    let options = BuildOptions {
        root: root.to_path_buf(),
        overrides: Overrides {
            output_dir: Some(output.clone()),
            ..Overrides::default()
        },
        drafts: false,
        force: true,
        memory_hint: None,
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    };
    build(&options).unwrap();
    output
}

fn index_json(output: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(output.join("index.json")).unwrap()).unwrap()
}

/// Each article's related links point at the other article.
fn assert_cross_linked(index: &Value) {
    let articles = index["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 2);
    for (i, article) in articles.iter().enumerate() {
        let other = &articles[1 - i]["url"];
        assert_eq!(article["related"].as_array().unwrap(), &vec![other.clone()]);
    }
}

#[test]
fn configured_rules_put_both_examples_in_ukraine_talks() {
    let site_toml = fs::read_to_string(Path::new(EXAMPLE).join("site.toml")).unwrap();
    let dir = example_site(&site_toml);
    let index = index_json(&build_site(dir.path()));
    let topics = index["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 1, "{topics:?}");
    assert_eq!(topics[0]["name"], "Ukraine talks");
    assert_eq!(topics[0]["kind"], "configured");
    assert_eq!(topics[0]["articles"].as_array().unwrap().len(), 2);
    assert_cross_linked(&index);
}

#[test]
fn without_configured_topics_both_examples_form_one_automatic_story() {
    let dir = example_site("title = \"T\"\nbase_url = \"https://example.org/sub/\"\n");
    let index = index_json(&build_site(dir.path()));
    let topics = index["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 1, "{topics:?}");
    assert_eq!(topics[0]["kind"], "automatic");
    assert_eq!(topics[0]["articles"].as_array().unwrap().len(), 2);
    let name = topics[0]["name"].as_str().unwrap();
    assert!(!name.contains("cluster") && name.len() > 3, "{name}");
    assert_cross_linked(&index);
}

#[test]
fn zelensky_and_zelenskyy_are_one_person_with_one_page() {
    let dir = example_site("title = \"T\"\nbase_url = \"https://example.org/sub/\"\n");
    let output = build_site(dir.path());
    let pages: Vec<String> = fs::read_dir(output.join("entities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("zelensk"))
        .collect();
    assert_eq!(pages, ["volodymyr-zelenskyy"]);
    let page = fs::read_to_string(output.join("entities/volodymyr-zelenskyy/index.html")).unwrap();
    // Both articles name him, and the quote given as by "Zelensky" is on his page.
    assert!(page.contains("Named in 2 articles"), "{page}");
    assert!(
        page.contains("Today’s talks have been constructive"),
        "{page}"
    );
    for article in index_json(&output)["articles"].as_array().unwrap() {
        let names: Vec<&str> = article["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["name"].as_str())
            .filter(|n| n.contains("Zelensk"))
            .collect();
        assert_eq!(names, ["Volodymyr Zelenskyy"]);
    }
    let article = fs::read_to_string(
        output.join("articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html"),
    )
    .unwrap();
    assert!(
        article.contains("href=\"/sub/entities/volodymyr-zelenskyy/\""),
        "people link"
    );
}

#[test]
fn a_source_headline_naming_a_local_article_links_to_it_and_others_stay_plain() {
    let dir = example_site("title = \"T\"\nbase_url = \"https://example.org/sub/\"\n");
    fs::write(
        dir.path().join("content/roundup.md"),
        "+++\ntitle = \"Weekly roundup\"\nslug = \"roundup\"\ndate = 2025-08-20\nrelated_headlines = [\n  \
         \"Trump halts talks to call Putin, tests Western unity\",\n  \
         { title = \"Markets in Asia\", url = \"https://elsewhere.example/asia\" },\n]\n+++\n\
         Markets and diplomacy this week.\n",
    )
    .unwrap();
    let output = build_site(dir.path());
    let page = fs::read_to_string(output.join("articles/roundup/index.html")).unwrap();
    assert!(
        page.contains(
            "<a href=\"/sub/articles/trump-halts-talks-to-call-putin-tests-western-unity/\">Trump halts talks"
        ),
        "{page}"
    );
    assert!(page.contains("<li>Markets in Asia</li>"), "{page}");
    assert!(!page.contains("elsewhere.example"), "{page}");
}

#[test]
fn the_topic_page_shows_the_key_quotes_and_the_people_involved_in_both_themes() {
    for theme in ["default", "newsprint"] {
        let site_toml = fs::read_to_string(Path::new(EXAMPLE).join("site.toml"))
            .unwrap()
            .replace("theme = \"default\"", &format!("theme = \"{theme}\""));
        let dir = example_site(&site_toml);
        let output = build_site(dir.path());
        let page = fs::read_to_string(output.join("topics/ukraine-talks/index.html")).unwrap();
        assert!(page.contains("Key quotes"), "{theme}: {page}");
        // A front matter quote of one of the articles, with its speaker.
        assert!(
            page.contains("never the end of the road"),
            "{theme}: {page}"
        );
        assert!(page.contains("Trump"), "{theme}");
        assert!(page.contains("People involved"), "{theme}");
        assert!(
            page.contains(
                "href=\"https://example.github.io/briefing/entities/volodymyr-zelenskyy/\""
            ) || page.contains("href=\"/briefing/entities/volodymyr-zelenskyy/\""),
            "{theme}: the people link to their pages"
        );
    }
}
