//! `briefing digest`: the day's (or a window's) digest in Markdown or HTML.

use super::render::{Request, standalone};
use super::{Env, Status};
use crate::cli::{DigestArgs, Format};

/// Runs the command.
pub fn run(env: &Env, args: &DigestArgs) -> anyhow::Result<Status> {
    let template = match args.format {
        Format::Md => "digest.md",
        Format::Html => "digest.html",
    };
    standalone(
        env,
        &Request {
            template: Some(template.to_string()),
            window: &args.window,
            default_today: true,
            topics: &args.topics,
            drafts: args.drafts,
            context_only: false,
            output_file: args.output_file.as_deref(),
        },
    )
}
