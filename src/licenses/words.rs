//! How texts are turned into words for comparison. Shared with the build script, which turns
//! the reference texts into words once, at build time (`include!`d there: std only).

/// The SPDX licences whose texts are looked for: those model repositories use.
pub const REFERENCE_IDS: &[&str] = &[
    "Apache-2.0",
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-3-Clause-Clear",
    "ISC",
    "0BSD",
    "Unlicense",
    "Zlib",
    "BSL-1.0",
    "AML",
    "GPL-2.0-only",
    "GPL-3.0-only",
    "LGPL-2.1-only",
    "LGPL-3.0-only",
    "AGPL-3.0-only",
    "MPL-2.0",
    "EPL-2.0",
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-NC-ND-4.0",
    "ODC-By-1.0",
    "CDLA-Permissive-2.0",
    "WTFPL",
];

/// Creative Commons texts carry a preamble and a closing note around the legal code, which
/// copies vary in: only the legal code is compared.
const CC_START: &[&str] = &["by", "exercising", "the", "licensed", "rights"];
const CC_END: &[&str] = &[
    "creative", "commons", "is", "not", "a", "party", "to", "its",
];

fn find_seq(w: &[String], seq: &[&str]) -> Option<usize> {
    w.windows(seq.len())
        .position(|win| win.iter().zip(seq).all(|(a, b)| a == b))
}

/// The part of a text's words that is compared with a reference.
pub fn core(id: &str, w: &[String]) -> std::ops::Range<usize> {
    if !id.starts_with("CC-BY") {
        return 0..w.len();
    }
    let end = find_seq(w, CC_END).unwrap_or(w.len());
    let start = find_seq(&w[..end], CC_START).unwrap_or(0);
    start..end
}

/// Lines that hold a copyright statement, removed before comparing: they differ in every
/// copy of a licence.
fn is_copyright_line(line: &str) -> bool {
    let l = line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '#' | '*' | '/' | '-' | '>')
    });
    // most lines are ruled out by their first character, before lowering the case
    if !l.starts_with(['c', 'C', '(', '©', 'a', 'A']) {
        return false;
    }
    let l = l.to_lowercase();
    let rest = if let Some(r) = l.strip_prefix("copyright") {
        r
    } else if let Some(r) = l.strip_prefix("(c)").or_else(|| l.strip_prefix('©')) {
        // "(c) 2024 Acme", not a clause "(c) You must retain ..."
        return r.trim_start().starts_with(|c: char| c.is_ascii_digit());
    } else {
        return l.trim() == "all rights reserved." || l.trim() == "all rights reserved";
    };
    let rest = rest.trim_start();
    rest.starts_with("(c)")
        || rest.starts_with('©')
        || rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.starts_with('[')
        || rest.starts_with('<')
        || rest.starts_with('{')
        || rest.starts_with("by ")
        || rest.starts_with("notice:") && rest.len() < 120
}

/// Words of a text for comparison: lower case, letters and digits only, copyright lines and
/// bracketed placeholders left out, spelling variants folded.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut cleaned = String::new();
    for line in text.lines() {
        if is_copyright_line(line) {
            continue;
        }
        let mut depth = 0usize;
        if line.contains(['<', '[']) {
            cleaned.clear();
            for c in line.chars() {
                match c {
                    '<' | '[' => depth += 1,
                    '>' | ']' if depth > 0 => depth -= 1,
                    _ if depth > 0 => {}
                    _ => cleaned.push(c),
                }
            }
        }
        // an unclosed bracket: keep the line as it is
        let line = if depth > 0 || !line.contains(['<', '[']) {
            line
        } else {
            &cleaned
        };
        for w in line
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let w = if w.is_ascii() {
                w.to_ascii_lowercase()
            } else {
                w.to_lowercase()
            };
            let w = match w.as_str() {
                "licence" => "license".to_string(),
                "licences" => "licenses".to_string(),
                "licenced" => "licensed".to_string(),
                "https" => "http".to_string(),
                _ => w,
            };
            out.push(w);
        }
    }
    // BSD's clause 3 names the copyright holder: any name may stand there
    let mut i = 0;
    let mut folded = Vec::with_capacity(out.len());
    while i < out.len() {
        if out[i] == "neither"
            && out.get(i + 1..i + 4) == Some(&["the", "name", "of"].map(String::from))
        {
            if let Some(nor) = (i + 4..(i + 20).min(out.len())).find(|j| out[*j] == "nor") {
                folded.extend(
                    ["neither", "the", "name", "of", "the", "copyright", "holder"]
                        .map(String::from),
                );
                i = nor;
                continue;
            }
        }
        folded.push(std::mem::take(&mut out[i]));
        i += 1;
    }
    folded
}

/// The texts compared for an SPDX id: its text, and for Apache-2.0 also the text without its
/// appendix (the most common Apache-2.0 LICENSE; without this variant it scores best as Pixar).
pub fn variants(id: &str, text: &'static str) -> Vec<&'static str> {
    let mut v = vec![text];
    if id == "Apache-2.0" {
        if let Some(cut) = text.find("APPENDIX: How to apply") {
            v.push(&text[..cut]);
        }
    }
    v
}

/// A reference text's words, as compared (see [`core`]).
pub fn reference_words(id: &str, text: &str) -> Vec<String> {
    let mut words = words(text);
    let keep = core(id, &words);
    words.truncate(keep.end);
    words.drain(..keep.start);
    words
}
