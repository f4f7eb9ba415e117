//! Licence facts for the rules: each names both places involved (the declaration and the
//! licence text, the claim and the terms), one in the witness and the other in its values.

use super::{washing_claims, Evidence};
use crate::config::Status;
use crate::facts::{Facts, Unit, Witness, WitnessFix};
use crate::licenses::{self, detect};
use crate::model::Level;
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
    // the card describes a model whose weights are published, under that licence and no other:
    // a licence of the code alone, or of weights that are not released, is not the model's
    if !unit.weights_published
        || ev.weights.unknown
        || ev.weights.ids.len() != 1
        || !licenses::same_text(&ev.weights.ids[0], first)
    {
        return None;
    }
    let hub = hub_id_of(first)?;
    // the fix adds the key to front matter the card has; a card without any is not written to
    let (at, fix) = match fm {
        Some(f) => {
            let after = card.text[f.range.start..]
                .find('\n')
                .map(|n| f.range.start + n + 1)?;
            (after, Some(format!("license: {hub}\n")))
        }
        None => (0, None),
    };
    // the finding points where the key goes; the fix inserts it there
    let w = Witness::span(&card.path, at..at)
        .var("license", hub)
        .var("file", own[0].path.clone());
    Some(match fix {
        Some(text) => w.with_fix(WitnessFix::Replace(text)),
        None => w,
    })
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

/// Facts about the repository as a whole, for the root unit: licence files that hold only a
/// link, and local links to licence files that do not exist.
pub fn repository_facts(facts: &Facts) -> Vec<(&'static str, Witness)> {
    let mut out = Vec::new();
    for lt in &facts.licence_texts {
        if !super::only_links_text(&lt.text) {
            continue;
        }
        let url = lt
            .text
            .split_whitespace()
            .find(|w| w.contains("://") || w.starts_with("www."))
            .unwrap_or("")
            .trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | '[' | ']'))
            .to_string();
        let w = match facts.doc(&lt.path) {
            Some(d) => Witness::span(&lt.path, d.anchor()),
            None => Witness::file(&lt.path),
        };
        out.push(("license.only-link", w.var("url", url)));
    }
    for d in facts
        .docs
        .iter()
        .filter(|d| d.readable && roles::is_markdown(&d.path))
    {
        for (range, target) in local_links(&d.text) {
            let resolved = resolve_link(&d.path, &target);
            let Some(resolved) = resolved else { continue };
            let name = roles::file_name(&resolved);
            let link_text = &d.text[range.clone()];
            let licence_like = roles::is_license_name(&resolved)
                || roles::is_terms_name(&resolved)
                || (roles::extension(name).is_none_or(|e| matches!(e.as_str(), "md" | "txt"))
                    && ["licen", "许可", "协议"]
                        .iter()
                        .any(|k| link_text.to_lowercase().contains(k)));
            if !licence_like || exists(facts, &resolved) {
                continue;
            }
            let instead = match licence_beside(facts, &resolved) {
                Some(p) => format!("the licence file there is `{p}`"),
                None => match licence_named_like(facts, link_text) {
                    Some(p) => format!("the licence it names is most likely `{p}`"),
                    None => "no licence file is in that folder".to_string(),
                },
            };
            out.push((
                "license.broken-link",
                Witness::span(&d.path, range)
                    .var("target", target.clone())
                    .var("instead", instead),
            ));
        }
    }
    out
}

/// Sentences that say a checkpoint derives from another model under that model's licence
/// ("X-Distill-8B is derived from Llama 3.1 and is licensed under the Llama 3.1 license"), when
/// that licence is not among the weights' terms: those weights are not under the release's
/// licence.
fn checkpoint_terms(
    facts: &Facts,
    ev: &Evidence,
    own: &dyn Fn(&str) -> bool,
) -> Vec<(&'static str, Witness)> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(derived) = RE
        .get_or_init(|| {
            regex::Regex::new(r"(?i)\b(?:derived|distilled|fine-?tuned|finetuned|initiali[sz]ed|converted|quantized|quantised)\s+(?:from|on)\b|\bbased on\b|基于|源自|衍生自")
                .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    if ev.weights.ids.is_empty() {
        return Vec::new();
    }
    let weights = ev.weights.expression().unwrap_or_default();
    let mut out = Vec::new();
    for s in &ev.statements {
        if !own(&s.path)
            || ev
                .weights
                .ids
                .iter()
                .any(|i| licenses::same_text(i, &s.license))
        {
            continue;
        }
        if s.covers.iter().any(|c| c == "code" || c == "training-data") {
            continue;
        }
        let Some(d) = facts.doc(&s.path) else {
            continue;
        };
        let sentence = &d.text[s.range.clone()];
        let Some(m) = derived.find(sentence) else {
            continue;
        };
        // the checkpoints: the words before "is derived from", without list markup
        let subject = sentence[..m.start()]
            .trim()
            .trim_start_matches(['-', '*', '+'])
            .trim()
            .trim_end_matches(" is")
            .trim_end_matches(" are")
            .trim_end_matches(" was")
            .trim_end_matches(" were")
            .trim()
            .to_string();
        if subject.is_empty() {
            continue;
        }
        let lead = sentence.len() - sentence.trim_start().len();
        out.push((
            "license.checkpoint-terms",
            Witness::span(&s.path, s.range.start + lead..s.range.end)
                .var("checkpoint", crate::text::clip(&subject, 120))
                .var("license", s.license.clone())
                .var("weights", weights.clone()),
        ));
    }
    out
}

/// Statements and licence texts that give the training data different licences.
fn data_conflicts(
    facts: &Facts,
    unit: &Unit,
    ev: &Evidence,
    own: &dyn Fn(&str) -> bool,
) -> Vec<(&'static str, Witness)> {
    // (path, range, id): the licence texts first, then the statements in reading order
    let mut sources: Vec<(String, std::ops::Range<usize>, String)> = Vec::new();
    for f in ev.files.iter().filter(|f| !f.vendored) {
        if f.covers.iter().any(|c| c == "training-data") {
            if let (Some(id), Some(d)) = (f.id(), facts.doc(&f.path)) {
                sources.push((f.path.clone(), d.anchor(), id.to_string()));
            }
        }
    }
    let docs: Vec<&crate::documents::Document> = super::readmes(facts, unit)
        .into_iter()
        .chain(unit.data_docs.iter().map(|i| &facts.docs[*i]))
        .filter(|d| d.readable)
        .collect();
    let statements = super::statements_in(docs.iter().copied());
    for s in &statements {
        if !s.covers.iter().any(|c| c == "training-data") {
            continue;
        }
        // a sentence that names one licence, about the release's own data
        let one = statements
            .iter()
            .filter(|o| o.path == s.path && o.range == s.range)
            .all(|o| licenses::same_text(&o.license, &s.license));
        let Some(d) = facts.doc(&s.path) else {
            continue;
        };
        let lower = d.text[s.range.clone()].to_lowercase();
        let own_data = [
            "the data ",
            "this data ",
            "our data ",
            "the dataset ",
            "this dataset ",
            "our dataset ",
            "and data ",
            "data and ",
            "本数据",
            "该数据",
        ]
        .iter()
        .any(|k| lower.contains(k));
        if one && own_data {
            let text = &d.text[s.range.clone()];
            let lead = text.len() - text.trim_start().len();
            sources.push((
                s.path.clone(),
                s.range.start + lead..s.range.end,
                s.license.clone(),
            ));
        }
    }
    let Some((ref_path, ref_range, ref_id)) = sources.first().cloned() else {
        return Vec::new();
    };
    let ref_line = facts
        .doc(&ref_path)
        .map_or(1, |d| d.lines.position(&d.text, ref_range.start).0);
    let mut out = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (path, range, id) in sources.iter().skip(1) {
        if licenses::same_text(id, &ref_id) || !own(path) {
            continue;
        }
        // one finding per document and licence
        if seen.iter().any(|(p, i)| p == path && i == id) {
            continue;
        }
        seen.push((path.clone(), id.clone()));
        out.push((
            "license.data-conflict",
            Witness::span(path, range.clone())
                .var("license", id.clone())
                .var("other", ref_id.clone())
                .var("other-place", format!("`{ref_path}` line {ref_line}")),
        ));
    }
    out
}

/// Local Markdown links `[text](target)` outside code: the range of the whole link and the
/// target as written (no URLs, anchors, mail links).
fn local_links(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            regex::Regex::new(r#"\[([^\]\n]{0,200})\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)"#).ok()
        })
        .as_ref()
    else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        for c in re.captures_iter(line) {
            let (Some(all), Some(target)) = (c.get(0), c.get(2)) else {
                continue;
            };
            let t = target.as_str();
            if t.contains("://")
                || t.starts_with('#')
                || t.starts_with("mailto:")
                || t.starts_with("data:")
            {
                continue;
            }
            out.push((start + all.start()..start + all.end(), t.to_string()));
        }
    }
    out
}

/// A link target resolved against the linking document's folder: a path relative to the root,
/// or `None` when it leaves the repository.
fn resolve_link(doc: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or("");
    if target.is_empty() {
        return None;
    }
    // `/x` is from the root, anything else from the linking document's folder
    let joined = match target.strip_prefix('/') {
        Some(from_root) => crate::facts::join_relative("", from_root)?,
        None => crate::facts::join_relative(roles::parent(doc), target)?,
    };
    // percent-encoded spaces in links to files named in words
    Some(joined.replace("%20", " "))
}

/// A file or a folder of the file set.
fn exists(facts: &Facts, path: &str) -> bool {
    if facts.files.get(path).is_some() {
        return true;
    }
    let dir = format!("{path}/");
    let i = facts
        .files
        .entries
        .partition_point(|e| e.path.as_str() < dir.as_str());
    facts
        .files
        .entries
        .get(i)
        .is_some_and(|e| e.path.starts_with(&dir))
}

/// Words of a name, letters and digits apart ("FLUX1-dev" → flux, 1, dev), the word licence
/// itself aside.
fn name_words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut last_digit = None;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            last_digit = None;
            continue;
        }
        let digit = c.is_ascii_digit();
        if last_digit.is_some_and(|d| d != digit) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
        last_digit = Some(digit);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.retain(|w| {
        !matches!(
            w.as_str(),
            "license" | "licence" | "licenses" | "licences" | "md" | "txt"
        )
    });
    out
}

/// Elsewhere in the repository, the one licence file whose name shares most words (two at
/// least) with the link's text: "[flux-1-dev-non-commercial-license](./licence.md)" meant
/// `model_licenses/LICENSE-FLUX1-dev`.
fn licence_named_like(facts: &Facts, link_text: &str) -> Option<String> {
    let want = name_words(link_text);
    let mut best: Vec<(usize, &str)> = facts
        .files
        .entries
        .iter()
        .filter(|e| e.role == crate::repo::Role::License)
        .map(|e| {
            let have = name_words(roles::file_name(&e.path));
            (
                have.iter().filter(|w| want.contains(w)).count(),
                e.path.as_str(),
            )
        })
        .filter(|(n, _)| *n >= 2)
        .collect();
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    match best.as_slice() {
        [(n, p), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => Some(p.to_string()),
        _ => None,
    }
}

/// The licence file a broken link most likely meant: one in the link's folder whose name is the
/// same but for case or spelling (LICENCE / LICENSE), else the only licence file there.
fn licence_beside(facts: &Facts, missing: &str) -> Option<String> {
    let folder = roles::parent(missing);
    let here: Vec<&str> = facts
        .files
        .entries
        .iter()
        .filter(|e| e.role == crate::repo::Role::License && roles::parent(&e.path) == folder)
        .map(|e| e.path.as_str())
        .collect();
    let key = |p: &str| {
        roles::file_name(p)
            .to_ascii_uppercase()
            .replace("LICENCE", "LICENSE")
    };
    let want = key(missing);
    let want_stem = want.split('.').next().unwrap_or("").to_string();
    here.iter()
        .find(|p| key(p) == want)
        .or_else(|| {
            here.iter()
                .find(|p| key(p).split('.').next() == Some(want_stem.as_str()))
        })
        .or_else(|| if here.len() == 1 { here.first() } else { None })
        .map(|p| p.to_string())
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
        // a file that holds only a link is `license.only-link`
        let detail = if words < MIN_WORDS && pointer && !super::only_links_text(&d.text) {
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

    // checkpoints derived from other models, said to keep those models' terms
    out.extend(checkpoint_terms(facts, ev, &own));

    // one dataset, different licences: the data's licence text (or the first statement)
    // against every other statement about the release's own data
    out.extend(data_conflicts(facts, unit, ev, &own));

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
                    Witness::span(&f.path, d.anchor()).with_fix(WitnessFix::Create {
                        path: notice,
                        content: NOTICE_STUB.to_string(),
                    }),
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
                let terms = ev
                    .weights
                    .expression()
                    .unwrap_or_else(|| "terms modelgate does not recognise".into());
                // the sentence that restricts use, when a weights text says it
                let restriction = ev
                    .files
                    .iter()
                    .filter(|f| {
                        !f.vendored
                            && (f.covers.iter().any(|c| c == "weights")
                                || (ev.weights.implicit && f.repository))
                    })
                    .find_map(|f| {
                        f.clauses
                            .iter()
                            .find(|c| licenses::clauses::restricts_use(c.id))
                            .map(|c| (f.path.clone(), c.clone()))
                    });
                let known_restricted = ev.weights.ids.iter().any(|i| licenses::terms(i).restricted);
                let why = if t.restricted {
                    "restrict use"
                } else {
                    "are not OSI-approved"
                };
                let quote = match &restriction {
                    Some((p, c)) => format!(": `{p}` line {} says \"{}\"", c.line, c.text),
                    None => String::new(),
                };
                // an error when the restriction is certain: a known restrictive licence, or a
                // sentence that restricts use; otherwise (terms not recognised, or not
                // OSI-approved without a restriction) a warning
                let certain = t.restricted && (known_restricted || restriction.is_some());
                for (path, range) in washing_claims(facts, unit) {
                    if own(&path) {
                        let mut w = Witness::span(&path, range)
                            .var("license", terms.clone())
                            .var("why", why)
                            .var("quote", quote.clone())
                            .var("source", weights_source(facts, ev));
                        if !certain {
                            w = w.at_most(Level::Warning);
                        }
                        out.push(("card.open-washing", w));
                    }
                }
            }
        }
    }
    out
}

/// Where the weights' terms come from, for messages.
fn weights_source(facts: &Facts, ev: &Evidence) -> String {
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
        return match facts.doc(&s.path) {
            Some(d) => format!(
                "`{}` line {}",
                s.path,
                d.lines.position(&d.text, s.range.start).0
            ),
            None => format!("`{}`", s.path),
        };
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

/// Facts this module makes from the licence evidence.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("card.license-undeclared", "the primary card has no `license` in its front matter while the release's licence texts all identify one licence the Hub knows (vars: license, file)"),
    ("license.gguf-mismatch", "a GGUF file's embedded `general.license` names another licence than the release's texts and card (vars: value, file, found)"),
    ("license.unidentified", "a licence file whose text matches no known licence (no SPDX text word for word, no catalogued model licence)"),
    ("license.only-link", "a licence file that holds no terms, only a link to them (vars: url)"),
    ("license.broken-link", "a document links a licence file that does not exist (vars: target, instead)"),
    ("license.checkpoint-terms", "a card says some checkpoints derive from another model and keep its licence, which is not the weights' licence (vars: checkpoint, license, weights)"),
    ("license.data-conflict", "documents give the training data different licences (vars: license, other, other-place)"),
    ("license.mismatch", "a declared licence (card front matter or a policy component) that its licence text contradicts"),
    ("license.ambiguous-id", "a card's `license` is a Hub id for a family of licences (gpl, bsd, cc, openrail, ...)"),
    ("license.notice-missing", "an Apache-2.0 licence text that points to a NOTICE file the release does not have"),
    ("license.not-open", "a licence covering the weights or the repository that restricts use or is not OSI-approved"),
    ("license.permissive-closed", "a permissive repository licence over a closed component whose files are in the tree"),
    ("license.patent-grant", "a licence with an express patent grant (Apache-2.0, ...) covering a component marked patented"),
    ("card.open-washing", "a card or README says the release is open source while the weights' terms restrict use or are not OSI-approved"),
];
