//! `rules`, `explain`, and the rule registry's own invariants.

mod common;
use common::run;

#[test]
fn rules_json_follows_the_contract() {
    let r = run(&["rules", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], 1);
    let rules = v["rules"].as_array().unwrap();
    let first = rules
        .iter()
        .find(|r| r["id"] == "data/training-sources")
        .unwrap();
    assert_eq!(
        first,
        &serde_json::json!({"id": "data/training-sources", "family": "data-sharing", "modes": ["open", "hybrid", "closed"],
            "level": "error", "summary": "the model card says what the model was trained on", "guidance": ["G3"]})
    );
    // every guidance principle is enforced by some rule
    for g in 1..=14 {
        let id = format!("G{g}");
        assert!(
            rules.iter().any(|r| r["guidance"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == &serde_json::json!(id))),
            "no rule cites {id}"
        );
    }
}

#[test]
fn explain_shows_rationale_levels_and_examples() {
    let r = run(&["explain", "card/limitations"]);
    assert_eq!(r.code, 0);
    for part in [
        "# `card/limitations`",
        "open: error",
        "## Why",
        "G6",
        "## Examples",
        "## How to suppress",
    ] {
        assert!(r.stdout.contains(part), "missing {part}:\n{}", r.stdout);
    }
    let r = run(&["explain", "card/limitation"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `card/limitations`?"));
}

#[test]
fn every_finding_ends_with_its_explain_command() {
    let r = run(&["check", "fixtures/open-bad-security"]);
    let blocks = r.stdout.matches("explain: modelgate explain ").count();
    let findings = r
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(['×', '⚠', '☞']))
        .count();
    assert!(findings > 0);
    assert_eq!(blocks, findings, "{}", r.stdout);
}

#[test]
fn generated_rule_docs_are_current() {
    let r = run(&["docs", "docs"]);
    assert_eq!(
        r.code, 0,
        "run `cargo run -- docs --write docs`\n{}",
        r.stderr
    );
}

#[test]
fn generated_schemas_are_current() {
    let r = run(&["schema", "."]);
    assert_eq!(
        r.code, 0,
        "run `cargo run -- schema --write .`\n{}",
        r.stderr
    );
    // the policy schema knows every jurisdiction and refuses unknown keys
    let s: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/modelgate.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(s["additionalProperties"], false);
    assert!(s["$defs"]["Jurisdiction"]["enum"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("pipl")));
}

#[test]
fn no_orphan_snapshots() {
    let root = env!("CARGO_MANIFEST_DIR");
    for e in std::fs::read_dir(format!("{root}/tests/snapshots"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".snap") else {
            panic!("unexpected file in tests/snapshots: {name} (a pending .snap.new?)");
        };
        let (file, test) = stem
            .split_once("__")
            .expect("insta names snapshots <file>__<name>");
        let source = std::fs::read_to_string(format!("{root}/tests/{file}.rs")).unwrap_or_default();
        assert!(
            source.contains(&format!("fn {test}(")) || source.contains(&format!("\"{test}\"")),
            "orphan snapshot {name}"
        );
    }
}
