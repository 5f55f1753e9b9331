//! `ssm-profile drift SPEC --live FILE`: the dump in AWS's documented shape and in
//! moto's (no PolicyName/PolicyId in Policies[], URL-encoded documents, two pages),
//! nothing reported for the seed with `adopt: true`, and each planted difference.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn drift(spec: &str, live: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .args(["--message-format", format, "drift"])
        .arg(root().join(spec))
        .arg("--live")
        .arg(live)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn aws_shaped() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/drift/aws-shaped.json")).unwrap(),
    )
    .unwrap()
}

fn write(name: &str, value: &Value) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "ssm-profile-drift-{}-{name}.json",
        std::process::id()
    ));
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

#[test]
fn the_seed_adopted_from_either_shape_changes_nothing() {
    for live in [
        "tests/drift/aws-shaped.json",
        "tests/drift/moto-shaped-pages.json",
    ] {
        let run = drift("fixtures/adopt/spec.yaml", &root().join(live), "human");
        assert_eq!(run.status.code(), Some(0), "{live}: {}", text(&run.stdout));
        let out = text(&run.stdout);
        assert!(out.contains("would change nothing"), "{out}");
        assert!(
            out.contains("description and maximum session duration not compared"),
            "{out}"
        );
    }
}

#[test]
fn a_profile_that_exists_but_is_not_adopted_would_fail_on_its_name() {
    let run = drift(
        "fixtures/seed/spec.yaml",
        &root().join("tests/drift/aws-shaped.json"),
        "json",
    );
    assert_eq!(run.status.code(), Some(1));
    let lines: Vec<Value> = text(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["message"]
                .as_str()
                .unwrap()
                .contains("EntityAlreadyExists"))
            .count(),
        3
    );
}

#[test]
fn each_planted_difference_is_reported() {
    let mut live = aws_shaped();
    let role = &mut live["RoleDetailList"][0];
    role["AttachedManagedPolicies"].as_array_mut().unwrap().push(json!({
        "PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"
    }));
    role["Tags"] = json!([{ "Key": "owner", "Value": "console\u{1b}[31m" }]);
    live["Policies"][0]["PolicyVersionList"][0]["Document"]["Statement"][2]["Resource"] =
        json!("arn:aws:s3:::other-bucket");
    let path = write("planted", &live);
    let run = drift("fixtures/adopt/spec.yaml", &path, "human");
    assert_eq!(run.status.code(), Some(1));
    let out = text(&run.stdout);
    assert!(out.contains("`arn:aws:iam::aws:policy/AdministratorAccess` is attached and the spec does not list it"), "{out}");
    assert!(
        out.contains("tags differ: the deploy removes `owner`"),
        "{out}"
    );
    assert!(out.contains("statements differ"), "{out}");
    assert!(out.contains("other-bucket"), "{out}");
    assert!(
        !out.contains('\u{1b}'),
        "a control character reached the terminal: {out}"
    );
    assert!(out.contains("3 changes"), "{out}");
}

#[test]
fn what_is_not_that_commands_output_is_refused() {
    for (name, value) in [
        ("stacks", json!({ "Stacks": [] })),
        (
            "truncated",
            json!({ "RoleDetailList": [], "IsTruncated": true, "Marker": "m" }),
        ),
    ] {
        let path = write(name, &value);
        let run = drift("fixtures/adopt/spec.yaml", &path, "human");
        assert_eq!(run.status.code(), Some(2), "{name}");
        assert!(run.stdout.is_empty(), "{name}");
        let err = text(&run.stderr);
        assert!(
            err.contains("get-account-authorization-details") || err.contains("IsTruncated"),
            "{name}: {err}"
        );
    }
}

/// A dump of another account than the spec's `account_id` is refused, not compared:
/// every ARN would be the other account's, and the adopted resources would all look
/// missing. Exit 2, both accounts named, nothing on stdout.
#[test]
fn a_dump_of_another_account_than_the_specs_is_refused() {
    let other: Value = serde_json::from_str(
        &aws_shaped()
            .to_string()
            .replace("123456789012", "999988887777"),
    )
    .unwrap();
    let path = write("other-account", &other);
    let run = drift("fixtures/adopt/spec.yaml", &path, "human");
    let err = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(run.stdout.is_empty(), "{}", text(&run.stdout));
    assert!(
        err.contains("999988887777") && err.contains("123456789012") && err.contains("account_id"),
        "{err}"
    );
    // The same dump in the spec's account is compared.
    let run = drift(
        "fixtures/adopt/spec.yaml",
        &write("same-account", &aws_shaped()),
        "human",
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}
