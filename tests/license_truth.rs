//! Licence truth on repositories written for the test: every licence file found, custom
//! licences read clause by clause, unknown terms never permissive, consistency findings at
//! their lines, open-source claims about this release only, and `--fix` only when certain.

mod common;

use common::run_in;
use serde_json::Value;
use std::path::Path;

/// A repository of the given files in a temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn check(dir: &Path) -> Value {
    let r = run_in(
        dir,
        &["check", ".", "--format", "json", "--fail-on", "never"],
    );
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

fn classify(dir: &Path) -> Value {
    let r = run_in(dir, &["classify", ".", "--format", "json"]);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr))
}

/// `level rule path:line` of the findings of one rule.
fn findings(v: &Value, rule: &str) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            format!(
                "{} {}:{}",
                d["level"].as_str().unwrap(),
                d["path"].as_str().unwrap_or("-"),
                d["line"]
            )
        })
        .collect()
}

fn message(v: &Value, rule: &str) -> String {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule)
        .map(|d| d["message"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

fn component<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no component {name}: {v}"))
}

fn licence_file<'a>(v: &'a Value, path: &str) -> &'a Value {
    v["license_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not seen as a licence file: {v}"))
}

const MIT: &str = "MIT License\n\nCopyright (c) 2024 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";

/// A custom model licence in two languages, written for this test: research only, a licence
/// to apply for before commercial use, no training of other models on outputs.
const BILINGUAL: &str = "ACME MODEL AGREEMENT / ACME 模型协议\n\n\
1. The Model and its weights may be used solely for non-commercial research purposes.\n\
本模型及其权重仅限用于学术研究。\n\n\
2. Before any commercial use you must apply for a written licence from Acme.\n\
如需商用，须通过邮件申请授权。\n\n\
3. You will not use the outputs of the Model to improve any other large language model.\n\
您不得将本模型的输出用于改进其他模型。\n\n\
4. This agreement is governed by the laws of Ireland.\n";

const CARD: &str = "---\nlanguage: en\n---\n# Acme-7B\n\nAcme-7B is a language model.\n";

#[test]
fn a_custom_bilingual_licence_is_read_clause_by_clause_and_never_permissive() {
    let dir = tree(&[
        ("README.md", CARD),
        ("LICENSE", MIT),
        ("MODEL_LICENSE", BILINGUAL),
        ("model.safetensors", "x"),
        ("train.py", "print('train')\n"),
    ]);
    let c = classify(dir.path());
    assert_eq!(c["release_mode"], "open-weights-restricted", "{c}");
    let weights = component(&c, "weights");
    assert_eq!(weights["status"], "restricted");
    assert_eq!(weights["license"], Value::Null, "never a made-up id");
    assert_eq!(c["osaid"]["conformant"], false);
    assert_eq!(c["eu_ai_act_open_source_exemption"]["applies"], false);
    let file = licence_file(&c, "MODEL_LICENSE");
    assert_eq!(file["license"], Value::Null);
    let terms: Vec<(String, u64)> = file["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for (id, line) in [
        ("non-commercial", 3),
        ("research-only", 3),
        ("registration", 6),
        ("no-output-training", 9),
        ("governing-law", 12),
    ] {
        assert!(
            terms.contains(&(id.to_string(), line)),
            "{id} at line {line}: {terms:?}"
        );
    }
    // the MIT code licence is never projected onto the weights
    assert_eq!(component(&c, "training-code")["license"], "MIT");
}

#[test]
fn the_same_restrictions_in_chinese_alone_are_read() {
    let zh = "模型许可协议\n\n本模型仅限用于学术研究，不得用于商业用途。\n如需商用，须通过邮件申请授权。\n";
    let dir = tree(&[
        ("README.md", CARD),
        ("模型许可协议.md", zh),
        ("model.safetensors", "x"),
    ]);
    let c = classify(dir.path());
    assert_eq!(c["release_mode"], "open-weights-restricted", "{c}");
    let file = &c["license_files"][0];
    assert_eq!(file["path"], "模型许可协议.md");
    let ids: Vec<&str> = file["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"research-only"), "{ids:?}");
    assert!(ids.contains(&"non-commercial"), "{ids:?}");
    assert!(ids.contains(&"registration"), "{ids:?}");
}

#[test]
fn a_licence_file_named_in_words_with_spaces_is_a_licence_file() {
    let dir = tree(&[
        ("README.md", CARD),
        ("LICENSE", MIT),
        ("Model License Agreement.txt", BILINGUAL),
        ("model.safetensors", "x"),
    ]);
    let c = classify(dir.path());
    let file = licence_file(&c, "Model License Agreement.txt");
    assert_eq!(file["covers"], serde_json::json!(["weights"]));
    assert_eq!(component(&c, "weights")["status"], "restricted");
}

#[test]
fn a_readme_that_gives_a_checkpoint_its_base_models_licence() {
    let readme = "# Acme\n\nThe code and the model weights are licensed under the MIT License.\n\n- Acme-Distill-8B is derived from Llama-3.1-8B and is originally licensed under the Llama 3.1 license.\n";
    let dir = tree(&[
        ("README.md", readme),
        ("LICENSE", MIT),
        ("model.safetensors", "x"),
    ]);
    let v = check(dir.path());
    assert_eq!(
        findings(&v, "license/checkpoint-terms"),
        ["warning README.md:5"]
    );
    let m = message(&v, "license/checkpoint-terms");
    assert!(m.starts_with("Acme-Distill-8B:"), "{m}");
    assert!(m.contains("LicenseRef-Llama-3.1-Community-License"), "{m}");
}

#[test]
fn a_broken_licence_link_names_the_file_that_exists() {
    let readme = "# Acme\n\nThe code is under the MIT License; see [LICENCE](./LICENCE).\n";
    let dir = tree(&[("README.md", readme), ("LICENSE", MIT)]);
    let v = check(dir.path());
    assert_eq!(findings(&v, "license/broken-link"), ["warning README.md:3"]);
    assert!(message(&v, "license/broken-link").contains("`LICENSE`"));
    // a link that resolves is not reported
    let dir = tree(&[
        ("README.md", "# Acme\n\nSee [the licence](LICENSE).\n"),
        ("LICENSE", MIT),
    ]);
    assert!(findings(&check(dir.path()), "license/broken-link").is_empty());
}

#[test]
fn a_licence_file_that_is_only_a_url() {
    let dir = tree(&[
        ("README.md", CARD),
        ("LICENSE", "https://example.org/acme/LICENSE\n"),
    ]);
    let v = check(dir.path());
    assert_eq!(findings(&v, "license/only-link"), ["warning LICENSE:1"]);
    assert!(findings(&v, "license/unidentified-text").is_empty());
}

#[test]
fn three_documents_that_disagree_on_the_datasets_licence() {
    let card =
        "# Acme\n\n## License\n\nThe code and data are licensed under the Apache 2.0 license.\n";
    let datasheet =
        "# Datasheet\n\n## Distribution\n\nThis dataset is distributed under the ODC-By license.\n";
    let cc = modelgate::licenses::detect::reference_text("CC-BY-NC-4.0").unwrap();
    let dir = tree(&[
        ("README.md", card),
        ("datasheet.md", datasheet),
        ("DATA_LICENSE", cc),
        ("data/train.jsonl", "{\"text\": \"hi\"}\n"),
    ]);
    let v = check(dir.path());
    let got = findings(&v, "license/data-conflict");
    assert!(got.contains(&"error README.md:5".to_string()), "{got:?}");
    assert!(got.contains(&"error datasheet.md:5".to_string()), "{got:?}");
    assert!(message(&v, "license/data-conflict").contains("CC-BY-NC-4.0"));
}

fn washing(readme: &str) -> Vec<String> {
    let cc = modelgate::licenses::detect::reference_text("CC-BY-NC-4.0").unwrap();
    let dir = tree(&[
        ("README.md", readme),
        ("LICENSE-MODEL", cc),
        ("model.safetensors", "x"),
    ]);
    findings(&check(dir.path()), "card/open-washing")
}

#[test]
fn open_source_claims_about_this_release_only() {
    // a benchmark legend, third-party evaluation code, dataset metadata: not this release
    assert!(washing("# M\n\nM beats other open-source models on MMLU.\n").is_empty());
    assert!(washing("# M\n\n| Model | Open-source models |\n|---|---|\n").is_empty());
    assert!(
        washing("# M\n\nWe used the open-source evaluation code of the benchmark.\n").is_empty()
    );
    assert!(washing("# M\n\nWe open-source the metadata of the training corpus.\n").is_empty());
    assert!(washing("# M\n\n我们采用了[开源](https://example.org/eval)的评测方案。\n").is_empty());
    // a component that really is under OSI terms
    let mit_part = "# M\n\nWe are open-sourcing our [speech encoder](#encoder).\n\n## License\n\nThe following components are MIT licensed:\n- [speech encoder](#encoder)\n";
    assert!(washing(mit_part).is_empty());
    // the release itself, in any spelling and in Chinese
    for claim in [
        "M is the new generation of open-source large language models.",
        "M is an opensource language model.",
        "We have open-sourced M.",
        "M 是新一代开源大语言模型。",
    ] {
        assert_eq!(
            washing(&format!("# M\n\n{claim}\n")),
            ["error README.md:3"],
            "{claim}"
        );
    }
}

#[test]
fn an_open_source_claim_quotes_the_restricting_sentence() {
    let dir = tree(&[
        ("README.md", "# M\n\nM is an open-source language model.\n"),
        ("MODEL_LICENSE", BILINGUAL),
        ("model.safetensors", "x"),
    ]);
    let v = check(dir.path());
    let m = message(&v, "card/open-washing");
    assert!(m.contains("`MODEL_LICENSE` line 3"), "{m}");
    assert!(m.contains("non-commercial research"), "{m}");
}

#[test]
fn fix_writes_a_licence_only_when_it_covers_released_weights() {
    // weights under other terms than the code's licence file: no `license:` written
    let restricted = tree(&[
        (
            "README.md",
            "---\nlanguage: en\n---\n# M\n\nThe model weights are released under CC BY-NC 4.0.\n",
        ),
        ("LICENSE", MIT),
        ("model.safetensors", "x"),
    ]);
    // no weights released: nothing to declare for the model
    let unreleased = tree(&[
        (
            "README.md",
            "---\nlanguage: en\n---\n# M\n\nThe weights are not released.\n",
        ),
        ("LICENSE", MIT),
        ("train.py", "print(1)\n"),
    ]);
    for dir in [&restricted, &unreleased] {
        run_in(dir.path(), &["check", ".", "--fix", "--fail-on", "never"]);
        let card = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
        assert!(!card.contains("license:"), "{card}");
    }
    // the weights under the licence of the only licence file: written
    let certain = tree(&[
        ("README.md", "---\nlanguage: en\n---\n# M\n"),
        ("LICENSE", MIT),
        ("model.safetensors", "x"),
    ]);
    run_in(
        certain.path(),
        &["check", ".", "--fix", "--fail-on", "never"],
    );
    let card = std::fs::read_to_string(certain.path().join("README.md")).unwrap();
    assert!(card.contains("license: mit"), "{card}");
}

#[test]
fn a_pdf_licence_is_unreadable_terms_never_permissive() {
    let dir = tree(&[
        ("README.md", CARD),
        (
            "MODEL LICENSE.pdf",
            "%PDF-1.4\n%\u{fffd}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        ),
        ("model.safetensors", "x"),
    ]);
    let v = check(dir.path());
    let m = message(&v, "modelgate/unreadable-file");
    assert!(m.contains("is a PDF"), "{m}");
    // a licence file all the same
    assert!(findings(&v, "license/present").is_empty());
    let c = classify(dir.path());
    assert_eq!(
        licence_file(&c, "MODEL LICENSE.pdf")["covers"],
        serde_json::json!(["weights"])
    );
    assert_eq!(component(&c, "weights")["status"], "restricted");
}

#[test]
fn a_document_that_opens_as_licence_terms_is_a_licence_file() {
    let terms = "# Acme Model License Agreement\n\nAcme hereby grants you a licence to use the Model solely for non-commercial research purposes.\n";
    let dir = tree(&[
        ("README.md", CARD),
        ("docs/agreement.md", terms),
        (
            "docs/usage.md",
            "# Usage\n\nRun the model with the script.\n",
        ),
        ("model.safetensors", "x"),
    ]);
    let c = classify(dir.path());
    let f = licence_file(&c, "docs/agreement.md");
    assert_eq!(f["covers"], serde_json::json!(["weights"]));
    assert_eq!(f["terms"][0]["id"], "non-commercial");
    assert!(c["license_files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["path"] != "docs/usage.md"));
    assert_eq!(c["release_mode"], "open-weights-restricted");
}
