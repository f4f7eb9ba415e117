//! Reporters: one finding model, several renderings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::finding::{Finding, Level, Summary};
use crate::model::{Family, Mode, ModeSource};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything a reporter shows about one run, worked out once by the run pipeline. Reporters
/// read this and nothing else.
#[derive(Debug, Clone)]
pub struct Report {
    /// PATH as the user gave it.
    pub root: String,
    /// The policy file, relative to the root when inside it.
    pub policy_file: Option<String>,
    /// The repository's mode and where it came from.
    pub mode: Mode,
    pub mode_source: ModeSource,
    /// The releases checked: the root first, then each model folder.
    pub units: Vec<UnitReport>,
    /// The findings shown (a baseline's findings left out), in order.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Findings a baseline holds, not shown.
    pub baselined: usize,
    /// Files in the release.
    pub files: usize,
    /// Every rule of the run, as SARIF describes them.
    pub rules: Vec<RuleInfo>,
    /// The texts of the documents the shown findings point into, for source snippets.
    pub sources: BTreeMap<String, Arc<str>>,
    /// One-line notes for stderr (the inferred mode).
    pub notes: Vec<String>,
}

/// One release of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitReport {
    /// `""` for the root.
    pub folder: String,
    pub mode: Mode,
    pub mode_source: ModeSource,
    pub is_model: bool,
}

/// A rule as the reports describe it.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub family: Family,
    pub summary: String,
    /// The rationale, or the summary when the rule has none.
    pub description: String,
    pub help: String,
    pub guidance: Vec<String>,
    /// Its default level in the repository's mode (or its first mode's).
    pub default_level: Option<Level>,
    pub docs_url: Option<String>,
}

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
