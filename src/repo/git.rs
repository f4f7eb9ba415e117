//! Git-aware file sets: what git will publish from the work tree, the index (`--staged`), the
//! files changed since a base (`--diff-base`) and every file ever committed (`--history`).
//!
//! Paths are relative to PATH, which may be a folder inside the work tree.

use super::walk::{relative, WorkTree, SKIPPED_FOLDERS};
use super::{FileSet, Problem, Source};
use crate::finding::Region;
use crate::glob::PathGlobs;
use git2::{DiffOptions, Index, ObjectType, Oid, Repository, Sort, Tree};
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use walkdir::WalkDir;

/// A git work tree that holds PATH.
pub struct GitRoot {
    pub repo: Repository,
    /// The work tree's top folder (canonical).
    pub workdir: PathBuf,
    /// PATH inside the work tree: `""`, or a folder ending in `/`.
    pub prefix: String,
}

/// Opens the repository whose work tree holds `path`; `None` outside git (or in a bare one).
/// `GIT_INDEX_FILE` (set by git for hooks, so by pre-commit) replaces the index.
pub fn open(path: &Path) -> Option<GitRoot> {
    let repo = Repository::discover(path).ok()?;
    let workdir = repo.workdir()?.canonicalize().ok()?;
    let here = path.canonicalize().ok()?;
    let rel = here.strip_prefix(&workdir).ok()?;
    let mut prefix = relative(Path::new(""), rel);
    if !prefix.is_empty() {
        prefix.push('/');
    }
    if let Some(f) = std::env::var_os("GIT_INDEX_FILE").filter(|f| !f.is_empty()) {
        let f = PathBuf::from(f);
        let file = if f.is_absolute() || f.exists() {
            f
        } else {
            workdir.join(f)
        };
        // only an index of this repository: a variable left by a hook of another repository
        // (a test suite run from a hook) must not replace ours
        let ours = match (file.canonicalize(), repo.path().canonicalize()) {
            (Ok(f), Ok(gitdir)) => f.starts_with(gitdir),
            _ => false,
        };
        if ours {
            if let Ok(mut index) = Index::open(&file) {
                let _ = repo.set_index(&mut index);
            }
        }
    }
    Some(GitRoot {
        repo,
        workdir,
        prefix,
    })
}

fn err(what: &str, e: git2::Error) -> String {
    format!("{what}: {}", e.message())
}

/// Whether the policy's `exclude` covers the path or one of its folders.
pub fn excluded(exclude: &PathGlobs, rel: &str) -> bool {
    if exclude.is_empty() {
        return false;
    }
    if exclude.is_match(rel) {
        return true;
    }
    let mut at = rel;
    while let Some(i) = at.rfind('/') {
        at = &at[..i];
        if exclude.is_match(at) {
            return true;
        }
    }
    false
}

impl GitRoot {
    /// A path relative to PATH, when the work-tree path is inside PATH.
    fn inside<'a>(&self, full: &'a str) -> Option<&'a str> {
        full.strip_prefix(self.prefix.as_str())
    }

    fn ignored(&self, rel: &str) -> bool {
        self.repo
            .is_path_ignored(format!("{}{rel}", self.prefix))
            .unwrap_or(false)
    }

    /// The index's entries below PATH, relative to it, with their blob ids: submodules (other
    /// repositories) and excluded paths left out. A path in conflict appears once per stage.
    fn index_entries(&self, index: &Index, exclude: &PathGlobs) -> Vec<(String, Oid)> {
        index
            .iter()
            .filter(|e| e.mode != 0o160000)
            .filter_map(|e| {
                let full = String::from_utf8_lossy(&e.path);
                let rel = self.inside(&full)?;
                (!excluded(exclude, rel)).then(|| (rel.to_string(), e.id))
            })
            .collect()
    }

    /// The work tree as git will publish it: tracked files still on disk, plus untracked files
    /// that git does not ignore. Contents are read from disk.
    pub fn worktree_files(&self, root: &Path, exclude: &PathGlobs) -> Result<FileSet, String> {
        let index = self
            .repo
            .index()
            .map_err(|e| err("cannot read the git index", e))?;
        let canonical_root = root
            .canonicalize()
            .map_err(|e| format!("cannot read `{}`: {e}", root.display()))?;
        let mut tracked: HashSet<String> = HashSet::new();
        let mut list = Vec::new();
        let mut problems = Vec::new();
        let mut absent: Vec<String> = Vec::new();
        for (rel, _) in self.index_entries(&index, exclude) {
            if tracked.insert(rel.clone())
                && !add_disk_file(root, &canonical_root, &rel, &mut list, &mut problems)
            {
                absent.push(rel);
            }
        }
        let walker = WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let rel = relative(root, e.path());
                if e.file_type().is_dir() {
                    let name = e.file_name();
                    if name == ".git" || SKIPPED_FOLDERS.iter().any(|s| name == *s) {
                        // a tracked file in there is listed from the index all the same
                        return false;
                    }
                    if self.ignored(&rel) {
                        return false;
                    }
                }
                !excluded(exclude, &rel)
            });
        for item in walker.flatten() {
            if item.file_type().is_dir() {
                continue;
            }
            let rel = relative(root, item.path());
            if tracked.contains(&rel) || self.ignored(&rel) {
                continue;
            }
            add_disk_file(root, &canonical_root, &rel, &mut list, &mut problems);
        }
        let mut set = FileSet::from_list(list, problems, Arc::new(WorkTree::new(root)));
        set.absent = absent;
        Ok(set)
    }

    /// The index (what the next commit holds), with contents from its blobs.
    pub fn index_files(&self, exclude: &PathGlobs) -> Result<FileSet, String> {
        let index = self
            .repo
            .index()
            .map_err(|e| err("cannot read the git index", e))?;
        let odb = self
            .repo
            .odb()
            .map_err(|e| err("cannot read the git objects", e))?;
        let mut blobs = HashMap::new();
        let mut list = Vec::new();
        let mut problems = Vec::new();
        for (rel, id) in self.index_entries(&index, exclude) {
            if blobs.contains_key(&rel) {
                continue;
            }
            match odb.read_header(id) {
                Ok((size, _)) => {
                    list.push((rel.clone(), size as u64));
                    blobs.insert(rel, id);
                }
                Err(x) => problems.push(Problem {
                    detail: format!(
                        "`{rel}` is in the index but its blob cannot be read: {}",
                        x.message()
                    ),
                    path: Some(rel),
                    region: None,
                }),
            }
        }
        let repo = Repository::open(self.repo.path())
            .map_err(|e| err("cannot open the git repository", e))?;
        Ok(FileSet::from_list(
            list,
            problems,
            Arc::new(BlobSource {
                repo: Mutex::new(repo),
                blobs,
            }),
        ))
    }

    /// A file's text in the index (`rel` relative to PATH); `None` when it is not staged.
    pub fn staged_text(&self, rel: &str) -> Option<Result<String, String>> {
        let index = self.repo.index().ok()?;
        let entry = index.get_path(Path::new(&format!("{}{rel}", self.prefix)), 0)?;
        let blob = match self.repo.find_blob(entry.id) {
            Ok(b) => b,
            Err(e) => return Some(Err(err("cannot read the staged file", e))),
        };
        Some(
            String::from_utf8(blob.content().to_vec())
                .map_err(|_| "the staged file is not valid UTF-8".to_string()),
        )
    }

    /// Paths (relative to PATH) that differ between the merge base of `rev` and HEAD, and the
    /// work tree (or the index when `staged`).
    pub fn changed_since(&self, rev: &str, staged: bool) -> Result<HashSet<String>, String> {
        let repo = &self.repo;
        let target = repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| err(&format!("cannot find the commit `{rev}`"), e))?;
        let head = repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(|e| err("HEAD has no commit", e))?;
        let base = repo
            .merge_base(target.id(), head.id())
            .map_err(|e| err(&format!("`{rev}` and HEAD have no common ancestor"), e))?;
        let tree = repo
            .find_commit(base)
            .and_then(|c| c.tree())
            .map_err(|e| err("cannot read the merge base", e))?;
        let mut opts = DiffOptions::new();
        opts.include_untracked(!staged)
            .recurse_untracked_dirs(!staged)
            .include_typechange(true);
        let diff = if staged {
            let index = repo
                .index()
                .map_err(|e| err("cannot read the git index", e))?;
            repo.diff_tree_to_index(Some(&tree), Some(&index), Some(&mut opts))
        } else {
            repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        }
        .map_err(|e| err("cannot compare with the merge base", e))?;
        let mut out = HashSet::new();
        for d in diff.deltas() {
            for f in [d.old_file(), d.new_file()] {
                if let Some(p) = f.path() {
                    let full = relative(Path::new(""), p);
                    if let Some(rel) = self.inside(&full) {
                        out.insert(rel.to_string());
                    }
                }
            }
        }
        Ok(out)
    }

    /// Walks every commit reachable from HEAD, oldest first. `on_file` sees each path (relative
    /// to PATH) once, with the first commit that holds it; each blob is given to the scanners
    /// once. Unchanged subtrees are not walked again.
    pub fn history(
        &self,
        scanners: &[Box<dyn BlobScanner>],
        max_bytes: u64,
        on_file: &mut dyn FnMut(&str, &str),
    ) -> Result<History, String> {
        let repo = &self.repo;
        let mut walk = repo
            .revwalk()
            .map_err(|e| err("cannot walk the history", e))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .map_err(|e| err("cannot walk the history", e))?;
        if repo.head().is_err() {
            // no commit yet: no history
            return Ok(History::default());
        }
        walk.push_head()
            .map_err(|e| err("cannot walk the history", e))?;
        let odb = repo
            .odb()
            .map_err(|e| err("cannot read the git objects", e))?;
        let mut w = HistoryWalk {
            repo,
            odb: &odb,
            prefix: &self.prefix,
            scanners,
            max_bytes,
            seen_trees: HashSet::new(),
            seen_paths: HashSet::new(),
            seen_blobs: HashSet::new(),
            path_blobs: HashMap::new(),
            found: Vec::new(),
            unreadable: Vec::new(),
        };
        let mut commits = 0;
        for oid in walk {
            commits += 1;
            let oid = oid.map_err(|e| err("cannot walk the history", e))?;
            let commit = repo
                .find_commit(oid)
                .map_err(|e| err("cannot read a commit", e))?;
            let tree = commit
                .tree()
                .map_err(|e| err("cannot read a commit's tree", e))?;
            let sha = oid.to_string();
            w.tree(&tree, "", &sha, on_file);
        }
        // a past path is moved, not lost, when a blob it held is, or was once, at a path that
        // HEAD still holds: the content is published where it is now
        let head_paths = match repo.head().ok().and_then(|h| h.peel_to_tree().ok()) {
            Some(t) => {
                let mut paths = HashSet::new();
                let _ = t.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
                    if e.kind() == Some(ObjectType::Blob) {
                        let full = format!("{dir}{}", String::from_utf8_lossy(e.name_bytes()));
                        if let Some(rel) = full.strip_prefix(self.prefix.as_str()) {
                            paths.insert(rel.to_string());
                        }
                    }
                    git2::TreeWalkResult::Ok
                });
                paths
            }
            None => HashSet::new(),
        };
        let at_head: HashSet<Oid> = head_paths
            .iter()
            .filter_map(|p| w.path_blobs.get(p))
            .flatten()
            .copied()
            .collect();
        let moved = w
            .path_blobs
            .iter()
            .filter(|(p, blobs)| {
                !head_paths.contains(*p) && blobs.iter().any(|b| at_head.contains(b))
            })
            .map(|(p, _)| p.clone())
            .collect();
        Ok(History {
            found: w.found,
            moved,
            shallow: repo.is_shallow(),
            unreadable: w.unreadable,
            commits,
        })
    }
}

/// What a walk of the history found.
#[derive(Debug, Default)]
pub struct History {
    /// The scanners' hits.
    pub found: Vec<HistoryFinding>,
    /// Past paths (no longer at HEAD) whose content was moved to a path HEAD holds.
    pub moved: HashSet<String>,
    /// The clone is shallow: commits before its graft points were not seen.
    pub shallow: bool,
    /// Blobs that could not be read (a partial clone's missing objects, corruption), with the
    /// first path each was seen at.
    pub unreadable: Vec<(String, String)>,
    /// Commits walked.
    pub commits: usize,
}

/// Adds a file on disk to the list; a symbolic link is followed only inside the root.
fn add_disk_file(
    root: &Path,
    canonical_root: &Path,
    rel: &str,
    list: &mut Vec<(String, u64)>,
    problems: &mut Vec<Problem>,
) -> bool {
    let disk = root.join(rel);
    let Ok(meta) = std::fs::symlink_metadata(&disk) else {
        // deleted from the work tree: the next commit will not hold it
        return false;
    };
    if meta.file_type().is_symlink() {
        match disk.canonicalize() {
            Ok(t) if !t.starts_with(canonical_root) => problems.push(Problem {
                path: Some(rel.to_string()),
                region: None,
                detail: format!(
                    "`{rel}` is a symbolic link to a place outside the repository; it was not followed"
                ),
            }),
            Ok(t) => {
                if let Ok(m) = std::fs::metadata(&t) {
                    if m.is_file() {
                        list.push((rel.to_string(), m.len()));
                    }
                }
            }
            Err(_) => problems.push(Problem {
                path: Some(rel.to_string()),
                region: None,
                detail: format!("`{rel}` is a broken symbolic link"),
            }),
        }
    } else if meta.is_file() {
        list.push((rel.to_string(), meta.len()));
    }
    true
}

/// File contents from git blobs (the index).
struct BlobSource {
    repo: Mutex<Repository>,
    blobs: HashMap<String, Oid>,
}

impl Source for BlobSource {
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        let oid = self
            .blobs
            .get(path)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not in the index"))?;
        let repo = self
            .repo
            .lock()
            .map_err(|_| io::Error::other("the repository lock is poisoned"))?;
        let blob = repo
            .find_blob(*oid)
            .map_err(|e| io::Error::other(e.message().to_string()))?;
        let data = blob.content();
        let n = (limit as usize).min(data.len());
        Ok(data[..n].to_vec())
    }
}

/// What a content scanner found in one blob of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryHit {
    /// The fact the hit is a witness of (for example `history.secret`).
    pub fact: String,
    pub region: Option<Region>,
    /// Already masked: fills `{detail}` in the rule's message.
    pub detail: String,
    pub sensitive: bool,
}

/// A hit placed in the history: the first commit and path its blob was seen at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryFinding {
    pub commit: String,
    pub path: String,
    pub hit: HistoryHit,
}

/// A content scanner for blobs of past commits (secrets, personal data). `path` is relative to
/// PATH; `bytes` is the whole blob (at most the policy's `scan.max_bytes`).
pub trait BlobScanner: Sync {
    fn scan(&self, path: &str, bytes: &[u8]) -> Vec<HistoryHit>;
}

struct HistoryWalk<'r> {
    repo: &'r Repository,
    odb: &'r git2::Odb<'r>,
    prefix: &'r str,
    scanners: &'r [Box<dyn BlobScanner>],
    max_bytes: u64,
    seen_trees: HashSet<(Oid, String)>,
    seen_paths: HashSet<String>,
    seen_blobs: HashSet<Oid>,
    /// Every blob each path has held.
    path_blobs: HashMap<String, Vec<Oid>>,
    found: Vec<HistoryFinding>,
    unreadable: Vec<(String, String)>,
}

impl HistoryWalk<'_> {
    fn tree(&mut self, tree: &Tree, dir: &str, sha: &str, on_file: &mut dyn FnMut(&str, &str)) {
        if !self.seen_trees.insert((tree.id(), dir.to_string())) {
            return;
        }
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes());
            let full = format!("{dir}{name}");
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    let sub = format!("{full}/");
                    // only folders inside PATH, or on the way to it
                    if !(sub.starts_with(self.prefix) || self.prefix.starts_with(&sub)) {
                        continue;
                    }
                    if self.seen_trees.contains(&(entry.id(), sub.clone())) {
                        continue;
                    }
                    if let Ok(t) = self.repo.find_tree(entry.id()) {
                        self.tree(&t, &sub, sha, on_file);
                    }
                }
                Some(ObjectType::Blob) => {
                    let Some(rel) = full.strip_prefix(self.prefix) else {
                        continue;
                    };
                    if self.seen_paths.insert(rel.to_string()) {
                        on_file(rel, sha);
                    }
                    let blobs = self.path_blobs.entry(rel.to_string()).or_default();
                    if !blobs.contains(&entry.id()) {
                        blobs.push(entry.id());
                    }
                    if !self.scanners.is_empty() && self.seen_blobs.insert(entry.id()) {
                        self.scan(entry.id(), rel, sha);
                    }
                }
                _ => {}
            }
        }
    }

    fn scan(&mut self, oid: Oid, rel: &str, sha: &str) {
        match self.odb.read_header(oid) {
            Ok((size, _)) if size as u64 <= self.max_bytes => {}
            Ok(_) => return,
            Err(_) => {
                self.unreadable.push((oid.to_string(), rel.to_string()));
                return;
            }
        }
        let Ok(blob) = self.repo.find_blob(oid) else {
            self.unreadable.push((oid.to_string(), rel.to_string()));
            return;
        };
        for s in self.scanners {
            for hit in s.scan(rel, blob.content()) {
                self.found.push(HistoryFinding {
                    commit: sha.to_string(),
                    path: rel.to_string(),
                    hit,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Commits `files` (path, content) on top of HEAD, replacing the whole tree.
    fn commit(repo: &Repository, files: &[(&str, &[u8])]) -> Oid {
        let mut index = repo.index().unwrap();
        index.clear().unwrap();
        for (p, data) in files {
            let full = repo.workdir().unwrap().join(p);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, data).unwrap();
            index.add_path(Path::new(p)).unwrap();
        }
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("Test", "test@example.invalid").unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &refs)
            .unwrap()
    }

    struct Counting(Arc<AtomicUsize>);

    impl BlobScanner for Counting {
        fn scan(&self, path: &str, bytes: &[u8]) -> Vec<HistoryHit> {
            self.0.fetch_add(1, Ordering::SeqCst);
            if bytes.starts_with(b"TOKEN") {
                vec![HistoryHit {
                    fact: "history.secret".into(),
                    region: None,
                    detail: format!("a token in {path}"),
                    sensitive: true,
                }]
            } else {
                vec![]
            }
        }
    }

    #[test]
    fn history_reads_each_blob_once_and_names_the_first_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let first = commit(&repo, &[("a.txt", b"TOKEN 1"), ("sub/b.txt", b"same")]);
        // the same blob at a second path, and a.txt gone
        commit(
            &repo,
            &[
                ("sub/b.txt", b"same"),
                ("sub/c.txt", b"same"),
                ("d.txt", b"x"),
            ],
        );
        let g = open(dir.path()).unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let scanners: Vec<Box<dyn BlobScanner>> = vec![Box::new(Counting(calls.clone()))];
        let mut seen = Vec::new();
        let found = g
            .history(&scanners, 1 << 20, &mut |p, c| {
                seen.push((p.to_string(), c.to_string()))
            })
            .unwrap()
            .found;
        seen.sort();
        assert_eq!(
            seen.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["a.txt", "d.txt", "sub/b.txt", "sub/c.txt"]
        );
        assert_eq!(seen[0].1, first.to_string());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "a.txt");
        assert_eq!(found[0].commit, first.to_string());
        // three distinct blobs: "TOKEN 1", "same", "x"
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
