//! The library's error type: failures that stop a command outright.
//!
//! Content problems (a bad date in one article) are *not* errors here: they are
//! [`crate::diagnostics::Diagnostic`]s collected during a run so that every problem is
//! reported at once. `Error` is for what makes going on pointless: an unreadable project,
//! an unwritable output folder, a template that cannot render.

use std::path::{Path, PathBuf};

/// A failure that stops the current command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read `{}`", .path.display())]
    Read {
        /// What we tried to read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{}`", .path.display())]
    Write {
        /// What we tried to write.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A template failed to parse or render.
    #[error("rendering `{template}` for {page}")]
    Template {
        /// The template's name.
        template: String,
        /// The page (output path) being rendered.
        page: String,
        /// Tera's error, with the template line and column in its report.
        #[source]
        source: tera::Error,
    },
    /// The project layout is unusable (output folder overlapping content, …).
    #[error("{message}")]
    Project {
        /// The path the problem is about.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A generated path would escape the output folder.
    #[error("refusing to write `{path}`: it is not a plain relative path inside the output folder")]
    UnsafePath {
        /// The offending relative path.
        path: String,
    },
    /// Two outputs of one build would be written to the same path.
    #[error(
        "two outputs would be written to `{path}`: change the `output` of the report in briefing.yaml, or the slug"
    )]
    DuplicateOutput {
        /// The path, relative to the output folder.
        path: String,
    },
    /// The run produced error diagnostics; they have been printed already.
    #[error("{errors} error(s) found")]
    Diagnostics {
        /// How many errors.
        errors: usize,
    },
}

impl Error {
    /// Wraps an I/O error from reading `path`.
    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Wraps an I/O error from writing `path`.
    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The file this error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Error::Read { path, .. } | Error::Write { path, .. } | Error::Project { path, .. } => {
                Some(path)
            }
            _ => None,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
