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

fn labelled_set(
    name: &str,
) -> (
    Vec<briefing::model::Article>,
    briefing::config::Site,
    BTreeMap<String, String>,
) {
    let root = set_root(name);
    let mut diags = Diagnostics::new();
    let site = config::load(&root.join("briefing.yaml"), None, &mut diags);
    assert!(!diags.has_errors());
    let (articles, diags) = load::articles(&root.join("content"), &site, &root).expect("loads");
    assert!(!diags.has_errors(), "{diags:?}");
    (articles, site, read_labels(name, "labels.csv"))
}

/// The folder of the labelled set `name`.
fn set_root(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stories")
        .join(name)
}

/// A labels file of the set `name` (`file,story` lines after a header): file → story.
fn read_labels(name: &str, file: &str) -> BTreeMap<String, String> {
    std::fs::read_to_string(set_root(name).join(file))
        .unwrap_or_else(|e| panic!("{name}/{file}: {e}"))
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect()
}

/// Pairwise precision and recall of `site`'s settings on the labelled set.
fn score(set: &str, site: &briefing::config::Site, show: bool) -> (f64, f64, usize, usize) {
    let (articles, _, labels) = labelled_set(set);
    let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, site)).collect();
    let found = stories::group(&articles, &placements, site);
    let scores: BTreeMap<(usize, usize), (f64, Option<stories::Apart>)> =
        stories::scored_pairs(&articles, &placements, site)
            .into_iter()
            .map(|(l, apart)| ((l.a, l.b), (l.score, apart)))
            .collect();
    let why = |i: usize, j: usize| {
        scores
            .get(&(i, j))
            .map_or("not a candidate".to_string(), |(s, apart)| match apart {
                Some(apart) => format!("{s:.2}, {}", apart.describe()),
                None => format!("{s:.2}"),
            })
    };
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
                        println!(
                            "WRONG  {} {} | {}",
                            why(i, j),
                            articles[i].title,
                            articles[j].title
                        );
                    }
                }
                (true, false) => {
                    fn_ += 1;
                    if show {
                        println!(
                            "MISSED {} {} | {}",
                            why(i, j),
                            articles[i].title,
                            articles[j].title
                        );
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

/// The sets the threshold was not chosen on, as the sweep names them.
const UNSEEN_SETS: &[(&str, &str)] = &[
    ("held-out", "heldout"),
    ("blind", "blind"),
    ("blind 2", "blind2"),
    ("blind 3", "blind3"),
    ("blind 4", "blind4"),
    ("blind 5", "blind5"),
    ("blind 6", "blind6"),
    ("blind 7", "blind7"),
    ("blind 8", "blind8"),
    ("blind 9", "blind9"),
    ("blind 10", "blind10"),
    ("blind 11", "blind11"),
    ("blind 12", "blind12"),
    ("blind 13", "blind13"),
    ("blind 14", "blind14"),
    ("blind 15", "blind15"),
    ("blind 16", "blind16"),
    ("blind 17", "blind17"),
    ("blind 18", "blind18"),
    ("blind 19", "blind19"),
    ("blind 20", "blind20"),
    ("blind 21", "blind21"),
    ("blind 22", "blind22"),
];

#[test]
fn labelled_set_precision_and_recall() {
    let (_, site, labels) = labelled_set("labelled");
    assert!(labels.len() >= 60);
    let show = std::env::var_os("STORIES_EVAL_ERRORS").is_some();
    let (p, r, predicted, gold) = score("labelled", &site, show);
    println!(
        "threshold {:.2}: precision {p:.3} recall {r:.3} ({predicted} pairs merged, {gold} true pairs)",
        site.config.stories.threshold
    );
    if std::env::var_os("STORIES_SWEEP").is_some() {
        for t in (50..=90).step_by(5) {
            let mut s = site.clone();
            s.config.stories.threshold = f64::from(t) / 100.0;
            let (p, r, n, _) = score("labelled", &s, false);
            let mut line = format!(
                "  threshold {:.2}: precision {p:.3} recall {r:.3} ({n} pairs)",
                s.config.stories.threshold
            );
            for (label, set) in UNSEEN_SETS {
                let (p, r, n, _) = score(set, &s, false);
                line.push_str(&format!(
                    " | {label} precision {p:.3} recall {r:.3} ({n} pairs)"
                ));
            }
            println!("{line}");
        }
    }
    if std::env::var_os("STORIES_PAIRS").is_some() {
        let (articles, _, labels) = labelled_set("labelled");
        let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, &site)).collect();
        let mut pairs = stories::scored_pairs(&articles, &placements, &site);
        pairs.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        for &(l, apart) in pairs.iter().take(120) {
            let ok = apart.is_none();
            let gold = labels[&articles[l.a].path] == labels[&articles[l.b].path];
            println!(
                "{:.3} {} {} {} | {}",
                l.score,
                if gold { "SAME" } else { "diff" },
                if ok { "  " } else { "X " },
                articles[l.a].title,
                articles[l.b].title
            );
        }
    }
    // The targets; precision comes first (a wrong merge hides news).
    assert!(p >= 0.98, "precision {p:.3} < 0.98");
    assert!(r >= 0.85, "recall {r:.3} < 0.85");
}

/// Scores one of the sets the threshold was not chosen on and holds it to its floors:
/// precision first, and recall no lower than measured (a regression guard; the recall
/// target, 0.85, is not met on these sets).
fn check_unseen_set(set: &str, min_precision: f64, min_recall: f64) {
    let (_, site, labels) = labelled_set(set);
    assert!(labels.len() >= 60);
    let show = std::env::var_os("STORIES_EVAL_ERRORS").is_some();
    let (p, r, predicted, gold) = score(set, &site, show);
    println!("{set}: precision {p:.3} recall {r:.3} ({predicted} pairs merged, {gold} true pairs)");
    assert!(
        p >= min_precision,
        "{set} precision {p:.3} < {min_precision}"
    );
    assert!(r >= min_recall, "{set} recall {r:.3} < {min_recall}");
}

/// The held-out set (73 reports of 38 events, Sudan and Ukraine 2024, written by a
/// different author after the threshold was chosen). Not tuned on, with one
/// exception told in docs/merging.md: its one wrong merge (an announcement and its
/// implementation) led to the general rule that a day after the report is a plan.
/// Measured: precision 1.00, recall 0.64. Paraphrases sharing few words ("Kharkov
/// shopping centre hit" / "bombs hit crowded superstore") stay apart.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.698.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.792.
#[test]
fn heldout_set_precision_and_recall() {
    check_unseen_set("heldout", 0.98, 0.79);
}

/// The blind set (77 reports of 31 events, Lebanon and Ukraine 2024), written by a
/// third author who never saw the merging code, to test a rule chosen before it
/// existed (see docs/merging.md). Measured: precision 1.000, recall 0.538. Many of its
/// reports of one event lead with a reaction, a follow-up or a rising toll, in few
/// shared words. The rule (a day's difference allowed for night events) changed
/// nothing here and cost the held-out set a wrong merge, so it was dropped.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.615.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.648.
#[test]
fn blind_set_precision_and_recall() {
    check_unseen_set("blind", 0.98, 0.64);
}

/// A second blind set (85 reports of 34 events, Syria 2024–25 and Sudan 2025, 20
/// multi-outlet events, 100 same-story pairs, 11 look-alike pairs), written by a
/// fourth author who never saw the merging code or the other sets, and scored once,
/// when it arrived, with the code unchanged. Measured: precision 1.000, recall 0.490.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.510.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.540.
#[test]
fn second_blind_set_precision_and_recall() {
    check_unseen_set("blind2", 0.98, 0.54);
}

/// A third blind set (85 reports of 32 events, India–Pakistan in May 2025 and the
/// Israel–Iran war of June 2025, 20 multi-outlet events, 107 same-story pairs, 13
/// look-alike pairs), written by a fifth author under the same conditions and scored
/// once, when it arrived, with the code unchanged: precision **0.821**, recall 0.215,
/// below the precision target. Its five wrong pairs are same-day tit-for-tat events in
/// one topic (India's measures and Pakistan's countermeasures, strikes and the other
/// side's drones, a truce and its violation, commanders killed and their successors
/// named), which share the words of their common story. With the follow-up rule
/// adopted after the fifth set (see docs/merging.md): precision 0.800, recall 0.187 (three
/// aftermath reports, "flights resume after Monday's strike", now stand apart). The
/// floors are what was measured.
///
/// With the merge model (see docs/merging.md): precision 0.857, recall 0.224.
/// With the meaning feature (see docs/merging.md): precision 0.889, recall 0.299.
#[test]
fn third_blind_set_precision_and_recall() {
    check_unseen_set("blind3", 0.88, 0.29);
}

/// A fourth blind set (84 reports of 35 events, Red Sea shipping and the US–UK strikes
/// on Yemen in 2024, the M23 offensive in eastern Congo in 2025; 22 multi-outlet events,
/// 86 pairs, 17 look-alike pairs), written by a sixth author under the same
/// conditions and scored once, with the merging code unchanged since the third:
/// precision **0.906**, recall 0.337; its three wrong pairs put the next day's follow-up
/// strike ("a day after wider bombardment") in the first strikes' story. The follow-up
/// rule was written for them: precision 1.000, recall 0.302 since.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.395.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.360.
#[test]
fn fourth_blind_set_precision_and_recall() {
    check_unseen_set("blind4", 0.98, 0.36);
}

/// A fifth blind set (83 reports of 31 events, Nagorno-Karabakh in 2023 and Haiti in
/// 2024; 19 multi-outlet events, 106 pairs, 14 look-alike pairs), written by a seventh
/// author and scored once with and without the follow-up rule, which was to be kept
/// only if it did not cost this set precision, or recall at equal precision. Both
/// gave precision **0.933**, recall 0.396: kept. Its three wrong pairs are again
/// different events of one day in one story (a resignation pledge and Kenya pausing
/// its police mission; the offensive and protests in Yerevan; an apology and an
/// inquiry over the same deaths). The opposed-actions rule (adopted after the seventh
/// and eighth sets) keeps a new prime minister's appointment apart from his
/// predecessor's resignation, which this set's labels count as one event: precision
/// 0.930, recall 0.377 since.
///
/// With the merge model (see docs/merging.md): precision 0.927, recall 0.358.
/// With the meaning feature (see docs/merging.md): precision 0.962, recall 0.472.
#[test]
fn fifth_blind_set_precision_and_recall() {
    check_unseen_set("blind5", 0.96, 0.47);
}

/// A sixth blind set (94 reports of 37 events, South Korea's martial-law crisis of
/// December 2024 and Bangladesh's uprising of July–August 2024; 23 multi-outlet events,
/// 110 pairs, 22 look-alike pairs, most of them on the same day), written by an eighth
/// author and scored once with the code unchanged: precision **0.727**, recall 0.364.
/// Its labels keep apart the steps of one night (martial law declared, troops in
/// parliament, the vote to lift it, the cabinet lifting it) and a resignation from its
/// successor's appointment; word overlap cannot. With the opposed-actions rule (a
/// chief justice's resignation is not her successor's appointment): precision 0.755,
/// recall 0.364. The floor is what was measured.
///
/// With the merge model (see docs/merging.md): precision 0.787, recall 0.436.
/// With the meaning feature (see docs/merging.md): precision 0.817, recall 0.527.
#[test]
fn sixth_blind_set_precision_and_recall() {
    check_unseen_set("blind6", 0.81, 0.52);
}

/// A seventh blind set (94 reports of 36 events, Niger's coup of July–September 2023
/// and Sri Lanka's crisis of 2022; 31 multi-outlet events, 95 pairs), written by a
/// ninth author and scored once with the code unchanged: precision **0.922**, recall
/// 0.747. Its wrong pairs join the attack on protesters in Colombo on 9 May 2022 with
/// the prime minister's resignation that evening. The opposed-actions rule, written
/// down before this set arrived, changed nothing here.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.895.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.916.
#[test]
fn seventh_blind_set_precision_and_recall() {
    check_unseen_set("blind7", 0.98, 0.91);
}

/// An eighth blind set (88 reports of 36 events, the Wagner mutiny of June 2023 and
/// Sri Lanka's crisis of 2022; 31 multi-outlet events, 85 pairs), written by a tenth
/// author alongside the seventh and scored once with the code unchanged: precision
/// **0.857**, recall 0.635. Its wrong pairs: the same 9 May pair as the seventh set's,
/// and Wagner taking Rostov joined with Wagner leaving it the next evening. The
/// opposed-actions rule changed nothing here either.
///
/// With the merge model (see docs/merging.md): precision 0.955, recall 0.753.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.765.
#[test]
fn eighth_blind_set_precision_and_recall() {
    check_unseen_set("blind8", 0.98, 0.76);
}

/// A ninth blind set (90 reports of 37 events, Afghanistan in August–September 2021 and
/// Kazakhstan's unrest of January 2022; 29 multi-outlet events, 91 pairs), written by an
/// eleventh author and scored once with the code unchanged: precision **0.917**, recall
/// 0.604. Its wrong pairs join Ghani's flight with the Taliban taking the presidential
/// palace the same day.
///
/// With the merge model (see docs/merging.md): precision 0.877, recall 0.626.
/// With the meaning feature (see docs/merging.md): precision 0.886, recall 0.681.
#[test]
fn ninth_blind_set_precision_and_recall() {
    check_unseen_set("blind9", 0.88, 0.68);
}

/// A tenth blind set (94 reports of 37 events, Myanmar's coup of 2021 and Kenya's
/// finance-bill protests of 2024; 33 multi-outlet events, 92 pairs), written by a
/// twelfth author alongside the ninth and scored once with the code unchanged:
/// precision **0.971**, recall 0.739. Its wrong pairs join the junta's Armed Forces Day
/// parade with the killing of protesters the same day.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.815.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.848.
#[test]
fn tenth_blind_set_precision_and_recall() {
    check_unseen_set("blind10", 0.98, 0.84);
}

/// An eleventh blind set (91 reports of 35 events, Belarus's protests of 2020 and Peru's
/// crisis of 2022–23; 30 multi-outlet events, 88 pairs), written by a thirteenth author
/// and scored once with the code unchanged: precision **0.943**, recall 0.568. Its wrong
/// pairs join the rising toll of the Ayacucho airport clashes with the order holding
/// Castillo for 18 months the same day, and Belarus's second night of unrest with the
/// first. The actors rule tried on it (see docs/merging.md) was not adopted.
///
/// With the merge model (see docs/merging.md): precision 1.000, recall 0.716.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.705.
#[test]
fn eleventh_blind_set_precision_and_recall() {
    check_unseen_set("blind11", 0.98, 0.7);
}

/// A twelfth blind set (91 reports of 36 events, Peru's crisis of 2022–23 and Bolivia's
/// of 2019; 29 multi-outlet events, 85 pairs), written by a fourteenth author alongside
/// the eleventh (both chose Peru independently) and scored once with the code unchanged:
/// precision 1.000, recall 0.541.
///
/// With the merge model (see docs/merging.md): precision 0.980, recall 0.588.
/// With the meaning feature (see docs/merging.md): precision 0.983, recall 0.682.
#[test]
fn twelfth_blind_set_precision_and_recall() {
    check_unseen_set("blind12", 0.98, 0.68);
}

const STRIKE_A: &str = "---\ntitle: \"Israeli strike kills 12 in Khan Younis, medics say\"\ndate: 2025-03-20T05:12:00Z\ntopics: [gaza-war]\nsources:\n  - name: Wire\n    url: https://wire.example/a\nsummary: \"An Israeli air strike on a house in Khan Younis killed at least 12 people overnight, Palestinian medics said.\"\n---\n\nBody.\n";
const STRIKE_B: &str = "---\ntitle: \"Twelve dead as Israeli airstrike hits Khan Yunis home, medics say\"\ndate: 2025-03-20T09:40:00Z\ntopics: [gaza-war]\nsources:\n  - name: Daily\n    url: https://daily.example/b\nsummary: \"An overnight Israeli airstrike on a family house in Khan Yunis killed 12 people, medics said.\"\n---\n\nBody.\n";
const OTHER: &str = "---\ntitle: \"Aid convoy reaches Rafah crossing\"\ndate: 2025-03-20T10:00:00Z\ntopics: [gaza-war]\nsources:\n  - name: Relief\n    url: https://relief.example/c\nstory: convoy\nsummary: \"Trucks carrying flour waited at the crossing.\"\n---\n\nBody.\n";
const OTHER_2: &str = "---\ntitle: \"UN agency counts lorries\"\ndate: 2025-03-25T10:00:00Z\ntopics: [humanitarian]\nsources:\n  - name: Agency\n    url: https://agency.example/d\nstory: Convoy\nsummary: \"A tally of deliveries.\"\n---\n\nBody.\n";

/// A thirteenth blind set (92 reports of 35 events, the Hong Kong protests of 2019 and
/// the Tigray war of 2020–21; 29 multi-outlet events, 6 singletons, 14 look-alike pairs
/// such as two mass marches on consecutive Sundays, and Mekelle captured and retaken),
/// written by an author who saw no code, and scored once, when it arrived, to decide
/// between the word-overlap rule and the merge model (pre-registered, see docs/merging.md):
/// precision 1.000 and recall 0.389 with the rule, 1.000 and 0.433 with the model.
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.578.
#[test]
fn thirteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind13", 0.98, 0.57);
}

/// A fourteenth blind set (91 reports of 37 events, Ecuador's gang crisis of 2024 and
/// Iran's protests of 2022; 31 multi-outlet events, 6 singletons, 16 look-alike pairs
/// such as two gang leaders escaping two days apart, two mayors shot two days apart,
/// and the first and second executions of protesters), written and scored with the
/// thirteenth: precision 0.889 and recall 0.500 with the rule, 0.976 and 0.500 with
/// the model.
/// With the meaning feature (see docs/merging.md): precision 0.980, recall 0.613.
#[test]
fn fourteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind14", 0.97, 0.61);
}

/// A fifteenth blind set (94 reports of 37 events, the Tripoli offensive in Libya of
/// 2019–20 and Chile's unrest of 2019; 30 multi-outlet events, 7 singletons, 14
/// look-alike pairs such as Gharyan taken and retaken, two drones lost on consecutive
/// days, a state of emergency imposed and lifted), written after the merge model was
/// adopted and scored once, when it arrived: precision 0.979, recall 0.511 (the old
/// rule: 0.956 and 0.478).
/// With the meaning feature (see docs/merging.md): precision 1.000, recall 0.622.
#[test]
fn fifteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind15", 0.98, 0.62);
}

/// A sixteenth blind set (91 reports of 37 events, Georgia's protests of 2024 and
/// Mozambique's post-election unrest of 2024–25; 31 multi-outlet events, 6 singletons,
/// 17 look-alike pairs such as the bill's readings, a veto and its override, two nights
/// of dispersals), written and scored with the fifteenth: precision 0.938, recall 0.577
/// (the old rule: 0.923 and 0.615).
/// With the meaning feature (see docs/merging.md): precision 0.964, recall 0.679.
#[test]
fn sixteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind16", 0.96, 0.67);
}

/// A seventeenth blind set (93 reports of 37 events, Venezuela's crisis of 2019 and
/// Zimbabwe's military takeover of 2017; 30 multi-outlet events, 7 singletons, 17
/// look-alike pairs such as rival oaths in Caracas, two nationwide blackouts, Mugabe
/// sacked as party leader and his speech that night), written after the merge model was
/// adopted and scored once, when it arrived: precision 0.893, recall 0.284 (the old
/// rule: 0.938 and 0.170).
/// With the meaning feature (see docs/merging.md): precision 0.884, recall 0.432.
#[test]
fn seventeenth_blind_set_precision_and_recall() {
    check_unseen_set("blind17", 0.88, 0.43);
}

/// An eighteenth blind set (90 reports of 34 events, Catalonia's crisis of 2017 and
/// Armenia's revolution of 2018; 28 multi-outlet events, 6 singletons, 16 look-alike
/// pairs such as independence declared and direct rule imposed within hours, talks
/// announced and called off), written and scored with the seventeenth: precision 0.841,
/// recall 0.402 (the old rule: 0.780 and 0.348).
/// With the meaning feature (see docs/merging.md): precision 0.863, recall 0.478.
#[test]
fn eighteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind18", 0.86, 0.47);
}

/// A nineteenth blind set (89 reports of 36 events, Egypt's crisis of 2013 and Burkina
/// Faso's two coups of 2022; 30 multi-outlet events, 6 singletons, 16 look-alike pairs
/// such as two shootings at the Republican Guard headquarters three days apart, and the
/// ECOWAS and African Union suspensions three days apart), written for the pre-registered
/// test of the meaning feature (see docs/merging.md) and scored once, when it arrived:
/// precision 0.964 and recall 0.333 without it, 0.970 and 0.395 with it.
#[test]
fn nineteenth_blind_set_precision_and_recall() {
    check_unseen_set("blind19", 0.96, 0.39);
}

/// A twentieth blind set (92 reports of 35 events, Kyrgyzstan's unrest of 2020 and
/// Sudan's revolution of 2019; 29 multi-outlet events, 6 singletons, 19 look-alike
/// pairs such as a curfew imposed and lifted, civil disobedience begun and called off,
/// and two votes on one prime minister), written and scored with the nineteenth:
/// precision 1.000 and recall 0.378 without the meaning feature, 1.000 and 0.600 with it.
#[test]
fn twentieth_blind_set_precision_and_recall() {
    check_unseen_set("blind20", 0.98, 0.59);
}

/// A twenty-first blind set (91 reports of 36 events, Thailand's protests of 2020 and
/// Mali's coups of 2020–21; 30 multi-outlet events, 6 singletons, 15 look-alike pairs
/// such as two protest leaders arrested and freed on bail hours later, an emergency
/// decree imposed and lifted a week apart, and sanctions imposed and lifted), written
/// by an author who saw no code while further features were tried, and scored once,
/// with the code unchanged: precision 0.939, recall 0.356 (the five-feature model:
/// 0.931 and 0.310; the old rule: 0.893 and 0.287).
#[test]
fn twenty_first_blind_set_precision_and_recall() {
    check_unseen_set("blind21", 0.93, 0.35);
}

/// A twenty-second blind set (90 reports of 37 events, Tunisia's crisis of 2021 and
/// Imran Khan's arrest in Pakistan in 2023; 30 multi-outlet events, 7 singletons, 14
/// look-alike pairs such as mobile internet cut and restored, the arrest ruled unlawful
/// and bail granted the next day, two protests in Tunis eight days apart), written and
/// scored with the twenty-first: precision 1.000, recall 0.631 (the five-feature model:
/// 1.000 and 0.536; the old rule: 1.000 and 0.429).
#[test]
fn twenty_second_blind_set_precision_and_recall() {
    check_unseen_set("blind22", 0.98, 0.63);
}

/// Pairwise precision and recall of the grouping `found` against the labels `gold`,
/// both keyed by file: (same-group pairs both have, found only, gold only).
fn pair_counts(found: &BTreeMap<String, String>, gold: &BTreeMap<String, String>) -> [usize; 3] {
    let files: Vec<&String> = gold.keys().collect();
    let mut counts = [0; 3];
    for (k, a) in files.iter().enumerate() {
        for b in &files[k + 1..] {
            match (found[*a] == found[*b], gold[*a] == gold[*b]) {
                (true, true) => counts[0] += 1,
                (true, false) => counts[1] += 1,
                (false, true) => counts[2] += 1,
                (false, false) => {}
            }
        }
    }
    counts
}

/// Blind sets 13 to 18, 21 and 22 labelled a second time (`labels-second.csv`), each
/// by an annotator who saw only its reports: no code, no first labels, the definition
/// of an event the authors had. Pooled, the second labels agree with the first at
/// precision 1.000 and recall 0.940 (the second annotators split 41 pairs more finely,
/// never joined two events an author kept apart; over blind 13 to 18 alone, 1.000 and
/// 0.950): far above the model. The targets are within a careful reader's reach; the
/// gap is the model's. Against the second labels the model gives precision 0.916 and
/// recall 0.556 (against the authors': 0.957 and 0.546): most of the pairs the second
/// annotators split, the model joins.
#[test]
fn a_second_annotator_agrees_with_the_authors() {
    let (mut agreement, mut model, mut authors) = ([0; 3], [0; 3], [0; 3]);
    for set in [
        "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind21", "blind22",
    ] {
        let (articles, site, first) = labelled_set(set);
        let second = read_labels(set, "labels-second.csv");
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>(),
            "{set}: both label files name every report"
        );
        let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, &site)).collect();
        let found = stories::group(&articles, &placements, &site);
        let grouped: BTreeMap<String, String> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.path.clone(), found.of[i].to_string()))
            .collect();
        for (sum, add) in [
            (&mut agreement, pair_counts(&second, &first)),
            (&mut model, pair_counts(&grouped, &second)),
            (&mut authors, pair_counts(&grouped, &first)),
        ] {
            for k in 0..3 {
                sum[k] += add[k];
            }
        }
    }
    let pr = |[both, found, gold]: [usize; 3]| {
        (
            both as f64 / (both + found) as f64,
            both as f64 / (both + gold) as f64,
        )
    };
    let ((p, r), (mp, mr), (ap, ar)) = (pr(agreement), pr(model), pr(authors));
    println!("second annotator against the authors: precision {p:.3} recall {r:.3} {agreement:?}");
    println!("model against the second annotator: precision {mp:.3} recall {mr:.3} {model:?}");
    println!("model against the authors: precision {ap:.3} recall {ar:.3} {authors:?}");
    assert!(p >= 0.99 && r >= 0.94, "agreement {p:.3} / {r:.3}");
    assert!(
        mp >= 0.91 && mr >= 0.55,
        "model against the second labels {mp:.3} / {mr:.3}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// The merge model and average linkage give the same stories whatever order the
    /// reports come in (here the thirteenth and fourteenth sets, shuffled).
    #[test]
    fn stories_do_not_depend_on_the_order_of_the_reports(
        set in proptest::sample::select(vec!["blind13", "blind14", "blind6"]),
        seed in proptest::prelude::any::<u64>(),
    ) {
        let (articles, site, _) = labelled_set(set);
        let partition = |articles: &[briefing::model::Article]| {
            let placements: Vec<Placement> =
                articles.iter().map(|a| Placement::of(a, &site)).collect();
            let found = stories::group(articles, &placements, &site);
            let mut groups: Vec<Vec<String>> = found
                .groups
                .iter()
                .map(|g| {
                    let mut paths: Vec<String> =
                        g.members.iter().map(|&m| articles[m].path.clone()).collect();
                    paths.sort();
                    paths
                })
                .collect();
            groups.sort();
            groups
        };
        // A Fisher-Yates shuffle from the seed (a small linear congruential generator).
        let mut shuffled = articles.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        proptest::prop_assert_eq!(partition(&articles), partition(&shuffled));
    }
}

fn strikes_project() -> crate::harness::Project {
    let p = crate::harness::Project::empty();
    p.write("content/a.md", STRIKE_A);
    p.write("content/b.md", STRIKE_B);
    p.write("content/c.md", OTHER);
    p.write("content/d.md", OTHER_2);
    p
}

#[test]
fn merged_reports_are_one_entry_listing_every_source() {
    let p = strikes_project();
    p.run(&["build"]).success();
    let topic = p.read("output/topics/gaza-war/index.html");
    // One entry for the two strike reports, earliest report first, both sources.
    assert_eq!(topic.matches("class=\"entry ").count(), 2, "{topic}");
    assert!(topic.contains(
        "<span class=\"corroboration\">2 sources</span> <a href=\"https://wire.example/a\""
    ));
    assert!(topic.contains("https://daily.example/b"));
    let md = p.read("output/topics/gaza-war.md");
    assert!(
        md.contains("2 sources: [Wire](https://wire.example/a), [Daily](https://daily.example/b)"),
        "{md}"
    );
    // Both article pages still exist and point at each other.
    let a = p.read("output/articles/a/index.html");
    assert!(
        a.contains("Same story, 2 reports") && a.contains("../../articles/b/index.html"),
        "{a}"
    );
    // `story:` ids group across topics and days, whatever the wording; ids are slugs.
    let c = p.read("output/articles/c/index.html");
    assert!(c.contains("Same story, 2 reports") && c.contains("../../articles/d/index.html"));
    let json = p.read("output/timeline.json");
    assert!(
        json.contains("\"story\":{\"id\":\"convoy\",\"count\":2"),
        "{json}"
    );
}

const FIRST_STRIKES: &str = "---\ntitle: \"US and UK strike Houthi targets across Yemen\"\ndate: 2024-01-12T06:00:00Z\ntopics: [red-sea]\nsources:\n  - name: Wire\n    url: https://wire.example/strikes\nsummary: \"American and British warplanes struck Houthi radar, drone and missile sites across Yemen overnight, officials said.\"\n---\n\nBody.\n";
const FOLLOW_UP: &str = "---\ntitle: \"US strikes Houthi radar site in Yemen a day after wider bombardment\"\ndate: 2024-01-13T06:30:00Z\ntopics: [red-sea]\nsources:\n  - name: Daily\n    url: https://daily.example/radar\nsummary: \"American warplanes struck a Houthi radar site in Yemen, officials said, a day after the wider bombardment of Houthi missile sites.\"\n---\n\nBody.\n";

/// Builds a topic of two reports, `a` and then `b` (file name, text), and again with
/// `from` replaced by `to` in `b`: how many timeline entries the topic page shows each
/// time.
fn entries_before_and_after(
    topic: &str,
    a: (&str, &str),
    b: (&str, &str),
    (from, to): (&str, &str),
) -> (usize, usize) {
    let p = crate::harness::Project::empty();
    let entries = || {
        p.run(&["build"]).success();
        let page = p.read(&format!("output/topics/{topic}/index.html"));
        page.matches("class=\"entry ").count()
    };
    p.write(&format!("content/{}", a.0), a.1);
    p.write(&format!("content/{}", b.0), b.1);
    let before = entries();
    assert!(b.1.contains(from), "{from:?} is not in the report");
    p.write(&format!("content/{}", b.0), &b.1.replace(from, to));
    (before, entries())
}

/// A report of what followed another event ("a day after the wider bombardment") is
/// about its own day: an earlier day's report that names no day is not about it, however
/// alike the words. Published the same day, the two would be one story.
#[test]
fn a_follow_up_is_not_merged_with_an_earlier_days_report() {
    let entries = entries_before_and_after(
        "red-sea",
        ("first.md", FIRST_STRIKES),
        ("follow.md", FOLLOW_UP),
        ("2024-01-13T06:30:00Z", "2024-01-12T09:30:00Z"),
    );
    assert_eq!(entries, (2, 1));
}

const CJ_RESIGNS: &str = "---\ntitle: \"Bangladesh chief justice resigns after protesters surround Supreme Court\"\ndate: 2024-08-10T09:00:00Z\ntopics: [bangladesh]\nsources:\n  - name: Wire\n    url: https://wire.example/cj-resigns\nsummary: \"Bangladesh's chief justice Obaidul Hassan resigned on Saturday after student protesters surrounded the Supreme Court in Dhaka.\"\n---\n\nBody.\n";
const CJ_APPOINTED: &str = "---\ntitle: \"Justice Syed Refaat Ahmed appointed new chief justice of Bangladesh\"\ndate: 2024-08-10T18:00:00Z\ntopics: [bangladesh]\nsources:\n  - name: Daily\n    url: https://daily.example/cj-appointed\nsummary: \"Bangladesh's president appointed Syed Refaat Ahmed chief justice on Saturday, hours after Obaidul Hassan resigned as protesters surrounded the Supreme Court in Dhaka.\"\n---\n\nBody.\n";

/// A resignation and the successor's appointment share most of their words and their
/// day, but are two events: titles that name opposed actions are never merged.
#[test]
fn opposed_actions_are_not_merged() {
    let entries = entries_before_and_after(
        "bangladesh",
        ("resigns.md", CJ_RESIGNS),
        ("appointed.md", CJ_APPOINTED),
        // The same two reports, when both titles tell of the resignation, are one story.
        (
            "Justice Syed Refaat Ahmed appointed new chief justice of Bangladesh",
            "Bangladesh chief justice resigns; Syed Refaat Ahmed succeeds him",
        ),
    );
    assert_eq!(entries, (2, 1));
}

#[test]
fn merge_false_and_stories_auto_false_keep_reports_apart() {
    let p = strikes_project();
    p.write(
        "content/b.md",
        &STRIKE_B.replace("topics: [gaza-war]", "topics: [gaza-war]\nmerge: false"),
    );
    p.run(&["build"]).success();
    assert_eq!(
        p.read("output/topics/gaza-war/index.html")
            .matches("class=\"entry ")
            .count(),
        3
    );

    let p = strikes_project();
    p.write("briefing.yaml", "stories:\n  auto: false\n");
    p.run(&["build"]).success();
    let topic = p.read("output/topics/gaza-war/index.html");
    assert_eq!(topic.matches("class=\"entry ").count(), 3);
    // Written stories still group.
    assert!(
        p.read("output/articles/c/index.html")
            .contains("Same story, 2 reports")
    );
}

/// A build names the reports it merged automatically since the last build, so that a
/// wrong merge is seen the morning it happens; a first build only counts them.
#[test]
fn a_build_names_new_automatic_merges() {
    let p = crate::harness::Project::empty();
    p.write("content/a.md", STRIKE_A);
    p.write("content/c.md", OTHER);
    p.write("content/d.md", OTHER_2);
    let first = p.run(&["build"]).success().stderr;
    assert!(!first.contains("merged automatically"), "{first}");
    p.write("content/b.md", STRIKE_B);
    let second = p.run(&["build"]).success().stderr;
    assert!(
        second.contains(
            "merged automatically since the last build (`briefing check --stories` says why; `merge: false` on a report undoes it):\n  Israeli strike kills 12 in Khan Younis, medics say: 2 reports; joined: content/b.md\n"
        ),
        "{second}"
    );
    // Not again: the merge is no longer new, whatever else changed.
    p.write("content/d.md", &OTHER_2.replace("A tally", "A count"));
    let third = p.run(&["build"]).success().stderr;
    assert!(!third.contains("merged automatically"), "{third}");
    // Without a record of the last build (a deleted cache), only the count; nothing
    // with --quiet.
    std::fs::remove_dir_all(p.path().join(".briefing-cache")).unwrap();
    let quiet = p.run(&["build", "--quiet"]).success().stderr;
    assert_eq!(quiet, "");
    std::fs::remove_dir_all(p.path().join(".briefing-cache")).unwrap();
    let fresh = p.run(&["build"]).success().stderr;
    assert!(
        fresh.contains(
            "1 story merged automatically (2 reports): `briefing check --stories` lists it"
        ),
        "{fresh}"
    );
    // An earlier report joining a story is named, not the story's older reports.
    let earlier = STRIKE_A
        .replace("05:12", "03:30")
        .replace("Wire", "Radio")
        .replace("wire.example/a", "radio.example/e");
    p.write("content/e.md", &earlier);
    let fourth = p.run(&["build"]).success().stderr;
    assert!(
        fourth.contains(": 3 reports; joined: content/e.md\n"),
        "{fourth}"
    );
    // A build of a narrower selection keeps its own record: the full build after it
    // names nothing new.
    p.run(&["build", "--since", "2025-03-22"]).success();
    let after_selection = p.run(&["build"]).success().stderr;
    assert!(
        !after_selection.contains("merged automatically"),
        "{after_selection}"
    );
    // A report merged automatically into a written-down story is named, not the
    // story's written-down reports.
    let depot = |title: &str, time: &str, outlet: &str, story: &str, summary: &str| {
        format!(
            "---\ntitle: \"{title}\"\ndate: 2025-03-21T{time}:00Z\ntopics: [gaza-war]\nsources:\n  - name: {outlet}\n    url: https://{outlet}.example/depot\n{story}summary: \"{summary}\"\n---\n\nBody.\n"
        )
    };
    p.write(
        "content/g.md",
        &depot(
            "Fuel depot fire in Deir al-Balah",
            "08:00",
            "wire",
            "story: depot\n",
            "A fire broke out at a fuel depot in Deir al-Balah after shelling, witnesses said.",
        ),
    );
    p.write(
        "content/h.md",
        &depot(
            "Blaze at Deir al-Balah fuel depot",
            "09:00",
            "daily",
            "story: depot\n",
            "Shelling set a fuel depot in Deir al-Balah ablaze, residents said.",
        ),
    );
    let written = p.run(&["build"]).success().stderr;
    assert!(!written.contains("merged automatically"), "{written}");
    p.write(
        "content/i.md",
        &depot(
            "Fire engulfs Deir al-Balah fuel depot after shelling",
            "10:00",
            "radio",
            "",
            "A fuel depot in Deir al-Balah caught fire after shelling, witnesses said.",
        ),
    );
    let fifth = p.run(&["build"]).success().stderr;
    assert!(
        fifth.contains("Fuel depot fire in Deir al-Balah: 3 reports; joined: content/i.md\n"),
        "{fifth}"
    );
}

#[test]
fn check_stories_explains_every_merge() {
    let p = strikes_project();
    let out = p.run(&["check", "--stories"]).success().stdout;
    assert!(out.starts_with("2 stories with more than one report (4 articles); automatic merging on (threshold 0.65, window 48 h)"), "{out}");
    assert!(
        out.contains(
            "Israeli strike kills 12 in Khan Younis, medics say (automatic, id auto-a): 2 reports"
        ),
        "{out}"
    );
    assert!(
        out.contains("merged: content/a.md + content/b.md  score 0.99 (similarity "),
        "{out}"
    );
    assert!(
        out.contains("Aid convoy reaches Rafah crossing (story: convoy): 2 reports"),
        "{out}"
    );
    // A threshold from before the merge model (a similarity) is a warning naming the line.
    p.write("briefing.yaml", "title: T\nstories:\n  threshold: 0.2\n");
    let err = p.run(&["check"]).success().stderr;
    assert!(
        err.contains("briefing.yaml:3")
            && err.contains(
                "`stories.threshold` 0.2 merges reports that are more likely two stories than one"
            ),
        "{err}"
    );
    // A bad threshold is a configuration error naming the line.
    p.write("briefing.yaml", "title: T\nstories:\n  threshold: 2\n");
    let err = p.run(&["check"]).code(1).stderr;
    assert!(
        err.contains("briefing.yaml:3")
            && err.contains("`stories.threshold` must be between 0 and 1"),
        "{err}"
    );
}

#[test]
fn check_stories_lists_close_calls_with_the_reason() {
    let report = |day: &str, weekday: &str| {
        format!(
            "---\ntitle: \"Israeli strike kills 12 in Khan Younis, medics say\"\ndate: 2025-03-{day}T06:00:00Z\ntopics: [gaza-war]\nsources:\n  - name: Wire\n    url: https://wire.example/{day}\nsummary: \"An Israeli air strike on a house in Khan Younis killed 12 people on {weekday}, Palestinian medics said.\"\n---\n\nBody.\n"
        )
    };
    let p = crate::harness::Project::empty();
    p.write("content/thursday.md", &report("20", "Thursday"));
    p.write("content/friday.md", &report("21", "Friday"));
    let out = p.run(&["check", "--stories"]).success().stdout;
    assert!(
        out.starts_with("0 stories with more than one report"),
        "{out}"
    );
    assert!(
        out.contains("Close calls: 1 pair of reports alike enough to be one story (score at least 0.49) but kept apart"),
        "{out}"
    );
    assert!(
        out.contains("  they give different days for their events:\n    0.99 (similarity 1.00, titles 1.00, summaries 1.00, meaning 1.00, 24 h apart, not the same day)  content/thursday.md + content/friday.md\n"),
        "{out}"
    );
    // Which days disagree, in the pair's order.
    assert!(
        out.contains("\n          days they give: Thu 2025-03-20 / Fri 2025-03-21\n"),
        "{out}"
    );
    // An author's `merge: false` already settled it: not listed.
    p.write(
        "content/friday.md",
        &report("21", "Friday").replace("topics:", "merge: false\ntopics:"),
    );
    let out = p.run(&["check", "--stories"]).success().stdout;
    assert!(!out.contains("Close calls"), "{out}");
}

/// Reports that give only their day have no hours to compare: the model reads them as
/// a third of a day apart (the expected gap of two times in one day), not as published
/// at the same instant, so two date-only reports of one busy day do not merge on a few
/// shared words.
#[test]
fn date_only_reports_are_a_third_of_a_day_apart() {
    let p = crate::harness::Project::empty();
    p.write(
        "content/toll.md",
        "---\ntitle: Gaza Health Ministry puts the war's death toll above 51,000\ndate: 2025-04-22\ntopics: [gaza-war]\nsources:\n  - https://example.org/toll\nsummary: By April 2025 the Gaza Health Ministry counted more than 51,000 Palestinians killed, mostly women and children; Israel claims about 20,000 of the dead were fighters but has offered no evidence.\n---\n",
    );
    p.write(
        "content/jabaliya.md",
        "---\ntitle: Strike in Jabaliya refugee camp kills parents and three children\ndate: 2025-04-22\ntopics: [gaza-war]\nsources:\n  - https://example.org/jabaliya\n---\nFive members of one family, a mother, a father and their three children, died when an Israeli strike hit the densely built Jabaliya refugee camp in northern Gaza on Tuesday 22 April 2025. The figure comes from the emergency service of the Gaza Health Ministry.\n",
    );
    // A low threshold, so that the pair is listed whatever its score.
    p.write("briefing.yaml", "title: T\nstories:\n  threshold: 0.01\n");
    let out = p.run(&["check", "--stories"]).success().stdout;
    assert!(out.contains("8 h apart, same day)"), "{out}");
    // The same two reports an hour apart would be read as near-simultaneous.
    p.write(
        "content/jabaliya.md",
        &p.read("content/jabaliya.md")
            .replace("date: 2025-04-22", "date: 2025-04-22T10:00:00Z"),
    );
    p.write(
        "content/toll.md",
        &p.read("content/toll.md")
            .replace("date: 2025-04-22", "date: 2025-04-22T11:00:00Z"),
    );
    let out = p.run(&["check", "--stories"]).success().stdout;
    assert!(out.contains("1 h apart, same day)"), "{out}");
}

/// A topic too dense to compare every pair (900 reports in one window): look-alikes
/// are still found through the uncommon words they share, and the build stays fast.
#[test]
fn dense_topics_still_merge_look_alikes() {
    let p = crate::harness::Project::empty();
    for i in 0..900 {
        p.write(
            &format!("content/b{i:03}.md"),
            &format!(
                "---\ntitle: Bulletin {i}\ndate: 2025-04-18T{:02}:{:02}:00Z\ntopics: [gaza]\nsummary: Routine update.\n---\n",
                i % 24,
                i % 60
            ),
        );
    }
    let pair = [
        (
            "a",
            "Israeli strike kills 12 in Khan Younis, medics say",
            "10:00",
        ),
        (
            "b",
            "Twelve dead as Israeli airstrike hits Khan Yunis home",
            "11:30",
        ),
    ];
    for (slug, title, time) in pair {
        p.write(
            &format!("content/{slug}.md"),
            &format!("---\ntitle: {title}\ndate: 2025-04-18T{time}:00Z\ntopics: [gaza]\nsources:\n  - https://example.org/{slug}\n---\n"),
        );
    }
    let started = std::time::Instant::now();
    p.run(&["build", "--quiet"]).success();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let timeline: serde_json::Value =
        serde_json::from_str(&p.read("output/timeline.json")).unwrap();
    let story_of = |slug: &str| {
        timeline["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == slug)
            .map(|a| a["story"].clone())
            .unwrap()
    };
    assert_eq!(story_of("a")["count"], 2, "{}", story_of("a"));
    assert_eq!(story_of("a")["id"], story_of("b")["id"]);
    assert!(story_of("b000").is_null(), "a lone report has no story");
}
