//! `briefing import` of saved HTML pages end to end: every field of small pages written for the
//! purpose (OpenGraph only, JSON-LD only, neither, a Windows-1252 page, a page with no
//! article, a page nested 20,000 deep), a folder of pages written as articles, and `.html`
//! files built straight from `content/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::pages::briefing;
use common::{import_records, strings};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

fn only_record(name: &str) -> Value {
    let (records, stderr) = import_records(&fixture(name));
    assert_eq!(records.len(), 1, "{stderr}");
    records[0].clone()
}

#[test]
fn opengraph_page_gives_every_field() {
    let a = only_record("opengraph.html");
    assert_eq!(a["title"], "Harbour reopens after storm repairs");
    assert_eq!(
        a["dek"],
        "Fishing boats return to the quay as the sea wall is rebuilt ahead of winter."
    );
    assert_eq!(a["author"], "Mara Quill");
    assert_eq!(a["outlet"], "Coastal Courier");
    assert_eq!(a["date"], "2025-03-14");
    assert_eq!(a["updated"], "2025-03-15");
    assert_eq!(
        a["source_url"],
        "https://courier.example/news/harbour-reopens"
    );
    assert_eq!(a["image"], "https://courier.example/images/harbour.jpg");
    assert_eq!(a["language"], "en-GB");
    assert_eq!(
        strings(&a["highlights"]),
        [
            "Harbour open six weeks after the storm",
            "Repairs finished under budget"
        ]
    );
    let quotes = a["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(
        quotes[0]["text"],
        "We have never seen the town pull together like this."
    );
    assert_eq!(quotes[0]["speaker"], "Harbour master Ines Varga");
    assert_eq!(quotes[0]["context"], "on the repairs");
    let related = a["related_headlines"].as_array().unwrap();
    assert_eq!(related.len(), 3, "{related:?}");
    assert_eq!(related[0]["title"], "Storm sinks two trawlers in Westmouth");
    assert_eq!(
        related[0]["url"],
        "https://courier.example/news/storm-sinks-trawlers"
    );
    assert_eq!(
        related[1]["url"],
        "https://courier.example/news/sea-wall-budget"
    );
    // A `data:` link keeps its headline, not its address.
    assert_eq!(related[2], "Lifeboat crew gets new slipways");

    let md = a["body_markdown"].as_str().unwrap();
    let expected = [
        "The harbour at Westmouth reopened on Friday",
        "[according to its budget papers](<https://council.example/budget>)",
        "![Boats at the quay](<https://courier.example/images/quay.jpg>)  \n*Boats back at the quay on Friday morning*",
        "\n## What the repairs cost\n",
        "- New sea wall blocks along the northern arm\n- Two rebuilt slipways for the lifeboat crew\n",
        "> We have never seen the town pull together like this before.",
        "A link that runs a script stays as its words only.",
    ];
    for part in expected {
        assert!(md.contains(part), "{part:?} not in\n{md}");
    }
    for furniture in [
        "Share on Social",
        "Email this story",
        "newsletter",
        "Copyright",
        "Home",
        "javascript:",
        "not text",
        "Highlights",
        "Key Takeaways",
        "Related News",
    ] {
        assert!(!md.contains(furniture), "{furniture:?} in\n{md}");
    }
    let text = a["body_text"].as_str().unwrap();
    assert!(
        text.starts_with("The harbour at Westmouth reopened"),
        "{text}"
    );
    assert!(!text.contains("Boats back at the quay"), "{text}");
    assert!(text.ends_with("A link that runs a script stays as its words only."));
}

#[test]
fn json_ld_page_gives_every_field() {
    let a = only_record("jsonld.html");
    assert_eq!(a["title"], "Rail line to the valley will reopen in May");
    assert_eq!(
        a["dek"],
        "The regional rail authority has fixed a date after two years of works."
    );
    assert_eq!(a["author"], "Tomas Berg and Lena Frost");
    assert_eq!(a["outlet"], "Valley Ledger");
    assert_eq!(a["date"], "2024-11-02");
    assert_eq!(a["updated"], "2024-11-03");
    assert_eq!(
        a["source_url"],
        "https://ledger.example/transport/rail-reopens"
    );
    assert_eq!(a["image"], "https://ledger.example/img/rail.jpg");
    assert_eq!(a["language"], "en");
    assert_eq!(a["highlights"], Value::Array(Vec::new()));
    assert_eq!(a["quotes"], Value::Array(Vec::new()));
    assert_eq!(a["related_headlines"], Value::Array(Vec::new()));
    assert_eq!(
        a["body_markdown"],
        "The rail line between Oster and the upper valley will reopen to passengers in May, the regional rail authority said on Saturday, ending two years of closures.\n\n\
         Crews have replaced the bridge at Kessel and relaid eleven kilometres of track, work that ran a year late after floods washed away the first embankment.\n\n\
         ### Timetable\n\n\
         1. Hourly trains on weekdays\n1. Two-hourly trains at weekends\n\n\
         Passenger groups welcomed the news but asked the authority to keep the replacement buses running until the new timetable has proved reliable.\n"
    );
}

#[test]
fn page_without_metadata_reads_title_time_and_byline() {
    let a = only_record("plain.html");
    assert_eq!(a["title"], "Library opens its doors on Sundays");
    assert_eq!(a["outlet"], "The Town Crier");
    assert_eq!(a["author"], "Oskar Lind");
    assert_eq!(a["date"], "2023-06-04");
    for absent in ["dek", "updated", "source_url", "image", "language"] {
        assert_eq!(a[absent], Value::Null, "{absent}");
    }
    let text = a["body_text"].as_str().unwrap();
    assert!(text.starts_with("The central library will open on Sundays"));
    assert!(text.ends_with("a reading by a local author."));
    assert!(!text.contains("Oskar Lind"), "{text}");
}

#[test]
fn windows_1252_page_is_decoded_by_its_declaration() {
    let a = only_record("windows-1252.html");
    assert_eq!(a["title"], "Le café du port fête ses cent ans");
    assert_eq!(a["outlet"], "La Gazette");
    assert_eq!(a["language"], "fr");
    assert_eq!(a["author"], Value::Null);
    assert_eq!(a["date"], Value::Null);
    let text = a["body_text"].as_str().unwrap();
    assert!(text.starts_with("Le café du port a fêté samedi ses cent ans d’existence"));
    assert!(text.contains("« On y vient depuis toujours »"), "{text}");
}

#[test]
fn a_page_with_no_article_is_skipped_with_its_name_and_reason() {
    let (records, stderr) = import_records(&fixture("no-article.html"));
    assert!(records.is_empty());
    assert!(
        stderr.contains("no-article.html: skipped: no article"),
        "{stderr}"
    );
}

#[test]
fn deeply_nested_and_broken_pages_import_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let prose = "<p>The talks resumed on Monday after a week of delays, officials said in a statement to reporters.</p>";
    let deep = format!(
        "<title>Deep page of the week</title>{}{prose}{}",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    std::fs::write(dir.path().join("deep.html"), deep).unwrap();
    let broken = format!(
        "<title>Broken page here</title><p>{prose}<table><td><b><i>{prose}</div></span><a href=\""
    );
    std::fs::write(dir.path().join("broken.htm"), broken).unwrap();
    std::fs::write(dir.path().join("binary.html"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    let started = std::time::Instant::now();
    let (records, stderr) = import_records(dir.path());
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
    let titles: Vec<&str> = records
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Broken page here", "Deep page of the week"]);
    for record in &records {
        let text = record["body_text"].as_str().unwrap();
        assert!(text.contains("The talks resumed on Monday"), "{text}");
    }
    assert!(
        stderr.contains("binary.html: skipped: the file is binary"),
        "{stderr}"
    );
}

#[test]
fn a_folder_of_pages_is_written_as_articles() {
    let dir = tempfile::tempdir().unwrap();
    let out = briefing(
        Path::new("."),
        &[
            "import",
            fixture("").to_str().unwrap(),
            "--into",
            dir.path().to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Imported 4, skipped 1, failed 0"),
        "{stderr}"
    );
    let written =
        std::fs::read_to_string(dir.path().join("harbour-reopens-after-storm-repairs.md")).unwrap();
    for line in [
        "title = \"Harbour reopens after storm repairs\"\n",
        "date = 2025-03-14\n",
        "updated = 2025-03-15\n",
        "source_url = \"https://courier.example/news/harbour-reopens\"\n",
        "image = \"https://courier.example/images/harbour.jpg\"\n",
        "  { title = \"Storm sinks two trawlers in Westmouth\", url = \"https://courier.example/news/storm-sinks-trawlers\" },\n",
        "  \"Lifeboat crew gets new slipways\",\n",
        "[extra]\nlanguage = \"en-GB\"\n",
    ] {
        assert!(written.contains(line), "{line:?} not in\n{written}");
    }
}

#[test]
fn html_pages_in_content_are_built_as_articles() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("site.toml"),
        "title = \"Test\"\nbase_url = \"https://example.org/news/\"\n",
    )
    .unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(fixture("opengraph.html"), content.join("harbour.html")).unwrap();
    std::fs::copy(fixture("jsonld.html"), content.join("rail.htm")).unwrap();
    std::fs::copy(fixture("no-article.html"), content.join("menu.html")).unwrap();
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    common::copy_dir(&themes, &site.path().join("themes"));
    let out = briefing(
        Path::new("."),
        &["build", "--root", site.path().to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("menu.html"), "{stderr}");
    let output = site.path().join("output");
    let page = std::fs::read_to_string(
        output.join("articles/harbour-reopens-after-storm-repairs/index.html"),
    )
    .unwrap();
    assert!(page.contains("Harbour reopens after storm repairs"));
    assert!(
        page.contains("href=\"https://council.example/budget\""),
        "link kept"
    );
    assert!(page.contains("Storm sinks two trawlers in Westmouth"));
    assert!(!page.contains("javascript:"));
    assert!(
        output
            .join("articles/rail-line-to-the-valley-will-reopen-in-may/index.html")
            .is_file()
    );
}
