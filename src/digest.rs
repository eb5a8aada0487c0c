//! ARRANGE: digests — the articles reported in a window of days, by topic.
//!
//! A digest covers whole days in the site time zone (`since` to `until`, inclusive).
//! Articles are picked by their report day; each appears once, under its first selected
//! topic. Sections are ordered most active first, ties by topic id. An article whose
//! `event_date` lies outside the window is background: it is listed after the section's
//! news. No templates, no I/O.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::config::Site;
use crate::dates::EventDate;
use crate::model::TopicId;
use crate::timeline::Briefing;

/// A window of whole days in the site time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day.
    pub since: NaiveDate,
    /// Last day (inclusive).
    pub until: NaiveDate,
}

impl Window {
    /// A single day.
    pub fn day(day: NaiveDate) -> Window {
        Window {
            since: day,
            until: day,
        }
    }

    /// The `days` days ending on `until` (`days` ≥ 1).
    pub fn ending(until: NaiveDate, days: u32) -> Window {
        let span = i64::from(days.max(1)) - 1;
        Window {
            since: until - Duration::days(span),
            until,
        }
    }

    /// True when `day` is inside the window.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.since <= day && day <= self.until
    }

    /// Number of days covered.
    pub fn day_count(&self) -> i64 {
        (self.until - self.since).num_days() + 1
    }

    /// True for a one-day window.
    pub fn is_single_day(&self) -> bool {
        self.since == self.until
    }

    /// True when an event period overlaps the window.
    pub fn overlaps(&self, period: &EventDate) -> bool {
        let end = period.end();
        period.start <= self.until && end >= self.since
    }
}

/// Resolves the window options of `digest` and `render`: `--date D` (with `--days N`:
/// the N days ending on D), `--since D [--until D]` (until defaults to `today`),
/// `--until D` alone (with `--days`), `--days N` alone (ending today). With none of them,
/// the `default_days` ending today.
pub fn resolve_window(
    date: Option<NaiveDate>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    days: Option<u32>,
    today: NaiveDate,
    default_days: u32,
) -> Result<Window, String> {
    if days == Some(0) {
        return Err("--days must be at least 1".into());
    }
    let window = match (date, since, until) {
        (Some(d), _, _) => Window::ending(d, days.unwrap_or(1)),
        (None, Some(s), u) => Window {
            since: s,
            until: u.unwrap_or(today),
        },
        (None, None, Some(u)) => Window::ending(u, days.unwrap_or(1)),
        (None, None, None) => Window::ending(today, days.unwrap_or(default_days)),
    };
    if window.since > window.until {
        return Err(format!(
            "--since {} is after --until {}",
            window.since, window.until
        ));
    }
    Ok(window)
}

/// One topic's part of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The topic (index into [`Briefing::topics`]).
    pub topic: usize,
    /// News in the window, chronological (indices into [`Briefing::articles`]).
    pub news: Vec<usize>,
    /// Background: reported in the window about events outside it.
    pub background: Vec<usize>,
}

/// A digest: what was reported in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// The window.
    pub window: Window,
    /// Sections, most active first (news + background), ties by topic id.
    pub sections: Vec<Section>,
    /// Every article in the digest, chronological.
    pub entries: Vec<usize>,
    /// Per-topic counts of articles in the window (an article counts for each of its
    /// topics), most active first, ties by id.
    pub counts: Vec<(usize, usize)>,
}

impl Digest {
    /// True when nothing was reported in the window.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Builds the digest of `window` from an arranged briefing (already filtered by the
/// selection: topics, drafts).
pub fn digest(briefing: &Briefing, site: &Site, window: Window, topics: &[TopicId]) -> Digest {
    let entries: Vec<usize> = (0..briefing.articles.len())
        .filter(|&i| window.contains(briefing.articles[i].date.local_date(site.tz)))
        .collect();
    digest_of(briefing, window, topics, entries)
}

/// Builds the digest of `window` from `entries`, the chronological indices of the
/// articles reported in it (see [`by_report_day`]).
pub fn digest_of(
    briefing: &Briefing,
    window: Window,
    topics: &[TopicId],
    entries: Vec<usize>,
) -> Digest {
    let topic_index: BTreeMap<&TopicId, usize> = briefing
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.id, i))
        .collect();
    let mut sections: BTreeMap<usize, Section> = BTreeMap::new();
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &entries {
        let article = &briefing.articles[i];
        let selected = |t: &&TopicId| topics.is_empty() || topics.contains(t);
        for t in article.topics.iter().filter(selected) {
            if let Some(&ti) = topic_index.get(t) {
                *counts.entry(ti).or_default() += 1;
            }
        }
        let Some(&primary) = article
            .topics
            .iter()
            .filter(selected)
            .find_map(|t| topic_index.get(t))
        else {
            continue;
        };
        let section = sections.entry(primary).or_insert_with(|| Section {
            topic: primary,
            news: Vec::new(),
            background: Vec::new(),
        });
        let is_background = article.event_date.is_some_and(|e| !window.overlaps(&e));
        if is_background {
            section.background.push(i);
        } else {
            section.news.push(i);
        }
    }
    let mut sections: Vec<Section> = sections.into_values().collect();
    let id = |s: usize| &briefing.topics[s].id;
    sections.sort_by(|a, b| {
        let size = |s: &Section| s.news.len() + s.background.len();
        size(b)
            .cmp(&size(a))
            .then_with(|| id(a.topic).cmp(id(b.topic)))
    });
    let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| id(a.0).cmp(id(b.0))));
    Digest {
        window,
        sections,
        entries,
        counts,
    }
}

/// The articles of each report day (site time zone), days ascending, each list
/// chronological.
pub fn by_report_day(briefing: &Briefing, site: &Site) -> BTreeMap<NaiveDate, Vec<usize>> {
    let mut days: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, a) in briefing.articles.iter().enumerate() {
        days.entry(a.date.local_date(site.tz)).or_default().push(i);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_event_date;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn resolves_windows() {
        let today = d("2025-04-23");
        let w = |date, since, until, days| resolve_window(date, since, until, days, today, 1);
        assert_eq!(w(None, None, None, None), Ok(Window::day(today)));
        assert_eq!(w(None, None, None, Some(7)).unwrap().since, d("2025-04-17"));
        assert_eq!(
            w(Some(d("2025-04-22")), None, None, None),
            Ok(Window::day(d("2025-04-22")))
        );
        assert_eq!(
            w(Some(d("2025-04-22")), None, None, Some(2)).unwrap().since,
            d("2025-04-21")
        );
        assert_eq!(
            w(None, Some(d("2025-04-20")), None, None),
            Ok(Window {
                since: d("2025-04-20"),
                until: today
            })
        );
        assert!(w(None, Some(d("2025-04-24")), Some(d("2025-04-20")), None).is_err());
        assert!(w(None, None, None, Some(0)).is_err());
        assert_eq!(
            resolve_window(None, None, None, None, today, 3,)
                .unwrap()
                .day_count(),
            3
        );
    }

    #[test]
    fn windows() {
        let w = Window::ending(d("2025-04-22"), 7);
        assert_eq!(w.since, d("2025-04-16"));
        assert_eq!(w.day_count(), 7);
        assert!(w.contains(d("2025-04-16")) && w.contains(d("2025-04-22")));
        assert!(!w.contains(d("2025-04-23")));
        let tz = chrono_tz::UTC;
        assert!(w.overlaps(&parse_event_date("2025-04", tz).unwrap()));
        assert!(w.overlaps(&parse_event_date("2025", tz).unwrap()));
        assert!(!w.overlaps(&parse_event_date("2025-03", tz).unwrap()));
        assert!(!w.overlaps(&parse_event_date("2023-10-07", tz).unwrap()));
        assert!(Window::day(d("2024-12-31")).overlaps(&parse_event_date("2024-12", tz).unwrap()));
    }
}
