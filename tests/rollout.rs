//! The organization-wide rollout (`build --rollout`) as users run it: the flag, the
//! `--out-dir` tree, the StackSets' templates, and the refusals.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output as Run};

use serde_json::Value;
use ssm_profile::backend::cloudformation::{self, Scope};
use ssm_profile::backend::{Output, RenderError, RenderOptions};
use ssm_profile::source::Source;

mod support;
use support::Scratch;

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(case)
}

fn run(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_ssm-profile"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn load(spec: &str) -> ssm_profile::model::Model {
    ssm_profile::load(&Source::new("spec.yaml", spec)).expect("a valid spec")
}

#[test]
fn the_flag_selects_the_rollout_of_every_target() {
    let dir = fixture("rollout");
    for (flags, golden) in [
        (
            &["--target", "cloudformation"][..],
            "cloudformation-rollout.json",
        ),
        (
            &["--target", "cloudformation", "--format", "yaml"],
            "cloudformation-rollout.yaml",
        ),
        (&["--target", "terraform"], "terraform-rollout.tf"),
        (
            &["--target", "terraform", "--format", "json"],
            "terraform-rollout.tf.json",
        ),
        (&["--target", "cdk"], "cdk-rollout.ts"),
        (
            &["--target", "cdk", "--language", "python"],
            "cdk-rollout.py",
        ),
        (&["--target", "cdk", "--app"], "cdk-rollout-app.ts"),
        (
            &["--target", "cdk", "--language", "python", "--app"],
            "cdk-rollout-app.py",
        ),
    ] {
        let mut args = vec!["build", "spec.yaml", "--rollout"];
        args.extend(flags);
        let out = run(&dir, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let expected = fs::read_to_string(dir.join(golden)).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), expected, "{args:?}");
    }
}

#[test]
fn a_spec_without_rollout_has_none_to_build() {
    let out = run(
        &fixture("seed"),
        &["build", "spec.yaml", "--target", "terraform", "--rollout"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`--rollout` writes the spec's `rollout`, and this spec has none"),
        "{stderr}"
    );
}

#[test]
fn out_dir_writes_the_rollout_beside_the_rest_only_for_a_spec_that_has_one() {
    let scratch = Scratch::new("out-dir");
    let dir = scratch.0.clone();
    fs::copy(fixture("rollout").join("spec.yaml"), dir.join("org.yaml")).unwrap();
    fs::copy(fixture("seed").join("spec.yaml"), dir.join("seed.yaml")).unwrap();
    let out = run(
        &dir,
        &["build", "org.yaml", "seed.yaml", "--out-dir", "generated"],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rollout: Vec<Output> = Output::all().filter(|o| o.is_rollout()).collect();
    assert_eq!(rollout.len(), 8);
    for o in rollout {
        let written = dir.join("generated").join(o.out_dir_path("org"));
        let golden = fs::read_to_string(fixture("rollout").join(o.golden_name())).unwrap();
        let text = fs::read_to_string(&written).unwrap_or_else(|e| panic!("{written:?}: {e}"));
        // The goldens name the spec `spec.yaml`; the tree names it as given.
        assert_eq!(text.replace("org.yaml", "spec.yaml"), golden, "{written:?}");
        assert!(!dir.join("generated").join(o.out_dir_path("seed")).exists());
    }
    // The Terraform rollout is applied elsewhere than the per-account configuration:
    // a folder of its own.
    assert!(dir.join("generated/terraform/org-rollout/main.tf").exists());
    assert!(dir.join("generated/terraform/org/main.tf").exists());
    let check = run(
        &dir,
        &[
            "check",
            "org.yaml",
            "seed.yaml",
            "--out-dir",
            "generated",
            "--exhaustive",
        ],
    );
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let _ = fs::remove_dir_all(&dir);
}

/// The IAM StackSet deploys the CloudFormation target's template without the
/// setting; the setting's StackSet deploys the setting alone, with no IAM resource.
#[test]
fn the_stack_sets_deploy_the_cloudformation_template_split_in_two() {
    let spec = fs::read_to_string(fixture("rollout").join("spec.yaml")).unwrap();
    let model = load(&spec);
    let whole = cloudformation::scoped_template(&model, Scope::Whole, None);
    let rollout = cloudformation::rollout::template(&model).unwrap();
    let body = |id: &str| -> Value {
        serde_json::from_str(
            rollout["Resources"][id]["Properties"]["TemplateBody"]
                .as_str()
                .unwrap(),
        )
        .unwrap()
    };
    let iam = body("IamStackSet");
    let settings = body("DhmcSettingStackSet");
    assert_eq!(
        iam,
        cloudformation::scoped_template(&model, Scope::Iam, None)
    );
    let types = |t: &Value| -> Vec<String> {
        t["Resources"]
            .as_object()
            .unwrap()
            .values()
            .map(|r| r["Type"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(types(&iam).iter().all(|t| t.starts_with("AWS::IAM::")));
    assert_eq!(types(&settings), ["AWS::SSM::ServiceSetting"]);
    // Together they hold the whole template's resources and outputs.
    let mut resources = iam["Resources"].as_object().unwrap().clone();
    for (id, r) in settings["Resources"].as_object().unwrap() {
        let mut r = r.clone();
        let whole_r = &whole["Resources"][id];
        r.as_object_mut()
            .unwrap()
            .insert("DependsOn".into(), whole_r["DependsOn"].clone());
        resources.insert(id.clone(), r);
    }
    let mut expected = whole["Resources"].as_object().unwrap().clone();
    expected.sort_keys();
    resources.sort_keys();
    assert_eq!(resources, expected);
    assert_eq!(iam["Outputs"], whole["Outputs"]);
    // IAM in one region; the setting in every region of the rollout, after IAM.
    let regions = |id: &str| {
        rollout["Resources"][id]["Properties"]["StackInstancesGroup"][0]["Regions"].clone()
    };
    assert_eq!(regions("IamStackSet"), serde_json::json!(["us-east-1"]));
    assert_eq!(
        regions("DhmcSettingStackSet"),
        serde_json::json!(["us-east-1", "eu-west-1"])
    );
    // After IAM in every account, those that join an OU later included: the setting's
    // AutoDeployment.DependsOn names the IAM StackSet's ARN, in the management account
    // for a delegated administrator; its Ref orders the first deployment too.
    let setting = &rollout["Resources"]["DhmcSettingStackSet"];
    assert_eq!(
        setting["Properties"]["AutoDeployment"]["DependsOn"],
        serde_json::json!([{ "Fn::Sub": [
            "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${ManagementAccountId}:stackset/${StackSetId}",
            { "StackSetId": { "Ref": "IamStackSet" } },
        ] }])
    );
    assert_eq!(setting["DependsOn"], serde_json::Value::Null);
    assert_eq!(
        rollout["Parameters"]["ManagementAccountId"]["AllowedPattern"],
        "^[0-9]{12}$"
    );
    assert_eq!(
        rollout["Rules"]["DelegatedAdministratorRegion"]["Assertions"][0]["Assert"]["Fn::Contains"]
            [1],
        serde_json::json!({ "Ref": "AWS::Region" })
    );
}

/// A template body over CloudFormation's inline limit is refused by every target,
/// with the size and what to do.
#[test]
fn a_template_body_over_51200_bytes_is_refused() {
    let regions = [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-south-1",
        "sa-east-1",
        "ca-central-1",
    ];
    let mut spec = String::from(
        "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: us-east-1\nprofiles:\n",
    );
    for i in 0..8 {
        spec.push_str(&format!(
            "  - name: Profile{i}\n    s3:\n      vpc_endpoint_regions: [{}]\n",
            regions.join(", ")
        ));
    }
    let model = load(&spec);
    let mut refused = 0;
    for o in Output::all().filter(|o| o.is_rollout()) {
        match o.render(&model, RenderOptions::default()) {
            Err(RenderError::Refused {
                target, message, ..
            }) => {
                assert_eq!(target, o.target());
                assert!(
                    message.starts_with("the rollout's IAM template is ")
                        && message.contains("over the 51200 bytes CloudFormation takes inline"),
                    "{message}"
                );
                refused += 1;
            }
            other => panic!("{o:?}: {other:?}"),
        }
    }
    assert_eq!(refused, 8);
    // The profiles alone still build, one account at a time.
    assert!(
        Output::by_golden("cloudformation.json")
            .unwrap()
            .render(&model, RenderOptions::default())
            .is_ok()
    );
}

/// A StackSet deploys CloudFormation: whatever the target, the rollout refuses what
/// CloudFormation cannot express, and names no other target.
#[test]
fn the_rollout_refuses_what_cloudformation_cannot_deploy() {
    let model = load(
        "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: us-east-1\nprofiles:\n  - name: p\n    existing_role: ops-role\n",
    );
    // Terraform itself attaches managed policies to an existing role ...
    assert!(
        Output::by_golden("terraform.tf")
            .unwrap()
            .render(&model, RenderOptions::default())
            .is_ok()
    );
    // ... but its rollout deploys CloudFormation, which cannot.
    for golden in [
        "terraform-rollout.tf",
        "cloudformation-rollout.json",
        "cdk-rollout.ts",
    ] {
        let o = Output::by_golden(golden).unwrap();
        let Err(RenderError::Refused { message, .. }) = o.render(&model, RenderOptions::default())
        else {
            panic!("{golden} accepts it");
        };
        assert!(
            message.contains("the rollout's StackSets deploy CloudFormation, which cannot attach managed policies"),
            "{message}"
        );
        assert!(!message.contains("--target"), "{message}");
    }
}

/// A refusal in `--out-dir` names the targets that accept the spec, and a target
/// accepts it only if every output of it does. Over 200 outputs, each target's
/// stacks split but its rollout (one StackSet template) refuses: no target accepts,
/// so no `--target` is offered. A CDK token is refused by the CDK alone: the others
/// are offered, the CDK is not.
#[test]
fn a_refusal_offers_only_targets_whose_every_output_accepts() {
    let scratch = Scratch::new("refusal-targets");
    let dir = scratch.0.clone();
    let mut big = String::from(
        "version: 1\nstacks: 4\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: eu-central-1\nprofiles:\n",
    );
    for i in 0..260 {
        big.push_str(&format!("  - name: p{i}\n"));
    }
    fs::write(dir.join("big.yaml"), big).unwrap();
    let out = run(&dir, &["build", "big.yaml", "--out-dir", "generated"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot put more than 200 outputs"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("--target"),
        "offers a refusing target: {stderr}"
    );
    assert!(!dir.join("generated").exists());

    let token = "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: eu-central-1\nprofiles:\n  - name: p\n    description: \"owner ${Token[AWS.AccountId.4]}\"\n";
    fs::write(dir.join("token.yaml"), token).unwrap();
    let out = run(&dir, &["build", "token.yaml", "--out-dir", "generated"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("target cdk refuses this spec; to build only the targets that accept it, add --target cloudformation --target terraform)"),
        "{stderr}"
    );
    let _ = fs::remove_dir_all(&dir);
}

fn rollout_warnings(spec: &str) -> Vec<(String, String)> {
    load(spec).rollout.expect("a rollout").warnings
}

#[test]
fn every_opt_in_region_of_the_stack_instances_is_warned_about_by_name() {
    let spec = "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: af-south-1\n  regions: [us-east-1, me-west-1, af-south-1, sa-west-1]\nprofiles:\n  - name: web\n  - name: dhmc\n    kind: default-host-management\n";
    let warnings = rollout_warnings(spec);
    let opt_in: Vec<(&str, &str)> = warnings
        .iter()
        .filter(|(_, w)| w.contains("opt-in region"))
        .map(|(at, w)| (at.as_str(), &w[..w.find(" is").unwrap()]))
        .collect();
    assert_eq!(
        opt_in,
        [
            ("rollout.iam_region", "`af-south-1`"),
            ("rollout.regions[1]", "`me-west-1`"),
            ("rollout.regions[3]", "`sa-west-1`"),
        ]
    );
    assert!(
        warnings
            .iter()
            .all(|(_, w)| !w.contains("opt-in") || w.contains("manage-acct-regions.html")),
        "{warnings:?}"
    );
    // Without the setting, `regions` places nothing: only `iam_region` is deployed to.
    let no_setting = "version: 1\nrollout:\n  organizational_units: [r-ab12]\n  iam_region: us-east-1\n  regions: [us-east-1, ap-east-1]\nprofiles:\n  - name: web\n";
    assert!(
        rollout_warnings(no_setting)
            .iter()
            .all(|(_, w)| !w.contains("opt-in")),
    );
}

#[test]
fn me_west_1_and_sa_west_1_are_regions_whose_buckets_only_seed_lists() {
    for region in ["me-west-1", "sa-west-1"] {
        let seed = format!(
            "version: 1\nprofiles:\n  - name: web\n    s3:\n      agent_buckets: seed\n      vpc_endpoint_regions: [{region}]\n"
        );
        let model = load(&seed);
        assert!(
            model.profiles[0]
                .warnings
                .iter()
                .any(|w| w.message.contains(&format!("({region})"))),
            "{:?}",
            model.profiles[0].warnings
        );
        let current = seed.replace("agent_buckets: seed\n      ", "");
        let e = ssm_profile::load(&Source::new("spec.yaml", &current)).expect_err(region);
        assert!(e.to_string().contains("agent_buckets: seed"), "{e}");
    }
}

/// Terraform's rollout keeps CloudFormation's two rules (issue 22 items 2 and 5), which
/// no conformance judge compares across the targets (the CDK's synth is compared with
/// the CloudFormation rollout): the setting's auto-deployments wait for the IAM
/// StackSet (`depends_on_stack_sets`, provider 6.40.0), and a delegated administrator's
/// StackSets refuse a provider region AWS does not list, before any StackSet operation.
#[test]
fn terraform_orders_auto_deployments_and_checks_the_delegated_administrators_region() {
    let spec = fs::read_to_string(fixture("rollout").join("spec.yaml")).unwrap();
    let model = load(&spec);
    let json = Output::by_golden("terraform-rollout.tf.json")
        .unwrap()
        .render(&model, RenderOptions::default())
        .unwrap();
    let tf: Value = serde_json::from_str(&json).unwrap();
    let sets = &tf["resource"]["aws_cloudformation_stack_set"];
    assert_eq!(
        sets["dhmc_setting"]["auto_deployment"]["depends_on_stack_sets"],
        serde_json::json!(["${aws_cloudformation_stack_set.iam.arn}"])
    );
    assert_eq!(
        sets["iam"]["auto_deployment"]["depends_on_stack_sets"],
        Value::Null
    );
    assert_eq!(
        tf["terraform"]["required_providers"]["aws"]["version"],
        ">= 6.40.0"
    );
    let regions = ssm_profile::refdata::stacksets::delegated_admin_regions(
        ssm_profile::spec::PartitionName::Aws,
    );
    for set in ["iam", "dhmc_setting"] {
        let condition = sets[set]["lifecycle"]["precondition"][0]["condition"]
            .as_str()
            .unwrap_or_else(|| panic!("{set}: no precondition"));
        assert!(
            condition.ends_with(", data.aws_region.current.region)}"),
            "{condition}"
        );
        for r in &regions {
            assert!(condition.contains(&format!("\"{r}\"")), "{set}: {r}");
        }
        assert!(!condition.contains("us-gov-west-1"), "{condition}");
    }
    // Without a delegated administrator there is no region to hold it to.
    let own = load(&spec.replace("call_as: delegated-admin", "call_as: self"));
    let json = Output::by_golden("terraform-rollout.tf.json")
        .unwrap()
        .render(&own, RenderOptions::default())
        .unwrap();
    assert!(!json.contains("precondition"), "{json}");
}
