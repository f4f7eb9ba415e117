use clap::Parser;

fn main() {
    // no input may crash modelgate with a backtrace; should a bug slip through, say so plainly
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        // the reader went away (`modelgate rules | head`): nothing is wrong, stop quietly
        if msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "modelgate: internal error{at}: {msg}\nplease report this with the command you ran"
        );
        std::process::exit(2);
    }));
    let cli = modelgate::cli::Cli::parse();
    std::process::exit(modelgate::cli::run(cli));
}
