//! NumPy `.npy` files: the header is read; an array of Python objects (`descr` with `O`) stores
//! its payload as a pickle, which is walked like any other.

use super::{pickle, pickle_notes, Note, Options};
use std::io::{BufRead, Read};

const MAGIC: &[u8] = b"\x93NUMPY";
const HEADER_CAP: u64 = 1 << 20;

/// What the header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: (u8, u8),
    pub descr: String,
    /// Byte offset where the array data starts.
    pub data_start: u64,
    pub object: bool,
}

/// Parses the header at the reader's position.
pub fn header<R: BufRead>(r: &mut R) -> Result<Header, String> {
    let mut pre = [0u8; 8];
    r.read_exact(&mut pre)
        .map_err(|_| "truncated: shorter than a .npy preamble".to_string())?;
    if &pre[..6] != MAGIC {
        return Err("not a .npy file: the magic string is missing".into());
    }
    let version = (pre[6], pre[7]);
    let (len, pre_len) = match version.0 {
        1 => {
            let mut b = [0u8; 2];
            r.read_exact(&mut b)
                .map_err(|_| "truncated in the header length".to_string())?;
            (u16::from_le_bytes(b) as u64, 10u64)
        }
        2 | 3 => {
            let mut b = [0u8; 4];
            r.read_exact(&mut b)
                .map_err(|_| "truncated in the header length".to_string())?;
            (u32::from_le_bytes(b) as u64, 12u64)
        }
        v => return Err(format!("unsupported .npy version {v}")),
    };
    if len > HEADER_CAP {
        return Err(format!(
            "header of {len} bytes, more than the {HEADER_CAP} inspected"
        ));
    }
    let mut text = Vec::with_capacity(len as usize);
    r.take(len)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if (text.len() as u64) < len {
        return Err("truncated inside the header".into());
    }
    let text = String::from_utf8_lossy(&text);
    let t = text.trim();
    if !t.starts_with('{') || !t.ends_with('}') {
        return Err("the header is not a dictionary".into());
    }
    for key in ["descr", "fortran_order", "shape"] {
        if !t.contains(&format!("'{key}'")) && !t.contains(&format!("\"{key}\"")) {
            return Err(format!("the header has no `{key}`"));
        }
    }
    let descr = descr_value(t).ok_or("the header's `descr` cannot be read")?;
    let object = quoted_strings(&descr).iter().any(|s| is_object_type(s));
    Ok(Header {
        version,
        object,
        descr,
        data_start: pre_len + len,
    })
}

/// The text of the `descr` value: a quoted string or a bracketed list.
fn descr_value(t: &str) -> Option<String> {
    let k = t.find("'descr'").or_else(|| t.find("\"descr\""))?;
    let rest = t[k + 7..].trim_start().strip_prefix(':')?.trim_start();
    let first = rest.chars().next()?;
    match first {
        '\'' | '"' => {
            let end = rest[1..].find(first)?;
            Some(rest[..end + 2].to_string())
        }
        '[' | '(' => {
            let mut depth = 0i32;
            let mut quote: Option<char> = None;
            for (i, c) in rest.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '[' | '(') => depth += 1,
                    (None, ']' | ')') => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(rest[..=i].to_string());
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        _ => None,
    }
}

fn quoted_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<(char, String)> = None;
    for c in s.chars() {
        match &mut cur {
            Some((q, buf)) => {
                if c == *q {
                    out.push(std::mem::take(buf));
                    cur = None;
                } else {
                    buf.push(c);
                }
            }
            None if c == '\'' || c == '"' => cur = Some((c, String::new())),
            None => {}
        }
    }
    out
}

/// `O`, `|O`, `|O8`: NumPy's object type code.
fn is_object_type(s: &str) -> bool {
    let s = s.trim_start_matches(['<', '>', '|', '=']);
    s.strip_prefix('O')
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// Inspects a .npy stream (a file or an .npz member).
pub fn scan<R: BufRead>(mut r: R, member: Option<&str>, opts: &Options) -> Vec<Note> {
    match header(&mut r) {
        Err(detail) => vec![Note::malformed(member, None, detail)],
        Ok(h) if h.object => {
            let rep = pickle::scan_from(r, h.data_start, &opts.extra_safe, &opts.pickle);
            pickle_notes(vec![rep], member, false)
        }
        Ok(_) => vec![],
    }
}
