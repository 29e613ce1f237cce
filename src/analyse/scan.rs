//! One pass over an article's text that turns every word into a number.
//!
//! Analysing ten thousand articles must take a fraction of a second, so words are not kept as
//! strings: each distinct folded word of a chunk of articles is stored once and given a small
//! id, with what the later steps ask about it (stop word, title, place…) worked out on first
//! sight. Chunks are scanned in parallel and their vocabularies merged in chunk order, so the
//! ids are the same on every run.

use rustc_hash::FxHashMap;

use super::tokens::fold_into;

/// What a word is, as bits: found once per distinct word, read for every occurrence.
pub mod flag {
    /// A stop word ("the", "said").
    pub const STOP: u16 = 1;
    /// A title in front of a name ("President").
    pub const TITLE: u16 = 1 << 1;
    /// A given name ("Donald").
    pub const GIVEN_NAME: u16 = 1 << 2;
    /// A one-word place ("Kyiv").
    pub const PLACE: u16 = 1 << 3;
    /// A one-word organisation ("NATO").
    pub const ORGANISATION: u16 = 1 << 4;
    /// A word that makes a name an organisation ("Ministry", "Bank").
    pub const ORGANISATION_WORD: u16 = 1 << 5;
    /// Too short or a number: not a content word.
    pub const NOT_CONTENT: u16 = 1 << 6;
    /// Written somewhere all in lower case, so it can name a story as a plain word.
    pub const LOWER_CASE: u16 = 1 << 7;
}

/// Decides the flags of a folded word the first time a vocabulary sees it.
pub trait Classify {
    /// The flags of a folded word (`flag::*`, without `LOWER_CASE`).
    fn classify(&self, folded: &str) -> u16;
}

/// The distinct folded words of a chunk of articles, by id.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: FxHashMap<Box<str>, u32>,
    /// Folded words by id.
    pub words: Vec<Box<str>>,
    /// `flag` bits by id.
    pub flags: Vec<u16>,
}

impl Vocabulary {
    /// The id of a folded word, adding it when new.
    pub fn intern(&mut self, folded: &str, classify: &impl Classify) -> u32 {
        if let Some(&id) = self.ids.get(folded) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(folded.into(), id);
        self.words.push(folded.into());
        self.flags.push(classify.classify(folded));
        id
    }

    /// The id of a folded word, if the vocabulary holds it.
    pub fn get(&self, folded: &str) -> Option<u32> {
        self.ids.get(folded).copied()
    }

    /// Whether a word has a flag.
    pub fn is(&self, word: u32, flag: u16) -> bool {
        self.flags[word as usize] & flag != 0
    }

    /// Adds the words of `other` (in its id order) and returns, for each of its ids, the id it
    /// has here.
    pub fn absorb(&mut self, other: &Vocabulary) -> Vec<u32> {
        other
            .words
            .iter()
            .zip(&other.flags)
            .map(|(word, &flags)| match self.ids.get(word) {
                Some(&id) => {
                    self.flags[id as usize] |= flags;
                    id
                }
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(word.clone(), id);
                    self.words.push(word.clone());
                    self.flags.push(flags);
                    id
                }
            })
            .collect()
    }
}

/// One word of a text, as the entity rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the text.
    pub start: u32,
    pub end: u32,
    /// Id in the chunk's vocabulary; `u32::MAX` for a word that folds to nothing.
    pub word: u32,
    /// Starts with a capital letter.
    pub capitalised: bool,
    /// Four letters or more, none in lower case ("STOP").
    pub shouted: bool,
    /// Separated from the previous word by exactly one space.
    pub joined: bool,
    /// Opens a sentence (or the text).
    pub sentence_start: bool,
}

impl Token {
    /// The word as written.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start as usize..self.end as usize]
    }
}

/// Splits `text` into words (as `tokens::words` does), interning each folded word; the tokens
/// are appended to `out`. `buffer` is scratch space reused across calls.
pub fn scan(
    text: &str,
    vocabulary: &mut Vocabulary,
    classify: &impl Classify,
    buffer: &mut String,
    out: &mut Vec<Token>,
) {
    let mut previous_end: Option<usize> = None;
    for_each_word(text, |start, end| {
        let written = &text[start..end];
        fold_into(written, buffer);
        let word = if buffer.is_empty() {
            u32::MAX
        } else {
            vocabulary.intern(buffer, classify)
        };
        let capitalised = written.chars().next().is_some_and(char::is_uppercase);
        if word != u32::MAX && !written.chars().any(char::is_uppercase) {
            vocabulary.flags[word as usize] |= flag::LOWER_CASE;
        }
        out.push(Token {
            start: start as u32,
            end: end as u32,
            word,
            capitalised,
            shouted: capitalised
                && written.len() >= 4
                && written.chars().count() >= 4
                && !written.chars().any(char::is_lowercase),
            joined: previous_end.is_some_and(|p| start == p + 1 && text.as_bytes()[p] == b' '),
            sentence_start: opens_sentence(&text[..start]),
        });
        previous_end = Some(end);
    });
}

/// Whether a sentence starts after `before`.
pub fn opens_sentence(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.is_empty()
        || trimmed.ends_with(['.', '!', '?', '\n', ':', '"', '“', '‘', '(', '—', '-', '–'])
}

/// Calls `found(start, end)` for every word: a run of letters and digits, with apostrophes
/// inside it (`Trump’s`) kept.
pub fn for_each_word(text: &str, mut found: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, width) = if b < 0x80 {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        let alphanumeric = if b < 0x80 {
            b.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        let inner_apostrophe = matches!(c, '\'' | '’')
            && start.is_some()
            && text[i + width..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if alphanumeric || inner_apostrophe {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            found(s, i);
        }
        i += width;
    }
    if let Some(s) = start {
        found(s, bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;
    impl Classify for Nothing {
        fn classify(&self, _: &str) -> u16 {
            0
        }
    }

    fn spans(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_word(text, |s, e| out.push(&text[s..e]));
        out
    }

    #[test]
    fn words_split_like_the_plain_tokenizer() {
        let text = "Trump’s call, Putin's reply—and \"peace\". Zelenskyy's 2025 Müller";
        assert_eq!(spans(text), super::super::tokens::words(text));
    }

    #[test]
    fn folded_words_get_one_id_and_tokens_know_their_place() {
        let mut vocabulary = Vocabulary::default();
        let mut tokens = Vec::new();
        let text = "Talks began. The talks  TALKS";
        scan(
            text,
            &mut vocabulary,
            &Nothing,
            &mut String::new(),
            &mut tokens,
        );
        let ids: Vec<u32> = tokens.iter().map(|t| t.word).collect();
        assert_eq!(ids, [0, 1, 2, 0, 0]);
        assert!(tokens[0].sentence_start && tokens[0].capitalised);
        assert!(tokens[1].joined && !tokens[1].sentence_start);
        assert!(tokens[2].sentence_start);
        assert!(!tokens[4].joined && tokens[4].shouted);
        assert!(vocabulary.is(0, flag::LOWER_CASE));
        assert!(!vocabulary.is(2, flag::LOWER_CASE));
    }

    #[test]
    fn absorbing_keeps_existing_ids_and_adds_new_ones() {
        let mut a = Vocabulary::default();
        a.intern("peace", &Nothing);
        let mut b = Vocabulary::default();
        b.intern("talks", &Nothing);
        b.intern("peace", &Nothing);
        assert_eq!(a.absorb(&b), [1, 0]);
        assert_eq!(a.get("talks"), Some(1));
    }
}
