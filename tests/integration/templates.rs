//! Template overrides: by name, `extends "builtin/…"`, errors naming template and line.

use crate::harness::{Project, main_of};

#[test]
fn project_template_overrides_builtin_by_name() {
    let p = Project::fixture("build/basic");
    p.write(
        "templates/topic.md",
        "{{ topic.title }}: {{ topic.count }} entries\n{% for day in days %}{{ day.key }}\n{% endfor %}",
    );
    p.run(&["build"]).success();
    assert_eq!(
        p.read("output/topics/gaza-war.md"),
        "Gaza war: 4 entries\n2025-03\n2025-04-22\n"
    );
}

#[test]
fn extends_builtin_and_replaces_one_block() {
    let p = Project::fixture("build/basic");
    p.write(
        "templates/article.html",
        r#"{% extends "builtin/article.html" %}{% block title %}Custom: {{ article.title }}{% endblock title %}"#,
    );
    p.run(&["build"]).success();
    let html = p.read("output/articles/early/index.html");
    assert!(
        html.contains("<title>Custom: Early report from Baghdad</title>"),
        "{html}"
    );
    assert!(
        main_of(&html).contains("<h1>Early report from Baghdad</h1>"),
        "rest of builtin kept"
    );
}

#[test]
fn overriding_base_changes_every_page() {
    let p = Project::fixture("build/basic");
    p.write(
        "templates/base.html",
        r#"<!DOCTYPE html><html lang="en"><head><title>{% block title %}x{% endblock title %}</title>{% block head %}{% endblock head %}</head><body><p>HOUSE STYLE</p><main>{% block main %}{% endblock main %}</main></body></html>"#,
    );
    p.run(&["build"]).success();
    for page in [
        "output/index.html",
        "output/topics/isis/index.html",
        "output/articles/wadi/index.html",
    ] {
        assert!(p.read(page).contains("HOUSE STYLE"), "{page}");
    }
}

#[test]
fn render_error_names_template_line_and_page() {
    let p = Project::fixture("build/basic");
    p.write(
        "templates/topic.md",
        "# {{ topic.title }}\n{{ topic.no_such_field }}\n",
    );
    let r = p.run(&["build"]).code(1);
    assert!(r.stderr.contains("templates/topic.md:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("rendering topics/"), "{}", r.stderr);
    assert!(!p.exists("output"), "nothing written");
}
