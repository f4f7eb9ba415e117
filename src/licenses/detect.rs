//! Identifying a licence from its text.
//!
//! Two ways, tried in order:
//! 1. SPDX licences: the spdx crate's text detection (askalono's n-gram scoring) over a small set
//!    of reference texts taken from the crate itself, then a word-by-word comparison with the
//!    reference, so that a modified text (a clause removed or added, a name changed) is never
//!    reported as the original.
//! 2. AI model licences outside the SPDX list: fingerprints from `catalogue.toml` (a title near
//!    the top and distinctive clauses), never copies of the texts.
//!
//! A text that matches nothing well is `None`: never a guess.

use super::catalogue;
use super::words::{core, variants};
pub use super::words::{words, REFERENCE_IDS};
use spdx::detection::TextData;
use std::sync::OnceLock;

// REFERENCE_WORDS: each reference text's words, worked out by the build script with the same
// code (`words.rs`), in the order `references` lists the texts
include!(concat!(env!("OUT_DIR"), "/reference_words.rs"));

/// What a licence text was identified as.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// An SPDX id or a `LicenseRef-` id.
    pub id: String,
    /// 0..1
    pub confidence: f32,
}

/// One reference text (an SPDX licence, or a variant of one).
struct Reference {
    id: &'static str,
    text: &'static str,
    /// Its entry in `REFERENCE_WORDS`.
    index: usize,
    /// The words, split on first use.
    words: OnceLock<RefWords>,
    ngrams: OnceLock<TextData>,
}

struct RefWords {
    /// Words of the text, normalised (see [`words`]).
    words: Vec<&'static str>,
    /// Where each distinct word first is, for a cheap first filter.
    vocab: &'static [u32],
    /// Words naming the licence: replacing one makes another licence.
    names: Vec<String>,
}

impl Reference {
    fn words(&self) -> &RefWords {
        self.words.get_or_init(|| {
            let (_, words, vocab) = REFERENCE_WORDS[self.index];
            RefWords {
                words: words.split(' ').filter(|w| !w.is_empty()).collect(),
                vocab,
                names: name_words(self.id),
            }
        })
    }

    fn ngrams(&self) -> &TextData {
        self.ngrams.get_or_init(|| TextData::new(self.text))
    }
}

fn spdx_text(id: &str) -> Option<&'static str> {
    spdx::license_id(id).map(|l| l.text())
}

fn references() -> &'static [Reference] {
    static R: OnceLock<Vec<Reference>> = OnceLock::new();
    R.get_or_init(|| {
        let mut out = Vec::new();
        for id in REFERENCE_IDS {
            let Some(text) = spdx_text(id) else { continue };
            for text in variants(id, text) {
                let index = out.len();
                debug_assert_eq!(REFERENCE_WORDS[index].0, *id);
                out.push(Reference {
                    id,
                    text,
                    index,
                    words: OnceLock::new(),
                    ngrams: OnceLock::new(),
                });
            }
        }
        out
    })
}

fn name_words(id: &str) -> Vec<String> {
    let mut v = Vec::new();
    let lower = id.to_ascii_lowercase();
    for (key, words) in [
        ("apache", &["apache"][..]),
        ("mit", &["mit"]),
        ("bsd", &["bsd"]),
        ("gpl", &["gnu", "general", "lesser", "affero"]),
        ("mpl", &["mozilla"]),
        ("epl", &["eclipse"]),
        (
            "cc",
            &[
                "creative",
                "commons",
                "attribution",
                "noncommercial",
                "sharealike",
                "noderivatives",
            ],
        ),
        ("bsl", &["boost"]),
        ("odc", &["open", "data", "commons"]),
        ("cdla", &["community", "data"]),
        ("aml", &["apple"]),
    ] {
        if lower.starts_with(key) || lower.contains(&format!("-{key}")) {
            v.extend(words.iter().map(|s| s.to_string()));
        }
    }
    v
}

/// One edit of a word diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    /// A reference word missing from the text.
    Del(usize),
    /// A word of the text that the reference does not have.
    Ins(usize),
}

/// Myers' diff of two word lists, giving up past `max_d` edits.
fn diff<A: PartialEq<B>, B>(a: &[A], b: &[B], max_d: usize) -> Option<Vec<Op>> {
    let n = a.len() as isize;
    let m = b.len() as isize;
    let max = max_d as isize;
    let off = max + 1;
    let width = (2 * max + 3) as usize;
    let mut v = vec![0isize; width];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let i = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
                v[i + 1]
            } else {
                v[i - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                // walk back through the trace
                let mut ops = Vec::new();
                let (mut x, mut y) = (n, m);
                for d in (1..=d).rev() {
                    let vv = &trace[d as usize];
                    let k = x - y;
                    let i = (k + off) as usize;
                    let prev_k = if k == -d || (k != d && vv[i - 1] < vv[i + 1]) {
                        k + 1
                    } else {
                        k - 1
                    };
                    let prev_x = vv[(prev_k + off) as usize];
                    let prev_y = prev_x - prev_k;
                    while x > prev_x && y > prev_y {
                        ops.push(Op::Same);
                        x -= 1;
                        y -= 1;
                    }
                    if x == prev_x {
                        ops.push(Op::Ins(y as usize - 1));
                    } else {
                        ops.push(Op::Del(x as usize - 1));
                    }
                    x = prev_x;
                    y = prev_y;
                }
                while x > 0 && y > 0 {
                    ops.push(Op::Same);
                    x -= 1;
                    y -= 1;
                }
                ops.reverse();
                return Some(ops);
            }
            k += 2;
        }
    }
    None
}

/// Words allowed before or after a licence's text (titles, pointers to other files).
const EXTRA: usize = 60;

/// Words that turn a licence into one with restrictions when added.
const RESTRICTING: &[&str] = &[
    "commercial",
    "noncommercial",
    "research",
    "not",
    "no",
    "prohibited",
    "forbidden",
    "except",
    "only",
    "may",
    "must",
    "shall",
    "restricted",
    "solely",
    "use",
    "using",
    "users",
    "revenue",
    "display",
    "require",
    "requires",
    "required",
    "prohibit",
    "prohibits",
    "limited",
    "limit",
    "cannot",
    "nonprofit",
    "academic",
    "military",
    "harm",
];

/// How closely a text follows a reference, word by word: `Some(similarity)` when the only
/// differences are a title or preamble at the top, a missing title, and a few words elsewhere;
/// `None` when a clause was removed or added, or the licence's name was changed.
fn verify(text: &[String], r: &Reference) -> Option<f32> {
    let text = &text[core(r.id, text)];
    let RefWords { words, names, .. } = r.words();
    let len = words.len();
    let budget = 3 + len / 200;
    // leading words (a title, "This project is licensed under ...") and trailing ones (a
    // pointer to other files) are allowed when they restrict nothing
    let ops = diff(words, text, budget + 2 * EXTRA + 12)?;
    let mut i = 0;
    let mut lead_ins = Vec::new();
    let mut lead_del = 0;
    while i < ops.len() && ops[i] != Op::Same {
        match ops[i] {
            Op::Ins(j) => lead_ins.push(text[j].as_str()),
            Op::Del(j) => {
                // a missing title is fine; a replaced name is not
                if names.iter().any(|n| n == words[j]) && !lead_ins.is_empty() {
                    return None;
                }
                lead_del += 1;
            }
            Op::Same => {}
        }
        i += 1;
    }
    if lead_ins.len() > EXTRA
        || lead_del > budget.max(12)
        || lead_ins.iter().any(|w| RESTRICTING.contains(w))
    {
        return None;
    }
    let mut changed = 0usize;
    while i < ops.len() {
        if ops[i] == Op::Same {
            i += 1;
            continue;
        }
        let start = i;
        while i < ops.len() && ops[i] != Op::Same {
            i += 1;
        }
        let hunk = &ops[start..i];
        let dels: Vec<&str> = hunk
            .iter()
            .filter_map(|o| match o {
                Op::Del(j) => Some(words[*j]),
                _ => None,
            })
            .collect();
        let ins: Vec<&str> = hunk
            .iter()
            .filter_map(|o| match o {
                Op::Ins(j) => Some(text[*j].as_str()),
                _ => None,
            })
            .collect();
        if !ins.is_empty() && dels.iter().any(|d| names.iter().any(|n| n == d)) {
            return None;
        }
        if ins.iter().any(|w| RESTRICTING.contains(w)) && ins.len() > dels.len() {
            return None;
        }
        if i == ops.len() && dels.is_empty() {
            // words after the licence's end: harmless when they restrict nothing
            if ins.len() > EXTRA || ins.iter().any(|w| RESTRICTING.contains(w)) {
                return None;
            }
            continue;
        }
        changed += hunk.len();
    }
    if changed > budget {
        return None;
    }
    Some(1.0 - (changed as f32 / len.max(1) as f32))
}

/// Identifies an SPDX licence text; `None` when no reference text matches closely.
pub fn identify_spdx(text: &str) -> Option<Identified> {
    let w = words(text);
    if w.len() < 20 {
        return None;
    }
    // each near reference is checked word by word and the closest one kept: the diff is
    // bounded by a small edit budget, so this costs less than building n-gram profiles
    let mut best: Option<(&Reference, f32)> = None;
    for r in near_references(&w, 0.8..=1.3, 0.9) {
        if let Some(sim) = verify(&w, r) {
            if best.is_none_or(|(_, b)| sim > b) {
                best = Some((r, sim));
            }
        }
    }
    best.map(|(r, sim)| Identified {
        id: r.id.to_string(),
        confidence: sim.clamp(0.0, 1.0),
    })
}

/// The references worth scoring against a text's words: a length within `ratio` of the
/// reference's, and at least `share` of the reference's vocabulary present.
fn near_references<'a>(
    w: &'a [String],
    ratio: std::ops::RangeInclusive<f32>,
    share: f32,
) -> impl Iterator<Item = &'static Reference> + 'a {
    let vocab: std::collections::HashSet<&str> = w.iter().map(String::as_str).collect();
    references().iter().filter(move |r| {
        let RefWords {
            words, vocab: rv, ..
        } = r.words();
        ratio.contains(&(w.len() as f32 / words.len() as f32))
            && rv
                .iter()
                .filter(|i| vocab.contains(words[**i as usize]))
                .count() as f32
                >= share * rv.len() as f32
    })
}

/// The SPDX licence a text resembles without being it (a modified copy): its id and score.
pub fn resembles(text: &str) -> Option<(&'static str, f32)> {
    let w = words(text);
    if w.len() < 20 {
        return None;
    }
    let data = TextData::new(text);
    let mut best: Option<(&'static str, f32)> = None;
    for r in near_references(&w, 0.5..=2.0, 0.6) {
        let ng = r.ngrams();
        let score = ng.match_score(&data);
        if score >= 0.6 && best.is_none_or(|(_, b)| score > b) {
            best = Some((r.id, score));
        }
    }
    best
}

/// Identifies a licence text: SPDX texts first, then the catalogue of model licences.
pub fn identify(text: &str) -> Option<Identified> {
    identify_spdx(text).or_else(|| catalogue::identify(text))
}

/// The reference text of an SPDX licence, for tests and rule examples.
pub fn reference_text(id: &str) -> Option<&'static str> {
    spdx_text(id)
}

/// Whether a licence text tells the reader to look in a NOTICE file (the Apache boilerplate
/// "See the NOTICE file distributed with this work ..."), beyond the licence's own terms.
pub fn asks_for_notice(text: &str) -> bool {
    let lower = text.to_lowercase();
    let flat: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.contains("see the notice file")
        || flat.contains("notice file distributed with this work")
        || flat.contains("attribution notices in the notice file")
        || flat.contains("see notice file")
        || flat.contains("see the notice")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_load() {
        assert!(references().len() >= REFERENCE_IDS.len());
        assert_eq!(references().len(), REFERENCE_WORDS.len());
        // the build script's words are the ones this code makes of the same texts
        for r in references() {
            let want = super::super::words::reference_words(r.id, r.text);
            let RefWords { words, vocab, .. } = r.words();
            assert_eq!(REFERENCE_WORDS[r.index].0, r.id);
            assert_eq!(words, &want, "{}", r.id);
            let mut distinct = want.clone();
            distinct.sort();
            distinct.dedup();
            assert_eq!(vocab.len(), distinct.len(), "{}", r.id);
        }
    }

    #[test]
    fn exact_texts() {
        for id in [
            "MIT",
            "Apache-2.0",
            "BSD-3-Clause",
            "GPL-3.0-only",
            "CC-BY-NC-4.0",
        ] {
            let t = reference_text(id).unwrap();
            assert_eq!(identify_spdx(t).map(|i| i.id), Some(id.to_string()), "{id}");
        }
    }

    /// `MG_LICENSE_FILE=path cargo test debug_file -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn debug_file() {
        let Ok(p) = std::env::var("MG_LICENSE_FILE") else {
            return;
        };
        let text = std::fs::read_to_string(p).unwrap();
        let w = words(&text);
        for r in references() {
            let data = TextData::new(&text);
            let score = TextData::new(r.text).match_score(&data);
            if score > 0.5 {
                let ops = diff(&r.words().words, &w, 400);
                let hunks: Vec<String> = ops
                    .map(|ops| {
                        ops.iter()
                            .filter_map(|o| match o {
                                Op::Del(j) => Some(format!("-{}", r.words().words[*j])),
                                Op::Ins(j) => Some(format!("+{}", w[*j])),
                                Op::Same => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                println!("{} {score} {:?} {:?}", r.id, verify(&w, r), hunks);
            }
        }
    }

    #[test]
    fn diff_counts() {
        let a: Vec<String> = "a b c d".split(' ').map(String::from).collect();
        let b: Vec<String> = "a x c d e".split(' ').map(String::from).collect();
        let ops = diff(&a, &b, 10).unwrap();
        assert_eq!(ops.iter().filter(|o| **o != Op::Same).count(), 3);
    }
}
