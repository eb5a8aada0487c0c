//! `briefing build`: load, arrange, render and write the site.

use std::collections::BTreeSet;
use std::time::Instant;

use anyhow::Context as _;

use super::{Env, Status};
use crate::cli::BuildArgs;
use crate::diagnostics::Diagnostic;
use crate::stories::Story;
use crate::{render, timeline, write};

/// The cache file holding the manifest of the last build's output.
const MANIFEST: &str = "manifest.bin";

/// The cache file describing the inputs of the last successful build.
const LAST_BUILD: &str = "last-build.bin";

/// The cache file listing the stories (of more than one report) of the last build of
/// every article: what the next build compares its automatic merges with.
const MERGES: &str = "merges.bin";

/// What the last successful build was made from, to recognise a rebuild with nothing to do.
#[derive(serde::Serialize, serde::Deserialize)]
struct LastBuild {
    /// Hash of every input: configuration, templates, content files (sizes and times),
    /// command line, tool version.
    inputs: u64,
    /// Whether its output depended on "now".
    uses_now: bool,
    /// The problems it reported (warnings), reported again when nothing changed.
    diagnostics: Vec<Diagnostic>,
    /// Counts for the summary line.
    articles: usize,
    topics: usize,
}

/// A sink that counts files on a progress bar, shown on stderr only when it is a
/// terminal and the build has run for more than a second.
struct Ticking<'a> {
    inner: &'a write::Output,
    bar: indicatif::ProgressBar,
    started: Instant,
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl<'a> Ticking<'a> {
    fn new(inner: &'a write::Output, started: Instant, quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} files rendered or checked ({elapsed})",
            )
            .expect("a valid template"),
        );
        Ticking {
            inner,
            bar,
            started,
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && self.started.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl write::Sink for Ticking<'_> {
    fn reuse(&self, rel: &str, fingerprint: u64) -> crate::Result<Option<Vec<Diagnostic>>> {
        let r = self.inner.reuse(rel, fingerprint);
        if matches!(r, Ok(Some(_))) {
            self.tick();
        }
        r
    }
    fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        fingerprint: u64,
        warnings: Vec<Diagnostic>,
    ) -> crate::Result<()> {
        self.tick();
        self.inner.put(rel, bytes, fingerprint, warnings)
    }
    fn put_with(
        &self,
        rel: &str,
        fingerprint: u64,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> crate::Result<()> {
        self.tick();
        self.inner.put_with(rel, fingerprint, produce)
    }
}

/// Hash of everything a build reads, from a cheap scan (no parsing).
fn inputs_hash(env: &Env, args: &BuildArgs, stamps: &[crate::load::FileStamp]) -> Option<u64> {
    let p = &env.project;
    let config = match std::fs::read(&p.config) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(_) => return None,
    };
    let templates = render::templates::read_user_files(&p.templates).ok()?;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        crate::cache::VERSION.as_bytes(),
        &config,
        format!("{args:?}|{:?}", env.global.tz).as_bytes(),
        p.output.as_os_str().as_encoded_bytes(),
        p.content.as_os_str().as_encoded_bytes(),
        p.cwd.as_os_str().as_encoded_bytes(),
        &crate::load::scan_hash(stamps).to_le_bytes(),
    ] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for f in &templates {
        h.update(f.name.as_bytes());
        h.update(f.text.as_bytes());
    }
    // The built-ins too: a development build can change them without a new version.
    for (name, text) in render::templates::BUILTINS {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    Some(h.digest())
}

/// Runs the command, as `serve` does on every change.
pub fn run(env: &Env, args: &BuildArgs) -> anyhow::Result<Status> {
    build(env, args, false)
}

/// Runs the command once, before the process exits: the articles, their mentions and
/// the arranged briefing are left to the operating system rather than freed one
/// allocation at a time (20–30 ms at 10,000 articles, after the output is complete).
pub fn run_once(env: &Env, args: &BuildArgs) -> anyhow::Result<Status> {
    build(env, args, true)
}

fn build(env: &Env, args: &BuildArgs, exiting: bool) -> anyhow::Result<Status> {
    let started = Instant::now();
    if let Err(e) = env.project.check_output() {
        eprintln!("error: {e}");
        return Ok(Status::Failure);
    }
    let cache = crate::cache::Cache::new(&env.project.cache);
    let manifest_key = crate::load::hash_parts(&[
        crate::cache::VERSION.as_bytes(),
        env.project.output.as_os_str().as_encoded_bytes(),
    ]);
    let scanned = if env.project.content.is_dir() {
        Some(crate::load::scan(&env.project.content)?)
    } else {
        None
    };
    let inputs = scanned.as_deref().and_then(|s| inputs_hash(env, args, s));
    // Nothing to do when every input is as the last build saw it and its output is
    // intact: no parsing, no rendering.
    if let Some(inputs) = inputs
        && let Some(last) = cache.get::<LastBuild>(LAST_BUILD, manifest_key)
        && last.inputs == inputs
        && !last.uses_now
        && let Some(manifest) = cache.get::<write::Manifest>(MANIFEST, manifest_key)
        && write::intact(&env.project.output, &manifest)
    {
        let mut diags = crate::diagnostics::Diagnostics::new();
        diags.extend(last.diagnostics);
        env.report(&diags);
        env.say(&format!(
            "nothing changed: {} files from {} articles ({} topics) in {} are up to date ({} ms)",
            manifest.files.len(),
            last.articles,
            last.topics,
            env.project.show(&env.project.output).display(),
            started.elapsed().as_millis()
        ));
        return Ok(Status::Success);
    }
    let mut loaded = super::load_scanned(env, Some(&cache), scanned)?;
    let loaded_at = started.elapsed();
    let selection = super::selection(&args.select, &loaded.site, &mut loaded.diags);
    let (Some(templates), false) = (&loaded.templates, loaded.diags.has_errors()) else {
        env.report(&loaded.diags);
        eprintln!("error: build failed; the output folder was not changed");
        return Ok(Status::Failure);
    };
    let known: BTreeSet<String> = loaded.articles.iter().map(|a| a.path.clone()).collect();
    let total = loaded.articles.len();
    let briefing = timeline::arrange(loaded.articles, &loaded.site, &selection);
    let arranged_at = started.elapsed();
    // Everything every page depends on besides its own articles and the templates.
    let global = crate::load::hash_parts(&[
        crate::cache::VERSION.as_bytes(),
        serde_json::to_string(&loaded.site.config)
            .unwrap_or_default()
            .as_bytes(),
        loaded.site.tz.name().as_bytes(),
        format!("{selection:?}").as_bytes(),
    ]);
    let previous = cache
        .get::<write::Manifest>(MANIFEST, manifest_key)
        .unwrap_or_default();
    // The last output, kept in the cache to be brought up to date by the next build.
    let spare = cache.dir().join(format!(
        "spare-{:016x}",
        crate::load::hash_parts(&[env.project.output.as_os_str().as_encoded_bytes()])
    ));
    let out = write::Output::new(&env.project.output, previous)
        .with_context(|| {
            format!(
                "while preparing {}",
                env.project.show(&env.project.output).display()
            )
        })?
        .keep_spare_in(spare);
    let ticking = Ticking::new(&out, started, env.global.quiet);
    let rendered = match render::site(
        &briefing,
        &loaded.site,
        templates,
        env.now,
        &known,
        &ticking,
        global,
    ) {
        Ok(r) => r,
        Err(e) => {
            let mut diags = loaded.diags.clone();
            diags.extend(super::render_failure(env, templates, &e));
            env.report(&diags);
            eprintln!("error: build failed; the output folder was not changed");
            return Ok(Status::Failure);
        }
    };
    let rendered_at = started.elapsed();
    ticking.bar.finish_and_clear();
    drop(ticking);
    loaded.diags.extend(rendered.diagnostics);
    if loaded.diags.has_errors() {
        env.report(&loaded.diags);
        eprintln!("error: build failed; the output folder was not changed");
        return Ok(Status::Failure);
    }
    let (manifest, written) = out.commit().with_context(|| {
        format!(
            "while writing {}",
            env.project.show(&env.project.output).display()
        )
    })?;
    cache.put(MANIFEST, manifest_key, &manifest);
    if let Some(inputs) = inputs {
        let last = LastBuild {
            inputs,
            uses_now: rendered.uses_now,
            diagnostics: loaded.diags.sorted(),
            articles: briefing.articles.len(),
            topics: briefing.topics.len(),
        };
        cache.put(LAST_BUILD, manifest_key, &last);
    }
    if env.global.verbose {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        env.say(&format!(
            "load {:.1} ms, arrange {:.1} ms, render {:.1} ms, write {:.1} ms",
            ms(loaded_at),
            ms(arranged_at - loaded_at),
            ms(rendered_at - arranged_at),
            ms(started.elapsed() - rendered_at)
        ));
    }
    env.report(&loaded.diags);
    // The stories of the last build of every article into the same output. Only such
    // a build keeps its stories for the next: a narrower selection (`--since`,
    // `--topic`, `--drafts`) would make the next full build's merges look new. Nor
    // does a quiet build, so the next build that speaks names every merge since the
    // last one that did.
    let merged: Vec<&Story> = briefing.stories.merged().collect();
    let paths = report_paths(&briefing, &merged);
    let last_merged = cache.get::<Vec<Vec<String>>>(MERGES, manifest_key);
    let everything = !selection.drafts
        && selection.since.is_none()
        && selection.until.is_none()
        && selection.topics.is_empty();
    if everything && !env.global.quiet {
        cache.put(MERGES, manifest_key, &paths);
    }
    let drafts = total - briefing.articles.len();
    env.say(&format!(
        "built {} files ({} written, {} unchanged, {} removed) from {} articles ({} topics{}) into {} in {} ms",
        written.written + written.unchanged,
        written.written,
        written.unchanged,
        written.removed,
        briefing.articles.len(),
        briefing.topics.len(),
        if drafts > 0 {
            format!(", {drafts} not selected")
        } else {
            String::new()
        },
        env.project.show(&env.project.output).display(),
        started.elapsed().as_millis()
    ));
    if let Some(note) = merges_note(&briefing, &merged, &paths, last_merged.as_deref()) {
        env.say(&note);
    }
    if exiting {
        std::mem::forget(briefing);
        std::mem::forget(loaded.site);
        std::mem::forget(loaded.templates);
        std::mem::forget(known);
    }
    Ok(Status::Success)
}

/// The paths of the reports of each of `stories`, earliest first: what the next build
/// compares with.
fn report_paths(briefing: &timeline::Briefing, stories: &[&Story]) -> Vec<Vec<String>> {
    stories
        .iter()
        .map(|s| {
            s.members
                .iter()
                .map(|&m| briefing.articles[m].path.clone())
                .collect()
        })
        .collect()
}

/// How many automatically merged stories a build note names; the rest are counted.
const NOTED_MERGES: usize = 10;

/// What a build says about its automatic merges, so that a wrong one is seen the day it
/// happens: the stories merged since the last build (`last`), with the reports that
/// joined them; when the last build is unknown, only how many there are.
fn merges_note(
    briefing: &timeline::Briefing,
    merged: &[&Story],
    paths: &[Vec<String>],
    last: Option<&[Vec<String>]>,
) -> Option<String> {
    use std::fmt::Write as _;
    // Stories written down are the author's doing: only automatic ones are named.
    let automatic = |s: &Story| !s.links.is_empty();
    let Some(last) = last else {
        let (count, reports) = merged
            .iter()
            .filter(|s| automatic(s))
            .fold((0, 0), |(n, r), s| (n + 1, r + s.members.len()));
        return (count > 0).then(|| {
            let (stories, them) = match count {
                1 => ("1 story".to_string(), "it"),
                n => (format!("{n} stories"), "them"),
            };
            format!(
                "{stories} merged automatically ({reports} reports): `briefing check --stories` lists {them}"
            )
        });
    };
    let new: Vec<(usize, Vec<usize>)> = crate::stories::newly_merged(paths, last)
        .into_iter()
        .filter(|(i, _)| automatic(merged[*i]))
        .collect();
    if new.is_empty() {
        return None;
    }
    let mut out = String::from(
        "merged automatically since the last build (`briefing check --stories` says why; `merge: false` on a report undoes it):",
    );
    for (i, joined) in new.iter().take(NOTED_MERGES) {
        let members = &merged[*i].members;
        let joined: Vec<String> = joined
            .iter()
            .map(|&m| {
                briefing.articles[members[m]]
                    .display_path
                    .display()
                    .to_string()
            })
            .collect();
        let _ = write!(
            out,
            "\n  {}: {} reports; joined: {}",
            briefing.articles[members[0]].title,
            members.len(),
            joined.join(", ")
        );
    }
    if new.len() > NOTED_MERGES {
        let _ = write!(out, "\n  … and {} more", new.len() - NOTED_MERGES);
    }
    Some(out)
}
