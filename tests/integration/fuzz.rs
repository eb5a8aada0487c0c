//! The fuzz targets' checks (fuzz/checks.rs), run on every reproducer the fuzzers found
//! (fuzz/regressions/<target>/) and on the test fixtures, so a fixed crash stays fixed
//! without a nightly toolchain.

#[path = "../../fuzz/checks.rs"]
pub(crate) mod checks;

use std::path::Path;

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

#[test]
fn every_fuzz_reproducer_passes_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for (name, check) in checks::CHECKS {
        for file in files_under(&root.join(name)) {
            let bytes = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{name}: {} fails again", file.display());
            ran += 1;
        }
    }
    assert!(ran > 0, "no reproducers found under {}", root.display());
}

#[test]
fn the_fuzz_checks_pass_on_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_under(&root.join("tests/fixtures"));
    files.extend(files_under(&root.join("content")));
    assert!(files.len() > 50);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for (name, check) in checks::CHECKS {
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{name} fails on {}", file.display());
        }
    }
}
