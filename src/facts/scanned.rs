//! Facts from what the scanners and the model-file inspection found: they return plain
//! reports, and only this stage turns them into facts.

use super::{Facts, Unit, Witness};
use crate::inspect::{pickle, place, Note};
use crate::model::Level;
use crate::scan::{Kind, Place, ScanReport};

/// How a privacy statement says there is no personal data (in lower case): the verbs, then
/// `no personal` / `no pii`, or `does not ...`, or Chinese.
fn denies_personal(text: &str) -> bool {
    const HAS: &[&str] = &[
        "contain", "contains", "include", "includes", "hold", "holds", "has",
    ];
    const CHINESE: &[&str] = &[
        "不包含个人",
        "不包含任何个人",
        "不含个人",
        "不含任何个人",
        "不含有个人",
        "不含有任何个人",
    ];
    let what = ["personal", "pii"];
    HAS.iter()
        .any(|v| what.iter().any(|w| text.contains(&format!("{v} no {w}"))))
        || ["contain", "include", "hold"].iter().any(|v| {
            what.iter().any(|w| {
                text.contains(&format!("does not {v} {w}"))
                    || text.contains(&format!("does not {v} any {w}"))
            })
        })
        || ["no personal data", "no personal information"]
            .iter()
            .any(|p| {
                text.match_indices(p).any(|(i, _)| {
                    !text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            })
        || CHINESE.iter().any(|p| text.contains(p))
}

/// How a privacy statement says personal data is handled (in lower case).
fn says_handled(text: &str) -> bool {
    const WAYS: &[&str] = &[
        "anonymis",
        "anonymiz",
        "pseudonymis",
        "pseudonymiz",
        "de-identif",
        "deidentif",
        "redact",
        "mask",
        "consent",
        "脱敏",
        "匿名",
        "去标识",
        "同意",
        "授权",
    ];
    WAYS.iter().any(|w| text.contains(w))
}

/// The release's privacy statement (a card or data statement section on privacy or personal
/// information) does not deny personal data and says how it is handled. Phrases, not regular
/// expressions: compiling the two expressions this replaced took longer than a whole check of
/// a small repository spends on its rules.
fn declared_and_handled(facts: &Facts, unit: &Unit) -> bool {
    unit.cards.iter().chain(&unit.data_docs).any(|&di| {
        let d = &facts.docs[di];
        d.sections_in("privacy")
            .chain(d.sections_in("personal-information"))
            .any(|s| {
                let text = s.text.to_lowercase();
                !denies_personal(&text) && says_handled(&text)
            })
    })
}

/// Adds the scan report's facts `privacy.personal-data` and `security.secret`, and an
/// `input.problem` (at level info) for each file scanned only in part.
pub fn add_scan_facts(facts: &mut Facts, report: ScanReport) {
    let handled: Vec<bool> = facts
        .units
        .iter()
        .map(|u| declared_and_handled(facts, u))
        .collect();
    for p in report.problems {
        let ui = p.path.as_deref().map(|x| facts.unit_of(x)).unwrap_or(0);
        let w = Witness {
            path: p.path.clone(),
            ..Witness::default()
        }
        .var("detail", p.detail)
        .at_most(Level::Info);
        facts.units[ui]
            .facts
            .entry("input.problem".into())
            .or_default()
            .push(w);
    }
    for file in report.files {
        let ui = facts.unit_of(&file.path);
        for hit in file.hits {
            // cards and statements name contact addresses on purpose
            if hit.kind == Kind::Email && file.place == Place::Document {
                continue;
            }
            let mut w = Witness {
                path: Some(file.path.clone()),
                region: Some(hit.region.clone()),
                sensitive: true,
                ..Witness::default()
            }
            .var("kind", hit.kind.label())
            .var("kind-id", hit.kind.id())
            .var("value", hit.masked.clone())
            .var("place", file.place.describe())
            .anchored(format!("{}:{}", hit.kind.id(), hit.masked));
            let (fact, target) = if hit.kind.is_secret() {
                // secrets are errors in every mode, wherever they are: the repository's rule
                ("security.secret", 0)
            } else {
                // documents and configs: personal data there is worth a look, not a failure;
                // shipped samples whose privacy statement declares and handles it: a warning
                if file.place != Place::Sample || handled[ui] {
                    w = w.at_most(Level::Warning);
                }
                ("privacy.personal-data", ui)
            };
            facts.units[target]
                .facts
                .entry(fact.into())
                .or_default()
                .push(w);
        }
    }
}

/// The witnesses of one file's notes: `(fact, witness)`.
pub fn witnesses(path: &str, notes: &[Note]) -> Vec<(&'static str, Witness)> {
    let mut out = Vec::new();
    for n in notes {
        match n {
            Note::Import { member, import } => {
                let fact = match import.verdict {
                    pickle::Verdict::Dangerous => "weights.pickle-dangerous",
                    _ => "weights.pickle-import",
                };
                let w = Witness::file(path)
                    .var("global", import.global())
                    .var("module", import.module.clone())
                    .var("name", import.name.clone())
                    .var("opcode", import.opcode)
                    .var("offset", import.offset.to_string())
                    .var("member", member.clone().unwrap_or_default())
                    .var("at", place(member, Some(import.offset)));
                out.push((fact, w));
            }
            Note::Malformed {
                member,
                offset,
                detail,
            } => {
                let w = Witness::file(path)
                    .var("detail", detail.clone())
                    .var("offset", offset.map(|o| o.to_string()).unwrap_or_default())
                    .var("member", member.clone().unwrap_or_default())
                    .var("at", place(member, *offset));
                out.push(("weights.malformed", w));
            }
            Note::Declared { license, name } => {
                if license.is_some() || name.is_some() {
                    let w = Witness::file(path)
                        .var("license", license.clone().unwrap_or_default())
                        .var("name", name.clone().unwrap_or_default());
                    out.push(("weights.gguf-license", w));
                }
            }
            // what it is not (a code risk) is applied in `add_model_file_facts`
            Note::DataOnly => {}
        }
    }
    out
}

/// Adds the model-file facts found by [`crate::inspect::inspect_files`] to their release units.
pub fn add_model_file_facts(facts: &mut Facts, inspected: Vec<(String, Vec<Note>)>) {
    for (path, notes) in inspected {
        let u = facts.unit_of(&path);
        // a pickle of plain data cannot run code: not "weights in a format that can run code"
        if notes.contains(&Note::DataOnly) {
            if let Some(ws) = facts.units[u].facts.get_mut("weights.pickle") {
                ws.retain(|w| w.path.as_deref() != Some(path.as_str()));
                if ws.is_empty() {
                    facts.units[u].facts.remove("weights.pickle");
                }
            }
        }
        for (fact, w) in witnesses(&path, &notes) {
            facts.units[u]
                .facts
                .entry(fact.to_string())
                .or_default()
                .push(w);
        }
    }
}

/// Facts this module makes from the scanners' and the model-file inspection's reports.
#[rustfmt::skip]
pub const FACTS: &[(&str, &str)] = &[
    ("weights.pickle-dangerous", "a pickle (a weight file, an archive member, an object array) imports a callable that runs commands or code or reaches files or the network (vars: global, module, name, opcode, offset, member, at)"),
    ("weights.pickle-import", "a pickle imports a callable outside the safe allow-list, or one that cannot be named from its bytes (vars: global, module, name, opcode, offset, member, at)"),
    ("weights.malformed", "a weight file (pickle, zip archive, .npy, safetensors, GGUF) is truncated, corrupt, over a safety bound or a zip bomb (vars: detail, offset, member, at)"),
    ("weights.gguf-license", "a GGUF file's metadata declares a licence or a name (vars: license, name)"),
    ("privacy.personal-data", "personal data (e-mail, phone, identity, card, IBAN, SSN, IP address) in a scanned file, masked in `{value}`; `{kind}`, `{place}`"),
    ("security.secret", "a secret (API token, access key, private key, password in a URL) in a scanned file, masked in `{value}`; `{kind}`"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privacy_statements_are_read() {
        for denial in [
            "the corpus contains no personal data",
            "It Has No PII.",
            "the samples do not hold anything, and the set does not include any personal records",
            "there is no personal information here",
            "样本不包含任何个人信息",
        ] {
            assert!(denies_personal(&denial.to_lowercase()), "{denial}");
        }
        for other in [
            "so personal information was masked",
            "we know personal data",
        ] {
            assert!(!denies_personal(other), "{other}");
        }
        assert!(!denies_personal("xno personal data"));
        for handled in [
            "names were pseudonymized",
            "the de-identified set",
            "经用户同意",
        ] {
            assert!(says_handled(&handled.to_lowercase()), "{handled}");
        }
        assert!(!says_handled("public web text"));
    }
}
