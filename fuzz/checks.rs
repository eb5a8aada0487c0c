#![allow(dead_code)] // each target uses one check; the regression test uses all

//! The checks the fuzz targets run, shared with `tests/integration/fuzz.rs`, which runs
//! them on every reproducer in `fuzz/regressions/` and on the test fixtures. Each check
//! takes arbitrary bytes and panics only when an invariant breaks: errors for bad input
//! are expected, panics, hangs and wrong output are not.

use std::path::Path;
use std::sync::OnceLock;

use briefing::config::Site;
use briefing::diagnostics::Diagnostics;

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let mut diags = Diagnostics::default();
        briefing::config::load(Path::new("/nonexistent/briefing.yaml"), None, &mut diags)
    })
}

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// An article file: front matter split, YAML or TOML, dates, topics, sources, slugs,
/// limits. Every problem names a line inside the file; a usable article has a slug
/// that is a safe relative path.
pub fn article(data: &[u8]) {
    let text = text(data);
    let lines = text.lines().count().max(1);
    let (article, problems) = briefing::load::article("a.md", Path::new("a.md"), &text, site());
    for p in &problems {
        if let Some(line) = p.line {
            assert!(
                (1..=lines + 1).contains(&line),
                "line {line} of {lines}: {}",
                p.message
            );
        }
    }
    if let Some(a) = article {
        assert!(
            briefing::write::safe_join(Path::new("/out"), &format!("{}.html", a.slug)).is_ok(),
            "unsafe slug {:?}",
            a.slug
        );
        assert!(!a.title.is_empty(), "empty title accepted");
    }
}

/// Dates: whatever parses as a day prints back as the same day; timestamps and event
/// dates never panic.
pub fn dates(data: &[u8]) {
    let text = text(data);
    let tz = chrono_tz::Asia::Baghdad;
    let _ = briefing::dates::parse_timestamp(&text, tz);
    let _ = briefing::dates::parse_event_date(&text, tz);
    let _ = briefing::dates::parse_tz(&text);
    if let Ok(day) = briefing::dates::parse_day(&text) {
        let again = briefing::dates::parse_day(&day.format("%Y-%m-%d").to_string());
        assert_eq!(again, Ok(day), "{text:?} does not round-trip");
    }
}

/// Slugs are `[a-z0-9-]*` without leading, trailing or doubled dashes, and stable.
pub fn slug(data: &[u8]) {
    let text = text(data);
    let s = briefing::model::slugify(&text);
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{s:?}"
    );
    assert!(
        !s.starts_with('-') && !s.ends_with('-') && !s.contains("--"),
        "{s:?}"
    );
    assert_eq!(briefing::model::slugify(&s), s, "not idempotent");
    let from_path = briefing::load::default_slug(&text);
    assert!(
        from_path.is_empty() || briefing::write::safe_join(Path::new("/out"), &from_path).is_ok(),
        "{from_path:?}"
    );
}

/// Imports (text clippings, saved pages, feeds): never panic, and every article they
/// make is a file `build` accepts.
pub fn import(data: &[u8]) {
    use briefing::import::{Format, article_text, parse};
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => Format::Auto,
        1 => Format::Text,
        2 => Format::Html,
        _ => Format::Feed,
    };
    let mtime = chrono::DateTime::parse_from_rfc3339("2025-04-23T08:00:00+03:00").expect("valid");
    let Ok(drafts) = parse(bytes, "input", format, mtime, chrono_tz::UTC) else {
        return;
    };
    for draft in drafts {
        let file = article_text(&draft, &["topic".to_string()], false);
        let (article, problems) = briefing::load::article("a.md", Path::new("a.md"), &file, site());
        let errors: Vec<_> = problems
            .iter()
            .filter(|p| p.severity == briefing::diagnostics::Severity::Error)
            .map(|p| &p.message)
            .collect();
        assert!(
            article.is_some() && errors.is_empty(),
            "import wrote a file build rejects: {errors:?}\n{file}"
        );
    }
}

/// The temporal tagger: spans are in range and point at the text they claim, and the
/// build's mode finds a subset of what the full tagger finds; for a plain document date
/// and for one published late in its day (see `briefing::temporal::Dct`).
pub fn temporal(data: &[u8]) {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 4, 18).expect("valid");
    for next_day_near in [false, true] {
        temporal_at(data, briefing::temporal::Dct { day, next_day_near });
    }
}

fn temporal_at(data: &[u8], dct: briefing::temporal::Dct) {
    let text = text(data);
    let chars: Vec<char> = text.chars().collect();
    let full = briefing::temporal::tag(&text, dct);
    for m in &full {
        assert!(m.start < m.end && m.end <= chars.len(), "{m:?}");
        let span: String = chars[m.start..m.end].iter().collect();
        assert_eq!(span, m.text);
        assert!((0.0..=1.0).contains(&m.confidence));
    }
    for m in briefing::temporal::tag_placeable(&text, dct) {
        assert!(
            full.iter()
                .any(|f| f.start == m.start && f.end == m.end && f.value == m.value),
            "{m:?} not found by the full tagger"
        );
    }
    // As Markdown: the prose keeps every character's place, its blocks start lines,
    // and what a build keeps of it the full tagger finds too.
    let prose = briefing::temporal::prose_of_markdown(&text);
    assert_eq!(prose.text.chars().count(), chars.len());
    assert!(
        prose.blocks.windows(2).all(|w| w[0] <= w[1]),
        "{:?}",
        prose.blocks
    );
    assert!(
        prose
            .blocks
            .iter()
            .all(|&b| b == 0 || prose.text.as_bytes().get(b - 1) == Some(&b'\n')),
        "{:?}",
        prose.blocks
    );
    let full = briefing::temporal::tag_prose(&prose, dct);
    for m in briefing::temporal::tag_placeable_where(&prose, dct, |_| true) {
        assert!(
            full.iter()
                .any(|f| f.start == m.start && f.end == m.end && f.value == m.value),
            "{m:?} not found by the full tagger in the prose"
        );
    }
}

/// Markdown to HTML with sanitising: no script, no event handler, no `javascript:`,
/// `vbscript:` or `data:` URL survives.
pub fn markdown(data: &[u8]) {
    let text = text(data);
    let html = briefing::markdown::render(&text, false);
    let bad = live_script(&html);
    assert!(bad.is_empty(), "unsafe HTML {bad:?} in {html}");
    let (html, _) = briefing::markdown::to_html(&text, false, |p| Some(format!("x/{p}")));
    let bad = live_script(&html);
    assert!(bad.is_empty(), "unsafe HTML {bad:?} in {html}");
    let _ = briefing::markdown::plain_text(&text);
    let _ = briefing::markdown::first_paragraph_text(&text);
}

/// The tags in `html` that could run script: a script, frame, object, embed, style, base
/// or refresh element (other than the site's own search script), an event-handler
/// attribute, or a URL attribute whose value (entities decoded, spaces and controls
/// dropped) starts with `javascript:`, `vbscript:` or `data:` (other than the site's
/// empty `data:,` icon). Text and attribute values are escaped, so every `<` left starts
/// a real tag, and quoted attribute values are inert.
pub fn live_script(html: &str) -> Vec<String> {
    struct Patterns {
        tag: regex::Regex,
        quoted: regex::Regex,
        handler: regex::Regex,
        element: regex::Regex,
        url_attr: regex::Regex,
        entity: regex::Regex,
    }
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    let p = PATTERNS.get_or_init(|| Patterns {
        tag: regex::Regex::new(r"<[a-zA-Z][^>]*>?").expect("valid"),
        quoted: regex::Regex::new(r#""[^"]*"|'[^']*'"#).expect("valid"),
        handler: regex::Regex::new(r"(?i)[\s/]on[a-z]+\s*=").expect("valid"),
        element: regex::Regex::new(
            r"(?i)^<(script|iframe|frame|object|embed|style|base|meta\s+http-equiv)\b",
        )
        .expect("valid"),
        url_attr: regex::Regex::new(
            r#"(?i)[\s/](href|src|action|formaction|data|poster|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#,
        )
        .expect("valid"),
        entity: regex::Regex::new(r"&#(x[0-9a-fA-F]+|[0-9]+);?").expect("valid"),
    });
    let own_script = |t: &str| t.starts_with("<script src=\"") && t.contains("assets/search.js");
    let mut found = Vec::new();
    for m in p.tag.find_iter(html) {
        let t = m.as_str();
        let mut bad = p.element.is_match(t) && !own_script(t);
        bad |= p.handler.is_match(&p.quoted.replace_all(t, "\"\""));
        for caps in p.url_attr.captures_iter(t) {
            let raw = caps[2].trim_matches(|c| c == '"' || c == '\'');
            let decoded = p.entity.replace_all(raw, |c: &regex::Captures| {
                let n = &c[1];
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
                    .map(String::from)
                    .unwrap_or_default()
            });
            let squeezed: String = decoded
                .replace("&colon;", ":")
                .replace("&Tab;", "")
                .replace("&NewLine;", "")
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let scheme_bad = ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| squeezed.starts_with(s));
            bad |= scheme_bad && squeezed != "data:,";
        }
        if bad {
            found.push(t.to_string());
        }
    }
    found
}

/// A check over arbitrary bytes.
pub type Check = fn(&[u8]);

/// Every check by name, for the regression runner.
pub const CHECKS: &[(&str, Check)] = &[
    ("article", article),
    ("dates", dates),
    ("slug", slug),
    ("import", import),
    ("temporal", temporal),
    ("markdown", markdown),
    ("meaning", meaning),
];

/// The meaning feature's word pieces and vectors, on any title and summary: known piece
/// ids only, the same pieces every time, a text exactly like itself, and a cosine
/// between any two texts.
pub fn meaning(data: &[u8]) {
    let text = text(data);
    let (a, b) = text.split_at(
        text.char_indices()
            .nth(text.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    let pieces = briefing::meaning::pieces(a);
    assert!(
        pieces
            .iter()
            .all(|&id| (id as usize) < briefing::meaning::vocabulary_size()),
        "unknown piece id"
    );
    assert_eq!(
        briefing::meaning::pieces(a),
        pieces,
        "pieces differ between runs"
    );
    let (x, y) = (briefing::meaning::of(a), briefing::meaning::of(b));
    let itself = x.similarity(&x);
    assert!(
        (pieces.is_empty() && itself == 0.0) || (itself - 1.0).abs() < 1e-3,
        "{a:?} is {itself} like itself"
    );
    let s = x.similarity(&y);
    assert!((-1.0001..=1.0001).contains(&s), "cosine {s}");
}
