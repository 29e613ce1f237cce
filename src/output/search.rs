//! Search without a server: an index of every article's words, built in one pass in the same
//! build, and a small script that searches it in the browser.
//!
//! Pagefind did this before, at ~2.7 ms of CPU per article and much memory (half a 10,000-article
//! build). This index is what a briefing needs and no more: each word (folded to lower-case
//! ASCII) maps to the articles holding it with a weight (title above dek, topics and people,
//! those above the body). It is split into shards by the word's first two letters, so a query
//! fetches one small shard per word; the script matches words by prefix ("zelensk" finds
//! "Zelensky" and "Zelenskyy"), keeps the articles that have every word, ranks them by weight,
//! and fetches the titles and text for excerpts in small chunks, only for the results it shows.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::error::BuildError;
use crate::model::{Article, Site};
use crate::render::{FileSink, RenderedFile};

/// The site path of the search page.
pub const SEARCH_PAGE: &str = "search/";
/// The folder of the index and the search script, under the output folder.
pub const BUNDLE_DIR: &str = "search/";
/// The search page's script, which every theme's `search.html` loads from the bundle.
const PAGE_SCRIPT: (&str, &str) = ("briefing-search.js", include_str!("search.js"));
/// Articles per file of titles and texts (`docs/N.json`): a page of results fetches a few.
const DOCS_PER_CHUNK: usize = 16;
/// The text kept per article for excerpts, in bytes (cut at a character boundary).
const EXCERPT_SOURCE_BYTES: usize = 4000;
/// Words are indexed from two characters to this many.
const LONGEST_WORD: usize = 32;
/// Words too common to find anything: left out of the index, and ignored in queries.
const STOP_WORDS: [&str; 36] = [
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "in", "is", "it", "its", "not", "of", "on", "or", "she", "that", "the", "their",
    "they", "this", "to", "was", "were", "which", "with", "would",
];

/// How much a word weighs in each part of an article.
const TITLE: u32 = 8;
const DEK: u32 = 4;
const TOPIC: u32 = 3;
const PERSON: u32 = 2;
const BODY: u32 = 1;
/// A word's weight in one article is capped, so that repetition does not swamp the title.
const MOST_WEIGHT: u32 = 40;

/// What the script reads first: how the index is laid out.
#[derive(Serialize)]
struct Meta<'a> {
    articles: usize,
    docs_per_chunk: usize,
    stop_words: &'a [&'a str],
}

/// Builds the search index and script into `sink`, under `search/`: `meta.json`,
/// `terms/<ab>.json` (the shards) and `docs/<n>.json` (the articles' URLs, titles, dates and
/// text).
pub fn render_search_index(
    site: &Site,
    article_topics: &[Vec<usize>],
    sink: &dyn FileSink,
) -> Result<(), BuildError> {
    let weights: Vec<Vec<(Cow<'_, str>, u32)>> = site
        .articles
        .par_iter()
        .zip(article_topics)
        .map(|(article, topics)| {
            let topics: Vec<&str> = topics
                .iter()
                .map(|&t| site.topics[t].name.as_str())
                .collect();
            article_words(article, &topics).into_iter().collect()
        })
        .collect();
    shards(weights)
        .into_iter()
        .try_for_each(|file| sink.put(file))?;
    site.articles
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(n, chunk)| sink.put(doc_chunk(n, chunk)))?;
    let meta = Meta {
        articles: site.articles.len(),
        docs_per_chunk: DOCS_PER_CHUNK,
        stop_words: &STOP_WORDS,
    };
    sink.put(json_file("meta.json", &meta))?;
    sink.put(RenderedFile::new(
        format!("{BUNDLE_DIR}{}", PAGE_SCRIPT.0),
        PAGE_SCRIPT.1,
    ))
}

/// The shards: for each two-letter prefix, each word with its articles as a flat list of
/// (id gap, weight) pairs, ids ascending (gaps keep the numbers short). `weights` holds each
/// article's words, by article id.
fn shards(weights: Vec<Vec<(Cow<'_, str>, u32)>>) -> Vec<RenderedFile> {
    let mut postings: HashMap<Cow<'_, str>, Vec<u32>> = HashMap::default();
    for (id, words) in weights.into_iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        for (word, weight) in words {
            postings.entry(word).or_default().extend([id, weight]);
        }
    }
    let mut words: Vec<(Cow<'_, str>, Vec<u32>)> = postings.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut files = Vec::new();
    let mut json = String::new();
    for (i, (word, list)) in words.iter().enumerate() {
        let key = shard_key(word);
        let first = i == 0 || shard_key(&words[i - 1].0) != key;
        json.push_str(if first { "{" } else { "," });
        // Words are lower-case ASCII letters and digits: nothing to escape.
        json.push('"');
        json.push_str(word);
        json.push_str("\":");
        push_gaps(&mut json, list);
        let last = words
            .get(i + 1)
            .is_none_or(|next| shard_key(&next.0) != key);
        if last {
            json.push('}');
            files.push(RenderedFile::new(
                format!("{BUNDLE_DIR}terms/{key}.json"),
                std::mem::take(&mut json),
            ));
        }
    }
    files
}

/// Writes `[id, weight, id, weight, ...]` as `[gap, weight, ...]`, each id as the gap to the
/// previous one.
fn push_gaps(json: &mut String, list: &[u32]) {
    // Millions of numbers at 10,000 articles: `itoa` writes them without `fmt`'s machinery.
    let mut digits = itoa::Buffer::new();
    json.push('[');
    let mut previous = 0;
    for (i, pair) in list.chunks_exact(2).enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(digits.format(pair[0] - previous));
        json.push(',');
        json.push_str(digits.format(pair[1]));
        previous = pair[0];
    }
    json.push(']');
}

/// The shard of a word: its first two characters (words are ASCII, at least two long).
pub fn shard_key(word: &str) -> &str {
    word.get(..2).unwrap_or(word)
}

/// One article's entry in a docs chunk: `[url, title, date, text]`, the URL relative to the
/// base path.
#[derive(Serialize)]
struct Doc<'a>(String, &'a str, String, String);

fn doc_chunk(n: usize, articles: &[Article]) -> RenderedFile {
    let docs: Vec<Doc<'_>> = articles
        .iter()
        .map(|article| {
            let mut text = String::new();
            if let Some(dek) = article.dek.as_deref().or(article.summary.as_deref()) {
                text.push_str(dek);
                text.push('\n');
            }
            text.push_str(cut(&article.body_text, EXCERPT_SOURCE_BYTES));
            Doc(
                article.site_path(),
                &article.title,
                article
                    .date
                    .as_ref()
                    .map(|d| d.display())
                    .unwrap_or_default(),
                text,
            )
        })
        .collect();
    json_file(&format!("docs/{n}.json"), &docs)
}

fn cut(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn json_file(name: &str, value: &impl Serialize) -> RenderedFile {
    // Serialising plain strings and numbers cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    RenderedFile::new(format!("{BUNDLE_DIR}{name}"), bytes)
}

/// Each word of an article with its weight there.
fn article_words<'a>(article: &'a Article, topics: &[&str]) -> HashMap<Cow<'a, str>, u32> {
    let mut weights: HashMap<Cow<'a, str>, u32> = HashMap::default();
    let mut add = |word: Cow<'a, str>, weight: u32| {
        let total = weights.entry(word).or_default();
        *total = (*total + weight).min(MOST_WEIGHT);
    };
    for_each_word(&article.title, |w| add(w, TITLE));
    if let Some(dek) = article.dek.as_deref().or(article.summary.as_deref()) {
        for_each_word(dek, |w| add(w, DEK));
    }
    for topic in topics {
        for_each_word(topic, |w| add(Cow::Owned(w.into_owned()), TOPIC));
    }
    for person in people(article) {
        for_each_word(&person, |w| add(Cow::Owned(w.into_owned()), PERSON));
    }
    for_each_word(&article.body_text, |w| add(w, BODY));
    weights
}

/// Calls `f` with each word of `text` as the index holds it: lower-case ASCII letters and
/// digits (accents and other scripts transliterated), two to 32 characters, without stop
/// words. Words already in that form are borrowed from `text`.
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    let keep = |w: &str| (2..=LONGEST_WORD).contains(&w.len()) && !is_stop_word(w);
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 2 {
            continue;
        }
        if word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            if keep(word) {
                f(Cow::Borrowed(word));
            }
            continue;
        }
        let folded = if word.is_ascii() {
            word.to_ascii_lowercase()
        } else {
            deunicode::deunicode(word).to_ascii_lowercase()
        };
        // Transliteration may give several words ("Bei Jing").
        for part in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
            if keep(part) {
                f(Cow::Owned(part.to_string()));
            }
        }
    }
}

fn is_stop_word(word: &str) -> bool {
    // Every word of every article asks, so compare numbers, not strings: a word of at most
    // eight bytes is one `u64`.
    word.len() <= 8 && STOP_KEYS.contains(&word_key(word.as_bytes()))
}

/// The stop words as `word_key`s.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = word_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// The bytes of a word of at most eight bytes as one number (distinct for distinct words, as
/// words hold no zero byte).
const fn word_key(bytes: &[u8]) -> u64 {
    let mut key = 0;
    let mut i = 0;
    while i < bytes.len() {
        key = key << 8 | bytes[i] as u64;
        i += 1;
    }
    key
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
/// both (a prefix finds only the longer spellings).
pub fn spelling_variants(text: &str) -> BTreeSet<String> {
    let mut variants = BTreeSet::new();
    // Every ending holds "sk": look only at the words around one, not at every word.
    let mut word_end = 0;
    for (at, _) in text.match_indices("sk") {
        if at < word_end {
            continue;
        }
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(at, |(i, _)| i);
        word_end = text[at..]
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(text.len(), |(i, _)| at + i);
        let word = &text[start..word_end];
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
    fn stop_words_are_short_enough_for_their_lookup() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 8));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for word in ["ukraine", "then", "a", "the1", "andand", "thethethe", ""] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn words_are_folded_to_ascii_without_stop_words() {
        let mut found = Vec::new();
        for_each_word("The Élysée, Zürich & 2025: a to-do of Kyiv's", |w| {
            found.push(w.into_owned());
        });
        assert_eq!(found, ["elysee", "zurich", "2025", "do", "kyiv"]);
    }

    #[test]
    fn the_title_weighs_more_than_the_body_and_people_are_searchable() {
        let article = Article {
            title: "Talks stall".into(),
            tags: vec!["Donald Trump".into()],
            quotes: vec![Quote {
                speaker: "Zelenskyy".into(),
                ..Quote::default()
            }],
            body_text: "The talks went on.".into(),
            ..Article::default()
        };
        let weights = article_words(&article, &["Ukraine talks"]);
        assert_eq!(weights["talks"], TITLE + TOPIC + BODY);
        assert_eq!(weights["went"], BODY);
        assert_eq!(weights["zelensky"], PERSON);
        assert_eq!(weights["trump"], PERSON);
        assert!(!weights.contains_key("the"));
    }

    #[test]
    fn shards_hold_id_gaps_and_weights_by_prefix() {
        let first = vec![(Cow::Borrowed("zelensky"), 9)];
        let third = vec![(Cow::Borrowed("zelensky"), 1), (Cow::Borrowed("kyiv"), 2)];
        let files = shards(vec![first, Vec::new(), third]);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["search/terms/ky.json", "search/terms/ze.json"]);
        assert_eq!(files[1].bytes, br#"{"zelensky":[0,9,2,1]}"#);
        assert_eq!(files[0].bytes, br#"{"kyiv":[2,2]}"#);
    }

    #[test]
    fn docs_hold_the_url_title_and_text_cut_at_a_character() {
        let article = Article {
            title: "A \"quoted\" title".into(),
            slug: "a".into(),
            body_text: "é".repeat(EXCERPT_SOURCE_BYTES),
            ..Article::default()
        };
        let file = doc_chunk(3, std::slice::from_ref(&article));
        assert_eq!(file.path, "search/docs/3.json");
        let docs: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(docs[0][0], "articles/a/");
        assert_eq!(docs[0][1], "A \"quoted\" title");
        assert_eq!(docs[0][3].as_str().unwrap().len(), EXCERPT_SOURCE_BYTES);
    }
}
