//! The check vocabulary rules are written in, and its evaluation over facts.
//!
//! A check is an assertion that must hold. Evaluating it gives an [`Outcome`]: whether it
//! holds and, either way, the places that show it (where it holds, or where it fails).
//! `not` turns the places where its inner check holds into failures, so
//! `not = { component = { status = "closed", present = true } }` fails at every file of a
//! closed component.

use crate::config::{Mode, Status};
use crate::documents::{headings, Document};
use crate::facts::{self, licence_scope, Facts, Unit, Witness};
use crate::glob::PathGlobs;
use crate::licenses;
use crate::repo::{roles, Role};
use regex::{Regex, RegexBuilder};
use schemars::JsonSchema;
use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

/// A regular expression, case-insensitive unless it says `(?-i)`; `^` and `$` match at line
/// starts and ends.
///
/// Users' patterns are compiled when the rule is read, so that a pattern that is invalid or
/// too large to compile is reported at its key; the built-in rules' patterns are compiled on
/// first use (most rules of a run never reach their pattern, and compiling all of them was the
/// largest part of start-up), and a test compiles every one of them.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
}

thread_local! {
    /// Whether patterns read on this thread are compiled when first used (the built-in rules,
    /// whose patterns a test compiles) instead of when read.
    static LAZY_PATTERNS: Cell<bool> = const { Cell::new(false) };
}

/// Reads rules with `f`, compiling their patterns only when first used.
pub(crate) fn with_lazy_patterns<T>(f: impl FnOnce() -> T) -> T {
    let before = LAZY_PATTERNS.with(|l| l.replace(true));
    let out = f();
    LAZY_PATTERNS.with(|l| l.set(before));
    out
}

/// Compiles a pattern; the same source (several rules share theirs) is compiled once a run.
fn compile(source: &str) -> Result<Regex, regex::Error> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    static SEEN: LazyLock<Mutex<HashMap<String, Regex>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    if let Some(re) = SEEN.lock().ok().and_then(|m| m.get(source).cloned()) {
        return Ok(re);
    }
    let re = RegexBuilder::new(source)
        .case_insensitive(true)
        .multi_line(true)
        .size_limit(1 << 20)
        .build()?;
    if let Ok(mut m) = SEEN.lock() {
        m.insert(source.to_string(), re.clone());
    }
    Ok(re)
}

impl Pattern {
    /// The compiled expression. A built-in pattern that does not compile (a test guards
    /// against it) matches nothing.
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            compile(&self.source).unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("valid"))
        })
    }

    /// The expression as written, with spaces widened (see [`spaces_match_whitespace`]).
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// A space in a pattern matches any run of whitespace, line breaks included: Markdown wraps
/// sentences across lines. Spaces inside `[...]` and escaped spaces stay literal.
pub fn spaces_match_whitespace(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = false;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            out.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            ' ' if !in_class => out.push_str(r"\s+"),
            _ => out.push(c),
        }
    }
    out
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let source = spaces_match_whitespace(&String::deserialize(d)?);
        let invalid =
            |e: &dyn fmt::Display| de::Error::custom(format!("invalid regular expression: {e}"));
        let compiled = OnceLock::new();
        // built-in patterns are neither checked nor compiled here: a test compiles every one
        // of them, and checking their syntax on every run cost more than reading the rules
        if !LAZY_PATTERNS.with(Cell::get) {
            let _ = compiled.set(compile(&source).map_err(|e| invalid(&e))?);
        }
        Ok(Pattern { source, compiled })
    }
}

/// Globs, written as one string or a list.
#[derive(Debug, Clone)]
pub struct Globs(pub PathGlobs);

impl<'de> Deserialize<'de> for Globs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = OneOrMany::<String>::deserialize(d)?.0;
        PathGlobs::new(&list)
            .map(Globs)
            .map_err(|(i, why)| de::Error::custom(format!("invalid glob `{}`: {why}", list[i])))
    }
}

/// One value or a list of them.
#[derive(Debug, Clone)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::<E>::new(v)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(OneOrMany(v))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A section group from the heading table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionName(pub String);

impl<'de> Deserialize<'de> for SectionName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if headings::is_group(&s) {
            Ok(SectionName(s))
        } else {
            let known: Vec<&str> = headings::table()
                .groups
                .keys()
                .map(String::as_str)
                .collect();
            Err(de::Error::custom(match crate::text::suggest(&s, known.iter().copied()) {
                Some(g) => format!("unknown section `{s}`; did you mean `{g}`?"),
                None => format!("unknown section `{s}`; give `headings = [...]` for a section of your own, or use one of: {}", known.join(", ")),
            }))
        }
    }
}

/// A jurisdiction the policy can name, or `any`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JurisdictionName(pub String);

impl<'de> Deserialize<'de> for JurisdictionName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let known: Vec<&str> = crate::config::JURISDICTIONS
            .iter()
            .map(|(k, _)| *k)
            .collect();
        if s == "any" || known.contains(&s.as_str()) {
            Ok(JurisdictionName(s))
        } else {
            Err(de::Error::custom(format!(
                "unknown jurisdiction `{s}`; use `any` or one of {}",
                known.join(", ")
            )))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactName(pub String);

impl<'de> Deserialize<'de> for FactName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if facts::is_fact(&s) {
            Ok(FactName(s))
        } else {
            let known: Vec<&str> = facts::all_facts().map(|f| f.name).collect();
            Err(de::Error::custom(
                match crate::text::suggest(&s, known.iter().copied()) {
                    Some(g) => format!("unknown fact `{s}`; did you mean `{g}`?"),
                    None => format!(
                        "unknown fact `{s}`; the facts are listed in README.md (Rule format)"
                    ),
                },
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleName(pub Role);

impl<'de> Deserialize<'de> for RoleName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Role::parse(&s).map(RoleName).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown role `{s}`; roles are {}",
                Role::NAMES.join(", ")
            ))
        })
    }
}

/// Which documents a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocScope {
    /// Model cards (all language variants).
    Card,
    /// Data statements and dataset cards.
    Data,
    /// Cards and data statements: facts merge across them.
    #[default]
    Any,
    License,
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FileScope {
    /// The model folder (and the repository's top-level licence and policy files).
    #[default]
    Model,
    /// The whole repository.
    Repository,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    Card,
    /// A card written for the Hugging Face Hub: it has front matter, or it sits in a model
    /// folder laid out for the Hub (weights and a `config.json`).
    HubCard,
    DataStatement,
    DatasetCard,
    /// A data statement or a dataset card.
    Data,
    License,
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseSource {
    File,
    Declared,
    Any,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
    Mode(OneOrMany<Mode>),
    Jurisdiction(OneOrMany<JurisdictionName>),
    File(FileCheck),
    Document(DocumentCheck),
    FrontMatter(FrontMatterCheck),
    Section(SectionCheck),
    Text(TextCheck),
    License(LicenseCheck),
    Component(ComponentCheck),
    Fact(FactCheck),
}

impl Check {
    /// The built-in section groups this check looks for, in order, each once.
    pub fn section_groups(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_groups(&mut out);
        out
    }

    fn collect_groups(&self, out: &mut Vec<String>) {
        match self {
            Check::All(v) | Check::Any(v) => v.iter().for_each(|c| c.collect_groups(out)),
            Check::Not(c) => c.collect_groups(out),
            Check::Section(SectionCheck { name: Some(n), .. }) if !out.contains(&n.0) => {
                out.push(n.0.clone())
            }
            _ => {}
        }
    }
}

fn from_str_via<'a, T: Deserialize<'a>>(s: &'a str) -> Result<T, String> {
    T::deserialize(de::value::StrDeserializer::<de::value::Error>::new(s))
        .map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileCheck {
    pub glob: Option<Globs>,
    pub role: Option<RoleName>,
    #[serde(default)]
    pub scope: FileScope,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentCheck {
    pub kind: DocKind,
    /// For policy documents: `security`, `contributing`, `code-of-conduct`, `privacy`, `support`.
    pub name: Option<String>,
    /// `en` or `zh`.
    pub lang: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct FrontMatterTable {
    key: String,
    equals: Option<String>,
    #[serde(rename = "in")]
    one_of: Option<Vec<String>>,
    matches: Option<Pattern>,
    #[serde(default = "card_scope")]
    doc: DocScope,
    reason: Option<String>,
}

fn card_scope() -> DocScope {
    DocScope::Card
}

#[derive(Debug, Clone)]
pub struct FrontMatterCheck {
    pub key: String,
    pub equals: Option<String>,
    pub one_of: Option<Vec<String>>,
    pub matches: Option<Pattern>,
    pub doc: DocScope,
    pub reason: Option<String>,
}

impl From<FrontMatterTable> for FrontMatterCheck {
    fn from(t: FrontMatterTable) -> Self {
        FrontMatterCheck {
            key: t.key,
            equals: t.equals,
            one_of: t.one_of,
            matches: t.matches,
            doc: t.doc,
            reason: t.reason,
        }
    }
}

impl<'de> Deserialize<'de> for FrontMatterCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FrontMatterCheck;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key name or a table")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FrontMatterCheck, E> {
                Ok(FrontMatterCheck {
                    key: v.to_string(),
                    equals: None,
                    one_of: None,
                    matches: None,
                    doc: DocScope::Card,
                    reason: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FrontMatterCheck, A::Error> {
                FrontMatterTable::deserialize(MapAccessDeserializer::new(map)).map(Into::into)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Default)]
pub struct SectionCheck {
    pub name: Option<SectionName>,
    /// Headings of a section of the user's own (aliases, matched like the built-in ones).
    pub headings: Option<Vec<String>>,
    pub min_words: Option<usize>,
    pub doc: DocScope,
    pub reason: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct SectionTable {
    name: Option<SectionName>,
    headings: Option<Vec<String>>,
    min_words: Option<usize>,
    #[serde(default)]
    doc: DocScope,
    reason: Option<String>,
}

impl<'de> Deserialize<'de> for SectionCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SectionCheck;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a section name or a table")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SectionCheck, E> {
                let name: SectionName = from_str_via(v).map_err(E::custom)?;
                Ok(SectionCheck {
                    name: Some(name),
                    ..SectionCheck::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SectionCheck, A::Error> {
                let t = SectionTable::deserialize(MapAccessDeserializer::new(map))?;
                if t.name.is_none() && t.headings.is_none() {
                    return Err(de::Error::custom(
                        "a section check needs `name` (a built-in section) or `headings`",
                    ));
                }
                Ok(SectionCheck {
                    name: t.name,
                    headings: t.headings,
                    min_words: t.min_words,
                    doc: t.doc,
                    reason: t.reason,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TextCheck {
    pub pattern: Pattern,
    pub section: Option<SectionName>,
    #[serde(default)]
    pub doc: DocScope,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LicenseCheck {
    /// A component the licence must cover (by the file's name or folder, or because it is the
    /// repository's licence); any when absent.
    pub covers: Option<String>,
    pub source: Option<LicenseSource>,
    pub osi: Option<bool>,
    pub restricted: Option<bool>,
    pub commercial: Option<bool>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComponentCheck {
    pub name: Option<String>,
    /// Components this check leaves out (another rule covers them).
    pub except: Option<Vec<String>>,
    pub status: Option<Status>,
    pub patented: Option<bool>,
    pub declared: Option<bool>,
    /// Holds at each file of the matching components found in the tree.
    pub present: Option<bool>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FactCheck {
    pub name: FactName,
    pub reason: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FactTable {
    name: FactName,
    reason: Option<String>,
}

impl<'de> Deserialize<'de> for FactCheck {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FactCheck;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a fact name or a table")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FactCheck, E> {
                Ok(FactCheck {
                    name: from_str_via(v).map_err(E::custom)?,
                    reason: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FactCheck, A::Error> {
                let t = FactTable::deserialize(MapAccessDeserializer::new(map))?;
                Ok(FactCheck {
                    name: t.name,
                    reason: t.reason,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a check holds, and the places that show it.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub holds: bool,
    /// Where it holds (when it holds) or where it fails (when it does not).
    pub at: Vec<Witness>,
}

pub struct Ctx<'a> {
    pub facts: &'a Facts,
    pub unit: &'a Unit,
    /// The mode the rule is evaluated in (the repository's mode for repository-wide rules).
    pub mode: Mode,
    pub repository: bool,
}

impl<'a> Ctx<'a> {
    fn docs(&self, scope: DocScope) -> Vec<&'a Document> {
        let ids: Vec<usize> = match scope {
            DocScope::Card => self.unit.cards.clone(),
            DocScope::Data => self.unit.data_docs.clone(),
            DocScope::Any => self
                .unit
                .cards
                .iter()
                .chain(self.unit.data_docs.iter())
                .copied()
                .collect(),
            DocScope::License => self.unit.license_docs.clone(),
            DocScope::Policy => self.unit.policy_docs.clone(),
        };
        ids.into_iter()
            .map(|i| &self.facts.docs[i])
            .filter(|d| d.readable)
            .collect()
    }

    /// Where a finding about a missing thing points: the model folder's card (for a model
    /// folder other than the root), else the repository.
    pub fn unit_anchor(&self) -> Witness {
        if self.unit.folder.is_empty() || self.repository {
            return Witness::default();
        }
        match self.unit.cards.first() {
            Some(&c) => Witness::span(&self.facts.docs[c].path, self.facts.docs[c].anchor()),
            None => Witness::default(),
        }
    }

    fn doc_anchor(&self, docs: &[&Document]) -> Witness {
        match docs.first() {
            Some(d) => Witness::span(&d.path, d.anchor()),
            None => {
                // no readable document of that kind: point at an unreadable one if any
                match self
                    .unit
                    .cards
                    .iter()
                    .chain(self.unit.data_docs.iter())
                    .next()
                {
                    Some(&i) => Witness::file(&self.facts.docs[i].path),
                    None => self.unit_anchor(),
                }
            }
        }
    }

    fn files(&self, scope: FileScope) -> Vec<usize> {
        if scope == FileScope::Repository || self.repository {
            (0..self.facts.files.entries.len()).collect()
        } else {
            self.unit.files.clone()
        }
    }
}

fn with_reason(mut ws: Vec<Witness>, reason: &Option<String>) -> Vec<Witness> {
    if let Some(r) = reason {
        for w in ws.iter_mut() {
            *w = std::mem::take(w).var("reason", r.clone());
        }
    }
    ws
}

fn fail(at: Vec<Witness>, reason: &Option<String>) -> Outcome {
    Outcome {
        holds: false,
        at: with_reason(at, reason),
    }
}

fn pass(at: Vec<Witness>) -> Outcome {
    Outcome { holds: true, at }
}

impl Check {
    pub fn eval(&self, cx: &Ctx) -> Outcome {
        match self {
            Check::All(items) => {
                let outs: Vec<Outcome> = items.iter().map(|c| c.eval(cx)).collect();
                if outs.iter().all(|o| o.holds) {
                    pass(outs.into_iter().flat_map(|o| o.at).collect())
                } else {
                    let at = outs
                        .into_iter()
                        .filter(|o| !o.holds)
                        .flat_map(|o| o.at)
                        .collect();
                    Outcome { holds: false, at }
                }
            }
            Check::Any(items) => {
                let outs: Vec<Outcome> = items.iter().map(|c| c.eval(cx)).collect();
                if let Some(o) = outs.iter().find(|o| o.holds) {
                    return pass(o.at.clone());
                }
                // the alternative closest to holding (fewest failures), preferring failures
                // that point into a file: "whichever convention the document follows"
                let precise =
                    |o: &Outcome| o.at.iter().any(|w| w.range.is_some() || w.region.is_some());
                let best = outs.iter().min_by_key(|o| (o.at.len().max(1), !precise(o)));
                Outcome {
                    holds: false,
                    at: best.map(|o| o.at.clone()).unwrap_or_default(),
                }
            }
            Check::Not(inner) => {
                let o = inner.eval(cx);
                if o.holds {
                    let at = if o.at.is_empty() {
                        vec![cx.unit_anchor()]
                    } else {
                        o.at
                    };
                    Outcome { holds: false, at }
                } else {
                    pass(vec![])
                }
            }
            Check::Mode(modes) => Outcome {
                holds: modes.0.contains(&cx.mode),
                at: vec![],
            },
            Check::Jurisdiction(js) => Outcome {
                holds: js.0.iter().any(|j| {
                    (j.0 == "any" && !cx.unit.jurisdictions.is_empty())
                        || cx
                            .unit
                            .jurisdictions
                            .iter()
                            .any(|u| u.eq_ignore_ascii_case(&j.0))
                }),
                at: vec![],
            },
            Check::File(f) => eval_file(f, cx),
            Check::Document(d) => eval_document(d, cx),
            Check::FrontMatter(f) => eval_front_matter(f, cx),
            Check::Section(s) => eval_section(s, cx),
            Check::Text(t) => eval_text(t, cx),
            Check::License(l) => eval_license(l, cx),
            Check::Component(c) => eval_component(c, cx),
            Check::Fact(f) => {
                let ws = cx.unit.fact(&f.name.0).to_vec();
                if ws.is_empty() {
                    fail(vec![cx.unit_anchor()], &f.reason)
                } else {
                    pass(with_reason(ws, &f.reason))
                }
            }
        }
    }
}

fn eval_file(f: &FileCheck, cx: &Ctx) -> Outcome {
    let entries = &cx.facts.files.entries;
    let found: Vec<Witness> = cx
        .files(f.scope)
        .into_iter()
        .map(|i| &entries[i])
        .filter(|e| f.role.is_none_or(|r| e.role == r.0))
        .filter(|e| {
            f.glob
                .as_ref()
                .is_none_or(|g| g.0.is_match(cx.unit.relative(&e.path)) || g.0.is_match(&e.path))
        })
        .map(|e| Witness::file(&e.path))
        .collect();
    if found.is_empty() {
        fail(vec![cx.unit_anchor()], &f.reason)
    } else {
        pass(found)
    }
}

/// A model folder laid out for the Hub: weights and a `config.json` at its top.
fn hub_layout(cx: &Ctx) -> bool {
    let top = |role: Role, name: Option<&str>| {
        cx.unit.files.iter().any(|i| {
            let e = &cx.facts.files.entries[*i];
            let rel = cx.unit.relative(&e.path);
            e.role == role && !rel.contains('/') && name.is_none_or(|n| rel == n)
        })
    };
    top(Role::Weights, None) && top(Role::ModelConfig, Some("config.json"))
}

fn eval_document(d: &DocumentCheck, cx: &Ctx) -> Outcome {
    let docs: Vec<&Document> = match d.kind {
        DocKind::Card => cx.docs(DocScope::Card),
        DocKind::HubCard => {
            let hub_folder = hub_layout(cx);
            cx.docs(DocScope::Card)
                .into_iter()
                .filter(|x| x.front_matter.is_some() || hub_folder)
                .collect()
        }
        DocKind::Data => cx.docs(DocScope::Data),
        DocKind::DataStatement => cx
            .docs(DocScope::Data)
            .into_iter()
            .filter(|x| x.role == Role::DataStatement)
            .collect(),
        DocKind::DatasetCard => cx
            .docs(DocScope::Data)
            .into_iter()
            .filter(|x| x.role == Role::DatasetCard)
            .collect(),
        DocKind::License => cx.docs(DocScope::License),
        DocKind::Policy => cx.docs(DocScope::Policy),
    };
    let found: Vec<Witness> = docs
        .iter()
        .filter(|x| {
            d.name
                .as_deref()
                .is_none_or(|n| roles::policy_doc_kind(&x.path) == Some(n))
        })
        .filter(|x| d.lang.as_deref().is_none_or(|l| x.lang == l))
        .map(|x| Witness::span(&x.path, x.anchor()))
        .collect();
    if found.is_empty() {
        fail(vec![cx.unit_anchor()], &d.reason)
    } else {
        pass(found)
    }
}

/// A key, with dots for nested keys (`co2_eq_emissions.emissions`).
fn lookup<'n>(
    root: &'n crate::documents::yaml::Node,
    key: &str,
) -> Option<(
    &'n crate::documents::yaml::Key,
    &'n crate::documents::yaml::Node,
)> {
    let mut parts = key.split('.');
    let mut cur = root.key(parts.next()?)?;
    for p in parts {
        cur = cur.1.key(p)?;
    }
    Some(cur)
}

fn eval_front_matter(f: &FrontMatterCheck, cx: &Ctx) -> Outcome {
    let docs = cx.docs(f.doc);
    let has_test = f.equals.is_some() || f.one_of.is_some() || f.matches.is_some();
    let mut mismatches = Vec::new();
    for d in &docs {
        let Some((_, node)) = d.meta().and_then(|m| lookup(m, &f.key)) else {
            continue;
        };
        if node.is_empty() {
            continue;
        }
        if !has_test {
            return pass(vec![Witness::span(&d.path, node.span.clone()).var(
                "value",
                node.texts()
                    .first()
                    .map(|t| t.0.clone())
                    .unwrap_or_default(),
            )]);
        }
        let mut hits = Vec::new();
        for (value, span) in node.texts() {
            let ok = f.equals.as_ref().is_none_or(|e| e == &value)
                && f.one_of.as_ref().is_none_or(|set| set.contains(&value))
                && f.matches
                    .as_ref()
                    .is_none_or(|p| p.regex().is_match(&value));
            let w = Witness::span(&d.path, span)
                .var("value", value.clone())
                .var("key", f.key.clone());
            if ok {
                hits.push(w);
            } else {
                mismatches.push(w);
            }
        }
        if !hits.is_empty() {
            return pass(hits);
        }
    }
    if !mismatches.is_empty() {
        return fail(mismatches, &f.reason);
    }
    // a key is added to the front matter that is there: the Hub card's, whatever its name
    let with_meta: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| d.front_matter.is_some())
        .collect();
    let anchor = if with_meta.is_empty() {
        &docs
    } else {
        &with_meta
    };
    let mut w = cx.doc_anchor(anchor).var("key", f.key.clone());
    if f.reason.is_none() {
        w = w.var(
            "reason",
            format!("there is no `{}` in the front matter", f.key),
        );
    }
    fail(vec![w], &f.reason)
}

fn section_matches(s: &crate::documents::Section, check: &SectionCheck) -> bool {
    match (&check.name, &check.headings) {
        (Some(n), _) if s.groups.iter().any(|g| *g == n.0) => true,
        (_, Some(h)) => headings::matches_any(&s.heading, h),
        _ => false,
    }
}

fn section_title(check: &SectionCheck) -> String {
    match (&check.name, &check.headings) {
        (Some(n), _) => headings::title(&n.0),
        (None, Some(h)) => h.first().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

fn eval_section(s: &SectionCheck, cx: &Ctx) -> Outcome {
    let docs = cx.docs(s.doc);
    let min = s.min_words.unwrap_or(1).max(1);
    let mut short: Option<Witness> = None;
    let mut found = Vec::new();
    for d in &docs {
        for sec in d.sections.iter().filter(|x| section_matches(x, s)) {
            // a length minimum does not apply to a table, a code block or figures
            if !sec.placeholder && (sec.words >= min || sec.structured) {
                found.push(
                    Witness::span(&d.path, sec.heading_range.clone())
                        .var("section", sec.heading.clone()),
                );
            } else if short.is_none() && sec.is_heading() {
                // a short label or row is weak evidence, not a section to fill in
                let why = if sec.placeholder {
                    format!("the `{}` section holds only placeholder text", sec.heading)
                } else {
                    format!(
                        "the `{}` section has {} words; at least {min} are expected",
                        sec.heading, sec.words
                    )
                };
                short = Some(
                    Witness::span(&d.path, sec.heading_range.clone())
                        .var("section", sec.heading.clone())
                        .var("reason", why),
                );
            }
        }
    }
    if !found.is_empty() {
        return pass(found);
    }
    if let Some(w) = short {
        return fail(vec![w], &None);
    }
    let title = section_title(s);
    let mut w = match docs.first() {
        Some(d) => where_to_add(d, s).var("section", title.clone()),
        None => cx.doc_anchor(&docs).var("section", title.clone()),
    };
    if docs.is_empty() {
        w = w.var(
            "reason",
            match s.doc {
                DocScope::Data => "there is no data statement".to_string(),
                _ => "there is no model card".to_string(),
            },
        );
    } else if s.reason.is_none() {
        let place = w.get("place").unwrap_or("").to_string();
        w = w.var(
            "reason",
            format!(
                "no heading, label, table row or paragraph about {} in {}; {place}",
                topic_words(&title),
                searched(&docs)
            ),
        );
    }
    fail(vec![w], &s.reason)
}

/// A section title as words in a sentence: "Out-of-Scope Use" -> "out-of-scope use".
fn topic_words(title: &str) -> String {
    title
        .split(' ')
        .map(|w| {
            // keep acronyms (CO2, PII) as written
            if w.chars().filter(|c| c.is_uppercase()).count() > 1 {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The documents a search looked in: "README.md", "README.md or MODEL_CARD.md", or the first
/// two and how many more.
fn searched(docs: &[&Document]) -> String {
    let names: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        2 => format!("{} or {}", names[0], names[1]),
        n => format!("{}, {} or {} more", names[0], names[1], n - 2),
    }
}

/// Where a missing section goes in a card: after the nearest section that comes before it in
/// the usual order, or at the end of the card. The witness points at that line and says so in
/// `place`.
fn where_to_add(d: &Document, s: &SectionCheck) -> Witness {
    let text = &d.text;
    let last_line = |end: usize| {
        let body = text[..end].trim_end();
        let start = body.rfind('\n').map_or(0, |i| i + 1);
        start..body.len()
    };
    let before = s.name.as_ref().and_then(|n| {
        let at = headings::CARD_ORDER.iter().position(|g| *g == n.0)?;
        headings::CARD_ORDER[..at].iter().rev().find_map(|g| {
            d.sections
                .iter()
                .rfind(|x| x.is_heading() && x.groups.contains(g))
        })
    });
    match before {
        Some(sec) if !text[..sec.range.end].trim_end().is_empty() => {
            Witness::span(&d.path, last_line(sec.range.end)).var(
                "place",
                format!("add it after the `{}` section", sec.heading),
            )
        }
        _ if !text.trim().is_empty() => Witness::span(&d.path, last_line(text.len()))
            .var("place", format!("add it at the end of {}", d.path)),
        _ => Witness::span(&d.path, d.anchor()).var("place", format!("add it to {}", d.path)),
    }
}

fn eval_text(t: &TextCheck, cx: &Ctx) -> Outcome {
    let docs = cx.docs(t.doc);
    let mut found = Vec::new();
    // a finding about a section points at its heading when there is one in any document, at
    // a label or paragraph that gives the topic otherwise
    let section_anchor: Option<Witness> = t.section.as_ref().and_then(|name| {
        let mut all = docs
            .iter()
            .flat_map(|d| d.sections_in(&name.0).map(move |s| (d, s)))
            .collect::<Vec<_>>();
        all.sort_by_key(|(_, s)| !s.is_heading());
        all.first()
            .map(|(d, s)| Witness::span(&d.path, s.heading_range.clone()))
    });
    for d in &docs {
        let ranges: Vec<std::ops::Range<usize>> = match &t.section {
            Some(name) => d.sections_in(&name.0).map(|s| s.range.clone()).collect(),
            None => {
                let start = d.front_matter.as_ref().map(|f| f.range.end).unwrap_or(0);
                std::iter::once(start..d.text.len()).collect()
            }
        };
        for r in ranges {
            if let Some(m) = t.pattern.regex().find(&d.text[r.clone()]) {
                found.push(
                    Witness::span(&d.path, r.start + m.start()..r.start + m.end())
                        .var("value", m.as_str().to_string()),
                );
            }
        }
    }
    if !found.is_empty() {
        return pass(found);
    }
    let w = section_anchor.unwrap_or_else(|| cx.doc_anchor(&docs));
    fail(vec![w], &t.reason)
}

fn eval_license(l: &LicenseCheck, cx: &Ctx) -> Outcome {
    let mut found = Vec::new();
    let wants_terms = l.osi.is_some() || l.restricted.is_some() || l.commercial.is_some();
    let terms_ok = |id: Option<&str>| -> bool {
        if !wants_terms {
            return true;
        }
        let Some(id) = id else { return false };
        let t = licenses::terms(id);
        t.known
            && l.osi.is_none_or(|v| t.osi == v)
            && l.restricted.is_none_or(|v| t.restricted == v)
            && l.commercial.is_none_or(|v| t.commercial == v)
    };
    let source = l.source.unwrap_or(LicenseSource::Any);
    if matches!(source, LicenseSource::File | LicenseSource::Any) {
        // a licence file that cannot be read (a PDF) is a licence file all the same
        let files = cx.unit.license_docs.iter().map(|i| &cx.facts.docs[*i]);
        for d in files {
            let name = roles::file_name(&d.path).to_ascii_uppercase();
            if name.starts_with("NOTICE") {
                continue;
            }
            let scope = licence_scope(&d.path, cx.unit);
            let covers = l
                .covers
                .as_ref()
                .is_none_or(|c| scope.is_empty() || scope.contains(c));
            let id = cx
                .facts
                .licence_text(&d.path)
                .and_then(|l| l.found.as_ref())
                .map(|i| i.id.clone());
            if covers && terms_ok(id.as_deref()) {
                found.push(Witness::file(&d.path).var("value", id.unwrap_or_default()));
            }
        }
    }
    if matches!(source, LicenseSource::Declared | LicenseSource::Any) {
        for d in cx.docs(DocScope::Card) {
            if let Some(node) = d.meta().and_then(|m| m.get("license")) {
                for (id, span) in node.texts() {
                    let spdx = licenses::hub_license_loose(&id).and_then(|h| h.spdx.clone());
                    if terms_ok(spdx.as_deref()) {
                        found.push(Witness::span(&d.path, span).var("value", id));
                    }
                }
            }
        }
        if let Some(c) = l.covers.as_ref() {
            if let Some(comp) = cx.unit.components.iter().find(|x| &x.name == c) {
                if let Some(id) = &comp.license {
                    if terms_ok(Some(id)) {
                        found.push(cx.unit_anchor().var("value", id.clone()));
                    }
                }
            }
        }
    }
    if found.is_empty() {
        fail(vec![cx.unit_anchor()], &l.reason)
    } else {
        pass(found)
    }
}

fn eval_component(c: &ComponentCheck, cx: &Ctx) -> Outcome {
    let comps: Vec<_> = cx
        .unit
        .components
        .iter()
        .filter(|x| c.name.as_ref().is_none_or(|n| &x.name == n))
        .filter(|x| c.except.as_ref().is_none_or(|e| !e.contains(&x.name)))
        .filter(|x| c.status.is_none_or(|s| x.status == s))
        .filter(|x| c.patented.is_none_or(|p| x.patented == p))
        .filter(|x| c.declared.is_none_or(|d| x.declared == d))
        .collect();
    if c.present == Some(true) {
        let files: Vec<Witness> = comps
            .iter()
            .flat_map(|x| {
                x.files.iter().map(|i| {
                    Witness::file(&cx.facts.files.entries[*i].path).var("component", x.name.clone())
                })
            })
            .collect();
        return if files.is_empty() {
            fail(vec![cx.unit_anchor()], &c.reason)
        } else {
            pass(files)
        };
    }
    if comps.is_empty() {
        fail(vec![cx.unit_anchor()], &c.reason)
    } else {
        let names = comps
            .iter()
            .map(|x| x.name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        pass(vec![cx.unit_anchor().var("component", names)])
    }
}

/// Modes named anywhere in a check, for docs.
pub fn mentions_mode(c: &Check, m: Mode) -> bool {
    match c {
        Check::All(v) | Check::Any(v) => v.iter().any(|x| mentions_mode(x, m)),
        Check::Not(x) => mentions_mode(x, m),
        Check::Mode(ms) => ms.0.contains(&m),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::spaces_match_whitespace;

    #[test]
    fn spaces_cross_line_breaks() {
        assert_eq!(spaces_match_whitespace("write to"), r"write\s+to");
        assert_eq!(spaces_match_whitespace("opt[- ]out"), "opt[- ]out");
        assert_eq!(spaces_match_whitespace(r"a\ b"), r"a\ b");
    }
}
