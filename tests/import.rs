//! `briefing import` end to end: the seed articles through `--json`, files written and never
//! overwritten without `--force`, and raw `.txt` articles built straight from `content/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::pages::briefing;
use common::{import_records, strings};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(name)
}

fn import_json(seed: &str) -> Value {
    import_records(&fixture(seed)).0[0].clone()
}

#[test]
fn seed_000_yields_its_structure() {
    let article = import_json("000.txt");
    assert_eq!(article["outlet"], "T4K3.news");
    assert_eq!(
        article["title"],
        "Trump halts talks to call Putin tests Western unity"
    );
    assert_eq!(
        article["dek"],
        "President interrupted a meeting with European leaders to speak with Putin, signaling potential shifts in Ukraine policy."
    );
    let quotes = article["quotes"].as_array().unwrap();
    let speakers: Vec<&str> = quotes
        .iter()
        .map(|q| q["speaker"].as_str().unwrap())
        .collect();
    assert_eq!(speakers.len(), 4);
    assert_eq!(speakers[0], "Trump");
    assert_eq!(speakers[1], "Zelensky");
    assert!(speakers[2].ends_with("Friedrich Merz"), "{speakers:?}");
    assert_eq!(speakers[3], "Ursula von der Leyen");
    assert_eq!(
        quotes[0]["context"],
        "on whether U.S. support for Ukraine would end"
    );
    assert_eq!(quotes[1]["context"], "after the Washington talks");
    assert_eq!(quotes[2]["context"], "on a ceasefire and Russia pressure");
    assert_eq!(quotes[3]["context"], "on returning Ukrainian children");
    assert!(
        quotes[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("I can never say that.")
    );
    assert_eq!(
        strings(&article["highlights"]),
        [
            "History is written in actions not headlines",
            "Diplomacy lives in deeds not speeches",
            "A call can move a summit but not the war",
            "Unity falters when calls interrupt crisis talks",
        ]
    );
    let related = strings(&article["related_headlines"]);
    assert_eq!(related.len(), 8, "{related:?}");
    assert_eq!(related[0], "EU seeks red lines ahead of Trump Putin talks");
    assert_eq!(
        related[7],
        "Ukraine security guarantees push advances in Washington"
    );
    let body = article["body_markdown"].as_str().unwrap();
    for gone in [
        "Key Takeaways",
        "Highlights",
        "Related News",
        "Enjoyed this?",
    ] {
        assert!(!body.contains(gone), "{gone} left in the body:\n{body}");
    }
    assert!(!body.contains("Trump halts talks to call Putin tests Western unity"));
    assert!(
        body.contains("\n## Diplomatic tensions risk public backlash\n"),
        "{body}"
    );
    assert!(body.contains("What happens next will test how firmly Western unity holds"));
}

#[test]
fn seed_004_yields_byline_reading_time_sign_off_and_twelve_paragraphs() {
    let article = import_json("004.txt");
    assert_eq!(
        article["title"],
        "‘Vladimir, STOP!’: Trump, Putin Split as Russia Pounds Kyiv Amid Peace Talks"
    );
    assert_eq!(article["author"], "Editor");
    assert_eq!(article["reading_minutes"], 3);
    assert_eq!(article["outlet"], "Pan-Atlantic Kompass");
    let text = article["body_text"].as_str().unwrap();
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 12, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("U.S. President Donald Trump has directly called out"));
    assert!(paragraphs[11].starts_with("With tensions boiling"));
    for gone in ["Share This Article", "3 Min Read", "Pan-Atlantic Kompass"] {
        assert!(!text.contains(gone), "{gone} left in the body");
    }
    assert!(!paragraphs.iter().any(|p| p.trim() == "By"));
    assert!(strings(&article["removed"]).contains(&"Share This Article"));
}

#[test]
fn import_writes_articles_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = fixture("");
    let out = briefing(dir.path(), &["import", seeds.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir
        .path()
        .join("content/trump-halts-talks-to-call-putin-tests-western-unity.md");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.starts_with("+++\ntitle = \"Trump halts talks"));
    assert!(text.contains("[[quotes]]"));
    assert!(
        std::fs::read_dir(dir.path().join("content"))
            .unwrap()
            .count()
            == 2
    );

    std::fs::write(&written, "edited by hand").unwrap();
    let again = briefing(dir.path(), &["import", seeds.to_str().unwrap()]);
    assert!(again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already exists (use --force"), "{stderr}");
    assert!(
        stderr.contains("Imported 0, skipped 2, failed 0"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "edited by hand");

    let dry = briefing(
        dir.path(),
        &["import", "--force", "--dry-run", seeds.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&dry.stderr).contains("would write"));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "edited by hand");

    let forced = briefing(dir.path(), &["import", "--force", seeds.to_str().unwrap()]);
    assert!(forced.status.success());
    assert!(
        std::fs::read_to_string(&written)
            .unwrap()
            .starts_with("+++\n")
    );
}

#[test]
fn bad_files_are_skipped_or_failed_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw");
    std::fs::create_dir(&raw).unwrap();
    std::fs::write(raw.join("empty.txt"), "").unwrap();
    std::fs::write(raw.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(raw.join("menu.txt"), "Home\nWorld\nSign In\n").unwrap();
    std::fs::copy(fixture("004.txt"), raw.join("story.txt")).unwrap();
    let out = briefing(
        dir.path(),
        &["import", "raw", "missing.txt", "--into", "articles"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("empty.txt: skipped: the file is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("image.txt: skipped: the file is binary"),
        "{stderr}"
    );
    assert!(stderr.contains("menu.txt: skipped: no article"), "{stderr}");
    assert!(
        stderr.contains("error: missing.txt: cannot read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Imported 1, skipped 3, failed 1"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("articles"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_raw_text_file_in_content_is_built_as_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nbase_url = \"https://example.org/sub/\"\n",
    )
    .unwrap();
    copy_tree(&root.join("themes"), &dir.path().join("themes"));
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let raw = std::fs::read_to_string(fixture("004.txt"))
        .unwrap()
        .replace(
            "Trump’s remarks come",
            "<script>alert(1)</script> Trump’s remarks come",
        );
    std::fs::write(dir.path().join("content/kyiv.txt"), raw).unwrap();
    let out = briefing(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(
        dir.path()
            .join("output/articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/index.html"),
    )
    .unwrap();
    assert!(page.contains("With tensions boiling"));
    assert!(page.contains("Pan-Atlantic Kompass"));
    assert!(!page.contains("<script>alert(1)"));
    assert!(
        page.contains("&lt;script&gt;alert(1)"),
        "the text is shown, escaped"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
