//! Secrets: tokens with a known prefix, AWS secret keys next to their name, private key blocks
//! and passwords in URLs. Documented example values and placeholders are not secrets.

use super::{mask, Found, Kind};

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn str_of(text: &[u8], s: usize, e: usize) -> &str {
    std::str::from_utf8(&text[s..e]).unwrap_or("")
}

/// Bits of information per character (Shannon entropy of the character counts).
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Placeholders written where a real value goes: `xxxx`, `****`, `your-key-here`, `<token>`,
/// `${TOKEN}`, runs of one character, the alphabet in order, and values too uniform to be random.
pub fn placeholder(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "xxxx",
        "****",
        "....",
        "your",
        "here",
        "example",
        "placeholder",
        "redacted",
        "dummy",
        "fake",
        "sample",
        "insert",
        "replace",
        "changeme",
        "token",
        "secret",
        "password",
        "abcdef",
        "123456",
        "0000",
        "<",
        "${",
        "{{",
        "%s",
    ];
    if WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let bytes = body.as_bytes();
    // an ascending run such as `abcdefgh` or `12345678`
    let mut run = 1;
    for w in bytes.windows(2) {
        if w[1] == w[0] + 1 {
            run += 1;
            if run >= 6 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    let mut distinct: Vec<u8> = bytes.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() < 6 || (body.len() >= 16 && entropy(body) < 3.0)
}

/// Token prefixes, longest first, with the kind, the alphabet of the rest and its lengths.
struct Prefix {
    prefix: &'static str,
    kind: Kind,
    min: usize,
    max: usize,
    /// Extra characters allowed besides ASCII letters and digits.
    extra: &'static [u8],
}

const PREFIXES: &[Prefix] = &[
    Prefix {
        prefix: "sk-ant-",
        kind: Kind::Anthropic,
        min: 32,
        max: 200,
        extra: b"-_",
    },
    Prefix {
        prefix: "sk-proj-",
        kind: Kind::OpenAi,
        min: 32,
        max: 200,
        extra: b"-_",
    },
    Prefix {
        prefix: "sk-svcacct-",
        kind: Kind::OpenAi,
        min: 32,
        max: 200,
        extra: b"-_",
    },
    Prefix {
        prefix: "sk-admin-",
        kind: Kind::OpenAi,
        min: 32,
        max: 200,
        extra: b"-_",
    },
    Prefix {
        prefix: "sk-",
        kind: Kind::OpenAi,
        min: 32,
        max: 200,
        extra: b"-_",
    },
    Prefix {
        prefix: "hf_",
        kind: Kind::HuggingFace,
        min: 30,
        max: 40,
        extra: b"",
    },
    Prefix {
        prefix: "github_pat_",
        kind: Kind::GitHub,
        min: 22,
        max: 255,
        extra: b"_",
    },
    Prefix {
        prefix: "ghp_",
        kind: Kind::GitHub,
        min: 36,
        max: 255,
        extra: b"",
    },
    Prefix {
        prefix: "gho_",
        kind: Kind::GitHub,
        min: 36,
        max: 255,
        extra: b"",
    },
    Prefix {
        prefix: "ghu_",
        kind: Kind::GitHub,
        min: 36,
        max: 255,
        extra: b"",
    },
    Prefix {
        prefix: "ghs_",
        kind: Kind::GitHub,
        min: 36,
        max: 255,
        extra: b"",
    },
    Prefix {
        prefix: "ghr_",
        kind: Kind::GitHub,
        min: 36,
        max: 255,
        extra: b"",
    },
    Prefix {
        prefix: "glpat-",
        kind: Kind::GitLab,
        min: 20,
        max: 64,
        extra: b"-_",
    },
    Prefix {
        prefix: "AIza",
        kind: Kind::GoogleApi,
        min: 35,
        max: 35,
        extra: b"-_",
    },
    Prefix {
        prefix: "xoxb-",
        kind: Kind::Slack,
        min: 10,
        max: 255,
        extra: b"-",
    },
    Prefix {
        prefix: "xoxa-",
        kind: Kind::Slack,
        min: 10,
        max: 255,
        extra: b"-",
    },
    Prefix {
        prefix: "xoxp-",
        kind: Kind::Slack,
        min: 10,
        max: 255,
        extra: b"-",
    },
    Prefix {
        prefix: "xoxr-",
        kind: Kind::Slack,
        min: 10,
        max: 255,
        extra: b"-",
    },
    Prefix {
        prefix: "xoxs-",
        kind: Kind::Slack,
        min: 10,
        max: 255,
        extra: b"-",
    },
    Prefix {
        prefix: "AKIA",
        kind: Kind::AwsKeyId,
        min: 16,
        max: 16,
        extra: b"",
    },
    Prefix {
        prefix: "ASIA",
        kind: Kind::AwsKeyId,
        min: 16,
        max: 16,
        extra: b"",
    },
];

/// A token that starts with a known prefix.
pub fn token(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if s > 0 && (is_word(text[s - 1]) || text[s - 1] == b'-') {
        return None;
    }
    let v = str_of(text, s, e);
    let p = PREFIXES.iter().find(|p| v.starts_with(p.prefix))?;
    let body_start = s + p.prefix.len();
    let mut end = body_start;
    while end < e
        && (text[end].is_ascii_alphanumeric() || p.extra.contains(&text[end]))
        && end - body_start < p.max + 1
    {
        end += 1;
    }
    let len = end - body_start;
    if len < p.min || len > p.max {
        return None;
    }
    if end < text.len() && is_word(text[end]) {
        return None;
    }
    let body = str_of(text, body_start, end);
    if p.kind == Kind::AwsKeyId {
        // base32 alphabet; the documentation's example ends in EXAMPLE
        if !body
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
            || body.ends_with("EXAMPLE")
        {
            return None;
        }
    }
    // secrets mix letters and digits; a body of one class is a name or a word
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let letters = body.bytes().filter(u8::is_ascii_alphabetic).count();
    if digits == 0 || letters == 0 || placeholder(body) {
        return None;
    }
    Some(Found {
        kind: p.kind,
        start: s,
        end,
        masked: mask::token(p.prefix, str_of(text, s, end)),
    })
}

/// `aws_secret_access_key = <40 characters>` (any case, `-`/`_` or none between the words).
pub fn aws_secret(text: &[u8], s: usize, e: usize) -> Option<Found> {
    // the value is the last 40 characters of the match
    let vs = e.checked_sub(40)?;
    if (vs > 0 && matches!(text[vs - 1], b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'+'))
        || text
            .get(e)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'/' || *b == b'+')
    {
        return None;
    }
    let _ = s;
    let value = str_of(text, vs, e);
    if value == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" || placeholder(value) {
        return None;
    }
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 || entropy(value) < 3.5 {
        return None;
    }
    Some(Found {
        kind: Kind::AwsSecret,
        start: vs,
        end: e,
        masked: mask::token("", value),
    })
}

/// `-----BEGIN RSA PRIVATE KEY-----`, unless the next line shows the block is a placeholder.
pub fn private_key(text: &[u8], s: usize, e: usize) -> Option<Found> {
    let header = str_of(text, s, e);
    let after = &text[e..];
    let next: Vec<&[u8]> = after
        .split(|b| *b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .take(1)
        .collect();
    if let Some(line) = next.first() {
        let l = String::from_utf8_lossy(line);
        let body_like = l.starts_with("Proc-Type:")
            || (l.len() >= 16
                && l.bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'+' | b'/' | b'=' | b'"' | b'\\' | b',' | b'n')
                })
                && !placeholder(l.trim_end_matches(['"', ',', '\\', 'n'])));
        // the end marker right away, `...` or `<your key>`: an empty block
        if !body_like {
            return None;
        }
    }
    let what = header.trim_matches('-').trim_start_matches("BEGIN ");
    Some(Found {
        kind: Kind::PrivateKey,
        start: s,
        end: e,
        masked: format!("-----BEGIN {what}----- …"),
    })
}

/// `scheme://user:password@host`, unless the password is a placeholder or a variable.
pub fn url_credentials(text: &[u8], s: usize, e: usize) -> Option<Found> {
    let v = str_of(text, s, e);
    let (_, rest) = v.split_once("://")?;
    let (userinfo, host) = rest.rsplit_once('@')?;
    let (user, password) = userinfo.split_once(':')?;
    if password.is_empty()
        || user.is_empty()
        || password.len() > 128
        || host.is_empty()
        || !host.contains('.') && host != "localhost"
    {
        return None;
    }
    let lower = password.to_ascii_lowercase();
    if placeholder(password)
        || password.starts_with('$')
        || password.starts_with('%')
        || password.starts_with('{')
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || matches!(
            lower.as_str(),
            "pass"
                | "pwd"
                | "passwd"
                | "pw"
                | "secret"
                | "admin"
                | "root"
                | "guest"
                | "test"
                | "user"
        )
        || lower == user.to_ascii_lowercase()
        || password.len() < 4
    {
        return None;
    }
    // the value ends where the host does
    let host_end = host.find(['/', '?', '#']).unwrap_or(host.len());
    let end = e - (host.len() - host_end);
    Some(Found {
        kind: Kind::UrlCredentials,
        start: s,
        end,
        masked: mask::url_credentials(str_of(text, s, end)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(placeholder("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(placeholder("your-key-here"));
        assert!(placeholder("abcdefghijklmnopqrstuvwxyz012345"));
        assert!(placeholder("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!placeholder("q8ZrT2vLw9XkP3mN7bJd4HsF6gYc1RtE0u"));
    }

    /// Tokens are built from a prefix and a body, so that no whole token sits in the source.
    fn t(s: &str) -> Option<Kind> {
        let s = s.replace('~', "");
        token(s.as_bytes(), 0, s.len()).map(|f| f.kind)
    }

    #[test]
    fn tokens() {
        assert_eq!(
            t("hf_~q8ZrT2vLw9XkP3mN7bJd4HsF6gYc1RtE0u"),
            Some(Kind::HuggingFace)
        );
        assert_eq!(t("hf_~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), None);
        assert_eq!(t("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(t("AKIA~Q3RZT7VWX2LMN4PK"), Some(Kind::AwsKeyId));
        assert_eq!(t("sk-~XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), None);
    }
}
