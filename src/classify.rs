//! What kind of release a repository is, from its evidence (CONTRACTS.md, `classify`).

use crate::config::Mode;
use crate::facts::{Facts, Unit};

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

/// How far the training data is disclosed by the cards and data statements.
pub fn data_disclosure(facts: &Facts, unit: &Unit) -> Disclosure {
    let datasets_listed = unit.cards.iter().any(|c| {
        facts.docs[*c]
            .meta()
            .and_then(|m| m.get("datasets"))
            .is_some_and(|d| !d.is_empty())
    });
    let mut best = Disclosure::None;
    if crate::openness::readmes(facts, unit)
        .iter()
        .any(|d| names_training_data(&d.text))
    {
        return Disclosure::Full;
    }
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
    let ev = crate::openness::evidence(facts, unit);
    crate::openness::release_mode(facts, unit, &ev)
}

pub fn infer_mode(facts: &Facts, unit: &Unit) -> Mode {
    release_mode(facts, unit).lint_mode()
}

/// A sentence that says what the model was trained on and links to the data on a data host.
fn names_training_data(text: &str) -> bool {
    const HOSTS: &[&str] = &[
        "huggingface.co/datasets/",
        "hf.co/datasets/",
        "modelscope.cn/datasets/",
        "kaggle.com/datasets/",
        "zenodo.org/",
    ];
    const TRAINED: &[&str] = &[
        "trained on",
        "train on",
        "training data",
        "pretrained on",
        "pre-trained on",
        "pretraining data",
        "trained with",
        "训练数据",
        "训练于",
    ];
    text.lines().any(|l| {
        let t = l.trim_start();
        if t.starts_with('|') {
            return false;
        }
        let lower = l.to_lowercase();
        HOSTS.iter().any(|h| lower.contains(h)) && TRAINED.iter().any(|w| lower.contains(w))
    })
}
