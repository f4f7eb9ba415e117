//! The text scanner (personal data and secrets) on any bytes: every finding lies inside the
//! text, in order, and is masked; the mask computation reads 64-byte blocks with AVX2 loads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::scan::{detect, scan_bytes, Wanted};

fuzz_target!(|data: &[u8]| {
    for wanted in [Wanted::ALL, Wanted::SECRETS] {
        let found = detect(data, wanted);
        let mut last = 0;
        for f in &found {
            assert!(f.start <= f.end && f.end <= data.len());
            assert!(f.start >= last, "findings out of order");
            last = f.start;
            assert!(wanted.secrets || !f.kind.is_secret());
        }
    }
    let _ = scan_bytes("fuzz.txt", data);
});
