//! Helpers the CLI test files share: a scratch folder that runs the real binary.

#![allow(dead_code)] // each test file uses a part

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output as Run};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ssm-profile")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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

    /// Copies a fixture's spec to `rel`, creating its folder.
    pub fn spec(&self, fixture: &str, rel: &str) {
        let to = self.path(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(repo().join("fixtures").join(fixture).join("spec.yaml"), to).unwrap();
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
