//! safetensors headers, with the real size and with sizes that lie.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::inspect::safetensors;

fuzz_target!(|data: &[u8]| {
    let n = data.len() as u64;
    let _ = safetensors::check(data, n);
    let _ = safetensors::check(data, u64::MAX);
    let _ = safetensors::check(data, n / 2);
});
