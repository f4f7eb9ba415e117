//! `check --history`: files and contents that past commits published, as facts.

use crate::facts::{Facts, Witness};
use crate::glob::PathGlobs;
use crate::repo::git::History;
use crate::repo::roles;

/// The fact for files of a closed component that a past commit holds.
pub const CLOSED: &str = "history.closed";

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
                .var("commit", commit.clone());
            facts.units[ui]
                .facts
                .entry(CLOSED.to_string())
                .or_default()
                .push(w);
        }
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
        .var("commit", h.commit.clone());
        facts.units[ui].facts.entry(h.hit.fact).or_default().push(w);
    }
}

/// Facts this module makes from the history walk.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("history.secret", "a secret (token, key, password in a URL) in a file of a past commit, masked (`check --history`; vars: detail, commit)"),
    ("history.closed", "a file of a closed component that a past commit holds and the current tree does not (`check --history`)"),
];
