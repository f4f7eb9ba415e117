//! YAML front matter as a tree in which every key and value keeps its byte span.
//! Parsed with serde-saphyr under a tight budget (no billion laughs, no deep nesting).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::ops::Range;

/// Front matter larger than this is not parsed.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Byte range in the document's text (the scalar's text, or the collection's first token).
    pub span: Range<usize>,
    /// The scalar as written, for plain scalars that YAML 1.1 would read as something else
    /// (`language: no` is Norwegian, not `false`).
    pub raw: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn key(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.name == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The value as text when it is a scalar (numbers and booleans as written).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => Some(
                self.raw
                    .clone()
                    .unwrap_or_else(|| self.type_name().to_string()),
            ),
            _ => None,
        }
    }

    /// Scalars, or the scalars of a sequence: `license: mit` and `license: [mit]` alike.
    pub fn texts(&self) -> Vec<(String, Range<usize>)> {
        match &self.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|n| n.as_text().map(|t| (t, n.span.clone())))
                .collect(),
            Value::Null => vec![],
            _ => self
                .as_text()
                .map(|t| vec![(t, self.span.clone())])
                .unwrap_or_default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            Value::Seq(v) => v.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// What the deserializer builds: spans relative to the YAML text.
#[derive(Debug)]
enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<String>, Spanned<RawValue>)>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RawValue, D2::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
                Ok(i64::try_from(v)
                    .map(RawValue::Int)
                    .unwrap_or(RawValue::Float(v as f64)))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
                Ok(RawValue::Float(v as f64))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
                Ok(RawValue::Float(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<RawValue, E> {
                Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(RawValue::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<Spanned<KeyText>>()? {
                    let val = a.next_value()?;
                    v.push((
                        Spanned {
                            value: k.value.0,
                            referenced: k.referenced,
                            defined: k.defined,
                        },
                        val,
                    ));
                }
                Ok(RawValue::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Keys may be written as numbers or booleans (`2023: ...`, `yes: ...`): keep them as text.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<KeyText, E> {
                Ok(KeyText(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText("null".into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("a list cannot be a mapping key"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<KeyText, A::Error> {
                Err(de::Error::custom("a mapping cannot be a mapping key"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A front matter that could not be parsed: why, and where (byte offset in the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub offset: usize,
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 50_000;
    budget.max_aliases = 200;
    budget.max_anchors = 200;
    budget.max_depth = 48;
    budget.max_events = 200_000;
    budget.max_documents = 1;
    budget.max_recorded_anchor_bytes = 256 * 1024;
    budget.max_total_scalar_bytes = 4 * MAX_FRONT_MATTER;
    budget.alias_anchor_min_aliases = 20;
    let mut o = serde_saphyr::Options::default();
    o.budget = Some(budget);
    o.strict_booleans = true;
    o
}

/// Parses `yaml`, which starts at byte `base` of the document `doc`.
pub fn parse(doc: &str, yaml: &str, base: usize) -> Result<Option<Node>, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(None);
    }
    match serde_saphyr::from_str_with_options::<Spanned<RawValue>>(yaml, options()) {
        Ok(v) => Ok(Some(convert(doc, yaml, base, v))),
        Err(e) => {
            let offset = e
                .location()
                .and_then(|l| l.span().byte_offset())
                .map(|o| o as usize)
                .or_else(|| {
                    e.location()
                        .map(|l| offset_of(yaml, l.line() as usize, l.column() as usize))
                })
                .unwrap_or(0);
            Err(YamlError {
                message: short_message(&e.to_string()),
                offset: base + offset.min(yaml.len()),
            })
        }
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return off
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map(|(b, _)| b)
                    .unwrap_or(0);
        }
        off += l.len();
    }
    off
}

/// The first line of serde-saphyr's message, without its "error: line x column y:" prefix
/// (we print our own location) and with budget jargon said plainly.
fn short_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or(full).trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    let msg = match first.find(": ") {
        Some(i) if first[..i].starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    if msg.contains("budget breached") {
        if msg.contains("Depth") {
            return "the front matter is nested too deeply (more than 48 levels)".into();
        }
        if msg.contains("Alias")
            || msg.contains("Nodes")
            || msg.contains("Anchor")
            || msg.contains("Events")
        {
            return "the front matter expands to too many values (an alias bomb?); it was not read"
                .into();
        }
        return format!("the front matter is too large to read ({msg})");
    }
    if msg.contains("recursion limit") {
        return "the front matter is nested too deeply".into();
    }
    msg.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(msg)
        .to_string()
}

fn span_of(loc: &serde_saphyr::Location, yaml: &str, base: usize) -> Range<usize> {
    let s = loc.span();
    match (s.byte_offset(), s.byte_len()) {
        (Some(o), Some(l)) => {
            let o = (o as usize).min(yaml.len());
            base + o..base + (o + l as usize).min(yaml.len())
        }
        _ => {
            let o = offset_of(yaml, loc.line() as usize, loc.column() as usize);
            base + o..base + o
        }
    }
}

fn convert(doc: &str, yaml: &str, base: usize, v: Spanned<RawValue>) -> Node {
    let span = span_of(&v.referenced, yaml, base);
    let raw = |span: &Range<usize>| doc.get(span.clone()).map(str::to_string);
    let (value, raw) = match v.value {
        RawValue::Null => (Value::Null, None),
        RawValue::Bool(b) => (Value::Bool(b), raw(&span)),
        RawValue::Int(i) => (Value::Int(i), raw(&span)),
        RawValue::Float(f) => (Value::Float(f), raw(&span)),
        RawValue::Str(s) => (Value::Str(s), None),
        RawValue::Seq(items) => (
            Value::Seq(
                items
                    .into_iter()
                    .map(|i| convert(doc, yaml, base, i))
                    .collect(),
            ),
            None,
        ),
        RawValue::Map(entries) => (
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let kspan = span_of(&k.referenced, yaml, base);
                        (
                            Key {
                                name: k.value,
                                span: kspan,
                            },
                            convert(doc, yaml, base, v),
                        )
                    })
                    .collect(),
            ),
            None,
        ),
    };
    Node { value, span, raw }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_into_the_document() {
        let doc = "---\nlicense: mit\nlanguage:\n- en\n- no\n---\n";
        let yaml = &doc[4..doc.len() - 4];
        let n = parse(doc, yaml, 4).unwrap().unwrap();
        let (k, v) = n.key("license").unwrap();
        assert_eq!(&doc[k.span.clone()], "license");
        assert_eq!(&doc[v.span.clone()], "mit");
        let langs = n.get("language").unwrap().texts();
        assert_eq!(langs[1].0, "no");
        assert_eq!(&doc[langs[1].1.clone()], "no");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut y = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, c) in "bcdefghi".chars().enumerate() {
            let prev = (b'a' + i as u8) as char;
            y.push_str(&format!(
                "{c}: &{c} [{}]\n",
                vec![format!("*{prev}"); 9].join(",")
            ));
        }
        // refused by the budget (not by running out of memory); speed belongs to bench/
        let e = parse(&y, &y, 0).unwrap_err();
        assert!(e.message.contains("too many values"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = "[".repeat(10_000);
        assert!(parse(&y, &y, 0).is_err());
        let y: String = (0..200).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        let e = parse(&y, &y, 0).unwrap_err();
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_and_syntax_errors_have_offsets() {
        let y = "a: 1\na: 2\n";
        let e = parse(y, y, 0).unwrap_err();
        assert!(e.message.contains("duplicate"), "{}", e.message);
        assert_eq!(e.offset, 5);
        let y = "a: [1, 2\nb: c\n";
        assert!(parse(y, y, 0).is_err());
    }
}
