//! Watching the site's sources: `content/`, `templates/`, `themes/`, `static/` and `site.toml`.
//!
//! notify's debouncer turns an editor's save (often a temporary file, a rename and a delete)
//! into one batch of paths; the batch tells the rebuilder which parsed articles to forget.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, notify,
};

use crate::config::CONFIG_FILE;

/// The folders of a site that hold its sources.
pub const WATCHED_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// How long the watcher waits for a burst of file events to end before reporting it.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// A running watcher; dropping it stops watching.
pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches the sources under `root`, handing each batch of changed source paths to `changed`.
pub fn watch(
    root: &Path,
    changed: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watcher> {
    let root_for_filter = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let paths: Vec<PathBuf> = match result {
            Ok(events) => events
                .into_iter()
                .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                .flat_map(|event| event.event.paths)
                .filter(|path| is_source(&root_for_filter, path))
                .collect(),
            // Events were lost: everything under the root may have changed.
            Err(_) => vec![root_for_filter.clone()],
        };
        if !paths.is_empty() {
            changed(paths);
        }
    })?;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    // site.toml is replaced, not written, by many editors: watch the folder that holds it.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}

/// Whether a changed path can change the site: a source, not an editor's scratch file.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let scratch = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    if scratch {
        return false;
    }
    let Ok(relative) = path.strip_prefix(root) else {
        // Paths of a symlinked folder may come resolved; they are under a watched folder.
        return true;
    };
    let mut parts = relative.components();
    let first = parts.next().and_then(|c| c.as_os_str().to_str());
    match first {
        Some(CONFIG_FILE) => parts.next().is_none(),
        Some(folder) => WATCHED_FOLDERS.contains(&folder),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_from_scratch_files_and_output() {
        let root = Path::new("/site");
        for source in [
            "/site/site.toml",
            "/site/content/a.md",
            "/site/content/2025",
            "/site/themes/default/static/style.css",
            "/site/templates/article.html",
            "/site/static/logo.png",
        ] {
            assert!(is_source(root, Path::new(source)), "{source}");
        }
        for other in [
            "/site/output/index.html",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/README.md",
            "/site/.git/index",
        ] {
            assert!(!is_source(root, Path::new(other)), "{other}");
        }
    }
}
