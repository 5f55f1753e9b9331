//! The smaller first-hour breaks of issue 26 (item 9), as a user meets them: what a
//! refused flag says, the usage line of `build` without a target, usage errors in
//! JSON, `explain` of several specs, and the run command in a CDK app's header.

mod support;

use std::fs;

use support::{Scratch, text};

#[test]
fn a_flag_terraform_does_not_take_lists_no_provider_block_among_what_it_takes() {
    let s = Scratch::new("tf-app");
    s.spec("seed", "x.yaml");
    let run = s.run(&["build", "x.yaml", "--target", "terraform", "--app"]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(err.contains("`--no-provider-block`"), "{err}");
    // and what it lists works
    let run = s.run(&[
        "build",
        "x.yaml",
        "--target",
        "terraform",
        "--no-provider-block",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

#[test]
fn build_without_a_target_names_both_ways_to_choose_one_in_its_usage_line() {
    let s = Scratch::new("no-target");
    s.spec("seed", "x.yaml");
    let run = s.run(&["build", "x.yaml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let err = text(&run.stderr);
    let usage = err
        .lines()
        .find(|l| l.starts_with("Usage: "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        usage.contains("--target") && usage.contains("--out-dir"),
        "{usage}"
    );
    // Either one alone is enough.
    assert_eq!(
        s.run(&["build", "x.yaml", "--target", "cloudformation"])
            .status
            .code(),
        Some(0)
    );
    let run = s.run(&["build", "x.yaml", "--out-dir", "gen"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

#[test]
fn usage_errors_in_json_and_github_formats_do_not_tell_ci_to_try_help() {
    let s = Scratch::new("usage-json");
    s.spec("seed", "x.yaml");
    for format in ["json", "github"] {
        for args in [
            vec!["build", "x.yaml", "--bogus"],
            vec!["build", "x.yaml"],
            vec!["explain"],
        ] {
            let mut args = args.clone();
            args.extend(["--message-format", format]);
            let run = s.run(&args);
            assert_eq!(run.status.code(), Some(2), "{args:?}");
            let err = text(&run.stderr);
            assert!(!err.is_empty(), "{args:?}");
            assert!(!err.contains("For more information"), "{args:?}: {err}");
            assert!(!err.contains("try '--help'"), "{args:?}: {err}");
        }
    }
    // At a terminal (the human format), clap's pointer to --help stays.
    let run = s.run(&["build", "x.yaml", "--bogus"]);
    assert!(text(&run.stderr).contains("For more information, try '--help'."));
}

#[test]
fn explain_takes_several_specs_like_build_and_check() {
    let s = Scratch::new("explain-many");
    s.spec("seed", "a.yaml");
    s.spec("minimal", "b.yaml");
    let one = |spec: &str, format: &str| {
        let run = s.run(&["explain", spec, "--format", format]);
        assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
        text(&run.stdout)
    };
    let run = s.run(&["explain", "a.yaml", "b.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        format!("{}\n{}", one("a.yaml", "text"), one("b.yaml", "text"))
    );
    // JSON: one document per spec, in order, each as `explain` of that spec alone.
    let run = s.run(&["explain", "a.yaml", "b.yaml", "--format", "json"]);
    assert_eq!(run.status.code(), Some(0));
    let out = text(&run.stdout);
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&out)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["spec"], "a.yaml");
    assert_eq!(docs[1]["spec"], "b.yaml");
    assert_eq!(
        out,
        format!("{}{}", one("a.yaml", "json"), one("b.yaml", "json"))
    );

    // Every invalid spec's errors, and nothing on stdout.
    s.spec("invalid/bad-kind", "c.yaml");
    s.spec("invalid/bad-kind", "d.yaml");
    let run = s.run(&["explain", "a.yaml", "c.yaml", "d.yaml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    let err = text(&run.stderr);
    assert!(err.contains("c.yaml:") && err.contains("d.yaml:"), "{err}");
}

#[test]
fn a_cdk_app_header_names_the_file_the_out_dir_tree_holds() {
    let s = Scratch::new("app-header");
    s.spec("rollout", "prod.yaml");
    let run = s.run(&["build", "prod.yaml", "--out-dir", "gen", "--target", "cdk"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // Each app says how --out-dir names it; that name, with the spec's stem, is the
    // file itself, and the command it gives runs that file.
    for (file, stem_word, run_with) in [
        ("gen/cdk/prod-app.py", "NAME", "python3 FILE"),
        ("gen/cdk/prod-rollout-app.py", "NAME", "python3 FILE"),
        ("gen/cdk/prod-app.ts", "TSNAME", "node FILE.js"),
        ("gen/cdk/prod-rollout-app.ts", "TSNAME", "node FILE.js"),
    ] {
        let body = fs::read_to_string(s.path(file)).unwrap();
        let head: String = body.lines().take(12).collect::<Vec<_>>().join(" ");
        let head = head.replace("# ", "").replace("// ", "");
        assert!(head.contains(run_with), "{file}: {head}");
        let named = head
            .split_whitespace()
            .find(|w| w.starts_with(&format!("cdk/{stem_word}-")))
            .unwrap_or_else(|| panic!("{file}: no out-dir name in {head}"));
        let named = named
            .trim_end_matches(|c: char| ",.;)".contains(c))
            .replace(stem_word, "prod");
        assert_eq!(format!("gen/{named}"), file, "{head}");
        assert!(
            !head.contains("app.py`") && !head.contains("'node app.js'"),
            "{head}"
        );
    }
    // One stack of several names its own file.
    s.spec("multi-stack", "big.yaml");
    let run = s.run(&["build", "big.yaml", "--out-dir", "gen", "--target", "cdk"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    for (file, named) in [
        ("gen/cdk/big-app.stack-2.py", "cdk/NAME-app.stack-2.py"),
        ("gen/cdk/big-app.stack-2.ts", "cdk/TSNAME-app.stack-2.ts"),
    ] {
        let body = fs::read_to_string(s.path(file)).unwrap();
        assert!(
            body.contains(named),
            "{file} does not name itself as {named}"
        );
    }
}

/// Issue 26 item 6: a profile name with a space is one mistake, reported once (not
/// again for the S3 and Session Manager policy names derived from it), in every
/// format; a policy name the user wrote is still reported at its own field.
#[test]
fn one_mistake_in_a_name_is_one_error_in_every_format() {
    let s = Scratch::new("one-mistake");
    s.write(
        "x.yaml",
        "version: 1\nprofiles:\n  - name: My Profile\n    s3:\n      vpc_endpoint_regions: [us-east-1]\n    session_manager:\n      cloudwatch_logging: true\n",
    );
    for (format, marker) in [
        ("human", "error: "),
        ("json", "\"severity\":\"error\""),
        ("github", "::error "),
    ] {
        let run = s.run(&["explain", "x.yaml", "--message-format", format]);
        assert_eq!(run.status.code(), Some(2));
        let err = text(&run.stderr);
        assert_eq!(err.matches(marker).count(), 1, "{format}: {err}");
        assert!(err.contains("profiles[0].name"), "{format}: {err}");
        assert!(
            !err.contains("policy_name") && !err.contains("derived"),
            "{format}: {err}"
        );
    }
    s.write(
        "y.yaml",
        "version: 1\nprofiles:\n  - name: MyProfile\n    s3:\n      policy_name: My Policy\n      vpc_endpoint_regions: [us-east-1]\n",
    );
    let run = s.run(&["explain", "y.yaml"]);
    let err = text(&run.stderr);
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    assert!(
        err.contains("y.yaml:5:20: profiles[0].s3.policy_name: `My Policy` contains ' '"),
        "{err}"
    );
}
