//! GGUF headers (versions 2 and 3): magic, counts, every metadata key-value pair (arrays
//! included, skipped with bounds) and the tensor infos. `general.license` and `general.name`
//! are kept; tensor data is never read.

use super::Note;
use std::io::{self, BufRead, Read};

pub const MAX_TENSORS: u64 = 1 << 20;
pub const MAX_KV: u64 = 1 << 16;
const MAX_KEY: u64 = 1 << 16;
const MAX_STRING: u64 = 1 << 30;
const MAX_ARRAY: u64 = 1 << 32;
const KEPT_VALUE: u64 = 4096;

/// What a header declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub tensors: u64,
    pub kv: u64,
    pub license: Option<String>,
    pub name: Option<String>,
    pub alignment: u64,
    /// Where tensor data starts (after alignment).
    pub data_start: u64,
}

struct Reader<R> {
    r: R,
    pos: u64,
}

impl<R: BufRead> Reader<R> {
    fn exact(&mut self, b: &mut [u8]) -> Result<(), String> {
        self.r.read_exact(b).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => format!("truncated at byte {}", self.pos),
            _ => format!("cannot be read: {e}"),
        })?;
        self.pos += b.len() as u64;
        Ok(())
    }
    fn u32(&mut self) -> Result<u32, String> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64, String> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn skip(&mut self, n: u64) -> Result<(), String> {
        let k = io::copy(&mut (&mut self.r).take(n), &mut io::sink())
            .map_err(|e| format!("cannot be read: {e}"))?;
        self.pos += k;
        if k < n {
            return Err(format!("truncated at byte {}", self.pos));
        }
        Ok(())
    }
    /// A string: kept when `keep` and short, else skipped.
    fn string(&mut self, cap: u64, keep: bool, what: &str) -> Result<Option<String>, String> {
        let n = self.u64()?;
        if n > cap {
            return Err(format!("{what} of {n} bytes, more than the {cap} allowed"));
        }
        if keep && n <= KEPT_VALUE {
            let mut b = vec![0u8; n as usize];
            self.exact(&mut b)?;
            return Ok(Some(String::from_utf8_lossy(&b).into_owned()));
        }
        self.skip(n)?;
        Ok(None)
    }
}

/// Size in bytes of a scalar metadata type; `None` for strings and arrays.
fn scalar_size(t: u32) -> Result<Option<u64>, String> {
    Ok(match t {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        8 | 9 => None,
        other => return Err(format!("unknown metadata value type {other}")),
    })
}

/// Bytes per block and elements per block of the ggml types whose layout is fixed.
fn block(t: u32) -> Option<(u64, u64)> {
    Some(match t {
        0 => (4, 1),   // F32
        1 => (2, 1),   // F16
        2 => (18, 32), // Q4_0
        3 => (20, 32), // Q4_1
        6 => (22, 32), // Q5_0
        7 => (24, 32), // Q5_1
        8 => (34, 32), // Q8_0
        24 => (1, 1),  // I8
        25 => (2, 1),  // I16
        26 => (4, 1),  // I32
        27 => (8, 1),  // I64
        28 => (8, 1),  // F64
        30 => (2, 1),  // BF16
        _ => return None,
    })
}

/// Reads a GGUF header. `size` bounds the tensor offsets.
pub fn header<R: BufRead>(r: R, size: u64) -> Result<Header, String> {
    let mut rd = Reader { r, pos: 0 };
    let mut magic = [0u8; 4];
    rd.exact(&mut magic)
        .map_err(|_| "truncated: shorter than the GGUF magic".to_string())?;
    if &magic != b"GGUF" {
        return Err("not a GGUF file: the magic `GGUF` is missing".into());
    }
    let version = rd.u32()?;
    if !(2..=3).contains(&version) {
        return Err(format!("unsupported GGUF version {version}"));
    }
    let tensors = rd.u64()?;
    let kv = rd.u64()?;
    if tensors > MAX_TENSORS {
        return Err(format!(
            "declares {tensors} tensors, more than the {MAX_TENSORS} allowed"
        ));
    }
    if kv > MAX_KV {
        return Err(format!(
            "declares {kv} metadata pairs, more than the {MAX_KV} allowed"
        ));
    }
    let mut h = Header {
        version,
        tensors,
        kv,
        alignment: 32,
        ..Header::default()
    };
    for _ in 0..kv {
        let key = rd
            .string(MAX_KEY, true, "a metadata key")?
            .unwrap_or_default();
        let t = rd.u32()?;
        let keep = matches!(key.as_str(), "general.license" | "general.name");
        match scalar_size(t)? {
            Some(n) => {
                if key == "general.alignment" && t == 4 {
                    h.alignment = rd.u32()? as u64;
                    if h.alignment == 0 || !h.alignment.is_power_of_two() {
                        return Err(format!(
                            "`general.alignment` {} is not a power of two",
                            h.alignment
                        ));
                    }
                } else {
                    rd.skip(n)?;
                }
            }
            None if t == 8 => {
                let v = rd.string(MAX_STRING, keep, "a string value")?;
                match key.as_str() {
                    "general.license" => h.license = v,
                    "general.name" => h.name = v,
                    _ => {}
                }
            }
            None => skip_array(&mut rd, size, 0)?,
        }
    }
    let mut extents: Vec<(u64, u64, Option<u64>)> = Vec::new();
    for i in 0..tensors {
        rd.string(MAX_KEY, false, "a tensor name")?;
        let dims = rd.u32()?;
        if dims > 8 {
            return Err(format!("tensor {i} has {dims} dimensions"));
        }
        let mut elems: u64 = 1;
        for _ in 0..dims {
            let d = rd.u64()?;
            elems = elems
                .checked_mul(d)
                .ok_or_else(|| format!("tensor {i} has a size that overflows"))?;
        }
        let ty = rd.u32()?;
        if ty > 64 {
            return Err(format!("tensor {i} has unknown type {ty}"));
        }
        let offset = rd.u64()?;
        if offset % h.alignment != 0 {
            return Err(format!("tensor {i} data offset {offset} is not aligned"));
        }
        let need = match block(ty) {
            Some((bytes, per)) => {
                if elems % per != 0 {
                    return Err(format!("tensor {i} size is not a whole number of blocks"));
                }
                Some((elems / per).saturating_mul(bytes))
            }
            None => None,
        };
        extents.push((i, offset, need));
    }
    h.data_start = rd.pos.div_ceil(h.alignment).saturating_mul(h.alignment);
    for (i, offset, need) in extents {
        let end = h
            .data_start
            .saturating_add(offset)
            .saturating_add(need.unwrap_or(0));
        if end > size {
            return Err(format!("tensor {i} runs past the end of the file"));
        }
    }
    Ok(h)
}

fn skip_array<R: BufRead>(rd: &mut Reader<R>, size: u64, depth: u32) -> Result<(), String> {
    if depth > 2 {
        return Err("metadata arrays nested too deeply".into());
    }
    let t = rd.u32()?;
    let n = rd.u64()?;
    if n > MAX_ARRAY || n > size {
        return Err(format!(
            "a metadata array of {n} items, more than the file can hold"
        ));
    }
    match scalar_size(t)? {
        Some(k) => rd.skip(n.saturating_mul(k)),
        None if t == 8 => {
            for _ in 0..n {
                rd.string(MAX_STRING, false, "a string in an array")?;
            }
            Ok(())
        }
        None => {
            for _ in 0..n {
                skip_array(rd, size, depth + 1)?;
            }
            Ok(())
        }
    }
}

pub fn scan<R: BufRead>(r: R, size: u64) -> Vec<Note> {
    match header(r, size) {
        Ok(h) => vec![Note::Declared {
            license: h.license,
            name: h.name,
        }],
        Err(d) => vec![Note::malformed(None, None, d)],
    }
}
