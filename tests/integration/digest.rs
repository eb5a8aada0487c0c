//! `briefing digest`: day boundaries in the site time zone (and `--tz`), DST, empty days,
//! topic filters with aliases, `--as-of`, windows, formats, and paste-clean Markdown.

use crate::harness::{Project, main_of};

const AS_OF: &str = "2025-03-09T12:00:00-04:00";

fn digest(p: &Project, args: &[&str]) -> String {
    let mut all = vec!["--as-of", AS_OF, "digest"];
    all.extend_from_slice(args);
    p.run(&all).success().stdout
}

/// Markdown that pastes cleanly: no trailing spaces, no blank-line runs, no raw HTML,
/// one final newline.
#[track_caller]
fn assert_clean_markdown(md: &str) {
    for (n, line) in md.lines().enumerate() {
        assert_eq!(
            line,
            line.trim_end(),
            "trailing space on line {}:\n{md}",
            n + 1
        );
        let raw_tag = line.char_indices().any(|(i, c)| {
            c == '<'
                && !line[..i].ends_with('\\')
                && line[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        });
        assert!(!raw_tag, "raw HTML on line {}:\n{md}", n + 1);
    }
    assert!(!md.contains("\n\n\n"), "blank-line run:\n{md}");
    assert!(
        !md.starts_with('\n') && md.ends_with('\n') && !md.ends_with("\n\n"),
        "{md:?}"
    );
}

#[test]
fn day_boundaries_follow_the_site_time_zone() {
    let p = Project::fixture("digest/newyork");
    let ny = digest(&p, &["--date", "2025-03-08"]);
    assert!(ny.contains("Late-evening report"), "{ny}");
    let utc = p
        .run(&[
            "--as-of",
            AS_OF,
            "--tz",
            "UTC",
            "digest",
            "--date",
            "2025-03-08",
        ])
        .success()
        .stdout;
    assert!(
        utc.contains("No articles were reported on Saturday 2025-03-08 (UTC)."),
        "{utc}"
    );
    let utc9 = p
        .run(&[
            "--as-of",
            AS_OF,
            "--tz",
            "UTC",
            "digest",
            "--date",
            "2025-03-09",
        ])
        .success()
        .stdout;
    assert!(
        utc9.contains("Late-evening report") && utc9.contains("**04:30**"),
        "{utc9}"
    );
}

#[test]
fn dst_day_snapshot() {
    let p = Project::fixture("digest/newyork");
    let md = digest(&p, &["--date", "2025-03-09"]);
    assert_clean_markdown(&md);
    // 01:30 EST and 03:30 EDT are one hour apart but both on 9 March in New York.
    assert!(md.contains("**01:30**") && md.contains("**03:30**"), "{md}");
    assert!(
        md.contains("(UTC-04:00)"),
        "offset on the day itself:\n{md}"
    );
    insta::assert_snapshot!("dst-day", md);
}

#[test]
fn today_comes_from_as_of() {
    let p = Project::fixture("digest/newyork");
    assert_eq!(digest(&p, &[]), digest(&p, &["--date", "2025-03-09"]));
}

#[test]
fn empty_day_says_so_and_succeeds() {
    let p = Project::fixture("digest/newyork");
    let md = digest(&p, &["--date", "2025-03-10"]);
    assert_eq!(
        md,
        "# Desk Digest: Monday 2025-03-10\n\nNo articles were reported on Monday 2025-03-10 (America/New_York).\n"
    );
}

#[test]
fn topic_filter_accepts_aliases() {
    let p = Project::fixture("digest/newyork");
    let md = digest(&p, &["--date", "2025-03-09", "--topic", "UA"]);
    assert!(md.contains("## Ukraine"), "{md}");
    assert!(!md.contains("## Markets"), "{md}");
    assert!(
        md.contains("After the clocks change"),
        "multi-topic article kept:\n{md}"
    );
}

#[test]
fn background_lines_for_events_outside_the_window() {
    let p = Project::fixture("digest/newyork");
    let md = digest(&p, &["--date", "2025-03-09"]);
    let bg = md.find("Background:").expect("background block");
    assert!(
        md[bg..].contains("*February 2024*: Background from last year"),
        "{md}"
    );
}

#[test]
fn windows_of_several_days() {
    let p = Project::fixture("digest/newyork");
    let week = digest(&p, &["--date", "2025-03-16", "--days", "9"]);
    assert!(week.contains("2025-03-08 to 2025-03-16"), "{week}");
    assert!(
        week.contains("Late-evening report") && week.contains("A week later"),
        "{week}"
    );
    let same = digest(&p, &["--since", "2025-03-08", "--until", "2025-03-16"]);
    assert_eq!(week, same);
    assert_clean_markdown(&week);
    let r = p
        .run(&["digest", "--since", "2025-03-10", "--until", "2025-03-09"])
        .code(2);
    assert!(r.stderr.contains("is after --until"), "{}", r.stderr);
    assert_eq!(
        p.run(&["digest", "--date", "2025-03-09", "--since", "2025-03-01"])
            .code,
        2
    );
}

#[test]
fn every_source_listed_once_and_markdown_escaped() {
    let p = Project::fixture("digest/newyork");
    let md = digest(&p, &["--since", "2025-03-08", "--until", "2025-03-16"]);
    let footer = &md[md.find("## Sources").expect("sources footer")..];
    assert_eq!(
        footer.matches("https://wire.example.org/late").count(),
        1,
        "{footer}"
    );
    assert!(
        md.contains(r"\*emphasis\*, a \[bracket\] and a\_underscore"),
        "{md}"
    );
}

#[test]
fn html_format_and_output_file() {
    let p = Project::fixture("digest/newyork");
    let r = p
        .run(&[
            "--as-of",
            AS_OF,
            "digest",
            "--format",
            "html",
            "-o",
            "out/digest.html",
        ])
        .success();
    assert!(r.stdout.is_empty());
    let html = p.read("out/digest.html");
    insta::assert_snapshot!("dst-day-html", main_of(&html));
    // Outside a build, links are absolute under base_url.
    assert!(
        html.contains(r#"href="https://desk.example.org/news/topics/ukraine/index.html""#),
        "{html}"
    );
}

#[test]
fn build_writes_a_digest_per_day_and_links_the_latest() {
    let p = Project::fixture("digest/newyork");
    p.run(&["build"]).success();
    let files = p.files("output/digests");
    assert_eq!(
        files,
        [
            "2025-03-08.html",
            "2025-03-08.md",
            "2025-03-09.html",
            "2025-03-09.md",
            "2025-03-16.html",
            "2025-03-16.md",
            "index.html"
        ]
    );
    for f in files.iter().filter(|f| f.ends_with(".md")) {
        assert_clean_markdown(&p.read(&format!("output/digests/{f}")));
    }
    let index = p.read("output/index.html");
    assert!(
        index.contains(r#"href="digests/2025-03-16.html""#),
        "{index}"
    );
    let list = p.read("output/digests/index.html");
    let (a, b) = (
        list.find("2025-03-16").unwrap(),
        list.find("2025-03-08").unwrap(),
    );
    assert!(a < b, "newest first");
}

#[test]
fn sample_digest_is_clean() {
    let p = Project::sample();
    let md = p
        .run(&[
            "--as-of",
            "2025-04-23T08:00:00+03:00",
            "digest",
            "--date",
            "2025-04-22",
        ])
        .success()
        .stdout;
    assert_clean_markdown(&md);
    assert!(md.contains("## Gaza war"), "{md}");
}
