//! The pickle opcode walker on arbitrary bytes: raw streams and .npy object arrays.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::inspect::{self, pickle, Format, Options};
use std::io::Cursor;

fuzz_target!(|data: &[u8]| {
    let limits = pickle::Limits {
        max_opcodes: 100_000,
        ..pickle::Limits::default()
    };
    let extra = vec!["mylib.layers.Block".to_string()];
    let _ = pickle::scan_all(data, &extra, &limits);
    let opts = Options {
        pickle: limits,
        ..Options::default()
    };
    let mut c = Cursor::new(data);
    let _ = inspect::inspect(
        Format::Pickle { lenient: true },
        &mut c,
        data.len() as u64,
        &opts,
    );
    let mut c = Cursor::new(data);
    let _ = inspect::inspect(Format::Npy, &mut c, data.len() as u64, &opts);
});
