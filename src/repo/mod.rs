//! The file set of a repository: which files, where their bytes come from, what role each has.

pub mod git;
pub mod lfs;
pub mod roles;
mod walk;

use crate::finding::Region;
pub use roles::Role;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Where file contents come from: the work tree, memory (rule examples), or git.
pub trait Source: Send + Sync {
    /// Reads at most `limit` bytes from the start of a file.
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>>;
    /// The file on disk, for readers that stream (scanners); `None` for other sources.
    fn disk_path(&self, _path: &str) -> Option<PathBuf> {
        None
    }
}

/// Files held in memory: rule examples and tests.
#[derive(Debug, Default, Clone)]
pub struct MemorySource {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl Source for MemorySource {
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        let data = self
            .files
            .get(path)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))?;
        let n = (limit as usize).min(data.len());
        Ok(data[..n].to_vec())
    }
}

/// One file of the release.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub size: u64,
    pub role: Role,
}

/// Something wrong with an input file that did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Option<String>,
    pub region: Option<Region>,
    pub detail: String,
}

pub struct FileSet {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    pub source: Arc<dyn Source>,
    /// LFS pointers (their entries carry the pointed-to size) and weights outside LFS.
    pub lfs: lfs::LfsInfo,
    /// The whole bytes of small files the listing read already (to tell an LFS pointer), by
    /// entry: later reads are served from here.
    held: Vec<Option<Arc<[u8]>>>,
    /// How many times each entry was read in this run (every stage reads through the file set).
    reads: Vec<AtomicU32>,
    /// Tracked files that are not in the work tree (deleted, or a sparse or partial checkout).
    pub absent: Vec<String>,
}

impl FileSet {
    /// Walks a folder on disk (never following a symlink out of it).
    pub fn walk(root: &std::path::Path, exclude: &crate::glob::PathGlobs) -> io::Result<FileSet> {
        walk::walk(root, exclude)
    }

    /// A file set held in memory.
    pub fn memory(files: BTreeMap<String, Vec<u8>>) -> FileSet {
        let source = MemorySource {
            files: files.into_iter().map(|(k, v)| (k, Arc::from(v))).collect(),
        };
        let list = source
            .files
            .iter()
            .map(|(p, d)| (p.clone(), d.len() as u64))
            .collect();
        FileSet::from_list(list, vec![], Arc::new(source))
    }

    /// Builds a file set from (path, size) pairs, giving each its role.
    pub fn from_list(
        mut list: Vec<(String, u64)>,
        problems: Vec<Problem>,
        source: Arc<dyn Source>,
    ) -> FileSet {
        list.sort();
        list.dedup_by(|a, b| a.0 == b.0);
        // folders holding weights or a model config: a README.md there is a model card
        let mut model_folders: BTreeSet<&str> = BTreeSet::new();
        for (p, _) in &list {
            if roles::is_weight_name(p) || roles::is_model_config(p) {
                model_folders.insert(roles::parent(p));
            }
        }
        let mut entries: Vec<Entry> = list
            .iter()
            .map(|(p, size)| Entry {
                role: roles::role_of(p, |f| model_folders.contains(f)),
                path: p.clone(),
                size: *size,
            })
            .collect();
        let mut lfs = lfs::resolve(&mut entries, source.as_ref());
        let read = std::mem::take(&mut lfs.read);
        let held: Vec<Option<Arc<[u8]>>> =
            entries.iter().map(|e| read.get(&e.path).cloned()).collect();
        let reads = held
            .iter()
            .map(|h| AtomicU32::new(u32::from(h.is_some())))
            .collect();
        FileSet {
            entries,
            problems,
            source,
            lfs,
            held,
            reads,
            absent: Vec::new(),
        }
    }

    fn index(&self, path: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
    }

    /// Reads at most `limit` bytes from the start of a file of the set. A small file the
    /// listing read already (to tell an LFS pointer) is not read again.
    pub fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        if let Some(i) = self.index(path) {
            if let Some(b) = &self.held[i] {
                return Ok(b[..b.len().min(limit as usize)].to_vec());
            }
            self.reads[i].fetch_add(1, Ordering::Relaxed);
        }
        self.source.read(path, limit)
    }

    /// The file on disk, for readers that stream it (scanners, model-file inspection): counts
    /// as a read. `None` when the set is not on disk, or the file's bytes are held already.
    pub fn disk_path(&self, path: &str) -> Option<PathBuf> {
        let i = self.index(path);
        if i.is_some_and(|i| self.held[i].is_some()) {
            return None;
        }
        let p = self.source.disk_path(path)?;
        if let Some(i) = i {
            self.reads[i].fetch_add(1, Ordering::Relaxed);
        }
        Some(p)
    }

    /// How many times each file was read so far in this run (files never read left out).
    pub fn read_counts(&self) -> BTreeMap<String, u32> {
        self.entries
            .iter()
            .zip(&self.reads)
            .map(|(e, n)| (e.path.clone(), n.load(Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }
}
