//! Writes the merge model's training data: for each labelled set named (a folder of
//! `tests/fixtures/stories`), one JSON line per report (`set`, `i`, `story` label) and
//! one per candidate pair (`set`, `i`, `j`, `compatible`, `apart` (what keeps the pair
//! apart whatever its score, or null), `features` in
//! `briefing::stories::FEATURES` order). `tests/fixtures/stories/train.py` reads it:
//! `cargo run --release --example story_pairs -- labelled heldout … > pairs.jsonl`.

use std::collections::BTreeMap;
use std::path::Path;

use briefing::diagnostics::Diagnostics;
use briefing::timeline::Placement;
use briefing::{config, load, stories};

fn main() -> Result<(), String> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories");
    for set in std::env::args().skip(1) {
        let root = base.join(&set);
        let mut diags = Diagnostics::new();
        let site = config::load(&root.join("briefing.yaml"), None, &mut diags);
        let (articles, diags) =
            load::articles(&root.join("content"), &site, &root).map_err(|e| format!("{e:?}"))?;
        if diags.has_errors() {
            return Err(format!("{set}: {diags:?}"));
        }
        let labels: BTreeMap<String, String> = std::fs::read_to_string(root.join("labels.csv"))
            .map_err(|e| format!("{set}: labels.csv: {e}"))?
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(','))
            .map(|(f, s)| (f.to_string(), s.to_string()))
            .collect();
        for (i, a) in articles.iter().enumerate() {
            let file = Path::new(&a.path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let story = labels
                .get(&file)
                .ok_or_else(|| format!("{set}: {file} has no label"))?;
            println!(
                "{}",
                serde_json::json!({"set": set, "i": i, "story": story})
            );
        }
        let placements: Vec<Placement> = articles.iter().map(|a| Placement::of(a, &site)).collect();
        for (link, apart) in stories::scored_pairs(&articles, &placements, &site) {
            println!(
                "{}",
                serde_json::json!({"set": set, "i": link.a, "j": link.b,
                    "compatible": apart.is_none(), "apart": apart.map(|a| format!("{a:?}")),
                    "features": link.features})
            );
        }
    }
    Ok(())
}
