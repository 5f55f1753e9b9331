//! Issue 20 items 1, 4 and 7: an `--out-dir` tree is untrusted input. A planted
//! journal or link never makes a build write, delete or pull in anything outside
//! DIR; a build killed at any point leaves nothing the next build does not remove;
//! two builds of one tree take turns, and `check` waits for a build. Each test runs
//! the real binary.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Stdio;

use support::{Scratch, text};

/// Every entry under `dir`: a file's bytes, a link's target, a folder's mark.
/// Links are not followed.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(base).unwrap().display().to_string();
            let kind = e.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(e.path()).unwrap();
                out.insert(rel, format!("-> {}", target.display()));
            } else if kind.is_dir() {
                out.insert(format!("{rel}/"), String::new());
                walk(base, &e.path(), out);
            } else {
                out.insert(rel, text(&fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts two snapshots are equal, naming the entries that differ (not their bytes).
fn same(now: &BTreeMap<String, String>, then: &BTreeMap<String, String>, what: &str) {
    let differ: Vec<&String> = now
        .keys()
        .chain(then.keys())
        .filter(|k| now.get(*k) != then.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: these differ: {differ:?}");
}

fn ok(run: &std::process::Output) {
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

/// The recipes: a planted journal with a link out of the tree wrote a git
/// hook outside it, deleted a file outside it, or moved a folder into it.
#[test]
fn a_planted_journal_and_a_link_never_reach_outside_the_tree() {
    let journal = "generated/.ssm-profile-build-BBBBBB.journal";
    let recipes = [
        "stage\tpayload\tesc/.git/hooks/pre-commit\ncommit\n",
        "stage\tesc/victim\tcdk/spec.ts\n",
        "stage\th/.ssh\tloot\ncommit\n",
        "stage\tesc/.spec.ts.AAAAAA.tmp\tcdk/spec.ts\ncommit\n",
    ];
    for recipe in recipes {
        let s = Scratch::new("planted-journal");
        s.spec("minimal", "repo/spec.yaml");
        fs::create_dir_all(s.path("outside/.git/hooks")).unwrap();
        fs::create_dir_all(s.path("home/.ssh")).unwrap();
        s.write("outside/victim", "keep");
        s.write("outside/.spec.ts.AAAAAA.tmp", "outside");
        s.write("home/.ssh/id", "secret");
        fs::create_dir_all(s.path("repo/generated")).unwrap();
        s.write("repo/generated/payload", "#!/bin/sh\necho PWNED\n");
        symlink("../../outside", s.path("repo/generated/esc")).unwrap();
        symlink("../../home", s.path("repo/generated/h")).unwrap();
        s.write(&format!("repo/{journal}"), recipe);
        let (outside, home) = (snapshot(&s.path("outside")), snapshot(&s.path("home")));
        let tree = snapshot(&s.path("repo/generated"));

        let run = s.run_in("repo", &["build", "spec.yaml", "--out-dir", "generated"]);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{recipe:?}: {}",
            text(&run.stderr)
        );
        let err = text(&run.stderr);
        assert!(
            err.contains(&format!("Delete {journal}")),
            "{recipe:?}: {err}"
        );
        assert!(err.contains("nothing was written"), "{err}");
        assert!(run.stdout.is_empty());
        assert_eq!(snapshot(&s.path("outside")), outside, "{recipe:?}");
        assert_eq!(snapshot(&s.path("home")), home, "{recipe:?}");
        assert_eq!(
            snapshot(&s.path("repo/generated")),
            tree,
            "{recipe:?}: no write"
        );

        // `check` names the journal; deleting it, as the message says, is enough.
        let run = s.run_in("repo", &["check", "spec.yaml", "--out-dir", "generated"]);
        assert_eq!(run.status.code(), Some(1));
        assert!(text(&run.stdout).contains(&format!("interrupted: {journal}")));
        fs::remove_file(s.path(&format!("repo/{journal}"))).unwrap();
        ok(&s.run_in("repo", &["build", "spec.yaml", "--out-dir", "generated"]));
        assert_eq!(snapshot(&s.path("outside")), outside, "{recipe:?}");
        assert_eq!(snapshot(&s.path("home")), home, "{recipe:?}");
    }
}

/// A build's own staging and renaming never follow a link planted at any
/// component of any destination: a linked folder is refused, a linked file is
/// replaced by the generated file, and the place the link names is untouched.
#[test]
fn staging_never_follows_a_link_at_any_component_of_a_destination() {
    let s = Scratch::new("staging-links");
    s.spec("minimal", "spec.yaml");
    ok(&s.run(&["build", "spec.yaml", "--out-dir", "gen"]));
    let planned: Vec<String> = snapshot(&s.path("gen"))
        .into_keys()
        .filter(|k| !k.ends_with('/'))
        .collect();
    assert!(planned.len() >= 8, "{planned:?}");
    let spec = fs::read_to_string(s.path("spec.yaml")).unwrap();
    // A different spec, so that every file is written again.
    s.write("v2.yaml", &spec.replace("\n  - name: ", "\n  - name: V2"));
    fs::rename(s.path("gen"), s.path("built")).unwrap();
    let mut tried = 0;
    for rel in &planned {
        let segments: Vec<&str> = rel.split('/').collect();
        for depth in 1..=segments.len() {
            let _ = fs::remove_dir_all(s.path("gen"));
            let _ = fs::remove_dir_all(s.path("outside"));
            copy_tree(&s.path("built"), &s.path("gen"));
            copy_tree(&s.path("built"), &s.path("outside"));
            s.write("outside/victim", "keep");
            let at = s.path(&format!("gen/{}", segments[..depth].join("/")));
            let up = "../".repeat(depth);
            let target = if depth == segments.len() {
                format!("{up}outside/victim")
            } else {
                format!("{up}outside/{}", segments[..depth].join("/"))
            };
            if at.is_dir() {
                fs::remove_dir_all(&at).unwrap();
            } else {
                fs::remove_file(&at).unwrap();
            }
            symlink(&target, &at).unwrap();
            let before = snapshot(&s.path("outside"));
            fs::copy(s.path("v2.yaml"), s.path("spec.yaml")).unwrap();
            let run = s.run(&["build", "spec.yaml", "--out-dir", "gen"]);
            assert_eq!(
                snapshot(&s.path("outside")),
                before,
                "{rel} at depth {depth}"
            );
            if depth < segments.len() {
                assert_eq!(run.status.code(), Some(2), "{rel} at depth {depth}");
                assert!(text(&run.stderr).contains("is a symbolic link where a folder"));
            } else {
                ok(&run);
                let meta = fs::symlink_metadata(&at).unwrap();
                assert!(meta.is_file(), "{rel}: the link is replaced, not followed");
            }
            s.write("spec.yaml", &spec);
            tried += 1;
        }
    }
    assert!(tried >= 16);
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Item 4, laid out as an interrupted build leaves it: a temporary file no journal
/// names (older versions made it before its journal line), a journal never given
/// its name, and a journal of a build stopped before it committed with its
/// temporary file. `check` reports each; the next build removes them, and only
/// them.
#[test]
fn what_an_interrupted_build_left_is_reported_then_removed() {
    let s = Scratch::new("leftovers");
    s.spec("minimal", "spec.yaml");
    ok(&s.run(&["build", "spec.yaml", "--out-dir", "gen"]));
    let built = snapshot(&s.path("gen"));
    s.write("gen/cdk/.spec.ts.Ab12Cd.tmp", "half");
    s.write("gen/.ssm-profile-build-Zz9Yy8.new", "");
    s.write("gen/cloudformation/.spec.template.json.QQQQQQ.tmp", "half");
    s.write(
        "gen/.ssm-profile-build-Jjjjjj.journal",
        "stage\tcloudformation/.spec.template.json.QQQQQQ.tmp\tcloudformation/spec.template.json\n",
    );
    // Named like ours but not ours: the user's, never touched.
    s.write("gen/cdk/.spec.ts.notours.tmp", "user");
    let run = s.run(&["check", "spec.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(1));
    let out = text(&run.stdout);
    for line in [
        "temporary: gen/.ssm-profile-build-Zz9Yy8.new (left by a build that was stopped; the next build removes it)",
        "temporary: gen/cdk/.spec.ts.Ab12Cd.tmp (left by a build",
        "temporary: gen/cloudformation/.spec.template.json.QQQQQQ.tmp (left by a build",
        "interrupted: gen/.ssm-profile-build-Jjjjjj.journal",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    let run = s.run(&["check", "spec.yaml", "--out-dir", "gen", "--exhaustive"]);
    assert!(!text(&run.stdout).contains("stray: gen/cdk/.spec.ts.Ab12Cd.tmp"));
    assert!(text(&run.stdout).contains("stray: gen/cdk/.spec.ts.notours.tmp"));

    let run = s.run(&["build", "spec.yaml", "--out-dir", "gen"]);
    ok(&run);
    assert!(
        text(&run.stderr).contains("0 files replaced, 3 temporary files removed"),
        "{}",
        text(&run.stderr)
    );
    fs::remove_file(s.path("gen/cdk/.spec.ts.notours.tmp")).unwrap();
    same(&snapshot(&s.path("gen")), &built, "after the build");
    ok(&s.run(&["check", "spec.yaml", "--out-dir", "gen", "--exhaustive"]));
}

/// Item 4 with a real stop: the debug build's hook aborts the process as `kill -9`
/// would, right after the Nth temporary file was created (before its bytes). Every
/// such stop leaves only what the next build removes.
#[test]
fn a_build_killed_while_it_stages_leaves_nothing_the_next_build_keeps() {
    let s = Scratch::new("killed-staging");
    s.spec("seed", "seed.yaml");
    ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
    let built = snapshot(&s.path("gen"));
    let spec = fs::read_to_string(s.path("seed.yaml")).unwrap();
    let v2 = spec.replace("name: SSMInstanceProfile", "name: SSMInstanceProfile2");
    for n in 1..=8 {
        s.write("seed.yaml", &v2);
        let run = s
            .command(&["build", "seed.yaml", "--out-dir", "gen"])
            .env("SSM_PROFILE_ABORT_AFTER_TEMP_FILES", n.to_string())
            .output()
            .unwrap();
        assert_ne!(run.status.code(), Some(0), "stopped at file {n}");
        let left = snapshot(&s.path("gen"));
        assert!(
            left.keys().any(|k| k.ends_with(".tmp")),
            "{n}: {:?}",
            left.keys()
        );
        let run = s.run(&["check", "seed.yaml", "--out-dir", "gen"]);
        assert_eq!(run.status.code(), Some(1));
        // Back to the first version: the stopped build's files are not its own.
        s.write("seed.yaml", &spec);
        ok(&s.run(&["build", "seed.yaml", "--out-dir", "gen"]));
        same(
            &snapshot(&s.path("gen")),
            &built,
            &format!("stopped at file {n}"),
        );
        ok(&s.run(&["check", "seed.yaml", "--out-dir", "gen", "--exhaustive"]));
    }
}

/// Holds the tree's lock as a build would, from this process.
fn hold(dir: &Path) -> fs::File {
    let f = fs::File::open(dir).unwrap();
    rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    f
}

/// Runs `args` while this process holds the tree's lock: it must say it waits,
/// change nothing while it waits, and finish once the lock is released.
fn waits(s: &Scratch, args: &[&str], said: &str) -> std::process::Output {
    let held = hold(&s.path("gen"));
    let before = snapshot(&s.path("gen"));
    let mut child = s
        .command(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert!(first.contains(said), "{first}");
    assert_eq!(snapshot(&s.path("gen")), before, "nothing while it waits");
    assert!(child.try_wait().unwrap().is_none(), "still waiting");
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let mut out = child.wait_with_output().unwrap();
    out.stderr = format!("{first}{rest}").into_bytes();
    out
}

/// Item 7: a second build waits (saying so on stderr) for the build holding the
/// tree, and so does `check`.
#[test]
fn a_build_and_a_check_wait_for_the_build_holding_the_tree() {
    let s = Scratch::new("lock-wait");
    s.spec("minimal", "spec.yaml");
    ok(&s.run(&["build", "spec.yaml", "--out-dir", "gen"]));
    let spec = fs::read_to_string(s.path("spec.yaml")).unwrap();
    s.write("spec.yaml", &spec.replace("\n  - name: ", "\n  - name: V2"));
    let run = waits(
        &s,
        &["build", "spec.yaml", "--out-dir", "gen"],
        "gen: another build is writing this tree; waiting for it to finish",
    );
    ok(&run);
    assert!(
        text(&run.stderr).contains("8 written"),
        "{}",
        text(&run.stderr)
    );
    let run = waits(
        &s,
        &["check", "spec.yaml", "--out-dir", "gen"],
        "gen: a build is writing this tree; waiting for it to finish before checking",
    );
    ok(&run);
}

/// Item 7: builds of two versions of the same specs at once leave the tree whole
/// at one of them (before, 9 runs in 20 mixed them), and every file is the
/// version of the build that ran last.
#[test]
fn concurrent_builds_of_two_versions_never_mix_them() {
    let s = Scratch::new("lock-versions");
    let names = ["seed", "multi-profile", "multi-region"];
    for (n, fixture) in names.iter().enumerate() {
        s.spec(fixture, &format!("v1/s{n}.yaml"));
        let spec = fs::read_to_string(s.path(&format!("v1/s{n}.yaml"))).unwrap();
        fs::create_dir_all(s.path("v2")).unwrap();
        s.write(
            &format!("v2/s{n}.yaml"),
            &spec.replace("\n  - name: ", "\n  - name: V2"),
        );
    }
    let specs =
        |v: &str| -> Vec<String> { (0..names.len()).map(|n| format!("{v}/s{n}.yaml")).collect() };
    let args = |command: &str, v: &str| -> Vec<String> {
        let mut a = vec![command.to_string()];
        a.extend(specs(v));
        a.extend(["--out-dir".to_string(), "gen".to_string()]);
        a
    };
    let strs = |a: &[String]| -> Vec<String> { a.to_vec() };
    for round in 0..4 {
        let children: Vec<_> = ["v1", "v2"]
            .iter()
            .map(|v| {
                let a = strs(&args("build", v));
                let a: Vec<&str> = a.iter().map(String::as_str).collect();
                s.command(&a)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            ok(&child.wait_with_output().unwrap());
        }
        let passes: Vec<bool> = ["v1", "v2"]
            .iter()
            .map(|v| {
                let a = strs(&args("check", v));
                let a: Vec<&str> = a.iter().map(String::as_str).collect();
                s.run(&a).status.code() == Some(0)
            })
            .collect();
        assert!(
            passes[0] ^ passes[1],
            "round {round}: the tree mixes versions"
        );
    }
}

/// Item 7, made deterministic: the tree holds spec `a` at v1 and spec `b` at v2.
/// A build of v1 stages `b`'s files (`a`'s are unchanged) and pauses before its
/// renames (the debug build's hook); a build of v2 starts then. Before the lock,
/// the second build wrote `a` at v2 and the first then renamed `b` at v1: both
/// exited 0 and neither version's `check` passed. Now the second waits, compares
/// after the first has finished, and the tree is whole at v2.
#[test]
fn a_build_started_while_another_renames_waits_and_the_tree_is_one_version() {
    let s = Scratch::new("lock-pause");
    for (name, fixture) in [("a", "seed"), ("b", "multi-profile")] {
        s.spec(fixture, &format!("v1/{name}.yaml"));
        let spec = fs::read_to_string(s.path(&format!("v1/{name}.yaml"))).unwrap();
        fs::create_dir_all(s.path("v2")).unwrap();
        s.write(
            &format!("v2/{name}.yaml"),
            &spec.replace("\n  - name: ", "\n  - name: V2"),
        );
    }
    ok(&s.run(&["build", "v1/a.yaml", "--out-dir", "gen"]));
    ok(&s.run(&["build", "v2/b.yaml", "--out-dir", "gen"]));
    let mut first = s
        .command(&["build", "v1/a.yaml", "v1/b.yaml", "--out-dir", "gen"])
        .env("SSM_PROFILE_PAUSE_BEFORE_COMMIT_MS", "1500")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(first.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("pausing before the renames") {
        assert!(stderr.read_line(&mut said).unwrap() > 0, "{said}");
    }
    let second = s.run(&["build", "v2/a.yaml", "v2/b.yaml", "--out-dir", "gen"]);
    assert!(first.wait().unwrap().success());
    ok(&second);
    assert!(
        text(&second.stderr).contains("another build is writing this tree; waiting"),
        "{}",
        text(&second.stderr)
    );
    ok(&s.run(&[
        "check",
        "v2/a.yaml",
        "v2/b.yaml",
        "--out-dir",
        "gen",
        "--exhaustive",
    ]));
}
