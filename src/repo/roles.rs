//! What each file is to a model release.

use serde::Serialize;

/// Weight file name patterns (also the default `weights` component).
pub const WEIGHT_GLOBS: &[&str] = &[
    "*.safetensors",
    "*.bin",
    "*.pt",
    "*.pth",
    "*.ckpt",
    "*.pkl",
    "*.pickle",
    "*.joblib",
    "*.gguf",
    "*.ggml",
    "*.onnx",
    "*.h5",
    "*.hdf5",
    "*.keras",
    "*.msgpack",
    "*.npz",
    "*.npy",
    "*.tflite",
    "*.mlmodel",
    "*.pb",
    "*.engine",
    "*.plan",
    "*.nemo",
    "*.llamafile",
    "*.pdparams",
    "*.mar",
    "*.ot",
    "*.params",
];

const WEIGHT_EXTENSIONS: &[&str] = &[
    "safetensors",
    "bin",
    "pt",
    "pth",
    "ckpt",
    "pkl",
    "pickle",
    "joblib",
    "gguf",
    "ggml",
    "onnx",
    "h5",
    "hdf5",
    "keras",
    "msgpack",
    "npz",
    "npy",
    "tflite",
    "mlmodel",
    "pb",
    "engine",
    "plan",
    "nemo",
    "llamafile",
    "pdparams",
    "mar",
    "ot",
    "params",
];

/// Weight formats that run code when loaded (pickle, or archives of pickles).
pub const PICKLE_EXTENSIONS: &[&str] = &[
    "bin", "pt", "pth", "ckpt", "pkl", "pickle", "joblib", "mar", "nemo",
];

const DATA_EXTENSIONS: &[&str] = &[
    "jsonl", "json", "csv", "tsv", "txt", "parquet", "arrow", "ndjson", "xml", "yaml", "yml",
];
const DATA_FOLDERS: &[&str] = &[
    "data",
    "dataset",
    "datasets",
    "samples",
    "sample",
    "sample_data",
    "sample-data",
    "examples_data",
    "training_data",
    "train_data",
    "eval_data",
    "corpus",
    "corpora",
];
const CONFIG_NAMES: &[&str] = &[
    "config.json",
    "generation_config.json",
    "params.json",
    "model_index.json",
    "tokenizer_config.json",
    "adapter_config.json",
    "preprocessor_config.json",
    "configuration.json",
    "model_config.json",
];
const CODE_EXTENSIONS: &[&str] = &[
    "py", "ipynb", "rs", "c", "cc", "cpp", "cu", "cuh", "h", "hpp", "go", "java", "js", "ts", "jl",
    "sh", "swift", "kt", "scala", "r", "m", "mm", "lua",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    License,
    ModelCard,
    DataStatement,
    DatasetCard,
    Weights,
    DataSample,
    PolicyDoc,
    ModelConfig,
    Code,
    Doc,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::License => "license",
            Role::ModelCard => "model-card",
            Role::DataStatement => "data-statement",
            Role::DatasetCard => "dataset-card",
            Role::Weights => "weights",
            Role::DataSample => "data-sample",
            Role::PolicyDoc => "policy-doc",
            Role::ModelConfig => "model-config",
            Role::Code => "code",
            Role::Doc => "doc",
            Role::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "license" => Role::License,
            "model-card" => Role::ModelCard,
            "data-statement" => Role::DataStatement,
            "dataset-card" => Role::DatasetCard,
            "weights" => Role::Weights,
            "data-sample" => Role::DataSample,
            "policy-doc" => Role::PolicyDoc,
            "model-config" => Role::ModelConfig,
            "code" => Role::Code,
            "doc" => Role::Doc,
            "other" => Role::Other,
            _ => return None,
        })
    }

    pub const NAMES: &'static [&'static str] = &[
        "license",
        "model-card",
        "data-statement",
        "dataset-card",
        "weights",
        "data-sample",
        "policy-doc",
        "model-config",
        "code",
        "doc",
        "other",
    ];

    /// Roles whose text modelgate parses as a document.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Role::License
                | Role::ModelCard
                | Role::DataStatement
                | Role::DatasetCard
                | Role::PolicyDoc
        )
    }
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub fn parent(path: &str) -> &str {
    path.rfind('/').map(|i| &path[..i]).unwrap_or("")
}

pub fn extension(path: &str) -> Option<String> {
    let name = file_name(path);
    let dot = name.rfind('.')?;
    (dot > 0).then(|| name[dot + 1..].to_ascii_lowercase())
}

pub fn is_weight_name(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    // sharded checkpoints such as pytorch_model-00001-of-00002.bin end in a weight extension too
    extension(&name).is_some_and(|e| WEIGHT_EXTENSIONS.contains(&e.as_str()))
        && !matches!(name.as_str(), "tokenizer.bin" | "vocab.bin")
}

pub fn is_pickle_name(path: &str) -> bool {
    extension(path).is_some_and(|e| PICKLE_EXTENSIONS.contains(&e.as_str()))
}

pub fn is_model_config(path: &str) -> bool {
    CONFIG_NAMES.contains(&file_name(path).to_ascii_lowercase().as_str())
}

fn upper_stem(name: &str) -> String {
    let stem = name.split('.').next().unwrap_or(name);
    stem.to_ascii_uppercase().replace('-', "_")
}

pub fn is_license_name(path: &str) -> bool {
    let name = file_name(path);
    let upper = name.to_ascii_uppercase();
    let stem = upper_stem(name);
    if upper.ends_with(".LICENSE") || upper.ends_with(".LICENCE") {
        return true;
    }
    // text-like files only: LICENSE.png is not a licence
    let ext_ok = extension(name).is_none_or(|e| {
        matches!(
            e.as_str(),
            "md" | "txt" | "rst" | "markdown" | "html" | "pdf"
        )
    }) || upper.starts_with("LICENSE-")
        || upper.starts_with("LICENCE-")
        || upper.starts_with("COPYING.");
    if !ext_ok {
        return false;
    }
    if stem.contains("LICENSE")
        || stem.contains("LICENCE")
        || stem.starts_with("COPYING")
        || stem.starts_with("NOTICE")
        || stem.starts_with("USE_POLICY")
        || stem.starts_with("ACCEPTABLE_USE")
    {
        return true;
    }
    // names in words, with spaces or other separators: "Model Agreement", "Acceptable Use
    // Policy", "模型许可协议"
    let words: Vec<String> = name
        .split('.')
        .next()
        .unwrap_or(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    has("COPYING")
        || has("NOTICE")
        || has("EULA")
        || (has("AGREEMENT") && (has("MODEL") || has("USER") || has("LICENSE") || has("USE")))
        || (has("USE") && has("POLICY"))
        || ["许可", "协议", "授权", "使用条款"]
            .iter()
            .any(|z| name.contains(z))
}

pub fn is_markdown(path: &str) -> bool {
    extension(path).is_some_and(|e| matches!(e.as_str(), "md" | "markdown"))
}

/// README.md, README_zh.md, README-CN.md, README.zh-CN.md: a card's language variants.
pub fn is_readme(path: &str) -> bool {
    let name = file_name(path);
    let upper = name.to_ascii_uppercase();
    is_markdown(name)
        && (upper == "README.MD"
            || upper.starts_with("README_")
            || upper.starts_with("README-")
            || upper.starts_with("README."))
}

/// A Markdown file whose name says "model card" (or names the Hub's README) in words, in any
/// order, case and separators, with other words beside them: `MODEL_CARD.md`,
/// `model-card.zh.md`, `MODEL_CARD_VISION.md`, `ModelCard_EN.md`, `HUGGINGFACE_README.md`,
/// `hub_card.md`. "card" alone (`card_game.md`) is not enough.
pub fn is_model_card_name(path: &str) -> bool {
    let name = file_name(path);
    if !is_markdown(name) {
        return false;
    }
    let stem = &name[..name.len() - 3];
    let lower = stem.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(['_', '-', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let card = has(&["card", "cards"]);
    let hub = has(&["hub", "huggingface", "hf"]);
    has(&["modelcard", "modelcards"])
        || (card && has(&["model", "models"]))
        || (hub && (card || has(&["readme"])))
}

/// A folder that holds the cards of the release around it (`model_cards/`, `cards/`).
pub fn is_cards_folder(folder: &str) -> bool {
    let last = folder
        .rsplit('/')
        .next()
        .unwrap_or(folder)
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "model_cards" | "model-cards" | "modelcards" | "cards" | "model_card" | "model-card"
    )
}

pub fn is_data_statement_name(path: &str) -> bool {
    let name = file_name(path).to_ascii_uppercase();
    is_markdown(&name)
        && [
            "DATA_STATEMENT",
            "DATASTATEMENT",
            "DATA-STATEMENT",
            "DATASHEET",
            "DATA_CARD",
            "DATACARD",
            "DATA-CARD",
            "DATASET_CARD",
            "DATASETCARD",
            "DATA_SHEET",
        ]
        .iter()
        .any(|p| name.starts_with(p))
}

pub fn policy_doc_kind(path: &str) -> Option<&'static str> {
    let name = file_name(path).to_ascii_uppercase();
    let stem = name.split('.').next().unwrap_or("");
    Some(match stem {
        "SECURITY" => "security",
        "CONTRIBUTING" => "contributing",
        "CODE_OF_CONDUCT" | "CODE-OF-CONDUCT" | "CODEOFCONDUCT" => "code-of-conduct",
        "PRIVACY" | "PRIVACY_POLICY" | "PRIVACY-POLICY" => "privacy",
        "SUPPORT" => "support",
        _ => return None,
    })
}

pub fn in_data_folder(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
        .iter()
        .any(|p| DATA_FOLDERS.contains(&p.to_ascii_lowercase().as_str()))
}

/// Folders of a project's tests and their fixtures.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "test_data",
    "testdata",
    "test-data",
    "testing",
    "fixtures",
    "__tests__",
];

/// A generic pickle (`.pkl`, `.pickle`, `.joblib`: any Python object, not a weights format) in
/// a test folder: a test's input or expected output, not the release's weights. It is still
/// inspected for the code it would run.
fn is_test_pickle(path: &str) -> bool {
    matches!(
        extension(path).as_deref(),
        Some("pkl" | "pickle" | "joblib")
    ) && parent(path)
        .split('/')
        .any(|p| TEST_DIRS.iter().any(|t| p.eq_ignore_ascii_case(t)))
}

/// The role a file has from its name and place alone. `weight_folders` holds folders that
/// contain weights or a model config (their README.md is a model card).
pub fn role_of(path: &str, is_model_folder: impl Fn(&str) -> bool) -> Role {
    let folder = parent(path);
    if is_license_name(path) {
        return Role::License;
    }
    if is_data_statement_name(path) {
        return Role::DataStatement;
    }
    if is_model_card_name(path) || (is_cards_folder(folder) && is_markdown(path)) {
        return Role::ModelCard;
    }
    if is_readme(path) {
        if in_data_folder(path) || folder.split('/').any(|p| p.eq_ignore_ascii_case("data")) {
            return Role::DatasetCard;
        }
        if folder.is_empty() || is_model_folder(folder) {
            return Role::ModelCard;
        }
        return Role::Doc;
    }
    if policy_doc_kind(path).is_some()
        && (is_markdown(path)
            || extension(path).is_none()
            || extension(path).as_deref() == Some("txt"))
    {
        return Role::PolicyDoc;
    }
    if is_weight_name(path) {
        if is_test_pickle(path) {
            return Role::Other;
        }
        return Role::Weights;
    }
    if is_model_config(path) {
        return Role::ModelConfig;
    }
    let ext = extension(path);
    if let Some(e) = &ext {
        if DATA_EXTENSIONS.contains(&e.as_str()) && in_data_folder(path) {
            return Role::DataSample;
        }
        if CODE_EXTENSIONS.contains(&e.as_str()) {
            return Role::Code;
        }
        if matches!(e.as_str(), "md" | "markdown" | "rst") {
            return Role::Doc;
        }
    }
    Role::Other
}

/// Terms-of-use files that the roles do not count as licences: the licence evidence reads
/// them, so they are read as documents.
pub fn is_terms_name(path: &str) -> bool {
    let name = file_name(path);
    // most names hold no "terms": tell them without allocating
    if !name
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"terms"))
    {
        return false;
    }
    let n = name.to_ascii_uppercase().replace(['-', ' '], "_");
    (n.contains("TERMS_OF_USE") || n.contains("TERMS_OF_SERVICE"))
        && !n.contains("OUTPUT")
        && extension(path).is_none_or(|e| matches!(e.as_str(), "md" | "txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(p: &str) -> Role {
        role_of(p, |f| f == "models/chat")
    }

    #[test]
    fn roles() {
        assert_eq!(role("LICENSE"), Role::License);
        assert_eq!(role("LICENSE-MODEL"), Role::License);
        assert_eq!(role("MODEL_LICENSE_AGREEMENT.txt"), Role::License);
        assert_eq!(role("third/foo.license"), Role::License);
        assert_eq!(role("COPYING.md"), Role::License);
        assert_eq!(role("USE_POLICY.md"), Role::License);
        assert_eq!(role("README.md"), Role::ModelCard);
        assert_eq!(role("README_zh.md"), Role::ModelCard);
        assert_eq!(role("models/chat/README.md"), Role::ModelCard);
        assert_eq!(role("docs/README.md"), Role::Doc);
        assert_eq!(role("data/README.md"), Role::DatasetCard);
        assert_eq!(role("docs/MODEL_CARD.md"), Role::ModelCard);
        // card names in any order, case and separators; a Hub README kept under another name
        for name in [
            "model_card.md",
            "ModelCard_EN.md",
            "card.model.md",
            "MODEL_CARD_zh-CN.md",
            "HUGGINGFACE_README.md",
            "hf-readme.md",
            "Model Card.md",
            "model_cards/FLUX.1-dev.md",
            "MODEL_CARD_VISION.md",
            "models/llama3/MODEL_CARD_70B.md",
        ] {
            assert_eq!(role(name), Role::ModelCard, "{name}");
        }
        for name in [
            "cardinal.md",
            "model.md",
            "models_overview.md",
            "docs/card_game.md",
        ] {
            assert_ne!(role(name), Role::ModelCard, "{name}");
        }
        assert_eq!(role("DATA_STATEMENT.md"), Role::DataStatement);
        assert_eq!(role("model-00001-of-00002.safetensors"), Role::Weights);
        assert_eq!(role("pytorch_model.bin"), Role::Weights);
        assert_eq!(role("data/train.jsonl"), Role::DataSample);
        assert_eq!(role("config.json"), Role::ModelConfig);
        assert_eq!(role("SECURITY.md"), Role::PolicyDoc);
        assert_eq!(role("train.py"), Role::Code);
        assert_eq!(role("notes.txt"), Role::Other);
        assert_eq!(role("LICENSE.png"), Role::Other);
        // names in words: spaces, other words, no extension, Chinese
        for name in [
            "Model License Agreement.txt",
            "LICENSE (weights).md",
            "llama model license",
            "Acceptable Use Policy.md",
            "Model Agreement",
            "模型许可协议.md",
            "COPYING.LESSER",
        ] {
            assert_eq!(role(name), Role::License, "{name}");
        }
        // test inputs and outputs pickled as Python objects are not weights
        assert_eq!(role("src/pkg/test_data/run_output.pkl"), Role::Other);
        assert_eq!(role("tests/fixtures/example.pickle"), Role::Other);
        assert_eq!(role("tests/model.pt"), Role::Weights);
        assert_eq!(role("checkpoints/model.pkl"), Role::Weights);
        for name in ["license_check.py", "agreement_score.json", "policy.md"] {
            assert_ne!(role(name), Role::License, "{name}");
        }
    }
}
