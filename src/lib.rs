//! `briefing` turns a folder of sourced news articles into briefing timelines.
//!
//! The pipeline runs one way, each stage taking the previous one's plain data:
//!
//! 1. **load** ([`load`]): `content/**/*.md` → [`model::Article`]s + diagnostics
//!    (front matter split and parsed by [`load::front_matter`], dates by [`dates`]);
//! 2. **model** ([`model`], [`config`]): validated articles and site configuration;
//! 3. **arrange** ([`timeline`]): selection, one total order, per-topic timelines,
//!    month/day grouping, neighbours;
//! 4. **render** ([`render`]): Tera templates (project's over built-ins) → files in memory;
//! 5. **write** ([`mod@write`]): a staging folder swapped in for `output/` on success.
//!
//! The binary (`src/main.rs`) is a thin shell over [`cmd::run`].

pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod digest;
pub mod error;
#[cfg(feature = "import")]
pub mod import;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod meaning;
pub mod model;
pub mod project;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod stories;
pub mod temporal;
pub mod timeline;
pub mod write;

pub use error::{Error, Result};

/// An error and all its causes, joined with `: ` (Tera's top-level message alone says
/// only which template failed; the cause says why).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
