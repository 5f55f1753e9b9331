//! `build --out-dir`, `check` and `-o` at the edges (issue 10): symbolic links,
//! colliding paths, builds stopped part-way, concurrent builds, non-regular files,
//! and what `check` calls drift. Each test runs the real binary in a scratch folder.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::process::{Command, Output as Run, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::Scratch;

/// A scratch folder holding the seed spec as `seed.yaml`.
fn scratch() -> Scratch {
    let s = Scratch::new("tree-safety");
    s.spec("seed", "seed.yaml");
    s
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(run: &Run) {
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

/// Nothing a build leaves behind but the files it plans: no journal, no temporary.
fn assert_no_leftovers(s: &Scratch, dir: &str) {
    let left: Vec<String> = s
        .entries(dir)
        .into_iter()
        .filter(|e| e.ends_with(".tmp") || e.contains(".ssm-profile-build-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// Item 4: two links to `.` used to make `check --exhaustive` walk forever.
#[test]
fn the_strays_walk_never_follows_symbolic_links() {
    let s = scratch();
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    symlink(".", s.path("gen/cdk/loop")).unwrap();
    symlink("..", s.path("gen/cdk/up")).unwrap();
    let started = Instant::now();
    let run = s.run(&["check", "seed.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let out = text(&run.stdout);
    assert!(out.contains("stray: gen/cdk/loop"), "{out}");
    assert!(out.contains("stray: gen/cdk/up"), "{out}");
    // A symlinked target folder is reported, not walked.
    fs::remove_file(s.path("gen/cdk/loop")).unwrap();
    fs::remove_file(s.path("gen/cdk/up")).unwrap();
    fs::rename(s.path("gen/cdk"), s.path("elsewhere")).unwrap();
    symlink("../elsewhere", s.path("gen/cdk")).unwrap();
    let run = s.run(&["check", "seed.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stdout).contains("is a symbolic link where a folder"));
}

// Item 5: `x.yaml`'s app and `x-app.yaml`'s construct are both `cdk/x-app.ts`.
#[test]
fn colliding_output_paths_are_refused_before_anything_is_written() {
    let s = scratch();
    s.spec("minimal", "x.yaml");
    s.spec("minimal", "x-app.yaml");
    let run = s.run(&["build", "x.yaml", "x-app.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains("x.yaml and x-app.yaml would both write cdk/x-app.ts; rename one spec"),
        "{err}"
    );
    assert!(!s.path("gen").exists(), "nothing is written");
    // Paths that differ only in case are one file on macOS and Windows.
    s.spec("minimal", "Prod.yaml");
    s.spec("minimal", "prod.yaml");
    let run = s.run(&["check", "Prod.yaml", "prod.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("where case is ignored"));
}

// Item 6: a build stopped between two renames is finished by the next one, and
// `check` names it until then.
#[test]
fn a_build_stopped_part_way_is_reported_and_finished_by_the_next() {
    let s = scratch();
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    let before = s.entries("gen");
    let spec = fs::read_to_string(s.path("seed.yaml")).unwrap();
    fs::write(
        s.path("seed.yaml"),
        spec.replace("name: SSMInstanceProfile", "name: SSMInstanceProfile2"),
    )
    .unwrap();
    // The debug build's test hook stops the process as kill -9 would.
    let run = s
        .command(&["build", "seed.yaml", "--out-dir", "gen"])
        .env("SSM_PROFILE_ABORT_AFTER_RENAMES", "2")
        .output()
        .unwrap();
    assert_ne!(run.status.code(), Some(0), "the hook stopped the build");
    let during = s.entries("gen");
    assert!(during.iter().any(|e| e.ends_with(".tmp")), "{during:?}");
    assert!(during.iter().any(|e| e.ends_with(".journal")), "{during:?}");

    let run = s.run(&["check", "seed.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(1));
    let out = text(&run.stdout);
    assert!(
        out.contains("interrupted: gen/.ssm-profile-build-"),
        "{out}"
    );
    assert!(
        out.contains("a build was stopped while it replaced files"),
        "{out}"
    );

    let run = s.run(&["build", "seed.yaml", "--out-dir", "gen"]);
    ok(&run);
    assert!(
        text(&run.stderr).contains("finished a build that was stopped part-way"),
        "{}",
        text(&run.stderr)
    );
    assert_no_leftovers(&s, "gen");
    assert_eq!(s.entries("gen"), before);
    ok(&s.run(&["check", "seed.yaml", "--out-dir", "gen", "--exhaustive"]));
}

// Item 8: -o never turns a FIFO or device into a regular file, never replaces the
// spec it reads, and writes through a symbolic link to the file it names.
#[test]
fn dash_o_writes_through_non_regular_files_and_refuses_the_spec() {
    let s = scratch();
    let expected = s.run(&["build", "seed.yaml", "--target", "cloudformation"]);
    ok(&expected);

    ok(&s.run(&[
        "build",
        "seed.yaml",
        "--target",
        "cloudformation",
        "-o",
        "/dev/null",
    ]));
    assert!(!fs::metadata("/dev/null").unwrap().is_file());

    let fifo = s.path("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let child = s
        .command(&[
            "build",
            "seed.yaml",
            "--target",
            "cloudformation",
            "-o",
            "pipe",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let read = fs::read(&fifo).unwrap();
    let run = child.wait_with_output().unwrap();
    ok(&run);
    assert_eq!(read, expected.stdout);
    assert!(!fs::metadata(&fifo).unwrap().is_file(), "still a FIFO");

    let spec = fs::read(s.path("seed.yaml")).unwrap();
    for alias in ["seed.yaml", "./seed.yaml", "link.yaml"] {
        if alias == "link.yaml" {
            symlink("seed.yaml", s.path("link.yaml")).unwrap();
        }
        let run = s.run(&[
            "build",
            "seed.yaml",
            "--target",
            "cloudformation",
            "-o",
            alias,
        ]);
        assert_eq!(run.status.code(), Some(2), "{alias}");
        assert!(text(&run.stderr).contains("that is the spec being read"));
        assert_eq!(fs::read(s.path("seed.yaml")).unwrap(), spec);
    }

    fs::write(s.path("real.json"), "old").unwrap();
    symlink("real.json", s.path("out.json")).unwrap();
    ok(&s.run(&[
        "build",
        "seed.yaml",
        "--target",
        "cloudformation",
        "-o",
        "out.json",
    ]));
    assert!(
        fs::symlink_metadata(s.path("out.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(s.path("real.json")).unwrap(), expected.stdout);
    let mode = fs::metadata(s.path("real.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o044, 0o044, "readable by everyone: {mode:o}");
}

// Issue 20 item 11: `-o /dev/stdout` (or `/dev/stderr`, or their `/dev/fd/N` and
// `/proc/self/fd/N` names) writes the process's own stream, whatever it is: a pipe,
// whose `/proc/self/fd/1` link names no file (`pipe:[N]`), or a file opened for
// appending, which a rename would replace (losing what was there).
#[test]
fn dash_o_dev_stdout_writes_the_process_streams_through_a_pipe() {
    let s = scratch();
    let expected = s.run(&["build", "seed.yaml", "--target", "cloudformation"]);
    ok(&expected);
    let build = |o: &str| {
        s.command(&[
            "build",
            "seed.yaml",
            "--target",
            "cloudformation",
            "-q",
            "-o",
            o,
        ])
    };

    for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        let run = build(name).stdout(Stdio::piped()).output().unwrap();
        ok(&run);
        assert_eq!(run.stdout, expected.stdout, "{name}");
        assert!(run.stderr.is_empty(), "{name}: {}", text(&run.stderr));
    }
    let run = build("/dev/stderr")
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(run.stderr, expected.stdout);
    assert!(run.stdout.is_empty());

    // `>> log`: the output is appended through the descriptor, and `log` stays the
    // file it was, with its first line.
    fs::write(s.path("log"), "first line\n").unwrap();
    let log = fs::OpenOptions::new()
        .append(true)
        .open(s.path("log"))
        .unwrap();
    let run = build("/dev/stdout").stdout(log).output().unwrap();
    ok(&run);
    let mut want = b"first line\n".to_vec();
    want.extend_from_slice(&expected.stdout);
    assert_eq!(fs::read(s.path("log")).unwrap(), want);

    // Only those names are streams: a link to /dev/stdout is a path like any other,
    // and one that leads to no file (a pipe's) is refused, writing nothing.
    symlink("/dev/stdout", s.path("planted.json")).unwrap();
    let run = build("planted.json")
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(run.stdout.is_empty());

    // A stdout closed from the start (`>&-`) is an error, not a silent success.
    let closed = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" build seed.yaml --target cloudformation -q -o /dev/stdout >&-"#)
        .arg(env!("CARGO_BIN_EXE_ssm-profile"))
        .current_dir(s.path(""))
        .output()
        .unwrap();
    assert_eq!(closed.status.code(), Some(2));
    assert!(text(&closed.stderr).contains("standard output is closed"));
}

// Item 14: drift is exit 1 whatever form it takes; the summary never says the tree
// is up to date when it is not.
#[test]
fn check_calls_every_kind_of_drift_drift() {
    let s = scratch();
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    let check = || s.run(&["check", "seed.yaml", "--out-dir", "gen", "--exhaustive"]);
    ok(&check());

    // An executable generated file.
    let f = s.path("gen/cdk/seed.ts");
    fs::set_permissions(&f, fs::Permissions::from_mode(0o755)).unwrap();
    let run = check();
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stdout).contains("the file is executable"));
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    ok(&check());

    // A file replaced by a symbolic link to the same bytes.
    fs::copy(&f, s.path("copy.ts")).unwrap();
    fs::remove_file(&f).unwrap();
    symlink(s.path("copy.ts"), &f).unwrap();
    let run = check();
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stdout).contains("a symbolic link is where the generated file belongs"));
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    assert!(fs::symlink_metadata(&f).unwrap().is_file());

    // A file where a folder belongs.
    fs::remove_dir_all(s.path("gen/terraform")).unwrap();
    fs::write(s.path("gen/terraform"), "not a folder").unwrap();
    let run = check();
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("is a file where a folder of generated files belongs"));
    let run = s.run(&["build", "seed.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2), "build refuses, and says why");
    assert!(text(&run.stderr).contains("is a file where a folder"));
    fs::remove_file(s.path("gen/terraform")).unwrap();
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));

    // A stray alone: exit 1, and the summary says the tree is not clean.
    fs::write(s.path("gen/cdk/old.ts"), "x").unwrap();
    let run = check();
    assert_eq!(run.status.code(), Some(1));
    let out = text(&run.stdout);
    let last = out.lines().last().unwrap();
    assert!(
        last.contains("not clean (1 stray, 0 interrupted builds)"),
        "{out}"
    );
    assert!(
        out.contains("\n1 stray file: delete it if its spec is gone, or name its spec\n"),
        "{out}"
    );
}

// Item 15: concurrent builds into a fresh out dir all succeed.
#[test]
fn concurrent_builds_into_a_fresh_out_dir_all_succeed() {
    let s = scratch();
    let children: Vec<_> = (0..20)
        .map(|_| {
            s.command(&["build", "seed.yaml", "--out-dir", "fresh/gen"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        ok(&child.wait_with_output().unwrap());
    }
    assert_no_leftovers(&s, "fresh/gen");
    ok(&s.run(&[
        "check",
        "seed.yaml",
        "--out-dir",
        "fresh/gen",
        "--exhaustive",
    ]));
}

// Item 16: a symbolic link inside DIR never sends a write outside it.
#[test]
fn out_dir_refuses_a_symlinked_subfolder() {
    let s = scratch();
    fs::create_dir_all(s.path("gen")).unwrap();
    fs::create_dir_all(s.path("elsewhere")).unwrap();
    symlink("../elsewhere", s.path("gen/cdk")).unwrap();
    let run = s.run(&["build", "seed.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr)
            .contains("gen/cdk: is a symbolic link where a folder of generated files belongs"),
        "{}",
        text(&run.stderr)
    );
    assert!(s.entries("elsewhere").is_empty());
    assert_eq!(s.entries("gen"), vec!["cdk".to_string()], "nothing written");
}

// Issue 14: each file is staged as soon as it renders. A failure after files were
// staged (here the second spec's rollout, refused while rendering, after the first
// spec's files and the second's CloudFormation stacks were staged) leaves the tree
// exactly as it was: no file changed, no temporary file, no journal, no folder made.
#[test]
fn a_failure_after_files_were_staged_leaves_the_tree_as_it_was() {
    let s = scratch();
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    let snapshot = |dir: &str| -> Vec<(String, Vec<u8>)> {
        s.entries(dir)
            .into_iter()
            .map(|e| {
                let bytes = fs::read(s.path(&format!("{dir}/{e}"))).unwrap_or_default();
                (e, bytes)
            })
            .collect()
    };
    let before = snapshot("gen");
    let spec = fs::read_to_string(s.path("seed.yaml")).unwrap();
    fs::write(
        s.path("seed.yaml"),
        spec.replace("name: SSMInstanceProfile", "name: SSMInstanceProfile2"),
    )
    .unwrap();
    // 70 profiles: the rollout's one StackSet template would need over 200 outputs.
    let mut later = String::from(
        "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: eu-central-1\nprofiles:\n",
    );
    for i in 0..70 {
        later.push_str(&format!("  - name: SSMProfile{i}\n"));
    }
    fs::write(s.path("later.yaml"), later).unwrap();
    for out in ["gen", "fresh"] {
        let run = s.run(&["build", "seed.yaml", "later.yaml", "--out-dir", out]);
        assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
        assert!(
            text(&run.stderr).contains("later.yaml:") && text(&run.stderr).contains("200 outputs"),
            "{}",
            text(&run.stderr)
        );
        assert!(run.stdout.is_empty());
    }
    assert_eq!(snapshot("gen"), before, "the tree changed");
    assert!(!s.path("fresh").exists(), "a folder was left");
    // The same specs in the other order: the failing spec first, then one that
    // renders; and check reports the error the same way, touching nothing.
    let run = s.run(&["build", "later.yaml", "seed.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    let run = s.run(&["check", "seed.yaml", "later.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    assert_eq!(snapshot("gen"), before, "the tree changed");
    assert_no_leftovers(&s, "gen");
}
