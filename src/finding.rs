//! One finding model, fed to every reporter.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The finding families of CONTRACTS.md.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    License,
    DataSharing,
    Privacy,
    CoreProtection,
    Transparency,
    Security,
    Community,
    Tool,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::License,
        Family::DataSharing,
        Family::Privacy,
        Family::CoreProtection,
        Family::Transparency,
        Family::Security,
        Family::Community,
        Family::Tool,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::License => "license",
            Family::DataSharing => "data-sharing",
            Family::Privacy => "privacy",
            Family::CoreProtection => "core-protection",
            Family::Transparency => "transparency",
            Family::Security => "security",
            Family::Community => "community",
            Family::Tool => "tool",
        }
    }

    /// The short family that built-in rule ids start with.
    pub fn short(self) -> &'static str {
        match self {
            Family::License => "license",
            Family::DataSharing => "data",
            Family::Privacy => "privacy",
            Family::CoreProtection => "protect",
            Family::Transparency => "card",
            Family::Security => "security",
            Family::Community => "community",
            Family::Tool => "modelgate",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file: 1-based lines, columns in Unicode characters, end exclusive-ish as
/// editors show it (end column points just past the last character).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the file's text, when the text is known (for snippets).
    pub bytes: Option<(usize, usize)>,
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
    pub fix: Option<crate::fix::Edit>,
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
