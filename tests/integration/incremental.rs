//! Incremental builds: a rebuild after any change gives byte-for-byte the output of a
//! full build; unchanged files are not written; the cache can be deleted at any time;
//! thread count and file order do not change the output.

use std::collections::BTreeMap;
use std::process::Command;

use crate::harness::Project;

/// Every file of `output/` with its bytes.
fn tree(p: &Project) -> BTreeMap<String, Vec<u8>> {
    p.files("output")
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(p.path().join("output").join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// The output a full build from scratch gives for the project as it is now.
fn fresh(p: &Project) -> BTreeMap<String, Vec<u8>> {
    let copy = Project::empty();
    for f in p.files("") {
        if f.starts_with("output/") || f.starts_with(".briefing-cache/") {
            continue;
        }
        copy.write(&f, &p.read(&f));
    }
    copy.run(&["build"]).success();
    tree(&copy)
}

#[track_caller]
fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_same_after("", a, b);
}

#[track_caller]
fn assert_same_after(what: &str, a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: same files");
    for (k, v) in a {
        assert!(
            v == &b[k],
            "{what}: {k} differs from a full build:\n{}\n---\n{}",
            String::from_utf8_lossy(v),
            String::from_utf8_lossy(&b[k])
        );
    }
}

fn written(stderr: &str) -> usize {
    let i = stderr.find(" written").expect("summary line");
    let start = stderr[..i].rfind('(').expect("summary line") + 1;
    stderr[start..i].parse().expect("a count")
}

#[test]
fn nothing_changed_writes_nothing() {
    let p = Project::fixture("build/basic");
    let first = p.run(&["build"]).success();
    assert!(written(&first.stderr) > 30, "{}", first.stderr);
    let again = p.run(&["build"]).success();
    assert_eq!(written(&again.stderr), 0, "{}", again.stderr);
    assert!(p.exists(".briefing-cache"));
}

#[test]
fn every_kind_of_change_matches_a_full_build() {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    type Change = Box<dyn Fn(&Project)>;
    let steps: Vec<(&str, Change)> = vec![
        (
            "edit a summary",
            Box::new(|p: &Project| {
                let t = p
                    .read("content/2025/early.md")
                    .replace("Reported at 09:00", "Filed at 09:00");
                p.write("content/2025/early.md", &t);
            }),
        ),
        (
            "retitle an article",
            Box::new(|p: &Project| {
                let t = p
                    .read("content/2025/ceasefire.md")
                    .replace("Truce collapses", "Truce breaks down");
                p.write("content/2025/ceasefire.md", &t);
            }),
        ),
        (
            "move an article to another topic",
            Box::new(|p: &Project| {
                let t = p
                    .read("content/2025/early.md")
                    .replace("topics: [gaza-war]", "topics: [isis]");
                p.write("content/2025/early.md", &t);
            }),
        ),
        (
            "add an article",
            Box::new(|p: &Project| {
                p.write("content/2025/new.md", "---\ntitle: New one\ndate: 2025-04-24 10:00\ntopics: [iraq]\nsources: [https://example.org/new]\n---\nBody.\n");
            }),
        ),
        (
            "delete an article",
            Box::new(|p: &Project| {
                std::fs::remove_file(p.path().join("content/2025/arabic.md")).unwrap();
            }),
        ),
        (
            "change a template",
            Box::new(|p: &Project| {
                p.write(
                    "templates/topic.md",
                    "# {{ topic.title }} ({{ topic.count }})\n",
                );
            }),
        ),
        (
            "change the configuration",
            Box::new(|p: &Project| {
                let t = p
                    .read("briefing.yaml")
                    .replace("title: Test Desk", "title: Night Desk");
                p.write("briefing.yaml", &t);
            }),
        ),
        (
            "change the time zone",
            Box::new(|p: &Project| {
                let t = p
                    .read("briefing.yaml")
                    .replace("Asia/Baghdad", "Europe/London");
                p.write("briefing.yaml", &t);
            }),
        ),
    ];
    for (what, change) in steps {
        change(&p);
        let r = p.run(&["build"]).success();
        assert!(written(&r.stderr) > 0, "{what}: something was written");
        assert_same_after(what, &tree(&p), &fresh(&p));
    }
    assert!(
        !p.exists("output/articles/gaza-arabic/index.html"),
        "deleted article's page removed"
    );
}

#[test]
fn cache_can_be_deleted_at_any_time() {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    let before = tree(&p);
    std::fs::remove_dir_all(p.path().join(".briefing-cache")).unwrap();
    let r = p.run(&["build"]).success();
    assert!(r.stderr.contains("0 removed"), "{}", r.stderr);
    assert_same(&tree(&p), &before);
    // A damaged cache is as good as none.
    for f in p.files(".briefing-cache") {
        p.write(&format!(".briefing-cache/{f}"), "not a cache");
    }
    p.run(&["build"]).success();
    assert_same(&tree(&p), &before);
}

#[test]
fn damaged_output_is_repaired() {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    let before = tree(&p);
    std::fs::remove_file(p.path().join("output/articles/wadi/index.html")).unwrap();
    p.write("output/topics/iraq.md", "edited by hand");
    let r = p.run(&["build"]).success();
    assert_eq!(written(&r.stderr), 2, "{}", r.stderr);
    assert_same(&tree(&p), &before);
}

#[test]
fn output_does_not_depend_on_threads_or_file_order() {
    let run = |threads: &str| {
        let p = Project::fixture("build/basic");
        // More files, created in reverse name order.
        for i in (0..40).rev() {
            p.write(
                &format!("content/bulk/{i:02}.md"),
                &format!("---\ntitle: Bulk {}\ndate: 2025-04-2{} 0{}:00\ntopics: [iraq, isis]\nsources: [https://example.org/{i}]\n---\nText {i}.\n", i % 7, i % 3, i % 9),
            );
        }
        let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("build")
            .current_dir(p.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success());
        tree(&p)
    };
    assert_same(&run("1"), &run("2"));
    assert_same(&run("1"), &run("4"));
}

#[test]
fn unchanged_inputs_skip_the_build_entirely() {
    let p = Project::fixture("digest/newyork");
    p.run(&["build"]).success();
    let before = tree(&p);
    let r = p.run(&["build"]).success();
    assert!(r.stderr.contains("nothing changed: "), "{}", r.stderr);
    // Touching a file (same bytes, new time) is a change of inputs, but no output differs.
    let text = p.read("content/after-dst.md");
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.write("content/after-dst.md", &text);
    let r = p.run(&["build"]).success();
    assert_eq!(written(&r.stderr), 0, "{}", r.stderr);
    // Damaged output is noticed even when the inputs are unchanged.
    std::fs::remove_file(p.path().join("output/index.html")).unwrap();
    let r = p.run(&["build"]).success();
    assert_eq!(written(&r.stderr), 1, "{}", r.stderr);
    assert_same(&tree(&p), &before);
    // Other options are other inputs.
    let r = p.run(&["build", "--topic", "markets"]).success();
    assert!(!r.stderr.contains("nothing changed"), "{}", r.stderr);
}

#[test]
fn warnings_are_reported_again_when_nothing_changed() {
    let p = Project::fixture("digest/newyork");
    p.write("content/broken-link.md", "---\ntitle: Link\ndate: 2025-03-09\nsources: [https://example.org/x]\n---\nSee [gone](gone.md).\n");
    let first = p.run(&["build"]).success();
    assert!(
        first.stderr.contains("warning: link to `gone.md`"),
        "{}",
        first.stderr
    );
    let again = p.run(&["build"]).success();
    assert!(again.stderr.contains("nothing changed"), "{}", again.stderr);
    assert!(
        again.stderr.contains("warning: link to `gone.md`"),
        "{}",
        again.stderr
    );
}
