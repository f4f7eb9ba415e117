//! Secrets: each kind is planted at run time (a known prefix and a pseudo-random body, so that
//! no real-looking secret sits in the repository), found at its line and column, an error in
//! every mode, and never printed whole.

mod common;

use common::run_in;
use std::path::Path;

const CARD: &str = "---\nlicense: apache-2.0\n---\n# Model\n";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A random string of letters with both cases (as Hugging Face tokens are: no digit).
    fn letters(&mut self, n: usize) -> String {
        loop {
            let s: String = (0..n)
                .map(|_| LETTERS[(self.next() % LETTERS.len() as u64) as usize] as char)
                .collect();
            if s.bytes().any(|b| b.is_ascii_uppercase())
                && s.bytes().any(|b| b.is_ascii_lowercase())
            {
                return s;
            }
        }
    }

    /// A random string over `alphabet` with at least one letter and one digit.
    fn body(&mut self, alphabet: &[u8], n: usize) -> String {
        loop {
            let s: String = (0..n)
                .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
                .collect();
            let mixed = alphabet.iter().any(u8::is_ascii_alphabetic);
            if !mixed
                || s.bytes().any(|b| b.is_ascii_digit())
                    && s.bytes().any(|b| b.is_ascii_alphabetic())
            {
                return s;
            }
        }
    }
}

/// (file, line text, raw secret, kind label, masked prefix) for every kind.
fn planted() -> Vec<(&'static str, String, String, &'static str, &'static str)> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();
    let mut add = |file, prefix: &str, body: String, label, masked| {
        let raw = format!("{prefix}{body}");
        out.push((file, String::new(), raw, label, masked));
    };
    add(
        "config.json",
        "hf_",
        r.body(ALNUM, 34),
        "a Hugging Face token",
        "hf_****************",
    );
    add(
        "config.json",
        "hf_",
        r.letters(34),
        "a Hugging Face token",
        "hf_****************",
    );
    add(
        "config.json",
        "api_org_",
        r.letters(34),
        "a Hugging Face token",
        "api_org_****************",
    );
    add(
        "config.json",
        "sk-svcacct-",
        format!("{}T3BlbkFJ{}", r.body(ALNUM, 58), r.body(ALNUM, 58)),
        "an OpenAI API key",
        "sk-svcacct-****************",
    );
    add(
        "config.json",
        "sk-admin-",
        format!("{}T3BlbkFJ{}", r.body(ALNUM, 58), r.body(ALNUM, 58)),
        "an OpenAI API key",
        "sk-admin-****************",
    );
    add(
        "config.json",
        "sk_live_",
        r.body(ALNUM, 99),
        "a Stripe secret key",
        "sk_live_****************",
    );
    add(
        "config.json",
        "r8_",
        r.body(ALNUM, 37),
        "a Replicate API token",
        "r8_****************",
    );
    add(
        "config.json",
        "gsk_",
        r.body(ALNUM, 52),
        "a Groq API key",
        "gsk_****************",
    );
    add(
        "config.json",
        "xai-",
        r.body(ALNUM, 80),
        "an xAI API key",
        "xai-****************",
    );
    add(
        "config.json",
        "ASIA",
        r.body(BASE32, 16),
        "an AWS access key id",
        "ASIA****************",
    );
    add(
        "config.json",
        "sk-proj-",
        r.body(ALNUM, 48),
        "an OpenAI API key",
        "sk-proj-****************",
    );
    add(
        "config.json",
        "sk-",
        r.body(ALNUM, 48),
        "an OpenAI API key",
        "sk-****************",
    );
    add(
        "config.json",
        "sk-ant-api03-",
        r.body(ALNUM, 90),
        "an Anthropic API key",
        "sk-ant-****************",
    );
    add(
        "config.json",
        "AKIA",
        r.body(BASE32, 16),
        "an AWS access key id",
        "AKIA****************",
    );
    add(
        "config.json",
        "ghp_",
        r.body(ALNUM, 36),
        "a GitHub token",
        "ghp_****************",
    );
    add(
        "config.json",
        "github_pat_",
        r.body(ALNUM, 82),
        "a GitHub token",
        "github_pat_****************",
    );
    add(
        "config.json",
        "glpat-",
        r.body(ALNUM, 20),
        "a GitLab token",
        "glpat-****************",
    );
    add(
        "config.json",
        "AIza",
        r.body(ALNUM, 35),
        "a Google API key",
        "AIza****************",
    );
    let slack = format!(
        "{}-{}-{}",
        r.body(b"0123456789", 12),
        r.body(b"0123456789", 13),
        r.body(ALNUM, 24)
    );
    add(
        "config.json",
        "xoxb-",
        slack,
        "a Slack token",
        "xoxb-****************",
    );
    let mut lines: Vec<(&str, String, String, &str, &str)> = out
        .into_iter()
        .enumerate()
        .map(|(i, (f, _, raw, label, masked))| {
            (f, format!("  \"key_{i}\": \"{raw}\","), raw, label, masked)
        })
        .collect();
    // keys without a prefix of their own, after the name that says what they are
    let wandb = r.body(HEX, 40);
    lines.push((
        "scripts/train.sh",
        format!("export WANDB_API_KEY={wandb}"),
        wandb,
        "a Weights & Biases API key",
        "****************",
    ));
    let azure = r.body(HEX, 32);
    lines.push((
        "scripts/train.sh",
        format!("AZURE_OPENAI_API_KEY=\"{azure}\" python serve.py"),
        azure,
        "an Azure OpenAI key",
        "****************",
    ));
    // notebooks and scripts
    let aws = r.body(BASE64, 40);
    lines.push((
        "train.ipynb",
        format!("    \"aws_secret_access_key = {aws}\\n\","),
        aws,
        "an AWS secret access key",
        "****************",
    ));
    let password = r.body(ALNUM, 14);
    let url = format!("postgres://trainer:{password}@db.acme.io");
    lines.push((
        "scripts/export.py",
        format!("DB = \"{url}/runs\""),
        url,
        "a password in a URL",
        "postgres://****:****@db.acme.io",
    ));
    let header = ["-----BEGIN", "RSA", "PRIVATE", "KEY-----"].join(" ");
    lines.push((
        "deploy/key.pem",
        header.clone(),
        r.body(BASE64, 64),
        "a private key",
        "-----BEGIN RSA PRIVATE KEY----- …",
    ));
    lines
}

fn write(dir: &Path, files: &[(&str, String)]) {
    for (p, text) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn tree(dir: &Path) -> Vec<(&'static str, String, String, &'static str, &'static str)> {
    let items = planted();
    let mut files: Vec<(&str, String)> = vec![("README.md", CARD.to_string())];
    for (file, line, raw, _, _) in &items {
        let text = if *file == "deploy/key.pem" {
            format!("{line}\n{raw}\n-----END RSA PRIVATE KEY-----\n")
        } else {
            format!("{line}\n")
        };
        match files.iter_mut().find(|(f, _)| f == file) {
            Some((_, t)) => t.push_str(&text),
            None => files.push((file, format!("# header\n{text}"))),
        }
    }
    write(dir, &files);
    items
}

#[test]
fn every_kind_is_found_masked_and_located_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let items = tree(dir.path());
    for mode in ["open", "hybrid", "closed"] {
        let r = run_in(
            dir.path(),
            &["check", ".", "--format", "json", "--mode", mode],
        );
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let found: Vec<&serde_json::Value> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "security/secret")
            .collect();
        assert_eq!(found.len(), items.len(), "{mode}: {found:#?}");
        let mut line_in_file = std::collections::HashMap::new();
        for (file, line, raw, label, masked) in &items {
            let n = line_in_file.entry(*file).or_insert(1);
            *n += 1;
            let d = found
                .iter()
                .find(|d| d["path"] == *file && d["line"] == *n)
                .unwrap_or_else(|| panic!("{label} not found at {file}:{n}: {found:#?}"));
            assert_eq!(d["level"], "error");
            let at = if *file == "deploy/key.pem" {
                0
            } else {
                line.find(raw.as_str()).unwrap()
            };
            assert_eq!(d["column"], at + 1, "{label}");
            let msg = d["message"].as_str().unwrap();
            assert!(msg.contains(label), "{msg}");
            assert!(msg.contains(masked), "{msg} lacks {masked}");
            if *file == "deploy/key.pem" {
                *n += 2;
            } else if *label != "a password in a URL" {
                // the last four characters, and nothing else of the body
                let tail = &raw[raw.len() - 4..];
                assert!(msg.contains(&format!("{masked}{tail}`")), "{msg}");
            }
        }
    }
    for format in ["human", "json", "sarif", "github"] {
        let r = run_in(dir.path(), &["check", ".", "--format", format]);
        if r.code == 2 {
            continue; // a format this build does not have
        }
        for (_, _, raw, _, _) in &items {
            assert!(!r.stdout.contains(raw.as_str()), "{format} shows {raw}");
            assert!(!r.stderr.contains(raw.as_str()), "{format} shows {raw}");
        }
    }
}

#[test]
fn documented_examples_and_placeholders_give_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        format!("aws_access_key_id = {}", ["AKIA", "IOSFODNN7EXAMPLE"].concat()),
        format!(
            "aws_secret_access_key = {}",
            ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"].join("/")
        ),
        format!("HF_TOKEN={}", ["hf_", &"x".repeat(34)].concat()),
        format!("OPENAI_API_KEY={}", ["sk-", &"X".repeat(48)].concat()),
        format!("token: {}", ["hf_", "your-key-here"].concat()),
        format!("token: {}", ["ghp_", "abcdefghijklmnopqrstuvwxyz0123456789"].concat()),
        format!("key: {}", ["AIza", "<your-google-api-key-goes-here-123456>"].concat()),
        "url: postgres://user:password@localhost/db".to_string(),
        "url: https://user:${PASSWORD}@db.acme.io/x".to_string(),
        "url: https://reader@db.acme.io/x and git@github.com:acme/model.git".to_string(),
        format!("{}\n...\n-----END PRIVATE KEY-----", ["-----BEGIN", "PRIVATE", "KEY-----"].join(" ")),
        format!("token = {}", ["hf_", "thisisnotarealtokenjustlongwordsxy"].concat()),
        format!("org = {}", ["api_org_", "x".repeat(34).as_str()].concat()),
        format!("stripe.api_key = {}", ["sk_test_", "4eC39HqLyjWDarjtT1zdp7dc"].concat()),
        format!("REPLICATE_API_TOKEN={}", ["r8_", &"*".repeat(37)].concat()),
        format!("XAI_API_KEY={}", ["xai-", &"x".repeat(80)].concat()),
        format!("GROQ_API_KEY={}", ["gsk_", "your_groq_api_key_here"].concat()),
        "WANDB_API_KEY=<your-wandb-api-key>".to_string(),
        format!("AZURE_OPENAI_API_KEY=\"{}\"", "x".repeat(32)),
        format!("wandb.login(key=\"{}\")", "0".repeat(40)),
        "api_key = 0f3a9c2b7d1e4f5a6b8c9d0e1f2a3b4c (a hex digest with no key name)".to_string(),
        "task-specific-fine-tuning-for-the-model-with-many-words-2024 and disk-0123456789abcdefghijklmnopqrstuv".to_string(),
    ];
    write(
        dir.path(),
        &[
            ("README.md", CARD.to_string()),
            ("config.yaml", lines.join("\n") + "\n"),
        ],
    );
    let r = run_in(
        dir.path(),
        &["check", ".", "--format", "json", "--mode", "open"],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "security/secret")
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn blobs_are_scanned_from_memory() {
    let mut r = Rng(7);
    let token = format!("hf_{}", r.body(ALNUM, 34));
    let blob = format!("a = 1\nb = \"{token}\"\n");
    let hits = modelgate::scan::scan_bytes("old/config.py", blob.as_bytes());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, modelgate::scan::Kind::HuggingFace);
    assert_eq!((hits[0].region.line, hits[0].region.column), (2, 6));
    assert!(!hits[0].masked.contains(&token[3..]));
}
