//! `modelgate bom`: the CycloneDX document a user gets, on fixtures and on trees built here.

mod common;
use common::{run, run_in};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

fn bom_of(dir: &Path, extra: &[&str]) -> (Value, common::Run) {
    let mut args = vec!["bom", "."];
    args.extend_from_slice(extra);
    let r = run_in(dir, &args);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    let v =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout));
    (v, r)
}

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (path, bytes) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

fn models(v: &Value) -> Vec<&Value> {
    v["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "machine-learning-model")
        .collect()
}

fn component<'a>(v: &'a Value, bom_ref: &str) -> &'a Value {
    fn find<'a>(cs: &'a Value, r: &str) -> Option<&'a Value> {
        cs.as_array()?.iter().find_map(|c| {
            if c["bom-ref"] == r {
                Some(c)
            } else {
                find(&c["components"], r)
            }
        })
    }
    find(&v["components"], bom_ref).unwrap_or_else(|| panic!("no component {bom_ref} in {v:#}"))
}

fn prop<'a>(c: &'a Value, name: &str) -> Option<&'a str> {
    c["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn open_fixture_is_one_model_with_its_card_hash_and_sources() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/open-good");
    let (v, _) = bom_of(&dir, &[]);
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    assert!(v["serialNumber"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(v["metadata"]["tools"]["components"][0]["name"], "modelgate");
    let m = models(&v);
    assert_eq!(m.len(), 1);
    let model = m[0];
    assert_eq!(model["name"], "acme/sentiment-small");
    assert_eq!(prop(model, "modelgate:source:name"), Some("README.md:12"));
    let params = &model["modelCard"]["modelParameters"];
    assert_eq!(params["architectureFamily"], "bert");
    assert_eq!(
        prop(
            model,
            "modelgate:source:modelCard.modelParameters.architectureFamily"
        ),
        Some("config.json:1")
    );
    assert_eq!(params["task"], "text-classification");
    assert_eq!(params["inputs"][0]["format"], "text");
    assert_eq!(params["datasets"][0]["ref"], "data:stanfordnlp/sst2");
    let data = component(&v, "data:stanfordnlp/sst2");
    assert_eq!(data["type"], "data");
    assert_eq!(prop(data, "modelgate:source:name"), Some("README.md:6"));
    let cons = &model["modelCard"]["considerations"];
    assert!(cons["useCases"][0]
        .as_str()
        .unwrap()
        .starts_with("Sorting English product reviews"));
    assert_eq!(
        prop(
            model,
            "modelgate:source:modelCard.considerations.useCases[0]"
        ),
        Some("README.md:19")
    );
    assert!(cons["technicalLimitations"][0]
        .as_str()
        .unwrap()
        .contains("sarcasm"));
    // the card's `license: apache-2.0` is an SPDX id, with the line it was read from
    assert_eq!(model["licenses"][0]["license"]["id"], "Apache-2.0");
    assert_eq!(
        prop(model, "modelgate:source:licenses[Apache-2.0]"),
        Some("README.md:2")
    );
    let weights = std::fs::read(dir.join("model.safetensors")).unwrap();
    let file = component(&v, "model:./file:model.safetensors");
    assert_eq!(file["hashes"][0]["alg"], "SHA-256");
    assert_eq!(file["hashes"][0]["content"], sha256(&weights));
}

#[test]
fn open_fixture_bom_is_pinned() {
    let r = run(&["bom", "fixtures/open-good"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn the_same_release_gives_the_same_bom() {
    let a = run(&["bom", "fixtures/hybrid-good"]);
    let b = run(&["bom", "fixtures/hybrid-good"]);
    assert_eq!(a.stdout, b.stdout);
    let other = run(&["bom", "fixtures/open-good"]);
    let serial = |s: &str| serde_json::from_str::<Value>(s).unwrap()["serialNumber"].clone();
    assert_ne!(serial(&a.stdout), serial(&other.stdout));
}

#[test]
fn multi_model_fixture_has_a_model_component_per_unit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/multi-model");
    let (v, _) = bom_of(&dir, &[]);
    let refs: Vec<&str> = models(&v)
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["model:models/base", "model:models/chat"]);
}

#[test]
fn hybrid_fixture_lists_withheld_components_without_hashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hybrid-good");
    let (v, _) = bom_of(&dir, &[]);
    let w = component(&v, "model:./withheld:weights");
    assert_eq!(prop(w, "modelgate:withheld"), Some("true"));
    assert_eq!(w["scope"], "excluded");
    assert!(w.get("hashes").is_none());
    assert_eq!(prop(w, "modelgate:source:name"), Some("modelgate.toml:4"));
}

/// A hybrid tree: open weights in Git LFS and on disk, a closed checkpoint published by
/// mistake, custom terms, an evaluation table, links to a paper and the repository.
fn hybrid_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pointer = format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 2048\n",
        "ab".repeat(32)
    );
    write(
        dir.path(),
        &[
            (
                "modelgate.toml",
                b"[release]\nmode = \"hybrid\"\n\n[components.weights]\nstatus = \"open\"\npaths = [\"model*.safetensors\"]\n\n[components.checkpoints]\nstatus = \"closed\"\npaths = [\"ckpt/**\"]\n",
            ),
            (
                "README.md",
                b"---\nlicense: other\nlicense_name: acme-model\ndatasets:\n- acme/reviews\npipeline_tag: text-generation\n---\n\n# Acme Writer\n\n## Intended Use\n\nDrafting product descriptions for review by an editor.\n\n## Out-of-Scope Use\n\nMedical or legal advice.\n\n## Limitations\n\nEnglish only; facts are often wrong.\n\n## Ethical Considerations\n\nMay repeat stereotypes from web text.\n\n## Evaluation\n\n| benchmark | accuracy | f1 |\n|---|---|---|\n| reviews-test | 81.5 | 0.79 |\n\nPaper: https://arxiv.org/abs/2401.00001. Code: https://github.com/acme/writer\n\n## What is withheld\n\nThe intermediate checkpoints are not released.\n",
            ),
            (
                "LICENSE",
                b"Acme Model Licence\n\nYou may use the model weights for non-commercial research purposes only.\n",
            ),
            ("model-00001.safetensors", b"weights one"),
            ("model-00002.safetensors", pointer.as_bytes()),
            ("ckpt/step-100.safetensors", b"closed checkpoint"),
        ],
    );
    dir
}

#[test]
fn tree_hashes_lfs_oids_withheld_files_and_custom_terms() {
    let dir = hybrid_tree();
    let (v, r) = bom_of(dir.path(), &[]);
    assert_eq!(r.stderr, "", "no note expected");
    let model = models(&v)[0];
    assert_eq!(model["name"], "Acme Writer");
    let one = component(&v, "model:./file:model-00001.safetensors");
    assert_eq!(one["hashes"][0]["content"], sha256(b"weights one"));
    let two = component(&v, "model:./file:model-00002.safetensors");
    assert_eq!(two["hashes"][0]["content"], "ab".repeat(32));
    assert_eq!(
        prop(two, "modelgate:hash-source"),
        Some("git-lfs-pointer-oid")
    );
    // a closed file in the tree: withheld, never hashed
    let closed = component(&v, "model:./file:ckpt/step-100.safetensors");
    assert_eq!(prop(closed, "modelgate:withheld"), Some("true"));
    assert!(closed.get("hashes").is_none());
    assert_eq!(
        prop(
            component(&v, "model:./withheld:checkpoints"),
            "modelgate:source:name"
        ),
        Some("modelgate.toml:8")
    );
    // `license: other` is no SPDX id: a name, never a made-up id
    let licences = model["licenses"].as_array().unwrap();
    assert!(licences
        .iter()
        .filter_map(|l| l["license"]["id"].as_str())
        .all(|id| !id.starts_with("LicenseRef-")));
    let custom = licences
        .iter()
        .find(|l| l["license"]["acknowledgement"] == "concluded")
        .expect("the LICENSE text");
    assert!(custom["license"]["id"].is_null());
    assert!(custom["license"]["text"]["content"]
        .as_str()
        .unwrap()
        .contains("non-commercial"));
    // evaluation table, considerations, references
    let metrics = model["modelCard"]["quantitativeAnalysis"]["performanceMetrics"]
        .as_array()
        .unwrap();
    assert_eq!(metrics[0]["type"], "accuracy");
    assert_eq!(metrics[0]["value"], "81.5");
    assert_eq!(metrics[0]["slice"], "reviews-test");
    assert_eq!(
        prop(
            model,
            "modelgate:source:modelCard.quantitativeAnalysis.performanceMetrics[0]"
        ),
        Some("README.md:31")
    );
    let cons = &model["modelCard"]["considerations"];
    assert_eq!(
        cons["ethicalConsiderations"][0]["name"],
        "May repeat stereotypes from web text."
    );
    assert_eq!(
        prop(model, "modelgate:out-of-scope-use"),
        Some("Medical or legal advice.")
    );
    let refs: Vec<(&str, &str)> = model["externalReferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["type"].as_str().unwrap(), r["url"].as_str().unwrap()))
        .collect();
    assert_eq!(
        refs,
        [
            ("documentation", "https://arxiv.org/abs/2401.00001"),
            ("vcs", "https://github.com/acme/writer")
        ]
    );
}

#[test]
fn no_hashes_reads_no_weights() {
    let dir = hybrid_tree();
    let (v, _) = bom_of(dir.path(), &["--no-hashes"]);
    let one = component(&v, "model:./file:model-00001.safetensors");
    assert!(one.get("hashes").is_none());
}

#[test]
fn output_file_holds_the_bom() {
    let dir = hybrid_tree();
    let out = dir.path().join("bom.cdx.json");
    let r = run_in(dir.path(), &["bom", ".", "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["specVersion"], "1.6");
}

#[test]
fn bad_inputs_are_said_with_the_file_and_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("README.md", b"---\nlicense: mit\n---\n\n# Broken\n\nA model with broken files, for a test of what bom says about them.\n"),
            ("config.json", b"{\"model_type\": "),
            (
                "model.safetensors",
                b"version https://git-lfs.github.com/spec/v1\noid sha256:not-a-digest\nsize 10\n",
            ),
        ],
    );
    let (v, r) = bom_of(dir.path(), &[]);
    assert!(
        r.stderr.contains("`config.json` is not valid JSON"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "`model.safetensors`: no hash: the LFS pointer has no valid `oid sha256:` line"
        ),
        "{}",
        r.stderr
    );
    assert!(models(&v)[0]["modelCard"]["modelParameters"]
        .get("architectureFamily")
        .is_none());
}

#[test]
fn a_bom_that_cannot_be_made_exits_2() {
    let r = run(&["bom", "fixtures/no-such-folder"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    let r = run(&["bom", "fixtures/bad-policy"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.stdout, "");
}
