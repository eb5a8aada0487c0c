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
    let v = values(
        "The ministry said on Thursday that talks would resume next week, after an 18-month offensive that began on Oct. 7, 2023.",
        "2025-04-18",
    );
    assert_eq!(
        v,
        vec![
            ("Thursday".into(), "2025-04-17".into()),
            ("next week".into(), "2025-W17".into()),
            ("18-month".into(), "P18M".into()),
            ("Oct. 7, 2023".into(), "2023-10-07".into()),
        ]
    );
}

#[test]
fn prose_keeps_offsets_and_drops_markup() {
    let md = "**On Friday** [the ministry](https://x.org/2025/04/18) said — <b>café</b> 2025 > quote\n> Monday";
    let prose = prose_of_markdown(md);
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
