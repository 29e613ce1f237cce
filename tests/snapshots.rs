//! Snapshots of each kind of page of the example site, default theme (insta).
//!
//! A change to the markup shows up here as a diff to review; accept it with
//! `INSTA_UPDATE=always cargo test --test snapshots` (or `cargo insta review`).

mod common;

use common::{Site, read};

#[test]
fn every_kind_of_page_renders_as_reviewed() {
    let site = Site::example();
    site.build_ok(&[]);
    for (name, page) in [
        ("front_page", "index.html"),
        (
            "article_page",
            "articles/trump-halts-talks-to-call-putin-tests-western-unity/index.html",
        ),
        ("topic_page", "topics/ukraine-talks/index.html"),
        ("topics_page", "topics/index.html"),
        ("tag_page", "tags/kyiv/index.html"),
        ("tags_page", "tags/index.html"),
        ("not_found_page", "404.html"),
        ("index_json", "index.json"),
    ] {
        insta::assert_snapshot!(name, read(&site.output().join(page)));
    }
}
