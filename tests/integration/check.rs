//! `briefing check`: every problem in one run, with file lines; exit codes.

use crate::harness::Project;

#[test]
fn reports_every_problem_at_once() {
    let p = Project::fixture("check/broken");
    let r = p.run(&["check"]).code(1);
    insta::assert_snapshot!("broken-check", r.stderr);
}

#[test]
fn build_fails_on_the_same_problems_and_writes_nothing() {
    let p = Project::fixture("check/broken");
    let r = p.run(&["build"]).code(1);
    assert!(
        r.stderr
            .contains("build failed; the output folder was not changed"),
        "{}",
        r.stderr
    );
    assert!(!p.exists("output"));
}

#[test]
fn clean_project_passes() {
    let p = Project::fixture("build/basic");
    let r = p.run(&["check"]).success();
    // The fixture has no problems beyond a missing-source warning on the draft.
    assert!(!r.stderr.contains(": error:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("notes/draft.md:2: warning: no `sources`"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let p = Project::empty();
    assert_eq!(p.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(p.run(&["--as-of", "yesterday", "build"]).code, 2);
    assert_eq!(p.run(&["--tz", "Mars/Base", "build"]).code, 2);
}

#[test]
fn missing_content_folder_is_an_error() {
    let p = Project::empty();
    let r = p.run(&["build"]).code(1);
    assert!(
        r.stderr
            .contains("content: error: the content folder does not exist"),
        "{}",
        r.stderr
    );
}

/// A reader that stops early (`briefing check --stories | head`) ends the listing
/// quietly: no panic, no error, success.
#[test]
fn a_closed_pipe_ends_output_quietly() {
    let p = Project::sample();
    for args in [
        &["check", "--stories"][..],
        &["dates", "content/2020/iraq-france-phone-call.md"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(p.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the command has loaded anything, let alone written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("error"),
            "{args:?}: {stderr}"
        );
    }
}
