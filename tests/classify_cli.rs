//! `modelgate classify`: the JSON contract, release modes, and the human table. Fixtures hold
//! the cards and placeholders; licence texts are added at test time from the spdx crate.

mod common;
use common::run_in;
use std::path::Path;

/// Copies a fixture into a temporary folder and adds licence files built from SPDX texts.
fn repo(fixture: &str, licences: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let rel = e.path().strip_prefix(&src).unwrap();
        let dst = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
    for (name, id) in licences {
        let text = modelgate::licenses::detect::reference_text(id).expect("an SPDX text");
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn classify(dir: &Path) -> serde_json::Value {
    let r = run_in(dir, &["classify", ".", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn json_follows_the_contract() {
    let dir = repo("classify-restricted", &[("LICENSE", "MIT")]);
    let v = classify(dir.path());
    let mut k = keys(&v);
    k.sort();
    let mut want = vec![
        "schema",
        "root",
        "release_mode",
        "claims_open_source",
        "declared_license",
        "license_files",
        "components",
        "osaid",
        "mof",
        "eu_ai_act_open_source_exemption",
    ];
    want.sort();
    assert_eq!(k, want);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["root"], ".");
    assert_eq!(v["release_mode"], "open-weights-restricted");
    assert_eq!(v["claims_open_source"], false);
    assert_eq!(
        v["declared_license"],
        serde_json::json!({"value": "other", "path": "README.md", "line": 2})
    );
    let files = v["license_files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "LICENSE");
    assert_eq!(files[0]["license"], "MIT");
    assert_eq!(files[0]["covers"], serde_json::json!(["code"]));
    assert_eq!(files[1]["path"], "LICENSE-MODEL");
    assert_eq!(files[1]["license"], "LicenseRef-DeepSeek-License-1.0");
    assert_eq!(files[1]["covers"], serde_json::json!(["weights"]));
    for f in files {
        let c = f["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        let mut k = keys(f);
        k.sort();
        // `terms` only where a text is read clause by clause (a licence that is not OSI's)
        k.retain(|x| *x != "terms");
        assert_eq!(k, vec!["confidence", "covers", "license", "path"]);
        for t in f["terms"].as_array().into_iter().flatten() {
            let mut k = keys(t);
            k.sort();
            assert_eq!(k, vec!["id", "line", "text"]);
        }
    }
    let comps = v["components"].as_array().unwrap();
    let by_name = |n: &str| comps.iter().find(|c| c["name"] == n).unwrap().clone();
    assert_eq!(
        by_name("weights"),
        serde_json::json!({"name": "weights", "status": "restricted", "license": "LicenseRef-DeepSeek-License-1.0"})
    );
    assert_eq!(by_name("code")["status"], "open");
    assert_eq!(by_name("code")["license"], "MIT");
    assert_eq!(by_name("training-data")["license"], serde_json::Value::Null);
    assert_eq!(v["osaid"]["conformant"], false);
    assert!(v["osaid"]["missing"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("OSI-approved terms for parameters")));
    assert_eq!(v["mof"]["class"], serde_json::Value::Null);
    assert_eq!(v["eu_ai_act_open_source_exemption"]["applies"], false);
    assert!(v["eu_ai_act_open_source_exemption"]["missing"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(
            "free and open-source licence for the parameters"
        )));
}

#[test]
fn an_open_release() {
    let dir = repo("classify-open", &[("LICENSE", "Apache-2.0")]);
    let v = classify(dir.path());
    assert_eq!(v["release_mode"], "open");
    assert_eq!(v["osaid"]["conformant"], true, "{}", v["osaid"]);
    assert_eq!(v["eu_ai_act_open_source_exemption"]["applies"], true);
    assert_eq!(v["declared_license"]["value"], "apache-2.0");
    // the card declares the weights' licence, so LICENSE is only taken to cover the code
    assert_eq!(v["license_files"][0]["covers"], serde_json::json!(["code"]));
    let mof = v["mof"]["class"].as_u64();
    assert!(mof.is_some(), "{}", v["mof"]);
}

#[test]
fn a_closed_release() {
    let dir = repo("classify-closed", &[]);
    let v = classify(dir.path());
    assert_eq!(v["release_mode"], "closed");
    assert_eq!(v["declared_license"], serde_json::Value::Null);
    assert_eq!(v["license_files"], serde_json::json!([]));
    assert_eq!(v["eu_ai_act_open_source_exemption"]["applies"], false);
}

#[test]
fn a_hybrid_release_that_claims_open_source() {
    let dir = repo("classify-hybrid", &[("LICENSE", "Apache-2.0")]);
    let v = classify(dir.path());
    // OSI terms, but the training data is not disclosed
    assert_eq!(v["release_mode"], "hybrid");
    assert_eq!(v["claims_open_source"], true);
    assert!(v["osaid"]["missing"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("data information")));
}

#[test]
fn a_modified_licence_is_unidentified_not_guessed() {
    let dir = repo("classify-hybrid", &[]);
    let mit = modelgate::licenses::detect::reference_text("MIT").unwrap();
    std::fs::write(
        dir.path().join("LICENSE"),
        format!("{mit}\nThe Software may be used for non-commercial purposes only.\n"),
    )
    .unwrap();
    let v = classify(dir.path());
    assert_eq!(v["license_files"][0]["license"], serde_json::Value::Null);
    assert_eq!(v["license_files"][0]["confidence"], 0.0);
}

#[test]
fn a_model_yml_is_checked_against_the_tree() {
    let dir = repo("classify-restricted", &[("LICENSE", "MIT")]);
    std::fs::write(
        dir.path().join("model.yml"),
        "framework:\n  name: Model Openness Framework\nrelease:\n  name: acme-chat\n  components:\n    - name: Model parameters (Final)\n      license: Apache-2.0\n      location: weights/\n    - name: Inference code\n      license: MIT\n      location: infer.py\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["classify", "."]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("`weights`, which is not in the repository"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("said to be under `Apache-2.0`"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("`infer.py`, which is not"),
        "{}",
        r.stdout
    );
    // a broken model.yml is a note, not a failure
    std::fs::write(dir.path().join("model.yml"), "release: [unclosed\n").unwrap();
    let r = run_in(dir.path(), &["classify", "."]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("not a valid model.yml"), "{}", r.stdout);
}

#[test]
fn human_output_is_a_table() {
    let dir = repo("classify-restricted", &[("LICENSE", "MIT")]);
    let r = run_in(dir.path(), &["classify", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn a_bad_path_exits_2() {
    let r = common::run(&["classify", "fixtures/no-such-folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    let r = common::run(&["classify", "Cargo.toml"]);
    assert_eq!(r.code, 2);
}
