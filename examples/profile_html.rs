//! Imports every saved page of `../shared/corpus/scraped-pages/html` (or the folder given)
//! once, with no clock: a fixed workload for `valgrind --tool=callgrind`, whose instruction
//! counts are steady where CPU time on a shared machine is not (the eval example's CPU clock
//! goes through the vDSO, which valgrind cannot run). Prints how many pages gave an article.
//!
//! `valgrind --tool=callgrind --toggle-collect='briefing::ingest::html::extract_html*'
//! target/release/examples/profile_html` counts the import alone, not the decompression.
//!
//! `PROFILE_DUMP=<folder>` also writes each page's whole result (`Extracted` or the error) to
//! `<folder>/<page>.txt`, to check that a change for speed changes no page (`diff -r`).

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
    files.retain(|p| p.extension().is_some_and(|e| e == "gz"));
    let (files, pages): (Vec<PathBuf>, Vec<Vec<u8>>) = files
        .into_iter()
        .filter_map(|p| gunzip(&p).map(|bytes| (p, bytes)))
        .unzip();
    let results: Vec<_> = pages.iter().map(|p| extract_html(p)).collect();
    let found = results.iter().filter(|r| r.is_ok()).count();
    println!("{found} of {} pages gave an article", pages.len());
    if let Some(out) = std::env::var_os("PROFILE_DUMP") {
        return dump(Path::new(&out), &files, &results);
    }
    ExitCode::SUCCESS
}

/// Writes each page's result, named after its file, for `diff -r` before and after a change.
fn dump<T: std::fmt::Debug>(out: &Path, files: &[PathBuf], results: &[T]) -> ExitCode {
    let written = std::fs::create_dir_all(out).and_then(|()| {
        files.iter().zip(results).try_for_each(|(file, result)| {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            std::fs::write(out.join(format!("{name}.txt")), format!("{result:#?}\n"))
        })
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write to {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

/// The allocator of the `briefing` binary, so the counts are those of a real import.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
