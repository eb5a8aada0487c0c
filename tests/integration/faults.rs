//! Fault injection: builds killed at random points, a full disk, a read-only output
//! folder, content changing under a running build. The promise: the output folder is
//! always the old build's or the new build's, whole, and nothing panics.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{AS_OF, Project};

/// An article whose title and body depend on `version`, so two versions of a project
/// give different bytes on nearly every page.
fn article(i: usize, version: u32) -> String {
    format!(
        "---\ntitle: \"Report {i} (edition {version})\"\ndate: 2025-0{m}-{d:02}T0{h}:00:00Z\ntopics: [topic-{t}]\nsources:\n  - name: Wire\n    url: https://example.org/{i}\nsummary: Summary {i}, edition {version}.\n---\n\nBody of report {i}, edition {version}. {filler}\n",
        m = 1 + i % 9,
        d = 1 + i % 28,
        h = i % 10,
        t = i % 7,
        filler = "Words about the event. ".repeat(20),
    )
}

fn write_version(p: &Project, n: usize, version: u32) {
    for i in 0..n {
        p.write(&format!("content/a{i}.md"), &article(i, version));
    }
}

/// Every file under `dir` with a hash of its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, u64> {
    crate::harness::files_in(dir)
        .into_iter()
        .map(|(rel, bytes)| (rel, xxhash_rust::xxh3::xxh3_64(&bytes)))
        .collect()
}

/// `briefing build` of project `p` into `output`, not yet run.
fn build_command(p: &Project, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing"));
    command
        .args(["build", "--quiet", "--as-of", AS_OF, "--output"])
        .arg(output)
        .current_dir(p.path());
    command
}

fn build(p: &Project, output: &Path) -> std::process::Output {
    build_command(p, output).output().expect("run briefing")
}

/// Leftover staging folders next to `output`.
fn leftovers(output: &Path) -> Vec<String> {
    std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.contains(".old-") || n.contains(".spare-"))
        .collect()
}

/// A small deterministic generator for kill delays.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn a_killed_build_leaves_the_old_output_or_the_new_one() {
    const N: usize = 150;
    let p = Project::empty();
    // The two complete outputs, built without interruption.
    let mut expected = Vec::new();
    for version in [1, 2] {
        write_version(&p, N, version);
        let out = p.path().join(format!("reference-{version}"));
        let run = build(&p, &out);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        expected.push(snapshot(&out));
    }
    assert_ne!(expected[0], expected[1]);
    let output = p.path().join("output");
    write_version(&p, N, 1);
    assert!(build(&p, &output).status.success());
    // A full build's time bounds where the kills land: render, then write and swap.
    std::fs::remove_dir_all(p.path().join(".briefing-cache")).unwrap();
    let full = {
        let t = Instant::now();
        write_version(&p, N, 2);
        assert!(build(&p, &output).status.success());
        t.elapsed()
    };
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut current = 1; // output/ holds version 2 now; build the other one next.
    let mut outcomes = [0usize; 2];
    for round in 0..16 {
        let version = 1 - current;
        write_version(&p, N, version as u32 + 1);
        // Half the rounds start from a cold cache, so kills also land in parsing.
        if round % 2 == 0 {
            let _ = std::fs::remove_dir_all(p.path().join(".briefing-cache"));
        }
        let mut child = build_command(&p, &output)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = full.mul_f64((next_random(&mut state) % 1000) as f64 / 1000.0 * 1.2);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot(&output);
        let which = expected.iter().position(|e| *e == now).unwrap_or_else(|| {
            let old = &expected[current];
            let mixed: Vec<_> = now
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(*v))
                .take(5)
                .collect();
            panic!("round {round}: output/ is a mix after a kill at {delay:?}: {mixed:?}")
        });
        outcomes[which] += 1;
        current = which;
    }
    // The next build cleans up what killed builds left and completes.
    write_version(&p, N, 1);
    assert!(build(&p, &output).status.success());
    assert_eq!(snapshot(&output), expected[0]);
    assert_eq!(leftovers(&output), Vec::<String>::new());
    eprintln!(
        "kills left the old output {} times and the new one {} times",
        outcomes[current ^ 1],
        outcomes[current]
    );
}

/// Mounts a tmpfs of `size` at `dir` (needs root); `None` when this is not permitted.
struct Mount(std::path::PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            // CI runs as root, where this must work; elsewhere the test is skipped.
            assert!(
                std::env::var_os("CI").is_none(),
                "cannot mount a tmpfs in CI"
            );
            eprintln!("skipped: cannot mount a tmpfs (not root)");
            return None;
        }
        Some(Mount(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_old_output_stays() {
    let p = Project::empty();
    write_version(&p, 10, 1);
    let disk = p.path().join("disk");
    let Some(_mount) = Mount::tmpfs(&disk, "1m") else {
        return;
    };
    let output = disk.join("output");
    let run = build(&p, &output);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let before = snapshot(&output);
    // Enough articles that the new output cannot fit next to the old one.
    write_version(&p, 400, 2);
    let run = build(&p, &output);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains(&*disk.to_string_lossy()),
        "names the path: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(&output), before, "the old output is intact");
    assert_eq!(leftovers(&output), Vec::<String>::new());
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_the_old_output_stays() {
    let p = Project::empty();
    write_version(&p, 10, 1);
    let disk = p.path().join("disk");
    let Some(mount) = Mount::tmpfs(&disk, "16m") else {
        return;
    };
    let output = disk.join("output");
    assert!(build(&p, &output).status.success());
    let before = snapshot(&output);
    mount.remount("ro");
    write_version(&p, 10, 2);
    let run = build(&p, &output);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(&output), before);
    mount.remount("rw");
    assert!(build(&p, &output).status.success());
    assert_ne!(snapshot(&output), before);
}

#[test]
fn content_changing_during_builds_never_crashes_them() {
    const N: usize = 60;
    let p = Project::empty();
    write_version(&p, N, 1);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = stop.clone();
        let content = p.path().join("content");
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let path = content.join(format!("a{}.md", i % N));
                match i % 3 {
                    0 => {
                        let _ = std::fs::remove_file(&path);
                    }
                    1 => {
                        let _ = std::fs::write(&path, article(i % N, (i % 5) as u32));
                    }
                    _ => {
                        // Truncated mid-write, as an editor saving a file might leave it.
                        let text = article(i % N, 9);
                        let _ = std::fs::write(&path, &text[..text.len() / 2]);
                    }
                }
                i += 1;
                std::thread::sleep(Duration::from_micros(300));
            }
        })
    };
    let output = p.path().join("output");
    let mut codes = BTreeMap::new();
    for _ in 0..12 {
        let run = build(&p, &output);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let code = run.status.code().expect("exited, not killed by a signal");
        assert!(code == 0 || code == 1, "exit {code}: {stderr}");
        *codes.entry(code).or_insert(0) += 1;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
    // Once the files settle, a build gives the output of a fresh build.
    write_version(&p, N, 3);
    assert!(build(&p, &output).status.success());
    let fresh = p.path().join("fresh");
    std::fs::remove_dir_all(p.path().join(".briefing-cache")).unwrap();
    assert!(build(&p, &fresh).status.success());
    assert_eq!(snapshot(&output), snapshot(&fresh));
    eprintln!("exit codes while content changed: {codes:?}");
}

#[test]
fn two_builds_into_one_folder_take_turns() {
    // A long build and a short one, from two projects, into one shared folder. The short
    // one starts while the long one renders: without the lock it would remove the long
    // one's staging folder as a leftover, and the long one would swap in a partial site.
    let (long, short) = (Project::empty(), Project::empty());
    write_version(&long, 300, 1);
    write_version(&short, 5, 2);
    let shared = tempfile::tempdir().unwrap();
    let output = shared.path().join("output");
    let spawn = |p: &Project| {
        build_command(p, &output)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn(&long);
    std::thread::sleep(Duration::from_millis(300));
    let b = spawn(&short);
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let references: Vec<_> = [&long, &short]
        .iter()
        .map(|p| {
            let out = p.path().join("reference");
            assert!(build(p, &out).status.success());
            snapshot(&out)
        })
        .collect();
    let now = snapshot(&output);
    assert!(
        references.contains(&now),
        "the shared folder holds neither site whole"
    );
    assert_eq!(leftovers(&output), Vec::<String>::new());
}

#[test]
fn a_symlinked_output_folder_stays_a_symlink() {
    let p = Project::empty();
    write_version(&p, 5, 1);
    std::fs::create_dir_all(p.path().join("site/public")).unwrap();
    std::os::unix::fs::symlink("site/public", p.path().join("output")).unwrap();
    for version in [1, 2] {
        write_version(&p, 5, version);
        let out = build(&p, &p.path().join("output"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let link = std::fs::symlink_metadata(p.path().join("output")).unwrap();
        assert!(link.file_type().is_symlink(), "the swap replaced the link");
        assert!(
            p.path()
                .join("site/public/articles/a0/index.html")
                .is_file()
        );
    }
    assert_eq!(
        leftovers(&p.path().join("site/public")),
        Vec::<String>::new()
    );
}
