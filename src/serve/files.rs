//! The files of the served site: the last whole build, with the pages of a fast pass over it.
//!
//! A fast pass re-renders a few dozen pages of a site of tens of thousands of files; copying the
//! whole map for each edit would cost more than the rendering, so the re-rendered pages are laid
//! over the shared map of the last whole build instead.

use std::collections::HashMap;
use std::sync::Arc;

/// Files by path under the output folder (`articles/x/index.html`).
pub type FileMap = HashMap<String, Vec<u8>>;

/// The site's files: `base`, with the files of `over` in place of (or beside) its own.
#[derive(Debug, Default, Clone)]
pub struct SiteFiles {
    base: Arc<FileMap>,
    over: Arc<FileMap>,
}

impl SiteFiles {
    /// The files of a whole build.
    pub fn whole(files: FileMap) -> Self {
        SiteFiles {
            base: Arc::new(files),
            over: Arc::default(),
        }
    }

    /// `base` with `over` laid on it.
    pub fn layered(base: Arc<FileMap>, over: FileMap) -> Self {
        SiteFiles {
            base,
            over: Arc::new(over),
        }
    }

    /// The map of the whole build under the laid-over files.
    pub fn base(&self) -> &Arc<FileMap> {
        &self.base
    }

    pub fn get(&self, path: &str) -> Option<&Vec<u8>> {
        self.over.get(path).or_else(|| self.base.get(path))
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.base.len()
            + self
                .over
                .keys()
                .filter(|p| !self.base.contains_key(*p))
                .count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every file once, laid-over ones first.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        let base = self
            .base
            .iter()
            .filter(|(path, _)| !self.over.contains_key(*path));
        self.over.iter().chain(base)
    }
}

impl SiteFiles {
    /// The paths whose bytes differ between `self` and `other` (or that only one has). When both
    /// lie over the same whole build, only their laid-over files are compared.
    pub fn differing_paths<'a>(&'a self, other: &'a SiteFiles) -> Vec<&'a str> {
        let candidates: Box<dyn Iterator<Item = &String>> = if Arc::ptr_eq(&self.base, &other.base)
        {
            Box::new(self.over.keys().chain(other.over.keys()))
        } else {
            Box::new(self.iter().chain(other.iter()).map(|(path, _)| path))
        };
        let mut paths: Vec<&str> = candidates
            .filter(|path| self.get(path) != other.get(path))
            .map(String::as_str)
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }
}

impl From<FileMap> for SiteFiles {
    fn from(files: FileMap) -> Self {
        SiteFiles::whole(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(files: &[(&str, &str)]) -> FileMap {
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn laid_over_files_win_and_each_path_counts_once() {
        let base = Arc::new(map(&[("a", "old a"), ("b", "b")]));
        let files = SiteFiles::layered(base, map(&[("a", "new a"), ("c", "c")]));
        assert_eq!(files.get("a").map(Vec::as_slice), Some(&b"new a"[..]));
        assert_eq!(files.get("b").map(Vec::as_slice), Some(&b"b"[..]));
        assert!(files.contains_key("c") && !files.contains_key("d"));
        assert_eq!(files.len(), 3);
        let mut seen: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        seen.sort();
        assert_eq!(seen, [("a", &b"new a"[..]), ("b", b"b"), ("c", b"c")]);
    }

    #[test]
    fn differing_paths_are_found_over_the_same_base_and_over_different_ones() {
        let base = Arc::new(map(&[("a", "a"), ("b", "b")]));
        let first = SiteFiles::layered(base.clone(), map(&[("a", "a2")]));
        let second = SiteFiles::layered(base.clone(), map(&[("a", "a2"), ("c", "c")]));
        assert_eq!(first.differing_paths(&second), ["c"]);
        assert_eq!(first.differing_paths(&first), Vec::<&str>::new());
        let whole = SiteFiles::whole(map(&[("a", "a2"), ("b", "b3")]));
        assert_eq!(second.differing_paths(&whole), ["b", "c"]);
    }
}
