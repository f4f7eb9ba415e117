//! How the command line talks to the user: colour (`--color` and the environment) and
//! `--quiet`. Both are decided once, in `run`, and read wherever stderr or stdout is written.

use clap::ValueEnum;
use std::sync::OnceLock;

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    color: ColorChoice,
    quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records the user's choices; the first call wins (one command line per process).
pub fn set(color: ColorChoice, quiet: bool) {
    let _ = SETTINGS.set(Settings { color, quiet });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        color: ColorChoice::Auto,
        quiet: false,
    })
}

/// True with `--quiet`: only the report and the errors that stop a run are printed.
pub fn quiet() -> bool {
    settings().quiet
}

/// Prints a note on stderr, unless `--quiet`.
pub fn note(text: impl std::fmt::Display) {
    if !quiet() {
        // a note may name a file of the repository: shown with its control characters escaped
        eprintln!("{}", crate::report::printable(&text.to_string()));
    }
}

/// Whether a stream gets colour, by the contract's precedence: `--color always|never` wins; else
/// never with NO_COLOR set; else always with FORCE_COLOR or CLICOLOR_FORCE set; else only on a
/// terminal. An empty variable counts as unset (as no-color.org says of NO_COLOR).
pub fn use_color(stream_is_terminal: bool) -> bool {
    decide(settings().color, stream_is_terminal, |k| {
        std::env::var_os(k).is_some_and(|v| !v.is_empty())
    })
}

fn decide(choice: ColorChoice, is_terminal: bool, set: impl Fn(&str) -> bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |k| vars.contains(&k)
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        assert!(decide(ColorChoice::Always, false, with(&["NO_COLOR"])));
        assert!(!decide(ColorChoice::Never, true, with(&["FORCE_COLOR"])));
    }

    #[test]
    fn no_color_wins_over_force_color() {
        assert!(!decide(
            ColorChoice::Auto,
            true,
            with(&["NO_COLOR", "FORCE_COLOR"])
        ));
    }

    #[test]
    fn force_color_and_clicolor_force_colour_a_pipe() {
        assert!(decide(ColorChoice::Auto, false, with(&["FORCE_COLOR"])));
        assert!(decide(ColorChoice::Auto, false, with(&["CLICOLOR_FORCE"])));
    }

    #[test]
    fn otherwise_only_a_terminal() {
        assert!(decide(ColorChoice::Auto, true, with(&[])));
        assert!(!decide(ColorChoice::Auto, false, with(&[])));
    }
}
