//! File access for what the repository holds: the repository is untrusted (a pull request from a
//! fork), so what it names is read and written only inside its root, only as regular files, and
//! never through a link it holds. Paths the user names on the command line are not confined.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

fn refused(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, msg)
}

/// Options that open a path without following a final symbolic link and without blocking on a
/// FIFO (unix); elsewhere the checks before and after opening stand alone.
fn no_follow(opts: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    opts
}

/// `root/rel` when `rel` is a relative path of normal components whose folders inside the root
/// are real folders, not links (a link could lead out of the root).
fn confined(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel_path = Path::new(rel);
    let mut at = root.to_path_buf();
    let comps: Vec<Component> = rel_path.components().collect();
    if comps.is_empty() || !comps.iter().all(|c| matches!(c, Component::Normal(_))) {
        return Err(refused(format!(
            "`{rel}` is not a path inside the repository"
        )));
    }
    for (i, c) in comps.iter().enumerate() {
        at.push(c.as_os_str());
        let last = i + 1 == comps.len();
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(format!(
                    "`{rel}` goes through a symbolic link; modelgate does not follow links the repository holds"
                )));
            }
            Ok(m) if !last && !m.is_dir() => {
                return Err(refused(format!(
                    "`{rel}`: a part of the path is not a folder"
                )));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(at)
}

/// Opens a regular file, refusing links, FIFOs, devices and sockets.
fn open_regular(path: &Path, shown: &str) -> io::Result<File> {
    let f = no_follow(OpenOptions::new().read(true)).open(path)?;
    let m = f.metadata()?;
    if !m.is_file() {
        return Err(refused(format!(
            "`{shown}` is not a regular file (a FIFO, a device or a folder); it was not read"
        )));
    }
    Ok(f)
}

/// Reads at most `limit` bytes of a regular file.
fn read_capped(f: File, limit: u64, shown: &str) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    f.take(limit.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("`{shown}` is larger than {limit} bytes; it was not read"),
        ));
    }
    Ok(out)
}

/// Reads a file the repository holds: inside `root`, a regular file, at most `limit` bytes. A
/// link is followed only when where it leads is inside the root too.
pub fn read_inside(root: &Path, rel: &str, limit: u64) -> io::Result<Vec<u8>> {
    let path = match confined(root, rel) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            let joined = root.join(rel);
            let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root.canonicalize()) else {
                return Err(e);
            };
            if !real.starts_with(&real_root) {
                return Err(refused(format!(
                    "`{rel}` is a symbolic link to a place outside the repository; it was not followed"
                )));
            }
            real
        }
        Err(e) => return Err(e),
    };
    read_capped(open_regular(&path, rel)?, limit, rel)
}

/// Reads a file the user named: anywhere, but a regular file, at most `limit` bytes (a FIFO or
/// `/dev/zero` would block or fill memory).
pub fn read_named(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let shown = path.display().to_string();
    let f = {
        let mut o = OpenOptions::new();
        o.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(libc::O_NONBLOCK);
        }
        o.open(path)?
    };
    if !f.metadata()?.is_file() {
        return Err(refused(format!(
            "`{shown}` is not a regular file (a FIFO, a device or a folder); it was not read"
        )));
    }
    read_capped(f, limit, &shown)
}

/// Writes `content` to `root/rel`: the folders on the way are real folders inside the root
/// (created when missing), the bytes go to a new temporary file created in the same folder
/// (never an existing file, never through a link), and the temporary file is renamed over the
/// target only when the target is a regular file or does not exist.
pub fn write_inside(root: &Path, rel: &str, content: &[u8]) -> io::Result<()> {
    let target = confined(root, rel)?;
    let parent = target
        .parent()
        .ok_or_else(|| refused(format!("`{rel}` has no folder")))?;
    std::fs::create_dir_all(parent)?;
    // the folders may have changed while they were created: look again
    confined(root, rel)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = None;
    for attempt in 0..16u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let candidate = parent.join(format!(
            ".{name}.modelgate-fix-{}-{nanos:x}{attempt}.tmp",
            std::process::id()
        ));
        match no_follow(OpenOptions::new().write(true).create_new(true)).open(&candidate) {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    let (tmp_path, mut f) =
        tmp.ok_or_else(|| refused(format!("no temporary file could be created for `{rel}`")))?;
    let written = f.write_all(content).and_then(|_| f.sync_all());
    drop(f);
    let checked = written.and_then(|_| match std::fs::symlink_metadata(&target) {
        Ok(m) if !m.is_file() => Err(refused(format!(
            "`{rel}` is not a regular file (a link, a FIFO or a folder); it was not replaced"
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    });
    let renamed = checked.and_then(|_| std::fs::rename(&tmp_path, &target));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_stay_inside_and_never_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.md"), "text").unwrap();
        assert_eq!(read_inside(root, "a.md", 100).unwrap(), b"text");
        assert!(read_inside(root, "../a.md", 100).is_err());
        assert!(read_inside(root, "a.md", 2).is_err(), "over the cap");
        write_inside(root, "sub/b.md", b"new").unwrap();
        assert_eq!(std::fs::read(root.join("sub/b.md")).unwrap(), b"new");
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            let secret = outside.path().join("secret");
            std::fs::write(&secret, "outside").unwrap();
            std::os::unix::fs::symlink(&secret, root.join("link.md")).unwrap();
            assert!(read_inside(root, "link.md", 100).is_err());
            // a link that stays inside the root is read
            std::os::unix::fs::symlink(root.join("a.md"), root.join("inner.md")).unwrap();
            assert_eq!(read_inside(root, "inner.md", 100).unwrap(), b"text");
            assert!(write_inside(root, "inner.md", b"x").is_err());
            assert!(write_inside(root, "link.md", b"x").is_err());
            assert_eq!(std::fs::read_to_string(&secret).unwrap(), "outside");
            std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
            assert!(write_inside(root, "out/x.md", b"x").is_err());
            assert!(!outside.path().join("x.md").exists());
            // no temporary file is left behind
            let left: Vec<_> = std::fs::read_dir(root)
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("modelgate-fix"))
                .collect();
            assert!(left.is_empty());
        }
    }
}
