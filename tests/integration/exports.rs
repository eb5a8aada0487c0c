//! Feeds and machine-readable exports, parsed back and checked: Atom (site and topics),
//! JSON Feed 1.1, timeline.json, TimelineJS3 files, articles.csv.

use crate::harness::Project;

fn built() -> Project {
    let p = Project::fixture("build/basic");
    p.run(&["build"]).success();
    p
}

fn atom(p: &Project, path: &str) -> atom_syndication::Feed {
    p.read(path)
        .parse::<atom_syndication::Feed>()
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn atom_feeds_are_valid_and_complete() {
    let p = built();
    let feed = atom(&p, "output/feed.xml");
    assert_eq!(feed.title().as_str(), "Test Desk");
    assert_eq!(
        feed.id(),
        "urn:briefing:feed:feed.xml",
        "no base_url: urn ids"
    );
    assert!(!feed.authors().is_empty());
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    // Newest report first: the 2025-04-22 reports, then older.
    assert_eq!(
        titles[0], "Strikes kill 14 <in> Gaza & destroy bulldozers",
        "{titles:?}"
    );
    assert_eq!(titles.len(), 6, "{titles:?}");
    let strikes = &feed.entries()[0];
    assert_eq!(strikes.id(), "urn:briefing:article:strikes");
    assert_eq!(strikes.links()[0].href(), "articles/strikes/index.html");
    assert_eq!(
        strikes
            .links()
            .iter()
            .filter(|l| l.rel() == "related")
            .count(),
        2
    );
    assert_eq!(
        strikes.published().unwrap().to_rfc3339(),
        "2025-04-22T14:58:00+03:00"
    );
    let topic = atom(&p, "output/topics/gaza-war/feed.xml");
    assert_eq!(topic.title().as_str(), "Gaza war — Test Desk");
    assert_eq!(topic.entries().len(), 4);
    assert_eq!(
        topic.entries()[0].links()[0].href(),
        "../../articles/strikes/index.html"
    );
}

#[test]
fn feed_ids_are_stable_and_updated_moves_only_with_articles() {
    let p = built();
    let before = atom(&p, "output/feed.xml");
    // An older article added: ids and the feed's `updated` do not move.
    p.write(
        "content/old.md",
        "---\ntitle: Old news\ndate: 2019-01-01\ntopics: [isis]\nsources: [https://example.org/old]\n---\n",
    );
    p.run(&["build"]).success();
    let after = atom(&p, "output/feed.xml");
    assert_eq!(before.updated(), after.updated());
    let ids = |f: &atom_syndication::Feed| {
        f.entries()
            .iter()
            .map(|e| e.id().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        ids(&after).starts_with(&ids(&before)[..5]),
        "{:?}",
        ids(&after)
    );
    // A correction (`updated:`) moves the entry and the feed.
    let text = p.read("content/2020/wadi.md").replace(
        "date: 2020-06-22\n",
        "date: 2020-06-22\nupdated: 2025-05-01 10:00\n",
    );
    p.write("content/2020/wadi.md", &text);
    p.run(&["build"]).success();
    let corrected = atom(&p, "output/feed.xml");
    assert_eq!(
        corrected.updated().to_rfc3339(),
        "2025-05-01T10:00:00+03:00"
    );
    let wadi = corrected
        .entries()
        .iter()
        .find(|e| e.id() == "urn:briefing:article:wadi")
        .unwrap();
    assert_eq!(wadi.updated().to_rfc3339(), "2025-05-01T10:00:00+03:00");
    assert_eq!(
        wadi.published().unwrap().to_rfc3339(),
        "2020-06-22T00:00:00+03:00"
    );
}

#[test]
fn base_url_makes_feed_links_absolute() {
    let p = Project::fixture("build/basic");
    let config = p.read("briefing.yaml");
    p.write(
        "briefing.yaml",
        &format!("base_url: https://desk.example.org/brief\n{config}"),
    );
    p.run(&["build"]).success();
    let feed = atom(&p, "output/topics/isis/feed.xml");
    assert_eq!(
        feed.id(),
        "https://desk.example.org/brief/topics/isis/feed.xml"
    );
    assert_eq!(
        feed.entries()[0].id(),
        "https://desk.example.org/brief/articles/wadi/index.html"
    );
    let json: serde_json::Value = serde_json::from_str(&p.read("output/feed.json")).unwrap();
    assert_eq!(json["feed_url"], "https://desk.example.org/brief/feed.json");
    assert_eq!(
        json["home_page_url"],
        "https://desk.example.org/brief/index.html"
    );
}

#[test]
fn json_feed_follows_version_1_1() {
    let p = built();
    let json: serde_json::Value = serde_json::from_str(&p.read("output/feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["title"], "Test Desk");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    for item in items {
        // Required: id; and one of content_html / content_text.
        assert!(item["id"].as_str().is_some_and(|s| !s.is_empty()), "{item}");
        assert!(item["content_text"].is_string(), "{item}");
        assert!(
            item["date_published"].as_str().unwrap().contains('T'),
            "{item}"
        );
    }
    assert_eq!(
        items[0]["_briefing"]["sources"][0]["name"],
        "Business Standard (AP)"
    );
    let atom = atom(&p, "output/feed.xml");
    let atom_ids: Vec<&str> = atom.entries().iter().map(|e| e.id()).collect();
    let json_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(atom_ids, json_ids, "both feeds carry the same entries");
    assert!(p.exists("output/topics/iraq/feed.json"));
}

#[test]
fn timeline_json_matches_its_documented_schema() {
    let p = built();
    let t: serde_json::Value = serde_json::from_str(&p.read("output/timeline.json")).unwrap();
    assert_eq!(t["schema_version"], 1);
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/timeline-json.md"
    ))
    .unwrap();
    let articles = t["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 6);
    // Every key that appears is documented as `key` in docs/timeline-json.md.
    fn keys(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, c) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.push(p.clone());
                    keys(&p, c, out);
                }
            }
            serde_json::Value::Array(items) => items
                .iter()
                .for_each(|i| keys(&format!("{prefix}[]"), i, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    keys("", &t, &mut all);
    all.sort();
    all.dedup();
    for k in &all {
        assert!(
            doc.contains(&format!("`{k}`")),
            "timeline.json key `{k}` is not documented"
        );
    }
    let wadi = articles.iter().find(|a| a["id"] == "wadi").unwrap();
    assert_eq!(wadi["event"]["precision"], "day");
    assert_eq!(wadi["placed"]["value"], "2020-06-19");
    assert_eq!(wadi["reported"]["date"], "2020-06-22");
    assert_eq!(wadi["topics"], serde_json::json!(["isis", "iraq"]));
    let truce = articles.iter().find(|a| a["id"] == "ceasefire").unwrap();
    assert_eq!(truce["placed"]["start"], "2025-03-01");
    assert_eq!(truce["placed"]["end"], "2025-03-31");
}

#[test]
fn timelinejs_files_have_the_documented_structure() {
    let p = built();
    let t: serde_json::Value =
        serde_json::from_str(&p.read("output/topics/gaza-war/timelinejs.json")).unwrap();
    // TimelineJS3 JSON format: optional `title` slide, required `events`; each event has a
    // `start_date` with a numeric `year` (month/day/hour/minute optional numbers) and a
    // `text` with `headline`/`text`; `unique_id`s must be unique.
    assert!(t["title"]["text"]["headline"].is_string());
    let events = t["events"].as_array().unwrap();
    assert_eq!(events.len(), 4);
    let mut ids = std::collections::BTreeSet::new();
    for e in events {
        let d = &e["start_date"];
        assert!(d["year"].is_i64(), "{e}");
        for k in ["month", "day", "hour", "minute"] {
            assert!(d.get(k).is_none() || d[k].is_u64(), "{e}");
        }
        assert!(
            e["text"]["headline"].is_string() && e["text"]["text"].is_string(),
            "{e}"
        );
        assert!(
            ids.insert(e["unique_id"].as_str().unwrap().to_string()),
            "duplicate id"
        );
    }
    let truce = events
        .iter()
        .find(|e| e["unique_id"] == "ceasefire")
        .unwrap();
    assert_eq!(
        truce["start_date"],
        serde_json::json!({"year": 2025, "month": 3}),
        "month precision kept"
    );
    let strikes = events.iter().find(|e| e["unique_id"] == "strikes").unwrap();
    assert_eq!(strikes["start_date"]["hour"], 14);
    assert!(
        strikes["text"]["headline"]
            .as_str()
            .unwrap()
            .contains("&lt;in&gt;"),
        "escaped"
    );
}

#[test]
fn articles_csv_has_a_row_per_article_and_source() {
    let p = built();
    let mut reader = csv::Reader::from_path(p.path().join("output/articles.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "title",
            "reported",
            "event_date",
            "placed",
            "topics",
            "importance",
            "location",
            "source_name",
            "source_url",
            "summary",
            "url"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 6 articles: strikes has two sources, the rest one each.
    assert_eq!(rows.len(), 7);
    let strikes: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "strikes").collect();
    assert_eq!(strikes.len(), 2);
    assert_eq!(
        &strikes[0][1],
        "Strikes kill 14 <in> Gaza & destroy bulldozers"
    );
    assert_eq!(&strikes[0][5], "gaza-war;humanitarian");
    assert_eq!(&strikes[1][8], "Asharq Al-Awsat");
}
