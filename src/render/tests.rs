//! Tests of the template API: link resolution, and docs/templates.md against the real
//! context of every page kind (a documented variable that disappears, or a variable
//! that nobody documented, fails here).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;
use crate::diagnostics::Diagnostics;
use crate::timeline::{self, Selection};

#[test]
fn resolves_relative_links() {
    assert_eq!(
        resolve_link("2025/a.md", "../2020/b.md").as_deref(),
        Some("2020/b.md")
    );
    assert_eq!(
        resolve_link("2025/a.md", "c.md").as_deref(),
        Some("2025/c.md")
    );
    assert_eq!(
        resolve_link("a.md", "./x/y%20z.md").as_deref(),
        Some("x/y z.md")
    );
    assert_eq!(resolve_link("a.md", "../../etc/passwd.md"), None);
}

#[test]
fn tidies_markdown() {
    let messy = "\n\n# T  \n\n\n\n- a \n- b\n\n```\ncode  \n\n\n```\n\n\n";
    assert_eq!(
        tidy_markdown(messy),
        "# T\n\n- a\n- b\n\n```\ncode  \n\n\n```\n"
    );
    assert_eq!(tidy_markdown(""), "");
}

/// Dotted paths of a JSON value; array elements as `[]`; objects at `opaque` paths (maps
/// with user-defined keys) are not descended into.
fn paths(
    prefix: &str,
    v: &serde_json::Value,
    opaque: &BTreeSet<String>,
    out: &mut BTreeSet<String>,
) {
    if !prefix.is_empty() {
        out.insert(prefix.to_string());
    }
    if opaque.contains(prefix) {
        return;
    }
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                paths(&p, child, opaque, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                paths(&format!("{prefix}[]"), item, opaque, out);
            }
        }
        _ => {}
    }
}

/// A documented table row: path (or field name), and its type column.
type Row = (String, String);

/// The tables of docs/templates.md by `## ` heading.
fn doc_tables() -> BTreeMap<String, Vec<Row>> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .expect("docs/templates.md exists");
    let mut sections: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if in_code {
            continue;
        } else if let Some(h) = line.strip_prefix("## ") {
            current = h.trim().to_string();
            sections.entry(current.clone()).or_default();
        } else if let Some(row) = line.strip_prefix("| `") {
            let Some((name, rest)) = row.split_once('`') else {
                continue;
            };
            let kind = rest.split('|').nth(1).unwrap_or("").trim().to_string();
            sections
                .entry(current.clone())
                .or_default()
                .push((name.to_string(), kind));
        }
    }
    sections
}

/// Expands documented rows into every path they imply: `latest` of type "list of
/// `Article`" gives `latest`, `latest[]` and `latest[].title`, … Maps are opaque.
fn expand(
    prefix: &str,
    rows: &[Row],
    types: &BTreeMap<String, Vec<Row>>,
    out: &mut BTreeSet<String>,
    opaque: &mut BTreeSet<String>,
) {
    for (name, kind) in rows {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        out.insert(path.clone());
        if kind.contains("map") {
            opaque.insert(path.clone());
            continue;
        }
        let inner = if kind.contains("list") {
            let p = format!("{path}[]");
            out.insert(p.clone());
            p
        } else {
            path.clone()
        };
        let type_name = kind.split('`').nth(1);
        if let Some(fields) = type_name.and_then(|t| types.get(t)) {
            expand(&inner, fields, types, out, opaque);
        }
    }
}

#[test]
fn docs_describe_exactly_the_context_of_every_page_kind() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/basic");
    let mut diags = Diagnostics::new();
    let site = crate::config::load(&root.join("briefing.yaml"), None, &mut diags);
    let (mut articles, _) = crate::load::articles(&root.join("content"), &site, &root).unwrap();
    // Reports paired into stories, so that every kind of entry has a story whose lists
    // are not empty.
    let n = articles.len();
    for (i, a) in articles.iter_mut().enumerate() {
        a.story = Some(format!("s{}", (i / 2).min(n.saturating_sub(2) / 2)));
    }
    let known: BTreeSet<String> = articles.iter().map(|a| a.path.clone()).collect();
    let all = Selection {
        drafts: true,
        ..Selection::default()
    };
    let briefing = timeline::arrange(articles, &site, &all);
    let now = chrono::DateTime::parse_from_rfc3339("2025-04-23T08:00:00+03:00")
        .unwrap()
        .to_utc();
    let pages = Pages::new(&briefing, &site, now, &known);
    let tables = doc_tables();
    let types: BTreeMap<String, Vec<Row>> = tables
        .iter()
        .filter_map(|(h, rows)| {
            let name = h.strip_prefix("The `")?.strip_suffix("` object")?;
            Some((name.to_string(), rows.clone()))
        })
        .collect();
    let mut opaque = BTreeSet::new();
    let mut common = BTreeSet::new();
    expand(
        "",
        tables
            .get("Every template")
            .expect("an `Every template` section"),
        &types,
        &mut common,
        &mut opaque,
    );
    let mut docs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (heading, rows) in tables.iter().filter(|(h, _)| !h.starts_with("The `")) {
        let mut set = BTreeSet::new();
        expand("", rows, &types, &mut set, &mut opaque);
        docs.insert(heading.clone(), set);
    }
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for page in pages.plan() {
        let (vars, _) = pages.vars(&page);
        paths(
            "",
            &vars.to_json(),
            &opaque,
            actual.entry(page.template.clone()).or_default(),
        );
    }
    let mut problems = Vec::new();
    for (template, found) in &actual {
        let section = docs
            .iter()
            .find(|(h, _)| {
                h.split(',')
                    .any(|t| t.trim().trim_matches('`') == *template)
            })
            .or_else(|| docs.iter().find(|(h, _)| h.starts_with("Reports")))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let expected: BTreeSet<String> = common.union(&section).cloned().collect();
        for missing in expected.difference(found) {
            problems.push(format!(
                "{template}: documented `{missing}` is not in the context"
            ));
        }
        for undocumented in found.difference(&expected) {
            problems.push(format!("{template}: `{undocumented}` is not documented"));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/templates.md is out of date:\n{}",
        problems.join("\n")
    );
}
