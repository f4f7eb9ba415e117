//! Reporters: one finding model, several renderings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::finding::Finding;

/// The line and column a finding is shown at: its region, or 1:1 for a file, or none for the
/// repository.
pub fn position(f: &Finding) -> Option<(usize, usize, usize, usize)> {
    match (&f.path, &f.region) {
        (None, _) => None,
        (Some(_), Some(r)) => Some((r.line, r.column, r.end_line, r.end_column)),
        (Some(_), None) => Some((1, 1, 1, 1)),
    }
}

/// A path relative to the root, as seen from the folder the command ran in (`root/path`), so
/// that CI annotations and SARIF locations point at the right file when PATH is a subfolder.
/// An empty path stands for the root itself.
pub fn shown_path(root: &str, path: &str) -> String {
    let root = root.trim_end_matches('/');
    let root = root.strip_prefix("./").unwrap_or(root);
    if root.is_empty() || root == "." || std::path::Path::new(root).is_absolute() {
        if path.is_empty() {
            ".".to_string()
        } else {
            path.to_string()
        }
    } else if path.is_empty() {
        root.to_string()
    } else {
        format!("{root}/{path}")
    }
}
