//! What rules can ask about, computed once per run. Rules never read files.

pub mod classify;
pub mod history;
pub mod openness;
pub mod scanned;
pub mod signing;

use crate::config::{default_component_globs, Component, Mode, ModeSource, Policy, Status};
use crate::documents::{self, Document};
use crate::facts::openness::{Evidence, LicenceText};
use crate::finding::Region;
use crate::glob::PathGlobs;
use crate::model::{Level, ReleaseMode};
use crate::repo::{roles, FileSet, Problem, Role};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// Where a fact holds, or where a failed check points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Witness {
    /// `None`: the repository (or the model folder) as a whole.
    pub path: Option<String>,
    /// Byte range in the file's text, when the file is a parsed document.
    pub range: Option<Range<usize>>,
    /// A location computed elsewhere (scanners), when there is no range.
    pub region: Option<Region>,
    /// Values for the rule's message and help templates (`{path}`, `{component}`, ...).
    pub vars: Vec<(String, String)>,
    pub sensitive: bool,
    /// The highest level the finding may have here: a fact lowers its rule's default level at
    /// one place (a guess where the rule's other places are certain). A policy level wins.
    pub level_cap: Option<Level>,
    /// A certain edit that resolves the finding (`check --fix`).
    pub fix: Option<WitnessFix>,
    /// The text that identifies the place for the fingerprint, when the witness has a region
    /// computed elsewhere rather than a range in a parsed document.
    pub anchor: Option<String>,
    /// The commit a history finding was found in.
    pub commit: Option<String>,
}

/// A fix a fact attaches to its witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WitnessFix {
    /// Text that replaces the witness's range.
    Replace(String),
    /// A file to create with this content.
    Create { path: String, content: String },
    /// A file to append this text to.
    Append { path: String, text: String },
}

impl Witness {
    pub fn file(path: &str) -> Witness {
        Witness {
            path: Some(path.to_string()),
            ..Witness::default()
        }
    }

    pub fn span(path: &str, range: Range<usize>) -> Witness {
        Witness {
            path: Some(path.to_string()),
            range: Some(range),
            ..Witness::default()
        }
    }

    pub fn var(mut self, k: &str, v: impl Into<String>) -> Witness {
        let v = v.into();
        if let Some(slot) = self.vars.iter_mut().find(|(key, _)| key == k) {
            slot.1 = v;
        } else {
            self.vars.push((k.to_string(), v));
        }
        self
    }

    /// Caps the finding's level at this place.
    pub fn at_most(mut self, level: Level) -> Witness {
        self.level_cap = Some(level);
        self
    }

    pub fn with_fix(mut self, fix: WitnessFix) -> Witness {
        self.fix = Some(fix);
        self
    }

    pub fn anchored(mut self, anchor: impl Into<String>) -> Witness {
        self.anchor = Some(anchor.into());
        self
    }

    pub fn in_commit(mut self, commit: impl Into<String>) -> Witness {
        self.commit = Some(commit.into());
        self
    }

    pub fn with_fix_opt(mut self, fix: Option<WitnessFix>) -> Witness {
        self.fix = fix;
        self
    }

    /// Sets a value when there is one.
    pub fn var_opt(self, k: &str, v: Option<String>) -> Witness {
        match v {
            Some(v) => self.var(k, v),
            None => self,
        }
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }
}

/// One fact of the rule vocabulary (`fact = "name"`): what it means, and the stage that makes it.
#[derive(Debug, Clone, Copy)]
pub struct Fact {
    pub name: &'static str,
    pub what: &'static str,
    pub stage: &'static str,
}

/// Every fact the rule vocabulary exposes, each listed by the module that makes it: adding a
/// fact touches that module (and the rule that reads it) only. docs/facts.md and the rule-pack
/// schema are generated from this.
pub fn all_facts() -> impl Iterator<Item = Fact> {
    let tables: [(&'static str, &'static [(&'static str, &'static str)]); 5] = [
        ("documents and files", FACTS),
        ("licence evidence", openness::findings::FACTS),
        ("scanners and model-file inspection", scanned::FACTS),
        ("history", history::FACTS),
        ("signature coverage (model-signing bundles)", signing::FACTS),
    ];
    tables
        .into_iter()
        .flat_map(|(stage, t)| t.iter().map(move |(name, what)| Fact { name, what, stage }))
}

/// Facts this module makes from the documents and files.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("input.problem", "a file could not be read as expected (unreadable, binary, too large, not UTF-8, a symlink leaving the root or looping)"),
    ("front-matter.error", "a card's YAML front matter cannot be parsed"),
    ("metadata.invalid", "a front matter value the Hugging Face Hub rejects or misreads"),
    ("metadata.language", "a `language` entry that is not an ISO 639 code"),
    ("metadata.typo", "a front matter key that looks like a misspelt Hub key"),
    ("weights.present", "weight files in the model folder"),
    ("weights.pickle", "weight files in a pickle-based format, which can run code when loaded"),
    ("weights.published", "weights are published: weight files, LFS pointers or placeholders, or links to weights in the card"),
    ("weights.lfs-missing", "weight files outside Git LFS: not a pointer and no `filter=lfs` rule in .gitattributes covers them (files of 1 MiB or more, or any once the repository has a .gitattributes)"),
    ("weights.safe-format", "weight files in a format that cannot run code (safetensors, GGUF, ONNX)"),
    ("data.samples", "data sample files shipped with the release"),
    ("license.covers-closed", "a licence file whose scope (by its name or folder) is a component declared closed"),
    ("license.weights-implicit", "weights are published with no licence stated for them; the repository's licence is taken to cover them"),
    ("card.only-chinese", "every model card is written in Chinese: no card in English"),
    ("card.secondary", "a model card that is not the primary one (a language variant)"),
    ("card.no-natural-language", "the card's `pipeline_tag` is a task without natural language (image classification, robotics, ...)"),
    ("pack.invalid", "a rule pack named in the policy cannot be loaded"),
    ("suppression.invalid", "a suppression comment without a reason, or naming a rule that does not exist"),
    ("suppression.unused", "a suppression comment, or an ignore glob of the policy, that removes no finding"),
    ("components.undeclared", "hybrid mode without a `[components]` table saying which parts are closed"),
    ("data.personal-sources", "a card or data statement says the training data includes personal data (publicly shared posts, users' interactions) and no privacy section says how it was handled"),
];

pub fn is_fact(name: &str) -> bool {
    all_facts().any(|f| f.name == name)
}

#[derive(Debug, Clone)]
pub struct ComponentFact {
    pub name: String,
    pub status: Status,
    pub declared: bool,
    pub license: Option<String>,
    pub patented: bool,
    pub globs: PathGlobs,
    /// Indices into `Facts::files.entries`.
    pub files: Vec<usize>,
}

/// One release: the repository root, or a model folder with its own card.
#[derive(Debug, Clone)]
pub struct Unit {
    /// `""` for the root; otherwise a relative folder without trailing slash.
    pub folder: String,
    /// False for a root that only holds other models.
    pub is_model: bool,
    pub mode: Mode,
    pub mode_source: ModeSource,
    pub jurisdictions: Vec<String>,
    pub components: Vec<ComponentFact>,
    /// Document indices: model cards, primary first.
    pub cards: Vec<usize>,
    /// Data statements and dataset cards.
    pub data_docs: Vec<usize>,
    pub license_docs: Vec<usize>,
    pub policy_docs: Vec<usize>,
    /// Entry indices of the files this release sees (its own, and the root's top-level files).
    pub files: Vec<usize>,
    /// Named facts, each with the places it holds.
    pub facts: BTreeMap<String, Vec<Witness>>,
    /// The licence evidence of this release (texts, statements, declarations), worked out
    /// once by the facts stage.
    pub evidence: Arc<Evidence>,
    /// What kind of release this folder is by its own evidence (`classify`).
    pub release: ReleaseMode,
    /// Its weights are published (files, pointers, links, download scripts).
    pub weights_published: bool,
}

impl Unit {
    pub fn fact(&self, name: &str) -> &[Witness] {
        self.facts.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    fn add(&mut self, name: &str, w: Witness) {
        self.facts.entry(name.to_string()).or_default().push(w);
    }

    /// A path relative to this release's folder.
    pub fn relative<'a>(&self, path: &'a str) -> &'a str {
        if self.folder.is_empty() {
            path
        } else {
            path.strip_prefix(&self.folder)
                .and_then(|p| p.strip_prefix('/'))
                .unwrap_or(path)
        }
    }
}

pub struct Facts {
    pub files: FileSet,
    pub docs: Vec<Document>,
    pub doc_by_path: HashMap<String, usize>,
    pub units: Vec<Unit>,
    pub problems: Vec<Problem>,
    /// Every licence text of the run, identified once, by path.
    pub licence_texts: Vec<LicenceText>,
    /// What kind of release the repository is, all its model folders counted (`classify`'s
    /// release mode; an inferred mode maps it).
    pub release: ReleaseMode,
}

impl Facts {
    /// A licence text of the run, identified.
    pub fn licence_text(&self, path: &str) -> Option<&LicenceText> {
        self.licence_texts
            .binary_search_by(|l| l.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.licence_texts[i])
    }

    pub fn doc(&self, path: &str) -> Option<&Document> {
        self.doc_by_path.get(path).map(|i| &self.docs[*i])
    }

    /// The index of the unit for a folder (`""` for the root).
    pub fn unit_of_folder(&self, folder: &str) -> usize {
        self.units
            .iter()
            .position(|u| u.folder == folder)
            .unwrap_or(0)
    }

    /// The unit a path belongs to: the deepest model folder holding it.
    pub fn unit_of(&self, path: &str) -> usize {
        unit_index(&self.units, path)
    }
}

fn unit_index(units: &[Unit], path: &str) -> usize {
    let mut best = 0;
    let mut depth = 0;
    for (i, u) in units.iter().enumerate() {
        if !u.folder.is_empty()
            && path.starts_with(&u.folder)
            && path.as_bytes().get(u.folder.len()) == Some(&b'/')
            && u.folder.len() > depth
        {
            best = i;
            depth = u.folder.len();
        }
    }
    best
}

fn card_rank(path: &str) -> (u8, &str) {
    let name = roles::file_name(path).to_ascii_uppercase();
    let rank = if name == "README.MD" {
        0
    } else if name.starts_with("MODEL_CARD") || name.starts_with("MODELCARD") {
        1
    } else {
        2
    };
    (rank, path)
}

/// The first sentence of a unit's cards or data documents saying that the training data
/// includes personal data (publicly shared posts, users' interactions or conversations, personal
/// information), when no privacy section of the unit says how it was handled.
fn personal_sources(docs: &[Document], unit: &Unit) -> Option<Witness> {
    static RE: std::sync::OnceLock<(regex::Regex, regex::Regex, regex::Regex)> =
        std::sync::OnceLock::new();
    let (personal, data, negated) = RE.get_or_init(|| {
        let r = |p: &str| regex::Regex::new(p).expect("valid regex");
        (
            r(r"(?i)\b(?:publicly\s+shared\s+posts|social\s+media\s+posts|user[- ]generated\s+content|(?:people's|people’s|users'?|user)\s+(?:interactions|conversations|messages|chats|posts|data)|interactions\s+with\s+(?:our|the|\w+\s+AI)|personal\s+(?:data|information))\b|用户(?:数据|对话|交互|生成内容)|社交媒体(?:帖子|内容)|个人信息"),
            r(r"(?i)\b(?:data|dataset|datasets|trained|pretrained|training|corpus|includes?)\b|数据|训练|语料"),
            r(r"(?i)\b(?:no|not|neither|nor|never|without|removed|excluded|exclude|free\s+of)\b|不包含|不含|没有|未使用|已移除|去除"),
        )
    });
    let docs_of = || {
        unit.cards
            .iter()
            .chain(unit.data_docs.iter())
            .map(|i| &docs[*i])
    };
    let handled = docs_of().any(|d| {
        d.sections_in("privacy")
            .chain(d.sections_in("personal-information"))
            .any(|s| !s.placeholder && s.words >= 5)
    });
    if handled {
        return None;
    }
    for d in docs_of() {
        let text: &str = &d.text;
        // HTML comments are notes to the writer (a skeleton's guidance), not what the card says
        let mut comments: Vec<Range<usize>> = Vec::new();
        let mut from = 0;
        while let Some(open) = text[from..].find("<!--") {
            let s = from + open;
            let e = text[s..].find("-->").map_or(text.len(), |c| s + c + 3);
            comments.push(s..e);
            from = e;
        }
        let mut at = 0;
        for sentence in text.split_inclusive(['.', '!', '?', '。', '！', '？', '\n']) {
            let start = at;
            at += sentence.len();
            let Some(m) = personal.find(sentence) else {
                continue;
            };
            if comments.iter().any(|c| c.contains(&(start + m.start()))) {
                continue;
            }
            if data.is_match(sentence) && !negated.is_match(sentence) {
                return Some(Witness::span(&d.path, start + m.start()..start + m.end()));
            }
        }
    }
    None
}

/// A card with no front matter and fewer than twenty words of its own (placeholders do not
/// count): a stub.
fn is_stub(d: &Document) -> bool {
    let words = crate::text::word_count(&documents::markdown::strip_placeholders(&d.text));
    d.front_matter.is_none() && words < 20
}

/// The folder whose release a card describes: its own, or for a card in a `model_cards/`
/// folder without weights of its own, the folder around it.
fn card_home<'a>(files: &FileSet, path: &'a str) -> &'a str {
    let folder = roles::parent(path);
    if roles::is_cards_folder(folder) {
        let prefix = format!("{folder}/");
        let weights = files
            .entries
            .iter()
            .any(|e| e.role == Role::Weights && e.path.starts_with(&prefix));
        if !weights {
            return roles::parent(folder);
        }
    }
    folder
}

/// Markdown files of the tree, not yet read as cards, that a card links to as a card (the
/// link's text says "model card", "card" or 模型卡): (path, folder of the linking card).
fn linked_cards(files: &FileSet, docs: &[Document]) -> Vec<(String, String)> {
    static LINK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let link = LINK.get_or_init(|| {
        regex::Regex::new(r"\[([^\]\n]{1,80})\]\(\s*(?:\./)?([^)\s#?]+\.md)(?:#[^)\s]*)?\s*\)")
            .expect("valid regex")
    });
    let mut out: Vec<(String, String)> = Vec::new();
    for d in docs.iter().filter(|d| d.role == Role::ModelCard) {
        let home = roles::parent(&d.path);
        for c in link.captures_iter(&d.text) {
            let text = c[1].to_lowercase();
            if !(text.contains("card") || text.contains("模型卡")) {
                continue;
            }
            let target = &c[2];
            if target.contains("://") || target.starts_with('/') {
                continue;
            }
            let Some(path) = join_relative(home, target) else {
                continue;
            };
            let unread = files
                .get(&path)
                .is_some_and(|e| !e.role.is_document() && roles::is_markdown(&e.path));
            if unread && !out.iter().any(|(p, _)| *p == path) {
                out.push((path, home.to_string()));
            }
        }
    }
    out
}

/// Markdown files not read as documents whose front matter holds model-card keys (at least two
/// of `license`, `pipeline_tag`, `base_model`, `library_name`, `model-index`, `tags`, with one
/// of the last four): (path, `Some(the folder whose release it describes)`); and those that
/// open as licence terms (`None`). Only a file's first kilobytes are looked at before it is
/// read.
fn cards_by_content(
    files: &FileSet,
    known: &[(String, String)],
    loaded: &std::collections::HashSet<&str>,
) -> Vec<(String, Option<String>)> {
    const KEYS: &[&str] = &[
        "license:",
        "pipeline_tag:",
        "base_model:",
        "library_name:",
        "model-index:",
        "tags:",
    ];
    files
        .entries
        .par_iter()
        .filter(|e| {
            e.role == Role::Doc
                && roles::is_markdown(&e.path)
                && e.size > 8
                && e.size <= documents::MAX_DOCUMENT
                && !loaded.contains(e.path.as_str())
                && !known.iter().any(|(p, _)| *p == e.path)
        })
        .filter_map(|e| {
            let head = files.read(&e.path, 4096).ok()?;
            let head = String::from_utf8_lossy(&head);
            let Some((range, _)) = documents::split_front_matter(&head) else {
                return crate::licenses::clauses::opens_as_terms(&head)
                    .then(|| (e.path.clone(), None));
            };
            let meta = &head[range];
            let keys: Vec<&str> = meta
                .lines()
                .filter_map(|l| KEYS.iter().copied().find(|k| l.starts_with(k)))
                .collect();
            let model_key = keys.iter().any(|k| *k != "license:" && *k != "tags:");
            (keys.len() >= 2 && model_key)
                .then(|| (e.path.clone(), Some(roles::parent(&e.path).to_string())))
        })
        .collect()
}

/// `target` relative to `folder`, with `.` and `..` resolved; `None` when it leaves the root.
pub(crate) fn join_relative(folder: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Options of one run that decide the mode.
#[derive(Debug, Clone, Default)]
pub struct ModeChoice {
    /// `--mode` on the command line.
    pub flag: Option<Mode>,
}

/// Computes every fact of a repository.
pub fn build(mut files: FileSet, policy: &Policy, choice: &ModeChoice) -> Facts {
    let (mut docs, doc_problems) = documents::load_all(&files);
    // a README.md with dataset-card front matter is a dataset card
    for d in docs.iter_mut() {
        if d.role == Role::ModelCard
            && roles::is_readme(&d.path)
            && d.meta().is_some_and(documents::is_dataset_meta)
        {
            d.role = Role::DatasetCard;
            if let Ok(i) = files
                .entries
                .binary_search_by(|e| e.path.as_str().cmp(&d.path))
            {
                files.entries[i].role = Role::DatasetCard;
            }
        }
    }
    // cards a card links to by name ("the [model card](docs/model.md)") are cards of the
    // release the linking card describes; so is a Markdown file of any name whose front matter
    // is a model card's (a Hub card kept as `docs/hub.md`)
    let mut linked_home: HashMap<String, String> = HashMap::new();
    let mut doc_problems = doc_problems;
    let mut found = linked_cards(&files, &docs);
    let loaded: std::collections::HashSet<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let by_content = cards_by_content(&files, &found, &loaded);
    let mut terms: Vec<String> = Vec::new();
    for (path, home) in by_content {
        match home {
            Some(home) => found.push((path, home)),
            None => terms.push(path),
        }
    }
    // a file found by its content is read as a document of the role found; false: not listed
    let mut load_as = |files: &mut FileSet, path: &str, role: Role| -> bool {
        let Ok(i) = files
            .entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
        else {
            return false;
        };
        files.entries[i].role = role;
        let e = files.entries[i].clone();
        let (d, p) = documents::load(files, &e.path, role, e.size);
        docs.push(d);
        doc_problems.extend(p);
        true
    };
    // documents that open as licence terms are licence files, whatever their names
    for path in terms {
        load_as(&mut files, &path, Role::License);
    }
    for (path, home) in found {
        if load_as(&mut files, &path, Role::ModelCard) {
            linked_home.insert(path, home);
        }
    }
    let mut problems = std::mem::take(&mut files.problems);
    problems.extend(doc_problems);
    let doc_by_path: HashMap<String, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.clone(), i))
        .collect();

    // model folders: the root, every folder with its own model card, and those the policy names
    // an empty or stub README (a few words in a code folder) makes no model: it is an
    // ordinary document
    for d in docs.iter_mut() {
        let home = card_home(&files, &d.path);
        if d.role == Role::ModelCard
            && !home.is_empty()
            && !policy.models.contains_key(home)
            && !linked_home.contains_key(&d.path)
            && roles::is_readme(&d.path)
            && is_stub(d)
        {
            d.role = Role::Doc;
            if let Ok(i) = files
                .entries
                .binary_search_by(|e| e.path.as_str().cmp(&d.path))
            {
                files.entries[i].role = Role::Doc;
            }
        }
    }
    let mut folders: Vec<String> = vec![String::new()];
    for d in &docs {
        if d.role == Role::ModelCard && !linked_home.contains_key(&d.path) {
            let f = card_home(&files, &d.path).to_string();
            if !folders.contains(&f) {
                folders.push(f);
            }
        }
    }
    for f in policy.models.keys() {
        if !folders.contains(f) {
            folders.push(f.clone());
        }
    }
    folders.sort();
    let mut units: Vec<Unit> = folders
        .iter()
        .map(|f| Unit {
            folder: f.clone(),
            is_model: true,
            mode: Mode::Open,
            mode_source: ModeSource::Inferred,
            jurisdictions: vec![],
            components: vec![],
            cards: vec![],
            data_docs: vec![],
            license_docs: vec![],
            policy_docs: vec![],
            files: vec![],
            facts: BTreeMap::new(),
            evidence: Arc::default(),
            release: ReleaseMode::Closed,
            weights_published: false,
        })
        .collect();

    // files: each to its deepest unit; top-level root files are seen by every unit
    for (i, e) in files.entries.iter().enumerate() {
        let u = unit_index(&units, &e.path);
        units[u].files.push(i);
    }
    let root_top: Vec<usize> = files
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.path.contains('/'))
        .map(|(i, _)| i)
        .collect();
    for u in units.iter_mut().skip(1) {
        for &i in &root_top {
            let r = files.entries[i].role;
            if matches!(r, Role::License | Role::PolicyDoc | Role::DataStatement) {
                u.files.push(i);
            }
        }
    }
    // documents
    for (di, d) in docs.iter().enumerate() {
        let u = match linked_home.get(&d.path) {
            Some(home) if home.is_empty() => 0,
            Some(home) => unit_index(&units, &format!("{home}/x")),
            None => unit_index(&units, &d.path),
        };
        let inherited = !d.path.contains('/')
            && matches!(
                d.role,
                Role::License | Role::PolicyDoc | Role::DataStatement
            );
        let targets: Vec<usize> = if inherited {
            (0..units.len()).collect()
        } else {
            vec![u]
        };
        for t in targets {
            let unit = &mut units[t];
            match d.role {
                Role::ModelCard if t == u => unit.cards.push(di),
                Role::DataStatement | Role::DatasetCard => unit.data_docs.push(di),
                Role::License => unit.license_docs.push(di),
                Role::PolicyDoc => unit.policy_docs.push(di),
                _ => {}
            }
        }
    }
    for u in units.iter_mut() {
        u.cards
            .sort_by(|a, b| card_rank(&docs[*a].path).cmp(&card_rank(&docs[*b].path)));
    }
    // beside model folders, a root without weights or a model config of its own is not a
    // model: its README is the repository's index, not a card
    if units.len() > 1 {
        let own_model = units[0].files.iter().any(|i| {
            let e = &files.entries[*i];
            !e.path.contains('/') && matches!(e.role, Role::Weights | Role::ModelConfig)
        });
        if !own_model {
            let readmes: Vec<usize> = units[0]
                .cards
                .iter()
                .copied()
                .filter(|c| !docs[*c].path.contains('/') && roles::is_readme(&docs[*c].path))
                .collect();
            units[0].cards.retain(|c| !readmes.contains(c));
            for c in readmes {
                docs[c].role = Role::Doc;
                if let Ok(i) = files
                    .entries
                    .binary_search_by(|e| e.path.as_str().cmp(&docs[c].path))
                {
                    files.entries[i].role = Role::Doc;
                }
            }
            if units[0].cards.is_empty() {
                units[0].is_model = false;
            }
        }
    }

    let mut facts = Facts {
        files,
        docs,
        doc_by_path,
        units,
        problems,
        licence_texts: vec![],
        release: ReleaseMode::Closed,
    };
    let inspect_opts = crate::inspect::Options {
        extra_safe: policy.scan.safe_pickle_globals.clone(),
        ..crate::inspect::Options::default()
    };
    // the licence texts are identified, and each unit's documents and files (components by
    // their paths) worked out, while the scanners read the files
    let ((texts, base), (inspected, scanned)) = rayon::join(
        || {
            rayon::join(
                || crate::facts::openness::licence_texts(&facts.files, &facts.docs),
                || {
                    (0..facts.units.len())
                        .map(|ui| unit_base(&facts, ui, policy))
                        .collect::<Vec<Unit>>()
                },
            )
        },
        || {
            rayon::join(
                || crate::inspect::inspect_files(&facts.files, &inspect_opts),
                || {
                    let doc_text = |p: &str| facts.doc(p).map(|d| d.text.clone());
                    crate::scan::scan_file_set(&facts.files, &doc_text, &policy.scan)
                },
            )
        },
    );
    facts.licence_texts = texts;
    facts.units = base;
    // what each release is, from its own evidence; then the repository's, all counted; then
    // the modes, which an inferred mode takes from those
    let mut published: Vec<bool> = facts
        .units
        .par_iter()
        .map(|u| crate::facts::openness::find_weights_published(&facts, u))
        .collect();
    // a model folder of a repository whose own documents publish the weights (a download
    // section, a gated access note) shares that evidence unless its card says what is withheld
    for (ui, u) in facts.units.iter().enumerate().skip(1) {
        if !published[ui]
            && published[0]
            && !u
                .cards
                .iter()
                .any(|c| facts.docs[*c].sections_in("withheld").next().is_some())
        {
            published[ui] = true;
        }
    }
    let worked: Vec<(Evidence, ReleaseMode, bool)> = facts
        .units
        .par_iter()
        .zip(published)
        .map(|(u, published)| {
            let evidence = crate::facts::openness::evidence(&facts, u);
            let release = crate::facts::openness::release_mode(&facts, u, &evidence, published);
            (evidence, release, published)
        })
        .collect();
    for (unit, (evidence, release, published)) in facts.units.iter_mut().zip(worked) {
        unit.release = release;
        unit.weights_published = published;
        unit.evidence = Arc::new(evidence);
    }
    facts.release = crate::facts::openness::repository_release(&facts).0;
    let units: Vec<Unit> = (0..facts.units.len())
        .into_par_iter()
        .map(|ui| unit_facts(&facts, ui, policy, choice))
        .collect();
    facts.units = units;
    for (name, w) in crate::facts::openness::findings::repository_facts(&facts) {
        facts.units[0].add(name, w);
    }
    // files whose first bytes are a model format their names do not say: inspected too
    let mut inspected = inspected;
    if !scanned.sniffed.is_empty() {
        inspected.extend(crate::inspect::inspect_sniffed(
            &facts.files,
            &scanned.sniffed,
            &inspect_opts,
        ));
        inspected.sort_by(|a, b| a.0.cmp(&b.0));
    }
    scanned::add_model_file_facts(&mut facts, inspected);
    for ui in 0..facts.units.len() {
        for (name, w) in crate::facts::openness::findings::gguf_licence_facts(&facts.units[ui]) {
            facts.units[ui].add(name, w);
        }
    }
    scanned::add_scan_facts(&mut facts, scanned);
    signing::add_facts(&mut facts);
    facts
}

/// What one unit holds and says, before its licence evidence and mode: its documents' and
/// files' facts and its components (by their paths).
fn unit_base(facts: &Facts, ui: usize, policy: &Policy) -> Unit {
    let settings = policy.settings_for(&facts.units[ui].folder);
    let files = &facts.files;
    let docs = &facts.docs;
    let mut unit = facts.units[ui].clone();
    unit.jurisdictions = settings.jurisdictions.clone();

    // input problems and documents' own problems, by file
    for p in &facts.problems {
        let belongs = match &p.path {
            Some(path) => unit_index(&facts.units, path) == ui,
            None => ui == 0,
        };
        if belongs {
            let mut w = Witness {
                path: p.path.clone(),
                region: p.region.clone(),
                ..Witness::default()
            };
            w = w.var("detail", p.detail.clone());
            unit.add("input.problem", w);
        }
    }
    // tracked files not on disk: said once, as information, so that a clean result is not
    // taken for a check of files that were never seen
    if ui == 0 && !files.absent.is_empty() {
        let n = files.absent.len();
        let shown: Vec<String> = files
            .absent
            .iter()
            .take(3)
            .map(|p| format!("`{p}`"))
            .collect();
        let detail = format!(
            "{n} tracked file{} not in the work tree (deleted, or a sparse or partial checkout) and {} not checked: {}{}",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "was" } else { "were" },
            shown.join(", "),
            if n > 3 { ", ..." } else { "" }
        );
        unit.add(
            "input.problem",
            Witness::default()
                .var("detail", detail)
                .at_most(Level::Info),
        );
    }
    for di in unit.cards.clone().into_iter().chain(unit.data_docs.clone()) {
        let d = &docs[di];
        if unit_index(&facts.units, &d.path) != ui {
            continue;
        }
        if let Some(fm) = &d.front_matter {
            if let Some(e) = &fm.error {
                let end = d.text[e.offset.min(d.text.len())..]
                    .find('\n')
                    .map(|n| e.offset + n)
                    .unwrap_or(d.text.len());
                unit.add(
                    "front-matter.error",
                    Witness::span(&d.path, e.offset..end.max(e.offset))
                        .var("detail", e.message.clone()),
                );
            }
        }
        for p in &d.meta_problems {
            let name = match p.kind {
                documents::hub::MetaKind::Invalid => "metadata.invalid",
                documents::hub::MetaKind::Language => "metadata.language",
                documents::hub::MetaKind::Typo => "metadata.typo",
            };
            unit.add(
                name,
                Witness::span(&d.path, p.span.clone())
                    .var("detail", p.message.clone())
                    .var("fix", p.fix.clone())
                    .with_fix_opt(p.replacement.clone().map(WitnessFix::Replace)),
            );
        }
    }

    // weights and data
    let own: Vec<usize> = unit
        .files
        .iter()
        .copied()
        .filter(|i| unit_index(&facts.units, &files.entries[*i].path) == ui)
        .collect();
    for &i in &own {
        let e = &files.entries[i];
        match e.role {
            Role::Weights => {
                unit.add("weights.present", Witness::file(&e.path));
                unit.add("weights.published", Witness::file(&e.path));
                if files.lfs.uncovered.contains(&e.path) {
                    let line = crate::repo::lfs::rule_for(&e.path);
                    unit.add(
                        "weights.lfs-missing",
                        Witness::file(&e.path).var("rule", line.clone()).with_fix(
                            WitnessFix::Append {
                                path: ".gitattributes".into(),
                                text: format!("{line}\n"),
                            },
                        ),
                    );
                }
                if roles::is_pickle_name(&e.path) {
                    let ext = roles::extension(&e.path).unwrap_or_default();
                    unit.add("weights.pickle", Witness::file(&e.path).var("format", ext));
                } else if matches!(
                    roles::extension(&e.path).as_deref(),
                    Some("safetensors" | "gguf" | "onnx")
                ) {
                    unit.add("weights.safe-format", Witness::file(&e.path));
                }
            }
            Role::DataSample => unit.add("data.samples", Witness::file(&e.path)),
            _ => {}
        }
    }
    // links to weights in the card count as publishing them
    for ci in unit.cards.clone() {
        let d = &docs[ci];
        for (range, url) in weight_links(&d.text) {
            unit.add(
                "weights.published",
                Witness::span(&d.path, range).var("value", url),
            );
        }
    }
    if !unit.cards.is_empty() {
        for ci in unit.cards.clone().into_iter().skip(1) {
            unit.add(
                "card.secondary",
                Witness::span(&docs[ci].path, docs[ci].anchor()),
            );
        }
        for ci in unit.cards.clone() {
            let d = &docs[ci];
            if let Some((_, tag)) = d.meta().and_then(|m| m.key("pipeline_tag")) {
                let non_language = tag
                    .as_text()
                    .is_some_and(|t| documents::hub::NON_LANGUAGE_TASKS.contains(&t.as_str()));
                if non_language {
                    unit.add(
                        "card.no-natural-language",
                        Witness::span(&d.path, tag.span.clone()),
                    );
                }
            }
        }
        if let Some(w) = personal_sources(docs, &unit) {
            unit.add("data.personal-sources", w);
        }
        if unit
            .cards
            .iter()
            .all(|c| docs[*c].lang == "zh" && docs[*c].readable)
        {
            let d = &docs[unit.cards[0]];
            unit.add("card.only-chinese", Witness::span(&d.path, d.anchor()));
        }
    }

    // components, by their paths (their status comes with the mode)
    let declared = settings.components.is_some();
    let comps: Vec<Component> = settings.components.unwrap_or_else(|| {
        crate::config::default_component_names()
            .map(|n| Component {
                name: n.to_string(),
                status: Status::Open,
                paths: default_component_globs(n).unwrap_or_default(),
                license: None,
                patented: false,
                declared: false,
            })
            .collect()
    });
    for c in comps {
        let mut matched: Vec<usize> = own
            .iter()
            .copied()
            .filter(|i| {
                let e = &files.entries[*i];
                // documents describe components; they are not the component
                !e.role.is_document()
                    && (c.paths.is_match(&e.path) || c.paths.is_match(unit.relative(&e.path)))
            })
            .collect();
        // training code is code too, but a file belongs to the most specific usual component
        if !declared && c.name == "code" {
            let tc = default_component_globs("training-code").unwrap_or_default();
            let td = default_component_globs("training-data").unwrap_or_default();
            matched.retain(|i| {
                !tc.is_match(&files.entries[*i].path) && !td.is_match(&files.entries[*i].path)
            });
        }
        unit.components.push(ComponentFact {
            name: c.name,
            status: c.status,
            declared: c.declared,
            license: c.license,
            patented: c.patented,
            globs: c.paths,
            files: matched,
        });
    }
    unit
}

/// The unit's mode, its components' status, and the facts that depend on them.
fn unit_facts(facts: &Facts, ui: usize, policy: &Policy, choice: &ModeChoice) -> Unit {
    let settings = policy.settings_for(&facts.units[ui].folder);
    let docs = &facts.docs;
    let mut unit = facts.units[ui].clone();
    // mode: a model folder's own > --mode > the policy's release mode > inferred (the root's
    // from the whole repository's evidence, as classify gives it)
    let own_mode = policy.models.get(&unit.folder).and_then(|m| m.mode);
    let (mode, source) = if let (Some(m), true) = (own_mode, ui != 0) {
        (m, ModeSource::Policy)
    } else if let Some(m) = choice.flag {
        (m, ModeSource::Flag)
    } else if let Some(m) = settings.mode {
        (m, ModeSource::Policy)
    } else if ui == 0 {
        (facts.release.lint_mode(), ModeSource::Inferred)
    } else {
        (unit.release.lint_mode(), ModeSource::Inferred)
    };
    unit.mode = mode;
    unit.mode_source = source;

    let declared = settings.components.is_some();
    // an inferred hybrid mode was not chosen: there is no split to declare yet
    if mode == Mode::Hybrid && !declared && source != ModeSource::Inferred {
        let w = match unit.cards.first() {
            Some(&c) => Witness::span(&docs[c].path, docs[c].anchor()),
            None => Witness::default(),
        };
        unit.add("components.undeclared", w);
    }
    if !declared {
        let weights_published = !unit.fact("weights.published").is_empty();
        let scopes: Vec<Vec<String>> = unit
            .license_docs
            .iter()
            .map(|l| licence_scope(&docs[*l].path, &unit))
            .collect();
        for c in unit.components.iter_mut() {
            c.status = if source == ModeSource::Inferred {
                // an inferred mode describes what is there: nothing was declared closed, so
                // only what is absent counts as closed; a licence named for the component is
                // evidence it is published too
                let licensed = scopes.iter().any(|s| s.contains(&c.name));
                // a model folder shares what the repository around it publishes (its code,
                // say), unless the policy splits the components of that folder
                let in_root = ui != 0
                    && facts.units[0]
                        .components
                        .iter()
                        .any(|r| r.name == c.name && !r.files.is_empty());
                let published = !c.files.is_empty()
                    || licensed
                    || in_root
                    || (c.name == "weights" && weights_published);
                if published {
                    Status::Open
                } else {
                    Status::Closed
                }
            } else if mode == Mode::Closed {
                Status::Closed
            } else {
                Status::Open
            };
        }
    }

    // licence files scoped to a closed component
    for li in unit.license_docs.clone() {
        let d = &docs[li];
        for comp in licence_scope(&d.path, &unit) {
            if let Some(c) = unit
                .components
                .iter()
                .find(|c| c.name == comp && c.status == Status::Closed)
            {
                unit.add(
                    "license.covers-closed",
                    Witness::file(&d.path).var("component", c.name.clone()),
                );
            }
        }
    }
    if !unit.fact("weights.published").is_empty() {
        let explicit = unit.license_docs.iter().any(|l| {
            licence_scope(&docs[*l].path, &unit)
                .iter()
                .any(|c| c == "weights")
        }) || unit
            .components
            .iter()
            .any(|c| c.name == "weights" && c.license.is_some())
            || unit.cards.iter().any(|c| {
                docs[*c]
                    .meta()
                    .and_then(|m| m.get("license"))
                    .is_some_and(|l| !l.is_empty())
            })
            // "the weights are released under ..." in the card or README
            || unit
                .evidence
                .statements
                .iter()
                .any(|s| s.covers.iter().any(|c| c == "weights"));
        if !explicit {
            let w = match unit.cards.first() {
                Some(&c) => Witness::span(&docs[c].path, docs[c].anchor()),
                None => Witness::default(),
            };
            unit.add("license.weights-implicit", w);
        }
    }
    // licence facts: texts identified, declarations compared, openness claims checked
    for (name, w) in crate::facts::openness::findings::unit_facts(facts, &unit) {
        unit.add(name, w);
    }
    unit
}

/// The components a licence file names as its scope, by its file name or its folder.
pub fn licence_scope(path: &str, unit: &Unit) -> Vec<String> {
    let name = roles::file_name(path)
        .to_ascii_uppercase()
        .replace('-', "_");
    let mut out = Vec::new();
    if name.contains("MODEL")
        || name.contains("WEIGHT")
        || name.contains("CHECKPOINT")
        || name.contains("PARAM")
    {
        out.push("weights".to_string());
    }
    if name.contains("CODE") || name.contains("SOURCE") || name.contains("SOFTWARE") {
        out.push("code".to_string());
    }
    if name.contains("DATA") {
        out.push("training-data".to_string());
    }
    // a licence inside a component's folder covers that component
    let folder = roles::parent(path);
    if !folder.is_empty() {
        for c in &unit.components {
            let probe = format!("{folder}/x");
            if (c.globs.is_match(&probe) || c.globs.is_match(folder)) && !out.contains(&c.name) {
                out.push(c.name.clone());
            }
        }
    }
    out
}

/// A link to a model repository on a hub (which holds the weights).
fn is_model_hub_link(url: &str) -> bool {
    let rest = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match host {
        "huggingface.co" | "hf.co" => {
            parts.len() >= 2
                && !matches!(
                    parts[0],
                    "datasets"
                        | "spaces"
                        | "docs"
                        | "papers"
                        | "blog"
                        | "collections"
                        | "organizations"
                        | "settings"
                        | "join"
                        | "login"
                        | "pricing"
                        | "learn"
                        | "tasks"
                        | "models"
                        | "api"
                )
                && !parts[1].is_empty()
                && !path.contains("/discussions")
        }
        "modelscope.cn" | "www.modelscope.cn" => {
            parts.first() == Some(&"models") && parts.len() >= 3
        }
        _ => false,
    }
}

/// Links in a card that point at weight files.
pub fn weight_links(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("http") {
        let start = from + i;
        let end = text[start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, ')' | ']' | '"' | '\'' | '>' | '<' | '`')
            })
            .map(|n| start + n)
            .unwrap_or(text.len());
        let url = &text[start..end];
        let path_part = url.split(['?', '#']).next().unwrap_or(url);
        if roles::is_weight_name(path_part) || is_model_hub_link(path_part) {
            out.push((start..end, url.to_string()));
        }
        from = end.max(start + 4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_weights() {
        let l =
            weight_links("see [w](https://x.org/m/model.safetensors) and https://x.org/page.html");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].1, "https://x.org/m/model.safetensors");
        assert_eq!(
            weight_links(
                "[m](https://huggingface.co/acme/m-7b) [d](https://huggingface.co/datasets/acme/d)"
            )
            .len(),
            1
        );
    }
}

#[cfg(test)]
mod fact_table_tests {
    #[test]
    fn every_fact_is_listed_once_and_every_builtin_rule_names_a_listed_fact() {
        let names: Vec<&str> = super::all_facts().map(|f| f.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a fact is listed twice");
        // the built-in rules' `fact = "..."` names are all in the table
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")).unwrap() {
            for f in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
                for part in text.split("fact = \"").skip(1) {
                    let name = part.split('"').next().unwrap();
                    assert!(names.contains(&name), "{name} is not in the fact table");
                }
            }
        }
    }
}
