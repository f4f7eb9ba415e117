//! Cards, data statements, licences and policy documents, parsed with spans.

pub mod headings;
pub mod hub;
pub mod markdown;
pub mod yaml;

use crate::repo::{FileSet, Problem, Role};
use crate::text::{is_cjk, LineIndex};
pub use markdown::Section;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::Arc;

/// Documents larger than this are read only this far.
pub const MAX_DOCUMENT: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// From the opening `---` to the end of the closing one.
    pub range: Range<usize>,
    pub root: Option<yaml::Node>,
    pub error: Option<yaml::YamlError>,
}

/// Which convention a data statement follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataConvention {
    /// Bender and Friedman's Data Statements.
    DataStatements,
    /// The Hugging Face dataset card.
    DatasetCard,
    None,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub path: String,
    pub role: Role,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    pub sections: Vec<Section>,
    pub meta_problems: Vec<hub::MetaProblem>,
    /// `zh` for a card written in Chinese (by name or by content), `en` otherwise.
    pub lang: &'static str,
    /// False when the file could not be read as text at all.
    pub readable: bool,
    pub convention: DataConvention,
}

impl Document {
    pub fn meta(&self) -> Option<&yaml::Node> {
        self.front_matter.as_ref().and_then(|f| f.root.as_ref())
    }

    /// Where a finding about the document as a whole points: its front matter's first line,
    /// or its first line.
    pub fn anchor(&self) -> Range<usize> {
        match &self.front_matter {
            Some(f) => f.range.start..f.range.start + 3,
            None => {
                let end = self.text.find('\n').unwrap_or(self.text.len());
                let end = self.text[..end].trim_end_matches('\r').len();
                0..end
            }
        }
    }

    pub fn sections_in<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections
            .iter()
            .filter(move |s| s.groups.contains(&group))
    }
}

/// Splits `---` front matter off the top of a Markdown text.
pub fn split_front_matter(text: &str) -> Option<(Range<usize>, Range<usize>)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let body_start = start + first_end + 1;
    let mut pos = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Some((start..pos + line.len(), body_start..pos));
        }
        pos += line.len();
    }
    None
}

fn detect_lang(path: &str, text: &str) -> &'static str {
    let name = crate::repo::roles::file_name(path).to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    let tagged = |tags: &[&str]| {
        tags.iter().any(|t| {
            stem.ends_with(&format!("_{t}"))
                || stem.ends_with(&format!("-{t}"))
                || name.contains(&format!(".{t}."))
        })
    };
    if tagged(&[
        "zh", "cn", "zh-cn", "zh_cn", "chinese", "zh-hans", "zh-hant", "tw",
    ]) {
        return "zh";
    }
    if tagged(&["en", "english"]) {
        return "en";
    }
    let sample: String = text.chars().take(20_000).collect();
    let cjk = sample.chars().filter(|c| is_cjk(*c)).count();
    let latin = sample.chars().filter(|c| c.is_ascii_alphabetic()).count();
    // English words average ~5 letters: compare characters with words
    if cjk * 5 > latin {
        "zh"
    } else {
        "en"
    }
}

/// Reads and parses one document. Problems reading it are returned beside it.
pub fn load(files: &FileSet, path: &str, role: Role, size: u64) -> (Document, Vec<Problem>) {
    let mut problems = Vec::new();
    let empty = |readable: bool| Document {
        path: path.to_string(),
        role,
        text: Arc::from(""),
        lines: LineIndex::new(""),
        front_matter: None,
        sections: vec![],
        meta_problems: vec![],
        lang: "en",
        readable,
        convention: DataConvention::None,
    };
    let bytes = match files.read(path, MAX_DOCUMENT) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem {
                path: Some(path.to_string()),
                region: None,
                detail: format!("`{path}` cannot be read: {e}"),
            });
            return (empty(false), problems);
        }
    };
    if bytes.starts_with(b"%PDF-") {
        // a PDF's text cannot be read without rendering it: the terms in it stay unknown
        problems.push(Problem {
            path: Some(path.to_string()),
            region: None,
            detail: format!(
                "`{path}` is a PDF: modelgate does not read PDF documents, so what it says was not read as a {}; keep a plain-text or Markdown copy beside it",
                role_noun(role)
            ),
        });
        return (empty(false), problems);
    }
    if bytes.iter().take(8192).any(|b| *b == 0) {
        problems.push(Problem {
            path: Some(path.to_string()),
            region: None,
            detail: format!(
                "`{path}` is a binary file, not text; it was not read as a {}",
                role_noun(role)
            ),
        });
        return (empty(false), problems);
    }
    let mut truncated = false;
    if size > MAX_DOCUMENT {
        truncated = true;
        problems.push(Problem {
            path: Some(path.to_string()),
            region: None,
            detail: format!(
                "`{path}` is {:.1} MB; only its first {} MiB were read",
                size as f64 / 1e6,
                MAX_DOCUMENT / (1024 * 1024)
            ),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // a cut in the middle of a character at the read limit is not an encoding error
            let at_cut = truncated && bytes.len() - bad < 4;
            let text = String::from_utf8_lossy(&bytes[..if at_cut { bad } else { bytes.len() }])
                .into_owned();
            if !at_cut {
                let idx = LineIndex::new(&text);
                let mut region = idx.region(&text, bad, bad);
                region.bytes = None;
                problems.push(Problem {
                    path: Some(path.to_string()),
                    region: Some(region.clone()),
                    detail: format!(
                        "`{path}` is not valid UTF-8 (line {}, column {}); invalid bytes were read as U+FFFD",
                        region.line, region.column
                    ),
                });
            }
            text
        }
    };
    let lines = LineIndex::new(&text);
    let mut doc = Document {
        path: path.to_string(),
        role,
        lang: detect_lang(path, &text),
        lines,
        front_matter: None,
        sections: vec![],
        meta_problems: vec![],
        readable: true,
        convention: DataConvention::None,
        text: Arc::from(""),
    };
    if role == Role::License {
        doc.text = Arc::from(text);
        return (doc, problems);
    }
    if let Some((range, body)) = split_front_matter(&text) {
        let mut fm = FrontMatter {
            range,
            root: None,
            error: None,
        };
        if body.len() > yaml::MAX_FRONT_MATTER {
            fm.error = Some(yaml::YamlError {
                message: format!(
                    "the front matter is {} KiB, over the {} KiB limit; it was not read",
                    body.len() / 1024,
                    yaml::MAX_FRONT_MATTER / 1024
                ),
                offset: body.start,
            });
        } else {
            match yaml::parse(&text, &text[body.clone()], body.start) {
                Ok(root) => fm.root = root,
                Err(e) => fm.error = Some(e),
            }
        }
        doc.front_matter = Some(fm);
    }
    doc.sections = markdown::sections(&text);
    if let Some(root) = doc.meta() {
        let dataset =
            matches!(role, Role::DatasetCard | Role::DataStatement) || is_dataset_meta(root);
        doc.meta_problems = hub::validate(root, dataset);
    }
    doc.convention = convention(&doc.sections);
    doc.text = Arc::from(text);
    (doc, problems)
}

/// Front matter with keys only dataset cards have.
pub fn is_dataset_meta(root: &yaml::Node) -> bool {
    match &root.value {
        yaml::Value::Map(m) => m
            .iter()
            .any(|(k, _)| hub::DATASET_ONLY_KEYS.contains(&k.name.as_str())),
        _ => false,
    }
}

fn convention(sections: &[Section]) -> DataConvention {
    let has = |g: &str| {
        sections
            .iter()
            .any(|s| s.is_heading() && s.groups.contains(&g))
    };
    let ds = [
        "curation-rationale",
        "language-variety",
        "speaker-demographic",
        "annotator-demographic",
        "speech-situation",
        "text-characteristics",
        "provenance",
    ]
    .iter()
    .filter(|g| has(g))
    .count();
    let hf = ["source-data", "personal-information", "dataset-licensing"]
        .iter()
        .filter(|g| has(g))
        .count();
    if ds == 0 && hf == 0 {
        DataConvention::None
    } else if ds * 3 >= hf * 7 && ds > 0 {
        // Data Statements has seven parts, the dataset card three we check
        DataConvention::DataStatements
    } else {
        DataConvention::DatasetCard
    }
}

fn role_noun(role: Role) -> &'static str {
    match role {
        Role::License => "licence",
        Role::ModelCard => "model card",
        Role::DataStatement => "data statement",
        Role::DatasetCard => "dataset card",
        Role::PolicyDoc => "policy document",
        _ => "document",
    }
}

/// Loads every document of a file set, in parallel. Order follows the file set.
pub fn load_all(files: &FileSet) -> (Vec<Document>, Vec<Problem>) {
    let results: Vec<(Document, Vec<Problem>)> = files
        .entries
        .par_iter()
        .filter(|e| e.role.is_document() || crate::repo::roles::is_terms_name(&e.path))
        .map(|e| load(files, &e.path, e.role, e.size))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for (d, p) in results {
        docs.push(d);
        problems.extend(p);
    }
    (docs, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split() {
        let t = "---\na: 1\n---\n# x\n";
        let (r, b) = split_front_matter(t).unwrap();
        assert_eq!(&t[r], "---\na: 1\n---\n");
        assert_eq!(&t[b], "a: 1\n");
        assert!(split_front_matter("---\nnever closed\n").is_none());
        assert!(split_front_matter("# title\n---\n").is_none());
    }

    #[test]
    fn languages() {
        assert_eq!(detect_lang("README_zh.md", "hello"), "zh");
        assert_eq!(
            detect_lang("README.md", "# 模型介绍\n本模型用于中文对话。"),
            "zh"
        );
        assert_eq!(
            detect_lang("README.md", "# Model\nA model for chat, 中文 too."),
            "en"
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::repo::FileSet;
    use std::collections::BTreeMap;

    /// Every prefix of a card with tricky front matter and Markdown, and every prefix with a
    /// byte flipped, parses without a panic.
    #[test]
    fn no_prefix_or_corruption_panics() {
        let card = "---\nlicense: [mit, &a apache-2.0]\nlanguage: *a\nmodel-index:\n- name: x\n  results:\n  - task: {type: t}\n    dataset: {name: d, type: d}\n    metrics: [{type: acc, value: 1.0}]\n'k': \"v\\u00e9\"\n---\n# T\n\n## 训练数据\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n> quote [link](http://x) <!-- c -->\n\nSetext\n------\n";
        let bytes = card.as_bytes();
        for cut in 0..=bytes.len() {
            for flip in [None, Some(cut.saturating_sub(1))] {
                let mut data = bytes[..cut].to_vec();
                if let Some(i) = flip {
                    if i < data.len() {
                        data[i] ^= 0x80;
                    }
                }
                let mut m = BTreeMap::new();
                m.insert("README.md".to_string(), data);
                let files = FileSet::memory(m);
                let e = files.entries[0].clone();
                let (doc, _) = load(&files, &e.path, e.role, e.size);
                for s in &doc.sections {
                    assert!(s.range.end <= doc.text.len());
                }
            }
        }
    }
}
