//! Saved web pages → a draft. Readability-style extraction by dom_smoothie (a port of
//! Mozilla's Readability): the main text as Markdown, and the page's metadata (JSON-LD
//! NewsArticle, OpenGraph and `article:published_time`, `<link rel=canonical>`,
//! `<html lang>`): title, author, date, canonical URL, site name, language.

use chrono::{DateTime, FixedOffset};

use super::text::latest_date;
use super::{Draft, DraftSource};

/// Below this many characters of main text a page is not an article (an index page, a
/// cookie wall).
const MIN_TEXT: usize = 250;

/// Parses a saved page into one draft.
pub fn parse(
    html: &str,
    mtime: DateTime<FixedOffset>,
    tz: chrono_tz::Tz,
) -> Result<Vec<Draft>, String> {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Markdown,
        ..dom_smoothie::Config::default()
    };
    let mut reader = dom_smoothie::Readability::new(html, None, Some(config))
        .map_err(|e| format!("cannot read the page: {e}"))?;
    let article = reader
        .parse()
        .map_err(|e| format!("no article found in the page ({e})"))?;
    let mut body = tidy(&article.text_content);
    // Readability often keeps the byline line ("By Mara Lind · 15 May 2025"): the author
    // goes to the front matter instead.
    if let Some(author) = article.byline.as_deref().filter(|a| !a.trim().is_empty())
        && let Some((first, rest)) = body.split_once("\n\n")
        && first.len() < 120
        && first.contains(author.trim())
    {
        body = rest.to_string();
    }
    if body.chars().count() < MIN_TEXT {
        return Err("no article found in the page: too little main text".into());
    }
    let title = article.title.trim().to_string();
    if title.is_empty() {
        return Err("the page has no title".into());
    }
    let url = canonical_url(html)
        .or_else(|| article.url.clone())
        .map(|u| u.trim().to_string())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let site = article
        .site_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| url.as_deref().and_then(super::host_name));
    let (date, date_source) = match article
        .published_time
        .as_deref()
        .and_then(|t| crate::dates::parse_timestamp(t, tz).ok())
    {
        Some(ts) => (ts.instant.with_timezone(&tz).fixed_offset(), None),
        None => match latest_date(&format!("{title}\n{body}")) {
            Some(day) => (super::midnight(day, tz, mtime), Some("text")),
            None => (mtime, Some("file-mtime")),
        },
    };
    let sources = match (site, url) {
        (Some(name), url) => vec![DraftSource { name, url }],
        (None, Some(url)) => vec![DraftSource {
            name: url.clone(),
            url: Some(url),
        }],
        (None, None) => Vec::new(),
    };
    Ok(vec![Draft {
        title,
        date,
        date_source,
        sources,
        summary: article
            .excerpt
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string),
        body,
        lang: article.lang.filter(|l| !l.trim().is_empty()),
        author: article.byline.filter(|b| !b.trim().is_empty()),
        image_caption: None,
    }])
}

/// The page's canonical URL: `<link rel="canonical" href>`, else `og:url`.
fn canonical_url(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let head_end = lower.find("</head>").unwrap_or(lower.len());
    let mut og = None;
    for (start, _) in lower[..head_end].match_indices('<') {
        let end = lower[start..head_end]
            .find('>')
            .map_or(head_end, |e| start + e);
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        if tag_lower.starts_with("<link")
            && attribute(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
            && let Some(href) = attribute(tag, "href")
        {
            return Some(href);
        }
        if tag_lower.starts_with("<meta")
            && attribute(tag, "property").is_some_and(|p| p.eq_ignore_ascii_case("og:url"))
        {
            og = og.or_else(|| attribute(tag, "content"));
        }
    }
    og
}

/// The value of attribute `name` in a tag's text (`name="v"`, `name='v'`), decoded for
/// `&amp;`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| from + i) {
        let before_ok = i > 0 && lower.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = lower[i + name.len()..].trim_start();
        if before_ok && rest.starts_with('=') {
            let offset = tag.len() - rest.len() + 1;
            let value = tag[offset..].trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(value[1..=end].replace("&amp;", "&"));
            }
        }
        from = i + name.len();
    }
    None
}

/// Trims trailing spaces and runs of blank lines from the extracted Markdown.
fn tidy(markdown: &str) -> String {
    // (Readability's Markdown can carry trailing spaces and blank-line runs.)
    let mut out = Vec::new();
    let mut blank = false;
    for line in markdown.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            if !blank && !out.is_empty() {
                out.push(String::new());
            }
            blank = true;
        } else {
            out.push(line.to_string());
            blank = false;
        }
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_canonical_urls() {
        let page = r#"<html><head><meta property="og:url" content="https://x.org/og"><link href='https://x.org/a?b=1&amp;c=2' rel="canonical"></head><body></body></html>"#;
        assert_eq!(
            canonical_url(page).as_deref(),
            Some("https://x.org/a?b=1&c=2")
        );
        let og_only = r#"<head><meta property="og:url" content="https://x.org/og"></head>"#;
        assert_eq!(canonical_url(og_only).as_deref(), Some("https://x.org/og"));
        assert_eq!(canonical_url("<head></head>"), None);
    }
}
