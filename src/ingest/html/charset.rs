//! The character encoding of a saved page, decided the way browsers do: a byte-order mark, then
//! the page's own `<meta charset>` or `http-equiv` declaration, then detection.
//!
//! Pages saved from a browser are mostly UTF-8, but old and regional sites still serve
//! Windows-1252, Shift_JIS, GBK, KOI8-R...; reading those as UTF-8 would garble every accent.
//! Detection (`chardetng`, Firefox's detector) only runs when the page declares nothing and is
//! not valid UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// How far into the page a `<meta charset>` is looked for. Browsers stop at 1024 bytes; saved
/// pages often carry a long `<head>` of inline styles before it, so look further.
const PRESCAN_BYTES: usize = 16 * 1024;

/// The page's text (borrowed when the bytes are already UTF-8) and the encoding it was read in.
pub fn decode_page(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding) {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => (declared(bytes).unwrap_or_else(|| detect(bytes)), bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    (text, encoding)
}

/// Whether the bytes start without a byte-order mark (NUL bytes then mean binary, not UTF-16).
pub fn has_no_bom(bytes: &[u8]) -> bool {
    Encoding::for_bom(bytes).is_none()
}

/// The encoding a `<meta>` tag near the top declares.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'<', &head[from..]) {
        let start = from + at;
        from = start + 1;
        let is_meta = head
            .get(start + 1..start + 5)
            .is_some_and(|name| name.eq_ignore_ascii_case(b"meta"));
        if !is_meta {
            continue;
        }
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        if let Some(encoding) = charset_in_tag(&head[start..end].to_ascii_lowercase()) {
            // A page cannot declare UTF-16 in ASCII bytes: browsers read such pages as UTF-8.
            return Some(encoding.output_encoding());
        }
        from = end;
    }
    None
}

/// `charset=LABEL` inside one `<meta ...>` tag (both `<meta charset>` and the `content`
/// of an `http-equiv="content-type"` have this shape).
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")?;
    let rest = &tag[at + b"charset".len()..];
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

/// Firefox's guess from the bytes; valid UTF-8 is taken as UTF-8.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let page = [
            b"\xEF\xBB\xBF".as_slice(),
            "<meta charset=windows-1252>é".as_bytes(),
        ]
        .concat();
        let (text, encoding) = decode_page(&page);
        assert_eq!(encoding, UTF_8);
        assert!(text.ends_with('é'));
    }

    #[test]
    fn meta_charset_and_http_equiv_are_read() {
        let (text, encoding) = decode_page(b"<meta charset=\"windows-1252\"><p>caf\xE9</p>");
        assert_eq!(encoding.name(), "windows-1252");
        assert!(text.contains("café"));
        let page = b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\"><p>\x93\xfa\x96\x7b</p>";
        let (text, encoding) = decode_page(page);
        assert_eq!(encoding.name(), "Shift_JIS");
        assert!(text.contains("日本"), "{text}");
    }

    #[test]
    fn undeclared_pages_are_detected() {
        assert_eq!(decode_page("<p>naïve</p>".as_bytes()).1, UTF_8);
        let latin = b"<p>Les \xE9l\xE8ves ont particip\xE9 \xE0 la f\xEAte de l'\xE9cole, o\xF9 ils ont d\xE9couvert la r\xE9gion.</p>";
        let (text, _) = decode_page(latin);
        assert!(text.contains("élèves"), "{text}");
    }

    #[test]
    fn a_utf16_label_in_ascii_is_read_as_utf8() {
        let (_, encoding) = decode_page("<meta charset=utf-16><p>é</p>".as_bytes());
        assert_eq!(encoding, UTF_8);
    }
}
