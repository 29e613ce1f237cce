//! Times `briefing import`'s extraction on a 50 MB raw text (the seed article repeated with menus
//! between, then one 8 MB line without a break), to check a huge file neither hangs nor blows
//! memory. Run with `cargo run --release --example import_large`; measure memory with
//! `/usr/bin/time -v`.

use std::time::Instant;

use briefing::ingest::files::extract_bytes;

const TARGET_BYTES: usize = 50 * 1024 * 1024;

fn main() {
    let seed = include_str!("../tests/fixtures/seeds/004.txt");
    let mut text = String::with_capacity(TARGET_BYTES + seed.len());
    let mut n = 0;
    while text.len() < TARGET_BYTES - 8 * 1024 * 1024 {
        text.push_str(seed);
        text.push_str(&format!("\nHome\nWorld\nSign In\nStory {n}\n"));
        n += 1;
    }
    while text.len() < TARGET_BYTES {
        text.push_str("word and the of ");
    }
    let started = Instant::now();
    match extract_bytes(text.as_bytes()) {
        Ok(article) => println!(
            "{} MB: title {:?}, {} body blocks, {} removed lines, in {:.2} s",
            text.len() / (1024 * 1024),
            article.title,
            article.body.len(),
            article.removed.len(),
            started.elapsed().as_secs_f64()
        ),
        Err(reason) => println!(
            "no article ({reason}) in {:.2} s",
            started.elapsed().as_secs_f64()
        ),
    }
}
