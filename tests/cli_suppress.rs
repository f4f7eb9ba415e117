//! Inline suppressions and the findings about them.

mod common;
use common::{copy_fixture, modelgate, places};
use std::path::Path;

fn check(dir: &Path) -> serde_json::Value {
    let out = modelgate()
        .current_dir(dir)
        .args(["check", ".", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

fn edit(dir: &Path, file: &str, f: impl Fn(&str) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(&text)).unwrap();
}

fn has(v: &serde_json::Value, place: &str) -> bool {
    places(v).iter().any(|p| p == place)
}

#[test]
fn comments_suppress_a_section_a_line_a_key_and_a_file() {
    let tmp = copy_fixture("open-bad-card");
    let before = check(tmp.path());
    for p in [
        "error card/out-of-scope-use README.md:24:1",
        "warning card/hub-metadata README.md:9:15",
        "info card/citation README.md:42:1",
        "warning card/model-details README.md:14:1",
    ] {
        assert!(has(&before, p), "{p}: {:?}", places(&before));
    }
    edit(tmp.path(), "README.md", |t| {
        t.replace(
            "pipeline_tag: text-classifcation\n",
            "# modelgate-disable card/hub-metadata: the tag is in review with the Hub\npipeline_tag: text-classifcation\n",
        )
        .replace(
            "### Out-of-Scope Use\n",
            "<!-- modelgate-disable card/out-of-scope-use: the uses are in USE_POLICY.md -->\n\n### Out-of-Scope Use\n",
        )
        .replace(
            "## Model Details\n",
            "## Model Details <!-- modelgate-disable card/model-details: filled in at release -->\n",
        )
            + "\n<!-- modelgate-disable-file card/citation, card/environmental-impact: internal model -->\n"
    });
    let after = check(tmp.path());
    let rules: Vec<String> = places(&after);
    for gone in [
        "card/out-of-scope-use",
        "card/citation",
        "card/environmental-impact",
        "card/model-details",
    ] {
        assert!(!rules.iter().any(|p| p.contains(gone)), "{gone}: {rules:?}");
    }
    // only the pipeline tag's finding on that key: the other hub-metadata findings remain
    let hub: Vec<&String> = rules
        .iter()
        .filter(|p| p.contains("card/hub-metadata"))
        .collect();
    assert_eq!(
        hub.len(),
        before_count(&before, "card/hub-metadata") - 1,
        "{rules:?}"
    );
    assert!(!rules.iter().any(|p| p.contains("modelgate/")), "{rules:?}");
}

fn before_count(v: &serde_json::Value, rule: &str) -> usize {
    places(v).iter().filter(|p| p.contains(rule)).count()
}

#[test]
fn a_heading_suppression_covers_its_section_only() {
    let tmp = copy_fixture("open-bad-card");
    // a suppression above `## Uses` covers `### Out-of-Scope Use` inside it
    edit(tmp.path(), "README.md", |t| {
        t.replace(
            "## Uses\n",
            "<!-- modelgate-disable card/out-of-scope-use, card/model-details: reviewed -->\n## Uses\n",
        )
    });
    let v = check(tmp.path());
    let p = places(&v);
    assert!(
        !p.iter().any(|x| x.contains("card/out-of-scope-use")),
        "{p:?}"
    );
    // `## Model Details` is before the comment: still reported, and the comment's second id
    // suppressed nothing
    assert!(p.iter().any(|x| x.contains("card/model-details")), "{p:?}");
    let unused: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/unused-suppression")
        .collect();
    assert_eq!(unused.len(), 1, "{p:?}");
    assert_eq!(unused[0]["line"], 18);
    assert_eq!(unused[0]["level"], "warning");
    assert_eq!(unused[0]["family"], "tool");
    assert!(unused[0]["message"]
        .as_str()
        .unwrap()
        .contains("`card/model-details` suppresses nothing"));
}

#[test]
fn invalid_suppressions_are_reported_and_suppress_nothing() {
    let tmp = copy_fixture("open-bad-card");
    edit(tmp.path(), "README.md", |t| {
        t.replace(
            "### Out-of-Scope Use\n",
            "<!-- modelgate-disable card/out-of-scope-use -->\n### Out-of-Scope Use\n",
        ) + "<!-- modelgate-disable-file card/citaton: typo -->\n"
    });
    let v = check(tmp.path());
    let p = places(&v);
    assert!(
        p.iter().any(|x| x.contains("card/out-of-scope-use")),
        "{p:?}"
    );
    let invalid: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/invalid-suppression")
        .map(|d| format!("{}: {}", d["line"], d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(invalid.len(), 2, "{invalid:?}");
    assert!(
        invalid[0].starts_with("24: ") && invalid[0].contains("gives no reason"),
        "{invalid:?}"
    );
    assert!(
        invalid[1].contains("`card/citaton`, which is not a rule"),
        "{invalid:?}"
    );
}

#[test]
fn comments_in_code_blocks_are_examples() {
    let tmp = copy_fixture("open-bad-card");
    edit(tmp.path(), "README.md", |t| {
        format!(
            "{t}\n```markdown\n<!-- modelgate-disable-file card/citation: an example -->\n```\n"
        )
    });
    let v = check(tmp.path());
    assert!(
        has(&v, "info card/citation README.md:46:1"),
        "{:?}",
        places(&v)
    );
    assert!(!places(&v).iter().any(|p| p.contains("modelgate/")));
}

#[test]
fn an_unused_ignore_glob_is_reported_at_its_rule() {
    let tmp = copy_fixture("open-bad-card");
    std::fs::write(
        tmp.path().join("modelgate.toml"),
        "[release]\nmode = \"open\"\n\n[rules]\n\"card/evaluation\" = { level = \"error\", ignore = [\"docs/**\", \"README.md\"] }\n\"card/citation\" = { level = \"off\", ignore = [\"nowhere/**\"] }\n",
    )
    .unwrap();
    let v = check(tmp.path());
    let p = places(&v);
    // README.md hid card/evaluation; docs/** hid nothing; a rule that is off is not judged
    assert!(!p.iter().any(|x| x.contains("card/evaluation")), "{p:?}");
    let unused: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/unused-suppression")
        .collect();
    assert_eq!(unused.len(), 1, "{p:?}");
    assert_eq!(unused[0]["path"], "modelgate.toml");
    assert_eq!(unused[0]["line"], 5);
    assert!(unused[0]["message"]
        .as_str()
        .unwrap()
        .contains("`docs/**` of rule `card/evaluation` matches no finding"));
}

#[test]
fn the_policy_file_takes_hash_comments() {
    let tmp = copy_fixture("open-bad-card");
    std::fs::write(
        tmp.path().join("modelgate.toml"),
        "# modelgate-disable security/pickle-weights: nothing to suppress here\n[release]\nmode = \"open\"\n",
    )
    .unwrap();
    let v = check(tmp.path());
    assert!(
        has(
            &v,
            "warning modelgate/unused-suppression modelgate.toml:1:1"
        ),
        "{:?}",
        places(&v)
    );
}
