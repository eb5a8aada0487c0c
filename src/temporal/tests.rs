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
