//! Running the real binary the way users do, with a fixed environment.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::Path;

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// The binary with colour off, a fixed width, and no CI or GitHub variables.
pub fn modelgate() -> Command {
    let mut c = Command::cargo_bin("modelgate").expect("the binary is built");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CI");
    for (k, _) in std::env::vars() {
        if k.starts_with("GITHUB_") {
            c.env_remove(k);
        }
    }
    c
}

pub fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = modelgate()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("modelgate runs");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The JSON document of `check --format json`.
pub fn json(args: &[&str]) -> (serde_json::Value, Run) {
    let r = run(args);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    });
    (v, r)
}

/// `rule path:line:column` for each diagnostic, the way tests compare them.
pub fn places(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}:{}",
                d["level"].as_str().unwrap_or("?"),
                d["rule"].as_str().unwrap_or("?"),
                d["path"].as_str().unwrap_or("<repository>"),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

/// A fixture's top-level files copied to a temporary folder, so that a test can edit them.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), tmp.path().join(e.file_name())).unwrap();
        }
    }
    tmp
}
