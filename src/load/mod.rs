//! LOAD: the content folder → validated [`Article`]s plus diagnostics.
//!
//! Walks `content/` (hidden files and folders skipped, sorted for determinism), reads and
//! parses every `*.md` file in parallel, and validates the front matter against the
//! article schema. A bad file produces diagnostics and is left out; it never stops the
//! others. This stage reads files and nothing else.

pub mod front_matter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use crate::cache::{self, CachedFile, ParsedFiles};
use crate::config::Site;
use crate::dates;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::markdown;
use crate::model::{Article, Importance, Source, TopicId, slugify};

/// Front matter keys with a meaning; any other key goes to `extra`.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "event_date",
    "topics",
    "sources",
    "summary",
    "location",
    "tags",
    "importance",
    "lang",
    "draft",
    "slug",
    "updated",
    "story",
    "merge",
];

/// Everything under `dir`, sorted by path, with hidden files and folders (`.name`)
/// skipped: the one walk behind content/, templates/ and imported folders.
pub fn walk_visible(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// The article files under `content`, sorted by path; hidden entries are skipped.
pub fn article_files(content: &Path) -> Result<Vec<PathBuf>, crate::Error> {
    let mut files = Vec::new();
    for entry in walk_visible(content) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(content).to_path_buf();
            crate::Error::read(&path, e.into())
        })?;
        // A symlink to a file counts as that file; symlinked folders are not entered
        // (no loops, nothing outside content/ by surprise).
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink() && entry.path().metadata().is_ok_and(|m| m.is_file()));
        if is_file && entry.path().extension().is_some_and(|x| x == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Loads every article under `content`. `base` is the folder paths are shown relative to.
pub fn articles(
    content: &Path,
    site: &Site,
    base: &Path,
) -> Result<(Vec<Article>, Diagnostics), crate::Error> {
    let (parsed, _) = parse_all(content, site, base, ParsedFiles::new())?;
    Ok(into_articles(parsed))
}

/// Parses every article file under `content`, taking the results for files whose size
/// and modification time have not changed from `previous` instead of parsing them again.
/// Returns the results by content-relative path (what the cache keeps for the next
/// run), and whether anything differs from `previous`.
pub fn parse_all(
    content: &Path,
    site: &Site,
    base: &Path,
    previous: ParsedFiles,
) -> Result<(ParsedFiles, bool), crate::Error> {
    parse_scanned(&scan(content)?, content, site, base, previous)
}

/// An article file with its size and modification time.
#[derive(Debug, Clone)]
pub struct FileStamp {
    /// The file.
    pub file: PathBuf,
    /// Its path relative to the content folder, `/`-separated.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time (ns since the epoch; -1 when unknown).
    pub mtime_ns: i128,
}

/// Every article file under `content` with its size and modification time, sorted
/// (stat calls run in parallel).
pub fn scan(content: &Path) -> Result<Vec<FileStamp>, crate::Error> {
    let files = article_files(content)?;
    Ok(files
        .into_par_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(content)
                .unwrap_or(&file)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let (size, mtime_ns) = std::fs::metadata(&file).map_or((0, -1), |m| cache::stamp(&m));
            FileStamp {
                file,
                rel,
                size,
                mtime_ns,
            }
        })
        .collect())
}

/// A hash of a scan: equal hashes mean no article file was added, removed or touched.
pub fn scan_hash(stamps: &[FileStamp]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for s in stamps {
        h.update(s.rel.as_bytes());
        h.update(&s.size.to_le_bytes());
        h.update(&s.mtime_ns.to_le_bytes());
    }
    h.digest()
}

/// [`parse_all`] over files already scanned.
pub fn parse_scanned(
    stamps: &[FileStamp],
    content: &Path,
    site: &Site,
    base: &Path,
    mut previous: ParsedFiles,
) -> Result<(ParsedFiles, bool), crate::Error> {
    // Parallel: parse the changed files; `None` means "unchanged".
    let results: Vec<(String, Option<CachedFile>)> = stamps
        .par_iter()
        .map(|stamp| {
            let (file, rel, size, mtime_ns) =
                (&stamp.file, stamp.rel.clone(), stamp.size, stamp.mtime_ns);
            if let Some(hit) = previous.get(&rel) {
                // Diagnostics name the file as seen from the working directory, which the
                // cache key includes, so cached ones can be shown as they are.
                if hit.size == size && hit.mtime_ns == mtime_ns && mtime_ns >= 0 {
                    return (rel, None);
                }
            }
            let shown = display_path(file, base);
            let (article, diagnostics) = match read_limited(file) {
                Ok(None) => (
                    None,
                    vec![
                        Diagnostic::error(
                            shown,
                            format!(
                                "the file is {:.1} MB; an article may be at most {} MB",
                                size as f64 / 1e6,
                                front_matter::limits::FILE_BYTES >> 20
                            ),
                        )
                        .at(1, 1),
                    ],
                ),
                Ok(Some(bytes)) => match utf8_text(bytes, &shown) {
                    Ok(text) => {
                        let (mut a, d) = article(&rel, &shown, &text, site);
                        if let Some(a) = &mut a {
                            a.file = file.clone();
                        }
                        (a, d)
                    }
                    Err(d) => (None, vec![d]),
                },
                Err(e) => (
                    None,
                    vec![Diagnostic::error(shown, format!("cannot read: {e}"))],
                ),
            };
            let entry = CachedFile {
                size,
                mtime_ns,
                article,
                diagnostics,
            };
            (rel, Some(entry))
        })
        .collect();
    let mut changed = results.len() != previous.len();
    let mut parsed = ParsedFiles::new();
    for (rel, entry) in results {
        let entry = match entry {
            Some(fresh) => {
                changed = true;
                fresh
            }
            None => {
                let mut hit = previous
                    .remove(&rel)
                    .expect("an unchanged file was in the cache");
                if let Some(a) = &mut hit.article {
                    let file = content.join(&rel);
                    a.display_path = display_path(&file, base);
                    a.file = file;
                }
                hit
            }
        };
        parsed.insert(rel, entry);
    }
    Ok((parsed, changed))
}

/// `bytes` as text, or an error at the line and column of the first byte that is not
/// UTF-8.
pub fn utf8_text(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let (line, col) = front_matter::line_col(valid, valid.len());
        Diagnostic::error(shown, "the file is not UTF-8 text (save it as UTF-8)").at(line, col)
    })
}

/// The bytes of `file`, or `None` when it is larger than an article may be (checked
/// while reading, so a file that grows meanwhile is caught too).
fn read_limited(file: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let limit = front_matter::limits::FILE_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The articles (in slug order) and diagnostics of parsed files, with duplicate slugs
/// reported.
pub fn into_articles(parsed: ParsedFiles) -> (Vec<Article>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut articles = Vec::with_capacity(parsed.len());
    for entry in parsed.into_values() {
        diags.extend(entry.diagnostics);
        articles.extend(entry.article);
    }
    check_slugs(&mut articles, &mut diags);
    // From here on, articles are in slug order: slugs are unique, and unlike paths they
    // are part of the output, so renaming or moving files changes nothing (ties in
    // every later ordering are broken by position in this list).
    articles.sort_by(|a, b| a.slug.cmp(&b.slug));
    (articles, diags)
}

/// Duplicate slugs are errors naming both files; the later file (by path) is dropped so
/// the rest of the run still works.
fn check_slugs(articles: &mut Vec<Article>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    articles.retain(|a| match seen.get(&a.slug) {
        Some(first) => {
            diags.push(Diagnostic::error(
                &a.display_path,
                format!(
                    "slug `{}` is already used by `{}`: set a different `slug:` in one of them",
                    a.slug,
                    first.display()
                ),
            ));
            false
        }
        None => {
            seen.insert(a.slug.clone(), a.display_path.clone());
            true
        }
    });
}

/// Parses and validates one article file. Returns the article when it is usable, and
/// every problem found (several per file are reported together).
pub fn article(
    rel_path: &str,
    shown: &Path,
    text: &str,
    site: &Site,
) -> (Option<Article>, Vec<Diagnostic>) {
    let text = front_matter::strip_bom(text);
    let mut problems = Vec::new();
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(e) => return (None, vec![located(shown, e)]),
    };
    let map = match front_matter::parse_map(&split) {
        Ok(m) => m,
        Err(e) => return (None, vec![located(shown, e)]),
    };
    let fm = split.front_matter;
    let line = |key: &str| front_matter::key_line(fm, key, 0);
    let mut err = |key: &str, message: String| {
        let mut d = Diagnostic::error(shown, message);
        d.line = line(key).or(Some(1));
        problems.push(d);
    };

    let title = match map.get("title") {
        None => {
            err("title", "missing required key `title`".into());
            None
        }
        Some(v) => match scalar_string(v) {
            Some(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
            Some(_) => {
                err("title", "`title` is empty".into());
                None
            }
            None => {
                err("title", format!("`title` must be text, found {}", kind(v)));
                None
            }
        },
    };
    let date = match map.get("date") {
        None => {
            err(
                "date",
                "missing required key `date` (when the article was reported)".into(),
            );
            None
        }
        Some(v) => match scalar_string(v) {
            Some(s) => match dates::parse_timestamp(&s, site.tz) {
                Ok(ts) => Some(ts),
                Err(m) => {
                    err("date", m);
                    None
                }
            },
            None => {
                err("date", format!("`date` must be a date, found {}", kind(v)));
                None
            }
        },
    };
    let updated = match map.get("updated") {
        None | Some(Value::Null) => None,
        Some(v) => match scalar_string(v) {
            Some(s) => match dates::parse_timestamp(&s, site.tz) {
                Ok(ts) => Some(ts),
                Err(m) => {
                    err("updated", m);
                    None
                }
            },
            None => {
                err(
                    "updated",
                    format!("`updated` must be a date, found {}", kind(v)),
                );
                None
            }
        },
    };
    let event_date = match map.get("event_date") {
        None | Some(Value::Null) => None,
        Some(v) => match scalar_string(v) {
            Some(s) => match dates::parse_event_date(&s, site.tz) {
                Ok(e) => Some(e),
                Err(m) => {
                    err("event_date", m);
                    None
                }
            },
            None => {
                err(
                    "event_date",
                    format!("`event_date` must be a date, found {}", kind(v)),
                );
                None
            }
        },
    };
    let mut topics: Vec<TopicId> = Vec::new();
    match string_list(map.get("topics")) {
        Ok(names) => {
            for name in names {
                match site.resolve_topic(&name) {
                    Some(id) if !topics.contains(&id) => topics.push(id),
                    Some(_) => {}
                    None => err("topics", format!("topic `{name}` has no letters or digits")),
                }
            }
        }
        Err(found) => err(
            "topics",
            format!("`topics` must be a list of names, found {found}"),
        ),
    }
    if topics.len() > front_matter::limits::TOPICS {
        err(
            "topics",
            format!(
                "{} topics; an article may have at most {}",
                topics.len(),
                front_matter::limits::TOPICS
            ),
        );
        topics.truncate(front_matter::limits::TOPICS);
    }
    if topics.is_empty() {
        topics.push(site.uncategorised());
    }
    let sources = match map.get("sources") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let mut items: Vec<&Value> = match v {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            if items.len() > front_matter::limits::SOURCES {
                err(
                    "sources",
                    format!(
                        "{} sources; an article may have at most {}",
                        items.len(),
                        front_matter::limits::SOURCES
                    ),
                );
                items.truncate(front_matter::limits::SOURCES);
            }
            let mut sources = Vec::new();
            for item in items {
                match source(item) {
                    Ok(s) => sources.push(s),
                    Err(SourceProblem::NoUrl(name)) => {
                        let mut d = Diagnostic::warning(
                            shown,
                            format!(
                                "source `{name}` has no `url` yet: add the link to the report (until then it is not shown)"
                            ),
                        );
                        d.line = front_matter::find_line(fm, &name, 0).or_else(|| line("sources"));
                        problems.push(d);
                    }
                    Err(SourceProblem::Invalid(message)) => {
                        let needle = match item {
                            Value::String(s) => Some(s.as_str()),
                            Value::Object(o) => o.get("url").and_then(Value::as_str),
                            _ => None,
                        };
                        let mut d = Diagnostic::error(shown, message);
                        d.line = needle
                            .and_then(|n| front_matter::find_line(fm, n, 0))
                            .or_else(|| line("sources"));
                        problems.push(d);
                    }
                }
            }
            sources
        }
    };
    let mut text_field = |key: &str| -> Option<String> {
        match map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => match scalar_string(v) {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s.trim().to_string()),
                None => {
                    let mut d = Diagnostic::error(
                        shown,
                        format!("`{key}` must be text, found {}", kind(v)),
                    );
                    d.line = line(key);
                    problems.push(d);
                    None
                }
            },
        }
    };
    let summary = text_field("summary");
    let location = text_field("location");
    let lang = text_field("lang");
    let slug_field = text_field("slug");
    let importance_text = text_field("importance");
    let mut err = |key: &str, message: String| {
        let mut d = Diagnostic::error(shown, message);
        d.line = line(key).or(Some(1));
        problems.push(d);
    };
    let lang = lang.filter(|tag| {
        let ok = is_language_tag(tag);
        if !ok {
            err(
                "lang",
                format!("`lang` must be a language tag such as `ar` or `en-GB`, found `{tag}`"),
            );
        }
        ok
    });
    let importance = match importance_text {
        None => Importance::Normal,
        Some(t) => Importance::parse(&t).unwrap_or_else(|| {
            err(
                "importance",
                format!("`importance` must be low, normal or high, found `{t}`"),
            );
            Importance::Normal
        }),
    };
    let tags = string_list(map.get("tags")).unwrap_or_else(|found| {
        err(
            "tags",
            format!("`tags` must be a list of words, found {found}"),
        );
        Vec::new()
    });
    let draft = match map.get("draft") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            err(
                "draft",
                format!("`draft` must be true or false, found {}", kind(v)),
            );
            false
        }
    };
    let story = match map.get("story") {
        None | Some(Value::Null) => None,
        Some(v) => match scalar_string(v).map(|s| slugify(&s)) {
            Some(id) if !id.is_empty() => Some(id),
            _ => {
                err(
                    "story",
                    format!(
                        "`story` must be a short id with letters or digits, found {}",
                        kind(v)
                    ),
                );
                None
            }
        },
    };
    let merge = match map.get("merge") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            err(
                "merge",
                format!("`merge` must be true or false, found {}", kind(v)),
            );
            true
        }
    };
    let slug = match &slug_field {
        Some(s) => {
            let slug = slugify(s);
            if slug.is_empty() {
                err("slug", format!("`slug` `{s}` has no letters or digits"));
            }
            slug
        }
        None => default_slug(rel_path),
    };
    let extra: BTreeMap<String, Value> = map
        .iter()
        .filter(|(k, _)| !KNOWN_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    let (Some(title), Some(date)) = (title, date) else {
        return (None, problems);
    };
    // A file name without letters or digits ("-.md", "!!.md"): the title gives the slug.
    let slug = if slug.is_empty() && slug_field.is_none() {
        slugify(&title)
    } else {
        slug
    };
    if slug.is_empty() {
        if slug_field.is_none() {
            let mut d = Diagnostic::error(
                shown,
                "neither the file name nor the title has letters or digits to make a URL from: add a `slug:`",
            );
            d.line = Some(1);
            problems.push(d);
        }
        return (None, problems);
    }
    // HTML parsers (the sanitiser's included) slow down with the square of nesting, so
    // a body nested deeper than browsers nest is refused rather than left to stall.
    if let Some(text) = &summary
        && markdown::html_depth(text).0 > markdown::MAX_HTML_DEPTH
    {
        let mut d = Diagnostic::error(
            shown,
            format!(
                "the summary's HTML is nested more than {} levels deep",
                markdown::MAX_HTML_DEPTH
            ),
        );
        d.line = line("summary");
        problems.push(d);
        return (None, problems);
    }
    let (depth, at) = markdown::html_depth(split.body);
    if depth > markdown::MAX_HTML_DEPTH {
        let (line, col) = front_matter::line_col(split.body, at);
        let mut d = Diagnostic::error(
            shown,
            format!(
                "HTML elements nested {depth} deep; at most {} levels are read",
                markdown::MAX_HTML_DEPTH
            ),
        );
        d.line = Some(split.body_line + line - 1);
        d.col = Some(col);
        problems.push(d);
        return (None, problems);
    }
    let summary = summary.unwrap_or_else(|| markdown::first_paragraph_text(split.body));
    let mentions = if site.config.mentions.enabled {
        body_mentions(
            split.body,
            date.document_date(site.tz),
            site.config.mentions.min_confidence,
        )
    } else {
        Vec::new()
    };
    let line_u32 = |key: &str| line(key).map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX));
    let (title_line, topics_line) = (line_u32("title"), line_u32("topics"));
    let meta_hash = hash_parts(&[
        rel_path.as_bytes(),
        split.front_matter.as_bytes(),
        // The default summary comes from the body, and timelines show it.
        summary.as_bytes(),
    ]);
    let article = Article {
        path: rel_path.to_string(),
        display_path: shown.to_path_buf(),
        title,
        date,
        updated,
        event_date,
        topics,
        sources,
        summary,
        location,
        tags,
        importance,
        lang,
        draft,
        slug,
        file: PathBuf::from(rel_path),
        body_line: split.body_line,
        extra,
        title_line,
        topics_line,
        meta_hash,
        body_hash: hash_parts(&[split.body.as_bytes()]),
        story,
        merge,
        mentions,
        links_articles: split.body.contains(".md"),
    };
    (Some(article), problems)
}

/// The dates a Markdown body mentions that the "Mentioned in coverage" layer can show:
/// days, times of day and months other than the report's own, resolved against the
/// report's document date (`dct`, see [`crate::temporal::Dct`]), with at least
/// `min_confidence`. Sentences are kept short. Only these are kept (and cached): the
/// rest would only take memory.
pub fn body_mentions(
    body: &str,
    dct: impl Into<crate::temporal::Dct>,
    min_confidence: f32,
) -> Vec<crate::temporal::Mention> {
    let dct = dct.into();
    let mut found =
        crate::temporal::tag_placeable_where(&crate::temporal::prose_of_markdown(body), dct, |m| {
            m.confidence >= min_confidence && m.layer_key(dct.day).is_some()
        });
    // A wall of dates (a table of thousands): the layer quotes a few per date anyway.
    found.truncate(front_matter::limits::MENTIONS);
    for m in &mut found {
        if m.sentence.chars().count() > 300 {
            m.sentence = m.sentence.chars().take(299).collect::<String>() + "…";
        }
    }
    found
}

/// A stable 64-bit hash (xxh3) of byte strings, kept apart by their lengths.
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}

/// Reads the Markdown body of `article` again from its file (bodies are not kept in
/// memory between loading and rendering).
pub fn body(article: &Article) -> Result<String, Diagnostic> {
    let text = std::fs::read_to_string(&article.file)
        .map_err(|e| Diagnostic::error(&article.display_path, format!("cannot read again: {e}")))?;
    let text = front_matter::strip_bom(&text);
    front_matter::split(text)
        .map(|s| s.body.to_string())
        .map_err(|e| located(&article.display_path, e))
}

/// The slug from the file name: `2020/Iraq NATO.md` → `iraq-nato`; an `index.md` takes
/// its folder's name.
pub fn default_slug(rel_path: &str) -> String {
    let path = Path::new(rel_path);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    if (stem.eq_ignore_ascii_case("index") || stem.eq_ignore_ascii_case("_index"))
        && let Some(parent) = path.parent().and_then(Path::file_name)
    {
        return slugify(&parent.to_string_lossy());
    }
    slugify(&stem)
}

fn located(shown: &Path, e: front_matter::ParseError) -> Diagnostic {
    let mut d = Diagnostic::error(shown, e.message);
    d.line = e.line;
    d.col = e.col;
    d
}

/// Why a source entry could not be used.
enum SourceProblem {
    /// Malformed: an error.
    Invalid(String),
    /// An outlet without its link yet (as `import` writes agency credits): a warning.
    NoUrl(String),
}

impl From<String> for SourceProblem {
    fn from(message: String) -> Self {
        SourceProblem::Invalid(message)
    }
}

fn source(item: &Value) -> Result<Source, SourceProblem> {
    let (name, url) = match item {
        Value::String(url) => (None, url.trim().to_string()),
        Value::Object(o) => {
            let url = match o.get("url") {
                Some(Value::String(u)) => u.trim().to_string(),
                Some(v) => {
                    return Err(format!("source `url` must be text, found {}", kind(v)).into());
                }
                None => {
                    return Err(match o.get("name").and_then(scalar_string) {
                        Some(name) if !name.trim().is_empty() => {
                            SourceProblem::NoUrl(name.trim().to_string())
                        }
                        _ => SourceProblem::Invalid("a source needs a `url`".into()),
                    });
                }
            };
            let name = o
                .get("name")
                .and_then(scalar_string)
                .filter(|n| !n.trim().is_empty());
            (name.map(|n| n.trim().to_string()), url)
        }
        other => {
            return Err(format!(
                "a source must be a URL or `{{ name, url }}`, found {}",
                kind(other)
            )
            .into());
        }
    };
    let parsed = source_url(&url)?;
    let name = name.unwrap_or_else(|| {
        parsed
            .host_str()
            .map(|h| h.trim_start_matches("www.").to_string())
            .unwrap_or_else(|| url.clone())
    });
    Ok(Source { name, url })
}

/// `url` parsed, when it is a valid `http(s)` URL: the only links a source may have.
pub fn source_url(url: &str) -> Result<url::Url, String> {
    let parsed =
        url::Url::parse(url).map_err(|e| format!("source URL `{url}` is not valid: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "source URL `{url}` must start with http:// or https://"
        ));
    }
    Ok(parsed)
}

/// True for a BCP 47 language tag: letters, then subtags of letters and digits ("ar",
/// "en-GB", "zh-Hant-TW"). It becomes an HTML `lang` attribute.
pub fn is_language_tag(tag: &str) -> bool {
    tag.split('-').enumerate().all(|(k, part)| {
        (1..=8).contains(&part.len())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
            && (k > 0 || part.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: Option<&Value>) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| scalar_string(i).ok_or_else(|| kind(i).to_string()))
            .collect(),
        Some(Value::String(s)) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()),
        Some(other) => Err(kind(other).to_string()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests;
