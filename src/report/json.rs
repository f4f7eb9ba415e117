//! `--format json`, exactly as CONTRACTS.md shows it.

use super::{position, Report};
use crate::finding::Finding;
use serde::Serialize;

pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema: u32,
    tool: Tool,
    root: &'a str,
    policy: PolicyInfo<'a>,
    diagnostics: Vec<Diag<'a>>,
    summary: Counts,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct PolicyInfo<'a> {
    file: Option<&'a str>,
    mode: &'static str,
    mode_source: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    models: Vec<ModelInfo>,
}

#[derive(Serialize)]
struct ModelInfo {
    path: String,
    mode: &'static str,
}

#[derive(Serialize)]
pub struct Diag<'a> {
    rule: &'a str,
    family: &'static str,
    level: &'static str,
    message: &'a str,
    help: &'a str,
    path: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    guidance: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
}

#[derive(Serialize)]
struct Counts {
    error: usize,
    warning: usize,
    info: usize,
    files: usize,
}

pub fn diag(f: &Finding) -> Diag<'_> {
    let pos = position(f);
    Diag {
        rule: &f.rule,
        family: f.family.as_str(),
        level: f.level.as_str(),
        message: &f.message,
        help: &f.help,
        path: f.path.as_deref(),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        end_line: pos.map(|p| p.2),
        end_column: pos.map(|p| p.3),
        guidance: &f.guidance,
        commit: f.commit.as_deref(),
    }
}

pub fn render(r: &Report) -> String {
    let models = if r.units.len() > 1 {
        r.units
            .iter()
            .skip(1)
            .map(|u| ModelInfo {
                path: u.folder.clone(),
                mode: u.mode.as_str(),
            })
            .collect()
    } else {
        vec![]
    };
    let s = r.summary;
    let doc = Doc {
        schema: SCHEMA,
        tool: Tool {
            name: "modelgate",
            version: env!("CARGO_PKG_VERSION"),
        },
        root: &r.root,
        policy: PolicyInfo {
            file: r.policy_file.as_deref(),
            mode: r.mode.as_str(),
            mode_source: r.mode_source.as_str(),
            models,
        },
        diagnostics: r.findings.iter().map(diag).collect(),
        summary: Counts {
            error: s.error,
            warning: s.warning,
            info: s.info,
            files: r.files,
        },
    };
    let mut text =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
