//! Machine-readable exports written by `build`: JSON Feed 1.1, `timeline.json`,
//! TimelineJS3 files and `articles.csv`.
//!
//! Part of the RENDER stage: plain serde structures serialised to bytes, no templates
//! (their formats are fixed by their specifications, not by the user's taste).

use serde::Serialize;

use crate::config::Site;
use crate::dates::Precision;
use crate::render::context::{self, FeedView};
use crate::timeline::Briefing;

/// The version of the `timeline.json` schema (docs/timeline-json.md). Bumped on any
/// incompatible change.
pub const TIMELINE_SCHEMA_VERSION: u32 = 1;

/// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
#[derive(Debug, Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    language: &'a str,
    items: Vec<JsonFeedItem<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonFeedItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_text: &'a str,
    summary: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "_briefing")]
    extension: JsonFeedExtension<'a>,
}

/// Our JSON Feed extension (custom keys start with `_` per the spec).
#[derive(Debug, Serialize)]
struct JsonFeedExtension<'a> {
    sources: &'a [crate::model::Source],
    #[serde(skip_serializing_if = "str::is_empty")]
    location: &'a str,
}

/// The JSON Feed of `feed` (the same entries as the Atom feed).
pub fn json_feed(feed: &FeedView, site: &Site) -> Vec<u8> {
    let absolute = |u: &str| (!site.config.base_url.is_empty()).then(|| u.to_string());
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: absolute(&feed.alternate_url),
        feed_url: absolute(&feed.self_url.replace("feed.xml", "feed.json")),
        language: &site.config.language,
        items: feed
            .entries
            .iter()
            .map(|e| JsonFeedItem {
                id: &e.id,
                url: &e.url,
                title: &e.title,
                content_text: &e.summary,
                summary: &e.summary,
                date_published: &e.published,
                date_modified: &e.updated,
                tags: e.topics.iter().map(|t| t.id.as_str()).collect(),
                language: (!e.lang.is_empty()).then_some(e.lang.as_str()),
                extension: JsonFeedExtension {
                    sources: &e.sources,
                    location: &e.location,
                },
            })
            .collect(),
    };
    to_json(&doc)
}

/// `timeline.json`: every selected article, documented in docs/timeline-json.md.
#[derive(Debug, Serialize)]
struct Timeline<'a> {
    schema_version: u32,
    generator: &'static str,
    site: TimelineSite<'a>,
    topics: Vec<TimelineTopic<'a>>,
    articles: Vec<TimelineArticle<'a>>,
}

#[derive(Debug, Serialize)]
struct TimelineSite<'a> {
    title: &'a str,
    base_url: &'a str,
    timezone: &'a str,
    language: &'a str,
}

#[derive(Debug, Serialize)]
struct TimelineTopic<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    aliases: &'a [String],
    count: usize,
    stories: usize,
    url: String,
    mentions: Vec<TimelineMention>,
}

#[derive(Debug, Serialize)]
struct TimelineMention {
    value: String,
    grain: &'static str,
    count: usize,
    articles: usize,
    items: Vec<TimelineMentionItem>,
}

#[derive(Debug, Serialize)]
struct TimelineMentionItem {
    article: String,
    text: String,
    sentence: String,
    confidence: f32,
}

#[derive(Debug, Serialize)]
struct TimelineArticle<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    source_path: &'a str,
    reported: TimelineReported,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<TimelinePeriod>,
    placed: TimelinePeriod,
    topics: Vec<&'a str>,
    sources: &'a [crate::model::Source],
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    tags: &'a [String],
    importance: crate::model::Importance,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<TimelineStory<'a>>,
}

#[derive(Debug, Serialize)]
struct TimelineStory<'a> {
    id: String,
    count: usize,
    first: &'a str,
}

#[derive(Debug, Serialize)]
struct TimelineReported {
    datetime: String,
    date: String,
    has_time: bool,
}

#[derive(Debug, Serialize)]
struct TimelinePeriod {
    value: String,
    precision: Precision,
    start: String,
    end: String,
}

fn period(p: &crate::dates::EventDate) -> TimelinePeriod {
    let end = p.end();
    TimelinePeriod {
        value: p.iso(),
        precision: p.precision,
        start: p.start.format("%Y-%m-%d").to_string(),
        end: end.format("%Y-%m-%d").to_string(),
    }
}

/// Articles serialised per parallel batch: bounds memory whatever the archive's size.
const BATCH: usize = 2048;

/// `timeline.json`: one article per line, serialised in parallel batches and streamed to
/// `out`, so large archives write fast, use little memory, and diff well.
pub fn timeline_json(
    briefing: &Briefing,
    site: &Site,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let from = "timeline.json";
    let head = Timeline {
        schema_version: TIMELINE_SCHEMA_VERSION,
        generator: concat!("briefing ", env!("CARGO_PKG_VERSION")),
        site: TimelineSite {
            title: &site.config.title,
            base_url: &site.config.base_url,
            timezone: site.tz.name(),
            language: &site.config.language,
        },
        topics: briefing
            .topics
            .iter()
            .enumerate()
            .map(|(ti, t)| TimelineTopic {
                id: t.id.as_str(),
                title: &t.title,
                description: &t.description,
                aliases: &t.aliases,
                count: t.entries.len(),
                stories: t.timeline.len(),
                url: context::link(site, from, &context::topic_path(t.id.as_str())),
                mentions: context::mentions(ti, briefing, site)
                    .into_iter()
                    .map(|g| TimelineMention {
                        count: g.count,
                        articles: g.articles,
                        grain: g.grain,
                        value: g.value,
                        items: g
                            .items
                            .into_iter()
                            .map(|m| TimelineMentionItem {
                                article: m
                                    .path
                                    .trim_start_matches("articles/")
                                    .trim_end_matches("/index.html")
                                    .to_string(),
                                text: m.text,
                                sentence: m.sentence,
                                confidence: (m.confidence * 100.0).round() / 100.0,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        articles: Vec::new(),
    };
    let line = |i: usize| {
        let (a, p) = (&briefing.articles[i], &briefing.placements[i]);
        let local = a.date.instant.with_timezone(&site.tz);
        let item = TimelineArticle {
            id: &a.slug,
            title: &a.title,
            url: context::link(site, from, &context::article_path(&a.slug)),
            source_path: &a.path,
            reported: TimelineReported {
                datetime: local.to_rfc3339(),
                date: local.format("%Y-%m-%d").to_string(),
                has_time: !a.date.date_only,
            },
            updated: a
                .updated
                .map(|u| u.instant.with_timezone(&site.tz).to_rfc3339()),
            event: a.event_date.as_ref().map(period),
            placed: period(&p.period),
            topics: a.topics.iter().map(|t| t.as_str()).collect(),
            sources: &a.sources,
            summary: &a.summary,
            location: a.location.as_deref(),
            tags: &a.tags,
            importance: a.importance,
            lang: a.lang.as_deref(),
            story: {
                let s = &briefing.stories.groups[briefing.stories.of[i]];
                s.is_merged().then(|| TimelineStory {
                    id: s.id(&briefing.articles),
                    count: s.members.len(),
                    first: &briefing.articles[s.members[0]].slug,
                })
            },
        };
        serde_json::to_vec(&item).expect("views serialise")
    };
    // The head with an empty `articles` array ends in `[]}`: the lines go in between.
    let head = serde_json::to_vec(&head).expect("views serialise");
    out.write_all(&head[..head.len() - 2])?;
    out.write_all(b"\n")?;
    let total = briefing.articles.len();
    let mut written = 0;
    let indices: Vec<usize> = (0..total).collect();
    for batch in indices.chunks(BATCH) {
        let lines: Vec<Vec<u8>> = batch.par_iter().map(|&i| line(i)).collect();
        for l in lines {
            written += 1;
            out.write_all(&l)?;
            out.write_all(if written < total { b",\n" } else { b"\n" })?;
        }
    }
    out.write_all(b"]}\n")
}

/// TimelineJS3's JSON format (<https://timeline.knightlab.com/docs/json-format.html>).
#[derive(Debug, Serialize)]
struct TimelineJs {
    title: TlSlide,
    events: Vec<TlSlide>,
}

#[derive(Debug, Serialize)]
struct TlSlide {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<TlDate>,
    text: TlText,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
}

#[derive(Debug, Serialize)]
struct TlDate {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
}

#[derive(Debug, Serialize)]
struct TlText {
    headline: String,
    text: String,
}

/// A topic's timeline in TimelineJS3's format. Event dates keep their precision (a
/// month-only event has no `day`); text is HTML, escaped, with source links.
pub fn timelinejs(briefing: &Briefing, site: &Site, topic: usize) -> Vec<u8> {
    use chrono::{Datelike, Timelike};
    let t = &briefing.topics[topic];
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let from = format!("topics/{}/timelinejs.json", t.id);
    let events = t
        .entries
        .iter()
        .map(|&i| {
            let a = &briefing.articles[i];
            let p = briefing.placements[i];
            let time = p.time.map(|utc| utc.with_timezone(&site.tz));
            let start = p.period.start;
            let sources: Vec<String> = a
                .sources
                .iter()
                .map(|s| format!("<a href=\"{}\">{}</a>", esc(&s.url), esc(&s.name)))
                .collect();
            let mut text = format!("<p>{}</p>", esc(&a.summary));
            if !sources.is_empty() {
                text.push_str(&format!("<p>Sources: {}</p>", sources.join(", ")));
            }
            let page = context::link(site, &from, &context::article_path(&a.slug));
            TlSlide {
                start_date: Some(TlDate {
                    year: start.year(),
                    month: (p.period.precision >= Precision::Month).then(|| start.month()),
                    day: (p.period.precision == Precision::Day).then(|| start.day()),
                    hour: time.map(|t| t.hour()),
                    minute: time.map(|t| t.minute()),
                }),
                text: TlText {
                    headline: format!("<a href=\"{}\">{}</a>", esc(&page), esc(&a.title)),
                    text,
                },
                unique_id: Some(a.slug.clone()),
                display_date: None,
            }
        })
        .collect();
    let doc = TimelineJs {
        title: TlSlide {
            start_date: None,
            text: TlText {
                headline: esc(&t.title),
                text: format!("<p>{}</p>", esc(&t.description)),
            },
            unique_id: None,
            display_date: None,
        },
        events,
    };
    to_json(&doc)
}

/// `articles.csv`: one row per article and source (an article without sources has one
/// row with empty source columns). Rows are formatted in parallel batches and streamed.
pub fn articles_csv(
    briefing: &Briefing,
    site: &Site,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const HEADER: [&str; 12] = [
        "id",
        "title",
        "reported",
        "event_date",
        "placed",
        "topics",
        "importance",
        "location",
        "source_name",
        "source_url",
        "summary",
        "url",
    ];
    let record = |w: &mut csv::Writer<Vec<u8>>, fields: &[&str]| {
        // Writing to a Vec cannot fail.
        w.write_record(fields).expect("write to memory");
    };
    let mut head = csv::Writer::from_writer(Vec::new());
    record(&mut head, &HEADER);
    out.write_all(&head.into_inner().expect("flush to memory"))?;
    let row = |(a, p): (&crate::model::Article, &crate::timeline::Placement)| {
        let mut w = csv::Writer::from_writer(Vec::new());
        let reported = a.date.instant.with_timezone(&site.tz).to_rfc3339();
        let event = a.event_date.map(|e| e.iso()).unwrap_or_default();
        let topics: Vec<&str> = a.topics.iter().map(|t| t.as_str()).collect();
        let url = context::link(site, "articles.csv", &context::article_path(&a.slug));
        let importance = match a.importance {
            crate::model::Importance::Low => "low",
            crate::model::Importance::Normal => "normal",
            crate::model::Importance::High => "high",
        };
        let sources: Vec<(&str, &str)> = if a.sources.is_empty() {
            vec![("", "")]
        } else {
            a.sources
                .iter()
                .map(|s| (s.name.as_str(), s.url.as_str()))
                .collect()
        };
        let (placed, topics) = (p.period.iso(), topics.join(";"));
        for (name, source_url) in sources {
            record(
                &mut w,
                &[
                    &a.slug,
                    &a.title,
                    &reported,
                    &event,
                    &placed,
                    &topics,
                    importance,
                    a.location.as_deref().unwrap_or(""),
                    name,
                    source_url,
                    &a.summary,
                    &url,
                ],
            );
        }
        w.into_inner().expect("flush to memory")
    };
    for (articles, placements) in briefing
        .articles
        .chunks(BATCH)
        .zip(briefing.placements.chunks(BATCH))
    {
        let rows: Vec<Vec<u8>> = articles.par_iter().zip(placements).map(row).collect();
        for r in rows {
            out.write_all(&r)?;
        }
    }
    Ok(())
}

/// `search-index.js`: the client-side search index, a script (not JSON, so that search
/// works when the site is opened from disk, where browsers refuse to fetch files). One
/// compact row per article, chronological: `[title, summary (first 160 characters),
/// page path, placement, topic titles]`.
pub fn search_index(briefing: &Briefing, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(b"window.BRIEFING_SEARCH={\"version\":1,\"items\":[\n")?;
    let total = briefing.articles.len();
    for (i, (a, p)) in briefing
        .articles
        .iter()
        .zip(&briefing.placements)
        .enumerate()
    {
        let summary: String = a.summary.chars().take(160).collect();
        let topics: Vec<&str> = a
            .topics
            .iter()
            .map(|t| {
                briefing
                    .topic(t)
                    .map_or(t.as_str(), |i| briefing.topics[i].title.as_str())
            })
            .collect();
        let row = (
            &a.title,
            &summary,
            context::article_path(&a.slug),
            p.period.iso(),
            topics.join(", "),
        );
        // JSON is valid JavaScript; `</` is escaped so no row can end the script early.
        let json = serde_json::to_string(&row)
            .expect("strings serialise")
            .replace("</", "<\\/");
        out.write_all(json.as_bytes())?;
        out.write_all(if i + 1 < total { b",\n" } else { b"\n" })?;
    }
    out.write_all(b"]};\n")
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("views serialise");
    bytes.push(b'\n');
    bytes
}
