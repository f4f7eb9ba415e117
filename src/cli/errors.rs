//! Rendering the errors that stop a run (exit 2): policy and pack problems, with the line.

use crate::run::RunError;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::Arc;

struct Shown {
    message: String,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    span: Option<Range<usize>>,
    file: String,
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}
impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl std::error::Error for Shown {}
impl Diagnostic for Shown {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.span.clone()?;
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".into()),
            s.start,
            s.end - s.start,
        ))))
    }
}

fn show(
    file: &str,
    text: &Option<Arc<str>>,
    span: &Option<Range<usize>>,
    message: &str,
    help: &Option<String>,
) {
    let shown = Shown {
        message: message.to_string(),
        help: help.clone(),
        source: text.as_ref().map(|t| NamedSource::new(file, t.clone())),
        span: span.clone(),
        file: file.to_string(),
    };
    let color = super::use_color(std::io::stderr().is_terminal());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    if handler.render_report(&mut out, &shown).is_err() {
        out = format!("{shown}\n");
    }
    eprint!("{out}");
}

pub fn report(e: RunError) -> i32 {
    match e {
        RunError::Usage(m) => eprintln!("modelgate: {m}"),
        RunError::Policy(errors) => {
            for e in &errors {
                show(&e.file, &e.text, &e.span, &e.message, &e.help);
            }
            eprintln!(
                "modelgate: the policy has {} problem{}; nothing was checked",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
        }
        RunError::Pack(errors) => {
            for e in &errors {
                show(&e.file, &e.text, &e.span, &e.message, &e.help);
            }
            eprintln!(
                "modelgate: the rule packs have {} problem{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
        }
    }
    2
}
