//! Markdown sections by heading, with byte ranges, plain text and heading groups.

use super::headings;
use crate::text::word_count;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Section {
    /// The heading as written (inline markup removed).
    pub heading: String,
    pub level: u8,
    /// The heading line.
    pub heading_range: Range<usize>,
    /// Heading to the next heading of the same or a higher level.
    pub range: Range<usize>,
    /// Groups from headings.toml this heading belongs to.
    pub groups: Vec<&'static str>,
    /// Plain text of the section body, without subsections that belong to other groups.
    pub text: String,
    /// Words in `text`, placeholders removed.
    pub words: usize,
    /// The body holds nothing but placeholder text (or nothing at all).
    pub placeholder: bool,
}

/// Common template placeholders: a section holding only these counts as missing.
const PLACEHOLDERS: &[&str] = &[
    "[more information needed]",
    "more information needed",
    "[needs more information]",
    "needs more information",
    "[optional]",
    "todo",
    "tbd",
    "tba",
    "to be determined",
    "to be added",
    "to be announced",
    "coming soon",
    "lorem ipsum",
    "fill in",
    "n/a",
    "待补充",
    "待定",
    "待完善",
    "敬请期待",
    "暂无",
];

fn template_var() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"\{\{[^}]*\}\}|\[(?:[A-Za-z ]{0,40}(?:name|link|here|insert|your)[A-Za-z ]{0,40})\]",
        )
        .expect("valid regex")
    })
}

/// Removes template placeholders and variables; what remains is the real content.
pub fn strip_placeholders(text: &str) -> String {
    let mut t = template_var().replace_all(text, " ").to_lowercase();
    for p in PLACEHOLDERS {
        // whole-word for Latin placeholders: "todo" is not removed from "todos"
        if p.is_ascii() {
            let mut out = String::with_capacity(t.len());
            let mut rest = t.as_str();
            while let Some(i) = rest.find(p) {
                let before_ok = rest[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = rest[i + p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                out.push_str(&rest[..i]);
                if before_ok && after_ok {
                    out.push(' ');
                } else {
                    out.push_str(p);
                }
                rest = &rest[i + p.len()..];
            }
            out.push_str(rest);
            t = out;
        } else {
            t = t.replace(p, " ");
        }
    }
    t
}

/// Parses a Markdown body. `text` is the whole document (front matter included, which the
/// parser skips as a metadata block).
pub fn sections(text: &str) -> Vec<Section> {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    opts.insert(Options::ENABLE_TABLES);
    let parser = Parser::new_ext(text, opts).into_offset_iter();

    struct Head {
        level: u8,
        range: Range<usize>,
        title: String,
    }
    let mut heads: Vec<Head> = Vec::new();
    let mut runs: Vec<(usize, String)> = Vec::new();
    let mut in_heading: Option<(u8, Range<usize>, String)> = None;
    let mut in_metadata = false;
    for (event, range) in parser {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some((heading_level(level), range, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, title)) = in_heading.take() {
                    heads.push(Head {
                        level,
                        range,
                        title: title.trim().to_string(),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_metadata {
                    continue;
                }
                if let Some((_, _, title)) = in_heading.as_mut() {
                    title.push_str(&t);
                } else {
                    runs.push((range.start, t.into_string()));
                }
            }
            Event::SoftBreak | Event::HardBreak if in_heading.is_none() => {
                runs.push((range.start, " ".into()));
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => {
                runs.push((range.end.saturating_sub(1), "\n".into()));
            }
            _ => {}
        }
    }

    let mut out: Vec<Section> = Vec::with_capacity(heads.len());
    for (i, h) in heads.iter().enumerate() {
        let end = heads[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| n.range.start)
            .unwrap_or(text.len());
        out.push(Section {
            heading: h.title.clone(),
            level: h.level,
            heading_range: trim_range(text, h.range.clone()),
            range: h.range.start..end,
            groups: headings::groups_of(&h.title),
            text: String::new(),
            words: 0,
            placeholder: true,
        });
    }
    // body text: the section's runs minus subsections that belong to other groups
    for i in 0..out.len() {
        let body_start = out[i].heading_range.end;
        let end = out[i].range.end;
        let excluded: Vec<Range<usize>> = out
            .iter()
            .enumerate()
            .filter(|(j, s)| {
                *j != i
                    && s.range.start >= body_start
                    && s.range.end <= end
                    && !s.groups.is_empty()
                    && !s.groups.iter().any(|g| out[i].groups.contains(g))
            })
            .map(|(_, s)| s.range.clone())
            .collect();
        let mut body = String::new();
        let first = runs.partition_point(|(o, _)| *o < body_start);
        for (o, t) in &runs[first..] {
            if *o >= end {
                break;
            }
            if excluded.iter().any(|r| r.contains(o)) {
                continue;
            }
            body.push_str(t);
        }
        let stripped = strip_placeholders(&body);
        out[i].words = word_count(&stripped);
        out[i].placeholder = out[i].words == 0;
        out[i].text = body;
    }
    out
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A heading's range without its trailing line break (setext headings keep their underline).
fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let trimmed = s.trim_end_matches(['\n', '\r']);
    // for ATX headings, point at the heading line only
    let first_line = trimmed.split('\n').next().unwrap_or(trimmed);
    let len = if first_line.trim_start().starts_with('#') {
        first_line.len()
    } else {
        trimmed.len()
    };
    r.start..r.start + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_groups() {
        let doc = "---\nlicense: mit\n---\n# Model\n\n## Uses\n\nFor chat assistants in English.\n\n### Out-of-Scope Use\n\nNot for medical advice.\n\n## Training Data\n\n[More Information Needed]\n\n## 偏见、风险与局限性\n\n模型可能产生偏见。\n";
        let s = sections(doc);
        let names: Vec<_> = s
            .iter()
            .map(|s| (s.heading.as_str(), s.groups.clone()))
            .collect();
        assert_eq!(names[1], ("Uses", vec!["intended-use"]));
        assert_eq!(names[2], ("Out-of-Scope Use", vec!["out-of-scope-use"]));
        assert_eq!(names[3], ("Training Data", vec!["training-data"]));
        assert_eq!(names[4].1, vec!["limitations"]);
        // the out-of-scope subsection is not counted as intended use
        assert_eq!(s[1].words, 5);
        assert!(s[3].placeholder);
        assert_eq!(s[4].words, 8);
        assert_eq!(&doc[s[3].heading_range.clone()], "## Training Data");
    }

    #[test]
    fn placeholders() {
        assert_eq!(
            word_count(&strip_placeholders("TODO: {{ model_name }} TBD")),
            0
        );
        assert_eq!(word_count(&strip_placeholders("todos remain")), 2);
        assert_eq!(word_count(&strip_placeholders("待补充")), 0);
    }
}
