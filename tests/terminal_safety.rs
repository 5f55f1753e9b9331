//! What reaches a terminal or a CI log: spec text that tries to steer it (control
//! and bidi characters in errors and in `explain`, issue 10.12), and standard
//! streams that fail or are closed (issue 10.9).

mod support;

use std::path::Path;

use support::{BAD_SPEC, Scratch, text};

fn has_raw_control(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{2028}' | '\u{2029}')
    })
}

#[test]
fn errors_escape_what_the_spec_holds() {
    let s = Scratch::new("escape");
    s.write(
        "evil.yaml",
        "version: 1\nprofiles:\n  - name: x\n    tags:\n      \"k\\e[2J\\r\\n::error file=x::forged\\u202e\": v\n",
    );
    for format in ["human", "github"] {
        let run = s.run(&[
            "build",
            "evil.yaml",
            "--target",
            "cloudformation",
            "--message-format",
            format,
        ]);
        assert_eq!(run.status.code(), Some(2));
        let err = text(&run.stderr);
        assert!(!has_raw_control(&err), "{format}: {err:?}");
        assert!(
            !err.lines().any(|l| l.starts_with("::error file=x")),
            "{format}: a spec value forged a log line: {err}"
        );
        assert!(
            err.contains(r"\u{1b}[2J\r\n::error file=x::forged\u{202e}"),
            "{err}"
        );
    }
    // A spec file name is the user's text too.
    let name = "odd\u{1b}[31m\u{202e}.yaml";
    s.write(name, BAD_SPEC);
    let run = s.run(&["build", name, "--target", "cloudformation"]);
    let err = text(&run.stderr);
    assert!(!has_raw_control(&err), "{err:?}");
    assert!(
        err.starts_with(r"error: odd\u{1b}[31m\u{202e}.yaml:4:5:"),
        "{err}"
    );
}

#[test]
fn explain_escapes_descriptions_and_tags() {
    let s = Scratch::new("explain-escape");
    s.write(
        "spec.yaml",
        "version: 1\nprofiles:\n  - name: x\n    description: \"line one\\r\\nline two\\ttab\"\n    tags:\n      owner: \"Zoë\"\n",
    );
    let run = s.run(&["explain", "spec.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let out = text(&run.stdout);
    assert!(!has_raw_control(&out) && !out.contains('\t'), "{out:?}");
    assert!(
        out.contains("    Description: line one\\r\\nline two\\ttab\n"),
        "{out}"
    );
    assert!(out.contains("Tags: owner=Zoë"), "{out}");
    // The JSON form keeps the spec's text exactly.
    let run = s.run(&["explain", "spec.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        v["profiles"][0]["role"]["description"],
        "line one\r\nline two\ttab"
    );
}

// ---- 10.9 standard streams -----------------------------------------------------------------

fn has_dev_full() -> bool {
    Path::new("/dev/full").exists()
}

#[test]
fn a_failed_write_to_stderr_is_exit_2_not_a_panic() {
    if !has_dev_full() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED stderr write failure: no /dev/full on this system"
        );
        return;
    }
    let s = Scratch::new("full");
    s.spec("seed", "seed.yaml");
    // A warning that cannot be written.
    let run = s.run_redirected(
        &["build", "seed.yaml", "--target", "cloudformation"],
        "2>/dev/full",
    );
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
    // An error that cannot be written.
    s.write("bad.yaml", BAD_SPEC);
    let run = s.run_redirected(&["build", "bad.yaml", "--target", "cdk"], "2>/dev/full");
    assert_eq!(run.status.code(), Some(2));
    // --out-dir wrote every file, then its summary line failed.
    let run = s.run_redirected(&["build", "seed.yaml", "--out-dir", "gen"], "2>/dev/full");
    assert_eq!(run.status.code(), Some(2));
    assert!(s.path("gen/cloudformation/seed.template.json").is_file());
    // A usage error clap prints.
    let run = s.run_redirected(&["build", "--nonesuch"], "2>/dev/full");
    assert_eq!(run.status.code(), Some(2));
    // Standard output that fails.
    let run = s.run_redirected(&["schema"], ">/dev/full");
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).starts_with("error: <stdout>: "),
        "{}",
        text(&run.stderr)
    );
}

#[test]
fn a_closed_stdout_is_an_error_not_a_silent_success() {
    let s = Scratch::new("closed");
    s.spec("minimal", "spec.yaml");
    for args in [
        vec!["build", "spec.yaml", "--target", "cloudformation"],
        vec!["explain", "spec.yaml"],
        vec!["schema"],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["--help"],
    ] {
        let run = s.run_redirected(&args, ">&-");
        assert_eq!(
            run.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&run.stderr)
        );
        if args[0] != "--help" {
            assert!(
                text(&run.stderr).contains("standard output is closed"),
                "{args:?}: {}",
                text(&run.stderr)
            );
        }
    }
    // `-o FILE` does not need stdout.
    let run = s.run_redirected(
        &[
            "build",
            "spec.yaml",
            "--target",
            "cloudformation",
            "-o",
            "t.json",
        ],
        ">&-",
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // A closed stderr is as a failing one when there is something to say.
    s.spec("seed", "seed.yaml");
    let run = s.run_redirected(&["build", "seed.yaml", "--target", "cdk"], "2>&-");
    assert_eq!(run.status.code(), Some(2));
    let run = s.run_redirected(&["build", "spec.yaml", "--target", "cdk"], "2>&-");
    assert_eq!(run.status.code(), Some(0));
}

/// Standard streams closed at start are reopened on /dev/null, as Rust's runtime
/// does (the program starts without that runtime on glibc: `main.rs`), so no file
/// the program opens takes their descriptors and receives what is meant for them.
/// Seen from outside while the program waits to open its spec, a FIFO.
#[cfg(target_os = "linux")]
#[test]
fn streams_closed_at_start_are_held_by_dev_null() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let s = Scratch::new("closed-held");
    s.spec("minimal", "minimal.yaml");
    let fifo = s.path("spec.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|m| m.success()) {
        return support::skip("streams_closed_at_start_are_held_by_dev_null", "no mkfifo");
    }
    let mut child = Command::new("sh")
        .current_dir(s.path(""))
        .args([
            "-c",
            &format!(
                "exec '{}' build spec.yaml --target cloudformation <&- 2>&-",
                support::bin()
            ),
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // `exec` keeps the shell's process id.
    let proc = Path::new("/proc").join(child.id().to_string());
    let started = Instant::now();
    let held = loop {
        let exe = std::fs::read_link(proc.join("exe")).ok();
        let fds: Vec<_> = [0, 2]
            .map(|fd| std::fs::read_link(proc.join(format!("fd/{fd}"))).ok())
            .into();
        if exe.is_some_and(|e| e == Path::new(support::bin())) && fds.iter().all(Option::is_some) {
            break fds;
        }
        if started.elapsed() > Duration::from_secs(20) {
            break fds;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Lets the program go on: it reads the spec and exits.
    std::fs::write(&fifo, std::fs::read(s.path("minimal.yaml")).unwrap()).unwrap();
    let status = child.wait().unwrap();
    for fd in held {
        assert_eq!(fd.as_deref(), Some(Path::new("/dev/null")));
    }
    assert_eq!(status.code(), Some(0));
}

/// A reader that stops early (`| head`) ends the program normally: the write
/// fails with a broken pipe, which is the reader's choice, not a signal that kills
/// the program (the runtime's SIGPIPE setting, kept by `main.rs`).
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::process::Stdio;
    let s = Scratch::new("broken-pipe");
    s.spec("seed", "seed.yaml");
    let mut child = s
        .command(&["build", "seed.yaml", "--target", "cloudformation"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Closed before the program has rendered anything (it writes once, at the end).
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// A panic ends the program as Rust's runtime ends one, though on glibc Linux the
/// program starts without that runtime (`main.rs`): the panic's message on stderr,
/// exit status 101, nothing on stdout. Unwinding out of the C entry point would
/// abort the process instead (SIGABRT, status 134 from a shell). The panic comes
/// from a debug-only hook: no input is known to panic.
#[test]
fn a_panic_ends_the_program_with_status_101_and_its_message() {
    let out = std::process::Command::new(support::bin())
        .arg("--version")
        .env("SSM_PROFILE_PANIC", "1")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{:?}: {err}", out.status);
    assert!(err.contains("panicked at"), "{err}");
    assert!(err.contains("SSM_PROFILE_PANIC is set"), "{err}");
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
}
