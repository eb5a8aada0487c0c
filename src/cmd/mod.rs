//! Command glue: runs the stages for each command and decides what to print.
//! No business logic lives here; `anyhow` adds "while doing X" context at this edge.

pub mod build;
pub mod check;
pub mod digest;
#[cfg(feature = "import")]
pub mod import;
pub mod init;
pub mod mentions;
pub mod new;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::cli::{Cli, Command, GlobalArgs, SelectArgs};
use crate::config::{self, Site};
use crate::dates;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::project::{Overrides, Project};
use crate::timeline::Selection;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: content, template or configuration errors.
    Failure,
    /// Exit 2: the command line was wrong.
    Usage,
}

impl From<Status> for std::process::ExitCode {
    fn from(s: Status) -> Self {
        std::process::ExitCode::from(match s {
            Status::Success => 0,
            Status::Failure => 1,
            Status::Usage => 2,
        })
    }
}

/// What every command gets: the project, the global options, and "now".
#[derive(Clone)]
pub struct Env {
    /// The project paths.
    pub project: Project,
    /// Global options.
    pub global: GlobalArgs,
    /// The instant treated as now (`--as-of`, or the clock).
    pub now: DateTime<Utc>,
    /// The diagnostics last reported (what `serve` shows in the browser overlay).
    pub last_report: std::cell::RefCell<Diagnostics>,
}

impl Env {
    /// Loads the configuration, pushing problems into `diags`.
    pub fn site(&self, diags: &mut Diagnostics) -> Site {
        config::load(&self.project.config, self.global.tz.as_deref(), diags)
    }

    /// Prints diagnostics to stderr (warnings hidden with `--quiet`).
    pub fn report(&self, diags: &Diagnostics) {
        let shown = if self.global.quiet {
            let mut only = Diagnostics::new();
            only.extend(
                diags
                    .iter()
                    .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                    .cloned(),
            );
            only
        } else {
            diags.clone()
        };
        let _ = shown.print(&mut std::io::stderr().lock());
        *self.last_report.borrow_mut() = diags.clone();
    }

    /// Prints a progress or result line unless `--quiet`.
    pub fn say(&self, line: &str) {
        if !self.global.quiet {
            eprintln!("{line}");
        }
    }
}

/// Runs the command.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let global = cli.global;
    let now = match &global.as_of {
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(t) => t.with_timezone(&Utc),
            Err(_) => {
                eprintln!(
                    "error: invalid --as-of `{text}`: expected RFC 3339, e.g. 2025-04-23T08:00:00+03:00"
                );
                return Ok(Status::Usage);
            }
        },
        None => Utc::now(),
    };
    if let Some(tz) = &global.tz
        && let Err(m) = dates::parse_tz(tz)
    {
        eprintln!("error: --tz: {m}");
        return Ok(Status::Usage);
    }
    let overrides = Overrides {
        root: global.root.clone(),
        content: global.content.clone(),
        templates: global.templates.clone(),
        output: global.output.clone(),
        config: global.config.clone(),
    };
    let project = Project::resolve(&cwd, &overrides)?;
    let env = Env {
        project,
        global,
        now,
        last_report: std::cell::RefCell::new(Diagnostics::new()),
    };
    match cli.command {
        Command::Build(args) => build::run_once(&env, &args),
        Command::Check(args) => check::run(&env, &args),
        Command::New(args) => new::run(&env, &args),
        Command::Init(args) => init::run(&env, &args, &cwd),
        Command::Digest(args) => digest::run(&env, &args),
        Command::Render(args) => render::run(&env, &args),
        Command::Dates(args) => mentions::run(&env, &args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&env, &args),
        #[cfg(feature = "import")]
        Command::Import(args) => import::run(&env, &args),
    }
}

/// Turns the selection options into a [`Selection`]; problems go to `diags` under the
/// name of the option.
pub fn selection(args: &SelectArgs, site: &Site, diags: &mut Diagnostics) -> Selection {
    let mut day = |flag: &str, v: &Option<String>| {
        v.as_deref().and_then(|t| {
            dates::parse_day(t)
                .map_err(|m| diags.push(Diagnostic::error(PathBuf::from(flag), m)))
                .ok()
        })
    };
    let since = day("--since", &args.since);
    let until = day("--until", &args.until);
    let mut topics = Vec::new();
    for t in &args.topics {
        match site.resolve_topic(t) {
            Some(id) => topics.push(id),
            None => diags.push(Diagnostic::error(
                "--topic",
                format!("`{t}` is not a topic name"),
            )),
        }
    }
    Selection {
        drafts: args.drafts,
        since,
        until,
        topics,
    }
}

/// Diagnostics for a failure to render: a template error located in its template (with
/// the page being rendered), or any other error named on the templates folder.
pub fn render_failure(
    env: &Env,
    templates: &crate::render::Templates,
    error: &crate::Error,
) -> Vec<Diagnostic> {
    match error {
        crate::Error::Template { source, page, .. } => {
            crate::render::tera_diagnostics(source, &templates.paths, &env.project.cwd)
                .into_iter()
                .map(|mut d| {
                    d.message = format!("{} (rendering {page})", d.message);
                    d
                })
                .collect()
        }
        other => vec![Diagnostic::error(
            env.project.show(&env.project.templates),
            crate::error_chain(other),
        )],
    }
}

/// The cache file of parsed articles.
const ARTICLES_CACHE: &str = "articles.bin";

/// Everything the rendering commands need, loaded with all problems collected.
pub struct Loaded {
    /// The site configuration.
    pub site: Site,
    /// The template set, unless templates are broken.
    pub templates: Option<crate::render::Templates>,
    /// Every article that parsed.
    pub articles: Vec<crate::model::Article>,
    /// Every problem found.
    pub diags: Diagnostics,
}

/// Loads configuration, templates and articles, collecting every problem. With a cache,
/// files unchanged since the last build are not parsed again.
pub fn load_all(env: &Env, cache: Option<&crate::cache::Cache>) -> anyhow::Result<Loaded> {
    load_scanned(env, cache, None)
}

/// [`load_all`], with the content folder already scanned when `scanned` is given.
pub fn load_scanned(
    env: &Env,
    cache: Option<&crate::cache::Cache>,
    scanned: Option<Vec<crate::load::FileStamp>>,
) -> anyhow::Result<Loaded> {
    let mut diags = Diagnostics::new();
    let site = env.site(&mut diags);
    let p = &env.project;
    let key = crate::load::hash_parts(&[
        crate::cache::VERSION.as_bytes(),
        serde_json::to_string(&site.config)
            .unwrap_or_default()
            .as_bytes(),
        site.tz.name().as_bytes(),
        p.content.as_os_str().as_encoded_bytes(),
        p.cwd.as_os_str().as_encoded_bytes(),
    ]);
    // Templates compile while the cache is read and the temporal tagger's rules
    // compile (the same-story merge tags titles even when mentions are off).
    let (templates, previous) = rayon::join(
        || crate::render::Templates::load(&p.templates, &site, &p.cwd),
        || {
            let previous = cache
                .and_then(|c| c.get::<crate::cache::ParsedFiles>(ARTICLES_CACHE, key))
                .unwrap_or_default();
            crate::temporal::prepare_placeable();
            previous
        },
    );
    let templates = match templates {
        Ok(t) => {
            diags.extend(crate::render::check_reports(&site, &t, &p.show(&p.config)));
            Some(t)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if !p.content.is_dir() {
        diags.push(Diagnostic::error(
            p.show(&p.content),
            "the content folder does not exist: create it, run `briefing init`, or pass --content",
        ));
        return Ok(Loaded {
            site,
            templates,
            articles: Vec::new(),
            diags,
        });
    }
    let stamps = match scanned {
        Some(s) => s,
        None => crate::load::scan(&p.content)
            .with_context(|| format!("while reading {}", p.show(&p.content).display()))?,
    };
    let (parsed, changed) =
        crate::load::parse_scanned(&stamps, &p.content, &site, &p.cwd, previous)
            .with_context(|| format!("while reading {}", p.show(&p.content).display()))?;
    if let Some(c) = cache.filter(|_| changed) {
        c.put(ARTICLES_CACHE, key, &parsed);
    }
    let (articles, d) = crate::load::into_articles(parsed);
    diags.extend(d);
    Ok(Loaded {
        site,
        templates,
        articles,
        diags,
    })
}
