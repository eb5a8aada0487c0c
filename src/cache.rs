//! The build cache: what `build` keeps between runs so that a rebuild does only the work
//! its changes need.
//!
//! It lives in its own folder (default `<root>/.briefing-cache/`), never inside
//! `output/`, and can be deleted at any time: a missing, unreadable or outdated cache
//! only means a full build. Files are in postcard, a compact binary serde format (the
//! cache of 10,000 articles reads in a few milliseconds). Every file in it records a key (the briefing version plus
//! whatever the data depends on); a key mismatch discards the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::Article;

/// The version of the cache layout and of everything it stores; part of every key.
/// Bump the counter when a stored value would now be computed differently: the layout,
/// or the tagger's mentions, which parsed articles keep.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/cache-5");

/// A cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache in `dir` (created on first store).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads `name` when it exists, parses, and was stored under `key`.
    pub fn get<T: DeserializeOwned>(&self, name: &str, key: u64) -> Option<T> {
        let bytes = std::fs::read(self.dir.join(name)).ok()?;
        // The key comes first, so an outdated file is rejected before it is decoded.
        let (stored, rest): (u64, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
        if stored != key {
            return None;
        }
        postcard::from_bytes(rest).ok()
    }

    /// Stores `data` as `name` under `key`, atomically (a temporary file renamed into
    /// place) and streamed, never held whole in memory. A cache that cannot be written
    /// is not an error for the build: the next build is simply a full one.
    pub fn put<T: Serialize>(&self, name: &str, key: u64, data: &T) -> bool {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            let tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp);
            let fail = |e: postcard::Error| std::io::Error::other(e.to_string());
            let w2 = postcard::to_io(&key, &mut w).map_err(fail)?;
            postcard::to_io(data, w2).map_err(fail)?;
            let tmp = w.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(self.dir.join(name)).map_err(|e| e.error)?;
            Ok(())
        };
        write().is_ok()
    }
}

/// A content file as the last build saw it, with what parsing it gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedFile {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// The article, when it parsed.
    pub article: Option<Article>,
    /// The problems found in it.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parsed articles by content-relative path.
pub type ParsedFiles = BTreeMap<String, CachedFile>;

/// Size and modification time (ns) of a file, the cache's test for "unchanged".
pub fn stamp(meta: &std::fs::Metadata) -> (u64, i128) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(-1, |d| d.as_nanos() as i128);
    (meta.len(), mtime)
}

/// Serde adapter for maps of JSON values in binary formats that cannot describe them
/// (postcard): the map travels as one JSON string.
pub mod json_map {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises the map as a JSON string.
    pub fn serialize<S: Serializer>(
        map: &BTreeMap<String, serde_json::Value>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        serde_json::to_string(map)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    /// Reads the map back from its JSON string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_keys() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let data: BTreeMap<String, Vec<u32>> = [("a".to_string(), vec![1, 2])].into();
        assert!(cache.put("x.bin", 7, &data));
        assert_eq!(
            cache.get::<BTreeMap<String, Vec<u32>>>("x.bin", 7),
            Some(data)
        );
        assert_eq!(cache.get::<BTreeMap<String, Vec<u32>>>("x.bin", 8), None);
        // Large data (streamed out, read back whole).
        let big: Vec<String> = (0..20_000).map(|i| format!("string number {i}")).collect();
        assert!(cache.put("big.bin", 1, &big));
        assert_eq!(cache.get::<Vec<String>>("big.bin", 1), Some(big));
        std::fs::write(dir.path().join("c/x.bin"), b"garbage").unwrap();
        assert_eq!(cache.get::<BTreeMap<String, Vec<u32>>>("x.bin", 7), None);
    }
}
