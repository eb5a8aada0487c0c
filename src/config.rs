//! `briefing.yaml` → [`Config`]: site settings with defaults, validated once.
//!
//! Every key is optional; defaults live here, in `impl Default`, and nowhere else.
//! YAML parsing goes through [`crate::load::front_matter::parse_yaml`] so the YAML crate
//! stays behind one module.

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::dates;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::TopicId;

/// Site configuration from `briefing.yaml`. Field names are the YAML keys and are
/// available to templates as `site.<key>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's title, shown in headers and feeds.
    pub title: String,
    /// Optional one-line description of the briefing.
    pub description: String,
    /// Absolute URL the site is published at. Only used for feeds and canonical links;
    /// pages always link relatively.
    pub base_url: String,
    /// IANA time zone for dates without an offset and for grouping by day.
    pub timezone: String,
    /// Language of the site (`lang` attribute of pages).
    pub language: String,
    /// `oldest-first` (default) or `newest-first`: the order of timeline entries.
    pub timeline_order: TimelineOrder,
    /// Optional metadata per topic: title, description, aliases.
    pub topics: BTreeMap<String, TopicMeta>,
    /// The topic articles without topics are filed under.
    pub uncategorised: String,
    /// Digest settings.
    pub digest: DigestConfig,
    /// `true` keeps raw HTML in article bodies unsanitised. Only for trusted content.
    pub unsafe_html: bool,
    /// Reports rendered on every build.
    pub reports: Vec<ReportConfig>,
    /// How many of the latest entries the site and topic feeds carry.
    pub feed_limit: usize,
    /// Same-story merging.
    pub stories: StoriesConfig,
    /// The "Mentioned in coverage" layer of topic timelines.
    pub mentions: MentionsConfig,
}

/// `stories:` settings: when reports of the same event become one timeline entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoriesConfig {
    /// Merge near-duplicate reports automatically (`story:` ids always group).
    pub auto: bool,
    /// Reports further apart than this (hours, by event time) are never merged
    /// automatically.
    pub window_hours: u32,
    /// The merge model's score (0 to 1) from which two reports count as the same story.
    pub threshold: f64,
}

impl Default for StoriesConfig {
    fn default() -> Self {
        StoriesConfig {
            auto: true,
            window_hours: 48,
            threshold: crate::stories::DEFAULT_THRESHOLD,
        }
    }
}

/// `mentions:` settings: dates found in article text, shown on topic timelines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MentionsConfig {
    /// Find dates in article text and show them on topic timelines.
    pub enabled: bool,
    /// Mentions the tagger is less sure of than this (0 to 1) are not shown.
    pub min_confidence: f32,
    /// At most this many dates per topic: the most mentioned ones (by how many
    /// articles mention them), shown in timeline order.
    pub limit: usize,
    /// At most this many quoted sentences per date; the rest are counted.
    pub quotes: usize,
}

impl Default for MentionsConfig {
    fn default() -> Self {
        MentionsConfig {
            enabled: true,
            min_confidence: 0.7,
            limit: 50,
            quotes: 3,
        }
    }
}

/// A report rendered on every `build` (`reports:` in `briefing.yaml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// The template, by name (a built-in, or a file in the project's `templates/`).
    pub template: String,
    /// Where to write it, relative to the output folder.
    pub output: String,
    /// The number of days, ending on the build's "now" day, the report covers;
    /// all articles when absent.
    #[serde(default)]
    pub days: Option<u32>,
    /// Only these topics (aliases work); all when empty.
    #[serde(default)]
    pub topics: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefing".into(),
            description: String::new(),
            base_url: String::new(),
            timezone: "UTC".into(),
            language: "en".into(),
            timeline_order: TimelineOrder::OldestFirst,
            topics: BTreeMap::new(),
            uncategorised: "uncategorised".into(),
            digest: DigestConfig::default(),
            unsafe_html: false,
            reports: Vec::new(),
            feed_limit: 50,
            stories: StoriesConfig::default(),
            mentions: MentionsConfig::default(),
        }
    }
}

/// The order of entries on timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineOrder {
    /// Earliest entry first (a chronology).
    #[default]
    OldestFirst,
    /// Latest entry first (a news feed).
    NewestFirst,
}

/// Metadata for one topic in `briefing.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicMeta {
    /// Display title (default: the topic id with dashes turned into spaces, capitalised).
    pub title: Option<String>,
    /// One or two sentences shown on the topic page.
    pub description: String,
    /// Other names articles may use for this topic (`isil`, `daesh` for `isis`).
    pub aliases: Vec<String>,
}

/// `digest:` settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DigestConfig {
    /// How many days a digest covers by default.
    pub days: u32,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig { days: 1 }
    }
}

/// A validated configuration: the raw [`Config`] plus what was derived from it.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration as written (with defaults filled in).
    pub config: Config,
    /// The site time zone (from `timezone`, or `--tz`).
    pub tz: Tz,
    /// Alias or normalised name → canonical topic id.
    pub aliases: BTreeMap<String, TopicId>,
}

impl Site {
    /// Resolves a topic as written in an article or on the command line (`Gaza War`,
    /// `gaza`, `gaza-war`) to its canonical id.
    pub fn resolve_topic(&self, name: &str) -> Option<TopicId> {
        let id = TopicId::normalise(name)?;
        Some(self.aliases.get(id.as_str()).cloned().unwrap_or(id))
    }

    /// The topic id used for articles without topics.
    pub fn uncategorised(&self) -> TopicId {
        TopicId::normalise(&self.config.uncategorised)
            .unwrap_or_else(|| TopicId::normalise("uncategorised").expect("valid id"))
    }
}

/// Reads `briefing.yaml` at `path` (a missing file means all defaults) and validates it.
/// Problems are pushed to `diags`; the returned site is always usable (defaults replace
/// invalid values).
pub fn load(path: &Path, tz_override: Option<&str>, diags: &mut Diagnostics) -> Site {
    let config = match std::fs::read(path) {
        Ok(bytes) => match crate::load::utf8_text(bytes, path) {
            Ok(text) => parse(&text, path, diags),
            Err(d) => {
                diags.push(d);
                Config::default()
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => {
            diags.push(Diagnostic::error(path, format!("cannot read: {e}")));
            Config::default()
        }
    };
    validate(config, path, tz_override, diags)
}

fn parse(text: &str, path: &Path, diags: &mut Diagnostics) -> Config {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Config::default();
    }
    match crate::load::front_matter::parse_yaml::<Config>(text, 0) {
        Ok(config) => config,
        Err(e) => {
            let mut d = Diagnostic::error(path, e.message);
            d.line = e.line;
            d.col = e.col;
            diags.push(d);
            Config::default()
        }
    }
}

/// True when `value` of the nested setting `key` (`stories.threshold`) is between 0
/// and 1; otherwise an error naming its line.
fn unit_interval(path: &Path, key: &str, value: f64, diags: &mut Diagnostics) -> bool {
    if (0.0..=1.0).contains(&value) {
        return true;
    }
    let mut d = Diagnostic::error(
        path,
        format!("`{key}` must be between 0 and 1, found {value}"),
    );
    d.line = nested_line(path, key.rsplit('.').next().unwrap_or(key));
    diags.push(d);
    false
}

/// The 1-based line of the first `key:` at any indentation (for nested settings).
fn nested_line(path: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    let prefix = format!("{key}:");
    text.lines()
        .position(|l| l.trim_start().starts_with(&prefix))
        .map(|i| i + 1)
}

fn validate(
    mut config: Config,
    path: &Path,
    tz_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Site {
    let line_of = |key: &str| -> Option<usize> {
        let text = std::fs::read_to_string(path).ok()?;
        crate::load::front_matter::key_line(&text, key, 0)
    };
    let tz = match tz_override {
        Some(name) => dates::parse_tz(name).unwrap_or_else(|msg| {
            diags.push(Diagnostic::error("--tz", msg));
            chrono_tz::UTC
        }),
        None => dates::parse_tz(&config.timezone).unwrap_or_else(|msg| {
            let mut d = Diagnostic::error(path, msg);
            d.line = line_of("timezone");
            diags.push(d);
            chrono_tz::UTC
        }),
    };
    if !config.base_url.is_empty() {
        match url::Url::parse(&config.base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                if !config.base_url.ends_with('/') {
                    config.base_url.push('/');
                }
            }
            _ => {
                let mut d = Diagnostic::error(
                    path,
                    format!(
                        "`base_url` must be an absolute http(s) URL, found `{}`",
                        config.base_url
                    ),
                );
                d.line = line_of("base_url");
                diags.push(d);
                config.base_url.clear();
            }
        }
    }
    if !unit_interval(path, "stories.threshold", config.stories.threshold, diags) {
        config.stories.threshold = crate::stories::DEFAULT_THRESHOLD;
    } else if config.stories.threshold < 0.5 {
        // Thresholds were similarities (0.20 by default) before the merge model; as a
        // score, such a value merges pairs more likely apart than together.
        let mut d = Diagnostic::warning(
            path,
            format!(
                "`stories.threshold` {} merges reports that are more likely two stories than one: it is the merge model's score (0.65 by default), no longer a similarity (0.20 was the old default)",
                config.stories.threshold
            ),
        );
        d.line = nested_line(path, "threshold");
        diags.push(d);
    }
    if !unit_interval(
        path,
        "mentions.min_confidence",
        f64::from(config.mentions.min_confidence),
        diags,
    ) {
        config.mentions.min_confidence = MentionsConfig::default().min_confidence;
    }
    if TopicId::normalise(&config.uncategorised).is_none() {
        let mut d = Diagnostic::error(path, "`uncategorised` must contain letters or digits");
        d.line = line_of("uncategorised");
        diags.push(d);
        config.uncategorised = "uncategorised".into();
    }
    let mut aliases: BTreeMap<String, TopicId> = BTreeMap::new();
    let mut canonical: BTreeMap<TopicId, TopicMeta> = BTreeMap::new();
    for (name, meta) in &config.topics {
        let Some(id) = TopicId::normalise(name) else {
            diags.push(Diagnostic::error(
                path,
                format!("topic `{name}` must contain letters or digits"),
            ));
            continue;
        };
        if id.as_str() != name {
            aliases.insert(name.clone(), id.clone());
        }
        canonical.insert(id, meta.clone());
    }
    for (id, meta) in &canonical {
        for alias in &meta.aliases {
            let Some(alias_id) = TopicId::normalise(alias) else {
                continue;
            };
            if canonical.contains_key(&alias_id) && &alias_id != id {
                let mut d = Diagnostic::error(
                    path,
                    format!("alias `{alias}` of topic `{id}` is itself a topic"),
                );
                d.line = line_of(alias);
                diags.push(d);
                continue;
            }
            match aliases.get(alias_id.as_str()) {
                Some(other) if other != id => {
                    let mut d = Diagnostic::error(
                        path,
                        format!("alias `{alias}` is used by both `{other}` and `{id}`"),
                    );
                    d.line = line_of(alias);
                    diags.push(d);
                }
                _ => {
                    aliases.insert(alias_id.as_str().to_string(), id.clone());
                }
            }
        }
    }
    // Re-key topic metadata by canonical id so lookups need no normalisation.
    config.topics = canonical
        .into_iter()
        .map(|(id, meta)| (id.as_str().to_string(), meta))
        .collect();
    Site {
        config,
        tz,
        aliases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str) -> (Site, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("briefing.yaml");
        std::fs::write(&path, yaml).unwrap();
        let mut diags = Diagnostics::new();
        let site = load(&path, None, &mut diags);
        (site, diags)
    }

    #[test]
    fn defaults_when_missing() {
        let mut diags = Diagnostics::new();
        let site = load(Path::new("/nonexistent/briefing.yaml"), None, &mut diags);
        assert_eq!(site.tz, chrono_tz::UTC);
        assert_eq!(site.config.title, "Briefing");
        assert!(!diags.has_errors());
    }

    #[test]
    fn aliases_resolve_to_canonical() {
        let (site, diags) = site(
            "timezone: Asia/Baghdad\ntopics:\n  isis: { title: ISIS, aliases: [isil, Daesh] }\n  Gaza War: {}\n",
        );
        assert!(!diags.has_errors(), "{:?}", diags.sorted());
        assert_eq!(site.resolve_topic("DAESH").unwrap().as_str(), "isis");
        assert_eq!(site.resolve_topic("isil").unwrap().as_str(), "isis");
        assert_eq!(site.resolve_topic("gaza war").unwrap().as_str(), "gaza-war");
        assert!(site.config.topics.contains_key("gaza-war"));
        assert_eq!(site.tz, chrono_tz::Asia::Baghdad);
    }

    #[test]
    fn reports_bad_values_with_lines() {
        let (_, diags) = site("title: x\ntimezone: Mars/Olympus\nbase_url: ftp://x\n");
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].contains(":2: error: unknown time zone `Mars/Olympus`"),
            "{lines:?}"
        );
        assert!(
            lines[1].contains(":3: error: `base_url` must be"),
            "{lines:?}"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let (_, diags) = site("title: x\ntimezon: UTC\n");
        let d = &diags.sorted()[0];
        assert_eq!(d.line, Some(2), "{d}");
        assert!(d.message.contains("timezon"), "{d}");
    }
}
