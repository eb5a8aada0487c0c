//! Front matter: split the `---` (YAML) or `+++` (TOML) block off a file and parse it.
//!
//! Part of the LOAD stage. Line numbers reported here are the file's own: the YAML parser
//! is handed a slice that starts at the newline ending the opening fence, so its line 1 is
//! the fence line and every later line keeps its number (Zola issue #1133 fixed the same
//! off-by-one). This module is the only place that knows which YAML crate is used.

use serde::de::DeserializeOwned;

/// Limits on what one article may hold. They are far above any real article and far
/// below what makes parsing slow: hostile or broken files get an error instead.
pub mod limits {
    /// Largest article file (bytes).
    pub const FILE_BYTES: u64 = 4 * 1024 * 1024;
    /// Largest front matter (bytes).
    pub const FRONT_MATTER_BYTES: usize = 64 * 1024;
    /// Deepest nesting of lists and mappings in front matter (and `briefing.yaml`).
    pub const DEPTH: usize = 16;
    /// Most YAML aliases (`*name`) in one front matter: alias bombs stop here.
    pub const ALIASES: usize = 100;
    /// Most YAML nodes (scalars, lists, mappings) in one front matter.
    pub const NODES: usize = 20_000;
    /// Most topics on one article.
    pub const TOPICS: usize = 32;
    /// Most sources on one article.
    pub const SOURCES: usize = 100;
    /// Most dated mentions kept from one article for "Mentioned in coverage" (the first
    /// ones in the text).
    pub const MENTIONS: usize = 1_000;
}

/// Which syntax the front matter is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fences.
    Yaml,
    /// `+++` fences.
    Toml,
}

/// A file split into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The syntax.
    pub format: Format,
    /// The front matter text, starting with the newline that ends the opening fence, so
    /// that line N of this text is line N of the file.
    pub front_matter: &'a str,
    /// Everything after the closing fence line.
    pub body: &'a str,
    /// 1-based file line of the body's first line.
    pub body_line: usize,
}

/// A parse problem with its position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// 1-based file line.
    pub line: Option<usize>,
    /// 1-based column.
    pub col: Option<usize>,
}

impl ParseError {
    fn at(message: impl Into<String>, line: usize, col: usize) -> Self {
        ParseError {
            message: message.into(),
            line: Some(line),
            col: Some(col),
        }
    }
}

/// Strips a UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Splits `text` (BOM already stripped) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, ParseError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    let (format, fence) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(ParseError::at(
                "couldn't find front matter: the file must start with a `---` line (YAML) or a `+++` line (TOML)",
                1,
                1,
            ));
        }
    };
    let mut offset = first_end;
    let mut line = 1;
    while offset < text.len() {
        // `offset` points at the '\n' ending the previous line.
        let start = offset + 1;
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        line += 1;
        if text[start..end].trim_end() == fence {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                format,
                front_matter: &text[first_end..start],
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end;
    }
    Err(ParseError::at(
        format!("front matter opened on line 1 is never closed: add a `{fence}` line after it"),
        1,
        1,
    ))
}

/// Parses YAML into `T`. `line_offset` is added to the parser's line numbers.
pub fn parse_yaml<T: DeserializeOwned>(text: &str, line_offset: usize) -> Result<T, ParseError> {
    let budget = serde_saphyr::budget! {
        max_depth: limits::DEPTH,
        max_aliases: limits::ALIASES,
        max_nodes: limits::NODES,
    };
    let options = serde_saphyr::options! { budget: budget };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| {
        let location = e.location();
        let message = e.without_snippet().to_string();
        let message = strip_location(&message);
        ParseError {
            message: format!("invalid YAML: {message}"),
            line: location.map(|l| l.line() as usize + line_offset),
            col: location.map(|l| l.column() as usize),
        }
    })
}

/// Parses TOML into `T`. `text` starts at the newline ending the opening fence (as
/// [`Split::front_matter`]), so byte offsets map to file lines directly.
pub fn parse_toml<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    toml::from_str::<T>(text).map_err(|e| {
        let (line, col) = match e.span() {
            Some(span) => line_col(text, span.start),
            None => (1, 1),
        };
        ParseError::at(format!("invalid TOML: {}", e.message().trim()), line, col)
    })
}

/// Parses front matter of either syntax into a JSON-like map, with TOML dates turned
/// into strings so both syntaxes look the same to the article validator.
pub fn parse_map(
    split: &Split<'_>,
) -> Result<serde_json::Map<String, serde_json::Value>, ParseError> {
    check_shape(split.front_matter)?;
    let value: serde_json::Value = match split.format {
        Format::Yaml => {
            if split.front_matter.trim().is_empty() {
                serde_json::Value::Object(Default::default())
            } else {
                parse_yaml(split.front_matter, 0)?
            }
        }
        Format::Toml => {
            let table: toml::Table = parse_toml(split.front_matter)?;
            toml_to_json(toml::Value::Table(table))
        }
    };
    match value {
        serde_json::Value::Object(map) => Ok(map),
        serde_json::Value::Null => Ok(Default::default()),
        _ => Err(ParseError::at(
            "front matter must be a mapping of keys to values (`title: …`)",
            2,
            1,
        )),
    }
}

/// Checks, before any parser sees it, what parsers handle badly or report confusingly:
/// front matter over [`limits::FRONT_MATTER_BYTES`], brackets nested deeper than
/// [`limits::DEPTH`] (recursive parsers), and carriage returns without a line feed
/// (YAML counts them as line breaks, editors and these line numbers do not).
fn check_shape(front_matter: &str) -> Result<(), ParseError> {
    if front_matter.len() > limits::FRONT_MATTER_BYTES {
        return Err(ParseError::at(
            format!(
                "the front matter is {} KB; it may be at most {} KB (is the closing fence missing?)",
                front_matter.len() / 1024,
                limits::FRONT_MATTER_BYTES / 1024
            ),
            1,
            1,
        ));
    }
    let bytes = front_matter.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (_, b'\r') if bytes.get(i + 1) != Some(&b'\n') => {
                let (line, col) = line_col(front_matter, i);
                return Err(ParseError::at(
                    "a carriage return without a line feed (an old Mac line ending): save the file with LF or CRLF line endings",
                    line,
                    col,
                ));
            }
            // `\"` inside a double-quoted string does not end it.
            (Some(b'"'), b'\\') => escaped = !escaped,
            (Some(q), c) if c == q && !escaped => quote = None,
            (Some(_), _) => escaped = false,
            // A quote opens a string only where a value starts, not as an apostrophe
            // inside a word ("Israel's").
            (None, b'"' | b'\'') if value_starts(&bytes[..i]) => {
                quote = Some(b);
                escaped = false;
            }
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > limits::DEPTH {
                    let (line, col) = line_col(front_matter, i);
                    return Err(ParseError::at(
                        format!(
                            "lists and mappings are nested more than {} deep",
                            limits::DEPTH
                        ),
                        line,
                        col,
                    ));
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            (None, b'\n') => quote = None,
            _ => {}
        }
    }
    Ok(())
}

/// True when a value can start right after `before`: at the start of a line (after
/// indentation) or after `:`, `-`, `[`, `{`, `,` or `=` and spaces.
fn value_starts(before: &[u8]) -> bool {
    match before.iter().rev().find(|b| **b != b' ' && **b != b'\t') {
        None => true,
        Some(b) => matches!(b, b'\n' | b':' | b'-' | b'[' | b'{' | b',' | b'='),
    }
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The file line of top-level `key` in front matter `text` (whose line N is file line
/// N + `line_offset`), for YAML (`key:`) and TOML (`key =`).
pub fn key_line(text: &str, key: &str, line_offset: usize) -> Option<usize> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line
            .strip_prefix(key)
            .or_else(|| line.strip_prefix(&format!("\"{key}\"")))?;
        let rest = rest.trim_start();
        (rest.starts_with(':') || rest.starts_with('=')).then_some(i + 1 + line_offset)
    })
}

/// The file line of the first line in `text` containing `needle` (a URL, a topic name).
pub fn find_line(text: &str, needle: &str, line_offset: usize) -> Option<usize> {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|i| i + 1 + line_offset)
}

/// Removes a trailing "at line X column Y" that the YAML crate appends, since our
/// diagnostics print the position in front.
fn strip_location(message: &str) -> String {
    let message = message.trim();
    let cut = message.rfind(" at line ").filter(|&i| {
        message[i..]
            .trim_start_matches(" at line ")
            .starts_with(|c: char| c.is_ascii_digit())
    });
    match cut {
        Some(i) => message[..i].trim_end_matches(',').to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let deep = "[".repeat(20);
        // Inside quoted strings, escaped quotes included, brackets are text.
        assert!(check_shape(&format!("\ntitle: \"a \\\" {deep}\"\n")).is_ok());
        assert!(check_shape(&format!("\ntitle: '{deep}'\n")).is_ok());
        // An apostrophe in a word does not open a string that hides what follows.
        let hidden = format!("\ntitle: Israel's army\nx: {deep}1\n");
        assert_eq!(check_shape(&hidden).unwrap_err().line, Some(3));
        assert!(check_shape(&format!("\nx: {}1\n", "[".repeat(16))).is_ok());
    }

    #[test]
    fn splits_yaml_with_file_lines() {
        let text = "---\ntitle: A\ndate: 2020-01-01\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front_matter, "\ntitle: A\ndate: 2020-01-01\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(key_line(s.front_matter, "date", 0), Some(3));
    }

    #[test]
    fn splits_toml_and_crlf() {
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.body, "Body");
        let map = parse_map(&s).unwrap();
        assert_eq!(map["title"], "A");
    }

    #[test]
    fn missing_or_unclosed_fences() {
        let e = split("title: x\n").unwrap_err();
        assert!(e.message.contains("couldn't find front matter"));
        let e = split("---\ntitle: x\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn yaml_error_has_file_line() {
        let text = "---\ntitle: ok\ndate: 2020-01-01\ntopics: [a, b\n---\n";
        let s = split(text).unwrap();
        let e = parse_map(&s).unwrap_err();
        assert!(e.line.unwrap() >= 4, "{e:?}");
        assert!(e.message.starts_with("invalid YAML"), "{e:?}");
        assert!(!e.message.contains(" at line "), "{e:?}");
    }

    #[test]
    fn toml_error_has_file_line() {
        let text = "+++\ntitle = \"ok\"\ndate = \n+++\n";
        let s = split(text).unwrap();
        let e = parse_map(&s).unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
    }

    #[test]
    fn toml_dates_become_strings() {
        let s = split("+++\ndate = 2020-06-22\n+++\n").unwrap();
        assert_eq!(parse_map(&s).unwrap()["date"], "2020-06-22");
    }

    proptest! {
        #[test]
        fn split_round_trips(fm in "[a-z]{1,8}: [a-z0-9 ]{0,20}", body in "\\PC{0,200}") {
            let text = format!("---\n{fm}\n---\n{body}");
            let s = split(&text).unwrap();
            prop_assert_eq!(s.front_matter, format!("\n{fm}\n"));
            prop_assert_eq!(s.body, body.as_str());
        }

        #[test]
        fn split_never_panics(text in "\\PC{0,200}") {
            if let Ok(s) = split(&text) {
                let _ = parse_map(&s);
            }
        }
    }
}
