//! `briefing render` (any template over the selected articles) and the shared code
//! behind `briefing digest`.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Env, Status};
use crate::cli::{RenderArgs, WindowArgs};
use crate::digest;
use crate::render::{self, Pages, SelectionView};
use crate::timeline::{self, Selection};
use crate::{dates, write};

/// Runs `briefing render`.
pub fn run(env: &Env, args: &RenderArgs) -> anyhow::Result<Status> {
    let request = Request {
        template: args.template.clone(),
        window: &args.window,
        default_today: false,
        topics: &args.topics,
        drafts: args.drafts,
        context_only: args.context,
        output_file: args.output_file.as_deref(),
    };
    standalone(env, &request)
}

/// What to render outside a site build.
pub struct Request<'a> {
    /// Template name (None only with `context_only`).
    pub template: Option<String>,
    /// Window options.
    pub window: &'a WindowArgs,
    /// Without window options: today (digest) rather than every article (render).
    pub default_today: bool,
    /// `--topic` values.
    pub topics: &'a [String],
    /// `--drafts`.
    pub drafts: bool,
    /// `--context`: print the variables as JSON instead.
    pub context_only: bool,
    /// `-o FILE`.
    pub output_file: Option<&'a Path>,
}

/// Loads everything, renders one template over the selection, prints or writes it.
pub fn standalone(env: &Env, req: &Request<'_>) -> anyhow::Result<Status> {
    let mut loaded = super::load_all(env, None)?;
    let site = &loaded.site;
    let mut usage = Vec::new();
    let mut day = |flag: &str, v: &Option<String>| {
        v.as_deref().and_then(|t| {
            dates::parse_day(t)
                .map_err(|m| usage.push(format!("{flag}: {m}")))
                .ok()
        })
    };
    let (date, since, until) = (
        day("--date", &req.window.date),
        day("--since", &req.window.since),
        day("--until", &req.window.until),
    );
    let mut topics = Vec::new();
    for t in req.topics {
        match site.resolve_topic(t) {
            Some(id) => topics.push(id),
            None => usage.push(format!("--topic: `{t}` is not a topic name")),
        }
    }
    let today = env.now.with_timezone(&site.tz).date_naive();
    let window = if req.window.is_empty() && !req.default_today {
        None
    } else {
        match digest::resolve_window(
            date,
            since,
            until,
            req.window.days,
            today,
            site.config.digest.days,
        ) {
            Ok(w) => Some(w),
            Err(m) => {
                usage.push(m);
                None
            }
        }
    };
    if !usage.is_empty() {
        for m in usage {
            eprintln!("error: {m}");
        }
        return Ok(Status::Usage);
    }
    let Some(templates) = &loaded.templates else {
        env.report(&loaded.diags);
        return Ok(Status::Failure);
    };
    if let Some(name) = &req.template
        && !templates
            .tera
            .get_template_names()
            .any(|n| n == name || n == format!("{}{name}", render::templates::BUILTIN_PREFIX))
    {
        let mut names: Vec<String> = templates
            .tera
            .get_template_names()
            .map(|n| {
                n.trim_start_matches(render::templates::BUILTIN_PREFIX)
                    .to_string()
            })
            .collect();
        names.sort();
        names.dedup();
        eprintln!(
            "error: no template named `{name}`; available: {}",
            names.join(", ")
        );
        return Ok(Status::Usage);
    }
    if loaded.diags.has_errors() {
        env.report(&loaded.diags);
        return Ok(Status::Failure);
    }
    let known: BTreeSet<String> = loaded.articles.iter().map(|a| a.path.clone()).collect();
    let selection = Selection {
        drafts: req.drafts,
        since: None,
        until: None,
        topics: topics.clone(),
    };
    let articles = std::mem::take(&mut loaded.articles);
    let briefing = timeline::arrange(articles, site, &selection);
    let pages = Pages::new(&briefing, site, env.now, &known);
    let view = SelectionView {
        template: req.template.clone().unwrap_or_default(),
        since: window.map(|w| w.since.to_string()).unwrap_or_default(),
        until: window.map(|w| w.until.to_string()).unwrap_or_default(),
        topics: topics.iter().map(ToString::to_string).collect(),
        drafts: req.drafts,
    };
    // An empty current path makes `relative_url` produce absolute links when `base_url`
    // is set: the output will be read outside the site (mail, chat, a report file).
    let vars = pages.report_vars("", window, &topics, &view);
    let text = if req.context_only {
        let mut json = serde_json::to_string_pretty(&vars.to_json())?;
        json.push('\n');
        json
    } else {
        let name = req.template.as_deref().unwrap_or_default();
        match templates.render(name, &format!("`{name}`"), &vars.to_context()) {
            Ok(text) => text,
            Err(e @ crate::Error::Template { .. }) => {
                let mut diags = loaded.diags.clone();
                diags.extend(super::render_failure(env, templates, &e));
                env.report(&diags);
                return Ok(Status::Failure);
            }
            Err(e) => return Err(e.into()),
        }
    };
    env.report(&loaded.diags);
    match req.output_file {
        Some(path) => {
            let path = if path.is_absolute() {
                path.to_path_buf()
            } else {
                env.project.cwd.join(path)
            };
            write::file(&path, text.as_bytes())?;
            env.say(&format!("wrote {}", env.project.show(&path).display()));
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Status::Success)
}
