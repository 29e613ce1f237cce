//! One pass over an article's text that turns every word into a number.
//!
//! Analysing ten thousand articles must take a fraction of a second, so words are not kept as
//! strings: each distinct folded word of a chunk of articles is stored once and given a small
//! id, with what the later steps ask about it (stop word, title, place…) worked out on first
//! sight. Chunks are scanned in parallel and their vocabularies merged in chunk order, so the
//! ids are the same on every run.
//!
//! This is the only place the build splits article text into words: the duplicate finder and
//! the search index read the same tokens (see `analyse::scan_chunk`). So the splitter learns
//! what it can about each word as it goes (`Shape`: case, whether it is plain ASCII), and a
//! plain word of up to sixteen bytes is looked up by a number made of its bytes, without folding
//! or hashing a string.

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
    /// Plain words of up to sixteen bytes by `Word::key`: nearly every word of a text, found
    /// without folding it or hashing a string.
    short: FxHashMap<u128, u32>,
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

    /// The id of a word found in `text`, adding its folded form when new; `u32::MAX` for a
    /// word that folds to nothing. `buffer` is scratch space for the folding.
    fn id_of(
        &mut self,
        text: &str,
        word: &Word,
        classify: &impl Classify,
        buffer: &mut String,
    ) -> u32 {
        let short = word.shape.is_plain() && word.end - word.start <= KEY_BYTES;
        if short && let Some(&id) = self.short.get(&word.key) {
            return id;
        }
        fold_into(&text[word.start..word.end], buffer);
        if buffer.is_empty() {
            return u32::MAX;
        }
        let id = self.intern(buffer, classify);
        if short {
            self.short.insert(word.key, id);
        }
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
    /// Only ASCII letters and digits (`Shape::is_plain`): its vocabulary word is its lower case.
    pub plain: bool,
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
    split(text, |found| {
        let (start, end, shape) = (found.start, found.end, found.shape);
        let word = vocabulary.id_of(text, &found, classify, buffer);
        if word != u32::MAX && !shape.has_upper() {
            vocabulary.flags[word as usize] |= flag::LOWER_CASE;
        }
        let capitalised = shape.is_capitalised();
        let shouted = capitalised
            && !shape.has_lower()
            && end - start >= 4
            && (shape.is_plain() || text[start..end].chars().count() >= 4);
        out.push(Token {
            start: start as u32,
            end: end as u32,
            word,
            plain: shape.is_plain(),
            capitalised,
            shouted,
            joined: previous_end.is_some_and(|p| start == p + 1 && text.as_bytes()[p] == b' '),
            sentence_start: opens_sentence_after(text, previous_end, start),
        });
        previous_end = Some(end);
    });
}

/// Whether a sentence starts after `before`.
pub fn opens_sentence(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.is_empty() || ends_sentence(trimmed)
}

/// `opens_sentence(&text[..start])` for a word at `start` whose previous word (if any) ends at
/// `previous_end`: only the gap between them is looked at, as a word never ends in one of the
/// characters that end a sentence.
fn opens_sentence_after(text: &str, previous_end: Option<usize>, start: usize) -> bool {
    let from = previous_end.unwrap_or(0);
    let bytes = text.as_bytes();
    let mut end = start;
    while end > from && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end == from {
        return previous_end.is_none();
    }
    match bytes[end - 1] {
        b'.' | b'!' | b'?' | b'\n' | b':' | b'"' | b'(' | b'-' => true,
        byte if byte < 0x80 => false,
        // The last byte of a character outside ASCII ("“", "—"): look at the character.
        _ => ends_sentence(&text[from..end]),
    }
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '\n', ':', '"', '“', '‘', '(', '—', '-', '–'])
}

/// What the splitter learns about a word's characters on its way through them, so that no one
/// has to look at them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape(u8);

impl Shape {
    /// A character other than an ASCII letter or digit: an apostrophe, an accent, a letter of
    /// another script.
    const NOT_PLAIN: u8 = 1;
    const UPPER: u8 = 1 << 1;
    const LOWER: u8 = 1 << 2;
    const FIRST_UPPER: u8 = 1 << 3;

    /// Only ASCII letters and digits: folded, such a word is its lower case, and every splitter
    /// in briefing sees it as one word.
    pub fn is_plain(self) -> bool {
        self.0 & Self::NOT_PLAIN == 0
    }

    /// Holds an upper-case letter.
    pub fn has_upper(self) -> bool {
        self.0 & Self::UPPER != 0
    }

    /// Holds a lower-case letter.
    pub fn has_lower(self) -> bool {
        self.0 & Self::LOWER != 0
    }

    /// Starts with an upper-case letter.
    pub fn is_capitalised(self) -> bool {
        self.0 & Self::FIRST_UPPER != 0
    }
}

/// One word found by `split`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    pub shape: Shape,
    /// For a plain word of at most `KEY_BYTES` bytes, its lower-case bytes as one number
    /// (distinct for distinct words, as no word holds a zero byte); meaningless for others.
    key: u128,
}

/// The longest plain word that has a `Word::key`.
const KEY_BYTES: usize = 16;

/// Set in `PLAIN` for an ASCII letter or digit, with the letter's `Shape` case bit.
const LETTER_OR_DIGIT: u8 = 1 << 7;

/// For each byte: `LETTER_OR_DIGIT` and the case of an ASCII letter or digit, 0 for any other.
const PLAIN: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_lowercase() {
            LETTER_OR_DIGIT | Shape::LOWER
        } else if byte.is_ascii_uppercase() {
            LETTER_OR_DIGIT | Shape::UPPER
        } else if byte.is_ascii_digit() {
            LETTER_OR_DIGIT
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Whether the character at byte `at` of `text` is a letter or digit (false at the end).
fn alphanumeric_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(&b) if b < 0x80 => PLAIN[b as usize] != 0,
        Some(_) => text[at..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

/// The `Shape` case bit of a letter or digit outside ASCII; `None` for any other character.
fn case_of(c: char) -> Option<u8> {
    if !c.is_alphanumeric() {
        None
    } else if c.is_uppercase() {
        Some(Shape::UPPER)
    } else if c.is_lowercase() {
        Some(Shape::LOWER)
    } else {
        Some(0)
    }
}

/// How a word that has reached byte `at` goes on past a character that is not an ASCII letter
/// or digit: that character's width and `Shape` bits, or `None` where the word ends.
fn goes_on(text: &str, at: usize) -> Option<(usize, u8)> {
    let byte = *text.as_bytes().get(at)?;
    if byte == b'\'' {
        return alphanumeric_at(text, at + 1).then_some((1, Shape::NOT_PLAIN));
    }
    if byte < 0x80 {
        return None;
    }
    let c = text[at..].chars().next()?;
    let width = c.len_utf8();
    match case_of(c) {
        Some(case) => Some((width, Shape::NOT_PLAIN | case)),
        None => {
            (c == '’' && alphanumeric_at(text, at + width)).then_some((width, Shape::NOT_PLAIN))
        }
    }
}

/// Calls `found` for every word of `text`: a run of letters and digits, with apostrophes inside
/// it (`Trump’s`) kept. ASCII letters and digits, nearly every byte of a word, go through a
/// tight loop over a table; other characters are decoded.
pub fn split(text: &str, mut found: impl FnMut(Word)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let plain = PLAIN[byte as usize];
        let first_case = if plain != 0 {
            plain & Shape::UPPER
        } else if byte < 0x80 {
            i += 1;
            continue;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            match case_of(c) {
                Some(case) => case & Shape::UPPER,
                None => {
                    i += c.len_utf8();
                    continue;
                }
            }
        };
        let start = i;
        let mut shape = if first_case != 0 {
            Shape::FIRST_UPPER
        } else {
            0
        };
        let mut key: u128 = 0;
        loop {
            while let Some(&byte) = bytes.get(i) {
                let plain = PLAIN[byte as usize];
                if plain == 0 {
                    break;
                }
                shape |= plain;
                // Lower case: letters and digits all have this bit set.
                key = key << 8 | u128::from(byte | 0x20);
                i += 1;
            }
            // Mostly a space or punctuation: the word ends without a closer look.
            if bytes.get(i).is_none_or(|&b| b < 0x80 && b != b'\'') {
                break;
            }
            match goes_on(text, i) {
                Some((width, bits)) => {
                    shape |= bits;
                    i += width;
                }
                None => break,
            }
        }
        found(Word {
            start,
            end: i,
            shape: Shape(shape & !LETTER_OR_DIGIT),
            key,
        });
    }
}

/// Calls `found(start, end)` for every word, as `split` finds them.
pub fn for_each_word(text: &str, mut found: impl FnMut(usize, usize)) {
    split(text, |word| found(word.start, word.end));
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

    fn scanned(text: &str) -> (Vocabulary, Vec<Token>) {
        let mut vocabulary = Vocabulary::default();
        let mut tokens = Vec::new();
        scan(
            text,
            &mut vocabulary,
            &Nothing,
            &mut String::new(),
            &mut tokens,
        );
        (vocabulary, tokens)
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
    fn the_splitter_knows_each_words_case_and_whether_it_is_plain() {
        let text = "Trump’s NATO talks 2025 Müller o'clock ÉCOLE";
        let mut shapes = Vec::new();
        split(text, |w| shapes.push((&text[w.start..w.end], w.shape)));
        let plain: Vec<bool> = shapes.iter().map(|(_, s)| s.is_plain()).collect();
        assert_eq!(plain, [false, true, true, true, false, false, false]);
        let capitalised: Vec<bool> = shapes.iter().map(|(_, s)| s.is_capitalised()).collect();
        assert_eq!(capitalised, [true, true, false, false, true, false, true]);
        for (word, shape) in shapes {
            assert_eq!(
                shape.has_upper(),
                word.chars().any(char::is_uppercase),
                "{word}"
            );
            assert_eq!(
                shape.has_lower(),
                word.chars().any(char::is_lowercase),
                "{word}"
            );
        }
    }

    #[test]
    fn quick_lookups_give_the_ids_of_the_folded_words() {
        let text = "Trump’s trump TRUMP Trump internationalisation Internationalisation \
            INTERNATIONALISATION don't dont Müller MULLER 2025";
        let (vocabulary, tokens) = scanned(text);
        for token in &tokens {
            let folded = super::super::tokens::fold(token.text(text));
            assert_eq!(vocabulary.get(&folded), Some(token.word), "{folded}");
        }
        assert_eq!(vocabulary.words.len(), 5, "{:?}", vocabulary.words);
    }

    #[test]
    fn sentence_starts_are_found_from_the_gap_before_a_word() {
        let text = "U.S. President Trump — and then: “Peace” (Talks)\n\tnext  one? Yes!  «Non»";
        let (_, tokens) = scanned(text);
        for token in tokens {
            let before = &text[..token.start as usize];
            assert_eq!(token.sentence_start, opens_sentence(before), "{before:?}");
        }
    }

    #[test]
    fn folded_words_get_one_id_and_tokens_know_their_place() {
        let text = "Talks began. The talks  TALKS";
        let (vocabulary, tokens) = scanned(text);
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
