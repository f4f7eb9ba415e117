//! Git LFS: pointer files that stand for a large file, and the `.gitattributes` rules that send
//! files to LFS.

use super::{roles, Entry, Role, Source};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::{BTreeMap, BTreeSet};

/// The first line of every LFS pointer file (spec v1).
const POINTER_VERSION: &str = "version https://git-lfs.github.com/spec/v1";
/// The spec says pointer files are smaller than 1024 bytes.
const POINTER_MAX: u64 = 1024;
/// Weight files at least this large need LFS whatever the repository does (Hugging Face refuses
/// files over 10 MB outside LFS); smaller ones are usually test stubs, and only count when the
/// repository already uses `.gitattributes`.
pub const LARGE_WEIGHTS: u64 = 1 << 20;

/// What LFS means for one file set.
#[derive(Debug, Clone, Default)]
pub struct LfsInfo {
    /// Files that are LFS pointers (their entry's size is the pointed-to file's).
    pub pointers: BTreeSet<String>,
    /// Weight files that are not pointers and that no `filter=lfs` rule covers.
    pub uncovered: BTreeSet<String>,
    /// The small files read to tell a pointer (and `.gitattributes`), whole: the file set
    /// serves later reads of them from here, so that no file is read twice.
    pub read: BTreeMap<String, std::sync::Arc<[u8]>>,
}

/// The size a pointer file gives, when `bytes` is one.
pub fn pointer_size(bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    if lines.next()?.trim_end() != POINTER_VERSION {
        return None;
    }
    let mut size = None;
    let mut oid = false;
    for l in lines {
        if let Some(v) = l.strip_prefix("size ") {
            size = v.trim().parse::<u64>().ok();
        } else if l.starts_with("oid ") {
            oid = true;
        }
    }
    size.filter(|_| oid)
}

/// Replaces pointer files' sizes with the sizes they point to; finds uncovered weights.
pub fn resolve(entries: &mut [Entry], source: &dyn Source) -> LfsInfo {
    let mut info = LfsInfo::default();
    for e in entries.iter_mut() {
        if e.size == 0
            || e.size >= POINTER_MAX
            || !matches!(e.role, Role::Weights | Role::DataSample | Role::Other)
        {
            continue;
        }
        if let Ok(bytes) = source.read(&e.path, POINTER_MAX) {
            if let Some(size) = pointer_size(&bytes) {
                e.size = size;
                info.pointers.insert(e.path.clone());
            }
            info.read.insert(e.path.clone(), bytes.into());
        }
    }
    let attrs = Attributes::load(entries, source, &mut info.read);
    for e in entries.iter() {
        if e.role != Role::Weights || info.pointers.contains(&e.path) {
            continue;
        }
        if (e.size >= LARGE_WEIGHTS || !attrs.files.is_empty()) && !attrs.is_lfs(&e.path) {
            info.uncovered.insert(e.path.clone());
        }
    }
    info
}

/// The `.gitattributes` line that sends files like `path` to LFS.
pub fn rule_for(path: &str) -> String {
    let pattern = match roles::extension(path) {
        Some(ext) => format!("*.{ext}"),
        None => roles::file_name(path).to_string(),
    };
    format!("{pattern} filter=lfs diff=lfs merge=lfs -text")
}

struct AttrLine {
    matcher: GlobMatcher,
    /// Matched against the path relative to the file's folder, not only the name.
    anchored: bool,
    lfs: bool,
}

struct AttrFile {
    folder: String,
    lines: Vec<AttrLine>,
}

/// The `filter` attribute of every `.gitattributes` in the file set.
pub struct Attributes {
    files: Vec<AttrFile>,
}

impl Attributes {
    /// Reads each `.gitattributes` once: from `read` when the pointer check has its bytes
    /// already, else from the source (and keeps them there).
    pub fn load(
        entries: &[Entry],
        source: &dyn Source,
        read: &mut BTreeMap<String, std::sync::Arc<[u8]>>,
    ) -> Attributes {
        let mut files: Vec<AttrFile> = entries
            .iter()
            .filter(|e| roles::file_name(&e.path) == ".gitattributes")
            .filter_map(|e| {
                let bytes = match read.get(&e.path) {
                    Some(b) => b.clone(),
                    None => {
                        let b: std::sync::Arc<[u8]> = source.read(&e.path, 256 * 1024).ok()?.into();
                        read.insert(e.path.clone(), b.clone());
                        b
                    }
                };
                Some(AttrFile {
                    folder: roles::parent(&e.path).to_string(),
                    lines: parse(&String::from_utf8_lossy(&bytes)),
                })
            })
            .collect();
        // shallow files first: deeper ones override them
        files.sort_by_key(|f| {
            if f.folder.is_empty() {
                0
            } else {
                1 + f.folder.matches('/').count()
            }
        });
        Attributes { files }
    }

    /// Whether the last rule that sets `filter` for this path sets it to `lfs`.
    pub fn is_lfs(&self, path: &str) -> bool {
        let mut lfs = false;
        for f in &self.files {
            let rel = if f.folder.is_empty() {
                path
            } else {
                match path
                    .strip_prefix(f.folder.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(r) => r,
                    None => continue,
                }
            };
            let name = roles::file_name(rel);
            for l in &f.lines {
                let hit = if l.anchored {
                    l.matcher.is_match(rel)
                } else {
                    l.matcher.is_match(name)
                };
                if hit {
                    lfs = l.lfs;
                }
            }
        }
        lfs
    }
}

/// The lines of a `.gitattributes` that say something about `filter`.
fn parse(text: &str) -> Vec<AttrLine> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("[attr]") {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(pattern) = parts.next() else {
            continue;
        };
        let mut lfs = None;
        for a in parts {
            if let Some(v) = a.strip_prefix("filter=") {
                lfs = Some(v == "lfs");
            } else if a == "-filter" || a == "!filter" {
                lfs = Some(false);
            }
        }
        let Some(lfs) = lfs else { continue };
        let anchored = pattern.trim_end_matches('/').contains('/');
        let glob = pattern.trim_start_matches('/');
        // `**/` at the start matches in every folder, as a name-only pattern does
        let (glob, anchored) = match glob.strip_prefix("**/") {
            Some(rest) if !rest.contains('/') => (rest, false),
            _ => (glob, anchored),
        };
        if let Ok(g) = GlobBuilder::new(glob)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
        {
            out.push(AttrLine {
                matcher: g.compile_matcher(),
                anchored,
                lfs,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers() {
        let p = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
        assert_eq!(pointer_size(p), Some(12345));
        assert_eq!(pointer_size(b"version 2\nsize 3\n"), None);
        assert_eq!(pointer_size(&[0xff, 0, 1]), None);
    }

    #[test]
    fn a_pointer_entry_has_the_pointed_size() {
        let mut files = std::collections::BTreeMap::new();
        files.insert("README.md".to_string(), b"# M\n".to_vec());
        files.insert(
            "model.safetensors".to_string(),
            b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 4831838208\n"
                .to_vec(),
        );
        files.insert("big.safetensors".to_string(), vec![0u8; 2 << 20]);
        let set = crate::repo::FileSet::memory(files);
        assert_eq!(set.get("model.safetensors").unwrap().size, 4831838208);
        assert!(set.lfs.pointers.contains("model.safetensors"));
        assert_eq!(
            set.lfs.uncovered.iter().collect::<Vec<_>>(),
            ["big.safetensors"]
        );
    }

    #[test]
    fn attributes() {
        let lines = parse("# lfs\n*.safetensors filter=lfs diff=lfs merge=lfs -text\nbig/*.bin filter=lfs\nbig/keep.bin -filter\n*.txt text\n");
        assert_eq!(lines.len(), 3);
        let a = Attributes {
            files: vec![AttrFile {
                folder: String::new(),
                lines,
            }],
        };
        assert!(a.is_lfs("m/model.safetensors"));
        assert!(a.is_lfs("big/x.bin"));
        assert!(!a.is_lfs("big/keep.bin"));
        assert!(!a.is_lfs("other/x.bin"));
        assert_eq!(
            rule_for("m/model.safetensors"),
            "*.safetensors filter=lfs diff=lfs merge=lfs -text"
        );
    }
}
