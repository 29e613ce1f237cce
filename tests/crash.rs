//! Crash safety: a build killed at any moment leaves the previous site or the new one, whole.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use common::Site;

const ARTICLES: usize = 80;
const KILLS: usize = 50;

/// The output without the marker, whose fingerprint names the output folder.
fn site_files(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = common::snapshot(&site.output());
    files.retain(|path, _| !path.ends_with(".briefing-output"));
    files
}

fn write_version(site: &Site, version: &str) {
    for i in 0..ARTICLES {
        site.write(
            &format!("content/bulk/{i:04}.md"),
            &format!(
                "+++\ntitle = \"Story {i}\"\ndate = 2024-01-01\ntags = [\"t{}\"]\n+++\n{}\n",
                i % 7,
                format!("Version {version} of paragraph {i}. ").repeat(40)
            ),
        );
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let site = Site::example();
    write_version(&site, "A");
    site.build_ok(&[]);
    let a = site_files(&site);
    write_version(&site, "B");
    let started = Instant::now();
    site.build_ok(&[]);
    let full = started.elapsed();
    let b = site_files(&site);
    assert_ne!(a, b);

    // A fixed-seed generator, so a failure can be replayed.
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    let mut outcomes = [0usize; 2];
    for round in 0..KILLS {
        write_version(&site, if round % 2 == 0 { "A" } else { "B" });
        let delay = full.mul_f64((next() % 1000) as f64 / 800.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["build", "--root", ".", "--force"])
            .current_dir(site.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let now = site_files(&site);
        let which = if now == a {
            0
        } else if now == b {
            1
        } else {
            panic!("round {round}: killed after {delay:?}, the output is neither site whole");
        };
        outcomes[which] += 1;
    }
    // The next build still works and cleans up after the killed ones.
    site.build_ok(&["--force"]);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".output."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!(
        "outputs after kills: {} old-or-A, {} B",
        outcomes[0], outcomes[1]
    );
}
