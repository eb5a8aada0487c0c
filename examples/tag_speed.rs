//! Times the temporal tagger over a folder of Markdown articles (bodies only):
//! `cargo run --release --example tag_speed -- DIR` (`ALL=1`: the full tagger; `LAYER=1`:
//! what a build keeps, prose included; `REPEAT=n`: the fastest of n rounds).

use std::time::Instant;

// The build's allocator, so that times here are those of a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: tag_speed DIR");
    let mut bodies = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "md")
            && let Ok(text) = std::fs::read_to_string(e.path())
        {
            let body = text.splitn(3, "---\n").nth(2).unwrap_or("").to_string();
            bodies.push(body);
        }
    }
    let bytes: usize = bodies.iter().map(String::len).sum();
    let dct = chrono::NaiveDate::from_ymd_opt(2024, 9, 10).expect("valid");
    let layer = std::env::var_os("LAYER").is_some();
    let t = Instant::now();
    // LAYER=1 makes its own prose, as a build does.
    let prose: Vec<String> = bodies
        .iter()
        .map(|b| match layer {
            true => String::new(),
            false => briefing::temporal::prose_of_markdown(b).text,
        })
        .collect();
    let t_prose = t.elapsed();
    // ALL=1: the full tagger; LAYER=1: what a build keeps for the "Mentioned in
    // coverage" layer (prose included); by default the build's mode, unfiltered.
    let min = briefing::config::MentionsConfig::default().min_confidence;
    // REPEAT=n: the fastest of n rounds (this machine's timings drift between runs).
    let rounds: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let mut t_tag = std::time::Duration::MAX;
    let mut n = 0;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        n = 0;
        for (p, b) in prose.iter().zip(&bodies) {
            n += if std::env::var_os("ALL").is_some() {
                briefing::temporal::tag(p, dct).len()
            } else if layer {
                briefing::load::body_mentions(b, dct, min).len()
            } else {
                briefing::temporal::tag_placeable(p, dct).len()
            };
        }
        t_tag = t_tag.min(t.elapsed());
    }
    println!(
        "{} bodies, {:.1} MB: prose {:?}, tag {:?} ({:.1} MB/s, one thread), {n} mentions",
        bodies.len(),
        bytes as f64 / 1e6,
        t_prose,
        t_tag,
        bytes as f64 / 1e6 / t_tag.as_secs_f64()
    );
}
