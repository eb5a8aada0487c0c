//! Stage benchmarks (divan) on a generated corpus: load, arrange, render, the whole
//! build, and the floor (read + YAML + Markdown + write, no templates) for comparison.
//!
//! `cargo bench --bench stages` generates a 1,000-article corpus with
//! ../shared/bench/gen_corpus.py (set `BRIEFING_BENCH_ARTICLES` for another size,
//! `BRIEFING_GEN_CORPUS` for another generator path) under target/bench-corpus/.
//! Whole-build timings against Hugo are `benches/compare.sh`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use briefing::config;
use briefing::diagnostics::Diagnostics;
use briefing::render::{self, Templates};
use briefing::timeline::{self, Selection};

fn main() {
    divan::main();
}

fn corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let n: usize = std::env::var("BRIEFING_BENCH_ARTICLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join(format!("target/bench-corpus/{n}"));
        if !dir.join("content").is_dir() {
            let generator = std::env::var("BRIEFING_GEN_CORPUS")
                .map(PathBuf::from)
                .unwrap_or_else(|_| root.join("../shared/bench/gen_corpus.py"));
            let status = std::process::Command::new("python3")
                .arg(&generator)
                .args([
                    "--articles",
                    &n.to_string(),
                    "--layout",
                    "briefing",
                    "--force",
                    "--out",
                ])
                .arg(&dir)
                .status()
                .expect("run python3 gen_corpus.py");
            assert!(status.success(), "corpus generation failed");
        }
        dir
    })
}

fn site() -> config::Site {
    config::load(
        &corpus().join("briefing.yaml"),
        None,
        &mut Diagnostics::new(),
    )
}

#[divan::bench(sample_count = 10)]
fn load() -> usize {
    let (articles, _) =
        briefing::load::articles(&corpus().join("content"), &site(), corpus()).unwrap();
    articles.len()
}

#[divan::bench(sample_count = 10)]
fn arrange(bencher: divan::Bencher) {
    let site = site();
    let (articles, _) =
        briefing::load::articles(&corpus().join("content"), &site, corpus()).unwrap();
    bencher.with_inputs(|| articles.clone()).bench_values(|a| {
        timeline::arrange(a, &site, &Selection::default())
            .articles
            .len()
    });
}

#[divan::bench(sample_count = 10)]
fn render_site(bencher: divan::Bencher) {
    let site = site();
    let (articles, _) =
        briefing::load::articles(&corpus().join("content"), &site, corpus()).unwrap();
    let known: BTreeSet<String> = articles.iter().map(|a| a.path.clone()).collect();
    let briefing = timeline::arrange(articles, &site, &Selection::default());
    let templates =
        Templates::from_files(Vec::new(), &site, corpus()).unwrap_or_else(|_| panic!("templates"));
    let now = chrono::Utc::now();
    bencher.bench(|| {
        render::site(
            &briefing,
            &site,
            &templates,
            now,
            &known,
            &briefing::write::Discard,
            0,
        )
        .unwrap()
        .rendered
    });
}

/// A scratch folder in memory when the machine has one (disk timings are erratic).
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    }
}

#[divan::bench(sample_count = 5)]
fn build(bencher: divan::Bencher) {
    let exe = env!("CARGO_BIN_EXE_briefing");
    let out = scratch();
    bencher.bench(|| {
        let status = std::process::Command::new(exe)
            .args(["--quiet", "build", "--output"])
            .arg(out.path().join("site"))
            .current_dir(corpus())
            .status()
            .unwrap();
        assert!(status.success());
        // A full build each time: drop the cache and the output outside the timing
        // would be better, but divan times the closure whole; the cost is small.
        let _ = std::fs::remove_dir_all(corpus().join(".briefing-cache"));
        let _ = std::fs::remove_dir_all(out.path().join("site"));
    });
}

/// The floor: read, split, parse YAML and the date, render Markdown, write a page.
#[divan::bench(sample_count = 10)]
fn floor(bencher: divan::Bencher) {
    let out = scratch();
    let files = briefing::load::article_files(&corpus().join("content")).unwrap();
    bencher.bench(|| {
        for (i, file) in files.iter().enumerate() {
            let text = std::fs::read_to_string(file).unwrap();
            let split = briefing::load::front_matter::split(&text).unwrap();
            let fm = briefing::load::front_matter::parse_map(&split).unwrap();
            let date = fm["date"].as_str().unwrap_or_default();
            let _ = briefing::dates::parse_timestamp(date, chrono_tz::UTC);
            let mut html = String::new();
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(split.body, briefing::markdown::options()),
            );
            std::fs::write(out.path().join(format!("{i}.html")), html).unwrap();
        }
    });
}
