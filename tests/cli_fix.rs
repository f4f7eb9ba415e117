//! `check --fix` and `--fix --diff`: certain fixes, applied and re-checked.

mod common;
use common::{copy_fixture, places, run_in};
use std::path::Path;

fn check(dir: &Path, extra: &[&str]) -> (serde_json::Value, common::Run) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let r = run_in(dir, &args);
    let v = serde_json::from_str(&r.stdout).unwrap_or(serde_json::Value::Null);
    (v, r)
}

#[test]
fn fixes_hub_spelling_of_licence_and_language() {
    let dir = copy_fixture("open-bad-card");
    let (before, _) = check(dir.path(), &[]);
    let p = places(&before);
    assert!(p.contains(&"warning card/hub-metadata README.md:2:10".to_string()));
    assert!(p.contains(&"warning card/metadata-language README.md:5:3".to_string()));
    let help = before["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "card/hub-metadata")
        .unwrap()["help"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        help.ends_with("(`modelgate check --fix` does this)"),
        "{help}"
    );

    let r = run_in(dir.path(), &["check", ".", "--fix", "--format", "json"]);
    assert!(r.stderr.contains("fixed 1 file"), "{}", r.stderr);
    let after: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let p = places(&after);
    assert!(
        !p.contains(&"warning card/hub-metadata README.md:2:10".to_string()),
        "{p:?}"
    );
    assert!(
        !p.iter().any(|x| x.contains("card/metadata-language")),
        "{p:?}"
    );
    // the unfixable problems remain, and decide the exit status
    assert!(
        p.contains(&"warning card/hub-metadata README.md:8:13".to_string()),
        "{p:?}"
    );
    assert_eq!(r.code, 1);
    let card = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(
        card.starts_with("---\nlicense: apache-2.0\nlicence: apache-2.0\nlanguage:\n- en\n"),
        "{card}"
    );
    // a second run has nothing left to fix
    let again = run_in(dir.path(), &["check", ".", "--fix"]);
    assert!(again.stderr.contains("fixed 0 files"), "{}", again.stderr);
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = copy_fixture("open-bad-card");
    let before = std::fs::read(dir.path().join("README.md")).unwrap();
    let r = run_in(dir.path(), &["check", ".", "--fix", "--diff"]);
    insta::assert_snapshot!(r.stdout);
    assert!(r
        .stderr
        .contains("1 file would change; nothing was written"));
    assert_eq!(r.code, 1, "unfixable errors remain");
    assert_eq!(std::fs::read(dir.path().join("README.md")).unwrap(), before);
}

#[test]
fn a_file_that_cannot_be_parsed_is_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    // a card that is not UTF-8: its spelling problem is reported but not fixed
    let mut card = b"---\nlicense: Apache-2.0\n---\n# Mod".to_vec();
    card.push(0xe8);
    card.extend_from_slice(b"le\n");
    std::fs::write(dir.path().join("README.md"), &card).unwrap();
    let r = run_in(dir.path(), &["check", ".", "--fix", "--mode", "closed"]);
    assert!(r.stderr.contains("fixed 0 files"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join("README.md")).unwrap(), card);
}

#[test]
fn diff_needs_fix() {
    let r = common::run(&["check", "fixtures/open-good", "--diff"]);
    assert_eq!(r.code, 2);
}

#[test]
fn fixes_card_licence_from_the_licence_text_and_adds_a_notice() {
    let dir = copy_fixture("open-good");
    let d = dir.path();
    let apache = modelgate::licenses::detect::reference_text("Apache-2.0").expect("the text");
    // a licence file that points at a NOTICE, as Apache projects' files do
    let text = format!(
        "See the NOTICE file distributed with this work for additional information.\n\n{apache}"
    );
    std::fs::write(d.join("LICENSE"), text).unwrap();
    let card = std::fs::read_to_string(d.join("README.md")).unwrap();
    std::fs::write(
        d.join("README.md"),
        card.replacen("license: apache-2.0\n", "", 1),
    )
    .unwrap();

    let (before, r) = check(d, &[]);
    let p = places(&before);
    assert!(
        p.contains(&"warning card/license-metadata README.md:2:1".to_string()),
        "{p:?}"
    );
    assert!(
        p.iter().any(|x| x.contains("license/notice-file LICENSE:")),
        "{p:?}\n{}",
        r.stderr
    );

    let r = run_in(d, &["check", ".", "--fix", "--diff"]);
    assert!(r.stdout.contains("+license: apache-2.0"), "{}", r.stdout);
    assert!(r.stdout.contains("NOTICE"), "{}", r.stdout);
    assert!(!d.join("NOTICE").exists(), "--diff writes nothing");

    let r = run_in(d, &["check", ".", "--fix"]);
    assert!(r.stderr.contains("fixed 2 files"), "{}", r.stderr);
    let card = std::fs::read_to_string(d.join("README.md")).unwrap();
    assert!(
        card.starts_with("---\nlicense: apache-2.0\nlanguage:"),
        "{card}"
    );
    assert!(d.join("NOTICE").is_file());

    let (after, _) = check(d, &[]);
    let p = places(&after);
    assert!(
        !p.iter()
            .any(|x| x.contains("card/license-metadata") || x.contains("license/notice-file")),
        "{p:?}"
    );
}
