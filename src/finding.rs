//! One finding model, fed to every reporter.

pub use crate::model::{Family, Level, Region};

/// One change to one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Edit {
    /// Replace a byte range of a parsed document (an empty range inserts).
    Replace {
        path: String,
        start: usize,
        end: usize,
        text: String,
    },
    /// Create a file that does not exist.
    Create { path: String, content: String },
    /// Append lines to a file, creating it if needed.
    Append { path: String, text: String },
}

impl Edit {
    pub fn path(&self) -> &str {
        match self {
            Edit::Replace { path, .. } | Edit::Create { path, .. } | Edit::Append { path, .. } => {
                path
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub family: Family,
    pub level: Level,
    pub message: String,
    pub help: String,
    /// Relative to the root, `/`-separated; `None` for the repository as a whole.
    pub path: Option<String>,
    pub region: Option<Region>,
    pub guidance: Vec<String>,
    /// Set by `--history`: the commit the path was seen in.
    pub commit: Option<String>,
    /// The finding quotes something that must not be shown in full (a secret, personal data):
    /// reporters never print the source line around it.
    pub sensitive: bool,
    /// A short label for the marked place in the source (the reason, when there is one).
    pub label: Option<String>,
    /// A certain fix, applied by `check --fix`.
    pub fix: Option<Edit>,
    /// The rule's web page, when it has one.
    pub docs_url: Option<String>,
    /// Stable identity for baselines: rule, path and the text of the anchor, not its line.
    pub fingerprint: String,
    /// The identity before occurrence numbering (see `policy::number_fingerprints`).
    pub fingerprint_base: String,
}

impl Finding {
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.path.is_some(),
            self.path.as_deref().unwrap_or(""),
            self.region.as_ref().map(|r| (r.line, r.column)),
            self.rule.as_str(),
            self.message.as_str(),
            self.commit.as_deref().unwrap_or(""),
        )
    }
}

/// Counts by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary::default();
        for f in findings {
            match f.level {
                Level::Error => s.error += 1,
                Level::Warning => s.warning += 1,
                Level::Info => s.info += 1,
            }
        }
        s
    }
}
