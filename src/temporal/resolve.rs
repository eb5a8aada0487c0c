//! Pass 2: resolution. Expressions are resolved in text order against the document
//! date or, for anaphora, against the dates mentioned before them.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::rules::{Found, Part, Rel, Under, Unit};
use super::{Grain, Kind};

/// An expression with its final value (byte span).
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub start: usize,
    pub end: usize,
    pub value: String,
    pub kind: Kind,
    pub grain: Grain,
    pub confidence: f32,
}

/// A date mentioned earlier in the text: where its period starts, and its grain.
#[derive(Debug, Clone, Copy)]
struct Mentioned {
    day: NaiveDate,
    grain: Grain,
}

/// What one expression resolves to.
struct Value {
    text: String,
    kind: Kind,
    grain: Grain,
    /// The first day of the period, when it has one (anaphora and intervals use it).
    day: Option<NaiveDate>,
}

fn date(text: String, grain: Grain, day: NaiveDate) -> Option<Value> {
    Some(Value {
        text,
        kind: Kind::Date,
        grain,
        day: Some(day),
    })
}

/// The day an anaphor of `unit` ("that day", "the following month") counts from: that
/// of the last expression that gave a period inside one of `unit`'s. Days and times
/// are inside any, months inside years; a week can straddle two months or two years,
/// so only "that week" counts from one. A clock time with no day of its own counts
/// from the same day as "that day".
fn reference(history: &[Mentioned], unit: Unit) -> Option<NaiveDate> {
    let wanted = match unit {
        Unit::Week => Grain::Week,
        Unit::Month => Grain::Month,
        Unit::Year | Unit::Decade | Unit::Century => Grain::Year,
        _ => Grain::Day,
    };
    history
        .iter()
        .rev()
        .find(|m| m.grain <= wanted && (m.grain != Grain::Week || wanted == Grain::Week))
        .map(|m| m.day)
}

fn plain(text: String, kind: Kind) -> Option<Value> {
    Some(Value {
        text,
        kind,
        grain: Grain::None,
        day: None,
    })
}

pub(super) fn resolve(
    text: &str,
    found: &[Found],
    sentences: &[(usize, usize)],
    document: super::Dct,
) -> Vec<Resolved> {
    let dct = document.day;
    let mut history: Vec<Mentioned> = Vec::new();
    // The index in `found`, day and grain of the last expression that gave a date.
    let mut last_dated: Option<(usize, NaiveDate, Grain)> = None;
    let mut out = Vec::with_capacity(found.len());
    for (i, f) in found.iter().enumerate() {
        let sentence = sentences.partition_point(|&(_, b)| b <= f.start);
        // The second end of "from March to May" / "between 2014 and 2017" comes after
        // the first.
        // Only when the expression just before is itself a day, time or month ("24
        // hours to Wednesday" and "2025-Tuesday" are not intervals): the dates a build
        // looks for too, so that both read the second end alike.
        let anchor = (i > 0)
            .then(|| &found[i - 1])
            .filter(|prev| is_interval_link(&text[prev.end..f.start]))
            .and(last_dated)
            .filter(|&(at, _, grain)| {
                at + 1 == i && matches!(grain, Grain::Time | Grain::Day | Grain::Month)
            })
            .map(|(_, day, _)| day);
        // Only bare weekdays, months and seasons need the tense of their clause.
        let needs_tense = matches!(
            f.under,
            Under::Weekday(_, Rel::Bare, _)
                | Under::MonthDay(..)
                | Under::MonthOnly(_, Rel::Bare)
                | Under::Season(None, _, Rel::Bare)
                | Under::Clock(..)
                | Under::WeekendNear
                | Under::Holiday(_)
        );
        let ctx = Context {
            dct,
            next_day_near: document.next_day_near,
            future: needs_tense
                && sentences
                    .get(sentence)
                    .is_some_and(|&span| looks_ahead(text, span, f.start, f.end)),
            anchor,
            history: &history,
        };
        let Some(v) = ctx.value(&f.under) else {
            continue;
        };
        // An anaphor with nothing to refer back to counts from the document date: a guess.
        let confidence = match f.under {
            Under::Anaphor(unit, ..) if reference(&history, unit).is_none() => 0.5,
            _ => f.confidence,
        };
        if let Some(day) = v.day
            && v.grain <= Grain::Year
        {
            last_dated = Some((i, day, v.grain));
            history.push(Mentioned {
                day,
                grain: v.grain,
            });
        }
        out.push(Resolved {
            start: f.start,
            end: f.end,
            value: v.text,
            kind: v.kind,
            grain: v.grain,
            confidence,
        });
    }
    out
}

fn is_interval_link(between: &str) -> bool {
    let between = between.trim();
    // Most expressions are far apart: no need to compare.
    between.len() <= "through".len()
        && [
            "to", "until", "till", "through", "and", "-", "–", "—", "to the", "and the",
        ]
        .iter()
        .any(|link| link.eq_ignore_ascii_case(between))
}

struct Context<'a> {
    dct: NaiveDate,
    /// See [`super::Dct::next_day_near`].
    next_day_near: bool,
    future: bool,
    anchor: Option<NaiveDate>,
    history: &'a [Mentioned],
}

impl Context<'_> {
    fn value(&self, under: &Under) -> Option<Value> {
        let dct = self.dct;
        match *under {
            Under::Day(d) => date(fmt_day(d), Grain::Day, d),
            Under::Month(y, m) => date(fmt_month(y, m), Grain::Month, ymd(y, m, 1)?),
            Under::Year(y) => date(format!("{y:04}"), Grain::Year, ymd(y, 1, 1)?),
            Under::Decade(d) => date(format!("{d:03}"), Grain::Decade, ymd(d * 10, 1, 1)?),
            Under::Century(c) => date(format!("{c:02}"), Grain::Century, ymd(c * 100, 1, 1)?),
            Under::Quarter(y, q) => {
                let y = y.unwrap_or(dct.year());
                date(
                    format!("{y:04}-Q{q}"),
                    Grain::Quarter,
                    ymd(y, 3 * q - 2, 1)?,
                )
            }
            Under::Season(y, code, rel) => {
                let start = match code {
                    "SP" => 3,
                    "SU" => 6,
                    "FA" => 9,
                    _ => 12,
                };
                let m = dct.month();
                let y = y.unwrap_or(match rel {
                    Rel::This => dct.year(),
                    Rel::Next => dct.year() + i32::from(start <= m),
                    Rel::Last => dct.year() - i32::from(start >= m),
                    Rel::Bare if self.future => dct.year() + i32::from(start < m),
                    Rel::Bare => dct.year() - i32::from(start > m),
                });
                date(format!("{y:04}-{code}"), Grain::Season, ymd(y, start, 1)?)
            }
            Under::MonthDay(m, d, _) => {
                let day = self.month_day(m, d)?;
                date(fmt_day(day), Grain::Day, day)
            }
            Under::MonthOfYear(m, offset) => {
                let y = dct.year() + offset;
                date(fmt_month(y, m), Grain::Month, ymd(y, m, 1)?)
            }
            Under::MonthOnly(m, rel) => {
                let y = self.month_year(m, rel);
                date(fmt_month(y, m), Grain::Month, ymd(y, m, 1)?)
            }
            Under::Weekday(wd, rel, part) => {
                let day = self.weekday(wd, rel);
                with_part(day, part)
            }
            Under::Days(n, part) => with_part(add_days(dct, n)?, part),
            Under::Offset(unit, n) => offset(dct, unit, n),
            Under::WeekendNear => {
                // This week's when the clause looks ahead or the day is a Saturday or
                // Sunday; last week's otherwise.
                let weekend_day = dct.weekday().num_days_from_monday() >= 5;
                let n = if self.future || weekend_day { 0 } else { -1 };
                self.value(&Under::Weekend(n))
            }
            Under::Weekend(n) => {
                let d = add_days(dct, 7 * n)?;
                let monday = add_days(d, -i64::from(d.weekday().num_days_from_monday()))?;
                date(
                    format!("{}-WE", fmt_week(d)),
                    Grain::Week,
                    add_days(monday, 5)?,
                )
            }
            Under::Anaphor(unit, n, part) => {
                let reference = reference(self.history, unit).unwrap_or(dct);
                match (unit, part) {
                    (Unit::Day, part) => with_part(add_days(reference, n)?, part),
                    (Unit::Minute | Unit::Hour, _) => with_part(reference, None),
                    (unit, _) => offset(reference, unit, n),
                }
            }
            Under::Clock(h, m, wd) => {
                let day = match wd {
                    Some(wd) => self.weekday(wd, Rel::Bare),
                    // A clock time with no day of its own is on the last day
                    // mentioned ("Britain began vaccinating on Tuesday. … received the
                    // first dose at 6:31 a.m."), unless its clause looks ahead ("the
                    // curfew will begin at 8 p.m.": today's).
                    None if self.future => dct,
                    None => reference(self.history, Unit::Day).unwrap_or(dct),
                };
                Some(Value {
                    text: format!("{}T{h:02}:{m:02}", fmt_day(day)),
                    kind: Kind::Time,
                    grain: Grain::Time,
                    day: Some(day),
                })
            }
            Under::Holiday(h) => {
                let day = self.nearest_yearly(|y| h.on(y))?;
                date(fmt_day(day), Grain::Day, day)
            }
            Under::Duration(ref v) => plain(v.clone(), Kind::Duration),
            Under::Set(ref v) => plain(v.clone(), Kind::Set),
            Under::Ref(r) => plain(r.to_string(), Kind::Date),
        }
    }

    /// The day after the document date, when a bare day naming it means it: the
    /// writer's day may already be that day (see [`super::Dct::next_day_near`]), and
    /// the day is read backwards from the document date (no anchor, no look ahead).
    fn writers_tomorrow(&self) -> Option<NaiveDate> {
        let (reference, forward) = self.bare_reference();
        (self.next_day_near && self.anchor.is_none() && !forward)
            .then(|| reference.succ_opt())
            .flatten()
    }

    /// The reference day bare expressions count from, and whether they look forward
    /// from it.
    fn bare_reference(&self) -> (NaiveDate, bool) {
        match self.anchor {
            Some(a) => (a, true),
            None => (self.dct, self.future),
        }
    }

    fn month_day(&self, m: u32, d: u32) -> Option<NaiveDate> {
        self.nearest_yearly(|y| ymd(y, m, d))
    }

    /// Of a day that comes once a year (`on` gives it in a year), the latest on or
    /// before the reference day, or the first on or after it when looking forward.
    fn nearest_yearly(&self, on: impl Fn(i32) -> Option<NaiveDate>) -> Option<NaiveDate> {
        let (reference, forward) = self.bare_reference();
        let y = reference.year();
        let candidates = [y - 1, y, y + 1].map(on);
        // The next day, where the writer may already be: not a year back.
        if let Some(tomorrow) = self.writers_tomorrow()
            && candidates.contains(&Some(tomorrow))
        {
            return Some(tomorrow);
        }
        if forward {
            candidates.into_iter().flatten().find(|&c| c >= reference)
        } else {
            candidates
                .into_iter()
                .flatten()
                .rev()
                .find(|&c| c <= reference)
        }
    }

    fn month_year(&self, m: u32, rel: Rel) -> i32 {
        let (reference, forward) = self.bare_reference();
        let (y, cur) = (reference.year(), reference.month());
        match rel {
            Rel::This => y,
            Rel::Last => y - i32::from(m >= cur),
            Rel::Next => y + i32::from(m <= cur),
            Rel::Bare if forward => y + i32::from(m < cur),
            Rel::Bare => y - i32::from(m > cur),
        }
    }

    fn weekday(&self, wd: Weekday, rel: Rel) -> NaiveDate {
        let (reference, forward) = self.bare_reference();
        let today = i64::from(reference.weekday().num_days_from_monday());
        let target = i64::from(wd.num_days_from_monday());
        let back = (today - target).rem_euclid(7);
        let ahead = (target - today).rem_euclid(7);
        let days = match rel {
            Rel::This => target - today,
            Rel::Last => -(if back == 0 { 7 } else { back }),
            Rel::Next => {
                if ahead == 0 {
                    7
                } else {
                    ahead
                }
            }
            Rel::Bare if forward => ahead,
            // The next day, where the writer may already be: not six days back.
            Rel::Bare if back == 6 && self.writers_tomorrow().is_some() => 1,
            Rel::Bare => -back,
        };
        add_days(reference, days).unwrap_or(reference)
    }
}

fn with_part(day: NaiveDate, part: Option<Part>) -> Option<Value> {
    match part {
        None => date(fmt_day(day), Grain::Day, day),
        Some(p) => Some(Value {
            text: format!("{}T{}", fmt_day(day), p.code()),
            kind: Kind::Time,
            grain: Grain::Time,
            day: Some(day),
        }),
    }
}

fn offset(from: NaiveDate, unit: Unit, n: i64) -> Option<Value> {
    let n32 = i32::try_from(n).ok()?;
    match unit {
        Unit::Minute | Unit::Hour | Unit::Day => {
            let d = add_days(from, n)?;
            date(fmt_day(d), Grain::Day, d)
        }
        Unit::Week => {
            let d = add_days(from, 7 * n)?;
            let monday = add_days(d, -i64::from(d.weekday().num_days_from_monday()))?;
            date(fmt_week(d), Grain::Week, monday)
        }
        Unit::Month => {
            let total = from.year() * 12 + from.month0() as i32 + n32;
            let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            date(fmt_month(y, m), Grain::Month, ymd(y, m, 1)?)
        }
        Unit::Year => {
            let y = from.year() + n32;
            date(format!("{y:04}"), Grain::Year, ymd(y, 1, 1)?)
        }
        Unit::Decade => {
            let d = from.year().div_euclid(10) + n32;
            date(format!("{d:03}"), Grain::Decade, ymd(d * 10, 1, 1)?)
        }
        Unit::Century => {
            let c = from.year().div_euclid(100) + n32;
            date(format!("{c:02}"), Grain::Century, ymd(c * 100, 1, 1)?)
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn fmt_day(d: NaiveDate) -> String {
    let mut s = fmt_month(d.year(), d.month());
    s.push('-');
    push_digits(&mut s, d.day(), 2);
    s
}

/// `YYYY-MM`, as `format!("{y:04}-{m:02}")` writes it, but digit by digit for the years
/// 0 to 9999 (those of every date a text names): the formatting machinery took about a
/// third of the instructions spent resolving a mention.
fn fmt_month(y: i32, m: u32) -> String {
    let mut s = String::with_capacity(10);
    match u32::try_from(y) {
        Ok(y) if y <= 9999 => push_digits(&mut s, y, 4),
        _ => s.push_str(&format!("{y:04}")),
    }
    s.push('-');
    push_digits(&mut s, m, 2);
    s
}

/// The last `width` decimal digits of `n`, zeros first.
fn push_digits(s: &mut String, n: u32, width: u32) {
    for k in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(k) % 10) as u8));
    }
}

fn fmt_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Words that make a clause look ahead.
fn is_future_cue(word: &str) -> bool {
    matches!(
        word,
        "will"
            | "'ll"
            | "shall"
            | "would"
            | "won't"
            | "could"
            | "might"
            | "expected"
            | "expects"
            | "scheduled"
            | "due"
            | "plans"
            | "planned"
            | "plan"
            | "planning"
            | "upcoming"
            | "aims"
            | "intends"
            | "intend"
            | "hopes"
            | "hope"
            | "ahead"
            | "pledged"
            | "vowed"
            | "promised"
            | "forecast"
            | "slated"
            | "effective"
            | "faces"
            | "face"
            | "must"
            | "should"
    )
}

/// Past-tense words and participles common in news that do not end in "-ed".
fn is_past_cue(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "was"
            | "were"
            | "had"
            | "did"
            | "began"
            | "met"
            | "took"
            | "held"
            | "left"
            | "came"
            | "fell"
            | "struck"
            | "told"
            | "saw"
            | "made"
            | "went"
            | "gave"
            | "ran"
            | "fled"
            | "fought"
            | "won"
            | "lost"
            | "shot"
            | "sent"
            | "spoke"
            | "wrote"
            | "broke"
            | "brought"
            | "led"
            | "rose"
            | "stood"
            | "ago"
            | "beat"
            | "sank"
            | "slid"
            | "paid"
            | "sold"
            | "bought"
            | "hit"
            | "sworn"
            | "swore"
            | "taken"
            | "chose"
            | "chosen"
            | "became"
            | "found"
            | "kept"
            | "built"
            | "caught"
            | "sought"
            | "spent"
            | "flew"
            | "drew"
            | "grew"
            | "threw"
            | "withdrew"
            | "drove"
            | "stole"
            | "fallen"
            | "begun"
            | "broken"
            | "written"
            | "spoken"
            | "heard"
            | "got"
            | "slain"
    )
}

/// Words after which a verb is not in the past tense ("to hit", "will meet").
fn is_not_past_after(word: &str) -> bool {
    matches!(
        word,
        "to" | "will" | "would" | "could" | "may" | "might" | "shall" | "can" | "must" | "should"
    )
}

/// How far (bytes) from an expression [`looks_ahead`] looks for tense cues.
const CUE_REACH: usize = 160;

/// True when the clause around the expression at `start..end` in `sentence` looks
/// ahead: the nearest tense cue before the expression (or, when there is none, the
/// nearest after it) is a future one ("will", "is expected to", "plans to", "could");
/// sentences without a cue look back, as news does.
fn looks_ahead(text: &str, sentence: (usize, usize), start: usize, end: usize) -> bool {
    // The clause around the expression: at most CUE_REACH bytes either side, from a
    // word start, so a long sentence costs no more than a short one.
    let sentence = super::around(text.as_bytes(), sentence, start, end, CUE_REACH);
    let region = &text[sentence.0..sentence.1];
    let mut before: Option<bool> = None;
    let mut after: Option<bool> = None;
    // Two reused buffers: the lowercased word and the one before it; and whether that
    // one is "be", "remain" or "stay" after a modal or "to" ("will be held", "will
    // remain closed": a participle, not the past).
    let (mut lower_buf, mut previous_buf) = (String::new(), String::new());
    let mut previous: &str = "";
    let mut modal_be = false;
    // Whether that one is "take" or "takes", not after "to".
    let mut take_finite = false;
    for (ws, we) in word_spans(region) {
        let (w_start, w_end) = (sentence.0 + ws, sentence.0 + we);
        if w_start >= end && (before.is_some() || after.is_some()) {
            break;
        }
        let original = &text[w_start..w_end];
        lower_buf.clear();
        lower_buf.push_str(original);
        lower_buf.make_ascii_lowercase();
        let lower = lower_buf.trim_matches('\'');
        let inside = w_start >= start && w_end <= end;
        // "May" the month is not "may" the modal.
        let modal_may = original == "may";
        let perfect = matches!(previous, "had" | "been" | "was" | "were");
        // "is set for Friday", "are set to meet", "the rules take effect on Friday" (but
        // not "was due to take effect").
        let set = (lower == "set" && matches!(previous, "is" | "are"))
            || (lower == "effect" && take_finite);
        let future = !inside
            && !perfect
            && (is_future_cue(lower) || lower.ends_with("'ll") || modal_may || set);
        let past = !inside
            && !future
            && !modal_be
            && !is_not_past_after(previous)
            && (is_past_cue(lower)
                || (lower.len() > 4 && lower.ends_with("ed"))
                || (perfect && is_future_cue(lower)));
        if future || past {
            if w_end <= start {
                before = Some(future);
            } else if w_start >= end && after.is_none() {
                after = Some(future);
            }
        }
        // "will be held", "will remain closed", "to stay shut".
        modal_be = matches!(lower, "be" | "remain" | "stay") && is_not_past_after(previous);
        take_finite = lower == "takes" || (lower == "take" && previous != "to");
        previous_buf.clear();
        previous_buf.push_str(lower);
        previous = &previous_buf;
    }
    before.or(after).unwrap_or(false)
}

/// The words of `s` (runs of letters, digits and apostrophes) as byte spans, in order.
/// ASCII is read byte by byte; other characters are decoded.
pub(super) fn word_spans(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = s.as_bytes();
    // Whether the character at byte `i` is part of a word, and its length.
    let word_at = move |i: usize| match bytes[i] {
        c if c < 0x80 => (c.is_ascii_alphanumeric() || c == b'\'', 1),
        _ => s[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (word, len) = word_at(i);
            if word {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = word_at(i);
            if !word {
                break;
            }
            i += len;
        }
        Some((start, i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_format_writes_them() {
        for y in (-10_001..=-9_990)
            .chain(-20..=20)
            .chain(990..=1010)
            .chain(9_990..=10_010)
        {
            for m in 1..=12 {
                assert_eq!(fmt_month(y, m), format!("{y:04}-{m:02}"));
                for d in [1, 9, 10, 28] {
                    let day = NaiveDate::from_ymd_opt(y, m, d).expect("a day");
                    assert_eq!(fmt_day(day), format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
    }
}
