//! RENDER: arranged data → output files (`Vec<(relative path, bytes)>`) through Tera.
//!
//! Reads templates (the project's `templates/`, then the built-ins), never content, and
//! writes nothing: [`crate::write`] does that. Template errors name the template, the
//! line and the page being rendered.

pub mod context;
pub mod exports;
pub mod filters;
pub mod site;
pub mod templates;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use tera::{Context, Tera};

use crate::config::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::digest::Window;
use crate::error::{Error, Result};
use crate::markdown;
use crate::timeline::Briefing;
use context::Views;
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
        Ok(Templates {
            tera,
            assets,
            paths,
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

/// One rendered page: its path, bytes, and the warnings found while rendering it.
type RenderedPage = (String, Vec<u8>, Vec<Diagnostic>);

/// The result of rendering the site.
pub struct Rendered {
    /// Files to write, by path relative to the output folder.
    pub files: Vec<(String, Vec<u8>)>,
    /// Warnings found while rendering (links to articles that do not exist).
    pub diagnostics: Diagnostics,
}

/// Template variables of one page, by name. Kept as a map (not only a Tera context) so
/// the exact context can be printed as JSON and checked against docs/templates.md.
#[derive(Debug, Clone, Default)]
pub struct Vars(BTreeMap<String, tera::Value>);

impl Vars {
    /// Sets variable `name` to a serialisable value.
    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.0
            .insert(name.to_string(), tera::Value::from_serializable(value));
    }

    /// Sets variable `name` to an already-built (shared) value.
    pub fn insert_value(&mut self, name: &str, value: tera::Value) {
        self.0.insert(name.to_string(), value);
    }

    /// The Tera context.
    pub fn to_context(&self) -> Context {
        let mut ctx = Context::new();
        for (k, v) in &self.0 {
            ctx.insert_value(k.clone(), v.clone());
        }
        ctx
    }

    /// The variables as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.0).unwrap_or(serde_json::Value::Null)
    }
}

/// Everything needed to build page contexts, computed once per run.
pub struct Pages<'a> {
    briefing: &'a Briefing,
    site: &'a Site,
    views: Views,
    now: String,
    now_day: chrono::NaiveDate,
    by_path: BTreeMap<&'a str, &'a str>,
    known_articles: &'a BTreeSet<String>,
    by_day: BTreeMap<chrono::NaiveDate, Vec<usize>>,
}

/// `selection`: what a `render` or report run was asked for.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SelectionView {
    /// The template being rendered.
    pub template: String,
    /// First report day selected (`YYYY-MM-DD`), or empty for no lower bound.
    pub since: String,
    /// Last report day selected, or empty for no upper bound.
    pub until: String,
    /// Topics asked for (canonical ids); empty means all.
    pub topics: Vec<String>,
    /// Whether drafts were included.
    pub drafts: bool,
}

impl<'a> Pages<'a> {
    /// Prepares the shared views. `known_articles` are the content paths of every loaded
    /// article (selected or not), to tell broken links from links to excluded articles.
    pub fn new(
        briefing: &'a Briefing,
        site: &'a Site,
        now: DateTime<Utc>,
        known_articles: &'a BTreeSet<String>,
    ) -> Self {
        Pages {
            briefing,
            site,
            views: Views::new(briefing, site),
            now: now.with_timezone(&site.tz).to_rfc3339(),
            now_day: now.with_timezone(&site.tz).date_naive(),
            by_day: crate::digest::by_report_day(briefing, site),
            by_path: briefing
                .articles
                .iter()
                .map(|a| (a.path.as_str(), a.slug.as_str()))
                .collect(),
            known_articles,
        }
    }

    /// The pages of the site.
    pub fn plan(&self) -> Vec<Page> {
        let days: Vec<chrono::NaiveDate> = self.by_day.keys().copied().collect();
        site::plan(self.briefing, &days, &self.site.config.reports)
    }

    /// The digest of `window` (articles already filtered by the run's selection).
    pub fn digest(&self, window: Window, topics: &[crate::model::TopicId]) -> context::DigestView {
        let entries: Vec<usize> = self
            .by_day
            .range(window.since..=window.until)
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        let mut entries = entries;
        entries.sort_unstable();
        let d = crate::digest::digest_of(self.briefing, window, topics, entries);
        self.views.digest(&d, self.briefing, self.site)
    }

    /// Every digest of the build, newest first.
    fn digest_refs(&self) -> Vec<context::DigestRef> {
        self.by_day
            .iter()
            .rev()
            .map(|(day, entries)| {
                let stem = context::digest_stem(&Window::day(*day));
                context::DigestRef {
                    date: day.format("%Y-%m-%d").to_string(),
                    label: day.format("%A %Y-%m-%d").to_string(),
                    count: entries.len(),
                    path: format!("{stem}.html"),
                    markdown_path: format!("{stem}.md"),
                }
            })
            .collect()
    }

    /// The variables of a report or `briefing render`: every template variable, plus
    /// `digest` over `window` (default: the span of the selected articles), `days` and
    /// `months` (the window's articles by day), `selection`, and — when exactly one topic
    /// is selected — `topic` and `sources`.
    pub fn report_vars(
        &self,
        current_path: &str,
        window: Option<Window>,
        topics: &[crate::model::TopicId],
        selection: &SelectionView,
    ) -> Vars {
        let briefing = self.briefing;
        let window = window.unwrap_or_else(|| Window {
            since: self.by_day.keys().next().copied().unwrap_or(self.now_day),
            until: self
                .by_day
                .keys()
                .next_back()
                .copied()
                .unwrap_or(self.now_day),
        });
        let entries: Vec<usize> = (0..briefing.articles.len())
            .filter(|&i| {
                let a = &briefing.articles[i];
                window.contains(a.date.local_date(self.site.tz))
                    && (topics.is_empty() || a.topics.iter().any(|t| topics.contains(t)))
            })
            .collect();
        let mut vars = self.base_vars(current_path);
        let selected: Vec<tera::Value> = entries
            .iter()
            .map(|&i| self.views.articles[i].clone())
            .collect();
        vars.insert("articles", &selected);
        vars.insert("digest", &self.digest(window, topics));
        let months = self.views.months(briefing, &entries);
        let days: Vec<&context::DayView> = months.iter().flat_map(|m| &m.days).collect();
        vars.insert("days", &days);
        vars.insert("months", &months);
        vars.insert("selection", selection);
        if let [only] = topics {
            let on_topic: Vec<usize> = entries
                .iter()
                .copied()
                .filter(|&i| briefing.articles[i].topics.contains(only))
                .collect();
            match briefing.topic(only) {
                Some(t) => vars.insert("topic", &self.views.topics[t]),
                // The topic has no selected article: it still exists for the template.
                None => vars.insert("topic", &context::empty_topic_view(only, self.site)),
            }
            vars.insert("sources", &context::outlets(&on_topic, briefing));
        }
        vars
    }

    /// The variables shared by every template: `site`, `topics`, `articles`, `now`,
    /// `current_path`.
    pub fn base_vars(&self, current_path: &str) -> Vars {
        let mut vars = Vars::default();
        vars.insert_value("site", self.views.site.clone());
        vars.insert_value("topics", self.views.all_topics.clone());
        vars.insert_value("articles", self.views.all_articles.clone());
        vars.insert("now", &self.now);
        vars.insert(filters::CURRENT_PATH, current_path);
        vars
    }

    /// The variables of `page`, plus warnings found while preparing them.
    pub fn vars(&self, page: &Page) -> (Vars, Vec<Diagnostic>) {
        let (briefing, views) = (self.briefing, &self.views);
        let mut warnings = Vec::new();
        let mut vars = self.base_vars(&page.path);
        match page.kind {
            PageKind::Index => {
                let latest: Vec<tera::Value> = (0..briefing.articles.len())
                    .rev()
                    .take(10)
                    .map(|i| views.articles[i].clone())
                    .collect();
                vars.insert("latest", &latest);
                vars.insert("latest_digest", &self.digest_refs().into_iter().next());
            }
            PageKind::Topics => {}
            PageKind::Digests => {
                vars.insert("digests", &self.digest_refs());
            }
            PageKind::Digest(day) => {
                vars.insert("digest", &self.digest(Window::day(day), &[]));
            }
            PageKind::Feed(topic) => {
                vars.insert(
                    "feed",
                    &context::feed(self.briefing, self.site, &page.path, topic, &self.now),
                );
            }
            PageKind::Report(r) => {
                let report = &self.site.config.reports[r];
                let topics: Vec<crate::model::TopicId> = report
                    .topics
                    .iter()
                    .filter_map(|t| self.site.resolve_topic(t))
                    .collect();
                let window = report.days.map(|d| Window::ending(self.now_day, d));
                let selection = SelectionView {
                    template: report.template.clone(),
                    since: window.map(|w| w.since.to_string()).unwrap_or_default(),
                    until: window.map(|w| w.until.to_string()).unwrap_or_default(),
                    topics: topics.iter().map(ToString::to_string).collect(),
                    drafts: false,
                };
                vars = self.report_vars(&page.path, window, &topics, &selection);
            }
            PageKind::Topic(t) | PageKind::TopicMarkdown(t) => {
                let topic = &briefing.topics[t];
                let months = views.months(briefing, &topic.entries);
                let days: Vec<&context::DayView> = months.iter().flat_map(|m| &m.days).collect();
                vars.insert("topic", &views.topics[t]);
                vars.insert("days", &days);
                vars.insert("months", &months);
                vars.insert("sources", &context::outlets(&topic.entries, briefing));
            }
            PageKind::Article(i) => {
                let a = &briefing.articles[i];
                let (html, broken) =
                    markdown::to_html(&a.body, self.site.config.unsafe_html, |target| {
                        let resolved = resolve_link(&a.path, target)?;
                        self.by_path
                            .get(resolved.as_str())
                            .map(|slug| format!("../{slug}/index.html"))
                    });
                for b in broken {
                    let target_path =
                        resolve_link(&a.path, b.target.split('#').next().unwrap_or(""));
                    if target_path.is_none_or(|p| !self.known_articles.contains(&p)) {
                        warnings.push(
                            Diagnostic::warning(
                                &a.display_path,
                                format!("link to `{}` does not match any article", b.target),
                            )
                            .at_line(a.body_line + b.body_line),
                        );
                    }
                }
                vars.insert_value("article", views.articles[i].clone());
                vars.insert("content", &html);
                vars.insert("neighbours", &context::neighbours(i, briefing, self.site));
            }
        }
        (vars, warnings)
    }
}

/// Renders every page of the site.
pub fn site(
    briefing: &Briefing,
    site: &Site,
    templates: &Templates,
    now: DateTime<Utc>,
    known_articles: &BTreeSet<String>,
) -> Result<Rendered> {
    let pages = Pages::new(briefing, site, now, known_articles);
    let plan = pages.plan();
    let results: Vec<Result<RenderedPage>> = plan
        .par_iter()
        .map(|page| {
            let (vars, warnings) = pages.vars(page);
            let text = templates.render(&page.template, &page.path, &vars.to_context())?;
            Ok((page.path.clone(), text.into_bytes(), warnings))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + templates.assets.len() + 1);
    let mut diagnostics = Diagnostics::new();
    for r in results {
        let (path, bytes, warnings) = r?;
        files.push((path, bytes));
        diagnostics.extend(warnings);
    }
    files.extend(exports(briefing, site, &pages.now));
    for (name, bytes) in &templates.assets {
        files.push((name.clone(), bytes.clone()));
    }
    files.push(("README.md".into(), site::OUTPUT_README.as_bytes().to_vec()));
    Ok(Rendered { files, diagnostics })
}

/// The files whose format is fixed by a specification: JSON feeds, `timeline.json`,
/// TimelineJS3 files, `articles.csv`.
fn exports(briefing: &Briefing, site: &Site, now: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let feed = context::feed(briefing, site, "feed.xml", None, now);
    files.push(("feed.json".to_string(), exports::json_feed(&feed, site)));
    for (i, t) in briefing.topics.iter().enumerate() {
        let path = format!("topics/{}/feed.xml", t.id);
        let feed = context::feed(briefing, site, &path, Some(i), now);
        files.push((
            format!("topics/{}/feed.json", t.id),
            exports::json_feed(&feed, site),
        ));
        files.push((
            format!("topics/{}/timelinejs.json", t.id),
            exports::timelinejs(briefing, site, i),
        ));
    }
    files.push((
        "timeline.json".to_string(),
        exports::timeline_json(briefing, site),
    ));
    files.push((
        "articles.csv".to_string(),
        exports::articles_csv(briefing, site),
    ));
    files
}

/// Resolves a link written in article `from` (content-relative path) to a content-relative
/// path, or `None` when it climbs above the content folder. Percent-encoded spaces are
/// decoded.
pub fn resolve_link(from: &str, target: &str) -> Option<String> {
    let target = target.replace("%20", " ");
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests;
