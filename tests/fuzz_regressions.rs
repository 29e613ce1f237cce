//! Every input that once made a fuzz target fail, and a few hostile ones written by hand (deep
//! nesting, script links, wrong types), replayed through the same checks as the fuzz targets
//! (`fuzz/checks.rs`). A new crash found by `fuzz/run.sh` is copied into
//! `tests/fuzz_inputs/TARGET/` and stays here once fixed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

use briefing::content::markdown::Highlighter;

/// The saved inputs of one target, by file name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_inputs")
        .join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read(e.path()).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    inputs
}

/// The inputs of a target that takes text (the fuzzer only hands it valid UTF-8).
fn text_inputs(target: &str) -> Vec<(String, String)> {
    inputs(target)
        .into_iter()
        .filter_map(|(name, bytes)| String::from_utf8(bytes).ok().map(|text| (name, text)))
        .collect()
}

#[test]
fn text_import_inputs() {
    let highlighter = Highlighter::default();
    for (name, bytes) in inputs("text_import") {
        eprintln!("text_import/{name}");
        checks::text_import(&bytes, &highlighter);
    }
}

#[test]
fn html_import_inputs() {
    let highlighter = Highlighter::default();
    for (name, bytes) in inputs("html_import") {
        eprintln!("html_import/{name}");
        checks::html_import(&bytes, &highlighter);
    }
}

#[test]
fn front_matter_inputs() {
    for (name, text) in text_inputs("front_matter") {
        eprintln!("front_matter/{name}");
        checks::front_matter(&text);
    }
}

#[test]
fn markdown_inputs() {
    let highlighter = Highlighter::default();
    for (name, text) in text_inputs("markdown") {
        eprintln!("markdown/{name}");
        checks::markdown(&text, &highlighter);
    }
}
