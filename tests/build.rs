//! End-to-end tests of `briefing build`: fixture sites built in a temp dir by the real binary.

mod common;

use std::fs;
use std::path::Path;

use common::{Site, internal_links, read};

#[test]
fn the_example_site_builds_every_page() {
    let site = Site::example();
    let out = site.build_ok(&[]);
    for page in [
        "index.html",
        "404.html",
        "index.json",
        "style.css",
        "topics/index.html",
        "topics/ukraine-talks/index.html",
        "tags/index.html",
        "tags/donald-trump/index.html",
        "articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html",
        "articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/index.html",
    ] {
        assert!(site.output().join(page).is_file(), "missing {page}\n{out}");
    }
    let topic = read(&site.output().join("topics/ukraine-talks/index.html"));
    assert!(topic.contains("Trump halts talks to call Putin tests Western unity"));
    assert!(topic.contains("Trump, Putin Split as Russia Pounds Kyiv"));
    let article = read(
        &site
            .output()
            .join("articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html"),
    );
    for expected in [
        "President interrupted a meeting with European leaders",
        "Ursula von der Leyen",
        "on returning Ukrainian children",
        "A call can move a summit but not the war",
        "EU seeks red lines ahead of Trump Putin talks",
        "<h2 id=\"diplomatic-tensions-risk-public-backlash\">",
        "T4K3.news",
    ] {
        assert!(article.contains(expected), "article lacks {expected:?}");
    }
}

#[test]
fn index_json_lists_articles_and_topics_with_their_links() {
    let site = Site::example();
    site.build_ok(&[]);
    let index: serde_json::Value =
        serde_json::from_str(&read(&site.output().join("index.json"))).unwrap();
    let articles = index["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 2);
    assert_eq!(
        articles[0]["url"],
        "/briefing/articles/trump-halts-talks-to-call-putin-tests-western-unity/"
    );
    assert_eq!(
        articles[0]["source"],
        "content/trump-halts-talks-to-call-putin-tests-western-unity.md"
    );
    assert_eq!(articles[0]["date"], "2025-08-18");
    assert_eq!(articles[0]["topics"][0], "ukraine-talks");
    let topics = index["topics"].as_array().unwrap();
    assert_eq!(topics[0]["name"], "Ukraine talks");
    assert_eq!(topics[0]["kind"], "configured");
    assert_eq!(topics[0]["articles"].as_array().unwrap().len(), 2);
}

#[test]
fn every_internal_link_honours_the_sub_path_and_resolves() {
    let site = Site::example();
    site.build_ok(&["--base-url", "https://user.github.io/repo/"]);
    let mut checked = 0;
    for page in common::html_files(&site.output()) {
        let html = read(&page);
        for link in internal_links(&html) {
            assert!(
                link.starts_with("/repo/"),
                "{}: link {link} escapes the base path",
                page.display()
            );
            let target = common::resolve(&site.output(), &link["/repo/".len()..]);
            assert!(
                target.is_some(),
                "{}: link {link} has no file",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn building_twice_gives_byte_identical_output() {
    let site = Site::example();
    site.build_ok(&[]);
    let first = common::snapshot(&site.output());
    site.build_ok(&["--force"]);
    let second = common::snapshot(&site.output());
    assert_eq!(first.len(), second.len());
    assert!(first == second, "the second build differs from the first");
}

#[test]
fn drafts_and_future_articles_appear_only_with_drafts() {
    let site = Site::example();
    site.write(
        "content/draft.md",
        "+++\ntitle = \"Draft story\"\ndate = 2025-01-01\ndraft = true\n+++\nx\n",
    );
    site.write(
        "content/future.md",
        "+++\ntitle = \"Future story\"\ndate = 2999-01-01\n+++\nx\n",
    );
    site.build_ok(&[]);
    assert!(!site.output().join("articles/draft-story").exists());
    assert!(!site.output().join("articles/future-story").exists());
    site.build_ok(&["--drafts"]);
    assert!(
        site.output()
            .join("articles/draft-story/index.html")
            .is_file()
    );
    assert!(
        site.output()
            .join("articles/future-story/index.html")
            .is_file()
    );
}

#[test]
fn an_undated_article_is_listed_last_with_a_warning() {
    let site = Site::example();
    site.write(
        "content/undated.md",
        "+++\ntitle = \"Aaa undated\"\n+++\nx\n",
    );
    let out = site.build_ok(&[]);
    assert!(
        out.contains("content/undated.md: warning: no date"),
        "{out}"
    );
    let index = read(&site.output().join("index.html"));
    let undated = index.find("Aaa undated").unwrap();
    let dated = index.find("Trump halts talks").unwrap();
    assert!(dated < undated);
}

/// Each bad input exits 1 with the file (and line) named, and the previous output survives.
#[test]
fn bad_input_fails_clearly_and_keeps_the_previous_output() {
    let cases: &[(&str, &str, &[u8], &str)] = &[
        (
            "missing title",
            "content/bad.md",
            b"+++\ndate = 2025-01-01\n+++\nx\n",
            "content/bad.md:1:1: title: missing",
        ),
        (
            "malformed TOML",
            "content/bad.md",
            b"+++\ntitle = \"x\ndate = 2025-01-01\n+++\n",
            "content/bad.md:2:",
        ),
        (
            "bad date",
            "content/bad.md",
            b"+++\ntitle = \"x\"\ndate = \"yesterday\"\n+++\n",
            "content/bad.md:3:8: date: expected a date like 2025-08-18",
        ),
        (
            "duplicate slugs",
            "content/dup.md",
            b"+++\ntitle = \"Another story\"\nslug = \"trump-halts-talks-to-call-putin-tests-western-unity\"\n+++\n",
            "is also used by content/trump-halts-talks-to-call-putin-tests-western-unity.md",
        ),
        (
            "non-UTF-8 file",
            "content/latin1.md",
            b"+++\ntitle = \"Caf\xe9\"\n+++\n",
            "content/latin1.md:2:",
        ),
        (
            "unknown site.toml key",
            "site.toml",
            b"title = \"T\"\nbase_url = \"https://x.org/\"\npaginate = 5\n",
            "site.toml:3:1: unknown key `paginate`; did you mean `paginate_by`?",
        ),
        (
            "template syntax error",
            "templates/article.html",
            b"{% extends \"base.html\" %}\n{% block main %}\n{{ article.title | }}\n{% endblock main %}\n",
            "templates/article.html:3:",
        ),
    ];
    for (name, path, bytes, expected) in cases {
        let site = Site::example();
        site.build_ok(&[]);
        let before = common::snapshot(&site.output());
        site.write_bytes(path, bytes);
        let (code, out) = site.build(&[]);
        assert_eq!(code, 1, "{name}: exit code\n{out}");
        assert!(
            out.contains(expected),
            "{name}: expected {expected:?} in\n{out}"
        );
        assert!(
            before == common::snapshot(&site.output()),
            "{name}: the previous output changed"
        );
    }
}

#[test]
fn a_build_reports_every_content_error_it_finds() {
    let site = Site::example();
    site.write("content/a.md", "+++\ntitle = \"A\"\ndate = \"soon\"\n+++\n");
    site.write("content/b.md", "+++\ndate = 2025-01-01\n+++\n");
    site.write("content/c.md", "no front matter\n");
    let (code, out) = site.build(&[]);
    assert_eq!(code, 1);
    assert!(out.contains("content/a.md:3:8: date:"), "{out}");
    assert!(out.contains("content/b.md:1:1: title: missing"), "{out}");
    assert!(out.contains("content/c.md:1:1: no front matter"), "{out}");
    assert!(out.contains("3 error(s)"), "{out}");
    assert!(!site.output().exists());
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::example();
    let (code, out) = site.build(&["--no-such-flag"]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn an_output_folder_of_the_users_files_is_refused_and_left_alone() {
    let site = Site::example();
    site.write("docs/notes.txt", "keep me");
    let (code, out) = site.build(&["--output", "docs"]);
    assert_eq!(code, 1);
    assert!(out.contains("did not write"), "{out}");
    assert_eq!(read(&site.root().join("docs/notes.txt")), "keep me");
    let (code, out) = site.build(&["--output", "content"]);
    assert_eq!(code, 1);
    assert!(out.contains("content/"), "{out}");
    assert!(site.root().join("content").is_dir());
}

#[test]
fn html_in_front_matter_is_escaped() {
    let site = Site::example();
    site.write(
        "content/hostile.md",
        "+++\ntitle = \"<script>alert(1)</script>\"\ndate = 2025-01-02\ndek = \"\\\" onmouseover=\\\"x\"\n+++\nbody\n",
    );
    site.build_ok(&[]);
    let page = read(
        &site
            .output()
            .join("articles/script-alert-1-script/index.html"),
    );
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("\" onmouseover=\"x"));
}

#[test]
fn a_site_with_only_title_and_base_url_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = Site::at(dir.path().to_path_buf());
    site.write(
        "site.toml",
        "title = \"Minimal\"\nbase_url = \"https://x.org\"\n",
    );
    common::copy_dir(&common::repo().join("themes"), &site.root().join("themes"));
    site.write(
        "content/one.md",
        "+++\ntitle = \"One\"\ndate = 2025-01-01\n+++\nHello.\n",
    );
    site.build_ok(&[]);
    let index = read(&site.output().join("index.html"));
    assert!(index.contains("href=\"/articles/one/\""));
    assert!(Path::new(&site.output().join("articles/one/index.html")).is_file());
    fs::remove_dir_all(site.output()).unwrap();
}

#[test]
fn long_lists_are_paginated_with_rel_links() {
    let site = Site::example();
    let config = read(&site.root().join("site.toml"));
    site.write("site.toml", &format!("paginate_by = 1\n{config}"));
    site.build_ok(&[]);
    let first = read(&site.output().join("topics/ukraine-talks/index.html"));
    assert!(first.contains("<link rel=\"next\" href=\"/briefing/topics/ukraine-talks/page/2/\">"));
    let second = read(&site.output().join("topics/ukraine-talks/page/2/index.html"));
    assert!(second.contains("<link rel=\"prev\" href=\"/briefing/topics/ukraine-talks/\">"));
    assert!(second.contains("Trump, Putin Split"));
    assert!(!second.contains("Trump halts talks to call Putin tests Western unity</a>"));
    assert!(site.output().join("page/2/index.html").is_file());
}

#[test]
fn a_build_with_nothing_changed_rewrites_no_file() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::example();
    site.build_ok(&[]);
    let inodes = |site: &Site| -> Vec<(std::path::PathBuf, u64, i64)> {
        common::snapshot(&site.output())
            .keys()
            .map(|p| {
                let m = fs::metadata(site.output().join(p)).unwrap();
                (p.clone(), m.ino(), m.mtime_nsec())
            })
            .collect()
    };
    let before = inodes(&site);
    let out = site.build_ok(&[]);
    assert!(out.contains("up to date"), "{out}");
    assert_eq!(before, inodes(&site));

    // An edit rebuilds, but pages whose bytes did not change keep their file.
    let path = "content/trump-halts-talks-to-call-putin-tests-western-unity.md";
    let text = read(&site.root().join(path));
    site.write(
        path,
        &text.replace("according to Bild", "according to the paper Bild"),
    );
    let out = site.build_ok(&[]);
    assert!(out.contains("Built 2 article(s)"), "{out}");
    let after = inodes(&site);
    let kept = |name: &str| {
        let find = |list: &[(std::path::PathBuf, u64, i64)]| {
            list.iter().find(|(p, _, _)| p.ends_with(name)).map(|e| e.1)
        };
        find(&before) == find(&after)
    };
    assert!(kept("style.css"));
    assert!(!kept(
        "trump-halts-talks-to-call-putin-tests-western-unity/index.html"
    ));
}

/// As in Zola, the content's own `_index.md` decides whether the front page is paginated: a
/// Zola or Hugo site's home page lists its newest articles on one page. Without that file,
/// `site.toml`'s `paginate_by` paginates it.
#[test]
fn the_contents_own_index_decides_whether_the_front_page_is_paginated() {
    let site = Site::example();
    let config = read(&site.root().join("site.toml"));
    site.write("site.toml", &format!("paginate_by = 1\n{config}"));
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    site.build_ok(&[]);
    let front = read(&site.output().join("index.html"));
    assert!(!front.contains("rel=\"next\""), "{front}");
    assert!(!site.output().join("page/2").exists());
    let sitemap = read(&site.output().join("sitemap.xml"));
    assert!(!sitemap.contains("/briefing/page/2/"), "{sitemap}");
    assert!(
        site.output()
            .join("topics/ukraine-talks/page/2/index.html")
            .is_file()
    );

    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\npaginate_by = 1\n+++\n",
    );
    site.build_ok(&[]);
    let front = read(&site.output().join("index.html"));
    assert!(
        front.contains("<link rel=\"next\" href=\"/briefing/page/2/\">"),
        "{front}"
    );
    assert!(site.output().join("page/2/index.html").is_file());
    assert!(read(&site.output().join("sitemap.xml")).contains("/briefing/page/2/"));
}

/// Content written for Zola or Hugo builds unchanged: sections, taxonomies, aliases.
#[test]
fn zola_and_hugo_content_builds_unchanged() {
    let site = Site::example();
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\nsort_by = \"date\"\n+++\n",
    );
    site.write(
        "content/news/_index.md",
        "+++\ntitle = \"News\"\ndescription = \"Wire copy\"\nsort_by = \"date\"\npaginate_by = 1\n+++\n",
    );
    for (n, day) in [(1, "01"), (2, "02")] {
        site.write(
            &format!("content/news/story-{n}.md"),
            &format!(
                "+++\ntitle = \"Story {n}\"\ndate = 2024-01-{day}T06:00:00Z\ndescription = \"About {n}\"\ntopics = [\"world\"]\ntags = [\"t{n}\"]\naliases = [\"/old/story-{n}/\"]\n\n[taxonomies]\ntopics = [\"world\"]\ntags = [\"t{n}\"]\n\n[extra]\nsource = \"wire\"\n+++\nText {n}.\n"
            ),
        );
    }
    site.build_ok(&[]);
    let news = read(&site.output().join("news/index.html"));
    assert!(news.contains("<h1>News</h1>"), "{news}");
    assert!(news.contains("Wire copy"));
    assert!(news.contains("Story 2") && !news.contains("Story 1</a>"));
    let page_two = read(&site.output().join("news/page/2/index.html"));
    assert!(page_two.contains("Story 1"));
    let world = read(&site.output().join("topics/world/index.html"));
    assert!(world.contains("Story 1") && world.contains("Story 2"));
    assert!(world.contains("About 1"), "description becomes the summary");
    let redirect = read(&site.output().join("old/story-1/index.html"));
    assert!(redirect.contains("url=https://example.github.io/briefing/articles/story-1/"));
    assert!(site.output().join("tags/t2/index.html").is_file());
}

#[test]
fn an_alias_that_takes_another_page_is_an_error() {
    let site = Site::example();
    site.write(
        "content/clash.md",
        "+++\ntitle = \"Clash\"\ndate = 2024-01-01\naliases = [\"/topics/\", \"/old/\",\n  \"/search/\"]\n+++\n",
    );
    let (code, out) = site.build(&[]);
    assert_eq!(code, 1, "{out}");
    // Every clash, each where the file writes it; the alias that takes no page is no error.
    assert!(
        out.contains("content/clash.md:4:12: aliases: `topics/` is already a page"),
        "{out}"
    );
    assert!(
        out.contains("content/clash.md:5:3: aliases: `search/` is already a page"),
        "{out}"
    );
    assert!(out.contains("build failed with 2 error(s)"), "{out}");
}

#[test]
fn raw_html_in_markdown_is_sanitised_unless_the_site_trusts_it() {
    let site = Site::example();
    site.write(
        "content/raw.md",
        "+++\ntitle = \"Raw\"\ndate = 2024-01-01\n+++\n<p onmouseover=\"x()\">Hi</p><script>steal()</script>\n\n[link](javascript:steal())\n",
    );
    site.build_ok(&[]);
    let page = read(&site.output().join("articles/raw/index.html"));
    assert!(
        !page.contains("steal()") && !page.contains("onmouseover"),
        "{page}"
    );
    assert!(page.contains("<p>Hi</p>"));
    let config = read(&site.root().join("site.toml"));
    site.write("site.toml", &format!("unsafe_html = true\n{config}"));
    site.build_ok(&[]);
    let page = read(&site.output().join("articles/raw/index.html"));
    assert!(page.contains("<script>steal()</script>"));
    assert!(
        !page.contains("javascript:"),
        "script links are dropped even then"
    );
}

#[test]
fn an_article_carries_news_article_json_ld_with_its_real_values() {
    let site = Site::example();
    site.build_ok(&[]);
    let page = read(&site.output().join(
        "articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/index.html",
    ));
    let start = page.find("<script type=\"application/ld+json\">").unwrap();
    let rest = &page[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["@type"], "NewsArticle");
    assert_eq!(
        value["headline"],
        "‘Vladimir, STOP!’: Trump, Putin Split as Russia Pounds Kyiv Amid Peace Talks"
    );
    assert_eq!(value["datePublished"], "2025-04-24");
    assert_eq!(value["dateModified"], "2025-04-24");
    assert_eq!(value["author"][0]["name"], "Editor");
    assert_eq!(value["publisher"]["name"], "Pan-Atlantic Kompass");
    assert_eq!(
        value["mainEntityOfPage"]["@id"],
        "https://example.github.io/briefing/articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/"
    );
}

#[test]
fn a_site_template_overrides_one_block_of_the_theme() {
    let site = Site::example();
    site.write(
        "templates/article.html",
        "{% extends \"theme/article.html\" %}{% block main %}<p class=\"mine\">{{ article.title }}</p>{% endblock main %}",
    );
    site.build_ok(&[]);
    let page = read(
        &site
            .output()
            .join("articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html"),
    );
    assert!(page.contains("<p class=\"mine\">Trump halts talks"));
    assert!(
        page.contains("application/ld+json"),
        "the theme's head block is kept"
    );
}

#[test]
fn the_newsprint_theme_builds_every_page_of_the_example() {
    let site = Site::example();
    let config = read(&site.root().join("site.toml"))
        .replace("theme = \"default\"", "theme = \"newsprint\"");
    site.write("site.toml", &config);
    site.build_ok(&[]);
    let index = read(&site.output().join("index.html"));
    assert!(index.contains("/briefing/newsprint.css"));
    assert!(
        index.contains("The briefing edition"),
        "theme.toml [extra] reaches templates"
    );
    for page in [
        "404.html",
        "archive/index.html",
        "archive/2025/08/index.html",
        "topics/index.html",
        "topics/ukraine-talks/index.html",
        "tags/kyiv/index.html",
        "articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html",
    ] {
        let html = read(&site.output().join(page));
        assert!(
            html.contains("class=\"nameplate\""),
            "{page} is not a newsprint page"
        );
    }
}

#[test]
fn the_archive_lists_months_and_the_front_page_the_most_covered_topics() {
    let site = Site::example();
    site.build_ok(&[]);
    let archive = read(&site.output().join("archive/index.html"));
    let august = archive.find("August 2025").unwrap();
    let april = archive.find("April 2025").unwrap();
    assert!(august < april, "newest month first");
    assert!(archive.contains("href=\"/briefing/archive/2025/08/\""));
    let month = read(&site.output().join("archive/2025/04/index.html"));
    assert!(month.contains("Trump, Putin Split"));
    assert!(!month.contains("Trump halts talks to call Putin tests Western unity</a>"));
    let index = read(&site.output().join("index.html"));
    let covered = &index[index.find("Most covered").unwrap()..];
    assert!(covered.contains("Ukraine talks</a>"));
}

#[test]
fn a_lead_image_reaches_the_page_link_previews_and_json_ld() {
    let site = Site::example();
    site.write_bytes("static/images/lead.png", b"\x89PNG\r\n\x1a\n");
    site.write(
        "content/pictured.md",
        "+++\ntitle = \"Pictured\"\ndate = 2024-01-01\nimage = \"images/lead.png\"\n+++\nText.\n",
    );
    site.write(
        "content/bad-image.md",
        "+++\ntitle = \"Bad image\"\ndate = 2024-01-01\nimage = \"javascript:x\"\n+++\n",
    );
    let (code, out) = site.build(&[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("content/bad-image.md:4:9: image: `javascript:x` is neither a web link nor a path inside the site"),
        "{out}"
    );
    std::fs::remove_file(site.root().join("content/bad-image.md")).unwrap();
    site.build_ok(&[]);
    let page = read(&site.output().join("articles/pictured/index.html"));
    let url = "https://example.github.io/briefing/images/lead.png";
    assert!(page.contains(&format!("<meta property=\"og:image\" content=\"{url}\">")));
    assert!(page.contains(&format!("\"image\":[\"{url}\"]")));
    assert!(page.contains("summary_large_image"));
}

/// A build tells its memory hint (the binary readies its allocator with it) what it expects to
/// allocate, in proportion to its content, and only when it has something to build.
#[test]
fn a_build_hints_its_memory_use_in_proportion_to_its_content_and_only_when_it_builds() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static HINT: AtomicUsize = AtomicUsize::new(0);
    fn record(bytes: usize) {
        HINT.store(bytes, Ordering::SeqCst);
    }
    let site = Site::example();
    let options = briefing::BuildOptions {
        root: site.root().to_path_buf(),
        overrides: briefing::config::Overrides::default(),
        drafts: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        force: false,
        memory_hint: Some(record),
    };
    briefing::build(&options).unwrap();
    let first = HINT.swap(0, Ordering::SeqCst);
    assert!(first > 0);

    let report = briefing::build(&options).unwrap();
    assert!(report.up_to_date);
    assert_eq!(
        HINT.load(Ordering::SeqCst),
        0,
        "an up-to-date build hints nothing"
    );

    let text = read(
        &site
            .root()
            .join("content/trump-halts-talks-to-call-putin-tests-western-unity.md"),
    );
    site.write(
        "content/a-second-copy.md",
        &text.replace("title = \"", "title = \"Copy: "),
    );
    briefing::build(&options).unwrap();
    let second = HINT.load(Ordering::SeqCst);
    assert!(
        second > first,
        "{second} after one more article, {first} before"
    );
    assert_eq!(
        second % (second - first),
        0,
        "the same share for every file"
    );
}
