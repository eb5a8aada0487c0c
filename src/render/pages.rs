//! Page contexts: the template variables of every page kind, built on demand from the
//! arranged briefing, and the fingerprints that tell an incremental build which pages
//! changed.
//!
//! Part of the RENDER stage; reads article bodies again for article pages (through
//! [`crate::load::body`]) and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use tera::Context;

use super::Templates;
use super::context::{self, Views};
use super::filters;
use super::site::{self, Page, PageKind};
use crate::config::Site;
use crate::diagnostics::Diagnostic;
use crate::digest::Window;
use crate::markdown;
use crate::timeline::Briefing;

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
    pub(crate) wanted: Option<std::sync::Arc<BTreeSet<String>>>,
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
    pub(crate) now: String,
    now_day: chrono::NaiveDate,
    by_path: BTreeMap<&'a str, &'a str>,
    known_articles: &'a BTreeSet<String>,
    by_day: BTreeMap<chrono::NaiveDate, Vec<usize>>,
    pub(crate) needs: BTreeMap<String, std::sync::Arc<BTreeSet<String>>>,
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
        let mut seen = Vec::new();
        let mut add = |i: usize| seen.push(b.articles[i].meta_hash);
        let mut bodies = Vec::new();
        let mut add_body = |i: usize| bodies.push(b.articles[i].body_hash);
        match page.kind {
            PageKind::Index | PageKind::Topics | PageKind::Digests | PageKind::Feed(None) => {
                h.update(&self.all_hash.to_le_bytes());
            }
            PageKind::Report(_) => {
                h.update(&self.all_hash.to_le_bytes());
                h.update(self.now.as_bytes());
            }
            PageKind::Topic(t) | PageKind::TopicMarkdown(t) | PageKind::Feed(Some(t)) => {
                // Entries show their whole story, which may reach beyond the topic;
                // the "Mentioned in coverage" layer comes from the bodies.
                for &i in &b.topics[t].entries {
                    for &m in &b.stories.groups[b.stories.of[i]].members {
                        add(m);
                    }
                    add_body(i);
                }
            }
            PageKind::Digest(day) => {
                if let Some(entries) = self.by_day.get(&day) {
                    entries.iter().for_each(|&i| add(i));
                }
            }
            PageKind::Article(i) => {
                for &m in &b.stories.groups[b.stories.of[i]].members {
                    add(m);
                }
                for n in b.neighbours(i) {
                    n.previous.into_iter().chain(n.next).for_each(&mut add);
                }
                let a = &b.articles[i];
                add_body(i);
                if a.links_articles {
                    h.update(&self.links_hash.to_le_bytes());
                }
            }
        }
        for x in seen.iter().chain(&bodies) {
            h.update(&x.to_le_bytes());
        }
        h.digest()
    }

    /// Fingerprint of an export file over `entries`.
    pub(crate) fn export_fingerprint(&self, path: &str, global: u64, topic: Option<usize>) -> u64 {
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
    pub(crate) fn wanted_by(&self, pages: &[Page]) -> Option<std::sync::Arc<BTreeSet<String>>> {
        let mut all = BTreeSet::new();
        for p in pages {
            all.extend(self.needs.get(&p.template)?.iter().cloned());
        }
        Some(std::sync::Arc::new(all))
    }

    /// [`Pages::vars`], building the costly variables `wanted` names.
    pub(crate) fn vars_wanting(
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
                    context::timeline_values(&views.months(briefing, &topic.timeline));
                vars.insert("topic", &views.topics[t]);
                vars.insert("mentions", &context::mentions(t, briefing, self.site));
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
