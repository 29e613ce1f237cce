//! End-to-end test of the search index: the example site built by the real binary, its index
//! read back as the search page's script reads it.

mod common;

use common::{Site, read};

/// The ids of the articles holding `word`, from its shard's (id gap, weight) pairs.
fn articles_with(site: &Site, word: &str) -> Vec<u64> {
    let shard = site
        .output()
        .join(format!("search/terms/{}.json", &word[..2]));
    let shard: serde_json::Value = serde_json::from_str(&read(&shard)).unwrap();
    let Some(list) = shard[word].as_array() else {
        return Vec::new();
    };
    let mut id = 0;
    list.chunks(2)
        .map(|pair| {
            id += pair[0].as_u64().unwrap();
            assert!(pair[1].as_u64().unwrap() > 0, "a weight of zero for {word}");
            id
        })
        .collect()
}

#[test]
fn the_index_finds_each_article_by_its_words_and_names_them_in_its_docs() {
    let site = Site::example();
    site.build_ok(&[]);
    let meta: serde_json::Value =
        serde_json::from_str(&read(&site.output().join("search/meta.json"))).unwrap();
    assert_eq!(meta["articles"], 2);
    // "Zelenskyy" in one article, "Zelensky" in the other: each spelling finds both.
    assert_eq!(articles_with(&site, "zelensky"), [0, 1]);
    assert_eq!(articles_with(&site, "zelenskyy"), [0, 1]);
    let stoltenberg = articles_with(&site, "stoltenberg");
    assert_eq!(stoltenberg.len(), 1);
    assert!(
        articles_with(&site, "the").is_empty(),
        "stop words are left out"
    );
    let docs: serde_json::Value =
        serde_json::from_str(&read(&site.output().join("search/docs/0.json"))).unwrap();
    let doc = &docs[stoltenberg[0] as usize];
    assert_eq!(
        doc[0],
        "articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/"
    );
    assert!(doc[3].as_str().unwrap().contains("Stoltenberg"));
    assert!(site.output().join("search/briefing-search.js").is_file());
}
