//! Named entities: people, places and organisations, found without a model.
//!
//! A mention is a run of capitalised words ("President Donald Trump", "Gulf of Aden"). Titles in
//! front of a name are dropped and mark a person; small gazetteers shipped with briefing (given
//! names, places, organisations) say what the rest is. Mentions are then merged across the whole
//! site into entities, so "Zelensky", "Zelenskyy" and "Volodymyr Zelenskyy" are one person, and
//! "Trump" is "Donald Trump" where that is the only Trump around.

use serde::Serialize;

use super::scan::{Classify, Token, Vocabulary, flag, scan};
use super::tokens::{StopWords, fold};

const TITLES: &str = include_str!("gazetteer/titles.txt");
const GIVEN_NAMES: &str = include_str!("gazetteer/given_names.txt");
const PLACES: &str = include_str!("gazetteer/places.txt");
const ORGANISATIONS: &str = include_str!("gazetteer/organisations.txt");

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organisation,
    /// A capitalised name the gazetteers and rules could not place.
    Other,
}

/// A name as one article writes it, with titles removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name as written, e.g. `Donald Trump`.
    pub name: String,
    /// Its folded form (`fold_name`), e.g. `donald trump`.
    pub folded: String,
    /// How many times the text names it so.
    pub count: u32,
    pub kind: EntityKind,
    /// A lone word that opens a sentence and is capitalised nowhere else in its article: a
    /// name only if another article shows it is one.
    pub tentative: bool,
}

/// The mentions of one article with each distinct one once, its `count` the sum.
pub fn tally(mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_unstable_by(|a, b| {
        (&a.folded, &a.name, a.kind, a.tentative).cmp(&(&b.folded, &b.name, b.kind, b.tentative))
    });
    mentions.dedup_by(|next, kept| {
        let same = (&next.folded, &next.name, next.kind, next.tentative)
            == (&kept.folded, &kept.name, kept.kind, kept.tentative);
        if same {
            kept.count += next.count;
        }
        same
    });
    mentions
}

/// The shipped word lists, folded and sorted for look-ups.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    titles: Vec<String>,
    given_names: Vec<String>,
    places: Vec<String>,
    organisations: Vec<String>,
    organisation_words: Vec<String>,
    stop_words: StopWords,
}

fn folded_list<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut list: Vec<String> = items
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(fold_name)
        .collect();
    list.sort_unstable();
    list.dedup();
    list
}

impl Default for Gazetteer {
    /// The gazetteers shipped with briefing.
    fn default() -> Self {
        let lines = |text: &'static str| text.lines().filter(|l| !l.starts_with('#'));
        Gazetteer {
            titles: folded_list(lines(TITLES)),
            given_names: folded_list(lines(GIVEN_NAMES).flat_map(str::split_whitespace)),
            places: folded_list(lines(PLACES)),
            organisations: folded_list(lines(ORGANISATIONS).filter(|l| !l.starts_with('@'))),
            organisation_words: folded_list(
                lines(ORGANISATIONS).filter_map(|l| l.trim().strip_prefix('@')),
            ),
            stop_words: StopWords::default(),
        }
    }
}

/// The folded form of a name: its words folded and joined by one space.
pub fn fold_name(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

fn has(list: &[String], folded: &str) -> bool {
    list.binary_search_by(|x| x.as_str().cmp(folded)).is_ok()
}

/// Particles that may sit inside a name: "Gulf of Aden", "Ursula von der Leyen".
fn is_connector(word: &str) -> bool {
    matches!(
        word,
        "of" | "von" | "der" | "van" | "de" | "da" | "al" | "bin" | "la" | "le"
    )
}

/// Cuts the tokens of a text into runs of name words joined by single spaces or connectors;
/// `is_name_word` says which tokens may be in one. Runs are token index ranges.
fn capitalised_runs(
    text: &str,
    tokens: &[Token],
    is_name_word: impl Fn(&Token) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        let joined = token.joined && start.is_some();
        let next_is_name = tokens.get(i + 1).is_some_and(&is_name_word);
        if is_name_word(token) || (joined && next_is_name && is_connector(token.text(text))) {
            match start {
                Some(s) if !joined => {
                    runs.push(s..i);
                    start = Some(i);
                }
                None => start = Some(i),
                Some(_) => {}
            }
        } else if let Some(s) = start.take() {
            runs.push(s..i);
        }
    }
    if let Some(s) = start {
        runs.push(s..tokens.len());
    }
    runs
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

impl Classify for Gazetteer {
    fn classify(&self, folded: &str) -> u16 {
        let checks = [
            (self.stop_words.contains(folded), flag::STOP),
            (has(&self.titles, folded), flag::TITLE),
            (has(&self.given_names, folded), flag::GIVEN_NAME),
            (has(&self.places, folded), flag::PLACE),
            (has(&self.organisations, folded), flag::ORGANISATION),
            (
                has(&self.organisation_words, folded),
                flag::ORGANISATION_WORD,
            ),
            (
                folded.len() <= 1 || folded.bytes().all(|b| b.is_ascii_digit()),
                flag::NOT_CONTENT,
            ),
        ];
        checks
            .into_iter()
            .filter(|(holds, _)| *holds)
            .fold(0, |flags, (_, bit)| flags | bit)
    }
}

impl Gazetteer {
    /// The mentions in a text, in order; a name may be mentioned many times.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut vocabulary = Vocabulary::default();
        let mut tokens = Vec::new();
        scan(text, &mut vocabulary, self, &mut String::new(), &mut tokens);
        self.mentions_in(text, &tokens, &vocabulary)
    }

    /// The mentions in a text already scanned into `tokens` over `vocabulary`.
    pub fn mentions_in(
        &self,
        text: &str,
        tokens: &[Token],
        vocabulary: &Vocabulary,
    ) -> Vec<Mention> {
        let runs = capitalised_runs(text, tokens, |t| {
            t.capitalised
                && t.word != u32::MAX
                && (!t.shouted || vocabulary.is(t.word, flag::ORGANISATION))
        });
        let words = Words {
            gazetteer: self,
            text,
            tokens,
            vocabulary,
        };
        // A lone capitalised word that opens a sentence is kept only if the text also
        // capitalises it mid-sentence ("Taking to his platform" is not a name; "Trump said" is).
        let mut mid_sentence: Vec<u32> = runs
            .iter()
            .flat_map(|run| run.clone())
            .filter(|&t| !words.opens_run(t))
            .map(|t| tokens[t].word)
            .collect();
        mid_sentence.sort_unstable();
        mid_sentence.dedup();
        runs.into_iter()
            .flat_map(|run| words.split_run(run))
            .filter(|(part, _)| !part.iter().all(|&t| words.is(t, flag::STOP)))
            .filter_map(|(part, titled)| {
                let mut mention = words.mention(&part, titled)?;
                mention.tentative = match part.as_slice() {
                    [only] if words.opens_run(*only) => {
                        mid_sentence.binary_search(&tokens[*only].word).is_err()
                            && !words.is(*only, flag::PLACE | flag::ORGANISATION)
                    }
                    _ => false,
                };
                Some(mention)
            })
            .collect()
    }

    /// The person a quote's speaker line names: "German Chancellor Friedrich Merz" is the
    /// person "Friedrich Merz".
    pub fn speaker(&self, line: &str) -> Option<Mention> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let first = words.iter().position(|w| !has(&self.titles, &fold(w)))?;
        let name = words[first..].join(" ");
        let name = strip_possessive(name.trim_end_matches([',', '.', ':'])).to_string();
        let folded = fold_name(&name);
        (!folded.is_empty()).then_some(Mention {
            name,
            folded,
            kind: EntityKind::Person,
            tentative: false,
            count: 1,
        })
    }

    /// A folded name without the titles in front of it: `president donald trump` → `donald trump`.
    pub fn strip_titles(&self, folded: &str) -> String {
        let words: Vec<&str> = folded.split(' ').collect();
        let first = words
            .iter()
            .position(|w| !has(&self.titles, w))
            .unwrap_or(words.len().saturating_sub(1));
        words[first..].join(" ")
    }
}

/// The tokens of one text with what they are.
struct Words<'a> {
    gazetteer: &'a Gazetteer,
    text: &'a str,
    tokens: &'a [Token],
    vocabulary: &'a Vocabulary,
}

impl Words<'_> {
    fn is(&self, token: usize, bits: u16) -> bool {
        self.vocabulary.is(self.tokens[token].word, bits)
    }

    /// Whether a token opens a sentence, not joined to a name word before it.
    fn opens_run(&self, token: usize) -> bool {
        let t = &self.tokens[token];
        t.sentence_start && !(t.joined && token > 0 && self.tokens[token - 1].capitalised)
    }

    /// Cuts a run at its titles: "NATO Secretary General Jens Stoltenberg" is "NATO" and the
    /// person "Jens Stoltenberg". Returns each part with whether a title marked it a person.
    fn split_run(&self, run: std::ops::Range<usize>) -> Vec<(Vec<usize>, bool)> {
        let mut parts: Vec<(Vec<usize>, bool)> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut titled = false;
        let mut leading_stop = true;
        for token in run {
            if leading_stop && current.is_empty() && self.is(token, flag::STOP) {
                continue;
            }
            leading_stop = false;
            if self.is(token, flag::TITLE) {
                if !current.is_empty() && !current.iter().all(|&t| self.is(t, flag::TITLE)) {
                    parts.push((std::mem::take(&mut current), titled));
                }
                current.clear();
                titled = true;
                continue;
            }
            current.push(token);
        }
        if !current.is_empty() {
            parts.push((current, titled));
        }
        parts
    }

    fn mention(&self, part: &[usize], titled: bool) -> Option<Mention> {
        let mut part = part;
        // A name does not end in a connector ("Bank of").
        while let Some((&last, rest)) = part.split_last() {
            if !is_connector(self.tokens[last].text(self.text)) {
                break;
            }
            part = rest;
        }
        let (&last, _) = part.split_last()?;
        let mut name = String::new();
        let mut folded = String::new();
        for &t in part {
            let written = self.tokens[t].text(self.text);
            let written = if t == last {
                strip_possessive(written)
            } else {
                written
            };
            if !name.is_empty() {
                name.push(' ');
                folded.push(' ');
            }
            name.push_str(written);
            folded.push_str(&self.vocabulary.words[self.tokens[t].word as usize]);
        }
        if folded.bytes().all(|b| b.is_ascii_digit() || b == b' ') {
            return None;
        }
        Some(Mention {
            kind: self.kind_of(part, &name, &folded, titled),
            name,
            folded,
            tentative: false,
            count: 1,
        })
    }

    fn kind_of(&self, part: &[usize], name: &str, folded: &str, titled: bool) -> EntityKind {
        let acronym = name.len() <= 5 && name.len() > 1 && name.chars().all(char::is_uppercase);
        let one_word = part.len() == 1;
        let listed = |bit: u16, list: &[String]| {
            if one_word {
                self.is(part[0], bit)
            } else {
                has(list, folded)
            }
        };
        if listed(flag::PLACE, &self.gazetteer.places) {
            EntityKind::Place
        } else if listed(flag::ORGANISATION, &self.gazetteer.organisations)
            || part.iter().any(|&t| self.is(t, flag::ORGANISATION_WORD))
            || acronym
        {
            EntityKind::Organisation
        } else if titled || (!one_word && self.is(part[0], flag::GIVEN_NAME)) {
            EntityKind::Person
        } else {
            EntityKind::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityKind)> {
        Gazetteer::default()
            .mentions(text)
            .into_iter()
            .filter(|m| !m.tentative)
            .map(|m| (m.name, m.kind))
            .collect()
    }

    #[test]
    fn titles_are_dropped_and_mark_people() {
        let found = names("U.S. President Donald Trump met Russian President Vladimir Putin.");
        assert!(
            found.contains(&("Donald Trump".into(), EntityKind::Person)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Vladimir Putin".into(), EntityKind::Person)),
            "{found:?}"
        );
    }

    #[test]
    fn a_run_is_cut_at_a_title_into_organisation_and_person() {
        let found = names("He met NATO Secretary General Jens Stoltenberg on Friday.");
        assert!(
            found.contains(&("NATO".into(), EntityKind::Organisation)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Jens Stoltenberg".into(), EntityKind::Person)),
            "{found:?}"
        );
    }

    #[test]
    fn places_organisations_and_connectors_are_recognised() {
        let found = names("Ships in the Gulf of Aden were guarded by the Indian Navy near Kyiv.");
        assert!(
            found.contains(&("Gulf of Aden".into(), EntityKind::Place)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Indian Navy".into(), EntityKind::Organisation)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Kyiv".into(), EntityKind::Place)),
            "{found:?}"
        );
    }

    #[test]
    fn sentence_openers_are_not_names_unless_seen_mid_sentence() {
        let found = names("Taking to his platform, Trump wrote. Meanwhile the war went on.");
        let found: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(found, ["Trump"]);
        let found = names("Lohan checked in. Friends of Lohan said so.");
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn a_speaker_line_is_a_person_without_titles() {
        let speaker = Gazetteer::default()
            .speaker("German Chancellor Friedrich Merz")
            .unwrap();
        assert_eq!(speaker.name, "Friedrich Merz");
        assert_eq!(speaker.kind, EntityKind::Person);
        assert!(Gazetteer::default().speaker("President").is_none());
    }

    #[test]
    fn possessives_and_shouting_are_not_part_of_names() {
        let found = names("Not necessary. Vladimir, STOP! It was Trump’s post.");
        let found: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert!(found.contains(&"Trump"), "{found:?}");
        assert!(!found.iter().any(|n| n.contains("STOP")), "{found:?}");
    }
}
