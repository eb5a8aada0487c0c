//! The command line as the user types it (clap derive). No logic: `cmd/` turns these
//! into what the program needs.
//!
//! The doc comments are the `--help` texts, so placeholders stay as the user reads them
//! (`<root>`, `<DIR>`), not as rustdoc would like them.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns a folder of sourced news articles into briefing timelines: a static site,
/// Markdown timelines and digests.
#[derive(Debug, Parser)]
#[command(name = "briefing", version, about, propagate_version = true)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// The project folder (default: the current folder, or the nearest parent with a
    /// briefing.yaml).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The articles folder (default: <root>/content).
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// The project's templates folder (default: <root>/templates).
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The output folder (default: <root>/output).
    #[arg(long, global = true, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The configuration file (default: <root>/briefing.yaml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fix "now" (RFC 3339) for reproducible runs, e.g. 2025-04-23T08:00:00+03:00.
    #[arg(long = "as-of", global = true, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Override the site time zone (IANA name, e.g. Asia/Baghdad).
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more about what is done.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the whole site into the output folder.
    Build(BuildArgs),
    /// Validate every article, the configuration and the templates.
    Check(CheckArgs),
    /// Write a new article file with front matter.
    New(NewArgs),
    /// Create a new project.
    Init(InitArgs),
    /// Print the digest of a day (default: today in the site time zone) or a window.
    Digest(DigestArgs),
    /// Render any template (built-in or your own) over the selected articles.
    Render(RenderArgs),
    /// Print the dates, times and durations an article (or any text) mentions.
    Dates(DatesArgs),
    /// Turn feeds (RSS, Atom, JSON Feed) into article files.
    #[cfg(feature = "import")]
    Import(ImportArgs),
    /// Build, serve the output on 127.0.0.1, rebuild on change and reload the browser.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

/// `briefing dates`.
#[derive(Debug, Args)]
pub struct DatesArgs {
    /// An article file, a plain-text file, or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The document date relative expressions count from (default: the article's
    /// `date`, or today for plain text).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// One JSON object per line: text, start, end (character offsets into the input),
    /// value, type (TIMEX3), grain, confidence.
    #[arg(long)]
    pub json: bool,
}

/// `briefing import`.
#[cfg(feature = "import")]
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders to import (`-` reads standard input).
    #[arg(required = true, value_name = "FILE_OR_DIR")]
    pub inputs: Vec<String>,
    /// The inputs' format.
    #[arg(long, value_enum, default_value_t = crate::import::Format::Auto)]
    pub format: crate::import::Format,
    /// Topics for every imported article (repeatable).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// Mark the imported articles as drafts.
    #[arg(long)]
    pub draft: bool,
    /// Print the files instead of writing them.
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write (default: the content folder); files go to <DIR>/<YYYY>/<MM>/.
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
}

/// `briefing serve`.
#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on. Anything but loopback exposes drafts to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the home page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// What to build (as for `build`).
    #[command(flatten)]
    pub build: BuildArgs,
}

/// A window of report days.
#[derive(Debug, Args, Clone, Default)]
pub struct WindowArgs {
    /// The day (YYYY-MM-DD), or the last day with --days.
    #[arg(long, value_name = "DATE", conflicts_with_all = ["since", "until"])]
    pub date: Option<String>,
    /// First day (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Number of days ending on --date (or today).
    #[arg(long, value_name = "N", conflicts_with = "since")]
    pub days: Option<u32>,
}

impl WindowArgs {
    /// True when no window option was given.
    pub fn is_empty(&self) -> bool {
        self.date.is_none() && self.since.is_none() && self.until.is_none() && self.days.is_none()
    }
}

/// Output format of `digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Markdown, to paste into mail or chat.
    #[default]
    Md,
    /// A standalone HTML page.
    Html,
}

/// `briefing digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// The days covered.
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only these topics (repeatable; aliases work).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// `briefing render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template: a built-in name (`digest.md`) or a path under your templates/
    /// (`reports/ministerial.md`). Optional with --context.
    #[arg(required_unless_present = "context")]
    pub template: Option<String>,
    /// The days covered (default: every selected article).
    #[command(flatten)]
    pub window: WindowArgs,
    /// Only these topics (repeatable; aliases work).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Print the template context as JSON instead of rendering.
    #[arg(long)]
    pub context: bool,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// Which articles a command works on.
#[derive(Debug, Args, Clone, Default)]
pub struct SelectArgs {
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Only articles reported on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles reported on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only these topics (repeatable; aliases and display names work).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
}

/// `briefing build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Article selection.
    #[command(flatten)]
    pub select: SelectArgs,
}

/// `briefing check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also list every story with more than one report: which articles were merged
    /// into one timeline entry, why (written `story:` id, or the score of each
    /// automatic merge and what it weighed), so a wrong merge can be seen and undone with
    /// `merge: false`; then the close calls, alike reports kept apart, with the reason,
    /// so a missed merge can be made with a shared `story:` id.
    #[arg(long)]
    pub stories: bool,
}

/// `briefing new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The headline.
    pub title: String,
    /// Topics (repeatable).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// Source URLs (repeatable).
    #[arg(long = "source", value_name = "URL")]
    pub sources: Vec<String>,
    /// Report date (default: now in the site time zone).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Mark the article as a draft.
    #[arg(long)]
    pub draft: bool,
}

/// `briefing init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the project (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Also copy the built-in templates into templates/ for editing.
    #[arg(long)]
    pub eject_templates: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_debug_assert() {
        Cli::command().debug_assert();
    }
}
