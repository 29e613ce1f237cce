//! Raw bytes to text: scraped files come in whatever encoding the tool that saved them used.
//!
//! A byte-order mark decides (UTF-8, UTF-16 LE/BE); without one, valid UTF-8 is taken as is,
//! UTF-8 with stray bytes of another encoding keeps its UTF-8 (each stray byte read as
//! Windows-1252), and anything else is read as Windows-1252, the superset of Latin-1 that real
//! "ANSI" files use.
//! Files that are not text at all are refused with a reason instead of being imported as noise.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Why a file was not read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// Zero bytes, or only whitespace.
    Empty,
    /// Control bytes that no text file has: an image, archive, executable...
    Binary,
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotText::Empty => write!(f, "the file is empty"),
            NotText::Binary => write!(
                f,
                "the file is binary, not text (save the article as a .txt file)"
            ),
        }
    }
}

/// The text of a file and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a raw article file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None if looks_binary(bytes) => return Err(NotText::Binary),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None if has_multibyte_utf8(bytes) => {
            return checked(Cow::Owned(decode_mixed(bytes)), MIXED);
        }
        None => (WINDOWS_1252, bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    checked(text, encoding.name())
}

/// The name of UTF-8 with stray Windows-1252 bytes, for messages.
const MIXED: &str = "UTF-8 with some Windows-1252";

fn checked(text: Cow<'_, str>, encoding: &'static str) -> Result<Decoded, NotText> {
    let text = strip_controls(text);
    if text.trim().is_empty() {
        return Err(NotText::Empty);
    }
    Ok(Decoded { text, encoding })
}

/// Whether the bytes hold UTF-8 beyond ASCII: then invalid bytes among them are strays (a file
/// edited by two tools), since Latin-1 text almost never forms valid UTF-8 sequences.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Keeps the valid UTF-8 and reads each invalid byte as Windows-1252.
fn decode_mixed(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.push_str(&WINDOWS_1252.decode_without_bom_handling(chunk.invalid()).0);
    }
    text
}

/// NUL bytes or a high share of control bytes in the first 8 KiB: text files have neither.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    head.contains(&0) || controls * 20 > head.len()
}

/// Drops control characters (keeping line breaks and tabs) so they never reach Markdown or TOML.
fn strip_controls(text: Cow<'_, str>) -> String {
    if !text.chars().any(is_unwanted_control) {
        return text.into_owned();
    }
    text.chars().filter(|&c| !is_unwanted_control(c)).collect()
}

fn is_unwanted_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("Kyiv ‘talks’".as_bytes()).unwrap().text,
            "Kyiv ‘talks’"
        );
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), "Kyiv".as_bytes()].concat();
        assert_eq!(decode(&with_bom).unwrap().text, "Kyiv");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Merz’s call".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, "Merz’s call");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Merz".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, "Merz");
    }

    #[test]
    fn windows_1252_and_latin1() {
        let decoded = decode(b"caf\xE9 \x93quoted\x94").unwrap();
        assert_eq!(decoded.text, "café “quoted”");
        assert_eq!(decoded.encoding, "windows-1252");
    }

    #[test]
    fn utf8_with_stray_latin1_bytes_keeps_its_utf8() {
        let decoded = decode(
            "Zürich “talks” "
                .as_bytes()
                .iter()
                .chain(b"caf\xE9")
                .copied()
                .collect::<Vec<u8>>()
                .as_slice(),
        )
        .unwrap();
        assert_eq!(decoded.text, "Zürich “talks” café");
        assert_eq!(decoded.encoding, MIXED);
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Err(NotText::Binary));
        assert_eq!(decode(b""), Err(NotText::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(NotText::Empty));
    }
}
