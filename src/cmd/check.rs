//! `briefing check`: validate articles, configuration and templates; print every problem.

use std::collections::BTreeSet;

use super::{Env, Status};
use crate::cli::CheckArgs;
use crate::timeline::{self, Selection};
use crate::{lint, render};

/// Runs the command.
pub fn run(env: &Env, _args: &CheckArgs) -> anyhow::Result<Status> {
    let mut loaded = super::load_all(env, None)?;
    let lints = lint::articles(&loaded.articles, &loaded.site, &env.project.config);
    loaded.diags.extend(lints);
    if let Some(templates) = &loaded.templates {
        // Render the whole site in memory (drafts included) so template errors that only
        // show at render time, and links between articles, are checked too.
        let known: BTreeSet<String> = loaded.articles.iter().map(|a| a.path.clone()).collect();
        let everything = Selection {
            drafts: true,
            ..Selection::default()
        };
        let briefing = timeline::arrange(loaded.articles.clone(), &loaded.site, &everything);
        match render::site(
            &briefing,
            &loaded.site,
            templates,
            env.now,
            &known,
            &crate::write::Discard,
            0,
        ) {
            Ok(r) => loaded.diags.extend(r.diagnostics),
            Err(e) => loaded
                .diags
                .extend(super::render_failure(env, templates, &e)),
        }
    }
    env.report(&loaded.diags);
    if loaded.diags.has_errors() {
        Ok(Status::Failure)
    } else {
        if loaded.diags.warnings() == 0 {
            env.say(&format!(
                "{} articles checked: no problems",
                loaded.articles.len()
            ));
        }
        Ok(Status::Success)
    }
}
