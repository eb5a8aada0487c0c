//! The `briefing` binary: parse the command line, run the command, report, exit.
//! Exit status: 0 success, 1 content/template/config errors, 2 usage errors.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = briefing::cli::Cli::parse();
    match briefing::cmd::run(cli) {
        Ok(status) => status.into(),
        Err(e) => {
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            briefing::cmd::Status::Failure.into()
        }
    }
}
