//! `briefing build`: load, arrange, render and write the site.

use std::collections::BTreeSet;
use std::time::Instant;

use anyhow::Context as _;

use super::{Env, Status};
use crate::cli::BuildArgs;
use crate::diagnostics::Diagnostic;
use crate::{render, timeline, write};

/// Runs the command.
pub fn run(env: &Env, args: &BuildArgs) -> anyhow::Result<Status> {
    let started = Instant::now();
    if let Err(e) = env.project.check_output() {
        eprintln!("error: {e}");
        return Ok(Status::Failure);
    }
    let mut loaded = super::load_all(env)?;
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
    let rendered = match render::site(&briefing, &loaded.site, templates, env.now, &known) {
        Ok(r) => r,
        Err(e) => {
            let mut diags = loaded.diags.clone();
            match &e {
                crate::Error::Template { source, page, .. } => {
                    for mut d in
                        render::tera_diagnostics(source, &templates.paths, &env.project.cwd)
                    {
                        d.message = format!("{} (rendering {page})", d.message);
                        diags.push(d);
                    }
                }
                other => diags.push(Diagnostic::error(
                    env.project.show(&env.project.templates),
                    crate::error_chain(other),
                )),
            }
            env.report(&diags);
            eprintln!("error: build failed; the output folder was not changed");
            return Ok(Status::Failure);
        }
    };
    let rendered_at = started.elapsed();
    loaded.diags.extend(rendered.diagnostics);
    write::commit(&env.project.output, &rendered.files).with_context(|| {
        format!(
            "while writing {}",
            env.project.show(&env.project.output).display()
        )
    })?;
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
    let drafts = total - briefing.articles.len();
    env.say(&format!(
        "built {} files from {} articles ({} topics{}) into {} in {} ms",
        rendered.files.len(),
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
    Ok(Status::Success)
}
