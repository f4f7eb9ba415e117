//! The words every stage shares: modes, statuses, levels, families, places in a file.
//! This module imports nothing of the crate, so any stage can use it without a loop.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

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
pub enum Mode {
    Open,
    Closed,
    Hybrid,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Open, Mode::Hybrid, Mode::Closed];
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Open => "open",
            Mode::Closed => "closed",
            Mode::Hybrid => "hybrid",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "open" => Some(Mode::Open),
            "closed" => Some(Mode::Closed),
            "hybrid" => Some(Mode::Hybrid),
            _ => None,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the mode of a run came from (`mode_source` in the JSON contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeSource {
    Policy,
    Flag,
    Inferred,
}

impl ModeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ModeSource::Policy => "policy",
            ModeSource::Flag => "flag",
            ModeSource::Inferred => "inferred",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Closed,
}

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

/// A guidance id, G1 to G14.
pub struct GuidanceId;

impl JsonSchema for GuidanceId {
    fn schema_name() -> Cow<'static, str> {
        "GuidanceId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": "^G([1-9]|1[0-4])$"})
    }
}

/// What kind of release a repository or model folder is (`classify`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseMode {
    Open,
    OpenWeightsRestricted,
    Hybrid,
    Closed,
}

impl ReleaseMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseMode::Open => "open",
            ReleaseMode::OpenWeightsRestricted => "open-weights-restricted",
            ReleaseMode::Hybrid => "hybrid",
            ReleaseMode::Closed => "closed",
        }
    }

    /// The lint mode an inferred release mode maps to (CONTRACTS.md).
    pub fn lint_mode(self) -> Mode {
        match self {
            ReleaseMode::Open => Mode::Open,
            ReleaseMode::Closed => Mode::Closed,
            ReleaseMode::Hybrid | ReleaseMode::OpenWeightsRestricted => Mode::Hybrid,
        }
    }
}
