//! Plain-text clippings → drafts. A clipping tool saves a page as lines: the headline,
//! a photo caption (often twice), stray page debris (`TT`, a lone number), the headline
//! and caption again, then the body; several articles follow each other with only blank
//! lines between them.
//!
//! An article starts at a line that follows a blank line, is not immediately repeated
//! (captions are), and comes back within the next lines (the headline always does).
//! Everything between the start and the last repeat of the headline or caption is the
//! header: the caption is kept once, the rest is debris. The body is every paragraph
//! after it. Agency credits ("(AP)") become sources without links, and the first date
//! written in the text ("April 22, 2025") is the article's date.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{Draft, DraftSource};
use crate::temporal::MONTHS;

/// How far (in lines) the headline's repeat may be from the headline.
const REPEAT_WINDOW: usize = 15;

/// Agency credits recognised in the text, and the outlet name they stand for.
const AGENCIES: &[(&str, &str)] = &[
    ("(AP)", "AP"),
    ("(Reuters)", "Reuters"),
    ("(AFP)", "AFP"),
    ("(dpa)", "dpa"),
    ("(Anadolu)", "Anadolu"),
];

/// Parses a clipping file into drafts, one per article, in file order.
pub fn parse(
    text: &str,
    mtime: DateTime<FixedOffset>,
    tz: chrono_tz::Tz,
) -> Result<Vec<Draft>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let starts = article_starts(&lines);
    if starts.is_empty() {
        return Err(
            "no article found: a clipping starts with a headline that is repeated before the body"
                .into(),
        );
    }
    let mut drafts = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        if let Some(d) = article(&lines[start..end], mtime, tz) {
            drafts.push(d);
        }
    }
    if drafts.is_empty() {
        return Err("no article with a body found".into());
    }
    Ok(drafts)
}

fn article_starts(lines: &[&str]) -> Vec<usize> {
    let mut starts = Vec::new();
    for i in 0..lines.len() {
        let line = lines[i];
        let after_blank = i == 0 || lines[i - 1].is_empty();
        let repeated_now = lines.get(i + 1) == Some(&line);
        let words = line.split_whitespace().count();
        if line.is_empty() || !after_blank || repeated_now || words < 3 || line.len() > 250 {
            continue;
        }
        let window = &lines[i + 1..lines.len().min(i + 1 + REPEAT_WINDOW)];
        let comes_back = window.contains(&line);
        // A repeat inside the previous article's header is not a new article.
        let inside_previous = starts
            .last()
            .is_some_and(|&s: &usize| i - s <= REPEAT_WINDOW && lines[s] == line);
        if comes_back && !inside_previous {
            starts.push(i);
        }
    }
    starts
}

fn article(lines: &[&str], mtime: DateTime<FixedOffset>, tz: chrono_tz::Tz) -> Option<Draft> {
    let title = lines[0].to_string();
    let head = &lines[..lines.len().min(REPEAT_WINDOW + 5)];
    // The caption: the first line after the headline that appears twice in the header.
    let caption = head
        .iter()
        .skip(1)
        .find(|l| !l.is_empty() && **l != title && head.iter().filter(|x| x == l).count() >= 2)
        .map(|l| l.to_string());
    let header_end = head
        .iter()
        .rposition(|l| *l == title || caption.as_deref() == Some(l))
        .map_or(1, |i| i + 1);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines[header_end..] {
        let is_header_repeat = *line == title || caption.as_deref() == Some(line);
        if line.is_empty() || is_header_repeat {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    if paragraphs.is_empty() {
        return None;
    }
    let body = paragraphs.join("\n\n");
    // Credits and dates may sit in the caption as well as in the body.
    let all = format!("{title}\n{}\n{body}", caption.as_deref().unwrap_or(""));
    let mut sources: Vec<DraftSource> = Vec::new();
    for (credit, name) in AGENCIES {
        if all.contains(credit) && !sources.iter().any(|s| s.name == *name) {
            sources.push(DraftSource {
                name: name.to_string(),
                url: None,
            });
        }
    }
    let (date, date_source) = match latest_date(&all) {
        Some(day) => (super::midnight(day, tz, mtime), Some("text")),
        None => (mtime, Some("file-mtime")),
    };
    Some(Draft {
        title,
        date,
        date_source,
        sources,
        summary: None,
        body,
        lang: None,
        author: None,
        image_caption: caption,
    })
}

/// The latest full date written in `text` ("April 22, 2025", "22 April 2025",
/// "Apr. 22, 2025"): reports mention older dates as background, rarely later ones.
pub fn latest_date(text: &str) -> Option<NaiveDate> {
    let mut latest: Option<NaiveDate> = None;
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .collect();
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(w))
            .map(|i| i as u32 + 1)
    };
    let day = |w: &str| w.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    let year = |w: &str| w.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
    for i in 0..words.len().saturating_sub(2) {
        let (a, b, c) = (&words[i], &words[i + 1], &words[i + 2]);
        let found = match (month(a), day(b), year(c), day(a), month(b)) {
            // "April 22, 2025"
            (Some(m), Some(d), Some(y), _, _) => NaiveDate::from_ymd_opt(y, m, d),
            // "22 April 2025"
            (_, _, Some(y), Some(d), Some(m)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        };
        if found > latest {
            latest = found;
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_written_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            latest_date("on Tuesday, April 22, 2025, officials"),
            d(2025, 4, 22)
        );
        assert_eq!(latest_date("the 7 October 2023 attack"), d(2023, 10, 7));
        assert_eq!(latest_date("since Oct. 7, 2023."), d(2023, 10, 7));
        assert_eq!(
            latest_date("after the Oct. 7, 2023 attack, on April 22, 2025"),
            d(2025, 4, 22)
        );
        assert_eq!(latest_date("on Friday"), None);
        assert_eq!(latest_date("May 40, 2025"), None);
    }
}
