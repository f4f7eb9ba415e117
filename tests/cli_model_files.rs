//! `check` on a repository holding hostile and broken model files: each gives a finding at its
//! file with the byte offset, in every output format, and the run goes on.

mod common;

use std::fs;

#[test]
fn hostile_and_broken_weights_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("README.md"), "# M\n").unwrap();
    fs::write(
        root.join("pytorch_model.bin"),
        b"\x80\x02cos\nsystem\nU\x02ls\x85R.",
    )
    .unwrap();
    fs::write(
        root.join("training_args.bin"),
        b"\x80\x02cargparse\nNamespace\n)R.",
    )
    .unwrap();
    fs::write(root.join("broken.pt"), b"\x80\x02cos\n").unwrap();
    // a binary that is not a pickle, and an LFS pointer: nothing to say
    fs::write(root.join("tokenizer.bin"), [0u8, 1, 2, 3]).unwrap();
    fs::write(
        root.join("big.safetensors"),
        b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n",
    )
    .unwrap();
    let r = common::run_in(root, &["check", ".", "--mode", "open", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mine: Vec<(String, String, String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            matches!(
                d["rule"].as_str(),
                Some(
                    "security/pickle-code"
                        | "security/pickle-unknown-import"
                        | "security/malformed-weights"
                )
            )
        })
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["level"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        mine,
        vec![
            (
                "security/malformed-weights".into(),
                "warning".into(),
                "broken.pt".into(),
                "`broken.pt` cannot be inspected at byte 2: truncated: the pickle ends at byte 6 without a STOP".into()
            ),
            (
                "security/pickle-code".into(),
                "error".into(),
                "pytorch_model.bin".into(),
                "`pytorch_model.bin` imports `os.system` at byte 2, which runs code when the file is loaded".into()
            ),
            (
                "security/pickle-unknown-import".into(),
                "warning".into(),
                "training_args.bin".into(),
                "`training_args.bin` imports `argparse.Namespace` at byte 2, which is not on the safe allow-list".into()
            ),
        ]
    );
    // the policy's extra safe globals silence the unknown import
    fs::write(
        root.join("modelgate.toml"),
        "[release]\nmode = \"open\"\n\n[scan]\nsafe_pickle_globals = [\"argparse.Namespace\"]\n",
    )
    .unwrap();
    let r = common::run_in(root, &["check", ".", "--format", "json"]);
    assert!(!r.stdout.contains("pickle-unknown-import"), "{}", r.stdout);
    assert!(r.stdout.contains("security/pickle-code"));
}

#[test]
fn model_files_are_found_by_their_first_bytes_whatever_their_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# M\n").unwrap();
    // a protocol-2 pickle that calls os.system, under a name no table lists
    std::fs::write(
        dir.path().join("model.weights"),
        b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.",
    )
    .unwrap();
    // a PyTorch zip whose data.pkl calls os.system, with no extension at all
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("archive/data.pkl", opts).unwrap();
    std::io::Write::write_all(
        &mut w,
        b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("checkpoint"),
        w.finish().unwrap().into_inner(),
    )
    .unwrap();
    // a text file is not taken for one
    std::fs::write(dir.path().join("notes.dat"), "plain text, not a model\n").unwrap();
    let r = common::run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"].as_str().unwrap().starts_with("security/"))
        .map(|d| {
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "security/pickle-code checkpoint",
            "security/pickle-code model.weights"
        ]
    );
}

#[test]
fn a_pickle_of_plain_data_is_not_a_code_risk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# M\n").unwrap();
    // protocol 2: a dict of a list and a string, no GLOBAL, no REDUCE
    std::fs::write(
        dir.path().join("constants.pkl"),
        b"\x80\x02}q\x00(X\x05\x00\x00\x00scaleq\x01]q\x02(K\x01K\x02eX\x04\x00\x00\x00nameq\x03X\x01\x00\x00\x00mq\x04u.",
    )
    .unwrap();
    // a pickle that imports a class: its format can run code
    std::fs::write(
        dir.path().join("model.pkl"),
        b"\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01.",
    )
    .unwrap();
    let r = common::run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "security/pickle-weights")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["model.pkl"]);
}
