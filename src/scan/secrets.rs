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

/// The characters a token's body may hold besides ASCII letters and digits.
const DASH_UNDERSCORE: &[u8] = b"-_";

/// One token format: a literal prefix, then a body of ASCII letters and digits (and `extra`)
/// of `min..=max` characters. Longer prefixes come before the shorter ones they start with.
pub struct Format {
    pub prefix: &'static str,
    pub kind: Kind,
    pub min: usize,
    pub max: usize,
    /// Extra characters allowed besides ASCII letters and digits.
    pub extra: &'static [u8],
}

const fn f(
    prefix: &'static str,
    kind: Kind,
    min: usize,
    max: usize,
    extra: &'static [u8],
) -> Format {
    Format {
        prefix,
        kind,
        min,
        max,
        extra,
    }
}

/// Every token format with a prefix of its own. Each line names where its shape comes from.
pub const FORMATS: &[Format] = &[
    // Anthropic console keys `sk-ant-api03-` + 93 + `AA`, admin keys `sk-ant-admin01-`
    // (gitleaks rules `anthropic-api-key`, `anthropic-admin-api-key`); older versions shorter
    f("sk-ant-", Kind::Anthropic, 32, 200, DASH_UNDERSCORE),
    // OpenAI project, service-account and admin keys (platform.openai.com docs; gitleaks rule
    // `openai-api-key`: bodies around the `T3BlbkFJ` marker, 58 or 74 characters each side)
    f("sk-proj-", Kind::OpenAi, 40, 300, DASH_UNDERSCORE),
    f("sk-svcacct-", Kind::OpenAi, 40, 300, DASH_UNDERSCORE),
    f("sk-admin-", Kind::OpenAi, 40, 300, DASH_UNDERSCORE),
    // OpenAI legacy user keys `sk-` + 48 letters and digits (gitleaks `openai-api-key`);
    // OpenAI-compatible providers (DeepSeek: `sk-` + 32 hex digits) use the same prefix
    f("sk-", Kind::OpenAi, 32, 200, b""),
    // Stripe secret and restricted keys (docs.stripe.com/keys; gitleaks
    // `stripe-access-token`: `(sk|rk)_(test|live|prod)_[a-zA-Z0-9]{10,99}`)
    f("sk_live_", Kind::Stripe, 10, 99, b""),
    f("rk_live_", Kind::Stripe, 10, 99, b""),
    f("sk_test_", Kind::Stripe, 10, 99, b""),
    f("rk_test_", Kind::Stripe, 10, 99, b""),
    // Hugging Face user access tokens `hf_` + 34 letters (huggingface.co/docs/hub/security-tokens;
    // gitleaks `huggingface-access-token`: `hf_(?i:[a-z]{34})`); digits are accepted too
    f("hf_", Kind::HuggingFace, 34, 34, b""),
    // Hugging Face organisation API tokens (gitleaks `huggingface-organization-api-token`)
    f("api_org_", Kind::HuggingFace, 34, 34, b""),
    // GitHub tokens (github.blog "Behind GitHub's new authentication token formats":
    // `gh[pousr]_` + 36; fine-grained `github_pat_` + 22 + `_` + 59; gitleaks `github-pat`,
    // `github-fine-grained-pat`, `github-oauth`, `github-app-token`, `github-refresh-token`)
    f("github_pat_", Kind::GitHub, 82, 82, b"_"),
    f("ghp_", Kind::GitHub, 36, 36, b""),
    f("gho_", Kind::GitHub, 36, 36, b""),
    f("ghu_", Kind::GitHub, 36, 36, b""),
    f("ghs_", Kind::GitHub, 36, 36, b""),
    f("ghr_", Kind::GitHub, 36, 36, b""),
    // GitLab personal, deploy and runner tokens (docs.gitlab.com "Token prefixes"; gitleaks
    // `gitlab-pat`: `glpat-[\w-]{20}`; newer routable tokens are longer)
    f("glpat-", Kind::GitLab, 20, 64, DASH_UNDERSCORE),
    f("gldt-", Kind::GitLab, 20, 64, DASH_UNDERSCORE),
    f("glrt-", Kind::GitLab, 20, 64, DASH_UNDERSCORE),
    // Google API keys (gitleaks `gcp-api-key`: `AIza[\w-]{35}`)
    f("AIza", Kind::GoogleApi, 35, 35, DASH_UNDERSCORE),
    // Slack bot, user, app-level and legacy tokens (api.slack.com/authentication/token-types;
    // gitleaks `slack-bot-token`, `slack-user-token`, `slack-legacy-token`, `slack-app-token`)
    f("xoxb-", Kind::Slack, 10, 255, b"-"),
    f("xoxa-", Kind::Slack, 10, 255, b"-"),
    f("xoxp-", Kind::Slack, 10, 255, b"-"),
    f("xoxe-", Kind::Slack, 10, 255, b"-"),
    f("xoxo-", Kind::Slack, 10, 255, b"-"),
    f("xoxr-", Kind::Slack, 10, 255, b"-"),
    f("xoxs-", Kind::Slack, 10, 255, b"-"),
    f("xapp-", Kind::Slack, 10, 255, b"-"),
    // AWS access key ids: a four-letter type prefix + 16 base32 characters (AWS IAM docs
    // "Unique identifier prefixes"; gitleaks `aws-access-token`)
    f("AKIA", Kind::AwsKeyId, 16, 16, b""),
    f("ASIA", Kind::AwsKeyId, 16, 16, b""),
    f("ABIA", Kind::AwsKeyId, 16, 16, b""),
    f("ACCA", Kind::AwsKeyId, 16, 16, b""),
    // Replicate API tokens `r8_` + 37 (trufflehog detector `replicate`)
    f("r8_", Kind::Replicate, 37, 37, DASH_UNDERSCORE),
    // Groq API keys `gsk_` + 52 (trufflehog detector `groq`)
    f("gsk_", Kind::Groq, 52, 52, b""),
    // xAI API keys `xai-` + 80 (trufflehog detector `xai`)
    f("xai-", Kind::XAi, 80, 80, b"_"),
];

/// Published example values that have a real format (provider documentation).
const DOCUMENTED: &[&str] = &[
    // Stripe's API reference
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
];

/// A body that a generator made, not a word or a name: letters and digits mixed, or upper and
/// lower case mixed. A token of letters only (as every Hugging Face token is) is still one.
fn random_looking(body: &str) -> bool {
    let has = |f: fn(&u8) -> bool| body.as_bytes().iter().any(f);
    let digits = has(u8::is_ascii_digit);
    let upper = has(u8::is_ascii_uppercase);
    let lower = has(u8::is_ascii_lowercase);
    (digits && (upper || lower)) || (upper && lower)
}

/// A token that starts with a known prefix.
pub fn token(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if s > 0 && (is_word(text[s - 1]) || text[s - 1] == b'-') {
        return None;
    }
    let v = str_of(text, s, e);
    let p = FORMATS.iter().find(|p| v.starts_with(p.prefix))?;
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
    // the token ends where its alphabet does: a longer run of token characters is another thing
    if end < text.len() && (is_word(text[end]) || text[end] == b'-') {
        return None;
    }
    let body = str_of(text, body_start, end);
    let whole = str_of(text, s, end);
    if DOCUMENTED.contains(&whole) || placeholder(body) {
        return None;
    }
    if p.kind == Kind::AwsKeyId {
        // base32 alphabet; the documentation's example ends in EXAMPLE
        if !body
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
            || body.ends_with("EXAMPLE")
        {
            return None;
        }
    } else if !random_looking(body) {
        return None;
    }
    Some(Found {
        kind: p.kind,
        start: s,
        end,
        masked: mask::token(p.prefix, whole),
    })
}

/// Names of keys that have no prefix of their own, as code and configs spell them: the value
/// after such a name is that key. Each: the spellings, the kind, the value's shape.
pub struct Keyed {
    pub names: &'static [&'static str],
    pub kind: Kind,
    /// Accepted lengths of the value, and whether it is hexadecimal.
    pub lengths: &'static [usize],
    pub hex: bool,
}

pub const KEYED: &[Keyed] = &[
    // Azure OpenAI keys: 32 hex digits, or 84 characters since 2024 (learn.microsoft.com
    // "Azure OpenAI ... keys"; trufflehog detector `azure_openai`); the SDK's variables
    Keyed {
        names: &[
            "AZURE_OPENAI_API_KEY",
            "AZURE_OPENAI_KEY",
            "azure_openai_api_key",
            "azure_openai_key",
        ],
        kind: Kind::AzureOpenAi,
        lengths: &[32, 84],
        hex: false,
    },
    // Weights & Biases API keys: 40 hex digits (docs.wandb.ai "API keys"; trufflehog detector
    // `wandb`), read from WANDB_API_KEY or passed to `wandb.login(key=...)`
    Keyed {
        names: &["WANDB_API_KEY", "wandb_api_key", "wandb.login(key"],
        kind: Kind::WandB,
        lengths: &[40],
        hex: true,
    },
];

/// `NAME = value` (or `NAME: "value"`, `NAME=value`, `login(key="value")`) for a [`KEYED`]
/// name: the match runs from the name to the end of a run of letters and digits.
pub fn keyed(text: &[u8], s: usize, e: usize) -> Option<Found> {
    if s > 0 && is_word(text[s - 1]) {
        return None;
    }
    let v = str_of(text, s, e);
    let k = KEYED
        .iter()
        .find(|k| k.names.iter().any(|n| v.starts_with(n)))?;
    let vs = v
        .bytes()
        .rposition(|b| !b.is_ascii_alphanumeric())
        .map(|i| s + i + 1)?;
    if text.get(e).is_some_and(|b| is_word(*b) || *b == b'-') {
        return None;
    }
    let value = str_of(text, vs, e);
    if !k.lengths.contains(&value.len())
        || (k.hex || value.len() == 32) && !value.bytes().all(|b| b.is_ascii_hexdigit())
        || placeholder(value)
        || !random_looking(value)
    {
        return None;
    }
    Some(Found {
        kind: k.kind,
        start: vs,
        end: e,
        masked: mask::token("", value),
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
