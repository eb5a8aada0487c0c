//! `briefing init`: create a project folder (and optionally eject the templates).

use std::path::Path;

use super::{Env, Status};
use crate::cli::InitArgs;
use crate::render::templates;

/// The `briefing.yaml` a new project starts with: every key, with its default.
pub const STARTER_CONFIG: &str = "\
# briefing.yaml: site configuration. Every key is optional.
title: My Briefing
description: \"\"
# Only used for feeds and canonical links; pages link relatively.
base_url: \"\"
# IANA time zone for dates without an offset and for grouping by day.
timezone: UTC
language: en
# oldest-first or newest-first
timeline_order: oldest-first
# Topic metadata: articles may use topics that are not listed here.
topics: {}
#  gaza-war: { title: \"Gaza war\", description: \"…\", aliases: [gaza] }
# The topic for articles without topics.
uncategorised: uncategorised
digest: { days: 1 }
# Entries per Atom/JSON feed.
feed_limit: 50
# true keeps raw HTML in article bodies unsanitised (only for trusted content).
unsafe_html: false
# Reports rendered on every build, e.g.
#  - { template: reports/weekly.md, output: reports/weekly.md, days: 7 }
reports: []
# Same-story merging: reports of one event become one timeline entry.
stories: { auto: true, window_hours: 48, threshold: 0.65 }
# Dates found in article text, shown as \"Mentioned in coverage\" on topic timelines.
mentions: { enabled: true, min_confidence: 0.7, limit: 50, quotes: 3 }
";

/// Runs the command.
pub fn run(env: &Env, args: &InitArgs, cwd: &Path) -> anyhow::Result<Status> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => cwd.join(d),
        None => env
            .global
            .root
            .clone()
            .map_or_else(|| cwd.to_path_buf(), |r| cwd.join(r)),
    };
    let config = dir.join("briefing.yaml");
    let exists = config.exists();
    if exists && !args.eject_templates {
        eprintln!(
            "error: `{}` already exists: this folder is a project already",
            env.project.show(&config).display()
        );
        return Ok(Status::Failure);
    }
    let mut created = Vec::new();
    if !exists {
        for sub in ["content", "templates"] {
            let p = dir.join(sub);
            std::fs::create_dir_all(&p).map_err(|e| crate::Error::write(&p, e))?;
        }
        crate::write::file(&config, STARTER_CONFIG.as_bytes())?;
        created.push(config.clone());
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            crate::write::file(&ignore, b"/output/\n/.briefing-cache/\n")?;
            created.push(ignore);
        }
    }
    if args.eject_templates {
        created.extend(templates::eject(&dir.join("templates"))?);
    }
    for p in &created {
        env.say(&format!("created {}", env.project.show(p).display()));
    }
    env.say(&format!(
        "next: cd {} && briefing new \"Headline\" --topic my-topic --source https://… && briefing build",
        env.project.show(&dir).display()
    ));
    Ok(Status::Success)
}

#[cfg(test)]
mod tests {
    use super::STARTER_CONFIG;
    use crate::config::Config;

    /// The starter file names every key, and its values are the defaults.
    #[test]
    fn starter_config_has_every_key_with_its_default() {
        let parsed: Config =
            crate::load::front_matter::parse_yaml(STARTER_CONFIG, 0).expect("starter parses");
        let defaults = serde_json::to_value(Config {
            title: "My Briefing".into(),
            ..Config::default()
        })
        .unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), defaults);
        for key in defaults.as_object().unwrap().keys() {
            assert!(
                STARTER_CONFIG
                    .lines()
                    .any(|l| l.starts_with(&format!("{key}:"))),
                "`{key}` is missing from the starter briefing.yaml"
            );
        }
    }
}
