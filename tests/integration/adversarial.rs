//! The adversarial suite: hostile projects, each with the exact behaviour expected of
//! `briefing build` on it. Every case also checks what holds for all of them: no panic,
//! an exit code of 0 or 1, bounded time and memory, nothing written outside the output
//! folder, and no live script or `javascript:`/`data:`/`vbscript:` URL in any page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::fuzz::checks::live_script;

/// How long one build may take (debug binary, the slowest CI machine).
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Peak memory one build may use.
const MEMORY_LIMIT_MB: u64 = 600;

/// A plain valid article with `front` spliced into its front matter.
fn article(title: &str, front: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2025-04-18T09:00:00Z\ntopics: [gaza]\nsources:\n  - name: Wire\n    url: https://example.org/a\n{front}---\n\n{body}\n"
    )
}

fn ok_article() -> String {
    article("Ordinary report", "", "Nothing unusual happened.")
}

/// What one case expects.
struct Expect {
    code: i32,
    /// Substrings of stderr (with the project folder shown as `[ROOT]`).
    stderr: &'static [&'static str],
    /// Files that must exist in output/ afterwards (when the build succeeds).
    files: &'static [&'static str],
}

const OK: Expect = Expect {
    code: 0,
    stderr: &[],
    files: &["index.html"],
};

const fn fails(stderr: &'static [&'static str]) -> Expect {
    Expect {
        code: 1,
        stderr,
        files: &[],
    }
}

type Setup = fn(&Path);

/// Writes `content/<rel>` under the project.
fn put(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join("content").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn cases() -> Vec<(&'static str, Setup, &'static [&'static str], Expect)> {
    let build: &'static [&'static str] = &["build"];
    vec![
        // ── Hostile YAML ──
        (
            "yaml alias bomb",
            |r| {
                let mut y = String::from(
                    "---\ntitle: Bomb\ndate: 2025-04-18\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
                );
                for i in 1..12 {
                    let prev = i - 1;
                    y.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
                }
                y.push_str("---\nbody\n");
                put(r, "bomb.md", y);
            },
            build,
            fails(&["content/bomb.md:", "invalid YAML"]),
        ),
        (
            "yaml 10,000-deep flow nesting",
            |r| {
                let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
                put(
                    r,
                    "deep.md",
                    format!("---\ntitle: Deep\ndate: 2025-04-18\nx: {deep}\n---\n"),
                );
            },
            build,
            fails(&["content/deep.md:4:", "nested more than 16 deep"]),
        ),
        (
            "yaml 10,000-deep block nesting",
            |r| {
                let deep = "- ".repeat(10_000);
                put(
                    r,
                    "deep.md",
                    format!("---\ntitle: Deep\ndate: 2025-04-18\nx:\n  {deep}1\n---\n"),
                );
            },
            build,
            fails(&["content/deep.md:", "invalid YAML"]),
        ),
        (
            "yaml huge scalar",
            |r| {
                put(
                    r,
                    "huge.md",
                    format!(
                        "---\ntitle: \"{}\"\ndate: 2025-04-18\n---\n",
                        "A".repeat(3_000_000)
                    ),
                );
            },
            build,
            fails(&[
                "content/huge.md:1:1",
                "front matter is 2929 KB; it may be at most 64 KB",
            ]),
        ),
        (
            "yaml front matter never closed",
            |r| {
                put(
                    r,
                    "open.md",
                    "---\ntitle: Open\ndate: 2025-04-18\n\nBody without a fence.\n",
                );
            },
            build,
            fails(&["content/open.md:1:1", "never closed"]),
        ),
        (
            "no front matter",
            |r| put(r, "plain.md", "Just text.\n"),
            build,
            fails(&["content/plain.md:1:1", "couldn't find front matter"]),
        ),
        (
            "yaml duplicate keys",
            |r| {
                put(
                    r,
                    "dup.md",
                    "---\ntitle: One\ntitle: Two\ndate: 2025-04-18\n---\n",
                );
            },
            build,
            fails(&["content/dup.md:3:", "duplicate"]),
        ),
        (
            "yaml title is a list",
            |r| {
                put(r, "list.md", "---\ntitle: [a, b]\ndate: 2025-04-18\n---\n");
            },
            build,
            fails(&["content/list.md:2:", "title"]),
        ),
        (
            "yaml custom tags",
            |r| {
                put(
                    r,
                    "tag.md",
                    "---\ntitle: !include /etc/passwd\ndate: 2025-04-18\n---\n",
                );
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/tag/index.html"],
            },
        ),
        (
            "yaml front matter is a scalar",
            |r| put(r, "s.md", "---\njust a string\n---\n"),
            build,
            fails(&["content/s.md:2:1", "must be a mapping"]),
        ),
        (
            "toml 10,000-deep nesting",
            |r| {
                let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
                put(
                    r,
                    "deep.md",
                    format!("+++\ntitle = \"Deep\"\ndate = 2025-04-18\nx = {deep}\n+++\n"),
                );
            },
            build,
            fails(&["content/deep.md:4:", "nested more than 16 deep"]),
        ),
        (
            "toml malformed",
            |r| put(r, "bad.md", "+++\ntitle = \"Bad\ndate = 2025-04-18\n+++\n"),
            build,
            fails(&["content/bad.md:2:", "invalid TOML"]),
        ),
        // ── Encodings and sizes ──
        (
            // U+0085 is whitespace of two bytes: Windows-1252's "…" read as Latin-1.
            "next-line character inside the word before a weekday",
            |r| {
                let body = "Talks stalled\u{85}then Friday they resumed.";
                put(r, "nel.md", article("Talks", "", body));
            },
            build,
            OK,
        ),
        (
            "latin-1 bytes",
            |r| {
                let mut bytes = b"---\ntitle: Caf".to_vec();
                bytes.push(0xe9);
                bytes.extend_from_slice(b"\ndate: 2025-04-18\n---\n");
                put(r, "latin1.md", bytes);
            },
            build,
            fails(&["content/latin1.md:2:11", "not UTF-8"]),
        ),
        (
            "utf-8 byte order mark",
            |r| put(r, "bom.md", format!("\u{feff}{}", ok_article())),
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/bom/index.html"],
            },
        ),
        (
            "crlf line endings",
            |r| put(r, "crlf.md", ok_article().replace('\n', "\r\n")),
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/crlf/index.html"],
            },
        ),
        (
            "crlf with an error names the right line",
            |r| {
                put(r, "crlf.md", "---\r\ntitle: T\r\ndate: someday\r\n---\r\n");
            },
            build,
            fails(&["content/crlf.md:3:", "date"]),
        ),
        (
            "lone carriage returns",
            |r| put(r, "cr.md", "---\ntitle: T\rdate: 2025-04-18\n---\n"),
            build,
            fails(&["content/cr.md:2:9", "carriage return without a line feed"]),
        ),
        (
            "empty file",
            |r| put(r, "empty.md", ""),
            build,
            fails(&["content/empty.md:1:1", "couldn't find front matter"]),
        ),
        (
            "10 MB file",
            |r| {
                put(r, "big.md", article("Big", "", &"word ".repeat(2_000_000)));
            },
            build,
            fails(&[
                "content/big.md:1:1",
                "the file is 10.0 MB; an article may be at most 4 MB",
            ]),
        ),
        (
            "100,000 nested html tags",
            |r| put(r, "deep.md", article("Deep", "", &"<div>".repeat(100_000))),
            build,
            fails(&[
                "content/deep.md:10:2561:",
                "HTML elements nested 100000 deep; at most 512 levels are read",
            ]),
        ),
        (
            "a summary nested 10,000 deep",
            |r| {
                let deep = "<b>".repeat(10_000);
                put(
                    r,
                    "s.md",
                    article("S", &format!("summary: \"{deep}\"\n"), "x"),
                );
            },
            build,
            fails(&[
                "content/s.md:8:",
                "the summary's HTML is nested more than 512 levels deep",
            ]),
        ),
        (
            "importing a page nested 50,000 deep",
            |r| {
                let page = format!("<html><body>{}text</body></html>", "<div>".repeat(50_000));
                std::fs::write(r.join("page.html"), page).unwrap();
            },
            &["import", "page.html", "--topic", "gaza"],
            fails(&[
                "page.html: error: HTML elements are nested 50002 deep; at most 512 levels are read",
            ]),
        ),
        (
            "importing a feed with an item nested 50,000 deep",
            |r| {
                let feed = format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>t</title><link>https://example.org/t</link><description><![CDATA[{}]]></description></item></channel></rss>",
                    "<div>".repeat(50_000)
                );
                std::fs::write(r.join("feed.xml"), feed).unwrap();
            },
            &["import", "feed.xml", "--topic", "gaza"],
            fails(&["feed.xml: error: HTML elements are nested 50005 deep"]),
        ),
        (
            "a long but shallow html table",
            |r| {
                let rows = "<tr><td>a<td>b<td><span>c</span></tr>\n".repeat(20_000);
                put(
                    r,
                    "table.md",
                    article("Table", "", &format!("<table>\n{rows}</table>")),
                );
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/table/index.html"],
            },
        ),
        (
            "a wall of 50,000 dates",
            |r| {
                put(
                    r,
                    "dates.md",
                    article("Dates", "", &"on Monday ".repeat(50_000)),
                )
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/dates/index.html"],
            },
        ),
        (
            "nul bytes in the body",
            |r| put(r, "nul.md", article("Nul", "", "a\0b\0c")),
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/nul/index.html"],
            },
        ),
        (
            "nul bytes in front matter",
            |r| put(r, "nul.md", "---\ntitle: \"a\0b\"\ndate: 2025-04-18\n---\n"),
            build,
            fails(&["content/nul.md:"]),
        ),
        // ── The file system ──
        (
            "symlink loop",
            |r| {
                put(r, "ok.md", ok_article());
                std::os::unix::fs::symlink("loop", r.join("content/loop")).unwrap();
                std::os::unix::fs::symlink("..", r.join("content/up")).unwrap();
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/ok/index.html"],
            },
        ),
        (
            "symlinked article outside content",
            |r| {
                let outside = r.join("elsewhere.md");
                std::fs::write(&outside, article("Linked in", "", "text")).unwrap();
                std::fs::create_dir_all(r.join("content")).unwrap();
                std::os::unix::fs::symlink(&outside, r.join("content/linked.md")).unwrap();
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/linked/index.html"],
            },
        ),
        (
            "hidden files and folders",
            |r| {
                put(r, "ok.md", ok_article());
                put(r, ".draft.md", "not front matter at all");
                put(r, ".git/objects/x.md", "nor this");
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/ok/index.html"],
            },
        ),
        (
            "a folder named like an article",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::create_dir_all(r.join("content/folder.md")).unwrap();
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/ok/index.html"],
            },
        ),
        (
            "10,000 files in one folder",
            |r| {
                for i in 0..10_000 {
                    put(
                        r,
                        &format!("a{i:05}.md"),
                        article(&format!("Report {i}"), "", "Short."),
                    );
                }
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/a09999/index.html"],
            },
        ),
        // ── Paths, slugs and topics ──
        (
            "slug with path traversal",
            |r| {
                put(r, "t.md", article("T", "slug: ../../../../tmp/evil\n", "x"));
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/tmp-evil/index.html"],
            },
        ),
        (
            "absolute slug",
            |r| put(r, "t.md", article("T", "slug: /etc/passwd\n", "x")),
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/etc-passwd/index.html"],
            },
        ),
        (
            "slug without letters",
            |r| put(r, "t.md", article("T", "slug: \"!!!\"\n", "x")),
            build,
            fails(&["content/t.md:", "slug"]),
        ),
        (
            "file name with traversal-like characters",
            |r| {
                put(r, "..weird name ..md", ok_article());
                put(r, "ok.md", ok_article());
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["articles/ok/index.html"],
            },
        ),
        (
            "file names without letters or digits",
            |r| {
                put(r, "-.md", article("Titled report", "", "x"));
                put(r, "!!.md", article("\"!!\"", "", "x"));
            },
            build,
            fails(&["content/!!.md:1:", "add a `slug:`"]),
        ),
        (
            "slug collision",
            |r| {
                put(r, "a b.md", ok_article());
                put(r, "a-b.md", ok_article());
            },
            build,
            fails(&["content/a-b.md", "content/a b.md", "a-b"]),
        ),
        (
            "explicit slug collision",
            |r| {
                put(r, "one.md", article("One", "slug: same\n", "x"));
                put(r, "two.md", article("Two", "slug: same\n", "x"));
            },
            build,
            fails(&["content/two.md", "content/one.md", "same"]),
        ),
        (
            "topic with path traversal",
            |r| {
                put(
                    r,
                    "t.md",
                    "---\ntitle: T\ndate: 2025-04-18\ntopics: [\"../../etc\"]\n---\n",
                );
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["topics/etc/index.html"],
            },
        ),
        (
            "topic without letters",
            |r| {
                put(
                    r,
                    "t.md",
                    "---\ntitle: T\ndate: 2025-04-18\ntopics: [\"///\"]\n---\n",
                );
            },
            build,
            fails(&["content/t.md:4:", "has no letters or digits"]),
        ),
        (
            "too many topics",
            |r| {
                let topics: Vec<String> = (0..1000).map(|i| format!("t{i}")).collect();
                put(
                    r,
                    "t.md",
                    format!(
                        "---\ntitle: T\ndate: 2025-04-18\ntopics: [{}]\n---\n",
                        topics.join(", ")
                    ),
                );
            },
            build,
            fails(&[
                "content/t.md:4:",
                "1000 topics; an article may have at most 32",
            ]),
        ),
        (
            "too many sources",
            |r| {
                let sources: String = (0..500)
                    .map(|i| format!("  - https://example.org/{i}\n"))
                    .collect();
                put(
                    r,
                    "t.md",
                    format!("---\ntitle: T\ndate: 2025-04-18\nsources:\n{sources}---\n"),
                );
            },
            build,
            fails(&[
                "content/t.md:4:",
                "500 sources; an article may have at most 100",
            ]),
        ),
        // ── Script injection ──
        (
            "xss in every front matter field",
            |r| {
                let x = "\"<script>alert('XSS')</script><img src=x onerror=alert('XSS')>\"";
                put(
                    r,
                    "x.md",
                    format!(
                        "---\ntitle: {x}\ndate: 2025-04-18\ntopics: [{x}]\nsources:\n  - name: {x}\n    url: https://example.org/a?q=<script>\nsummary: {x}\nlocation: {x}\ntags: [{x}]\nstory: {x}\nlang: ar\nextra_field: {x}\n---\n\nBody.\n"
                    ),
                );
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["index.html"],
            },
        ),
        (
            "markup as a language tag",
            |r| {
                put(
                    r,
                    "x.md",
                    article("T", "lang: \"en\\\" onload=\\\"alert(1)\"\n", "x"),
                );
            },
            build,
            fails(&["content/x.md:8:", "`lang` must be a language tag"]),
        ),
        (
            "xss in the body",
            |r| {
                put(
                    r,
                    "x.md",
                    article(
                        "Body",
                        "",
                        "<script>alert('XSS')</script>\n\n<img src=x onerror=alert('XSS')>\n\n<a href=\"javascript:alert('XSS')\">a</a>\n\n<svg onload=alert('XSS')></svg>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<style>body{display:none}</style>",
                    ),
                );
            },
            build,
            OK,
        ),
        (
            "javascript: source url",
            |r| {
                put(
                    r,
                    "x.md",
                    "---\ntitle: T\ndate: 2025-04-18\nsources:\n  - name: Evil\n    url: javascript:alert(1)\n---\n",
                );
            },
            build,
            fails(&["content/x.md:6:", "http"]),
        ),
        (
            "javascript: source url in capitals with spaces",
            |r| {
                put(
                    r,
                    "x.md",
                    "---\ntitle: T\ndate: 2025-04-18\nsources:\n  - name: Evil\n    url: \"  JaVaScRiPt:alert(1)\"\n---\n",
                );
            },
            build,
            fails(&["content/x.md:6:", "http"]),
        ),
        (
            "data: source url",
            |r| {
                put(
                    r,
                    "x.md",
                    "---\ntitle: T\ndate: 2025-04-18\nsources:\n  - name: Evil\n    url: \"data:text/html,<script>alert(1)</script>\"\n---\n",
                );
            },
            build,
            fails(&["content/x.md:6:", "http"]),
        ),
        (
            "javascript: links in the body, any spelling",
            |r| {
                put(
                    r,
                    "x.md",
                    article(
                        "Links",
                        "",
                        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c]( javascript:alert(1)) [d](&#106;avascript:alert(1)) [e](java&#x09;script:alert(1)) [f](vbscript:msgbox(1)) ![g](data:image/svg+xml,<svg/onload=alert(1)>) <a href=\" javascript:alert(1)\">h</a> <a href=\"&#x6A;avascript:alert(1)\">i</a>",
                    ),
                );
            },
            build,
            OK,
        ),
        (
            "markdown autolinks and raw urls",
            |r| {
                put(
                    r,
                    "x.md",
                    article(
                        "Auto",
                        "",
                        "<javascript:alert(1)> <data:text/html,x> www.example.org",
                    ),
                );
            },
            build,
            OK,
        ),
        // ── The output folder ──
        (
            "output is content/",
            |r| put(r, "ok.md", ok_article()),
            &["build", "--output", "content"],
            fails(&["output folder"]),
        ),
        (
            "output is the project root",
            |r| put(r, "ok.md", ok_article()),
            &["build", "--output", "."],
            fails(&["output folder"]),
        ),
        (
            "output inside content/",
            |r| put(r, "ok.md", ok_article()),
            &["build", "--output", "content/site"],
            fails(&["output folder"]),
        ),
        (
            "output is templates/",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::create_dir_all(r.join("templates")).unwrap();
            },
            &["build", "--output", "templates"],
            fails(&["output folder"]),
        ),
        (
            "output is a symlink to a folder",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::create_dir_all(r.join("site/public")).unwrap();
                std::fs::write(r.join("site/public/old.html"), "old").unwrap();
                std::os::unix::fs::symlink("site/public", r.join("output")).unwrap();
            },
            build,
            Expect {
                code: 0,
                stderr: &[],
                files: &["index.html", "articles/ok/index.html"],
            },
        ),
        (
            "output is a file",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::write(r.join("output"), "a file").unwrap();
            },
            build,
            fails(&["output"]),
        ),
        // ── Configuration and dates ──
        (
            "config alias bomb",
            |r| {
                put(r, "ok.md", ok_article());
                let mut y = String::from("title: Bomb\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
                for i in 1..12 {
                    let p = i - 1;
                    y.push_str(&format!("x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"));
                }
                std::fs::write(r.join("briefing.yaml"), y).unwrap();
            },
            build,
            fails(&["briefing.yaml:"]),
        ),
        (
            "config that is not utf-8",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::write(r.join("briefing.yaml"), b"title: Caf\xe9\n").unwrap();
            },
            build,
            fails(&["briefing.yaml:1:11", "not UTF-8"]),
        ),
        (
            "config with an unknown time zone",
            |r| {
                put(r, "ok.md", ok_article());
                std::fs::write(
                    r.join("briefing.yaml"),
                    "title: T\ntimezone: Mars/Olympus\n",
                )
                .unwrap();
            },
            build,
            fails(&["briefing.yaml:2:", "Mars/Olympus"]),
        ),
        (
            "dates out of range",
            |r| {
                put(r, "a.md", "---\ntitle: A\ndate: 99999-01-01\n---\n");
                put(r, "b.md", "---\ntitle: B\ndate: 0000-00-00\n---\n");
                put(r, "c.md", "---\ntitle: C\ndate: 2025-02-30\n---\n");
            },
            build,
            fails(&["content/a.md:3:", "content/b.md:3:", "content/c.md:3:"]),
        ),
        (
            "every problem in one run",
            |r| {
                put(r, "a.md", "no front matter");
                put(r, "b.md", "---\ntitle: [x]\ndate: nope\n---\n");
                put(r, "c.md", ok_article());
            },
            build,
            fails(&["content/a.md:1:1", "content/b.md:2:", "content/b.md:3:"]),
        ),
    ]
}

/// Every file under `dir` (not following links) with its bytes' hash, skipping `skip`.
fn snapshot(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !skip.iter().any(|s| e.path() == dir.join(s)))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (e.path().to_path_buf(), xxhash_rust::xxh3::xxh3_64(&bytes))
        })
        .collect()
}

/// Runs the binary with `args` in `root` and returns exit code, stderr, wall time and
/// peak memory (MB).
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its peak memory
fn run(root: &Path, args: &[&str]) -> (i32, String, Duration, u64) {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .args(["--as-of", crate::harness::AS_OF])
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let stderr = child.stderr.map(|mut e| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut e, &mut s).unwrap();
        s
    });
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let status = std::process::ExitStatus::from_raw(status);
    let code = status
        .code()
        .unwrap_or_else(|| panic!("killed by signal {:?}", status.signal()));
    let root_text = root.to_string_lossy().into_owned();
    let stderr = stderr.unwrap_or_default().replace(&root_text, "[ROOT]");
    (
        code,
        stderr,
        started.elapsed(),
        usage.ru_maxrss as u64 / 1024,
    )
}

/// Every tag that could run script in the site's pages ([`live_script`]), by file.
fn check_pages(output: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("html" | "xml")
        ) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for tag in live_script(&text) {
            problems.push(format!("{}: {tag}", path.display()));
        }
    }
    problems
}

#[test]
fn hostile_projects_get_exact_behaviour() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for (name, setup, args, expect) in cases {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("project");
        std::fs::create_dir_all(root.join("content")).unwrap();
        setup(&root);
        // (`project/site` is where one case points a symlinked output folder.)
        let before = snapshot(outer.path(), &["project/output", "project/site"]);
        let (code, stderr, took, peak_mb) = run(&root, args);
        let mut problems = Vec::new();
        if code != expect.code {
            problems.push(format!("exit {code}, expected {}", expect.code));
        }
        if stderr.contains("panicked") || code > 1 {
            problems.push("panicked".into());
        }
        for needle in expect.stderr {
            if !stderr.contains(needle) {
                problems.push(format!("stderr lacks {needle:?}"));
            }
        }
        for file in expect.files {
            if !root.join("output").join(file).is_file() {
                problems.push(format!("no output/{file}"));
            }
        }
        if took > TIME_LIMIT {
            problems.push(format!("took {took:?}"));
        }
        if peak_mb > MEMORY_LIMIT_MB {
            problems.push(format!("used {peak_mb} MB"));
        }
        // Nothing outside output/ changed, apart from the build cache.
        let after = snapshot(
            outer.path(),
            &["project/output", "project/site", "project/.briefing-cache"],
        );
        let before: BTreeMap<_, _> = before
            .into_iter()
            .filter(|(p, _)| !p.starts_with(root.join(".briefing-cache")))
            .collect();
        if after != before {
            let changed: Vec<_> = after
                .iter()
                .filter(|(p, h)| before.get(*p) != Some(h))
                .map(|(p, _)| p.display().to_string())
                .collect();
            problems.push(format!("wrote outside output/: {changed:?}"));
        }
        let names: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".staging-") || n.contains(".old-") || n.contains(".spare-"))
            .collect();
        if !names.is_empty() {
            problems.push(format!("left {names:?}"));
        }
        if root.join("output").is_dir() {
            problems.extend(check_pages(&root.join("output")));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n--- stderr:\n{stderr}",
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_page_check_finds_live_script_and_passes_escaped_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = |name: &str, html: &str| std::fs::write(dir.path().join(name), html).unwrap();
    page(
        "safe.html",
        "<link rel=\"icon\" href=\"data:,\"><p title=\"x onerror=alert(1)\">&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p><a href=\"https://example.org/?q=javascript:\">ok</a><script src=\"assets/search.js\"></script>",
    );
    assert_eq!(check_pages(dir.path()), Vec::<String>::new());
    for (name, html) in [
        ("a.html", "<img src=x onerror=alert(1)>"),
        ("b.html", "<a href=\"&#106;avascript:alert(1)\">x</a>"),
        ("c.html", "<a href=\" JaVa&#x09;Script:alert(1)\">x</a>"),
        ("d.xml", "<img src='data:image/svg+xml,x'>"),
        ("e.html", "<script>alert(1)</script>"),
        ("f.html", "<iframe src=\"https://evil.example\"></iframe>"),
    ] {
        let one = tempfile::tempdir().unwrap();
        std::fs::write(one.path().join(name), html).unwrap();
        assert_eq!(check_pages(one.path()).len(), 1, "{html}");
    }
}
