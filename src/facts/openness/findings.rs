//! Licence facts for the rules: each names both places involved (the declaration and the
//! licence text, the claim and the terms), one in the witness and the other in its values.

use super::{claims, Evidence};
use crate::config::Status;
use crate::facts::{Facts, Unit, Witness};
use crate::licenses::{self, detect};
use crate::repo::roles;

/// Licence files with fewer words than this are pointers (a URL), not texts.
const MIN_WORDS: usize = 20;

fn describe(id: Option<&str>) -> String {
    id.map(|i| format!("`{i}`"))
        .unwrap_or_else(|| "unidentified".into())
}

/// What `check --fix` writes as a NOTICE where an Apache-2.0 text asks for one.
const NOTICE_STUB: &str = "[Name of the product]\nCopyright [yyyy] [name of copyright owner]\n\nThis product includes software developed at [organisation] ([link]).\n";

/// The Hub's id for an SPDX licence, when the Hub has one of its own (not a family id).
fn hub_id_of(spdx: &str) -> Option<&'static str> {
    licenses::hub_licenses()
        .iter()
        .find(|h| !h.family && h.spdx.as_deref() == Some(spdx))
        .map(|h| h.id.as_str())
}

/// The primary card declares no licence while the release's licence texts all identify the same
/// licence, one the Hub knows: the fix inserts `license:` into the front matter (or adds one).
fn undeclared_in_card(facts: &Facts, unit: &Unit, ev: &Evidence) -> Option<Witness> {
    let card = facts.docs.get(*unit.cards.first()?)?;
    if !card.readable {
        return None;
    }
    let fm = card.front_matter.as_ref();
    if fm.is_some_and(|f| {
        f.error.is_some() || f.root.as_ref().is_some_and(|r| r.get("license").is_some())
    }) {
        return None;
    }
    let own: Vec<&super::LicenceFile> = ev
        .files
        .iter()
        .filter(|f| !f.vendored && facts.unit_of(&f.path) == facts.unit_of(&card.path))
        .collect();
    let first = own.first()?.id()?;
    if own.iter().any(|f| f.id() != Some(first)) {
        return None;
    }
    let hub = hub_id_of(first)?;
    let (at, text) = match fm {
        Some(f) => {
            let after = card.text[f.range.start..]
                .find('\n')
                .map(|n| f.range.start + n + 1)?;
            (after, format!("license: {hub}\n"))
        }
        None => (0, format!("---\nlicense: {hub}\n---\n")),
    };
    // the finding points where the key goes; the fix inserts it there
    Some(
        Witness::span(&card.path, at..at)
            .var("license", hub)
            .var("file", own[0].path.clone())
            .var("fix-replace", text),
    )
}

/// Every licence fact of one release, as (fact name, witness).
/// The licence texts that cover the weights, else the repository's.
fn weights_texts(ev: &Evidence) -> Vec<&super::LicenceFile> {
    let texts: Vec<_> = ev
        .files
        .iter()
        .filter(|f| f.covers.iter().any(|c| c == "weights"))
        .collect();
    if texts.is_empty() {
        ev.files.iter().filter(|f| f.repository).collect()
    } else {
        texts
    }
}

/// GGUF files whose embedded `general.license` names another licence than the release's: a
/// GGUF file travels alone (to llama.cpp, Ollama, other hubs), and its metadata is then all
/// that says under which terms the weights are. Needs the model-file facts, so it runs after
/// them. The release's licence: the identified texts that cover the weights (else the
/// repository's), and the ids the card declares. A value no licence id matches is left alone.
pub fn gguf_licence_facts(unit: &Unit) -> Vec<(&'static str, Witness)> {
    let mut out = Vec::new();
    let embedded: Vec<&Witness> = unit
        .fact("weights.gguf-license")
        .iter()
        .filter(|w| w.get("license").is_some_and(|l| !l.trim().is_empty()))
        .collect();
    if embedded.is_empty() {
        return out;
    }
    let ev = &*unit.evidence;
    let texts = weights_texts(ev);
    let mut release: Vec<(String, String)> = texts
        .iter()
        .filter_map(|f| f.id().map(|id| (id.to_string(), f.path.clone())))
        .collect();
    release.extend(
        ev.declared
            .iter()
            .filter_map(|d| d.id.clone().map(|id| (id, d.path.clone()))),
    );
    let Some((first_id, first_path)) = release.first().cloned() else {
        return out;
    };
    for w in embedded {
        let (Some(path), Some(value)) = (w.path.as_deref(), w.get("license")) else {
            continue;
        };
        let Some(id) = licenses::canonical(value) else {
            continue;
        };
        if release.iter().any(|(r, _)| licenses::same_text(r, &id)) {
            continue;
        }
        out.push((
            "license.gguf-mismatch",
            Witness::file(path)
                .var("value", value.to_string())
                .var("file", first_path.clone())
                .var("found", describe(Some(&first_id))),
        ));
    }
    out
}

pub fn unit_facts(facts: &Facts, unit: &Unit) -> Vec<(&'static str, Witness)> {
    let mut out = Vec::new();
    if unit.license_docs.is_empty() && unit.cards.is_empty() {
        return out;
    }
    let ev = &*unit.evidence;
    let own = |path: &str| facts.unit_of(path) == facts.unit_of_folder(&unit.folder);

    // licence texts that match nothing
    for f in &ev.files {
        if f.found.is_some() || f.vendored || !own(&f.path) {
            continue;
        }
        let Some(d) = facts.doc(&f.path) else {
            continue;
        };
        let words = detect::words(&d.text).len();
        // custom terms (a proprietary notice, a statement naming a licence) are not flagged:
        // only a pointer without text, and a modified copy of a known licence
        let lower = d.text.to_lowercase();
        let pointer = lower.contains("http") || lower.contains("see ");
        let detail = if words < MIN_WORDS && pointer {
            "holds no licence text (only a pointer or a few words)".to_string()
        } else if let Some((id, _)) = detect::resembles(&d.text) {
            format!("resembles `{id}` but is not its text word for word: a clause was added, removed or changed")
        } else {
            continue;
        };
        out.push((
            "license.unidentified",
            Witness::span(&f.path, d.anchor()).var("detail", detail),
        ));
    }

    // declared (card front matter) against the texts
    for dcl in &ev.declared {
        if !own(&dcl.path) {
            continue;
        }
        if let Some(h) = licenses::hub_license(&dcl.value) {
            if h.family {
                out.push((
                    "license.ambiguous-id",
                    Witness::span(&dcl.path, dcl.range.clone())
                        .var("value", dcl.value.clone())
                        .var("choices", h.choose.join(", ")),
                ));
                continue;
            }
        }
        let Some(id) = dcl.id.as_deref() else {
            continue;
        };
        let texts = weights_texts(ev);
        let identified: Vec<_> = texts.iter().filter(|f| f.found.is_some()).collect();
        if identified.is_empty() {
            continue;
        }
        if identified
            .iter()
            .any(|f| f.id().is_some_and(|x| licenses::same_text(x, id)))
        {
            continue;
        }
        let f = identified[0];
        out.push((
            "license.mismatch",
            Witness::span(&dcl.path, dcl.range.clone())
                .var("value", dcl.value.clone())
                .var("place", format!("`{}`", dcl.path))
                .var("file", f.path.clone())
                .var("found", describe(f.id())),
        ));
    }
    // the policy's component licences against the texts that cover the components
    for c in &unit.components {
        let Some(want) = c.license.as_deref() else {
            continue;
        };
        for f in ev
            .files
            .iter()
            .filter(|f| f.covers.iter().any(|x| x == &c.name))
        {
            if let Some(id) = f.id() {
                let ok = want
                    .split(|ch: char| ch.is_whitespace() || ch == '(' || ch == ')')
                    .any(|part| licenses::same_text(part, id));
                if !ok && own(&f.path) {
                    let d = facts.doc(&f.path);
                    let w = match d {
                        Some(d) => Witness::span(&f.path, d.anchor()),
                        None => Witness::file(&f.path),
                    };
                    out.push((
                        "license.mismatch",
                        w.var("value", want.to_string())
                            .var("place", format!("modelgate.toml (component `{}`)", c.name))
                            .var("file", f.path.clone())
                            .var("found", describe(Some(id))),
                    ));
                }
            }
        }
    }

    // NOTICE asked for and missing
    let has_notice = unit.files.iter().any(|i| {
        roles::file_name(&facts.files.entries[*i].path)
            .to_ascii_uppercase()
            .starts_with("NOTICE")
    });
    if !has_notice {
        for f in ev.files.iter().filter(|f| f.asks_notice && own(&f.path)) {
            if let Some(d) = facts.doc(&f.path) {
                let folder = roles::parent(&f.path);
                let notice = if folder.is_empty() {
                    "NOTICE".to_string()
                } else {
                    format!("{folder}/NOTICE")
                };
                out.push((
                    "license.notice-missing",
                    Witness::span(&f.path, d.anchor())
                        .var("fix-create", notice)
                        .var("fix-content", NOTICE_STUB),
                ));
            }
        }
    }

    // a card without `license:` over a licence text that says which
    if let Some(w) = undeclared_in_card(facts, unit, ev) {
        out.push(("card.license-undeclared", w));
    }

    // terms that are not open, for open mode
    not_open(facts, unit, ev, &mut out);

    // closed components under a permissive repository licence
    for c in unit
        .components
        .iter()
        .filter(|c| c.status == Status::Closed && !c.files.is_empty())
    {
        for f in ev.files.iter().filter(|f| f.repository && own(&f.path)) {
            let Some(id) = f.id() else { continue };
            let t = licenses::terms(id);
            if t.known && !t.restricted && t.commercial && !t.copyleft {
                let w = match facts.doc(&f.path) {
                    Some(d) => Witness::span(&f.path, d.anchor()),
                    None => Witness::file(&f.path),
                };
                let first = &facts.files.entries[c.files[0]].path;
                out.push((
                    "license.permissive-closed",
                    w.var("component", c.name.clone())
                        .var("license", id.to_string())
                        .var("example", first.clone()),
                ));
            }
        }
    }

    // an express patent grant over patented components
    for c in unit.components.iter().filter(|c| c.patented) {
        let covering: Vec<_> = ev
            .files
            .iter()
            .filter(|f| {
                own(&f.path)
                    && !f.vendored
                    && (f.covers.iter().any(|x| x == &c.name) || f.repository)
            })
            .collect();
        for f in covering {
            let Some(id) = f.id() else { continue };
            if licenses::terms(id).patents {
                let w = match facts.doc(&f.path) {
                    Some(d) => Witness::span(&f.path, d.anchor()),
                    None => Witness::file(&f.path),
                };
                out.push((
                    "license.patent-grant",
                    w.var("component", c.name.clone())
                        .var("license", id.to_string()),
                ));
            }
        }
    }

    // "open source" said of weights whose terms are not
    if unit.weights_published {
        if let Some(t) = ev.weights.terms() {
            if t.restricted || !t.osi {
                let terms = ev.weights.expression().unwrap_or_default();
                let why = if t.restricted {
                    "restrict use"
                } else {
                    "are not OSI-approved"
                };
                for (path, range) in claims(facts, unit) {
                    if own(&path) {
                        out.push((
                            "card.open-washing",
                            Witness::span(&path, range)
                                .var("license", terms.clone())
                                .var("why", why)
                                .var("source", weights_source(ev)),
                        ));
                    }
                }
            }
        }
    }
    out
}

/// Where the weights' terms come from, for messages.
fn weights_source(ev: &Evidence) -> String {
    if let Some(f) = ev
        .files
        .iter()
        .find(|f| f.covers.iter().any(|c| c == "weights") && f.found.is_some())
    {
        return format!("`{}`", f.path);
    }
    if let Some(s) = ev
        .statements
        .iter()
        .find(|s| s.covers.iter().any(|c| c == "weights"))
    {
        return format!("`{}`", s.path);
    }
    if let Some(d) = ev.declared.first() {
        return format!("`{}` (front matter)", d.path);
    }
    if let Some(f) = ev.files.iter().find(|f| f.repository && f.found.is_some()) {
        return format!("`{}`", f.path);
    }
    if let Some(s) = ev.statements.first() {
        return format!("`{}`", s.path);
    }
    "the policy".into()
}

fn not_open(facts: &Facts, unit: &Unit, ev: &Evidence, out: &mut Vec<(&'static str, Witness)>) {
    let own = |path: &str| facts.unit_of(path) == facts.unit_of_folder(&unit.folder);
    let mut seen: Vec<String> = Vec::new();
    let report = |id: &str, w: Witness, what: &str, out: &mut Vec<(&'static str, Witness)>| {
        let t = licenses::terms(id);
        let why = if t.restricted {
            "restricts use"
        } else if !t.osi {
            "is not OSI-approved"
        } else {
            return;
        };
        out.push((
            "license.not-open",
            w.var("license", id.to_string())
                .var("why", why)
                .var("what", what.to_string()),
        ));
    };
    for f in ev.files.iter().filter(|f| !f.vendored && own(&f.path)) {
        let Some(id) = f.id() else { continue };
        if seen.iter().any(|s| s == &f.path) {
            continue;
        }
        seen.push(f.path.clone());
        let what = if f.covers.iter().any(|c| c == "weights") {
            "weights"
        } else if f.repository {
            "repository"
        } else {
            continue;
        };
        let w = match facts.doc(&f.path) {
            Some(d) => Witness::span(&f.path, d.anchor()),
            None => Witness::file(&f.path),
        };
        report(id, w, what, out);
    }
    for d in ev.declared.iter().filter(|d| own(&d.path)) {
        if let Some(id) = &d.id {
            report(id, Witness::span(&d.path, d.range.clone()), "weights", out);
        }
    }
}
