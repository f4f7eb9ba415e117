//! The command line: arguments, subcommands, exit status.

mod bom_cmd;
mod classify_cmd;
mod completions;
mod errors;
mod outputs;
mod root;
mod rules_cmd;
mod ui;

pub use ui::ColorChoice;

use crate::config::Mode;
use crate::finding::Level;
use crate::report::{self, human::Style};
use crate::run::{self, CheckOptions, RunError};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "modelgate", version, about = "Policy-as-code linter for machine-learning model repositories", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour: auto is a terminal's, unless NO_COLOR is set (FORCE_COLOR or CLICOLOR_FORCE
    /// colour a pipe)
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorChoice,
    /// Print only the report (and the errors that stop a run): no notes on stderr
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// The formats of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations (and a summary in $GITHUB_STEP_SUMMARY)
    Github,
}

/// The formats of `bom`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BomFormat {
    /// CycloneDX 1.6, JSON
    CyclonedxJson,
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
        format: CheckFormat,
        /// The lowest level that makes the exit status 1
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Write the report to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also write the report in FORMAT to FILE, from the same run (repeatable)
        #[arg(long = "output-format", value_name = "FORMAT=FILE", value_parser = outputs::parse)]
        output_format: Vec<outputs::Extra>,
        /// Apply the fixes that are certain, then report what remains
        #[arg(long)]
        fix: bool,
        /// With --fix: print the changes as a diff and write nothing
        #[arg(long, requires = "fix")]
        diff: bool,
        /// Report only findings that are not in this baseline file
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Record the current findings in this baseline file
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        /// Check the git index (what the next commit holds) instead of the work tree
        #[arg(long)]
        staged: bool,
        /// Report only findings in files changed since the merge base with REV (and the
        /// repository-level ones)
        #[arg(long, value_name = "REV")]
        diff_base: Option<String>,
        /// Also report closed files and secrets that any commit reachable from HEAD published
        #[arg(long)]
        history: bool,
    },
    /// Say how open a release is: licences, components, OSAID, MOF class, EU AI Act exemption
    Classify {
        /// The repository (default: the current folder)
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Write the release's bill of materials (CycloneDX 1.6 JSON), each field with its source
    Bom {
        /// The repository (default: the current folder)
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value = "cyclonedx-json")]
        format: BomFormat,
        /// Write the BOM to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
        /// Do not read weight files for their SHA-256
        #[arg(long)]
        no_hashes: bool,
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
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Generate the man pages and shell completions under DIR (maintainers)
    #[command(hide = true)]
    CliDocs {
        #[arg(default_value = "docs")]
        dir: PathBuf,
        /// Write the files (otherwise only check they are current)
        #[arg(long)]
        write: bool,
    },
    /// Generate modelgate.schema.json and rule-pack.schema.json in DIR (maintainers)
    #[command(hide = true)]
    Schema {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the files (otherwise only check they are current)
        #[arg(long)]
        write: bool,
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

/// Whether a stream gets colour (`--color`, NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE, a terminal).
pub fn use_color(stream_is_terminal: bool) -> bool {
    ui::use_color(stream_is_terminal)
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
    ui::set(cli.color, cli.quiet);
    match cli.command {
        Command::Check {
            path,
            policy,
            mode,
            format,
            fail_on,
            output,
            output_format,
            fix,
            diff,
            baseline,
            write_baseline,
            staged,
            diff_base,
            history,
        } => {
            // a bad baseline stops the run before any work
            let baseline = match baseline.as_deref().map(crate::baseline::Baseline::read) {
                Some(Err(msg)) => {
                    eprintln!("modelgate: {msg}");
                    return 2;
                }
                Some(Ok(b)) => Some(b),
                None => None,
            };
            let (path, moved) = root::discover(&path, policy.is_some());
            if let Some(line) = moved {
                ui::note(line);
            }
            let opts = CheckOptions {
                path,
                policy,
                mode: mode.map(Into::into),
                staged,
                diff_base,
                history,
            };
            let mut out = match run::check(&opts, baseline.as_ref()) {
                Ok(o) => o,
                Err(e) => return errors::report(e),
            };
            if fix {
                let edits: Vec<crate::fix::Edit> =
                    out.findings.iter().filter_map(|f| f.fix.clone()).collect();
                let docs = &out.facts;
                let planned = crate::fix::plan(&edits, &opts.path, &|p| {
                    docs.doc(p)
                        .filter(|d| d.readable)
                        .map(|d| d.text.to_string())
                });
                if diff {
                    let mut text = String::new();
                    for (p, (old, new)) in &planned {
                        text.push_str(&crate::fix::unified_diff(p, old.as_deref(), new));
                    }
                    if let Err(code) = emit(&text, output.as_deref()) {
                        return code;
                    }
                    ui::note(format!(
                        "modelgate: {} file{} would change; nothing was written",
                        planned.len(),
                        if planned.len() == 1 { "" } else { "s" }
                    ));
                    // what would remain: the findings no fix removes
                    return exit_status(out.findings.iter().filter(|f| f.fix.is_none()), fail_on);
                }
                let (n, refused) = crate::fix::apply(&opts.path, &planned);
                ui::note(format!(
                    "modelgate: fixed {n} file{}",
                    if n == 1 { "" } else { "s" }
                ));
                for r in &refused {
                    eprintln!("modelgate: cannot write a fix: {r}");
                }
                if !refused.is_empty() {
                    return 2;
                }
                out = match run::check(&opts, baseline.as_ref()) {
                    Ok(o) => o,
                    Err(e) => return errors::report(e),
                };
            }
            let report = &out.report;
            for n in &report.notes {
                ui::note(n);
            }
            if let Some(file) = &write_baseline {
                if let Err(code) = emit(&crate::baseline::render(&out.findings), Some(file)) {
                    return code;
                }
                ui::note(format!(
                    "modelgate: recorded {} finding{} in the baseline `{}`",
                    out.findings.len(),
                    if out.findings.len() == 1 { "" } else { "s" },
                    file.display()
                ));
            }
            if report.baselined > 0 {
                ui::note(format!(
                    "modelgate: {} finding{} in the baseline not shown",
                    report.baselined,
                    if report.baselined == 1 { "" } else { "s" }
                ));
            }
            let to_terminal = output.is_none() && std::io::stdout().is_terminal();
            let text = render(format, report, use_color(to_terminal));
            if let Err(code) = emit(&text, output.as_deref()) {
                return code;
            }
            for extra in &output_format {
                let text = render(extra.format, report, false);
                if let Err(code) = emit(&text, Some(&extra.file)) {
                    return code;
                }
            }
            if format == CheckFormat::Github {
                if let Some(summary) =
                    std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty())
                {
                    append_summary(
                        std::path::Path::new(&summary),
                        &report::github::summary(report),
                    );
                }
            }
            exit_status(report.findings.iter(), fail_on)
        }
        Command::Classify { path, format } => classify_cmd::run(&path, format),
        Command::Bom {
            path,
            format: BomFormat::CyclonedxJson,
            output,
            no_hashes,
        } => bom_cmd::run(&path, output.as_deref(), crate::bom::Options { no_hashes }),
        Command::Rules { format } => rules_cmd::list(format),
        Command::Explain { id } => rules_cmd::explain(&id),
        Command::TestRules { packs } => rules_cmd::test_rules(&packs),
        Command::Docs { dir, write } => rules_cmd::docs(&dir, write),
        Command::Completions { shell } => completions::print(shell),
        Command::CliDocs { dir, write } => completions::cli_docs(&dir, write),
        Command::Schema { dir, write } => rules_cmd::schema(&dir, write),
        Command::Init { path, mode, lang } => init_cmd(&path, mode.into(), lang),
    }
}

/// The report of a check in one format.
fn render(format: CheckFormat, report: &report::Report, color: bool) -> String {
    match format {
        CheckFormat::Json => report::json::render(report),
        CheckFormat::Sarif => report::sarif::render(report),
        CheckFormat::Github => report::github::render(report),
        CheckFormat::Human => report::human::render(
            report,
            Style {
                color,
                width: width(),
            },
        ),
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

/// Appends the Markdown summary to `$GITHUB_STEP_SUMMARY`; a failure is said, not fatal.
fn append_summary(path: &std::path::Path, text: &str) {
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "modelgate: cannot append the summary to `{}` (GITHUB_STEP_SUMMARY): {e}",
            path.display()
        );
    }
}

pub fn run_error(e: RunError) -> i32 {
    errors::report(e)
}

/// The facts of the repository at `path`, as `check` makes them (what git would publish, in a
/// work tree); the exit status when the folder is missing or the run cannot be done.
fn facts_of(path: &std::path::Path) -> Result<crate::facts::Facts, i32> {
    if !path.is_dir() {
        eprintln!(
            "modelgate: `{}` {}",
            path.display(),
            if path.exists() {
                "is not a folder; give the repository's folder"
            } else {
                "does not exist"
            }
        );
        return Err(2);
    }
    let opts = CheckOptions {
        path: path.to_path_buf(),
        ..CheckOptions::default()
    };
    run::facts_only(&opts).map_err(run_error)
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

/// 1 when a finding reaches `--fail-on`, else 0.
fn exit_status<'a>(
    mut findings: impl Iterator<Item = &'a crate::finding::Finding>,
    fail_on: FailOn,
) -> i32 {
    let threshold = match fail_on {
        FailOn::Error => Level::Error,
        FailOn::Warning => Level::Warning,
        FailOn::Never => return 0,
    };
    i32::from(findings.any(|f| f.level >= threshold))
}
