//! Helpers for end-to-end tests: fixture sites in temp dirs, built by the real binary.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the helpers"
)]

pub mod pages;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository, whose `site.toml`, `content/` and `themes/` make the example site.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site folder in a temp dir, removed when dropped.
pub struct Site {
    root: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Site {
    /// A copy of the example site.
    pub fn example() -> Self {
        Self::example_in(tempfile::tempdir().unwrap())
    }

    /// A copy of the example site in the temp folder (the system's, or `/dev/shm`) with the
    /// most free space, or `None` when none has `bytes` free: heavy cases need room that a CI
    /// machine's disk does not always have, and "no space left" is not what they test.
    pub fn example_with_room(bytes: u64) -> Option<Self> {
        let candidates = [std::env::temp_dir(), PathBuf::from("/dev/shm")];
        let roomiest = candidates
            .iter()
            .filter_map(|dir| Some((free_bytes(dir)?, dir)))
            .max();
        // Where free space cannot be measured, the case runs in the system's temp folder.
        let Some((free, parent)) = roomiest else {
            return Some(Self::example());
        };
        if free < bytes {
            eprintln!(
                "SKIPPED: needs {} MiB free in a temp folder, the roomiest ({}) has {} MiB",
                bytes >> 20,
                parent.display(),
                free >> 20
            );
            return None;
        }
        Some(Self::example_in(tempfile::tempdir_in(parent).unwrap()))
    }

    fn example_in(dir: tempfile::TempDir) -> Self {
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
        copy_dir(&repo().join("content"), &root.join("content"));
        copy_dir(&repo().join("themes"), &root.join("themes"));
        Site {
            root,
            _dir: Some(dir),
        }
    }

    /// A site at a folder the caller owns.
    pub fn at(root: PathBuf) -> Self {
        Site { root, _dir: None }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn output(&self) -> PathBuf {
        self.root.join("output")
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// Runs `briefing build --root SITE ARGS…` in the site folder; returns the exit code and
    /// everything printed.
    pub fn build(&self, args: &[&str]) -> (i32, String) {
        self.run(&[&["build", "--root", "."], args].concat())
    }

    /// Runs `briefing ARGS…` in the site folder.
    pub fn run(&self, args: &[&str]) -> (i32, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code().unwrap_or(-1), text)
    }

    /// Builds and asserts success; returns what was printed.
    pub fn build_ok(&self, args: &[&str]) -> String {
        let (code, out) = self.build(args);
        assert_eq!(code, 0, "build failed:\n{out}");
        out
    }
}

/// Bytes free for an unprivileged user on the file system of `dir`, from `df`.
fn free_bytes(dir: &Path) -> Option<u64> {
    let output = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    text.lines().nth(1)?.trim().parse().ok()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file of a folder with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The values of `href` and `src` attributes that point into the site (not http:, mailto:, #).
pub fn internal_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attribute) {
            let rest = &html[i + attribute.len()..];
            let value = &rest[..rest.find('"').unwrap_or(0)];
            let external = value.contains("://") || value.starts_with("mailto:");
            if !external && !value.starts_with('#') && !value.is_empty() {
                links.push(value.replace("&amp;", "&"));
            }
        }
    }
    links
}

/// The file a site path is served from: itself, or `index.html` in it.
pub fn resolve(output: &Path, site_path: &str) -> Option<PathBuf> {
    let path = site_path.split(['#', '?']).next().unwrap_or("");
    let target = output.join(path);
    if target.is_file() {
        return Some(target);
    }
    let index = target.join("index.html");
    index.is_file().then_some(index)
}

/// `briefing import --json PATH`: the records it prints, and what it said on stderr.
pub fn import_records(path: &Path) -> (Vec<serde_json::Value>, String) {
    let out = pages::briefing(
        Path::new("."),
        &["import", "--json", path.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let records: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("--json prints JSON");
    (records.as_array().expect("an array").clone(), stderr)
}

/// A JSON array of strings, as strings.
pub fn strings(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

/// A preview of the site at `root` on a free port of 127.0.0.1, dated 1 January 2026; failed
/// rebuilds are printed, for the test's output.
pub fn start_preview(root: &Path) -> briefing::serve::Preview {
    let options = briefing::BuildOptions {
        root: root.to_path_buf(),
        overrides: briefing::config::Overrides::default(),
        drafts: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        force: true,
        memory_hint: None,
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    briefing::serve::Preview::start(listener, options, |outcome| {
        if let briefing::serve::Outcome::Failed { diagnostics, .. } = outcome {
            eprintln!("build failed: {diagnostics:?}");
        }
    })
    .unwrap()
}
