//! Unit tests of article validation, run for both front matter syntaxes.

use std::path::Path;

use test_case::test_case;

use super::*;
use crate::config;
use crate::diagnostics::Diagnostics;

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.yaml");
    std::fs::write(
        &path,
        "timezone: Asia/Baghdad\ntopics:\n  isis: { aliases: [daesh] }\n",
    )
    .unwrap();
    config::load(&path, None, &mut Diagnostics::new())
}

fn load(text: &str) -> (Option<Article>, Vec<String>) {
    let (a, d) = article("2020/x.md", Path::new("content/2020/x.md"), text, &site());
    (a, d.iter().map(ToString::to_string).collect())
}

const YAML: &str = "---
title: Coalition strike
date: 2020-06-22 13:22
event_date: 2020-06-19
topics: [Daesh, Iraq, iraq]
sources:
  - name: Asharq Al-Awsat
    url: https://english.aawsat.com/a
  - https://www.example.org/b
location: Wadi al-Shai
tags: [airstrike]
importance: high
lang: en
mood: grim
---
First *paragraph*.

Second.
";

const TOML: &str = "+++
title = \"Coalition strike\"
date = \"2020-06-22 13:22\"
event_date = 2020-06-19
topics = [\"Daesh\", \"Iraq\", \"iraq\"]
location = \"Wadi al-Shai\"
tags = [\"airstrike\"]
importance = \"high\"
lang = \"en\"
mood = \"grim\"
[[sources]]
name = \"Asharq Al-Awsat\"
url = \"https://english.aawsat.com/a\"
[[sources]]
url = \"https://www.example.org/b\"
+++
First *paragraph*.

Second.
";

#[test_case(YAML; "yaml")]
#[test_case(TOML; "toml")]
fn reads_every_key(text: &str) {
    let (a, problems) = load(text);
    assert!(problems.is_empty(), "{problems:?}");
    let a = a.unwrap();
    assert_eq!(a.title, "Coalition strike");
    assert_eq!(a.date.instant.to_rfc3339(), "2020-06-22T10:22:00+00:00");
    assert_eq!(a.event_date.unwrap().iso(), "2020-06-19");
    let topics: Vec<&str> = a.topics.iter().map(|t| t.as_str()).collect();
    assert_eq!(topics, ["isis", "iraq"]);
    assert_eq!(a.sources.len(), 2);
    assert_eq!(a.sources[1].name, "example.org");
    assert_eq!(a.summary, "First paragraph.");
    assert_eq!(a.location.as_deref(), Some("Wadi al-Shai"));
    assert_eq!(a.importance, Importance::High);
    assert_eq!(a.slug, "x");
    assert_eq!(a.extra["mood"], "grim");
    assert_eq!(a.body_line, if text.starts_with("---") { 16 } else { 17 });
}

#[test_case("---\ndate: 2020-01-01\n---\n", &["content/2020/x.md:1: error: missing required key `title`"]; "missing title")]
#[test_case("---\ntitle: A\n---\n", &["content/2020/x.md:1: error: missing required key `date` (when the article was reported)"]; "missing date")]
#[test_case("---\ntitle: A\ndate: 2021-02-29\n---\n", &["content/2020/x.md:3: error: `2021-02-29` is not a real calendar date"]; "impossible date")]
#[test_case("---\ntitle: A\ndate: 2021-02-01\nsources:\n  - name: X\n    url: ftp://x.org/a\n---\n", &["content/2020/x.md:6: error: source URL `ftp://x.org/a` must start with http:// or https://"]; "non http source")]
#[test_case("---\ntitle: [a]\ndate: nope\nimportance: huge\n---\n", &[
    "content/2020/x.md:2: error: `title` must be text, found a list",
    "content/2020/x.md:3: error: invalid date `nope`: expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339 (2025-04-22T10:30:00+03:00)",
    "content/2020/x.md:4: error: `importance` must be low, normal or high, found `huge`",
]; "several problems at once")]
#[test_case("no front matter\n", &["content/2020/x.md:1:1: error: couldn't find front matter: the file must start with a `---` line (YAML) or a `+++` line (TOML)"]; "no fences")]
fn reports_problems_with_lines(text: &str, expected: &[&str]) {
    let (_, mut problems) = load(text);
    problems.sort();
    assert_eq!(problems, expected);
}

#[test]
fn yaml_syntax_error_points_at_file_line() {
    let (a, problems) = load("---\ntitle: A\ndate: 2020-01-01\ntopics: [a, b\nsummary: x\n---\n");
    assert!(a.is_none());
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("content/2020/x.md:"),
        "{problems:?}"
    );
    let line: usize = problems[0].split(':').nth(1).unwrap().parse().unwrap();
    assert!((4..=6).contains(&line), "{problems:?}");
}

#[test]
fn no_topics_means_uncategorised() {
    let (a, _) = load("---\ntitle: A\ndate: 2020-01-01\n---\n");
    assert_eq!(a.unwrap().topics[0].as_str(), "uncategorised");
}

#[test]
fn bom_is_stripped() {
    let (a, problems) = load("\u{feff}---\ntitle: A\ndate: 2020-01-01\n---\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(a.is_some());
}

#[test]
fn slugs_from_file_names() {
    assert_eq!(default_slug("2020/Iraq NATO.md"), "iraq-nato");
    assert_eq!(default_slug("2020/wadi/index.md"), "wadi");
    assert_eq!(default_slug("Café.md"), "cafe");
}
