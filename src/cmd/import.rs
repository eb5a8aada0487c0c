//! `briefing import`: feeds become article files; never overwrites, never imports a
//! source URL twice.

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use super::{Env, Status};
use crate::cli::ImportArgs;
use crate::diagnostics::Diagnostics;
use crate::import::{self, Draft};
use crate::{model, write};

/// Runs the command.
pub fn run(env: &Env, args: &ImportArgs) -> anyhow::Result<Status> {
    let mut diags = Diagnostics::new();
    let site = env.site(&mut diags);
    if diags.has_errors() {
        env.report(&diags);
        return Ok(Status::Failure);
    }
    let mut topics = Vec::new();
    for t in &args.topics {
        match site.resolve_topic(t) {
            Some(id) => topics.push(id.to_string()),
            None => {
                eprintln!("error: --topic `{t}` is not a topic name");
                return Ok(Status::Usage);
            }
        }
    }
    let p = &env.project;
    let into = args
        .into
        .as_ref()
        .map(|d| {
            if d.is_absolute() {
                d.clone()
            } else {
                p.cwd.join(d)
            }
        })
        .unwrap_or_else(|| p.content.clone());
    // Every source URL already in the briefing: an article citing one is not imported.
    let mut known: BTreeSet<String> = BTreeSet::new();
    if p.content.is_dir() {
        let (articles, _) = crate::load::articles(&p.content, &site, &p.cwd)?;
        known.extend(
            articles
                .iter()
                .flat_map(|a| a.sources.iter().map(|s| s.url.clone())),
        );
    }
    let mut planned: BTreeSet<PathBuf> = BTreeSet::new();
    let (mut imported, mut duplicates, mut existing, mut failed) = (0, 0, 0, 0);
    for (name, bytes, mtime) in inputs(&args.inputs)? {
        let drafts = match bytes.and_then(|b| import::parse(&b, &name, args.format, mtime, site.tz))
        {
            Ok(d) => d,
            Err(message) => {
                eprintln!("{name}: error: {message}; nothing imported from it");
                failed += 1;
                continue;
            }
        };
        for draft in drafts {
            if let Some(url) = draft
                .sources
                .iter()
                .filter_map(|s| s.url.as_ref())
                .find(|u| known.contains(*u))
            {
                eprintln!(
                    "{name}: skipped \"{}\": {url} is already in the briefing",
                    draft.title
                );
                duplicates += 1;
                continue;
            }
            let path = target(&into, &draft, site.tz);
            if path.exists() || !planned.insert(path.clone()) {
                eprintln!(
                    "{name}: skipped \"{}\": `{}` exists",
                    draft.title,
                    p.show(&path).display()
                );
                existing += 1;
                continue;
            }
            if draft.date_source == Some("file-mtime") {
                eprintln!(
                    "{name}: warning: \"{}\" has no date; using the file's modification time (date_source: file-mtime)",
                    draft.title
                );
            }
            let text = import::article_text(&draft, &topics, args.draft);
            if args.dry_run {
                writeln!(
                    std::io::stdout().lock(),
                    "==> {} <==\n{text}",
                    p.show(&path).display()
                )?;
            } else {
                write::file(&path, text.as_bytes())?;
                writeln!(std::io::stdout().lock(), "{}", p.show(&path).display())?;
            }
            known.extend(draft.sources.iter().filter_map(|s| s.url.clone()));
            imported += 1;
        }
    }
    env.say(&format!(
        "{} {imported} article(s); skipped {duplicates} already imported and {existing} whose file exists; {failed} input(s) failed",
        if args.dry_run { "would import" } else { "imported" },
    ));
    Ok(if failed > 0 {
        Status::Failure
    } else {
        Status::Success
    })
}

/// `<into>/<YYYY>/<MM>/<slug>.md`, the date in the site time zone.
fn target(into: &Path, draft: &Draft, tz: chrono_tz::Tz) -> PathBuf {
    let local = draft.date.with_timezone(&tz);
    let mut slug = model::slugify(&draft.title);
    if slug.is_empty() {
        slug = "article".into();
    }
    into.join(local.format("%Y").to_string())
        .join(local.format("%m").to_string())
        .join(format!("{slug}.md"))
}

type Input = (
    String,
    Result<Vec<u8>, String>,
    chrono::DateTime<chrono::FixedOffset>,
);

/// The inputs: files as given, folders walked (sorted, hidden entries skipped), `-` as
/// standard input.
fn inputs(args: &[String]) -> anyhow::Result<Vec<Input>> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            let mut bytes = Vec::new();
            let read = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
            out.push((
                "<stdin>".to_string(),
                read.map_err(|e| e.to_string()),
                chrono::Utc::now().fixed_offset(),
            ));
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            for entry in crate::load::walk_visible(path)
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let p = entry.path();
                out.push((
                    p.display().to_string(),
                    std::fs::read(p).map_err(|e| e.to_string()),
                    import::mtime(p),
                ));
            }
        } else {
            out.push((
                arg.clone(),
                std::fs::read(path).map_err(|e| format!("cannot read: {e}")),
                import::mtime(path),
            ));
        }
    }
    Ok(out)
}
