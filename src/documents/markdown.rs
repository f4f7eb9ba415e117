//! Markdown sections by heading, with byte ranges, plain text and heading groups.

use super::headings;
use crate::text::word_count;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// How a card says a topic: which form of evidence a [`Section`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A Markdown heading and what it holds.
    Heading,
    /// A bold label or a definition line (`**Out-of-scope** ...`, `License: MIT`) and what
    /// follows it.
    Label,
    /// A table row whose first cell names the topic.
    Row,
    /// Content that can only be that topic: a BibTeX entry, a table of scores, a code block
    /// that runs the model, an emissions figure, a sentence of intended or excluded use.
    Content,
}

impl Form {
    /// How the form is named in messages ("no heading, label or paragraph about ...").
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Heading => "heading",
            Form::Label => "label",
            Form::Row => "table row",
            Form::Content => "paragraph",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The heading as written (inline markup removed); for other forms, the label, the first
    /// cell, or what the content is ("a BibTeX entry").
    pub heading: String,
    pub form: Form,
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
    /// The body holds a table, a code block or a list of figures: a length minimum does not
    /// apply to it.
    pub structured: bool,
}

impl Section {
    pub fn is_heading(&self) -> bool {
        self.form == Form::Heading
    }
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
    // "- **Developed by:** [More Information Needed]": a label whose value is a placeholder
    // says nothing; the label goes with it
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .map(|line| {
            let stripped = strip_placeholder_words(line);
            let rest = stripped
                .trim()
                .trim_matches(|c: char| matches!(c, '-' | '*' | '_' | '+' | ' '));
            let label = rest.trim_end_matches(['*', '_', ' ']);
            if stripped.trim() != line.trim().to_lowercase()
                && (label.ends_with(':') || label.ends_with('：'))
                && label.split_whitespace().count() <= 4
            {
                "\n".to_string()
            } else {
                stripped
            }
        })
        .collect();
    lines.concat()
}

fn strip_placeholder_words(text: &str) -> String {
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

/// A block of the body that may carry a topic: a paragraph or list item, a table, a code block.
struct Block {
    kind: BlockKind,
    range: Range<usize>,
    text: String,
    /// A bold run that opens a paragraph or item: its text and range.
    label: Option<(String, Range<usize>)>,
    /// The text before the first bold run, to tell an opening label from a bold word later on.
    lead: bool,
    /// Table rows: cells' text, first row first.
    rows: Vec<(Range<usize>, Vec<String>)>,
    /// The block holds a link.
    links: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Para,
    Table,
    Code,
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
    let mut blocks: Vec<Block> = Vec::new();
    // open paragraphs and items, innermost last; a table or code block is one block
    let mut open: Vec<Block> = Vec::new();
    let mut strong: Option<(usize, String)> = None;
    let mut row: Option<(Range<usize>, Vec<String>)> = None;
    let mut cell = String::new();
    let new_block = |kind, range: Range<usize>| Block {
        kind,
        range,
        text: String::new(),
        label: None,
        lead: false,
        rows: Vec::new(),
        links: false,
    };
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
            Event::Start(Tag::Paragraph | Tag::Item) => {
                open.push(new_block(BlockKind::Para, range));
            }
            Event::Start(Tag::Table(_)) => {
                open.push(new_block(BlockKind::Table, range));
            }
            Event::Start(Tag::CodeBlock(_)) => open.push(new_block(BlockKind::Code, range)),
            Event::Start(Tag::TableHead | Tag::TableRow) => row = Some((range, Vec::new())),
            Event::End(TagEnd::TableCell) => {
                if let Some((_, cells)) = row.as_mut() {
                    cells.push(std::mem::take(&mut cell).trim().to_string());
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let (Some(r), Some(b)) = (row.take(), open.last_mut()) {
                    b.rows.push(r);
                }
            }
            Event::Start(Tag::Link { .. }) => {
                if let Some(b) = open.last_mut() {
                    b.links = true;
                }
            }
            Event::Start(Tag::Strong) => {
                if let Some(b) = open.last() {
                    if b.kind == BlockKind::Para && !b.lead && b.label.is_none() {
                        strong = Some((range.start, String::new()));
                    }
                }
            }
            Event::End(TagEnd::Strong) => {
                if let (Some((start, t)), Some(b)) = (strong.take(), open.last_mut()) {
                    b.label = Some((t.trim().to_string(), start..range.end));
                    b.lead = true;
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Table | TagEnd::CodeBlock) => {
                runs.push((range.end.saturating_sub(1), "\n".into()));
                if let Some(b) = open.pop() {
                    if let Some(parent) = open.last_mut() {
                        parent.text.push_str(&b.text);
                        parent.text.push('\n');
                        parent.lead = true;
                    }
                    blocks.push(b);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_metadata {
                    continue;
                }
                if let Some((_, _, title)) = in_heading.as_mut() {
                    title.push_str(&t);
                    continue;
                }
                if let Some((_, s)) = strong.as_mut() {
                    s.push_str(&t);
                } else if let Some(b) = open.last_mut() {
                    if !t.trim().is_empty() {
                        b.lead = true;
                    }
                }
                if row.is_some() {
                    cell.push_str(&t);
                }
                if let Some(b) = open.last_mut() {
                    b.text.push_str(&t);
                }
                runs.push((range.start, t.into_string()));
            }
            Event::SoftBreak | Event::HardBreak if in_heading.is_none() => {
                if let Some(b) = open.last_mut() {
                    b.text.push(' ');
                }
                runs.push((range.start, " ".into()));
            }
            _ => {}
        }
    }
    blocks.sort_by_key(|b| b.range.start);

    let mut out: Vec<Section> = Vec::with_capacity(heads.len());
    for (i, h) in heads.iter().enumerate() {
        let end = heads[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| n.range.start)
            .unwrap_or(text.len());
        out.push(Section {
            heading: h.title.clone(),
            form: Form::Heading,
            level: h.level,
            heading_range: trim_range(text, h.range.clone()),
            range: h.range.start..end,
            groups: headings::groups_of(&h.title),
            text: String::new(),
            words: 0,
            placeholder: true,
            structured: false,
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
        out[i].structured = blocks.iter().any(|b| {
            b.range.start >= body_start
                && b.range.start < end
                && !excluded.iter().any(|r| r.contains(&b.range.start))
                && is_structured(b)
        });
        out[i].text = body;
    }
    let first_h2 = heads
        .iter()
        .find(|h| h.level >= 2)
        .map_or(text.len(), |h| h.range.start);
    let evidence = evidence_sections(text, &blocks, &heads_ends(&out), first_h2);
    out.extend(evidence);
    out
}

/// Where each heading section's range ends, for labels that run to the next heading.
fn heads_ends(sections: &[Section]) -> Vec<usize> {
    let mut v: Vec<usize> = sections.iter().map(|s| s.range.start).collect();
    v.sort_unstable();
    v
}

/// A table, a code block, or a list whose items are mostly figures.
fn is_structured(b: &Block) -> bool {
    matches!(b.kind, BlockKind::Table | BlockKind::Code)
}

/// The sections other than headings: labels, table rows and content signals.
fn evidence_sections(
    text: &str,
    blocks: &[Block],
    heading_starts: &[usize],
    first_h2: usize,
) -> Vec<Section> {
    let mut out = Vec::new();
    let next_heading = |from: usize| {
        let i = heading_starts.partition_point(|s| *s <= from);
        heading_starts.get(i).copied().unwrap_or(text.len())
    };
    let labels: Vec<usize> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Para && label_of(b).is_some())
        .map(|b| b.range.start)
        .collect();
    let mut opening_seen = false;
    for b in blocks {
        match b.kind {
            BlockKind::Para => {
                if let Some((label, label_range, body)) = label_of(b) {
                    let mut groups = headings::label_groups(&label);
                    if !groups.is_empty() {
                        // a label holds what follows it up to the next label or heading
                        let stop = next_heading(b.range.start).min(
                            labels
                                .iter()
                                .copied()
                                .find(|s| *s > b.range.start)
                                .unwrap_or(text.len()),
                        );
                        let range = b.range.start..stop.max(b.range.end);
                        let tail: String = blocks
                            .iter()
                            .filter(|x| x.range.start > b.range.end && x.range.start < range.end)
                            .map(|x| x.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" ");
                        let body = format!("{body} {tail}");
                        let structured = blocks.iter().any(|x| {
                            x.range.start > b.range.start
                                && x.range.start < range.end
                                && is_structured(x)
                        });
                        // a "training data:" label over a command is a tutorial's sample data,
                        // not what the model was trained on
                        let commands = blocks.iter().any(|x| {
                            x.kind == BlockKind::Code
                                && x.range.start > b.range.start
                                && x.range.start < range.end
                        });
                        if commands {
                            groups.retain(|g| *g != "training-data");
                        }
                        push(
                            &mut out,
                            Form::Label,
                            label,
                            label_range,
                            range,
                            groups,
                            body,
                            structured,
                        );
                    }
                }
                if b.range.start < first_h2 && !opening_seen && b.text.trim().len() > 1 {
                    opening_seen = true;
                    if describes_the_model(&b.text) {
                        push_content(&mut out, text, b, "model-details", "the opening paragraph");
                    }
                }
                for (group, what) in prose_topics(&b.text, b.links) {
                    push_content(&mut out, text, b, group, what);
                }
            }
            BlockKind::Table => {
                for (r, cells) in &b.rows {
                    let Some(first) = cells.first() else { continue };
                    let groups = headings::label_groups(first);
                    let rest = cells[1..].join(" ");
                    if !groups.is_empty()
                        && !rest.trim().is_empty()
                        && first.split_whitespace().count() <= 6
                    {
                        push(
                            &mut out,
                            Form::Row,
                            first.clone(),
                            trim_range(text, r.clone()),
                            r.clone(),
                            groups,
                            rest,
                            true,
                        );
                    }
                }
                if is_score_table(&b.rows) {
                    push_content(&mut out, text, b, "evaluation", "a table of scores");
                }
            }
            BlockKind::Code => {
                let what = if bibtex().is_match(&b.text) {
                    Some(("citation", "a BibTeX entry"))
                } else if runs_the_model().is_match(&b.text) {
                    Some(("getting-started", "a code block that runs the model"))
                } else {
                    None
                };
                if let Some((group, what)) = what {
                    push_content(&mut out, text, b, group, what);
                }
            }
        }
    }
    out
}

/// Content that can only be `group`, over a whole block: found at the block's first line.
fn push_content(out: &mut Vec<Section>, text: &str, b: &Block, group: &'static str, what: &str) {
    push(
        out,
        Form::Content,
        what.to_string(),
        first_line(text, b.range.clone()),
        b.range.clone(),
        vec![group],
        b.text.clone(),
        is_structured(b),
    );
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut Vec<Section>,
    form: Form,
    heading: String,
    heading_range: Range<usize>,
    range: Range<usize>,
    groups: Vec<&'static str>,
    body: String,
    structured: bool,
) {
    let words = word_count(&strip_placeholders(&body));
    if words == 0 || groups.is_empty() {
        return;
    }
    out.push(Section {
        heading,
        form,
        level: 7,
        heading_range,
        range,
        groups,
        text: body,
        words,
        placeholder: false,
        structured,
    });
}

/// The first line of a block, where a finding about it points.
fn first_line(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let n = s.find('\n').unwrap_or(s.len());
    r.start..r.start + s[..n].trim_end_matches('\r').len()
}

/// A paragraph's opening label: a bold run that starts it (`**Out-of-scope** ...`), or a
/// short definition (`License: MIT`, `许可证：MIT`). The label, its range and the rest.
fn label_of(b: &Block) -> Option<(String, Range<usize>, String)> {
    if let Some((label, range)) = &b.label {
        let label = label
            .trim()
            .trim_end_matches([':', '：'])
            .trim()
            .to_string();
        let words = label.split_whitespace().count();
        if !label.is_empty() && words <= 8 {
            let body = b.text.replacen(label.as_str(), "", 1);
            let body = body
                .trim_start()
                .trim_start_matches([':', '：'])
                .to_string();
            return Some((label, range.clone(), body));
        }
    }
    let line = b.text.lines().next().unwrap_or("");
    let colon = line.find([':', '：'])?;
    let (label, rest) = line.split_at(colon);
    let label = label.trim();
    let rest_all = &b.text[colon..];
    let rest_all = rest_all.trim_start_matches([':', '：']).trim();
    let words = label.split_whitespace().count();
    let cjk = label.chars().filter(|c| crate::text::is_cjk(*c)).count();
    if label.is_empty() || rest.len() <= 1 || rest_all.is_empty() || words > 4 || cjk > 8 {
        return None;
    }
    // a label is words: not a flag, a path, a call or a sentence with a colon in it
    if !label
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '&' || c == '/')
    {
        return None;
    }
    let range = b.range.start..b.range.start + colon;
    Some((label.to_string(), range, rest_all.to_string()))
}

fn bibtex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?m)^\s*@[A-Za-z]+\s*\{\s*[^,\s]*,").expect("valid regex"))
}

/// A command or call that loads or runs a model.
fn runs_the_model() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"from_pretrained\s*\(|\bpipeline\s*\(|\.generate\s*\(|\bvllm\s+serve\b|",
            r"sglang\.launch_server|\bollama\s+run\b|\bllama-cli\b|\btorchrun\b|",
            r"\baccelerate\s+launch\b|(?:huggingface-cli|\bhf)\s+download\b|",
            r"(?m)^\s*(?:\$\s*)?python3?\s+(?:-m\s+\S+|\S+\.py)|\bdocker\s+run\b|",
            r"\bload_model\s*\(|\bload_checkpoint\s*\(|\bpip3?\s+install\b"
        ))
        .expect("valid regex")
    })
}

/// A table whose cells past the first column are mostly figures: results.
fn is_score_table(rows: &[(Range<usize>, Vec<String>)]) -> bool {
    let body = rows.iter().skip(1);
    let mut numbers = 0;
    let mut cells = 0;
    for (_, r) in body {
        for c in r.iter().skip(1) {
            let t = c.trim();
            if t.is_empty() || t == "-" {
                continue;
            }
            cells += 1;
            // a score has a fraction or a percent sign; a count or a stage number does not
            let head = c.split_whitespace().next().unwrap_or("");
            let figure = head.trim_end_matches('%').replace(['*', ','], "");
            if figure.parse::<f64>().is_ok() && (figure.contains('.') || head.ends_with('%')) {
                numbers += 1;
            }
        }
    }
    rows.len() >= 2 && numbers >= 3 && numbers * 2 >= cells
}

/// An opening paragraph that says what the model is.
fn describes_the_model(text: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:models?|parameters|architecture|transformer|checkpoints?|weights|trained|fine-tuned|LLMs?)\b|模型|参数|架构|训练",
        )
        .expect("valid regex")
    });
    word_count(text) >= 15 && r.is_match(text)
}

/// Topics a sentence can only be about: what the model is for, what it must not be used
/// for, its limits (each in a sentence that names the model), the emissions of training.
fn prose_topics(text: &str, links: bool) -> Vec<(&'static str, &'static str)> {
    struct Topic {
        group: &'static str,
        what: &'static str,
        about_the_model: bool,
        pattern: Regex,
    }
    // "we train on ... [the data](link)": training data named in a training context, with a
    // link to it; a token count or a benchmark list is not a disclosure
    static TRAINED_ON: OnceLock<Regex> = OnceLock::new();
    let trained_on = TRAINED_ON.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\bwe\s+(?:pre-?)?train(?:ed)?\s+(?:(?:the|our|it|them|models?)\s+)?on\b|",
            r"\b(?:models?|LLMs?|it)\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:pre-?)?(?:trained|fine-?tuned)\s+on\b|",
            r"\b(?:pre-?)?training\s+(?:data|dataset|datasets|corpus|mix)\s+(?:is|are|was|were|consists?|includes?|comprises?)\b|",
            r"(?:预)?训练数据(?:包括|来自|为|是|由)|在[^。]{1,40}上(?:进行)?(?:预)?训练"
        ))
        .expect("valid regex")
    });
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    // "the dataset the model was trained on contains ...": the data is named before, not after
    let names_the_data = |m: regex::Match| {
        let next = text[m.end()..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        !matches!(
            next.trim_matches(|c: char| !c.is_alphanumeric()),
            "contains" | "contain" | "is" | "was" | "are" | "were" | "has" | "have" | "includes"
        )
    };
    if links && trained_on.find_iter(text).any(names_the_data) {
        out.push((
            "training-data",
            "a sentence that names and links the training data",
        ));
    }
    static R: OnceLock<(Vec<Topic>, Regex)> = OnceLock::new();
    let (table, model) = R.get_or_init(|| {
        let topics = [
            (
                "out-of-scope-use",
                "a sentence on uses that are excluded",
                true,
                r"(?i)\bnot\s+(?:be\s+)?(?:intended|designed|suitable|appropriate|meant)\s+(?:for|to\s+be\s+used)\b|\b(?:must|should|may)\s+not\s+be\s+used\b|\bnot\s+to\s+use\b|\bprohibited\s+(?:uses?|from)\b|不得|禁止|请勿|不要(?:将|把|利用|使用)|不应(?:被)?用于",
            ),
            (
                "intended-use",
                "a sentence on what the model is for",
                true,
                r"(?i)\b(?:models?|LLMs?)\s+(?:(?:is|are|was|were|has\s+been|have\s+been)\s+)?(?:primarily\s+|mainly\s+|specifically\s+)?(?:intended|designed|meant|built|developed)\s+(?:for|to|as)\b|\bwith\s+the\s+(?:explicit\s+)?purpose\s+of\b|\b(?:primary|intended)\s+(?:use|uses|users|purpose)\b|模型(?:主要|可以|可)?(?:适用于|用于|面向|旨在)",
            ),
            (
                "limitations",
                "a sentence on the model's limits",
                true,
                r"(?i)\blimitations?\b|\bhallucinat\w*|\b(?:may|can|might)\s+(?:produce|generate|output)\s+(?:\w+\s+){0,3}(?:inaccurate|incorrect|harmful|biased|offensive|false|misleading)\b|局限|幻觉|可能(?:会)?(?:产生|生成)(?:不准确|错误|有害|带有偏见)",
            ),
            (
                "environmental-impact",
                "an emissions or energy figure",
                false,
                r"(?i)\bt?CO2(?:eq|e)?\b|CO₂|\b\d[\d.,]*\s*(?:[kMG]Wh|GPU[- ]hours?)\b|\bGPU[- ]hours?\b|carbon\s+(?:emissions|footprint)|碳排放",
            ),
        ]
        .into_iter()
        .filter_map(|(group, what, about_the_model, p)| {
            Regex::new(p).ok().map(|pattern| Topic {
                group,
                what,
                about_the_model,
                pattern,
            })
        })
        .collect();
        let model = Regex::new(r"(?i)\b(?:models?|LLMs?)\b|模型").expect("valid regex");
        (topics, model)
    });
    for sentence in text.split_inclusive(['.', '!', '?', '。', '！', '？', '\n']) {
        let mut excluded = false;
        for t in table {
            let hit =
                t.pattern.is_match(sentence) && (!t.about_the_model || model.is_match(sentence));
            // "do not use the model for X" names X as out of scope, not as a use
            if t.group == "out-of-scope-use" {
                excluded = hit;
            }
            if !hit || (excluded && t.group == "intended-use") {
                continue;
            }
            if !out.iter().any(|(g, _)| *g == t.group) {
                out.push((t.group, t.what));
            }
        }
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
