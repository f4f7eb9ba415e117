//! Signature coverage: a tree signed by the real `model_signing` client (fixtures/signed, signed
//! with `model_signing sign key`), then changed in the ways a release goes wrong.

mod common;
use common::run_in;
use serde_json::Value;
use std::path::Path;

/// A copy of fixtures/signed in a temporary folder.
fn signed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/signed");
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let dst = dir.path().join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
    dir
}

/// (rule, level, path, message) of the signature findings of `check`.
fn signature_findings(dir: &Path) -> Vec<(String, String, String, String)> {
    let r = run_in(dir, &["check", ".", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["rule"]
                .as_str()
                .unwrap()
                .starts_with("security/signature")
        })
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["level"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_untouched_signed_tree_gives_no_finding() {
    let dir = signed();
    assert_eq!(signature_findings(dir.path()), vec![]);
}

#[test]
fn a_signed_file_changed_is_an_error() {
    let dir = signed();
    std::fs::write(dir.path().join("model.safetensors"), "signed weights v2\n").unwrap();
    let f = signature_findings(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str(), f[0].2.as_str()),
        ("security/signature-digest", "error", "model.safetensors")
    );
    assert!(
        f[0].3.contains("its signature was not verified"),
        "{}",
        f[0].3
    );
}

#[test]
fn a_weight_file_added_after_signing_is_a_warning() {
    let dir = signed();
    std::fs::write(dir.path().join("model-2.safetensors"), "more weights\n").unwrap();
    let f = signature_findings(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str(), f[0].2.as_str()),
        (
            "security/signature-uncovered",
            "warning",
            "model-2.safetensors"
        )
    );
}

#[test]
fn a_signed_file_of_a_closed_component_is_an_error() {
    let dir = signed();
    std::fs::write(
        dir.path().join("modelgate.toml"),
        "[release]\nmode = \"hybrid\"\n\n[components.checkpoints]\nstatus = \"closed\"\npaths = [\"ckpt/**\"]\n",
    )
    .unwrap();
    let f = signature_findings(dir.path());
    let closed: Vec<_> = f
        .iter()
        .filter(|f| f.0 == "security/signature-covers-closed")
        .collect();
    assert_eq!(closed.len(), 1, "{f:?}");
    assert_eq!(
        (closed[0].1.as_str(), closed[0].2.as_str()),
        ("error", "model.sig")
    );
    assert!(
        closed[0].3.contains("`ckpt/step-1.safetensors`") && closed[0].3.contains("`checkpoints`"),
        "{}",
        closed[0].3
    );
}

#[test]
fn a_bundle_that_is_not_one_is_said() {
    let dir = signed();
    std::fs::write(dir.path().join("model.sig"), "{\"mediaType\": 1}").unwrap();
    let f = signature_findings(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "security/signature-unreadable");
    assert!(f[0].3.contains("dsseEnvelope.payload"), "{}", f[0].3);
}
