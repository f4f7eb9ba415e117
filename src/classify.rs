//! What kind of release a repository is, from its evidence (CONTRACTS.md, `classify`).

use crate::config::Mode;
use crate::facts::{licence_scope, Facts, Unit};
use crate::licenses::{self, detect, Terms};
use crate::repo::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseMode {
    Open,
    OpenWeightsRestricted,
    Hybrid,
    Closed,
}

impl ReleaseMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseMode::Open => "open",
            ReleaseMode::OpenWeightsRestricted => "open-weights-restricted",
            ReleaseMode::Hybrid => "hybrid",
            ReleaseMode::Closed => "closed",
        }
    }

    /// The lint mode an inferred release mode maps to.
    pub fn lint_mode(self) -> Mode {
        match self {
            ReleaseMode::Open => Mode::Open,
            ReleaseMode::Closed => Mode::Closed,
            ReleaseMode::Hybrid | ReleaseMode::OpenWeightsRestricted => Mode::Hybrid,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    Full,
    Summary,
    None,
}

/// The terms of the licences that cover a component: the weakest decides.
fn combine(all: &[Terms]) -> Option<Terms> {
    if all.is_empty() {
        return None;
    }
    Some(Terms {
        osi: all.iter().all(|t| t.osi),
        restricted: all.iter().any(|t| t.restricted),
        commercial: all.iter().all(|t| t.commercial),
        known: all.iter().all(|t| t.known),
    })
}

fn file_terms(facts: &Facts, unit: &Unit, want: &str) -> Vec<Terms> {
    let mut out = Vec::new();
    for &li in &unit.license_docs {
        let d = &facts.docs[li];
        let scope = licence_scope(&d.path, unit);
        let name = crate::repo::roles::file_name(&d.path).to_ascii_uppercase();
        if name.starts_with("NOTICE") || name.starts_with("USE_POLICY") {
            continue;
        }
        let applies = if want == "repository" {
            scope.is_empty()
        } else {
            scope.iter().any(|s| s == want)
        };
        if applies {
            if let Some(id) = detect::identify(&d.text) {
                out.push(licenses::terms(&id.id));
            } else {
                out.push(Terms::default());
            }
        }
    }
    out
}

fn declared_terms(facts: &Facts, unit: &Unit) -> Vec<Terms> {
    let mut out = Vec::new();
    for &c in &unit.cards {
        if let Some(l) = facts.docs[c].meta().and_then(|m| m.get("license")) {
            for (id, _) in l.texts() {
                out.push(licenses::terms(&id));
            }
        }
    }
    out
}

/// Terms covering the weights: the component's own licence, a weights licence file, the
/// card's declared licence, or the repository's licence.
pub fn weights_terms(facts: &Facts, unit: &Unit) -> Option<Terms> {
    if let Some(l) = unit
        .components
        .iter()
        .find(|c| c.name == "weights")
        .and_then(|c| c.license.as_ref())
    {
        return Some(licenses::terms(l));
    }
    combine(&file_terms(facts, unit, "weights"))
        .or_else(|| combine(&declared_terms(facts, unit)))
        .or_else(|| combine(&file_terms(facts, unit, "repository")))
}

pub fn code_terms(facts: &Facts, unit: &Unit) -> Option<Terms> {
    combine(&file_terms(facts, unit, "code"))
        .or_else(|| combine(&file_terms(facts, unit, "repository")))
}

/// How far the training data is disclosed by the cards and data statements.
pub fn data_disclosure(facts: &Facts, unit: &Unit) -> Disclosure {
    let datasets_listed = unit.cards.iter().any(|c| {
        facts.docs[*c]
            .meta()
            .and_then(|m| m.get("datasets"))
            .is_some_and(|d| !d.is_empty())
    });
    let mut best = Disclosure::None;
    for &d in unit.cards.iter().chain(unit.data_docs.iter()) {
        let doc = &facts.docs[d];
        for s in doc.sections_in("training-data") {
            let body = &doc.text[s.range.clone()];
            if (body.contains("http") || datasets_listed) && s.words >= 5 {
                return Disclosure::Full;
            }
            if s.words >= 20 {
                best = Disclosure::Summary;
            }
        }
    }
    best
}

pub fn release_mode(facts: &Facts, unit: &Unit) -> ReleaseMode {
    let weights_published = !unit.fact("weights.published").is_empty();
    let weights = weights_terms(facts, unit);
    if weights_published {
        if let Some(t) = weights {
            if t.restricted {
                return ReleaseMode::OpenWeightsRestricted;
            }
        }
        let code_ok = code_terms(facts, unit).is_none_or(|t| t.osi);
        let weights_ok = weights.is_some_and(|t| t.osi);
        if weights_ok && code_ok && data_disclosure(facts, unit) == Disclosure::Full {
            ReleaseMode::Open
        } else {
            ReleaseMode::Hybrid
        }
    } else {
        let has_code = unit
            .files
            .iter()
            .any(|i| facts.files.entries[*i].role == Role::Code);
        let code_open =
            code_terms(facts, unit).is_some_and(|t| t.osi || (t.known && !t.restricted));
        if has_code && code_open {
            ReleaseMode::Hybrid
        } else {
            ReleaseMode::Closed
        }
    }
}

pub fn infer_mode(facts: &Facts, unit: &Unit) -> Mode {
    release_mode(facts, unit).lint_mode()
}
