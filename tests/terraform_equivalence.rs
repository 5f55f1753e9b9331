//! The Terraform output means exactly what the CloudFormation output means.
//!
//! For every fixture, the CloudFormation template and the Terraform JSON are parsed
//! as data and each is reduced to the same canonical meaning: roles (name, path,
//! description, boundary, session length, tags, trust principal and conditions),
//! customer policies with their (sid, action, resource) grants, attachments
//! role -> policy, instance profiles -> role, and the (action, resource) grants each
//! role receives through its customer policies. Deploy-time values become
//! `{ACCOUNT}` / `{REGION}`. The two meanings must be equal, and both must equal the
//! meaning read straight from the model (the only reference for fixtures that
//! CloudFormation refuses, such as existing-role-managed).
//!
//! Terraform JSON strings are templates, so this test also decodes `$${` / `%%{`: the
//! hostile-strings fixture proves that descriptions, tags and ARNs round-trip.
//! Terraform JSON and HCL are compared with real Terraform by
//! scripts/terraform-agreement.py.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use ssm_profile::backend::{Output, RenderOptions};
use ssm_profile::model::{Model, Part, RoleRef, Text};
use ssm_profile::source::Source;

mod meaning;
use meaning::{ACCOUNT, Meaning, REGION, RoleMeaning, cfn_meaning, statement_grants, tf_meaning};

/// CloudFormation's template of `model` as data, or its refusal, as `build` gives them.
fn cfn_template(model: &Model) -> Result<Value, ssm_profile::backend::RenderError> {
    let output = Output::by_golden("cloudformation.json").expect("a CloudFormation JSON output");
    output
        .render(model, RenderOptions::default())
        .map(|t| serde_json::from_str(&t).expect("the template is JSON"))
}

// ---------------------------------------------------------------- the model

fn text(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Part::Literal(s) => s.as_str(),
            Part::AccountId => ACCOUNT,
            Part::Region => REGION,
        })
        .collect()
}

fn model_meaning(model: &Model) -> Meaning {
    let mut m = Meaning::default();
    for p in &model.profiles {
        let role_name = p.role.name().to_string();
        if let RoleRef::Create(r) = &p.role {
            m.roles.insert(
                role_name.clone(),
                RoleMeaning {
                    path: r.path.clone().unwrap_or_default(),
                    description: r.description.clone().unwrap_or_default(),
                    permissions_boundary: r.permissions_boundary.clone().unwrap_or_default(),
                    max_session_duration: r
                        .max_session_duration
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    principal: r.trust.service.clone(),
                    action: "sts:AssumeRole".into(),
                    conditions: r
                        .trust
                        .each_condition()
                        .map(|(op, c)| (op.into(), c.key.into(), text(&c.value)))
                        .collect(),
                },
            );
            for t in &p.tags {
                m.role_tags
                    .insert((role_name.clone(), t.key.clone(), t.value.clone()));
            }
        }
        for mp in &p.managed_policies {
            m.attachments
                .insert((role_name.clone(), format!("managed:{}", mp.arn)));
        }
        for c in &p.custom_policies {
            let path = c.path.clone().unwrap_or_default();
            statement_grants(&c.document(ACCOUNT), &c.name, &path, &mut m.policy_grants);
            m.attachments
                .insert((role_name.clone(), format!("custom:{}", c.name)));
        }
        if let Some(ip) = &p.instance_profile {
            m.instance_profiles.insert((
                ip.name.clone(),
                ip.path.clone().unwrap_or_default(),
                role_name.clone(),
            ));
        }
        if let Some(s) = &p.service_setting {
            m.service_settings
                .insert((s.id.to_string(), s.value.clone(), s.role.clone()));
        }
    }
    m.derive_role_grants();
    m
}

// ---------------------------------------------------------------- the test

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("spec.yaml").exists() || p.join("spec.json").exists())
        .collect();
    dirs.sort();
    dirs
}

fn load(dir: &Path) -> Model {
    let spec = ["spec.yaml", "spec.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .expect("spec");
    let source = Source::new(
        spec.file_name().unwrap().to_string_lossy().to_string(),
        fs::read_to_string(&spec).expect("read spec"),
    );
    ssm_profile::load(&source).expect("valid fixture")
}

#[test]
fn terraform_means_what_cloudformation_means() {
    let mut compared_with_cfn = 0;
    let mut split = 0;
    let mut failures = Vec::new();
    let dirs = fixtures();
    assert!(dirs.len() >= 16, "fixtures not found");
    for dir in &dirs {
        let case = dir.file_name().unwrap().to_string_lossy().to_string();
        let model = load(dir);
        let tf_text = Output::by_golden("terraform.tf.json")
            .unwrap()
            .render(&model, RenderOptions::default())
            .expect("terraform renders");
        let tf: Value = serde_json::from_str(&tf_text).expect("terraform JSON parses");
        let tf = tf_meaning(&tf);
        let from_model = model_meaning(&model);
        if tf != from_model {
            failures.push(format!(
                "{case}: Terraform differs from the model\n terraform: {tf:#?}\n model: {from_model:#?}"
            ));
        }
        // A spec too large for one stack: its stacks together, as `--out-dir` writes them.
        let stacks = Output::by_golden("cloudformation.json")
            .unwrap()
            .generate_files(&model, "spec.yaml", RenderOptions::default());
        if let Ok(files) = &stacks
            && files.len() > 1
        {
            let (mut resources, mut outputs) = (Map::new(), Map::new());
            for f in files {
                let t: Value = serde_json::from_str(&f.text).expect("a stack's JSON parses");
                resources.extend(t["Resources"].as_object().unwrap().clone());
                outputs.extend(t["Outputs"].as_object().unwrap().clone());
            }
            let merged = serde_json::json!({ "Resources": resources, "Outputs": outputs });
            split += 1;
            compared_with_cfn += 1;
            let cfn = cfn_meaning(&merged);
            if tf != cfn {
                failures.push(format!(
                    "{case}: Terraform differs from CloudFormation's stacks together\n terraform: {tf:#?}\n cloudformation: {cfn:#?}"
                ));
            }
            continue;
        }
        match cfn_template(&model) {
            Ok(t) => {
                compared_with_cfn += 1;
                let cfn = cfn_meaning(&t);
                if tf != cfn {
                    failures.push(format!(
                        "{case}: Terraform differs from CloudFormation\n terraform: {tf:#?}\n cloudformation: {cfn:#?}"
                    ));
                }
            }
            Err(refusal)
                if refusal
                    .to_string()
                    .contains("ManagedPolicyArns holds 20 at most") =>
            {
                // More than 20 ARNs on one role: Terraform attaches every one.
                let why = refusal.to_string();
                let by_arn: usize = model
                    .profiles
                    .iter()
                    .map(|p| p.managed_policies.len())
                    .sum();
                assert!(by_arn > 20, "{case}: {why}");
                assert_eq!(
                    tf.attachments
                        .iter()
                        .filter(|(_, p)| p.starts_with("managed:"))
                        .count(),
                    by_arn,
                    "{case}: Terraform attaches every managed policy CloudFormation refused"
                );
            }
            Err(refusal) => {
                let why = refusal.to_string();
                // Otherwise only refusals about existing roles are expected; Terraform
                // must still attach every managed policy to the existing role.
                assert!(why.contains("existing role"), "{case}: {why}");
                assert!(
                    tf.attachments
                        .iter()
                        .any(|(_, p)| p.starts_with("managed:")),
                    "{case}: the managed policies CloudFormation refused are attached"
                );
                assert!(tf.roles.is_empty(), "{case}: no role is created");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(compared_with_cfn >= 15, "only {compared_with_cfn} compared");
    assert!(
        split >= 1,
        "no fixture is split into stacks (fixtures/multi-stack)"
    );
}

#[test]
fn hostile_strings_round_trip_through_terraform_json() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile-strings");
    let model = load(&dir);
    let p = &model.profiles[0];
    let RoleRef::Create(role) = &p.role else {
        panic!("the fixture creates its role")
    };
    let description = role.description.as_deref().expect("a description");
    for needle in [
        "\"",
        "\\",
        "${aws:username}",
        "%{ if",
        "\n",
        "\r",
        "\t",
        "#",
        "//",
        "*/",
        "'",
        "ü",
        "ÿ",
    ] {
        assert!(description.contains(needle), "fixture lacks {needle:?}");
    }
    let tf: Value = serde_json::from_str(
        &Output::by_golden("terraform.tf.json")
            .unwrap()
            .render(&model, RenderOptions::default())
            .unwrap(),
    )
    .unwrap();
    let m = tf_meaning(&tf);
    assert_eq!(m.roles[&role.name].description, description);
    let tags: BTreeSet<_> = m.role_tags.iter().map(|(_, k, v)| (k, v)).collect();
    assert_eq!(tags.len(), p.tags.len());
    for t in &p.tags {
        assert!(tags.contains(&(&t.key, &t.value)), "tag {} lost", t.key);
    }
    assert!(
        m.attachments
            .iter()
            .any(|(_, a)| a
                == "managed:arn:aws:iam::111122223333:policy/odd.path,a+b@c=d_e-f/Extras"),
        "the policy ARN with every punctuation IAM allows in a path round-trips"
    );
}
