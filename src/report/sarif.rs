//! `--format sarif`: SARIF 2.1.0, the fields code scanning reads, as plain serde structs.
//!
//! One run; `tool.driver.rules` lists every rule of the run (built-in and packs) with its
//! description, help and page; each result points at its rule by id and index. Locations are
//! relative to `%SRCROOT%` (the folder the command ran in); repository-level findings are
//! located at the policy file, or the repository's root folder when there is none.

use super::{position, shown_path, Report, RuleInfo};
use crate::finding::{Finding, Level};
use serde::Serialize;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/modelgate/modelgate";
/// Key of the stable fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "modelgate/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    family: &'static str,
    guidance: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "modelgate/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    commit: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

fn descriptor(r: &RuleInfo) -> Descriptor<'_> {
    let id = r.id.as_str();
    let url = r.docs_url.clone();
    let mut markdown = format!(
        "**{}**\n\n{}\n\n**How to fix:** {}",
        id, r.description, r.help
    );
    if let Some(u) = &url {
        markdown.push_str(&format!("\n\n[Rule page]({u})"));
    }
    Descriptor {
        id,
        name: id.rsplit('/').next().unwrap_or(id).to_string(),
        short_description: Text { text: &r.summary },
        full_description: Text {
            text: &r.description,
        },
        help: Help {
            text: r.help.clone(),
            markdown,
        },
        help_uri: url,
        default_configuration: Configuration {
            level: r.default_level.map(level).unwrap_or("none"),
        },
        properties: RuleProperties {
            tags: vec![r.family.as_str().to_string()],
            family: r.family.as_str(),
            guidance: r.guidance.clone(),
        },
    }
}

/// A relative path as a URI reference (RFC 3986): every byte outside the unreserved set and
/// `/` percent-encoded, so that spaces, `#`, `%` and other characters in file names stay part
/// of the path (SARIF1002).
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(out: &Report, f: &Finding) -> Location {
    let (uri, region) = match &f.path {
        Some(p) => (
            shown_path(&out.root, p),
            f.region
                .as_ref()
                .and_then(|_| position(f))
                .map(|(l, c, el, ec)| Region {
                    start_line: l,
                    start_column: c,
                    end_line: el,
                    end_column: ec.max(if el == l { c } else { 1 }),
                }),
        ),
        None => match &out.policy_file {
            Some(p) => (shown_path(&out.root, p), None),
            None => (shown_path(&out.root, ""), None),
        },
    };
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_reference(&uri),
                uri_base_id: "%SRCROOT%",
            },
            region,
        },
    }
}

pub fn render(out: &Report) -> String {
    let rules = &out.rules;
    let results = out
        .findings
        .iter()
        .map(|f| SarifResult {
            rule_id: &f.rule,
            rule_index: rules.iter().position(|r| r.id == f.rule),
            level: level(f.level),
            message: Text { text: &f.message },
            locations: vec![location(out, f)],
            partial_fingerprints: Fingerprints { v1: &f.fingerprint },
            properties: f
                .commit
                .as_deref()
                .map(|commit| ResultProperties { commit }),
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "modelgate",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFO_URI,
                    rules: rules.iter().map(descriptor).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
