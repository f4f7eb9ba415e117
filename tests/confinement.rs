//! A repository is untrusted (a pull request from a fork): what it holds is read and written
//! only inside its root, as regular files, never through a link it holds. Each case is built at
//! test time in temporary folders, with a file outside the root that must stay untouched and
//! unprinted.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::Duration;

const SECRET: &str = "OUTSIDE_SECRET_VALUE_7f3a";

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = common::modelgate()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("modelgate runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn outside() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("target.txt");
    std::fs::write(&file, format!("[release]\nmode = \"open\"\n# {SECRET}\n")).unwrap();
    (dir, file)
}

#[test]
fn a_policy_file_that_links_out_of_the_root_is_a_bad_policy_and_is_not_printed() {
    let (_keep, target) = outside();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README.md"), "# M\n").unwrap();
    symlink(&target, repo.path().join("modelgate.toml")).unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let (stdout, stderr, code) = run(repo.path(), &["check", ".", "--format", format]);
        assert_eq!(code, 2, "{format}: {stderr}");
        assert!(stderr.contains("modelgate.toml"), "{stderr}");
        assert!(stderr.contains("outside the repository"), "{stderr}");
        assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
    }
}

#[test]
fn a_fifo_or_a_device_as_the_policy_does_not_hang() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README.md"), "# M\n").unwrap();
    let fifo = repo.path().join("modelgate.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (_, stderr, code) = run(repo.path(), &["check", "."]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("not a regular file"), "{stderr}");
        std::fs::remove_file(&fifo).unwrap();
    }
    // `--policy /dev/zero`: named by the user, still not read forever
    let (_, stderr, code) = run(repo.path(), &["check", ".", "--policy", "/dev/zero"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_rule_pack_outside_the_root_is_not_read() {
    let (_keep, target) = outside();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README.md"), "# M\n").unwrap();
    std::fs::write(
        repo.path().join("modelgate.toml"),
        format!(
            "packs = [\"{}\", \"/\"]\n[release]\nmode = \"open\"\n",
            target.display()
        ),
    )
    .unwrap();
    let (stdout, stderr, _) = run(repo.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let packs: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/invalid-rule-pack")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(packs.len(), 2, "{packs:?}");
    assert!(
        packs.iter().all(|m| m.contains("outside the repository")),
        "{packs:?}"
    );
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
}

#[test]
fn fix_writes_only_inside_the_root_and_never_through_a_link() {
    let (keep, target) = outside();
    let before = std::fs::read_to_string(&target).unwrap();
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    // a card whose front matter lacks `license:` over an MIT text (a certain fix), reached
    // through a link to a file outside the root
    let card = "---\nlanguage: en\n---\n# M\n";
    let outside_card = keep.path().join("card.md");
    std::fs::write(&outside_card, card).unwrap();
    symlink(&outside_card, root.join("README.md")).unwrap();
    std::fs::write(
        root.join("LICENSE"),
        modelgate::licenses::detect::reference_text("MIT").unwrap(),
    )
    .unwrap();
    // weights of 2 MiB outside Git LFS: a certain fix appends to .gitattributes
    std::fs::File::create(root.join("model.safetensors"))
        .unwrap()
        .set_len(2 << 20)
        .unwrap();
    // .gitattributes linking out: an append would copy the outside text in and write it back
    symlink(&target, root.join(".gitattributes")).unwrap();
    // planted links where temporary files of older versions went (their names held the pid
    // of the process, which follows this test's own closely)
    let me = std::process::id();
    for pid in me..me + 3000 {
        let _ = symlink(
            &target,
            root.join(format!(".gitattributes.modelgate-fix-{pid}.tmp")),
        );
    }
    let listing = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let outside_before = listing(keep.path());
    let (stdout, stderr, _) = run(root, &["check", ".", "--fix", "--format", "json"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&outside_card).unwrap(), card);
    assert_eq!(
        listing(keep.path()),
        outside_before,
        "no file created outside"
    );
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
    // the links are still links; nothing replaced them, and no file of the root holds what
    // the outside file says
    for link in ["README.md", ".gitattributes"] {
        assert!(std::fs::symlink_metadata(root.join(link))
            .unwrap()
            .file_type()
            .is_symlink());
    }
    for e in std::fs::read_dir(root).unwrap().flatten() {
        if e.file_type().unwrap().is_file() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            assert!(!text.contains(SECRET), "{:?}", e.path());
        }
    }
}

#[test]
fn names_with_line_breaks_and_escape_sequences_cannot_inject() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join("README.md"), "# M\n").unwrap();
    let token = ["ghp_", "Zq8rT2vX9kLm4NpQ7sWy1AbC3dEf5GhJ6kLm"].concat();
    for name in [
        "x\n::error file=evil::pwned.json",
        "e\u{1b}]0;title\u{7}\u{202e}.json",
    ] {
        std::fs::write(
            repo.path().join(name),
            format!("{{\"token\": \"{token}\"}}\n"),
        )
        .unwrap();
    }
    for format in ["human", "github"] {
        let (stdout, stderr, _) = run(repo.path(), &["check", ".", "--format", format]);
        for out in [&stdout, &stderr] {
            // no line starts a workflow command but modelgate's own, no escape or bidi control
            assert!(
                !out.lines().any(|l| l.starts_with("::error file=evil")),
                "{format}: {out}"
            );
            assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'));
        }
        assert!(stdout.contains("\\u{202e}"), "{format}: shown escaped");
        assert!(!stdout.contains(&token), "{format}: the token is masked");
    }
    // JSON keeps the real name
    let (stdout, _, _) = run(repo.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["path"] == "x\n::error file=evil::pwned.json"));
}
