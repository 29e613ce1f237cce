//! Errors that carry the file, line and column they are about.
//!
//! Library code never prints: every stage returns `Diagnostic`s or a `BuildError`, and only the
//! command line turns them into text. A diagnostic reads like a compiler message,
//! `content/x.md:3:8: date: expected a date like 2025-08-18, found "yesterday"`, so that editors
//! and terminals can jump to the place.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings are only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in one file, with its position when the file has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Sets the position from a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position from a byte offset into `text`, shifted down by `first_line - 1` lines
    /// (front matter starts below the `+++` line of its file).
    pub fn at_offset(self, text: &str, offset: usize, first_line: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(line + first_line - 1, column)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let label = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(f, ": {label}{}", self.message)
    }
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Why a build (or another command) stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// `site.toml` is missing, malformed or invalid; every problem found is listed.
    #[error("{}", lines(.0))]
    Config(Vec<Diagnostic>),
    /// One or more content files are wrong; all of them are listed.
    #[error("{} content error(s)", .0.len())]
    Content(Vec<Diagnostic>),
    /// A theme template failed to parse or render.
    #[error("{0}")]
    Template(Diagnostic),
    /// The output folder was refused or could not be written.
    #[error("{0}")]
    Output(Diagnostic),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Diagnostics one to a line.
fn lines(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

impl BuildError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        BuildError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Every diagnostic this error stands for, in order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            BuildError::Template(d) | BuildError::Output(d) => vec![d.clone()],
            BuildError::Config(list) | BuildError::Content(list) => list.clone(),
            BuildError::Io { path, source } => vec![Diagnostic::error(path, source.to_string())],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a = 1\nné = \"x\"\n";
        let offset = text.find('=').unwrap();
        assert_eq!(line_column(text, offset), (1, 3));
        let offset = text.rfind('=').unwrap();
        assert_eq!(line_column(text, offset), (2, 4));
    }

    #[test]
    fn display_reads_like_a_compiler_message() {
        let d = Diagnostic::error("content/x.md", "date: bad").at(3, 8);
        assert_eq!(d.to_string(), "content/x.md:3:8: date: bad");
        let w = Diagnostic::warning("content/y.md", "no date");
        assert_eq!(w.to_string(), "content/y.md: warning: no date");
    }
}
