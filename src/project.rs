//! The project: finds its root and resolves the content, templates, output and config paths.
//!
//! A project is a folder with `briefing.yaml` and/or `content/`. `--root` selects it;
//! otherwise the current folder or the nearest ancestor that is a project is used.
//! This module also enforces that `output/` never overlaps the inputs.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The resolved paths of a project. All are absolute.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// Articles (`content/`).
    pub content: PathBuf,
    /// The project's templates (`templates/`, may not exist).
    pub templates: PathBuf,
    /// Where `build` writes (`output/`).
    pub output: PathBuf,
    /// Site configuration (`briefing.yaml`, may not exist).
    pub config: PathBuf,
    /// The build cache (`.briefing-cache/`): safe to delete at any time.
    pub cache: PathBuf,
    /// The folder diagnostics show paths relative to (the working directory).
    pub cwd: PathBuf,
}

/// Path overrides from the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--content`.
    pub content: Option<PathBuf>,
    /// `--templates`.
    pub templates: Option<PathBuf>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
}

impl Project {
    /// Resolves the project from the working directory `cwd` and the overrides.
    pub fn resolve(cwd: &Path, o: &Overrides) -> Result<Project> {
        let root = match &o.root {
            Some(r) => absolute(cwd, r),
            None => find_root(cwd),
        };
        let pick = |p: &Option<PathBuf>, default: &str| match p {
            Some(p) => absolute(cwd, p),
            None => root.join(default),
        };
        let project = Project {
            content: pick(&o.content, "content"),
            templates: pick(&o.templates, "templates"),
            output: pick(&o.output, "output"),
            config: pick(&o.config, "briefing.yaml"),
            cache: root.join(".briefing-cache"),
            cwd: cwd.to_path_buf(),
            root,
        };
        Ok(project)
    }

    /// Checks that `output` can be replaced wholesale: it is not the project root, not the
    /// content or templates folder, and neither contains nor is inside them.
    pub fn check_output(&self) -> Result<()> {
        let out = real(&self.output);
        let refuse = |what: &str| Error::Project {
            path: self.output.clone(),
            message: format!(
                "output folder `{}` {what}: every build replaces the output folder, so choose a separate one such as `output/`",
                self.output.display()
            ),
        };
        let root = real(&self.root);
        if out == root || root.starts_with(&out) {
            return Err(refuse("is the project folder or contains it"));
        }
        for (name, p) in [("content", &self.content), ("templates", &self.templates)] {
            let p = real(p);
            if out == p || p.starts_with(&out) {
                return Err(refuse(&format!("is or contains the {name} folder")));
            }
            if out.starts_with(&p) {
                return Err(refuse(&format!("is inside the {name} folder")));
            }
        }
        if self.config.starts_with(&self.output) || real(&self.config).starts_with(&out) {
            return Err(refuse("contains the configuration file"));
        }
        let cache = real(&self.cache);
        if cache.starts_with(&out) || out.starts_with(&cache) {
            return Err(refuse("overlaps the build cache"));
        }
        Ok(())
    }

    /// `path` as shown to the user: relative to the working directory when inside it.
    pub fn show(&self, path: &Path) -> PathBuf {
        crate::diagnostics::display_path(path, &self.cwd)
    }
}

/// The nearest folder from `cwd` upwards that is a project (has a `briefing.yaml` or a
/// `content/` folder); `cwd` itself when there is none.
fn find_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|d| d.join("briefing.yaml").is_file() || d.join("content").is_dir())
        .unwrap_or(cwd)
        .to_path_buf()
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    normalise(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    })
}

/// Removes `.` and resolves `..` lexically.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The canonical form of `p`, resolving symlinks for the part that exists.
fn real(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => real(parent).join(name),
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(output: &str) -> Project {
        let o = Overrides {
            root: Some("/srv/brief".into()),
            output: Some(output.into()),
            ..Overrides::default()
        };
        Project::resolve(Path::new("/srv/brief"), &o).unwrap()
    }

    #[test]
    fn root_is_the_nearest_project() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("briefing.yaml"), "").unwrap();
        let inner = dir.path().join("a/b");
        std::fs::create_dir_all(inner.join("content")).unwrap();
        assert_eq!(
            find_root(&inner),
            inner,
            "a folder with content/ is a project"
        );
        assert_eq!(find_root(&inner.join("content")), inner);
        assert_eq!(find_root(&dir.path().join("a")), dir.path());
    }

    #[test]
    fn output_may_not_overlap_inputs() {
        assert!(project("output").check_output().is_ok());
        assert!(project("/tmp/site").check_output().is_ok());
        for bad in [
            ".",
            "..",
            "content",
            "templates",
            "content/out",
            "templates/x",
            "/",
        ] {
            assert!(project(bad).check_output().is_err(), "{bad}");
        }
    }
}
