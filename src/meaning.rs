//! What a short text is about, as a vector: the merge model's "meaning" feature (see
//! [`crate::stories`]), which sees that "Maduro cuts ties with Washington" and
//! "Venezuela breaks relations with the US" say one thing in different words.
//!
//! A text's vector is the sum of the vectors of its word pieces, looked up in a table
//! distilled from the sentence encoder all-MiniLM-L6-v2 (Apache-2.0) by
//! `tools/distill_meaning.py`: each of the encoder's 30,522 word pieces run through it
//! alone, centred, reduced to 128 dimensions and stored as int8 (`src/meaning.bin`,
//! 4 MB, compiled in). No encoder runs here: a vector costs a table lookup per piece.
//!
//! Texts are split as the encoder's own (BERT, uncased) tokenizer splits them:
//! transliterated to ASCII, lowercased, cut at spaces and punctuation, and each word
//! into the longest pieces of the vocabulary, left to right (`"unaffable"` →
//! `una ##ffa ##ble`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The table, as `tools/distill_meaning.py` writes it.
static TABLE_BYTES: &[u8] = include_bytes!("meaning.bin");

/// Dimensions of a vector.
pub const DIMS: usize = 128;

/// Words longer than this (in bytes) are one unknown piece, as in the encoder.
const MAX_WORD: usize = 100;

struct Table {
    /// Per piece: the scale of its int8 coordinates.
    scales: Vec<f32>,
    /// Pieces × [`DIMS`] int8 coordinates.
    coordinates: &'static [u8],
    /// Piece → id, for pieces that start a word. Hashed with FxHash: a word can take a
    /// lookup per length tried, and these keys are short.
    starts: FxHashMap<&'static str, u32>,
    /// The same for continuation pieces, keyed without their `##`.
    continuations: FxHashMap<&'static str, u32>,
    /// The longest piece, in bytes, without its `##`: no longer prefix is tried.
    longest: usize,
    /// The id of `[UNK]`.
    unknown: u32,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(TABLE_BYTES).expect("src/meaning.bin is well formed"))
}

/// Reads the table's layout (see `tools/distill_meaning.py`); `None` if it is not one.
fn parse(bytes: &'static [u8]) -> Option<Table> {
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"BRMV" || word(4)? != 1 || word(12)? as usize != DIMS {
        return None;
    }
    let pieces = word(8)? as usize;
    let scales_at = 16;
    let coordinates_at = scales_at + 4 * pieces;
    let vocabulary_at = coordinates_at + pieces * DIMS;
    let scales = bytes
        .get(scales_at..coordinates_at)?
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let coordinates = bytes.get(coordinates_at..vocabulary_at)?;
    let vocabulary = std::str::from_utf8(bytes.get(vocabulary_at..)?).ok()?;
    let (mut starts, mut continuations) = (FxHashMap::default(), FxHashMap::default());
    for (i, piece) in vocabulary.split('\n').enumerate() {
        match piece.strip_prefix("##") {
            Some(rest) if !rest.is_empty() => continuations.insert(rest, i as u32),
            _ => starts.insert(piece, i as u32),
        };
    }
    if starts.len() + continuations.len() != pieces {
        return None;
    }
    let unknown = *starts.get("[UNK]")?;
    let longest = starts
        .keys()
        .chain(continuations.keys())
        .map(|p| p.len())
        .max()?;
    Some(Table {
        scales,
        coordinates,
        starts,
        continuations,
        longest,
        unknown,
    })
}

/// A text's meaning: a unit vector, its coordinates scaled to int8.
#[derive(Debug, Clone)]
pub struct Meaning {
    coordinates: [i8; DIMS],
    /// The Euclidean norm of `coordinates` (0 for a text without pieces).
    norm: f32,
}

impl Meaning {
    /// The cosine of the angle between two meanings: 1 for one direction, about 0 for
    /// unrelated texts; 0 when either text has no pieces.
    pub fn similarity(&self, other: &Meaning) -> f64 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let dot: i32 = self
            .coordinates
            .iter()
            .zip(&other.coordinates)
            .map(|(&a, &b)| i32::from(a) * i32::from(b))
            .sum();
        f64::from(dot) / f64::from(self.norm) / f64::from(other.norm)
    }
}

/// How many word pieces the table knows: every id [`pieces`] gives is below it.
pub fn vocabulary_size() -> usize {
    table().scales.len()
}

/// The meaning of `text`: the sum of its pieces' vectors.
pub fn of(text: &str) -> Meaning {
    let table = table();
    let mut sum = [0f32; DIMS];
    for id in pieces(text) {
        let i = id as usize;
        let scale = table.scales[i];
        // A fixed-size row: the loop below compiles to vector instructions.
        let Some(row) = table.coordinates[i * DIMS..].first_chunk::<DIMS>() else {
            continue;
        };
        for (s, &c) in sum.iter_mut().zip(row) {
            *s += scale * f32::from(c as i8);
        }
    }
    let largest = sum.iter().fold(0f32, |m, x| m.max(x.abs()));
    let mut coordinates = [0i8; DIMS];
    if largest > 0.0 {
        for (c, s) in coordinates.iter_mut().zip(sum) {
            *c = (s / largest * 127.0).round() as i8;
        }
    }
    let norm = coordinates
        .iter()
        .map(|&c| f32::from(c) * f32::from(c))
        .sum::<f32>()
        .sqrt();
    Meaning { coordinates, norm }
}

/// The ids of the word pieces of `text`, as the encoder's tokenizer finds them.
pub fn pieces(text: &str) -> Vec<u32> {
    let table = table();
    // Most news text is ASCII already: transliterating it would only copy it.
    let mut ascii = if text.is_ascii() {
        text.to_string()
    } else {
        deunicode::deunicode(text)
    };
    ascii.make_ascii_lowercase();
    // About a piece per five bytes of news text.
    let mut ids = Vec::with_capacity(ascii.len() / 4);
    for word in ascii
        .split(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
        .flat_map(split_punctuation)
    {
        word_pieces(table, word, &mut ids);
    }
    ids
}

/// A word cut before and after each punctuation mark, each mark a word of its own
/// (`"u.s."` → `u`, `.`, `s`, `.`).
fn split_punctuation(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let len = if is_punctuation(first) {
            first.len_utf8()
        } else {
            rest.find(is_punctuation).unwrap_or(rest.len())
        };
        let (piece, after) = rest.split_at(len);
        rest = after;
        Some(piece)
    })
}

/// Punctuation as the encoder's tokenizer counts it in ASCII: every printable character
/// that is not a letter, digit or space (`$`, `+`, `^` and `` ` `` included).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_graphic() && !c.is_ascii_alphanumeric()
}

/// Appends the pieces of `word`: the longest prefix in the vocabulary, then the longest
/// `##` continuation, and so on; the whole word is `[UNK]` if some part has none.
fn word_pieces(table: &Table, word: &str, ids: &mut Vec<u32>) {
    if word.is_empty() {
        return;
    }
    if word.len() > MAX_WORD {
        ids.push(table.unknown);
        return;
    }
    let before = ids.len();
    let mut start = 0;
    while start < word.len() {
        // Longest match first; the word is ASCII, so every byte is a boundary.
        let pieces = if start == 0 {
            &table.starts
        } else {
            &table.continuations
        };
        let last = word.len().min(start + table.longest);
        let found = (start + 1..=last)
            .rev()
            .find_map(|end| pieces.get(&word[start..end]).map(|&id| (id, end)));
        match found {
            Some((id, end)) => {
                ids.push(id);
                start = end;
            }
            None => {
                ids.truncate(before);
                ids.push(table.unknown);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelt(text: &str) -> Vec<String> {
        let table = table();
        let mut by_id: Vec<String> = vec![String::new(); table.scales.len()];
        for (piece, &id) in &table.starts {
            by_id[id as usize] = piece.to_string();
        }
        for (piece, &id) in &table.continuations {
            by_id[id as usize] = format!("##{piece}");
        }
        pieces(text)
            .into_iter()
            .map(|id| by_id[id as usize].clone())
            .collect()
    }

    #[test]
    fn texts_split_into_the_encoders_word_pieces() {
        // As the encoder's own tokenizer splits them (checked with Hugging Face's
        // `tokenizers`, which keeps "—" whole where this transliterates it).
        assert_eq!(spelt("unaffable"), ["una", "##ffa", "##ble"]);
        // Accents go, case goes, punctuation stands alone.
        assert_eq!(
            spelt("Piñera's U.S. visit — \"ended\""),
            [
                "pine", "##ra", "'", "s", "u", ".", "s", ".", "visit", "-", "-", "\"", "ended",
                "\""
            ]
        );
        assert_eq!(spelt(&"x".repeat(MAX_WORD + 1)), ["[UNK]"]);
        assert!(spelt(" \n\t ").is_empty());
    }

    proptest::proptest! {
        /// Any text (any script, control characters, long runs) splits into known
        /// pieces, and two texts' similarity is a cosine.
        #[test]
        fn any_text_gives_known_pieces_and_a_cosine(a in "\\PC{0,300}", b in ".{0,120}") {
            let count = vocabulary_size();
            proptest::prop_assert!(pieces(&a).iter().all(|&id| (id as usize) < count));
            let s = of(&a).similarity(&of(&b));
            proptest::prop_assert!((-1.0001..=1.0001).contains(&s), "{}", s);
        }
    }

    #[test]
    fn paraphrases_are_closer_than_different_events() {
        let a = of("Maduro cuts diplomatic ties with the United States");
        let b = of("Venezuela breaks off relations with Washington");
        let c = of("Floods kill dozens in southern Brazil after heavy rain");
        assert!(
            a.similarity(&b) > a.similarity(&c) + 0.2,
            "{} {}",
            a.similarity(&b),
            a.similarity(&c)
        );
        assert!((a.similarity(&a) - 1.0).abs() < 1e-3);
        assert_eq!(of("").similarity(&a), 0.0);
    }
}
