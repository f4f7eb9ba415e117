//! `modelgate check` on the fixture repositories: exact rules and places, exit codes, and
//! snapshots of what users see.

mod common;
use common::{json, places, run};

fn errors(v: &serde_json::Value) -> u64 {
    v["summary"]["error"].as_u64().unwrap_or(0)
}

#[test]
fn clean_releases_of_each_mode_have_no_errors() {
    for (fixture, mode) in [
        ("open-good", "open"),
        ("closed-good", "closed"),
        ("hybrid-good", "hybrid"),
        ("open-zh", "open"),
    ] {
        let (v, r) = json(&["check", &format!("fixtures/{fixture}"), "--format", "json"]);
        assert_eq!(r.code, 0, "{fixture}: {:?}", places(&v));
        assert_eq!(errors(&v), 0, "{fixture}: {:?}", places(&v));
        assert_eq!(v["policy"]["mode"], mode);
        assert_eq!(v["policy"]["mode_source"], "policy");
    }
    // the complete open release has nothing at all to say
    let (v, _) = json(&["check", "fixtures/open-good", "--format", "json"]);
    assert_eq!(places(&v), Vec::<String>::new());
}

#[test]
fn json_document_follows_the_contract() {
    let (v, r) = json(&["check", "fixtures/open-bad-data", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["tool"]["name"], "modelgate");
    assert_eq!(v["root"], "fixtures/open-bad-data");
    assert_eq!(v["policy"]["file"], "modelgate.toml");
    // keys in the contract's order, and no others
    let d = &v["diagnostics"][0];
    assert_eq!(d.as_object().unwrap().len(), 11);
    let first = &r.stdout[r.stdout.find("\"diagnostics\"").unwrap()..];
    let first = &first[..first.find('}').unwrap()];
    let order = [
        "rule",
        "family",
        "level",
        "message",
        "help",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "guidance",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| first.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
    // a repository-level finding has null path, line and column
    let repo = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "data/statement")
        .unwrap();
    assert!(repo["path"].is_null() && repo["line"].is_null() && repo["column"].is_null());
    assert_eq!(v["summary"]["files"], 7);
}

#[test]
fn data_sharing_findings() {
    let (v, _) = json(&["check", "fixtures/open-bad-data", "--format", "json"]);
    insta::assert_snapshot!(places(&v).join("\n"));
}

#[test]
fn privacy_findings() {
    let (v, _) = json(&["check", "fixtures/open-bad-privacy", "--format", "json"]);
    insta::assert_snapshot!(places(&v).join("\n"));
}

#[test]
fn transparency_findings_point_at_keys_and_headings() {
    let (v, _) = json(&["check", "fixtures/open-bad-card", "--format", "json"]);
    insta::assert_snapshot!(places(&v).join("\n"));
}

#[test]
fn protection_findings_in_closed_and_hybrid_releases() {
    let (v, r) = json(&["check", "fixtures/closed-bad-protect", "--format", "json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("closed_protect", places(&v).join("\n"));
    let (v, _) = json(&["check", "fixtures/hybrid-bad-protect", "--format", "json"]);
    insta::assert_snapshot!("hybrid_protect", places(&v).join("\n"));
}

#[test]
fn security_and_community_findings() {
    let (v, _) = json(&["check", "fixtures/open-bad-security", "--format", "json"]);
    insta::assert_snapshot!(places(&v).join("\n"));
}

#[test]
fn each_model_folder_is_its_own_release() {
    let (v, r) = json(&["check", "fixtures/multi-model", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        v["policy"]["models"],
        serde_json::json!([{"path": "models/base", "mode": "closed"}, {"path": "models/chat", "mode": "open"}])
    );
    let p = places(&v);
    assert!(
        p.contains(&"error protect/closed-weights models/base/model.safetensors:1:1".to_string()),
        "{p:?}"
    );
    // the open chat model ships its weights freely
    assert!(
        !p.iter()
            .any(|x| x.contains("models/chat/model.safetensors")),
        "{p:?}"
    );
}

#[test]
fn human_output_of_a_broken_card() {
    let r = run(&["check", "fixtures/open-bad-card"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn human_output_of_a_clean_release() {
    let r = run(&["check", "fixtures/open-good"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "✔ 0 errors, 0 warnings, 0 notes in 10 files (mode open, modelgate.toml)\n"
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn a_chinese_card_is_read_by_its_chinese_headings() {
    let (v, _) = json(&["check", "fixtures/open-zh", "--format", "json"]);
    assert_eq!(
        places(&v),
        [
            "warning card/international README.md:1:1",
            "info card/environmental-impact README.md:58:1"
        ]
    );
}

#[test]
fn fail_on_and_output() {
    assert_eq!(
        run(&["check", "fixtures/open-zh", "--fail-on", "warning"]).code,
        1
    );
    assert_eq!(
        run(&["check", "fixtures/open-bad-card", "--fail-on", "never"]).code,
        0
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let r = run(&[
        "check",
        "fixtures/open-bad-card",
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], 1);
}

#[test]
fn mode_flag_overrides_the_policy() {
    let (v, _) = json(&[
        "check",
        "fixtures/open-good",
        "--mode",
        "closed",
        "--format",
        "json",
    ]);
    assert_eq!(v["policy"]["mode"], "closed");
    assert_eq!(v["policy"]["mode_source"], "flag");
    assert!(places(&v).contains(&"error protect/closed-weights model.safetensors:1:1".to_string()));
}

#[test]
fn without_a_policy_the_mode_is_inferred_and_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "# M\n\nWeights: https://huggingface.co/acme/m\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("LICENSE-MODEL"), "Acme research licence\n").unwrap();
    let r = common::run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("stdout holds only the JSON document");
    assert_eq!(v["policy"]["file"], serde_json::Value::Null);
    assert_eq!(v["policy"]["mode_source"], "inferred");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("inferred"), "{}", r.stderr);
    // the evidence of the mode, with its place
    assert!(
        r.stderr.contains("weights linked at README.md:"),
        "{}",
        r.stderr
    );
    // terms that match no known licence are never permissive: "an open-weights-restricted
    // release", never "a open"
    assert!(
        r.stderr.contains("(an open-weights-restricted release: ") && !r.stderr.contains("(a o"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_policy_without_a_mode_is_named_in_the_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# M\n").unwrap();
    let policy = dir.path().join("limits.toml");
    std::fs::write(&policy, "[scan]\nmax_bytes = 1000\n").unwrap();
    let r = common::run_in(
        dir.path(),
        &["check", ".", "--policy", "limits.toml", "--format", "json"],
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("modelgate: no `[release] mode` in limits.toml; checking in `"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("modelgate.toml"), "exclude = []\n").unwrap();
    let r = common::run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert!(
        r.stderr
            .starts_with("modelgate: no `[release] mode` in modelgate.toml; "),
        "{}",
        r.stderr
    );
}

#[test]
fn user_packs_and_rule_settings() {
    let (v, _) = json(&["check", "fixtures/with-pack", "--format", "json"]);
    // the pack's rule runs; card/citation is off; the ignored path hides environmental-impact
    assert_eq!(places(&v), ["error acme/owner README.md:1:1"]);
    let r = run(&["test-rules", "fixtures/with-pack/packs/acme.toml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("2 examples of 1 rules: 2 passed, 0 failed"),
        "{}",
        r.stdout
    );
}

#[test]
fn builtin_rule_examples_all_hold() {
    let r = run(&["test-rules"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("FAIL"), "{}", r.stdout);
}

#[test]
fn json_output_of_a_broken_card() {
    let r = run(&["check", "fixtures/open-bad-card", "--format", "json"]);
    insta::assert_snapshot!(r.stdout.replace(env!("CARGO_PKG_VERSION"), "[version]"));
}
