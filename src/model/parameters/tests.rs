use crate::model::{Effect, Model};
use crate::source::Source;

fn load(profile: &str) -> Result<Model, String> {
    let spec = format!("version: 1\nprofiles:\n  - name: p\n{profile}");
    crate::load(&Source::new("spec.yaml", spec)).map_err(|e| format!("{e:?}"))
}

fn readable(entries: &str, more: &str) -> Model {
    load(&format!(
        "{more}    parameter_store:\n      readable: {entries}\n"
    ))
    .expect("a valid spec")
}

/// The NotResource of the value reads and of the by-path reads.
fn exempt(model: &Model) -> (Vec<String>, Vec<String>) {
    let policy = model.profiles[0]
        .custom_policies
        .iter()
        .find(|c| c.name == "pParameterStorePolicy")
        .expect("the Parameter Store policy");
    let [value, path] = &policy.statements[..] else {
        panic!("two statements: {:?}", policy.statements)
    };
    for s in [value, path] {
        assert_eq!((s.effect, s.not_resource), (Effect::Deny, true), "{s:?}");
    }
    assert_eq!(
        value.actions,
        [
            "ssm:GetParameter",
            "ssm:GetParameterHistory",
            "ssm:GetParameters"
        ]
    );
    assert_eq!(path.actions, ["ssm:GetParametersByPath"]);
    let strings = |s: &crate::model::Statement| {
        s.resources
            .iter()
            .map(|r| r.spelled("ACCOUNT").into_owned())
            .collect()
    };
    (strings(value), strings(path))
}

#[test]
fn an_exact_name_is_never_readable_by_path_and_a_prefix_is_from_its_path_down() {
    let (value, path) = exempt(&readable(
        r#"["/app/prod/*", "/common/region", "build-*"]"#,
        "",
    ));
    assert_eq!(
        value,
        [
            "arn:aws:ssm:*:ACCOUNT:parameter/app/prod/*",
            "arn:aws:ssm:*:ACCOUNT:parameter/common/region",
            "arn:aws:ssm:*:ACCOUNT:parameter/build-*",
            "arn:aws:ssm:*::parameter/aws/service/*",
        ]
    );
    assert_eq!(
        path,
        [
            "arn:aws:ssm:*:ACCOUNT:parameter/app/prod",
            "arn:aws:ssm:*:ACCOUNT:parameter/app/prod/*",
            "arn:aws:ssm:*:ACCOUNT:parameter/build-*",
            "arn:aws:ssm:*::parameter/aws/service",
            "arn:aws:ssm:*::parameter/aws/service/*",
        ]
    );
}

#[test]
fn nothing_readable_leaves_the_public_parameters_and_the_partition_decides_the_arns() {
    let (value, path) = exempt(&readable("[]", "    partition: aws-us-gov\n"));
    assert_eq!(value, ["arn:aws-us-gov:ssm:*::parameter/aws/service/*"]);
    assert_eq!(
        path,
        [
            "arn:aws-us-gov:ssm:*::parameter/aws/service",
            "arn:aws-us-gov:ssm:*::parameter/aws/service/*"
        ]
    );
}

#[test]
fn the_cloudwatch_agent_keeps_its_configuration_readable_by_name_only() {
    let (value, path) = exempt(&readable(
        "[]",
        "    managed_policies:\n      cloudwatch_agent: true\n",
    ));
    assert!(value.contains(&"arn:aws:ssm:*:ACCOUNT:parameter/AmazonCloudWatch-*".to_string()));
    assert!(
        !path.iter().any(|p| p.contains("AmazonCloudWatch")),
        "{path:?}"
    );
}

#[test]
fn a_name_with_and_without_its_leading_slash_is_one_parameter() {
    let e = load("    parameter_store:\n      readable: [\"/license\", license]\n").unwrap_err();
    assert!(
        e.contains("readable[1]") && e.contains("are one parameter"),
        "{e}"
    );
    let e = load("    parameter_store:\n      readable: [a, a]\n").unwrap_err();
    assert!(e.contains("is given twice"), "{e}");
}

#[test]
fn a_deny_too_large_for_one_policy_is_refused_rather_than_cut() {
    let names: Vec<String> = (0..200)
        .map(|i| format!("\"/team/service-{i:04}/x\""))
        .collect();
    let e = load(&format!(
        "    parameter_store:\n      readable: [{}]\n",
        names.join(", ")
    ))
    .unwrap_err();
    assert!(e.contains("cannot be split"), "{e}");
    let fits: Vec<String> = (0..60)
        .map(|i| format!("\"/team/service-{i:04}/x\""))
        .collect();
    let model = readable(&format!("[{}]", fits.join(", ")), "");
    assert_eq!(model.profiles[0].custom_policies.len(), 1);
}

/// The names reach the policy inside an ARN that CloudFormation reads with
/// `Fn::Sub` and Terraform as a template: none may hold what either would
/// substitute (the name rule allows letters, digits, `_.-` and `/` only).
#[test]
fn a_name_that_would_substitute_never_reaches_an_arn() {
    for entry in ["/a${AWS::AccountId}", "/a$${b}", "/a%{b}", "/a{{b}}"] {
        let e = load(&format!(
            "    parameter_store:\n      readable: [\"{entry}\"]\n"
        ))
        .unwrap_err();
        assert!(e.contains("readable[0]") && e.contains("contains"), "{e}");
    }
}
