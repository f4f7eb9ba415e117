//! Model files inspected without loading them: pickles (raw, inside PyTorch zip archives, inside
//! NumPy object arrays), safetensors headers and GGUF headers. Each file is read at most once,
//! streaming, with every length and count bounded; bad input gives a note, never a panic.

pub mod archive;
pub mod gguf;
pub mod npy;
pub mod pickle;
pub mod safetensors;

use crate::repo::{roles, FileSet};
use rayon::prelude::*;
use std::io::{self, BufReader, Cursor, Read, Seek};

/// Bounds of one inspection.
#[derive(Debug, Clone)]
pub struct Options {
    /// Globals the policy declares safe besides the built-in allow-list (`module.name`).
    pub extra_safe: Vec<String>,
    pub pickle: pickle::Limits,
    /// Largest archive member read (decompressed bytes).
    pub member_cap: u64,
    /// Most entries an archive may list.
    pub max_entries: usize,
    /// Largest decompressed / compressed ratio of a member before it counts as a bomb.
    pub max_ratio: u64,
    /// Bytes read from a file that has no disk path (in-memory sources).
    pub memory_cap: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            extra_safe: Vec::new(),
            pickle: pickle::Limits::default(),
            member_cap: 512 << 20,
            max_entries: 100_000,
            max_ratio: 1000,
            memory_cap: 256 << 20,
        }
    }
}

/// What an inspection found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// An import outside the allow-list (`verdict` says how bad).
    Import {
        member: Option<String>,
        import: pickle::Import,
    },
    /// The file or one of its members cannot be read as its format says.
    Malformed {
        member: Option<String>,
        offset: Option<u64>,
        detail: String,
    },
    /// Licence and name a GGUF file declares in its metadata.
    Declared {
        license: Option<String>,
        name: Option<String>,
    },
    /// A raw pickle that imports nothing: plain data (lists, dicts, numbers, strings), which
    /// cannot run code when loaded.
    DataOnly,
}

impl Note {
    fn malformed(member: Option<&str>, offset: Option<u64>, detail: impl Into<String>) -> Note {
        Note::Malformed {
            member: member.map(str::to_string),
            offset,
            detail: detail.into(),
        }
    }
}

/// How a file is inspected, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.pkl`, `.pt`, ...: a raw pickle or a PyTorch zip archive. `lenient` (`.bin`): a file
    /// that does not parse as a pickle is some other binary, not a finding.
    Pickle {
        lenient: bool,
    },
    Npy,
    Npz,
    Safetensors,
    Gguf,
}

pub fn format_of(path: &str) -> Option<Format> {
    Some(match roles::extension(path)?.as_str() {
        "pkl" | "pickle" | "pt" | "pth" | "ckpt" | "joblib" => Format::Pickle { lenient: false },
        "bin" => Format::Pickle { lenient: true },
        "npy" => Format::Npy,
        "npz" => Format::Npz,
        "safetensors" => Format::Safetensors,
        "gguf" => Format::Gguf,
        _ => return None,
    })
}

/// A model-file format told by a file's first bytes, for files whose name says nothing: a
/// pickle's protocol header, a zip archive (a PyTorch checkpoint), NumPy's magic, GGUF's, a
/// safetensors header length followed by its JSON. Such files are inspected as if named so.
pub fn sniff(head: &[u8]) -> Option<Format> {
    match head {
        [0x80, 2..=5, ..] => Some(Format::Pickle { lenient: true }),
        [b'P', b'K', 3, 4, ..] => Some(Format::Pickle { lenient: true }),
        [0x93, b'N', b'U', b'M', b'P', b'Y', ..] => Some(Format::Npy),
        [b'G', b'G', b'U', b'F', ..] => Some(Format::Gguf),
        [a, b, c, d, e, f, g, h, b'{', ..] => {
            let n = u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]);
            (2..100_000_000).contains(&n).then_some(Format::Safetensors)
        }
        _ => None,
    }
}

/// Inspects the files a content sniff found (`sniff`), given with their formats.
pub fn inspect_sniffed(
    files: &FileSet,
    found: &[(String, Format)],
    opts: &Options,
) -> Vec<(String, Vec<Note>)> {
    found
        .par_iter()
        .filter_map(|(path, f)| {
            let size = files.get(path).map_or(0, |e| e.size);
            let notes = match open(files, path, opts.memory_cap) {
                Ok(mut input) => inspect(*f, input.as_mut(), size, opts),
                Err(err) => vec![Note::malformed(
                    None,
                    None,
                    format!("cannot be read: {err}"),
                )],
            };
            (!notes.is_empty()).then(|| (path.clone(), notes))
        })
        .collect()
}

/// Readers the inspectors take: a file on disk or bytes in memory.
pub trait Input: Read + Seek + Send {}
impl<T: Read + Seek + Send> Input for T {}

const LFS_POINTER: &[u8] = b"version https://git-lfs";

/// Inspects one file. `size` is its length in bytes.
pub fn inspect(format: Format, input: &mut dyn Input, size: u64, opts: &Options) -> Vec<Note> {
    let mut head = [0u8; 32];
    let n = match read_head(input, &mut head) {
        Ok(n) => n,
        Err(e) => return vec![Note::malformed(None, None, format!("cannot be read: {e}"))],
    };
    let head = &head[..n];
    // a Git LFS pointer stands in for the file; there is nothing to inspect
    if head.starts_with(LFS_POINTER) || n == 0 {
        return vec![];
    }
    match format {
        Format::Pickle { lenient } => {
            if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
                archive::scan(input, opts, archive::Members::Pickles)
            } else {
                raw_pickle(input, lenient && head[0] != 0x80, opts)
            }
        }
        Format::Npz => archive::scan(input, opts, archive::Members::Npy),
        Format::Npy => npy::scan(BufReader::new(input), None, opts),
        Format::Safetensors => safetensors::scan(input, size),
        Format::Gguf => gguf::scan(BufReader::new(input), size),
    }
}

fn read_head(input: &mut dyn Input, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match input.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    input.rewind()?;
    Ok(n)
}

/// A pickle that is the whole file (or a legacy `torch.save` stream of several).
fn raw_pickle(input: &mut dyn Input, lenient: bool, opts: &Options) -> Vec<Note> {
    let reports = pickle::scan_all(BufReader::new(input), &opts.extra_safe, &opts.pickle);
    // no GLOBAL / STACK_GLOBAL / INST anywhere, and every stream read to its end: no callable
    // can be reached, so no REDUCE can run one
    if !reports.is_empty()
        && reports
            .iter()
            .all(|r| r.imports.is_empty() && r.problem.is_none())
    {
        return vec![Note::DataOnly];
    }
    pickle_notes(reports, None, lenient)
}

/// Notes from pickle reports. `lenient`: a stream that never reached an import and failed is
/// not a pickle at all (another binary format), so its problem is dropped.
pub(crate) fn pickle_notes(
    reports: Vec<pickle::Report>,
    member: Option<&str>,
    lenient: bool,
) -> Vec<Note> {
    let mut out = Vec::new();
    let any_import = reports.iter().any(|r| !r.imports.is_empty());
    for r in reports {
        for i in r.imports {
            if i.verdict != pickle::Verdict::Safe {
                out.push(Note::Import {
                    member: member.map(str::to_string),
                    import: i,
                });
            }
        }
        if let Some(p) = r.problem {
            if !lenient || any_import {
                out.push(Note::malformed(member, Some(p.offset), p.detail));
            }
        }
    }
    out
}

/// Opens a file of the set: streaming from disk when it is on disk, else from memory (capped).
fn open(files: &FileSet, path: &str, cap: u64) -> io::Result<Box<dyn Input>> {
    if let Some(p) = files.disk_path(path) {
        return Ok(Box::new(std::fs::File::open(p)?));
    }
    Ok(Box::new(Cursor::new(files.read(path, cap)?)))
}

/// Inspects every model file of the set, in parallel.
pub fn inspect_files(files: &FileSet, opts: &Options) -> Vec<(String, Vec<Note>)> {
    let mut planned: Vec<_> = files
        .entries
        .iter()
        .filter_map(|e| format_of(&e.path).map(|f| (e, f)))
        .collect();
    // largest first, one file per piece of work (see `scan::scan_file_set`)
    planned.sort_by_key(|p| std::cmp::Reverse(p.0.size));
    let mut out: Vec<(String, Vec<Note>)> = planned
        .into_par_iter()
        .with_max_len(1)
        .map(|(e, f)| {
            let notes = match open(files, &e.path, opts.memory_cap) {
                Ok(mut input) => inspect(f, input.as_mut(), e.size, opts),
                Err(err) => vec![Note::malformed(
                    None,
                    None,
                    format!("cannot be read: {err}"),
                )],
            };
            (e.path.clone(), notes)
        })
        .filter(|(_, n)| !n.is_empty())
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Where in the file a note points, for messages: `byte 42`, `byte 42 of archive/data.pkl`.
pub fn place(member: &Option<String>, offset: Option<u64>) -> String {
    match (member, offset) {
        (Some(m), Some(o)) => format!("at byte {o} of member `{m}`"),
        (Some(m), None) => format!("in member `{m}`"),
        (None, Some(o)) => format!("at byte {o}"),
        (None, None) => "in its header".to_string(),
    }
}
