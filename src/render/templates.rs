//! The built-in templates and static assets, embedded from the repository's `templates/`.
//!
//! Part of the RENDER stage. `BUILTINS` is the single table of embedded files; `init
//! --eject-templates` writes it to disk. Files under `assets/` are copied verbatim to
//! `output/assets/`, never parsed as templates.

use std::path::Path;

macro_rules! builtin {
    ($n:literal) => {
        (
            $n,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $n)),
        )
    };
}

/// Every built-in file, by its path relative to `templates/`.
pub const BUILTINS: &[(&str, &str)] = &[
    builtin!("base.html"),
    builtin!("index.html"),
    builtin!("topics.html"),
    builtin!("topic.html"),
    builtin!("article.html"),
    builtin!("topic.md"),
    builtin!("entry.html"),
    builtin!("digest.md"),
    builtin!("digest.html"),
    builtin!("digests.html"),
    builtin!("feed.xml"),
    builtin!("assets/style.css"),
    builtin!("assets/search.js"),
];

/// The prefix under which built-ins stay reachable when a project overrides them:
/// `{% extends "builtin/topic.html" %}`.
pub const BUILTIN_PREFIX: &str = "builtin/";

/// The folder of static files inside `templates/`.
pub const ASSETS_DIR: &str = "assets/";

/// True for files that are copied rather than rendered.
pub fn is_asset(name: &str) -> bool {
    name.starts_with(ASSETS_DIR)
}

/// The built-in templates (not assets).
pub fn builtin_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTINS.iter().copied().filter(|(n, _)| !is_asset(n))
}

/// A file from a project's `templates/` folder.
#[derive(Debug, Clone)]
pub struct UserFile {
    /// Name relative to `templates/`, with `/` separators.
    pub name: String,
    /// Where it is on disk (for diagnostics).
    pub path: std::path::PathBuf,
    /// Its text.
    pub text: String,
}

/// Reads every file of a project's `templates/` folder (hidden files skipped). A missing
/// folder is an empty set.
pub fn read_user_files(dir: &Path) -> Result<Vec<UserFile>, crate::Error> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in crate::load::walk_visible(dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            crate::Error::read(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| crate::Error::read(entry.path(), e))?;
        files.push(UserFile {
            name,
            path: entry.into_path(),
            text,
        });
    }
    Ok(files)
}

/// Writes the built-ins into `dir` (for `init --eject-templates`), never overwriting a
/// file that exists. Returns the paths written.
pub fn eject(dir: &Path) -> Result<Vec<std::path::PathBuf>, crate::Error> {
    let mut written = Vec::new();
    for (name, text) in BUILTINS {
        let path = dir.join(name);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| crate::Error::write(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| crate::Error::write(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_match_the_templates_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let on_disk: Vec<String> = read_user_files(&dir)
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        let mut table: Vec<String> = BUILTINS.iter().map(|(n, _)| n.to_string()).collect();
        table.sort();
        let mut on_disk_sorted = on_disk.clone();
        on_disk_sorted.sort();
        assert_eq!(on_disk_sorted, table, "templates/ and BUILTINS differ");
    }
}
