//! Named entities: people, places and organisations, found without a model.
//!
//! A mention is a run of capitalised words ("President Donald Trump", "Gulf of Aden"). Titles in
//! front of a name are dropped and mark a person; small gazetteers shipped with briefing (given
//! names, places, organisations) say what the rest is. Mentions are then merged across the whole
//! site into entities, so "Zelensky", "Zelenskyy" and "Volodymyr Zelenskyy" are one person, and
//! "Trump" is "Donald Trump" where that is the only Trump around.

use std::collections::BTreeSet;

use serde::Serialize;

use super::tokens::{StopWords, fold, word_spans};

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
    pub kind: EntityKind,
    /// A lone word that opens a sentence and is capitalised nowhere else in its article: a
    /// name only if another article shows it is one.
    pub tentative: bool,
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

/// A word of a capitalised run, with whether a sentence starts at it.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    sentence_start: bool,
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// A word in capitals for emphasis ("STOP"), not an acronym: four letters or more.
fn is_shouted(word: &str) -> bool {
    word.chars().count() >= 4 && word.chars().all(|c| !c.is_lowercase())
}

/// Particles that may sit inside a name: "Gulf of Aden", "Ursula von der Leyen".
fn is_connector(word: &str) -> bool {
    matches!(
        word,
        "of" | "von" | "der" | "van" | "de" | "da" | "al" | "bin" | "la" | "le"
    )
}

fn opens_sentence(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.is_empty()
        || trimmed.ends_with(['.', '!', '?', '\n', ':', '"', '“', '‘', '(', '—', '-', '–'])
}

/// Splits text into runs of capitalised words joined by single spaces or connectors;
/// `is_name_word` says which words may be in one.
fn capitalised_runs(text: &str, is_name_word: impl Fn(&str) -> bool) -> Vec<Vec<Word<'_>>> {
    let spans = word_spans(text);
    let mut runs: Vec<Vec<Word<'_>>> = Vec::new();
    let mut current: Vec<Word<'_>> = Vec::new();
    let mut previous_end = 0;
    for (i, &(offset, word)) in spans.iter().enumerate() {
        let gap = &text[previous_end..offset];
        let joined = gap == " " && !current.is_empty();
        let next_capitalised = spans.get(i + 1).is_some_and(|(_, w)| is_name_word(w));
        if is_name_word(word) || (joined && is_connector(word) && next_capitalised) {
            if !joined && !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            current.push(Word {
                text: word,
                sentence_start: !joined && opens_sentence(&text[..offset]),
            });
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        previous_end = offset + word.len();
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

impl Gazetteer {
    /// The mentions in a text, in order; a name may be mentioned many times.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let runs = capitalised_runs(text, |word| {
            is_capitalised(word) && (!is_shouted(word) || has(&self.organisations, &fold(word)))
        });
        // A lone capitalised word that opens a sentence is kept only if the text also
        // capitalises it mid-sentence ("Taking to his platform" is not a name; "Trump said" is).
        let mid_sentence: BTreeSet<String> = runs
            .iter()
            .flatten()
            .filter(|w| !w.sentence_start)
            .map(|w| fold(w.text))
            .collect();
        runs.iter()
            .flat_map(|run| self.split_run(run))
            .filter(|(words, _)| {
                !words
                    .iter()
                    .all(|w| self.stop_words.contains(&fold(w.text)))
            })
            .filter_map(|(words, titled)| {
                let mut mention = self.mention(&words, titled)?;
                mention.tentative = match words.as_slice() {
                    [only] if only.sentence_start => {
                        let folded = fold(only.text);
                        !mid_sentence.contains(&folded) && !self.known(&folded)
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
        (!fold_name(&name).is_empty()).then_some(Mention {
            name,
            kind: EntityKind::Person,
            tentative: false,
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

    fn known(&self, folded: &str) -> bool {
        has(&self.places, folded) || has(&self.organisations, folded)
    }

    /// Cuts a run at its titles: "NATO Secretary General Jens Stoltenberg" is "NATO" and the
    /// person "Jens Stoltenberg". Returns each part with whether a title marked it a person.
    fn split_run<'a>(&self, run: &[Word<'a>]) -> Vec<(Vec<Word<'a>>, bool)> {
        let mut parts: Vec<(Vec<Word<'a>>, bool)> = Vec::new();
        let mut current: Vec<Word<'a>> = Vec::new();
        let mut titled = false;
        let mut leading_stop = true;
        for word in run {
            let folded = fold(word.text);
            if leading_stop && current.is_empty() && self.stop_words.contains(&folded) {
                continue;
            }
            leading_stop = false;
            if has(&self.titles, &folded) {
                if !current.is_empty() && !current.iter().all(|w| has(&self.titles, &fold(w.text)))
                {
                    parts.push((std::mem::take(&mut current), titled));
                }
                current.clear();
                titled = true;
                continue;
            }
            current.push(*word);
        }
        if !current.is_empty() {
            parts.push((current, titled));
        }
        parts
    }

    fn mention(&self, words: &[Word<'_>], titled: bool) -> Option<Mention> {
        let mut texts: Vec<&str> = words.iter().map(|w| w.text).collect();
        // A name does not end in a connector ("Bank of").
        while texts.last().is_some_and(|w| is_connector(w)) {
            texts.pop();
        }
        let last = texts.pop()?;
        texts.push(strip_possessive(last));
        let name = texts.join(" ");
        let folded = fold_name(&name);
        if folded.is_empty() || folded.bytes().all(|b| b.is_ascii_digit() || b == b' ') {
            return None;
        }
        Some(Mention {
            kind: self.kind_of(&name, &folded, titled),
            name,
            tentative: false,
        })
    }

    fn kind_of(&self, name: &str, folded: &str, titled: bool) -> EntityKind {
        let words: Vec<&str> = folded.split(' ').collect();
        let acronym = name.len() <= 5 && name.len() > 1 && name.chars().all(|c| c.is_uppercase());
        if has(&self.places, folded) {
            EntityKind::Place
        } else if has(&self.organisations, folded)
            || words.iter().any(|w| has(&self.organisation_words, w))
            || acronym
        {
            EntityKind::Organisation
        } else if titled || (words.len() > 1 && has(&self.given_names, words[0])) {
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
