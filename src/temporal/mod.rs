//! The temporal tagger: finds the dates, times, durations and sets an English news text
//! mentions and gives each a TIMEX3 value.
//!
//! It works the way HeidelTime does, in two passes:
//!
//! 1. **find** (`rules.rs`): regular-expression rules over the text propose expressions,
//!    each with an *underspecified* value ("a Friday", "the month before the reference",
//!    "the day after the last date mentioned"). Where rules overlap, the longest
//!    expression wins.
//! 2. **resolve** (`resolve.rs`): each expression, in text order, is resolved against
//!    the document date, or (for anaphora such as "the same day" or "two days later")
//!    against the last date mentioned before it. News refers backwards: a bare weekday
//!    or month is the latest one on or before the document date, unless the nearest verb
//!    in its sentence looks ahead ("will", "is expected to", "plans to"), or it names
//!    the day after a document published late enough that its writer's day may
//!    already be that day (see [`Dct`]).
//!
//! Everything is deterministic and allocation-light; a 3 kB article tags in tens of
//! microseconds.

mod resolve;
mod rules;
#[cfg(target_arch = "x86_64")]
mod sse2;
pub(crate) use rules::MONTHS;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The document date the tagger resolves against: its day, and whether its writer's
/// day may already be the next one. A report filed in Seoul at 7 a.m. on Thursday is
/// dated Wednesday 22:00 in UTC; its "early Thursday" is that Thursday, not the
/// Thursday six days before the document date, which is what a bare weekday means
/// otherwise (news refers backwards). A plain day (`NaiveDate` converts into one) has
/// no such margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dct {
    /// The document's day, in the briefing's time zone.
    pub day: NaiveDate,
    /// True when somewhere on Earth (up to UTC+14) it is already the next day.
    pub next_day_near: bool,
}

impl From<NaiveDate> for Dct {
    fn from(day: NaiveDate) -> Dct {
        Dct {
            day,
            next_day_near: false,
        }
    }
}

impl Dct {
    /// The document date of a report published at `instant`, whose day in the
    /// briefing's time zone is `day`: the next day is near when the instant falls on
    /// a later day in UTC+14, the zone furthest ahead.
    pub fn of_instant(day: NaiveDate, instant: DateTime<Utc>) -> Dct {
        let furthest_ahead = (instant + chrono::Duration::hours(14)).date_naive();
        Dct {
            day,
            next_day_near: furthest_ahead > day,
        }
    }
}

/// The TIMEX3 type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    /// A calendar period: a day, week, month, year… or a vague reference (`PAST_REF`).
    Date,
    /// A time of day or a part of a day (`2025-04-18TNI`, `2025-04-18T15:00`).
    Time,
    /// A length of time (`P18M`): kept, never placed on a calendar.
    Duration,
    /// A recurrence (`P1W`, `XXXX-WXX-5`).
    Set,
}

impl Kind {
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Date => "DATE",
            Kind::Time => "TIME",
            Kind::Duration => "DURATION",
            Kind::Set => "SET",
        }
    }
}

/// How fine a value is, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    /// A clock time or part of a day.
    Time,
    /// A calendar day.
    Day,
    /// An ISO week (or weekend).
    Week,
    /// A calendar month.
    Month,
    /// A quarter.
    Quarter,
    /// A season.
    Season,
    /// A year.
    Year,
    /// A decade.
    Decade,
    /// A century.
    Century,
    /// No calendar position: a vague reference, a duration or a set.
    None,
}

impl Grain {
    /// The lowercase name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Time => "time",
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Season => "season",
            Grain::Year => "year",
            Grain::Decade => "decade",
            Grain::Century => "century",
            Grain::None => "none",
        }
    }
}

/// One temporal expression found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The expression as written ("early Tuesday").
    pub text: String,
    /// Offset of its first character, counted in characters (Unicode scalar values).
    pub start: usize,
    /// Offset just past its last character, in characters.
    pub end: usize,
    /// The sentence it occurs in, whitespace collapsed.
    pub sentence: String,
    /// The resolved TIMEX3 value: `2025-04-18`, `2025-03`, `2025-W16`, `199`,
    /// `2025-04-18TNI`, `P18M`, `PRESENT_REF`, `XXXX-WXX-5`…
    pub value: String,
    /// TIMEX3 type.
    pub kind: Kind,
    /// Grain of the value (`None` for durations, sets and vague references).
    pub grain: Grain,
    /// How sure the tagger is, from 0 to 1: explicit dates score high, bare weekdays,
    /// months and anaphora lower.
    pub confidence: f32,
}

impl Mention {
    /// The calendar day this mention starts on, when its value names one (a day, or a
    /// time or part of a day).
    pub fn day(&self) -> Option<NaiveDate> {
        let v = self.value.as_bytes();
        if v.get(4) != Some(&b'-') || v.get(7) != Some(&b'-') {
            return None;
        }
        NaiveDate::from_ymd_opt(digits(v, 0..4)? as i32, digits(v, 5..7)?, digits(v, 8..10)?)
    }

    /// Where the "Mentioned in coverage" layer files this mention of an article reported
    /// on `report_day`: its day (a time of day counts on its day) or its month, with that
    /// grain. `None` for other grains, and for the report day or month itself, which add
    /// nothing to a timeline that already shows the report.
    pub fn layer_key(&self, report_day: NaiveDate) -> Option<(NaiveDate, Grain)> {
        use chrono::Datelike;
        match self.grain {
            Grain::Day | Grain::Time => self
                .day()
                .filter(|&d| d != report_day)
                .map(|d| (d, Grain::Day)),
            Grain::Month => self
                .month()
                .filter(|d| (d.year(), d.month()) != (report_day.year(), report_day.month()))
                .map(|d| (d, Grain::Month)),
            _ => None,
        }
    }

    /// The first day of the calendar month this mention names, for month values.
    pub fn month(&self) -> Option<NaiveDate> {
        if self.grain != Grain::Month {
            return None;
        }
        let v = self.value.as_bytes();
        if v.get(4) != Some(&b'-') {
            return None;
        }
        NaiveDate::from_ymd_opt(digits(v, 0..4)? as i32, digits(v, 5..7)?, 1)
    }
}

/// The number written with the ASCII digits at `range` of `bytes` (all digits, or none).
fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    bytes.get(range)?.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Finds every temporal expression in `text` and resolves it against `dct`, the
/// document's date. Mentions come in text order and never overlap.
pub fn tag(text: &str, dct: impl Into<Dct>) -> Vec<Mention> {
    tag_with(text, &[], dct.into(), false, |_| true)
}

/// [`tag`], keeping only what can be placed on a calendar: days, times of day and
/// months (type DATE or TIME). Faster: the rules for durations, sets, vague references,
/// years, seasons and decades do not run.
pub fn tag_placeable(text: &str, dct: impl Into<Dct>) -> Vec<Mention> {
    tag_with(text, &[], dct.into(), true, |_| true)
}

/// Compiles the rules [`tag_placeable`] runs, ahead of their first use (they compile
/// on first use otherwise, while every thread that needs them waits).
pub fn prepare_placeable() {
    rules::prepare(true);
}

/// [`tag`] on the prose of a Markdown text (see [`prose_of_markdown`]): sentences end
/// where its blocks do (list items, table rows, headings).
pub fn tag_prose(prose: &Prose, dct: impl Into<Dct>) -> Vec<Mention> {
    tag_with(&prose.text, &prose.blocks, dct.into(), false, |_| true)
}

/// [`tag_placeable`] on the prose of a Markdown text, keeping only the mentions `keep`
/// accepts. `keep` sees every field but `text` and `sentence`, which are filled in
/// afterwards, and only for the mentions kept: the cheap way to drop most of them.
pub fn tag_placeable_where(
    prose: &Prose,
    dct: impl Into<Dct>,
    keep: impl Fn(&Mention) -> bool,
) -> Vec<Mention> {
    tag_with(&prose.text, &prose.blocks, dct.into(), true, keep)
}

/// The tagger; `blocks` are the byte offsets where the text's blocks begin (none for
/// plain text), in order.
fn tag_with(
    text: &str,
    blocks: &[usize],
    dct: Dct,
    placeable_only: bool,
    keep: impl Fn(&Mention) -> bool,
) -> Vec<Mention> {
    let placeable = |kind: Kind, grain: Grain| {
        !placeable_only
            || (matches!(kind, Kind::Date | Kind::Time)
                && matches!(grain, Grain::Time | Grain::Day | Grain::Month))
    };
    let found = rules::find(text, blocks, placeable_only);
    if found.is_empty() {
        return Vec::new();
    }
    let sentences = sentences_of(text, blocks, found.iter().map(|f| f.start));
    let resolved = resolve::resolve(text, &found, &sentences, dct);
    let mut chars = CharCounter::new(text);
    resolved
        .into_iter()
        .filter(|r| placeable(r.kind, r.grain))
        .filter_map(|r| {
            let (s, e) = (r.start, r.end);
            let mut m = Mention {
                text: String::new(),
                start: chars.at(s),
                end: chars.at(e),
                sentence: String::new(),
                value: r.value,
                kind: r.kind,
                grain: r.grain,
                confidence: r.confidence,
            };
            if !keep(&m) {
                return None;
            }
            // At most SENTENCE_REACH bytes either side: a "sentence" with no end in
            // sight (a wall of thousands of dates) would otherwise be copied per mention.
            let sentence = sentence_of(&sentences, s).map_or("", |span| {
                let (a, b) = around(text.as_bytes(), span, s, e, SENTENCE_REACH);
                &text[a..b]
            });
            m.text = text[s..e].to_string();
            m.sentence = crate::markdown::collapse_whitespace(sentence);
            Some(m)
        })
        .collect()
}

/// The span of the sentence (from a sorted list of sentences) containing byte `at`.
pub(crate) fn sentence_of(sentences: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    let i = sentences.partition_point(|&(_, b)| b <= at);
    sentences.get(i).copied().filter(|&(a, _)| a <= at)
}

/// Bytes that may start markup, or be the `:` of `http://` or the `.` of `www.`, and
/// newlines (after which a line may start a block): the prose pass copies everything
/// else without a look. These stand alone; the rest come in [`SPECIAL_RANGES`].
const SPECIAL_SINGLES: &[u8; 6] = b"\n!#*.|";

/// Ranges of special bytes: `:` `;` `<` and `[` `\` `]` `^` `_` `` ` ``. Two
/// comparisons test a range where one per byte would take three or four; the prose
/// pass looks at `;`, `\` and `^` and moves on.
const SPECIAL_RANGES: [(u8, u8); 2] = [(b':', b'<'), (b'[', b'`')];

/// [`SPECIAL_SINGLES`] and [`SPECIAL_RANGES`] as a table.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    while k < SPECIAL_SINGLES.len() {
        t[SPECIAL_SINGLES[k] as usize] = true;
        k += 1;
    }
    let mut r = 0;
    while r < SPECIAL_RANGES.len() {
        let (lo, hi) = SPECIAL_RANGES[r];
        let mut c = lo;
        while c <= hi {
            t[c as usize] = true;
            c += 1;
        }
        r += 1;
    }
    t
};

/// Finds the bytes of a text that may start markup (see [`SPECIAL`]), 64 at a time:
/// each byte is compared once, however often the prose pass asks for the next one.
struct Specials<'a> {
    bytes: &'a [u8],
    /// Where the block of `mask` starts, and which of its (up to) 64 bytes are special,
    /// one bit each, the lowest for the first.
    base: usize,
    mask: u64,
}

impl<'a> Specials<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Specials {
            bytes,
            base: 0,
            mask: special_bits(bytes),
        }
    }

    /// The first special byte at or after `i`.
    fn next(&mut self, mut i: usize) -> Option<usize> {
        while i < self.bytes.len() {
            if !(self.base..self.base + 64).contains(&i) {
                self.base = i;
                self.mask = special_bits(&self.bytes[i..]);
            }
            let skip = i - self.base;
            let ahead = self.mask >> skip << skip;
            if ahead != 0 {
                return Some(self.base + ahead.trailing_zeros() as usize);
            }
            i = self.base + 64;
        }
        None
    }
}

/// Which of the first 64 bytes of `bytes` (or fewer) are special, one bit each. On
/// x86-64, sixteen bytes are compared at a time with SSE2; elsewhere, and for a short
/// rest, each byte is looked up.
fn special_bits(bytes: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if let Some(block) = bytes.first_chunk::<64>() {
        return block
            .chunks_exact(16)
            .enumerate()
            .fold(0, |bits, (k, sixteen)| {
                let sixteen = sixteen.try_into().expect("sixteen bytes");
                // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor
                // has it.
                let mask = unsafe { special_mask_sse2(sixteen) };
                bits | u64::from(mask) << (16 * k)
            });
    }
    bytes.iter().take(64).enumerate().fold(0, |bits, (k, &c)| {
        bits | u64::from(SPECIAL[c as usize]) << k
    })
}

/// Which of sixteen bytes are special (see [`SPECIAL`]), one bit each, the lowest for
/// the first: one comparison per single byte, two per range.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn special_mask_sse2(sixteen: &[u8; 16]) -> u16 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };
    let v = sse2::load(sixteen);
    let singles = SPECIAL_SINGLES.iter().fold(_mm_setzero_si128(), |any, &c| {
        _mm_or_si128(any, _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)))
    });
    let any = SPECIAL_RANGES.iter().fold(singles, |any, &(lo, hi)| {
        _mm_or_si128(any, sse2::in_range(v, lo, hi))
    });
    // `movemask` gives sixteen bits in an `i32`; as `u16` they are the same bits.
    _mm_movemask_epi8(any) as u16
}

/// The prose of a Markdown text, for the tagger: see [`prose_of_markdown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    /// The text with its Markdown and HTML syntax replaced by spaces, one per
    /// character (newlines kept), so that offsets still point into the original.
    pub text: String,
    /// The byte offsets where blocks begin (list items, table rows, headings and what
    /// follows them), in order: sentences never cross them.
    pub blocks: Vec<usize>,
}

/// Replaces Markdown and HTML syntax in `body` with spaces, one per character, so the
/// tagger reads only prose (no link targets, URLs, tags, emphasis marks, list markers,
/// rules or fenced code) while character offsets still point into the original text;
/// and notes where blocks begin, so that a list item, a table row or a heading is a
/// sentence of its own even without a full stop.
pub fn prose_of_markdown(body: &str) -> Prose {
    let bytes = body.as_bytes();
    // First the byte ranges to blank, then one pass that copies the text between them
    // whole: far cheaper than pushing character by character.
    let word_start = |at: usize| at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
    // `prefix` (any case) starts a word and ends at byte `at`.
    let word_before = |at: usize, prefix: &[u8]| {
        at >= prefix.len()
            && bytes[at - prefix.len()..at].eq_ignore_ascii_case(prefix)
            && word_start(at - prefix.len())
    };
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut blocks: Vec<usize> = Vec::new();
    // The line to read the block structure of, and whether the one before it was blank
    // or a list item (where a numbered item may start).
    let mut line = Some(0);
    let mut list_may_follow = true;
    let mut specials = Specials::new(bytes);
    let mut i = 0;
    while i < bytes.len() {
        if let Some(at) = line.take() {
            let start = line_start(bytes, at, list_may_follow);
            list_may_follow = start.list_may_follow;
            blanks.extend(start.blank);
            blocks.extend(start.blocks.into_iter().flatten());
            i = start.resume;
            continue;
        }
        match specials.next(i) {
            Some(p) => i = p,
            None => break,
        }
        let b = bytes[i];
        if b == b'\n' {
            line = Some(i + 1);
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        // A bare URL (`http://`, `https://`, `www.`): from its first letter to the
        // next space or closing parenthesis.
        let url = match b {
            b':' if rest.starts_with(b"://") => [&b"https"[..], b"http"]
                .iter()
                .find(|p| word_before(i, p))
                .map(|p| i - p.len()),
            b'.' if word_before(i, b"www") => Some(i - 3),
            _ => None,
        };
        if let Some(start) = url {
            let end = rest
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == b')')
                .map_or(bytes.len(), |p| i + p);
            blanks.push((start, end));
            i = end;
            continue;
        }
        let end = match b {
            // A link target `](…)`, nested parentheses included.
            b']' if rest.get(1) == Some(&b'(') => {
                let mut depth = 0;
                let mut end = bytes.len();
                for (k, &c) in rest.iter().enumerate() {
                    if c == b'(' {
                        depth += 1;
                    } else if c == b')' {
                        depth -= 1;
                        if depth == 0 {
                            end = i + k + 1;
                            break;
                        }
                    }
                }
                end
            }
            // An HTML tag or autolink: `<` then a letter, `/` or `!`, up to `>`.
            b'<' if rest
                .get(1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!') =>
            {
                match rest.iter().take(2000).position(|&x| x == b'>') {
                    Some(len) => i + len + 1,
                    None => i,
                }
            }
            b'*' | b'_' | b'#' | b'`' | b'|' | b'[' | b']' => i + 1,
            b'!' if rest.get(1) == Some(&b'[') => i + 1,
            _ => i,
        };
        if end > i {
            blanks.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut last = 0;
    // A blanked character takes one byte, however many it took: block offsets move
    // with the text after it.
    let mut moved = Vec::with_capacity(blocks.len());
    let mut next = blocks.into_iter().peekable();
    for (a, b) in blanks {
        while let Some(at) = next.next_if(|&at| at <= a) {
            moved.push(at - last + out.len());
        }
        out.push_str(&body[last..a]);
        for c in body[a..b].chars() {
            out.push(if c == '\n' { '\n' } else { ' ' });
        }
        last = b;
        while let Some(at) = next.next_if(|&at| at < b) {
            moved.push(out.len() - body[at..b].chars().count());
        }
    }
    moved.extend(next.map(|at| at - last + out.len()));
    out.push_str(&body[last..]);
    Prose {
        text: out,
        blocks: moved,
    }
}

/// The Markdown block structure at the start of a line, for [`prose_of_markdown`].
struct LineStart {
    /// Bytes to blank: a list item's marker, a heading's `#`s, a table row's first `|`,
    /// or a whole rule, table delimiter row or fenced code block.
    blank: Option<(usize, usize)>,
    /// Where blocks begin: the line, and the line after it when the block is one line.
    blocks: [Option<usize>; 2],
    /// Where the search for inline markup goes on.
    resume: usize,
    /// Whether a numbered list item may start on the next line: after a blank line or
    /// a list item. Elsewhere "2014." at the start of a wrapped line is a year.
    list_may_follow: bool,
}

/// The block structure at the start of the line at byte `at` of `bytes`.
/// `list_may_follow` is whether a numbered list item may start there (one numbered 1
/// always may).
fn line_start(bytes: &[u8], at: usize, list_may_follow: bool) -> LineStart {
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |p| from + p);
    let indent = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count()
    };
    let content = indent(at);
    // Nothing follows, or whitespace does.
    let spaced = |i: usize| {
        bytes
            .get(i)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
    };
    let mut found = LineStart {
        blank: None,
        blocks: [None, None],
        resume: at,
        list_may_follow: false,
    };
    // The block after a line that ends at `end`.
    let after = |end: usize| (end < bytes.len()).then_some(end + 1);
    let one_line = |found: &mut LineStart, blank: (usize, usize), end: usize| {
        found.blank = Some(blank);
        found.blocks = [Some(at), after(end)];
        found.resume = blank.1;
    };
    // A list item whose marker ends at `end`: the item runs on over the lines after it.
    let list_item = |found: &mut LineStart, end: usize| {
        found.blank = Some((content, end));
        found.blocks = [Some(at), None];
        found.resume = end;
        found.list_may_follow = true;
    };
    // Most lines start with a letter: only the first byte is looked at.
    let Some(&first) = bytes.get(content) else {
        found.list_may_follow = true;
        return found;
    };
    match first {
        b'\n' => found.list_may_follow = true,
        b'\r' => found.list_may_follow = spaced(content + 1),
        // Fenced code, to its closing fence or the end of the text.
        b'`' | b'~' if bytes[content..].starts_with(&[first; 3]) => {
            let fence = [first; 3];
            let mut close = line_end(content);
            while close < bytes.len() {
                let from = indent(close + 1);
                close = line_end(close + 1);
                if bytes[from..close].starts_with(&fence) {
                    break;
                }
            }
            one_line(&mut found, (at, close), close);
        }
        b'-' | b'=' | b'*' | b'_' | b':' | b'|' => {
            let end = line_end(content);
            let line = &bytes[content..end];
            // A list item's text stops the first test at its first letter.
            let rule = line.iter().all(|c| b"-=*_:| \t\r".contains(c))
                && line
                    .iter()
                    .filter(|c| matches!(c, b'-' | b'=' | b'*' | b'_'))
                    .count()
                    >= 3;
            if rule {
                // A rule, a heading's underline or a table's delimiter row.
                one_line(&mut found, (at, end), end);
            } else if first == b'|' {
                one_line(&mut found, (content, content + 1), end);
            } else if matches!(first, b'-' | b'*') && spaced(content + 1) {
                list_item(&mut found, content + 1);
            }
        }
        b'+' if spaced(content + 1) => list_item(&mut found, content + 1),
        // A block quote's mark, at the line's very start; what follows is its text.
        b'>' if content == at => {
            found.blank = Some((at, at + 1));
            found.resume = at + 1;
        }
        b'#' => {
            let hashes = bytes[content..].iter().take_while(|&&c| c == b'#').count();
            if hashes <= 6 && spaced(content + hashes) {
                one_line(&mut found, (content, content + hashes), line_end(content));
            }
        }
        b'0'..=b'9' => {
            let digits = bytes[content..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let marker = content + digits;
            if digits <= 9
                && matches!(bytes.get(marker), Some(b'.' | b')'))
                && spaced(marker + 1)
                && (list_may_follow || &bytes[content..marker] == b"1")
            {
                list_item(&mut found, marker + 1);
            }
        }
        _ => {}
    }
    found
}

/// Byte offset → character offset, for offsets visited in increasing order (falls back
/// to counting from the start otherwise).
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Abbreviations whose final dot does not end a sentence, besides the months'
/// ([`rules::MONTH_ABBREVIATIONS`]). None is longer than four bytes (a test checks).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "prof",
    "jr", "sr", "vs", "no", "u.s", "u.n", "u.k", "a.m", "p.m", "e.g", "i.e", "maj", "brig", "adm",
];

/// If a sentence ends at byte `i` of `text` (a `.`, `!` or `?` followed by whitespace and
/// a capital, digit or quote, and not the dot of an abbreviation such as "Oct."), the
/// byte just past it (closing quotes and brackets included).
fn sentence_end(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let b = bytes[i];
    if !matches!(b, b'.' | b'!' | b'?') {
        return None;
    }
    let mut j = i + 1;
    while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
        j += 1;
    }
    let ws_end = j + bytes[j..]
        .iter()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    let next_ok = ws_end > j
        && bytes.get(ws_end).is_none_or(|c| {
            c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, b'"' | b'\'') || *c >= 0x80
        });
    if !next_ok {
        return None;
    }
    if b == b'.' {
        let word_start = bytes[..i]
            .iter()
            .rposition(|c| c.is_ascii_whitespace() || matches!(c, b'(' | b'"'))
            .map_or(0, |p| p + 1);
        let word = &text[word_start..i];
        // No abbreviation is longer than four bytes: most words are not compared.
        if (word.len() <= 4
            && rules::MONTH_ABBREVIATIONS
                .iter()
                .chain(ABBREVIATIONS)
                .any(|a| a.eq_ignore_ascii_case(word)))
            || (word.len() == 1 && word.bytes().all(|c| c.is_ascii_alphabetic()))
        {
            return None;
        }
    }
    Some(j)
}

/// How much (bytes) of its sentence a mention quotes before and after the expression.
const SENTENCE_REACH: usize = 400;

/// The stretch of `bytes` around `start..end`: `reach` bytes either side, widened to
/// whitespace so no word is cut, and kept within `a..b`. The sentence a mention quotes,
/// the clause searched for tense cues and the windows rules run in are all cut this way.
pub(crate) fn around(
    bytes: &[u8],
    (a, b): (usize, usize),
    start: usize,
    end: usize,
    reach: usize,
) -> (usize, usize) {
    let mut from = start.saturating_sub(reach).max(a);
    while from > a && !bytes[from - 1].is_ascii_whitespace() {
        from -= 1;
    }
    let mut to = (end + reach).min(b);
    while to < b && !bytes[to].is_ascii_whitespace() {
        to += 1;
    }
    (from, to)
}

/// The byte span of the sentence around byte `at`: from the end of the previous
/// sentence (or a blank line, or the start of the block holding `at`) to the end of this
/// one (or of its block), whitespace trimmed. `blocks` are the byte offsets where
/// blocks begin, in order. Sentences are found only where expressions are, not across
/// the whole text.
fn sentence_around(text: &str, blocks: &[usize], at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let next_block = blocks.partition_point(|&b| b <= at);
    let block_start = next_block.checked_sub(1).map_or(0, |k| blocks[k]);
    let block_end = blocks.get(next_block).copied().unwrap_or(bytes.len());
    // Sentence ends and newlines are searched for with `memchr` (SIMD), not byte by
    // byte: most of the bytes between a date and its sentence's ends are neither.
    let start = {
        let mut hi = at;
        let mut newline = memchr::memrchr(b'\n', &bytes[block_start..hi]).map(|p| block_start + p);
        loop {
            let lo = newline.map_or(block_start, |n| n + 1);
            if let Some(p) = memchr::memrchr3(b'.', b'!', b'?', &bytes[lo..hi]) {
                match sentence_end(text, lo + p) {
                    Some(j) if j <= at => break j,
                    _ => hi = lo + p,
                }
                continue;
            }
            match newline {
                Some(n) if blank_line_after(bytes, n) => break n + 1,
                Some(n) => {
                    hi = n;
                    newline =
                        memchr::memrchr(b'\n', &bytes[block_start..hi]).map(|p| block_start + p);
                }
                None => break block_start,
            }
        }
    };
    let end = {
        let mut lo = at;
        let mut newline = memchr::memchr(b'\n', &bytes[lo..block_end]).map(|p| lo + p);
        loop {
            let hi = newline.unwrap_or(block_end);
            if let Some(p) = memchr::memchr3(b'.', b'!', b'?', &bytes[lo..hi]) {
                if let Some(j) = sentence_end(text, lo + p) {
                    break j.min(block_end);
                }
                lo += p + 1;
                continue;
            }
            match newline {
                Some(n) if blank_line_after(bytes, n) => break n,
                Some(n) => {
                    lo = n + 1;
                    newline = memchr::memchr(b'\n', &bytes[lo..block_end]).map(|p| lo + p);
                }
                None => break block_end,
            }
        }
    };
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (start + lead, (end - trail).max(start + lead))
}

/// True when the line after the newline at byte `i` is blank (spaces, tabs and
/// carriage returns only): a paragraph ends there.
pub(super) fn blank_line_after(bytes: &[u8], i: usize) -> bool {
    bytes[i + 1..]
        .iter()
        .find(|c| !matches!(c, b' ' | b'\t' | b'\r'))
        .is_some_and(|&c| c == b'\n')
}

/// The sentences that contain the expressions `found` (in text order), in order.
fn sentences_of(
    text: &str,
    blocks: &[usize],
    starts: impl Iterator<Item = usize>,
) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for at in starts {
        if spans.last().is_some_and(|&(a, b)| a <= at && at < b) {
            continue;
        }
        spans.push(sentence_around(text, blocks, at));
    }
    spans
}
