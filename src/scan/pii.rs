//! Personal data: each candidate the pattern finds is validated (checksums, ranges, context)
//! before it counts, so that numbers that merely look like personal data are not reported.

use super::{mask, Found, Kind};
use std::net::{Ipv4Addr, Ipv6Addr};

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn before(text: &[u8], at: usize) -> Option<u8> {
    at.checked_sub(1).map(|i| text[i])
}

fn str_of(text: &[u8], s: usize, e: usize) -> &str {
    std::str::from_utf8(&text[s..e]).unwrap_or("")
}

/// Domains reserved for documentation and tests (RFC 2606, RFC 6761).
fn reserved_domain(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    let labels: Vec<&str> = d.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    matches!(tld, "test" | "example" | "invalid" | "localhost" | "local")
        || labels.iter().rev().nth(1).is_some_and(|l| *l == "example")
        || d.ends_with("noreply.github.com")
}

pub fn email(text: &[u8], s: usize, e: usize) -> Option<Found> {
    let v = str_of(text, s, e);
    let (local, domain) = v.rsplit_once('@')?;
    if local.is_empty()
        || local.len() > 64
        || domain.len() > 253
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return None;
    }
    // the local part runs as far left as it can, so only a backslash escape (`\n` in JSON) can
    // glue a letter to it
    let (s, local) = if s >= 1 && text[s - 1] == b'\\' && local.len() > 1 {
        (s + 1, &local[1..])
    } else {
        (s, local)
    };
    // a domain glued to another `@` is the local part of the next address
    if e < text.len() && (is_word(text[e]) || text[e] == b'-' || text[e] == b'@') {
        return None;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if !tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.len() < 2 {
        return None;
    }
    // file names such as `image@2x.png` and package specs such as `pkg@1.2.3` are not addresses
    if matches!(
        tld.to_ascii_lowercase().as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "js" | "css" | "py" | "md" | "json"
    ) {
        return None;
    }
    if reserved_domain(domain)
        || matches!(local, "git" | "noreply" | "no-reply")
        || placeholder_address(local, domain)
    {
        return None;
    }
    Some(Found {
        kind: Kind::Email,
        start: s,
        end: e,
        masked: mask::email(&format!("{local}@{domain}")),
    })
}

/// A template's stand-in for an address: a part written as one letter repeated (`XXXX@XX.com`,
/// `xxx@example-corp.cn`), or a local part that names its own slot (`your.name@`,
/// `yourname@`, `your_email@`).
fn placeholder_address(local: &str, domain: &str) -> bool {
    let repeated = |part: &str| {
        let mut chars = part.chars().filter(|c| *c != '.');
        match chars.next() {
            Some(first) => {
                matches!(first.to_ascii_lowercase(), 'x' | '*' | '#')
                    && part.len() >= 2
                    && chars.all(|c| c.eq_ignore_ascii_case(&first))
            }
            None => false,
        }
    };
    let label = domain.split('.').next().unwrap_or("");
    let lower = local.to_ascii_lowercase();
    repeated(local)
        || repeated(label)
        || lower.starts_with("your")
        || matches!(
            lower.as_str(),
            "name" | "username" | "user.name" | "someone" | "email"
        )
        || is_role_mailbox(&lower)
}

/// Mailboxes of a function, not of a person (RFC 2142 and their common kin): `alerts@`,
/// `no-reply@`, `support@`. An address of a company's service names nobody.
fn is_role_mailbox(local: &str) -> bool {
    let base = local
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .replace(['-', '_', '.'], "");
    matches!(
        base.as_str(),
        "alerts"
            | "alert"
            | "noreply"
            | "donotreply"
            | "notifications"
            | "notification"
            | "info"
            | "support"
            | "help"
            | "admin"
            | "webmaster"
            | "postmaster"
            | "hostmaster"
            | "abuse"
            | "security"
            | "sales"
            | "marketing"
            | "billing"
            | "contact"
            | "newsletter"
            | "news"
            | "service"
            | "customerservice"
            | "team"
            | "hello"
            | "office"
            | "press"
            | "privacy"
            | "legal"
            | "jobs"
            | "careers"
    )
}

/// Calling codes in use (ITU-T E.164 assignments); three-digit codes by their first two digits.
fn plausible_country(digits: &str) -> Option<usize> {
    const TWO: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    const THREE: &[&str] = &[
        "21", "22", "23", "24", "25", "26", "29", "35", "37", "38", "42", "50", "59", "67", "68",
        "69", "85", "87", "88", "96", "97", "99",
    ];
    let b = digits.as_bytes();
    if b.first() == Some(&b'1') || b.first() == Some(&b'7') {
        return Some(1);
    }
    let two = digits.get(..2)?;
    if TWO.contains(&two) {
        Some(2)
    } else if THREE.contains(&two) {
        Some(3)
    } else {
        None
    }
}

/// `+<country><number>`, with single spaces, dashes, dots or brackets between groups.
pub fn phone_plus(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if before(text, s).is_some_and(|b| is_word(b) || b == b'+') {
        return None;
    }
    let mut end = e;
    // a trailing bracket or separator is not part of the number
    while end > s && !text[end - 1].is_ascii_digit() {
        end -= 1;
    }
    if end < text.len() && (text[end].is_ascii_alphanumeric() || text[end] == b'_') {
        return None;
    }
    if end + 1 < text.len() && text[end] == b'.' && text[end + 1].is_ascii_digit() {
        return None;
    }
    let v = str_of(text, s, end);
    if v.contains("  ") || v.contains("--") || v.contains("..") {
        return None;
    }
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    if !(8..=15).contains(&digits.len()) {
        return None;
    }
    let cc = plausible_country(&digits)?;
    let national = &digits[cc..];
    if national.len() < 6 || national.bytes().all(|b| b == national.as_bytes()[0]) {
        return None;
    }
    match &digits[..cc] {
        // North American numbering: NXX-NXX-XXXX, and 555-01XX is reserved for fiction
        "1" => {
            let n = national.as_bytes();
            if n.len() != 10 || n[0] < b'2' || n[3] < b'2' || &national[3..8] == "55501" {
                return None;
            }
        }
        "86" if national.starts_with('1')
            && (national.len() != 11 || !(b'3'..=b'9').contains(&national.as_bytes()[1])) =>
        {
            return None;
        }
        _ => {}
    }
    Some(Found {
        kind: Kind::Phone,
        start: s,
        end,
        masked: mask::phone(v),
    })
}

/// A run of digits, spaces and dashes: card numbers, Chinese identity and mobile numbers and
/// US social security numbers hide in such runs. Every group of neighbouring digit groups is
/// tried, so that a valid number next to another number is still found.
pub fn number_run(text: &[u8], s: usize, e: usize, out: &mut Vec<Found>) {
    // the shortest number looked for (a social security number) has nine digits
    if text[s..e].iter().filter(|b| b.is_ascii_digit()).count() < 9 {
        return;
    }
    // groups: (start, end) of digit runs; separators: the single byte between groups, or 0
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = s;
    while i < e {
        if text[i].is_ascii_digit() || ((text[i] == b'X' || text[i] == b'x') && i + 1 == e) {
            let g = i;
            while i < e
                && (text[i].is_ascii_digit()
                    || ((text[i] == b'X' || text[i] == b'x') && i + 1 == e))
            {
                i += 1;
            }
            groups.push((g, i));
        } else {
            i += 1;
        }
    }
    let mut gi = 0;
    while gi < groups.len() {
        let mut matched = false;
        // longest candidates first: a card number wins over the mobile number inside it
        for len in (1..=6.min(groups.len() - gi)).rev() {
            let cand = &groups[gi..gi + len];
            let cs = cand[0].0;
            let ce = cand[len - 1].1;
            // neighbours joined by exactly one separator, the same one throughout
            let seps: Vec<u8> = cand.windows(2).map(|w| text[w[0].1]).collect();
            if cand.windows(2).any(|w| w[1].0 != w[0].1 + 1)
                || seps.windows(2).any(|w| w[0] != w[1])
            {
                continue;
            }
            // the candidate's own boundaries: not inside a word or a decimal number
            let left_ok = match before(text, cs) {
                None => true,
                Some(b) => {
                    !(is_word(b)
                        || b == b'.'
                        || b == b'+'
                        || b == b'/'
                        || (b == b'-'
                            && cs == s
                            && before(text, cs.saturating_sub(1))
                                .is_some_and(|c| c.is_ascii_digit())))
                }
            };
            let right_ok = match text.get(ce) {
                None => true,
                Some(&b) => {
                    !(is_word(b)
                        || b == b'/'
                        || ((b == b'.' || b == b'-')
                            && text.get(ce + 1).is_some_and(u8::is_ascii_digit)))
                }
            };
            if !left_ok || !right_ok {
                continue;
            }
            let lens: Vec<usize> = cand.iter().map(|(a, b)| b - a).collect();
            let sep = seps.first().copied();
            let v = str_of(text, cs, ce);
            let compact: String = v.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if let Some(kind) = classify_number(&compact, &lens, sep) {
                let masked = match kind {
                    Kind::Phone => mask::phone(v),
                    _ => mask::digits(v, 4),
                };
                out.push(Found {
                    kind,
                    start: cs,
                    end: ce,
                    masked,
                });
                gi += len;
                matched = true;
                break;
            }
        }
        if !matched {
            gi += 1;
        }
    }
}

fn classify_number(compact: &str, lens: &[usize], sep: Option<u8>) -> Option<Kind> {
    let n = compact.len();
    if lens == [3, 2, 4] && sep == Some(b'-') && ssn(compact) {
        return Some(Kind::Ssn);
    }
    let all_digits = compact.bytes().all(|b| b.is_ascii_digit());
    if n == 18 && (lens == [18] || lens == [6, 8, 4]) && chinese_id(compact) {
        return Some(Kind::ChineseId);
    }
    if !all_digits {
        return None;
    }
    let card_shape = lens.len() == 1
        || lens == [4, 6, 5]
        || lens == [4, 6, 4]
        || (lens[..lens.len() - 1].iter().all(|l| *l == 4) && lens.len() >= 4);
    if (13..=19).contains(&n) && card_shape && payment_card(compact) {
        return Some(Kind::PaymentCard);
    }
    if n == 11 && (lens == [11] || lens == [3, 4, 4]) && chinese_mobile(compact) {
        return Some(Kind::Phone);
    }
    None
}

fn ssn(d: &str) -> bool {
    let area = &d[..3];
    let group = &d[3..5];
    let serial = &d[5..];
    if area == "000" || area == "666" || area.starts_with('9') || group == "00" || serial == "0000"
    {
        return false;
    }
    // numbers printed on sample cards and in advertisements, and the usual example
    !matches!(
        d,
        "078051120" | "219099999" | "457555462" | "123456789" | "111111111" | "222222222"
    )
}

fn chinese_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && !d[3..].bytes().all(|x| x == b'0')
}

/// GB 11643: province code, birth date and the ISO 7064 MOD 11-2 check character.
pub fn chinese_id(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const PROVINCES: &[&str] = &[
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82", "83",
    ];
    if !PROVINCES.contains(&&id[..2]) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| id[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(6..10), num(10..12), num(12..14));
    if !(1900..=2100).contains(&y) || !valid_date(y, m, d) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| (c - b'0') as u32 * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

pub fn luhn(d: &str) -> bool {
    let mut sum = 0;
    for (i, c) in d.bytes().rev().enumerate() {
        let mut v = (c - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Luhn, a known issuer range with a length it issues, and not a published test number.
pub fn payment_card(d: &str) -> bool {
    let n = d.len();
    let p = |k: usize| d[..k].parse::<u32>().unwrap_or(0);
    let issuer = match d.as_bytes()[0] {
        b'4' => matches!(n, 13 | 16 | 19),
        b'5' => (51..=55).contains(&p(2)) && n == 16,
        b'2' => (2221..=2720).contains(&p(4)) && n == 16,
        b'3' => {
            ((p(2) == 34 || p(2) == 37) && n == 15)
                || ((3528..=3589).contains(&p(4)) && (16..=19).contains(&n))
                || (((300..=305).contains(&p(3)) || p(2) == 36 || p(2) == 38 || p(2) == 39)
                    && (14..=19).contains(&n))
        }
        b'6' => {
            (p(4) == 6011 || (644..=649).contains(&p(3)) || p(2) == 65 || p(2) == 62)
                && (16..=19).contains(&n)
        }
        _ => false,
    };
    if !issuer || !luhn(d) {
        return false;
    }
    let distinct = {
        let mut seen = [false; 10];
        d.bytes().for_each(|b| seen[(b - b'0') as usize] = true);
        seen.iter().filter(|x| **x).count()
    };
    // payment processors' published test numbers
    const TEST: &[&str] = &[
        "4111111111111111",
        "4242424242424242",
        "4012888888881881",
        "4000056655665556",
        "5555555555554444",
        "5105105105105100",
        "5200828282828210",
        "2223003122003222",
        "378282246310005",
        "371449635398431",
        "6011111111111117",
        "6011000990139424",
        "3056930009020004",
        "36227206271667",
        "3566002020360505",
        "6200000000000005",
        "4222222222222",
    ];
    distinct > 3 && !TEST.contains(&d)
}

/// IBAN length by country (ISO 13616 registry).
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "CR" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "GI" | "IL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" => 28,
        "BR" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" => 31,
        _ => return None,
    })
}

pub fn iban(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if before(text, s).is_some_and(is_word) {
        return None;
    }
    let v = str_of(text, s, e);
    let want = iban_length(&v[..2])?;
    // take exactly the country's length, spaces allowed only between groups of four
    let mut count = 0;
    let mut end = s;
    for (i, c) in v.char_indices() {
        if c == ' ' {
            if count % 4 != 0 {
                return None;
            }
            continue;
        }
        count += 1;
        if count == want {
            end = s + i + 1;
            break;
        }
    }
    if count != want || text.get(end).is_some_and(|b| is_word(*b)) {
        return None;
    }
    let compact: String = str_of(text, s, end).chars().filter(|c| *c != ' ').collect();
    if !compact[2..4].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // mod 97 over the rearranged digits, letters as 10..35
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36)?;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    // the examples of the standard and of bank documentation
    const EXAMPLES: &[&str] = &[
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "GB29NWBK60161331926819",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "CH9300762011623852957",
    ];
    if rem != 1 || EXAMPLES.contains(&compact.as_str()) {
        return None;
    }
    Some(Found {
        kind: Kind::Iban,
        start: s,
        end,
        masked: mask::iban(str_of(text, s, end)),
    })
}

/// A dotted quad in a line of package or download tool output: a version that the line gives
/// twice (`pkg==8.9.2.26 ... (8.9.2.26)`), a line of pip's (`Requirement already satisfied`,
/// `site-packages`), or the server a download connects to (`Connecting to host|13.35.1.2|`).
/// None of these is a person's address.
fn tool_output(text: &[u8], s: usize, e: usize) -> bool {
    let line_start = text[..s]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
        .max(s.saturating_sub(600));
    let line_end = text[e..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(text.len(), |i| e + i)
        .min(e + 600);
    let line = String::from_utf8_lossy(&text[line_start..line_end]).to_ascii_lowercase();
    const TOOL_WORDS: &[&str] = &[
        "requirement already satisfied",
        "successfully installed",
        "site-packages",
        "dist-packages",
        "collecting ",
        "downloading ",
        "connecting to ",
        "resolving ",
    ];
    if TOOL_WORDS.iter().any(|w| line.contains(w)) {
        return true;
    }
    let value = &text[s..e];
    let earlier = &text[line_start..s];
    earlier
        .windows(value.len() + 1)
        .any(|w| w[1..] == *value && matches!(w[0], b'=' | b'-' | b'v' | b'V' | b'@' | b'~'))
}

/// Text right before a dotted quad that makes it a version number, not an address.
fn version_context(text: &[u8], s: usize) -> bool {
    if before(text, s).is_some_and(|b| b == b'v' || b == b'V' || b == b'=' || b == b'~') {
        return true;
    }
    let from = s.saturating_sub(24);
    let ctx = String::from_utf8_lossy(&text[from..s]).to_ascii_lowercase();
    [
        "version", "ver.", "release", "build", "==", ">=", "<=", "~=", "firmware", "driver",
    ]
    .iter()
    .any(|w| ctx.contains(w))
}

pub fn ipv4(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if before(text, s).is_some_and(|b| is_word(b) || b == b'.' || b == b'-') {
        return None;
    }
    if let Some(&b) = text.get(e) {
        if is_word(b) || (b == b'.' && text.get(e + 1).is_some_and(u8::is_ascii_alphanumeric)) {
            return None;
        }
    }
    let v = str_of(text, s, e);
    if v.split('.').any(|o| o.len() > 1 && o.starts_with('0')) {
        return None;
    }
    let ip: Ipv4Addr = v.parse().ok()?;
    let o = ip.octets();
    let special = ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_documentation()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_unspecified()
        || o[0] == 0
        || o[0] >= 240
        || o[0] == 255
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || (o[0] == 198 && (o[1] == 18 || o[1] == 19))
        || (o[0] == 192 && o[1] == 0 && o[2] == 0);
    // public resolvers are infrastructure, not people
    const RESOLVERS: &[[u8; 4]] = &[
        [8, 8, 8, 8],
        [8, 8, 4, 4],
        [1, 1, 1, 1],
        [1, 0, 0, 1],
        [9, 9, 9, 9],
        [114, 114, 114, 114],
        [223, 5, 5, 5],
        [208, 67, 222, 222],
    ];
    if special || RESOLVERS.contains(&o) || version_context(text, s) || tool_output(text, s, e) {
        return None;
    }
    Some(Found {
        kind: Kind::IpAddress,
        start: s,
        end: e,
        masked: mask::ip(v),
    })
}

pub fn ipv6(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if before(text, s).is_some_and(|b| b.is_ascii_alphanumeric() || b == b':' || b == b'_') {
        return None;
    }
    if text
        .get(e)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b':' || *b == b'_')
    {
        return None;
    }
    let v = str_of(text, s, e);
    let groups = v.split(':').filter(|g| !g.is_empty()).count();
    if groups < 3 {
        return None;
    }
    let ip: Ipv6Addr = v.parse().ok()?;
    let seg = ip.segments();
    // global unicast only (2000::/3), without the documentation prefix 2001:db8::/32
    if seg[0] & 0xe000 != 0x2000 || (seg[0] == 0x2001 && seg[1] == 0x0db8) {
        return None;
    }
    Some(Found {
        kind: Kind::IpAddress,
        start: s,
        end: e,
        masked: mask::ip(v),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert!(chinese_id("11010519491231002X"));
        assert!(!chinese_id("110105194912310021"));
        assert!(!chinese_id("11010519491331002X"));
        assert!(luhn("4111111111111111"));
        assert!(!payment_card("4111111111111111"));
        assert!(payment_card("4556737586899855"));
        assert!(!payment_card("4556737586899856"));
        assert!(ssn("536221234"));
        assert!(!ssn("666221234") && !ssn("912221234") && !ssn("078051120"));
    }

    fn one(f: fn(&[u8], usize, usize) -> Option<Found>, t: &str) -> Option<String> {
        f(t.as_bytes(), 0, t.len()).map(|x| x.masked)
    }

    #[test]
    fn addresses() {
        assert_eq!(one(ipv4, "81.2.69.160").as_deref(), Some("***.***.***.160"));
        assert_eq!(one(ipv4, "192.168.1.4"), None);
        assert_eq!(one(ipv4, "203.0.113.9"), None);
        assert_eq!(
            one(ipv6, "2a00:1450:4001:82a::200e").as_deref(),
            Some("****:…:200e")
        );
        assert_eq!(one(ipv6, "2001:db8::1"), None);
        assert_eq!(one(ipv6, "12:30:45"), None);
        assert_eq!(one(email, "jane@example.com"), None);
        assert!(one(email, "wang.fang@corp-mail.cn").is_some());
        // template stand-ins are not anyone's address
        for stand_in in [
            "XXXX@XX.com",
            "xxx@corp-mail.cn",
            "wang@xxxx.cn",
            "your.name@corp-mail.cn",
            "yourname@corp-mail.cn",
        ] {
            assert!(one(email, stand_in).is_none(), "{stand_in}");
        }
        assert!(one(email, "xia.xu@corp-mail.cn").is_some());
        assert!(one(phone_plus, "+44 20 7946 0321").is_some());
        assert!(one(phone_plus, "+1 415 555 0123").is_none());
    }

    /// The dotted quad in `line`, looked for the way the scanner does.
    fn quad_in(line: &str, quad: &str) -> Option<String> {
        let s = line.find(quad).unwrap();
        ipv4(line.as_bytes(), s, s + quad.len()).map(|f| f.masked)
    }

    #[test]
    fn versions_and_servers_in_tool_output_are_not_addresses() {
        let quad = "81.2.69.160";
        for line in [
            format!("Requirement already satisfied: nvidia-cudnn-cu12=={quad} in /usr/lib/python3/dist-packages (from torch) ({quad})"),
            format!("Collecting nvidia-cublas-cu12 ({quad})"),
            format!("pkg-a=={quad} and later, printed again: ({quad})"),
            format!("Connecting to huggingface.co (huggingface.co)|{quad}|:443... connected."),
            format!("Resolving cdn.example.org (cdn.example.org)... {quad}"),
        ] {
            // the last occurrence on the line is the one the old scanner reported
            let s = line.rfind(quad).unwrap();
            let f = ipv4(line.as_bytes(), s, s + quad.len());
            assert!(f.is_none(), "{line}");
        }
        // an address in ordinary text is still one
        assert!(quad_in(&format!("the user logged in from {quad} at noon"), quad).is_some());
        assert!(quad_in(&format!("客户端地址：{quad}"), quad).is_some());
    }
}
