//! What the evaluation examples share: reading the corpus's gzipped pages.

use std::io::Read;
use std::path::Path;

/// The bytes of a gzipped file, or `None` when it cannot be read or decompressed.
pub fn gunzip(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).ok()?)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}
