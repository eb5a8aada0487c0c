//! `briefing import` of feeds: files per entry, de-duplication, no overwrite, dry run,
//! standard input, bad inputs, right-to-left text, and the round trip import → check →
//! build.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::harness::Project;

fn project() -> Project {
    let p = Project::empty();
    p.write(
        "briefing.yaml",
        "title: Import Desk\ntimezone: Asia/Baghdad\n",
    );
    p.write(".keep", "");
    std::fs::create_dir_all(p.path().join("content")).unwrap();
    p
}

fn feeds() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/feeds").to_string()
}

#[test]
fn feeds_become_articles_that_check_and_build() {
    let p = project();
    let dir = feeds();
    let r = p.run(&[
        "import",
        &format!("{dir}/wire.rss"),
        &format!("{dir}/desk.atom"),
        &format!("{dir}/arabic.json"),
        "--topic",
        "Ports and Trade",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut written: Vec<&str> = r.stdout.lines().collect();
    written.sort();
    assert_eq!(
        written,
        [
            "content/2025/04/aid-convoy-reaches-the-north.md",
            "content/2025/04/port-reopens-after-week-long-closure.md",
            "content/2025/04/talks-adjourn-without-agreement.md",
            "content/2025/04/ftth-m-br-jdyd.md",
        ]
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    insta::assert_snapshot!(
        "imported-rss",
        p.read("content/2025/04/port-reopens-after-week-long-closure.md")
    );
    insta::assert_snapshot!(
        "imported-atom",
        p.read("content/2025/04/aid-convoy-reaches-the-north.md")
    );
    let arabic = p.read("content/2025/04/ftth-m-br-jdyd.md");
    assert!(
        arabic.contains("lang: \"ar\"") && arabic.contains("افتتاح معبر جديد"),
        "{arabic}"
    );
    let check = p.run(&["check"]);
    assert_eq!(
        check.code, 0,
        "imported articles pass check: {}",
        check.stderr
    );
    p.run(&["build"]).success();
    assert!(
        p.read("output/topics/ports-and-trade.md")
            .contains("Port reopens after week-long closure")
    );
}

#[test]
fn never_imports_twice_or_overwrites() {
    let p = project();
    let feed = format!("{}/wire.rss", feeds());
    p.run(&["import", &feed]).success();
    let path = "content/2025/04/port-reopens-after-week-long-closure.md";
    p.write(
        path,
        &p.read(path)
            .replace("Cargo traffic", "EDITED cargo traffic"),
    );
    let r = p.run(&["import", &feed]).success();
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("https://wire.example.org/port-reopens is already in the briefing"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("imported 0 article(s); skipped 2 already imported"),
        "{}",
        r.stderr
    );
    assert!(
        p.read(path).contains("EDITED"),
        "the edited file is untouched"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let p = project();
    let r = p
        .run(&["import", "--dry-run", &format!("{}/desk.atom", feeds())])
        .success();
    assert!(
        r.stdout
            .contains("==> content/2025/04/aid-convoy-reaches-the-north.md <=="),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("title: \"Aid convoy reaches the north\""),
        "{}",
        r.stdout
    );
    assert!(p.files("content").is_empty());
}

#[test]
fn bad_inputs_are_named_and_others_still_import() {
    let p = project();
    let dir = feeds();
    let r = p.run(&[
        "import",
        &format!("{dir}/broken.rss"),
        &format!("{dir}/binary.bin"),
        &format!("{dir}/desk.atom"),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("broken.rss: error: not a valid feed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("binary.bin: error: this is a binary file"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stdout.trim(),
        "content/2025/04/aid-convoy-reaches-the-north.md"
    );
}

#[test]
fn reads_standard_input_and_is_deterministic() {
    let run = || {
        let p = project();
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["import", "-"])
            .current_dir(p.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let feed = std::fs::read(format!("{}/wire.rss", feeds())).unwrap();
        child.stdin.take().unwrap().write_all(&feed).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        p.files("content")
            .into_iter()
            .map(|f| (f.clone(), p.read(&format!("content/{f}"))))
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first.len(), 2);
    assert_eq!(first, run());
}

#[test]
fn entries_without_dates_use_the_file_time_and_check_warns() {
    let p = project();
    p.write(
        "in/undated.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Undated</title><item><title>No date here</title><link>https://undated.example.org/a</link><description>Text.</description></item></channel></rss>",
    );
    let r = p.run(&["import", "in/undated.rss"]).success();
    assert!(
        r.stderr.contains("warning: \"No date here\" has no date"),
        "{}",
        r.stderr
    );
    let file = r.stdout.trim().to_string();
    assert!(
        p.read(&file).contains("date_source: \"file-mtime\""),
        "{}",
        p.read(&file)
    );
    let check = p.run(&["check"]).success();
    assert!(
        check
            .stderr
            .contains("was taken from the imported file's modification time"),
        "{}",
        check.stderr
    );
}

#[test]
fn clippings_split_into_articles_with_caption_credits_and_dates() {
    let p = project();
    let clip = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/clippings/two-articles.txt"
    );
    let r = p.run(&["import", clip, "--topic", "floods"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(files.len(), 2, "two articles found: {files:?}");
    let first = p.read("content/2025/03/flood-barriers-hold-as-river-crests-in-the-capital.md");
    insta::assert_snapshot!("imported-clipping", first);
    assert_eq!(
        first.matches("Volunteers stack sandbags").count(),
        1,
        "caption kept once"
    );
    assert!(
        !first.contains("\nTT\n") && !first.contains("\n14\n"),
        "page debris dropped"
    );
    let second_path = files[1];
    let second = p.read(second_path);
    assert!(
        second.contains("title: \"Ministers agree on a new water-sharing plan\""),
        "{second}"
    );
    assert!(
        second.contains("name: \"Reuters\""),
        "credit in the caption: {second}"
    );
    assert!(
        second.contains("date_source: \"file-mtime\""),
        "no date in the text: {second}"
    );
    // Imported clippings pass check: warnings (no URLs yet, guessed dates), no errors.
    let check = p.run(&["check"]).success();
    assert!(
        check.stderr.contains("source `AP` has no `url` yet"),
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("was taken from a date written in the text"),
        "{}",
        check.stderr
    );
    assert!(!check.stderr.contains(": error:"), "{}", check.stderr);
    p.run(&["build"]).success();
}

#[test]
fn saved_pages_give_main_text_and_metadata() {
    let p = project();
    let pages = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/pages");
    let r = p.run(&["import", pages]);
    assert_eq!(r.code, 1, "the index page has no article: {}", r.stderr);
    assert!(
        r.stderr
            .contains("index-page.html: error: no article found in the page"),
        "{}",
        r.stderr
    );
    let news = p.read("content/2025/05/rail-link-reopens-after-landslide.md");
    insta::assert_snapshot!("imported-page", news);
    // Readability-style extraction: the article, not the page furniture.
    for furniture in [
        "cookies",
        "Most read",
        "Subscribe to our newsletter",
        "Weather",
        "By Mara Lind",
    ] {
        assert!(
            !news.contains(furniture),
            "{furniture} leaked into the body:\n{news}"
        );
    }
    let body = news.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert_eq!(
        body.trim().split("\n\n").count(),
        5,
        "the five paragraphs of the article:\n{news}"
    );
    let arabic = p.read("content/2025/06/ftth-jsr-jdyd-fwq-lnhr.md");
    assert!(arabic.contains("lang: \"ar\""), "{arabic}");
    assert!(
        arabic.contains("url: \"https://arabic-news.example.org/2025/06/bridge\""),
        "{arabic}"
    );
    assert!(
        arabic.contains("ويبلغ طول الجسر"),
        "right-to-left text kept: {arabic}"
    );
    assert!(
        !arabic.contains("جميع الحقوق محفوظة"),
        "footer dropped: {arabic}"
    );
    let check = p.run(&["check"]).success();
    assert!(!check.stderr.contains(": error:"), "{}", check.stderr);
    p.run(&["build"]).success();
    assert!(
        p.read("output/articles/ftth-jsr-jdyd-fwq-lnhr/index.html")
            .contains("lang=\"ar\" dir=\"rtl\"")
    );
}

#[test]
fn existing_files_are_never_overwritten() {
    let p = project();
    let clip = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/clippings/two-articles.txt"
    );
    p.run(&["import", clip]).success();
    let path = "content/2025/03/flood-barriers-hold-as-river-crests-in-the-capital.md";
    p.write(path, "---\ntitle: Edited by hand\ndate: 2025-03-09\n---\n");
    let r = p.run(&["import", clip]).success();
    assert!(r.stderr.contains("skipped \"Flood barriers hold as river crests in the capital\": `content/2025/03/flood-barriers-hold-as-river-crests-in-the-capital.md` exists"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(
        p.read(path),
        "---\ntitle: Edited by hand\ndate: 2025-03-09\n---\n"
    );
}
