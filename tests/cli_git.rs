//! Git-aware modes on real temporary repositories built with the git binary: the work tree as
//! git publishes it, LFS pointers, `--staged`, `--diff-base`, `--history`, and the same flags
//! outside git.

mod common;
use common::{places, run_in};
use std::path::Path;
use std::process::Command;

const CLOSED: &str = "[release]\nmode = \"closed\"\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, data).unwrap();
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (serde_json::Value, common::Run) {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let r = run_in(dir, &args);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", r.stdout, r.stderr));
    (v, r)
}

fn with_rule<'a>(v: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

fn paths_of(v: &serde_json::Value, rule: &str) -> Vec<String> {
    with_rule(v, rule)
        .iter()
        .map(|d| d["path"].as_str().unwrap_or("<repository>").to_string())
        .collect()
}

#[test]
fn tracked_and_untracked_files_count_ignored_ones_do_not() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, ".gitignore", b"out/\n*.pt\n");
    write(d, "README.md", b"# M\n\nAvailable through our API.\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "start"]);
    // ignored: never published
    write(d, "out/model.safetensors", &[0u8; 64]);
    write(d, "debug.pt", &[0u8; 64]);
    // untracked but not ignored: `git add .` publishes it
    write(d, "train.py", b"print('secret sauce')\n");
    // tracked inside an ignored folder: published all the same
    write(d, "vendor/keep.py", b"print(1)\n");
    write(d, ".gitignore", b"out/\n*.pt\nvendor/\n");
    git(d, &["add", "-f", "vendor/keep.py", ".gitignore"]);
    let (v, _) = check(d, &[]);
    assert_eq!(v["summary"]["files"], 5, "{v:#}");
    let present = paths_of(&v, "protect/closed-component-present");
    assert!(present.contains(&"train.py".to_string()), "{present:?}");
    assert!(
        present.contains(&"vendor/keep.py".to_string()),
        "{present:?}"
    );
    assert!(paths_of(&v, "protect/closed-weights").is_empty(), "{v:#}");

    // PATH inside the work tree: paths stay relative to PATH
    write(d, "models/m/README.md", b"# Sub\n");
    write(d, "models/m/modelgate.toml", CLOSED.as_bytes());
    write(d, "models/m/model.safetensors", &[0u8; 64]);
    write(d, "models/m/out/skip.safetensors", &[0u8; 64]);
    let r = run_in(d, &["check", "models/m", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        paths_of(&v, "protect/closed-weights"),
        vec!["model.safetensors"]
    );
    assert_eq!(v["summary"]["files"], 3);
}

#[test]
fn policy_exclude_is_honoured_in_git_mode() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "modelgate.toml",
        format!("exclude = [\"third_party\"]\n{CLOSED}").as_bytes(),
    );
    write(d, "README.md", b"# M\n");
    write(d, "third_party/lib/x.py", b"print(1)\n");
    write(d, "third_party/y.py", b"print(1)\n");
    git(d, &["add", "-A"]);
    let (v, _) = check(d, &[]);
    assert!(paths_of(&v, "protect/closed-component-present").is_empty());
    let (v, _) = check(d, &["--staged"]);
    assert!(paths_of(&v, "protect/closed-component-present").is_empty());
}

const POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4831838208\n";

#[test]
fn lfs_pointers_count_as_the_weights_they_stand_for() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, "README.md", b"# M\n");
    write(d, "model.safetensors", POINTER.as_bytes());
    git(d, &["add", "-A"]);
    let (v, _) = check(d, &[]);
    assert_eq!(
        paths_of(&v, "protect/closed-weights"),
        ["model.safetensors"]
    );
    // a pointer is in LFS already
    assert!(paths_of(&v, "protect/weights-lfs").is_empty());
}

#[test]
fn weights_outside_lfs_are_reported_and_fixed() {
    let dir = repo();
    let d = dir.path();
    write(d, "README.md", b"# M\n");
    write(d, ".gitattributes", b"*.txt text\n");
    write(d, "ckpt/model.bin", &[0u8; 64]);
    write(d, "model.safetensors", &vec![0u8; 2 << 20]);
    git(d, &["add", "-A"]);
    let (v, _) = check(d, &["--mode", "open"]);
    let mut lfs = paths_of(&v, "protect/weights-lfs");
    lfs.sort();
    assert_eq!(lfs, ["ckpt/model.bin", "model.safetensors"]);
    let d0 = with_rule(&v, "protect/weights-lfs")[0];
    assert_eq!(d0["level"], "warning");
    assert!(
        d0["help"].as_str().unwrap().contains("filter=lfs"),
        "{d0:#}"
    );
    let r = run_in(d, &["check", ".", "--mode", "open", "--fix"]);
    assert!(r.stderr.contains("fixed 1 file"), "{}", r.stderr);
    let attrs = std::fs::read_to_string(d.join(".gitattributes")).unwrap();
    assert_eq!(
        attrs,
        "*.txt text\n*.bin filter=lfs diff=lfs merge=lfs -text\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
    );
    let (v, _) = check(d, &["--mode", "open"]);
    assert!(paths_of(&v, "protect/weights-lfs").is_empty(), "{v:#}");
}

#[test]
fn staged_lints_the_index_not_the_work_tree() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, "README.md", b"# M\n\nAvailable through our API.\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "start"]);
    // the work tree links to the weights; the index does not
    write(
        d,
        "README.md",
        b"# M\n\nDownload https://cdn.example.invalid/m/model.safetensors\n",
    );
    let (v, _) = check(d, &[]);
    assert_eq!(paths_of(&v, "protect/closed-weights"), ["README.md"]);
    let (v, _) = check(d, &["--staged"]);
    assert!(paths_of(&v, "protect/closed-weights").is_empty(), "{v:#}");

    // staged but deleted from the work tree: the commit still holds it
    write(d, "train.py", b"print(1)\n");
    git(d, &["add", "train.py"]);
    std::fs::remove_file(d.join("train.py")).unwrap();
    let (v, r) = check(d, &["--staged"]);
    assert_eq!(
        paths_of(&v, "protect/closed-component-present"),
        ["train.py"]
    );
    assert_eq!(r.code, 1);
    let (v, _) = check(d, &[]);
    assert!(paths_of(&v, "protect/closed-component-present").is_empty());

    // the staged policy decides, not the one on disk
    write(d, "modelgate.toml", b"[release]\nmode = \"open\"\n");
    let (v, _) = check(d, &["--staged"]);
    assert_eq!(v["policy"]["mode"], "closed");
    let (v, _) = check(d, &[]);
    assert_eq!(v["policy"]["mode"], "open");
}

#[test]
fn staged_honours_git_index_file() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, "README.md", b"# M\n");
    git(d, &["add", "-A"]);
    // another index, as `git commit -a` and pre-commit use
    let alt = d.join(".git").join("alt-index");
    std::fs::copy(d.join(".git").join("index"), &alt).unwrap();
    write(d, "train.py", b"print(1)\n");
    let out = Command::new("git")
        .current_dir(d)
        .env("GIT_INDEX_FILE", &alt)
        .args(["add", "train.py"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::remove_file(d.join("train.py")).unwrap();
    let (v, _) = check(d, &["--staged"]);
    assert!(paths_of(&v, "protect/closed-component-present").is_empty());
    let out = common::modelgate()
        .current_dir(d)
        .env("GIT_INDEX_FILE", &alt)
        .args(["check", ".", "--staged", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        paths_of(&v, "protect/closed-component-present"),
        ["train.py"]
    );
}

#[test]
fn diff_base_keeps_new_and_repository_findings_only() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, "train.py", b"print('old')\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["checkout", "-qb", "feature"]);
    write(d, "serve.py", b"print('new')\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "feature"]);
    write(d, "untracked_tool.py", b"print('newer')\n");

    let (all, _) = check(d, &[]);
    let present = paths_of(&all, "protect/closed-component-present");
    assert!(present.contains(&"train.py".to_string()), "{present:?}");
    let repo_level = places(&all)
        .into_iter()
        .filter(|p| p.contains("<repository>"))
        .collect::<Vec<_>>();
    assert!(!repo_level.is_empty(), "{all:#}");

    let (v, r) = check(d, &["--diff-base", "main"]);
    assert_eq!(r.code, 1);
    let mut present = paths_of(&v, "protect/closed-component-present");
    present.sort();
    assert_eq!(present, ["serve.py", "untracked_tool.py"]);
    let kept: Vec<String> = places(&v)
        .into_iter()
        .filter(|p| p.contains("<repository>"))
        .collect();
    assert_eq!(kept, repo_level);
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["path"].is_null()
            || d["path"] == "serve.py"
            || d["path"] == "untracked_tool.py"));

    // staged: the untracked file is not in the index
    let (v, _) = check(d, &["--diff-base", "main", "--staged"]);
    assert_eq!(
        paths_of(&v, "protect/closed-component-present"),
        ["serve.py"]
    );

    let r = run_in(d, &["check", ".", "--diff-base", "no-such-branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-branch"), "{}", r.stderr);
}

#[test]
fn history_finds_weights_deleted_from_head() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", CLOSED.as_bytes());
    write(d, "README.md", b"# M\n\nAvailable through our API.\n");
    write(d, "weights/model.safetensors", &[0u8; 64]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "oops"]);
    let first = git(d, &["rev-parse", "HEAD"]);
    git(d, &["rm", "-q", "weights/model.safetensors"]);
    git(d, &["commit", "-qm", "remove the weights"]);
    write(d, "notes.md", b"# Notes\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "more"]);

    let (v, _) = check(d, &[]);
    assert!(with_rule(&v, "protect/history-closed").is_empty());
    assert!(paths_of(&v, "protect/closed-weights").is_empty());

    let (v, r) = check(d, &["--history"]);
    assert_eq!(r.code, 1);
    let h = with_rule(&v, "protect/history-closed");
    assert_eq!(h.len(), 1, "{v:#}");
    assert_eq!(h[0]["path"], "weights/model.safetensors");
    assert_eq!(h[0]["commit"], first.as_str());
    assert_eq!(h[0]["level"], "error");
    // current findings are still there, without a commit
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] != "protect/history-closed")
        .all(|d| d.get("commit").is_none_or(|c| c.is_null())));

    let r = run_in(d, &["check", ".", "--history"]);
    assert!(
        r.stdout.contains("weights/model.safetensors"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&first[..12]), "{}", r.stdout);
}

#[test]
fn git_flags_outside_git_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", b"# M\n");
    for flags in [
        vec!["--staged"],
        vec!["--diff-base", "main"],
        vec!["--history"],
    ] {
        let mut args = vec!["check", "."];
        args.extend_from_slice(&flags);
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{flags:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("not inside a git work tree") && r.stderr.contains(flags[0]),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"));
    }
    // without them the folder is checked as it is
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_ne!(r.code, 2);
}

#[test]
fn history_finds_a_secret_deleted_from_head_masked() {
    let dir = repo();
    let d = dir.path();
    write(d, "modelgate.toml", b"[release]\nmode = \"open\"\n");
    write(d, "README.md", b"# M\n");
    // built from pieces at run time: no token is ever committed to this repository
    let body: String = (0..36u32)
        .map(|i| char::from(b"a8Kd93LmQp2Zx7Vb4Nc6Rt1Yh5Jw0Ue3So9PfG"[((i * 7 + 3) % 38) as usize]))
        .collect();
    let token = format!("{}{}", "ghp_", body);
    write(
        d,
        "config.json",
        format!("{{\"token\": \"{token}\"}}\n").as_bytes(),
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "config"]);
    let first = git(d, &["rev-parse", "HEAD"]);
    git(d, &["rm", "-q", "config.json"]);
    git(d, &["commit", "-qm", "remove the token"]);

    let (v, _) = check(d, &[]);
    assert!(with_rule(&v, "security/history-secret").is_empty());

    let (v, r) = check(d, &["--history"]);
    assert_eq!(r.code, 1, "{v:#}");
    let h = with_rule(&v, "security/history-secret");
    assert_eq!(h.len(), 1, "{v:#}");
    assert_eq!(h[0]["path"], "config.json");
    assert_eq!(h[0]["commit"], first.as_str());
    assert_eq!(h[0]["line"], 1);
    assert!(h[0]["message"].as_str().unwrap().contains("a GitHub token"));
    for format in ["human", "json", "sarif", "github"] {
        let r = run_in(d, &["check", ".", "--history", "--format", format]);
        assert!(!r.stdout.contains(&token), "{format} prints the token");
        assert!(
            !r.stdout.contains(&body[..20]),
            "{format} prints most of the token"
        );
    }
}

#[test]
fn history_tells_a_move_from_a_leak() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "modelgate.toml",
        b"[release]\nmode = \"hybrid\"\n\n[components]\nweights = { status = \"closed\", paths = [\"weights/**\"] }\n",
    );
    write(d, "README.md", b"# M\n");
    write(d, "weights/kept.safetensors", b"the same bytes, moved");
    write(d, "weights/edited.safetensors", b"moved, then edited");
    write(
        d,
        "weights/leaked.safetensors",
        b"deleted, still in history",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "first"]);
    // two moves out of the closed folder, one deletion
    std::fs::create_dir_all(d.join("public")).unwrap();
    git(
        d,
        &["mv", "weights/kept.safetensors", "public/kept.safetensors"],
    );
    git(
        d,
        &[
            "mv",
            "weights/edited.safetensors",
            "public/edited.safetensors",
        ],
    );
    git(d, &["rm", "-q", "weights/leaked.safetensors"]);
    git(d, &["commit", "-qm", "reorganise"]);
    write(d, "public/edited.safetensors", b"edited after the move");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "edit"]);

    let (v, _) = check(d, &["--history"]);
    assert_eq!(
        paths_of(&v, "protect/history-closed"),
        ["weights/leaked.safetensors"],
        "{v:#}"
    );
}

#[test]
fn history_in_an_open_release_reports_no_closed_component() {
    let dir = repo();
    let d = dir.path();
    // an open release, inferred (no policy): nothing is declared closed
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/classify-open");
    for e in std::fs::read_dir(&fixture).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), d.join(e.file_name())).unwrap();
    }
    write(d, "data/tokenizer.json", b"{\"vocab\": {}}");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "first"]);
    git(d, &["rm", "-q", "data/tokenizer.json"]);
    git(d, &["commit", "-qm", "drop"]);
    let (v, _) = check(d, &["--history"]);
    assert_eq!(v["policy"]["mode"], "open", "{v:#}");
    assert!(with_rule(&v, "protect/history-closed").is_empty(), "{v:#}");
}

#[test]
fn tracked_files_missing_from_the_work_tree_are_said_once() {
    let dir = repo();
    write(dir.path(), "README.md", b"# M\n");
    write(dir.path(), "data/a.jsonl", b"{\"a\": 1}\n");
    write(dir.path(), "data/b.jsonl", b"{\"b\": 1}\n");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    std::fs::remove_file(dir.path().join("data/a.jsonl")).unwrap();
    std::fs::remove_file(dir.path().join("data/b.jsonl")).unwrap();
    let (v, _) = check(dir.path(), &[]);
    let said: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("not in the work tree")
        })
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0]["level"], "info");
    let m = said[0]["message"].as_str().unwrap();
    assert!(
        m.contains("2 tracked files") && m.contains("`data/a.jsonl`"),
        "{m}"
    );
}

#[test]
fn history_on_a_shallow_clone_says_how_far_it_could_see() {
    let src = repo();
    for i in 0..3 {
        write(src.path(), &format!("f{i}.txt"), b"x\n");
        write(src.path(), "README.md", b"# M\n");
        git(src.path(), &["add", "-A"]);
        git(src.path(), &["commit", "-qm", &format!("c{i}")]);
    }
    let (full, _) = check(src.path(), &["--history"]);
    let rules = |v: &serde_json::Value| -> Vec<String> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!rules(&full).contains(&"modelgate/history-incomplete".to_string()));
    let parent = tempfile::tempdir().unwrap();
    let url = format!("file://{}", src.path().display());
    git(
        parent.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let (v, _) = check(&parent.path().join("shallow"), &["--history"]);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "modelgate/history-incomplete")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(d["level"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("shallow: only 1 commit"),
        "{d}"
    );
}
