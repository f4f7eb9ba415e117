//! GGUF headers and metadata, with the real size and with sizes that lie.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::inspect::gguf;

fuzz_target!(|data: &[u8]| {
    let n = data.len() as u64;
    let _ = gguf::header(data, n);
    let _ = gguf::header(data, u64::MAX);
});
