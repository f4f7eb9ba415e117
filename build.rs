// Embeds the built-in rule packs (rules/**.toml) in the binary: one entry per file, in
// path order, so that adding a rule is adding a file. Turns the reference licence texts into
// the words they are compared by, once, here (with the code the program uses: words.rs).
use std::fs;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/licenses/words.rs"]
mod words;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    let mut code = String::from("pub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_rules.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
    reference_words();
}

/// `REFERENCE_WORDS`: for each reference text (ids in `REFERENCE_IDS` order, with their
/// variants), its id, its words joined by spaces, and where each distinct word first is.
fn reference_words() {
    println!("cargo:rerun-if-changed=src/licenses/words.rs");
    let mut code = String::from("static REFERENCE_WORDS: &[(&str, &str, &[u32])] = &[\n");
    for id in words::REFERENCE_IDS {
        let Some(text) = spdx::license_id(id).map(|l| l.text()) else {
            continue;
        };
        for variant in words::variants(id, text) {
            let w = words::reference_words(id, variant);
            let mut seen = std::collections::HashSet::new();
            let first: Vec<String> = (0..w.len())
                .filter(|i| seen.insert(w[*i].as_str()))
                .map(|i| i.to_string())
                .collect();
            code.push_str(&format!(
                "    ({id:?}, {:?}, &[{}]),\n",
                w.join(" "),
                first.join(",")
            ));
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("reference_words.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
