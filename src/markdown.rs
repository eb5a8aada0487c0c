//! Markdown: pulldown-cmark options in one place, body → HTML, summaries, and rewriting
//! of links between articles.
//!
//! Used by LOAD (default summaries) and RENDER (article bodies, the `markdown` filter).
//! Output HTML is sanitised with ammonia unless the site sets `unsafe_html: true`.

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The Markdown dialect: CommonMark plus tables, footnotes, strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A link in a body that looked like a link to another article but matched none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The link target as written.
    pub target: String,
    /// 0-based line within the body.
    pub body_line: usize,
}

/// Renders `body` to HTML. Relative links to `*.md` files are passed to `resolve`, which
/// returns the URL to use instead (or `None` when no article matches: the link text is
/// kept without its anchor and the link is reported). Raw HTML is sanitised unless `unsafe_html`.
pub fn to_html(
    body: &str,
    unsafe_html: bool,
    mut resolve: impl FnMut(&str) -> Option<String>,
) -> (String, Vec<BrokenLink>) {
    let mut broken = Vec::new();
    // pulldown-cmark escapes text and attributes itself; what it lets through unchanged
    // is raw HTML and the scheme of link and image URLs. Only when one of those appears
    // does the output need the (costly) HTML sanitiser.
    let mut needs_sanitising = false;
    // A link whose article is not part of this build loses its anchor but keeps its
    // text, so the page never links to a file that does not exist.
    let mut dropping = false;
    let parser = Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if is_article_link(&dest_url) => {
                let (path, fragment) = match dest_url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (dest_url.as_ref(), None),
                };
                match resolve(path) {
                    Some(url) => Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(match fragment {
                            Some(f) => format!("{url}#{f}"),
                            None => url,
                        }),
                        title,
                        id,
                    })),
                    None => {
                        broken.push(BrokenLink {
                            target: dest_url.to_string(),
                            body_line: body[..range.start].matches('\n').count(),
                        });
                        dropping = true;
                        None
                    }
                }
            }
            Event::End(TagEnd::Link) if dropping => {
                dropping = false;
                None
            }
            other => {
                match &other {
                    Event::Html(_) | Event::InlineHtml(_) => needs_sanitising = true,
                    Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                        if !safe_url(dest_url) =>
                    {
                        needs_sanitising = true;
                    }
                    _ => {}
                }
                Some(other)
            }
        });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    if unsafe_html || !needs_sanitising {
        (html, broken)
    } else {
        (sanitise(&html), broken)
    }
}

/// True for URLs the sanitiser would keep as they are: relative ones and the schemes
/// http, https and mailto.
fn safe_url(url: &str) -> bool {
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].find(':') {
        None => true,
        Some(colon) => {
            let scheme = &url[..colon];
            ["http", "https", "mailto"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme))
        }
    }
}

/// Deepest nesting of HTML elements accepted, as in browsers (Blink stops nesting at
/// 512): HTML parsers, the sanitiser's included, slow down with the square of depth.
pub const MAX_HTML_DEPTH: usize = 512;

/// An estimate of how deeply the HTML tags in `text` nest, from a scan of its tags (no
/// parsing): elements that close themselves or are closed implicitly (`br`, `img`, `p`,
/// `li`, `td`…) do not count, comments and `<script>`/`<style>` contents are skipped.
/// Returns the depth reached and the byte offset of the tag that first went deeper than
/// [`MAX_HTML_DEPTH`] (or that reached the depth, when it stays within it).
pub fn html_depth(text: &str) -> (usize, usize) {
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "!doctype",
    ];
    let bytes = text.as_bytes();
    let next_lt = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'<')
            .map(|p| from + p)
    };
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while let Some(lt) = next_lt(i) {
        i = lt + 1;
        if bytes[i..].starts_with(b"!--") {
            i = text[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!' || **b == b'-')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let Some(tag_end) = next_gt(bytes, name_start) else {
            continue;
        };
        if FLAT.iter().any(|f| f.as_bytes().eq_ignore_ascii_case(name))
            || bytes[..tag_end].ends_with(b"/")
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
            // Skip to the matching close tag: its content is not markup.
            let mut j = tag_end;
            i = loop {
                match next_lt(j) {
                    Some(k)
                        if bytes.get(k + 1) == Some(&b'/')
                            && bytes
                                .get(k + 2..k + 2 + name.len())
                                .is_some_and(|n| n.eq_ignore_ascii_case(name)) =>
                    {
                        break k;
                    }
                    Some(k) => j = k + 1,
                    None => break bytes.len(),
                }
            };
        } else {
            depth += 1;
            if depth > deepest {
                deepest = depth;
                // Where the nesting first goes past the limit (or deepest, below it).
                if deepest <= MAX_HTML_DEPTH + 1 {
                    at = lt;
                }
            }
        }
    }
    (deepest, at)
}

/// The offset of the `>` ending the tag whose name starts at `from`, looked for within
/// 512 bytes (a `<` that never closes is not a tag; an unbounded search would make
/// `<a<a<a…` quadratic).
fn next_gt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .take(512)
        .position(|&b| b == b'>')
        .map(|p| from + p)
}

/// Renders Markdown (summaries, descriptions) to sanitised HTML, without link rewriting.
pub fn render(text: &str, unsafe_html: bool) -> String {
    to_html(text, unsafe_html, |_| None).0
}

/// Cleans HTML with an allow-list: scripts, event handlers, `javascript:` URLs and
/// styles go; text structure, links (with `rel="noopener noreferrer"`), tables, images,
/// footnotes and heading ids stay.
pub fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "dir"]);
            b.add_tag_attributes("input", ["type", "checked", "disabled"]);
            b.add_tags(["input"]);
            b.add_tag_attributes("td", ["style"]);
            b.add_tag_attributes("th", ["style"]);
            b.add_allowed_classes("div", ["footnote-definition"]);
            b.add_allowed_classes("sup", ["footnote-reference"]);
            b.add_allowed_classes("span", ["footnote-definition-label"]);
            b.filter_style_properties(std::iter::once("text-align").collect());
            b
        })
        .clean(html)
        .to_string()
}

/// The first paragraph of `body` as plain text (the default summary).
pub fn first_paragraph_text(body: &str) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut started = false;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Paragraph) if !started && depth == 0 => {
                started = true;
            }
            Event::End(TagEnd::Paragraph) if started => break,
            Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if started => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if started => text.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

/// Markdown → plain text (for one-line summaries in Markdown outputs and feeds).
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

/// `s` with its runs of whitespace made single spaces and trimmed: the words joined by
/// one space.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    // Most text needs nothing done: printable ASCII with single spaces between
    // words, copied whole.
    let b = s.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        // Without a branch per byte, so that the test runs on many bytes at once.
        && b.iter().fold(true, |ok, &c| ok & (b' '..=b'~').contains(&c))
        && memchr::memmem::find(b, b"  ").is_none()
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A relative link to a Markdown file: no scheme, not absolute, path ends in `.md`.
fn is_article_link(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or("");
    !url.contains("://")
        && !url.starts_with('/')
        && !url.starts_with("mailto:")
        && path.to_ascii_lowercase().ends_with(".md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_depth_counts_nesting_not_tags() {
        assert_eq!(html_depth("no tags at all, 1 < 2").0, 0);
        assert_eq!(html_depth("<div><div><b>x</b></div></div>"), (3, 10));
        // Void, implicitly closed and self-closing elements do not nest.
        let flat = "<p>a<p>b<br><img src=x><li>c<hr/><td>d".repeat(1000);
        assert_eq!(html_depth(&flat).0, 0);
        assert_eq!(html_depth("<DIV><Span>x</span></DIV>").0, 2);
        // Comments and script contents are not markup.
        assert_eq!(
            html_depth("<!-- <div><div> --><script>'<div><div>'</SCRIPT>").0,
            0
        );
        assert_eq!(html_depth(&"<div>".repeat(600)).0, 600);
        // A `<` that never closes is not a tag, and costs linear time.
        assert_eq!(html_depth(&"<a".repeat(200_000)).0, 0);
    }

    #[test]
    fn rewrites_article_links_and_reports_broken_ones() {
        let body = "See [a](../2020/a.md#top) and\n[b](missing.md) and [c](https://x.org/c.md).";
        let (html, broken) = to_html(body, false, |p| {
            (p == "../2020/a.md").then(|| "../a/index.html".to_string())
        });
        assert!(html.contains(r#"href="../a/index.html#top""#), "{html}");
        assert!(html.contains(r#"href="https://x.org/c.md""#), "{html}");
        assert!(
            !html.contains("missing.md") && html.contains("\nb and "),
            "{html}"
        );
        assert_eq!(
            broken,
            [BrokenLink {
                target: "missing.md".into(),
                body_line: 1
            }]
        );
    }

    #[test]
    fn sanitises_unless_unsafe() {
        let body =
            "Hi <script>alert(1)</script><a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>";
        let (safe, _) = to_html(body, false, |_| None);
        assert!(
            !safe.contains("script") && !safe.contains("javascript") && !safe.contains("onclick"),
            "{safe}"
        );
        let (raw, _) = to_html(body, true, |_| None);
        assert!(raw.contains("<script>"), "{raw}");
    }

    #[test]
    fn markdown_links_with_dangerous_schemes_are_cleaned() {
        for body in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "![x](data:text/html;base64,AAAA)",
            "[x](vbscript:msgbox)",
        ] {
            let (html, _) = to_html(body, false, |_| None);
            let lower = html.to_ascii_lowercase();
            assert!(
                !lower.contains("javascript:")
                    && !lower.contains("data:")
                    && !lower.contains("vbscript:"),
                "{body}: {html}"
            );
        }
        let (html, _) = to_html(
            "[ok](https://x.org/a?b=1&c=2) [rel](../a.html#x) [m](mailto:a@b.c)",
            false,
            |_| None,
        );
        assert_eq!(
            html,
            "<p><a href=\"https://x.org/a?b=1&amp;c=2\">ok</a> <a href=\"../a.html#x\">rel</a> <a href=\"mailto:a@b.c\">m</a></p>\n"
        );
    }

    #[test]
    fn keeps_tables_footnotes_and_strikethrough() {
        let body = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n";
        let (html, _) = to_html(body, false, |_| None);
        assert!(
            html.contains("<table>") && html.contains("<del>old</del>"),
            "{html}"
        );
        assert!(
            html.contains("footnote-definition") && html.contains("id=\"1\""),
            "{html}"
        );
    }

    proptest::proptest! {
        /// Whatever the Markdown, with or without the sanitiser's help, no script, event
        /// handler or dangerous URL reaches the page.
        #[test]
        fn output_is_always_safe(
            body in "(\\[|\\]|\\(|\\)|<|>|!|\"|'|`|:|=|/|javascript|data|script|img|onerror|a href|src| |\n|x){0,60}"
        ) {
            let (html, _) = to_html(&body, false, |_| None);
            let lower = html.to_ascii_lowercase();
            // Look inside tags only: the same words in text are harmless.
            for tag in lower.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
                proptest::prop_assert!(!tag.starts_with("script"), "{}", html);
                proptest::prop_assert!(!tag.contains("=\"javascript:"), "{}", html);
                proptest::prop_assert!(!tag.contains("=\"data:"), "{}", html);
                let handler = tag.split_whitespace().skip(1).any(|attr| {
                    attr.split_once('=').is_some_and(|(name, _)| {
                        name.starts_with("on") && name.bytes().all(|b| b.is_ascii_lowercase())
                    })
                });
                proptest::prop_assert!(!handler, "{}", html);
            }
        }
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let body = "\nThe *first* paragraph,\nwith `code`.\n\nSecond.";
        assert_eq!(
            first_paragraph_text(body),
            "The first paragraph, with code."
        );
        assert_eq!(first_paragraph_text("# Heading only"), "");
    }
}
