//! RSS 2.0, RSS 1.0, Atom and JSON Feed files → drafts (feed-rs parses all of them):
//! one article per entry, the entry's link as source and the feed's title as outlet.

use chrono::{DateTime, FixedOffset};

use super::{Draft, DraftSource, html_to_text};

/// Parses a feed into drafts, one per entry, in the feed's order.
pub fn parse(bytes: &[u8], mtime: DateTime<FixedOffset>) -> Result<Vec<Draft>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("not a valid feed: {e}"))?;
    let outlet = feed
        .title
        .as_ref()
        .map(|t| html_to_text(&t.content))
        .filter(|t| !t.is_empty());
    let mut drafts = Vec::new();
    for entry in &feed.entries {
        let Some(title) = entry
            .title
            .as_ref()
            .map(|t| html_to_text(&t.content))
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        let url = entry
            .links
            .iter()
            .map(|l| l.href.trim().to_string())
            .find(|h| h.starts_with("http://") || h.starts_with("https://"));
        let name = outlet
            .clone()
            .or_else(|| url.as_deref().and_then(super::host_name))
            .unwrap_or_else(|| "Feed".to_string());
        let (date, date_source) = match entry.published.or(entry.updated) {
            Some(d) => (d.fixed_offset(), None),
            None => (mtime, Some("file-mtime")),
        };
        let summary = entry
            .summary
            .as_ref()
            .map(|s| html_to_text(&s.content))
            .filter(|s| !s.is_empty());
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(html_to_text)
            .filter(|c| !c.is_empty());
        let body = content.or_else(|| summary.clone()).unwrap_or_default();
        drafts.push(Draft {
            title,
            date,
            date_source,
            sources: vec![DraftSource { name, url }],
            summary: summary.map(|s| first_sentences(&s)),
            body,
            lang: entry.language.clone().or_else(|| feed.language.clone()),
            author: entry
                .authors
                .first()
                .and_then(|a| a.name.clone())
                .filter(|n| !n.is_empty()),
            image_caption: None,
        });
    }
    if drafts.is_empty() {
        return Err("the feed has no entries with a title".into());
    }
    Ok(drafts)
}

/// The first paragraph, at most two sentences and 300 characters: a summary, not the
/// article.
fn first_sentences(text: &str) -> String {
    let text = text.split("\n\n").next().unwrap_or(text);
    let mut end = text.len();
    let mut count = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') && text[i + c.len_utf8()..].starts_with(' ') {
            count += 1;
            if count == 2 {
                end = i + c.len_utf8();
                break;
            }
        }
    }
    let cut = &text[..end];
    if cut.chars().count() > 300 {
        let short: String = cut.chars().take(299).collect();
        format!("{}…", short.trim_end())
    } else {
        cut.to_string()
    }
}
