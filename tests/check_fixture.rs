//! `briefing check` finds planted broken links, fragments and assets, naming the page and the
//! file it was made from; the build refuses links that escape the base path.

mod common;

use std::path::Path;

use common::pages::{StaticServer, briefing, briefing_ok};
use common::{copy_dir, repo};

const SITE_TOML: &str = "title = \"Fixture\"\nbase_url = \"https://example.github.io/repo/\"\n";

const ARTICLE_A: &str = "+++
title = \"A\"
date = 2025-08-01
+++
Intro.

See [gone](gone.md), [a bad fragment](b.md#nope), [a good one](b.md#context) and
[nowhere here](#nowhere).

![chart](/charts/missing.png)
";

const ARTICLE_B: &str = "+++
title = \"B\"
date = 2025-08-02
+++
## Context

Back to [a](a.md).
";

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs a check that must fail; returns its stderr and its `error:` lines.
fn failed_check(dir: &Path, args: &[&str]) -> (String, Vec<String>) {
    let output = briefing(dir, args);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let errors = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_string)
        .collect();
    (stderr, errors)
}

/// A site with the default theme and the given files.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    write(dir.path(), "site.toml", SITE_TOML);
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

#[test]
fn planted_broken_links_fragments_and_assets_are_named_with_page_and_source() {
    let topics_template = std::fs::read_to_string(
        repo().join("themes/default/templates/terms.html"),
    )
    .unwrap()
    .replace(
        "<header class=\"list-header\">",
        "<img src=\"{{ url(path='missing-logo.svg') }}\" alt=\"\"><header class=\"list-header\">",
    );
    let dir = site(&[
        ("content/a.md", ARTICLE_A),
        ("content/b.md", ARTICLE_B),
        ("templates/topics.html", &topics_template),
        (
            "static/about.html",
            "<p><a href=\"nope/\">x</a> <a href=\"./\">home</a></p>",
        ),
    ]);
    let built = briefing_ok(dir.path(), &["build"]);
    assert!(
        built.contains("content/a.md:7: warning: link to `gone.md`"),
        "{built}"
    );
    let (stderr, errors) = failed_check(dir.path(), &["check"]);
    let article = "error: articles/a/index.html (from content/a.md, through themes/default/templates/article.html)";
    let expected = [
        format!("{article}: `gone.md`: a Markdown link that is not an article"),
        format!("{article}: `/repo/articles/b/#nope`: no element with id `nope` on articles/b/index.html"),
        format!("{article}: `#nowhere`: no element with id `nowhere` on articles/a/index.html"),
        format!("{article}: `/repo/charts/missing.png`: no such page or file in the output"),
        "error: about.html (from static/about.html): `nope/`: no such page or file".to_string(),
        "error: topics/index.html (from templates/topics.html): `/repo/missing-logo.svg`: no such page or file".to_string(),
    ];
    for line in &expected {
        assert!(
            errors.iter().any(|e| e.starts_with(line.as_str())),
            "missing {line:?} in:\n{stderr}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{stderr}");
    assert!(stderr.contains("; 6 broken."), "{stderr}");
}

#[test]
fn a_root_relative_link_outside_the_base_path_fails_the_build_with_template_and_line() {
    let tags = "{% extends \"base.html\" %}\n{% block main %}\n<p><a href=\"/about/\">About</a></p>\n{% endblock main %}\n";
    let dir = site(&[("content/b.md", ARTICLE_B), ("templates/tags.html", tags)]);
    let output = briefing(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: templates/tags.html:3:13: `/about/` in <a href> is a root-relative link outside the base path `/repo/`"),
        "{stderr}"
    );
    assert!(!dir.path().join("output").exists(), "nothing was written");
    // At the root of a domain the same link stays on the site.
    write(
        dir.path(),
        "site.toml",
        "title = \"Fixture\"\nbase_url = \"https://news.example.org/\"\n",
    );
    briefing_ok(dir.path(), &["build"]);
}

#[test]
fn check_without_a_build_says_to_build_first() {
    let dir = site(&[("content/b.md", ARTICLE_B)]);
    let output = briefing(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("run `briefing build` first"), "{stderr}");
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let served = tempfile::tempdir().unwrap();
    std::fs::write(served.path().join("ok.html"), "<p>ok</p>").unwrap();
    let server = StaticServer::start(served.path().to_path_buf(), "/");
    let origin = server.origin();
    let article = format!(
        "+++\ntitle = \"Links\"\ndate = 2025-08-01\n+++\n[up]({origin}/ok.html) and [down]({origin}/gone.html)\n"
    );
    let dir = site(&[("content/links.md", &article)]);
    briefing_ok(dir.path(), &["build"]);
    let quiet = briefing_ok(dir.path(), &["check"]);
    assert!(
        quiet.contains("2 external link(s) not checked (pass --external"),
        "{quiet}"
    );
    let (stderr, broken) = failed_check(dir.path(), &["check", "--external"]);
    assert_eq!(broken.len(), 1, "{stderr}");
    assert!(
        broken[0].contains(&format!(
            "`{origin}/gone.html`: the server answers HTTP 404"
        )),
        "{stderr}"
    );
    assert!(broken[0].contains("(from content/links.md"), "{stderr}");
    assert!(stderr.contains("2 external link(s) checked"), "{stderr}");
}
