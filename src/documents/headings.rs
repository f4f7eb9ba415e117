//! Heading groups: which heading is which section, in English and Chinese.

use crate::text::{is_cjk, normalize};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub title: String,
    pub aliases: Vec<String>,
}

pub struct Table {
    pub groups: BTreeMap<String, Group>,
    /// (group, normalised and stemmed alias, weight: the length of the alias as written, which
    /// decides between groups whatever stemming took off)
    aliases: Vec<(&'static str, String, usize)>,
}

pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let groups: BTreeMap<String, Group> =
            toml::from_str(include_str!("headings.toml")).unwrap_or_default();
        let mut aliases = Vec::new();
        for (name, g) in &groups {
            let name: &'static str = Box::leak(name.clone().into_boxed_str());
            for a in &g.aliases {
                let alias = match a.chars().next() {
                    Some('=') => format!("={}", stems(&normalize(a))),
                    Some('!') => format!("!{}", normalize(a)),
                    _ => stems(&normalize(a)),
                };
                let plain = normalize(a.trim_start_matches(['=', '!']));
                let weight = match_len(&plain, &plain);
                aliases.push((name, alias, weight));
            }
        }
        Table { groups, aliases }
    })
}

/// Card sections in the order a reader expects them.
pub const CARD_ORDER: &[&str] = &[
    "model-details",
    "withheld",
    "intended-use",
    "out-of-scope-use",
    "training-data",
    "training-procedure",
    "evaluation",
    "limitations",
    "privacy",
    "getting-started",
    "license",
    "patents",
    "citation",
    "environmental-impact",
    "contact",
];

pub fn is_group(name: &str) -> bool {
    table().groups.contains_key(name)
}

pub fn title(name: &str) -> String {
    table()
        .groups
        .get(name)
        .map(|g| g.title.clone())
        .unwrap_or_else(|| name.to_string())
}

/// Length of the alias match in a normalised, stemmed heading, or 0. An alias written
/// `=words` matches only a heading that is those words and nothing else ("Models", not "Model
/// download"); one written `!words` matches the words as written, not their stems
/// ("Recommendations", not "Recommended settings"). `plain` is the heading before stemming.
fn alias_len(heading: &str, plain: &str, alias: &str) -> usize {
    if let Some(whole) = alias.strip_prefix('=') {
        return if heading == whole { whole.len() } else { 0 };
    }
    if let Some(exact) = alias.strip_prefix('!') {
        return match_len(plain, exact);
    }
    match_len(heading, alias)
}

/// Length of the alias match in a normalised heading, or 0.
pub fn match_len(heading: &str, alias: &str) -> usize {
    if alias.is_empty() {
        return 0;
    }
    if alias.chars().any(is_cjk) {
        return if heading.contains(alias) {
            alias.chars().count() * 3
        } else {
            0
        };
    }
    let padded = format!(" {heading} ");
    if padded.contains(&format!(" {alias} ")) {
        alias.chars().count()
    } else {
        0
    }
}

/// The stem of one lower-case Latin word: plural, `-ing`, `-ed`, `-ation` and a final `e`
/// dropped, so that "Citing", "Cite" and "Citations" are one word, and "Pretraining" is
/// "train" after its prefix.
fn stem(word: &str) -> &str {
    let mut w = word;
    for prefix in ["pre", "post"] {
        if let Some(rest) = w.strip_prefix(prefix) {
            if rest.len() >= 5 && rest.is_ascii() {
                w = rest;
            }
        }
    }
    if !w.is_ascii() || w.len() <= 3 {
        return w;
    }
    for suffix in ["ations", "ation", "ings", "ing", "ies", "ed", "s"] {
        if let Some(rest) = w.strip_suffix(suffix) {
            if rest.len() >= 3 && !(suffix == "s" && rest.ends_with('s')) {
                w = rest;
                // "getting" -> "get", "running" -> "run"
                let b = w.as_bytes();
                if suffix.starts_with("ing") && b.len() >= 4 && b[b.len() - 1] == b[b.len() - 2] {
                    w = &w[..w.len() - 1];
                }
                break;
            }
        }
    }
    match w.strip_suffix('e') {
        Some(rest) if rest.len() >= 3 => rest,
        _ => w,
    }
}

/// A normalised text with each Latin word replaced by its stem.
pub fn stems(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len());
    for (i, word) in normalized.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(stem(word));
    }
    out
}

/// The groups a heading belongs to: those with the longest alias it contains, and when the
/// heading joins parts ("Dataset and Training", "用途与局限"), each part's too.
pub fn groups_of(heading: &str) -> Vec<&'static str> {
    let mut out = best_groups(heading);
    let parts = split_parts(heading);
    if parts.len() > 1 {
        for part in parts {
            for g in best_groups(part) {
                if !out.contains(&g) {
                    out.push(g);
                }
            }
        }
    }
    out
}

/// The parts of a heading joined by "and", "&", "/", commas or their Chinese forms.
fn split_parts(heading: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let lower = heading.to_ascii_lowercase();
    let mut i = 0;
    while i < heading.len() {
        let rest = &lower[i..];
        let sep = if rest.starts_with(" and ") {
            5
        } else if rest.starts_with(" or ") {
            4
        } else {
            match rest.chars().next() {
                Some(c @ (',' | '&' | '/' | '，' | '、' | '与' | '和' | '及' | ';' | '；')) => {
                    c.len_utf8()
                }
                _ => 0,
            }
        };
        if sep > 0 {
            parts.push(&heading[start..i]);
            start = i + sep;
            i += sep;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    parts.push(&heading[start..]);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// The groups of a label or a table cell: as for a heading, but only when the alias makes up
/// at least half of it ("Training Data", "Cite as"; not "--run_data_pipeline").
pub fn label_groups(label: &str) -> Vec<&'static str> {
    let plain = normalize(label);
    let h = stems(&plain);
    let total = h.chars().filter(|c| !c.is_whitespace()).count();
    let mut best = 0;
    for (_, alias, _) in &table().aliases {
        best = best.max(alias_len(&h, &plain, alias));
    }
    // CJK aliases count three per character in match_len
    let covered = if h.chars().any(is_cjk) {
        best / 3
    } else {
        best
    };
    if total == 0 || covered * 2 < total {
        return Vec::new();
    }
    groups_of(label)
}

/// The groups with the longest alias the text contains.
fn best_groups(heading: &str) -> Vec<&'static str> {
    let plain = normalize(heading);
    let h = stems(&plain);
    let mut best = 0;
    let mut out: Vec<&'static str> = Vec::new();
    for (group, alias, weight) in &table().aliases {
        if alias_len(&h, &plain, alias) == 0 {
            continue;
        }
        let n = *weight;
        if n > best {
            best = n;
            out.clear();
        }
        if n == best && !out.contains(group) {
            out.push(group);
        }
    }
    out
}

/// True when a heading matches one of the given aliases (users' own section lists).
pub fn matches_any(heading: &str, aliases: &[String]) -> bool {
    let h = stems(&normalize(heading));
    aliases
        .iter()
        .any(|a| match_len(&h, &stems(&normalize(a))) > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads() {
        assert!(table().groups.len() > 20);
    }

    #[test]
    fn longest_alias_wins() {
        assert_eq!(groups_of("Out-of-Scope Use"), vec!["out-of-scope-use"]);
        assert_eq!(groups_of("Direct Use"), vec!["intended-use"]);
        assert_eq!(groups_of("Training Data"), vec!["training-data"]);
        assert_eq!(groups_of("Training Details"), vec!["training-procedure"]);
        assert_eq!(
            groups_of("Bias, Risks, and Limitations"),
            vec!["limitations"]
        );
        assert_eq!(groups_of("Evaluation Data"), vec!["evaluation"]);
        assert_eq!(groups_of("Evaluation datasets"), vec!["evaluation"]);
        assert_eq!(groups_of("训练数据"), vec!["training-data"]);
        assert_eq!(groups_of("超出范围的使用"), vec!["out-of-scope-use"]);
        assert_eq!(groups_of("How to Use"), vec!["getting-started"]);
        assert_eq!(groups_of("Known causes"), Vec::<&str>::new());
        assert!(groups_of("Personal and Sensitive Information").contains(&"privacy"));
    }

    #[test]
    fn word_forms_count() {
        assert_eq!(groups_of("Citing This Work"), vec!["citation"]);
        assert_eq!(groups_of("Citations"), vec!["citation"]);
        assert_eq!(groups_of("Pretraining"), vec!["training-procedure"]);
        assert_eq!(groups_of("Pre-training"), vec!["training-procedure"]);
        assert_eq!(groups_of("Getting Started"), vec!["getting-started"]);
        assert_eq!(groups_of("Limits"), vec!["limitations"]);
        assert_eq!(groups_of("Known Limitations"), vec!["limitations"]);
        // "use" is not cut to "us"
        assert_eq!(groups_of("US export rules"), Vec::<&str>::new());
        // whole-heading and unstemmed aliases
        assert_eq!(groups_of("Models"), vec!["model-details"]);
        assert_eq!(groups_of("Model download"), Vec::<&str>::new());
        assert_eq!(groups_of("Usage Recommendations"), vec!["limitations"]);
        assert_eq!(
            groups_of("Recommended Sampling Parameters"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn a_heading_that_names_two_topics_counts_for_both() {
        let g = groups_of("Dataset and Training");
        assert!(
            g.contains(&"training-data") && g.contains(&"training-procedure"),
            "{g:?}"
        );
        let g = groups_of("Intended Uses & Limitations");
        assert!(
            g.contains(&"intended-use") && g.contains(&"limitations"),
            "{g:?}"
        );
        let g = groups_of("训练数据与评估");
        assert!(
            g.contains(&"training-data") && g.contains(&"evaluation"),
            "{g:?}"
        );
        // one topic with a qualifier is still one topic
        assert_eq!(groups_of("Evaluation Data"), vec!["evaluation"]);
        assert_eq!(groups_of("Evaluation datasets"), vec!["evaluation"]);
        assert_eq!(
            groups_of("Bias, Risks, and Limitations"),
            vec!["limitations"]
        );
    }
}
