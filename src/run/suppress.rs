//! Inline suppressions, and reports of suppressions that suppress nothing.
//!
//! Forms (the reason after the colon is required; several ids may be given, comma-separated):
//!
//! - Markdown: `<!-- modelgate-disable RULE_ID: reason -->`. Alone on its line, it covers the
//!   next non-blank line (other suppression comments are skipped); when that line is a heading,
//!   it covers the whole section the heading opens (up to the next heading of the same or a
//!   higher level). After other text on a line, it covers that line.
//! - Markdown: `<!-- modelgate-disable-file RULE_ID: reason -->` anywhere: the whole file.
//! - YAML (front matter, `.yaml`/`.yml` files) and TOML (`modelgate.toml`, `.toml` files):
//!   `# modelgate-disable RULE_ID: reason`. Alone on its line, it covers the next non-blank line
//!   and, for a YAML key, the more indented lines below it (its value), for a TOML table header,
//!   the table; after a value, it covers that line. `# modelgate-disable-file` covers the file.
//!
//! A finding is covered when its path is the file and its first line is within the lines
//! covered (a file-wide suppression also covers findings about the file with no line).

use crate::config::Policy;
use crate::facts::{Facts, Witness};
use crate::finding::Finding;
use crate::glob::PathGlobs;
use crate::policy::{self, RuleSet};
use crate::text::LineIndex;

pub const UNUSED: &str = "modelgate/unused-suppression";
pub const INVALID: &str = "modelgate/invalid-suppression";
const MARK: &str = "modelgate-disable";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// Markdown body: `<!-- -->` comments, `#` lines are headings.
    Markdown,
    /// YAML or TOML: `#` comments.
    Hash,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    File,
    /// 1-based, inclusive.
    Lines(usize, usize),
}

#[derive(Debug, Clone)]
pub struct Directive {
    path: String,
    /// Byte range of the comment in the file's text.
    range: (usize, usize),
    comment: String,
    rules: Vec<String>,
    reason: Option<String>,
    scope: Scope,
}

/// Finds the suppression comments of one file. `front_matter` is the line range (1-based,
/// inclusive) of a Markdown file's YAML front matter, where `#` comments are YAML's.
pub fn parse(path: &str, text: &str) -> Vec<Directive> {
    let hash_file = [".yaml", ".yml", ".toml"]
        .iter()
        .any(|e| path.to_ascii_lowercase().ends_with(e));
    let lines: Vec<&str> = text.split('\n').collect();
    // the syntax of each line: YAML front matter at the top of a Markdown file, fenced code
    // blocks (examples, not directives) marked as None
    let mut syntax: Vec<Option<Syntax>> = Vec::with_capacity(lines.len());
    let mut fence: Option<String> = None;
    let mut front = !hash_file && lines.first().is_some_and(|l| l.trim_end() == "---");
    for (i, raw) in lines.iter().enumerate() {
        let l = raw.trim_end_matches('\r');
        if hash_file {
            syntax.push(Some(Syntax::Hash));
            continue;
        }
        if front {
            syntax.push(Some(Syntax::Hash));
            if i > 0 && (l.trim_end() == "---" || l.trim_end() == "...") {
                front = false;
            }
            continue;
        }
        let t = l.trim_start();
        if let Some(open) = &fence {
            syntax.push(None);
            if t.starts_with(open.as_str()) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t[..3].to_string());
            syntax.push(None);
            continue;
        }
        syntax.push(Some(Syntax::Markdown));
    }

    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in &lines {
        starts.push(at);
        at += l.len() + 1;
    }

    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let l = raw.trim_end_matches('\r');
        let Some(syn) = syntax[i] else { continue };
        let Some(m) = l.find(MARK) else { continue };
        let (open, close) = match syn {
            Syntax::Markdown => {
                let Some(o) = l[..m].rfind("<!--") else {
                    continue;
                };
                if !l[o + 4..m].trim().is_empty() {
                    continue;
                }
                let Some(c) = l[m..].find("-->").map(|c| m + c) else {
                    continue;
                };
                (o, c + 3)
            }
            Syntax::Hash => {
                let Some(o) = l[..m].rfind('#') else { continue };
                if !l[o + 1..m].trim().is_empty() {
                    continue;
                }
                (o, l.len())
            }
        };
        let after = &l[m + MARK.len()..];
        let (file_wide, body) = match after.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        // `modelgate-disable-next` or any other word is not ours
        if !body.is_empty() && !body.starts_with(char::is_whitespace) {
            continue;
        }
        let body_end = match syn {
            Syntax::Markdown => close - 3 - (m + MARK.len() + usize::from(file_wide) * 5),
            Syntax::Hash => body.len(),
        };
        let body = body[..body_end.min(body.len())].trim();
        let (ids, reason) = match body.split_once(':') {
            Some((ids, reason)) => (ids, Some(reason.trim().to_string())),
            None => (body, None),
        };
        let rules: Vec<String> = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let reason = reason.filter(|r| !r.is_empty());
        let alone = l[..open].trim().is_empty() && l[close..].trim().is_empty();
        let scope = if file_wide {
            Scope::File
        } else if !alone {
            Scope::Lines(i + 1, i + 1)
        } else {
            target(&lines, &syntax, i, syn)
        };
        out.push(Directive {
            path: path.to_string(),
            range: (starts[i] + open, starts[i] + close),
            comment: l[open..close].trim().to_string(),
            rules,
            reason,
            scope,
        });
    }
    out
}

fn is_directive_line(l: &str) -> bool {
    let t = l.trim();
    t.contains(MARK) && (t.starts_with("<!--") || t.starts_with('#'))
}

fn heading_level(l: &str) -> Option<usize> {
    let indent = l.len() - l.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let t = &l[indent..];
    let n = t.len() - t.trim_start_matches('#').len();
    let rest = &t[n..];
    ((1..=6).contains(&n) && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some(n)
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// The lines a directive alone on line `i` (0-based) covers.
fn target(lines: &[&str], syntax: &[Option<Syntax>], i: usize, syn: Syntax) -> Scope {
    let clean = |j: usize| lines[j].trim_end_matches('\r');
    let mut j = i + 1;
    while j < lines.len() && (clean(j).trim().is_empty() || is_directive_line(clean(j))) {
        j += 1;
    }
    if j >= lines.len() {
        return Scope::Lines(i + 1, i + 1);
    }
    let first = clean(j);
    let mut end = j;
    match syn {
        Syntax::Markdown if syntax[j] == Some(Syntax::Markdown) => {
            if let Some(level) = heading_level(first) {
                end = (j + 1..lines.len())
                    .find(|&k| {
                        syntax[k] == Some(Syntax::Markdown)
                            && heading_level(clean(k)).is_some_and(|h| h <= level)
                    })
                    .map_or(lines.len() - 1, |k| k - 1);
            }
        }
        Syntax::Hash => {
            let t = first.trim();
            if t.starts_with('[') {
                // a TOML table: up to the next table header
                let mut k = j + 1;
                while k < lines.len() && !clean(k).trim_start().starts_with('[') {
                    end = k;
                    k += 1;
                }
            } else if t.ends_with(':') || t.ends_with('|') || t.ends_with('>') {
                // a YAML key whose value follows: the more indented lines (and list items at
                // the key's own indent)
                let base = indent(first);
                let mut k = j + 1;
                while k < lines.len() {
                    let l = clean(k);
                    if syntax[k] != Some(Syntax::Hash) || l.trim() == "---" {
                        break;
                    }
                    if !l.trim().is_empty()
                        && indent(l) <= base
                        && !(indent(l) == base && l.trim_start().starts_with("- "))
                    {
                        break;
                    }
                    if !l.trim().is_empty() {
                        end = k;
                    }
                    k += 1;
                }
            }
        }
        _ => {}
    }
    Scope::Lines(j + 1, end + 1)
}

impl Directive {
    fn covers(&self, f: &Finding) -> bool {
        if f.path.as_deref() != Some(self.path.as_str()) || f.commit.is_some() {
            return false;
        }
        match (&self.scope, &f.region) {
            (Scope::File, _) => true,
            (Scope::Lines(a, b), Some(r)) => (*a..=*b).contains(&r.line),
            (Scope::Lines(..), None) => false,
        }
    }
}

/// The phase over findings: removes the findings that suppressions cover, then adds the
/// findings of the suppression rules themselves (invalid suppressions, suppressions and ignore
/// globs that remove nothing), rendered by their rules; no fact is added and no rule runs again.
/// `ignored` is the (rule, path) of each finding that a policy ignore glob removed.
pub fn apply(
    findings: &mut Vec<Finding>,
    facts: &Facts,
    policy: &Policy,
    policy_file: Option<&str>,
    rules: &RuleSet,
    ignored: &[(String, String)],
) {
    let mut directives = Vec::new();
    let mut texts: Vec<(String, std::sync::Arc<str>)> = Vec::new();
    for d in facts.docs.iter().filter(|d| d.readable) {
        if d.text.contains(MARK) {
            texts.push((d.path.clone(), d.text.clone()));
        }
    }
    if let (Some(shown), Some(text)) = (policy_file, &policy.text) {
        if text.contains(MARK) && !texts.iter().any(|(p, _)| p == shown) {
            texts.push((shown.to_string(), text.clone()));
        }
    }
    for (p, t) in &texts {
        directives.extend(parse(p, t));
    }
    let known = rules.ids();
    let mut facts_invalid = Vec::new();
    let mut facts_unused = Vec::new();
    let witness = |d: &Directive, texts: &[(String, std::sync::Arc<str>)], detail: String| {
        let mut w = Witness::file(&d.path)
            .var("detail", detail)
            .anchored(policy::normalise_anchor(&d.comment));
        if let Some((_, t)) = texts.iter().find(|(p, _)| *p == d.path) {
            w.region = Some(LineIndex::new(t).region(t, d.range.0, d.range.1));
        }
        w
    };
    let mut used = vec![Vec::<bool>::new(); directives.len()];
    for (i, d) in directives.iter().enumerate() {
        used[i] = vec![false; d.rules.len()];
        if d.rules.is_empty() {
            facts_invalid.push(witness(
                d,
                &texts,
                "the suppression names no rule: write `modelgate-disable RULE_ID: reason`".into(),
            ));
            continue;
        }
        for id in &d.rules {
            if !known.contains(&id.as_str()) {
                facts_invalid.push(witness(
                    d,
                    &texts,
                    format!("the suppression names `{id}`, which is not a rule"),
                ));
            }
        }
        if d.reason.is_none() {
            facts_invalid.push(witness(
                d,
                &texts,
                format!(
                    "the suppression of `{}` gives no reason; it suppresses nothing until it does",
                    d.rules.join(", ")
                ),
            ));
        }
    }
    findings.retain(|f| {
        let mut keep = true;
        for (i, d) in directives.iter().enumerate() {
            if d.reason.is_none() || !d.covers(f) {
                continue;
            }
            if let Some(k) = d.rules.iter().position(|r| *r == f.rule) {
                used[i][k] = true;
                keep = false;
            }
        }
        keep
    });
    for (i, d) in directives.iter().enumerate() {
        if d.reason.is_none() {
            continue;
        }
        for (k, id) in d.rules.iter().enumerate() {
            if !used[i][k] && known.contains(&id.as_str()) {
                facts_unused.push(witness(
                    d,
                    &texts,
                    format!("the suppression of `{id}` suppresses nothing here; remove it"),
                ));
            }
        }
    }
    // ignore globs of the policy that removed no finding
    if let (Some(shown), Some(text)) = (policy_file, &policy.text) {
        let lines = LineIndex::new(text);
        for (id, setting) in &policy.rules {
            if setting.ignore.is_empty()
                || matches!(setting.level, Some(crate::config::LevelSetting::Off))
            {
                continue;
            }
            for pattern in setting.ignore.patterns() {
                let Ok(one) = PathGlobs::new(&[pattern]) else {
                    continue;
                };
                if ignored.iter().any(|(r, p)| r == id && one.is_match(p)) {
                    continue;
                }
                let mut w = Witness::file(shown)
                    .var(
                        "detail",
                        format!("the ignore glob `{pattern}` of rule `{id}` matches no finding; remove it"),
                    )
                    .anchored(format!("ignore {id} {pattern}"));
                let span = &setting.key_span;
                if span.end <= text.len() {
                    let mut region = lines.region(text, span.start, span.end);
                    region.bytes = None;
                    w.region = Some(region);
                }
                facts_unused.push(w);
            }
        }
    }
    if facts_invalid.is_empty() && facts_unused.is_empty() {
        return;
    }
    findings.extend(policy::tool_findings(
        rules,
        facts,
        policy,
        INVALID,
        facts_invalid,
    ));
    findings.extend(policy::tool_findings(
        rules,
        facts,
        policy,
        UNUSED,
        facts_unused,
    ));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    policy::number_fingerprints(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_forms() {
        let text = "# Card\n\n<!-- modelgate-disable card/x: reviewed -->\n\n## Limits\n\ntext\n\n### Sub\n\nmore\n\n## Next\n\nline <!-- modelgate-disable a/b, c/d: why -->\n<!-- modelgate-disable-file e/f: all -->\n<!-- modelgate-disable g/h -->\n```\n<!-- modelgate-disable i/j: in code -->\n```\n";
        let d = parse("README.md", text);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert_eq!(d[0].rules, ["card/x"]);
        assert_eq!(d[0].reason.as_deref(), Some("reviewed"));
        assert_eq!(d[0].scope, Scope::Lines(5, 12));
        assert_eq!(d[1].rules, ["a/b", "c/d"]);
        assert_eq!(d[1].scope, Scope::Lines(15, 15));
        assert_eq!(d[2].scope, Scope::File);
        assert_eq!(d[3].reason, None);
        assert_eq!(&text[d[1].range.0..d[1].range.1], d[1].comment);
    }

    #[test]
    fn yaml_and_toml_forms() {
        let text = "---\n# modelgate-disable card/x: fine\nlanguage:\n  - en\n  - xx\nlicense: mit # modelgate-disable y/z: ok\n---\n# Title\n";
        let d = parse("README.md", text);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].scope, Scope::Lines(3, 5));
        assert_eq!(d[1].scope, Scope::Lines(6, 6));
        let toml = "# modelgate-disable a/b: why\n[rules]\nx = 1\n\n[scan]\n";
        let d = parse("modelgate.toml", toml);
        assert_eq!(d[0].scope, Scope::Lines(2, 4));
    }
}
