//! Feed views: the latest entries of the site or of one topic, for the Atom template
//! (`feed.xml`) and the JSON Feed export. Ids and `updated` are stable: they change only
//! when an article does.
//!
//! Part of the RENDER stage.

use serde::Serialize;

use super::context::{TopicRef, article_path, topic_path, topic_ref};
use crate::config::Site;
use crate::model::Source;
use crate::timeline::Briefing;

/// `feed`: an Atom (or JSON) feed of the latest entries of the site or one topic.
#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    /// Feed title: the site title, or `Topic — Site`.
    pub title: String,
    /// Stable feed id: `<base_url><path>`, or `urn:briefing:feed:<path>` without base_url.
    pub id: String,
    /// The latest `updated` of its entries (RFC 3339): changes only when an entry does.
    pub updated: String,
    /// Link to the feed itself: absolute with base_url, else relative to the feed.
    pub self_url: String,
    /// Link to the HTML page the feed follows (home or topic timeline).
    pub alternate_url: String,
    /// The latest entries by report date, newest first (at most `feed_limit`).
    pub entries: Vec<FeedEntry>,
}

/// One feed entry.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    /// Stable id: the article page's absolute URL with base_url, else
    /// `urn:briefing:article:<slug>`.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Link to the article page: absolute with base_url, else relative to the feed.
    pub url: String,
    /// Report date (RFC 3339).
    pub published: String,
    /// `updated:` from the front matter, else the report date (RFC 3339).
    pub updated: String,
    /// Plain-text summary.
    pub summary: String,
    /// Topics.
    pub topics: Vec<TopicRef>,
    /// Sources.
    pub sources: Vec<Source>,
    /// Where it happened, or empty.
    pub location: String,
    /// Language tag, or empty.
    pub lang: String,
}

/// An absolute URL for site path `path` when `base_url` is set, else a link from
/// `from` (both relative to the output folder).
pub fn link(site: &Site, from: &str, path: &str) -> String {
    if site.config.base_url.is_empty() {
        crate::render::filters::relative_url(from, path)
    } else {
        format!("{}{}", site.config.base_url, path.trim_start_matches('/'))
    }
}

/// The feed at output path `path` for `topic` (or the whole site).
pub fn feed(
    briefing: &Briefing,
    site: &Site,
    path: &str,
    topic: Option<usize>,
    now: &str,
) -> FeedView {
    let mut entries: Vec<usize> = match topic {
        Some(t) => briefing.topics[t].entries.clone(),
        None => (0..briefing.articles.len()).collect(),
    };
    // Newest report first; ties by title then slug, like every order in briefing.
    entries.sort_by(|&a, &b| {
        let (x, y) = (&briefing.articles[a], &briefing.articles[b]);
        y.date
            .instant
            .cmp(&x.date.instant)
            .then_with(|| x.title.cmp(&y.title))
            .then_with(|| x.slug.cmp(&y.slug))
    });
    entries.truncate(site.config.feed_limit.max(1));
    let id_for = |p: &str, kind: &str, key: &str| {
        if site.config.base_url.is_empty() {
            format!("urn:briefing:{kind}:{key}")
        } else {
            format!("{}{}", site.config.base_url, p)
        }
    };
    let rfc = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&site.tz).to_rfc3339();
    let items: Vec<FeedEntry> = entries
        .iter()
        .map(|&i| {
            let a = &briefing.articles[i];
            let page = article_path(&a.slug);
            FeedEntry {
                id: id_for(&page, "article", &a.slug),
                title: a.title.clone(),
                url: link(site, path, &page),
                published: rfc(a.date.instant),
                updated: rfc(a.updated.unwrap_or(a.date).instant),
                summary: a.summary.clone(),
                topics: a
                    .topics
                    .iter()
                    .map(|t| topic_ref(t, briefing, site))
                    .collect(),
                sources: a.sources.clone(),
                location: a.location.clone().unwrap_or_default(),
                lang: a.lang.clone().unwrap_or_default(),
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|&i| {
            let a = &briefing.articles[i];
            a.updated.unwrap_or(a.date).instant
        })
        .max()
        .map(rfc)
        .unwrap_or_else(|| now.to_string());
    let (title, alternate) = match topic {
        Some(t) => (
            format!("{} — {}", briefing.topics[t].title, site.config.title),
            topic_path(briefing.topics[t].id.as_str()),
        ),
        None => (site.config.title.clone(), "index.html".to_string()),
    };
    FeedView {
        title,
        id: id_for(path, "feed", path),
        updated,
        self_url: link(site, path, path),
        alternate_url: link(site, path, &alternate),
        entries: items,
    }
}
