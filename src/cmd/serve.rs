//! `briefing serve`: build, serve the output on loopback, rebuild on change, reload.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use super::{Env, Status};
use crate::cli::ServeArgs;
use crate::serve::{Preview, router};

/// Runs the command: blocks until Ctrl-C.
pub fn run(env: &Env, args: &ServeArgs) -> anyhow::Result<Status> {
    let first = super::build::run(env, &args.build)?;
    if first != Status::Success && !env.project.output.join("index.html").is_file() {
        eprintln!(
            "error: the first build failed and there is no earlier output to serve; fix the problems above and run `briefing serve` again"
        );
        return Ok(Status::Failure);
    }
    let preview = Preview::new(&env.project.output);
    if first != Status::Success {
        preview.failed(report_text(env));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    // Ctrl-C is caught from before the port opens: a SIGINT that came between the first
    // request and the first wait for it would otherwise kill the server unannounced.
    let stop = {
        let _runtime = runtime.enter();
        interrupted().context("cannot listen for Ctrl-C")?
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((args.bind, args.port)))
        .with_context(|| format!("cannot listen on {}:{}", args.bind, args.port))?;
    let address = listener.local_addr().context("no local address")?;
    let url = format!("http://{address}/");
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        env.project.show(&env.project.output).display()
    );
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} makes the site, drafts included, reachable from other machines",
            args.bind
        );
    }
    if args.open {
        // Best effort: a machine without a browser simply has nothing to open.
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    let _watcher = watch(env.clone(), args, Arc::clone(&preview))?;
    runtime.block_on(async move {
        axum::serve(listener, router(preview))
            .with_graceful_shutdown(stop)
            .await
    })?;
    eprintln!("stopped");
    Ok(Status::Success)
}

/// A future that completes on Ctrl-C, listening from the moment it is made (inside the
/// runtime).
#[cfg(unix)]
fn interrupted() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        interrupt.recv().await;
    })
}

/// A future that completes on Ctrl-C.
#[cfg(not(unix))]
fn interrupted() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// The last diagnostics as the overlay shows them.
fn report_text(env: &Env) -> String {
    let report = env.last_report.borrow();
    let mut text: Vec<String> = report.sorted().iter().map(ToString::to_string).collect();
    text.push(report.summary());
    text.join("\n")
}

/// Watches content/, templates/ and the configuration; rebuilds after each burst of
/// changes (debounced) on a thread of its own. The returned debouncer stops watching
/// when dropped.
fn watch(
    env: Env,
    args: &ServeArgs,
    preview: Arc<Preview>,
) -> anyhow::Result<
    notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::NoCache>,
> {
    use notify::RecursiveMode;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(100), None, tx)
        .context("cannot watch for changes")?;
    let p = &env.project;
    for dir in [&p.content, &p.templates] {
        if dir.is_dir() {
            debouncer
                .watch(dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", p.show(dir).display()))?;
        }
    }
    // The configuration's folder, not the file: editors replace files on save.
    if let Some(dir) = p.config.parent().filter(|d| d.is_dir()) {
        debouncer
            .watch(dir, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", p.show(dir).display()))?;
    }
    let build_args = crate::cli::BuildArgs {
        select: args.build.select.clone(),
    };
    std::thread::spawn(move || {
        let relevant = |path: &Path| {
            let p = &env.project;
            (path.starts_with(&p.content) || path.starts_with(&p.templates) || path == p.config)
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        };
        for result in rx {
            let Ok(events) = result else { continue };
            // Reading files (the build itself does) is not a change.
            let changes = events
                .iter()
                .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)));
            if !changes
                .into_iter()
                .any(|e| e.paths.iter().any(|p| relevant(p)))
            {
                continue;
            }
            let started = Instant::now();
            let mut env = env.clone();
            env.now = chrono::Utc::now();
            match super::build::run(&env, &build_args) {
                Ok(Status::Success) => {
                    env.say(&format!(
                        "rebuilt in {} ms; reloading open pages",
                        started.elapsed().as_millis()
                    ));
                    preview.rebuilt();
                }
                Ok(_) => preview.failed(report_text(&env)),
                Err(e) => {
                    let text = format!("error: {e:#}");
                    eprintln!("{text}");
                    preview.failed(text);
                }
            }
        }
    });
    Ok(debouncer)
}
