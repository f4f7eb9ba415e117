//! `modelgate completions SHELL`, and the generated man pages and completion scripts that ship
//! under docs/ (`modelgate cli-docs --write docs`; the tests fail when they are stale, as for
//! the rule pages).

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use std::path::Path;

/// The shells whose scripts are generated under DIR/completions.
const SHELLS: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell];

fn script(shell: Shell) -> Vec<u8> {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "modelgate", &mut out);
    out
}

/// `modelgate completions SHELL`: the script on stdout.
pub fn print(shell: Shell) -> i32 {
    match super::emit(&String::from_utf8_lossy(&script(shell)), None) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

/// Every generated file, by its path under DIR: a man page per command (section 1) and a
/// completion script per shell.
pub fn generated() -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![cmd.clone()];
    pages.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    for page in pages {
        let man = clap_mangen::Man::new(page);
        let mut text = Vec::new();
        man.render(&mut text)
            .map_err(|e| format!("cannot render a man page: {e}"))?;
        files.push((
            format!("man/{}", man.get_filename()),
            String::from_utf8_lossy(&text).into_owned(),
        ));
    }
    for shell in SHELLS {
        let name = shell.file_name("modelgate");
        let text = String::from_utf8_lossy(&script(shell)).into_owned();
        files.push((format!("completions/{name}"), text));
    }
    Ok(files)
}

/// `modelgate cli-docs [--write] DIR`: writes the generated files, or checks they are current.
pub fn cli_docs(dir: &Path, write: bool) -> i32 {
    let files = match generated() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("modelgate: {e}");
            return 2;
        }
    };
    let mut stale = Vec::new();
    for (rel, content) in &files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if write {
            let written = match path.parent() {
                Some(parent) => std::fs::create_dir_all(parent),
                None => Ok(()),
            }
            .and_then(|()| std::fs::write(&path, content));
            if let Err(e) = written {
                eprintln!("modelgate: cannot write `{}`: {e}", path.display());
                return 2;
            }
        }
        stale.push(path.display().to_string());
    }
    // pages of commands that are gone
    for sub in ["man", "completions"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = format!("{sub}/{}", e.file_name().to_string_lossy());
            if !files.iter().any(|(r, _)| *r == rel) {
                if write {
                    let _ = std::fs::remove_file(e.path());
                }
                stale.push(e.path().display().to_string());
            }
        }
    }
    if write {
        println!("{} generated files written or removed", stale.len());
        0
    } else if stale.is_empty() {
        println!(
            "man pages and completions are current ({} files)",
            files.len()
        );
        0
    } else {
        for s in &stale {
            eprintln!("stale: {s}");
        }
        eprintln!(
            "modelgate: the man pages or completions are stale; run `cargo run -- cli-docs --write docs`"
        );
        1
    }
}
