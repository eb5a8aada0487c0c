//! Properties of whole builds, checked on generated projects (proptest): every string
//! field is escaped on every page; slugs are `[a-z0-9-]` and unique, or the collision
//! is reported; the output does not depend on the order files are found or processed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use crate::harness::AS_OF;

fn build(root: &Path, threads: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--quiet", "--as-of", AS_OF])
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(root)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Text with markup characters in it, always with a tag-like `<i` + letter.
fn hostile() -> impl Strategy<Value = String> {
    ("[a-z]{1,6}", "[ a-zA-Z<>&\"'/=]{0,12}", "[a-z]{1,4}")
        .prop_map(|(a, mid, z)| format!("{a}<i{z} x='1' onmouseover=\"go()\">{mid}&amp;</i{z}>"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_string_field_is_escaped_on_every_page(
        title in hostile(), summary in hostile(), source in hostile(),
        location in hostile(), tag in hostile(), topic in hostile(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let q = |s: &str| serde_json::to_string(s).unwrap();
        write(dir.path(), "content/a.md", &format!(
            "---\ntitle: {}\ndate: 2025-04-18T09:00:00Z\ntopics: [{}]\nsources:\n  - name: {}\n    url: https://example.org/a\nsummary: {}\nlocation: {}\ntags: [{}]\n---\n\nBody.\n",
            q(&title), q(&topic), q(&source), q(&summary), q(&location), q(&tag),
        ));
        let (code, stderr) = build(dir.path(), "2");
        prop_assert_eq!(code, 0, "{}", stderr);
        let fields = [&title, &source, &location, &tag, &topic];
        for (rel, bytes) in crate::harness::files_in(&dir.path().join("output")) {
            if !(rel.ends_with(".html") || rel.ends_with(".xml")) {
                continue;
            }
            let page = String::from_utf8(bytes).unwrap();
            prop_assert!(!page.contains("onmouseover=\"go()\""), "{} has a live attribute", rel);
            for field in fields {
                let tag = &field[field.find("<i").unwrap()..];
                let tag = &tag[..tag.find(' ').unwrap()];
                prop_assert!(!page.contains(&format!("{tag} ")), "{} has a raw {}", rel, tag);
            }
        }
        // And the title is there, escaped.
        let article = std::fs::read_to_string(dir.path().join("output/articles/a/index.html")).unwrap();
        let escaped = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let shown = article.replace("&#39;", "'").replace("&quot;", "\"").replace("&#x27;", "'");
        prop_assert!(shown.contains(&escaped), "title {:?} not shown escaped", title);
    }

    #[test]
    fn slugs_are_plain_and_unique_or_the_collision_is_reported(
        names in proptest::collection::vec("[ a-zA-Z0-9éÜ_.-]{1,10}", 2..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // Names that all start with a dot leave no article: an empty briefing.
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let mut seen = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            let file = format!("content/{}.md", name.trim());
            if name.trim().is_empty() || name.starts_with('.') || seen.contains_key(&file) {
                continue;
            }
            seen.insert(file.clone(), i);
            write(dir.path(), &file, &format!(
                "---\ntitle: Report {i}\ndate: 2025-04-18T09:00:00Z\n---\n\nBody.\n"
            ));
        }
        let (code, stderr) = build(dir.path(), "2");
        prop_assert!(code == 0 || code == 1, "{}", stderr);
        let mut by_slug: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in seen.keys() {
            let stem = Path::new(file).file_stem().unwrap().to_string_lossy().into_owned();
            let mut slug = briefing::load::default_slug(&format!("{stem}.md"));
            if slug.is_empty() {
                // Such a file takes its title's slug ("Report 3" → report-3).
                slug = format!("report-{}", seen[file]);
            }
            by_slug.entry(slug).or_default().push(file.clone());
        }
        let collides = by_slug.values().any(|files| files.len() > 1);
        if collides {
            prop_assert_eq!(code, 1);
            for (slug, files) in &by_slug {
                if files.len() > 1 {
                    prop_assert!(stderr.contains(slug.as_str()), "{} not named: {}", slug, stderr);
                }
            }
        } else {
            prop_assert_eq!(code, 0, "{}", stderr);
            // No articles folder when every name started with a dot.
            let articles = dir.path().join("output/articles");
            for entry in std::fs::read_dir(articles).into_iter().flatten() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                prop_assert!(!name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{}", name);
            }
        }
    }

    #[test]
    fn output_bytes_do_not_depend_on_file_order(
        order in Just((0..12usize).collect::<Vec<_>>()).prop_shuffle(),
        same_time in proptest::bool::ANY,
    ) {
        // Twelve articles with many ties (same time, same title), each written under a
        // file name taken from the shuffled order, with its own explicit slug.
        let project = |perm: &[usize], threads: &str| {
            let dir = tempfile::tempdir().unwrap();
            for (i, &k) in perm.iter().enumerate() {
                let hour = if same_time { 9 } else { 9 + i % 3 };
                write(dir.path(), &format!("content/{}/f{k:02}.md", k % 3), &format!(
                    "---\ntitle: Strike {}\nslug: s{i:02}\ndate: 2025-04-18T{hour:02}:00:00Z\ntopics: [gaza, t{}]\nsources:\n  - name: Wire {}\n    url: https://example.org/{i}\n---\n\nBody {i}.\n",
                    i % 2, i % 4, i % 5
                ));
            }
            let (code, stderr) = build(dir.path(), threads);
            assert_eq!(code, 0, "{stderr}");
            let mut files = crate::harness::files_in(&dir.path().join("output"));
            // The only thing allowed to differ: where each article's file is.
            files.remove("timeline.json");
            files.remove("articles.csv");
            files
        };
        let identity: Vec<usize> = (0..12).collect();
        let reference = project(&identity, "1");
        let shuffled = project(&order, "2");
        prop_assert_eq!(reference.keys().collect::<Vec<_>>(), shuffled.keys().collect::<Vec<_>>());
        for (rel, bytes) in &reference {
            prop_assert!(shuffled[rel] == *bytes, "{} differs", rel);
        }
    }
}
