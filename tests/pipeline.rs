//! The run pipeline: one file set and one set of facts for every command, so that `check` and
//! `classify` agree; modes and their sources as the contract says; what a stage reads, read once.

mod common;
use common::run_in;
use std::path::Path;

/// A whole fixture (sub-folders too) copied to a temporary folder, without its policy file.
fn without_policy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let rel = e.path().strip_prefix(&src).unwrap();
        if rel == Path::new("modelgate.toml") {
            continue;
        }
        let dst = dir.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
    dir
}

fn json_of(dir: &Path, args: &[&str]) -> serde_json::Value {
    let r = run_in(dir, args);
    assert!(
        r.code == 0 || r.code == 1,
        "{args:?}: exit {}: {}",
        r.code,
        r.stderr
    );
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

/// The lint mode an inferred release mode maps to (CONTRACTS.md).
fn lint_mode(release: &str) -> &str {
    match release {
        "open" => "open",
        "closed" => "closed",
        "hybrid" | "open-weights-restricted" => "hybrid",
        other => panic!("unknown release mode {other}"),
    }
}

#[test]
fn inferred_mode_is_classify_release_mode_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    for e in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // folders of policies and packs, not repositories
        if !e.path().is_dir() || name == "packs" || name == "bad-policy" {
            continue;
        }
        let dir = without_policy(&name);
        let check = json_of(dir.path(), &["check", ".", "--format", "json"]);
        let classify = json_of(dir.path(), &["classify", ".", "--format", "json"]);
        let release = classify["release_mode"].as_str().unwrap();
        assert_eq!(
            check["policy"]["mode_source"], "inferred",
            "{name}: {}",
            check["policy"]
        );
        assert_eq!(
            check["policy"]["mode"].as_str().unwrap(),
            lint_mode(release),
            "{name}: check infers {} where classify says {release}",
            check["policy"]["mode"]
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fixtures checked");
}

#[test]
fn a_gitignored_weights_file_is_outside_both_check_and_classify() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(p)
            .output()
            .expect("git runs")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(p.join(".gitignore"), "*.safetensors\n").unwrap();
    std::fs::write(p.join("model.safetensors"), [0u8; 64]).unwrap();
    std::fs::write(
        p.join("README.md"),
        "# Tool\n\nA command-line tool; see `src/`.\n",
    )
    .unwrap();
    std::fs::create_dir(p.join("src")).unwrap();
    std::fs::write(p.join("src/main.py"), "print('hi')\n").unwrap();
    std::fs::write(
        p.join("LICENSE"),
        modelgate::licenses::detect::reference_text("MIT").unwrap(),
    )
    .unwrap();
    let check = json_of(p, &["check", ".", "--format", "json"]);
    let classify = json_of(p, &["classify", ".", "--format", "json"]);
    let release = classify["release_mode"].as_str().unwrap();
    assert_ne!(release, "open", "the ignored weights are not published");
    assert_eq!(
        check["policy"]["mode"].as_str().unwrap(),
        lint_mode(release)
    );
}

#[test]
fn modes_set_for_every_model_folder_come_from_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for m in ["a", "b"] {
        std::fs::create_dir_all(p.join("models").join(m)).unwrap();
        std::fs::write(
            p.join("models").join(m).join("README.md"),
            format!("# Model {m}\n\nA small model.\n"),
        )
        .unwrap();
    }
    std::fs::write(p.join("README.md"), "# Models\n\nSee `models/`.\n").unwrap();
    std::fs::write(
        p.join("modelgate.toml"),
        "[models.\"models/a\"]\nmode = \"closed\"\n[models.\"models/b\"]\nmode = \"closed\"\n",
    )
    .unwrap();
    let v = json_of(p, &["check", ".", "--format", "json"]);
    assert_eq!(v["policy"]["mode"], "closed", "{}", v["policy"]);
    assert_eq!(v["policy"]["mode_source"], "policy", "{}", v["policy"]);
    let r = run_in(p, &["check", "."]);
    assert!(!r.stderr.contains("inferred"), "{}", r.stderr);
}

/// A pack's rule that links to the pack's own pages, and one that has none.
fn pack_repo(docs: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let docs_line = docs
        .map(|d| format!("docs = \"{d}\"\n"))
        .unwrap_or_default();
    std::fs::write(
        p.join("acme.toml"),
        format!(
            "[pack]\nname = \"acme\"\n{docs_line}\n[[rule]]\nid = \"acme/owner\"\nfamily = \"transparency\"\nmodes = [\"open\", \"hybrid\", \"closed\"]\nlevel = \"error\"\nguidance = [\"G6\"]\nsummary = \"the card names its owner\"\nmessage = \"the model card does not name the owning team\"\nhelp = \"add a line `Owner: <team>`\"\ncheck = {{ text = {{ doc = \"card\", pattern = \"^owner:\\\\s*\\\\S+\" }} }}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        p.join("modelgate.toml"),
        "packs = [\"acme.toml\"]\n[release]\nmode = \"open\"\n",
    )
    .unwrap();
    std::fs::write(p.join("README.md"), "# M\n\nA model.\n").unwrap();
    dir
}

#[test]
fn a_pack_rule_links_to_the_pack_page_or_to_none() {
    let with = pack_repo(Some("https://acme.test/rules/{id}.html"));
    let r = run_in(with.path(), &["check", "."]);
    assert!(
        r.stdout.contains("https://acme.test/rules/acme/owner.html"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("docs/rules/acme/owner.md"),
        "{}",
        r.stdout
    );
    let sarif = json_of(with.path(), &["check", ".", "--format", "sarif"]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let acme = rules.iter().find(|r| r["id"] == "acme/owner").unwrap();
    assert_eq!(acme["helpUri"], "https://acme.test/rules/acme/owner.html");

    let without = pack_repo(None);
    let r = run_in(without.path(), &["check", "."]);
    assert!(r.stdout.contains("acme/owner"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("docs/rules/acme/owner.md"),
        "{}",
        r.stdout
    );
    let sarif = json_of(without.path(), &["check", ".", "--format", "sarif"]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let acme = rules.iter().find(|r| r["id"] == "acme/owner").unwrap();
    assert!(acme.get("helpUri").is_none(), "{acme}");
    // built-in rules keep their pages
    assert!(rules.iter().any(|r| r["helpUri"]
        .as_str()
        .is_some_and(|u| u.ends_with("/docs/rules/card/limitations.md"))));
}

/// A release with something for every reader: cards, licence texts (one also in a model
/// folder), terms of use, data samples, small and large weights, a pickle, `.gitattributes`.
fn busy_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let w = |rel: &str, bytes: &[u8]| {
        let f = p.join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, bytes).unwrap();
    };
    let apache = modelgate::licenses::detect::reference_text("Apache-2.0").unwrap();
    let mit = modelgate::licenses::detect::reference_text("MIT").unwrap();
    w("LICENSE", apache.as_bytes());
    w("LICENSE-MODEL", mit.as_bytes());
    w(
        "TERMS_OF_USE.md",
        b"# Terms of use\n\nYou may not use the model for surveillance.\n",
    );
    w(
        "README.md",
        b"---\nlicense: apache-2.0\nlanguage: en\n---\n# Model\n\n## Training Data\n\nTrained on [the pile](https://huggingface.co/datasets/x/pile).\n",
    );
    w(
        "DATA_STATEMENT.md",
        b"# Data\n\n## Privacy\n\nNo personal data.\n",
    );
    w("data/train.jsonl", b"{\"text\": \"hello\"}\n");
    w("data/big.csv", &b"a,b\n1,2\n".repeat(300));
    w(
        "model.safetensors",
        b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ",
    );
    w("weights/small.bin", b"\x80\x02}q\x00.");
    w(
        ".gitattributes",
        b"*.bin filter=lfs diff=lfs merge=lfs -text\n",
    );
    w("models/chat/README.md", b"# Chat\n\nA chat model.\n");
    w("models/chat/LICENSE", mit.as_bytes());
    w(
        "models/chat/model.safetensors",
        b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ",
    );
    w("src/infer.py", b"print('infer')\n");
    dir
}

#[test]
fn each_file_is_read_once_and_each_licence_identified_once() {
    let dir = busy_repo();
    let opts = modelgate::run::CheckOptions {
        path: dir.path().to_path_buf(),
        ..Default::default()
    };
    let run = modelgate::run::check(&opts, None).expect("the run is done");
    let reads = run.facts.files.read_counts();
    assert!(!reads.is_empty());
    for (path, n) in &reads {
        assert_eq!(*n, 1, "`{path}` was read {n} times");
    }
    // every document, licence and scanned file was read
    for p in [
        "LICENSE",
        "LICENSE-MODEL",
        "TERMS_OF_USE.md",
        "README.md",
        "data/train.jsonl",
        "models/chat/LICENSE",
    ] {
        assert_eq!(reads.get(p), Some(&1), "`{p}`: {reads:?}");
    }
    // one identification per licence text of the run, shared by every release that sees it
    let texts: Vec<&str> = run
        .facts
        .licence_texts
        .iter()
        .map(|l| l.path.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "LICENSE",
            "LICENSE-MODEL",
            "TERMS_OF_USE.md",
            "models/chat/LICENSE"
        ]
    );
    assert_eq!(
        run.facts
            .licence_text("LICENSE")
            .and_then(|l| l.found.as_ref())
            .map(|f| f.id.as_str()),
        Some("Apache-2.0")
    );
    // the root's licence is evidence of the model folder too, from the same identification
    let chat = &run.facts.units[run.facts.unit_of_folder("models/chat")];
    let paths: Vec<&str> = chat
        .evidence
        .files
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        paths.contains(&"LICENSE") && paths.contains(&"models/chat/LICENSE"),
        "{paths:?}"
    );
}

#[test]
fn reporters_read_only_the_report() {
    // the reporters' imports: the report, findings and the shared words, never the policy
    // layer, the facts or the pipeline
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        for line in text.lines() {
            for m in line.match_indices("crate::") {
                let rest = &line[m.0 + "crate::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    ["finding", "model", "report", "scan", "text"].contains(&module.as_str()),
                    "{}: `{line}` reaches into `{module}`",
                    e.path().display()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
}

/// The top-level modules each file of `src/` names (`crate::<module>`), tests left out.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        if e.path().extension().and_then(|x| x.to_str()) != Some("rs") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "main" || top == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != top && !name.is_empty() {
                graph.entry(top.clone()).or_default().insert(name);
            }
        }
    }
    graph
}

#[test]
fn no_import_loop_between_stages() {
    let graph = module_graph();
    // a loop exists when a module reaches itself through the modules it names
    for start in graph.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<(String, Vec<String>)> = graph[start]
            .iter()
            .map(|n| (n.clone(), vec![start.clone(), n.clone()]))
            .collect();
        while let Some((m, path)) = todo.pop() {
            assert!(&m != start, "import loop: {}", path.join(" -> "));
            if !seen.insert(m.clone()) {
                continue;
            }
            for n in graph.get(&m).into_iter().flatten() {
                let mut p = path.clone();
                p.push(n.clone());
                todo.push((n.clone(), p));
            }
        }
    }
    // the shared words import nothing of the crate
    assert!(
        graph.get("model").is_none_or(|s| s.is_empty()),
        "{:?}",
        graph.get("model")
    );
}

/// Control data (a level cap, a fix, a fingerprint anchor, a commit) travels in the witness's
/// typed fields, never as template variables a message could print or a typo could lose.
#[test]
fn witnesses_carry_control_data_in_typed_fields() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let control = ["\"level\"", "\"fingerprint\"", "\"commit\"", "\"fix-"];
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        if e.path().extension().and_then(|x| x.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        for (n, line) in text.lines().enumerate() {
            for setter in [".var(", ".var_opt(", ".get("] {
                for key in control {
                    let bad = format!("{setter}{key}");
                    assert!(
                        !line.contains(&bad),
                        "{}:{}: `{bad}`: use the witness's typed field",
                        e.path().display(),
                        n + 1
                    );
                }
            }
        }
    }
}
