//! `modelgate test-rules`: each rule's examples, run as mini-repositories held in memory.

use crate::config::Policy;
use crate::facts::{self, ModeChoice};
use crate::policy::rule::{Example, Expect, Rule};
use crate::policy::{evaluate, RuleSet};
use crate::repo::FileSet;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct ExampleResult {
    pub rule: String,
    pub example: String,
    /// `None` when the example behaved as it says; otherwise what went wrong.
    pub failure: Option<String>,
}

/// Builds the example's repository and runs the rule alone on it.
pub fn run_example(
    set: &RuleSet,
    rule: &Rule,
    ex: &Example,
) -> Result<Vec<crate::finding::Finding>, String> {
    let mut files = BTreeMap::new();
    for (path, f) in &ex.files {
        let bytes = f.bytes();
        files.insert(path.trim_start_matches("./").to_string(), bytes);
    }
    let policy = match &ex.policy {
        Some(text) => Policy::parse(text, "modelgate.toml", None).map_err(|e| {
            format!(
                "the example's policy is invalid: {}",
                e.iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?,
        None => Policy::default(),
    };
    let flag = if policy.release.mode.is_some() {
        None
    } else {
        Some(ex.mode.unwrap_or_else(|| {
            rule.def
                .modes
                .first()
                .copied()
                .unwrap_or(crate::config::Mode::Open)
        }))
    };
    // packs the example's policy names are read from the example's own files
    let mut broken = Vec::new();
    for (pack, _) in &policy.packs {
        let name = pack.to_string_lossy().replace('\\', "/");
        match files.get(&name) {
            Some(bytes) => {
                if let Err(e) =
                    crate::policy::rule::parse(&name, &String::from_utf8_lossy(bytes), false)
                {
                    broken.extend(e);
                }
            }
            None => broken.push(crate::policy::PackError {
                file: name.clone(),
                text: None,
                span: None,
                message: "cannot read the rule pack: no such file".into(),
                help: None,
            }),
        }
    }
    let set_files = FileSet::memory(files);
    let mut facts = facts::build(set_files, &policy, &ModeChoice { flag });
    crate::run::add_pack_errors(&mut facts, &broken);
    if !ex.history.is_empty() || ex.shallow {
        let past: Vec<(String, String)> = ex
            .history
            .iter()
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect();
        let scanners = crate::run::blob_scanners();
        let mut hits = Vec::new();
        for (path, file) in &ex.history_files {
            let Some(commit) = ex.history.get(path) else {
                return Err(format!(
                    "`history_files` names `{path}`, which `history` does not list"
                ));
            };
            let bytes = file.bytes();
            for s in &scanners {
                hits.extend(s.scan(path, &bytes).into_iter().map(|hit| {
                    crate::repo::git::HistoryFinding {
                        commit: commit.clone(),
                        path: path.clone(),
                        hit,
                    }
                }));
            }
        }
        let history = crate::repo::git::History {
            found: hits,
            shallow: ex.shallow,
            commits: ex
                .history
                .values()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                .max(1),
            ..Default::default()
        };
        crate::facts::history::add_facts(&mut facts, &policy.exclude, &past, history);
    }
    if [crate::run::suppress::UNUSED, crate::run::suppress::INVALID].contains(&rule.id()) {
        // suppressions are judged against the findings of every rule
        let (mut findings, ignored) =
            crate::policy::evaluate_with_ignored(set, &facts, &policy, None);
        let policy_file = policy.file.as_ref().map(|f| f.display().to_string());
        crate::run::suppress::apply(
            &mut findings,
            &facts,
            &policy,
            policy_file.as_deref(),
            set,
            &ignored,
        );
        findings.retain(|f| f.rule == rule.id());
        return Ok(findings);
    }
    Ok(evaluate(set, &facts, &policy, Some(rule.id())))
}

fn check_example(set: &RuleSet, rule: &Rule, ex: &Example) -> Option<String> {
    let findings = match run_example(set, rule, ex) {
        Ok(f) => f,
        Err(e) => return Some(e),
    };
    let describe = |fs: &[crate::finding::Finding]| {
        fs.iter()
            .map(|f| {
                format!(
                    "{}:{}: {}",
                    f.path.as_deref().unwrap_or("<repository>"),
                    f.region.as_ref().map(|r| r.line).unwrap_or(0),
                    f.message
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match ex.expect {
        Expect::Pass if !findings.is_empty() => {
            Some(format!("expected no finding, got: {}", describe(&findings)))
        }
        Expect::Pass => None,
        Expect::Fail if findings.is_empty() => Some("expected a finding, got none".into()),
        Expect::Fail => {
            let matches = findings.iter().any(|f| {
                ex.path
                    .as_ref()
                    .is_none_or(|p| f.path.as_deref().unwrap_or("") == p)
                    && ex
                        .line
                        .is_none_or(|l| f.region.as_ref().map(|r| r.line) == Some(l))
            });
            if matches {
                None
            } else {
                Some(format!(
                    "expected a finding at {}:{}, got: {}",
                    ex.path.as_deref().unwrap_or("*"),
                    ex.line.map(|l| l.to_string()).unwrap_or_else(|| "*".into()),
                    describe(&findings)
                ))
            }
        }
    }
}

/// Runs every example of the given rules (all when `ids` is empty).
pub fn run_all(set: &RuleSet, rules: &[&Rule]) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for rule in rules {
        let has = |e: Expect| rule.def.examples.iter().any(|x| x.get_ref().expect == e);
        for (e, word) in [(Expect::Pass, "passing"), (Expect::Fail, "failing")] {
            if !has(e) {
                out.push(ExampleResult {
                    rule: rule.id().to_string(),
                    example: format!("(a {word} example)"),
                    failure: Some(format!("the rule has no {word} example")),
                });
            }
        }
        for ex in &rule.def.examples {
            let ex = ex.get_ref();
            out.push(ExampleResult {
                rule: rule.id().to_string(),
                example: ex.name.clone(),
                failure: check_example(set, rule, ex),
            });
        }
    }
    out
}
