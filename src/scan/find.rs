//! Finds personal-data candidates by hand instead of with one large regular expression.
//!
//! The text is read 64 bytes at a time: a few byte classes (digits, capitals, hex digits, dots,
//! colons, ...) become one bit per byte, and shifts and ANDs of those bits mark where a
//! candidate can start. Data samples are full of numbers, but few of them have a candidate's
//! shape (nine digits, spaces or dashes in a row; three dotted groups; four hex digits and a
//! colon; two capitals and two digits; a `+` and a digit; an `@`), so the byte-by-byte work is
//! done only there. Each candidate gets the extent its shape below gives it (the shapes the
//! scanner's patterns used to describe), and the validators in `pii` decide whether it counts.
//!
//! | kind | shape |
//! |---|---|
//! | e-mail | `[A-Za-z0-9._%+-]+ @ label(.label)* . [A-Za-z]{2,24}` |
//! | phone | `+ [1-9] [0-9 -.()]{6,22} [0-9]` |
//! | IBAN | `[A-Z]{2} [0-9]{2} ( ?[A-Z0-9]){11,34}` |
//! | IPv4 | four groups of one to three digits, joined by dots |
//! | IPv6 | a group of four hex digits starting with 2 or 3, then two to seven `:group`s |
//! | number | `[0-9] [0-9 -]{7,} [0-9Xx]` |

use super::{pii, Found, Kind};

const LOCAL: u8 = 2;
const LABEL: u8 = 4;
const RUN: u8 = 8;
const PHONE: u8 = 16;
const HEX: u8 = 32;
const IBAN: u8 = 64;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut v = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-') {
            v |= LOCAL;
        }
        if c.is_ascii_alphanumeric() || c == b'-' {
            v |= LABEL;
        }
        if c.is_ascii_digit() || c == b' ' || c == b'-' {
            v |= RUN;
        }
        if c.is_ascii_digit() || matches!(c, b' ' | b'-' | b'.' | b'(' | b')') {
            v |= PHONE;
        }
        if c.is_ascii_hexdigit() {
            v |= HEX;
        }
        if c.is_ascii_digit() || c.is_ascii_uppercase() {
            v |= IBAN;
        }
        t[i] = v;
        i += 1;
    }
    t
}

static CLASS: [u8; 256] = classes();

fn is(text: &[u8], i: usize, class: u8) -> bool {
    text.get(i).is_some_and(|b| CLASS[*b as usize] & class != 0)
}

/// One bit per byte of a 64-byte block, for each class the candidates' shapes need.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Masks {
    digit: u64,
    upper: u64,
    hex: u64,
    /// digits, spaces and dashes
    run: u64,
    dot: u64,
    colon: u64,
    at: u64,
    plus: u64,
    /// `c` and `r` in either case: the middle of `secret`, a hint for the secret patterns
    c: u64,
    r: u64,
}

/// Fills `out` with the masks of the 64-byte blocks of `bytes` (as many as `out` holds).
type FillFn = fn(&[u8], &mut [Masks]);

/// Fills `out` with the masks of the blocks from block `first` on (bytes past the end of `text`
/// belong to no class).
fn masks_from(text: &[u8], first: usize, out: &mut [Masks], fill: FillFn) {
    let start = (first * 64).min(text.len());
    let full = ((text.len() - start) / 64).min(out.len());
    fill(&text[start..start + full * 64], &mut out[..full]);
    if full < out.len() {
        let rest = &text[start + full * 64..];
        let mut block = [0u8; 64];
        block[..rest.len()].copy_from_slice(rest);
        fill(&block, &mut out[full..=full]);
        out[full + 1..].fill(Masks::default());
    }
}

/// The fastest way this processor has to compute masks: AVX2 (32 bytes an instruction) where
/// it has it, else byte by byte.
fn fill_fn() -> FillFn {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has just been found to support AVX2
        return |bytes, out| unsafe { avx2_fill(bytes, out) };
    }
    scalar_fill
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn avx2_fill(bytes: &[u8], out: &mut [Masks]) {
    for (block, m) in bytes.chunks_exact(64).zip(out) {
        *m = avx2_masks(block.try_into().expect("64 bytes"));
    }
}

fn scalar_fill(bytes: &[u8], out: &mut [Masks]) {
    for (block, m) in bytes.chunks_exact(64).zip(out) {
        *m = scalar_masks(block.try_into().expect("64 bytes"));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn avx2_masks(block: &[u8; 64]) -> Masks {
    use std::arch::x86_64::*;
    let mut m = Masks::default();
    for (k, chunk) in block.chunks_exact(32).enumerate() {
        // SAFETY: `chunk` is 32 readable bytes, and the load has no alignment requirement
        let b = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        // signed comparisons (bytes from 0x80 up are negative, below every ASCII range);
        // AVX2 has only "greater than"
        let within = |v: __m256i, lo: u8, hi: u8| {
            _mm256_and_si256(
                _mm256_cmpgt_epi8(v, _mm256_set1_epi8(lo as i8 - 1)),
                _mm256_cmpgt_epi8(_mm256_set1_epi8(hi as i8 + 1), v),
            )
        };
        let eq = |c: u8| _mm256_cmpeq_epi8(b, _mm256_set1_epi8(c as i8));
        let bits = |v: __m256i| (_mm256_movemask_epi8(v) as u32 as u64) << (32 * k);
        let digit = within(b, b'0', b'9');
        let lower = _mm256_or_si256(b, _mm256_set1_epi8(0x20));
        m.digit |= bits(digit);
        m.upper |= bits(within(b, b'A', b'Z'));
        m.hex |= bits(_mm256_or_si256(digit, within(lower, b'a', b'f')));
        m.run |= bits(_mm256_or_si256(digit, _mm256_or_si256(eq(b' '), eq(b'-'))));
        m.dot |= bits(eq(b'.'));
        m.colon |= bits(eq(b':'));
        m.at |= bits(eq(b'@'));
        m.plus |= bits(eq(b'+'));
        m.c |= bits(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8(b'c' as i8)));
        m.r |= bits(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8(b'r' as i8)));
    }
    m
}

fn scalar_masks(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (i, &c) in block.iter().enumerate() {
        let bit = |yes: bool| (yes as u64) << i;
        m.digit |= bit(c.is_ascii_digit());
        m.upper |= bit(c.is_ascii_uppercase());
        m.hex |= bit(c.is_ascii_hexdigit());
        m.run |= bit(CLASS[c as usize] & RUN != 0);
        m.dot |= bit(c == b'.');
        m.colon |= bit(c == b':');
        m.at |= bit(c == b'@');
        m.plus |= bit(c == b'+');
        m.c |= bit(c | 0x20 == b'c');
        m.r |= bit(c | 0x20 == b'r');
    }
    m
}

/// Where candidates of each shape can start in the block `cur` (bit i: byte i), looking ahead
/// into the block `next`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Starts {
    email: u64,
    phone: u64,
    number: u64,
    /// the last digit of an IPv4 address's first group
    ipv4: u64,
    ipv6: u64,
    iban: u64,
    /// the `c` of what may be `secret`
    secret: u64,
}

fn starts(cur: &Masks, next: &Masks) -> Starts {
    let wide = |f: fn(&Masks) -> u64| f(cur) as u128 | (f(next) as u128) << 64;
    // bit i of `ahead(m, k)`: bit i + k of m
    let ahead = |m: u128, k: u32| (m >> k) as u64;
    let digit = wide(|m| m.digit);
    let upper = wide(|m| m.upper);
    let hex = wide(|m| m.hex);
    let colon = wide(|m| m.colon);
    let run = wide(|m| m.run);
    let run2 = run & run >> 1;
    let run4 = run2 & run2 >> 2;
    let run8 = run4 & run4 >> 4;
    // a digit, a dot and a digit; three of them two to four bytes apart
    let dotted = digit & (wide(|m| m.dot) >> 1) & (digit >> 2);
    let two = dotted & (dotted >> 2 | dotted >> 3 | dotted >> 4);
    let three = two & (two >> 2 | two >> 3 | two >> 4);
    let second_colon = (5..=9).fold(0, |acc, k| acc | ahead(colon, k));
    Starts {
        email: cur.at,
        phone: cur.plus & ahead(digit, 1),
        number: cur.digit & run8 as u64,
        ipv4: three as u64,
        ipv6: cur.digit
            & ahead(hex, 1)
            & ahead(hex, 2)
            & ahead(hex, 3)
            & ahead(colon, 4)
            & second_colon,
        iban: cur.upper & ahead(upper, 1) & ahead(digit, 2) & ahead(digit, 3),
        secret: cur.c & ahead(wide(|m| m.r), 1),
    }
}

fn span(text: &[u8], mut i: usize, class: u8) -> usize {
    while is(text, i, class) {
        i += 1;
    }
    i
}

/// What one pass over a text found: the validated personal-data items, each with where its
/// candidate starts, and where `secret` is written (in any case), a hint for the secret
/// patterns.
#[derive(Debug, Default)]
pub struct Pass {
    found: Vec<(usize, Found)>,
    pub secret_words: Vec<(usize, usize)>,
}

/// Blocks whose masks are computed at a time (and one more, to look ahead into).
const BATCH: usize = 32;

pub fn pass(text: &[u8]) -> Pass {
    pass_with(text, fill_fn())
}

fn pass_with(text: &[u8], fill: FillFn) -> Pass {
    let mut out = Pass::default();
    let found = &mut out.found;
    // a number candidate starts at the first digit of a run of digits, spaces and dashes
    let mut run_until = 0;
    let mut masks = [Masks::default(); BATCH + 1];
    let blocks = text.len().div_ceil(64);
    for first in (0..blocks).step_by(BATCH) {
        masks_from(text, first, &mut masks, fill);
        for (j, pair) in masks.windows(2).enumerate().take(blocks - first) {
            let base = (first + j) * 64;
            let st = starts(&pair[0], &pair[1]);
            let mut any = st.email | st.phone | st.number | st.ipv4 | st.ipv6 | st.iban | st.secret;
            while any != 0 {
                let bit = any.trailing_zeros();
                any &= any - 1;
                let has = |m: u64| m >> bit & 1 == 1;
                let p = base + bit as usize;
                if has(st.secret)
                    && p >= 2
                    && text
                        .get(p - 2..p + 4)
                        .is_some_and(|w| w.eq_ignore_ascii_case(b"secret"))
                {
                    out.secret_words.push((p - 2, p + 4));
                }
                if has(st.email) {
                    found.extend(email_at(text, p).map(|f| (f.start, f)));
                }
                if has(st.phone) {
                    found.extend(phone_at(text, p).map(|f| (p, f)));
                }
                if has(st.number) && p >= run_until {
                    run_until = span(text, p, RUN);
                    let mut numbers = Vec::new();
                    number_at(text, p, run_until, &mut numbers);
                    found.extend(numbers.into_iter().map(|f| (p, f)));
                }
                if has(st.ipv4) {
                    // the address starts at the first group's first digit, at most three back
                    let mut s = p;
                    while s > 0 && text[s - 1].is_ascii_digit() && p - s < 2 {
                        s -= 1;
                    }
                    if s == 0 || !text[s - 1].is_ascii_digit() {
                        found.extend(ipv4_at(text, s).map(|f| (s, f)));
                    }
                }
                if has(st.ipv6) {
                    found.extend(ipv6_at(text, p).map(|f| (p, f)));
                }
                if has(st.iban) {
                    found.extend(iban_at(text, p).map(|f| (p, f)));
                }
            }
        }
    }
    out
}

/// The validated personal-data items in `text`, in order and none overlapping another.
#[cfg(test)]
pub fn personal(text: &[u8], secrets: &[(usize, usize)]) -> Vec<Found> {
    resolve(text, pass(text), secrets)
}

/// The personal-data items of a pass, in order and none overlapping another. Where candidates
/// overlap, the one that starts first wins, as when one alternation of patterns found them
/// all: a run of numbers starts at its first digit, whichever of its numbers is valid; at the
/// same start a secret candidate (`secrets`: their extents, in order) wins over personal data,
/// and an address over a number.
pub fn resolve(text: &[u8], pass: Pass, secrets: &[(usize, usize)]) -> Vec<Found> {
    let mut found = pass.found;
    found.sort_by_key(|(at, f)| (*at, f.kind != Kind::Email, f.start));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    // what the winners so far hold; a secret candidate holds its extent unless it starts
    // inside a winner
    let mut held_to = 0;
    let mut secrets = secrets.iter().peekable();
    'next: for (at, mut f) in found {
        while let Some(s) = secrets.next_if(|s| s.0 <= at) {
            if s.0 >= held_to {
                held_to = s.1;
            }
        }
        while f.start < held_to {
            // an address whose first characters something else holds starts after them
            if f.kind != Kind::Email || held_to >= f.end {
                continue 'next;
            }
            match pii::email(text, held_to, f.end) {
                Some(g) if g.start >= held_to => f = g,
                _ => continue 'next,
            }
        }
        held_to = f.end;
        kept.push(f);
    }
    kept
}

fn digits_end(text: &[u8], mut i: usize) -> usize {
    while text.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

fn email_at(text: &[u8], at: usize) -> Option<Found> {
    let mut s = at;
    while s > 0 && CLASS[text[s - 1] as usize] & LOCAL != 0 {
        s -= 1;
    }
    if s == at {
        return None;
    }
    // labels after the `@`: the last one (after the first) that starts with two letters holds
    // the top-level domain, which is at most 24 letters
    let mut p = span(text, at + 1, LABEL);
    if p == at + 1 {
        return None;
    }
    let mut end = None;
    while text.get(p) == Some(&b'.') && is(text, p + 1, LABEL) {
        let label = p + 1;
        p = span(text, label, LABEL);
        let letters = text[label..p]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if letters >= 2 {
            end = Some(label + letters.min(24));
        }
    }
    pii::email(text, s, end?)
}

fn phone_at(text: &[u8], plus: usize) -> Option<Found> {
    if !text
        .get(plus + 1)
        .is_some_and(|b| (b'1'..=b'9').contains(b))
    {
        return None;
    }
    let from = plus + 2;
    let mut k = from;
    while k < from + 23 && is(text, k, PHONE) {
        k += 1;
    }
    // the last digit with at least six characters between it and the first digit
    let last = (from + 6..k).rev().find(|d| text[*d].is_ascii_digit())?;
    pii::phone_plus(text, plus, last + 1)
}

fn iban_at(text: &[u8], s: usize) -> Option<Found> {
    let mut p = s + 4;
    let mut groups = 0;
    while groups < 34 {
        if is(text, p, IBAN) {
            p += 1;
        } else if text.get(p) == Some(&b' ') && is(text, p + 1, IBAN) {
            p += 2;
        } else {
            break;
        }
        groups += 1;
    }
    if groups < 11 {
        return None;
    }
    pii::iban(text, s, p)
}

fn ipv4_at(text: &[u8], s: usize) -> Option<Found> {
    let mut p = s;
    for group in 0..4 {
        if group > 0 {
            if text.get(p) != Some(&b'.') {
                return None;
            }
            p += 1;
        }
        let e = digits_end(text, p);
        if e == p || (group < 3 && e - p > 3) {
            return None;
        }
        p = e.min(p + 3);
    }
    pii::ipv4(text, s, p)
}

fn ipv6_at(text: &[u8], s: usize) -> Option<Found> {
    // the validator accepts only global unicast addresses (2000::/3): four hex digits first
    if !(s + 1..s + 4).all(|i| is(text, i, HEX)) || text.get(s + 4) != Some(&b':') {
        return None;
    }
    let mut p = s + 4;
    let mut groups = 0;
    while groups < 7 && text.get(p) == Some(&b':') {
        p += 1;
        let mut n = 0;
        while n < 4 && is(text, p, HEX) {
            p += 1;
            n += 1;
        }
        groups += 1;
    }
    if groups < 2 {
        return None;
    }
    pii::ipv6(text, s, p)
}

/// `s` is the first digit of a run of digits, spaces and dashes ending at `run_end`.
fn number_at(text: &[u8], s: usize, run_end: usize, found: &mut Vec<Found>) {
    // the run ends with a digit, or with the check character X of an identity number
    let end = if matches!(text.get(run_end), Some(b'X' | b'x')) && run_end >= s + 8 {
        run_end + 1
    } else {
        match (s + 8..run_end).rev().find(|d| text[*d].is_ascii_digit()) {
            Some(d) => d + 1,
            None => return,
        }
    };
    pii::number_run(text, s, end, found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Wanted;

    #[test]
    fn byte_classes_are_told_exactly() {
        // every byte value at every place of a block, among ASCII letters and among bytes of
        // multi-byte characters
        for b in 0..=255u8 {
            for filler in [b'a', 0xC3, b'9', b' '] {
                let mut block = [filler; 64];
                for pos in [0, 7, 15, 16, 40, 63] {
                    block[pos] = b;
                }
                let want = scalar_masks(&block);
                let mut got = [Masks::default()];
                fill_fn()(&block, &mut got);
                assert_eq!(got[0], want, "{b:#x} among {filler:#x}");
            }
        }
    }

    #[test]
    fn candidates_start_across_blocks() {
        // each shape placed so that it crosses from one block into the next
        for (text, at) in [
            ("81.2.69.160", 0),
            ("2a00:1450:4001:82a::200e", 0),
            ("4556 7375 8689 9855", 0),
            ("+44 20 7946 0321", 0),
        ] {
            // across blocks, and across batches of blocks (BATCH * 64 bytes)
            for shift in (50..64).chain(BATCH * 64 - 14..BATCH * 64 + 2) {
                let padded = format!("{}{text} ", " ".repeat(shift));
                let found = personal(padded.as_bytes(), &[]);
                assert_eq!(found.len(), 1, "{text} at {shift}: {found:?}");
                assert_eq!(
                    (found[0].start, found[0].end),
                    (shift + at, shift + text.len())
                );
            }
        }
    }

    /// The one alternation of patterns the scanner used before this module, and how its
    /// matches went to the validators: the reference the hand-written finder must agree with.
    const REFERENCE: &[&str] = &[
        r"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----",
        r#"[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:@/"'<>`]+:[^\s@/"'<>`]+@[A-Za-z0-9.\-]+[^\s"'<>`)\]]*"#,
        r"(?:sk-|hf_|gh[pousr]_|github_pat_|glpat-|AIza|xox[abprs]-|AKIA|ASIA)[A-Za-z0-9_\-]{8,}",
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}",
        r"\+[1-9][0-9 \-.()]{6,22}[0-9]",
        r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,34}",
        r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}",
        r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
        r"[0-9][0-9 \-]{7,}[0-9Xx]",
    ];

    fn reference(text: &[u8]) -> Vec<(usize, usize, Kind)> {
        static RE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
            regex::bytes::Regex::new(&format!("(?-u:{})", REFERENCE.join("|"))).unwrap()
        });
        let mut out = Vec::new();
        for m in RE.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let v = &text[s..e];
            let secret = v.starts_with(b"-----")
                || v.windows(3).any(|w| w == b"://")
                || [
                    "sk-",
                    "hf_",
                    "gh",
                    "github_pat_",
                    "glpat-",
                    "AIza",
                    "xox",
                    "AKIA",
                    "ASIA",
                ]
                .iter()
                .any(|p| v.starts_with(p.as_bytes()));
            let found = if secret {
                None
            } else if v.contains(&b'@') {
                pii::email(text, s, e)
            } else if v[0] == b'+' {
                pii::phone_plus(text, s, e)
            } else if v.len() >= 4
                && v[0].is_ascii_uppercase()
                && v[1].is_ascii_uppercase()
                && v[2].is_ascii_digit()
            {
                pii::iban(text, s, e)
            } else if v.contains(&b':') {
                pii::ipv6(text, s, e)
            } else if v.contains(&b'.') {
                pii::ipv4(text, s, e)
            } else {
                let mut many = Vec::new();
                pii::number_run(text, s, e, &mut many);
                out.extend(many.into_iter().map(|f| (f.start, f.end, f.kind)));
                None
            };
            out.extend(found.map(|f| (f.start, f.end, f.kind)));
        }
        out
    }

    // valid numbers are completed with the validators themselves: what is tested here is
    // where candidates are found, not the check digits (tests/scan_pii.rs computes those)
    fn id_check(first17: &str) -> char {
        "0123456789X"
            .chars()
            .find(|c| pii::chinese_id(&format!("{first17}{c}")))
            .unwrap_or('0')
    }

    fn luhn_complete(partial: &str) -> String {
        (0..10)
            .map(|d| format!("{partial}{d}"))
            .find(|c| pii::luhn(c))
            .expect("one digit completes it")
    }

    fn iban(country: &str, bban: &str) -> String {
        (2..99)
            .map(|check| format!("{country}{check:02}{bban}"))
            .find(|v| pii::iban(v.as_bytes(), 0, v.len()).is_some())
            .expect("one pair of check digits is right")
    }

    /// xorshift64: the same texts on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            (x % n as u64) as usize
        }
        fn digits(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| (b'0' + self.below(10) as u8) as char)
                .collect()
        }
    }

    /// Each with the extents of its valid-looking pieces set apart by spaces, line breaks,
    /// commas or quotes on both sides.
    fn texts(count: usize) -> Vec<(String, Vec<(usize, usize)>)> {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let mut out = Vec::new();
        for _ in 0..count {
            let mut t = String::new();
            let mut apart = Vec::new();
            let mut clean_before = true;
            for _ in 0..1 + r.below(24) {
                let kind = r.below(22);
                let piece = match kind {
                    0 => ["wang.fang", "corp-mail.cn"].join("@"),
                    1 => ["j.doe+ml", "uni-x.de.", "x"].join("@").replace("@x", ""),
                    2 => ["+44", "20", "7946", "0321"].join(" "),
                    3 => format!("+86 1{}{}", 3 + r.below(7), r.digits(9)),
                    4 => format!("1{}{}", 3 + r.below(7), r.digits(9)),
                    5 => luhn_complete(&format!("4{}", r.digits(14))),
                    6 => {
                        let c = luhn_complete(&format!("5{}{}", 1 + r.below(5), r.digits(13)));
                        format!("{} {} {} {}", &c[..4], &c[4..8], &c[8..12], &c[12..])
                    }
                    7 => {
                        let first = format!(
                            "110105{}0{}1{}{}",
                            1950 + r.below(60),
                            1 + r.below(9),
                            r.below(3),
                            r.digits(3)
                        );
                        format!("{first}{}", id_check(&first))
                    }
                    8 => iban("DE", &r.digits(18)),
                    9 => {
                        let i = iban("GB", &format!("WEST{}", r.digits(14)));
                        i.as_bytes()
                            .chunks(4)
                            .map(|c| std::str::from_utf8(c).unwrap())
                            .collect::<Vec<_>>()
                            .join(" ")
                    }
                    10 => format!(
                        "{}-{}-{}",
                        100 + r.below(500),
                        10 + r.below(89),
                        1000 + r.below(8999)
                    ),
                    11 => format!(
                        "{}.{}.{}.{}",
                        11 + r.below(150),
                        r.below(256),
                        r.below(256),
                        r.below(256)
                    ),
                    12 => format!(
                        "2a00:{:x}:{:x}::{:x}",
                        r.below(65536),
                        r.below(65536),
                        r.below(65536)
                    ),
                    13 => {
                        let n = 1 + r.below(20);
                        r.digits(n)
                    }
                    14 => ["A", "DE", "XY", "GB", "v", "version ", "build", "x", "X"][r.below(9)]
                        .into(),
                    15 => format!("0.{}", r.digits(4)),
                    16 => format!("{}.{}.{}", r.below(10), r.below(20), r.below(30)),
                    17 => format!(
                        "20{}-{:02}-{:02} {:02}:{:02}:{:02}",
                        r.below(30),
                        1 + r.below(12),
                        1 + r.below(28),
                        r.below(24),
                        r.below(60),
                        r.below(60)
                    ),
                    18 => format!("{:x}{:x}", r.below(1 << 30), r.below(1 << 30)),
                    19 => "https://user:pa55w0rd@db.corp.io/x".into(),
                    20 => format!("hf_{}", r.digits(20)),
                    _ => "é".into(),
                };
                let start = t.len();
                t.push_str(&piece);
                let seps = [
                    " ", "", "\n", ", ", "-", ".", ":", "@", "+", "(", ")", "\"", "/", "  ", " - ",
                ];
                let sep = seps[r.below(seps.len())];
                let clean_after = [" ", "\n", ", ", "\"", "  "].contains(&sep);
                if kind <= 12 && clean_before && clean_after {
                    apart.push((start, t.len()));
                }
                clean_before = clean_after;
                t.push_str(sep);
            }
            out.push((t, apart));
        }
        out
    }

    #[test]
    fn finds_what_the_reference_patterns_found() {
        let (mut extra, mut total, mut exact) = (0, 0, 0);
        for (t, apart) in texts(5_000) {
            let want = reference(t.as_bytes());
            let got: Vec<(usize, usize, Kind)> = crate::scan::detect(t.as_bytes(), Wanted::ALL)
                .iter()
                .filter(|f| !f.kind.is_secret())
                .map(|f| (f.start, f.end, f.kind))
                .collect();
            // where candidates are glued together, the reference lost characters to candidates
            // its validators rejected, and the finder does not, so there an item may differ
            // in its extent or kind; an item set apart is found the same
            for w in &want {
                if got.contains(w) {
                    exact += 1;
                } else {
                    assert!(
                        !apart.contains(&(w.0, w.1)),
                        "missed {w:?} in {t:?}: {got:?}"
                    );
                }
            }
            // the byte-by-byte masks (for processors without AVX2) find the same
            let spans = |p: Pass| -> Vec<(usize, usize)> {
                p.found.iter().map(|(_, f)| (f.start, f.end)).collect()
            };
            assert_eq!(
                spans(pass_with(t.as_bytes(), scalar_fill)),
                spans(pass(t.as_bytes()))
            );
            total += want.len();
            extra += got.iter().filter(|g| !want.contains(g)).count();
        }
        eprintln!("reference {total}, the same {exact}, more {extra}");
        assert!(
            total > 20_000 && exact * 100 > total * 99,
            "{exact} of {total}"
        );
    }
}
