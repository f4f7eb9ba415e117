//! `modelgate init`: skeletons per mode, never overwriting, and enough to pass `check` once
//! the placeholders are filled and a licence is added.

mod common;
use common::run_in;
use std::path::Path;

const FILLED: &str = "Acme Labs wrote this part of the release. The model is a decoder-only \
transformer described in the technical report at https://example.org/report. It was trained on \
public web pages and licensed books from https://example.org/data in English, collected between \
2019 and 2024, about 2 billion tokens, licensed CC-BY-4.0. Personal data was pseudonymised with \
the consent of the people concerned; to ask for removal contact privacy@example.org. The weights \
are not released. Questions go to the issue tracker. On MMLU the model reaches 50 percent \
accuracy when drafting text for editors.";

fn fill(dir: &Path) {
    for e in walk(dir) {
        let text = std::fs::read_to_string(&e).unwrap();
        let filled = text
            .replace("[More Information Needed]", FILLED)
            .replace("待补充", FILLED)
            .replace("datasets: []", "datasets:\n- acme/corpus");
        std::fs::write(&e, filled).unwrap();
    }
    std::fs::write(dir.join("LICENSE"), "Licensed under the Apache License, Version 2.0: https://www.apache.org/licenses/LICENSE-2.0\n").unwrap();
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn init_per_mode_on_a_bare_tree_then_filled_passes_check() {
    for (mode, files) in [
        (
            "open",
            vec![
                "CODE_OF_CONDUCT.md",
                "CONTRIBUTING.md",
                "DATA_STATEMENT.md",
                "README.md",
                "SECURITY.md",
                "modelgate.toml",
            ],
        ),
        (
            "hybrid",
            vec![
                "DATA_STATEMENT.md",
                "README.md",
                "SECURITY.md",
                "modelgate.toml",
            ],
        ),
        ("closed", vec!["README.md", "modelgate.toml"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let r = run_in(dir.path(), &["init", ".", "--mode", mode]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(names(dir.path()), files, "{mode}");
        assert!(
            r.stdout.contains("Choose the licence yourself"),
            "{}",
            r.stdout
        );
        // unfilled, the skeleton fails: placeholders count as missing
        let before = run_in(dir.path(), &["check", "."]);
        assert_eq!(before.code, 1, "{mode}: an unfilled skeleton must not pass");
        fill(dir.path());
        let after = run_in(dir.path(), &["check", ".", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&after.stdout).unwrap();
        assert_eq!(after.code, 0, "{mode}: {:?}", common::places(&v));
        assert_eq!(v["policy"]["mode"], mode);
    }
}

#[test]
fn init_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["init", ".", "--mode", "open", "--lang", "zh"]);
    assert_eq!(r.code, 0);
    let card = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    for h in [
        "## 模型介绍",
        "## 预期用途",
        "## 超出范围的使用",
        "## 训练数据",
        "## 偏见、风险与局限性",
        "## 隐私",
    ] {
        assert!(card.contains(h), "{h} missing:\n{card}");
    }
    fill(dir.path());
    let after = run_in(dir.path(), &["check", "."]);
    assert_eq!(after.code, 0, "{}", after.stdout);
}

#[test]
fn init_on_a_tree_with_weights_and_code_guesses_components() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "model-00001-of-00002.safetensors",
        "serve.py",
        "training/train.py",
        "data/sample.jsonl",
    ] {
        let p = dir.path().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x\n").unwrap();
    }
    assert_eq!(
        run_in(dir.path(), &["init", ".", "--mode", "hybrid"]).code,
        0
    );
    let policy = std::fs::read_to_string(dir.path().join("modelgate.toml")).unwrap();
    insta::assert_snapshot!(policy);
    fill(dir.path());
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(r.code, 0, "{:?}", common::places(&v));

    // closed mode on the same tree: everything present is a closed component in the release
    let dir2 = tempfile::tempdir().unwrap();
    std::fs::write(dir2.path().join("serve.py"), "x\n").unwrap();
    assert_eq!(
        run_in(dir2.path(), &["init", ".", "--mode", "closed"]).code,
        0
    );
    fill(dir2.path());
    let r = run_in(dir2.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        common::places(&v)
            .iter()
            .filter(|p| p.starts_with("error"))
            .collect::<Vec<_>>(),
        ["error protect/closed-component-present serve.py:1:1"]
    );
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# my own card\n").unwrap();
    std::fs::write(dir.path().join("SECURITY.md"), "mine\n").unwrap();
    let r = run_in(dir.path(), &["init", ".", "--mode", "open"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("skipped  README.md (a model card exists)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("skipped  SECURITY.md (exists)"),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "# my own card\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("SECURITY.md")).unwrap(),
        "mine\n"
    );
    let before = names(dir.path());
    let again = run_in(dir.path(), &["init", ".", "--mode", "open"]);
    assert!(
        again.stdout.contains("nothing to create"),
        "{}",
        again.stdout
    );
    assert_eq!(names(dir.path()), before);
    assert!(
        !names(dir.path()).iter().any(|n| n.contains("LICENSE")),
        "init never writes a licence"
    );
}

#[test]
fn a_closed_skeleton_asks_for_a_data_summary_and_does_not_accuse_itself() {
    for (lang, label) in [("en", "- **Sources:**"), ("zh", "- **来源：**")] {
        let dir = tempfile::tempdir().unwrap();
        let r = run_in(
            dir.path(),
            &["init", "--mode", "closed", "--lang", lang, "."],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let card = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
        assert!(card.contains(label), "{card}");
        // the skeleton's guidance (HTML comments) is not what the card says: no finding that
        // the training data holds personal data
        let r = run_in(
            dir.path(),
            &["check", ".", "--format", "json", "--fail-on", "never"],
        );
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let rules: Vec<&str> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        assert!(
            !rules.contains(&"privacy/personal-training-data"),
            "{rules:?}"
        );
        // labels with placeholders are still placeholders: the data section is reported
        assert!(rules.contains(&"data/training-sources"), "{rules:?}");
    }
}
