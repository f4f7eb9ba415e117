//! Signature coverage: what an OpenSSF model-signing bundle (`model.sig`, a sigstore bundle
//! whose DSSE payload is an in-toto statement listing files and their SHA-256) covers, against
//! the release policy. The JSON is read offline; the signature itself is never verified (that
//! is `model_signing verify`'s job). Files are hashed only when a bundle exists, and only the
//! files it covers.

use super::{Facts, Witness};
use crate::config::Status;
use crate::repo::{roles, Role};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;

/// The bundle's name, as `model_signing sign` writes it by default.
pub const BUNDLE: &str = "model.sig";
/// A bundle larger than this is not read.
const MAX_BUNDLE: u64 = 16 * 1024 * 1024;

/// Facts this module makes.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("signature.closed-covered", "the model-signing bundle's statement covers a file of a component declared closed: a signed attestation of something withheld (vars: file, component, bundle)"),
    ("signature.uncovered", "a published weight file that the model-signing bundle's statement does not cover (vars: bundle)"),
    ("signature.digest-mismatch", "a file the model-signing bundle covers whose SHA-256 no longer matches the statement, or that is gone (vars: file, bundle, detail)"),
    ("signature.unreadable", "a model-signing bundle that cannot be read as a sigstore bundle holding an in-toto statement (vars: detail)"),
];

/// What a bundle's statement lists: path (relative to the repository) to SHA-256.
fn covered(bytes: &[u8], folder: &str) -> Result<BTreeMap<String, String>, String> {
    let bundle: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let payload = bundle
        .pointer("/dsseEnvelope/payload")
        .and_then(|p| p.as_str())
        .ok_or("no `dsseEnvelope.payload`: not a DSSE sigstore bundle")?;
    let payload = base64(payload).ok_or("`dsseEnvelope.payload` is not base64")?;
    let statement: serde_json::Value = serde_json::from_slice(&payload)
        .map_err(|e| format!("the DSSE payload is not an in-toto statement: {e}"))?;
    let resources = statement
        .pointer("/predicate/resources")
        .and_then(|r| r.as_array())
        .ok_or("the in-toto statement has no `predicate.resources` list of files")?;
    let mut out = BTreeMap::new();
    for r in resources {
        let (Some(name), Some(digest)) = (
            r.get("name").and_then(|n| n.as_str()),
            r.get("digest").and_then(|d| d.as_str()),
        ) else {
            return Err("a resource of the statement has no `name` or `digest`".into());
        };
        let algorithm = r
            .get("algorithm")
            .and_then(|a| a.as_str())
            .unwrap_or("sha256");
        if algorithm != "sha256" {
            return Err(format!(
                "`{name}` is hashed with `{algorithm}`: only sha256 statements are read"
            ));
        }
        let path = if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        };
        out.insert(path, digest.to_ascii_lowercase());
    }
    Ok(out)
}

/// Standard base64 (with or without padding).
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The SHA-256 of a file of the release, streamed; an LFS pointer's `oid`.
pub fn sha256(facts: &Facts, path: &str) -> Result<String, String> {
    if facts.files.lfs.pointers.contains(path) {
        let bytes = facts
            .files
            .read(path, 1024)
            .map_err(|e| format!("the LFS pointer cannot be read: {e}"))?;
        return String::from_utf8_lossy(&bytes)
            .lines()
            .find_map(|l| l.strip_prefix("oid sha256:"))
            .map(|o| o.trim().to_ascii_lowercase())
            .filter(|o| o.len() == 64 && o.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| "the LFS pointer has no valid `oid sha256:` line".to_string());
    }
    let mut h = Sha256::new();
    match facts.files.disk_path(path) {
        Some(disk) => {
            let mut f = std::fs::File::open(&disk).map_err(|e| format!("cannot open: {e}"))?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf).map_err(|e| format!("cannot read: {e}"))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
        }
        None => h.update(
            facts
                .files
                .read(path, u64::MAX)
                .map_err(|e| format!("cannot read: {e}"))?,
        ),
    }
    Ok(crate::text::hex(&h.finalize()))
}

/// Adds the signature facts of each unit that holds a bundle in its folder.
pub fn add_facts(facts: &mut Facts) {
    let mut found: Vec<(usize, &'static str, Witness)> = Vec::new();
    for (ui, unit) in facts.units.iter().enumerate() {
        let bundle = if unit.folder.is_empty() {
            BUNDLE.to_string()
        } else {
            format!("{}/{BUNDLE}", unit.folder)
        };
        if facts.files.get(&bundle).is_none() {
            continue;
        }
        let bytes = match facts.files.read(&bundle, MAX_BUNDLE) {
            Ok(b) => b,
            Err(e) => {
                let w = Witness::file(&bundle).var("detail", format!("cannot be read: {e}"));
                found.push((ui, "signature.unreadable", w));
                continue;
            }
        };
        let covered = match covered(&bytes, &unit.folder) {
            Ok(c) => c,
            Err(detail) => {
                found.push((
                    ui,
                    "signature.unreadable",
                    Witness::file(&bundle).var("detail", detail),
                ));
                continue;
            }
        };
        let closed: Vec<_> = unit
            .components
            .iter()
            .filter(|c| c.status == Status::Closed)
            .collect();
        for (path, digest) in &covered {
            if let Some(c) = closed.iter().find(|c| c.globs.is_match(path)) {
                let w = Witness::file(&bundle)
                    .var("file", path.clone())
                    .var("component", c.name.clone())
                    .var("bundle", bundle.clone());
                found.push((ui, "signature.closed-covered", w));
            }
            let detail = match facts.files.get(path) {
                None => Some("the file is gone from the release".to_string()),
                Some(_) => match sha256(facts, path) {
                    Ok(actual) if actual == *digest => None,
                    Ok(actual) => Some(format!(
                        "the statement records sha256 {}…, the file is now {}…",
                        &digest[..digest.len().min(12)],
                        &actual[..12]
                    )),
                    Err(e) => Some(e),
                },
            };
            if let Some(detail) = detail {
                let w = Witness {
                    path: facts.files.get(path).map(|_| path.clone()),
                    ..Witness::file(&bundle)
                }
                .var("file", path.clone())
                .var("bundle", bundle.clone())
                .var("detail", detail);
                found.push((ui, "signature.digest-mismatch", w));
            }
        }
        let own = |p: &str| facts.unit_of(p) == ui;
        for &i in &unit.files {
            let e = &facts.files.entries[i];
            if e.role != Role::Weights
                || !own(&e.path)
                || covered.contains_key(&e.path)
                || closed.iter().any(|c| c.files.contains(&i))
                || roles::file_name(&e.path) == BUNDLE
            {
                continue;
            }
            let w = Witness::file(&e.path).var("bundle", bundle.clone());
            found.push((ui, "signature.uncovered", w));
        }
    }
    for (ui, name, w) in found {
        facts.units[ui].add(name, w);
    }
}
