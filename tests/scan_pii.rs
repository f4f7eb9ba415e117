//! Personal data in shipped files: each kind is planted at run time (built from pieces, with
//! valid check digits computed here), found at its line and column, and never printed whole.

mod common;

use common::run_in;
use std::path::Path;

const CARD: &str = "---\nlicense: apache-2.0\n---\n# Model\n\nContact: wang.fang@corp-mail.cn\n";

/// ISO 7064 MOD 11-2 check character of a Chinese resident identity number.
fn id_check(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

fn luhn_complete(partial: &str) -> String {
    for d in 0..10 {
        let cand = format!("{partial}{d}");
        let sum: u32 = cand
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let v = (b - b'0') as u32;
                if i % 2 == 1 {
                    if v * 2 > 9 {
                        v * 2 - 9
                    } else {
                        v * 2
                    }
                } else {
                    v
                }
            })
            .sum();
        if sum % 10 == 0 {
            return cand;
        }
    }
    unreachable!()
}

fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem = 0u32;
    for c in rearranged.chars() {
        let v = c.to_digit(36).expect("alphanumeric");
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    format!("{country}{:02}{bban}", 98 - rem)
}

/// (kind label, raw value, masked value) of every planted item.
fn planted() -> Vec<(&'static str, String, String)> {
    let id17 = ["110105", "19900307", "123"].concat();
    let id = format!("{id17}{}", id_check(&id17));
    let card = luhn_complete(&["4556", "7375", "8689", "985"].concat());
    let iban = iban("DE", &["3704", "0044", "0532", "0130", "01"].concat());
    vec![
        (
            "an e-mail address",
            ["wang.fang", "corp-mail.cn"].join("@"),
            "w***@c***.cn".into(),
        ),
        (
            "a phone number",
            ["+44", "20", "7946", "0321"].join(" "),
            "+** ** **** **21".into(),
        ),
        (
            "a phone number",
            ["139", "1234", "5678"].concat(),
            "*********78".into(),
        ),
        (
            "a Chinese resident identity number",
            id.clone(),
            format!("**************{}", &id[14..]),
        ),
        (
            "a payment card number",
            card.clone(),
            format!("************{}", &card[12..]),
        ),
        (
            "an IBAN",
            iban.clone(),
            format!("DE****************{}", &iban[18..]),
        ),
        (
            "a US social security number",
            ["536", "22", "1234"].join("-"),
            "***-**-1234".into(),
        ),
        (
            "a public IP address",
            ["81", "2", "69", "160"].join("."),
            "***.***.***.160".into(),
        ),
        (
            "a public IP address",
            ["2a00", "1450", "4001", "82a", ":200e"].join(":"),
            "****:…:200e".into(),
        ),
    ]
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn diagnostics(dir: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["check", ".", "--format", "json", "--mode", "open"];
    args.extend(extra);
    let r = run_in(dir, &args);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn every_kind_is_found_masked_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let items = planted();
    let mut sample = String::from("{\"text\": \"no personal data here\"}\n");
    for (_, raw, _) in &items {
        sample.push_str(&format!(
            "{{\"id\": 7, \"text\": \"reach me at {raw} today\"}}\n"
        ));
    }
    write(
        dir.path(),
        &[("README.md", CARD), ("data/train.jsonl", &sample)],
    );
    let diags = diagnostics(dir.path(), &[]);
    let found: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["rule"] == "privacy/personal-data")
        .collect();
    assert_eq!(found.len(), items.len(), "{found:#?}");
    for (i, (label, raw, masked)) in items.iter().enumerate() {
        let d = found[i];
        assert_eq!(d["path"], "data/train.jsonl");
        assert_eq!(d["level"], "error");
        assert_eq!(d["line"], i + 2, "{label} {d}");
        let col = "{\"id\": 7, \"text\": \"reach me at ".chars().count() + 1;
        assert_eq!(d["column"], col, "{label} {d}");
        assert_eq!(d["end_column"], col + raw.chars().count(), "{label} {d}");
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains(label), "{msg}");
        assert!(msg.contains(masked.as_str()), "{msg} lacks {masked}");
    }
    // no output format shows a raw value
    for format in ["human", "json", "sarif", "github"] {
        let r = run_in(
            dir.path(),
            &["check", ".", "--mode", "open", "--format", format],
        );
        if r.code == 2 {
            continue; // a format this build does not have
        }
        for (_, raw, _) in &items {
            assert!(!r.stdout.contains(raw.as_str()), "{format} shows {raw}");
            assert!(!r.stderr.contains(raw.as_str()), "{format} shows {raw}");
        }
    }
}

#[test]
fn levels_follow_mode_place_and_statement() {
    let dir = tempfile::tempdir().unwrap();
    let email = ["li.na", "corp-mail.cn"].join("@");
    let sample = format!("{{\"text\": \"{email}\"}}\n");
    let config = format!("{{\"author\": \"{email}\"}}\n");
    write(
        dir.path(),
        &[
            ("README.md", CARD),
            ("data/train.jsonl", &sample),
            ("config.json", &config),
        ],
    );
    let level_of = |extra: &[&str], path: &str| -> Vec<String> {
        diagnostics(dir.path(), extra)
            .iter()
            .filter(|d| d["rule"] == "privacy/personal-data" && d["path"] == path)
            .map(|d| d["level"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(level_of(&[], "data/train.jsonl"), ["error"]);
    assert_eq!(level_of(&[], "config.json"), ["warning"]);
    // the contact address in the card is not reported
    assert!(level_of(&[], "README.md").is_empty());
    let hybrid = ["--mode", "hybrid"];
    let r = run_in(
        dir.path(),
        &["check", ".", "--format", "json", hybrid[0], hybrid[1]],
    );
    assert!(r.stdout.contains("\"level\": \"error\""));
    // declared and handled in the data statement: a warning
    write(
        dir.path(),
        &[(
            "DATA_STATEMENT.md",
            "# Data\n\n## Personal Information\n\nThe samples hold e-mail addresses of users who gave their consent.\n",
        )],
    );
    assert_eq!(level_of(&[], "data/train.jsonl"), ["warning"]);
}

#[test]
fn clean_and_look_alike_values_give_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = [
        "{\"text\": \"mail jane@example.com or ops@test.invalid\"}",
        "{\"text\": \"server 192.168.1.20, docs 203.0.113.7, 198.51.100.1, 2001:db8::1, loop 127.0.0.1\"}",
        "{\"text\": \"torch==2.1.0.1 and version 10.4.3.2 and v1.2.3.4\"}",
        "{\"text\": \"test card 4111 1111 1111 1111, bad luhn 4556737586899856\"}",
        "{\"text\": \"ssn 000-12-3456, 666-12-3456, 912-12-3456, 078-05-1120, 123-45-0000\"}",
        "{\"text\": \"id 110105199003071230 has a wrong check digit; 12345678901 too\"}",
        "{\"text\": \"iban DE89370400440532013000 is the usual example; DE00370400440532013000 fails\"}",
        "{\"text\": \"time 12:30:45, mac 00:1a:2b:3c:4d:5e, ratio 0.13912345678\"}",
        "{\"text\": \"phone +1 415 555 0123 is fictional\", \"ts\": 1700000000000}",
        "{\"ids\": [101, 2023, 2003, 1037, 3231, 102], \"date\": \"2024-01-15\"}",
    ]
    .join("\n");
    write(
        dir.path(),
        &[("README.md", CARD), ("data/train.jsonl", &text)],
    );
    let diags = diagnostics(dir.path(), &[]);
    let found: Vec<_> = diags
        .iter()
        .filter(|d| d["rule"] == "privacy/personal-data")
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn scan_keys_include_ignore_and_max_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let email = ["li.na", "corp-mail.cn"].join("@");
    let line = format!("{{\"text\": \"{email}\"}}\n");
    let big = format!("{}{line}", "{\"text\": \"padding\"}\n".repeat(100));
    write(
        dir.path(),
        &[
            ("README.md", CARD),
            ("data/train.jsonl", &line),
            ("tests/data/fixture.jsonl", &line),
            ("exports/users.txt", &line),
            ("data/big.jsonl", &big),
            (
                "modelgate.toml",
                "[release]\nmode = \"open\"\n\n[scan]\ninclude = [\"data/**\", \"exports/**\"]\nignore = [\"tests/**\"]\nmax_bytes = 1000\n",
            ),
        ],
    );
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut paths: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "privacy/personal-data")
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    assert_eq!(paths, ["data/train.jsonl", "exports/users.txt"]);
    let partial: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "modelgate/unreadable-file" && d["path"] == "data/big.jsonl")
        .collect();
    assert_eq!(partial.len(), 1, "{partial:#?}");
    assert_eq!(partial[0]["level"], "info");
    assert!(partial[0]["message"]
        .as_str()
        .unwrap()
        .contains("only its first 1000 bytes"));
}

#[test]
fn records_outside_a_data_folder_are_scanned_by_their_shape() {
    let dir = tempfile::tempdir().unwrap();
    let mail = ["zhang.wei", "corp-mail.cn"].join("@");
    let phone = ["138", "1234", "5678"].concat();
    // a mobile number right after CJK text and a full-width colon, inside a JSON string
    let jsonl = format!("{{\"text\": \"联系电话：{phone}\"}}\n{{\"text\": \"mail {mail}\"}}\n");
    let csv = format!(
        "name,email\nZhang Wei,{mail}\nAnn,{}\n",
        ["ann", "mailhost.org"].join("@")
    );
    // a JSON config that is not records: its addresses are not a sample's
    let config = format!("{{\"author\": \"{mail}\", \"version\": \"1.0\"}}\n");
    write(
        dir.path(),
        &[
            ("README.md", CARD),
            ("samples.jsonl", &jsonl),
            ("users.csv", &csv),
            ("misc/exports_2024/users.csv", &csv),
            ("package.json", &config),
        ],
    );
    let found: Vec<String> = diagnostics(dir.path(), &[])
        .iter()
        .filter(|d| d["rule"] == "privacy/personal-data")
        .map(|d| {
            format!(
                "{} {}:{}",
                d["level"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    for want in [
        "warning samples.jsonl:1",
        "warning samples.jsonl:2",
        "warning users.csv:2",
        "warning users.csv:3",
        // an oddly named folder: the shape decides, not the folder's name
        "warning misc/exports_2024/users.csv:2",
    ] {
        assert!(found.contains(&want.to_string()), "{want} in {found:?}");
    }
    assert!(
        !found.iter().any(|f| f.contains("package.json")),
        "{found:?}"
    );
    // a company's service mailbox names nobody
    let dir = tempfile::tempdir().unwrap();
    let alerts = format!(
        "{{\"text\": \"From: {}\"}}\n{{\"text\": \"x\"}}\n",
        ["alerts", "info6.bank.com"].join("@")
    );
    write(
        dir.path(),
        &[("README.md", CARD), ("samples.jsonl", &alerts)],
    );
    assert!(!diagnostics(dir.path(), &[])
        .iter()
        .any(|d| d["rule"] == "privacy/personal-data"));
}

#[test]
fn utf16_text_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("README.md", CARD)]);
    let mail = ["li.na", "corp-mail.cn"].join("@");
    let text = format!("id,contact\n1,{mail}\n");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/contacts.csv"), bytes).unwrap();
    let hits: Vec<String> = diagnostics(dir.path(), &[])
        .iter()
        .filter(|d| d["rule"] == "privacy/personal-data")
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap(), d["line"]))
        .collect();
    assert_eq!(hits, ["data/contacts.csv:2"]);
}
