//! Zip members: PyTorch archives (pickle members) and .npz (.npy members).
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::inspect::{archive, pickle, Options};
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        pickle: pickle::Limits {
            max_opcodes: 100_000,
            ..pickle::Limits::default()
        },
        member_cap: 1 << 20,
        ..Options::default()
    };
    let _ = archive::scan(Cursor::new(data), &opts, archive::Members::Pickles);
    let _ = archive::scan(Cursor::new(data), &opts, archive::Members::Npy);
});
