//! Pass 1: the rules. Each is a regular expression (case-insensitive, with month and
//! weekday names case-sensitive so that "may" and "march" stay verbs) and a function
//! that turns a match into an underspecified value, or rejects it after looking at
//! the words around it.

use std::sync::LazyLock;

use chrono::{NaiveDate, Weekday};
use regex::{CaptureLocations, Regex};

/// How a weekday, month or season is anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rel {
    /// No anchor word: the latest one on or before the document date, or the next one
    /// when the clause looks ahead.
    Bare,
    /// "last": strictly before.
    Last,
    /// "this": in the current week/year.
    This,
    /// "next" or "coming": strictly after.
    Next,
}

/// Parts of a day, with their TIMEX3 suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    pub(super) fn code(self) -> &'static str {
        match self {
            Part::Morning => "MO",
            Part::Afternoon => "AF",
            Part::Evening => "EV",
            Part::Night => "NI",
        }
    }

    fn parse(s: &str) -> Option<Part> {
        match s.to_ascii_lowercase().as_str() {
            "morning" => Some(Part::Morning),
            "afternoon" => Some(Part::Afternoon),
            "evening" => Some(Part::Evening),
            "night" | "tonight" => Some(Part::Night),
            _ => None,
        }
    }
}

/// Calendar units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
    Decade,
    Century,
}

impl Unit {
    fn parse(s: &str) -> Option<(Unit, f64)> {
        let s = s.to_ascii_lowercase();
        let s = s.trim_end_matches('s');
        Some(match s {
            "minute" => (Unit::Minute, 1.0),
            "hour" => (Unit::Hour, 1.0),
            "day" | "night" => (Unit::Day, 1.0),
            "week" => (Unit::Week, 1.0),
            "fortnight" => (Unit::Week, 2.0),
            "month" => (Unit::Month, 1.0),
            "year" => (Unit::Year, 1.0),
            "decade" => (Unit::Decade, 1.0),
            "century" | "centurie" => (Unit::Century, 1.0),
            _ => return None,
        })
    }

    /// The TIMEX3 duration designator (`PT…` units are times).
    fn designator(self) -> (&'static str, &'static str) {
        match self {
            Unit::Minute => ("PT", "M"),
            Unit::Hour => ("PT", "H"),
            Unit::Day => ("P", "D"),
            Unit::Week => ("P", "W"),
            Unit::Month => ("P", "M"),
            Unit::Year => ("P", "Y"),
            Unit::Decade => ("P", "DE"),
            Unit::Century => ("P", "CE"),
        }
    }
}

/// Holidays news names by name, each on one day a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holiday {
    /// A fixed month and day (Christmas: 12, 25).
    Fixed(u32, u32),
    /// Days from Easter Sunday (Good Friday: -2).
    Easter(i64),
    /// The `n`th weekday of a month, the last when `n` is 0 (Thanksgiving: 11, Thu, 4).
    Nth(u32, Weekday, u32),
}

/// Holidays by name (lowercase, one space between words, straight apostrophes), with
/// their days. "Thanksgiving", "Labor Day" and "Memorial Day" are the US ones, as wire
/// copy means them. "Independence Day" is not read: every country has its own. The
/// holiday rules' patterns are made from these names (see [`holiday_pattern`]).
const HOLIDAYS: &[(&str, Holiday)] = {
    use Holiday::{Easter, Fixed, Nth};
    &[
        ("christmas", Fixed(12, 25)),
        ("christmas day", Fixed(12, 25)),
        ("christmas eve", Fixed(12, 24)),
        ("boxing day", Fixed(12, 26)),
        ("new year's day", Fixed(1, 1)),
        ("new year's eve", Fixed(12, 31)),
        ("valentine's day", Fixed(2, 14)),
        ("halloween", Fixed(10, 31)),
        ("bastille day", Fixed(7, 14)),
        ("armistice day", Fixed(11, 11)),
        ("veterans day", Fixed(11, 11)),
        ("veterans' day", Fixed(11, 11)),
        ("easter", Easter(0)),
        ("easter sunday", Easter(0)),
        ("easter monday", Easter(1)),
        ("good friday", Easter(-2)),
        ("thanksgiving", Nth(11, Weekday::Thu, 4)),
        ("thanksgiving day", Nth(11, Weekday::Thu, 4)),
        ("labor day", Nth(9, Weekday::Mon, 1)),
        ("memorial day", Nth(5, Weekday::Mon, 0)),
    ]
};

/// The pattern of the holidays whose names start with one of `first_words`: longest
/// names first, any whitespace between words, either apostrophe.
fn holiday_pattern(first_words: &[&str]) -> String {
    let mut names: Vec<&str> = HOLIDAYS
        .iter()
        .map(|&(name, _)| name)
        .filter(|name| first_words.contains(&first_word(name)))
        .collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let names: Vec<String> = names
        .iter()
        .map(|name| name.replace(' ', r"\s+").replace('\'', "['’]"))
        .collect();
    format!(r"\b(?P<h>{})\b", names.join("|"))
}

/// The first word of a holiday's name, as [`anchor_words`] sees it ("valentine" of
/// "valentine's day").
fn first_word(name: &str) -> &str {
    name.split([' ', '\'']).next().unwrap_or_default()
}

impl Holiday {
    /// The holiday named `name` (as in [`HOLIDAYS`]).
    fn named(name: &str) -> Option<Holiday> {
        HOLIDAYS
            .iter()
            .find(|&&(n, _)| n == name)
            .map(|&(_, holiday)| holiday)
    }

    /// Its day in `year`.
    pub(super) fn on(self, year: i32) -> Option<NaiveDate> {
        match self {
            Holiday::Fixed(m, d) => NaiveDate::from_ymd_opt(year, m, d),
            Holiday::Easter(offset) => {
                easter_sunday(year)?.checked_add_signed(chrono::Duration::days(offset))
            }
            // The last: the fifth when the month has one, else the fourth.
            Holiday::Nth(m, wd, 0) => NaiveDate::from_weekday_of_month_opt(year, m, wd, 5)
                .or_else(|| NaiveDate::from_weekday_of_month_opt(year, m, wd, 4)),
            Holiday::Nth(m, wd, n) => NaiveDate::from_weekday_of_month_opt(year, m, wd, n as u8),
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm,
/// "Meeus/Jones/Butcher").
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (b - (b + 8) / 25 + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let l = (32 + 2 * e + 2 * (c / 4) - h - c % 4) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// A value before resolution.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Under {
    /// A fully specified day.
    Day(NaiveDate),
    /// A fully specified month.
    Month(i32, u32),
    /// A year.
    Year(i32),
    /// A decade, by its first three digits (`199` for the 1990s).
    Decade(i32),
    /// A century, by its first two digits (`19` for the 20th century).
    Century(i32),
    /// A quarter, of a given year or of the document's.
    Quarter(Option<i32>, u32),
    /// A season (`SP`, `SU`, `FA`, `WI`) of a given year or anchored.
    Season(Option<i32>, &'static str, Rel),
    /// A month and day without a year.
    MonthDay(u32, u32, Rel),
    /// A month without a year.
    MonthOnly(u32, Rel),
    /// A month of the year this many years from the document date's ("March last
    /// year" = 3, -1).
    MonthOfYear(u32, i32),
    /// A weekday, possibly with a part of the day.
    Weekday(Weekday, Rel, Option<Part>),
    /// Days from the document date ("yesterday" = -1), possibly with a part of the day.
    Days(i64, Option<Part>),
    /// Weeks, months, years or decades from the document date's.
    Offset(Unit, i64),
    /// The weekend of the week this many weeks from the document date's.
    Weekend(i64),
    /// "the weekend": the one nearest the document date, before or after it as the
    /// clause looks.
    WeekendNear,
    /// This many units after the last date mentioned ("the following day" = Day, 1).
    Anaphor(Unit, i64, Option<Part>),
    /// A clock time, on a weekday or on the day in context.
    Clock(u32, u32, Option<Weekday>),
    /// A holiday ("Christmas Day", "Easter Sunday") of the year the clause points to.
    Holiday(Holiday),
    /// A complete duration value (`P18M`).
    Duration(String),
    /// A complete set value (`P1W`, `XXXX-WXX-5`).
    Set(String),
    /// `PRESENT_REF`, `PAST_REF` or `FUTURE_REF`.
    Ref(&'static str),
}

/// A proposed expression: byte span, value, confidence.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub under: Under,
    pub confidence: f32,
}

/// What a rule's function returns: the value and confidence, and optionally a span
/// that differs from the match (context words matched but not part of the expression).
struct Hit {
    under: Under,
    confidence: f32,
    span: Option<(usize, usize)>,
}

fn hit(under: Under, confidence: f32) -> Option<Hit> {
    Some(Hit {
        under,
        confidence,
        span: None,
    })
}

type Make = fn(&Caps, &str) -> Option<Hit>;

/// The groups of one match, read from capture locations that a rule reuses from match
/// to match (the regex crate's `Captures` allocate per match and look names up by
/// hashing).
struct Caps<'a> {
    hay: &'a str,
    locations: &'a CaptureLocations,
    names: &'a [(String, usize)],
}

/// A group's span and text.
#[derive(Clone, Copy)]
struct Group<'a> {
    hay: &'a str,
    start: usize,
    end: usize,
}

impl<'a> Group<'a> {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn as_str(&self) -> &'a str {
        &self.hay[self.start..self.end]
    }
}

impl<'a> Caps<'a> {
    fn get(&self, i: usize) -> Option<Group<'a>> {
        let (start, end) = self.locations.get(i)?;
        Some(Group {
            hay: self.hay,
            start,
            end,
        })
    }

    fn name(&self, name: &str) -> Option<Group<'a>> {
        let &(_, i) = self.names.iter().find(|(n, _)| n == name)?;
        self.get(i)
    }
}

struct Rule {
    /// The regular expression, compiled on first use (see [`Rule::compiled`]).
    pattern: String,
    compiled: std::sync::OnceLock<Compiled>,
    make: Make,
    /// The kind of word every match of the rule contains: the rule runs only near
    /// such words.
    anchor: Anchor,
    /// True when the rule can give a day, time or month, or keeps another rule from
    /// giving a wrong one ("every Friday" is not a Friday): the rules a build needs.
    placeable: bool,
    /// What an anchor word must have for the rule to run near it.
    gate: Gate,
}

/// A rule's compiled expression.
#[derive(Clone)]
struct Compiled {
    re: Regex,
    /// The indices of the groups holding month and weekday names (`mon`, `wd`,
    /// `wdp`), which must be capitalised, and of `x`, the expression when the match
    /// holds context words too: looked up once, not per match.
    capitals: Vec<usize>,
    x: Option<usize>,
    /// The groups' names and indices.
    names: Vec<(String, usize)>,
}

impl Rule {
    /// The compiled expression, shared by all threads. Rules compile when first
    /// needed: a build never compiles the rules only the full tagger runs.
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            // Rules match a lowercased copy of the text with case-sensitive literals,
            // and ASCII word boundaries: both keep the regex engine on its literal
            // prefilters and DFAs (case-insensitive patterns and a Unicode `\b` do
            // not). Month and weekday names are then checked for their capital in the
            // original text.
            let re = Regex::new(&self.pattern.replace(r"\b", r"(?-u:\b)"))
                .expect("rule patterns are valid");
            let index = |name: &str| re.capture_names().position(|n| n == Some(name));
            let names = re
                .capture_names()
                .enumerate()
                .filter_map(|(i, n)| Some((n?.to_string(), i)))
                .collect();
            Compiled {
                capitals: ["mon", "wd", "wdp"].into_iter().filter_map(index).collect(),
                x: index("x"),
                names,
                re,
            }
        })
    }
}

/// Compiles, ahead of use, the rules that [`super::tag_placeable`] runs (all of them
/// with `placeable_only` false): a build calls it before loading starts, beside its
/// templates and the parse cache, so that no loading thread waits for the rules.
pub(super) fn prepare(placeable_only: bool) {
    for rule in RULES.iter().filter(|r| r.placeable || !placeable_only) {
        rule.compiled();
    }
}

/// Kinds of words that temporal expressions are built around. The tagger first finds
/// these (one pass for every kind), then runs each rule only on the stretches of text
/// around the words of its kind that pass its [`Gate`]: most prose is never scanned by
/// most rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Month = 0,
    Weekday = 1,
    Digit = 2,
    /// A unit word; in the build's mode, right after "last", "this", "next", "that",
    /// "the same", "the following"… and only where the expression can give a day,
    /// time or month (see [`unplaced`]).
    Unit = 3,
    Deictic = 4,
    Vague = 5,
    Set = 6,
    /// A unit word followed by "ago", "later", "earlier", "before" or "after".
    UnitAfter = 7,
    /// A unit word after "the start/beginning/middle/end of".
    UnitEdge = 8,
    /// A unit word after "every", "each", "once", "twice", "times" or "per".
    UnitEvery = 9,
}

const ANCHORS: [Anchor; 10] = [
    Anchor::Month,
    Anchor::Weekday,
    Anchor::Digit,
    Anchor::Unit,
    Anchor::Deictic,
    Anchor::Vague,
    Anchor::Set,
    Anchor::UnitAfter,
    Anchor::UnitEdge,
    Anchor::UnitEvery,
];

impl Anchor {
    /// The kind whose words this one is found by (the unit kinds share the unit words).
    fn words(self) -> Anchor {
        match self {
            Anchor::UnitAfter | Anchor::UnitEdge | Anchor::UnitEvery => Anchor::Unit,
            other => other,
        }
    }
}

/// How far (in bytes) a rule's match may start before, or end after, its anchor word.
const REACH: usize = 48;

/// Byte spans, in order.
type Spans = Vec<(usize, usize)>;

/// What an anchor word needs for a rule to run near it: something every match of the
/// rule has, checked on the words around the anchor before the rule's regular
/// expression runs. A gate only saves work: most anchor words ("days" in "days of
/// talks", "March" in "Marches") start no expression of most rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// No test.
    Any,
    /// A number right after the month's name or right before it ("March 3",
    /// "March, 2025", "3rd of March"): the rules that need a day or a year.
    Number,
    /// The word is a month's full name ("in January").
    FullMonth,
    /// A month's full name, then "last", "this" or "next", maybe after "of" ("March
    /// of last year").
    RelativeYear,
    /// The word is a weekday's name.
    Weekday,
    /// The word starts a holiday's name ("Christmas", "Easter").
    Holiday,
    /// The word is a deictic word ("today", "midnight"), not a holiday's nor a longer
    /// word that starts like one ("eastern", "todays").
    Deictic,
    /// "year" after "new" ("New Year's Day").
    NewYear,
    /// "Friday" after "good".
    GoodFriday,
    /// "every" or "each" before a weekday's name.
    EveryWeekday,
    /// A weekday's name in the plural ("Fridays").
    PluralWeekday,
    /// Four digits and a dash (`2025-04-18`).
    Iso,
    /// At most two digits, then maybe minutes, then "am" or "pm".
    Clock,
    /// "this" or "last" before a part of the day.
    ThisLastPart,
    /// "last", "this", "next", "coming" or "current" before a calendar unit.
    Offset,
    /// "the same", "the following"… or "that" before a unit.
    Anaphor,
    /// "the week", "the month", "the year" (after "the start of").
    Edge,
    /// A plural or singular unit followed by "ago".
    Ago,
    /// A unit followed by "later" or "earlier".
    Later,
    /// "the day before", "the week after".
    BeforeAfter,
    /// "every" or "each" shortly before a unit.
    Every,
    /// "a", "per", "each" or "every" before a unit ("twice a week").
    PerUnit,
}

impl Gate {
    /// True when a match of a rule with this gate may contain the anchor word at
    /// `start..end`.
    fn passes(self, lower: &str, start: usize, end: usize) -> bool {
        let bytes = lower.as_bytes();
        let word_end = word_end(bytes, start);
        let word = &lower[start..word_end];
        let before = || words_before(lower, start, 1).next().unwrap_or("");
        let words_after = || {
            lower[word_end..]
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
        };
        let after = || words_after().next().unwrap_or("");
        let is = |list: &[&str]| list.contains(&word);
        const UNITS: &[&str] = &[
            "minute", "minutes", "hour", "hours", "day", "days", "night", "nights", "week",
            "weeks", "month", "months", "year", "years", "decade", "decades",
        ];
        const PARTS: &[&str] = &["morning", "afternoon", "evening", "night"];
        match self {
            Gate::Any => true,
            Gate::Number => number_next_to(bytes, start, word_end),
            Gate::FullMonth => is(&MONTHS),
            Gate::RelativeYear => {
                let mut next = words_after();
                is(&MONTHS)
                    && match next.next() {
                        Some("of") => matches!(next.next(), Some("last" | "this" | "next")),
                        w => matches!(w, Some("last" | "this" | "next")),
                    }
            }
            Gate::Weekday => WEEKDAYS.contains(&word),
            Gate::Holiday => HOLIDAY_WORDS.contains(&word),
            Gate::Deictic => DEICTIC_WORDS.contains(&word),
            Gate::NewYear => word == "year" && before() == "new",
            Gate::GoodFriday => word == "friday" && before() == "good",
            Gate::EveryWeekday => WEEKDAYS.contains(&word) && matches!(before(), "every" | "each"),
            Gate::PluralWeekday => word
                .strip_suffix('s')
                .is_some_and(|w| WEEKDAYS.contains(&w)),
            Gate::Iso => end - start == 4 && bytes.get(end) == Some(&b'-'),
            Gate::Clock => {
                if end - start > 2 {
                    return false;
                }
                let mut i = end;
                if matches!(bytes.get(i), Some(b':' | b'.'))
                    && bytes
                        .get(i + 1..i + 3)
                        .is_some_and(|m| m.iter().all(u8::is_ascii_digit))
                {
                    i += 3;
                }
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                [&b"am"[..], b"pm", b"a.m", b"p.m"]
                    .iter()
                    .any(|p| bytes[i..].starts_with(p))
            }
            Gate::ThisLastPart => is(PARTS) && matches!(before(), "this" | "last"),
            Gate::Offset => {
                is(&["week", "weekend", "month", "year", "decade", "century"])
                    && matches!(before(), "last" | "this" | "next" | "coming" | "current")
            }
            Gate::Anaphor => {
                (is(PARTS) || is(&["day", "week", "weekend", "month", "year"]))
                    && matches!(
                        before(),
                        "same" | "following" | "next" | "previous" | "preceding" | "that"
                    )
            }
            Gate::Edge => is(&["week", "month", "year"]) && before() == "the",
            Gate::Ago => is(UNITS) && after() == "ago",
            Gate::Later => is(UNITS) && matches!(after(), "later" | "earlier"),
            Gate::BeforeAfter => {
                is(&["day", "night", "week", "month", "year"])
                    && before() == "the"
                    && matches!(after(), "before" | "after")
            }
            Gate::Every => {
                (is(UNITS) || is(PARTS) || is(&["weekend"]))
                    && words_before(lower, start, 4).any(|w| matches!(w, "every" | "each"))
            }
            Gate::PerUnit => {
                is(&["day", "week", "month", "year"])
                    && matches!(before(), "a" | "per" | "each" | "every")
            }
        }
    }
}

/// Where the run of ASCII letters and digits at or after byte `from` of `bytes` ends.
fn word_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .map_or(bytes.len(), |p| from + p)
}

/// True when a number may stand right after the word at `start..word_end` of `lower`
/// (past a dot, spaces and commas: "Sept. 3", "March, 2025") or right before it (past
/// spaces, "of" and an ordinal suffix: "3rd of March"). Bytes of other characters count
/// as spaces, since the rules' `\s` also matches Unicode spaces.
fn number_next_to(bytes: &[u8], start: usize, word_end: usize) -> bool {
    let space = |c: u8| c.is_ascii_whitespace() || c >= 0x80;
    let mut i = word_end;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
    }
    while bytes.get(i).is_some_and(|&c| space(c) || c == b',') {
        i += 1;
    }
    if bytes.get(i).is_some_and(u8::is_ascii_digit) {
        return true;
    }
    let mut i = start;
    let skip_space = |mut i: usize| {
        while i > 0 && space(bytes[i - 1]) {
            i -= 1;
        }
        i
    };
    i = skip_space(i);
    if i >= 2 && &bytes[i - 2..i] == b"of" {
        i = skip_space(i - 2);
    }
    if i >= 2 && matches!(&bytes[i - 2..i], b"st" | b"nd" | b"rd" | b"th") {
        i -= 2;
    }
    i > 0 && bytes[i - 1].is_ascii_digit()
}

/// Month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Abbreviated month names ("May" has none), as written before a dot.
pub(super) const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Weekday names, Monday first.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// For each kind of anchor that `wanted` asks for, the spans of its words in the text,
/// in order; with `placeable_only`, only those that can start a day, time or month
/// expression (see [`unit_anchor_tests`] and [`placeable_anchor`]).
fn all_anchors(
    original: &str,
    lower: &str,
    wanted: impl Fn(Anchor) -> bool,
    placeable_only: bool,
) -> [Vec<(usize, usize)>; 10] {
    let mut out: [Vec<(usize, usize)>; 10] = Default::default();
    // One walk over the words finds the words of every kind; the unit kinds share
    // theirs.
    let mut words_wanted = [false; 10];
    for a in ANCHORS.iter().copied().filter(|a| wanted(*a)) {
        words_wanted[a.words() as usize] = true;
    }
    let hits = anchor_words(original.as_bytes(), lower.as_bytes(), &words_wanted);
    // The four unit kinds test the same words around the same hits: read once.
    let mut unit_tests: Option<Vec<u8>> = None;
    for anchor in ANCHORS.iter().copied().filter(|a| wanted(*a)) {
        let found = &hits[anchor.words() as usize];
        out[anchor as usize] = if !placeable_only {
            found.clone()
        } else if let Some(bit) = unit_bit(anchor) {
            let tests = unit_tests.get_or_insert_with(|| {
                found
                    .iter()
                    .map(|&(start, end)| unit_anchor_tests(lower, start, end))
                    .collect()
            });
            found
                .iter()
                .zip(tests.iter())
                .filter(|&(_, t)| t & bit != 0)
                .map(|(&hit, _)| hit)
                .collect()
        } else {
            found
                .iter()
                .copied()
                .filter(|&(_, end)| placeable_anchor(anchor, original, lower, end))
                .collect()
        };
    }
    out
}

/// The bit of [`unit_anchor_tests`] that a unit kind of anchor needs.
fn unit_bit(anchor: Anchor) -> Option<u8> {
    match anchor {
        Anchor::Unit => Some(1),
        Anchor::UnitAfter => Some(2),
        Anchor::UnitEdge => Some(4),
        Anchor::UnitEvery => Some(8),
        _ => None,
    }
}

/// Which unit kinds the unit word at `start..end` of `lower` can start a day, time or
/// month expression for, as bits (see [`unit_bit`]): a relational word right before it
/// ("last month", but see [`unplaced`]; [`is_relational`]), a relational word right after
/// it ("two days ago", [`is_relational_after`]), an edge of a month ("the end of the
/// month", [`is_edge`]) or a recurrence ("every week", [`is_every`]) among the three
/// words before it.
fn unit_anchor_tests(lower: &str, start: usize, end: usize) -> u8 {
    // Called for every unit word of every text: bytes and literal matches, no lists.
    let bytes = lower.as_bytes();
    let word_end = word_end(bytes, end);
    let unit = &bytes[start..word_end];
    let mut bits = 0;
    for (i, w) in words_before(lower, start, 3).enumerate() {
        let w = w.as_bytes();
        // "new" for "New Year's Day", a holiday.
        if i == 0 && (w == b"new" || (is_relational(w) && !unplaced(unit))) {
            bits |= 1;
        }
        if unit == b"month" && is_edge(w) {
            bits |= 4;
        }
        if is_every(w) {
            bits |= 8;
        }
    }
    let after = bytes[word_end..]
        .split(|c| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    if is_relational_after(after) {
        bits |= 2;
    }
    bits
}

/// A word right before a unit word that makes it a day, week or month: "last week",
/// "that day", "the following morning".
fn is_relational(w: &[u8]) -> bool {
    matches!(
        w,
        b"last"
            | b"this"
            | b"next"
            | b"coming"
            | b"current"
            | b"same"
            | b"following"
            | b"previous"
            | b"preceding"
            | b"that"
    )
}

/// A word right after a unit word that makes it a date: "three days ago", "a day later".
fn is_relational_after(w: &[u8]) -> bool {
    matches!(w, b"ago" | b"later" | b"earlier" | b"before" | b"after")
}

/// A word shortly before a unit word that makes it the edge of a period.
fn is_edge(w: &[u8]) -> bool {
    matches!(w, b"start" | b"beginning" | b"middle" | b"end")
}

/// A word shortly before a unit word that makes it a recurrence.
fn is_every(w: &[u8]) -> bool {
    matches!(
        w,
        b"every" | b"each" | b"once" | b"twice" | b"times" | b"per"
    )
}

/// True when a relational word and the unit word `unit` after it can only give what a
/// build does not keep: a week, weekend, year, decade or century ("last week", "that
/// year"). The layer shows days and months, and the same-story merge reads days. No
/// day or month counts from them either: a week can straddle two months, so "that
/// month" never refers to one (see `resolve`).
fn unplaced(unit: &[u8]) -> bool {
    matches!(
        unit,
        b"week" | b"weekend" | b"year" | b"decade" | b"century"
    )
}

/// The stretches of `lower` within [`REACH`] of the anchors that pass `gate`, widened
/// to whitespace, merged, in order.
fn windows(lower: &str, anchors: &[(usize, usize)], gate: Gate) -> Vec<(usize, usize)> {
    let bytes = lower.as_bytes();
    let mut list: Vec<(usize, usize)> = Vec::new();
    for &(start, end) in anchors {
        if !gate.passes(lower, start, end) {
            continue;
        }
        let (a, b) = super::around(bytes, (0, bytes.len()), start, end, REACH);
        match list.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => list.push((a, b)),
        }
    }
    list
}

/// The spans of the runs of ASCII digits in `bytes`.
#[cfg(test)]
pub(super) fn digit_runs(bytes: &[u8]) -> Spans {
    let mut wanted = [false; 10];
    wanted[Anchor::Digit as usize] = true;
    let [_, _, digits, ..] = anchor_words(bytes, bytes, &wanted);
    digits
}

/// Anchor words by kind (digits are the seventh kind).
const ANCHOR_WORDS: [(Anchor, &[&str]); 7] = [
    (
        Anchor::Set,
        &[
            "daily",
            "weekly",
            "monthly",
            "annually",
            "yearly",
            "nightly",
            "hourly",
            "fortnightly",
        ],
    ),
    (Anchor::Deictic, DEICTIC_WORDS),
    (Anchor::Deictic, HOLIDAY_WORDS),
    (Anchor::Weekday, &WEEKDAYS),
    (
        Anchor::Unit,
        &[
            "day",
            "week",
            "month",
            "year",
            "minute",
            "hour",
            "night",
            "morning",
            "afternoon",
            "evening",
            "decade",
            "fortnight",
            "centur",
            "spring",
            "summer",
            "autumn",
            "winter",
            "fall",
            "quarter",
        ],
    ),
    (
        Anchor::Month,
        &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    ),
    (
        Anchor::Vague,
        &[
            "now", "current", "present", "recent", "lately", "soon", "future", "past", "moment",
            "coming",
        ],
    ),
];

/// What a word of [`ANCHOR_WORDS`] is looked for as: its kind, and its bytes as the
/// text must have them (month and weekday names with their capital): the first eight
/// as a number and a mask, to be compared at once, then the rest.
struct AnchorWord {
    kind: Anchor,
    len: usize,
    head: u64,
    mask: u64,
    tail: Vec<u8>,
}

/// The eight bytes of `hay` from `at` as a number, the first the lowest; past the end,
/// zeros.
fn eight_at(hay: &[u8], at: usize) -> u64 {
    match hay.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        None => {
            let mut eight = [0; 8];
            let rest = hay.get(at..).unwrap_or_default();
            eight[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(eight)
        }
    }
}

/// The anchor words by their first three letters (lowercase; every anchor word has at
/// least three), in a hash table with no collisions: the three bytes at a word's start,
/// as a number, are multiplied by `multiplier`; the top [`SLOT_BITS`] bits of the
/// product pick a slot, which holds the three bytes that belong there (0 for none) and
/// the index in `lists` of the words that start with them, in [`ANCHOR_WORDS`] order.
/// Two letters would send every "the" to "Thursday" and every "said" to "Saturday".
struct AnchorTable {
    multiplier: u64,
    slots: Vec<(u32, u8)>,
    lists: Vec<Vec<AnchorWord>>,
}

const SLOT_BITS: u32 = 10;

impl AnchorTable {
    fn slot(&self, three: u32) -> usize {
        (u64::from(three).wrapping_mul(self.multiplier) >> (64 - SLOT_BITS)) as usize
    }

    /// The words that start with the three bytes of `three` (the first the lowest).
    fn words(&self, three: u32) -> Option<&[AnchorWord]> {
        let (key, list) = self.slots[self.slot(three)];
        (key == three).then(|| &self.lists[usize::from(list)][..])
    }
}

static ANCHOR_TABLE: LazyLock<AnchorTable> = LazyLock::new(|| {
    let mut keys: Vec<u32> = Vec::new();
    let mut lists: Vec<Vec<AnchorWord>> = Vec::new();
    for (kind, words) in ANCHOR_WORDS {
        for w in words {
            // `anchor_words` looks up only words that start with three word bytes, and
            // no digit.
            assert!(
                w.len() >= 3 && w.as_bytes()[..3].iter().all(u8::is_ascii_lowercase),
                "anchor words start with three lowercase letters: {w}"
            );
            let three = eight_at(&w.as_bytes()[..3], 0) as u32;
            let list = match keys.iter().position(|&k| k == three) {
                Some(i) => i,
                None => {
                    keys.push(three);
                    lists.push(Vec::new());
                    keys.len() - 1
                }
            };
            let mut bytes = w.as_bytes().to_vec();
            if matches!(kind, Anchor::Month | Anchor::Weekday) {
                bytes[0] = bytes[0].to_ascii_uppercase();
            }
            let head = bytes.len().min(8);
            lists[list].push(AnchorWord {
                kind,
                len: bytes.len(),
                head: eight_at(&bytes[..head], 0),
                mask: u64::MAX >> (8 * (8 - head)),
                tail: bytes[head..].to_vec(),
            });
        }
    }
    // Odd multipliers from a fixed sequence until one sends every key to its own slot:
    // about one in two does.
    let mut multiplier = 0x9e37_79b9_7f4a_7c15_u64;
    loop {
        let mut table = AnchorTable {
            multiplier,
            slots: vec![(0, 0); 1 << SLOT_BITS],
            lists: Vec::new(),
        };
        let mut free = true;
        for (i, &k) in keys.iter().enumerate() {
            let slot = table.slot(k);
            free &= table.slots[slot].0 == 0;
            table.slots[slot] = (k, u8::try_from(i).expect("few lists"));
        }
        if free {
            table.lists = lists;
            return table;
        }
        multiplier = multiplier
            .wrapping_mul(0x5851_f42d_4c95_7f2d)
            .wrapping_add(2)
            | 1;
    }
});

/// For 64 bytes, one bit per byte, the lowest for the first: which are ASCII word
/// bytes as `\b` sees them in lowercase text (`a`-`z`, digits, `_`), and which are
/// digits. On x86-64, sixteen bytes at a time with SSE2; elsewhere eight at a time in
/// a `u64` ([`word_and_digit_bits_swar`]).
pub(super) fn word_and_digit_bits(block: &[u8; 64]) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor has it.
    return unsafe { word_and_digit_bits_sse2(block) };
    #[cfg(not(target_arch = "x86_64"))]
    word_and_digit_bits_swar(block)
}

/// [`word_and_digit_bits`] with SSE2: per sixteen bytes, two range tests and a
/// comparison, then one `movemask` per kind. About a quarter of the instructions of the
/// `u64` version, which this is tested against.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn word_and_digit_bits_sse2(block: &[u8; 64]) -> (u64, u64) {
    use super::sse2;
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    let (mut words, mut digits) = (0u64, 0u64);
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let v = sse2::load(chunk.try_into().expect("sixteen bytes"));
        let digit = sse2::in_range(v, b'0', b'9');
        let word = _mm_or_si128(
            _mm_or_si128(digit, sse2::in_range(v, b'a', b'z')),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8)),
        );
        // `movemask` gives sixteen bits in an `i32`; as `u16` they are the same bits.
        words |= u64::from(_mm_movemask_epi8(word) as u16) << (16 * k);
        digits |= u64::from(_mm_movemask_epi8(digit) as u16) << (16 * k);
    }
    (words, digits)
}

/// [`word_and_digit_bits`] eight bytes at a time in a `u64`, for any processor.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(super) fn word_and_digit_bits_swar(block: &[u8; 64]) -> (u64, u64) {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    // The high bit of each byte of `x` from `lo` to `hi`: adding 0x80 - lo to a byte
    // below 0x80 sets its high bit from `lo` on, adding 0x7f - hi from past `hi` on; no
    // carry crosses bytes, and bytes from 0x80 on (UTF-8) are left out.
    let in_range = |x: u64, lo: u8, hi: u8| {
        let low7 = x & !HIGH;
        (low7 + ONES * u64::from(0x80 - lo)) & !(low7 + ONES * u64::from(0x7f - hi)) & !x & HIGH
    };
    // The high bits of the eight bytes, gathered into the low eight bits.
    let gather = |high: u64| ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
    let (mut words, mut digits) = (0u64, 0u64);
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let digit = in_range(x, b'0', b'9');
        let word = digit | in_range(x, b'a', b'z') | in_range(x, b'_', b'_');
        words |= gather(word) << (8 * k);
        digits |= gather(digit) << (8 * k);
    }
    (words, digits)
}

/// The words of [`ANCHOR_WORDS`] of the kinds `wanted` asks for, and with
/// [`Anchor::Digit`] the runs of ASCII digits, indexed by kind, in order. Words are
/// found as prefixes of the text's words: `day` also finds `days`, at the start of a
/// word (`\b` in ASCII: `_day` and `3day` do not count). Month and weekday names count
/// only with their capital in `original`, the others in any case: `lower` is
/// `original` in ASCII lowercase. Per kind, the first word of its list that fits wins,
/// as in a regular expression's alternation.
///
/// One pass finds them all: 64 bytes at a time it marks the starts of words and of
/// runs of digits, then looks up only the words' first three letters. A regular
/// expression scan per kind of word (and a digit scan) took 89 ms over 10,000 bodies
/// where this takes 51.
pub(super) fn anchor_words(original: &[u8], lower: &[u8], wanted: &[bool; 10]) -> [Spans; 10] {
    let table = &*ANCHOR_TABLE;
    let mut out: [Spans; 10] = Default::default();
    let want_words = wanted
        .iter()
        .enumerate()
        .any(|(k, &w)| w && k != Anchor::Digit as usize);
    let want_digits = wanted[Anchor::Digit as usize];
    let n = lower.len();
    // Whether the byte before the block is a word byte, a digit.
    let (mut word_before, mut digit_before) = (0u64, 0u64);
    for (b, block) in lower.chunks(64).enumerate() {
        let base = b * 64;
        let (words, digits) = match block.try_into() {
            Ok(full) => word_and_digit_bits(full),
            Err(_) => {
                // The last, short block: the rest counts as spaces.
                let mut full = [b' '; 64];
                full[..block.len()].copy_from_slice(block);
                word_and_digit_bits(&full)
            }
        };
        if want_words {
            // Every anchor word starts with three letters: a word start counts only when
            // the two bytes after it are word bytes too (past the block, perhaps) and
            // it is not a digit. Most short words ("a", "of", "in") are never looked up.
            let three = words & ((words >> 1) | 1 << 63) & ((words >> 2) | 3 << 62);
            let mut starts = words & !((words << 1) | word_before) & three & !digits;
            while starts != 0 {
                let start = base + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let low = eight_at(lower, start);
                let Some(list) = table.words(low as u32 & 0xff_ffff) else {
                    continue;
                };
                let orig = eight_at(original, start);
                let mut done = [false; 10];
                for w in list {
                    let kind = w.kind as usize;
                    if done[kind] || !wanted[kind] {
                        continue;
                    }
                    let (hay, head) = if matches!(w.kind, Anchor::Month | Anchor::Weekday) {
                        (original, orig)
                    } else {
                        (lower, low)
                    };
                    let end = start + w.len;
                    if head & w.mask == w.head
                        && (w.tail.is_empty() || hay.get(start + 8..end) == Some(&w.tail[..]))
                    {
                        done[kind] = true;
                        out[kind].push((start, end));
                    }
                }
            }
        }
        if want_digits {
            // Each set bit starts a run of digits, or is the first byte after one.
            let mut edges = digits ^ ((digits << 1) | digit_before);
            while edges != 0 {
                let at = base + edges.trailing_zeros() as usize;
                edges &= edges - 1;
                let runs = &mut out[Anchor::Digit as usize];
                match runs.last_mut() {
                    Some(run) if run.1 == usize::MAX => run.1 = at,
                    _ => runs.push((at, usize::MAX)),
                }
            }
        }
        word_before = words >> 63;
        digit_before = digits >> 63;
    }
    if let Some(run) = out[Anchor::Digit as usize].last_mut()
        && run.1 == usize::MAX
    {
        run.1 = n;
    }
    out
}

/// The up to `n` words before byte `at` in `lower`, nearest first.
fn words_before(lower: &str, at: usize, n: usize) -> impl Iterator<Item = &str> {
    // Words are runs of ASCII letters and digits; every other byte (UTF-8 included)
    // separates them, so the stretch may start inside a character.
    let bytes = lower.as_bytes();
    let from = at.saturating_sub(48);
    let mut pos = at;
    std::iter::from_fn(move || {
        let stretch = &bytes[from..pos];
        let end = from + stretch.iter().rposition(|&c| ALNUM[usize::from(c)])? + 1;
        let start = bytes[from..end]
            .iter()
            .rposition(|&c| !ALNUM[usize::from(c)])
            .map_or(from, |p| from + p + 1);
        pos = start;
        // Both ends are ASCII, so both are character boundaries.
        Some(&lower[start..end])
    })
    .take(n)
}

/// ASCII letters and digits, as a table: one load per byte where the words around an
/// anchor are read.
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    t
};

/// True when the anchor of a kind other than the unit kinds (see [`unit_anchor_tests`])
/// at `start..end` can start a day, time or month expression: a number followed by `:`,
/// `-`, `.` or a.m./p.m.; every other word (month and weekday names are found only with
/// their capital, see [`anchor_words`]).
fn placeable_anchor(anchor: Anchor, text: &str, lower: &str, end: usize) -> bool {
    let bytes = text.as_bytes();
    match anchor {
        Anchor::Digit => {
            let mut i = end;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            match bytes.get(i) {
                Some(b':' | b'-' | b'.') => true,
                _ => {
                    let rest = lower[i..].trim_start();
                    rest.starts_with("a.m")
                        || rest.starts_with("p.m")
                        || rest.starts_with("am")
                        || rest.starts_with("pm")
                }
            }
        }
        _ => true,
    }
}

const WD: &str = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const MON_FULL: &str =
    "(?:january|february|march|april|may|june|july|august|september|october|november|december)";
const MON_ANY: &str = "(?:january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sept\\.?|sep\\.?|oct\\.?|nov\\.?|dec\\.?)";
const NUM_WORDS: &str = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred";
const FUZZY: &str = "early|mid|late|the\\s+(?:start|beginning|middle|end)\\s+of|the\\s+(?:first|second)\\s+half\\s+of";
const DURATION_MOD: &str = "more\\s+than|less\\s+than|fewer\\s+than|nearly|almost|about|around|roughly|approximately|at\\s+least|at\\s+most|up\\s+to|just\\s+over|just\\s+under|over|under|some";

fn num_pattern() -> String {
    format!(
        "\\d+(?:\\.\\d+)?|{NUM_WORDS}|a\\s+hundred|a\\s+dozen|dozen|a\\s+few|a\\s+couple\\s+of|a\\s+couple|several|few|many|a|an"
    )
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let num = num_pattern();
    let rules: Vec<(String, Make, Anchor, bool, Gate)> = vec![
        // Explicit dates.
        (
            format!(
                r"\b(?:(?P<wd>{WD}),?\s+)?(?P<mon>{MON_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"
            ),
            make_full_date,
            Anchor::Month,
            true,
            Gate::Number,
        ),
        (
            format!(
                r"\b(?:(?P<wd>{WD}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MON_ANY})\s*,?\s+(?P<y>\d{{4}})\b"
            ),
            make_full_date,
            Anchor::Month,
            true,
            Gate::Number,
        ),
        (
            r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b".to_string(),
            make_iso,
            Anchor::Digit,
            true,
            Gate::Iso,
        ),
        (
            format!(
                r"\b(?:(?P<mod>{FUZZY})[-\s]+)?(?P<mon>{MON_ANY})\s*,?\s+(?P<y>(?:19|20)\d{{2}})\b"
            ),
            make_month_year,
            Anchor::Month,
            true,
            Gate::Number,
        ),
        (
            format!(
                r"\b(?:(?P<wd>{WD}),?\s+)?(?P<mon>{MON_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
            ),
            make_month_day,
            Anchor::Month,
            true,
            Gate::Number,
        ),
        (
            format!(
                r"\b(?:(?P<wd>{WD}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MON_ANY})"
            ),
            make_month_day,
            Anchor::Month,
            true,
            Gate::Number,
        ),
        // Decades, centuries, years.
        (
            r"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?P<dec>1[0-9]\d|20\d)0s\b".to_string(),
            make_decade,
            Anchor::Digit,
            false,
            Gate::Any,
        ),
        (
            r"\bthe\s+(?:(?P<mod>early|mid|late)[-\s]+)?'(?P<d2>\d)0s\b".to_string(),
            make_decade,
            Anchor::Digit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[-\s]+century\b"
                .to_string(),
            make_century,
            Anchor::Digit,
            false,
            Gate::Any,
        ),
        (
            format!(r"\b(?:(?P<mod>{FUZZY})[-\s]+)?(?P<y>1[0-9]\d{{2}}|20\d{{2}})\b"),
            make_year,
            Anchor::Digit,
            false,
            Gate::Any,
        ),
        // Seasons and quarters.
        (
            r"\b(?:(?P<mod>early|mid|late)[-\s]+)?(?:the\s+)?(?P<s>spring|summer|autumn|winter)\s+(?:of\s+)?(?P<y>(?:19|20)\d{2})\b"
                .to_string(),
            make_season,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<rel>last|this|next|the\s+coming|coming|the\s+past|past|the)\s+)(?P<s>spring|summer|autumn|winter|fall)\b"
                .to_string(),
            make_season,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?:in|by|until|through|during|over|since)\s+(?P<x>(?P<s>spring|summer|autumn|winter))\b".to_string(),
            make_season,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?:the\s+)?(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?P<y>(?:19|20)\d{2}))?\b"
                .to_string(),
            make_quarter,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        // Months of a year named relative to the document's ("March last year").
        (
            format!(
                r"\b(?:(?P<mod>{FUZZY})[-\s]+)?(?P<mon>{MON_FULL})\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year\b"
            ),
            make_month_of_year,
            Anchor::Month,
            true,
            Gate::RelativeYear,
        ),
        // Months without a year.
        (
            format!(
                r"\b(?:(?P<mod>{FUZZY})[-\s]+)?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<mon>{MON_FULL})\b"
            ),
            make_month,
            Anchor::Month,
            true,
            Gate::FullMonth,
        ),
        // Weekdays, with parts of the day.
        (
            format!(
                r"\b(?:(?P<mod>early|late)\s+)?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<wd>{WD})(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
            ),
            make_weekday,
            Anchor::Weekday,
            true,
            Gate::Weekday,
        ),
        // Deictic words.
        (
            r"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow)(?:\s+(?P<part>morning|afternoon|evening|night))?\b"
                .to_string(),
            make_deictic,
            Anchor::Deictic,
            true,
            Gate::Deictic,
        ),
        (r"\b(?P<w>tonight)\b".to_string(), make_deictic, Anchor::Deictic, true, Gate::Deictic),
        (
            r"\b(?P<w>this|last)\s+(?P<part>morning|afternoon|evening|night)\b".to_string(),
            make_deictic,
            Anchor::Unit,
            true,
            Gate::ThisLastPart,
        ),
        (
            format!(
                r"\b(?:(?P<mod>earlier|later|{FUZZY})\s+)?(?P<rel>last|this|next|the\s+coming|coming|the\s+current|current)\s+(?P<u>week|weekend|month|year|decade|century)\b"
            ),
            make_offset,
            Anchor::Unit,
            true,
            Gate::Offset,
        ),
        (
            r"\b(?P<mod>the\s+(?:start|beginning|middle|end)\s+of)\s+the\s+(?P<u>week|month|year)\b"
                .to_string(),
            make_offset,
            Anchor::UnitEdge,
            true,
            Gate::Edge,
        ),
        (
            format!(
                r"\b(?:(?:{DURATION_MOD})\s+)?(?P<n>{num})\s+(?P<u>minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?)\s+ago\b"
            ),
            make_ago,
            Anchor::UnitAfter,
            true,
            Gate::Ago,
        ),
        (
            r"\b(?P<u>moments|minutes|hours|days|weeks|months|years|decades)\s+ago\b".to_string(),
            make_ago,
            Anchor::UnitAfter,
            true,
            Gate::Ago,
        ),
        // Anaphora. A modifier belongs to the date, as with "ago": "up to two days later"
        // is not a duration of up to two days (which would hide the date from the full
        // tagger while a build, which does not look for durations, keeps it).
        (
            format!(
                r"\b(?:(?:{DURATION_MOD})\s+)?(?P<n>{num})\s+(?P<u>days?|weeks?|months?|years?)\s+(?P<dir>later|earlier)\b"
            ),
            make_later,
            Anchor::UnitAfter,
            true,
            Gate::Later,
        ),
        (
            r"\b(?:(?P<mod>later|earlier)\s+)?(?:the\s+(?P<rel>same|following|next|previous|preceding)|(?P<that>that))\s+(?P<u>day|night|morning|afternoon|evening|week|weekend|month|year)\b"
                .to_string(),
            make_anaphor,
            Anchor::Unit,
            true,
            Gate::Anaphor,
        ),
        (
            r"\bthe\s+(?P<u>day|night|week|month|year)\s+(?P<dir>before|after)\b".to_string(),
            make_anaphor,
            Anchor::UnitAfter,
            true,
            Gate::BeforeAfter,
        ),
        // Clock times.
        (
            format!(
                r"\b(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?\s*(?P<ap>a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b)(?:\s+(?P<wd>{WD})\b|\s+on\s+(?P<wdon>{WD})\b)?"
            ),
            make_clock,
            Anchor::Digit,
            true,
            Gate::Clock,
        ),
        (
            format!(
                r"\b(?P<w>noon|midday|midnight)\b(?:\s+(?P<wd>{WD})\b|\s+on\s+(?P<wdon>{WD})\b)?"
            ),
            make_clock,
            Anchor::Deictic,
            true,
            Gate::Deictic,
        ),
        // Holidays.
        (
            holiday_pattern(HOLIDAY_WORDS),
            make_holiday,
            Anchor::Deictic,
            true,
            Gate::Holiday,
        ),
        (
            holiday_pattern(&["good"]),
            make_holiday,
            Anchor::Weekday,
            true,
            Gate::GoodFriday,
        ),
        (
            holiday_pattern(&["new"]),
            make_holiday,
            Anchor::Unit,
            true,
            Gate::NewYear,
        ),
        // Durations.
        (
            format!(
                r"\b(?P<n>\d+(?:\.\d+)?|{NUM_WORDS}|a\s+half|half)[-\s]?(?P<u>minute|hour|day|week|month|year|decade|century)(?:-(?P<tail>old|long))?\b"
            ),
            make_duration_adjective,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            format!(
                r"\b(?:(?:{DURATION_MOD})\s+)?(?:the\s+(?:past|last|next|first|coming|previous|following|final)\s+)?(?P<n>{num})\s+(?P<u>minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?|decades?|centuries|century)\b"
            ),
            make_duration,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            // "an hour and 45 minutes", "two years and three months", "four and a half
            // hours".
            format!(
                r"\b(?:(?:{DURATION_MOD})\s+)?(?P<n>{num})\s+(?:and\s+a\s+(?P<half>half)\s+(?P<hu>minutes|hours|days|weeks|months|years)|(?P<u>minutes?|hours?|days?|months?|years?)\s+and\s+(?P<n2>{num})\s+(?P<u2>seconds?|minutes?|hours?|months?))\b"
            ),
            make_compound_duration,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\bthe\s+(?:past|last)\s+(?P<u>week|month|year|decade|day|hour|fortnight)\b".to_string(),
            make_duration,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?P<p>over|during|at|on|for|through|until|till|into|by|since|after|before)\s+(?P<x>the\s+weekend)\b".to_string(),
            make_weekend,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        (
            r"\b(?P<u>years|months|weeks|days|hours|decades|minutes)(?P<tail>-long|-old)?\b".to_string(),
            make_duration_vague,
            Anchor::Unit,
            false,
            Gate::Any,
        ),
        // Sets.
        (
            r"\b(?P<w>daily|weekly|monthly|annually|yearly|nightly|hourly|fortnightly)\b".to_string(),
            make_set,
            Anchor::Set,
            true,
            Gate::Any,
        ),
        (
            format!(
                r"\b(?:every|each)\s+(?:(?P<n>other|{num})\s+)?(?P<u>day|week|month|year|morning|afternoon|evening|night|weekend|days|weeks|months|years|hours?|minutes)\b"
            ),
            make_set,
            Anchor::UnitEvery,
            true,
            Gate::Every,
        ),
        (format!(r"\b(?:every|each)\s+(?P<wd>{WD})\b"), make_set, Anchor::Weekday, true, Gate::EveryWeekday),
        (
            r"\b(?P<k>once|twice|three\s+times|four\s+times|\d+\s+times|several\s+times)\s+(?:a|per|each|every)\s+(?P<u>day|week|month|year)\b"
                .to_string(),
            make_set,
            Anchor::UnitEvery,
            true,
            Gate::PerUnit,
        ),
        (
            r"\b(?P<wdp>mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)\b".to_string(),
            make_set,
            Anchor::Weekday,
            true,
            Gate::PluralWeekday,
        ),
        // Vague references.
        (
            r"\b(?P<x>now|currently|presently|nowadays|at\s+present|at\s+the\s+moment)\b".to_string(),
            make_present,
            Anchor::Vague,
            false,
            Gate::Any,
        ),
        (
            r"\b(?P<x>recent\s+(?:days|weeks|months|years|times)|recently|lately)\b".to_string(),
            make_past,
            Anchor::Vague,
            false,
            Gate::Any,
        ),
        (r"\bin\s+(?P<x>the\s+past)\b".to_string(), make_past, Anchor::Vague, false, Gate::Any),
        (
            r"\b(?P<x>soon|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|the\s+coming\s+(?:days|weeks|months|years))\b".to_string(),
            make_future,
            Anchor::Vague,
            false,
            Gate::Any,
        ),
    ];
    rules
        .into_iter()
        .map(|(pattern, make, anchor, placeable, gate)| Rule {
            pattern,
            compiled: std::sync::OnceLock::new(),
            make,
            anchor,
            placeable,
            gate,
        })
        .collect()
});

/// Every expression the rules find in `text`, in text order, without overlaps: where
/// proposals overlap, the longest wins, then the earliest rule. No expression crosses a
/// blank line or the start of a block (`blocks`, byte offsets in order).
pub(super) fn find(text: &str, blocks: &[usize], placeable_only: bool) -> Vec<Found> {
    thread_local! {
        // Each thread its own copies: a regex shared between threads makes them queue
        // for its scratch space (the copies share the compiled programs).
        static LOCAL: std::cell::RefCell<Vec<Option<Compiled>>> =
            std::cell::RefCell::new(vec![None; RULES.len()]);
    }
    LOCAL.with_borrow_mut(|local| find_with(&RULES, local, text, blocks, placeable_only))
}

fn find_with(
    rules: &[Rule],
    local: &mut [Option<Compiled>],
    text: &str,
    blocks: &[usize],
    placeable_only: bool,
) -> Vec<Found> {
    let lower = text.to_ascii_lowercase();
    let mut proposals: Vec<(usize, Found)> = Vec::new();
    // The kinds of anchor the rules of this mode need.
    let mut wanted = [false; 10];
    for r in rules.iter().filter(|r| r.placeable || !placeable_only) {
        wanted[r.anchor as usize] = true;
    }
    let anchors = all_anchors(
        text,
        &lower,
        |anchor| wanted[anchor as usize],
        placeable_only,
    );
    // Windows by kind of anchor and gate: rules with both in common share them.
    let mut shared: Vec<((Anchor, Gate), Spans)> = Vec::new();
    for (rank, rule) in rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.placeable || !placeable_only)
    {
        let key = (rule.anchor, rule.gate);
        let at = match shared.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let list = windows(&lower, &anchors[rule.anchor as usize], rule.gate);
                shared.push((key, list));
                shared.len() - 1
            }
        };
        if shared[at].1.is_empty() {
            continue;
        }
        let compiled = local[rank].get_or_insert_with(|| rule.compiled().clone());
        let mut locations = compiled.re.capture_locations();
        for &(a, b) in &shared[at].1 {
            // Windows end at whitespace, so words are never cut; offsets inside
            // are relative to the window.
            let (low, orig) = (&lower[a..b], &text[a..b]);
            let mut from = 0;
            while from <= low.len() {
                let Some(whole) = compiled.re.captures_read_at(&mut locations, low, from) else {
                    break;
                };
                // The next search starts where this match ends (past it when empty, as
                // an iterator over matches does).
                from = if whole.is_empty() {
                    low[whole.end()..]
                        .chars()
                        .next()
                        .map_or(low.len() + 1, |c| whole.end() + c.len_utf8())
                } else {
                    whole.end()
                };
                let caps = Caps {
                    hay: low,
                    locations: &locations,
                    names: &compiled.names,
                };
                // "may" and "march" are verbs, "Sunday Times" a name: month and
                // weekday names count only with their capital.
                let lowercase = compiled
                    .capitals
                    .iter()
                    .filter_map(|&i| caps.get(i))
                    .any(|g| !capital_at(orig, g.start()));
                if lowercase {
                    continue;
                }
                let Some(h) = (rule.make)(&caps, orig) else {
                    continue;
                };
                let whole = caps.get(0).expect("group 0 always matches");
                let (start, end) = h.span.unwrap_or_else(|| {
                    compiled
                        .x
                        .and_then(|x| caps.get(x))
                        .map_or((whole.start(), whole.end()), |x| (x.start(), x.end()))
                });
                // "16", blank lines, "weeks": the rules' spaces may be line breaks, but
                // an expression stays within a paragraph and a block.
                let (from, to) = (a + start.min(whole.start()), a + end.max(whole.end()));
                if crosses_a_break(text, blocks, from, to) {
                    continue;
                }
                proposals.push((
                    rank,
                    Found {
                        start: a + start,
                        end: a + end,
                        under: h.under,
                        confidence: h.confidence,
                    },
                ));
            }
        }
    }
    proposals.sort_by(|(ra, a), (rb, b)| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
            .then(ra.cmp(rb))
    });
    // Accepted spans by start; a proposal is free when neither neighbour overlaps it.
    let mut taken: std::collections::BTreeMap<usize, Found> = std::collections::BTreeMap::new();
    for (_, f) in proposals {
        let before_free = taken
            .range(..=f.start)
            .next_back()
            .is_none_or(|(_, t)| t.end <= f.start);
        let after_free = taken
            .range(f.start..)
            .next()
            .is_none_or(|(&s, _)| f.end <= s);
        if before_free && after_free {
            taken.insert(f.start, f);
        }
    }
    taken.into_values().collect()
}

/// True when the bytes `from..to` of `text` hold a blank line (spaces, tabs and
/// carriage returns only) or the start of one of `blocks`.
fn crosses_a_break(text: &str, blocks: &[usize], from: usize, to: usize) -> bool {
    let next = blocks.partition_point(|&b| b <= from);
    if blocks.get(next).is_some_and(|&b| b < to) {
        return true;
    }
    let bytes = &text.as_bytes()[from..to];
    bytes
        .iter()
        .enumerate()
        .any(|(i, &c)| c == b'\n' && super::blank_line_after(bytes, i))
}

fn month_number(name: &str) -> Option<u32> {
    let key: String = name
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    let m = match key.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday(name: &str) -> Option<Weekday> {
    name.to_ascii_lowercase().trim_end_matches('s').parse().ok()
}

fn rel(caps: &Caps) -> Rel {
    match caps.name("rel").map(|m| m.as_str().to_ascii_lowercase()) {
        None => Rel::Bare,
        Some(r) => match r.split_whitespace().last().unwrap_or("") {
            "last" | "past" | "previous" => Rel::Last,
            "this" | "current" => Rel::This,
            "next" | "coming" => Rel::Next,
            _ => Rel::Bare,
        },
    }
}

/// A number written in digits or words; `None` inside means vague ("several").
fn number(text: &str) -> Option<Option<f64>> {
    let t = text.to_ascii_lowercase();
    let t = crate::markdown::collapse_whitespace(&t);
    if let Ok(n) = t.parse::<f64>() {
        return Some(Some(n));
    }
    let word = |w: &str| -> Option<f64> {
        Some(match w {
            "a" | "an" | "one" => 1.0,
            "two" | "a couple" | "a couple of" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            "eleven" => 11.0,
            "twelve" | "a dozen" | "dozen" => 12.0,
            "thirteen" => 13.0,
            "fourteen" => 14.0,
            "fifteen" => 15.0,
            "sixteen" => 16.0,
            "seventeen" => 17.0,
            "eighteen" => 18.0,
            "nineteen" => 19.0,
            "twenty" => 20.0,
            "thirty" => 30.0,
            "forty" => 40.0,
            "fifty" => 50.0,
            "sixty" => 60.0,
            "seventy" => 70.0,
            "eighty" => 80.0,
            "ninety" => 90.0,
            "hundred" | "a hundred" => 100.0,
            "half" | "a half" => 0.5,
            _ => return None,
        })
    };
    if let Some(n) = word(&t) {
        return Some(Some(n));
    }
    if let Some((tens, ones)) = t.split_once('-')
        && let (Some(a), Some(b)) = (word(tens), word(ones))
    {
        return Some(Some(a + b));
    }
    matches!(t.as_str(), "several" | "few" | "a few" | "many" | "some").then_some(None)
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn duration_value(n: Option<f64>, unit: Unit, times: f64) -> String {
    let (prefix, suffix) = unit.designator();
    let amount = n.map_or("X".to_string(), |n| format_number(n * times));
    format!("{prefix}{amount}{suffix}")
}

/// The word before byte `at`, lowercased, without trailing punctuation.
fn word_before(text: &str, at: usize) -> String {
    let before = text[..at].trim_end();
    // After the separator, which may be longer than a byte (U+0085 is whitespace).
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |(p, c)| p + c.len_utf8());
    before[start..].to_lowercase()
}

/// The word after byte `at`, lowercased.
fn word_after(text: &str, at: usize) -> String {
    text[at..]
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn int(caps: &Caps, name: &str) -> Option<i64> {
    caps.name(name)?.as_str().parse().ok()
}

fn make_full_date(caps: &Caps, _: &str) -> Option<Hit> {
    let m = month_number(caps.name("mon")?.as_str())?;
    let d = day(int(caps, "y")? as i32, m, int(caps, "d")? as u32)?;
    hit(Under::Day(d), 0.95)
}

fn make_iso(caps: &Caps, text: &str) -> Option<Hit> {
    let whole = caps.get(0)?;
    // Part of a longer number or identifier (`2025-04-18-1`, `x2025-04-18`).
    if text[whole.end()..].starts_with(['-', '/']) || text[..whole.start()].ends_with(['/', '-']) {
        return None;
    }
    let d = day(
        int(caps, "y")? as i32,
        int(caps, "m")? as u32,
        int(caps, "d")? as u32,
    )?;
    hit(Under::Day(d), 0.98)
}

fn make_month_year(caps: &Caps, _: &str) -> Option<Hit> {
    let m = month_number(caps.name("mon")?.as_str())?;
    hit(Under::Month(int(caps, "y")? as i32, m), 0.93)
}

fn make_month_day(caps: &Caps, text: &str) -> Option<Hit> {
    let m = month_number(caps.name("mon")?.as_str())?;
    let d = int(caps, "d")? as u32;
    let whole = caps.get(0)?;
    let after = &text[whole.end()..];
    // "May 3:30", "June 12,000", "Route 7 May…": not dates.
    if after.starts_with([':', ',']) && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if after.starts_with(|c: char| c.is_ascii_digit() || c == '%') {
        return None;
    }
    day(2000, m, d)?; // 2000 is a leap year: 29 February is possible
    let confidence = if caps.name("wd").is_some() { 0.9 } else { 0.85 };
    hit(Under::MonthDay(m, d, Rel::Bare), confidence)
}

fn make_decade(caps: &Caps, _: &str) -> Option<Hit> {
    let decade = match caps.name("dec") {
        Some(d) => d.as_str().parse().ok()?,
        None => {
            let d: i32 = caps.name("d2")?.as_str().parse().ok()?;
            if d >= 3 { 190 + d } else { 200 + d }
        }
    };
    hit(Under::Decade(decade), 0.85)
}

/// True when the character at byte `at` of `text` is a capital letter.
fn capital_at(text: &str, at: usize) -> bool {
    text[at..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// True when the word after byte `at` of `text`, one space away, has a capital: the
/// expression before it is then part of a name ("21st Century Fox", "the weekly
/// Charlie Hebdo").
fn capital_after(text: &str, at: usize) -> bool {
    text[at..].starts_with(' ') && capital_at(text, at + 1)
}

fn make_century(caps: &Caps, text: &str) -> Option<Hit> {
    let whole = caps.get(0)?;
    if text[..whole.end()].ends_with("Century") && capital_after(text, whole.end()) {
        return None;
    }
    let n: i32 = int(caps, "n")? as i32;
    (1..=21)
        .contains(&n)
        .then(|| hit(Under::Century(n - 1), 0.85))
        .flatten()
}

/// Words that, right after a four-digit number, show it is a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "people",
    "troops",
    "soldiers",
    "civilians",
    "families",
    "children",
    "homes",
    "houses",
    "buildings",
    "tonnes",
    "tons",
    "dollars",
    "rockets",
    "missiles",
    "drones",
    "fighters",
    "members",
    "workers",
    "residents",
    "refugees",
    "prisoners",
    "hostages",
    "detainees",
    "displaced",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "metres",
    "meters",
    "men",
    "women",
    "units",
    "trucks",
    "lorries",
    "votes",
    "cases",
    "deaths",
    "dead",
    "killed",
    "wounded",
    "injured",
    "strong",
    "percent",
    "tents",
    "beds",
    "patients",
    "pounds",
    "euros",
    "shekels",
    "dinars",
    "barrels",
    "jobs",
    "students",
    "staff",
    "vehicles",
    "aid",
    "meals",
    "times",
    "hours",
    "points",
    "feet",
    "acres",
    "hectares",
    "GMT",
    "gmt",
    "utc",
    "local",
];

/// Words that, right before a four-digit number, show it is a number or a name.
const NUMBER_PREFIXES: &[&str] = &[
    "resolution",
    "route",
    "highway",
    "no.",
    "no",
    "number",
    "flight",
    "unit",
    "brigade",
    "article",
    "section",
    "room",
    "squadron",
    "division",
    "regiment",
    "item",
    "platform",
    "code",
    "model",
    "battalion",
    "bill",
    "decree",
    "order",
    "batch",
    "page",
    "pages",
    "about",
    "some",
    "nearly",
    "almost",
    "over",
    "than",
    "around",
    "least",
    "approximately",
    "roughly",
];

fn make_year(caps: &Caps, text: &str) -> Option<Hit> {
    let y = int(caps, "y")? as i32;
    let whole = caps.get(0)?;
    let fuzzy = caps.name("mod").is_some();
    // "early 2024-01-12": the year begins a date, which is the ISO rule's (as long as
    // "early 2024", it would win the tie and hide the date a build keeps).
    let tail = text.as_bytes().get(whole.end()..whole.end() + 6);
    if fuzzy
        && tail.is_some_and(|t| {
            t[0] == b'-' && t[3] == b'-' && [1, 2, 4, 5].iter().all(|&k| t[k].is_ascii_digit())
        })
    {
        return None;
    }
    if !fuzzy {
        let start = whole.start();
        let before = &text[..start];
        if before.ends_with(['$', '£', '€', '#', ',', '.', '/', '-', ':', '+'])
            || NUMBER_PREFIXES.contains(&word_before(text, start).as_str())
        {
            return None;
        }
        let after = &text[whole.end()..];
        if after.starts_with([',', '.', ':', '/', '%'])
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
            || after.starts_with('%')
            || after.starts_with("-strong")
        {
            return None;
        }
        let next = word_after(text, whole.end());
        if COUNT_NOUNS.contains(&next.as_str()) {
            return None;
        }
    }
    // Years before 1900 only after a preposition ("in 1163", "since 1814"): a bare
    // four-digit number that old is more often a count.
    if y < 1900
        && !fuzzy
        && ![
            "in", "since", "from", "until", "by", "of", "between", "and", "to", "before", "after",
            "around", "circa",
        ]
        .contains(&word_before(text, whole.start()).as_str())
    {
        return None;
    }
    hit(Under::Year(y), if fuzzy { 0.85 } else { 0.8 })
}

fn season_code(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        _ => "WI",
    }
}

fn make_season(caps: &Caps, text: &str) -> Option<Hit> {
    let season = caps.name("s")?;
    let s = season_code(season.as_str());
    let year = int(caps, "y").map(|y| y as i32);
    let r = rel(caps);
    if season.as_str().eq_ignore_ascii_case("fall") && r == Rel::Bare {
        return None;
    }
    // "The Summer Olympics", "the Arab Spring": a capital makes a season part of a
    // name, unless a year follows ("Summer 2021").
    if year.is_none() && capital_at(text, season.start()) {
        return None;
    }
    hit(
        Under::Season(year, s, r),
        if year.is_some() { 0.9 } else { 0.75 },
    )
}

fn make_quarter(caps: &Caps, _: &str) -> Option<Hit> {
    let q = match caps.name("q")?.as_str().to_ascii_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        _ => 4,
    };
    hit(Under::Quarter(int(caps, "y").map(|y| y as i32), q), 0.8)
}

/// Words before "May" or "March" that make them months rather than a verb or a noun.
const MONTH_CONTEXT: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "of",
    "during",
    "through",
    "throughout",
    "between",
    "and",
    "or",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "for",
    "around",
    "on",
    "coming",
    "past",
];

fn make_month_of_year(caps: &Caps, _: &str) -> Option<Hit> {
    let m = month_number(caps.name("mon")?.as_str())?;
    let offset = match caps.name("yrel")?.as_str() {
        "last" => -1,
        "next" => 1,
        _ => 0,
    };
    hit(Under::MonthOfYear(m, offset), 0.9)
}

fn make_month(caps: &Caps, text: &str) -> Option<Hit> {
    let name = caps.name("mon")?;
    let m = month_number(name.as_str())?;
    let anchored = caps.name("mod").is_some() || caps.name("rel").is_some();
    if !anchored && (m == 3 || m == 5) {
        let before = word_before(text, caps.get(0)?.start());
        if !MONTH_CONTEXT.contains(&before.as_str()) {
            return None;
        }
    }
    let r = rel(caps);
    hit(
        Under::MonthOnly(m, r),
        if r == Rel::Bare { 0.75 } else { 0.85 },
    )
}

/// Newspapers and other names that start with a weekday.
const WEEKDAY_NAMES: &[&str] = &[
    "times",
    "telegraph",
    "express",
    "mirror",
    "herald",
    "post",
    "mail",
    "prayers",
    "prayer",
    "agreement",
    "sermon",
];

/// Words before a weekday that make it part of a name ("Good Friday").
const WEEKDAY_NAME_PREFIXES: &[&str] = &[
    "good", "black", "holy", "ash", "palm", "easter", "bloody", "super", "cyber",
];

fn make_weekday(caps: &Caps, text: &str) -> Option<Hit> {
    let wd = weekday(caps.name("wd")?.as_str())?;
    let whole = caps.get(0)?;
    if caps.name("part").is_none()
        && (WEEKDAY_NAMES.contains(&word_after(text, whole.end()).as_str())
            || WEEKDAY_NAME_PREFIXES.contains(&word_before(text, whole.start()).as_str()))
    {
        return None;
    }
    let part = caps.name("part").and_then(|p| Part::parse(p.as_str()));
    let r = rel(caps);
    hit(
        Under::Weekday(wd, r, part),
        if r == Rel::Bare { 0.75 } else { 0.85 },
    )
}

/// Words for days relative to the document date, or times of any day.
const DEICTIC_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "noon",
    "midday",
    "midnight",
];

/// The words that start a holiday's name: [`Gate::Holiday`] lets the holiday rule run
/// only near them (not near "eastern" or "laboratory", which start like two).
const HOLIDAY_WORDS: &[&str] = &[
    "christmas",
    "easter",
    "thanksgiving",
    "halloween",
    "valentine",
    "boxing",
    "labor",
    "memorial",
    "bastille",
    "armistice",
    "veterans",
];

/// "Christmas Day", "Easter Sunday", "Thanksgiving": written with a capital, as names
/// are ("boxing day" is not Boxing Day).
fn make_holiday(caps: &Caps, text: &str) -> Option<Hit> {
    let h = caps.name("h")?;
    // "the Good Friday Agreement", "Christmas Island" are names.
    if !capital_at(text, h.start()) || capital_after(text, h.end()) {
        return None;
    }
    let name = h
        .as_str()
        .replace('’', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // One word alone is often a modifier ("the Christmas tree", "an Easter message"):
    // it is the day after a preposition ("before Christmas", "at Easter").
    if !name.contains(' ') && !HOLIDAY_PREPOSITIONS.contains(&word_before(text, h.start()).as_str())
    {
        return None;
    }
    hit(Under::Holiday(Holiday::named(&name)?), 0.8)
}

/// Words before a one-word holiday's name that make it a day.
const HOLIDAY_PREPOSITIONS: &[&str] = &[
    "on", "at", "by", "before", "after", "since", "until", "till", "over", "for", "during",
    "around", "through", "from", "to", "of", "this", "last", "next", "ahead",
];

fn make_deictic(caps: &Caps, _: &str) -> Option<Hit> {
    let w = caps.name("w")?.as_str().to_ascii_lowercase();
    let part = caps.name("part").and_then(|p| Part::parse(p.as_str()));
    let (days, part) = match w.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["today"] | ["this"] => (0, part),
        ["tonight"] => (0, Some(Part::Night)),
        ["yesterday"] => (-1, part),
        ["tomorrow"] => (1, part),
        ["last"] => (-1, part),
        [.., "yesterday"] => (-2, part),
        [.., "tomorrow"] => (2, part),
        _ => return None,
    };
    hit(Under::Days(days, part), 0.9)
}

/// "over the weekend", "through the weekend": the weekend nearest the document date,
/// or this week's when the preposition reaches forward.
fn make_weekend(caps: &Caps, _: &str) -> Option<Hit> {
    let forward = matches!(
        caps.name("p")?.as_str(),
        "through" | "until" | "till" | "into"
    );
    hit(
        if forward {
            Under::Weekend(0)
        } else {
            Under::WeekendNear
        },
        0.7,
    )
}

fn make_offset(caps: &Caps, _: &str) -> Option<Hit> {
    let u = caps.name("u")?.as_str().to_ascii_lowercase();
    let n = match rel(caps) {
        Rel::Last => -1,
        Rel::Next => 1,
        _ => 0,
    };
    let confidence = if caps.name("mod").is_some() {
        0.8
    } else {
        0.88
    };
    if u == "weekend" {
        return hit(Under::Weekend(n), confidence);
    }
    let (unit, _) = Unit::parse(&u)?;
    hit(Under::Offset(unit, n), confidence)
}

fn make_ago(caps: &Caps, _: &str) -> Option<Hit> {
    let (unit, _) = Unit::parse(caps.name("u")?.as_str()).unwrap_or((Unit::Minute, 1.0));
    let n = match caps.name("n") {
        Some(n) => number(n.as_str())?,
        None => None,
    };
    let Some(n) = n else {
        return hit(Under::Ref("PAST_REF"), 0.6);
    };
    if n.fract() != 0.0 {
        return None;
    }
    let n = n as i64;
    let under = match unit {
        Unit::Minute | Unit::Hour => Under::Days(0, None),
        Unit::Day => Under::Days(-n, None),
        Unit::Week => Under::Days(-7 * n, None),
        other => Under::Offset(other, -n),
    };
    hit(under, 0.85)
}

fn make_later(caps: &Caps, _: &str) -> Option<Hit> {
    let (unit, times) = Unit::parse(caps.name("u")?.as_str())?;
    let n = number(caps.name("n")?.as_str())??;
    if n.fract() != 0.0 {
        return None;
    }
    let sign = if caps.name("dir")?.as_str().eq_ignore_ascii_case("later") {
        1
    } else {
        -1
    };
    let n = sign * (n * times) as i64;
    let under = match unit {
        Unit::Week => Under::Anaphor(Unit::Day, 7 * n, None),
        u => Under::Anaphor(u, n, None),
    };
    hit(under, 0.7)
}

fn make_anaphor(caps: &Caps, _: &str) -> Option<Hit> {
    let u = caps.name("u")?.as_str().to_ascii_lowercase();
    let offset = match (caps.name("rel"), caps.name("dir")) {
        (Some(r), _) => match r.as_str().to_ascii_lowercase().as_str() {
            "following" | "next" => 1,
            "previous" | "preceding" => -1,
            _ => 0,
        },
        (None, Some(d)) if d.as_str().eq_ignore_ascii_case("after") => 1,
        (None, Some(_)) => -1,
        (None, None) => 0,
    };
    let part = Part::parse(&u);
    let (unit, _) = match u.as_str() {
        "morning" | "afternoon" | "evening" | "night" => (Unit::Day, 1.0),
        "weekend" => (Unit::Week, 1.0),
        other => Unit::parse(other)?,
    };
    hit(Under::Anaphor(unit, offset, part), 0.65)
}

fn make_clock(caps: &Caps, text: &str) -> Option<Hit> {
    // "3 p.m. on Sunday": the time is Sunday's, but the expression is the time alone
    // (the weekday is one of its own). Without its capital, "sunday" is not a day, and
    // the time stays.
    let on = caps.name("wdon");
    let wd = caps
        .name("wd")
        .or(on.filter(|g| capital_at(text, g.start())))
        .and_then(|w| weekday(w.as_str()));
    // The clock's words ("noon", "3 p.m.") and what they give.
    let (time, under, confidence) = if let Some(w) = caps.name("w") {
        let h = if w.as_str().eq_ignore_ascii_case("midnight") {
            24
        } else {
            12
        };
        // "at noon" is a time; "noon prayers" too, but "high noon" not worth the risk.
        let before = word_before(text, caps.get(0)?.start());
        if ![
            "at", "by", "until", "before", "after", "around", "from", "since", "till",
        ]
        .contains(&before.as_str())
        {
            return None;
        }
        (w, Under::Clock(h, 0, wd), 0.7)
    } else {
        let mut h = int(caps, "h")? as u32;
        let m = caps
            .name("m")
            .map_or(Some(0), |m| m.as_str().parse().ok())?;
        if !(1..=12).contains(&h) || m > 59 {
            return None;
        }
        let ap = caps.name("ap")?;
        let pm = ap.as_str().to_ascii_lowercase().starts_with('p');
        if pm && h != 12 {
            h += 12;
        } else if !pm && h == 12 {
            h = 0;
        }
        (ap, Under::Clock(h, m, wd), 0.8)
    };
    let span = match on {
        Some(_) => Some((caps.get(0)?.start(), time.end())),
        None => None,
    };
    Some(Hit {
        span,
        ..hit(under, confidence)?
    })
}

fn make_duration_adjective(caps: &Caps, text: &str) -> Option<Hit> {
    let (unit, times) = Unit::parse(caps.name("u")?.as_str())?;
    let nm = caps.name("n")?;
    let n = number(nm.as_str())??;
    let whole = caps.get(0)?;
    // "18 month" without a hyphen is the plain duration rule's; "24 hour" needs one.
    if !text[whole.start()..whole.end()].contains('-') || of_a_month(text, nm.start(), nm.as_str())
    {
        return None;
    }
    hit(Under::Duration(duration_value(Some(n), unit, times)), 0.9)
}

fn make_duration(caps: &Caps, text: &str) -> Option<Hit> {
    let (unit, times) = Unit::parse(caps.name("u")?.as_str())?;
    let n = match caps.name("n") {
        Some(n) => number(n.as_str())?,
        None => Some(1.0),
    };
    if let Some(nm) = caps.name("n") {
        let w = nm.as_str().to_ascii_lowercase();
        // "a day" in "twice a day" or "$2 a day" is a rate, not a duration.
        if (w == "a" || w == "an")
            && ["once", "twice", "times", "per"].contains(&word_before(text, nm.start()).as_str())
        {
            return None;
        }
        // "one day" as "some day": "One day, she said…" is vague at best.
        if w == "one" && unit == Unit::Day && word_before(text, nm.start()).is_empty() {
            return None;
        }
        if of_a_month(text, nm.start(), &w) {
            return None;
        }
    }
    hit(Under::Duration(duration_value(n, unit, times)), 0.88)
}

/// True when the number `w` (as written) at byte `at` of `text` belongs to the month
/// named right before it: its year ("March 2025 months…") or, with nothing between,
/// its day ("May 20.9 minutes", "June 9-year-old"). A duration must then yield to the
/// date: the longer duration would hide it from the full tagger, while a build, which
/// does not look for durations, keeps it.
fn of_a_month(text: &str, at: usize, w: &str) -> bool {
    // The word as the date rules' `\b` sees it: its last letters ("…>July" is "July"),
    // with a dot or comma kept to tell "May 20" from "May, 20".
    let raw = word_before(text, at);
    let raw = raw
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.' || c == ','))
        .next()
        .unwrap_or("");
    let before = raw.trim_end_matches(['.', ',']);
    if !(MONTHS.contains(&before) || MONTH_ABBREVIATIONS.contains(&before)) {
        return false;
    }
    let day_digits = w.bytes().take_while(u8::is_ascii_digit).count();
    (w.len() == 4 && day_digits == 4) || (raw == before && (1..=2).contains(&day_digits))
}

/// A duration in two units ("an hour and 45 minutes": `PT1H45M`) or with a half
/// ("four and a half hours": `PT4H30M`, "two and a half weeks": `P2.5W`).
fn make_compound_duration(caps: &Caps, _: &str) -> Option<Hit> {
    let n = number(caps.name("n")?.as_str())??;
    if n.fract() != 0.0 {
        return None;
    }
    let value = if caps.name("half").is_some() {
        let (unit, _) = Unit::parse(caps.name("hu")?.as_str())?;
        let n = format_number(n);
        match unit {
            Unit::Minute => format!("PT{n}M30S"),
            Unit::Hour => format!("PT{n}H30M"),
            Unit::Day => format!("P{n}DT12H"),
            Unit::Year => format!("P{n}Y6M"),
            Unit::Week => format!("P{n}.5W"),
            Unit::Month => format!("P{n}.5M"),
            _ => return None,
        }
    } else {
        let (big, _) = Unit::parse(caps.name("u")?.as_str())?;
        let small = caps.name("u2")?.as_str().trim_end_matches('s');
        let m = format_number(number(caps.name("n2")?.as_str())??);
        let n = format_number(n);
        match (big, small) {
            (Unit::Minute, "second") => format!("PT{n}M{m}S"),
            (Unit::Hour, "minute") => format!("PT{n}H{m}M"),
            (Unit::Day, "hour") => format!("P{n}DT{m}H"),
            (Unit::Year, "month") => format!("P{n}Y{m}M"),
            _ => return None,
        }
    };
    hit(Under::Duration(value), 0.88)
}

fn make_duration_vague(caps: &Caps, text: &str) -> Option<Hit> {
    let u = caps.name("u")?;
    let (unit, _) = Unit::parse(u.as_str())?;
    let before = word_before(text, u.start());
    let after = word_after(text, u.end());
    let tail = caps.name("tail").is_some();
    let ok = tail
        || [
            "for", "over", "within", "in", "after", "took", "lasted", "spent", "than", "taking",
            "last", "lasting", "span", "spanning", "take", "takes", "lasts",
        ]
        .contains(&before.as_str())
        || (after == "of"
            && ["decades", "years", "months"].contains(&u.as_str().to_ascii_lowercase().as_str()));
    if !ok || ["recent", "the", "coming", "past"].contains(&before.as_str()) {
        return None;
    }
    hit(Under::Duration(duration_value(None, unit, 1.0)), 0.7)
}

fn make_set(caps: &Caps, text: &str) -> Option<Hit> {
    if let Some(w) = caps.name("w") {
        // "Daily" in "the Daily Star" is a name.
        if (capital_at(text, w.start()) && w.start() > 0) || capital_after(text, w.end()) {
            return None;
        }
        let v = match w.as_str() {
            "daily" | "nightly" => "P1D",
            "weekly" => "P1W",
            "fortnightly" => "P2W",
            "monthly" => "P1M",
            "hourly" => "PT1H",
            _ => "P1Y",
        };
        return hit(Under::Set(v.into()), 0.8);
    }
    if let Some(wd) = caps.name("wd").or_else(|| caps.name("wdp")) {
        let n = weekday(wd.as_str())?.number_from_monday();
        return hit(Under::Set(format!("XXXX-WXX-{n}")), 0.8);
    }
    let u = caps.name("u")?.as_str().to_ascii_lowercase();
    if let Some(part) = Part::parse(&u) {
        return hit(Under::Set(format!("XXXX-XX-XXT{}", part.code())), 0.8);
    }
    if u == "weekend" {
        return hit(Under::Set("XXXX-WXX-WE".into()), 0.8);
    }
    // "one round for each year of her life": each of a count, not a recurrence.
    let whole = caps.get(0)?;
    if whole.as_str().starts_with("each") && word_after(text, whole.end()) == "of" {
        return None;
    }
    let (unit, times) = Unit::parse(&u)?;
    let n = match caps.name("n") {
        Some(n) if n.as_str().eq_ignore_ascii_case("other") => Some(2.0),
        Some(n) => number(n.as_str())?,
        None => Some(1.0),
    };
    hit(Under::Set(duration_value(n, unit, times)), 0.8)
}

fn make_present(caps: &Caps, text: &str) -> Option<Hit> {
    let x = caps.name("x")?;
    // "now-defunct", "now that": not a reference to the present moment.
    if text[x.end()..].starts_with('-') {
        return None;
    }
    hit(Under::Ref("PRESENT_REF"), 0.6)
}

fn make_past(_: &Caps, _: &str) -> Option<Hit> {
    hit(Under::Ref("PAST_REF"), 0.6)
}

fn make_future(caps: &Caps, text: &str) -> Option<Hit> {
    let x = caps.name("x")?;
    if x.as_str().eq_ignore_ascii_case("soon")
        && ["as", "how"].contains(&word_before(text, x.start()).as_str())
    {
        return None;
    }
    hit(Under::Ref("FUTURE_REF"), 0.6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`anchor_words`] must find: per kind, one regular expression scan for its
    /// words (as prefixes, after `\b`; month and weekday names capitalised, in the
    /// original text), and the runs of digits.
    fn anchor_words_by_regex(original: &str) -> [Spans; 10] {
        let lower = original.to_ascii_lowercase();
        let mut out: [Spans; 10] = Default::default();
        // A kind's words, in order (a kind may have more than one list).
        let mut by_kind: Vec<(Anchor, Vec<String>)> = Vec::new();
        for (kind, words) in ANCHOR_WORDS {
            let capital = matches!(kind, Anchor::Month | Anchor::Weekday);
            let words = words.iter().map(|w| match capital {
                true => w[..1].to_ascii_uppercase() + &w[1..],
                false => w.to_string(),
            });
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, list)) => list.extend(words),
                None => by_kind.push((kind, words.collect())),
            }
        }
        for (kind, words) in by_kind {
            let capital = matches!(kind, Anchor::Month | Anchor::Weekday);
            let re = Regex::new(&format!(r"(?-u:\b)(?:{})", words.join("|"))).expect("valid");
            let hay = if capital { original } else { &lower };
            out[kind as usize] = re.find_iter(hay).map(|m| (m.start(), m.end())).collect();
        }
        let digits = Regex::new("[0-9]+").expect("valid");
        out[Anchor::Digit as usize] = digits
            .find_iter(&lower)
            .map(|m| (m.start(), m.end()))
            .collect();
        out
    }

    fn anchor_words_agree(text: &str) -> Result<(), String> {
        let lower = text.to_ascii_lowercase();
        let expected = anchor_words_by_regex(text);
        let found = anchor_words(text.as_bytes(), lower.as_bytes(), &[true; 10]);
        if found != expected {
            return Err(format!("{text:?}: {found:?} != {expected:?}"));
        }
        // Kinds not asked for are not looked for.
        let mut wanted = [false; 10];
        wanted[Anchor::Unit as usize] = true;
        let found = anchor_words(text.as_bytes(), lower.as_bytes(), &wanted);
        for (kind, spans) in found.iter().enumerate() {
            let want: &[(usize, usize)] = if kind == Anchor::Unit as usize {
                &expected[kind]
            } else {
                &[]
            };
            if spans != want {
                return Err(format!("{text:?}, units only: kind {kind}: {spans:?}"));
            }
        }
        Ok(())
    }

    #[test]
    fn anchor_words_are_found_as_by_a_regex_scan_per_kind() {
        anchor_words_agree(
            "for a fortnight, two days and nights; the afternoon's minutes. decades, \
             centuries: springs, falls, quarterly. yesterday-day_day 3day. On Monday \
             (MONDAY, monday) in March, Mar. 3, May 2025, Sept. 9 and MAY: nightly, now, \
             noon, the present moment, 2024-01-12, 9:30 p.m. Thursday; é-day, 12_000, \
             Christmas Eve, Easter, Veterans' Day, laboratory",
        )
        .expect("same hits");
        // Words, digits and edges at the ends of the text and of 64-byte blocks.
        for pad in 0..70 {
            let text = format!(
                "{}day 12 Friday{}now",
                "x ".repeat(pad / 2),
                " ".repeat(pad % 3)
            );
            anchor_words_agree(&text).expect("same hits");
        }
    }

    #[test]
    fn every_holiday_has_a_rule_and_a_day() {
        // A name whose first word no holiday rule runs near would never be found.
        for &(name, holiday) in HOLIDAYS {
            let first = first_word(name);
            assert!(
                HOLIDAY_WORDS.contains(&first) || ["good", "new"].contains(&first),
                "{name}"
            );
            assert!(holiday.on(2025).is_some(), "{name}");
        }
        // The last Monday of May, in a May with five Mondays and in one with four.
        let memorial = Holiday::Nth(5, Weekday::Mon, 0);
        assert_eq!(memorial.on(2021), NaiveDate::from_ymd_opt(2021, 5, 31));
        assert_eq!(memorial.on(2024), NaiveDate::from_ymd_opt(2024, 5, 27));
    }

    proptest::proptest! {
        #[test]
        fn anchor_words_match_a_regex_scan_per_kind(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "day", "week", "month", "year", "minute", "hour", "night", "morning",
                    "afternoon", "evening", "decade", "fortnight", "centur", "spring",
                    "summer", "autumn", "winter", "fall", "quarter", "s", "ly", "for",
                    "after", " ", "-", "_", "3", "2024", "é", ".", "Mon", "Monday", "MONDAY",
                    "Wednesday", "Sat", "Jan", "jan", "Sept", "May", "may", "today", "Tonight",
                    "now", "noon", "daily", "nightly", "current", "th", "the", "Thu", "x",
                    "Christmas", "easter", "Labor", "labour", "veterans",
                ]),
                0..60,
            )
        ) {
            let text = parts.concat();
            let agree = anchor_words_agree(&text);
            proptest::prop_assert!(agree.is_ok(), "{}", agree.unwrap_err());
        }
    }
}
