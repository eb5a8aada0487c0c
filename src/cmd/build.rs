//! `briefing build`: load, arrange, render and write the site.

use std::collections::BTreeSet;
use std::time::Instant;

use anyhow::Context as _;

use super::{Env, Status};
use crate::cli::BuildArgs;
use crate::diagnostics::Diagnostic;
use crate::{render, timeline, write};

/// The cache file holding the manifest of the last build's output.
const MANIFEST: &str = "manifest.bin";

/// Runs the command.
pub fn run(env: &Env, args: &BuildArgs) -> anyhow::Result<Status> {
    let started = Instant::now();
    if let Err(e) = env.project.check_output() {
        eprintln!("error: {e}");
        return Ok(Status::Failure);
    }
    let cache = crate::cache::Cache::new(&env.project.cache);
    let mut loaded = super::load_all(env, Some(&cache))?;
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
    let manifest_key = crate::load::hash_parts(&[
        crate::cache::VERSION.as_bytes(),
        env.project.output.as_os_str().as_encoded_bytes(),
    ]);
    let previous = cache
        .get::<write::Manifest>(MANIFEST, manifest_key)
        .unwrap_or_default();
    let out = write::Output::new(&env.project.output, previous).with_context(|| {
        format!(
            "while preparing {}",
            env.project.show(&env.project.output).display()
        )
    })?;
    let rendered = match render::site(
        &briefing,
        &loaded.site,
        templates,
        env.now,
        &known,
        &out,
        global,
    ) {
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
    Ok(Status::Success)
}
