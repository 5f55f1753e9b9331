//! The `build` command as a pipeline sees it: stdout, stdin, `-o`, exit codes, and
//! nothing on stdout or disk when anything is wrong.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;
use support::Scratch;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
}

fn fixture(case: &str, file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(case)
        .join(file)
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `build CASE/spec.yaml --target cloudformation -o OUTPUT`.
fn build_to_file(case: &str, output: &Path) -> Output {
    bin()
        .args(["build", fixture(case, "spec.yaml").to_str().unwrap()])
        .args(["--target", "cloudformation", "-o"])
        .arg(output)
        .output()
        .unwrap()
}

#[test]
fn stdout_is_the_golden_template() {
    // Run beside the spec: the YAML header cites the spec path as given, and the
    // goldens cite `spec.yaml`.
    let dir = fixture("seed", "");
    for (format, golden) in [
        ("json", "cloudformation.json"),
        ("yaml", "cloudformation.yaml"),
    ] {
        let out = bin()
            .current_dir(&dir)
            .args([
                "build",
                "spec.yaml",
                "--target",
                "cloudformation",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            std::fs::read_to_string(fixture("seed", golden)).unwrap()
        );
        // The seed's cross-account bucket earns a warning, on stderr only.
        assert!(
            String::from_utf8(out.stderr)
                .unwrap()
                .starts_with("warning: ")
        );
    }
}

#[test]
fn stdin_reads_yaml_and_json() {
    let yaml = std::fs::read_to_string(fixture("minimal", "spec.yaml")).unwrap();
    let out = run_with_stdin(&["build", "-", "--target", "cloudformation"], &yaml);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        std::fs::read(fixture("minimal", "cloudformation.json")).unwrap()
    );

    let json = std::fs::read_to_string(fixture("json-spec", "spec.json")).unwrap();
    let out = run_with_stdin(&["build", "-", "--target", "cloudformation"], &json);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        std::fs::read(fixture("json-spec", "cloudformation.json")).unwrap()
    );
}

#[test]
fn stdin_errors_name_stdin() {
    let out = run_with_stdin(
        &["build", "-", "--target", "cloudformation"],
        "version: 1\nprofiles:\n  - nme: x\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: <stdin>:3:5: profiles[0].nme: unknown field `nme`"),
        "{err}"
    );
}

#[test]
fn output_file_is_written_and_replaced() {
    let scratch = Scratch::new("output");
    let dir = scratch.0.clone();
    let target = dir.join("ssm.template.json");
    std::fs::write(&target, "old").unwrap();
    let out = build_to_file("minimal", &target);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(fixture("minimal", "cloudformation.json")).unwrap()
    );
    // Only the target remains: the temporary file was renamed, not left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_bad_spec_leaves_the_output_file_alone() {
    let scratch = Scratch::new("bad");
    let dir = scratch.0.clone();
    let target = dir.join("ssm.template.json");
    std::fs::write(&target, "previous template").unwrap();
    let out = build_to_file("invalid/unknown-field", &target);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "previous template"
    );
    let missing = dir.join("never.json");
    let out = build_to_file("invalid/unknown-field", &missing);
    assert_eq!(out.status.code(), Some(2));
    assert!(!missing.exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn refusal_names_the_target_that_can() {
    let out = bin()
        .args([
            "build",
            fixture("existing-role-managed", "spec.yaml")
                .to_str()
                .unwrap(),
            "--target",
            "cloudformation",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--target terraform"), "{err}");
    assert!(err.contains("LegacyWebRole"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = bin().args(["build", "spec.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = bin()
        .args(["build", "spec.yaml", "--target", "pulumi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("build"));
}

#[test]
fn a_missing_spec_file_is_reported() {
    let out = bin()
        .args(["build", "no-such-spec.yaml", "--target", "cloudformation"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: no-such-spec.yaml: ")
    );
}

#[test]
fn output_is_identical_on_every_run() {
    let spec = fixture("multi-profile", "spec.yaml");
    let runs: Vec<Vec<u8>> = (0..3)
        .map(|_| {
            bin()
                .args([
                    "build",
                    spec.to_str().unwrap(),
                    "--target",
                    "cloudformation",
                    "--format",
                    "yaml",
                ])
                .output()
                .unwrap()
                .stdout
        })
        .collect();
    assert!(runs.windows(2).all(|w| w[0] == w[1]));
}

/// The binary run in `dir` with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

/// A spec of three profiles with VPC endpoints in 24 regions each: a CloudFormation
/// template of about 66 KB.
fn large_spec() -> String {
    let regions = "[us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-central-2, eu-north-1, eu-south-2, il-central-1, me-central-1, ap-south-1, ap-south-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-southeast-1, ap-southeast-2, ap-east-1]";
    let mut spec = String::from("version: 1\nprofiles:\n");
    for name in ["ssm-a", "ssm-b", "ssm-c"] {
        spec.push_str(&format!(
            "  - name: {name}\n    s3:\n      vpc_endpoint_regions: {regions}\n"
        ));
    }
    spec
}

#[test]
fn a_template_over_51200_bytes_builds_with_a_warning_about_s3_bucket() {
    let scratch = Scratch::new("large");
    let dir = scratch.0.clone();
    std::fs::write(dir.join("large.yaml"), large_spec()).unwrap();
    let out = run_in(
        &dir,
        &[
            "build",
            "large.yaml",
            "--target",
            "cloudformation",
            "-o",
            "t.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let size = std::fs::metadata(dir.join("t.json")).unwrap().len();
    assert!(size > 51_200 && size < 1_000_000, "{size}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let size = size.to_string();
    let size = format!("{},{}", &size[..size.len() - 3], &size[size.len() - 3..]);
    assert!(
        stderr.contains(&format!("warning: t.json: the CloudFormation template is {size} bytes, over the 51,200 bytes CloudFormation takes inline: deploy it with `aws cloudformation deploy --s3-bucket BUCKET ...`")),
        "{stderr}"
    );
    // Terraform has no such quota; the tree names the file the warning is about.
    let out = run_in(&dir, &["build", "large.yaml", "--target", "terraform"]);
    assert!(!String::from_utf8(out.stderr).unwrap().contains("51,200"));
    let out = run_in(&dir, &["build", "large.yaml", "--out-dir", "gen"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "warning: gen/cloudformation/large.template.json: the CloudFormation template is"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "warning: gen/cloudformation/large.template.yaml: the CloudFormation template is"
        ),
        "{stderr}"
    );
}

#[test]
fn a_template_over_a_quota_is_refused_with_the_way_out() {
    let dir = fixture("invalid/cfn-too-many-outputs", "");
    let out = run_in(&dir, &["build", "spec.yaml", "--target", "cdk"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("profiles[66]: with this profile the spec's one stack needs 201 outputs, but the CDK synthesizes CloudFormation, which cannot put more than 200 outputs in one template"), "{stderr}");
    let out = run_in(&dir, &["build", "spec.yaml", "--target", "terraform"]);
    assert_eq!(out.status.code(), Some(0));
}

/// A target's refusal is about one field of a valid spec: it is shown at that field,
/// with its line, column and caret, like a rule error (`RenderError::Refused::at`).
#[test]
fn a_target_s_refusal_points_at_the_field() {
    let spec = "version: 1\nprofiles:\n  - name: legacy\n    existing_role: LegacyWebRole\n";
    let out = run_with_stdin(&["build", "-", "--target", "cdk"], spec);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: <stdin>:4:20: profiles[0].existing_role: the CDK synthesizes CloudFormation, which cannot attach managed policies (arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore) to the existing role `LegacyWebRole`, which the stack does not own; use `--target terraform`, which can, or set `core: false` and attach them outside this stack\n  |\n4 |     existing_role: LegacyWebRole\n  |                    ^\n"
    );
    // Terraform can: the same spec builds.
    let out = run_with_stdin(&["build", "-", "--target", "terraform"], spec);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// IAM creates a customer managed policy only under a path of letters, digits and
/// `.,+@=_-` (botocore's `policyPathType`): an ARN naming any other path names no
/// policy, and cfn-lint flags it (E3031). Each character is refused on its own, at
/// the ARN's line and column, whichever field holds it; IAM's own punctuation passes.
#[test]
fn a_policy_arn_path_iam_could_not_have_made_is_refused() {
    for c in ['"', '\'', '$', '%', '{', '}', '\\', '`', '!', '~', ' '] {
        let arn = format!("arn:aws:iam::111122223333:policy/team{c}x/Extra");
        let quoted = serde_json::to_string(&arn).unwrap();
        for spec in [
            format!(
                "version: 1\nprofiles:\n  - name: p\n    managed_policies:\n      additional:\n        - {quoted}\n"
            ),
            format!("version: 1\nprofiles:\n  - name: p\n    permissions_boundary: {quoted}\n"),
        ] {
            let out = run_with_stdin(&["build", "-", "--target", "terraform"], &spec);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{c:?} accepted: {stderr}");
            assert!(out.stdout.is_empty());
            assert!(
                stderr.contains("is not one IAM creates policies under"),
                "{c:?}: {stderr}"
            );
            let line = spec.lines().position(|l| l.contains("arn:")).unwrap() + 1;
            assert!(
                stderr.contains(&format!("<stdin>:{line}:")),
                "{c:?}: {stderr}"
            );
        }
    }
    let ok = "version: 1\nprofiles:\n  - name: p\n    managed_policies:\n      additional:\n        - arn:aws:iam::111122223333:policy/a.b,c+d@e=f_g-h/x/Extra\n";
    let out = run_with_stdin(&["build", "-", "--target", "terraform"], ok);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
