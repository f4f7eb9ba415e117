//! Scanners for what a release must not leak: personal data and secrets in text files.
//!
//! Each file is read at most once (documents already loaded are scanned from memory), files are
//! scanned in parallel, and a file is streamed in windows that end at a line break (or, for a
//! line longer than a window, that overlap), so memory stays bounded whatever the file size.
//! Secret candidates are found by regular expressions run only from a literal hint on (a token
//! prefix, `://`, `-----BEGIN`, `secret`); personal-data candidates by `find`, which looks at
//! 64 bytes at a time for the few places a candidate can start. Rust code validates each
//! candidate (checksums, ranges, placeholders) and masks it. Nothing found is ever kept unmasked.

pub mod find;
pub mod mask;
pub mod pii;
pub mod secrets;

use crate::config::ScanSettings;
use crate::finding::Region;
use crate::repo::{roles, Entry, FileSet, Problem, Role};
use rayon::prelude::*;
use regex::bytes::Regex;
use std::io::Read;
use std::sync::LazyLock;

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Email,
    Phone,
    ChineseId,
    PaymentCard,
    Iban,
    Ssn,
    IpAddress,
    HuggingFace,
    OpenAi,
    Anthropic,
    AwsKeyId,
    AwsSecret,
    GitHub,
    GitLab,
    GoogleApi,
    Slack,
    PrivateKey,
    UrlCredentials,
    Stripe,
    Replicate,
    Groq,
    XAi,
    AzureOpenAi,
    WandB,
}

impl Kind {
    pub fn is_secret(self) -> bool {
        self >= Kind::HuggingFace
    }

    /// A stable id (`email`, `hugging-face-token`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::ChineseId => "chinese-id",
            Kind::PaymentCard => "payment-card",
            Kind::Iban => "iban",
            Kind::Ssn => "us-ssn",
            Kind::IpAddress => "ip-address",
            Kind::HuggingFace => "hugging-face-token",
            Kind::OpenAi => "openai-key",
            Kind::Anthropic => "anthropic-key",
            Kind::AwsKeyId => "aws-access-key-id",
            Kind::AwsSecret => "aws-secret-access-key",
            Kind::GitHub => "github-token",
            Kind::GitLab => "gitlab-token",
            Kind::GoogleApi => "google-api-key",
            Kind::Slack => "slack-token",
            Kind::PrivateKey => "private-key",
            Kind::UrlCredentials => "url-credentials",
            Kind::Stripe => "stripe-key",
            Kind::Replicate => "replicate-token",
            Kind::Groq => "groq-key",
            Kind::XAi => "xai-key",
            Kind::AzureOpenAi => "azure-openai-key",
            Kind::WandB => "wandb-key",
        }
    }

    /// What a message calls it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Email => "an e-mail address",
            Kind::Phone => "a phone number",
            Kind::ChineseId => "a Chinese resident identity number",
            Kind::PaymentCard => "a payment card number",
            Kind::Iban => "an IBAN",
            Kind::Ssn => "a US social security number",
            Kind::IpAddress => "a public IP address",
            Kind::HuggingFace => "a Hugging Face token",
            Kind::OpenAi => "an OpenAI API key",
            Kind::Anthropic => "an Anthropic API key",
            Kind::AwsKeyId => "an AWS access key id",
            Kind::AwsSecret => "an AWS secret access key",
            Kind::GitHub => "a GitHub token",
            Kind::GitLab => "a GitLab token",
            Kind::GoogleApi => "a Google API key",
            Kind::Slack => "a Slack token",
            Kind::PrivateKey => "a private key",
            Kind::UrlCredentials => "a password in a URL",
            Kind::Stripe => "a Stripe secret key",
            Kind::Replicate => "a Replicate API token",
            Kind::Groq => "a Groq API key",
            Kind::XAi => "an xAI API key",
            Kind::AzureOpenAi => "an Azure OpenAI key",
            Kind::WandB => "a Weights & Biases API key",
        }
    }
}

/// A validated candidate in one window, with byte offsets in that window.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub masked: String,
}

/// One thing found in a file: where (byte offsets and a line/column region) and what, masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    /// Byte offsets in the file.
    pub start: usize,
    pub end: usize,
    pub region: Region,
    /// The value as it may be shown: never whole.
    pub masked: String,
}

/// Which detectors a file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub personal: bool,
    pub secrets: bool,
}

impl Wanted {
    pub const ALL: Wanted = Wanted {
        personal: true,
        secrets: true,
    };
    pub const SECRETS: Wanted = Wanted {
        personal: false,
        secrets: true,
    };
}

/// The secret patterns: private key blocks, credentials in URLs, tokens with a prefix of their
/// own ([`secrets::FORMATS`]), AWS secret keys and keys without a prefix after their name
/// ([`secrets::KEYED`]).
fn secret_patterns() -> Vec<String> {
    let mut prefixes: Vec<String> = secrets::FORMATS
        .iter()
        .map(|f| regex::escape(f.prefix))
        .collect();
    prefixes.dedup();
    let names: Vec<String> = secrets::KEYED
        .iter()
        .flat_map(|k| k.names.iter().map(|n| regex::escape(n)))
        .collect();
    vec![
        r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----".into(),
        r#"[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:@/"'<>`]+:[^\s@/"'<>`]+@[A-Za-z0-9.\-]+[^\s"'<>`)\]]*"#.into(),
        format!(r"(?:{})[A-Za-z0-9_\-]{{8,}}", prefixes.join("|")),
        r"(?i:aws_?secret_?access_?key|secretaccesskey|aws_secret_key)[^A-Za-z0-9/+\n]{1,8}[A-Za-z0-9/+]{40}".into(),
        format!(r"(?:{})[^A-Za-z0-9\n]{{1,8}}[A-Za-z0-9]{{32,84}}", names.join("|")),
    ]
}

fn build(patterns: &[String]) -> Regex {
    let pattern = format!("(?-u:{})", patterns.join("|"));
    Regex::new(&pattern).expect("the scanner patterns are valid")
}

static SECRETS_ONLY: LazyLock<Regex> = LazyLock::new(|| build(&secret_patterns()));

/// Every secret pattern's match holds one of these (`secret` in any case), starting at most
/// `HINT_REACH` bytes after the match starts (a URL's scheme comes before `://`): a literal
/// search finds them much faster than the patterns run, and the patterns run only from there.
/// The token prefixes (a prefix that starts with a shorter one is found by the shorter one),
/// and the names of keys without a prefix (their first spelling's start suffices for each).
fn secret_hints() -> Vec<String> {
    let mut out: Vec<String> = vec!["-----BEGIN".into(), "://".into()];
    let prefixes: Vec<&str> = secrets::FORMATS.iter().map(|f| f.prefix).collect();
    for p in &prefixes {
        if !prefixes.iter().any(|q| q != p && p.starts_with(q)) && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    for k in secrets::KEYED {
        for n in k.names {
            if !out.iter().any(|o| n.starts_with(o.as_str())) {
                out.push(n.to_string());
            }
        }
    }
    out
}
const HINT_REACH: usize = 16;

/// The hints as two expressions: the literals, and `secret` in any case (as one expression the
/// 64 spellings of `secret` made the regex crate's literal search about four times slower).
static HINT_LITERALS: LazyLock<Regex> = LazyLock::new(|| {
    let literals: Vec<String> = secret_hints().iter().map(|h| regex::escape(h)).collect();
    Regex::new(&literals.join("|")).expect("the hints are valid")
});
static HINT_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("(?i-u:secret)").expect("the hint is valid"));

/// The hints in `text`, in order of where they start; `words`: where `secret` is written, if a
/// pass over the text has already found it.
fn hints<'a>(
    text: &'a [u8],
    words: Option<&'a [(usize, usize)]>,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let span = |m: regex::bytes::Match| (m.start(), m.end());
    let mut literals = HINT_LITERALS.find_iter(text).map(span).peekable();
    let words: Box<dyn Iterator<Item = (usize, usize)>> = match words {
        Some(w) => Box::new(w.iter().copied()),
        None => Box::new(HINT_WORD.find_iter(text).map(span)),
    };
    let mut words = words.peekable();
    std::iter::from_fn(move || match (literals.peek(), words.peek()) {
        (Some(l), Some(w)) if w.0 < l.0 => words.next(),
        (Some(_), _) => literals.next(),
        (None, _) => words.next(),
    })
}

/// Validates one secret candidate, by its shape.
fn validate_secret(text: &[u8], s: usize, e: usize) -> Option<Found> {
    let m = &text[s..e];
    if m.starts_with(b"-----BEGIN") {
        secrets::private_key(text, s, e)
    } else if m.windows(3).any(|w| w == b"://") {
        secrets::url_credentials(text, s, e)
    } else if m.len() > 40
        && (m[..3].eq_ignore_ascii_case(b"aws") || m[..6].eq_ignore_ascii_case(b"secret"))
        && m.contains(&b'=') | m.contains(&b':') | m.contains(&b' ') | m.contains(&b'"')
    {
        secrets::aws_secret(text, s, e)
    } else if secrets::KEYED
        .iter()
        .any(|k| k.names.iter().any(|n| m.starts_with(n.as_bytes())))
    {
        secrets::keyed(text, s, e)
    } else {
        secrets::token(text, s, e)
    }
}

/// The secret candidates in `text` (the matches of the secret patterns, in order), each with
/// what its validator made of it. The patterns run only from a hint on: each search either
/// finds the next match, which the next search starts after, or shows there is none left.
fn secret_candidates(
    text: &[u8],
    words: Option<&[(usize, usize)]>,
) -> Vec<((usize, usize), Option<Found>)> {
    let mut out = Vec::new();
    let mut from = 0;
    for (start, end) in hints(text, words) {
        if end <= from {
            continue;
        }
        let at = start.saturating_sub(HINT_REACH).max(from);
        let Some(m) = SECRETS_ONLY.find_at(text, at) else {
            break;
        };
        out.push((
            (m.start(), m.end()),
            validate_secret(text, m.start(), m.end()),
        ));
        from = m.end().max(m.start() + 1);
    }
    out
}

/// `text` with every personal datum and secret in it masked, each byte of a value that is not
/// its first character or an `@` replaced by `*`, so that byte offsets into the text still hold
/// (source snippets point into it). `None` when there is nothing to mask.
pub fn masked_text(text: &str) -> Option<String> {
    let found = detect(text.as_bytes(), Wanted::ALL);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        let (start, end) = (f.start.max(at), f.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        for (i, c) in text[start..end].char_indices() {
            if i == 0 || c == '@' {
                out.push(c);
            } else {
                out.extend(std::iter::repeat_n('*', c.len_utf8()));
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Finds and validates everything in `text` (one window), in order. Offsets are in `text`.
pub fn detect(text: &[u8], wanted: Wanted) -> Vec<Found> {
    let mut out = Vec::new();
    // one pass finds the personal-data candidates and where `secret` is written
    let pass = wanted.personal.then(|| find::pass(text));
    let words = pass.as_ref().map(|p| p.secret_words.as_slice());
    // secret candidates' extents, validated or not: personal data inside one (the password
    // of a URL, a token that looks like a number) is not reported on its own
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (span, found) in secret_candidates(text, words) {
        spans.push(span);
        if wanted.secrets {
            out.extend(found);
        }
    }
    if let Some(pass) = pass {
        out.extend(find::resolve(text, pass, &spans));
        out.sort_by_key(|f| f.start);
    }
    out
}

/// Line and column of byte offsets, counted as the stream goes by.
struct Tracker {
    offset: usize,
    line: usize,
    column: usize,
}

impl Tracker {
    /// Moves to `to`, reading the bytes of `window` (which starts at file offset `base`).
    fn advance(&mut self, window: &[u8], base: usize, to: usize) {
        if to <= self.offset {
            return;
        }
        let bytes = &window[self.offset - base..to - base];
        // lines are counted with memchr (this runs over every byte scanned); characters only
        // after the last line break, where the column is
        let tail = match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', &bytes[..=last]).count();
                self.column = 1;
                &bytes[last + 1..]
            }
            None => bytes,
        };
        // a new character at each byte that is not a UTF-8 continuation byte
        self.column += tail.iter().filter(|b| **b & 0xC0 != 0x80).count();
        self.offset = to;
    }
}

const CHUNK: usize = 256 * 1024;
/// A window without a line break is cut at this size; the next one starts `OVERLAP` bytes
/// before the cut (and accepts only what starts after it), so tokens across the cut are found.
const MAX_WINDOW: usize = 1024 * 1024;
const OVERLAP: usize = 4096;
/// Bytes looked at to tell a binary file.
const SNIFF: usize = 8192;

/// What a streamed scan saw.
#[derive(Debug, Default)]
pub struct Scanned {
    pub hits: Vec<Hit>,
    pub binary: bool,
    pub truncated: bool,
    /// A model-file format its first bytes show (`inspect::sniff`).
    pub sniffed: Option<crate::inspect::Format>,
}

fn is_binary(head: &[u8]) -> bool {
    head[..head.len().min(SNIFF)].contains(&0)
}

/// Scans a stream of at most `limit` bytes, window by window.
/// A UTF-16 byte-order mark: `Some(true)` little-endian, `Some(false)` big-endian.
fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

fn decode_utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

pub fn scan_reader<R: Read>(mut r: R, limit: u64, wanted: Wanted) -> std::io::Result<Scanned> {
    let mut out = Scanned::default();
    // the buffer grows with what is read: most files are far smaller than a chunk, and
    // zeroing a chunk for each of them cost more than scanning them
    let mut buf: Vec<u8> = Vec::new();
    let mut base = 0usize; // file offset of buf[0]
    let mut accept_from = 0usize; // file offset from which hits are new
    let mut read_total: u64 = 0;
    let mut tracker = Tracker {
        offset: 0,
        line: 1,
        column: 1,
    };
    let mut first = true;
    loop {
        let want = (CHUNK as u64).min(limit - read_total) as usize;
        let got = r.by_ref().take(want as u64).read_to_end(&mut buf)?;
        read_total += got as u64;
        if first {
            first = false;
            out.sniffed = crate::inspect::sniff(&buf[..buf.len().min(16)]);
            if let Some(le) = utf16_bom(&buf) {
                // UTF-16 text (Windows tools write it): decoded, then scanned as UTF-8; lines
                // and columns are those of the text
                let mut rest = Vec::new();
                r.by_ref()
                    .take(limit.saturating_sub(read_total))
                    .read_to_end(&mut rest)?;
                buf.extend_from_slice(&rest);
                let text = decode_utf16(&buf[2..], le);
                return scan_reader(text.as_bytes(), limit, wanted);
            }
            if is_binary(&buf) {
                out.binary = true;
                return Ok(out);
            }
        }
        let at_limit = read_total >= limit;
        let eof = got < want || at_limit;
        if eof && at_limit && got == want {
            // is there more beyond the limit?
            let mut probe = [0u8; 1];
            out.truncated = matches!(r.read(&mut probe), Ok(n) if n > 0);
        }
        let rel_from = accept_from - base;
        let (cut, keep_from) = if eof {
            (buf.len(), buf.len())
        } else if let Some(nl) = buf[rel_from..].iter().rposition(|b| *b == b'\n') {
            let c = rel_from + nl + 1;
            (c, c)
        } else if buf.len() >= MAX_WINDOW {
            (buf.len() - OVERLAP, buf.len() - 2 * OVERLAP)
        } else {
            continue;
        };
        let window_end = if eof || keep_from == cut {
            cut
        } else {
            buf.len()
        };
        for f in detect(&buf[..window_end], wanted) {
            let (s, e) = (base + f.start, base + f.end);
            if s < accept_from || s >= base + cut {
                continue;
            }
            tracker.advance(&buf, base, s);
            let (line, column) = (tracker.line, tracker.column);
            let mut end_tracker = Tracker {
                offset: tracker.offset,
                line,
                column,
            };
            end_tracker.advance(&buf, base, e.min(base + window_end));
            out.hits.push(Hit {
                kind: f.kind,
                start: s,
                end: e,
                region: Region {
                    line,
                    column,
                    end_line: end_tracker.line,
                    end_column: end_tracker.column,
                    bytes: None,
                },
                masked: f.masked,
            });
        }
        tracker.advance(&buf, base, base + cut);
        if eof {
            break;
        }
        buf.drain(..keep_from);
        base += keep_from;
        accept_from = base + (cut - keep_from);
    }
    Ok(out)
}

/// Scans bytes already in memory (a git blob, a document): personal data and secrets, with
/// lines and columns. Binary content gives nothing. `path` decides nothing yet; it is there
/// so callers (such as `--history`) can pass it and future detectors can use the file type.
pub fn scan_bytes(path: &str, bytes: &[u8]) -> Vec<Hit> {
    let _ = path;
    scan_reader(bytes, bytes.len() as u64, Wanted::ALL)
        .map(|s| s.hits)
        .unwrap_or_default()
}

/// How a scanned file counts for the personal-data rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Data the release ships (data samples, or files `[scan] include` names).
    Sample,
    /// Cards, data statements, dataset cards and other prose: contact addresses are expected.
    Document,
    /// Model configs and notebooks.
    Config,
    /// Code and other text files: scanned for secrets only.
    Other,
}

impl Place {
    pub fn describe(self) -> &'static str {
        match self {
            Place::Sample => "the data sample",
            Place::Document => "the document",
            Place::Config => "the file",
            Place::Other => "the file",
        }
    }
}

/// Which detectors a file gets, and how its personal data counts; `None`: not scanned.
pub fn plan(entry: &Entry, settings: &ScanSettings) -> Option<(Wanted, Place)> {
    if settings.ignore.is_match(&entry.path) {
        return None;
    }
    let notebook = roles::extension(&entry.path).as_deref() == Some("ipynb");
    let place = match entry.role {
        Role::DataSample => Place::Sample,
        Role::ModelCard | Role::DataStatement | Role::DatasetCard | Role::Doc | Role::PolicyDoc => {
            Place::Document
        }
        Role::ModelConfig => Place::Config,
        Role::Code if notebook => Place::Config,
        _ => Place::Other,
    };
    if let Some(include) = &settings.include {
        if !include.is_match(&entry.path) {
            return None;
        }
        let place = if place == Place::Other {
            Place::Sample
        } else {
            place
        };
        return Some((Wanted::ALL, place));
    }
    match entry.role {
        // weights are read by the binary parsers; licence texts hold neither
        Role::Weights | Role::License => None,
        // a file of records outside a data folder may be a sample all the same: scanned for
        // everything, and its content decides (`as_sample`)
        Role::Other if is_record_format(&entry.path) => Some((Wanted::ALL, Place::Other)),
        _ if place == Place::Other || place == Place::Document && entry.role == Role::Doc => {
            Some((Wanted::SECRETS, place))
        }
        _ => Some((Wanted::ALL, place)),
    }
}

/// Extensions of files that hold records (lines of JSON, rows of a table).
fn is_record_format(path: &str) -> bool {
    matches!(
        roles::extension(path).as_deref(),
        Some("jsonl" | "ndjson" | "csv" | "tsv" | "json")
    )
}

/// Whether the start of a file is records, the shape of a data sample: lines that are JSON
/// objects, a JSON array of objects, or rows of a table with the same number of separators.
pub fn looks_like_records(path: &str, head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(20)
        .collect();
    match roles::extension(path).as_deref() {
        Some("json") => {
            let t = text.trim_start();
            t.starts_with('[') && t[1..].trim_start().starts_with('{')
        }
        Some("jsonl" | "ndjson") => {
            lines.len() >= 2
                && lines.iter().filter(|l| l.starts_with('{')).count() * 5 >= lines.len() * 4
        }
        Some(ext @ ("csv" | "tsv")) => {
            let sep = if ext == "tsv" { '\t' } else { ',' };
            // the last line of the head may be cut
            let rows = &lines[..lines.len().saturating_sub(1).max(lines.len().min(2))];
            let first = rows.first().map_or(0, |l| l.matches(sep).count());
            rows.len() >= 2
                && first >= 1
                && rows
                    .iter()
                    .filter(|l| l.matches(sep).count() == first)
                    .count()
                    * 5
                    >= rows.len() * 4
        }
        _ => false,
    }
}

/// How much of a file's start `looks_like_records` reads.
const RECORD_HEAD: usize = 4096;

/// The scan of one file.
#[derive(Debug)]
pub struct FileScan {
    pub path: String,
    pub place: Place,
    pub hits: Vec<Hit>,
}

/// Everything the scanners found in a file set.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub files: Vec<FileScan>,
    pub problems: Vec<Problem>,
    /// Files whose name says nothing of a model format but whose first bytes do: inspected
    /// as that format.
    pub sniffed: Vec<(String, crate::inspect::Format)>,
}

/// Scans the file set in parallel: documents from memory, other files streamed from their source.
pub fn scan_file_set(
    files: &FileSet,
    doc_text: &(dyn Fn(&str) -> Option<std::sync::Arc<str>> + Sync),
    settings: &ScanSettings,
) -> ScanReport {
    // the files to scan, largest first, each its own piece of work: with rayon's default
    // splitting, a run of large files next to each other in path order went to one thread
    let mut planned: Vec<(&Entry, (Wanted, Place))> = files
        .entries
        .iter()
        .filter_map(|e| plan(e, settings).map(|p| (e, p)))
        .collect();
    planned.sort_by_key(|p| std::cmp::Reverse(p.0.size));
    let paths: Vec<String> = planned.iter().map(|p| p.0.path.clone()).collect();
    let results: Vec<(Option<FileScan>, Option<Problem>, Option<crate::inspect::Format>)> = planned
        .into_par_iter()
        .with_max_len(1)
        .map(|(e, (wanted, place))| {
            let scanned = if let Some(text) = doc_text(&e.path) {
                scan_reader(text.as_bytes(), settings.max_bytes, wanted)
            } else if let Some(p) = files.disk_path(&e.path) {
                std::fs::File::open(p).and_then(|f| scan_reader(f, settings.max_bytes, wanted))
            } else {
                files
                    .read(&e.path, settings.max_bytes.saturating_add(1))
                    .and_then(|b| scan_reader(b.as_slice(), settings.max_bytes, wanted))
            };
            match scanned {
                Ok(s) => {
                    let problem = s.truncated.then(|| Problem {
                        path: Some(e.path.clone()),
                        region: None,
                        detail: format!(
                            "`{}` is larger than `[scan] max_bytes` ({} bytes): only its first {} bytes were scanned for personal data and secrets",
                            e.path, settings.max_bytes, settings.max_bytes
                        ),
                    });
                    let mut hits = s.hits;
                    if place == Place::Other
                        && e.role == Role::Other
                        && is_record_format(&e.path)
                        && hits.iter().any(|h| !h.kind.is_secret())
                    {
                        // records outside a data folder may be a sample: their personal data
                        // is reported, as a warning (the file's role is read from its shape, a
                        // guess); a JSON file that is not records (a config) keeps only its
                        // secrets
                        let head = match doc_text(&e.path) {
                            Some(t) => t.as_bytes()[..t.len().min(RECORD_HEAD)].to_vec(),
                            None => files.read(&e.path, RECORD_HEAD as u64).unwrap_or_default(),
                        };
                        if !looks_like_records(&e.path, &head) {
                            hits.retain(|h| h.kind.is_secret());
                        }
                    }
                    let scan = (!hits.is_empty()).then(|| FileScan {
                        path: e.path.clone(),
                        place,
                        hits,
                    });
                    let sniffed = s
                        .sniffed
                        .filter(|_| crate::inspect::format_of(&e.path).is_none());
                    (scan, problem, sniffed)
                }
                // the document loader already reports documents it cannot read; any other
                // file that cannot be read is said, since its data went unscanned
                Err(err) if doc_text(&e.path).is_none() && place != Place::Document => (
                    None,
                    Some(Problem {
                        path: Some(e.path.clone()),
                        region: None,
                        detail: format!(
                            "`{}` cannot be read ({err}): it was not scanned for personal data and secrets",
                            e.path
                        ),
                    }),
                    None,
                ),
                Err(_) => (None, None, None),
            }
        })
        .collect();
    let mut report = ScanReport::default();
    for ((scan, problem, sniffed), path) in results.into_iter().zip(paths) {
        report.files.extend(scan);
        report.problems.extend(problem);
        if let Some(f) = sniffed {
            report.sniffed.push((path, f));
        }
    }
    report.sniffed.sort_by(|a, b| a.0.cmp(&b.0));
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.problems.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_text_keeps_every_offset() {
        let mail = ["wang.fang", "corp-mail.cn"].join("@");
        let text = format!("Contact: {mail} or 王芳\n");
        let m = masked_text(&text).unwrap();
        assert_eq!(m.len(), text.len());
        assert!(!m.contains(&mail), "{m}");
        assert!(m.starts_with("Contact: w********@"), "{m}");
        assert!(masked_text("nothing to hide here\n").is_none());
    }

    #[test]
    fn every_secret_pattern_needs_a_hint() {
        // each pattern, with its hint literals taken out, can no longer match: the gate in
        // `detect` never hides a secret
        let samples = [
            "-----BEGIN RSA PRIVATE KEY-----",
            "https://user:pa55word@db.example.org/x",
            "AWS_SECRET_ACCESS_KEY = wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X",
            "SecretAccessKey: wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X",
        ];
        for sample in samples {
            assert!(SECRETS_ONLY.is_match(sample.as_bytes()), "{sample}");
            assert!(hints(sample.as_bytes(), None).next().is_some(), "{sample}");
        }
        for p in secrets::FORMATS.iter().map(|f| f.prefix) {
            let token = format!("{p}Q8ZrT2vLw9XkP3mN7bJd");
            assert!(
                SECRETS_ONLY.is_match(token.as_bytes())
                    && hints(token.as_bytes(), None).count() == 1,
                "{token}"
            );
        }
        for n in secrets::KEYED.iter().flat_map(|k| k.names.iter()) {
            let keyed = format!("{n}=\"Q8ZrT2vLw9XkP3mN7bJd4HsF6gYc1RtE0u\"");
            assert!(
                SECRETS_ONLY.is_match(keyed.as_bytes())
                    && hints(keyed.as_bytes(), None).count() >= 1,
                "{keyed}"
            );
        }
        // without hints, no pattern matches
        let plain =
            "the user:password@host note and a key wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X";
        assert!(
            hints(plain.as_bytes(), None).next().is_none()
                && !SECRETS_ONLY.is_match(plain.as_bytes())
        );
        assert!(detect(plain.as_bytes(), Wanted::SECRETS).is_empty());
    }

    #[test]
    fn searching_from_hints_finds_what_the_patterns_find() {
        // the patterns run from each hint on (at most HINT_REACH bytes before it): the same
        // matches as running them over the whole text, whatever glues the pieces together
        let pieces = [
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN nothing",
            "abcdefghijklmnop://user:pa55word@db.corp.io/x",
            "a+b.c-d://u:p@h",
            "s3://bucket/key",
            "https://user:pa55word@db.corp.io/x",
            "AWS_SECRET_ACCESS_KEY = wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X",
            "aws_secret_key:wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X",
            "SecretAccessKey: wJalrXUtnFEMIK7MDENGbPxRfiCYzq8ZrT2vLw9X",
            "my secret",
            "SeCrEt",
            "sECRET_",
            "hf_Q8ZrT2vLw9XkP3mN7bJd",
            "ghp_Q8ZrT2vLw9XkP3mN7bJd",
            "api_org_Q8ZrT2vLw9XkP3mN7bJd",
            "sk_live_Q8ZrT2vLw9XkP3mN7bJd",
            "xai-Q8ZrT2vLw9XkP3mN7bJd",
            "gsk_Q8ZrT2vLw9XkP3mN7bJd",
            "r8_Q8ZrT2vLw9XkP3mN7bJd",
            "WANDB_API_KEY=\"0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c5d6e7f80\"",
            "wandb.login(key='0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c5d6e7f80')",
            "AZURE_OPENAI_KEY: 0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c",
            "xoxb-Q8ZrT2vLw9XkP3mN7bJd",
            "sk-",
            "AKIAQ8ZRT2VLW9XKP3MN",
            "ASIAIzaSyQ8ZrT2vLw9XkP3mN7bJd",
            "word",
            "81.2.69.160",
        ];
        let glue = ["", " ", "\n", ":", "/", "-", "_", "@", "\""];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..1 + next(12) {
                text.push_str(pieces[next(pieces.len())]);
                text.push_str(glue[next(glue.len())]);
            }
            let want: Vec<(usize, usize)> = SECRETS_ONLY
                .find_iter(text.as_bytes())
                .map(|m| (m.start(), m.end()))
                .collect();
            let got: Vec<(usize, usize)> = secret_candidates(text.as_bytes(), None)
                .into_iter()
                .map(|c| c.0)
                .collect();
            assert_eq!(got, want, "{text:?}");
            // with the words a pass over the text found instead of the expression's
            let pass = find::pass(text.as_bytes());
            let got: Vec<(usize, usize)> =
                secret_candidates(text.as_bytes(), Some(&pass.secret_words))
                    .into_iter()
                    .map(|c| c.0)
                    .collect();
            assert_eq!(got, want, "{text:?} with a pass's words");
        }
    }

    #[test]
    fn windows_keep_lines_and_columns() {
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(&format!("row {i} value\n"));
        }
        text.push_str("  ünï 81.2.69.160\n");
        let hits = scan_bytes("x.txt", text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!((hits[0].region.line, hits[0].region.column), (40_001, 7));
        assert_eq!(hits[0].region.end_column, 18);
    }

    #[test]
    fn long_lines_overlap() {
        // a 3 MiB line with a token across the first cut
        let mut text = "a ".repeat(MAX_WINDOW / 2 - OVERLAP / 2 - 10);
        text.push_str(&["hf", "q8ZrT2vLw9XkP3mN7bJd4HsF6gYc1RtE0u "].join("_"));
        text.push_str(&"b ".repeat(MAX_WINDOW));
        text.push_str("81.2.69.160");
        let hits = scan_bytes("x.txt", text.as_bytes());
        let kinds: Vec<Kind> = hits.iter().map(|h| h.kind).collect();
        assert_eq!(kinds, vec![Kind::HuggingFace, Kind::IpAddress]);
        let ip = text.find("81.2").unwrap();
        assert_eq!(hits[1].region.column, ip + 1);
        assert_eq!(hits[1].start, ip);
    }

    #[test]
    fn binary_is_skipped() {
        let mut b = ["hf", "q8ZrT2vLw9XkP3mN7bJd4HsF6gYc1RtE0u"]
            .join("_")
            .into_bytes();
        b.push(0);
        assert!(scan_bytes("x.bin", &b).is_empty());
    }
}
