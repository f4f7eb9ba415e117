//! Zip members: PyTorch archives (pickle members) and .npz (.npy members). The input is read
//! as a zip archive as it is, and also wrapped as the members of a valid archive (stored and
//! deflated), so that the member-reading path sees well-formed archives too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelgate::inspect::{archive, pickle, Options};
use std::io::{Cursor, Write};

fn wrap(data: &[u8]) -> Option<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("archive/data.pkl", stored).ok()?;
    w.write_all(data).ok()?;
    w.start_file("archive/data/0", stored).ok()?;
    w.write_all(&data[..data.len().min(16)]).ok()?;
    w.start_file("x.npy", deflated).ok()?;
    w.write_all(data).ok()?;
    Some(w.finish().ok()?.into_inner())
}

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
    if let Some(z) = wrap(data) {
        let _ = archive::scan(Cursor::new(&z[..]), &opts, archive::Members::Pickles);
        let _ = archive::scan(Cursor::new(&z[..]), &opts, archive::Members::Npy);
    }
});
