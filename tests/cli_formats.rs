//! `--format sarif` and `--format github`: structure, escaping, the step summary.

mod common;
use common::{modelgate, run};
use serde_json::Value;
use std::path::Path;

fn sarif(args: &[&str]) -> Value {
    let r = run(args);
    assert!(r.code <= 1, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

#[test]
fn sarif_has_rules_results_locations_and_fingerprints() {
    let v = sarif(&["check", "fixtures/open-bad-card", "--format", "sarif"]);
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run0 = &v["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "modelgate");
    let rules = driver["rules"].as_array().unwrap();
    let r = rules
        .iter()
        .find(|r| r["id"] == "card/limitations")
        .expect("card/limitations is described");
    assert_eq!(r["name"], "limitations");
    assert_eq!(
        r["helpUri"],
        "https://github.com/modelgate/modelgate/blob/main/docs/rules/card/limitations.md"
    );
    assert_eq!(r["defaultConfiguration"]["level"], "error");
    assert_eq!(r["properties"]["family"], "transparency");
    assert_eq!(r["properties"]["tags"][0], "transparency");
    for key in ["shortDescription", "fullDescription"] {
        assert!(!r[key]["text"].as_str().unwrap().is_empty(), "{key}");
    }
    assert!(r["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("**How to fix:**"));
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("fixtures/open-bad-card/"));
        assert_eq!(
            res["partialFingerprints"]["modelgate/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
    }
    // the out-of-scope heading, exactly
    let oos = results
        .iter()
        .find(|r| r["ruleId"] == "card/out-of-scope-use")
        .unwrap();
    let region = &oos["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (&24.into(), &1.into(), &24.into(), &21.into())
    );
    // fingerprints are unique
    let mut fps: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["modelgate/v1"].as_str().unwrap())
        .collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), results.len());
}

#[test]
fn sarif_results_snapshot() {
    let v = sarif(&["check", "fixtures/open-bad-card", "--format", "sarif"]);
    // the results, and the descriptor of one rule (the full rule list changes with every rule)
    let one = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "card/out-of-scope-use")
        .cloned()
        .unwrap();
    let shown = serde_json::json!({
        "rule": one,
        "results": v["runs"][0]["results"],
    });
    insta::assert_snapshot!(serde_json::to_string_pretty(&shown).unwrap());
}

#[test]
fn repository_findings_are_located_at_the_policy_file_or_the_root() {
    let v = sarif(&["check", "fixtures/hybrid-bad-protect", "--format", "sarif"]);
    let results = v["runs"][0]["results"].as_array().unwrap();
    let repo = results
        .iter()
        .find(|r| r["ruleId"] == "community/code-of-conduct")
        .unwrap();
    let loc = &repo["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/hybrid-bad-protect/modelgate.toml"
    );
    assert!(loc.get("region").is_none());
    // no policy file and no card: the repository's folder
    let tmp = tempfile::tempdir().unwrap();
    let repo_dir = tmp.path().join("repo");
    std::fs::create_dir(&repo_dir).unwrap();
    std::fs::write(repo_dir.join("notes.txt"), "notes\n").unwrap();
    let r = common::run_in(tmp.path(), &["check", "repo", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let repo = results
        .iter()
        .find(|r| r["ruleId"] == "license/present")
        .unwrap();
    assert_eq!(
        repo["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "repo"
    );
}

#[test]
fn github_annotations_locate_each_finding() {
    let r = run(&["check", "fixtures/open-bad-card", "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(
        "::error file=fixtures/open-bad-card/README.md,line=24,col=1,endLine=24,endColumn=21,title=card/out-of-scope-use::the model card does not say what the model must not be used for"
    ), "{}", r.stdout);
    assert!(r.stdout.contains("::warning file="));
    assert!(r.stdout.contains("::notice file="));
    // repository-level findings name the policy file
    let r = run(&["check", "fixtures/hybrid-bad-protect", "--format", "github"]);
    assert!(
        r.stdout.contains(
            "file=fixtures/hybrid-bad-protect/modelgate.toml,title=community/code-of-conduct::"
        ),
        "{}",
        r.stdout
    );
}

/// A repository whose own rule has a message with `%`, `:`, `,` and a line break, and a
/// policy file whose name holds `,` and `:`.
fn odd_repository(dir: &Path) {
    std::fs::write(dir.join("README.md"), "# M\n").unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        r#"[[rule]]
id = "acme/odd"
family = "transparency"
modes = ["open", "hybrid", "closed"]
level = "error"
scope = "repository"
guidance = ["G6"]
summary = "an odd message"
message = "100% sure: a, b | c\nsecond line"
help = "no help: really, none"
check = { file = { glob = ["OWNERS"] } }
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("p,o:l.toml"),
        "packs = [\"pack.toml\"]\n[release]\nmode = \"open\"\n",
    )
    .unwrap();
}

#[test]
fn github_escapes_data_and_properties() {
    let tmp = tempfile::tempdir().unwrap();
    odd_repository(tmp.path());
    let out = modelgate()
        .current_dir(tmp.path())
        .args(["check", ".", "--policy", "p,o:l.toml", "--format", "github"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.contains("title=acme/odd"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        line,
        "::error file=p%2Co%3Al.toml,title=acme/odd::100%25 sure: a, b | c%0Asecond line%0Ano help: really, none"
    );
}

#[test]
fn step_summary_holds_every_finding_and_only_with_github_format() {
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = modelgate()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "fixtures/open-bad-card", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n### modelgate: "), "{text}");
    assert!(text.contains("| Rule | Level | Location | Message |"));
    let (v, _) = common::json(&["check", "fixtures/open-bad-card", "--format", "json"]);
    let diags = v["diagnostics"].as_array().unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), diags.len(), "{text}");
    for d in diags {
        let place = format!(
            "`fixtures/open-bad-card/{}:{}:{}`",
            d["path"].as_str().unwrap(),
            d["line"],
            d["column"]
        );
        assert!(
            rows.iter().any(|r| r.contains(d["rule"].as_str().unwrap())
                && r.contains(&place)
                && r.contains(d["message"].as_str().unwrap())),
            "{place}\n{text}"
        );
    }
    insta::assert_snapshot!(text.replace(&*tmp.path().to_string_lossy(), "[TMP]"));

    // other formats leave it alone
    let before = std::fs::read_to_string(&summary).unwrap();
    modelgate()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "fixtures/open-bad-card", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), before);
}

#[test]
fn summary_cells_escape_pipes_and_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    odd_repository(tmp.path());
    let summary = tmp.path().join("summary.md");
    modelgate()
        .current_dir(tmp.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", ".", "--policy", "p,o:l.toml", "--format", "github"])
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.contains(
            "| `acme/odd` | error | `(repository)` | 100% sure: a, b \\| c<br>second line |"
        ),
        "{text}"
    );
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("data dir")).unwrap();
    std::fs::write(tmp.path().join("README.md"), "# M\n").unwrap();
    let token = ["ghp_", "Zq8rT2vX9kLm4NpQ7sWy1AbC3dEf5GhJ6kLm"].concat();
    std::fs::write(
        tmp.path().join("data dir/a b#1 %.json"),
        format!("{{\"token\": \"{token}\"}}\n"),
    )
    .unwrap();
    let r = common::run_in(tmp.path(), &["check", ".", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"data%20dir/a%20b%231%20%25.json"),
        "{uris:?}"
    );
}
