//! Output: the files of the site beyond its pages (static assets, `index.json`), and writing
//! everything to disk through `writer`.

pub mod freshness;
pub mod index_json;
pub mod pages;
pub mod writer;

use std::path::Path;

use crate::error::{BuildError, Diagnostic};
use crate::render::RenderedFile;

/// Reads every file under `dir` (a theme's or the site's `static/`), in a stable order.
pub fn static_files(dir: &Path, root: &Path) -> Result<Vec<RenderedFile>, BuildError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir);
            BuildError::Output(Diagnostic::error(
                path.strip_prefix(root).unwrap_or(path),
                e.to_string(),
            ))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let bytes = std::fs::read(entry.path()).map_err(|e| BuildError::io(entry.path(), e))?;
        files.push(RenderedFile::new(
            relative.to_string_lossy().replace('\\', "/"),
            bytes,
        ));
    }
    Ok(files)
}
