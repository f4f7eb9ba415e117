//! The policy file `modelgate.toml`: discovery, raw → validated. Every error points at the key.

pub(crate) mod raw;

use crate::glob::PathGlobs;
use crate::model::Level;
pub use crate::model::{Mode, ModeSource, Status};
use crate::text::suggest;
use raw::{RawComponent, RawPolicy};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

pub const POLICY_FILE: &str = "modelgate.toml";

/// A policy file is at most this large.
const MAX_POLICY: u64 = 1 << 20;
/// Default per-file cap of the scanners: 100 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 100 * 1024 * 1024;

/// A level in `[rules]`: a level or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSetting {
    Level(Level),
    Off,
}

impl LevelSetting {
    pub fn parse(s: &str) -> Result<LevelSetting, String> {
        match s {
            "error" => Ok(LevelSetting::Level(Level::Error)),
            "warning" => Ok(LevelSetting::Level(Level::Warning)),
            "info" => Ok(LevelSetting::Level(Level::Info)),
            "off" => Ok(LevelSetting::Off),
            other => Err(format!(
                "unknown level `{other}`, expected one of `error`, `warning`, `info`, `off`"
            )),
        }
    }
}

/// Jurisdictions whose privacy or AI law a release can be held to.
pub const JURISDICTIONS: &[(&str, &str)] = &[
    ("gdpr", "EU General Data Protection Regulation"),
    ("uk-gdpr", "UK GDPR and Data Protection Act 2018"),
    ("pipl", "China's Personal Information Protection Law"),
    ("eu-ai-act", "EU Artificial Intelligence Act"),
    ("ccpa", "California Consumer Privacy Act"),
    ("lgpd", "Brazil's Lei Geral de Proteção de Dados"),
    ("pipeda", "Canada's PIPEDA"),
    (
        "appi",
        "Japan's Act on the Protection of Personal Information",
    ),
    ("pdpa", "Singapore's Personal Data Protection Act"),
    ("dpdp", "India's Digital Personal Data Protection Act"),
];

#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    pub status: Status,
    pub paths: PathGlobs,
    pub license: Option<String>,
    pub patented: bool,
    /// Declared in the policy (rather than assumed by default).
    pub declared: bool,
}

#[derive(Debug, Clone)]
pub struct RuleSetting {
    pub level: Option<LevelSetting>,
    pub ignore: PathGlobs,
    pub key_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct ScanSettings {
    pub include: Option<PathGlobs>,
    pub ignore: PathGlobs,
    pub max_bytes: u64,
    pub safe_pickle_globals: Vec<String>,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            include: None,
            ignore: PathGlobs::default(),
            max_bytes: DEFAULT_MAX_BYTES,
            safe_pickle_globals: vec![],
        }
    }
}

/// Settings of one release: the root's, or a model folder's (which inherit the root's).
#[derive(Debug, Clone, Default)]
pub struct ReleaseSettings {
    pub mode: Option<Mode>,
    pub jurisdictions: Vec<String>,
    /// `None` when the policy declares no components: the usual ones are assumed.
    pub components: Option<Vec<Component>>,
}

/// A validated policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// The policy file, when there is one.
    pub file: Option<PathBuf>,
    /// Its text, kept for diagnostics that point into it.
    pub text: Option<Arc<str>>,
    pub exclude: PathGlobs,
    pub packs: Vec<(PathBuf, Range<usize>)>,
    pub release: ReleaseSettings,
    pub rules: BTreeMap<String, RuleSetting>,
    pub scan: ScanSettings,
    /// Model folders (relative, `/`-separated, no trailing slash) with their own settings.
    pub models: BTreeMap<String, ReleaseSettings>,
}

/// One problem with the policy file; the run stops (exit 2).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    pub file: String,
    pub text: Option<Arc<str>>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl Policy {
    /// Finds and loads the policy: `explicit` (from `--policy`) or `<root>/modelgate.toml`.
    /// `Ok(Policy::default())` when there is none.
    pub fn discover(root: &Path, explicit: Option<&Path>) -> Result<Policy, Vec<PolicyError>> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (root.join(POLICY_FILE), false),
        };
        // the repository's own policy is read inside it, never through a link, and only as a
        // regular file (a FIFO would hang, `/dev/zero` fill memory); a file the user names may
        // be anywhere, but is a regular file too
        let read = match explicit {
            Some(p) => crate::fsys::read_named(p, MAX_POLICY),
            None => crate::fsys::read_inside(root, POLICY_FILE, MAX_POLICY),
        };
        match read {
            Ok(bytes) => {
                let display = display_path(root, &path);
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        return Err(vec![PolicyError {
                            file: display,
                            text: None,
                            span: None,
                            message: format!(
                                "the policy file is not valid UTF-8 (invalid byte at offset {})",
                                e.utf8_error().valid_up_to()
                            ),
                            help: Some("save modelgate.toml as UTF-8".into()),
                        }]);
                    }
                };
                Policy::parse(&text, &display, Some(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Policy::default())
            }
            Err(e) => Err(vec![PolicyError {
                file: path.display().to_string(),
                text: None,
                span: None,
                message: format!("cannot read the policy file: {e}"),
                help: None,
            }]),
        }
    }

    /// Parses and validates a policy text. `display` names the file in diagnostics.
    pub fn parse(
        text: &str,
        display: &str,
        file: Option<PathBuf>,
    ) -> Result<Policy, Vec<PolicyError>> {
        let shared: Arc<str> = Arc::from(text);
        let err = |span: Option<Range<usize>>, message: String, help: Option<String>| PolicyError {
            file: display.to_string(),
            text: Some(shared.clone()),
            span,
            message,
            help,
        };
        let raw: RawPolicy = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let message = e.message().to_string();
                let help = serde_help(&message);
                return Err(vec![err(e.span(), message, help)]);
            }
        };
        let mut errors = Vec::new();
        let mut policy = Policy {
            file,
            text: Some(shared.clone()),
            ..Policy::default()
        };

        policy.exclude = globs(&raw.exclude, &mut errors, &err);
        let base = policy
            .file
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for p in &raw.packs {
            policy.packs.push((base.join(p.get_ref()), p.span()));
        }
        if let Some(release) = &raw.release {
            policy.release.mode = release.mode.as_ref().map(|m| *m.get_ref());
            policy.release.jurisdictions = jurisdictions(
                release.jurisdictions.as_deref().unwrap_or(&[]),
                &mut errors,
                &err,
            );
        }
        policy.release.components = components(raw.components.as_ref(), &mut errors, &err);

        for (key, setting) in &raw.rules {
            let s = setting.get_ref();
            let ignore = match PathGlobs::new(&s.ignore) {
                Ok(g) => g,
                Err((_, why)) => {
                    errors.push(err(
                        Some(setting.span()),
                        format!("invalid ignore glob: {why}"),
                        None,
                    ));
                    PathGlobs::default()
                }
            };
            policy.rules.insert(
                key.get_ref().clone(),
                RuleSetting {
                    level: s.level,
                    ignore,
                    key_span: key.span(),
                },
            );
        }

        if let Some(scan) = &raw.scan {
            policy.scan.include = scan.include.as_ref().map(|v| globs(v, &mut errors, &err));
            policy.scan.ignore = globs(&scan.ignore, &mut errors, &err);
            if let Some(m) = &scan.max_bytes {
                if *m.get_ref() == 0 {
                    errors.push(err(
                        Some(m.span()),
                        "`max_bytes` must be greater than 0".into(),
                        Some("leave it out for the default of 100 MiB".into()),
                    ));
                }
                policy.scan.max_bytes = *m.get_ref();
            }
            policy.scan.safe_pickle_globals = scan
                .safe_pickle_globals
                .iter()
                .filter_map(|g| {
                    let v = g.get_ref();
                    if v.contains('.') && !v.starts_with('.') && !v.ends_with('.') {
                        Some(v.clone())
                    } else {
                        errors.push(err(
                            Some(g.span()),
                            format!("`{v}` is not a `module.name` global"),
                            Some(
                                "write the module and the name, for example `mylib.layers.Block`"
                                    .into(),
                            ),
                        ));
                        None
                    }
                })
                .collect();
        }

        for (folder, model) in &raw.models {
            let name = folder.get_ref().trim_matches('/').to_string();
            if name.is_empty() || name.split('/').any(|p| p == ".." || p == ".") {
                errors.push(err(
                    Some(folder.span()),
                    format!(
                        "`{}` is not a folder inside the repository",
                        folder.get_ref()
                    ),
                    Some(
                        "name the model folder relative to the repository root, e.g. `models/chat`"
                            .into(),
                    ),
                ));
                continue;
            }
            let settings = ReleaseSettings {
                mode: model.mode.as_ref().map(|m| *m.get_ref()),
                jurisdictions: model
                    .jurisdictions
                    .as_ref()
                    .map(|j| jurisdictions(j, &mut errors, &err))
                    .unwrap_or_default(),
                components: components(model.components.as_ref(), &mut errors, &err),
            };
            policy.models.insert(name, settings);
        }

        if errors.is_empty() {
            Ok(policy)
        } else {
            Err(errors)
        }
    }

    /// Rule ids named in `[rules]` that no loaded rule has: errors at the key.
    pub fn check_rule_ids(&self, known: &[&str]) -> Vec<PolicyError> {
        let display = self
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_else(|| POLICY_FILE.into());
        self.rules
            .iter()
            .filter(|(id, _)| !known.contains(&id.as_str()))
            .map(|(id, s)| PolicyError {
                file: display.clone(),
                text: self.text.clone(),
                span: Some(s.key_span.clone()),
                message: format!("unknown rule id `{id}`"),
                help: Some(match suggest(id, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? `modelgate rules` lists every rule"),
                    None => "`modelgate rules` lists every rule".into(),
                }),
            })
            .collect()
    }

    /// The settings of the release a folder belongs to: the deepest `[models."…"]` entry that
    /// contains it, with unset values taken from the root.
    pub fn settings_for(&self, folder: &str) -> ReleaseSettings {
        let mut s = self.release.clone();
        if let Some(m) = self.models.get(folder) {
            if m.mode.is_some() {
                s.mode = m.mode;
            }
            if !m.jurisdictions.is_empty() {
                s.jurisdictions = m.jurisdictions.clone();
            }
            if m.components.is_some() {
                s.components = m.components.clone();
            }
        }
        s
    }
}

fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.display().to_string())
}

fn serde_help(message: &str) -> Option<String> {
    if message.starts_with("unknown variant") {
        let got = message.split('`').nth(1).unwrap_or("");
        let options: Vec<&str> = message
            .split("expected")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        return Some(match suggest(got, options.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "use one of {}",
                options
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    if message.starts_with("unknown field") {
        let got = message.split('`').nth(1).unwrap_or("");
        let options: Vec<&str> = message
            .split("expected")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        return Some(match suggest(got, options.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? the policy keys are listed in README.md"),
            None => "remove the key; the policy keys are listed in README.md".into(),
        });
    }
    None
}

type ErrFn<'a> = dyn Fn(Option<Range<usize>>, String, Option<String>) -> PolicyError + 'a;

fn globs(patterns: &[Spanned<String>], errors: &mut Vec<PolicyError>, err: &ErrFn) -> PathGlobs {
    let plain: Vec<&str> = patterns.iter().map(|p| p.get_ref().as_str()).collect();
    match PathGlobs::new(&plain) {
        Ok(g) => g,
        Err((i, why)) => {
            errors.push(err(
                patterns.get(i).map(|p| p.span()),
                format!("invalid glob: {why}"),
                Some("globs use `*` within a folder and `**` across folders".into()),
            ));
            PathGlobs::default()
        }
    }
}

fn jurisdictions(
    values: &[Spanned<String>],
    errors: &mut Vec<PolicyError>,
    err: &ErrFn,
) -> Vec<String> {
    let known: Vec<&str> = JURISDICTIONS.iter().map(|(k, _)| *k).collect();
    let mut out = Vec::new();
    for v in values {
        let j = v.get_ref().to_ascii_lowercase();
        if known.contains(&j.as_str()) {
            if !out.contains(&j) {
                out.push(j);
            }
        } else {
            errors.push(err(
                Some(v.span()),
                format!("unknown jurisdiction `{}`", v.get_ref()),
                Some(match suggest(&j, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known jurisdictions: {}", known.join(", ")),
                }),
            ));
        }
    }
    out
}

/// The usual components and their default globs, used when a component of that name gives no
/// `paths`.
const DEFAULT_COMPONENTS: &[(&str, &[&str])] = &[
    ("weights", crate::repo::roles::WEIGHT_GLOBS),
    (
        "code",
        &[
            "*.py", "*.ipynb", "*.rs", "*.c", "*.cc", "*.cpp", "*.cu", "*.h", "*.hpp", "*.go",
            "*.java", "*.js", "*.ts", "*.jl", "*.sh", "*.swift", "*.kt",
        ],
    ),
    (
        "training-code",
        &[
            "train*.py",
            "train*.sh",
            "training/**",
            "train/**",
            "pretrain*.py",
            "finetune*.py",
            "fine_tune*.py",
            "sft*.py",
        ],
    ),
    (
        "training-data",
        &[
            "data/**",
            "dataset/**",
            "datasets/**",
            "training_data/**",
            "train_data/**",
        ],
    ),
];

/// The names of the usual components, in order.
pub fn default_component_names() -> impl Iterator<Item = &'static str> {
    DEFAULT_COMPONENTS.iter().map(|(n, _)| *n)
}

/// [`default_component_paths`], compiled once per run.
pub fn default_component_globs(name: &str) -> Option<PathGlobs> {
    use std::sync::LazyLock;
    static COMPILED: LazyLock<Vec<PathGlobs>> = LazyLock::new(|| {
        DEFAULT_COMPONENTS
            .iter()
            .map(|(_, paths)| PathGlobs::new(paths).unwrap_or_default())
            .collect()
    });
    let i = DEFAULT_COMPONENTS.iter().position(|(n, _)| *n == name)?;
    Some(COMPILED[i].clone())
}

/// The usual components' default globs, used when a component of that name gives no `paths`.
pub fn default_component_paths(name: &str) -> Option<&'static [&'static str]> {
    DEFAULT_COMPONENTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, paths)| *paths)
}

fn components(
    raw: Option<&Spanned<BTreeMap<Spanned<String>, Spanned<RawComponent>>>>,
    errors: &mut Vec<PolicyError>,
    err: &ErrFn,
) -> Option<Vec<Component>> {
    let raw = raw?;
    let mut out = Vec::new();
    for (name, comp) in raw.get_ref() {
        let c = comp.get_ref();
        let paths = match &c.paths {
            Some(p) if !p.is_empty() => globs(p, errors, err),
            _ => match default_component_globs(name.get_ref()) {
                Some(d) => d,
                None => {
                    errors.push(err(
                        Some(name.span()),
                        format!("component `{}` has no `paths`", name.get_ref()),
                        Some("add `paths = [\"glob\", ...]` naming the files that make up this component".into()),
                    ));
                    PathGlobs::default()
                }
            },
        };
        if let Some(l) = &c.license {
            if let Err(why) = crate::licenses::validate_expression(l.get_ref()) {
                errors.push(err(
                    Some(l.span()),
                    why,
                    Some(
                        "write an SPDX expression such as `Apache-2.0` or `LicenseRef-acme-model`"
                            .into(),
                    ),
                ));
            }
        }
        out.push(Component {
            name: name.get_ref().clone(),
            status: *c.status.get_ref(),
            paths,
            license: c.license.as_ref().map(|l| l.get_ref().clone()),
            patented: c.patented,
            declared: true,
        });
    }
    Some(out)
}

/// A jurisdiction the policy can name.
pub struct JurisdictionId;

impl schemars::JsonSchema for JurisdictionId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Jurisdiction".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let list: Vec<&str> = JURISDICTIONS.iter().map(|(k, _)| *k).collect();
        schemars::json_schema!({"type": "string", "enum": list, "description": "A jurisdiction whose privacy or AI law applies"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<PolicyError> {
        Policy::parse(text, "modelgate.toml", None).unwrap_err()
    }

    #[test]
    fn misspelt_mode_points_at_value() {
        let e = errors("[release]\nmode = \"opne\"\n");
        assert_eq!(e[0].span, Some(17..23));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `open`?"));
    }

    #[test]
    fn unknown_key_points_at_key() {
        let e = errors("[release]\nmodee = \"open\"\n");
        assert_eq!(e[0].span, Some(10..15));
        assert!(e[0].message.contains("unknown field `modee`"));
    }

    #[test]
    fn rule_settings_both_forms() {
        let p = Policy::parse(
            "[rules]\n\"card/limitations\" = \"warning\"\n\"privacy/personal-data\" = { level = \"off\", ignore = [\"tests/**\"] }\n",
            "modelgate.toml",
            None,
        )
        .unwrap();
        assert_eq!(
            p.rules["card/limitations"].level,
            Some(LevelSetting::Level(Level::Warning))
        );
        assert!(p.rules["privacy/personal-data"]
            .ignore
            .is_match("tests/a.jsonl"));
        let e = p.check_rule_ids(&["card/limitations"]);
        assert_eq!(e.len(), 1);
        assert!(e[0].message.contains("privacy/personal-data"));
    }

    #[test]
    fn bad_level_and_jurisdiction() {
        let e = errors("[rules]\n\"a/b\" = \"eror\"\n");
        assert!(
            e[0].message.contains("unknown level `eror`"),
            "{}",
            e[0].message
        );
        let e = errors("[release]\njurisdictions = [\"gdrp\"]\n");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `gdpr`?"));
    }
}
