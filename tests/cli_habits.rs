//! Habits users expect of a linter: `--quiet`, `--color`, a run from a subfolder, extra report
//! files from one run, shell completions and man pages.

mod common;
use common::{modelgate, places, run, run_in};
use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .status()
        .expect("git runs")
        .success();
    assert!(ok, "git {args:?}");
}

fn json_in(dir: &Path, args: &[&str]) -> (serde_json::Value, common::Run) {
    let r = run_in(dir, args);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    (v, r)
}

#[test]
fn quiet_keeps_the_report_and_drops_the_notes() {
    // no policy: a note says which mode was inferred
    let loud = run(&["check", "fixtures/classify-open"]);
    assert!(loud.stderr.contains("inferred"), "{}", loud.stderr);
    let quiet = run(&["check", "fixtures/classify-open", "--quiet"]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, loud.stdout);
    assert_eq!(quiet.code, loud.code);
    // an error that stops the run is still said
    let missing = run(&["check", "fixtures/no-such-fixture", "-q"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
}

fn has_escape(s: &str) -> bool {
    s.contains('\u{1b}')
}

#[test]
fn color_follows_the_flag_then_the_environment() {
    let args = ["check", "fixtures/open-bad-card"];
    let with = |extra: &[&str], set: &[(&str, &str)]| {
        let mut c = modelgate();
        c.env_remove("NO_COLOR")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in set {
            c.env(k, v);
        }
        let out = c.args(args).args(extra).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // a pipe: no colour unless forced
    assert!(!has_escape(&with(&[], &[])));
    assert!(has_escape(&with(&[], &[("FORCE_COLOR", "1")])));
    assert!(has_escape(&with(&[], &[("CLICOLOR_FORCE", "1")])));
    // NO_COLOR wins over FORCE_COLOR; the flag wins over both
    assert!(!has_escape(&with(
        &[],
        &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]
    )));
    assert!(!has_escape(&with(
        &["--color", "never"],
        &[("FORCE_COLOR", "1")]
    )));
    assert!(has_escape(&with(
        &["--color", "always"],
        &[("NO_COLOR", "1")]
    )));
    // the text is the same either way
    let plain = with(&["--color", "never"], &[]);
    assert!(plain.contains("card/citation"), "{plain}");
}

#[test]
fn a_subfolder_of_a_git_work_tree_is_checked_from_the_top() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join("repo");
    copy_tree(&fixture("multi-model"), &top);
    git(&top, &["init", "-q"]);
    git(&top, &["add", "-A"]);
    git(&top, &["commit", "-qm", "a release"]);
    let sub = top.join("models").join("chat");
    assert!(sub.is_dir(), "the fixture has models/chat");

    let (from_top, r) = json_in(&top, &["check", "--format", "json"]);
    assert_eq!(r.stderr, "", "a run from the top says nothing more");
    let (from_sub, r) = json_in(&sub, &["check", "--format", "json"]);
    assert_eq!(places(&from_sub), places(&from_top));
    assert_eq!(from_sub["policy"], from_top["policy"]);
    assert_eq!(from_sub["root"], "../..");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("checking the whole repository"),
        "{}",
        r.stderr
    );
    assert!(!places(&from_top).is_empty());
    // PATH named from the top, the same
    let (named, _) = json_in(&top, &["check", "models/chat", "--format", "json"]);
    assert_eq!(places(&named), places(&from_top));
    assert_eq!(named["root"], ".");
    // --quiet drops the line
    let r = run_in(&sub, &["check", "--format", "json", "-q"]);
    assert_eq!(r.stderr, "");
}

#[test]
fn outside_git_a_subfolder_is_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().join("plain");
    copy_tree(&fixture("multi-model"), &top);
    let sub = top.join("models").join("chat");
    let (from_sub, r) = json_in(&sub, &["check", "--format", "json"]);
    assert_eq!(from_sub["root"], ".");
    assert_eq!(from_sub["policy"]["file"], serde_json::Value::Null);
    assert!(!r.stderr.contains("checking the whole repository"));
}

#[test]
fn extra_reports_come_from_the_same_run() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("r.json");
    let sarif = tmp.path().join("r.sarif");
    let r = run(&[
        "check",
        "fixtures/open-bad-card",
        "--format",
        "github",
        "--output-format",
        &format!("json={}", json.display()),
        "--output-format",
        &format!("sarif={}", sarif.display()),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("::"), "{}", r.stdout);
    let direct = run(&["check", "fixtures/open-bad-card", "--format", "json"]);
    assert_eq!(std::fs::read_to_string(&json).unwrap(), direct.stdout);
    let direct = run(&["check", "fixtures/open-bad-card", "--format", "sarif"]);
    assert_eq!(std::fs::read_to_string(&sarif).unwrap(), direct.stdout);

    let bad = run(&["check", "fixtures/open-good", "--output-format", "sarif"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("FORMAT=FILE"), "{}", bad.stderr);
    let unwritable = run(&[
        "check",
        "fixtures/open-good",
        "--output-format",
        "json=fixtures/no-such-folder/r.json",
    ]);
    assert_eq!(unwritable.code, 2);
    assert!(
        unwritable.stderr.contains("fixtures/no-such-folder/r.json"),
        "{}",
        unwritable.stderr
    );
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_modelgate()"),
        ("zsh", "#compdef modelgate"),
        ("fish", "complete -c modelgate"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[modelgate]"),
    ] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains(marker), "{shell}: {}", r.stdout);
        assert!(r.stdout.contains("output-format"), "{shell}");
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn generated_man_pages_and_completions_are_current() {
    let r = run(&["cli-docs", "docs"]);
    assert_eq!(
        r.code, 0,
        "run `cargo run -- cli-docs --write docs`\n{}",
        r.stderr
    );
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man/modelgate-check.1"),
    )
    .unwrap();
    assert!(page.contains("\\-\\-output\\-format"), "{page}");
}
