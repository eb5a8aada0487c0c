//! `briefing init`, `new` and `--eject-templates`: the first-run workflow.

use crate::harness::Project;

#[test]
fn init_new_build_workflow() {
    let p = Project::empty();
    p.run(&["init", "my-briefing"]).success();
    let dir = p.path().join("my-briefing");
    assert!(dir.join("briefing.yaml").is_file());
    assert!(dir.join("content").is_dir());
    let r = p
        .run_in(
            &dir,
            &[
                "--as-of",
                crate::harness::AS_OF,
                "new",
                "Talks resume: \"cautious\" optimism",
                "--topic",
                "Gaza War",
                "--source",
                "https://example.org/talks",
            ],
        )
        .success();
    assert_eq!(
        r.stdout.trim(),
        "content/2025/04/talks-resume-cautious-optimism.md"
    );
    let text = std::fs::read_to_string(dir.join(r.stdout.trim())).unwrap();
    insta::assert_snapshot!("new-article", text);
    p.run_in(&dir, &["build"]).success();
    assert!(
        dir.join("output/articles/talks-resume-cautious-optimism/index.html")
            .is_file()
    );
    assert!(dir.join("output/topics/gaza-war.md").is_file());
    p.run_in(&dir, &["check"]).success();
}

#[test]
fn new_never_overwrites() {
    let p = Project::empty();
    p.run(&["init"]).success();
    p.run(&["new", "Same", "--date", "2025-04-22"]).success();
    let r = p.run(&["new", "Same", "--date", "2025-04-22"]).code(1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    let r = p
        .run(&["new", "Bad source", "--source", "javascript:alert(1)"])
        .code(2);
    assert!(
        r.stderr.contains("must be an http:// or https:// URL"),
        "{}",
        r.stderr
    );
}

#[test]
fn init_refuses_an_existing_project() {
    let p = Project::empty();
    p.run(&["init"]).success();
    let r = p.run(&["init"]).code(1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}

#[test]
fn ejected_templates_are_used_by_the_next_build() {
    let p = Project::fixture("build/basic");
    p.run(&["init", "--eject-templates"]).success();
    for name in [
        "base.html",
        "topic.html",
        "topic.md",
        "article.html",
        "assets/style.css",
    ] {
        assert!(p.exists(&format!("templates/{name}")), "{name} ejected");
    }
    p.run(&["build"]).success();
    let before = p.read("output/topics/gaza-war.md");
    let edited = p
        .read("templates/topic.md")
        .replace("## Sources", "## Where this came from");
    p.write("templates/topic.md", &edited);
    let css = p.read("templates/assets/style.css");
    p.write(
        "templates/assets/style.css",
        &format!("{css}\n/* edited */\n"),
    );
    p.run(&["build"]).success();
    let after = p.read("output/topics/gaza-war.md");
    assert_ne!(before, after);
    assert!(after.contains("## Where this came from"), "{after}");
    assert!(
        p.read("output/assets/style.css")
            .ends_with("/* edited */\n")
    );
}
