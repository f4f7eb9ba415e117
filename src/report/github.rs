//! `--format github`: GitHub Actions workflow commands (annotations), and a Markdown summary
//! table for `$GITHUB_STEP_SUMMARY` holding every finding (GitHub shows only a few annotations
//! per step).

use super::Report;
use super::{position, printable, printable_keep_breaks, shown_path};
use crate::finding::{Finding, Level};

/// Escapes a command's message as the runner expects.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value: like data, and also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    }
}

/// The file a finding is shown at, as seen from the folder the command ran in.
fn file_of(out: &Report, f: &Finding) -> Option<String> {
    match &f.path {
        Some(p) => Some(shown_path(&out.root, p)),
        None => out.policy_file.as_ref().map(|p| shown_path(&out.root, p)),
    }
}

pub fn render(out: &Report) -> String {
    let mut s = String::new();
    for f in &out.findings {
        let mut props = Vec::new();
        if let Some(file) = file_of(out, f) {
            props.push(format!("file={}", escape_property(&printable(&file))));
            if f.path.is_some() && f.commit.is_none() {
                if let (Some((l, c, el, ec)), Some(_)) = (position(f), &f.region) {
                    props.push(format!("line={l}"));
                    props.push(format!("col={c}"));
                    props.push(format!("endLine={el}"));
                    props.push(format!("endColumn={ec}"));
                }
            }
        }
        props.push(format!("title={}", escape_property(&f.rule)));
        let mut message = printable_keep_breaks(&f.message).into_owned();
        if let Some(c) = &f.commit {
            message.push_str(&format!(" (in commit {c})"));
        }
        message.push('\n');
        message.push_str(&printable_keep_breaks(&f.help));
        s.push_str(&format!(
            "::{} {}::{}\n",
            command(f.level),
            props.join(","),
            escape_data(&message)
        ));
    }
    s
}

fn cell(s: &str) -> String {
    printable_keep_breaks(s)
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// The Markdown summary: counts, then a table with one row per finding.
pub fn summary(out: &Report) -> String {
    let findings = &out.findings;
    let sum = out.summary;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut s = format!(
        "### modelgate: {}, {}, {}\n\n",
        plural(sum.error, "error"),
        plural(sum.warning, "warning"),
        plural(sum.info, "note")
    );
    if findings.is_empty() {
        s.push_str(&format!(
            "No findings in `{}` (mode {}).\n\n",
            out.root, out.mode
        ));
        return s;
    }
    s.push_str("| Rule | Level | Location | Message |\n|---|---|---|---|\n");
    for f in findings {
        let place = match (&f.path, position(f)) {
            (Some(_), Some((l, c, _, _))) if f.region.is_some() => {
                format!(
                    "{}:{l}:{c}",
                    shown_path(&out.root, f.path.as_deref().unwrap_or(""))
                )
            }
            (Some(p), _) => shown_path(&out.root, p),
            (None, _) => "(repository)".to_string(),
        };
        let place = match &f.commit {
            Some(c) => format!("{place} @ {}", &c[..c.len().min(12)]),
            None => place,
        };
        s.push_str(&format!(
            "| `{}` | {} | `{}` | {} |\n",
            f.rule,
            f.level,
            cell(&place),
            cell(&f.message)
        ));
    }
    s.push('\n');
    s
}
