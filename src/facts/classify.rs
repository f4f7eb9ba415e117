//! What kind of release a repository is, from its evidence (CONTRACTS.md, `classify`).

use crate::facts::{Facts, Unit};
pub use crate::model::ReleaseMode;

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
    if crate::facts::openness::readmes(facts, unit)
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
