//! `briefing dates`: what the temporal tagger finds in one article or text.

use std::io::{Read as _, Write as _};
use std::path::Path;

use anyhow::Context as _;

use super::{Env, Status};
use crate::cli::DatesArgs;
use crate::diagnostics::Diagnostics;
use crate::load::front_matter;
use crate::temporal::{self, Mention};
use crate::{dates, load};

/// Runs the command.
pub fn run(env: &Env, args: &DatesArgs) -> anyhow::Result<Status> {
    let (input, shown) = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input as UTF-8 text")?;
        (text, "<stdin>".to_string())
    } else {
        let text = std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        (text, args.file.display().to_string())
    };
    let mut diags = Diagnostics::new();
    let site = env.site(&mut diags);
    let given = match args.date.as_deref().map(dates::parse_day) {
        Some(Err(m)) => {
            eprintln!("error: --date: {m}");
            return Ok(Status::Usage);
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };

    // An article: tag its body (as prose, without Markdown syntax) against its date.
    // Anything else is plain text.
    let stripped = front_matter::strip_bom(&input);
    let (prose, document_date) = match front_matter::split(stripped) {
        Ok(split) => {
            let (article, problems) = load::article(&shown, Path::new(&shown), stripped, &site);
            let document = given
                .map(temporal::Dct::from)
                .or(article.map(|a| a.date.document_date(site.tz)));
            let Some(date) = document else {
                let mut d = Diagnostics::new();
                d.extend(problems);
                env.report(&d);
                eprintln!("error: {shown}: the article has no valid `date`; give one with --date");
                return Ok(Status::Failure);
            };
            let body_start = input.len() - split.body.len();
            let body = temporal::prose_of_markdown(split.body);
            let mut text: String = input[..body_start]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            text.push_str(&body.text);
            let prose = temporal::Prose {
                text,
                blocks: body.blocks.iter().map(|b| b + body_start).collect(),
            };
            (prose, date)
        }
        // Plain text has no blocks but its paragraphs.
        Err(_) => (
            temporal::Prose {
                text: input.clone(),
                blocks: Vec::new(),
            },
            temporal::Dct::from(
                given.unwrap_or_else(|| env.now.with_timezone(&site.tz).date_naive()),
            ),
        ),
    };

    let mentions = temporal::tag_prose(&prose, document_date);
    let mut out = std::io::stdout().lock();
    if args.json {
        for m in &mentions {
            writeln!(out, "{}", json_line(m))?;
        }
    } else {
        writeln!(
            out,
            "{shown}: {} expressions, document date {}",
            mentions.len(),
            document_date.day
        )?;
        let mut lines = LineCounter::new(&input);
        for m in &mentions {
            let (line, col) = lines.at(m.start);
            // One line per expression, even one written across a line break.
            let text = crate::markdown::collapse_whitespace(&m.text);
            writeln!(
                out,
                "{line}:{col}  {text}  →  {} {} ({}, confidence {:.2})\n      {}",
                m.kind.as_str(),
                m.value,
                m.grain.as_str(),
                m.confidence,
                m.sentence
            )?;
        }
    }
    Ok(Status::Success)
}

/// One mention as a JSON line: offsets in characters into the input.
pub fn json_line(m: &Mention) -> String {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        text: &'a str,
        start: usize,
        end: usize,
        value: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        grain: &'a str,
        confidence: f64,
    }
    serde_json::to_string(&Line {
        text: &m.text,
        start: m.start,
        end: m.end,
        value: &m.value,
        kind: m.kind.as_str(),
        grain: m.grain.as_str(),
        confidence: (f64::from(m.confidence) * 100.0).round() / 100.0,
    })
    .expect("a mention serialises")
}

/// Character offset → 1-based line and column, for offsets visited in order.
struct LineCounter<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            chars: text.chars().peekable(),
            at: 0,
            line: 1,
            col: 1,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        while self.at < offset {
            match self.chars.next() {
                Some('\n') => {
                    self.line += 1;
                    self.col = 1;
                }
                Some(_) => self.col += 1,
                None => break,
            }
            self.at += 1;
        }
        (self.line, self.col)
    }
}
