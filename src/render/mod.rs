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

/// Hash of the metadata hashes of `indices`, in order.
fn hash_indices(briefing: &Briefing, indices: impl Iterator<Item = usize>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for i in indices {
        h.update(&briefing.articles[i].meta_hash.to_le_bytes());
    }
    h.digest()
}

/// Template variables of one page, by name. Kept as a map (not only a Tera context) so
/// the exact context can be printed as JSON and checked against docs/templates.md.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    values: BTreeMap<String, tera::Value>,
    /// The variables the template uses, when known: costly ones are built only if used.
    wanted: Option<std::sync::Arc<BTreeSet<String>>>,
}

impl Vars {
    /// Sets variable `name` to the value `make` builds, but only when the template uses
    /// it (or when that is not known).
    pub fn insert_lazy(&mut self, name: &str, make: impl FnOnce() -> tera::Value) {
        if self.wanted.as_ref().is_none_or(|w| w.contains(name)) {
            self.values.insert(name.to_string(), make());
        }
    }

    /// Sets variable `name` to a serialisable value.
    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.values
            .insert(name.to_string(), tera::Value::from_serializable(value));
    }

    /// Sets variable `name` to an already-built (shared) value.
    pub fn insert_value(&mut self, name: &str, value: tera::Value) {
        self.values.insert(name.to_string(), value);
    }

    /// The Tera context.
    pub fn to_context(&self) -> Context {
        let mut ctx = Context::new();
        for (k, v) in &self.values {
            ctx.insert_value(k.clone(), v.clone());
        }
        ctx
    }

    /// The variables as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.values).unwrap_or(serde_json::Value::Null)
    }
}

/// Everything needed to build page contexts, computed once per run.
pub struct Pages<'a> {
    briefing: &'a Briefing,
    site: &'a Site,
    views: Views<'a>,
    now: String,
    now_day: chrono::NaiveDate,
    by_path: BTreeMap<&'a str, &'a str>,
    known_articles: &'a BTreeSet<String>,
    by_day: BTreeMap<chrono::NaiveDate, Vec<usize>>,
    needs: BTreeMap<String, std::sync::Arc<BTreeSet<String>>>,
    /// Hash of every article's metadata, in order.
    all_hash: u64,
    /// Hash of the content paths and slugs of the selected articles (what links between
    /// articles resolve against).
    links_hash: u64,
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
            needs: BTreeMap::new(),
            all_hash: hash_indices(briefing, 0..briefing.articles.len()),
            links_hash: {
                let parts: Vec<&[u8]> = briefing
                    .articles
                    .iter()
                    .flat_map(|a| [a.path.as_bytes(), a.slug.as_bytes()])
                    .collect();
                crate::load::hash_parts(&parts)
            },
        }
    }

    /// A hash of everything page `page` is rendered from, given `global` (the hash of
    /// the configuration, templates, selection and tool version): equal fingerprints
    /// mean equal output, so the page need not be rendered again.
    pub fn fingerprint(&self, page: &Page, global: u64) -> u64 {
        let b = self.briefing;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&global.to_le_bytes());
        h.update(page.path.as_bytes());
        h.update(page.template.as_bytes());
        let needs = self.needs.get(&page.template);
        let uses = |v: &str| needs.is_none_or(|n| n.contains(v));
        if uses("topics") || uses("articles") {
            h.update(&self.all_hash.to_le_bytes());
        }
        if uses("now") {
            h.update(self.now.as_bytes());
        }
        let mut add = |i: usize| h.update(&b.articles[i].meta_hash.to_le_bytes());
        match page.kind {
            PageKind::Index | PageKind::Topics | PageKind::Digests | PageKind::Feed(None) => {
                h.update(&self.all_hash.to_le_bytes());
            }
            PageKind::Report(_) => {
                h.update(&self.all_hash.to_le_bytes());
                h.update(self.now.as_bytes());
            }
            PageKind::Topic(t) | PageKind::TopicMarkdown(t) | PageKind::Feed(Some(t)) => {
                b.topics[t].entries.iter().for_each(|&i| add(i));
            }
            PageKind::Digest(day) => {
                if let Some(entries) = self.by_day.get(&day) {
                    entries.iter().for_each(|&i| add(i));
                }
            }
            PageKind::Article(i) => {
                add(i);
                for n in b.neighbours(i) {
                    n.previous.into_iter().chain(n.next).for_each(&mut add);
                }
                let a = &b.articles[i];
                h.update(&a.body_hash.to_le_bytes());
                if a.links_articles {
                    h.update(&self.links_hash.to_le_bytes());
                }
            }
        }
        h.digest()
    }

    /// Fingerprint of an export file over `entries`.
    fn export_fingerprint(&self, path: &str, global: u64, topic: Option<usize>) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&global.to_le_bytes());
        h.update(path.as_bytes());
        match topic {
            Some(t) => h.update(
                &hash_indices(
                    self.briefing,
                    self.briefing.topics[t].entries.iter().copied(),
                )
                .to_le_bytes(),
            ),
            None => h.update(&self.all_hash.to_le_bytes()),
        }
        if self.briefing.articles.is_empty() {
            // An empty feed's `updated` is "now".
            h.update(self.now.as_bytes());
        }
        h.digest()
    }

    /// Lets pages skip costly variables their template does not use (Tera reports the
    /// top-level variables of a template, its parents and includes).
    pub fn with_templates(mut self, templates: &Templates) -> Self {
        let mut names: Vec<String> = self.plan().into_iter().map(|p| p.template).collect();
        names.sort();
        names.dedup();
        for name in names {
            if let Ok(vars) = templates.tera.get_template_variables(&name) {
                let vars = vars.into_iter().map(str::to_string).collect();
                self.needs.insert(name, std::sync::Arc::new(vars));
            }
        }
        self
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
        let mut vars = self.base_vars(current_path, &selection.template);
        vars.insert_value("articles", tera::Value::from(self.views.articles(&entries)));
        vars.insert_value("digest", self.digest(window, topics).to_value());
        let (months, days) = context::timeline_values(&self.views.months(briefing, &entries));
        vars.insert_value("days", days);
        vars.insert_value("months", months);
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
    pub fn base_vars(&self, current_path: &str, template: &str) -> Vars {
        let mut vars = Vars {
            values: BTreeMap::new(),
            wanted: self.needs.get(template).cloned(),
        };
        vars.insert_value("site", self.views.site_value.clone());
        vars.insert_value("topics", self.views.all_topics.clone());
        vars.insert_lazy("articles", || self.views.all_articles());
        vars.insert("now", &self.now);
        vars.insert(filters::CURRENT_PATH, current_path);
        vars
    }

    /// The variables of `page`, plus warnings found while preparing them.
    pub fn vars(&self, page: &Page) -> (Vars, Vec<Diagnostic>) {
        self.vars_wanting(page, self.needs.get(&page.template).cloned())
    }

    /// The variables the templates of `pages` use, together (`None`: not known, build all).
    fn wanted_by(&self, pages: &[Page]) -> Option<std::sync::Arc<BTreeSet<String>>> {
        let mut all = BTreeSet::new();
        for p in pages {
            all.extend(self.needs.get(&p.template)?.iter().cloned());
        }
        Some(std::sync::Arc::new(all))
    }

    /// [`Pages::vars`], building the costly variables `wanted` names.
    fn vars_wanting(
        &self,
        page: &Page,
        wanted: Option<std::sync::Arc<BTreeSet<String>>>,
    ) -> (Vars, Vec<Diagnostic>) {
        let (briefing, views) = (self.briefing, &self.views);
        let mut warnings = Vec::new();
        let mut vars = self.base_vars(&page.path, &page.template);
        vars.wanted = wanted;
        match page.kind {
            PageKind::Index => {
                let latest: Vec<tera::Value> = (0..briefing.articles.len())
                    .rev()
                    .take(10)
                    .map(|i| views.article(i))
                    .collect();
                vars.insert_value("latest", tera::Value::from(latest));
                vars.insert("latest_digest", &self.digest_refs().into_iter().next());
            }
            PageKind::Topics => {}
            PageKind::Digests => {
                vars.insert("digests", &self.digest_refs());
            }
            PageKind::Digest(day) => {
                vars.insert_value("digest", self.digest(Window::day(day), &[]).to_value());
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
                let (months, days) =
                    context::timeline_values(&views.months(briefing, &topic.entries));
                vars.insert("topic", &views.topics[t]);
                vars.insert_value("days", days);
                vars.insert_value("months", months);
                vars.insert("activity", &context::activity(briefing, &topic.entries));
                vars.insert("sources", &context::outlets(&topic.entries, briefing));
            }
            PageKind::Article(i) => {
                let a = &briefing.articles[i];
                let body = crate::load::body(a).unwrap_or_else(|d| {
                    warnings.push(d);
                    String::new()
                });
                let (html, broken) =
                    markdown::to_html(&body, self.site.config.unsafe_html, |target| {
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
                vars.insert_value("article", views.article(i));
                vars.insert("content", &html);
                vars.insert("neighbours", &context::neighbours(i, briefing, self.site));
            }
        }
        (vars, warnings)
    }
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
