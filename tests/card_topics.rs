//! A card says a topic in many forms: headings in their word forms, headings that join two
//! topics, bold labels and definition lines, table rows, content that can only be that topic,
//! and other card files of the release. Each form is found, in English and in Chinese, and an
//! absent topic is still reported.

mod common;

use common::{places, run_in};
use std::path::Path;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The findings of `rule` on a release made of `files` checked in `mode`.
fn findings(mode: &str, files: &[(&str, &str)], rule: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let policy = format!("[release]\nmode = \"{mode}\"\n");
    write(dir.path(), &[("modelgate.toml", policy.as_str())]);
    write(dir.path(), files);
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr));
    places(&v)
        .into_iter()
        .filter(|p| p.split(' ').nth(1) == Some(rule))
        .collect()
}

/// Each card holds the topic of `rule` in one form: none may be reported missing.
fn found_in_each(rule: &str, mode: &str, cards: &[&str]) {
    for card in cards {
        let f = findings(mode, &[("README.md", card)], rule);
        assert!(
            f.is_empty(),
            "{rule} reported on a card that says it:\n{card}\n{f:?}"
        );
    }
}

/// A card that does not say the topic: it is still reported.
fn absent_is_reported(rule: &str, mode: &str) {
    for card in [
        "# M\n\nA short note about this repository and its folders.\n",
        "# M\n\n这个仓库的简短说明。\n",
    ] {
        let f = findings(mode, &[("README.md", card)], rule);
        assert!(!f.is_empty(), "{rule} not reported on:\n{card}");
    }
}

#[test]
fn citation_in_every_form() {
    found_in_each(
        "card/citation",
        "open",
        &[
            "# M\n\n## Citing This Work\n\nPlease cite the technical report of Acme Labs, 2026.\n",
            "# M\n\n## 引用本工作\n\n请引用 Acme 实验室 2026 年的技术报告。\n",
            "# M\n\n**Cite as:** Acme Labs, M: a small model (2026).\n",
            "# M\n\n**引用：** Acme 实验室，M 模型技术报告（2026）。\n",
            "# M\n\n## Reference\n\n```bibtex\n@misc{acme2026m,\n  title={M},\n  year={2026}\n}\n```\n",
            "# M\n\n## 参考\n\n```bibtex\n@misc{acme2026m,\n  title={M},\n  year={2026}\n}\n```\n",
        ],
    );
    absent_is_reported("card/citation", "open");
}

#[test]
fn out_of_scope_use_in_every_form() {
    found_in_each(
        "card/out-of-scope-use",
        "open",
        &[
            // a bold label that runs into its paragraph
            "# M\n\n**Out-of-scope** Use in any manner that violates applicable laws, or for medical advice.\n",
            "# M\n\n**超出范围的使用：** 不可用于医疗诊断或法律咨询等高风险场景。\n",
            // a heading that names two topics
            "# M\n\n## Intended Uses and Out-of-Scope Use\n\nFor sorting reviews; not for decisions about individuals.\n",
            "# M\n\n## 用途与超出范围的使用\n\n用于整理评论；不可用于对个人的决策或医疗分诊。\n",
            // a sentence that can only be that topic
            "# M\n\nWe strongly ask users not to use the model for surveillance or any unlawful activity.\n",
            "# M\n\n我们要求使用者不要将该模型用于监控或任何违法活动。\n",
            // a table row
            "# M\n\n| Aspect | Details |\n|---|---|\n| Out-of-scope use | Medical advice, legal advice, decisions about individuals |\n",
            "# M\n\n| 项目 | 说明 |\n|---|---|\n| 超出范围的使用 | 医疗建议、法律建议、对个人的决策 |\n",
        ],
    );
    absent_is_reported("card/out-of-scope-use", "open");
}

#[test]
fn training_data_in_every_form() {
    found_in_each(
        "data/training-sources",
        "open",
        &[
            "# M\n\n## Dataset and Training\n\nWe train on [RedPajama](https://example.org/rp) and Wikipedia dumps for three epochs.\n",
            "# M\n\n## 数据集与训练\n\n模型在 [RedPajama](https://example.org/rp) 和维基百科上训练了三个轮次。\n",
            "# M\n\n## Training\n\n**Training Data**\nThe model was trained on LAION-5B subsets filtered for aesthetics.\n",
            "# M\n\n**训练数据：** 来自公开网页与维基百科的中英文语料，共二万亿词元。\n",
            "# M\n\n| Item | Value |\n|---|---|\n| Training Data | SST-2 movie reviews, 67,349 English sentences |\n",
            "# M\n\n| 项目 | 内容 |\n|---|---|\n| 训练数据 | SST-2 电影评论，六万七千条英文句子 |\n",
            "# M\n\n## Stages\n\nIn the first stage, we train on large amounts of web data: [Mix-1](https://example.org/mix-1).\n",
            "# M\n\n## 阶段\n\n第一阶段，模型在 [Mix-1](https://example.org/mix-1) 网页数据上进行预训练。\n",
        ],
    );
    absent_is_reported("data/training-sources", "open");
}

#[test]
fn training_data_only_in_a_training_context() {
    // a benchmark list, a sample file of a fine-tuning tutorial, and an unlinked token count
    // are not a disclosure of the training data
    for card in [
        "# M\n\n## Evaluation datasets\n\nWe evaluated on [MMLU](https://example.org/mmlu) and GSM8K.\n",
        "# M\n\n## Fine-tune it yourself\n\nTraining data: `data/sample.json`, a sample.\n\n```sh\npython finetune.py --data data/sample.json\n```\n",
        "# M\n\nThe model was trained on 3T tokens.\n",
    ] {
        let f = findings("open", &[("README.md", card)], "data/training-sources");
        assert!(!f.is_empty(), "training data taken as disclosed in:\n{card}");
    }
}

#[test]
fn evaluation_as_a_table_of_scores() {
    found_in_each(
        "card/evaluation",
        "open",
        &[
            "# M\n\n## Results\n\n| Benchmark | Score |\n|---|---|\n| MMLU | 71.3 |\n| GSM8K | 62.0 |\n| HumanEval | 48.2 |\n",
            "# M\n\n## Numbers\n\n| Benchmark | Score |\n|---|---|\n| MMLU | 71.3 |\n| GSM8K | 62.0 |\n| HumanEval | 48.2 |\n",
            "# M\n\n## 数字\n\n| 基准 | 得分 |\n|---|---|\n| C-Eval | 71.3% |\n| CMMLU | 62.0% |\n| GSM8K | 48.2% |\n",
        ],
    );
    // a table of stage numbers and links is not a table of scores
    let f = findings(
        "open",
        &[(
            "README.md",
            "# M\n\n## Checkpoints\n\n| Model | Stage | Link |\n|---|---|---|\n| M-1B | 2 | [a](https://example.org/a) |\n| M-1B | 3 | [b](https://example.org/b) |\n| M-7B | 2 | [c](https://example.org/c) |\n",
        )],
        "card/evaluation",
    );
    assert!(!f.is_empty());
    absent_is_reported("card/evaluation", "open");
}

#[test]
fn limitations_intended_use_and_emissions_in_prose_and_labels() {
    found_in_each(
        "card/limitations",
        "open",
        &[
            "# M\n\nThe model may produce inaccurate or biased answers about recent events and hallucinates citations.\n",
            "# M\n\n该模型可能产生不准确的回答，也会出现幻觉，编造并不存在的引用。\n",
            "# M\n\n## Known Limitations\n\nIt misreads sarcasm and negation across sentences, and it has not been tested on legal text.\n",
            "# M\n\n## 已知局限\n\n无法正确理解跨句的讽刺与否定，也未在法律文本上测试。\n",
        ],
    );
    absent_is_reported("card/limitations", "open");
    found_in_each(
        "card/intended-use",
        "open",
        &[
            "# M\n\nThe M models were developed with the explicit purpose of enabling research in interpretability.\n",
            "# M\n\n本模型主要用于学术研究与教学演示。\n",
            "# M\n\n**Intended Use Cases** Commercial and research use in English, for assistant-like chat and for adapting to other text tasks.\n",
            "# M\n\n**预期用途：** 面向中文客服场景的问答。\n",
        ],
    );
    absent_is_reported("card/intended-use", "open");
    found_in_each(
        "card/environmental-impact",
        "open",
        &[
            "# M\n\nPretraining used 7.7M GPU hours on H100 GPUs; estimated emissions were 2290 tCO2eq.\n",
            "# M\n\n预训练在 H100 上使用了 77 万 GPU hours，碳排放约 229 吨。\n",
            "# M\n\n**Carbon Footprint** Training emitted about twelve tonnes of carbon dioxide.\n",
        ],
    );
    absent_is_reported("card/environmental-impact", "open");
}

#[test]
fn getting_started_model_details_and_training_procedure() {
    found_in_each(
        "card/getting-started",
        "open",
        &[
            "# M\n\n## How to Run Locally\n\nServe it with vLLM on eight GPUs.\n",
            "# M\n\n## 本地运行\n\n使用 vLLM 在八张显卡上运行模型。\n",
            "# M\n\n## Example\n\n```python\nfrom transformers import AutoModel\nmodel = AutoModel.from_pretrained('acme/m')\n```\n",
        ],
    );
    absent_is_reported("card/getting-started", "open");
    found_in_each(
        "card/model-details",
        "open",
        &[
            "# M\n\nM is a 7-billion-parameter decoder-only transformer language model trained by Acme Labs on English text.\n\n## Other\n\nMore.\n",
            "# M\n\nM 是由 Acme 实验室训练的七十亿参数中英双语大语言模型，采用仅解码器的 Transformer 架构。\n\n## 其他\n\n更多。\n",
            "# M\n\n## Models\n\n| Size | Layers | Heads |\n|---|---|---|\n| 7B | 32 | 32 |\n",
        ],
    );
    absent_is_reported("card/model-details", "open");
    found_in_each(
        "card/training-procedure",
        "open",
        &[
            "# M\n\n## Pretraining\n\nTwo stages: four trillion tokens, then fifty billion tokens of selected data.\n",
            "# M\n\n## 预训练\n\n分两个阶段：先四万亿词元，再五百亿词元的精选数据。\n",
        ],
    );
    absent_is_reported("card/training-procedure", "open");
}

#[test]
fn withheld_parts_stated_in_prose() {
    found_in_each(
        "protect/withheld-stated",
        "hybrid",
        &[
            "# M\n\nWe intend to release the model weights once the licence of the base model allows it.\n",
            "# M\n\n模型权重暂不公开，仅提供推理代码。\n",
        ],
    );
    // comparing with closed-source models, or naming an API, says nothing is withheld
    let f = findings(
        "hybrid",
        &[(
            "README.md",
            "# M\n\nMatches closed source alternatives. Also available via API from three providers.\n",
        )],
        "protect/withheld-stated",
    );
    assert!(!f.is_empty());
    absent_is_reported("protect/withheld-stated", "hybrid");
}

#[test]
fn every_card_file_of_the_release_is_read() {
    let limits = "# M\n\n## Limitations\n\nIt misreads sarcasm and negation across sentences, and it has not been tested on legal text.\n";
    let readme = "# M\n\nWeights and code for M.\n";
    for files in [
        // a second card beside the README, under any spelling of "model card"
        vec![("README.md", readme), ("MODEL_CARD_zh.md", limits)],
        vec![("README.md", readme), ("Model-Card.md", limits)],
        vec![("README.md", readme), ("HUGGINGFACE_README.md", limits)],
        // a model_cards/ folder holds cards of the release around it
        vec![("README.md", readme), ("model_cards/m-7b.md", limits)],
        // a local card the README links to as the model card
        vec![
            ("README.md", "# M\n\nSee the [model card](docs/m.md).\n"),
            ("docs/m.md", limits),
        ],
        vec![
            ("README.md", "# M\n\n详见[模型卡](./docs/m.md)。\n"),
            ("docs/m.md", limits),
        ],
        // a Hub card kept under another name, known by its front matter
        vec![
            ("README.md", readme),
            (
                "hub/m-7b.md",
                "---\nlicense: mit\npipeline_tag: text-generation\n---\n# M\n\n## Limitations\n\nIt misreads sarcasm and negation across sentences, and it has not been tested on legal text.\n",
            ),
        ],
    ] {
        let f = findings("open", &files, "card/limitations");
        assert!(f.is_empty(), "{files:?}: {f:?}");
    }
    // a Markdown file that is not linked as a card is not one
    let f = findings(
        "open",
        &[
            ("README.md", "# M\n\nSee [the notes](docs/m.md).\n"),
            ("docs/m.md", limits),
        ],
        "card/limitations",
    );
    assert!(!f.is_empty());
}

#[test]
fn a_short_label_is_not_a_section_to_fill_in() {
    // "Inference code: MIT" is no getting-started section; the finding stays at the card
    let f = findings(
        "open",
        &[("README.md", "# M\n\n## License\n\nInference code: MIT.\n")],
        "card/getting-started",
    );
    assert_eq!(f, ["warning card/getting-started README.md:5:1"]);
}

fn copy(name: &str) -> tempfile::TempDir {
    common::copy_fixture(name)
}

fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let p = dir.join(path);
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "{path} does not hold {from:?}");
    std::fs::write(p, t.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_complete_release_whose_evaluation_is_a_table_passes() {
    let dir = copy("open-good");
    edit(
        dir.path(),
        "README.md",
        "On the SST-2 validation split (872 sentences) the model reaches 92.1% accuracy, against 91.3% for\nthe base model fine-tuned with default settings.\n",
        "| Split | Accuracy |\n|---|---|\n| SST-2 validation | 92.1 |\n| SST-2 test | 91.4 |\n| IMDB (zero-shot) | 85.0 |\n",
    );
    let r = run_in(dir.path(), &["check", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn a_complete_chinese_card_that_opens_with_its_description_passes() {
    let dir = copy("open-zh");
    edit(dir.path(), "README.md", "## 模型介绍\n\n", "");
    let r = run_in(dir.path(), &["check", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn limitations_that_hold_only_a_placeholder_still_fail() {
    let dir = copy("open-good");
    edit(
        dir.path(),
        "README.md",
        "Movie-review language differs from product reviews; sarcasm and negation across sentences are\noften misread. The model inherits biases of its pretraining corpus and of the reviewers in SST-2.\n",
        "[More Information Needed]\n",
    );
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let p = places(&v);
    assert!(
        p.iter()
            .any(|p| p.starts_with("error card/limitations README.md:")),
        "{p:?}"
    );
}

#[test]
fn a_stub_readme_in_a_folder_makes_no_model() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("README.md", "# M\n\nWeights and code for M.\n"),
            // a code folder with a config and a one-line README
            ("tools/config.json", "{}"),
            ("tools/README.md", "# Tools\n\nHelpers.\n"),
        ],
    );
    let r = run_in(dir.path(), &["check", ".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["policy"]["models"]
            .as_array()
            .is_none_or(|m| m.is_empty()),
        "{}",
        v["policy"]
    );
    assert!(!r.stderr.contains("for `tools`"), "{}", r.stderr);
    // the root release is checked
    assert!(places(&v)
        .iter()
        .any(|p| p.contains("card/intended-use README.md")));
}
