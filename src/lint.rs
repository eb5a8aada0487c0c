//! Content checks across articles that `briefing check` runs on top of loading: topics
//! that look like typos of known ones, articles without sources.
//!
//! Part of the MODEL stage: reads nothing, only looks at loaded articles and the config.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Article;

/// Warnings about `articles`: missing sources, and topics close to a known topic or alias
/// (`isiss` when `isis` exists). `config_path` is named in hints.
pub fn articles(articles: &[Article], site: &Site, config_path: &Path) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut known: BTreeSet<String> = site.config.topics.keys().cloned().collect();
    known.extend(site.aliases.keys().cloned());
    let uncategorised = site.uncategorised();
    // How many articles use each topic: a topic used by many is intended, not a typo.
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for a in articles {
        for t in &a.topics {
            *uses.entry(t.as_str()).or_default() += 1;
        }
    }
    for a in articles {
        if a.sources.is_empty() {
            diags.push(
                Diagnostic::warning(
                    &a.display_path,
                    "no `sources`: every entry should link to where it was reported",
                )
                .at_line(a.title_line.max(1) as usize),
            );
        }
        let guessed = match a.extra.get("date_source").and_then(|v| v.as_str()) {
            Some("file-mtime") => Some("the imported file's modification time"),
            Some("text") => Some("a date written in the text"),
            _ => None,
        };
        if let Some(from) = guessed {
            diags.push(
                Diagnostic::warning(
                    &a.display_path,
                    format!("`date` was taken from {from}: set the real report date and remove `date_source`"),
                )
                .at_line(a.title_line.max(1) as usize),
            );
        }
        for t in &a.topics {
            let id = t.as_str();
            if known.contains(id) || *t == uncategorised {
                continue;
            }
            let close = known
                .iter()
                .filter(|k| k.len() > 2 && strsim::damerau_levenshtein(id, k) <= typo_distance(k))
                .min_by_key(|k| strsim::damerau_levenshtein(id, k));
            if let Some(k) = close {
                let canonical = site
                    .aliases
                    .get(k.as_str())
                    .map_or(k.as_str(), |c| c.as_str());
                diags.push(
                    Diagnostic::warning(
                        &a.display_path,
                        format!(
                            "unknown topic `{id}` (used by {} article(s)): did you mean `{canonical}`? Known topics are listed in {}",
                            uses.get(id).copied().unwrap_or(0),
                            config_path.file_name().map_or("briefing.yaml".into(), |n| n.to_string_lossy())
                        ),
                    )
                    .at_line(a.topics_line.max(1) as usize),
                );
            }
        }
    }
    diags
}

fn typo_distance(known: &str) -> usize {
    if known.len() <= 4 { 1 } else { 2 }
}
