//! The floor: the least work any tool must do to turn a folder of articles into pages —
//! walk, read, split the front matter, parse the YAML and the date, render the Markdown,
//! write one HTML file per article. No templates, no timelines, one thread. The
//! benchmark (`benches/compare.sh`) times it next to `briefing build` and Hugo, so the
//! distance to the machine's limit is a measured number.
//!
//! Usage: `cargo run --release --example floor -- CONTENT_DIR OUTPUT_DIR`

use std::path::Path;

use briefing::load::front_matter;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [content, output] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_DIR OUTPUT_DIR");
        return std::process::ExitCode::from(2);
    };
    match run(Path::new(content), Path::new(output)) {
        Ok(n) => {
            eprintln!("floor: {n} pages");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(content: &Path, output: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let split = front_matter::split(front_matter::strip_bom(&text))
            .map_err(|e| format!("{}: {}", entry.path().display(), e.message))?;
        let fm: serde_json::Map<String, serde_json::Value> = front_matter::parse_map(&split)
            .map_err(|e| format!("{}: {}", entry.path().display(), e.message))?;
        let date = fm.get("date").and_then(|d| d.as_str()).unwrap_or_default();
        let date = briefing::dates::parse_timestamp(date, chrono_tz::UTC)
            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        let mut html = String::with_capacity(split.body.len() * 3 / 2);
        let parser = pulldown_cmark::Parser::new_ext(split.body, briefing::markdown::options());
        pulldown_cmark::html::push_html(&mut html, parser);
        let slug = entry
            .path()
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        let dir = output.join(slug.as_ref());
        std::fs::create_dir_all(&dir)?;
        let title = fm.get("title").and_then(|t| t.as_str()).unwrap_or_default();
        let page = format!(
            "<!DOCTYPE html><html><head><title>{}</title></head><body><time>{}</time>{html}</body></html>",
            pulldown_cmark_escape_text(title),
            date.instant.to_rfc3339()
        );
        std::fs::write(dir.join("index.html"), page)?;
        pages += 1;
    }
    Ok(pages)
}

fn pulldown_cmark_escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
