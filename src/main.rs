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
            // The reader went away (`briefing dates … | head`): nothing more to say.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return std::process::ExitCode::SUCCESS;
            }
            let chain: Vec<String> = e.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            briefing::cmd::Status::Failure.into()
        }
    }
}
