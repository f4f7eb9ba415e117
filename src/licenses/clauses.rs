//! Custom licences read clause by clause: what a licence text that matches no known licence
//! does, each with the sentence that says it. English and Chinese.

use regex::Regex;
use std::sync::OnceLock;

/// A document that opens as licence terms: its first line names a licence, an agreement or
/// terms of use, and its opening grants rights or binds a licensee.
pub fn opens_as_terms(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    let title = first.trim_start_matches(['#', '*', ' ']).to_lowercase();
    let names = [
        "license",
        "licence",
        "agreement",
        "terms of use",
        "许可",
        "协议",
    ]
    .iter()
    .any(|k| title.contains(k));
    if !names || title.len() > 160 {
        return false;
    }
    let head = text[..crate::text::floor_char_boundary(text, 3000.min(text.len()))].to_lowercase();
    [
        "hereby grant",
        "grants you",
        "you may not",
        "you agree",
        "licensee",
        "you shall not",
        "本协议",
        "授予",
        "被许可",
    ]
    .iter()
    .any(|k| head.contains(k))
}

/// One thing a licence text does, found in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    /// `non-commercial`, `research-only`, `acceptable-use`, `user-threshold`, `registration`,
    /// `attribution-display`, `no-output-training`, `revocable`, `governing-law`.
    pub id: &'static str,
    /// 1-based line of the sentence.
    pub line: usize,
    /// The sentence, trimmed (at most 240 bytes).
    pub text: String,
}

/// Whether a clause of this kind limits who may use the work or for what. Attribution duties,
/// revocability and the governing law do not.
pub fn restricts_use(id: &str) -> bool {
    matches!(
        id,
        "non-commercial"
            | "research-only"
            | "acceptable-use"
            | "user-threshold"
            | "registration"
            | "no-output-training"
    )
}

/// How each clause is said. Patterns are matched against a sentence in lower case.
fn patterns() -> &'static [(&'static str, Regex)] {
    static P: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        let table: &[(&'static str, &str)] = &[
            (
                "non-commercial",
                r"\bnon[- ]?commercial\b|\bnot (?:be )?(?:used )?for (?:any )?commercial|\bno commercial use|\bcommercial (?:use|purposes?|usage) (?:is|are) (?:not (?:permitted|allowed)|prohibited|forbidden)|\bmay not (?:be )?use[d]? .{0,60}\bcommercial|非商业|不得(?:用于|进行)?商业|禁止商用|不(?:可|得|能)商用",
            ),
            (
                "research-only",
                r"\b(?:solely|only|exclusively) (?:for|to be used for) (?:non-commercial )?(?:scientific |academic )?(?:research|academic)\b|\bresearch (?:purposes? )?only\b|\bacademic (?:use|purposes?) only\b|仅(?:限|供|可)?(?:用于)?(?:学术|科学)?(?:研究|科研)",
            ),
            (
                "acceptable-use",
                r"\bacceptable use policy\b|\bprohibited uses?\b|\buse restrictions?\b|\b(?:you )?(?:agree|will|shall|must) not (?:to )?use (?:the |this |any )?(?:model|software|materials?|work|weights|parameters|outputs?|complementary material)|\bnot (?:to )?use .{0,40}\b(?:to|for|in) (?:any )?(?:military|weapons?|surveillance|harm|illegal|unlawful)|不得(?:将|利用|使用).{0,30}(?:用于|从事)|禁止.{0,12}用于|使用限制",
            ),
            (
                "user-threshold",
                r"\bmonthly active users\b|\bdaily active users\b|\b\d[\d,.]*\s*(?:million|billion|m)?\s+(?:monthly |daily )?(?:active )?users\b|\bannual (?:revenue|turnover)\b|\brevenue (?:of|exceed|exceeds|exceeding|greater|above)\b|月活跃用户|日活跃用户|月活|用户数量?(?:超过|达到|大于)|(?:年)?营业收入|收入(?:超过|达到)",
            ),
            (
                "registration",
                r"\b(?:must|shall|need to|required to) (?:first )?(?:register|apply for|request|obtain|seek) .{0,40}\b(?:license|licence|permission|approval|authori[sz]ation|consent)\b|\bprior written (?:consent|approval|permission)\b|\bsubmit (?:an? )?(?:application|request) .{0,30}\b(?:to|for)\b|申请(?:授权|许可|商用)|书面(?:授权|许可|同意)|(?:须|需|需要|必须).{0,8}(?:注册|申请|授权|许可)",
            ),
            (
                "attribution-display",
                r#"\bprominently (?:display|include|state)\b|["“]built with\b|["“]powered by\b|\binclude .{0,30}\bat the beginning of (?:the |its )?(?:name|model name)\b|显著(?:位置|地)?(?:标明|标注|展示|显示|注明)|注明.{0,10}(?:来源|出处|基于)"#,
            ),
            (
                "no-output-training",
                r"\buse\b.{0,40}\b(?:outputs?|results?|generations?)\b.{0,60}\b(?:improve|train|develop|create)\b.{0,40}\b(?:other|another|competing)\b.{0,40}\b(?:models?|llms?|ai)\b|输出.{0,24}(?:改进|训练|开发|改善).{0,12}(?:其他|其它).{0,8}模型",
            ),
            (
                "revocable",
                r"\brevocable\b|\b(?:may|can|reserves? the right to) (?:immediately )?(?:terminate|revoke|suspend) (?:this |the |your )?(?:license|licence|agreement|rights|access)|(?:撤销|撤回|终止)(?:本|该|您的)?(?:许可|授权|协议)",
            ),
            (
                "governing-law",
                r"\bgoverned by (?:and construed (?:in accordance with|under) )?the laws? of\b|\bgoverning law\b|适用.{0,8}法律|(?:管辖|仲裁)",
            ),
        ];
        table
            .iter()
            .filter_map(|(id, re)| Regex::new(re).ok().map(|r| (*id, r)))
            .collect()
    })
}

/// "for commercial and non-commercial purposes" grants both.
fn grants_both(sentence: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\bcommercial (?:and|or|and/or) non[- ]?commercial|\bnon[- ]?commercial (?:and|or|and/or) commercial|商业(?:和|或|及)非商业|非商业(?:和|或|及)商业").ok()
    })
    .as_ref()
    .is_some_and(|r| r.is_match(sentence))
}

/// "irrevocable", "non-revocable": the opposite.
fn negated_revocable(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    before.ends_with("ir") || before.ends_with("non-") || before.ends_with("non")
}

/// Sentences of a text with the 1-based line each starts on: the lines of a paragraph joined
/// (licence texts wrap their lines), then cut at sentence ends (". ", "。", "；"); a heading or
/// list item starts a sentence of its own.
fn sentences(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut cur = String::new();
    let mut cur_line = 0;
    let flush = |cur: &mut String, line: usize, out: &mut Vec<(usize, String)>| {
        let t = cur.trim();
        if !t.is_empty() {
            out.push((line, t.to_string()));
        }
        cur.clear();
    };
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        let starts_item = t.starts_with('#')
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with(|c: char| c.is_ascii_digit()) && t.contains(". ")
            || t.starts_with('(');
        if t.is_empty() || starts_item {
            flush(&mut cur, cur_line, &mut out);
            if t.is_empty() {
                continue;
            }
        }
        let mut rest = t;
        while !rest.is_empty() {
            if cur.is_empty() {
                cur_line = n + 1;
            }
            let cut = rest
                .char_indices()
                .find(|&(i, c)| {
                    c == '。' || c == '；' || (c == '.' && rest[i + 1..].starts_with(' ') && i > 3)
                })
                .map(|(i, c)| i + c.len_utf8());
            match cut {
                Some(i) => {
                    if !cur.is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(&rest[..i]);
                    flush(&mut cur, cur_line, &mut out);
                    rest = rest[i..].trim_start();
                }
                None => {
                    if !cur.is_empty() {
                        cur.push(' ');
                    }
                    cur.push_str(rest);
                    rest = "";
                }
            }
        }
        // a line that ends a sentence ends it; a sentence longer than a paragraph of a licence
        // is a list of words, not one sentence
        if cur.ends_with(['.', '。', '；', '!', '?', ':', '：']) || cur.len() > 2000 {
            flush(&mut cur, cur_line, &mut out);
        }
    }
    flush(&mut cur, cur_line, &mut out);
    out
}

/// "may not be used to endorse or promote products ... without prior written permission": a
/// clause about the licensor's name, not about using the work.
fn about_names(sentence: &str) -> bool {
    ["endorse", "promote", "trademark", "trade name", "商标"]
        .iter()
        .any(|k| sentence.contains(k))
}

/// What a licence text does, one clause per kind (the first sentence that says it), in the
/// order of the text.
pub fn read(text: &str) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::new();
    for (line, sentence) in sentences(text) {
        let lower = sentence.to_lowercase();
        let sentence = sentence.as_str();
        for (id, re) in patterns() {
            if out.iter().any(|c| c.id == *id) {
                continue;
            }
            let Some(m) = re.find(&lower) else { continue };
            if *id == "non-commercial" && grants_both(&lower) {
                continue;
            }
            if *id == "revocable" && negated_revocable(&lower, m.start()) {
                continue;
            }
            if *id == "registration" && about_names(&lower) {
                continue;
            }
            out.push(Clause {
                id,
                line,
                text: crate::text::clip(sentence, 240),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        read(text).into_iter().map(|c| c.id).collect()
    }

    #[test]
    fn english_clauses_with_their_lines() {
        let text = "ACME MODEL LICENSE\n\nYou may use the Model solely for non-commercial research purposes.\nIf your products have more than 100 million monthly active users, you must request a license from Acme.\nYou will not use the Model or its outputs to improve any other large language model.\nThis Agreement is governed by the laws of Ireland.\n";
        let c = read(text);
        let got: Vec<(&str, usize)> = c.iter().map(|c| (c.id, c.line)).collect();
        assert!(got.contains(&("non-commercial", 3)), "{got:?}");
        assert!(got.contains(&("research-only", 3)), "{got:?}");
        assert!(got.contains(&("user-threshold", 4)), "{got:?}");
        assert!(got.contains(&("registration", 4)), "{got:?}");
        assert!(got.contains(&("no-output-training", 5)), "{got:?}");
        assert!(got.contains(&("governing-law", 6)), "{got:?}");
        assert!(c.iter().any(|c| restricts_use(c.id)));
    }

    #[test]
    fn chinese_clauses() {
        let text = "模型许可协议\n\n本模型仅限用于学术研究。\n如需商用，须通过邮件申请授权。\n您不得将本模型用于任何违法活动。\n本协议适用中华人民共和国法律。\n";
        let got = ids(text);
        for id in [
            "research-only",
            "registration",
            "acceptable-use",
            "governing-law",
        ] {
            assert!(got.contains(&id), "{id} in {got:?}");
        }
    }

    #[test]
    fn permissive_words_are_not_restrictions() {
        let text = "Permission is hereby granted, free of charge, to use the Software for commercial and non-commercial purposes. The license is perpetual and irrevocable.\n";
        assert!(ids(text).is_empty(), "{:?}", ids(text));
    }
}
