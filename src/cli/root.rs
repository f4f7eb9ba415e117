//! Which folder `check` treats as the repository when PATH is a folder inside a git work tree.
//!
//! A linter run from a subfolder should judge the repository by its own policy, not switch to an
//! inferred mode: when PATH holds no `modelgate.toml`, the nearest folder above it that holds one,
//! up to the work tree's top, is the root (ruff and cargo look for their settings the same way).
//! Outside git, and when PATH has a policy of its own or `--policy` is given, PATH is the root.

use crate::config::POLICY_FILE;
use std::path::{Component, Path, PathBuf};

/// The root to check and, when it is not PATH, the one line that says so.
pub fn discover(path: &Path, policy_given: bool) -> (PathBuf, Option<String>) {
    if policy_given || path.join(POLICY_FILE).is_file() {
        return (path.to_path_buf(), None);
    }
    let Some(git) = crate::repo::git::open(path) else {
        return (path.to_path_buf(), None);
    };
    let Ok(here) = path.canonicalize() else {
        return (path.to_path_buf(), None);
    };
    // the folders between PATH (excluded) and the work tree's top (included)
    let mut up = 0;
    let mut folder = here.as_path();
    while folder != git.workdir {
        let Some(parent) = folder.parent() else {
            return (path.to_path_buf(), None);
        };
        folder = parent;
        up += 1;
        if folder.join(POLICY_FILE).is_file() {
            let root = ancestor(path, up, folder);
            let note = format!(
                "modelgate: `{}` is inside the repository at `{}`: checking the whole repository with its {POLICY_FILE}",
                path.display(),
                root.display()
            );
            return (root, Some(note));
        }
    }
    (path.to_path_buf(), None)
}

/// `path` `up` levels higher, written the way the user wrote `path` where that is plain
/// (`models/chat` 2 up is `.`, `.` 1 up is `..`), else the canonical folder.
fn ancestor(path: &Path, up: usize, canonical: &Path) -> PathBuf {
    let parts: Vec<Component> = path.components().collect();
    if parts.iter().all(|c| matches!(c, Component::CurDir)) {
        return std::iter::repeat_n("..", up).collect();
    }
    let tail_is_plain = parts.len() >= up
        && parts[parts.len() - up..]
            .iter()
            .all(|c| matches!(c, Component::Normal(_)));
    if tail_is_plain {
        let kept: PathBuf = parts[..parts.len() - up].iter().collect();
        if kept.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
        return kept;
    }
    canonical.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::ancestor;
    use std::path::Path;

    #[test]
    fn ancestors_keep_the_users_spelling() {
        let c = Path::new("/canonical");
        assert_eq!(ancestor(Path::new("models/chat"), 2, c), Path::new("."));
        assert_eq!(
            ancestor(Path::new("repo/models/chat"), 2, c),
            Path::new("repo")
        );
        assert_eq!(ancestor(Path::new("."), 2, c), Path::new("../.."));
        assert_eq!(ancestor(Path::new("/r/models"), 1, c), Path::new("/r"));
        assert_eq!(ancestor(Path::new("../x"), 2, c), c);
    }
}
