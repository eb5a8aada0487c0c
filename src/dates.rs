//! Dates: the accepted front matter forms, the site time zone, and day/month bucketing.
//!
//! Part of the MODEL stage: pure functions on strings and chrono values, no I/O.
//! A `date` is an instant (date-only values mean midnight in the site time zone);
//! an `event_date` is a calendar period with a precision (year, month or day).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// When an article was reported: an absolute instant, remembering whether a time was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// The absolute instant (date-only values: midnight in the site time zone).
    pub instant: DateTime<Utc>,
    /// True when the front matter gave only a date: such articles sort before timed ones of
    /// the same day and show no time.
    pub date_only: bool,
}

impl Timestamp {
    /// The calendar day of this instant in `tz`.
    pub fn local_date(&self, tz: Tz) -> NaiveDate {
        self.instant.with_timezone(&tz).date_naive()
    }

    /// The document date the temporal tagger resolves the article's text against: its
    /// day in `tz`, and, when it has a time, whether its writer's day may already be
    /// the next (see [`crate::temporal::Dct`]).
    pub fn document_date(&self, tz: Tz) -> crate::temporal::Dct {
        let day = self.local_date(tz);
        if self.date_only {
            day.into()
        } else {
            crate::temporal::Dct::of_instant(day, self.instant)
        }
    }
}

/// How precisely an event date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year: `2020`.
    Year,
    /// Year and month: `2020-06`.
    Month,
    /// A calendar day: `2020-06-19`.
    Day,
}

/// When something happened: a calendar period (a year, a month or a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventDate {
    /// The first day of the period.
    pub start: NaiveDate,
    /// Year, month or day.
    pub precision: Precision,
}

impl EventDate {
    /// The period's canonical text: `2020`, `2020-06` or `2020-06-19`.
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.start.year()),
            Precision::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            Precision::Day => self.start.format("%Y-%m-%d").to_string(),
        }
    }

    /// Human label: `2020`, `June 2020`, `Friday 19 June 2020`.
    pub fn label(&self) -> String {
        match self.precision {
            Precision::Year => format!("{}", self.start.year()),
            Precision::Month => self.start.format("%B %Y").to_string(),
            Precision::Day => day_label(self.start),
        }
    }

    /// The last day of the period (the start itself for a day).
    pub fn end(&self) -> NaiveDate {
        let months = match self.precision {
            Precision::Day => return self.start,
            Precision::Month => 1,
            Precision::Year => 12,
        };
        // Periods start on the first of their month or year, so the next period's first
        // day minus one is this one's last.
        self.start
            .checked_add_months(chrono::Months::new(months))
            .and_then(|next| next.pred_opt())
            .unwrap_or(self.start)
    }

    /// True when `day` lies inside this period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        match self.precision {
            Precision::Year => day.year() == self.start.year(),
            Precision::Month => {
                day.year() == self.start.year() && day.month() == self.start.month()
            }
            Precision::Day => day == self.start,
        }
    }
}

/// `Friday 19 June 2020`: the weekday and the date, for day headings.
pub fn day_label(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// `June 2020`, for month headings.
pub fn month_label(day: NaiveDate) -> String {
    day.format("%B %Y").to_string()
}

/// Parses a `date`: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`, the same with `T`, or RFC 3339.
/// Values without an offset are in `tz`.
pub fn parse_timestamp(text: &str, tz: Tz) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Ok(Timestamp {
            instant: dt.with_timezone(&Utc),
            date_only: false,
        });
    }
    // RFC 3339 with a space instead of `T`, as YAML timestamps are often written.
    if let Ok(dt) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z")
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M%:z"))
    {
        return Ok(Timestamp {
            instant: dt.with_timezone(&Utc),
            date_only: false,
        });
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(Timestamp {
                instant: localize(naive, tz)?,
                date_only: false,
            });
        }
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) if is_full_date(text) => Ok(Timestamp {
            instant: start_of_day(day, tz),
            date_only: true,
        }),
        _ => Err(date_error(text)),
    }
}

/// The first instant of `day` in `tz`: midnight, or where a clock change skips
/// midnight (Baghdad on 1 May 1982), the first minute that exists.
fn start_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    (0..24 * 60)
        .find_map(|minute| {
            let t = day.and_hms_opt(minute / 60, minute % 60, 0)?;
            tz.from_local_datetime(&t).earliest()
        })
        .map_or_else(
            || day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// Parses an `event_date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a full timestamp is accepted
/// too and keeps its calendar day).
pub fn parse_event_date(text: &str, tz: Tz) -> Result<EventDate, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if text.len() == 4 && digits(text) {
        let year: i32 = text.parse().map_err(|_| date_error(text))?;
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| date_error(text))?;
        return Ok(EventDate {
            start,
            precision: Precision::Year,
        });
    }
    if text.len() == 7 && bytes[4] == b'-' && digits(&text[..4]) && digits(&text[5..]) {
        let year: i32 = text[..4].parse().map_err(|_| date_error(text))?;
        let month: u32 = text[5..].parse().map_err(|_| date_error(text))?;
        let start = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or_else(|| format!("`{text}` is not a real month"))?;
        return Ok(EventDate {
            start,
            precision: Precision::Month,
        });
    }
    let ts = parse_timestamp(text, tz).map_err(|_| {
        format!("invalid event date `{text}`: expected YYYY, YYYY-MM, YYYY-MM-DD or a timestamp")
    })?;
    Ok(EventDate {
        start: ts.local_date(tz),
        precision: Precision::Day,
    })
}

/// Parses a command-line day (`--date`, `--since`, `--until`): `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("invalid date `{text}`: expected YYYY-MM-DD"))
}

/// Parses a time zone name (`Asia/Baghdad`, `UTC`).
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        format!("unknown time zone `{name}`: use an IANA name such as `UTC` or `Asia/Baghdad`")
    })
}

fn is_full_date(text: &str) -> bool {
    // chrono accepts `2020-6-1`; the contract says YYYY-MM-DD, so insist on the widths.
    text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-'
}

fn localize(naive: NaiveDateTime, tz: Tz) -> Result<DateTime<Utc>, String> {
    // An ambiguous local time (clocks going back) takes the earlier instant; a time that
    // does not exist (clocks going forward) is an error rather than a silent shift.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|dt| dt.with_timezone(&Utc))
        .ok_or_else(|| format!("`{naive}` does not exist in time zone {tz} (clocks changed)"))
}

fn date_error(text: &str) -> String {
    let shaped_like_date = text.get(..10).is_some_and(|head| {
        head.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
    });
    if shaped_like_date {
        return format!("`{text}` is not a real calendar date");
    }
    format!(
        "invalid date `{text}`: expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339 (2025-04-22T10:30:00+03:00)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use test_case::test_case;

    const BAGHDAD: Tz = chrono_tz::Asia::Baghdad;

    #[test_case("2020-06-22", "2020-06-21T21:00:00+00:00", true; "date only is midnight in site zone")]
    #[test_case("2020-06-22 13:22", "2020-06-22T10:22:00+00:00", false; "local time")]
    #[test_case("2020-06-22 13:22:05", "2020-06-22T10:22:05+00:00", false; "local time with seconds")]
    #[test_case("2020-06-22T13:22:00", "2020-06-22T10:22:00+00:00", false; "T without offset")]
    #[test_case("2025-04-22T17:28:00+05:30", "2025-04-22T11:58:00+00:00", false; "rfc3339 offset")]
    #[test_case("2025-04-22T10:30:00Z", "2025-04-22T10:30:00+00:00", false; "rfc3339 utc")]
    #[test_case("2025-04-22 10:30:00+03:00", "2025-04-22T07:30:00+00:00", false; "space and offset")]
    fn parses_timestamps(input: &str, utc: &str, date_only: bool) {
        let ts = parse_timestamp(input, BAGHDAD).expect("valid");
        assert_eq!(ts.instant.to_rfc3339(), utc);
        assert_eq!(ts.date_only, date_only);
    }

    #[test_case("2020-02-30"; "impossible day")]
    #[test_case("2020-13-01"; "impossible month")]
    #[test_case("22/06/2020"; "wrong order")]
    #[test_case("2020-6-1"; "short widths")]
    #[test_case("yesterday"; "words")]
    #[test_case(""; "empty")]
    fn rejects_bad_timestamps(input: &str) {
        assert!(parse_timestamp(input, BAGHDAD).is_err());
    }

    #[test]
    fn impossible_date_says_so() {
        let err = parse_timestamp("2021-02-29", chrono_tz::UTC).unwrap_err();
        assert!(err.contains("not a real calendar date"), "{err}");
    }

    #[test]
    fn nonexistent_local_time_is_an_error() {
        // Europe/London skipped 01:00–02:00 on 2024-03-31.
        let err = parse_timestamp("2024-03-31 01:30", chrono_tz::Europe::London).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test_case("2020", Precision::Year, "2020-01-01", "2020")]
    #[test_case("2020-06", Precision::Month, "2020-06-01", "June 2020")]
    #[test_case("2020-06-19", Precision::Day, "2020-06-19", "Friday 19 June 2020")]
    fn parses_event_dates(input: &str, precision: Precision, start: &str, label: &str) {
        let e = parse_event_date(input, BAGHDAD).expect("valid");
        assert_eq!(e.precision, precision);
        assert_eq!(e.start.to_string(), start);
        assert_eq!(e.iso(), input);
        assert_eq!(e.label(), label);
    }

    #[test]
    fn period_ends() {
        let end = |s: &str| parse_event_date(s, BAGHDAD).unwrap().end().to_string();
        assert_eq!(end("2024-02"), "2024-02-29");
        assert_eq!(end("2025-12"), "2025-12-31");
        assert_eq!(end("2020"), "2020-12-31");
        assert_eq!(end("2020-06-19"), "2020-06-19");
    }

    #[test]
    fn event_date_rejects_bad_month() {
        assert!(parse_event_date("2020-13", BAGHDAD).is_err());
        assert!(parse_event_date("20201", BAGHDAD).is_err());
    }

    proptest! {
        #[test]
        fn any_valid_day_round_trips(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=31) {
            if let Some(day) = NaiveDate::from_ymd_opt(y, m, d) {
                let text = day.format("%Y-%m-%d").to_string();
                let ts = parse_timestamp(&text, BAGHDAD).unwrap();
                prop_assert!(ts.date_only);
                prop_assert_eq!(ts.local_date(BAGHDAD), day);
            }
        }

        #[test]
        fn any_timestamp_round_trips(
            secs in -2_000_000_000i64..4_000_000_000,
            offset_min in -14 * 60i32..=14 * 60,
            naive in proptest::bool::ANY,
        ) {
            let instant = DateTime::from_timestamp(secs, 0).unwrap();
            let offset = chrono::FixedOffset::east_opt(offset_min * 60).unwrap();
            let local = instant.with_timezone(&offset);
            let text = if naive {
                // No offset: read in the site's zone.
                instant.with_timezone(&BAGHDAD).format("%Y-%m-%dT%H:%M:%S").to_string()
            } else {
                local.to_rfc3339()
            };
            let ts = parse_timestamp(&text, BAGHDAD).unwrap();
            prop_assert!(!ts.date_only);
            if naive {
                // A local time that a clock change repeats may read as either instant.
                prop_assert!((ts.instant - instant).num_hours().abs() <= 1, "{text}");
            } else {
                prop_assert_eq!(ts.instant, instant, "{}", text);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_timestamp(&s, BAGHDAD);
            let _ = parse_event_date(&s, BAGHDAD);
        }
    }
}
