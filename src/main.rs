//! The `briefing` binary: parse the command line, run the command, report, exit.
//! Exit status: 0 success, 1 content/template/config errors, 2 usage errors.

use clap::Parser;

// mimalloc: the build allocates many short-lived strings on several threads; glibc's
// allocator spent a fifth of a 50,000-article build in malloc/free and fragmented
// memory across threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
