//! `modelgate bom`: the release as a CycloneDX 1.6 JSON bill of materials.

use crate::bom::{self, Options};
use std::path::Path;

pub fn run(path: &Path, output: Option<&Path>, opts: Options) -> i32 {
    let facts = match super::facts_of(path) {
        Ok(facts) => facts,
        Err(code) => return code,
    };
    let root_name = std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string());
    let out = bom::build(&facts, &root_name, opts);
    for n in &out.notes {
        super::ui::note(format!("modelgate: {n}"));
    }
    let text = match serde_json::to_string_pretty(&out.document) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("modelgate: cannot write the BOM: {e}");
            return 2;
        }
    };
    match super::emit(&text, output) {
        Ok(()) => 0,
        Err(code) => code,
    }
}
