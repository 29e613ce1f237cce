//! Entity resolution: the mentions of every article merged into the site's entities.
//!
//! Forms are merged when the editor says so (`[entities.aliases]` in `site.toml`), when they
//! spell the same name with doubled or transliterated letters ("Zelensky" / "Zelenskyy"), and
//! when a surname alone stands for the one person of that surname ("Trump" / "Donald Trump").
//! A surname shared by two people is resolved inside each article to the one it names in full.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::entities::{EntityKind, Gazetteer, Mention, fold_name};

/// One entity of the site, before it is tied to pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEntity {
    /// The fullest common form, e.g. `Volodymyr Zelenskyy`.
    pub name: String,
    pub kind: EntityKind,
}

/// Every entity of the site and, per article, which ones it names and how often.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub entities: Vec<ResolvedEntity>,
    /// Per article: (index in `entities`, mentions), most mentioned first.
    pub per_article: Vec<Vec<(u32, u32)>>,
    /// Folded form → entity.
    by_form: BTreeMap<String, u32>,
    /// Skeleton of a single word → the people whose last name it is.
    by_surname: BTreeMap<String, Vec<u32>>,
    /// One-word form → the people whose last name it may be (from `by_surname`).
    surname_of_form: BTreeMap<String, Vec<u32>>,
}

/// A spelling-insensitive key: letters doubled or written `iy`/`ij` at a word's end count once.
pub fn skeleton(folded: &str) -> String {
    let words: Vec<String> = folded.split(' ').map(word_skeleton).collect();
    words.join(" ")
}

fn word_skeleton(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    for (ending, replacement) in [("iy", "y"), ("ij", "y"), ("yi", "y")] {
        if let Some(stem) = out.strip_suffix(ending) {
            return format!("{stem}{replacement}");
        }
    }
    out
}

/// Union-find over form indices; the smaller index is the root, so results do not depend on
/// the order of unions.
struct Groups(Vec<usize>);

impl Groups {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0[high] = low;
    }
}

/// What the site says about one folded form.
#[derive(Debug, Default)]
struct Form {
    written: BTreeMap<String, usize>,
    kinds: BTreeMap<EntityKind, usize>,
}

/// Merges the mentions of every article (`mentions[i]` for article `i`).
pub fn resolve(
    mentions: Vec<Vec<Mention>>,
    aliases: &BTreeMap<String, Vec<String>>,
    gazetteer: &Gazetteer,
) -> Resolution {
    let mentions = confirmed(mentions);
    let mut forms: BTreeMap<String, Form> = BTreeMap::new();
    for mention in mentions.iter().flatten() {
        let count = mention.count as usize;
        let form = match forms.get_mut(&mention.folded) {
            Some(form) => form,
            None => forms.entry(mention.folded.clone()).or_default(),
        };
        match form.written.get_mut(&mention.name) {
            Some(written) => *written += count,
            None => {
                form.written.insert(mention.name.clone(), count);
            }
        }
        *form.kinds.entry(mention.kind).or_default() += count;
    }
    for (name, others) in aliases {
        for alias in std::iter::once(name).chain(others) {
            let key = gazetteer.strip_titles(&fold_name(alias));
            let form = forms.entry(key).or_default();
            if alias == name {
                *form.written.entry(name.clone()).or_default() += 1;
            }
        }
    }
    let keys: Vec<&String> = forms.keys().collect();
    let index_of = |key: &str| keys.binary_search_by(|k| k.as_str().cmp(key)).ok();
    let mut groups = Groups((0..keys.len()).collect());
    for (name, others) in aliases {
        let Some(a) = index_of(&gazetteer.strip_titles(&fold_name(name))) else {
            continue;
        };
        for alias in others {
            if let Some(b) = index_of(&gazetteer.strip_titles(&fold_name(alias))) {
                groups.union(a, b);
            }
        }
    }
    let mut by_skeleton: BTreeMap<String, usize> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        match by_skeleton.get(&skeleton(key)) {
            Some(&first) => groups.union(first, i),
            None => {
                by_skeleton.insert(skeleton(key), i);
            }
        }
    }
    let people = person_surnames(&keys, &forms, &mut groups);
    // A lone surname joins the one person who carries it.
    for (i, key) in keys.iter().enumerate() {
        if key.contains(' ')
            || dominant_kind(&forms[*key]) != EntityKind::Person
                && dominant_kind(&forms[*key]) != EntityKind::Other
        {
            continue;
        }
        if let Some([only]) = people.get(&skeleton(key)).map(Vec::as_slice) {
            groups.union(*only, i);
        }
    }
    let resolution = build(&mentions, &keys, &forms, &mut groups, people);
    // Some 200,000 strings at 10,000 articles: freed on every thread.
    mentions.into_par_iter().for_each(drop);
    resolution
}

/// The mentions without the tentative ones that no article confirms as names, alone or as
/// the last word of a longer name. On every thread: this reads every mention of the site.
fn confirmed(mut mentions: Vec<Vec<Mention>>) -> Vec<Vec<Mention>> {
    type Names<'a> = rustc_hash::FxHashSet<&'a str>;
    let unconfirmed: rustc_hash::FxHashSet<String> = {
        let sure = mentions
            .par_iter()
            .fold(Names::default, |mut sure, list| {
                for m in list.iter().filter(|m| !m.tentative) {
                    sure.insert(&m.folded);
                    sure.insert(m.folded.rsplit(' ').next().unwrap_or(""));
                }
                sure
            })
            .reduce(Names::default, |mut a, b| {
                a.extend(b);
                a
            });
        mentions
            .iter()
            .flatten()
            .filter(|m| m.tentative && !sure.contains(m.folded.as_str()))
            .map(|m| m.folded.clone())
            .collect()
    };
    mentions.par_iter_mut().for_each(|list| {
        list.retain(|m| !m.tentative || !unconfirmed.contains(&m.folded));
    });
    mentions
}

/// Skeleton of the last word → roots of the multi-word names ending in it that may be people.
fn person_surnames(
    keys: &[&String],
    forms: &BTreeMap<String, Form>,
    groups: &mut Groups,
) -> BTreeMap<String, Vec<usize>> {
    let mut people: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        let Some((_, last)) = key.rsplit_once(' ') else {
            continue;
        };
        if !matches!(
            dominant_kind(&forms[*key]),
            EntityKind::Person | EntityKind::Other
        ) {
            continue;
        }
        let root = groups.root(i);
        let list = people.entry(word_skeleton(last)).or_default();
        if !list.contains(&root) {
            list.push(root);
        }
    }
    people
}

/// The kind most forms were given; a name that is ever a person, place or organisation is
/// that rather than `Other`.
fn dominant_kind(form: &Form) -> EntityKind {
    form.kinds
        .iter()
        .filter(|(kind, _)| **kind != EntityKind::Other)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(EntityKind::Other, |(kind, _)| *kind)
}

fn build(
    mentions: &[Vec<Mention>],
    keys: &[&String],
    forms: &BTreeMap<String, Form>,
    groups: &mut Groups,
    people: BTreeMap<String, Vec<usize>>,
) -> Resolution {
    let roots: Vec<usize> = (0..keys.len()).map(|i| groups.root(i)).collect();
    let mut entity_of_root: BTreeMap<usize, u32> = BTreeMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, &root) in roots.iter().enumerate() {
        let next = u32::try_from(members.len()).unwrap_or(u32::MAX);
        let id = *entity_of_root.entry(root).or_insert(next);
        if id as usize == members.len() {
            members.push(Vec::new());
        }
        members[id as usize].push(i);
    }
    let entities = members
        .iter()
        .map(|group| describe(group.iter().map(|&i| (keys[i], &forms[keys[i]]))))
        .collect();
    let by_form: BTreeMap<String, u32> = keys
        .iter()
        .zip(&roots)
        .map(|(key, root)| ((*key).clone(), entity_of_root[root]))
        .collect();
    let by_surname: BTreeMap<String, Vec<u32>> = people
        .into_iter()
        .map(|(surname, list)| {
            let ids = list.iter().map(|r| entity_of_root[&roots[*r]]).collect();
            (surname, ids)
        })
        .collect();
    let surname_of_form = keys
        .iter()
        .filter(|key| !key.contains(' '))
        .filter_map(|key| Some(((*key).clone(), by_surname.get(&skeleton(key))?.clone())))
        .collect();
    let mut resolution = Resolution {
        entities,
        per_article: Vec::new(),
        by_form,
        by_surname,
        surname_of_form,
    };
    resolution.per_article = mentions.par_iter().map(|m| resolution.count(m)).collect();
    resolution
}

/// The name and kind of an entity from its forms: the most written multi-word form wins.
fn describe<'a>(forms: impl Iterator<Item = (&'a String, &'a Form)>) -> ResolvedEntity {
    let mut written: BTreeMap<&str, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<EntityKind, usize> = BTreeMap::new();
    for (_, form) in forms {
        for (text, count) in &form.written {
            *written.entry(text).or_default() += count;
        }
        for (kind, count) in &form.kinds {
            *kinds.entry(*kind).or_default() += count;
        }
    }
    let name = written
        .iter()
        .max_by(|a, b| {
            let words = |s: &str| s.split(' ').count().min(3);
            words(a.0)
                .cmp(&words(b.0))
                .then(a.1.cmp(b.1))
                .then(b.0.cmp(a.0))
        })
        .map_or_else(String::new, |(text, _)| (*text).to_string());
    let kind = dominant_kind(&Form {
        written: BTreeMap::new(),
        kinds,
    });
    ResolvedEntity { name, kind }
}

impl Resolution {
    /// The entity a folded form stands for in an article that also names `context`.
    fn entity_in(&self, key: &str, context: &[u32]) -> Option<u32> {
        let id = *self.by_form.get(key)?;
        if key.contains(' ') {
            return Some(id);
        }
        let Some(people) = self.surname_of_form.get(key) else {
            return Some(id);
        };
        let named: Vec<u32> = people
            .iter()
            .copied()
            .filter(|p| context.contains(p))
            .collect();
        Some(if let [only] = named.as_slice() {
            *only
        } else {
            id
        })
    }

    fn count(&self, mentions: &[Mention]) -> Vec<(u32, u32)> {
        let full: Vec<u32> = mentions
            .iter()
            .filter(|m| m.folded.contains(' '))
            .filter_map(|m| self.by_form.get(&m.folded).copied())
            .collect();
        let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
        for mention in mentions {
            if let Some(id) = self.entity_in(&mention.folded, &full) {
                *counts.entry(id).or_default() += mention.count;
            }
        }
        let mut list: Vec<(u32, u32)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list
    }

    /// The entity a name (a speaker, a topic rule) stands for, titles ignored.
    pub fn find(&self, name: &str, gazetteer: &Gazetteer) -> Option<u32> {
        let key = gazetteer.strip_titles(&fold_name(name));
        if let Some(id) = self.by_form.get(&key) {
            return Some(*id);
        }
        let by_skeleton = self
            .by_form
            .iter()
            .find(|(form, _)| skeleton(form) == skeleton(&key))
            .map(|(_, id)| *id);
        by_skeleton.or_else(|| match self.by_surname.get(&skeleton(&key))?.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_texts(texts: &[&str], aliases: &[(&str, &[&str])]) -> Resolution {
        let gazetteer = Gazetteer::default();
        let mentions: Vec<Vec<Mention>> = texts.iter().map(|t| gazetteer.mentions(t)).collect();
        let aliases = aliases
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect();
        resolve(mentions, &aliases, &gazetteer)
    }

    fn names_of(resolution: &Resolution, article: usize) -> Vec<&str> {
        resolution.per_article[article]
            .iter()
            .map(|(id, _)| resolution.entities[*id as usize].name.as_str())
            .collect()
    }

    #[test]
    fn spellings_and_surnames_merge_into_one_person() {
        let r = resolve_texts(
            &[
                "Ukrainian President Volodymyr Zelenskyy spoke. Later Zelenskyy left.",
                "He met Zelensky in Washington, where President Donald Trump waited.",
                "Trump said it was over.",
            ],
            &[],
        );
        assert_eq!(names_of(&r, 0), ["Volodymyr Zelenskyy"]);
        assert!(
            names_of(&r, 1).contains(&"Volodymyr Zelenskyy"),
            "{:?}",
            names_of(&r, 1)
        );
        assert_eq!(names_of(&r, 2), ["Donald Trump"]);
        let person = r.find("Zelensky", &Gazetteer::default()).unwrap();
        assert_eq!(r.entities[person as usize].kind, EntityKind::Person);
    }

    #[test]
    fn a_shared_surname_is_resolved_within_each_article() {
        let r = resolve_texts(
            &[
                "Actress Lindsay Lohan entered rehab. Lohan said she was fine.",
                "Her mother Dina Lohan spoke. Lohan said nothing else.",
            ],
            &[],
        );
        assert_eq!(names_of(&r, 0), ["Lindsay Lohan"]);
        assert_eq!(names_of(&r, 1), ["Dina Lohan"]);
    }

    #[test]
    fn aliases_from_the_config_merge_unrelated_spellings() {
        let r = resolve_texts(
            &["Strikes hit Kiev.", "Strikes hit Kyiv."],
            &[("Kyiv", &["Kiev"])],
        );
        assert_eq!(names_of(&r, 0), names_of(&r, 1));
        assert_eq!(names_of(&r, 0), ["Kyiv"]);
    }

    #[test]
    fn skeletons_ignore_doubled_letters_and_endings() {
        assert_eq!(skeleton("zelenskyy"), skeleton("zelensky"));
        assert_eq!(skeleton("zelenskiy"), skeleton("zelensky"));
        assert_ne!(skeleton("putin"), skeleton("trump"));
    }
}
