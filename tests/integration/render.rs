//! `briefing render` and configured reports: custom templates over a selection, and
//! `--context`.

use crate::harness::Project;

const AS_OF: &str = "2025-04-23T08:00:00+03:00";

#[test]
fn renders_a_user_report_over_a_selection() {
    let p = Project::fixture("build/basic");
    let out = p
        .run(&[
            "--as-of",
            AS_OF,
            "render",
            "reports/weekly.md",
            "--topic",
            "gaza",
            "--date",
            "2025-04-22",
            "--days",
            "7",
        ])
        .success()
        .stdout;
    insta::assert_snapshot!("weekly-report", out);
}

#[test]
fn configured_reports_are_written_by_build() {
    let p = Project::fixture("build/basic");
    p.run(&["--as-of", AS_OF, "build"]).success();
    let report = p.read("output/reports/gaza-weekly.md");
    assert!(
        report.starts_with("# Weekly: Gaza war, 2025-04-17 to 2025-04-23"),
        "{report}"
    );
    assert!(report.contains("Truce collapses"), "{report}");
    assert!(
        !report.contains("Coalition strike"),
        "other topics left out:\n{report}"
    );
}

#[test]
fn context_prints_every_variable_as_json() {
    let p = Project::fixture("build/basic");
    let out = p
        .run(&["--as-of", AS_OF, "render", "--context", "--topic", "isis"])
        .success()
        .stdout;
    let ctx: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    for key in [
        "site",
        "topics",
        "articles",
        "now",
        "digest",
        "days",
        "months",
        "selection",
        "topic",
        "sources",
    ] {
        assert!(ctx.get(key).is_some(), "missing `{key}`");
    }
    assert_eq!(ctx["topic"]["id"], "isis");
    assert_eq!(ctx["articles"].as_array().unwrap().len(), 1);
    assert_eq!(ctx["selection"]["topics"][0], "isis");
    assert_eq!(ctx["now"], "2025-04-23T08:00:00+03:00");
}

#[test]
fn builtin_templates_render_too() {
    let p = Project::fixture("build/basic");
    let out = p
        .run(&[
            "--as-of",
            AS_OF,
            "render",
            "digest.md",
            "--date",
            "2025-04-22",
        ])
        .success()
        .stdout;
    assert!(out.starts_with("# Test Desk: Tuesday 2025-04-22"), "{out}");
}

#[test]
fn unknown_template_and_missing_variables_are_errors() {
    let p = Project::fixture("build/basic");
    let r = p.run(&["render", "nope.md"]).code(2);
    assert!(
        r.stderr.contains("no template named `nope.md`; available:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("reports/weekly.md"), "{}", r.stderr);
    p.write("templates/bad.md", "line one\n{{ digest.no_such_thing }}\n");
    let r = p.run(&["render", "bad.md"]).code(1);
    assert!(r.stderr.contains("templates/bad.md:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("rendering `bad.md`"), "{}", r.stderr);
}

#[test]
fn bad_report_configuration_is_reported_with_lines() {
    let p = Project::fixture("build/basic");
    let config = p.read("briefing.yaml").replace(
        "reports:\n",
        "reports:\n  - { template: missing.md, output: ../escape.md }\n  - { template: digest.md, output: index.html, topics: [\"!!\"] }\n",
    );
    p.write("briefing.yaml", &config);
    let r = p.run(&["check"]).code(1);
    assert!(
        r.stderr
            .contains("briefing.yaml:10: error: report template `missing.md` does not exist"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "briefing.yaml:10: error: report output `../escape.md` must be a plain relative path"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("report output `index.html` would overwrite a generated file"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("report topic `!!` is not a topic name"),
        "{}",
        r.stderr
    );
    p.run(&["build"]).code(1);
    assert!(!p.exists("output") && !p.path().join("../escape.md").exists());
}
