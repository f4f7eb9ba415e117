//! Licence texts: SPDX texts identified word for word (modified copies are not the original),
//! and the catalogue's fingerprints recognised in synthetic texts written for the test.

use modelgate::licenses::{catalogue, detect};

fn spdx(id: &str) -> String {
    detect::reference_text(id)
        .unwrap_or_else(|| panic!("no text for {id}"))
        .to_string()
}

fn id_of(text: &str) -> Option<String> {
    detect::identify(text).map(|i| i.id)
}

#[test]
fn reference_texts_are_identified_as_themselves() {
    for id in detect::REFERENCE_IDS {
        let found = detect::identify(&spdx(id));
        let found = found.unwrap_or_else(|| panic!("{id} not identified"));
        assert_eq!(found.id, *id);
        assert!((0.0..=1.0).contains(&found.confidence));
        assert!(found.confidence > 0.9, "{id}: {}", found.confidence);
    }
}

#[test]
fn apache_without_its_appendix_is_apache_not_pixar() {
    let full = spdx("Apache-2.0");
    let cut = &full[..full.find("APPENDIX: How to apply").unwrap()];
    assert_eq!(id_of(cut).as_deref(), Some("Apache-2.0"));
}

#[test]
fn real_world_variations_are_still_the_licence() {
    // a filled-in copyright line, a different title, CRLF line ends, re-wrapped lines
    let mit = spdx("MIT")
        .replace(
            "Copyright (c) <year> <copyright holders>",
            "Copyright (c) 2024 Acme Corp.",
        )
        .replace("MIT License", "The MIT License (MIT)");
    assert_eq!(id_of(&mit).as_deref(), Some("MIT"));
    let crlf = spdx("MIT").replace('\n', "\r\n");
    assert_eq!(id_of(&crlf).as_deref(), Some("MIT"));
    let rewrapped: String = spdx("BSD-3-Clause")
        .split_whitespace()
        .collect::<Vec<_>>()
        .chunks(9)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(id_of(&rewrapped).as_deref(), Some("BSD-3-Clause"));
    // BSD's clause 3 names the holder
    let named = spdx("BSD-3-Clause").replace("the copyright holder nor", "Acme Corp. nor");
    assert_eq!(id_of(&named).as_deref(), Some("BSD-3-Clause"));
    // a pointer to other files after the text
    let pointer = format!(
        "{}\n\nSee THIRD_PARTY.md for the notices of bundled libraries.\n",
        spdx("Apache-2.0")
    );
    assert_eq!(id_of(&pointer).as_deref(), Some("Apache-2.0"));
}

#[test]
fn a_removed_clause_is_not_the_original() {
    let mit = spdx("MIT");
    let start = mit.find("The above copyright notice").unwrap();
    let end = mit.find("portions of the Software.").unwrap() + "portions of the Software.".len();
    let cut = format!("{}{}", &mit[..start], &mit[end..]);
    assert_ne!(mit, cut, "the clause is in the reference text");
    assert_eq!(id_of(&cut), None);
    let apache = spdx("Apache-2.0");
    let start = apache.find("6. Trademarks.").unwrap();
    let end = apache.find("7. Disclaimer of Warranty.").unwrap();
    let cut = format!("{}{}", &apache[..start], &apache[end..]);
    assert_eq!(id_of(&cut), None);
}

#[test]
fn a_changed_name_is_not_the_original() {
    let apache = spdx("Apache-2.0").replace("Apache License", "Acme License");
    assert_ne!(id_of(&apache).as_deref(), Some("Apache-2.0"));
    let gpl =
        spdx("GPL-3.0-only").replace("GNU General Public License", "Acme General Public License");
    assert_ne!(id_of(&gpl).as_deref(), Some("GPL-3.0-only"));
}

#[test]
fn a_non_commercial_clause_added_to_mit_is_not_mit() {
    for clause in [
        "\nThe Software may not be used for commercial purposes.\n",
        "\nNo commercial use.\n",
        "\nFor research use only.\n",
    ] {
        let text = format!("{}{clause}", spdx("MIT"));
        assert_eq!(id_of(&text), None, "{clause:?}");
    }
    // inside the grant
    let text = spdx("MIT").replace(
        "to deal in the Software without restriction",
        "to deal in the Software for non-commercial purposes without restriction",
    );
    assert_eq!(id_of(&text), None);
}

#[test]
fn similar_licences_are_told_apart() {
    assert_eq!(
        id_of(&spdx("CC-BY-NC-4.0")).as_deref(),
        Some("CC-BY-NC-4.0")
    );
    assert_eq!(id_of(&spdx("CC-BY-4.0")).as_deref(), Some("CC-BY-4.0"));
    assert_eq!(
        id_of(&spdx("BSD-2-Clause")).as_deref(),
        Some("BSD-2-Clause")
    );
    assert_eq!(
        id_of(&spdx("LGPL-3.0-only")).as_deref(),
        Some("LGPL-3.0-only")
    );
}

#[test]
fn unknown_texts_are_never_guessed() {
    for t in [
        "",
        "https://example.com/license",
        "All rights reserved. Contact us for a licence.",
        "This model may be used by anyone for anything, forever, without asking, as long as they are kind.",
    ] {
        assert_eq!(detect::identify(t), None, "{t:?}");
    }
}

/// A synthetic licence built from a title and the catalogue's phrases, padded with prose of
/// our own.
fn synthetic(title: &str, phrases: &[&str]) -> String {
    let mut s = format!("{title}\n\n");
    for p in phrases {
        s.push_str(&format!(
            "This paragraph of the agreement talks about {p} in words written for this test.\n\n"
        ));
    }
    s
}

#[test]
fn catalogue_fingerprints_recognise_model_licences() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "LLAMA 2 COMMUNITY LICENSE AGREEMENT",
            &["Llama Materials", "700 million monthly active users"],
            "LicenseRef-Llama-2-Community-License",
        ),
        (
            "META LLAMA 3 COMMUNITY LICENSE AGREEMENT",
            &["Llama Materials", "Built with Meta Llama 3"],
            "LicenseRef-Llama-3-Community-License",
        ),
        (
            "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT",
            &["Llama Materials", "Built with Llama"],
            "LicenseRef-Llama-3.1-Community-License",
        ),
        (
            "**LLAMA 3.2 COMMUNITY LICENSE AGREEMENT**",
            &["Llama Materials", "700 million monthly active users"],
            "LicenseRef-Llama-3.2-Community-License",
        ),
        (
            "LLAMA 3.3 COMMUNITY LICENSE AGREEMENT",
            &["Llama Materials", "Built with Llama"],
            "LicenseRef-Llama-3.3-Community-License",
        ),
        (
            "LLAMA 4 COMMUNITY LICENSE AGREEMENT",
            &["Llama Materials", "Llama 4 Version Effective Date"],
            "LicenseRef-Llama-4-Community-License",
        ),
        (
            "Gemma Terms of Use",
            &["Gemma Services", "Model Derivatives"],
            "LicenseRef-Gemma-Terms-of-Use",
        ),
        (
            "Tongyi Qianwen LICENSE AGREEMENT",
            &["Alibaba Cloud"],
            "LicenseRef-Tongyi-Qianwen-License",
        ),
        (
            "Tongyi Qianwen RESEARCH LICENSE AGREEMENT",
            &["non-commercial"],
            "LicenseRef-Tongyi-Qianwen-Research-License",
        ),
        (
            "Qwen LICENSE AGREEMENT",
            &["Alibaba Cloud"],
            "LicenseRef-Qwen-License",
        ),
        (
            "DEEPSEEK LICENSE AGREEMENT",
            &["Version 1.0", "Attachment A"],
            "LicenseRef-DeepSeek-License-1.0",
        ),
        (
            "Yi Series Models Community License Agreement",
            &["01.AI"],
            "LicenseRef-Yi-Community-License",
        ),
        (
            "Community License for Baichuan 2 Model",
            &["daily active users"],
            "LicenseRef-Baichuan2-Community-License",
        ),
        (
            "The ChatGLM-6B License",
            &["Zhipu"],
            "LicenseRef-ChatGLM-6B-Model-License",
        ),
        ("The GLM-4 License", &["Zhipu"], "LicenseRef-GLM-4-License"),
        (
            "InternLM Model License Agreement",
            &["Shanghai AI Laboratory"],
            "LicenseRef-InternLM-License",
        ),
        (
            "BigScience Open RAIL-M License",
            &["Use-based restrictions"],
            "LicenseRef-BigScience-OpenRAIL-M",
        ),
        (
            "BigScience RAIL License v1.0",
            &["Attachment A"],
            "LicenseRef-BigScience-BLOOM-RAIL-1.0",
        ),
        (
            "CreativeML Open RAIL-M License",
            &["Attachment A"],
            "LicenseRef-CreativeML-OpenRAIL-M",
        ),
        (
            "CreativeML Open RAIL++-M License",
            &["Attachment A"],
            "LicenseRef-CreativeML-OpenRAIL++-M",
        ),
        (
            "Falcon 180B TII License Version 1.0",
            &["Acceptable Use Policy"],
            "LicenseRef-Falcon-180B-TII-License-1.0",
        ),
        (
            "Mistral AI Research License",
            &["Research Purposes"],
            "LicenseRef-Mistral-AI-Research-License-0.1",
        ),
        (
            "AI2 ImpACT License - Low Risk Artifacts",
            &["Derivative Impact Report"],
            "LicenseRef-AI2-ImpACT-Low-Risk",
        ),
    ];
    for (title, phrases, want) in cases {
        let text = synthetic(title, phrases);
        let found = detect::identify(&text).unwrap_or_else(|| panic!("{want} not found"));
        assert_eq!(&found.id, want, "{title}");
        assert!((0.0..=1.0).contains(&found.confidence));
        assert!(catalogue::entry(want).is_some());
    }
}

#[test]
fn a_licence_mentioned_deep_in_a_text_is_not_its_text() {
    let mut text = String::from("Our own terms.\n\n");
    for _ in 0..40 {
        text.push_str(
            "This paragraph says nothing about other licences at all, only our own terms.\n",
        );
    }
    text.push_str("Parts were derived from models under the Llama 2 Community License Agreement and its Llama Materials.\n");
    assert_eq!(detect::identify(&text), None);
}

#[test]
fn model_licences_behind_a_preamble_and_under_a_title_variant() {
    let body = synthetic(
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT",
        &["Llama Materials", "Built with Llama"],
    );
    // a copyright line and a long preamble (a table of contents, a note) before the title
    let preamble =
        "Contents: definitions, grant of rights, redistribution, limits, termination. ".repeat(20);
    let behind = format!("Copyright (c) 2024 Acme Corp.\n\n{preamble}\n\n{body}");
    assert_eq!(
        id_of(&behind).as_deref(),
        Some("LicenseRef-Llama-3.1-Community-License")
    );
    // titled without "License Agreement"
    let variant = body.replace(
        "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT",
        "Llama 3.1 Community Terms",
    );
    assert_eq!(
        id_of(&variant).as_deref(),
        Some("LicenseRef-Llama-3.1-Community-License")
    );
    // the title alone, with none of the licence's clauses, is not the licence
    assert_eq!(
        id_of("Llama 3.1 Community Terms\n\nUse it as you like.\n"),
        None
    );
}
