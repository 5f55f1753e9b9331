//! Shell completions run in real shells (bash, fish, zsh) and manual pages rendered
//! by a roff reader (issue 13.1 and 13.7). A test that needs a program this machine
//! lacks says so on stderr and passes.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use support::{Scratch, bin, skip, text, which};

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
        // A subcommand's own options are defined once it is built (they are
        // deferred until it is parsed: `cli::deferred`).
        let mut sub = sub.clone();
        sub.build();
        let mut options = long_options(&sub);
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
