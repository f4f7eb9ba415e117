//! `modelgate init`: a policy, a model card and a data statement whose sections are exactly
//! the ones the mode's rules ask for, and, where the mode asks, community files. Never chooses a
//! licence, never overwrites a file.

use crate::config::Mode;
use crate::documents::headings;
use crate::finding::Level;
use crate::policy::check::{Check, DocKind, DocScope};
use crate::policy::RuleSet;
use crate::repo::{roles, FileSet, Role};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

/// The placeholder every skeleton section holds; it counts as missing until replaced.
pub const PLACEHOLDER_EN: &str = "[More Information Needed]";
pub const PLACEHOLDER_ZH: &str = "待补充";

/// What a section should say, per section group: (English, Chinese).
const GUIDE: &[(&str, &str, &str, &str)] = &[
    ("model-details", "模型介绍", "Who built the model, its architecture and size, its inputs and outputs, and a link to the paper or technical report.", "模型由谁开发、架构与规模、输入与输出，以及论文或技术报告的链接。"),
    ("withheld", "未公开内容", "Which parts are not released (weights, training code, data) and how, if at all, they can be accessed.", "哪些部分未公开（权重、训练代码、数据），以及是否、如何可以获取。"),
    ("intended-use", "预期用途", "The tasks, users and settings the model was built and tested for.", "模型为哪些任务、用户和场景而构建并经过测试。"),
    ("out-of-scope-use", "超出范围的使用", "Uses the model was not built or tested for, and uses that are forbidden.", "模型未针对或禁止的用途。"),
    ("training-data", "训练数据", "Each training dataset by name, with a link (open releases), or a summary: sources, languages, the period the data covers, and its size.", "逐一列出训练数据集并给出链接（开放发布），或给出摘要：来源、语言、时间范围和规模。"),
    ("training-procedure", "训练过程", "Preprocessing, hyperparameters, hardware and training time.", "预处理、超参数、硬件和训练时长。"),
    ("evaluation", "评估", "The benchmarks or test sets, the metrics, and the results.", "评测基准或测试集、指标和结果。"),
    ("limitations", "偏见、风险与局限性", "Known failure modes, biases found in evaluation, and the risks of deployment.", "已知的失效情形、评估中发现的偏见以及部署风险。"),
    ("privacy", "隐私", "Whether the training data holds personal data; the lawful basis or consent; how it was de-identified; and how people can ask for removal.", "训练数据是否包含个人信息；合法性基础或同意；如何脱敏；以及如何申请删除。"),
    ("getting-started", "快速开始", "A short code example that loads the model and runs it.", "加载并运行模型的简短代码示例。"),
    ("license", "许可证", "The licence of the code and of the weights, with a link to each text.", "代码与权重各自的许可证及其全文链接。"),
    ("patents", "专利", "The patents or applications that cover the model's techniques.", "覆盖模型技术的专利或专利申请。"),
    ("citation", "引用", "A BibTeX entry for the model or its paper.", "模型或论文的 BibTeX 引用条目。"),
    ("environmental-impact", "环境影响", "Hardware, hours, cloud region and estimated CO2 emissions of training.", "训练所用硬件、时长、云区域和估算的碳排放。"),
    ("contact", "联系方式", "Where to ask questions and report problems.", "提问和报告问题的渠道。"),
    ("curation-rationale", "数据整理依据", "Why these texts were selected and how.", "为何以及如何选取这些文本。"),
    ("language-variety", "语言变体", "The languages and varieties, with BCP 47 tags (e.g. en-US).", "语言及其变体，附 BCP 47 标签（如 zh-CN）。"),
    ("speaker-demographic", "说话人", "Who produced the texts: age, gender, region, native language, as known.", "文本作者的人群特征：年龄、性别、地区、母语等（如已知）。"),
    ("annotator-demographic", "标注者", "Who annotated the data and how they were recruited and paid.", "谁进行了标注，如何招募以及报酬。"),
    ("speech-situation", "言语情境", "Time, place, medium and audience of the texts.", "文本产生的时间、地点、媒介和受众。"),
    ("text-characteristics", "文本特征", "Genre, topic and structure of the texts.", "文本的体裁、主题和结构。"),
    ("provenance", "来源说明", "Where each source came from and under which terms.", "每个来源的出处及其使用条款。"),
    ("source-data", "源数据", "How the data was collected and from where.", "数据如何以及从何处收集。"),
    ("personal-information", "个人和敏感信息", "Personal or sensitive information in the data, and how it was handled.", "数据中的个人或敏感信息及其处理方式。"),
    ("dataset-licensing", "数据许可", "The licence of the data.", "数据的许可证。"),
];

use crate::documents::headings::CARD_ORDER;

/// Data statement sections in the order of the Data Statements schema.
const DATA_ORDER: &[&str] = &[
    "curation-rationale",
    "language-variety",
    "speaker-demographic",
    "annotator-demographic",
    "speech-situation",
    "text-characteristics",
    "provenance",
    "source-data",
    "personal-information",
    "dataset-licensing",
];

fn guide(group: &str) -> (String, String, String) {
    match GUIDE.iter().find(|g| g.0 == group) {
        Some((_, zh, en_text, zh_text)) => (
            headings::title(group),
            zh.to_string(),
            format!("{en_text}\n{zh_text}"),
        ),
        None => (
            headings::title(group),
            headings::title(group),
            String::new(),
        ),
    }
}

/// What the rules of a mode ask a release to contain.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Required {
    /// Section groups of the model card, in reading order, with their minimum words.
    pub card: Vec<(String, usize)>,
    /// Section groups of the data statement.
    pub data: Vec<(String, usize)>,
    /// Front matter keys of the card.
    pub front_matter: BTreeSet<String>,
    /// Policy documents by kind (`security`, `contributing`, `code-of-conduct`, ...).
    pub policy_docs: BTreeSet<String>,
    /// Whether a data statement is asked for at all.
    pub data_statement: bool,
}

fn add(list: &mut Vec<(String, usize)>, group: &str, words: usize) {
    match list.iter_mut().find(|(g, _)| g == group) {
        Some(e) => e.1 = e.1.max(words),
        None => list.push((group.to_string(), words)),
    }
}

/// Collects what a check asks for where it must hold (not under `not`, first alternative of
/// `any`).
fn collect(c: &Check, req: &mut Required) {
    match c {
        Check::All(items) => items.iter().for_each(|i| collect(i, req)),
        Check::Any(items) => {
            if let Some(first) = items.first() {
                collect(first, req);
            }
        }
        Check::Section(s) => {
            if let Some(name) = &s.name {
                let words = s.min_words.unwrap_or(1);
                if s.doc == DocScope::Data {
                    add(&mut req.data, &name.0, words);
                    req.data_statement = true;
                } else {
                    add(&mut req.card, &name.0, words);
                }
            }
        }
        Check::Text(t) => {
            if let Some(name) = &t.section {
                if t.doc == DocScope::Data {
                    add(&mut req.data, &name.0, 1);
                } else {
                    add(&mut req.card, &name.0, 1);
                }
            }
        }
        Check::FrontMatter(f)
            if f.equals.is_none() && f.one_of.is_none() && f.matches.is_none() =>
        {
            req.front_matter.insert(f.key.clone());
        }
        Check::Document(d) => match d.kind {
            DocKind::Policy => {
                if let Some(n) = &d.name {
                    req.policy_docs.insert(n.clone());
                }
            }
            DocKind::Data | DocKind::DataStatement => req.data_statement = true,
            _ => {}
        },
        _ => {}
    }
}

/// Whether a rule's `when` holds for a fresh skeleton: no jurisdictions, no patents, no facts
/// found yet, placeholder text only, but the documents and sections init writes.
fn when_applies(c: &Check, mode: Mode) -> bool {
    match c {
        Check::All(v) => v.iter().all(|x| when_applies(x, mode)),
        Check::Any(v) => v.iter().any(|x| when_applies(x, mode)),
        Check::Not(x) => !when_applies(x, mode),
        Check::Mode(m) => m.0.contains(&mode),
        Check::Jurisdiction(_)
        | Check::Component(_)
        | Check::Fact(_)
        | Check::Text(_)
        | Check::License(_) => false,
        Check::FrontMatter(f) => f.equals.is_none() && f.one_of.is_none() && f.matches.is_none(),
        Check::File(_) | Check::Document(_) | Check::Section(_) => true,
    }
}

/// What the built-in rules of a mode require, at level warning or above.
pub fn required(rules: &RuleSet, mode: Mode) -> Required {
    let mut req = Required::default();
    for r in &rules.rules {
        if !r.def.modes.contains(&mode) || r.level(mode).is_none_or(|l| l < Level::Warning) {
            continue;
        }
        if r.def.when.as_ref().is_some_and(|w| !when_applies(w, mode)) {
            continue;
        }
        collect(&r.def.check, &mut req);
    }
    let rank = |g: &str| {
        CARD_ORDER
            .iter()
            .position(|x| *x == g)
            .unwrap_or(CARD_ORDER.len())
    };
    req.card.sort_by_key(|(g, _)| rank(g));
    let data_rank = |g: &str| {
        DATA_ORDER
            .iter()
            .position(|x| *x == g)
            .unwrap_or(DATA_ORDER.len())
    };
    req.data.sort_by_key(|(g, _)| data_rank(g));
    req
}

fn section_text(group: &str, words: usize, lang: Lang) -> String {
    let (en, zh, what) = guide(group);
    let (title, placeholder) = match lang {
        Lang::En => (en, PLACEHOLDER_EN),
        Lang::Zh => (zh, PLACEHOLDER_ZH),
    };
    let hint = what
        .lines()
        .nth(if lang == Lang::Zh { 1 } else { 0 })
        .unwrap_or("")
        .to_string();
    let min = if words > 1 {
        match lang {
            Lang::En => format!(" At least {words} words."),
            Lang::Zh => format!(" 至少 {words} 字。"),
        }
    } else {
        String::new()
    };
    format!("## {title}\n\n<!-- {hint}{min} -->\n{placeholder}\n\n")
}

/// The model card skeleton.
pub fn card(req: &Required, mode: Mode, lang: Lang, name: &str) -> String {
    let mut s = String::from("---\n");
    s.push_str("# license: choose the licence yourself (see `modelgate init`'s walkthrough), then write its Hub id here\n");
    s.push_str(&format!(
        "language:\n- {}\n",
        if lang == Lang::Zh { "zh" } else { "en" }
    ));
    if req.front_matter.contains("datasets") {
        s.push_str("datasets: []  # the Hub id of each training dataset, e.g. `- allenai/c4`\n");
    }
    s.push_str("---\n\n");
    s.push_str(&format!("# {name}\n\n"));
    let intro = match lang {
        Lang::En => format!("<!-- Release mode: {mode}. Replace every `{PLACEHOLDER_EN}` below; `modelgate check` says what is still missing. -->\n\n"),
        Lang::Zh => format!("<!-- 发布模式：{mode}。请替换下文所有“{PLACEHOLDER_ZH}”；`modelgate check` 会指出仍缺少的内容。 -->\n\n"),
    };
    s.push_str(&intro);
    for (g, w) in &req.card {
        let mut text = section_text(g, *w, lang);
        if g == "training-data" && mode != Mode::Open {
            text = with_data_summary(text, lang);
        }
        s.push_str(&text);
    }
    s.trim_end().to_string() + "\n"
}

/// A release that withholds its data summarises it (`data/summary`, the EU AI Act's training
/// data summary): the section gets one labelled line for each thing a summary gives.
fn with_data_summary(section: String, lang: Lang) -> String {
    let (labels, placeholder): (&[&str], &str) = match lang {
        Lang::En => (
            &["Sources", "Languages", "Period collected", "Size"],
            PLACEHOLDER_EN,
        ),
        Lang::Zh => (&["来源", "语言", "采集时间", "规模"], PLACEHOLDER_ZH),
    };
    let sep = if lang == Lang::Zh { "：" } else { ":" };
    let lines: String = labels
        .iter()
        .map(|l| format!("- **{l}{sep}** {placeholder}\n"))
        .collect();
    // the labelled lines stand where the bare placeholder was
    section.replacen(&format!("{placeholder}\n"), &lines, 1)
}

/// The data statement skeleton.
pub fn data_statement(req: &Required, lang: Lang) -> String {
    let mut s = String::from(match lang {
        Lang::En => "# Data Statement\n\n",
        Lang::Zh => "# 数据说明\n\n",
    });
    for (g, w) in &req.data {
        s.push_str(&section_text(g, *w, lang));
    }
    s.trim_end().to_string() + "\n"
}

fn policy_doc(kind: &str, lang: Lang) -> Option<(&'static str, String)> {
    let zh = lang == Lang::Zh;
    Some(match kind {
        "security" => (
            "SECURITY.md",
            if zh {
                "# 安全策略\n\n请通过 <!-- 私密渠道，例如 security@example.org --> 报告漏洞、被篡改的权重或越狱方法，不要公开提交。我们会在 <!-- 天数 --> 个工作日内答复。\n".into()
            } else {
                "# Security policy\n\nReport vulnerabilities, tampered checkpoints or jailbreaks privately to <!-- a private channel, e.g. security@example.org -->, not in public issues. Say what you found and how to reproduce it; we answer within <!-- days --> working days.\n".into()
            },
        ),
        "contributing" => (
            "CONTRIBUTING.md",
            if zh {
                "# 贡献指南\n\n提交较大改动前请先开 issue 讨论。提交拉取请求前请运行测试。\n".into()
            } else {
                "# Contributing\n\nOpen an issue before a large change. Run the tests before sending a pull request, and describe what you changed and why.\n".into()
            },
        ),
        "code-of-conduct" => (
            "CODE_OF_CONDUCT.md",
            if zh {
                "# 行为准则\n\n请互相尊重。骚扰行为不被容忍；请向 <!-- 联系方式 --> 报告，我们会保密处理。\n".into()
            } else {
                "# Code of Conduct\n\nBe respectful and constructive. Harassment is not tolerated; report it to <!-- a contact -->, who will handle it in confidence.\n".into()
            },
        ),
        "support" => (
            "SUPPORT.md",
            "# Support\n\nAsk questions in the issue tracker.\n".into(),
        ),
        "privacy" => (
            "PRIVACY.md",
            "# Privacy\n\n<!-- How personal data is handled. -->\n".into(),
        ),
        _ => return None,
    })
}

/// The policy file, with components guessed from the tree. In hybrid mode what the tree holds
/// is taken as published (open) and the usual components it lacks as withheld (closed).
pub fn policy(mode: Mode, files: &FileSet) -> String {
    let mut s = format!(
        "#:schema {}/modelgate.schema.json\n# modelgate policy; the keys are described in modelgate's README (\"The policy file\").\n\n[release]\nmode = \"{mode}\"\n# jurisdictions = [\"gdpr\", \"pipl\", \"eu-ai-act\"]   # the privacy and AI law the release is held to\n",
        crate::schema::SCHEMA_BASE
    );
    let usual = |name: &str| {
        crate::glob::PathGlobs::new(crate::config::default_component_paths(name).unwrap_or(&[]))
            .unwrap_or_default()
    };
    let (tc, td) = (usual("training-code"), usual("training-data"));
    let mut found: [(&str, &str, BTreeSet<String>); 4] = [
        ("weights", "the model's parameters", BTreeSet::new()),
        ("code", "code to run the model", BTreeSet::new()),
        ("training-code", "code to train it", BTreeSet::new()),
        (
            "training-data",
            "training data shipped with the release",
            BTreeSet::new(),
        ),
    ];
    for e in &files.entries {
        let top = e.path.split('/').next().unwrap_or("");
        let folder_glob = if e.path.contains('/') {
            format!("{top}/**")
        } else {
            e.path.clone()
        };
        let slot = match e.role {
            Role::Weights => {
                found[0].2.insert(format!(
                    "*.{}",
                    roles::extension(&e.path).unwrap_or_default()
                ));
                continue;
            }
            Role::DataSample => 3,
            _ if td.is_match(&e.path) && !e.role.is_document() => 3,
            Role::Code if tc.is_match(&e.path) => 2,
            Role::Code => 1,
            _ => continue,
        };
        found[slot].2.insert(folder_glob);
    }
    for (name, note, paths) in &found {
        let present = !paths.is_empty();
        let status = match mode {
            Mode::Open => "open",
            Mode::Closed => "closed",
            Mode::Hybrid if present => "open",
            Mode::Hybrid => "closed",
        };
        let list: Vec<String> = if present {
            paths.iter().map(|p| format!("\"{p}\"")).collect()
        } else {
            crate::config::default_component_paths(name)
                .unwrap_or(&[])
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect()
        };
        let where_ = if present {
            "found in the tree"
        } else {
            "not in the tree"
        };
        s.push_str(&format!(
            "\n[components.{name}]   # {note}; {where_}\nstatus = \"{status}\"\npaths = [{}]\n",
            list.join(", ")
        ));
    }
    s
}

#[derive(Debug, Default)]
pub struct InitReport {
    pub created: Vec<String>,
    pub skipped: Vec<String>,
}

/// Creates `path` with `content` unless something is there already; atomic: the content is
/// written to a temporary file in the same folder and linked into place, which fails rather
/// than replace an existing file.
pub fn create_new(path: &Path, content: &str) -> std::io::Result<bool> {
    if path.symlink_metadata().is_ok() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = path.with_file_name(format!(".{name}.modelgate-{}.tmp", std::process::id()));
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(content.as_bytes())?;
        f.sync_all()?;
    }
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(_) => {
            // file systems without hard links: create_new still never replaces a file
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut f) => {
                    f.write_all(content.as_bytes())?;
                    Ok(true)
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e),
            }
        }
    }
}

/// Writes the skeletons into `root` for `mode`.
pub fn init(root: &Path, mode: Mode, lang: Lang, rules: &RuleSet) -> std::io::Result<InitReport> {
    let files = FileSet::walk(root, &crate::glob::PathGlobs::default())?;
    let req = required(rules, mode);
    let mut report = InitReport::default();
    let has_card = files
        .entries
        .iter()
        .any(|e| e.role == Role::ModelCard && !e.path.contains('/'));
    let has_data = files
        .entries
        .iter()
        .any(|e| matches!(e.role, Role::DataStatement | Role::DatasetCard));
    let name = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Model".into());

    let mut plan: Vec<(String, String)> =
        vec![(crate::config::POLICY_FILE.into(), policy(mode, &files))];
    if has_card {
        report
            .skipped
            .push("README.md (a model card exists)".into());
    } else {
        plan.push(("README.md".into(), card(&req, mode, lang, &name)));
    }
    if req.data_statement && !req.data.is_empty() {
        if has_data {
            report
                .skipped
                .push("DATA_STATEMENT.md (a data statement exists)".into());
        } else {
            plan.push(("DATA_STATEMENT.md".into(), data_statement(&req, lang)));
        }
    }
    for kind in &req.policy_docs {
        if let Some((file, text)) = policy_doc(kind, lang) {
            plan.push((file.into(), text));
        }
    }
    for (rel, content) in plan {
        if create_new(&root.join(&rel), &content)? {
            report.created.push(rel);
        } else if !report.skipped.iter().any(|s| s.starts_with(&rel)) {
            report.skipped.push(format!("{rel} (exists)"));
        }
    }
    Ok(report)
}

/// What to do next, printed after `init`.
pub fn walkthrough(mode: Mode, lang: Lang) -> String {
    let placeholder = if lang == Lang::Zh {
        PLACEHOLDER_ZH
    } else {
        PLACEHOLDER_EN
    };
    let licence = match mode {
        Mode::Open => "an OSI-approved licence (Apache-2.0 and MIT are common for code and weights; Apache-2.0 adds a patent grant), its full text in LICENSE, and its Hub id in the card's `license:`",
        Mode::Closed => "your proprietary terms in LICENSE, saying what is reserved; in the card write `license: other` with `license_name` and `license_link`",
        Mode::Hybrid => "a licence for each open part (for example LICENSE for the code) and terms for what stays closed; name them in the card's `license:` and `## License` section",
    };
    format!(
        "Next steps:\n  1. Replace every `{placeholder}` in the files above; the comments say what each section needs.\n  2. Choose the licence yourself: {licence}. modelgate never picks one for you.\n  3. Check the components in modelgate.toml: which parts are open and which closed.\n  4. Run `modelgate check` until it reports no error.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_mode_requires_the_full_card() {
        let rules = RuleSet::builtin().unwrap();
        let req = required(&rules, Mode::Open);
        let groups: Vec<&str> = req.card.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(
            groups,
            [
                "model-details",
                "intended-use",
                "out-of-scope-use",
                "training-data",
                "training-procedure",
                "evaluation",
                "limitations",
                "privacy",
                "getting-started",
                "license",
                "contact"
            ]
        );
        assert!(req.front_matter.contains("datasets") && req.front_matter.contains("language"));
        assert_eq!(
            req.policy_docs
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["code-of-conduct", "contributing", "security"]
        );
    }

    #[test]
    fn hybrid_asks_what_is_withheld_and_closed_asks_for_a_contact() {
        let rules = RuleSet::builtin().unwrap();
        assert!(required(&rules, Mode::Hybrid)
            .card
            .iter()
            .any(|(g, _)| g == "withheld"));
        let closed = required(&rules, Mode::Closed);
        assert!(closed
            .card
            .iter()
            .any(|(g, w)| g == "limitations" && *w == 40));
        assert!(closed.card.iter().any(|(g, _)| g == "contact"));
        assert!(closed.policy_docs.is_empty());
    }

    #[test]
    fn chinese_headings_are_read_back_as_the_same_sections() {
        let rules = RuleSet::builtin().unwrap();
        let req = required(&rules, Mode::Hybrid);
        let text = card(&req, Mode::Hybrid, Lang::Zh, "m");
        let sections = crate::documents::markdown::sections(&text);
        for (g, _) in &req.card {
            assert!(
                sections.iter().any(|s| s.groups.contains(&g.as_str())),
                "{g} not found in:\n{text}"
            );
        }
    }
}
