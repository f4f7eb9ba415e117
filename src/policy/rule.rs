//! The rule format: one rule per file in rules/<short-family>/<name>.toml (the path is the id),
//! or many rules as `[[rule]]` tables in a user's pack.

use super::check::Check;
use crate::config::Mode;
use crate::finding::{Family, Level};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

/// A rule's default level, for all its modes or per mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelSpec {
    pub all: Option<Level>,
    pub per_mode: BTreeMap<Mode, Level>,
}

impl LevelSpec {
    pub fn for_mode(&self, m: Mode) -> Option<Level> {
        self.per_mode.get(&m).copied().or(self.all)
    }
}

fn parse_level(s: &str) -> Result<Level, String> {
    match s {
        "error" => Ok(Level::Error),
        "warning" => Ok(Level::Warning),
        "info" => Ok(Level::Info),
        other => Err(format!(
            "unknown level `{other}`, expected `error`, `warning` or `info`"
        )),
    }
}

impl<'de> Deserialize<'de> for LevelSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LevelSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a level, or a table of levels by mode (`open`, `hybrid`, `closed`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LevelSpec, E> {
                Ok(LevelSpec {
                    all: Some(parse_level(v).map_err(E::custom)?),
                    per_mode: BTreeMap::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LevelSpec, A::Error> {
                let mut out = LevelSpec::default();
                while let Some(k) = map.next_key::<String>()? {
                    let mode = Mode::parse(&k).ok_or_else(|| {
                        de::Error::unknown_field(&k, &["open", "hybrid", "closed"])
                    })?;
                    let v: String = map.next_value()?;
                    out.per_mode
                        .insert(mode, parse_level(&v).map_err(de::Error::custom)?);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleScope {
    /// Checked for each model release (the root, and each model folder with its own card).
    #[default]
    Model,
    /// Checked once for the whole repository.
    Repository,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    #[default]
    Stable,
    Preview,
    Deprecated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    Pass,
    Fail,
}

/// A file of an example repository: its text, or a size of zero bytes (weights), or a
/// licence text by SPDX id.
#[derive(Debug, Clone)]
pub enum ExampleFile {
    Text(String),
    Bytes(u64),
    /// `{ license = "MIT", append = "..." }`: an SPDX licence's text from the spdx crate, with
    /// text added after it (or before it, `prepend`).
    License {
        id: String,
        prepend: Option<String>,
        append: Option<String>,
    },
    /// Bytes written in hexadecimal (`{ hex = "80 04 95" }`), for binary formats.
    Binary(Vec<u8>),
}

impl ExampleFile {
    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            ExampleFile::Text(t) => t.as_bytes().to_vec(),
            ExampleFile::Bytes(n) => vec![0u8; *n as usize],
            ExampleFile::Binary(b) => b.clone(),
            ExampleFile::License {
                id,
                prepend,
                append,
            } => {
                let mut t = prepend.clone().unwrap_or_default();
                t.push_str(crate::licenses::detect::reference_text(id).unwrap_or_default());
                if let Some(a) = append {
                    t.push_str(a);
                }
                t.into_bytes()
            }
        }
    }
}

/// Bytes from hexadecimal digits; whitespace between them is ignored.
pub fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err("an odd number of hexadecimal digits".into());
    }
    digits
        .chunks(2)
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    format!("`{}` is not a hexadecimal byte", String::from_utf8_lossy(p))
                })
        })
        .collect()
}

impl<'de> Deserialize<'de> for ExampleFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ExampleFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the file's text, or a table `{ size = N }`, `{ license = \"MIT\" }` or `{ hex = \"...\" }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExampleFile, E> {
                Ok(ExampleFile::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExampleFile, A::Error> {
                let mut out = None;
                let (mut license, mut prepend, mut append) = (None, None, None);
                while let Some(k) = map.next_key::<String>()? {
                    match k.as_str() {
                        "size" => {
                            let n: u64 = map.next_value()?;
                            if n > 16 * 1024 * 1024 {
                                return Err(de::Error::custom("example files are at most 16 MiB"));
                            }
                            out = Some(ExampleFile::Bytes(n));
                        }
                        "license" => {
                            let id: String = map.next_value()?;
                            if crate::licenses::detect::reference_text(&id).is_none() {
                                return Err(de::Error::custom(format!(
                                    "`{id}` is not an SPDX licence whose text modelgate has"
                                )));
                            }
                            license = Some(id);
                        }
                        "prepend" => prepend = Some(map.next_value::<String>()?),
                        "append" => append = Some(map.next_value::<String>()?),
                        "hex" => {
                            let h: String = map.next_value()?;
                            out = Some(ExampleFile::Binary(
                                parse_hex(&h).map_err(de::Error::custom)?,
                            ));
                        }
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["size", "hex", "license", "prepend", "append"],
                            ))
                        }
                    }
                }
                if let Some(id) = license {
                    if out.is_some() {
                        return Err(de::Error::custom("give one of `size`, `hex` or `license`"));
                    }
                    return Ok(ExampleFile::License {
                        id,
                        prepend,
                        append,
                    });
                }
                if prepend.is_some() || append.is_some() {
                    return Err(de::Error::custom(
                        "`prepend` and `append` go with `license`",
                    ));
                }
                out.ok_or_else(|| de::Error::custom("give the file's `size`, `hex` or `license`"))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub name: String,
    pub expect: Expect,
    pub mode: Option<Mode>,
    /// A modelgate.toml for the example (its `[release]` mode wins over `mode`).
    pub policy: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, ExampleFile>,
    /// For failing examples: a finding is expected on this line ...
    pub line: Option<usize>,
    /// ... of this file (`""` for a repository-level finding).
    pub path: Option<String>,
    /// Files past commits held (path → commit id), as `check --history` finds them.
    #[serde(default)]
    pub history: BTreeMap<String, String>,
    /// The contents of files in `history`, read by the scanners as `check --history` reads
    /// blobs of past commits.
    #[serde(default)]
    pub history_files: BTreeMap<String, ExampleFile>,
    /// `check --history` runs on a shallow clone: the commits before its graft were not read.
    #[serde(default)]
    pub shallow: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// `<prefix>/<kebab-name>`; your own packs use a prefix of their own.
    #[schemars(
        with = "String",
        regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
    )]
    pub id: Spanned<String>,
    pub family: Family,
    pub modes: Vec<Mode>,
    pub level: LevelSpec,
    #[serde(default)]
    pub scope: RuleScope,
    /// The principles the rule enforces, G1 to G14.
    #[schemars(with = "Vec<crate::model::GuidanceId>")]
    pub guidance: Vec<Spanned<String>>,
    pub since: Option<String>,
    #[serde(default)]
    pub status: RuleStatus,
    pub replaced_by: Option<String>,
    pub summary: String,
    pub message: String,
    pub help: String,
    #[serde(default)]
    pub rationale: String,
    /// The finding quotes something that must never be printed whole.
    #[serde(default)]
    pub sensitive: bool,
    pub when: Option<Check>,
    pub check: Check,
    #[serde(default)]
    #[schemars(with = "Vec<Example>")]
    pub examples: Vec<Spanned<Example>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub name: String,
    pub description: Option<String>,
    pub version: Option<String>,
    /// The web page of each rule: a URL in which `{id}` stands for the rule's id (without it,
    /// one page for the whole pack). Findings link to it; without it they link to no page.
    pub docs: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackDef {
    pub pack: Option<PackMeta>,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
}

/// Where a rule was defined.
#[derive(Debug, Clone)]
pub struct Origin {
    /// `rules/data/training-sources.toml` for built-ins; the path given for users' packs.
    pub file: String,
    pub text: Arc<str>,
    pub builtin: bool,
    /// For a user's pack: its `[pack] docs` URL template.
    pub docs: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub def: RuleDef,
    pub origin: Origin,
}

impl Rule {
    pub fn id(&self) -> &str {
        self.def.id.get_ref()
    }

    pub fn level(&self, m: Mode) -> Option<Level> {
        self.def.level.for_mode(m)
    }

    pub fn guidance(&self) -> Vec<String> {
        self.def
            .guidance
            .iter()
            .map(|g| g.get_ref().clone())
            .collect()
    }

    pub fn docs_path(&self) -> String {
        format!("docs/rules/{}.md", self.id())
    }

    /// The rule's web page: ours for a built-in rule, the pack's `docs` page for a user's
    /// rule, none when the pack gives none.
    pub fn docs_url(&self) -> Option<String> {
        if self.origin.builtin {
            return Some(format!("{DOCS_BASE}/{}.md", self.id()));
        }
        self.origin
            .docs
            .as_ref()
            .map(|d| d.replace("{id}", self.id()))
    }
}

/// Where the built-in rules' pages are published.
pub const DOCS_BASE: &str = "https://github.com/modelgate/modelgate/blob/main/docs/rules";

/// A problem with a rule pack: where, and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PackError {
    pub file: String,
    pub text: Option<Arc<str>>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

/// Parses a rule file or a pack. `builtin_id` is the id a built-in file's path gives it.
pub fn parse(file: &str, text: &str, builtin: bool) -> Result<Vec<Rule>, Vec<PackError>> {
    let shared: Arc<str> = Arc::from(text);
    let err = |span: Option<Range<usize>>, message: String, help: Option<String>| PackError {
        file: file.to_string(),
        text: Some(shared.clone()),
        span,
        message,
        help,
    };
    // the built-in rules are one rule per file; a user's file may be a pack
    let is_pack = !builtin
        && match text.parse::<toml::Table>() {
            Ok(t) => t.contains_key("rule") || t.contains_key("pack"),
            Err(e) => return Err(vec![err(e.span(), e.message().to_string(), None)]),
        };
    let (defs, docs): (Vec<RuleDef>, Option<String>) = if is_pack {
        match toml::from_str::<PackDef>(text) {
            Ok(p) => (p.rule, p.pack.and_then(|m| m.docs)),
            Err(e) => return Err(vec![err(e.span(), e.message().to_string(), None)]),
        }
    } else {
        match toml::from_str::<RuleDef>(text) {
            Ok(r) => (vec![r], None),
            Err(e) => return Err(vec![err(e.span(), e.message().to_string(), None)]),
        }
    };
    let origin = Origin {
        file: file.to_string(),
        text: shared.clone(),
        builtin,
        docs,
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for def in defs {
        validate(&def, builtin, file, &mut |span, m, h| {
            errors.push(err(span, m, h))
        });
        out.push(Rule {
            def,
            origin: origin.clone(),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn validate(
    def: &RuleDef,
    builtin: bool,
    file: &str,
    err: &mut dyn FnMut(Option<Range<usize>>, String, Option<String>),
) {
    let id = def.id.get_ref();
    let span = Some(def.id.span());
    let (prefix, name) = id.split_once('/').unwrap_or(("", id));
    let kebab = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !kebab(prefix) || !kebab(name) {
        err(
            span.clone(),
            format!("rule id `{id}` is not `prefix/kebab-name`"),
            Some("write ids like `acme/weights-signed`: lower case, digits and `-`".into()),
        );
    }
    let shorts: Vec<&str> = Family::ALL.iter().map(|f| f.short()).collect();
    if builtin {
        if prefix != def.family.short() {
            err(
                span.clone(),
                format!(
                    "built-in rule `{id}` of family `{}` must start with `{}/`",
                    def.family,
                    def.family.short()
                ),
                None,
            );
        }
        let expected = format!("rules/{id}.toml");
        if !file.ends_with(&expected) {
            err(
                span.clone(),
                format!("built-in rule `{id}` must live in `{expected}`"),
                None,
            );
        }
    } else if shorts.contains(&prefix) {
        err(
            span.clone(),
            format!("`{prefix}/` is reserved for modelgate's own rules"),
            Some("give your pack's rules a prefix of your own, such as `acme/`".into()),
        );
    }
    if def.modes.is_empty() {
        err(
            span.clone(),
            "the rule applies to no mode".into(),
            Some("set `modes = [\"open\", \"hybrid\", \"closed\"]` or a subset".into()),
        );
    }
    for m in &def.modes {
        if def.level.for_mode(*m).is_none() {
            err(
                span.clone(),
                format!("the rule has no level for mode `{m}`"),
                Some("give `level = \"error\"` or a level for each mode".into()),
            );
        }
    }
    for g in &def.guidance {
        let ok = g
            .get_ref()
            .strip_prefix('G')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=14).contains(&n));
        if !ok {
            err(
                Some(g.span()),
                format!("`{}` is not a guidance id", g.get_ref()),
                Some("guidance ids are G1 to G14 (GUIDANCE.md)".into()),
            );
        }
    }
    if def.guidance.is_empty() && def.family != Family::Tool {
        err(
            span.clone(),
            "the rule cites no guidance".into(),
            Some("add `guidance = [\"G3\"]` naming the principles it enforces".into()),
        );
    }
    for (what, text) in [("message", &def.message), ("summary", &def.summary)] {
        let first = text.chars().next();
        if first.is_some_and(|c| c.is_uppercase()) || text.ends_with('.') || text.trim().is_empty()
        {
            err(
                span.clone(),
                format!(
                    "the {what} must start in lower case and not end with a full stop: `{text}`"
                ),
                None,
            );
        }
    }
    if def.help.trim().is_empty() {
        err(
            span.clone(),
            "the rule has no help".into(),
            Some("say how to fix what the rule finds".into()),
        );
    }
}
