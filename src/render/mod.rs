//! RENDER: arranged data → output files (`Vec<(relative path, bytes)>`) through Tera.
//!
//! Reads templates (the project's `templates/`, then the built-ins), never content, and
//! writes nothing: [`crate::write`] does that. Template errors name the template, the
//! line and the page being rendered.

pub mod context;
pub mod exports;
mod feeds;
pub mod filters;
mod pages;
pub mod site;
pub mod templates;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tera::{Context, Tera};

use crate::config::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::timeline::Briefing;
pub use pages::{Pages, SelectionView, Vars, resolve_link};
use site::{Page, PageKind};
use templates::{BUILTIN_PREFIX, UserFile};

/// A loaded template set: the Tera instance and the static assets.
pub struct Templates {
    /// Templates: the project's by name, the built-ins as fallback and under `builtin/`.
    pub tera: Tera,
    /// Static files for `output/assets/`, by name relative to `templates/`.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Where each project template lives on disk, for diagnostics.
    pub paths: BTreeMap<String, PathBuf>,
    /// Hash of every template and asset (names and contents): part of every page's
    /// fingerprint.
    pub fingerprint: u64,
}

/// A fresh Tera with our filters and the built-in fallback prefix.
fn new_tera(site: &Site) -> Tera {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([BUILTIN_PREFIX])
        .expect("set before any template is added");
    filters::register(&mut tera, site.tz, site.config.unsafe_html);
    tera
}

impl Templates {
    /// Loads the project's templates from `dir` (may be missing) over the built-ins.
    /// Template problems are returned as diagnostics (every broken template at once).
    pub fn load(dir: &Path, site: &Site, base: &Path) -> Result<Templates, Diagnostics> {
        let user = templates::read_user_files(dir).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error(
                e.path().unwrap_or(dir).to_path_buf(),
                crate::error_chain(&e),
            ));
            d
        })?;
        Self::from_files(user, site, base)
    }

    /// Builds the set from already-read project files.
    pub fn from_files(
        user: Vec<UserFile>,
        site: &Site,
        base: &Path,
    ) -> Result<Templates, Diagnostics> {
        let mut assets: BTreeMap<String, Vec<u8>> = templates::BUILTINS
            .iter()
            .filter(|(n, _)| templates::is_asset(n))
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect();
        let mut paths = BTreeMap::new();
        let mut sources: Vec<(String, String)> = templates::builtin_templates()
            .map(|(n, t)| (format!("{BUILTIN_PREFIX}{n}"), t.to_string()))
            .collect();
        for f in &user {
            if templates::is_asset(&f.name) {
                assets.insert(f.name.clone(), f.text.clone().into_bytes());
            } else {
                paths.insert(
                    f.name.clone(),
                    crate::diagnostics::display_path(&f.path, base),
                );
                sources.push((f.name.clone(), f.text.clone()));
            }
        }
        let mut tera = new_tera(site);
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(template_diagnostics(&user, site, base, &e, &paths));
        }
        let mut parts: Vec<&[u8]> = Vec::new();
        for (n, t) in &sources {
            parts.push(n.as_bytes());
            parts.push(t.as_bytes());
        }
        for (n, b) in &assets {
            parts.push(n.as_bytes());
            parts.push(b);
        }
        let fingerprint = crate::load::hash_parts(&parts);
        Ok(Templates {
            tera,
            assets,
            paths,
            fingerprint,
        })
    }

    /// Renders `template` with `ctx`, wrapping errors with the page.
    pub fn render(&self, template: &str, page: &str, ctx: &Context) -> Result<String> {
        self.tera
            .render(template, ctx)
            .map_err(|source| Error::Template {
                template: template.to_string(),
                page: page.to_string(),
                source,
            })
    }
}

/// Problems with `reports:` in `briefing.yaml`: unknown templates, output paths outside
/// the output folder or over a generated file's name, unknown topics.
pub fn check_reports(site: &Site, templates: &Templates, config_path: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let text = std::fs::read_to_string(config_path).unwrap_or_default();
    let line = |needle: &str| crate::load::front_matter::find_line(&text, needle, 0);
    for r in &site.config.reports {
        let mut err = |needle: &str, message: String| {
            let mut d = Diagnostic::error(config_path, message);
            d.line = line(needle);
            problems.push(d);
        };
        let known = templates.tera.get_template_names().any(|n| {
            n == r.template || n.strip_prefix(BUILTIN_PREFIX) == Some(r.template.as_str())
        });
        if !known {
            err(
                &r.template,
                format!(
                    "report template `{}` does not exist in templates/",
                    r.template
                ),
            );
        }
        if crate::write::safe_join(Path::new("output"), &r.output).is_err() {
            err(
                &r.output,
                format!(
                    "report output `{}` must be a plain relative path inside the output folder",
                    r.output
                ),
            );
        } else {
            let reserved = [
                "index.html",
                "feed.xml",
                "feed.json",
                "timeline.json",
                "articles.csv",
                "README.md",
            ];
            let first = r.output.split('/').next().unwrap_or("");
            if reserved.contains(&r.output.as_str())
                || ["articles", "topics", "digests", "assets"].contains(&first)
            {
                err(
                    &r.output,
                    format!(
                        "report output `{}` would overwrite a generated file: write it under `reports/`",
                        r.output
                    ),
                );
            }
        }
        for t in &r.topics {
            if site.resolve_topic(t).is_none() {
                err(t, format!("report topic `{t}` is not a topic name"));
            }
        }
    }
    problems
}

/// Removes template whitespace artefacts from Markdown so it pastes cleanly into mail and
/// chat: trailing spaces, runs of blank lines, blank lines at the start, and a missing
/// or repeated final newline. Fenced code blocks are left as they are.
pub fn tidy_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed_start = line.trim_start();
        if trimmed_start.starts_with("```") || trimmed_start.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let line = if in_fence { line } else { line.trim_end() };
        if line.is_empty() && !in_fence {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Finds every broken project template: each is added alone next to the built-ins, so one
/// bad file does not hide the others.
fn template_diagnostics(
    user: &[UserFile],
    site: &Site,
    base: &Path,
    whole: &tera::Error,
    paths: &BTreeMap<String, PathBuf>,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let builtins: Vec<(String, &str)> = templates::builtin_templates()
        .map(|(n, t)| (format!("{BUILTIN_PREFIX}{n}"), t))
        .collect();
    let user_templates: Vec<&UserFile> = user
        .iter()
        .filter(|f| !templates::is_asset(&f.name))
        .collect();
    for f in &user_templates {
        let mut tera = new_tera(site);
        // Other project templates are added as placeholders so `extends`/`include`
        // between project files resolve; only `f` is checked for real.
        let mut set: Vec<(String, String)> = builtins
            .iter()
            .map(|(n, t)| (n.clone(), t.to_string()))
            .collect();
        for other in &user_templates {
            if other.name != f.name {
                let ok = Tera::new()
                    .add_raw_template(&other.name, &other.text)
                    .is_ok();
                set.push((
                    other.name.clone(),
                    if ok {
                        other.text.clone()
                    } else {
                        String::new()
                    },
                ));
            }
        }
        set.push((f.name.clone(), f.text.clone()));
        if let Err(e) = tera.add_raw_templates(set.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            for d in tera_diagnostics(&e, paths, base) {
                if !diags.iter().any(|x| x == &d) {
                    diags.push(d);
                }
            }
        }
    }
    if !diags.has_errors() {
        diags.extend(tera_diagnostics(whole, paths, base));
    }
    diags
}

/// Turns a Tera error into located diagnostics (Tera reports several problems found
/// while loading templates as one message made of `error: … --> name:line:col` blocks).
pub fn tera_diagnostics(
    e: &tera::Error,
    paths: &BTreeMap<String, PathBuf>,
    base: &Path,
) -> Vec<Diagnostic> {
    let locate = |name: &str| -> PathBuf {
        paths.get(name).cloned().unwrap_or_else(|| {
            crate::diagnostics::display_path(&base.join("templates").join(name), base)
        })
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            vec![Diagnostic::error(locate(r.filename()), format!("template: {}", r.message()))
                .at(r.span().start_line, r.span().start_col + 1)]
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![Diagnostic::error(
            locate(current),
            format!("template extends `{parent}`, which does not exist (built-ins are named `builtin/<name>`)"),
        )
        .at_line(1)],
        other => {
            let text = other.to_string();
            let blocks = parse_reports(&text);
            if blocks.is_empty() {
                let dir = crate::diagnostics::display_path(&base.join("templates"), base);
                vec![Diagnostic::error(dir, format!("template: {}", text.trim()))]
            } else {
                blocks
                    .into_iter()
                    .map(|(message, name, line, col)| {
                        Diagnostic::error(locate(&name), format!("template: {message}")).at(line, col + 1)
                    })
                    .collect()
            }
        }
    }
}

/// Splits Tera's rendered reports (`error: message` then ` --> name:line:col`) into
/// (message, template name, line, 0-based column).
fn parse_reports(text: &str) -> Vec<(String, String, usize, usize)> {
    let mut out = Vec::new();
    let mut message: Option<String> = None;
    for line in text.lines() {
        if let Some(m) = line.trim_start().strip_prefix("error: ") {
            message = Some(m.trim().to_string());
        } else if let Some(loc) = line.trim_start().strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.trim().parse::<usize>().ok());
            let line_no = parts.next().and_then(|l| l.trim().parse::<usize>().ok());
            let name = parts.next().map(str::to_string);
            if let (Some(m), Some(name), Some(l), Some(c)) = (message.take(), name, line_no, col) {
                out.push((m, name, l, c));
            }
        }
    }
    out
}

/// The result of rendering the site.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Warnings found while rendering (links to articles that do not exist), including
    /// those remembered for pages that were not rendered again.
    pub diagnostics: Diagnostics,
    /// Files rendered (or produced) in this run.
    pub rendered: usize,
    /// Files whose inputs had not changed, left as they were.
    pub reused: usize,
    /// True when some output depends on "now" (a template uses `now`, or reports cover
    /// the last days): a rebuild with unchanged inputs must still render.
    pub uses_now: bool,
}

/// Renders every page of the site into `sink`, skipping pages whose fingerprint (with
/// `global`, the hash of configuration, templates, selection and version) shows they
/// are unchanged since the build `sink` remembers.
pub fn site(
    briefing: &Briefing,
    site: &Site,
    templates: &Templates,
    now: DateTime<Utc>,
    known_articles: &BTreeSet<String>,
    sink: &dyn crate::write::Sink,
    global: u64,
) -> Result<Rendered> {
    let pages = Pages::new(briefing, site, now, known_articles).with_templates(templates);
    let plan = pages.plan();
    let global =
        crate::load::hash_parts(&[&global.to_le_bytes(), &templates.fingerprint.to_le_bytes()]);
    // Pages that show the same data (a topic's HTML and Markdown timelines, a day's two
    // digests) are rendered together from one set of variables.
    let mut groups: Vec<&[Page]> = Vec::new();
    let mut start = 0;
    for i in 1..=plan.len() {
        if i == plan.len() || !shares_data(&plan[i - 1], &plan[i]) {
            groups.push(&plan[start..i]);
            start = i;
        }
    }
    let results: Vec<Result<(Vec<Diagnostic>, bool)>> = groups
        .par_iter()
        .flat_map_iter(|group| {
            let mut shared: Option<Vars> = None;
            let mut out = Vec::with_capacity(group.len());
            for page in *group {
                out.push((|| {
                    let fingerprint = pages.fingerprint(page, global);
                    if let Some(warnings) = sink.reuse(&page.path, fingerprint)? {
                        return Ok((warnings, false));
                    }
                    let (vars, warnings) = match &shared {
                        Some(vars) => {
                            let mut vars = vars.clone();
                            vars.insert(filters::CURRENT_PATH, &page.path);
                            (vars, Vec::new())
                        }
                        None if group.len() > 1 => pages.vars_wanting(page, pages.wanted_by(group)),
                        None => pages.vars(page),
                    };
                    let text = templates.render(&page.template, &page.path, &vars.to_context())?;
                    sink.put(&page.path, text.as_bytes(), fingerprint, warnings.clone())?;
                    shared.get_or_insert(vars);
                    Ok((warnings, true))
                })());
            }
            out
        })
        .collect();
    let mut rendered = Rendered {
        uses_now: !site.config.reports.is_empty()
            || pages.needs.values().any(|n| n.contains("now"))
            || pages.needs.len()
                < plan
                    .iter()
                    .map(|p| &p.template)
                    .collect::<BTreeSet<_>>()
                    .len(),
        ..Rendered::default()
    };
    for r in results {
        let (warnings, fresh) = r?;
        rendered.diagnostics.extend(warnings);
        if fresh {
            rendered.rendered += 1;
        } else {
            rendered.reused += 1;
        }
    }
    let jobs = export_jobs(briefing);
    let results: Vec<Result<bool>> = jobs
        .par_iter()
        .map(|job| {
            let fingerprint = pages.export_fingerprint(&job.path, global, job.topic);
            if sink.reuse(&job.path, fingerprint)?.is_some() {
                return Ok(false);
            }
            sink.put_with(&job.path, fingerprint, &mut |w| {
                job.produce(briefing, site, &pages.now, w)
            })?;
            Ok(true)
        })
        .collect();
    for r in results {
        if r? {
            rendered.rendered += 1;
        } else {
            rendered.reused += 1;
        }
    }
    for (name, bytes) in templates
        .assets
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .chain([("README.md", site::OUTPUT_README.as_bytes())])
    {
        sink.put(name, bytes, global, Vec::new())?;
        rendered.rendered += 1;
    }
    Ok(rendered)
}

/// True when two pages of the plan are rendered from the same variables.
fn shares_data(a: &Page, b: &Page) -> bool {
    match (a.kind, b.kind) {
        (PageKind::Topic(x), PageKind::TopicMarkdown(y)) => x == y,
        (PageKind::Digest(x), PageKind::Digest(y)) => x == y,
        _ => false,
    }
}

/// An export file to produce.
struct ExportJob {
    path: String,
    topic: Option<usize>,
    kind: ExportKind,
}

enum ExportKind {
    JsonFeed,
    TimelineJs,
    TimelineJson,
    Csv,
    SearchIndex,
}

impl ExportJob {
    fn produce(
        &self,
        briefing: &Briefing,
        site: &Site,
        now: &str,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match self.kind {
            ExportKind::JsonFeed => {
                let xml = self.path.replace("feed.json", "feed.xml");
                let feed = context::feed(briefing, site, &xml, self.topic, now);
                out.write_all(&exports::json_feed(&feed, site))
            }
            ExportKind::TimelineJs => out.write_all(&exports::timelinejs(
                briefing,
                site,
                self.topic.unwrap_or(0),
            )),
            ExportKind::TimelineJson => exports::timeline_json(briefing, site, out),
            ExportKind::SearchIndex => exports::search_index(briefing, out),
            ExportKind::Csv => exports::articles_csv(briefing, site, out),
        }
    }
}

/// The files whose format is fixed by a specification: JSON feeds, `timeline.json`,
/// TimelineJS3 files, `articles.csv`.
fn export_jobs(briefing: &Briefing) -> Vec<ExportJob> {
    let job = |path: String, topic, kind| ExportJob { path, topic, kind };
    let mut jobs = vec![
        job("feed.json".into(), None, ExportKind::JsonFeed),
        job("timeline.json".into(), None, ExportKind::TimelineJson),
        job("articles.csv".into(), None, ExportKind::Csv),
        job("search-index.js".into(), None, ExportKind::SearchIndex),
    ];
    for (i, t) in briefing.topics.iter().enumerate() {
        jobs.push(job(
            format!("topics/{}/feed.json", t.id),
            Some(i),
            ExportKind::JsonFeed,
        ));
        jobs.push(job(
            format!("topics/{}/timelinejs.json", t.id),
            Some(i),
            ExportKind::TimelineJs,
        ));
    }
    jobs
}

#[cfg(test)]
mod tests;
