//! The run pipeline, once for every command: the policy and the file set → documents and
//! facts (computed once per model unit) → rule evaluation → findings → a phase over the
//! findings only (changed files, suppressions, baseline) → the [`Report`] that reporters read.
//! `check`, `classify`, `test-rules` and `init` all go through it.

pub mod examples;
pub mod suppress;

use crate::baseline::Baseline;
use crate::config::{Mode, Policy, PolicyError, POLICY_FILE};
use crate::facts::{self, Facts, ModeChoice, Witness};
use crate::finding::{Finding, Summary};
use crate::policy::{self, PackError, RuleSet};
use crate::repo::git::{self, BlobScanner, GitRoot as Git};
use crate::repo::FileSet;
use crate::report::{Report, RuleInfo, UnitReport};
use crate::text::LineIndex;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub path: PathBuf,
    pub policy: Option<PathBuf>,
    pub mode: Option<Mode>,
    /// Lint the git index instead of the work tree.
    pub staged: bool,
    /// Report only findings in files changed since the merge base with this revision.
    pub diff_base: Option<String>,
    /// Also report what past commits published.
    pub history: bool,
}

/// Why a run could not be done (exit 2).
#[derive(Debug)]
pub enum RunError {
    Usage(String),
    Policy(Vec<PolicyError>),
    Pack(Vec<PackError>),
}

/// A whole run: the report, and what `--fix` and `--write-baseline` need beside it.
pub struct Run {
    pub report: Report,
    /// Every finding after suppressions, before the baseline (what `--write-baseline` records).
    pub findings: Vec<Finding>,
    pub facts: Facts,
}

/// The inputs of a run: the root, its git work tree, the policy and the file set.
pub struct Input {
    pub root: PathBuf,
    pub git: Option<Git>,
    pub policy: Policy,
    pub files: FileSet,
    /// With `--diff-base`: the files changed since the merge base.
    pub changed: Option<std::collections::HashSet<String>>,
}

/// Loads the policy and the rules it names. Pack problems become findings later.
pub fn load_policy(
    root: &Path,
    explicit: Option<&Path>,
) -> Result<(Policy, RuleSet, Vec<PackError>), RunError> {
    let policy = Policy::discover(root, explicit).map_err(RunError::Policy)?;
    let (rules, broken) = load_rules(root, &policy, true)?;
    Ok((policy, rules, broken))
}

/// The built-in rules (with their examples or not: `check` does not need them) and the packs
/// a policy names; packs that do not load are returned beside them (they become findings).
fn load_rules(
    root: &Path,
    policy: &Policy,
    examples: bool,
) -> Result<(RuleSet, Vec<PackError>), RunError> {
    let builtin = if examples {
        RuleSet::builtin()
    } else {
        RuleSet::builtin_without_examples()
    };
    let mut rules = builtin.map_err(RunError::Pack)?;
    let mut broken = Vec::new();
    for (pack, _span) in &policy.packs {
        let shown = pack
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| pack.display().to_string());
        // packs a repository's own policy names stay inside the repository
        let inside = policy
            .file
            .as_ref()
            .and_then(|f| f.canonicalize().ok())
            .zip(root.canonicalize().ok())
            .is_some_and(|(f, r)| f.starts_with(r));
        let confine = inside.then_some(root);
        if let Err(e) = rules.add_pack_within(pack, &shown, confine) {
            broken.extend(e);
        }
    }
    let known = rules.ids();
    let errors = policy.check_rule_ids(&known);
    if !errors.is_empty() {
        return Err(RunError::Policy(errors));
    }
    Ok((rules, broken))
}

/// Opens a run: checks PATH, opens its git work tree, reads the policy (the staged one with
/// `--staged`) and lists the files the release holds (what git would publish, in a work tree).
pub fn open(opts: &CheckOptions) -> Result<Input, RunError> {
    let root = &opts.path;
    if !root.exists() {
        return Err(RunError::Usage(format!(
            "`{}` does not exist",
            root.display()
        )));
    }
    if !root.is_dir() {
        return Err(RunError::Usage(format!(
            "`{}` is not a folder; give the repository's folder",
            root.display()
        )));
    }
    let git_flag = if opts.staged {
        Some("--staged")
    } else if opts.diff_base.is_some() {
        Some("--diff-base")
    } else if opts.history {
        Some("--history")
    } else {
        None
    };
    let git = git::open(root);
    let git = match (git, git_flag) {
        (None, Some(flag)) => {
            return Err(RunError::Usage(format!(
                "`{}` is not inside a git work tree; {flag} needs one (run without it to check the folder as it is)",
                root.display()
            )))
        }
        (g, _) => g,
    };
    let policy = match (&git, opts.staged, &opts.policy) {
        // the commit being made carries its own policy
        (Some(g), true, None) => match g.staged_text(POLICY_FILE) {
            Some(Ok(text)) => Policy::parse(&text, POLICY_FILE, Some(root.join(POLICY_FILE)))
                .map_err(RunError::Policy)?,
            Some(Err(e)) => return Err(RunError::Usage(format!("{POLICY_FILE} (staged): {e}"))),
            None => Policy::default(),
        },
        _ => Policy::discover(root, opts.policy.as_deref()).map_err(RunError::Policy)?,
    };
    let files = match &git {
        Some(g) if opts.staged => g.index_files(&policy.exclude),
        Some(g) => g.worktree_files(root, &policy.exclude),
        None => FileSet::walk(root, &policy.exclude)
            .map_err(|e| format!("cannot read `{}`: {e}", root.display())),
    }
    .map_err(RunError::Usage)?;
    let changed = match (&git, &opts.diff_base) {
        (Some(g), Some(rev)) => Some(g.changed_since(rev, opts.staged).map_err(RunError::Usage)?),
        _ => None,
    };
    Ok(Input {
        root: root.clone(),
        git,
        policy,
        files,
        changed,
    })
}

/// The facts of a repository, as `classify` needs them (no rules).
pub fn facts_only(opts: &CheckOptions) -> Result<Facts, RunError> {
    let input = open(opts)?;
    Ok(facts::build(
        input.files,
        &input.policy,
        &ModeChoice { flag: opts.mode },
    ))
}

/// A whole `check`: every stage, then the phase over findings, then the report.
pub fn check(opts: &CheckOptions, baseline: Option<&Baseline>) -> Result<Run, RunError> {
    let Input {
        root,
        git,
        policy,
        files,
        changed,
    } = open(opts)?;
    // the rules are read while the files are (neither needs the other)
    let (loaded, facts) = rayon::join(
        || load_rules(&root, &policy, false),
        || facts::build(files, &policy, &ModeChoice { flag: opts.mode }),
    );
    let (rules, broken) = loaded?;
    let mut facts = facts;
    add_pack_errors(&mut facts, &broken);
    if let Some(g) = git.as_ref().filter(|_| opts.history) {
        add_history(&mut facts, g, &policy)?;
    }
    let (mut findings, ignored) = policy::evaluate_with_ignored(&rules, &facts, &policy, None);
    let policy_file = shown_policy_file(&root, &policy);
    // the phase over findings: files changed, suppressions, baseline
    crate::run::suppress::apply(
        &mut findings,
        &facts,
        &policy,
        policy_file.as_deref(),
        &rules,
        &ignored,
    );
    if let Some(changed) = changed {
        findings
            .retain(|f| f.commit.is_some() || f.path.as_ref().is_none_or(|p| changed.contains(p)));
    }
    let report = report(&root, policy_file, &facts, &rules, &findings, baseline);
    Ok(Run {
        report,
        findings,
        facts,
    })
}

/// `check --history`: what past commits published, as facts.
fn add_history(facts: &mut Facts, g: &Git, policy: &Policy) -> Result<(), RunError> {
    let scanners = blob_scanners();
    let mut seen: Vec<(String, String)> = Vec::new();
    let history = g
        .history(&scanners, policy.scan.max_bytes, &mut |p, c| {
            seen.push((p.to_string(), c.to_string()))
        })
        .map_err(RunError::Usage)?;
    crate::facts::history::add_facts(facts, &policy.exclude, &seen, history);
    Ok(())
}

/// The policy file as the user named it, or relative to the repository.
fn shown_policy_file(root: &Path, policy: &Policy) -> Option<String> {
    policy.file.as_ref().map(|f| {
        f.strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| f.display().to_string())
    })
}

/// The report of a run: computed once, read by every reporter.
pub fn report(
    root: &Path,
    policy_file: Option<String>,
    facts: &Facts,
    rules: &RuleSet,
    findings: &[Finding],
    baseline: Option<&Baseline>,
) -> Report {
    let (mode, mode_source) = policy::repository_mode(facts);
    let (shown, baselined): (Vec<Finding>, usize) = match baseline {
        Some(b) => {
            let shown: Vec<Finding> = findings
                .iter()
                .filter(|f| !b.contains(f))
                .cloned()
                .collect();
            let hidden = findings.len() - shown.len();
            (shown, hidden)
        }
        None => (findings.to_vec(), 0),
    };
    let mut sources = BTreeMap::new();
    for f in &shown {
        if let (Some(p), Some(r)) = (&f.path, &f.region) {
            if r.bytes.is_some() && f.commit.is_none() && !f.sensitive {
                if let (Some(d), false) = (facts.doc(p), sources.contains_key(p)) {
                    // a snippet shows the lines around a finding: nothing personal or secret
                    // in them is shown in clear
                    let text = match crate::scan::masked_text(&d.text) {
                        Some(m) => std::sync::Arc::from(m),
                        None => d.text.clone(),
                    };
                    sources.insert(p.clone(), text);
                }
            }
        }
    }
    let rule_infos = rules
        .rules
        .iter()
        .map(|r| {
            let rationale = r.def.rationale.trim();
            RuleInfo {
                id: r.id().to_string(),
                family: r.def.family,
                summary: r.def.summary.clone(),
                description: if rationale.is_empty() {
                    r.def.summary.clone()
                } else {
                    rationale.to_string()
                },
                help: r.def.help.clone(),
                guidance: r.guidance(),
                default_level: r
                    .level(mode)
                    .or_else(|| r.def.modes.iter().find_map(|m| r.level(*m))),
                docs_url: r.docs_url(),
            }
        })
        .collect();
    Report {
        root: root.display().to_string(),
        notes: notes(facts, policy_file.as_deref()),
        policy_file,
        mode,
        mode_source,
        units: facts
            .units
            .iter()
            .map(|u| UnitReport {
                folder: u.folder.clone(),
                mode: u.mode,
                mode_source: u.mode_source,
                is_model: u.is_model,
            })
            .collect(),
        summary: Summary::of(&shown),
        findings: shown,
        baselined,
        files: facts.files.entries.len(),
        rules: rule_infos,
        sources,
    }
}

/// The notes for stderr: each inferred mode, with the release it was inferred from.
fn notes(facts: &Facts, policy_file: Option<&str>) -> Vec<String> {
    let mut notes = Vec::new();
    for u in facts
        .units
        .iter()
        .filter(|u| u.is_model && u.mode_source == crate::config::ModeSource::Inferred)
    {
        let rm = if u.folder.is_empty() {
            facts.release
        } else {
            u.release
        };
        let place = if u.folder.is_empty() {
            String::new()
        } else {
            format!(" for `{}`", u.folder)
        };
        let missing = match policy_file {
            Some(f) => format!("no `[release] mode` in {f}"),
            None => format!("no {POLICY_FILE}"),
        };
        let why = crate::facts::openness::mode_evidence(facts, u).join("; ");
        notes.push(format!(
            "modelgate: {missing}; checking{place} in `{}` mode, inferred from the repository ({} release: {why}); set `[release] mode` to choose",
            u.mode,
            with_article(rm.as_str())
        ));
    }
    notes
}

/// The content scanners run on every blob of the history (`check --history`).
pub fn blob_scanners() -> Vec<Box<dyn BlobScanner>> {
    vec![Box::new(HistorySecrets)]
}

/// Secrets in blobs of past commits: a revoked-or-not credential stays readable in the history.
struct HistorySecrets;

impl BlobScanner for HistorySecrets {
    fn scan(&self, path: &str, bytes: &[u8]) -> Vec<git::HistoryHit> {
        crate::scan::scan_bytes(path, bytes)
            .into_iter()
            .filter(|h| h.kind.is_secret())
            .map(|h| git::HistoryHit {
                fact: "history.secret".into(),
                region: Some(h.region),
                detail: format!("{} (`{}`)", h.kind.label(), h.masked),
                sensitive: true,
            })
            .collect()
    }
}

/// Rule packs that did not load become facts, so that a rule reports them.
pub fn add_pack_errors(facts: &mut Facts, broken: &[PackError]) {
    for e in broken {
        let mut w = Witness::default().var("detail", format!("{}: {}", e.file, e.message));
        w.path = Some(e.file.clone());
        if let (Some(text), Some(span)) = (&e.text, &e.span) {
            let mut region = LineIndex::new(text).region(text, span.start, span.end);
            region.bytes = None;
            w.region = Some(region);
        }
        facts.units[0]
            .facts
            .entry("pack.invalid".into())
            .or_default()
            .push(w);
    }
}

/// "a hybrid", "an open".
fn with_article(word: &str) -> String {
    let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {word}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn articles() {
        assert_eq!(super::with_article("open"), "an open");
        assert_eq!(
            super::with_article("open-weights-restricted"),
            "an open-weights-restricted"
        );
        assert_eq!(super::with_article("hybrid"), "a hybrid");
        assert_eq!(super::with_article("closed"), "a closed");
    }
}
