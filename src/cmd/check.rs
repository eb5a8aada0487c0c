//! `briefing check`: validate articles, configuration and templates; print every problem.

use std::collections::BTreeSet;
use std::io::Write as _;

use super::{Env, Status};
use crate::cli::CheckArgs;
use crate::timeline::{self, Selection};
use crate::{lint, render};

/// Runs the command.
pub fn run(env: &Env, args: &CheckArgs) -> anyhow::Result<Status> {
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
        if args.stories {
            // Written, not printed: a closed pipe (`| head`) is an error, not a panic.
            writeln!(
                std::io::stdout().lock(),
                "{}",
                stories_report(&briefing, &loaded.site)
            )?;
        }
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

/// The `--stories` listing: every story with more than one report, its reports in
/// report order with their files, and the automatic merges with their scores.
fn stories_report(briefing: &timeline::Briefing, site: &crate::config::Site) -> String {
    use std::fmt::Write as _;
    let merged: Vec<&crate::stories::Story> = briefing.stories.merged().collect();
    let reports: usize = merged.iter().map(|s| s.members.len()).sum();
    let mut out = String::new();
    let cfg = &site.config.stories;
    let _ = writeln!(
        out,
        "{} {} with more than one report ({reports} articles); automatic merging {} (threshold {:.2}, window {} h)",
        merged.len(),
        if merged.len() == 1 {
            "story"
        } else {
            "stories"
        },
        if cfg.auto { "on" } else { "off" },
        cfg.threshold,
        cfg.window_hours,
    );
    for s in merged {
        let first = &briefing.articles[s.members[0]];
        let how = match &s.explicit {
            Some(id) => format!("story: {id}"),
            None => format!("automatic, id {}", s.id(&briefing.articles)),
        };
        let _ = writeln!(
            out,
            "\n{} ({how}): {} reports",
            first.title,
            s.members.len()
        );
        for &m in &s.members {
            let a = &briefing.articles[m];
            let when = a
                .date
                .instant
                .with_timezone(&site.tz)
                .format("%Y-%m-%d %H:%M");
            let _ = writeln!(out, "  {when}  {}  {}", a.display_path.display(), a.title);
        }
        for l in &s.links {
            let _ = writeln!(
                out,
                "  merged: {} + {}  score {}",
                briefing.articles[l.a].display_path.display(),
                briefing.articles[l.b].display_path.display(),
                l.explain(cfg.window_hours)
            );
        }
    }
    let calls = crate::stories::close_calls(
        &briefing.articles,
        &briefing.placements,
        site,
        &briefing.stories,
    );
    if !calls.is_empty() {
        let _ = writeln!(
            out,
            "\nClose calls: {} {} of reports alike enough to be one story (score at least {:.2}) but kept apart; give two reports one `story:` id if they are",
            calls.len(),
            if calls.len() == 1 { "pair" } else { "pairs" },
            crate::stories::CLOSE_CALL_SHARE * cfg.threshold,
        );
        let mut reason = None;
        for c in calls.iter().take(CLOSE_CALLS_SHOWN) {
            if reason != Some(c.apart) {
                reason = Some(c.apart);
                let _ = writeln!(out, "  {}:", c.apart.describe());
            }
            let (a, b) = (&briefing.articles[c.link.a], &briefing.articles[c.link.b]);
            let _ = writeln!(
                out,
                "    {}  {} + {}\n          {}\n          {}",
                c.link.explain(cfg.window_hours),
                a.display_path.display(),
                b.display_path.display(),
                a.title,
                b.title
            );
            if c.apart == crate::stories::Apart::DifferentDays {
                let days = |ds: &[chrono::NaiveDate]| {
                    ds.iter()
                        .map(|d| d.format("%a %Y-%m-%d").to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = writeln!(
                    out,
                    "          days they give: {} / {}",
                    days(&c.days[0]),
                    days(&c.days[1])
                );
            }
        }
        if calls.len() > CLOSE_CALLS_SHOWN {
            let _ = writeln!(
                out,
                "  … and {} more, less alike",
                calls.len() - CLOSE_CALLS_SHOWN
            );
        }
    }
    out
}

/// How many close calls `check --stories` lists, best first.
const CLOSE_CALLS_SHOWN: usize = 50;
