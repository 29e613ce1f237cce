//! Words, stop words and stems: the vocabulary every other analysis step counts in.
//!
//! Text is split into words on anything that is not a letter or digit (an apostrophe inside a
//! word keeps it whole), folded to lower-case ASCII so "Zelenskyy" and "Zelenskyy" with accents
//! agree, stop words are dropped and the rest is stemmed, so "talks" and "talk" count as one.

use rust_stemmers::{Algorithm, Stemmer};

/// Common English words that say nothing about what an article is about.
const STOP_WORDS: &str = include_str!("gazetteer/stop_words.txt");

/// Splits text into words, keeping their original case; apostrophes inside a word stay in it.
pub fn words(text: &str) -> Vec<&str> {
    word_spans(text).into_iter().map(|(_, w)| w).collect()
}

/// Like `words`, with each word's byte offset in the text.
pub fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// `fold` into a reused buffer: no allocation for ASCII words.
pub fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if !word.is_ascii() {
        out.push_str(&fold(word));
        return;
    }
    let bytes = word.as_bytes();
    let end = if bytes.len() >= 2
        && bytes[bytes.len() - 2] == b'\''
        && bytes[bytes.len() - 1].eq_ignore_ascii_case(&b's')
    {
        bytes.len() - 2
    } else {
        bytes.len()
    };
    // Copied whole and lowered in place: a word is letters and digits, with an apostrophe
    // inside now and then, so filtering byte by byte would be the slow way for nearly all.
    out.push_str(&word[..end]);
    out.make_ascii_lowercase();
    if !bytes[..end].iter().all(u8::is_ascii_alphanumeric) {
        out.retain(|c| c.is_ascii_alphanumeric());
    }
}

/// Lower-case ASCII form of a word (accents removed, apostrophes and possessive `'s` dropped).
pub fn fold(word: &str) -> String {
    let ascii = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        deunicode::deunicode(word).to_lowercase()
    };
    let ascii = ascii
        .strip_suffix("'s")
        .map(str::to_string)
        .unwrap_or(ascii);
    ascii.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The stop words, sorted, for fast look-ups in loops.
#[derive(Debug, Clone)]
pub struct StopWords(Vec<&'static str>);

impl Default for StopWords {
    fn default() -> Self {
        let mut list: Vec<&'static str> = STOP_WORDS
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.starts_with('#'))
            .collect();
        list.sort_unstable();
        list.dedup();
        StopWords(list)
    }
}

impl StopWords {
    /// Whether a folded word is a stop word.
    pub fn contains(&self, folded: &str) -> bool {
        self.0.binary_search(&folded).is_ok()
    }
}

/// Turns text into stemmed terms: single words and two-word phrases.
pub struct Analyzer {
    stemmer: Stemmer,
    stop_words: StopWords,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            stop_words: StopWords::default(),
        }
    }
}

/// One content word of a text: its stem and the form it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub stem: String,
    pub surface: &'a str,
    /// Index of the word in the text, counting stop words, so phrases do not jump over them.
    pub position: usize,
}

impl Analyzer {
    /// The stop word list in use.
    pub fn stop_words(&self) -> &StopWords {
        &self.stop_words
    }

    /// The stem of one word (folded first).
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(&fold(word)).into_owned()
    }

    /// The content words of a text: no stop words, no numbers, no one-letter words.
    pub fn tokens<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        // A text repeats its words: each distinct one is stemmed once.
        let mut stems: std::collections::HashMap<String, String> = Default::default();
        words(text)
            .into_iter()
            .enumerate()
            .filter_map(|(position, surface)| {
                let folded = fold(surface);
                let content = folded.len() > 1
                    && !folded.bytes().all(|b| b.is_ascii_digit())
                    && !self.stop_words.contains(&folded);
                if !content {
                    return None;
                }
                let stem = match stems.get(&folded) {
                    Some(stem) => stem.clone(),
                    None => {
                        let stem = self.stemmer.stem(&folded).into_owned();
                        stems.insert(folded, stem.clone());
                        stem
                    }
                };
                Some(Token {
                    stem,
                    surface,
                    position,
                })
            })
            .collect()
    }

    /// Stemmed words and adjacent two-word phrases (`"peac talk"`), in text order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        Self::terms_of(&self.tokens(text))
    }

    /// The terms of tokens already found.
    pub fn terms_of(tokens: &[Token<'_>]) -> Vec<String> {
        let mut terms: Vec<String> = tokens.iter().map(|t| t.stem.clone()).collect();
        for pair in tokens.windows(2) {
            if pair[1].position == pair[0].position + 1 {
                terms.push(format!("{} {}", pair[0].stem, pair[1].stem));
            }
        }
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_split_on_punctuation() {
        assert_eq!(
            words("Trump’s call, Putin's reply—and \"peace\"."),
            ["Trump’s", "call", "Putin's", "reply", "and", "peace"]
        );
    }

    #[test]
    fn fold_removes_accents_case_and_possessives() {
        assert_eq!(fold("Zelenskyy's"), "zelenskyy");
        assert_eq!(fold("Müller"), "muller");
    }

    #[test]
    fn terms_are_stemmed_content_words_and_phrases() {
        let analyzer = Analyzer::default();
        let terms = analyzer.terms("The peace talks in Alaska");
        assert!(terms.contains(&"peac".to_string()), "{terms:?}");
        assert!(terms.contains(&"talk".to_string()), "{terms:?}");
        assert!(terms.contains(&"peac talk".to_string()), "{terms:?}");
        assert!(!terms.iter().any(|t| t == "the"), "{terms:?}");
        // "talks in Alaska": the stop word between them breaks the phrase.
        assert!(!terms.contains(&"talk alaska".to_string()), "{terms:?}");
    }

    #[test]
    fn fold_into_agrees_with_fold() {
        let mut buffer = String::new();
        for word in [
            "Zelenskyy's",
            "Müller",
            "Trump’s",
            "TRUMP'S",
            "don't",
            "2025",
        ] {
            fold_into(word, &mut buffer);
            assert_eq!(buffer, fold(word), "{word}");
        }
    }

    #[test]
    fn stop_words_are_found_by_their_folded_form() {
        let stop = StopWords::default();
        assert!(stop.contains("the"));
        assert!(!stop.contains("ceasefire"));
    }
}
