//! Every relative link and resource in every generated HTML page resolves to a file in
//! output/, and a failed build leaves the previous output untouched.

use std::path::Path;

use crate::harness::Project;

/// The values of `href="…"` and `src="…"` attributes in `html`.
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').expect("closing quote");
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

fn check_links(p: &Project) -> usize {
    let out = p.path().join("output");
    let mut checked = 0;
    for file in p.files("output").iter().filter(|f| f.ends_with(".html")) {
        let page = out.join(file);
        let html = std::fs::read_to_string(&page).unwrap();
        for url in urls(&html) {
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
                continue;
            }
            let (path, fragment) = url.split_once('#').unwrap_or((&url, ""));
            assert!(!path.starts_with('/'), "{file}: root-relative link {url}");
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            let target = normalise(&target);
            assert!(target.starts_with(&out), "{file}: {url} leaves output/");
            assert!(target.is_file(), "{file}: {url} does not resolve to a file");
            if !fragment.is_empty() && target.extension().is_some_and(|e| e == "html") {
                let t = std::fs::read_to_string(&target).unwrap();
                assert!(
                    t.contains(&format!("id=\"{fragment}\"")),
                    "{file}: {url}: no #{fragment}"
                );
            }
            checked += 1;
        }
    }
    checked
}

fn normalise(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn every_relative_link_resolves_in_the_fixture() {
    let p = Project::fixture("build/basic");
    p.run(&["build", "--drafts"]).success();
    assert!(check_links(&p) > 50);
}

#[test]
fn every_relative_link_resolves_in_the_sample() {
    let p = Project::sample();
    p.run(&["build"]).success();
    assert!(check_links(&p) > 100);
}

#[test]
fn failed_build_keeps_previous_output() {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    let before = p.files("output");
    let index = p.read("output/index.html");
    p.write("content/2025/broken.md", "---\ntitle: [unclosed\n---\n");
    p.run(&["build"]).code(1);
    assert_eq!(p.files("output"), before);
    assert_eq!(p.read("output/index.html"), index);
    let leftovers: Vec<String> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("staging") || n.contains(".old-") || n.contains(".spare-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn output_may_not_be_an_input_folder() {
    let p = Project::fixture("build/basic");
    for bad in [".", "content", "templates", "content/site"] {
        let r = p.run(&["build", "--output", bad]).code(1);
        assert!(
            r.stderr.contains("choose a separate one"),
            "{bad}: {}",
            r.stderr
        );
    }
    assert!(p.exists("content/2025/strikes.md"), "content untouched");
}
