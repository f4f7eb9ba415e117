//! A pickle opcode walker (protocols 0 to 5). It reads every opcode and its argument, keeps a
//! symbolic stack and memo so that the callables a pickle imports are named even when their
//! module and name strings come from the memo, and decides on an allow-list. Nothing is ever
//! loaded or executed; bad input stops the walk with a problem, never a panic.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// Bounds on the work and memory of one walk.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_opcodes: u64,
    pub max_memo: usize,
    pub max_stack: usize,
    /// Total bytes of strings kept for name resolution; later strings are not kept.
    pub max_string_bytes: usize,
    /// Longest text argument (protocol 0 lines).
    pub max_line: usize,
    /// Distinct imports recorded per pickle.
    pub max_imports: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_opcodes: 50_000_000,
            max_memo: 1 << 20,
            max_stack: 1 << 20,
            max_string_bytes: 32 << 20,
            max_line: 1 << 20,
            max_imports: 64,
        }
    }
}

/// What an import is, by the allow-list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// On the allow-list (built-in or the policy's extra safe globals).
    Safe,
    /// Not on the allow-list.
    Unknown,
    /// Cannot be named from the bytes (extension registry, a name computed at load time).
    Unresolved,
    /// A callable that runs commands, code, or reaches the file system or network.
    Dangerous,
}

/// One callable a pickle imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub module: String,
    pub name: String,
    /// Byte offset of the first opcode that imports it.
    pub offset: u64,
    /// That opcode's name (`GLOBAL`, `STACK_GLOBAL`, `INST`, `EXT1`, ...).
    pub opcode: &'static str,
    pub verdict: Verdict,
    /// How many times the pickle imports it.
    pub count: u64,
}

impl Import {
    /// `module.name`, or a description when it cannot be named.
    pub fn global(&self) -> String {
        if self.module.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.module, self.name)
        }
    }
}

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: u64,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every distinct import, in the order first met.
    pub imports: Vec<Import>,
    pub problem: Option<Problem>,
    pub opcodes: u64,
    /// Bytes consumed.
    pub end: u64,
    /// The highest protocol announced by PROTO.
    pub protocol: Option<u8>,
}

impl Report {
    /// Imports that are not on the allow-list.
    pub fn flagged(&self) -> impl Iterator<Item = &Import> {
        self.imports.iter().filter(|i| i.verdict != Verdict::Safe)
    }
}

/// Globals every PyTorch / NumPy state dict needs, and nothing that can run code.
const SAFE_GLOBALS: &[&str] = &[
    "collections.OrderedDict",
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_sparse_tensor",
    "torch._utils._rebuild_meta_tensor_no_storage",
    "torch._utils._rebuild_device_tensor_from_numpy",
    "torch._utils._rebuild_nested_tensor",
    "torch._utils._rebuild_wrapper_subclass",
    "torch._utils._rebuild_device_tensor_from_cpu_tensor",
    "torch._tensor._rebuild_from_type_v2",
    "torch.serialization._get_layout",
    "torch.strided",
    "torch.sparse_coo",
    "torch.Size",
    "torch.device",
    "torch.storage.UntypedStorage",
    "torch.storage.TypedStorage",
    "torch.nn.parameter.Parameter",
    "torch.float64",
    "torch.float32",
    "torch.float16",
    "torch.bfloat16",
    "torch.float8_e4m3fn",
    "torch.float8_e5m2",
    "torch.complex64",
    "torch.complex128",
    "torch.int64",
    "torch.int32",
    "torch.int16",
    "torch.int8",
    "torch.uint8",
    "torch.bool",
    "torch.per_tensor_affine",
    "torch.per_channel_affine",
    "numpy.core.multiarray._reconstruct",
    "numpy._core.multiarray._reconstruct",
    "numpy.core.multiarray.scalar",
    "numpy._core.multiarray.scalar",
    "numpy.dtype",
    "numpy.ndarray",
    "_codecs.encode",
    "joblib.numpy_pickle.NumpyArrayWrapper",
    "builtins.set",
    "builtins.frozenset",
    "builtins.bytearray",
    "builtins.complex",
    "builtins.slice",
];

/// Modules whose every callable is dangerous: they run commands or code, load more code, or
/// reach files, processes and the network.
const DANGEROUS_MODULES: &[&str] = &[
    "os",
    "posix",
    "nt",
    "posixpath",
    "ntpath",
    "subprocess",
    "_posixsubprocess",
    "socket",
    "_socket",
    "ssl",
    "runpy",
    "importlib",
    "imp",
    "zipimport",
    "pty",
    "webbrowser",
    "shutil",
    "sys",
    "code",
    "codeop",
    "ctypes",
    "_ctypes",
    "cffi",
    "marshal",
    "pickle",
    "_pickle",
    "cPickle",
    "dill",
    "cloudpickle",
    "joblib.load",
    "commands",
    "popen2",
    "platform",
    "multiprocessing",
    "asyncio",
    "threading",
    "_thread",
    "signal",
    "pdb",
    "bdb",
    "timeit",
    "trace",
    "profile",
    "cProfile",
    "urllib",
    "urllib2",
    "http",
    "httplib",
    "requests",
    "ftplib",
    "smtplib",
    "telnetlib",
    "xmlrpc",
    "tempfile",
    "glob",
    "pathlib",
    "io",
    "_io",
    "fileinput",
    "linecache",
    "types",
    "inspect",
    "gc",
    "site",
    "distutils",
    "setuptools",
    "pip",
    "torch.hub",
    "torch.jit",
    "torch.serialization",
    "torch._C",
    "numpy.testing",
    "numpy.f2py",
    "numpy.distutils",
];

/// Callables of otherwise ordinary modules that run code or reach outside.
const DANGEROUS_NAMES: &[&str] = &[
    "builtins.eval",
    "builtins.exec",
    "builtins.execfile",
    "builtins.compile",
    "builtins.open",
    "builtins.getattr",
    "builtins.setattr",
    "builtins.delattr",
    "builtins.__import__",
    "builtins.globals",
    "builtins.locals",
    "builtins.vars",
    "builtins.input",
    "builtins.breakpoint",
    "builtins.apply",
    "builtins.file",
    "builtins.reload",
    "builtins.help",
    "builtins.exit",
    "builtins.quit",
    "operator.attrgetter",
    "operator.methodcaller",
    "operator.getitem",
    "functools.reduce",
    "functools.partial",
    "numpy.load",
    "numpy.loadtxt",
    "numpy.fromfile",
    "numpy.save",
    "numpy.lib.npyio.load",
    "torch.load",
    "torch.save",
    "torch.from_file",
];

/// Final names that run code whatever module they come from.
const DANGEROUS_LEAVES: &[&str] = &[
    "system",
    "popen",
    "popen2",
    "popen3",
    "popen4",
    "exec",
    "execfile",
    "execv",
    "execve",
    "execl",
    "eval",
    "spawn",
    "spawnv",
    "spawnl",
    "__import__",
    "import_module",
    "run_path",
    "run_module",
    "check_output",
    "check_call",
    "getoutput",
    "getstatusoutput",
    "Popen",
    "loads",
    "load",
];

/// The name Python 3 uses for a Python 2 module (what `fix_imports` maps).
fn py3_module(module: &str) -> &str {
    match module {
        "__builtin__" | "__builtins__" | "exceptions" => "builtins",
        "copy_reg" => "copyreg",
        "cPickle" => "pickle",
        "UserDict" | "UserList" | "UserString" => "collections",
        "urllib2" => "urllib",
        "httplib" => "http",
        other => other,
    }
}

/// Decides on an import: the allow-list first, then the danger lists.
pub fn classify(module: &str, name: &str, extra_safe: &[String]) -> Verdict {
    let module = py3_module(module.trim());
    let name = name.trim();
    let full = format!("{module}.{name}");
    if SAFE_GLOBALS.contains(&full.as_str())
        || is_torch_storage(module, name)
        || is_torchscript(module, name)
        || extra_safe.iter().any(|s| s == &full)
    {
        return Verdict::Safe;
    }
    let parts: Vec<&str> = full.split('.').collect();
    // any prefix of the dotted path naming a dangerous module (`os`, `torch.hub`, `os.path`)
    for n in 1..=parts.len() {
        let prefix = parts[..n].join(".");
        if DANGEROUS_MODULES.contains(&prefix.as_str()) {
            return Verdict::Dangerous;
        }
    }
    // a dangerous module reached through another one's attributes (`torch.os.system`)
    if parts
        .iter()
        .skip(1)
        .any(|p| DANGEROUS_MODULES.contains(p) && *p != "code" && *p != "io" && *p != "types")
    {
        return Verdict::Dangerous;
    }
    if DANGEROUS_NAMES.contains(&full.as_str())
        || parts.last().is_some_and(|l| DANGEROUS_LEAVES.contains(l))
        || parts.iter().any(|p| {
            *p == "__import__"
                || *p == "__builtins__"
                || *p == "__globals__"
                || *p == "__subclasses__"
        })
    {
        return Verdict::Dangerous;
    }
    Verdict::Unknown
}

/// TorchScript archives: `__torch__.*` names classes compiled by TorchScript (no Python module
/// of that name exists, so plain unpickling cannot run them), and `torch.jit._pickle` holds the
/// list and tensor builders of their constants.
fn is_torchscript(module: &str, name: &str) -> bool {
    module == "__torch__"
        || module.starts_with("__torch__.")
        || (module == "torch.jit._pickle"
            && matches!(
                name,
                "build_intlist"
                    | "build_tensorlist"
                    | "build_doublelist"
                    | "build_boollist"
                    | "build_tensor_from_id"
                    | "restore_type_tag"
            ))
}

/// `torch.FloatStorage`, `torch.cuda.HalfStorage`, ...: the storage classes of state dicts;
/// `numpy.dtypes.Float32DType`, ...: NumPy 2's dtype classes.
fn is_torch_storage(module: &str, name: &str) -> bool {
    let alnum = name.chars().all(|c| c.is_ascii_alphanumeric());
    (matches!(module, "torch" | "torch.cuda")
        && name.len() > "Storage".len()
        && name.ends_with("Storage")
        && alnum)
        || (module == "numpy.dtypes" && name.len() > 5 && name.ends_with("DType") && alnum)
}

/// What the walker knows of a value: enough to name imports and to follow joblib's inline
/// arrays. Only immutable values nest (a dict is never kept inside another value), and nesting
/// is capped, so values stay small and dropping them never recurses deeply.
#[derive(Debug, Clone)]
enum Val {
    Str(Rc<str>),
    Int(i64),
    Tuple(Rc<[Val]>, u8),
    /// A dict's first entries.
    Dict(Rc<RefCell<Vec<(Val, Val)>>>),
    /// An imported callable, as `module.name`.
    Global(Rc<str>),
    /// What calling an imported callable made.
    Obj(Rc<Made>),
    Other,
}

#[derive(Debug)]
struct Made {
    class: Rc<str>,
    args: Val,
    /// The BUILD state, when it is a flat tuple (NumPy dtypes).
    state: RefCell<Val>,
    depth: u8,
}

const MAX_DEPTH: u8 = 8;
const MAX_ITEMS: usize = 64;

fn depth(v: &Val) -> u8 {
    match v {
        Val::Tuple(_, d) => *d,
        Val::Obj(m) => m.depth,
        Val::Dict(_) => MAX_DEPTH,
        _ => 0,
    }
}

/// A value that may be kept inside another: never a dict, never too deep.
fn nestable(v: Val) -> Val {
    if depth(&v) >= MAX_DEPTH {
        Val::Other
    } else {
        v
    }
}

fn is_flat(v: &Val) -> bool {
    match v {
        Val::Tuple(items, _) => items
            .iter()
            .all(|x| matches!(x, Val::Str(_) | Val::Int(_) | Val::Other)),
        _ => false,
    }
}

/// Opcode names, for messages.
pub fn opcode_name(op: u8) -> Option<&'static str> {
    Some(match op {
        b'(' => "MARK",
        b'.' => "STOP",
        b'0' => "POP",
        b'1' => "POP_MARK",
        b'2' => "DUP",
        b'F' => "FLOAT",
        b'I' => "INT",
        b'J' => "BININT",
        b'K' => "BININT1",
        b'L' => "LONG",
        b'M' => "BININT2",
        b'N' => "NONE",
        b'P' => "PERSID",
        b'Q' => "BINPERSID",
        b'R' => "REDUCE",
        b'S' => "STRING",
        b'T' => "BINSTRING",
        b'U' => "SHORT_BINSTRING",
        b'V' => "UNICODE",
        b'X' => "BINUNICODE",
        b'a' => "APPEND",
        b'b' => "BUILD",
        b'c' => "GLOBAL",
        b'd' => "DICT",
        b'}' => "EMPTY_DICT",
        b'e' => "APPENDS",
        b'g' => "GET",
        b'h' => "BINGET",
        b'i' => "INST",
        b'j' => "LONG_BINGET",
        b'l' => "LIST",
        b']' => "EMPTY_LIST",
        b'o' => "OBJ",
        b'p' => "PUT",
        b'q' => "BINPUT",
        b'r' => "LONG_BINPUT",
        b's' => "SETITEM",
        b't' => "TUPLE",
        b')' => "EMPTY_TUPLE",
        b'u' => "SETITEMS",
        b'G' => "BINFLOAT",
        0x80 => "PROTO",
        0x81 => "NEWOBJ",
        0x82 => "EXT1",
        0x83 => "EXT2",
        0x84 => "EXT4",
        0x85 => "TUPLE1",
        0x86 => "TUPLE2",
        0x87 => "TUPLE3",
        0x88 => "NEWTRUE",
        0x89 => "NEWFALSE",
        0x8a => "LONG1",
        0x8b => "LONG4",
        b'B' => "BINBYTES",
        b'C' => "SHORT_BINBYTES",
        0x8c => "SHORT_BINUNICODE",
        0x8d => "BINUNICODE8",
        0x8e => "BINBYTES8",
        0x8f => "EMPTY_SET",
        0x90 => "ADDITEMS",
        0x91 => "FROZENSET",
        0x92 => "NEWOBJ_EX",
        0x93 => "STACK_GLOBAL",
        0x94 => "MEMOIZE",
        0x95 => "FRAME",
        0x96 => "BYTEARRAY8",
        0x97 => "NEXT_BUFFER",
        0x98 => "READONLY_BUFFER",
        _ => return None,
    })
}

/// Strings longer than this are never module or attribute names: they are not kept.
const NAME_MAX: u64 = 1024;

enum Stop {
    /// The input ended inside the pickle.
    Eof,
    Bad(String),
    Io(String),
}

type Step<T> = Result<T, Stop>;

struct Walker<'a, R> {
    r: R,
    pos: u64,
    stack: Vec<Val>,
    marks: Vec<usize>,
    memo: HashMap<u64, Val>,
    kept: usize,
    limits: &'a Limits,
    extra_safe: &'a [String],
    imports: Vec<Import>,
    index: BTreeMap<(String, String), usize>,
    protocol: Option<u8>,
    count: u64,
    /// Items held in tuples and dicts, against `Limits::max_stack`.
    tracked: usize,
    /// Pickles nested in this one (joblib object arrays).
    nested: u8,
}

impl<R: BufRead> Walker<'_, R> {
    fn byte(&mut self) -> Step<u8> {
        let mut b = [0u8; 1];
        self.exact(&mut b)?;
        Ok(b[0])
    }

    fn exact(&mut self, buf: &mut [u8]) -> Step<()> {
        match self.r.read_exact(buf) {
            Ok(()) => {
                self.pos += buf.len() as u64;
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(Stop::Eof),
            Err(e) => Err(Stop::Io(e.to_string())),
        }
    }

    fn u16(&mut self) -> Step<u64> {
        let mut b = [0u8; 2];
        self.exact(&mut b)?;
        Ok(u16::from_le_bytes(b) as u64)
    }

    fn u32(&mut self) -> Step<u64> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(u32::from_le_bytes(b) as u64)
    }

    fn i32(&mut self) -> Step<i64> {
        let mut b = [0u8; 4];
        self.exact(&mut b)?;
        Ok(i32::from_le_bytes(b) as i64)
    }

    fn u64(&mut self) -> Step<u64> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn skip(&mut self, n: u64) -> Step<()> {
        let copied = io::copy(&mut (&mut self.r).take(n), &mut io::sink())
            .map_err(|e| Stop::Io(e.to_string()))?;
        self.pos += copied;
        if copied < n {
            return Err(Stop::Eof);
        }
        Ok(())
    }

    /// A counted string: kept when short enough to be a name, skipped otherwise.
    fn counted(&mut self, n: u64, text: bool) -> Step<Val> {
        if n > NAME_MAX || self.kept + n as usize > self.limits.max_string_bytes {
            self.skip(n)?;
            return Ok(Val::Other);
        }
        let mut buf = vec![0u8; n as usize];
        self.exact(&mut buf)?;
        if !text {
            return Ok(Val::Other);
        }
        self.kept += buf.len();
        Ok(Val::Str(Rc::from(String::from_utf8_lossy(&buf).as_ref())))
    }

    /// A newline-terminated argument, without its newline.
    fn line(&mut self) -> Step<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let (done, used) = {
                let buf = match self.r.fill_buf() {
                    Ok(b) => b,
                    Err(e) => return Err(Stop::Io(e.to_string())),
                };
                if buf.is_empty() {
                    return Err(Stop::Eof);
                }
                match buf.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        out.extend_from_slice(&buf[..i]);
                        (true, i + 1)
                    }
                    None => {
                        out.extend_from_slice(buf);
                        (false, buf.len())
                    }
                }
            };
            self.r.consume(used);
            self.pos += used as u64;
            if out.len() > self.limits.max_line {
                return Err(Stop::Bad(format!(
                    "a text argument longer than {} bytes",
                    self.limits.max_line
                )));
            }
            if done {
                return Ok(out);
            }
        }
    }

    fn push(&mut self, v: Val) -> Step<()> {
        if self.stack.len() >= self.limits.max_stack {
            return Err(Stop::Bad(format!(
                "the stack grows past {} items",
                self.limits.max_stack
            )));
        }
        self.stack.push(v);
        Ok(())
    }

    fn floor(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn pop(&mut self, op: &str) -> Step<Val> {
        if self.stack.len() <= self.floor() {
            return Err(Stop::Bad(format!("{op} on an empty stack")));
        }
        Ok(self.stack.pop().unwrap_or(Val::Other))
    }

    fn top(&self, op: &str) -> Step<Val> {
        if self.stack.len() <= self.floor() {
            return Err(Stop::Bad(format!("{op} on an empty stack")));
        }
        Ok(self.stack.last().cloned().unwrap_or(Val::Other))
    }

    fn pop_mark(&mut self, op: &str) -> Step<Vec<Val>> {
        match self.marks.pop() {
            Some(m) => Ok(self.stack.split_off(m.min(self.stack.len()))),
            None => Err(Stop::Bad(format!("{op} without a MARK"))),
        }
    }

    fn memo_put(&mut self, key: u64, op: &str) -> Step<()> {
        let v = self.top(op)?;
        if self.memo.len() >= self.limits.max_memo && !self.memo.contains_key(&key) {
            return Err(Stop::Bad(format!(
                "the memo grows past {} entries",
                self.limits.max_memo
            )));
        }
        self.memo.insert(key, v);
        Ok(())
    }

    fn memo_get(&mut self, key: u64) -> Step<()> {
        match self.memo.get(&key).cloned() {
            Some(v) => self.push(v),
            None => Err(Stop::Bad(format!("memo key {key} is not defined"))),
        }
    }

    fn import(&mut self, module: String, name: String, offset: u64, opcode: &'static str) {
        let verdict = if module.is_empty() {
            Verdict::Unresolved
        } else {
            classify(&module, &name, self.extra_safe)
        };
        self.record(module, name, offset, opcode, verdict);
    }

    fn record(
        &mut self,
        module: String,
        name: String,
        offset: u64,
        opcode: &'static str,
        verdict: Verdict,
    ) {
        let key = (module, name);
        if let Some(&i) = self.index.get(&key) {
            self.imports[i].count += 1;
            return;
        }
        if self.imports.len() >= self.limits.max_imports {
            // keep counting nothing new, but never lose a dangerous one behind safe ones
            if verdict == Verdict::Safe {
                return;
            }
            if let Some(i) = self.imports.iter().position(|x| x.verdict == Verdict::Safe) {
                let old = self.imports.remove(i);
                self.index.remove(&(old.module, old.name));
                self.index = self
                    .imports
                    .iter()
                    .enumerate()
                    .map(|(i, x)| ((x.module.clone(), x.name.clone()), i))
                    .collect();
            } else {
                return;
            }
        }
        self.index.insert(key.clone(), self.imports.len());
        self.imports.push(Import {
            module: key.0,
            name: key.1,
            offset,
            opcode,
            verdict,
            count: 1,
        });
    }

    fn tuple(&mut self, items: Vec<Val>) -> Val {
        if items.len() > MAX_ITEMS || self.tracked + items.len() > self.limits.max_stack {
            return Val::Other;
        }
        self.tracked += items.len();
        let items: Vec<Val> = items.into_iter().map(nestable).collect();
        let d = items.iter().map(depth).max().unwrap_or(0) + 1;
        Val::Tuple(items.into(), d)
    }

    fn dict_insert(&mut self, dict: &Val, pairs: Vec<Val>) {
        if let Val::Dict(d) = dict {
            let mut d = d.borrow_mut();
            for kv in pairs.chunks(2) {
                if kv.len() == 2 && d.len() < MAX_ITEMS && self.tracked < self.limits.max_stack {
                    self.tracked += 1;
                    d.push((nestable(kv[0].clone()), nestable(kv[1].clone())));
                }
            }
        }
    }

    /// The value a call makes: an object of the class called (or of the class a
    /// `copyreg._reconstructor` call names).
    fn made(&mut self, callable: Val, args: Val) -> Val {
        let class = match (&callable, &args) {
            (Val::Global(g), Val::Tuple(a, _))
                if matches!(&**g, "copyreg._reconstructor" | "copy_reg._reconstructor") =>
            {
                match a.first() {
                    Some(Val::Global(c)) => c.clone(),
                    _ => g.clone(),
                }
            }
            (Val::Global(g), _) => g.clone(),
            _ => return Val::Other,
        };
        let args = nestable(args);
        let depth = depth(&args) + 1;
        if depth >= MAX_DEPTH {
            return Val::Other;
        }
        Val::Obj(Rc::new(Made {
            class,
            args,
            state: RefCell::new(Val::Other),
            depth,
        }))
    }

    fn build(&mut self, state: Val, obj: Val) -> Step<()> {
        let Val::Obj(m) = obj else {
            return Ok(());
        };
        if m.class.ends_with("numpy_pickle.NumpyArrayWrapper") {
            return self.joblib_array(&state);
        }
        if is_flat(&state) {
            *m.state.borrow_mut() = state;
        }
        Ok(())
    }

    /// joblib writes each NumPy array's bytes right after its wrapper's BUILD, inside the
    /// pickle stream: skip them (an object array is a nested pickle, walked in turn).
    fn joblib_array(&mut self, state: &Val) -> Step<()> {
        let Val::Dict(d) = state else {
            return Ok(());
        };
        let (dtype, shape, align) = {
            let d = d.borrow();
            let get = |k: &str| {
                d.iter()
                    .find(|(key, _)| matches!(key, Val::Str(s) if &**s == k))
                    .map(|(_, v)| v.clone())
            };
            (
                get("dtype"),
                get("shape"),
                get("numpy_array_alignment_bytes"),
            )
        };
        let Some(Val::Obj(dt)) = dtype else {
            return Ok(());
        };
        let code = match &dt.args {
            Val::Tuple(a, _) => match a.first() {
                Some(Val::Str(s)) => s.clone(),
                _ => return Ok(()),
            },
            _ => return Ok(()),
        };
        let code = code.trim_start_matches(['<', '>', '|', '=']);
        if code.starts_with('O') {
            if self.nested >= 4 {
                return Err(Stop::Bad("object arrays nested too deeply".into()));
            }
            let saved = (
                std::mem::take(&mut self.stack),
                std::mem::take(&mut self.marks),
                std::mem::take(&mut self.memo),
            );
            self.nested += 1;
            let r = self.run();
            self.nested -= 1;
            self.stack = saved.0;
            self.marks = saved.1;
            self.memo = saved.2;
            return r.map_err(|(_, e)| e);
        }
        let digits: String = code
            .chars()
            .skip_while(|c| c.is_ascii_alphabetic())
            .collect();
        let mut itemsize: u64 = digits.parse().unwrap_or(0);
        if let Val::Tuple(st, _) = &*dt.state.borrow() {
            if let Some(Val::Int(e)) = st.get(5) {
                if *e > 0 {
                    itemsize = *e as u64;
                }
            }
        }
        let Some(Val::Tuple(dims, _)) = shape else {
            return Ok(());
        };
        let mut count: u64 = 1;
        for d in dims.iter() {
            match d {
                Val::Int(n) if *n >= 0 => {
                    count = count
                        .checked_mul(*n as u64)
                        .ok_or_else(|| Stop::Bad("a joblib array whose size overflows".into()))?;
                }
                _ => return Ok(()),
            }
        }
        let bytes = count
            .checked_mul(itemsize)
            .ok_or_else(|| Stop::Bad("a joblib array whose size overflows".into()))?;
        if matches!(align, Some(Val::Int(_))) {
            let pad = self.byte()?;
            self.skip(pad as u64)?;
        }
        self.skip(bytes)
    }

    fn text_pair(&mut self) -> Step<(String, String)> {
        let module = self.line()?;
        let name = self.line()?;
        Ok((
            String::from_utf8_lossy(&module)
                .trim_end_matches('\r')
                .to_string(),
            String::from_utf8_lossy(&name)
                .trim_end_matches('\r')
                .to_string(),
        ))
    }

    fn decimal(&mut self, op: &str) -> Step<u64> {
        let l = self.line()?;
        let s = String::from_utf8_lossy(&l);
        s.trim()
            .parse::<u64>()
            .map_err(|_| Stop::Bad(format!("{op} argument `{}` is not a memo key", short(&s))))
    }

    /// One pickle, up to its STOP.
    fn run(&mut self) -> Result<(), (u64, Stop)> {
        loop {
            let at = self.pos;
            self.count += 1;
            if self.count > self.limits.max_opcodes {
                return Err((
                    at,
                    Stop::Bad(format!(
                        "more than {} opcodes; the rest was not inspected",
                        self.limits.max_opcodes
                    )),
                ));
            }
            let op = match self.byte() {
                Ok(op) => op,
                Err(e) => return Err((at, e)),
            };
            match self.step(op, at) {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => return Err((at, e)),
            }
        }
    }

    /// Runs one opcode; true at STOP.
    fn step(&mut self, op: u8, at: u64) -> Step<bool> {
        let name = match opcode_name(op) {
            Some(n) => n,
            None => return Err(Stop::Bad(format!("unknown opcode 0x{op:02x}"))),
        };
        match op {
            b'(' => {
                if self.marks.len() >= self.limits.max_stack {
                    return Err(Stop::Bad("too many nested MARKs".into()));
                }
                self.marks.push(self.stack.len());
            }
            b'.' => {
                self.pop(name)?;
                return Ok(true);
            }
            b'0' => {
                if self.stack.len() > self.floor() {
                    self.stack.pop();
                } else {
                    self.pop_mark(name)?;
                }
            }
            b'1' => {
                self.pop_mark(name)?;
            }
            b'2' => {
                let v = self.top(name)?;
                self.push(v)?;
            }
            b'F' => {
                self.line()?;
                self.push(Val::Other)?;
            }
            b'I' | b'L' => {
                let l = self.line()?;
                let t = String::from_utf8_lossy(&l);
                let v = t
                    .trim()
                    .trim_end_matches('L')
                    .parse::<i64>()
                    .map_or(Val::Other, Val::Int);
                self.push(v)?;
            }
            b'J' => {
                let v = self.i32()?;
                self.push(Val::Int(v))?;
            }
            b'K' => {
                let v = self.byte()?;
                self.push(Val::Int(v as i64))?;
            }
            b'M' => {
                let v = self.u16()?;
                self.push(Val::Int(v as i64))?;
            }
            b'G' => {
                self.skip(8)?;
                self.push(Val::Other)?;
            }
            b'N' | 0x88 | 0x89 | b']' | 0x8f | 0x97 => self.push(Val::Other)?,
            b'}' => self.push(Val::Dict(Rc::new(RefCell::new(Vec::new()))))?,
            b')' => {
                let t = self.tuple(vec![]);
                self.push(t)?;
            }
            b'P' => {
                self.line()?;
                self.push(Val::Other)?;
            }
            b'Q' => {
                self.pop(name)?;
                self.push(Val::Other)?;
            }
            b'R' => {
                let args = self.pop(name)?;
                let callable = self.pop(name)?;
                let v = self.made(callable, args);
                self.push(v)?;
            }
            b'S' => {
                let l = self.line()?;
                let v = match quoted(&l) {
                    Some(s) => self.keep(s),
                    None => return Err(Stop::Bad("STRING argument is not quoted".into())),
                };
                self.push(v)?;
            }
            b'T' => {
                let n = self.i32()?;
                if n < 0 {
                    return Err(Stop::Bad("BINSTRING with a negative length".into()));
                }
                let v = self.counted(n as u64, true)?;
                self.push(v)?;
            }
            b'U' => {
                let n = self.byte()? as u64;
                let v = self.counted(n, true)?;
                self.push(v)?;
            }
            b'V' => {
                let l = self.line()?;
                let s = raw_unicode_escape(&l);
                let v = self.keep(s);
                self.push(v)?;
            }
            b'X' => {
                let n = self.u32()?;
                let v = self.counted(n, true)?;
                self.push(v)?;
            }
            0x8c => {
                let n = self.byte()? as u64;
                let v = self.counted(n, true)?;
                self.push(v)?;
            }
            0x8d => {
                let n = self.u64()?;
                if n > i64::MAX as u64 {
                    return Err(Stop::Bad("BINUNICODE8 length exceeds the maximum".into()));
                }
                let v = self.counted(n, true)?;
                self.push(v)?;
            }
            b'B' => {
                let n = self.u32()?;
                self.skip(n)?;
                self.push(Val::Other)?;
            }
            b'C' => {
                let n = self.byte()? as u64;
                self.skip(n)?;
                self.push(Val::Other)?;
            }
            0x8e | 0x96 => {
                let n = self.u64()?;
                if n > i64::MAX as u64 {
                    return Err(Stop::Bad(format!("{name} length exceeds the maximum")));
                }
                self.skip(n)?;
                self.push(Val::Other)?;
            }
            0x8a => {
                let n = self.byte()? as usize;
                let mut b = vec![0u8; n];
                self.exact(&mut b)?;
                let v = if n == 0 {
                    Val::Int(0)
                } else if n <= 8 {
                    let fill = if b[n - 1] & 0x80 != 0 { 0xff } else { 0 };
                    let mut w = [fill; 8];
                    w[..n].copy_from_slice(&b);
                    Val::Int(i64::from_le_bytes(w))
                } else {
                    Val::Other
                };
                self.push(v)?;
            }
            0x8b => {
                let n = self.i32()?;
                if n < 0 {
                    return Err(Stop::Bad("LONG4 with a negative length".into()));
                }
                self.skip(n as u64)?;
                self.push(Val::Other)?;
            }
            b'a' => {
                self.pop(name)?;
                self.top(name)?;
            }
            b'b' => {
                let state = self.pop(name)?;
                let obj = self.top(name)?;
                self.build(state, obj)?;
            }
            b'e' | 0x90 => {
                self.pop_mark(name)?;
                self.top(name)?;
            }
            b'u' => {
                let items = self.pop_mark(name)?;
                let d = self.top(name)?;
                self.dict_insert(&d, items);
            }
            b's' => {
                let v = self.pop(name)?;
                let k = self.pop(name)?;
                let d = self.top(name)?;
                self.dict_insert(&d, vec![k, v]);
            }
            b'd' => {
                let items = self.pop_mark(name)?;
                let d = Val::Dict(Rc::new(RefCell::new(Vec::new())));
                self.dict_insert(&d, items);
                self.push(d)?;
            }
            b'l' | 0x91 => {
                self.pop_mark(name)?;
                self.push(Val::Other)?;
            }
            b't' => {
                let items = self.pop_mark(name)?;
                let t = self.tuple(items);
                self.push(t)?;
            }
            0x85..=0x87 => {
                let n = (op - 0x84) as usize;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.pop(name)?);
                }
                items.reverse();
                let t = self.tuple(items);
                self.push(t)?;
            }
            b'c' => {
                let (module, attr) = self.text_pair()?;
                let g = Val::Global(Rc::from(format!("{module}.{attr}").as_str()));
                self.import(module, attr, at, name);
                self.push(g)?;
            }
            b'i' => {
                let (module, attr) = self.text_pair()?;
                let g = Val::Global(Rc::from(format!("{module}.{attr}").as_str()));
                self.import(module, attr, at, name);
                let items = self.pop_mark(name)?;
                let args = self.tuple(items);
                let v = self.made(g, args);
                self.push(v)?;
            }
            0x93 => {
                let attr = self.pop(name)?;
                let module = self.pop(name)?;
                let g = match (module, attr) {
                    (Val::Str(m), Val::Str(a)) => {
                        let g = Val::Global(Rc::from(format!("{m}.{a}").as_str()));
                        self.import(m.to_string(), a.to_string(), at, name);
                        g
                    }
                    _ => {
                        self.record(
                            String::new(),
                            "<a name computed at load time>".into(),
                            at,
                            name,
                            Verdict::Unresolved,
                        );
                        Val::Other
                    }
                };
                self.push(g)?;
            }
            b'o' => {
                let mut items = self.pop_mark(name)?;
                if items.is_empty() {
                    return Err(Stop::Bad("OBJ without a class".into()));
                }
                let class = items.remove(0);
                let args = self.tuple(items);
                let v = self.made(class, args);
                self.push(v)?;
            }
            0x81 => {
                let args = self.pop(name)?;
                let class = self.pop(name)?;
                let v = self.made(class, args);
                self.push(v)?;
            }
            0x92 => {
                self.pop(name)?;
                let args = self.pop(name)?;
                let class = self.pop(name)?;
                let v = self.made(class, args);
                self.push(v)?;
            }
            0x82..=0x84 => {
                let code = match op {
                    0x82 => self.byte()? as u64,
                    0x83 => self.u16()?,
                    _ => self.i32()? as u64,
                };
                self.record(
                    String::new(),
                    format!("<copyreg extension {code}>"),
                    at,
                    name,
                    Verdict::Unresolved,
                );
                self.push(Val::Other)?;
            }
            b'g' => {
                let k = self.decimal(name)?;
                self.memo_get(k)?;
            }
            b'h' => {
                let k = self.byte()? as u64;
                self.memo_get(k)?;
            }
            b'j' => {
                let k = self.u32()?;
                self.memo_get(k)?;
            }
            b'p' => {
                let k = self.decimal(name)?;
                self.memo_put(k, name)?;
            }
            b'q' => {
                let k = self.byte()? as u64;
                self.memo_put(k, name)?;
            }
            b'r' => {
                let k = self.u32()?;
                self.memo_put(k, name)?;
            }
            0x94 => {
                let k = self.memo.len() as u64;
                self.memo_put(k, name)?;
            }
            0x80 => {
                let p = self.byte()?;
                if p > 5 {
                    return Err(Stop::Bad(format!("unsupported protocol {p}")));
                }
                self.protocol = Some(self.protocol.map_or(p, |q| q.max(p)));
            }
            0x95 => {
                // a frame only announces how many bytes follow; its opcodes are read inline
                self.u64()?;
            }
            0x98 => {
                self.top(name)?;
            }
            _ => return Err(Stop::Bad(format!("unknown opcode 0x{op:02x}"))),
        }
        Ok(false)
    }

    fn keep(&mut self, s: String) -> Val {
        if s.len() as u64 > NAME_MAX || self.kept + s.len() > self.limits.max_string_bytes {
            return Val::Other;
        }
        self.kept += s.len();
        Val::Str(Rc::from(s.as_str()))
    }
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        format!("{t}...")
    } else {
        t
    }
}

/// The text of a protocol 0 STRING argument: a quoted Python literal with escapes.
fn quoted(l: &[u8]) -> Option<String> {
    let l = l.strip_suffix(b"\r").unwrap_or(l);
    if l.len() < 2 || l[0] != l[l.len() - 1] || !matches!(l[0], b'\'' | b'"') {
        return None;
    }
    let body = &l[1..l.len() - 1];
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c != b'\\' || i + 1 >= body.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = body[i + 1];
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut k = 0;
                while k < 2 && i < body.len() && (b'0'..=b'7').contains(&body[i]) {
                    v = v * 8 + (body[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = body.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => return None,
                }
            }
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    // Python 3 decodes STRING arguments as ASCII (or latin-1): one char per byte
    Some(out.iter().map(|b| *b as char).collect())
}

/// Python's raw-unicode-escape: `\uXXXX` and `\UXXXXXXXX`, every other byte as latin-1.
fn raw_unicode_escape(l: &[u8]) -> String {
    let mut out = String::with_capacity(l.len());
    let mut i = 0;
    while i < l.len() {
        if l[i] == b'\\' && i + 1 < l.len() && (l[i + 1] == b'u' || l[i + 1] == b'U') {
            let n = if l[i + 1] == b'u' { 4 } else { 8 };
            let code = l
                .get(i + 2..i + 2 + n)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32);
            if let Some(c) = code {
                out.push(c);
                i += 2 + n;
                continue;
            }
        }
        out.push(l[i] as char);
        i += 1;
    }
    out
}

/// Walks one pickle from the reader's position up to its STOP.
pub fn scan<R: BufRead>(r: R, extra_safe: &[String], limits: &Limits) -> Report {
    scan_from(r, 0, extra_safe, limits)
}

/// Like [`scan`], with offsets counted from `start` (a pickle further into a file).
pub fn scan_from<R: BufRead>(r: R, start: u64, extra_safe: &[String], limits: &Limits) -> Report {
    let mut w = Walker {
        r,
        pos: start,
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
        kept: 0,
        limits,
        extra_safe,
        imports: Vec::new(),
        index: BTreeMap::new(),
        protocol: None,
        count: 0,
        tracked: 0,
        nested: 0,
    };
    let result = w.run();
    let problem = match result {
        Ok(()) => None,
        Err((at, stop)) => Some(Problem {
            offset: at,
            detail: match stop {
                Stop::Eof => format!(
                    "truncated: the pickle ends at byte {} without a STOP",
                    w.pos
                ),
                Stop::Bad(d) => d,
                Stop::Io(e) => format!("cannot be read: {e}"),
            },
        }),
    };
    Report {
        opcodes: w.count,
        end: w.pos,
        protocol: w.protocol,
        imports: w.imports,
        problem,
    }
}

/// Walks the consecutive pickles of a stream: legacy `torch.save` writes five in a row (magic
/// number, protocol, system info, the object, storage keys) and then raw tensor bytes. A pickle
/// after the first is read only when the next byte starts a protocol 2+ pickle; since raw bytes
/// can look like one, its problems are dropped, but the imports it reached are kept.
pub fn scan_all<R: BufRead>(mut r: R, extra_safe: &[String], limits: &Limits) -> Vec<Report> {
    let mut out = Vec::new();
    let mut start = 0;
    // a pickle after the first without a protocol header (protocol 0 or 1, text opcodes) is
    // taken only when it parses to its STOP: raw tensor bytes after the last pickle can start
    // with any byte
    let mut headerless = false;
    loop {
        let mut rep = scan_from(&mut r, start, extra_safe, limits);
        let stop = rep.problem.is_some();
        if headerless && stop {
            break;
        }
        if !out.is_empty() {
            rep.problem = None;
        }
        start = rep.end;
        out.push(rep);
        if stop || out.len() >= 5 {
            break;
        }
        match r.fill_buf() {
            Ok(b) if b.first() == Some(&0x80) => headerless = false,
            // MARK, GLOBAL, EMPTY_LIST / DICT / TUPLE, NONE, INT, STRING, UNICODE, BININT1
            Ok(b) if b.first().is_some_and(|c| b"(c]})NISVK".contains(c)) => headerless = true,
            _ => break,
        }
    }
    out
}
