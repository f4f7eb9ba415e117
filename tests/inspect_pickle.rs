//! The pickle opcode walker on hand-written opcode sequences: every protocol, imports built
//! indirectly through the memo, hostile and broken streams. Nothing here is ever unpickled.

use modelgate::inspect::pickle::{self, classify, Limits, Report, Verdict};

fn scan(bytes: &[u8]) -> Report {
    pickle::scan(bytes, &[], &Limits::default())
}

fn globals(r: &Report) -> Vec<(String, Verdict)> {
    r.imports.iter().map(|i| (i.global(), i.verdict)).collect()
}

/// A protocol 4+ body wrapped in PROTO and a FRAME, as Python writes it.
fn framed(proto: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![0x80, proto, 0x95];
    v.extend_from_slice(&(body.len() as u64).to_le_bytes());
    v.extend_from_slice(body);
    v
}

#[test]
fn protocol_0_text_pickle_with_reduce() {
    // cos\nsystem\n (S'echo hi'\n t R .
    let r = scan(b"cos\nsystem\n(S'echo hi'\ntR.");
    assert_eq!(r.problem, None);
    assert_eq!(globals(&r), vec![("os.system".into(), Verdict::Dangerous)]);
    assert_eq!(r.imports[0].offset, 0);
    assert_eq!(r.imports[0].opcode, "GLOBAL");
}

#[test]
fn protocol_0_inst_and_python2_names() {
    // INST pops the MARKed arguments and imports in one opcode
    let r = scan(b"(S'id'\nisubprocess\ncheck_output\n.");
    assert_eq!(r.problem, None);
    assert_eq!(
        globals(&r),
        vec![("subprocess.check_output".into(), Verdict::Dangerous)]
    );
    assert_eq!(r.imports[0].opcode, "INST");
    // Python 2 spellings map to Python 3 modules before the decision
    let r = scan(b"c__builtin__\neval\n(S'1'\ntR.");
    assert_eq!(r.imports[0].verdict, Verdict::Dangerous);
    let r = scan(b"c__builtin__\nset\n(]tR.");
    assert_eq!(r.imports[0].verdict, Verdict::Safe);
}

#[test]
fn protocol_2_os_system_via_reduce() {
    let bytes = b"\x80\x02cos\nsystem\nq\x00U\x02lsq\x01\x85q\x02Rq\x03.";
    let r = scan(bytes);
    assert_eq!(r.problem, None);
    assert_eq!(r.protocol, Some(2));
    assert_eq!(globals(&r), vec![("os.system".into(), Verdict::Dangerous)]);
    assert_eq!(r.imports[0].offset, 2, "offset of the GLOBAL opcode");
}

#[test]
fn protocol_2_benign_state_dict() {
    // OrderedDict of one tensor rebuilt by torch._utils._rebuild_tensor_v2 from a persistent
    // storage id (torch.FloatStorage), as torch.save writes it
    let mut b: Vec<u8> = vec![0x80, 0x02];
    b.extend_from_slice(b"ccollections\nOrderedDict\nq\x00)Rq\x01");
    b.extend_from_slice(b"X\x06\x00\x00\x00weightq\x02");
    b.extend_from_slice(b"ctorch._utils\n_rebuild_tensor_v2\nq\x03");
    b.extend_from_slice(b"((X\x07\x00\x00\x00storageq\x04ctorch\nFloatStorage\nq\x05X\x01\x00\x00\x000q\x06X\x03\x00\x00\x00cpuq\x07K\x04tq\x08Q");
    b.extend_from_slice(b"K\x00K\x02K\x02\x86q\x09K\x02K\x01\x86q\x0a\x89ccollections\nOrderedDict\nq\x0b)Rq\x0ctq\x0dRq\x0e");
    b.extend_from_slice(b"s.");
    let r = scan(&b);
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert!(r.flagged().next().is_none(), "{:?}", globals(&r));
    assert_eq!(r.imports.len(), 3);
    assert_eq!(r.imports[0].count, 2, "OrderedDict imported twice");
}

#[test]
fn protocol_4_stack_global_from_memo() {
    // 'os' and 'system' are memoised, popped, and fetched back with BINGET before STACK_GLOBAL
    let body = b"\x8c\x02os\x940\x8c\x06system\x940h\x00h\x01\x93\x8c\x02id\x85R.";
    let r = scan(&framed(4, body));
    assert_eq!(r.problem, None);
    assert_eq!(globals(&r), vec![("os.system".into(), Verdict::Dangerous)]);
    assert_eq!(r.imports[0].opcode, "STACK_GLOBAL");
    assert_eq!(r.imports[0].offset, 31);
}

#[test]
fn protocol_4_memo_with_long_binput_and_dotted_names() {
    // LONG_BINPUT / LONG_BINGET, and a dotted attribute path reaching a dangerous module
    let body = b"\x8c\x05torchr\x07\x00\x00\x000\x8c\x0eos.path.existsr\x08\x00\x00\x000j\x07\x00\x00\x00j\x08\x00\x00\x00\x93\x8c\x01/\x85R.";
    let r = scan(&framed(4, body));
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(
        globals(&r),
        vec![("torch.os.path.exists".into(), Verdict::Dangerous)]
    );
}

#[test]
fn protocol_5_buffers_and_bytearray8() {
    let mut body = Vec::new();
    body.push(0x96); // BYTEARRAY8
    body.extend_from_slice(&3u64.to_le_bytes());
    body.extend_from_slice(b"abc");
    body.push(0x97); // NEXT_BUFFER
    body.push(0x98); // READONLY_BUFFER
    body.extend_from_slice(b"\x86"); // TUPLE2
    body.push(0x8e); // BINBYTES8
    body.extend_from_slice(&2u64.to_le_bytes());
    body.extend_from_slice(b"zz");
    body.push(0x8d); // BINUNICODE8
    body.extend_from_slice(&1u64.to_le_bytes());
    body.extend_from_slice(b"u");
    body.extend_from_slice(b"\x8b\x02\x00\x00\x00\x01\x02"); // LONG4
    body.extend_from_slice(b"\x8a\x01\x05"); // LONG1
    body.extend_from_slice(b"\x87"); // TUPLE3
    body.extend_from_slice(b"\x86."); // TUPLE2, STOP
    let r = scan(&framed(5, &body));
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(r.protocol, Some(5));
    assert!(r.imports.is_empty());
}

#[test]
fn newobj_obj_build_and_ext_opcodes() {
    // NEWOBJ on an unknown class, BUILD with a state dict
    let r = scan(b"\x80\x02cmylib.layers\nBlock\n)\x81}b.");
    assert_eq!(r.problem, None);
    assert_eq!(
        globals(&r),
        vec![("mylib.layers.Block".into(), Verdict::Unknown)]
    );
    // the policy's extra safe globals
    let extra = vec!["mylib.layers.Block".to_string()];
    let r = pickle::scan(
        &b"\x80\x02cmylib.layers\nBlock\n)\x81}b."[..],
        &extra,
        &Limits::default(),
    );
    assert!(r.flagged().next().is_none());
    // NEWOBJ_EX and OBJ
    let r = scan(b"\x80\x04\x8c\x08builtins\x8c\x07getattr\x93)}\x92(cwebbrowser\nopen\no.");
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(
        globals(&r),
        vec![
            ("builtins.getattr".into(), Verdict::Dangerous),
            ("webbrowser.open".into(), Verdict::Dangerous)
        ]
    );
    // extension registry codes cannot be named
    let r = scan(b"\x80\x02\x82\x07)R\x83\x08\x01)R0\x84\x09\x00\x00\x00)R0.");
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(r.imports.len(), 3);
    assert!(r.imports.iter().all(|i| i.verdict == Verdict::Unresolved));
    assert_eq!(r.imports[1].global(), "<copyreg extension 264>");
}

#[test]
fn stack_global_with_a_computed_name_is_unresolved() {
    // the module string is the result of a call, not a literal
    let r = scan(b"\x80\x04\x8c\x07_codecs\x8c\x06encode\x93\x8c\x02os\x85R\x8c\x06system\x93).");
    assert_eq!(r.problem, None, "{:?}", r.problem);
    let g = globals(&r);
    assert_eq!(g[0], ("_codecs.encode".into(), Verdict::Safe));
    assert_eq!(g[1].1, Verdict::Unresolved);
}

#[test]
fn dangerous_and_allowed_decisions() {
    for (m, n) in [
        ("os", "system"),
        ("posix", "system"),
        ("nt", "system"),
        ("subprocess", "Popen"),
        ("builtins", "eval"),
        ("builtins", "exec"),
        ("builtins", "getattr"),
        ("builtins", "__import__"),
        ("builtins", "compile"),
        ("builtins", "open"),
        ("socket", "create_connection"),
        ("runpy", "run_path"),
        ("importlib", "import_module"),
        ("pty", "spawn"),
        ("webbrowser", "open"),
        ("shutil", "rmtree"),
        ("sys", "modules"),
        ("pickle", "loads"),
        ("_pickle", "loads"),
        ("marshal", "loads"),
        ("ctypes", "CDLL"),
        ("code", "interact"),
        ("torch", "load"),
        ("numpy", "load"),
        ("mylib", "system"),
        ("torch.jit", "load"),
        ("torch.jit._pickle", "evil"),
    ] {
        assert_eq!(classify(m, n, &[]), Verdict::Dangerous, "{m}.{n}");
    }
    for (m, n) in [
        ("torch._utils", "_rebuild_tensor_v2"),
        ("torch", "FloatStorage"),
        ("torch", "BFloat16Storage"),
        ("torch", "Size"),
        ("collections", "OrderedDict"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("_codecs", "encode"),
        ("builtins", "set"),
        ("__builtin__", "frozenset"),
        ("__torch__.model", "Net"),
        ("torch.jit._pickle", "build_intlist"),
        ("numpy.dtypes", "Float32DType"),
        ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    ] {
        assert_eq!(classify(m, n, &[]), Verdict::Safe, "{m}.{n}");
    }
    for (m, n) in [
        ("argparse", "Namespace"),
        ("transformers.training_args", "TrainingArguments"),
        ("torch.nn.modules.linear", "Linear"),
        ("torch", "EvilStorage.x"),
        ("__torch_evil__", "x"),
    ] {
        assert_eq!(classify(m, n, &[]), Verdict::Unknown, "{m}.{n}");
    }
}

#[test]
fn truncated_and_malformed_streams_give_a_problem() {
    for (bytes, want) in [
        (&b"\x80\x02cos\n"[..], "truncated"),
        (&b"\x80\x02"[..], "truncated"),
        (&b"\x80\x02X\xff\xff\xff\x00ab"[..], "truncated"),
        (
            &b"\x80\x02\x8e\xff\xff\xff\xff\xff\xff\xff\xff"[..],
            "exceeds",
        ),
        (&b"\x80\x02\xff."[..], "unknown opcode 0xff"),
        (&b"\x80\x09."[..], "unsupported protocol 9"),
        (&b"\x80\x02h\x05."[..], "memo key 5"),
        (&b"\x80\x02R."[..], "empty stack"),
        (&b"\x80\x02e."[..], "without a MARK"),
        (&b"\x80\x02T\xff\xff\xff\xff."[..], "negative"),
        (&b"S'unquoted\n."[..], "not quoted"),
        (&b"\x80\x02q\x00."[..], "empty stack"),
        (&b"\x80\x02."[..], "empty stack"),
    ] {
        let r = scan(bytes);
        let p = r
            .problem
            .unwrap_or_else(|| panic!("no problem for {bytes:?}"));
        assert!(p.detail.contains(want), "{bytes:?}: {}", p.detail);
    }
    // the offset is the opcode's
    let r = scan(b"\x80\x02N\xff");
    assert_eq!(r.problem.map(|p| p.offset), Some(3));
}

#[test]
fn work_and_memory_are_bounded() {
    let limits = Limits {
        max_opcodes: 1000,
        max_memo: 10,
        max_stack: 100,
        ..Limits::default()
    };
    // an endless run of NONE
    let many = vec![b'N'; 5000];
    let only_opcodes = Limits {
        max_opcodes: 1000,
        ..Limits::default()
    };
    let r = pickle::scan(&many[..], &[], &only_opcodes);
    assert!(r.problem.unwrap().detail.contains("opcodes"));
    // the stack
    let many = [b'N'; 200];
    let r = pickle::scan(
        &many[..],
        &[],
        &Limits {
            max_stack: 100,
            ..Limits::default()
        },
    );
    assert!(r.problem.unwrap().detail.contains("stack"));
    // the memo
    let mut b = vec![b'N'];
    for i in 0..20u8 {
        b.extend_from_slice(&[b'q', i]);
    }
    let r = pickle::scan(&b[..], &[], &limits);
    assert!(r.problem.unwrap().detail.contains("memo"));
    // a huge declared string is skipped as far as the input goes, never allocated
    let mut b = vec![0x80, 0x04, 0x8d];
    b.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let r = scan(&b);
    assert!(r.problem.unwrap().detail.contains("truncated"));
}

#[test]
fn many_imports_keep_the_dangerous_ones() {
    let limits = Limits {
        max_imports: 4,
        ..Limits::default()
    };
    let mut b = vec![0x80, 0x02];
    for i in 0..10 {
        b.extend_from_slice(format!("ctorch\nT{i}Storage\n0").as_bytes());
    }
    b.extend_from_slice(b"cos\nsystem\n0N.");
    let r = pickle::scan(&b[..], &[], &limits);
    assert_eq!(r.problem, None);
    assert!(r.imports.iter().any(|i| i.verdict == Verdict::Dangerous));
}

#[test]
fn consecutive_pickles_of_a_legacy_torch_file() {
    // legacy torch.save: several pickles in a row, then raw bytes
    let mut b = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.".to_vec();
    b.extend_from_slice(b"\x80\x02M\xe9\x03.");
    b.extend_from_slice(b"\x80\x02cos\nsystem\n)R.");
    b.extend_from_slice(&[0x13, 0x00, 0xff, 0xfe]);
    let reports = pickle::scan_all(&b[..], &[], &Limits::default());
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.problem.is_none()));
    assert_eq!(reports[2].imports[0].global(), "os.system");
    assert_eq!(reports[2].imports[0].offset, 23);
}

#[test]
fn a_protocol_0_pickle_after_the_first_is_walked_too() {
    // the second pickle of a legacy file written with protocol 0: no 0x80 header
    let mut b = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19.".to_vec();
    b.extend_from_slice(b"cos\nsystem\n(S'id'\ntR.");
    // raw bytes that happen to start like a text pickle are not taken for one
    b.extend_from_slice(b"(\x13\x00\xff\xfe");
    let reports = pickle::scan_all(&b[..], &[], &Limits::default());
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert_eq!(reports[1].imports[0].global(), "os.system");
    assert_eq!(reports[1].imports[0].verdict, Verdict::Dangerous);
    assert!(reports.iter().all(|r| r.problem.is_none()));
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// `joblib.dump` (joblib 1.6, NumPy 2.4) of a float array, a unicode array, an object array and
/// an int: the arrays' raw bytes sit inside the pickle stream after each wrapper's BUILD.
const JOBLIB_ARRAYS: &str = "800495dd000000000000007d94288c04636f6566948c136a6f626c69622e6e756d70795f7069636b6c65948c114e756d70794172726179577261707065729493942981947d94288c08737562636c617373948c056e756d7079948c076e6461727261799493948c057368617065944b024b0386948c056f72646572948c0143948c0564747970659468088c0564747970659493948c02663894898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628c0a616c6c6f775f6d6d617094888c1b6e756d70795f61727261795f616c69676e6d656e745f6279746573944b10756207ffffffffffffff0000000000000000000000000000f03f00000000000000400000000000000840000000000000104000000000000014409547000000000000008c056e616d65739468042981947d94286807680a680b4b028594680d680e680f68118c02553294898887945294284b0368154e4e4e4b084b044b0874946268178868184b1075620fffffffffffffffffffffffffffffff61000000000000006200000062000000954e000000000000008c046f626a739468042981947d94286807680a680b4b038594680d680e680f68118c024f3894898887945294284b038c017c944e4e4e4affffffff4affffffff4b3f74946268178968184b10756280059591000000000000008c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b03859468038c0564747970659493948c024f3894898887945294284b038c017c944e4e4e4affffffff4affffffff4b3f749462895d94284b018c0178944e657494622e9508000000000000008c016e944b03752e";

/// The same with an object whose `__reduce__` names `os.system`, after an array (made with
/// `joblib.dump`, never loaded).
const JOBLIB_EVIL: &str = "800495db000000000000007d94288c04636f6566948c136a6f626c69622e6e756d70795f7069636b6c65948c114e756d70794172726179577261707065729493942981947d94288c08737562636c617373948c056e756d7079948c076e6461727261799493948c057368617065944b0485948c056f72646572948c0143948c0564747970659468088c0564747970659493948c02663494898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628c0a616c6c6f775f6d6d617094888c1b6e756d70795f61727261795f616c69676e6d656e745f6279746573944b10756209ffffffffffffffffff000000000000803f00000040000040409527000000000000008c046576696c948c05706f736978948c0673797374656d9493948c04747275659485945294752e";

#[test]
fn joblib_inline_arrays_are_skipped() {
    let b = unhex(JOBLIB_ARRAYS);
    let r = scan(&b);
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(r.end as usize, b.len());
    assert!(r.flagged().next().is_none(), "{:?}", globals(&r));
    let b = unhex(JOBLIB_EVIL);
    let r = scan(&b);
    assert_eq!(r.problem, None, "{:?}", r.problem);
    assert_eq!(
        r.flagged().map(|i| i.global()).collect::<Vec<_>>(),
        vec!["posix.system"]
    );
    // cut inside the array bytes: truncated
    let r = scan(&b[..250]);
    assert!(r.problem.unwrap().detail.contains("truncated"));
}
