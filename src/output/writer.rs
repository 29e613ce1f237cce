//! Writing the built site to disk, all or nothing.
//!
//! The site is written into a temporary folder beside the output folder and swapped in only
//! when every file is written, so a failed or interrupted build leaves the previous site whole.
//! The only folder ever removed is an output folder that briefing itself made, recognised by
//! its marker file: a mistyped `output_dir` can never delete a user's files.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{BuildError, Diagnostic};
use crate::render::{FileSink, RenderedFile};

/// The file that marks a folder as briefing's output, safe to replace.
pub const MARKER: &str = ".briefing-output";

/// Refuses output folders whose replacement would delete the user's work.
pub fn check_output_dir(output: &Path, root: &Path) -> Result<(), BuildError> {
    let refuse = |why: &str| {
        Err(BuildError::Output(Diagnostic::error(
            output,
            format!(
                "refusing to use this output folder: {why}; set another `output_dir` in site.toml or pass --output"
            ),
        )))
    };
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    if root_abs.starts_with(&output_abs) {
        return refuse("it is the site folder or one of its parents");
    }
    for protected in ["content", "themes", "templates", "static", ".git"] {
        if output_abs.starts_with(root_abs.join(protected))
            || output_abs == root_abs.join(protected)
        {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if output_abs.is_file() {
        return refuse("it is a file");
    }
    if output_abs.is_dir() && !output_abs.join(MARKER).is_file() && !is_empty_dir(&output_abs) {
        return refuse(&format!(
            "it already holds files that briefing did not write (no {MARKER} marker); move them away first"
        ));
    }
    Ok(())
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// The path made absolute against the current folder and cleaned of `.` and `..`, without
/// touching the disk (the output folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let joined = std::fs::canonicalize(&joined).unwrap_or(joined);
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Writes `files` as the new contents of `output`, replacing the old contents in one swap.
/// Later files with the same path win (a site's static file over the theme's).
pub fn write_site(
    output: &Path,
    root: &Path,
    files: &[RenderedFile],
    marker_text: &str,
) -> Result<usize, BuildError> {
    let staged = StagedOutput::begin(output, root)?;
    for file in files {
        staged.put(file)?;
    }
    staged.finish(marker_text)
}

/// An output folder being written: files go into a staging folder as they are made (so a
/// build need not hold the whole site in memory), which replaces the output in one swap by
/// `finish`. Dropped unfinished, it removes the staging folder and leaves the output alone.
pub struct StagedOutput {
    staging: PathBuf,
    output: PathBuf,
    retired: PathBuf,
    /// Whether there is a previous output whose unchanged files can be linked.
    has_previous: bool,
    /// The paths written so far, for the count of files (a path written twice counts once).
    written: Mutex<HashSet<String>>,
    finished: bool,
}

impl StagedOutput {
    /// Checks the output folder and makes an empty staging folder beside it.
    pub fn begin(output: &Path, root: &Path) -> Result<Self, BuildError> {
        check_output_dir(output, root)?;
        let output = absolute(output);
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = output
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let pid = std::process::id();
        std::fs::create_dir_all(&parent).map_err(|e| BuildError::io(&parent, e))?;
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}.building-{pid}"));
        std::fs::create_dir_all(&staging).map_err(|e| BuildError::io(&staging, e))?;
        Ok(StagedOutput {
            retired: parent.join(format!(".{name}.previous-{pid}")),
            has_previous: output.is_dir(),
            staging,
            output,
            written: Mutex::new(HashSet::new()),
            finished: false,
        })
    }

    /// Writes one file; a file written again at the same path replaces the first. Bytes that
    /// the previous output already holds at that path are linked rather than written, so
    /// unchanged pages keep their inode and time. Safe to call from several threads.
    pub fn put(&self, file: &RenderedFile) -> Result<(), BuildError> {
        if !is_safe_relative(&file.path) {
            return Err(BuildError::Output(Diagnostic::error(
                &file.path,
                "refusing to write a file outside the output folder",
            )));
        }
        let path = self.staging.join(&file.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| BuildError::io(folder, e))?;
        }
        let first = self
            .written
            .lock()
            .map_or(true, |mut written| written.insert(file.path.clone()));
        if !first {
            // It may be a link to the previous output's file, which must stay as it was.
            let _ = std::fs::remove_file(&path);
        }
        let old = self.output.join(&file.path);
        let linked = first
            && self.has_previous
            && is_same_file_content(&old, &file.bytes)
            && std::fs::hard_link(&old, &path).is_ok();
        if !linked {
            std::fs::write(&path, &file.bytes).map_err(|e| BuildError::io(&path, e))?;
        }
        Ok(())
    }

    /// Writes the marker and swaps the staging folder in; returns how many files it holds.
    pub fn finish(mut self, marker_text: &str) -> Result<usize, BuildError> {
        self.finished = true;
        let marker = self.staging.join(MARKER);
        let result = std::fs::write(&marker, marker_text)
            .map_err(|e| BuildError::io(&marker, e))
            .and_then(|()| swap_in(&self.staging, &self.output, &self.retired));
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        result?;
        Ok(self.written.lock().map_or(0, |written| written.len()))
    }
}

impl FileSink for StagedOutput {
    fn put(&self, file: RenderedFile) -> Result<(), BuildError> {
        StagedOutput::put(self, &file)
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether the previous output already holds these bytes there: then the file is linked into
/// the new output rather than rewritten, so unchanged pages keep their inode and time.
fn is_same_file_content(old: &Path, bytes: &[u8]) -> bool {
    let same_length =
        std::fs::symlink_metadata(old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_length && std::fs::read(old).is_ok_and(|old_bytes| old_bytes == bytes)
}

fn is_safe_relative(path: &str) -> bool {
    let path = Path::new(path);
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Puts the staging folder in place of the output in one atomic step where the system allows
/// (Linux's `RENAME_EXCHANGE`), so a build killed at any moment leaves the old or the new site,
/// whole. Elsewhere, two renames.
fn swap_in(staging: &Path, output: &Path, retired: &Path) -> Result<(), BuildError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(|e| BuildError::io(output, e));
    }
    if exchange(staging, output).is_ok() {
        // `staging` now holds the previous site.
        return std::fs::remove_dir_all(staging).map_err(|e| BuildError::io(staging, e));
    }
    std::fs::rename(output, retired).map_err(|e| BuildError::io(output, e))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(retired, output);
        return Err(BuildError::io(output, e));
    }
    std::fs::remove_dir_all(retired).map_err(|e| BuildError::io(retired, e))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Removes staging and retired folders left by builds that were killed.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.building-"), format!(".{name}.previous-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_root_its_parents_and_the_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(dir.path(), &root).is_err());
        assert!(check_output_dir(&root.join("content"), &root).is_err());
        assert!(check_output_dir(&root.join("content/../content/x"), &root).is_err());
        assert!(check_output_dir(&root.join("output"), &root).is_ok());
    }

    #[test]
    fn refuses_a_folder_of_someone_elses_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = write_site(&out, &dir.path().join("site"), &[], "").unwrap_err();
        assert!(err.to_string().contains("did not write"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn replaces_the_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = root.join("output");
        write_site(
            &out,
            &root,
            &[RenderedFile::new("old/index.html", "old")],
            "",
        )
        .unwrap();
        let files = [
            RenderedFile::new("a/index.html", "theme"),
            RenderedFile::new("a/index.html", "site"),
        ];
        assert_eq!(write_site(&out, &root, &files, "").unwrap(), 1);
        assert!(!out.join("old").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "site"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = root.join("output");
        let files = [
            RenderedFile::new("same.html", "same"),
            RenderedFile::new("changed.html", "v1"),
        ];
        write_site(&out, &root, &files, "").unwrap();
        let inode = |name: &str| std::fs::metadata(out.join(name)).unwrap().ino();
        let (same, changed) = (inode("same.html"), inode("changed.html"));
        let files = [
            RenderedFile::new("same.html", "same"),
            RenderedFile::new("changed.html", "v2"),
        ];
        write_site(&out, &root, &files, "").unwrap();
        assert_eq!(inode("same.html"), same);
        assert_ne!(inode("changed.html"), changed);
        assert_eq!(
            std::fs::read_to_string(out.join("changed.html")).unwrap(),
            "v2"
        );
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let err = write_site(
            &root.join("output"),
            &root,
            &[RenderedFile::new("../x", "")],
            "",
        );
        assert!(err.is_err());
        assert!(!dir.path().join("x").exists());
    }
}
