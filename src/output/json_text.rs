//! JSON strings written eight bytes at a time, for the search index's texts.
//!
//! The excerpt texts are most of the search index's bytes (some 40 MB at 10,000 articles), and
//! serde_json's escaping looks at every byte on its own: 2.7 % of a 10,000-article build. Here a
//! run of eight bytes with no quote, backslash or control character, as nearly all of a text
//! is, is passed over in one step. The bytes written are serde_json's, which the tests check.

/// Appends `text` to `json` as a JSON string, quotes included.
pub fn push_string(json: &mut Vec<u8>, text: &str) {
    json.push(b'"');
    push_string_contents(json, text);
    json.push(b'"');
}

/// Appends `text` to `json` escaped as the inside of a JSON string (no quotes around it), so
/// that several pieces can make one string.
pub fn push_string_contents(json: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let word = bytes
            .get(i..i + 8)
            .and_then(|eight| <[u8; 8]>::try_from(eight).ok());
        if word.is_some_and(|word| !may_need_escape(u64::from_le_bytes(word))) {
            i += 8;
            continue;
        }
        let byte = bytes[i];
        if needs_escape(byte) {
            json.extend_from_slice(&bytes[start..i]);
            push_escape(json, byte);
            start = i + 1;
        }
        i += 1;
    }
    json.extend_from_slice(&bytes[start..]);
}

const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGH_BITS: u64 = ONES << 7;

/// Whether any of the eight bytes of `word` is below `limit` (at most 128). Exact: the
/// borrow of a subtraction can only spread from a byte that is below it.
fn has_byte_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGH_BITS != 0
}

/// Whether any of the eight bytes of `word` is one that JSON escapes.
fn may_need_escape(word: u64) -> bool {
    has_byte_below(word, 0x20)
        || has_byte_below(word ^ (ONES * u64::from(b'"')), 1)
        || has_byte_below(word ^ (ONES * u64::from(b'\\')), 1)
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The escape of one byte, as serde_json writes it: the short forms where JSON has one,
/// `\u00XX` (lower-case hex) for the other control characters.
fn push_escape(json: &mut Vec<u8>, byte: u8) {
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x08 => b'b',
        0x0c => b'f',
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let (high, low) = (HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]);
            json.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            return;
        }
    };
    json.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::pseudo_random_texts;

    fn written(text: &str) -> String {
        let mut json = Vec::new();
        push_string(&mut json, text);
        String::from_utf8(json).unwrap()
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let alphabet: Vec<char> = "ab \"\\\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é“’😀/<"
            .chars()
            .collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 40] {
            for text in pseudo_random_texts(&alphabet, 200, len) {
                assert_eq!(
                    written(&text),
                    serde_json::to_string(&text).unwrap(),
                    "{text:?}"
                );
            }
        }
        // Long plain runs, with one character to escape at every place of a word.
        for at in 0..24 {
            let mut text = "x".repeat(24);
            text.replace_range(at..=at, "\"");
            assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn the_word_test_finds_every_byte_to_escape_and_nothing_else() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                let mut word = [b'a'; 8];
                word[place] = byte;
                assert_eq!(
                    may_need_escape(u64::from_le_bytes(word)),
                    needs_escape(byte),
                    "byte {byte:#x} at {place}"
                );
            }
        }
    }
}
