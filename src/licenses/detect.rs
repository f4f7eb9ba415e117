//! Identifying a licence from its text.

/// What a licence text was identified as.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// An SPDX id or a `LicenseRef-` id.
    pub id: String,
    /// 0..1
    pub confidence: f32,
}

/// Distinctive phrases of common licences, tried in order.
const PHRASES: &[(&str, &[&str])] = &[
    (
        "Apache-2.0",
        &["apache license", "version 2.0, january 2004"],
    ),
    (
        "MIT",
        &[
            "permission is hereby granted, free of charge",
            "the above copyright notice and this permission notice shall be included",
        ],
    ),
    (
        "GPL-3.0-only",
        &["gnu general public license", "version 3, 29 june 2007"],
    ),
    (
        "GPL-2.0-only",
        &["gnu general public license", "version 2, june 1991"],
    ),
    (
        "AGPL-3.0-only",
        &["gnu affero general public license", "version 3"],
    ),
    (
        "LGPL-3.0-only",
        &["gnu lesser general public license", "version 3"],
    ),
    (
        "BSD-3-Clause",
        &[
            "redistribution and use in source and binary forms",
            "neither the name of",
        ],
    ),
    (
        "BSD-2-Clause",
        &[
            "redistribution and use in source and binary forms",
            "this software is provided by the copyright holders and contributors",
        ],
    ),
    (
        "CC-BY-NC-4.0",
        &["attribution-noncommercial 4.0 international"],
    ),
    ("CC-BY-4.0", &["attribution 4.0 international"]),
    (
        "CC-BY-SA-4.0",
        &["attribution-sharealike 4.0 international"],
    ),
    (
        "LicenseRef-Llama-2-Community-License",
        &["llama 2 community license agreement"],
    ),
    (
        "LicenseRef-Llama-3-Community-License",
        &["meta llama 3 community license agreement"],
    ),
    (
        "LicenseRef-Llama-3.1-Community-License",
        &["llama 3.1 community license agreement"],
    ),
    (
        "LicenseRef-Llama-3.2-Community-License",
        &["llama 3.2 community license agreement"],
    ),
    (
        "LicenseRef-Llama-3.3-Community-License",
        &["llama 3.3 community license agreement"],
    ),
    (
        "LicenseRef-Llama-4-Community-License",
        &["llama 4 community license agreement"],
    ),
    ("CreativeML-OpenRAIL-M", &["creativeml open rail-m"]),
    (
        "LicenseRef-BigScience-OpenRAIL-M",
        &["bigscience open rail-m"],
    ),
];

/// Identifies a licence text; `None` when nothing matches well (never a guess).
pub fn identify(text: &str) -> Option<Identified> {
    let lower = text.to_lowercase();
    PHRASES
        .iter()
        .find(|(_, needles)| needles.iter().all(|n| lower.contains(n)))
        .map(|(id, _)| Identified {
            id: id.to_string(),
            confidence: 0.9,
        })
}
