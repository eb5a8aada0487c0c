//! ARRANGE: selected articles in one total order, per-topic timelines, grouping by month
//! and day, and neighbours.
//!
//! Pure data in, pure data out: no templates, no I/O. Every order ends in a tie-breaker
//! (title, then path), so output is byte-for-byte deterministic.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::config::{Site, TimelineOrder};
use crate::dates::{EventDate, Precision};
use crate::model::{Article, TopicId};
use crate::stories::{self, Stories};
use crate::temporal::{Grain, Kind};

/// What the user asked for: which articles take part in a run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Include drafts.
    pub drafts: bool,
    /// First day (in the site time zone) of report dates to include.
    pub since: Option<NaiveDate>,
    /// Last day (inclusive) of report dates to include.
    pub until: Option<NaiveDate>,
    /// Only articles on these topics (canonical ids); empty means all.
    pub topics: Vec<TopicId>,
}

impl Selection {
    /// True when `article` is selected.
    pub fn includes(&self, article: &Article, site: &Site) -> bool {
        if article.draft && !self.drafts {
            return false;
        }
        let day = article.date.local_date(site.tz);
        if self.since.is_some_and(|s| day < s) || self.until.is_some_and(|u| day > u) {
            return false;
        }
        self.topics.is_empty() || article.topics.iter().any(|t| self.topics.contains(t))
    }
}

/// Where an article sits on a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The calendar period: the event date when given, else the report day.
    pub period: EventDate,
    /// The instant, when the placement is a timed report (not for event dates or
    /// date-only reports).
    pub time: Option<DateTime<Utc>>,
}

impl Placement {
    /// The placement of `article` in time zone of `site`.
    pub fn of(article: &Article, site: &Site) -> Placement {
        let report_day = article.date.local_date(site.tz);
        let report_time = (!article.date.date_only).then_some(article.date.instant);
        match article.event_date {
            Some(event) => Placement {
                period: event,
                // Same day as reported: keep the report time for ordering within the day.
                time: (event.precision == Precision::Day && event.start == report_day)
                    .then_some(report_time)
                    .flatten(),
            },
            None => Placement {
                period: EventDate {
                    start: report_day,
                    precision: Precision::Day,
                },
                time: report_time,
            },
        }
    }

    /// True when the event date differs from the report date (both are then shown).
    pub fn differs_from_report(article: &Article, site: &Site) -> bool {
        article.event_date.is_some_and(|e| {
            e.precision != Precision::Day || e.start != article.date.local_date(site.tz)
        })
    }
}

/// Chronological order: period start, then coarser periods first (a month-only event
/// before the days of that month), untimed before timed, instant, title, slug (unique,
/// so the order is total and does not depend on file names), path.
pub fn compare(a: (&Article, &Placement), b: (&Article, &Placement)) -> Ordering {
    let key = |(_, p): (&Article, &Placement)| (p.period.start, p.period.precision, p.time);
    key(a)
        .cmp(&key(b))
        .then_with(|| a.0.title.cmp(&b.0.title))
        .then_with(|| a.0.slug.cmp(&b.0.slug))
        .then_with(|| a.0.path.cmp(&b.0.path))
}

/// One topic's timeline.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Canonical id (the URL slug).
    pub id: TopicId,
    /// Display title.
    pub title: String,
    /// Description from `briefing.yaml` (Markdown), may be empty.
    pub description: String,
    /// Aliases from `briefing.yaml`.
    pub aliases: Vec<String>,
    /// Indices into [`Briefing::articles`], in chronological order.
    pub entries: Vec<usize>,
    /// The entries the timeline shows: one per story (its first report on this topic),
    /// in chronological order.
    pub timeline: Vec<usize>,
}

/// A timeline cut into months and days, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// First day of the month, or of the year for year-only events.
    pub start: NaiveDate,
    /// `Month` for a calendar month, `Year` for the group of year-only events.
    pub precision: Precision,
    /// Day groups in display order.
    pub days: Vec<Day>,
}

/// Entries placed on the same calendar period (a day, or a month/year for coarse events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The period.
    pub period: EventDate,
    /// Indices into [`Briefing::articles`], in display order.
    pub entries: Vec<usize>,
}

/// The arranged briefing: what every renderer works from.
#[derive(Debug, Clone)]
pub struct Briefing {
    /// Selected articles in chronological order.
    pub articles: Vec<Article>,
    /// Placement of each article (same index).
    pub placements: Vec<Placement>,
    /// Topics that have at least one selected article, sorted by id.
    pub topics: Vec<Topic>,
    /// Display order of timelines.
    pub order: TimelineOrder,
    /// Same-story groups of `articles`.
    pub stories: Stories,
    /// Each topic's "Mentioned in coverage" layer, worked out on first use: the HTML
    /// and Markdown timelines and `timeline.json` all show it.
    mention_groups: Vec<std::sync::OnceLock<Vec<MentionGroup>>>,
}

/// Previous and next entries of an article on one of its topics' timelines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbours {
    /// The topic.
    pub topic: usize,
    /// Index of the chronologically previous article, if any.
    pub previous: Option<usize>,
    /// Index of the chronologically next article, if any.
    pub next: Option<usize>,
}

/// Selects and orders `articles` and builds the per-topic timelines.
pub fn arrange(articles: Vec<Article>, site: &Site, selection: &Selection) -> Briefing {
    let mut placed: Vec<(Article, Placement)> = articles
        .into_iter()
        .filter(|a| selection.includes(a, site))
        .map(|a| {
            let p = Placement::of(&a, site);
            (a, p)
        })
        .collect();
    placed.sort_by(|a, b| compare((&a.0, &a.1), (&b.0, &b.1)));
    let (articles, placements): (Vec<Article>, Vec<Placement>) = placed.into_iter().unzip();

    let mut by_topic: BTreeMap<TopicId, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for t in &a.topics {
            if selection.topics.is_empty() || selection.topics.contains(t) {
                by_topic.entry(t.clone()).or_default().push(i);
            }
        }
    }
    let stories = stories::group(&articles, &placements, site);
    let topics = by_topic
        .into_iter()
        .map(|(id, entries)| {
            let meta = site.config.topics.get(id.as_str());
            let mut seen = std::collections::HashSet::new();
            let timeline = entries
                .iter()
                .copied()
                .filter(|&i| seen.insert(stories.of[i]))
                .collect();
            Topic {
                timeline,
                title: meta
                    .and_then(|m| m.title.clone())
                    .unwrap_or_else(|| id.default_title()),
                description: meta.map(|m| m.description.clone()).unwrap_or_default(),
                aliases: meta.map(|m| m.aliases.clone()).unwrap_or_default(),
                id,
                entries,
            }
        })
        .collect::<Vec<Topic>>();
    Briefing {
        mention_groups: topics.iter().map(|_| std::sync::OnceLock::new()).collect(),
        articles,
        placements,
        topics,
        order: site.config.timeline_order,
        stories,
    }
}

/// Dates mentioned in the text of a topic's articles, gathered by day (or month).
#[derive(Debug, Clone, PartialEq)]
pub struct MentionGroup {
    /// The TIMEX3 value shared by the group: `2025-04-18` or `2025-04`.
    pub value: String,
    /// `Day` or `Month`.
    pub grain: Grain,
    /// First day of the period.
    pub start: NaiveDate,
    /// The mentions: (article index, index into its `mentions`), in timeline order.
    pub items: Vec<(usize, usize)>,
}

impl Briefing {
    /// The topic with this id.
    pub fn topic(&self, id: &TopicId) -> Option<usize> {
        self.topics.iter().position(|t| &t.id == id)
    }

    /// `entries` (chronological indices) grouped by month and day, in display order.
    pub fn group(&self, entries: &[usize]) -> Vec<Month> {
        let mut months: Vec<Month> = Vec::new();
        for &i in entries {
            let period = self.placements[i].period;
            let (month_start, month_precision) = match period.precision {
                Precision::Year => (period.start, Precision::Year),
                _ => (
                    NaiveDate::from_ymd_opt(period.start.year(), period.start.month(), 1)
                        .expect("first of month exists"),
                    Precision::Month,
                ),
            };
            if months
                .last()
                .is_none_or(|m| m.start != month_start || m.precision != month_precision)
            {
                months.push(Month {
                    start: month_start,
                    precision: month_precision,
                    days: Vec::new(),
                });
            }
            let month = months.last_mut().expect("pushed above");
            match month.days.last_mut() {
                Some(day) if day.period == period => day.entries.push(i),
                _ => month.days.push(Day {
                    period,
                    entries: vec![i],
                }),
            }
        }
        if self.order == TimelineOrder::NewestFirst {
            months.reverse();
            for m in &mut months {
                m.days.reverse();
                for d in &mut m.days {
                    d.entries.reverse();
                }
            }
        }
        months
    }

    /// Entries per week (weeks start on Monday), from the week of the first entry to the
    /// week of the last, empty weeks included. Entries count at the start of their
    /// period (a month-only event counts in the week its month begins).
    pub fn weekly(&self, entries: &[usize]) -> Vec<(NaiveDate, usize)> {
        let week_of = |i: usize| {
            let d = self.placements[i].period.start;
            d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
        };
        let mut counts: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for &i in entries {
            *counts.entry(week_of(i)).or_default() += 1;
        }
        let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
            return Vec::new();
        };
        let mut weeks = Vec::new();
        let mut week = first;
        while week <= last {
            weeks.push((week, counts.get(&week).copied().unwrap_or(0)));
            week += chrono::Duration::days(7);
        }
        weeks
    }

    /// The "Mentioned in coverage" layer of topic `t`: dates its articles mention with
    /// at least `min_confidence`, gathered by day (times of day count on their day) or
    /// month, at most `mentions.limit` of them (the most mentioned), in display order. A
    /// mention of the article's own report day (or month) adds nothing to the timeline
    /// and is left out. Worked out on the first call and kept: `site` must be the one
    /// the briefing was arranged with.
    pub fn mentions(&self, t: usize, site: &Site) -> &[MentionGroup] {
        self.mention_groups[t].get_or_init(|| self.gather_mentions(t, site))
    }

    fn gather_mentions(&self, t: usize, site: &Site) -> Vec<MentionGroup> {
        let min = site.config.mentions.min_confidence;
        // Every mention with its date, sorted by date and then in timeline order: one
        // sort rather than a map of lists, most of which the limit drops.
        let mut all: Vec<((NaiveDate, Grain), usize, usize)> = Vec::new();
        for &i in &self.topics[t].entries {
            let a = &self.articles[i];
            let report_day = a.date.local_date(site.tz);
            for (k, m) in a.mentions.iter().enumerate() {
                if m.confidence < min || !matches!(m.kind, Kind::Date | Kind::Time) {
                    continue;
                }
                if let Some(key) = m.layer_key(report_day) {
                    all.push((key, i, k));
                }
            }
        }
        // Entries are in increasing (chronological) order, so sorting by article index
        // keeps the timeline order within a date.
        all.sort_unstable();
        // One group per date: its mentions, and how many articles they come from (an
        // article's mentions of a date are next to each other).
        type Item = ((NaiveDate, Grain), usize, usize);
        let mut groups: Vec<(&[Item], usize)> = all
            .chunk_by(|x, y| x.0 == y.0)
            .map(|run| (run, 1 + run.windows(2).filter(|w| w[0].1 != w[1].1).count()))
            .collect();
        // Keep the most mentioned dates (by distinct articles; later dates first on
        // ties), then show them in timeline order. Groups are in date order.
        let limit = site.config.mentions.limit;
        if groups.len() > limit {
            let mut ranked: Vec<usize> = (0..groups.len()).collect();
            ranked.sort_by(|&x, &y| groups[y].1.cmp(&groups[x].1).then(y.cmp(&x)));
            ranked.truncate(limit);
            ranked.sort_unstable();
            groups = ranked.into_iter().map(|r| groups[r]).collect();
        }
        let mut out: Vec<MentionGroup> = groups
            .into_iter()
            .map(|(run, _)| {
                let (start, grain) = run[0].0;
                MentionGroup {
                    value: if grain == Grain::Month {
                        start.format("%Y-%m").to_string()
                    } else {
                        start.format("%Y-%m-%d").to_string()
                    },
                    grain,
                    start,
                    items: run.iter().map(|&(_, i, k)| (i, k)).collect(),
                }
            })
            .collect();
        if self.order == TimelineOrder::NewestFirst {
            out.reverse();
        }
        out
    }

    /// Previous/next of article `i` on each of its topics' timelines (chronological).
    pub fn neighbours(&self, i: usize) -> Vec<Neighbours> {
        self.articles[i]
            .topics
            .iter()
            .filter_map(|t| self.topic(t))
            .map(|ti| {
                let entries = &self.topics[ti].entries;
                let pos = entries
                    .iter()
                    .position(|&e| e == i)
                    .expect("article is on its topic");
                Neighbours {
                    topic: ti,
                    previous: pos.checked_sub(1).map(|p| entries[p]),
                    next: entries.get(pos + 1).copied(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
