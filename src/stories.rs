//! ARRANGE: same-story grouping. Reports of one event, from several outlets, become one
//! timeline entry listing every source.
//!
//! - **Explicit:** articles with the same `story:` id are one story, whatever else.
//! - **Automatic** (`stories.auto`, on by default): two articles are the same story when
//!   1. they share a topic and neither says `merge: false`;
//!   2. their event times (the `event_date` when given, else the report time) are at
//!      most `stories.window_hours` apart (48 by default);
//!   3. the days their titles and summaries say the event happened on, where they say
//!      ("on Tuesday", "March 3"), are not different days (a day named after "after",
//!      "since" or "following" is an earlier event's, not the report's own), and a
//!      report of what followed another event ("a day after the strikes") is not
//!      merged with a report from an earlier day that names no day;
//!   4. their titles do not name opposed actions, one only the one side and the other
//!      only the other: taking office and leaving it ("appointed", "resigns"), imposing
//!      and lifting ("declares", "lifts");
//!   5. they share at least four normalised words;
//!   6. the merge model's score reaches `stories.threshold` (0.65 by default).
//!
//! The score is a logistic regression ([`WEIGHTS`], fitted by
//! `tests/fixtures/stories/train.py` on the labelled sets) over six [`FEATURES`] of the
//! pair: the similarity of their titles and summaries together, of their titles alone
//! and of their summaries alone; the time between their events; whether they fall on
//! one day; and how close their meanings are ([`crate::meaning`]: vectors that see
//! "cuts ties" and "breaks relations" as one thing). It reads as how likely, 0 to 1,
//! the two are one story.
//!
//! Similarity is a weighted overlap coefficient over normalised words: lowercased, stop words
//! dropped, numbers written as digits, plurals and verb endings stripped, and news
//! synonyms folded ("airstrike", "raid", "bombing" → `strike`; "dead", "died" → `kill`;
//! "Daesh", "ISIL" → `isis`; "Khan Yunis" → "khan younis"). Each word weighs its inverse
//! document frequency over the whole briefing, so "Taji" counts for more than "Gaza".
//! When both titles give figures and none are close (12 and 13 dead are close; 12 and
//! 7 are not), the similarity is halved. Pairs are merged best first; two groups merge
//! only if every cross pair is compatible and within the window and the pairs score
//! high enough on average (average linkage), so a chain of near-duplicates cannot
//! pull two different events together.
//!
//! Deterministic: the same articles give the same stories in any order.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::config::Site;
use crate::dates::Precision;
use crate::model::Article;
use crate::temporal;
use crate::timeline::Placement;

/// The default `stories.threshold`: the lowest (in steps of 0.05) at which the merge
/// model, fitted on thirteen of the fourteen first labelled sets and scored on the
/// fourteenth in turn, is at least as precise as the five-feature model before it was
/// at its default of 0.70 (see docs/merging.md: precision first, since a wrong merge hides
/// news).
pub const DEFAULT_THRESHOLD: f64 = 0.65;

/// Reports sharing fewer normalised words than this are never merged automatically.
const MIN_SHARED_WORDS: usize = 4;

/// The stories of a set of articles.
#[derive(Debug, Clone, Default)]
pub struct Stories {
    /// The story of each article (index into `groups`).
    pub of: Vec<usize>,
    /// Every story, single reports included, ordered by their first member.
    pub groups: Vec<Story>,
}

impl Stories {
    /// The stories of more than one report.
    pub fn merged(&self) -> impl Iterator<Item = &Story> {
        self.groups.iter().filter(|s| s.is_merged())
    }
}

/// One story: the reports of one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its members (article indices), earliest report first.
    pub members: Vec<usize>,
    /// The `story:` id, when the story was written down.
    pub explicit: Option<String>,
    /// The automatic merges that formed it, best first.
    pub links: Vec<Link>,
}

/// One automatic merge: two reports and their score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// An article index.
    pub a: usize,
    /// The other article index.
    pub b: usize,
    /// The merge model's score: how likely, 0 to 1, the two are one story.
    pub score: f64,
    /// What the score weighed, in [`FEATURES`] order.
    pub features: [f64; FEATURES.len()],
}

impl Link {
    /// The score and what it weighed, in words: `0.91 (similarity 0.31, titles 0.40,
    /// summaries 0.22, 3 h apart, same day)`. `window_hours` is `stories.window_hours`.
    pub fn explain(&self, window_hours: u32) -> String {
        let [similarity, titles, summaries, apart, same_day, meaning] = self.features;
        // Cut, not rounded, to two places: a score just under the threshold must not
        // read as the threshold.
        let score = (self.score * 100.0 + 1e-9).floor() / 100.0;
        format!(
            "{score:.2} (similarity {similarity:.2}, titles {titles:.2}, summaries {summaries:.2}, meaning {meaning:.2}, {:.0} h apart, {})",
            apart * f64::from(window_hours),
            if same_day == 1.0 {
                "same day"
            } else {
                "not the same day"
            }
        )
    }
}

impl Story {
    /// True when the story has more than one report.
    pub fn is_merged(&self) -> bool {
        self.members.len() > 1
    }

    /// The story's id: its `story:` id, or `auto-<slug of the first report>` (`articles`
    /// are those the member indices point into).
    pub fn id(&self, articles: &[Article]) -> String {
        self.explicit
            .clone()
            .unwrap_or_else(|| format!("auto-{}", articles[self.members[0]].slug))
    }
}

/// In a topic too dense to compare every pair, words used by more than this share of
/// all articles (and more than [`COMMON_WORD_MIN`] of them) do not make two articles
/// candidates for merging on their own: they carry little weight in the similarity.
const COMMON_WORD_SHARE: f64 = 0.05;
/// See [`COMMON_WORD_SHARE`].
const COMMON_WORD_MIN: f64 = 200.0;
/// Above this many candidate pairs in one topic, candidates must share an uncommon word.
const PAIRS_PER_TOPIC: usize = 250_000;

/// Groups `articles` (with their `placements`, same index) into stories.
pub fn group(articles: &[Article], placements: &[Placement], site: &Site) -> Stories {
    let n = articles.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut links: Vec<Link> = Vec::new();

    // Explicit stories first.
    let mut explicit: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        if let Some(id) = a.story.as_deref() {
            match explicit.get(id) {
                Some(&first) => union(&mut parent, first, i),
                None => {
                    explicit.insert(id, i);
                }
            }
        }
    }

    let cfg = &site.config.stories;
    if cfg.auto && n > 1 {
        let features = Features::of(articles, placements, site);
        let pairs = features.candidates(articles);
        use rayon::prelude::*;
        let mut scored: Vec<Link> = pairs
            .into_par_iter()
            .map(|(a, b)| features.link(a, b))
            // The score first: it is cheap, and the day check tags text.
            .filter(|l| l.score >= cfg.threshold && features.compatible(l.a, l.b))
            .collect();
        scored.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..n {
            let r = find(&mut parent, i);
            members.entry(r).or_default().push(i);
        }
        for link in scored {
            let (ra, rb) = (find(&mut parent, link.a), find(&mut parent, link.b));
            if ra == rb {
                continue;
            }
            let (ma, mb) = (&members[&ra], &members[&rb]);
            // Two written-down stories never merge with each other.
            let ids = |m: &[usize]| m.iter().find_map(|&i| articles[i].story.as_deref());
            if let (Some(x), Some(y)) = (ids(ma), ids(mb))
                && x != y
            {
                continue;
            }
            // Average linkage: every cross pair must be compatible and within the
            // window, and the pairs must be similar on average.
            let mut sum = 0.0;
            let mut ok = true;
            for &x in ma {
                for &y in mb {
                    ok &= features.compatible(x, y) && features.within(x, y);
                    sum += features.link(x, y).score;
                }
            }
            let mean = sum / (ma.len() * mb.len()) as f64;
            if !ok || mean < cfg.threshold {
                continue;
            }
            union(&mut parent, ra, rb);
            let root = find(&mut parent, ra);
            let mut all = members.remove(&ra).unwrap_or_default();
            all.extend(members.remove(&rb).unwrap_or_default());
            members.insert(root, all);
            links.push(link);
        }
    }

    // Collect the groups, members in report order, groups by their first member.
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Story> = by_root
        .into_values()
        .map(|mut members| {
            members.sort_by(|&x, &y| {
                articles[x]
                    .date
                    .instant
                    .cmp(&articles[y].date.instant)
                    .then(x.cmp(&y))
            });
            let explicit = members.iter().find_map(|&i| articles[i].story.clone());
            Story {
                members,
                explicit,
                links: Vec::new(),
            }
        })
        .collect();
    groups.sort_by_key(|s| s.members.iter().copied().min().unwrap_or(0));
    let mut of = vec![0; n];
    for (g, s) in groups.iter().enumerate() {
        for &m in &s.members {
            of[m] = g;
        }
    }
    for link in links {
        groups[of[link.a]].links.push(link);
    }
    Stories { of, groups }
}

/// Why two reports that look alike are not one story. In the order close calls are
/// listed: the reasons under which, on the labelled sets, most pairs are one story
/// after all come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Apart {
    /// Similar enough, but each is already in a story that the other is not similar
    /// enough to on average, or has a report kept apart from it (average linkage).
    Linkage,
    /// Their similarity is under `stories.threshold`.
    BelowThreshold,
    /// They say their events happened on different days.
    DifferentDays,
    /// One reports what followed an event; the other is from an earlier day.
    FollowUp,
    /// Their titles name opposed actions ("appointed" and "resigns").
    OpposedActions,
}

impl Apart {
    /// Why, in words: the heading of its close calls.
    pub fn describe(self) -> &'static str {
        match self {
            Apart::Linkage => {
                "similar enough, but kept apart by the other reports of their stories"
            }
            Apart::BelowThreshold => "just under the threshold",
            Apart::DifferentDays => "they give different days for their events",
            Apart::FollowUp => "one reports what followed an event the other predates",
            Apart::OpposedActions => "their titles name opposed actions",
        }
    }
}

/// Two reports in different stories that look alike: a merge that almost happened.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseCall {
    /// The two reports and their score.
    pub link: Link,
    /// Why they were kept apart.
    pub apart: Apart,
    /// For [`Apart::DifferentDays`], the days each report says its event happened on
    /// (in `link.a`, `link.b` order), so that a reader sees which days disagree; empty
    /// otherwise.
    pub days: [Vec<NaiveDate>; 2],
}

/// Pairs of reports at least this share of `stories.threshold` alike count as close
/// calls.
pub const CLOSE_CALL_SHARE: f64 = 0.75;

/// Which of the stories `now` are new since the last build's, `last` (each story a list
/// of report paths, earliest report first; a story of one report is never new). A story
/// is new when its reports were not all in one story last time. For each, its index in
/// `now` and the reports that joined it: those outside the largest group that was one
/// story last time (outside the earliest report, when none of them was in a story).
pub fn newly_merged(now: &[Vec<String>], last: &[Vec<String>]) -> Vec<(usize, Vec<usize>)> {
    let story_of: HashMap<&str, usize> = last
        .iter()
        .enumerate()
        .flat_map(|(i, story)| story.iter().map(move |path| (path.as_str(), i)))
        .collect();
    let mut new = Vec::new();
    for (i, story) in now.iter().enumerate().filter(|(_, s)| s.len() > 1) {
        let before: Vec<Option<usize>> = story
            .iter()
            .map(|path| story_of.get(path.as_str()).copied())
            .collect();
        if before[0].is_some() && before.iter().all(|b| *b == before[0]) {
            continue;
        }
        // The largest group of reports that were one story; the first such on a tie.
        let mut sizes: Vec<(usize, usize)> = Vec::new();
        for b in before.iter().flatten() {
            match sizes.iter_mut().find(|(s, _)| s == b) {
                Some((_, n)) => *n += 1,
                None => sizes.push((*b, 1)),
            }
        }
        let core = sizes
            .iter()
            .fold(None, |best: Option<(usize, usize)>, &(s, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((s, n)),
            })
            .map(|(s, _)| s);
        let joined = (0..story.len())
            .filter(|&m| match core {
                Some(c) => before[m] != Some(c),
                None => m > 0,
            })
            .collect();
        new.push((i, joined));
    }
    new
}

/// The candidate pairs (sharing a topic, within the window) that `stories` keeps in
/// different stories although their similarity reaches [`CLOSE_CALL_SHARE`] of the
/// threshold, with the reason: what a reader checks for a merge the automatic rule
/// missed (and fixes with a shared `story:` id). By reason (in [`Apart`]'s order), then
/// best first. Pairs that an author already kept apart (`merge: false`, two different
/// `story:` ids) are left out, and there are none when automatic merging is off.
pub fn close_calls(
    articles: &[Article],
    placements: &[Placement],
    site: &Site,
    stories: &Stories,
) -> Vec<CloseCall> {
    let cfg = &site.config.stories;
    if !cfg.auto || articles.len() < 2 {
        return Vec::new();
    }
    let features = Features::of(articles, placements, site);
    let explicit = |i: usize| stories.groups[stories.of[i]].explicit.as_deref();
    let mut calls: Vec<CloseCall> = features
        .candidates(articles)
        .into_iter()
        .filter(|&(a, b)| stories.of[a] != stories.of[b])
        .filter(|&(a, b)| !matches!((explicit(a), explicit(b)), (Some(x), Some(y)) if x != y))
        .filter_map(|(a, b)| {
            let link = features.link(a, b);
            (link.score >= CLOSE_CALL_SHARE * cfg.threshold).then(|| {
                let apart = features
                    .apart(a, b)
                    .unwrap_or(if link.score < cfg.threshold {
                        Apart::BelowThreshold
                    } else {
                        Apart::Linkage
                    });
                let days = if apart == Apart::DifferentDays {
                    [a, b].map(|i| features.stated_days(i).days.clone())
                } else {
                    [Vec::new(), Vec::new()]
                };
                CloseCall { link, apart, days }
            })
        })
        .collect();
    calls.sort_by(|x, y| {
        (x.apart.cmp(&y.apart))
            .then(y.link.score.total_cmp(&x.link.score))
            .then(x.link.a.cmp(&y.link.a))
            .then(x.link.b.cmp(&y.link.b))
    });
    calls
}

/// What the merge model weighs of a pair of reports, in this order: their similarity
/// (title and summary); the weighted overlap of their titles alone, and of their
/// summaries alone; the time between their events, as a share of the window (at most
/// 1); whether their events fall on one day (1 or 0); and the cosine of their titles'
/// and summaries' meanings ([`crate::meaning`]).
pub const FEATURES: [&str; 6] = [
    "similarity",
    "titles",
    "summaries",
    "time apart",
    "same day",
    "meaning",
];

/// The merge model's weights of [`FEATURES`], and its bias: a logistic regression
/// fitted by `tests/fixtures/stories/train.py` on the candidate pairs of the first
/// fourteen labelled sets that pass the gates (see the README). The score of a pair is
/// `1 / (1 + exp(-(BIAS + WEIGHTS · features)))`: how likely, 0 to 1, the two
/// reports are one story.
const WEIGHTS: [f64; FEATURES.len()] = [4.9036, 3.5259, 5.3378, -6.5906, -1.1450, 7.9315];
/// See [`WEIGHTS`].
const BIAS: f64 = -5.8034;

/// Every candidate pair (sharing a topic, within the window) with its score and
/// features, and what keeps them apart whatever their score (`None` when nothing
/// does): for fitting and calibrating on a labelled set.
pub fn scored_pairs(
    articles: &[Article],
    placements: &[Placement],
    site: &Site,
) -> Vec<(Link, Option<Apart>)> {
    let mut features = Features::of(articles, placements, site);
    features.every_feature = true;
    // Candidates never include a report that opted out, so `apart` alone decides.
    features
        .candidates(articles)
        .into_iter()
        .map(|(a, b)| (features.link(a, b), features.apart(a, b)))
        .collect()
}

fn find(parent: &mut [usize], x: usize) -> usize {
    let mut r = x;
    while parent[r] != r {
        r = parent[r];
    }
    let mut y = x;
    while parent[y] != r {
        let next = parent[y];
        parent[y] = r;
        y = next;
    }
    r
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        // The smaller index is the root: deterministic.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi] = lo;
    }
}

/// What the automatic merge compares, per article.
struct Features {
    /// Event time: the event day's midnight (UTC) or the report instant; `None` for
    /// month- or year-precision events, which are never merged automatically.
    time: Vec<Option<DateTime<Utc>>>,
    /// Normalised words with their weights, sorted by word id.
    words: Vec<Vec<Word>>,
    /// Sum of the weights: of all the words, of the title's, of the summary's.
    mass: Vec<[f64; 3]>,
    /// Days the title and summary say the event happened on.
    /// Computed on first use: most pairs never reach the threshold.
    stated: Vec<std::sync::OnceLock<Stated>>,
    /// Title, summary and report day, for `stated`.
    texts: Vec<(String, NaiveDate)>,
    /// `merge: false`.
    opted_out: Vec<bool>,
    /// Small numbers in the title (casualties, rockets, days), as figures.
    figures: Vec<Vec<u32>>,
    /// Which sides of an opposed pair of actions the title names (see [`actions`]).
    actions: Vec<u8>,
    /// What the title and summary say, as a vector (see [`crate::meaning`]).
    meaning: Vec<crate::meaning::Meaning>,
    /// Whether pairs sharing too few words to merge get their meaning compared too:
    /// only [`scored_pairs`] wants it (for fitting); grouping skips the work.
    every_feature: bool,
    /// How many articles use each word.
    df: Vec<u32>,
    /// `stories.window_hours`.
    window: Duration,
    /// The event's day in the site's time zone (`None` as for `time`).
    days: Vec<Option<NaiveDate>>,
    /// True when only the event's day is known (a date-only report or an `event_date`).
    day_only: Vec<bool>,
}

/// One normalised word of a report: its id, its weight, and where it is used.
#[derive(Debug, Clone, Copy)]
struct Word {
    id: u32,
    weight: f64,
    /// [`IN_TITLE`], [`IN_SUMMARY`] or both.
    parts: u8,
}

/// See [`Word::parts`].
const IN_TITLE: u8 = 1;
/// See [`Word::parts`].
const IN_SUMMARY: u8 = 2;

/// Adds `weight` to `sums`: to the whole (`sums[0]`), to the title's (`sums[1]`) and to
/// the summary's (`sums[2]`) as `parts` says.
fn tally(sums: &mut [f64; 3], weight: f64, parts: u8) {
    sums[0] += weight;
    if parts & IN_TITLE != 0 {
        sums[1] += weight;
    }
    if parts & IN_SUMMARY != 0 {
        sums[2] += weight;
    }
}

/// What two reports' words share, from one walk over both sorted lists: the summed
/// weight of the shared words, of those both titles use, of those both summaries use,
/// and how many words are shared.
fn shared(x: &[Word], y: &[Word]) -> ([f64; 3], usize) {
    let (mut i, mut j, mut weights, mut common) = (0, 0, [0.0; 3], 0);
    while i < x.len() && j < y.len() {
        match x[i].id.cmp(&y[j].id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                tally(&mut weights, x[i].weight, x[i].parts & y[j].parts);
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (weights, common)
}

impl Features {
    fn of(articles: &[Article], placements: &[Placement], site: &Site) -> Features {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        use rayon::prelude::*;
        // Normalising is the costly part, and independent per article: in parallel, with
        // the titles' actions read in the same pass.
        let normalised: Vec<(Vec<String>, Vec<String>, u8, crate::meaning::Meaning)> = articles
            .par_iter()
            .map(|a| {
                (
                    words(&a.title),
                    words(&a.summary),
                    actions(&a.title),
                    crate::meaning::of(&format!("{} {}", a.title, a.summary)),
                )
            })
            .collect();
        let mut intern = |ws: Vec<String>| -> Vec<u32> {
            let mut ids: Vec<u32> = ws
                .into_iter()
                .map(|w| {
                    let next = vocabulary.len() as u32;
                    *vocabulary.entry(w).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut actions = Vec::with_capacity(articles.len());
        let mut meaning = Vec::with_capacity(articles.len());
        let mut parts: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(articles.len());
        for (title, summary, acts, sense) in normalised {
            parts.push((intern(title), intern(summary)));
            actions.push(acts);
            meaning.push(sense);
        }
        // Each report's words, sorted, with where it uses them.
        let ids: Vec<Vec<(u32, u8)>> = parts
            .iter()
            .map(|(t, s)| {
                let mut all: Vec<(u32, u8)> = t
                    .iter()
                    .map(|&w| (w, IN_TITLE))
                    .chain(s.iter().map(|&w| (w, IN_SUMMARY)))
                    .collect();
                all.sort_unstable();
                all.dedup_by(|later, first| {
                    let same = later.0 == first.0;
                    if same {
                        first.1 |= later.1;
                    }
                    same
                });
                all
            })
            .collect();
        let mut df = vec![0u32; vocabulary.len()];
        for set in &ids {
            for &(w, _) in set {
                df[w as usize] += 1;
            }
        }
        let total = articles.len() as f64;
        let idf = |w: u32| {
            ((total + 1.0) / (f64::from(df[w as usize]) + 0.5))
                .ln()
                .max(0.1)
        };
        let words: Vec<Vec<Word>> = ids
            .iter()
            .map(|set| {
                set.iter()
                    .map(|&(id, parts)| Word {
                        id,
                        weight: idf(id),
                        parts,
                    })
                    .collect()
            })
            .collect();
        let mass = words
            .iter()
            .map(|ws: &Vec<Word>| {
                let mut mass = [0.0; 3];
                for w in ws {
                    tally(&mut mass, w.weight, w.parts);
                }
                mass
            })
            .collect();
        let time = articles
            .iter()
            .zip(placements)
            .map(|(a, p)| match a.event_date {
                Some(e) if e.precision == Precision::Day => {
                    Some(e.start.and_time(NaiveTime::MIN).and_utc())
                }
                Some(_) => None,
                None => p.time.or(Some(a.date.instant)),
            })
            .collect();
        // The event's day in the site's time zone, and whether only the day is known.
        let (days, day_only) = articles
            .iter()
            .zip(&time)
            .map(
                |(a, t): (&Article, &Option<DateTime<Utc>>)| match a.event_date {
                    Some(e) if e.precision == Precision::Day => (Some(e.start), true),
                    Some(_) => (None, true),
                    None => (
                        t.map(|t| t.with_timezone(&site.tz).date_naive()),
                        a.date.date_only,
                    ),
                },
            )
            .unzip();
        let stated = articles
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        let texts = articles
            .iter()
            .map(|a| {
                (
                    format!("{}. {}", a.title, a.summary),
                    a.date.local_date(site.tz),
                )
            })
            .collect();
        let figures = articles
            .iter()
            .map(|a| {
                self::words(&a.title)
                    .iter()
                    .filter_map(|w| w.parse::<u32>().ok())
                    .filter(|n| (1..1000).contains(n))
                    .collect()
            })
            .collect();
        Features {
            window: Duration::hours(i64::from(site.config.stories.window_hours)),
            days,
            day_only,
            df,
            figures,
            actions,
            meaning,
            every_feature: false,
            time,
            words,
            mass,
            stated,
            texts,
            opted_out: articles.iter().map(|a| !a.merge).collect(),
        }
    }

    /// Pairs (i < j) that share a topic and whose event times are within `window`. In
    /// a topic with more than [`PAIRS_PER_TOPIC`] such pairs (thousands of reports in
    /// one window), only pairs whose titles and summaries also share a word that is
    /// not common (in at most [`COMMON_WORD_SHARE`] of the articles, or
    /// [`COMMON_WORD_MIN`]), found through an index of words: the cost is then what the
    /// real look-alikes cost, not every pair.
    fn candidates(&self, articles: &[Article]) -> Vec<(usize, usize)> {
        let window = self.window;
        // Per topic, in time order: only articles that share a topic are compared, so the
        // work grows with each topic's density, not the whole briefing's.
        let mut by_topic: HashMap<&str, Vec<(DateTime<Utc>, usize)>> = HashMap::new();
        for (i, a) in articles.iter().enumerate() {
            if self.opted_out[i] {
                continue;
            }
            if let Some(t) = self.time[i] {
                for topic in &a.topics {
                    by_topic.entry(topic.as_str()).or_default().push((t, i));
                }
            }
        }
        let common = (articles.len() as f64 * COMMON_WORD_SHARE).max(COMMON_WORD_MIN);
        let mut pairs = Vec::new();
        for timed in by_topic.values_mut() {
            timed.sort_unstable();
            // Every pair within the window, unless a topic is so dense in time that
            // comparing them all would be slow: then only pairs sharing an uncommon word.
            let mut count = 0usize;
            let mut end = 0;
            for (k, &(t, _)) in timed.iter().enumerate() {
                end = end.max(k + 1);
                while end < timed.len() && timed[end].0 - t <= window {
                    end += 1;
                }
                count += end - k - 1;
            }
            if count <= PAIRS_PER_TOPIC {
                for (k, &(t, i)) in timed.iter().enumerate() {
                    for &(u, j) in &timed[k + 1..] {
                        if u - t > window {
                            break;
                        }
                        pairs.push((i.min(j), i.max(j)));
                    }
                }
                continue;
            }
            // Word → positions in `timed` (so in time order) of the articles using it.
            let mut postings: HashMap<u32, Vec<usize>> = HashMap::new();
            for (k, &(_, i)) in timed.iter().enumerate() {
                for &Word { id: w, .. } in &self.words[i] {
                    if f64::from(self.df[w as usize]) <= common {
                        postings.entry(w).or_default().push(k);
                    }
                }
            }
            let mut near: Vec<usize> = Vec::new();
            for (k, &(t, i)) in timed.iter().enumerate() {
                near.clear();
                for &Word { id: w, .. } in &self.words[i] {
                    let Some(list) = postings.get(&w) else {
                        continue;
                    };
                    let from = list.partition_point(|&p| p <= k);
                    for &p in &list[from..] {
                        if timed[p].0 - t > window {
                            break;
                        }
                        near.push(p);
                    }
                }
                near.sort_unstable();
                near.dedup();
                pairs.extend(near.iter().map(|&p| {
                    let j = timed[p].1;
                    (i.min(j), i.max(j))
                }));
            }
        }
        // A pair sharing several topics was found once per topic.
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    fn within(&self, a: usize, b: usize) -> bool {
        match (self.time[a], self.time[b]) {
            (Some(x), Some(y)) => (x - y).abs() <= self.window,
            _ => false,
        }
    }

    /// False when either opted out, or [`Features::apart`] keeps them apart.
    fn compatible(&self, a: usize, b: usize) -> bool {
        !self.opted_out[a] && !self.opted_out[b] && self.apart(a, b).is_none()
    }

    /// Why the two reports cannot be one story whatever their similarity: their titles
    /// name opposed actions, one follows an event the other predates, or they say their
    /// events happened on different days (see [`stated_days`]).
    fn apart(&self, a: usize, b: usize) -> Option<Apart> {
        // Before the days: comparing actions is cheap, reading days tags text.
        if actions_oppose(self.actions[a], self.actions[b]) {
            return Some(Apart::OpposedActions);
        }
        let (x, y) = (self.stated_days(a), self.stated_days(b));
        // A report of what followed another event ("a day after the strikes") is about
        // its own day: a report from an earlier day that states none is not about it.
        let earlier = |p: usize, q: &Stated| q.days.first().is_some_and(|d| self.texts[p].1 < *d);
        if (x.days.is_empty() && y.follows && earlier(a, y))
            || (y.days.is_empty() && x.follows && earlier(b, x))
        {
            return Some(Apart::FollowUp);
        }
        let agree =
            x.days.is_empty() || y.days.is_empty() || x.days.iter().any(|d| y.days.contains(d));
        (!agree).then_some(Apart::DifferentDays)
    }

    /// The pair with its features and the merge model's score: how likely, 0 to 1,
    /// they are one story (see [`WEIGHTS`]).
    fn link(&self, a: usize, b: usize) -> Link {
        let (features, common) = self.features(a, b);
        let z = features
            .iter()
            .zip(WEIGHTS)
            .fold(BIAS, |z, (x, w)| z + x * w);
        // Too little text to tell two events apart ("Bulletin 12" and "12 killed in
        // Khan Younis" share one rare word): never the same story.
        let enough = common >= MIN_SHARED_WORDS;
        Link {
            a,
            b,
            score: if enough {
                1.0 / (1.0 + (-z).exp())
            } else {
                0.0
            },
            features,
        }
    }

    /// The pair's features, in [`FEATURES`] order, and how many words they share.
    fn features(&self, a: usize, b: usize) -> ([f64; FEATURES.len()], usize) {
        let window = self.window;
        let same_day = self.days[a].is_some() && self.days[a] == self.days[b];
        let apart = match (self.time[a], self.time[b], self.days[a], self.days[b]) {
            // Only the days are known: the gap expected of two times drawn at random
            // in them (a third of a day when they are one day).
            (_, _, Some(x), Some(y)) if self.day_only[a] || self.day_only[b] => {
                match (x - y).num_days().unsigned_abs() {
                    0 => Duration::hours(8),
                    d => Duration::days(d as i64),
                }
            }
            (Some(p), Some(q), _, _) => (p - q).abs(),
            _ => window,
        };
        let hours = (apart.num_seconds() as f64 / window.num_seconds().max(1) as f64).min(1.0);
        let (weights, common) = shared(&self.words[a], &self.words[b]);
        // Overlap coefficients: a short text fully contained in a longer one is a
        // perfect match.
        let overlap = |k: usize| {
            let smaller = self.mass[a][k].min(self.mass[b][k]);
            if smaller <= 0.0 {
                0.0
            } else {
                weights[k] / smaller
            }
        };
        // Reports sharing too few words have no similarity (see `link`), and two
        // titles with figures far apart half of theirs.
        let similarity = if common < MIN_SHARED_WORDS {
            0.0
        } else if self.figures_disagree(a, b) {
            0.5 * overlap(0)
        } else {
            overlap(0)
        };
        (
            [
                similarity,
                overlap(1),
                overlap(2),
                hours,
                f64::from(u8::from(same_day)),
                // Pairs sharing too few words score 0 whatever their meaning (see
                // `link`): a grouping need not compare it.
                if common >= MIN_SHARED_WORDS || self.every_feature {
                    self.meaning[a].similarity(&self.meaning[b])
                } else {
                    0.0
                },
            ],
            common,
        )
    }

    /// True when both titles give figures and no two are close (12 and 13 are; 12
    /// and 7 are not): a sign of two different events.
    fn figures_disagree(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.figures[a], &self.figures[b]);
        let close = |p: u32, q: u32| p.abs_diff(q) <= 1.max(p.max(q) / 4);
        !x.is_empty() && !y.is_empty() && !x.iter().any(|&p| y.iter().any(|&q| close(p, q)))
    }

    fn stated_days(&self, i: usize) -> &Stated {
        self.stated[i].get_or_init(|| stated_days(&self.texts[i].0, self.texts[i].1))
    }
}

/// Actions that come in opposed pairs, as the bits [`actions`] gives a title: someone
/// takes office (appointed, named, sworn in) or leaves it (resigns, steps down, is
/// ousted or killed); something is imposed (declared) or lifted (revoked).
const TAKES_OFFICE: u8 = 1;
const LEAVES: u8 = 2;
const IMPOSED: u8 = 4;
const LIFTED: u8 = 8;

/// The sides of opposed actions that `title` names, as bits.
fn actions(title: &str) -> u8 {
    const WORDS: &[(&str, u8)] = &[
        ("appoint", TAKES_OFFICE),
        ("appoints", TAKES_OFFICE),
        ("appointed", TAKES_OFFICE),
        ("names", TAKES_OFFICE),
        ("named", TAKES_OFFICE),
        ("nominates", TAKES_OFFICE),
        ("nominated", TAKES_OFFICE),
        ("sworn", TAKES_OFFICE),
        ("elected", TAKES_OFFICE),
        ("successor", TAKES_OFFICE),
        ("resign", LEAVES),
        ("resigns", LEAVES),
        ("resigned", LEAVES),
        ("resignation", LEAVES),
        ("quits", LEAVES),
        ("ousted", LEAVES),
        ("sacked", LEAVES),
        ("dismissed", LEAVES),
        ("killed", LEAVES),
        ("dies", LEAVES),
        ("died", LEAVES),
        ("martyred", LEAVES),
        ("assassinated", LEAVES),
        ("declares", IMPOSED),
        ("declared", IMPOSED),
        ("imposes", IMPOSED),
        ("imposed", IMPOSED),
        ("lifts", LIFTED),
        ("lifted", LIFTED),
        ("lift", LIFTED),
        ("revokes", LIFTED),
        ("revoked", LIFTED),
        ("rescinds", LIFTED),
        ("repeals", LIFTED),
    ];
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut bits = 0;
    for (i, w) in words.iter().enumerate() {
        if let Some((_, bit)) = WORDS.iter().find(|(word, _)| word == w) {
            bits |= bit;
        }
        if matches!(*w, "step" | "steps" | "stepped" | "stepping")
            && words.get(i + 1) == Some(&"down")
        {
            bits |= LEAVES;
        }
    }
    bits
}

/// True when one title names only one side of an opposed pair of actions and the
/// other only the other side: "X appointed chief justice" and "chief justice resigns"
/// are two events, however many words they share.
fn actions_oppose(x: u8, y: u8) -> bool {
    [(TAKES_OFFICE, LEAVES), (IMPOSED, LIFTED)]
        .iter()
        .any(|&(p, q)| {
            let side = |bits: u8| match (bits & p != 0, bits & q != 0) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            };
            matches!((side(x), side(y)), (Some(s), Some(t)) if s != t)
        })
}

/// The days a report's title and summary say its event happened on. Phrases that
/// place *another* event ("the previous day", "a day after the strike") are not the
/// report's own day: they show it is about a later event, on the report day. Days
/// after the report day are plans, not the event: the report is then about the
/// announcement, on the report day.
///
/// The days are read against the report day alone, as if its writer's day were the
/// briefing's: not the tagger's [`temporal::Dct::of_instant`], which reads "early
/// Thursday" in a report filed late on Wednesday (UTC) as the next day. That is the
/// right day, but on the labelled sets it joins more steps of one night (the sixth
/// blind set's precision falls from 0.817 to 0.772): the wrong day kept them apart.
fn stated_days(text: &str, report_day: NaiveDate) -> Stated {
    static RELATIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:(?:a|one|two|three|\d+) days? (?:after|before|earlier|later)|the (?:previous|preceding) day|the day before|(?:a|one) day on from)\b",
        )
        .expect("valid pattern")
    });
    let mentions = temporal::tag_placeable(text, report_day);
    // Byte offsets of the mentions' starts (they count characters), in text order.
    let mut chars = text.char_indices().map(|(at, _)| at);
    let mut read = 0;
    let mut starts = mentions.iter().map(|m| {
        // Mentions do not overlap, so `m.start` is never behind `read`.
        let at = chars
            .nth(m.start.saturating_sub(read))
            .unwrap_or(text.len());
        read = m.start + 1;
        at
    });
    let mut days: Vec<NaiveDate> = Vec::new();
    for m in &mentions {
        let at = starts.next().unwrap_or(text.len());
        if !matches!(m.kind, temporal::Kind::Date | temporal::Kind::Time)
            || RELATIVE.is_match(&m.text)
            || m.text.to_ascii_lowercase().contains("same")
        {
            continue;
        }
        // "after Friday's strikes", "since Monday": the day of an earlier event, not
        // of this report's.
        if matches!(
            word_before(&text[..at]).as_str(),
            "after" | "since" | "following"
        ) {
            continue;
        }
        if let Some(d) = m.day()
            && (d - report_day).num_days().abs() <= 7
        {
            days.push(d);
        }
    }
    // A day after the report is a plan ("power cuts from Tuesday"): the report's own
    // event is the announcement, on the report day.
    let planned = days.iter().any(|d| *d > report_day);
    days.retain(|d| *d <= report_day);
    let follows = RELATIVE.is_match(text);
    if days.is_empty() && (planned || follows) {
        days.push(report_day);
    }
    days.sort_unstable();
    days.dedup();
    Stated { days, follows }
}

/// The last word of `text`, lowercased.
fn word_before(text: &str) -> String {
    text.rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// What a report's title and summary say about the day of its event.
#[derive(Debug, Clone, Default)]
struct Stated {
    /// The days they say it happened on.
    days: Vec<NaiveDate>,
    /// True when they place it after another event ("a day after the strikes", "the
    /// previous day"). Without a day of its own, `days` is then the report day.
    follows: bool,
}

/// Words that say nothing about which event a report is about.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "again",
    "against",
    "all",
    "also",
    "amid",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "during",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "least",
    "many",
    "may",
    "more",
    "most",
    "much",
    "new",
    "no",
    "not",
    "now",
    "of",
    "on",
    "one",
    "or",
    "other",
    "our",
    "out",
    "over",
    "said",
    "say",
    "says",
    "she",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "told",
    "under",
    "until",
    "up",
    "us-led",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "would",
    "yet",
    "report",
    "reports",
    "reported",
    "statement",
    "official",
    "officials",
    "people",
    "saying",
    "added",
    "including",
    "among",
    "near",
    "later",
    "early",
    "late",
    "day",
    "days",
    "week",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "overnight",
    "morning",
    "night",
    "evening",
    "afternoon",
    "yesterday",
    "today",
];

/// Number words → digits.
const NUMBERS: &[(&str, &str)] = &[
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("twenty", "20"),
    ("dozen", "12"),
];

/// News synonyms and spelling variants → one word (after stemming).
const SYNONYMS: &[(&str, &str)] = &[
    ("airstrike", "strike"),
    ("raid", "strike"),
    ("bomb", "strike"),
    ("bombard", "strike"),
    ("bombardment", "strike"),
    ("struck", "strike"),
    ("hit", "strike"),
    ("shell", "strike"),
    ("dead", "kill"),
    ("die", "kill"),
    ("died", "kill"),
    ("death", "kill"),
    ("slain", "kill"),
    ("toll", "kill"),
    ("injur", "wound"),
    ("injury", "wound"),
    ("hurt", "wound"),
    ("katyusha", "rocket"),
    ("daesh", "isis"),
    ("isil", "isis"),
    ("islamic", "isis"),
    ("youni", "yuni"),
    ("jabalia", "jabaliya"),
    ("jabalya", "jabaliya"),
    ("nusseirat", "nuseirat"),
    ("israeli", "israel"),
    ("palestinian", "palestine"),
    ("iraqi", "iraq"),
    ("iranian", "iran"),
    ("egyptian", "egypt"),
    ("lebanese", "lebanon"),
    ("yemeni", "yemen"),
    ("syrian", "syria"),
    ("kurdish", "kurd"),
    ("american", "us"),
    ("british", "uk"),
    ("britain", "uk"),
    ("negotiation", "talk"),
    ("negotiat", "talk"),
    ("captive", "hostage"),
    ("freed", "release"),
    ("free", "release"),
    ("lorry", "truck"),
    ("lorrie", "truck"),
    ("children", "child"),
    ("kid", "child"),
    ("militant", "fighter"),
    ("gunmen", "fighter"),
    ("gunman", "fighter"),
    ("troop", "soldier"),
];

static STOP_SET: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
static NUMBER_MAP: std::sync::LazyLock<HashMap<&'static str, &'static str>> =
    std::sync::LazyLock::new(|| NUMBERS.iter().copied().collect());
static SYNONYM_MAP: std::sync::LazyLock<HashMap<&'static str, &'static str>> =
    std::sync::LazyLock::new(|| SYNONYMS.iter().copied().collect());

/// The normalised words of `text`.
pub fn words(text: &str) -> Vec<String> {
    let lower = text
        .to_lowercase()
        .replace("u.s.", "us")
        .replace("u.n.", "un");
    let mut out = Vec::new();
    let mut previous = String::new();
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == ':')) {
        // Clock times ("03:30") say when, not what.
        if raw.contains(':') {
            previous.clear();
            continue;
        }
        for word in raw.split('-') {
            let word = word.trim_matches('\'');
            if word.is_empty() || STOP_SET.contains(word) {
                previous.clear();
                continue;
            }
            // "Islamic State" is one name.
            if word == "state" && previous == "islamic" {
                continue;
            }
            let w = NUMBER_MAP
                .get(word)
                .map_or_else(|| stem(word), |v| (*v).to_string());
            let w = SYNONYM_MAP.get(w.as_str()).map_or(w, |v| (*v).to_string());
            previous = word.to_string();
            if w.len() > 1 || w.chars().all(|c| c.is_ascii_digit()) {
                out.push(w);
            }
        }
    }
    out
}

/// A light English stemmer: plural and verb endings.
fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s");
    if !w.is_ascii() || w.len() <= 3 {
        return w.to_string();
    }
    for (suffix, replacement, min) in [
        ("ies", "y", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 6),
        ("s", "", 4),
    ] {
        if w.len() >= min
            && let Some(base) = w.strip_suffix(suffix)
            && !base.ends_with('s')
        {
            return format!("{base}{replacement}");
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn one_walk_finds_the_shared_words_of_the_whole_of_the_titles_and_of_the_summaries() {
        let w = |id, weight, parts| Word { id, weight, parts };
        let both = IN_TITLE | IN_SUMMARY;
        let x = [
            w(1, 1.0, IN_TITLE),
            w(2, 2.0, both),
            w(4, 4.0, IN_SUMMARY),
            w(8, 8.0, IN_TITLE),
        ];
        let y = [
            w(2, 2.0, IN_TITLE),
            w(3, 3.0, both),
            w(4, 4.0, both),
            w(8, 8.0, IN_SUMMARY),
            w(9, 9.0, both),
        ];
        // Shared: 2 (both titles), 4 (both summaries), 8 (a title and a summary).
        assert_eq!(shared(&x, &y), ([14.0, 2.0, 4.0], 3));
        assert_eq!(shared(&y, &x), ([14.0, 2.0, 4.0], 3));
        assert_eq!(shared(&x, &[]), ([0.0; 3], 0));
    }

    #[test]
    fn explanations_cut_the_score_and_give_hours() {
        let link = |score| Link {
            a: 0,
            b: 1,
            score,
            features: [0.31, 0.29, 0.18, 0.25, 0.0, 0.62],
        };
        assert_eq!(
            link(0.6996).explain(48),
            "0.69 (similarity 0.31, titles 0.29, summaries 0.18, meaning 0.62, 12 h apart, not the same day)"
        );
        assert!(link(0.70).explain(48).starts_with("0.70 ("));
        assert!(link(0.29).explain(48).starts_with("0.29 ("));
    }

    #[test]
    fn titles_name_sides_of_opposed_actions() {
        assert_eq!(
            actions("Justice Syed Refaat Ahmed appointed new chief justice"),
            TAKES_OFFICE
        );
        assert_eq!(actions("CJ Obaidul Hassan steps down amid protest"), LEAVES);
        assert_eq!(
            actions("Chief justice resigns; successor named"),
            TAKES_OFFICE | LEAVES
        );
        assert_eq!(actions("Yoon declares martial law"), IMPOSED);
        assert_eq!(actions("Parliament votes to lift martial law"), LIFTED);
        // Only whole words: "lifting" and "stepped up" are neither.
        assert_eq!(actions("Stepped up patrols, lifting morale"), 0);
    }

    #[test]
    fn opposed_actions_keep_two_titles_apart_only_when_each_names_one_side() {
        assert!(actions_oppose(TAKES_OFFICE, LEAVES));
        assert!(actions_oppose(LIFTED, IMPOSED));
        // A title that names both sides (a resignation and its successor) opposes
        // neither.
        assert!(!actions_oppose(TAKES_OFFICE | LEAVES, LEAVES));
        assert!(!actions_oppose(TAKES_OFFICE, TAKES_OFFICE));
        assert!(!actions_oppose(TAKES_OFFICE, IMPOSED));
        assert!(!actions_oppose(0, LEAVES));
    }

    #[test]
    fn a_day_named_after_after_is_another_events() {
        // Friday's strikes are what this Saturday report follows, not its own event.
        let s = stated_days(
            "US hits radar site early on Saturday, after Friday's wave of strikes",
            day("2024-01-13"),
        );
        assert_eq!(s.days, [day("2024-01-13")]);
        assert!(!s.follows);
        let s = stated_days(
            "Strikes on Friday hit dozens of sites; fires burned since Thursday.",
            day("2024-01-13"),
        );
        assert_eq!(s.days, [day("2024-01-12")]);
    }

    #[test]
    fn a_follow_up_is_about_its_own_day() {
        let s = stated_days(
            "US strikes radar site a day after wider bombardment",
            day("2024-01-13"),
        );
        assert_eq!(
            (s.days.as_slice(), s.follows),
            (&[day("2024-01-13")][..], true)
        );
        let s = stated_days("Jets strike radar site in Yemen", day("2024-01-13"));
        assert!(s.days.is_empty() && !s.follows);
    }

    /// Similarity of two texts on their own (uniform weights).
    fn text_similarity(a: &str, b: &str) -> f64 {
        let (mut x, mut y) = (words(a), words(b));
        x.sort();
        x.dedup();
        y.sort();
        y.dedup();
        let shared = x.iter().filter(|w| y.binary_search(w).is_ok()).count();
        let union = x.len() + y.len() - shared;
        if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        }
    }

    #[test]
    fn words_fold_synonyms_and_numbers() {
        assert_eq!(
            words("Twelve dead as airstrike hits Khan Yunis home"),
            ["12", "kill", "strike", "strike", "khan", "yuni", "home"]
        );
        assert_eq!(words("Khan Younis"), words("Khan Yunis"));
        assert_eq!(words("Daesh and the Islamic State"), ["isis", "isis"]);
        assert_eq!(words("U.S.-led troops"), ["us", "led", "soldier"]);
    }

    #[test]
    fn similar_headlines_score_higher_than_different_ones() {
        let a = "Israeli strike kills 12 in Khan Younis, medics say";
        let b = "Twelve dead as Israeli airstrike hits Khan Yunis home";
        let c = "Hamas delegation meets Egyptian mediators in Cairo";
        assert!(text_similarity(a, b) > 0.4, "{}", text_similarity(a, b));
        assert!(text_similarity(a, c) < 0.1);
    }

    #[test]
    fn newly_merged_names_the_reports_that_joined() {
        let stories = |list: &[&[&str]]| -> Vec<Vec<String>> {
            list.iter()
                .map(|s| s.iter().map(|p| p.to_string()).collect())
                .collect()
        };
        let last = stories(&[&["a", "b"], &["c", "d"]]);
        // Unchanged, or split: nothing new.
        assert!(newly_merged(&last, &last).is_empty());
        assert!(newly_merged(&stories(&[&["a", "b"], &["c"]]), &last).is_empty());
        // A new story of new reports: all but the first joined.
        let now = stories(&[&["a", "b"], &["e", "f", "g"]]);
        assert_eq!(newly_merged(&now, &last), [(1, vec![1, 2])]);
        // A report joins a story, before or after its reports.
        let now = stories(&[&["e", "a", "b"], &["c", "d"]]);
        assert_eq!(newly_merged(&now, &last), [(0, vec![0])]);
        // Two stories become one: the smaller group joined the larger (the earlier on
        // a tie).
        let now = stories(&[&["c", "a", "d", "b"]]);
        assert_eq!(newly_merged(&now, &last), [(0, vec![1, 3])]);
        let now = stories(&[&["c", "a", "d", "b", "h"]]);
        assert_eq!(newly_merged(&now, &last), [(0, vec![1, 3, 4])]);
        // No record of a report's story: it counts as new.
        assert_eq!(newly_merged(&last, &[]), [(0, vec![1]), (1, vec![1])]);
        // A single report is no merge.
        assert!(newly_merged(&stories(&[&["z"]]), &[]).is_empty());
    }
}
