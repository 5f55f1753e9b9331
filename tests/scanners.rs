//! The scanners platform teams run (issue 27): what the generated code suppresses is
//! AWS's design and nothing else, each suppression has its reason, the spec's
//! `scanner_suppressions: false` leaves them all out, and Terraform needs none. The
//! scanners themselves judge every fixture in scripts/scanner_check.py.

use std::fs;
use std::path::Path;

use serde_json::Value;
use ssm_profile::backend::scanners::{self, CDK_NAG_MANAGED_POLICY, GUARD_WILDCARD};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::model::Model;
use ssm_profile::source::Source;
use support::Scratch;

mod support;

fn load(yaml: &str) -> Model {
    ssm_profile::load(&Source::new("spec.yaml", yaml.to_string())).expect("a valid spec")
}

fn render(model: &Model, golden: &str) -> String {
    Output::by_golden(golden)
        .unwrap()
        .render(model, RenderOptions::default())
        .unwrap()
}

const SESSIONS: &str = "version: 1
profiles:
  - name: seed
    managed_policies:
      directory_service: true
      cloudwatch_agent: true
      additional:
        - arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
        - arn:aws:iam::111122223333:policy/team-policy
    s3:
      vpc_endpoint_regions: [us-east-2]
      buckets:
        - name: my-bucket-name
          prefix: scripts
    session_manager:
      cloudwatch_logging: true
";

/// A managed policy the spec lists itself keeps cdk-nag's finding: only those its
/// switches select, which AWS's pages name, are suppressed.
#[test]
fn only_the_managed_policies_aws_names_are_suppressed() {
    let model = load(SESSIONS);
    let p = &model.profiles[0];
    let nag = scanners::cdk_nag_role(&model, p);
    let findings: Vec<&str> = nag
        .iter()
        .flat_map(|s| s.applies_to.iter().map(String::as_str))
        .collect();
    assert_eq!(
        findings,
        [
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMDirectoryServiceAccess",
            "Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy",
        ]
    );
    assert!(nag.iter().all(|s| s.id == CDK_NAG_MANAGED_POLICY));
    for code in [render(&model, "cdk.ts"), render(&model, "cdk.py")] {
        assert!(code.contains("AmazonSSMManagedInstanceCore"));
        assert!(!code.contains("policy/AmazonS3ReadOnlyAccess'"), "{code}");
        assert!(!code.contains("policy/AmazonS3ReadOnlyAccess\""), "{code}");
    }
}

/// Each wildcard is suppressed by its exact finding, so a new one is still reported;
/// Guard, which suppresses a rule for a whole resource, only where the policy's `*` is
/// DescribeLogGroups'.
#[test]
fn wildcards_are_suppressed_by_their_exact_finding() {
    let model = load(SESSIONS);
    let p = &model.profiles[0];
    let [s3, sessions] = &p.custom_policies[..] else {
        panic!("two policies: {:?}", p.custom_policies);
    };
    let applies = |policy| -> Vec<String> {
        scanners::cdk_nag_policy(&model, p, policy)
            .into_iter()
            .flat_map(|s| s.applies_to)
            .collect()
    };
    assert_eq!(
        applies(s3),
        [
            "Resource::arn:aws:s3:::aws-ssm-us-east-2/*",
            "Resource::arn:aws:s3:::aws-windows-downloads-us-east-2/*",
            "Resource::arn:aws:s3:::amazon-ssm-us-east-2/*",
            "Resource::arn:aws:s3:::patch-baseline-snapshot-us-east-2/*",
            "Resource::arn:aws:s3:::amazon-ssm-packages-us-east-2/*",
            "Resource::arn:aws:s3:::us-east-2-birdwatcher-prod/*",
            "Resource::arn:aws:s3:::aws-ssm-document-attachments-us-east-2/*",
            "Resource::arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*",
            "Resource::arn:aws:s3:::aws-patchmanager-macos-us-east-2-552881074/*",
            "Resource::arn:aws:s3:::my-bucket-name/scripts/*",
        ]
    );
    assert_eq!(
        applies(sessions),
        ["Resource::*", "Resource::arn:aws:logs:*:*:log-group:*"]
    );
    let guard = |policy| -> Vec<&str> {
        scanners::guard_policy(&model, p, policy)
            .iter()
            .map(|g| g.rule)
            .collect()
    };
    assert!(!guard(s3).contains(&GUARD_WILDCARD));
    assert!(guard(sessions).contains(&GUARD_WILDCARD));
    for reason in scanners::cdk_nag_policy(&model, p, sessions)
        .iter()
        .map(|s| &s.reason)
    {
        assert!(reason.contains("https://docs.aws.amazon.com/"), "{reason}");
    }
}

/// The CDK spells every policy of a profile from `cdk_nag_policies`, which indexes
/// the profile's designed wildcards once: each policy's suppressions are exactly
/// `cdk_nag_policy`'s, and none without `scanner_suppressions`.
#[test]
fn a_profiles_policies_are_suppressed_as_each_alone() {
    let model = load(SESSIONS);
    let p = &model.profiles[0];
    let alone: Vec<_> = p
        .custom_policies
        .iter()
        .map(|c| scanners::cdk_nag_policy(&model, p, c))
        .collect();
    assert_eq!(alone.len(), 2);
    assert!(alone.iter().all(|nag| !nag.is_empty()));
    assert_eq!(scanners::cdk_nag_policies(&model, p), alone);
    let off = load(&SESSIONS.replace("profiles:", "scanner_suppressions: false\nprofiles:"));
    assert_eq!(
        scanners::cdk_nag_policies(&off, &off.profiles[0]),
        vec![Vec::new(); 2]
    );
}

/// cdk-nag 3.x reads acknowledgments (aws-cdk-lib's `Validations` metadata on the
/// construct tree), not the `cdk_nag` metadata 2.x reads: each suppression the CDK code
/// writes is written as both, in TypeScript by the one function that writes the
/// metadata, in Python by a call after each `cdk_nag` metadata (scripts/scanner_check.py
/// runs both majors on every fixture).
#[test]
fn cdk_nag_3_reads_every_suppression_as_an_acknowledgment() {
    let model = load(SESSIONS);
    let ts = render(&model, "cdk.ts");
    let calls = ts.matches("suppressCdkNag(this.").count();
    assert_eq!(calls, 3, "{ts}");
    let function = &ts[ts.find("function suppressCdkNag(").expect("the function")..];
    assert!(
        function.contains("resource.addMetadata('cdk_nag', metadata);"),
        "{function}"
    );
    assert!(
        function.contains("acknowledged[`${rule.id}[${finding}]`] = rule.reason;"),
        "{function}"
    );
    assert!(
        function.contains("resource.node.addMetadata('aws:cdk:acknowledged-rules', acknowledged);"),
        "{function}"
    );
    let py = render(&model, "cdk.py");
    let metadata = py
        .matches(".add_metadata(\n            \"cdk_nag\",")
        .count();
    let acknowledged = py.matches("\n        _acknowledge_cdk_nag(cfn_").count();
    assert_eq!((metadata, acknowledged), (3, 3), "{py}");
    assert!(
        py.contains("resource.node.add_metadata(\"aws:cdk:acknowledged-rules\", acknowledged)")
    );
    assert!(py.contains("acknowledged[f\"{rule['id']}[{finding}]\"] = rule[\"reason\"]"));
    // Without suppressions, neither the functions nor their calls.
    let off = load(&SESSIONS.replace("version: 1\n", "version: 1\nscanner_suppressions: false\n"));
    for golden in ["cdk.ts", "cdk.py"] {
        let code = render(&off, golden);
        for marker in ["acknowledged-rules", "_acknowledge_cdk_nag", "CfnResource"] {
            assert!(!code.contains(marker), "{golden}: {marker}");
        }
    }
}

/// `scanner_suppressions: false` leaves every suppression out of every target.
#[test]
fn the_spec_can_leave_every_suppression_out() {
    let on = load(SESSIONS);
    let off = load(&SESSIONS.replace("version: 1\n", "version: 1\nscanner_suppressions: false\n"));
    for golden in [
        "cloudformation.json",
        "cloudformation.yaml",
        "cdk.ts",
        "cdk.py",
    ] {
        let with = render(&on, golden);
        let without = render(&off, golden);
        for marker in ["cdk_nag", "SuppressedRules", "rules_to_suppress"] {
            assert!(!without.contains(marker), "{golden}: {marker}");
        }
        assert!(
            ["cdk_nag", "SuppressedRules"]
                .iter()
                .any(|m| with.contains(m)),
            "{golden}"
        );
    }
    let explained = ssm_profile::explain::explain(&off, "spec.yaml");
    assert!(explained.contains("none: the spec sets `scanner_suppressions: false`"));
}

/// `explain` lists each suppression with its reason.
#[test]
fn explain_lists_each_suppression_and_why() {
    let text = ssm_profile::explain::explain(&load(SESSIONS), "spec.yaml");
    assert!(text.contains("CloudFormation: Guard CFN_NO_EXPLICIT_RESOURCE_NAMES, cfn_nag W28"));
    assert!(text.contains(
        "CDK: cdk-nag AwsSolutions-IAM5 on Resource::*\n        why: logs:DescribeLogGroups takes no resource-level permission"
    ));
    let json = ssm_profile::explain::explain_json(&load(SESSIONS), "spec.yaml");
    let sessions = &json["profiles"][0]["scanner_suppressions"][2];
    assert_eq!(sessions["name"], "seedSessionManagerPolicy");
    assert_eq!(sessions["guard"][1]["rule"], GUARD_WILDCARD);
}

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|d| d.join("spec.yaml").exists() || d.join("spec.json").exists())
        .collect();
    dirs.sort();
    dirs
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// checkov passes the Terraform of every fixture (scripts/conformance) with no skip:
/// the Terraform target needs no suppression, and writes none.
#[test]
fn terraform_needs_no_checkov_skip() {
    let mut n = 0;
    for dir in fixtures() {
        let mut all = Vec::new();
        files(&dir, &mut all);
        for f in all.iter().filter(|f| {
            let name = f.to_string_lossy();
            name.contains("terraform") && (name.ends_with(".tf") || name.ends_with(".json"))
        }) {
            n += 1;
            let text = fs::read_to_string(f).unwrap();
            assert!(!text.contains("checkov:skip"), "{}", f.display());
        }
    }
    assert!(n > 60, "only {n} Terraform files");
}

/// Every Guard suppression of every fixture's CloudFormation has cfn_nag's entry for
/// the same finding, whose reason cites AWS's page.
#[test]
fn every_guard_suppression_has_its_reason() {
    let mut n = 0;
    for dir in fixtures() {
        for f in fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("cloudformation.") && name.ends_with(".json")) {
                continue;
            }
            let t: Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
            for (id, r) in t["Resources"].as_object().unwrap() {
                let Some(rules) = r["Metadata"]["guard"]["SuppressedRules"].as_array() else {
                    continue;
                };
                let reasons = r["Metadata"]["cfn_nag"]["rules_to_suppress"]
                    .as_array()
                    .unwrap();
                assert_eq!(rules.len(), reasons.len(), "{name} {id}");
                for reason in reasons {
                    n += 1;
                    let text = reason["reason"].as_str().unwrap();
                    assert!(text.contains("https://"), "{} {id}: {text}", dir.display());
                }
            }
        }
    }
    assert!(n > 50, "only {n} suppressions");
}

/// A spec split into stacks renders each stack from a model of its part: the part
/// must keep `scanner_suppressions: false` (it was reset to the default, so every
/// stack file of such a spec carried the suppressions its spec left out).
#[test]
fn a_split_spec_leaves_the_suppressions_out_of_every_stack() {
    let scratch = Scratch::new("scanners-split");
    let spec = "version: 1\nscanner_suppressions: false\nstacks: 2\nprofiles:\n  - name: a\n  - name: b\n  - name: c\n";
    scratch.write("spec.yaml", spec);
    let run = scratch.run(&["build", "spec.yaml", "--out-dir", "out"]);
    assert!(run.status.success(), "{}", support::text(&run.stderr));
    let files = scratch.files("out");
    let stacks: Vec<&String> = files.iter().filter(|f| f.contains("stack-2")).collect();
    assert!(!stacks.is_empty(), "no second stack in {files:?}");
    for file in &files {
        let text = scratch.read(&format!("out/{file}"));
        for marker in ["cdk_nag", "SuppressedRules", "rules_to_suppress"] {
            assert!(!text.contains(marker), "{file}: {marker}");
        }
    }
}
