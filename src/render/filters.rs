//! Template filters: `date`, `markdown`, `slugify`, `relative_url`.
//!
//! Part of the RENDER stage. Filters that depend on the site (time zone, HTML policy)
//! capture it when registered.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::markdown;
use crate::model;

/// The context variable holding the output path of the page being rendered, relative to
/// the output folder (`topics/gaza-war/index.html`). `relative_url` reads it.
pub const CURRENT_PATH: &str = "current_path";

/// Registers every filter on `tera`.
pub fn register(tera: &mut Tera, tz: Tz, unsafe_html: bool) {
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d %H:%M");
            format_date(value, format, tz).map_err(tera::Error::message)
        },
    );
    tera.register_filter(
        "markdown",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let html = markdown::render(value, unsafe_html);
            let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
            let html = if inline { strip_paragraph(&html) } else { html };
            Ok(Value::safe_string(&html))
        },
    );
    tera.register_filter("escape_markdown", |value: &str, _: Kwargs, _: &State| {
        escape_markdown(value)
    });
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        model::slugify(value)
    });
    tera.register_filter(
        "relative_url",
        |value: &str, _: Kwargs, state: &State| -> TeraResult<String> {
            let from = state.get::<String>(CURRENT_PATH)?.unwrap_or_default();
            if from.is_empty() {
                // Rendered outside the site (digest, render): absolute links when the
                // site's public URL is known.
                let site = state.get::<Value>("site")?;
                let base = site
                    .as_ref()
                    .and_then(|s| s.get_from_path("base_url"))
                    .and_then(|b| b.as_str().map(str::to_string))
                    .unwrap_or_default();
                if !base.is_empty() && !value.contains("://") && !value.starts_with('#') {
                    return Ok(format!("{base}{}", relative_url("", value)));
                }
            }
            Ok(relative_url(&from, value))
        },
    );
}

/// Formats a date string from the context (RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or
/// `YYYY-MM-DD`) with a strftime `format`, in time zone `tz`.
pub fn format_date(value: &str, format: &str, tz: Tz) -> Result<String, String> {
    use std::fmt::Write;
    let mut out = String::new();
    let result = if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        write!(out, "{}", dt.with_timezone(&tz).format(format))
    } else if let Ok(dt) = NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M"))
    {
        write!(out, "{}", dt.format(format))
    } else if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        write!(out, "{}", d.format(format))
    } else {
        return Err(format!("`date` filter: `{value}` is not a date"));
    };
    // chrono reports an invalid format string (or a time field on a plain date) as a
    // fmt::Error rather than panicking only when written with `write!`.
    result.map_err(|_| format!("`date` filter: format `{format}` does not fit `{value}`"))?;
    Ok(out)
}

/// A link from page `from` (a path relative to the output root, such as
/// `topics/x/index.html`) to `target` (also relative to the root). Absolute URLs and
/// fragments are returned unchanged; folder targets get `index.html` so links work when
/// the site is opened from disk.
pub fn relative_url(from: &str, target: &str) -> String {
    if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
        return target.to_string();
    }
    let target = target.trim_start_matches('/');
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let mut path = path.to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let depth = from.matches('/').count();
    let mut url = "../".repeat(depth);
    url.push_str(&path);
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Escapes characters that Markdown would read as markup (`*`, `_`, `[`, `]`, `<`, `` ` ``,
/// `\\`, `|`), and a leading `#`, so titles and summaries paste as the text they are.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    if text.starts_with('#') {
        out.push('\\');
    }
    // The marks are ASCII, so they are found byte by byte and the text between them is
    // copied whole (every Markdown output runs titles and summaries through this).
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        if matches!(
            b,
            b'\\' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'`' | b'|'
        ) {
            out.push_str(&text[last..i]);
            out.push('\\');
            last = i;
        }
    }
    out.push_str(&text[last..]);
    out
}

fn strip_paragraph(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("index.html", "topics/x/index.html", "topics/x/index.html")]
    #[test_case("topics/x/index.html", "articles/a/", "../../articles/a/index.html")]
    #[test_case("topics/x/index.html", "", "../../index.html")]
    #[test_case("articles/a/index.html", "assets/style.css", "../../assets/style.css")]
    #[test_case("topics/index.html", "topics/x.md#top", "../topics/x.md#top")]
    #[test_case("a/index.html", "https://example.org/", "https://example.org/")]
    #[test_case("a/index.html", "#main", "#main")]
    fn relative_urls(from: &str, target: &str, expected: &str) {
        assert_eq!(relative_url(from, target), expected);
    }

    #[test]
    fn escapes_markdown() {
        assert_eq!(escape_markdown("# a*b_[c]"), "\\# a\\*b\\_\\[c\\]");
        assert_eq!(escape_markdown("plain, text."), "plain, text.");
        assert_eq!(escape_markdown("é|ü_*"), "é\\|ü\\_\\*");
        assert_eq!(escape_markdown("#"), "\\#");
        assert_eq!(escape_markdown(""), "");
    }

    #[test]
    fn dates_in_site_zone() {
        let tz = chrono_tz::Asia::Baghdad;
        assert_eq!(
            format_date("2020-06-22T10:22:00+00:00", "%H:%M %Z", tz).unwrap(),
            "13:22 +03"
        );
        assert_eq!(
            format_date("2020-06-19", "%A %-d %B", tz).unwrap(),
            "Friday 19 June"
        );
        assert!(format_date("2020-06-19", "%H:%M", tz).is_err());
        assert!(format_date("soon", "%Y", tz).is_err());
    }

    /// What `escape_markdown` must give: every mark, and a leading `#`, escaped, one
    /// character at a time.
    fn escape_markdown_by_chars(text: &str) -> String {
        let mut out = String::new();
        for (i, c) in text.chars().enumerate() {
            if (i == 0 && c == '#')
                || matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|')
            {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escape_markdown_matches_a_char_loop(text in "[#a-zé\\\\*_\\[\\]<>`| ]{0,40}") {
            proptest::prop_assert_eq!(escape_markdown(&text), escape_markdown_by_chars(&text));
        }
    }
}
