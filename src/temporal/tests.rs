use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn values(text: &str, dct: &str) -> Vec<(String, String)> {
    tag(text, d(dct))
        .into_iter()
        .map(|m| (m.text, m.value))
        .collect()
}

#[test]
fn smoke() {
    finds(
        "The ministry said on Thursday that talks would resume next week, after an 18-month offensive that began on Oct. 7, 2023.",
        "2025-04-18",
        &[
            ("Thursday", "2025-04-17"),
            ("next week", "2025-W17"),
            ("18-month", "P18M"),
            ("Oct. 7, 2023", "2023-10-07"),
        ],
    );
}

#[test]
fn prose_keeps_offsets_and_drops_markup() {
    let md = "**On Friday** [the ministry](https://x.org/2025/04/18) said — <b>café</b> 2025 > quote\n> Monday";
    let prose = prose_of_markdown(md).text;
    assert_eq!(prose.chars().count(), md.chars().count());
    assert!(!prose.contains("x.org") && !prose.contains('*') && !prose.contains("<b>"));
    assert!(
        prose.contains("On Friday") && prose.contains("café") && prose.contains("the ministry")
    );
    let found = tag(&prose, d("2025-04-23"));
    let texts: Vec<&str> = found.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Friday", "2025", "Monday"]);
    // Offsets count characters of the original Markdown.
    let chars: Vec<char> = md.chars().collect();
    let at: String = chars[found[2].start..found[2].end].iter().collect();
    assert_eq!(at, "Monday");
}

/// The sentences the tagger quotes for what it finds in Markdown `md`, in order.
fn quoted(md: &str) -> Vec<(String, String)> {
    tag_prose(&prose_of_markdown(md), d("2025-04-20"))
        .into_iter()
        .map(|m| (m.text, m.sentence))
        .collect()
}

#[test]
fn list_items_table_rows_and_headings_are_sentences_of_their_own() {
    let md = "Key points:\n- Talks resumed on Monday\n- A truce began on Jan. 19, 2025. \
              The UN welcomed it.\n* Aid arrived on Feb. 3, 2025\n\n1. Prisoners were freed \
              on March 1, 2025\n2) More on March 2, 2025\n\n## Timeline of April 2025\n\
              Quiet on Tuesday.\n\n| Date | Event |\n|---|:-:|\n| Feb. 9, 2025 | ceasefire |\n";
    let found = quoted(md);
    let sentences: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        sentences,
        [
            "Talks resumed on Monday",
            "A truce began on Jan. 19, 2025.",
            "Aid arrived on Feb. 3, 2025",
            "Prisoners were freed on March 1, 2025",
            "More on March 2, 2025",
            "Timeline of April 2025",
            "Quiet on Tuesday.",
            "Feb. 9, 2025 ceasefire",
        ],
        "{found:?}"
    );
}

#[test]
fn a_bullet_does_not_lend_its_tense_to_the_next() {
    // "will" in the next item is not this item's clause: Monday is the last one.
    let found = tag_prose(
        &prose_of_markdown("- Fighting on Monday\n- Talks will resume\n"),
        d("2025-04-20"),
    );
    assert_eq!(found[0].sentence, "Fighting on Monday");
    assert_eq!(found[0].value, "2025-04-14");
}

#[test]
fn fenced_code_rules_and_delimiter_rows_are_not_prose() {
    let md = "On Friday.\n\n```\n2023-10-07 server restarted on March 3, 2024\n```\n\n\
              ~~~ log\nJan. 5, 2024\n~~~\n---\n***\nSeen on Feb. 1, 2025.\n\n```\nunclosed \
              until the end: June 9, 2024\n";
    let prose = prose_of_markdown(md);
    assert_eq!(prose.text.chars().count(), md.chars().count());
    let texts: Vec<String> = quoted(md).into_iter().map(|(t, _)| t).collect();
    assert_eq!(texts, ["Friday", "Feb. 1, 2025"]);
}

#[test]
fn a_number_starting_a_wrapped_line_is_a_list_item_only_where_one_may_start() {
    // A year at the start of a wrapped line is a year; "1." may start a list anywhere,
    // other numbers after a blank line or another item.
    let found = quoted("The war began in\n2014. Since then, talks stalled.\n");
    assert_eq!(found[0].0, "2014", "{found:?}");
    let found = quoted("Steps:\n1. Talks on May 2, 2025\n2. Vote on May 9, 2025\n");
    let sentences: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(sentences, ["Talks on May 2, 2025", "Vote on May 9, 2025"]);
}

#[test]
fn blocks_keep_their_place_after_blanked_characters_of_several_bytes() {
    // The link target's "é" and "—" take one byte each in the prose: the item after it
    // still starts its own sentence, at the right place.
    let md = "Voir [l'article](https://x.org/é—é) du 3 mars.\n- Talks resumed on Monday\n- \
              Vote on Jan. 9, 2025\n";
    let prose = prose_of_markdown(md);
    for &b in &prose.blocks {
        assert!(prose.text.is_char_boundary(b) && prose.text.as_bytes()[b - 1] == b'\n');
    }
    let found = quoted(md);
    let sentences: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        sentences,
        ["Talks resumed on Monday", "Vote on Jan. 9, 2025"]
    );
}

#[test]
fn no_expression_crosses_a_blank_line_or_a_block() {
    // Plain text: "16" and "weeks" are paragraphs apart, and the date stays whole (the
    // span from "16" to "weeks" was longer than the date, and won).
    let found = values(
        "On 2025-03-16\n\n\n\n\n weeks of talks began.",
        "2025-04-20",
    );
    assert_eq!(
        found,
        [("2025-03-16".to_string(), "2025-03-16".to_string())]
    );
    // Markdown: "May" ends one item and "9" starts the next.
    let texts: Vec<String> = quoted("- Talks in May\n- 9 people died\n")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(texts, ["May"]);
}

#[test]
fn whitespace_only_lines_end_paragraphs() {
    // A line of spaces, or a Windows line end, between two paragraphs without full stops.
    for text in [
        "Talks on Monday\n   \nVote on Friday",
        "Talks on Monday\r\n\r\nVote on Friday",
    ] {
        let found = tag(text, d("2025-04-20"));
        assert_eq!(found[0].sentence, "Talks on Monday", "{text:?}");
        assert_eq!(found[1].sentence, "Vote on Friday", "{text:?}");
    }
}

#[test]
fn prose_blanks_bare_urls_only_where_a_word_starts() {
    let md = "See https://a.org/2025-04-18 and *HTTP://b.org/x), www.c.org/Monday or \
              awww.d/Tuesday and xhttp://e/Friday, ftp://f/Sunday.";
    let prose = prose_of_markdown(md).text;
    assert_eq!(prose.chars().count(), md.chars().count());
    for gone in ["a.org", "b.org", "c.org"] {
        assert!(!prose.contains(gone), "{gone} in {prose}");
    }
    // Not at a word's start, or not http(s)/www: kept as prose.
    for kept in ["awww.d/Tuesday", "xhttp://e/Friday", "ftp://f/Sunday"] {
        assert!(prose.contains(kept), "{kept} not in {prose}");
    }
    assert!(prose.contains("), ") && prose.contains(" or "));
}

#[test]
fn mention_day_and_month_read_the_value() {
    let m = |value: &str, grain| Mention {
        text: String::new(),
        start: 0,
        end: 0,
        sentence: String::new(),
        value: value.into(),
        kind: Kind::Date,
        grain,
        confidence: 1.0,
    };
    assert_eq!(m("2025-04-18", Grain::Day).day(), Some(d("2025-04-18")));
    assert_eq!(m("2025-04-18TNI", Grain::Time).day(), Some(d("2025-04-18")));
    assert_eq!(
        m("2025-04-18T15:00", Grain::Time).day(),
        Some(d("2025-04-18"))
    );
    for no_day in [
        "2025-04",
        "2025-W16",
        "XXXX-WXX-5",
        "P18M",
        "2025-02-30",
        "2025-4-18",
    ] {
        assert_eq!(m(no_day, Grain::Day).day(), None, "{no_day}");
    }
    assert_eq!(m("2025-04", Grain::Month).month(), Some(d("2025-04-01")));
    assert_eq!(m("2025-13", Grain::Month).month(), None);
    assert_eq!(m("2025-04", Grain::Day).month(), None);
    let report = d("2025-04-18");
    assert_eq!(m("2025-04-18", Grain::Day).layer_key(report), None);
    assert_eq!(
        m("2025-04-17TEV", Grain::Time).layer_key(report),
        Some((d("2025-04-17"), Grain::Day))
    );
    assert_eq!(m("2025-04", Grain::Month).layer_key(report), None);
    assert_eq!(
        m("2025-03", Grain::Month).layer_key(report),
        Some((d("2025-03-01"), Grain::Month))
    );
}

/// Runs of ASCII digits, one byte at a time: what `rules::digit_runs` must find.
fn digit_runs_naive(b: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            v.push((s, i));
        } else {
            i += 1;
        }
    }
    v
}

#[test]
fn digit_runs_are_found_eight_bytes_at_a_time() {
    // Runs across and at the edges of the eight-byte chunks, beside UTF-8 and beside
    // the bytes just outside '0'..='9' ('/' and ':').
    for text in [
        "",
        "7",
        "abc",
        "12345678",
        "a1b22c333d4444e55555f666666g7777777h88888888",
        "/9:0/",
        "é1é",
        "0123456789abcdefghij9",
        "\u{2019}42\u{2019}",
        "€2bn and $2.1bn",
        "@@@@@@@@@@@@@@@@1",
    ] {
        let b = text.as_bytes();
        assert_eq!(rules::digit_runs(b), digit_runs_naive(b), "{text:?}");
    }
}

/// Word and digit bits of a 64-byte block, one byte at a time: what
/// `rules::word_and_digit_bits` must give.
fn word_and_digit_bits_naive(block: &[u8; 64]) -> (u64, u64) {
    let bit = |i: usize, yes: bool| u64::from(yes) << i;
    block.iter().enumerate().fold((0, 0), |(w, d), (i, &c)| {
        let word = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_';
        (w | bit(i, word), d | bit(i, c.is_ascii_digit()))
    })
}

#[test]
fn word_and_digit_bits_read_every_byte_value_at_every_place() {
    // Every byte value at every place of a block: value v at place (v + shift) % 64.
    for shift in 0..64 {
        for part in 0..4 {
            let block: [u8; 64] = std::array::from_fn(|i| (part * 64 + (i + shift) % 64) as u8);
            let naive = word_and_digit_bits_naive(&block);
            assert_eq!(rules::word_and_digit_bits(&block), naive, "{block:?}");
            assert_eq!(rules::word_and_digit_bits_swar(&block), naive, "{block:?}");
        }
    }
}

proptest::proptest! {
    #[test]
    fn word_and_digit_bits_match_a_byte_loop(
        bytes in proptest::collection::vec(
            proptest::prop_oneof![
                b'0'..=b'9', b'_'..=b'a', b'y'..=b'{', b'/'..=b':', proptest::prelude::any::<u8>()
            ],
            64,
        )
    ) {
        let block: [u8; 64] = bytes.try_into().expect("64 bytes");
        let naive = word_and_digit_bits_naive(&block);
        proptest::prop_assert_eq!(rules::word_and_digit_bits(&block), naive);
        proptest::prop_assert_eq!(rules::word_and_digit_bits_swar(&block), naive);
    }

    #[test]
    fn digit_runs_match_a_byte_loop(
        bytes in proptest::collection::vec(
            proptest::prop_oneof![b'0'..=b'9', b'/'..=b':', proptest::prelude::any::<u8>()],
            0..64,
        )
    ) {
        proptest::prop_assert_eq!(rules::digit_runs(&bytes), digit_runs_naive(&bytes));
    }

    /// The search for markup 64 bytes at a time finds what a byte-by-byte one finds, for
    /// any sequence of starting points, forwards and backwards (markup bytes dense and
    /// sparse, near and across blocks).
    #[test]
    fn specials_match_a_byte_loop(
        bytes in proptest::collection::vec(
            proptest::prop_oneof![
                8 => b'a'..=b'z',
                1 => proptest::sample::select(b"]<*_#`|[!>:. \n;\\^9=@{Z".to_vec()),
                1 => proptest::prelude::any::<u8>(),
            ],
            0..300,
        ),
        starts in proptest::collection::vec(0usize..320, 1..12),
    ) {
        let mut specials = Specials::new(&bytes);
        for from in starts {
            let naive = bytes
                .get(from..)
                .and_then(|rest| rest.iter().position(|&c| SPECIAL[c as usize]))
                .map(|p| from + p);
            proptest::prop_assert_eq!(specials.next(from), naive, "from {}", from);
        }
    }
}

/// Text of letters, digits, apostrophes, ASCII and Unicode spaces, punctuation and
/// letters outside ASCII; half of the cases printable ASCII only.
fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy as _;
    let text = |chars: Vec<char>| {
        proptest::collection::vec(proptest::sample::select(chars), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>())
    };
    proptest::prop_oneof![
        text(vec!['a', 'Z', '7', '\'', ' ', ' ', '.', ',']),
        text(vec![
            'a', 'Z', '7', '\'', ' ', ' ', '\t', '\n', '\u{b}', '\u{85}', '\u{a0}', '\u{2009}',
            'é', 'ß', '٣', '.', ',', '-', '’',
        ]),
    ]
}

proptest::proptest! {
    /// The fast path for sentences that need nothing done gives what splitting on
    /// whitespace gives.
    #[test]
    fn collapse_whitespace_matches_split_and_join(s in mixed_text()) {
        let naive = s.split_whitespace().collect::<Vec<_>>().join(" ");
        proptest::prop_assert_eq!(crate::markdown::collapse_whitespace(&s), naive);
    }

    /// The byte-wise word walk finds the words a walk over characters finds.
    #[test]
    fn word_spans_match_a_character_walk(s in mixed_text()) {
        let mut naive = Vec::new();
        let mut start = None;
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            match (c.is_alphanumeric() || c == '\'', start) {
                (true, None) => start = Some(i),
                (false, Some(a)) => {
                    naive.push((a, i));
                    start = None;
                }
                _ => {}
            }
        }
        proptest::prop_assert_eq!(resolve::word_spans(&s).collect::<Vec<_>>(), naive);
    }
}

#[test]
fn no_abbreviation_is_longer_than_four_bytes() {
    // `sentence_end` compares only words of up to four bytes with them.
    for a in super::ABBREVIATIONS
        .iter()
        .chain(&super::rules::MONTH_ABBREVIATIONS)
    {
        assert!(a.len() <= 4, "{a}");
    }
}

/// Asserts that the full tagger finds exactly `expected` (expression, value) in `text`,
/// written on `dct`.
#[track_caller]
fn finds(text: &str, dct: &str, expected: &[(&str, &str)]) {
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|&(t, v)| (t.to_string(), v.to_string()))
        .collect();
    assert_eq!(values(text, dct), expected, "{text}");
}

#[test]
fn a_month_of_a_relative_year_is_one_expression() {
    const DCT: &str = "2025-04-18";
    finds(
        "Talks began in March last year.",
        DCT,
        &[("March last year", "2024-03")],
    );
    finds(
        "Prices rose in April of last year.",
        DCT,
        &[("April of last year", "2024-04")],
    );
    // Not the most recent June: the year says which.
    finds(
        "He was arrested in June this year.",
        DCT,
        &[("June this year", "2025-06")],
    );
    finds(
        "Elections are due in May next year.",
        DCT,
        &[("May next year", "2026-05")],
    );
    finds(
        "Fighting flared in early March last year.",
        DCT,
        &[("early March last year", "2024-03")],
    );
    // Without "year", or with other words between, the month stands alone.
    finds(
        "In March, last year's deal collapsed.",
        DCT,
        &[("March", "2025-03"), ("last year", "2024")],
    );
    // Both modes agree: a build places it on the same month.
    let placed = tag_placeable("Talks began in March last year.", d(DCT));
    assert_eq!(placed.len(), 1);
    assert_eq!(
        (placed[0].value.as_str(), placed[0].grain),
        ("2024-03", Grain::Month)
    );
}

#[test]
fn a_clock_time_on_a_weekday_is_that_days() {
    // Friday 18 April 2025: "3 p.m. on Sunday" is the Sunday before, and the time and
    // the weekday stay two expressions (as TimeBank annotates them).
    const DCT: &str = "2025-04-18";
    finds(
        "The truce took effect at 3 p.m. on Sunday.",
        DCT,
        &[("3 p.m.", "2025-04-13T15:00"), ("Sunday", "2025-04-13")],
    );
    finds(
        "It began at midnight on Sunday.",
        DCT,
        &[("midnight", "2025-04-13T24:00"), ("Sunday", "2025-04-13")],
    );
    // Directly before the weekday, the two are one expression, as before.
    finds(
        "Shelling stopped at 10 a.m. Sunday.",
        DCT,
        &[("10 a.m. Sunday", "2025-04-13T10:00")],
    );
    // Without its capital, "sunday" is no day: the time stays on the document date.
    finds(
        "Shelling at 3 p.m. on sunday.",
        DCT,
        &[("3 p.m.", "2025-04-18T15:00")],
    );
}

#[test]
fn a_participle_after_a_modal_and_be_is_not_the_past() {
    // Monday 12 September 2022.
    const DCT: &str = "2022-09-12";
    finds(
        "The funeral will be held on Sept. 19.",
        DCT,
        &[("Sept. 19", "2022-09-19")],
    );
    finds(
        "Talks would be held on Thursday.",
        DCT,
        &[("Thursday", "2022-09-15")],
    );
    finds(
        "A second round is set for Friday.",
        DCT,
        &[("Friday", "2022-09-16")],
    );
    // Without the modal, the participle is the past, as before.
    finds(
        "The funeral was held on Sept. 9.",
        DCT,
        &[("Sept. 9", "2022-09-09")],
    );
    finds(
        "Talks were held on Thursday.",
        DCT,
        &[("Thursday", "2022-09-08")],
    );
}

#[test]
fn a_clock_time_without_a_day_is_on_the_last_day_mentioned() {
    // Wednesday 13 November 2024.
    const DCT: &str = "2024-11-13";
    finds(
        "Rescuers reached the village on Monday. The first tremor struck at 4:10 a.m.",
        DCT,
        &[("Monday", "2024-11-11"), ("4:10 a.m.", "2024-11-11T04:10")],
    );
    // A clause that looks ahead is about today, whatever was mentioned before.
    finds(
        "Protests began on Monday. The curfew will begin at 8 p.m.",
        DCT,
        &[("Monday", "2024-11-11"), ("8 p.m.", "2024-11-13T20:00")],
    );
    // With no day mentioned, the document's.
    finds(
        "The first tremor struck at 4:10 a.m.",
        DCT,
        &[("4:10 a.m.", "2024-11-13T04:10")],
    );
}

#[test]
fn more_tense_cues() {
    // Wednesday 13 November 2024.
    const DCT: &str = "2024-11-13";
    // A participle after a modal and "remain" or "stay" is not the past.
    finds(
        "Schools will remain closed until Friday.",
        DCT,
        &[("Friday", "2024-11-15")],
    );
    finds(
        "Banks will stay shut until Monday.",
        DCT,
        &[("Monday", "2024-11-18")],
    );
    // "take effect", "must" and "should" look ahead.
    finds(
        "The new rules take effect on Saturday.",
        DCT,
        &[("Saturday", "2024-11-16")],
    );
    finds(
        "Leaders must now agree a budget in December.",
        DCT,
        &[("now", "PRESENT_REF"), ("December", "2024-12")],
    );
    finds(
        "The vote should take place on Friday.",
        DCT,
        &[("Friday", "2024-11-15")],
    );
    // Irregular participles are the past, even before a future cue.
    finds(
        "The new mayor, sworn in on Friday, has promised to cut fares.",
        DCT,
        &[("Friday", "2024-11-08")],
    );
}

#[test]
fn seasons_after_a_preposition_and_not_in_names() {
    // Wednesday 13 November 2024.
    const DCT: &str = "2024-11-13";
    finds(
        "The government hopes to finish the bridge by spring.",
        DCT,
        &[("spring", "2025-SP")],
    );
    finds(
        "Fighting eased during winter.",
        DCT,
        &[("winter", "2023-WI")],
    );
    finds("Athletes trained for the Winter Olympics.", DCT, &[]);
    finds(
        "The Summer 2028 Games will be held in Los Angeles.",
        DCT,
        &[("The Summer 2028", "2028-SU")],
    );
}

#[test]
fn the_weekend_is_the_nearest_one() {
    // Wednesday 13 November 2024, in ISO week 46.
    finds(
        "Protests continued over the weekend.",
        "2024-11-13",
        &[("the weekend", "2024-W45-WE")],
    );
    finds(
        "Rain is expected through the weekend.",
        "2024-11-13",
        &[("the weekend", "2024-W46-WE")],
    );
    finds(
        "Protesters will rally over the weekend.",
        "2024-11-13",
        &[("the weekend", "2024-W46-WE")],
    );
    // On a Saturday, this one.
    finds(
        "Protests continued over the weekend.",
        "2024-11-16",
        &[("the weekend", "2024-W46-WE")],
    );
}

#[test]
fn durations_in_two_units_or_with_a_half() {
    const DCT: &str = "2024-11-13";
    finds(
        "The meeting lasted an hour and 45 minutes.",
        DCT,
        &[("an hour and 45 minutes", "PT1H45M")],
    );
    finds(
        "The siege lasted two years and three months.",
        DCT,
        &[("two years and three months", "P2Y3M")],
    );
    finds(
        "The deal came after four and a half hours of talks.",
        DCT,
        &[("four and a half hours", "PT4H30M")],
    );
    finds(
        "The strike lasted two and a half weeks.",
        DCT,
        &[("two and a half weeks", "P2.5W")],
    );
}

#[test]
fn holidays_are_their_days() {
    finds(
        "Shops will close on Christmas Day.",
        "2024-11-13",
        &[("Christmas Day", "2024-12-25")],
    );
    finds(
        "Crowds gathered on Easter Sunday.",
        "2025-04-22",
        &[("Easter Sunday", "2025-04-20")],
    );
    finds(
        "Pilgrims marched on Good Friday.",
        "2024-04-02",
        &[("Good Friday", "2024-03-29")],
    );
    finds(
        "Families will travel for Thanksgiving.",
        "2024-11-13",
        &[("Thanksgiving", "2024-11-28")],
    );
    finds(
        "The parade was held on Memorial Day.",
        "2024-11-13",
        &[("Memorial Day", "2024-05-27")],
    );
    finds(
        "Florists were busy on Valentine’s Day.",
        "2025-02-20",
        &[("Valentine’s Day", "2025-02-14")],
    );
    finds(
        "Fireworks lit the sky on New Year's Eve.",
        "2025-01-02",
        &[("New Year's Eve", "2024-12-31")],
    );
    finds(
        "Shops stayed open until Christmas.",
        "2025-01-02",
        &[("Christmas", "2024-12-25")],
    );
    // Names, modifiers and the words in lowercase are not holidays.
    finds("The Christmas tree was lit.", "2024-11-13", &[]);
    finds("He praised the Good Friday Agreement.", "2024-11-13", &[]);
    finds("A boxing day for the champion.", "2024-11-13", &[]);
    finds(
        "The Christmas Island detention centre closed.",
        "2024-11-13",
        &[],
    );
    for (year, day) in [
        (2000, "2000-04-23"),
        (2019, "2019-04-21"),
        (2024, "2024-03-31"),
        (2038, "2038-04-25"),
    ] {
        assert_eq!(rules::Holiday::Easter(0).on(year), Some(d(day)));
    }
}

#[test]
fn names_are_not_sets_or_centuries() {
    const DCT: &str = "2024-11-13";
    finds("One round was fired for each year of her life.", DCT, &[]);
    finds("The studio was part of 21st Century Fox.", DCT, &[]);
    finds("The satirical weekly Charlie Hebdo was attacked.", DCT, &[]);
    // Still sets and centuries without the name.
    finds("Inspectors visit each year.", DCT, &[("each year", "P1Y")]);
    finds(
        "It dates from the 12th century.",
        DCT,
        &[("the 12th century", "11")],
    );
}

#[test]
fn a_plan_in_the_past_is_not_the_future() {
    // Wednesday 13 November 2024: "was due to take effect" tells of a plan made before.
    finds(
        "The truce was due to take effect on Tuesday.",
        "2024-11-13",
        &[("Tuesday", "2024-11-12")],
    );
    // "Independence Day" is every country's own: not read.
    finds("Crowds marked Independence Day.", "2024-11-13", &[]);
}

#[test]
fn a_build_finds_holidays_too() {
    // A build runs only the rules that place dates, near fewer anchor words: holidays
    // must be among them ("New Year's" hangs on "year", which a build otherwise reads
    // only after "last", "this", "next"…).
    let values = |text: &str| -> Vec<String> {
        tag_placeable(text, d("2025-01-02"))
            .into_iter()
            .map(|m| m.value)
            .collect()
    };
    assert_eq!(
        values("Fireworks lit the sky on New Year's Eve."),
        ["2024-12-31"]
    );
    assert_eq!(
        values("Pilgrims gathered on Christmas Day."),
        ["2024-12-25"]
    );
    assert_eq!(values("Churches filled on Good Friday."), ["2024-03-29"]);
    // A deictic word inside a longer one is not one.
    assert!(values("The midnighteek began.").is_empty());
    assert!(tag("The midnighteek began.", d("2025-01-02")).is_empty());
}

#[test]
fn a_build_does_not_look_for_what_it_cannot_show() {
    // A build keeps days, times and months. It does not look for weeks or years at all;
    // the full tagger does.
    const TEXT: &str = "Prices rose last week and this month, the steepest rise this year; \
                        talks ended last month and resume at the end of the month.";
    let placed: Vec<(String, String)> = tag_placeable(TEXT, d("2025-04-18"))
        .into_iter()
        .map(|m| (m.text, m.value))
        .collect();
    let month = |text: &str, value: &str| (text.to_string(), value.to_string());
    assert_eq!(
        placed,
        [
            month("this month", "2025-04"),
            month("last month", "2025-03"),
            month("the end of the month", "2025-04"),
        ]
    );
    assert_eq!(tag(TEXT, d("2025-04-18")).len(), 5);
    // "New Year's Day" hangs on "year": still found.
    let new_year = tag_placeable("Crowds gathered on New Year's Day.", d("2025-04-18"));
    assert_eq!(new_year.len(), 1);
}

#[test]
fn that_month_does_not_count_from_a_week() {
    // A week can straddle two months: "that month" counts from the last day or month
    // named, here March, not from last week, in April.
    finds(
        "Talks began in March. Fighting resumed last week, and that month ended badly.",
        "2025-04-16",
        &[
            ("March", "2025-03"),
            ("last week", "2025-W15"),
            ("that month", "2025-03"),
        ],
    );
    // With nothing to count from, it is a guess on the document's month.
    let guessed = tag(
        "Fighting resumed last week, and that month ended badly.",
        d("2025-04-16"),
    );
    assert_eq!(guessed[1].value, "2025-04");
    assert!(guessed[1].confidence < 0.6);
}

#[test]
fn an_interval_counts_from_a_day_or_month_only() {
    // A build does not look for seasons or weeks, so the second end of an interval
    // counts only from a day, time or month: both modes read "March" alike.
    const TEXT: &str = "Talks ran from the spring of 2024 to March.";
    let full = tag(TEXT, d("2025-04-18"));
    assert_eq!(full[1].value, "2025-03");
    assert_eq!(tag_placeable(TEXT, d("2025-04-18")), full[1..]);
    // From a month, it still counts forward: "from November to March" ends next year.
    finds(
        "Talks ran from November to March.",
        "2025-01-10",
        &[("November", "2024-11"), ("March", "2025-03")],
    );
}

#[test]
fn a_word_split_by_a_next_line_character_does_not_panic() {
    // U+0085 (NEL, two bytes in UTF-8) is whitespace: text decoded from Windows-1252 as
    // Latin-1 turns every "…" into one. Found by fuzzing: the word before a weekday was
    // cut inside it.
    const TEXT: &str = "Talks stalled\u{85}then Friday they resumed.";
    for found in [
        tag(TEXT, d("2025-04-18")),
        tag_placeable(TEXT, d("2025-04-18")),
    ] {
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, "2025-04-18");
    }
}

/// The sentence around byte `at`, one byte at a time: what `sentence_around` (which
/// searches with `memchr`) must find.
fn sentence_around_naive(text: &str, blocks: &[usize], at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let next_block = blocks.partition_point(|&b| b <= at);
    let block_start = next_block.checked_sub(1).map_or(0, |k| blocks[k]);
    let block_end = blocks.get(next_block).copied().unwrap_or(bytes.len());
    let stop = |i: usize| matches!(bytes[i], b'.' | b'!' | b'?');
    let mut start = block_start;
    for i in (block_start..at).rev() {
        if bytes[i] == b'\n' && blank_line_after(bytes, i) {
            start = i + 1;
            break;
        }
        if stop(i)
            && let Some(j) = sentence_end(text, i)
            && j <= at
        {
            start = j;
            break;
        }
    }
    let mut end = block_end;
    for i in at..block_end {
        if bytes[i] == b'\n' && blank_line_after(bytes, i) {
            end = i;
            break;
        }
        if stop(i)
            && let Some(j) = sentence_end(text, i)
        {
            end = j.min(block_end);
            break;
        }
    }
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (start + lead, (end - trail).max(start + lead))
}

proptest::proptest! {
    /// Sentence ends, abbreviations, quotes, blank and whitespace-only lines, block
    /// starts: `sentence_around` finds the sentence a byte loop finds, from every byte.
    #[test]
    fn sentence_around_matches_a_byte_loop(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "Talks", "resumed", "on", "May", "3", "Oct.", "Mr.", "U.S.", "a", "b.", "end.",
                "Why?", "Now!", "\"Yes.\"", "(so.)", "é.", "\n", "\n\n", "\n \t\r\n", "\r\n",
                ".", "!", "?", " ", "", "2.5",
            ]),
            0..30,
        ),
        cuts in proptest::collection::vec(0usize..200, 0..4),
    ) {
        let text = words.join(" ");
        let mut blocks: Vec<usize> = cuts
            .into_iter()
            .map(|c| c.min(text.len()))
            .filter(|&c| text.is_char_boundary(c))
            .collect();
        blocks.sort_unstable();
        blocks.dedup();
        for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            proptest::prop_assert_eq!(
                sentence_around(&text, &blocks, at),
                sentence_around_naive(&text, &blocks, at),
                "{:?} {:?} at {}", text, blocks, at
            );
        }
    }
}

#[test]
fn special_bits_read_every_byte_value_at_every_place() {
    // Every byte value at every place of a 64-byte block, against the table.
    for shift in 0..64 {
        for part in 0..4 {
            let block: [u8; 64] = std::array::from_fn(|i| (part * 64 + (i + shift) % 64) as u8);
            let table = block.iter().enumerate().fold(0u64, |bits, (k, &c)| {
                bits | u64::from(SPECIAL[c as usize]) << k
            });
            assert_eq!(special_bits(&block), table, "{block:?}");
        }
    }
}

/// A report filed in Bangkok at 6:50 on Thursday is dated Wednesday 23:50 in UTC. Its
/// "early on Thursday" is that Thursday, not the one six days before; the same text
/// with a plain document date (or one published early in the day, when no zone is a
/// day ahead yet) keeps reading backwards.
#[test]
fn the_day_after_a_late_document_date_is_the_writers_day() {
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let day = d("2020-10-14");
    let late = Dct::of_instant(day, at("2020-10-14T23:50:00Z"));
    assert!(late.next_day_near);
    // UTC+14 is the furthest zone ahead: from 10:00 UTC on, it is the next day there.
    assert!(Dct::of_instant(day, at("2020-10-14T10:00:00Z")).next_day_near);
    assert!(!Dct::of_instant(day, at("2020-10-14T09:59:00Z")).next_day_near);
    let read = |text: &str, dct: Dct| -> Vec<String> {
        tag_placeable(text, dct)
            .into_iter()
            .map(|m| m.value)
            .collect()
    };
    let text = "A state of emergency was declared early on Thursday. Police cleared the camp on Oct. 15, a day after Tuesday's march and Friday's rally.";
    assert_eq!(
        read(text, late),
        ["2020-10-15", "2020-10-15", "2020-10-13", "2020-10-09"]
    );
    assert_eq!(
        read(text, day.into()),
        ["2020-10-08", "2019-10-15", "2020-10-13", "2020-10-09"]
    );
    // Looking ahead is unchanged; the same day stays the same day.
    assert_eq!(
        read(
            "Talks will resume on Thursday; the vote was held on Wednesday.",
            late
        ),
        ["2020-10-15", "2020-10-14"]
    );
}
