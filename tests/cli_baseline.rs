//! `--write-baseline` and `--baseline`: old findings hidden, new ones shown, stable across
//! unrelated edits.

mod common;
use common::{copy_fixture, modelgate, Run};
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = modelgate().current_dir(dir).args(args).output().unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn diagnostics(r: &Run) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    common::places(&v)
}

fn edit(dir: &Path, file: &str, f: impl Fn(&str) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, f(&text)).unwrap();
}

#[test]
fn a_baseline_hides_old_findings_and_shows_new_ones() {
    let repo = copy_fixture("open-bad-card");
    let base = tempfile::tempdir().unwrap();
    let file = base.path().join("baseline.json");
    let file_s = file.to_str().unwrap();

    let w = run(
        repo.path(),
        &["check", ".", "--format", "json", "--write-baseline", file_s],
    );
    assert_eq!(w.code, 1, "it still reports and fails as usual");
    let recorded = diagnostics(&w).len();
    assert!(recorded > 5);
    assert!(
        w.stderr.contains(&format!("recorded {recorded} findings")),
        "{}",
        w.stderr
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(doc["schema"], 1);
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), recorded);
    assert!(entries[0]["fingerprint"].as_str().unwrap().len() == 16);

    let r = run(
        repo.path(),
        &["check", ".", "--format", "json", "--baseline", file_s],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(diagnostics(&r), Vec::<String>::new());
    assert!(r
        .stderr
        .contains(&format!("{recorded} findings in the baseline not shown")));

    // lines inserted above every finding, and a heading moved down: still nothing new
    edit(repo.path(), "README.md", |t| {
        t.replace(
            "# acme/sentiment-draft\n",
            "# acme/sentiment-draft\n\nA sentiment classifier.\n\nIt is   a draft.\n\n\n",
        )
    });
    let r = run(
        repo.path(),
        &["check", ".", "--format", "json", "--baseline", file_s],
    );
    assert_eq!(diagnostics(&r), Vec::<String>::new(), "{}", r.stderr);

    // a new problem is shown, and only it
    edit(repo.path(), "README.md", |t| {
        t.replace("- English\n", "- English\n- Klingon\n")
    });
    let r = run(
        repo.path(),
        &["check", ".", "--format", "json", "--baseline", file_s],
    );
    assert_eq!(
        diagnostics(&r),
        ["warning card/metadata-language README.md:6:3"],
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 0, "a warning does not fail by default");
    let r = run(
        repo.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--baseline",
            file_s,
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(r.code, 1);
}

#[test]
fn a_second_occurrence_of_the_same_text_is_new() {
    let repo = copy_fixture("open-bad-card");
    let file = repo.path().join("baseline.json");
    let file_s = file.to_str().unwrap();
    run(repo.path(), &["check", ".", "--write-baseline", file_s]);
    // the same bad language name again: same rule, path and text, the next occurrence
    edit(repo.path(), "README.md", |t| {
        t.replace("- English\n", "- English\n- English\n")
    });
    let r = run(
        repo.path(),
        &["check", ".", "--format", "json", "--baseline", file_s],
    );
    assert_eq!(
        diagnostics(&r),
        ["warning card/metadata-language README.md:6:3"],
        "{}",
        r.stderr
    );
}

#[test]
fn bad_baselines_stop_the_run_naming_the_file() {
    let repo = copy_fixture("open-good");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let r = run(
        repo.path(),
        &["check", ".", "--baseline", missing.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read the baseline"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nope.json"), "{}", r.stderr);

    for (name, text) in [
        ("garbage.json", "not json"),
        ("shape.json", "{\"findings\": 3}"),
        ("future.json", "{\"schema\": 99, \"findings\": []}"),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let r = run(
            repo.path(),
            &["check", ".", "--baseline", f.to_str().unwrap()],
        );
        assert_eq!(r.code, 2, "{name}");
        assert!(r.stderr.contains(name), "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}
