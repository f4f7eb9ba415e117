//! Baselines: `check --write-baseline FILE` records the current findings; `check --baseline
//! FILE` reports only findings that are not in it.
//!
//! The file is JSON:
//!
//! ```json
//! {"schema": 1, "tool": "modelgate", "findings": [
//!   {"fingerprint": "9f2c...", "rule": "card/limitations", "path": "README.md", "line": 4,
//!    "message": "..."}
//! ]}
//! ```
//!
//! Only `fingerprint` decides; `rule`, `path`, `line` and `message` are there for people
//! reading the file. A fingerprint hashes the rule id, the path and the normalised text of the
//! flagged line, heading or key, with an occurrence number among equal ones: not the line
//! number, so edits elsewhere in the file leave it unchanged.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub const SCHEMA: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    schema: u32,
    #[serde(default)]
    tool: Option<String>,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    message: Option<String>,
}

/// The fingerprints of a baseline file.
#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline; the error names the file and says what is wrong.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline `{shown}`: {e}"))?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!("the baseline `{shown}` is not a modelgate baseline: {e}; write it again with `modelgate check --write-baseline {shown}`")
        })?;
        if file.schema != SCHEMA {
            return Err(format!(
                "the baseline `{shown}` has schema {}, this modelgate reads schema {SCHEMA}; write it again with `modelgate check --write-baseline {shown}`",
                file.schema
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    pub fn contains(&self, f: &Finding) -> bool {
        self.fingerprints.contains(&f.fingerprint)
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// The baseline document for these findings.
pub fn render(findings: &[Finding]) -> String {
    let file = File {
        schema: SCHEMA,
        tool: Some("modelgate".into()),
        findings: findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: Some(f.rule.clone()),
                path: f.path.clone(),
                line: f.region.as_ref().map(|r| r.line),
                message: Some(f.message.clone()),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
