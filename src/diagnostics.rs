//! Diagnostics: problems found in content, configuration and templates.
//!
//! Every stage pushes problems into a [`Diagnostics`] collector and carries on, so a run
//! reports all of them at once. They print as `path:line:col: error: message` (or
//! `warning:`), sorted by path and line, followed by a one-line summary.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Makes the command fail (exit status 1).
    Error,
    /// Reported; the command still succeeds.
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as shown to the user (relative to the working directory when possible).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
    /// What is wrong, starting lowercase, ideally saying what to do.
    pub message: String,
}

impl Diagnostic {
    /// An error in `path`.
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            col: None,
            message: message.into(),
        }
    }

    /// A warning in `path`.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Sets the line (and column 1 unless one is set later).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets line and column.
    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = Some(line);
        self.col = Some(col);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", self.message)
    }
}

/// Collects diagnostics during a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all diagnostics of another collector.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// True when there is at least one error.
    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// The diagnostics sorted by path, line, column, then message: a stable order
    /// whatever order the parallel stages found them in.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        items.dedup();
        items
    }

    /// All diagnostics, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// The one-line summary printed after the diagnostics, e.g. `2 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }

    /// Writes every diagnostic (sorted) and, when there is any, the summary line.
    pub fn print(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.items.is_empty() {
            return Ok(());
        }
        for d in self.sorted() {
            writeln!(out, "{d}")?;
        }
        writeln!(out, "{}", self.summary())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Shows `path` relative to `base` when it lies inside it, so diagnostics read
/// `content/2020/x.md` rather than a long absolute path.
pub fn display_path(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_sorts() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::warning("b.md", "no sources").at_line(2));
        d.push(Diagnostic::error("a.md", "missing `title`").at(3, 1));
        d.push(Diagnostic::error("a.md", "bad date").at(1, 7));
        let lines: Vec<String> = d.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "a.md:1:7: error: bad date",
                "a.md:3:1: error: missing `title`",
                "b.md:2: warning: no sources"
            ]
        );
        assert_eq!(d.summary(), "2 errors, 1 warning");
    }
}
