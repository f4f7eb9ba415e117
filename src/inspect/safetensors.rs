//! safetensors headers: an 8-byte little-endian length, then that many bytes of JSON naming each
//! tensor's dtype, shape and byte range in the data that follows. Tensors are never read.

use super::Note;
use serde_json::Value;
use std::io::Read;

/// Largest header read (the reference implementation refuses more than 100 MB).
pub const HEADER_CAP: u64 = 100_000_000;

/// Bits per element of each dtype the format defines.
fn dtype_bits(d: &str) -> Option<u64> {
    Some(match d {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        "F6_E2M3" | "F6_E3M2" => 6,
        "F4" => 4,
        _ => return None,
    })
}

/// Checks a safetensors file's header against the file's size. Problems come back as text.
pub fn check<R: Read>(mut r: R, size: u64) -> Result<usize, String> {
    let mut len = [0u8; 8];
    r.read_exact(&mut len)
        .map_err(|_| "truncated: shorter than the 8-byte header length".to_string())?;
    let n = u64::from_le_bytes(len);
    if n > HEADER_CAP {
        return Err(format!(
            "the header claims {n} bytes, more than the {HEADER_CAP} allowed"
        ));
    }
    if n.saturating_add(8) > size {
        return Err(format!(
            "the header claims {n} bytes but the file has only {size}"
        ));
    }
    let mut text = Vec::with_capacity(n as usize);
    (&mut r)
        .take(n)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if (text.len() as u64) < n {
        return Err("truncated inside the header".into());
    }
    if text.first() != Some(&b'{') {
        return Err("the header does not start with `{`".into());
    }
    let v: Value =
        serde_json::from_slice(&text).map_err(|e| format!("the header is not valid JSON: {e}"))?;
    let map = v.as_object().ok_or("the header is not a JSON object")?;
    let data_len = size - 8 - n;
    let mut ranges: Vec<(u64, u64, &str)> = Vec::new();
    for (name, t) in map {
        if name == "__metadata__" {
            let ok = t
                .as_object()
                .is_some_and(|m| m.values().all(Value::is_string));
            if !ok {
                return Err("`__metadata__` must map strings to strings".into());
            }
            continue;
        }
        let t = t
            .as_object()
            .ok_or_else(|| format!("tensor `{name}` is not an object"))?;
        let dtype = t
            .get("dtype")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("tensor `{name}` has no dtype"))?;
        let bits = dtype_bits(dtype)
            .ok_or_else(|| format!("tensor `{name}` has unknown dtype `{dtype}`"))?;
        let shape = t
            .get("shape")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("tensor `{name}` has no shape"))?;
        let mut elems: u64 = 1;
        for d in shape {
            let d = d.as_u64().ok_or_else(|| {
                format!("tensor `{name}` has a shape that is not a list of sizes")
            })?;
            elems = elems
                .checked_mul(d)
                .ok_or_else(|| format!("tensor `{name}` has a shape whose size overflows"))?;
        }
        let offs = t
            .get("data_offsets")
            .and_then(Value::as_array)
            .filter(|a| a.len() == 2)
            .ok_or_else(|| format!("tensor `{name}` has no `data_offsets` pair"))?;
        let (b, e) = match (offs[0].as_u64(), offs[1].as_u64()) {
            (Some(b), Some(e)) => (b, e),
            _ => return Err(format!("tensor `{name}` has offsets that are not sizes")),
        };
        if b > e {
            return Err(format!("tensor `{name}` ends before it begins ({b} > {e})"));
        }
        if e > data_len {
            return Err(format!(
                "tensor `{name}` ends at {e}, past the {data_len} bytes of data"
            ));
        }
        let want_bits = elems
            .checked_mul(bits)
            .ok_or_else(|| format!("tensor `{name}` has a size that overflows"))?;
        if want_bits % 8 != 0 || want_bits / 8 != e - b {
            return Err(format!(
                "tensor `{name}` takes {} bytes but its shape and dtype need {}",
                e - b,
                want_bits.div_ceil(8)
            ));
        }
        ranges.push((b, e, name));
    }
    ranges.sort();
    let mut at = 0u64;
    for (b, e, name) in &ranges {
        if *b < at {
            return Err(format!("tensor `{name}` overlaps the tensor before it"));
        }
        if *b > at {
            return Err(format!("a gap of {} bytes before tensor `{name}`", b - at));
        }
        at = *e;
    }
    if at != data_len {
        return Err(format!(
            "the tensors cover {at} bytes but the data section holds {data_len}"
        ));
    }
    Ok(ranges.len())
}

pub fn scan<R: Read>(r: R, size: u64) -> Vec<Note> {
    match check(r, size) {
        Ok(_) => vec![],
        Err(d) => vec![Note::malformed(None, None, d)],
    }
}
