//! What a new user and a pipeline meet first (issue 13), through the real binary and
//! the real tools (completions and manual pages are tests/completions.rs's): the
//! committed executable bits, `check` from other folders, an
//! import of the generated Python module, `-o -`, folders `init` creates, and the
//! README's TypeScript app commands. A test that needs a tool this machine lacks says
//! so on stderr and passes; with SSM_PROFILE_REQUIRE_TOOLS=1 (set by .ci/run after
//! the conformance suite installed the tools) a missing tool fails it instead.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{Scratch, repo, skip, skip_conformance_tool, text, tools_dir};

// ---- 13.2 executable bits ----------------------------------------------------------

#[test]
fn scripts_that_are_run_are_committed_executable() {
    let out = Command::new("git")
        .current_dir(repo())
        .args(["ls-files", "-s", "--", ".ci", "scripts"])
        .output();
    let out = match out {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => text(&out.stdout),
        _ => return skip("executable bits", "not a git checkout"),
    };
    let mut checked = 0;
    for line in out.lines() {
        // "100755 <hash> 0\tpath"
        let (meta, path) = line.split_once('\t').unwrap();
        let mode = meta.split(' ').next().unwrap();
        let starts_with_shebang = fs::read(repo().join(path)).is_ok_and(|b| b.starts_with(b"#!"));
        if path == ".ci/run" || starts_with_shebang {
            checked += 1;
            assert_eq!(
                mode, "100755",
                "{path} is run directly but committed without its executable bit (git update-index --chmod=+x {path})"
            );
        }
    }
    assert!(checked >= 2, "{out}");
}

// ---- 13.3 CDK module names ---------------------------------------------------------

/// A python with aws-cdk-lib (`scripts/install-tools cdk-python`).
fn cdk_python() -> Option<PathBuf> {
    let python = tools_dir().join("venv/cdk-python/bin/python");
    python.is_file().then_some(python)
}

/// What `code` prints when run by the pinned aws-cdk-lib's python in `dir` (first
/// on `sys.path`, as for a user's app there); `None` (a skip) without that python.
fn python_in(dir: &Path, code: &str) -> Option<String> {
    let Some(python) = cdk_python() else {
        skip_conformance_tool(
            "python import",
            &format!(
                "no python with aws-cdk-lib under {} (scripts/install-tools cdk-python)",
                tools_dir().display()
            ),
        );
        return None;
    };
    let out = Command::new(python)
        .current_dir(dir)
        .env("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
        .args(["-c", code])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python cannot run `{code}` in {}:\n{}",
        dir.display(),
        text(&out.stderr)
    );
    Some(text(&out.stdout).trim().to_string())
}

#[test]
fn the_starter_spec_gives_an_importable_python_module() {
    let s = Scratch::new("pymodule");
    assert_eq!(s.run(&["init"]).status.code(), Some(0));
    let run = s.run(&["build", "ssm-profile.yaml", "--out-dir", "generated"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(s.path("generated/cdk/ssm_profile.py").is_file());
    assert!(s.path("generated/cdk/ssm-profile.ts").is_file());
    assert!(!s.path("generated/cdk/ssm-profile.py").exists());

    // Import it as a user would: the out dir on the path, the module by its name.
    if let Some(printed) = python_in(
        &s.path("generated"),
        "import importlib; m = importlib.import_module('cdk.ssm_profile'); print(m.SsmProfiles.__name__)",
    ) {
        assert_eq!(printed, "SsmProfiles");
    }
}

/// Python puts a script's folder first on `sys.path`: a spec `typing.yaml` whose
/// module were `cdk/typing.py` would be imported by aws_cdk in place of the standard
/// library's (ImportError: cannot import name 'cast'). It is `typing_.py`.
#[test]
fn a_spec_named_like_a_module_the_app_imports_does_not_shadow_it() {
    let s = Scratch::new("pyshadow");
    s.spec("minimal", "typing.yaml");
    let run = s.run(&["build", "typing.yaml", "--out-dir", "generated"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(s.path("generated/cdk/typing_.py").is_file());
    assert!(!s.path("generated/cdk/typing.py").exists());

    // From the app's own folder, as `python3 typing-app.py` runs: that folder first.
    if let Some(printed) = python_in(
        &s.path("generated/cdk"),
        "import typing_; print(typing_.SsmProfiles.__name__)",
    ) {
        assert_eq!(printed, "SsmProfiles");
    }
}

#[test]
fn two_stems_that_meet_in_one_module_are_refused() {
    let s = Scratch::new("collide");
    s.spec("minimal", "prod-eu.yaml");
    s.spec("minimal", "prod_eu.yaml");
    let run = s.run(&["build", "prod-eu.yaml", "prod_eu.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("prod-eu.yaml and prod_eu.yaml would both write cdk/prod_eu.py"),
        "{}",
        text(&run.stderr)
    );
    assert!(!s.path("gen").exists());
}

// ---- 13.4 check from anywhere ------------------------------------------------------

#[test]
fn check_passes_from_another_folder_and_with_absolute_paths() {
    let s = Scratch::new("anywhere");
    s.spec("seed", "repo/specs/prod.yaml");
    s.spec("minimal", "repo/specs/dev.yaml");
    let built = s.run_in(
        "repo",
        &[
            "build",
            "specs/prod.yaml",
            "./specs/dev.yaml",
            "--out-dir",
            "generated",
        ],
    );
    assert_eq!(built.status.code(), Some(0), "{}", text(&built.stderr));
    let header = fs::read_to_string(s.path("repo/generated/cdk/prod.ts")).unwrap();
    assert!(header.contains("from prod.yaml;"), "{header}");

    let root = s.0.display().to_string();
    let abs_prod = format!("{root}/repo/specs/prod.yaml");
    let abs_dev = format!("{root}/repo/specs/dev.yaml");
    let abs_out = format!("{root}/repo/generated");
    for (dir, args) in [
        // the monorepo root, as CI with `working-directory` runs it
        (
            "",
            vec![
                "check",
                "repo/specs/prod.yaml",
                "repo/specs/dev.yaml",
                "--out-dir",
                "repo/generated",
            ],
        ),
        // absolute paths
        (
            "",
            vec!["check", &abs_prod, &abs_dev, "--out-dir", &abs_out],
        ),
        // beside the specs
        (
            "repo/specs",
            vec![
                "check",
                "prod.yaml",
                "dev.yaml",
                "--out-dir",
                "../generated",
            ],
        ),
    ] {
        let run = s.run_in(dir, &args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "check from {dir:?} with {args:?}:\n{}",
            text(&run.stdout)
        );
    }
    // No absolute path reaches a generated file.
    for entry in walk(&s.path("repo/generated")) {
        let body = fs::read_to_string(&entry).unwrap();
        assert!(!body.contains(&root), "{} leaks {root}", entry.display());
    }

    // A mistyped --out-dir names the folder instead of calling every file missing.
    let typo = s.run_in(
        "repo",
        &["check", "specs/prod.yaml", "--out-dir", "genrated"],
    );
    assert_eq!(typo.status.code(), Some(2));
    let err = text(&typo.stderr);
    assert!(
        err.contains("--out-dir genrated: the folder does not exist"),
        "{err}"
    );
    assert!(!err.contains("missing") && typo.stdout.is_empty(), "{err}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// ---- 13.5 / 13.6 paths -------------------------------------------------------------

#[test]
fn init_and_output_create_missing_folders() {
    let s = Scratch::new("folders");
    let init = s.run(&["init", "specs/prod.yaml"]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    assert!(s.path("specs/prod.yaml").is_file());
    let build = s.run(&[
        "build",
        "specs/prod.yaml",
        "--target",
        "cloudformation",
        "-o",
        "newdir/deeper/x.json",
    ]);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
    assert!(s.path("newdir/deeper/x.json").is_file());
    // init refuses an existing file and leaves no folder behind when it cannot write.
    fs::write(s.path("blocker"), "a file").unwrap();
    let blocked = s.run(&["init", "blocker/prod.yaml"]);
    assert_eq!(blocked.status.code(), Some(2));
    assert!(text(&blocked.stderr).starts_with("error: blocker/prod.yaml: "));
}

#[test]
fn output_dash_is_standard_output() {
    let s = Scratch::new("dash");
    s.spec("minimal", "spec.yaml");
    let run = s.run(&[
        "build",
        "spec.yaml",
        "--target",
        "cloudformation",
        "-o",
        "-",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        run.stdout,
        fs::read(repo().join("fixtures/minimal/cloudformation.json")).unwrap()
    );
    assert!(!s.path("-").exists(), "`-o -` wrote a file named -");
}

// ---- 13.15 / 13.16 README -----------------------------------------------------------

/// The command of the README that compiles the TypeScript app, which this test runs.
const README_TSC: &str =
    "npx tsc --strict --target ES2022 --module node16 --types node --skipLibCheck app.ts";
const README_SYNTH: &str = "npx cdk synth --app 'node app.js'";

#[test]
fn the_readme_typescript_app_commands_work_with_the_pinned_typescript() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains(README_TSC), "README lacks `{README_TSC}`");
    assert!(
        readme.contains(README_SYNTH),
        "README lacks `{README_SYNTH}`"
    );
    let modules = tools_dir().join("npm/node_modules");
    if !modules.join(".bin/tsc").is_file() || !modules.join("@types/node").is_dir() {
        return skip_conformance_tool(
            "README TypeScript app",
            &format!(
                "no pinned typescript under {} (scripts/install-tools npm)",
                modules.display()
            ),
        );
    }
    let s = Scratch::new("tsapp");
    s.spec("minimal", "spec.yaml");
    std::os::unix::fs::symlink(&modules, s.path("node_modules")).unwrap();
    let run = s.run(&[
        "build",
        "spec.yaml",
        "--target",
        "cdk",
        "--app",
        "-o",
        "app.ts",
    ]);
    assert_eq!(run.status.code(), Some(0));
    // `npx X` runs node_modules/.bin/X; run them without npx, which may reach the
    // network.
    for command in [README_TSC, README_SYNTH] {
        let local = command.replacen("npx ", "node_modules/.bin/", 1);
        let out = Command::new("sh")
            .current_dir(&s.0)
            .args(["-c", &local])
            .env("CDK_DISABLE_VERSION_CHECK", "1")
            .env("CDK_OUTDIR", s.path("cdk.out"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{local}` failed:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        if command == README_SYNTH {
            assert!(text(&out.stdout).contains("AWS::IAM::Role"));
        }
    }
}

#[test]
fn messages_name_aws_pages_in_the_users_words() {
    // What the program prints (errors, refusals, explain) is in the goldens.
    let mut checked = 0;
    let mut pending = vec![repo().join("fixtures")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                pending.push(path);
            } else if name == "error.txt" || name == "explain.txt" || name.ends_with(".error") {
                checked += 1;
                let body = fs::read_to_string(&path).unwrap();
                assert!(
                    !body.contains("seed page") && !body.contains("u32"),
                    "{} speaks of the project's internals",
                    path.display()
                );
            }
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn the_readme_says_what_to_install_and_how() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo install --locked --path ."));
    let cargo = fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let msrv = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .map(|v| v.trim_end_matches('"'))
        .expect("Cargo.toml declares rust-version");
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "README must name the minimum Rust, {msrv}"
    );
    // The user's words: no internal name for AWS's page.
    assert!(!readme.contains("seed page"));
    // The pins of the pre-commit and CI examples: tests/standalone.rs.
}
