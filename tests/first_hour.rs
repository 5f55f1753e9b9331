//! What a new user and a pipeline meet first (issue 13), through the real binary and
//! the real tools: shell completions run in real shells, the committed executable
//! bits, manual pages rendered by a roff reader, `check` from other folders, an
//! import of the generated Python module, `-o -`, folders `init` creates, and the
//! README's TypeScript app commands. A test that needs a tool this machine lacks says
//! so on stderr and passes; with SSM_PROFILE_REQUIRE_TOOLS=1 (set by .ci/run after
//! the conformance suite installed the tools) a missing tool fails it instead.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::CommandFactory;
use support::{Scratch, bin, repo, text};

/// Passes with a visible reason when a program of the system (a shell, a roff
/// reader) is missing.
fn skip(test: &str, why: &str) {
    // Written to the process's stderr, past the test harness's capture, so a
    // skip is visible in every run.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    })
}

/// The folder `scripts/install-tools` installs into.
fn tools_dir() -> PathBuf {
    std::env::var_os("TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".tools"))
}

/// As `skip`, for the tools `scripts/install-tools` installs: after the conformance
/// suite has installed them (SSM_PROFILE_REQUIRE_TOOLS=1, set by .ci/run), a missing
/// one fails the test instead.
fn skip_conformance_tool(test: &str, why: &str) {
    if std::env::var_os("SSM_PROFILE_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{test}: {why} (SSM_PROFILE_REQUIRE_TOOLS=1)");
    }
    skip(test, why);
}

// ---- 13.1 completions ------------------------------------------------------------

/// What bash offers on TAB for `words` (the last is being completed), in the folder
/// of `script`: its completion function, called as bash calls it, and when that
/// offers nothing, bash's filename completion, as `complete -o default` asks.
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let driver = r#"
source "$1"; shift
spec=$(complete -p ssm-profile) || exit 3
fn=${spec##*-F }; fn=${fn%% *}
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
"$fn" ssm-profile "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
if [[ ${#COMPREPLY[@]} -eq 0 && $spec == *"-o default"* ]]; then
  COMPREPLY=( $(compgen -f -- "${COMP_WORDS[COMP_CWORD]}") )
fi
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let out = Command::new("bash")
        .current_dir(script.parent().unwrap())
        .args(["--norc", "--noprofile", "-c", driver, "driver"])
        .arg(script)
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn bash_completes_subcommands_options_and_values() {
    if which("bash").is_none() {
        return skip("bash completion", "bash is not installed");
    }
    let s = Scratch::new("bash");
    let script = s.path("ssm-profile.bash");
    let run = s.run(&["completions", "bash"]);
    assert_eq!(run.status.code(), Some(0));
    fs::write(&script, &run.stdout).unwrap();

    let complete = |words: &[&str]| bash_complete(&script, words);
    assert_eq!(complete(&["ssm-profile", "bu"]), ["build"]);
    assert_eq!(complete(&["ssm-profile", "build", "--ta"]), ["--target"]);
    assert_eq!(
        complete(&["ssm-profile", "build", "spec.yaml", "--target", "c"]),
        ["cloudformation", "cdk"]
    );
    assert_eq!(
        complete(&["ssm-profile", "check", "--exh"]),
        ["--exhaustive"]
    );
    assert_eq!(
        complete(&["ssm-profile", "build", "--message-format", "g"]),
        ["github"]
    );
    assert_eq!(complete(&["ssm-profile", "man", "--out"]), ["--out-dir"]);

    // The first word after a subcommand that reads specs is a spec file, not `-`.
    s.write("prod.yaml", "");
    s.write("dev.json", "");
    for sub in ["build", "check", "explain"] {
        for words in [
            vec!["ssm-profile", sub, ""],
            vec!["ssm-profile", sub, "prod.yaml", ""],
        ] {
            let offered = complete(&words);
            assert!(
                offered.contains(&"prod.yaml".to_string())
                    && offered.contains(&"dev.json".to_string()),
                "{words:?}: {offered:?}"
            );
            assert!(
                !offered.iter().any(|o| o.starts_with('-')),
                "{words:?}: {offered:?}"
            );
        }
        assert_eq!(complete(&["ssm-profile", sub, "p"]), ["prod.yaml"]);
        assert!(complete(&["ssm-profile", sub, "--"]).contains(&"--help".to_string()));
    }
    assert_eq!(complete(&["ssm-profile", "explain", "--f"]), ["--format"]);
    assert!(complete(&["ssm-profile", "init", ""]).contains(&"prod.yaml".to_string()));
    // A subcommand whose first word comes from a list still offers the list.
    assert!(complete(&["ssm-profile", "completions", ""]).contains(&"bash".to_string()));
    assert!(complete(&["ssm-profile", "man", ""]).contains(&"build".to_string()));
}

#[test]
fn fish_completes_subcommand_options() {
    if which("fish").is_none() {
        return skip("fish completion", "fish is not installed");
    }
    let s = Scratch::new("fish");
    let run = s.run(&["completions", "fish"]);
    fs::write(s.path("ssm-profile.fish"), &run.stdout).unwrap();
    let out = Command::new("fish")
        .args(["--no-config", "-c"])
        .arg(format!(
            "source {}; complete -C 'ssm-profile build --ta'; complete -C 'ssm-profile check --exh'",
            s.path("ssm-profile.fish").display()
        ))
        .output()
        .unwrap();
    let out = text(&out.stdout);
    let words: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(words, ["--target", "--exhaustive"], "{out}");
}

#[test]
fn zsh_completes_subcommand_options() {
    // zsh completes only in an interactive shell: drive one in tmux and read the line.
    if which("zsh").is_none() || which("tmux").is_none() {
        return skip("zsh completion", "zsh or tmux is not installed");
    }
    let s = Scratch::new("zsh");
    fs::create_dir_all(s.path("fn")).unwrap();
    fs::create_dir_all(s.path("bin")).unwrap();
    let run = s.run(&["completions", "zsh"]);
    fs::write(s.path("fn/_ssm-profile"), &run.stdout).unwrap();
    std::os::unix::fs::symlink(bin(), s.path("bin/ssm-profile")).unwrap();
    let session = format!("ssm-profile-zsh-{}", std::process::id());
    let socket = s.path("tmux.sock");
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .output()
            .unwrap()
    };
    let shell = format!(
        "env -i HOME={home} TERM=xterm PATH={home}/bin:/usr/bin:/bin zsh -f",
        home = s.0.display()
    );
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "200",
        "-y",
        "20",
        &shell,
    ]);
    assert!(started.status.success(), "{}", text(&started.stderr));
    let setup = format!(
        "fpath=({}/fn $fpath); autoload -U compinit; compinit -u; PS1='ready> '",
        s.0.display()
    );
    tmux(&["send-keys", "-t", &session, &setup, "Enter"]);
    let screen = |want: &str| {
        for _ in 0..100 {
            let pane = text(&tmux(&["capture-pane", "-t", &session, "-p"]).stdout);
            if pane.contains(want) {
                return pane;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        text(&tmux(&["capture-pane", "-t", &session, "-p"]).stdout)
    };
    screen("ready> ");
    tmux(&["send-keys", "-t", &session, "ssm-profile build --ta", "Tab"]);
    let pane = screen("ready> ssm-profile build --target");
    tmux(&["kill-session", "-t", &session]);
    assert!(
        pane.contains("ready> ssm-profile build --target"),
        "zsh did not complete --target:\n{pane}"
    );
}

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

// ---- 13.7 manual pages -------------------------------------------------------------

/// The long options of `cmd` and its global options (`--target`, ...).
fn long_options(cmd: &clap::Command) -> Vec<String> {
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect()
}

fn render_roff(roff: &str, dir: &Path, name: &str) -> Option<String> {
    let file = dir.join(name);
    fs::write(&file, roff).unwrap();
    for (tool, args) in [
        ("man", vec!["-l", "-P", "cat"]),
        ("mandoc", vec!["-T", "ascii"]),
        ("groff", vec!["-man", "-T", "ascii"]),
    ] {
        if which(tool).is_none() {
            continue;
        }
        let out = Command::new(tool)
            .args(&args)
            .arg(&file)
            .env("MANWIDTH", "200")
            .env("LC_ALL", "C")
            .env("MANPAGER", "cat")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool} cannot render {name}: {}",
            text(&out.stderr)
        );
        // Backspace overstrikes (bold, underline) as `col -b` would remove them.
        let mut rendered = String::new();
        for c in text(&out.stdout).chars() {
            if c == '\u{8}' {
                rendered.pop();
            } else {
                rendered.push(c);
            }
        }
        return Some(rendered);
    }
    None
}

#[test]
fn every_subcommand_has_a_man_page_that_documents_every_option() {
    let s = Scratch::new("man");
    let cmd = ssm_profile::cli::Cli::command();
    let global = long_options(&cmd);
    let mut pages = vec![("ssm-profile".to_string(), None, global.clone())];
    for sub in cmd.get_subcommands() {
        let mut options = long_options(sub);
        options.extend(global.iter().cloned());
        pages.push((
            format!("ssm-profile-{}", sub.get_name()),
            Some(sub.get_name().to_string()),
            options,
        ));
    }
    let mut rendered_any = false;
    for (page, sub, options) in &pages {
        let mut args = vec!["man"];
        if let Some(sub) = sub {
            args.push(sub);
        }
        let run = s.run(&args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&run.stderr)
        );
        let roff = text(&run.stdout);
        assert!(roff.contains(&format!(".TH {page} 1")), "{page}:\n{roff}");
        let Some(shown) = render_roff(&roff, &s.0, &format!("{page}.1")) else {
            continue;
        };
        rendered_any = true;
        for option in options {
            assert!(
                shown.contains(option.as_str()),
                "{page}(1) does not document {option}:\n{shown}"
            );
        }
        // Every page the main page lists exists.
        if sub.is_none() {
            for other in pages.iter().skip(1) {
                assert!(shown.contains(&format!("{}(1)", other.0)), "{shown}");
            }
            assert!(!shown.contains("ssm-profile-help(1)"), "{shown}");
        }
    }
    if !rendered_any {
        skip("man pages", "no man, mandoc or groff to render roff");
    }

    // `man --out-dir` writes the same pages as files.
    let run = s.run(&["man", "--out-dir", "pages"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    for (page, sub, _) in &pages {
        let mut args = vec!["man"];
        if let Some(sub) = sub {
            args.push(sub);
        }
        assert_eq!(
            fs::read(s.path(&format!("pages/{page}.1"))).unwrap(),
            s.run(&args).stdout
        );
    }
    assert_eq!(s.run(&["man", "nonesuch"]).status.code(), Some(2));
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
