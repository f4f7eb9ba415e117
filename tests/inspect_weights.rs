//! Model files around pickles and weight headers: PyTorch zip archives, zip bombs, NumPy
//! object arrays, safetensors and GGUF headers, and the facts they give. All built here.

use modelgate::config::Policy;
use modelgate::facts::{self, ModeChoice};
use modelgate::inspect::{
    self, archive, gguf, pickle::Verdict, safetensors, Format, Note, Options,
};
use modelgate::repo::FileSet;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

const STATE_DICT: &[u8] = b"\x80\x02ccollections\nOrderedDict\n)R.";
const OS_SYSTEM: &[u8] = b"\x80\x02cos\nsystem\nU\x02ls\x85R.";

fn run(format: Format, bytes: &[u8]) -> Vec<Note> {
    run_with(format, bytes, &Options::default())
}

fn run_with(format: Format, bytes: &[u8], opts: &Options) -> Vec<Note> {
    let mut c = Cursor::new(bytes.to_vec());
    inspect::inspect(format, &mut c, bytes.len() as u64, opts)
}

fn malformed(notes: &[Note]) -> Vec<String> {
    notes
        .iter()
        .filter_map(|n| match n {
            Note::Malformed { detail, .. } => Some(detail.clone()),
            _ => None,
        })
        .collect()
}

fn imports(notes: &[Note]) -> Vec<(Option<String>, String, Verdict)> {
    notes
        .iter()
        .filter_map(|n| match n {
            Note::Import { member, import } => {
                Some((member.clone(), import.global(), import.verdict))
            }
            _ => None,
        })
        .collect()
}

/// A zip written with the zip crate.
fn zip_of(members: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for b in data {
        c ^= *b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A hand-made zip: one local entry, and central-directory records that may lie about it
/// (several records pointing at the same bytes, a declared size unlike the real one).
fn raw_zip(name: &str, data: &[u8], method: u16, declared: u32, records: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let crc = crc32(data);
    out.extend_from_slice(b"PK\x03\x04");
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&method.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let cd_start = out.len();
    for i in 0..records {
        let n = if i == 0 {
            name.to_string()
        } else {
            format!("{name}.{i}")
        };
        out.extend_from_slice(b"PK\x01\x02");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&declared.to_le_bytes());
        out.extend_from_slice(&(n.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        out.extend_from_slice(&[0; 4]); // external attributes
        out.extend_from_slice(&0u32.to_le_bytes()); // every record points at offset 0
        out.extend_from_slice(n.as_bytes());
    }
    let cd_len = out.len() - cd_start;
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(records as u16).to_le_bytes());
    out.extend_from_slice(&(records as u16).to_le_bytes());
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const PT: Format = Format::Pickle { lenient: false };

#[test]
fn raw_pickles() {
    assert!(run(PT, STATE_DICT).is_empty());
    let n = run(PT, OS_SYSTEM);
    assert_eq!(
        imports(&n),
        vec![(None, "os.system".into(), Verdict::Dangerous)]
    );
}

#[test]
fn pytorch_zip_with_data_pkl() {
    for deflate in [false, true] {
        let good = zip_of(
            &[
                ("archive/data.pkl", STATE_DICT),
                ("archive/version", b"3\n"),
                ("archive/data/0", &[0u8; 64]),
            ],
            deflate,
        );
        assert!(run(PT, &good).is_empty(), "{:?}", run(PT, &good));
        let bad = zip_of(
            &[
                ("archive/data.pkl", OS_SYSTEM),
                ("archive/data/0", &[0u8; 8]),
            ],
            deflate,
        );
        let n = run(PT, &bad);
        assert_eq!(
            imports(&n),
            vec![(
                Some("archive/data.pkl".into()),
                "os.system".into(),
                Verdict::Dangerous
            )]
        );
    }
}

#[test]
fn truncated_files() {
    let n = run(PT, &OS_SYSTEM[..6]);
    assert!(malformed(&n)[0].contains("truncated"), "{n:?}");
    // a .bin that is not a pickle at all is another binary format, not a finding
    assert!(run(Format::Pickle { lenient: true }, b"not a real pickle\n").is_empty());
    // ... but a .bin that starts like a pickle and imports something is inspected
    let n = run(Format::Pickle { lenient: true }, b"cos\nsystem\n(S'x'\ntR");
    assert_eq!(imports(&n).len(), 1);
    assert!(malformed(&n)[0].contains("truncated"));
    // a truncated archive
    let z = zip_of(&[("archive/data.pkl", STATE_DICT)], false);
    let n = run(PT, &z[..z.len() - 30]);
    assert!(malformed(&n)[0].contains("zip"), "{n:?}");
    // Git LFS pointers are not weights
    assert!(run(
        PT,
        b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n"
    )
    .is_empty());
}

#[test]
fn zip_bombs_and_lies() {
    // two central records share one local entry: overlapping data
    let z = raw_zip(
        "archive/data.pkl",
        STATE_DICT,
        0,
        STATE_DICT.len() as u32,
        2,
    );
    let n = run(PT, &z);
    assert!(malformed(&n).iter().any(|d| d.contains("overlap")), "{n:?}");
    // a deflated member that claims to expand a million times
    let z = raw_zip("archive/data.pkl", &[3, 0], 8, 2_000_000_000, 1);
    let n = run(PT, &z);
    assert!(
        malformed(&n).iter().any(|d| d.contains("zip bomb")),
        "{n:?}"
    );
    // a member larger than the inspection cap
    let z = zip_of(&[("archive/data.pkl", STATE_DICT)], false);
    let opts = Options {
        member_cap: 8,
        ..Options::default()
    };
    let n = run_with(PT, &z, &opts);
    assert!(malformed(&n)[0].contains("more than the 8"), "{n:?}");
    // too many entries
    let z = zip_of(
        &[
            ("a.pkl", STATE_DICT),
            ("b.pkl", STATE_DICT),
            ("c.pkl", STATE_DICT),
        ],
        false,
    );
    let opts = Options {
        max_entries: 2,
        ..Options::default()
    };
    let n = run_with(PT, &z, &opts);
    assert!(malformed(&n)[0].contains("entries"), "{n:?}");
    // a member whose declared size is larger than what it holds
    let z = raw_zip("archive/data.pkl", STATE_DICT, 0, 4096, 1);
    let n = run(PT, &z);
    assert!(!malformed(&n).is_empty(), "{n:?}");
    // garbage after a zip signature
    let n = run(PT, b"PK\x03\x04garbage garbage garbage");
    assert!(malformed(&n)[0].contains("zip"), "{n:?}");
}

fn npy(descr: &str, payload: &[u8]) -> Vec<u8> {
    let mut h = format!("{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}");
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(' ');
    }
    h.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(h.len() as u16).to_le_bytes());
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(payload);
    out
}

#[test]
fn npy_object_arrays() {
    // a float array: the payload is never read
    assert!(run(Format::Npy, &npy("'<f4'", &[0xff; 4])).is_empty());
    // an object array: the payload is a pickle
    let evil = npy("'|O'", OS_SYSTEM);
    let n = run(Format::Npy, &evil);
    assert_eq!(imports(&n)[0].1, "os.system");
    match &n[0] {
        Note::Import { import, .. } => {
            assert_eq!(import.offset as usize, evil.len() - OS_SYSTEM.len() + 2)
        }
        other => panic!("{other:?}"),
    }
    // structured dtype with an object field
    let n = run(Format::Npy, &npy("[('a', '<f4'), ('b', '|O')]", OS_SYSTEM));
    assert_eq!(imports(&n).len(), 1);
    // a benign object array
    assert!(run(Format::Npy, &npy("'|O'", STATE_DICT)).is_empty());
    // broken headers
    assert!(malformed(&run(Format::Npy, b"\x93NUMPY\x01\x00\xff\xff{"))[0].contains("truncated"));
    assert!(malformed(&run(Format::Npy, b"\x93NUMPX\x01\x00\x00\x00"))[0].contains("magic"));
    // .npz: a zip of .npy members
    let z = zip_of(&[("a.npy", &npy("'<f4'", &[0; 4])), ("b.npy", &evil)], true);
    let n = run(Format::Npz, &z);
    assert_eq!(
        imports(&n),
        vec![(Some("b.npy".into()), "os.system".into(), Verdict::Dangerous)]
    );
}

fn st(header: &str, data: usize) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend(std::iter::repeat_n(0u8, data));
    out
}

#[test]
fn safetensors_headers() {
    let good = st(
        r#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]}}"#,
        22,
    );
    assert_eq!(safetensors::check(&good[..], good.len() as u64), Ok(2));
    assert!(run(Format::Safetensors, &good).is_empty());
    let cases: &[(Vec<u8>, &str)] = &[
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#,
                8,
            ),
            "past the 8 bytes",
        ),
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                8,
            ),
            "need 12",
        ),
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                12,
            ),
            "overlaps",
        ),
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                8,
            ),
            "gap",
        ),
        (
            st(
                r#"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#,
                1,
            ),
            "unknown dtype",
        ),
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                12,
            ),
            "cover 4 bytes",
        ),
        (
            st(
                r#"{"a":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,4]}}"#,
                4,
            ),
            "overflows",
        ),
        (st("[1,2]", 0), "does not start"),
        (st("{\"a\":", 0), "not valid JSON"),
        (vec![1, 2, 3], "truncated"),
        (
            {
                let mut v = u64::MAX.to_le_bytes().to_vec();
                v.extend_from_slice(b"{}");
                v
            },
            "more than",
        ),
        (
            {
                let mut v = 1000u64.to_le_bytes().to_vec();
                v.extend_from_slice(b"{}");
                v
            },
            "has only",
        ),
    ];
    for (bytes, want) in cases {
        let n = run(Format::Safetensors, bytes);
        let m = malformed(&n);
        assert!(
            m.first().is_some_and(|d| d.contains(want)),
            "want {want}: {n:?}"
        );
    }
}

fn gs(s: &str) -> Vec<u8> {
    let mut v = (s.len() as u64).to_le_bytes().to_vec();
    v.extend_from_slice(s.as_bytes());
    v
}

/// A GGUF file with string metadata, a string array, and one F32 tensor of 4 elements.
fn gguf_file(version: u32, kv: &[(&str, &str)], tensor_elems: u64, data: usize) -> Vec<u8> {
    let mut out = b"GGUF".to_vec();
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&1u64.to_le_bytes());
    out.extend_from_slice(&((kv.len() + 2) as u64).to_le_bytes());
    for (k, v) in kv {
        out.extend(gs(k));
        out.extend_from_slice(&8u32.to_le_bytes());
        out.extend(gs(v));
    }
    out.extend(gs("tokenizer.ggml.tokens"));
    out.extend_from_slice(&9u32.to_le_bytes());
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&3u64.to_le_bytes());
    for t in ["<s>", "</s>", "a"] {
        out.extend(gs(t));
    }
    out.extend(gs("llama.context_length"));
    out.extend_from_slice(&4u32.to_le_bytes());
    out.extend_from_slice(&4096u32.to_le_bytes());
    out.extend(gs("output.weight"));
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&tensor_elems.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u64.to_le_bytes());
    while out.len() % 32 != 0 {
        out.push(0);
    }
    out.extend(std::iter::repeat_n(0u8, data));
    out
}

#[test]
fn gguf_headers() {
    let f = gguf_file(
        3,
        &[("general.name", "Tiny"), ("general.license", "apache-2.0")],
        4,
        16,
    );
    let h = gguf::header(&f[..], f.len() as u64).unwrap();
    assert_eq!(h.version, 3);
    assert_eq!(h.license.as_deref(), Some("apache-2.0"));
    assert_eq!(h.name.as_deref(), Some("Tiny"));
    assert_eq!(h.data_start as usize, f.len() - 16);
    assert_eq!(
        run(Format::Gguf, &f),
        vec![Note::Declared {
            license: Some("apache-2.0".into()),
            name: Some("Tiny".into())
        }]
    );
    // version 2 reads the same
    let f2 = gguf_file(2, &[("general.license", "mit")], 4, 16);
    assert_eq!(
        gguf::header(&f2[..], f2.len() as u64)
            .unwrap()
            .license
            .as_deref(),
        Some("mit")
    );
    // a tensor past the end of the file
    let short = gguf_file(3, &[], 1024, 16);
    assert!(gguf::header(&short[..], short.len() as u64)
        .unwrap_err()
        .contains("past the end"));
    // bad magic, version, counts, truncation
    assert!(gguf::header(&b"GGML\x03\x00\x00\x00"[..], 8)
        .unwrap_err()
        .contains("magic"));
    assert!(gguf::header(&b"GGUF\x01\x00\x00\x00"[..], 8)
        .unwrap_err()
        .contains("version 1"));
    let mut huge = b"GGUF\x03\x00\x00\x00".to_vec();
    huge.extend_from_slice(&u64::MAX.to_le_bytes());
    huge.extend_from_slice(&0u64.to_le_bytes());
    assert!(gguf::header(&huge[..], 24).unwrap_err().contains("tensors"));
    let n = run(Format::Gguf, &f[..f.len() / 2]);
    assert!(malformed(&n)[0].contains("truncated"), "{n:?}");
    // an array that claims more items than the file holds
    let mut arr = b"GGUF\x03\x00\x00\x00".to_vec();
    arr.extend_from_slice(&0u64.to_le_bytes());
    arr.extend_from_slice(&1u64.to_le_bytes());
    arr.extend(gs("x"));
    arr.extend_from_slice(&9u32.to_le_bytes());
    arr.extend_from_slice(&8u32.to_le_bytes());
    arr.extend_from_slice(&u64::MAX.to_le_bytes());
    assert!(gguf::header(&arr[..], arr.len() as u64)
        .unwrap_err()
        .contains("array"));
}

#[test]
fn facts_from_a_file_set() {
    let mut files = BTreeMap::new();
    files.insert("README.md".to_string(), b"# M\n".to_vec());
    files.insert("model.pkl".to_string(), OS_SYSTEM.to_vec());
    files.insert(
        "training_args.bin".to_string(),
        b"\x80\x02cargparse\nNamespace\n)R.".to_vec(),
    );
    files.insert("broken.pt".to_string(), OS_SYSTEM[..6].to_vec());
    files.insert(
        "model.gguf".to_string(),
        gguf_file(3, &[("general.license", "llama3")], 4, 16),
    );
    files.insert(
        "good.pt".to_string(),
        zip_of(&[("archive/data.pkl", STATE_DICT)], false),
    );
    let policy = Policy::default();
    let f = facts::build(
        FileSet::memory(files.clone()),
        &policy,
        &ModeChoice::default(),
    );
    let u = &f.units[0];
    let d = u.fact("weights.pickle-dangerous");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].path.as_deref(), Some("model.pkl"));
    assert_eq!(d[0].get("global"), Some("os.system"));
    assert_eq!(d[0].get("at"), Some("at byte 2"));
    let i = u.fact("weights.pickle-import");
    assert_eq!(i.len(), 1);
    assert_eq!(i[0].get("global"), Some("argparse.Namespace"));
    let m = u.fact("weights.malformed");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].path.as_deref(), Some("broken.pt"));
    let g = u.fact("weights.gguf-license");
    assert_eq!(g[0].get("license"), Some("llama3"));
    // the policy's extra safe globals
    let policy = Policy::parse(
        "[scan]\nsafe_pickle_globals = [\"argparse.Namespace\"]\n",
        "modelgate.toml",
        None,
    )
    .unwrap();
    let f = facts::build(FileSet::memory(files), &policy, &ModeChoice::default());
    assert!(f.units[0].fact("weights.pickle-import").is_empty());
}

#[test]
fn the_archive_scanner_takes_any_reader() {
    let z = zip_of(&[("x/data.pkl", OS_SYSTEM)], false);
    let n = archive::scan(
        Cursor::new(z),
        &Options::default(),
        archive::Members::Pickles,
    );
    assert_eq!(imports(&n).len(), 1);
}
