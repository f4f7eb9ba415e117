//! The command line: arguments, subcommands, exit status.

mod errors;
mod rules_cmd;

use crate::config::Mode;
use crate::engine::{self, CheckOptions, RunError};
use crate::finding::Level;
use crate::report::{self, human::Style};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "modelgate", version, about = "Policy-as-code linter for machine-learning model repositories", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ModeArg {
    Open,
    Closed,
    Hybrid,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Open => Mode::Open,
            ModeArg::Closed => Mode::Closed,
            ModeArg::Hybrid => Mode::Hybrid,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a model repository against its release policy
    Check {
        /// The repository (default: the current folder)
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The policy file (default: PATH/modelgate.toml)
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Check as this release mode, whatever the policy says
        #[arg(long, value_enum)]
        mode: Option<ModeArg>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The lowest level that makes the exit status 1
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Write the report to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// List the rules
    Rules {
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Explain a rule: what it checks, why, and how to fix it
    Explain {
        #[arg(value_name = "RULE_ID")]
        id: String,
    },
    /// Run the examples of rule packs (default: the built-in packs)
    TestRules {
        #[arg(value_name = "PACK")]
        packs: Vec<PathBuf>,
    },
    /// Write a policy, a model card and a data statement skeleton for a release mode
    Init {
        /// The repository (default: the current folder)
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum)]
        mode: ModeArg,
        /// The language of the card's headings and hints
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Generate the rule pages under DIR/rules (maintainers)
    #[command(hide = true)]
    Docs {
        #[arg(default_value = "docs")]
        dir: PathBuf,
        /// Write the pages (otherwise only check they are current)
        #[arg(long)]
        write: bool,
    },
}

/// Colour only on a terminal and never with NO_COLOR set.
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Runs the command line; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check {
            path,
            policy,
            mode,
            format,
            fail_on,
            output,
        } => {
            let opts = CheckOptions {
                path,
                policy,
                mode: mode.map(Into::into),
            };
            let out = match engine::check(&opts) {
                Ok(o) => o,
                Err(e) => return errors::report(e),
            };
            for n in &out.notes {
                eprintln!("{n}");
            }
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            let text = match format {
                Format::Json => report::json::render(&out, &out.findings),
                Format::Human => report::human::render(
                    &out,
                    &out.findings,
                    Style {
                        color: use_color(to_terminal),
                        width: width(),
                    },
                ),
            };
            if let Err(code) = emit(&text, output.as_deref()) {
                return code;
            }
            let threshold = match fail_on {
                FailOn::Error => Some(Level::Error),
                FailOn::Warning => Some(Level::Warning),
                FailOn::Never => None,
            };
            match threshold {
                Some(t) if out.findings.iter().any(|f| f.level >= t) => 1,
                _ => 0,
            }
        }
        Command::Rules { format } => rules_cmd::list(format),
        Command::Explain { id } => rules_cmd::explain(&id),
        Command::TestRules { packs } => rules_cmd::test_rules(&packs),
        Command::Docs { dir, write } => rules_cmd::docs(&dir, write),
        Command::Init { path, mode, lang } => init_cmd(&path, mode.into(), lang),
    }
}

/// Writes a report to stdout or to the file the user named.
pub fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), i32> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            eprintln!("modelgate: cannot write `{}`: {e}", p.display());
            2
        }),
        None => {
            let mut so = std::io::stdout().lock();
            // a closed pipe (`| head`) is not an error worth a message
            let _ = so.write_all(text.as_bytes());
            let _ = so.flush();
            Ok(())
        }
    }
}

pub fn run_error(e: RunError) -> i32 {
    errors::report(e)
}

fn init_cmd(path: &std::path::Path, mode: Mode, lang: LangArg) -> i32 {
    if !path.is_dir() {
        eprintln!("modelgate: `{}` is not a folder", path.display());
        return 2;
    }
    let rules = match crate::policy::RuleSet::builtin() {
        Ok(r) => r,
        Err(e) => return run_error(RunError::Pack(e)),
    };
    let lang = match lang {
        LangArg::En => crate::init::Lang::En,
        LangArg::Zh => crate::init::Lang::Zh,
    };
    match crate::init::init(path, mode, lang, &rules) {
        Ok(report) => {
            for c in &report.created {
                println!("created  {c}");
            }
            for s in &report.skipped {
                println!("skipped  {s}");
            }
            if report.created.is_empty() {
                println!("nothing to create: every file is there already");
            }
            println!("\n{}", crate::init::walkthrough(mode, lang));
            0
        }
        Err(e) => {
            eprintln!("modelgate: cannot write in `{}`: {e}", path.display());
            2
        }
    }
}
