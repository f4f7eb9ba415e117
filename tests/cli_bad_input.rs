//! Hostile and broken inputs: each gives a finding that names the file and the cause, and the
//! run goes on. Nothing panics.

mod common;
use common::{json, places};

#[test]
fn committed_bad_inputs() {
    let (v, r) = json(&["check", "fixtures/bad-input", "--format", "json"]);
    assert_eq!(r.code, 1);
    let tool: Vec<String> = places(&v)
        .into_iter()
        .filter(|p| p.contains("modelgate/") || p.contains("card/front-matter"))
        .collect();
    insta::assert_snapshot!(tool.join("\n"));
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("alias bomb")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("nested too deeply")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("binary file")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("not valid UTF-8")),
        "{messages:?}"
    );
    // the rest of each card was still checked
    assert!(
        places(&v)
            .iter()
            .any(|p| p.starts_with("error card/intended-use latin1/MODEL_CARD.md")),
        "{:?}",
        places(&v)
    );
}

fn write(dir: &std::path::Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

#[test]
fn a_50_mb_card_is_read_in_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "# M\n\n## Intended Use\n\nSummaries of English news for editors who check them.\n\n",
    );
    let para = "Lorem text that goes on and on to make the card very large indeed.\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(para);
    }
    write(dir.path(), "README.md", text.as_bytes());
    let r = common::run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--mode", "closed"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap();
    let big = d
        .iter()
        .find(|d| d["rule"] == "modelgate/unreadable-file")
        .expect("the size is reported");
    assert_eq!(big["path"], "README.md");
    assert!(big["message"]
        .as_str()
        .unwrap()
        .contains("only its first 8 MiB were read"));
    assert!(
        !d.iter().any(|d| d["rule"] == "card/intended-use"),
        "the part read was checked"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_that_loop_or_leave_the_root() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret/MODEL_CARD.md", b"# outside\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", b"# M\n");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.md"), dir.path().join("broken.md"))
        .unwrap();
    let r = common::run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--mode", "closed"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let tool: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/unreadable-file")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        tool.iter()
            .any(|(p, m)| p == "loop" && m.contains("loops back")),
        "{tool:?}"
    );
    assert!(
        tool.iter()
            .any(|(p, m)| p == "escape" && m.contains("outside the repository")),
        "{tool:?}"
    );
    assert!(
        tool.iter()
            .any(|(p, m)| p == "broken.md" && m.contains("broken symbolic link")),
        "{tool:?}"
    );
    // nothing from outside the root was read
    assert!(!r.stdout.contains("secret/MODEL_CARD.md"));
}

#[cfg(unix)]
#[test]
fn an_unreadable_card() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", b"# M\n");
    write(dir.path(), "sub/MODEL_CARD.md", b"# sub\n");
    let p = dir.path().join("sub/MODEL_CARD.md");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions do not stop reads
    }
    let r = common::run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--mode", "closed"],
    );
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["rule"] == "modelgate/unreadable-file" && d["path"] == "sub/MODEL_CARD.md"));
}

#[test]
fn empty_card_and_empty_repository() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", b"");
    let r = common::run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--mode", "open"],
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        places(&v).contains(&"error card/intended-use README.md:1:1".to_string()),
        "{:?}",
        places(&v)
    );
    let empty = tempfile::tempdir().unwrap();
    let r = common::run_in(empty.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        places(&v).contains(&"error card/present <repository>:null:null".to_string()),
        "{:?}",
        places(&v)
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_internal_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_modelgate"))
        .args(["explain", "card/license-metadata"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // close the pipe before modelgate writes to it
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("internal error"), "{err}");
}
