//! A Model Openness Framework `model.yml`: the components a release says it has, checked
//! against the tree and the licences found.

use super::Evidence;
use crate::facts::Facts;
use crate::licenses;
use serde::Deserialize;

/// model.yml files larger than this are not read.
const MAX_MANIFEST: u64 = 256 * 1024;

#[derive(Debug, Deserialize)]
struct Manifest {
    release: Option<Release>,
}

#[derive(Debug, Deserialize)]
struct Release {
    #[serde(default)]
    components: Vec<ManifestComponent>,
    license: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct ManifestComponent {
    name: Option<String>,
    license: Option<String>,
    location: Option<String>,
}

/// What the manifest says that the repository does not show, one sentence each.
pub fn check(facts: &Facts, ev: &Evidence) -> Vec<String> {
    let Some(entry) = facts.files.entries.iter().find(|e| {
        matches!(
            e.path.as_str(),
            "model.yml" | "model.yaml" | "mof.yml" | "mof.yaml"
        )
    }) else {
        return vec![];
    };
    let path = entry.path.clone();
    if entry.size > MAX_MANIFEST {
        return vec![format!(
            "`{path}` is over {} KiB and was not read",
            MAX_MANIFEST / 1024
        )];
    }
    let text = match facts
        .files
        .source
        .read(&path, MAX_MANIFEST)
        .map(String::from_utf8)
    {
        Ok(Ok(t)) => t,
        _ => return vec![format!("`{path}` cannot be read as UTF-8 text")],
    };
    let m: Manifest = match serde_saphyr::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("invalid YAML");
            return vec![format!("`{path}` is not a valid model.yml: {first}")];
        }
    };
    let Some(release) = m.release else {
        return vec![format!("`{path}` has no `release` table")];
    };
    let _ = release.license;
    let mut notes = Vec::new();
    for c in &release.components {
        let name = c.name.clone().unwrap_or_else(|| "(unnamed)".into());
        if let Some(loc) = c.location.as_deref() {
            let loc = loc.trim().trim_start_matches("./").trim_end_matches('/');
            let is_url = loc.contains("://");
            if !is_url && !loc.is_empty() {
                let exists = facts
                    .files
                    .entries
                    .iter()
                    .any(|e| e.path == loc || e.path.starts_with(&format!("{loc}/")));
                if !exists {
                    notes.push(format!(
                        "`{path}`: component `{name}` is at `{loc}`, which is not in the repository"
                    ));
                }
            }
        }
        if let Some(l) = c.license.as_deref() {
            let lower = name.to_ascii_lowercase();
            let cov = if lower.contains("parameter") || lower.contains("weight") {
                Some(&ev.weights)
            } else if lower.contains("code") {
                Some(&ev.code)
            } else {
                None
            };
            if let Some(cov) = cov {
                let want = licenses::canonical(l).unwrap_or_else(|| l.to_string());
                if !cov.ids.is_empty() && !cov.ids.iter().any(|x| licenses::same_text(x, &want)) {
                    notes.push(format!(
                        "`{path}`: component `{name}` is said to be under `{l}`, but the licences found say `{}`",
                        cov.ids.join(" AND ")
                    ));
                }
            }
        }
    }
    notes
}
