//! A bad policy stops the run with exit 2 and a diagnostic at the key.

mod common;
use common::run;

fn policy_run(policy: &str) -> common::Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("modelgate.toml"), policy).unwrap();
    std::fs::write(dir.path().join("README.md"), "# M\n").unwrap();
    common::run_in(dir.path(), &["check", ".", "--format", "json"])
}

#[test]
fn misspelt_mode() {
    let r = run(&["check", "fixtures/bad-policy", "--format", "json"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stdout, "",
        "nothing on stdout when the run could not be done"
    );
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn unknown_key_wrong_type_unknown_rule() {
    let r = policy_run("[release]\nmode = \"open\"\nmodes = 1\n");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("modelgate.toml:3:1"), "{}", r.stderr);
    assert!(r.stderr.contains("unknown field `modes`"), "{}", r.stderr);

    let r = policy_run("[release]\njurisdictions = \"gdpr\"\n");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("modelgate.toml:2:17"), "{}", r.stderr);

    let r = policy_run("[rules]\n\"card/limitation\" = \"warning\"\n");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("modelgate.toml:2:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `card/limitations`?"),
        "{}",
        r.stderr
    );

    let r = policy_run("[components.weights]\nstatus = \"secret\"\n");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown variant `secret`"),
        "{}",
        r.stderr
    );
}

#[test]
fn missing_path_or_policy() {
    let r = run(&["check", "fixtures/does-not-exist"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"));
    let r = run(&["check", "fixtures/open-good", "--policy", "nope.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read the policy file"),
        "{}",
        r.stderr
    );
    let r = run(&["check", "--format", "yaml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_broken_pack_is_a_finding_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("modelgate.toml"),
        "packs = [\"rules.toml\"]\n[release]\nmode = \"closed\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules.toml"),
        "[[rule]]\nid = \"acme/x\"\nfamly = 1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "# M\n").unwrap();
    let r = common::run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "modelgate/invalid-rule-pack")
        .expect("reported");
    assert_eq!(d["path"], "rules.toml");
    assert_eq!(d["line"], 3);
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "card/intended-use"));
}
