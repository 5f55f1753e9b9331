//! The repository stands alone (issue 26 items 1 to 3): its examples pin a commit
//! that exists, nothing it ships or prints cites a file only its authors have, every
//! AWS fact it prints names the AWS page (title, address, date), and it asks for the
//! Node.js the pinned CDK supports.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use support::{bin, repo, text};

/// Files of the project's authors that a user of the repository does not have.
const PRIVATE: &[&str] = &["aws-facts", "validators.md", "spec-v1", "shared/"];

fn git(args: &[&str]) -> std::process::Output {
    Command::new("git")
        .arg("-C")
        .arg(repo())
        .args(args)
        .output()
        .expect("git runs")
}

fn workflow_doc() -> String {
    fs::read_to_string(repo().join("docs/workflow.md")).unwrap()
}

/// The value after `key` on each line of `doc` that has it, up to white space.
fn values_after(doc: &str, key: &str) -> Vec<String> {
    doc.lines()
        .filter_map(|l| l.split_once(key))
        .map(|(_, v)| v.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_examples_pin_one_commit_that_exists_and_holds_the_hooks() {
    let doc = workflow_doc();
    let mut pins = values_after(&doc, "rev: ");
    pins.extend(values_after(&doc, "SSM_PROFILE_REV: "));
    assert!(
        pins.len() >= 2,
        "the pre-commit and CI examples pin: {pins:?}"
    );
    let pin = &pins[0];
    assert!(
        pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
        "a full commit ID: {pin}"
    );
    assert!(
        pins.iter().all(|p| p == pin),
        "one pin everywhere: {pins:?}"
    );
    // The CI example installs that pin, by commit.
    assert!(
        doc.contains("--rev \"$SSM_PROFILE_REV\""),
        "CI installs with --rev"
    );
    for docfile in ["README.md", "docs/workflow.md", "docs/rollout.md"] {
        let d = fs::read_to_string(repo().join(docfile)).unwrap();
        assert!(
            !d.contains("--tag") && !d.contains("v0.1.0"),
            "{docfile}: no tag exists"
        );
    }
    // The commit is in this repository, an ancestor of what is tested, and holds both hooks.
    let hooks = git(&["show", &format!("{pin}:.pre-commit-hooks.yaml")]);
    assert!(
        hooks.status.success(),
        "{pin} is not a commit of this repository holding .pre-commit-hooks.yaml: {}",
        text(&hooks.stderr)
    );
    let hooks = text(&hooks.stdout);
    for id in ["id: ssm-profile-check", "id: ssm-profile-build"] {
        assert!(hooks.contains(id), "{pin}'s hooks lack {id}");
    }
    assert!(
        git(&["merge-base", "--is-ancestor", pin, "HEAD"])
            .status
            .success(),
        "{pin} is not on this branch's history"
    );
}

/// Every file git tracks, but this one (which must name what it looks for).
fn tracked_files() -> Vec<String> {
    let out = git(&["ls-files", "-z"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .split('\0')
        .filter(|p| !p.is_empty() && *p != "tests/standalone.rs")
        .map(str::to_string)
        .collect()
}

fn run(args: &[&str]) -> String {
    let out = Command::new(bin()).args(args).output().unwrap();
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn nothing_shipped_or_printed_cites_a_file_the_user_does_not_have() {
    let mut cites = Vec::new();
    let files = tracked_files();
    assert!(files.len() > 100, "{}", files.len());
    for f in &files {
        let Ok(body) = fs::read_to_string(repo().join(f)) else {
            continue; // not text
        };
        for (n, line) in body.lines().enumerate() {
            if PRIVATE.iter().any(|p| line.contains(p)) {
                cites.push(format!("{f}:{}: {line}", n + 1));
            }
        }
    }
    // What the binary prints: explain in both formats for every fixture, every
    // command's help and manual page.
    let mut printed = Vec::new();
    for entry in fs::read_dir(repo().join("fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        for name in ["spec.yaml", "spec.json"] {
            let spec = dir.join(name);
            if spec.is_file() {
                let spec = spec.to_str().unwrap();
                printed.push((format!("explain {spec}"), run(&["explain", spec])));
                printed.push((
                    format!("explain {spec} --format json"),
                    run(&["explain", spec, "--format", "json"]),
                ));
            }
        }
    }
    for sub in [
        "build",
        "check",
        "explain",
        "init",
        "schema",
        "completions",
        "man",
    ] {
        printed.push((format!("{sub} --help"), run(&[sub, "--help"])));
        printed.push((format!("man {sub}"), run(&["man", sub])));
    }
    printed.push(("schema".into(), run(&["schema"])));
    assert!(printed.len() > 60, "{}", printed.len());
    for (what, out) in &printed {
        for line in out.lines() {
            if PRIVATE.iter().any(|p| line.contains(p)) {
                cites.push(format!("`ssm-profile {what}`: {line}"));
            }
        }
    }
    assert!(
        cites.is_empty(),
        "cites the authors' files:\n{}",
        cites.join("\n")
    );
}

#[test]
fn explain_names_each_source_by_title_address_and_date_as_docs_sources_lists_it() {
    let sources = fs::read_to_string(repo().join("docs/sources.md")).unwrap();
    let mut seen = BTreeSet::new();
    for fixture in ["seed", "multi-region", "patch-manager-buckets"] {
        let spec = repo().join("fixtures").join(fixture).join("spec.yaml");
        let out = run(&["explain", spec.to_str().unwrap()]);
        let lines: Vec<&str> = out
            .lines()
            .skip_while(|l| l.trim() != "Sources")
            .skip(1)
            .take_while(|l| l.trim_start().starts_with('['))
            .collect();
        assert!(!lines.is_empty(), "{fixture}: no sources in\n{out}");
        for line in lines {
            // `[N] AWS Systems Manager User Guide, "TITLE", https://..., as of DATE`
            let url = line
                .split(", ")
                .find(|p| p.starts_with("https://"))
                .unwrap_or_else(|| panic!("{fixture}: no address in {line:?}"));
            assert!(
                line.contains("User Guide, \""),
                "{fixture}: no title in {line:?}"
            );
            let date = line.rsplit(", ").next().unwrap();
            assert!(
                date.starts_with("as of 2026-") || date == "2023" || date == "undated copy",
                "{fixture}: no date in {line:?}"
            );
            assert!(sources.contains(url), "docs/sources.md does not list {url}");
            seen.insert(url.to_string());
        }
    }
    assert!(seen.len() >= 4, "{seen:?}");
}

#[test]
fn the_readme_asks_for_the_node_the_pinned_cdk_supports_and_the_suite_pins_it() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let install = fs::read_to_string(repo().join("scripts/install-tools")).unwrap();
    let node = install
        .lines()
        .find_map(|l| l.strip_prefix("NODE="))
        .expect("scripts/install-tools pins NODE=");
    let major = node.split('.').next().unwrap();
    // jsii 1.142.0 (under aws-cdk-lib 2.275.0/2.276.0) supports these releases on
    // 2026-12-06: 20 ended on 2026-10-30, the others are untested.
    assert!(["22", "24"].contains(&major), "{node}");
    assert!(
        readme.contains("Node.js 22 or 24"),
        "README names the supported releases"
    );
    assert!(
        readme.contains(&format!("Node.js {node}")),
        "README names the pin {node}"
    );
    assert!(!readme.contains("Node.js 20 or newer"));
    // The CDK checks and the benchmark run on the pin, and fail on jsii's banner.
    let cdk_check = fs::read_to_string(repo().join("scripts/cdk-check")).unwrap();
    assert!(cdk_check.contains(".tools/node/package/bin"));
    assert!(cdk_check.contains("grep -q '!!' \"$WORK/python.log\""));
    assert!(!cdk_check.contains("JSII_SILENCE_WARNING"));
    let bench = fs::read_to_string(repo().join("scripts/bench")).unwrap();
    // The pin lives wherever the suite installed its tools: TOOLS_DIR, else .tools.
    assert!(bench.contains("TOOLS=\"${TOOLS_DIR:-$ROOT/.tools}\""));
    assert!(bench.contains("$TOOLS/node/package/bin") && !bench.contains("JSII_SILENCE"));
}

/// What `sh -c CMD` prints and exits with in `dir`, with the binary under test first
/// on PATH as `ssm-profile`.
fn sh(dir: &std::path::Path, cmd: &str) -> std::process::Output {
    let bin_dir = std::path::Path::new(bin()).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap()
}

/// The text between the first "`" after `after` and the next "`".
fn quoted_after<'a>(s: &'a str, after: &str) -> &'a str {
    let rest = &s[s
        .find(after)
        .unwrap_or_else(|| panic!("no {after:?} in {s}"))..];
    let start = rest.find('`').unwrap() + 1;
    let len = rest[start..].find('`').unwrap();
    &rest[start..start + len]
}

#[test]
fn init_header_hint_and_schema_line_agree_for_any_path() {
    let scratch = support::Scratch::new("init-paths");
    let abs = scratch.path("abs dir/team.yaml");
    for spec in [
        "ssm-profile.yaml",
        "specs/prod.yaml",
        "./deep/er/x.yaml",
        "my specs/it's.yaml",
        abs.to_str().unwrap(),
    ] {
        let run = scratch.run(&["init", spec]);
        assert_eq!(run.status.code(), Some(0), "{spec}: {}", text(&run.stderr));
        let hint = text(&run.stderr);
        // The hint's commands, run as the user would, from the same folder.
        let schema_cmd = quoted_after(&hint, "next:");
        assert!(schema_cmd.starts_with("ssm-profile schema > "), "{hint}");
        let ran = sh(&scratch.0, schema_cmd);
        assert!(ran.status.success(), "{schema_cmd}: {}", text(&ran.stderr));
        let build_cmd = quoted_after(&hint, "then");
        let ran = sh(&scratch.0, build_cmd);
        assert!(ran.status.success(), "{build_cmd}: {}", text(&ran.stderr));

        // yaml-language-server reads `$schema=` from the modeline and resolves a
        // relative path against the folder of the YAML file itself.
        let spec_path = scratch.0.join(spec);
        let body = fs::read_to_string(&spec_path).unwrap();
        let value = body
            .lines()
            .find_map(|l| l.strip_prefix("# yaml-language-server: $schema="))
            .expect("a schema modeline");
        let resolved = spec_path.parent().unwrap().join(value);
        let schema = fs::read_to_string(&resolved).unwrap_or_else(|e| {
            panic!(
                "{spec}: $schema={value} resolves to {}: {e}",
                resolved.display()
            )
        });
        assert_eq!(schema, run_out(&["schema"]), "{spec}");

        // The header's own commands name the same spec and schema, from the same folder.
        let header: Vec<&str> = body
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.strip_prefix("#   "))
            .collect();
        assert_eq!(header.len(), 3, "{body}");
        assert_eq!(header[0], build_cmd, "{spec}: the header's build command");
        assert!(header[1].starts_with("ssm-profile explain "), "{header:?}");
        assert_eq!(header[2], schema_cmd, "{spec}: the header's schema command");
        for cmd in &header[1..] {
            let ran = sh(&scratch.0, cmd);
            assert!(ran.status.success(), "{cmd}: {}", text(&ran.stderr));
        }
        let _ = fs::remove_dir_all(scratch.path("generated"));
    }
}

fn run_out(args: &[&str]) -> String {
    text(&Command::new(bin()).args(args).output().unwrap().stdout)
}

/// docs/rollout.md's watch commands name the StackSets its own example produces
/// (issue 26 item 4): the example spec, built, against every `--stack-set-name` of
/// the page and the names its table gives.
#[test]
fn the_rollout_page_names_the_stacksets_its_example_produces() {
    let doc = fs::read_to_string(repo().join("docs/rollout.md")).unwrap();
    let example = doc
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("docs/rollout.md opens with a yaml example");
    let scratch = support::Scratch::new("rollout-doc");
    scratch.write("org.yaml", example);
    let run = scratch.run(&[
        "build",
        "org.yaml",
        "--target",
        "cloudformation",
        "--rollout",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let template: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let produced: BTreeSet<String> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::CloudFormation::StackSet")
        .map(|r| {
            r["Properties"]["StackSetName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(produced.len(), 2, "{produced:?}");
    let watched: BTreeSet<String> = values_after(&doc, "--stack-set-name ")
        .into_iter()
        .collect();
    assert!(!watched.is_empty());
    for name in &watched {
        assert!(
            produced.contains(name),
            "the page watches {name}; the example produces {produced:?}"
        );
    }
    // The table's NAME and NAME-dhmc-setting, with the example's NAME.
    let name = values_after(example, "name: ")[0].clone();
    assert!(produced.contains(&name), "{name} {produced:?}");
    assert!(
        produced.contains(&format!("{name}-dhmc-setting")),
        "{produced:?}"
    );
}
