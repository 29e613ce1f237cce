//! Imports every saved page of `../shared/corpus/scraped-pages/html` (or the folder given)
//! once, with no clock: a fixed workload for `valgrind --tool=callgrind`, whose instruction
//! counts are steady where CPU time on a shared machine is not (the eval example's CPU clock
//! goes through the vDSO, which valgrind cannot run). Prints how many pages gave an article.
//!
//! `valgrind --tool=callgrind --toggle-collect='briefing::ingest::html::extract_html*'
//! target/release/examples/profile_html` counts the import alone, not the decompression.

mod common;

use common::gunzip;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use briefing::ingest::html::extract_html;

fn main() -> ExitCode {
    let dir = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/scraped-pages/html"),
        PathBuf::from,
    );
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("cannot list {}", dir.display());
        return ExitCode::from(2);
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    let pages: Vec<Vec<u8>> = files.iter().filter_map(|p| gunzip(p)).collect();
    let found = pages.iter().filter(|p| extract_html(p).is_ok()).count();
    println!("{found} of {} pages gave an article", pages.len());
    ExitCode::SUCCESS
}

/// The allocator of the `briefing` binary, so the counts are those of a real import.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
