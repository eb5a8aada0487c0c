//! `briefing dates` and the "Mentioned in coverage" layer, driven through the binary.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::harness::Project;

const ARTICLE: &str = "---\ntitle: \"Talks resume in Cairo\"\ndate: 2025-04-23T09:00:00+03:00\ntopics: [talks]\nsources:\n  - name: Wire\n    url: https://wire.example/cairo\n---\n\nNegotiators met in [Cairo](https://example.org/2019/01/01) on **Monday**, a day after the café reopened.\nThe truce of Jan. 19, 2025 collapsed in March; talks will resume next week.\nToday's session ended early.\n";

fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

#[test]
fn article_json_has_character_offsets_into_the_file() {
    let p = Project::empty();
    p.write("content/a.md", ARTICLE);
    let out = p.run(&["dates", "content/a.md", "--json"]).success().stdout;
    assert!(
        out.lines().all(|l| l.starts_with("{\"text\":")),
        "keys in the documented order:\n{out}"
    );
    let lines = json_lines(&out);
    let chars: Vec<char> = ARTICLE.chars().collect();
    let mut seen = Vec::new();
    for l in &lines {
        let mut keys: Vec<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "confidence",
                "end",
                "grain",
                "start",
                "text",
                "type",
                "value"
            ]
        );
        let (s, e) = (
            l["start"].as_u64().unwrap() as usize,
            l["end"].as_u64().unwrap() as usize,
        );
        let at: String = chars[s..e].iter().collect();
        assert_eq!(
            at,
            l["text"].as_str().unwrap(),
            "offsets are characters, not bytes"
        );
        seen.push((
            l["text"].as_str().unwrap().to_string(),
            l["value"].as_str().unwrap().to_string(),
        ));
    }
    // Against the article's own date (Wednesday 23 April 2025); the URL's 2019 is not read.
    assert_eq!(
        seen,
        [
            ("Monday".to_string(), "2025-04-21".to_string()),
            ("a day".to_string(), "P1D".to_string()),
            ("Jan. 19, 2025".to_string(), "2025-01-19".to_string()),
            ("March".to_string(), "2025-03".to_string()),
            ("next week".to_string(), "2025-W18".to_string()),
            ("Today".to_string(), "2025-04-23".to_string()),
        ]
    );
}

#[test]
fn readable_list_and_plain_text_from_standard_input() {
    let p = Project::empty();
    p.write("content/a.md", ARTICLE);
    let out = p.run(&["dates", "content/a.md"]).success().stdout;
    assert!(
        out.starts_with("content/a.md: 6 expressions, document date 2025-04-23\n"),
        "{out}"
    );
    assert!(
        out.contains("10:65  Monday  →  DATE 2025-04-21 (day, confidence 0.75)"),
        "{out}"
    );
    // An expression written across a line break is listed on one line.
    p.write("notes.txt", "The vote was on March\n3, a Monday.\n");
    let out = p
        .run(&["dates", "notes.txt", "--date", "2025-04-23"])
        .success()
        .stdout;
    assert!(out.contains("1:17  March 3  →  DATE 2025-03-03"), "{out}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["dates", "-", "--date", "2024-02-29", "--json"])
        .current_dir(p.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Officials said the 18-month siege ended yesterday.".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines = json_lines(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(lines[0]["value"], "P18M");
    assert_eq!(lines[0]["type"], "DURATION");
    assert_eq!(lines[1]["value"], "2024-02-28");
}

#[test]
fn bad_date_is_a_usage_error() {
    let p = Project::empty();
    p.write("notes.txt", "On Friday.");
    let run = p
        .run(&["dates", "notes.txt", "--date", "2025-02-30"])
        .code(2);
    assert!(run.stderr.contains("--date"), "{}", run.stderr);
    let run = p.run(&["dates", "missing.txt"]).code(1);
    assert!(run.stderr.contains("missing.txt"), "{}", run.stderr);
}

fn with_mentions(extra_config: &str) -> Project {
    let p = Project::empty();
    p.write(
        "briefing.yaml",
        &format!("title: T\ntimezone: Asia/Baghdad\n{extra_config}"),
    );
    p.write("content/a.md", ARTICLE);
    p.write(
        "content/b.md",
        "---\ntitle: \"Mediators look back\"\ndate: 2025-04-24\ntopics: [talks]\nsources:\n  - name: Daily\n    url: https://daily.example/b\n---\n\nThe truce signed on Jan. 19, 2025 was the first in a year.\n",
    );
    p
}

#[test]
fn topics_show_dates_mentioned_in_coverage() {
    let p = with_mentions("");
    p.run(&["build"]).success();
    let html = p.read("output/topics/talks/index.html");
    let layer = &html[html
        .find("<h2 id=\"mentions\">")
        .expect("the layer is shown")..];
    // Two articles mention 19 January 2025: one collapsed item that quotes both.
    assert!(
        layer.contains(
            "<time datetime=\"2025-01-19\">Sunday 19 January 2025</time>, mentioned 2 times in 2 articles</summary>"
        ),
        "{layer}"
    );
    assert!(layer.contains("<q>The truce signed on Jan. 19, 2025 was the first in a year.</q>"));
    assert!(layer.contains("<time datetime=\"2025-03\">March 2025</time>, mentioned once"));
    // "Today" is the article's own report day: nothing to add.
    assert!(!layer.contains("datetime=\"2025-04-23\""));
    let json: serde_json::Value = serde_json::from_str(&p.read("output/timeline.json")).unwrap();
    let mentions = &json["topics"][0]["mentions"];
    assert_eq!(mentions[0]["value"], "2025-01-19");
    assert_eq!(mentions[0]["count"], 2);
    assert_eq!(mentions[0]["items"][0]["article"], "a");
    let md = p.read("output/topics/talks.md");
    assert!(md.contains("## Mentioned in coverage"), "{md}");

    // A higher confidence threshold hides bare weekdays and months (0.75); `limit`
    // keeps the most mentioned dates; `enabled: false` removes the layer.
    let p = with_mentions("mentions:\n  min_confidence: 0.8\n");
    p.run(&["build"]).success();
    let html = p.read("output/topics/talks/index.html");
    assert!(html.contains("datetime=\"2025-01-19\"") && !html.contains("datetime=\"2025-03\""));
    let p = with_mentions("mentions:\n  limit: 1\n");
    p.run(&["build"]).success();
    let html = p.read("output/topics/talks/index.html");
    assert!(html.contains("datetime=\"2025-01-19\"") && !html.contains("datetime=\"2025-04-21\""));
    let p = with_mentions("mentions:\n  enabled: false\n");
    p.run(&["build"]).success();
    assert!(
        !p.read("output/topics/talks/index.html")
            .contains("id=\"mentions\"")
    );
}

#[test]
fn the_layer_quotes_each_article_once() {
    let p = with_mentions("");
    // A third article names the same day three times, twice in one sentence.
    p.write(
        "content/c.md",
        "---\ntitle: \"A look back at the truce\"\ndate: 2025-04-25\ntopics: [talks]\nsources:\n  - name: Weekly\n    url: https://weekly.example/c\n---\n\nTalks resumed on Jan. 19, 2025, after the truce of Jan. 19, 2025 began. Officials recalled Jan. 19, 2025 again.\n",
    );
    p.run(&["build"]).success();
    let html = p.read("output/topics/talks/index.html");
    let layer = &html[html.find("<h2 id=\"mentions\">").expect("the layer")..];
    let item = &layer[layer.find("datetime=\"2025-01-19\"").expect("the date")..];
    let item = &item[..item.find("</details>").expect("one item")];
    assert!(
        item.contains("Sunday 19 January 2025</time>, mentioned 5 times in 3 articles</summary>"),
        "{item}"
    );
    // One quote per article, each article's first mention.
    assert_eq!(item.matches("<q>").count(), 3, "{item}");
    assert_eq!(item.matches("articles/c/index.html").count(), 1, "{item}");
    assert!(item.contains(
        "<q>Talks resumed on Jan. 19, 2025, after the truce of Jan. 19, 2025 began.</q>"
    ));
    assert!(!item.contains("Officials recalled"), "{item}");
    let json: serde_json::Value = serde_json::from_str(&p.read("output/timeline.json")).unwrap();
    let mention = &json["topics"][0]["mentions"][0];
    assert_eq!(mention["value"], "2025-01-19");
    assert_eq!(mention["count"], 5);
    assert_eq!(mention["articles"], 3);
    assert_eq!(mention["items"].as_array().map(Vec::len), Some(3));
    // With two quotes, the third article is counted as one more.
    let p2 = with_mentions("mentions:\n  quotes: 2\n");
    p2.write("content/c.md", &p.read("content/c.md"));
    p2.run(&["build"]).success();
    let md = p2.read("output/topics/talks.md");
    assert!(md.contains("; and 1 more article"), "{md}");
}

#[test]
fn a_copy_quoted_once_still_counts_its_article_once() {
    // Two articles carry the same sentence (syndicated copy); the second also names the
    // day in a sentence of its own. The date is in two articles, quoted once.
    let p = Project::empty();
    p.write("briefing.yaml", "title: T\n");
    let copy = "The truce of Jan. 19, 2025 collapsed.";
    p.write(
        "content/a.md",
        &format!("---\ntitle: \"First\"\ndate: 2025-04-23\ntopics: [talks]\nsources:\n  - name: Wire\n    url: https://wire.example/a\n---\n\n{copy}\n"),
    );
    p.write(
        "content/b.md",
        &format!("---\ntitle: \"Second\"\ndate: 2025-04-24\ntopics: [talks]\nsources:\n  - name: Daily\n    url: https://daily.example/b\n---\n\n{copy} Mediators recalled Jan. 19, 2025 again.\n"),
    );
    p.run(&["build"]).success();
    let json: serde_json::Value = serde_json::from_str(&p.read("output/timeline.json")).unwrap();
    let mention = &json["topics"][0]["mentions"][0];
    assert_eq!(mention["count"], 3, "{mention}");
    assert_eq!(mention["articles"], 2, "{mention}");
    assert_eq!(
        mention["items"].as_array().map(Vec::len),
        Some(1),
        "{mention}"
    );
    let html = p.read("output/topics/talks/index.html");
    assert!(html.contains("and 1 more article</li>"), "{html}");
}

#[test]
fn list_items_are_quoted_alone_and_code_is_not_read() {
    let p = with_mentions("");
    p.write(
        "content/c.md",
        "---\ntitle: \"Key points\"\ndate: 2025-04-25\ntopics: [talks]\nsources:\n  - name: Weekly\n    url: https://weekly.example/c\n---\n\nKey points:\n\n- Shelling on Monday\n- Talks will resume in May\n- The truce of Feb. 9, 2025 held for a week\n\n```\n2024-12-01 log line\n```\n",
    );
    // `dates`: each item is its own sentence, the next item's "will" does not make
    // Monday a future one, and the code block is not read.
    let out = p.run(&["dates", "content/c.md", "--json"]).success();
    let lines = json_lines(&out.stdout);
    let values: Vec<&str> = lines.iter().map(|l| l["value"].as_str().unwrap()).collect();
    assert_eq!(
        values,
        ["2025-04-21", "2025-05", "2025-02-09", "P1W"],
        "{}",
        out.stdout
    );
    let text = p.read("content/c.md");
    let chars: Vec<char> = text.chars().collect();
    let start = lines[2]["start"].as_u64().unwrap() as usize;
    let end = lines[2]["end"].as_u64().unwrap() as usize;
    assert_eq!(chars[start..end].iter().collect::<String>(), "Feb. 9, 2025");
    // The layer quotes the item, not the list.
    p.run(&["build"]).success();
    let html = p.read("output/topics/talks/index.html");
    let layer = &html[html.find("<h2 id=\"mentions\">").expect("the layer")..];
    assert!(
        layer.contains("<q>The truce of Feb. 9, 2025 held for a week</q>"),
        "{layer}"
    );
    assert!(!layer.contains("2024-12-01"), "{layer}");
}

/// A report filed in Bangkok at 6:50 on Thursday is dated Wednesday 23:50 in UTC: its
/// "early on Thursday" is the next day, for `briefing dates` and for the build's layer
/// alike, not the Thursday six days before. With a plain `--date` the text reads
/// backwards again.
#[test]
fn a_late_report_means_the_next_day_by_its_weekday() {
    let p = Project::empty();
    p.write(
        "content/decree.md",
        "---\ntitle: \"Thailand bans gatherings\"\ndate: 2020-10-14T23:50:00Z\ntopics: [thailand]\nsources:\n  - name: Wire\n    url: https://wire.example/decree\n---\n\nA state of emergency was declared in Bangkok early on Thursday.\n",
    );
    let value = |args: &[&str]| {
        let out = p.run(args).success().stdout;
        json_lines(&out)
            .iter()
            .find(|l| l["text"] == "Thursday")
            .map(|l| l["value"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("Thursday found: {out}"))
    };
    assert_eq!(
        value(&["dates", "content/decree.md", "--json"]),
        "2020-10-15"
    );
    assert_eq!(
        value(&[
            "dates",
            "content/decree.md",
            "--json",
            "--date",
            "2020-10-14"
        ]),
        "2020-10-08"
    );
    p.run(&["build"]).success();
    let html = p.read("output/topics/thailand/index.html");
    assert!(html.contains("<time datetime=\"2020-10-15\">"), "{html}");
    assert!(!html.contains("2020-10-08"), "{html}");
}
