//! Licence knowledge: the Hub's licence ids and what each licence allows.

pub mod catalogue;
pub mod clauses;
pub mod detect;
pub mod words;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What modelgate knows about one licence the Hub accepts.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct HubLicense {
    pub id: String,
    pub spdx: Option<String>,
    #[serde(default)]
    pub osi: bool,
    #[serde(default)]
    pub commercial: bool,
    #[serde(default)]
    pub restricted: bool,
    #[serde(default)]
    pub copyleft: bool,
    #[serde(default)]
    pub patents: bool,
    #[serde(default)]
    pub family: bool,
    #[serde(default)]
    pub choose: Vec<String>,
    #[serde(default)]
    pub other: bool,
    #[serde(default)]
    pub unknown: bool,
}

pub fn hub_licenses() -> &'static [HubLicense] {
    static T: OnceLock<Vec<HubLicense>> = OnceLock::new();
    T.get_or_init(|| {
        let map: BTreeMap<String, HubLicense> =
            toml::from_str(include_str!("hub.toml")).unwrap_or_default();
        let mut v: Vec<HubLicense> = map.into_values().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    })
}

/// The Hub licence with exactly this id.
pub fn hub_license(id: &str) -> Option<&'static HubLicense> {
    hub_licenses().iter().find(|l| l.id == id)
}

/// The Hub licence an id most likely means: a case-insensitive match on the Hub id or on
/// the SPDX id (`Apache-2.0` → `apache-2.0`).
pub fn hub_license_loose(id: &str) -> Option<&'static HubLicense> {
    let lower = id.trim().to_ascii_lowercase();
    hub_license(&lower).or_else(|| {
        hub_licenses().iter().find(|l| {
            l.spdx
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&lower))
                || l.spdx.as_deref().is_some_and(|s| {
                    // GPL-3.0-only / GPL-3.0-or-later / GPL-3.0 all mean the Hub's gpl-3.0
                    let base = s.trim_end_matches("-only").to_ascii_lowercase();
                    lower == base
                        || lower == format!("{base}-or-later")
                        || lower == format!("{base}+")
                })
        })
    })
}

pub fn hub_ids() -> impl Iterator<Item = &'static str> {
    hub_licenses().iter().map(|l| l.id.as_str())
}

/// Checks the shape of an SPDX licence expression (ids joined by AND / OR / WITH, with
/// parentheses); `LicenseRef-` ids are accepted.
pub fn validate_expression(expr: &str) -> Result<(), String> {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    if tokens.is_empty() {
        return Err("the licence expression is empty".into());
    }
    let mut depth = 0i32;
    let mut expect_id = true;
    for t in &tokens {
        match *t {
            "(" if expect_id => depth += 1,
            ")" if !expect_id => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("unbalanced `)` in licence expression `{expr}`"));
                }
            }
            "AND" | "OR" | "WITH" if !expect_id => expect_id = true,
            id if expect_id => {
                let id = id.trim_end_matches('+');
                let ok = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':');
                if !ok {
                    return Err(format!("`{id}` is not a licence id"));
                }
                if matches!(id.to_ascii_lowercase().as_str(), "and" | "or" | "with") {
                    return Err(format!(
                        "write `{}` in capitals in licence expressions",
                        id.to_ascii_uppercase()
                    ));
                }
                expect_id = false;
            }
            other => {
                return Err(format!(
                    "unexpected `{other}` in licence expression `{expr}`"
                ))
            }
        }
    }
    if expect_id || depth != 0 {
        return Err(format!("licence expression `{expr}` is incomplete"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads_and_maps() {
        assert!(hub_licenses().len() > 60);
        assert_eq!(
            hub_license("apache-2.0").unwrap().spdx.as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(hub_license_loose("Apache-2.0").unwrap().id, "apache-2.0");
        assert_eq!(hub_license_loose("GPL-3.0-or-later").unwrap().id, "gpl-3.0");
        assert!(hub_license("gpl").unwrap().family);
        assert!(hub_license("llama3.1").unwrap().restricted);
    }

    #[test]
    fn expressions() {
        assert!(validate_expression("MIT").is_ok());
        assert!(validate_expression("(MIT OR Apache-2.0) AND LicenseRef-acme").is_ok());
        assert!(validate_expression("MIT and Apache-2.0").is_err());
        assert!(validate_expression("MIT OR").is_err());
        assert!(validate_expression("").is_err());
    }
}

/// What a licence id allows, for SPDX ids and our `LicenseRef-` ids alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terms {
    pub osi: bool,
    pub restricted: bool,
    pub commercial: bool,
    pub copyleft: bool,
    pub patents: bool,
    pub known: bool,
}

/// Ids that name the same text: `GPL-3.0-only`, `GPL-3.0-or-later` and `GPL-3.0` all have the
/// GPL 3.0 text.
pub fn same_text(a: &str, b: &str) -> bool {
    fn base(s: &str) -> String {
        s.trim()
            .trim_end_matches('+')
            .trim_end_matches("-only")
            .trim_end_matches("-or-later")
            .to_ascii_lowercase()
    }
    base(a) == base(b)
}

/// The canonical id an id written in a card or a policy means: a Hub id mapped to its SPDX
/// or `LicenseRef-` id, an SPDX id in its canonical case, a catalogue id; `None` when unknown.
pub fn canonical(id: &str) -> Option<String> {
    let id = id.trim();
    if let Some(e) = catalogue::entries()
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(id) || e.hub.as_deref() == Some(id))
    {
        return Some(e.id.clone());
    }
    if let Some(h) = hub_license_loose(id) {
        if let Some(s) = &h.spdx {
            return Some(s.clone());
        }
    }
    spdx::imprecise_license_id(id)
        .filter(|(_, n)| *n == id.len())
        .map(|(l, _)| l.name.to_string())
}

/// SPDX licences the Hub does not list, permissive without being OSI-approved.
const PERMISSIVE_OUTSIDE_HUB: &[&str] = &["AML", "0BSD", "CDLA-Permissive-2.0"];

pub fn terms(id: &str) -> Terms {
    if let Some(e) = catalogue::entry(id) {
        return Terms {
            osi: false,
            restricted: e.restricted,
            commercial: e.commercial,
            copyleft: e.copyleft,
            patents: e.patents,
            known: true,
        };
    }
    match hub_licenses()
        .iter()
        .find(|l| l.spdx.as_deref() == Some(id))
        .or_else(|| hub_license_loose(id))
    {
        Some(l) if !l.other && !l.unknown => Terms {
            osi: l.osi,
            restricted: l.restricted,
            commercial: l.commercial,
            copyleft: l.copyleft,
            patents: l.patents,
            known: true,
        },
        _ => match spdx::license_id(id) {
            // SPDX licences outside the Hub's list: what the SPDX list says
            Some(l) => Terms {
                osi: l.is_osi_approved(),
                restricted: false,
                commercial: l.is_osi_approved() || PERMISSIVE_OUTSIDE_HUB.contains(&id),
                copyleft: l.is_copyleft(),
                patents: false,
                known: l.is_osi_approved() || PERMISSIVE_OUTSIDE_HUB.contains(&id),
            },
            None => Terms::default(),
        },
    }
}

/// docs/licenses.md: the licence facts table and the catalogue of model licences.
pub fn docs_page() -> String {
    use std::fmt::Write;
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut s = String::from(
        "<!-- generated by `modelgate docs --write docs`; do not edit -->\n\n# Licences\n\n",
    );
    s.push_str("How modelgate reads licences: the ids cards declare, the texts licence files hold, and what each licence allows. `modelgate classify` and the `license/*` rules use these facts.\n\n");
    s.push_str("## Identifying licence texts\n\n");
    s.push_str("1. **SPDX licences.** A text is scored against the reference texts of the licences below (taken from the spdx crate at run time; the repository holds no licence texts) with askalono's n-gram scoring, then compared word by word with the best reference. Copyright lines, `<placeholders>`, a title or a short pointer before or after the text are allowed; a removed or added clause, a changed licence name, or any added restriction (\"non-commercial\", \"research only\", ...) makes the text *unidentified*, never the original licence. Apache-2.0 is matched with and without its appendix; Creative Commons texts by their legal code.\n");
    let _ = writeln!(
        s,
        "   Reference texts: {}.",
        detect::REFERENCE_IDS
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str("2. **Model licences outside the SPDX list** are recognised by fingerprints: a title near the top of the text and distinctive clauses, written as short phrases (never copies of the texts). The catalogue is below.\n");
    s.push_str("3. Anything else is reported as unidentified (`null`), never guessed.\n\n");
    s.push_str("## Catalogue of model licences\n\n| id | licence | Hub id | commercial use | use restrictions | what restricts |\n|---|---|---|---|---|---|\n");
    for e in catalogue::entries() {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} |",
            e.id,
            e.name.replace('|', "\\|"),
            e.hub
                .as_deref()
                .map(|h| format!("`{h}`"))
                .unwrap_or_else(|| "-".into()),
            yes(e.commercial),
            yes(e.restricted),
            if e.note.is_empty() { "-" } else { &e.note }
        );
    }
    s.push_str("\n## Licence facts of the Hub's ids\n\nWhat each licence id the Hugging Face Hub accepts in `license:` means. *family* ids name several licences: `license/ambiguous-id` asks for one of the precise ids.\n\n| Hub id | SPDX / LicenseRef id | OSI-approved | commercial use | use restrictions | copyleft | patent grant |\n|---|---|---|---|---|---|---|\n");
    for l in hub_licenses() {
        let id = if l.family {
            format!("family: {}", l.choose.join(", "))
        } else if l.other {
            "(names no licence: give `license_name` and `license_link`)".into()
        } else if l.unknown {
            "(unknown)".into()
        } else {
            l.spdx
                .as_deref()
                .map(|s| format!("`{s}`"))
                .unwrap_or_else(|| "-".into())
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            l.id,
            id,
            yes(l.osi),
            yes(l.commercial),
            yes(l.restricted),
            yes(l.copyleft),
            yes(l.patents)
        );
    }
    s
}
