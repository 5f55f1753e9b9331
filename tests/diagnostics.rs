//! What the program says, and how: `--message-format human|json|github` read back by
//! their consumers (serde_json; a parser that follows GitHub's workflow-command
//! rules), `--quiet`, `--deny-warnings`, `--color` with NO_COLOR and CLICOLOR_FORCE,
//! the `-o` extension warning and `explain --format json`. Spec text that tries to
//! steer a terminal, and failed or closed streams, are tests/terminal_safety.rs's.

mod support;

use std::fs;
use std::process::Output as Run;

use support::{BAD_SPEC, Scratch, text};

// ---- 13.9 message formats ----------------------------------------------------------

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let s = Scratch::new("json");
    s.write("bad.yaml", BAD_SPEC);
    let run = s.run(&[
        "build",
        "bad.yaml",
        "--target",
        "cloudformation",
        "--message-format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let lines = json_lines(&run);
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "invalid-spec");
    assert_eq!(d["file"], "bad.yaml");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 5);
    assert_eq!(d["path"], "profiles[0].partitoin");
    assert_eq!(
        d["message"],
        "unknown field `partitoin`; did you mean `partition`?"
    );

    // Warnings too, and nothing but JSON on stderr (no progress line).
    s.spec("seed", "seed.yaml");
    let run = s.run(&[
        "--message-format",
        "json",
        "build",
        "seed.yaml",
        "--out-dir",
        "gen",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let lines = json_lines(&run);
    assert_eq!(lines.len(), 1, "{}", text(&run.stderr));
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["code"], "spec-warning");
    assert_eq!(lines[0]["path"], "profiles[0].s3.buckets[0].cross_account");
    assert_eq!(lines[0]["line"], 15);
}

/// A mistyped flag is a parse error in clap, before the program knows its options:
/// it is still one JSON object when JSON was asked for.
#[test]
fn usage_errors_follow_the_message_format() {
    let s = Scratch::new("usage-json");
    let run = s.run(&[
        "build",
        "--message-format",
        "json",
        "--target",
        "nope",
        "x.yaml",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let lines = json_lines(&run);
    assert_eq!(lines.len(), 1, "{}", text(&run.stderr));
    assert_eq!(lines[0]["severity"], "error");
    assert_eq!(lines[0]["code"], "usage");
    let message = lines[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("invalid value 'nope' for '--target <TARGET>'"),
        "{message}"
    );
    assert!(!message.contains('\u{1b}'), "no colour codes: {message:?}");
    assert_eq!(
        message,
        "invalid value 'nope' for '--target <TARGET>' [possible values: cloudformation, cdk, terraform]"
    );
    // Without the flag, clap's own text, as before.
    let run = s.run(&["build", "--target", "nope", "x.yaml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).starts_with("error: invalid value 'nope'"));
}

/// One GitHub workflow command, read as the Actions runner reads it
/// (`ActionCommand.TryParseV2`): `::name k=v,k=v::message`, property values and the
/// message unescaped.
#[derive(Debug)]
struct WorkflowCommand {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

fn parse_workflow_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_property = |v: &str| {
        v.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let properties = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), unescape_property(v))
        })
        .collect();
    Some(WorkflowCommand {
        name: name.to_string(),
        properties,
        message: message
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%"),
    })
}

fn property<'a>(c: &'a WorkflowCommand, key: &str) -> Option<&'a str> {
    c.properties
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

#[test]
fn github_annotations_parse_as_the_runner_reads_them() {
    let s = Scratch::new("github");
    // A file name that needs property escaping, and a message with `%`.
    let name = "team,a:b%.yaml";
    s.write(name, BAD_SPEC);
    let run = s.run(&[
        "build",
        name,
        "--target",
        "cloudformation",
        "--message-format",
        "github",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let c = parse_workflow_command(lines[0]).expect("a workflow command");
    assert_eq!(c.name, "error");
    assert_eq!(property(&c, "file"), Some(name));
    assert_eq!(property(&c, "line"), Some("4"));
    assert_eq!(property(&c, "col"), Some("5"));
    assert_eq!(
        c.message,
        "profiles[0].partitoin: unknown field `partitoin`; did you mean `partition`?"
    );

    s.spec("seed", "seed.yaml");
    let run = s.run(&[
        "build",
        "seed.yaml",
        "--target",
        "cloudformation",
        "--message-format",
        "github",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let c = parse_workflow_command(text(&run.stderr).lines().next().unwrap()).unwrap();
    assert_eq!(c.name, "warning");
    assert_eq!(property(&c, "file"), Some("seed.yaml"));
    assert!(c.message.contains("cross_account"), "{}", c.message);
}

#[test]
fn check_reports_drifted_files_as_annotations_on_the_file() {
    let s = Scratch::new("check-github");
    s.spec("minimal", "prod.yaml");
    assert_eq!(
        s.run(&["build", "prod.yaml", "--out-dir", "gen"])
            .status
            .code(),
        Some(0)
    );
    fs::remove_file(s.path("gen/cdk/prod.ts")).unwrap();
    fs::write(s.path("gen/cdk/prod.py"), "edited\n").unwrap();
    let run = s.run(&[
        "check",
        "prod.yaml",
        "--out-dir",
        "gen",
        "--message-format",
        "github",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let commands: Vec<WorkflowCommand> = text(&run.stderr)
        .lines()
        .filter_map(parse_workflow_command)
        .collect();
    let files: Vec<&str> = commands
        .iter()
        .filter_map(|c| property(c, "file"))
        .collect();
    assert_eq!(
        files,
        ["gen/cdk/prod.ts", "gen/cdk/prod.py"],
        "{commands:?}"
    );
    // The human report is still on stdout.
    assert!(text(&run.stdout).contains("missing: gen/cdk/prod.ts"));
}

// ---- 13.8 every error in one run ---------------------------------------------------

fn json_lines(run: &Run) -> Vec<serde_json::Value> {
    text(&run.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn every_error_of_every_spec_is_reported_in_file_order() {
    let s = Scratch::new("all-errors");
    s.write(
        "a.yaml",
        "version: 1\nprofiles:\n  - name: A\n    path: bad\n    tags:\n      aws:x: y\n  - name: B\n    max_session_duration: 1\n",
    );
    s.write(
        "b.yaml",
        "version: 1\nprofiles:\n  - name: C\n    s3:\n      vpc_endpoint_regions: [eu-wst-1]\n",
    );
    s.spec("minimal", "ok.yaml");
    let run = s.run(&[
        "build",
        "a.yaml",
        "ok.yaml",
        "b.yaml",
        "--out-dir",
        "gen",
        "--message-format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!s.path("gen").exists());
    let found: Vec<(String, u64, String)> = json_lines(&run)
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("a.yaml", 4, "profiles[0].path"),
        ("a.yaml", 6, "profiles[0].tags.aws:x"),
        ("a.yaml", 8, "profiles[1].max_session_duration"),
        ("b.yaml", 5, "profiles[0].s3.vpc_endpoint_regions[0]"),
    ];
    let expected: Vec<(String, u64, String)> = expected
        .iter()
        .map(|(f, l, p)| (f.to_string(), *l, p.to_string()))
        .collect();
    assert_eq!(found, expected);
    let region = &json_lines(&run)[3]["message"];
    assert!(
        region
            .as_str()
            .unwrap()
            .contains("did you mean `eu-west-1`?"),
        "{region}"
    );
    // One spec on its own: the same errors, in the human form.
    let run = s.run(&["build", "a.yaml", "--target", "cloudformation"]);
    assert_eq!(text(&run.stderr).matches("error: a.yaml:").count(), 3);
}

#[test]
fn errors_past_fifty_are_counted_not_printed() {
    let s = Scratch::new("cap");
    let regions: Vec<String> = (0..60).map(|i| format!("nowhere-{i}")).collect();
    s.write(
        "many.yaml",
        &format!(
            "version: 1\nprofiles:\n  - name: A\n    s3:\n      vpc_endpoint_regions: [{}]\n",
            regions.join(", ")
        ),
    );
    let run = s.run(&[
        "build",
        "many.yaml",
        "--target",
        "cdk",
        "--message-format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let lines = json_lines(&run);
    assert_eq!(lines.len(), 51);
    assert_eq!(
        lines[50]["message"],
        "10 more errors not shown (the first 50 are); fix these and run again"
    );
    assert_eq!(lines[0]["path"], "profiles[0].s3.vpc_endpoint_regions[0]");
    assert_eq!(lines[49]["path"], "profiles[0].s3.vpc_endpoint_regions[49]");
}

// ---- 13.10 quiet, deny-warnings, colour -----------------------------------------------

#[test]
fn quiet_prints_no_warnings_and_no_progress() {
    let s = Scratch::new("quiet");
    s.spec("seed", "seed.yaml");
    let run = s.run(&["build", "seed.yaml", "--target", "cloudformation", "-q"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stderr.is_empty(), "{}", text(&run.stderr));
    assert!(!run.stdout.is_empty());
    let run = s.run(&["--quiet", "build", "seed.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stderr.is_empty(), "{}", text(&run.stderr));
    let run = s.run(&["check", "seed.yaml", "--out-dir", "gen", "--quiet"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stderr.is_empty() && run.stdout.is_empty());
    // Errors are still printed.
    s.write("bad.yaml", BAD_SPEC);
    let run = s.run(&["build", "bad.yaml", "--target", "cdk", "-q"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).starts_with("error: bad.yaml:4:5:"));
}

#[test]
fn deny_warnings_fails_before_anything_is_written() {
    let s = Scratch::new("deny");
    s.spec("seed", "seed.yaml");
    s.spec("minimal", "clean.yaml");
    let run = s.run(&[
        "build",
        "seed.yaml",
        "--target",
        "cloudformation",
        "--deny-warnings",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let err = text(&run.stderr);
    assert!(err.starts_with("warning: seed.yaml:15:26:"), "{err}");
    assert!(
        err.contains("error: 1 warning denied by --deny-warnings; nothing was written"),
        "{err}"
    );
    // --quiet does not hide the warnings that fail the command.
    let quiet = s.run(&[
        "build",
        "seed.yaml",
        "--out-dir",
        "gen",
        "--deny-warnings",
        "-q",
    ]);
    assert_eq!(quiet.status.code(), Some(2));
    assert!(text(&quiet.stderr).contains("warning: "));
    assert!(!s.path("gen").exists());
    let run = s.run(&[
        "build",
        "seed.yaml",
        "--target",
        "cdk",
        "-o",
        "out.ts",
        "--deny-warnings",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!s.path("out.ts").exists());
    // check gates CI the same way.
    assert_eq!(
        s.run(&["build", "seed.yaml", "--out-dir", "gen"])
            .status
            .code(),
        Some(0)
    );
    let run = s.run(&["check", "seed.yaml", "--out-dir", "gen", "--deny-warnings"]);
    assert_eq!(run.status.code(), Some(2));
    // A spec without warnings passes.
    let run = s.run(&[
        "build",
        "clean.yaml",
        "--target",
        "cloudformation",
        "--deny-warnings",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

#[test]
fn colour_follows_the_flag_no_color_and_clicolor_force() {
    let s = Scratch::new("color");
    s.spec("seed", "seed.yaml");
    let args = ["build", "seed.yaml", "--target", "cloudformation"];
    let colored = |run: &Run| text(&run.stderr).contains("\x1b[1;33mwarning\x1b[0m: ");
    // Not a terminal: no colour by default.
    assert!(!colored(&s.run(&args)));
    let mut with = args.to_vec();
    with.extend(["--color", "always"]);
    assert!(colored(&s.run(&with)));
    assert!(colored(
        &s.command(&args)
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap()
    ));
    assert!(!colored(
        &s.command(&args)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    ));
    let mut never = args.to_vec();
    never.extend(["--color", "never"]);
    assert!(!colored(
        &s.command(&never)
            .env("CLICOLOR_FORCE", "1")
            .output()
            .unwrap()
    ));
    // Errors are red.
    s.write("bad.yaml", BAD_SPEC);
    let run = s.run(&["build", "bad.yaml", "--target", "cdk", "--color", "always"]);
    assert!(text(&run.stderr).starts_with("\x1b[1;31merror\x1b[0m: bad.yaml"));
    // check's diff too.
    assert_eq!(
        s.run(&["build", "seed.yaml", "--out-dir", "gen"])
            .status
            .code(),
        Some(0)
    );
    fs::write(s.path("gen/cdk/seed.py"), "edited\n").unwrap();
    let run = s.run(&[
        "check",
        "seed.yaml",
        "--out-dir",
        "gen",
        "--color",
        "always",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stdout).contains("\x1b[32m+"));
}

// ---- 13.13 extensions ----------------------------------------------------------------

#[test]
fn an_output_name_that_contradicts_the_format_is_a_warning() {
    let s = Scratch::new("ext");
    s.spec("minimal", "spec.yaml");
    let run = s.run(&[
        "build",
        "spec.yaml",
        "--target",
        "cloudformation",
        "--format",
        "yaml",
        "-o",
        "x.json",
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        text(&run.stderr),
        "warning: x.json: the file name ends in `.json`, but `--target cloudformation --format yaml` writes `.yaml`; tools choose how to read a file by its extension\n"
    );
    assert!(s.path("x.json").is_file());
    let run = s.run(&[
        "build",
        "spec.yaml",
        "--target",
        "terraform",
        "--format",
        "json",
        "-o",
        "main.json",
    ]);
    assert!(text(&run.stderr).contains("writes `.tf.json`"));
    let fine = s.run(&[
        "build",
        "spec.yaml",
        "--target",
        "terraform",
        "-o",
        "main.tf",
    ]);
    assert!(fine.stderr.is_empty(), "{}", text(&fine.stderr));
}

// ---- 13.14 explain --format json -------------------------------------------------------

#[test]
fn explain_json_is_the_account_as_data() {
    let s = Scratch::new("explain-json");
    s.spec("seed", "seed.yaml");
    let run = s.run(&["explain", "seed.yaml", "--format", "json"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["spec"], "seed.yaml");
    let p = &v["profiles"][0];
    assert_eq!(p["name"], "SSMInstanceProfile");
    assert_eq!(p["kind"], "instance-profile");
    assert_eq!(p["role"]["created"], true);
    assert_eq!(p["role"]["trusted_service"], "ec2.amazonaws.com");
    assert!(
        p["managed_policies"][0]["arn"]
            .as_str()
            .unwrap()
            .ends_with("AmazonSSMManagedInstanceCore")
    );
    assert!(p["managed_policies"][0]["reason"].is_string());
    let statements = p["custom_policies"][0]["statements"].as_array().unwrap();
    assert!(statements.iter().all(|s| s["sid"].is_string()
        && s["purpose"].is_string()
        && s["actions"].is_array()
        && s["resources"].is_array()));
    assert!(p["warnings"][0].as_str().unwrap().contains("cross_account"));
    assert_eq!(p["instance_profile"]["name"], "SSMInstanceProfile");
    // The text form and the data form tell the same statements.
    let words = text(&s.run(&["explain", "seed.yaml"]).stdout);
    for st in statements {
        assert!(words.contains(st["sid"].as_str().unwrap()));
    }
}

// ---- 10.12 spec text cannot steer a terminal or a log ------------------------------------
