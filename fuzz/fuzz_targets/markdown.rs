//! Any Markdown body renders to sanitised HTML, never a panic or a stack overflow.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use briefing::content::markdown::Highlighter;
use libfuzzer_sys::fuzz_target;

/// One highlighter for the whole run: loading syntect's syntaxes per input would dwarf the work.
static HIGHLIGHTER: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();

fuzz_target!(|text: &str| {
    checks::markdown(text, HIGHLIGHTER.get_or_init(Default::default));
});
