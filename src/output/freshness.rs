//! Knowing when the output is already up to date, as `make` does.
//!
//! A build fingerprints everything that decides its output: the briefing version, the options,
//! `site.toml`, and the path, size and modification time of every file under `content/`,
//! `templates/`, `static/` and the theme. The fingerprint is kept in the output's marker file;
//! a build whose fingerprint matches has nothing to do and touches nothing.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::walk::Listing;

/// The line of the marker file that holds the fingerprint.
const PREFIX: &str = "fingerprint: ";

/// A digest of every input of a build; equal fingerprints give byte-identical output.
/// `content` is the content folder's listing, which the build reads its articles from too.
pub fn fingerprint(config: &SiteConfig, options: &impl Hash, content: &Listing) -> String {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    executable_stamp().hash(&mut hasher);
    options.hash(&mut hasher);
    config.output_dir.hash(&mut hasher);
    std::fs::read(config.root.join(crate::config::CONFIG_FILE))
        .unwrap_or_default()
        .hash(&mut hasher);
    hash_listing(content, &mut hasher);
    for dir in [
        config.root.join("templates"),
        config.root.join("static"),
        config.theme_dir(),
    ] {
        hash_listing(&Listing::of(&dir), &mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// A rebuilt binary may render differently: its own size and time are inputs too.
fn executable_stamp() -> Option<(u64, u128)> {
    let metadata = std::env::current_exe().ok()?.metadata().ok()?;
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((metadata.len(), modified.as_nanos()))
}

fn hash_listing(listing: &Listing, hasher: &mut DefaultHasher) {
    listing.dir.hash(hasher);
    let entries = &listing.entries;
    // The entries' metadata, a system call each (10,000 for as many articles, the whole of a
    // no-op build), is read in parallel and hashed in walk order.
    let stamps: Vec<Option<(u64, Option<u128>)>> = entries
        .par_iter()
        .map(|entry| {
            let metadata = entry.as_ref().ok()?.metadata().ok()?;
            let modified = metadata
                .modified()
                .ok()
                .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos());
            Some((metadata.len(), modified))
        })
        .collect();
    for (entry, stamp) in entries.iter().zip(stamps) {
        let Ok(entry) = entry else {
            // An unreadable entry makes the build report it: never call such a tree fresh.
            "unreadable".hash(hasher);
            std::time::SystemTime::now().hash(hasher);
            continue;
        };
        entry.path().hash(hasher);
        if let Some((len, modified)) = stamp {
            len.hash(hasher);
            modified.hash(hasher);
        }
    }
}

/// The marker text recording a fingerprint.
pub fn marker_text(fingerprint: &str) -> String {
    format!(
        "This folder is written by `briefing build`; its contents are replaced on every build.\n{PREFIX}{fingerprint}\n"
    )
}

/// Whether the output folder was built from exactly these inputs.
pub fn is_fresh(output: &Path, fingerprint: &str) -> bool {
    std::fs::read_to_string(output.join(super::writer::MARKER))
        .ok()
        .is_some_and(|text| {
            text.lines()
                .any(|line| line.strip_prefix(PREFIX) == Some(fingerprint))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    /// The fingerprint of the site as it is now on disk.
    fn fingerprint_now(config: &SiteConfig, options: &impl Hash) -> String {
        fingerprint(config, options, &Listing::of(&config.content_dir()))
    }

    fn site() -> (tempfile::TempDir, SiteConfig) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\nbase_url = \"https://x.org/\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "one").unwrap();
        let config = crate::config::load(dir.path(), &Overrides::default()).unwrap();
        (dir, config)
    }

    #[test]
    fn any_content_change_or_option_changes_the_fingerprint() {
        let (dir, config) = site();
        let first = fingerprint_now(&config, &false);
        assert_eq!(first, fingerprint_now(&config, &false));
        assert_ne!(first, fingerprint_now(&config, &true));
        std::fs::write(dir.path().join("content/a.md"), "one, edited").unwrap();
        assert_ne!(first, fingerprint_now(&config, &false));
        let second = fingerprint_now(&config, &false);
        std::fs::write(dir.path().join("content/b.md"), "new").unwrap();
        assert_ne!(second, fingerprint_now(&config, &false));
    }

    #[test]
    fn a_missing_optional_folder_does_not_stop_freshness() {
        let (_dir, config) = site();
        assert!(!config.root.join("templates").exists());
        assert_eq!(fingerprint_now(&config, &0), fingerprint_now(&config, &0));
    }

    #[test]
    fn the_marker_records_the_fingerprint() {
        let (dir, _) = site();
        let out = dir.path().join("output");
        std::fs::create_dir_all(&out).unwrap();
        assert!(!is_fresh(&out, "abc"));
        std::fs::write(out.join(super::super::writer::MARKER), marker_text("abc")).unwrap();
        assert!(is_fresh(&out, "abc"));
        assert!(!is_fresh(&out, "abd"));
    }
}
