//! Same-story merging scored on `tests/fixtures/stories/labelled`: 82 reports of 40
//! events (21 covered by 2–5 outlets with differently worded headlines, 19 singletons,
//! 16 look-alike pairs such as two rocket attacks on one base two days apart), labelled
//! by hand in `labels.csv`. Pairwise precision and recall over same-story pairs.
//! `STORIES_EVAL_ERRORS=1 cargo test --test integration stories -- --nocapture` lists
//! every wrong and missed pair.

use std::collections::BTreeMap;
use std::path::Path;

use briefing::diagnostics::Diagnostics;
use briefing::timeline::Placement;
use briefing::{config, load, stories};

fn labelled() -> (
    Vec<briefing::model::Article>,
    briefing::config::Site,
    BTreeMap<String, String>,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories/labelled");
    let mut diags = Diagnostics::new();
    let site = config::load(&root.join("briefing.yaml"), None, &mut diags);
    assert!(!diags.has_errors());
    let (articles, diags) = load::articles(&root.join("content"), &site, &root).expect("loads");
    assert!(!diags.has_errors(), "{diags:?}");
    let labels = std::fs::read_to_string(root.join("labels.csv")).expect("labels");
    let labels = labels
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect();
    (articles, site, labels)
}

/// Pairwise precision and recall of `site`'s settings on the labelled set.
fn score(site: &briefing::config::Site, show: bool) -> (f64, f64, usize, usize) {
    let (articles, _, labels) = labelled();
    let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, site)).collect();
    let found = stories::group(&articles, &placements, site);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            let gold = labels[&articles[i].path] == labels[&articles[j].path];
            let predicted = found.of[i] == found.of[j];
            match (gold, predicted) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    if show {
                        println!("WRONG  {} + {}", articles[i].path, articles[j].path);
                    }
                }
                (true, false) => {
                    fn_ += 1;
                    if show {
                        println!("MISSED {} + {}", articles[i].path, articles[j].path);
                    }
                }
                (false, false) => {}
            }
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = tp as f64 / (tp + fn_) as f64;
    (p, r, tp + fp, tp + fn_)
}

#[test]
fn labelled_set_precision_and_recall() {
    let (_, site, labels) = labelled();
    assert!(labels.len() >= 60);
    let show = std::env::var_os("STORIES_EVAL_ERRORS").is_some();
    let (p, r, predicted, gold) = score(&site, show);
    println!(
        "threshold {:.2}: precision {p:.3} recall {r:.3} ({predicted} pairs merged, {gold} true pairs)",
        site.config.stories.threshold
    );
    if std::env::var_os("STORIES_SWEEP").is_some() {
        for t in (10..=60).step_by(2) {
            let mut s = site.clone();
            s.config.stories.threshold = f64::from(t) / 100.0;
            let (p, r, n, _) = score(&s, false);
            println!(
                "  threshold {:.2}: precision {p:.3} recall {r:.3} ({n} pairs)",
                s.config.stories.threshold
            );
        }
    }
    if std::env::var_os("STORIES_PAIRS").is_some() {
        let (articles, _, labels) = labelled();
        let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, &site)).collect();
        let mut pairs = stories::scored_pairs(&articles, &placements, &site);
        pairs.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        for (l, ok) in pairs.iter().take(120) {
            let gold = labels[&articles[l.a].path] == labels[&articles[l.b].path];
            println!(
                "{:.3} {} {} {} | {}",
                l.score,
                if gold { "SAME" } else { "diff" },
                if *ok { "  " } else { "X " },
                articles[l.a].title,
                articles[l.b].title
            );
        }
    }
    // Precision is the target (a wrong merge hides news). Recall at the default
    // threshold is 0.39, below the 0.85 aimed for: this guards it from regressing.
    assert!(p >= 0.98, "precision {p:.3} < 0.98");
    assert!(r >= 0.38, "recall {r:.3} < 0.38");
}
