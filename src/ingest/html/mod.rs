//! Import of saved HTML pages: the same clean article as the text import, plus everything the
//! markup knows (structure, links, images, metadata).
//!
//! The stages, each a function: `charset` decodes the bytes, `prepare` strips scripts and
//! styles and bounds nesting, `meta` reads the metadata, `boxes` takes labelled boxes and page
//! furniture out, the extractor finds the article, and `body` writes it as Markdown blocks.
//!
//! # Why `dom_smoothie`
//!
//! The maintained Rust extractors were measured on the 61 development pages
//! (`../shared/corpus/scraped-pages/html`) with the project's metric (article-body F1 over word
//! 4-gram shingles), timing CPU time of one thread on this machine, pages given whole:
//!
//! | crate | F1 | precision | recall | pages/s | weight |
//! |---|---|---|---|---|---|
//! | `dom_smoothie` 0.19 (Readability.js port) | 0.951 | 0.922 | 0.982 | 245 | `dom_query` + html5ever (already in the tree via ammonia) |
//! | `trafilatura` 0.6 (go-trafilatura port) | 0.958 | 0.953 | 0.963 | 110 | scraper, justext, libreadability, whatlang, regex |
//! | `rs-trafilatura` 0.2 | 0.968 | 0.948 | 0.989 | 59 | XGBoost page classifier, regex, url, quick_html2md |
//!
//! Parsing alone (html5ever) runs at ~450 pages/s on these pages, so no crate could reach the
//! 500 pages/s target as is; cutting scripts and styles out first (`prepare`) roughly doubles
//! every one of them (`dom_smoothie` 413 pages/s, `trafilatura` 129, `rs-trafilatura` 65).
//! `dom_smoothie` is the only one fast enough, the lightest, and its weakness is precision
//! (share bars, "related" rails, captions left in), which is what `boxes` and `body` fix; it
//! also takes an already parsed document, so the page is parsed once for metadata, boxes and
//! extraction. Its metadata covers less than this project needs (no dek, updated date,
//! canonical URL), so `meta` reads it.
//!
//! With the pre-pass, the boxes and furniture taken out before extraction, and `clean` after it,
//! the whole import scores F1 0.965 (precision 0.956, recall 0.975) on those pages, against
//! 0.951 for `dom_smoothie` alone (`cargo run --release --example eval_import -- --html`).
//!
//! # Speed
//!
//! Measured by instructions (`valgrind --tool=callgrind --toggle-collect='briefing::ingest::html::extract_html*'`
//! on `examples/profile_html`, which imports the 61 pages once), as CPU time on this shared
//! machine drifts by a third from one run to the next: 773 M instructions for the 61 pages,
//! down from 790 M (-2%), 845 M and 1,007 M before that, with every page's whole `Extracted`
//! unchanged (`PROFILE_DUMP=<folder>` writes them, for `diff -r` before and after).
//! The last cut: the parser spends about 2,700 instructions on each attribute and 150 on each
//! character it reads one at a time (tag and attribute names, quotes), so `prepare` now also
//! drops the head's `<meta>` tags whose keys nothing reads (viewport, robots, `article:tag`,
//! app ids: half of them) and the attributes of images that neither are read by name nor
//! name an image file (sizes, widths, pinning captions): parsing -19 M, the extractor -5 M,
//! `meta` -3 M, `prepare` +10 M. Where the instructions go now (61 pages):
//!
//! | stage | M instructions | share |
//! |---|---|---|
//! | `dom_smoothie` (`attempt_grab_article` 243, its link density alone 86) | 332 | 43% |
//! | html5ever parse (`Document::from`) | 225 | 29% |
//! | `prepare` (byte scan, furniture measured, attributes read) | 119 | 15% |
//! | `boxes` | 32 | 4% |
//! | `body` (Markdown) | 27 | 3% |
//! | `meta` | 17 | 2% |
//! | `clean` (measuring lines) | 7 | 1% |
//! | `charset` | 6 | 1% |
//!
//! Three quarters of the time is inside the two crates, and what they cost follows from the
//! page's shape more than its size. The two dearest pages (61 M and 55 M, 14% of the whole)
//! are not large: one holds 54,000 characters of Cyrillic text under a dozen nested wrappers,
//! each a candidate whose text the extractor counts a character at a time for its link
//! density; on the other (an Elementor page) the extractor grabs three times, as the words
//! `widget` in its classes weigh the article's own wrappers down until the third attempt
//! (without class weights) finds it; 5 pages of 61 need a second attempt. `dom_smoothie`
//! also computes metadata and serialises the article (`Article::content`), which the import
//! does not use (2% together), and exposes no option to skip them; its `min_score_to_adjust`
//! (10 or 20: -1% and -2%) and `aho-corasick` feature were measured and gave no clear gain
//! (the first changed a page). Measured and not kept: writing attribute values without their
//! quotes saved the parser 5 M and cost `prepare` 6 M; removing lists of lone links (every
//! item one link, no sentence: what `clean` drops from the body) after `boxes` saved the
//! extractor 6 M and cost 10 M to find; dropping `class` words nothing reads (a digest kept
//! in their place, as the extractor compares classes of siblings) cost more in `prepare` than
//! it saved in parsing (+1%; -2% when classes with no word read go whole, which changes that
//! comparison; only a third of the classes with no word read are unique on their page);
//! dropping empty block elements too (-5%) changed two pages and F1 (0.964): to the extractor
//! an empty `<div>` is structure.

mod body;
mod boxes;
pub mod charset;
mod clean;
mod meta;
pub mod prepare;

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use url::Url;

use super::Extracted;

/// Pages larger than this (after scripts and styles are cut) are not articles.
const MAX_MARKUP_BYTES: usize = 16 * 1024 * 1024;

/// More elements than any article page has: the extractor refuses such pages.
const MAX_ELEMENTS: usize = 250_000;

/// Whether a file name is one of a saved HTML page.
pub fn is_html_path(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Extracts the article of a saved HTML page; the error says why the page holds none.
pub fn extract_html(bytes: &[u8]) -> Result<Extracted, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    if bytes[..bytes.len().min(8192)].contains(&0) && charset::has_no_bom(bytes) {
        return Err("the file is binary, not an HTML page".into());
    }
    let (text, _) = charset::decode_page(bytes);
    let prepared = prepare::prepare(&text);
    if prepared.html.len() > MAX_MARKUP_BYTES {
        return Err(format!(
            "the page is too large to be an article: {} MB of markup without scripts and styles (the limit is {} MB)",
            prepared.html.len() / (1024 * 1024),
            MAX_MARKUP_BYTES / (1024 * 1024)
        ));
    }
    let doc = Document::from(prepared.html.as_str());
    let meta = meta::read(&doc, &prepared.json_ld);
    let base = meta.source_url.as_deref().and_then(|u| Url::parse(u).ok());
    let boxes = boxes::take(&doc, base.as_ref());
    let article = find_article(doc, meta.source_url.as_deref())?;
    let title = meta
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .ok_or("no headline: the page has no title, headline or <h1>")?;
    let found = body::blocks_of(&article_root(&article)?);
    let (blocks, removed) = clean::clean(found, &title, meta.dek.as_deref());
    if !clean::has_prose(&blocks) {
        return Err("no article: the page has no paragraph of running text".into());
    }
    Ok(Extracted {
        title,
        dek: meta.dek,
        author: meta.author,
        outlet: meta.outlet,
        date: meta.date,
        updated: meta.updated,
        source_url: meta.source_url,
        image: meta.image,
        language: meta.language,
        reading_minutes: None,
        quotes: boxes.quotes,
        highlights: boxes.highlights,
        related_headlines: boxes.related,
        body: blocks,
        removed,
    })
}

/// The element the extractor put the article in.
fn article_root(doc: &Document) -> Result<NodeRef<'_>, String> {
    doc.select_single("#readability-page-1")
        .nodes()
        .first()
        .copied()
        .ok_or_else(|| "no article: the extractor found no content".to_string())
}

/// The page with its article found, as the extractor leaves it. The extractor tries its
/// policies from strict to relaxed, each on a copy of the page, and keeps the first that
/// finds enough text: the page is parsed, and its boxes taken, once however many it tries.
fn find_article(doc: Document, url: Option<&str>) -> Result<Document, String> {
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        disable_json_ld: true,
        ..Config::default()
    };
    let url = url.filter(|u| u.starts_with("http"));
    let mut readability = Readability::with_document(doc, url, Some(config))
        .map_err(|e| format!("no article: {e}"))?;
    match readability.parse() {
        Ok(_) => Ok(readability.doc),
        Err(dom_smoothie::ReadabilityError::TooManyElements(..)) => Err(format!(
            "the page is too large to be an article: more than {MAX_ELEMENTS} elements"
        )),
        Err(other) => Err(format!("no article: {other}")),
    }
}

/// A short name or word lowercased into `buffer`, to look it up in a table of lowercase
/// names without allocating; `None` when longer than the buffer (and than every name listed).
fn ascii_lowercase<'b>(name: &[u8], buffer: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    let lower = buffer.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    Some(lower)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const PROSE: &str =
        "<p>The talks resumed on Monday after a week of delays, officials said in a statement.</p>";

    #[test]
    fn empty_binary_huge_and_headless_pages_say_why() {
        assert_eq!(extract_html(b" \n").unwrap_err(), "the file is empty");
        assert!(
            extract_html(b"\x89PNG\r\n\x1a\n\0\0")
                .unwrap_err()
                .contains("binary")
        );
        let huge = format!("<title>Huge page</title>{}", PROSE.repeat(200_000));
        assert!(
            extract_html(huge.as_bytes())
                .unwrap_err()
                .contains("too large")
        );
        let untitled = extract_html(PROSE.as_bytes()).unwrap_err();
        assert!(untitled.starts_with("no headline"), "{untitled}");
    }

    #[test]
    fn a_utf16_page_with_a_bom_is_read() {
        let page = format!("<title>Talks resume</title>{PROSE}");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(page.encode_utf16().flat_map(u16::to_le_bytes));
        let article = extract_html(&bytes).unwrap();
        assert_eq!(article.title, "Talks resume");
    }

    #[test]
    fn deep_nesting_imports_on_a_small_stack() {
        // Build threads have small stacks: the flattened page must fit in 2 MiB.
        let page = format!(
            "<title>Deep page here</title>{}{PROSE}{}",
            "<div><span>".repeat(20_000),
            "</span></div>".repeat(20_000)
        );
        let worker = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || extract_html(page.as_bytes()).map(|a| a.title))
            .unwrap();
        assert_eq!(worker.join().unwrap().unwrap(), "Deep page here");
    }

    #[test]
    fn furniture_and_empty_elements_dropped_early_lose_no_text_or_metadata() {
        // `prepare` drops the share bar and the empty icons before parsing; what `meta` and
        // `boxes` read inside furniture (byline, time, a labelled box) keeps it.
        let page = format!(
            r#"<title>Talks resume - The Paper</title><body><article>
            <div class="share-bar"><a href="https://x.org/s">Share on Facebook</a><i class="icon"></i></div>
            <div class="social-meta"><span class="byline">By Ann Lee</span><time datetime="2025-08-18">Monday</time></div>
            {PROSE}<p>Both sides<span class="sep"></span> said <b><i></i></b>they would meet again, <a name="more"></a>in a week or two.</p>
            <div class="promo"><h4>Key Takeaways</h4><p>"We will talk again next week."</p><p>The minister, after the meeting</p></div>
            </article></body>"#
        );
        let article = extract_html(page.as_bytes()).unwrap();
        assert_eq!(article.author.as_deref(), Some("Ann Lee"));
        assert_eq!(article.date.as_deref(), Some("2025-08-18"));
        assert_eq!(article.quotes.len(), 1, "{:?}", article.quotes);
        let text: Vec<&str> = article
            .body
            .iter()
            .map(crate::ingest::Block::text)
            .collect();
        assert!(
            text.iter()
                .any(|t| t.contains("Both sides said they would meet again, in a week or two.")),
            "{text:?}"
        );
        assert!(
            !text.iter().any(|t| t.contains("Share on Facebook")),
            "{text:?}"
        );
    }

    proptest! {
        #[test]
        fn random_markup_never_panics(parts in prop::collection::vec("<[a-z]{1,3}[ a-z=\"']{0,8}>|</[a-z]{1,3}>|[ -~]{0,30}|<!--|-->|<script>|&[a-z#0-9]{0,5};?", 0..60)) {
            let page = format!("<title>Random page here</title>{}", parts.concat());
            let _ = extract_html(page.as_bytes());
        }

        #[test]
        fn truncated_fixture_never_panics(cut in 0usize..4000) {
            let page = include_bytes!("../../../tests/fixtures/html/opengraph.html");
            let _ = extract_html(&page[..cut.min(page.len())]);
        }
    }
}
