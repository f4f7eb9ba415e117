//! `modelgate bom`: the release as a CycloneDX 1.6 bill of materials, built from the facts
//! stage (units, components, licence evidence, cards). Every field carries a property naming
//! the file and line it came from. Model files are hashed as bytes, never loaded.

use crate::config::Status;
use crate::documents::yaml::Node;
use crate::documents::Document;
use crate::facts::openness::{Evidence, LicenceFile};
use crate::facts::{Facts, Unit};
use crate::repo::{roles, Role};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// What `bom` was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Skip reading weight files for their SHA-256.
    pub no_hashes: bool,
}

/// A BOM and what could not be read while making it (each names the file and the cause).
pub struct Bom {
    pub document: Value,
    pub notes: Vec<String>,
}

/// The RFC 4122 URL namespace: the serial number is a version-5 UUID of the content's digest
/// under it, so the same release gives the same BOM.
const UUID_NAMESPACE: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// Where a value came from: `path:line`.
fn place(doc: &Document, offset: usize) -> String {
    let (line, _) = doc.lines.position(&doc.text, offset);
    format!("{}:{line}", doc.path)
}

/// Properties of a component, `modelgate:source:<field>` = `path:line` among them.
#[derive(Default)]
struct Props(Vec<(String, String)>);

impl Props {
    fn add(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_string(), value.into()));
    }

    fn source(&mut self, field: &str, value: impl Into<String>) {
        self.add(&format!("modelgate:source:{field}"), value);
    }

    fn into_json(self) -> Value {
        Value::Array(
            self.0
                .into_iter()
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect(),
        )
    }
}

/// Builds the BOM of a run's facts.
pub fn build(facts: &Facts, root_name: &str, opts: Options) -> Bom {
    let mut notes = Vec::new();
    let mut components = Vec::new();
    let mut dependencies = Vec::new();
    let mut data_refs: Vec<String> = Vec::new();
    for unit in facts.units.iter().filter(|u| u.is_model) {
        let model = model_component(facts, unit, root_name, opts, &mut notes);
        let mut depends: Vec<Value> = Vec::new();
        for data in &model.datasets {
            depends.push(Value::String(data.0.clone()));
            if !data_refs.contains(&data.0) {
                data_refs.push(data.0.clone());
                components.push(data.1.clone());
            }
        }
        if !depends.is_empty() {
            dependencies.push(json!({"ref": model.bom_ref, "dependsOn": depends}));
        }
        components.push(model.component);
    }
    let mut doc = Map::new();
    doc.insert("bomFormat".into(), json!("CycloneDX"));
    doc.insert("specVersion".into(), json!("1.6"));
    doc.insert("version".into(), json!(1));
    doc.insert(
        "metadata".into(),
        json!({
            "tools": {"components": [{
                "type": "application",
                "name": "modelgate",
                "version": env!("CARGO_PKG_VERSION"),
            }]},
            "properties": [{"name": "modelgate:root", "value": root_name}],
        }),
    );
    doc.insert("components".into(), Value::Array(components));
    if !dependencies.is_empty() {
        doc.insert("dependencies".into(), Value::Array(dependencies));
    }
    let serial = serial_number(&Value::Object(doc.clone()));
    // the serial number goes after bomFormat and specVersion for readers who look for it there
    let mut out = Map::new();
    for (k, v) in doc {
        out.insert(k.clone(), v);
        if k == "specVersion" {
            out.insert("serialNumber".into(), Value::String(serial.clone()));
        }
    }
    Bom {
        document: Value::Object(out),
        notes,
    }
}

/// `urn:uuid:` of a version-5 UUID whose name is the SHA-256 of the document without its serial
/// number: a deterministic serial, different whenever the content differs.
fn serial_number(doc: &Value) -> String {
    let digest = Sha256::digest(doc.to_string().as_bytes());
    let mut h = sha1::Sha1::new();
    h.update(UUID_NAMESPACE);
    h.update(format!("modelgate-bom:{}", crate::text::hex(&digest)).as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = crate::text::hex(&b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

struct Model {
    bom_ref: String,
    component: Value,
    /// (bom-ref, component) of each training dataset.
    datasets: Vec<(String, Value)>,
}

fn unit_ref(unit: &Unit) -> String {
    if unit.folder.is_empty() {
        "model:.".into()
    } else {
        format!("model:{}", unit.folder)
    }
}

/// The model's name: the card's `model_name`, its first level-1 heading, the folder's name.
fn model_name(card: Option<&Document>, unit: &Unit, root_name: &str, p: &mut Props) -> String {
    if let Some(card) = card {
        if let Some((k, v)) = card.meta().and_then(|m| m.key("model_name")) {
            if let Some(t) = v.as_text().filter(|t| !t.trim().is_empty()) {
                p.source("name", place(card, k.span.start));
                return t.trim().to_string();
            }
        }
        // the card's first heading, when it is a title that names the model: not a topic of the
        // card ("Model Details"), nor a table of contents
        if let Some(s) = card.sections.iter().find(|s| s.is_heading()).filter(|s| {
            let h = s.heading.trim().to_lowercase();
            s.level == 1
                && !h.is_empty()
                && s.groups.is_empty()
                && !matches!(
                    h.as_str(),
                    "contents"
                        | "table of contents"
                        | "目录"
                        | "overview"
                        | "introduction"
                        | "简介"
                        | "介绍"
                )
        }) {
            p.source("name", place(card, s.heading_range.start));
            return s.heading.trim().to_string();
        }
    }
    let name = if unit.folder.is_empty() {
        root_name.to_string()
    } else {
        roles::file_name(&unit.folder).to_string()
    };
    p.source(
        "name",
        if unit.folder.is_empty() {
            ".".to_string()
        } else {
            unit.folder.clone()
        },
    );
    name
}

fn model_component(
    facts: &Facts,
    unit: &Unit,
    root_name: &str,
    opts: Options,
    notes: &mut Vec<String>,
) -> Model {
    let cards: Vec<&Document> = unit
        .cards
        .iter()
        .map(|i| &facts.docs[*i])
        .filter(|d| d.readable)
        .collect();
    let card = cards.first().copied();
    let meta = card.and_then(|c| c.meta().map(|m| (c, m)));
    let bom_ref = unit_ref(unit);
    let mut p = Props::default();
    let name = model_name(card, unit, root_name, &mut p);
    p.add(
        "modelgate:folder",
        if unit.folder.is_empty() {
            "."
        } else {
            &unit.folder
        },
    );
    p.add("modelgate:mode", unit.mode.to_string());
    p.add("modelgate:release-mode", unit.release.as_str());

    let mut c = Map::new();
    c.insert("type".into(), json!("machine-learning-model"));
    c.insert("bom-ref".into(), json!(bom_ref));
    c.insert("name".into(), json!(name));

    let licenses = licence_choices(facts, &unit.evidence, &mut p);
    if !licenses.is_empty() {
        c.insert("licenses".into(), Value::Array(licenses));
    }

    // model parameters
    let mut params = Map::new();
    if let Some((card, m)) = meta {
        if let Some((k, v)) = m.key("pipeline_tag") {
            if let Some(tag) = v.as_text() {
                params.insert("task".into(), json!(tag));
                p.source("modelCard.modelParameters.task", place(card, k.span.start));
                if let Some((input, output)) = io_of(&tag) {
                    params.insert("inputs".into(), json!([{ "format": input }]));
                    params.insert("outputs".into(), json!([{ "format": output }]));
                    p.source(
                        "modelCard.modelParameters.inputs",
                        place(card, k.span.start),
                    );
                    p.source(
                        "modelCard.modelParameters.outputs",
                        place(card, k.span.start),
                    );
                }
            }
        }
        if let Some((k, v)) = m.key("base_model") {
            let bases: Vec<String> = v.texts().into_iter().map(|(t, _)| t).collect();
            if !bases.is_empty() {
                p.add("modelgate:base-model", bases.join(", "));
                p.source("base-model", place(card, k.span.start));
            }
        }
    }
    architecture(facts, unit, &mut params, &mut p, notes);
    let datasets = datasets(meta, &mut p);
    if !datasets.is_empty() {
        params.insert(
            "datasets".into(),
            Value::Array(datasets.iter().map(|(r, _)| json!({ "ref": r })).collect()),
        );
    }
    let mut model_card = Map::new();
    if !params.is_empty() {
        model_card.insert("modelParameters".into(), Value::Object(params));
    }
    let metrics = metrics(&cards, &mut p);
    if !metrics.is_empty() {
        model_card.insert(
            "quantitativeAnalysis".into(),
            json!({ "performanceMetrics": metrics }),
        );
    }
    let considerations = considerations(&cards, &mut p);
    if !considerations.is_empty() {
        model_card.insert("considerations".into(), Value::Object(considerations));
    }
    model_card.insert("bom-ref".into(), json!(format!("{bom_ref}#model-card")));
    c.insert("modelCard".into(), Value::Object(model_card));

    let refs = external_references(&cards, &mut p);
    if !refs.is_empty() {
        c.insert("externalReferences".into(), Value::Array(refs));
    }
    let files = file_components(facts, unit, &bom_ref, opts, notes);
    if !files.is_empty() {
        c.insert("components".into(), Value::Array(files));
    }
    c.insert("properties".into(), p.into_json());
    Model {
        bom_ref,
        component: Value::Object(c),
        datasets,
    }
}

/// What a Hub task takes and gives.
fn io_of(tag: &str) -> Option<(&'static str, &'static str)> {
    Some(match tag {
        "text-generation"
        | "text2text-generation"
        | "translation"
        | "summarization"
        | "fill-mask"
        | "question-answering"
        | "conversational" => ("text", "text"),
        "text-classification" | "zero-shot-classification" => ("text", "label"),
        "token-classification" => ("text", "token labels"),
        "feature-extraction" | "sentence-similarity" => ("text", "embedding"),
        "image-classification" => ("image", "label"),
        "object-detection" => ("image", "bounding boxes"),
        "image-segmentation" => ("image", "segmentation mask"),
        "image-to-text" => ("image", "text"),
        "text-to-image" => ("text", "image"),
        "automatic-speech-recognition" => ("audio", "text"),
        "text-to-speech" | "text-to-audio" => ("text", "audio"),
        "audio-classification" => ("audio", "label"),
        _ => return None,
    })
}

/// `architectureFamily` from config.json's `model_type`, `modelArchitecture` from its
/// `architectures`. A config that is not JSON is said, naming the file and the cause.
fn architecture(
    facts: &Facts,
    unit: &Unit,
    params: &mut Map<String, Value>,
    p: &mut Props,
    notes: &mut Vec<String>,
) {
    let path = if unit.folder.is_empty() {
        "config.json".to_string()
    } else {
        format!("{}/config.json", unit.folder)
    };
    if facts.files.get(&path).is_none() {
        return;
    }
    let bytes = match facts.files.read(&path, 4 * 1024 * 1024) {
        Ok(b) => b,
        Err(e) => {
            notes.push(format!("`{path}` cannot be read: {e}"));
            return;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let v: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            notes.push(format!(
                "`{path}` is not valid JSON ({e}): no architecture taken from it"
            ));
            return;
        }
    };
    let line_of = |key: &str| {
        let needle = format!("\"{key}\"");
        let off = text.find(&needle).unwrap_or(0);
        format!("{path}:{}", text[..off].matches('\n').count() + 1)
    };
    if let Some(t) = v.get("model_type").and_then(Value::as_str) {
        params.insert("architectureFamily".into(), json!(t));
        p.source(
            "modelCard.modelParameters.architectureFamily",
            line_of("model_type"),
        );
    }
    if let Some(a) = v
        .get("architectures")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
    {
        params.insert("modelArchitecture".into(), json!(a));
        p.source(
            "modelCard.modelParameters.modelArchitecture",
            line_of("architectures"),
        );
        if !params.contains_key("architectureFamily") {
            // `BertForSequenceClassification` is of the `bert` family
            let family = a
                .find("For")
                .map(|i| &a[..i])
                .filter(|f| !f.is_empty())
                .unwrap_or(a)
                .trim_end_matches("Model")
                .to_ascii_lowercase();
            if !family.is_empty() {
                params.insert("architectureFamily".into(), json!(family));
                p.source(
                    "modelCard.modelParameters.architectureFamily",
                    line_of("architectures"),
                );
            }
        }
    }
}

/// The datasets of the card's `datasets:`, each a `data` component.
fn datasets(meta: Option<(&Document, &Node)>, p: &mut Props) -> Vec<(String, Value)> {
    let Some((card, m)) = meta else {
        return vec![];
    };
    let Some(node) = m.get("datasets") else {
        return vec![];
    };
    let mut out = Vec::new();
    for (name, span) in node.texts() {
        let name = name.trim().to_string();
        if name.is_empty() {
            continue;
        }
        let bom_ref = format!("data:{name}");
        if out.iter().any(|(r, _)| *r == bom_ref) {
            continue;
        }
        p.source(
            &format!("modelCard.modelParameters.datasets[{bom_ref}]"),
            place(card, span.start),
        );
        let mut c = json!({
            "type": "data",
            "bom-ref": bom_ref,
            "name": name,
            "data": [{"type": "dataset", "name": name}],
            "properties": [
                {"name": "modelgate:source:name", "value": place(card, span.start)}
            ],
        });
        // a Hub id (`owner/name`) has a Hub page; the address is written, never fetched
        if is_hub_id(&name) {
            c["externalReferences"] = json!([{
                "type": "website",
                "url": format!("https://huggingface.co/datasets/{name}"),
                "comment": "Hugging Face Hub page of the dataset id the card names",
            }]);
        }
        out.push((bom_ref, c));
    }
    out
}

fn is_hub_id(name: &str) -> bool {
    let mut parts = name.split('/');
    let ok = |s: Option<&str>| {
        s.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Licences: the declared ones (front matter) and the ones found in licence texts
/// (`acknowledgement` `declared` and `concluded`). SPDX ids as `license.id`; a `LicenseRef-`
/// id or an unidentified text as `license.name`, with the custom clauses found as its text.
fn licence_choices(facts: &Facts, ev: &Evidence, p: &mut Props) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for d in &ev.declared {
        let key = d.id.clone().unwrap_or_else(|| d.value.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let place = format!("{}:{}", d.path, d.line);
        p.source(&format!("licenses[{key}]"), place);
        out.push(licence_value(d.id.as_deref(), &d.value, "declared", None));
    }
    // statements of the weights' terms ("the model weights are under ..."): they decide over
    // a repository licence that covers only the code
    for st in ev
        .statements
        .iter()
        .filter(|st| st.covers.iter().any(|c| c == "weights"))
    {
        if seen.contains(&st.license) {
            continue;
        }
        seen.push(st.license.clone());
        let line = facts
            .doc(&st.path)
            .map_or(1, |d| d.lines.position(&d.text, st.range.start).0);
        p.source(
            &format!("licenses[{}]", st.license),
            format!("{}:{line}", st.path),
        );
        out.push(licence_value(
            Some(&st.license),
            &st.license,
            "concluded",
            None,
        ));
    }
    for f in ev
        .files
        .iter()
        .filter(|f| !f.vendored && covers_model(f, ev))
    {
        let key = f.id().map(str::to_string).unwrap_or_else(|| f.path.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        p.source(&format!("licenses[{key}]"), format!("{}:1", f.path));
        let text = facts.licence_text(&f.path).map(|t| t.text.to_string());
        out.push(licence_value(
            f.id(),
            roles::file_name(&f.path),
            "concluded",
            Some((f, text)),
        ));
    }
    out
}

/// A licence file counts for the model when it covers the weights: named or placed for them, or
/// the repository's licence when nothing else states the weights' terms. A licence of the code
/// alone is the code component's, never the model's.
fn covers_model(f: &LicenceFile, ev: &Evidence) -> bool {
    f.covers_shown(ev).iter().any(|c| c == "weights")
}

fn licence_value(
    id: Option<&str>,
    written: &str,
    acknowledgement: &str,
    file: Option<(&LicenceFile, Option<String>)>,
) -> Value {
    let spdx = id.filter(|i| spdx::license_id(i).is_some());
    let mut l = Map::new();
    match spdx {
        Some(id) => {
            l.insert("id".into(), json!(id));
        }
        None => {
            l.insert("name".into(), json!(id.unwrap_or(written)));
            if let Some((f, text)) = &file {
                if !f.clauses.is_empty() {
                    let terms: Vec<String> = f
                        .clauses
                        .iter()
                        .map(|c| format!("{} (line {}): {}", c.id, c.line, c.text))
                        .collect();
                    l.insert(
                        "text".into(),
                        json!({"contentType": "text/plain", "content": terms.join("\n")}),
                    );
                } else if let Some(t) = text.as_ref().filter(|_| id.is_none()) {
                    l.insert(
                        "text".into(),
                        json!({"contentType": "text/plain", "content": t}),
                    );
                }
            }
        }
    }
    l.insert("acknowledgement".into(), json!(acknowledgement));
    json!({ "license": Value::Object(l) })
}

/// Performance metrics from the tables of the evaluation sections: a `metric`/`value` table
/// gives one metric a row; otherwise each numeric cell is a metric named by its column, its
/// row's first cell the slice.
fn metrics(cards: &[&Document], p: &mut Props) -> Vec<Value> {
    let mut out = Vec::new();
    for card in cards {
        for s in card.sections_in("evaluation") {
            let body = &card.text[s.range.clone()];
            let mut offset = s.range.start;
            let mut header: Option<Vec<String>> = None;
            for line in body.split_inclusive('\n') {
                let here = offset;
                offset += line.len();
                let t = line.trim();
                if !t.starts_with('|') {
                    header = None;
                    continue;
                }
                let cells: Vec<String> = t
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().trim_matches('*').trim().to_string())
                    .collect();
                if cells
                    .iter()
                    .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
                {
                    continue;
                }
                let Some(h) = &header else {
                    header = Some(cells);
                    continue;
                };
                let lower: Vec<String> = h.iter().map(|c| c.to_lowercase()).collect();
                let metric_col = lower.iter().position(|c| c == "metric");
                let value_col = lower
                    .iter()
                    .position(|c| c == "value" || c == "score" || c == "result");
                let src = place(card, here);
                if let (Some(m), Some(v)) = (metric_col, value_col) {
                    if let (Some(name), Some(value)) = (cells.get(m), cells.get(v)) {
                        let slice = (0..cells.len())
                            .find(|i| *i != m && *i != v)
                            .and_then(|i| cells.get(i))
                            .cloned()
                            .unwrap_or_default();
                        push_metric(&mut out, p, name, value, &slice, &src);
                    }
                    continue;
                }
                for (i, cell) in cells.iter().enumerate().skip(1) {
                    if is_number(cell) {
                        let name = h.get(i).cloned().unwrap_or_default();
                        push_metric(&mut out, p, &name, cell, &cells[0], &src);
                    }
                }
            }
        }
    }
    out
}

fn push_metric(
    out: &mut Vec<Value>,
    p: &mut Props,
    name: &str,
    value: &str,
    slice: &str,
    src: &str,
) {
    if name.is_empty() || value.is_empty() {
        return;
    }
    let mut m = json!({"type": name, "value": value});
    if !slice.is_empty() {
        m["slice"] = json!(slice);
    }
    p.source(
        &format!(
            "modelCard.quantitativeAnalysis.performanceMetrics[{}]",
            out.len()
        ),
        src,
    );
    out.push(m);
}

fn is_number(cell: &str) -> bool {
    let t = cell.trim_end_matches('%').trim();
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// Considerations from the card's sections: intended use, limitations, ethics, out of scope.
fn considerations(cards: &[&Document], p: &mut Props) -> Map<String, Value> {
    let mut out = Map::new();
    let texts = |group: &str| -> Vec<(String, String, bool)> {
        cards
            .iter()
            .flat_map(|c| {
                c.sections_in(group)
                    .filter(|s| !s.placeholder && !s.text.trim().is_empty())
                    .map(move |s| {
                        let h = s.heading.to_lowercase();
                        let ethics = h.contains("ethic") || h.contains("伦理");
                        (one_line(&s.text), place(c, s.heading_range.start), ethics)
                    })
            })
            .collect()
    };
    let (ethics, limits): (Vec<_>, Vec<_>) = texts("limitations").into_iter().partition(|t| t.2);
    let fields = [
        ("useCases", texts("intended-use"), false),
        ("technicalLimitations", limits, false),
        ("ethicalConsiderations", ethics, true),
    ];
    for (field, found, named) in fields {
        if found.is_empty() {
            continue;
        }
        for (i, (_, src, _)) in found.iter().enumerate() {
            p.source(
                &format!("modelCard.considerations.{field}[{i}]"),
                src.clone(),
            );
        }
        // ethical considerations are objects with a name; the others are strings
        let values: Vec<Value> = found
            .into_iter()
            .map(|(t, _, _)| {
                if named {
                    json!({ "name": t })
                } else {
                    json!(t)
                }
            })
            .collect();
        out.insert(field.into(), Value::Array(values));
    }
    // CycloneDX 1.6 has no out-of-scope field: it is a property
    for (i, (t, src, _)) in texts("out-of-scope-use").into_iter().enumerate() {
        p.add("modelgate:out-of-scope-use", t);
        p.source(&format!("out-of-scope-use[{i}]"), src);
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Papers, the Hub page and the repository the cards link to.
fn external_references(cards: &[&Document], p: &mut Props) -> Vec<Value> {
    let url = regex::Regex::new(r#"https?://[^\s)\]>"'`]+"#).expect("a valid pattern");
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for card in cards {
        for m in url.find_iter(&card.text) {
            let u = m.as_str().trim_end_matches(['.', ',', ';', ':']);
            let Some((kind, comment)) = reference_kind(u) else {
                continue;
            };
            if seen.iter().any(|s| s == u) {
                continue;
            }
            seen.push(u.to_string());
            p.source(&format!("externalReferences[{u}]"), place(card, m.start()));
            out.push(json!({"type": kind, "url": u, "comment": comment}));
        }
    }
    out
}

fn reference_kind(u: &str) -> Option<(&'static str, &'static str)> {
    let host = u
        .split("://")
        .nth(1)?
        .split('/')
        .next()?
        .to_ascii_lowercase();
    let path = u.split("://").nth(1)?.split_once('/').map_or("", |x| x.1);
    if host.ends_with("arxiv.org") || host == "doi.org" || host.ends_with("aclanthology.org") {
        return Some(("documentation", "paper"));
    }
    if matches!(host.as_str(), "github.com" | "gitlab.com" | "codeberg.org") {
        return (path.split('/').filter(|s| !s.is_empty()).count() >= 2)
            .then_some(("vcs", "source repository"));
    }
    if host == "huggingface.co" || host == "www.huggingface.co" {
        let first = path.split('/').next().unwrap_or("");
        if first != "datasets" && first != "spaces" && first != "docs" {
            return (path.split('/').filter(|s| !s.is_empty()).count() >= 2)
                .then_some(("website", "Hugging Face Hub page"));
        }
    }
    None
}

/// The release's weight files (and the files of closed components), each a `file` component:
/// a published weight file with its SHA-256 (an LFS pointer's `oid`), a withheld one without.
fn file_components(
    facts: &Facts,
    unit: &Unit,
    parent: &str,
    opts: Options,
    notes: &mut Vec<String>,
) -> Vec<Value> {
    let mut out = Vec::new();
    let closed: Vec<&crate::facts::ComponentFact> = unit
        .components
        .iter()
        .filter(|c| c.status == Status::Closed)
        .collect();
    let own = |path: &str| facts.unit_of(path) == facts.unit_of_folder(&unit.folder);
    for &i in &unit.files {
        let e = &facts.files.entries[i];
        if e.role != Role::Weights || !own(&e.path) {
            continue;
        }
        let withheld_by = closed.iter().find(|c| c.files.contains(&i));
        let mut p = Props::default();
        p.source("name", e.path.clone());
        let mut c = json!({
            "type": "file",
            "bom-ref": format!("{parent}/file:{}", e.path),
            "name": e.path,
        });
        if let Some(w) = withheld_by {
            p.add("modelgate:withheld", "true");
            p.add("modelgate:component", w.name.clone());
            p.add(
                "modelgate:note",
                "declared closed by the policy, yet present in the tree: no hash is given",
            );
        } else if !opts.no_hashes {
            match sha256_of(facts, &e.path) {
                Ok((digest, how)) => {
                    c["hashes"] = json!([{"alg": "SHA-256", "content": digest}]);
                    p.add("modelgate:hash-source", how);
                }
                Err(why) => notes.push(format!("`{}`: no hash: {why}", e.path)),
            }
        }
        if facts.files.lfs.pointers.contains(&e.path) {
            p.add("modelgate:lfs-pointer", "true");
        }
        p.add("modelgate:size", e.size.to_string());
        c["properties"] = p.into_json();
        out.push(c);
    }
    // closed components: said withheld, never hashed
    for comp in &closed {
        let mut p = Props::default();
        p.add("modelgate:withheld", "true");
        p.add("modelgate:status", "closed");
        if let Some(l) = &comp.license {
            p.add("modelgate:policy-license", l.clone());
        }
        p.source("name", component_place(facts, unit, comp));
        let kind = if comp.name.contains("data") {
            "data"
        } else if comp.name == "weights" {
            "machine-learning-model"
        } else {
            "application"
        };
        let mut c = json!({
            "type": kind,
            "bom-ref": format!("{parent}/withheld:{}", comp.name),
            "name": comp.name,
            "description": "withheld: declared closed in the release policy, not published",
            "scope": "excluded",
        });
        if kind == "data" {
            c["data"] = json!([{"type": "dataset", "name": comp.name}]);
        }
        c["properties"] = p.into_json();
        out.push(c);
    }
    out
}

/// Where a closed component comes from: its table in modelgate.toml, or the mode's defaults.
fn component_place(facts: &Facts, unit: &Unit, comp: &crate::facts::ComponentFact) -> String {
    let defaults = format!("the default components of {} mode", unit.mode);
    if !comp.declared {
        return defaults;
    }
    let Ok(bytes) = facts.files.read("modelgate.toml", 1024 * 1024) else {
        return "modelgate.toml".into();
    };
    let text = String::from_utf8_lossy(&bytes);
    let wanted = [
        format!("[components.{}]", comp.name),
        format!("[components.\"{}\"]", comp.name),
        format!("[models.\"{}\".components.{}]", unit.folder, comp.name),
    ];
    text.lines()
        .position(|l| wanted.iter().any(|w| l.trim() == w))
        .map(|i| format!("modelgate.toml:{}", i + 1))
        .unwrap_or_else(|| "modelgate.toml".into())
}

/// The SHA-256 of a file, streamed; for a Git LFS pointer, the `oid` it records.
fn sha256_of(facts: &Facts, path: &str) -> Result<(String, &'static str), String> {
    let how = if facts.files.lfs.pointers.contains(path) {
        "git-lfs-pointer-oid"
    } else {
        "file"
    };
    crate::facts::signing::sha256(facts, path).map(|d| (d, how))
}
