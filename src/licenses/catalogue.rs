//! Our catalogue of AI model licences outside the SPDX list, recognised by fingerprints:
//! a title near the top of the text and distinctive clauses, written as short phrases
//! (never copies of the texts).

use super::detect::Identified;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A `LicenseRef-` id.
    pub id: String,
    pub name: String,
    /// The Hugging Face Hub's id for the licence, when it has one.
    pub hub: Option<String>,
    /// Titles: one must appear near the top of the text.
    pub title: Vec<String>,
    /// Phrases that must all appear somewhere.
    #[serde(default)]
    pub require: Vec<String>,
    /// Distinctive clauses: at least `min_clauses` must appear.
    #[serde(default)]
    pub clauses: Vec<String>,
    #[serde(default = "one")]
    pub min_clauses: usize,
    /// Phrases that rule the entry out (a related licence).
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub commercial: bool,
    #[serde(default)]
    pub restricted: bool,
    #[serde(default)]
    pub copyleft: bool,
    #[serde(default)]
    pub patents: bool,
    /// What the restriction is, for the docs.
    #[serde(default)]
    pub note: String,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct File {
    license: Vec<Entry>,
}

pub fn entries() -> &'static [Entry] {
    static T: OnceLock<Vec<Entry>> = OnceLock::new();
    T.get_or_init(|| {
        toml::from_str::<File>(include_str!("catalogue.toml"))
            .map(|f| f.license)
            .unwrap_or_default()
    })
}

pub fn entry(id: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.id == id)
}

/// Lower case, letters, digits, `+` and dots inside numbers kept, everything else a single
/// space.
pub fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 1);
    out.push(' ');
    for (i, &c) in chars.iter().enumerate() {
        let keep = c.is_alphanumeric()
            || c == '+'
            || (c == '.'
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()));
        if keep {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// How far into the normalised text a title may start: a copyright line, a preamble or a
/// table of contents may come first.
const TITLE_WITHIN: usize = 2500;

fn has(hay: &str, phrase: &str) -> bool {
    hay.contains(&normalise(phrase))
}

/// A title without the words that name the kind of document ("Llama 3.1 Community License
/// Agreement" → "llama 3.1 community"): the licence titled otherwise is still recognised. At
/// least two words must remain.
fn relaxed_title(title: &str) -> Option<String> {
    let norm = normalise(title);
    let words: Vec<&str> = norm
        .split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "license" | "licence" | "agreement" | "the" | "terms" | "of" | "use"
            )
        })
        .collect();
    (words.len() >= 2).then(|| format!(" {} ", words.join(" ")))
}

/// The catalogue entry whose fingerprint the text carries, with a confidence. Its title (as
/// written, or without the words "License" / "Agreement") near the top, its required phrases
/// and enough of its distinctive clauses; without a title, most of its clauses, and more of
/// them than any other entry has.
pub fn identify(text: &str) -> Option<Identified> {
    let norm = normalise(text);
    let head_end = norm
        .char_indices()
        .nth(TITLE_WITHIN)
        .map(|(i, _)| i)
        .unwrap_or(norm.len());
    let head = &norm[..head_end];
    let mut best: Option<(usize, f32, &Entry)> = None;
    // entries without a title in the text: (hits, ratio, entry)
    let mut untitled: Vec<(usize, f32, &Entry)> = Vec::new();
    for e in entries() {
        if !e.require.iter().all(|p| has(&norm, p)) || e.exclude.iter().any(|p| has(&norm, p)) {
            continue;
        }
        let hits = e.clauses.iter().filter(|c| has(&norm, c)).count();
        let exact = e
            .title
            .iter()
            .filter_map(|t| head.find(&normalise(t)))
            .min();
        let relaxed = || {
            e.title
                .iter()
                .filter_map(|t| relaxed_title(t).and_then(|r| head.find(&r)))
                .min()
        };
        let Some(pos) = exact.or_else(relaxed) else {
            if !e.clauses.is_empty() {
                untitled.push((hits, hits as f32 / e.clauses.len() as f32, e));
            }
            continue;
        };
        if hits < e.min_clauses.min(e.clauses.len()) {
            continue;
        }
        let conf = if e.clauses.is_empty() {
            0.8
        } else {
            0.7 + 0.29 * hits as f32 / e.clauses.len() as f32
        };
        // the title nearest the top wins; then the better-supported entry
        let better = match best {
            None => true,
            Some((p, c, _)) => pos < p || (pos == p && conf > c),
        };
        if better {
            best = Some((pos, conf, e));
        }
    }
    if let Some((_, c, e)) = best {
        return Some(Identified {
            id: e.id.clone(),
            confidence: c,
        });
    }
    // no title: three quarters of an entry's clauses (three at least), and no other entry as
    // well supported
    untitled.sort_by_key(|b| std::cmp::Reverse(b.0));
    match untitled.as_slice() {
        [(hits, ratio, e), rest @ ..]
            if *hits >= 3.max(e.min_clauses)
                && *ratio >= 0.75
                && rest.first().is_none_or(|(h, _, _)| h < hits) =>
        {
            Some(Identified {
                id: e.id.clone(),
                confidence: 0.6 + 0.29 * ratio,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads_and_ids_are_unique() {
        let e = entries();
        assert!(e.len() >= 25, "{}", e.len());
        let mut ids: Vec<&str> = e.iter().map(|x| x.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(n, ids.len());
        assert!(e.iter().all(|x| x.id.starts_with("LicenseRef-")));
    }

    #[test]
    fn normalising_keeps_versions() {
        assert_eq!(normalise("Llama 3.1 COMMUNITY"), " llama 3.1 community ");
        assert_eq!(normalise("Open RAIL++-M."), " open rail++ m ");
    }
}
