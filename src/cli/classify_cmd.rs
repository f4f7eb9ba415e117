//! `modelgate classify`: how open a release is, from its licences, files and cards.

use super::Format;
use crate::facts::openness;
use std::fmt::Write;
use std::path::Path;

pub fn run(path: &Path, format: Format) -> i32 {
    let facts = match super::facts_of(path) {
        Ok(facts) => facts,
        Err(code) => return code,
    };
    let report = openness::report(&facts, &path.display().to_string());
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()) + "\n"
        }
        Format::Human => human(&report),
    };
    match super::emit(&text, None) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut width = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut s = String::new();
    for (n, r) in rows.iter().enumerate() {
        let mut line = String::from("  ");
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(width[i] - c.chars().count() + 2));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
        if n == 0 {
            let total: usize = width.iter().sum::<usize>() + 2 * (cols.saturating_sub(1));
            let _ = writeln!(s, "  {}", "-".repeat(total));
        }
    }
    s
}

fn human(r: &openness::Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}: release mode {}", r.root, r.release_mode);
    match &r.declared_license {
        Some(d) => {
            let _ = writeln!(s, "declared licence: {} ({}:{})", d.value, d.path, d.line);
        }
        None => {
            let _ = writeln!(s, "declared licence: none in a card's front matter");
        }
    }
    if r.claims_open_source {
        let places: Vec<String> = r
            .claim_places
            .iter()
            .map(|(p, l)| format!("{p}:{l}"))
            .collect();
        let _ = writeln!(s, "claims to be open source: yes ({})", places.join(", "));
    } else {
        let _ = writeln!(s, "claims to be open source: no");
    }
    let _ = writeln!(s, "\nComponents");
    let mut rows = vec![vec![
        "component".to_string(),
        "status".into(),
        "licence".into(),
    ]];
    for c in &r.components {
        rows.push(vec![
            c.name.clone(),
            c.status.to_string(),
            c.license.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    s.push_str(&table(&rows));
    let _ = writeln!(s, "\nLicence files");
    if r.license_files.is_empty() {
        let _ = writeln!(s, "  none");
    } else {
        let mut rows = vec![vec![
            "file".to_string(),
            "licence".into(),
            "confidence".into(),
            "covers".into(),
        ]];
        for f in &r.license_files {
            rows.push(vec![
                f.path.clone(),
                f.license.clone().unwrap_or_else(|| "unidentified".into()),
                if f.license.is_some() {
                    format!("{:.2}", f.confidence)
                } else {
                    "-".into()
                },
                if f.covers.is_empty() {
                    "-".into()
                } else {
                    f.covers.join(", ")
                },
            ]);
        }
        s.push_str(&table(&rows));
        // what the custom terms do, clause by clause
        for f in r.license_files.iter().filter(|f| !f.terms.is_empty()) {
            let _ = writeln!(s, "\nTerms of {}", f.path);
            for c in &f.terms {
                let _ = writeln!(s, "  {:<20} line {:<5} {}", c.id, c.line, c.text);
            }
        }
    }
    let list = |v: &[String]| {
        if v.is_empty() {
            String::new()
        } else {
            format!("; missing: {}", v.join(", "))
        }
    };
    let _ = writeln!(s, "\nOpenness");
    let _ = writeln!(
        s,
        "  OSI Open Source AI Definition: {}{}",
        if r.osaid.conformant {
            "conformant"
        } else {
            "not conformant"
        },
        list(&r.osaid.missing)
    );
    let _ = writeln!(
        s,
        "  Model Openness Framework: {}{}",
        match r.mof.class {
            Some(c) => format!("class {c}"),
            None => "no class".into(),
        },
        if r.mof.missing_for_next.is_empty() {
            String::new()
        } else {
            format!(
                "; for the next class: {}",
                r.mof.missing_for_next.join(", ")
            )
        }
    );
    let _ = writeln!(
        s,
        "  EU AI Act Art. 53(2) open-source exemption: {}{}",
        if r.eu_ai_act_open_source_exemption.applies {
            "can apply"
        } else {
            "does not apply"
        },
        list(&r.eu_ai_act_open_source_exemption.missing)
    );
    if !r.manifest_notes.is_empty() {
        let _ = writeln!(s, "\nmodel.yml");
        for n in &r.manifest_notes {
            let _ = writeln!(s, "  {n}");
        }
    }
    s
}
