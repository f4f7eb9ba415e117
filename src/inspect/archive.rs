//! Zip archives (PyTorch checkpoints, NumPy .npz): members are read by index with a byte cap,
//! never extracted. Zip bombs (overlapping entries, extreme ratios, sizes that lie, too many
//! entries) and corrupt archives give a note.

use super::{npy, pickle, pickle_notes, Note, Options};
use std::io::{BufReader, Read, Seek};

/// Which members are inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// `*.pkl` / `*.pickle` members (PyTorch's `archive/data.pkl`, TorchScript's constants).
    Pickles,
    /// `*.npy` members (NumPy .npz).
    Npy,
}

/// Counts the bytes a member reader gives.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        Ok(k)
    }
}

struct Meta {
    index: usize,
    name: String,
    size: u64,
    compressed: u64,
    start: u64,
    end: u64,
}

pub fn scan<R: Read + Seek>(input: R, opts: &Options, which: Members) -> Vec<Note> {
    let mut zip = match zip::ZipArchive::new(input) {
        Ok(z) => z,
        Err(e) => {
            return vec![Note::malformed(
                None,
                None,
                format!("not a readable zip archive: {e}"),
            )]
        }
    };
    if zip.len() > opts.max_entries {
        return vec![Note::malformed(
            None,
            None,
            format!(
                "the archive lists {} entries, more than the {} inspected (a zip bomb?)",
                zip.len(),
                opts.max_entries
            ),
        )];
    }
    let mut out = Vec::new();
    let mut metas = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let m = match zip.by_index_raw(i) {
            Ok(f) => {
                let name = f.name().map(|n| n.to_string()).unwrap_or_default();
                let start = f.header_start();
                let data = f.data_start().unwrap_or(start);
                Meta {
                    index: i,
                    size: f.size(),
                    compressed: f.compressed_size(),
                    end: data.saturating_add(f.compressed_size()),
                    start,
                    name,
                }
            }
            Err(e) => {
                out.push(Note::malformed(
                    None,
                    None,
                    format!("archive entry {i} cannot be read: {e}"),
                ));
                return out;
            }
        };
        metas.push(m);
    }
    // entries whose data overlap share compressed bytes: the classic non-recursive zip bomb
    let mut by_start: Vec<&Meta> = metas.iter().collect();
    by_start.sort_by_key(|m| m.start);
    for w in by_start.windows(2) {
        if w[1].start < w[0].end {
            out.push(Note::malformed(
                Some(&w[1].name),
                None,
                format!(
                    "archive entries `{}` and `{}` overlap (a zip bomb)",
                    w[0].name, w[1].name
                ),
            ));
            return out;
        }
    }
    for m in &metas {
        let wanted = match which {
            Members::Pickles => m.name.ends_with(".pkl") || m.name.ends_with(".pickle"),
            Members::Npy => m.name.ends_with(".npy"),
        };
        let ratio_bomb = m.size > (16 << 20) && m.size / m.compressed.max(1) > opts.max_ratio;
        if ratio_bomb {
            out.push(Note::malformed(
                Some(&m.name),
                None,
                format!(
                    "member expands {} times ({} bytes from {}): a zip bomb",
                    m.size / m.compressed.max(1),
                    m.size,
                    m.compressed
                ),
            ));
            continue;
        }
        if !wanted {
            continue;
        }
        if m.size > opts.member_cap {
            out.push(Note::malformed(
                Some(&m.name),
                None,
                format!(
                    "member declares {} bytes, more than the {} inspected",
                    m.size, opts.member_cap
                ),
            ));
            continue;
        }
        let f = match zip.by_index(m.index) {
            Ok(f) => f,
            Err(e) => {
                out.push(Note::malformed(
                    Some(&m.name),
                    None,
                    format!("member cannot be read: {e}"),
                ));
                continue;
            }
        };
        // read one byte past the declared size to catch a size that lies
        let mut counted = Counted {
            inner: f.take(m.size.saturating_add(1)),
            n: 0,
        };
        match which {
            Members::Pickles => {
                let reports =
                    pickle::scan_all(BufReader::new(&mut counted), &opts.extra_safe, &opts.pickle);
                out.extend(pickle_notes(reports, Some(&m.name), false));
            }
            Members::Npy => {
                out.extend(npy::scan(BufReader::new(&mut counted), Some(&m.name), opts));
            }
        }
        // drain what the inspector left, to check the declared size (bounded by it)
        let rest = std::io::copy(&mut counted, &mut std::io::sink());
        match rest {
            Ok(_) if counted.n > m.size => out.push(Note::malformed(
                Some(&m.name),
                None,
                format!("member holds more than the {} bytes it declares", m.size),
            )),
            Ok(_) if counted.n < m.size => out.push(Note::malformed(
                Some(&m.name),
                None,
                format!(
                    "member holds {} bytes, fewer than the {} it declares",
                    counted.n, m.size
                ),
            )),
            Ok(_) => {}
            Err(e) => out.push(Note::malformed(
                Some(&m.name),
                None,
                format!("member is corrupt: {e}"),
            )),
        }
    }
    out
}
