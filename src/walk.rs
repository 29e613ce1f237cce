//! Walking a folder in a fixed order, cheaply.
//!
//! Builds must not depend on the order the file system lists a folder in, so every walk sorts
//! each folder's entries by name. walkdir's `sort_by_file_name` works out both names from
//! their paths on every comparison, which cost 1.5 % of a 10,000-article build (three walks of
//! a 10,000-file content folder); siblings' paths differ only in their last part, so comparing
//! the whole paths' bytes gives the same order for the price of a `memcmp`.

use std::cmp::Ordering;

use walkdir::{DirEntry, WalkDir};

/// A walk of `dir` visiting each folder's entries in the byte order of their names, as
/// `WalkDir::sort_by_file_name` does.
pub fn sorted(dir: impl AsRef<std::path::Path>) -> WalkDir {
    WalkDir::new(dir).sort_by(by_name)
}

/// The order of two entries of one folder by name: their paths share everything before it.
fn by_name(a: &DirEntry, b: &DirEntry) -> Ordering {
    a.path().as_os_str().cmp(b.path().as_os_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_entries_in_the_order_of_sort_by_file_name() {
        let dir = std::env::temp_dir().join(format!("briefing-walk-{}", std::process::id()));
        for path in [
            "b/z.md", "b/a.md", "a-b/x.md", "a/y.md", "a.md", "B.md", "é.md",
        ] {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, "").unwrap();
        }
        let ours: Vec<_> = sorted(&dir)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        let theirs: Vec<_> = WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(ours.len(), 11);
        assert_eq!(ours, theirs);
    }
}
