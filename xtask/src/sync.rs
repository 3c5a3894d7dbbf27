//! Keeps a directory in sync with a map of generated files: one routine that either writes
//! (only what changed, deleting what is no longer produced) or only reports, with a diff.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The first line of every generated file carries this marker; only such files are ever deleted.
const MARKER: &str = "@generated";

/// How one file on disk differs from what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file does not exist yet.
    Create { path: PathBuf, new: String },
    /// The file exists with other content.
    Update { path: PathBuf, old: String, new: String },
    /// A generated file that the generator no longer produces.
    Delete { path: PathBuf, old: String },
}

impl Change {
    /// The file's path.
    pub fn path(&self) -> &Path {
        match self {
            Change::Create { path, .. } | Change::Update { path, .. } | Change::Delete { path, .. } => path,
        }
    }
}

/// The outcome of comparing one directory with the generator's files.
#[derive(Debug, Default)]
pub struct Plan {
    /// What differs, sorted by path.
    pub changes: Vec<Change>,
    /// How many files are already as they should be.
    pub unchanged: usize,
}

/// Compares `dir` with `files` (paths relative to `dir`) without touching anything.
pub fn plan(dir: &Path, files: &BTreeMap<String, String>) -> io::Result<Plan> {
    let mut result = Plan::default();
    for (relative, new) in files {
        let path = dir.join(relative);
        match fs::read_to_string(&path) {
            Ok(old) if &old == new => result.unchanged += 1,
            Ok(old) => result.changes.push(Change::Update { path, old, new: new.clone() }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                result.changes.push(Change::Create { path, new: new.clone() })
            }
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    let mut existing = Vec::new();
    list_files(dir, &mut existing)?;
    for path in existing {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        if files.contains_key(&relative) {
            continue;
        }
        if let Ok(old) = fs::read_to_string(&path) {
            if old.lines().next().is_some_and(|first| first.contains(MARKER)) {
                result.changes.push(Change::Delete { path, old });
            }
        }
    }
    result.changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(result)
}

/// Every file below `dir`, skipping build output and hidden folders.
fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.map(|e| e.path())).collect::<io::Result<_>>()?;
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                list_files(&path, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Carries out a plan. Each file is written to a temporary sibling and renamed into place, so a
/// failure never leaves a half-written file.
pub fn apply(plan: &Plan) -> io::Result<()> {
    for change in &plan.changes {
        match change {
            Change::Create { path, new } | Change::Update { path, new, .. } => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                let temp = path.with_extension("tmp-codegen");
                fs::write(&temp, new)?;
                fs::rename(&temp, path)?;
            }
            Change::Delete { path, .. } => fs::remove_file(path)?,
        }
    }
    Ok(())
}

/// A unified diff of every change, with paths shown relative to `root`.
pub fn render(changes: &[Change], root: &Path) -> String {
    let mut out = String::new();
    for change in changes {
        let shown = change.path().strip_prefix(root).unwrap_or(change.path()).display().to_string();
        let (old, new, what) = match change {
            Change::Create { new, .. } => ("", new.as_str(), "missing"),
            Change::Update { old, new, .. } => (old.as_str(), new.as_str(), "stale"),
            Change::Delete { old, .. } => (old.as_str(), "", "no longer generated"),
        };
        out.push_str(&format!("{shown}: {what}\n"));
        let diff = similar::TextDiff::from_lines(old, new);
        out.push_str(
            &diff.unified_diff().context_radius(3).header(&format!("a/{shown}"), &format!("b/{shown}")).to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn plans_creates_updates_and_deletes_only_generated_files() {
        let dir = temp_dir("plan");
        fs::write(dir.join("same.rs"), "// @generated\nsame\n").unwrap();
        fs::write(dir.join("old.rs"), "// @generated\nold\n").unwrap();
        fs::write(dir.join("orphan.rs"), "// @generated\norphan\n").unwrap();
        fs::write(dir.join("notes.txt"), "hand-written\n").unwrap();
        let files = BTreeMap::from([
            ("same.rs".to_owned(), "// @generated\nsame\n".to_owned()),
            ("old.rs".to_owned(), "// @generated\nnew\n".to_owned()),
            ("sub/new.rs".to_owned(), "// @generated\nfresh\n".to_owned()),
        ]);
        let plan = plan(&dir, &files).unwrap();
        assert_eq!(plan.unchanged, 1);
        let kinds: Vec<(String, &str)> = plan
            .changes
            .iter()
            .map(|c| {
                let kind = match c {
                    Change::Create { .. } => "create",
                    Change::Update { .. } => "update",
                    Change::Delete { .. } => "delete",
                };
                (c.path().strip_prefix(&dir).unwrap().display().to_string(), kind)
            })
            .collect();
        assert_eq!(
            kinds,
            vec![("old.rs".into(), "update"), ("orphan.rs".into(), "delete"), ("sub/new.rs".into(), "create")]
        );
        let diff = render(&plan.changes, &dir);
        assert!(diff.contains("old.rs: stale\n--- a/old.rs\n+++ b/old.rs\n"), "{diff}");
        assert!(diff.contains("-old\n+new\n"), "{diff}");
        apply(&plan).unwrap();
        assert!(super::plan(&dir, &files).unwrap().changes.is_empty());
        assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "hand-written\n");
        fs::remove_dir_all(&dir).unwrap();
    }
}
