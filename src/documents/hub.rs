//! Card front matter checked offline against the Hugging Face Hub's metadata conventions.

use super::yaml::{Node, Value};
use crate::licenses;
use crate::text::suggest;
use std::ops::Range;

/// What kind of problem: decides which rule reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKind {
    /// A value the Hub rejects or misreads (wrong type, unknown licence id, bad model-index).
    Invalid,
    /// A language that is not an ISO 639 code.
    Language,
    /// A key that is probably a misspelling of a known key.
    Typo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaProblem {
    pub kind: MetaKind,
    pub span: Range<usize>,
    pub message: String,
    pub fix: String,
    /// The exact text that fixes the value, when the fix is certain.
    pub replacement: Option<String>,
}

pub const MODEL_KEYS: &[&str] = &[
    "language",
    "license",
    "license_name",
    "license_link",
    "library_name",
    "tags",
    "datasets",
    "metrics",
    "base_model",
    "base_model_relation",
    "pipeline_tag",
    "model-index",
    "model_name",
    "inference",
    "widget",
    "thumbnail",
    "co2_eq_emissions",
    "new_version",
    "pretty_name",
    "extra_gated_prompt",
    "extra_gated_fields",
    "extra_gated_heading",
    "extra_gated_description",
    "extra_gated_button_content",
    "extra_gated_eu_disallowed",
    "model_creator",
    "model_type",
    "quantized_by",
    "prompt_template",
    "language_details",
    "paper",
    "arxiv",
    "gated",
    "mask_token",
];

pub const DATASET_KEYS: &[&str] = &[
    "annotations_creators",
    "language_creators",
    "language",
    "language_details",
    "license",
    "license_name",
    "license_link",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
    "paperswithcode_id",
    "pretty_name",
    "configs",
    "dataset_info",
    "tags",
    "viewer",
    "train-eval-index",
    "extra_gated_prompt",
    "extra_gated_fields",
    "extra_gated_heading",
    "extra_gated_description",
    "extra_gated_button_content",
    "extra_gated_eu_disallowed",
    "thumbnail",
];

/// Keys only dataset cards have: a README.md with one of these is a dataset card.
pub const DATASET_ONLY_KEYS: &[&str] = &[
    "annotations_creators",
    "language_creators",
    "multilinguality",
    "size_categories",
    "source_datasets",
    "task_categories",
    "task_ids",
    "paperswithcode_id",
    "configs",
    "dataset_info",
    "train-eval-index",
];

const PIPELINE_TAGS: &[&str] = &[
    "text-classification",
    "token-classification",
    "table-question-answering",
    "question-answering",
    "zero-shot-classification",
    "translation",
    "summarization",
    "feature-extraction",
    "text-generation",
    "text2text-generation",
    "fill-mask",
    "sentence-similarity",
    "text-ranking",
    "text-to-speech",
    "text-to-audio",
    "automatic-speech-recognition",
    "audio-to-audio",
    "audio-classification",
    "audio-text-to-text",
    "voice-activity-detection",
    "depth-estimation",
    "image-classification",
    "object-detection",
    "image-segmentation",
    "text-to-image",
    "image-to-text",
    "image-to-image",
    "image-to-video",
    "unconditional-image-generation",
    "video-classification",
    "reinforcement-learning",
    "robotics",
    "tabular-classification",
    "tabular-regression",
    "tabular-to-text",
    "table-to-text",
    "multiple-choice",
    "text-retrieval",
    "time-series-forecasting",
    "text-to-video",
    "image-text-to-text",
    "visual-question-answering",
    "document-question-answering",
    "zero-shot-image-classification",
    "graph-ml",
    "mask-generation",
    "zero-shot-object-detection",
    "text-to-3d",
    "image-to-3d",
    "image-feature-extraction",
    "video-text-to-text",
    "keypoint-detection",
    "visual-document-retrieval",
    "any-to-any",
    "video-to-video",
    "other",
];

const RELATIONS: &[&str] = &["adapter", "merge", "quantized", "finetune"];

/// ISO 639-1 two-letter codes.
const ISO639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("chinese", "zh"),
    ("mandarin", "zh"),
    ("cantonese", "yue"),
    ("french", "fr"),
    ("german", "de"),
    ("spanish", "es"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("russian", "ru"),
    ("portuguese", "pt"),
    ("italian", "it"),
    ("arabic", "ar"),
    ("hindi", "hi"),
    ("dutch", "nl"),
    ("vietnamese", "vi"),
    ("turkish", "tr"),
    ("polish", "pl"),
    ("indonesian", "id"),
    ("thai", "th"),
    ("swedish", "sv"),
    ("greek", "el"),
    ("hebrew", "he"),
    ("ukrainian", "uk"),
    ("czech", "cs"),
    ("finnish", "fi"),
    ("danish", "da"),
    ("norwegian", "no"),
    ("persian", "fa"),
    ("bengali", "bn"),
    ("urdu", "ur"),
    ("tamil", "ta"),
    ("malay", "ms"),
    ("swahili", "sw"),
    ("romanian", "ro"),
    ("hungarian", "hu"),
    ("中文", "zh"),
    ("英文", "en"),
    ("英语", "en"),
    ("汉语", "zh"),
];

/// Hub tasks whose inputs and outputs hold no natural language: a model for one of them is not
/// asked for `language:` codes.
pub const NON_LANGUAGE_TASKS: &[&str] = &[
    "image-classification",
    "image-segmentation",
    "object-detection",
    "depth-estimation",
    "image-to-image",
    "unconditional-image-generation",
    "video-classification",
    "mask-generation",
    "keypoint-detection",
    "image-feature-extraction",
    "audio-classification",
    "audio-to-audio",
    "voice-activity-detection",
    "tabular-classification",
    "tabular-regression",
    "time-series-forecasting",
    "reinforcement-learning",
    "robotics",
    "graph-ml",
    "image-to-3d",
];

fn iso_code(code: &str) -> bool {
    match code.len() {
        2 => ISO639_1.split(' ').any(|c| c == code),
        3 => code.bytes().all(|b| b.is_ascii_lowercase()),
        _ => false,
    }
}

/// Checks a language tag: an ISO 639 code, optionally with BCP 47 subtags (`zh-Hans`, `en-US`).
fn check_language(tag: &str) -> Result<(), (String, String, Option<String>)> {
    if tag == "multilingual" || tag == "code" {
        return Ok(());
    }
    let primary = tag.split(['-', '_']).next().unwrap_or(tag);
    if iso_code(primary) && !tag.contains('_') {
        return Ok(());
    }
    let lower = tag.to_lowercase();
    if let Some((_, code)) = LANGUAGE_NAMES.iter().find(|(n, _)| *n == lower) {
        return Err((
            format!("`{tag}` is a language name, not a language code"),
            format!("write `{code}` (ISO 639-1)"),
            Some(code.to_string()),
        ));
    }
    let fixed = lower.replace('_', "-");
    let fixed_primary = fixed.split('-').next().unwrap_or(&fixed);
    if iso_code(fixed_primary) {
        return Err((
            format!("`{tag}` is not written as the Hub expects"),
            format!("write `{}`", normalize_tag(&fixed)),
            Some(normalize_tag(&fixed)),
        ));
    }
    Err((
        format!("`{tag}` is not an ISO 639 language code"),
        "use a two-letter ISO 639-1 code such as `en` or `zh`, or a three-letter ISO 639-3 code"
            .into(),
        None,
    ))
}

fn normalize_tag(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, p)| match (i, p.len()) {
            (0, _) => p.to_string(),
            (_, 2) => p.to_ascii_uppercase(),
            (_, 4) => {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            }
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn repo_id_ok(id: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 96
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !p.starts_with(['-', '.'])
            && !p.ends_with(['-', '.'])
            && !p.contains("--")
            && !p.contains("..")
    };
    (parts.len() == 1 || parts.len() == 2) && parts.iter().all(|p| part_ok(p))
}

struct Ctx<'a> {
    out: &'a mut Vec<MetaProblem>,
}

impl Ctx<'_> {
    fn invalid(&mut self, span: &Range<usize>, message: String, fix: impl Into<String>) {
        self.out.push(MetaProblem {
            kind: MetaKind::Invalid,
            span: span.clone(),
            message,
            fix: fix.into(),
            replacement: None,
        });
    }

    /// A string, or a list of strings.
    fn strings(&mut self, key: &str, node: &Node) -> Vec<(String, Range<usize>)> {
        match &node.value {
            Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => node.texts(),
            Value::Seq(items) => {
                let mut out = Vec::new();
                for i in items {
                    match i.as_text() {
                        Some(t) => out.push((t, i.span.clone())),
                        None => self.invalid(
                            &i.span,
                            format!(
                                "each entry of `{key}` must be a string, not {}",
                                i.type_name()
                            ),
                            format!("write each `{key}` entry as a plain string"),
                        ),
                    }
                }
                out
            }
            Value::Null => vec![],
            Value::Map(_) => {
                self.invalid(
                    &node.span,
                    format!("`{key}` must be a string or a list of strings, not a mapping"),
                    format!("write `{key}: value` or a list `{key}:\\n  - value`"),
                );
                vec![]
            }
        }
    }

    fn string(&mut self, key: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null => None,
            _ => {
                self.invalid(
                    &node.span,
                    format!("`{key}` must be a string, not {}", node.type_name()),
                    format!("write `{key}` as a single string"),
                );
                None
            }
        }
    }
}

/// Validates a card's front matter. `dataset` selects the dataset-card conventions.
pub fn validate(root: &Node, dataset: bool) -> Vec<MetaProblem> {
    let mut out = Vec::new();
    let Value::Map(entries) = &root.value else {
        out.push(MetaProblem {
            kind: MetaKind::Invalid,
            span: root.span.clone(),
            message: format!(
                "the front matter must be a mapping of keys to values, not {}",
                root.type_name()
            ),
            fix: "write the metadata as `key: value` lines between the `---` markers".into(),
            replacement: None,
        });
        return out;
    };
    let known = if dataset { DATASET_KEYS } else { MODEL_KEYS };
    let mut cx = Ctx { out: &mut out };
    for (key, node) in entries {
        let k = key.name.as_str();
        match k {
            "language" => {
                for (tag, span) in cx.strings(k, node) {
                    if let Err((message, fix, replacement)) = check_language(&tag) {
                        cx.out.push(MetaProblem {
                            kind: MetaKind::Language,
                            span,
                            message,
                            fix,
                            replacement,
                        });
                    }
                }
            }
            "license" => {
                for (id, span) in cx.strings(k, node) {
                    check_license(&mut cx, &id, &span);
                }
            }
            "datasets" | "source_datasets" => {
                for (id, span) in cx.strings(k, node) {
                    if k == "datasets" && !repo_id_ok(&id) {
                        let fix = if id.starts_with("http") {
                            "name the dataset by its Hub id (`org/name`) and put the link in the card's text".to_string()
                        } else {
                            "use the dataset's Hub id, `name` or `org/name` (letters, digits, `-`, `_`, `.`)".to_string()
                        };
                        cx.invalid(&span, format!("`{id}` is not a Hub dataset id"), fix);
                    }
                }
            }
            "base_model" | "new_version" => {
                for (id, span) in cx.strings(k, node) {
                    if !repo_id_ok(&id)
                        || !id.contains('/') && k == "base_model" && id.contains(' ')
                    {
                        cx.invalid(
                            &span,
                            format!("`{id}` is not a Hub model id"),
                            "use the model's Hub id, `org/name`, not a URL or a display name",
                        );
                    }
                }
            }
            "base_model_relation" => {
                if let Some(v) = cx.string(k, node) {
                    if !RELATIONS.contains(&v.as_str()) {
                        cx.invalid(
                            &node.span,
                            format!("`{v}` is not a base model relation"),
                            format!("use one of {}", RELATIONS.join(", ")),
                        );
                    }
                }
            }
            "pipeline_tag" => {
                if let Some(v) = cx.string(k, node) {
                    if !PIPELINE_TAGS.contains(&v.as_str()) {
                        let fix = match suggest(&v, PIPELINE_TAGS.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => {
                                "use one of the Hub's task ids, such as `text-generation`".into()
                            }
                        };
                        cx.invalid(&node.span, format!("`{v}` is not a Hub pipeline tag"), fix);
                    }
                }
            }
            "tags"
            | "metrics"
            | "task_categories"
            | "task_ids"
            | "size_categories"
            | "annotations_creators"
            | "language_creators"
            | "multilinguality" => {
                cx.strings(k, node);
            }
            "license_name" | "license_link" | "library_name" | "thumbnail" | "pretty_name"
            | "model_name" | "paperswithcode_id" => {
                cx.string(k, node);
            }
            "model-index" => model_index(&mut cx, node),
            "co2_eq_emissions" => match &node.value {
                Value::Int(_) | Value::Float(_) | Value::Null => {}
                Value::Map(_) => {
                    if let Some(e) = node.get("emissions") {
                        if !matches!(e.value, Value::Int(_) | Value::Float(_)) {
                            cx.invalid(
                                &e.span,
                                "`co2_eq_emissions.emissions` must be a number (grams of CO2)"
                                    .into(),
                                "write the emissions as a number",
                            );
                        }
                    }
                }
                _ => cx.invalid(
                    &node.span,
                    "`co2_eq_emissions` must be a number or a mapping".into(),
                    "write `co2_eq_emissions: 1234` (grams) or a mapping with `emissions`",
                ),
            },
            _ => {
                if !known.contains(&k) && !k.starts_with("extra_gated") {
                    if let Some(s) = suggest(k, known.iter().copied()).filter(|s| *s != k) {
                        cx.out.push(MetaProblem {
                            kind: MetaKind::Typo,
                            span: key.span.clone(),
                            message: format!(
                                "`{k}` is not a metadata key the Hub knows; the Hub will ignore it"
                            ),
                            fix: format!("did you mean `{s}`?"),
                            replacement: None,
                        });
                    }
                }
            }
        }
    }
    out
}

fn check_license(cx: &mut Ctx, id: &str, span: &Range<usize>) {
    if licenses::hub_license(id).is_some() {
        return;
    }
    match licenses::hub_license_loose(id) {
        Some(l) => cx.out.push(MetaProblem {
            kind: MetaKind::Invalid,
            span: span.clone(),
            message: format!("`{id}` is not spelt as the Hub's licence id"),
            fix: format!("write `{}`", l.id),
            replacement: Some(l.id.clone()),
        }),
        None => {
            let fix = match suggest(&id.to_ascii_lowercase(), licenses::hub_ids()) {
                Some(s) => format!("did you mean `{s}`? for a licence the Hub does not list, write `license: other` with `license_name` and `license_link`"),
                None => "use a Hub licence id; for any other licence write `license: other` with `license_name` and `license_link`".into(),
            };
            cx.invalid(
                span,
                format!("`{id}` is not a licence id the Hub accepts"),
                fix,
            );
        }
    }
}

fn model_index(cx: &mut Ctx, node: &Node) {
    let Value::Seq(models) = &node.value else {
        cx.invalid(
            &node.span,
            "`model-index` must be a list of models".into(),
            "write `model-index:` followed by `- name: ...` entries",
        );
        return;
    };
    for m in models {
        if !matches!(m.value, Value::Map(_)) {
            cx.invalid(
                &m.span,
                "each `model-index` entry must be a mapping with `name` and `results`".into(),
                "write `- name: my-model` and a `results:` list",
            );
            continue;
        }
        if m.get("name").is_none_or(|n| n.as_text().is_none()) {
            cx.invalid(
                &m.span,
                "a `model-index` entry has no `name`".into(),
                "add `name:` with the model's name",
            );
        }
        let Some(results) = m.get("results") else {
            cx.invalid(
                &m.span,
                "a `model-index` entry has no `results`".into(),
                "add a `results:` list with task, dataset and metrics",
            );
            continue;
        };
        let Value::Seq(results) = &results.value else {
            cx.invalid(
                &results.span,
                "`results` must be a list".into(),
                "write each result as `- task: ...`",
            );
            continue;
        };
        for r in results {
            for (field, required) in [("task", &["type"][..]), ("dataset", &["type", "name"][..])] {
                match r.get(field) {
                    None => cx.invalid(
                        &r.span,
                        format!("a `model-index` result has no `{field}`"),
                        format!(
                            "add `{field}:` with {}",
                            required
                                .iter()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    ),
                    Some(f) => {
                        for req in required {
                            if f.get(req).is_none_or(|v| v.as_text().is_none()) {
                                cx.invalid(
                                    &f.span,
                                    format!("the result's `{field}` has no `{req}`"),
                                    format!("add `{req}:` under `{field}`"),
                                );
                            }
                        }
                    }
                }
            }
            match r.get("metrics") {
                None => cx.invalid(
                    &r.span,
                    "a `model-index` result has no `metrics`".into(),
                    "add `metrics:` with `- type: ...` and `value: ...`",
                ),
                Some(ms) => match &ms.value {
                    Value::Seq(items) => {
                        for mt in items {
                            for req in ["type", "value"] {
                                if mt.get(req).is_none() {
                                    cx.invalid(
                                        &mt.span,
                                        format!("a metric has no `{req}`"),
                                        format!("add `{req}:` to the metric"),
                                    );
                                }
                            }
                        }
                    }
                    _ => cx.invalid(
                        &ms.span,
                        "`metrics` must be a list".into(),
                        "write each metric as `- type: accuracy` with `value:`",
                    ),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::yaml;

    fn problems(y: &str) -> Vec<(MetaKind, String, String)> {
        let n = yaml::parse(y, y, 0).unwrap().unwrap();
        validate(&n, false)
            .into_iter()
            .map(|p| (p.kind, y[p.span.clone()].to_string(), p.message))
            .collect()
    }

    #[test]
    fn clean_card() {
        assert!(problems("license: apache-2.0\nlanguage: [en, zh, no]\ndatasets:\n- allenai/c4\nbase_model: meta-llama/Llama-3.1-8B\npipeline_tag: text-generation\n").is_empty());
    }

    #[test]
    fn each_problem_at_its_value() {
        let p = problems("license: Apache-2.0\nlanguage:\n- English\n- en_US\nlicence: mit\nbase_model: https://huggingface.co/x/y\npipeline_tag: text-generaton\n");
        let spots: Vec<&str> = p.iter().map(|(_, s, _)| s.as_str()).collect();
        assert_eq!(
            spots,
            [
                "Apache-2.0",
                "English",
                "en_US",
                "licence",
                "https://huggingface.co/x/y",
                "text-generaton"
            ]
        );
        assert_eq!(p[1].0, MetaKind::Language);
        assert_eq!(p[3].0, MetaKind::Typo);
    }

    #[test]
    fn model_index_shape() {
        let p = problems("model-index:\n- name: m\n  results:\n  - task: {type: text-generation}\n    dataset: {type: gsm8k}\n    metrics:\n    - type: accuracy\n");
        let msgs: Vec<&str> = p.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "the result's `dataset` has no `name`",
                "a metric has no `value`"
            ]
        );
    }
}
