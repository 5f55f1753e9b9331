//! The terraform target's flags as users type them.

use std::process::Command;

fn ssm_profile(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seed"))
        .args(args)
        .output()
        .expect("runs")
}

/// Run from the fixture's folder, so the header names the spec as the golden does.
const SEED: &str = "spec.yaml";

#[test]
fn hcl_is_the_default_and_json_is_available() {
    let hcl = ssm_profile(&["build", SEED, "--target", "terraform"]);
    assert_eq!(hcl.status.code(), Some(0));
    let golden = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/seed/terraform.tf"
    ))
    .unwrap();
    assert_eq!(hcl.stdout, golden);
    let explicit = ssm_profile(&["build", SEED, "--target", "terraform", "--format", "hcl"]);
    assert_eq!(explicit.stdout, golden);
    let json = ssm_profile(&["build", SEED, "--target", "terraform", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(
        json.stdout,
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/seed/terraform.tf.json"
        ))
        .unwrap()
    );
}

#[test]
fn yaml_is_a_usage_error_for_terraform() {
    let out = ssm_profile(&["build", SEED, "--target", "terraform", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "`--format yaml` does not apply here: `--target terraform` takes `--format hcl|json`"
        ),
        "{stderr}"
    );
    let out = ssm_profile(&[
        "build",
        SEED,
        "--target",
        "cloudformation",
        "--format",
        "hcl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = ssm_profile(&[
        "build",
        SEED,
        "--target",
        "cloudformation",
        "--no-provider-block",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn module_use_leaves_out_only_the_provider_block() {
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/seed/terraform.tf"
    ))
    .unwrap();
    let out = ssm_profile(&[
        "build",
        SEED,
        "--target",
        "terraform",
        "--no-provider-block",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let module = String::from_utf8(out.stdout).unwrap();
    let block = "\nterraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \">= 6.0\"\n    }\n  }\n}\n";
    assert!(golden.contains(block));
    // The header's regenerate command carries the flag too.
    let expected = golden.replacen(block, "", 1).replacen(
        "--target terraform\n",
        "--target terraform --no-provider-block\n",
        1,
    );
    assert_eq!(module, expected);

    let out = ssm_profile(&[
        "build",
        SEED,
        "--target",
        "terraform",
        "--format",
        "json",
        "--no-provider-block",
    ]);
    let module: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/seed/terraform.tf.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let golden = golden.as_object_mut().unwrap();
    golden.remove("terraform");
    let comment = golden["//"].as_str().unwrap().replacen(
        "--format json",
        "--format json --no-provider-block",
        1,
    );
    golden.insert("//".into(), comment.into());
    assert_eq!(module.as_object().unwrap(), golden);
}
