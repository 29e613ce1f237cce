//! Search without a server: a Pagefind index of every article, built in the same build.
//!
//! Pagefind splits its index into small fragments fetched on demand, so a reader downloads a
//! few dozen kilobytes per search even on a 10,000-article site, and its UI shows ranked results
//! with highlighted excerpts. We feed it a small HTML record per article made from the site
//! model (not the themed page), so what is searchable does not depend on the theme: the title
//! (heaviest), the dek, the people (quote speakers and tags), the topics and the body.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::content::markdown::html_escape;
use crate::error::{BuildError, Diagnostic};
use crate::model::{Article, Site};
use crate::render::RenderedFile;

/// The site path of the search page.
pub const SEARCH_PAGE: &str = "search/";
/// The folder of the index and Pagefind's scripts, under the output folder.
pub const BUNDLE_DIR: &str = "pagefind/";
/// The search page's own script, which every theme's `search.html` loads from the bundle.
const PAGE_SCRIPT: (&str, &str) = ("briefing-search.js", include_str!("search.js"));

/// Builds the search index and Pagefind's browser files, under `pagefind/`.
pub fn render_search_index(
    site: &Site,
    article_topics: &[Vec<usize>],
) -> Result<Vec<RenderedFile>, BuildError> {
    let fail = |message: String| BuildError::Output(Diagnostic::error(BUNDLE_DIR, message));
    // Pagefind's API is async; a runtime on this thread is all it needs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start the search indexer: {e}")))?;
    runtime
        .block_on(index_articles(site, article_topics))
        .map_err(|e| fail(format!("cannot build the search index: {e}")))
}

async fn index_articles(
    site: &Site,
    article_topics: &[Vec<usize>],
) -> Result<Vec<RenderedFile>, String> {
    let language = site.config.config.language.clone();
    let options = PagefindServiceConfig::builder()
        .force_language(language.clone())
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    for (article, topic_ids) in site.articles.iter().zip(article_topics) {
        let topics: Vec<&str> = topic_ids
            .iter()
            .map(|&t| site.topics[t].name.as_str())
            .collect();
        // Relative to the base path: the search page gives Pagefind the base path as `baseUrl`.
        let url = format!("/{}", article.site_path());
        index
            .add_html_file(None, Some(url), search_record(article, &topics, &language))
            .await
            .map_err(|e| format!("{}: {e}", article.source.display()))?;
    }
    let files = index.get_files().await.map_err(|e| e.to_string())?;
    let mut rendered: Vec<RenderedFile> = files
        .into_iter()
        .map(|file| {
            let path = file.filename.to_string_lossy().replace('\\', "/");
            RenderedFile::new(format!("{BUNDLE_DIR}{path}"), file.contents)
        })
        .collect();
    rendered.push(RenderedFile::new(
        format!("{BUNDLE_DIR}{}", PAGE_SCRIPT.0),
        PAGE_SCRIPT.1,
    ));
    rendered.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(rendered)
}

/// The people an article is about, as far as the model knows them: who it quotes, its tags, and
/// the other spellings of the transliterated names in its text.
fn people(article: &Article) -> BTreeSet<String> {
    let mut people: BTreeSet<String> = article
        .quotes
        .iter()
        .map(|q| q.speaker.trim())
        .chain(article.tags.iter().map(|t| t.trim()))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let names = people
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    for text in [names.as_str(), &article.title, &article.body_text] {
        people.extend(spelling_variants(text));
    }
    people
}

/// How one Slavic surname ending (-ський, -ский) is spelled in English text.
const SURNAME_ENDINGS: [&str; 6] = ["skyy", "skyi", "skiy", "skii", "sky", "ski"];

/// The other spelling of each transliterated surname in `text`: "Zelenskyy" and the rest become
/// "Zelensky", and "Zelensky" becomes "Zelenskyy", so that a reader who types either finds
/// both. (Pagefind matches a word by its prefix only when the word itself is not indexed.)
pub fn spelling_variants(text: &str) -> BTreeSet<String> {
    let mut variants = BTreeSet::new();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if !word.starts_with(char::is_uppercase) || word.chars().count() < 6 {
            continue;
        }
        let Some(stem) = SURNAME_ENDINGS.iter().find_map(|e| word.strip_suffix(e)) else {
            continue;
        };
        let other = if word.ends_with("sky") { "skyy" } else { "sky" };
        variants.insert(format!("{stem}{other}"));
    }
    variants
}

/// The HTML Pagefind indexes for one article. Headings and `data-pagefind-weight` rank a match
/// in the title above one in the dek and the topics, and those above the body and the people.
pub fn search_record(article: &Article, topics: &[&str], language: &str) -> String {
    let mut html = format!(
        "<html lang=\"{}\"><body><h1 data-pagefind-meta=\"title\">{}</h1>",
        html_escape(language),
        html_escape(&article.title)
    );
    if let Some(dek) = article.dek.as_deref().or(article.summary.as_deref()) {
        let _ = write!(
            html,
            "<p data-pagefind-weight=\"5\">{}</p>",
            html_escape(dek)
        );
    }
    if let Some(date) = &article.date {
        let _ = write!(
            html,
            "<span data-pagefind-meta=\"date:{}\"></span>",
            html_escape(&date.display())
        );
    }
    for topic in topics {
        let topic = html_escape(topic);
        let _ = write!(
            html,
            "<p data-pagefind-weight=\"3\" data-pagefind-filter=\"topic\">{topic}</p>"
        );
    }
    for paragraph in article
        .body_text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
    {
        let _ = write!(html, "<p>{}</p>", html_escape(paragraph.trim()));
    }
    // Last, so that excerpts come from the body where it has the words too.
    let people: Vec<String> = people(article).iter().map(|p| html_escape(p)).collect();
    if !people.is_empty() {
        let _ = write!(html, "<p>{}</p>", people.join(", "));
    }
    html.push_str("</body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Quote;

    #[test]
    fn transliterated_surnames_get_their_other_spellings() {
        let variants = spelling_variants("Volodymyr Zelenskyy met Mr. Ski and a skiing sky.");
        assert_eq!(variants, BTreeSet::from(["Zelensky".to_string()]));
        let variants = spelling_variants("Zelensky and Dostoevskii");
        let expected = ["Dostoevsky".to_string(), "Zelenskyy".to_string()];
        assert_eq!(variants, BTreeSet::from(expected));
        assert!(spelling_variants("Nothing to see here").is_empty());
    }

    #[test]
    fn record_escapes_untrusted_text_and_holds_every_field() {
        let article = Article {
            title: "Talks <b>stall</b>".into(),
            dek: Some("A & B".into()),
            tags: vec!["Donald Trump".into()],
            quotes: vec![Quote {
                speaker: "Zelensky".into(),
                ..Quote::default()
            }],
            body_text: "First <script>x</script>.\n\nSecond.".into(),
            ..Article::default()
        };
        let html = search_record(&article, &["Ukraine talks"], "en");
        assert!(html.contains("Talks &lt;b&gt;stall&lt;/b&gt;"), "{html}");
        assert!(html.contains("A &amp; B"));
        assert!(
            html.contains(">Donald Trump, Zelensky, Zelenskyy</p></body>"),
            "{html}"
        );
        assert!(html.contains("data-pagefind-filter=\"topic\">Ukraine talks<"));
        assert!(html.contains("<p>First &lt;script&gt;x&lt;/script&gt;.</p><p>Second.</p>"));
        assert!(!html.contains("<script>"));
    }
}
