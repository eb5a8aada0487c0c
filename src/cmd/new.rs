//! `briefing new`: write a new article file with front matter.

use std::io::Write as _;

use super::{Env, Status};
use crate::cli::NewArgs;
use crate::diagnostics::Diagnostics;
use crate::{dates, model, write};

/// Runs the command.
pub fn run(env: &Env, args: &NewArgs) -> anyhow::Result<Status> {
    let mut diags = Diagnostics::new();
    let site = env.site(&mut diags);
    if diags.has_errors() {
        env.report(&diags);
        return Ok(Status::Failure);
    }
    let title = args.title.trim();
    let slug = model::slugify(title);
    if slug.is_empty() {
        eprintln!("error: the title must contain letters or digits");
        return Ok(Status::Usage);
    }
    let date = match &args.date {
        Some(text) => match dates::parse_timestamp(text, site.tz) {
            Ok(_) => text.trim().to_string(),
            Err(m) => {
                eprintln!("error: --date: {m}");
                return Ok(Status::Usage);
            }
        },
        None => env
            .now
            .with_timezone(&site.tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
    };
    let year_month = dates::parse_timestamp(&date, site.tz)
        .map(|t| {
            t.instant
                .with_timezone(&site.tz)
                .format("%Y/%m")
                .to_string()
        })
        .unwrap_or_default();
    for url in &args.sources {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                eprintln!("error: --source `{url}` must be an http:// or https:// URL");
                return Ok(Status::Usage);
            }
        }
    }
    let mut topics = Vec::new();
    for t in &args.topics {
        match site.resolve_topic(t) {
            Some(id) if !topics.contains(&id) => topics.push(id),
            Some(_) => {}
            None => {
                eprintln!("error: --topic `{t}` is not a topic name");
                return Ok(Status::Usage);
            }
        }
    }
    let path = env
        .project
        .content
        .join(&year_month)
        .join(format!("{slug}.md"));
    if path.exists() {
        eprintln!(
            "error: `{}` already exists: choose another title or edit that file",
            env.project.show(&path).display()
        );
        return Ok(Status::Failure);
    }
    let text = front_matter(title, &date, &topics, &args.sources, args.draft);
    write::file(&path, text.as_bytes())?;
    writeln!(
        std::io::stdout().lock(),
        "{}",
        env.project.show(&path).display()
    )?;
    Ok(Status::Success)
}

/// The new file's text. Strings are written as JSON strings, which YAML reads verbatim
/// whatever they contain (colons, quotes, `#`).
fn front_matter(
    title: &str,
    date: &str,
    topics: &[model::TopicId],
    sources: &[String],
    draft: bool,
) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", q(title)));
    out.push_str(&format!("date: {}\n", q(date)));
    let topic_list: Vec<String> = topics.iter().map(|t| q(t.as_str())).collect();
    out.push_str(&format!("topics: [{}]\n", topic_list.join(", ")));
    if sources.is_empty() {
        out.push_str("sources: []\n");
    } else {
        out.push_str("sources:\n");
        for url in sources {
            let name = url::Url::parse(url)
                .ok()
                .and_then(|u| {
                    u.host_str()
                        .map(|h| h.trim_start_matches("www.").to_string())
                })
                .unwrap_or_default();
            out.push_str(&format!("  - name: {}\n    url: {}\n", q(&name), q(url)));
        }
    }
    out.push_str("summary: \"\"\n");
    if draft {
        out.push_str("draft: true\n");
    }
    out.push_str("---\n\nWrite the article here, in your own words.\n");
    out
}
