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
/// Text as it may reach a terminal or a CI log: control characters (line breaks included),
/// DEL, C1 controls and bidirectional overrides are shown escaped (`\n`, `\u{1b}`,
/// `\u{202e}`), so that a file name or a value cannot start a workflow command, move the
/// cursor or reorder what is shown. For the human and github formats; JSON and SARIF carry
/// the real text, escaped as their format requires.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `printable` for text whose line breaks the format escapes itself (GitHub workflow commands'
/// `%0A`, the step summary's `<br>`): every other control character and bidirectional override
/// escaped.
pub fn printable_keep_breaks(s: &str) -> std::borrow::Cow<'_, str> {
    if !s
        .chars()
        .any(|c| needs_escape(c) && !matches!(c, '\n' | '\r'))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&printable(part));
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A source text for a snippet with every character `printable` would escape replaced by as
/// many `?` as it has bytes (tabs and line breaks kept): offsets stay where they were.
pub fn printable_source(s: &str) -> std::borrow::Cow<'_, str> {
    if !s
        .chars()
        .any(|c| needs_escape(c) && !matches!(c, '\n' | '\r' | '\t'))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if needs_escape(c) && !matches!(c, '\n' | '\r' | '\t') {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

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
