//! Lines of raw text and the measurements the extractor judges them by.
//!
//! Scraped text is one block per line: a paragraph, a menu entry, a byline. Whether a line is
//! article prose is told by general signals rather than phrase lists: how many words it has, how
//! many of them are function words ("the", "und", "que"...), whether it ends like a sentence, and
//! whether it is mostly capitalised like a menu entry or a headline.

/// One non-empty line of the source, whitespace collapsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Words: whitespace-separated tokens holding a letter or digit.
    pub words: usize,
    /// Share of the words that are function words of some language.
    pub stop_ratio: f32,
    /// Share of the words starting with a capital letter.
    pub capital_ratio: f32,
    /// Ends with sentence punctuation (possibly inside a closing quote or bracket).
    pub ends_sentence: bool,
    /// Other articles of the same outlet have this line too: it is the site's, not the story's.
    pub shared: bool,
}

/// Longest line measured in full: beyond this a "line" is a dump, not a paragraph.
const MAX_LINE_CHARS: usize = 20_000;

impl Line {
    /// Measures one line of text (already trimmed).
    pub fn new(raw: &str) -> Line {
        let text = collapse_whitespace(raw);
        let (mut words, mut stops, mut capitals) = (0usize, 0usize, 0usize);
        for word in text
            .split(' ')
            .filter(|w| w.chars().any(char::is_alphanumeric))
        {
            words += 1;
            if is_stop_word(word) {
                stops += 1;
            }
            if word
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase)
            {
                capitals += 1;
            }
        }
        let (ideographic, particles) = ideographic_counts(&text);
        if ideographic > words {
            // Chinese and Japanese write no spaces: two characters make about one word, and
            // grammatical particles play the part of function words.
            words += ideographic / 2;
            stops += particles / 2;
        }
        let share = |n: usize| {
            if words == 0 {
                0.0
            } else {
                n as f32 / words as f32
            }
        };
        Line {
            ends_sentence: ends_sentence(&text),
            shared: false,
            words,
            stop_ratio: share(stops),
            capital_ratio: share(capitals),
            text,
        }
    }

    /// Reads like running prose: long enough, with function words or full sentences.
    ///
    /// Headlines of "related" lists have function words too, but no closing punctuation, so a
    /// line without it must be long to count.
    pub fn is_prose(&self) -> bool {
        let sentence = self.ends_sentence && self.stop_ratio >= 0.08;
        let long_run = self.words >= 25 && self.stop_ratio >= 0.18;
        self.words >= 8
            && (sentence || long_run)
            && self.capital_ratio < 0.7
            && !self.is_legal_notice()
            && !self.shared
    }

    /// Not prose, but written like it: a shortish line in sentence case with function words,
    /// such as a list item, a caption or a call to action inside an article. It neither earns
    /// nor costs, so it does not split an article, but it does not make one either.
    pub fn is_near_prose(&self) -> bool {
        !self.shared
            && self.words >= 4
            && self.stop_ratio >= 0.15
            && self.capital_ratio < 0.6
            && !self.is_legal_notice()
    }

    /// A copyright or rights notice: page footer, whatever its length.
    pub fn is_legal_notice(&self) -> bool {
        is_legal_notice(&self.text)
    }

    /// Short, like a menu entry, a button or a label.
    pub fn is_short(&self) -> bool {
        self.words < 5
    }
}

/// A copyright or rights notice, told from text with whitespace already collapsed.
pub fn is_legal_notice(text: &str) -> bool {
    // Asked of every line, often several times: compared without lowercasing a copy, and
    // only at each `a` or `A` (found by a byte scan), not at every byte.
    const RIGHTS: &[u8] = b"all rights reserved";
    let bytes = text.as_bytes();
    text.contains('©')
        || memchr::memchr2_iter(b'a', b'A', bytes).any(|at| {
            bytes
                .get(at..at + RIGHTS.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(RIGHTS))
        })
        || bytes
            .get(..b"copyright".len())
            .is_some_and(|w| w.eq_ignore_ascii_case(b"copyright"))
}

/// Characters of scripts written without spaces, and how many of them are particles.
fn ideographic_counts(text: &str) -> (usize, usize) {
    let mut count = 0;
    let mut particles = 0;
    for c in text.chars() {
        if matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
        {
            count += 1;
            if "のにはをがでとたてしな的是了在和".contains(c) {
                particles += 1;
            }
        }
    }
    (count, particles)
}

/// Splits text into measured, non-empty lines, noting which followed a blank line.
pub fn lines(text: &str) -> Vec<Line> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Line::new(truncate_chars(l, MAX_LINE_CHARS)))
        .collect()
}

fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// Turns runs of whitespace (tabs, non-breaking spaces) into one space, and puts back the
/// space scrapes lose between a colon and an opening quote (`wrote:“I am`).
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.contains([':', ';']) {
        out = out.replace(":“", ": “").replace(";“", "; “");
    }
    out
}

/// Ends with `.`, `!`, `?`, `…` or a lead-in `:`, possibly followed by closing quotes or brackets.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*'])
        .ends_with(['.', '!', '?', '…', '。', '！', '？', ':'])
}

/// Function words of the languages news is most often scraped in (English, German, Dutch,
/// French, Spanish, Portuguese, Italian, Indonesian, Russian), sorted for binary search; used
/// only as a density, never to decide a line on its own.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "al", "all", "als", "also", "an", "and", "are", "as", "at", "au",
    "auch", "auf", "aus", "aux", "be", "been", "but", "by", "can", "ce", "che", "como", "con",
    "could", "da", "dalam", "dan", "dans", "dari", "das", "dass", "del", "della", "dem", "den",
    "dengan", "der", "des", "di", "die", "do", "dos", "du", "een", "ein", "eine", "einen", "el",
    "elle", "em", "en", "er", "es", "est", "et", "for", "from", "für", "had", "has", "hat", "have",
    "he", "her", "het", "his", "how", "i", "if", "il", "in", "ini", "into", "is", "ist", "it",
    "its", "itu", "la", "las", "le", "les", "lo", "los", "mit", "more", "más", "na", "nicht", "no",
    "non", "not", "of", "on", "one", "op", "or", "os", "our", "par", "para", "pas", "per", "por",
    "pour", "que", "qui", "se", "she", "sich", "sie", "so", "su", "sur", "te", "than", "that",
    "the", "their", "them", "there", "they", "this", "tidak", "to", "uma", "un", "und", "une",
    "untuk", "van", "von", "voor", "was", "we", "were", "what", "when", "which", "who", "will",
    "wird", "with", "would", "y", "yang", "you", "zijn", "zu", "zum", "è", "а", "в", "за", "и",
    "из", "к", "как", "на", "не", "но", "о", "по", "с", "что", "это",
];

fn is_stop_word(word: &str) -> bool {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    if bare.len() <= 6 && bare.is_ascii() {
        // Most words: lowercased on the stack, as this runs for every word of every line.
        let mut buffer = [0u8; 6];
        let lower = &mut buffer[..bare.len()];
        lower.copy_from_slice(bare.as_bytes());
        lower.make_ascii_lowercase();
        return STOP_WORDS
            .binary_search_by(|w| w.as_bytes().cmp(lower))
            .is_ok();
    }
    bare.chars().count() <= 6
        && STOP_WORDS
            .binary_search(&bare.to_lowercase().as_str())
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_notices_are_found_in_any_case_anywhere() {
        assert!(is_legal_notice("News Corp. ALL RIGHTS RESERVED"));
        assert!(is_legal_notice("aa All rights reserved."));
        assert!(is_legal_notice("Copyright 2019 The Times"));
        assert!(is_legal_notice("© 2019"));
        assert!(!is_legal_notice("All rights reserve"));
        assert!(!is_legal_notice(
            "The talks, all rights groups said, are over."
        ));
    }

    #[test]
    fn prose_and_menus_are_told_apart() {
        let prose = Line::new(
            "The company, which is expected to lay off thousands of employees, confirmed it.",
        );
        assert!(prose.is_prose(), "{prose:?}");
        let menu = Line::new("Business Culture Gear Ideas Science Security Transportation More");
        assert!(!menu.is_prose(), "{menu:?}");
        assert!(Line::new("Sign In").is_short());
        assert!(
            !Line::new("© 2019 Beachbody, LLC. All rights reserved. Beachbody owns the marks.")
                .is_prose()
        );
        let japanese = Line::new(
            "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。",
        );
        assert!(japanese.is_prose(), "{japanese:?}");
        let german =
            Line::new("Die Regierung hat am Montag erklärt, dass sie die Pläne nicht ändern wird.");
        assert!(german.is_prose());
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn sentences_end_inside_quotes() {
        assert!(ends_sentence("He said “stop.”"));
        assert!(ends_sentence("Really?"));
        assert!(!ends_sentence("Related News"));
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(collapse_whitespace(" a\t b\u{a0}c "), "a b c");
        assert_eq!(
            collapse_whitespace("Trump wrote:“Stop.”"),
            "Trump wrote: “Stop.”"
        );
    }
}
