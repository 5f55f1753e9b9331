//! The harness every test file that runs the real binary shares: a scratch folder
//! (removed when dropped) that holds specs, runs the binary in it and reads back
//! what it wrote.

#![allow(dead_code)] // each test file uses a part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output as Run};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BAD_SPEC: &str = "version: 1\nprofiles:\n  - name: x\n    partitoin: aws\n";

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ssm-profile")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Passes with a visible reason when a program of the system (a shell, a roff
/// reader) is missing.
pub fn skip(test: &str, why: &str) {
    // Written to the process's stderr, past the test harness's capture, so a
    // skip is visible in every run.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

pub fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    })
}

/// The folder `scripts/install-tools` installs into.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".tools"))
}

/// As `skip`, for the tools `scripts/install-tools` installs: after the conformance
/// suite has installed them (SSM_PROFILE_REQUIRE_TOOLS=1, set by .ci/run), a missing
/// one fails the test instead.
pub fn skip_conformance_tool(test: &str, why: &str) {
    if std::env::var_os("SSM_PROFILE_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{test}: {why} (SSM_PROFILE_REQUIRE_TOOLS=1)");
    }
    skip(test, why);
}

/// A scratch folder under the system temp dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(test: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "ssm-profile-cli-{}-{}-{test}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Copies a fixture's spec (`spec.yaml` or `spec.json`) to `rel`, creating its
    /// folder.
    pub fn spec(&self, fixture: &str, rel: &str) {
        let dir = repo().join("fixtures").join(fixture);
        let from = ["spec.yaml", "spec.json"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("fixtures/{fixture} has no spec"));
        let to = self.path(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every file under `rel`, relative to it, `/`-separated, sorted.
    pub fn files(&self, rel: &str) -> Vec<String> {
        self.entries(rel)
            .into_iter()
            .filter(|e| !e.ends_with('/'))
            .collect()
    }

    /// Every entry under `rel` (files, links, and folders with a trailing `/`),
    /// relative to it, sorted.
    pub fn entries(&self, rel: &str) -> Vec<String> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
            for e in fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                let r = e
                    .path()
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if e.file_type().unwrap().is_dir() {
                    out.push(format!("{r}/"));
                    walk(base, &e.path(), out);
                } else {
                    out.push(r);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.path(rel), &self.path(rel), &mut out);
        out.sort();
        out
    }

    pub fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap();
    }

    /// The binary, run in `dir` (relative to the scratch folder), with no colour
    /// variables from the caller's environment.
    pub fn command_in(&self, dir: &str, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.current_dir(self.path(dir))
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .args(args);
        c
    }

    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in("", args)
    }

    pub fn run_in(&self, dir: &str, args: &[&str]) -> Run {
        self.command_in(dir, args).output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in("", args)
    }

    /// Runs the binary through `sh` with `redirect` (e.g. `2>/dev/full`, `>&-`).
    pub fn run_redirected(&self, args: &[&str], redirect: &str) -> Run {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        Command::new("sh")
            .current_dir(&self.0)
            .args([
                "-c",
                &format!("exec '{}' {} {redirect}", bin(), quoted.join(" ")),
            ])
            .output()
            .unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
