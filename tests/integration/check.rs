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
