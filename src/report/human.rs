//! `--format human`: miette diagnostics with the source line, then a summary.

use super::Report;
use crate::finding::{Finding, Level};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

struct Shown<'a> {
    f: &'a Finding,
    source: Option<NamedSource<Arc<str>>>,
    url: Option<String>,
    help: String,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.f.message)
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        out.write_str(&self.f.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.f.rule))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.f.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // a terminal hyperlink on the rule id, or the address beside it in plain output
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display + 'b>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, r) = (self.source.as_ref()?, self.f.region.as_ref()?);
        let (start, end) = r.bytes?;
        let label = self.f.label.clone().unwrap_or_else(|| "here".to_string());
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            start,
            end.saturating_sub(start),
        ))))
    }
}

fn location(f: &Finding) -> String {
    let mut s = match (&f.path, &f.region) {
        (None, _) => "the repository".to_string(),
        (Some(p), Some(r)) => format!("{p}:{}:{}", r.line, r.column),
        (Some(p), None) => p.clone(),
    };
    if let Some(c) = &f.commit {
        s.push_str(&format!(" (in commit {})", &c[..c.len().min(12)]));
    }
    s
}

pub fn render_finding(report: &Report, f: &Finding, style: Style) -> String {
    // what reaches the terminal: names, messages and snippets with control characters and
    // bidirectional overrides escaped
    let escaped = Finding {
        path: f.path.as_deref().map(|p| super::printable(p).into_owned()),
        message: super::printable(&f.message).into_owned(),
        help: super::printable(&f.help).into_owned(),
        ..f.clone()
    };
    let source = match (&f.path, &f.region) {
        (Some(p), Some(r)) if !f.sensitive && r.bytes.is_some() && f.commit.is_none() => {
            report.sources.get(p).map(|text| {
                let shown: std::sync::Arc<str> = match super::printable_source(text) {
                    std::borrow::Cow::Borrowed(_) => text.clone(),
                    std::borrow::Cow::Owned(t) => t.into(),
                };
                NamedSource::new(super::printable(p), shown)
            })
        }
        _ => None,
    };
    let f = &escaped;
    let has_source = source.is_some();
    let shown = Shown {
        f,
        source,
        url: f.docs_url.clone(),
        help: f.help.clone(),
    };
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(style.color)
        .with_context_lines(1);
    let mut text = String::new();
    if handler.render_report(&mut text, &shown).is_err() {
        text = format!("{}: {} [{}]\n", f.level, f.message, f.rule);
    }
    let mut lines: Vec<String> = text.trim_end().lines().map(str::to_string).collect();
    if !has_source {
        // no snippet to show: say where
        lines.insert(1.min(lines.len()), format!("  at {}", location(f)));
    }
    lines.push(format!("  explain: modelgate explain {}", f.rule));
    lines.join("\n") + "\n"
}

pub fn render(report: &Report, style: Style) -> String {
    let mut s = String::new();
    for f in &report.findings {
        s.push_str(&render_finding(report, f, style));
        s.push('\n');
    }
    let sum = report.summary;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mode = report.mode;
    let source = match report.mode_source {
        crate::model::ModeSource::Policy => report
            .policy_file
            .clone()
            .unwrap_or_else(|| "modelgate.toml".into()),
        crate::model::ModeSource::Flag => "--mode".into(),
        crate::model::ModeSource::Inferred => "inferred".into(),
    };
    let mark = if sum.error > 0 {
        "✖"
    } else if sum.warning > 0 {
        "!"
    } else {
        "✔"
    };
    s.push_str(&format!(
        "{mark} {}, {}, {} in {} (mode {mode}, {source})\n",
        plural(sum.error, "error"),
        plural(sum.warning, "warning"),
        plural(sum.info, "note"),
        plural(report.files, "file"),
    ));
    s
}
