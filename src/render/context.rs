//! The template API: documented `Serialize` views built from the model and timeline.
//!
//! Part of the RENDER stage. Field names here are template variable names
//! (docs/templates.md documents each), so renaming one is a breaking change; the
//! integration tests snapshot the full context of every template.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::Site;
use crate::dates::{self, Precision};
use crate::model::{self, Importance, Source};
use crate::timeline::{Briefing, Month, Placement, Topic};

pub use super::feeds::{FeedEntry, FeedView, feed, link};

/// `site`: the configuration, plus the resolved time zone.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The site title.
    pub title: String,
    /// The site description (Markdown, may be empty).
    pub description: String,
    /// Absolute base URL for feeds (empty when not configured).
    pub base_url: String,
    /// Page language (`lang` attribute).
    pub language: String,
    /// IANA name of the site time zone in effect (after `--tz`).
    pub timezone: String,
    /// `oldest-first` or `newest-first`.
    pub timeline_order: String,
    /// Topic metadata from `briefing.yaml`, by canonical id.
    pub topics: BTreeMap<String, crate::config::TopicMeta>,
}

impl SiteView {
    /// Builds the view.
    pub fn new(site: &Site) -> Self {
        let c = &site.config;
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base_url.clone(),
            language: c.language.clone(),
            timezone: site.tz.name().to_string(),
            timeline_order: match c.timeline_order {
                crate::config::TimelineOrder::OldestFirst => "oldest-first".into(),
                crate::config::TimelineOrder::NewestFirst => "newest-first".into(),
            },
            topics: c.topics.clone(),
        }
    }
}

/// A topic in lists (`topics`, `article.topics`, `neighbours`).
#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    /// Canonical id, also the URL slug.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Description (Markdown; use `| markdown`).
    pub description: String,
    /// Other names for the topic.
    pub aliases: Vec<String>,
    /// Number of articles on the topic.
    pub count: usize,
    /// Number of timeline entries: stories, each listing all its reports.
    pub stories: usize,
    /// Site-relative path of the HTML timeline (`topics/<id>/index.html`): pass it
    /// through `relative_url`.
    pub path: String,
    /// Site-relative path of the Markdown timeline (`topics/<id>.md`).
    pub markdown_path: String,
    /// ISO day of the earliest entry's placement.
    pub first: String,
    /// ISO day of the latest entry's placement.
    pub last: String,
    /// The latest entries (up to 3), newest first.
    pub latest: Vec<EntryRef>,
}

/// A short reference to an article (title and link), for lists and neighbours.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRef {
    /// Headline.
    pub title: String,
    /// Site-relative path of the article page.
    pub path: String,
    /// Where the entry sits on the timeline: `2020-06-19`, `2020-06` or `2020`.
    pub placed: String,
    /// Human label of the placement (`Friday 19 June 2020`, `June 2020`).
    pub placed_label: String,
}

/// An article as templates see it (`article`, timeline entries, `articles`).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// Headline.
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Site-relative path of the article page (`articles/<slug>/index.html`).
    pub path: String,
    /// The source file, relative to `content/`.
    pub source_path: String,
    /// Report date and time, RFC 3339 in the site time zone.
    pub date: String,
    /// Report day, `YYYY-MM-DD` in the site time zone.
    pub date_iso: String,
    /// Report day, human: `Monday 22 June 2020`.
    pub date_label: String,
    /// Report time `HH:MM` in the site time zone; empty for date-only articles.
    pub time: String,
    /// Abbreviation or offset of the site time zone at that instant (`+03`, `BST`);
    /// empty for date-only articles.
    pub time_zone: String,
    /// The event date as written (`2020-06-19`, `2020-06`, `2020`), or empty.
    pub event_date: String,
    /// Human label of the event date, or empty.
    pub event_label: String,
    /// Where the entry sits on the timeline (event date when given, else report day).
    pub placed: String,
    /// Human label of `placed`.
    pub placed_label: String,
    /// Precision of `placed`: `day`, `month` or `year`.
    pub precision: Precision,
    /// True when the event date differs from the report date (show both).
    pub dates_differ: bool,
    /// Topics of the article.
    pub topics: Vec<TopicRef>,
    /// Sources in the order written.
    pub sources: Vec<Source>,
    /// Plain-text summary.
    pub summary: String,
    /// Where it happened, or empty.
    pub location: String,
    /// Free tags.
    pub tags: Vec<String>,
    /// `low`, `normal` or `high`.
    pub importance: Importance,
    /// Language tag of the article, or empty (the site language applies).
    pub lang: String,
    /// True for right-to-left languages (`ar`, `fa`, `he`, `ur`, …).
    pub rtl: bool,
    /// True for drafts (only present with `--drafts`).
    pub draft: bool,
    /// Unknown front matter keys, as written.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The story the article belongs to (every article has one; most stories have a
    /// single report).
    pub story: StoryView,
}

/// A story: the reports of one event (`article.story`).
#[derive(Debug, Clone, Serialize)]
pub struct StoryView {
    /// The `story:` id, or `auto-<slug of the first report>` for automatic merges.
    pub id: String,
    /// Number of reports: the corroboration count.
    pub count: usize,
    /// True when the story was written down with `story:`.
    pub explicit: bool,
    /// Every source of every report, earliest report first, each URL once; empty when
    /// the story has a single report (the article's own `sources` apply).
    pub sources: Vec<Source>,
    /// Every report, earliest first; empty when the story has a single report.
    pub reports: Vec<ReportView>,
}

/// One report of a story.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Headline.
    pub title: String,
    /// Site-relative path of its article page.
    pub path: String,
    /// Report date and time, RFC 3339 in the site time zone.
    pub date: String,
    /// Report day for people.
    pub date_label: String,
    /// The outlets of its sources.
    pub outlets: Vec<String>,
    /// True for the article whose view this is.
    pub current: bool,
}

/// A date mentioned in the coverage of a topic (`mentions`).
#[derive(Debug, Clone, Serialize)]
pub struct MentionGroupView {
    /// TIMEX3 value: `2025-04-18` or `2025-04`.
    pub value: String,
    /// `day` or `month`.
    pub grain: &'static str,
    /// The date for people: `Friday 18 April 2025`, `April 2025`.
    pub label: String,
    /// How many mentions fall on it.
    pub count: usize,
    /// How many articles mention it.
    pub articles: usize,
    /// One mention per article, the first, in timeline order (at most
    /// `mentions.quotes`; a sentence already quoted is not quoted again).
    pub items: Vec<MentionView>,
    /// How many of the articles that mention it are not quoted in `items`.
    pub more: usize,
}

/// One mention of a date in an article's text.
#[derive(Debug, Clone, Serialize)]
pub struct MentionView {
    /// The expression as written ("on Friday", "last month").
    pub text: String,
    /// The sentence it is in.
    pub sentence: String,
    /// How sure the tagger is, 0 to 1.
    pub confidence: f32,
    /// Headline of the article.
    pub title: String,
    /// Site-relative path of the article page.
    pub path: String,
    /// The article's sources.
    pub sources: Vec<Source>,
}

/// The "Mentioned in coverage" layer of topic `t`.
pub fn mentions(t: usize, briefing: &Briefing, site: &Site) -> Vec<MentionGroupView> {
    briefing
        .mentions(t, site)
        .iter()
        .map(|g| {
            // One quote per article: several mentions of a date in one article (or
            // two in one sentence) say it once.
            let quotes = site.config.mentions.quotes;
            let mut quoted: Vec<(usize, usize)> = Vec::with_capacity(quotes);
            let mut articles = std::collections::HashSet::new();
            for &(i, k) in &g.items {
                if !articles.insert(i) || quoted.len() == quotes {
                    continue;
                }
                let sentence = &briefing.articles[i].mentions[k].sentence;
                if !quoted
                    .iter()
                    .any(|&(j, l)| &briefing.articles[j].mentions[l].sentence == sentence)
                {
                    quoted.push((i, k));
                }
            }
            mention_group_view(g, &quoted, articles.len(), briefing)
        })
        .collect()
}

/// The view of group `g` quoting the mentions `quoted`, `articles` of which mention it.
fn mention_group_view(
    g: &crate::timeline::MentionGroup,
    quoted: &[(usize, usize)],
    articles: usize,
    briefing: &Briefing,
) -> MentionGroupView {
    MentionGroupView {
        grain: if g.grain == crate::temporal::Grain::Month {
            "month"
        } else {
            "day"
        },
        label: if g.grain == crate::temporal::Grain::Month {
            dates::month_label(g.start)
        } else {
            dates::day_label(g.start)
        },
        count: g.items.len(),
        articles,
        more: articles.saturating_sub(quoted.len()),
        value: g.value.clone(),
        items: quoted
            .iter()
            .map(|&(i, k)| {
                let a = &briefing.articles[i];
                let m = &a.mentions[k];
                MentionView {
                    text: m.text.clone(),
                    sentence: m.sentence.clone(),
                    confidence: m.confidence,
                    title: a.title.clone(),
                    path: article_path(&a.slug),
                    sources: a.sources.clone(),
                }
            })
            .collect(),
    }
}

/// A topic reference inside an article.
#[derive(Debug, Clone, Serialize)]
pub struct TopicRef {
    /// Canonical id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Site-relative path of the topic's timeline.
    pub path: String,
}

/// A month on a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MonthView {
    /// `2020-06` (or `2020` for the group of year-only events).
    pub key: String,
    /// `June 2020` (or `2020`).
    pub label: String,
    /// The days of the month that have entries, in display order (added by
    /// [`timeline_values`]).
    #[serde(skip)]
    pub days: Vec<DayView>,
}

/// A day on a timeline (or a month/year for events known only that precisely).
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    /// `2020-06-19`, or `2020-06` / `2020` for coarse events. Unique on a page: use it as
    /// an anchor.
    pub key: String,
    /// `Friday 2020-06-19` (weekday and ISO date), or `June 2020 (day unknown)`.
    pub label: String,
    /// The weekday (`Friday`), empty for coarse periods.
    pub weekday: String,
    /// `day`, `month` or `year`.
    pub precision: Precision,
    /// Entries in display order (added by [`DayView::to_value`]).
    #[serde(skip)]
    pub entries: Vec<tera::Value>,
}

/// A source with the entries that cite it, for a topic's "Sources" list.
#[derive(Debug, Clone, Serialize)]
pub struct SourceUse {
    /// Outlet name.
    pub name: String,
    /// URL.
    pub url: String,
    /// A short readable form of the URL for link text: host and path without the scheme,
    /// shortened to 60 characters (`english.aawsat.com/arab-world/5135070-israeli-strikes…`).
    pub label: String,
    /// How many entries on this timeline cite it.
    pub count: usize,
}

/// An outlet with all its links, for a topic's "Sources" list grouped by outlet.
#[derive(Debug, Clone, Serialize)]
pub struct OutletView {
    /// Outlet name.
    pub name: String,
    /// Its distinct URLs cited on this timeline, in timeline order.
    pub links: Vec<SourceUse>,
}

/// Neighbours of an article on one of its topics.
#[derive(Debug, Clone, Serialize)]
pub struct NeighboursView {
    /// The topic.
    pub topic: TopicRef,
    /// The chronologically previous entry, if any.
    pub previous: Option<EntryRef>,
    /// The chronologically next entry, if any.
    pub next: Option<EntryRef>,
}

/// The views of one run. Article views are built on demand, per page, so memory holds
/// metadata, not a copy of every article per page; `articles` (every article) is built
/// once, and only when a template asks for it.
pub struct Views<'a> {
    briefing: &'a Briefing,
    site: &'a Site,
    /// `site`.
    pub site_value: tera::Value,
    /// One view per topic, same index as [`Briefing::topics`].
    pub topics: Vec<TopicView>,
    /// `topics`.
    pub all_topics: tera::Value,
    all_articles: std::sync::OnceLock<tera::Value>,
}

impl<'a> Views<'a> {
    /// Builds the shared views.
    pub fn new(briefing: &'a Briefing, site: &'a Site) -> Views<'a> {
        let topics: Vec<TopicView> = briefing
            .topics
            .iter()
            .map(|t| topic_view(t, briefing))
            .collect();
        Views {
            briefing,
            site,
            site_value: tera::Value::from_serializable(&SiteView::new(site)),
            all_topics: tera::Value::from_serializable(&topics),
            topics,
            all_articles: std::sync::OnceLock::new(),
        }
    }

    /// The view of article `i`.
    pub fn article(&self, i: usize) -> tera::Value {
        // Built per use rather than kept: holding every view would make memory grow
        // with the archive (an article appears on about eight pages).
        let b = self.briefing;
        tera::Value::from_serializable(&article_view(i, b, self.site))
    }

    /// Views of `entries`.
    pub fn articles(&self, entries: &[usize]) -> Vec<tera::Value> {
        entries.iter().map(|&i| self.article(i)).collect()
    }

    /// `articles`: every selected article in chronological order (built on first use).
    pub fn all_articles(&self) -> tera::Value {
        self.all_articles
            .get_or_init(|| {
                let all: Vec<usize> = (0..self.briefing.articles.len()).collect();
                tera::Value::from(self.articles(&all))
            })
            .clone()
    }

    /// The timeline of `entries` as month views.
    pub fn months(&self, briefing: &Briefing, entries: &[usize]) -> Vec<MonthView> {
        briefing
            .group(entries)
            .iter()
            .map(|m| self.month_view(m))
            .collect()
    }

    fn month_view(&self, m: &Month) -> MonthView {
        MonthView {
            key: match m.precision {
                Precision::Year => m.start.format("%Y").to_string(),
                _ => m.start.format("%Y-%m").to_string(),
            },
            label: match m.precision {
                Precision::Year => m.start.format("%Y").to_string(),
                _ => dates::month_label(m.start),
            },
            days: m
                .days
                .iter()
                .map(|d| DayView {
                    key: d.period.iso(),
                    label: match d.period.precision {
                        Precision::Day => d.period.start.format("%A %Y-%m-%d").to_string(),
                        _ => format!("{} (day unknown)", d.period.label()),
                    },
                    weekday: match d.period.precision {
                        Precision::Day => d.period.start.format("%A").to_string(),
                        _ => String::new(),
                    },
                    precision: d.period.precision,
                    entries: self.articles(&d.entries),
                })
                .collect(),
        }
    }
}

/// A view as a template value. Article values nested in it (marked `#[serde(skip)]` in
/// the view) are added by reference: serialising them again would copy every article.
fn assemble<T: Serialize>(base: &T, nested: Vec<(&'static str, tera::Value)>) -> tera::Value {
    let mut map = tera::Value::from_serializable(base)
        .into_map()
        .expect("views serialise to maps");
    for (key, value) in nested {
        map.insert(key.into(), value);
    }
    tera::Value::from(map)
}

impl DayView {
    /// The day as a template value.
    pub fn to_value(&self) -> tera::Value {
        assemble(
            self,
            vec![("entries", tera::Value::from(self.entries.clone()))],
        )
    }
}

impl SectionView {
    /// The section as a template value.
    pub fn to_value(&self) -> tera::Value {
        assemble(
            self,
            vec![
                ("entries", tera::Value::from(self.entries.clone())),
                ("background", tera::Value::from(self.background.clone())),
            ],
        )
    }
}

impl DigestView {
    /// The digest as a template value.
    pub fn to_value(&self) -> tera::Value {
        let sections: Vec<tera::Value> = self.sections.iter().map(SectionView::to_value).collect();
        assemble(self, vec![("sections", tera::Value::from(sections))])
    }
}

/// `months` and `days` of a timeline as template values sharing the same day values.
pub fn timeline_values(months: &[MonthView]) -> (tera::Value, tera::Value) {
    let mut all_days = Vec::new();
    let months: Vec<tera::Value> = months
        .iter()
        .map(|m| {
            let days: Vec<tera::Value> = m.days.iter().map(DayView::to_value).collect();
            all_days.extend(days.iter().cloned());
            assemble(m, vec![("days", tera::Value::from(days))])
        })
        .collect();
    (tera::Value::from(months), tera::Value::from(all_days))
}

/// The site-relative path of an article page.
pub fn article_path(slug: &str) -> String {
    format!("articles/{slug}/index.html")
}

/// The site-relative path of a topic page.
pub fn topic_path(id: &str) -> String {
    format!("topics/{id}/index.html")
}

pub(crate) fn topic_ref(id: &model::TopicId, briefing: &Briefing, site: &Site) -> TopicRef {
    let title = briefing
        .topic(id)
        .map(|i| briefing.topics[i].title.clone())
        .or_else(|| {
            site.config
                .topics
                .get(id.as_str())
                .and_then(|m| m.title.clone())
        })
        .unwrap_or_else(|| id.default_title());
    TopicRef {
        id: id.to_string(),
        title,
        path: topic_path(id.as_str()),
    }
}

/// The view of one article.
pub fn article_view(i: usize, briefing: &Briefing, site: &Site) -> ArticleView {
    let (a, p) = (&briefing.articles[i], &briefing.placements[i]);
    let local = a.date.instant.with_timezone(&site.tz);
    ArticleView {
        title: a.title.clone(),
        slug: a.slug.clone(),
        path: article_path(&a.slug),
        source_path: a.path.clone(),
        date: local.to_rfc3339(),
        date_iso: local.format("%Y-%m-%d").to_string(),
        date_label: dates::day_label(local.date_naive()),
        time: if a.date.date_only {
            String::new()
        } else {
            local.format("%H:%M").to_string()
        },
        time_zone: if a.date.date_only {
            String::new()
        } else {
            local.format("%Z").to_string()
        },
        event_date: a.event_date.map(|e| e.iso()).unwrap_or_default(),
        event_label: a.event_date.map(|e| e.label()).unwrap_or_default(),
        placed: p.period.iso(),
        placed_label: p.period.label(),
        precision: p.period.precision,
        dates_differ: Placement::differs_from_report(a, site),
        topics: a
            .topics
            .iter()
            .map(|t| topic_ref(t, briefing, site))
            .collect(),
        sources: a.sources.clone(),
        summary: a.summary.clone(),
        location: a.location.clone().unwrap_or_default(),
        tags: a.tags.clone(),
        importance: a.importance,
        lang: a.lang.clone().unwrap_or_default(),
        rtl: a.lang.as_deref().is_some_and(model::is_rtl),
        draft: a.draft,
        extra: a.extra.clone(),
        story: story_view(i, briefing, site),
    }
}

/// The story article `i` belongs to.
pub fn story_view(i: usize, briefing: &Briefing, site: &Site) -> StoryView {
    let story = &briefing.stories.groups[briefing.stories.of[i]];
    if !story.is_merged() {
        // Most stories have one report: the article itself, which has its own fields.
        return StoryView {
            id: story.id(&briefing.articles),
            count: 1,
            explicit: story.explicit.is_some(),
            sources: Vec::new(),
            reports: Vec::new(),
        };
    }
    let mut sources: Vec<Source> = Vec::new();
    for &m in &story.members {
        for s in &briefing.articles[m].sources {
            if !sources.iter().any(|x| x.url == s.url) {
                sources.push(s.clone());
            }
        }
    }
    StoryView {
        id: story.id(&briefing.articles),
        count: story.members.len(),
        explicit: story.explicit.is_some(),
        sources,
        reports: story
            .members
            .iter()
            .map(|&m| {
                let r = &briefing.articles[m];
                let local = r.date.instant.with_timezone(&site.tz);
                ReportView {
                    title: r.title.clone(),
                    path: article_path(&r.slug),
                    date: local.to_rfc3339(),
                    date_label: dates::day_label(local.date_naive()),
                    outlets: r.sources.iter().map(|s| s.name.clone()).collect(),
                    current: m == i,
                }
            })
            .collect(),
    }
}

/// A reference to article `i`.
pub fn entry_ref(i: usize, briefing: &Briefing) -> EntryRef {
    let a = &briefing.articles[i];
    let p = &briefing.placements[i];
    EntryRef {
        title: a.title.clone(),
        path: article_path(&a.slug),
        placed: p.period.iso(),
        placed_label: p.period.label(),
    }
}

fn topic_view(t: &Topic, briefing: &Briefing) -> TopicView {
    let placed = |i: usize| briefing.placements[i].period.iso();
    TopicView {
        id: t.id.to_string(),
        title: t.title.clone(),
        description: t.description.clone(),
        aliases: t.aliases.clone(),
        count: t.entries.len(),
        stories: t.timeline.len(),
        path: topic_path(t.id.as_str()),
        markdown_path: format!("topics/{}.md", t.id),
        first: t.entries.first().map(|&i| placed(i)).unwrap_or_default(),
        last: t.entries.last().map(|&i| placed(i)).unwrap_or_default(),
        latest: t
            .entries
            .iter()
            .rev()
            .take(3)
            .map(|&i| entry_ref(i, briefing))
            .collect(),
    }
}

/// The view of a topic that has no selected article (a report asking for it).
pub fn empty_topic_view(id: &model::TopicId, site: &Site) -> TopicView {
    let meta = site.config.topics.get(id.as_str());
    TopicView {
        id: id.to_string(),
        title: meta
            .and_then(|m| m.title.clone())
            .unwrap_or_else(|| id.default_title()),
        description: meta.map(|m| m.description.clone()).unwrap_or_default(),
        aliases: meta.map(|m| m.aliases.clone()).unwrap_or_default(),
        count: 0,
        stories: 0,
        path: topic_path(id.as_str()),
        markdown_path: format!("topics/{id}.md"),
        first: String::new(),
        last: String::new(),
        latest: Vec::new(),
    }
}

/// The sources cited on a timeline, grouped by outlet (sorted by name), each URL once.
pub fn outlets(entries: &[usize], briefing: &Briefing) -> Vec<OutletView> {
    let mut by_name: BTreeMap<String, Vec<SourceUse>> = BTreeMap::new();
    for &i in entries {
        let article = &briefing.articles[i];
        for s in &article.sources {
            let links = by_name.entry(s.name.clone()).or_default();
            match links.iter_mut().find(|l| l.url == s.url) {
                Some(l) => l.count += 1,
                None => links.push(SourceUse {
                    name: s.name.clone(),
                    url: s.url.clone(),
                    label: url_label(&s.url),
                    count: 1,
                }),
            }
        }
    }
    by_name
        .into_iter()
        .map(|(name, links)| OutletView { name, links })
        .collect()
}

/// Neighbours of article `i` on each of its topics.
pub fn neighbours(i: usize, briefing: &Briefing, site: &Site) -> Vec<NeighboursView> {
    briefing
        .neighbours(i)
        .into_iter()
        .map(|n| NeighboursView {
            topic: topic_ref(&briefing.topics[n.topic].id, briefing, site),
            previous: n.previous.map(|p| entry_ref(p, briefing)),
            next: n.next.map(|x| entry_ref(x, briefing)),
        })
        .collect()
}

/// Host and path of `url` without scheme, `www.` or trailing `/`, at most 60 characters.
pub fn url_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest
        .strip_prefix("www.")
        .unwrap_or(rest)
        .trim_end_matches('/');
    if rest.chars().count() <= 60 {
        rest.to_string()
    } else {
        let cut: String = rest.chars().take(59).collect();
        format!("{cut}…")
    }
}

/// A topic and how many articles in a digest are about it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicCount {
    /// The topic.
    pub topic: TopicRef,
    /// Articles in the window on this topic (an article counts for each of its topics).
    pub count: usize,
}

/// One topic's section of a digest.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// The topic.
    pub topic: TopicRef,
    /// Number of entries in the section (news and background).
    pub count: usize,
    /// News reported in the window, chronological (added by [`SectionView::to_value`]).
    #[serde(skip)]
    pub entries: Vec<tera::Value>,
    /// Background: reported in the window about events outside it (added likewise).
    #[serde(skip)]
    pub background: Vec<tera::Value>,
}

/// `digest`: what was reported in a window of days.
#[derive(Debug, Clone, Serialize)]
pub struct DigestView {
    /// First day, `YYYY-MM-DD` (site time zone).
    pub since: String,
    /// Last day (inclusive).
    pub until: String,
    /// `Tuesday 2025-04-22`, or `2025-04-16 to 2025-04-22`.
    pub label: String,
    /// Number of days covered.
    pub days: i64,
    /// True for a one-day digest.
    pub single_day: bool,
    /// The time zone the days are cut in (IANA name).
    pub timezone: String,
    /// Its UTC offset on the last day (`+03:00`).
    pub utc_offset: String,
    /// Number of articles.
    pub count: usize,
    /// True when nothing was reported in the window.
    pub empty: bool,
    /// Articles per topic, most active first.
    pub overview: Vec<TopicCount>,
    /// One section per topic, most active first, ties by topic id (added by
    /// [`DigestView::to_value`]).
    #[serde(skip)]
    pub sections: Vec<SectionView>,
    /// Every source cited in the digest, once, in order of first citation.
    pub sources: Vec<Source>,
    /// Output path of this digest's HTML page in a build (`digests/2025-04-22.html`).
    pub path: String,
    /// Output path of its Markdown (`digests/2025-04-22.md`).
    pub markdown_path: String,
}

/// A digest in the list of digests.
#[derive(Debug, Clone, Serialize)]
pub struct DigestRef {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// `Tuesday 2025-04-22`.
    pub label: String,
    /// Number of articles reported that day.
    pub count: usize,
    /// Output path of the HTML digest.
    pub path: String,
    /// Output path of the Markdown digest.
    pub markdown_path: String,
}

/// The output path stem of the digest for `since`..`until`: `digests/2025-04-22` or
/// `digests/2025-04-16_2025-04-22`.
pub fn digest_stem(window: &crate::digest::Window) -> String {
    if window.is_single_day() {
        format!("digests/{}", window.since.format("%Y-%m-%d"))
    } else {
        format!(
            "digests/{}_{}",
            window.since.format("%Y-%m-%d"),
            window.until.format("%Y-%m-%d")
        )
    }
}

impl Views<'_> {
    /// The view of a digest.
    pub fn digest(
        &self,
        d: &crate::digest::Digest,
        briefing: &Briefing,
        site: &Site,
    ) -> DigestView {
        let w = d.window;
        let topic = |i: usize| topic_ref(&briefing.topics[i].id, briefing, site);
        let mut sources: Vec<Source> = Vec::new();
        let mut cite = |i: usize| {
            for s in &briefing.articles[i].sources {
                if !sources.iter().any(|x| x.url == s.url) {
                    sources.push(s.clone());
                }
            }
        };
        for s in &d.sections {
            s.news.iter().chain(&s.background).for_each(|&i| cite(i));
        }
        let noon = w.until.and_hms_opt(12, 0, 0).expect("noon exists");
        let utc_offset = chrono::TimeZone::from_utc_datetime(&site.tz, &noon)
            .format("%:z")
            .to_string();
        let stem = digest_stem(&w);
        DigestView {
            since: w.since.format("%Y-%m-%d").to_string(),
            until: w.until.format("%Y-%m-%d").to_string(),
            label: if w.is_single_day() {
                w.since.format("%A %Y-%m-%d").to_string()
            } else {
                format!(
                    "{} to {}",
                    w.since.format("%Y-%m-%d"),
                    w.until.format("%Y-%m-%d")
                )
            },
            days: w.day_count(),
            single_day: w.is_single_day(),
            timezone: site.tz.name().to_string(),
            utc_offset,
            count: d.entries.len(),
            empty: d.is_empty(),
            overview: d
                .counts
                .iter()
                .map(|&(t, count)| TopicCount {
                    topic: topic(t),
                    count,
                })
                .collect(),
            sections: d
                .sections
                .iter()
                .map(|s| SectionView {
                    topic: topic(s.topic),
                    count: s.news.len() + s.background.len(),
                    entries: self.articles(&s.news),
                    background: self.articles(&s.background),
                })
                .collect(),
            sources,
            path: format!("{stem}.html"),
            markdown_path: format!("{stem}.md"),
        }
    }
}

/// `activity`: a topic's entries per week, laid out for a bar chart (an inline SVG in
/// `topic.html`). Coordinates are in a `width` × `height` viewBox.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    /// viewBox width.
    pub width: usize,
    /// viewBox height.
    pub height: usize,
    /// Total entries counted.
    pub total: usize,
    /// The largest weekly count.
    pub max: usize,
    /// Number of weeks shown.
    pub weeks: usize,
    /// First day of the first week, `YYYY-MM-DD`.
    pub first: String,
    /// First day of the last week.
    pub last: String,
    /// The busiest week (the first one, on ties).
    pub busiest: Option<WeekView>,
    /// One bar per week, oldest first (whatever `timeline_order` says: time runs left to right).
    pub bars: Vec<WeekView>,
}

/// One week of the activity chart.
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    /// Monday of the week, `YYYY-MM-DD`.
    pub start: String,
    /// Entries that week.
    pub count: usize,
    /// Left edge of the bar.
    pub x: usize,
    /// Top edge of the bar.
    pub y: usize,
    /// Bar width.
    pub w: usize,
    /// Bar height (0 for an empty week).
    pub h: usize,
}

/// The activity chart of `entries`.
pub fn activity(briefing: &Briefing, entries: &[usize]) -> ActivityView {
    const BAR: usize = 6;
    const GAP: usize = 1;
    const HEIGHT: usize = 60;
    let weeks = briefing.weekly(entries);
    let max = weeks.iter().map(|w| w.1).max().unwrap_or(0);
    let bars: Vec<WeekView> = weeks
        .iter()
        .enumerate()
        .map(|(i, (start, count))| {
            let h = if max == 0 {
                0
            } else {
                (count * HEIGHT).div_ceil(max)
            };
            WeekView {
                start: start.format("%Y-%m-%d").to_string(),
                count: *count,
                x: i * (BAR + GAP),
                y: HEIGHT - h,
                w: BAR,
                h,
            }
        })
        .collect();
    let busiest = bars.iter().find(|b| b.count == max && max > 0).cloned();
    ActivityView {
        width: (bars.len() * (BAR + GAP)).max(1),
        height: HEIGHT,
        total: entries.len(),
        max,
        weeks: bars.len(),
        first: bars.first().map(|b| b.start.clone()).unwrap_or_default(),
        last: bars.last().map(|b| b.start.clone()).unwrap_or_default(),
        busiest,
        bars,
    }
}
