//! Any bytes given to the saved HTML page import become an article or a reason why not, never a panic.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use briefing::content::markdown::Highlighter;
use libfuzzer_sys::fuzz_target;

/// One highlighter for the whole run: loading syntect's syntaxes per input would dwarf the work.
static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();

fuzz_target!(|bytes: &[u8]| {
    checks::html_import(bytes, HIGHLIGHTER.get_or_init(Default::default));
});
