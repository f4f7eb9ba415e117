//! `check --history`: files and contents that past commits published, as facts.

use crate::facts::{Facts, Witness};
use crate::glob::PathGlobs;
use crate::repo::git::History;
use crate::repo::roles;

/// The fact for files of a closed component that a past commit holds.
pub const CLOSED: &str = "history.closed";

/// The fact for a history walk that could not see everything.
pub const INCOMPLETE: &str = "history.incomplete";

/// Adds history facts: `files` are (path, commit) pairs of every path ever committed (the first
/// commit that holds it); only those no longer in the tree count, the current check covers the
/// others, and a path whose content was moved to one still published is not a leak. `hits`
/// come from the blob scanners.
pub fn add_facts(
    facts: &mut Facts,
    exclude: &PathGlobs,
    files: &[(String, String)],
    history: History,
) {
    for (path, commit) in files {
        if facts.files.get(path).is_some()
            || history.moved.contains(path)
            || crate::repo::git::excluded(exclude, path)
        {
            continue;
        }
        let role = roles::role_of(path, |_| false);
        if role.is_document() {
            continue;
        }
        let ui = facts.unit_of(path);
        let unit = &facts.units[ui];
        // an open release withholds nothing by default: only what its policy declares closed
        let open = unit.mode == crate::model::Mode::Open;
        let closed: Vec<String> = unit
            .components
            .iter()
            .filter(|c| {
                c.status == crate::config::Status::Closed
                    && (c.declared || !open)
                    && (c.globs.is_match(path) || c.globs.is_match(unit.relative(path)))
            })
            .map(|c| c.name.clone())
            .collect();
        for name in closed {
            let w = Witness::file(path)
                .var("component", name)
                .in_commit(commit.clone());
            facts.units[ui]
                .facts
                .entry(CLOSED.to_string())
                .or_default()
                .push(w);
        }
    }
    // what the walk could not see: a shallow clone's older commits, objects it could not read
    let mut missing = Vec::new();
    if history.shallow {
        missing.push(format!(
            "the clone is shallow: only {} commit{} could be read, the commits before them were not",
            history.commits,
            if history.commits == 1 { "" } else { "s" }
        ));
    }
    if !history.unreadable.is_empty() {
        let shown: Vec<String> = history
            .unreadable
            .iter()
            .take(3)
            .map(|(oid, path)| format!("`{path}` ({})", &oid[..oid.len().min(12)]))
            .collect();
        missing.push(format!(
            "{} object{} could not be read: {}{}",
            history.unreadable.len(),
            if history.unreadable.len() == 1 {
                ""
            } else {
                "s"
            },
            shown.join(", "),
            if history.unreadable.len() > 3 {
                ", ..."
            } else {
                ""
            }
        ));
    }
    if !missing.is_empty() {
        facts.units[0]
            .facts
            .entry(INCOMPLETE.to_string())
            .or_default()
            .push(Witness::default().var("detail", missing.join("; ")));
    }
    for h in history.found {
        let ui = facts.unit_of(&h.path);
        let w = Witness {
            path: Some(h.path.clone()),
            region: h.hit.region.clone(),
            sensitive: h.hit.sensitive,
            ..Witness::default()
        }
        .var("detail", h.hit.detail.clone())
        .in_commit(h.commit.clone());
        facts.units[ui].facts.entry(h.hit.fact).or_default().push(w);
    }
}

/// Facts this module makes from the history walk.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("history.incomplete", "`check --history` could not see the whole history: a shallow clone, or objects it could not read (vars: detail)"),
    ("history.secret", "a secret (token, key, password in a URL) in a file of a past commit, masked (`check --history`; vars: detail, commit)"),
    ("history.closed", "a file of a closed component that a past commit holds and the current tree does not (`check --history`)"),
];
