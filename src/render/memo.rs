//! A memo of rendered pages, so that `serve` re-renders only the pages whose context changed.
//!
//! A page's output is a function of its template set and its context, so the memo is keyed by
//! a hash of both: a page whose context serialises to the same bytes with the same templates is
//! taken from the memo, and the result stays byte-identical to a clean build by construction.
//! Entries not used by a build are dropped after it, so the memo holds one site's pages.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// Identifies a page: template set, template name and context, as a 128-bit hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey(u128);

impl PageKey {
    /// The key of rendering `name` of the template set `templates` with `context` and a
    /// value shared by pages (the site's digest, 0 for none); `None`
    /// when the context cannot be serialised compactly (the page is then rendered every time).
    pub fn new<C: Serialize>(
        templates: u64,
        name: &str,
        shared: u128,
        context: &C,
    ) -> Option<PageKey> {
        let mut writer = HashingWriter(Xxh3::new());
        writer.0.update(&templates.to_le_bytes());
        writer.0.update(&shared.to_le_bytes());
        writer.0.update(name.as_bytes());
        writer.0.update(&[0]);
        // postcard writes strings as they are, with their length: much faster than JSON.
        postcard::to_io(context, &mut writer).ok()?;
        Some(PageKey(writer.0.digest128()))
    }
}

struct HashingWriter(Xxh3);

impl Write for HashingWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Rendered pages of the last build and of the build in progress.
#[derive(Debug, Default)]
pub struct PageMemo {
    previous: Mutex<HashMap<PageKey, String>>,
    current: Mutex<HashMap<PageKey, String>>,
}

impl PageMemo {
    /// The page rendered for `key` by this build or the last one.
    pub fn get(&self, key: PageKey) -> Option<String> {
        if let Some(page) = self.current.lock().ok()?.get(&key) {
            return Some(page.clone());
        }
        let page = self.previous.lock().ok()?.remove(&key)?;
        self.put(key, page.clone());
        Some(page)
    }

    /// Keeps a page rendered by this build.
    pub fn put(&self, key: PageKey, page: String) {
        if let Ok(mut current) = self.current.lock() {
            current.insert(key, page);
        }
    }

    /// Ends a build: pages it did not use are forgotten.
    pub fn finish_build(&self) {
        let (Ok(mut previous), Ok(mut current)) = (self.previous.lock(), self.current.lock())
        else {
            return;
        };
        *previous = std::mem::take(&mut *current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_change_with_the_templates_the_name_and_the_context() {
        let key = PageKey::new(1, "article.html", 7, &("a", 1)).unwrap();
        assert_eq!(Some(key), PageKey::new(1, "article.html", 7, &("a", 1)));
        assert_ne!(Some(key), PageKey::new(2, "article.html", 7, &("a", 1)));
        assert_ne!(Some(key), PageKey::new(1, "topic.html", 7, &("a", 1)));
        assert_ne!(Some(key), PageKey::new(1, "article.html", 8, &("a", 1)));
        assert_ne!(Some(key), PageKey::new(1, "article.html", 7, &("a", 2)));
    }

    #[test]
    fn pages_unused_by_a_build_are_forgotten_after_it() {
        let memo = PageMemo::default();
        let (a, b) = (PageKey(1), PageKey(2));
        memo.put(a, "A".into());
        memo.put(b, "B".into());
        memo.finish_build();
        assert_eq!(memo.get(a).as_deref(), Some("A"));
        memo.finish_build();
        assert_eq!(memo.get(a).as_deref(), Some("A"));
        assert_eq!(memo.get(b), None);
    }
}
