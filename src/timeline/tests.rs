//! Unit tests of ordering, grouping and neighbours.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::config;
use crate::diagnostics::Diagnostics;
use crate::load;

fn site(extra: &str) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.yaml");
    std::fs::write(&path, format!("timezone: Asia/Baghdad\n{extra}")).unwrap();
    config::load(&path, None, &mut Diagnostics::new())
}

fn art(site: &Site, path: &str, title: &str, date: &str, event: Option<&str>) -> Article {
    let mut text = format!("---\ntitle: \"{title}\"\ndate: \"{date}\"\ntopics: [t]\n");
    if let Some(e) = event {
        text.push_str(&format!("event_date: \"{e}\"\n"));
    }
    text.push_str("---\n");
    let (a, d) = load::article(path, Path::new(path), &text, site);
    assert!(d.is_empty(), "{d:?}");
    a.unwrap()
}

fn titles(b: &Briefing) -> Vec<&str> {
    b.articles.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn orders_by_instant_across_time_zones() {
    let s = site("");
    let arts = vec![
        // 09:00 in Baghdad is 06:00 UTC; 08:00+01:00 is 07:00 UTC.
        art(&s, "a.md", "later", "2025-04-22T08:00:00+01:00", None),
        art(&s, "b.md", "earlier", "2025-04-22 09:00", None),
        art(&s, "c.md", "date only", "2025-04-22", None),
        art(
            &s,
            "d.md",
            "previous day in Baghdad",
            "2025-04-21T20:59:00Z",
            None,
        ),
    ];
    let b = arrange(arts, &s, &Selection::default());
    assert_eq!(
        titles(&b),
        ["previous day in Baghdad", "date only", "earlier", "later"]
    );
}

#[test]
fn ties_break_by_title_then_path() {
    let s = site("");
    let arts = vec![
        art(&s, "z.md", "B", "2025-04-22", None),
        art(&s, "y.md", "A", "2025-04-22", None),
        art(&s, "x.md", "B", "2025-04-22", None),
    ];
    let b = arrange(arts, &s, &Selection::default());
    let paths: Vec<&str> = b.articles.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(paths, ["y.md", "x.md", "z.md"]);
}

#[test]
fn event_dates_place_entries_with_precision() {
    let s = site("");
    let arts = vec![
        art(&s, "a.md", "strike", "2020-06-22", Some("2020-06-19")),
        art(&s, "b.md", "call", "2020-06-22 13:00", None),
        art(&s, "c.md", "month only", "2020-06-22", Some("2020-06")),
        art(&s, "d.md", "year only", "2020-06-22", Some("2019")),
    ];
    let b = arrange(arts, &s, &Selection::default());
    assert_eq!(titles(&b), ["year only", "month only", "strike", "call"]);
    let months = b.group(&b.topics[0].entries);
    let shape: Vec<(String, Vec<String>)> = months
        .iter()
        .map(|m| {
            (
                m.start.to_string(),
                m.days.iter().map(|d| d.period.iso()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("2019-01-01".to_string(), vec!["2019".to_string()]),
            (
                "2020-06-01".to_string(),
                vec!["2020-06".into(), "2020-06-19".into(), "2020-06-22".into()]
            ),
        ]
    );
    assert!(Placement::differs_from_report(&b.articles[2], &s));
    assert!(!Placement::differs_from_report(&b.articles[3], &s));
}

#[test]
fn newest_first_reverses_display_only() {
    let s = site("timeline_order: newest-first\n");
    let arts = vec![
        art(&s, "a.md", "one", "2020-06-21", None),
        art(&s, "b.md", "two", "2020-06-22", None),
        art(&s, "c.md", "three", "2020-07-01", None),
    ];
    let b = arrange(arts, &s, &Selection::default());
    let months = b.group(&b.topics[0].entries);
    assert_eq!(months[0].start.to_string(), "2020-07-01");
    assert_eq!(months[1].days[0].period.iso(), "2020-06-22");
    // Neighbours stay chronological.
    let n = b.neighbours(1);
    assert_eq!(n[0].previous, Some(0));
    assert_eq!(n[0].next, Some(2));
}

#[test]
fn selection_filters_drafts_dates_and_topics() {
    let s = site("");
    let mut draft = art(&s, "d.md", "draft", "2020-06-22", None);
    draft.draft = true;
    let arts = vec![
        draft,
        art(&s, "a.md", "old", "2020-06-01", None),
        art(&s, "b.md", "new", "2020-06-22", None),
    ];
    let sel = Selection {
        since: Some(NaiveDate::from_ymd_opt(2020, 6, 2).unwrap()),
        ..Selection::default()
    };
    assert_eq!(titles(&arrange(arts.clone(), &s, &sel)), ["new"]);
    let sel = Selection {
        drafts: true,
        ..Selection::default()
    };
    assert_eq!(arrange(arts.clone(), &s, &sel).articles.len(), 3);
    let sel = Selection {
        topics: vec![TopicId::normalise("other").unwrap()],
        ..Selection::default()
    };
    assert!(arrange(arts, &s, &sel).articles.is_empty());
}

proptest! {
    /// Whatever order articles arrive in, the arranged order is the same.
    #[test]
    fn order_is_independent_of_input_order(
        seeds in proptest::collection::vec((0u32..5, 0u32..3, 0u32..24, "[ab]"), 1..12),
        rotate in 0usize..12,
    ) {
        let s = site("");
        let arts: Vec<Article> = seeds
            .iter()
            .enumerate()
            .map(|(i, (day, kind, hour, title))| {
                let date = match kind {
                    0 => format!("2020-06-{:02}", day + 1),
                    _ => format!("2020-06-{:02} {:02}:00", day + 1, hour),
                };
                art(&s, &format!("{i}.md"), title, &date, None)
            })
            .collect();
        let mut rotated = arts.clone();
        rotated.rotate_left(rotate % arts.len());
        rotated.reverse();
        let a = arrange(arts, &s, &Selection::default());
        let b = arrange(rotated, &s, &Selection::default());
        let pa: Vec<&str> = a.articles.iter().map(|x| x.path.as_str()).collect();
        let pb: Vec<&str> = b.articles.iter().map(|x| x.path.as_str()).collect();
        prop_assert_eq!(pa, pb);
    }
}

#[test]
fn weekly_counts_fill_empty_weeks() {
    let s = site("");
    let arts = vec![
        art(&s, "a.md", "a", "2025-04-21", None), // Monday
        art(&s, "b.md", "b", "2025-04-27", None), // Sunday, same week
        art(&s, "c.md", "c", "2025-05-08", None), // two weeks later
    ];
    let b = arrange(arts, &s, &Selection::default());
    let weeks: Vec<(String, usize)> = b
        .weekly(&b.topics[0].entries)
        .into_iter()
        .map(|(d, n)| (d.to_string(), n))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2025-04-21".to_string(), 2),
            ("2025-04-28".to_string(), 0),
            ("2025-05-05".to_string(), 1)
        ]
    );
}

/// An article on topic `t` reported on `date` whose body is `body`.
fn with_body(site: &Site, path: &str, date: &str, body: &str) -> Article {
    let text = format!("---\ntitle: \"{path}\"\ndate: \"{date}\"\ntopics: [t]\n---\n\n{body}\n");
    let (a, d) = load::article(path, Path::new(path), &text, site);
    assert!(d.is_empty(), "{d:?}");
    a.unwrap()
}

#[test]
fn the_layer_keeps_the_most_mentioned_dates_in_date_order() {
    let bodies = [
        (
            "a.md",
            "2025-04-20",
            "Talks began on Jan. 3, 2025. Shelling resumed on Feb. 9, 2025.",
        ),
        (
            "b.md",
            "2025-04-21",
            "The truce of Feb. 9, 2025 held until March 2, 2025.",
        ),
        (
            "c.md",
            "2025-04-22",
            "Since Feb. 9, 2025 and Jan. 3, 2025, little changed. Jan. 3, 2025 again.",
        ),
        ("d.md", "2025-04-23", "Aid arrived on March 2, 2025."),
    ];
    let layer = |extra: &str| {
        let s = site(extra);
        let arts = bodies
            .iter()
            .map(|(p, d, b)| with_body(&s, p, d, b))
            .collect();
        let b = arrange(arts, &s, &Selection::default());
        b.mentions(0, &s)
            .iter()
            .map(|g| {
                let from: Vec<&str> = g
                    .items
                    .iter()
                    .map(|&(i, _)| b.articles[i].path.as_str())
                    .collect();
                format!("{} {}", g.value, from.join(","))
            })
            .collect::<Vec<_>>()
    };
    // Every date, in date order; mentions in timeline order, an article's repeats kept.
    assert_eq!(
        layer(""),
        [
            "2025-01-03 a.md,c.md,c.md",
            "2025-02-09 a.md,b.md,c.md",
            "2025-03-02 b.md,d.md"
        ]
    );
    // By articles, not mentions: 9 February (three articles) first, then the later
    // of the two dates two articles mention.
    assert_eq!(
        layer("mentions:\n  limit: 1\n"),
        ["2025-02-09 a.md,b.md,c.md"]
    );
    assert_eq!(
        layer("mentions:\n  limit: 2\n"),
        ["2025-02-09 a.md,b.md,c.md", "2025-03-02 b.md,d.md"]
    );
    assert_eq!(
        layer("mentions:\n  limit: 2\ntimeline_order: newest-first\n"),
        ["2025-03-02 b.md,d.md", "2025-02-09 a.md,b.md,c.md"]
    );
}
