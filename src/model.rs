//! MODEL: the validated domain types — articles, sources, topics, slugs.
//!
//! Values here have passed validation (a `Source` URL is http(s), a `TopicId` is a slug).
//! The model does no I/O and knows nothing about templates or files on disk beyond the
//! article's own path, which diagnostics and link rewriting need.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::dates::{EventDate, Timestamp};

/// A topic's canonical id: an ASCII slug (`gaza-war`). "Gaza War", "gaza_war" and
/// "gaza-war" are the same topic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TopicId(String);

impl TopicId {
    /// Normalises a topic name to its id; `None` when nothing usable is left
    /// (a name made only of punctuation).
    pub fn normalise(name: &str) -> Option<TopicId> {
        let id = slugify(name);
        (!id.is_empty()).then_some(TopicId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A display title derived from the id: `gaza-war` → `Gaza war`.
    pub fn default_title(&self) -> String {
        let text = self.0.replace('-', " ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turns any text into an ASCII slug: lowercase `[a-z0-9-]`, no leading, trailing or
/// doubled dashes; non-Latin letters are transliterated (`Café` → `cafe`).
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Where an article came from: an outlet and a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The outlet as the author wrote it ("Asharq Al-Awsat", "Business Standard (AP)").
    /// Defaults to the URL's host when only a URL was given.
    pub name: String,
    /// The http(s) URL of the report.
    pub url: String,
}

/// How prominent an entry is on timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    /// Background, shown subdued.
    Low,
    /// The default.
    #[default]
    Normal,
    /// Highlighted.
    High,
}

impl Importance {
    /// Parses `low`, `normal` or `high`.
    pub fn parse(text: &str) -> Option<Importance> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Importance::Low),
            "normal" => Some(Importance::Normal),
            "high" => Some(Importance::High),
            _ => None,
        }
    }
}

/// One article, fully parsed and validated. Serialisable so the build cache can keep it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// Path relative to the content folder, with `/` separators (`2020/iraq-nato.md`).
    pub path: String,
    /// Path as shown in diagnostics (relative to the working directory where possible).
    /// Not cached: derived from `path` when loaded.
    #[serde(skip)]
    pub display_path: PathBuf,
    /// Headline.
    pub title: String,
    /// When it was reported.
    pub date: Timestamp,
    /// When the article was last corrected or updated (`updated:`), if ever. Feeds use
    /// it so that `updated` changes only when an article does.
    pub updated: Option<Timestamp>,
    /// When the reported thing happened, if different from `date`.
    pub event_date: Option<EventDate>,
    /// Canonical topic ids, in the order written, without duplicates; never empty
    /// (articles without topics get the `uncategorised` topic).
    pub topics: Vec<TopicId>,
    /// Sources, in the order written.
    pub sources: Vec<Source>,
    /// Plain-text summary: the `summary` key, or the body's first paragraph.
    pub summary: String,
    /// Where it happened.
    pub location: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Prominence.
    pub importance: Importance,
    /// BCP 47 language tag of the article, if given.
    pub lang: Option<String>,
    /// Drafts are skipped unless `--drafts`.
    pub draft: bool,
    /// URL slug: unique, `[a-z0-9-]`.
    pub slug: String,
    /// The file on disk (bodies are read again when their page is rendered, so a build
    /// holds metadata in memory, not every body). Not cached: derived from `path`.
    #[serde(skip)]
    pub file: PathBuf,
    /// 1-based line of the body's first line in the file, for diagnostics.
    pub body_line: usize,
    /// Front matter keys this tool does not know, for templates (`article.extra`).
    #[serde(with = "crate::cache::json_map")]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// File line of the `title` key, for diagnostics (0 when unknown).
    pub title_line: u32,
    /// File line of the `topics` key, for diagnostics (0 when absent).
    pub topics_line: u32,
    /// Hash of the file's path and front matter: changes when any metadata does.
    pub meta_hash: u64,
    /// Hash of the body.
    pub body_hash: u64,
    /// `story:`: the id of the story this report belongs to (a slug), if written.
    pub story: Option<String>,
    /// `merge: false` keeps the article out of automatic story merging.
    pub merge: bool,
    /// Dates the body mentions that the "Mentioned in coverage" layer can show (days,
    /// times and months other than the report's own, confident enough), found by the
    /// temporal tagger against the report day: see [`crate::load::body_mentions`].
    pub mentions: Vec<crate::temporal::Mention>,
    /// True when the body may link to other articles (mentions `.md`), so its page
    /// depends on their slugs.
    pub links_articles: bool,
}

/// Language subtags written right to left.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "ha", "he", "iw", "khw", "ks", "ku", "ps", "sd", "syr", "ug",
    "ur", "yi",
];

/// True when `lang` (a BCP 47 tag such as `ar` or `fa-IR`) is written right to left.
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    RTL_LANGUAGES.contains(&primary.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn topic_names_normalise() {
        for name in [
            "Gaza War",
            "gaza-war",
            "gaza_war",
            "  GAZA   war ",
            "Gaza—War",
        ] {
            assert_eq!(
                TopicId::normalise(name).unwrap().as_str(),
                "gaza-war",
                "{name}"
            );
        }
        assert_eq!(TopicId::normalise("Café").unwrap().as_str(), "cafe");
        assert!(TopicId::normalise("!!!").is_none());
        assert_eq!(
            TopicId::normalise("gaza-war").unwrap().default_title(),
            "Gaza war"
        );
    }

    #[test]
    fn rtl_languages() {
        assert!(is_rtl("ar"));
        assert!(is_rtl("fa-IR"));
        assert!(!is_rtl("en"));
        assert!(!is_rtl("fr-CA"));
    }

    proptest! {
        #[test]
        fn slugs_are_ascii_and_idempotent(s in "\\PC{0,40}") {
            let slug = slugify(&s);
            prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            prop_assert_eq!(slugify(&slug), slug.clone());
        }
    }
}
