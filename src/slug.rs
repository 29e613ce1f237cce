//! URL slugs: ASCII-folded, lowercase, hyphenated, safe as one path segment.

/// Longest slug kept; a longer title is cut at a word boundary.
const MAX_SLUG_LEN: usize = 80;

/// `‘Vladimir, STOP!’: Trump…` → `vladimir-stop-trump…`. Never contains `/`, `.` or `..`.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') && c != '\'' {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG_LEN {
        let cut = slug[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        slug.truncate(cut);
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_quotes_and_punctuation() {
        assert_eq!(
            slugify("‘Vladimir, STOP!’: Trump, Putin Split"),
            "vladimir-stop-trump-putin-split"
        );
        assert_eq!(slugify("Zelenskyy’s plan — Kyiv"), "zelenskyys-plan-kyiv");
        assert_eq!(slugify("Ukraine talks"), "ukraine-talks");
    }

    #[test]
    fn never_makes_a_path() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..."), "");
        assert!(slugify(&"word ".repeat(100)).len() <= MAX_SLUG_LEN);
    }
}
