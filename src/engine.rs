//! One `check` run: policy → rules → file set → facts → findings.

use crate::config::{Mode, Policy, PolicyError, POLICY_FILE};
use crate::facts::{self, Facts, ModeChoice, Witness};
use crate::finding::Finding;
use crate::policy::{self, PackError, RuleSet};
use crate::repo::git::{self, BlobScanner};
use crate::repo::FileSet;
use crate::text::LineIndex;
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

pub struct Outcome {
    /// PATH as the user gave it.
    pub root: String,
    /// The policy file, relative to the root when inside it.
    pub policy_file: Option<String>,
    pub policy: Policy,
    pub facts: Facts,
    pub rules: RuleSet,
    pub findings: Vec<Finding>,
    /// One-line notes for stderr (the inferred mode).
    pub notes: Vec<String>,
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
        if let Err(e) = rules.add_pack(pack, &shown) {
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

pub fn check(opts: &CheckOptions) -> Result<Outcome, RunError> {
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
    // the rules are read while the files are (neither needs the other)
    let (loaded, facts) = rayon::join(
        || load_rules(root, &policy, false),
        || facts::build(files, &policy, &ModeChoice { flag: opts.mode }),
    );
    let (rules, broken) = loaded?;
    let mut history_error = None;
    let mut out = finish(root, policy, rules, broken, facts, &mut |facts, policy| {
        let Some(g) = git.as_ref().filter(|_| opts.history) else {
            return;
        };
        let scanners = blob_scanners();
        let mut seen: Vec<(String, String)> = Vec::new();
        match g.history(&scanners, policy.scan.max_bytes, &mut |p, c| {
            seen.push((p.to_string(), c.to_string()))
        }) {
            Ok(hits) => crate::history::add_facts(facts, &policy.exclude, &seen, hits),
            Err(e) => history_error = Some(e),
        }
    });
    if let Some(e) = history_error {
        return Err(RunError::Usage(e));
    }
    if let Some(changed) = changed {
        out.findings
            .retain(|f| f.commit.is_some() || f.path.as_ref().is_none_or(|p| changed.contains(p)));
    }
    Ok(out)
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

/// Findings and notes for facts already built; `extra` adds facts (history) before the rules
/// run.
fn finish(
    root: &Path,
    policy: Policy,
    rules: RuleSet,
    broken: Vec<PackError>,
    mut facts: Facts,
    extra: &mut dyn FnMut(&mut Facts, &Policy),
) -> Outcome {
    add_pack_errors(&mut facts, &broken);
    extra(&mut facts, &policy);
    let (findings, ignored) = policy::evaluate_with_ignored(&rules, &facts, &policy, None);
    let policy_file = policy.file.as_ref().map(|f| {
        f.strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| f.display().to_string())
    });
    let mut notes = Vec::new();
    for u in facts
        .units
        .iter()
        .filter(|u| u.is_model && u.mode_source == crate::config::ModeSource::Inferred)
    {
        let rm = crate::classify::release_mode(&facts, u);
        let place = if u.folder.is_empty() {
            String::new()
        } else {
            format!(" for `{}`", u.folder)
        };
        // the policy file as the user named it, or relative to the repository
        let missing = match &policy_file {
            Some(f) => format!("no `[release] mode` in {f}"),
            None => format!("no {POLICY_FILE}"),
        };
        notes.push(format!(
            "modelgate: {missing}; checking{place} in `{}` mode, inferred from the repository ({} release); set `[release] mode` to choose",
            u.mode,
            with_article(rm.as_str())
        ));
    }
    let mut out = Outcome {
        root: root.display().to_string(),
        policy_file,
        policy,
        facts,
        rules,
        findings,
        notes,
    };
    crate::suppress::apply(&mut out, &ignored);
    out
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
