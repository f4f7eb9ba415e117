//! Rules as data: loading packs, validating them, evaluating them over facts.

pub mod check;
pub mod rule;

use crate::config::{LevelSetting, Mode, ModeSource, Policy};
use crate::facts::{Facts, Witness};
use crate::finding::{Finding, Level};
use check::Ctx;
pub use rule::{PackError, Rule, RuleScope};
use std::collections::BTreeSet;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// The rules of a run: built-in packs and the user's own.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

/// A built-in rule file up to its first `[[examples]]` table: every example comes after the
/// rule's own keys (a test checks that nothing else follows).
fn without_examples(text: &str) -> &str {
    text.find("\n[[examples]]").map_or(text, |i| &text[..=i])
}

impl RuleSet {
    pub fn builtin() -> Result<RuleSet, Vec<PackError>> {
        Self::builtin_with(true)
    }

    /// The built-in rules without their examples, which only `test-rules` and `docs` use: a
    /// third of the rule files' bytes, and of the time it takes to read them.
    pub fn builtin_without_examples() -> Result<RuleSet, Vec<PackError>> {
        Self::builtin_with(false)
    }

    fn builtin_with(examples: bool) -> Result<RuleSet, Vec<PackError>> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        use rayon::prelude::*;
        // reading the rule files is a measurable part of start-up: they are read in parallel
        let parsed: Vec<_> = BUILTIN_RULES
            .par_iter()
            .map(|(file, text)| {
                let text = if examples {
                    text
                } else {
                    without_examples(text)
                };
                check::with_lazy_patterns(|| rule::parse(file, text, true))
            })
            .collect();
        for p in parsed {
            match p {
                Ok(r) => set.rules.extend(r),
                Err(e) => errors.extend(e),
            }
        }
        set.finish(errors)
    }

    /// Adds a user's pack: a TOML file with `[[rule]]` tables, a single rule file, or a folder
    /// of them.
    pub fn add_pack(&mut self, path: &Path, display: &str) -> Result<(), Vec<PackError>> {
        self.add_pack_within(path, display, None)
    }

    /// `add_pack` for a pack the repository names: it must be inside `root` (no link out of
    /// it, no FIFO or device), and a folder pack is walked inside the root only.
    pub fn add_pack_within(
        &mut self,
        path: &Path,
        display: &str,
        root: Option<&Path>,
    ) -> Result<(), Vec<PackError>> {
        let refuse = |message: String| {
            Err(vec![PackError {
                file: display.to_string(),
                text: None,
                span: None,
                message,
                help: Some(
                    "name a rule pack inside the repository in `packs` of modelgate.toml".into(),
                ),
            }])
        };
        if let Some(root) = root {
            let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) else {
                return refuse(format!("cannot read the rule pack `{display}`"));
            };
            if !real.starts_with(&real_root) {
                return refuse(format!(
                    "the rule pack `{display}` is outside the repository; a repository's policy names packs inside it"
                ));
            }
        }
        let mut files = Vec::new();
        if path.is_dir() {
            for e in walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml") {
                    files.push(e.path().to_path_buf());
                }
            }
        } else {
            files.push(path.to_path_buf());
        }
        let mut errors = Vec::new();
        let mut added = Vec::new();
        for f in files {
            let shown = if f == path {
                display.to_string()
            } else {
                f.display().to_string()
            };
            let read = match root {
                // inside the root, a regular file, bounded
                Some(r) => f
                    .canonicalize()
                    .ok()
                    .zip(r.canonicalize().ok())
                    .and_then(|(real, real_root)| {
                        real.strip_prefix(&real_root)
                            .ok()
                            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
                            .map(|rel| (real_root, rel))
                    })
                    .ok_or_else(|| {
                        std::io::Error::new(
                            std::io::ErrorKind::PermissionDenied,
                            "it is outside the repository",
                        )
                    })
                    .and_then(|(real_root, rel)| {
                        crate::fsys::read_inside(&real_root, &rel, 4 << 20)
                    }),
                None => crate::fsys::read_named(&f, 4 << 20),
            }
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            });
            match read {
                Ok(text) => match rule::parse(&shown, &text, false) {
                    Ok(r) => added.extend(r),
                    Err(e) => errors.extend(e),
                },
                Err(e) => errors.push(PackError {
                    file: shown,
                    text: None,
                    span: None,
                    message: format!("cannot read the rule pack: {e}"),
                    help: Some("check the path in `packs` of modelgate.toml".into()),
                }),
            }
        }
        if !errors.is_empty() {
            // a pack that does not load adds nothing; the rules loaded so far stay
            return Err(errors);
        }
        let mut candidate = self.clone();
        candidate.rules.extend(added);
        *self = candidate.finish(vec![])?;
        Ok(())
    }

    fn finish(mut self, mut errors: Vec<PackError>) -> Result<RuleSet, Vec<PackError>> {
        self.rules.sort_by(|a, b| a.id().cmp(b.id()));
        for w in self.rules.windows(2) {
            if w[0].id() == w[1].id() {
                errors.push(PackError {
                    file: w[1].origin.file.clone(),
                    text: Some(w[1].origin.text.clone()),
                    span: Some(w[1].def.id.span()),
                    message: format!(
                        "rule id `{}` is defined twice (also in {})",
                        w[1].id(),
                        w[0].origin.file
                    ),
                    help: Some("rule ids are unique; rename one of them".into()),
                });
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id()).collect()
    }
}

/// Replaces `{name}` with the witness's values.
pub fn render(template: &str, vars: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && j > 0 =>
            {
                let key = &after[..j];
                match vars.iter().find(|(k, _)| k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// The mode repository-wide rules use: the root's, or when the root only holds other models
/// and nobody chose its mode, the most open of theirs.
pub fn repository_mode(facts: &Facts) -> (Mode, ModeSource) {
    let root = &facts.units[0];
    if root.is_model || root.mode_source != ModeSource::Inferred {
        return (root.mode, root.mode_source);
    }
    let models: Vec<&crate::facts::Unit> = facts.units.iter().filter(|u| u.is_model).collect();
    // the policy names the mode of every model folder: the repository's mode is the policy's
    if !models.is_empty() && models.iter().all(|u| u.mode_source != ModeSource::Inferred) {
        let modes: Vec<Mode> = models.iter().map(|u| u.mode).collect();
        let mode = [Mode::Open, Mode::Hybrid, Mode::Closed]
            .into_iter()
            .find(|m| modes.contains(m))
            .unwrap_or(root.mode);
        return (mode, models[0].mode_source);
    }
    // inferred: what classify says the repository is
    (facts.release.lint_mode(), ModeSource::Inferred)
}

/// Runs the rules over the facts. `only` limits the run to one rule (rule examples).
pub fn evaluate(
    rules: &RuleSet,
    facts: &Facts,
    policy: &Policy,
    only: Option<&str>,
) -> Vec<Finding> {
    evaluate_with_ignored(rules, facts, policy, only).0
}

/// Like `evaluate`, and also returns the (rule id, path) of each finding that a policy ignore
/// glob removed, so that a glob that removes nothing can be reported.
pub fn evaluate_with_ignored(
    rules: &RuleSet,
    facts: &Facts,
    policy: &Policy,
    only: Option<&str>,
) -> (Vec<Finding>, Vec<(String, String)>) {
    use rayon::prelude::*;
    let repo_mode = repository_mode(facts).0;
    let pairs: Vec<(usize, &Rule)> = (0..facts.units.len())
        .flat_map(|ui| rules.rules.iter().map(move |r| (ui, r)))
        .filter(|(_, r)| only.is_none_or(|o| o == r.id()))
        .collect();
    // rules are independent: they run in parallel (a rule's first run compiles its patterns)
    let per_rule: Vec<RuleOutcome> = pairs
        .par_iter()
        .map(|&(ui, rule)| evaluate_rule(rule, ui, facts, policy, repo_mode))
        .collect();
    let mut findings = Vec::new();
    let mut ignored = Vec::new();
    for (f, i) in per_rule {
        findings.extend(f);
        ignored.extend(i);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| {
        a.rule == b.rule && a.path == b.path && a.region == b.region && a.message == b.message
    });
    number_fingerprints(&mut findings);
    (findings, ignored)
}

/// A rule's findings on one unit, and the (rule, path) pairs its `ignore` globs hid.
type RuleOutcome = (Vec<Finding>, Vec<(String, String)>);

/// One rule on one release unit: its findings, and those a per-rule `ignore` glob hid.
fn evaluate_rule(
    rule: &Rule,
    ui: usize,
    facts: &Facts,
    policy: &Policy,
    repo_mode: Mode,
) -> RuleOutcome {
    let none = || (Vec::new(), Vec::new());
    let unit = &facts.units[ui];
    let repository = rule.def.scope == RuleScope::Repository;
    if repository && ui != 0 || !repository && !unit.is_model {
        return none();
    }
    let mode = if repository { repo_mode } else { unit.mode };
    if !rule.def.modes.contains(&mode) {
        return none();
    }
    let Some(level) = rule_level(rule, policy, mode) else {
        return none();
    };
    // a rule that holds only in some modes rests on the mode: when the mode is a guess, so is
    // the finding, which is then a warning at most (a `[rules]` level still decides)
    let inferred = if repository {
        facts.units[0].mode_source
    } else {
        unit.mode_source
    } == ModeSource::Inferred;
    let level = if inferred
        && !Mode::ALL.iter().all(|m| rule.def.modes.contains(m))
        && policy.rules.get(rule.id()).and_then(|s| s.level).is_none()
    {
        level.min(Level::Warning)
    } else {
        level
    };
    let cx = Ctx {
        facts,
        unit,
        mode,
        repository,
    };
    if let Some(when) = &rule.def.when {
        if !when.eval(&cx).holds {
            return none();
        }
    }
    let out = rule.def.check.eval(&cx);
    if out.holds {
        return none();
    }
    let at = if out.at.is_empty() {
        vec![cx.unit_anchor()]
    } else {
        out.at
    };
    findings_at(rule, level, policy, facts, unit, mode, at)
}

/// A rule's level in a mode: the policy's `[rules]` setting, else the rule's default; `None`
/// when the rule is off or has no level in that mode.
fn rule_level(rule: &Rule, policy: &Policy, mode: Mode) -> Option<Level> {
    match policy.rules.get(rule.id()).and_then(|s| s.level) {
        Some(LevelSetting::Off) => None,
        Some(LevelSetting::Level(l)) => Some(l),
        None => rule.level(mode),
    }
}

/// The findings of a rule at the places its check failed (or its facts hold).
fn findings_at(
    rule: &Rule,
    level: Level,
    policy: &Policy,
    facts: &Facts,
    unit: &crate::facts::Unit,
    mode: Mode,
    at: Vec<Witness>,
) -> RuleOutcome {
    let setting = policy.rules.get(rule.id());
    let mut findings = Vec::new();
    let mut ignored = Vec::new();
    let mut seen = BTreeSet::new();
    for w in at {
        let key = (
            w.path.clone(),
            w.range.clone().map(|r| (r.start, r.end)),
            w.region.clone(),
            w.get("reason").map(str::to_string),
        );
        if !seen.insert(key) {
            continue;
        }
        // a fact may lower its rule's default level at one place (`level` var)
        let level = match (setting.and_then(|s| s.level), w.level_cap) {
            (None, Some(cap)) => level.min(cap),
            _ => level,
        };
        let f = finding(rule, level, facts, unit, mode, w);
        if let (Some(s), Some(p)) = (setting, f.path.as_deref()) {
            if s.ignore.is_match(p) {
                ignored.push((f.rule.clone(), p.to_string()));
                continue;
            }
        }
        findings.push(f);
    }
    (findings, ignored)
}

/// The findings of a repository-level tool rule (suppressions) at places found after the
/// rules ran: rendered as the rule says, at its level, without evaluating any check again.
pub fn tool_findings(
    rules: &RuleSet,
    facts: &Facts,
    policy: &Policy,
    id: &str,
    at: Vec<Witness>,
) -> Vec<Finding> {
    let Some(rule) = rules.get(id) else {
        return vec![];
    };
    if at.is_empty() {
        return vec![];
    }
    let (mode, _) = repository_mode(facts);
    if !rule.def.modes.contains(&mode) {
        return vec![];
    }
    let Some(level) = rule_level(rule, policy, mode) else {
        return vec![];
    };
    findings_at(rule, level, policy, facts, &facts.units[0], mode, at).0
}

/// Whitespace runs become one space: a re-wrapped or re-indented line keeps its fingerprint.
pub fn normalise_anchor(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Makes fingerprints unique and stable: findings with the same identity (rule, path, anchor
/// text) are numbered in the order they appear, and the number joins the hash. Line numbers
/// play no part, so inserting lines above a finding does not change its fingerprint.
/// Call again after adding findings (it starts from each finding's base identity).
pub fn number_fingerprints(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings.iter_mut() {
        let base = f.fingerprint_base.clone();
        let n = seen.entry(base.clone()).or_insert(0);
        f.fingerprint = fnv(&[&base, &n.to_string()]);
        *n += 1;
    }
}

fn finding(
    rule: &Rule,
    level: Level,
    facts: &Facts,
    unit: &crate::facts::Unit,
    mode: Mode,
    w: Witness,
) -> Finding {
    let mut vars = w.vars.clone();
    vars.push((
        "path".into(),
        w.path.clone().unwrap_or_else(|| {
            if unit.folder.is_empty() {
                ".".into()
            } else {
                unit.folder.clone()
            }
        }),
    ));
    vars.push(("mode".into(), mode.as_str().into()));
    vars.push((
        "folder".into(),
        if unit.folder.is_empty() {
            ".".into()
        } else {
            unit.folder.clone()
        },
    ));
    let mut message = render(&rule.def.message, &vars);
    if let Some(reason) = w.get("reason") {
        if !rule.def.message.contains("{reason}") {
            message = format!("{message}: {reason}");
        }
    }
    let fix = crate::fix::from_witness(&w);
    let mut help = render(&rule.def.help, &vars);
    if fix.is_some() {
        help.push_str(" (`modelgate check --fix` does this)");
    }
    let (region, anchor_text) = match (&w.path, &w.range, &w.region) {
        (Some(p), Some(r), _) => match facts.doc(p) {
            Some(d) if r.end <= d.text.len() => (
                Some(d.lines.region(&d.text, r.start, r.end)),
                d.text[r.clone()].trim().to_string(),
            ),
            _ => (None, String::new()),
        },
        (_, _, Some(reg)) => (Some(reg.clone()), w.anchor.clone().unwrap_or_default()),
        _ => (None, String::new()),
    };
    let anchor_text = normalise_anchor(&anchor_text);
    let fingerprint = fnv(&[
        rule.id(),
        w.path.as_deref().unwrap_or(""),
        &anchor_text,
        w.get("reason").unwrap_or(""),
        w.get("component").unwrap_or(""),
    ]);
    Finding {
        rule: rule.id().to_string(),
        family: rule.def.family,
        level,
        message,
        help,
        path: w.path.clone(),
        region,
        guidance: rule.guidance(),
        commit: w.commit.clone(),
        sensitive: rule.def.sensitive || w.sensitive,
        label: w.get("reason").map(str::to_string),
        fix,
        docs_url: rule.docs_url(),
        fingerprint: fingerprint.clone(),
        fingerprint_base: fingerprint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let vars = vec![("path".to_string(), "a.bin".to_string())];
        assert_eq!(
            render("`{path}` is {missing} {", &vars),
            "`a.bin` is {missing} {"
        );
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{:#?}", e));
        assert!(!set.rules.is_empty());
    }

    #[test]
    fn only_examples_follow_the_first_example() {
        for (file, text) in BUILTIN_RULES {
            let rest = &text[without_examples(text).len()..];
            let table: toml::Table = rest.parse().unwrap_or_else(|e| panic!("{file}: {e}"));
            let keys: Vec<&String> = table.keys().collect();
            assert!(keys.is_empty() || keys == ["examples"], "{file}: {keys:?}");
        }
        let lean = RuleSet::builtin_without_examples().unwrap();
        let full = RuleSet::builtin().unwrap();
        assert_eq!(lean.ids(), full.ids());
        assert!(lean.rules.iter().all(|r| r.def.examples.is_empty()));
    }

    #[test]
    fn builtin_patterns_compile() {
        // `builtin` compiles patterns on first use; read eagerly, every one must compile
        for (file, text) in BUILTIN_RULES {
            if let Err(e) = rule::parse(file, text, true) {
                panic!("{file}: {e:#?}");
            }
        }
    }

    #[test]
    fn a_pattern_too_large_is_reported_when_read() {
        let text = "id = \"x/y\"\nfamily = \"transparency\"\nmodes = [\"open\"]\nlevel = \"error\"\nguidance = [\"G6\"]\nsummary = \"s\"\nmessage = \"m\"\nhelp = \"h\"\nwhen = { document = { kind = \"card\" } }\ncheck = { text = { pattern = \"\\\\w{1000}{1000}\" } }\n";
        let err = rule::parse("pack.toml", text, false).expect_err("too large");
        assert!(
            format!("{err:?}").contains("invalid regular expression"),
            "{err:?}"
        );
    }
}
