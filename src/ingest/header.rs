//! The lines around a headline: the headline itself, the outlet, the byline, the date and the
//! reading time, in whatever order and shape a site prints them.

use super::text::{Line, ends_sentence};

/// A headline split from the site name a page title often carries ("… | The Guardian").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    pub title: String,
    pub outlet: Option<String>,
}

/// Separators sites put between a headline and their name.
const SITE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · "];

/// Most words a site name (with its section names) has.
const MAX_SITE_WORDS: usize = 6;

/// Splits trailing site and section names off a page title: everything after the first
/// separator, when that is short, is the site; its last part names the outlet.
pub fn split_site_name(line: &str) -> Headline {
    let cut = line
        .match_indices(SITE_SEPARATORS_ANY)
        .filter_map(|(at, _)| separator_at(line, at))
        .find(|&(at, len)| {
            let rest = &line[at + len..];
            let words = rest
                .split(' ')
                .filter(|w| w.chars().any(char::is_alphanumeric));
            words.count() <= MAX_SITE_WORDS && line[..at].trim().split(' ').count() >= 2
        });
    match cut {
        Some((at, len)) => {
            let site = line[at + len..].rsplit(" | ").next().unwrap_or("").trim();
            Headline {
                title: line[..at].trim().to_string(),
                outlet: (!site.is_empty()).then(|| site.to_string()),
            }
        }
        None => Headline {
            title: line.trim().to_string(),
            outlet: None,
        },
    }
}

/// A space, where a separator may start.
const SITE_SEPARATORS_ANY: char = ' ';

/// The separator starting at a space, as (offset, length).
fn separator_at(line: &str, at: usize) -> Option<(usize, usize)> {
    SITE_SEPARATORS
        .iter()
        .find(|sep| line[at..].starts_with(*sep))
        .map(|sep| (at, sep.len()))
}

/// A masthead: one or two words, no sentence, such as "T4K3.news" above a headline.
pub fn is_masthead(line: &Line) -> bool {
    line.words <= 2 && !ends_sentence(&line.text) && line.text.chars().count() <= 40
}

/// The author of a byline line, when the line is one: "By Jane Doe", "by Jane Doe, Reporter",
/// "By admin - 2018-09-16". A bare "By" is handled by the caller, which looks next to it.
pub fn byline(text: &str) -> Option<String> {
    let rest = strip_prefix_ignore_case(text, "by ")?;
    let name = rest
        .split([',', '|', '•'])
        .next()
        .unwrap_or(rest)
        .split(" - ")
        .next()
        .unwrap_or(rest)
        .trim();
    let name = name_words(name);
    let words = name.split(' ').count();
    let named = name.chars().next().is_some_and(char::is_uppercase);
    (words <= 6 && named && !ends_sentence(&name)).then_some(name)
}

/// The words of a name, up to where a timestamp starts ("Umair Irfan Updated Nov 13"), with a
/// name printed twice ("Sean Martin Sean Martin") kept once.
fn name_words(text: &str) -> String {
    let words: Vec<&str> = text
        .split(' ')
        .take_while(|w| !is_timestamp_word(w))
        .collect();
    let half = words.len() / 2;
    if half > 0 && words.len().is_multiple_of(2) && words[..half] == words[half..] {
        return words[..half].join(" ");
    }
    words.join(" ")
}

/// A word that starts the date part of a byline: a number, a month, "Updated"…
fn is_timestamp_word(word: &str) -> bool {
    let lower = word.trim_end_matches(['.', ',']).to_lowercase();
    word.chars().any(|c| c.is_ascii_digit())
        || is_month_name(&lower)
        || matches!(
            lower.as_str(),
            "updated" | "published" | "posted" | "on" | "at"
        )
}

/// A full or three-letter month name (so "Marc" or "Augustin" are not months).
fn is_month_name(lower: &str) -> bool {
    const NAMES: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "sept",
    ];
    NAMES.contains(&lower) || (lower.len() == 3 && month_of(lower).is_some())
}

/// A name-like line next to a bare "By": a few words, no digits, no sentence punctuation.
pub fn is_name(line: &Line) -> bool {
    (1..=4).contains(&line.words)
        && !line.text.chars().any(|c| c.is_ascii_digit())
        && !ends_sentence(&line.text)
        && line.text.chars().next().is_some_and(char::is_uppercase)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// "3 Min Read", "5 minute read", "Reading time: 4 minutes".
pub fn reading_minutes(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    if text.split(' ').count() > 5 || !(lower.contains("read") && lower.contains("min")) {
        return None;
    }
    lower
        .split(|c: char| !c.is_ascii_digit())
        .find(|n| !n.is_empty())
        .and_then(|n| n.parse().ok())
        .filter(|&n| (1..=600).contains(&n))
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The first calendar date in a short line, as `YYYY-MM-DD`: "August 18, 2025",
/// "18 Aug 2025 10:31 GMT", "2025-08-18", "Nov. 18, 2019", "18.11.2019".
pub fn date(text: &str) -> Option<String> {
    if text.split(' ').count() > 14 {
        return None;
    }
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    tokens
        .windows(3)
        .find_map(|w| numeric_date(w).or_else(|| named_month_date(w)))
}

fn format_date(year: u32, month: u32, day: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(year as i32, month, day)
        .filter(|_| (1900..=2100).contains(&year))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn number(token: &str) -> Option<u32> {
    (token.len() <= 4 && token.chars().all(|c| c.is_ascii_digit()))
        .then(|| token.parse().ok())
        .flatten()
}

fn month_of(token: &str) -> Option<u32> {
    let lower = token.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// `2025 08 18`, `18 11 2019` (day first, as most of the world writes it) or `11 14 2019`.
fn numeric_date(w: &[&str]) -> Option<String> {
    let (a, b, c) = (number(w[0])?, number(w[1])?, number(w[2])?);
    if w[0].len() == 4 {
        return format_date(a, b, c);
    }
    if w[2].len() != 4 {
        return None;
    }
    format_date(c, b, a).or_else(|| format_date(c, a, b))
}

/// `August 18 2025`, `18 Aug 2025` or `December 15th 2008`.
fn named_month_date(w: &[&str]) -> Option<String> {
    let year = number(w[2]).filter(|_| w[2].len() == 4)?;
    match (month_of(w[0]), month_of(w[1])) {
        (Some(month), _) => format_date(year, month, day_number(w[1])?),
        (None, Some(month)) => format_date(year, month, day_number(w[0])?),
        _ => None,
    }
}

/// A day of the month, written `15` or `15th`.
fn day_number(token: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| token.strip_suffix(suffix))
        .unwrap_or(token);
    number(digits).filter(|_| digits.len() <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_split_off_titles() {
        let h = split_site_name("The Future of Banking Is … You're Broke | WIRED");
        assert_eq!(h.title, "The Future of Banking Is … You're Broke");
        assert_eq!(h.outlet.as_deref(), Some("WIRED"));
        let h = split_site_name("Royal Self-Indicting Arrogance - Sputnik International");
        assert_eq!(h.outlet.as_deref(), Some("Sputnik International"));
        let h = split_site_name("Hong Kong chaos: troops deployed | World | News");
        assert_eq!(h.title, "Hong Kong chaos: troops deployed");
        assert_eq!(h.outlet.as_deref(), Some("News"));
        let h = split_site_name("Trump - Putin talks resume - CNN");
        assert_eq!(h.title, "Trump - Putin talks resume");
        let plain = split_site_name("‘Vladimir, STOP!’: Trump, Putin Split as Russia Pounds Kyiv");
        assert_eq!(plain.outlet, None);
    }

    #[test]
    fn bylines_in_several_shapes() {
        for (line, author) in [
            ("By Jane Doe", Some("Jane Doe")),
            ("By Eric Song, IGN Staff", Some("Eric Song")),
            ("by Finian Cunningham", Some("Finian Cunningham")),
            ("By Admin - 2018-09-16", Some("Admin")),
            ("By Umair Irfan Updated Nov 13, 2019", Some("Umair Irfan")),
            ("By Sean Martin Sean Martin", Some("Sean Martin")),
            ("By Marc Augustin", Some("Marc Augustin")),
            ("By subject", None),
            ("By the end of the week, talks had stalled.", None),
            ("Bystanders", None),
        ] {
            assert_eq!(byline(line).as_deref(), author, "{line}");
        }
    }

    #[test]
    fn reading_time() {
        assert_eq!(reading_minutes("3 Min Read"), Some(3));
        assert_eq!(reading_minutes("Reading time: 4 minutes"), Some(4));
        assert_eq!(reading_minutes("Read more"), None);
    }

    #[test]
    fn dates_in_many_shapes() {
        for (text, expected) in [
            ("August 18, 2025", "2025-08-18"),
            ("18 Aug 2025 10:31 GMT", "2025-08-18"),
            ("Updated 2025-08-18", "2025-08-18"),
            ("Reuters November 18, 2019 11:03 PM", "2019-11-18"),
            ("21:17 18.11.2019 Get short URL", "2019-11-18"),
            ("11.14.2019 09:00 AM", "2019-11-14"),
            ("19 NOV 2019", "2019-11-19"),
            ("December 15th, 2008, 7:35 am", "2008-12-15"),
            ("22nd December 2008", "2008-12-22"),
        ] {
            assert_eq!(date(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(date("Last updated at 12:41 GMT"), None);
        assert_eq!(date("We met 3 times in 2020"), None);
    }
}
