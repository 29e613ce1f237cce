//! Any text as a Markdown file's front matter is parsed or reported with a line, never a panic.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::front_matter(text));
