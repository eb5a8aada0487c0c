//! `briefing build`: output layout, ordering, event dates, aliases, drafts,
//! uncategorised, escaping and sanitising, snapshots of every page kind.

use crate::harness::{Project, main_of};

fn built() -> Project {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    p
}

#[test]
fn writes_the_documented_layout() {
    let p = built();
    insta::assert_snapshot!("layout", p.files("output").join("\n"));
}

#[test]
fn markdown_timeline_snapshot() {
    let p = built();
    insta::assert_snapshot!("gaza-war.md", p.read("output/topics/gaza-war.md"));
    insta::assert_snapshot!("uncategorised.md", p.read("output/topics/uncategorised.md"));
}

#[test]
fn html_main_snapshots() {
    let p = built();
    for (name, path) in [
        ("index", "output/index.html"),
        ("topics", "output/topics/index.html"),
        ("topic-gaza-war", "output/topics/gaza-war/index.html"),
        ("article-strikes", "output/articles/strikes/index.html"),
        ("article-arabic", "output/articles/gaza-arabic/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&p.read(path)));
    }
}

#[test]
fn page_chrome_snapshot() {
    let p = built();
    let html = p.read("output/topics/gaza-war/index.html");
    let chrome = html.replace(&main_of(&html), "<main>…</main>");
    insta::assert_snapshot!("chrome", chrome);
}

#[test]
fn orders_across_time_zones_with_date_only_first() {
    let p = built();
    let md = p.read("output/topics/gaza-war.md");
    // 09:00 Baghdad (06:00 UTC) is before 17:28 IST (11:58 UTC); the date-only Arabic
    // article sorts before both; the March event sits under March.
    let pos = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("{needle} in\n{md}"))
    };
    assert!(pos("## March 2025") < pos("Truce collapses"));
    assert!(pos("Truce collapses") < pos("## April 2025"));
    assert!(pos("غارات على غزة") < pos("Early report from Baghdad"));
    assert!(pos("Early report from Baghdad") < pos("Strikes kill 14"));
    assert!(md.contains("### Tuesday 2025-04-22"), "{md}");
    assert!(
        md.contains("**14:58**"),
        "17:28 IST is 14:58 in Baghdad:\n{md}"
    );
}

#[test]
fn event_date_places_entry_and_shows_both_dates() {
    let p = built();
    let md = p.read("output/topics/iraq.md");
    assert!(md.contains("### Friday 2020-06-19"), "{md}");
    assert!(md.contains("(reported 2020-06-22)"), "{md}");
    let html = p.read("output/articles/wadi/index.html");
    assert!(html.contains("<dt>Happened</dt>"), "{html}");
    assert!(html.contains("Friday 19 June 2020"), "{html}");
    assert!(html.contains("Monday 22 June 2020"), "{html}");
}

#[test]
fn aliases_and_display_names_merge_topics() {
    let p = built();
    let topics = p.files("output/topics");
    assert!(
        topics.contains(&"isis/index.html".to_string()),
        "{topics:?}"
    );
    assert!(
        !topics
            .iter()
            .any(|t| t.starts_with("daesh") || t.starts_with("gaza/")),
        "{topics:?}"
    );
    let md = p.read("output/topics/gaza-war.md");
    assert!(
        md.contains("Truce collapses"),
        "alias `gaza` → gaza-war:\n{md}"
    );
    assert!(
        md.contains("Strikes kill 14"),
        "`Gaza War` → gaza-war:\n{md}"
    );
}

#[test]
fn drafts_only_with_flag() {
    let p = built();
    assert!(!p.exists("output/articles/draft/index.html"));
    p.run(&["build", "--drafts"]).success();
    assert!(p.exists("output/articles/draft/index.html"));
}

#[test]
fn articles_without_topics_are_uncategorised() {
    let p = built();
    let md = p.read("output/topics/uncategorised.md");
    assert!(md.contains("A note with no topics"), "{md}");
}

#[test]
fn escapes_and_sanitises() {
    let p = built();
    let html = p.read("output/articles/strikes/index.html");
    assert!(
        html.contains("Strikes kill 14 &lt;in&gt; Gaza &amp; destroy"),
        "title escaped"
    );
    assert!(!html.contains("<script"), "script removed");
    assert!(!html.contains("onclick"), "event handler removed");
    assert!(html.contains("<b>bold</b>"), "harmless markup kept");
    assert!(html.contains("<table>"), "tables rendered");
}

#[test]
fn unsafe_html_keeps_raw_html() {
    let p = Project::fixture("build/basic");
    let config = p.read("briefing.yaml");
    p.write("briefing.yaml", &format!("{config}unsafe_html: true\n"));
    p.run(&["build"]).success();
    let html = p.read("output/articles/strikes/index.html");
    assert!(html.contains("<script>alert"), "{html}");
}

#[test]
fn links_between_articles_become_page_links() {
    let p = built();
    let html = p.read("output/articles/wadi/index.html");
    assert!(
        html.contains(r#"href="../strikes/index.html#sources-heading""#),
        "{html}"
    );
    let html = p.read("output/articles/strikes/index.html");
    assert!(html.contains(r#"href="../ceasefire/index.html""#), "{html}");
}

#[test]
fn right_to_left_articles_are_marked() {
    let p = built();
    let topic = p.read("output/topics/gaza-war/index.html");
    assert!(topic.contains(r#"lang="ar" dir="rtl""#), "{topic}");
}

#[test]
fn neighbours_on_each_topic() {
    let p = built();
    let html = p.read("output/articles/early/index.html");
    let nav = &html[html.find("class=\"neighbours\"").expect("neighbours nav")..];
    assert!(
        nav.contains("previous <a href=\"../../articles/gaza-arabic/index.html\""),
        "{nav}"
    );
    assert!(
        nav.contains("next <a href=\"../../articles/strikes/index.html\""),
        "{nav}"
    );
}

#[test]
fn selection_flags_limit_the_site() {
    let p = built();
    p.run(&["build", "--topic", "daesh"]).success();
    assert_eq!(
        p.files("output/articles"),
        ["wadi/index.html"],
        "only the ISIS article"
    );
    p.run(&["build", "--since", "2025-04-22", "--until", "2025-04-22"])
        .success();
    assert!(!p.exists("output/articles/wadi/index.html"));
    assert!(p.exists("output/articles/strikes/index.html"));
    let r = p.run(&["build", "--since", "22/04/2025"]).code(1);
    assert!(
        r.stderr
            .contains("--since: error: invalid date `22/04/2025`"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_is_deterministic() {
    let a = built();
    let b = built();
    for f in a.files("output") {
        assert_eq!(
            a.read(&format!("output/{f}")),
            b.read(&format!("output/{f}")),
            "{f}"
        );
    }
}

#[test]
fn timezone_override_regroups_days() {
    let p = built();
    p.run(&["--tz", "UTC", "build"]).success();
    let md = p.read("output/topics/gaza-war.md");
    assert!(md.contains("**11:58**"), "17:28 IST is 11:58 UTC:\n{md}");
    assert!(md.contains("Times in UTC"), "{md}");
}

#[test]
fn sample_content_builds_cleanly() {
    let p = Project::sample();
    let r = p.run(&["build"]).success();
    assert!(r.stderr.contains("built "), "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let topics = p.files("output/topics");
    assert!(
        topics.iter().filter(|t| t.ends_with(".md")).count() >= 4,
        "{topics:?}"
    );
    p.run(&["check"]).success();
}
