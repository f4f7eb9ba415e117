//! What the licences of a release say and cover, and how open the release is: the evidence
//! behind `modelgate classify` and the release mode that `check` infers (CONTRACTS.md).

use crate::config::Status;
use crate::documents::Document;
use crate::facts::{licence_scope, Facts, Unit};
use crate::licenses::{self, catalogue, detect, Terms};
use crate::repo::{roles, Role};
use std::ops::Range;

pub mod findings;
pub mod manifest;

/// Texts read beside the documents (terms of use that are not named like licences).
const MAX_TERMS_TEXT: u64 = 1024 * 1024;

/// One licence text of the release and what it covers.
#[derive(Debug, Clone)]
pub struct LicenceFile {
    pub path: String,
    pub found: Option<detect::Identified>,
    /// Components: `code`, `weights`, `training-data`, ...
    pub covers: Vec<String>,
    /// Covers the repository as a whole (no component in its name or place).
    pub repository: bool,
    /// A licence of a bundled third-party library (nested, not a model folder).
    pub vendored: bool,
    /// The text refers to a NOTICE file.
    pub asks_notice: bool,
    /// What an unidentified text does, clause by clause (empty for an identified one).
    pub clauses: Vec<licenses::clauses::Clause>,
}

impl LicenceFile {
    pub fn id(&self) -> Option<&str> {
        self.found.as_ref().map(|f| f.id.as_str())
    }

    /// What the file covers, as classify shows it: a repository licence covers the code, and
    /// the weights too when nothing else states their terms.
    pub fn covers_shown(&self, ev: &Evidence) -> Vec<String> {
        if !self.repository {
            return self.covers.clone();
        }
        let mut v = vec!["code".to_string()];
        if ev.weights.implicit {
            v.push("weights".to_string());
        }
        v
    }
}

/// A sentence of a card or README that names a licence for some components.
#[derive(Debug, Clone)]
pub struct Statement {
    pub path: String,
    pub range: Range<usize>,
    pub license: String,
    /// Empty: the sentence does not say which component.
    pub covers: Vec<String>,
}

/// A licence the card declares in its front matter.
#[derive(Debug, Clone)]
pub struct Declared {
    pub path: String,
    pub range: Range<usize>,
    pub line: usize,
    /// As written.
    pub value: String,
    /// The SPDX / LicenseRef id it means, when known.
    pub id: Option<String>,
}

fn upper_name(path: &str) -> String {
    roles::file_name(path)
        .to_ascii_uppercase()
        .replace('-', "_")
}

fn is_notice(path: &str) -> bool {
    upper_name(path).starts_with("NOTICE")
}

fn is_use_policy(path: &str) -> bool {
    let n = upper_name(path);
    n.contains("USE_POLICY") || n.starts_with("ACCEPTABLE_USE") || n.contains("PROHIBITED_USE")
}

const VENDOR_DIRS: &[&str] = &[
    "third_party",
    "third-party",
    "thirdparty",
    "3rdparty",
    "vendor",
    "vendored",
    "external",
    "externals",
    "dependencies",
    "deps",
    "submodules",
];

/// A licence text of the run (a licence file, or terms of use named otherwise), identified once.
#[derive(Debug, Clone)]
pub struct LicenceText {
    pub path: String,
    pub text: std::sync::Arc<str>,
    pub found: Option<detect::Identified>,
    /// An unidentified text read clause by clause.
    pub clauses: Vec<licenses::clauses::Clause>,
}

/// Reads and identifies every licence text of the run once: the licence documents (NOTICE files
/// aside) and the terms-of-use files the roles do not count as licences. Sorted by path.
pub fn licence_texts(files: &crate::repo::FileSet, docs: &[Document]) -> Vec<LicenceText> {
    use rayon::prelude::*;
    // a licence file that cannot be read (a PDF, a binary) is kept with no text: its terms are
    // unknown, never absent
    let mut texts: Vec<(String, std::sync::Arc<str>)> = docs
        .iter()
        .filter(|d| d.role == Role::License && !is_notice(&d.path))
        .map(|d| (d.path.clone(), d.text.clone()))
        .collect();
    for e in &files.entries {
        if e.role != Role::License && roles::is_terms_name(&e.path) && !e.path.contains("/legal/") {
            // a document's text was read with the documents; another file is read here
            if let Some(d) = docs.iter().find(|d| d.path == e.path) {
                if d.readable {
                    texts.push((d.path.clone(), d.text.clone()));
                }
            } else if let Ok(bytes) = files.read(&e.path, MAX_TERMS_TEXT) {
                if let Ok(t) = String::from_utf8(bytes) {
                    texts.push((e.path.clone(), t.into()));
                }
            }
        }
    }
    // identifying a text is the costly part: the texts are identified in parallel
    let mut out: Vec<LicenceText> = texts
        .into_par_iter()
        .map(|(path, text)| {
            let found = detect::identify(&text);
            // an unidentified text, and the terms of a licence that is not OSI-approved, read
            // clause by clause: the sentence that restricts use is quoted in findings
            let clauses = if found.as_ref().is_none_or(|f| !licenses::terms(&f.id).osi) {
                licenses::clauses::read(&text)
            } else {
                Vec::new()
            };
            LicenceText {
                found,
                clauses,
                path,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Every licence text of a release, identified, with what it covers.
pub fn licence_files(facts: &Facts, unit: &Unit) -> Vec<LicenceFile> {
    let mut out = Vec::new();
    let mut texts: Vec<&LicenceText> = Vec::new();
    for &li in &unit.license_docs {
        let d = &facts.docs[li];
        if is_use_policy(&d.path) {
            continue;
        }
        texts.extend(facts.licence_text(&d.path));
    }
    for &i in &unit.files {
        let e = &facts.files.entries[i];
        if e.role != Role::License {
            texts.extend(facts.licence_text(&e.path));
        }
    }
    let model_folders: Vec<&str> = facts
        .units
        .iter()
        .filter(|u| !u.folder.is_empty())
        .map(|u| u.folder.as_str())
        .collect();
    for lt in texts {
        let (path, text, found) = (lt.path.clone(), &lt.text, lt.found.clone());
        let folder = roles::parent(&path);
        let own_folder = folder == unit.folder;
        let mut covers = licence_scope(&path, unit);
        let folder_lower = folder.to_ascii_lowercase();
        let vendored = !own_folder
            && !model_folders.contains(&folder)
            && folder_lower
                .split('/')
                .any(|p| VENDOR_DIRS.contains(&p) || p.starts_with("third"));
        if covers.is_empty() && !vendored {
            let last = folder_lower.rsplit('/').next().unwrap_or("");
            // a folder of model licences, terms of use, or a model licence (Llama, RAIL, ...)
            // cover the model whatever the file's name
            let model_folder =
                last.contains("model") || last.contains("weight") || last.contains("checkpoint");
            let model_licence = match &found {
                Some(f) => catalogue::entry(&f.id).is_some(),
                // an unidentified text that states terms for a model, its weights or parameters
                None => names_the_model(text),
            };
            if model_folder || upper_name(&path).contains("TERMS_OF_USE") || model_licence {
                covers.push("weights".into());
            }
        }
        let nested_other = !own_folder && !folder.is_empty() && covers.is_empty();
        let repository = covers.is_empty() && !vendored && !nested_other;
        let asks_notice =
            found.as_ref().is_some_and(|f| f.id == "Apache-2.0") && detect::asks_for_notice(text);
        out.push(LicenceFile {
            path,
            found,
            covers,
            repository,
            vendored: vendored || nested_other,
            asks_notice,
            clauses: lt.clauses.clone(),
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A licence file that holds no terms, only where they are: one or more links and at most a
/// few words ("See https://example.org/license").
pub fn only_links_text(text: &str) -> bool {
    let mut links = 0;
    let mut words = 0;
    for w in text.split_whitespace() {
        if w.contains("://") || w.starts_with("www.") {
            links += 1;
        } else if w.chars().any(char::is_alphanumeric) {
            words += 1;
        }
    }
    links > 0 && words <= 12
}

fn only_links(facts: &Facts, path: &str) -> bool {
    facts
        .licence_text(path)
        .is_some_and(|t| only_links_text(&t.text))
}

/// An unidentified licence text about a model: its opening (links aside) names the model, its
/// weights or parameters ("Model License Agreement", "the Model means the machine-learning
/// model ...", "模型许可协议").
fn names_the_model(text: &str) -> bool {
    let head: String = text
        .split_whitespace()
        .filter(|w| !w.contains("://"))
        .take(400)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let words: Vec<&str> = head
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let english = words.iter().any(|w| {
        matches!(
            *w,
            "model" | "models" | "weights" | "parameters" | "checkpoints"
        )
    });
    english || head.contains("模型") || head.contains("权重") || head.contains("参数")
}

/// Names of licences in prose, longest first: (normalised phrase, id).
fn prose_names() -> &'static [(String, String)] {
    static T: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<(String, String)> = Vec::new();
        let mut add = |p: &str, id: &str| {
            let n = catalogue::normalise(p);
            if n.trim().len() >= 3 {
                v.push((n, id.to_string()));
            }
        };
        for (p, id) in [
            ("Apache 2.0", "Apache-2.0"),
            ("Apache-2.0", "Apache-2.0"),
            ("Apache License 2.0", "Apache-2.0"),
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("Apache License Version 2.0", "Apache-2.0"),
            ("MIT License", "MIT"),
            ("MIT licence", "MIT"),
            ("under MIT", "MIT"),
            ("BSD 3-Clause", "BSD-3-Clause"),
            ("BSD-3-Clause", "BSD-3-Clause"),
            ("GPL-3.0", "GPL-3.0-only"),
            ("GPLv3", "GPL-3.0-only"),
            ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
            ("CC-BY-NC-4.0", "CC-BY-NC-4.0"),
            ("CC BY NC 4.0", "CC-BY-NC-4.0"),
            (
                "Creative Commons Attribution-NonCommercial 4.0",
                "CC-BY-NC-4.0",
            ),
            ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"),
            ("CC BY 4.0", "CC-BY-4.0"),
            ("CC-BY-4.0", "CC-BY-4.0"),
            ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
            ("CC0", "CC0-1.0"),
            ("ODC-By", "ODC-By-1.0"),
            ("ODC By", "ODC-By-1.0"),
            ("Open Data Commons Attribution", "ODC-By-1.0"),
            ("ODbL", "ODbL-1.0"),
            ("Open Database License", "ODbL-1.0"),
            ("MNPL", "LicenseRef-Mistral-AI-Non-Production-License-0.1"),
            (
                "Mistral AI Non-Production",
                "LicenseRef-Mistral-AI-Non-Production-License-0.1",
            ),
            ("MRL", "LicenseRef-Mistral-AI-Research-License-0.1"),
            (
                "Mistral AI Research",
                "LicenseRef-Mistral-AI-Research-License-0.1",
            ),
            (
                "Community License for Baichuan2 Model",
                "LicenseRef-Baichuan2-Community-License",
            ),
            (
                "Community License for Baichuan 2 Model",
                "LicenseRef-Baichuan2-Community-License",
            ),
            ("Open RAIL++-M", "LicenseRef-CreativeML-OpenRAIL++-M"),
            ("OpenRAIL++", "LicenseRef-CreativeML-OpenRAIL++-M"),
            ("RAIL License v1.0", "LicenseRef-BigScience-BLOOM-RAIL-1.0"),
        ] {
            add(p, id);
        }
        for e in catalogue::entries() {
            add(&e.name, &e.id);
            for t in &e.title {
                add(t, &e.id);
            }
            // short names in prose: "the Llama 3.1 license", "under the llama3.1 licence"
            let short = e
                .name
                .replace(" Community License Agreement", " License")
                .replace(" License Agreement", " License")
                .replace("Meta ", "");
            if short != e.name && short.split_whitespace().count() >= 2 {
                add(&short, &e.id);
                add(&short.replace(" License", " Licence"), &e.id);
            }
            if let Some(h) = &e.hub {
                if h.chars().any(|c| c.is_ascii_digit()) {
                    add(&format!("{h} license"), &e.id);
                    add(&format!("{h} licence"), &e.id);
                }
            }
        }
        v.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        v
    })
}

const CODE_WORDS: &[&str] = &[
    "code",
    "codebase",
    "repository",
    "repo",
    "library",
    "framework",
    "software",
    "source",
    "inference",
    "implementation",
    "scripts",
];
const WEIGHT_WORDS: &[&str] = &[
    "weights",
    "weight",
    "checkpoint",
    "checkpoints",
    "parameters",
    "models",
    "model",
];
const DATA_WORDS: &[&str] = &["data", "dataset", "datasets", "corpus"];

/// Sentences of cards and READMEs that name a licence, with the components they name.
pub fn statements(facts: &Facts, unit: &Unit) -> Vec<Statement> {
    statements_in(readmes(facts, unit))
}

/// Sentences of the given documents that name a licence, with the components they name.
pub fn statements_in<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Vec<Statement> {
    let mut out = Vec::new();
    for d in docs {
        let text = &d.text;
        let mut start = d
            .front_matter
            .as_ref()
            .map(|f| f.range.end)
            .unwrap_or(0)
            .min(text.len());
        let bytes = text.as_bytes();
        while start < text.len() {
            // a sentence: up to ". ", a blank line, or a line that starts a list item
            let mut end = start;
            while end < text.len() {
                let c = bytes[end];
                if (c == b'.' || c == b'!' || c == b'?')
                    && bytes.get(end + 1).is_none_or(|n| n.is_ascii_whitespace())
                    && !(end > 0 && bytes[end - 1].is_ascii_digit())
                {
                    end += 1;
                    break;
                }
                if c == b'\n' {
                    // a blank line, a table row or a list item ends the sentence
                    let next = text[end + 1..].trim_start_matches([' ', '\t']);
                    if end + 1 >= text.len()
                        || bytes[end + 1] == b'\n'
                        || next.starts_with('|')
                        || next.starts_with("- ")
                        || next.starts_with("* ")
                        || next.starts_with('#')
                    {
                        end += 1;
                        break;
                    }
                }
                end += 1;
            }
            let end = crate::text::floor_char_boundary(text, end.max(start + 1).min(text.len()));
            if end <= start {
                break;
            }
            let sentence = &text[start..end];
            if sentence.len() < 1200 && !sentence.trim_start().starts_with('|') {
                let norm = catalogue::normalise(sentence);
                let licensing = [
                    " under ",
                    " governed by ",
                    " subject to ",
                    " adherence to ",
                    " adhere to ",
                    " comply with ",
                    " called ",
                    " custom ",
                    " terms of ",
                    " licensed ",
                    " licenced ",
                    " following license ",
                    " following licence ",
                    "许可",
                    "遵循",
                    "遵守",
                ];
                if (licensing.iter().any(|v| norm.contains(v))
                    || norm.starts_with(" license ")
                    || norm.starts_with(" licence "))
                    && !norm.contains(" updated to ")
                    && !norm.contains(" is updated ")
                {
                    let mut ids: Vec<&str> = Vec::new();
                    let mut rest = norm.clone();
                    for (p, id) in prose_names() {
                        if rest.contains(p.as_str()) {
                            if !ids.contains(&id.as_str()) {
                                ids.push(id);
                            }
                            rest = rest.replace(p.as_str(), " ");
                        }
                    }
                    // "The following license applies to ...": the licence is named in the
                    // paragraph or code block after the sentence
                    if ids.is_empty()
                        && (norm.contains(" following license ")
                            || norm.contains(" following licence "))
                    {
                        let ahead_end =
                            crate::text::floor_char_boundary(text, (end + 1500).min(text.len()));
                        let ahead = catalogue::normalise(&text[end..ahead_end]);
                        if let Some((_, id)) = prose_names()
                            .iter()
                            .filter_map(|(p, id)| ahead.find(p.as_str()).map(|i| (i, id)))
                            .min_by_key(|(i, _)| *i)
                        {
                            ids.push(id.as_str());
                        }
                    }
                    if !ids.is_empty() {
                        let covers = covers_of(sentence, &norm);
                        // "the code is released under X, the weights under Y": clause by clause
                        let clauses: Vec<&str> = sentence
                            .split([',', ';'])
                            .flat_map(|c| c.split(" while "))
                            .collect();
                        let mut by_clause: Vec<(String, Vec<String>)> = Vec::new();
                        if clauses.len() > 1 && ids.len() > 1 {
                            let mut pending: Vec<String> = Vec::new();
                            for c in clauses {
                                let n = catalogue::normalise(c);
                                let cov = covers_of(c, &n);
                                let id = prose_names()
                                    .iter()
                                    .find(|(p, _)| n.contains(p.as_str()))
                                    .map(|(_, id)| id.clone());
                                match id {
                                    Some(id) => {
                                        let mut cv = cov;
                                        cv.append(&mut pending);
                                        by_clause.push((id, cv));
                                    }
                                    None => pending.extend(cov),
                                }
                            }
                        }
                        if by_clause.len() > 1 && by_clause.iter().all(|(_, c)| !c.is_empty()) {
                            for (id, cv) in by_clause {
                                out.push(Statement {
                                    path: d.path.clone(),
                                    range: start..end,
                                    license: id,
                                    covers: cv,
                                });
                            }
                        } else {
                            for id in ids {
                                out.push(Statement {
                                    path: d.path.clone(),
                                    range: start..end,
                                    license: id.to_string(),
                                    covers: covers.clone(),
                                });
                            }
                        }
                    }
                }
            }
            start = end;
        }
    }
    out
}

/// The components a sentence (or a clause) names.
fn covers_of(raw: &str, norm: &str) -> Vec<String> {
    let words: Vec<&str> = norm.split_whitespace().collect();
    let mut covers = Vec::new();
    if words.iter().any(|w| CODE_WORDS.contains(w)) {
        covers.push("code".to_string());
    }
    let names_file = raw.split(|c: char| c.is_whitespace() || c == '`').any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        roles::is_weight_name(w) || [".tar", ".zip", ".tar.gz"].iter().any(|x| w.ends_with(x))
    });
    if names_file || words.iter().any(|w| WEIGHT_WORDS.contains(w)) {
        covers.push("weights".to_string());
    }
    if words.iter().any(|w| DATA_WORDS.contains(w)) && !covers.iter().any(|c| c == "weights") {
        covers.push("training-data".to_string());
    }
    covers
}

/// The cards of a release and the repository's README (also when it is only an index).
pub fn readmes<'a>(facts: &'a Facts, unit: &Unit) -> Vec<&'a Document> {
    let mut v: Vec<&Document> = unit
        .cards
        .iter()
        .map(|c| &facts.docs[*c])
        .filter(|d| d.readable)
        .collect();
    if unit.folder.is_empty() {
        for d in &facts.docs {
            if d.readable
                && !d.path.contains('/')
                && roles::is_readme(&d.path)
                && d.role == Role::Doc
                && !v.iter().any(|x| x.path == d.path)
            {
                v.push(d);
            }
        }
    }
    v
}

/// The licences the cards declare in their front matter.
pub fn declared(facts: &Facts, unit: &Unit) -> Vec<Declared> {
    let mut out = Vec::new();
    for &c in &unit.cards {
        let d = &facts.docs[c];
        if let Some(node) = d.meta().and_then(|m| m.get("license")) {
            for (value, span) in node.texts() {
                let line = d.lines.position(&d.text, span.start).0;
                out.push(Declared {
                    path: d.path.clone(),
                    id: licenses::canonical(&value),
                    range: span,
                    line,
                    value,
                });
            }
        }
    }
    out
}

/// What decides a component's terms, and the ids found.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    pub ids: Vec<String>,
    /// A text states terms for the component that match no known licence: its terms are not
    /// known, and are never taken as permissive.
    pub unknown: bool,
    /// No statement names the component: the repository's licence is taken to cover it.
    pub implicit: bool,
}

impl Coverage {
    pub fn terms(&self) -> Option<Terms> {
        if self.ids.is_empty() && !self.unknown {
            return None;
        }
        let mut all: Vec<Terms> = self.ids.iter().map(|i| licenses::terms(i)).collect();
        if self.unknown {
            // unknown is never permissive
            all.push(Terms {
                restricted: true,
                ..Terms::default()
            });
        }
        Some(Terms {
            osi: all.iter().all(|t| t.osi),
            restricted: all.iter().any(|t| t.restricted),
            commercial: all.iter().all(|t| t.commercial),
            copyleft: all.iter().any(|t| t.copyleft),
            patents: all.iter().all(|t| t.patents),
            known: all.iter().all(|t| t.known),
        })
    }

    pub fn expression(&self) -> Option<String> {
        if self.ids.is_empty() {
            None
        } else {
            Some(self.ids.join(" AND "))
        }
    }
}

fn push_id(v: &mut Vec<String>, id: &str) {
    if !v.iter().any(|x| licenses::same_text(x, id)) {
        v.push(id.to_string());
    }
}

/// Everything classify and the licence rules need about one release.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub files: Vec<LicenceFile>,
    pub statements: Vec<Statement>,
    pub declared: Vec<Declared>,
    /// Unidentified licence texts count: a file whose text is unknown leaves terms unknown.
    pub weights: Coverage,
    pub code: Coverage,
    pub data: Coverage,
    pub repository: Coverage,
}

pub fn evidence(facts: &Facts, unit: &Unit) -> Evidence {
    let files = licence_files(facts, unit);
    let statements = statements(facts, unit);
    let declared = declared(facts, unit);
    let mut repository = Coverage::default();
    for f in files.iter().filter(|f| f.repository) {
        match f.id() {
            Some(id) => push_id(&mut repository.ids, id),
            None if !only_links(facts, &f.path) => repository.unknown = true,
            None => {}
        }
    }
    if repository.ids.is_empty() {
        for s in statements.iter().filter(|s| s.covers.is_empty()) {
            push_id(&mut repository.ids, &s.license);
        }
    }
    let component = |name: &str| -> Coverage {
        let mut c = Coverage::default();
        if let Some(l) = unit
            .components
            .iter()
            .find(|x| x.name == name)
            .and_then(|x| x.license.as_ref())
        {
            push_id(&mut c.ids, l);
            return c;
        }
        for f in files.iter().filter(|f| f.covers.iter().any(|x| x == name)) {
            match f.id() {
                Some(id) => push_id(&mut c.ids, id),
                None => c.unknown = true,
            }
        }
        for s in statements
            .iter()
            .filter(|s| s.covers.iter().any(|x| x == name))
        {
            push_id(&mut c.ids, &s.license);
        }
        if name == "weights" {
            for d in &declared {
                if let Some(id) = &d.id {
                    push_id(&mut c.ids, id);
                }
            }
        }
        if c.ids.is_empty() && !c.unknown && name != "training-data" {
            c.ids = repository.ids.clone();
            c.unknown = repository.unknown;
            c.implicit = true;
        }
        c
    };
    let weights = component("weights");
    let code = component("code");
    let data = component("training-data");
    Evidence {
        files,
        statements,
        declared,
        weights,
        code,
        data,
        repository,
    }
}

/// "the new generation of open-source models": a collective noun before "of" names the release
/// itself, where "the best of" or "many of" would name others.
fn names_itself(before: &str) -> bool {
    let Some(rest) = before.strip_suffix("of ") else {
        return false;
    };
    let last = rest
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    matches!(
        last,
        "generation" | "family" | "series" | "suite" | "line" | "collection" | "lineup"
    )
}

/// What a claim's verb opens up when it is not the model: data, metadata, code, tools, an
/// evaluation. "We open-source the metadata to X" says nothing about the weights' terms.
fn object_is_not_the_model(after: &str) -> bool {
    const NOT_MODEL: &[&str] = &[
        "data",
        "dataset",
        "datasets",
        "metadata",
        "corpus",
        "code",
        "codebase",
        "tool",
        "tools",
        "toolkit",
        "library",
        "libraries",
        "framework",
        "evaluation",
        "benchmark",
        "benchmarks",
        "pipeline",
        "script",
        "scripts",
        "recipe",
        "recipes",
        "tutorial",
        "demo",
        "leaderboard",
    ];
    const MODEL: &[&str] = &["model", "models", "weights", "checkpoint", "checkpoints"];
    // the object: the words up to the end of the clause
    let end = after
        .find(['.', ',', ';', ':', '!', '?', '(', '\n'])
        .unwrap_or(after.len());
    let words: Vec<&str> = after[..end]
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    words.iter().any(|w| NOT_MODEL.contains(w)) && !words.iter().any(|w| MODEL.contains(w))
}

/// Verbs of using something made elsewhere: "我们采用了开源的评测方案" is about that scheme.
const ZH_USING: &[&str] = &["采用", "使用", "基于", "借助", "参考", "利用", "沿用"];

/// What follows "开源" when it is not the model: code, an evaluation, tools, data.
fn zh_object_is_not_the_model(after: &str) -> bool {
    // skip link markup, particles and a few characters of qualifiers
    let mut rest = after;
    if let Some(r) = rest.strip_prefix("](") {
        rest = r.split_once(')').map(|(_, r)| r).unwrap_or("");
    }
    let rest: String = rest
        .trim_start_matches(['了', '的', ']'])
        .chars()
        .take(8)
        .collect();
    const NOT_MODEL: &[&str] = &[
        "代码", "评测", "测评", "工具", "框架", "数据", "库", "方案", "生态", "协议", "教程",
    ];
    NOT_MODEL.iter().any(|n| rest.contains(n)) && !rest.contains("模型") && !rest.contains("权重")
}

/// The claim's words are the text of a link to another site: "[open-source](https://…)"
/// points at someone else's work.
fn links_elsewhere(line: &str, r: Range<usize>) -> bool {
    let head = &line[..r.end];
    let after = &line[r.end..];
    let Some(open) = head.rfind('[') else {
        return false;
    };
    if head[open..].contains(']') {
        return false;
    }
    match after.find("](") {
        Some(i) if !after[..i].contains('[') => {
            let target = &after[i + 2..];
            target.starts_with("http://") || target.starts_with("https://")
        }
        _ => false,
    }
}

/// Words that say "open source" about a release.
fn open_source_claims(text: &str) -> Vec<Range<usize>> {
    struct Res {
        noun: regex::Regex,
        verb: regex::Regex,
        zh: regex::Regex,
    }
    static RE: std::sync::OnceLock<Option<Res>> = std::sync::OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Some(Res {
                // "an open-source large language model", "open source reproduction"
                noun: regex::Regex::new(r"open[- ]?source[d]?\s+(?:[\w.-]+\s+){0,2}?(?:model|models|llm|llms|language|reproduction|release|releases|weights|version|versions|series|foundation|multimodal|checkpoints?|alternative to)\b").ok()?,
                // "we have open-sourced", "is fully open source"
                verb: regex::Regex::new(r"\b(?:we|we've|we have|we are|we're|has been|have been|is|are|will be|were|was|being|now)\s+(?:fully\s+|now\s+|also\s+|completely\s+)?open[- ]?sourc(?:ed|ing|e)\b").ok()?,
                zh: regex::Regex::new(r"(?:我们|已|全面|正式|宣布|免费)\S{0,6}开源|开源(?:了|的)?(?:大|多模态|中英|双语|语言)?\S{0,4}模型").ok()?,
            })
        })
        .as_ref()
    else {
        return vec![];
    };
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut offset = 0;
    // "other open-source models", "outperform open source chat models": about others
    const OTHERS: &[&str] = &[
        "other ",
        "outperform ",
        "outperforms ",
        "outperforming ",
        "than ",
        "available ",
        "existing ",
        "leading ",
        "popular ",
        "best ",
        "top ",
        "many ",
        "among ",
        "vs ",
        "vs. ",
        "versus ",
        "compared to ",
        "compared with ",
        "like ",
        "such as ",
        "of ",
        "from ",
        "and ",
        "state-of-the-art ",
        "sota ",
        "previous ",
        "prior ",
        "strongest ",
        "comparable ",
        "rival ",
        "rivals ",
        "surpass ",
        "surpasses ",
        "beats ",
        "beat ",
    ];
    const SUBJECTS: &[&str] = &[
        "tools",
        "toolkit",
        "library",
        "libraries",
        "code",
        "framework",
    ];
    for line in lower.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence
            || t.starts_with('|')
            || t.starts_with('@')
            || t.contains("title=")
            || t.contains("title =")
            || t.contains("title:")
            || t.contains("journal")
            || t.contains("arxiv preprint")
            || t.contains("booktitle")
        {
            continue;
        }
        let mut hit = None;
        for m in re.noun.find_iter(line) {
            let before = &line[..m.start()];
            if !OTHERS.iter().any(|o| before.ends_with(o)) || names_itself(before) {
                hit = Some(m.range());
                break;
            }
        }
        if hit.is_none() {
            for m in re.verb.find_iter(line) {
                let b0 = crate::text::floor_char_boundary(line, m.start().saturating_sub(40));
                let before = &line[b0..m.start()];
                if !SUBJECTS.iter().any(|s| before.contains(s))
                    && !object_is_not_the_model(&line[m.end()..])
                    && !links_elsewhere(line, m.range())
                {
                    hit = Some(m.range());
                    break;
                }
            }
        }
        if hit.is_none() {
            for m in re.zh.find_iter(line) {
                let after = &line[m.end()..];
                let b0 = crate::text::floor_char_boundary(line, m.start().saturating_sub(12));
                let before = &line[b0..m.start()];
                if !after.starts_with("社区")
                    && !ZH_USING
                        .iter()
                        .any(|u| before.contains(u) || line[m.range()].contains(u))
                    && !zh_object_is_not_the_model(after)
                    && !links_elsewhere(line, m.range())
                {
                    hit = Some(m.range());
                    break;
                }
            }
        }
        if let Some(r) = hit {
            out.push(start + r.start..start + r.end);
        }
    }
    out
}

/// Places where a card or README says the release is open source, for `card/open-washing`.
/// A claim about a component the documents put under OSI-approved terms ("the following
/// components are MIT licensed: - the speech encoder") is true of that component: it is not
/// about the weights' terms.
pub fn washing_claims(facts: &Facts, unit: &Unit) -> Vec<(String, Range<usize>)> {
    claims_but(facts, unit, true)
}

/// Places where a card or README says the release (or a component of it) is open source.
pub fn claims(facts: &Facts, unit: &Unit) -> Vec<(String, Range<usize>)> {
    claims_but(facts, unit, false)
}

fn claims_but(facts: &Facts, unit: &Unit, osi_aside: bool) -> Vec<(String, Range<usize>)> {
    let docs = readmes(facts, unit);
    let osi: Vec<String> = if osi_aside {
        docs.iter().flat_map(|d| osi_components(&d.text)).collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for d in &docs {
        for r in open_source_claims(&d.text) {
            let ls = d.text[..r.start].rfind('\n').map_or(0, |i| i + 1);
            let le = d.text[r.end..]
                .find('\n')
                .map_or(d.text.len(), |i| r.end + i);
            let line = d.text[ls..le].to_lowercase();
            if osi.iter().any(|n| line.contains(n.as_str())) {
                continue;
            }
            out.push((d.path.clone(), r));
        }
    }
    out
}

/// Names of components a document puts under an OSI-approved licence: the items of a list
/// introduced by a sentence that names one ("The following components are MIT licensed:"),
/// and the subject of "X is released under the Apache 2.0 licence". Lower case, link text only.
fn osi_components(text: &str) -> Vec<String> {
    static RE: std::sync::OnceLock<Option<(regex::Regex, regex::Regex)>> =
        std::sync::OnceLock::new();
    let Some((osi, subject)) = RE
        .get_or_init(|| {
            Some((
                regex::Regex::new(
                    r"(?i)\b(?:mit|apache(?:[- ]?(?:license|licence)?,?\s*(?:version\s*)?2(?:\.0)?)?|bsd(?:-[23]-clause)?|mpl-?2\.0|isc|osi[- ]approved)\b",
                )
                .ok()?,
                regex::Regex::new(
                    r"(?i)^\s*(?:[-*]\s+)?(?:the\s+)?(.{3,80}?)\s+(?:is|are)\s+(?:released|licensed|available|distributed|provided)\s+under\b",
                )
                .ok()?,
            ))
        })
        .as_ref()
    else {
        return vec![];
    };
    let name_of = |item: &str| -> String {
        let t = item.trim();
        // the link text when the item is a link
        let t = match t.strip_prefix('[').and_then(|r| r.split_once("](")) {
            Some((link, _)) => link,
            None => t,
        };
        t.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if !osi.is_match(l) || !(l.contains("licen") || l.contains("Licen")) {
            continue;
        }
        if l.trim_end().ends_with(':') {
            for item in lines[i + 1..].iter().skip_while(|x| x.trim().is_empty()) {
                let t = item.trim_start();
                let Some(body) = t
                    .strip_prefix("- ")
                    .or_else(|| t.strip_prefix("* "))
                    .or_else(|| t.strip_prefix("+ "))
                else {
                    break;
                };
                out.push(name_of(body));
            }
        } else if let Some(c) = subject.captures(l) {
            out.push(name_of(&c[1]));
        }
    }
    // a name of one or two letters, or a generic word, would match any line
    out.retain(|n| n.len() >= 6 && !matches!(n.as_str(), "models" | "weights" | "the code"));
    out
}

fn has_role(facts: &Facts, unit: &Unit, role: Role) -> bool {
    unit.files
        .iter()
        .any(|i| facts.files.entries[*i].role == role)
}

/// Substantive code: source files beyond a helper script or two.
fn code_files<'a>(facts: &'a Facts, unit: &Unit) -> Vec<&'a str> {
    unit.files
        .iter()
        .map(|i| &facts.files.entries[*i])
        .filter(|e| e.role == Role::Code)
        .map(|e| e.path.as_str())
        .collect()
}

/// Weights count as published when the tree has them (files, LFS pointers, placeholders),
/// or a card or README links to them or says where to download them.
/// Whether a unit's weights are published; worked out once by the facts stage
/// (`Unit::weights_published`).
pub fn find_weights_published(facts: &Facts, unit: &Unit) -> bool {
    if !unit.fact("weights.published").is_empty() {
        return true;
    }
    // a download script for the weights (download_model.py) fetches them from somewhere public
    let script = unit.files.iter().any(|i| {
        let e = &facts.files.entries[*i];
        let n = roles::file_name(&e.path).to_ascii_lowercase();
        e.role == Role::Code
            && n.starts_with("download")
            && (n.contains("model") || n.contains("weight") || n.contains("checkpoint"))
    });
    script
        || readmes(facts, unit)
            .iter()
            .any(|d| !crate::facts::weight_links(&d.text).is_empty() || download_links(&d.text))
}

/// Archives of checkpoints, or download instructions for the weights, with a link.
fn download_links(text: &str) -> bool {
    static RE: std::sync::OnceLock<(regex::Regex, regex::Regex)> = std::sync::OnceLock::new();
    let (archive, download) = RE.get_or_init(|| {
        (
            regex::Regex::new(r"(?i)https?://[^\s)\]]+\.(zip|tar|tar\.gz|tgz|zst|xz|bz2|7z)\b")
                .unwrap_or_else(|_| regex::Regex::new("$^").unwrap()),
            regex::Regex::new(
                r"(?i)download(ing)?\s+(the\s+)?([\w.-]+\s+){0,3}?(model\s+)?(weights|parameters|params|checkpoints?|models?)\b",
            )
            .unwrap_or_else(|_| regex::Regex::new("$^").unwrap()),
        )
    });
    let lower_has = |t: &str| {
        let l = t.to_lowercase();
        l.contains("checkpoint")
            || l.contains("weights")
            || l.contains("model zoo")
            || l.contains("pretrained model")
    };
    if archive.is_match(text) && lower_has(text) {
        return true;
    }
    let linked_after = |m: regex::Match| {
        let end = crate::text::floor_char_boundary(text, (m.end() + 600).min(text.len()));
        text[m.end()..end].contains("http")
    };
    // gated weights are published too: "request access", "accept the licence to download"
    static GATED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let gated = GATED.get_or_init(|| {
        regex::Regex::new(concat!(
            r"(?i)\b(?:request|requesting|apply\s+for|granted)\s+access\s+to\s+(?:the\s+)?(?:model|weights|checkpoints?)\b|",
            r"\bgated\s+(?:model|repository|repo|access|weights)\b|",
            r"\baccept\s+(?:the\s+)?(?:licen[cs]e|terms)\b[^.\n]{0,80}\b(?:download|access)\b|",
            r"申请(?:下载|访问|使用)(?:模型|权重)?|(?:模型|权重)下载"
        ))
        .unwrap_or_else(|_| regex::Regex::new("$^").unwrap())
    });
    download.find_iter(text).any(linked_after) || gated.find_iter(text).any(linked_after)
}

/// What an inferred mode rests on, in a few words with places: "weights linked at
/// README.md:40", "training data named at README.md:77", "weights under MIT".
pub fn mode_evidence(facts: &Facts, unit: &Unit) -> Vec<String> {
    let at = |d: &Document, offset: usize| {
        let (line, _) = d.lines.position(&d.text, offset);
        format!("{}:{line}", d.path)
    };
    let mut out = Vec::new();
    let weight_file = unit
        .files
        .iter()
        .map(|i| &facts.files.entries[*i])
        .find(|e| e.role == Role::Weights);
    let linked = readmes(facts, unit).into_iter().find_map(|d| {
        crate::facts::weight_links(&d.text)
            .first()
            .map(|(r, _)| at(d, r.start))
    });
    out.push(match (weight_file, linked) {
        (Some(e), _) => format!("weights in {}", e.path),
        (None, Some(place)) => format!("weights linked at {place}"),
        (None, None) if unit.weights_published && !unit.folder.is_empty() => {
            "weights published by the repository".to_string()
        }
        (None, None) if unit.weights_published => "download instructions for the weights".into(),
        (None, None) => "no weights published".to_string(),
    });
    let data = unit
        .cards
        .iter()
        .chain(unit.data_docs.iter())
        .map(|c| &facts.docs[*c])
        .find_map(|d| {
            d.sections_in("training-data")
                .next()
                .map(|s| at(d, s.heading_range.start))
        });
    out.push(match data {
        Some(place) => format!("training data named at {place}"),
        None => "training data not named".to_string(),
    });
    if let Some(id) = unit.evidence.weights.ids.first() {
        out.push(format!("weights under {id}"));
    }
    out
}

/// The release mode, in the order CONTRACTS.md gives.
pub fn release_mode(
    facts: &Facts,
    unit: &Unit,
    ev: &Evidence,
    published: bool,
) -> crate::facts::classify::ReleaseMode {
    use crate::facts::classify::{data_disclosure, Disclosure, ReleaseMode};
    if published {
        if ev.weights.terms().is_some_and(|t| t.restricted) {
            return ReleaseMode::OpenWeightsRestricted;
        }
        let weights_osi = ev.weights.terms().is_some_and(|t| t.osi && t.known);
        let code_osi = ev.code.terms().is_none_or(|t| t.osi);
        if weights_osi && code_osi && data_disclosure(facts, unit) == Disclosure::Full {
            ReleaseMode::Open
        } else {
            ReleaseMode::Hybrid
        }
    } else {
        let code_open = ev.code.terms().is_some_and(|t| t.known && !t.restricted);
        if !code_files(facts, unit).is_empty() && code_open {
            ReleaseMode::Hybrid
        } else {
            ReleaseMode::Closed
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Component {
    pub name: String,
    pub status: &'static str,
    pub license: Option<String>,
}

fn path_has(facts: &Facts, unit: &Unit, pred: impl Fn(&str) -> bool) -> bool {
    unit.files.iter().any(|i| {
        let e = &facts.files.entries[*i];
        e.role == Role::Code && pred(&e.path.to_ascii_lowercase())
    })
}

/// The components of a release, with their status and licence.
pub fn components(facts: &Facts, unit: &Unit, ev: &Evidence) -> Vec<Component> {
    use crate::facts::classify::{data_disclosure, Disclosure};
    let mut out = Vec::new();
    for c in &unit.components {
        let cov = match c.name.as_str() {
            "weights" => ev.weights.clone(),
            "training-data" => ev.data.clone(),
            "code" | "training-code" => ev.code.clone(),
            other => {
                let mut cov = Coverage::default();
                if let Some(l) = &c.license {
                    cov.ids.push(l.clone());
                }
                for f in ev
                    .files
                    .iter()
                    .filter(|f| f.covers.iter().any(|x| x == other))
                {
                    if let Some(id) = f.id() {
                        push_id(&mut cov.ids, id);
                    }
                }
                cov
            }
        };
        let restricted = cov.terms().is_some_and(|t| t.restricted);
        let present = match c.name.as_str() {
            "weights" => unit.weights_published,
            _ => !c.files.is_empty(),
        };
        let status = if c.declared && c.status == Status::Closed {
            if c.name == "training-data" && data_disclosure(facts, unit) != Disclosure::None {
                "described"
            } else {
                "closed"
            }
        } else if present {
            if restricted {
                "restricted"
            } else {
                "open"
            }
        } else {
            match c.name.as_str() {
                "training-data" => {
                    if data_disclosure(facts, unit) != Disclosure::None {
                        "described"
                    } else {
                        "closed"
                    }
                }
                "code" => "absent",
                "weights" | "training-code" => "closed",
                _ => "absent",
            }
        };
        let license = if matches!(status, "open" | "restricted") {
            cov.expression()
        } else {
            None
        };
        out.push(Component {
            name: c.name.clone(),
            status,
            license,
        });
    }
    out
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Conformance {
    pub conformant: bool,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Mof {
    pub class: Option<u8>,
    pub missing_for_next: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Exemption {
    pub applies: bool,
    pub missing: Vec<String>,
}

fn any_section(facts: &Facts, unit: &Unit, group: &str) -> bool {
    unit.cards
        .iter()
        .chain(unit.data_docs.iter())
        .any(|c| facts.docs[*c].sections_in(group).next().is_some())
}

fn any_text(facts: &Facts, unit: &Unit, needles: &[&str]) -> bool {
    readmes(facts, unit).iter().any(|d| {
        let l = d.text.to_lowercase();
        needles.iter().any(|n| l.contains(n))
    })
}

/// OSI Open Source AI Definition: data information, code and parameters under OSI terms.
pub fn osaid(facts: &Facts, unit: &Unit, ev: &Evidence) -> Conformance {
    use crate::facts::classify::{data_disclosure, Disclosure};
    let mut missing = Vec::new();
    if data_disclosure(facts, unit) != Disclosure::Full {
        missing.push("data information".to_string());
    }
    let code = code_files(facts, unit);
    let code_osi = ev.code.terms().is_some_and(|t| t.osi && t.known);
    if code.is_empty() {
        missing.push("code".to_string());
    } else if !code_osi {
        missing.push("OSI-approved terms for code".to_string());
    }
    let w_osi = ev.weights.terms().is_some_and(|t| t.osi && t.known);
    if !unit.weights_published {
        missing.push("parameters".to_string());
    } else if !w_osi {
        missing.push("OSI-approved terms for parameters".to_string());
    }
    Conformance {
        conformant: missing.is_empty(),
        missing,
    }
}

/// Model Openness Framework classes: III (open model), II (open tooling), I (open science).
pub fn mof(facts: &Facts, unit: &Unit, ev: &Evidence) -> Mof {
    use crate::facts::classify::{data_disclosure, Disclosure};
    let open_terms = |c: &Coverage| c.terms().is_some_and(|t| t.known && !t.restricted);
    let code = code_files(facts, unit);
    let code_open = !code.is_empty() && open_terms(&ev.code);
    let has_config = has_role(facts, unit, Role::ModelConfig);
    let paper = any_text(
        facts,
        unit,
        &[
            "arxiv.org",
            "technical report",
            "tech report",
            "论文",
            "技术报告",
        ],
    );
    let class3: Vec<(&str, bool)> = vec![
        ("model architecture", code_open || has_config),
        (
            "model parameters",
            unit.weights_published && open_terms(&ev.weights),
        ),
        ("model card", !unit.cards.is_empty()),
        (
            "data card",
            !unit.data_docs.is_empty() || any_section(facts, unit, "training-data"),
        ),
        ("technical report", paper),
        ("evaluation results", any_section(facts, unit, "evaluation")),
    ];
    let train = unit
        .components
        .iter()
        .find(|c| c.name == "training-code")
        .is_some_and(|c| !c.files.is_empty());
    let class2: Vec<(&str, bool)> = vec![
        ("training code", train && open_terms(&ev.code)),
        (
            "inference code",
            code_open && path_has(facts, unit, |p| !p.contains("train")),
        ),
        (
            "evaluation code",
            code_open && path_has(facts, unit, |p| p.contains("eval")),
        ),
        (
            "evaluation data",
            unit.files.iter().any(|i| {
                let e = &facts.files.entries[*i];
                let p = e.path.to_ascii_lowercase();
                matches!(e.role, Role::DataSample) && p.contains("eval")
            }) || any_text(
                facts,
                unit,
                &["evaluation data", "eval data", "benchmark data"],
            ),
        ),
    ];
    let class1: Vec<(&str, bool)> = vec![
        ("research paper", paper),
        ("datasets", data_disclosure(facts, unit) == Disclosure::Full),
        (
            "data preprocessing code",
            code_open
                && path_has(facts, unit, |p| {
                    p.contains("preprocess") || p.contains("prepare") || p.contains("data")
                }),
        ),
        (
            "intermediate model parameters",
            any_text(
                facts,
                unit,
                &[
                    "intermediate checkpoint",
                    "intermediate checkpoints",
                    "training checkpoints",
                ],
            ),
        ),
    ];
    let missing = |items: &[(&str, bool)]| -> Vec<String> {
        items
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(n, _)| n.to_string())
            .collect()
    };
    let m3 = missing(&class3);
    if !m3.is_empty() {
        return Mof {
            class: None,
            missing_for_next: m3,
        };
    }
    let m2 = missing(&class2);
    if !m2.is_empty() {
        return Mof {
            class: Some(3),
            missing_for_next: m2,
        };
    }
    let m1 = missing(&class1);
    if !m1.is_empty() {
        return Mof {
            class: Some(2),
            missing_for_next: m1,
        };
    }
    Mof {
        class: Some(1),
        missing_for_next: vec![],
    }
}

/// EU AI Act Art. 53(2): a free and open-source licence, with parameters, architecture and
/// usage information public.
pub fn eu_exemption(facts: &Facts, unit: &Unit, ev: &Evidence) -> Exemption {
    let mut missing = Vec::new();
    let free = ev
        .weights
        .terms()
        .is_some_and(|t| t.known && !t.restricted && t.commercial);
    if !unit.weights_published {
        missing.push("published parameters".to_string());
    }
    if !free {
        missing.push("free and open-source licence for the parameters".to_string());
    }
    let arch = has_role(facts, unit, Role::ModelConfig)
        || !code_files(facts, unit).is_empty()
        || any_section(facts, unit, "model-details");
    if !arch {
        missing.push("information on the model architecture".to_string());
    }
    let usage = any_section(facts, unit, "getting-started")
        || any_section(facts, unit, "intended-use")
        || !code_files(facts, unit).is_empty();
    if !usage {
        missing.push("information on model usage".to_string());
    }
    Exemption {
        applies: missing.is_empty(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::{download_links, open_source_claims};

    #[test]
    fn gated_weights_count_as_published() {
        assert!(download_links(
            "Request access to the model on [the Hub](https://huggingface.co/acme/m) first."
        ));
        assert!(download_links(
            "Accept the licence on the model page to download: https://example.org/m"
        ));
        assert!(download_links("模型下载：[链接](https://example.org/m)"));
        // the model's name between "download" and "parameters"; a compressed archive
        assert!(download_links(
            "You can download the Acme 3 model parameters from https://example.org/p.bin.zst."
        ));
        // no link: nothing to download from
        assert!(!download_links("Request access to the model by e-mail."));
    }

    #[test]
    fn statements_split_by_clause() {
        use crate::facts::{self, ModeChoice};
        let mut m = std::collections::BTreeMap::new();
        m.insert(
            "README.md".to_string(),
            b"# M\n\nThe code is released under the MIT License, the model weights under CC BY-NC 4.0.\n"
                .to_vec(),
        );
        let f = facts::build(
            crate::repo::FileSet::memory(m),
            &crate::config::Policy::default(),
            &ModeChoice::default(),
        );
        let st = super::statements(&f, &f.units[0]);
        let get = |id: &str| {
            st.iter()
                .find(|s| s.license == id)
                .map(|s| s.covers.clone())
        };
        assert_eq!(get("MIT"), Some(vec!["code".to_string()]));
        assert_eq!(get("CC-BY-NC-4.0"), Some(vec!["weights".to_string()]));
    }

    #[test]
    fn claims_about_this_release_only() {
        assert_eq!(
            open_source_claims("We have open-sourced our model.").len(),
            1
        );
        assert_eq!(open_source_claims("本项目开源了模型权重。").len(), 1);
        assert!(open_source_claims("It beats other open-source models.").is_empty());
        assert!(open_source_claims("We release open weights.").is_empty());
        assert!(
            open_source_claims("```\n@misc{x, title={An open-source model}}\n```\n").is_empty()
        );
        assert!(open_source_claims("| Open-source models | 1 |\n").is_empty());
    }
}

/// The components of the root release; for a root that only holds model folders, each
/// component merged over the model folders (the most restrictive status wins).
fn repository_components(facts: &Facts, root_ev: &Evidence) -> Vec<Component> {
    let root = &facts.units[0];
    if root.is_model || facts.units.len() < 2 {
        return components(facts, root, root_ev);
    }
    let rank = |s: &str| match s {
        "restricted" => 0,
        "open" => 1,
        "described" => 2,
        "closed" => 3,
        _ => 4,
    };
    let mut merged: Vec<Component> = Vec::new();
    for u in facts.units.iter().skip(1) {
        for c in components(facts, u, &u.evidence) {
            match merged.iter_mut().find(|m| m.name == c.name) {
                None => merged.push(c),
                Some(m) => {
                    if rank(c.status) < rank(m.status) {
                        m.status = c.status;
                    }
                    if let Some(l) = c.license {
                        match &mut m.license {
                            None => m.license = Some(l),
                            Some(cur) => {
                                if !cur.split(" AND ").any(|x| x == l) {
                                    cur.push_str(" AND ");
                                    cur.push_str(&l);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    merged
}

/// `modelgate classify --format json` (CONTRACTS.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub schema: u32,
    pub root: String,
    pub release_mode: &'static str,
    pub claims_open_source: bool,
    pub declared_license: Option<DeclaredOut>,
    pub license_files: Vec<FileOut>,
    pub components: Vec<Component>,
    pub osaid: Conformance,
    pub mof: Mof,
    pub eu_ai_act_open_source_exemption: Exemption,
    /// Not in the JSON: what a MOF `model.yml` says that the tree or licences do not show.
    #[serde(skip)]
    pub manifest_notes: Vec<String>,
    /// Not in the JSON: where the open-source claims are.
    #[serde(skip)]
    pub claim_places: Vec<(String, usize)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DeclaredOut {
    pub value: String,
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FileOut {
    pub path: String,
    pub license: Option<String>,
    pub confidence: f32,
    pub covers: Vec<String>,
    /// What an unidentified text (or a licence that is not OSI-approved) does, clause by
    /// clause, each with its line and sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<licenses::clauses::Clause>,
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// The repository's release mode: its root release, and the weights' terms of every model
/// folder (the most restrictive decides). Also the weights' licence ids that made it
/// restricted beyond the root's own. Reads the evidence the facts stage worked out per unit.
pub fn repository_release(facts: &Facts) -> (crate::facts::classify::ReleaseMode, Vec<String>) {
    use crate::facts::classify::ReleaseMode;
    let unit = &facts.units[0];
    let mut mode = unit.release;
    let mut weights = unit.evidence.weights.ids.clone();
    for u in facts.units.iter().skip(1).filter(|u| u.weights_published) {
        if u.release == ReleaseMode::OpenWeightsRestricted && mode != u.release {
            mode = u.release;
            for id in &u.evidence.weights.ids {
                push_id(&mut weights, id);
            }
        }
    }
    // weights published in a model folder publish the repository's weights
    let published_anywhere = facts.units.iter().any(|u| u.weights_published);
    if published_anywhere {
        // every checkpoint's terms count: the most restrictive decides
        for f in all_licence_files(facts)
            .iter()
            .filter(|f| !f.vendored && f.covers.iter().any(|c| c == "weights"))
        {
            if let Some(id) = f.id() {
                if licenses::terms(id).restricted && mode != ReleaseMode::OpenWeightsRestricted {
                    mode = ReleaseMode::OpenWeightsRestricted;
                    push_id(&mut weights, id);
                }
            }
        }
    }
    if mode == ReleaseMode::Closed && published_anywhere {
        let restricted = Coverage {
            ids: weights.clone(),
            ..Coverage::default()
        }
        .terms()
        .is_some_and(|t| t.restricted);
        mode = if restricted {
            ReleaseMode::OpenWeightsRestricted
        } else {
            ReleaseMode::Hybrid
        };
    }
    (mode, weights)
}

/// The licence files of the root release and of every model folder, each once, by path.
fn all_licence_files(facts: &Facts) -> Vec<LicenceFile> {
    let mut files: Vec<LicenceFile> = Vec::new();
    for u in &facts.units {
        for f in &u.evidence.files {
            if !files.iter().any(|x| x.path == f.path) {
                files.push(f.clone());
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The openness report of a repository: its root release, with the licence files of every
/// model folder and the most restrictive weights terms among them.
pub fn report(facts: &Facts, root: &str) -> Report {
    let unit = &facts.units[0];
    let mut ev = (*unit.evidence).clone();
    let (mode, weights) = repository_release(facts);
    ev.weights.ids = weights;
    let files = all_licence_files(facts);
    let mut claim_places: Vec<(String, usize)> = Vec::new();
    let mut any_claim = false;
    for u in facts.units.iter().skip(1) {
        for (p, r) in claims(facts, u) {
            if let Some(d) = facts.doc(&p) {
                claim_places.push((p.clone(), d.lines.position(&d.text, r.start).0));
            }
            any_claim = true;
        }
    }
    for (p, r) in claims(facts, unit) {
        if let Some(d) = facts.doc(&p) {
            claim_places.push((p.clone(), d.lines.position(&d.text, r.start).0));
        }
        any_claim = true;
    }
    let mut all_declared = ev.declared.clone();
    for u in facts.units.iter().skip(1) {
        all_declared.extend(u.evidence.declared.iter().cloned());
    }
    let declared_license = all_declared.first().map(|d| DeclaredOut {
        value: d.value.clone(),
        path: d.path.clone(),
        line: d.line,
    });
    let license_files = files
        .iter()
        .map(|f| FileOut {
            path: f.path.clone(),
            license: f.id().map(str::to_string),
            confidence: f
                .found
                .as_ref()
                .map(|x| round2(x.confidence))
                .unwrap_or(0.0),
            covers: f.covers_shown(&ev),
            terms: f.clauses.clone(),
        })
        .collect();
    let manifest_notes = manifest::check(facts, &ev);
    Report {
        schema: 1,
        root: root.to_string(),
        release_mode: mode.as_str(),
        claims_open_source: any_claim,
        declared_license,
        license_files,
        components: repository_components(facts, &ev),
        osaid: osaid(facts, unit, &ev),
        mof: mof(facts, unit, &ev),
        eu_ai_act_open_source_exemption: eu_exemption(facts, unit, &ev),
        manifest_notes,
        claim_places,
    }
}
