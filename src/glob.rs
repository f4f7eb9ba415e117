//! Path globs with gitignore-like reach: a pattern without `/` matches a file name anywhere,
//! a pattern with `/` matches the whole path from the root; `**` crosses folders, `*` does not.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::sync::Arc;

/// Compiled once, shared by its clones.
#[derive(Debug, Clone, Default)]
pub struct PathGlobs {
    patterns: Vec<String>,
    full: Option<Arc<GlobSet>>,
    full_index: Vec<usize>,
    base: Option<Arc<GlobSet>>,
    base_index: Vec<usize>,
}

impl PathGlobs {
    /// Compiles patterns; on failure returns the index of the bad pattern and why.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<PathGlobs, (usize, String)> {
        let mut full = GlobSetBuilder::new();
        let mut base = GlobSetBuilder::new();
        let mut out = PathGlobs::default();
        for (i, p) in patterns.iter().enumerate() {
            let p = p.as_ref();
            out.patterns.push(p.to_string());
            let trimmed = p.trim_start_matches("./").trim_start_matches('/');
            let trimmed = trimmed.strip_suffix('/').map(|t| format!("{t}/**"));
            let pat = trimmed
                .as_deref()
                .unwrap_or(p.trim_start_matches("./").trim_start_matches('/'));
            if pat.is_empty() {
                return Err((i, "the pattern is empty".into()));
            }
            let glob = GlobBuilder::new(pat)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| (i, e.kind().to_string()))?;
            if pat.contains('/') {
                full.add(glob);
                out.full_index.push(i);
            } else {
                base.add(glob);
                out.base_index.push(i);
            }
        }
        out.full = Some(Arc::new(full.build().map_err(|e| (0, e.to_string()))?));
        out.base = Some(Arc::new(base.build().map_err(|e| (0, e.to_string()))?));
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_match(&self, path: &str) -> bool {
        if let Some(set) = &self.full {
            if !set.is_empty() {
                if set.is_match(path) {
                    return true;
                }
                // a folder pattern also matches everything under that folder
                let mut prefix = path;
                while let Some(i) = prefix.rfind('/') {
                    prefix = &prefix[..i];
                    if set.is_match(prefix) {
                        return true;
                    }
                }
            }
        }
        match &self.base {
            Some(set) if !set.is_empty() => path.split('/').any(|part| set.is_match(part)),
            _ => false,
        }
    }

    /// Index of the first pattern (in the order given) that matches the path.
    pub fn first_match(&self, path: &str) -> Option<usize> {
        let mut best: Option<usize> = None;
        if let Some(set) = &self.full {
            for m in set.matches(path) {
                best = Some(best.map_or(self.full_index[m], |b| b.min(self.full_index[m])));
            }
            // a folder pattern also matches everything under that folder
            if best.is_none() {
                let mut prefix = path;
                while let Some(i) = prefix.rfind('/') {
                    prefix = &prefix[..i];
                    for m in set.matches(prefix) {
                        best = Some(best.map_or(self.full_index[m], |b| b.min(self.full_index[m])));
                    }
                }
            }
        }
        if let Some(set) = &self.base {
            for part in path.split('/') {
                for m in set.matches(part) {
                    best = Some(best.map_or(self.base_index[m], |b| b.min(self.base_index[m])));
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach() {
        let g =
            PathGlobs::new(&["*.safetensors", "weights/**", "third_party", "docs/*.md"]).unwrap();
        assert!(g.is_match("a.safetensors"));
        assert!(g.is_match("models/x/a.safetensors"));
        assert!(g.is_match("weights/a/b.bin"));
        assert!(g.is_match("third_party/x/y.py"));
        assert!(g.is_match("docs/a.md"));
        assert!(!g.is_match("docs/sub/a.md"));
        assert!(!g.is_match("src/main.rs"));
    }

    #[test]
    fn bad_pattern() {
        assert_eq!(PathGlobs::new(&["ok", "a[b"]).unwrap_err().0, 1);
    }
}
