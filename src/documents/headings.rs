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
    /// (group, normalised alias)
    aliases: Vec<(&'static str, String)>,
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
                aliases.push((name, normalize(a)));
            }
        }
        Table { groups, aliases }
    })
}

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

/// The groups a heading belongs to: those with the longest alias it contains.
pub fn groups_of(heading: &str) -> Vec<&'static str> {
    let h = normalize(heading);
    let mut best = 0;
    let mut out: Vec<&'static str> = Vec::new();
    for (group, alias) in &table().aliases {
        let n = match_len(&h, alias);
        if n == 0 {
            continue;
        }
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
    let h = normalize(heading);
    aliases.iter().any(|a| match_len(&h, &normalize(a)) > 0)
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
        assert_eq!(groups_of("训练数据"), vec!["training-data"]);
        assert_eq!(groups_of("超出范围的使用"), vec!["out-of-scope-use"]);
        assert_eq!(groups_of("How to Use"), vec!["getting-started"]);
        assert_eq!(groups_of("Known causes"), Vec::<&str>::new());
        assert!(groups_of("Personal and Sensitive Information").contains(&"privacy"));
    }
}
