//! IMPORT: files that are not articles yet (feeds, clippings) → article drafts, and
//! drafts → the text of new article files.
//!
//! A stage beside LOAD: it reads the given files and returns drafts; the command decides
//! where they go and never overwrites anything. Import is deterministic: the same input
//! gives the same files.

pub mod feed;
pub mod html;
pub mod text;

use std::path::Path;

use chrono::{DateTime, FixedOffset};

/// What kind of file an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Decide from the content.
    Auto,
    /// A plain-text clipping.
    Text,
    /// A saved web page.
    Html,
    /// An RSS, Atom or JSON feed.
    Feed,
}

/// A source of an imported article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSource {
    /// The outlet.
    pub name: String,
    /// The link, when known.
    pub url: Option<String>,
}

/// An article found in an input, before it becomes a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Headline.
    pub title: String,
    /// When it was reported.
    pub date: DateTime<FixedOffset>,
    /// Where the date came from when it is a guess (`file-mtime`).
    pub date_source: Option<&'static str>,
    /// Sources.
    pub sources: Vec<DraftSource>,
    /// A one- or two-sentence summary, when the input has one.
    pub summary: Option<String>,
    /// The body, as Markdown.
    pub body: String,
    /// Language tag, when the input says.
    pub lang: Option<String>,
    /// Author, when the input names one.
    pub author: Option<String>,
    /// The photo caption of a clipping, kept once.
    pub image_caption: Option<String>,
}

/// Decides the format of `bytes`: feeds by their root element or JSON Feed version,
/// pages by an `<html` tag, anything else is a text clipping.
pub fn detect(bytes: &[u8]) -> Format {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    let json_feed = start.starts_with('{') && head.contains("jsonfeed.org");
    let xml_feed = start.starts_with('<')
        && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf"));
    if json_feed || xml_feed {
        Format::Feed
    } else if start.starts_with('<') && (head.contains("<html") || head.contains("<!doctype html"))
    {
        Format::Html
    } else {
        Format::Text
    }
}

/// Parses one input. `name` is how the input is shown in messages; `mtime` is the
/// file's modification time, the date of last resort.
pub fn parse(
    bytes: &[u8],
    name: &str,
    format: Format,
    mtime: DateTime<FixedOffset>,
    tz: chrono_tz::Tz,
) -> Result<Vec<Draft>, String> {
    if bytes.contains(&0) {
        return Err("this is a binary file, not a feed, page or clipping".into());
    }
    let format = match format {
        Format::Auto => detect(bytes),
        f => f,
    };
    // Pages and feeds go through HTML parsers, which slow down with the square of
    // nesting: refuse what is nested deeper than browsers nest.
    if matches!(format, Format::Html | Format::Feed)
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        let (depth, _) = crate::markdown::html_depth(text);
        if depth > crate::markdown::MAX_HTML_DEPTH {
            return Err(format!(
                "HTML elements are nested {depth} deep; at most {} levels are read",
                crate::markdown::MAX_HTML_DEPTH
            ));
        }
    }
    let mut drafts = match format {
        Format::Feed => feed::parse(bytes, mtime),
        Format::Html => {
            let text =
                std::str::from_utf8(bytes).map_err(|_| format!("`{name}` is not UTF-8 text"))?;
            html::parse(text, mtime, tz)
        }
        Format::Text | Format::Auto => {
            let text =
                std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())?;
            text::parse(text, mtime, tz)
        }
    }?;
    // A date outside the years `build` reads (a feed's "21025-04-22") is no date: the
    // file's time stands in, marked as a guess.
    for d in &mut drafts {
        if !(1000..=9999).contains(&chrono::Datelike::year(&d.date)) {
            d.date = mtime;
            d.date_source = Some("file-mtime");
        }
    }
    Ok(drafts)
}

/// The text of the article file for `draft`. Strings are written as JSON strings, which
/// YAML reads verbatim whatever they contain.
pub fn article_text(draft: &Draft, topics: &[String], is_draft: bool) -> String {
    // JSON escapes the C0 controls; YAML also refuses DEL, the C1 controls and
    // U+FFFE/U+FFFF unescaped, so those are escaped too.
    let q = |s: &str| {
        let json = serde_json::to_string(s).expect("strings serialise");
        if !json.chars().any(not_yaml_printable) {
            return json;
        }
        json.chars().fold(String::new(), |mut out, c| {
            if not_yaml_printable(c) {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            } else {
                out.push(c);
            }
            out
        })
    };
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", q(&draft.title)));
    out.push_str(&format!("date: {}\n", q(&draft.date.to_rfc3339())));
    if let Some(source) = draft.date_source {
        out.push_str(&format!("date_source: {}\n", q(source)));
    }
    let topic_list: Vec<String> = topics.iter().map(|t| q(t)).collect();
    out.push_str(&format!("topics: [{}]\n", topic_list.join(", ")));
    if draft.sources.is_empty() {
        out.push_str("sources: []\n");
    } else {
        out.push_str("sources:\n");
        for s in &draft.sources {
            out.push_str(&format!("  - name: {}\n", q(&s.name)));
            // Only a link `build` accepts; without one, the source is listed as
            // awaiting its link.
            if let Some(url) = s
                .url
                .as_deref()
                .filter(|u| crate::load::source_url(u).is_ok())
            {
                out.push_str(&format!("    url: {}\n", q(url)));
            }
        }
    }
    if let Some(summary) = &draft.summary {
        out.push_str(&format!("summary: {}\n", q(summary)));
    }
    // Feeds write `en_US` as often as `en-US`; anything else that is not a tag is left out.
    if let Some(lang) = draft
        .lang
        .as_deref()
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| crate::load::is_language_tag(l))
    {
        out.push_str(&format!("lang: {}\n", q(&lang)));
    }
    if let Some(author) = &draft.author {
        out.push_str(&format!("author: {}\n", q(author)));
    }
    if let Some(caption) = &draft.image_caption {
        out.push_str(&format!("image_caption: {}\n", q(caption)));
    }
    if is_draft {
        out.push_str("draft: true\n");
    }
    out.push_str("---\n\n");
    out.push_str(draft.body.trim());
    out.push('\n');
    out
}

/// True for characters YAML does not allow unescaped in a double-quoted scalar (the
/// ones serde_json leaves as they are).
fn not_yaml_printable(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// The host of `url` without `www.`: the outlet name when nothing better is known.
pub fn host_name(url: &str) -> Option<String> {
    url::Url::parse(url).ok().and_then(|u| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_string())
    })
}

/// Midnight of `day` in `tz` (`fallback` in the rare zone where midnight does not exist).
pub fn midnight(
    day: chrono::NaiveDate,
    tz: chrono_tz::Tz,
    fallback: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    let local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    chrono::TimeZone::from_local_datetime(&tz, &local)
        .earliest()
        .map_or(fallback, |d| d.fixed_offset())
}

/// The modification time of `path` (now when unknown), for dates of last resort.
pub fn mtime(path: &Path) -> DateTime<FixedOffset> {
    let time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(DateTime::<chrono::Utc>::from)
        .unwrap_or_else(|_| chrono::Utc::now());
    // Whole seconds: a report time, not a file system timestamp.
    chrono::SubsecRound::trunc_subsecs(time, 0).fixed_offset()
}

/// HTML (feed summaries and contents) to plain Markdown paragraphs: tags removed,
/// paragraphs and line breaks kept, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut spaced = String::with_capacity(html.len() + 32);
    let lower = html.to_ascii_lowercase();
    let mut last = 0;
    for (i, _) in lower.match_indices('<') {
        let tag = &lower[i..];
        if [
            "<p",
            "<br",
            "<div",
            "<li",
            "<h1",
            "<h2",
            "<h3",
            "<h4",
            "<blockquote",
            "</p",
            "</div",
            "</li",
        ]
        .iter()
        .any(|t| tag.starts_with(t))
        {
            spaced.push_str(&html[last..i]);
            spaced.push_str("\n\n");
            last = i;
        }
    }
    spaced.push_str(&html[last..]);
    let text = ammonia::Builder::empty().clean(&spaced).to_string();
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split("\n\n")
        .map(crate::markdown::collapse_whitespace)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            Format::Feed
        );
        assert_eq!(
            detect(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Format::Feed
        );
        assert_eq!(
            detect(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            Format::Feed
        );
        assert_eq!(detect(b"<!DOCTYPE html><html lang=\"ar\">"), Format::Html);
        assert_eq!(detect(b"Headline\n\nBody text."), Format::Text);
    }

    #[test]
    fn html_becomes_paragraphs() {
        assert_eq!(
            html_to_text("<p>One &amp; <b>two</b>.</p><p>Three<br>four</p><script>x</script>"),
            "One & two.\n\nThree\n\nfour"
        );
    }
}
