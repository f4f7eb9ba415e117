//! Walking a folder on disk: skip .git and excluded paths, never leave the root.

use super::{FileSet, Problem, Source};
use crate::glob::PathGlobs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// Folders that are never part of a release: version control, environments and caches.
pub(super) const SKIPPED_FOLDERS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
];

pub struct WorkTree {
    root: PathBuf,
}

impl WorkTree {
    pub fn new(root: &Path) -> WorkTree {
        WorkTree {
            root: root.to_path_buf(),
        }
    }
}

impl Source for WorkTree {
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        let file = std::fs::File::open(self.root.join(path))?;
        let mut out = Vec::new();
        file.take(limit).read_to_end(&mut out)?;
        Ok(out)
    }

    fn disk_path(&self, path: &str) -> Option<PathBuf> {
        Some(self.root.join(path))
    }
}

pub(super) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn walk(root: &Path, exclude: &PathGlobs) -> io::Result<FileSet> {
    let canonical_root = root.canonicalize()?;
    let mut problems: Vec<Problem> = Vec::new();
    let mut list = Vec::new();
    let mut outside: Vec<Problem> = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let rel = relative(root, e.path());
            if e.file_type().is_dir() && SKIPPED_FOLDERS.iter().any(|s| e.file_name() == *s) {
                return false;
            }
            if exclude.is_match(&rel) {
                return false;
            }
            if e.path_is_symlink() {
                match e.path().canonicalize() {
                    Ok(target) if !target.starts_with(&canonical_root) => {
                        outside.push(Problem {
                            path: Some(rel),
                            region: None,
                            detail: format!(
                                "`{}` is a symbolic link to a place outside the repository; it was not followed",
                                relative(root, e.path())
                            ),
                        });
                        return false;
                    }
                    _ => {}
                }
            }
            true
        });
    for item in walker {
        match item {
            Ok(e) => {
                if e.file_type().is_file() {
                    let rel = relative(root, e.path());
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    list.push((rel, size));
                }
            }
            Err(err) => {
                let rel = err.path().map(|p| relative(root, p));
                let detail = if let Some(anc) = err.loop_ancestor() {
                    format!(
                        "`{}` is a symbolic link that loops back to `{}`; it was not followed",
                        rel.as_deref().unwrap_or("?"),
                        relative(root, anc)
                    )
                } else if let Some(ioe) = err.io_error() {
                    match ioe.kind() {
                        io::ErrorKind::NotFound => format!(
                            "`{}` is a broken symbolic link",
                            rel.as_deref().unwrap_or("?")
                        ),
                        io::ErrorKind::PermissionDenied => format!(
                            "`{}` cannot be read: permission denied",
                            rel.as_deref().unwrap_or("?")
                        ),
                        _ => format!("`{}` cannot be read: {ioe}", rel.as_deref().unwrap_or("?")),
                    }
                } else {
                    err.to_string()
                };
                problems.push(Problem {
                    path: rel.filter(|r| !r.is_empty()),
                    region: None,
                    detail,
                });
            }
        }
    }
    problems.extend(outside);
    Ok(FileSet::from_list(
        list,
        problems,
        Arc::new(WorkTree {
            root: root.to_path_buf(),
        }),
    ))
}
